//! `cognito_identity_status`: what every export returns.

use cognito_core::ErrorKind;

/// The result of a call. The numeric values are part of the ABI: they are
/// never renumbered, and new codes are only ever added at the end.
///
/// Whatever the status, the function's `out_json` argument (when not NULL)
/// holds a JSON document: the result for `COGNITO_IDENTITY_OK`, the error
/// document `{"Error": {"Code", "Message", "Type"}, "ResponseMetadata": {...}}`
/// otherwise.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum cognito_identity_status {
    /// Success.
    COGNITO_IDENTITY_OK = 0,
    /// A NULL pointer, invalid UTF-8, invalid JSON, JSON that is not an
    /// object, or input that is too large (over 1 MiB) or too deeply nested
    /// (over 128 levels). Error code `InvalidArgumentError`.
    COGNITO_IDENTITY_INVALID_ARGUMENT = 1,
    /// The input breaks a rule of the service model (`ParamValidationError`).
    COGNITO_IDENTITY_VALIDATION = 2,
    /// The service answered with an error (`NotAuthorizedException`, ...).
    COGNITO_IDENTITY_SERVICE = 3,
    /// The request could not be sent or its answer not received
    /// (`EndpointConnectionError`, `ConnectionClosedError`, `SSLError`, ...).
    COGNITO_IDENTITY_TRANSPORT = 4,
    /// A connect, read or total timeout expired (`ConnectTimeoutError`,
    /// `ReadTimeoutError`, `DeadlineExceededError`).
    COGNITO_IDENTITY_TIMEOUT = 5,
    /// A signed operation was called and no credentials were found (`NoCredentialsError`, ...).
    COGNITO_IDENTITY_CREDENTIALS = 6,
    /// A bug: a Rust panic was caught at the boundary (`PanicError`). The
    /// client is still usable; please report it.
    COGNITO_IDENTITY_PANIC = 7,
    /// The client configuration is unusable: unknown key, wrong type, bad
    /// region, endpoint or CA bundle (`InvalidConfigError`, `NoRegionError`, ...).
    COGNITO_IDENTITY_CONFIGURATION = 8,
    /// No operation has that name (`OperationNotFoundError`).
    COGNITO_IDENTITY_UNKNOWN_OPERATION = 9,
    /// The service answered with a body that is not the JSON the model
    /// promises (`ResponseParserError`).
    COGNITO_IDENTITY_INVALID_RESPONSE = 10,
}

impl From<ErrorKind> for cognito_identity_status {
    fn from(kind: ErrorKind) -> Self {
        use cognito_identity_status as S;
        match kind {
            ErrorKind::Validation => S::COGNITO_IDENTITY_VALIDATION,
            ErrorKind::UnknownOperation => S::COGNITO_IDENTITY_UNKNOWN_OPERATION,
            ErrorKind::Configuration => S::COGNITO_IDENTITY_CONFIGURATION,
            ErrorKind::Credentials => S::COGNITO_IDENTITY_CREDENTIALS,
            ErrorKind::Service => S::COGNITO_IDENTITY_SERVICE,
            ErrorKind::Transport => S::COGNITO_IDENTITY_TRANSPORT,
            ErrorKind::Timeout => S::COGNITO_IDENTITY_TIMEOUT,
            ErrorKind::InvalidResponse => S::COGNITO_IDENTITY_INVALID_RESPONSE,
            // A kind added to the core after this crate was written: the
            // request did not complete, which is closest to a transport failure.
            _ => S::COGNITO_IDENTITY_TRANSPORT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cognito_identity_status as S;
    use super::*;

    #[test]
    fn values_are_fixed() {
        let all = [
            (S::COGNITO_IDENTITY_OK, 0),
            (S::COGNITO_IDENTITY_INVALID_ARGUMENT, 1),
            (S::COGNITO_IDENTITY_VALIDATION, 2),
            (S::COGNITO_IDENTITY_SERVICE, 3),
            (S::COGNITO_IDENTITY_TRANSPORT, 4),
            (S::COGNITO_IDENTITY_TIMEOUT, 5),
            (S::COGNITO_IDENTITY_CREDENTIALS, 6),
            (S::COGNITO_IDENTITY_PANIC, 7),
            (S::COGNITO_IDENTITY_CONFIGURATION, 8),
            (S::COGNITO_IDENTITY_UNKNOWN_OPERATION, 9),
            (S::COGNITO_IDENTITY_INVALID_RESPONSE, 10),
        ];
        for (status, value) in all {
            assert_eq!(status as i32, value, "{status:?}");
        }
    }

    #[test]
    fn every_kind_has_its_own_status() {
        assert_eq!(S::from(ErrorKind::Validation), S::COGNITO_IDENTITY_VALIDATION);
        assert_eq!(S::from(ErrorKind::Service), S::COGNITO_IDENTITY_SERVICE);
        assert_eq!(S::from(ErrorKind::Timeout), S::COGNITO_IDENTITY_TIMEOUT);
        assert_eq!(S::from(ErrorKind::InvalidResponse), S::COGNITO_IDENTITY_INVALID_RESPONSE);
    }
}
