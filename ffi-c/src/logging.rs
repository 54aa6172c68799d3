//! `cognito_identity_set_log_callback`: the library's log records (requests,
//! retries, credential sources and refreshes) handed to the application.

use crate::panic::catch;
use crate::status::cognito_identity_status;
use log::{Level, LevelFilter, Log, Metadata, Record};
use serde_json::json;
use std::ffi::{CString, c_char, c_int, c_void};
use std::sync::RwLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How severe a log record is. Values are fixed and never renumbered.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum cognito_identity_log_level {
    /// Logging off (as a minimum level: no record passes).
    COGNITO_IDENTITY_LOG_OFF = 0,
    COGNITO_IDENTITY_LOG_ERROR = 1,
    COGNITO_IDENTITY_LOG_WARN = 2,
    COGNITO_IDENTITY_LOG_INFO = 3,
    COGNITO_IDENTITY_LOG_DEBUG = 4,
    COGNITO_IDENTITY_LOG_TRACE = 5,
}

/// Receives one log record: its level, the record as a NUL-terminated JSON
/// object `{"level": "INFO", "target": "cognito_identity::retries",
/// "message": "..."}` (valid only during the call: copy what you keep), and
/// the `user_data` given with the callback. It may be called from any thread,
/// from inside any call of the library; it must not call back into the
/// library's logging functions.
#[allow(non_camel_case_types)]
pub type cognito_identity_log_callback =
    Option<unsafe extern "C" fn(level: cognito_identity_log_level, record_json: *const c_char, user_data: *mut c_void)>;

struct Sink {
    callback: unsafe extern "C" fn(cognito_identity_log_level, *const c_char, *mut c_void),
    user_data: *mut c_void,
}

// SAFETY: `cognito_identity_set_log_callback`'s contract makes the callback
// and its data usable from any thread.
unsafe impl Send for Sink {}
// SAFETY: as above.
unsafe impl Sync for Sink {}

struct Bridge {
    sink: RwLock<Option<Sink>>,
    /// The minimum level as `cognito_identity_log_level` (0: off), read without a lock.
    min_level: AtomicUsize,
}

static BRIDGE: Bridge = Bridge { sink: RwLock::new(None), min_level: AtomicUsize::new(0) };

fn ours(level: Level) -> cognito_identity_log_level {
    match level {
        Level::Error => cognito_identity_log_level::COGNITO_IDENTITY_LOG_ERROR,
        Level::Warn => cognito_identity_log_level::COGNITO_IDENTITY_LOG_WARN,
        Level::Info => cognito_identity_log_level::COGNITO_IDENTITY_LOG_INFO,
        Level::Debug => cognito_identity_log_level::COGNITO_IDENTITY_LOG_DEBUG,
        Level::Trace => cognito_identity_log_level::COGNITO_IDENTITY_LOG_TRACE,
    }
}

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        ours(metadata.level()) as usize <= self.min_level.load(Ordering::Relaxed)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let doc = json!({
            "level": record.level().as_str(),
            "target": record.target(),
            "message": record.args().to_string(),
        });
        let Ok(text) = CString::new(doc.to_string()) else {
            return;
        };
        let sink = self.sink.read().unwrap_or_else(|p| p.into_inner());
        if let Some(sink) = sink.as_ref() {
            // SAFETY: valid by the contract of `cognito_identity_set_log_callback`;
            // `text` outlives the call.
            unsafe { (sink.callback)(ours(record.level()), text.as_ptr(), sink.user_data) };
        }
    }

    fn flush(&self) {}
}

/// Sends the library's log records at `min_level` (a
/// `cognito_identity_log_level`) and more severe to `callback`
/// (see `cognito_identity_log_callback`), with `user_data`. Records name each
/// request sent and response received (DEBUG), each retry with its reason and
/// back-off (INFO), where credentials come from and their refreshes (DEBUG,
/// INFO), refresh failures and clock-skew corrections (WARN); TRACE adds the
/// HTTP stack's detail. No record holds a secret key, session token, login
/// or OpenID token, or `Authorization` value.
///
/// A NULL `callback` or `COGNITO_IDENTITY_LOG_OFF` turns logging off. May be
/// called at any time, from any thread, while calls are running; the
/// previous callback is not called once this returns. `callback` and
/// `user_data` must stay valid, and usable from any thread, until replaced.
///
/// Returns `COGNITO_IDENTITY_OK`; `COGNITO_IDENTITY_INVALID_ARGUMENT` for a
/// `min_level` that is not a `cognito_identity_log_level` (nothing changes);
/// or `COGNITO_IDENTITY_CONFIGURATION` when
/// another logger of Rust's `log` crate already owns this process's records
/// (a Rust program that links this library and installed its own).
///
/// # Safety
///
/// `callback` must be NULL or a function honouring the contract above.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_set_log_callback(
    min_level: c_int,
    callback: cognito_identity_log_callback,
    user_data: *mut c_void,
) -> cognito_identity_status {
    let set = catch(|| {
        use cognito_identity_log_level::*;
        let min_level = match min_level {
            0 => COGNITO_IDENTITY_LOG_OFF,
            1 => COGNITO_IDENTITY_LOG_ERROR,
            2 => COGNITO_IDENTITY_LOG_WARN,
            3 => COGNITO_IDENTITY_LOG_INFO,
            4 => COGNITO_IDENTITY_LOG_DEBUG,
            5 => COGNITO_IDENTITY_LOG_TRACE,
            other => {
                return Err(crate::strings::Failure::invalid_argument(format!(
                    "min_level {other} is not a cognito_identity_log_level (0 to 5)"
                )));
            }
        };
        let installed = log::set_logger(&BRIDGE).is_ok() || std::ptr::addr_eq(log::logger(), &BRIDGE);
        if !installed {
            return Err(crate::strings::Failure::new(
                cognito_identity_status::COGNITO_IDENTITY_CONFIGURATION,
                "InvalidConfigError",
                "another logger of the log crate is installed in this process".into(),
            ));
        }
        let level = if callback.is_some() { min_level } else { COGNITO_IDENTITY_LOG_OFF };
        // Off first, so a record racing with the swap is dropped rather than
        // sent to a callback being replaced.
        BRIDGE.min_level.store(0, Ordering::Relaxed);
        *BRIDGE.sink.write().unwrap_or_else(|p| p.into_inner()) = callback.map(|callback| Sink { callback, user_data });
        BRIDGE.min_level.store(level as usize, Ordering::Relaxed);
        log::set_max_level(match level {
            COGNITO_IDENTITY_LOG_OFF => LevelFilter::Off,
            COGNITO_IDENTITY_LOG_ERROR => LevelFilter::Error,
            COGNITO_IDENTITY_LOG_WARN => LevelFilter::Warn,
            COGNITO_IDENTITY_LOG_INFO => LevelFilter::Info,
            COGNITO_IDENTITY_LOG_DEBUG => LevelFilter::Debug,
            COGNITO_IDENTITY_LOG_TRACE => LevelFilter::Trace,
        });
        Ok(())
    });
    set.map_or_else(|f| f.status, |()| cognito_identity_status::COGNITO_IDENTITY_OK)
}
