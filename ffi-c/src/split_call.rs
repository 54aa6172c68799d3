//! The split call: `cognito_identity_call_start` writes the request and
//! returns the connection's descriptor; the caller waits for it in its own
//! event loop (Go's netpoller, epoll, libuv, ...) and then
//! `cognito_identity_call_finish` reads the answer. No thread is held
//! blocked while the service answers, which is what a blocking C call costs
//! a Go program: its scheduler hands the blocked thread's processor to
//! another thread, and with one processor that is every call.

use crate::client::cognito_identity_client;
use crate::panic::{catch, deliver_text_or_null};
use crate::status::cognito_identity_status;
use crate::strings::{Failure, read_json_object, read_str};
use cognito_core::{PendingCall, Progress};
use std::ffi::{c_char, c_int};
use std::time::Duration;

/// A call whose request is written and whose answer is awaited, or that
/// waits to retry. Opaque; made by `cognito_identity_call_start`, ended by
/// `cognito_identity_call_finish`, `cognito_identity_call_step` or
/// `cognito_identity_pending_free`.
///
/// Thread safety: it may be finished or stepped (as often as they leave it
/// pending) or freed on any thread, not necessarily the one that started
/// it, by one thread at a time.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct cognito_identity_pending {
    /// `None` once the call has ended (then the handle is freed).
    call: Option<Box<PendingCall>>,
}

/// What a pending call waits for: its answer on a connection, or the end of
/// a retry's backoff.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct cognito_identity_wait {
    /// The connection's socket: wait until it is readable (`POLLIN`). Do not
    /// read, write or close it, nor change its flags (duplicating it to
    /// register it with an event loop is fine). -1 when there is no
    /// connection to wait on: the call has ended, or it waits to retry (then
    /// wait `wait_ms` alone).
    pub fd: c_int,
    /// The connection's id: the same, with the same `fd`, for as long as the
    /// connection lives, and never given to another (0 when `fd` is -1). An
    /// event loop registration may be kept under it across calls until
    /// `cognito_identity_client_closed_connections` lists it.
    pub connection: u64,
    /// The longest to wait, in milliseconds from now (at least 1), then go
    /// on anyway. For an answer: the read timeout, counted from the
    /// attempt's first wait, or what is left of the call's bound; a wait
    /// after a `finish` that left the call pending is within what was left
    /// of the first. To retry: the backoff.
    pub wait_ms: u64,
    /// How many connections the client has closed that
    /// `cognito_identity_client_closed_connections` has not listed yet: when
    /// not 0, a caller that keeps registrations per connection drains them.
    /// Set by every `cognito_identity_call_start` that got as far as the
    /// call (0 after an argument error), and by every
    /// `cognito_identity_call_step` that leaves the call pending.
    pub closed: u64,
}

/// Says what `call` waits on (`closed` is its caller's).
#[cfg(unix)]
fn describe_wait(call: &PendingCall, w: &mut cognito_identity_wait) {
    // Rounded up: waiting less than the limit would go on early.
    let wait = call.wait_limit();
    let ms = wait.as_millis() + u128::from(!wait.subsec_nanos().is_multiple_of(1_000_000));
    w.fd = call.fd();
    w.connection = call.connection();
    w.wait_ms = u64::try_from(ms).unwrap_or(u64::MAX).max(1);
}

