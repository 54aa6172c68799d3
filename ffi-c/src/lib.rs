//! The C ABI of the cognito-identity client: JSON strings in, JSON strings out.
//!
//! Conventions (after rustls-ffi and regex-capi): every export is prefixed
//! `cognito_identity_`, returns a [`cognito_identity_status`] with fixed
//! values, checks its pointers, rejects invalid UTF-8 and JSON with a status
//! of its own, and catches every panic at the boundary ([`panic`]). Every
//! string handed to C is owned by the caller and freed with
//! [`cognito_identity_string_free`]. The header `include/cognito_identity.h`
//! is generated from this crate by cbindgen (`make header`).
//!
//! Modules: [`status`] (the status enum), [`client`] (the client object),
//! [`call`] (the generic call and the 23 per-operation functions),
//! [`split_call`] (a call whose answer the caller awaits in its own event loop),
//! [`identity_pool`] (the identity-pool credentials provider object),
//! [`logging`] (the log callback),
//! [`strings`] (reading arguments, returning and freeing strings), [`panic`]
//! (the panic boundary).

pub mod call;
pub mod client;
pub mod identity_pool;
pub mod logging;
#[rustfmt::skip]
pub mod operations_gen;
pub mod panic;
pub mod split_call;
pub mod status;
#[rustfmt::skip]
pub mod status_gen;
pub mod strings;

pub use call::*;
pub use client::{
    cognito_identity_client, cognito_identity_client_describe, cognito_identity_client_free,
    cognito_identity_client_new,
};
pub use identity_pool::*;
pub use logging::*;
pub use operations_gen::*;
pub use split_call::*;
pub use status::cognito_identity_status;
pub use strings::cognito_identity_string_free;

use std::ffi::{CStr, c_char};

/// Major version of the library this header belongs to.
pub const COGNITO_IDENTITY_VERSION_MAJOR: u32 = 0;
/// Minor version of the library this header belongs to.
pub const COGNITO_IDENTITY_VERSION_MINOR: u32 = 1;
/// Patch version of the library this header belongs to.
pub const COGNITO_IDENTITY_VERSION_PATCH: u32 = 0;

static VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => panic!("the version has no NUL"),
};

/// The version of the loaded library, e.g. `"0.1.0"`: compare it with
/// `COGNITO_IDENTITY_VERSION` to detect a header/library mismatch.
///
/// Returns a static NUL-terminated string: do not free it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cognito_identity_version() -> *const c_char {
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constants_match_cargo() {
        let parts = [COGNITO_IDENTITY_VERSION_MAJOR, COGNITO_IDENTITY_VERSION_MINOR, COGNITO_IDENTITY_VERSION_PATCH]
            .map(|p| p.to_string());
        assert_eq!(parts.join("."), env!("CARGO_PKG_VERSION"));
        let v = unsafe { CStr::from_ptr(cognito_identity_version()) };
        assert_eq!(v.to_str().expect("utf-8"), env!("CARGO_PKG_VERSION"));
    }
}
