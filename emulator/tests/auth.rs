//! SigV4 authentication as AWS answers it.

mod common;

use cognito_identity_emulator::{AccessKey, EmulatorConfig};
use common::{Signing, send, sign_headers, start, start_with};
use serde_json::json;
use std::time::{Duration, SystemTime};

const LIST: &str = "ListIdentityPools";

fn list_input() -> serde_json::Value {
    json!({"MaxResults": 5})
}

#[test]
fn signed_operations_need_a_signature() {
    let api = start();
    let r = api.call_unsigned(LIST, &list_input());
    r.assert_error(403, "MissingAuthenticationTokenException");
    assert_eq!(r.message(), "Missing Authentication Token");
    api.ok(LIST, list_input());
}

#[test]
fn unknown_keys_wrong_secrets_and_scopes_are_refused() {
    let api = start();
    let r = api.call_signed_with(LIST, &list_input(), &Signing::new("AKIDUNKNOWN", "test"));
    r.assert_error(400, "UnrecognizedClientException");
    assert_eq!(r.message(), "The security token included in the request is invalid.");

    let r = api.call_signed_with(LIST, &list_input(), &Signing::new("test", "wrong-secret"));
    r.assert_error(403, "InvalidSignatureException");
    assert!(r.message().starts_with("The request signature we calculated does not match"));

    let mut region = api.signing.clone();
    region.region = "eu-central-1".into();
    let r = api.call_signed_with(LIST, &list_input(), &region);
    r.assert_error(403, "InvalidSignatureException");
    assert!(r.message().contains("valid region"), "{}", r.message());

    let mut service = api.signing.clone();
    service.service = "cognito-idp".into();
    api.call_signed_with(LIST, &list_input(), &service).assert_error(403, "InvalidSignatureException");
}

