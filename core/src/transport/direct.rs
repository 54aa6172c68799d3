//! The blocking API's HTTP/1.1 client: hyper's client connection
//! (`hyper::client::conn::http1`) polled by the call's own future on the
//! calling thread's runtime, with a small keep-alive pool per thread.
//!
//! Why not reqwest here: on the same per-thread runtime reqwest alone costs
//! about 8 µs a call over a raw socket (bench/RESULTS.md, proto rows): a
//! spawned task per connection and the wake-ups between it and the caller,
//! the URL parsed again twice a request, the redirect, timeout and retry
//! layers. Here no task is spawned: the call polls its connection itself,
//! between calls nothing polls it. Connecting (DNS, TCP, TLS) is hyper-util's
//! and hyper-rustls's; reading and writing HTTP is hyper's.

use super::{IDLE_TIMEOUT, MAX_BODY, Reply, errors, via_reqwest};
use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use bytes::Bytes;
use http::{HeaderMap, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, Connection, SendRequest};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};
use thread_local::ThreadLocal;
use tower_service::Service;

type Io = MaybeHttpsStream<TokioIo<tokio::net::TcpStream>>;
type Body = Full<Bytes>;

/// A connection idle for this long is checked before it is used: the server
/// may have closed it (its keep-alive timeout), and between calls nothing
/// polls it, so its end is not seen yet. Calls closer together than this
/// skip the check (one more poll of the reactor, a system call).
const PROBE_AFTER: Duration = Duration::from_millis(100);

/// Idle connections kept per thread: a thread makes one call at a time, a
/// second only when a call nests another (a credential refresh).
const MAX_IDLE: usize = 2;

/// One keep-alive connection: the handle requests go through, and the
/// connection itself, which only runs while a call polls it.
struct Conn {
    sender: SendRequest<Body>,
    driver: Connection<Io, Body>,
    /// The connection has ended (closed by either side, or failed).
    ended: bool,
    idle_since: Instant,
}

/// A thread's idle connections, valid for the runtime that opened them
/// (their sockets are registered with its reactor). A runtime id is never
/// reused, and a forked child runs a runtime of its own (`runtime.rs`), so
/// the id also tells the parent's connections from the child's.
struct Slot {
    pid: u32,
    runtime: u64,
    /// Boxed: a connection is a few hundred bytes, moved (out of the slot,
    /// into the call and back) at every call; a box moves as one pointer.
    #[allow(clippy::vec_box)]
    idle: Vec<Box<Conn>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        // Only when a slot is replaced or its client dropped: the one
        // process-id check (a system call) is off the per-call path.
        if self.pid != std::process::id() {
            // A parent's connections, inherited through fork: dropping them
            // would deregister the parent's sockets from its epoll instance.
            std::mem::forget(std::mem::take(&mut self.idle));
        }
    }
}

pub(super) struct Direct {
    connector: HttpsConnector<HttpConnector>,
    /// `scheme://host:port` of the endpoint: what the connector dials.
    origin: Uri,
    /// The request target, in origin form (`/`).
    target: Uri,
    connect_timeout: Duration,
    read_timeout: Duration,
    pools: ThreadLocal<RefCell<Option<Slot>>>,
}

/// How an exchange on one connection failed.
enum Failure {
    /// The connection had closed: the request was not written.
    NotSent(String),
    /// Before any of the answer arrived (the request may have been written).
    BeforeAnswer(String, Option<hyper::Error>),
    /// After the answer's head (the body broke off).
    InAnswer(hyper::Error),
    ReadTimeout,
    TooLarge(u16, HeaderMap),
}

impl Direct {
    pub fn new(cfg: &Resolved, url: &reqwest::Url, tls: Arc<rustls::ClientConfig>) -> Result<Self, Error> {
        let bad = |what: String| {
            Error::new(ErrorKind::Configuration, codes::INVALID_ENDPOINT, format!("endpoint_url {url}: {what}"))
        };
        let host = url.host_str().ok_or_else(|| bad("no host".into()))?;
        let port = url.port_or_known_default().ok_or_else(|| bad("no port".into()))?;
        let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_owned() };
        let origin: Uri = format!("{}://{host}:{port}", url.scheme()).parse().map_err(|e| bad(format!("{e}")))?;
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let target: Uri = path.parse().map_err(|e| bad(format!("{e}")))?;

