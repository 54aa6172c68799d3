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
from ._client import Client, ClientMeta
from ._config import UNSIGNED, Config, InsecureRequestWarning
from ._native import __version__, reset_logging
from .exceptions import ClientError, CognitoIdentityError

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional

    from ._aio import AsyncClient
    from ._identity_pool import IdentityPoolCredentials, PoolCredentials
    from ._paginate import AsyncPageIterator, AsyncPaginator, PageIterator, Paginator
    from ._secret import SecretStr
    from ._service_model import OperationModel, ServiceModel, ShapeModel

__all__ = [
    "UNSIGNED",
    "AsyncClient",
    "AsyncPageIterator",
    "AsyncPaginator",
    "Client",
    "ClientError",
    "ClientMeta",
    "CognitoIdentityError",
    "Config",
    "IdentityPoolCredentials",
    "InsecureRequestWarning",
    "OperationModel",
    "PageIterator",
    "Paginator",
    "PoolCredentials",
    "SecretStr",
    "ServiceModel",
    "ShapeModel",
    "__version__",
    "client",
    "exceptions",
    "reset_logging",
    "set_stream_logger",
]


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


# Loaded with their first use, each a module fewer to load at import: asyncio
# (AsyncClient) costs milliseconds of start-up, the others a fraction of one each.
_LAZY = {
    "AsyncClient": "_aio",
    "AsyncPageIterator": "_paginate",
    "AsyncPaginator": "_paginate",
    "IdentityPoolCredentials": "_identity_pool",
    "OperationModel": "_service_model",
    "PageIterator": "_paginate",
    "Paginator": "_paginate",
    "PoolCredentials": "_identity_pool",
    "SecretStr": "_secret",
    "ServiceModel": "_service_model",
    "ShapeModel": "_service_model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    loaded = import_module(f"{__name__}.{module}")
    value = getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_LAZY))
