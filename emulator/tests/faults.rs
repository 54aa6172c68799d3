//! Fault injection over HTTP and through the library.

mod common;

use cognito_identity_emulator::{Fault, FaultKind};
use common::start;
use serde_json::json;
use std::time::{Duration, Instant};

fn pool(api: &common::Api) -> serde_json::Value {
    api.create_pool(json!({}))["IdentityPoolId"].clone()
}

#[test]
fn throttle_the_next_n_requests_of_one_operation() {
    let api = start();
    let pool = pool(&api);
    let r = api.control("POST", "/_emulator/faults", json!({"kind": "throttle", "count": 2, "operation": "GetId"}));
    assert_eq!(r.ok()["queued"][0]["kind"], "throttle");
    // Other operations pass.
    api.ok("DescribeIdentityPool", json!({"IdentityPoolId": pool}));
    for _ in 0..2 {
        let r = api.call("GetId", json!({"IdentityPoolId": pool}));
        r.assert_error(400, "TooManyRequestsException");
        assert_eq!(r.message(), "Rate exceeded");
        assert!(r.header("x-amzn-requestid").is_some());
    }
    api.ok("GetId", json!({"IdentityPoolId": pool}));
}

#[test]
fn status_faults_answer_with_the_given_status() {
    let api = start();
    api.control("POST", "/_emulator/faults", json!([{"kind": "status", "status": 503}, {"kind": "status"}])).ok();
    let r = api.call("ListIdentityPools", json!({"MaxResults": 1}));
    r.assert_error(503, "ServiceUnavailableException");
    let r = api.call("ListIdentityPools", json!({"MaxResults": 1}));
    r.assert_error(500, "InternalErrorException");
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
}

#[test]
fn reset_closes_the_connection_without_an_answer() {
    let api = start();
    api.emu.inject(Fault::new(FaultKind::Reset));
    let result = api.raw(&[("x-amz-target".into(), "AWSCognitoIdentityService.GetId".into())], b"{}");
    assert!(result.is_err(), "expected no response, got {result:?}");
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
}

#[test]
fn malformed_and_truncated_bodies() {
    let api = start();
    let pool = pool(&api);
    api.control("POST", "/_emulator/faults", json!({"kind": "malformed"})).ok();
    let r = api.call("DescribeIdentityPool", json!({"IdentityPoolId": pool}));
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    api.control("POST", "/_emulator/faults", json!({"kind": "truncated"})).ok();
    let r = api.call("DescribeIdentityPool", json!({"IdentityPoolId": pool}));
    assert_eq!(r.status, 200);
    let announced = r.content_length.expect("content-length");
    assert!(r.body.len() < announced, "got {} of {announced} bytes", r.body.len());
    assert!(r.body.starts_with(b"{"));
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
}

#[test]
fn delay_then_serve_normally() {
    let api = start();
    api.emu.inject(Fault::new(FaultKind::Delay).delay_ms(300).operation("ListIdentityPools"));
    let t = Instant::now();
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
    assert!(t.elapsed() < Duration::from_millis(300));
}

#[test]
fn faults_can_be_listed_cleared_and_are_checked() {
    let api = start();
    api.control("POST", "/_emulator/faults", json!({"kind": "throttle", "count": 5})).ok();
    assert_eq!(api.get("/_emulator/faults").ok()["faults"][0]["count"], 5);
    api.control("DELETE", "/_emulator/faults", json!({})).ok();
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
    for bad in [
        json!({"kind": "explode"}),
        json!({"kind": "status", "status": 42}),
        json!({"kind": "throttle", "operation": "NoSuchOp"}),
        json!({}),
    ] {
        assert_eq!(api.control("POST", "/_emulator/faults", bad).status, 400);
    }
    assert_eq!(api.control("POST", "/_emulator/faults", json!("{not json")).status, 400);
}
