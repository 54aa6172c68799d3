//! The awsJson1_1 front: target, faults, authentication, body, validation,
//! dispatch, and the AWS-shaped answer. The logging and fault steps are
//! shared with the STS front (`crate::sts`) through [`respond`].

use crate::auth::{self, SignedRequest};
use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::ops::{self, Ctx};
use crate::requests_log::{redact_body, redact_headers};
use crate::shared::Shared;
use bytes::Bytes;
use serde_json::{Value, json};
use std::future::Future;
use std::time::Duration;

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The service name in the request log (and in signatures).
pub const SERVICE: &str = auth::SERVICE;

/// What the HTTP layer should do with an API request.
#[derive(Debug)]
pub enum Outcome {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Bytes,
    },
    /// Drop the connection without answering.
    Reset,
    /// Announce `body` in full, send only its first half, then drop the connection.
    Truncated {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Bytes,
    },
}

/// How one of the protocols served on the port shapes its answers: awsJson1_1
/// for Cognito Identity here, awsQuery XML for STS (`crate::sts`). Logging,
/// fault injection and truncation are shared; only the shapes differ.
pub trait Wire: Sync {
    /// The `Content-Type` of every answer.
    fn content_type(&self) -> &'static str;
    /// The body of an error answer; may add headers.
    fn error_body(&self, err: &ApiError, request_id: &str, headers: &mut Vec<(&'static str, String)>) -> Bytes;
    /// The error an injected `throttle` or `status` fault answers with.
    fn fault_error(&self, kind: FaultKind, status: u16) -> ApiError;
}

/// awsJson1_1, as Cognito Identity speaks it.
#[derive(Debug)]
struct Json;

impl Wire for Json {
    fn content_type(&self) -> &'static str {
        CONTENT_TYPE
    }

    fn error_body(&self, err: &ApiError, _request_id: &str, headers: &mut Vec<(&'static str, String)>) -> Bytes {
        // AWS sends the code in this header too, followed by a colon.
        headers.push(("x-amzn-errortype", format!("{}:", err.code)));
        Bytes::from(err.body().to_string())
    }

    fn fault_error(&self, kind: FaultKind, status: u16) -> ApiError {
        if kind == FaultKind::Throttle {
            return ApiError::sender("TooManyRequestsException", "Rate exceeded");
        }
        let (code, message) = match status {
            500 => ("InternalErrorException", "An internal error occurred."),
            502 => ("BadGatewayException", "Bad Gateway"),
            503 => ("ServiceUnavailableException", "Service Unavailable"),
            504 => ("GatewayTimeoutException", "Gateway Timeout"),
            429 => ("TooManyRequestsException", "Rate exceeded"),
            _ => ("InternalFailure", "Injected failure"),
        };
        ApiError::new(code, status, message)
    }
}

fn base_headers(shared: &Shared, request_id: &str, content_type: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-type", content_type.to_owned()),
        ("x-amzn-requestid", request_id.to_owned()),
        ("date", httpdate::fmt_http_date(shared.clock.now())),
    ]
}

fn error_outcome(shared: &Shared, wire: &dyn Wire, request_id: &str, err: &ApiError) -> Outcome {
    let mut headers = base_headers(shared, request_id, wire.content_type());
    let body = wire.error_body(err, request_id, &mut headers);
    shared.log.complete(request_id, err.status, Some(err.code));
    Outcome::Respond { status: err.status, headers, body }
}

/// The answer to a request whose body is over `limit` bytes: HTTP 413
/// `RequestEntityTooLargeException`. The body is neither read further nor logged.
pub fn too_large(shared: &Shared, limit: usize) -> Outcome {
    let request_id = crate::ids::uuid_v4();
    let err =
        ApiError::new("RequestEntityTooLargeException", 413, format!("The request body is larger than {limit} bytes."));
    let mut headers = base_headers(shared, &request_id, CONTENT_TYPE);
    let body = Json.error_body(&err, &request_id, &mut headers);
    Outcome::Respond { status: err.status, headers, body }
}

/// Records a request in the log before it is served; `service` and
/// `operation` say what it asked for (`operation` is `None` when unknown).
pub fn log_request(
    shared: &Shared,
    request_id: &str,
    parts: &http::request::Parts,
    service: &str,
    operation: Option<&str>,
    body: Value,
) {
    shared.log.push(json!({
        "request_id": request_id,
        "time": shared.clock.now_epoch(),
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "service": service,
        "operation": operation,
        "headers": redact_headers(&parts.headers),
        "body": body,
        "status": null,
        "error_code": null,
    }));
}

/// The steps every logged API request goes through: the first queued fault
/// matching `operation` (if any), else `serve`, whose body is sent with a
/// 200; the log learns how it ended.
pub async fn respond(
    shared: &Shared,
    wire: &dyn Wire,
    request_id: &str,
    operation: Option<&str>,
    serve: impl Future<Output = Result<Bytes, ApiError>>,
) -> Outcome {
    let mut truncate = false;
    if let Some(fault) = shared.faults.take(operation) {
        match fault.kind {
            FaultKind::Delay => tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await,
            FaultKind::Throttle | FaultKind::Status => {
                return error_outcome(shared, wire, request_id, &wire.fault_error(fault.kind, fault.status));
            }
            FaultKind::Reset => {
                shared.log.complete(request_id, 0, Some("connection reset"));
                return Outcome::Reset;
            }
            FaultKind::Malformed => {
                shared.log.complete(request_id, 200, Some("malformed"));
                return Outcome::Respond {
                    status: 200,
                    headers: base_headers(shared, request_id, wire.content_type()),
                    body: Bytes::from_static(b"<html><body>Service temporarily garbled</body></html>"),
                };
            }
            FaultKind::Truncated => truncate = true,
        }
    }

    let outcome = match serve.await {
        Err(err) => error_outcome(shared, wire, request_id, &err),
        Ok(body) => {
            shared.log.complete(request_id, 200, None);
            Outcome::Respond { status: 200, headers: base_headers(shared, request_id, wire.content_type()), body }
        }
    };
    match outcome {
        Outcome::Respond { status, headers, body } if truncate => {
            shared.log.complete(request_id, status, Some("truncated"));
            Outcome::Truncated { status, headers, body }
        }
        other => other,
    }
}

/// The region an unsigned request is addressed to: from a regional host name
/// (`cognito-identity.eu-west-1.amazonaws.com`), else the first configured.
fn region_of_host(shared: &Shared, host: Option<&str>) -> String {
    host.and_then(|h| shared.config.regions.iter().find(|r| h.split(['.', ':']).any(|part| part == r.as_str())))
        .cloned()
        .unwrap_or_else(|| shared.config.default_region().to_owned())
}

/// Serves one awsJson1_1 request.
pub async fn handle(shared: &Shared, parts: &http::request::Parts, body: Bytes) -> Outcome {
    let request_id = crate::ids::uuid_v4();
    let target = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    let operation = target.and_then(|t| t.strip_prefix(TARGET_PREFIX)).and_then(cognito_identity::model::operation);
    let name = operation.map(|o| o.name);
    log_request(shared, &request_id, parts, SERVICE, name, redact_body(&body));
    let serve = async {
        let output = serve_operation(shared, parts, &body, operation).await?;
        Ok(Bytes::from(output.to_string()))
    };
    respond(shared, &Json, &request_id, name, serve).await
}

async fn serve_operation(
    shared: &Shared,
    parts: &http::request::Parts,
    body: &Bytes,
    operation: Option<&'static cognito_identity::model::Operation>,
) -> Result<Value, ApiError> {
    if parts.method != http::Method::POST {
        return Err(ApiError::sender("UnknownOperationException", "Only POST is supported."));
    }
    let Some(op) = operation else {
        return Err(ApiError::sender("UnknownOperationException", ""));
    };
    let now = shared.clock.now();
    let region = if op.signed {
        let req = SignedRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            headers: &parts.headers,
            body,
        };
        let verified = auth::verify(&req, |id| shared.lookup_key(id), &shared.config.regions, auth::SERVICE, now)?;
        verified.region
    } else {
        let host = parts.headers.get("host").and_then(|v| v.to_str().ok());
        region_of_host(shared, host)
    };
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::serialization(format!("Invalid JSON in the request body: {e}")))?
    };
    if !input.is_object() {
        return Err(ApiError::serialization("The request body must be a JSON object"));
    }
    crate::validation::check(op, &input)?;
    let ctx = Ctx { shared, region, signed: op.signed, now: crate::clock::epoch_seconds(now) };
    ops::call(&ctx, op.name, &input)
}
