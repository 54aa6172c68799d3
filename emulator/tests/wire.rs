//! The awsJson1_1 wire protocol, control endpoints, the library entry point
//! and the binary.

mod common;

use cognito_identity_emulator::{Emulator, EmulatorConfig};
use common::{send, start};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn responses_carry_request_id_date_and_content_type() {
    let api = start();
    let r = api.call("ListIdentityPools", json!({"MaxResults": 1}));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    let rid = r.header("x-amzn-requestid").expect("request id");
    assert_eq!(rid.len(), 36);
    httpdate::parse_http_date(r.header("date").expect("date")).expect("HTTP date");
    assert_eq!(r.json(), json!({"IdentityPools": []}));
}

#[test]
fn unknown_targets_and_bad_bodies() {
    let api = start();
    let h = |target: &str| {
        vec![
            ("x-amz-target".to_owned(), target.to_owned()),
            ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ]
    };
    let r = api.raw(&h("AWSCognitoIdentityService.MakeCoffee"), b"{}").expect("response");
    r.assert_error(400, "UnknownOperationException");
    let r = api.raw(&[], b"{}").expect("response");
    r.assert_error(400, "UnknownOperationException");
    let r = api.raw(&h("AWSCognitoIdentityService.GetId"), b"{not json").expect("response");
    r.assert_error(400, "SerializationException");
    let r = api.raw(&h("AWSCognitoIdentityService.GetId"), b"[1,2]").expect("response");
    r.assert_error(400, "SerializationException");
    // An empty body is an empty input: GetId then misses its pool id.
    let r = api.raw(&h("AWSCognitoIdentityService.GetId"), b"").expect("response");
    r.assert_error(400, "ValidationException");
    // Validation errors name the member and the rule.
    let r = api.call("GetId", json!({"IdentityPoolId": "us-east-1_NotAnIdentityPool"}));
    r.assert_error(400, "ValidationException");
    assert!(r.message().contains("IdentityPoolId") && r.message().contains("pattern"), "{}", r.message());
}

#[test]
fn request_log_redacts_secrets() {
    let api = start();
    let pool =
        api.create_pool(json!({"SupportedLoginProviders": {"graph.facebook.com": "1"}}))["IdentityPoolId"].clone();
    api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "super-secret-token"}}));
    let log = api.get("/_emulator/requests").ok();
    let text = log.to_string();
    assert!(!text.contains("super-secret-token"));
    let entries = log["requests"].as_array().expect("list");
    let last = entries.last().expect("entry");
    assert_eq!(last["operation"], "GetId");
    assert_eq!(last["service"], "cognito-identity");
    assert_eq!(last["method"], "POST");
    assert_eq!(last["path"], "/");
    assert_eq!(last["status"], 200);
    assert_eq!(last["body"]["Logins"]["graph.facebook.com"], "<redacted>");
    assert_eq!(last["headers"]["x-amz-target"], "AWSCognitoIdentityService.GetId");
    let create = &entries[0];
    assert_eq!(create["operation"], "CreateIdentityPool");
    assert_eq!(create["headers"]["authorization"], "<redacted>");
    api.control("DELETE", "/_emulator/requests", json!({})).ok();
    assert_eq!(api.get("/_emulator/requests").ok()["requests"], json!([]));
}

#[test]
fn reset_clears_state_and_health_answers() {
    let api = start();
    let pool = api.create_pool(json!({}))["IdentityPoolId"].clone();
    assert_eq!(api.get("/_emulator/health").ok()["status"], "ok");
    api.control("POST", "/_emulator/reset", json!({})).ok();
    api.call("DescribeIdentityPool", json!({"IdentityPoolId": pool})).assert_error(400, "ResourceNotFoundException");
    assert_eq!(api.get("/_emulator/nothing").status, 404);
}

#[test]
fn concurrent_requests_are_safe() {
    let api = start();
    let pool =
        api.create_pool(json!({"SupportedLoginProviders": {"graph.facebook.com": "1"}}))["IdentityPoolId"].clone();
    std::thread::scope(|s| {
        for t in 0..8 {
            let api = &api;
            let pool = pool.clone();
            s.spawn(move || {
                for i in 0..10 {
                    // Every thread logs in the same ten users: one identity each.
                    let r = api.ok(
                        "GetId",
                        json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": format!("user{i}")}}),
                    );
                    assert!(r["IdentityId"].is_string(), "thread {t}");
                }
            });
        }
    });
    let all = api.ok("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 60}));
    assert_eq!(all["Identities"].as_array().expect("list").len(), 10);
}

#[test]
fn starts_inside_a_tokio_runtime_and_stops_on_drop() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("rt");
    let addr = rt.block_on(async {
        let emu = Emulator::start(EmulatorConfig::default()).expect("starts in async context");
        let addr = emu.addr();
        let r = send(addr, "GET", "/_emulator/health", &[], b"").expect("health");
        assert_eq!(r.status, 200);
        drop(emu);
        addr
    });
    assert!(send(addr, "GET", "/_emulator/health", &[], b"").is_err(), "stopped on drop");
    let emu = Emulator::start(EmulatorConfig::default()).expect("starts");
    assert!(emu.url().starts_with("http://127.0.0.1:"));
    let addr = emu.addr();
    emu.shutdown();
    assert!(send(addr, "GET", "/_emulator/health", &[], b"").is_err(), "stopped by shutdown");
}

#[test]
fn binary_prints_its_url_writes_the_port_file_and_stops_on_sigterm() {
    let port_file = std::env::temp_dir().join(format!("emu-port-{}", std::process::id()));
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-identity-emulator"))
        .args(["--port", "0", "--region", "eu-west-1", "--port-file"])
        .arg(&port_file)
        .env("COGNITO_EMULATOR_ACCESS_KEYS", "AKID:SECRET")
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let startup = started.elapsed();
    let url = line
        .trim()
        .strip_prefix("cognito-identity-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = url.rsplit(':').next().expect("port").parse().expect("number");
    assert_eq!(std::fs::read_to_string(&port_file).expect("port file").trim(), port.to_string());
    assert!(startup < Duration::from_secs(2), "took {startup:?}");
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let health = send(addr, "GET", "/_emulator/health", &[], b"").expect("health").json();
    assert_eq!(health["regions"], json!(["eu-west-1"]));

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    let status = stopped(&mut child);
    assert!(status.success(), "exit status {status}");
    let _ = std::fs::remove_file(port_file);

    let help = Command::new(env!("CARGO_BIN_EXE_cognito-identity-emulator")).arg("--help").output().expect("help");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--access-key"));
    let bad = Command::new(env!("CARGO_BIN_EXE_cognito-identity-emulator")).arg("--nope").output().expect("bad flag");
    assert_eq!(bad.status.code(), Some(2));
}

/// The child's exit status, once it has stopped (within 5 s).
fn stopped(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn a_sigterm_sent_as_soon_as_it_says_it_listens_stops_it_cleanly() {
    // A supervisor (or a test) may stop it the moment it announces itself:
    // the signals must be handled by then, not meet their default action.
    for round in 0..20 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-identity-emulator"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
        assert!(line.starts_with("cognito-identity-emulator listening on "), "{line:?}");
        let pid = libc::pid_t::try_from(child.id()).expect("a pid");
        // SAFETY: kill(2) on our own child, not reaped yet (so the pid is still its).
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let status = stopped(&mut child);
        assert!(status.success(), "round {round}: exit status {status}");
    }
}
