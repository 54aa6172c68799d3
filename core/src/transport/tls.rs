//! TLS settings: rustls with ring, TLS 1.2+ only, the built-in Mozilla roots
//! or a CA bundle (`ca_bundle`, `AWS_CA_BUNDLE`), plus an HTTPS proxy's.

use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;

pub(super) fn tls_config(cfg: &Resolved) -> Result<rustls::ClientConfig, Error> {
    if cfg.insecure_skip_verify {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(crate::tls::AcceptAnyCertificate::new(&provider));
        return Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| Error::new(ErrorKind::Configuration, codes::SSL, format!("TLS set-up failed: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth());
    }
    // A plain-HTTP endpoint (a local emulator) never uses TLS, and redirects
    // are not followed: reading a large CA bundle would only slow start-up.
    if cfg.endpoint_url.starts_with("http://") && !cfg.proxies.configured() {
        return client_tls(rustls::RootCertStore::empty());
    }
    tls_with_roots(cfg.ca_bundle.as_deref(), cfg.proxies.ca_bundle.as_deref())
}

/// TLS 1.2+ with rustls and ring, trusting the PEM bundle at `ca_bundle` (or
/// the built-in Mozilla roots), and those of `proxy_ca_bundle` for an HTTPS
/// proxy. Also used for the credential sources' requests.
pub(crate) fn tls_with_roots(
    ca_bundle: Option<&std::path::Path>,
    proxy_ca_bundle: Option<&std::path::Path>,
) -> Result<rustls::ClientConfig, Error> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_bundle {
        Some(path) => add_bundle(&mut roots, path, "ca_bundle")?,
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    if let Some(path) = proxy_ca_bundle {
        add_bundle(&mut roots, path, "proxy_ca_bundle")?;
    }
    client_tls(roots)
}

fn add_bundle(roots: &mut rustls::RootCertStore, path: &std::path::Path, key: &str) -> Result<(), Error> {
    let bad = |what: String| {
        Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("{key} {}: {what}", path.display()))
    };
    let certs = CertificateDer::pem_file_iter(path).map_err(|e| bad(format!("cannot be read ({e})")))?;
    let mut added = 0;
    for cert in certs {
        let cert = cert.map_err(|e| bad(format!("is not a PEM certificate bundle ({e})")))?;
        roots.add(cert).map_err(|e| bad(format!("holds an unusable certificate ({e})")))?;
        added += 1;
    }
    if added == 0 {
        return Err(bad("holds no certificate".into()));
    }
    Ok(())
}

fn client_tls(roots: rustls::RootCertStore) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::new(ErrorKind::Configuration, codes::SSL, format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
