use super::*;
use std::collections::HashMap;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let m: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    move |k| m.get(k).cloned()
}

fn decide_with(
    config: &str,
    credentials: &str,
    env: &[(&str, &str)],
    profile: &str,
    argument: bool,
) -> Result<Decision, Error> {
    let files = ProfileFiles::parse(config, credentials);
    let env = env_of(env);
    decide(&Inputs { explicit: None, profile_argument: argument, profile, env: &env, files: &files })
}

fn source_of(d: Result<Decision, Error>) -> String {
    match d {
        Ok(Decision::Static(c)) => c.source().to_string(),
        Ok(Decision::Fetch(p)) => p.source().to_string(),
        Ok(Decision::None) => "none".into(),
        Err(e) => format!("error {}: {}", e.code(), e.message()),
    }
}

const CREDS: &str = "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=FILESECRET\n[p]\naws_access_key_id=AKIDP\naws_secret_access_key=PSECRET\naws_session_token=PTOKEN\n";
const ENV_KEYS: [(&str, &str); 2] = [("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "ENVSECRET")];

#[test]
fn explicit_beats_environment_beats_files() {
    let files = ProfileFiles::parse("", CREDS);
    let env = env_of(&ENV_KEYS);
    let explicit = Credentials::new("AKIDX", "XSECRET", None);
    let inputs =
        Inputs { explicit: Some(&explicit), profile_argument: false, profile: "default", env: &env, files: &files };
    assert_eq!(source_of(decide(&inputs)), "explicit");
    assert_eq!(source_of(decide_with("", CREDS, &ENV_KEYS, "default", false)), "env");
    assert_eq!(source_of(decide_with("", CREDS, &[], "default", false)), "shared-credentials-file (profile default)");
}

#[test]
fn a_profile_named_by_argument_skips_the_environment_but_aws_profile_does_not() {
    assert_eq!(source_of(decide_with("", CREDS, &ENV_KEYS, "p", true)), "shared-credentials-file (profile p)");
    // AWS_PROFILE is resolved by the caller into `profile`, with argument = false.
    assert_eq!(source_of(decide_with("", CREDS, &ENV_KEYS, "p", false)), "env");
    let Ok(Decision::Static(c)) = decide_with("", CREDS, &[], "p", true) else { panic!("static") };
    assert_eq!((c.access_key_id(), c.session_token()), ("AKIDP", Some("PTOKEN")));
}

#[test]
fn partial_credentials_are_an_error_naming_the_missing_key() {
    let e = decide_with("", "", &[("AWS_ACCESS_KEY_ID", "AKIDENV")], "default", false).unwrap_err();
    assert_eq!(e.code(), "PartialCredentialsError");
    assert!(e.message().contains("env") && e.message().contains("aws_secret_access_key"), "{e}");
}

#[test]
fn profile_sources_come_in_botocores_order() {
    let config = "\
[profile role]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = base
aws_access_key_id = IGNORED
aws_secret_access_key = IGNORED
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = BASE
[profile wi]
role_arn = arn:aws:iam::123456789012:role/w
web_identity_token_file = /tmp/token
[profile sso]
sso_session = s
sso_account_id = 123456789012
sso_role_name = Admin
credential_process = /bin/false
[sso-session s]
sso_region = us-east-1
sso_start_url = https://example.awsapps.com/start
[profile proc]
credential_process = /bin/echo
aws_access_key_id = CONFIGKEYS
aws_secret_access_key = LOSE
[profile cfg]
aws_access_key_id = AKIDCFG
aws_secret_access_key = CFG
";
    let creds = "[proc]\n";
    assert_eq!(source_of(decide_with(config, creds, &[], "role", true)), "assume-role (profile role)");
    assert_eq!(source_of(decide_with(config, creds, &[], "wi", true)), "assume-role-with-web-identity (profile wi)");
    assert_eq!(source_of(decide_with(config, creds, &[], "sso", true)), "sso (profile sso)");
    assert_eq!(source_of(decide_with(config, creds, &[], "proc", true)), "custom-process (profile proc)");
    assert_eq!(source_of(decide_with(config, creds, &[], "cfg", true)), "config-file (profile cfg)");
    // Static keys in the credentials file come before credential_process.
    let creds = "[proc]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = S\n";
    assert_eq!(source_of(decide_with(config, creds, &[], "proc", true)), "shared-credentials-file (profile proc)");
}

#[test]
fn web_identity_reads_the_environment_first_then_the_profile() {
    let env = [("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"), ("AWS_ROLE_ARN", "arn:aws:iam::1:role/env")];
    let Ok(Decision::Fetch(Plan::WebIdentity { profile, token_file, role_arn, session_name })) =
        decide_with("[default]\nrole_session_name = s1\n", CREDS, &env, "default", false)
    else {
        panic!("web identity")
    };
    assert_eq!((profile, role_arn.as_str(), session_name.as_deref()), (None, "arn:aws:iam::1:role/env", Some("s1")));
    assert_eq!(token_file, PathBuf::from("/var/run/token"));
    // ... before static keys of the profile, as in botocore (EKS with a default profile).
    let e = decide_with("", "", &[("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")], "default", false).unwrap_err();
    assert_eq!(e.code(), "InvalidConfigError");
    assert!(e.message().contains("AWS_ROLE_ARN"), "{e}");
    // A profile named by argument ignores the environment's web identity too.
    assert_eq!(source_of(decide_with("", CREDS, &env, "p", true)), "shared-credentials-file (profile p)");
}

#[test]
fn role_chains_are_checked_for_loops_and_missing_profiles() {
    let loop_config = "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n";
    let e = decide_with(loop_config, "", &[], "a", true).unwrap_err();
    assert_eq!(e.code(), "InfiniteLoopConfigError");
    assert!(e.message().contains("Visited profiles: a, b"), "{e}");
    let self_with_keys = "[profile s]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = s\naws_access_key_id = A\naws_secret_access_key = B\n";
    assert_eq!(source_of(decide_with(self_with_keys, "", &[], "s", true)), "assume-role (profile s)");
    let self_without = "[profile s]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = s\n";
    assert_eq!(decide_with(self_without, "", &[], "s", true).unwrap_err().code(), "InfiniteLoopConfigError");
    let missing = "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = nowhere\n";
    let e = decide_with(missing, "", &[], "a", true).unwrap_err();
    assert!(e.message().contains("\"nowhere\"") && e.code() == "InvalidConfigError", "{e}");
    let both = "[profile a]\nrole_arn = r\nsource_profile = a\ncredential_source = Environment\n";
    assert!(decide_with(both, "", &[], "a", true).unwrap_err().message().contains("both"));
    let bad_source = "[profile a]\nrole_arn = r\ncredential_source = Floppy\n";
    assert!(decide_with(bad_source, "", &[], "a", true).unwrap_err().message().contains("Floppy"));
    let neither = "[profile a]\nrole_arn = r\n";
    assert_eq!(decide_with(neither, "", &[], "a", true).unwrap_err().code(), "PartialCredentialsError");
    let long_chain = "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = c\n[profile c]\nrole_arn = r\ncredential_source = Ec2InstanceMetadata\n";
    assert_eq!(source_of(decide_with(long_chain, "", &[], "a", true)), "assume-role (profile a)");
}

#[test]
fn sso_profiles_name_what_they_miss() {
    let e =
        decide_with("[default]\nsso_role_name = R\nsso_region = us-east-1\n", "", &[], "default", false).unwrap_err();
    assert!(e.message().ends_with("missing required configuration: sso_account_id, sso_start_url"), "{e}");
    let e = decide_with(
        "[default]\nsso_role_name = R\nsso_account_id = 1\nsso_session = gone\n",
        "",
        &[],
        "default",
        false,
    )
    .unwrap_err();
    assert!(e.message().contains("sso-session does not exist: \"gone\""), "{e}");
    let legacy =
        "[default]\nsso_role_name = R\nsso_account_id = 1\nsso_region = eu-west-1\nsso_start_url = https://x\n";
    assert_eq!(source_of(decide_with(legacy, "", &[], "default", false)), "sso (profile default)");
}

#[test]
fn container_then_instance_metadata_unless_disabled() {
    assert_eq!(
        source_of(decide_with("", "", &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds")], "default", false)),
        "container-role"
    );
    assert_eq!(source_of(decide_with("", "", &[], "default", false)), "iam-role");
    assert_eq!(source_of(decide_with("", "", &[("AWS_EC2_METADATA_DISABLED", "TRUE")], "default", false)), "none");
    let Ok(Decision::Fetch(Plan::InstanceMetadata(s))) = decide_with(
        "[default]\nmetadata_service_num_attempts = 3\n",
        "",
        &[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "2.5"),
        ],
        "default",
        false,
    ) else {
        panic!("imds")
    };
    assert_eq!(
        s,
        ImdsSettings {
            endpoint: Some("http://127.0.0.1:1234".into()),
            ipv6: true,
            timeout: Duration::from_millis(2500),
            attempts: 3
        }
    );
    for (var, value) in [
        ("AWS_METADATA_SERVICE_TIMEOUT", "soon"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
    ] {
        let e = decide_with("", "", &[(var, value)], "default", false).unwrap_err();
        assert!(e.message().contains(var) && e.code() == "InvalidConfigError", "{e}");
    }
}
