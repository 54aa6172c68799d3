//! The client: validate, serialize, sign, send, retry, parse.

use crate::config::{self, Config, Resolved};
use crate::credentials::CredentialSource;
use crate::credentials::signing::SigningCredentials;
use crate::error::{Error, ErrorKind, codes};
use crate::log;
use crate::model::{self, Operation};
use crate::output::{Form, Metadata, Output};
use crate::retry::{self, RetryQuota};
use crate::signing::{self, ClockSkew};
use crate::transport::{InFlight, Pool, Reply, Sent, Transport};
use crate::validate::validate_input;
use crate::wire;
use http::header::{ACCEPT, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// A Cognito Identity client. Cheap to clone (clones share one connection
/// pool, clock-skew correction and retry quota); `Send + Sync`, so one client
/// may serve many threads at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: Resolved,
    /// `cfg.endpoint_url` parsed once, and its `host[:port]` as signed.
    url: reqwest::Url,
    host: String,
    /// The `Host` and `User-Agent` header values, made once.
    host_header: HeaderValue,
    user_agent: HeaderValue,
    /// `amz-sdk-request` of each attempt, made once.
    sdk_request: Vec<HeaderValue>,
    credentials: SigningCredentials,
    transport: Transport,
    skew: Arc<ClockSkew>,
    quota: RetryQuota,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.region())
            .field("endpoint_url", &self.endpoint_url())
            .field("credentials", &self.credential_source().map_or_else(|| "none".to_owned(), |s| s.to_string()))
            .finish()
    }
}

impl Client {
    /// Builds a client. Unset settings come from the environment and the
    /// shared files; anything unusable is an error naming the setting.
    pub fn new(config: Config) -> Result<Client, Error> {
        Self::with_env(config, &|k| std::env::var(k).ok())
    }