#[test]
fn a_tampered_body_breaks_the_signature() {
    let api = start();
    let body = list_input().to_string();
    let mut headers = vec![
        ("host".to_owned(), api.emu.addr().to_string()),
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ("x-amz-target".to_owned(), format!("{}{LIST}", common::TARGET_PREFIX)),
    ];
    let added = common::sign_headers(&api.signing, &format!("{}/", api.emu.url()), &headers, body.as_bytes());
    headers.extend(added);
    let r = api.raw(&headers, br#"{"MaxResults": 6}"#).expect("response");
    r.assert_error(403, "InvalidSignatureException");
    let r = api.raw(&headers, body.as_bytes()).expect("response");
    assert_eq!(r.status, 200);
}

#[test]
fn signatures_expire_after_five_minutes_either_way() {
    let api = start();
    let mut old = api.signing.clone();
    old.time = SystemTime::now() - Duration::from_secs(600);
    let r = api.call_signed_with(LIST, &list_input(), &old);
    r.assert_error(403, "InvalidSignatureException");
    assert!(r.message().starts_with("Signature expired: "), "{}", r.message());
    assert!(r.message().contains(" is now earlier than "), "{}", r.message());

    let mut future = api.signing.clone();
    future.time = SystemTime::now() + Duration::from_secs(600);
    let r = api.call_signed_with(LIST, &list_input(), &future);
    r.assert_error(403, "InvalidSignatureException");
    assert!(r.message().starts_with("Signature not yet current: "), "{}", r.message());

    // Four minutes off is still fine.
    let mut near = api.signing.clone();
    near.time = SystemTime::now() - Duration::from_secs(240);
    assert_eq!(api.call_signed_with(LIST, &list_input(), &near).status, 200);
}

/// Regression for a fuzz finding (fuzz/corpus/emulator_request/regress-02-*):
/// a clock shifted before 1970 made every answer panic writing its `Date`.
#[test]
fn clock_shifts_beyond_a_century_are_refused_and_1970_is_the_floor() {
    let api = start();
    for offset in [i64::MIN, -3_155_760_001, 3_155_760_001, i64::MAX] {
        let r = api.control("POST", "/_emulator/clock", json!({"offset_seconds": offset}));
        assert_eq!(r.status, 400, "{offset}: {}", String::from_utf8_lossy(&r.body));
        assert!(String::from_utf8_lossy(&r.body).contains("100 years"));
    }
    assert_eq!(api.get("/_emulator/clock").ok()["offset_seconds"], 0);
    // The largest shift back reaches before 1970 today: the clock stops there,
    // and answers still carry a Date.
    let r = api.control("POST", "/_emulator/clock", json!({"offset_seconds": -3_153_600_000i64}));
    assert_eq!(r.ok()["now"], 0.0);
    let r = api.call(LIST, list_input());
    r.assert_error(403, "InvalidSignatureException");
    assert_eq!(r.header("date"), Some("Thu, 01 Jan 1970 00:00:00 GMT"));
    api.emu.set_clock_offset(i64::MIN);
    assert_eq!(api.get("/_emulator/clock").ok()["offset_seconds"], -3_153_600_000i64);
}

#[test]
fn the_server_clock_can_be_shifted() {
    let api = start();
    let r = api.control("POST", "/_emulator/clock", json!({"offset_seconds": 3600}));
    assert_eq!(r.ok()["offset_seconds"], 3600);
    let r = api.call(LIST, list_input());
    r.assert_error(403, "InvalidSignatureException");
    assert!(r.message().starts_with("Signature expired"));
    // The Date header shows the shifted clock, so a client can correct itself.
    let date = httpdate::parse_http_date(r.header("date").expect("date")).expect("http date");
    let skew = date.duration_since(SystemTime::now()).expect("ahead").as_secs();
    assert!((3590..=3610).contains(&skew), "skew {skew}");
    let mut corrected = api.signing.clone();
    corrected.time = date;
    assert_eq!(api.call_signed_with(LIST, &list_input(), &corrected).status, 200);
    api.emu.set_clock_offset(0);
    api.ok(LIST, list_input());
}

#[test]
fn unsigned_operations_need_no_signature() {
    let api = start();
    let pool = api.create_pool(json!({}))["IdentityPoolId"].clone();
    api.set_roles(pool.as_str().expect("id"));
    let id = api.call_unsigned("GetId", &json!({"IdentityPoolId": pool})).ok()["IdentityId"].clone();
    api.call_unsigned("GetCredentialsForIdentity", &json!({"IdentityId": id})).ok();
    api.call_unsigned("GetOpenIdToken", &json!({"IdentityId": id})).ok();
    let r = api.call_unsigned("UnlinkIdentity", &json!({"IdentityId": id, "Logins": {}, "LoginsToRemove": []}));
    r.assert_error(400, "NotAuthorizedException");
}

#[test]
fn configured_keys_and_issued_temporary_keys_are_accepted() {
    let api = start_with(EmulatorConfig {
        access_keys: vec![AccessKey::new("AKIA1", "secret1"), AccessKey::new("AKIA2", "secret2")],
        ..EmulatorConfig::default()
    });
    api.call_signed_with(LIST, &list_input(), &Signing::new("AKIA2", "secret2")).ok();
    api.call_signed_with(LIST, &list_input(), &Signing::new("test", "test"))
        .assert_error(400, "UnrecognizedClientException");

    // Credentials from GetCredentialsForIdentity sign requests, with their token.
    let pool = api.create_pool(json!({}))["IdentityPoolId"].clone();
    api.set_roles(pool.as_str().expect("id"));
    let id = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].clone();
    let creds = api.ok("GetCredentialsForIdentity", json!({"IdentityId": id}))["Credentials"].clone();
    let mut temp =
        Signing::new(creds["AccessKeyId"].as_str().expect("id"), creds["SecretKey"].as_str().expect("secret"));
    temp.session_token = Some(creds["SessionToken"].as_str().expect("token").to_owned());
    api.call_signed_with(LIST, &list_input(), &temp).ok();
    temp.session_token = Some("wrong".into());
    api.call_signed_with(LIST, &list_input(), &temp).assert_error(400, "UnrecognizedClientException");
    temp.session_token = None;
    api.call_signed_with(LIST, &list_input(), &temp).assert_error(400, "UnrecognizedClientException");

    // A session token is signed in with long-term keys too.
    let mut with_token = Signing::new("AKIA1", "secret1");
    with_token.session_token = Some("anything".into());
    api.call_signed_with(LIST, &list_input(), &with_token).ok();
    let logged = api.emu.requests();
    let last = logged.last().expect("logged");
    assert_eq!(last["headers"]["x-amz-security-token"], "<redacted>");
    assert_eq!(last["headers"]["authorization"], "<redacted>");
}

#[test]
fn malformed_authorization_headers_are_incomplete_signatures() {
    let api = start();
    let headers = vec![
        ("x-amz-target".to_owned(), format!("{}{LIST}", common::TARGET_PREFIX)),
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        (
            "authorization".to_owned(),
            "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/cognito-identity/aws4_request".to_owned(),
        ),
        ("x-amz-date".to_owned(), "20240101T000000Z".to_owned()),
    ];
    let r = api.raw(&headers, list_input().to_string().as_bytes()).expect("response");
    r.assert_error(400, "IncompleteSignatureException");
}

/// Regression for a fuzz finding (fuzz/corpus/emulator_request/regress-03-*):
/// a query holding `+` signed by aws-sigv4 (which reads `+` as a space, as
/// the services do) was refused with InvalidSignatureException.
#[test]
fn a_query_with_plus_signs_verifies_as_aws_sigv4_signs_it() {
    let api = start();
    let body = list_input().to_string();
    let path = "/?a+b=c+d&plus=%2B";
    let mut headers = vec![
        ("host".to_owned(), api.emu.addr().to_string()),
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ("x-amz-target".to_owned(), format!("AWSCognitoIdentityService.{LIST}")),
    ];
    let added = sign_headers(&api.signing, &format!("{}{path}", api.emu.url()), &headers, body.as_bytes());
    headers.extend(added);
    let r = send(api.emu.addr(), "POST", path, &headers, body.as_bytes()).expect("an answer");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}
