//! A loopback HTTP/1.1 server that answers every request with the bytes it
//! was last given, so a fuzz target can run the real client (hyper, reqwest
//! and the core's response handling) against responses of its choosing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

/// A running sink. It lives as long as the process (fuzz targets keep it in a static).
#[derive(Debug)]
pub struct Sink {
    addr: SocketAddr,
    response: Arc<Mutex<Vec<u8>>>,
}

/// `200 OK` with the body `{}`, on a keep-alive connection.
pub const EMPTY_OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n\
x-amzn-requestid: fuzz\r\ncontent-length: 2\r\n\r\n{}";

impl Sink {
    /// Binds 127.0.0.1 on a free port and serves `response` to every request.
    pub fn start(response: &[u8]) -> std::io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let response = Arc::new(Mutex::new(response.to_vec()));
        let shared = response.clone();
        std::thread::Builder::new().name("fuzz-sink".into()).spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                // One thread per connection: clients keep connections alive in
                // their pools, and an idle one must not block the next.
                let _ = std::thread::Builder::new().name("fuzz-sink-conn".into()).spawn(move || serve(stream, &shared));
            }
        })?;
        Ok(Sink { addr, response })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bytes every later request gets (a whole HTTP response).
    pub fn set_response(&self, raw: Vec<u8>) {
        *self.response.lock().unwrap_or_else(PoisonError::into_inner) = raw;
    }
}

fn serve(stream: TcpStream, response: &Mutex<Vec<u8>>) {
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        // Request line and headers, then as many body bytes as announced.
        let mut length = 0usize;
        let mut lines = 0;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            lines += 1;
            if line == "\r\n" || line == "\n" {
                if lines == 1 {
                    continue;
                }
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let raw = response.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if writer.write_all(&raw).is_err() || writer.flush().is_err() {
            return;
        }
        // A response that asks to close (or whose framing is unknown) ends the connection.
        let head = raw.split(|b| *b == b'\n').take(64).map(|l| String::from_utf8_lossy(l).to_ascii_lowercase());
        if head.into_iter().any(|l| l.starts_with("connection: close")) {
            return;
        }
    }
}