/// Starts a call without waiting for its answer.
///
/// Arguments and result as `cognito_identity_call_with_timeout`, plus:
///
/// - `out_pending` and `out_wait`: not NULL. When the request has been
///   written and its answer is awaited, `*out_pending` is set to the pending
///   call and `*out_wait` says what to wait on; `*out_json` is then NULL and
///   the status is `COGNITO_IDENTITY_OK`. Wait until `out_wait->fd` is
///   readable or `out_wait->wait_ms` have passed, then call
///   `cognito_identity_call_finish` or `cognito_identity_call_step` (or
///   `cognito_identity_pending_free` to abandon the call).
/// - When the first attempt failed before its answer was awaited (the
///   server answered at once, or the connection failed) and is to be
///   retried, the call is pending the same way, waiting to retry:
///   `out_wait->fd` is -1 and `wait_ms` the backoff (see
///   `cognito_identity_call_step`; `finish` runs the retries, blocking).
/// - Otherwise the call has run to its end here (it failed and is not to be
///   retried, it was answered at once, or it cannot be split: a proxy
///   applies, or the platform is not a Unix; its retries then come back
///   pending too), exactly as `cognito_identity_call_with_timeout`:
///   `*out_pending` is NULL, `*out_wait` is `{-1, 0, 0, closed}` and `*out_json`
///   holds the result or the error document.
///
/// The descriptor is in non-blocking mode for as long as the connection
/// lives (a connection that serves split calls is switched once).
/// Thread-safe, as `cognito_identity_call`. A call that needs a new
/// connection or fresh credentials blocks here while it gets them.
///
/// # Safety
///
/// As for `cognito_identity_call`; `out_pending` and `out_wait` must each be
/// NULL or valid for writing one value of their type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_call_start(
    client: *const cognito_identity_client,
    operation: *const c_char,
    input_json: *const c_char,
    timeout_ms: u64,
    out_pending: *mut *mut cognito_identity_pending,
    out_wait: *mut cognito_identity_wait,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: each pointer is NULL or writable by contract.
    unsafe {
        if let Some(p) = out_pending.as_mut() {
            *p = std::ptr::null_mut();
        }
        if let Some(w) = out_wait.as_mut() {
            *w = cognito_identity_wait { fd: -1, connection: 0, wait_ms: 0, closed: 0 };
        }
    }
    // SAFETY: `out_json` is NULL or writable by contract.
    unsafe {
        deliver_text_or_null(out_json, || {
            if out_pending.is_null() {
                return Err(Failure::null("out_pending"));
            }
            if out_wait.is_null() {
                return Err(Failure::null("out_wait"));
            }
            let client = cognito_identity_client::from_ptr(client)?;
            let operation = read_str(operation, "operation")?;
            let input = read_json_object(input_json, "input_json")?;
            let timeout = (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms));
            let started = client.start_json_text(operation, &input, timeout);
            (*out_wait).closed = u64::try_from(client.closed_connection_count()).unwrap_or(u64::MAX);
            let call = match started? {
                Progress::Done(text) => return Ok(Some(text)),
                Progress::Waiting(call) => call,
            };
            #[cfg(not(unix))]
            {
                // Without descriptors to wait on the core splits no call; one
                // comes back pending only to retry, and finish runs the
                // retries here.
                let mut call = call;
                loop {
                    match call.finish()? {
                        Progress::Done(text) => return Ok(Some(text)),
                        Progress::Waiting(again) => call = again,
                    }
                }
            }
            #[cfg(unix)]
            {
                describe_wait(&call, &mut *out_wait);
                *out_pending = Box::into_raw(Box::new(cognito_identity_pending { call: Some(call) }));
                Ok(None)
            }
        })
    }
}

/// Takes the ids of the connections (`cognito_identity_wait.connection`)
/// that `client` has closed since the last time it was asked, so that the
/// caller can release what it keeps per connection (an event loop
/// registration of the descriptor, which is then no longer the connection's).
/// Writes at most `capacity` ids to `ids` and returns how many; the rest
/// wait for the next call. Returns 0 when `client` or `ids` is NULL.
///
/// Thread-safe.
///
/// # Safety
///
/// `client` must be NULL or a live client; `ids` NULL or valid for writing
/// `capacity` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_client_closed_connections(
    client: *const cognito_identity_client,
    ids: *mut u64,
    capacity: usize,
) -> usize {
    if ids.is_null() || capacity == 0 {
        return 0;
    }
    catch(|| {
        // SAFETY: `client` is NULL or live by contract.
        let client = unsafe { cognito_identity_client::from_ptr(client) }?;
        let closed = client.closed_connections(capacity);
        // SAFETY: `ids` is valid for `capacity` values by contract, and the
        // core gave at most `capacity`.
        unsafe { std::ptr::copy_nonoverlapping(closed.as_ptr(), ids, closed.len().min(capacity)) };
        Ok(closed.len().min(capacity))
    })
    .unwrap_or(0)
}

