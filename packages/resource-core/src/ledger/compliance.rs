//! Compliance with a credit period's terms by **income-to-debt** (ITD), as ReSource's credit issuer
//! judges it: the income a member received during the period, divided by its debt.
//!
//! A member is **compliant** ([`is_compliant`]) when any of these holds:
//! - it owes nothing (balance `>= 0`);
//! - it has **rebalanced**: one incoming payment during the period covered its whole debt at the time
//!   ([`PeriodIncome::rebalanced`]);
//! - its ITD is at least its minimum ([`MinItd`]): `income / debt >= min_itd`.
//!
//! Ratios are in parts per million ([`ITD_SCALE`]: `1_000_000` is 100 %), compared exactly
//! (`income * 1e6 >= min_itd * debt` with 256-bit products), so no rounding can make a member
//! compliant or not.
//!
//! # Needed income
//! [`needed_income`] is the smallest income `x` that makes an incompliant member compliant. Income
//! received also pays down the debt, so `x` must satisfy `(I + x) / (D - x) >= m`, that is
//! `x >= (m·D − I) / (1 + m)` with `m` the minimum as a fraction, `I` the period's income and `D` the
//! debt; the answer is that bound rounded **up**, `ceil((m_ppm·D − I·1e6) / (1e6 + m_ppm))`, and 0 for
//! a compliant member. The reference adds 1 to the rounded-down bound, which asks for one unit too
//! many whenever the bound is a whole number; here `x − 1` is always not enough (a property test
//! checks both sides).

use crate::underwriting::math::{div_wide, wide_mul};

/// Parts per million in 100 %: an ITD or minimum of `ITD_SCALE` means income equal to the debt.
pub const ITD_SCALE: u128 = 1_000_000;

/// A member's minimum income-to-debt ratio for its credit period, in parts per million
/// ([`ITD_SCALE`]); set by the underwriting decision. 0 makes every member with a line compliant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct MinItd(pub u64);

impl MinItd {
    /// The minimum in parts per million.
    pub const fn ppm(self) -> u128 {
        self.0 as u128
    }
}

/// What a credit period has recorded of the member's income so far; reset when a period renews.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PeriodIncome {
    /// Everything the member received during the period (payments, and repayments in the reserve
    /// asset), in the token's smallest unit; saturates at `u128::MAX`.
    pub income: u128,
    /// One incoming payment during the period covered the member's whole debt at the time.
    pub rebalanced: bool,
}

impl PeriodIncome {
    /// A new period: no income, not rebalanced.
    pub const NONE: PeriodIncome = PeriodIncome { income: 0, rebalanced: false };

    /// The record after the member, owing `debt_before`, receives `amount`: the income grows by
    /// `amount`, and a payment that covers a positive debt in full rebalances the period.
    pub const fn after_receiving(self, debt_before: u128, amount: u128) -> PeriodIncome {
        PeriodIncome {
            income: self.income.saturating_add(amount),
            rebalanced: self.rebalanced || (debt_before > 0 && amount >= debt_before),
        }
    }
}

/// A member's income-to-debt ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Itd {
    /// No debt: the ratio is undefined, and the member is compliant whatever its income.
    NoDebt,
    /// `income * 1e6 / debt`, rounded down, in parts per million (saturating at `u128::MAX`).
    Ppm(u128),
}

/// The ITD of a member owing `debt` with `income` received this period.
pub const fn itd_of(income: u128, debt: u128) -> Itd {
    if debt == 0 {
        return Itd::NoDebt;
    }
    let (high, low) = wide_mul(income, ITD_SCALE);
    match div_wide(high, low, debt) {
        Some((ppm, _)) => Itd::Ppm(ppm),
        None => Itd::Ppm(u128::MAX),
    }
}

/// Whether `income` against `debt` meets `min_itd`: `income * 1e6 >= min_itd * debt`, exactly.
/// No debt always does.
pub fn has_valid_itd(income: u128, debt: u128, min_itd: MinItd) -> bool {
    debt == 0 || wide_mul(income, ITD_SCALE) >= wide_mul(min_itd.ppm(), debt)
}

/// Whether a member with `balance` and this period's `period` record complies with `min_itd` (see
/// the module docs).
pub fn is_compliant(balance: i128, period: PeriodIncome, min_itd: MinItd) -> bool {
    let debt = if balance < 0 { balance.unsigned_abs() } else { 0 };
    debt == 0 || period.rebalanced || has_valid_itd(period.income, debt, min_itd)
}