    /// As [`Client::new`], reading "environment variables" from `env`.
    pub fn with_env(config: Config, env: &dyn Fn(&str) -> Option<String>) -> Result<Client, Error> {
        let cfg = config::resolve(&config, env)?;
        let skew = Arc::new(ClockSkew::default());
        let credentials = SigningCredentials::new(&cfg, &skew)?;
        let (url, host) = parse_endpoint(&cfg.endpoint_url)?;
        let transport = Transport::new(&cfg, &url)?;
        if cfg.insecure_skip_verify {
            tracing::warn!(
                target: crate::log::HTTP,
                endpoint = %cfg.endpoint_url,
                "certificate verification is off for this client (verify=false): anyone on the path can read \
                 and change its requests; trust the server's CA with ca_bundle instead"
            );
        }
        let bad = |what: &str| {
            Error::new(ErrorKind::Configuration, codes::INVALID_CONFIG, format!("{what} is not a valid header value"))
        };
        let host_header = HeaderValue::from_str(&host).map_err(|_| bad("the endpoint's host"))?;
        let user_agent = HeaderValue::from_str(&cfg.user_agent).map_err(|_| bad("the user agent"))?;
        // One more than the attempts: a clock-skew retry comes on top.
        let sdk_request = (1..=cfg.max_attempts.saturating_add(1).min(32))
            .map(|attempt| sdk_request(attempt, cfg.max_attempts))
            .collect::<Result<_, _>>()?;
        let quota = RetryQuota::default();
        let inner = Inner { cfg, url, host, host_header, user_agent, sdk_request, credentials, transport, skew, quota };
        Ok(Client { inner: Arc::new(inner) })
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Client, Error> {
        Self::new(Config::default())
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.inner.cfg.region
    }

    /// The URL requests are sent to.
    pub fn endpoint_url(&self) -> &str {
        &self.inner.cfg.endpoint_url
    }

    /// Where the credentials come from, or `None` when the client has none
    /// (then only the unsigned operations work). Sources that fetch
    /// credentials (a role, SSO, a process, the container) are named before
    /// the first fetch; the instance metadata service, the chain's last
    /// resort, only once it has given credentials.
    pub fn credential_source(&self) -> Option<CredentialSource> {
        self.inner.credentials.source()
    }

    /// The access key id in use, once known (not a secret; shown by AWS tools).
    pub fn access_key_id(&self) -> Option<String> {
        self.inner.credentials.access_key_id()
    }

    /// Calls an operation by its PascalCase name with JSON: the JSON path,
    /// which the C, Python and Go front doors use (the typed methods,
    /// [`Client::get_id`] and the others, go through it too). `input` is the
    /// JSON object of the operation's input members; the result holds the
    /// output members plus `ResponseMetadata`, as boto3 returns them.
    pub fn call_json(&self, operation: &str, input: &Value) -> Result<Value, Error> {
        self.call_json_with_timeout(operation, input, None)
    }

    /// As [`Client::call_json`], bounded by `timeout` as well as the configured total timeout.
    pub fn call_json_with_timeout(
        &self,
        operation: &str,
        input: &Value,
        timeout: Option<Duration>,
    ) -> Result<Value, Error> {
        self.call_blocking(operation, input, timeout, Form::Value).map(Output::into_value)
    }

    /// As [`Client::call_json_with_timeout`], returning the result as JSON
    /// text: for callers that hand the document on as text (the C ABI) or
    /// build their own objects from it (the Python client), it saves building
    /// a JSON value and writing it out again. The same
    /// document as `call_json`'s, though not always byte for byte the same
    /// text (the service's own spacing and number forms may remain).
    pub fn call_json_text(&self, operation: &str, input: &Value, timeout: Option<Duration>) -> Result<String, Error> {
        self.call_blocking(operation, input, timeout, Form::Text).map(Output::into_text)
    }

    /// Starts a call and returns before waiting for its answer: for callers
    /// with an event loop of their own (the Go binding waits in Go's
    /// netpoller rather than in a blocking C call). The request is written
    /// and [`Progress::Waiting`] gives the [`PendingCall`]: wait until its
    /// descriptor is readable (at most [`PendingCall::wait_limit`]), then
    /// [`PendingCall::finish`] it. A call that cannot be split this way (a
    /// proxy applies, the platform has no descriptors to wait on), or whose
    /// first attempt failed before its wait (retries included), runs to its
    /// end here: [`Progress::Done`], or the error. Results and errors are
    /// [`Client::call_json_text`]'s.
    pub fn start_json_text(
        &self,
        operation: &str,
        input: &Value,
        timeout: Option<Duration>,
    ) -> Result<Progress, Error> {
        let op = lookup(operation)?;
        let body = prepare(op, input)?;
        let call = self.prepare_call(op, body, timeout, Pool::ThisThread, Form::Text);
        crate::runtime::block_on_anywhere(Box::pin(async move {
            let started = std::time::Instant::now();
            let sent = call.bounded(tracing::Instrument::instrument(self.send(&call, 1, true), self.span(op, 1))).await;
            let first = match sent {
                Ok(Sent::Waiting(inflight)) => {
                    return Ok(Progress::Waiting(Box::new(PendingCall {
                        client: self.clone(),
                        call,
                        inflight,
                        started,
                    })));
                }
                Ok(Sent::Answered(reply)) => First::Answered(reply, started),
                Err(e) => First::Read(Err(e)),
            };
            self.run(&call, first).await.map(|out| Progress::Done(out.into_text()))
        }))?
    }

    /// The connections of split calls ([`PendingCall::connection`]) that
    /// this client has closed since the last time this was asked, at most
    /// `max` of them (oldest first; the rest wait for the next time): a
    /// caller that keeps state per connection (a registration with its event
    /// loop) releases it.
    pub fn closed_connections(&self, max: usize) -> Vec<u64> {
        self.inner.transport.closed_connections(max)
    }

    /// How many closed connections [`Client::closed_connections`] would give.
    pub fn closed_connection_count(&self) -> usize {
        self.inner.transport.closed_count()
    }

    fn call_blocking(
        &self,
        operation: &str,
        input: &Value,
        timeout: Option<Duration>,
        form: Form,
    ) -> Result<Output, Error> {
        let op = lookup(operation)?;
        let body = prepare(op, input)?;
        // From async code this runs on a helper thread (`call_json_async` is
        // the better choice there).
        // Boxed: the future is large and `block_on` moves it several times.
        crate::runtime::block_on_anywhere(Box::pin(self.execute(self.prepare_call(
            op,
            body,
            timeout,
            Pool::ThisThread,
            form,
        ))))?
    }

    /// The async form of [`Client::call_json`], for callers already on a tokio runtime.
    pub async fn call_json_async(&self, operation: &str, input: &Value) -> Result<Value, Error> {
        let op = lookup(operation)?;
        let body = prepare(op, input)?;
        self.execute(self.prepare_call(op, body, None, Pool::Shared, Form::Value)).await.map(Output::into_value)
    }

    /// A call from code that runs either inside a blocking call (on this
    /// thread's own runtime) or on a caller's runtime: the identity-pool
    /// provider's refreshes.
    pub(crate) async fn call_here(&self, operation: &str, input: &Value) -> Result<Value, Error> {
        let op = lookup(operation)?;
        let body = prepare(op, input)?;
        self.execute(self.prepare_call(op, body, None, Pool::current(), Form::Value)).await.map(Output::into_value)
    }

    /// Now, on the clock corrected by the skew seen in the service's answers.
    pub(crate) fn corrected_now(&self) -> SystemTime {
        self.inner.skew.now()
    }

    /// What the credential sources share with this client (HTTP stack, region, timeouts).
    pub(crate) fn resolved(&self) -> &Resolved {
        &self.inner.cfg
    }

    async fn execute(&self, call: Call) -> Result<Output, Error> {
        self.run(&call, First::Fresh).await
    }

    fn prepare_call(
        &self,
        op: &'static Operation,
        body: Vec<u8>,
        timeout: Option<Duration>,
        pool: Pool,
        form: Form,
    ) -> Call {
        let limit = match (self.inner.cfg.total_timeout, timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let deadline = limit.map(|d| Instant::now() + d);
        Call { op, body: bytes::Bytes::from(body), invocation_id: invocation_id(), pool, form, deadline, limit }
    }

    fn span(&self, op: &Operation, attempt: u32) -> tracing::Span {
        tracing::debug_span!(target: log::HTTP, "call", operation = op.name, attempt, region = %self.inner.cfg.region, host = %self.inner.host)
    }

    /// The attempts of a call, with its retries; the first may have been
    /// started already (a split call).
    async fn run(&self, call: &Call, first: First) -> Result<Output, Error> {
        let cfg = &self.inner.cfg;
        let Call { op, deadline, limit, .. } = *call;
        let mut first = Some(first);
        let (mut attempt, mut spent, mut skew_retried) = (0u32, 0u32, false);
        loop {
            attempt += 1;
            let sent = tracing::Instrument::instrument(
                self.attempt(call, attempt, first.take().unwrap_or(First::Fresh)),
                self.span(op, attempt),
            );
            let result = call.bounded(sent).await;
            let retries = attempt - 1;
            let e = match result {
                // The blocking path's socket timeouts end its waits at the
                // deadline; the failure is then the deadline's.
                Err(e) if e.kind() == ErrorKind::Timeout && deadline.is_some_and(|d| Instant::now() >= d) => {
                    deadline_error(limit)
                }
                Ok(out) => {
                    // `attempt` wrote RetryAttempts (attempt - 1) in ResponseMetadata.
                    self.inner.quota.release(spent);
                    return Ok(out);
                }
                Err(e) => e,
            };
            if e.code() == codes::DEADLINE_EXCEEDED {
                return Err(e.with_retry_attempts(retries));
            }
            if !skew_retried && e.kind() == ErrorKind::Service && signing::is_clock_skew_error(e.code(), e.message()) {
                // The error's Date header has corrected the clock: one more try.
                tracing::info!(target: log::RETRIES, operation = op.name, attempt, reason = e.code(), "retrying once with the corrected clock");
                skew_retried = true;
                continue;
            }
            let Some(kind) = retry::classify(&e) else {
                return Err(e.with_retry_attempts(retries));
            };
            if attempt >= cfg.max_attempts + u32::from(skew_retried) {
                return Err(e.with_retry_attempts(retries));
            }
            let Some(cost) = self.inner.quota.acquire(kind) else {
                return Err(e.with_retry_attempts(retries));
            };
            spent += cost;
            let delay = retry::backoff(cfg.initial_backoff, retries, fastrand::f64());
            if deadline.is_some_and(|d| Instant::now() + delay >= d) {
                return Err(deadline_error(limit).with_retry_attempts(retries));
            }
            tracing::info!(
                target: log::RETRIES,
                operation = op.name,
                attempt,
                reason = e.code(),
                backoff_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying {}: {}",
                op.name,
                e.code()
            );
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt(&self, call: &Call, attempt: u32, first: First) -> Result<Output, Error> {
        let (reply, started) = match first {
            First::Fresh => {
                let started = std::time::Instant::now();
                let reply = match self.send(call, attempt, false).await? {
                    Sent::Answered(reply) => reply,
                    // Not reached: an unsplit send reads the answer.
                    Sent::Waiting(_) => {
                        return Err(Error::new(ErrorKind::Transport, "InternalError", "the answer was not read"));
                    }
                };
                (reply, started)
            }
            First::Answered(reply, started) => (reply, started),
            First::Read(result) => return result,
        };
        self.answer(call, attempt, reply, started)
    }

    /// Signs and sends one attempt's request: to its answer, or with `split`
    /// up to the wait for it where the transport can split.
    async fn send(&self, call: &Call, attempt: u32, split: bool) -> Result<Sent, Error> {
        let Call { op, ref body, ref invocation_id, pool, deadline, .. } = *call;
        let cfg = &self.inner.cfg;
        let signer = if op.signed { Some(self.inner.credentials.signer().await?) } else { None };
        let signer = signer.as_ref().map(|s| s.signer());
        // The transport asks again only to resend on a new connection (a
        // keep-alive connection found closed): then the request is signed anew.
        let headers = || self.request_headers(op, body, attempt, invocation_id, signer);
        tracing::debug!(target: log::HTTP, operation = op.name, attempt, "request sent to {}", self.inner.host);
        let deadline = deadline.map(Instant::into_std);
        let transport = &self.inner.transport;
        let sent = match split.then(|| transport.start(cfg, &headers, body, deadline)).flatten() {
            Some(sent) => sent,
            None => transport.send(pool, cfg, &self.inner.url, &headers, body, deadline).await.map(Sent::Answered),
        };
        sent.inspect_err(|e| self.failed(op, attempt, e))
    }

    fn failed(&self, op: &Operation, attempt: u32, e: &Error) {
        tracing::debug!(target: log::HTTP, operation = op.name, attempt, error = e.code(), "request failed: {}", e.message());
    }

    /// One attempt's answer: the clock skew it shows, then the result or
    /// the service's error.
    fn answer(&self, call: &Call, attempt: u32, reply: Reply, started: std::time::Instant) -> Result<Output, Error> {
        let Call { op, form, .. } = *call;
        let received = SystemTime::now();
        let status = reply.status;
        let header = |name: &str| reply.headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(date) = header("date")
            && self.inner.skew.observe(date, received)
        {
            tracing::warn!(target: log::HTTP, offset_ms = self.inner.skew.offset_ms(), "clock skew correction changed: the service's clock differs from this machine's");
        }
        let request_id = header("x-amzn-requestid");
        tracing::debug!(
            target: log::HTTP,
            operation = op.name,
            attempt,
            status,
            request_id = request_id.unwrap_or(""),
            elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "response received"
        );
        if !(200..300).contains(&status) {
            let error_type = header("x-amzn-errortype");
            return Err(wire::parse_error(status, error_type, request_id.map(str::to_owned), &reply.body));
        }
        let meta = Metadata { request_id, status, headers: &reply.headers, retry_attempts: attempt - 1 };
        crate::output::build(&reply.body, op.output, &meta, form)
            .map_err(|e| e.with_response(status, request_id.map(str::to_owned)))
    }
}

impl Client {
    /// The headers of one attempt, signed when `signer` is given.
    fn request_headers(
        &self,
        op: &'static Operation,
        body: &[u8],
        attempt: u32,
        invocation_id: &HeaderValue,
        signer: Option<&signing::Signer>,
    ) -> Result<HeaderMap, Error> {
        let inner = &*self.inner;
        let mut headers = HeaderMap::with_capacity(12);
        headers.insert(HOST, inner.host_header.clone());
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(wire::CONTENT_TYPE));
        headers.insert(X_AMZ_TARGET, HeaderValue::from_static(op.target));
        headers.insert(INVOCATION_ID, invocation_id.clone());
        let sdk_request = match inner.sdk_request.get(attempt as usize - 1) {
            Some(v) => v.clone(),
            None => sdk_request(attempt, inner.cfg.max_attempts)?,
        };
        headers.insert(SDK_REQUEST, sdk_request);
        if let Some(signer) = signer {
            let time = inner.skew.now();
            let url = inner.cfg.endpoint_url.as_str();
            for (name, value) in signer.sign_post_json(url, &inner.host, wire::CONTENT_TYPE, op.target, body, time)? {
                let name = match name {
                    "authorization" => http::header::AUTHORIZATION,
                    "x-amz-date" => X_AMZ_DATE,
                    "x-amz-security-token" => X_AMZ_SECURITY_TOKEN,
                    other => HeaderName::from_static(other),
                };
                headers.insert(name, header_value(value)?);
            }
        }
        Ok(headers)
    }
}

/// `amz-sdk-request` of an attempt.
fn sdk_request(attempt: u32, max: u32) -> Result<HeaderValue, Error> {
    header_value(format!("attempt={attempt}; max={max}"))
}

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
const SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

fn header_value(v: String) -> Result<HeaderValue, Error> {
    // Values come from the credentials and our own formatting; a session token
    // with a control character is the only way to get here. (From a String:
    // the value keeps its buffer, no copy.)
    HeaderValue::try_from(v).map_err(|_| {
        Error::new(ErrorKind::Credentials, "SigningError", "a credential holds a character not allowed in a header")
    })
}

/// The endpoint URL parsed once, and the `host[:port]` that signing covers
/// (the port only when it is not the scheme's default, as the Host header).
fn parse_endpoint(endpoint: &str) -> Result<(reqwest::Url, String), Error> {
    let url = reqwest::Url::parse(endpoint).map_err(|e| {
        Error::new(ErrorKind::Configuration, codes::INVALID_ENDPOINT, format!("endpoint_url {endpoint:?}: {e}"))
    })?;
    let host = url.host_str().unwrap_or_default();
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok((url, host))
}

fn lookup(name: &str) -> Result<&'static Operation, Error> {
    model::operation(name).ok_or_else(|| {
        Error::new(
            ErrorKind::UnknownOperation,
            codes::UNKNOWN_OPERATION,
            format!("Unknown operation {name:?}; operations are named as in the API reference, e.g. \"GetId\""),
        )
    })
}

fn prepare(op: &Operation, input: &Value) -> Result<Vec<u8>, Error> {
    validate_input(op, input)?;
    serde_json::to_vec(input).map_err(|e| {
        Error::new(ErrorKind::Validation, codes::PARAM_VALIDATION, format!("cannot serialize the input: {e}"))
    })
}

/// What every attempt of one call shares.
struct Call {
    op: &'static Operation,
    body: bytes::Bytes,
    /// `amz-sdk-invocation-id`.
    invocation_id: HeaderValue,
    pool: Pool,
    form: Form,
    deadline: Option<Instant>,
    /// The bound `deadline` comes from, as errors name it.
    limit: Option<Duration>,
}

impl Call {
    /// `attempt`, ended by the call's deadline when it has one.
    async fn bounded<F: Future<Output = Result<T, Error>>, T>(&self, attempt: F) -> Result<T, Error> {
        match self.deadline {
            Some(d) => tokio::time::timeout_at(d, attempt).await.unwrap_or_else(|_| Err(deadline_error(self.limit))),
            None => attempt.await,
        }
    }
}

/// A call's first attempt, as the retry loop gets it.
enum First {
    /// Not sent yet.
    Fresh,
    /// Sent already, and answered: the answer, when it was sent.
    Answered(Reply, std::time::Instant),
    /// Sent already, and failed, or its answer read: the attempt's result.
    Read(Result<Output, Error>),
}

/// Where a split call stands ([`Client::start_json_text`],
/// [`PendingCall::finish`]).
#[derive(Debug)]
pub enum Progress {
    /// The call ran to its end: the result document.
    Done(String),
    /// The request is written; (more of) the answer is awaited.
    Waiting(Box<PendingCall>),
}

/// A call whose request is written and whose answer is awaited
/// ([`Client::start_json_text`]). Dropped unfinished, it abandons the call
/// and closes its connection.
pub struct PendingCall {
    client: Client,
    call: Call,
    inflight: InFlight,
    started: std::time::Instant,
}

impl fmt::Debug for PendingCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingCall").field("operation", &self.call.op.name).finish_non_exhaustive()
    }
}

