//! The errors the emulator answers with, shaped as awsJson1_1 errors.

use std::fmt;

/// An AWS-style error: a code (the `__type`), a message and an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub status: u16,
}

impl ApiError {
    pub fn new(code: &'static str, status: u16, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), status }
    }

    /// A client fault (HTTP 400) with this code.
    pub fn sender(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, 400, message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::sender("InvalidParameterException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::sender("ResourceNotFoundException", message)
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::sender("NotAuthorizedException", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::sender("ResourceConflictException", message)
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::sender("ValidationException", message)
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        Self::sender("SerializationException", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", 500, message)
    }

    /// The awsJson1_1 error body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"__type": self.code, "message": self.message})
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Result of an operation handler.
pub type ApiResult<T = serde_json::Value> = Result<T, ApiError>;
