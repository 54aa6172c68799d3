//! No file descriptor outlives its connection: many connections, clean,
//! abandoned mid-request, reset by injected faults and kept alive by
//! clients, then the count of this process's descriptors (/proc/self/fd)
//! must come back to what it was. Alone in its test binary, so that no other
//! test opens descriptors meanwhile.

use cognito_identity::{Client, Config, Credentials};
use cognito_identity_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count)
}

/// What the open descriptors are, for a failure message.
fn describe_fds() -> Vec<String> {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else { return Vec::new() };
    dir.flatten().map(|e| format!("{:?} -> {:?}", e.file_name(), std::fs::read_link(e.path()).ok())).collect()
}

/// Waits (up to 5 s) for the count to fall to `target`; returns the last count.
fn settle(target: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let n = open_fds();
        if n <= target || Instant::now() > deadline {
            return n;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn client(emu: &Emulator) -> Client {
    let config = Config::builder()
        .region(emu.region().to_owned())
        .endpoint_url(emu.url())
        .credentials(Credentials::new("test", "test", None))
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .expect("config");
    Client::with_env(config, &|_| None).expect("client builds")
}

#[test]
fn connections_leave_no_descriptor_behind() {
    // This thread's own client runtime (the core keeps one per calling
    // thread, for the thread's life) is made before counting.
    {
        let warm = Emulator::start(EmulatorConfig::default()).expect("emulator");
        client(&warm).call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("call");
    }
    let before_start = open_fds();
    let emu = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let serving = open_fds();
    let addr = emu.addr();

    // Clean requests, each on a connection of its own.
    for _ in 0..200 {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.write_all(b"GET /_emulator/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").expect("send");
        let mut out = Vec::new();
        s.read_to_end(&mut out).expect("read");
        assert!(out.starts_with(b"HTTP/1.1 200"));
    }
    // Connections dropped mid-request, or before sending anything.
    for i in 0..200 {
        let mut s = TcpStream::connect(addr).expect("connect");
        if i % 2 == 0 {
            s.write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{").expect("send");
        }
    }
    // Resets injected under the client, which retries on new connections.
    emu.inject(Fault::new(FaultKind::Reset).count(100));
    let c = client(&emu);
    let mut done = 0;
    for _ in 0..150 {
        if c.call_json("ListIdentityPools", &json!({"MaxResults": 1})).is_ok() {
            done += 1;
        }
    }
    assert!(done > 0, "calls succeed once the resets are used up");
    // Many clients at once, each with keep-alive connections, on threads.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let c = client(&emu);
            std::thread::spawn(move || {
                for _ in 0..50 {
                    c.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("call");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    drop(c);

    let after = settle(serving);
    assert!(after <= serving, "descriptors leaked while serving: {serving} then {after}: {:#?}", describe_fds());
    emu.shutdown();
    let stopped = settle(before_start);
    assert!(
        stopped <= before_start,
        "descriptors leaked by shutdown: {before_start} before start, {stopped} after: {:#?}",
        describe_fds()
    );
}