/// Goes on with a call started by `cognito_identity_call_start`, once its
/// descriptor is readable or the wait is over: reads what has arrived of the
/// answer, without blocking.
///
/// - When the answer is all there, or the call failed, or the wait is over,
///   the call is completed (its retries run here, blocking), `*pending` is
///   freed and set to NULL, and `*out_json` and the status are as for
///   `cognito_identity_call`. So is a call that waits to retry (its `fd`
///   -1): the backoff is slept here, then the retries run.
/// - When more is to come (part of the answer has arrived, or what woke the
///   caller carried no data, such as a TLS session ticket), `*pending` is
///   left as it is (the same pointer, still valid), `*out_json` is set to
///   NULL and `COGNITO_IDENTITY_OK` returned: wait on the same descriptor
///   again, within what is left of the first `wait_ms`, then call this again.
///
/// When `out_json` is NULL the call is abandoned (`*pending` freed and set
/// to NULL) and `COGNITO_IDENTITY_INVALID_ARGUMENT` returned. A NULL
/// `pending` or `*pending` gives `COGNITO_IDENTITY_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `pending` must be NULL or point to NULL or to a pending call from
/// `cognito_identity_call_start` that has not been freed; `out_json` NULL or
/// valid for writing one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_call_finish(
    pending: *mut *mut cognito_identity_pending,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: as this function's contract.
    unsafe { advance(pending, out_json, |call| Ok(call.finish()?)) }
}

/// As `cognito_identity_call_finish`, with retries that hold no thread: a
/// call whose attempt failed and is to be tried again is left pending,
/// waiting to retry, and the next attempt is sent by the step after that
/// wait. For callers with an event loop (the Go binding): a retry's backoff
/// is a timer there, not a thread asleep in this library.
///
/// - `out_wait`: not NULL. Whenever `*pending` is left pending, it says what
///   to wait on now, which may differ from the last wait. `fd` -1 (and
///   `connection` 0): the call waits to retry; wait `wait_ms` (a timer),
///   then step it again, which sends the next attempt (blocking while it
///   connects or gets credentials, as `cognito_identity_call_start` does).
///   Otherwise wait until `fd` is readable or `wait_ms` have passed, then
///   step it again: after a retry that is the new attempt's connection (a
///   connection may serve a call's attempts again, and another call between
///   them), with the new attempt's wait. `closed` is as for
///   `cognito_identity_call_start`. When the call ends, `*out_wait` is
///   `{-1, 0, 0, 0}` (the next start reports the closed connections).
/// - A step before a retry's wait is over leaves the call as it is.
///
/// Ends as `cognito_identity_call_finish` does otherwise (NULL arguments
/// included: a NULL `out_wait` abandons the call, as a NULL `out_json` does).
///
/// # Safety
///
/// As for `cognito_identity_call_finish`; `out_wait` NULL or valid for
/// writing one value of its type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_call_step(
    pending: *mut *mut cognito_identity_pending,
    out_wait: *mut cognito_identity_wait,
    out_json: *mut *mut c_char,
) -> cognito_identity_status {
    // SAFETY: `out_wait` is NULL or writable by contract.
    let mut wait = unsafe { out_wait.as_mut() };
    if let Some(w) = wait.as_deref_mut() {
        *w = cognito_identity_wait { fd: -1, connection: 0, wait_ms: 0, closed: 0 };
    }
    // SAFETY: as this function's contract.
    unsafe {
        advance(pending, out_json, |call| {
            // Without somewhere to say the wait, the call is abandoned (dropped).
            let w = wait.ok_or_else(|| Failure::null("out_wait"))?;
            let progress = call.step()?;
            if let Progress::Waiting(call) = &progress {
                #[cfg(unix)]
                describe_wait(call, w);
                w.closed = u64::try_from(call.client().closed_connection_count()).unwrap_or(u64::MAX);
            }
            Ok(progress)
        })
    }
}

