//! The socket under the blocking API's connections: hyper reads and writes
//! it as asynchronous I/O while the calling thread blocks in the kernel.
//!
//! Why blocking sockets rather than tokio's reactor on this path: a call then
//! costs the two system calls a raw socket client makes (write the request,
//! read the answer), where a readiness-based reactor adds an `epoll_wait`
//! before every read, and tokio's timer and scheduler bookkeeping around it.
//! Measured on the bench's nginx, pinned, same run: hyper over a blocking
//! socket 37.0 µs a call, hyper over tokio's current-thread runtime 44.6 µs,
//! a raw-socket floor 30.0 µs. The price: a blocking read cannot be woken by
//! a timer, so every wait is bounded by the socket's own timeouts, set from
//! the read timeout and what is left of the call's deadline.
//!
//! How hyper is kept from blocking where it must not: a read blocks only
//! when the exchange driving the connection has opened the [`Gate`], which it
//! does when hyper has nothing left to do but wait for the answer's bytes.
//! Any other read (hyper looks for a close on an idle connection) answers
//! `Pending` at once. Writes always block until written (requests are a few
//! KiB), bounded by the socket's write timeout.

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};
use socket2::{Domain, Protocol, SockAddr, SockRef, Socket, TcpKeepalive, Type};
use std::io::{self, IoSlice, Read, Write};
use std::mem::MaybeUninit;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// What to dial: the endpoint's host (no brackets), port and, for `https`,
/// the TLS settings and the name the certificate must carry.
#[derive(Clone)]
pub(super) struct Target {
    pub host: String,
    pub port: u16,
    pub tls: Option<(Arc<ClientConfig>, ServerName<'static>)>,
}

/// Set by the exchange when hyper waits for the answer: the next read may
/// block. Shared by the stream, inside hyper's connection, and the exchange.
#[derive(Default)]
pub(super) struct Gate {
    open: AtomicBool,
    /// The last read or write ended on the socket's timeout.
    timed_out: AtomicBool,
    /// The socket is non-blocking (it serves split calls, whose callers
    /// wait for the answers): a read with nothing to give answers `Pending`
    /// and sets `would_block`; a write that finds no room waits for it.
    nonblocking: AtomicBool,
    would_block: AtomicBool,
}

impl Gate {
    pub fn open(&self) {
        self.open.store(true, Ordering::Relaxed);
    }

    pub fn close(&self) {
        self.open.store(false, Ordering::Relaxed);
    }

    /// Marks the socket non-blocking, for the rest of its life.
    pub fn set_nonblocking(&self) {
        self.nonblocking.store(true, Ordering::Relaxed);
    }

    pub fn is_nonblocking(&self) -> bool {
        self.nonblocking.load(Ordering::Relaxed)
    }

    /// Whether a non-blocking read found nothing since the last look.
    pub fn take_would_block(&self) -> bool {
        self.would_block.swap(false, Ordering::Relaxed)
    }

    /// Whether a read or write timed out since the last look.
    pub fn take_timed_out(&self) -> bool {
        self.timed_out.swap(false, Ordering::Relaxed)
    }

    fn note(&self, r: &io::Result<usize>) {
        if let Err(e) = r
            && matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
        {
            self.timed_out.store(true, Ordering::Relaxed);
        }
    }
}

enum Wire {
    Plain(Sock),
    Tls(Box<StreamOwned<ClientConnection, Sock>>),
}

/// The TCP socket under a wire, as hyper and rustls write it: a write that
/// finds no room in a non-blocking socket's buffer waits for it here (bounded
/// by the socket's write timeout), so a write blocks whatever the socket's
/// mode. Writes send with `MSG_NOSIGNAL`: a peer that has reset the
/// connection gives an error, never a `SIGPIPE` (std's vectored write is a
/// plain `writev`, and a C or Go host may not ignore the signal).
struct Sock {
    tcp: TcpStream,
    gate: Arc<Gate>,
}

impl Read for Sock {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tcp.read(buf)
    }
}

