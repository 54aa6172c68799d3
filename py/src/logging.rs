//! The core's log records into Python's `logging`, under the logger named
//! after the record's target (`cognito_identity::retries` ->
//! `cognito_identity.retries`; aws-config's under `aws_config...`).
//!
//! pyo3-log does this too, but it imports `logging` when the extension loads
//! (a few milliseconds of every start-up, and `re` with it); this bridge only
//! looks at `logging` when an application has imported it, which any
//! application that configures logging has. Each target's effective level is
//! cached, so a disabled logger costs one map lookup and never the GIL; the
//! cache is emptied when a client or provider is made and by
//! `cognito_identity.set_stream_logger` / `reset_logging`. TRACE records
//! (the HTTP stack's wire detail) are never forwarded.

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

/// Python's numeric levels.
fn python_level(level: Level) -> u8 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug | Level::Trace => 10,
    }
}

/// A level above CRITICAL: nothing passes (logging not imported, or disabled).
const OFF: u8 = u8::MAX;

#[derive(Default)]
struct Bridge {
    /// target -> the effective level of its Python logger.
    levels: RwLock<HashMap<String, u8>>,
}

fn bridge() -> &'static Bridge {
    static BRIDGE: OnceLock<Bridge> = OnceLock::new();
    BRIDGE.get_or_init(Bridge::default)
}

fn logger_name(target: &str) -> String {
    target.replace("::", ".")
}

impl Bridge {
    fn level_of(&self, target: &str) -> u8 {
        if let Some(level) = self.levels.read().unwrap_or_else(|p| p.into_inner()).get(target) {
            return *level;
        }
        let Some(level) = crate::interpreter::attach(|py| effective_level(py, target).unwrap_or(OFF)) else {
            return OFF; // exiting: not cached, nothing logged
        };
        self.levels.write().unwrap_or_else(|p| p.into_inner()).insert(target.to_owned(), level);
        level
    }
}

/// The level of `target`'s logger, if the application imported `logging`.
fn effective_level(py: Python<'_>, target: &str) -> PyResult<u8> {
    let modules = py.import("sys")?.getattr("modules")?;
    let Some(logging) = modules.cast::<PyDict>()?.get_item("logging")? else {
        return Ok(OFF);
    };
    let logger = logging.call_method1("getLogger", (logger_name(target),))?;
    // isEnabledFor honours the logger's level, its parents', `disabled` and logging.disable().
    for level in [10u8, 20, 30, 40] {
        if logger.call_method1("isEnabledFor", (level,))?.extract::<bool>()? {
            return Ok(level);
        }
    }
    Ok(OFF)
}

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Debug && python_level(metadata.level()) >= self.level_of(metadata.target())
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        crate::interpreter::attach(|py| {
            let sent = py.import("logging").and_then(|logging| {
                let logger = logging.call_method1("getLogger", (logger_name(record.target()),))?;
                logger.call_method1("log", (python_level(record.level()), "%s", message))
            });
            // A broken handler must not break the call that logged.
            if let Err(e) = sent {
                e.write_unraisable(py, None);
            }
        });
    }

    fn flush(&self) {}
}

/// Installs the bridge as the process's `log` logger (once; a logger set by
/// someone else is left alone).
pub fn install() {
    if log::set_logger(bridge()).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}

/// Forgets the cached levels: the next record asks Python again.
#[pyfunction]
pub fn reset_logging() {
    bridge().levels.write().unwrap_or_else(|p| p.into_inner()).clear();
}
