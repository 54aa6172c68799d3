//! Retries in the AWS SDKs' "standard" mode.
//!
//! Attempts are capped (3 by default); each retry waits a full-jitter
//! exponential back-off (`rand * base * 2^n`, at most 20 s) and spends tokens
//! from a quota shared by every call of the client (500 tokens, 5 a retry, 10
//! a retry after a timeout, refunded on success), so that a failing service is
//! not hammered by every caller at once.
//!
//! Retried: throttling (`TooManyRequestsException` and the SDKs' other
//! throttling codes), HTTP 500/502/503/504, `InternalErrorException`,
//! connection failures and timeouts. Not retried: Cognito's
//! `LimitExceededException`, which is a hard quota on resources (pools,
//! identities), not throttling — retrying cannot succeed — nor TLS
//! certificate failures.

use crate::error::{Error, ErrorKind};
use std::sync::Mutex;
use std::time::Duration;

pub const MAX_BACKOFF: Duration = Duration::from_secs(20);
const QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

/// Why an error may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    Throttling,
    Transient,
    Timeout,
}

const THROTTLING_CODES: [&str; 12] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];
const TRANSIENT_CODES: [&str; 4] =
    ["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalErrorException"];
const TRANSIENT_STATUS: [u16; 4] = [500, 502, 503, 504];

pub fn classify(e: &Error) -> Option<RetryKind> {
    match e.kind() {
        ErrorKind::Timeout => Some(RetryKind::Timeout),
        // A certificate that failed to verify will fail the same way again.
        ErrorKind::Transport if e.code() == crate::error::codes::SSL => None,
        ErrorKind::Transport => Some(RetryKind::Transient),
        ErrorKind::Service => {
            let code = e.code();
            if THROTTLING_CODES.contains(&code) {
                Some(RetryKind::Throttling)
            } else if TRANSIENT_CODES.contains(&code) || e.http_status().is_some_and(|s| TRANSIENT_STATUS.contains(&s))
            {
                Some(RetryKind::Transient)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `rand * base * 2^retry`, capped: full jitter as the SDKs define it.
pub fn backoff(base: Duration, retry: u32, rand: f64) -> Duration {
    let exp = base.as_secs_f64() * 2f64.powi(i32::try_from(retry.min(62)).unwrap_or(62));
    Duration::from_secs_f64((rand.clamp(0.0, 1.0) * exp).min(MAX_BACKOFF.as_secs_f64()))
}

/// The client-wide retry quota.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota { available: Mutex::new(QUOTA) }
    }
}

impl RetryQuota {
    /// Takes the cost of one retry; `None` when the quota is spent.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout { TIMEOUT_RETRY_COST } else { RETRY_COST };
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        (*a >= cost).then(|| {
            *a -= cost;
            cost
        })
    }

    /// A call succeeded: refund what its retries took, or add a little.
    pub fn release(&self, spent: u32) {
        let mut a = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *a = (*a + if spent > 0 { spent } else { NO_RETRY_INCREMENT }).min(QUOTA);
    }

    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;

    fn service(code: &str, status: u16) -> Error {
        Error::service(code.into(), "m".into(), status, None)
    }

    #[test]
    fn throttling_and_transient_errors_retry() {
        assert_eq!(classify(&service("TooManyRequestsException", 400)), Some(RetryKind::Throttling));
        assert_eq!(classify(&service("InternalErrorException", 500)), Some(RetryKind::Transient));
        for s in [500, 502, 503, 504] {
            assert_eq!(classify(&service("Whatever", s)), Some(RetryKind::Transient), "{s}");
        }
        let timeout = Error::new(ErrorKind::Timeout, codes::READ_TIMEOUT, "t");
        assert_eq!(classify(&timeout), Some(RetryKind::Timeout));
        let conn = Error::new(ErrorKind::Transport, codes::ENDPOINT_CONNECTION, "c");
        assert_eq!(classify(&conn), Some(RetryKind::Transient));
    }

    #[test]
    fn limit_exceeded_and_client_errors_do_not_retry() {
        for code in [
            "LimitExceededException",
            "NotAuthorizedException",
            "ResourceNotFoundException",
            "InvalidParameterException",
        ] {
            assert_eq!(classify(&service(code, 400)), None, "{code}");
        }
        assert_eq!(classify(&service("Odd", 501)), None);
        assert_eq!(classify(&Error::new(ErrorKind::Transport, codes::SSL, "bad certificate")), None);
        for kind in
            [ErrorKind::Validation, ErrorKind::Credentials, ErrorKind::Configuration, ErrorKind::InvalidResponse]
        {
            assert_eq!(classify(&Error::new(kind, "X", "x")), None);
        }
    }

    #[test]
    fn backoff_is_full_jitter_and_capped() {
        let base = Duration::from_secs(1);
        assert_eq!(backoff(base, 0, 0.0), Duration::ZERO);
        assert_eq!(backoff(base, 0, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(base, 3, 0.5), Duration::from_secs(4));
        assert_eq!(backoff(base, 10, 1.0), MAX_BACKOFF);
        assert_eq!(backoff(base, u32::MAX, 1.0), MAX_BACKOFF);
        for i in 0..20 {
            let r = fastrand::f64();
            let b = backoff(base, i, r);
            assert!(b <= MAX_BACKOFF && b <= Duration::from_secs_f64(2f64.powi(i as i32)));
        }
    }

    #[test]
    fn the_quota_runs_out_and_refills_on_success() {
        let q = RetryQuota::default();
        let mut spent = 0;
        while let Some(c) = q.acquire(RetryKind::Transient) {
            spent += c;
        }
        assert_eq!(spent, 500);
        assert_eq!(q.acquire(RetryKind::Throttling), None);
        q.release(5);
        assert_eq!(q.acquire(RetryKind::Timeout), None, "a timeout retry costs 10");
        assert_eq!(q.acquire(RetryKind::Transient), Some(5));
        for _ in 0..1000 {
            q.release(0);
        }
        assert_eq!(q.available(), 500);
    }
}
