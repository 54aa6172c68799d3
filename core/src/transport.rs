//! The HTTP side: reqwest clients (rustls, TLS 1.2+, pooled keep-alive), and
//! reqwest's errors turned into ours.

use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::cell::RefCell;
use std::sync::{Arc, RwLock};
use thread_local::ThreadLocal;

/// Largest response body read; Cognito's answers are a few KiB.
pub(crate) const MAX_BODY: usize = 16 << 20;

/// Which connection pool a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    /// The calling thread's own pool, driven by the thread's own runtime
    /// (the blocking API): the caller's thread does its I/O itself.
    ThisThread,
    /// One pool shared by async callers, driven by their runtime.
    Shared,
}

impl Pool {
    /// The pool that the runtime running now drives.
    pub fn current() -> Pool {
        if crate::runtime::driving_own_runtime() { Pool::ThisThread } else { Pool::Shared }
    }
}

/// The TLS settings are built once; HTTP clients (each a keep-alive pool)
/// once per calling thread for the blocking API and once for async callers.
/// A pooled connection is driven by the runtime that opened it, so a
/// thread's pool lives beside the thread's runtime (see `runtime.rs`). Each
/// is keyed by process id: a forked child must not share its parent's
/// pooled sockets.
pub(crate) struct Transport {
    tls: Arc<rustls::ClientConfig>,
    per_thread: ThreadLocal<RefCell<Option<(u32, reqwest::Client)>>>,
    shared: RwLock<Option<(u32, reqwest::Client)>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

/// A dropped client's keep-alive connections close now: their tasks belong
/// to the calling thread's runtime, which runs only inside a call, so they
/// would otherwise hold their sockets until this thread's next call. Pools of
/// other threads close theirs at those threads' next call or exit.
impl Drop for Transport {
    fn drop(&mut self) {
        let pid = std::process::id();
        for slot in self.per_thread.iter_mut() {
            if let Some((owner, client)) = slot.get_mut().take()
                && owner != pid
            {
                // A parent's pool, inherited through fork (see `current`).
                std::mem::forget(client);
            }
        }
        crate::runtime::run_pending_tasks();
    }
}

impl Transport {
    pub fn new(cfg: &Resolved) -> Result<Self, Error> {
        Ok(Transport { tls: Arc::new(tls_config(cfg)?), per_thread: ThreadLocal::new(), shared: RwLock::new(None) })
    }

    /// The HTTP client of `pool` for this process (and thread).
    pub fn http(&self, pool: Pool, cfg: &Resolved) -> Result<reqwest::Client, Error> {
        match pool {
            Pool::ThisThread => {
                let slot = self.per_thread.get_or(|| RefCell::new(None));
                current(&mut slot.borrow_mut(), &self.tls, cfg)
            }
            Pool::Shared => {
                if let Some((owner, c)) = self.shared.read().unwrap_or_else(|p| p.into_inner()).as_ref()
                    && *owner == std::process::id()
                {
                    return Ok(c.clone());
                }
                current(&mut self.shared.write().unwrap_or_else(|p| p.into_inner()), &self.tls, cfg)
            }
        }
    }
}

/// The slot's client if this process built it, else a new one in its place.
fn current(
    slot: &mut Option<(u32, reqwest::Client)>,
    tls: &rustls::ClientConfig,
    cfg: &Resolved,
) -> Result<reqwest::Client, Error> {
    let pid = std::process::id();
    if let Some((owner, c)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(c.clone());
    }
    let client = build(tls, cfg)?;
    if let Some(inherited) = slot.replace((pid, client.clone())) {
        // A parent's pool, inherited through fork: dropping it would close
        // sockets the parent still uses.
        std::mem::forget(inherited);
    }
    Ok(client)
}

fn build(tls: &rustls::ClientConfig, cfg: &Resolved) -> Result<reqwest::Client, Error> {
    cfg.proxies
        .apply(reqwest::Client::builder(), false)
        .use_preconfigured_tls(tls.clone())
        .connect_timeout(cfg.connect_timeout)
        .read_timeout(cfg.read_timeout)
        .tcp_nodelay(true)
        // The SDKs follow no redirect: a 3xx is an answer like any other.
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(50))
        .user_agent(cfg.user_agent.as_str())
        .build()
        .map_err(|e| {
            Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("could not build the HTTP client: {e}"))
        })
}

fn tls_config(cfg: &Resolved) -> Result<rustls::ClientConfig, Error> {
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

/// Names a reqwest failure as botocore would; the failure is the error's source.
pub(crate) fn map_error(e: reqwest::Error, url: &str) -> Error {
    let named = name_error(&e, url);
    named.with_source(e)
}

fn name_error(e: &reqwest::Error, url: &str) -> Error {
    if let Some(why) = crate::tls::failure_reason(e) {
        return Error::new(ErrorKind::Transport, codes::SSL, format!("SSL validation failed for {url}: {why}"));
    }
    let detail = describe(e);
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

/// An error and its sources, joined: reqwest's own message says little.
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
