//! `cognito_identity_client`: creating and freeing a client.

use crate::panic::catch;
use crate::status::cognito_identity_status;
use crate::strings::{Failure, read_json_object, write_out};
use cognito_core::{Client, Config};
use std::ffi::c_char;

/// A Cognito Identity client: its configuration, credentials and one
/// connection pool. Opaque; create it with `cognito_identity_client_new` and
/// release it with `cognito_identity_client_free`.
///
/// Thread safety: a client may be used from any number of threads at once
/// (calls run in parallel and share the connection pool). Only freeing it
/// must wait until no call is in progress.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct cognito_identity_client {
    client: Client,
}

impl cognito_identity_client {
    /// The client behind a C pointer, or an invalid-argument failure for NULL.
    ///
    /// # Safety
    ///
    /// `ptr` must be NULL or a live pointer from `cognito_identity_client_new`.
    pub(crate) unsafe fn from_ptr<'a>(ptr: *const Self) -> Result<&'a Client, Failure> {
        // SAFETY: guaranteed by the caller.
        unsafe { ptr.as_ref() }.map(|c| &c.client).ok_or_else(|| Failure::null("client"))
    }
}

/// Creates a client.
///
/// `config_json`: NULL, `"{}"` or a JSON object with any of the keys
/// `region`, `endpoint_url`, `aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`, `profile`, `ca_bundle` (path of a PEM file),
/// `connect_timeout`, `read_timeout`, `total_timeout` (seconds, numbers),
/// `max_attempts`, `retry_mode` (`"standard"`, `"legacy"`, `"adaptive"`),
/// `initial_backoff` (seconds), `use_fips_endpoint`, `use_dualstack_endpoint`,
/// `user_agent_extra`, `unsigned` (booleans for the flags), `credential_timeout`
/// (seconds: bounds each fetch of temporary credentials), `proxies` (an
/// object of `"http"`/`"https"` to proxy URL, which replaces `HTTP_PROXY`,
/// `HTTPS_PROXY` and `NO_PROXY`), `proxy_ca_bundle` (path), `verify`
/// (`false` turns certificate verification off for this client only: never
/// the default, never read from the environment; a WARN log record says so
/// when the client is made; prefer `ca_bundle`). `null` values and
/// missing keys mean "not set": they are filled in as the other AWS SDKs do,
/// from `AWS_REGION`, `AWS_ACCESS_KEY_ID`, ..., `AWS_PROFILE` and the shared
/// config and credentials files. Unknown keys and wrong types are errors that
/// name the key. The config is copied; the caller keeps ownership of it.
///
/// On success returns `COGNITO_IDENTITY_OK`, stores the new client in `*out`
/// (free it with `cognito_identity_client_free`) and sets `*out_error` to NULL.
/// On failure stores NULL in `*out` and an error document in `*out_error`
/// (free it with `cognito_identity_string_free`), and returns
/// `COGNITO_IDENTITY_INVALID_ARGUMENT` (NULL `out`, invalid UTF-8, invalid
/// JSON, not an object), `COGNITO_IDENTITY_CONFIGURATION` or
/// `COGNITO_IDENTITY_CREDENTIALS`. `out_error` may be NULL when the caller
/// does not want the document. No network traffic happens here.
///
/// Thread-safe.
///
/// # Safety
///
/// `config_json` must be NULL or a NUL-terminated string; `out` and
/// `out_error` must each be NULL or valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_client_new(
    config_json: *const c_char,
    out: *mut *mut cognito_identity_client,
    out_error: *mut *mut c_char,
) -> cognito_identity_status {
    if !out_error.is_null() {
        // SAFETY: non-NULL and writable by contract.
        unsafe { out_error.write(std::ptr::null_mut()) };
    }
    let built = catch(|| {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: non-NULL and writable by contract.
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: `config_json` is NULL or NUL-terminated by contract.
        let json = unsafe { read_json_object(config_json, "config_json") }?;
        let config = Config::from_json(&json)?;
        let client = Client::new(config)?;
        Ok(Box::into_raw(Box::new(cognito_identity_client { client })))
    });
    match built {
        Ok(ptr) => {
            // SAFETY: `out` was checked non-NULL inside the closure.
            unsafe { out.write(ptr) };
            cognito_identity_status::COGNITO_IDENTITY_OK
        }
        Err(f) => {
            if !out_error.is_null() {
                // SAFETY: non-NULL and writable by contract.
                unsafe { write_out(out_error, &f.document) };
            }
            f.status
        }
    }
}

