//! Not a client: a measurement of the core's blocking transport design
//! (core/src/transport/direct.rs and blocking_io.rs) with nothing else in
//! it. The same POST as ours (same headers and body, unsigned, no JSON parse)
//! on hyper's HTTP/1.1 client connection over a blocking socket, one
//! connection per caller thread, polled by the caller with reads that block
//! only while hyper waits for the answer: two system calls a call, as the
//! floor. What is left between this row and ours is the core's own work.
//!   proto-hyper-blocking URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, Connection, SendRequest};
use hyper::rt::{Read, ReadBufCursor, Write};
use std::future::Future;
use std::io::{Read as _, Write as _};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

const BODY: &str = r#"{"IdentityPoolId":"us-east-1:00000000-0000-0000-0000-000000000000"}"#;

/// A blocking socket whose reads block only while `gate` is open.
struct Stream {
    s: std::net::TcpStream,
    gate: Arc<AtomicBool>,
    scratch: Vec<u8>,
}

impl Read for Stream {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, mut buf: ReadBufCursor<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if !this.gate.swap(false, Relaxed) {
            return Poll::Pending;
        }
        let want = buf.remaining().min(this.scratch.len());
        let n = this.s.read(&mut this.scratch[..want])?;
        buf.put_slice(&this.scratch[..n]);
        Poll::Ready(Ok(()))
    }
}

impl Write for Stream {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, b: &[u8]) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.get_mut().s.write(b))
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        b: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.get_mut().s.write_vectored(b))
    }
    fn is_write_vectored(&self) -> bool {
        true
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

struct Woken(AtomicBool);
impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Relaxed);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Relaxed);
    }
}

struct Conn {
    send: SendRequest<Full<Bytes>>,
    conn: Connection<Stream, Full<Bytes>>,
    gate: Arc<AtomicBool>,
    woken: Arc<Woken>,
    waker: Waker,
}

impl Conn {
    fn open(addr: &str) -> Conn {
        let s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).expect("nodelay");
        let gate = Arc::new(AtomicBool::new(false));
        let woken = Arc::new(Woken(AtomicBool::new(false)));
        let waker = Waker::from(woken.clone());
        let mut hs = pin!(http1::handshake(Stream { s, gate: gate.clone(), scratch: vec![0; 16 << 10] }));
        let Poll::Ready(Ok((send, conn))) = hs.as_mut().poll(&mut Context::from_waker(&waker)) else {
            panic!("handshake")
        };
        Conn { send, conn, gate, woken, waker }
    }

    /// Polls `f` and the connection until `f` is ready, blocking in a read
    /// only when nothing was woken.
    fn drive<T>(&mut self, f: impl Future<Output = T>) -> T {
        let mut f = pin!(f);
        let mut cx = Context::from_waker(&self.waker);
        let mut wait = false;
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            if wait {
                self.gate.store(true, Relaxed);
            }
            let _ = Pin::new(&mut self.conn).poll(&mut cx);
            self.gate.store(false, Relaxed);
            wait = !self.woken.0.swap(false, Relaxed);
        }
    }

    fn one(&mut self, host: &str, target: &str) {
        let req = http::Request::post("/")
            .header("host", host)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target)
            .header("amz-sdk-invocation-id", "5c1a8f52-7d4e-4b8a-9c3e-2f6b1d0e9a77")
            .header("amz-sdk-request", "attempt=1; max=3")
            .header("content-length", BODY.len())
            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
            .expect("request");
        let send = self.send.send_request(req);
        let resp = self.drive(send).expect("send");
        assert_eq!(resp.status(), 200);
        let body = self.drive(resp.into_body().collect()).expect("body").to_bytes();
        assert!(body.len() > 10);
    }
}

#[path = "../measure.rs"]
mod measure;
use measure::{cpu_seconds, maxrss_kb};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let host = a[1].trim_start_matches("http://").trim_end_matches('/');
    let target = format!("AWSCognitoIdentityService.{}", a[2]);
    let threads: usize = a[3].parse().unwrap();
    let calls: u64 = a[4].parse().unwrap();
    let max = Duration::from_secs_f64(a[5].parse().unwrap());
    let warmup: u64 = a[6].parse().unwrap();
    // Each thread connects and warms up, then all start together.
    let ready = std::sync::Barrier::new(threads + 1);
    let (cpu0, start, total) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (host, target, ready) = (host, target.as_str(), &ready);
                s.spawn(move || {
                    let mut c = Conn::open(host);
                    for _ in 0..warmup {
                        c.one(host, target);
                    }
                    ready.wait();
                    let start = Instant::now();
                    let mut n = 0u64;
                    while n < calls && start.elapsed() < max {
                        c.one(host, target);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        ready.wait();
        let (cpu0, start) = (cpu_seconds(), Instant::now());
        let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        (cpu0, start, total)
    });
    let secs = start.elapsed().as_secs_f64();
    println!("{{\"calls\":{total},\"secs\":{secs},\"cpu_s\":{},\"maxrss_kb\":{}}}", cpu_seconds() - cpu0, maxrss_kb());
}
