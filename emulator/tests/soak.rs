//! The emulator under load with faults: 16 threads, each with its own core
//! `Client` (blocking), run a mix of operations against the emulator binary
//! while a 17th thread injects faults (throttle, 503, delay, reset,
//! malformed) through the control endpoint. The only errors allowed are the
//! injected ones (what the client's retries could not absorb). The emulator
//! runs as its own process, so its memory and file descriptors are its own.
//!
//! `soak_briefly` runs in the normal suite (3 s). The full run is ignored by
//! default: `SOAK_SECONDS=60 cargo test -p cognito-identity-emulator --release
//! --test soak -- --ignored --nocapture` prints the figures kept in the README.

use cognito_identity::{Client, Config, Credentials, Error};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const THREADS: usize = 16;

/// Error codes the injected faults produce, by fault.
const INJECTED: &[(&str, &str)] = &[
    ("throttle", "TooManyRequestsException"),
    ("status", "ServiceUnavailableException"),
    ("reset", "ConnectionClosedError"),
    ("malformed", "ResponseParserError"),
];

/// The emulator binary, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-identity-emulator"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the emulator binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("the first line");
        let url = line.trim().strip_prefix("cognito-identity-emulator listening on http://").expect("the URL line");
        Server { addr: url.parse().expect("an address"), child }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A `/proc/PID/status` field in kB (`VmHWM`: peak resident set size).
    fn status_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field).and_then(|r| r.trim().trim_end_matches("kB").trim().parse().ok()))
            .unwrap_or(0)
    }

    fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id())).map_or(0, Iterator::count)
    }

    /// A control request on a connection of its own.
    fn control(&self, method: &str, path: &str, body: &str) -> Value {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        s.write_all(request.as_bytes()).expect("send");
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("read");
        let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).unwrap_or(Value::Null)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url.to_owned())
        .credentials(Credentials::new("test", "test", None))
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(5))
        .read_timeout(Duration::from_secs(10))
        .build()
        .expect("config");
    Client::with_env(config, &|_| None).expect("client builds")
}

/// What the threads saw.
#[derive(Debug, Default)]
struct Tally {
    calls: AtomicU64,
    /// HTTP requests sent: calls plus their retries.
    requests: AtomicU64,
    injected_errors: Mutex<BTreeMap<String, u64>>,
    unexpected: Mutex<Vec<String>>,
}

impl Tally {
    /// Counts a call; an error must be one that a fault explains.
    fn record(&self, op: &str, result: Result<Value, Error>) -> Option<Value> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(out) => {
                let retries = out["ResponseMetadata"]["RetryAttempts"].as_u64().unwrap_or(0);
                self.requests.fetch_add(1 + retries, Ordering::Relaxed);
                Some(out)
            }
            Err(e) => {
                self.requests.fetch_add(1 + u64::from(e.retry_attempts()), Ordering::Relaxed);
                if INJECTED.iter().any(|(_, code)| *code == e.code()) {
                    *self.injected_errors.lock().expect("tally").entry(e.code().to_owned()).or_default() += 1;
                } else {
                    self.unexpected.lock().expect("tally").push(format!("{op}: {} {}", e.code(), e.message()));
                }
                None
            }
        }
    }
}

/// One thread's pool, made before the faults start.
fn setup_pool(client: &Client, t: usize) -> String {
    let pool = client
        .call_json(
            "CreateIdentityPool",
            &json!({
                "IdentityPoolName": format!("soak{t}"),
                "AllowUnauthenticatedIdentities": true,
                "SupportedLoginProviders": {"graph.facebook.com": "app"},
                "DeveloperProviderName": "login.soak",
            }),
        )
        .expect("create pool");
    let id = pool["IdentityPoolId"].as_str().expect("pool id").to_owned();
    client
        .call_json(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": id, "Roles": {
                "authenticated": "arn:aws:iam::123456789012:role/Auth",
                "unauthenticated": "arn:aws:iam::123456789012:role/Unauth"}}),
        )
        .expect("roles");
    id
}

