//! A fast, correct client for the Amazon Cognito Identity API (2014-06-30),
//! with the AWS SDKs' credential chain and an identity-pool credentials
//! provider for any other AWS call.
//!
//! ```no_run
//! use cognito_identity::types::GetIdInput;
//! use cognito_identity::{Client, Config, ErrorCode};
//!
//! let client = Client::new(Config::builder().region("us-east-1").build()?)?;
//! let input = GetIdInput::builder().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000").build()?;
//! match client.get_id(input) {
//!     Ok(out) => println!("{}", out.identity_id().unwrap_or_default()),
//!     Err(e) if e.error_code() == Some(ErrorCode::ResourceNotFoundException) => println!("no such pool"),
//!     Err(e) => return Err(e),
//! }
//! # Ok::<(), cognito_identity::Error>(())
//! ```
//!
//! - [`Client`]: all 23 operations, typed ([`types`]: an input with a builder
//!   and an output with getters per operation, async twins, paginators) or as
//!   JSON ([`Client::call_json`], the path the C, Python and Go front doors use).
//!   Model-driven validation, SigV4, standard retries, timeouts, endpoints.
//! - [`Config`]: region, endpoint, credentials, profile, timeouts and retries,
//!   each filled in from the environment and the shared files as the AWS SDKs do.
//! - [`credentials`]: the default credential chain (environment, profiles,
//!   `credential_process`, SSO, assume-role, web identity, container, IMDS).
//! - [`identity_pool`]: temporary AWS credentials from an identity pool,
//!   refreshed before they expire, for any AWS SDK for Rust client.
//! - [`Error`]: one error type, with the service's or a client-side code
//!   ([`ErrorCode`]), and the same JSON document in every language.
#![warn(missing_docs)]

#[doc(hidden)]
pub mod amz_date;
mod client;
pub mod config;
pub mod credentials;
#[doc(hidden)]
pub mod endpoint;
pub mod error;
mod fork;
pub mod identity_pool;
mod log;
#[doc(hidden)]
pub mod model;
mod output;
#[doc(hidden)]
pub mod profile;
#[doc(hidden)]
pub mod redact;
#[doc(hidden)]
pub mod retry;
mod runtime;
mod signing;
mod sigpipe;
mod tls;
mod transport;
pub mod types;
#[doc(hidden)]
pub mod validate;
#[doc(hidden)]
pub mod wire;

pub use client::{Client, PendingCall, Progress};
pub use config::{Config, ConfigBuilder};
pub use credentials::{CredentialSource, Credentials};
pub use error::{Error, ErrorCode, ErrorKind};
pub use sigpipe::block_sigpipe_in_this_thread;
