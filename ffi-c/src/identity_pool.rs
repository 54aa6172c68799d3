//! `cognito_identity_credentials`: temporary AWS credentials from a Cognito
//! identity pool, refreshed before they expire (the core's
//! identity-pool provider).

use crate::panic::{catch, deliver};
use crate::status::cognito_identity_status;
use crate::strings::{Failure, read_json_object, write_out};
use cognito_core::identity_pool::{
    IdentityPoolConfig, IdentityPoolCredentialsProvider, LoginMap, Logins, LoginsSource,
};
use cognito_core::{Error, ErrorKind};
use serde_json::{Value, json};
use std::ffi::{CStr, c_char, c_void};
use std::sync::Arc;

/// An identity-pool credentials provider: the pool, the logins, the identity
/// id it holds and the credentials it caches. Opaque; create it with
/// `cognito_identity_credentials_new`, release it with
/// `cognito_identity_credentials_free`.
///
/// Thread safety: any number of threads may call
/// `cognito_identity_credentials_get` at once; one refresh runs and the
/// others wait for it or keep the valid credentials. Only freeing it must wait
/// until no call is in progress.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct cognito_identity_credentials {
    provider: IdentityPoolCredentialsProvider,
}

/// Called on every refresh for the current logins: returns a NUL-terminated
/// JSON object of provider name -> token (`{"accounts.google.com": "eyJ..."}`,
/// or `{}` for a guest), or NULL to fail the refresh. The string stays the
/// application's: it must remain valid until the callback is called again on
/// this provider or the provider is freed (the library copies it at once).
/// It may be called from any thread that calls `cognito_identity_credentials_get`.
#[allow(non_camel_case_types)]
pub type cognito_identity_logins_callback = Option<unsafe extern "C" fn(user_data: *mut c_void) -> *const c_char>;

/// The application's callback and its data.
struct CallbackLogins {
    callback: unsafe extern "C" fn(user_data: *mut c_void) -> *const c_char,
    user_data: *mut c_void,
}

// SAFETY: the contract of `cognito_identity_credentials_set_logins_callback`
// makes the callback and `user_data` usable from any thread.
unsafe impl Send for CallbackLogins {}
// SAFETY: as above.
unsafe impl Sync for CallbackLogins {}

impl LoginsSource for CallbackLogins {
    fn logins(&self) -> Result<LoginMap, Error> {
        let failed =
            |what: &str| Error::new(ErrorKind::Credentials, "LoginsError", format!("the logins callback {what}"));
        // SAFETY: the callback and its data are valid by contract.
        let ptr = unsafe { (self.callback)(self.user_data) };
        if ptr.is_null() {
            return Err(failed("returned NULL"));
        }
        // SAFETY: a non-NULL return is a NUL-terminated string by contract.
        let text = unsafe { CStr::from_ptr(ptr) }.to_str().map_err(|_| failed("returned invalid UTF-8"))?;
        let value: Value = serde_json::from_str(text).map_err(|e| failed(&format!("returned invalid JSON ({e})")))?;
        serde_json::from_value(value).map_err(|_| failed("must return a JSON object of provider name to token string"))
    }
}

impl cognito_identity_credentials {
    /// # Safety
    ///
    /// `ptr` must be NULL or a live pointer from `cognito_identity_credentials_new`.
    unsafe fn from_ptr<'a>(ptr: *const Self) -> Result<&'a IdentityPoolCredentialsProvider, Failure> {
        // SAFETY: guaranteed by the caller.
        unsafe { ptr.as_ref() }.map(|c| &c.provider).ok_or_else(|| Failure::null("provider"))
    }
}

/// Creates a provider. Nothing is fetched until credentials are asked for.
///
/// `config_json`: a JSON object with `identity_pool_id` (required), `logins`
/// (object of provider name -> token), `custom_role_arn`, `flow`
/// (`"enhanced"`, the default, or `"classic"`), `role_arn` and
/// `role_session_name` (classic flow), `sts_endpoint_url`, `cache_dir` (a
/// directory for the identity-id cache, default
/// `$XDG_CACHE_HOME/cognito-identity` else `~/.cache/cognito-identity`;
/// `false` keeps it in memory), `cache_credentials` (keep the credentials on
/// disk too), `advisory_refresh_seconds` (900) and
/// `mandatory_refresh_seconds` (600), plus the client keys of
/// `cognito_identity_client_new` but the credentials (`region` defaults to
/// the pool id's prefix; `endpoint_url`, timeouts, retries, `ca_bundle`).
///
/// Same status and ownership rules as `cognito_identity_client_new`: on
/// success `*out` is the provider (free it with
/// `cognito_identity_credentials_free`) and `*out_error` NULL; on failure
/// `*out` is NULL and `*out_error` an error document naming the bad key.
///
/// Thread-safe.
///
/// # Safety
///
/// `config_json` must be NULL or NUL-terminated; `out` and `out_error` NULL or
/// valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_new(
    config_json: *const c_char,
    out: *mut *mut cognito_identity_credentials,
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
        let provider = IdentityPoolCredentialsProvider::new(IdentityPoolConfig::from_json(&json)?)?;
        Ok(Box::into_raw(Box::new(cognito_identity_credentials { provider })))
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

