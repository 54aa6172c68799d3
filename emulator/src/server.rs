//! HTTP/1.1 serving: the accept loop, routing between the Cognito API, the
//! STS API and the control endpoints, and turning outcomes into responses
//! (or dropped connections).

use crate::api;
pub use crate::api::Outcome;
use crate::control;
use crate::shared::Shared;
use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The largest request body read (2 MiB, twice the largest valid Cognito
/// input); a larger one is answered 413 without being read, so a client
/// cannot make the emulator buffer without bound.
pub const MAX_REQUEST_BODY: usize = 2 << 20;
pub type ResponseBody = http_body_util::combinators::BoxBody<Bytes, BoxError>;

/// A body that yields its first chunk and then fails, so the connection is
/// cut before the announced `Content-Length` is reached. The pause between the
/// two lets hyper flush the chunk to the client first.
struct CutOff {
    chunk: Option<Bytes>,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl Body for CutOff {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if let Some(chunk) = self.chunk.take() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        match self.pause.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err("injected truncated response".into()))),
        }
    }
}

fn full(body: Bytes) -> ResponseBody {
    Full::new(body).map_err(|never: Infallible| match never {}).boxed()
}

fn with_headers(
    mut resp: http::Response<ResponseBody>,
    headers: Vec<(&'static str, String)>,
) -> http::Response<ResponseBody> {
    for (name, value) in headers {
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

/// Serves one request without a socket, as [`serve`] routes it: a control
/// endpoint, STS, or the Cognito API. `base_url` is the emulator's own
/// address (the OpenID configuration names it). Public so that a request can
/// be fed in straight from bytes (the fuzz target does).
pub async fn handle(shared: &Shared, base_url: &str, parts: &http::request::Parts, body: Bytes) -> Outcome {
    let path = parts.uri.path();
    if control::is_control_path(path) {
        let (status, value) = control::handle(shared, &parts.method, path, &body, base_url);
        return Outcome::Respond {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: Bytes::from(value.to_string()),
        };
    }
    // Both APIs share `POST /`: STS's awsQuery requests are the form-encoded
    // ones without `X-Amz-Target`; everything else is Cognito's awsJson1_1.
    if crate::sts::is_sts_request(parts) {
        crate::sts::handle(shared, parts, body).await
    } else {
        api::handle(shared, parts, body).await
    }
}

async fn route(
    shared: Arc<Shared>,
    base_url: Arc<str>,
    req: http::Request<Incoming>,
) -> Result<http::Response<ResponseBody>, BoxError> {
    let (parts, body) = req.into_parts();
    // An announced length over the limit is refused before any of it is read;
    // a body without one (chunked) is cut when it goes over.
    let announced = parts.headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_REQUEST_BODY as u64) {
        return into_response(api::too_large(&shared, MAX_REQUEST_BODY));
    }
    let outcome = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(body) => handle(&shared, &base_url, &parts, body.to_bytes()).await,
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => api::too_large(&shared, MAX_REQUEST_BODY),
        Err(e) => return Err(e),
    };
    into_response(outcome)
}

/// What the HTTP layer sends for an outcome; an error drops the connection.
fn into_response(outcome: Outcome) -> Result<http::Response<ResponseBody>, BoxError> {
    match outcome {
        Outcome::Respond { status, headers, body } => {
            let mut resp = http::Response::new(full(body));
            *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            Ok(with_headers(resp, headers))
        }
        Outcome::Reset => Err("injected connection reset".into()),
        Outcome::Truncated { status, headers, body } => {
            let full_len = body.len();
            let chunk = body.slice(..full_len / 2);
            let resp = http::Response::new(
                CutOff { chunk: Some(chunk), pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))) }.boxed(),
            );
            let mut resp = with_headers(resp, headers);
            *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
            resp.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(full_len));
            Ok(resp)
        }
    }
}

/// Serves until `shutdown` turns true, then lets open connections finish
/// their current request (for up to two seconds).
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let base_url: Arc<str> = match listener.local_addr() {
        Ok(addr) => Arc::from(url_of(addr)),
        Err(_) => Arc::from(""),
    };
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let base_url = base_url.clone();
                let mut stop = shutdown.clone();
                connections.spawn(async move {
                    let svc = service_fn(move |req| route(shared.clone(), base_url.clone(), req));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc);
                    let mut conn = std::pin::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                        }
                    }
                });
            }
            _ = async { let _ = shutdown.wait_for(|s| *s).await; } => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(3), drain).await.is_err() {
        connections.abort_all();
    }
}

pub fn url_of(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
