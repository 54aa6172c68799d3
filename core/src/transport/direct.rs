//! The blocking API's HTTP/1.1 client: hyper's client connection
//! (`hyper::client::conn::http1`) over a blocking socket (`blocking_io.rs`),
//! driven by the calling thread itself, with a small keep-alive pool per
//! thread.
//!
//! Why not reqwest here: on the same per-thread design reqwest alone costs
//! about 8 µs a call over a raw socket (bench/RESULTS.md, proto rows): a
//! spawned task per connection and the wake-ups between it and the caller,
//! the URL parsed again twice a request, the redirect, timeout and retry
//! layers. Here nothing is spawned and no reactor is involved: the call
//! polls its connection itself and blocks in the socket's read; between
//! calls nothing polls it. Reading and writing HTTP is hyper's, TLS rustls's.

use super::blocking_io::{self, ConnectError, Connected, Gate, Stream, Target};
use super::{IDLE_TIMEOUT, MAX_BODY, Reply, errors, via_reqwest};
use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use bytes::Bytes;
use http::{HeaderMap, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, Connection, SendRequest};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::net::TcpStream;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};
use thread_local::ThreadLocal;

type Body = Full<Bytes>;

/// A connection idle for this long is checked before it is used: the server
/// may have closed it (its keep-alive timeout), and between calls nothing
/// polls it, so its end is not seen yet. Calls closer together than this
/// skip the check (a system call).
const PROBE_AFTER: Duration = Duration::from_millis(100);

/// Idle connections kept per thread: a thread makes one call at a time, a
/// second only when a call nests another (a credential refresh).
const MAX_IDLE: usize = 2;

/// Records that something hyper waits on was woken (a channel between its
/// request handle and its connection): the exchange then polls again
/// rather than block in a read.
#[derive(Default)]
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// One keep-alive connection: the handle requests go through, and the
/// connection itself, which only runs while a call polls it.
struct Conn {
    /// Set once the connection has served a split call: its id is then
    /// reported closed when it is dropped. First, so that it is dropped
    /// first: the id is listed before the descriptor closes (and its number
    /// can be given to another connection).
    retire: Option<Retire>,
    sender: SendRequest<Body>,
    driver: Connection<Stream, Body>,
    gate: Arc<Gate>,
    /// The same socket as the stream's, for its options and the idle check.
    socket: TcpStream,
    /// The socket's read and write timeout as set now.
    timeout: Duration,
    woken: Arc<Woken>,
    waker: Waker,
    /// The connection has ended (closed by either side, or failed).
    ended: bool,
    idle_since: Instant,
    /// Unique in the process: callers of split calls keep their own state
    /// per connection (Go's netpoller registration) under it.
    id: u64,
}

/// Reports a split call's connection closed, when dropped with it.
struct Retire {
    id: u64,
    to: Arc<Retired>,
}

/// The ids of connections that served split calls and have been closed
/// since the caller last asked ([`Direct::closed_connections`]).
#[derive(Default)]
struct Retired {
    ids: Mutex<VecDeque<u64>>,
    /// `ids.len()`, for the count every split call's start and wait reports
    /// without taking the lock that every thread's calls share.
    count: AtomicUsize,
}

impl Retired {
    fn ids(&self) -> std::sync::MutexGuard<'_, VecDeque<u64>> {
        self.ids.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Closed connections remembered for a caller that never asks: the oldest
/// are forgotten beyond this.
const MAX_RETIRED: usize = 4096;

impl Drop for Retire {
    fn drop(&mut self) {
        let mut ids = self.to.ids();
        if ids.len() >= MAX_RETIRED {
            ids.pop_front();
        }
        ids.push_back(self.id);
        self.to.count.store(ids.len(), Ordering::Relaxed);
    }
}

/// The next connection id (0 is never given).
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A thread's idle connections, in the process that opened them: a child
/// made by `fork` starts a pool of its own (closing its copies of the
/// parent's sockets leaves the parent's open).
struct Slot {
    generation: u64,
    /// Boxed: a connection is a few hundred bytes, moved (out of the slot,
    /// into the call and back) at every call; a box moves as one pointer.
    #[allow(clippy::vec_box)]
    idle: Vec<Box<Conn>>,
}

pub(super) struct Direct {
    target: Target,
    /// The request target, in origin form (`/`).
    path: Uri,
    connect_timeout: Duration,
    read_timeout: Duration,
    pools: ThreadLocal<RefCell<Option<Slot>>>,
    /// The idle connections of split calls ([`Direct::start`]): a call may
    /// start on one thread and finish on another (a goroutine moves between
    /// threads), so they are kept for the whole client.
    shared: Mutex<Option<Slot>>,
    retired: Arc<Retired>,
}

/// Idle connections kept for split calls: as many as calls may wait at once
/// (a goroutine per call, with no thread held while it waits).
const MAX_IDLE_SHARED: usize = 64;

/// A request written on its connection, whose answer has not been read:
/// the caller waits until the socket is readable (in its own event loop),
/// then [`Direct::finish`] reads the answer. Dropped unfinished, it closes
/// the connection (a half-read answer leaves it unusable).
pub(crate) struct InFlight {
    conn: Box<Conn>,
    work: Work,
    waiting_since: Instant,
}

impl InFlight {
    /// The connection's socket, non-blocking for as long as it lives.
    #[cfg(unix)]
    pub fn fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.conn.socket)
    }

    /// The connection's id: the same while the connection lives, never
    /// given to another.
    pub fn connection(&self) -> u64 {
        self.conn.id
    }

    /// How long the answer has been awaited.
    pub fn waited(&self) -> Duration {
        self.waiting_since.elapsed()
    }
}

