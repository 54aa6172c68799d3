//! What an identity-pool credentials provider is built from: in Rust with
//! [`IdentityPoolConfig::builder`], from C, Python and Go as a JSON object
//! ([`IdentityPoolConfig::from_json`]).

use super::logins::{LoginMap, Logins, LoginsSource};
use crate::config::Config;
use crate::credentials::refresh::RefreshWindows;
use crate::error::{Error, ErrorKind, codes};
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How credentials are obtained for an identity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Flow {
    /// GetId, then GetCredentialsForIdentity (with `CustomRoleArn` if set).
    #[default]
    Enhanced,
    /// GetId, GetOpenIdToken, then STS AssumeRoleWithWebIdentity for `role_arn`
    /// (the pool must allow the basic flow).
    Classic {
        /// The role to assume.
        role_arn: String,
        /// The STS session name (default `CognitoIdentityCredentials`).
        role_session_name: Option<String>,
    },
}

/// Where identity ids (and, if asked, credentials) are kept between processes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CacheDir {
    /// `$XDG_CACHE_HOME/cognito-identity`, else `~/.cache/cognito-identity`.
    #[default]
    Default,
    /// This directory.
    Dir(PathBuf),
    /// In memory only.
    Disabled,
}

/// Everything a provider needs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IdentityPoolConfig {
    /// The pool, e.g. `us-east-1:00000000-0000-0000-0000-000000000000`.
    pub identity_pool_id: String,
    /// The logins (none: a guest).
    pub logins: Logins,
    /// The role to assume (enhanced flow).
    pub custom_role_arn: Option<String>,
    /// Enhanced (the default) or classic.
    pub flow: Flow,
    /// The Cognito client's settings (region, endpoint, timeouts, retries,
    /// CA bundle). The region defaults to the pool id's prefix.
    pub client: Config,
    /// STS's endpoint for the classic flow (else `AWS_ENDPOINT_URL_STS`, then
    /// `AWS_ENDPOINT_URL`, then the regional endpoint).
    pub sts_endpoint_url: Option<String>,
    /// Where identity ids are kept between processes.
    pub cache_dir: CacheDir,
    /// Keep the credentials on disk too (for a process that runs once per
    /// use, as a `credential_process` command does).
    pub cache_credentials: bool,
    /// When credentials are refreshed before their expiry.
    pub refresh: RefreshWindows,
}

/// Builds an [`IdentityPoolConfig`].
#[derive(Debug, Clone)]
pub struct IdentityPoolConfigBuilder {
    config: IdentityPoolConfig,
    role_session_name: Option<String>,
}

impl IdentityPoolConfig {
    /// A builder for the pool `identity_pool_id`.
    pub fn builder(identity_pool_id: impl Into<String>) -> IdentityPoolConfigBuilder {
        IdentityPoolConfigBuilder {
            config: IdentityPoolConfig {
                identity_pool_id: identity_pool_id.into(),
                logins: Logins::None,
                custom_role_arn: None,
                flow: Flow::Enhanced,
                client: Config::default(),
                sts_endpoint_url: None,
                cache_dir: CacheDir::Default,
                cache_credentials: false,
                refresh: RefreshWindows::default(),
            },
            role_session_name: None,
        }
    }

