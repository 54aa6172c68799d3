"""cognito_identity.testing.Emulator: the emulator inside the Python process."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import boto3
import cognito_identity
import pytest
from cognito_identity.testing import Emulator


def test_serves_the_client_and_stops() -> None:
    with Emulator() as emu:
        assert emu.running and emu.url.startswith("http://127.0.0.1:")
        client = emu.client()
        pool = client.create_identity_pool(IdentityPoolName="inproc", AllowUnauthenticatedIdentities=True)
        identity = client.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
        assert identity.startswith("us-east-1:")
        seen = emu.requests()
        assert [r["headers"].get("x-amz-target") for r in seen][-1] == "AWSCognitoIdentityService.GetId"
        assert "running" in repr(emu)
    assert not emu.running
    assert "stopped" in repr(emu)
    with pytest.raises(RuntimeError, match="stopped"):
        emu.reset()
    emu.stop()  # idempotent


def test_boto3_works_against_it_too() -> None:
    with Emulator(region_name="eu-west-1", aws_access_key_id="AKIDLOCAL", aws_secret_access_key="s3cr3t") as emu:
        b3 = boto3.client(
            "cognito-identity",
            region_name="eu-west-1",
            endpoint_url=emu.url,
            aws_access_key_id="AKIDLOCAL",
            aws_secret_access_key="s3cr3t",
        )
        pool = b3.create_identity_pool(IdentityPoolName="b3", AllowUnauthenticatedIdentities=False)
        ours = emu.client().describe_identity_pool(IdentityPoolId=pool["IdentityPoolId"])
        assert ours["IdentityPoolName"] == "b3"
        wrong_key = emu.client(aws_access_key_id="test", aws_secret_access_key="test")
        with pytest.raises(cognito_identity.exceptions.ClientError) as e:
            wrong_key.list_identity_pools(MaxResults=1)
        assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_faults_reset_and_clock() -> None:
    with Emulator() as emu:
        client = emu.client(config=cognito_identity.Config(retries={"total_max_attempts": 1}))
        emu.inject_fault("malformed", operation="ListIdentityPools")
        with pytest.raises(cognito_identity.exceptions.ResponseParserError):
            client.list_identity_pools(MaxResults=1)
        emu.inject_fault("status", status=503, count=1)
        with pytest.raises(cognito_identity.exceptions.ClientError) as e:
            client.list_identity_pools(MaxResults=1)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        emu.inject_fault("throttle", count=3)
        emu.clear_faults()
        client.create_identity_pool(IdentityPoolName="gone", AllowUnauthenticatedIdentities=True)
        emu.reset()
        assert client.list_identity_pools(MaxResults=60)["IdentityPools"] == []
        emu.set_clock_offset(0)
        with pytest.raises(ValueError, match="kind must be one of throttle, status") as refused:
            emu.inject_fault("explode")
        import cognito_identity_emulator

        assert str(refused.value).endswith(", ".join(cognito_identity_emulator.FAULT_KINDS))
        for kind in cognito_identity_emulator.FAULT_KINDS:
            emu.inject_fault(kind, count=1)
        emu.clear_faults()


def test_the_production_package_carries_no_emulator() -> None:
    import cognito_identity._native as native

    assert not hasattr(native, "NativeEmulator")


def test_without_the_emulator_distribution_the_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['cognito_identity_emulator'] = None\n"
        "import cognito_identity.testing\n"
        "try:\n"
        "    cognito_identity.testing.Emulator()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "cognito-identity[emulator]"' in out.stdout, out


def test_the_extra_pins_the_emulator_of_the_same_version() -> None:
    import cognito_identity_emulator

    root = Path(__file__).resolve().parents[2]
    text = (root / "pyproject.toml").read_text()
    assert f'emulator = ["cognito-identity-emulator=={cognito_identity.__version__}"]' in text
    assert cognito_identity_emulator.__version__ == cognito_identity.__version__


def test_the_command_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("cognito-identity-emulator")
    assert command.exists(), "pip install puts the command beside python"
    port_file = tmp_path / "port"
    args = [str(command), "--port", "0", "--port-file", str(port_file)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith("cognito-identity-emulator listening on http://127.0.0.1:"), line
            url = line.split()[-1]
            assert url.endswith(":" + port_file.read_text().strip())
            client = cognito_identity.Client(
                region_name="us-east-1", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test"
            )
            assert client.list_identity_pools(MaxResults=1)["IdentityPools"] == []
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
    bad = subprocess.run([str(command), "--bogus"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown argument" in bad.stderr