        // As reqwest's defaults: keep-alive probes so a dead peer is noticed.
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(15)));
        http.set_keepalive_interval(Some(Duration::from_secs(15)));
        http.set_keepalive_retries(Some(3));
        #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
        http.set_tcp_user_timeout(Some(Duration::from_secs(30)));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*tls).clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        Ok(Direct {
            connector,
            origin,
            target,
            connect_timeout: cfg.connect_timeout,
            read_timeout: cfg.read_timeout,
            pools: ThreadLocal::new(),
        })
    }

    /// `POST` of `body` with `headers()`, on an idle connection of this
    /// thread or a new one; `shown` is the endpoint as errors name it.
    pub async fn send<H>(&self, headers: &H, body: &Bytes, shown: &str) -> Result<Reply, Error>
    where
        H: Fn() -> Result<HeaderMap, Error> + Sync,
    {
        let request = || -> Result<Request<Body>, Error> {
            let mut r = Request::new(Full::new(body.clone()));
            *r.method_mut() = Method::POST;
            *r.uri_mut() = self.target.clone();
            *r.headers_mut() = headers()?;
            Ok(r)
        };
        if let Some(mut conn) = self.checkout() {
            if conn.idle_since.elapsed() >= PROBE_AFTER {
                probe(&mut conn).await;
            }
            if !conn.ended {
                match exchange(&mut conn, request()?, self.read_timeout).await {
                    Ok(reply) => {
                        self.checkin(conn);
                        return Ok(reply);
                    }
                    // The connection was found closed before the request
                    // went out: it goes on a new connection. (Once written,
                    // a request is never resent here: the server may have
                    // acted on it; the retry policy decides.)
                    Err(Failure::NotSent(detail)) => {
                        tracing::debug!(target: crate::log::HTTP, "an idle connection had closed ({detail}); reconnecting");
                    }
                    Err(other) => return Err(other.into_error(shown)),
                }
            }
        }
        let mut conn = self.connect(shown).await?;
        let reply = exchange(&mut conn, request()?, self.read_timeout).await.map_err(|f| f.into_error(shown))?;
        self.checkin(conn);
        Ok(reply)
    }

    /// A new connection (DNS, TCP, TLS) within the connect timeout.
    async fn connect(&self, shown: &str) -> Result<Box<Conn>, Error> {
        let mut connector = self.connector.clone();
        let io = match tokio::time::timeout(self.connect_timeout, connector.call(self.origin.clone())).await {
            Err(_) => return Err(errors::connect_timeout(shown)),
            Ok(Err(e)) => {
                let detail = errors::describe(e.as_ref());
                let named = if let Some(why) = crate::tls::failure_reason(e.as_ref()) {
                    errors::ssl(shown, &why)
                } else if errors::is_tls(&detail) {
                    errors::ssl(shown, &detail)
                } else {
                    errors::connect_failed(shown, &detail)
                };
                return Err(named.with_source(BoxedError(e)));
            }
            Ok(Ok(io)) => io,
        };
        let (sender, driver) = http1::handshake(io)
            .await
            .map_err(|e| errors::connect_failed(shown, &errors::describe(&e)).with_source(e))?;
        Ok(Box::new(Conn { sender, driver, ended: false, idle_since: Instant::now() }))
    }

    /// This thread's most recently used idle connection, if still fresh.
    fn checkout(&self) -> Option<Box<Conn>> {
        let runtime = crate::runtime::current_id();
        let mut slot = self.pools.get_or(|| RefCell::new(None)).borrow_mut();
        match slot.as_mut() {
            Some(s) if s.runtime == runtime => {
                while let Some(conn) = s.idle.pop() {
                    if conn.idle_since.elapsed() < IDLE_TIMEOUT && !conn.sender.is_closed() {
                        return Some(conn);
                    }
                }
                None
            }
            // First use on this thread, or a slot left by a thread (or a
            // runtime) that has ended, or by the parent process: replaced
            // (Slot's Drop leaves a parent's sockets alone).
            _ => {
                *slot = Some(Slot { pid: std::process::id(), runtime, idle: Vec::new() });
                None
            }
        }
    }

    fn checkin(&self, mut conn: Box<Conn>) {
        if conn.ended || conn.sender.is_closed() {
            return;
        }
        conn.idle_since = Instant::now();
        let mut slot = self.pools.get_or(|| RefCell::new(None)).borrow_mut();
        if let Some(s) = slot.as_mut()
            && s.runtime == crate::runtime::current_id()
            && s.idle.len() < MAX_IDLE
        {
            s.idle.push(conn);
        }
    }
}

