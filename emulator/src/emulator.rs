//! The in-process entry point: start an emulator on its own runtime thread,
//! talk to it, stop it.

use crate::config::{AccessKey, EmulatorConfig};
use crate::faults::Fault;
use crate::shared::Shared;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use tokio::sync::watch;

/// A running emulator. It stops when dropped.
///
/// `start` works from plain synchronous code and from inside a tokio runtime
/// alike: the server always runs on a runtime of its own, on its own thread.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config.host:config.port` (port 0: a free one) and starts serving.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind((config.host, config.port))?;
        Self::start_on(listener, config)
    }

    /// Serves on a listener the caller already bound.
    pub fn start_on(listener: TcpListener, config: EmulatorConfig) -> std::io::Result<Emulator> {
        config.check().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config).map_err(std::io::Error::other)?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cognito-identity-emulator")
            .enable_all()
            .build()?;
        let (stop, stop_rx) = watch::channel(false);
        let server_shared = shared.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().name("cognito-identity-emulator".into()).spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        let _ = ready_tx.send(Ok(()));
                        crate::server::serve(listener, server_shared, stop_rx).await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
            runtime.shutdown_background();
        })?;
        ready_rx.recv().map_err(|_| std::io::Error::other("the emulator thread died while starting"))??;
        Ok(Emulator { addr, shared, stop, thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        crate::server::url_of(self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The first configured region.
    pub fn region(&self) -> &str {
        self.shared.config.default_region()
    }

    /// The first configured access key (by default `test`/`test`).
    pub fn access_key(&self) -> AccessKey {
        self.shared.config.access_keys.first().cloned().unwrap_or_else(|| AccessKey::new("test", "test"))
    }

    pub fn config(&self) -> &EmulatorConfig {
        &self.shared.config
    }

    /// The ARN of a pool of the first region, for the tagging operations.
    pub fn pool_arn(&self, pool_id: &str) -> String {
        crate::ops::pool_arn(self.region(), &self.shared.config.account_id, pool_id)
    }

    /// Queues a fault for the next matching requests. At most
    /// [`crate::faults::MAX_PENDING`] faults wait; one more drops the oldest.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.push(fault);
    }

    /// How many identities exist, in every pool.
    pub fn identity_count(&self) -> usize {
        crate::faults::lock(&self.shared.data).identity_count()
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Shifts the server clock (Date header, signature expiry, token times),
    /// by at most ±[`crate::clock::MAX_OFFSET_SECONDS`] (100 years); a larger
    /// shift is clamped to that.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.shared.clock.set_offset(seconds);
    }

    /// Forgets every pool, identity, fault and logged request.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// The last requests (at most 100), secrets redacted, oldest first.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.shared.log.all()
    }

    /// The JSON Web Key Set that verifies the emulator's OpenID tokens.
    pub fn jwks(&self) -> serde_json::Value {
        self.shared.signer.jwks().clone()
    }

    /// Stops serving and waits for the server thread to end.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
