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
    /// [`PendingCall::finish`] it (or [`PendingCall::step`] it, which makes
    /// a retry's backoff the caller's wait too). A first attempt that failed
    /// before its wait (the server answered at once, the connection failed)
    /// and is to be retried gives the call back waiting to retry, as a step
    /// does. A call that cannot be split this way (a proxy applies, the
    /// platform has no descriptors to wait on) sends each attempt whole, and
    /// one answered at once ends here: [`Progress::Done`], or the error.
    /// Results and errors are [`Client::call_json_text`]'s.
    pub fn start_json_text(
        &self,
        operation: &str,
        input: &Value,
        timeout: Option<Duration>,
    ) -> Result<Progress, Error> {
        let op = lookup(operation)?;
        let body = prepare(op, input)?;
        let call = self.prepare_call(op, body, timeout, Pool::ThisThread, Form::Text);
        Box::new(PendingCall {
            client: self.clone(),
            call,
            stage: Stage::Idle,
            started: std::time::Instant::now(),
            tries: Tries::default(),
        })
        .send_next()
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
        self.run(&call, Tries::default()).await
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

    /// The attempts of a call, with its retries; `tries` counts those made
    /// before (by a split call's steps).
    async fn run(&self, call: &Call, mut tries: Tries) -> Result<Output, Error> {
        loop {
            tries.attempt += 1;
            let sent =
                tracing::Instrument::instrument(self.attempt(call, tries.attempt), self.span(call.op, tries.attempt));
            match call.bounded(sent).await {
                Ok(out) => return Ok(self.succeeded(out, &tries)),
                Err(e) => {
                    let delay = self.retry_after(call, &mut tries, e)?;
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                }
            }
        }
    }

    /// A call's success: the retry quota its retries spent comes back.
    /// (`attempt` wrote RetryAttempts, attempt - 1, in ResponseMetadata.)
    fn succeeded(&self, out: Output, tries: &Tries) -> Output {
        self.inner.quota.release(tries.spent);
        out
    }

    /// Whether a failed attempt (`tries.attempt`) is tried again, and after
    /// how long (zero: at once); otherwise the call's error. The rules of
    /// the blocking retry loop and of a split call's steps alike.
    fn retry_after(&self, call: &Call, tries: &mut Tries, e: Error) -> Result<Duration, Error> {
        let cfg = &self.inner.cfg;
        let Call { op, deadline, limit, .. } = *call;
        let attempt = tries.attempt;
        let retries = attempt - 1;
        // The blocking path's socket timeouts end its waits at the deadline;
        // the failure is then the deadline's.
        let e = if e.kind() == ErrorKind::Timeout && deadline.is_some_and(|d| Instant::now() >= d) {
            deadline_error(limit)
        } else {
            e
        };
        if e.code() == codes::DEADLINE_EXCEEDED {
            return Err(e.with_retry_attempts(retries));
        }
        if !tries.skew_retried && e.kind() == ErrorKind::Service && signing::is_clock_skew_error(e.code(), e.message())
        {
            // The error's Date header has corrected the clock: one more try.
            tracing::info!(target: log::RETRIES, operation = op.name, attempt, reason = e.code(), "retrying once with the corrected clock");
            tries.skew_retried = true;
            return Ok(Duration::ZERO);
        }
        let Some(kind) = retry::classify(&e) else {
            return Err(e.with_retry_attempts(retries));
        };
        if attempt >= cfg.max_attempts + u32::from(tries.skew_retried) {
            return Err(e.with_retry_attempts(retries));
        }
        let Some(cost) = self.inner.quota.acquire(kind) else {
            return Err(e.with_retry_attempts(retries));
        };
        tries.spent += cost;
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
        Ok(delay)
    }

    async fn attempt(&self, call: &Call, attempt: u32) -> Result<Output, Error> {
        let started = std::time::Instant::now();
        let reply = match self.send(call, attempt, false).await? {
            Sent::Answered(reply) => reply,
            // Not reached: an unsplit send reads the answer.
            Sent::Waiting(_) => {
                return Err(Error::new(ErrorKind::Transport, "InternalError", "the answer was not read"));
            }
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

/// Where a split call stands ([`Client::start_json_text`],
/// [`PendingCall::finish`]).
#[derive(Debug)]
pub enum Progress {
    /// The call ran to its end: the result document.
    Done(String),
    /// The request is written; (more of) the answer is awaited.
    Waiting(Box<PendingCall>),
}

/// The attempts a call has made: what its retry rules count.
#[derive(Debug, Default, Clone, Copy)]
struct Tries {
    /// The attempts started so far (the one under way included).
    attempt: u32,
    /// The retry quota its retries took.
    spent: u32,
    /// Whether an attempt was repeated for a corrected clock (it does not
    /// count against `max_attempts`).
    skew_retried: bool,
}

/// A call whose request is written and whose answer is awaited
/// ([`Client::start_json_text`]), or, between attempts, a call that waits
/// to retry ([`PendingCall::step`]). Dropped unfinished, it abandons the
/// call and closes its connection.
pub struct PendingCall {
    client: Client,
    call: Call,
    stage: Stage,
    /// When the attempt under way was sent.
    started: std::time::Instant,
    tries: Tries,
}

/// Where a split call's attempt stands.
// Not boxed: a stage lives in the boxed `PendingCall`, and boxing the
// exchange would be an allocation more a call.
#[allow(clippy::large_enum_variant)]
enum Stage {
    /// Sent; its answer is read from the connection as it arrives.
    Reading(InFlight),
    /// The last attempt failed; the next is sent once this instant has come.
    Backoff(Instant),
    /// No attempt in flight and none waited for: before the first is sent,
    /// and within a step between one attempt's end and what comes next
    /// (never given back to a caller).
    Idle,
}

impl fmt::Debug for PendingCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingCall")
            .field("operation", &self.call.op.name)
            .field("attempt", &self.tries.attempt)
            .finish_non_exhaustive()
    }
}

impl PendingCall {
    /// The descriptor to wait on until it is readable: the connection's
    /// socket, non-blocking for as long as the connection lives. Do not
    /// read, write or close it, nor change its flags. -1 while the call
    /// waits to retry ([`PendingCall::step`]): then there is only
    /// [`PendingCall::wait_limit`] to wait for.
    #[cfg(unix)]
    pub fn fd(&self) -> std::os::fd::RawFd {
        match &self.stage {
            Stage::Reading(inflight) => inflight.fd(),
            Stage::Backoff(_) | Stage::Idle => -1,
        }
    }

    /// The connection the call waits on: the same id for as long as the
    /// connection lives (and so the same descriptor), never reused; once it
    /// has closed, [`Client::closed_connections`] lists it. 0 while the call
    /// waits to retry.
    pub fn connection(&self) -> u64 {
        match &self.stage {
            Stage::Reading(inflight) => inflight.connection(),
            Stage::Backoff(_) | Stage::Idle => 0,
        }
    }

    /// How long to wait at most before going on anyway: for an answer, the
    /// read timeout (counted from the attempt's first wait) or what is left
    /// of the call's deadline, and then the answer is late; before a retry,
    /// what is left of its backoff.
    pub fn wait_limit(&self) -> Duration {
        let now = Instant::now();
        let left = match &self.stage {
            Stage::Reading(inflight) => self.client.inner.cfg.read_timeout.saturating_sub(inflight.waited()),
            Stage::Backoff(until) => return until.saturating_duration_since(now),
            Stage::Idle => return Duration::ZERO,
        };
        match self.call.deadline {
            Some(d) => left.min(d.saturating_duration_since(now)),
            None => left,
        }
    }

    /// The client that makes the call.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Whether the call waits to retry (its descriptor is -1).
    pub fn is_backing_off(&self) -> bool {
        !matches!(self.stage, Stage::Reading(_))
    }

    /// Reads what has arrived of the answer, without blocking, and
    /// completes the call once it is all there, retries included:
    /// [`Progress::Done`] with the result of [`Client::call_json_text`].
    /// [`Progress::Waiting`] gives the call back when more is to come (or
    /// what woke the caller carried no data, such as a TLS session ticket):
    /// wait on the same descriptor again, within what is left of
    /// [`PendingCall::wait_limit`] as first given. A retry blocks here, its
    /// backoff included; [`PendingCall::step`] does not.
    pub fn finish(self: Box<Self>) -> Result<Progress, Error> {
        // Waiting to retry already (a step left it so, or start): the retries
        // run here; a step would send the next attempt and give the call
        // back on a descriptor the caller has not been told.
        let call = if self.is_backing_off() {
            self
        } else {
            match self.step()? {
                Progress::Waiting(call) if call.is_backing_off() => call,
                progress => return Ok(progress),
            }
        };
        let PendingCall { client, call, stage, tries, .. } = *call;
        let run = async move {
            if let Stage::Backoff(until) = stage {
                tokio::time::sleep_until(until).await;
            }
            client.run(&call, tries).await
        };
        crate::runtime::block_on_anywhere(Box::pin(run))?.map(|out| Progress::Done(out.into_text()))
    }

    /// As [`PendingCall::finish`], with retries that hold no thread: when an
    /// attempt fails and is to be tried again, [`Progress::Waiting`] gives
    /// the call back waiting to retry ([`PendingCall::is_backing_off`], no
    /// descriptor, even for a retry due at once): wait
    /// [`PendingCall::wait_limit`], then step it again, which sends the next
    /// attempt (blocking as [`Client::start_json_text`] does while it
    /// connects) and gives the call back to wait on that attempt's
    /// connection, which may be another, or the same one anew. So each time
    /// the call comes back its descriptor, connection and wait limit are to
    /// be read again. A step before the backoff is over gives the call back
    /// unchanged.
    pub fn step(mut self: Box<Self>) -> Result<Progress, Error> {
        let outcome = match &mut self.stage {
            Stage::Reading(inflight) => {
                let deadline = self.call.deadline.map(Instant::into_std);
                match self.client.inner.transport.finish(&self.client.inner.cfg, inflight, deadline) {
                    // The same call (and box) back, to wait again.
                    Ok(None) => return Ok(Progress::Waiting(self)),
                    Ok(Some(reply)) => self.read(reply),
                    Err(e) => {
                        // Its connection closes before any retry.
                        self.stage = Stage::Idle;
                        self.client.failed(self.call.op, self.tries.attempt, &e);
                        Err(e)
                    }
                }
            }
            Stage::Backoff(_) | Stage::Idle => {
                let now = Instant::now();
                if let Stage::Backoff(until) = self.stage
                    && now < until
                {
                    return Ok(Progress::Waiting(self));
                }
                if self.call.deadline.is_some_and(|d| now >= d) {
                    // Stepped late: no attempt is sent past the deadline.
                    return Err(
                        deadline_error(self.call.limit).with_retry_attempts(self.tries.attempt.saturating_sub(1))
                    );
                }
                self.started = now.into_std();
                return self.send_next();
            }
        };
        self.conclude(outcome)
    }

    /// An attempt's outcome: the call's result, or the call waiting to
    /// retry (its error when it is not to be retried).
    fn conclude(mut self: Box<Self>, outcome: Result<Output, Error>) -> Result<Progress, Error> {
        match outcome {
            Ok(out) => Ok(Progress::Done(self.client.succeeded(out, &self.tries).into_text())),
            Err(e) => {
                let delay = self.client.retry_after(&self.call, &mut self.tries, e)?;
                self.stage = Stage::Backoff(Instant::now() + delay);
                Ok(Progress::Waiting(self))
            }
        }
    }

    /// The answer of the attempt under way, read to its end: its connection
    /// goes back to the pool, and the answer is read in the attempt's span
    /// (a success needs neither the retry loop nor the thread's runtime).
    fn read(&mut self, reply: Reply) -> Result<Output, Error> {
        if let Stage::Reading(inflight) = std::mem::replace(&mut self.stage, Stage::Idle) {
            self.client.inner.transport.done(inflight);
        }
        let (client, call, attempt) = (&self.client, &self.call, self.tries.attempt);
        client.span(call.op, attempt).in_scope(|| client.answer(call, attempt, reply, self.started))
    }

    /// Sends the next attempt, sent at `started`: the call waiting for its
    /// answer, or what its outcome makes of the call when it ended before that.
    fn send_next(mut self: Box<Self>) -> Result<Progress, Error> {
        self.tries.attempt += 1;
        let (client, call, attempt) = (&self.client, &self.call, self.tries.attempt);
        let sent = crate::runtime::block_on_anywhere(Box::pin(call.bounded(tracing::Instrument::instrument(
            client.send(call, attempt, true),
            client.span(call.op, attempt),
        ))))?;
        let outcome = match sent {
            Ok(Sent::Waiting(inflight)) => {
                self.stage = Stage::Reading(inflight);
                return Ok(Progress::Waiting(self));
            }
            Ok(Sent::Answered(reply)) => {
                client.span(call.op, attempt).in_scope(|| client.answer(call, attempt, reply, self.started))
            }
            Err(e) => Err(e),
        };
        self.conclude(outcome)
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
