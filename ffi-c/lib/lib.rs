//! The C library: every `cognito_identity_*` function of
//! `cognito-identity-cabi` (ffi-c/src), linked into `libcognito_identity.so`
//! and `libcognito_identity.a`. A cdylib exports the `#[no_mangle]` functions
//! of the crates it links; the `pub use` is what makes it link this one.

pub use cabi::*;
