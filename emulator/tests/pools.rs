//! Pools, roles, principal tags and resource tags over HTTP.

mod common;

use cognito_identity_emulator::EmulatorConfig;
use common::start;
use serde_json::{Value, json};

#[test]
fn create_describe_update_rename_delete() {
    let api = start();
    let created = api.create_pool(json!({
        "IdentityPoolName": "First Pool",
        "AllowClassicFlow": true,
        "SupportedLoginProviders": {"graph.facebook.com": "123"},
        "DeveloperProviderName": "login.mycompany",
        "IdentityPoolTags": {"team": "auth"},
    }));
    let id = created["IdentityPoolId"].as_str().expect("id").to_owned();
    let (region, uuid) = id.split_once(':').expect("REGION:UUID");
    assert_eq!(region, "us-east-1");
    assert_eq!(uuid.len(), 36);
    assert_eq!(created["IdentityPoolName"], "First Pool");
    assert_eq!(created["AllowClassicFlow"], true);
    assert_eq!(created["IdentityPoolTags"], json!({"team": "auth"}));

    let described = api.ok("DescribeIdentityPool", json!({"IdentityPoolId": id}));
    assert_eq!(described, created);

    let mut update = described.clone();
    update["IdentityPoolName"] = json!("Renamed");
    update["SupportedLoginProviders"] = json!({"accounts.google.com": "g"});
    let updated = api.ok("UpdateIdentityPool", update.clone());
    assert_eq!(updated["IdentityPoolName"], "Renamed");
    assert_eq!(updated["SupportedLoginProviders"], json!({"accounts.google.com": "g"}));
    assert_eq!(api.ok("DescribeIdentityPool", json!({"IdentityPoolId": id})), updated);
    let listed = api.ok("ListIdentityPools", json!({"MaxResults": 10}));
    assert_eq!(listed["IdentityPools"], json!([{"IdentityPoolId": id, "IdentityPoolName": "Renamed"}]));

    // The developer provider name cannot change once set.
    update["DeveloperProviderName"] = json!("other.provider");
    api.call("UpdateIdentityPool", update).assert_error(400, "InvalidParameterException");

    api.ok("DeleteIdentityPool", json!({"IdentityPoolId": id}));
    api.call("DescribeIdentityPool", json!({"IdentityPoolId": id})).assert_error(400, "ResourceNotFoundException");
    api.call("DeleteIdentityPool", json!({"IdentityPoolId": id})).assert_error(400, "ResourceNotFoundException");
    let r = api.call(
        "UpdateIdentityPool",
        json!({"IdentityPoolId": id, "IdentityPoolName": "x", "AllowUnauthenticatedIdentities": true}),
    );
    r.assert_error(400, "ResourceNotFoundException");
    assert_eq!(r.message(), format!("IdentityPool '{id}' not found."));
}

#[test]
fn create_validates_like_the_model() {
    let api = start();
    for bad in [
        json!({"IdentityPoolName": "bad/name!", "AllowUnauthenticatedIdentities": true}),
        json!({"IdentityPoolName": "", "AllowUnauthenticatedIdentities": true}),
        json!({"IdentityPoolName": "x".repeat(129), "AllowUnauthenticatedIdentities": true}),
        json!({"AllowUnauthenticatedIdentities": true}),
        json!({"IdentityPoolName": "ok"}),
        json!({"IdentityPoolName": "ok", "AllowUnauthenticatedIdentities": true,
               "SupportedLoginProviders": (0..11).map(|i| (format!("p{i}.example.com"), json!("x"))).collect::<serde_json::Map<String, Value>>()}),
    ] {
        let r = api.call("CreateIdentityPool", bad.clone());
        r.assert_error(400, "ValidationException");
        assert!(r.message().contains("validation error"), "{}", r.message());
    }
    api.call("CreateIdentityPool", json!({"IdentityPoolName": "ok", "AllowUnauthenticatedIdentities": "yes"}))
        .assert_error(400, "SerializationException");
    api.call("CreateIdentityPool", json!({"IdentityPoolName": "ok", "AllowUnauthenticatedIdentities": true, "IdentityPoolTags": {"aws:reserved": "x"}}))
        .assert_error(400, "InvalidParameterException");
    api.call("CreateIdentityPool", json!({"IdentityPoolName": "ok", "AllowUnauthenticatedIdentities": true, "OpenIdConnectProviderARNs": ["arn:aws:iam::123456789012:role/NotOidc"]}))
        .assert_error(400, "InvalidParameterException");
}

