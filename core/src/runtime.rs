//! The runtimes behind the blocking API: one small current-thread tokio
//! runtime per calling thread.
//!
//! A blocking call runs its future on the caller's own thread: no hand-off to
//! a worker thread and back (a shared multi-thread runtime costs about six
//! context switches a call, this design one; see bench/RESULTS.md). On the
//! hot path the call's socket I/O blocks in the kernel (`transport/direct.rs`)
//! and the runtime only carries the rest: credential fetches, proxied
//! requests through reqwest, retry back-off.
//!
//! A child process made by `fork` inherits the forking thread's runtime but
//! none of its state is usable there, so the runtime is keyed by the fork
//! generation (`fork.rs`) and a child builds its own; the parent's copy is
//! leaked in the child, never dropped (dropping would touch the parent's
//! epoll and timers).

use crate::error::{Error, ErrorKind};
use std::cell::RefCell;
use std::future::Future;
use tokio::runtime::{Builder, Runtime};

/// Shuts the runtime down without waiting when its thread exits. Thread-local
/// destructors run late, when tokio's own thread-locals may be gone: a panic
/// there would abort the process, so it is caught.
struct LocalRuntime {
    generation: u64,
    rt: Option<Runtime>,
}

impl Drop for LocalRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            if self.generation == crate::fork::generation() {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.shutdown_background()));
            } else {
                std::mem::forget(rt);
            }
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Option<LocalRuntime>> = const { RefCell::new(None) };
    /// Set while this thread drives its own runtime: code that may run either
    /// there or on a caller's runtime (a credential refresh) picks the
    /// connection pool that the running runtime drives.
    static DRIVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is inside [`block_on`] (its own runtime).
pub(crate) fn driving_own_runtime() -> bool {
    DRIVING.with(std::cell::Cell::get)
}

/// Restores the flag however `block_on` ends (a panic included).
struct Driving(bool);

impl Driving {
    fn enter() -> Self {
        Driving(DRIVING.with(|d| d.replace(true)))
    }
}

impl Drop for Driving {
    fn drop(&mut self) {
        let previous = self.0;
        DRIVING.with(|d| d.set(previous));
    }
}

/// Runs `fut` to completion on this thread's runtime.
pub(crate) fn block_on<F: Future>(fut: F) -> Result<F::Output, Error> {
    LOCAL.with(|slot| {
        let mut slot = slot.borrow_mut();
        let generation = crate::fork::generation();
        if slot.as_ref().is_none_or(|l| l.generation != generation) {
            let rt = Builder::new_current_thread().enable_all().build().map_err(|e| {
                Error::new(ErrorKind::Transport, "RuntimeError", format!("could not start the I/O runtime: {e}"))
            })?;
            if let Some(inherited) = slot.replace(LocalRuntime { generation, rt: Some(rt) }) {
                // Its Drop forgets a parent's runtime rather than shutting it down.
                drop(inherited);
            }
        }
        match slot.as_ref().and_then(|l| l.rt.as_ref()) {
            Some(rt) => {
                let _driving = Driving::enter();
                Ok(turn(rt, fut))
            }
            None => Err(Error::new(ErrorKind::Transport, "RuntimeError", "the I/O runtime is gone")),
        }
    })
}

/// Runs `rt` on this thread until `fut` is done: a turn, shielded from
/// `SIGPIPE` while the runtime may write to a tokio socket (`sigpipe.rs`).
fn turn<F: Future>(rt: &Runtime, fut: F) -> F::Output {
    let turn = crate::sigpipe::Turn::begin();
    let out = rt.block_on(fut);
    turn.end(|| rt.metrics().num_alive_tasks());
    out
}

/// Gives this thread's runtime, when it has one and is idle, a few turns, so
/// that tasks woken by a drop (the connections of a dropped client's pool)
/// run now and close their sockets, rather than at this thread's next call.
/// Does nothing inside a runtime, inside this thread's own `block_on`, or
/// while the thread's locals are being torn down.
pub(crate) fn run_pending_tasks() {
    if tokio::runtime::Handle::try_current().is_ok() {
        return;
    }
    let _ = LOCAL.try_with(|slot| {
        let Ok(slot) = slot.try_borrow() else { return };
        let Some(rt) = slot.as_ref().filter(|l| l.generation == crate::fork::generation()).and_then(|l| l.rt.as_ref())
        else {
            return;
        };
        turn(rt, async {
            for _ in 0..4 {
                tokio::task::yield_now().await;
            }
        });
    });
}

/// [`block_on`], also from inside a tokio runtime (async code calling the
/// blocking API): a runtime cannot block inside another, so the future then
/// runs to completion on a helper thread.
pub(crate) fn block_on_anywhere<F>(fut: F) -> Result<F::Output, Error>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return std::thread::scope(|s| s.spawn(|| block_on(fut)).join())
            .unwrap_or_else(|_| Err(Error::new(ErrorKind::Transport, "InternalError", "the call's thread panicked")));
    }
    block_on(fut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn turns_are_shielded_from_sigpipe_while_a_tokio_socket_may_write() {
        use crate::sigpipe::{blocked_here, tokio_socket_in_use};
        std::thread::spawn(|| {
            assert_eq!(block_on(async { blocked_here() }).ok(), Some(false), "the direct path's turn");
            // A credential fetch: its connection is not kept, no task is left.
            let during = block_on(async {
                tokio_socket_in_use();
                blocked_here()
            });
            assert_eq!(during.ok(), Some(true));
            assert!(!blocked_here(), "left blocked after the turn");
            assert_eq!(block_on(async { blocked_here() }).ok(), Some(false), "no task left, yet shielded");

            // A pooled connection: its task outlives the turn, and so does the shield.
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let marked = block_on(async move {
                tokio_socket_in_use();
                tokio::spawn(async move {
                    let _ = stopped.await;
                });
            });
            assert!(marked.is_ok() && !blocked_here());
            assert_eq!(block_on(async { blocked_here() }).ok(), Some(true), "a later turn");
            let _ = stop.send(());
            // The task ends in this turn; the shield is lifted after it.
            let ended = block_on(async {
                for _ in 0..4 {
                    tokio::task::yield_now().await;
                }
                blocked_here()
            });
            assert_eq!(ended.ok(), Some(true));
            assert_eq!(block_on(async { blocked_here() }).ok(), Some(false), "shielded with no task left");
            run_pending_tasks();
            assert!(!blocked_here());
        })
        .join()
        .expect("the test thread");
    }
}
