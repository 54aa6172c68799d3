"""Logs through Python's logging: what DEBUG shows, and never a secret."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import base64, json, logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s|%(levelname)s|%(message)s")
import cognito_identity
from cognito_identity.testing import Emulator

SECRET, TOKEN = "CANARY-SECRET-0123456789", "CANARY-TOKEN-0123456789"
b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
LOGIN = b64({"alg": "none"}) + "." + b64({"iss": "https://g", "sub": "CANARY-LOGIN-SUB"}) + ".CANARY-LOGIN-SIG"
with Emulator(aws_access_key_id="AKIDLOG", aws_secret_access_key=SECRET) as emu:
    client = emu.client(aws_session_token=TOKEN, config=cognito_identity.Config(initial_backoff=0.001))
    pool = client.create_identity_pool(IdentityPoolName="log", AllowUnauthenticatedIdentities=True,
                                       SupportedLoginProviders={"accounts.google.com": "app"})["IdentityPoolId"]
    client.set_identity_pool_roles(IdentityPoolId=pool, Roles={"authenticated": "arn:aws:iam::123456789012:role/L"})
    emu.inject_fault("status", status=503, operation="ListIdentityPools")
    client.list_identity_pools(MaxResults=1)
    creds = cognito_identity.IdentityPoolCredentials(pool, endpoint_url=emu.url, cache_dir=False,
                                                     logins={"accounts.google.com": LOGIN}).get()
    token = client.get_open_id_token(IdentityId=creds.identity_id, Logins={"accounts.google.com": LOGIN})["Token"]
    print("SECRETS", creds.secret_key, creds.token, token)
"""


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """Runs ``script`` in a fresh interpreter, which must exit cleanly."""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out


def test_debug_logging_shows_retries_and_credentials_and_no_secret() -> None:
    out = _python(SCRIPT)
    logged, _, secrets_line = out.stdout.rpartition("SECRETS ")
    records = logged.splitlines()
    retries = [r for r in records if r.startswith("cognito_identity.retries|INFO|")]
    assert any("retrying ListIdentityPools: ServiceUnavailableException" in r and "attempt=1" in r for r in retries), (
        records
    )
    assert any(r.startswith("cognito_identity.credentials|DEBUG|credentials from explicit") for r in records), records
    assert any(
        r.startswith("cognito_identity.credentials|INFO|credentials refreshed from cognito-identity-pool")
        for r in records
    ), records
    assert any(r.startswith("cognito_identity.http|DEBUG|response received") for r in records), records
    assert "CANARY" not in logged, [r for r in records if "CANARY" in r]
    for secret in secrets_line.split():
        assert secret not in logged


def test_without_logging_configured_nothing_is_imported_or_printed() -> None:
    script = (
        "import sys, cognito_identity\n"
        "from cognito_identity.testing import Emulator\n"
        "with Emulator() as emu:\n"
        "    emu.client().list_identity_pools(MaxResults=1)\n"
        "print('logging' in sys.modules)\n"
    )
    out = _python(script)
    assert out.stdout.strip() == "False" and out.stderr == ""


def test_levels_are_honoured_per_logger() -> None:
    script = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format='%(name)s|%(message)s')\n"
        "logging.getLogger('cognito_identity.retries').setLevel(logging.INFO)\n"
        "import cognito_identity\n"
        "from cognito_identity.testing import Emulator\n"
        "with Emulator() as emu:\n"
        "    c = emu.client(config=cognito_identity.Config(initial_backoff=0.001))\n"
        "    emu.inject_fault('throttle', operation='ListIdentityPools')\n"
        "    c.list_identity_pools(MaxResults=1)\n"
    )
    out = _python(script)
    lines = out.stdout.splitlines()
    assert lines and all(line.startswith("cognito_identity.retries|retrying") for line in lines), lines


def test_a_reset_reaches_every_thread_that_has_logged() -> None:
    # Each thread keeps its own copy of the levels it has asked for; a reset
    # must make the calling thread and the others ask again.
    script = (
        "import logging, sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format='%(name)s|%(message)s')\n"
        "import cognito_identity\n"
        "from cognito_identity.testing import Emulator\n"
        "http = logging.getLogger('cognito_identity.http')\n"
        "with Emulator() as emu:\n"
        "    c = emu.client()\n"
        "    def call(tag):\n"
        "        print('call', tag, flush=True)\n"
        "        c.list_identity_pools(MaxResults=1)\n"
        "    worker = ThreadPoolExecutor(max_workers=1)  # one thread, reused\n"
        "    def other(tag):\n"
        "        worker.submit(call, tag).result()\n"
        "    call('main-quiet'); other('other-quiet')\n"
        "    http.setLevel(logging.DEBUG); cognito_identity.reset_logging()\n"
        "    call('main-loud'); other('other-loud')\n"
        "    http.setLevel(logging.WARNING); cognito_identity.reset_logging()\n"
        "    call('main-quiet-again'); other('other-quiet-again')\n"
    )
    out = _python(script)
    logged: dict[str, int] = {}
    tag = ""
    for line in out.stdout.splitlines():
        if line.startswith("call "):
            tag = line.split()[1]
            logged[tag] = 0
        elif line.startswith("cognito_identity.http|response received"):
            logged[tag] += 1
    quiet, loud = ("main-quiet", "other-quiet", "main-quiet-again", "other-quiet-again"), ("main-loud", "other-loud")
    assert logged == {**dict.fromkeys(quiet, 0), **dict.fromkeys(loud, 1)}, out.stdout
