//! Target 3: response parsing and error-code extraction, from arbitrary
//! status, headers and body.
//!
//! Most inputs call `cognito_identity::wire` directly (`parse_output`,
//! `parse_error`, `drop_null_members`, `sanitize_code`); bodies are raw bytes,
//! an error document with fuzzed fields, or a model-shaped output with nulls
//! sprinkled in. One input in eight goes through the whole client instead: a
//! loopback sink answers with the fuzzed status, headers and body, so the
//! client's own header handling (request id, error type, the `Date` header's
//! clock-skew correction, `HTTPHeaders`) runs on them too.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use cognito_identity::model::{Kind, OPERATIONS, ShapeId};
use cognito_identity::{Client, Config, ErrorKind, wire};
use cognito_identity_fuzz::shapes::Gen;
use cognito_identity_fuzz::sink::{EMPTY_OK, Sink};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
enum Body {
    Raw(Vec<u8>),
    /// `{"__type" or "code": .., "message" or "Message" or "errorMessage": ..}`.
    ErrorDoc {
        code_key: u8,
        code: String,
        message_key: u8,
        message: String,
        extra: bool,
    },
    /// The operation's output shape, from the model.
    Modelled {
        nulls: u8,
    },
}

#[derive(Debug, Arbitrary)]
struct Response {
    through_client: u8,
    operation: u8,
    status: u16,
    error_type: Option<String>,
    request_id: Option<String>,
    date: Option<String>,
    headers: Vec<(String, String)>,
    body: Body,
}

struct Live {
    sink: Sink,
    client: Client,
}

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let sink = Sink::start(EMPTY_OK).expect("the sink starts");
        let json = json!({
            "region": "us-east-1",
            "endpoint_url": sink.url(),
            "aws_access_key_id": "AKIDFUZZ",
            "aws_secret_access_key": "fuzz-secret-key-0123456789",
            "max_attempts": 1,
            "read_timeout": 5,
        });
        let config = Config::from_json(&json).expect("a valid config");
        let client = Client::new(config).expect("a client");
        Live { sink, client }
    })
}

/// The operations the whole-client path calls, with a valid input each, so
/// that calls reach the network; their outputs cover every kind of shape.
fn valid_call(index: u8) -> (&'static str, Value) {
    let pool = "us-east-1:00000000-0000-0000-0000-000000000000";
    let arn = format!("arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool}");
    let calls = [
        ("GetId", json!({"IdentityPoolId": pool})),
        ("ListIdentityPools", json!({"MaxResults": 10})),
        ("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 10})),
        ("DescribeIdentityPool", json!({"IdentityPoolId": pool})),
        ("GetCredentialsForIdentity", json!({"IdentityId": pool})),
        ("GetOpenIdToken", json!({"IdentityId": pool})),
        ("DescribeIdentity", json!({"IdentityId": pool})),
        ("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "IdentityId": pool})),
        ("ListTagsForResource", json!({"ResourceArn": arn})),
        ("GetPrincipalTagAttributeMap", json!({"IdentityPoolId": pool, "IdentityProviderName": "p"})),
        ("GetIdentityPoolRoles", json!({"IdentityPoolId": pool})),
        ("DeleteIdentities", json!({"IdentityIdsToDelete": [pool]})),
        ("DeleteIdentityPool", json!({"IdentityPoolId": pool})),
    ];
    let (op, input) = &calls[usize::from(index) % calls.len()];
    (op, input.clone())
}

fuzz_target!(
    init: { cognito_identity_fuzz::env::hermetic(&[]); },
    |data: &[u8]| {
        let mut u = Unstructured::new(data);
        let Ok(r) = Response::arbitrary(&mut u) else { return };
        if r.through_client % 8 == 0 {
            let (op, input) = valid_call(r.operation);
            let output = cognito_identity::model::operation(op).and_then(|o| o.output);
            let Ok(body) = body_bytes(&r.body, output, &mut u) else { return };
            through_client(&r, op, &input, body);
        } else {
            let op = &OPERATIONS[usize::from(r.operation) % OPERATIONS.len()];
            let Ok(body) = body_bytes(&r.body, op.output, &mut u) else { return };
            direct(&r, op.output, &body);
        }
    }
);

fn body_bytes(body: &Body, output: Option<ShapeId>, u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    Ok(match body {
        Body::Raw(b) => b.clone(),
        Body::ErrorDoc { code_key, code, message_key, message, extra } => {
            let mut doc = Map::new();
            doc.insert(["__type", "code", "Code"][usize::from(*code_key) % 3].into(), code.clone().into());
            doc.insert(
                ["message", "Message", "errorMessage"][usize::from(*message_key) % 3].into(),
                message.clone().into(),
            );
            if *extra {
                doc.insert("Error".into(), json!({"__type": "Nested", "Code": code}));
            }
            Value::Object(doc).to_string().into_bytes()
        }
        Body::Modelled { nulls } => match output {
            Some(shape) => {
                let (mut v, _) = Gen::new(0).value(u, shape)?;
                sprinkle_nulls(&mut v, *nulls);
                v.to_string().into_bytes()
            }
            None => b"{}".to_vec(),
        },
    })
}

/// Replaces some nested values with null (one in `every`).
fn sprinkle_nulls(v: &mut Value, every: u8) {
    let every = usize::from(every % 4) + 2;
    let mut n = 0usize;
    fn walk(v: &mut Value, every: usize, n: &mut usize) {
        *n += 1;
        match v {
            Value::Object(m) => m.values_mut().for_each(|x| walk(x, every, n)),
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, every, n)),
            _ if *n % every == 0 => *v = Value::Null,
            _ => {}
        }
    }
    walk(v, every, &mut n);
}

