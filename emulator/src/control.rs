//! `/_emulator/*` control endpoints and the published JWKS.

use crate::faults::Fault;
use crate::shared::Shared;
use bytes::Bytes;
use http::Method;
use serde_json::{Value, json};

/// A plain JSON answer: status and body.
pub type Reply = (u16, Value);

fn bad_request(message: impl Into<String>) -> Reply {
    (400, json!({"error": message.into()}))
}

fn parse(body: &Bytes) -> Result<Value, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| bad_request(format!("invalid JSON: {e}")))
}

/// Role of the credentials the container endpoint hands out.
pub const CONTAINER_ROLE: &str = "emulator-container";

/// Credentials in the form of the ECS / EKS Pod Identity container endpoint,
/// for a role of the emulator's account, valid for `credentials_ttl`; the
/// emulator accepts them back in signatures. Point `AWS_CONTAINER_CREDENTIALS_FULL_URI` here to test the
/// container credential source offline.
fn container_credentials(shared: &Shared) -> Reply {
    let role_arn = format!("arn:aws:iam::{}:role/{CONTAINER_ROLE}", shared.config.account_id);
    let now = shared.clock.now();
    let ttl = shared.config.credentials_ttl;
    let (key_id, issued) = crate::faults::lock(&shared.data).issue_key(now, ttl, &role_arn, "container");
    (
        200,
        json!({
            "AccessKeyId": key_id,
            "SecretAccessKey": issued.secret,
            "Token": issued.session_token,
            "Expiration": cognito_identity::amz_date::format_iso8601(issued.expires),
            "RoleArn": role_arn,
        }),
    )
}

/// Whether this path belongs to the control plane rather than the API.
pub fn is_control_path(path: &str) -> bool {
    path.starts_with("/_emulator/") || path.starts_with("/.well-known/")
}

/// Serves a control request; `base_url` is the emulator's own address.
pub fn handle(shared: &Shared, method: &Method, path: &str, body: &Bytes, base_url: &str) -> Reply {
    match (method.as_str(), path) {
        ("GET", "/_emulator/health") => {
            let data = crate::faults::lock(&shared.data);
            (
                200,
                json!({
                    "status": "ok",
                    "regions": shared.config.regions,
                    "account_id": shared.config.account_id,
                    "identity_pools": data.pools.len(),
                    "identities": data.identity_count(),
                    "max_identities": shared.config.max_identities,
                    "issued_keys": data.issued_keys.len(),
                    "pending_faults": shared.faults.pending().len(),
                    "logged_requests": shared.log.len(),
                }),
            )
        }
        ("GET", "/_emulator/faults") => {
            let pending: Vec<Value> = shared.faults.pending().iter().map(Fault::to_json).collect();
            (200, json!({"faults": pending}))
        }
        ("POST", "/_emulator/faults") => match parse(body) {
            Err(reply) => reply,
            Ok(v) => {
                // One fault object, or a list of them.
                let list = match v {
                    Value::Array(items) => items,
                    one => vec![one],
                };
                let mut queued = Vec::new();
                for item in &list {
                    match Fault::from_json(item) {
                        Ok(f) => queued.push(f),
                        Err(e) => return bad_request(e),
                    }
                }
                let echo: Vec<Value> = queued.iter().map(Fault::to_json).collect();
                let dropped: usize = queued.into_iter().map(|f| shared.faults.push(f)).sum();
                (200, json!({"queued": echo, "dropped": dropped}))
            }
        },
        ("DELETE", "/_emulator/faults") => {
            shared.faults.clear();
            (200, json!({"faults": []}))
        }
        ("POST", "/_emulator/reset") => {
            shared.reset();
            (200, json!({"reset": true}))
        }
        ("GET", "/_emulator/clock") => {
            (200, json!({"offset_seconds": shared.clock.offset(), "now": shared.clock.now_epoch()}))
        }
        ("POST", "/_emulator/clock") => match parse(body) {
            Err(reply) => reply,
            Ok(v) => match v.get("offset_seconds").and_then(Value::as_i64) {
                None => bad_request("\"offset_seconds\" (an integer) is required"),
                Some(offset) => match crate::clock::check_offset(offset) {
                    Err(e) => bad_request(e),
                    Ok(()) => {
                        shared.clock.set_offset(offset);
                        (200, json!({"offset_seconds": offset, "now": shared.clock.now_epoch()}))
                    }
                },
            },
        },
        ("GET", "/_emulator/requests") => (200, json!({"requests": shared.log.all()})),
        ("GET", "/_emulator/container-credentials") => container_credentials(shared),
        ("DELETE", "/_emulator/requests") => {
            shared.log.clear();
            (200, json!({"requests": []}))
        }
        ("GET", "/.well-known/jwks.json" | "/.well-known/jwks_uri") => (200, shared.signer.jwks().clone()),
        ("GET", "/.well-known/openid-configuration") => (
            200,
            json!({
                "issuer": crate::jwt::ISSUER,
                "jwks_uri": format!("{base_url}/.well-known/jwks.json"),
                "id_token_signing_alg_values_supported": ["RS512"],
                "subject_types_supported": ["public"],
                "response_types_supported": ["id_token"],
            }),
        ),
        _ => (404, json!({"error": format!("no control endpoint {method} {path}")})),
    }
}