/// How far an exchange has gone.
pub(crate) enum Sent {
    Answered(Reply),
    /// The request is written (and what has arrived of the answer read):
    /// nothing else is left but to wait.
    Waiting(InFlight),
}

/// A split call's request, through hyper: kept between the calls that
/// start and finish it, so its answer's future is boxed (the blocking path
/// keeps its own on the stack).
// The request not boxed: it lives here only until hyper takes it.
#[allow(clippy::large_enum_variant)]
enum Work {
    /// Waits for the connection to take it.
    Queued(Option<Request<Body>>),
    /// Taken: the answer, as it arrives.
    Sent(Pin<Box<dyn Future<Output = Result<Reply, Failure>> + Send>>),
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
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = url.port_or_known_default().ok_or_else(|| bad("no port".into()))?;
        let tls = match url.scheme() {
            "https" => {
                let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| bad(format!("{e}")))?;
                Some((tls, name))
            }
            _ => None,
        };
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let path: Uri = path.parse().map_err(|e| bad(format!("{e}")))?;
        Ok(Direct {
            target: Target { host, port, tls },
            path,
            connect_timeout: cfg.connect_timeout,
            read_timeout: cfg.read_timeout,
            pools: ThreadLocal::new(),
            shared: Mutex::new(None),
            retired: Arc::default(),
        })
    }

    /// `POST` of `body` with `headers()`, on an idle connection of this
    /// thread or a new one; `shown` is the endpoint as errors name it. Every
    /// wait ends by `deadline` as well as by the configured timeouts.
    pub fn send<H>(&self, headers: &H, body: &Bytes, shown: &str, deadline: Option<Instant>) -> Result<Reply, Error>
    where
        H: Fn() -> Result<HeaderMap, Error>,
    {
        match self.exchange(headers, body, shown, deadline, false)? {
            Sent::Answered(reply) => Ok(reply),
            // Not reached: without `split` the exchange reads the answer.
            Sent::Waiting(_) => Err(errors::closed(shown, "the answer was not read")),
        }
    }

    /// As [`Direct::send`], up to the wait for the answer, which is left to
    /// the caller: the split call, for callers with an event loop of their
    /// own (Go's netpoller). Connections come from the client-wide pool.
    pub fn start<H>(&self, headers: &H, body: &Bytes, shown: &str, deadline: Option<Instant>) -> Result<Sent, Error>
    where
        H: Fn() -> Result<HeaderMap, Error>,
    {
        self.exchange(headers, body, shown, deadline, true)
    }

    /// Reads what has arrived of a started exchange's answer, without
    /// blocking: the whole answer (then [`Direct::done`] takes the exchange
    /// back), or `None` to wait again (the answer is not all there, or what
    /// woke the caller carried no data, such as a TLS session ticket). The
    /// read timeout counts from the start of the first wait. After an error
    /// the exchange is over: dropped, it closes its connection.
    pub fn finish(
        &self,
        inflight: &mut InFlight,
        shown: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<Reply>, Error> {
        match drive_work(&mut inflight.conn, &mut inflight.work, self.read_timeout, deadline, Phase::Resume) {
            Ok(Some(reply)) => Ok(Some(reply)),
            // Nothing more yet: late once the wait has used the read timeout
            // up (or the call's deadline has passed); an answer that is all
            // there is taken even then.
            Ok(None) if inflight.waited() >= self.read_timeout || within(self.read_timeout, deadline).is_none() => {
                Err(Failure::ReadTimeout.into_error(shown))
            }
            Ok(None) => Ok(None),
            Err(f) => Err(f.into_error(shown)),
        }
    }

    /// An answered exchange's connection, back to the pool.
    pub fn done(&self, inflight: InFlight) {
        self.checkin(inflight.conn, true);
    }

    /// Takes (at most `max` of) the ids of the connections that served
    /// split calls and have been closed since the last time, oldest first.
    pub fn closed_connections(&self, max: usize) -> Vec<u64> {
        let mut ids = self.retired.ids();
        let n = ids.len().min(max);
        let taken = ids.drain(..n).collect();
        self.retired.count.store(ids.len(), Ordering::Relaxed);
        taken
    }

    /// How many closed connections [`Direct::closed_connections`] would give.
    pub fn closed_count(&self) -> usize {
        self.retired.count.load(Ordering::Relaxed)
    }

    /// One request on an idle connection (or a new one when it turns out
    /// closed), up to the answer, or with `split` up to the wait for it.
    fn exchange<H>(
        &self,
        headers: &H,
        body: &Bytes,
        shown: &str,
        deadline: Option<Instant>,
        split: bool,
    ) -> Result<Sent, Error>
    where
        H: Fn() -> Result<HeaderMap, Error>,
    {
        let request = || -> Result<Request<Body>, Error> {
            let mut r = Request::new(Full::new(body.clone()));
            *r.method_mut() = Method::POST;
            *r.uri_mut() = self.path.clone();
            *r.headers_mut() = headers()?;
            Ok(r)
        };
        if let Some(conn) = self.checkout(split) {
            match self.begin(conn, request()?, deadline, split) {
                Ok(sent) => return Ok(sent),
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
        let conn = self.connect(shown, deadline)?;
        self.begin(conn, request()?, deadline, split).map_err(|f| f.into_error(shown))
    }

    /// Drives `request` on `conn`: to the answer (the connection goes back
    /// to the pool), or with `split` to the wait for it.
    fn begin(
        &self,
        mut conn: Box<Conn>,
        request: Request<Body>,
        deadline: Option<Instant>,
        split: bool,
    ) -> Result<Sent, Failure> {
        // A connection that serves split calls is made non-blocking once,
        // for good: the caller's event loop waits on it (Go's netpoller
        // registers only such descriptors), `finish` reads what has arrived,
        // and a write that finds no room waits in the stream. (Switching
        // back and forth cost two system calls a call.) Should the switch
        // fail, the call runs here as a blocking one.
        if !split || (!conn.gate.is_nonblocking() && self.serve_split_calls(&mut conn).is_err()) {
            return match exchange_here(&mut conn, request, self.read_timeout, deadline)? {
                Some(reply) => {
                    self.checkin(conn, split);
                    Ok(Sent::Answered(reply))
                }
                None => Err(Failure::BeforeAnswer("the answer was not read".into(), None)),
            };
        }
        let mut work = Work::Queued(Some(request));
        match drive_work(&mut conn, &mut work, self.read_timeout, deadline, Phase::Start)? {
            Some(reply) => {
                self.checkin(conn, true);
                Ok(Sent::Answered(reply))
            }
            None => Ok(Sent::Waiting(InFlight { conn, work, waiting_since: Instant::now() })),
        }
    }

    /// Makes `conn` non-blocking, and its id reported closed when it is
    /// dropped (a caller may keep a registration under it).
    fn serve_split_calls(&self, conn: &mut Conn) -> std::io::Result<()> {
        conn.socket.set_nonblocking(true)?;
        conn.gate.set_nonblocking();
        conn.retire = Some(Retire { id: conn.id, to: self.retired.clone() });
        Ok(())
    }

    /// A new connection (DNS, TCP, TLS) within the connect timeout.
    fn connect(&self, shown: &str, deadline: Option<Instant>) -> Result<Box<Conn>, Error> {
        let timeout = within(self.connect_timeout, deadline).ok_or_else(|| errors::connect_timeout(shown))?;
        let Connected { stream, gate, socket } = blocking_io::connect(&self.target, timeout, self.read_timeout)
            .map_err(|e| match e {
                ConnectError::Timeout => errors::connect_timeout(shown),
                ConnectError::Tls(e) => {
                    let named = match crate::tls::failure_reason(&e) {
                        Some(why) => errors::ssl(shown, &why),
                        None => errors::ssl(shown, &errors::describe(&e)),
                    };
                    named.with_source(e)
                }
                ConnectError::Failed(e) => errors::connect_failed(shown, &errors::describe(&e)).with_source(e),
            })?;
        let woken = Arc::new(Woken::default());
        let waker = Waker::from(woken.clone());
        // The handshake future does no I/O: it is ready at its first poll.
        let mut handshake = pin!(http1::handshake(stream));
        let (sender, driver) = match handshake.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(Ok(parts)) => parts,
            Poll::Ready(Err(e)) => return Err(errors::connect_failed(shown, &errors::describe(&e)).with_source(e)),
            Poll::Pending => return Err(errors::connect_failed(shown, "the HTTP/1.1 handshake did not complete")),
        };
        Ok(Box::new(Conn {
            retire: None,
            sender,
            driver,
            gate,
            socket,
            timeout: self.read_timeout.max(Duration::from_millis(1)),
            woken,
            waker,
            ended: false,
            idle_since: Instant::now(),
            id: next_id(),
        }))
    }

    /// The most recently used idle connection that is still open: this
    /// thread's, or with `shared` the client's (split calls).
    fn checkout(&self, shared: bool) -> Option<Box<Conn>> {
        if shared {
            let mut slot = self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            return take_open(&mut slot);
        }
        take_open(&mut self.pools.get_or(|| RefCell::new(None)).borrow_mut())
    }

    fn checkin(&self, mut conn: Box<Conn>, shared: bool) {
        if conn.ended || conn.sender.is_closed() {
            return;
        }
        conn.idle_since = Instant::now();
        if shared {
            let mut slot = self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            put_back(&mut slot, conn, MAX_IDLE_SHARED);
        } else {
            put_back(&mut self.pools.get_or(|| RefCell::new(None)).borrow_mut(), conn, MAX_IDLE);
        }
    }
}

/// The most recently used connection of `slot` that is still open.
fn take_open(slot: &mut Option<Slot>) -> Option<Box<Conn>> {
    let generation = crate::fork::generation();
    match slot.as_mut() {
        Some(s) if s.generation == generation => {
            while let Some(conn) = s.idle.pop() {
                let idle = conn.idle_since.elapsed();
                if idle < IDLE_TIMEOUT
                    && !conn.sender.is_closed()
                    && (idle < PROBE_AFTER || blocking_io::idle_and_open(&conn.socket))
                {
                    return Some(conn);
                }
            }
            None
        }
        // First use, or a slot left by a thread that has ended, or by the
        // parent process: replaced.
        _ => {
            *slot = Some(Slot { generation, idle: Vec::new() });
            None
        }
    }
}

fn put_back(slot: &mut Option<Slot>, conn: Box<Conn>, max: usize) {
    if let Some(s) = slot.as_mut()
        && s.generation == crate::fork::generation()
        && s.idle.len() < max
    {
        s.idle.push(conn);
    }
}

/// `limit`, shortened to what is left before `deadline`; `None` once the
/// deadline has passed.
fn within(limit: Duration, deadline: Option<Instant>) -> Option<Duration> {
    match deadline {
        None => Some(limit),
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            (!left.is_zero()).then(|| limit.min(left))
        }
    }
}