/// The body of `cognito_identity_call_finish` and `_step`: `go` on the
/// pending call, which stays pending when it gives the call back.
///
/// # Safety
///
/// As `cognito_identity_call_finish`'s contract.
unsafe fn advance(
    pending: *mut *mut cognito_identity_pending,
    out_json: *mut *mut c_char,
    go: impl FnOnce(Box<PendingCall>) -> Result<Progress, Failure>,
) -> cognito_identity_status {
    // SAFETY: `pending` is NULL or valid by contract.
    let Some(slot) = (unsafe { pending.as_mut() }).filter(|p| !p.is_null()) else {
        // SAFETY: `out_json` is NULL or writable by contract.
        return unsafe { deliver_text_or_null(out_json, || Err(Failure::null("pending"))) };
    };
    let handle = *slot;
    // SAFETY: `out_json` is NULL or writable by contract (when NULL nothing
    // runs); `handle` came from `Box::into_raw` in `cognito_identity_call_start`
    // and is used by this thread alone.
    let status = unsafe {
        deliver_text_or_null(out_json, || {
            let call = (*handle).call.take().ok_or_else(|| Failure::null("pending"))?;
            match go(call)? {
                Progress::Done(text) => Ok(Some(text)),
                Progress::Waiting(again) => {
                    (*handle).call = Some(again);
                    Ok(None)
                }
            }
        })
    };
    // SAFETY: as above.
    if out_json.is_null() || unsafe { (*handle).call.is_none() } {
        // Ended (answered, failed, abandoned, or a panic): the handle goes.
        *slot = std::ptr::null_mut();
        let _ = catch(|| {
            // SAFETY: from `Box::into_raw`; no other reference is left.
            drop(unsafe { Box::from_raw(handle) });
            Ok(())
        });
    }
    status
}