#[test]
fn pool_quota_is_a_limit_exceeded_exception() {
    let api = common::start_with(EmulatorConfig { max_identity_pools: 2, ..EmulatorConfig::default() });
    api.create_pool(json!({}));
    api.create_pool(json!({}));
    api.call("CreateIdentityPool", json!({"IdentityPoolName": "third", "AllowUnauthenticatedIdentities": true}))
        .assert_error(400, "LimitExceededException");
}

#[test]
fn list_identity_pools_paginates_to_the_last_page() {
    let api = start();
    let ids: Vec<Value> = (0..5)
        .map(|i| api.create_pool(json!({"IdentityPoolName": format!("pool{i}")}))["IdentityPoolId"].clone())
        .collect();
    let mut seen = Vec::new();
    let mut input = json!({"MaxResults": 2});
    let mut pages = 0;
    loop {
        let page = api.ok("ListIdentityPools", input.clone());
        pages += 1;
        seen.extend(page["IdentityPools"].as_array().expect("list").iter().map(|p| p["IdentityPoolId"].clone()));
        match page.get("NextToken") {
            Some(t) => input["NextToken"] = t.clone(),
            None => break,
        }
    }
    assert_eq!((pages, seen), (3, ids));
    api.call("ListIdentityPools", json!({"MaxResults": 61})).assert_error(400, "ValidationException");
    api.call("ListIdentityPools", json!({})).assert_error(400, "ValidationException");
    api.call("ListIdentityPools", json!({"MaxResults": 2, "NextToken": "not-a-token"}))
        .assert_error(400, "InvalidParameterException");
}

#[test]
fn regions_keep_their_own_pools() {
    let api = common::start_with(EmulatorConfig {
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        ..EmulatorConfig::default()
    });
    let east = api.create_pool(json!({}))["IdentityPoolId"].clone();
    let mut eu = api.signing.clone();
    eu.region = "eu-west-1".into();
    let west = api
        .call_signed_with(
            "CreateIdentityPool",
            &json!({"IdentityPoolName": "eu", "AllowUnauthenticatedIdentities": true}),
            &eu,
        )
        .ok()["IdentityPoolId"]
        .clone();
    assert!(west.as_str().expect("id").starts_with("eu-west-1:"));
    let listed = api.call_signed_with("ListIdentityPools", &json!({"MaxResults": 60}), &eu).ok();
    assert_eq!(listed["IdentityPools"].as_array().expect("list").len(), 1);
    api.call_signed_with("DescribeIdentityPool", &json!({"IdentityPoolId": east}), &eu)
        .assert_error(400, "ResourceNotFoundException");
    // Unsigned calls find a pool by its id.
    api.ok("GetId", json!({"IdentityPoolId": west}));
}

