//! The approval rules: coverage at a configured price, distinct underwriters, maximum share.
//!
//! An open application is approvable exactly when all three hold (checked in this order, the first
//! that fails is the error):
//! 1. **Coverage**: total backing `>= ceil(amount * collateral_ratio_bps / 10_000 * price)`, the price
//!    being `numerator / denominator` stake units per credit unit ([`BackingRules::required_backing`]).
//!    Rounded up so a line is never under-covered by a fraction of a unit.
//! 2. **Distinct underwriters**: at least `min_underwriters` distinct **identities** back it.
//! 3. **Maximum share**: no identity holds more than `max_share_bps` of the total backing
//!    (`identity_backing * 10_000 <= total * max_share_bps`, exactly).
//!
//! The identity of an account is the key the caller supplies with it (for example its DID
//! controller): two addresses with the same identity are **one** underwriter for rules 2 and 3. The
//! other collusion rules (nobody backs itself, a voucher cannot back whom it vouched for) are checked
//! when backing is added ([`back`](super::back)), so such backing never exists.

use super::math::{mul_div_ceil, mul_le};
use super::{Application, UnderwritingError};

/// Basis points in 100 %.
pub const BPS: u128 = 10_000;

/// A price in stake units per credit unit: `numerator / denominator` (both above 0).
///
/// For example a stake asset worth 2 credit units each is `Price { numerator: 1, denominator: 2 }`;
/// with 6-decimal credit and an 18-decimal stake asset at par it is `10^12 / 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Price {
    /// Stake units ...
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub numerator: u128,
    /// ... per this many credit units.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub denominator: u128,
}

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

impl Price {
    /// One stake unit per credit unit.
    pub const PAR: Price = Price { numerator: 1, denominator: 1 };

    /// Errors: [`InvalidPrice`](UnderwritingError::InvalidPrice) for a zero term.
    pub const fn check(&self) -> Result<(), UnderwritingError> {
        if self.numerator == 0 || self.denominator == 0 {
            return Err(UnderwritingError::InvalidPrice);
        }
        Ok(())
    }

    /// The value of `credit` credit units in stake units, rounded **down** (used for a loss, so a
    /// slash never exceeds it).
    pub fn stake_value_floor(&self, credit: u128) -> Result<u128, UnderwritingError> {
        self.check()?;
        super::math::mul_div_floor(credit, self.numerator, self.denominator).ok_or(UnderwritingError::Overflow)
    }
}

/// A network's approval rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BackingRules {
    /// Backing required per credit unit, in basis points of its value (15 000 = 150 %).
    pub collateral_ratio_bps: u32,
    /// The price the backing is valued at.
    pub price: Price,
    /// Distinct identities that must back an application.
    pub min_underwriters: u32,
    /// The largest share of an application's backing one identity may hold, in basis points.
    pub max_share_bps: u16,
}

impl BackingRules {
    /// Checks the configuration.
    ///
    /// Errors: [`InvalidPrice`](UnderwritingError::InvalidPrice),
    /// [`ZeroCollateralRatio`](UnderwritingError::ZeroCollateralRatio),
    /// [`ZeroMinUnderwriters`](UnderwritingError::ZeroMinUnderwriters),
    /// [`InvalidMaxShare`](UnderwritingError::InvalidMaxShare) (outside `1..=10_000`),
    /// [`Overflow`](UnderwritingError::Overflow) (`ratio * numerator` or `10_000 * denominator`
    /// beyond `u128`: reduce the fraction).
    pub fn check(&self) -> Result<(), UnderwritingError> {
        self.price.check()?;
        if self.collateral_ratio_bps == 0 {
            return Err(UnderwritingError::ZeroCollateralRatio);
        }
        if self.min_underwriters == 0 {
            return Err(UnderwritingError::ZeroMinUnderwriters);
        }
        if self.max_share_bps == 0 || u128::from(self.max_share_bps) > BPS {
            return Err(UnderwritingError::InvalidMaxShare { bps: self.max_share_bps });
        }
        self.factor().map(|_| ())
    }

    /// `(collateral_ratio_bps * numerator, 10_000 * denominator)`: stake units required per credit
    /// unit as one fraction.
    fn factor(&self) -> Result<(u128, u128), UnderwritingError> {
        let num = self.price.numerator.checked_mul(u128::from(self.collateral_ratio_bps));
        let den = self.price.denominator.checked_mul(BPS);
        num.zip(den).ok_or(UnderwritingError::Overflow)
    }

