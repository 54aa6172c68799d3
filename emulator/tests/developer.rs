//! Developer-authenticated identities over HTTP.

mod common;

use common::{jwt_parts, start};
use serde_json::{Value, json};

const DEV: &str = "login.mycompany";

fn dev_pool(api: &common::Api) -> String {
    api.create_pool(json!({
        "DeveloperProviderName": DEV,
        "SupportedLoginProviders": {"graph.facebook.com": "1"},
    }))["IdentityPoolId"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn register(api: &common::Api, pool: &str, user: &str) -> Value {
    api.ok("GetOpenIdTokenForDeveloperIdentity", json!({"IdentityPoolId": pool, "Logins": {DEV: user}}))
}

#[test]
fn register_token_and_look_up_both_ways() {
    let api = start();
    let pool = dev_pool(&api);
    let out = api.ok(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({
        "IdentityPoolId": pool, "Logins": {DEV: "user-1"},
        "PrincipalTags": {"dept": "eng"}, "TokenDuration": 3600}),
    );
    let id = out["IdentityId"].as_str().expect("id").to_owned();
    let (_, claims) = jwt_parts(out["Token"].as_str().expect("token"));
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["aud"], pool.as_str());
    assert_eq!(claims["amr"], json!(["authenticated", DEV]));
    assert_eq!(claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"), 3600);
    assert_eq!(claims["https://aws.amazon.com/tags"]["principal_tags"], json!({"dept": ["eng"]}));

    // Default duration is 15 minutes; the same user keeps the same identity.
    let again = register(&api, &pool, "user-1");
    assert_eq!(again["IdentityId"], id.as_str());
    let (_, claims) = jwt_parts(again["Token"].as_str().expect("token"));
    assert_eq!(claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"), 900);

    let by_user =
        api.ok("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "DeveloperUserIdentifier": "user-1"}));
    assert_eq!(by_user["IdentityId"], id.as_str());
    assert_eq!(by_user["DeveloperUserIdentifierList"], json!(["user-1"]));
    let by_id = api.ok("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "IdentityId": id}));
    assert_eq!(by_id["DeveloperUserIdentifierList"], json!(["user-1"]));
    let both = api.ok(
        "LookupDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": id, "DeveloperUserIdentifier": "user-1"}),
    );
    assert_eq!(both["IdentityId"], id.as_str());

    // The developer token logs in through GetId / GetCredentialsForIdentity.
    api.set_roles(&pool);
    let token = again["Token"].as_str().expect("token");
    let via_get_id =
        api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"cognito-identity.amazonaws.com": token}}));
    assert_eq!(via_get_id["IdentityId"], id.as_str());
    api.ok("GetCredentialsForIdentity", json!({"IdentityId": id, "Logins": {"cognito-identity.amazonaws.com": token}}));
    api.call(
        "GetId",
        json!({"IdentityPoolId": pool, "Logins": {"cognito-identity.amazonaws.com": "forged.token.here"}}),
    )
    .assert_error(400, "NotAuthorizedException");

    let other = register(&api, &pool, "user-2")["IdentityId"].clone();
    api.call(
        "LookupDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": other, "DeveloperUserIdentifier": "user-1"}),
    )
    .assert_error(400, "ResourceConflictException");
    api.call("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "DeveloperUserIdentifier": "nobody"}))
        .assert_error(400, "ResourceNotFoundException");
    api.call("LookupDeveloperIdentity", json!({"IdentityPoolId": pool})).assert_error(400, "InvalidParameterException");
}

#[test]
fn registration_errors() {
    let api = start();
    let pool = dev_pool(&api);
    let a = register(&api, &pool, "alice")["IdentityId"].clone();
    let b = register(&api, &pool, "bob")["IdentityId"].clone();
    // Registering alice's identifier to bob's identity.
    let r = api.call(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": b, "Logins": {DEV: "alice"}}),
    );
    r.assert_error(400, "DeveloperUserAlreadyRegisteredException");
    // A provider name other than the pool's.
    api.call("GetOpenIdTokenForDeveloperIdentity", json!({"IdentityPoolId": pool, "Logins": {"other.dev": "x"}}))
        .assert_error(400, "NotAuthorizedException");
    // A pool without a developer provider.
    let plain = api.create_pool(json!({}))["IdentityPoolId"].clone();
    api.call("GetOpenIdTokenForDeveloperIdentity", json!({"IdentityPoolId": plain, "Logins": {DEV: "x"}}))
        .assert_error(400, "NotAuthorizedException");
    api.call(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "Logins": {DEV: "x"}, "TokenDuration": 86401}),
    )
    .assert_error(400, "ValidationException");
    api.call("GetOpenIdTokenForDeveloperIdentity", json!({"IdentityPoolId": pool, "IdentityId": "us-east-1:33333333-3333-3333-3333-333333333333", "Logins": {DEV: "new"}}))
        .assert_error(400, "ResourceNotFoundException");
    // A new identifier links to an existing identity, public logins too.
    let linked = api.ok(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": a, "Logins": {DEV: "alice-2", "graph.facebook.com": "alice-fb"}}),
    );
    assert_eq!(linked["IdentityId"], a);
    let list = api.ok("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "IdentityId": a}));
    assert_eq!(list["DeveloperUserIdentifierList"], json!(["alice", "alice-2"]));
    let found = api.ok("GetId", json!({"IdentityPoolId": pool, "Logins": {"graph.facebook.com": "alice-fb"}}));
    assert_eq!(found["IdentityId"], a);
}

