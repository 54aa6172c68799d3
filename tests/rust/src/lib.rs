//! This crate holds only tests (`tests/`): the ones that need both the core
//! client and the emulator, which neither crate can hold without depending
//! on the other.

use cognito_identity::{Client, Config, Credentials};

/// A client of the emulator at `url` with its administrator keys (any keys
/// do there), reading nothing from the environment.
pub fn admin_client(url: impl Into<String>) -> Client {
    Client::with_env(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials(Credentials::new("test", "test", None))
            .build()
            .expect("config"),
        &|_| None,
    )
    .expect("admin client")
}
