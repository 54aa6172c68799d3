//! Quick start: the classic credentials flow against a Cognito Identity endpoint.
//!
//! ```sh
//! cargo run -p cognito-identity --example quickstart -- http://127.0.0.1:PORT
//! ```
//! With no argument it uses COGNITO_IDENTITY_ENDPOINT, else AWS itself (then
//! your own credentials and region apply). It creates an identity pool, so
//! point it at the local emulator (`make demo` does).

#![allow(clippy::print_stdout)] // printing is what a quick start is for

use cognito_identity::{Client, Config, Credentials};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args().nth(1).or_else(|| std::env::var("COGNITO_IDENTITY_ENDPOINT").ok());
    let mut config = Config::builder().region("us-east-1");
    if let Some(url) = endpoint {
        // The emulator's default key; against AWS the usual credential chain applies.
        config = config.endpoint_url(url).credentials(Credentials::new("test", "test", None));
    }
    let client = Client::new(config.build()?)?;

    // Administration (signed): a pool that allows guests, with roles.
    let pool = client.call_json(
        "CreateIdentityPool",
        &json!({"IdentityPoolName": "quickstart", "AllowUnauthenticatedIdentities": true}),
    )?;
    let pool_id = pool["IdentityPoolId"].as_str().ok_or("no IdentityPoolId")?;
    client.call_json(
        "SetIdentityPoolRoles",
        &json!({"IdentityPoolId": pool_id, "Roles": {
            "unauthenticated": "arn:aws:iam::123456789012:role/guest",
            "authenticated": "arn:aws:iam::123456789012:role/user"}}),
    )?;

    // The app's side (unsigned): an identity, its credentials, its OpenID token.
    let id = client.call_json("GetId", &json!({"IdentityPoolId": pool_id}))?;
    let identity_id = id["IdentityId"].as_str().ok_or("no IdentityId")?;
    println!("identity id:     {identity_id}");
    let creds = client.call_json("GetCredentialsForIdentity", &json!({"IdentityId": identity_id}))?;
    println!("access key id:   {}", creds["Credentials"]["AccessKeyId"]);
    println!("expires (epoch): {}", creds["Credentials"]["Expiration"]);
    let token = client.call_json("GetOpenIdToken", &json!({"IdentityId": identity_id}))?;
    let jwt = token["Token"].as_str().unwrap_or_default();
    println!("OpenID token:    {} characters (not shown)", jwt.len());

    client.call_json("DeleteIdentityPool", &json!({"IdentityPoolId": pool_id}))?;
    Ok(())
}