/// Abandons a call started by `cognito_identity_call_start` without reading
/// its answer: its connection is closed (the service may still carry the
/// call out). NULL is ignored.
///
/// # Safety
///
/// `pending` must be NULL or a pending call that is still pending (not
/// ended by `cognito_identity_call_finish`, not freed).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cognito_identity_pending_free(pending: *mut cognito_identity_pending) {
    if pending.is_null() {
        return;
    }
    let _ = catch(|| {
        // SAFETY: `pending` came from `Box::into_raw` in `cognito_identity_call_start`.
        drop(unsafe { Box::from_raw(pending) });
        Ok(())
    });
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::client::{cognito_identity_client_free, cognito_identity_client_new};
    use crate::strings::cognito_identity_string_free;
    use std::ffi::{CStr, CString};
    use std::io::{Read, Write};

    /// A server that answers one request in two parts, a second apart.
    fn slow_server(body: &'static str) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // The request: its head, then a body of content-length bytes.
            while !String::from_utf8_lossy(&seen).contains("\r\n\r\n{") || !seen.ends_with(b"}") {
                let n = s.read(&mut buf).expect("read");
                if n == 0 {
                    return;
                }
                seen.extend_from_slice(&buf[..n]);
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            let (first, rest) = body.split_at(body.len() / 2);
            s.write_all(format!("{head}{first}").as_bytes()).expect("write");
            std::thread::sleep(Duration::from_secs(1));
            s.write_all(rest.as_bytes()).expect("write");
            std::thread::sleep(Duration::from_millis(300));
        });
        url
    }

    /// A server that answers the first `fails` requests (on any connection)
    /// with a retryable 500, then GetId's result; keep-alive.
    fn failing_server(fails: usize) -> String {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let served = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for s in listener.incoming() {
                let Ok(mut s) = s else { return };
                let served = Arc::clone(&served);
                std::thread::spawn(move || {
                    let mut seen = Vec::new();
                    let mut buf = [0u8; 4096];
                    loop {
                        // One request: its head, then content-length bytes.
                        let (head_end, length) = loop {
                            if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = String::from_utf8_lossy(&seen[..at]).to_ascii_lowercase();
                                let length = head
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length:"))
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .unwrap_or(0);
                                if seen.len() >= at + 4 + length {
                                    break (at + 4, length);
                                }
                            }
                            match s.read(&mut buf) {
                                Ok(0) | Err(_) => return,
                                Ok(n) => seen.extend_from_slice(&buf[..n]),
                            }
                        };
                        seen.drain(..head_end + length);
                        let (status, body) = if served.fetch_add(1, Ordering::SeqCst) < fails {
                            (
                                "500 Internal Server Error",
                                r#"{"__type":"InternalErrorException","message":"try again"}"#,
                            )
                        } else {
                            ("200 OK", r#"{"IdentityId":"us-east-1:after-a-retry"}"#)
                        };
                        let answer = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if s.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        url
    }

    fn unsigned_client(url: &str, extra: &str) -> *mut crate::client::cognito_identity_client {
        let config =
            CString::new(format!(r#"{{"region": "us-east-1", "endpoint_url": "{url}", "unsigned": true{extra}}}"#))
                .expect("no NUL");
        let mut client = std::ptr::null_mut();
        let status = unsafe { cognito_identity_client_new(config.as_ptr(), &mut client, std::ptr::null_mut()) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        client
    }

    const GET_ID: &std::ffi::CStr = c"GetId";
    const POOL: &std::ffi::CStr = cr#"{"IdentityPoolId": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"}"#;

    fn no_wait() -> cognito_identity_wait {
        cognito_identity_wait { fd: -1, connection: 0, wait_ms: 0, closed: 0 }
    }

    fn readable(wait: &cognito_identity_wait) {
        let mut fd = libc::pollfd { fd: wait.fd, events: libc::POLLIN, revents: 0 };
        assert_eq!(unsafe { libc::poll(&mut fd, 1, 5000) }, 1, "readable");
    }

    fn take_text(out: *mut c_char) -> String {
        let text = unsafe { CStr::from_ptr(out) }.to_str().expect("utf-8").to_owned();
        unsafe { cognito_identity_string_free(out) };
        text
    }

    #[test]
    fn a_step_leaves_a_failed_attempt_waiting_to_retry_then_sends_the_next() {
        let client = unsigned_client(&failing_server(2), r#", "initial_backoff": 0.3, "max_attempts": 3"#);
        let (mut pending, mut out, mut wait) = (std::ptr::null_mut(), std::ptr::null_mut(), no_wait());
        let status = unsafe {
            cognito_identity_call_start(client, GET_ID.as_ptr(), POOL.as_ptr(), 0, &mut pending, &mut wait, &mut out)
        };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        let (mut backoffs, mut waits) = (0, 0);
        while !pending.is_null() {
            if wait.fd < 0 {
                backoffs += 1;
                assert_eq!(wait.connection, 0, "no connection while waiting to retry");
                // Full jitter over the base doubled at each retry.
                let most = 300 << (backoffs - 1);
                assert!(wait.wait_ms >= 1 && wait.wait_ms <= most, "backoff #{backoffs}: {} ms", wait.wait_ms);
                if wait.wait_ms > 50 {
                    // Too early: the call is left as it is.
                    let before = pending;
                    let status = unsafe { cognito_identity_call_step(&mut pending, &mut wait, &mut out) };
                    assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
                    assert_eq!(pending, before);
                    assert!(wait.fd < 0 && out.is_null(), "an early step sends nothing");
                }
                std::thread::sleep(Duration::from_millis(wait.wait_ms));
            } else {
                waits += 1;
                assert_ne!(wait.connection, 0);
                readable(&wait);
            }
            let status = unsafe { cognito_identity_call_step(&mut pending, &mut wait, &mut out) };
            assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
            assert_eq!(pending.is_null(), !out.is_null());
        }
        assert_eq!(wait, no_wait(), "an ended call leaves nothing to wait on");
        // Two backoffs between three attempts; an attempt's answer may come
        // before its wait, then it needs none.
        assert_eq!(backoffs, 2);
        assert!(waits <= 3, "{waits} waits");
        let text = take_text(out);
        assert!(text.contains(r#""IdentityId":"us-east-1:after-a-retry""#), "{text}");
        assert!(text.contains(r#""RetryAttempts":2"#), "{text}");
        unsafe { cognito_identity_client_free(client) };
    }

    #[test]
    fn a_step_ends_the_call_with_its_error_once_its_attempts_are_spent() {
        let client = unsigned_client(&failing_server(usize::MAX), r#", "initial_backoff": 0.01, "max_attempts": 2"#);
        let (mut pending, mut out, mut wait) = (std::ptr::null_mut(), std::ptr::null_mut(), no_wait());
        let mut status = unsafe {
            cognito_identity_call_start(client, GET_ID.as_ptr(), POOL.as_ptr(), 0, &mut pending, &mut wait, &mut out)
        };
        while !pending.is_null() {
            match wait.fd {
                -1 => std::thread::sleep(Duration::from_millis(wait.wait_ms)),
                _ => readable(&wait),
            }
            status = unsafe { cognito_identity_call_step(&mut pending, &mut wait, &mut out) };
        }
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_SERVICE);
        let text = take_text(out);
        assert!(text.contains(r#""Code":"InternalErrorException""#), "{text}");
        assert!(text.contains(r#""RetryAttempts":1"#), "{text}");
        unsafe { cognito_identity_client_free(client) };
    }

    #[test]
    fn finish_still_runs_a_retry_to_its_end_in_one_call() {
        let client = unsigned_client(&failing_server(1), r#", "initial_backoff": 0.01"#);
        let (mut pending, mut out, mut wait) = (std::ptr::null_mut(), std::ptr::null_mut(), no_wait());
        unsafe {
            cognito_identity_call_start(client, GET_ID.as_ptr(), POOL.as_ptr(), 0, &mut pending, &mut wait, &mut out)
        };
        while !pending.is_null() {
            readable(&wait);
            let status = unsafe { cognito_identity_call_finish(&mut pending, &mut out) };
            assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        }
        let text = take_text(out);
        assert!(text.contains(r#""RetryAttempts":1"#), "{text}");
        unsafe { cognito_identity_client_free(client) };
    }

    #[test]
    fn a_step_without_somewhere_to_say_the_wait_abandons_the_call() {
        let client = unsigned_client(&failing_server(0), "");
        let (mut pending, mut out, mut wait) = (std::ptr::null_mut(), std::ptr::null_mut(), no_wait());
        unsafe {
            cognito_identity_call_start(client, GET_ID.as_ptr(), POOL.as_ptr(), 0, &mut pending, &mut wait, &mut out)
        };
        if !pending.is_null() {
            let status = unsafe { cognito_identity_call_step(&mut pending, std::ptr::null_mut(), &mut out) };
            assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_INVALID_ARGUMENT);
            assert!(pending.is_null(), "the call is freed");
            let text = take_text(out);
            assert!(text.contains("out_wait"), "{text}");
        }
        unsafe { cognito_identity_client_free(client) };
    }

    #[test]
    fn a_partial_answer_leaves_the_same_pending_call_to_wait_on_again() {
        let url = slow_server(r#"{"IdentityId":"us-east-1:in-two-parts"}"#);
        let config = CString::new(format!(r#"{{"region": "us-east-1", "endpoint_url": "{url}", "unsigned": true}}"#))
            .expect("no NUL");
        let mut client = std::ptr::null_mut();
        let status = unsafe { cognito_identity_client_new(config.as_ptr(), &mut client, std::ptr::null_mut()) };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        let input = cr#"{"IdentityPoolId": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"}"#;
        let (mut pending, mut out) = (std::ptr::null_mut(), std::ptr::null_mut());
        let mut wait = cognito_identity_wait { fd: -1, connection: 0, wait_ms: 0, closed: 0 };
        let status = unsafe {
            cognito_identity_call_start(client, c"GetId".as_ptr(), input.as_ptr(), 0, &mut pending, &mut wait, &mut out)
        };
        assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
        assert!(!pending.is_null() && out.is_null());
        let mut again = 0;
        while !pending.is_null() {
            let mut fd = libc::pollfd { fd: wait.fd, events: libc::POLLIN, revents: 0 };
            assert_eq!(unsafe { libc::poll(&mut fd, 1, 5000) }, 1, "readable");
            let before = pending;
            let status = unsafe { cognito_identity_call_finish(&mut pending, &mut out) };
            assert_eq!(status, cognito_identity_status::COGNITO_IDENTITY_OK);
            if !pending.is_null() {
                assert_eq!(pending, before, "a call left pending keeps its pointer");
                assert!(out.is_null());
                again += 1;
            }
        }
        assert!(again >= 1, "the half answer was waited for again");
        let text = unsafe { CStr::from_ptr(out) }.to_str().expect("utf-8").to_owned();
        assert!(text.contains(r#""IdentityId":"us-east-1:in-two-parts""#), "{text}");
        unsafe {
            cognito_identity_string_free(out);
            cognito_identity_client_free(client);
        }
    }
}
