//! The client against a scripted local server: the wire format, retries,
//! timeouts, broken connections, clock skew and many threads.
#![allow(clippy::unwrap_used)]

mod support;

use cognito_identity::{Client, Config, Credentials, ErrorKind};
use serde_json::json;
use std::time::{Duration, Instant};
use support::{Reply, Server, error, ok};

const POOL: &str = "us-east-1:0b5d5a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

fn env(name: &str) -> Option<String> {
    // Nothing from the machine, and no instance metadata service to look for.
    (name == "AWS_EC2_METADATA_DISABLED").then(|| "true".to_owned())
}

fn client(server: &Server, tweak: impl FnOnce(&mut Config)) -> Client {
    let mut c = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.url.clone())
        .credentials(Credentials::new("AKIDTEST", "SECRET-CANARY", Some("TOKEN-CANARY".into())))
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap();
    tweak(&mut c);
    Client::with_env(c, &env).unwrap()
}

#[test]
fn a_call_sends_the_awsjson_request_and_returns_output_with_metadata() {
    let server = Server::start(vec![ok(r#"{"IdentityPools":[],"NextToken":"n"}"#)]);
    let out = client(&server, |_| {}).call_json("ListIdentityPools", &json!({"MaxResults": 5})).unwrap();
    assert_eq!(out["NextToken"], "n");
    assert_eq!(out["ResponseMetadata"]["HTTPStatusCode"], 200);
    assert_eq!(out["ResponseMetadata"]["RequestId"], "req-1");
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 0);
    assert_eq!(out["ResponseMetadata"]["HTTPHeaders"]["content-type"], "application/x-amz-json-1.1");
    let seen = &server.requests()[0];
    assert_eq!(seen.header("x-amz-target"), Some("AWSCognitoIdentityService.ListIdentityPools"));
    assert_eq!(seen.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(seen.body, r#"{"MaxResults":5}"#);
    assert!(seen.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"));
    assert_eq!(seen.header("x-amz-security-token"), Some("TOKEN-CANARY"));
    assert!(seen.header("user-agent").unwrap().starts_with("cognito-identity-rs/"));
    assert_eq!(seen.header("amz-sdk-request"), Some("attempt=1; max=3"));
}

#[test]
fn unsigned_operations_carry_no_authorization_and_need_no_credentials() {
    let server = Server::start(vec![ok(r#"{"IdentityId":"us-east-1:abc"}"#), ok("{}")]);
    let anonymous = client(&server, |c| c.credentials = None);
    assert!(anonymous.credential_source().is_none());
    let out = anonymous.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out["IdentityId"], "us-east-1:abc");
    let seen = &server.requests()[0];
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.header("x-amz-security-token"), None);
    assert_eq!(seen.body, format!(r#"{{"IdentityPoolId":"{POOL}"}}"#));
    let e = anonymous.call_json("DescribeIdentityPool", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Credentials, "NoCredentialsError"));
    assert_eq!(server.requests().len(), 1, "nothing is sent without credentials");
}

#[test]
fn an_empty_input_is_sent_as_an_empty_object() {
    let server = Server::start(vec![ok("")]);
    let c = client(&server, |_| {});
    // TagResource needs input; DeleteIdentityPool has no output: an empty 200 body is fine.
    let out = c.call_json("DeleteIdentityPool", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out.as_object().unwrap().keys().collect::<Vec<_>>(), ["ResponseMetadata"]);
}

#[test]
fn invalid_input_and_unknown_operations_fail_before_sending() {
    let server = Server::start(vec![]);
    let c = client(&server, |_| {});
    let e = c.call_json("GetId", &json!({"IdentityPoolId": "bad pool"})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.message().contains("IdentityPoolId"), "{e}");
    let e = c.call_json("GetIdd", &json!({})).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::UnknownOperation, "OperationNotFoundError"));
    assert!(server.requests().is_empty());
}

#[test]
fn service_errors_keep_code_message_status_and_request_id() {
    let server = Server::start(vec![Reply::Http(
        400,
        vec![("x-amzn-errortype".into(), "NotAuthorizedException:http://internal/".into())],
        r#"{"__type":"com.amazon#Other","message":"Access to Identity 'x' is forbidden."}"#.into(),
    )]);
    let e = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service);
    assert_eq!(e.code(), "NotAuthorizedException");
    assert_eq!(e.message(), "Access to Identity 'x' is forbidden.");
    assert_eq!((e.http_status(), e.request_id(), e.retry_attempts()), (Some(400), Some("req-1"), 0));
    let doc = e.to_document();
    assert_eq!(doc["Error"]["Type"], "Sender");
    assert_eq!(doc["ResponseMetadata"]["HTTPStatusCode"], 400);
}

#[test]
fn transient_errors_retry_up_to_the_attempt_limit() {
    let server =
        Server::start(vec![error(503, "ServiceUnavailable", "x"), error(500, "InternalErrorException", "x"), ok("{}")]);
    let out = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 2);
    let attempts: Vec<_> = server.requests().iter().map(|s| s.header("amz-sdk-request").unwrap().to_owned()).collect();
    assert_eq!(attempts, ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]);
    let ids: Vec<_> = server.requests().iter().map(|s| s.header("amz-sdk-invocation-id").unwrap().to_owned()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one invocation id for all attempts");

    let server = Server::start(vec![]);
    server.set_default(error(502, "BadGateway", "x"));
    let e =
        client(&server, |c| c.max_attempts = Some(4)).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.code(), e.retry_attempts()), ("BadGateway", 3));
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn throttling_retries_and_limit_exceeded_does_not() {
    let server = Server::start(vec![error(400, "TooManyRequestsException", "slow down"), ok("{}")]);
    let out = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 1);

    let server = Server::start(vec![error(400, "LimitExceededException", "too many pools"), ok("{}")]);
    let e = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.code(), e.retry_attempts()), ("LimitExceededException", 0));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_server_that_never_answers_hits_the_read_timeout() {
    let server = Server::start(vec![]);
    server.set_default(Reply::Stall(Duration::from_secs(5)));
    let c = client(&server, |c| {
        c.read_timeout = Some(Duration::from_millis(200));
        c.max_attempts = Some(2);
    });
    let started = Instant::now();
    let e = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code(), e.retry_attempts()), (ErrorKind::Timeout, "ReadTimeoutError", 1));
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn the_total_timeout_bounds_the_whole_call() {
    let server = Server::start(vec![]);
    server.set_default(Reply::Stall(Duration::from_secs(5)));
    let c = client(&server, |c| c.total_timeout = Some(Duration::from_millis(300)));
    let started = Instant::now();
    let e = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "DeadlineExceededError"));
    assert!(started.elapsed() < Duration::from_secs(2));
    let e = c
        .call_json_with_timeout("GetId", &json!({"IdentityPoolId": POOL}), Some(Duration::from_millis(50)))
        .unwrap_err();
    assert_eq!(e.code(), "DeadlineExceededError");
}

