//! Numbers as the CLI prints them: thousands separators, and amounts of base units as decimals.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
