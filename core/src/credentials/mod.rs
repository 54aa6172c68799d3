//! AWS credentials, where they came from, and how a client finds and keeps
//! them fresh. Secret parts never print.
//!
//! - `chain`: which source the AWS SDKs' default chain picks, in botocore's
//!   order (decided without any network call);
//! - `sources`: the sources that fetch credentials, built on aws-config's
//!   providers;
//! - [`refresh`]: the cache that refreshes temporary credentials before they
//!   expire, one refresh at a time;
//! - `sdk_http`: the HTTP client aws-config's providers send through (ours);
//! - `signing`: what a client signs with, static or fetched.

pub(crate) mod chain;
pub mod refresh;
pub(crate) mod sdk_http;
pub(crate) mod signing;
pub(crate) mod sources;

use std::fmt;
use std::time::SystemTime;

/// Long-term or temporary AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    source: CredentialSource,
}

/// Where a client's credentials come from. `Display` gives botocore's name
/// for the method (`env`, `assume-role`, `iam-role`, ...) and the profile
/// involved, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Given to the constructor.
    Explicit,
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    Environment,
    /// The shared credentials file, under this profile.
    SharedCredentialsFile(String),
    /// The shared config file, under this profile.
    ConfigFile(String),
    /// STS AssumeRole from a profile's `role_arn` (with `source_profile` or
    /// `credential_source`).
    AssumeRole(String),
    /// STS AssumeRoleWithWebIdentity from a token file: named by a profile, or
    /// by `AWS_WEB_IDENTITY_TOKEN_FILE` when `None`.
    AssumeRoleWithWebIdentity(Option<String>),
    /// IAM Identity Center (SSO) through this profile.
    Sso(String),
    /// A profile's `credential_process` command.
    Process(String),
    /// The ECS / EKS Pod Identity container endpoint.
    Container,
    /// The EC2 instance metadata service (IMDSv2).
    InstanceMetadata,
    /// A Cognito identity pool (the identity-pool provider).
    IdentityPool(String),
}

impl CredentialSource {
    /// botocore's name for the method (`Credentials.method`).
    pub fn method(&self) -> &'static str {
        match self {
            CredentialSource::Explicit => "explicit",
            CredentialSource::Environment => "env",
            CredentialSource::SharedCredentialsFile(_) => "shared-credentials-file",
            CredentialSource::ConfigFile(_) => "config-file",
            CredentialSource::AssumeRole(_) => "assume-role",
            CredentialSource::AssumeRoleWithWebIdentity(_) => "assume-role-with-web-identity",
            CredentialSource::Sso(_) => "sso",
            CredentialSource::Process(_) => "custom-process",
            CredentialSource::Container => "container-role",
            CredentialSource::InstanceMetadata => "iam-role",
            CredentialSource::IdentityPool(_) => "cognito-identity-pool",
        }
    }

    /// The profile the source was read from, if any.
    pub fn profile(&self) -> Option<&str> {
        match self {
            CredentialSource::SharedCredentialsFile(p)
            | CredentialSource::ConfigFile(p)
            | CredentialSource::AssumeRole(p)
            | CredentialSource::Sso(p)
            | CredentialSource::Process(p)
            | CredentialSource::AssumeRoleWithWebIdentity(Some(p)) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method())?;
        match self {
            CredentialSource::IdentityPool(pool) => write!(f, " ({pool})"),
            _ => match self.profile() {
                Some(p) => write!(f, " (profile {p})"),
                None => Ok(()),
            },
        }
    }
}

impl Credentials {
    /// Credentials given by the caller (`source` is [`CredentialSource::Explicit`]).
    /// An empty session token counts as none.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|t| !t.is_empty()),
            expiry: None,
            source: CredentialSource::Explicit,
        }
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(mut self, expiry: Option<SystemTime>) -> Self {
        self.expiry = expiry;
        self
    }

    /// The same credentials, marked as coming from `source`.
    pub fn with_source(mut self, source: CredentialSource) -> Self {
        self.source = source;
        self
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
    /// When temporary credentials stop working; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
    /// Where the credentials came from.
    pub fn source(&self) -> &CredentialSource {
        &self.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.expiry.map(crate::amz_date::format_iso8601))
            .field("source", &self.source)
            .finish()
    }
}

impl From<&Credentials> for aws_credential_types::Credentials {
    fn from(c: &Credentials) -> Self {
        aws_credential_types::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            c.session_token().map(str::to_owned),
            c.expiry(),
            "cognito-identity",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKIDCANARY", "SECRET-CANARY", Some("TOKEN-CANARY".into()));
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDCANARY"));
        assert!(!shown.contains("SECRET-CANARY") && !shown.contains("TOKEN-CANARY"), "{shown}");
    }

    #[test]
    fn sources_are_named_as_botocore_names_them() {
        assert_eq!(CredentialSource::Environment.to_string(), "env");
        assert_eq!(CredentialSource::AssumeRole("dev".into()).to_string(), "assume-role (profile dev)");
        assert_eq!(CredentialSource::AssumeRoleWithWebIdentity(None).to_string(), "assume-role-with-web-identity");
        assert_eq!(CredentialSource::Process("p".into()).method(), "custom-process");
        assert_eq!(CredentialSource::InstanceMetadata.to_string(), "iam-role");
        assert_eq!(CredentialSource::Container.to_string(), "container-role");
    }
}