/// The smallest further income that makes the member compliant (0 if it already is); see the module
/// docs for the formula. Never more than the debt, which that much income would repay.
pub fn needed_income(balance: i128, period: PeriodIncome, min_itd: MinItd) -> u128 {
    if is_compliant(balance, period, min_itd) {
        return 0;
    }
    let debt = balance.unsigned_abs();
    // Not compliant, so min_itd * debt > income * 1e6 and the subtraction below does not wrap.
    let (required_high, required_low) = wide_mul(min_itd.ppm(), debt);
    let (held_high, held_low) = wide_mul(period.income, ITD_SCALE);
    let (low, borrow) = required_low.overflowing_sub(held_low);
    let high = required_high.wrapping_sub(held_high).wrapping_sub(borrow as u128);
    // min_itd fits u64, so the divisor is positive and the quotient (< debt) fits u128.
    let divisor = ITD_SCALE.saturating_add(min_itd.ppm());
    match div_wide(high, low, divisor) {
        Some((quotient, 0)) => quotient.min(debt),
        Some((quotient, _)) => quotient.saturating_add(1).min(debt),
        None => debt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HALF: MinItd = MinItd(500_000);

    #[test]
    fn has_rebalanced() {
        let period = PeriodIncome::NONE.after_receiving(100, 99);
        assert!(!period.rebalanced, "a payment short of the whole debt is not a rebalance");
        let period = period.after_receiving(1, 1);
        assert!(period.rebalanced, "one payment covering the whole debt at the time is");
        assert_eq!(period.income, 100);
        assert!(!PeriodIncome::NONE.after_receiving(0, 50).rebalanced, "no debt: nothing to rebalance");
        assert!(is_compliant(-1_000, PeriodIncome { income: 0, rebalanced: true }, MinItd(u64::MAX)));
    }

    #[test]
    fn itd_of_income_against_debt() {
        assert_eq!(itd_of(0, 100), Itd::Ppm(0), "no income");
        assert_eq!(itd_of(50, 100), Itd::Ppm(500_000));
        assert_eq!(itd_of(1, 3), Itd::Ppm(333_333), "rounded down");
        assert_eq!(itd_of(300, 100), Itd::Ppm(3_000_000), "above 100 %");
        assert_eq!(itd_of(10, 0), Itd::NoDebt, "no debt: undefined, not a division by zero");
        assert_eq!(itd_of(u128::MAX, 1), Itd::Ppm(u128::MAX), "saturates");
    }

    #[test]
    fn has_valid_itd_at_and_above_the_minimum() {
        assert!(has_valid_itd(50, 100, HALF), "exactly the minimum");
        assert!(has_valid_itd(51, 100, HALF));
        assert!(has_valid_itd(0, 0, HALF), "no debt");
        assert!(is_compliant(0, PeriodIncome::NONE, HALF));
        assert!(is_compliant(-100, PeriodIncome { income: 50, rebalanced: false }, HALF));
    }

    #[test]
    fn has_invalid_itd_below_the_minimum() {
        assert!(!has_valid_itd(49, 100, HALF));
        // 1/3 is 333_333.33 ppm: a minimum of 333_334 is not met, although rounding the ratio up would.
        assert!(!has_valid_itd(1, 3, MinItd(333_334)));
        assert!(!is_compliant(-100, PeriodIncome { income: 49, rebalanced: false }, HALF));
        let max = i128::MAX;
        assert!(!is_compliant(-max, PeriodIncome { income: u128::MAX, rebalanced: false }, MinItd(u64::MAX)));
    }

    #[test]
    fn needed_income_examples() {
        // Owing 100 at 50 %: x >= (50 - 0) / 1.5 = 33.3, so 34 (then 34 / 66 >= 0.5; 33 / 67 is not).
        assert_eq!(needed_income(-100, PeriodIncome::NONE, HALF), 34);
        // A whole bound is not rounded past: owing 150 at 50 %, 50 makes 50 / 100 exactly 50 %.
        assert_eq!(needed_income(-150, PeriodIncome::NONE, HALF), 50);
        assert_eq!(needed_income(-150, PeriodIncome { income: 20, rebalanced: false }, HALF), 37);
        assert_eq!(needed_income(-100, PeriodIncome { income: 50, rebalanced: false }, HALF), 0, "compliant");
        assert_eq!(needed_income(25, PeriodIncome::NONE, HALF), 0, "no debt");
        let max = i128::MAX;
        let needed = needed_income(-max, PeriodIncome::NONE, MinItd(u64::MAX));
        assert!(needed <= max.unsigned_abs(), "never more than the debt, even at extreme minimums");
    }

    fn member() -> impl Strategy<Value = (u128, u128, u64)> {
        let debt = prop_oneof![1u128..1_000_000, 1u128..=i128::MAX as u128];
        let income = prop_oneof![0u128..1_000_000, 0u128..=i128::MAX as u128];
        let min_itd = prop_oneof![0u64..5_000_000, any::<u64>()];
        (debt, income, min_itd)
    }

    proptest! {
        /// Receiving the needed income (which also repays that much debt) makes the member compliant,
        /// and one unit less does not: the answer is exact, never an over-ask.
        #[test]
        fn needed_income_is_the_smallest_that_complies((debt, income, min_itd) in member()) {
            let min_itd = MinItd(min_itd);
            let balance = -(debt as i128);
            let period = PeriodIncome { income, rebalanced: false };
            let needed = needed_income(balance, period, min_itd);
            prop_assert!(needed <= debt);
            let after = |x: u128| (debt - x, income.saturating_add(x));
            let (debt_after, income_after) = after(needed);
            prop_assert!(has_valid_itd(income_after, debt_after, min_itd));
            if needed > 0 {
                let (debt_short, income_short) = after(needed - 1);
                prop_assert!(!has_valid_itd(income_short, debt_short, min_itd));
            } else {
                prop_assert!(is_compliant(balance, period, min_itd));
            }
        }

        /// The exact comparison agrees with the ratio: a valid ITD has a ratio at or above the minimum,
        /// and a ratio strictly above it is valid.
        #[test]
        fn has_valid_itd_agrees_with_itd_of((debt, income, min_itd) in member()) {
            let min_itd = MinItd(min_itd);
            let Itd::Ppm(ppm) = itd_of(income, debt) else { unreachable!("debt > 0") };
            if has_valid_itd(income, debt, min_itd) {
                prop_assert!(ppm >= min_itd.ppm());
            }
            if ppm > min_itd.ppm() {
                prop_assert!(has_valid_itd(income, debt, min_itd));
            }
        }
    }
}
