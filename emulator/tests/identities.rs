//! Identities, credentials and OpenID tokens over HTTP.

mod common;

use common::{jwt_parts, start};
use serde_json::{Value, json};

fn fb_pool(api: &common::Api, unauth: bool) -> String {
    let pool = api.create_pool(json!({
        "AllowUnauthenticatedIdentities": unauth,
        "SupportedLoginProviders": {"graph.facebook.com": "123", "accounts.google.com": "abc.apps"},
    }));
    pool["IdentityPoolId"].as_str().expect("id").to_owned()
}

#[test]
fn full_identity_flow() {
    let api = start();
    let pool = fb_pool(&api, true);
    api.set_roles(&pool);

    let id = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "alice"}}))["IdentityId"]
        .as_str()
        .expect("id")
        .to_owned();
    assert!(id.starts_with("us-east-1:"), "{id}");
    // The same login gives the same identity.
    let again = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "alice"}}));
    assert_eq!(again["IdentityId"], id.as_str());

    let creds =
        api.ok("GetCredentialsForIdentity", json!({"IdentityId": id, "Logins": {"graph.facebook.com": "alice"}}));
    assert_eq!(creds["IdentityId"], id.as_str());
    let c = &creds["Credentials"];
    let key = c["AccessKeyId"].as_str().expect("key");
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert_eq!(c["SecretKey"].as_str().expect("secret").len(), 40);
    assert!(c["SessionToken"].as_str().expect("token").len() > 100);
    let exp = c["Expiration"].as_f64().expect("epoch seconds");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("now").as_secs_f64();
    assert!((exp - now - 3600.0).abs() < 60.0, "expiration {exp} vs now {now}");

    let token = api.ok("GetOpenIdToken", json!({"IdentityId": id, "Logins": {"graph.facebook.com": "alice"}}));
    let (header, claims) = jwt_parts(token["Token"].as_str().expect("token"));
    assert_eq!(header["alg"], "RS512");
    assert!(header["kid"].is_string());
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["aud"], pool.as_str());
    assert_eq!(claims["iss"], "https://cognito-identity.amazonaws.com");
    assert_eq!(claims["amr"], json!(["authenticated", "graph.facebook.com"]));
    assert_eq!(claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"), 600);

    let desc = api.ok("DescribeIdentity", json!({"IdentityId": id}));
    assert_eq!(desc["Logins"], json!(["graph.facebook.com"]));
    assert!(desc["CreationDate"].is_number() && desc["LastModifiedDate"].is_number());
}

#[test]
fn open_id_token_verifies_with_the_published_jwks() {
    use base64::Engine as _;
    let api = start();
    let pool = fb_pool(&api, true);
    let id = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].clone();
    let token = api.ok("GetOpenIdToken", json!({"IdentityId": id}))["Token"].as_str().expect("token").to_owned();
    let (header, claims) = jwt_parts(&token);
    assert_eq!(claims["amr"], json!(["unauthenticated"]));
    let jwks = api.get("/.well-known/jwks.json").ok();
    let jwk = jwks["keys"].as_array().expect("keys").iter().find(|k| k["kid"] == header["kid"]).expect("kid published");
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let n = b64.decode(jwk["n"].as_str().expect("n")).expect("n");
    let e = b64.decode(jwk["e"].as_str().expect("e")).expect("e");
    let (input, sig) = token.rsplit_once('.').expect("dot");
    ring::rsa::PublicKeyComponents { n, e }
        .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA512, input.as_bytes(), &b64.decode(sig).expect("sig"))
        .expect("token verifies with the JWKS");
    let config = api.get("/.well-known/openid-configuration").ok();
    assert!(config["jwks_uri"].as_str().expect("uri").ends_with("/.well-known/jwks.json"));
}

#[test]
fn unauthenticated_identities_follow_the_pool_setting() {
    let api = start();
    let open = fb_pool(&api, true);
    let a = api.ok("GetId", json!({"IdentityPoolId": open}))["IdentityId"].clone();
    let b = api.ok("GetId", json!({"IdentityPoolId": open}))["IdentityId"].clone();
    assert_ne!(a, b, "each unauthenticated GetId is a new identity");

    let closed = fb_pool(&api, false);
    let r = api.call("GetId", json!({"IdentityPoolId": closed}));
    r.assert_error(400, "NotAuthorizedException");
    assert_eq!(r.message(), "Unauthenticated access is not supported for this identity pool.");

    // Credentials for an unauthenticated identity need the unauthenticated role.
    let r = api.call("GetCredentialsForIdentity", json!({"IdentityId": a}));
    r.assert_error(400, "InvalidIdentityPoolConfigurationException");
    api.ok(
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": open, "Roles": {"authenticated": "arn:aws:iam::123456789012:role/A"}}),
    );
    api.call("GetCredentialsForIdentity", json!({"IdentityId": a}))
        .assert_error(400, "InvalidIdentityPoolConfigurationException");
    api.set_roles(&open);
    api.ok("GetCredentialsForIdentity", json!({"IdentityId": a}));

    // Turning unauthenticated access off later locks the identity out.
    let mut update = api.ok("DescribeIdentityPool", json!({"IdentityPoolId": open}));
    update["AllowUnauthenticatedIdentities"] = json!(false);
    api.ok("UpdateIdentityPool", update);
    api.call("GetCredentialsForIdentity", json!({"IdentityId": a})).assert_error(400, "NotAuthorizedException");
}

