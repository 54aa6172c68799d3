"""A boto3-compatible client for Amazon Cognito Identity, running on a Rust core.

>>> import cognito_identity
>>> client = cognito_identity.Client(region_name="us-east-1")
>>> client.get_id(IdentityPoolId="us-east-1:...")["IdentityId"]

A script written for ``boto3.client("cognito-identity")`` runs unchanged with
this client: the same method names, keyword arguments, response dicts,
``client.exceptions.<Code>``, ``ClientError.response`` and paginators.
"""

from __future__ import annotations

from . import exceptions
from ._identity_pool import IdentityPoolCredentials, PoolCredentials
from ._native import NativeClient, NativeError, __version__, reset_logging
from ._operations import OPERATIONS, PAGINATORS, _Operations
from ._paginate import PageIterator, Paginator
from ._secret import SecretStr
from .exceptions import ClientError, CognitoIdentityError

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional

__all__ = [
    "UNSIGNED",
    "Client",
    "ClientError",
    "ClientMeta",
    "CognitoIdentityError",
    "Config",
    "IdentityPoolCredentials",
    "PageIterator",
    "Paginator",
    "PoolCredentials",
    "SecretStr",
    "__version__",
    "client",
    "exceptions",
    "reset_logging",
    "set_stream_logger",
]


class _Unsigned:
    """Marker for ``Config(signature_version=UNSIGNED)``: send no signatures."""

    def __repr__(self) -> str:
        return "UNSIGNED"


UNSIGNED: Any = _Unsigned()

# botocore Config attribute -> our setting. Read from a botocore.config.Config
# too (only the options its user set, so botocore's defaults do not leak in).
_CONFIG_OPTIONS = (
    "region_name",
    "connect_timeout",
    "read_timeout",
    "total_timeout",
    "retries",
    "user_agent_extra",
    "use_fips_endpoint",
    "use_dualstack_endpoint",
    "signature_version",
    "initial_backoff",
    "credential_timeout",
)


class Config:
    """Client options, named after botocore's ``Config``.

    ``connect_timeout``, ``read_timeout`` (per attempt) and ``total_timeout``
    (the whole call, retries included) are seconds. ``retries`` takes
    ``{"max_attempts": N}`` (retries after the first attempt, as in botocore),
    ``{"total_max_attempts": N}`` (attempts in all) and ``{"mode": "standard"}``.
    Throttling, 5xx answers, connection errors and timeouts are retried;
    ``LimitExceededException`` is not (it is a hard quota, not throttling).
    ``signature_version=UNSIGNED`` sends no signature. ``credential_timeout``
    (seconds, 30 by default) bounds each fetch of temporary credentials from
    their source (a role, SSO, ``credential_process``, container or instance
    metadata).
    """

    def __init__(
        self,
        *,
        region_name: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        retries: Optional[Mapping[str, Any]] = None,
        user_agent_extra: Optional[str] = None,
        use_fips_endpoint: Optional[bool] = None,
        use_dualstack_endpoint: Optional[bool] = None,
        signature_version: Any = None,
        initial_backoff: Optional[float] = None,
        credential_timeout: Optional[float] = None,
    ) -> None:
        self.region_name = region_name
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.retries = retries
        self.user_agent_extra = user_agent_extra
        self.use_fips_endpoint = use_fips_endpoint
        self.use_dualstack_endpoint = use_dualstack_endpoint
        self.signature_version = signature_version
        self.initial_backoff = initial_backoff
        self.credential_timeout = credential_timeout

    def __repr__(self) -> str:
        set_ = {k: getattr(self, k) for k in _CONFIG_OPTIONS if getattr(self, k) is not None}
        return "Config(" + ", ".join(f"{k}={v!r}" for k, v in set_.items()) + ")"


def _config_options(config: Any) -> Dict[str, Any]:
    """The options set on our Config or on a botocore.config.Config."""
    if config is None:
        return {}
    user_set = getattr(config, "_user_provided_options", None)  # botocore's Config
    names = user_set.keys() if isinstance(user_set, dict) else _CONFIG_OPTIONS
    return {n: getattr(config, n) for n in names if n in _CONFIG_OPTIONS and getattr(config, n, None) is not None}


def _invalid_config(message: str) -> exceptions.InvalidConfigError:
    return exceptions.InvalidConfigError(
        {"Error": {"Code": "InvalidConfigError", "Message": message, "Type": "Client"}}
    )


