//! What the client reports through `tracing` (and, with no `tracing`
//! subscriber, through the `log` crate): the targets, one per area, so that
//! each can be turned on alone. Python maps them to the loggers
//! `cognito_identity.http`, `.retries` and `.credentials`.
//!
//! - `http`: DEBUG for each request sent and response received (operation,
//!   attempt, status, request id, duration) and a failed attempt; WARN when the
//!   clock-skew correction changes.
//! - `retries`: INFO for each retry, with its reason and back-off.
//! - `credentials`: DEBUG for the source chosen, INFO for a refresh and its
//!   source, WARN for a refresh that failed (tolerated or not).
//!
//! No record ever holds a secret: headers, bodies, keys and tokens are never
//! logged, only operation names, status codes, request ids, error codes and
//! messages, access key ids and credential sources.

pub(crate) const HTTP: &str = "cognito_identity::http";
pub(crate) const RETRIES: &str = "cognito_identity::retries";
pub(crate) const CREDENTIALS: &str = "cognito_identity::credentials";