/// Describes a client: `*out_json` is set to
/// `{"region": "...", "endpoint_url": "...", "credential_source": "..." or null}`,
/// where `credential_source` names where the credentials come from as botocore
/// names the method, with the profile (`"env"`, `"assume-role (profile dev)"`,
/// `"container-role"`, `"iam-role"`, ...; the instance metadata service only
/// once it has served credentials), and is `null` when the client has none.
/// Never shows a secret. Same status and ownership rules as
/// `cognito_identity_call`; no network traffic happens here.
///
/// Thread-safe.
///
/// # Safety
///
/// `client` must be NULL or a live client; `out_json` NULL or valid for
/// writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_client_describe(
    client: *const cognito_identity_client,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: `out_json` is NULL or writable by contract.
    unsafe {
        crate::panic::deliver(out_json, || {
            // SAFETY: `client` is NULL or live by contract.
            let client = cognito_identity_client::from_ptr(client)?;
            Ok(serde_json::json!({
                "region": client.region(),
                "endpoint_url": client.endpoint_url(),
                "credential_source": client.credential_source().map(|s| s.to_string()),
            }))
        })
    }
}

/// Frees a client and its connection pool.
///
/// `client` may be NULL (nothing happens). No call on this client may be in
/// progress, and the pointer must not be used afterwards. Strings the client
/// returned stay valid and are still freed with `cognito_identity_string_free`.
///
/// # Safety
///
/// `client` must be NULL or a pointer from `cognito_identity_client_new`
/// that has not been freed, with no call running on it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_client_free(client: *mut cognito_identity_client) {
    if client.is_null() {
        return;
    }
    let _ = catch(|| {
        // SAFETY: `client` came from `Box::into_raw` in `cognito_identity_client_new`.
        drop(unsafe { Box::from_raw(client) });
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::cognito_identity_string_free;
    use std::ffi::{CStr, CString};

    fn new(config: &str) -> (cognito_identity_status, *mut cognito_identity_client, String) {
        let c = CString::new(config).expect("no NUL");
        let mut client = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        let status = unsafe { cognito_identity_client_new(c.as_ptr(), &mut client, &mut err) };
        let text = if err.is_null() {
            String::new()
        } else {
            let t = unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned();
            unsafe { cognito_identity_string_free(err) };
            t
        };
        (status, client, text)
    }

    #[test]
    fn a_configured_client_is_made_and_freed() {
        let (status, client, err) =
            new(r#"{"region": "us-east-1", "endpoint_url": "http://127.0.0.1:9", "unsigned": true}"#);
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK, "{err}");
        assert!(!client.is_null() && err.is_empty());
        unsafe { cognito_identity_client_free(client) };
        unsafe { cognito_identity_client_free(std::ptr::null_mut()) };
    }

    #[test]
    fn unknown_keys_are_configuration_errors_naming_the_key() {
        let (status, client, err) = new(r#"{"region": "us-east-1", "regoin": "x"}"#);
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_CONFIGURATION);
        assert!(client.is_null());
        assert!(err.contains("regoin"), "{err}");
    }

    #[test]
    fn secrets_are_not_echoed() {
        let (status, _, err) = new(r#"{"aws_access_key_id": "AKID", "aws_secret_access_key": 12345678}"#);
        assert_ne!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        assert!(!err.contains("12345678"), "{err}");
    }

    #[test]
    fn describe_names_the_credential_source_and_never_a_secret() {
        let (status, client, err) = new(
            r#"{"region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9", "aws_access_key_id": "AKID", "aws_secret_access_key": "CANARY"}"#,
        );
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK, "{err}");
        let mut out = std::ptr::null_mut();
        let status = unsafe { cognito_identity_client_describe(client, &mut out) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        let text = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        unsafe { cognito_identity_string_free(out) };
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(v["credential_source"], "explicit");
        assert_eq!(v["region"], "eu-west-1");
        assert!(!text.contains("CANARY"), "{text}");
        let status = unsafe { cognito_identity_client_describe(std::ptr::null(), &mut out) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT);
        unsafe { cognito_identity_string_free(out) };
        unsafe { cognito_identity_client_free(client) };
    }

    #[test]
    fn null_out_is_an_invalid_argument() {
        let mut err = std::ptr::null_mut();
        let status = unsafe { cognito_identity_client_new(std::ptr::null(), std::ptr::null_mut(), &mut err) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT);
        assert!(!err.is_null());
        unsafe { cognito_identity_string_free(err) };
    }
}
