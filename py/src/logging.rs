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
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// No level could be asked for (the interpreter is exiting): nothing passes, nothing is kept.
const NOT_KNOWN: u8 = u8::MAX - 1;

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

/// Bumped by [`reset_logging`]: each thread's copy of the levels is stale
/// once its generation differs.
static GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// This thread's copy of the levels it has asked for, with the
    /// generation it was made in. Why: a call logs a few disabled records,
    /// and each looked up its target in the shared map (a read lock and a
    /// SipHash of the target), about 550 instructions a call; a scan of this
    /// short list takes a tenth of that.
    static SEEN: RefCell<(u64, Vec<(String, u8)>)> = const { RefCell::new((0, Vec::new())) };
}

impl Bridge {
    fn level_of(&self, target: &str) -> u8 {
        let generation = GENERATION.load(Ordering::Acquire);
        let seen = SEEN.try_with(|seen| {
            let seen = seen.borrow();
            if seen.0 != generation {
                return None;
            }
            seen.1.iter().find(|(t, _)| t == target).map(|&(_, level)| level)
        });
        if let Ok(Some(level)) = seen {
            return level;
        }
        let level = self.shared_level_of(target, generation);
        // Not kept when a reset came meanwhile: the next record asks again.
        if level != NOT_KNOWN && GENERATION.load(Ordering::Acquire) == generation {
            let _ = SEEN.try_with(|seen| {
                if let Ok(mut seen) = seen.try_borrow_mut() {
                    if seen.0 != generation {
                        *seen = (generation, Vec::new());
                    }
                    seen.1.push((target.to_owned(), level));
                }
            });
        }
        if level == NOT_KNOWN { OFF } else { level }
    }

    /// The level from the shared map, asking Python when it is not there;
    /// `NOT_KNOWN` while the interpreter exits. `generation` is the one read
    /// before asking: an answer that a reset has made stale is not stored.
    fn shared_level_of(&self, target: &str, generation: u64) -> u8 {
        if let Some(level) = self.levels.read().unwrap_or_else(|p| p.into_inner()).get(target) {
            return *level;
        }
        let Some(level) = crate::interpreter::attach(|py| effective_level(py, target).unwrap_or(OFF)) else {
            return NOT_KNOWN; // exiting: not cached, nothing logged
        };
        let mut levels = self.levels.write().unwrap_or_else(|p| p.into_inner());
        // A reset bumps the generation under this lock, so the check is exact.
        if GENERATION.load(Ordering::Acquire) == generation {
            levels.insert(target.to_owned(), level);
        }
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
    let mut levels = bridge().levels.write().unwrap_or_else(|p| p.into_inner());
    levels.clear();
    // Under the lock: a level read from the old map is not kept by a thread
    // that sees the new generation.
    GENERATION.fetch_add(1, Ordering::AcqRel);
}
