//! What a client is built from, and how unset settings are filled in from the
//! environment and the shared files as the AWS SDKs fill them.

use crate::credentials::Credentials;
use crate::credentials::chain::{self, Decision};
use crate::error::{Error, ErrorKind, codes};
use crate::profile::ProfileFiles;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The connect timeout when none is set (botocore's).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// The read timeout of each attempt when none is set.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Attempts in all when none are set (the standard retry mode's).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The base of the back-off when none is set.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The longest one fetch of temporary credentials may take (the source's own
/// retries included): aws-config runs `credential_process` with no bound.
pub const DEFAULT_CREDENTIAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The key the SDKs use for this service in `[services]` sections and
/// `AWS_ENDPOINT_URL_<KEY>`.
const SERVICE_KEY: &str = "cognito_identity";

/// Client settings. Every field is optional: `Config::default()` behaves like
/// an AWS SDK client built with no arguments.
///
/// `#[non_exhaustive]`: build it with [`Config::builder`] (or start from
/// `Config::default()` and set fields), so that a setting added later is
/// not a breaking change.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Config {
    /// The region (`us-east-1`); else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's.
    pub region: Option<String>,
    /// An endpoint instead of the region's; else `AWS_ENDPOINT_URL_COGNITO_IDENTITY`, ...
    pub endpoint_url: Option<String>,
    /// Explicit credentials; else the AWS SDKs' default chain.
    pub credentials: Option<Credentials>,
    /// A profile of the shared files; else `AWS_PROFILE`, else `default`.
    pub profile: Option<String>,
    /// PEM file of the CA certificates to trust instead of the built-in roots.
    pub ca_bundle: Option<PathBuf>,
    /// How long to wait for a connection (3.1 s).
    pub connect_timeout: Option<Duration>,
    /// Per attempt: how long to wait for the response.
    pub read_timeout: Option<Duration>,
    /// For the whole call, retries and back-off included.
    pub total_timeout: Option<Duration>,
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: Option<u32>,
    /// "standard" (the default), "legacy" or "adaptive"; all three use the
    /// standard algorithm, "legacy" with 5 attempts by default.
    pub retry_mode: Option<String>,
    /// Base of the exponential back-off (1 s in the SDKs; tests shorten it).
    pub initial_backoff: Option<Duration>,
    /// Use the FIPS endpoint; else `AWS_USE_FIPS_ENDPOINT` or the profile's.
    pub use_fips_endpoint: Option<bool>,
    /// Use the dual-stack endpoint; else `AWS_USE_DUALSTACK_ENDPOINT` or the profile's.
    pub use_dualstack_endpoint: Option<bool>,
    /// Appended to the User-Agent header.
    pub user_agent_extra: Option<String>,
    /// Never sign, even when credentials exist (botocore's `UNSIGNED`).
    pub unsigned: bool,
    /// Bounds each fetch of temporary credentials from their source (30 s).
    pub credential_timeout: Option<Duration>,
    /// Proxies by the scheme of the URL they serve (`http`, `https`), as
    /// botocore's `proxies`, which replace the environment's `HTTP_PROXY`,
    /// `HTTPS_PROXY` and `NO_PROXY` (these apply when none is configured).
    pub proxies: Option<BTreeMap<String, String>>,
    /// PEM file of CA certificates to trust for an HTTPS proxy (botocore's
    /// `proxies_config["proxy_ca_bundle"]`), on top of the other roots.
    pub proxy_ca_bundle: Option<PathBuf>,
    /// Turns certificate verification off for this client (botocore's
    /// `verify=False`; JSON key `"verify": false`). Never the default, never
    /// read from the environment; the credential sources and STS keep
    /// verifying. For a local endpoint with a self-signed certificate:
    /// prefer `ca_bundle`.
    pub insecure_skip_verify: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field("profile", &self.profile)
            .field("ca_bundle", &self.ca_bundle)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_attempts", &self.max_attempts)
            .field("retry_mode", &self.retry_mode)
            .field("use_fips_endpoint", &self.use_fips_endpoint)
            .field("use_dualstack_endpoint", &self.use_dualstack_endpoint)
            .field("unsigned", &self.unsigned)
            .field("credential_timeout", &self.credential_timeout)
            .field("proxies", &self.proxies.as_ref().map(|p| p.keys().collect::<Vec<_>>()))
            .field("proxy_ca_bundle", &self.proxy_ca_bundle)
            .field("insecure_skip_verify", &self.insecure_skip_verify)
            .finish_non_exhaustive()
    }
}

