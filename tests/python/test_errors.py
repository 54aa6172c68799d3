"""Every exception class: modeled codes from a scripted server and the
emulator, client-side failures from configuration, faults and dead ports."""

from __future__ import annotations

import json
import socket
from typing import Any

import cognito_identity
import pytest
from cognito_identity import Config, exceptions
from conftest import REGION, free_port, make_pool

MODELED = [
    "ConcurrentModificationException",
    "DeveloperUserAlreadyRegisteredException",
    "ExternalServiceException",
    "InternalErrorException",
    "InvalidIdentityPoolConfigurationException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "ResourceConflictException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
]


def _client(url: str, **config: Any) -> cognito_identity.Client:
    return cognito_identity.Client(
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(initial_backoff=0.01, **config),
    )


@pytest.mark.parametrize("code", MODELED)
def test_each_modeled_code_raises_its_class(capture: Any, code: str) -> None:
    status = 500 if code == "InternalErrorException" else 400
    capture.respond = lambda req: (
        status,
        {},
        json.dumps({"__type": f"com.amazonaws#{code}", "message": "boom"}).encode(),
    )
    client = _client(capture.url, retries={"total_max_attempts": 1})
    cls = getattr(client.exceptions, code)
    assert issubclass(cls, exceptions.ClientError) and issubclass(cls, exceptions.CognitoIdentityError)
    with pytest.raises(cls) as info:
        client.describe_identity_pool(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    err = info.value
    assert err.operation_name == "DescribeIdentityPool"
    assert err.response["Error"] == {"Code": code, "Message": "boom", "Type": "Receiver" if status == 500 else "Sender"}
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert err.response["ResponseMetadata"]["RequestId"] == "req-1"
    assert str(err) == f"An error occurred ({code}) when calling the DescribeIdentityPool operation: boom"
    assert getattr(cognito_identity.exceptions, code) is cls


def test_unmodeled_code_is_a_plain_client_error(capture: Any) -> None:
    capture.respond = lambda req: (400, {"x-amzn-ErrorType": "SomethingNewException:http://x"}, b"{}")
    with pytest.raises(exceptions.ClientError) as info:
        _client(capture.url).get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert type(info.value) is exceptions.ClientError
    assert info.value.response["Error"]["Code"] == "SomethingNewException"


def test_operations_raise_from_the_native_call_through_the_registered_factory(capture: Any) -> None:
    import traceback

    from cognito_identity import _native

    capture.respond = lambda req: (400, {}, json.dumps({"__type": "NotAuthorizedException", "message": "no"}).encode())
    client = _client(capture.url, retries={"total_max_attempts": 1})
    # The operations call the native method itself: no Python frame of the package around it.
    assert type(client._call).__name__ == "builtin_function_or_method"
    with pytest.raises(exceptions.NotAuthorizedException) as info:
        client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert info.value.operation_name == "GetId" and info.value.response["Error"]["Message"] == "no"
    assert not any(f.filename.endswith("_client.py") for f in traceback.extract_tb(info.value.__traceback__))
    # A wrong Python type is the package's ParamTypeError (also a TypeError), named by its path.
    with pytest.raises(exceptions.ParamValidationError) as bad:
        client.get_id(IdentityPoolId="us-east-1:x", Logins={"a": object()})  # type: ignore[dict-item]
    assert isinstance(bad.value, TypeError) and "Logins.a" in str(bad.value)

    with pytest.raises(TypeError, match="must be callable"):
        _native.set_error_factory(42)  # type: ignore[arg-type]

    def broken(kind: str, document: Any, operation: Any) -> BaseException:
        raise RuntimeError(f"factory saw {kind} {operation}")

    _native.set_error_factory(broken)
    try:
        # The call's own error, NativeError(kind, document), caused by the factory's.
        with pytest.raises(_native.NativeError) as raw:
            client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
        assert raw.value.args[0] == "Service" and raw.value.args[1]["Error"]["Code"] == "NotAuthorizedException"
        assert isinstance(raw.value.__cause__, RuntimeError) and "factory saw Service GetId" in str(raw.value.__cause__)
    finally:
        _native.set_error_factory(exceptions.from_document)
    with pytest.raises(exceptions.NotAuthorizedException):
        client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")


def test_a_subclass_override_of_call_is_honoured(capture: Any) -> None:
    capture.respond = lambda req: (200, {}, b'{"IdentityId": "us-east-1:x"}')
    seen: list[str] = []

    class Traced(cognito_identity.Client):
        def _call(self, operation: str, params: Any) -> Any:
            seen.append(operation)
            return super()._call(operation, params)

    client = Traced(region_name=REGION, endpoint_url=capture.url, aws_access_key_id="a", aws_secret_access_key="b")
    assert client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")["IdentityId"] == "us-east-1:x"
    assert seen == ["GetId"]
    # The native method takes any mapping, not only a dict.
    from types import MappingProxyType

    got = client._call("GetId", MappingProxyType({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}))
    assert got["IdentityId"] == "us-east-1:x" and seen == ["GetId", "GetId"]


def test_emulator_errors(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_identity_pool(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    pid = make_pool(client)["IdentityPoolId"]
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.get_id(IdentityPoolId=pid, Logins={"accounts.google.com": "x"})
    client.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.example.dev": "u1"})
    other = client.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.example.dev": "u2"})
    with pytest.raises(client.exceptions.DeveloperUserAlreadyRegisteredException):
        client.get_open_id_token_for_developer_identity(
            IdentityPoolId=pid, IdentityId=other["IdentityId"], Logins={"login.example.dev": "u1"}
        )


def test_throttling_is_retried_then_raised(emu: Any) -> None:
    client = _client(emu.url)
    pid = make_pool(client)["IdentityPoolId"]
    emu.fault(kind="throttle", count=2, operation="GetId")
    out = client.get_id(IdentityPoolId=pid)
    assert out["ResponseMetadata"]["RetryAttempts"] == 2
    emu.fault(kind="throttle", count=5, operation="GetId")
    with pytest.raises(exceptions.TooManyRequestsException) as info:
        client.get_id(IdentityPoolId=pid)
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert "(reached max retries: 2)" in str(info.value)
    emu.clear_faults()
    emu.fault(kind="status", status=503, count=1, operation="GetId")
    one = _client(emu.url, retries={"max_attempts": 0})
    with pytest.raises(exceptions.ClientError) as info5:
        one.get_id(IdentityPoolId=pid)
    assert info5.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_transport_faults(emu: Any) -> None:
    client = _client(emu.url, retries={"total_max_attempts": 1}, read_timeout=0.3)
    pid = make_pool(client)["IdentityPoolId"]
    emu.fault(kind="malformed", operation="GetId")
    with pytest.raises(exceptions.ResponseParserError):
        client.get_id(IdentityPoolId=pid)
    emu.fault(kind="reset", operation="GetId")
    with pytest.raises(exceptions.HTTPClientError) as info:
        client.get_id(IdentityPoolId=pid)
    assert isinstance(info.value, (exceptions.ConnectionClosedError, exceptions.EndpointConnectionError))
    emu.fault(kind="delay", delay_ms=1500, operation="GetId")
    with pytest.raises(exceptions.ReadTimeoutError):
        client.get_id(IdentityPoolId=pid)
    emu.clear_faults()
    slow = _client(emu.url, total_timeout=0.3)
    emu.fault(kind="delay", delay_ms=1500, operation="GetId")
    with pytest.raises(exceptions.DeadlineExceededError):
        slow.get_id(IdentityPoolId=pid)


def test_connection_refused() -> None:
    client = _client(f"http://127.0.0.1:{free_port()}", retries={"total_max_attempts": 1})
    with pytest.raises(exceptions.EndpointConnectionError) as info:
        client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    assert info.value.response["Error"]["Type"] == "Client"


def test_connect_timeout() -> None:
    # A listening socket whose accept queue is full: further SYNs are dropped,
    # so the connect times out (without depending on the network outside).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        client = _client(f"http://127.0.0.1:{port}", connect_timeout=0.3, retries={"total_max_attempts": 1})
        with pytest.raises(exceptions.ConnectTimeoutError) as info:
            client.get_id(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
        assert isinstance(info.value, exceptions.EndpointConnectionError)
    finally:
        for s in fillers:
            s.close()
        listener.close()


def test_configuration_errors(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(exceptions.NoRegionError):
        cognito_identity.Client()
    with pytest.raises(exceptions.PartialCredentialsError):
        cognito_identity.Client(region_name=REGION, aws_access_key_id="AKID")
    with pytest.raises(exceptions.ProfileNotFound):
        cognito_identity.Client(region_name=REGION, profile_name="nope")
    with pytest.raises(exceptions.InvalidConfigError):
        cognito_identity.Client(region_name=REGION, config=Config(retries={"mode": "bogus"}))
    with pytest.raises(exceptions.InvalidConfigError, match="verify"):
        cognito_identity.Client(region_name=REGION, verify=0)
    with pytest.raises(exceptions.InvalidRegionError):
        cognito_identity.Client(region_name="not a region!")
    with pytest.raises(exceptions.BotoCoreError):
        cognito_identity.Client(region_name=REGION, endpoint_url="ftp://x")
    with pytest.raises(exceptions.OperationNotFoundError):
        cognito_identity.Client(region_name=REGION)._call("NoSuchOperation", {})


def test_profiles_and_env(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, emu: Any) -> None:
    creds = tmp_path / "credentials"
    creds.write_text("[dev]\naws_access_key_id = test\naws_secret_access_key = test\n")
    cfg = tmp_path / "config"
    cfg.write_text("[profile dev]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(cfg))
    client = cognito_identity.Client(profile_name="dev", endpoint_url=emu.url)
    assert client.meta.region_name == "eu-west-1"
    assert "shared-credentials-file (profile dev)" in repr(client)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY", emu.url)
    env_client = cognito_identity.Client()
    assert "credentials='env'" in repr(env_client) and env_client.meta.endpoint_url == emu.url
    assert env_client.list_identity_pools(MaxResults=5)["IdentityPools"] == []


def test_botocore_config_is_read(emu: Any) -> None:
    from botocore import UNSIGNED
    from botocore.config import Config as BotocoreConfig

    client = cognito_identity.Client(
        endpoint_url=emu.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=BotocoreConfig(
            region_name="eu-west-1", connect_timeout=2, retries={"max_attempts": 1, "mode": "standard"}
        ),
    )
    assert client.meta.region_name == "eu-west-1"
    unsigned = cognito_identity.Client(
        region_name=REGION,
        endpoint_url=emu.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=BotocoreConfig(signature_version=UNSIGNED),
    )
    assert "credentials='none'" in repr(unsigned)


def test_exception_classes_are_made_at_first_use_once() -> None:
    # A fresh interpreter: this process's tests have made every class already.
    script = r"""
import threading
from cognito_identity import exceptions
made = {k for k in vars(exceptions) if k[0].isupper() and k != "TYPE_CHECKING"}
assert made == {"CognitoIdentityError", "ClientError", "BotoCoreError", "HTTPClientError"}, made
assert "NotAuthorizedException" in dir(exceptions) and "ConnectTimeoutError" in exceptions.__all__
got, barrier = [], threading.Barrier(8)
def first_use():
    barrier.wait()
    got.append(exceptions.ConnectTimeoutError)
threads = [threading.Thread(target=first_use) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert len(got) == 8 and all(c is got[0] for c in got), got
assert got[0].__mro__[1:3] == (exceptions.EndpointConnectionError, exceptions.HTTPClientError)
assert got[0].__module__ == "cognito_identity.exceptions" and got[0].__doc__ == "The connect timeout expired."
from cognito_identity.exceptions import ParamTypeError
assert issubclass(ParamTypeError, (exceptions.ParamValidationError, TypeError))
e = exceptions.from_document("Type", {"Error": {"Code": "ParamValidationError", "Message": "m"}}, "GetId")
assert type(e) is ParamTypeError and str(e) == "Parameter validation failed:\nm", str(e)
try:
    exceptions.NotAnException
except AttributeError as e:
    assert "'cognito_identity.exceptions' has no attribute 'NotAnException'" in str(e), e
else:
    raise AssertionError("no AttributeError")
print("ok")
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr


def test_a_child_forked_while_a_class_is_being_made_can_make_classes() -> None:
    # The lock that makes a class once is renewed in a forked child: a thread of the
    # parent that held it at the fork does not exist there to release it.
    script = r"""
import os, threading, time
from cognito_identity import exceptions
held, release = threading.Event(), threading.Event()
def hold():
    with exceptions._MAKING:
        held.set()
        release.wait()
t = threading.Thread(target=hold)
t.start()
held.wait()
pid = os.fork()
if pid == 0:
    os._exit(0 if exceptions.SSLError.__name__ == "SSLError" else 1)
release.set()
t.join()
deadline = time.monotonic() + 20
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done or time.monotonic() > deadline:
        break
    time.sleep(0.01)
if not done:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise SystemExit("the child hangs on the lock")
assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
print("ok")
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "ok\n", (done.stdout, done.stderr)


def test_exception_tree_and_pickling() -> None:
    for name in exceptions.__all__:
        cls = getattr(exceptions, name)
        assert issubclass(cls, exceptions.CognitoIdentityError), name
    import pickle

    err = exceptions.NotAuthorizedException({"Error": {"Code": "NotAuthorizedException", "Message": "m"}}, "GetId")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.response == err.response and str(again) == str(err)
