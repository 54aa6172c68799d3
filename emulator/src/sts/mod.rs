//! STS on the emulator's port, in the awsQuery protocol: the operations an
//! identity-pool credentials provider needs, so it is tested offline.
//!
//! - `AssumeRoleWithWebIdentity` (unsigned), for the basic (classic) flow:
//!   the emulator's own OpenID tokens only, for pools with `AllowClassicFlow`.
//! - `GetCallerIdentity` (signed, service `sts`): whose keys signed it.
//!
//! A request is STS's when it is a `POST /` with a form body and no
//! `X-Amz-Target` (see [`is_sts_request`]); every other API request is Cognito's.

mod caller;
mod form;
mod principal;
mod web_identity;
mod xml;

use crate::api::{self, Outcome, Wire};
use crate::error::{ApiError, ApiResult};
use crate::faults::FaultKind;
use crate::shared::Shared;
use bytes::Bytes;
use form::Form;

/// The API version every STS request names.
pub const VERSION: &str = "2011-06-15";
/// The operations served, as fault injection names them.
pub const ACTIONS: &[&str] = &["AssumeRoleWithWebIdentity", "GetCallerIdentity"];
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Whether a request is for STS: awsQuery requests are `POST /` with a
/// form-encoded body (`; charset=utf-8` may follow), and never carry the
/// `X-Amz-Target` that every awsJson1_1 request does.
pub fn is_sts_request(parts: &http::request::Parts) -> bool {
    let form = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE));
    parts.method == http::Method::POST && parts.uri.path() == "/" && form && !parts.headers.contains_key("x-amz-target")
}

/// awsQuery answers: XML, errors as `<ErrorResponse>`.
#[derive(Debug)]
struct Query;

impl Wire for Query {
    fn content_type(&self) -> &'static str {
        "text/xml"
    }

    fn error_body(&self, err: &ApiError, request_id: &str, _headers: &mut Vec<(&'static str, String)>) -> Bytes {
        Bytes::from(xml::error(err, request_id))
    }

    fn fault_error(&self, kind: FaultKind, status: u16) -> ApiError {
        // STS's own codes: botocore and the SDKs retry `Throttling` and 5xx.
        if kind == FaultKind::Throttle {
            return ApiError::sender("Throttling", "Rate exceeded");
        }
        let (code, message) = match status {
            429 => ("Throttling", "Rate exceeded"),
            503 => ("ServiceUnavailable", "Service Unavailable"),
            _ => ("InternalFailure", "Injected failure"),
        };
        ApiError::new(code, status, message)
    }
}

/// Serves one STS request.
pub async fn handle(shared: &Shared, parts: &http::request::Parts, body: Bytes) -> Outcome {
    let request_id = crate::ids::uuid_v4();
    let form = Form::parse(&body);
    let operation = form.get("Action").and_then(|a| ACTIONS.iter().copied().find(|known| *known == a));
    let logged = crate::requests_log::too_big_to_log(&body).unwrap_or_else(|| form.redacted());
    api::log_request(shared, &request_id, parts, caller::SERVICE, operation, logged);
    let serve = async {
        let (action, result) = serve_action(shared, parts, &body, &form)?;
        Ok(Bytes::from(xml::success(action, &result, &request_id)))
    };
    api::respond(shared, &Query, &request_id, operation, serve).await
}

/// The action's name and the children of its `Result` element.
fn serve_action<'f>(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &[u8],
    form: &'f Form,
) -> ApiResult<(&'f str, Vec<String>)> {
    let Some(action) = form.get("Action").filter(|a| !a.is_empty()) else {
        return Err(ApiError::sender("InvalidAction", "The request names no Action."));
    };
    let version = form.get("Version").unwrap_or_default();
    let not_found =
        || ApiError::sender("InvalidAction", format!("Could not find operation {action} for version {version}"));
    if version != VERSION {
        return Err(not_found());
    }
    let result = match action {
        "AssumeRoleWithWebIdentity" => web_identity::assume_role_with_web_identity(shared, form)?,
        "GetCallerIdentity" => caller::get_caller_identity(shared, parts, body)?,
        _ => return Err(not_found()),
    };
    Ok((action, result))
}
