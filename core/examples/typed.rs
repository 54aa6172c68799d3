//! The typed API: builders, getters, error codes, paginators, and the JSON
//! path beside them.
//!
//! ```sh
//! cargo run -p cognito-identity --example typed -- http://127.0.0.1:PORT
//! ```
//! It creates identity pools, so point it at the local emulator (`make demo` does).

#![allow(clippy::print_stdout)] // printing is what an example is for

use cognito_identity::types::{
    CreateIdentityPoolInput, DescribeIdentityPoolInput, GetCredentialsForIdentityInput, GetIdInput,
    ListIdentityPoolsInput,
};
use cognito_identity::{Client, Config, Credentials, ErrorCode};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("COGNITO_IDENTITY_ENDPOINT").ok())
        .ok_or("usage: typed ENDPOINT_URL (or set COGNITO_IDENTITY_ENDPOINT)")?;
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials(Credentials::new("test", "test", None)) // the emulator's key
            .build()?,
    )?;

    // A pool that allows guests, but with no roles yet.
    let pool = client.create_identity_pool(
        CreateIdentityPoolInput::builder()
            .identity_pool_name("typed")
            .allow_unauthenticated_identities(true)
            .build()?,
    )?;
    println!("created {} ({})", pool.identity_pool_id(), pool.identity_pool_name());

    let id = client.get_id(GetIdInput::builder().identity_pool_id(pool.identity_pool_id()).build()?)?;
    let identity_id = id.identity_id().unwrap_or_default().to_owned();
    println!("identity {identity_id}");

    // Error codes are an enum: no role means no credentials.
    match client
        .get_credentials_for_identity(GetCredentialsForIdentityInput::builder().identity_id(&identity_id).build()?)
    {
        Err(e) if e.error_code() == Some(ErrorCode::InvalidIdentityPoolConfigurationException) => {
            println!("no credentials yet: {}", e.code());
        }
        other => println!("unexpected: {other:?}"),
    }
    let missing =
        DescribeIdentityPoolInput::builder().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000");
    match client.describe_identity_pool(missing.build()?) {
        Err(e) if e.error_code() == Some(ErrorCode::ResourceNotFoundException) => {
            println!("no such pool: {}", e.code())
        }
        other => println!("unexpected: {other:?}"),
    }

    // Every pool, page by page, through typed getters.
    for page in client.list_identity_pools_pages(ListIdentityPoolsInput::builder().max_results(10).build()?) {
        for p in page?.identity_pools() {
            println!(
                "pool {} {}",
                p.identity_pool_id().unwrap_or_default(),
                p.identity_pool_name().unwrap_or_default()
            );
        }
    }

    // The JSON path is still there for callers that hold JSON.
    let roles = client.call_json("GetIdentityPoolRoles", &json!({"IdentityPoolId": pool.identity_pool_id()}))?;
    println!("roles (JSON): {}", roles["Roles"]);
    Ok(())
}
