//! `cognito-identity-emulator`: run the emulator until SIGINT or SIGTERM.

use cognito_identity_emulator::cli::{self, Command};
use cognito_identity_emulator::{Shared, server};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env_keys = std::env::var("COGNITO_EMULATOR_ACCESS_KEYS").ok();
    let (config, port_file) = match cli::parse(&args, env_keys.as_deref()) {
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run { config, port_file }) => (config, port_file),
        Err(e) => {
            eprintln!("cognito-identity-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    match run(config, port_file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-identity-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(config: cognito_identity_emulator::EmulatorConfig, port_file: Option<std::path::PathBuf>) -> Result<(), String> {
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
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "cognito-identity-emulator listening on {}", server::url_of(addr));
            let _ = out.flush();
        }
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            let _ = stop.send(true);
        });
        server::serve(listener, shared, stop_rx).await;
        Ok(())
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
