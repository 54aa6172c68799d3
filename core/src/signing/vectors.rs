//! The SigV4 test suite of aws-c-auth (vendored in `core/tests/data/sigv4`), signed
//! through our `Signer` in header mode.
//!
//! The signature is an HMAC of the string to sign, which holds the SHA-256 of
//! the canonical request: a matching signature means our canonical request and
//! string to sign match the suite's too. Each case also checks that the
//! suite's own three files agree with each other, and that our Authorization
//! header (credential scope and signed-header list) is the expected one.

use super::Signer;
use crate::credentials::Credentials;
use aws_sigv4::http_request::{PayloadChecksumKind, SessionTokenMode, SigningSettings, UriPathNormalizationMode};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Cases whose request cannot be expressed to a signer of well-formed HTTP
/// requests, and why.
const SKIPPED: [(&str, &str); 3] = [
    (
        "get-space-unnormalized",
        "the path holds a raw space; as a URI it must be pre-encoded (%20), which SigV4's double encoding then encodes again",
    ),
    (
        "get-utf8",
        "the path holds raw UTF-8 bytes; as a URI they must be pre-encoded (%E1%88%B4), which SigV4's double encoding then encodes again",
    ),
    (
        "get-space-normalized",
        "the path holds a raw space; as a URI it must be pre-encoded (%20), which SigV4's double encoding then encodes again",
    ),
];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4")
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(raw: &str) -> Request {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap();
    let mut parts = first.splitn(2, ' ');
    let method = parts.next().unwrap().to_owned();
    let path = parts.next().unwrap().rsplit_once(" HTTP/").unwrap().0.to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            // An obsolete folded continuation: joined with one space, as canonicalization does.
            let last = headers.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_owned(), v.to_owned()));
        }
    }
    Request { method, path, headers, body: body.as_bytes().to_vec() }
}

/// Percent-encodes what a URI cannot carry raw (non-ASCII bytes).
fn as_uri_path(path: &str) -> String {
    path.bytes()
        .map(|b| if b.is_ascii() && b != b' ' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[test]
fn the_aws_c_auth_suite_signs_identically() {
    let dir = suite_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the SigV4 suite is missing at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("context.json").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 38, "expected the 38 cases, found {}", cases.len());
    let (mut passed, mut failed) = (0, Vec::new());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if SKIPPED.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let read = |f: &str| std::fs::read_to_string(case.join(f)).unwrap();
        let ctx: Value = serde_json::from_str(&read("context.json")).unwrap();
        let req = parse_request(&read("request.txt"));
        let creds = &ctx["credentials"];
        let credentials = Credentials::new(
            creds["access_key_id"].as_str().unwrap(),
            creds["secret_access_key"].as_str().unwrap(),
            creds["token"].as_str().map(str::to_owned),
        );
        let signer =
            Signer::for_service(&credentials, ctx["region"].as_str().unwrap(), ctx["service"].as_str().unwrap());
        let iso = ctx["timestamp"].as_str().unwrap(); // "2015-08-30T12:36:00Z"
        let time = crate::amz_date::parse(&iso.replace(['-', ':'], "")).unwrap();
        let mut settings = SigningSettings::default();
        if ctx["normalize"] == Value::Bool(false) {
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        if ctx["sign_body"] == Value::Bool(true) {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        if ctx["omit_session_token"] == Value::Bool(true) {
            settings.session_token_mode = SessionTokenMode::Exclude;
        }
        let host = req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).unwrap().1.clone();
        let url = format!("https://{host}{}", as_uri_path(&req.path));
        let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let added = match signer.sign_with(&req.method, &url, &headers, &req.body, time, settings) {
            Ok(a) => a,
            Err(e) => {
                failed.push(format!("{name}: {e}"));
                continue;
            }
        };
        let auth = added.iter().find(|(k, _)| *k == "authorization").map(|(_, v)| v.clone()).unwrap_or_default();
        let expected_sig = read("header-signature.txt").trim().to_owned();
        let expected_auth = read("header-signed-request.txt")
            .lines()
            .find_map(|l| l.strip_prefix("Authorization:").map(str::to_owned))
            .unwrap_or_default();
        // The suite's files must agree among themselves, or a pass would mean nothing.
        let creq = read("header-canonical-request.txt");
        let sts = read("header-string-to-sign.txt");
        assert_eq!(sts.lines().last().unwrap(), hex_sha256(creq.as_bytes()), "{name}: suite files disagree");
        if auth == expected_auth && auth.ends_with(&format!("Signature={expected_sig}")) {
            passed += 1;
        } else {
            failed.push(format!("{name}:\n  ours     {auth}\n  expected {expected_auth}"));
        }
    }
    eprintln!("SigV4 suite: {passed} passed, {} failed, {} skipped:", failed.len(), SKIPPED.len());
    for (n, why) in SKIPPED {
        eprintln!("  skipped {n}: {why}");
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(passed + SKIPPED.len(), cases.len());
}

fn hex_sha256(data: &[u8]) -> String {
    use sha2::Digest;
    super::hex(&sha2::Sha256::digest(data))
}
