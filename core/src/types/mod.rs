//! The typed API: an input and an output type per operation, the model's
//! nested structures and enums, and a typed [`Client`] method for each
//! operation (with an async twin, and paginators for the paginated ones).
//!
//! ```no_run
//! use cognito_identity::{Client, Config, ErrorCode};
//! use cognito_identity::types::{DescribeIdentityPoolInput, ListIdentityPoolsInput};
//!
//! let client = Client::new(Config::builder().region("us-east-1").build()?)?;
//! for page in client.list_identity_pools_pages(ListIdentityPoolsInput::builder().max_results(60).build()?) {
//!     for pool in page?.identity_pools() {
//!         println!("{} {}", pool.identity_pool_id().unwrap_or_default(), pool.identity_pool_name().unwrap_or_default());
//!     }
//! }
//! let input = DescribeIdentityPoolInput::builder().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000").build()?;
//! match client.describe_identity_pool(input) {
//!     Err(e) if e.error_code() == Some(ErrorCode::ResourceNotFoundException) => println!("no such pool"),
//!     other => println!("{:?}", other?.identity_pool_name()),
//! }
//! # Ok::<(), cognito_identity::Error>(())
//! ```
//!
//! Types are written by `tools/gen_rust_types.py` from the same model as the
//! JSON path's table, and go through it: a builder's `build()` checks the
//! input with the model's rules (same messages), calls send the input's JSON
//! through [`Client::call_json`], and outputs are read from its answer.
//! Getters follow aws-sdk-rust: `&str` or the value for members the model
//! requires, `Option` for the others, `&[T]` for every list (empty when
//! absent); timestamps are [`SystemTime`]. `Debug` never shows a secret.

#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;

pub use generated::*;

use crate::error::{Error, ErrorKind, codes};
use crate::{Client, model};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a call's answer carried besides its members.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseMetadata {
    request_id: Option<String>,
    http_status: u16,
    retry_attempts: u32,
}

impl ResponseMetadata {
    /// `x-amzn-RequestId`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The HTTP status (200).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
    /// How many times the call was retried.
    pub fn retry_attempts(&self) -> u32 {
        self.retry_attempts
    }

    fn of(v: &Value) -> Option<Self> {
        let meta = v.get("ResponseMetadata")?;
        Some(ResponseMetadata {
            request_id: meta.get("RequestId").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned),
            http_status: meta.get("HTTPStatusCode").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok())?,
            retry_attempts: meta.get("RetryAttempts").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())?,
        })
    }
}

/// A value of the model: to and from its JSON form.
#[doc(hidden)]
pub trait Member: Sized {
    fn to_json(&self) -> Value;
    fn from_json(v: &Value, path: &str) -> Result<Self, Error>;
}

/// An operation's output, read from the JSON path's answer.
#[doc(hidden)]
pub trait FromResponse: Sized {
    fn from_response(v: &Value) -> Result<Self, Error>;
}

fn malformed(path: &str, expected: &str) -> Error {
    Error::new(ErrorKind::InvalidResponse, codes::RESPONSE_PARSER, format!("the answer's {path} is not {expected}"))
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, Error> {
    v.as_object().ok_or_else(|| malformed(path, "an object"))
}

fn string<'a>(v: &'a Value, path: &str) -> Result<&'a str, Error> {
    v.as_str().ok_or_else(|| malformed(path, "a string"))
}

/// A member of an object: absent or `null` is `None`.
fn member<T: Member>(m: &Map<String, Value>, name: &str, path: &str) -> Result<Option<T>, Error> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_json(v, &format!("{path}.{name}")).map(Some),
    }
}

/// Checks a built input with the model's rules, as the JSON path does.
fn check(operation: &str, input: &Value) -> Result<(), Error> {
    let op = model::operation(operation).ok_or_else(|| {
        Error::new(ErrorKind::UnknownOperation, codes::UNKNOWN_OPERATION, format!("no operation {operation}"))
    })?;
    crate::validate::validate_input(op, input)
}

