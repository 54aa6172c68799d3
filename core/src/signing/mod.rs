//! SigV4 signing with the `aws-sigv4` crate, and the clock-skew correction.

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

pub const SERVICE: &str = "cognito-identity";

/// Signs requests for one client: its credentials and region, built once.
pub(crate) struct Signer {
    identity: Identity,
    credentials: Credentials,
    region: String,
    service: String,
    keys: json_post::KeyCache,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("region", &self.region).finish_non_exhaustive()
    }
}

impl Signer {
    pub fn new(credentials: &Credentials, region: &str) -> Self {
        Self::for_service(credentials, region, SERVICE)
    }

    /// The credentials this signer signs with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn for_service(credentials: &Credentials, region: &str, service: &str) -> Self {
        let creds = aws_credential_types::Credentials::from(credentials);
        Signer {
            identity: creds.into(),
            credentials: credentials.clone(),
            region: region.to_owned(),
            service: service.to_owned(),
            keys: json_post::KeyCache::default(),
        }
    }

    /// Signs this client's request: `POST /` to `url` (whose `host[:port]` is
    /// `host`) with the content type and target headers and `body`. Returns
    /// the headers to add: `authorization`, `x-amz-date`, and
    /// `x-amz-security-token` for temporary credentials.
    pub fn sign_post_json(
        &self,
        url: &str,
        host: &str,
        content_type: &str,
        target: &str,
        body: &[u8],
        time: SystemTime,
    ) -> Result<Vec<(&'static str, String)>, Error> {
        let token = self.credentials.session_token();
        // The fast path writes header values as they are; anything that SigV4
        // would trim or fold goes through the general signer instead.
        let plain = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_graphic());
        if !token.is_none_or(plain) || !plain(host) {
            let headers = [("content-type", content_type), ("x-amz-target", target)];
            return self.sign_with("POST", url, &headers, body, time, SigningSettings::default());
        }
        let request = json_post::Request { host, content_type, target, body };
        let identity = json_post::Identity {
            access_key_id: self.credentials.access_key_id(),
            secret: self.credentials.secret_access_key(),
            session_token: token,
            region: &self.region,
            service: &self.service,
        };
        let signed = json_post::sign(&request, &identity, time, &self.keys);
        let mut headers = vec![("authorization", signed.authorization), ("x-amz-date", signed.amz_date)];
        if let Some(t) = token {
            headers.push(("x-amz-security-token", t.to_owned()));
        }
        Ok(headers)
    }

    pub fn sign_with(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        time: SystemTime,
        settings: SigningSettings,
    ) -> Result<Vec<(&'static str, String)>, Error> {
        let failed = |what: &dyn std::fmt::Display| {
            Error::new(ErrorKind::Credentials, "SigningError", format!("could not sign the request: {what}"))
        };
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.service)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| failed(&e))?
            .into();
        let request = SignableRequest::new(method, url, headers.iter().copied(), SignableBody::Bytes(body))
            .map_err(|e| failed(&e))?;
        let (instructions, _signature) = sign(request, &params).map_err(|e| failed(&e))?.into_parts();
        let (added, _query) = instructions.into_parts();
        Ok(added.into_iter().map(|h| (h.name(), h.value().to_owned())).collect())
    }
}

/// How far the service's clock is from ours, learnt from responses' `Date`
/// headers, so that signatures stay inside the service's five-minute window.
#[derive(Debug, Default)]
pub(crate) struct ClockSkew {
    offset_ms: AtomicI64,
}

/// `Date` has one-second resolution: smaller offsets are noise, not skew.
const NOISE: Duration = Duration::from_secs(4);

impl ClockSkew {
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let now = SystemTime::now();
        let shift = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 { now + shift } else { now.checked_sub(shift).unwrap_or(now) }
    }

    /// The correction in milliseconds (positive: the service is ahead).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Records the server's time from a `Date` header seen at `received`.
    /// Returns true when the correction changed.
    pub fn observe(&self, date_header: &str, received: SystemTime) -> bool {
        let Some(server) = server_time(date_header) else {
            return false;
        };
        let offset = match server.duration_since(received) {
            Ok(ahead) => i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_millis()).unwrap_or(i64::MAX),
        };
        let offset = if offset.unsigned_abs() < NOISE.as_millis() as u64 { 0 } else { offset };
        self.offset_ms.swap(offset, Ordering::Relaxed) != offset
    }
}

thread_local! {
    /// The `Date` header this thread parsed last and its time: a server
    /// sends the same one for a second's answers, and parsing it cost 500
    /// instructions a call (callgrind). Its bytes (a longer one is not kept),
    /// their length, and the time.
    static LAST_DATE_HEADER: Cell<([u8; 32], usize, Option<SystemTime>)> = const { Cell::new(([0; 32], usize::MAX, None)) };
}

