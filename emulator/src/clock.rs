//! The server clock, which tests may shift to provoke clock-skew errors.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall clock plus an adjustable offset in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    pub fn set_offset(&self, seconds: i64) {
        self.offset_seconds.store(seconds, Ordering::SeqCst);
    }

    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// The server's idea of now.
    pub fn now(&self) -> SystemTime {
        let offset = self.offset();
        let real = SystemTime::now();
        if offset >= 0 {
            real + Duration::from_secs(offset.unsigned_abs())
        } else {
            real.checked_sub(Duration::from_secs(offset.unsigned_abs())).unwrap_or(UNIX_EPOCH)
        }
    }

    /// Now as fractional epoch seconds (the awsJson timestamp form).
    pub fn now_epoch(&self) -> f64 {
        epoch_seconds(self.now())
    }

    /// Now as whole epoch seconds (JWT `iat`).
    pub fn now_secs(&self) -> i64 {
        self.now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

pub fn epoch_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).map_or(0.0, |d| (d.as_millis() as f64) / 1000.0)
}
