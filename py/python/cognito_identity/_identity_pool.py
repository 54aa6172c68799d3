"""Credentials from a Cognito identity pool, for boto3 and any other AWS client."""

from __future__ import annotations

from ._native import NativeError, NativeIdentityPoolCredentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from os import PathLike
    from typing import Any, Callable, Dict, Mapping, Optional, Union

    LoginValue = Union[str, Callable[[], str]]
    LoginsArg = Union[Mapping[str, LoginValue], Callable[[], Mapping[str, str]], None]

__all__ = ["IdentityPoolCredentials", "PoolCredentials"]

_REDACTED = "*** redacted ***"


class PoolCredentials:
    """Temporary AWS credentials of an identity (botocore's names). Its repr
    never shows the secret key or the session token."""

    __slots__ = ("access_key", "expiration", "identity_id", "secret_key", "token")

    def __init__(self, access_key: str, secret_key: str, token: str, expiration: datetime, identity_id: str) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token
        self.expiration = expiration
        self.identity_id = identity_id

    def __repr__(self) -> str:
        return (
            f"PoolCredentials(access_key={self.access_key!r}, secret_key={_REDACTED!r}, token={_REDACTED!r}, "
            f"expiration={self.expiration.isoformat()!r}, identity_id={self.identity_id!r})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PoolCredentials) and all(
            getattr(self, k) == getattr(other, k) for k in PoolCredentials.__slots__
        )

    __hash__ = None  # type: ignore[assignment]


def _login_resolver(logins: LoginsArg) -> Optional[Callable[[], Dict[str, str]]]:
    """A callable giving the current logins, or None when they are fixed strings."""
    if logins is None:
        return None
    if callable(logins):
        whole = logins
        return lambda: dict(whole())
    if all(isinstance(v, str) for v in logins.values()):
        return None
    fixed = dict(logins)

    def resolve() -> Dict[str, str]:
        return {k: (v() if callable(v) else v) for k, v in fixed.items()}

    return resolve


