//! The core's identity-pool credentials provider against the emulator: the
//! flows, the identity cache (memory and disk), refresh with one fetch for
//! many threads, recovery from a deleted identity, logins asked on every
//! refresh, and the provider serving an AWS SDK for Rust client.

use cognito_identity::Error;
use cognito_identity::identity_pool::{IdentityPoolConfig, IdentityPoolCredentialsProvider, LoginMap, LoginsSource};
use cognito_identity_emulator::{Emulator, EmulatorConfig, FaultKind};
use cognito_identity_tests::admin_client;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

const GUEST_ROLE: &str = "arn:aws:iam::123456789012:role/RustGuest";
const USER_ROLE: &str = "arn:aws:iam::123456789012:role/RustUser";

fn emulator(ttl_secs: u64) -> Emulator {
    Emulator::start(EmulatorConfig { credentials_ttl: Duration::from_secs(ttl_secs), ..EmulatorConfig::default() })
        .expect("emulator starts")
}

/// A pool allowing guests and Facebook logins, with both roles; `extra` adds members.
fn pool(emu: &Emulator, extra: Value) -> String {
    let admin = admin_client(emu.url());
    let mut input = json!({"IdentityPoolName": "rust_provider", "AllowUnauthenticatedIdentities": true,
        "SupportedLoginProviders": {"graph.facebook.com": "123"}});
    if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
        i.extend(e.clone());
    }
    let id =
        admin.call_json("CreateIdentityPool", &input).expect("pool")["IdentityPoolId"].as_str().expect("id").to_owned();
    admin
        .call_json(
            "SetIdentityPoolRoles",
            &json!({"IdentityPoolId": id, "Roles": {"unauthenticated": GUEST_ROLE, "authenticated": USER_ROLE}}),
        )
        .expect("roles");
    id
}

fn calls(emu: &Emulator, operation: &str) -> usize {
    emu.requests().iter().filter(|r| r["operation"] == operation).count()
}

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cognito-provider-{name}-{}-{}", std::process::id(), fastrand::u64(..)))
}

fn provider(
    emu: &Emulator,
    pool: &str,
    f: impl FnOnce(
        cognito_identity::identity_pool::IdentityPoolConfigBuilder,
    ) -> cognito_identity::identity_pool::IdentityPoolConfigBuilder,
) -> IdentityPoolCredentialsProvider {
    let builder = f(IdentityPoolConfig::builder(pool).endpoint_url(emu.url()).no_disk_cache());
    IdentityPoolCredentialsProvider::with_env(builder.build().expect("config"), &|_| None).expect("provider")
}

#[test]
fn a_guest_identity_is_fetched_once_and_its_credentials_reused() {
    let emu = emulator(3600);
    let pool = pool(&emu, json!({}));
    let p = provider(&emu, &pool, |b| b);
    assert_eq!(p.identity_id(), None);
    let first = p.credentials().expect("credentials");
    assert!(first.credentials().access_key_id().starts_with("ASIA"));
    assert!(first.credentials().expiry().is_some_and(|e| e > std::time::SystemTime::now() + Duration::from_secs(3000)));
    assert_eq!(p.identity_id().as_deref(), Some(first.identity_id()));
    assert_eq!(p.credentials().expect("again"), first);
    assert_eq!((calls(&emu, "GetId"), calls(&emu, "GetCredentialsForIdentity")), (1, 1));
    let shown = format!("{first:?} {p:?}");
    assert!(!shown.contains(first.credentials().secret_access_key()), "{shown}");
}

#[test]
fn sixteen_threads_in_the_mandatory_window_make_one_refresh() {
    let emu = emulator(4);
    let pool = pool(&emu, json!({}));
    let windows = cognito_identity::credentials::refresh::RefreshWindows {
        advisory: Duration::from_secs(3),
        mandatory: Duration::from_secs(3),
    };
    let p = provider(&emu, &pool, |b| b.refresh_windows(windows));
    let first = p.credentials().expect("first");
    std::thread::sleep(Duration::from_millis(1500));
    emu.inject(
        cognito_identity_emulator::Fault::new(FaultKind::Delay).operation("GetCredentialsForIdentity").delay_ms(300),
    );
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (p, barrier) = (p.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                p.credentials().map(|c| c.credentials().access_key_id().to_owned())
            })
        })
        .collect();
    let keys: Vec<String> = threads.into_iter().map(|t| t.join().expect("thread").expect("credentials")).collect();
    assert!(keys.iter().all(|k| k == &keys[0] && k != first.credentials().access_key_id()), "{keys:?}");
    assert_eq!(calls(&emu, "GetCredentialsForIdentity"), 2, "the first fetch and one refresh");
}

