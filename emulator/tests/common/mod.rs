//! Test helpers: a tiny raw HTTP/1.1 client (so tests see exactly what went
//! over the wire, dropped connections included) and an aws-sigv4 signer.
#![allow(dead_code)]

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use cognito_identity_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime};

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// What came back.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The announced Content-Length, if any.
    pub content_length: Option<usize>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn code(&self) -> String {
        self.json()["__type"].as_str().unwrap_or_default().to_owned()
    }

    pub fn message(&self) -> String {
        self.json()["message"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts an AWS error with this status and code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            (self.status, self.code().as_str()),
            (status, code),
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("x-amzn-errortype"), Some(format!("{code}:").as_str()));
        self
    }

    #[track_caller]
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "body: {}", String::from_utf8_lossy(&self.body));
        self.json()
    }
}

/// Sends one request on a fresh connection and reads until the server closes.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("host: {addr}\r\n"));
    }
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed without a response")
    })?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let content_length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok());
    Ok(Resp { status, headers, body, content_length })
}

/// How to sign a request.
#[derive(Debug, Clone)]
pub struct Signing {
    pub key_id: String,
    pub secret: String,
    pub session_token: Option<String>,
    pub region: String,
    pub service: String,
    pub time: SystemTime,
}

impl Signing {
    pub fn new(key_id: &str, secret: &str) -> Self {
        Signing {
            key_id: key_id.into(),
            secret: secret.into(),
            session_token: None,
            region: "us-east-1".into(),
            service: "cognito-identity".into(),
            time: SystemTime::now(),
        }
    }
}

/// Signs with aws-sigv4 (an implementation that is not the emulator's).
pub fn sign_headers(signing: &Signing, url: &str, headers: &[(String, String)], body: &[u8]) -> Vec<(String, String)> {
    let identity: Identity = aws_credential_types::Credentials::new(
        &signing.key_id,
        &signing.secret,
        signing.session_token.clone(),
        None,
        "test",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&signing.region)
        .name(&signing.service)
        .time(signing.time)
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let request = SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    instructions.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect()
}

/// An emulator plus a client for it.
pub struct Api {
    pub emu: Emulator,
    pub signing: Signing,
}

pub fn start() -> Api {
    start_with(EmulatorConfig::default())
}

pub fn start_with(config: EmulatorConfig) -> Api {
    let emu = Emulator::start(config).expect("emulator starts");
    let key = emu.access_key();
    let mut signing = Signing::new(&key.id, &key.secret);
    signing.region = emu.region().to_owned();
    Api { emu, signing }
}

impl Api {
    fn base_headers(&self, target: &str) -> Vec<(String, String)> {
        vec![
            ("host".into(), self.emu.addr().to_string()),
            ("content-type".into(), "application/x-amz-json-1.1".into()),
            ("x-amz-target".into(), target.into()),
        ]
    }

    /// Calls an operation as an SDK would: signed unless the model says noAuth.
    pub fn call(&self, op: &str, input: Value) -> Resp {
        let signed = cognito_identity::model::operation(op).is_none_or(|o| o.signed);
        if signed { self.call_signed_with(op, &input, &self.signing.clone()) } else { self.call_unsigned(op, &input) }
    }

    /// Calls and expects success.
    #[track_caller]
    pub fn ok(&self, op: &str, input: Value) -> Value {
        self.call(op, input).ok()
    }

    pub fn call_unsigned(&self, op: &str, input: &Value) -> Resp {
        let headers = self.base_headers(&format!("{TARGET_PREFIX}{op}"));
        self.raw(&headers, input.to_string().as_bytes()).expect("response")
    }

    pub fn call_signed_with(&self, op: &str, input: &Value, signing: &Signing) -> Resp {
        let body = input.to_string();
        let mut headers = self.base_headers(&format!("{TARGET_PREFIX}{op}"));
        let added = sign_headers(signing, &format!("{}/", self.emu.url()), &headers, body.as_bytes());
        headers.extend(added);
        self.raw(&headers, body.as_bytes()).expect("response")
    }

    pub fn raw(&self, headers: &[(String, String)], body: &[u8]) -> std::io::Result<Resp> {
        send(self.emu.addr(), "POST", "/", headers, body)
    }

    pub fn get(&self, path: &str) -> Resp {
        send(self.emu.addr(), "GET", path, &[], b"").expect("response")
    }

    pub fn control(&self, method: &str, path: &str, body: Value) -> Resp {
        send(self.emu.addr(), method, path, &[], body.to_string().as_bytes()).expect("response")
    }

