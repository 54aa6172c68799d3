//! Command-line flags of the `cognito-identity-emulator` binary.

use crate::config::{AccessKey, EmulatorConfig};
use crate::server;
use crate::shared::Shared;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub const USAGE: &str = "\
cognito-identity-emulator: a local Amazon Cognito Identity server

USAGE:
    cognito-identity-emulator [OPTIONS]

OPTIONS:
    --port N             port to listen on; 0 picks a free one (default 0)
    --host ADDR          address to bind (default 127.0.0.1)
    --port-file PATH     also write the chosen port to PATH
    --region R           a region to serve; repeatable (default us-east-1)
    --access-key ID:SECRET
                         an accepted SigV4 key; repeatable (default test:test,
                         or COGNITO_EMULATOR_ACCESS_KEYS=id:secret,id2:secret2)
    --account-id ID      account id used in ARNs (default 123456789012)
    --credentials-ttl SECONDS
                         lifetime of issued temporary keys (GetCredentialsForIdentity,
                         STS AssumeRoleWithWebIdentity, container credentials);
                         at least 1 (default 3600)
    --max-identities N   most identities one identity pool may hold; past it
                         GetId answers LimitExceededException (default: no cap)
    -h, --help           print this help

The first line on stdout is `cognito-identity-emulator listening on http://HOST:PORT`.
Control endpoints live under /_emulator/ (see the README).";

/// What the command line asked for.
#[derive(Debug)]
pub enum Command {
    Help,
    Run { config: EmulatorConfig, port_file: Option<PathBuf> },
}

/// Parses the flags (without the program name); `env_keys` is the value of
/// `COGNITO_EMULATOR_ACCESS_KEYS`, if set.
pub fn parse(args: &[String], env_keys: Option<&str>) -> Result<Command, String> {
    let mut config = EmulatorConfig::default();
    let mut regions = Vec::new();
    let mut keys = Vec::new();
    let mut port_file = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{flag} needs a value"));
        match flag {
            "--port" => {
                let v = value()?;
                config.port = v.parse().map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--host" => {
                let v = value()?;
                config.host = v.parse().map_err(|_| format!("--host: not an IP address: {v}"))?;
            }
            "--port-file" => port_file = Some(PathBuf::from(value()?)),
            "--region" => {
                let v = value()?;
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(format!("--region: not a region name: {v}"));
                }
                regions.push(v);
            }
            "--access-key" => keys.push(AccessKey::parse(&value()?)?),
            "--account-id" => {
                let v = value()?;
                if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("--account-id: must be 12 digits: {v}"));
                }
                config.account_id = v;
            }
            "--credentials-ttl" => {
                let v = value()?;
                let secs: u64 = v.parse().map_err(|_| format!("--credentials-ttl: not a number of seconds: {v}"))?;
                crate::config::check_credentials_ttl(secs).map_err(|e| format!("--credentials-ttl: {e}"))?;
                config.credentials_ttl = Duration::from_secs(secs);
            }
            "--max-identities" => {
                let v = value()?;
                let n: usize = v.parse().map_err(|_| format!("--max-identities: not a whole number: {v}"))?;
                config.max_identities = Some(n);
            }
            other => return Err(format!("unknown argument {other:?}; try --help")),
        }
    }
    if !regions.is_empty() {
        config.regions = regions;
    }
    if keys.is_empty()
        && let Some(env) = env_keys.filter(|e| !e.trim().is_empty())
    {
        keys = AccessKey::parse_list(env).map_err(|e| format!("COGNITO_EMULATOR_ACCESS_KEYS: {e}"))?;
    }
    if !keys.is_empty() {
        config.access_keys = keys;
    }
    Ok(Command::Run { config, port_file })
}

/// The whole command: parses `args` (without the program name), serves
/// until SIGINT or SIGTERM, and returns the exit status (0 done, 1 failed,
/// 2 bad arguments). Shared by the binary and the Python package's command.
pub fn main(args: &[String]) -> u8 {
    let env_keys = std::env::var("COGNITO_EMULATOR_ACCESS_KEYS").ok();
    let (config, port_file) = match parse(args, env_keys.as_deref()) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return 0;
        }
        Ok(Command::Run { config, port_file }) => (config, port_file),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "cognito-identity-emulator: {e}");
            return 2;
        }
    };
    match run(config, port_file) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "cognito-identity-emulator: {e}");
            1
        }
    }
}

