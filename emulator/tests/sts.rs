//! STS on the emulator's port: the basic (classic) flow's
//! AssumeRoleWithWebIdentity, GetCallerIdentity, and how both refuse.

mod common;

use cognito_identity::amz_date::parse_iso8601;
use cognito_identity_emulator::EmulatorConfig;
use common::{Api, Signing, form, start, start_with};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};

const CLASSIC_ROLE: &str = "arn:aws:iam::123456789012:role/service-role/Classic";

/// A pool (classic flow on or off) with roles, and one identity's OpenID token.
fn pool_and_token(api: &Api, classic: bool) -> (String, String, String) {
    let pool = api.create_pool(json!({"AllowClassicFlow": classic}))["IdentityPoolId"].as_str().expect("id").to_owned();
    api.set_roles(&pool);
    let id = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].as_str().expect("id").to_owned();
    let token = api.ok("GetOpenIdToken", json!({"IdentityId": id}))["Token"].as_str().expect("token").to_owned();
    (pool, id, token)
}

fn assume(api: &Api, token: &str, extra: &[(&str, &str)]) -> common::Resp {
    let mut pairs = vec![
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", "2011-06-15"),
        ("RoleArn", CLASSIC_ROLE),
        ("RoleSessionName", "app-session"),
        ("WebIdentityToken", token),
    ];
    pairs.extend_from_slice(extra);
    api.sts(&form(&pairs))
}

/// Seconds from now until an ISO 8601 expiration.
fn seconds_left(expiration: &str) -> i64 {
    let at = parse_iso8601(expiration).unwrap_or_else(|| panic!("not ISO 8601: {expiration}"));
    match at.duration_since(SystemTime::now()) {
        Ok(d) => i64::try_from(d.as_secs()).expect("small"),
        Err(e) => -i64::try_from(e.duration().as_secs()).expect("small"),
    }
}

#[test]
fn classic_flow_end_to_end() {
    let api = start();
    let (pool, identity, token) = pool_and_token(&api, true);
    let r = assume(&api, &token, &[]);
    let body = r.sts_ok("AssumeRoleWithWebIdentity");
    assert_eq!(r.xml("SubjectFromWebIdentityToken"), identity);
    assert_eq!(r.xml("Audience"), pool);
    assert_eq!(r.xml("Provider"), "https://cognito-identity.amazonaws.com");
    let arn = r.xml("Arn");
    assert_eq!(arn, "arn:aws:sts::123456789012:assumed-role/Classic/app-session");
    let role_id = r.xml("AssumedRoleId");
    assert!(role_id.starts_with("AROA") && role_id.ends_with(":app-session"), "{role_id}");
    let (key_id, secret, session_token) = (r.xml("AccessKeyId"), r.xml("SecretAccessKey"), r.xml("SessionToken"));
    assert!(key_id.starts_with("ASIA") && key_id.len() == 20, "{key_id}");
    let expiration = r.xml("Expiration");
    assert_eq!(expiration.len(), "2024-01-01T00:00:00Z".len(), "{expiration}");
    assert!((3590..=3600).contains(&seconds_left(&expiration)), "{expiration}");
    assert!(!body.contains(&token), "the token is not echoed");

    // The keys sign STS and Cognito requests, and name the assumed role.
    let keys = api.signing_for(&key_id, &secret, &session_token);
    let who = api.caller_identity(&keys);
    who.sts_ok("GetCallerIdentity");
    assert_eq!(who.xml("Arn"), arn);
    assert_eq!(who.xml("UserId"), role_id);
    assert_eq!(who.xml("Account"), "123456789012");
    api.call_signed_with("ListIdentityPools", &json!({"MaxResults": 5}), &keys).ok();

    // DurationSeconds shortens (or lengthens) the keys' life.
    let r = assume(&api, &token, &[("DurationSeconds", "900")]);
    assert!((890..=900).contains(&seconds_left(&r.xml("Expiration"))));
}