    /// Reads the JSON form: `identity_pool_id` (required), `logins` (object
    /// of provider -> token), `custom_role_arn`, `flow` (`"enhanced"` or
    /// `"classic"`), `role_arn` and `role_session_name` (classic flow),
    /// `sts_endpoint_url`, `cache_dir` (a path, or `false` for memory only),
    /// `cache_credentials`, `advisory_refresh_seconds`,
    /// `mandatory_refresh_seconds`, and the client keys of
    /// [`Config::from_json`] but the credentials (the calls need none).
    /// `null` means unset; unknown keys and wrong types name the key.
    pub fn from_json(v: &Value) -> Result<IdentityPoolConfig, Error> {
        let Value::Object(map) = v else {
            return Err(config_error("(config)", "must be a JSON object"));
        };
        let mut client = Map::new();
        let mut b: Option<IdentityPoolConfigBuilder> = None;
        let (mut flow, mut role_arn) = (None, None);
        let mut rest: Vec<(&String, &Value)> = Vec::new();
        for (k, v) in map {
            if v.is_null() {
                continue;
            }
            match k.as_str() {
                "identity_pool_id" => b = Some(IdentityPoolConfig::builder(string(k, v)?)),
                "aws_access_key_id" | "aws_secret_access_key" | "aws_session_token" | "unsigned" => {
                    return Err(config_error(k, "the identity-pool calls are unsigned: no credentials are needed"));
                }
                key if crate::config::JSON_KEYS.contains(&key) => {
                    client.insert(k.clone(), v.clone());
                }
                _ => rest.push((k, v)),
            }
        }
        let mut b = b.ok_or_else(|| config_error("identity_pool_id", "is required"))?;
        b.config.client = Config::from_json(&Value::Object(client))?;
        let (mut advisory, mut mandatory) = (b.config.refresh.advisory, b.config.refresh.mandatory);
        for (k, v) in rest {
            match k.as_str() {
                "logins" => {
                    let Value::Object(m) = v else {
                        return Err(config_error(k, "must be an object of provider: token"));
                    };
                    let mut logins = LoginMap::new();
                    for (provider, token) in m {
                        logins.insert(provider.clone(), string(&format!("logins.{provider}"), token)?);
                    }
                    b = b.logins(logins);
                }
                "custom_role_arn" => b = b.custom_role_arn(string(k, v)?),
                "flow" => flow = Some(string(k, v)?),
                "role_arn" => role_arn = Some(string(k, v)?),
                "role_session_name" => b = b.role_session_name(string(k, v)?),
                "sts_endpoint_url" => b = b.sts_endpoint_url(string(k, v)?),
                "cache_dir" => {
                    b = match v {
                        Value::Bool(false) => b.no_disk_cache(),
                        Value::String(s) => b.cache_dir(s),
                        _ => return Err(config_error(k, "must be a path or false")),
                    }
                }
                "cache_credentials" => {
                    b = b.cache_credentials(v.as_bool().ok_or_else(|| config_error(k, "must be true or false"))?);
                }
                "advisory_refresh_seconds" => advisory = seconds(k, v)?,
                "mandatory_refresh_seconds" => mandatory = seconds(k, v)?,
                _ => {
                    let client_keys =
                        crate::config::JSON_KEYS.iter().filter(|k| !k.starts_with("aws_") && **k != "unsigned");
                    let all: Vec<&str> = JSON_KEYS.iter().copied().chain(client_keys.copied()).collect();
                    return Err(config_error(k, format!("unknown key; valid keys: {}", all.join(", "))));
                }
            }
        }
        b = b.refresh_windows(RefreshWindows { advisory, mandatory });
        b = match flow.as_deref() {
            None | Some("enhanced") => {
                if role_arn.is_some() {
                    return Err(config_error("role_arn", "is for the classic flow: set \"flow\": \"classic\""));
                }
                b
            }
            Some("classic") => {
                b.classic_flow(role_arn.ok_or_else(|| config_error("role_arn", "is required by the classic flow"))?)
            }
            Some(other) => {
                return Err(config_error("flow", format!("must be \"enhanced\" or \"classic\", not {other:?}")));
            }
        };
        b.build()
    }
}

/// The provider's own JSON keys (the client's are [`crate::config::JSON_KEYS`]).
pub const JSON_KEYS: [&str; 11] = [
    "identity_pool_id",
    "logins",
    "custom_role_arn",
    "flow",
    "role_arn",
    "role_session_name",
    "sts_endpoint_url",
    "cache_dir",
    "cache_credentials",
    "advisory_refresh_seconds",
    "mandatory_refresh_seconds",
];

impl IdentityPoolConfigBuilder {
    /// Fixed login tokens (provider name -> token).
    pub fn logins(mut self, logins: LoginMap) -> Self {
        self.config.logins = if logins.is_empty() { Logins::None } else { Logins::Static(logins) };
        self
    }
    /// Login tokens asked for on every refresh.
    pub fn logins_source(mut self, source: Arc<dyn LoginsSource>) -> Self {
        self.config.logins = Logins::Dynamic(source);
        self
    }
    /// The role to assume (enhanced flow), among the pool's.
    pub fn custom_role_arn(mut self, arn: impl Into<String>) -> Self {
        self.config.custom_role_arn = Some(arn.into());
        self
    }
    /// The classic (basic) flow, assuming `role_arn` through STS.
    pub fn classic_flow(mut self, role_arn: impl Into<String>) -> Self {
        self.config.flow = Flow::Classic { role_arn: role_arn.into(), role_session_name: None };
        self
    }
    /// The STS session name of the classic flow (default `CognitoIdentityCredentials`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }
    /// The Cognito client's settings (region, endpoint, timeouts, retries, CA bundle).
    pub fn client_config(mut self, config: Config) -> Self {
        self.config.client = config;
        self
    }
    /// The region (default: the pool id's prefix).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.client.region = Some(region.into());
        self
    }
    /// Cognito Identity's endpoint (a local emulator, say).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.client.endpoint_url = Some(url.into());
        self
    }
    /// STS's endpoint for the classic flow.
    pub fn sts_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.sts_endpoint_url = Some(url.into());
        self
    }
    /// Where identity ids are kept between processes.
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.cache_dir = CacheDir::Dir(dir.into());
        self
    }
    /// Keeps identity ids in memory only.
    pub fn no_disk_cache(mut self) -> Self {
        self.config.cache_dir = CacheDir::Disabled;
        self
    }
    /// Keep the credentials on disk too (a process that runs once per use).
    pub fn cache_credentials(mut self, yes: bool) -> Self {
        self.config.cache_credentials = yes;
        self
    }
    /// When credentials are refreshed before their expiry (botocore's 15 and 10 minutes).
    pub fn refresh_windows(mut self, windows: RefreshWindows) -> Self {
        self.config.refresh = windows;
        self
    }

    /// Checks the settings (the pool id as the model's rules, the windows)
    /// and gives the config.
    pub fn build(mut self) -> Result<IdentityPoolConfig, Error> {
        let input = serde_json::json!({"IdentityPoolId": self.config.identity_pool_id});
        crate::validate::validate_input(crate::model::operation("GetId").ok_or_else(internal)?, &input)?;
        if let Flow::Classic { role_session_name, .. } = &mut self.config.flow {
            role_session_name.clone_from(&self.role_session_name);
        } else if self.role_session_name.is_some() {
            return Err(config_error("role_session_name", "is for the classic flow"));
        }
        let RefreshWindows { advisory, mandatory } = self.config.refresh;
        if mandatory > advisory {
            return Err(config_error(
                "mandatory_refresh_seconds",
                format!(
                    "({} s) must not exceed advisory_refresh_seconds ({} s)",
                    mandatory.as_secs_f64(),
                    advisory.as_secs_f64()
                ),
            ));
        }
        if self.config.client.region.is_none() {
            let prefix = self.config.identity_pool_id.split(':').next().unwrap_or_default();
            self.config.client.region = Some(prefix.to_owned());
        }
        Ok(self.config)
    }
}