fn run(config: EmulatorConfig, port_file: Option<PathBuf>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((config.host, config.port))
            .await
            .map_err(|e| format!("cannot bind {}:{}: {e}", config.host, config.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let shared = Arc::new(Shared::new(config)?);
        if let Some(path) = port_file {
            std::fs::write(&path, format!("{}\n", addr.port()))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        // Handled from before the announcement: a signal sent the moment it
        // appears would otherwise meet its default action (exit by SIGTERM).
        let signalled = stop_signals();
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "cognito-identity-emulator listening on {}", server::url_of(addr));
            let _ = out.flush();
        }
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            signalled.await;
            let _ = stop.send(true);
        });
        server::serve(listener, shared, stop_rx).await;
        Ok(())
    })
}

/// SIGTERM or SIGINT, handled from this call on (tokio installs the
/// handlers when the listeners are made, not when first awaited).
fn stop_signals() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            return Box::pin(async move {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            });
        }
    }
    Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_are_read() {
        let Ok(Command::Run { config, port_file }) = parse(
            &args(&[
                "--port",
                "0",
                "--region",
                "eu-west-1",
                "--region=us-west-2",
                "--access-key",
                "AK:SK:x",
                "--port-file",
                "/tmp/p",
            ]),
            Some("ignored:since-flags-given"),
        ) else {
            panic!("parse failed");
        };
        assert_eq!(config.port, 0);
        assert_eq!(config.regions, vec!["eu-west-1", "us-west-2"]);
        assert_eq!(config.access_keys, vec![AccessKey::new("AK", "SK:x")]);
        assert_eq!(port_file, Some(PathBuf::from("/tmp/p")));
    }

    #[test]
    fn env_keys_and_defaults() {
        let Ok(Command::Run { config, .. }) = parse(&[], Some("a:b, c:d")) else {
            panic!("parse failed");
        };
        assert_eq!(config.access_keys, vec![AccessKey::new("a", "b"), AccessKey::new("c", "d")]);
        assert_eq!(config.regions, vec!["us-east-1"]);
        let Ok(Command::Run { config, .. }) = parse(&[], None) else {
            panic!("parse failed");
        };
        assert_eq!(config.access_keys, vec![AccessKey::new("test", "test")]);
    }

    #[test]
    fn errors_and_help() {
        assert!(matches!(parse(&args(&["--help"]), None), Ok(Command::Help)));
        assert!(parse(&args(&["--port"]), None).is_err());
        assert!(parse(&args(&["--port", "x"]), None).is_err());
        assert!(parse(&args(&["--access-key", "nocolon"]), None).is_err());
        assert!(parse(&args(&["--bogus"]), None).is_err());
    }

    #[test]
    fn max_identities() {
        let Ok(Command::Run { config, .. }) = parse(&[], None) else {
            panic!("parse failed");
        };
        assert_eq!(config.max_identities, None);
        let Ok(Command::Run { config, .. }) = parse(&args(&["--max-identities", "50"]), None) else {
            panic!("parse failed");
        };
        assert_eq!(config.max_identities, Some(50));
        for bad in ["-1", "x", ""] {
            let err = parse(&args(&["--max-identities", bad]), None).expect_err("refused");
            assert!(err.contains("--max-identities"), "{err}");
        }
    }

    #[test]
    fn credentials_ttl() {
        let Ok(Command::Run { config, .. }) = parse(&[], None) else {
            panic!("parse failed");
        };
        assert_eq!(config.credentials_ttl, Duration::from_secs(3600));
        for given in [&["--credentials-ttl", "5"][..], &["--credentials-ttl=5"][..]] {
            let Ok(Command::Run { config, .. }) = parse(&args(given), None) else {
                panic!("parse failed: {given:?}");
            };
            assert_eq!(config.credentials_ttl, Duration::from_secs(5));
        }
        for (given, expected) in [
            (&["--credentials-ttl", "0"][..], "at least 1"),
            (&["--credentials-ttl", "315360001"][..], "at most"),
            (&["--credentials-ttl", "-5"][..], "not a number"),
            (&["--credentials-ttl", "1.5"][..], "not a number"),
            (&["--credentials-ttl", "soon"][..], "not a number"),
            (&["--credentials-ttl="][..], "not a number"),
            (&["--credentials-ttl"][..], "needs a value"),
        ] {
            let err = parse(&args(given), None).expect_err("refused");
            assert!(err.contains(expected), "{given:?}: {err}");
        }
    }
}
