//! `Emulator::shutdown` with calls in flight: it returns promptly, and every
//! call ends, with a response or a connection error, none hangs.

use cognito_identity::{Client, Config, Credentials, ErrorKind};
use cognito_identity_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use serde_json::json;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url.to_owned())
        .credentials(Credentials::new("test", "test", None))
        .max_attempts(1)
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(30))
        .build()
        .expect("config");
    Client::with_env(config, &|_| None).expect("client builds")
}

#[test]
fn shutdown_with_calls_in_flight_neither_hangs_nor_loses_a_call() {
    let emu = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let url = emu.url();
    // Slow answers, so that calls are in flight when the server stops: some
    // finish within the grace period, some are cut.
    emu.inject(Fault::new(FaultKind::Delay).delay_ms(1_000).count(8));
    emu.inject(Fault::new(FaultKind::Delay).delay_ms(20_000).count(8));
    let (tx, rx) = mpsc::channel();
    for _ in 0..16 {
        let (tx, c) = (tx.clone(), client(&url));
        std::thread::spawn(move || {
            // Call until the server is gone; report every outcome.
            loop {
                let result = c.call_json("ListIdentityPools", &json!({"MaxResults": 1}));
                let stop = result.is_err();
                if tx.send(result.map(|_| ()).map_err(|e| (e.kind(), e.code().to_owned()))).is_err() || stop {
                    break;
                }
            }
            let _ = tx.send(Err((ErrorKind::Transport, "thread done".into())));
        });
    }
    drop(tx);
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    emu.shutdown();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(7), "shutdown took {took:?}");

    let (mut ok, mut failed, mut done) = (0, 0, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    while done < 16 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Ok(())) => ok += 1,
            Ok(Err((_, code))) if code == "thread done" => done += 1,
            Ok(Err((kind, code))) => {
                assert!(
                    matches!(kind, ErrorKind::Transport | ErrorKind::Timeout),
                    "a call ended with {kind:?} {code}, not a connection error"
                );
                failed += 1;
            }
            Err(_) => panic!("calls still hang 10 s after shutdown ({done} of 16 threads done)"),
        }
    }
    assert!(ok > 0 && failed >= 16, "{ok} answered, {failed} cut");
}
