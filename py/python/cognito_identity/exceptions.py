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
"""

from __future__ import annotations

# typing is imported only by type checkers: importing it costs milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Type

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


# BEGIN GENERATED client-side by tools/gen_pyi.py from tools/front_doors.py.
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


# The class of a code with no class of its own, by the core's error kind.
_BY_KIND: Dict[str, Type[CognitoIdentityError]] = {
    "Validation": ParamValidationError,
    "UnknownOperation": OperationNotFoundError,
    "Configuration": InvalidConfigError,
    "Credentials": NoCredentialsError,
    "Service": ClientError,
    "Transport": HTTPClientError,
    "Timeout": ReadTimeoutError,
    "InvalidResponse": ResponseParserError,
}


# END GENERATED client-side


class ParamTypeError(ParamValidationError, TypeError):
    """An input value has a Python type that cannot be sent (a set, an object, NaN, ...)."""

    def _format(self) -> str:
        return f"Parameter validation failed:\n{self.message}"


# BEGIN GENERATED by tools/gen_pyi.py: one class per error code of the model.
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

# The class for each code; codes missing here fall back by kind.
_BY_CODE: Dict[str, Type[CognitoIdentityError]] = {
    name: cls
    for name, cls in list(globals().items())
    if isinstance(cls, type) and issubclass(cls, CognitoIdentityError)
}


def from_document(kind: str, response: Dict[str, Any], operation_name: Optional[str]) -> CognitoIdentityError:
    """The exception for an error document of the core."""
    if kind == "Type":
        return ParamTypeError(response, operation_name)
    code = str(response.get("Error", {}).get("Code", ""))
    cls = _BY_CODE.get(code)
    if cls is None or (kind == "Service") != issubclass(cls, ClientError):
        cls = _BY_KIND.get(kind, BotoCoreError)
    return cls(response, operation_name)
