"""A local Cognito Identity server in this process, for tests and notebooks.

    from cognito_identity.testing import Emulator

    with Emulator() as emu:
        client = emu.client()
        pool = client.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)

It is the project's emulator (all 23 operations, SigV4 checking, signed JWTs,
fault injection; see emulator/README.md), running on its own threads inside
the Python process: nothing to start. Any client can use it, boto3 included,
through ``emu.url`` and the test key. The same URL serves the STS operations
an identity-pool credentials provider needs (AssumeRoleWithWebIdentity for
the classic flow, GetCallerIdentity), so a boto3 ``sts`` client pointed at
``emu.url`` works too.

The server lives in its own distribution, so that the production package
carries no test server: ``pip install "cognito-identity[emulator]"``.
"""

from __future__ import annotations

from . import Client

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

    from cognito_identity_emulator import NativeEmulator

__all__ = ["Emulator"]


def _native_emulator() -> type[NativeEmulator]:
    """The emulator class of the ``cognito-identity-emulator`` distribution,
    imported on first use: ``import cognito_identity.testing`` works without it."""
    try:
        from cognito_identity_emulator import NativeEmulator
    except ImportError as e:
        raise ImportError(
            "cognito_identity.testing.Emulator needs the emulator, which is a separate distribution: "
            'pip install "cognito-identity[emulator]"',
            name="cognito_identity_emulator",
        ) from e
    return NativeEmulator


class Emulator:
    """A running emulator on 127.0.0.1; stopped by ``stop()``, ``with`` or garbage collection."""

    def __init__(
        self,
        *,
        port: int = 0,
        region_name: str = "us-east-1",
        aws_access_key_id: str = "test",
        aws_secret_access_key: str = "test",
        credentials_ttl: int = 3600,
    ) -> None:
        """``credentials_ttl``: seconds the temporary keys it issues stay valid
        (GetCredentialsForIdentity, STS AssumeRoleWithWebIdentity without
        ``DurationSeconds``, the container endpoint); at least 1. Short values
        let tests watch credentials expire and refresh."""
        self._native: NativeEmulator = _native_emulator()(
            port, region_name, aws_access_key_id, aws_secret_access_key, credentials_ttl=credentials_ttl
        )
        self._key = (aws_access_key_id, aws_secret_access_key)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the endpoint URL for any client."""
        return self._native.url

    @property
    def region_name(self) -> str:
        return self._native.region

    @property
    def credentials_ttl(self) -> int:
        """Seconds the issued temporary keys stay valid."""
        return self._native.credentials_ttl

    @property
    def running(self) -> bool:
        return self._native.running

    def client(self, **kwargs: Any) -> Client:
        """A ``cognito_identity.Client`` for this emulator, signing with its key.

        Keyword arguments are passed on (``config=...``, for example)."""
        kwargs.setdefault("region_name", self.region_name)
        kwargs.setdefault("aws_access_key_id", self._key[0])
        kwargs.setdefault("aws_secret_access_key", self._key[1])
        return Client(endpoint_url=self.url, **kwargs)

    def inject_fault(
        self,
        kind: str,
        *,
        count: int = 1,
        operation: Optional[str] = None,
        status: Optional[int] = None,
        delay_ms: Optional[int] = None,
    ) -> None:
        """Makes the next ``count`` requests (for ``operation`` only, if given) fail.

        ``operation`` is a Cognito operation name (``GetId``) or an STS one
        (``AssumeRoleWithWebIdentity``, ``GetCallerIdentity``).

        ``kind`` is one of throttle, status (with ``status``, e.g. 503), reset
        (connection closed), delay (with ``delay_ms``; then served normally),
        malformed (a non-JSON body) or truncated (a cut-off body)."""
        # An unknown kind is refused by the emulator itself (ValueError naming
        # the kinds it knows: cognito_identity_emulator.FAULT_KINDS).
        fault: Dict[str, Any] = {"kind": kind, "count": count}
        if operation is not None:
            fault["operation"] = operation
        if status is not None:
            fault["status"] = status
        if delay_ms is not None:
            fault["delay_ms"] = delay_ms
        import json

        self._native.inject_fault(json.dumps(fault))

    def clear_faults(self) -> None:
        self._native.clear_faults()

    def reset(self) -> None:
        """Forgets every pool, identity and tag."""
        self._native.reset()

    def set_clock_offset(self, seconds: int) -> None:
        """Shifts the server's clock, for clock-skew and expiry tests."""
        self._native.set_clock_offset(seconds)

    def requests(self) -> List[Dict[str, Any]]:
        """The last requests received (headers and bodies), secrets redacted."""
        import json

        seen: List[Dict[str, Any]] = json.loads(self._native.requests())
        return seen

    def stop(self) -> None:
        """Stops serving; calling it again does nothing."""
        self._native.stop()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"cognito_identity.testing.Emulator(url={self.url!r}, region_name={self.region_name!r}, {state})"
