"""A script written for boto3's cognito-identity client. test_boto3_script.py
runs it unchanged with boto3's client and with ours and compares the results."""

from __future__ import annotations

from typing import Any, Dict

ROLE = "arn:aws:iam::123456789012:role/Cognito_Identity"


def run(client: Any) -> Dict[str, Any]:
    """Returns what the script saw, with the ids that must differ replaced."""
    seen: Dict[str, Any] = {}
    pool = client.create_identity_pool(
        IdentityPoolName="script pool",
        AllowUnauthenticatedIdentities=True,
        DeveloperProviderName="login.script.dev",
        SupportedLoginProviders={"graph.facebook.com": "app-id"},
        IdentityPoolTags={"owner": "script"},
    )
    pid = pool["IdentityPoolId"]
    seen["pool"] = {k: v for k, v in pool.items() if k not in ("IdentityPoolId", "ResponseMetadata")}
    client.set_identity_pool_roles(IdentityPoolId=pid, Roles={"authenticated": ROLE, "unauthenticated": ROLE})
    seen["roles"] = client.get_identity_pool_roles(IdentityPoolId=pid)["Roles"]

    # The credentials flow: unauthenticated, then a federated login.
    iid = client.get_id(IdentityPoolId=pid)["IdentityId"]
    creds = client.get_credentials_for_identity(IdentityId=iid)["Credentials"]
    seen["credential_keys"] = sorted(creds)
    seen["expiration_is_aware"] = creds["Expiration"].tzinfo is not None
    token = client.get_open_id_token(IdentityId=iid)
    seen["token_parts"] = len(token["Token"].split("."))
    fb = client.get_id(IdentityPoolId=pid, Logins={"graph.facebook.com": "fb-user"})["IdentityId"]
    seen["same_login_same_identity"] = (
        client.get_id(IdentityPoolId=pid, Logins={"graph.facebook.com": "fb-user"})["IdentityId"] == fb
    )
    seen["logins"] = client.describe_identity(IdentityId=fb).get("Logins")

    # Developer identities.
    dev = client.get_open_id_token_for_developer_identity(
        IdentityPoolId=pid, Logins={"login.script.dev": "alice"}, TokenDuration=900
    )
    seen["lookup"] = client.lookup_developer_identity(IdentityPoolId=pid, IdentityId=dev["IdentityId"], MaxResults=10)[
        "DeveloperUserIdentifierList"
    ]
    client.get_open_id_token_for_developer_identity(IdentityPoolId=pid, Logins={"login.script.dev": "bob"})
    merged = client.merge_developer_identities(
        SourceUserIdentifier="bob",
        DestinationUserIdentifier="alice",
        DeveloperProviderName="login.script.dev",
        IdentityPoolId=pid,
    )
    seen["merged_into_alice"] = merged["IdentityId"] == dev["IdentityId"]
    seen["after_merge"] = sorted(
        client.lookup_developer_identity(IdentityPoolId=pid, IdentityId=dev["IdentityId"], MaxResults=10)[
            "DeveloperUserIdentifierList"
        ]
    )

    # Errors.
    try:
        client.describe_identity_pool(IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000")
    except client.exceptions.ResourceNotFoundException as e:
        seen["error"] = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])

    # Pagination.
    for i in range(4):
        client.create_identity_pool(IdentityPoolName=f"extra{i}", AllowUnauthenticatedIdentities=False)
    paginator = client.get_paginator("list_identity_pools")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    seen["page_sizes"] = [len(p["IdentityPools"]) for p in pages]
    seen["pool_names"] = sorted(p["IdentityPoolName"] for page in pages for p in page["IdentityPools"])
    seen["identities"] = len(client.list_identities(IdentityPoolId=pid, MaxResults=60)["Identities"])
    seen["can_paginate"] = client.can_paginate("list_identity_pools")

    client.delete_identity_pool(IdentityPoolId=pid)
    return seen
