//! HTTPS trust, against loopback servers with certificates made here: the CA
//! bundle given is trusted; an unknown CA, a wrong host name, an expired
//! certificate and a TLS 1.1-only server are refused, each as an `SSLError`
//! saying why; `verify=false` accepts the certificates but not the old protocol.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cognito_identity::{Client, Config, ConfigBuilder, Credentials, Error};
use rcgen::{CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, date_time_ymd};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const BODY: &str = r#"{"IdentityPools": []}"#;

struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        Ca { issuer: CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap() }
    }

    /// A leaf for `names`, valid now unless `expired`.
    fn leaf(&self, names: &[&str], expired: bool) -> (String, String) {
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        if expired {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    /// The CA's certificate in a PEM file of its own.
    fn bundle(&self) -> PathBuf {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cognito-identity-tls-ca-{}-{n}.pem", std::process::id()));
        std::fs::write(&path, self.issuer.pem()).unwrap();
        path
    }
}

/// A rustls server on loopback answering every request with `BODY`.
fn rustls_server(cert_pem: &str, key_pem: &str) -> u16 {
    let certs: Vec<CertificateDer<'static>> =
        rustls::pki_types::pem::PemObject::pem_slice_iter(cert_pem.as_bytes()).collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::Pkcs8(
        <PrivatePkcs8KeyDer<'_> as rustls::pki_types::pem::PemObject>::from_pem_slice(key_pem.as_bytes()).unwrap(),
    );
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else { return };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let _ = answer(&mut tls);
            });
        }
    });
    port
}

/// Reads one request (headers, then `content-length` bytes) and answers it.
fn answer(stream: &mut impl ReadWrite) -> std::io::Result<()> {
    let mut reader = BufReader::new(&mut *stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end().to_ascii_lowercase();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    drop(reader);
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        BODY.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(BODY.as_bytes())?;
    stream.flush()
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn call(port: u16, host: &str, tweak: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Result<serde_json::Value, Error> {
    let builder = Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("https://{host}:{port}"))
        .credentials(Credentials::new("AKIDTEST", "SECRET", None))
        .max_attempts(1)
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5));
    let config = tweak(builder).build().unwrap();
    let env = |name: &str| (name == "AWS_EC2_METADATA_DISABLED").then(|| "true".to_owned());
    let client = Client::with_env(config, &env)?;
    client.call_json("ListIdentityPools", &json!({"MaxResults": 1}))
}

fn expect_ssl_error(result: Result<serde_json::Value, Error>, why: &str) {
    let e = result.expect_err("the handshake must fail");
    assert_eq!(e.code(), "SSLError", "{e:?}");
    assert!(e.message().contains(why), "the message says why ({why}): {}", e.message());
}

#[test]
fn the_ca_bundle_given_is_trusted_and_nothing_else() {
    let ca = Ca::new("Test CA");
    let (cert, key) = ca.leaf(&["localhost", "127.0.0.1"], false);
    let port = rustls_server(&cert, &key);
    let bundle = ca.bundle();

    let ok = call(port, "localhost", |c| c.ca_bundle(bundle.clone())).unwrap();
    assert_eq!(ok["IdentityPools"], json!([]));
    // Without the bundle: the built-in roots do not know this CA.
    expect_ssl_error(call(port, "localhost", |c| c), "unknown certificate authority");
    // Another CA's bundle does not help either.
    let other = Ca::new("Other CA").bundle();
    expect_ssl_error(call(port, "localhost", |c| c.ca_bundle(other.clone())), "unknown certificate authority");
}

#[test]
fn a_wrong_host_name_and_an_expired_certificate_are_refused() {
    let ca = Ca::new("Test CA");
    let bundle = ca.bundle();
    let (cert, key) = ca.leaf(&["other.example"], false);
    let wrong_name = rustls_server(&cert, &key);
    expect_ssl_error(call(wrong_name, "localhost", |c| c.ca_bundle(bundle.clone())), "not valid for the host name");
    let (cert, key) = ca.leaf(&["localhost"], true);
    let expired = rustls_server(&cert, &key);
    expect_ssl_error(call(expired, "localhost", |c| c.ca_bundle(bundle.clone())), "has expired");
    // verify=false accepts both, for this client only.
    for port in [wrong_name, expired] {
        let out = call(port, "localhost", |c| c.insecure_skip_verify(true)).unwrap();
        assert_eq!(out["IdentityPools"], json!([]));
        expect_ssl_error(call(port, "localhost", |c| c.ca_bundle(bundle.clone())), "SSL");
    }
}

#[test]
fn verify_false_comes_from_the_config_only() {
    let c = Config::from_json(&json!({"verify": false})).unwrap();
    assert!(c.insecure_skip_verify);
    assert!(!Config::from_json(&json!({"verify": true})).unwrap().insecure_skip_verify);
    assert!(!Config::default().insecure_skip_verify);
    let e = Config::from_json(&json!({"verify": "no"})).unwrap_err();
    assert!(e.message().contains("verify"), "{}", e.message());
}

/// OpenSSL's s_server speaking TLS 1.1 only (rustls cannot); None when the
/// `openssl` command is missing.
fn tls11_server(cert: &str, key: &str) -> Option<(std::process::Child, u16)> {
    let dir = std::env::temp_dir().join(format!("cognito-tls11-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cert.pem"), cert).unwrap();
    std::fs::write(dir.join("key.pem"), key).unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(dir.join("cert.pem"))
        .arg("-key")
        .arg(dir.join("key.pem"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((child, port));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("openssl s_server did not start");
}

#[test]
fn a_tls_1_1_only_server_is_refused_even_with_verify_false() {
    let ca = Ca::new("Test CA");
    let bundle = ca.bundle();
    let (cert, key) = ca.leaf(&["localhost"], false);
    let Some((mut server, port)) = tls11_server(&cert, &key) else {
        // The Python suite covers this case with Python's ssl module.
        eprintln!("SKIPPED: the openssl command is not installed");
        return;
    };
    let refused = call(port, "localhost", |c| c.ca_bundle(bundle.clone()));
    let insecure = call(port, "localhost", |c| c.insecure_skip_verify(true));
    let _ = server.kill();
    let _ = server.wait();
    expect_ssl_error(refused, "does not speak TLS 1.2 or 1.3");
    expect_ssl_error(insecure, "does not speak TLS 1.2 or 1.3");
}