#[test]
fn a_deleted_identity_is_replaced_once_and_the_disk_cache_follows() {
    let emu = emulator(3600);
    let pool = pool(&emu, json!({}));
    let dir = temp_dir("deleted");
    let on_disk = |emu: &Emulator| {
        let config =
            IdentityPoolConfig::builder(&pool).endpoint_url(emu.url()).cache_dir(&dir).build().expect("config");
        IdentityPoolCredentialsProvider::with_env(config, &|_| None).expect("provider")
    };
    let gone = on_disk(&emu).credentials().expect("first").identity_id().to_owned();
    assert_eq!(on_disk(&emu).credentials().expect("from disk").identity_id(), gone, "a second provider reads the file");
    assert_eq!(calls(&emu, "GetId"), 1);
    let admin_delete = json!({"IdentityIdsToDelete": [gone]});
    admin_client(emu.url()).call_json("DeleteIdentities", &admin_delete).expect("delete");
    let fresh = on_disk(&emu).credentials().expect("recovered");
    assert_ne!(fresh.identity_id(), gone);
    assert_eq!(calls(&emu, "GetId"), 2);
    assert_eq!(on_disk(&emu).credentials().expect("again").identity_id(), fresh.identity_id());
    let p = on_disk(&emu);
    p.credentials().expect("credentials");
    p.clear();
    assert_eq!(p.identity_id(), None);
    assert_eq!(
        std::fs::read_dir(&dir)
            .expect("dir")
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json")))
            .count(),
        0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts how often it is asked; always the same user.
struct Counting(AtomicUsize);

impl LoginsSource for Counting {
    fn logins(&self) -> Result<LoginMap, Error> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(LoginMap::from([("graph.facebook.com".to_owned(), "rust-user".to_owned())]))
    }
}

#[test]
fn a_logins_source_is_asked_on_every_refresh_and_a_guest_is_linked() {
    let emu = emulator(3600);
    let pool = pool(&emu, json!({}));
    let p = provider(&emu, &pool, |b| b);
    let guest = p.credentials().expect("guest").identity_id().to_owned();
    let source = Arc::new(Counting(AtomicUsize::new(0)));
    p.set_logins(cognito_identity::identity_pool::Logins::Dynamic(source.clone()));
    let signed_in = p.credentials().expect("signed in");
    assert_eq!(signed_in.identity_id(), guest, "Cognito linked the guest identity");
    assert_eq!(source.0.load(Ordering::SeqCst), 1);
    p.credentials().expect("held");
    assert_eq!(source.0.load(Ordering::SeqCst), 1, "no refresh, no question");
}

#[tokio::test]
async fn the_classic_flow_serves_an_aws_sdk_client_through_provide_credentials() {
    use aws_smithy_http_client::tls::{Provider as TlsProvider, rustls_provider::CryptoMode};
    let emu = emulator(3600);
    let pool = pool(&emu, json!({"AllowClassicFlow": true}));
    let url = emu.url();
    let p = provider(&emu, &pool, |b| b.classic_flow(GUEST_ROLE).role_session_name("rust").sts_endpoint_url(&url));
    let http = aws_smithy_http_client::Builder::new().tls_provider(TlsProvider::Rustls(CryptoMode::Ring)).build_https();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&url)
        .credentials_provider(p.clone())
        .load()
        .await;
    let who = aws_sdk_sts::Client::new(&sdk).get_caller_identity().send().await.expect("GetCallerIdentity");
    assert_eq!(who.arn(), Some("arn:aws:sts::123456789012:assumed-role/RustGuest/rust"));
    assert_eq!(calls(&emu, "GetOpenIdToken"), 1);
    assert_eq!(calls(&emu, "AssumeRoleWithWebIdentity"), 1);
    assert_eq!(calls(&emu, "GetCredentialsForIdentity"), 0);
}
