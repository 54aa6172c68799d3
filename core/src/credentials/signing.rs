//! The credentials a client signs with: none, static keys (signed with a
//! signer built once, the fast path), or a source whose temporary
//! credentials are fetched at the first signed call and refreshed before
//! they expire.

use super::chain::{Decision, Plan};
use super::refresh::{BoxFuture, Entry, Fetch, RefreshWindows, Refreshing};
use super::sdk_http::SdkHttpClient;
use super::sources::{PlannedFetch, SourceSettings};
use super::{CredentialSource, Credentials};
use crate::config::Resolved;
use crate::error::{Error, ErrorKind, codes};
use crate::signing::{ClockSkew, Signer};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

pub(crate) enum SigningCredentials {
    None,
    Static(Box<Signer>),
    Fetched(Box<Fetched>),
}

pub(crate) struct Fetched {
    source: CredentialSource,
    /// The instance metadata service is the chain's last resort: when it
    /// answers that it has nothing (or is not there), the client has no
    /// credentials from then on, as a botocore client resolved at creation.
    last_resort: bool,
    unavailable: AtomicBool,
    cache: Refreshing<Signed>,
}

/// Fetched credentials and the signer built for them.
pub(crate) struct Signed {
    pub credentials: Credentials,
    pub signer: Signer,
}

/// A signer to use for one request.
pub(crate) enum SignerRef<'a> {
    Held(&'a Signer),
    Fetched(Arc<Entry<Signed>>),
}

impl SignerRef<'_> {
    pub fn signer(&self) -> &Signer {
        match self {
            SignerRef::Held(s) => s,
            SignerRef::Fetched(e) => &e.value.signer,
        }
    }
}

struct SignerFetch {
    planned: PlannedFetch,
    region: String,
}

impl Fetch<Signed> for SignerFetch {
    fn fetch(&self) -> BoxFuture<'_, Result<(Signed, Option<SystemTime>), Error>> {
        Box::pin(async move {
            let credentials = self.planned.fetch_credentials().await?;
            let expiry = credentials.expiry();
            let signer = Signer::new(&credentials, &self.region);
            Ok((Signed { credentials, signer }, expiry))
        })
    }
}

impl SigningCredentials {
    pub fn new(cfg: &Resolved, skew: &Arc<ClockSkew>) -> Result<Self, Error> {
        Ok(match &cfg.credentials {
            Decision::None => SigningCredentials::None,
            Decision::Static(c) => {
                tracing::debug!(target: crate::log::CREDENTIALS, source = %c.source(), access_key_id = c.access_key_id(), "credentials from {}", c.source());
                SigningCredentials::Static(Box::new(Signer::new(c, &cfg.region)))
            }
            Decision::Fetch(plan) => {
                let settings = SourceSettings {
                    http: SdkHttpClient::new(cfg.ca_bundle.clone(), &cfg.proxies, &cfg.user_agent),
                    region: cfg.region.clone(),
                    connect_timeout: cfg.connect_timeout,
                    read_timeout: cfg.read_timeout,
                    fetch_timeout: cfg.credential_timeout,
                    config_file: cfg.config_file.clone(),
                    credentials_file: cfg.credentials_file.clone(),
                };
                let fetch = SignerFetch { planned: PlannedFetch::new(plan, &settings)?, region: cfg.region.clone() };
                let clock = Arc::clone(skew);
                let source = plan.source();
                tracing::debug!(target: crate::log::CREDENTIALS, source = %source, "credentials will come from {source} at the first signed call");
                SigningCredentials::Fetched(Box::new(Fetched {
                    last_resort: matches!(plan, Plan::InstanceMetadata(_)),
                    unavailable: AtomicBool::new(false),
                    cache: Refreshing::new(
                        source.to_string(),
                        Box::new(fetch),
                        RefreshWindows::default(),
                        Box::new(move || clock.now()),
                    ),
                    source,
                }))
            }
        })
    }

    /// The signer for a request, fetching or refreshing credentials if needed.
    pub async fn signer(&self) -> Result<SignerRef<'_>, Error> {
        match self {
            SigningCredentials::None => Err(no_credentials()),
            SigningCredentials::Static(s) => Ok(SignerRef::Held(s)),
            SigningCredentials::Fetched(f) => {
                if f.unavailable.load(Ordering::Relaxed) {
                    return Err(no_credentials());
                }
                match f.cache.get().await {
                    Ok(entry) => Ok(SignerRef::Fetched(entry)),
                    // As botocore's instance metadata provider, the last resort
                    // that never served means "no credentials", for good.
                    Err(e) if f.last_resort && f.cache.peek().is_none() => {
                        f.unavailable.store(true, Ordering::Relaxed);
                        tracing::info!(target: crate::log::CREDENTIALS, "no credentials: the instance metadata service, the last source of the chain, gave none: {}", e.message());
                        Err(no_credentials_with(e.message()))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Where the credentials come from. The instance metadata service, the
    /// last resort, is named only once it has given credentials.
    pub fn source(&self) -> Option<CredentialSource> {
        match self {
            SigningCredentials::None => None,
            SigningCredentials::Static(s) => Some(s.credentials().source().clone()),
            SigningCredentials::Fetched(f) if f.last_resort => f.cache.peek().map(|_| f.source.clone()),
            SigningCredentials::Fetched(f) => Some(f.source.clone()),
        }
    }

    /// The access key id in use, when known (not a secret).
    pub fn access_key_id(&self) -> Option<String> {
        match self {
            SigningCredentials::None => None,
            SigningCredentials::Static(s) => Some(s.credentials().access_key_id().to_owned()),
            SigningCredentials::Fetched(f) => f.cache.peek().map(|e| e.value.credentials.access_key_id().to_owned()),
        }
    }
}

const NO_CREDENTIALS: &str = "Unable to locate credentials: set aws_access_key_id and aws_secret_access_key, \
     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile (static keys, role_arn, web identity, SSO or \
     credential_process), or run where container or instance metadata credentials are served";

pub(crate) fn no_credentials() -> Error {
    Error::new(ErrorKind::Credentials, codes::NO_CREDENTIALS, NO_CREDENTIALS)
}

fn no_credentials_with(detail: &str) -> Error {
    Error::new(ErrorKind::Credentials, codes::NO_CREDENTIALS, format!("{NO_CREDENTIALS} (instance metadata: {detail})"))
}
