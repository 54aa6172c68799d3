//! Every one of the 23 operations round-trips through the core client against
//! the emulator, and the test proves it called each operation of the model.
#![allow(clippy::unwrap_used)]

use cognito_identity::{Client, Config, Credentials, model};
use cognito_identity_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Mutex;

struct Recorder<'a> {
    client: &'a Client,
    called: Mutex<BTreeSet<&'static str>>,
}

impl Recorder<'_> {
    fn call(&self, op: &'static str, input: Value) -> Value {
        let out = self.client.call_json(op, &input).unwrap_or_else(|e| panic!("{op}: {e}"));
        assert_eq!(out["ResponseMetadata"]["HTTPStatusCode"], 200, "{op}");
        assert!(out["ResponseMetadata"]["RequestId"].as_str().is_some_and(|r| !r.is_empty()), "{op}");
        self.called.lock().unwrap().insert(op);
        out
    }
}

#[test]
fn all_23_operations_round_trip() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let key = emu.access_key();
    let config = Config::builder()
        .region(emu.region().to_owned())
        .endpoint_url(emu.url())
        .credentials(Credentials::new(key.id, key.secret, None))
        .build()
        .expect("config");
    let client = Client::with_env(config, &|_| None).unwrap();
    let r = Recorder { client: &client, called: Mutex::new(BTreeSet::new()) };
    let role = |n: &str| format!("arn:aws:iam::123456789012:role/{n}");

    let pool = r.call(
        "CreateIdentityPool",
        json!({
            "IdentityPoolName": "every op",
            "AllowUnauthenticatedIdentities": true,
            "SupportedLoginProviders": {"graph.facebook.com": "1234"},
            "DeveloperProviderName": "login.example",
            "IdentityPoolTags": {"team": "a"}
        }),
    );
    let pool_id = pool["IdentityPoolId"].as_str().unwrap().to_owned();
    assert_eq!(pool["IdentityPoolTags"]["team"], "a");
    let described = r.call("DescribeIdentityPool", json!({"IdentityPoolId": pool_id}));
    assert_eq!(described["IdentityPoolName"], "every op");
    let mut update = described.as_object().unwrap().clone();
    update.remove("ResponseMetadata");
    update.insert("IdentityPoolName".into(), json!("renamed"));
    assert_eq!(r.call("UpdateIdentityPool", Value::Object(update))["IdentityPoolName"], "renamed");
    let listed = r.call("ListIdentityPools", json!({"MaxResults": 60}));
    assert!(listed["IdentityPools"].as_array().unwrap().iter().any(|p| p["IdentityPoolId"] == pool_id.as_str()));

    r.call(
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": pool_id, "Roles": {"authenticated": role("auth"), "unauthenticated": role("guest")}}),
    );
    assert_eq!(
        r.call("GetIdentityPoolRoles", json!({"IdentityPoolId": pool_id}))["Roles"]["unauthenticated"],
        role("guest")
    );

    let arn = emu.pool_arn(&pool_id);
    r.call("TagResource", json!({"ResourceArn": arn, "Tags": {"env": "test"}}));
    r.call("UntagResource", json!({"ResourceArn": arn, "TagKeys": ["team"]}));
    assert_eq!(r.call("ListTagsForResource", json!({"ResourceArn": arn}))["Tags"], json!({"env": "test"}));

    let tags = json!({"IdentityPoolId": pool_id, "IdentityProviderName": "graph.facebook.com", "UseDefaults": false, "PrincipalTags": {"k": "v"}});
    r.call("SetPrincipalTagAttributeMap", tags);
    let got = r.call(
        "GetPrincipalTagAttributeMap",
        json!({"IdentityPoolId": pool_id, "IdentityProviderName": "graph.facebook.com"}),
    );
    assert_eq!(got["PrincipalTags"]["k"], "v");

    let logins = json!({"graph.facebook.com": "user-one"});
    let id = r.call("GetId", json!({"IdentityPoolId": pool_id, "Logins": logins}));
    let identity = id["IdentityId"].as_str().unwrap().to_owned();
    let creds = r.call("GetCredentialsForIdentity", json!({"IdentityId": identity, "Logins": logins}));
    assert!(creds["Credentials"]["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert!(creds["Credentials"]["Expiration"].is_number());
    let token = r.call("GetOpenIdToken", json!({"IdentityId": identity, "Logins": logins}));
    assert_eq!(token["Token"].as_str().unwrap().split('.').count(), 3, "a JWT");
    let described = r.call("DescribeIdentity", json!({"IdentityId": identity}));
    assert_eq!(described["Logins"], json!(["graph.facebook.com"]));
    r.call(
        "UnlinkIdentity",
        json!({"IdentityId": identity, "Logins": logins, "LoginsToRemove": ["graph.facebook.com"]}),
    );

    let dev = r.call(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool_id, "Logins": {"login.example": "alice"}, "TokenDuration": 600}),
    );
    let dev_identity = dev["IdentityId"].as_str().unwrap().to_owned();
    r.call(
        "GetOpenIdTokenForDeveloperIdentity",
        json!({"IdentityPoolId": pool_id, "Logins": {"login.example": "bob"}}),
    );
    let found =
        r.call("LookupDeveloperIdentity", json!({"IdentityPoolId": pool_id, "DeveloperUserIdentifier": "alice"}));
    assert_eq!(found["IdentityId"], dev_identity.as_str());
    let merged = r.call(
        "MergeDeveloperIdentities",
        json!({"IdentityPoolId": pool_id, "DeveloperProviderName": "login.example",
               "SourceUserIdentifier": "bob", "DestinationUserIdentifier": "alice"}),
    );
    assert_eq!(merged["IdentityId"], dev_identity.as_str());
    r.call(
        "UnlinkDeveloperIdentity",
        json!({"IdentityId": dev_identity, "IdentityPoolId": pool_id,
               "DeveloperProviderName": "login.example", "DeveloperUserIdentifier": "bob"}),
    );

    let all = r.call("ListIdentities", json!({"IdentityPoolId": pool_id, "MaxResults": 60}));
    let ids: Vec<&str> =
        all["Identities"].as_array().unwrap().iter().filter_map(|i| i["IdentityId"].as_str()).collect();
    assert!(ids.contains(&identity.as_str()) && ids.contains(&dev_identity.as_str()), "{ids:?}");
    let deleted = r.call("DeleteIdentities", json!({"IdentityIdsToDelete": [identity]}));
    assert_eq!(deleted["UnprocessedIdentityIds"], json!([]));
    r.call("DeleteIdentityPool", json!({"IdentityPoolId": pool_id}));

    let expected: BTreeSet<&str> = model::OPERATIONS.iter().map(|o| o.name).collect();
    assert_eq!(*r.called.lock().unwrap(), expected);
}
