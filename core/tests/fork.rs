//! A forked child gets a working client: it must not reuse the parent's
//! runtime threads (which do not exist in the child) or pooled sockets.
//! Alone in its own test binary so that no other test thread is mid-call at
//! the fork.
#![allow(clippy::unwrap_used)]

mod support;

use cognito_identity::{Client, Config};
use serde_json::json;
use support::{Server, ok};

#[test]
fn a_forked_child_can_call_with_the_parents_client() {
    let server = Server::start(vec![]);
    server.set_default(ok(r#"{"IdentityId":"us-east-1:abc"}"#));
    let config = Config::builder().region("us-east-1").endpoint_url(server.url.clone()).build().unwrap();
    let client = Client::with_env(config, &|_| None).unwrap();
    let input = json!({"IdentityPoolId": "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"});
    // The parent's runtime and pool exist and hold a live connection.
    client.call_json("GetId", &input).unwrap();

    // SAFETY: the child only calls the client and then `_exit`s.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok =
            (0..200).all(|_| client.call_json("GetId", &input).is_ok_and(|out| out["IdentityId"] == "us-east-1:abc"));
        // SAFETY: leaves the child at once, running no destructor of the parent's state.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    // Meanwhile the parent keeps calling: a socket or poller shared with the
    // child would mix the two processes' answers.
    for _ in 0..200 {
        assert_eq!(client.call_json("GetId", &input).unwrap()["IdentityId"], "us-east-1:abc");
    }
    let mut status = 0;
    // A deadlocked child would hang here: the alarm turns that into a failure.
    let waited = std::thread::spawn(move || {
        // SAFETY: plain wait on our own child.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        status
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !waited.is_finished() {
        if std::time::Instant::now() > deadline {
            // SAFETY: killing our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the forked child hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = waited.join().unwrap();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child failed: status {status}");
    // The parent's client still works after the fork.
    client.call_json("GetId", &input).unwrap();
    assert!(server.requests().len() >= 402);
}
