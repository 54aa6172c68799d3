//! The AWS SDK for Rust's STS client (its awsQuery serializer, signer and
//! XML parser, none of them ours) against the emulator: the classic flow,
//! GetCallerIdentity, and errors it recognises by code.

mod common;

use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_sdk_sts::operation::RequestId;
use aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use common::start;
use serde_json::json;

/// Sends the SDK's requests with the tests' raw HTTP/1.1 client: the SDK is
/// built without an HTTP stack of its own (the workspace brings none in).
#[derive(Debug, Clone)]
struct RawHttp;

impl HttpClient for RawHttp {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(RawHttp)
    }
}

impl HttpConnector for RawHttp {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::ready(send(&request).map_err(|e| ConnectorError::io(e.into())))
    }
}

fn send(request: &HttpRequest) -> std::io::Result<HttpResponse> {
    let uri: http::Uri = request.uri().parse().map_err(std::io::Error::other)?;
    let authority = uri.authority().ok_or_else(|| std::io::Error::other("no authority"))?;
    let addr = authority.as_str().parse().map_err(std::io::Error::other)?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    // `send` writes its own Content-Length (the same value).
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("content-length"))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let body = request.body().bytes().unwrap_or_default();
    let resp = common::send(addr, request.method(), path, &headers, body)?;
    let status = StatusCode::try_from(resp.status).map_err(std::io::Error::other)?;
    let mut out = HttpResponse::new(status, SdkBody::from(resp.body));
    for (name, value) in resp.headers {
        out.headers_mut().append(name, value);
    }
    Ok(out)
}

fn sts_client(url: &str, credentials: Option<Credentials>) -> aws_sdk_sts::Client {
    let mut config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .http_client(RawHttp);
    if let Some(credentials) = credentials {
        config = config.credentials_provider(credentials);
    }
    aws_sdk_sts::Client::from_conf(config.build())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_runs_the_classic_flow() {
    let api = start();
    let pool = api.create_pool(json!({"AllowClassicFlow": true}))["IdentityPoolId"].clone();
    let id = api.ok("GetId", json!({"IdentityPoolId": pool}))["IdentityId"].clone();
    let token = api.ok("GetOpenIdToken", json!({"IdentityId": id}))["Token"].as_str().expect("token").to_owned();

    let anonymous = sts_client(&api.emu.url(), None);
    let out = anonymous
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::123456789012:role/Classic")
        .role_session_name("sdk")
        .web_identity_token(&token)
        .duration_seconds(1800)
        .send()
        .await
        .expect("AssumeRoleWithWebIdentity");
    assert_eq!(out.subject_from_web_identity_token(), id.as_str());
    assert_eq!(out.audience(), pool.as_str());
    assert_eq!(out.provider(), Some("https://cognito-identity.amazonaws.com"));
    let user = out.assumed_role_user().expect("assumed role user");
    assert_eq!(user.arn(), "arn:aws:sts::123456789012:assumed-role/Classic/sdk");
    let creds = out.credentials().expect("credentials");
    let left = creds.expiration().secs() - aws_smithy_types::DateTime::from(std::time::SystemTime::now()).secs();
    assert!((1790..=1800).contains(&left), "{left}");
    assert!(out.request_id().is_some_and(|r| !r.is_empty()));

    let keys = Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_owned()),
        None,
        "emulator",
    );
    let who = sts_client(&api.emu.url(), Some(keys)).get_caller_identity().send().await.expect("GetCallerIdentity");
    assert_eq!(who.arn(), Some(user.arn()));
    assert_eq!(who.user_id(), Some(user.assumed_role_id()));
    assert_eq!(who.account(), Some("123456789012"));

    // Errors are parsed into the SDK's modelled variants.
    api.emu.set_clock_offset(700);
    let err = anonymous
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::123456789012:role/Classic")
        .role_session_name("sdk")
        .web_identity_token(&token)
        .send()
        .await
        .expect_err("expired");
    let err = err.into_service_error();
    assert!(matches!(err, AssumeRoleWithWebIdentityError::ExpiredTokenException(_)), "{err:?}");
    api.emu.set_clock_offset(0);

    let wrong = Credentials::new("test", "wrong", None, None, "emulator");
    let err = sts_client(&api.emu.url(), Some(wrong)).get_caller_identity().send().await.expect_err("bad signature");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
}
