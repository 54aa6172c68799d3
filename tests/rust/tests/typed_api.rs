//! The twin of core/examples/typed.rs, asserted: a program written only
//! against the typed API's public names, against the emulator.

use cognito_identity::types::{
    CreateIdentityPoolInput, DescribeIdentityPoolInput, GetCredentialsForIdentityInput, GetIdInput,
    ListIdentityPoolsInput, SetIdentityPoolRolesInput,
};
use cognito_identity::{Client, Config, Credentials, ErrorCode, ErrorKind};
use cognito_identity_emulator::{Emulator, EmulatorConfig};
use serde_json::json;
use std::collections::HashMap;
use std::error::Error as _;

fn client(emu: &Emulator) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(emu.url())
        .credentials(Credentials::new("test", "test", None))
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

#[test]
fn the_typed_api_end_to_end() {
    let emu = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let client = client(&emu);
    let pool = client
        .create_identity_pool(
            CreateIdentityPoolInput::builder()
                .identity_pool_name("typed")
                .allow_unauthenticated_identities(true)
                .build()
                .expect("input"),
        )
        .expect("create");
    assert!(pool.identity_pool_id().starts_with("us-east-1:"));
    assert_eq!((pool.identity_pool_name(), pool.allow_unauthenticated_identities()), ("typed", true));
    assert_eq!(pool.response_metadata().map(|m| m.http_status()), Some(200));

    let id = client
        .get_id(GetIdInput::builder().identity_pool_id(pool.identity_pool_id()).build().expect("input"))
        .expect("GetId");
    let identity_id = id.identity_id().expect("an identity").to_owned();

    let no_roles = client
        .get_credentials_for_identity(
            GetCredentialsForIdentityInput::builder().identity_id(&identity_id).build().expect("input"),
        )
        .unwrap_err();
    assert_eq!(no_roles.error_code(), Some(ErrorCode::InvalidIdentityPoolConfigurationException));
    let missing = client
        .describe_identity_pool(
            DescribeIdentityPoolInput::builder()
                .identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000")
                .build()
                .expect("input"),
        )
        .unwrap_err();
    assert_eq!(
        (missing.error_code(), missing.kind()),
        (Some(ErrorCode::ResourceNotFoundException), ErrorKind::Service)
    );

    client
        .set_identity_pool_roles(
            SetIdentityPoolRolesInput::builder()
                .identity_pool_id(pool.identity_pool_id())
                .roles(HashMap::from([("unauthenticated".to_owned(), "arn:aws:iam::123456789012:role/T".to_owned())]))
                .build()
                .expect("input"),
        )
        .expect("roles");
    let creds = client
        .get_credentials_for_identity(
            GetCredentialsForIdentityInput::builder().identity_id(&identity_id).build().expect("input"),
        )
        .expect("credentials");
    let c = creds.credentials().expect("credentials");
    assert!(c.access_key_id().is_some_and(|k| k.starts_with("ASIA")));
    assert!(c.expiration().is_some_and(|e| e > std::time::SystemTime::now()));
    assert!(!format!("{creds:?}").contains(c.secret_key().expect("secret")), "Debug shows no secret");

    for n in 0..3 {
        let input = CreateIdentityPoolInput::builder()
            .identity_pool_name(format!("more{n}"))
            .allow_unauthenticated_identities(false)
            .build()
            .expect("input");
        client.create_identity_pool(input).expect("create");
    }
    let pages: Vec<_> = client
        .list_identity_pools_pages(ListIdentityPoolsInput::builder().max_results(2).build().expect("input"))
        .collect::<Result<_, _>>()
        .expect("pages");
    assert_eq!(pages.len(), 2);
    let names: Vec<&str> =
        pages.iter().flat_map(|p| p.identity_pools()).filter_map(|p| p.identity_pool_name()).collect();
    assert_eq!(names.len(), 4);
    assert!(names.contains(&"typed") && names.contains(&"more2"));

    let roles = client
        .call_json("GetIdentityPoolRoles", &json!({"IdentityPoolId": pool.identity_pool_id()}))
        .expect("JSON path");
    assert_eq!(roles["Roles"]["unauthenticated"], "arn:aws:iam::123456789012:role/T");
}

#[test]
fn build_refuses_what_the_model_refuses_before_sending() {
    let e = GetIdInput::builder().build().unwrap_err();
    assert_eq!((e.error_code(), e.kind()), (Some(ErrorCode::ParamValidationError), ErrorKind::Validation));
    assert!(e.message().contains("IdentityPoolId"), "{e}");
    let e = ListIdentityPoolsInput::builder().max_results(0).build().unwrap_err();
    assert!(e.message().contains("MaxResults"), "{e}");
    assert!(Config::builder().max_attempts(0).build().is_err());
}

#[test]
fn transport_errors_keep_their_cause() {
    let config =
        Config::builder().region("us-east-1").endpoint_url("http://127.0.0.1:9").unsigned(true).max_attempts(1);
    let client = Client::new(config.build().expect("config")).expect("client");
    let e = client
        .get_id(
            GetIdInput::builder()
                .identity_pool_id("us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
                .build()
                .expect("input"),
        )
        .unwrap_err();
    assert_eq!(e.error_code(), Some(ErrorCode::EndpointConnectionError));
    assert!(e.source().is_some(), "the I/O error is the source");
}