/// What [`drive`] works with: the connection without its request handle,
/// which the work uses.
struct Parts<'a> {
    driver: &'a mut Connection<Stream, Body>,
    gate: &'a Gate,
    socket: &'a TcpStream,
    timeout: &'a mut Duration,
    woken: &'a Woken,
    waker: &'a Waker,
    ended: &'a mut bool,
}

impl Conn {
    fn parts(&mut self) -> (&mut SendRequest<Body>, Parts<'_>) {
        let Conn { sender, driver, gate, socket, timeout, woken, waker, ended, .. } = self;
        (sender, Parts { driver, gate, socket, timeout, woken, waker, ended })
    }
}

impl Work {
    /// Hands the request to hyper when the connection takes it, then polls
    /// the answer.
    fn poll(&mut self, sender: &mut SendRequest<Body>, cx: &mut Context<'_>) -> Poll<Result<Reply, Failure>> {
        if let Work::Queued(request) = self {
            match sender.poll_ready(cx) {
                Poll::Ready(Ok(())) => {
                    if let Some(request) = request.take() {
                        let response = sender.try_send_request(request);
                        *self = Work::Sent(Box::pin(async move { read_answer(response.await.map_err(unsent)?).await }));
                    }
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(Failure::NotSent(errors::describe(&e)))),
                Poll::Pending => return Poll::Pending,
            }
        }
        match self {
            Work::Sent(answer) => answer.as_mut().poll(cx),
            Work::Queued(_) => Poll::Pending,
        }
    }
}

