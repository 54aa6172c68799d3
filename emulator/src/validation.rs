//! Model constraint checks on the input, answered as Cognito Identity does:
//! HTTP 400 `ValidationException` ("1 validation error detected: ...") for
//! broken constraints, `SerializationException` for JSON of the wrong type.
//!
//! The rules come from the core crate's validator, so client and emulator
//! read the model the same way. Members the model does not know are ignored,
//! as AWS's JSON services ignore them.

use crate::error::{ApiError, ApiResult};
use cognito_identity::model::Operation;
use serde_json::Value;

/// Checks the input against the operation's model constraints.
pub fn check(op: &Operation, input: &Value) -> ApiResult<()> {
    let Err(err) = cognito_identity::validate::validate_input(op, input) else {
        return Ok(());
    };
    // The first line names the operation; each further line is one problem.
    let problems: Vec<&str> = err.message().lines().skip(1).filter(|p| !p.starts_with("Unknown parameter")).collect();
    if let Some(type_error) = problems.iter().find(|p| p.starts_with("Invalid type")) {
        return Err(ApiError::serialization(*type_error));
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err(ApiError::validation(format!("1 validation error detected: {}", problems[0]))),
        n => Err(ApiError::validation(format!("{n} validation errors detected: {}", problems.join("; ")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_identity::model::operation;
    use serde_json::json;

    fn op(name: &str) -> &'static Operation {
        operation(name).expect("known operation")
    }

    #[test]
    fn constraint_breaks_are_validation_exceptions() {
        let e = check(op("GetId"), &json!({"IdentityPoolId": "us-east-1_bad"})).expect_err("pattern");
        assert_eq!((e.code, e.status), ("ValidationException", 400));
        assert!(e.message.starts_with("1 validation error detected: "), "{}", e.message);
        assert!(e.message.contains("IdentityPoolId"), "{}", e.message);
        let e = check(op("ListIdentityPools"), &json!({})).expect_err("required");
        assert_eq!(e.code, "ValidationException");
        let e = check(op("ListIdentityPools"), &json!({"MaxResults": 61})).expect_err("range");
        assert_eq!(e.code, "ValidationException");
    }

    #[test]
    fn wrong_types_are_serialization_errors_and_unknown_members_pass() {
        let e = check(op("ListIdentityPools"), &json!({"MaxResults": "ten"})).expect_err("type");
        assert_eq!(e.code, "SerializationException");
        assert!(check(op("ListIdentityPools"), &json!({"MaxResults": 5, "Extra": 1})).is_ok());
    }
}
