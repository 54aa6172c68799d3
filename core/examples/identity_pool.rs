//! An identity pool's credentials for any AWS SDK for Rust client.
//!
//! ```sh
//! cargo run -p cognito-identity --example identity_pool -- http://127.0.0.1:PORT
//! ```
//! It creates a pool on the given endpoint (the local emulator: `make demo`
//! runs it), then signs an STS GetCallerIdentity call with the pool's guest
//! credentials through `aws_config::defaults(..).credentials_provider(provider)`.
//! The emulator serves STS on the same port; against AWS, leave STS's endpoint alone.

#![allow(clippy::print_stdout)] // printing is what an example is for

use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls::{Provider as TlsProvider, rustls_provider::CryptoMode};
use cognito_identity::identity_pool::{IdentityPoolConfig, IdentityPoolCredentialsProvider};
use cognito_identity::{Client, Config, Credentials};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("COGNITO_IDENTITY_ENDPOINT").ok())
        .ok_or("usage: identity_pool ENDPOINT_URL (or set COGNITO_IDENTITY_ENDPOINT)")?;

    // Administration, with the emulator's key: a pool that allows guests.
    let admin = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(&endpoint)
            .credentials(Credentials::new("test", "test", None))
            .build()?,
    )?;
    let pool = admin
        .call_json_async(
            "CreateIdentityPool",
            &json!({"IdentityPoolName": "rust_sdk", "AllowUnauthenticatedIdentities": true}),
        )
        .await?;
    let pool_id = pool["IdentityPoolId"].as_str().ok_or("no IdentityPoolId")?.to_owned();
    admin
        .call_json_async(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": pool_id, "Roles": {"unauthenticated": "arn:aws:iam::123456789012:role/RustGuest"}}),
        )
        .await?;

    // The provider: guest credentials of the pool, refreshed before they expire.
    let provider = IdentityPoolCredentialsProvider::new(
        IdentityPoolConfig::builder(&pool_id).endpoint_url(&endpoint).no_disk_cache().build()?,
    )?;

    // Any AWS SDK for Rust client: here STS, with the SDK's own HTTP client.
    let http = aws_smithy_http_client::Builder::new().tls_provider(TlsProvider::Rustls(CryptoMode::Ring)).build_https();
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .credentials_provider(provider.clone())
        .load()
        .await;
    let who = aws_sdk_sts::Client::new(&sdk_config).get_caller_identity().send().await?;
    println!("identity pool: {pool_id}");
    println!("identity id:   {}", provider.identity_id().unwrap_or_default());
    println!("signed as:     {}", who.arn().unwrap_or_default());
    Ok(())
}
