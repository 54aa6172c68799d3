//! Target 6: the emulator's request handling, SigV4 included, without a
//! socket (`cognito_identity_emulator::server::handle`).
//!
//! One input is a short session of requests against a fresh emulator state:
//! Cognito calls with model-shaped bodies (reusing the ids, tokens and keys
//! that earlier answers handed out) signed well or badly or not at all, STS
//! form requests, control requests (faults, clock, reset, the log), raw
//! requests, and bare `Authorization` headers. Time runs on a paused tokio
//! clock, so injected delays cost nothing. Checks, beyond "never panics":
//! - every answer is well formed for its protocol (JSON with `__type` and
//!   `x-amzn-ErrorType` for Cognito errors, XML for STS, JSON for control);
//! - no 5xx unless a fault was injected;
//! - a model-valid, well-signed request is never refused as invalid input;
//! - no `Logins` token reaches an error message or the request log;
//! - differential SigV4: whatever `aws-sigv4` signs, `auth::verify` accepts.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use cognito_identity::model::OPERATIONS;
use cognito_identity_emulator::auth::{self, KeyLookup, SignedRequest};
use cognito_identity_emulator::server::{Outcome, handle};
use cognito_identity_emulator::{AccessKey, EmulatorConfig, Shared};
use cognito_identity_fuzz::shapes::{Gen, Validity};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

const KEY_ID: &str = "AKIDFUZZEMULATOR";
const SECRET: &str = "fuzz-emulator-secret-0123456789";
const REGION: &str = "us-east-1";
const HOST: &str = "emulator.fuzz";
const BASE_URL: &str = "http://emulator.fuzz";

#[derive(Debug, Arbitrary)]
enum Signing {
    None,
    Valid,
    WrongSecret,
    WrongRegion,
    WrongService,
    /// Signed this many minutes off the server clock.
    Skewed(i16),
    /// With temporary keys an earlier answer handed out.
    Issued(u8),
    Header(String),
}

#[derive(Debug, Arbitrary)]
enum Step {
    Api {
        operation: u8,
        signing: Signing,
        stray: u8,
        headers: Vec<(String, String)>,
    },
    Sts {
        action: u8,
        params: Vec<(u8, String)>,
        token: Option<u8>,
        signing: Signing,
    },
    Control {
        which: u8,
        body: Vec<u8>,
    },
    Fault {
        kind: u8,
        count: u8,
        status: u16,
        delay_ms: u32,
        operation: Option<u8>,
    },
    Clock(i64),
    Raw {
        method: u8,
        path: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    Authorization {
        value: String,
        path: String,
        query: String,
    },
    /// Signed by aws-sigv4; the emulator's verifier must accept it.
    Differential {
        method: u8,
        path: String,
        query: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
}

struct Env {
    shared: Shared,
    runtime: tokio::runtime::Runtime,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let config = EmulatorConfig {
            regions: vec![REGION.to_owned(), "eu-west-1".to_owned()],
            access_keys: vec![AccessKey::new(KEY_ID, SECRET)],
            max_identity_pools: 8,
            ..EmulatorConfig::default()
        };
        let shared = Shared::new(config).expect("the emulator state");
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().expect("a runtime");
        Env { shared, runtime }
    })
}

/// What a session has learned so far: values to reuse, secrets to watch for.
#[derive(Default)]
struct Session {
    generator: Gen,
    issued: Vec<(String, String, String)>,
    faults: bool,
    /// Every request body sent, to tell secrets apart from other values.
    sent: String,
    /// Error bodies and request-log answers, checked for secrets at the end.
    watched: Vec<String>,
}

fuzz_target!(|data: &[u8]| {
    let env = env();
    env.shared.reset();
    let mut u = Unstructured::new(data);
    let mut session = Session { generator: seeded_generator(), ..Session::default() };
    let steps = u.int_in_range(1..=8u8).unwrap_or(1);
    for _ in 0..steps {
        let Ok(step) = Step::arbitrary(&mut u) else { break };
        if run(env, &mut session, step, &mut u).is_err() {
            break;
        }
    }
    check_secrets(&session);
});

