use super::*;
use serde_json::json;
use std::collections::HashMap;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let mut m: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    // Never read the real home directory's files in tests.
    m.entry("HOME".into()).or_insert_with(|| "/nonexistent-cognito-home".into());
    move |k| m.get(k).cloned()
}

fn region(r: &str) -> Config {
    Config { region: Some(r.into()), ..Config::default() }
}

#[test]
fn json_config_reads_every_key() {
    let c = Config::from_json(&json!({
        "region": "eu-west-1", "endpoint_url": "http://127.0.0.1:1", "aws_access_key_id": "AKID",
        "aws_secret_access_key": "S", "aws_session_token": "T", "profile": "p", "ca_bundle": "/x.pem",
        "connect_timeout": 1.5, "read_timeout": 2, "total_timeout": 10, "max_attempts": 5, "retry_mode": "standard",
        "initial_backoff": 0.01, "use_fips_endpoint": false, "use_dualstack_endpoint": false,
        "user_agent_extra": "app/1", "unsigned": false
    }))
    .unwrap();
    assert_eq!(c.region.as_deref(), Some("eu-west-1"));
    assert_eq!(c.connect_timeout, Some(Duration::from_millis(1500)));
    assert_eq!(c.max_attempts, Some(5));
    assert_eq!(c.credentials.as_ref().map(|c| c.session_token()), Some(Some("T")));
    assert_eq!(Config::from_json(&json!(null)).unwrap(), Config::default());
    assert_eq!(Config::from_json(&json!({"region": null})).unwrap(), Config::default());
}

#[test]
fn json_config_errors_name_the_key() {
    for (input, key) in [
        (json!({"regoin": "x"}), "regoin"),
        (json!({"region": 5}), "region"),
        (json!({"connect_timeout": "1"}), "connect_timeout"),
        (json!({"connect_timeout": -1}), "connect_timeout"),
        (json!({"read_timeout": 0}), "read_timeout"),
        (json!({"max_attempts": 1.5}), "max_attempts"),
        (json!({"use_fips_endpoint": "yes"}), "use_fips_endpoint"),
    ] {
        let e = Config::from_json(&input).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Configuration);
        assert!(e.message().contains(&format!("\"{key}\"")), "{e}");
    }
    let e = Config::from_json(&json!({"aws_access_key_id": "A"})).unwrap_err();
    assert_eq!(e.code(), "PartialCredentialsError");
    assert!(Config::from_json(&json!([1])).is_err());
}

