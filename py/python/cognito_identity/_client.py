"""``Client``, what it shares with ``AsyncClient``, and ``client.meta``."""

from __future__ import annotations

from . import exceptions
from ._config import _native_config
from ._native import NativeClient, NativeError, set_error_factory
from ._operations import OPERATIONS, PAGINATORS, _Operations

# NativeClient.call raises this package's exception classes through it.
set_error_factory(exceptions.from_document)

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
# The paginators load with the first get_paginator().
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Mapping, Optional, Tuple, Type, TypeVar

    from ._paginate import Paginator
    from ._service_model import ServiceModel

    _C = TypeVar("_C", bound="_ClientBase")

__all__ = ["Client", "ClientMeta"]


class ClientMeta:
    """``client.meta`` as boto3 has it. Event hooks (``meta.events``) are not
    supported: there is no event system to register handlers on."""

    service_name = "cognito-identity"

    def __init__(self, native: NativeClient, config: Any) -> None:
        self.region_name: str = native.region
        self.endpoint_url: str = native.endpoint_url
        self.config: Any = config
        self.method_to_api_mapping: Dict[str, str] = {snake: name for name, snake in OPERATIONS.items()}

    @property
    def service_model(self) -> ServiceModel:
        """The API this client speaks (botocore's ``ServiceModel``); made at first use."""
        model: Optional[ServiceModel] = self.__dict__.get("_service_model")
        if model is None:
            from ._service_model import ServiceModel

            model = self.__dict__["_service_model"] = ServiceModel()
        return model

    def __repr__(self) -> str:
        return f"ClientMeta(region_name={self.region_name!r}, endpoint_url={self.endpoint_url!r})"


def _restore(cls: Type[_C], native: Dict[str, Any], config: Any) -> _C:
    """The other half of ``__reduce__``: a client made from its configuration."""
    client = cls.__new__(cls)
    client._start(native, config)
    return client


class _ClientBase:
    """What ``Client`` and ``AsyncClient`` share: construction from boto3's
    arguments, ``meta``, ``exceptions``, paginator look-up and pickling."""

    exceptions = exceptions
    # None: Paginator (set by AsyncClient to AsyncPaginator).
    _paginator_class: Optional[Type[Paginator]] = None

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
        self._start(native, config)

    def _start(self, native: Dict[str, Any], config: Any) -> None:
        try:
            self._native = NativeClient(native)
        except NativeError as e:
            kind, document = e.args
            raise exceptions.from_document(kind, document, None) from None
        self._native_args = native
        self.meta = ClientMeta(self._native, config)
        if native.get("verify") is False:
            import warnings

            from ._config import InsecureRequestWarning

            warnings.warn(
                f"certificate verification is off for this client (verify=False): anyone on the path to "
                f"{self.meta.endpoint_url} can read and change its requests; pass verify='ca.pem' to trust "
                "the server's CA instead",
                InsecureRequestWarning,
                stacklevel=3,
            )

    def __reduce__(self) -> Tuple[Any, ...]:
        # The configuration only: connections and runtimes belong to a process.
        # What was read from the environment and the shared files is read
        # again where the client is unpickled; the secrets in the pickle are
        # the keys the caller passed explicitly, if any.
        return (_restore, (type(self), self._native_args, self.meta.config))

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
            f"cognito_identity.{type(self).__name__}(region_name={self.meta.region_name!r}, "
            f"endpoint_url={self.meta.endpoint_url!r}, credentials={source!r})"
        )

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` works (snake_case name, as in boto3)."""
        return operation_name in PAGINATORS

    def _paginator(self, operation_name: str) -> Any:
        spec = PAGINATORS.get(operation_name)
        if spec is None:
            raise exceptions._client_side("OperationNotFoundError", f"Operation cannot be paginated: {operation_name}")
        cls = self._paginator_class
        if cls is None:
            from ._paginate import Paginator

            cls = Paginator
        return cls(self, spec["operation"], spec)


class Client(_ClientBase, _Operations):
    """A Cognito Identity client; safe to share between threads, and picklable
    (see :meth:`__reduce__`).

    Arguments are boto3's. Unset ones come from the environment and the shared
    files as in the AWS SDKs (``AWS_REGION``, ``AWS_ACCESS_KEY_ID``, ``AWS_PROFILE``,
    ``AWS_ENDPOINT_URL_COGNITO_IDENTITY``, ``AWS_CA_BUNDLE``, ...).
    """

    def _call(self, operation: str, params: Mapping[str, Any]) -> Any:
        return self._native.call(operation, params)

    def _start(self, native: Dict[str, Any], config: Any) -> None:
        super()._start(native, config)
        # The operations call the native method itself, which raises this
        # package's exceptions: a Python frame of ours around every call cost
        # about a twentieth of its instructions. An instance attribute, so
        # that the operations (and paginators) find it before the class's;
        # not where a subclass overrides _call (or it was patched on the
        # class before the client was made).
        if type(self)._call is Client._call:
            vars(self)["_call"] = self._native.call

    def get_paginator(self, operation_name: str) -> Paginator:
        """The paginator of ``operation_name`` (snake_case, as in boto3)."""
        paginator: Paginator = self._paginator(operation_name)
        return paginator

    def close(self) -> None:
        """Kept for boto3 compatibility; connections close when the client is dropped."""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
