"""Against moto's server, for the operations moto implements."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import cognito_identity
import pytest
from conftest import REGION


@pytest.fixture()
def pair(moto_url: str) -> Any:
    kwargs = dict(region_name=REGION, endpoint_url=moto_url, aws_access_key_id="test", aws_secret_access_key="test")
    return cognito_identity.Client(**kwargs), boto3.client("cognito-identity", **kwargs)


def test_pools_against_moto(pair: Any) -> None:
    ours, theirs = pair
    pool = ours.create_identity_pool(IdentityPoolName="moto_pool", AllowUnauthenticatedIdentities=True)
    pid = pool["IdentityPoolId"]
    described = ours.describe_identity_pool(IdentityPoolId=pid)
    expected = theirs.describe_identity_pool(IdentityPoolId=pid)
    described.pop("ResponseMetadata")
    expected.pop("ResponseMetadata")
    assert described == expected
    updated = ours.update_identity_pool(
        IdentityPoolId=pid, IdentityPoolName="moto_pool2", AllowUnauthenticatedIdentities=False
    )
    assert updated["IdentityPoolId"] == pid
    after, expected_after = (c.describe_identity_pool(IdentityPoolId=pid) for c in (ours, theirs))
    after.pop("ResponseMetadata")
    expected_after.pop("ResponseMetadata")
    assert after == expected_after
    listed = ours.list_identity_pools(MaxResults=60)["IdentityPools"]
    assert pid in [p["IdentityPoolId"] for p in listed]
    pages = list(ours.get_paginator("list_identity_pools").paginate(PaginationConfig={"PageSize": 10}))
    assert pid in [p["IdentityPoolId"] for page in pages for p in page["IdentityPools"]]
    ours.delete_identity_pool(IdentityPoolId=pid)
    with pytest.raises(ours.exceptions.ResourceNotFoundException):
        ours.describe_identity_pool(IdentityPoolId=pid)


def test_identity_flow_against_moto(pair: Any) -> None:
    ours, _ = pair
    pid = ours.create_identity_pool(IdentityPoolName="flow", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    iid = ours.get_id(IdentityPoolId=pid)["IdentityId"]
    creds = ours.get_credentials_for_identity(IdentityId=iid)
    assert isinstance(creds["Credentials"]["Expiration"], dt.datetime)
    assert creds["Credentials"]["Expiration"].tzinfo is not None
    assert creds["Credentials"]["SecretKey"] not in repr(creds)
    assert ours.get_open_id_token(IdentityId=iid)["IdentityId"] == iid
    dev = ours.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.dev": "u"})
    assert dev["Token"]
    ids = ours.list_identities(IdentityPoolId=pid, MaxResults=10)
    assert ids["IdentityPoolId"] == pid
