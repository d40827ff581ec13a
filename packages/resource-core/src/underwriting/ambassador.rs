//! Ambassadors, ReSource's form of vouching for onboarding: an ambassador brings members in, earns a
//! share of the base fees they pay ([`compensate`]) and, when one of them defaults, takes on part of
//! the loss as a penalty ([`take_default_penalty`]), which its later compensation services at a rate.
//!
//! Rates are parts per million ([`AMBASSADOR_RATE_SCALE`]), each at most 100 %. Rounding never
//! favours the ambassador: compensation is rounded down, a penalty and its servicing up (servicing
//! never above what was earned nor what is owed).
//!
//! Done better than the reference: a compensation services `min(owed, compensation * service_rate)`
//! of the penalty; the reference took the larger of the two, so a small debt was "serviced" by more
//! than the compensation could pay and the subtraction underflowed.

use super::math::{mul_div_ceil, mul_div_floor};

/// Parts per million in 100 %.
pub const AMBASSADOR_RATE_SCALE: u64 = 1_000_000;

/// Why an ambassador operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AmbassadorError {
    /// A rate above 100 %.
    #[error("the {which} rate of {ppm} parts per million is above 1000000 (100 %); give at most 1000000")]
    RateTooHigh {
        /// Which rate: `compensation`, `default penalty` or `penalty service`.
        which: &'static str,
        /// The rejected rate.
        ppm: u64,
    },
    /// A balance would leave the supported range.
    #[error("an ambassador balance would leave the supported range (at most 2^128 - 1 base units)")]
    Overflow,
}

/// A network's ambassador rates, in parts per million.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AmbassadorRates {
    /// The ambassador's share of its members' base fees.
    pub compensation: u64,
    /// The share of a defaulted member's debt its ambassador takes on.
    pub default_penalty: u64,
    /// The share of each compensation that services an outstanding penalty.
    pub penalty_service: u64,
}

impl AmbassadorRates {
    /// Errors: [`RateTooHigh`](AmbassadorError::RateTooHigh).
    pub const fn check(&self) -> Result<(), AmbassadorError> {
        if self.compensation > AMBASSADOR_RATE_SCALE {
            return Err(AmbassadorError::RateTooHigh { which: "compensation", ppm: self.compensation });
        }
        if self.default_penalty > AMBASSADOR_RATE_SCALE {
            return Err(AmbassadorError::RateTooHigh { which: "default penalty", ppm: self.default_penalty });
        }
        if self.penalty_service > AMBASSADOR_RATE_SCALE {
            return Err(AmbassadorError::RateTooHigh { which: "penalty service", ppm: self.penalty_service });
        }
        Ok(())
    }
}

/// An ambassador's books.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AmbassadorAccount {
    /// Compensation earned and not yet paid out.
    pub compensation: u128,
    /// Penalties taken on for defaulted members, not yet serviced.
    pub penalty_debt: u128,
}

/// What one compensation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Compensation {
    /// The ambassador's share of the base fee.
    pub earned: u128,
    /// The part of it that serviced the penalty debt.
    pub serviced: u128,
    /// The part credited to its compensation (`earned - serviced`).
    pub credited: u128,
}

/// `rate` ppm of `amount`, rounded down.
fn share_floor(amount: u128, rate: u64) -> Result<u128, AmbassadorError> {
    mul_div_floor(amount, u128::from(rate), u128::from(AMBASSADOR_RATE_SCALE)).ok_or(AmbassadorError::Overflow)
}

/// `rate` ppm of `amount`, rounded up.
fn share_ceil(amount: u128, rate: u64) -> Result<u128, AmbassadorError> {
    mul_div_ceil(amount, u128::from(rate), u128::from(AMBASSADOR_RATE_SCALE)).ok_or(AmbassadorError::Overflow)
}

/// The ambassador of a member that paid `base_fee` is compensated: it earns the compensation rate of
/// the fee; while it owes a penalty, the service rate of that (rounded up, at most what it owes)
/// services the penalty and the rest is credited.
///
/// Errors: [`RateTooHigh`](AmbassadorError::RateTooHigh), [`Overflow`](AmbassadorError::Overflow).
pub fn compensate(
    account: &AmbassadorAccount,
    rates: &AmbassadorRates,
    base_fee: u128,
) -> Result<(AmbassadorAccount, Compensation), AmbassadorError> {
    rates.check()?;
    let earned = share_floor(base_fee, rates.compensation)?;
    let serviced = share_ceil(earned, rates.penalty_service)?.min(earned).min(account.penalty_debt);
    let credited = earned.saturating_sub(serviced);
    let account = AmbassadorAccount {
        compensation: account.compensation.checked_add(credited).ok_or(AmbassadorError::Overflow)?,
        penalty_debt: account.penalty_debt.saturating_sub(serviced),
    };
    Ok((account, Compensation { earned, serviced, credited }))
}

