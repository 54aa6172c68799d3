//! `cognito_identity_status`: what every export returns.

use cognito_core::ErrorKind;

pub use crate::status_gen::cognito_identity_status;

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