    /// A pool with sensible defaults, overridden by `extra`.
    pub fn create_pool(&self, extra: Value) -> Value {
        let mut input = json!({
            "IdentityPoolName": "TestPool",
            "AllowUnauthenticatedIdentities": true,
        });
        if let (Some(m), Value::Object(extra)) = (input.as_object_mut(), extra) {
            m.extend(extra);
        }
        self.ok("CreateIdentityPool", input)
    }

    pub fn set_roles(&self, pool_id: &str) {
        self.ok(
            "SetIdentityPoolRoles",
            json!({"IdentityPoolId": pool_id, "Roles": {
                "authenticated": "arn:aws:iam::123456789012:role/Auth",
                "unauthenticated": "arn:aws:iam::123456789012:role/Unauth",
            }}),
        );
    }
}

/// Decodes a JWT's header and claims without checking the signature.
pub fn jwt_parts(token: &str) -> (Value, Value) {
    use base64::Engine as _;
    let dec = |s: &str| -> Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).expect("base64url");
        serde_json::from_slice(&bytes).expect("json")
    };
    let mut it = token.split('.');
    let header = dec(it.next().expect("header"));
    let claims = dec(it.next().expect("claims"));
    (header, claims)
}

pub const STS_FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// A form body from pairs, values percent-encoded as botocore encodes them.
pub fn form(pairs: &[(&str, &str)]) -> String {
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// The text of the first `<tag>` element of an XML document, unescaped.
pub fn xml_text(doc: &str, tag: &str) -> Option<String> {
    let start = doc.find(&format!("<{tag}>"))? + tag.len() + 2;
    let len = doc[start..].find(&format!("</{tag}>"))?;
    let text = &doc[start..start + len];
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The text of an element of an XML answer; panics when it is absent.
    #[track_caller]
    pub fn xml(&self, tag: &str) -> String {
        xml_text(&self.text(), tag).unwrap_or_else(|| panic!("no <{tag}> in {}", self.text()))
    }

    /// Asserts an STS (awsQuery) error with this status and code, in the
    /// `<ErrorResponse>` shape, and returns its message.
    #[track_caller]
    pub fn assert_sts_error(&self, status: u16, code: &str) -> String {
        let body = self.text();
        assert_eq!((self.status, xml_text(&body, "Code").as_deref()), (status, Some(code)), "body: {body}");
        assert!(body.starts_with(r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#), "{body}");
        let kind = if status >= 500 { "Receiver" } else { "Sender" };
        assert_eq!(xml_text(&body, "Type").as_deref(), Some(kind), "{body}");
        assert_eq!(self.header("content-type"), Some("text/xml"));
        assert_eq!(xml_text(&body, "RequestId").as_deref(), self.header("x-amzn-requestid"), "{body}");
        xml_text(&body, "Message").unwrap_or_default()
    }

    /// Asserts a successful STS answer for `action` and returns its body.
    #[track_caller]
    pub fn sts_ok(&self, action: &str) -> String {
        let body = self.text();
        assert_eq!(self.status, 200, "body: {body}");
        assert_eq!(self.header("content-type"), Some("text/xml"));
        let open = format!(r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">"#);
        assert!(body.starts_with(&open), "{body}");
        assert!(body.contains(&format!("<{action}Result>")), "{body}");
        assert_eq!(xml_text(&body, "RequestId").as_deref(), self.header("x-amzn-requestid"), "{body}");
        body
    }
}

impl Api {
    /// An unsigned STS request with this form body.
    pub fn sts(&self, body: &str) -> Resp {
        let headers = vec![("content-type".to_owned(), STS_FORM.to_owned())];
        self.raw(&headers, body.as_bytes()).expect("response")
    }

    /// An STS request signed as an SDK signs it (service `sts`, unless
    /// `signing` says otherwise).
    pub fn sts_signed(&self, body: &str, signing: &Signing) -> Resp {
        let mut headers =
            vec![("host".to_owned(), self.emu.addr().to_string()), ("content-type".to_owned(), STS_FORM.to_owned())];
        let added = sign_headers(signing, &format!("{}/", self.emu.url()), &headers, body.as_bytes());
        headers.extend(added);
        self.raw(&headers, body.as_bytes()).expect("response")
    }

    /// GetCallerIdentity signed with `signing`, its service set to `sts`.
    pub fn caller_identity(&self, signing: &Signing) -> Resp {
        let mut signing = signing.clone();
        signing.service = "sts".into();
        self.sts_signed(&form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]), &signing)
    }

    /// A signing for the keys in a Cognito `Credentials` or STS answer.
    pub fn signing_for(&self, key_id: &str, secret: &str, token: &str) -> Signing {
        let mut signing = Signing::new(key_id, secret);
        signing.session_token = Some(token.to_owned());
        signing.region = self.emu.region().to_owned();
        signing
    }
}
