//! The awsJson1_1 front: target, faults, authentication, body, validation,
//! dispatch, and the AWS-shaped answer.

use crate::auth::{self, SignedRequest};
use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::ops::{self, Ctx};
use crate::requests_log::{redact_body, redact_headers};
use crate::shared::Shared;
use bytes::Bytes;
use serde_json::{Value, json};
use std::time::Duration;

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

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

fn base_headers(shared: &Shared, request_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-type", CONTENT_TYPE.to_owned()),
        ("x-amzn-requestid", request_id.to_owned()),
        ("date", httpdate::fmt_http_date(shared.clock.now())),
    ]
}

fn error_outcome(shared: &Shared, request_id: &str, err: &ApiError) -> Outcome {
    let mut headers = base_headers(shared, request_id);
    // AWS sends the code in this header too, followed by a colon.
    headers.push(("x-amzn-errortype", format!("{}:", err.code)));
    shared.log.complete(request_id, err.status, Some(err.code));
    Outcome::Respond { status: err.status, headers, body: Bytes::from(err.body().to_string()) }
}

/// The error an injected `status` fault answers with.
fn status_fault_error(status: u16) -> ApiError {
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
    shared.log.push(json!({
        "request_id": request_id,
        "time": shared.clock.now_epoch(),
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "operation": operation.map(|o| o.name),
        "headers": redact_headers(&parts.headers),
        "body": redact_body(&body),
        "status": null,
        "error_code": null,
    }));

    let mut truncate = false;
    if let Some(fault) = shared.faults.take(operation.map(|o| o.name)) {
        match fault.kind {
            FaultKind::Delay => tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await,
            FaultKind::Throttle => {
                let err = ApiError::sender("TooManyRequestsException", "Rate exceeded");
                return error_outcome(shared, &request_id, &err);
            }
            FaultKind::Status => {
                return error_outcome(shared, &request_id, &status_fault_error(fault.status));
            }
            FaultKind::Reset => {
                shared.log.complete(&request_id, 0, Some("connection reset"));
                return Outcome::Reset;
            }
            FaultKind::Malformed => {
                shared.log.complete(&request_id, 200, Some("malformed"));
                return Outcome::Respond {
                    status: 200,
                    headers: base_headers(shared, &request_id),
                    body: Bytes::from_static(b"<html><body>Service temporarily garbled</body></html>"),
                };
            }
            FaultKind::Truncated => truncate = true,
        }
    }

    let result = serve_operation(shared, parts, &body, operation).await;
    let outcome = match result {
        Err(err) => error_outcome(shared, &request_id, &err),
        Ok(output) => {
            shared.log.complete(&request_id, 200, None);
            Outcome::Respond {
                status: 200,
                headers: base_headers(shared, &request_id),
                body: Bytes::from(output.to_string()),
            }
        }
    };
    match outcome {
        Outcome::Respond { status, headers, body } if truncate => {
            shared.log.complete(&request_id, status, Some("truncated"));
            Outcome::Truncated { status, headers, body }
        }
        other => other,
    }
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