#[test]
fn lookup_paginates_identifiers_to_the_last_page() {
    let api = start();
    let pool = dev_pool(&api);
    let id = register(&api, &pool, "u0")["IdentityId"].clone();
    for i in 1..5 {
        api.ok(
            "GetOpenIdTokenForDeveloperIdentity",
            json!({"IdentityPoolId": pool, "IdentityId": id, "Logins": {DEV: format!("u{i}")}}),
        );
    }
    let mut all = Vec::new();
    let mut input = json!({"IdentityPoolId": pool, "IdentityId": id, "MaxResults": 2});
    let mut pages = 0;
    loop {
        let page = api.ok("LookupDeveloperIdentity", input.clone());
        pages += 1;
        all.extend(page["DeveloperUserIdentifierList"].as_array().expect("list").iter().cloned());
        match page.get("NextToken") {
            Some(t) => input["NextToken"] = t.clone(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(all, vec![json!("u0"), json!("u1"), json!("u2"), json!("u3"), json!("u4")]);
}

#[test]
fn merge_and_unlink() {
    let api = start();
    let pool = dev_pool(&api);
    let src = register(&api, &pool, "src-user")["IdentityId"].clone();
    let dst = register(&api, &pool, "dst-user")["IdentityId"].clone();
    let merged = api.ok(
        "MergeDeveloperIdentities",
        json!({
        "SourceUserIdentifier": "src-user", "DestinationUserIdentifier": "dst-user",
        "DeveloperProviderName": DEV, "IdentityPoolId": pool}),
    );
    assert_eq!(merged["IdentityId"], dst);
    let looked =
        api.ok("LookupDeveloperIdentity", json!({"IdentityPoolId": pool, "DeveloperUserIdentifier": "src-user"}));
    assert_eq!(looked["IdentityId"], dst);
    assert_eq!(looked["DeveloperUserIdentifierList"], json!(["dst-user", "src-user"]));
    api.call("DescribeIdentity", json!({"IdentityId": src})).assert_error(400, "ResourceNotFoundException");

    for (bad, code) in [
        (
            json!({"SourceUserIdentifier": "nobody", "DestinationUserIdentifier": "dst-user", "DeveloperProviderName": DEV}),
            "ResourceNotFoundException",
        ),
        (
            json!({"SourceUserIdentifier": "src-user", "DestinationUserIdentifier": "dst-user", "DeveloperProviderName": "wrong.dev"}),
            "InvalidParameterException",
        ),
    ] {
        let mut input = bad;
        input["IdentityPoolId"] = json!(pool);
        api.call("MergeDeveloperIdentities", input).assert_error(400, code);
    }
    // Merging identities holding two different users of one public provider conflicts.
    let p = register(&api, &pool, "p")["IdentityId"].clone();
    let q = register(&api, &pool, "q")["IdentityId"].clone();
    api.ok(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": p, "Logins": {DEV: "p", "graph.facebook.com": "fb-p"}}),
    );
    api.ok(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool, "IdentityId": q, "Logins": {DEV: "q", "graph.facebook.com": "fb-q"}}),
    );
    api.call("MergeDeveloperIdentities", json!({"SourceUserIdentifier": "p", "DestinationUserIdentifier": "q", "DeveloperProviderName": DEV, "IdentityPoolId": pool}))
        .assert_error(400, "ResourceConflictException");

    // Unlink one identifier; it becomes a new identity next time.
    api.ok("UnlinkDeveloperIdentity", json!({"IdentityId": dst, "IdentityPoolId": pool, "DeveloperProviderName": DEV, "DeveloperUserIdentifier": "src-user"}));
    let again = register(&api, &pool, "src-user")["IdentityId"].clone();
    assert_ne!(again, dst);
    api.call("UnlinkDeveloperIdentity", json!({"IdentityId": dst, "IdentityPoolId": pool, "DeveloperProviderName": DEV, "DeveloperUserIdentifier": "src-user"}))
        .assert_error(400, "ResourceConflictException");
    api.call("UnlinkDeveloperIdentity", json!({"IdentityId": dst, "IdentityPoolId": pool, "DeveloperProviderName": DEV, "DeveloperUserIdentifier": "ghost"}))
        .assert_error(400, "ResourceNotFoundException");
    api.call("UnlinkDeveloperIdentity", json!({"IdentityId": dst, "IdentityPoolId": pool, "DeveloperProviderName": "wrong.dev", "DeveloperUserIdentifier": "dst-user"}))
        .assert_error(400, "InvalidParameterException");
    // Removing the last identifier disables the identity.
    api.ok("UnlinkDeveloperIdentity", json!({"IdentityId": dst, "IdentityPoolId": pool, "DeveloperProviderName": DEV, "DeveloperUserIdentifier": "dst-user"}));
    let visible = api.ok("ListIdentities", json!({"IdentityPoolId": pool, "MaxResults": 60, "HideDisabled": true}));
    assert!(!visible["Identities"].as_array().expect("list").iter().any(|i| i["IdentityId"] == dst));
}
