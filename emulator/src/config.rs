//! How an emulator is configured: address, regions, accepted keys, account.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// How long issued temporary keys stay valid unless configured otherwise
/// (one hour, as Cognito and STS give).
pub const DEFAULT_CREDENTIALS_TTL: Duration = Duration::from_secs(3600);
/// The longest accepted lifetime (ten years: "never expires" for any test,
/// and expiry times stay four-digit years in every format).
pub const MAX_CREDENTIALS_TTL: Duration = Duration::from_secs(10 * 365 * 86_400);

/// An access key the emulator accepts in SigV4 signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        AccessKey { id: id.into(), secret: secret.into() }
    }

    /// Parses `ID:SECRET` (the secret may itself contain `:`).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(AccessKey::new(id.trim(), secret.trim())),
            _ => Err(format!("access key must look like ID:SECRET, got {:?}", text.split(':').next().unwrap_or(""))),
        }
    }

    /// Parses `id:secret,id2:secret2` (the form of `COGNITO_EMULATOR_ACCESS_KEYS`).
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(AccessKey::parse).collect()
    }
}

impl fmt::Debug for AccessKey {
    // The secret never appears in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey").field("id", &self.id).field("secret", &"** redacted **").finish()
    }
}

/// Everything an emulator needs to start.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address to bind; loopback by default.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Regions the emulator answers for (the SigV4 credential scope must name one).
    pub regions: Vec<String>,
    /// Keys accepted in signatures.
    pub access_keys: Vec<AccessKey>,
    /// The account id used in ARNs.
    pub account_id: String,
    /// How many identity pools one account may hold (the AWS default quota is 1,000).
    pub max_identity_pools: usize,
    /// How many identities one identity pool may hold; `None` (the default)
    /// sets no cap. A call that would make one more (GetId,
    /// GetOpenIdTokenForDeveloperIdentity) is refused with
    /// `LimitExceededException`. Caps the emulator's memory in long runs.
    pub max_identities: Option<usize>,
    /// How long the temporary keys of GetCredentialsForIdentity, STS
    /// AssumeRoleWithWebIdentity (without `DurationSeconds`) and the container
    /// endpoint stay valid. Short values let tests watch credentials expire
    /// and refresh; from one second to ten years.
    pub credentials_ttl: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            regions: vec!["us-east-1".to_owned()],
            access_keys: vec![AccessKey::new("test", "test")],
            account_id: "123456789012".to_owned(),
            max_identity_pools: 1000,
            max_identities: None,
            credentials_ttl: DEFAULT_CREDENTIALS_TTL,
        }
    }
}

impl EmulatorConfig {
    /// The region used when a request names none (unsigned requests).
    pub fn default_region(&self) -> &str {
        self.regions.first().map_or("us-east-1", String::as_str)
    }

    /// Why this configuration cannot serve, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.regions.is_empty() || self.access_keys.is_empty() {
            return Err("the emulator needs at least one region and one access key".to_owned());
        }
        check_credentials_ttl(self.credentials_ttl.as_secs())
    }
}

/// `credentials_ttl` in whole seconds: from 1 to [`MAX_CREDENTIALS_TTL`].
pub fn check_credentials_ttl(secs: u64) -> Result<(), String> {
    if secs == 0 {
        return Err("credentials_ttl must be at least 1 second".to_owned());
    }
    if secs > MAX_CREDENTIALS_TTL.as_secs() {
        return Err(format!("credentials_ttl must be at most {} seconds (ten years)", MAX_CREDENTIALS_TTL.as_secs()));
    }
    Ok(())
}