/// The ambassador of a member that defaulted on `debt` takes on the default penalty rate of it
/// (rounded up) as penalty debt; returns the account and the penalty.
///
/// Errors: [`RateTooHigh`](AmbassadorError::RateTooHigh), [`Overflow`](AmbassadorError::Overflow).
pub fn take_default_penalty(
    account: &AmbassadorAccount,
    rates: &AmbassadorRates,
    debt: u128,
) -> Result<(AmbassadorAccount, u128), AmbassadorError> {
    rates.check()?;
    let penalty = share_ceil(debt, rates.default_penalty)?;
    let penalty_debt = account.penalty_debt.checked_add(penalty).ok_or(AmbassadorError::Overflow)?;
    Ok((AmbassadorAccount { penalty_debt, ..*account }, penalty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference suite's rates: 30 % compensation, 5 % default penalty, 50 % service.
    const RATES: AmbassadorRates =
        AmbassadorRates { compensation: 300_000, default_penalty: 50_000, penalty_service: 500_000 };

    #[test]
    fn compensate() {
        let (a, c) = super::compensate(&AmbassadorAccount::default(), &RATES, 5_000).unwrap();
        assert_eq!(c, Compensation { earned: 1_500, serviced: 0, credited: 1_500 });
        assert_eq!(a, AmbassadorAccount { compensation: 1_500, penalty_debt: 0 });
        // Rounded down: 30 % of 3 is 0.9.
        assert_eq!(super::compensate(&a, &RATES, 3).unwrap().1.earned, 0);
    }

    #[test]
    fn default_penalty_rate() {
        let (a, penalty) = take_default_penalty(&AmbassadorAccount::default(), &RATES, 100_000).unwrap();
        assert_eq!((penalty, a.penalty_debt), (5_000, 5_000));
        assert_eq!(take_default_penalty(&a, &RATES, 1).unwrap().1, 1, "rounded up");
    }

    #[test]
    fn penalty_service_rate() {
        // Owes 5,000; a compensation of 9,000 (30 % of 30,000) services 50 % of it: 4,500.
        let owing = AmbassadorAccount { compensation: 0, penalty_debt: 5_000 };
        let (a, c) = super::compensate(&owing, &RATES, 30_000).unwrap();
        assert_eq!(c, Compensation { earned: 9_000, serviced: 4_500, credited: 4_500 });
        assert_eq!(a, AmbassadorAccount { compensation: 4_500, penalty_debt: 500 });
        // Owing less than the service share: only what is owed (the reference took the larger).
        let (a, c) = super::compensate(&a, &RATES, 30_000).unwrap();
        assert_eq!((c.serviced, c.credited, a.penalty_debt), (500, 8_500, 0));
    }

    #[test]
    fn rates_above_100_percent_are_refused() {
        let bad = AmbassadorRates { penalty_service: 1_000_001, ..RATES };
        let refused = AmbassadorError::RateTooHigh { which: "penalty service", ppm: 1_000_001 };
        assert_eq!(super::compensate(&AmbassadorAccount::default(), &bad, 1), Err(refused));
        assert_eq!(take_default_penalty(&AmbassadorAccount::default(), &bad, 1), Err(refused));
    }

    proptest! {
        /// Every compensation splits exactly into serviced and credited, services at most what is
        /// owed and what the service rate allows (rounded up), and the penalty debt only falls by
        /// what was serviced.
        #[test]
        fn compensation_is_conserved(
            compensation in 0u128..1_000_000, penalty_debt in 0u128..1_000_000, base_fee in 0u128..10_000_000,
            c in 0u64..=1_000_000, s in 0u64..=1_000_000,
        ) {
            let rates = AmbassadorRates { compensation: c, default_penalty: 0, penalty_service: s };
            let before = AmbassadorAccount { compensation, penalty_debt };
            let (after, r) = super::compensate(&before, &rates, base_fee).unwrap();
            prop_assert_eq!(r.serviced + r.credited, r.earned);
            prop_assert!(r.earned <= base_fee);
            prop_assert!(r.serviced <= penalty_debt);
            prop_assert!(r.serviced <= share_ceil(r.earned, s).unwrap());
            prop_assert_eq!(after.penalty_debt, penalty_debt - r.serviced);
            prop_assert_eq!(after.compensation, compensation + r.credited);
        }
    }
}
