"""HTTPS trust against loopback servers with certificates made here: the CA
bundle given is trusted; an unknown CA, a wrong host name, an expired
certificate and a TLS 1.1-only server are refused with an SSLError saying why;
``verify=False`` accepts the certificates (with one warning) but not TLS 1.1."""

from __future__ import annotations

import datetime
import ssl
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

import cognito_identity
import pytest
from cognito_identity import exceptions
from conftest import REGION
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


class Ca:
    def __init__(self, name: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    def pem(self, path: Path) -> str:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return str(path)

    def leaf(self, tmp: Path, names: List[str], expired: bool = False) -> Tuple[str, str]:
        key = ec.generate_private_key(ec.SECP256R1())
        start, end = (
            (NOW - datetime.timedelta(days=60), NOW - datetime.timedelta(days=30))
            if expired
            else (
                NOW - datetime.timedelta(days=1),
                NOW + datetime.timedelta(days=30),
            )
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        cert_path, key_path = tmp / f"{names[0]}-{expired}.crt", tmp / f"{names[0]}-{expired}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return str(cert_path), str(key_path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        body = b'{"IdentityPools": []}'
        self.send_response(200)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class TlsServer:
    def __init__(self, cert: str, key: str, tls11_only: bool = False) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if tls11_only:
            context.set_ciphers("DEFAULT@SECLEVEL=0")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                context.minimum_version = ssl.TLSVersion.TLSv1_1
                context.maximum_version = ssl.TLSVersion.TLSv1_1
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def servers(tmp_path: Path) -> Iterator[Any]:
    started: List[TlsServer] = []

    def start(cert: str, key: str, tls11_only: bool = False) -> int:
        server = TlsServer(cert, key, tls11_only)
        started.append(server)
        return server.port

    yield start
    for s in started:
        s.close()


def call(port: int, verify: Any = None) -> Any:
    client = cognito_identity.Client(
        region_name=REGION,
        endpoint_url=f"https://localhost:{port}",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        verify=verify,
        config=cognito_identity.Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=5),
    )
    return client.list_identity_pools(MaxResults=1)


def refused(port: int, why: str, verify: Optional[Any] = None) -> None:
    with pytest.raises(exceptions.SSLError, match=why) as e:
        call(port, verify)
    assert e.value.response["Error"]["Code"] == "SSLError"


def test_the_ca_bundle_given_is_trusted_and_nothing_else(tmp_path: Path, servers: Any) -> None:
    ca = Ca("Test CA")
    port = servers(*ca.leaf(tmp_path, ["localhost"]))
    assert call(port, verify=ca.pem(tmp_path / "ca.pem"))["IdentityPools"] == []
    refused(port, "unknown certificate authority")  # the built-in roots do not know it
    refused(port, "unknown certificate authority", verify=Ca("Other").pem(tmp_path / "other.pem"))


def test_wrong_name_and_expired_are_refused(tmp_path: Path, servers: Any) -> None:
    ca = Ca("Test CA")
    bundle = ca.pem(tmp_path / "ca.pem")
    refused(servers(*ca.leaf(tmp_path, ["other.example"])), "not valid for the host name", verify=bundle)
    refused(servers(*ca.leaf(tmp_path, ["localhost"], expired=True)), "has expired", verify=bundle)


def test_verify_false_accepts_any_certificate_with_one_warning(tmp_path: Path, servers: Any) -> None:
    ca = Ca("Unknown CA")
    ports = [servers(*ca.leaf(tmp_path, ["other.example"])), servers(*ca.leaf(tmp_path, ["localhost"], expired=True))]
    for port in ports:
        with pytest.warns(cognito_identity.InsecureRequestWarning, match="verify=False") as caught:
            assert call(port, verify=False)["IdentityPools"] == []
        assert len(caught) == 1
        # Only that client: another one to the same server still checks.
        refused(port, "SSL validation failed")


def test_a_tls_1_1_server_is_refused_even_with_verify_false(tmp_path: Path, servers: Any) -> None:
    ca = Ca("Test CA")
    port = servers(*ca.leaf(tmp_path, ["localhost"]), tls11_only=True)
    refused(port, "does not speak TLS 1.2 or 1.3", verify=ca.pem(tmp_path / "ca.pem"))
    with pytest.warns(cognito_identity.InsecureRequestWarning):
        refused(port, "does not speak TLS 1.2 or 1.3", verify=False)


def test_verify_false_is_never_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_VERIFY", "AWS_VERIFY_SSL", "AWS_CA_BUNDLE"):
        monkeypatch.setenv(name, "false")
    with pytest.raises(exceptions.InvalidConfigError, match="ca_bundle"):
        cognito_identity.Client(region_name=REGION, endpoint_url="https://localhost:1")
