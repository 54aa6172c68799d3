"""What the front doors share besides the service model, written once.

The generators (tools/gen_front_doors.py) write each language's copy from
these tables: the client-side error codes and their kinds, the C ABI's
statuses, and the client's configuration keys.
"""

from __future__ import annotations

# The C ABI's statuses: (name, value, what it means). Values are part of the
# ABI: never renumbered, only appended.
STATUSES: list[tuple[str, int, str]] = [
    ("OK", 0, "Success."),
    (
        "INVALID_ARGUMENT",
        1,
        "A NULL pointer, invalid UTF-8, invalid JSON, JSON that is not an object, or input that is too large "
        "(over 1 MiB) or too deeply nested (over 128 levels). Error code `InvalidArgumentError`.",
    ),
    ("VALIDATION", 2, "The input breaks a rule of the service model (`ParamValidationError`)."),
    ("SERVICE", 3, "The service answered with an error (`NotAuthorizedException`, ...)."),
    (
        "TRANSPORT",
        4,
        "The request could not be sent or its answer not received (`EndpointConnectionError`, "
        "`ConnectionClosedError`, `SSLError`, ...).",
    ),
    (
        "TIMEOUT",
        5,
        "A connect, read or total timeout expired (`ConnectTimeoutError`, `ReadTimeoutError`, "
        "`DeadlineExceededError`).",
    ),
    (
        "CREDENTIALS",
        6,
        "A signed operation was called and no credentials were found, or their source failed "
        "(`NoCredentialsError`, `CredentialRetrievalError`, ...).",
    ),
    (
        "PANIC",
        7,
        "A bug: a Rust panic was caught at the boundary (`PanicError`). The client is still usable; please report it.",
    ),
    (
        "CONFIGURATION",
        8,
        "The configuration is unusable: unknown key, wrong type, bad region, endpoint or CA bundle "
        "(`InvalidConfigError`, `NoRegionError`, ...).",
    ),
    ("UNKNOWN_OPERATION", 9, "No operation has that name (`OperationNotFoundError`)."),
    (
        "INVALID_RESPONSE",
        10,
        "The service answered with a body that is not the JSON the model promises (`ResponseParserError`).",
    ),
]

# The core's error kinds: (kind, the Python class of a code the kind has no
# class for, the C status). ErrorKind's variants in core/src/error.rs.
KINDS: list[tuple[str, str, str]] = [
    ("Validation", "ParamValidationError", "VALIDATION"),
    ("UnknownOperation", "OperationNotFoundError", "UNKNOWN_OPERATION"),
    ("Configuration", "InvalidConfigError", "CONFIGURATION"),
    ("Credentials", "NoCredentialsError", "CREDENTIALS"),
    ("Service", "ClientError", "SERVICE"),
    ("Transport", "HTTPClientError", "TRANSPORT"),
    ("Timeout", "ReadTimeoutError", "TIMEOUT"),
    ("InvalidResponse", "ResponseParserError", "INVALID_RESPONSE"),
]

