//! Target 1: the C ABI entry points with arbitrary bytes.
//!
//! Input: one flags byte, then `config NUL operation NUL input` (each cut at
//! its first NUL, as a C string would be). `cognito_identity_client_new` gets
//! the config; `cognito_identity_call` gets the operation and input, on that
//! client when it was made and talks to the local sink, else on a fixed
//! client that does. Flags pass NULL for chosen arguments. Every status must
//! be a declared one other than PANIC, every out string must be set (owned
//! JSON) exactly when the contract says, and everything is freed, so the
//! sanitizer's leak check covers the boundary too.
#![no_main]

use cognito_ffi::{
    cognito_identity_call, cognito_identity_call_with_timeout, cognito_identity_client,
    cognito_identity_client_describe, cognito_identity_client_free, cognito_identity_client_new,
    cognito_identity_status, cognito_identity_string_free,
};
use cognito_identity_fuzz::sink::{EMPTY_OK, Sink};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::ffi::{CStr, CString, c_char};
use std::ptr;
use std::sync::OnceLock;

const NULL_CONFIG: u8 = 1;
const NULL_OUT_ERROR: u8 = 2;
const FUZZED_CLIENT: u8 = 4;
const NULL_CLIENT: u8 = 8;
const NULL_OPERATION: u8 = 16;
const NULL_INPUT: u8 = 32;
const WITH_TIMEOUT: u8 = 64;
const NULL_OUT_JSON: u8 = 128;

/// The highest status value the header declares.
const LAST_STATUS: i32 = cognito_identity_status::COGNITO_IDENTITY_INVALID_RESPONSE as i32;

struct Fixed {
    sink: Sink,
    /// A client of the sink with static keys, made once (as a usize: the
    /// client is thread-safe, the raw pointer type is not `Sync`).
    client: usize,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let sink = Sink::start(EMPTY_OK).expect("the sink starts");
        let config = format!(
            r#"{{"region": "us-east-1", "endpoint_url": "{}", "aws_access_key_id": "AKIDFUZZ",
                "aws_secret_access_key": "fuzz-secret-key-0123456789", "max_attempts": 1}}"#,
            sink.url()
        );
        let config = CString::new(config).expect("no NUL");
        let mut client = ptr::null_mut();
        let status = unsafe { cognito_identity_client_new(config.as_ptr(), &mut client, ptr::null_mut()) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        Fixed { sink, client: client as usize }
    })
}

fuzz_target!(
    init: {
        // Clients made from fuzzed configs find the sink through the
        // environment, so none of them reaches the network.
        let url = fixed().sink.url();
        cognito_identity_fuzz::env::hermetic(&[("AWS_ENDPOINT_URL", &url), ("AWS_REGION", "us-east-1")]);
    },
    |data: &[u8]| run(data)
);

fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let mut parts = rest.splitn(3, |b| *b == 0);
    let config = c_string(parts.next());
    let operation = c_string(parts.next());
    let input = c_string(parts.next());
    let config_text = config.to_string_lossy().into_owned();
    let all_text = String::from_utf8_lossy(data).into_owned();

    let mut client: *mut cognito_identity_client = ptr::null_mut();
    let mut error: *mut c_char = ptr::null_mut();
    let status = unsafe {
        cognito_identity_client_new(
            if flags & NULL_CONFIG != 0 { ptr::null() } else { config.as_ptr() },
            &mut client,
            if flags & NULL_OUT_ERROR != 0 { ptr::null_mut() } else { &mut error },
        )
    };
    check_status(status, "cognito_identity_client_new");
    if status == cognito_identity_status::COGNITO_IDENTITY_OK {
        assert!(!client.is_null() && error.is_null(), "OK sets the client and no error");
    } else {
        assert!(client.is_null(), "a failure stores NULL in *out");
        if flags & NULL_OUT_ERROR == 0 {
            let doc = take_json(error, "client_new error");
            check_error_doc(&doc, status);
            check_no_secret(&doc, &config_text, &all_text);
        }
    }

    // The call goes to the sink only: on the fuzzed client when it was made
    // and resolved the sink's URL, else on the fixed client.
    let mut on = fixed().client as *const cognito_identity_client;
    if flags & FUZZED_CLIENT != 0 && !client.is_null() && describes_sink(client) {
        on = client;
    }
    if flags & NULL_CLIENT != 0 {
        on = ptr::null();
    }
    let op_ptr = if flags & NULL_OPERATION != 0 { ptr::null() } else { operation.as_ptr() };
    let input_ptr = if flags & NULL_INPUT != 0 { ptr::null() } else { input.as_ptr() };
    let mut out: *mut c_char = ptr::null_mut();
    let out_ptr: *mut *mut c_char = if flags & NULL_OUT_JSON != 0 { ptr::null_mut() } else { &mut out };
    let status = unsafe {
        if flags & WITH_TIMEOUT != 0 {
            let ms = u64::from(input.as_bytes().len() as u8);
            cognito_identity_call_with_timeout(on, op_ptr, input_ptr, ms, out_ptr)
        } else {
            cognito_identity_call(on, op_ptr, input_ptr, out_ptr)
        }
    };
    check_status(status, "cognito_identity_call");
    if flags & NULL_OUT_JSON != 0 {
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT, "NULL out_json");
        assert!(out.is_null(), "nothing is written through a NULL out_json");
    } else {
        let doc = take_json(out, "call out_json");
        if status == cognito_identity_status::COGNITO_IDENTITY_OK {
            assert!(doc.get("ResponseMetadata").is_some(), "a result carries ResponseMetadata: {doc}");
        } else {
            check_error_doc(&doc, status);
        }
        check_no_secret(&doc, &config_text, &all_text);
    }
    unsafe { cognito_identity_client_free(client) };
}

/// The bytes up to the first NUL, as a C string.
fn c_string(part: Option<&[u8]>) -> CString {
    let part = part.unwrap_or_default();
    let end = part.iter().position(|b| *b == 0).unwrap_or(part.len());
    CString::new(&part[..end]).unwrap_or_default()
}

fn check_status(status: cognito_identity_status, what: &str) {
    let value = status as i32;
    assert!((0..=LAST_STATUS).contains(&value), "{what}: undeclared status {value}");
    assert_ne!(status, cognito_identity_status::COGNITO_IDENTITY_PANIC, "{what}: a panic reached the boundary");
}

/// Reads and frees an out string: it must be set, UTF-8 and a JSON object.
fn take_json(s: *mut c_char, what: &str) -> Value {
    assert!(!s.is_null(), "{what}: the out string is always set");
    let text = unsafe { CStr::from_ptr(s) }.to_str().map(str::to_owned);
    unsafe { cognito_identity_string_free(s) };
    let text = text.unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    assert!(doc.is_object(), "{what}: not an object: {text}");
    doc
}

fn check_error_doc(doc: &Value, status: cognito_identity_status) {
    let code = doc["Error"]["Code"].as_str().unwrap_or_default();
    assert!(!code.is_empty(), "status {status:?} without Error.Code: {doc}");
    assert!(doc["Error"]["Message"].is_string(), "no Error.Message: {doc}");
    assert!(doc["ResponseMetadata"].is_object(), "no ResponseMetadata: {doc}");
}

/// A secret key given in the config is never echoed (when it is long enough
/// to tell, and appears nowhere else in the whole input: an operation name or
/// input that holds the same text may be quoted).
fn check_no_secret(doc: &Value, config_text: &str, all_text: &str) {
    for key in ["aws_secret_access_key", "aws_session_token"] {
        let Some(secret) =
            serde_json::from_str::<Value>(config_text).ok().and_then(|c| c[key].as_str().map(str::to_owned))
        else {
            continue;
        };
        if secret.len() >= 8 && all_text.matches(secret.as_str()).count() == 1 {
            assert!(!doc.to_string().contains(&secret), "{key} echoed: {doc}");
        }
    }
}

/// Whether this client sends to the sink (so calling it stays on loopback).
fn describes_sink(client: *const cognito_identity_client) -> bool {
    let mut out = ptr::null_mut();
    let status = unsafe { cognito_identity_client_describe(client, &mut out) };
    check_status(status, "cognito_identity_client_describe");
    let doc = take_json(out, "describe");
    doc["endpoint_url"].as_str().is_some_and(|u| u.trim_end_matches('/') == fixed().sink.url())
}
