//! The core client (`cognito_identity::Client`) against the emulator: the
//! same flows as a user of the crate would run.

use cognito_identity::{Client, Config, Credentials, ErrorKind};
use cognito_identity_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use serde_json::{Value, json};
use std::time::Duration;

fn client_for(emu: &Emulator, creds: Option<Credentials>) -> Client {
    let mut builder = Config::builder()
        .region(emu.region())
        .endpoint_url(emu.url())
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10));
    if let Some(creds) = creds {
        builder = builder.credentials(creds);
    }
    let config = builder.build().expect("config");
    // No environment or shared files: the test sees only what it configured.
    Client::with_env(config, &|_| None).expect("client builds")
}

fn setup() -> (Emulator, Client) {
    let emu = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let key = emu.access_key();
    let client = client_for(&emu, Some(Credentials::new(key.id, key.secret, None)));
    (emu, client)
}

#[test]
fn full_identity_flow_through_the_client() {
    let (_emu, client) = setup();
    let pool = client
        .call_json(
            "CreateIdentityPool",
            &json!({
                "IdentityPoolName": "ClientPool",
                "AllowUnauthenticatedIdentities": true,
                "SupportedLoginProviders": {"graph.facebook.com": "1"},
            }),
        )
        .expect("create");
    let pool_id = pool["IdentityPoolId"].as_str().expect("id").to_owned();
    assert_eq!(pool["ResponseMetadata"]["HTTPStatusCode"], 200);
    client
        .call_json(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": pool_id, "Roles": {
            "authenticated": "arn:aws:iam::123456789012:role/A",
            "unauthenticated": "arn:aws:iam::123456789012:role/U"}}),
        )
        .expect("roles");
    let logins = json!({"graph.facebook.com": "alice"});
    let id =
        client.call_json("GetId", &json!({"IdentityPoolId": pool_id, "Logins": logins})).expect("get id")["IdentityId"]
            .clone();
    let creds = client
        .call_json("GetCredentialsForIdentity", &json!({"IdentityId": id, "Logins": logins}))
        .expect("credentials");
    assert!(creds["Credentials"]["AccessKeyId"].as_str().expect("key").starts_with("ASIA"));
    let token = client.call_json("GetOpenIdToken", &json!({"IdentityId": id, "Logins": logins})).expect("token");
    assert!(token["Token"].as_str().expect("jwt").split('.').count() == 3);

    // The temporary credentials sign requests of their own.
    let c = &creds["Credentials"];
    let emu_client = client_for(
        &_emu,
        Some(Credentials::new(
            c["AccessKeyId"].as_str().expect("id"),
            c["SecretKey"].as_str().expect("secret"),
            c["SessionToken"].as_str().map(str::to_owned),
        )),
    );
    let described = emu_client
        .call_json("DescribeIdentityPool", &json!({"IdentityPoolId": pool_id}))
        .expect("describe with temporary keys");
    assert_eq!(described["IdentityPoolName"], "ClientPool");
}

#[test]
fn unsigned_operations_work_without_credentials() {
    let (emu, client) = setup();
    let pool_id = client
        .call_json("CreateIdentityPool", &json!({"IdentityPoolName": "P", "AllowUnauthenticatedIdentities": true}))
        .expect("create")["IdentityPoolId"]
        .clone();
    let anonymous = client_for(&emu, None);
    anonymous.call_json("GetId", &json!({"IdentityPoolId": pool_id})).expect("GetId needs no credentials");
    let logged = emu.requests();
    let get_id = logged.iter().rev().find(|r| r["operation"] == "GetId").expect("logged");
    assert!(get_id["headers"].get("authorization").is_none(), "GetId went out unsigned");
}

#[test]
fn service_errors_reach_the_caller_with_code_status_and_request_id() {
    let (_emu, client) = setup();
    let err = client
        .call_json("DescribeIdentityPool", &json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}))
        .expect_err("not found");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(err.http_status(), Some(400));
    assert!(err.request_id().is_some_and(|r| r.len() == 36));

    let emu2 = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let wrong = client_for(&emu2, Some(Credentials::new("test", "not-the-secret", None)));
    let err = wrong.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect_err("bad signature");
    assert_eq!(err.code(), "InvalidSignatureException");
    let unknown = client_for(&emu2, Some(Credentials::new("nobody", "x", None)));
    let err = unknown.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect_err("unknown key");
    assert_eq!(err.code(), "UnrecognizedClientException");
}

#[test]
fn the_client_retries_injected_throttling_and_5xx() {
    let (emu, client) = setup();
    emu.inject(Fault::new(FaultKind::Throttle).count(1));
    emu.inject(Fault::new(FaultKind::Status).status(503).count(1));
    let out = client.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("succeeds on the third attempt");
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 2);

    emu.inject(Fault::new(FaultKind::Throttle).count(5));
    let err = client.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect_err("gives up");
    assert_eq!(err.code(), "TooManyRequestsException");
    assert_eq!(err.retry_attempts(), 2);
    emu.clear_faults();

    emu.inject(Fault::new(FaultKind::Reset).count(1));
    client.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("a reset connection is retried");
}

#[test]
fn the_client_corrects_its_clock_from_the_date_header() {
    let (emu, client) = setup();
    emu.set_clock_offset(3600);
    let out = client.call_json("ListIdentityPools", &json!({"MaxResults": 1}));
    assert!(out.is_ok(), "clock skew not corrected: {out:?}");
}

/// AWS words a signature from the future "Signature not yet current: ...";
/// the core client recognises only "Signature expired" as clock skew so far.
#[test]
fn the_client_corrects_a_clock_that_runs_ahead_of_the_server() {
    let (emu, client) = setup();
    emu.set_clock_offset(-3600);
    let out = client.call_json("ListIdentityPools", &json!({"MaxResults": 1}));
    assert!(out.is_ok(), "negative clock skew not corrected: {out:?}");
}

#[test]
fn paginates_through_the_client() {
    let (_emu, client) = setup();
    for i in 0..5 {
        client
            .call_json(
                "CreateIdentityPool",
                &json!({"IdentityPoolName": format!("p{i}"), "AllowUnauthenticatedIdentities": false}),
            )
            .expect("create");
    }
    let mut names = Vec::new();
    let mut input = json!({"MaxResults": 2});
    loop {
        let page = client.call_json("ListIdentityPools", &input).expect("page");
        names.extend(page["IdentityPools"].as_array().expect("list").iter().map(|p| p["IdentityPoolName"].clone()));
        match page.get("NextToken").filter(|t| !t.is_null()) {
            Some(t) => input["NextToken"] = t.clone(),
            None => break,
        }
    }
    let expected: Vec<Value> = (0..5).map(|i| json!(format!("p{i}"))).collect();
    assert_eq!(names, expected);
}
