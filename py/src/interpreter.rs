//! Attaching the runtime's own threads to the interpreter, except once it is
//! shutting down.
//!
//! The async client's tokio workers (and a log record or a logins callable
//! reached from one) take the GIL to hand a result to an event loop. CPython
//! ends a thread it did not create that asks for the GIL during
//! finalization with `pthread_exit`, and that forced unwind through Rust
//! frames aborts the process (SIGABRT at exit, seen once in a dozen short
//! `AsyncClient` runs). So an `atexit` hook, which runs before finalization
//! begins, closes the door: from then on [`attach`] declines, and the hook
//! waits (GIL released) for the threads already on their way in.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static EXITING: AtomicBool = AtomicBool::new(false);
static ATTACHING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's share of `ATTACHING` (attaches nest).
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The longest the exit hook waits for threads already attaching.
const DRAIN: Duration = Duration::from_secs(2);

/// `Python::attach`, or `None` once the interpreter is exiting.
pub(crate) fn attach<R>(f: impl FnOnce(Python<'_>) -> R) -> Option<R> {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
            ATTACHING.fetch_sub(1, Ordering::SeqCst);
        }
    }
    // Counted before the flag is read: the hook either sees this thread in
    // the count and waits for it, or this thread sees the flag.
    ATTACHING.fetch_add(1, Ordering::SeqCst);
    DEPTH.with(|d| d.set(d.get() + 1));
    let _leave = Leave;
    if EXITING.load(Ordering::SeqCst) {
        return None;
    }
    Some(Python::attach(f))
}

#[pyfunction]
fn close_for_exit(py: Python<'_>) {
    EXITING.store(true, Ordering::SeqCst);
    // The exiting thread itself may be counted (the hook run from inside an
    // attach of its own): never wait for its share.
    let own = DEPTH.with(std::cell::Cell::get);
    py.detach(|| {
        let deadline = Instant::now() + DRAIN;
        while ATTACHING.load(Ordering::SeqCst) > own && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Registers the exit hook (at import).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = pyo3::wrap_pyfunction!(close_for_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
