//! The panic boundary: no Rust panic ever unwinds into C.
//!
//! Every export runs its body through [`catch`] (or [`deliver`], which also
//! writes the JSON answer), after rustls-ffi's `ffi_panic_boundary!`. A caught
//! panic becomes `COGNITO_IDENTITY_PANIC` and an error document with the code
//! `PanicError`.

use crate::status::cognito_identity_status;
use crate::strings::{Failure, text_into_c_string, write_out};
use serde_json::Value;
use std::any::Any;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `body`, turning a panic into a [`Failure`] with the panic status.
pub(crate) fn catch<T>(body: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    // AssertUnwindSafe: after a panic nothing the body touched is used again
    // except the client, whose state (an Arc'd connection pool, atomics and
    // mutexes that recover from poisoning) stays consistent.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(panic_failure(&*payload)))
}

/// Runs `body` with panics caught, then stores its answer (the result
/// document, or the error document) in `*out` as an owned C string.
///
/// # Safety
///
/// `out` must be NULL or valid for writing one pointer. When it is NULL
/// nothing runs and `COGNITO_IDENTITY_INVALID_ARGUMENT` is returned.
pub(crate) unsafe fn deliver(
    out: *mut *mut c_char,
    body: impl FnOnce() -> Result<Value, Failure>,
) -> cognito_identity_status {
    if out.is_null() {
        return cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT;
    }
    let (status, doc) = match catch(body) {
        Ok(v) => (cognito_identity_status::COGNITO_IDENTITY_OK, v),
        Err(f) => (f.status, f.document),
    };
    // SAFETY: `out` is non-NULL and, by the caller's contract, writable.
    unsafe { write_out(out, &doc) };
    status
}

/// As [`deliver`], for a body that gives its result document as JSON text.
///
/// # Safety
///
/// As for [`deliver`].
pub(crate) unsafe fn deliver_text(
    out: *mut *mut c_char,
    body: impl FnOnce() -> Result<String, Failure>,
) -> cognito_identity_status {
    // SAFETY: forwarded from the caller.
    unsafe { deliver_text_or_null(out, || body().map(Some)) }
}

/// As [`deliver_text`], for a body that may have no document yet (a split
/// call still waiting): then `*out` is set to NULL.
///
/// # Safety
///
/// As for [`deliver`].
pub(crate) unsafe fn deliver_text_or_null(
    out: *mut *mut c_char,
    body: impl FnOnce() -> Result<Option<String>, Failure>,
) -> cognito_identity_status {
    if out.is_null() {
        return cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT;
    }
    match catch(body) {
        Ok(text) => {
            // SAFETY: `out` is non-NULL and, by the caller's contract, writable.
            unsafe { out.write(text.map_or(std::ptr::null_mut(), text_into_c_string)) };
            cognito_identity_status::COGNITO_IDENTITY_OK
        }
        Err(f) => {
            // SAFETY: as above.
            unsafe { write_out(out, &f.document) };
            f.status
        }
    }
}

fn panic_failure(payload: &(dyn Any + Send)) -> Failure {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    Failure::new(
        cognito_identity_status::COGNITO_IDENTITY_PANIC,
        "PanicError",
        format!("a Rust panic was caught at the C boundary (a bug; please report it): {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::cognito_identity_string_free;
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_the_panic_status_and_a_document() {
        let mut out: *mut c_char = std::ptr::null_mut();
        let status = unsafe { deliver(&mut out, || panic!("boom")) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_PANIC);
        let text = unsafe { CStr::from_ptr(out) }.to_str().expect("utf-8").to_owned();
        unsafe { cognito_identity_string_free(out) };
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(doc["Error"]["Code"], "PanicError");
        assert_eq!(doc["Error"]["Type"], "Client");
        assert!(doc["Error"]["Message"].as_str().expect("message").contains("boom"));
    }

    #[test]
    fn a_null_out_runs_nothing() {
        let mut ran = false;
        let status = unsafe {
            deliver(std::ptr::null_mut(), || {
                ran = true;
                Ok(Value::Null)
            })
        };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT);
        assert!(!ran);
    }
}
