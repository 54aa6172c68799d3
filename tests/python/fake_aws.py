"""Fake AWS credential endpoints on loopback, for the credential-source tests.

One HTTP server answers as:
- the EC2 instance metadata service, IMDSv2 (``PUT /latest/api/token``, then the
  role name and its credentials under ``/latest/meta-data/iam/security-credentials/``);
- the ECS / EKS Pod Identity container endpoint (``GET /container/creds``, checking
  the ``Authorization`` header against ``container_token``);
- STS (``POST /`` with a form body): AssumeRole and AssumeRoleWithWebIdentity;
- IAM Identity Center (``GET /federation/credentials``): GetRoleCredentials;
- Cognito Identity (``POST /`` with ``X-Amz-Target``): records the SigV4 access key
  and session token it was signed with, and answers an empty list.

Every credential is derived from what was asked (role, caller key, token), so two
clients resolving the same source get the same keys, and a chain of roles shows in
the key of its last link.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

IMDS_ROLE = "fake-instance-role"
IMDS_TOKEN = "fake-imds-token"


def derived(kind: str, *parts: str) -> Dict[str, str]:
    """Credentials for ``kind`` and its inputs, the same every time."""
    digest = hashlib.sha256("|".join((kind, *parts)).encode()).hexdigest().upper()
    return {
        "AccessKeyId": f"ASIA{kind[:4].upper()}{digest[:12]}",
        "SecretAccessKey": f"secret-{digest[12:40]}",
        "SessionToken": f"token-{kind}-{digest[40:56]}",
    }


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def signing_key_id(headers: Dict[str, str]) -> Optional[str]:
    auth = headers.get("authorization", "")
    marker = "Credential="
    if marker not in auth:
        return None
    return auth.split(marker, 1)[1].split("/", 1)[0]


class FakeAws:
    """The server; ``url`` is its address, ``calls`` what Cognito saw."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.seen: List[Tuple[str, str]] = []
        self.container_token: Optional[str] = None
        self.imds_answer: Optional[bytes] = None  # garbage to answer instead of credentials
        self.sts_error: Optional[Tuple[int, str, str]] = None  # (status, code, message)
        self.ttl = timedelta(hours=1)
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _send(self, status: int, body: bytes, content_type: str = "application/json", **extra: str) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                for k, v in extra.items():
                    self.send_header(k.replace("_", "-"), v)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _headers(self) -> Dict[str, str]:
                return {k.lower(): v for k, v in self.headers.items()}

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("content-length", "0") or 0))

            def do_PUT(self) -> None:
                self._body()
                outer.note("PUT", self.path)
                ttl = self.headers.get("x-aws-ec2-metadata-token-ttl-seconds")
                if self.path == "/latest/api/token" and ttl:
                    self._send(200, IMDS_TOKEN.encode(), "text/plain", x_aws_ec2_metadata_token_ttl_seconds=ttl)
                else:
                    self._send(404, b"")

            def do_GET(self) -> None:
                outer.note("GET", self.path)
                status, body, ctype = outer.get(self.path, self._headers())
                self._send(status, body, ctype)

            def do_POST(self) -> None:
                body = self._body()
                headers = self._headers()
                outer.note("POST", self.path)
                if "x-amz-target" in headers:
                    with outer.lock:
                        outer.calls.append(
                            {
                                "target": headers["x-amz-target"],
                                "access_key_id": signing_key_id(headers),
                                "session_token": headers.get("x-amz-security-token"),
                            }
                        )
                    self._send(200, json.dumps({"IdentityPools": []}).encode(), "application/x-amz-json-1.1")
                    return
                status, payload = outer.sts(urllib.parse.parse_qs(body.decode()), headers)
                self._send(status, payload, "text/xml")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def note(self, method: str, path: str) -> None:
        with self.lock:
            self.seen.append((method, path.split("?", 1)[0]))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def expiration(self) -> datetime:
        return datetime.now(timezone.utc).replace(microsecond=0) + self.ttl

    def get(self, path: str, headers: Dict[str, str]) -> Tuple[int, bytes, str]:
        parsed = urllib.parse.urlparse(path)
        if parsed.path.startswith("/latest/meta-data/iam/security-credentials"):
            if headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
                return 401, b"", "text/plain"
            if parsed.path.rstrip("/").endswith("security-credentials"):
                return 200, IMDS_ROLE.encode(), "text/plain"
            if self.imds_answer is not None:
                return 200, self.imds_answer, "application/json"
            creds = derived("imds", parsed.path.rsplit("/", 1)[-1])
            doc = {
                "Code": "Success",
                "LastUpdated": iso(datetime.now(timezone.utc)),
                "Type": "AWS-HMAC",
                "AccessKeyId": creds["AccessKeyId"],
                "SecretAccessKey": creds["SecretAccessKey"],
                "Token": creds["SessionToken"],
                "Expiration": iso(self.expiration()),
            }
            return 200, json.dumps(doc).encode(), "application/json"
        if parsed.path == "/container/creds":
            if self.container_token is not None and headers.get("authorization") != self.container_token:
                return 403, b'{"message": "bad token"}', "application/json"
            creds = derived("container", headers.get("authorization", ""))
            doc = {
                "AccessKeyId": creds["AccessKeyId"],
                "SecretAccessKey": creds["SecretAccessKey"],
                "Token": creds["SessionToken"],
                "Expiration": iso(self.expiration()),
            }
            return 200, json.dumps(doc).encode(), "application/json"
        if parsed.path == "/federation/credentials":
            q = urllib.parse.parse_qs(parsed.query)
            bearer = headers.get("x-amz-sso_bearer_token", "")
            if not bearer:
                return 401, b'{"message": "no token"}', "application/json"
            creds = derived("sso", q["account_id"][0], q["role_name"][0], bearer)
            doc = {
                "roleCredentials": {
                    "accessKeyId": creds["AccessKeyId"],
                    "secretAccessKey": creds["SecretAccessKey"],
                    "sessionToken": creds["SessionToken"],
                    "expiration": int(self.expiration().timestamp() * 1000),
                }
            }
            return 200, json.dumps(doc).encode(), "application/json"
        return 404, b"", "text/plain"

    def sts(self, form: Dict[str, List[str]], headers: Dict[str, str]) -> Tuple[int, bytes]:
        action = form.get("Action", [""])[0]
        if self.sts_error is not None:
            status, code, message = self.sts_error
            return status, (
                '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
                f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            ).encode()
        role = form.get("RoleArn", [""])[0]
        session = form.get("RoleSessionName", ["session"])[0]
        if action == "AssumeRole":
            creds = derived("assume", role, signing_key_id(headers) or "unsigned", form.get("ExternalId", [""])[0])
        elif action == "AssumeRoleWithWebIdentity":
            creds = derived("webid", role, form.get("WebIdentityToken", [""])[0])
        else:
            return 400, b"<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>"
        extra = "<SubjectFromWebIdentityToken>subject</SubjectFromWebIdentityToken>" if "Web" in action else ""
        xml = f"""<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    {extra}
    <Credentials>
      <AccessKeyId>{creds["AccessKeyId"]}</AccessKeyId>
      <SecretAccessKey>{creds["SecretAccessKey"]}</SecretAccessKey>
      <SessionToken>{creds["SessionToken"]}</SessionToken>
      <Expiration>{iso(self.expiration())}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAFAKE:{session}</AssumedRoleId>
      <Arn>{role.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/{session}</Arn>
    </AssumedRoleUser>
  </{action}Result>
  <ResponseMetadata><RequestId>{int(time.time() * 1000)}</RequestId></ResponseMetadata>
</{action}Response>"""
        return 200, xml.encode()
