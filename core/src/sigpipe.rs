//! `SIGPIPE` kept from the host on the reqwest path.
//!
//! A write to a connection the peer has reset raises `SIGPIPE`, whose default
//! action ends the process. Rust programs, CPython and Go ignore or handle
//! it; a C or C++ program often has not. The direct transport sends with
//! `MSG_NOSIGNAL`. reqwest's sockets are tokio's, which write with `writev`
//! (no flags), and Linux has no per-socket way out (`SO_NOSIGPIPE` is
//! Apple's), nor does reqwest take a connector of ours that could send
//! differently. So while this thread's runtime may write to such a socket,
//! the thread blocks `SIGPIPE`, and a signal raised in the meantime is taken
//! back (`sigtimedwait`, no wait) before the thread's mask is restored: the
//! host never sees it, and the write fails with `EPIPE` as it would with the
//! signal ignored. A host that blocks `SIGPIPE` itself is left alone.
//!
//! Only threads whose runtime has driven such a socket pay for it (three
//! system calls a turn of the runtime): the direct transport's calls never do.
//! The block covers the rest of the turn in which such a socket was first
//! used, and later turns for as long as the runtime has tasks alive: a pooled
//! connection's task (a proxied client's, say) may write whenever the runtime
//! runs, at a later call or when idle connections are closed. A runtime with
//! no task left holds no such socket, so a credential fetch (whose
//! connections are not kept) costs its thread nothing after it.
//!
//! Only `SIGPIPE` is unblocked at the end, so a mask the host's code changed
//! during the turn (a logging or logins callback) keeps that change. A
//! `SIGPIPE` that such a callback raises during the turn is taken back too:
//! its write fails with `EPIPE`, as the library's own.
//!
//! A runtime that runs only async calls of this library (the Python
//! `AsyncClient`'s) blocks `SIGPIPE` in its threads for good instead, from
//! their start ([`block_sigpipe_in_this_thread`]): no host code runs there.
//!
//! Elsewhere than Linux and Android this is a no-op: Apple's sockets are made
//! with `SO_NOSIGPIPE`, Windows has no signals, and the other systems are not
//! built here (some lack `sigtimedwait`).

use std::cell::Cell;

thread_local! {
    /// This thread's runtime has driven a socket that writes without
    /// `MSG_NOSIGNAL`: its turns are shielded from now on.
    static NEEDED: Cell<bool> = const { Cell::new(false) };
    /// Inside a turn (see [`Turn`]).
    static IN_TURN: Cell<bool> = const { Cell::new(false) };
    /// The shield is up: this module blocked `SIGPIPE` in the thread.
    static RAISED: Cell<bool> = const { Cell::new(false) };
}

/// Called before a request goes out on a tokio socket from a turn of this
/// thread's runtime: shields the rest of the turn and all later ones. Outside
/// a turn (a caller's own runtime) it does nothing: that runtime's threads are
/// the caller's to configure.
pub(crate) fn tokio_socket_in_use() {
    if !IN_TURN.get() {
        return;
    }
    NEEDED.set(true);
    raise();
}

/// A turn of this thread's runtime (`runtime::block_on`): shielded if the
/// runtime has driven such a socket, before or during the turn. Dropped on
/// the thread that began it (hence not `Send`).
#[derive(Debug)]
pub(crate) struct Turn {
    outermost: bool,
    _this_thread: std::marker::PhantomData<*const ()>,
}

impl Turn {
    pub(crate) fn begin() -> Turn {
        let outermost = !IN_TURN.replace(true);
        if outermost && NEEDED.get() {
            raise();
        }
        Turn { outermost, _this_thread: std::marker::PhantomData }
    }

