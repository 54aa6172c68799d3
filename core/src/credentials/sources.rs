//! The sources that fetch credentials, on aws-config's providers (smithy-rs,
//! maintained by AWS from the same specification as botocore's), sending
//! through our HTTP stack (`sdk_http.rs`).
//!
//! What aws-config leaves to us, and why:
//! - which source applies, in botocore's order (`chain.rs`): aws-config's own
//!   chain orders profile keys differently (`credential_process` before the
//!   credentials file's static keys) and reads web identity settings from the
//!   environment only, where botocore mixes environment and profile;
//! - the instance metadata settings botocore reads (`AWS_METADATA_SERVICE_TIMEOUT`,
//!   `..._NUM_ATTEMPTS`), which aws-config does not;
//! - a bound on every fetch: aws-config runs `credential_process` with no
//!   timeout, so a hung command would hang the call.

use super::chain::{ImdsSettings, Plan};
use super::refresh::{BoxFuture, Fetch};
use super::sdk_http::SdkHttpClient;
use super::{CredentialSource, Credentials};
use crate::error::{Error, ErrorKind, codes};
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_smithy_async::rt::sleep::TokioSleep;
use aws_smithy_types::timeout::TimeoutConfig;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// What every source shares: the HTTP client, region and files of the client.
#[derive(Debug, Clone)]
pub(crate) struct SourceSettings {
    pub http: SdkHttpClient,
    pub region: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Bounds each fetch, the source's own retries included (the AWS SDK
    /// for Rust bounds credential loading the same way).
    pub fetch_timeout: Duration,
    pub config_file: Option<PathBuf>,
    pub credentials_file: Option<PathBuf>,
}

impl SourceSettings {
    fn provider_config(&self) -> ProviderConfig {
        ProviderConfig::empty()
            .with_http_client(self.http.clone())
            .with_sleep_impl(TokioSleep::new())
            .with_region(Some(aws_types::region::Region::new(self.region.clone())))
            .with_timeout_config(
                TimeoutConfig::builder().connect_timeout(self.connect_timeout).read_timeout(self.read_timeout).build(),
            )
    }

    /// The files the chain read. A missing one is no error (botocore skips
    /// it) where aws-config fails on a named file it cannot read, and it
    /// panics on an empty set: an empty config stands in then.
    fn profile_files(&self) -> EnvConfigFiles {
        let mut files = EnvConfigFiles::builder().with_contents(EnvConfigFileKind::Config, "");
        for (kind, path) in
            [(EnvConfigFileKind::Config, &self.config_file), (EnvConfigFileKind::Credentials, &self.credentials_file)]
        {
            if let Some(p) = path.as_ref().filter(|p| std::fs::File::open(p).is_ok()) {
                files = files.with_file(kind, p);
            }
        }
        files.build()
    }
}

/// aws-config's provider for a plan.
pub(crate) fn provider(plan: &Plan, s: &SourceSettings) -> Result<SharedCredentialsProvider, Error> {
    let pc = s.provider_config();
    Ok(match plan {
        Plan::Profile { profile, .. } => SharedCredentialsProvider::new(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .configure(&pc)
                .profile_files(s.profile_files())
                .profile_name(profile)
                .build(),
        ),
        Plan::WebIdentity { token_file, role_arn, session_name, .. } => {
            let session_name = session_name.clone().unwrap_or_else(default_session_name);
            SharedCredentialsProvider::new(
                aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
                    .configure(&pc)
                    .static_configuration(aws_config::web_identity_token::StaticConfiguration {
                        web_identity_token_file: token_file.clone(),
                        role_arn: role_arn.clone(),
                        session_name,
                    })
                    .build(),
            )
        }
        Plan::Container => {
            SharedCredentialsProvider::new(aws_config::ecs::EcsCredentialsProvider::builder().configure(&pc).build())
        }
        Plan::InstanceMetadata(settings) => SharedCredentialsProvider::new(
            aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                .configure(&pc)
                .imds_client(imds_client(settings, &pc)?)
                .build(),
        ),
    })
}

fn imds_client(s: &ImdsSettings, pc: &ProviderConfig) -> Result<aws_config::imds::Client, Error> {
    use aws_config::imds::client::EndpointMode;
    let mut b = aws_config::imds::Client::builder()
        .configure(pc)
        .max_attempts(s.attempts)
        .connect_timeout(s.timeout)
        .read_timeout(s.timeout)
        .endpoint_mode(if s.ipv6 { EndpointMode::IpV6 } else { EndpointMode::IpV4 });
    if let Some(endpoint) = &s.endpoint {
        b = b.endpoint(endpoint).map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                codes::INVALID_CONFIG,
                format!("AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint {endpoint:?}: {e}"),
            )
        })?;
    }
    Ok(b.build())
}

/// botocore names web identity sessions `botocore-session-<unix time>`.
fn default_session_name() -> String {
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format!("cognito-identity-session-{secs}")
}

/// A fetch from a planned source, as the refresh cache wants it.
pub(crate) struct PlannedFetch {
    source: CredentialSource,
    provider: SharedCredentialsProvider,
    timeout: Duration,
}

impl PlannedFetch {
    pub fn new(plan: &Plan, settings: &SourceSettings) -> Result<Self, Error> {
        Ok(PlannedFetch { source: plan.source(), provider: provider(plan, settings)?, timeout: settings.fetch_timeout })
    }

    pub async fn fetch_credentials(&self) -> Result<Credentials, Error> {
        let fetched = tokio::time::timeout(self.timeout, self.provider.provide_credentials()).await;
        let creds = match fetched {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(map_error(&self.source, &e)),
            Err(_) => {
                return Err(retrieval_error(
                    &self.source,
                    &format!("no answer within {} s", self.timeout.as_secs_f64()),
                ));
            }
        };
        Ok(Credentials::new(creds.access_key_id(), creds.secret_access_key(), creds.session_token().map(str::to_owned))
            .with_expiry(creds.expiry())
            .with_source(self.source.clone()))
    }
}

impl Fetch<Credentials> for PlannedFetch {
    fn fetch(&self) -> BoxFuture<'_, Result<(Credentials, Option<SystemTime>), Error>> {
        Box::pin(async move {
            let c = self.fetch_credentials().await?;
            let expiry = c.expiry();
            Ok((c, expiry))
        })
    }
}

fn retrieval_error(source: &CredentialSource, detail: &str) -> Error {
    Error::new(
        ErrorKind::Credentials,
        codes::CREDENTIAL_RETRIEVAL,
        format!("Error when retrieving credentials from {source}: {detail}"),
    )
}

/// aws-config's errors in botocore's vocabulary, naming the source and profile.
/// Only the errors' `Display` chain is shown: their `Debug` form holds raw
/// responses, which may carry credentials.
fn map_error(source: &CredentialSource, e: &CredentialsError) -> Error {
    let detail = crate::transport::describe(e);
    match e {
        CredentialsError::InvalidConfiguration(_) => Error::new(
            ErrorKind::Configuration,
            codes::INVALID_CONFIG,
            format!("Invalid configuration for {source}: {detail}"),
        ),
        _ if matches!(source, CredentialSource::Sso(_)) && is_sso_token_problem(&detail) => Error::new(
            ErrorKind::Credentials,
            codes::UNAUTHORIZED_SSO_TOKEN,
            format!(
                "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this \
                 SSO session run aws sso login with the corresponding profile ({source}: {detail})"
            ),
        ),
        _ => retrieval_error(source, &detail),
    }
}

fn is_sso_token_problem(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    d.contains("token") && (d.contains("expired") || d.contains("no such file") || d.contains("unauthorized"))
}
