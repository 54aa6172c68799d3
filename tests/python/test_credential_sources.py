"""The credential chain, source by source, against fake endpoints on loopback
(tests/python/fake_aws.py): boto3 and ours run under the same environment and
files, and must sign the Cognito call with the same access key and session
token, having found them by the same method."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, Iterator

import cognito_identity
import pytest
from fake_aws import FakeAws

OURS = r"""
import json, sys, cognito_identity
c = cognito_identity.Client(region_name="us-east-1", endpoint_url=sys.argv[1], **json.loads(sys.argv[2]))
c.list_identity_pools(MaxResults=1)
print(json.dumps({"method": (c.credential_source or "none").split(" ")[0]}))
"""

BOTO3 = r"""
import json, sys, boto3
session = boto3.Session(**json.loads(sys.argv[2]))
c = session.client("cognito-identity", region_name="us-east-1", endpoint_url=sys.argv[1])
c.list_identity_pools(MaxResults=1)
print(json.dumps({"method": session.get_credentials().method}))
"""

PROCESS = """
import json, sys
json.dump({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret",
           "SessionToken": "process-token", "Expiration": "2099-01-01T00:00:00Z"}, sys.stdout)
"""

SSO_START = "https://fake.awsapps.com/start"


@pytest.fixture()
def fake() -> Iterator[FakeAws]:
    server = FakeAws()
    try:
        yield server
    finally:
        server.close()


class Home:
    """A temporary home with the shared files and the environment pointing at the fakes."""

    def __init__(self, root: Path, fake: FakeAws) -> None:
        self.root = root
        self.fake = fake
        self.config = root / ".aws" / "config"
        self.credentials = root / ".aws" / "credentials"
        self.config.parent.mkdir(parents=True)
        self.env: Dict[str, str] = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(root),
            "AWS_CONFIG_FILE": str(self.config),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.credentials),
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_STS": fake.url,
            "AWS_ENDPOINT_URL_SSO": fake.url,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{home}", str(self.root)).replace("{python}", sys.executable))
        return path

    def sso_token(self, cache_key: str) -> None:
        key = hashlib.sha1(cache_key.encode()).hexdigest()
        token = {
            "startUrl": SSO_START,
            "region": "us-east-1",
            "accessToken": "sso-access-token",
            "expiresAt": "2099-01-01T00:00:00Z",
        }
        self.write(f".aws/sso/cache/{key}.json", json.dumps(token))

    def run(self, script: str, kwargs: Dict[str, Any]) -> Dict[str, Any]:
        before = len(self.fake.calls)
        out = subprocess.run(
            [sys.executable, "-c", script, self.fake.url, json.dumps(kwargs)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        calls = self.fake.calls[before:]
        assert len(calls) == 1, calls
        result: Dict[str, Any] = json.loads(out.stdout)
        result.update(access_key_id=calls[0]["access_key_id"], session_token=calls[0]["session_token"])
        return result


@pytest.fixture()
def home(tmp_path: Path, fake: FakeAws) -> Home:
    return Home(tmp_path, fake)


ROLE = "arn:aws:iam::123456789012:role/"

CASES: Dict[str, Dict[str, Any]] = {
    "env": {"env": {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t-env"}},
    "AWS_PROFILE does not hide env keys": {
        "env": {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "p"},
        "credentials": "[p]\naws_access_key_id = AKIDP\naws_secret_access_key = sp\n",
    },
    "profile argument hides env keys": {
        "env": {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"},
        "credentials": "[p]\naws_access_key_id = AKIDP\naws_secret_access_key = sp\n",
        "profile": "p",
    },
    "shared credentials file": {
        "credentials": "[default]\naws_access_key_id = AKIDSHARED\naws_secret_access_key = s\naws_session_token = t\n"
    },
    "config file": {"config": "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n"},
    "credential_process": {
        "config": "[default]\ncredential_process = {python} {home}/proc.py\n",
        "files": {"proc.py": PROCESS},
    },
    "assume role from a source profile": {
        "config": f"[profile dev]\nrole_arn = {ROLE}dev\nsource_profile = base\nexternal_id = ext-1\n"
        "role_session_name = dev-session\n[profile base]\nregion = us-east-1\n",
        "credentials": "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
        "profile": "dev",
    },
    "assume role through a chain": {
        "config": f"[profile a]\nrole_arn = {ROLE}a\nsource_profile = b\n"
        f"[profile b]\nrole_arn = {ROLE}b\nsource_profile = base\n"
        "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n",
        "profile": "a",
    },
    "assume role with credential_source Environment": {
        "env": {"AWS_ACCESS_KEY_ID": "AKIDSOURCE", "AWS_SECRET_ACCESS_KEY": "s"},
        "config": f"[profile r]\nrole_arn = {ROLE}r\ncredential_source = Environment\n",
        "profile": "r",
    },
    "assume role with credential_source EcsContainer": {
        "env": {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{fake}/container/creds"},
        "config": f"[profile r]\nrole_arn = {ROLE}r\ncredential_source = EcsContainer\n",
        "profile": "r",
    },
    "web identity from the environment": {
        "env": {
            "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
            "AWS_ROLE_ARN": ROLE + "irsa",
            "AWS_ROLE_SESSION_NAME": "pod",
        },
        "files": {"token": "eyJ.web.identity"},
        # EKS with static keys in the default profile: web identity still wins, as in botocore.
        "credentials": "[default]\naws_access_key_id = AKIDLOSES\naws_secret_access_key = s\n",
    },
    "web identity from the profile": {
        "config": f"[profile wi]\nweb_identity_token_file = {{home}}/token\nrole_arn = {ROLE}wi\n",
        "files": {"token": "eyJ.profile.token"},
        "profile": "wi",
    },
    "sso with an sso-session": {
        "config": "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
        f"[sso-session corp]\nsso_region = us-east-1\nsso_start_url = {SSO_START}\n",
        "sso_cache_key": "corp",
        "profile": "sso",
    },
    "legacy sso": {
        "config": "[profile sso]\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n"
        f"sso_region = us-east-1\nsso_start_url = {SSO_START}\n",
        "sso_cache_key": SSO_START,
        "profile": "sso",
    },
    "container with a token": {
        "env": {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "{fake}/container/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
        },
        "container_token": "container-token",
    },
    "container with a token file (EKS Pod Identity)": {
        "env": {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "{fake}/container/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/pod-token",
        },
        "files": {"pod-token": "pod-identity-token"},
        "container_token": "pod-identity-token",
    },
    "instance metadata (IMDSv2)": {
        "env": {"AWS_EC2_METADATA_SERVICE_ENDPOINT": "{fake}/", "AWS_EC2_METADATA_DISABLED": ""},
    },
}


def prepare(home: Home, case: Dict[str, Any]) -> Dict[str, Any]:
    for name, text in case.get("files", {}).items():
        home.write(name, text)
    home.config.write_text(case.get("config", "").replace("{home}", str(home.root)).replace("{python}", sys.executable))
    home.credentials.write_text(case.get("credentials", ""))
    if "sso_cache_key" in case:
        home.sso_token(case["sso_cache_key"])
    for k, v in case.get("env", {}).items():
        v = v.replace("{home}", str(home.root)).replace("{fake}", home.fake.url)
        if v:
            home.env[k] = v
        else:
            home.env.pop(k, None)
    home.fake.container_token = case.get("container_token")
    return {"profile_name": case["profile"]} if "profile" in case else {}


@pytest.mark.parametrize("name", list(CASES))
def test_ours_and_boto3_sign_with_the_same_credentials(home: Home, name: str) -> None:
    kwargs = prepare(home, CASES[name])
    theirs = home.run(BOTO3, kwargs)
    ours = home.run(OURS, kwargs)
    assert ours == theirs
    assert theirs["access_key_id"], theirs


def test_each_source_is_fetched_from_its_own_endpoint(home: Home) -> None:
    """The fakes saw what each source asks for (not a shortcut through another one)."""
    for name, expect in [
        ("instance metadata (IMDSv2)", ("PUT", "/latest/api/token")),
        ("container with a token", ("GET", "/container/creds")),
        ("legacy sso", ("GET", "/federation/credentials")),
        ("assume role through a chain", ("POST", "/")),
    ]:
        home.fake.seen.clear()
        home.run(OURS, prepare(home, CASES[name]))
        assert expect in home.fake.seen, (name, home.fake.seen)


def client_in(home: Home, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> cognito_identity.Client:
    """A client in this process under the home's environment."""
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    for key, value in home.env.items():
        monkeypatch.setenv(key, value)
    return cognito_identity.Client(region_name="us-east-1", endpoint_url=home.fake.url, **kwargs)