    /// Ends the turn of a runtime that has `alive_tasks()` tasks left: with
    /// none, no socket of it can write before the next request marks the
    /// thread again, so later turns go unshielded. The count is asked for
    /// only on a marked thread: the direct path's turns never pay for it.
    pub(crate) fn end(self, alive_tasks: impl FnOnce() -> usize) {
        if self.outermost && NEEDED.get() && alive_tasks() == 0 {
            NEEDED.set(false);
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if self.outermost {
            IN_TURN.set(false);
            if RAISED.replace(false) {
                imp::lower();
            }
        }
    }
}

/// Blocks `SIGPIPE` for good in the calling thread. For the threads of a
/// runtime that a program builds to run this library's async calls
/// ([`Client::call_json_async`](crate::Client::call_json_async)): their
/// sockets are tokio's, which write without `MSG_NOSIGNAL`, so a write to a
/// connection the server has reset raises `SIGPIPE`, whose default action
/// ends the process (Rust programs, CPython and Go ignore or handle it; a
/// host that restored the default, as command-line tools piped into `head`
/// do, has not). With it blocked, the write fails with `EPIPE` and the call
/// with a transport error. Call it from the runtime's `on_thread_start`, on
/// threads that run nothing that expects `SIGPIPE`; the Python
/// `AsyncClient`'s runtime does. The blocking API needs none of this: it
/// shields its own threads. Elsewhere than Linux and Android it does nothing
/// (Apple's sockets are made with `SO_NOSIGPIPE`; Windows has no signals).
pub fn block_sigpipe_in_this_thread() {
    imp::raise();
}

fn raise() {
    if !RAISED.get() {
        RAISED.set(imp::raise());
    }
}

/// Whether `SIGPIPE` is blocked in this thread now (for tests).
#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
pub(crate) fn blocked_here() -> bool {
    imp::blocked_here()
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod imp {
    fn only_sigpipe() -> libc::sigset_t {
        // SAFETY: sigemptyset and sigaddset only write the set they are given.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGPIPE);
            set
        }
    }

    /// Blocks `SIGPIPE` in this thread. True if this blocked it; false when it
    /// was blocked already (the host's choice: nothing to undo) or on failure.
    pub(super) fn raise() -> bool {
        let block = only_sigpipe();
        // SAFETY: both pointers are to live sigset_t values.
        unsafe {
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut old) == 0 && libc::sigismember(&old, libc::SIGPIPE) == 0
        }
    }