impl PendingCall {
    /// The descriptor to wait on until it is readable: the connection's
    /// socket, non-blocking for as long as the connection lives. Do not
    /// read, write or close it, nor change its flags.
    #[cfg(unix)]
    pub fn fd(&self) -> std::os::fd::RawFd {
        self.inflight.fd()
    }

    /// The connection the call waits on: the same id for as long as the
    /// connection lives (and so the same descriptor), never reused; once it
    /// has closed, [`Client::closed_connections`] lists it.
    pub fn connection(&self) -> u64 {
        self.inflight.connection()
    }

    /// How long to wait at most before finishing anyway (the answer is then
    /// late: the read timeout, or what is left of the call's deadline).
    pub fn wait_limit(&self) -> Duration {
        // The read timeout counts from the first wait, across every wait.
        let read = self.client.inner.cfg.read_timeout.saturating_sub(self.inflight.waited());
        match self.call.deadline {
            Some(d) => read.min(d.saturating_duration_since(Instant::now())),
            None => read,
        }
    }

    /// Reads what has arrived of the answer, without blocking, and
    /// completes the call (with its retries, which do block) once it is all
    /// there: [`Progress::Done`] with the result of
    /// [`Client::call_json_text`]. [`Progress::Waiting`] gives the call back
    /// when more is to come (or what woke the caller carried no data, such as
    /// a TLS session ticket): wait on the same descriptor again, within what
    /// is left of [`PendingCall::wait_limit`] as first given.
    pub fn finish(mut self: Box<Self>) -> Result<Progress, Error> {
        let deadline = self.call.deadline.map(Instant::into_std);
        let read = match self.client.inner.transport.finish(&self.client.inner.cfg, &mut self.inflight, deadline) {
            // The same call (and box) back, to wait again.
            Ok(None) => return Ok(Progress::Waiting(self)),
            Ok(Some(reply)) => Ok(reply),
            Err(e) => Err(e),
        };
        let PendingCall { client, call, inflight, started } = *self;
        let first = match read {
            Ok(reply) => {
                client.inner.transport.done(inflight);
                // Read here, in the attempt's span: a success needs neither
                // the retry loop nor the thread's runtime.
                match client.span(call.op, 1).in_scope(|| client.answer(&call, 1, reply, started)) {
                    Ok(out) => {
                        client.inner.quota.release(0);
                        return Ok(Progress::Done(out.into_text()));
                    }
                    Err(e) => First::Read(Err(e)),
                }
            }
            Err(e) => {
                drop(inflight); // its connection closes before any retry
                client.failed(call.op, 1, &e);
                First::Read(Err(e))
            }
        };
        let run = client.run(&call, first);
        crate::runtime::block_on_anywhere(Box::pin(run))?.map(|out| Progress::Done(out.into_text()))
    }
}

