"""The exception classes, as a tree under one base class.

::

    CognitoIdentityError
    ├── ClientError                    the service answered with an error
    │   └── NotAuthorizedException, ResourceNotFoundException, ... (one per modeled code)
    └── BotoCoreError                  the call failed on this side (botocore's names)
        ├── ParamValidationError       the input broke a rule of the model
        │   └── ParamTypeError         ... with a Python type that cannot be sent (also a TypeError)
        ├── OperationNotFoundError
        ├── NoCredentialsError, PartialCredentialsError, ProfileNotFound,
        │   CredentialRetrievalError, UnauthorizedSSOTokenError
        ├── NoRegionError, InvalidRegionError, InvalidConfigError (InfiniteLoopConfigError),
        │   InvalidEndpointConfigurationError, EndpointResolutionError
        ├── HTTPClientError
        │   ├── EndpointConnectionError
        │   │   └── ConnectTimeoutError
        │   ├── ConnectionClosedError, SSLError
        │   ├── ReadTimeoutError
        │   └── DeadlineExceededError
        └── ResponseParserError

Every instance has ``.response`` (the shared error document:
``{"Error": {"Code", "Message", "Type"}, "ResponseMetadata": {...}}``) and
``.operation_name``, so ``except CognitoIdentityError as e: e.response`` works
whatever went wrong.

The four classes at the top of the tree are made when this module is
imported; every other class at its first use (an attribute of this module or
of ``client.exceptions``, a ``from ... import``, an error that needs it).
Making three dozen classes costs about a millisecond, at the start of every
program that imports the package. A class, once made, is the one object every
caller sees: ``except``, ``isinstance`` and pickling behave as with classes
written out.
"""

from __future__ import annotations

import _thread
import builtins
import os

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, Type

__all__ = [
    "BotoCoreError",
    "ClientError",
    "CognitoIdentityError",
    "ConcurrentModificationException",
    "ConnectTimeoutError",
    "ConnectionClosedError",
    "CredentialRetrievalError",
    "DeadlineExceededError",
    "DeveloperUserAlreadyRegisteredException",
    "EndpointConnectionError",
    "EndpointResolutionError",
    "ExternalServiceException",
    "HTTPClientError",
    "InfiniteLoopConfigError",
    "InternalErrorException",
    "InvalidConfigError",
    "InvalidEndpointConfigurationError",
    "InvalidIdentityPoolConfigurationException",
    "InvalidParameterException",
    "InvalidRegionError",
    "LimitExceededException",
    "NoCredentialsError",
    "NoRegionError",
    "NotAuthorizedException",
    "OperationNotFoundError",
    "ParamTypeError",
    "ParamValidationError",
    "PartialCredentialsError",
    "ProfileNotFound",
    "ReadTimeoutError",
    "ResourceConflictException",
    "ResourceNotFoundException",
    "ResponseParserError",
    "SSLError",
    "TooManyRequestsException",
    "UnauthorizedSSOTokenError",
]


class CognitoIdentityError(Exception):
    """Base of every exception this package raises."""

    response: Dict[str, Any]
    operation_name: Optional[str]

    def __init__(self, response: Dict[str, Any], operation_name: Optional[str] = None) -> None:
        self.response = response
        self.operation_name = operation_name
        super().__init__(self._format())

    @property
    def code(self) -> str:
        return str(self.response.get("Error", {}).get("Code", ""))

    @property
    def message(self) -> str:
        return str(self.response.get("Error", {}).get("Message", ""))

    def _format(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.response, self.operation_name))


class ClientError(CognitoIdentityError):
    """The service answered with an error; ``response["Error"]["Code"]`` says which."""

    def _format(self) -> str:
        retries = self.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        suffix = f" (reached max retries: {retries})" if retries else ""
        return (
            f"An error occurred ({self.code}) when calling the {self.operation_name} operation{suffix}: {self.message}"
        )


class BotoCoreError(CognitoIdentityError):
    """The call failed before or without an answer from the service."""


class HTTPClientError(BotoCoreError):
    """The request could not be sent or its answer not received."""


# The classes made at their first use: name -> (the names of its bases, its
# docstring). A base is a class of this module (made first if it is lazy too)
# or a builtin. Type checkers read the class statements under TYPE_CHECKING.
_LAZY: Dict[str, Tuple[Tuple[str, ...], str]] = {}
# What a lazy class defines besides its docstring.
_METHODS: Dict[str, Dict[str, Any]] = {}