#[test]
fn a_reset_connection_is_a_transport_error_and_is_retried() {
    let server = Server::start(vec![Reply::Reset, ok(r#"{"IdentityId":"x"}"#)]);
    let out = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 1);

    let server = Server::start(vec![]);
    server.set_default(Reply::Reset);
    let e = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code(), e.retry_attempts()), (ErrorKind::Transport, "ConnectionClosedError", 2));
}

#[test]
fn calls_reuse_one_keep_alive_connection() {
    let server = Server::start(vec![]);
    server.set_default(ok(r#"{"IdentityId":"x"}"#));
    let c = client(&server, |_| {});
    for _ in 0..20 {
        c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    }
    assert_eq!((server.requests().len(), server.connections()), (20, 1));
}

#[test]
fn a_connection_the_server_closed_while_idle_is_replaced_without_a_retry() {
    let server =
        Server::start(vec![Reply::OkThenClose(r#"{"IdentityId":"first"}"#.into()), ok(r#"{"IdentityId":"second"}"#)]);
    let c = client(&server, |c| c.max_attempts = Some(1));
    assert_eq!(c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap()["IdentityId"], "first");
    // The server's close reaches the client while the connection is idle in
    // its pool (for longer than the transport's 100 ms before it checks).
    std::thread::sleep(Duration::from_millis(300));
    let out = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(
        (out["IdentityId"].as_str(), out["ResponseMetadata"]["RetryAttempts"].as_u64()),
        (Some("second"), Some(0))
    );
    assert_eq!((server.connections(), server.requests().len()), (2, 2));
}

#[test]
fn a_host_name_endpoint_is_resolved_and_its_addresses_tried_in_turn() {
    // `localhost` may resolve to ::1 first, where nothing listens: the
    // connection goes to the next address, 127.0.0.1.
    let server = Server::start(vec![ok(r#"{"IdentityId":"x"}"#)]);
    let url = server.url.replace("127.0.0.1", "localhost");
    let c = client(&server, |c| c.endpoint_url = Some(url));
    let out = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
    assert_eq!(out["IdentityId"], "x");
}

#[test]
fn an_answer_larger_than_one_read_arrives_whole_and_the_connection_is_reused() {
    // 300 KB: many socket reads for one answer, each a blocking read of its own.
    let names: Vec<String> =
        (0..6000).map(|i| format!(r#"{{"IdentityPoolId":"us-east-1:{i:036}","IdentityPoolName":"p{i}"}}"#)).collect();
    let body = format!(r#"{{"IdentityPools":[{}]}}"#, names.join(","));
    let server = Server::start(vec![ok(&body), ok(&body)]);
    let c = client(&server, |_| {});
    for _ in 0..2 {
        let out = c.call_json("ListIdentityPools", &json!({"MaxResults": 60})).unwrap();
        assert_eq!(out["IdentityPools"].as_array().map(Vec::len), Some(6000));
        assert_eq!(out["IdentityPools"][5999]["IdentityPoolName"], "p5999");
    }
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_refused_connection_names_the_endpoint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::with_env(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .max_attempts(1)
            .build()
            .unwrap(),
        &env,
    )
    .unwrap();
    let e = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Transport, "EndpointConnectionError"));
    assert!(e.message().contains(&format!("127.0.0.1:{port}")), "{e}");
}

#[test]
fn a_malformed_or_truncated_body_is_an_error_not_a_panic() {
    for body in ["<html>", "{\"IdentityId\": \"us-", "[]", "\u{0}"] {
        let server = Server::start(vec![ok(body)]);
        let e = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::InvalidResponse, "ResponseParserError"), "{body}");
        assert_eq!(e.http_status(), Some(200));
    }
}

#[test]
fn a_skewed_signature_is_retried_once_with_the_server_time() {
    let ahead = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    let server = Server::start(vec![
        Reply::Http(
            403,
            vec![("date".into(), ahead)],
            r#"{"__type":"InvalidSignatureException","message":"Signature expired: 20200101T000000Z is now earlier than ..."}"#.into(),
        ),
        ok("{}"),
    ]);
    let c = client(&server, |c| c.max_attempts = Some(1));
    let out = c.call_json("ListIdentityPools", &json!({"MaxResults": 1})).unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"], 1);
    let dates: Vec<String> = server.requests().iter().map(|s| s.header("x-amz-date").unwrap().to_owned()).collect();
    let hour = |d: &str| d[9..11].parse::<i32>().unwrap();
    let diff = (hour(&dates[1]) - hour(&dates[0])).rem_euclid(24);
    assert_eq!(diff, 1, "{dates:?}");
}

#[test]
fn sixteen_threads_share_one_client_for_ten_thousand_calls() {
    let server = Server::start(vec![]);
    server.set_default(ok(r#"{"IdentityId":"us-east-1:abc"}"#));
    let c = client(&server, |_| {});
    std::thread::scope(|s| {
        for _ in 0..16 {
            let c = c.clone();
            s.spawn(move || {
                for _ in 0..625 {
                    let out = c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap();
                    assert_eq!(out["IdentityId"], "us-east-1:abc");
                }
            });
        }
    });
    assert_eq!(server.requests().len(), 10_000);
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let server = Server::start(vec![error(400, "NotAuthorizedException", "no")]);
    let c = client(&server, |_| {});
    let e = c.call_json("GetId", &json!({"IdentityPoolId": POOL, "Logins": {"p": "LOGIN-CANARY"}})).unwrap_err();
    for shown in [format!("{c:?}"), format!("{e:?}"), e.to_string(), e.to_document().to_string()] {
        assert!(!shown.contains("CANARY"), "{shown}");
    }
    assert!(format!("{c:?}").contains("explicit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_calls_work_inside_a_runtime_and_async_calls_too() {
    let server = Server::start(vec![]);
    server.set_default(ok(r#"{"IdentityId":"x"}"#));
    let c = client(&server, |_| {});
    assert_eq!(c.call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap()["IdentityId"], "x");
    assert_eq!(c.call_json_async("GetId", &json!({"IdentityPoolId": POOL})).await.unwrap()["IdentityId"], "x");
}

#[test]
fn an_unusable_ca_bundle_is_a_configuration_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("cognito-ca-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    for (path, why) in [(dir.join("missing.pem"), "cannot be read"), (not_pem, "holds no certificate")] {
        let config = Config::builder().region("us-east-1").ca_bundle(path.clone()).build().unwrap();
        let e = Client::with_env(config, &env).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Configuration);
        assert!(e.message().contains("ca_bundle") && e.message().contains(why), "{e}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_endpoint_follows_region_fips_and_dualstack() {
    let make = |region: &str, fips: bool, dual: bool| {
        let config =
            Config::builder().region(region).use_fips_endpoint(fips).use_dualstack_endpoint(dual).build().unwrap();
        Client::with_env(config, &env).map(|c| c.endpoint_url().to_owned())
    };
    assert_eq!(make("eu-west-1", false, false).unwrap(), "https://cognito-identity.eu-west-1.amazonaws.com");
    assert_eq!(make("cn-north-1", false, false).unwrap(), "https://cognito-identity.cn-north-1.amazonaws.com.cn");
    assert_eq!(
        make("us-gov-west-1", true, false).unwrap(),
        "https://cognito-identity-fips.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(make("us-east-1", true, true).unwrap(), "https://cognito-identity-fips.us-east-1.amazonaws.com");
    let e = make("bad region!", false, false).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "InvalidRegionError"));
}

#[test]
fn redirects_are_not_followed() {
    let server =
        Server::start(vec![Reply::Http(307, vec![("location".into(), "http://127.0.0.1:1/".into())], String::new())]);
    let e = client(&server, |_| {}).call_json("GetId", &json!({"IdentityPoolId": POOL})).unwrap_err();
    assert_eq!((e.kind(), e.code(), e.http_status()), (ErrorKind::Service, "307", Some(307)));
    assert_eq!(server.requests().len(), 1);
}
