//! Split calls (`Client::start_json_text`, `PendingCall::finish` and `::step`) against a
//! scripted local server: the caller waits in poll(2) as an event loop would.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use cognito_identity::{Client, Config, ErrorKind, PendingCall, Progress};
use serde_json::{Value, json};
use std::time::Duration;
use support::{Reply, Server, error, ok};

const POOL: &str = "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

fn client(server: &Server, tweak: impl FnOnce(&mut Config)) -> Client {
    let mut c = Config::builder().region("us-east-1").endpoint_url(server.url.clone()).build().unwrap();
    c.credentials = None; // GetId is unsigned
    tweak(&mut c);
    Client::with_env(c, &|name| (name == "AWS_EC2_METADATA_DISABLED").then(|| "true".to_owned())).unwrap()
}

fn start(c: &Client) -> Box<PendingCall> {
    match c.start_json_text("GetId", &json!({"IdentityPoolId": POOL}), None).unwrap() {
        Progress::Waiting(call) => call,
        Progress::Done(text) => panic!("the call was not split: {text}"),
    }
}

/// Waits until the call's descriptor is readable (at most `ms`).
fn wait(call: &PendingCall, ms: i32) -> bool {
    let mut fd = libc::pollfd { fd: call.fd(), events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut fd, 1, ms) == 1 }
}

/// Waits and finishes until the call is done; gives the result and how many
/// waits it took.
fn run(mut call: Box<PendingCall>) -> (Result<Value, cognito_identity::Error>, usize) {
    for waits in 1..100 {
        let ms = i32::try_from(call.wait_limit().as_millis()).unwrap_or(i32::MAX).max(1);
        wait(&call, ms);
        match call.finish() {
            Ok(Progress::Waiting(again)) => call = again,
            Ok(Progress::Done(text)) => return (Ok(serde_json::from_str(&text).unwrap()), waits),
            Err(e) => return (Err(e), waits),
        }
    }
    panic!("not finished after 100 waits");
}

