"""cognito_identity.IdentityPoolCredentials and the cognito-identity command,
end to end against the in-process emulator (which also speaks the STS calls
the flows and the checks need)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import boto3
import cognito_identity
import pytest
from cognito_identity.testing import Emulator

ACCOUNT = "123456789012"
UNAUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/CognitoGuest"
AUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/CognitoUser"
GOOGLE = "accounts.google.com"
COMMAND = str(Path(sys.executable).with_name("cognito-identity"))


def jwt(sub: str, iss: str = "https://accounts.google.com", **claims: Any) -> str:
    """An (unsigned) JWT: the emulator names the user by its `sub`."""

    def b64(d: Dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'RS256'})}.{b64({'iss': iss, 'sub': sub, **claims})}.c2ln"


@pytest.fixture()
def emu() -> Iterator[Emulator]:
    with Emulator() as e:
        yield e


def make_pool(emu: Emulator, **extra: Any) -> str:
    admin = emu.client()
    pool = admin.create_identity_pool(
        IdentityPoolName="provider",
        AllowUnauthenticatedIdentities=True,
        SupportedLoginProviders={GOOGLE: "client-id"},
        **extra,
    )["IdentityPoolId"]
    admin.set_identity_pool_roles(
        IdentityPoolId=pool, Roles={"unauthenticated": UNAUTH_ROLE, "authenticated": AUTH_ROLE}
    )
    return str(pool)


def count(emu: Emulator, operation: str) -> int:
    return sum(1 for r in emu.requests() if r["headers"].get("x-amz-target", "").endswith("." + operation))


def provider(emu: Emulator, pool: str, tmp_path: Path, **kwargs: Any) -> cognito_identity.IdentityPoolCredentials:
    kwargs.setdefault("cache_dir", tmp_path / "cache")
    return cognito_identity.IdentityPoolCredentials(pool, endpoint_url=emu.url, **kwargs)


def caller_arn(emu: Emulator, creds: cognito_identity.PoolCredentials) -> str:
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=emu.url,
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token,
    )
    return str(sts.get_caller_identity()["Arn"])


def test_a_guest_gets_credentials_and_keeps_its_identity(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    p = provider(emu, pool, tmp_path)
    assert p.identity_id is None
    first = p.get()
    assert first.identity_id.startswith("us-east-1:") and p.identity_id == first.identity_id
    assert first.expiration.tzinfo is not None and first.access_key.startswith("ASIA")
    assert "redacted" in repr(first) and first.secret_key not in repr(first) and first.token not in repr(first)
    assert p.get() == first, "fresh credentials are reused"
    assert count(emu, "GetId") == 1 and count(emu, "GetCredentialsForIdentity") == 1
    assert caller_arn(emu, first).endswith(":assumed-role/CognitoGuest/CognitoIdentityCredentials")
    # The region is the pool's.
    assert cognito_identity.IdentityPoolCredentials(pool, endpoint_url=emu.url, cache_dir=False).get()


def test_the_file_cache_is_reused_across_processes(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    identity = provider(emu, pool, tmp_path).get().identity_id
    script = (
        "import sys, cognito_identity\n"
        "p = cognito_identity.IdentityPoolCredentials(sys.argv[1], endpoint_url=sys.argv[2], cache_dir=sys.argv[3])\n"
        "print(p.get().identity_id)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, pool, emu.url, str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == identity
    assert count(emu, "GetId") == 1, "the second process found the identity on disk"
    files = list((tmp_path / "cache").glob("*.json"))
    assert len(files) == 1 and (files[0].stat().st_mode & 0o777) == 0o600
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    assert json.loads(files[0].read_text()) == {"IdentityPoolId": pool, "IdentityId": identity}


def test_refresh_windows_with_a_short_ttl(tmp_path: Path) -> None:
    with Emulator(credentials_ttl=6) as emu:
        pool = make_pool(emu)
        no_retries = cognito_identity.Config(retries={"total_max_attempts": 1})
        p = provider(emu, pool, tmp_path, advisory_refresh_seconds=4, mandatory_refresh_seconds=2, config=no_retries)
        first = p.get()
        assert p.get() == first
        time.sleep(2.5)  # 3.5 s left: advisory window, one caller refreshes
        second = p.get()
        assert second.access_key != first.access_key and second.identity_id == first.identity_id
        emu.inject_fault("status", status=500, count=10, operation="GetCredentialsForIdentity")
        time.sleep(2.5)  # advisory again: the failed refresh keeps the valid credentials
        assert p.get() == second
        time.sleep(2.0)  # mandatory: the refresh's error is the caller's
        with pytest.raises(cognito_identity.exceptions.ClientError) as e:
            p.get()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        emu.clear_faults()
        assert p.get().access_key not in (first.access_key, second.access_key)


def test_sixteen_threads_in_the_mandatory_window_make_one_refresh(tmp_path: Path) -> None:
    # Fresh credentials live 6 s, 3 s past the windows: a refresh slowed by a
    # loaded machine still yields credentials outside them (with 4 s, one
    # under load came back inside, and a late thread refreshed again).
    with Emulator(credentials_ttl=6) as emu:
        pool = make_pool(emu)
        p = provider(emu, pool, tmp_path, advisory_refresh_seconds=3, mandatory_refresh_seconds=3)
        first = p.get()
        time.sleep(3.5)  # 2.5 s left: mandatory
        emu.inject_fault("delay", delay_ms=300, operation="GetCredentialsForIdentity")
        barrier = threading.Barrier(16)
        results: List[str] = []

        def worker() -> None:
            barrier.wait()
            results.append(p.get().access_key)

        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 16 and len(set(results)) == 1 and results[0] != first.access_key
        assert count(emu, "GetCredentialsForIdentity") == 2, "one initial fetch and one refresh"


def test_a_deleted_identity_is_replaced_once(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    gone = provider(emu, pool, tmp_path).get().identity_id
    emu.client().delete_identities(IdentityIdsToDelete=[gone])
    fresh = provider(emu, pool, tmp_path)  # finds the deleted id in the file cache
    creds = fresh.get()
    assert creds.identity_id != gone and fresh.identity_id == creds.identity_id
    assert count(emu, "GetId") == 2
    assert provider(emu, pool, tmp_path).get().identity_id == creds.identity_id, "the file holds the new id"


def test_the_classic_flow(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu, AllowClassicFlow=True)
    p = provider(
        emu, pool, tmp_path, flow="classic", role_arn=UNAUTH_ROLE, role_session_name="app", sts_endpoint_url=emu.url
    )
    creds = p.get()
    assert count(emu, "GetOpenIdToken") == 1 and count(emu, "GetCredentialsForIdentity") == 0
    assert caller_arn(emu, creds) == f"arn:aws:sts::{ACCOUNT}:assumed-role/CognitoGuest/app"
    refused = make_pool(emu)  # AllowClassicFlow off: STS refuses
    with pytest.raises(cognito_identity.exceptions.ClientError) as e:
        provider(emu, refused, tmp_path, flow="classic", role_arn=UNAUTH_ROLE, sts_endpoint_url=emu.url).get()
    assert e.value.response["Error"]["Code"] == "AccessDenied"


def test_logins_as_callables_are_asked_on_every_refresh(tmp_path: Path) -> None:
    with Emulator(credentials_ttl=3) as emu:
        pool = make_pool(emu)
        asked: List[int] = []

        def token() -> str:
            asked.append(1)
            return jwt("alice", n=len(asked))  # a new token of the same user each time

        windows = {"advisory_refresh_seconds": 2, "mandatory_refresh_seconds": 1}
        p = provider(emu, pool, tmp_path, logins={GOOGLE: token}, **windows)
        first = p.get()
        assert len(asked) == 1 and p.get() == first and len(asked) == 1
        time.sleep(1.5)
        second = p.get()
        assert len(asked) == 2 and second.identity_id == first.identity_id
        sent = [r for r in emu.requests() if "GetCredentialsForIdentity" in r["headers"].get("x-amz-target", "")]
        assert len(sent) == 2
        assert caller_arn(emu, second).endswith("/CognitoUser/CognitoIdentityCredentials")

        # The whole mapping may be a callable too; its exception reaches the caller as is.
        def broken() -> Dict[str, str]:
            raise LookupError("no session")

        with pytest.raises(LookupError, match="no session"):
            provider(emu, pool, tmp_path, logins=broken, cache_dir=False).get()


def test_a_guest_is_linked_when_it_signs_in(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    p = provider(emu, pool, tmp_path)
    guest = p.get()
    p.set_logins({GOOGLE: jwt("bob")})
    signed_in = p.get()
    assert signed_in.identity_id == guest.identity_id, "Cognito linked the guest identity"
    logins = emu.client().describe_identity(IdentityId=guest.identity_id)["Logins"]
    assert logins == [GOOGLE]
    assert caller_arn(emu, signed_in).endswith("/CognitoUser/CognitoIdentityCredentials")
    # Bob's identity is on disk under his key; the guest entry is gone.
    other_guest = provider(emu, pool, tmp_path).get()
    assert other_guest.identity_id != guest.identity_id
    assert provider(emu, pool, tmp_path, logins={GOOGLE: jwt("bob")}).get().identity_id == guest.identity_id


def test_an_expired_login_token_is_raised_not_papered_over(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu, DeveloperProviderName="login.dev")
    issued = emu.client().get_open_id_token_for_developer_identity(
        IdentityPoolId=pool, Logins={"login.dev": "carol"}, TokenDuration=60
    )
    p = provider(emu, pool, tmp_path, logins={"cognito-identity.amazonaws.com": issued["Token"]})
    assert p.get().identity_id == issued["IdentityId"]
    p.set_logins({"cognito-identity.amazonaws.com": issued["Token"]})
    emu.set_clock_offset(3600)
    get_ids = count(emu, "GetId")
    with pytest.raises(cognito_identity.exceptions.NotAuthorizedException, match="expired"):
        p.get()
    assert p.identity_id == issued["IdentityId"], "the identity is kept"
    assert count(emu, "GetId") == get_ids, "no new identity was asked for"


def test_clear_forgets_the_identity(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    p = provider(emu, pool, tmp_path)
    first = p.get().identity_id
    p.clear()
    assert p.identity_id is None and not list((tmp_path / "cache").glob("*.json"))
    assert p.get().identity_id != first


def test_a_boto3_session_refreshes_through_the_provider(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    session = provider(emu, pool, tmp_path).boto3_session(region_name="us-east-1")
    arn = session.client("sts", endpoint_url=emu.url).get_caller_identity()["Arn"]
    assert arn == f"arn:aws:sts::{ACCOUNT}:assumed-role/CognitoGuest/CognitoIdentityCredentials"
    assert session.get_credentials().method == "cognito-identity-pool"


def test_bad_arguments_name_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(cognito_identity.exceptions.ParamValidationError, match="IdentityPoolId"):
        cognito_identity.IdentityPoolCredentials("not-a-pool-id")
    with pytest.raises(cognito_identity.exceptions.InvalidConfigError, match="role_arn"):
        cognito_identity.IdentityPoolCredentials("us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", flow="classic")
    with pytest.raises(cognito_identity.exceptions.InvalidConfigError, match="mandatory_refresh_seconds"):
        cognito_identity.IdentityPoolCredentials(
            "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", advisory_refresh_seconds=1, mandatory_refresh_seconds=5
        )


def run_command(*args: str, env: Dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_credential_process_command_serves_boto3(emu: Emulator, tmp_path: Path) -> None:
    pool = make_pool(emu)
    token_file = tmp_path / "token"
    token_file.write_text(jwt("dave") + "\n")
    line = (
        f"{COMMAND} credential-process --identity-pool-id {pool} --endpoint-url {emu.url} "
        f"--cache-dir {tmp_path / 'cache'} --login {GOOGLE}=@{token_file}"
    )
    (tmp_path / "config").write_text(f"[profile cognito]\nregion = us-east-1\ncredential_process = {line}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    script = (
        "import boto3, sys\n"
        "s = boto3.Session(profile_name='cognito')\n"
        "print(s.client('sts', endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])\n"
    )
    out = subprocess.run([sys.executable, "-c", script, emu.url], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"arn:aws:sts::{ACCOUNT}:assumed-role/CognitoUser/CognitoIdentityCredentials"
    calls = count(emu, "GetCredentialsForIdentity")
    again = run_command(*line.split()[1:])
    doc = json.loads(again.stdout)
    assert set(doc) == {"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}
    assert doc["Version"] == 1
    assert doc["Expiration"].endswith("Z")
    assert count(emu, "GetCredentialsForIdentity") == calls, "the second run used the cached credentials"


def test_the_command_reports_errors_on_stderr(emu: Emulator, tmp_path: Path) -> None:
    version = run_command("--version")
    assert version.returncode == 0 and cognito_identity.__version__ in version.stdout
    assert "credential-process" in run_command("--help").stdout
    bad_pool = run_command("credential-process", "--identity-pool-id", "nope", "--no-cache")
    assert bad_pool.returncode == 1 and "IdentityPoolId" in bad_pool.stderr and not bad_pool.stdout
    bad_login = run_command(
        "credential-process", "--identity-pool-id", make_pool(emu), "--login", "no-equals", "--no-cache"
    )
    assert bad_login.returncode == 2 and "PROVIDER=TOKEN" in bad_login.stderr
    missing = run_command(
        "credential-process", "--identity-pool-id", make_pool(emu), "--login", f"{GOOGLE}=@{tmp_path}/nofile"
    )
    assert missing.returncode == 2 and "cannot read the token file" in missing.stderr
    assert run_command().returncode == 2