/// A generator that knows the names the emulator's pools use.
fn seeded_generator() -> Gen {
    let mut g = Gen::new(0);
    let providers = [
        "graph.facebook.com",
        "accounts.google.com",
        "cognito-identity.amazonaws.com",
        "login.example.com",
        "login.dev",
    ];
    g.known.insert("IdentityProviderName", providers.iter().map(|s| (*s).to_owned()).collect());
    g.known.insert("DeveloperProviderName", vec!["login.dev".to_owned()]);
    g.known.insert(
        "ARNString",
        vec![
            "arn:aws:iam::123456789012:role/Auth".to_owned(),
            "arn:aws:iam::123456789012:oidc-provider/login.example.com".to_owned(),
        ],
    );
    g.known.insert("RoleType", vec!["authenticated".to_owned(), "unauthenticated".to_owned()]);
    g
}

fn run(env: &Env, s: &mut Session, step: Step, u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    match step {
        Step::Api { operation, signing, stray, headers } => {
            let op = &OPERATIONS[usize::from(operation) % OPERATIONS.len()];
            s.generator.stray = stray % 3;
            let (input, validity) = s.generator.input(u, op)?;
            let body = input.to_string();
            let mut list = vec![
                ("host".to_owned(), HOST.to_owned()),
                ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
                ("x-amz-target".to_owned(), op.target.to_owned()),
            ];
            list.extend(headers.into_iter().take(4));
            let well_signed = !op.signed || matches!(signing, Signing::Valid | Signing::Issued(_));
            let signed = sign_with(env, s, &signing, "cognito-identity", "POST", "/", &list, body.as_bytes());
            let answer = send(env, s, "POST", "/", &signed, body.into_bytes());
            if let Some((status, _, body)) = &answer {
                let code =
                    serde_json::from_slice::<Value>(body).ok().and_then(|v| v["__type"].as_str().map(str::to_owned));
                if validity == Validity::Valid && well_signed && !s.faults && *status >= 400 {
                    let code = code.unwrap_or_default();
                    assert!(
                        !matches!(code.as_str(), "ValidationException" | "SerializationException"),
                        "{}: a valid input was refused: {}\ninput: {input}",
                        op.name,
                        String::from_utf8_lossy(body)
                    );
                }
            }
        }
        Step::Sts { action, params, token, signing } => {
            let action = ["AssumeRoleWithWebIdentity", "GetCallerIdentity", "AssumeRole", ""][usize::from(action % 4)];
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("Action", action).append_pair("Version", "2011-06-15");
            let names = ["RoleArn", "RoleSessionName", "WebIdentityToken", "DurationSeconds", "Version", "Action"];
            for (n, v) in params.iter().take(6) {
                form.append_pair(names[usize::from(*n) % names.len()], v);
            }
            let tokens = s.generator.known.get("OIDCToken").cloned().unwrap_or_default();
            if let Some(t) = token.and_then(|i| tokens.get(usize::from(i) % tokens.len().max(1))) {
                form.append_pair("WebIdentityToken", t);
                form.append_pair("RoleArn", "arn:aws:iam::123456789012:role/Auth");
                form.append_pair("RoleSessionName", "fuzz");
            }
            let body = form.finish();
            let list = vec![
                ("host".to_owned(), HOST.to_owned()),
                ("content-type".to_owned(), "application/x-www-form-urlencoded; charset=utf-8".to_owned()),
            ];
            let signed = sign_with(env, s, &signing, "sts", "POST", "/", &list, body.as_bytes());
            send(env, s, "POST", "/", &signed, body.into_bytes());
        }
        Step::Control { which, body } => {
            let (method, path) = [
                ("GET", "/_emulator/health"),
                ("GET", "/_emulator/faults"),
                ("DELETE", "/_emulator/faults"),
                ("POST", "/_emulator/faults"),
                ("POST", "/_emulator/reset"),
                ("GET", "/_emulator/clock"),
                ("POST", "/_emulator/clock"),
                ("GET", "/_emulator/requests"),
                ("DELETE", "/_emulator/requests"),
                ("GET", "/_emulator/container-credentials"),
                ("GET", "/.well-known/jwks.json"),
                ("GET", "/.well-known/openid-configuration"),
                ("PUT", "/_emulator/nothing"),
            ][usize::from(which) % 13];
            if path == "/_emulator/faults" && method == "POST" {
                s.faults = true;
            }
            send(env, s, method, path, &[], body);
        }
        Step::Fault { kind, count, status, delay_ms, operation } => {
            let kind = ["throttle", "status", "reset", "delay", "malformed", "truncated"][usize::from(kind % 6)];
            let mut fault = serde_json::json!({"kind": kind, "count": count % 4, "status": 100 + status % 500, "delay_ms": delay_ms});
            if let Some(op) = operation {
                fault["operation"] = OPERATIONS[usize::from(op) % OPERATIONS.len()].name.into();
            }
            s.faults = true;
            send(env, s, "POST", "/_emulator/faults", &[], fault.to_string().into_bytes());
        }
        Step::Clock(offset) => {
            let body = serde_json::json!({"offset_seconds": offset}).to_string();
            send(env, s, "POST", "/_emulator/clock", &[], body.into_bytes());
        }
        Step::Raw { method, path, headers, body } => {
            let method = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"][usize::from(method % 7)];
            let path = if path.starts_with('/') { path } else { format!("/{path}") };
            send(env, s, method, &path, &headers, body);
        }
        Step::Authorization { value, path, query } => {
            if let Ok(parsed) = auth::parse_authorization(&value) {
                for part in [parsed.credential, parsed.signed_headers, parsed.signature] {
                    assert!(!part.is_empty() && value.contains(part), "{value:?} -> {parsed:?}");
                }
            }
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert("authorization", v);
            }
            headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
            let req = SignedRequest { method: "POST", path: &path, query: &query, headers: &headers, body: b"" };
            let lookup = |id: &str| env.shared.lookup_key(id);
            let regions = [REGION.to_owned()];
            // Only a correct signature verifies, and a fuzzed one is not.
            let _ = auth::verify(&req, lookup, &regions, auth::SERVICE, env.shared.clock.now());
        }
        Step::Differential { method, path, query, headers, body } => {
            differential(env, method, &path, &query, &headers, &body)
        }
    }
    Ok(())
}

