//! aws-sdk-cognitoidentity (the official AWS SDK for Rust) under the bench protocol:
//!   rust-peer-bench URL OP THREADS CALLS_PER_THREAD MAX_SECS WARMUP
//! prints one JSON line {"calls","secs","maxrss_kb"}. THREADS tasks share one client
//! on a multi-thread tokio runtime (how users of this async SDK run concurrent calls).
use aws_sdk_cognitoidentity as ci;
use std::time::{Duration, Instant};

const POOL: &str = "us-east-1:00000000-0000-0000-0000-000000000000";

async fn one(client: &ci::Client, op: &str) {
    let ok = match op {
        "GetId" => client.get_id().identity_pool_id(POOL).send().await.map(|o| o.identity_id.is_some()).map_err(|e| format!("{e:?}")),
        _ => client
            .describe_identity_pool()
            .identity_pool_id(POOL)
            .send()
            .await
            .map(|o| !o.identity_pool_name.is_empty())
            .map_err(|e| format!("{e:?}")),
    };
    match ok {
        Ok(true) => {}
        other => panic!("bad result: {other:?}"),
    }
}

#[path = "../measure.rs"]
mod measure;
use measure::{cpu_seconds, maxrss_kb};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (url, op) = (a[1].clone(), a[2].clone());
    let threads: usize = a[3].parse().unwrap();
    let calls: u64 = a[4].parse().unwrap();
    let max = Duration::from_secs_f64(a[5].parse().unwrap());
    let warmup: u64 = a[6].parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let conf = ci::Config::builder()
            .behavior_version(ci::config::BehaviorVersion::latest())
            .region(ci::config::Region::new("us-east-1"))
            .credentials_provider(ci::config::Credentials::new("test", "test", None, None, "bench"))
            .endpoint_url(url)
            .build();
        let client = ci::Client::from_conf(conf);
        for _ in 0..warmup {
            one(&client, &op).await;
        }
        let cpu0 = cpu_seconds();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..threads {
            let (client, op) = (client.clone(), op.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while n < calls && start.elapsed() < max {
                    one(&client, &op).await;
                    n += 1;
                }
                n
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        println!("{{\"calls\":{total},\"secs\":{secs},\"cpu_s\":{},\"maxrss_kb\":{}}}", cpu_seconds() - cpu0, maxrss_kb());
    });
}