#[rustfmt::skip]
mod keys_gen;

pub use keys_gen::JSON_KEYS;

fn config_error(key: &str, what: impl fmt::Display) -> Error {
    Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("config key \"{key}\": {what}"))
}

impl Config {
    /// A builder: `Config::builder().region("us-east-1").build()?`.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Builds a config from a JSON object with the keys in [`JSON_KEYS`]
    /// (timeouts in seconds). `null` means "not set". Unknown keys and wrong
    /// types are errors naming the key.
    pub fn from_json(v: &Value) -> Result<Config, Error> {
        let map = match v {
            Value::Null => return Ok(Config::default()),
            Value::Object(m) => m,
            other => {
                return Err(config_error("(config)", format!("must be a JSON object, not {other}")));
            }
        };
        let mut c = Config::default();
        let (mut key_id, mut secret, mut token) = (None, None, None);
        for (k, v) in map {
            if v.is_null() {
                continue;
            }
            let string = || v.as_str().map(str::to_owned).ok_or_else(|| config_error(k, "must be a string"));
            let boolean = || v.as_bool().ok_or_else(|| config_error(k, "must be true or false"));
            let seconds = || -> Result<Duration, Error> {
                let s = v.as_f64().ok_or_else(|| config_error(k, "must be a number of seconds"))?;
                Duration::try_from_secs_f64(s)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| config_error(k, format!("must be a positive number of seconds, not {s}")))
            };
            match k.as_str() {
                "region" => c.region = Some(string()?),
                "endpoint_url" => c.endpoint_url = Some(string()?),
                "aws_access_key_id" => key_id = Some(string()?),
                "aws_secret_access_key" => secret = Some(string()?),
                "aws_session_token" => token = Some(string()?),
                "profile" => c.profile = Some(string()?),
                "ca_bundle" => c.ca_bundle = Some(PathBuf::from(string()?)),
                "connect_timeout" => c.connect_timeout = Some(seconds()?),
                "read_timeout" => c.read_timeout = Some(seconds()?),
                "total_timeout" => c.total_timeout = Some(seconds()?),
                "initial_backoff" => c.initial_backoff = Some(seconds()?),
                "credential_timeout" => c.credential_timeout = Some(seconds()?),
                "max_attempts" => {
                    let n = v.as_u64().ok_or_else(|| config_error(k, "must be a whole number"))?;
                    c.max_attempts = Some(u32::try_from(n).map_err(|_| config_error(k, "is too large"))?);
                }
                "retry_mode" => c.retry_mode = Some(string()?),
                "use_fips_endpoint" => c.use_fips_endpoint = Some(boolean()?),
                "use_dualstack_endpoint" => c.use_dualstack_endpoint = Some(boolean()?),
                "user_agent_extra" => c.user_agent_extra = Some(string()?),
                "unsigned" => c.unsigned = boolean()?,
                "proxies" => {
                    let Value::Object(m) = v else {
                        return Err(config_error(k, "must be an object of scheme (http, https) to proxy URL"));
                    };
                    let mut proxies = BTreeMap::new();
                    for (scheme, url) in m {
                        let url = url
                            .as_str()
                            .ok_or_else(|| config_error(&format!("proxies.{scheme}"), "must be a string"))?;
                        proxies.insert(scheme.clone(), url.to_owned());
                    }
                    c.proxies = Some(proxies);
                }
                "proxy_ca_bundle" => c.proxy_ca_bundle = Some(PathBuf::from(string()?)),
                "verify" => c.insecure_skip_verify = !boolean()?,
                _ => {
                    return Err(config_error(k, format!("unknown key; valid keys: {}", JSON_KEYS.join(", "))));
                }
            }
        }
        c.credentials = explicit_credentials(key_id, secret, token)?;
        Ok(c)
    }
}