#[test]
fn providers_the_pool_does_not_support_are_refused() {
    let api = start();
    let pool = fb_pool(&api, true);
    let r = api.call("GetId", json!({"IdentityPoolId": pool, "Logins": {"www.amazon.com": "bob"}}));
    r.assert_error(400, "NotAuthorizedException");
    assert_eq!(r.message(), "Token is not from a supported provider of this identity pool.");
    // OIDC, SAML and user pool providers are supported by their login keys.
    let pool2 = api.create_pool(json!({
        "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:oidc-provider/login.example.com"],
        "SamlProviderARNs": ["arn:aws:iam::123456789012:saml-provider/corp"],
        "CognitoIdentityProviders": [{"ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "ClientId": "client1"}],
    }))["IdentityPoolId"].clone();
    for provider in [
        "login.example.com",
        "arn:aws:iam::123456789012:saml-provider/corp",
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
    ] {
        api.ok("GetId", json!({"IdentityPoolId": pool2, "Logins": {provider: "user"}}));
    }
}

#[test]
fn logins_link_merge_and_conflict() {
    let api = start();
    let pool = fb_pool(&api, true);
    let fb = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "alice"}}))["IdentityId"]
        .clone();
    // A second provider with the first links to the same identity.
    let both = api.ok(
        "GetId",
        json!({"IdentityPoolId": pool, "Logins": {
        "graph.facebook.com": "alice", "accounts.google.com": "alice@gmail"}}),
    )["IdentityId"]
        .clone();
    assert_eq!(fb, both);
    let desc = api.ok("DescribeIdentity", json!({"IdentityId": fb}));
    assert_eq!(desc["Logins"], json!(["graph.facebook.com", "accounts.google.com"]));
    // The Google login alone now finds the same identity.
    let g = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": "alice@gmail"}}))["IdentityId"].clone();
    assert_eq!(g, fb);

    // A JWT login token names its user by the `sub` claim.
    let jwt = |sub: &str, extra: &str| {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig{extra}", b.encode(r#"{"alg":"none"}"#), b.encode(json!({"sub": sub}).to_string()))
    };
    let j1 = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": jwt("bob", "1")}}))["IdentityId"].clone();
    let j2 = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": jwt("bob", "2")}}))["IdentityId"].clone();
    assert_eq!(j1, j2, "a refreshed token of the same user maps to the same identity");

    // An unauthenticated identity gains a login through GetCredentialsForIdentity.
    api.set_roles(&pool);
    let anon = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].clone();
    api.ok("GetCredentialsForIdentity", json!({"IdentityId": anon, "Logins": {"graph.facebook.com": "dave"}}));
    let found =
        api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "dave"}}))["IdentityId"]
            .clone();
    assert_eq!(found, anon);
    // Now authenticated, it needs its login; another identity's login conflicts.
    let r = api.call("GetCredentialsForIdentity", json!({"IdentityId": anon}));
    r.assert_error(400, "NotAuthorizedException");
    api.call("GetCredentialsForIdentity", json!({"IdentityId": anon, "Logins": {"graph.facebook.com": "alice"}}))
        .assert_error(400, "ResourceConflictException");
    api.call("GetOpenIdToken", json!({"IdentityId": anon, "Logins": {"accounts.google.com": "someone-new"}}))
        .assert_error(400, "NotAuthorizedException");
}

#[test]
fn merging_two_identities_through_get_id() {
    let api = start();
    let pool = fb_pool(&api, true);
    let a =
        api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "ann"}}))["IdentityId"].clone();
    let b = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": "ann@g"}}))["IdentityId"]
        .clone();
    assert_ne!(a, b);
    let merged = api.ok(
        "GetId",
        json!({"IdentityPoolId": pool, "Logins": {
        "graph.facebook.com": "ann", "accounts.google.com": "ann@g"}}),
    )["IdentityId"]
        .clone();
    assert_eq!(merged, a, "the older identity survives");
    api.call("DescribeIdentity", json!({"IdentityId": b})).assert_error(400, "ResourceNotFoundException");
    // Two different users of one provider cannot share an identity.
    let c =
        api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "cat"}}))["IdentityId"].clone();
    let _ = c;
    api.call(
        "GetId",
        json!({"IdentityPoolId": pool, "Logins": {
        "graph.facebook.com": "cat", "accounts.google.com": "ann@g"}}),
    )
    .assert_error(400, "ResourceConflictException");
}