def failure(client: cognito_identity.Client) -> cognito_identity.exceptions.CognitoIdentityError:
    with pytest.raises(cognito_identity.exceptions.CognitoIdentityError) as e:
        client.list_identity_pools(MaxResults=1)
    return e.value


def test_a_failing_process_names_the_source_and_profile(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.write("fail.py", "import sys; sys.stderr.write('vault is sealed'); sys.exit(3)")
    home.config.write_text(f"[profile p]\ncredential_process = {sys.executable} {home.root}/fail.py\n")
    err = failure(client_in(home, monkeypatch, profile_name="p"))
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    assert isinstance(err, cognito_identity.exceptions.CredentialRetrievalError)
    message = err.response["Error"]["Message"]
    assert "custom-process (profile p)" in message and "vault is sealed" in message, message


def test_bad_process_output_never_shows_its_secrets(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.write("bad.py", 'print(\'{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "CANARY-SECRET-1"\')')
    home.config.write_text(f"[default]\ncredential_process = {sys.executable} {home.root}/bad.py\n")
    err = failure(client_in(home, monkeypatch))
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    assert "CANARY" not in str(err) and "CANARY" not in json.dumps(err.response, default=str)


def test_a_hung_process_times_out(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.write("hang.py", "import time; time.sleep(60)")
    home.config.write_text(f"[default]\ncredential_process = {sys.executable} {home.root}/hang.py\n")
    client = client_in(home, monkeypatch, config=cognito_identity.Config(credential_timeout=1))
    started = time.monotonic()
    err = failure(client)
    assert time.monotonic() - started < 10
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    assert "custom-process (profile default)" in err.response["Error"]["Message"]


def test_an_unreadable_token_file_names_web_identity(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.env.update(AWS_WEB_IDENTITY_TOKEN_FILE=str(home.root / "missing-token"), AWS_ROLE_ARN=ROLE + "x")
    err = failure(client_in(home, monkeypatch))
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    assert "assume-role-with-web-identity" in err.response["Error"]["Message"]


def test_metadata_garbage_is_no_credentials_not_a_crash(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in botocore, instance metadata (the last resort) that fails means
    "no credentials"; the message says what it answered."""
    home.env.pop("AWS_EC2_METADATA_DISABLED")
    home.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = home.fake.url + "/"
    home.fake.imds_answer = b"\x00\xff not json {"
    client = client_in(home, monkeypatch)
    err = failure(client)
    assert isinstance(err, cognito_identity.exceptions.NoCredentialsError)
    assert "instance metadata" in err.response["Error"]["Message"]
    fetched = len(home.fake.seen)
    assert isinstance(failure(client), cognito_identity.exceptions.NoCredentialsError)
    assert len(home.fake.seen) == fetched, "an absent last resort is not asked again"


def test_an_sts_error_reaches_the_caller(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(home, CASES["assume role from a source profile"])
    home.fake.sts_error = (403, "AccessDenied", "not allowed to assume dev")
    err = failure(client_in(home, monkeypatch, profile_name="dev"))
    message = err.response["Error"]["Message"]
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    assert "assume-role (profile dev)" in message and "not allowed to assume dev" in message, message


def test_a_profile_loop_is_an_error_at_once(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.config.write_text(
        f"[profile a]\nrole_arn = {ROLE}a\nsource_profile = b\n[profile b]\nrole_arn = {ROLE}b\nsource_profile = a\n"
    )
    with pytest.raises(cognito_identity.exceptions.InfiniteLoopConfigError):
        client_in(home, monkeypatch, profile_name="a")


def test_unsigned_operations_never_look_for_credentials(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.env.pop("AWS_EC2_METADATA_DISABLED")
    home.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = home.fake.url + "/"
    client = client_in(home, monkeypatch)
    assert client.credential_source is None
    client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert not [p for _, p in home.fake.seen if p.startswith("/latest")], home.fake.seen
    client.list_identity_pools(MaxResults=1)
    assert client.credential_source == "iam-role"


def test_temporary_credentials_refresh_and_a_failed_refresh_keeps_valid_ones(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.fake.ttl = timedelta(seconds=6)  # refresh windows shrink to 3 s and 1.5 s
    home.fake.container_token = "t1"
    home.env.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=home.fake.url + "/container/creds")
    home.env.update(AWS_CONTAINER_AUTHORIZATION_TOKEN="t1")
    client = client_in(home, monkeypatch)
    assert client.credential_source == "container-role"

    def container_fetches() -> int:
        return sum(1 for _, p in home.fake.seen if p == "/container/creds")

    client.list_identity_pools(MaxResults=1)
    client.list_identity_pools(MaxResults=1)
    assert container_fetches() == 1, "fresh credentials are reused"
    first_key = home.fake.calls[-1]["access_key_id"]
    time.sleep(3.5)  # in the advisory window; the endpoint now refuses
    home.fake.container_token = "rotated"
    client.list_identity_pools(MaxResults=1)
    assert container_fetches() == 2 and home.fake.calls[-1]["access_key_id"] == first_key
    time.sleep(2)  # in the mandatory window: the refresh's error is the call's
    err = failure(client)
    assert err.response["Error"]["Code"] == "CredentialRetrievalError"
    home.fake.container_token = "t1"
    client.list_identity_pools(MaxResults=1)
    assert container_fetches() == 4