/// Gets the credentials: the held ones, or fresh ones when a refresh is due
/// (blocking until it completes). `*out_json` is always set to an owned string
/// (free it with `cognito_identity_string_free`): on success the
/// `credential_process` form plus the identity,
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken",
/// "Expiration": "2026-01-01T00:00:00Z", "IdentityId"}`; on failure the error
/// document (`COGNITO_IDENTITY_SERVICE` for Cognito's or STS's refusals,
/// `COGNITO_IDENTITY_CREDENTIALS` when the logins callback failed, ...).
///
/// Thread-safe.
///
/// # Safety
///
/// `provider` must be NULL or a live provider; `out_json` NULL or valid for
/// writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_get(
    provider: *const cognito_identity_credentials,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: `out_json` is NULL or writable by contract.
    unsafe {
        deliver(out_json, || {
            let provider = cognito_identity_credentials::from_ptr(provider)?;
            let got = provider.credentials()?;
            let c = got.credentials();
            Ok(json!({
                "Version": 1,
                "AccessKeyId": c.access_key_id(),
                "SecretAccessKey": c.secret_access_key(),
                "SessionToken": c.session_token(),
                "Expiration": c.expiry().map(cognito_core::amz_date::format_iso8601),
                "IdentityId": got.identity_id(),
            }))
        })
    }
}

/// Describes the provider: `{"identity_pool_id": "...", "identity_id": "..." or
/// null}` (the identity held now; null before the first fetch or after
/// `cognito_identity_credentials_clear`). No secret, no network traffic.
///
/// Thread-safe.
///
/// # Safety
///
/// As for `cognito_identity_credentials_get`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_describe(
    provider: *const cognito_identity_credentials,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: `out_json` is NULL or writable by contract.
    unsafe {
        deliver(out_json, || {
            let provider = cognito_identity_credentials::from_ptr(provider)?;
            Ok(json!({"identity_pool_id": provider.identity_pool_id(), "identity_id": provider.identity_id()}))
        })
    }
}

/// Replaces the logins with `logins_json`, a JSON object of provider name ->
/// token (`{}` or NULL: a guest): sign-in, or a token the application
/// refreshed. The held credentials are dropped; a guest identity is kept, so
/// that Cognito links it to the logins. Returns `COGNITO_IDENTITY_OK`, or
/// `COGNITO_IDENTITY_INVALID_ARGUMENT` for a NULL provider or bad JSON
/// (nothing changes then). The string is only read during the call.
///
/// Thread-safe.
///
/// # Safety
///
/// `provider` must be NULL or a live provider; `logins_json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_set_logins(
    provider: *const cognito_identity_credentials,
    logins_json: *const c_char,
) -> cognito_identity_status {
    let set = catch(|| {
        // SAFETY: NULL or live by contract.
        let provider = unsafe { cognito_identity_credentials::from_ptr(provider) }?;
        // SAFETY: NULL or NUL-terminated by contract.
        let json = unsafe { read_json_object(logins_json, "logins_json") }?;
        let map: LoginMap = serde_json::from_value(json).map_err(|_| {
            Failure::invalid_argument("logins_json must be a JSON object of provider name to token string".into())
        })?;
        provider.set_logins(if map.is_empty() { Logins::None } else { Logins::Static(map) });
        Ok(())
    });
    set.map_or_else(|f| f.status, |()| cognito_identity_status::COGNITO_IDENTITY_OK)
}