/// Builds a [`Config`]; unset settings are filled in from the environment
/// and the shared files when the client is made.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// The region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }
    /// An endpoint instead of the region's (a local emulator, say).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }
    /// Explicit credentials (`Credentials::new(access_key_id, secret, session_token)`).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(credentials);
        self
    }
    /// A profile of the shared config and credentials files.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.config.profile = Some(profile.into());
        self
    }
    /// A PEM file of the CA certificates to trust (private endpoints).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.ca_bundle = Some(path.into());
        self
    }
    /// How long to wait for a connection (3.1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }
    /// How long each attempt waits for its answer (60 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = Some(timeout);
        self
    }
    /// A bound on each whole call, retries and back-off included.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.config.total_timeout = Some(timeout);
        self
    }
    /// Attempts in all, the first included (3; 1 turns retries off).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.max_attempts = Some(attempts);
        self
    }
    /// `standard` (the default), `legacy` or `adaptive`.
    pub fn retry_mode(mut self, mode: impl Into<String>) -> Self {
        self.config.retry_mode = Some(mode.into());
        self
    }
    /// The base of the full-jitter exponential back-off (1 s).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.config.initial_backoff = Some(backoff);
        self
    }
    /// Use the FIPS endpoint.
    pub fn use_fips_endpoint(mut self, yes: bool) -> Self {
        self.config.use_fips_endpoint = Some(yes);
        self
    }
    /// Use the dual-stack endpoint.
    pub fn use_dualstack_endpoint(mut self, yes: bool) -> Self {
        self.config.use_dualstack_endpoint = Some(yes);
        self
    }
    /// Appended to the User-Agent header.
    pub fn user_agent_extra(mut self, extra: impl Into<String>) -> Self {
        self.config.user_agent_extra = Some(extra.into());
        self
    }
    /// Never sign, even with credentials (botocore's `UNSIGNED`).
    pub fn unsigned(mut self, yes: bool) -> Self {
        self.config.unsigned = yes;
        self
    }
    /// A bound on each fetch of temporary credentials from their source (30 s).
    pub fn credential_timeout(mut self, timeout: Duration) -> Self {
        self.config.credential_timeout = Some(timeout);
        self
    }
    /// A proxy for the URLs of `scheme` (`http` or `https`), e.g. `http://proxy:3128`.
    pub fn proxy(mut self, scheme: impl Into<String>, url: impl Into<String>) -> Self {
        self.config.proxies.get_or_insert_with(BTreeMap::new).insert(scheme.into(), url.into());
        self
    }
    /// CA certificates to trust for an HTTPS proxy.
    pub fn proxy_ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.proxy_ca_bundle = Some(path.into());
        self
    }
    /// Turns certificate verification off for this client (see
    /// [`Config::insecure_skip_verify`]); prefer [`ConfigBuilder::ca_bundle`].
    pub fn insecure_skip_verify(mut self, yes: bool) -> Self {
        self.config.insecure_skip_verify = yes;
        self
    }

    /// The config. Refuses settings that are wrong whatever the environment
    /// (zero timeouts or attempts), naming them; the rest is checked when
    /// the client is made.
    pub fn build(self) -> Result<Config, Error> {
        let c = &self.config;
        for (key, d) in [
            ("connect_timeout", c.connect_timeout),
            ("read_timeout", c.read_timeout),
            ("total_timeout", c.total_timeout),
            ("credential_timeout", c.credential_timeout),
        ] {
            if d.is_some_and(|d| d.is_zero()) {
                return Err(config_error(key, "must be more than zero"));
            }
        }
        if c.max_attempts == Some(0) {
            return Err(config_error("max_attempts", "must be at least 1"));
        }
        Ok(self.config)
    }
}

/// Builds explicit credentials; a key id without a secret (or the reverse) is an error.
pub fn explicit_credentials(
    key_id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
) -> Result<Option<Credentials>, Error> {
    match (key_id, secret) {
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(id, secret, token))),
        (None, None) if token.is_none() => Ok(None),
        (id, _) => Err(Error::new(
            ErrorKind::Credentials,
            codes::PARTIAL_CREDENTIALS,
            format!(
                "Partial credentials given, missing: {}",
                if id.is_none() { "aws_access_key_id" } else { "aws_secret_access_key" }
            ),
        )),
    }
}

/// Every setting decided, ready for the transport.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub region: String,
    pub endpoint_url: String,
    /// What the default credentials chain picked (nothing is fetched yet).
    pub credentials: Decision,
    pub ca_bundle: Option<PathBuf>,
    /// Certificates are not verified (`verify=False`).
    pub insecure_skip_verify: bool,
    pub proxies: Proxies,
    /// The shared files' paths, for the credential sources that read them.
    pub config_file: Option<PathBuf>,
    pub credentials_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Option<Duration>,
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub credential_timeout: Duration,
    pub user_agent: String,
}

