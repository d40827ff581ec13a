//! Numbers as the CLI prints and reads them: thousands separators, amounts of base units as
//! decimals, and spans of time.

/// `1234567` -> `1,234,567`.
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    // A leading group of 1-3 digits, then groups of three (`is_multiple_of` is newer than our MSRV).
    let (head, rest) = digits.split_at(match digits.len() % 3 {
        0 => 3.min(digits.len()),
        n => n,
    });
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    out.push_str(head);
    for group in rest.as_bytes().chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).expect("ASCII digits"));
    }
    out
}

/// `units` base units of a token with `decimals` decimals: thousands separators, and the decimals
/// down to the last non-zero one but at least two (`2,000.00`, `1.2345`, `0.000001`), so nothing is
/// rounded away.
pub fn units(units: u128, decimals: u32) -> String {
    signed_units(false, units, decimals)
}

/// A ratio in parts per million as a percentage, exactly: `500000` -> `50.00 %`, `333334` ->
/// `33.3334 %`.
pub fn ppm_percent(ppm: u64) -> String {
    format!("{} %", units(u128::from(ppm), 4))
}

/// Like [`units`], with a minus sign when `negative` and the amount is not zero.
pub fn signed_units(negative: bool, units: u128, decimals: u32) -> String {
    let one = 10u128.pow(decimals);
    let mut fraction = format!("{:0width$}", units % one, width = decimals as usize);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    // Fewer than two decimals still shows cents.
    while fraction.len() < 2 {
        fraction.push('0');
    }
    let sign = if negative && units > 0 { "-" } else { "" };
    format!("{sign}{}.{fraction}", grouped(units / one))
}

/// Parses `text`, an amount in whole units of a token with `decimals` decimals (`250`, `12.5`,
/// `0.000001`), into base units, exactly: more decimals than the token has is an error, not a
/// rounding. The reason says what to write instead.
pub fn parse_units(text: &str, decimals: u32) -> Result<u128, String> {
    let t = text.trim();
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err("write a number such as 250 or 12.5".into());
    }
    if fraction.len() > decimals as usize {
        return Err(format!("it has more than {decimals} decimals, the most this token has"));
    }
    let too_large = || "it is too large".to_string();
    let one = 10u128.checked_pow(decimals).ok_or_else(too_large)?;
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
    let padded = format!("{fraction:0<width$}", width = decimals as usize);
    let fraction: u128 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| too_large())? };
    whole.checked_mul(one).and_then(|w| w.checked_add(fraction)).ok_or_else(too_large)
}

/// Seconds as the CLI prints a span of time: `20 s`, `15 min`, `12 h`, `365 d`, or mixed (`1 d 6 h`)
/// down to the two largest units, rounded down.
pub fn duration(seconds: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    if seconds == 0 {
        return "0 s".into();
    }
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, name) in UNITS {
        if rest >= size && parts.len() < 2 {
            parts.push(format!("{} {name}", rest / size));
            rest %= size;
        } else if !parts.is_empty() {
            // Only adjacent units: `1 d 6 h`, never `1 d 5 s`.
            break;
        }
    }
    parts.join(" ")
}

/// Parses a span of time: seconds (`90`), or a number with a unit `s`, `m`, `h`, `d` (`20s`,
/// `15m`, `12h`, `90d`).
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if scale > 0 => n.checked_mul(scale).ok_or_else(|| format!("`{t}` is too long a span of time")),
        _ => Err(format!("`{t}` is not a span of time; write seconds, or a number with s, m, h or d (e.g. 90d)")),
    }
}

/// Unix seconds as a UTC date and time: `2026-12-01 14:30:05 UTC`.
pub fn utc(unix: u64) -> String {
    let (days, rest) = (unix / 86_400, unix % 86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rest / 3_600, rest % 3_600 / 60, rest % 60)
}

