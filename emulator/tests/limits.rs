//! Bounded memory: the identity cap, the fault queue and request log caps,
//! and the request body limit.

mod common;

use cognito_identity_emulator::EmulatorConfig;
use cognito_identity_emulator::faults::MAX_PENDING;
use cognito_identity_emulator::server::MAX_REQUEST_BODY;
use common::{send, start, start_with};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn the_identity_cap_answers_limit_exceeded_as_the_service_does() {
    let api = start_with(EmulatorConfig { max_identities: Some(3), ..EmulatorConfig::default() });
    let pool = api.create_pool(json!({
        "DeveloperProviderName": "login.dev",
        "SupportedLoginProviders": {"graph.facebook.com": "app"},
    }))["IdentityPoolId"]
        .clone();
    let other = api.create_pool(json!({}))["IdentityPoolId"].clone();
    let alice = json!({"graph.facebook.com": "alice"});
    let first = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": alice}))["IdentityId"].clone();
    for _ in 0..2 {
        api.ok("GetId", json!({"IdentityPoolId": pool}));
    }
    let r = api.call("GetId", json!({"IdentityPoolId": pool}));
    r.assert_error(400, "LimitExceededException");
    assert!(r.message().contains("limit of 3 identities"), "{}", r.message());
    // A login already linked needs no new identity; a new user does.
    assert_eq!(api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": alice}))["IdentityId"], first);
    let r = api.call("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "bob"}}));
    r.assert_error(400, "LimitExceededException");
    let r = api.call(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "Logins": {"login.dev": "someone"}}),
    );
    r.assert_error(400, "LimitExceededException");
    // The cap is per pool, and deleting identities makes room again.
    api.ok("GetId", json!({"IdentityPoolId": other}));
    api.ok("DeleteIdentities", json!({"IdentityIdsToDelete": [first]}));
    api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "bob"}}));
    assert_eq!(api.emu.identity_count(), 4);
    let health = api.get("/_emulator/health").ok();
    assert_eq!((health["identities"].clone(), health["max_identities"].clone()), (json!(4), json!(3)));
    // Deleting the pool forgets its identities and their count.
    api.ok("DeleteIdentityPool", json!({"IdentityPoolId": pool}));
    assert_eq!(api.emu.identity_count(), 1);
}

#[test]
fn no_cap_by_default() {
    let api = start();
    assert_eq!(api.emu.config().max_identities, None);
    let pool = api.create_pool(json!({}))["IdentityPoolId"].clone();
    for _ in 0..50 {
        api.ok("GetId", json!({"IdentityPoolId": pool}));
    }
    assert_eq!(api.get("/_emulator/health").ok()["identities"], 50);
}

#[test]
fn the_fault_queue_keeps_the_newest_faults() {
    let api = start();
    let many: Vec<_> = (0..MAX_PENDING + 10).map(|i| json!({"kind": "delay", "delay_ms": i})).collect();
    let r = api.control("POST", "/_emulator/faults", json!(many)).ok();
    assert_eq!(r["dropped"], 10);
    let pending = api.get("/_emulator/faults").ok();
    let pending = pending["faults"].as_array().expect("list");
    assert_eq!(pending.len(), MAX_PENDING);
    assert_eq!(pending[0]["delay_ms"], 10);
    assert_eq!(api.get("/_emulator/health").ok()["pending_faults"], MAX_PENDING);
}

#[test]
fn a_body_over_the_limit_is_refused_unread_and_the_log_stays_small() {
    let api = start();
    // Only the head is sent: the answer must come without the body being read.
    let mut s = TcpStream::connect(api.emu.addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let head = format!(
        "POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: AWSCognitoIdentityService.GetId\r\ncontent-length: {}\r\n\r\n",
        MAX_REQUEST_BODY + 1
    );
    s.write_all(head.as_bytes()).expect("send");
    let mut answer = vec![0; 4096];
    let n = s.read(&mut answer).expect("an answer before the body");
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("RequestEntityTooLargeException"), "{answer}");
    assert!(api.emu.requests().is_empty(), "a refused body is not logged");

    // A body under the limit but too big to log is served, and logged as a note.
    let headers = [("x-amz-target".to_owned(), "AWSCognitoIdentityService.GetId".to_owned())];
    let mut body = json!({"IdentityPoolId": "us-east-1:0000"}).to_string();
    body.push_str(&" ".repeat(100 * 1024));
    let r = send(api.emu.addr(), "POST", "/", &headers, body.as_bytes()).expect("an answer");
    r.assert_error(400, "ResourceNotFoundException");
    let log = api.emu.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["body"], format!("<{} bytes, not logged>", body.len()));
    assert_eq!(api.get("/_emulator/health").ok()["logged_requests"], 1);
}