/// How a request that hyper did not send failed.
fn unsent(mut e: hyper::client::conn::TrySendError<Request<Body>>) -> Failure {
    let detail = errors::describe(e.error());
    if e.take_message().is_some() { Failure::NotSent(detail) } else { Failure::BeforeAnswer(detail, None) }
}

/// One request and its whole answer on `conn`, the blocking path's: the
/// request's future lives on the stack.
fn exchange_here(
    conn: &mut Conn,
    request: Request<Body>,
    read_timeout: Duration,
    deadline: Option<Instant>,
) -> Result<Option<Reply>, Failure> {
    let (sender, parts) = conn.parts();
    let work = async {
        std::future::poll_fn(|cx| sender.poll_ready(cx)).await.map_err(|e| Failure::NotSent(errors::describe(&e)))?;
        read_answer(sender.try_send_request(request).await.map_err(unsent)?).await
    };
    let mut work = pin!(work);
    drive(parts, read_timeout, deadline, Phase::Whole, |cx| work.as_mut().poll(cx))
}

/// [`drive`] for a split call's [`Work`], kept between calls.
fn drive_work(
    conn: &mut Conn,
    work: &mut Work,
    read_timeout: Duration,
    deadline: Option<Instant>,
    phase: Phase,
) -> Result<Option<Reply>, Failure> {
    let (sender, parts) = conn.parts();
    drive(parts, read_timeout, deadline, phase, |cx| work.poll(sender, cx))
}

