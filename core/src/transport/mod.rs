//! The HTTP side. Two paths share the TLS settings and the naming of failures:
//!
//! - `direct.rs`: hyper's HTTP/1.1 client connection over a blocking socket
//!   (`blocking_io.rs`), driven by the calling thread itself, with a
//!   keep-alive pool per thread. The blocking API takes it whenever no proxy
//!   applies: it is the hot path.
//! - `via_reqwest.rs`: reqwest, for proxied clients (configured proxies or
//!   the environment's) and for async callers on their own runtime.

mod blocking_io;
mod direct;
mod errors;
mod tls;
mod via_reqwest;

use crate::config::Resolved;
use crate::error::Error;
use bytes::Bytes;
use http::HeaderMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) use direct::{InFlight, Sent};
pub(crate) use errors::describe;
pub(crate) use tls::tls_with_roots;

/// Largest response body read; Cognito's answers are a few KiB.
pub(crate) const MAX_BODY: usize = 16 << 20;

/// How long an idle keep-alive connection is kept (servers close theirs
/// after a minute or more; AWS's after about 60 s idle).
const IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// Which connection pool a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    /// The calling thread's own pool (the blocking API): the caller's thread
    /// does its I/O itself, blocking in the socket.
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

/// An answer, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// A client's HTTP stack. The TLS settings are built once.
pub(crate) struct Transport {
    /// `None` when a proxy applies: then every call goes through reqwest.
    direct: Option<direct::Direct>,
    reqwest: via_reqwest::Clients,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("direct", &self.direct.is_some()).finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(cfg: &Resolved, url: &reqwest::Url) -> Result<Self, Error> {
        let tls = Arc::new(tls::tls_config(cfg)?);
        let proxied = cfg.proxies.configured() || environment_proxy(url.scheme(), &|k| std::env::var_os(k));
        let direct = if proxied { None } else { Some(direct::Direct::new(cfg, url, tls.clone())?) };
        Ok(Transport { direct, reqwest: via_reqwest::Clients::new(tls) })
    }

    /// Sends `POST` with the headers `headers()` makes (`host` and
    /// `user-agent` included) and `body` to the endpoint `url`, and reads the
    /// whole answer. `headers` is called once, or twice when the request
    /// goes again on a new connection. `deadline` is the call's (the async
    /// path is bounded by the caller's timer instead).
    pub async fn send<H>(
        &self,
        pool: Pool,
        cfg: &Resolved,
        url: &reqwest::Url,
        headers: &H,
        body: &Bytes,
        deadline: Option<Instant>,
    ) -> Result<Reply, Error>
    where
        H: Fn() -> Result<HeaderMap, Error> + Sync,
    {
        match (&self.direct, pool) {
            // Blocks this thread (its own runtime runs nothing else meanwhile):
            // the blocking API's path, bounded by `deadline` itself.
            (Some(direct), Pool::ThisThread) => direct.send(headers, body, &cfg.endpoint_url, deadline),
            _ => self.reqwest.send(pool, cfg, url, headers()?, body).await,
        }
    }

    /// As [`Transport::send`] on the blocking path, up to the wait for the
    /// answer, which the caller does in its own event loop (a split call);
    /// `None` when this transport cannot split (a proxy applies, or the
    /// platform has no descriptors to wait on): then `send` it whole.
    pub fn start<H>(
        &self,
        cfg: &Resolved,
        headers: &H,
        body: &Bytes,
        deadline: Option<Instant>,
    ) -> Option<Result<Sent, Error>>
    where
        H: Fn() -> Result<HeaderMap, Error>,
    {
        let direct = self.direct.as_ref().filter(|_| cfg!(unix))?;
        Some(direct.start(headers, body, &cfg.endpoint_url, deadline))
    }

    /// At most `max` ids of the connections that served split calls and
    /// have closed since the last time this was asked.
    pub fn closed_connections(&self, max: usize) -> Vec<u64> {
        self.direct.as_ref().map(|d| d.closed_connections(max)).unwrap_or_default()
    }

    /// How many closed connections [`Transport::closed_connections`] would give.
    pub fn closed_count(&self) -> usize {
        self.direct.as_ref().map_or(0, direct::Direct::closed_count)
    }

    /// Reads what has arrived of the answer of a call that
    /// [`Transport::start`] split: the answer, or the call back to wait again.
    pub fn finish(
        &self,
        cfg: &Resolved,
        inflight: &mut InFlight,
        deadline: Option<Instant>,
    ) -> Result<Option<Reply>, Error> {
        match &self.direct {
            Some(direct) => direct.finish(inflight, &cfg.endpoint_url, deadline),
            // Not reached: only the direct path makes an `InFlight`.
            None => Err(errors::closed(&cfg.endpoint_url, "the call was not started here")),
        }
    }

    /// Takes back the exchange of a split call that [`Transport::finish`]
    /// has read to its end (its connection goes back to the pool).
    pub fn done(&self, inflight: InFlight) {
        if let Some(direct) = &self.direct {
            direct.done(inflight);
        }
    }
}

/// Whether the environment names a proxy that may apply to a URL of `scheme`
/// (reqwest reads these variables and `NO_PROXY`; such clients stay on it).
fn environment_proxy(scheme: &str, var: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    let names: &[&str] = match scheme {
        "http" => &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"],
        _ => &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"],
    };
    names.iter().any(|n| var(n).is_some_and(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_schemes_own_or_the_catch_all_proxy_variables_count() {
        let env = |set: &'static str| move |k: &str| (k == set).then(|| std::ffi::OsString::from("http://p:3128"));
        assert!(environment_proxy("http", &env("HTTP_PROXY")));
        assert!(environment_proxy("https", &env("https_proxy")));
        assert!(environment_proxy("https", &env("ALL_PROXY")));
        assert!(!environment_proxy("https", &env("HTTP_PROXY")));
        assert!(!environment_proxy("http", &env("NO_PROXY")));
        assert!(!environment_proxy("http", &|_| Some(std::ffi::OsString::new())));
    }
}
