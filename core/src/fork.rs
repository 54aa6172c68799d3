//! Which process this is, as far as `fork` goes: a number that a child made
//! by `fork` sees changed. State made before a fork (a thread's runtime, its
//! connections) is then known to be the parent's.
//!
//! Why not compare process ids: `getpid` is a system call (glibc no longer
//! caches it), and the check is on every call's path; a `pthread_atfork`
//! handler costs nothing until a fork happens.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The current process's generation; changes in a child made by `fork`.
#[cfg(unix)]
pub(crate) fn generation() -> u64 {
    static REGISTER: std::sync::Once = std::sync::Once::new();
    REGISTER.call_once(|| {
        extern "C" fn in_child() {
            // Only an atomic add: a forked child of a threaded parent may run
            // only async-signal-safe code until it execs.
            GENERATION.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: registers a handler that only touches an atomic; the
        // function pointer is 'static.
        let rc = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
        if rc != 0 {
            // No handler: the process id tells a child instead (below).
            GENERATION.store(u64::MAX, Ordering::Relaxed);
        }
    });
    match GENERATION.load(Ordering::Relaxed) {
        u64::MAX => u64::from(std::process::id()) | (1 << 63),
        g => g,
    }
}

/// No `fork` here: one generation.
#[cfg(not(unix))]
pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}
