//! A process environment in which no fuzz input can reach the machine's
//! credentials, profiles or the network: every `AWS_*` variable is removed,
//! the shared files point nowhere, and the instance metadata service is off.

/// Where the shared files "are": a path that never exists.
pub const NOWHERE: &str = "/nonexistent/cognito-identity-fuzz";

/// Makes the environment hermetic, then sets `extra`. Call it once, from a
/// target's `init`, before any other thread reads the environment.
pub fn hermetic(extra: &[(&str, &str)]) {
    let aws: Vec<String> =
        std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()).filter(|k| k.starts_with("AWS_")).collect();
    // SAFETY: called from the fuzz target's init, before the library under
    // test starts any thread that could read the environment.
    unsafe {
        for k in aws {
            std::env::remove_var(k);
        }
        std::env::set_var("HOME", NOWHERE);
        std::env::set_var("AWS_CONFIG_FILE", NOWHERE);
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", NOWHERE);
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        for (k, v) in extra {
            std::env::set_var(k, v);
        }
    }
}