/// One request and its whole answer on `conn`, polling the connection
/// alongside. The read timeout bounds the wait for the head and then for
/// each piece of the body, as a socket read timeout would.
async fn exchange(conn: &mut Conn, request: Request<Body>, read_timeout: Duration) -> Result<Reply, Failure> {
    let Conn { sender, driver, ended, .. } = conn;
    let deadline = tokio::time::sleep(read_timeout);
    let mut deadline = pin!(deadline);
    // Set by the reading side at each piece of the answer: the timeout
    // restarts. (Atomic only because the call's future must be `Send`.)
    let progress = AtomicBool::new(false);
    let work = async {
        sender.ready().await.map_err(|e| Failure::NotSent(errors::describe(&e)))?;
        let response = sender.try_send_request(request).await.map_err(|mut e| {
            let detail = errors::describe(e.error());
            if e.take_message().is_some() { Failure::NotSent(detail) } else { Failure::BeforeAnswer(detail, None) }
        })?;
        read_answer(response, &progress).await
    };
    let mut work = pin!(work);
    poll_fn(|cx| {
        if let Poll::Ready(r) = work.as_mut().poll(cx) {
            // Let the connection see the answer through (keep-alive or
            // close); whether it ended shows in `ended`.
            let _ = poll_driver(driver, ended, cx);
            return Poll::Ready(r);
        }
        if !*ended {
            if let Poll::Ready(Err(e)) = poll_driver(driver, ended, cx) {
                return Poll::Ready(Err(Failure::BeforeAnswer(errors::describe(&e), Some(e))));
            }
            if let Poll::Ready(r) = work.as_mut().poll(cx) {
                return Poll::Ready(r);
            }
        }
        if *ended {
            // Nothing more will arrive for the request.
            return Poll::Ready(Err(Failure::BeforeAnswer("the connection closed".into(), None)));
        }
        if progress.swap(false, Ordering::Relaxed) {
            deadline.as_mut().reset(tokio::time::Instant::now() + read_timeout);
        }
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(Failure::ReadTimeout));
        }
        Poll::Pending
    })
    .await
}

/// Lets the reactor look at the sockets once, then polls the idle
/// connection: a close by the server since the last call ends it now.
async fn probe(conn: &mut Conn) {
    // On the thread's current-thread runtime a yielded task runs again after
    // the I/O driver has been polled (with no wait).
    tokio::task::yield_now().await;
    let Conn { driver, ended, .. } = conn;
    poll_fn(|cx| {
        let _ = poll_driver(driver, ended, cx);
        Poll::Ready(())
    })
    .await;
}

fn poll_driver(
    driver: &mut Connection<Io, Body>,
    ended: &mut bool,
    cx: &mut std::task::Context<'_>,
) -> Poll<hyper::Result<()>> {
    if *ended {
        return Poll::Ready(Ok(()));
    }
    let polled = Pin::new(driver).poll(cx);
    if polled.is_ready() {
        *ended = true;
    }
    polled
}

async fn read_answer(response: http::Response<Incoming>, progress: &AtomicBool) -> Result<Reply, Failure> {
    progress.store(true, Ordering::Relaxed);
    let (parts, mut body) = response.into_parts();
    let status = parts.status.as_u16();
    let mut buf =
        Vec::with_capacity(usize::try_from(hyper::body::Body::size_hint(&body).lower()).unwrap_or(0).min(MAX_BODY));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(Failure::InAnswer)?;
        progress.store(true, Ordering::Relaxed);
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > MAX_BODY {
                return Err(Failure::TooLarge(status, parts.headers));
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Reply { status, headers: parts.headers, body: buf })
}

impl Failure {
    fn into_error(self, shown: &str) -> Error {
        match self {
            Failure::NotSent(detail) => errors::closed(shown, &detail),
            Failure::BeforeAnswer(detail, source) => {
                let e = errors::closed(shown, &detail);
                match source {
                    Some(s) => e.with_source(s),
                    None => e,
                }
            }
            Failure::InAnswer(e) => errors::closed(shown, &errors::describe(&e)).with_source(e),
            Failure::ReadTimeout => errors::read_timeout(shown),
            Failure::TooLarge(status, headers) => via_reqwest::too_large(status, &headers),
        }
    }
}

/// A connector's boxed error as an error source.
#[derive(Debug)]
struct BoxedError(Box<dyn std::error::Error + Send + Sync>);

impl std::fmt::Display for BoxedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BoxedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}