/// The value of a required map that is absent.
fn empty_map() -> &'static HashMap<String, String> {
    static EMPTY: LazyLock<HashMap<String, String>> = LazyLock::new(HashMap::new);
    &EMPTY
}

impl Member for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        string(v, path).map(str::to_owned)
    }
}

impl Member for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        v.as_bool().ok_or_else(|| malformed(path, "true or false"))
    }
}

impl Member for i32 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        v.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| malformed(path, "a 32-bit integer"))
    }
}

impl Member for i64 {
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        v.as_i64().ok_or_else(|| malformed(path, "an integer"))
    }
}

/// Timestamps travel as epoch seconds (awsJson1_1).
impl Member for SystemTime {
    fn to_json(&self) -> Value {
        let secs = self.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        serde_json::Number::from_f64(secs).map_or(Value::Null, Value::Number)
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        v.as_f64()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .map(|d| UNIX_EPOCH + d)
            .ok_or_else(|| malformed(path, "a timestamp (epoch seconds)"))
    }
}

impl<T: Member> Member for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(Member::to_json).collect())
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        let items = v.as_array().ok_or_else(|| malformed(path, "a list"))?;
        items.iter().enumerate().map(|(i, item)| T::from_json(item, &format!("{path}[{i}]"))).collect()
    }
}

impl<T: Member> Member for HashMap<String, T> {
    fn to_json(&self) -> Value {
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort(); // a stable body: the same input signs the same way
        Value::Object(keys.into_iter().map(|k| (k.clone(), self[k].to_json())).collect())
    }
    fn from_json(v: &Value, path: &str) -> Result<Self, Error> {
        object(v, path)?.iter().map(|(k, item)| Ok((k.clone(), T::from_json(item, &format!("{path}.{k}"))?))).collect()
    }
}

/// The pages of a paginated operation: each step calls it with the previous
/// answer's token until the service gives none. A blocking `Iterator`, and
/// [`Paginator::next_page`] for async code.
#[derive(Debug)]
pub struct Paginator<O> {
    client: Client,
    operation: &'static str,
    input: Value,
    input_token: &'static str,
    output_token: &'static str,
    done: bool,
    last_token: Option<String>,
    output: PhantomData<fn() -> O>,
}

impl<O: FromResponse> Paginator<O> {
    fn new(
        client: Client,
        operation: &'static str,
        input: Value,
        input_token: &'static str,
        output_token: &'static str,
    ) -> Self {
        Paginator {
            client,
            operation,
            input,
            input_token,
            output_token,
            done: false,
            last_token: None,
            output: PhantomData,
        }
    }

    /// Takes the next page's token from an answer; ends on none, or on the
    /// token just sent (a service that would otherwise loop forever).
    fn advance(&mut self, answer: &Value) {
        let token = answer.get(self.output_token).and_then(Value::as_str).filter(|t| !t.is_empty());
        match token {
            Some(t) if self.last_token.as_deref() != Some(t) => {
                self.input[self.input_token] = Value::String(t.to_owned());
                self.last_token = Some(t.to_owned());
            }
            _ => self.done = true,
        }
    }

    fn step(&mut self, answer: Result<Value, Error>) -> Result<O, Error> {
        match answer {
            Ok(v) => {
                self.advance(&v);
                O::from_response(&v)
            }
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }

    /// The next page, for async code; `None` after the last one (or an error).
    pub async fn next_page(&mut self) -> Option<Result<O, Error>> {
        if self.done {
            return None;
        }
        let answer = self.client.call_json_async(self.operation, &self.input).await;
        Some(self.step(answer))
    }
}

impl<O: FromResponse> Iterator for Paginator<O> {
    type Item = Result<O, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let answer = self.client.call_json(self.operation, &self.input);
        Some(self.step(answer))
    }
}

#[cfg(test)]
mod tests;