pub(crate) fn resolve(c: &Config, env: &dyn Fn(&str) -> Option<String>) -> Result<Resolved, Error> {
    let env = |k: &str| env(k).filter(|v| !v.is_empty());
    let files = ProfileFiles::load(&env);
    let explicit_profile = c.profile.clone().or_else(|| env("AWS_PROFILE")).or_else(|| env("AWS_DEFAULT_PROFILE"));
    let profile = explicit_profile.clone().unwrap_or_else(|| "default".into());
    if explicit_profile.is_some() && !files.has_profile(&profile) {
        return Err(Error::new(
            ErrorKind::Configuration,
            codes::PROFILE_NOT_FOUND,
            format!("The config profile ({profile}) could not be found"),
        ));
    }
    let from_profile = |key: &str| files.get(&profile, key).filter(|v| !v.is_empty()).map(str::to_owned);
    let setting = |var: &str, key: &str| env(var).or_else(|| from_profile(key));

    let region = c
        .region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| from_profile("region"));
    let Some(region) = region else {
        return Err(Error::new(
            ErrorKind::Configuration,
            codes::NO_REGION,
            "You must specify a region: the region setting, AWS_REGION, AWS_DEFAULT_REGION or region in the profile",
        ));
    };

    let flag = |explicit: Option<bool>, var: &str, key: &str| -> Result<bool, Error> {
        match explicit {
            Some(b) => Ok(b),
            None => match setting(var, key) {
                None => Ok(false),
                Some(v) => parse_bool(&v).ok_or_else(|| config_error(var, format!("must be true or false, not {v:?}"))),
            },
        }
    };
    let use_fips = flag(c.use_fips_endpoint, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?;
    let use_dual_stack = flag(c.use_dualstack_endpoint, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?;

    let ignore_configured = setting("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")
        .and_then(|v| parse_bool(&v))
        .unwrap_or(false);
    let configured_endpoint = || {
        env(&format!("AWS_ENDPOINT_URL_{}", SERVICE_KEY.to_ascii_uppercase()))
            .or_else(|| env("AWS_ENDPOINT_URL"))
            .or_else(|| files.service_setting(&profile, SERVICE_KEY, "endpoint_url").map(str::to_owned))
            .or_else(|| from_profile("endpoint_url"))
    };
    let endpoint = c.endpoint_url.clone().or_else(|| if ignore_configured { None } else { configured_endpoint() });
    let endpoint_url = crate::endpoint::resolve(&crate::endpoint::EndpointParams {
        region: Some(&region),
        use_fips,
        use_dual_stack,
        endpoint: endpoint.as_deref(),
    })?;

    let retry_mode = c.retry_mode.clone().or_else(|| setting("AWS_RETRY_MODE", "retry_mode"));
    let default_attempts = match retry_mode.as_deref() {
        None | Some("standard") | Some("adaptive") => DEFAULT_MAX_ATTEMPTS,
        Some("legacy") => 5,
        Some(other) => {
            return Err(config_error("retry_mode", format!("must be standard, legacy or adaptive, not {other:?}")));
        }
    };
    let max_attempts = match c.max_attempts {
        Some(n) => n,
        None => match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| config_error("AWS_MAX_ATTEMPTS", format!("must be a whole number, not {v:?}")))?,
            None => default_attempts,
        },
    };
    if max_attempts == 0 {
        return Err(config_error("max_attempts", "must be at least 1"));
    }

    let credentials = if c.unsigned {
        Decision::None
    } else {
        chain::decide(&chain::Inputs {
            explicit: c.credentials.as_ref(),
            profile_argument: c.profile.is_some(),
            profile: &profile,
            env: &env,
            files: &files,
        })?
    };
    let ca_bundle = c.ca_bundle.clone().or_else(|| setting("AWS_CA_BUNDLE", "ca_bundle").map(PathBuf::from));

    let mut user_agent =
        format!("cognito-identity-rs/{} os/{} lang/rust", env!("CARGO_PKG_VERSION"), std::env::consts::OS);
    if let Some(extra) = &c.user_agent_extra {
        user_agent.push(' ');
        user_agent.push_str(extra);
    }
    Ok(Resolved {
        region,
        endpoint_url,
        credentials,
        ca_bundle,
        insecure_skip_verify: c.insecure_skip_verify,
        proxies: proxies::resolve(c.proxies.as_ref(), c.proxy_ca_bundle.as_deref())?,
        config_file: files.config_path().map(PathBuf::from),
        credentials_file: files.credentials_path().map(PathBuf::from),
        connect_timeout: c.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        read_timeout: c.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
        total_timeout: c.total_timeout,
        max_attempts,
        initial_backoff: c.initial_backoff.unwrap_or(DEFAULT_INITIAL_BACKOFF),
        credential_timeout: c.credential_timeout.unwrap_or(DEFAULT_CREDENTIAL_TIMEOUT),
        user_agent,
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

mod proxies;

pub(crate) use proxies::Proxies;

#[cfg(test)]
mod tests;
