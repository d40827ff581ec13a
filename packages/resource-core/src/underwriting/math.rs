//! Exact 256-bit intermediates for `a * b / d` on `u128`, so that prices, pro-rata shares and the
//! reward accumulator are exact for every input instead of overflowing on large products. No
//! dependency: a widening multiply from 64-bit halves and a bit-by-bit long division.

/// The full product `a * b` as `(high, low)` 128-bit halves.
// Each partial product of two 64-bit halves fits in u128; `mid` is at most 3 * (2^64 - 1); the high
// half of the true product (< 2^256) fits in u128, so no addition can overflow.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) const fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & LOW);
    let (b1, b0) = (b >> 64, b & LOW);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
    let low = (p00 & LOW) | (mid << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// `(high * 2^128 + low) / d` and its remainder; `None` if `d == 0` or the quotient needs more than
/// 128 bits (`high >= d`).
// Restoring division: the running remainder stays below `d` after each step; the bit shifted out of
// it (`top`) marks a value of at least 2^128 > d, for which the wrapping subtraction is exact. The
// shift amounts are below 128.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) const fn div_wide(high: u128, low: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 || high >= d {
        return None;
    }
    let (mut rem, mut quot) = (high, 0u128);
    let mut i = 128u32;
    while i > 0 {
        i -= 1;
        let top = rem >> 127;
        rem = (rem << 1) | ((low >> i) & 1);
        quot <<= 1;
        if top == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            quot |= 1;
        }
    }
    Some((quot, rem))
}

/// `floor(a * b / d)` and the remainder, exactly; `None` if `d == 0` or the quotient exceeds `u128`.
pub(crate) const fn mul_div(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    let (high, low) = wide_mul(a, b);
    div_wide(high, low, d)
}

/// `floor(a * b / d)`.
pub(crate) const fn mul_div_floor(a: u128, b: u128, d: u128) -> Option<u128> {
    match mul_div(a, b, d) {
        Some((q, _)) => Some(q),
        None => None,
    }
}

/// `ceil(a * b / d)`.
pub(crate) const fn mul_div_ceil(a: u128, b: u128, d: u128) -> Option<u128> {
    match mul_div(a, b, d) {
        Some((q, 0)) => Some(q),
        Some((q, _)) => q.checked_add(1),
        None => None,
    }
}

/// Whether `a * b <= c * d`, exactly.
pub(crate) const fn mul_le(a: u128, b: u128, c: u128, d: u128) -> bool {
    let (h1, l1) = wide_mul(a, b);
    let (h2, l2) = wide_mul(c, d);
    h1 < h2 || (h1 == h2 && l1 <= l2)
}

/// `(high, low) + x` as 256 bits; `None` past 2^256.
pub(crate) const fn wide_add(high: u128, low: u128, x: u128) -> Option<(u128, u128)> {
    let (low, carry) = low.overflowing_add(x);
    if carry {
        match high.checked_add(1) {
            Some(high) => Some((high, low)),
            None => None,
        }
    } else {
        Some((high, low))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edges() {
        assert_eq!(wide_mul(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
        assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX), Some((u128::MAX, 0)));
        assert_eq!(mul_div(u128::MAX, 2, 2), Some((u128::MAX, 0)));
        assert_eq!(mul_div(u128::MAX, 2, 1), None);
        assert_eq!(mul_div(1, 1, 0), None);
        assert_eq!(mul_div(7, 3, 2), Some((10, 1)));
        assert_eq!(mul_div_ceil(7, 3, 2), Some(11));
        assert_eq!(mul_div_ceil(u128::MAX, 1, 1), Some(u128::MAX));
        assert!(mul_le(u128::MAX, 2, 2, u128::MAX) && !mul_le(u128::MAX, 3, 2, u128::MAX));
        assert_eq!(wide_add(0, u128::MAX, 1), Some((1, 0)));
        assert_eq!(wide_add(u128::MAX, u128::MAX, 1), None);
    }

    proptest! {
        #[test]
        fn matches_u128_when_it_fits(a in any::<u64>(), b in any::<u64>(), d in 1u128..) {
            let p = u128::from(a) * u128::from(b);
            prop_assert_eq!(wide_mul(u128::from(a), u128::from(b)), (0, p));
            prop_assert_eq!(mul_div(u128::from(a), u128::from(b), d), Some((p / d, p % d)));
        }

        #[test]
        fn quotient_and_remainder_recompose(a in any::<u128>(), b in any::<u128>(), d in 1u128..) {
            if let Some((q, r)) = mul_div(a, b, d) {
                prop_assert!(r < d);
                let (h, l) = wide_mul(q, d);
                prop_assert_eq!(wide_add(h, l, r), Some(wide_mul(a, b)));
            } else {
                prop_assert!(wide_mul(a, b).0 >= d);
            }
        }
    }
}