/// Parses a point in time: unix seconds (`1767225600`), a UTC date (`2026-12-31`, midnight) or a
/// UTC date and time (`2026-12-31T18:00:00Z`, `2026-12-31 18:00:00`, `2026-12-31 18:00`).
pub fn parse_time(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let bad =
        || format!("`{t}` is not a time; write unix seconds or a UTC date such as 2026-12-31 or 2026-12-31T18:00:00Z");
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().map_err(|_| bad());
    }
    let t2 = t.strip_suffix(" UTC").or_else(|| t.strip_suffix('Z')).unwrap_or(t);
    let (date, time) = match t2.split_once(['T', ' ']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t2, None),
    };
    let number = |part: &str, len: std::ops::RangeInclusive<usize>| -> Result<i64, String> {
        if !len.contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let fields: Vec<&str> = date.split('-').collect();
    let [y, m, d] = fields[..] else { return Err(bad()) };
    let (year, month, day) = (number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month[(month - 1) as usize] || year < 1970 {
        return Err(bad());
    }
    let mut seconds = 0;
    if let Some(time) = time {
        let parts: Vec<&str> = time.split(':').collect();
        let (h, mi, s) = match parts[..] {
            [h, mi] => (number(h, 1..=2)?, number(mi, 2..=2)?, 0),
            [h, mi, s] => (number(h, 1..=2)?, number(mi, 2..=2)?, number(s, 2..=2)?),
            _ => return Err(bad()),
        };
        if h > 23 || mi > 59 || s > 59 {
            return Err(bad());
        }
        seconds = h * 3_600 + mi * 60 + s;
    }
    // Days from 1970-01-01 to a civil date (H. Hinnant's algorithm, the inverse of `utc`'s).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok((days * 86_400 + seconds) as u64)
}

/// When `at` is, seen from `now` (unix seconds): `in 20 s`, `5 min ago`, `now`.
pub fn relative(at: u64, now: u64) -> String {
    match at.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", duration(at - now)),
        std::cmp::Ordering::Less => format!("{} ago", duration(now - at)),
        std::cmp::Ordering::Equal => "now".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_in_ppm_print_as_exact_percentages() {
        assert_eq!(ppm_percent(500_000), "50.00 %");
        assert_eq!(ppm_percent(333_334), "33.3334 %");
        assert_eq!(ppm_percent(0), "0.00 %");
        assert_eq!(ppm_percent(2_000_000), "200.00 %");
    }

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(123_456), "123,456");
        assert_eq!(grouped(u128::MAX), "340,282,366,920,938,463,463,374,607,431,768,211,455");
    }

    #[test]
    fn units_keep_every_non_zero_decimal_and_at_least_two() {
        assert_eq!(units(2_000_000_000, 6), "2,000.00");
        assert_eq!(units(1, 6), "0.000001");
        assert_eq!(signed_units(true, 1_234_500, 6), "-1.2345");
        assert_eq!(signed_units(true, 0, 6), "0.00");
        assert_eq!(units(5, 0), "5.00");
    }

    #[test]
    fn amounts_parse_exactly_or_say_why_not() {
        assert_eq!(parse_units("250", 6), Ok(250_000_000));
        assert_eq!(parse_units("12.5", 6), Ok(12_500_000));
        assert_eq!(parse_units("0.000001", 6), Ok(1));
        assert_eq!(parse_units(".5", 2), Ok(50));
        assert_eq!(parse_units("7", 0), Ok(7));
        assert_eq!(parse_units("300", 18), Ok(300 * 10u128.pow(18)));
        assert!(parse_units("0.0000001", 6).unwrap_err().contains("more than 6 decimals"));
        assert!(parse_units("1.5", 0).unwrap_err().contains("more than 0 decimals"));
        for bad in ["", ".", "ten", "1,000", "-5", "1.2.3", "1e6"] {
            assert!(parse_units(bad, 6).unwrap_err().contains("write a number"), "{bad}");
        }
        assert!(parse_units("340282366920938463463374607431768211456", 0).unwrap_err().contains("too large"));
        assert!(parse_units("340282366920938463463374607431768211455", 6).unwrap_err().contains("too large"));
        // What `units` prints parses back, separators aside.
        assert_eq!(parse_units(&units(12_625_000, 6), 6), Ok(12_625_000));
    }

    #[test]
    fn durations_print_two_adjacent_units_and_parse_with_or_without_one() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(20), "20 s");
        assert_eq!(duration(90), "1 min 30 s");
        assert_eq!(duration(3_600), "1 h");
        assert_eq!(duration(86_400 + 6 * 3_600 + 5), "1 d 6 h");
        assert_eq!(duration(86_400 + 5), "1 d");
        assert_eq!(duration(365 * 86_400), "365 d");
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("20s"), Ok(20));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("12h"), Ok(43_200));
        assert_eq!(parse_duration("90d"), Ok(90 * 86_400));
        for bad in ["", "d", "1w", "1.5d", "-3s", "ten"] {
            assert!(parse_duration(bad).unwrap_err().contains("not a span of time"), "{bad}");
        }
        assert!(parse_duration("99999999999999999d").unwrap_err().contains("too long"));
    }

    #[test]
    fn times_print_in_utc_and_relative_to_now() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_764_599_405), "2025-12-01 14:30:05 UTC");
        assert_eq!(relative(120, 100), "in 20 s");
        assert_eq!(relative(100, 400), "5 min ago");
        assert_eq!(relative(7, 7), "now");
    }

    #[test]
    fn times_parse_from_unix_seconds_and_utc_dates() {
        assert_eq!(parse_time("1767225600"), Ok(1_767_225_600));
        assert_eq!(parse_time("2026-01-01"), Ok(1_767_225_600));
        assert_eq!(parse_time("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(parse_time("2025-12-01 14:30:05"), Ok(1_764_599_405));
        assert_eq!(parse_time("2025-12-01 14:30:05 UTC"), Ok(1_764_599_405));
        assert_eq!(parse_time("2025-12-01T14:30"), Ok(1_764_599_400));
        for unix in [0, 951_782_400, 1_764_599_405, 4_102_444_800] {
            let printed = utc(unix);
            assert_eq!(parse_time(&printed), Ok(unix), "{printed}");
        }
        for bad in
            ["", "tomorrow", "2026-13-01", "2026-02-30", "2025-02-29", "2026-1-1x", "2026-01-01T25:00", "1969-12-31"]
        {
            assert!(parse_time(bad).unwrap_err().contains("is not a time"), "{bad}");
        }
    }
}
