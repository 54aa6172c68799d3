"""cognito_identity.testing.Emulator: the emulator inside the Python process."""

from __future__ import annotations

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
        with pytest.raises(ValueError, match="kind must be one of"):
            emu.inject_fault("explode")
