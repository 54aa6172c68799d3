//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`).
//!
//! The format is the AWS SDKs' INI dialect: `[default]` and `[name]` sections in
//! the credentials file, `[default]`, `[profile name]`, `[services name]` and
//! `[sso-session name]` in the config file, `#`/`;` comments, and indented sub-properties under a key
//! with an empty value (`cognito_identity =` then `  endpoint_url = ...`).

use std::collections::HashMap;
use std::path::PathBuf;

/// Keys of one section; sub-properties are stored as `parent.child`.
pub type Section = HashMap<String, String>;

/// The sections of both files, merged as the SDKs merge them.
#[derive(Default)]
pub struct ProfileFiles {
    /// Profiles from the config file.
    config: HashMap<String, Section>,
    /// Profiles from the credentials file.
    credentials: HashMap<String, Section>,
    /// `[services name]` sections of the config file.
    services: HashMap<String, Section>,
    /// `[sso-session name]` sections of the config file.
    sso_sessions: HashMap<String, Section>,
    /// Where the files were read from (`None` when there is no home to find them in).
    config_path: Option<PathBuf>,
    credentials_path: Option<PathBuf>,
}

impl std::fmt::Debug for ProfileFiles {
    // Sections hold secret keys: list only the profile names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileFiles")
            .field("config_profiles", &self.config.keys().collect::<Vec<_>>())
            .field("credential_profiles", &self.credentials.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ProfileFiles {
    /// Reads the files the environment points at. A missing file is no error
    /// (most machines have none); an unreadable one is skipped the same way
    /// the SDKs skip it.
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> ProfileFiles {
        let home = env("HOME").or_else(|| env("USERPROFILE"));
        let path = |var: &str, default: &str| -> Option<PathBuf> {
            match env(var) {
                Some(p) => Some(expand_home(&p, home.as_deref())),
                None => home.as_ref().map(|h| PathBuf::from(h).join(".aws").join(default)),
            }
        };
        let read = |p: &Option<PathBuf>| p.as_ref().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
        let (config_path, credentials_path) =
            (path("AWS_CONFIG_FILE", "config"), path("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
        let mut files = Self::parse(&read(&config_path), &read(&credentials_path));
        files.config_path = config_path;
        files.credentials_path = credentials_path;
        files
    }

    /// The config file's path, as the environment names it.
    pub fn config_path(&self) -> Option<&std::path::Path> {
        self.config_path.as_deref()
    }

    /// The credentials file's path, as the environment names it.
    pub fn credentials_path(&self) -> Option<&std::path::Path> {
        self.credentials_path.as_deref()
    }

    pub fn parse(config_text: &str, credentials_text: &str) -> ProfileFiles {
        let mut files = ProfileFiles::default();
        for (header, section) in parse_ini(config_text) {
            let header = header.trim();
            if header == "default" {
                merge(files.config.entry("default".into()).or_default(), section);
            } else if let Some(name) = header.strip_prefix("profile").filter(|r| r.starts_with(char::is_whitespace)) {
                merge(files.config.entry(name.trim().into()).or_default(), section);
            } else if let Some(name) = header.strip_prefix("services").filter(|r| r.starts_with(char::is_whitespace)) {
                merge(files.services.entry(name.trim().into()).or_default(), section);
            } else if let Some(name) = header.strip_prefix("sso-session").filter(|r| r.starts_with(char::is_whitespace))
            {
                merge(files.sso_sessions.entry(name.trim().into()).or_default(), section);
            }
            // Any other header in the config file is ignored, as the SDKs do.
        }
        for (header, section) in parse_ini(credentials_text) {
            merge(files.credentials.entry(header.trim().into()).or_default(), section);
        }
        files
    }

    /// Whether either file defines this profile.
    pub fn has_profile(&self, name: &str) -> bool {
        self.config.contains_key(name) || self.credentials.contains_key(name)
    }

    /// A key of a profile; the credentials file wins over the config file.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.credentials
            .get(profile)
            .and_then(|s| s.get(key))
            .or_else(|| self.config.get(profile).and_then(|s| s.get(key)))
            .map(String::as_str)
    }

    /// The credentials file's section alone (credentials there beat the config file's).
    pub fn credentials_section(&self, profile: &str) -> Option<&Section> {
        self.credentials.get(profile)
    }
    pub fn config_section(&self, profile: &str) -> Option<&Section> {
        self.config.get(profile)
    }

    /// A key of an `[sso-session NAME]` section; `None` when the section is missing.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// A key of the `services` section the profile names, for this service:
    /// `[services NAME]` then `cognito_identity =` then `  KEY = value`.
    pub fn service_setting(&self, profile: &str, service_key: &str, key: &str) -> Option<&str> {
        let services = self.get(profile, "services")?;
        self.services.get(services)?.get(&format!("{service_key}.{key}")).map(String::as_str)
    }
}

fn merge(into: &mut Section, from: Section) {
    into.extend(from);
}

fn expand_home(path: &str, home: Option<&str>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn parse_ini(text: &str) -> Vec<(String, Section)> {
    let mut out: Vec<(String, Section)> = Vec::new();
    let mut parent: Option<String> = None;
    for raw in text.lines() {
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with(char::is_whitespace);
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((header.to_owned(), Section::new()));
            parent = None;
            continue;
        }
        let Some((_, section)) = out.last_mut() else {
            continue;
        };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_owned());
        match (&parent, indented) {
            (Some(p), true) => {
                section.insert(format!("{p}.{key}"), value);
            }
            _ => {
                parent = value.is_empty().then(|| key.clone());
                section.insert(key, value);
            }
        }
    }
    out
}

/// Full-line comments start with `#` or `;`; an inline comment needs a space before it.
fn strip_comment(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with(';') {
        return "";
    }
    for pat in [" #", " ;", "\t#", "\t;"] {
        if let Some(i) = line.find(pat) {
            return &line[..i];
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# comment
[default]
region = us-west-2
[profile dev]
region=eu-west-1 ; inline comment
services = local
max_attempts = 5
[services local]
cognito_identity =
  endpoint_url = http://127.0.0.1:4566
sts =
  endpoint_url = http://other
[sso-session x]
sso_region = us-east-1
";
    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret/with=equals
[dev]
aws_access_key_id=AKIDDEV
aws_secret_access_key=devsecret
aws_session_token = tok
";

    #[test]
    fn profiles_merge_both_files_with_credentials_first() {
        let f = ProfileFiles::parse(CONFIG, CREDENTIALS);
        assert_eq!(f.get("default", "region"), Some("us-west-2"));
        assert_eq!(f.get("default", "aws_secret_access_key"), Some("secret/with=equals"));
        assert_eq!(f.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(f.get("dev", "max_attempts"), Some("5"));
        assert_eq!(f.get("dev", "aws_session_token"), Some("tok"));
        assert!(f.has_profile("dev") && !f.has_profile("x") && !f.has_profile("sso-session x"));
        assert_eq!(f.sso_session("x").and_then(|s| s.get("sso_region")).map(String::as_str), Some("us-east-1"));
    }

    #[test]
    fn services_sections_give_per_service_endpoints() {
        let f = ProfileFiles::parse(CONFIG, CREDENTIALS);
        assert_eq!(f.service_setting("dev", "cognito_identity", "endpoint_url"), Some("http://127.0.0.1:4566"));
        assert_eq!(f.service_setting("default", "cognito_identity", "endpoint_url"), None);
    }

    #[test]
    fn debug_lists_profile_names_only() {
        let f = ProfileFiles::parse(CONFIG, CREDENTIALS);
        let shown = format!("{f:?}");
        assert!(!shown.contains("devsecret") && !shown.contains("secret/with"), "{shown}");
    }

    #[test]
    fn garbage_lines_are_skipped() {
        let f = ProfileFiles::parse("no header = 1\n[default\nregion\n[default]\nregion = x\n=\n", "");
        assert_eq!(f.get("default", "region"), Some("x"));
    }

    #[test]
    fn home_paths_expand() {
        let env = |k: &str| match k {
            "HOME" => Some("/nonexistent-home".to_owned()),
            _ => None,
        };
        let f = ProfileFiles::load(&env);
        assert!(!f.has_profile("default"));
        assert_eq!(expand_home("~/x", Some("/h")), PathBuf::from("/h/x"));
    }
}