/// How far [`drive`] takes an exchange.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// To the whole answer (a blocking call).
    Whole,
    /// A split call's start: until hyper has written the request and has
    /// nothing left to do but wait (then `None`: the caller waits).
    Start,
    /// A split call resumed after a wait: it starts with the read, and on
    /// its non-blocking socket gives `None` when it needs more.
    Resume,
}

/// Polls the work (`poll_work`: the request, then its answer) and the
/// connection alongside, as far as `phase` says. Each blocking read is
/// bounded by the read timeout (it restarts with each piece of the answer,
/// as botocore's socket timeout does) and by what is left before
/// `deadline`; on a non-blocking socket (a split call's) no read blocks.
fn drive(
    parts: Parts<'_>,
    read_timeout: Duration,
    deadline: Option<Instant>,
    phase: Phase,
    mut poll_work: impl FnMut(&mut Context<'_>) -> Poll<Result<Reply, Failure>>,
) -> Result<Option<Reply>, Failure> {
    let Parts { driver, gate, socket, timeout, woken, waker, ended } = parts;
    let mut cx = Context::from_waker(waker);
    let mut wait = phase == Phase::Resume;
    gate.take_would_block();
    loop {
        if wait {
            // hyper has written the request and waits for the answer.
            if phase == Phase::Start {
                return Ok(None);
            }
            if !gate.is_nonblocking() {
                let t = within(read_timeout, deadline).ok_or(Failure::ReadTimeout)?;
                blocking_io::bound(socket, timeout, t.max(Duration::from_millis(1)))
                    .map_err(|e| Failure::BeforeAnswer(errors::describe(&e), None))?;
            }
            gate.open();
        }
        let driven = poll_driver(driver, ended, &mut cx);
        gate.close();
        if gate.take_timed_out() {
            *ended = true; // a half-read answer leaves the connection unusable
            return Err(Failure::ReadTimeout);
        }
        if let Poll::Ready(r) = poll_work(&mut cx) {
            // Let the connection see the answer through (keep-alive or
            // close); whether it ended shows in `ended`.
            let _ = poll_driver(driver, ended, &mut cx);
            gate.close();
            return r.map(Some);
        }
        if let Poll::Ready(Err(e)) = driven {
            return Err(Failure::BeforeAnswer(errors::describe(&e), Some(e)));
        }
        if *ended {
            // Nothing more will arrive for the request.
            return Err(Failure::BeforeAnswer("the connection closed".into(), None));
        }
        if gate.take_would_block() {
            // Non-blocking: what had arrived is read; wait for more.
            return Ok(None);
        }
        // Block in a read only when nothing was woken: a wake-up means hyper
        // has more to do first (hand the request over, deliver the body).
        wait = !woken.0.swap(false, Ordering::Relaxed);
    }
}

fn poll_driver(
    driver: &mut Connection<Stream, Body>,
    ended: &mut bool,
    cx: &mut Context<'_>,
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

async fn read_answer(response: http::Response<Incoming>) -> Result<Reply, Failure> {
    let (parts, mut body) = response.into_parts();
    let status = parts.status.as_u16();
    let mut buf =
        Vec::with_capacity(usize::try_from(hyper::body::Body::size_hint(&body).lower()).unwrap_or(0).min(MAX_BODY));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(Failure::InAnswer)?;
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
