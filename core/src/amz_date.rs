//! SigV4 dates (`20150830T123600Z`, UTC): formatting and parsing without a
//! date crate. Used by the signer, and by the emulator to check signatures.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses the ISO 8601 basic form `YYYYMMDDTHHMMSSZ`.
pub fn parse(s: &str) -> Option<SystemTime> {
    if s.len() != 16 || !s.is_ascii() || &s[8..9] != "T" || &s[15..16] != "Z" {
        return None;
    }
    let (y, mo, d) = (digits(&s[0..4])?, digits(&s[4..6])?, digits(&s[6..8])?);
    let (h, mi, se) = (digits(&s[9..11])?, digits(&s[11..13])?, digits(&s[13..15])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Formats as `YYYYMMDDTHHMMSSZ`.
pub fn format(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["20150830T123600Z", "20000229T000000Z", "19700101T000000Z", "20991231T235959Z"] {
            let t = parse(s).expect("parses");
            assert_eq!(format(t), s);
        }
        assert_eq!(parse("20150830T123600Z"), Some(UNIX_EPOCH + Duration::from_secs(1_440_938_160)));
        assert!(parse("2015-08-30T12:36:00Z").is_none());
        assert!(parse("20151330T123600Z").is_none());
    }
}
