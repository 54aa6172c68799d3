"""Client options: ``Config`` (botocore's names), ``UNSIGNED``, and their
translation into the core's configuration dict."""

from __future__ import annotations

from . import exceptions

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional

__all__ = ["UNSIGNED", "Config", "InsecureRequestWarning"]


class InsecureRequestWarning(Warning):
    """Emitted once per client made with ``verify=False`` (urllib3's name):
    its certificate checks are off."""


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
    "proxies",
    "proxies_config",
)

# Options of botocore's Config whose purpose this client meets by design:
# accepted (not silently dropped: each one is honoured as it stands).
_MET_BY_DESIGN = {
    # Connections are pooled per calling thread, with no cap to raise.
    "max_pool_connections": None,
    # No operation of this API has a host prefix.
    "inject_host_prefix": None,
    # Inputs are always validated: only True can be honoured.
    "parameter_validation": True,
}


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
    metadata). ``proxies`` maps ``http``/``https`` to a proxy URL and replaces the
    environment's ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY`` (as in botocore);
    ``proxies_config`` takes ``proxy_ca_bundle``. A botocore ``Config`` works too;
    an option of it this client cannot honour raises ``InvalidConfigError``.
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
        proxies: Optional[Mapping[str, str]] = None,
        proxies_config: Optional[Mapping[str, Any]] = None,
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
        self.proxies = proxies
        self.proxies_config = proxies_config

    def __repr__(self) -> str:
        set_ = {k: getattr(self, k) for k in _CONFIG_OPTIONS if getattr(self, k) is not None}
        return "Config(" + ", ".join(f"{k}={v!r}" for k, v in set_.items()) + ")"


def _config_options(config: Any) -> Dict[str, Any]:
    """The options set on our Config or on a botocore.config.Config; an
    option of botocore's this client cannot honour is an error naming it."""
    if config is None:
        return {}
    user_set = getattr(config, "_user_provided_options", None)  # botocore's Config
    if not isinstance(user_set, dict):
        return {n: getattr(config, n) for n in _CONFIG_OPTIONS if getattr(config, n, None) is not None}
    for name, value in user_set.items():
        if name in _CONFIG_OPTIONS:
            continue
        if name in _MET_BY_DESIGN and _MET_BY_DESIGN[name] in (None, value):
            continue
        raise _invalid_config(f"botocore Config option {name}={value!r} is not supported by this client")
    return {n: getattr(config, n) for n in user_set if n in _CONFIG_OPTIONS and getattr(config, n, None) is not None}


def _invalid_config(message: str) -> exceptions.CognitoIdentityError:
    return exceptions._client_side("InvalidConfigError", message)


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
        "proxies": dict(opts["proxies"]) if opts.get("proxies") else None,
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
    proxies_config = dict(opts.get("proxies_config") or {})
    native["proxy_ca_bundle"] = proxies_config.pop("proxy_ca_bundle", None)
    if proxies_config:
        names = ", ".join(sorted(proxies_config))
        raise _invalid_config(f"proxies_config: {names} not supported (only proxy_ca_bundle): the HTTP stack cannot")
    if verify is False:
        native["verify"] = False
    elif isinstance(verify, str):
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
