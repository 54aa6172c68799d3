//! Calling operations: the generic `cognito_identity_call` and its bounded
//! form. The per-operation functions are in `operations_gen.rs`.

use crate::client::cognito_identity_client;
use crate::panic::deliver_text;
use crate::status::cognito_identity_status;
use crate::strings::{read_json_object, read_str};
use std::ffi::c_char;
use std::time::Duration;

/// Calls an operation by its API name.
///
/// - `client`: from `cognito_identity_client_new`; not NULL.
/// - `operation`: the PascalCase name as in the API reference, e.g. `"GetId"`;
///   an unknown name gives `COGNITO_IDENTITY_UNKNOWN_OPERATION`.
/// - `input_json`: a JSON object of the operation's input members (at most
///   1 MiB, nested at most 128 levels); NULL means `{}`.
/// - `out_json`: not NULL. `*out_json` is always set to an owned
///   NUL-terminated UTF-8 string that the caller frees with
///   `cognito_identity_string_free`: the output members plus
///   `ResponseMetadata` on success, the error document
///   `{"Error": {"Code", "Message", "Type"}, "ResponseMetadata": {...}}`
///   on failure. When `out_json` is NULL nothing is done and
///   `COGNITO_IDENTITY_INVALID_ARGUMENT` is returned.
///
/// Returns `COGNITO_IDENTITY_OK` or the status of the failure. Blocks until
/// the call (with its retries) completes. The arguments are only read during
/// the call; the caller keeps ownership of them.
///
/// Thread-safe: any number of threads may call at once on one client.
///
/// # Safety
///
/// `client` must be NULL or a live client; `operation` and `input_json` NULL
/// or NUL-terminated strings; `out_json` NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_call(
    client: *const cognito_identity_client,
    operation: *const c_char,
    input_json: *const c_char,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: forwarded from the caller.
    unsafe { cognito_identity_call_with_timeout(client, operation, input_json, 0, out_json) }
}

/// As `cognito_identity_call`, bounded by `timeout_ms` milliseconds for the
/// whole call (retries and back-off included) as well as by the client's
/// `total_timeout`, whichever is shorter. `timeout_ms` 0 adds no bound.
/// When the bound expires the call returns `COGNITO_IDENTITY_TIMEOUT`
/// (`DeadlineExceededError`).
///
/// Thread-safe.
///
/// # Safety
///
/// As for `cognito_identity_call`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_call_with_timeout(
    client: *const cognito_identity_client,
    operation: *const c_char,
    input_json: *const c_char,
    timeout_ms: u64,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: `out_json` is NULL or writable by contract.
    unsafe {
        // The result goes out as text: the core writes it from the answer's
        // body, with no JSON value in between.
        deliver_text(out_json, || {
            let client = cognito_identity_client::from_ptr(client)?;
            let operation = read_str(operation, "operation")?;
            let input = read_json_object(input_json, "input_json")?;
            let timeout = (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms));
            Ok(client.call_json_text(operation, &input, timeout)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations_gen::{OPERATION_FUNCTIONS, cognito_identity_get_id};
    use crate::strings::cognito_identity_string_free;
    use cognito_core::model::OPERATIONS;
    use serde_json::Value;
    use std::ffi::{CStr, CString};

    #[test]
    fn the_function_list_is_the_model_operation_list() {
        let ours: Vec<(String, &str)> = OPERATION_FUNCTIONS.iter().map(|(f, op)| ((*f).to_owned(), *op)).collect();
        let model: Vec<(String, &str)> =
            OPERATIONS.iter().map(|op| (format!("cognito_identity_{}", op.snake_name), op.name)).collect();
        assert_eq!(ours, model);
    }

    fn call(client: *const cognito_identity_client, op: &str, input: Option<&str>) -> (cognito_identity_status, Value) {
        let op = CString::new(op).expect("no NUL");
        let input = input.map(|i| CString::new(i).expect("no NUL"));
        let mut out = std::ptr::null_mut();
        let status = unsafe {
            cognito_identity_call(
                client,
                op.as_ptr(),
                input.as_ref().map_or(std::ptr::null(), |i| i.as_ptr()),
                &mut out,
            )
        };
        assert!(!out.is_null());
        let text = unsafe { CStr::from_ptr(out) }.to_str().expect("utf-8").to_owned();
        unsafe { cognito_identity_string_free(out) };
        (status, serde_json::from_str(&text).expect("json"))
    }

    fn offline_client() -> *mut cognito_identity_client {
        let config = cr#"{"region": "us-east-1", "endpoint_url": "http://127.0.0.1:9", "unsigned": true}"#;
        let mut client = std::ptr::null_mut();
        let status =
            unsafe { crate::client::cognito_identity_client_new(config.as_ptr(), &mut client, std::ptr::null_mut()) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        client
    }

    #[test]
    fn boundary_failures_have_their_own_status() {
        use cognito_identity_status as S;
        let client = offline_client();
        let (s, doc) = call(std::ptr::null(), "GetId", None);
        assert_eq!(s, S::COGNITO_IDENTITY_INVALID_ARGUMENT);
        assert!(doc["Error"]["Message"].as_str().expect("m").contains("client"));
        assert_eq!(call(client, "GetId", Some("[]")).0, S::COGNITO_IDENTITY_INVALID_ARGUMENT);
        assert_eq!(call(client, "NoSuchOp", None).0, S::COGNITO_IDENTITY_UNKNOWN_OPERATION);
        assert_eq!(call(client, "GetId", None).0, S::COGNITO_IDENTITY_VALIDATION);
        let mut ignored = std::ptr::null_mut();
        let status = unsafe { cognito_identity_call(client, std::ptr::null(), std::ptr::null(), &mut ignored) };
        assert_eq!(status, S::COGNITO_IDENTITY_INVALID_ARGUMENT);
        unsafe { cognito_identity_string_free(ignored) };
        let status = unsafe { cognito_identity_get_id(client, std::ptr::null(), std::ptr::null_mut()) };
        assert_eq!(status, S::COGNITO_IDENTITY_INVALID_ARGUMENT);
        unsafe { crate::client::cognito_identity_client_free(client) };
    }
}
