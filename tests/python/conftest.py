"""Fixtures: the emulator and moto's server as subprocesses, a capture server, clean AWS env."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Tuple, Type

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMULATOR = os.path.join(ROOT, "target", "debug", "cognito-identity-emulator")
REGION = "us-east-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/Cognito_Unauth"


def _stop(proc: subprocess.Popen[Any]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


class Emulator:
    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def fault(self, **fault: Any) -> None:
        self.control("POST", "/_emulator/faults", fault)

    def clear_faults(self) -> None:
        self.control("DELETE", "/_emulator/faults")


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    if not os.path.exists(EMULATOR):
        pytest.fail(f"{EMULATOR} is missing: run cargo build -p cognito-identity-emulator")
    proc = subprocess.Popen([EMULATOR, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    prefix = "cognito-identity-emulator listening on "
    if not line.startswith(prefix):
        _stop(proc)
        pytest.fail(f"unexpected first line from the emulator: {line!r}")
    emu = Emulator(line[len(prefix) :])
    try:
        yield emu
    finally:
        _stop(proc)


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No setting of the machine leaks into a test: every AWS_* variable is
    removed and the shared files point at nothing."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture()
def emu(emulator: Emulator) -> Iterator[Emulator]:
    """The session's emulator, reset to an empty state for this test."""
    emulator.control("POST", "/_emulator/reset")
    emulator.clear_faults()
    yield emulator
    emulator.clear_faults()


@pytest.fixture()
def client(emu: Emulator) -> Any:
    import cognito_identity

    return cognito_identity.Client(
        region_name=REGION,
        endpoint_url=emu.url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=cognito_identity.Config(initial_backoff=0.01),
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    exe = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or shutil.which("moto_server")
    if exe is None:
        pytest.fail("moto_server is not installed (pip install 'moto[server]')")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "-p", str(port), "-H", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=2).close()
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                _stop(proc)
                pytest.fail("moto_server did not start")
            time.sleep(0.2)
    try:
        yield url
    finally:
        _stop(proc)


Captured = Dict[str, Any]
Responder = Callable[[Captured], Tuple[int, Dict[str, str], bytes]]


class QuietHandler(BaseHTTPRequestHandler):
    """An HTTP/1.1 (keep-alive) request handler that logs nothing."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LoopbackServer:
    """Serves ``handler`` on 127.0.0.1 (a free port) from a daemon thread."""

    def __init__(self, handler: Type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class CaptureServer(LoopbackServer):
    """A local HTTP server recording each request (headers unredacted) and
    answering with what ``respond`` returns; for the differential tests."""

    def __init__(self) -> None:
        self.requests: List[Captured] = []
        self.respond: Responder = lambda req: (200, {}, b"{}")
        outer = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                req = {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
                outer.requests.append(req)
                status, headers, payload = outer.respond(req)
                self.send_response(status)
                headers = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-1", **headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        super().__init__(Handler)


@pytest.fixture()
def capture() -> Iterator[CaptureServer]:
    server = CaptureServer()
    try:
        yield server
    finally:
        server.close()


def make_pool(client: Any, **extra: Any) -> Dict[str, Any]:
    params: Dict[str, Any] = {
        "IdentityPoolName": "pool",
        "AllowUnauthenticatedIdentities": True,
        "DeveloperProviderName": "login.example.dev",
        "SupportedLoginProviders": {"graph.facebook.com": "1234"},
    }
    params.update(extra)
    pool: Dict[str, Any] = client.create_identity_pool(**params)
    client.set_identity_pool_roles(
        IdentityPoolId=pool["IdentityPoolId"], Roles={"unauthenticated": ROLE_ARN, "authenticated": ROLE_ARN}
    )
    return pool
