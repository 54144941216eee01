//! UTC timestamps for output headers (TMX `creationdate`, XLIFF `date`),
//! without a date-time dependency: seconds since the Unix epoch, converted
//! with the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
//!
//! Outputs are reproducible when the time comes from `--creation-date` or
//! `SOURCE_DATE_EPOCH` ([`Timestamp::parse`], [`Timestamp::from_epoch_str`]);
//! only without either does the caller fall back to [`Timestamp::now`].

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest time that formats with a 4-digit year: 9999-12-31T23:59:59Z.
const MAX_SECONDS: u64 = 253_402_300_799;

/// A UTC time, to the second, between 1970-01-01T00:00:00Z and
/// 9999-12-31T23:59:59Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

/// Why a timestamp text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimestampError {}

/// A calendar date and time of day, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// The year, 1970–9999.
    pub year: u32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
    /// Hours, 0–23.
    pub hour: u32,
    /// Minutes, 0–59.
    pub minute: u32,
    /// Seconds, 0–59.
    pub second: u32,
}

impl Timestamp {
    /// A time from seconds since 1970-01-01T00:00:00Z; `None` after year 9999.
    pub fn from_unix(seconds: u64) -> Option<Self> {
        (seconds <= MAX_SECONDS).then_some(Self(seconds))
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> u64 {
        self.0
    }

    /// The current time of the system clock (the epoch if the clock is set before it).
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self(secs.min(MAX_SECONDS))
    }

