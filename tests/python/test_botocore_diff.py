"""Differential tests against botocore: for a corpus covering all 23
operations, our request has the target, content type and JSON body botocore
serializes, botocore's SigV4 signer computes our Authorization header from our
headers and time, and botocore's parser reads a response as we do."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import botocore.session
import cognito_identity
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from conftest import REGION

POOL = "us-east-1:11111111-2222-3333-4444-555555555555"
IDENT = "us-east-1:66666666-7777-8888-9999-000000000000"
ARN = f"arn:aws:cognito-identity:{REGION}:123456789012:identitypool/{POOL}"
ROLE = "arn:aws:iam::123456789012:role/r"

CORPUS: List[Tuple[str, Dict[str, Any]]] = [
    ("CreateIdentityPool", {"IdentityPoolName": "p", "AllowUnauthenticatedIdentities": False}),
    (
        "CreateIdentityPool",
        {
            "IdentityPoolName": "full pool",
            "AllowUnauthenticatedIdentities": True,
            "AllowClassicFlow": True,
            "SupportedLoginProviders": {"graph.facebook.com": "123", "accounts.google.com": "g"},
            "DeveloperProviderName": "login.dev",
            "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:oidc-provider/example.com"],
            "CognitoIdentityProviders": [
                {
                    "ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                    "ClientId": "c1",
                    "ServerSideTokenCheck": False,
                }
            ],
            "SamlProviderARNs": ["arn:aws:iam::123456789012:saml-provider/s"],
            "IdentityPoolTags": {"k": "v", "ünï": "cödé ✓"},
        },
    ),
    ("DeleteIdentities", {"IdentityIdsToDelete": [IDENT]}),
    ("DeleteIdentityPool", {"IdentityPoolId": POOL}),
    ("DescribeIdentity", {"IdentityId": IDENT}),
    ("DescribeIdentityPool", {"IdentityPoolId": POOL}),
    (
        "GetCredentialsForIdentity",
        {"IdentityId": IDENT, "Logins": {"graph.facebook.com": "tok"}, "CustomRoleArn": ROLE},
    ),
    ("GetId", {"IdentityPoolId": POOL}),
    ("GetId", {"AccountId": "123456789012", "IdentityPoolId": POOL, "Logins": {"accounts.google.com": "a.b.c"}}),
    ("GetIdentityPoolRoles", {"IdentityPoolId": POOL}),
    ("GetOpenIdToken", {"IdentityId": IDENT, "Logins": {"cognito-identity.amazonaws.com": "t"}}),
    (
        "GetOpenIdTokenForDeveloperIdentity",
        {
            "IdentityPoolId": POOL,
            "IdentityId": IDENT,
            "Logins": {"login.dev": "u"},
            "PrincipalTags": {"a": "b"},
            "TokenDuration": 3600,
        },
    ),
    ("GetPrincipalTagAttributeMap", {"IdentityPoolId": POOL, "IdentityProviderName": "graph.facebook.com"}),
    ("ListIdentities", {"IdentityPoolId": POOL, "MaxResults": 10, "NextToken": "n", "HideDisabled": True}),
    ("ListIdentityPools", {"MaxResults": 60}),
    ("ListTagsForResource", {"ResourceArn": ARN}),
    ("LookupDeveloperIdentity", {"IdentityPoolId": POOL, "DeveloperUserIdentifier": "u", "MaxResults": 5}),
    (
        "MergeDeveloperIdentities",
        {
            "SourceUserIdentifier": "a",
            "DestinationUserIdentifier": "b",
            "DeveloperProviderName": "login.dev",
            "IdentityPoolId": POOL,
        },
    ),
    (
        "SetIdentityPoolRoles",
        {
            "IdentityPoolId": POOL,
            "Roles": {"authenticated": ROLE, "unauthenticated": ROLE},
            "RoleMappings": {
                "graph.facebook.com": {
                    "Type": "Rules",
                    "AmbiguousRoleResolution": "Deny",
                    "RulesConfiguration": {
                        "Rules": [{"Claim": "sub", "MatchType": "Equals", "Value": "x", "RoleARN": ROLE}]
                    },
                }
            },
        },
    ),
    (
        "SetPrincipalTagAttributeMap",
        {
            "IdentityPoolId": POOL,
            "IdentityProviderName": "graph.facebook.com",
            "UseDefaults": False,
            "PrincipalTags": {"t": "sub"},
        },
    ),
    ("TagResource", {"ResourceArn": ARN, "Tags": {"a": "1"}}),
    (
        "UnlinkDeveloperIdentity",
        {
            "IdentityId": IDENT,
            "IdentityPoolId": POOL,
            "DeveloperProviderName": "login.dev",
            "DeveloperUserIdentifier": "u",
        },
    ),
    (
        "UnlinkIdentity",
        {"IdentityId": IDENT, "Logins": {"graph.facebook.com": "t"}, "LoginsToRemove": ["graph.facebook.com"]},
    ),
    ("UntagResource", {"ResourceArn": ARN, "TagKeys": ["a", "b"]}),
    ("UpdateIdentityPool", {"IdentityPoolId": POOL, "IdentityPoolName": "n", "AllowUnauthenticatedIdentities": True}),
]

SERVICE = botocore.session.get_session().get_service_model("cognito-identity")


def test_corpus_covers_every_operation() -> None:
    assert {op for op, _ in CORPUS} == set(SERVICE.operation_names)
    assert len(SERVICE.operation_names) == 23


def _sample(shape: Any, depth: int = 0) -> Any:
    """A value of every member of an output shape, for the parser comparison."""
    t = shape.type_name
    if t == "structure":
        return {} if depth > 5 else {n: _sample(m, depth + 1) for n, m in shape.members.items()}
    if t == "list":
        return [_sample(shape.member, depth + 1)]
    if t == "map":
        return {"key1": _sample(shape.value, depth + 1)}
    if t == "string":
        return shape.enum[0] if shape.enum else f"v-{shape.name}"
    if t in ("integer", "long"):
        return 42
    if t == "boolean":
        return True
    if t == "timestamp":
        return 1767225600.25
    raise AssertionError(t)


def _authorization(req: Dict[str, Any], body: bytes, token: Any) -> str:
    ours = req["headers"]["authorization"]
    signed = ours.split("SignedHeaders=")[1].split(",")[0].split(";")
    request = AWSRequest(method="POST", url=req["url"], data=body, headers={h: req["headers"][h] for h in signed})
    request.context["timestamp"] = req["headers"]["x-amz-date"]
    auth = SigV4Auth(Credentials("test", "test", token), "cognito-identity", REGION)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return f"AWS4-HMAC-SHA256 Credential={auth.scope(request)}, SignedHeaders={';'.join(signed)}, Signature={signature}"


@pytest.mark.parametrize("token", [None, "session-token-value"])
@pytest.mark.parametrize("op,params", CORPUS, ids=[f"{op}-{i}" for i, (op, _) in enumerate(CORPUS)])
def test_request_and_response_match_botocore(capture: Any, op: str, params: Dict[str, Any], token: Any) -> None:
    model = SERVICE.operation_model(op)
    output = _sample(model.output_shape) if model.output_shape is not None else {}
    payload = json.dumps(output).encode()
    capture.respond = lambda req: (200, {}, payload)
    client = cognito_identity.Client(
        region_name=REGION,
        endpoint_url=capture.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        aws_session_token=token,
    )
    ours = getattr(client, cognito_identity._operations.OPERATIONS[op])(**params)
    (req,) = capture.requests
    req["url"] = capture.url + req["path"]

    expected = create_serializer("json").serialize_to_request(params, model)
    assert req["path"] == "/"
    assert req["headers"]["x-amz-target"] == expected["headers"]["X-Amz-Target"]
    assert req["headers"]["content-type"] == expected["headers"]["Content-Type"]
    assert json.loads(req["body"]) == json.loads(expected["body"] or b"{}")

    if model.auth_type == "none" or "smithy.api#noAuth" in (model.auth or []):
        assert "authorization" not in req["headers"]
    else:
        assert req["headers"]["authorization"] == _authorization(req, req["body"], token)
        if token:
            assert req["headers"]["x-amz-security-token"] == token

    theirs = create_parser("json").parse(
        {"status_code": 200, "headers": {"x-amzn-requestid": "req-1"}, "body": payload}, model.output_shape
    )
    ours.pop("ResponseMetadata")
    theirs.pop("ResponseMetadata")
    assert ours == theirs  # aware datetimes compare as instants