    /// The backing a line of `amount` credit units needs: `ceil(amount * ratio / 10_000 * price)`,
    /// in stake units.
    ///
    /// ```
    /// use resource_core::underwriting::{BackingRules, Price};
    /// // 150 % of 1 000 credit units, one stake unit worth 4 credit units: 375 stake units.
    /// let rules = BackingRules {
    ///     collateral_ratio_bps: 15_000,
    ///     price: Price { numerator: 1, denominator: 4 },
    ///     min_underwriters: 3,
    ///     max_share_bps: 5_000,
    /// };
    /// assert_eq!(rules.required_backing(1_000), Ok(375));
    /// assert_eq!(rules.required_backing(1_001), Ok(376)); // 375.375 rounded up
    /// ```
    pub fn required_backing(&self, amount: u128) -> Result<u128, UnderwritingError> {
        self.check()?;
        let (num, den) = self.factor()?;
        mul_div_ceil(amount, num, den).ok_or(UnderwritingError::Overflow)
    }
}

/// What an application's backing adds up to, by identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackingSummary {
    /// Total backing (stake units).
    pub total: u128,
    /// Distinct identities with backing above 0.
    pub distinct: u32,
    /// The largest backing of one identity (all its accounts together).
    pub largest: u128,
}

/// Sums an application's backing per identity. O(backers²) on at most
/// [`MAX_BACKERS`](super::MAX_BACKERS) entries, no allocation.
pub fn backing_summary<A: PartialEq>(application: &Application<A>) -> Result<BackingSummary, UnderwritingError> {
    let backers = &application.backers;
    let mut summary = BackingSummary { total: 0, distinct: 0, largest: 0 };
    for (i, b) in backers.iter().enumerate() {
        summary.total = summary.total.checked_add(b.amount).ok_or(UnderwritingError::Overflow)?;
        // The first backer of each identity sums that identity's backing.
        if backers.iter().take(i).any(|p| p.identity == b.identity) {
            continue;
        }
        let mut group = 0u128;
        for p in backers.iter().skip(i).filter(|p| p.identity == b.identity) {
            group = group.checked_add(p.amount).ok_or(UnderwritingError::Overflow)?;
        }
        if group > 0 {
            summary.distinct = summary.distinct.saturating_add(1);
            summary.largest = summary.largest.max(group);
        }
    }
    Ok(summary)
}

/// Whether `application`'s backing meets `rules`: `Ok` exactly when coverage, distinct underwriters
/// and maximum share all hold, else the first that fails.
///
/// Errors: a configuration error from [`BackingRules::check`],
/// [`InsufficientCoverage`](UnderwritingError::InsufficientCoverage),
/// [`TooFewUnderwriters`](UnderwritingError::TooFewUnderwriters),
/// [`ShareAboveMax`](UnderwritingError::ShareAboveMax).
pub fn check_backing<A: PartialEq>(
    application: &Application<A>,
    rules: &BackingRules,
) -> Result<(), UnderwritingError> {
    let required = rules.required_backing(application.amount)?;
    let summary = backing_summary(application)?;
    if summary.total < required {
        return Err(UnderwritingError::InsufficientCoverage { required, backed: summary.total });
    }
    if summary.distinct < rules.min_underwriters {
        return Err(UnderwritingError::TooFewUnderwriters { distinct: summary.distinct, min: rules.min_underwriters });
    }
    if !mul_le(summary.largest, BPS, summary.total, u128::from(rules.max_share_bps)) {
        return Err(UnderwritingError::ShareAboveMax {
            backing: summary.largest,
            total: summary.total,
            max_share_bps: rules.max_share_bps,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_checks() {
        let ok = BackingRules {
            collateral_ratio_bps: 10_000,
            price: Price::PAR,
            min_underwriters: 1,
            max_share_bps: 10_000,
        };
        assert_eq!(ok.check(), Ok(()));
        let bad_price = BackingRules { price: Price { numerator: 1, denominator: 0 }, ..ok };
        assert_eq!(bad_price.check(), Err(UnderwritingError::InvalidPrice));
        assert_eq!(BackingRules { collateral_ratio_bps: 0, ..ok }.check(), Err(UnderwritingError::ZeroCollateralRatio));
        assert_eq!(BackingRules { min_underwriters: 0, ..ok }.check(), Err(UnderwritingError::ZeroMinUnderwriters));
        assert_eq!(
            BackingRules { max_share_bps: 10_001, ..ok }.check(),
            Err(UnderwritingError::InvalidMaxShare { bps: 10_001 })
        );
        let huge =
            BackingRules { price: Price { numerator: u128::MAX, denominator: 1 }, collateral_ratio_bps: 2, ..ok };
        assert_eq!(huge.check(), Err(UnderwritingError::Overflow));
        // Exact for every amount: no intermediate overflow.
        assert_eq!(ok.required_backing(u128::MAX), Ok(u128::MAX));
        let double = BackingRules { collateral_ratio_bps: 20_000, ..ok };
        assert_eq!(double.required_backing(u128::MAX), Err(UnderwritingError::Overflow));
        assert_eq!(Price { numerator: 3, denominator: 2 }.stake_value_floor(5), Ok(7));
    }
}
