//! Target 5: the shared config and credentials file parser
//! (`cognito_identity::profile::ProfileFiles::parse`) and its look-ups.
//!
//! Input: `config NUL credentials NUL flags`. Every section and key named in
//! the text is looked up (`has_profile`, `get`, `sso_session`,
//! `service_setting`, the sections). Checks, beyond "never panics":
//! - CRLF line ends (files written on Windows) give the same answers;
//! - `Debug` never shows a secret key or session token;
//! - with flag 1, a whole client is configured from the two files
//!   (`Client::with_env`, profile picked by the flags): it is made or refused
//!   with a configuration or credentials error, never echoing a secret.
#![no_main]

use cognito_identity::profile::ProfileFiles;
use cognito_identity::{Client, Config, ErrorKind};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const KEYS: &[&str] = &[
    "region",
    "services",
    "sso_session",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "role_arn",
    "source_profile",
    "credential_source",
    "credential_process",
    "web_identity_token_file",
    "endpoint_url",
    "max_attempts",
    "cognito_identity.endpoint_url",
];
const SECRET_KEYS: &[&str] = &["aws_secret_access_key", "aws_session_token"];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == 0);
    let config = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let credentials = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let flags = parts.next().and_then(|f| f.first().copied()).unwrap_or(0);

    let files = ProfileFiles::parse(&config, &credentials);
    let (names, keys) = names_and_keys(&config, &credentials);
    let answers = look_up(&files, &names, &keys);
    let crlf = ProfileFiles::parse(&config.replace('\n', "\r\n"), &credentials.replace('\n', "\r\n"));
    assert_eq!(answers, look_up(&crlf, &names, &keys), "CRLF line ends change the answers");

    let secrets = secrets(&config, &credentials);
    let shown = format!("{files:?}");
    for s in &secrets {
        let masked = || {
            let (c, k) = masked_files(&config, &credentials, s);
            format!("{:?}", ProfileFiles::parse(&c, &k))
        };
        assert!(!leaks(&shown, s, masked), "Debug shows a secret: {shown}");
    }
    if flags & 1 == 1 {
        let profile = names.get(usize::from(flags >> 1)).cloned();
        configure(&config, &credentials, profile, &secrets);
    }
});

/// Section names (as headers give them, and without `profile `), and keys.
fn names_and_keys(config: &str, credentials: &str) -> (Vec<String>, Vec<String>) {
    let mut names = vec!["default".to_owned(), String::new()];
    let mut keys: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
    for line in config.lines().chain(credentials.lines()) {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let h = h.trim();
            names.push(h.to_owned());
            for prefix in ["profile", "sso-session", "services"] {
                if let Some(n) = h.strip_prefix(prefix) {
                    names.push(n.trim().to_owned());
                }
            }
        } else if let Some((k, _)) = t.split_once('=') {
            keys.push(k.trim().to_ascii_lowercase());
        }
    }
    names.truncate(32);
    keys.truncate(64);
    (names, keys)
}

type Answers = Vec<(bool, Vec<Option<String>>, Option<usize>, Option<String>)>;

fn look_up(files: &ProfileFiles, names: &[String], keys: &[String]) -> Answers {
    names
        .iter()
        .map(|n| {
            let values = keys.iter().map(|k| files.get(n, k).map(str::to_owned)).collect();
            let sso = files.sso_session(n).map(|s| s.len());
            let service = files.service_setting(n, "cognito_identity", "endpoint_url").map(str::to_owned);
            let _ = (files.config_section(n), files.credentials_section(n));
            (files.has_profile(n), values, sso, service)
        })
        .collect()
}

/// Values of secret keys, long enough to recognise and found once only in
/// the two files (so that nothing else in them can hold the same text).
fn secrets(config: &str, credentials: &str) -> Vec<String> {
    let all = format!("{config}\n{credentials}");
    all.lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| SECRET_KEYS.contains(&k.trim().to_ascii_lowercase().as_str()))
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| v.len() >= 8 && all.matches(v.as_str()).count() == 1)
        .collect()
}

/// The two files with every occurrence of `secret` replaced by as many `#`.
fn masked_files(config: &str, credentials: &str, secret: &str) -> (String, String) {
    let mask = "#".repeat(secret.len());
    (config.replace(secret, &mask), credentials.replace(secret, &mask))
}

/// Whether `shown` holds `secret` because of the input: text that shows it
/// also with the secret masked in the files holds it by chance (a field
/// name: the fuzzer found a session token `credential_pr`, part of
/// `credential_profiles` in `ProfileFiles`' Debug; regress-04).
fn leaks(shown: &str, secret: &str, shown_masked: impl FnOnce() -> String) -> bool {
    shown.contains(secret) && !shown_masked().contains(secret)
}

fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cognito-identity-fuzz-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
}

/// Configures a client from the two files alone, as a user's machine would.
fn configure(config: &str, credentials: &str, profile: Option<String>, secrets: &[String]) {
    let dir = scratch_dir();
    let (config_path, credentials_path) = (dir.join("config"), dir.join("credentials"));
    if std::fs::write(&config_path, config).is_err() || std::fs::write(&credentials_path, credentials).is_err() {
        return;
    }
    let env = |k: &str| -> Option<String> {
        match k {
            "HOME" => Some(cognito_identity_fuzz::env::NOWHERE.to_owned()),
            "AWS_CONFIG_FILE" => Some(config_path.display().to_string()),
            "AWS_SHARED_CREDENTIALS_FILE" => Some(credentials_path.display().to_string()),
            "AWS_PROFILE" => profile.clone(),
            "AWS_EC2_METADATA_DISABLED" => Some("true".to_owned()),
            _ => None,
        }
    };
    let shown = describe(Client::with_env(Config::default(), &env), true);
    for s in secrets {
        let masked = || {
            let (c, k) = masked_files(config, credentials, s);
            let rewritten = std::fs::write(&config_path, c).is_ok() && std::fs::write(&credentials_path, k).is_ok();
            if rewritten { describe(Client::with_env(Config::default(), &env), false) } else { s.clone() }
        };
        assert!(!leaks(&shown, s, masked), "Debug or an error shows a secret: {shown}");
    }
}

/// What a user may see of a client, or of the error that refused one.
fn describe(made: Result<Client, cognito_identity::Error>, check: bool) -> String {
    match made {
        Ok(client) => {
            if check {
                assert!(!client.region().is_empty());
                assert!(url::Url::parse(client.endpoint_url()).is_ok(), "{}", client.endpoint_url());
            }
            format!("{client:?}")
        }
        Err(e) => {
            if check {
                assert!(matches!(e.kind(), ErrorKind::Configuration | ErrorKind::Credentials), "{e:?}");
            }
            format!("{e:?} {e}")
        }
    }
}