    /// Takes back a `SIGPIPE` raised while it was blocked, then unblocks it
    /// (and nothing else).
    pub(super) fn lower() {
        let only = only_sigpipe();
        // SAFETY: every pointer is to a live value of the type the call takes;
        // sigtimedwait with a zero timeout returns at once.
        unsafe {
            let mut pending: libc::sigset_t = std::mem::zeroed();
            if libc::sigpending(&mut pending) == 0 && libc::sigismember(&pending, libc::SIGPIPE) == 1 {
                let now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
                libc::sigtimedwait(&only, std::ptr::null_mut(), &now);
            }
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &only, std::ptr::null_mut());
        }
    }

    #[cfg(test)]
    pub(super) fn blocked_here() -> bool {
        // SAFETY: a null `set` only reads the current mask into `now`.
        unsafe {
            let mut now: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut now);
            libc::sigismember(&now, libc::SIGPIPE) == 1
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod imp {
    pub(super) fn raise() -> bool {
        false
    }

    pub(super) fn lower() {}
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    thread_local! {
        /// SIGPIPEs delivered to this thread through the handler below.
        static RECEIVED: Cell<usize> = const { Cell::new(0) };
    }

    extern "C" fn count(_: libc::c_int) {
        // A const thread-local without a destructor is a plain TLS slot:
        // reading and writing it is safe in a signal handler.
        RECEIVED.set(RECEIVED.get() + 1);
    }

    /// Replaces the test harness's SIG_IGN with a handler that counts, so that
    /// a signal that reaches a thread is seen (SIG_IGN would drop it). Writes
    /// of other tests still fail with EPIPE, as under SIG_IGN.
    fn count_sigpipe() {
        // SAFETY: installs a handler that only touches a thread-local counter.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = count as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGPIPE, &action, std::ptr::null_mut());
        }
    }

    fn received_here() -> bool {
        RECEIVED.get() > 0
    }

    /// Writes with `writev` (as tokio does) to a connection the peer has
    /// reset, until the kernel answers EPIPE: the write that raises SIGPIPE.
    fn write_to_a_reset_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut client = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
        let (server, _) = listener.accept().expect("accept");
        socket2::SockRef::from(&server).set_linger(Some(std::time::Duration::ZERO)).expect("linger");
        drop(server);
        let mut byte = [0u8; 1];
        let _ = client.read(&mut byte); // the reset arrives
        for _ in 0..3 {
            let bufs = [std::io::IoSlice::new(b"POST / HTTP/1.1\r\n"), std::io::IoSlice::new(b"\r\n")];
            if client.write_vectored(&bufs).is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
                return;
            }
        }
        panic!("no EPIPE from a reset connection");
    }

    /// The control: unshielded, a write to a reset connection does deliver
    /// the signal to this thread (whose count then starts again).
    fn unshielded_write_is_signalled() {
        write_to_a_reset_connection();
        assert!(received_here(), "the control write raised no SIGPIPE");
        RECEIVED.set(0);
    }

    #[test]
    fn a_turn_after_a_tokio_socket_keeps_sigpipe_from_the_thread() {
        count_sigpipe();
        std::thread::spawn(|| {
            unshielded_write_is_signalled();

            // A turn that opens a tokio socket midway: blocked from then on,
            // and the signal taken back at the turn's end.
            {
                let _turn = Turn::begin();
                assert!(!blocked_here(), "shielded before any tokio socket");
                tokio_socket_in_use();
                assert!(blocked_here());
                write_to_a_reset_connection();
            }
            assert!(!blocked_here(), "the mask was not restored");
            assert!(!received_here(), "SIGPIPE reached the thread");

            // Later turns are shielded from their start; nested ones do not
            // lower the shield of the outer one.
            {
                let _turn = Turn::begin();
                assert!(blocked_here());
                drop(Turn::begin());
                assert!(blocked_here());
                write_to_a_reset_connection();
            }
            assert!(!blocked_here() && !received_here());
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn a_thread_blocked_for_good_gets_epipe_and_no_signal() {
        count_sigpipe();
        std::thread::spawn(|| {
            unshielded_write_is_signalled();
            block_sigpipe_in_this_thread();
            assert!(blocked_here());
            // Turns of the blocking API on this thread leave the block in place.
            drop(Turn::begin());
            {
                let _turn = Turn::begin();
                tokio_socket_in_use();
            }
            assert!(blocked_here(), "a turn lifted a block it did not make");
            write_to_a_reset_connection();
            assert!(!received_here(), "SIGPIPE reached the thread");
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn a_host_that_blocks_sigpipe_keeps_its_mask_and_its_signal() {
        std::thread::spawn(|| {
            assert!(imp::raise(), "blocked by this test");
            {
                let _turn = Turn::begin();
                tokio_socket_in_use();
                write_to_a_reset_connection();
            }
            assert!(blocked_here(), "the host's block was lifted");
            // SAFETY: reads the pending set into a live sigset_t.
            let pending = unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigpending(&mut set);
                libc::sigismember(&set, libc::SIGPIPE) == 1
            };
            assert!(pending, "the host's pending SIGPIPE was taken");
            imp::lower();
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn the_end_of_a_turn_unblocks_sigpipe_only() {
        std::thread::spawn(|| {
            // SAFETY: reads and changes this thread's mask through live sigset_t values.
            let usr1_blocked = || unsafe {
                let mut now: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut now);
                libc::sigismember(&now, libc::SIGUSR1) == 1
            };
            {
                let _turn = Turn::begin();
                tokio_socket_in_use();
                // Host code run during the turn (a logging callback, say) changes the mask.
                // SAFETY: as above.
                unsafe {
                    let mut usr1: libc::sigset_t = std::mem::zeroed();
                    libc::sigemptyset(&mut usr1);
                    libc::sigaddset(&mut usr1, libc::SIGUSR1);
                    libc::pthread_sigmask(libc::SIG_BLOCK, &usr1, std::ptr::null_mut());
                }
            }
            assert!(!blocked_here() && usr1_blocked(), "the host's change to the mask was undone");
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn a_turn_ended_with_no_task_alive_lifts_the_mark() {
        std::thread::spawn(|| {
            let turn = Turn::begin();
            tokio_socket_in_use();
            turn.end(|| 1);
            let turn = Turn::begin();
            assert!(blocked_here(), "tasks were alive: the next turn is shielded");
            turn.end(|| 0);
            let turn = Turn::begin();
            assert!(!blocked_here(), "no task was alive: the next turn is not");
            drop(turn);
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn outside_a_turn_nothing_changes() {
        std::thread::spawn(|| {
            tokio_socket_in_use();
            assert!(!blocked_here());
            assert!(!NEEDED.get(), "a caller's runtime marked this thread");
        })
        .join()
        .expect("the test thread");
    }
}
