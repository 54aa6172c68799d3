"""Quick start: create an identity pool with roles, get an identity and its
temporary AWS credentials, and an OpenID token. Prints no secret.

    COGNITO_IDENTITY_ENDPOINT=http://127.0.0.1:PORT python examples/python/quickstart.py
    python examples/python/quickstart.py http://127.0.0.1:PORT
"""

from __future__ import annotations

import os
import sys

import cognito_identity

ROLE = "arn:aws:iam::123456789012:role/Cognito_Quickstart"


def main() -> int:
    endpoint = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COGNITO_IDENTITY_ENDPOINT")
    if not endpoint:
        print("usage: quickstart.py ENDPOINT_URL (or set COGNITO_IDENTITY_ENDPOINT)", file=sys.stderr)
        return 2
    client = cognito_identity.Client(
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        endpoint_url=endpoint,
        # The emulator's key; against AWS leave these out and use your usual credentials.
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
    )
    print(client)
    pool = client.create_identity_pool(IdentityPoolName="quickstart", AllowUnauthenticatedIdentities=True)
    pool_id = pool["IdentityPoolId"]
    client.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"unauthenticated": ROLE, "authenticated": ROLE})
    print(f"identity pool: {pool_id}")

    try:
        identity_id = client.get_id(IdentityPoolId=pool_id)["IdentityId"]
        print(f"identity id:   {identity_id}")
        creds = client.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
        expiration = creds.get("Expiration")
        print(f"access key id: {creds.get('AccessKeyId')}")
        print(f"expires at:    {expiration.isoformat() if expiration else 'unknown'}")
        token = client.get_open_id_token(IdentityId=identity_id)
        print(f"OpenID token:  {len(token.get('Token', ''))} characters (not printed)")
    except client.exceptions.ClientError as e:
        print(f"failed: {e.response['Error']['Code']}: {e.response['Error']['Message']}", file=sys.stderr)
        return 1
    finally:
        client.delete_identity_pool(IdentityPoolId=pool_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
