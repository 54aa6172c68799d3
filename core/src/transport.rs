//! The HTTP side: one reqwest client per process (rustls, TLS 1.2+, pooled
//! keep-alive), and reqwest's errors turned into ours.

use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::{Arc, RwLock};

/// Largest response body read; Cognito's answers are a few KiB.
pub(crate) const MAX_BODY: usize = 16 << 20;

/// The TLS settings are built once; the HTTP client once per process, since
/// a forked child must not share its parent's pooled sockets or runtime.
pub(crate) struct Transport {
    tls: Arc<rustls::ClientConfig>,
    http: RwLock<Option<(u32, reqwest::Client)>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(cfg: &Resolved) -> Result<Self, Error> {
        let transport = Transport { tls: Arc::new(tls_config(cfg)?), http: RwLock::new(None) };
        transport.install(cfg)?;
        Ok(transport)
    }

    /// The HTTP client for this process.
    pub fn http(&self, cfg: &Resolved) -> Result<reqwest::Client, Error> {
        let pid = std::process::id();
        if let Some((owner, c)) = self.http.read().unwrap_or_else(|p| p.into_inner()).as_ref()
            && *owner == pid
        {
            return Ok(c.clone());
        }
        self.install(cfg)
    }

    fn install(&self, cfg: &Resolved) -> Result<reqwest::Client, Error> {
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(rustls::ClientConfig::clone(&self.tls))
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(std::time::Duration::from_secs(50))
            .user_agent(cfg.user_agent.as_str())
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    codes::INVALID_CONFIG,
                    format!("could not build the HTTP client: {e}"),
                )
            })?;
        let mut slot = self.http.write().unwrap_or_else(|p| p.into_inner());
        if let Some(inherited) = slot.take().filter(|(owner, _)| *owner != std::process::id()) {
            // Dropping the parent's pool would close sockets the parent still uses.
            std::mem::forget(inherited);
        }
        *slot = Some((std::process::id(), client.clone()));
        Ok(client)
    }
}

fn tls_config(cfg: &Resolved) -> Result<rustls::ClientConfig, Error> {
    let mut roots = rustls::RootCertStore::empty();
    match &cfg.ca_bundle {
        Some(path) => {
            let bad = |what: String| {
                Error::new(
                    ErrorKind::Configuration,
                    codes::INVALID_CONFIG,
                    format!("ca_bundle {}: {what}", path.display()),
                )
            };
            let certs = CertificateDer::pem_file_iter(path).map_err(|e| bad(format!("cannot be read ({e})")))?;
            for cert in certs {
                let cert = cert.map_err(|e| bad(format!("is not a PEM certificate bundle ({e})")))?;
                roots.add(cert).map_err(|e| bad(format!("holds an unusable certificate ({e})")))?;
            }
            if roots.is_empty() {
                return Err(bad("holds no certificate".into()));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::new(ErrorKind::Configuration, codes::SSL, format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Names a reqwest failure as botocore would.
pub(crate) fn map_error(e: &reqwest::Error, url: &str) -> Error {
    let detail = chain(e);
    if detail.contains("certificate") || detail.contains("tls") || detail.contains("TLS") {
        return Error::new(ErrorKind::Transport, codes::SSL, format!("SSL validation failed for {url}: {detail}"));
    }
    if e.is_timeout() {
        return if e.is_connect() {
            Error::new(
                ErrorKind::Timeout,
                codes::CONNECT_TIMEOUT,
                format!("Connect timeout on endpoint URL: \"{url}\""),
            )
        } else {
            Error::new(ErrorKind::Timeout, codes::READ_TIMEOUT, format!("Read timeout on endpoint URL: \"{url}\""))
        };
    }
    if e.is_connect() {
        return Error::new(
            ErrorKind::Transport,
            codes::ENDPOINT_CONNECTION,
            format!("Could not connect to the endpoint URL: \"{url}\" ({detail})"),
        );
    }
    Error::new(
        ErrorKind::Transport,
        codes::CONNECTION_CLOSED,
        format!("Connection was closed before we received a valid response from endpoint URL: \"{url}\" ({detail})"),
    )
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