#[test]
fn roles_and_role_mappings() {
    let api = start();
    let pool = api.create_pool(json!({
        "CognitoIdentityProviders": [{"ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "ClientId": "client1"}],
        "SupportedLoginProviders": {"graph.facebook.com": "1"},
    }))["IdentityPoolId"].clone();
    let empty = api.ok("GetIdentityPoolRoles", json!({"IdentityPoolId": pool}));
    assert_eq!(empty, json!({"IdentityPoolId": pool, "Roles": {}}));
    let mappings = json!({
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client1": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"},
        "graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "aud", "MatchType": "Equals", "Value": "x", "RoleARN": "arn:aws:iam::123456789012:role/R"}]}},
    });
    let roles = json!({"authenticated": "arn:aws:iam::123456789012:role/Auth", "unauthenticated": "arn:aws:iam::123456789012:role/Unauth"});
    api.ok("SetIdentityPoolRoles", json!({"IdentityPoolId": pool, "Roles": roles, "RoleMappings": mappings}));
    let got = api.ok("GetIdentityPoolRoles", json!({"IdentityPoolId": pool}));
    assert_eq!(got, json!({"IdentityPoolId": pool, "Roles": roles, "RoleMappings": mappings}));

    for (bad, code) in [
        (json!({"Roles": {"authenticated": "not-an-arn-but-long-enough"}}), "InvalidParameterException"),
        (json!({"Roles": {"admin": "arn:aws:iam::123456789012:role/X"}}), "ValidationException"),
        (json!({"Roles": {}, "RoleMappings": {"graph.facebook.com": {"Type": "Token"}}}), "InvalidParameterException"),
        (
            json!({"Roles": {}, "RoleMappings": {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny"}}}),
            "InvalidParameterException",
        ),
        (
            json!({"Roles": {}, "RoleMappings": {"www.amazon.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"}}}),
            "InvalidParameterException",
        ),
        (
            json!({"Roles": {}, "RoleMappings": {"graph.facebook.com": {"Type": "Magic", "AmbiguousRoleResolution": "Deny"}}}),
            "ValidationException",
        ),
        (json!({}), "ValidationException"),
    ] {
        let mut input = bad.clone();
        input["IdentityPoolId"] = pool.clone();
        api.call("SetIdentityPoolRoles", input).assert_error(400, code);
    }
    api.call("GetIdentityPoolRoles", json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}))
        .assert_error(400, "ResourceNotFoundException");
}

#[test]
fn principal_tag_attribute_maps() {
    let api = start();
    let pool =
        api.create_pool(json!({"SupportedLoginProviders": {"graph.facebook.com": "1"}}))["IdentityPoolId"].clone();
    let unset = api.ok(
        "GetPrincipalTagAttributeMap",
        json!({"IdentityPoolId": pool, "IdentityProviderName": "graph.facebook.com"}),
    );
    assert_eq!(unset["UseDefaults"], false);
    let set = api.ok(
        "SetPrincipalTagAttributeMap",
        json!({
        "IdentityPoolId": pool, "IdentityProviderName": "graph.facebook.com",
        "PrincipalTags": {"department": "dept"}}),
    );
    assert_eq!(set["PrincipalTags"], json!({"department": "dept"}));
    let got = api.ok(
        "GetPrincipalTagAttributeMap",
        json!({"IdentityPoolId": pool, "IdentityProviderName": "graph.facebook.com"}),
    );
    assert_eq!(got, set);
    let defaults = api.ok(
        "SetPrincipalTagAttributeMap",
        json!({
        "IdentityPoolId": pool, "IdentityProviderName": "graph.facebook.com", "UseDefaults": true}),
    );
    assert_eq!(defaults["UseDefaults"], true);
    assert_eq!(defaults["PrincipalTags"], json!({"username": "sub", "client": "aud"}));
    api.call(
        "SetPrincipalTagAttributeMap",
        json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000", "IdentityProviderName": "x"}),
    )
    .assert_error(400, "ResourceNotFoundException");
}

#[test]
fn resource_tags_on_the_pool_arn() {
    let api = start();
    let pool =
        api.create_pool(json!({"IdentityPoolTags": {"a": "1"}}))["IdentityPoolId"].as_str().expect("id").to_owned();
    let arn = api.emu.pool_arn(&pool);
    assert_eq!(arn, format!("arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool}"));
    assert_eq!(api.ok("ListTagsForResource", json!({"ResourceArn": arn})), json!({"Tags": {"a": "1"}}));
    api.ok("TagResource", json!({"ResourceArn": arn, "Tags": {"b": "2", "c": ""}}));
    assert_eq!(
        api.ok("ListTagsForResource", json!({"ResourceArn": arn}))["Tags"],
        json!({"a": "1", "b": "2", "c": ""})
    );
    api.ok("UntagResource", json!({"ResourceArn": arn, "TagKeys": ["a", "zzz"]}));
    assert_eq!(api.ok("ListTagsForResource", json!({"ResourceArn": arn}))["Tags"], json!({"b": "2", "c": ""}));
    // Tags show in DescribeIdentityPool too.
    assert_eq!(
        api.ok("DescribeIdentityPool", json!({"IdentityPoolId": pool}))["IdentityPoolTags"],
        json!({"b": "2", "c": ""})
    );

    let other_pool = arn.replace(&pool[10..], "00000000-0000-0000-0000-000000000000");
    api.call("ListTagsForResource", json!({"ResourceArn": other_pool})).assert_error(400, "ResourceNotFoundException");
    api.call("ListTagsForResource", json!({"ResourceArn": arn.replace("123456789012", "999999999999")}))
        .assert_error(400, "ResourceNotFoundException");
    api.call("TagResource", json!({"ResourceArn": "arn:aws:s3:::some-bucket-name", "Tags": {"x": "y"}}))
        .assert_error(400, "InvalidParameterException");
    api.call("TagResource", json!({"ResourceArn": arn, "Tags": {"aws:x": "y"}}))
        .assert_error(400, "InvalidParameterException");
    let many: serde_json::Map<String, Value> = (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
    api.call("TagResource", json!({"ResourceArn": arn, "Tags": many})).assert_error(400, "InvalidParameterException");
    api.call("TagResource", json!({"ResourceArn": arn})).assert_error(400, "ValidationException");
}
