//! Credentials from a Cognito identity pool, for any other AWS call: the
//! provider the JavaScript and mobile SDKs have and the others lack.
//!
//! ```no_run
//! use cognito_identity::identity_pool::{IdentityPoolConfig, IdentityPoolCredentialsProvider};
//!
//! let config = IdentityPoolConfig::builder("us-east-1:00000000-0000-0000-0000-000000000000")
//!     .logins([("accounts.google.com".to_owned(), "eyJ...".to_owned())].into())
//!     .build()?;
//! let provider = IdentityPoolCredentialsProvider::new(config)?;
//! let creds = provider.credentials()?; // refreshed before they expire
//! println!("{} for {}", creds.credentials().access_key_id(), creds.identity_id());
//! # Ok::<(), cognito_identity::Error>(())
//! ```
//!
//! - Flows: enhanced (GetId + GetCredentialsForIdentity, `CustomRoleArn`)
//!   or classic (GetId + GetOpenIdToken + STS AssumeRoleWithWebIdentity).
//! - The identity id is kept in memory and, by default, in a file per pool
//!   and user (`disk_cache.rs`), so a restarted process keeps its identity.
//! - Credentials are refreshed with botocore's advisory and mandatory windows,
//!   one refresh at a time, on the clock corrected by the measured skew
//!   (`credentials/refresh.rs`).
//! - A cached identity that is gone (deleted, or forbidden) is dropped and a
//!   new one asked for, once; an expired login token goes to the caller.
//! - A guest identity gets linked when logins are first given.
//! - It implements `aws_credential_types::provider::ProvideCredentials`, so
//!   it serves any AWS SDK for Rust client.

mod config;
mod disk_cache;
mod flow;
mod logins;
mod sts;

pub use config::{CacheDir, Flow, IdentityPoolConfig, IdentityPoolConfigBuilder, JSON_KEYS};
pub use disk_cache::default_dir;
pub use logins::{LoginMap, Logins, LoginsSource};

use crate::client::Client;
use crate::credentials::Credentials;
use crate::credentials::refresh::Refreshing;
use crate::error::Error;
use aws_credential_types::provider::{ProvideCredentials, error::CredentialsError, future};
use flow::{FlowFetch, FlowState, Held};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

/// Credentials of an identity, and the identity's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPoolCredentials {
    credentials: Credentials,
    identity_id: String,
}

impl IdentityPoolCredentials {
    /// The temporary AWS credentials (`expiry()` says until when).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
    /// The identity these credentials belong to.
    pub fn identity_id(&self) -> &str {
        &self.identity_id
    }
}

/// The provider. Cheap to clone (clones share the identity and the cache);
/// `Send + Sync`: any number of threads may ask at once, and one refresh runs.
#[derive(Clone)]
pub struct IdentityPoolCredentialsProvider {
    state: Arc<FlowState>,
    cache: Arc<Refreshing<IdentityPoolCredentials>>,
}

impl std::fmt::Debug for IdentityPoolCredentialsProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityPoolCredentialsProvider")
            .field("identity_pool_id", &self.state.config.identity_pool_id)
            .field("identity_id", &self.identity_id())
            .field("flow", &self.state.config.flow)
            .finish_non_exhaustive()
    }
}

impl IdentityPoolCredentialsProvider {
    /// Builds the provider; nothing is fetched until credentials are asked for.
    pub fn new(config: IdentityPoolConfig) -> Result<Self, Error> {
        Self::with_env(config, &|k| std::env::var(k).ok())
    }

    /// As [`IdentityPoolCredentialsProvider::new`], reading "environment
    /// variables" (endpoints, the cache directory) from `env`.
    pub fn with_env(config: IdentityPoolConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        // The calls are unsigned: the client looks for no credentials.
        let client = Client::with_env(crate::Config { unsigned: true, ..config.client.clone() }, env)?;
        let sts = match &config.flow {
            Flow::Classic { .. } => Some(sts::client(&client, config.sts_endpoint_url.as_deref(), env)),
            Flow::Enhanced => None,
        };
        let disk = match &config.cache_dir {
            CacheDir::Disabled => None,
            CacheDir::Dir(dir) => Some(disk_cache::DiskCache::new(dir.clone())),
            CacheDir::Default => default_dir(env).map(disk_cache::DiskCache::new),
        };
        let clock = client.clone();
        let windows = config.refresh;
        let label = format!("cognito-identity-pool ({})", config.identity_pool_id);
        let state = Arc::new(FlowState {
            logins: RwLock::new(config.logins.clone()),
            config,
            client,
            sts,
            disk,
            held: Mutex::new(Held::default()),
            disk_credentials_checked: AtomicBool::new(false),
        });
        let cache = Refreshing::new(
            label,
            Box::new(FlowFetch(Arc::clone(&state))),
            windows,
            Box::new(move || clock.corrected_now()),
        );
        Ok(IdentityPoolCredentialsProvider { state, cache: Arc::new(cache) })
    }

    /// Credentials, fetched or refreshed as needed (blocking).
    pub fn credentials(&self) -> Result<IdentityPoolCredentials, Error> {
        let this = self.clone();
        crate::runtime::block_on_anywhere(async move { this.credentials_async().await })?
    }

    /// The async form of [`IdentityPoolCredentialsProvider::credentials`].
    pub async fn credentials_async(&self) -> Result<IdentityPoolCredentials, Error> {
        Ok(self.cache.get().await?.value.clone())
    }

    /// The pool.
    pub fn identity_pool_id(&self) -> &str {
        &self.state.config.identity_pool_id
    }

    /// The identity id held now (`None` before the first fetch or after `clear`).
    pub fn identity_id(&self) -> Option<String> {
        self.state.held.lock().unwrap_or_else(|p| p.into_inner()).identity_id.clone()
    }

    /// Where the identity ids are kept on disk, if anywhere.
    pub fn cache_dir(&self) -> Option<&std::path::Path> {
        self.state.disk.as_ref().map(|d| d.dir())
    }

    /// Replaces the logins (sign-in, or a token refreshed by the app). The
    /// held credentials are dropped so the next request uses the new logins;
    /// a guest identity is kept, so that Cognito links it to the logins.
    pub fn set_logins(&self, logins: Logins) {
        *self.state.logins.write().unwrap_or_else(|p| p.into_inner()) = logins;
        self.cache.clear();
    }

    /// Forgets the identity id (in memory and on disk) and the credentials:
    /// sign-out.
    pub fn clear(&self) {
        let key = self.state.held.lock().unwrap_or_else(|p| p.into_inner()).user_key.clone();
        if let Some(key) = key {
            self.state.forget(&key);
        }
        self.cache.clear();
    }
}

impl ProvideCredentials for IdentityPoolCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let fetched = self.credentials_async().await.map_err(CredentialsError::provider_error)?;
            Ok(aws_credential_types::Credentials::from(fetched.credentials()))
        })
    }
}