fn internal() -> Error {
    Error::new(ErrorKind::Validation, codes::UNKNOWN_OPERATION, "the model has no GetId")
}

fn config_error(key: &str, what: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("config key \"{key}\": {what}"))
}

fn string(key: &str, v: &Value) -> Result<String, Error> {
    v.as_str().map(str::to_owned).ok_or_else(|| config_error(key, "must be a string"))
}

fn seconds(key: &str, v: &Value) -> Result<Duration, Error> {
    let s = v.as_f64().ok_or_else(|| config_error(key, "must be a number of seconds"))?;
    Duration::try_from_secs_f64(s).map_err(|_| config_error(key, format!("must be zero or more seconds, not {s}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const POOL: &str = "eu-west-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn json_reads_every_key_and_the_region_comes_from_the_pool() {
        let c = IdentityPoolConfig::from_json(&json!({
            "identity_pool_id": POOL, "logins": {"accounts.google.com": "tok"}, "flow": "classic",
            "role_arn": "arn:aws:iam::123456789012:role/r", "role_session_name": "s", "sts_endpoint_url": "http://127.0.0.1:1",
            "cache_dir": false, "cache_credentials": true, "advisory_refresh_seconds": 60, "mandatory_refresh_seconds": 30,
            "endpoint_url": "http://127.0.0.1:2", "connect_timeout": 1, "max_attempts": 2,
        }))
        .unwrap();
        assert_eq!(c.client.region.as_deref(), Some("eu-west-1"));
        assert_eq!(c.client.max_attempts, Some(2));
        assert_eq!(
            c.flow,
            Flow::Classic { role_arn: "arn:aws:iam::123456789012:role/r".into(), role_session_name: Some("s".into()) }
        );
        assert_eq!((c.cache_dir, c.cache_credentials), (CacheDir::Disabled, true));
        assert_eq!(c.refresh, RefreshWindows { advisory: Duration::from_secs(60), mandatory: Duration::from_secs(30) });
        let explicit = IdentityPoolConfig::builder(POOL).region("us-west-2").build().unwrap();
        assert_eq!(explicit.client.region.as_deref(), Some("us-west-2"));
    }

    #[test]
    fn bad_settings_name_the_key() {
        for (input, key) in [
            (json!({}), "identity_pool_id"),
            (json!({"identity_pool_id": "nocolon"}), "IdentityPoolId"),
            (json!({"identity_pool_id": POOL, "flow": "classic"}), "role_arn"),
            (json!({"identity_pool_id": POOL, "role_arn": "arn:aws:iam::1:role/r"}), "role_arn"),
            (json!({"identity_pool_id": POOL, "flow": "fast"}), "flow"),
            (json!({"identity_pool_id": POOL, "logins": {"p": 1}}), "logins.p"),
            (json!({"identity_pool_id": POOL, "cache_dir": 3}), "cache_dir"),
            (json!({"identity_pool_id": POOL, "aws_secret_access_key": "CANARY"}), "aws_secret_access_key"),
            (json!({"identity_pool_id": POOL, "mandatory_refresh_seconds": 1000}), "mandatory_refresh_seconds"),
            (json!({"identity_pool_id": POOL, "advisory_refresh_seconds": -1}), "advisory_refresh_seconds"),
            (json!({"identity_pool_id": POOL, "bogus": 1}), "bogus"),
            (json!({"identity_pool_id": POOL, "connect_timeout": "x"}), "connect_timeout"),
        ] {
            let e = IdentityPoolConfig::from_json(&input).unwrap_err();
            assert!(e.message().contains(key), "{input}: {e}");
            assert!(!e.message().contains("CANARY"), "{e}");
        }
    }
}
