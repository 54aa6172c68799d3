//! A scripted HTTP/1.1 keep-alive server for the transport tests: it answers
//! each request with the next scripted reply and records what it received.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, extra headers, body.
    Http(u16, Vec<(String, String)>, String),
    /// Close the connection without answering.
    Reset,
    /// Read the request, then answer nothing for this long.
    Stall(Duration),
    /// Answer with this body (status 200, keep-alive headers), then close
    /// the connection: a server whose idle timeout expires just after.
    OkThenClose(String),
    /// Answer with this body (status 200) in two parts, this long apart:
    /// the head and half the body, then the rest.
    Slow(String, Duration),
}

pub fn ok(body: &str) -> Reply {
    Reply::Http(200, vec![], body.into())
}

pub fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Http(status, vec![], format!(r#"{{"__type":"{code}","message":"{message}"}}"#))
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    pub url: String,
    script: Arc<Mutex<VecDeque<Reply>>>,
    /// Served when the script is empty.
    default: Arc<Mutex<Reply>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
}

impl Server {
    pub fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = Server {
            url,
            script: Arc::new(Mutex::new(script.into())),
            default: Arc::new(Mutex::new(ok("{}"))),
            seen: Arc::new(Mutex::new(Vec::new())),
            connections: Arc::new(AtomicUsize::new(0)),
        };
        let (script, default, seen) = (server.script.clone(), server.default.clone(), server.seen.clone());
        let connections = server.connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                connections.fetch_add(1, Ordering::SeqCst);
                let (script, default, seen) = (script.clone(), default.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &script, &default, &seen));
            }
        });
        server
    }

    pub fn set_default(&self, reply: Reply) {
        *self.default.lock().unwrap() = reply;
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, script: &Mutex<VecDeque<Reply>>, default: &Mutex<Reply>, seen: &Mutex<Vec<Seen>>) {
    stream.set_nodelay(true).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut headers = Vec::new();
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let len: usize =
            headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        seen.lock().unwrap().push(Seen { headers, body: String::from_utf8_lossy(&body).into_owned() });
        let reply = script.lock().unwrap().pop_front().unwrap_or_else(|| default.lock().unwrap().clone());
        let (reply, close) = match reply {
            Reply::OkThenClose(body) => (Reply::Http(200, vec![], body), true),
            other => (other, false),
        };
        match reply {
            Reply::Reset | Reply::OkThenClose(_) => return,
            Reply::Slow(body, pause) => {
                let (first, rest) = body.split_at(body.len() / 2);
                let head = format!(
                    "HTTP/1.1 200 X\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: req-{}\r\ncontent-length: {}\r\n\r\n{first}",
                    seen.lock().unwrap().len(),
                    body.len()
                );
                if out.write_all(head.as_bytes()).and_then(|_| out.flush()).is_err() {
                    return;
                }
                std::thread::sleep(pause);
                if out.write_all(rest.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Stall(d) => {
                std::thread::sleep(d);
                return;
            }
            Reply::Http(status, extra, body) => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: req-{}\r\ncontent-length: {}\r\n",
                    seen.lock().unwrap().len(),
                    body.len()
                );
                for (k, v) in extra {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if out.write_all(head.as_bytes()).and_then(|_| out.write_all(body.as_bytes())).is_err() || close {
                    return;
                }
            }
        }
    }
}