# BEGIN GENERATED client-side by tools/gen_pyi.py from tools/front_doors.py.
_LAZY.update(
    {
        "ParamValidationError": (("BotoCoreError",), "The input broke a rule of the model."),
        "OperationNotFoundError": (("BotoCoreError",), "No operation has that name."),
        "NoCredentialsError": (("BotoCoreError",), "A signed operation found no credentials."),
        "PartialCredentialsError": (("BotoCoreError",), "A key id without its secret, or the reverse."),
        "CredentialRetrievalError": (
            ("BotoCoreError",),
            "A credential source (a role, SSO, a process, the container or instance metadata) failed; the message names the source and the profile.",
        ),
        "UnauthorizedSSOTokenError": (
            ("BotoCoreError",),
            "The SSO session has expired or is invalid: run ``aws sso login``.",
        ),
        "ProfileNotFound": (("BotoCoreError",), "The named profile is in neither shared file."),
        "NoRegionError": (("BotoCoreError",), "No region was given or found."),
        "InvalidRegionError": (("BotoCoreError",), "The region is not a valid region name."),
        "InvalidConfigError": (("BotoCoreError",), "A setting is unusable; the message names it."),
        "InfiniteLoopConfigError": (
            ("InvalidConfigError",),
            "Profiles source their credentials from each other in a loop.",
        ),
        "InvalidEndpointConfigurationError": (
            ("BotoCoreError",),
            "The endpoint URL is malformed, or given with FIPS or dual-stack.",
        ),
        "EndpointResolutionError": (("BotoCoreError",), "The endpoint rule set gave no endpoint."),
        "EndpointConnectionError": (("HTTPClientError",), "The endpoint could not be reached."),
        "ConnectionClosedError": (("HTTPClientError",), "The connection closed before a whole answer arrived."),
        "SSLError": (("HTTPClientError",), "TLS failed: the certificate, its name or the protocol."),
        "ConnectTimeoutError": (("EndpointConnectionError",), "The connect timeout expired."),
        "ReadTimeoutError": (("HTTPClientError",), "The read timeout expired."),
        "DeadlineExceededError": (("HTTPClientError",), "The call, retries included, outlived its total timeout."),
        "ResponseParserError": (("BotoCoreError",), "The answer is not the JSON the model promises."),
    }
)

if TYPE_CHECKING:

    class ParamValidationError(BotoCoreError):
        """The input broke a rule of the model."""

    class OperationNotFoundError(BotoCoreError):
        """No operation has that name."""

    class NoCredentialsError(BotoCoreError):
        """A signed operation found no credentials."""

    class PartialCredentialsError(BotoCoreError):
        """A key id without its secret, or the reverse."""

    class CredentialRetrievalError(BotoCoreError):
        """A credential source (a role, SSO, a process, the container or instance metadata) failed; the message names the source and the profile."""

    class UnauthorizedSSOTokenError(BotoCoreError):
        """The SSO session has expired or is invalid: run ``aws sso login``."""

    class ProfileNotFound(BotoCoreError):
        """The named profile is in neither shared file."""

    class NoRegionError(BotoCoreError):
        """No region was given or found."""

    class InvalidRegionError(BotoCoreError):
        """The region is not a valid region name."""

    class InvalidConfigError(BotoCoreError):
        """A setting is unusable; the message names it."""

    class InfiniteLoopConfigError(InvalidConfigError):
        """Profiles source their credentials from each other in a loop."""

    class InvalidEndpointConfigurationError(BotoCoreError):
        """The endpoint URL is malformed, or given with FIPS or dual-stack."""

    class EndpointResolutionError(BotoCoreError):
        """The endpoint rule set gave no endpoint."""

    class EndpointConnectionError(HTTPClientError):
        """The endpoint could not be reached."""

    class ConnectionClosedError(HTTPClientError):
        """The connection closed before a whole answer arrived."""

    class SSLError(HTTPClientError):
        """TLS failed: the certificate, its name or the protocol."""

    class ConnectTimeoutError(EndpointConnectionError):
        """The connect timeout expired."""

    class ReadTimeoutError(HTTPClientError):
        """The read timeout expired."""

    class DeadlineExceededError(HTTPClientError):
        """The call, retries included, outlived its total timeout."""

    class ResponseParserError(BotoCoreError):
        """The answer is not the JSON the model promises."""


# END GENERATED client-side


def _format_param_type(self: CognitoIdentityError) -> str:
    return f"Parameter validation failed:\n{self.message}"


_LAZY["ParamTypeError"] = (
    ("ParamValidationError", "TypeError"),
    "An input value has a Python type that cannot be sent (a set, an object, NaN, ...).",
)
_METHODS["ParamTypeError"] = {"_format": _format_param_type}

if TYPE_CHECKING:

    class ParamTypeError(ParamValidationError, TypeError):
        """An input value has a Python type that cannot be sent (a set, an object, NaN, ...)."""

        def _format(self) -> str: ...


