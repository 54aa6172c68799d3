//! The one process-wide tokio runtime behind the blocking API.
//!
//! Created on first use. A child process made by `fork` has none of its
//! parent's threads, so the runtime is keyed by process id and a child builds
//! its own; the parent's copy is leaked in the child, never dropped (dropping
//! would wait for threads that do not exist there).

use crate::error::{Error, ErrorKind};
use std::sync::{Arc, Mutex};
use tokio::runtime::{Builder, Runtime};

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// Two workers drive every connection's I/O; callers' own threads run their
/// calls through `block_on`, so more workers would only add wake-ups.
const WORKER_THREADS: usize = 2;

pub(crate) fn get() -> Result<Arc<Runtime>, Error> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((owner, rt)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(rt.clone());
    }
    if let Some((_, inherited)) = slot.take() {
        std::mem::forget(inherited);
    }
    let rt = Arc::new(
        Builder::new_multi_thread()
            .worker_threads(WORKER_THREADS)
            .thread_name("cognito-identity-io")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Transport, "RuntimeError", format!("could not start the I/O runtime: {e}"))
            })?,
    );
    *slot = Some((pid, rt.clone()));
    Ok(rt)
}