/// Whether aws-sigv4 can sign at this time: it formats dates with four-digit
/// years (and panics past them). A shifted emulator clock can be later.
fn signable(t: SystemTime) -> bool {
    const YEAR_9999_ENDS: u64 = 253_402_300_799;
    t.duration_since(SystemTime::UNIX_EPOCH).is_ok_and(|d| d.as_secs() < YEAR_9999_ENDS - 30 * 86_400)
}

/// Adds the signature headers `signing` asks for.
#[allow(clippy::too_many_arguments)]
fn sign_with(
    env: &Env,
    s: &Session,
    signing: &Signing,
    service: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<(String, String)> {
    let now = env.shared.clock.now();
    let mut out = headers.to_vec();
    if !signable(now) {
        return out;
    }
    let (key, secret, token, region, service, time) = match signing {
        Signing::None => return out,
        Signing::Header(h) => {
            out.push(("authorization".into(), h.clone()));
            out.push(("x-amz-date".into(), cognito_identity::amz_date::format(now)));
            return out;
        }
        Signing::Valid => (KEY_ID, SECRET, None, REGION, service, now),
        Signing::WrongSecret => (KEY_ID, "not-the-secret", None, REGION, service, now),
        Signing::WrongRegion => (KEY_ID, SECRET, None, "ap-south-2", service, now),
        Signing::WrongService => (KEY_ID, SECRET, None, REGION, "s3", now),
        Signing::Skewed(m) => {
            let off = Duration::from_secs(u64::from(m.unsigned_abs()) * 60);
            let t = if *m >= 0 { now.checked_add(off) } else { now.checked_sub(off) };
            (KEY_ID, SECRET, None, REGION, service, t.unwrap_or(now))
        }
        Signing::Issued(i) => match s.issued.get(usize::from(*i) % s.issued.len().max(1)) {
            Some((k, sec, tok)) => (k.as_str(), sec.as_str(), Some(tok.clone()), REGION, service, now),
            None => (KEY_ID, SECRET, None, REGION, service, now),
        },
    };
    let url = format!("{BASE_URL}{path}");
    if let Some(added) = sigv4_headers(key, secret, token, region, service, time, method, &url, headers, body) {
        set_headers(&mut out, added);
    }
    out
}

/// Applies a signer's headers as an HTTP client does: each replaces any
/// header of that name (a request with two `X-Amz-Date`s is not what was signed).
fn set_headers(list: &mut Vec<(String, String)>, added: Vec<(String, String)>) {
    for (name, value) in added {
        list.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        list.push((name, value));
    }
}

#[allow(clippy::too_many_arguments)]
fn sigv4_headers(
    key: &str,
    secret: &str,
    token: Option<String>,
    region: &str,
    service: &str,
    time: SystemTime,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Vec<(String, String)>> {
    let identity: Identity = aws_credential_types::Credentials::new(key, secret, token, None, "fuzz").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .ok()?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .ok()?;
    let (instructions, _) = sign(request, &params).ok()?.into_parts();
    Some(instructions.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect())
}

fn header_map(list: &[(String, String)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (n, v) in list {
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(n.as_bytes()), HeaderValue::from_str(v)) {
            headers.append(n, v);
        }
    }
    headers
}

/// Sends one request through the emulator and checks the answer's form.
/// Returns status, headers and body when there was an answer.
fn send(
    env: &Env,
    s: &mut Session,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Option<(u16, Vec<(&'static str, String)>, Bytes)> {
    let Ok(mut builder) = http::Request::builder().method(method).uri(path).body(()) else { return None };
    *builder.headers_mut() = header_map(headers);
    let (parts, ()) = builder.into_parts();
    s.sent.push_str(&String::from_utf8_lossy(&body));
    s.sent.push_str(path);
    for (_, v) in headers {
        s.sent.push_str(v);
    }
    let outcome = env.runtime.block_on(handle(&env.shared, BASE_URL, &parts, Bytes::from(body)));
    let (status, headers, body) = match outcome {
        Outcome::Reset => return None,
        Outcome::Respond { status, headers, body } | Outcome::Truncated { status, headers, body } => {
            (status, headers, body)
        }
    };
    assert!((100..=599).contains(&status), "status {status}");
    let header = |name: &str| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
    let content_type = header("content-type").unwrap_or_default().to_owned();
    let text = String::from_utf8_lossy(&body).into_owned();
    if status >= 500 && !s.faults {
        panic!("{method} {path}: {status} without an injected fault: {text}");
    }
    match content_type.as_str() {
        "application/x-amz-json-1.1" if header("x-amzn-requestid").is_some() => {
            // Cognito: JSON, unless a `malformed` fault garbled it.
            if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                learn(s, &v);
                if status >= 400 {
                    let code = v["__type"].as_str().unwrap_or_default();
                    assert!(!code.is_empty() && v["message"].is_string(), "{text}");
                    assert_eq!(header("x-amzn-errortype"), Some(format!("{code}:").as_str()));
                }
            } else {
                assert!(s.faults, "a Cognito answer that is not JSON: {text}");
            }
        }
        "text/xml" => {
            if status >= 400 {
                assert!(text.contains("<ErrorResponse") || s.faults, "{text}");
            }
            learn_xml(s, &text);
        }
        "application/json" => {
            let v: Value =
                serde_json::from_slice(&body).unwrap_or_else(|e| panic!("control answer not JSON ({e}): {text}"));
            if path == "/_emulator/requests" {
                s.watched.push(text.clone());
            }
            learn(s, &v);
        }
        other => panic!("{method} {path}: unexpected content type {other:?}: {text}"),
    }
    if status >= 400 {
        s.watched.push(text);
    }
    Some((status, headers, body))
}

/// Remembers ids, tokens and keys from an answer, for later requests.
fn learn(s: &mut Session, v: &Value) {
    let mut add = |shape: &'static str, value: &Value| {
        if let Some(x) = value.as_str() {
            let list = s.generator.known.entry(shape).or_default();
            if !list.iter().any(|y| y == x) && list.len() < 16 {
                list.push(x.to_owned());
            }
        }
    };
    add("IdentityPoolId", &v["IdentityPoolId"]);
    add("IdentityId", &v["IdentityId"]);
    add("OIDCToken", &v["Token"]);
    add("IdentityProviderToken", &v["Token"]);
    if let Some(id) = v["IdentityPoolId"].as_str() {
        add("ARNString", &Value::String(format!("arn:aws:cognito-identity:{REGION}:123456789012:identitypool/{id}")));
    }
    if let Some(c) = v.get("Credentials") {
        if let (Some(k), Some(sec), Some(tok)) =
            (c["AccessKeyId"].as_str(), c["SecretKey"].as_str(), c["SessionToken"].as_str())
        {
            s.issued.push((k.to_owned(), sec.to_owned(), tok.to_owned()));
        }
    }
    if let (Some(k), Some(sec), Some(tok)) =
        (v["AccessKeyId"].as_str(), v["SecretAccessKey"].as_str(), v["Token"].as_str())
    {
        s.issued.push((k.to_owned(), sec.to_owned(), tok.to_owned()));
    }
}

fn learn_xml(s: &mut Session, text: &str) {
    let field = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find('<')? + start;
        Some(text[start..end].to_owned())
    };
    if let (Some(k), Some(sec), Some(tok)) = (field("AccessKeyId"), field("SecretAccessKey"), field("SessionToken")) {
        s.issued.push((k, sec, tok));
    }
}

/// No `Logins` token generated in this session shows in an error answer or
/// in the request log (tokens that also appear elsewhere in what was sent
/// are skipped: those could be echoed as something else).
fn check_secrets(s: &Session) {
    for secret in &s.generator.secrets {
        if secret.chars().count() < 12 || s.sent.matches(secret.as_str()).count() != 1 {
            continue;
        }
        let escaped = Value::String(secret.clone()).to_string();
        let escaped = escaped.trim_matches('"');
        for text in &s.watched {
            assert!(!text.contains(secret.as_str()) && !text.contains(escaped), "a Logins token leaked: {text}");
        }
    }
}

/// Whatever aws-sigv4 signs, the emulator's verifier accepts.
fn differential(env: &Env, method: u8, path: &str, query: &str, headers: &[(String, String)], body: &[u8]) {
    let method = ["GET", "POST", "PUT", "DELETE"][usize::from(method % 4)];
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    let target = if query.is_empty() { path } else { format!("{path}?{query}") };
    let Ok(uri) = target.parse::<http::Uri>() else { return };
    let (Some(p), q) = (uri.path_and_query().map(|pq| pq.path()), uri.query()) else { return };
    let mut list = vec![("host".to_owned(), HOST.to_owned())];
    for (n, v) in headers.iter().take(4) {
        let n = n.to_ascii_lowercase();
        if HeaderName::from_bytes(n.as_bytes()).is_ok() && HeaderValue::from_str(v).is_ok() && n != "host" {
            list.push((n, v.clone()));
        }
    }
    let now = env.shared.clock.now();
    if !signable(now) {
        return;
    }
    let url = format!("{BASE_URL}{target}");
    let Some(added) = sigv4_headers(KEY_ID, SECRET, None, REGION, auth::SERVICE, now, method, &url, &list, body) else {
        return;
    };
    set_headers(&mut list, added);
    let map = header_map(&list);
    let req = SignedRequest { method, path: p, query: q.unwrap_or(""), headers: &map, body };
    let lookup =
        |id: &str| if id == KEY_ID { KeyLookup::LongTerm { secret: SECRET.to_owned() } } else { KeyLookup::Unknown };
    let verified = auth::verify(&req, lookup, &[REGION.to_owned()], auth::SERVICE, now);
    assert!(verified.is_ok(), "aws-sigv4 signed {method} {target} {list:?}, the emulator refused: {verified:?}");
}