impl Write for Sock {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sent(|s| s.send_with_flags(buf, NO_SIGNAL))
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.sent(|s| s.send_vectored_with_flags(bufs, NO_SIGNAL))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The flag that spares a `SIGPIPE`. Elsewhere 0: on Apple platforms socket2
/// sets `SO_NOSIGPIPE` on the sockets it makes, and Windows has no signals.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
const NO_SIGNAL: std::ffi::c_int = libc::MSG_NOSIGNAL;
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
const NO_SIGNAL: std::ffi::c_int = 0;

impl Sock {
    fn sent(&mut self, mut send: impl FnMut(SockRef<'_>) -> io::Result<usize>) -> io::Result<usize> {
        let mut deadline = None;
        loop {
            match send(SockRef::from(&self.tcp)) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && self.gate.is_nonblocking() => {
                    let until = *deadline.get_or_insert_with(|| {
                        // The timeout a blocking write would have had.
                        let limit = self.tcp.write_timeout().ok().flatten().unwrap_or(Duration::from_secs(60));
                        Instant::now() + limit
                    });
                    wait_writable(&self.tcp, until)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                sent => return sent,
            }
        }
    }
}

/// Waits until the socket has room to write, or fails with `TimedOut` at
/// `until`.
#[cfg(unix)]
fn wait_writable(tcp: &TcpStream, until: Instant) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        // Rounded up: a wait shorter than what is left would spin.
        let ms = left.as_millis() + u128::from(!left.subsec_nanos().is_multiple_of(1_000_000));
        let ms = libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX);
        let mut fd = libc::pollfd { fd: tcp.as_raw_fd(), events: libc::POLLOUT, revents: 0 };
        // SAFETY: `fd` is one valid `pollfd`, borrowed for the call only.
        let n = unsafe { libc::poll(&mut fd, 1, ms) };
        if n > 0 {
            // Writable, or failed: the next write says which.
            return Ok(());
        }
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}

/// Only Unix sockets are made non-blocking (split calls are Unix-only).
#[cfg(not(unix))]
fn wait_writable(_: &TcpStream, _: Instant) -> io::Result<()> {
    Err(io::ErrorKind::WouldBlock.into())
}

/// Either wire, read and written alike.
trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

impl Wire {
    fn io(&mut self) -> &mut dyn ReadWrite {
        match self {
            Wire::Plain(s) => s,
            Wire::Tls(s) => s.as_mut(),
        }
    }
}

/// A connected socket as hyper sees it.
pub(super) struct Stream {
    wire: Wire,
    gate: Arc<Gate>,
    /// Bytes are read here and copied into hyper's buffer: hyper hands out
    /// uninitialised memory, which `Read` may not be given without `unsafe`;
    /// an answer is a few hundred bytes, so the copy is cheap.
    scratch: Box<[u8]>,
}

impl hyper::rt::Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.gate.open.swap(false, Ordering::Relaxed) {
            return Poll::Pending;
        }
        let want = buf.remaining().min(this.scratch.len());
        let dst = &mut this.scratch[..want];
        let got = this.wire.io().read(dst);
        if let Err(e) = &got
            && e.kind() == io::ErrorKind::WouldBlock
            && this.gate.is_nonblocking()
        {
            // Nothing (or, over TLS, only records that carry no data, such
            // as session tickets) has arrived yet.
            this.gate.would_block.store(true, Ordering::Relaxed);
            return Poll::Pending;
        }
        this.gate.note(&got);
        let n = got?;
        buf.put_slice(&this.scratch[..n]);
        Poll::Ready(Ok(()))
    }
}

