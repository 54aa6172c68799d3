//! The HTTP client aws-config's credential providers send through: ours
//! (reqwest over rustls with ring, the client's CA bundle and proxies), so
//! that no second HTTP, TLS or crypto stack enters the library.
//!
//! Credential requests are rare (once per refresh), come from any runtime
//! (a calling thread's own, or the caller's for async calls) and must not
//! hold sockets that a forked child would inherit: each connector therefore
//! opens connections for its requests only and keeps none alive.

use crate::config::Proxies;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Timeouts when a provider names none (botocore's defaults for STS and SSO).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read from a credential endpoint.
const MAX_BODY: usize = 1 << 20;

/// An [`HttpClient`] for aws-config built on the client's TLS settings.
#[derive(Clone)]
pub(crate) struct SdkHttpClient {
    tls: Arc<LazyTls>,
    user_agent: String,
    proxies: Proxies,
}

/// The TLS settings, built at the first credential request: most clients
/// never make one, and reading the roots costs start-up time.
struct LazyTls {
    ca_bundle: Option<PathBuf>,
    proxy_ca_bundle: Option<PathBuf>,
    built: OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
}

impl LazyTls {
    fn get(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        self.built
            .get_or_init(|| {
                crate::transport::tls_with_roots(self.ca_bundle.as_deref(), self.proxy_ca_bundle.as_deref())
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }
}

impl std::fmt::Debug for LazyTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyTls").field("ca_bundle", &self.ca_bundle).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SdkHttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdkHttpClient").finish_non_exhaustive()
    }
}

impl SdkHttpClient {
    pub fn new(ca_bundle: Option<PathBuf>, proxies: &Proxies, user_agent: &str) -> Self {
        SdkHttpClient {
            tls: Arc::new(LazyTls { ca_bundle, proxy_ca_bundle: proxies.ca_bundle.clone(), built: OnceLock::new() }),
            user_agent: user_agent.to_owned(),
            proxies: proxies.clone(),
        }
    }
}

impl HttpClient for SdkHttpClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(Connector {
            tls: Arc::clone(&self.tls),
            proxies: self.proxies.clone(),
            user_agent: self.user_agent.clone(),
            connect_timeout: settings.connect_timeout().unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: settings.read_timeout().unwrap_or(DEFAULT_READ_TIMEOUT),
        })
    }
}

#[derive(Debug)]
struct Connector {
    tls: Arc<LazyTls>,
    proxies: Proxies,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        crate::sigpipe::tokio_socket_in_use();
        let client = self.tls.get().and_then(|tls| {
            self.proxies
                .apply(reqwest::Client::builder(), true)
                .use_preconfigured_tls((*tls).clone())
                .connect_timeout(self.connect_timeout)
                .read_timeout(self.read_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .user_agent(self.user_agent.as_str())
                .build()
                .map_err(|e| e.to_string())
        });
        HttpConnectorFuture::new(async move {
            let client = client.map_err(|e| ConnectorError::other(e.into(), None))?;
            send(&client, request).await
        })
    }
}

async fn send(client: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
    let request = request.try_into_http1x().map_err(|e| ConnectorError::user(e.into()))?;
    let (parts, body) = request.into_parts();
    let url = reqwest::Url::parse(&parts.uri.to_string()).map_err(|e| ConnectorError::user(e.into()))?;
    // Credential requests carry small in-memory bodies (forms, JSON or none).
    let body = body.bytes().map(<[u8]>::to_vec).unwrap_or_default();
    let response = client
        .request(parts.method, url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| connector_error(&e))?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut response = response;
    let mut buf = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| connector_error(&e))? {
        if buf.len() + chunk.len() > MAX_BODY {
            return Err(ConnectorError::other("the credential endpoint's answer is over 1 MiB".into(), None));
        }
        buf.extend_from_slice(&chunk);
    }
    let mut out = http::Response::new(SdkBody::from(buf));
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    HttpResponse::try_from(out).map_err(|e| ConnectorError::other(e.into(), None))
}

fn connector_error(e: &reqwest::Error) -> ConnectorError {
    let described: Box<dyn std::error::Error + Send + Sync> = crate::transport::describe(e).into();
    if e.is_timeout() {
        ConnectorError::timeout(described)
    } else if e.is_connect() || e.is_request() || e.is_body() {
        ConnectorError::io(described)
    } else {
        ConnectorError::other(described, None)
    }
}
