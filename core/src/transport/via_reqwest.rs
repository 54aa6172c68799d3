//! The reqwest path: for clients behind a proxy (configured, or from
//! `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` with `NO_PROXY`, which reqwest
//! reads) and for async callers on their own runtime. reqwest implements the
//! proxy protocols (absolute-form requests, CONNECT tunnels, proxy
//! credentials) and a pool that any runtime may drive.

use super::{MAX_BODY, Pool, Reply, errors};
use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use bytes::Bytes;
use http::HeaderMap;
use std::cell::RefCell;
use std::sync::{Arc, RwLock};
use thread_local::ThreadLocal;

/// HTTP clients (each a keep-alive pool): once per calling thread for the
/// blocking API and once for async callers. A pooled connection is driven by
/// the runtime that opened it, so a thread's pool lives beside the thread's
/// runtime (see `runtime.rs`). Each is keyed by process id: a forked child
/// must not share its parent's pooled sockets.
pub(super) struct Clients {
    tls: Arc<rustls::ClientConfig>,
    per_thread: ThreadLocal<RefCell<Option<(u32, reqwest::Client)>>>,
    shared: RwLock<Option<(u32, reqwest::Client)>>,
}

/// A dropped client's keep-alive connections close now: their tasks belong
/// to the calling thread's runtime, which runs only inside a call, so they
/// would otherwise hold their sockets until this thread's next call. Pools of
/// other threads close theirs at those threads' next call or exit.
impl Drop for Clients {
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

impl Clients {
    pub fn new(tls: Arc<rustls::ClientConfig>) -> Self {
        Clients { tls, per_thread: ThreadLocal::new(), shared: RwLock::new(None) }
    }

    /// `POST` of `body` with `headers` to `url`, the whole answer read.
    pub async fn send(
        &self,
        pool: Pool,
        cfg: &Resolved,
        url: &reqwest::Url,
        headers: HeaderMap,
        body: &Bytes,
    ) -> Result<Reply, Error> {
        let shown = cfg.endpoint_url.as_str();
        crate::sigpipe::tokio_socket_in_use();
        let http = self.http(pool, cfg)?;
        let request = http.post(url.clone()).headers(headers).body(body.clone());
        let mut response = request.send().await.map_err(|e| errors::from_reqwest(e, shown))?;
        let status = response.status().as_u16();
        let mut buf = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| errors::from_reqwest(e, shown))? {
            if buf.len() + chunk.len() > MAX_BODY {
                return Err(too_large(status, response.headers()));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(Reply { status, headers: std::mem::take(response.headers_mut()), body: buf })
    }

    /// The HTTP client of `pool` for this process (and thread).
    fn http(&self, pool: Pool, cfg: &Resolved) -> Result<reqwest::Client, Error> {
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

/// The error for an answer over [`MAX_BODY`].
pub(super) fn too_large(status: u16, headers: &HeaderMap) -> Error {
    let request_id = headers.get("x-amzn-requestid").and_then(|v| v.to_str().ok()).map(str::to_owned);
    Error::new(ErrorKind::InvalidResponse, codes::RESPONSE_PARSER, "the response body is over 16 MiB")
        .with_response(status, request_id)
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
        .pool_idle_timeout(super::IDLE_TIMEOUT)
        .user_agent(cfg.user_agent.as_str())
        .build()
        .map_err(|e| {
            Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("could not build the HTTP client: {e}"))
        })
}
