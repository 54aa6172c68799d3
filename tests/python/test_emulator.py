"""Every operation, pagination, threads and redaction against the emulator."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cognito_identity
import pytest
from cognito_identity import SecretStr
from conftest import REGION, ROLE_ARN, make_pool


def test_every_operation(client: Any) -> None:
    pool = make_pool(client, IdentityPoolTags={"team": "a"})
    pid = pool["IdentityPoolId"]
    assert pool["IdentityPoolName"] == "pool"
    assert pool["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.describe_identity_pool(IdentityPoolId=pid)["IdentityPoolId"] == pid
    updated = client.update_identity_pool(
        IdentityPoolId=pid,
        IdentityPoolName="renamed",
        AllowUnauthenticatedIdentities=True,
        DeveloperProviderName="login.example.dev",
        SupportedLoginProviders={"graph.facebook.com": "1234"},
    )
    assert updated["IdentityPoolName"] == "renamed"
    pools = client.list_identity_pools(MaxResults=10)["IdentityPools"]
    assert [p["IdentityPoolId"] for p in pools] == [pid]

    client.set_identity_pool_roles(IdentityPoolId=pid, Roles={"unauthenticated": ROLE_ARN})
    assert client.get_identity_pool_roles(IdentityPoolId=pid)["Roles"] == {"unauthenticated": ROLE_ARN}
    client.set_identity_pool_roles(IdentityPoolId=pid, Roles={"unauthenticated": ROLE_ARN, "authenticated": ROLE_ARN})

    arn = f"arn:aws:cognito-identity:{REGION}:123456789012:identitypool/{pid}"
    client.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "a", "env": "test"}
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}

    iid = client.get_id(IdentityPoolId=pid)["IdentityId"]
    creds = client.get_credentials_for_identity(IdentityId=iid)
    assert creds["IdentityId"] == iid
    expiration = creds["Credentials"]["Expiration"]
    assert isinstance(expiration, dt.datetime) and expiration.tzinfo is not None
    assert expiration.utcoffset() == dt.timedelta(0)
    assert expiration > dt.datetime.now(dt.timezone.utc)
    token = client.get_open_id_token(IdentityId=iid)
    assert token["IdentityId"] == iid and token["Token"].count(".") == 2

    desc = client.describe_identity(IdentityId=iid)
    assert desc["IdentityId"] == iid and isinstance(desc["CreationDate"], dt.datetime)
    listed = client.list_identities(IdentityPoolId=pid, MaxResults=10)
    assert [i["IdentityId"] for i in listed["Identities"]] == [iid]

    dev = client.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.example.dev": "user-1"})
    dev_id = dev["IdentityId"]
    found = client.lookup_developer_identity(IdentityPoolId=pid, IdentityId=dev_id, MaxResults=10)
    assert found["DeveloperUserIdentifierList"] == ["user-1"]
    dev2 = client.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.example.dev": "user-2"})
    merged = client.merge_developer_identities(
        SourceUserIdentifier="user-2",
        DestinationUserIdentifier="user-1",
        DeveloperProviderName="login.example.dev",
        IdentityPoolId=pid,
    )
    assert merged["IdentityId"] == dev_id
    assert dev2["IdentityId"] != dev_id
    client.unlink_developer_identity(
        IdentityId=dev_id,
        IdentityPoolId=pid,
        DeveloperProviderName="login.example.dev",
        DeveloperUserIdentifier="user-2",
    )

    fb = client.get_id(IdentityPoolId=pid, Logins={"graph.facebook.com": "fb-token"})["IdentityId"]
    client.unlink_identity(
        IdentityId=fb, Logins={"graph.facebook.com": "fb-token"}, LoginsToRemove=["graph.facebook.com"]
    )

    client.set_principal_tag_attribute_map(
        IdentityPoolId=pid, IdentityProviderName="graph.facebook.com", PrincipalTags={"id": "sub"}
    )
    tags = client.get_principal_tag_attribute_map(IdentityPoolId=pid, IdentityProviderName="graph.facebook.com")
    assert tags["PrincipalTags"] == {"id": "sub"}

    out = client.delete_identities(IdentityIdsToDelete=[iid])
    assert out["UnprocessedIdentityIds"] == []
    client.delete_identity_pool(IdentityPoolId=pid)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_identity_pool(IdentityPoolId=pid)


def test_unsigned_operations_need_no_credentials(emu: Any, client: Any) -> None:
    pid = make_pool(client)["IdentityPoolId"]
    anon = cognito_identity.Client(region_name=REGION, endpoint_url=emu.url)
    assert "credentials='none'" in repr(anon)
    iid = anon.get_id(IdentityPoolId=pid)["IdentityId"]
    assert anon.get_credentials_for_identity(IdentityId=iid)["Credentials"]["AccessKeyId"]
    with pytest.raises(cognito_identity.exceptions.NoCredentialsError):
        anon.list_identity_pools(MaxResults=1)


def test_secrets_are_redacted_in_repr_and_real_when_indexed(client: Any) -> None:
    pid = make_pool(client)["IdentityPoolId"]
    iid = client.get_id(IdentityPoolId=pid)["IdentityId"]
    out = client.get_credentials_for_identity(IdentityId=iid)
    secret = out["Credentials"]["SecretKey"]
    session = out["Credentials"]["SessionToken"]
    for text in (repr(out), str(out), repr(out["Credentials"])):
        assert secret not in text and session not in text
        assert "*** redacted ***" in text
        assert out["Credentials"]["AccessKeyId"] in text
    assert isinstance(secret, SecretStr) and isinstance(secret, str)
    assert secret == str(secret) and len(secret) > 10
    assert type(pickle.loads(pickle.dumps(secret))) is str
    token = client.get_open_id_token(IdentityId=iid)
    assert token["Token"] not in repr(token)
    assert "secret" not in repr(client).lower() or "test" not in repr(client)
    assert repr(client) == (
        f"cognito_identity.Client(region_name='{REGION}', endpoint_url='{client.meta.endpoint_url}', "
        "credentials='explicit')"
    )


def test_meta(emu: Any, client: Any) -> None:
    assert client.meta.region_name == REGION
    assert client.meta.endpoint_url == emu.url
    assert client.meta.method_to_api_mapping["get_id"] == "GetId"
    default = cognito_identity.Client(region_name="eu-west-1")
    assert default.meta.endpoint_url == "https://cognito-identity.eu-west-1.amazonaws.com"
    fips = cognito_identity.Client(region_name="us-east-1", config=cognito_identity.Config(use_fips_endpoint=True))
    assert fips.meta.endpoint_url == "https://cognito-identity-fips.us-east-1.amazonaws.com"


def _pools(client: Any, n: int) -> list[str]:
    return [make_pool(client, IdentityPoolName=f"pool{i}")["IdentityPoolId"] for i in range(n)]


def test_paginators(client: Any) -> None:
    ids = _pools(client, 7)
    assert client.can_paginate("list_identity_pools")
    assert client.can_paginate("list_identities")
    assert client.can_paginate("lookup_developer_identity")
    assert not client.can_paginate("get_id")
    pager = client.get_paginator("list_identity_pools")
    pages = list(pager.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["IdentityPools"]) for p in pages] == [3, 3, 1]
    assert sorted(p["IdentityPoolId"] for page in pages for p in page["IdentityPools"]) == sorted(ids)

    first = pager.paginate(PaginationConfig={"PageSize": 3, "MaxItems": 4}).build_full_result()
    assert len(first["IdentityPools"]) == 4 and "NextToken" in first
    rest = pager.paginate(PaginationConfig={"PageSize": 3, "StartingToken": first["NextToken"]}).build_full_result()
    got = [p["IdentityPoolId"] for p in first["IdentityPools"] + rest["IdentityPools"]]
    assert sorted(got) == sorted(ids) and len(set(got)) == 7
    assert "NextToken" not in rest
    # No PageSize: the largest page.
    assert len(pager.paginate().build_full_result()["IdentityPools"]) == 7

    pid = ids[0]
    for _ in range(5):
        client.get_id(IdentityPoolId=pid, Logins={"graph.facebook.com": f"user{_}"})
    identities = client.get_paginator("list_identities").paginate(IdentityPoolId=pid, PaginationConfig={"PageSize": 2})
    assert sum(len(p["Identities"]) for p in identities) == 5
    assert identities.build_full_result()["IdentityPoolId"] == pid

    with pytest.raises(cognito_identity.exceptions.OperationNotFoundError):
        client.get_paginator("get_id")


def test_paginator_resume_token_is_botocores(emu: Any, client: Any) -> None:
    import boto3

    _pools(client, 5)
    ours = client.get_paginator("list_identity_pools").paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3})
    ours_full = ours.build_full_result()
    b = boto3.client(
        "cognito-identity",
        region_name=REGION,
        endpoint_url=emu.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    theirs = b.get_paginator("list_identity_pools").paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3})
    theirs_full = theirs.build_full_result()
    assert ours_full == theirs_full
    rest = (
        b.get_paginator("list_identity_pools")
        .paginate(PaginationConfig={"PageSize": 2, "StartingToken": ours_full["NextToken"]})
        .build_full_result()
    )
    assert len(rest["IdentityPools"]) == 2


def test_threads_run_in_parallel(emu: Any, client: Any) -> None:
    pid = make_pool(client)["IdentityPoolId"]
    delay = 0.4
    emu.fault(kind="delay", count=8, operation="GetId", delay_ms=int(delay * 1000))
    start = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda _: client.get_id(IdentityPoolId=pid)["IdentityId"], range(8)))
    elapsed = time.monotonic() - start
    assert len(ids) == 8
    # Serially this is 8 * 0.4 = 3.2 s; with the GIL released, about 0.4 s.
    assert elapsed < 8 * delay / 2, elapsed


def test_validation_errors_name_the_member(client: Any) -> None:
    errors = cognito_identity.exceptions
    with pytest.raises(errors.ParamValidationError, match="IdentityPoolId"):
        client.get_id()
    with pytest.raises(errors.ParamValidationError, match="MaxResults"):
        client.list_identity_pools(MaxResults=0)
    with pytest.raises(TypeError, match=r"Logins\.x"):
        client.get_id(IdentityPoolId="us-east-1:x", Logins={"x": object()})
    with pytest.raises(errors.ParamTypeError, match="dict keys must be str"):
        client.get_id(IdentityPoolId="us-east-1:x", Logins={1: "a"})
    with pytest.raises(errors.ParamTypeError, match="not a finite number"):
        client.list_identity_pools(MaxResults=float("inf"))
    with pytest.raises(errors.ParamTypeError, match="nested"):
        deep: Any = "x"
        for _ in range(100):
            deep = [deep]
        client.delete_identities(IdentityIdsToDelete=deep)
    with pytest.raises(TypeError):
        client.get_id("positional")
