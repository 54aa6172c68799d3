//! The server clock, which tests may shift to provoke clock-skew errors.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest shift, either way: 100 years. Beyond it the server's time
/// would leave what its formats can write (HTTP dates, SigV4 dates and
/// ISO 8601 stop at year 9999 and start at 1970 here); the fuzzer found the
/// `Date` header panicking on a clock shifted before 1970.
pub const MAX_OFFSET_SECONDS: i64 = 100 * 365 * 86_400;

/// Wall clock plus an adjustable offset in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

/// Whether `seconds` is an offset the clock accepts, with the reason if not.
pub fn check_offset(seconds: i64) -> Result<(), String> {
    if (-MAX_OFFSET_SECONDS..=MAX_OFFSET_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(format!("the clock offset must be within ±{MAX_OFFSET_SECONDS} seconds (100 years), not {seconds}"))
    }
}

impl Clock {
    /// Shifts the clock by `seconds`, limited to ±[`MAX_OFFSET_SECONDS`].
    pub fn set_offset(&self, seconds: i64) {
        let seconds = seconds.clamp(-MAX_OFFSET_SECONDS, MAX_OFFSET_SECONDS);
        self.offset_seconds.store(seconds, Ordering::SeqCst);
    }

    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// The server's idea of now; never before 1970.
    pub fn now(&self) -> SystemTime {
        let offset = self.offset();
        let real = SystemTime::now();
        let shifted = if offset >= 0 {
            real.checked_add(Duration::from_secs(offset.unsigned_abs()))
        } else {
            real.checked_sub(Duration::from_secs(offset.unsigned_abs()))
        };
        shifted.filter(|t| *t >= UNIX_EPOCH).unwrap_or(UNIX_EPOCH)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (fuzz/corpus/emulator_request/regress-02-*): any offset
    /// leaves a time every format of the emulator can write.
    #[test]
    fn extreme_offsets_are_clamped_into_writable_times() {
        let clock = Clock::default();
        for offset in [i64::MIN, -MAX_OFFSET_SECONDS - 1, -6_340_990_079_583_035_316, i64::MAX, MAX_OFFSET_SECONDS + 1]
        {
            clock.set_offset(offset);
            assert!(clock.offset().abs() <= MAX_OFFSET_SECONDS, "{offset}");
            let now = clock.now();
            assert!(now >= UNIX_EPOCH);
            let _ = httpdate::fmt_http_date(now);
            let _ = cognito_identity::amz_date::format(now);
            assert!(check_offset(offset).is_err(), "{offset}");
        }
        clock.set_offset(-MAX_OFFSET_SECONDS);
        assert_eq!(clock.now(), UNIX_EPOCH, "a time before 1970 is read as 1970");
        assert!(check_offset(3600).is_ok() && check_offset(-3600).is_ok());
    }
}
