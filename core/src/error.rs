//! One error type for every failure, and the JSON document all front doors share.

use serde_json::{Map, Value, json};
use std::fmt;

/// What kind of failure an [`Error`] is. Front doors map it to their own
/// vocabulary (a C status, a Python exception class), so variants are never
/// removed or renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input broke a rule of the model (or was not a JSON object).
    Validation,
    /// No such operation.
    UnknownOperation,
    /// The client's configuration is unusable (bad region, endpoint, CA bundle, ...).
    Configuration,
    /// A signed operation was called and no credentials could be found.
    Credentials,
    /// The service answered with an error.
    Service,
    /// The request could not be sent or its answer not received.
    Transport,
    /// A connect, read or total timeout expired.
    Timeout,
    /// The service answered with a body that is not the JSON the model promises.
    InvalidResponse,
}

impl ErrorKind {
    /// The value of `Error.Type` in the error document for client-side kinds.
    fn client_side(self) -> bool {
        !matches!(self, ErrorKind::Service)
    }
}

/// A failed call. `Debug` and `Display` never show a secret: messages are
/// built from the model's non-sensitive data and the service's own message.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    code: String,
    message: String,
    http_status: Option<u16>,
    request_id: Option<String>,
    retry_attempts: u32,
}

impl Error {
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: code.into(),
            message: message.into(),
            http_status: None,
            request_id: None,
            retry_attempts: 0,
        }
    }

    pub(crate) fn service(code: String, message: String, status: u16, request_id: Option<String>) -> Self {
        Error { kind: ErrorKind::Service, code, message, http_status: Some(status), request_id, retry_attempts: 0 }
    }

    pub(crate) fn with_response(mut self, status: u16, request_id: Option<String>) -> Self {
        self.http_status = Some(status);
        self.request_id = request_id;
        self
    }

    pub(crate) fn with_retry_attempts(mut self, attempts: u32) -> Self {
        self.retry_attempts = attempts;
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The service's error code (`NotAuthorizedException`) or ours for
    /// client-side failures (`ParamValidationError`, `NoCredentialsError`, ...).
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn message(&self) -> &str {
        &self.message
    }
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// How many times the call was retried before this error was returned.
    pub fn retry_attempts(&self) -> u32 {
        self.retry_attempts
    }

    /// "Sender" (the caller's fault), "Receiver" (the service's) or "Client"
    /// (it never got an answer from the service, or never asked).
    pub fn fault_type(&self) -> &'static str {
        if self.kind.client_side() {
            return "Client";
        }
        match self.http_status {
            Some(s) if s >= 500 => "Receiver",
            _ => crate::model::error_codes().find(|(c, _)| *c == self.code).map_or("Sender", |(_, t)| t),
        }
    }

    /// The error document every front door returns:
    /// `{"Error": {"Code", "Message", "Type"}, "ResponseMetadata": {...}}`.
    pub fn to_document(&self) -> Value {
        let mut meta = Map::new();
        if let Some(id) = &self.request_id {
            meta.insert("RequestId".into(), json!(id));
        }
        if let Some(status) = self.http_status {
            meta.insert("HTTPStatusCode".into(), json!(status));
        }
        meta.insert("RetryAttempts".into(), json!(self.retry_attempts));
        json!({
            "Error": {"Code": self.code, "Message": self.message, "Type": self.fault_type()},
            "ResponseMetadata": meta,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .field("request_id", &self.request_id)
            .field("retry_attempts", &self.retry_attempts)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Codes for client-side failures, after botocore's exception names.
pub mod codes {
    pub const PARAM_VALIDATION: &str = "ParamValidationError";
    pub const UNKNOWN_OPERATION: &str = "OperationNotFoundError";
    pub const NO_CREDENTIALS: &str = "NoCredentialsError";
    pub const PARTIAL_CREDENTIALS: &str = "PartialCredentialsError";
    pub const CREDENTIAL_RETRIEVAL: &str = "CredentialRetrievalError";
    pub const INFINITE_LOOP_CONFIG: &str = "InfiniteLoopConfigError";
    pub const UNAUTHORIZED_SSO_TOKEN: &str = "UnauthorizedSSOTokenError";
    pub const PROFILE_NOT_FOUND: &str = "ProfileNotFound";
    pub const NO_REGION: &str = "NoRegionError";
    pub const INVALID_REGION: &str = "InvalidRegionError";
    pub const INVALID_CONFIG: &str = "InvalidConfigError";
    pub const INVALID_ENDPOINT: &str = "InvalidEndpointConfigurationError";
    pub const ENDPOINT_RESOLUTION: &str = "EndpointResolutionError";
    pub const ENDPOINT_CONNECTION: &str = "EndpointConnectionError";
    pub const CONNECTION_CLOSED: &str = "ConnectionClosedError";
    pub const SSL: &str = "SSLError";
    pub const CONNECT_TIMEOUT: &str = "ConnectTimeoutError";
    pub const READ_TIMEOUT: &str = "ReadTimeoutError";
    pub const DEADLINE_EXCEEDED: &str = "DeadlineExceededError";
    pub const RESPONSE_PARSER: &str = "ResponseParserError";
}
