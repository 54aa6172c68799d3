//! What the client reports through `tracing`: a record for each request and
//! response, a retry with its reason, where the credentials came from and
//! their refresh; at TRACE, with aws-config's and aws-smithy's records too,
//! never a secret.

use cognito_identity::identity_pool::{IdentityPoolConfig, IdentityPoolCredentialsProvider};
use cognito_identity::{Client, Config, Credentials};
use cognito_identity_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use cognito_identity_tests::admin_client;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Everything a subscriber at TRACE writes, for every target.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Runs `f` under a TRACE subscriber of its own. This file holds one test:
/// tracing caches which callsites are wanted across threads, and per-thread
/// subscribers of parallel tests race with that cache.
fn traced<T>(f: impl FnOnce() -> T) -> (T, String) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    (out, captured.text())
}

const SECRET: &str = "CANARY-SECRET-KEY-0123456789";
const TOKEN: &str = "CANARY-SESSION-TOKEN-0123456789";

#[test]
fn records_name_requests_retries_and_credentials_and_never_a_secret() {
    a_retry_and_the_credentials_source_are_reported_without_secrets();
    fetched_credentials_and_identity_pools_log_no_secret_even_at_trace();
}

fn a_retry_and_the_credentials_source_are_reported_without_secrets() {
    let emu = Emulator::start(EmulatorConfig {
        access_keys: vec![cognito_identity_emulator::AccessKey::new("AKIDLOGTEST", SECRET)],
        ..EmulatorConfig::default()
    })
    .expect("emulator");
    let ((), log) = traced(|| {
        let client = Client::with_env(
            Config::builder()
                .region("us-east-1")
                .endpoint_url(emu.url())
                .credentials(Credentials::new("AKIDLOGTEST", SECRET, Some(TOKEN.into())))
                .initial_backoff(std::time::Duration::from_millis(1))
                .build()
                .expect("config"),
            &|_| None,
        )
        .expect("client");
        emu.inject(Fault::new(FaultKind::Status).status(503).operation("ListIdentityPools"));
        client.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("retried, then served");
    });
    assert!(log.contains("credentials from explicit"), "{log}");
    assert!(log.contains("retrying ListIdentityPools: ServiceUnavailableException"), "{log}");
    assert!(log.contains("attempt=1") && log.contains("backoff_ms="), "{log}");
    assert!(log.contains("response received") && log.contains("status=503") && log.contains("status=200"), "{log}");
    assert!(log.contains("cognito_identity::retries") && log.contains("cognito_identity::http"), "{log}");
    assert!(!log.contains("CANARY"), "a secret was logged:\n{log}");
}

fn fetched_credentials_and_identity_pools_log_no_secret_even_at_trace() {
    let emu = Emulator::start(EmulatorConfig::default()).expect("emulator");
    let admin = admin_client(emu.url());
    let pool = admin
        .call_json("CreateIdentityPool", &json!({"IdentityPoolName": "log", "AllowUnauthenticatedIdentities": true}))
        .expect("pool")["IdentityPoolId"]
        .as_str()
        .expect("id")
        .to_owned();
    admin
        .call_json(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": pool, "Roles": {"unauthenticated": "arn:aws:iam::123456789012:role/L"}}),
        )
        .expect("roles");

    let (secrets, log) = traced(|| {
        // The container source (aws-config's provider over our HTTP client).
        let container = format!("{}/_emulator/container-credentials", emu.url());
        let env = |k: &str| match k {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI" => Some(container.clone()),
            "AWS_EC2_METADATA_DISABLED" => Some("true".to_owned()),
            _ => None,
        };
        // aws-config reads the process environment for this source.
        // SAFETY: the tests of this file set no other variable and read it on this thread.
        unsafe { std::env::set_var("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container) };
        let client = Client::with_env(
            Config::builder().region("us-east-1").endpoint_url(emu.url()).build().expect("config"),
            &env,
        )
        .expect("client");
        client.call_json("ListIdentityPools", &json!({"MaxResults": 1})).expect("signed with container credentials");
        // SAFETY: as above.
        unsafe { std::env::remove_var("AWS_CONTAINER_CREDENTIALS_FULL_URI") };
        let provider = IdentityPoolCredentialsProvider::with_env(
            IdentityPoolConfig::builder(&pool).endpoint_url(emu.url()).no_disk_cache().build().expect("config"),
            &|_| None,
        )
        .expect("provider");
        let creds = provider.credentials().expect("pool credentials");
        vec![
            creds.credentials().secret_access_key().to_owned(),
            creds.credentials().session_token().unwrap_or_default().to_owned(),
        ]
    });
    assert!(log.contains("credentials refreshed from container-role"), "{log}");
    assert!(log.contains("credentials refreshed from cognito-identity-pool"), "{log}");
    for secret in secrets {
        assert!(!log.contains(&secret), "a pool secret was logged");
    }
    // The container's keys were issued by the emulator: no credentials document may show either.
    assert!(
        !log.contains("SecretAccessKey\":") && !log.contains("\"Token\":"),
        "a credentials document was logged:\n{log}"
    );
}
