//! SigV4 dates (`20150830T123600Z`, UTC) and the ISO 8601 extended form
//! credentials carry (`2015-08-30T12:36:00Z`): formatting and parsing without
//! a date crate. Used by the signer, the emulator's signature check and the
//! credential providers.

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
    // Digit by digit rather than `format!`: every signed request formats one.
    let mut out = String::with_capacity(16);
    for (v, width) in [(y, 4), (m, 2), (d, 2)] {
        push_padded(&mut out, v, width);
    }
    out.push('T');
    for v in [rem / 3600, (rem % 3600) / 60, rem % 60] {
        push_padded(&mut out, v, 2);
    }
    out.push('Z');
    out
}

/// `v` (not negative: the dates here are after 1970) in decimal, with
/// leading zeros up to `width` digits, as `{v:0width$}`.
fn push_padded(out: &mut String, v: i64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut n = v.unsigned_abs();
    let mut start = digits.len();
    while n > 0 {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = start.min(digits.len().saturating_sub(width));
    out.extend(digits[start..].iter().copied().map(char::from));
}

/// Formats as ISO 8601 extended, UTC, whole seconds: `YYYY-MM-DDTHH:MM:SSZ`
/// (the form of `credential_process` output and STS answers).
pub fn format_iso8601(t: SystemTime) -> String {
    let basic = format(t);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &basic[0..4],
        &basic[4..6],
        &basic[6..8],
        &basic[9..11],
        &basic[11..13],
        &basic[13..15]
    )
}

/// Parses ISO 8601 extended UTC times: `YYYY-MM-DDTHH:MM:SS`, optional
/// fractional seconds (dropped), then `Z` or `+00:00`.
pub fn parse_iso8601(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    let body = s.strip_suffix('Z').or_else(|| s.strip_suffix("+00:00"))?;
    let body = body.split_once('.').map_or(
        body,
        |(whole, frac)| {
            if frac.bytes().all(|b| b.is_ascii_digit()) { whole } else { "" }
        },
    );
    let b = body.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    parse(&format!(
        "{}{}{}T{}{}{}Z",
        &body[0..4],
        &body[5..7],
        &body[8..10],
        &body[11..13],
        &body[14..16],
        &body[17..19]
    ))
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
        // Each field as `format!` pads it, years past 9999 included.
        for secs in [0u64, 59, 3_599, 86_399, 951_782_400, 4_102_444_799, 253_402_300_800, 300_000_000_000] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let s = format(t);
            let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).expect("fits"));
            let rem = secs % 86_400;
            let want = format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60);
            assert_eq!(s, want, "{secs}");
        }
        assert!(parse("20151330T123600Z").is_none());
    }

    #[test]
    fn iso8601_extended_round_trips() {
        let t = parse("20150830T123600Z").expect("parses");
        assert_eq!(format_iso8601(t), "2015-08-30T12:36:00Z");
        for s in ["2015-08-30T12:36:00Z", "2015-08-30T12:36:00.123Z", "2015-08-30T12:36:00+00:00"] {
            assert_eq!(parse_iso8601(s), Some(t), "{s}");
        }
        for bad in
            ["2015-08-30 12:36:00Z", "2015-08-30T12:36:00", "2015-08-30T12:36:00.x1Z", "", "2015-13-30T12:36:00Z"]
        {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
