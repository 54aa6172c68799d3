//! Strings across the boundary: reading C arguments (bounded, UTF-8, JSON)
//! and handing back owned JSON strings that `cognito_identity_string_free`
//! releases.

use crate::status::cognito_identity_status;
use cognito_core::{Error, ErrorKind};
use serde_json::Value;
use std::ffi::{CString, c_char};

/// The largest JSON argument accepted, in bytes (the NUL not counted). The
/// biggest valid Cognito Identity input is far smaller.
pub const COGNITO_IDENTITY_MAX_INPUT_BYTES: usize = 1 << 20;

/// The error code of failures found at the boundary itself.
pub(crate) const INVALID_ARGUMENT_CODE: &str = "InvalidArgumentError";

/// A failed export: its status and the error document to hand back.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: cognito_identity_status,
    pub(crate) document: Value,
}

impl Failure {
    pub(crate) fn new(status: cognito_identity_status, code: &str, message: String) -> Self {
        // Any client-side kind gives `"Type": "Client"` and no HTTP status.
        let document = Error::new(ErrorKind::Validation, code, message).to_document();
        Failure { status, document }
    }

    pub(crate) fn invalid_argument(message: String) -> Self {
        Self::new(cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT, INVALID_ARGUMENT_CODE, message)
    }

    pub(crate) fn null(name: &str) -> Self {
        Self::invalid_argument(format!("argument `{name}` is NULL"))
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure { status: e.kind().into(), document: e.to_document() }
    }
}

/// Reads a NUL-terminated UTF-8 argument, scanning at most
/// [`COGNITO_IDENTITY_MAX_INPUT_BYTES`] + 1 bytes.
///
/// # Safety
///
/// `ptr` must be NULL or point to a NUL-terminated string, or to at least
/// `COGNITO_IDENTITY_MAX_INPUT_BYTES + 1` readable bytes, valid for `'a`.
pub(crate) unsafe fn read_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    let mut len = 0;
    // SAFETY: every byte up to and including the NUL (or the bound) is readable.
    while unsafe { *ptr.add(len) } != 0 {
        len += 1;
        if len > COGNITO_IDENTITY_MAX_INPUT_BYTES {
            return Err(Failure::invalid_argument(format!(
                "argument `{name}` is over {COGNITO_IDENTITY_MAX_INPUT_BYTES} bytes"
            )));
        }
    }
    // SAFETY: `len` bytes from `ptr` were just read and stay valid for 'a.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::invalid_argument(format!(
            "argument `{name}` is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// Reads a JSON object argument; NULL means `{}`. Anything but an object is
/// refused, as are documents nested over 128 levels (serde_json's limit).
///
/// # Safety
///
/// As for [`read_str`].
pub(crate) unsafe fn read_json_object(ptr: *const c_char, name: &str) -> Result<Value, Failure> {
    if ptr.is_null() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    // SAFETY: forwarded from the caller.
    let text = unsafe { read_str(ptr, name) }?;
    // The message names the position only: it never echoes the input, which
    // may hold secrets (Logins tokens, keys).
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let why = if e.to_string().starts_with("recursion limit exceeded") {
            "is nested too deeply (over 128 levels)".to_owned()
        } else {
            format!("is not valid JSON ({:?} error at line {} column {})", e.classify(), e.line(), e.column())
        };
        Failure::invalid_argument(format!("argument `{name}` {why}"))
    })?;
    if !value.is_object() {
        return Err(Failure::invalid_argument(format!(
            "argument `{name}` must be a JSON object, not {}",
            type_name(&value)
        )));
    }
    Ok(value)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An owned C string of `doc`, to be released with `cognito_identity_string_free`.
pub(crate) fn into_c_string(doc: &Value) -> *mut c_char {
    // serde_json escapes U+0000 as \u0000, so the text has no interior NUL;
    // the fallback only keeps this function total. (`to_vec` writes straight
    // into the buffer; `to_string` would go through `fmt`, 3x the work.)
    let text = serde_json::to_vec(doc).unwrap_or_else(|_| b"{}".to_vec());
    CString::new(text).unwrap_or_else(|_| c"{}".to_owned()).into_raw()
}

/// An owned C string of a JSON document given as text.
pub(crate) fn text_into_c_string(text: String) -> *mut c_char {
    // JSON text escapes U+0000, so it has no interior NUL; the fallback only
    // keeps this function total.
    CString::new(text).unwrap_or_else(|_| c"{}".to_owned()).into_raw()
}

/// Stores an owned C string of `doc` in `*out`.
///
/// # Safety
///
/// `out` must be non-NULL and valid for writing one pointer.
pub(crate) unsafe fn write_out(out: *mut *mut c_char, doc: &Value) {
    // SAFETY: guaranteed by the caller.
    unsafe { out.write(into_c_string(doc)) };
}

/// Frees a string this library returned (`out_json`, `out_error`).
///
/// `s` may be NULL (nothing happens). Passing any other pointer, or freeing
/// the same string twice, is undefined behaviour. Thread-safe.
///
/// # Safety
///
/// `s` must be NULL or a string returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = crate::panic::catch(|| {
        // SAFETY: `s` came from `CString::into_raw` in `into_c_string`.
        drop(unsafe { CString::from_raw(s) });
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Value, Failure> {
        let c = CString::new(bytes).expect("no NUL");
        unsafe { read_json_object(c.as_ptr(), "input_json") }
    }

    fn message(f: &Failure) -> String {
        assert_eq!(f.status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT);
        assert_eq!(f.document["Error"]["Code"], INVALID_ARGUMENT_CODE);
        f.document["Error"]["Message"].as_str().expect("str").to_owned()
    }

    #[test]
    fn objects_are_read() {
        assert_eq!(read(b"{\"a\": 1}").expect("ok")["a"], 1);
        let null = unsafe { read_json_object(std::ptr::null(), "x") }.expect("ok");
        assert_eq!(null, serde_json::json!({}));
    }

    #[test]
    fn bad_arguments_name_the_argument() {
        for (input, want) in [
            (&b"[1]"[..], "an array"),
            (b"null", "null"),
            (b"{", "not valid JSON"),
            (b"{\"a\": \xff}", "not valid UTF-8"),
        ] {
            let m = message(&read(input).expect_err("refused"));
            assert!(m.contains("input_json") && m.contains(want), "{m}");
        }
    }

    #[test]
    fn deep_and_huge_inputs_are_refused() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        assert!(message(&read(deep.as_bytes()).expect_err("deep")).contains("nested"));
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(COGNITO_IDENTITY_MAX_INPUT_BYTES));
        assert!(message(&read(huge.as_bytes()).expect_err("huge")).contains("over"));
    }

    #[test]
    fn free_accepts_null() {
        unsafe { cognito_identity_string_free(std::ptr::null_mut()) };
    }
}
