//! SigV4 verification: recompute the signature the caller claims and compare.
//!
//! The canonical request is built from the caller's own `SignedHeaders` list,
//! so any conforming signer (botocore, the AWS SDKs, aws-sigv4) is accepted;
//! key derivation and the final HMAC come from the `aws-sigv4` crate.

use crate::error::ApiError;
use cognito_identity::amz_date::{format as format_amz_date, parse as parse_amz_date};
use http::HeaderMap;
use std::time::{Duration, SystemTime};

pub const SERVICE: &str = "cognito-identity";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far the request time may be from the server clock.
const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// What the emulator knows about an access key id.
#[derive(Debug, Clone)]
pub enum KeyLookup {
    Unknown,
    /// A configured long-term key.
    LongTerm {
        secret: String,
    },
    /// Temporary credentials the emulator issued (GetCredentialsForIdentity,
    /// STS AssumeRoleWithWebIdentity, the container endpoint).
    Temporary {
        secret: String,
        session_token: String,
        expires: SystemTime,
    },
}

/// The parts of a request that a signature covers.
#[derive(Debug)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The path as sent on the wire (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Who signed a verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key_id: String,
    pub region: String,
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::sender("IncompleteSignatureException", message)
}

fn invalid_signature(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidSignatureException", 403, message)
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `Credential=...`, `SignedHeaders=...`, `Signature=...` of an Authorization header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorizationHeader<'a> {
    pub credential: &'a str,
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

/// Splits a SigV4 `Authorization` header value into its three parameters;
/// public so that the fuzz target reaches it directly.
pub fn parse_authorization(value: &str) -> Result<AuthorizationHeader<'_>, ApiError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with(' '))
        .ok_or_else(|| incomplete(format!("Authorization header requires '{ALGORITHM}' as its algorithm.")))?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed_headers = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let mut missing = String::new();
    for (name, v) in [("Credential", credential), ("Signature", signature), ("SignedHeaders", signed_headers)] {
        if v.is_none_or(str::is_empty) {
            missing.push_str(&format!("Authorization header requires '{name}' parameter. "));
        }
    }
    match (credential, signed_headers, signature) {
        (Some(c), Some(h), Some(s)) if missing.is_empty() => {
            Ok(AuthorizationHeader { credential: c, signed_headers: h, signature: s })
        }
        _ => Err(incomplete(format!("{missing}Authorization={}", value.split(' ').next().unwrap_or("")))),
    }
}

/// Verifies a SigV4-signed request against the configured keys and regions.
pub fn verify(
    req: &SignedRequest<'_>,
    lookup: impl Fn(&str) -> KeyLookup,
    regions: &[String],
    service: &str,
    now: SystemTime,
) -> Result<Verified, ApiError> {
    let Some(authorization) = header(req.headers, "authorization") else {
        return Err(ApiError::new("MissingAuthenticationTokenException", 403, "Missing Authentication Token"));
    };
    let auth = parse_authorization(authorization)?;
    let scope: Vec<&str> = auth.credential.split('/').collect();
    let [key_id, scope_date, region, scope_service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should have 5 parts, separated by '/': {}",
            auth.credential.split('/').next().unwrap_or("")
        )));
    };
    if terminator != "aws4_request" {
        return Err(invalid_signature(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    let amz_date = header(req.headers, "x-amz-date").ok_or_else(|| {
        incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    })?;
    let request_time = parse_amz_date(amz_date)
        .ok_or_else(|| incomplete(format!("X-Amz-Date must be in the ISO8601 Long Format: {amz_date}")))?;

    let secret = match lookup(key_id) {
        KeyLookup::Unknown => {
            return Err(ApiError::sender(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        }
        KeyLookup::LongTerm { secret } => secret,
        KeyLookup::Temporary { secret, session_token, expires } => {
            if header(req.headers, "x-amz-security-token") != Some(session_token.as_str()) {
                return Err(ApiError::sender(
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                ));
            }
            if now > expires {
                return Err(ApiError::sender(
                    "ExpiredTokenException",
                    "The security token included in the request is expired",
                ));
            }
            secret
        }
    };
    if scope_service != service {
        return Err(invalid_signature(format!("Credential should be scoped to correct service: '{service}'. ")));
    }
    if !regions.iter().any(|r| r == region) {
        return Err(invalid_signature("Credential should be scoped to a valid region. "));
    }
    if scope_date != &amz_date[..8] {
        return Err(invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{}', from '{amz_date}'.",
            &amz_date[..8]
        )));
    }
    let signed: Vec<&str> = auth.signed_headers.split(';').collect();
    if !signed.contains(&"host") {
        return Err(invalid_signature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
    }
    let canonical = canonical_request(req, &signed);
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope_date}/{region}/{scope_service}/aws4_request\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let key = aws_sigv4::sign::v4::generate_signing_key(&secret, request_time, region, service);
    let expected = aws_sigv4::sign::v4::calculate_signature(key, string_to_sign.as_bytes());
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(invalid_signature(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    check_skew(request_time, now)?;
    Ok(Verified { access_key_id: key_id.to_owned(), region: region.to_owned() })
}

/// AWS refuses signatures more than five minutes from its clock, with these messages.
fn check_skew(request_time: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    if request_time + MAX_SKEW < now {
        return Err(invalid_signature(format!(
            "Signature expired: {} is now earlier than {} ({} - 5 min.)",
            format_amz_date(request_time),
            format_amz_date(now - MAX_SKEW),
            format_amz_date(now)
        )));
    }
    if request_time > now + MAX_SKEW {
        return Err(invalid_signature(format!(
            "Signature not yet current: {} is still later than {} ({} + 5 min.)",
            format_amz_date(request_time),
            format_amz_date(now + MAX_SKEW),
            format_amz_date(now)
        )));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SigV4 canonical request for the headers the signer says it signed.
pub fn canonical_request(req: &SignedRequest<'_>, signed_headers: &[&str]) -> String {
    let mut out = String::new();
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(req.path));
    out.push('\n');
    out.push_str(&canonical_query(req.query));
    out.push('\n');
    for name in signed_headers {
        let values: Vec<String> = req
            .headers
            .get_all(*name)
            .iter()
            .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    let payload_hash = match header(req.headers, "x-amz-content-sha256") {
        Some(h) if h == "UNSIGNED-PAYLOAD" => h.to_owned(),
        _ => sha256_hex(req.body),
    };
    out.push_str(&payload_hash);
    out
}

fn collapse_spaces(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn percent_decode(s: &str) -> String {
    fn hex_value(b: u8) -> Option<u8> {
        char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Normalised path (dot segments removed), each segment encoded once more, as
/// every AWS service but S3 expects.
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/').skip(1) {
        match seg {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    // "/a//b" keeps its empty segment only in the middle; trailing "/" survives.
    let ends_with_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = String::from("/");
    let kept: Vec<String> = segments.iter().filter(|s| !s.is_empty()).map(|s| uri_encode(s)).collect();
    out.push_str(&kept.join("/"));
    if ends_with_slash && !kept.is_empty() {
        out.push('/');
    }
    out
}

/// The query's pairs decoded as a form (`+` is a space, as aws-sigv4 and the
/// services read it; taking it for a literal `+` refused every signature
/// over a query holding one, found by the fuzzer's differential check),
/// then encoded once more and sorted.
fn canonical_query(query: &str) -> String {
    let decode = |s: &str| percent_decode(&s.replace('+', " "));
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (uri_encode(&decode(k)), uri_encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