# BEGIN GENERATED by tools/gen_pyi.py: one class per error code of the model.
_LAZY.update(
    {
        "ConcurrentModificationException": (
            ("ClientError",),
            "Thrown if there are parallel requests to modify a resource.",
        ),
        "DeveloperUserAlreadyRegisteredException": (
            ("ClientError",),
            "The provided developer user identifier is already registered with Cognito under a different identity ID.",
        ),
        "ExternalServiceException": (
            ("ClientError",),
            "An exception thrown when a dependent service such as Facebook or Twitter is not responding",
        ),
        "InternalErrorException": (
            ("ClientError",),
            "Thrown when the service encounters an error during processing the request.",
        ),
        "InvalidIdentityPoolConfigurationException": (
            ("ClientError",),
            "If you provided authentication information in the request, the identity pool has no authenticated role configured, or STS returned an error response to the request to assume the authenticated role from the identity pool.",
        ),
        "InvalidParameterException": (("ClientError",), "Thrown for missing or bad input parameter(s)."),
        "LimitExceededException": (
            ("ClientError",),
            "Thrown when the total number of user pools has exceeded a preset limit.",
        ),
        "NotAuthorizedException": (
            ("ClientError",),
            "Thrown when a user is not authorized to access the requested resource.",
        ),
        "ResourceConflictException": (
            ("ClientError",),
            "Thrown when a user tries to use a login which is already linked to another account.",
        ),
        "ResourceNotFoundException": (
            ("ClientError",),
            "Thrown when the requested resource (for example, a dataset or record) does not exist.",
        ),
        "TooManyRequestsException": (("ClientError",), "Thrown when a request is throttled."),
    }
)

if TYPE_CHECKING:

    class ConcurrentModificationException(ClientError):
        """Thrown if there are parallel requests to modify a resource."""

    class DeveloperUserAlreadyRegisteredException(ClientError):
        """The provided developer user identifier is already registered with Cognito under a different identity ID."""

    class ExternalServiceException(ClientError):
        """An exception thrown when a dependent service such as Facebook or Twitter is not responding"""

    class InternalErrorException(ClientError):
        """Thrown when the service encounters an error during processing the request."""

    class InvalidIdentityPoolConfigurationException(ClientError):
        """If you provided authentication information in the request, the identity pool has no authenticated role configured, or STS returned an error response to the request to assume the authenticated role from the identity pool."""

    class InvalidParameterException(ClientError):
        """Thrown for missing or bad input parameter(s)."""

    class LimitExceededException(ClientError):
        """Thrown when the total number of user pools has exceeded a preset limit."""

    class NotAuthorizedException(ClientError):
        """Thrown when a user is not authorized to access the requested resource."""

    class ResourceConflictException(ClientError):
        """Thrown when a user tries to use a login which is already linked to another account."""

    class ResourceNotFoundException(ClientError):
        """Thrown when the requested resource (for example, a dataset or record) does not exist."""

    class TooManyRequestsException(ClientError):
        """Thrown when a request is throttled."""


# END GENERATED

# Two threads that need the same class at once must get one class: `except`
# compares by identity. Reentrant, because a class makes its bases first.
_MAKING = _thread.RLock()


def _new_lock_after_fork() -> None:
    # A child forked while another thread held the lock would wait for it forever.
    global _MAKING
    _MAKING = _thread.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_after_fork)


def _class(name: str) -> Type[CognitoIdentityError]:
    """The class ``name`` of this module, made now if it is lazy and not made yet."""
    found: Any = globals().get(name)
    if found is None:
        with _MAKING:
            found = globals().get(name)
            if found is None:
                bases = tuple(
                    _class(b) if b in _LAZY or b in globals() else getattr(builtins, b) for b in _LAZY[name][0]
                )
                namespace = {"__doc__": _LAZY[name][1], "__module__": __name__, "__qualname__": name}
                namespace.update(_METHODS.get(name, {}))
                # setdefault: code run by this thread while the class was made (a
                # __del__ during a collection, a signal handler) may have made it too.
                found = globals().setdefault(name, type(name, bases, namespace))
    cls: Type[CognitoIdentityError] = found
    return cls


if not TYPE_CHECKING:
    # Hidden from type checkers, which know every class from its statement above:
    # a module __getattr__ would make any misspelt name pass as Any.

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            return _class(name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> List[str]:
        return sorted(set(globals()) | set(_LAZY))


def _by_code(code: str) -> Optional[Type[CognitoIdentityError]]:
    """The class named as the error code, if this module has one."""
    if code in _LAZY:
        return _class(code)
    found = globals().get(code)
    return found if isinstance(found, type) and issubclass(found, CognitoIdentityError) else None


def _client_side(code: str, message: str) -> CognitoIdentityError:
    """The exception of class ``code`` for a failure this package finds itself (nothing was sent)."""
    return _class(code)({"Error": {"Code": code, "Message": message, "Type": "Client"}})


def from_document(kind: str, response: Dict[str, Any], operation_name: Optional[str]) -> CognitoIdentityError:
    """The exception for an error document of the core."""
    if kind == "Type":
        return _class("ParamTypeError")(response, operation_name)
    code = str(response.get("Error", {}).get("Code", ""))
    cls = _by_code(code)
    if cls is None or (kind == "Service") != issubclass(cls, ClientError):
        from ._front_doors import KIND_CLASSES

        cls = _class(KIND_CLASSES.get(kind, "BotoCoreError"))
    return cls(response, operation_name)