def _native_config(
    region_name: Optional[str],
    endpoint_url: Optional[str],
    aws_access_key_id: Optional[str],
    aws_secret_access_key: Optional[str],
    aws_session_token: Optional[str],
    profile_name: Optional[str],
    config: Any,
    verify: Any,
) -> Dict[str, Any]:
    opts = _config_options(config)
    native: Dict[str, Any] = {
        "region": region_name or opts.get("region_name"),
        "endpoint_url": endpoint_url,
        "aws_access_key_id": aws_access_key_id,
        "aws_secret_access_key": aws_secret_access_key,
        "aws_session_token": aws_session_token,
        "profile": profile_name,
        "connect_timeout": opts.get("connect_timeout"),
        "read_timeout": opts.get("read_timeout"),
        "total_timeout": opts.get("total_timeout"),
        "initial_backoff": opts.get("initial_backoff"),
        "credential_timeout": opts.get("credential_timeout"),
        "user_agent_extra": opts.get("user_agent_extra"),
        "use_fips_endpoint": opts.get("use_fips_endpoint"),
        "use_dualstack_endpoint": opts.get("use_dualstack_endpoint"),
    }
    retries = opts.get("retries") or {}
    if "total_max_attempts" in retries:
        native["max_attempts"] = retries["total_max_attempts"]
    elif "max_attempts" in retries:
        native["max_attempts"] = int(retries["max_attempts"]) + 1  # botocore: retries, not attempts
    native["retry_mode"] = retries.get("mode")
    signature = opts.get("signature_version")
    if signature is not None and (
        signature is UNSIGNED or repr(signature) == "UNSIGNED" or type(signature).__name__ == "UNSIGNED"
    ):
        native["unsigned"] = True
    if verify is False:
        raise _invalid_config("verify=False is not supported: pass the path of a CA bundle to trust instead")
    if isinstance(verify, str):
        native["ca_bundle"] = verify
    elif verify not in (None, True):
        raise _invalid_config(f"verify must be None, True or a CA bundle path, not {verify!r}")
    for key in ("connect_timeout", "read_timeout", "total_timeout", "initial_backoff", "credential_timeout"):
        if isinstance(native[key], int) and not isinstance(native[key], bool):
            native[key] = float(native[key])
    from ._front_doors import CONFIG_KEYS

    stray = set(native) - set(CONFIG_KEYS)
    if stray:  # a key the core would refuse: this package and the core disagree
        raise _invalid_config(f"unknown native configuration keys: {sorted(stray)}")
    return {k: v for k, v in native.items() if v is not None}


class ClientMeta:
    """``client.meta`` as boto3 has it."""

    service_name = "cognito-identity"

    def __init__(self, native: NativeClient, config: Any) -> None:
        self.region_name: str = native.region
        self.endpoint_url: str = native.endpoint_url
        self.config: Any = config
        self.method_to_api_mapping: Dict[str, str] = {snake: name for name, snake in OPERATIONS.items()}

    def __repr__(self) -> str:
        return f"ClientMeta(region_name={self.region_name!r}, endpoint_url={self.endpoint_url!r})"


class Client(_Operations):
    """A Cognito Identity client; safe to share between threads.

    Arguments are boto3's. Unset ones come from the environment and the shared
    files as in the AWS SDKs (``AWS_REGION``, ``AWS_ACCESS_KEY_ID``, ``AWS_PROFILE``,
    ``AWS_ENDPOINT_URL_COGNITO_IDENTITY``, ``AWS_CA_BUNDLE``, ...).
    """

    exceptions = exceptions

    def __init__(
        self,
        *,
        region_name: Optional[str] = None,
        endpoint_url: Optional[str] = None,
        aws_access_key_id: Optional[str] = None,
        aws_secret_access_key: Optional[str] = None,
        aws_session_token: Optional[str] = None,
        profile_name: Optional[str] = None,
        config: Any = None,
        verify: Any = None,
    ) -> None:
        native = _native_config(
            region_name,
            endpoint_url,
            aws_access_key_id,
            aws_secret_access_key,
            aws_session_token,
            profile_name,
            config,
            verify,
        )
        try:
            self._native = NativeClient(native)
        except NativeError as e:
            kind, document = e.args
            raise exceptions.from_document(kind, document, None) from None
        self.meta = ClientMeta(self._native, config)

    @property
    def credential_source(self) -> Optional[str]:
        """Where the credentials come from, as botocore names the method, with
        the profile: ``"env"``, ``"assume-role (profile dev)"``, ``"iam-role"``, ...
        ``None`` when there are none (then only the unsigned operations work).
        Instance metadata, the chain's last resort, is named once it has served."""
        return self._native.credential_source

    def __repr__(self) -> str:
        source = self._native.credential_source or "none"
        return (
            f"cognito_identity.Client(region_name={self.meta.region_name!r}, "
            f"endpoint_url={self.meta.endpoint_url!r}, credentials={source!r})"
        )

    def _call(self, operation: str, params: Dict[str, Any]) -> Any:
        try:
            return self._native.call(operation, params)
        except NativeError as e:
            kind, document = e.args
            raise exceptions.from_document(kind, document, operation) from None

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` works (snake_case name, as in boto3)."""
        return operation_name in PAGINATORS

    def get_paginator(self, operation_name: str) -> Paginator:
        spec = PAGINATORS.get(operation_name)
        if spec is None:
            raise exceptions.OperationNotFoundError(
                {
                    "Error": {
                        "Code": "OperationNotFoundError",
                        "Message": f"Operation cannot be paginated: {operation_name}",
                        "Type": "Client",
                    }
                }
            )
        return Paginator(self, spec["operation"], spec)

    def close(self) -> None:
        """Kept for boto3 compatibility; connections close when the client is dropped."""


def set_stream_logger(name: str = "cognito_identity", level: int = 10, format_string: Optional[str] = None) -> None:
    """boto3's helper: log ``name`` (and its children ``.http``, ``.retries``,
    ``.credentials``) at ``level`` (default DEBUG) to stderr.

    Records come from the Rust core through Python's ``logging``, under the
    logger ``cognito_identity`` and its children. Their levels are read once
    and cached (a disabled logger then costs nothing); the cache is refreshed
    when a client or provider is made, by this function, and by
    :func:`reset_logging` after a later change of configuration.
    """
    import logging

    logger = logging.getLogger(name)
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string or "%(asctime)s %(name)s [%(levelname)s] %(message)s"))
    logger.addHandler(handler)
    reset_logging()


def client(service_name: str = "cognito-identity", **kwargs: Any) -> Client:
    """``boto3.client``'s shape: ``cognito_identity.client("cognito-identity", region_name=...)``."""
    if service_name != "cognito-identity":
        raise ValueError(f"this package only serves 'cognito-identity', not {service_name!r}")
    return Client(**kwargs)