#[test]
fn region_comes_from_argument_then_environment() {
    let env = env_of(&[("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "eu-west-2")]);
    assert_eq!(resolve(&region("ap-south-1"), &env).unwrap().region, "ap-south-1");
    assert_eq!(resolve(&Config::default(), &env).unwrap().region, "eu-west-1");
    let env = env_of(&[("AWS_DEFAULT_REGION", "eu-west-2")]);
    let r = resolve(&Config::default(), &env).unwrap();
    assert_eq!(
        (r.region.as_str(), r.endpoint_url.as_str()),
        ("eu-west-2", "https://cognito-identity.eu-west-2.amazonaws.com")
    );
    let e = resolve(&Config::default(), &env_of(&[])).unwrap_err();
    assert_eq!(e.code(), "NoRegionError");
}

#[test]
fn endpoint_url_comes_from_argument_then_service_variable_then_global() {
    let env = env_of(&[("AWS_ENDPOINT_URL_COGNITO_IDENTITY", "http://svc:1"), ("AWS_ENDPOINT_URL", "http://all:2")]);
    let mut c = region("us-east-1");
    assert_eq!(resolve(&c, &env).unwrap().endpoint_url, "http://svc:1");
    assert_eq!(resolve(&c, &env_of(&[("AWS_ENDPOINT_URL", "http://all:2")])).unwrap().endpoint_url, "http://all:2");
    c.endpoint_url = Some("http://arg:3".into());
    assert_eq!(resolve(&c, &env).unwrap().endpoint_url, "http://arg:3");
    let ignoring = env_of(&[("AWS_ENDPOINT_URL", "http://all:2"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
    assert_eq!(
        resolve(&region("us-east-1"), &ignoring).unwrap().endpoint_url,
        "https://cognito-identity.us-east-1.amazonaws.com"
    );
}

#[test]
fn fips_and_dualstack_flags_come_from_the_environment_too() {
    let env = env_of(&[("AWS_USE_FIPS_ENDPOINT", "true")]);
    assert_eq!(
        resolve(&region("us-east-2"), &env).unwrap().endpoint_url,
        "https://cognito-identity-fips.us-east-2.amazonaws.com"
    );
    let e = resolve(&region("us-east-2"), &env_of(&[("AWS_USE_FIPS_ENDPOINT", "maybe")])).unwrap_err();
    assert!(e.message().contains("AWS_USE_FIPS_ENDPOINT"), "{e}");
}

#[test]
fn retry_settings_are_checked() {
    assert_eq!(resolve(&region("us-east-1"), &env_of(&[])).unwrap().max_attempts, 3);
    assert_eq!(resolve(&region("us-east-1"), &env_of(&[("AWS_MAX_ATTEMPTS", "7")])).unwrap().max_attempts, 7);
    assert_eq!(resolve(&region("us-east-1"), &env_of(&[("AWS_RETRY_MODE", "legacy")])).unwrap().max_attempts, 5);
    let e = resolve(&region("us-east-1"), &env_of(&[("AWS_MAX_ATTEMPTS", "many")])).unwrap_err();
    assert!(e.message().contains("AWS_MAX_ATTEMPTS"), "{e}");
    let e = resolve(&Config { max_attempts: Some(0), ..region("us-east-1") }, &env_of(&[])).unwrap_err();
    assert!(e.message().contains("max_attempts"), "{e}");
    let e = resolve(&Config { retry_mode: Some("turbo".into()), ..region("us-east-1") }, &env_of(&[])).unwrap_err();
    assert!(e.message().contains("retry_mode"), "{e}");
}

#[test]
fn profiles_give_region_endpoint_and_credentials() {
    let dir = std::env::temp_dir().join(format!("cognito-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    let creds = dir.join("credentials");
    std::fs::write(&config, "[profile dev]\nregion = ca-central-1\nservices = s\n[services s]\ncognito_identity =\n  endpoint_url = http://127.0.0.1:9\n").unwrap();
    std::fs::write(&creds, "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = S\n").unwrap();
    let (c, k) = (config.to_string_lossy().into_owned(), creds.to_string_lossy().into_owned());
    let env = env_of(&[("AWS_CONFIG_FILE", &c), ("AWS_SHARED_CREDENTIALS_FILE", &k), ("AWS_PROFILE", "dev")]);
    let r = resolve(&Config::default(), &env).unwrap();
    assert_eq!(r.region, "ca-central-1");
    assert_eq!(r.endpoint_url, "http://127.0.0.1:9");
    let Decision::Static(creds) = &r.credentials else { panic!("static keys expected: {:?}", r.credentials) };
    assert_eq!(creds.access_key_id(), "AKIDDEV");
    let e = resolve(&Config { profile: Some("nope".into()), ..Config::default() }, &env).unwrap_err();
    assert_eq!(e.code(), "ProfileNotFound");
    assert!(e.message().contains("nope"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unsigned_clients_carry_no_credentials() {
    let env = env_of(&[("AWS_ACCESS_KEY_ID", "A"), ("AWS_SECRET_ACCESS_KEY", "S")]);
    assert!(matches!(resolve(&region("us-east-1"), &env).unwrap().credentials, Decision::Static(_)));
    let unsigned = resolve(&Config { unsigned: true, ..region("us-east-1") }, &env).unwrap();
    assert!(matches!(unsigned.credentials, Decision::None));
}

#[test]
fn debug_of_a_config_hides_the_secret() {
    let c = Config::from_json(
        &json!({"aws_access_key_id": "AKID", "aws_secret_access_key": "CANARY-S", "aws_session_token": "CANARY-T"}),
    )
    .unwrap();
    let shown = format!("{c:?}");
    assert!(shown.contains("AKID") && !shown.contains("CANARY"), "{shown}");
}