    /// Reads a `SOURCE_DATE_EPOCH` value: decimal seconds since the epoch.
    ///
    /// ```
    /// use tmex::export::date::Timestamp;
    /// assert_eq!(Timestamp::from_epoch_str("86400").unwrap().tmx(), "19700102T000000Z");
    /// assert!(Timestamp::from_epoch_str("yesterday").is_err());
    /// ```
    pub fn from_epoch_str(s: &str) -> Result<Self, TimestampError> {
        let t = s.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TimestampError(format!(
                "`{s}` is not a number of seconds since 1970-01-01T00:00:00Z"
            )));
        }
        t.parse::<u64>()
            .ok()
            .and_then(Self::from_unix)
            .ok_or_else(|| TimestampError(format!("`{s}` is after the year 9999")))
    }

    /// Reads a `--creation-date`: `YYYYMMDDThhmmssZ` (TMX), `YYYY-MM-DDThh:mm:ssZ`
    /// (RFC 3339 in UTC), `YYYY-MM-DD` (midnight UTC) or `@SECONDS` since the epoch.
    ///
    /// ```
    /// use tmex::export::date::Timestamp;
    /// let t = Timestamp::parse("2021-07-11T08:30:00Z").unwrap();
    /// assert_eq!(t, Timestamp::parse("20210711T083000Z").unwrap());
    /// assert_eq!(t.iso8601(), "2021-07-11T08:30:00Z");
    /// assert_eq!(Timestamp::parse("2021-07-11").unwrap().tmx(), "20210711T000000Z");
    /// assert_eq!(Timestamp::parse("@0").unwrap().tmx(), "19700101T000000Z");
    /// assert!(Timestamp::parse("2021-02-30").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, TimestampError> {
        let bad = || {
            TimestampError(format!(
                "`{s}` is not a date: use YYYYMMDDThhmmssZ, YYYY-MM-DDThh:mm:ssZ, YYYY-MM-DD or @SECONDS (UTC)"
            ))
        };
        let t = s.trim();
        if let Some(secs) = t.strip_prefix('@') {
            return Self::from_epoch_str(secs);
        }
        let b = t.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        let civil = match b.len() {
            // 20210711T083000Z
            16 if at(8, b'T') && at(15, b'Z') => Civil {
                year: num(0..4).ok_or_else(bad)?,
                month: num(4..6).ok_or_else(bad)?,
                day: num(6..8).ok_or_else(bad)?,
                hour: num(9..11).ok_or_else(bad)?,
                minute: num(11..13).ok_or_else(bad)?,
                second: num(13..15).ok_or_else(bad)?,
            },
            // 2021-07-11T08:30:00Z
            20 if at(4, b'-')
                && at(7, b'-')
                && (at(10, b'T') || at(10, b't'))
                && at(13, b':')
                && at(16, b':')
                && (at(19, b'Z') || at(19, b'z')) =>
            {
                Civil {
                    year: num(0..4).ok_or_else(bad)?,
                    month: num(5..7).ok_or_else(bad)?,
                    day: num(8..10).ok_or_else(bad)?,
                    hour: num(11..13).ok_or_else(bad)?,
                    minute: num(14..16).ok_or_else(bad)?,
                    second: num(17..19).ok_or_else(bad)?,
                }
            }
            // 2021-07-11
            10 if at(4, b'-') && at(7, b'-') => Civil {
                year: num(0..4).ok_or_else(bad)?,
                month: num(5..7).ok_or_else(bad)?,
                day: num(8..10).ok_or_else(bad)?,
                hour: 0,
                minute: 0,
                second: 0,
            },
            _ => return Err(bad()),
        };
        Self::from_civil(civil).ok_or_else(bad)
    }

    /// The date of a document's `ms.date` front matter, at midnight UTC:
    /// `MM/DD/YYYY` with one- or two-digit month and day (the form
    /// Microsoft's contributor guide asks for, and the only one in the
    /// localized repositories: `07/09/2021`, `7/9/2021`), or any form of
    /// [`Timestamp::parse`] but `@SECONDS` (`2021-07-09`). `None` for
    /// anything else or an impossible date.
    ///
    /// ```
    /// use tmex::export::date::Timestamp;
    /// assert_eq!(Timestamp::from_ms_date("07/09/2021").unwrap().tmx(), "20210709T000000Z");
    /// assert_eq!(Timestamp::from_ms_date("7/9/2021").unwrap().tmx(), "20210709T000000Z");
    /// assert_eq!(Timestamp::from_ms_date("2021-07-09").unwrap().tmx(), "20210709T000000Z");
    /// assert_eq!(Timestamp::from_ms_date("13/01/2021"), None);
    /// assert_eq!(Timestamp::from_ms_date("02/30/2021"), None);
    /// assert_eq!(Timestamp::from_ms_date("@0"), None);
    /// assert_eq!(Timestamp::from_ms_date("July 9, 2021"), None);
    /// ```
    pub fn from_ms_date(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.starts_with('@') {
            return None;
        }
        let parts: Vec<&str> = s.split('/').collect();
        let [m, d, y] = parts.as_slice() else {
            return Self::parse(s).ok();
        };
        let num = |p: &str, max_len: usize| -> Option<u32> {
            (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        if y.len() != 4 {
            return None;
        }
        Self::from_civil(Civil {
            year: num(y, 4)?,
            month: num(m, 2)?,
            day: num(d, 2)?,
            hour: 0,
            minute: 0,
            second: 0,
        })
    }

    /// The time of a calendar date; `None` when a field is out of range
    /// (month 13, February 30, hour 24, a year before 1970).
    pub fn from_civil(c: Civil) -> Option<Self> {
        if c.year < 1970
            || c.year > 9999
            || c.month == 0
            || c.month > 12
            || c.hour > 23
            || c.minute > 59
            || c.second > 59
        {
            return None;
        }
        if c.day == 0 || c.day > days_in_month(c.year, c.month) {
            return None;
        }
        let days = days_from_civil(i64::from(c.year), c.month, c.day);
        let secs = days * 86_400 + i64::from(c.hour * 3600 + c.minute * 60 + c.second);
        u64::try_from(secs).ok().and_then(Self::from_unix)
    }

    /// The calendar date and time of day.
    pub fn civil(self) -> Civil {
        // `self.0 <= MAX_SECONDS`, so these conversions cannot overflow.
        let days = (self.0 / 86_400) as i64;
        let rem = (self.0 % 86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year: year as u32,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// TMX's `YYYYMMDDThhmmssZ`, e.g. `20210711T083000Z`.
    pub fn tmx(self) -> String {
        let c = self.civil();
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// ISO 8601 / `xsd:dateTime` in UTC, e.g. `2021-07-11T08:30:00Z`.
    pub fn iso8601(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

fn is_leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(Timestamp(0).tmx(), "19700101T000000Z");
        // 2000-02-29 (a leap day in a year divisible by 400).
        assert_eq!(Timestamp(951_782_400).iso8601(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(1_625_992_200).tmx(), "20210711T083000Z");
        assert_eq!(Timestamp(MAX_SECONDS).iso8601(), "9999-12-31T23:59:59Z");
        assert_eq!(Timestamp::from_unix(MAX_SECONDS + 1), None);
    }

    #[test]
    fn civil_round_trip_every_day() {
        // Every day from 1970 to 2400 converts to a date and back.
        for day in 0..(430 * 366) {
            let t = Timestamp(day * 86_400 + 3_661);
            let c = t.civil();
            assert_eq!(Timestamp::from_civil(c), Some(t), "{c:?}");
        }
    }

    #[test]
    fn parse_rejects_bad_dates() {
        for s in [
            "",
            "2021",
            "2021-13-01",
            "2021-02-29",
            "20210711T240000Z",
            "1969-12-31",
            "2021-07-11T08:30:00+02:00",
            "@-1",
            "@x",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
        assert!(Timestamp::parse("2024-02-29").is_ok());
    }
}