#[test]
fn list_identities_paginates_to_the_last_page_and_hides_disabled() {
    let api = start();
    let pool = fb_pool(&api, true);
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": format!("u{i}")}}))["IdentityId"].clone());
    }
    let mut seen = Vec::new();
    let mut token: Option<Value> = None;
    let mut pages = 0;
    loop {
        let mut input = json!({"IdentityPoolId": pool, "MaxResults": 3});
        if let Some(t) = &token {
            input["NextToken"] = t.clone();
        }
        let page = api.ok("ListIdentities", input);
        assert_eq!(page["IdentityPoolId"], pool.as_str());
        pages += 1;
        for i in page["Identities"].as_array().expect("list") {
            seen.push(i["IdentityId"].clone());
            assert_eq!(i["Logins"], json!(["graph.facebook.com"]));
        }
        match page.get("NextToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, made);

    // Unlinking the last login disables an identity.
    api.ok("UnlinkIdentity", json!({"IdentityId": made[0], "Logins": {"graph.facebook.com": "u0"}, "LoginsToRemove": ["graph.facebook.com"]}));
    let all = api.ok("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 60}));
    assert_eq!(all["Identities"].as_array().expect("list").len(), 7);
    let visible = api.ok("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 60, "HideDisabled": true}));
    assert_eq!(visible["Identities"].as_array().expect("list").len(), 6);
    // ... and the unlinked login is a new identity next time.
    let fresh =
        api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "u0"}}))["IdentityId"].clone();
    assert_ne!(fresh, made[0]);

    api.call("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 3, "NextToken": "bogus"}))
        .assert_error(400, "InvalidParameterException");
    api.call("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 0}))
        .assert_error(400, "ValidationException");
    api.call(
        "ListIdentities",
        json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000", "MaxResults": 3}),
    )
    .assert_error(400, "ResourceNotFoundException");
}

#[test]
fn delete_identities_reports_the_unprocessed() {
    let api = start();
    let pool = fb_pool(&api, true);
    let a = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].clone();
    let missing = "us-east-1:11111111-1111-1111-1111-111111111111";
    let out = api.ok("DeleteIdentities", json!({"IdentityIdsToDelete": [a, missing]}));
    assert_eq!(out["UnprocessedIdentityIds"], json!([{"IdentityId": missing, "ErrorCode": "AccessDenied"}]));
    api.call("DescribeIdentity", json!({"IdentityId": a})).assert_error(400, "ResourceNotFoundException");
    api.call("DeleteIdentities", json!({"IdentityIdsToDelete": []})).assert_error(400, "ValidationException");
    api.call("GetCredentialsForIdentity", json!({"IdentityId": a})).assert_error(400, "ResourceNotFoundException");
}

#[test]
fn unlink_identity_needs_a_valid_login() {
    let api = start();
    let pool = fb_pool(&api, true);
    let id = api.ok(
        "GetId",
        json!({"IdentityPoolId": pool, "Logins": {
        "graph.facebook.com": "eve", "accounts.google.com": "eve@g"}}),
    )["IdentityId"]
        .clone();
    api.call("UnlinkIdentity", json!({"IdentityId": id, "Logins": {"graph.facebook.com": "mallory"}, "LoginsToRemove": ["graph.facebook.com"]}))
        .assert_error(400, "NotAuthorizedException");
    api.ok(
        "UnlinkIdentity",
        json!({"IdentityId": id, "Logins": {"accounts.google.com": "eve@g"}, "LoginsToRemove": ["graph.facebook.com"]}),
    );
    let desc = api.ok("DescribeIdentity", json!({"IdentityId": id}));
    assert_eq!(desc["Logins"], json!(["accounts.google.com"]));
    api.call("UnlinkIdentity", json!({"IdentityId": "us-east-1:22222222-2222-2222-2222-222222222222", "Logins": {"accounts.google.com": "eve@g"}, "LoginsToRemove": []}))
        .assert_error(400, "ResourceNotFoundException");
}

#[test]
fn role_mapping_deny_refuses_credentials() {
    let api = start();
    let pool =
        api.create_pool(json!({"SupportedLoginProviders": {"accounts.google.com": "abc"}}))["IdentityPoolId"].clone();
    api.ok("SetIdentityPoolRoles", json!({
        "IdentityPoolId": pool,
        "Roles": {"authenticated": "arn:aws:iam::123456789012:role/Auth"},
        "RoleMappings": {"accounts.google.com": {
            "Type": "Rules", "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {"Rules": [{"Claim": "sub", "MatchType": "StartsWith", "Value": "admin", "RoleARN": "arn:aws:iam::123456789012:role/Admin"}]}
        }}
    }));
    let jwt = |sub: &str| {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", b.encode(r#"{"alg":"none"}"#), b.encode(json!({"sub": sub}).to_string()))
    };
    let admin = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": jwt("admin-1")}}))["IdentityId"].clone();
    api.ok(
        "GetCredentialsForIdentity",
        json!({"IdentityId": admin, "Logins": {"accounts.google.com": jwt("admin-1")}}),
    );
    let user = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"accounts.google.com": jwt("user-1")}}))["IdentityId"].clone();
    api.call(
        "GetCredentialsForIdentity",
        json!({"IdentityId": user, "Logins": {"accounts.google.com": jwt("user-1")}}),
    )
    .assert_error(400, "NotAuthorizedException");
}