impl hyper::rt::Write for Stream {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, b: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = this.wire.io().write(b);
        this.gate.note(&r);
        Poll::Ready(r)
    }

    fn poll_write_vectored(self: Pin<&mut Self>, _: &mut Context<'_>, b: &[IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = this.wire.io().write_vectored(b);
        this.gate.note(&r);
        Poll::Ready(r)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        Poll::Ready(this.wire.io().flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// How connecting failed.
pub(super) enum ConnectError {
    Timeout,
    /// Name resolution or TCP.
    Failed(io::Error),
    /// The TLS handshake (the `rustls::Error` is inside the `io::Error`).
    Tls(io::Error),
}

/// A connected socket: the stream for hyper, the gate that the exchange
/// drives it with, and a handle on the same socket for its options.
pub(super) struct Connected {
    pub stream: Stream,
    pub gate: Arc<Gate>,
    pub socket: TcpStream,
}

/// Resolves, connects and (for `https`) shakes hands within `timeout`; the
/// socket's reads and writes are then bounded by `io_timeout`.
pub(super) fn connect(target: &Target, timeout: Duration, io_timeout: Duration) -> Result<Connected, ConnectError> {
    let deadline = Instant::now() + timeout;
    let addrs = resolve(&target.host, target.port, timeout)?;
    let mut last = None;
    let mut socket = None;
    for (i, addr) in addrs.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ConnectError::Timeout);
        }
        // As hyper-util's connector: the time left is shared among the
        // addresses still to try, so one that never answers leaves time for
        // the next.
        let share = left / u32::try_from(addrs.len() - i).unwrap_or(u32::MAX);
        match dial(addr, share) {
            Ok(s) => {
                socket = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let Some(socket) = socket else {
        return Err(match last {
            Some(e) if is_timeout(&e) => ConnectError::Timeout,
            Some(e) => ConnectError::Failed(e),
            None => ConnectError::Failed(io::Error::new(io::ErrorKind::NotFound, "the host name has no address")),
        });
    };
    let handle = socket.try_clone().map_err(ConnectError::Failed)?;
    let gate = Arc::new(Gate::default());
    let sock = Sock { tcp: socket, gate: gate.clone() };
    let wire = match &target.tls {
        None => Wire::Plain(sock),
        Some((config, name)) => Wire::Tls(Box::new(handshake(sock, config, name, deadline)?)),
    };
    set_timeouts(&handle, io_timeout).map_err(ConnectError::Failed)?;
    Ok(Connected {
        stream: Stream { wire, gate: gate.clone(), scratch: vec![0; 16 << 10].into() },
        gate,
        socket: handle,
    })
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

fn set_timeouts(s: &TcpStream, t: Duration) -> io::Result<()> {
    // A zero timeout means "none" to the socket: the caller's zero is the
    // smallest wait instead.
    let t = t.max(Duration::from_millis(1));
    s.set_read_timeout(Some(t))?;
    s.set_write_timeout(Some(t))
}

/// The host's addresses. A name is resolved on a thread of its own, so that
/// a resolver that hangs is bounded by the connect timeout (the thread is
/// left to finish alone); an address literal needs no lookup.
fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, ConnectError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("cognito-identity-dns".into())
        .spawn(move || {
            let _ = tx.send((name.as_str(), port).to_socket_addrs().map(Vec::from_iter));
        })
        .map_err(ConnectError::Failed)?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(addrs)) => Ok(addrs),
        Ok(Err(e)) => Err(ConnectError::Failed(e)),
        Err(_) => Err(ConnectError::Timeout),
    }
}

/// A TCP connection with reqwest's defaults: no Nagle delay, keep-alive
/// probes so that a dead peer is noticed.
fn dial(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(*addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_tcp_nodelay(true)?;
    let keepalive = TcpKeepalive::new().with_time(Duration::from_secs(15)).with_interval(Duration::from_secs(15));
    #[cfg(not(any(target_os = "windows", target_os = "openbsd", target_os = "haiku")))]
    let keepalive = keepalive.with_retries(3);
    socket.set_tcp_keepalive(&keepalive)?;
    #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
    socket.set_tcp_user_timeout(Some(Duration::from_secs(30)))?;
    socket.connect_timeout(&SockAddr::from(*addr), timeout.max(Duration::from_millis(1)))?;
    Ok(socket.into())
}

fn handshake(
    socket: Sock,
    config: &Arc<ClientConfig>,
    name: &ServerName<'static>,
    deadline: Instant,
) -> Result<StreamOwned<ClientConnection, Sock>, ConnectError> {
    let tls = ClientConnection::new(config.clone(), name.clone())
        .map_err(|e| ConnectError::Tls(io::Error::new(io::ErrorKind::InvalidData, e)))?;
    let mut stream = StreamOwned::new(tls, socket);
    while stream.conn.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ConnectError::Timeout);
        }
        set_timeouts(&stream.sock.tcp, left).map_err(ConnectError::Failed)?;
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            return Err(if is_timeout(&e) {
                ConnectError::Timeout
            } else if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
                ConnectError::Tls(e)
            } else {
                ConnectError::Failed(e)
            });
        }
    }
    Ok(stream)
}

/// Bounds the socket's next blocking read (and write) by `t`; `current`
/// remembers what is set, so an unchanged bound costs no system call.
pub(super) fn bound(socket: &TcpStream, current: &mut Duration, t: Duration) -> io::Result<()> {
    if *current != t {
        set_timeouts(socket, t)?;
        *current = t;
    }
    Ok(())
}

