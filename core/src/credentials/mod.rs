//! AWS credentials and where they came from. Secret parts never print.

use crate::error::{Error, ErrorKind, codes};
use crate::profile::ProfileFiles;
use std::fmt;

/// Long-term or temporary AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    source: CredentialSource,
}

/// Where a client's credentials were found, as `repr(client)` and the docs name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// Given to the constructor.
    Explicit,
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    Environment,
    /// The shared credentials file, under this profile.
    SharedCredentialsFile(String),
    /// The shared config file, under this profile.
    ConfigFile(String),
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Explicit => f.write_str("explicit"),
            CredentialSource::Environment => f.write_str("env"),
            CredentialSource::SharedCredentialsFile(p) => {
                write!(f, "shared-credentials-file (profile {p})")
            }
            CredentialSource::ConfigFile(p) => write!(f, "config-file (profile {p})"),
        }
    }
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: session_token.filter(|t| !t.is_empty()),
            source: CredentialSource::Explicit,
        }
    }
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
    pub fn source(&self) -> &CredentialSource {
        &self.source
    }
    fn from(
        source: CredentialSource,
        id: Option<&str>,
        secret: Option<&str>,
        token: Option<&str>,
    ) -> Result<Option<Self>, Error> {
        let present = |v: Option<&str>| v.filter(|s| !s.trim().is_empty()).map(|s| s.trim().to_owned());
        match (present(id), present(secret)) {
            (None, None) => Ok(None),
            (Some(id), Some(secret)) => Ok(Some(Credentials {
                access_key_id: id,
                secret_access_key: secret,
                session_token: present(token),
                source,
            })),
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
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("source", &self.source)
            .finish()
    }
}

/// The SDKs' default chain for what this client supports: explicit, then the
/// environment (skipped when a profile was named explicitly, as boto3 does), then
/// the shared credentials file, then the config file. `Ok(None)` means none were
/// found: unsigned operations still work.
pub(crate) fn resolve(
    explicit: Option<&Credentials>,
    explicit_profile: bool,
    profile: &str,
    env: &dyn Fn(&str) -> Option<String>,
    files: &ProfileFiles,
) -> Result<Option<Credentials>, Error> {
    if let Some(c) = explicit {
        return Ok(Some(c.clone()));
    }
    if !explicit_profile {
        let (id, secret) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"));
        let token = env("AWS_SESSION_TOKEN").or_else(|| env("AWS_SECURITY_TOKEN"));
        if let Some(c) =
            Credentials::from(CredentialSource::Environment, id.as_deref(), secret.as_deref(), token.as_deref())?
        {
            return Ok(Some(c));
        }
    }
    let keys = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"];
    if let Some(s) = files.credentials_section(profile) {
        let [id, secret, token] = keys.map(|k| s.get(k).map(String::as_str));
        if let Some(c) = Credentials::from(CredentialSource::SharedCredentialsFile(profile.into()), id, secret, token)?
        {
            return Ok(Some(c));
        }
    }
    if let Some(s) = files.config_section(profile) {
        let [id, secret, token] = keys.map(|k| s.get(k).map(String::as_str));
        return Credentials::from(CredentialSource::ConfigFile(profile.into()), id, secret, token);
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |k| m.get(k).cloned()
    }

    const CREDS: &str = "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=FILESECRET\n[p]\naws_access_key_id=AKIDP\naws_secret_access_key=PSECRET\naws_session_token=PTOKEN\n";

    #[test]
    fn explicit_beats_environment_beats_files() {
        let files = ProfileFiles::parse("", CREDS);
        let env = env_of(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "ENVSECRET")]);
        let explicit = Credentials::new("AKIDX", "XSECRET", None);
        let c = resolve(Some(&explicit), false, "default", &env, &files).unwrap().unwrap();
        assert_eq!((c.access_key_id(), c.source()), ("AKIDX", &CredentialSource::Explicit));
        let c = resolve(None, false, "default", &env, &files).unwrap().unwrap();
        assert_eq!((c.access_key_id(), c.source()), ("AKIDENV", &CredentialSource::Environment));
        let c = resolve(None, false, "default", &env_of(&[]), &files).unwrap().unwrap();
        assert_eq!(c.source(), &CredentialSource::SharedCredentialsFile("default".into()));
    }

    #[test]
    fn a_named_profile_skips_the_environment() {
        let files = ProfileFiles::parse("", CREDS);
        let env = env_of(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "ENVSECRET")]);
        let c = resolve(None, true, "p", &env, &files).unwrap().unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AKIDP", Some("PTOKEN")));
    }

    #[test]
    fn config_file_credentials_are_the_last_resort() {
        let files = ProfileFiles::parse("[profile q]\naws_access_key_id=AKIDQ\naws_secret_access_key=QS\n", "");
        let c = resolve(None, true, "q", &env_of(&[]), &files).unwrap().unwrap();
        assert_eq!(c.source().to_string(), "config-file (profile q)");
        assert!(resolve(None, false, "default", &env_of(&[]), &files).unwrap().is_none());
    }

    #[test]
    fn partial_credentials_are_an_error_naming_the_missing_key() {
        let env = env_of(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]);
        let e = resolve(None, false, "default", &env, &ProfileFiles::default()).unwrap_err();
        assert_eq!(e.code(), "PartialCredentialsError");
        assert!(e.message().contains("env") && e.message().contains("aws_secret_access_key"), "{e}");
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKIDCANARY", "SECRET-CANARY", Some("TOKEN-CANARY".into()));
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDCANARY"));
        assert!(!shown.contains("SECRET-CANARY") && !shown.contains("TOKEN-CANARY"), "{shown}");
    }
}
