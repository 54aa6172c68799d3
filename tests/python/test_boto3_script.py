"""The same boto3 script against boto3's client and ours: equal results."""

from __future__ import annotations

from typing import Any

import boto3
import cognito_identity
from boto3_script import run
from conftest import REGION


def test_script_runs_unchanged_with_equal_results(emu: Any) -> None:
    kwargs = dict(region_name=REGION, endpoint_url=emu.url, aws_access_key_id="test", aws_secret_access_key="test")
    theirs = run(boto3.client("cognito-identity", **kwargs))
    emu.control("POST", "/_emulator/reset")
    ours = run(cognito_identity.Client(**kwargs))
    assert ours == theirs
    assert ours["page_sizes"] == [2, 2, 1]
    # boto3 returns the Expiration as an aware datetime too (its parser's tzlocal/tzutc).
    assert ours["expiration_is_aware"]