/// One round of mixed operations; stops at the first (injected) error, since
/// later steps depend on earlier ones. Identities stay bounded: 20 users per
/// thread, and each unauthenticated identity is deleted again.
fn round(client: &Client, tally: &Tally, pool: &str, t: usize, i: usize) -> Option<()> {
    let call = |op: &str, input: Value| tally.record(op, client.call_json(op, &input));
    let logins = json!({"graph.facebook.com": format!("user-{t}-{}", i % 20)});
    let id = call("GetId", json!({"IdentityPoolId": pool, "Logins": logins}))?["IdentityId"].clone();
    call("GetCredentialsForIdentity", json!({"IdentityId": id, "Logins": logins}))?;
    call("GetOpenIdToken", json!({"IdentityId": id, "Logins": logins}))?;
    call("DescribeIdentity", json!({"IdentityId": id}))?;
    call("DescribeIdentityPool", json!({"IdentityPoolId": pool}))?;
    call("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 10}))?;
    let dev = format!("dev-{t}-{}", i % 20);
    call("GetOpenIdTokenForDeveloperIdentity", json!({"IdentityPoolId": pool, "Logins": {"login.soak": dev}}))?;
    call("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "DeveloperUserIdentifier": dev, "MaxResults": 5}))?;
    let arn = format!("arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool}");
    call("TagResource", json!({"ResourceArn": arn, "Tags": {"round": (i % 7).to_string()}}))?;
    call("ListTagsForResource", json!({"ResourceArn": arn}))?;
    call("GetIdentityPoolRoles", json!({"IdentityPoolId": pool}))?;
    call("ListIdentityPools", json!({"MaxResults": 60}))?;
    let unauth = call("GetId", json!({"IdentityPoolId": pool}))?["IdentityId"].clone();
    call("DeleteIdentities", json!({"IdentityIdsToDelete": [unauth]}))?;
    Some(())
}

/// The figures of one run.
#[derive(Debug)]
struct Figures {
    seconds: f64,
    calls: u64,
    requests: u64,
    faults: BTreeMap<&'static str, u64>,
    injected_errors: BTreeMap<String, u64>,
    unexpected: Vec<String>,
    peak_rss_kb: u64,
    rss_kb: u64,
    fds_before: usize,
    fds_after: usize,
    identities: u64,
    issued_keys: u64,
}

fn soak(duration: Duration) -> Figures {
    let server = Server::start();
    let url = server.url();
    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<Client> = (0..THREADS).map(|_| client(&url)).collect();
    let pools: Vec<String> = clients.iter().enumerate().map(|(t, c)| setup_pool(c, t)).collect();
    let fds_before = server.open_fds();

    let started = Instant::now();
    let workers: Vec<_> = clients
        .into_iter()
        .zip(pools)
        .enumerate()
        .map(|(t, (client, pool))| {
            let (tally, stop) = (tally.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let _ = round(&client, &tally, &pool, t, i);
                    i += 1;
                }
            })
        })
        .collect();

    // Faults, one every 20 ms, each for the next request of any operation.
    let kinds = [
        ("throttle", json!({"kind": "throttle"})),
        ("status", json!({"kind": "status", "status": 503})),
        ("delay", json!({"kind": "delay", "delay_ms": 200})),
        ("reset", json!({"kind": "reset"})),
        ("malformed", json!({"kind": "malformed"})),
    ];
    let mut faults: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut n = 0usize;
    while started.elapsed() < duration {
        let (name, fault) = &kinds[n % kinds.len()];
        let answer = server.control("POST", "/_emulator/faults", &fault.to_string());
        assert_eq!(answer["queued"][0]["kind"], json!(name), "{answer}");
        *faults.entry(name).or_default() += 1;
        n += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().expect("a worker thread");
    }
    let seconds = started.elapsed().as_secs_f64();
    let health = server.control("GET", "/_emulator/health", "");
    // The clients' keep-alive connections are gone with the clients; give the
    // server a moment to see them close.
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.open_fds() > fds_before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let tally = Arc::try_unwrap(tally).expect("the workers are done");
    Figures {
        seconds,
        calls: tally.calls.into_inner(),
        requests: tally.requests.into_inner(),
        faults,
        injected_errors: tally.injected_errors.into_inner().expect("tally"),
        unexpected: tally.unexpected.into_inner().expect("tally"),
        peak_rss_kb: server.status_kb("VmHWM:"),
        rss_kb: server.status_kb("VmRSS:"),
        fds_before,
        fds_after: server.open_fds(),
        identities: health["identities"].as_u64().unwrap_or(0),
        issued_keys: health["issued_keys"].as_u64().unwrap_or(0),
    }
}

fn check(f: &Figures) {
    eprintln!("{f:#?}");
    eprintln!(
        "soak: {:.0} s, {} calls ({:.0}/s), {} requests ({:.0}/s), peak RSS {} MiB (now {} MiB), \
         {} identities, {} issued keys, faults {:?}, injected errors {:?}",
        f.seconds,
        f.calls,
        f.calls as f64 / f.seconds,
        f.requests,
        f.requests as f64 / f.seconds,
        f.peak_rss_kb / 1024,
        f.rss_kb / 1024,
        f.identities,
        f.issued_keys,
        f.faults,
        f.injected_errors
    );
    assert!(f.unexpected.is_empty(), "errors no fault explains: {:#?}", f.unexpected);
    // Each surfaced error is one the faults caused: never more of a kind
    // than faults of that kind were injected.
    for (fault, code) in INJECTED {
        let seen = f.injected_errors.get(*code).copied().unwrap_or(0);
        let injected = f.faults.get(fault).copied().unwrap_or(0);
        assert!(seen <= injected, "{seen} {code} errors from {injected} {fault} faults");
    }
    assert!(f.calls > 0 && f.requests >= f.calls);
    assert!(f.fds_after <= f.fds_before, "file descriptors leaked: {} before, {} after", f.fds_before, f.fds_after);
    // 16 threads x (20 users + 20 developer users + 1 unauthenticated in
    // flight), plus at most one per fault: a fault can cut a round between
    // its unauthenticated GetId and the DeleteIdentities of that identity.
    // Bounded by the faults, never by the calls (2,500 calls a second).
    let faults: u64 = f.faults.values().sum();
    assert!(
        f.identities <= (THREADS * 41) as u64 + faults,
        "{} identities from {} calls and {faults} faults",
        f.identities,
        f.calls
    );
}

#[test]
fn soak_briefly() {
    check(&soak(Duration::from_secs(3)));
}

#[test]
#[ignore = "a long run: SOAK_SECONDS=60 cargo test --release --test soak -- --ignored --nocapture"]
fn soak_for_a_minute() {
    let seconds = std::env::var("SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    check(&soak(Duration::from_secs(seconds)));
}