#[test]
fn refusals() {
    let api = start();
    let (pool, _, token) = pool_and_token(&api, false);
    let message = assume(&api, &token, &[]).assert_sts_error(403, "AccessDenied");
    assert!(message.contains("classic") && message.contains(&pool), "{message}");

    let (pool, identity, token) = pool_and_token(&api, true);
    // A token whose claims were changed no longer matches its signature.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let (_, claims) = common::jwt_parts(&token);
    let mut forged = claims.clone();
    forged["sub"] = json!(format!("{identity}0"));
    use base64::Engine as _;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged.to_string());
    assume(&api, &parts.join("."), &[]).assert_sts_error(400, "InvalidIdentityToken");
    assume(&api, "not-a-jwt-at-all", &[]).assert_sts_error(400, "InvalidIdentityToken");
    // Another issuer's token (here: made up, unsigned) is refused by issuer.
    let mut foreign = claims.clone();
    foreign["iss"] = json!("https://accounts.example.com");
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(foreign.to_string());
    let message = assume(&api, &parts.join("."), &[]).assert_sts_error(400, "InvalidIdentityToken");
    assert!(message.contains("https://accounts.example.com"), "{message}");

    // GetOpenIdToken's tokens live ten minutes on the emulator's clock.
    api.emu.set_clock_offset(601);
    let message = assume(&api, &token, &[]).assert_sts_error(400, "ExpiredTokenException");
    assert!(message.starts_with("Token expired"), "{message}");
    api.emu.set_clock_offset(0);
    assume(&api, &token, &[]).sts_ok("AssumeRoleWithWebIdentity");

    // The token's audience must be a pool that exists.
    api.ok("DeleteIdentityPool", json!({"IdentityPoolId": pool}));
    assume(&api, &token, &[]).assert_sts_error(400, "InvalidIdentityToken");

    let base = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15")];
    let message = api.sts(&form(&base)).assert_sts_error(400, "ValidationError");
    assert!(message.starts_with("3 validation errors detected: Value null at 'roleArn'"), "{message}");
    let bad_arn = [("RoleArn", "arn:aws:iam::123456789012:user/bob"), ("RoleSessionName", "s1")];
    let message = api.sts(&form(&[&base[..], &bad_arn, &[("WebIdentityToken", &token)]].concat()));
    assert_eq!(message.assert_sts_error(400, "ValidationError"), "Request ARN is invalid");
    assume(&api, &token, &[("DurationSeconds", "60")]).assert_sts_error(400, "ValidationError");

    let message = api.sts(&form(&[("Action", "AssumeRole"), ("Version", "2011-06-15")]));
    let message = message.assert_sts_error(400, "InvalidAction");
    assert_eq!(message, "Could not find operation AssumeRole for version 2011-06-15");
    api.sts(&form(&[("Action", "GetCallerIdentity"), ("Version", "2010-01-01")]))
        .assert_sts_error(400, "InvalidAction");
    api.sts(&form(&[("Version", "2011-06-15")])).assert_sts_error(400, "InvalidAction");
}

#[test]
fn credentials_ttl_is_honoured() {
    let api = start_with(EmulatorConfig { credentials_ttl: Duration::from_secs(5), ..EmulatorConfig::default() });
    let (_, identity, token) = pool_and_token(&api, true);
    let creds = api.ok("GetCredentialsForIdentity", json!({"IdentityId": identity}))["Credentials"].clone();
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).expect("epoch").as_secs_f64();
    let left = creds["Expiration"].as_f64().expect("epoch seconds") - now;
    assert!((3.0..=5.0).contains(&left), "{left}");
    let r = assume(&api, &token, &[]);
    assert!((3..=5).contains(&seconds_left(&r.xml("Expiration"))));
    let container = api.get("/_emulator/container-credentials").ok();
    assert!((3..=5).contains(&seconds_left(container["Expiration"].as_str().expect("iso"))));

    // Once the emulator's clock passes the expiry, the keys are refused.
    let keys = api.signing_for(&r.xml("AccessKeyId"), &r.xml("SecretAccessKey"), &r.xml("SessionToken"));
    api.caller_identity(&keys).sts_ok("GetCallerIdentity");
    api.emu.set_clock_offset(10);
    let mut later = keys.clone();
    later.time = SystemTime::now() + Duration::from_secs(10);
    api.caller_identity(&later).assert_sts_error(400, "ExpiredTokenException");

    assert!(
        cognito_identity_emulator::Emulator::start(EmulatorConfig {
            credentials_ttl: Duration::ZERO,
            ..EmulatorConfig::default()
        })
        .is_err()
    );
}

fn cognito_keys(api: &Api, creds: &Value) -> Signing {
    let field = |name: &str| creds[name].as_str().expect(name).to_owned();
    api.signing_for(&field("AccessKeyId"), &field("SecretKey"), &field("SessionToken"))
}

#[test]
fn caller_identity_names_the_role_the_keys_were_issued_for() {
    let api = start();
    let (_, identity, _) = pool_and_token(&api, false);
    let creds = api.ok("GetCredentialsForIdentity", json!({"IdentityId": identity}))["Credentials"].clone();
    let keys = cognito_keys(&api, &creds);
    let r = api.caller_identity(&keys);
    r.sts_ok("GetCallerIdentity");
    // set_roles gives unauthenticated identities the role `Unauth`.
    assert_eq!(r.xml("Arn"), "arn:aws:sts::123456789012:assumed-role/Unauth/CognitoIdentityCredentials");
    assert!(r.xml("UserId").ends_with(":CognitoIdentityCredentials"));

    let r = api.caller_identity(&api.signing);
    r.sts_ok("GetCallerIdentity");
    assert_eq!(r.xml("Arn"), "arn:aws:iam::123456789012:user/emulator");
    assert!(r.xml("UserId").starts_with("AIDA"));

    let container = api.get("/_emulator/container-credentials").ok();
    let field = |name: &str| container[name].as_str().expect(name).to_owned();
    let keys = api.signing_for(&field("AccessKeyId"), &field("SecretAccessKey"), &field("Token"));
    let r = api.caller_identity(&keys);
    assert_eq!(r.xml("Arn"), "arn:aws:sts::123456789012:assumed-role/emulator-container/container");
}

