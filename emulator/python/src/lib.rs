//! The pyo3 module `cognito_identity_emulator._native`: the local Cognito
//! Identity emulator inside the Python process, and the
//! `cognito-identity-emulator` command.
//!
//! It is its own extension (and its own distribution) so that the production
//! extension carries no test server. Values cross the boundary as JSON text:
//! the Python side (`cognito_identity.testing`) parses them, which keeps this
//! crate free of a second Python-value converter.

use cognito_identity_emulator::clock::check_offset;
use cognito_identity_emulator::config::check_credentials_ttl;
use cognito_identity_emulator::{AccessKey, Emulator, EmulatorConfig, Fault};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug)]
#[pyclass(frozen, name = "NativeEmulator", module = "cognito_identity_emulator._native")]
struct NativeEmulator {
    /// `None` once stopped.
    running: Mutex<Option<Emulator>>,
    url: String,
    region: String,
    credentials_ttl: u64,
    max_identities: Option<usize>,
}

impl NativeEmulator {
    fn with<T>(&self, f: impl FnOnce(&Emulator) -> T) -> PyResult<T> {
        let guard = self.running.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(f).ok_or_else(|| PyRuntimeError::new_err("the emulator is stopped"))
    }
}

#[pymethods]
impl NativeEmulator {
    /// Starts serving on 127.0.0.1 (`port` 0: a free port) for one region,
    /// accepting SigV4 signatures made with the one access key given. The
    /// temporary keys it issues stay valid `credentials_ttl` seconds.
    /// `max_identities` caps the identities one pool may hold (`None`: no
    /// cap); past it GetId answers `LimitExceededException`.
    #[new]
    #[pyo3(signature = (port=0, region="us-east-1", access_key_id="test", secret_access_key="test", credentials_ttl=3600, max_identities=None))]
    fn new(
        py: Python<'_>,
        port: u16,
        region: &str,
        access_key_id: &str,
        secret_access_key: &str,
        credentials_ttl: i64,
        max_identities: Option<i64>,
    ) -> PyResult<Self> {
        // Signed, so that 0 and negative values get the same ValueError.
        let ttl = u64::try_from(credentials_ttl).unwrap_or(0);
        check_credentials_ttl(ttl).map_err(PyValueError::new_err)?;
        let max_identities = max_identities
            .map(|n| usize::try_from(n).map_err(|_| PyValueError::new_err("max_identities must be 0 or more")))
            .transpose()?;
        let config = EmulatorConfig {
            port,
            regions: vec![region.to_owned()],
            access_keys: vec![AccessKey::new(access_key_id, secret_access_key)],
            credentials_ttl: Duration::from_secs(ttl),
            max_identities,
            ..EmulatorConfig::default()
        };
        let emulator = py
            .detach(move || Emulator::start(config))
            .map_err(|e| PyRuntimeError::new_err(format!("the emulator could not start: {e}")))?;
        Ok(NativeEmulator {
            url: emulator.url(),
            region: region.to_owned(),
            credentials_ttl: ttl,
            max_identities,
            running: Mutex::new(Some(emulator)),
        })
    }

    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    #[getter]
    fn region(&self) -> &str {
        &self.region
    }

    /// Seconds the issued temporary keys stay valid.
    #[getter]
    fn credentials_ttl(&self) -> u64 {
        self.credentials_ttl
    }

    /// The most identities one pool may hold, or `None`.
    #[getter]
    fn max_identities(&self) -> Option<usize> {
        self.max_identities
    }

    /// How many identities exist, in every pool.
    fn identity_count(&self) -> PyResult<usize> {
        self.with(Emulator::identity_count)
    }

    /// Queues a fault given as the control endpoint's JSON
    /// (`{"kind": "throttle", "count": 2, "operation": "GetId"}`).
    fn inject_fault(&self, fault_json: &str) -> PyResult<()> {
        let value: serde_json::Value =
            serde_json::from_str(fault_json).map_err(|e| PyValueError::new_err(format!("fault: {e}")))?;
        let fault = Fault::from_json(&value).map_err(|e| PyValueError::new_err(format!("fault: {e}")))?;
        self.with(|emu| emu.inject(fault))
    }

    fn clear_faults(&self) -> PyResult<()> {
        self.with(Emulator::clear_faults)
    }

    /// Forgets every pool, identity and tag.
    fn reset(&self) -> PyResult<()> {
        self.with(Emulator::reset)
    }

    /// Shifts the server's clock (its `Date` header, signature-age check,
    /// token and key expiry).
    fn set_clock_offset(&self, seconds: i64) -> PyResult<()> {
        check_offset(seconds).map_err(PyValueError::new_err)?;
        self.with(|emu| emu.set_clock_offset(seconds))
    }

    /// The last requests received, secrets redacted, as a JSON array.
    fn requests(&self) -> PyResult<String> {
        Ok(serde_json::Value::Array(self.with(Emulator::requests)?).to_string())
    }

    /// Stops serving; idempotent.
    fn stop(&self, py: Python<'_>) {
        let emulator = self.running.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(emulator) = emulator {
            py.detach(move || emulator.shutdown());
        }
    }

    #[getter]
    fn running(&self) -> bool {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    fn __repr__(&self) -> String {
        let state = if self.running() { "running" } else { "stopped" };
        format!("NativeEmulator(url={:?}, region={:?}, {state})", self.url, self.region)
    }
}

/// The `cognito-identity-emulator` command: serves until SIGINT or SIGTERM
/// and returns the exit status. The GIL is released while it serves.
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<String>) -> u8 {
    py.detach(move || cognito_identity_emulator::cli::main(&args))
}

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{NativeEmulator, run_cli};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        let kinds: Vec<&str> = cognito_identity_emulator::FaultKind::ALL.iter().map(|k| k.name()).collect();
        m.add("FAULT_KINDS", pyo3::types::PyTuple::new(m.py(), kinds)?)
    }

    use pyo3::prelude::*;
}
