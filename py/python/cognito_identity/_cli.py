"""The ``cognito-identity`` command.

``cognito-identity credential-process --identity-pool-id ID [--login PROVIDER=TOKEN]...``
prints AWS credentials of a Cognito identity pool in the ``credential_process``
form (Version 1), so that any AWS SDK or the AWS CLI can use an identity pool::

    [profile cognito]
    credential_process = cognito-identity credential-process --identity-pool-id us-east-1:...
        --login accounts.google.com=@/run/token

(one line in the file).

The identity id and the credentials are cached on disk (0600 files under
``$XDG_CACHE_HOME/cognito-identity``), so running it for every process does not
call Cognito every time. Errors go to stderr with a non-zero exit.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Dict, List, Optional

PROG = "cognito-identity"


def _parser() -> argparse.ArgumentParser:
    import argparse

    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG, description="Amazon Cognito Identity from the command line (cognito-identity client)."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cp = commands.add_parser(
        "credential-process",
        help="print an identity pool's AWS credentials for credential_process",
        description="Prints AWS credentials of a Cognito identity pool as credential_process JSON (Version 1).",
    )
    cp.add_argument("--identity-pool-id", required=True, help="e.g. us-east-1:00000000-0000-0000-0000-000000000000")
    cp.add_argument(
        "--login",
        action="append",
        default=[],
        metavar="PROVIDER=TOKEN",
        help="a login (repeatable); PROVIDER=@FILE reads the token from FILE at each run",
    )
    cp.add_argument("--custom-role-arn", help="the role to assume (enhanced flow)")
    cp.add_argument("--role-arn", help="use the classic flow (STS AssumeRoleWithWebIdentity) for this role")
    cp.add_argument("--role-session-name", help="the STS session name of the classic flow")
    cp.add_argument("--region", help="default: the pool id's region")
    cp.add_argument("--endpoint-url", help="Cognito Identity's endpoint (e.g. a local emulator)")
    cp.add_argument("--sts-endpoint-url", help="STS's endpoint for the classic flow")
    cache = cp.add_mutually_exclusive_group()
    cache.add_argument("--cache-dir", help="where identity ids and credentials are cached")
    cache.add_argument("--no-cache", action="store_true", help="cache nothing on disk")
    return parser


def _logins(specs: List[str]) -> Dict[str, str]:
    logins: Dict[str, str] = {}
    for spec in specs:
        provider, sep, token = spec.partition("=")
        if not sep or not provider or not token:
            raise ValueError(f"--login must look like PROVIDER=TOKEN or PROVIDER=@FILE, not {provider + sep!r}...")
        if token.startswith("@"):
            path = token[1:]
            try:
                with open(path, encoding="utf-8") as f:
                    token = f.read().strip()
            except OSError as e:
                raise ValueError(f"--login {provider}=@{path}: cannot read the token file ({e.strerror})") from None
            if not token:
                raise ValueError(f"--login {provider}=@{path}: the token file is empty")
        logins[provider] = token
    return logins


def credential_process(args: argparse.Namespace) -> int:
    import json

    from ._identity_pool import IdentityPoolCredentials

    creds = IdentityPoolCredentials(
        args.identity_pool_id,
        logins=_logins(args.login),
        custom_role_arn=args.custom_role_arn,
        flow="classic" if args.role_arn else "enhanced",
        role_arn=args.role_arn,
        role_session_name=args.role_session_name,
        region_name=args.region,
        endpoint_url=args.endpoint_url,
        sts_endpoint_url=args.sts_endpoint_url,
        cache_dir=False if args.no_cache else args.cache_dir,
        cache_credentials=not args.no_cache,
    ).get()
    doc = {
        "Version": 1,
        "AccessKeyId": creds.access_key,
        "SecretAccessKey": creds.secret_key,
        "SessionToken": creds.token,
        "Expiration": creds.expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    print(json.dumps(doc))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    import sys

    from .exceptions import CognitoIdentityError

    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help(sys.stderr)
        return 2
    try:
        return credential_process(args)
    except CognitoIdentityError as e:
        error = e.response.get("Error", {})
        print(f"{PROG} {args.command}: {error.get('Code')}: {error.get('Message')}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"{PROG} {args.command}: {e}", file=sys.stderr)
        return 2