#[test]
fn caller_identity_needs_a_good_signature() {
    let api = start();
    let body = form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    api.sts(&body).assert_sts_error(403, "MissingAuthenticationTokenException");
    // Signed for Cognito, not STS.
    api.sts_signed(&body, &api.signing).assert_sts_error(403, "InvalidSignatureException");
    api.caller_identity(&Signing::new("test", "wrong")).assert_sts_error(403, "InvalidSignatureException");
    api.caller_identity(&Signing::new("AKIDUNKNOWN", "x")).assert_sts_error(400, "UnrecognizedClientException");
    let mut elsewhere = api.signing.clone();
    elsewhere.region = "eu-central-1".into();
    api.caller_identity(&elsewhere).assert_sts_error(403, "InvalidSignatureException");

    // Issued keys need their session token, as on the Cognito side.
    let (_, identity, _) = pool_and_token(&api, false);
    let creds = api.ok("GetCredentialsForIdentity", json!({"IdentityId": identity}))["Credentials"].clone();
    let mut keys = cognito_keys(&api, &creds);
    keys.session_token = None;
    api.caller_identity(&keys).assert_sts_error(400, "UnrecognizedClientException");
}

#[test]
fn routing_and_request_log() {
    let api = start();
    let (_, _, token) = pool_and_token(&api, true);
    api.control("DELETE", "/_emulator/requests", json!({})).ok();
    assume(&api, &token, &[]).sts_ok("AssumeRoleWithWebIdentity");
    api.caller_identity(&api.signing).sts_ok("GetCallerIdentity");
    api.sts(&form(&[("Action", "Nope"), ("Version", "2011-06-15")])).assert_sts_error(400, "InvalidAction");

    let log = api.get("/_emulator/requests").ok();
    assert!(!log.to_string().contains(&token), "the token is redacted");
    let entries = log["requests"].as_array().expect("list");
    assert_eq!(entries.len(), 3);
    let (assumed, caller, unknown) = (&entries[0], &entries[1], &entries[2]);
    assert_eq!((&assumed["service"], &assumed["operation"]), (&json!("sts"), &json!("AssumeRoleWithWebIdentity")));
    assert_eq!(assumed["body"]["WebIdentityToken"], "<redacted>");
    assert_eq!(assumed["body"]["RoleArn"], CLASSIC_ROLE);
    assert_eq!((&assumed["status"], &assumed["error_code"]), (&json!(200), &Value::Null));
    assert_eq!(caller["operation"], "GetCallerIdentity");
    assert_eq!(caller["headers"]["authorization"], "<redacted>");
    assert_eq!((&unknown["operation"], &unknown["error_code"]), (&Value::Null, &json!("InvalidAction")));
    assert_eq!(unknown["status"], 400);

    // Only form posts without X-Amz-Target are STS's.
    let cognito = api.raw(
        &[
            ("content-type".into(), "application/x-www-form-urlencoded".into()),
            ("x-amz-target".into(), format!("{}ListIdentityPools", common::TARGET_PREFIX)),
        ],
        b"Action=GetCallerIdentity&Version=2011-06-15",
    );
    cognito.expect("response").assert_error(403, "MissingAuthenticationTokenException");
    let json_post = api.raw(&[("content-type".into(), "application/x-amz-json-1.1".into())], b"{}");
    json_post.expect("response").assert_error(400, "UnknownOperationException");
    let cognito_log = api.get("/_emulator/requests").ok();
    assert_eq!(cognito_log["requests"][3]["service"], "cognito-identity");
}

#[test]
fn faults_apply_to_sts_operations() {
    let api = start();
    let (_, _, token) = pool_and_token(&api, true);
    api.control(
        "POST",
        "/_emulator/faults",
        json!([
            {"kind": "throttle", "operation": "AssumeRoleWithWebIdentity"},
            {"kind": "status", "status": 503, "operation": "GetCallerIdentity"},
            {"kind": "malformed", "operation": "GetCallerIdentity"},
        ]),
    )
    .ok();
    api.ok("ListIdentityPools", json!({"MaxResults": 1}));
    assert_eq!(assume(&api, &token, &[]).assert_sts_error(400, "Throttling"), "Rate exceeded");
    assume(&api, &token, &[]).sts_ok("AssumeRoleWithWebIdentity");
    api.caller_identity(&api.signing).assert_sts_error(503, "ServiceUnavailable");
    let garbled = api.caller_identity(&api.signing);
    assert_eq!(garbled.status, 200);
    assert!(common::xml_text(&garbled.text(), "Arn").is_none());
    api.caller_identity(&api.signing).sts_ok("GetCallerIdentity");
}
