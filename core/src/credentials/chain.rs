//! Which credentials the AWS SDKs' default chain picks, in botocore's order:
//!
//! 1. explicit keys;
//! 2. `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (skipped when a profile is
//!    named by argument, as botocore skips them);
//! 3. the profile's `role_arn` with `source_profile` or `credential_source`
//!    (STS AssumeRole, chains of profiles);
//! 4. web identity: `web_identity_token_file` and `role_arn`, each from the
//!    environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
//!    `AWS_ROLE_SESSION_NAME`) or else the profile (STS AssumeRoleWithWebIdentity);
//! 5. IAM Identity Center: the profile's `sso_*` keys or `sso_session`;
//! 6. static keys in the shared credentials file;
//! 7. the profile's `credential_process`;
//! 8. static keys in the config file;
//! 9. container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`);
//! 10. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
//!
//! Everything here is decided from the environment and the shared files
//! alone: sources that fetch credentials are planned here and fetched at the
//! first signed call (see `sources.rs`). Configuration mistakes that need no
//! fetch to be seen (a `source_profile` loop, a missing SSO key, a token file
//! with no role) are errors at once, with botocore's codes and messages.

use super::{CredentialSource, Credentials};
use crate::error::{Error, ErrorKind, codes};
use crate::profile::ProfileFiles;
use std::path::PathBuf;
use std::time::Duration;

/// The chain's pick.
#[derive(Debug, Clone)]
pub(crate) enum Decision {
    /// Nothing found (unsigned operations still work).
    None,
    Static(Credentials),
    /// A source that fetches (temporary) credentials.
    Fetch(Plan),
}

/// A source that fetches credentials, with what it needs to know.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Plan {
    /// aws-config's profile provider: role chains, SSO and `credential_process`.
    Profile {
        profile: String,
        source: CredentialSource,
    },
    WebIdentity {
        profile: Option<String>,
        token_file: PathBuf,
        role_arn: String,
        session_name: Option<String>,
    },
    Container,
    InstanceMetadata(ImdsSettings),
}

impl Plan {
    pub fn source(&self) -> CredentialSource {
        match self {
            Plan::Profile { source, .. } => source.clone(),
            Plan::WebIdentity { profile, .. } => CredentialSource::AssumeRoleWithWebIdentity(profile.clone()),
            Plan::Container => CredentialSource::Container,
            Plan::InstanceMetadata(_) => CredentialSource::InstanceMetadata,
        }
    }
}

