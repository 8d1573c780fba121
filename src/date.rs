//! Calendar dates from Unix seconds (UTC), without a clock: tryksag never reads the time of day.
//! The one date helper of the project.
//!
//! This is Howard Hinnant's days-to-civil algorithm rather than the `time` crate: it is total over
//! every `i64` (a `SOURCE_DATE_EPOCH` of any size gives an answer, where `time` stops at the year
//! ±9999 and would need a fallback), it is a dozen lines without a dependency, and a test checks
//! it against `time` over the whole range that crate covers.

/// Year, month, day, hour, minute, second (UTC) of a Unix timestamp.
pub fn civil(epoch: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (secs / 3600) as u32, (secs % 3600 / 60) as u32, (secs % 60) as u32)
}

/// `YYYY-MM-DD`.
pub fn ymd(epoch: i64) -> String {
    let (y, m, d, ..) = civil(epoch);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A calendar date written `YYYY-MM-DD` (as in a run file's `deadline`), if it is one that exists:
/// year, month, day. `2026-02-30` and `2026-13-01` are not.
pub fn parse_ymd(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

/// The Unix timestamp of midnight (UTC) at the start of a calendar date (Howard Hinnant's
/// days-from-civil, the inverse of [`civil`]).
pub fn epoch_of((y, m, d): (i64, u32, u32)) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// A date as Danish prose, `15. december 2026`.
pub fn danish_date((y, m, d): (i64, u32, u32)) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!("{d}. {} {y}", MONTHS[(m.clamp(1, 12) - 1) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_of_is_the_inverse_of_civil() {
        assert_eq!(epoch_of((1970, 1, 1)), 0);
        assert_eq!(epoch_of((2026, 12, 1)), 1_796_083_200);
        for day in (-800_000i64..800_000).step_by(997) {
            let (y, m, d, ..) = civil(day * 86_400);
            assert_eq!(epoch_of((y, m, d)), day * 86_400, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn iso_dates_are_checked_as_real_dates() {
        assert_eq!(parse_ymd("2026-12-15"), Some((2026, 12, 15)));
        assert_eq!(parse_ymd("2028-02-29"), Some((2028, 2, 29)));
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-00-10",
            "2026-1-5",
            "15-12-2026",
            "2026-12-15x",
            "2026-12-15-01",
            "",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
        assert_eq!(danish_date((2026, 3, 1)), "1. marts 2026");
    }

    #[test]
    fn known_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_764_000_000), (2025, 11, 24, 16, 0, 0));
        assert_eq!(ymd(951_782_400), "2000-02-29");
    }

    #[test]
    fn agrees_with_the_time_crate_over_its_whole_range() {
        let (first, last) = (
            time::PrimitiveDateTime::MIN.assume_utc().unix_timestamp(),
            time::PrimitiveDateTime::MAX.assume_utc().unix_timestamp(),
        );
        // Steps that are no multiple of a day, an hour or a minute reach every time of day and
        // every day of the 400-year cycle; the ends and the days around leap days come on top.
        let edges = [first, first + 1, last - 1, last, -1, 0, 1, 951_782_399, 951_868_800, 4_107_542_399];
        let sweep = (0..).map(|i: i64| first + i * 7_919_999).take_while(|e| *e <= last);
        for epoch in sweep.chain(edges) {
            let t = time::OffsetDateTime::from_unix_timestamp(epoch).unwrap();
            let expected = (
                i64::from(t.year()),
                u32::from(u8::from(t.month())),
                u32::from(t.day()),
                u32::from(t.hour()),
                u32::from(t.minute()),
                u32::from(t.second()),
            );
            assert_eq!(civil(epoch), expected, "{epoch}");
        }
        // Beyond it, an answer all the same.
        for epoch in [i64::MIN, i64::MAX] {
            let (_, m, d, h, ..) = civil(epoch);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d) && h < 24, "{epoch}");
        }
    }
}
