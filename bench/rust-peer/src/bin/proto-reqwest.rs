//! Not a client: a measurement of the core's transport design, to size the
//! hot-path suggestions in bench/analysis.md. The same POST as ours (same
//! headers and body, unsigned, no JSON parse) through reqwest, two ways:
//!   mt: one multi-thread runtime (2 workers) shared by every caller thread, each
//!       call `rt.block_on(..)` from the caller: the design of core/src/runtime.rs;
//!   ct: one current_thread runtime and one reqwest::Client per caller thread,
//!       so block_on drives the socket on the caller's own thread (no hand-off).
//!   proto-reqwest MODE URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

const BODY: &str = r#"{"IdentityPoolId":"us-east-1:00000000-0000-0000-0000-000000000000"}"#;

async fn one(client: &reqwest::Client, url: &str, target: &str) {
    let r = client
        .post(url)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", target)
        .header("amz-sdk-invocation-id", "5c1a8f52-7d4e-4b8a-9c3e-2f6b1d0e9a77")
        .header("amz-sdk-request", "attempt=1; max=3")
        .body(BODY)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let b = r.bytes().await.expect("body");
    assert!(b.len() > 10);
}

fn build_client() -> reqwest::Client {
    reqwest::Client::builder().tcp_nodelay(true).build().expect("client")
}

static MT: OnceLock<(tokio::runtime::Runtime, reqwest::Client)> = OnceLock::new();
thread_local! {
    static CT: OnceCell<(tokio::runtime::Runtime, reqwest::Client)> = const { OnceCell::new() };
}

fn call(mode: &str, url: &str, target: &str) {
    if mode == "mt" {
        let (rt, c) = MT.get_or_init(|| {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            let c = rt.block_on(async { build_client() });
            (rt, c)
        });
        rt.block_on(one(c, url, target));
    } else {
        CT.with(|cell| {
            let (rt, c) = cell.get_or_init(|| {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                let c = rt.block_on(async { build_client() });
                (rt, c)
            });
            rt.block_on(one(c, url, target));
        });
    }
}

#[path = "../measure.rs"]
mod measure;
use measure::{cpu_seconds, maxrss_kb};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let mode: Arc<str> = a[1].as_str().into();
    let url: Arc<str> = a[2].as_str().into();
    let target: Arc<str> = format!("AWSCognitoIdentityService.{}", a[3]).into();
    let threads: usize = a[4].parse().unwrap();
    let calls: u64 = a[5].parse().unwrap();
    let max = Duration::from_secs_f64(a[6].parse().unwrap());
    let warmup: u64 = a[7].parse().unwrap();
    for _ in 0..warmup {
        call(&mode, &url, &target);
    }
    let cpu0 = cpu_seconds();
        let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (mode, url, target) = (mode.clone(), url.clone(), target.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while n < calls && start.elapsed() < max {
                    call(&mode, &url, &target);
                    n += 1;
                }
                n
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let secs = start.elapsed().as_secs_f64();
    println!("{{\"calls\":{total},\"secs\":{secs},\"cpu_s\":{},\"maxrss_kb\":{}}}", cpu_seconds() - cpu0, maxrss_kb());
}