/// The time a `Date` header gives, `None` when it is not an HTTP date.
fn server_time(date_header: &str) -> Option<SystemTime> {
    let bytes = date_header.as_bytes();
    let (mut last, len, time) = LAST_DATE_HEADER.get();
    if len == bytes.len() && last.get(..len) == Some(bytes) {
        return time;
    }
    let time = httpdate::parse_http_date(date_header).ok();
    if let Some(kept) = last.get_mut(..bytes.len()) {
        kept.copy_from_slice(bytes);
        LAST_DATE_HEADER.set((last, bytes.len(), time));
    }
    time
}

/// Appends `bytes` as lowercase hex.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Through a stack buffer: `String::push` of each char cost 27
    // instructions a byte (callgrind), a hash's hex 860 a signed call.
    let mut buf = [0u8; 128];
    for chunk in bytes.chunks(buf.len() / 2) {
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 15)];
        }
        out.push_str(std::str::from_utf8(&buf[..chunk.len() * 2]).unwrap_or_default());
    }
}

/// `bytes` as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    push_hex(&mut out, bytes);
    out
}

/// Error codes that mean "your clock is wrong", after the AWS SDKs' list.
pub(crate) fn is_clock_skew_error(code: &str, message: &str) -> bool {
    matches!(code, "RequestTimeTooSkewed" | "RequestExpired" | "RequestInTheFuture" | "SignatureExpired")
        || (code == "InvalidSignatureException"
            && (message.contains("Signature expired") || message.contains("Signature not yet current")))
}

mod json_post;

#[cfg(test)]
mod vectors;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte_at_any_length() {
        for len in [0usize, 1, 32, 63, 64, 65, 200] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let want: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex(&bytes), want, "{len}");
            let mut out = String::from("x");
            push_hex(&mut out, &bytes);
            assert_eq!(out, format!("x{want}"));
        }
    }

    #[test]
    fn skew_is_learnt_from_the_date_header_and_noise_ignored() {
        let skew = ClockSkew::default();
        let t = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert!(!skew.observe("Sun, 06 Nov 1994 08:49:39 GMT", t));
        assert!(skew.observe("Sun, 06 Nov 1994 09:49:37 GMT", t));
        let ahead = skew.now().duration_since(SystemTime::now()).unwrap();
        assert!(ahead > Duration::from_secs(3590) && ahead <= Duration::from_secs(3600), "{ahead:?}");
        assert!(skew.observe("Sun, 06 Nov 1994 07:49:37 GMT", t));
        assert!(SystemTime::now().duration_since(skew.now()).unwrap() > Duration::from_secs(3590));
        assert!(!skew.observe("not a date", t));
    }

    #[test]
    fn a_date_header_is_parsed_again_only_when_it_changes() {
        let a = "Sun, 06 Nov 1994 08:49:37 GMT";
        let t = httpdate::parse_http_date(a).unwrap();
        assert_eq!(server_time(a), Some(t));
        assert_eq!(server_time(a), Some(t));
        assert_eq!(server_time("Sun, 06 Nov 1994 08:49:38 GMT"), Some(t + Duration::from_secs(1)));
        assert_eq!(server_time("not a date"), None);
        assert_eq!(server_time("not a date"), None);
        assert_eq!(server_time(a), Some(t));
        let long = "Sun, 06 Nov 1994 08:49:37 GMT, and more than 32 bytes";
        assert_eq!(server_time(long), None);
        assert_eq!(server_time(a), Some(t));
    }

    #[test]
    fn skew_errors_are_recognised() {
        assert!(is_clock_skew_error(
            "InvalidSignatureException",
            "Signature not yet current: 20300101T000000Z is still later than 20291231T000500Z (20291231T000000Z + 5 min.)"
        ));
        assert!(is_clock_skew_error(
            "InvalidSignatureException",
            "Signature expired: 20200101T000000Z is now earlier than ..."
        ));
        assert!(!is_clock_skew_error(
            "InvalidSignatureException",
            "The request signature we calculated does not match"
        ));
        assert!(is_clock_skew_error("RequestTimeTooSkewed", ""));
    }

    #[test]
    fn signing_adds_authorization_date_and_token() {
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Some("TOKEN".into()));
        let signer = Signer::new(&creds, "us-east-1");
        let t = httpdate::parse_http_date("Fri, 09 Sep 2011 23:36:00 GMT").unwrap();
        let added = signer
            .sign_post_json(
                "https://cognito-identity.us-east-1.amazonaws.com/",
                "cognito-identity.us-east-1.amazonaws.com",
                "application/x-amz-json-1.1",
                "AWSCognitoIdentityService.ListIdentityPools",
                b"{}",
                t,
            )
            .unwrap();
        let get = |n: &str| added.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert_eq!(get("x-amz-date"), Some("20110909T233600Z"));
        assert_eq!(get("x-amz-security-token"), Some("TOKEN"));
        let auth = get("authorization").unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/cognito-identity/aws4_request, SignedHeaders="), "{auth}");
        assert!(auth.contains("x-amz-target"), "{auth}");
        assert!(format!("{signer:?}").find("wJalr").is_none());
    }
}