fn direct(r: &Response, output: Option<ShapeId>, body: &[u8]) {
    // A 2xx body: an object, or nothing at all, else a parser error.
    match wire::parse_output(body) {
        Ok(mut map) => {
            let text = String::from_utf8_lossy(body);
            assert!(text.trim().is_empty() || serde_json::from_slice::<Value>(body).is_ok_and(|v| v.is_object()));
            if let Some(shape) = output {
                wire::drop_null_members(shape, &mut map);
                no_null_members(shape, &Value::Object(map));
            }
        }
        Err(e) => {
            assert_eq!((e.kind(), e.code()), (ErrorKind::InvalidResponse, "ResponseParserError"));
            assert!(serde_json::from_slice::<Value>(body).map_or(true, |v| !v.is_object()));
        }
    }
    // An error answer always gives a usable code.
    let e = wire::parse_error(r.status, r.error_type.as_deref(), r.request_id.clone(), body);
    check_code(e.code());
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.http_status(), Some(r.status));
    assert_eq!(e.request_id(), r.request_id.as_deref());
    if let Some(raw) = &r.error_type {
        let code = wire::sanitize_code(raw);
        assert!(!code.contains(':') && !code.contains('#'), "{raw:?} -> {code:?}");
    }
}

fn check_code(code: &str) {
    assert!(!code.is_empty(), "an error code is never empty");
    assert!(!code.contains(':') && !code.contains('#'), "code not sanitized: {code:?}");
}

/// After `drop_null_members`, no structure member is null at any depth.
fn no_null_members(shape: ShapeId, v: &Value) {
    match (&shape.shape().kind, v) {
        (Kind::Structure { members }, Value::Object(map)) => {
            for (k, x) in map {
                assert!(!x.is_null(), "member {k} is still null");
                if let Some(m) = members.iter().find(|m| m.name == k) {
                    no_null_members(m.shape, x);
                }
            }
        }
        (Kind::List { member, .. }, Value::Array(items)) => items.iter().for_each(|x| no_null_members(*member, x)),
        (Kind::Map { value, .. }, Value::Object(map)) => map.values().for_each(|x| no_null_members(*value, x)),
        _ => {}
    }
}

/// A header name the sink can send: a lowercase token.
fn token(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect::<String>().to_ascii_lowercase()
}

/// A header value the sink can send: visible ASCII and spaces.
fn field_value(s: &str) -> String {
    s.chars().filter(|c| *c == ' ' || c.is_ascii_graphic()).take(200).collect::<String>().trim().to_owned()
}

fn through_client(r: &Response, op: &str, input: &Value, body: Vec<u8>) {
    let live = live();
    let status = 200 + r.status % 400;
    let mut head = format!("HTTP/1.1 {status} Fuzz\r\nconnection: close\r\n");
    let mut push = |name: &str, value: &str| {
        if !name.is_empty()
            && !matches!(name, "content-length" | "transfer-encoding" | "connection" | "content-encoding" | "trailer")
        {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    };
    if let Some(v) = &r.error_type {
        push("x-amzn-errortype", &field_value(v));
    }
    if let Some(v) = &r.request_id {
        push("x-amzn-requestid", &field_value(v));
    }
    if let Some(v) = &r.date {
        push("date", &field_value(v));
    }
    for (n, v) in r.headers.iter().take(8) {
        push(&token(n), &field_value(v));
    }
    // 204 and 304 answers carry no body, whatever they announce.
    let body = if matches!(status, 204 | 304) { Vec::new() } else { body };
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut raw = head.into_bytes();
    raw.extend_from_slice(&body);
    live.sink.set_response(raw);

    match live.client.call_json(op, input) {
        Ok(out) => {
            assert!((200..300).contains(&status), "status {status} gave a result: {out}");
            let meta = &out["ResponseMetadata"];
            assert_eq!(meta["HTTPStatusCode"], json!(status));
            assert!(meta["HTTPHeaders"].is_object() && meta["RequestId"].is_string());
        }
        Err(e) => {
            check_code(e.code());
            if (200..300).contains(&status) {
                assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{status}: {e:?}");
            } else {
                assert_eq!(e.kind(), ErrorKind::Service, "{status}: {e:?}");
                assert_eq!(e.http_status(), Some(status));
            }
        }
    }
}
