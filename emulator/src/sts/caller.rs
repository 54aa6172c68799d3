//! GetCallerIdentity: who signed the request. The one signed STS operation
//! served, so a test can check that credentials work and whose they are.

use super::principal::{self, Principal};
use super::xml::element;
use crate::auth::{self, SignedRequest};
use crate::error::{ApiError, ApiResult};
use crate::faults::lock;
use crate::shared::Shared;

/// The signing name of STS.
pub const SERVICE: &str = "sts";

/// Serves GetCallerIdentity; answers the children of its `Result` element.
pub fn get_caller_identity(shared: &Shared, parts: &http::request::Parts, body: &[u8]) -> ApiResult<Vec<String>> {
    let req = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        body,
    };
    // The same keys as the Cognito side accepts, and the same refusals.
    let verified = auth::verify(&req, |id| shared.lookup_key(id), &shared.config.regions, SERVICE, shared.clock.now())?;
    let caller = caller(shared, &verified.access_key_id)?;
    Ok(vec![element("Arn", &caller.arn), element("UserId", &caller.user_id), element("Account", &caller.account)])
}

/// The principal behind a key that just verified.
fn caller(shared: &Shared, key_id: &str) -> ApiResult<Principal> {
    let account = &shared.config.account_id;
    if shared.config.access_keys.iter().any(|k| k.id == key_id) {
        return Ok(principal::configured_user(key_id, account));
    }
    match lock(&shared.data).issued_keys.get(key_id) {
        Some(key) => Ok(principal::assumed_role(&key.role_arn, &key.session_name, account)),
        // Dropped since it verified: it expired in between.
        None => Err(ApiError::sender("ExpiredTokenException", "The security token included in the request is expired")),
    }
}
