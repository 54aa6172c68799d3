//! One error type for every failure, and the JSON document all front doors share.

use serde_json::{Map, Value, json};
use std::fmt;
use std::sync::Arc;

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
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    code: String,
    message: String,
    http_status: Option<u16>,
    request_id: Option<String>,
    retry_attempts: u32,
    /// The underlying failure (I/O, TLS, JSON), for `std::error::Error::source`.
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Errors are equal when everything but their source is (sources have no equality).
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, &self.code, &self.message, self.http_status, &self.request_id, self.retry_attempts)
            == (other.kind, &other.code, &other.message, other.http_status, &other.request_id, other.retry_attempts)
    }
}

impl Eq for Error {}

impl Error {
    /// An error of `kind` with a code (the service's or one of [`codes`]) and a message.
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: code.into(),
            message: message.into(),
            http_status: None,
            request_id: None,
            retry_attempts: 0,
            source: None,
        }
    }

    pub(crate) fn service(code: String, message: String, status: u16, request_id: Option<String>) -> Self {
        Error { http_status: Some(status), request_id, ..Error::new(ErrorKind::Service, code, message) }
    }

    /// The same error, caused by `source`.
    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
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

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The code as an [`ErrorCode`], when this crate knows it (the service's
    /// modeled errors and every client-side code).
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_code(&self.code)
    }
    /// The service's error code (`NotAuthorizedException`) or ours for
    /// client-side failures (`ParamValidationError`, `NoCredentialsError`, ...).
    pub fn code(&self) -> &str {
        &self.code
    }
    /// What went wrong, in words (the service's message for its errors).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The HTTP status of the service's answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }
    /// `x-amzn-RequestId` of the service's answer, when there was one.
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[rustfmt::skip]
mod codes_gen;

pub use codes_gen::{ErrorCode, codes};
