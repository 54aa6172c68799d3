//! STS AssumeRoleWithWebIdentity for the classic flow, through aws-sdk-sts
//! (already in the build for aws-config's sources) over our HTTP stack.

use crate::client::Client;
use crate::credentials::Credentials;
use crate::credentials::sdk_http::SdkHttpClient;
use crate::error::{Error, ErrorKind, codes};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_async::rt::sleep::TokioSleep;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use std::time::SystemTime;

/// The session name when none is given.
pub const DEFAULT_SESSION_NAME: &str = "CognitoIdentityCredentials";

/// An STS client with the Cognito client's region, timeouts, retries and CA
/// bundle. The endpoint: `endpoint`, else `AWS_ENDPOINT_URL_STS`, else
/// `AWS_ENDPOINT_URL`, else STS's regional endpoint.
pub(crate) fn client(
    cognito: &Client,
    endpoint: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> aws_sdk_sts::Client {
    let cfg = cognito.resolved();
    let endpoint = endpoint
        .map(str::to_owned)
        .or_else(|| env("AWS_ENDPOINT_URL_STS").filter(|v| !v.is_empty()))
        .or_else(|| env("AWS_ENDPOINT_URL").filter(|v| !v.is_empty()));
    let mut b = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new(cfg.region.clone()))
        .http_client(SdkHttpClient::new(cfg.ca_bundle.clone(), &cfg.proxies, &cfg.user_agent))
        .sleep_impl(TokioSleep::new())
        .timeout_config(
            TimeoutConfig::builder().connect_timeout(cfg.connect_timeout).read_timeout(cfg.read_timeout).build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(cfg.max_attempts));
    if let Some(url) = endpoint {
        b = b.endpoint_url(url);
    }
    aws_sdk_sts::Client::from_conf(b.build())
}

/// Exchanges a Cognito OpenID token for the role's credentials.
pub(crate) async fn assume_role_with_web_identity(
    sts: &aws_sdk_sts::Client,
    role_arn: &str,
    session_name: &str,
    token: &str,
) -> Result<Credentials, Error> {
    let out = sts
        .assume_role_with_web_identity()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .web_identity_token(token)
        .send()
        .await
        .map_err(|e| sts_error(&e))?;
    let c = out.credentials().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidResponse,
            codes::RESPONSE_PARSER,
            "AssumeRoleWithWebIdentity answered without Credentials",
        )
    })?;
    let expiry = SystemTime::try_from(*c.expiration()).ok();
    Ok(Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_owned()))
        .with_expiry(expiry))
}

/// STS's answer in our error shape: its code and message for service
/// errors; a transport or timeout error otherwise (only `Display` chains:
/// the `Debug` forms hold raw responses).
fn sts_error<E, R>(e: &SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("UnknownError");
            let message = err.message().unwrap_or("(no message)");
            Error::new(ErrorKind::Service, code, format!("STS AssumeRoleWithWebIdentity: {message}"))
        }
        SdkError::TimeoutError(_) => Error::new(
            ErrorKind::Timeout,
            codes::READ_TIMEOUT,
            format!("STS AssumeRoleWithWebIdentity timed out: {}", crate::transport::describe(e)),
        ),
        SdkError::ResponseError(_) => Error::new(
            ErrorKind::InvalidResponse,
            codes::RESPONSE_PARSER,
            format!("STS AssumeRoleWithWebIdentity: {}", crate::transport::describe(e)),
        ),
        _ => Error::new(
            ErrorKind::Transport,
            codes::ENDPOINT_CONNECTION,
            format!("STS AssumeRoleWithWebIdentity: {}", crate::transport::describe(e)),
        ),
    }
}