/// How the instance metadata service is reached, from the same variables
/// and profile keys as botocore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImdsSettings {
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint`.
    pub endpoint: Option<String>,
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` / `ec2_metadata_service_endpoint_mode`: IPv4 or IPv6.
    pub ipv6: bool,
    /// `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout` (1 s).
    pub timeout: Duration,
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts` (1).
    pub attempts: u32,
}

/// What the chain reads.
pub(crate) struct Inputs<'a> {
    pub explicit: Option<&'a Credentials>,
    /// The profile was named by argument (not by `AWS_PROFILE`): botocore then
    /// ignores credentials in environment variables.
    pub profile_argument: bool,
    pub profile: &'a str,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub files: &'a ProfileFiles,
}

const STATIC_KEYS: [&str; 3] = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"];
const CREDENTIAL_SOURCES: [&str; 3] = ["Environment", "Ec2InstanceMetadata", "EcsContainer"];

pub(crate) fn decide(i: &Inputs<'_>) -> Result<Decision, Error> {
    if let Some(c) = i.explicit {
        return Ok(Decision::Static(c.clone()));
    }
    let env = |k: &str| if i.profile_argument { None } else { (i.env)(k) };
    if let Some(c) = from_env(&env)? {
        return Ok(Decision::Static(c));
    }
    let profile = i.profile;
    let get = |k: &str| i.files.get(profile, k).filter(|v| !v.is_empty()).map(str::to_owned);

    if get("role_arn").is_some() && get("web_identity_token_file").is_none() {
        validate_role_chain(i.files, profile)?;
        return Ok(Decision::Fetch(Plan::Profile {
            profile: profile.to_owned(),
            source: CredentialSource::AssumeRole(profile.to_owned()),
        }));
    }
    if let Some(plan) = web_identity(&env, &get, profile)? {
        return Ok(Decision::Fetch(plan));
    }
    if get("sso_role_name").is_some() || get("sso_account_id").is_some() {
        validate_sso(i.files, profile)?;
        return Ok(Decision::Fetch(Plan::Profile {
            profile: profile.to_owned(),
            source: CredentialSource::Sso(profile.to_owned()),
        }));
    }
    if let Some(s) = i.files.credentials_section(profile) {
        let [id, secret, token] = STATIC_KEYS.map(|k| s.get(k).map(String::as_str));
        if let Some(c) = static_keys(CredentialSource::SharedCredentialsFile(profile.into()), id, secret, token)? {
            return Ok(Decision::Static(c));
        }
    }
    if get("credential_process").is_some() {
        return Ok(Decision::Fetch(Plan::Profile {
            profile: profile.to_owned(),
            source: CredentialSource::Process(profile.to_owned()),
        }));
    }
    if let Some(s) = i.files.config_section(profile) {
        let [id, secret, token] = STATIC_KEYS.map(|k| s.get(k).map(String::as_str));
        if let Some(c) = static_keys(CredentialSource::ConfigFile(profile.into()), id, secret, token)? {
            return Ok(Decision::Static(c));
        }
    }
    // The container and metadata sources read the process environment, as
    // botocore's do, whatever profile was named.
    let raw = |k: &str| (i.env)(k).filter(|v| !v.is_empty());
    if raw("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some() || raw("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some() {
        return Ok(Decision::Fetch(Plan::Container));
    }
    if raw("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return Ok(Decision::None);
    }
    Ok(Decision::Fetch(Plan::InstanceMetadata(imds_settings(&raw, &get)?)))
}

fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, Error> {
    let (id, secret) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"));
    let token = env("AWS_SESSION_TOKEN").or_else(|| env("AWS_SECURITY_TOKEN"));
    static_keys(CredentialSource::Environment, id.as_deref(), secret.as_deref(), token.as_deref())
}

/// Static keys from one place; a key id without its secret (or the reverse)
/// is botocore's `PartialCredentialsError`.
fn static_keys(
    source: CredentialSource,
    id: Option<&str>,
    secret: Option<&str>,
    token: Option<&str>,
) -> Result<Option<Credentials>, Error> {
    let present = |v: Option<&str>| v.filter(|s| !s.trim().is_empty()).map(|s| s.trim().to_owned());
    match (present(id), present(secret)) {
        (None, None) => Ok(None),
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(id, secret, present(token)).with_source(source))),
        (id, _) => {
            let missing = if id.is_none() { "aws_access_key_id" } else { "aws_secret_access_key" };
            Err(Error::new(
                ErrorKind::Credentials,
                codes::PARTIAL_CREDENTIALS,
                format!("Partial credentials found in {source}, missing: {missing}"),
            ))
        }
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, message)
}

/// botocore's checks of a `role_arn` profile and the profiles it sources
/// from, including loops (a profile may source itself only for its own static keys).
fn validate_role_chain(files: &ProfileFiles, start: &str) -> Result<(), Error> {
    let mut visited = vec![start.to_owned()];
    let mut current = start.to_owned();
    loop {
        let get = |k: &str| files.get(&current, k).filter(|v| !v.is_empty());
        match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "The profile \"{current}\" contains both source_profile and credential_source."
                )));
            }
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Credentials,
                    codes::PARTIAL_CREDENTIALS,
                    format!(
                        "Partial credentials found in assume-role (profile {current}), missing: source_profile or \
                         credential_source"
                    ),
                ));
            }
            (None, Some(source)) => {
                if !CREDENTIAL_SOURCES.contains(&source) {
                    return Err(invalid(format!(
                        "The credential source \"{source}\" referenced in profile \"{current}\" is not valid \
                         (valid: {})",
                        CREDENTIAL_SOURCES.join(", ")
                    )));
                }
                return Ok(());
            }
            (Some(source), None) => {
                if !files.has_profile(source) {
                    return Err(invalid(format!(
                        "The source_profile \"{source}\" referenced in the profile \"{current}\" does not exist."
                    )));
                }
                let has_static = STATIC_KEYS[..2].iter().any(|k| files.get(source, k).is_some());
                if visited.iter().any(|v| v == source) {
                    if source == current && has_static {
                        return Ok(());
                    }
                    return Err(Error::new(
                        ErrorKind::Configuration,
                        codes::INFINITE_LOOP_CONFIG,
                        format!(
                            "Infinite loop in credential configuration detected. Attempting to load from profile \
                             {source} which has already been visited. Visited profiles: {}",
                            visited.join(", ")
                        ),
                    ));
                }
                visited.push(source.to_owned());
                let chains_on = files.get(source, "role_arn").is_some_and(|v| !v.is_empty())
                    && files.get(source, "web_identity_token_file").is_none();
                if has_static || !chains_on {
                    return Ok(());
                }
                current = source.to_owned();
            }
        }
    }
}

fn web_identity(
    env: &dyn Fn(&str) -> Option<String>,
    get: &dyn Fn(&str) -> Option<String>,
    profile: &str,
) -> Result<Option<Plan>, Error> {
    let env_token = env("AWS_WEB_IDENTITY_TOKEN_FILE");
    let from_profile = env_token.is_none();
    let Some(token_file) = env_token.or_else(|| get("web_identity_token_file")) else {
        return Ok(None);
    };
    let Some(role_arn) = env("AWS_ROLE_ARN").or_else(|| get("role_arn")) else {
        return Err(invalid(
            "The provided profile or the current environment is configured to assume role with web identity but \
             has no role ARN configured. Ensure that the profile has the role_arn configuration set or the \
             AWS_ROLE_ARN env var is set."
                .into(),
        ));
    };
    let session_name = env("AWS_ROLE_SESSION_NAME").or_else(|| get("role_session_name"));
    Ok(Some(Plan::WebIdentity {
        profile: from_profile.then(|| profile.to_owned()),
        token_file: PathBuf::from(token_file),
        role_arn,
        session_name,
    }))
}

/// botocore's checks of an SSO profile: both kinds of configuration name
/// every key they need, and an `sso_session` names a section that exists.
fn validate_sso(files: &ProfileFiles, profile: &str) -> Result<(), Error> {
    let get = |k: &str| files.get(profile, k).filter(|v| !v.is_empty());
    let mut missing: Vec<&str> = ["sso_role_name", "sso_account_id"].into_iter().filter(|k| get(k).is_none()).collect();
    match get("sso_session") {
        Some(name) => {
            let Some(section) = files.sso_session(name) else {
                return Err(invalid(format!("The specified sso-session does not exist: \"{name}\"")));
            };
            for key in ["sso_start_url", "sso_region"] {
                if section.get(key).is_none_or(String::is_empty) {
                    missing.push(key);
                }
            }
        }
        None => missing.extend(["sso_start_url", "sso_region"].into_iter().filter(|k| get(k).is_none())),
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!(
            "The profile \"{profile}\" is configured to use SSO but is missing required configuration: {}",
            missing.join(", ")
        )))
    }
}

fn imds_settings(
    env: &dyn Fn(&str) -> Option<String>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<ImdsSettings, Error> {
    let setting = |var: &str, key: &str| env(var).or_else(|| get(key));
    let mode = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
    let ipv6 = match mode.as_deref().map(|m| m.trim().to_ascii_lowercase()) {
        None => false,
        Some(m) if m == "ipv4" => false,
        Some(m) if m == "ipv6" => true,
        Some(_) => {
            return Err(invalid(format!(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode must be IPv4 or IPv6, \
                 not {:?}",
                mode.unwrap_or_default()
            )));
        }
    };
    let timeout = match setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
        None => Duration::from_secs(1),
        Some(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                invalid(format!("AWS_METADATA_SERVICE_TIMEOUT must be a positive number of seconds, not {v:?}"))
            })?,
    };
    let attempts = match setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts") {
        None => 1,
        Some(v) => v.trim().parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            invalid(format!("AWS_METADATA_SERVICE_NUM_ATTEMPTS must be a whole number >= 1, not {v:?}"))
        })?,
    };
    let endpoint = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint");
    Ok(ImdsSettings { endpoint, ipv6, timeout, attempts })
}

#[cfg(test)]
mod tests;
