//! SigV4 for the one request shape this client sends — `POST /` with an
//! awsJson body and a fixed set of headers — without building a general
//! canonical request each time, and with the signing key derived once a day
//! rather than once a call. The key derivation and the final HMAC are
//! `aws-sigv4`'s own; a test checks that every output equals what the
//! general `aws-sigv4` signer produces for the same request.

use super::push_hex;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// What the caller adds to the request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Signed {
    pub authorization: String,
    pub amz_date: String,
}

/// The day's signing key, kept between calls as an HMAC already keyed with
/// it: keying hashes two blocks (the inner and outer pads), so a call that
/// clones the keyed state hashes two SHA-256 blocks fewer.
#[derive(Default)]
pub(crate) struct KeyCache(Mutex<Option<(String, Hmac<Sha256>)>>);

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache(..)")
    }
}

pub(crate) struct Request<'a> {
    pub host: &'a str,
    pub content_type: &'a str,
    pub target: &'a str,
    pub body: &'a [u8],
}

pub(crate) struct Identity<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a str,
    pub session_token: Option<&'a str>,
    pub region: &'a str,
    pub service: &'a str,
}

pub(crate) fn sign(req: &Request<'_>, id: &Identity<'_>, time: SystemTime, cache: &KeyCache) -> Signed {
    // Every string is built by appending, not with `format!`: `core::fmt` was
    // a tenth of a signed call's own instructions (callgrind).
    let amz_date = amz_date_of(time);
    let date = &amz_date[..8];
    let (signed_headers, token) = match id.session_token {
        Some(token) => {
            ("content-type;host;x-amz-date;x-amz-security-token;x-amz-target", ["x-amz-security-token:", token, "\n"])
        }
        None => ("content-type;host;x-amz-date;x-amz-target", [""; 3]),
    };
    let [token_name, token, token_end] = token;
    let mut creq = joined(&[
        "POST\n/\n\ncontent-type:",
        req.content_type,
        "\nhost:",
        req.host,
        "\nx-amz-date:",
        &amz_date,
        "\n",
        token_name,
        token,
        token_end,
        "x-amz-target:",
        req.target,
        "\n\n",
        signed_headers,
        "\n",
    ]);
    push_hex(&mut creq, &Sha256::digest(req.body));

    let scope = joined(&[date, "/", id.region, "/", id.service, "/aws4_request"]);
    let mut sts = joined(&["AWS4-HMAC-SHA256\n", &amz_date, "\n", &scope, "\n"]);
    push_hex(&mut sts, &Sha256::digest(creq.as_bytes()));

    let mut authorization = joined(&[
        "AWS4-HMAC-SHA256 Credential=",
        id.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
    ]);
    let mut mac = {
        let mut cached = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        match cached.as_ref() {
            Some((day, mac)) if day == date => mac.clone(),
            _ => {
                let key = aws_sigv4::sign::v4::generate_signing_key(id.secret, time, id.region, id.service);
                let mac =
                    <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_ref()).expect("HMAC takes a key of any length");
                *cached = Some((date.to_owned(), mac.clone()));
                mac
            }
        }
    };
    // aws-sigv4's `calculate_signature` (the same hmac and sha2 crates), with
    // the hex appended in place rather than through the `hex` crate's
    // iterator of chars.
    mac.update(sts.as_bytes());
    push_hex(&mut authorization, &mac.finalize().into_bytes());
    Signed { authorization, amz_date }
}

thread_local! {
    /// The `x-amz-date` this thread formatted last, and its second: a thread
    /// signs many requests a second, and formatting a date costs a few
    /// hundred instructions of divisions (callgrind: 2 % of a signed call).
    static LAST_AMZ_DATE: Cell<(u64, [u8; 16])> = const { Cell::new((u64::MAX, [0; 16])) };
}

/// `amz_date::format(time)`, reusing this thread's last one within a second.
fn amz_date_of(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (last_secs, last) = LAST_AMZ_DATE.get();
    if last_secs == secs
        && let Ok(text) = std::str::from_utf8(&last)
    {
        return text.to_owned();
    }
    let text = crate::amz_date::format(time);
    if let Ok(bytes) = <[u8; 16]>::try_from(text.as_bytes()) {
        LAST_AMZ_DATE.set((secs, bytes));
    }
    text
}

/// The parts one after another, with room left for a SHA-256 in hex (what
/// each string here gets next), so that appending never reallocates.
fn joined(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 2 * 32);
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::signing::Signer;
    use std::time::{Duration, UNIX_EPOCH};

    /// The general `aws-sigv4` signer's headers for the same request.
    fn reference(req: &Request<'_>, creds: &Credentials, region: &str, url: &str, time: SystemTime) -> Signed {
        let signer = Signer::for_service(creds, region, "cognito-identity");
        let headers = [("content-type", req.content_type), ("x-amz-target", req.target)];
        let added = signer
            .sign_with("POST", url, &headers, req.body, time, aws_sigv4::http_request::SigningSettings::default())
            .unwrap();
        let get = |n: &str| added.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()).unwrap();
        Signed { authorization: get("authorization"), amz_date: get("x-amz-date") }
    }

    #[test]
    fn a_date_is_reused_only_within_its_second() {
        let base = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(amz_date_of(base), "20231114T221320Z");
        assert_eq!(amz_date_of(base + Duration::from_millis(999)), "20231114T221320Z");
        assert_eq!(amz_date_of(base + Duration::from_secs(1)), "20231114T221321Z");
        assert_eq!(amz_date_of(base), "20231114T221320Z");
        assert_eq!(amz_date_of(base + Duration::from_secs(86_400)), "20231115T221320Z");
    }

    #[test]
    fn equals_the_general_aws_sigv4_signer() {
        let cache = KeyCache::default();
        let hosts = [
            ("https://cognito-identity.us-east-1.amazonaws.com/", "cognito-identity.us-east-1.amazonaws.com"),
            ("http://127.0.0.1:4566/", "127.0.0.1:4566"),
            ("http://[::1]:8080/", "[::1]:8080"),
            (
                "https://cognito-identity-fips.us-gov-west-1.amazonaws.com/",
                "cognito-identity-fips.us-gov-west-1.amazonaws.com",
            ),
        ];
        let tokens = [None, Some("FwoGZXIvYXdzEJr//////////wEaDOQ+token/with=chars")];
        let bodies: [&[u8]; 3] =
            [b"{}", br#"{"IdentityPoolId":"us-east-1:abc","MaxResults":60}"#, "{\"n\":\"é\"}".as_bytes()];
        let mut checked = 0;
        for (i, (url, host)) in hosts.iter().enumerate() {
            for token in tokens {
                for body in bodies {
                    // Several instants, including a new day, so the key cache is exercised.
                    for t in [0u64, 86_399, 86_400, 1_795_000_000 + i as u64] {
                        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000 + t);
                        let creds = Credentials::new(
                            "AKIDEXAMPLE",
                            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                            token.map(str::to_owned),
                        );
                        let region = if host.contains("gov") { "us-gov-west-1" } else { "us-east-1" };
                        let req = Request {
                            host,
                            content_type: "application/x-amz-json-1.1",
                            target: "AWSCognitoIdentityService.ListIdentityPools",
                            body,
                        };
                        let id = Identity {
                            access_key_id: creds.access_key_id(),
                            secret: creds.secret_access_key(),
                            session_token: creds.session_token(),
                            region,
                            service: "cognito-identity",
                        };
                        assert_eq!(
                            sign(&req, &id, time, &cache),
                            reference(&req, &creds, region, url, time),
                            "{url} {token:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 96);
    }
}
