use super::*;
use http::{HeaderName, HeaderValue};
use std::path::{Path, PathBuf};

fn vectors_dir() -> PathBuf {
    // The aws-c-auth suite is vendored in the core crate (core/tests/data/sigv4);
    // without it this test fails rather than passing vacuously.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/sigv4");
    assert!(dir.is_dir(), "the SigV4 suite is missing at {}", dir.display());
    dir
}

struct Parsed {
    method: String,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> Parsed {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let method = method.to_owned();
    let target = rest.rsplit_once(' ').map_or(rest, |(t, _)| t);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = HeaderMap::new();
    let mut last: Option<HeaderName> = None;
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            // A folded continuation of the previous header's value.
            let name = last.clone().expect("continuation after a header");
            let prev = headers
                .get_all(&name)
                .iter()
                .next_back()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            let mut values: Vec<HeaderValue> = headers.get_all(&name).iter().cloned().collect();
            values.pop();
            headers.remove(&name);
            for v in values {
                headers.append(&name, v);
            }
            let joined = format!("{prev} {}", line.trim());
            headers.append(&name, HeaderValue::from_str(&joined).expect("value"));
            continue;
        }
        let (name, value) = line.split_once(':').expect("header line");
        let name = HeaderName::from_bytes(name.trim().to_ascii_lowercase().as_bytes()).expect("name");
        headers.append(&name, HeaderValue::from_str(value.trim()).expect("value"));
        last = Some(name);
    }
    Parsed { method, path: path.to_owned(), query: query.to_owned(), headers, body: body.as_bytes().to_vec() }
}

#[test]
fn accepts_every_header_signed_case_of_the_aws_c_auth_suite() {
    let dir = vectors_dir();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("read dir") {
        let case = entry.expect("entry").path();
        let signed = case.join("header-signed-request.txt");
        if !signed.is_file() {
            continue;
        }
        let context: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("context.json")).expect("ctx")).expect("json");
        if context["normalize"] == false || context["sign_body"] == true {
            // S3-style unnormalised paths and x-amz-content-sha256 bodies are
            // not what Cognito Identity's signers send.
            continue;
        }
        let text = std::fs::read_to_string(&signed).expect("signed request");
        let parsed = parse_request(&text);
        let req = SignedRequest {
            method: &parsed.method,
            path: &parsed.path,
            query: &parsed.query,
            headers: &parsed.headers,
            body: &parsed.body,
        };
        let creds = &context["credentials"];
        let secret = creds["secret_access_key"].as_str().expect("secret").to_owned();
        let key_id = creds["access_key_id"].as_str().expect("id").to_owned();
        let region = context["region"].as_str().expect("region").to_owned();
        let service = context["service"].as_str().expect("service");
        let ts = context["timestamp"].as_str().expect("timestamp").replace(['-', ':'], "");
        let now = parse_amz_date(&ts).expect("timestamp");
        let expected_canonical = std::fs::read_to_string(case.join("header-canonical-request.txt")).expect("canonical");
        let auth =
            parse_authorization(parsed.headers.get("authorization").and_then(|v| v.to_str().ok()).expect("auth"))
                .expect("parse auth");
        let signed_list: Vec<&str> = auth.signed_headers.split(';').collect();
        assert_eq!(
            canonical_request(&req, &signed_list),
            expected_canonical,
            "canonical request of {}",
            case.display()
        );
        let result = verify(
            &req,
            |id| {
                if id == key_id { KeyLookup::LongTerm { secret: secret.clone() } } else { KeyLookup::Unknown }
            },
            std::slice::from_ref(&region),
            service,
            now,
        );
        assert!(result.is_ok(), "{}: {result:?}", case.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} cases checked");
}

fn signed_get(secret: &str, when: &str) -> (HeaderMap, String) {
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
    headers.insert("x-amz-date", HeaderValue::from_str(when).expect("date"));
    let req = SignedRequest { method: "GET", path: "/", query: "", headers: &headers, body: b"" };
    let canonical = canonical_request(&req, &["host", "x-amz-date"]);
    let scope = format!("{}/us-east-1/cognito-identity/aws4_request", &when[..8]);
    let sts = format!("{ALGORITHM}\n{when}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let t = parse_amz_date(when).expect("date");
    let key = aws_sigv4::sign::v4::generate_signing_key(secret, t, "us-east-1", SERVICE);
    let sig = aws_sigv4::sign::v4::calculate_signature(key, sts.as_bytes());
    let auth = format!("{ALGORITHM} Credential=AKID/{scope}, SignedHeaders=host;x-amz-date, Signature={sig}");
    headers.insert("authorization", HeaderValue::from_str(&auth).expect("auth"));
    (headers, sig)
}

fn check(headers: &HeaderMap, now: &str) -> Result<Verified, ApiError> {
    let req = SignedRequest { method: "GET", path: "/", query: "", headers, body: b"" };
    verify(
        &req,
        |id| {
            if id == "AKID" { KeyLookup::LongTerm { secret: "s3cret".into() } } else { KeyLookup::Unknown }
        },
        &["us-east-1".to_owned()],
        SERVICE,
        parse_amz_date(now).expect("now"),
    )
}

#[test]
fn expired_and_future_signatures_get_the_aws_messages() {
    let (headers, _) = signed_get("s3cret", "20240101T000000Z");
    assert!(check(&headers, "20240101T000400Z").is_ok());
    let late = check(&headers, "20240101T001000Z").expect_err("expired");
    assert_eq!(late.code, "InvalidSignatureException");
    assert_eq!(
        late.message,
        "Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)"
    );
    let early = check(&headers, "20231231T235000Z").expect_err("not yet current");
    assert!(early.message.starts_with("Signature not yet current: 20240101T000000Z is still later than"));
}

#[test]
fn wrong_secret_and_missing_header_are_refused() {
    let (headers, _) = signed_get("other", "20240101T000000Z");
    let e = check(&headers, "20240101T000000Z").expect_err("bad sig");
    assert_eq!((e.code, e.status), ("InvalidSignatureException", 403));
    let e = check(&HeaderMap::new(), "20240101T000000Z").expect_err("missing");
    assert_eq!((e.code, e.status), ("MissingAuthenticationTokenException", 403));
}

/// Regression for a fuzz finding (fuzz/corpus/emulator_request/regress-03-*):
/// `+` in a query is a space, as aws-sigv4 signs it; `%2B` is a plus.
#[test]
fn a_plus_in_the_query_is_a_space() {
    assert_eq!(canonical_query("+"), "%20=");
    assert_eq!(canonical_query("a+b=c+d&x=%2B"), "a%20b=c%20d&x=%2B");
}