#[test]
fn a_split_call_gives_what_a_blocking_call_gives() {
    let body = r#"{"IdentityId":"us-east-1:abc"}"#;
    let server = Server::start(vec![ok(body), ok(body)]);
    let c = client(&server, |_| {});
    // (One wait or more: the server writes the head and the body apart.)
    let mut split = run(start(&c)).0.unwrap();
    let mut blocking = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(split["IdentityId"], "us-east-1:abc");
    // The same document, the request ids and header values aside.
    for doc in [&mut split, &mut blocking] {
        doc["ResponseMetadata"]["RequestId"] = Value::Null;
        doc["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] = Value::Null;
    }
    assert_eq!(split, blocking);
}

#[test]
fn a_partial_answer_is_waited_for_again() {
    let body = r#"{"IdentityId":"us-east-1:slow-answer-in-two-parts"}"#;
    let server = Server::start(vec![Reply::Slow(body.into(), Duration::from_millis(1000))]);
    let c = client(&server, |_| {});
    let (out, waits) = run(start(&c));
    assert_eq!(out.unwrap()["IdentityId"], "us-east-1:slow-answer-in-two-parts");
    assert!(waits >= 2, "the half answer was read, then waited for again ({waits} waits)");
}

#[test]
fn connections_are_reused_and_an_abandoned_one_is_listed_closed() {
    let server = Server::start(vec![ok("{}"), Reply::Stall(Duration::from_millis(500))]);
    let c = client(&server, |_| {});
    let first = start(&c);
    let (id, fd) = (first.connection(), first.fd());
    assert!(run(first).0.is_ok());
    // Switched once, for good: an event loop's registration of the
    // descriptor stays valid, and no call pays to switch it back and forth.
    // SAFETY: F_GETFL on a descriptor the idle connection keeps open.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    assert!(flags >= 0 && flags & libc::O_NONBLOCK != 0, "idle, the socket is still non-blocking");
    let again = start(&c);
    assert_eq!(again.connection(), id, "the connection went back to the pool");
    assert_eq!(again.fd(), fd);
    assert_eq!(c.closed_connection_count(), 0);
    drop(again); // abandoned while the server stalls
    assert_eq!(c.closed_connection_count(), 1);
    assert_eq!(c.closed_connections(10), [id]);
    assert!(c.closed_connections(10).is_empty(), "listed once");
    let next = start(&c);
    assert_ne!(next.connection(), id);
    // (The scripted server's threads share one script: when the abandoned
    // connection's thread reads its request after this one's, this one
    // gets the stall, and the call succeeds on its retry.)
    assert!(run(next).0.is_ok());
}

#[test]
fn a_wait_that_runs_out_ends_in_the_read_timeout() {
    let server = Server::start(vec![Reply::Stall(Duration::from_secs(3))]);
    let c = client(&server, |c| {
        c.read_timeout = Some(Duration::from_millis(200));
        c.max_attempts = Some(1);
    });
    let call = start(&c);
    assert!(call.wait_limit() <= Duration::from_millis(200));
    let began = std::time::Instant::now();
    let (out, _) = run(call);
    let e = out.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    assert!(began.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_first_answer_that_is_retried_goes_through_the_retry_loop() {
    let body = r#"{"IdentityId":"us-east-1:second-attempt"}"#;
    let server = Server::start(vec![error(503, "ServiceUnavailable", "try again"), ok(body)]);
    let c = client(&server, |_| {});
    let (out, _) = run(start(&c));
    let out = out.unwrap();
    assert_eq!(out["IdentityId"], "us-east-1:second-attempt");
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 1);
}

#[test]
fn a_first_answer_that_is_not_retried_is_the_error() {
    let server = Server::start(vec![error(400, "ResourceNotFoundException", "no such pool")]);
    let c = client(&server, |_| {});
    let (out, _) = run(start(&c));
    let e = out.unwrap_err();
    assert_eq!(e.code(), "ResourceNotFoundException", "{e:?}");
    assert_eq!(server.requests().len(), 1, "not retried");
}

/// Steps the call (`PendingCall::step`) until it is done, waiting on its
/// descriptor or out its backoff as an event loop would; gives the result,
/// how many backoffs it waited out, and the connections it waited on.
fn step_through(mut call: Box<PendingCall>) -> (Result<Value, cognito_identity::Error>, usize, Vec<u64>) {
    let (mut backoffs, mut connections) = (0, Vec::new());
    for _ in 0..100 {
        if call.is_backing_off() {
            assert_eq!((call.fd(), call.connection()), (-1, 0), "nothing to read while waiting to retry");
            backoffs += 1;
            std::thread::sleep(call.wait_limit());
        } else {
            if connections.last() != Some(&call.connection()) {
                connections.push(call.connection());
            }
            wait(&call, i32::try_from(call.wait_limit().as_millis()).unwrap_or(i32::MAX).max(1));
        }
        match call.step() {
            Ok(Progress::Waiting(again)) => call = again,
            Ok(Progress::Done(text)) => return (Ok(serde_json::from_str(&text).unwrap()), backoffs, connections),
            Err(e) => return (Err(e), backoffs, connections),
        }
    }
    panic!("not done after 100 steps");
}

#[test]
fn a_step_retries_a_timed_out_attempt_on_a_new_connection() {
    let body = r#"{"IdentityId":"us-east-1:second-attempt"}"#;
    let server = Server::start(vec![Reply::Stall(Duration::from_secs(2)), ok(body)]);
    let c = client(&server, |c| {
        c.read_timeout = Some(Duration::from_millis(200));
        c.max_attempts = Some(2);
        c.initial_backoff = Some(Duration::from_millis(20));
    });
    let (out, backoffs, connections) = step_through(start(&c));
    let out = out.unwrap();
    assert_eq!(out["IdentityId"], "us-east-1:second-attempt");
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 1);
    assert_eq!(backoffs, 1);
    assert_eq!(connections.len(), 2, "{connections:?}");
    assert_ne!(connections[0], connections[1], "the timed-out connection was closed, not reused");
    assert_eq!(c.closed_connections(10), [connections[0]]);
}

#[test]
fn a_step_gives_the_last_error_once_the_attempts_are_spent() {
    let server =
        Server::start(vec![error(503, "ServiceUnavailable", "busy"), error(503, "ServiceUnavailable", "busy")]);
    let c = client(&server, |c| {
        c.max_attempts = Some(2);
        c.initial_backoff = Some(Duration::from_millis(20));
    });
    let (out, backoffs, _) = step_through(start(&c));
    let e = out.unwrap_err();
    assert_eq!((e.http_status(), e.retry_attempts(), backoffs), (Some(503), 1, 1), "{e:?}");
}

#[test]
fn a_step_does_not_wait_out_a_backoff_past_the_deadline() {
    let server = Server::start(vec![error(503, "ServiceUnavailable", "busy"), ok("{}")]);
    let c = client(&server, |c| {
        c.total_timeout = Some(Duration::from_millis(300));
        // Full jitter over 20 s: a backoff under the 300 ms left is 1 in 70.
        c.initial_backoff = Some(Duration::from_secs(20));
    });
    let began = std::time::Instant::now();
    let mut call = start(&c);
    let mut backed_off = false;
    loop {
        if call.is_backing_off() {
            // The rare backoff shorter than what is left: the retry is made,
            // answered, or ended by the deadline.
            assert!(call.wait_limit() < Duration::from_millis(300));
            backed_off = true;
            std::thread::sleep(call.wait_limit());
        } else {
            wait(&call, 1000);
        }
        match call.step() {
            Ok(Progress::Waiting(again)) => call = again,
            Ok(Progress::Done(text)) => {
                assert!(text.contains(r#""RetryAttempts":1"#), "only a retry succeeds: {text}");
                return;
            }
            Err(e) => {
                assert_eq!(e.code(), "DeadlineExceededError", "{e:?}");
                assert!(
                    backed_off || began.elapsed() < Duration::from_millis(250),
                    "ended at once, not after the backoff"
                );
                return;
            }
        }
    }
}

#[test]
fn a_first_attempt_that_cannot_connect_comes_back_waiting_to_retry() {
    // A port nothing listens on: the connection is refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config =
        Config::builder().region("us-east-1").endpoint_url(format!("http://127.0.0.1:{port}")).build().unwrap();
    config.credentials = None;
    config.max_attempts = Some(3);
    config.initial_backoff = Some(Duration::from_millis(20));
    let c = Client::with_env(config, &|name| (name == "AWS_EC2_METADATA_DISABLED").then(|| "true".to_owned())).unwrap();
    let call = match c.start_json_text("GetId", &json!({"IdentityPoolId": POOL}), None).unwrap() {
        Progress::Waiting(call) => call,
        Progress::Done(text) => panic!("a retryable failure ran to its end in start: {text}"),
    };
    assert!(call.is_backing_off(), "{call:?}");
    let (out, backoffs, connections) = step_through(call);
    let e = out.unwrap_err();
    assert_eq!((e.kind(), e.retry_attempts()), (ErrorKind::Transport, 2), "{e:?}");
    assert_eq!((backoffs, connections.len()), (2, 0), "every attempt failed before its wait");
}

/// Steps a call whose first answer is an error to be retried until it
/// waits to retry.
fn step_until_backing_off(mut call: Box<PendingCall>) -> Box<PendingCall> {
    while !call.is_backing_off() {
        wait(&call, 1000);
        call = match call.step().unwrap() {
            Progress::Waiting(call) => call,
            Progress::Done(text) => panic!("the first answer was to be retried: {text}"),
        };
    }
    call
}

#[test]
fn a_step_past_the_deadline_sends_no_more_attempts() {
    let server = Server::start(vec![error(503, "ServiceUnavailable", "busy"), ok("{}")]);
    let c = client(&server, |c| {
        c.total_timeout = Some(Duration::from_millis(300));
        c.initial_backoff = Some(Duration::from_millis(1));
    });
    let call = step_until_backing_off(start(&c));
    // Stepped again only after the call's deadline (a slow event loop).
    std::thread::sleep(Duration::from_millis(350));
    let e = call.step().unwrap_err();
    assert_eq!((e.code(), e.retry_attempts()), ("DeadlineExceededError", 0), "{e:?}");
    assert_eq!(server.requests().len(), 1, "no attempt was sent past the deadline");
}

#[test]
fn finish_runs_the_retries_of_a_call_a_step_left_waiting_to_retry() {
    let server = Server::start(vec![error(503, "ServiceUnavailable", "busy"), ok(r#"{"IdentityId":"us-east-1:x"}"#)]);
    let c = client(&server, |c| c.initial_backoff = Some(Duration::from_millis(5)));
    let call = step_until_backing_off(start(&c));
    // Its backoff over, a finish completes the call in this one C call
    // rather than send the retry and give it back on another descriptor.
    std::thread::sleep(Duration::from_millis(20));
    match call.finish().unwrap() {
        Progress::Done(text) => assert!(text.contains(r#""RetryAttempts":1"#), "{text}"),
        Progress::Waiting(call) => panic!("finish gave the call back: {call:?}"),
    }
}