fn deadline_error(limit: Option<Duration>) -> Error {
    let secs = limit.map_or(0.0, |d| d.as_secs_f64());
    Error::new(
        ErrorKind::Timeout,
        codes::DEADLINE_EXCEEDED,
        format!("The call did not complete within its {secs} s deadline"),
    )
}

/// A random (v4) UUID for `amz-sdk-invocation-id`, shared by a call's attempts.
fn invocation_id() -> HeaderValue {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = [0u8; 36];
    let mut at = 0;
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out[at] = b'-';
            at += 1;
        }
        out[at] = HEX[usize::from(b >> 4)];
        out[at + 1] = HEX[usize::from(b & 15)];
        at += 2;
    }
    HeaderValue::from_maybe_shared(bytes::Bytes::copy_from_slice(&out)).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invocation_ids_are_version_4_uuids() {
        let id = invocation_id();
        let id = id.to_str().unwrap();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(invocation_id(), id);
    }

    #[test]
    fn the_signed_host_has_the_port_only_when_not_the_default() {
        assert_eq!(parse_endpoint("https://a.example.com").unwrap().1, "a.example.com");
        assert_eq!(parse_endpoint("https://a.example.com:443/").unwrap().1, "a.example.com");
        assert_eq!(parse_endpoint("http://127.0.0.1:4566").unwrap().1, "127.0.0.1:4566");
        assert_eq!(parse_endpoint("http://[::1]:80").unwrap().1, "[::1]");
    }
}