class IdentityPoolCredentials:
    """Temporary AWS credentials from a Cognito identity pool, refreshed before
    they expire.

    ``logins`` maps a provider name to its token; a token may be a callable
    (asked on every refresh, so a token your app refreshed is the one sent),
    and so may the whole mapping. With no logins the identity is a guest.
    ``flow="classic"`` uses GetOpenIdToken and STS AssumeRoleWithWebIdentity
    for ``role_arn``; the default, enhanced flow uses GetCredentialsForIdentity
    (with ``custom_role_arn``). The region defaults to the pool id's prefix;
    ``endpoint_url``, ``config`` (timeouts, retries) and the environment apply
    as for :class:`cognito_identity.Client`.

    The identity id is kept in memory and in a file per pool and user under
    ``cache_dir`` (default ``$XDG_CACHE_HOME/cognito-identity``, else
    ``~/.cache/cognito-identity``; ``False`` keeps it in memory only).
    ``cache_credentials=True`` keeps the credentials there too (for a process
    that runs once per use). Refreshes start ``advisory_refresh_seconds``
    before the expiry (one caller refreshes, a failure keeps the valid
    credentials) and are waited for from ``mandatory_refresh_seconds``.
    Thread-safe: one refresh runs at a time.
    """

    def __init__(
        self,
        identity_pool_id: str,
        *,
        logins: LoginsArg = None,
        custom_role_arn: Optional[str] = None,
        flow: str = "enhanced",
        role_arn: Optional[str] = None,
        role_session_name: Optional[str] = None,
        region_name: Optional[str] = None,
        endpoint_url: Optional[str] = None,
        sts_endpoint_url: Optional[str] = None,
        cache_dir: Union[str, PathLike[str], bool, None] = None,
        cache_credentials: bool = False,
        advisory_refresh_seconds: float = 900,
        mandatory_refresh_seconds: float = 600,
        config: Any = None,
    ) -> None:
        from . import exceptions
        from ._config import _native_config

        native: Dict[str, Any] = _native_config(region_name, endpoint_url, None, None, None, None, config, None)
        native.update(
            identity_pool_id=identity_pool_id,
            custom_role_arn=custom_role_arn,
            flow=flow,
            role_arn=role_arn,
            role_session_name=role_session_name,
            sts_endpoint_url=sts_endpoint_url,
            cache_credentials=cache_credentials,
            advisory_refresh_seconds=float(advisory_refresh_seconds),
            mandatory_refresh_seconds=float(mandatory_refresh_seconds),
        )
        if cache_dir is False:
            native["cache_dir"] = False
        elif cache_dir is not None and cache_dir is not True:
            import os

            native["cache_dir"] = os.fspath(cache_dir)
        resolver = _login_resolver(logins)
        if logins is not None and resolver is None and not callable(logins):
            native["logins"] = dict(logins)
        native = {k: v for k, v in native.items() if v is not None}
        try:
            self._native = NativeIdentityPoolCredentials(native, resolver)
        except NativeError as e:
            kind, document = e.args
            raise exceptions.from_document(kind, document, None) from None

    def get(self) -> PoolCredentials:
        """The credentials: the held ones, or fresh ones when a refresh is due."""
        from datetime import datetime, timezone

        from . import exceptions

        try:
            access_key, secret_key, token, expiry, identity_id = self._native.get()
        except NativeError as e:
            kind, document = e.args
            raise exceptions.from_document(kind, document, None) from None
        expiration = datetime.fromtimestamp(expiry or 0, tz=timezone.utc)
        return PoolCredentials(access_key, secret_key, token, expiration, identity_id)

    @property
    def identity_id(self) -> Optional[str]:
        """The identity id held now (None before the first ``get`` or after ``clear``)."""
        return self._native.identity_id

    @property
    def identity_pool_id(self) -> str:
        return self._native.identity_pool_id

    def set_logins(self, logins: LoginsArg) -> None:
        """Replaces the logins (sign-in). A guest identity held is linked to them."""
        resolver = _login_resolver(logins)
        self._native.set_logins(resolver if resolver is not None else dict(logins or {}))  # type: ignore[arg-type]

    def clear(self) -> None:
        """Forgets the identity id (memory and disk) and the credentials: sign-out."""
        self._native.clear()

    def _metadata(self) -> Dict[str, str]:
        c = self.get()
        return {
            "access_key": c.access_key,
            "secret_key": c.secret_key,
            "token": c.token,
            "expiry_time": c.expiration.isoformat(),
        }

    def botocore_credentials(self) -> Any:
        """botocore ``RefreshableCredentials`` that refresh through this provider."""
        try:
            from botocore.credentials import RefreshableCredentials  # type: ignore[import-untyped]
        except ImportError as e:
            raise ImportError(
                "botocore_credentials() needs botocore: pip install boto3 (or botocore)", name="botocore"
            ) from e
        return RefreshableCredentials.create_from_metadata(
            metadata=self._metadata(), refresh_using=self._metadata, method="cognito-identity-pool"
        )

    def boto3_session(self, **kwargs: Any) -> Any:
        """A ``boto3.Session`` whose credentials refresh through this provider.
        Keyword arguments go to ``boto3.Session`` (``region_name``, ...)."""
        try:
            import boto3  # type: ignore[import-untyped]
            import botocore.session  # type: ignore[import-untyped]
        except ImportError as e:
            raise ImportError("boto3_session() needs boto3: pip install boto3", name="boto3") from e
        core = botocore.session.get_session()
        core._credentials = self.botocore_credentials()
        return boto3.Session(botocore_session=core, **kwargs)

    def __repr__(self) -> str:
        return (
            f"cognito_identity.IdentityPoolCredentials(identity_pool_id={self.identity_pool_id!r}, "
            f"identity_id={self.identity_id!r})"
        )