/// Whether an idle connection is still usable: nothing has arrived on it.
/// A close by the server (or anything it sent unasked, such as a TLS alert
/// before it closes) makes it unusable. One non-blocking peek.
pub(super) fn idle_and_open(socket: &TcpStream) -> bool {
    let mut byte = [MaybeUninit::<u8>::uninit(); 1];
    #[cfg(unix)]
    let peeked = SockRef::from(socket).recv_with_flags(&mut byte, libc::MSG_PEEK | libc::MSG_DONTWAIT);
    #[cfg(not(unix))]
    let peeked = {
        let sock = SockRef::from(socket);
        let _ = sock.set_nonblocking(true);
        let r = sock.peek(&mut byte);
        let _ = sock.set_nonblocking(false);
        r
    };
    match peeked {
        Err(e) => e.kind() == io::ErrorKind::WouldBlock,
        Ok(_) => false,
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connected pair: a non-blocking `Sock` (as a split call's) whose
    /// writes are bounded by `timeout`, and the peer's end.
    fn pair(timeout: Duration) -> (Sock, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let tcp = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (peer, _) = listener.accept().unwrap();
        set_timeouts(&tcp, timeout).unwrap();
        tcp.set_nonblocking(true).unwrap();
        let gate = Arc::new(Gate::default());
        gate.set_nonblocking();
        (Sock { tcp, gate }, peer)
    }

    /// More than loopback's buffers hold (about 4 MiB here), so that the
    /// socket runs out of room before the peer reads.
    const MORE_THAN_THE_BUFFERS: usize = 24 << 20;

    #[test]
    fn a_write_that_finds_no_room_waits_for_the_peer_to_read() {
        let (mut sock, mut peer) = pair(Duration::from_secs(30));
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let mut got = Vec::new();
            peer.read_to_end(&mut got).unwrap();
            got
        });
        let data: Vec<u8> = (0..MORE_THAN_THE_BUFFERS).map(|i| (i % 251) as u8).collect();
        // Vectored, as hyper writes: a head and a body.
        let (head, body) = data.split_at(1000);
        let mut written = 0;
        while written < data.len() {
            let n = if written < head.len() {
                sock.write_vectored(&[IoSlice::new(&head[written..]), IoSlice::new(body)]).unwrap()
            } else {
                sock.write(&data[written..]).unwrap()
            };
            assert!(n > 0);
            written += n;
        }
        drop(sock);
        assert!(reader.join().unwrap() == data, "every byte arrived, in order");
    }

    #[test]
    fn a_write_that_never_finds_room_ends_at_the_write_timeout() {
        let (mut sock, _peer) = pair(Duration::from_millis(200));
        let data = vec![7u8; MORE_THAN_THE_BUFFERS];
        let began = Instant::now();
        let e = sock.write_all(&data).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e:?}");
        assert!(began.elapsed() >= Duration::from_millis(200));
    }

    /// Whether a `SIGPIPE` is pending for this thread (one is taken if so).
    fn took_sigpipe() -> bool {
        // SAFETY: signal sets on the stack, initialised by sigemptyset.
        unsafe {
            let mut pending: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut pending);
            libc::sigpending(&mut pending);
            if libc::sigismember(&pending, libc::SIGPIPE) != 1 {
                return false;
            }
            let mut only: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut only);
            libc::sigaddset(&mut only, libc::SIGPIPE);
            let now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            libc::sigtimedwait(&only, std::ptr::null_mut(), &now);
            true
        }
    }

    #[test]
    fn a_write_to_a_reset_connection_fails_without_a_signal() {
        // Blocked in this thread, a SIGPIPE stays pending where it can be
        // seen (an ignored one would be dropped, and a default one would end
        // the test process; other threads are left as they are).
        // SAFETY: a signal set on the stack, initialised by sigemptyset.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGPIPE);
            assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()), 0);
        }
        let (mut sock, peer) = pair(Duration::from_secs(5));
        // A reset, not a close: linger 0 makes close send RST.
        SockRef::from(&peer).set_linger(Some(Duration::ZERO)).unwrap();
        drop(peer);
        // The first write after the reset reports it; the next ones fail
        // with EPIPE, which raises SIGPIPE unless sent with MSG_NOSIGNAL.
        // (Writes before the reset has arrived succeed: a loaded machine
        // may take a moment.)
        let began = Instant::now();
        let mut failed = 0;
        while failed < 3 {
            match sock.write_vectored(&[IoSlice::new(b"GET / HTTP/1.1\r\n\r\n")]) {
                Err(e) => {
                    assert!(matches!(e.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset), "{e:?}");
                    failed += 1;
                }
                Ok(n) => {
                    assert!(
                        n > 0 && failed == 0 && began.elapsed() < Duration::from_secs(10),
                        "the reset never arrived"
                    );
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
        assert!(sock.write(b"x").is_err());
        assert!(!took_sigpipe(), "a write raised SIGPIPE");
        // The control: std's vectored write (writev) does raise it.
        assert!(sock.tcp.write_vectored(&[IoSlice::new(b"x")]).is_err());
        assert!(took_sigpipe(), "the check sees a SIGPIPE");
    }
}