# Client-side error codes, after botocore's exception names:
# (code, Rust constant, Python parent class, what it means). The Python class
# of each code is named as the code. Codes of the C boundary only (no core
# kind) have the parent None: no Python class.
CLIENT_ERRORS: list[tuple[str, str, str | None, str]] = [
    ("ParamValidationError", "PARAM_VALIDATION", "BotoCoreError", "The input broke a rule of the model."),
    ("OperationNotFoundError", "UNKNOWN_OPERATION", "BotoCoreError", "No operation has that name."),
    ("NoCredentialsError", "NO_CREDENTIALS", "BotoCoreError", "A signed operation found no credentials."),
    ("PartialCredentialsError", "PARTIAL_CREDENTIALS", "BotoCoreError", "A key id without its secret, or the reverse."),
    (
        "CredentialRetrievalError",
        "CREDENTIAL_RETRIEVAL",
        "BotoCoreError",
        "A credential source (a role, SSO, a process, the container or instance metadata) failed; the message "
        "names the source and the profile.",
    ),
    (
        "UnauthorizedSSOTokenError",
        "UNAUTHORIZED_SSO_TOKEN",
        "BotoCoreError",
        "The SSO session has expired or is invalid: run `aws sso login`.",
    ),
    ("ProfileNotFound", "PROFILE_NOT_FOUND", "BotoCoreError", "The named profile is in neither shared file."),
    ("NoRegionError", "NO_REGION", "BotoCoreError", "No region was given or found."),
    ("InvalidRegionError", "INVALID_REGION", "BotoCoreError", "The region is not a valid region name."),
    ("InvalidConfigError", "INVALID_CONFIG", "BotoCoreError", "A setting is unusable; the message names it."),
    (
        "InfiniteLoopConfigError",
        "INFINITE_LOOP_CONFIG",
        "InvalidConfigError",
        "Profiles source their credentials from each other in a loop.",
    ),
    (
        "InvalidEndpointConfigurationError",
        "INVALID_ENDPOINT",
        "BotoCoreError",
        "The endpoint URL is malformed, or given with FIPS or dual-stack.",
    ),
    ("EndpointResolutionError", "ENDPOINT_RESOLUTION", "BotoCoreError", "The endpoint rule set gave no endpoint."),
    ("EndpointConnectionError", "ENDPOINT_CONNECTION", "HTTPClientError", "The endpoint could not be reached."),
    (
        "ConnectionClosedError",
        "CONNECTION_CLOSED",
        "HTTPClientError",
        "The connection closed before a whole answer arrived.",
    ),
    ("SSLError", "SSL", "HTTPClientError", "TLS failed: the certificate, its name or the protocol."),
    ("ConnectTimeoutError", "CONNECT_TIMEOUT", "EndpointConnectionError", "The connect timeout expired."),
    ("ReadTimeoutError", "READ_TIMEOUT", "HTTPClientError", "The read timeout expired."),
    (
        "DeadlineExceededError",
        "DEADLINE_EXCEEDED",
        "HTTPClientError",
        "The call, retries included, outlived its total timeout.",
    ),
    ("ResponseParserError", "RESPONSE_PARSER", "BotoCoreError", "The answer is not the JSON the model promises."),
    ("InvalidArgumentError", "INVALID_ARGUMENT", None, "C: a NULL pointer, invalid UTF-8 or JSON, or input too big."),
    ("PanicError", "PANIC", None, "C: a bug of the library, caught at the boundary."),
]

# The client's configuration keys: (JSON key of C and Go's config, kind, Go
# field name, what it is). Kinds: string, path, bool, seconds, count, map
# (of strings), insecure (a bool that is true by default: Go's field is its
# negation, so that Go's zero value is the safe one).
CONFIG_KEYS: list[tuple[str, str, str, str]] = [
    ("region", "string", "Region", "the AWS region, e.g. us-east-1"),
    ("endpoint_url", "string", "EndpointURL", "an endpoint instead of the region's (a local emulator, say)"),
    ("aws_access_key_id", "string", "AccessKeyID", "an access key id (explicit credentials)"),
    ("aws_secret_access_key", "string", "SecretAccessKey", "its secret key"),
    ("aws_session_token", "string", "SessionToken", "the session token of temporary credentials"),
    ("profile", "string", "Profile", "a profile of the shared config files"),
    ("ca_bundle", "path", "CABundle", "a PEM file of the CA certificates to trust, for private endpoints"),
    ("connect_timeout", "seconds", "ConnectTimeout", "the connect timeout (3.1 s)"),
    ("read_timeout", "seconds", "ReadTimeout", "the read timeout of each attempt (60 s)"),
    ("total_timeout", "seconds", "TotalTimeout", "a bound on the whole call, retries included (none)"),
    ("max_attempts", "count", "MaxAttempts", "attempts in all, the first included (3)"),
    ("retry_mode", "string", "RetryMode", "standard (the default), legacy or adaptive"),
    ("initial_backoff", "seconds", "InitialBackoff", "the base of the full-jitter back-off (1 s)"),
    ("use_fips_endpoint", "bool", "UseFIPSEndpoint", "use the FIPS endpoint"),
    ("use_dualstack_endpoint", "bool", "UseDualstackEndpoint", "use the dual-stack endpoint"),
    ("user_agent_extra", "string", "UserAgentExtra", "appended to the User-Agent header"),
    ("unsigned", "bool", "Unsigned", "never sign, even with credentials (botocore's UNSIGNED)"),
    ("credential_timeout", "seconds", "CredentialTimeout", "a bound on each fetch of temporary credentials (30 s)"),
    ("proxies", "map", "Proxies", "by scheme (http, https), as botocore's; replaces HTTP_PROXY, HTTPS_PROXY, NO_PROXY"),
    ("proxy_ca_bundle", "path", "ProxyCABundle", "a PEM file of CA certificates to trust for an HTTPS proxy"),
    (
        "verify",
        "insecure",
        "InsecureSkipVerify",
        "turns certificate checks off for this client (JSON false, Go true; never the default)",
    ),
]