/// Makes `callback` the source of the logins: it is called (with
/// `user_data`) on every refresh, so that a token the application refreshed
/// is the one sent (see `cognito_identity_logins_callback`). NULL `callback`
/// goes back to the logins of the config. The held credentials are dropped.
/// `callback` and `user_data` must stay valid, and be usable from any thread,
/// until another callback is set or the provider is freed.
///
/// Thread-safe.
///
/// # Safety
///
/// `provider` must be NULL or a live provider; `callback` NULL or a function
/// honouring `cognito_identity_logins_callback`'s contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_set_logins_callback(
    provider: *const cognito_identity_credentials,
    callback: cognito_identity_logins_callback,
    user_data: *mut c_void,
) -> cognito_identity_status {
    let set = catch(|| {
        // SAFETY: NULL or live by contract.
        let provider = unsafe { cognito_identity_credentials::from_ptr(provider) }?;
        let logins = match callback {
            Some(callback) => Logins::Dynamic(Arc::new(CallbackLogins { callback, user_data })),
            None => Logins::None,
        };
        provider.set_logins(logins);
        Ok(())
    });
    set.map_or_else(|f| f.status, |()| cognito_identity_status::COGNITO_IDENTITY_OK)
}

/// Forgets the identity id (in memory and in the disk cache) and the
/// credentials: sign-out. Returns `COGNITO_IDENTITY_OK`, or
/// `COGNITO_IDENTITY_INVALID_ARGUMENT` for NULL.
///
/// Thread-safe.
///
/// # Safety
///
/// `provider` must be NULL or a live provider.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_clear(
    provider: *const cognito_identity_credentials,
) -> cognito_identity_status {
    let cleared = catch(|| {
        // SAFETY: NULL or live by contract.
        unsafe { cognito_identity_credentials::from_ptr(provider) }?.clear();
        Ok(())
    });
    cleared.map_or_else(|f| f.status, |()| cognito_identity_status::COGNITO_IDENTITY_OK)
}

/// Frees a provider. NULL is a no-op. No call on it may be in progress.
///
/// # Safety
///
/// `provider` must be NULL or a pointer from `cognito_identity_credentials_new`
/// that has not been freed, with no call running on it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_credentials_free(provider: *mut cognito_identity_credentials) {
    if provider.is_null() {
        return;
    }
    let _ = catch(|| {
        // SAFETY: `provider` came from `Box::into_raw` in `cognito_identity_credentials_new`.
        drop(unsafe { Box::from_raw(provider) });
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::cognito_identity_string_free;
    use std::ffi::CString;

    fn new(config: &str) -> (cognito_identity_status, *mut cognito_identity_credentials, String) {
        let c = CString::new(config).expect("no NUL");
        let (mut provider, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let status = unsafe { cognito_identity_credentials_new(c.as_ptr(), &mut provider, &mut err) };
        let text = if err.is_null() {
            String::new()
        } else {
            let t = unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned();
            unsafe { cognito_identity_string_free(err) };
            t
        };
        (status, provider, text)
    }

    #[test]
    fn bad_configs_name_the_key_and_null_is_refused() {
        let (status, p, err) =
            new(r#"{"identity_pool_id": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "flow": "x"}"#);
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_CONFIGURATION);
        assert!(p.is_null() && err.contains("flow"), "{err}");
        let (status, _, err) = new("{}");
        assert!(err.contains("identity_pool_id"), "{status:?} {err}");
        assert_eq!(
            unsafe { cognito_identity_credentials_clear(std::ptr::null()) },
            cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT
        );
        unsafe { cognito_identity_credentials_free(std::ptr::null_mut()) };
    }

    #[test]
    fn describe_and_set_logins_without_network() {
        let (status, p, err) = new(
            r#"{"identity_pool_id": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "endpoint_url": "http://127.0.0.1:9", "cache_dir": false}"#,
        );
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK, "{err}");
        let mut out = std::ptr::null_mut();
        assert_eq!(
            unsafe { cognito_identity_credentials_describe(p, &mut out) },
            cognito_identity_status::COGNITO_IDENTITY_OK
        );
        let text = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        unsafe { cognito_identity_string_free(out) };
        assert!(text.contains(r#""identity_id":null"#), "{text}");
        let good = CString::new(r#"{"accounts.google.com": "tok"}"#).expect("no NUL");
        let bad = CString::new(r#"{"accounts.google.com": 1}"#).expect("no NUL");
        assert_eq!(
            unsafe { cognito_identity_credentials_set_logins(p, good.as_ptr()) },
            cognito_identity_status::COGNITO_IDENTITY_OK
        );
        assert_eq!(
            unsafe { cognito_identity_credentials_set_logins(p, bad.as_ptr()) },
            cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT
        );
        unsafe { cognito_identity_credentials_free(p) };
    }
}
