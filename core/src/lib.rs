//! A blocking client for the Amazon Cognito Identity API (2014-06-30).
//!
//! ```no_run
//! use cognito_identity::{Client, Config};
//! use serde_json::json;
//!
//! let client = Client::new(Config { region: Some("us-east-1".into()), ..Config::default() })?;
//! let out = client.call("GetId", &json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}))?;
//! println!("{}", out["IdentityId"]);
//! # Ok::<(), cognito_identity::Error>(())
//! ```
pub mod amz_date;
mod client;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod identity_pool;
mod log;
pub mod model;
pub mod profile;
pub mod redact;
pub mod retry;
mod runtime;
mod signing;
mod transport;
pub mod validate;
pub mod wire;

pub use client::Client;
pub use config::Config;
pub use credentials::{CredentialSource, Credentials};
pub use error::{Error, ErrorKind};
