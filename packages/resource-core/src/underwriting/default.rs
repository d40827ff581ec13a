//! Slashing on default.
//!
//! When an approved application's member has not repaid at the term end, its backers lose stake:
//! 1. The **loss** (the written-off debt, in credit units) is valued in stake units at the configured
//!    price, rounded **down**: `loss_value = floor(loss * numerator / denominator)`.
//! 2. The **slash** is `min(loss_value, total backing)`: never more than the loss, never more than
//!    what the backers locked.
//! 3. Each backer pays its **pro-rata share, rounded down**: `floor(slash * backing / total)`, which
//!    is at most its backing (so at most its locked stake). The rest of its backing is released.
//!
//! **Rounding** is borne by the network reserve: the backers together pay
//! `slash - (backers - 1)` to `slash` (each at most its exact share), so the reserve receives less
//! than the loss value by fewer than one stake unit per backer, and never more.

use alloc::vec::Vec;

use super::application::settleable;
use super::math::mul_div_floor;
use super::{Application, ApplicationStatus, Price, UnderwritingError};

/// One backer's part of a default.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BackerSlash<A> {
    /// The underwriter.
    pub underwriter: A,
    /// Its backing (locked stake behind the application).
    pub backing: u128,
    /// Slashed to the reserve.
    pub slashed: u128,
    /// Released to its free stake (`backing - slashed`).
    pub released: u128,
}

/// The result of [`settle_default`]: apply [`slash`](super::slash)`(stake, backing, slashed)` to each
/// backer's stake and remove `backing` from its exposure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefaultSettlement<A> {
    /// The loss in credit units.
    pub loss: u128,
    /// Its value in stake units (rounded down).
    pub loss_value: u128,
    /// Sent to the reserve in total (`<= min(loss_value, total backing)`).
    pub slashed: u128,
    /// Per backer, in the application's order.
    pub backers: Vec<BackerSlash<A>>,
}

/// Each backer's share of slashing `loss_value` stake units from `backers` (`(id, backing)` pairs):
/// the rule above, without the application around it.
///
/// Errors: [`Overflow`](UnderwritingError::Overflow) (total backing beyond `u128`).
pub fn slash_shares<A: Clone>(
    backers: impl IntoIterator<Item = (A, u128)> + Clone,
    loss_value: u128,
) -> Result<(u128, Vec<BackerSlash<A>>), UnderwritingError> {
    let mut total = 0u128;
    for (_, b) in backers.clone() {
        total = total.checked_add(b).ok_or(UnderwritingError::Overflow)?;
    }
    let target = loss_value.min(total);
    let mut slashed_total = 0u128;
    let mut out = Vec::new();
    for (underwriter, backing) in backers {
        // target <= total, so the share is at most `backing`; with total == 0 every backing is 0.
        let slashed =
            if total == 0 { 0 } else { mul_div_floor(target, backing, total).ok_or(UnderwritingError::Overflow)? };
        let released = backing.checked_sub(slashed).ok_or(UnderwritingError::Overflow)?;
        slashed_total = slashed_total.checked_add(slashed).ok_or(UnderwritingError::Overflow)?;
        out.push(BackerSlash { underwriter, backing, slashed, released });
    }
    Ok((slashed_total, out))
}

/// Settles an approved application whose member has not repaid at the term end: the debt written
/// off (`loss`, credit units) is slashed from the backers at `price`.
///
/// ```
/// use resource_core::underwriting::{slash_shares, Price};
/// // A loss of 100 credit units at 1 stake unit per credit unit, backed 50 / 30 / 40 (120 in all):
/// // 41.66, 25 and 33.33 rounded down; the reserve receives 99, one unit of rounding.
/// let loss_value = Price::PAR.stake_value_floor(100)?;
/// let (slashed, shares) = slash_shares([("a", 50), ("b", 30), ("c", 40)], loss_value)?;
/// assert_eq!(shares.iter().map(|s| s.slashed).collect::<Vec<_>>(), [41, 25, 33]);
/// assert_eq!(shares.iter().map(|s| s.released).collect::<Vec<_>>(), [9, 5, 7]);
/// assert_eq!(slashed, 99);
/// # Ok::<(), resource_core::underwriting::UnderwritingError>(())
/// ```
///
/// Errors: [`NotApproved`](UnderwritingError::NotApproved),
/// [`TermRunning`](UnderwritingError::TermRunning), [`NoLoss`](UnderwritingError::NoLoss),
/// [`InvalidPrice`](UnderwritingError::InvalidPrice), [`Overflow`](UnderwritingError::Overflow).
pub fn settle_default<A: Clone>(
    application: &Application<A>,
    loss: u128,
    price: &Price,
    now: u64,
) -> Result<(Application<A>, DefaultSettlement<A>), UnderwritingError> {
    settleable(application, now)?;
    if loss == 0 {
        return Err(UnderwritingError::NoLoss);
    }
    let loss_value = price.stake_value_floor(loss)?;
    let backers = application.backers.iter().map(|b| (b.underwriter.clone(), b.amount));
    let (slashed, backers) = slash_shares(backers, loss_value)?;
    let application = Application { status: ApplicationStatus::Defaulted, ..application.clone() };
    Ok((application, DefaultSettlement { loss, loss_value, slashed, backers }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_at_the_backing_and_at_the_loss() {
        let (s, shares) = slash_shares([(1u8, 10), (2, 20)], 1_000).unwrap();
        assert_eq!((s, shares[0].slashed, shares[1].slashed, shares[1].released), (30, 10, 20, 0));
        let (s, shares) = slash_shares([(1u8, 10), (2, 20)], 0).unwrap();
        assert_eq!((s, shares[0].released), (0, 10));
        let (s, _) = slash_shares::<u8>([], 5).unwrap();
        assert_eq!(s, 0);
        assert_eq!(slash_shares([(1u8, u128::MAX), (2, 1)], 5).map(|r| r.0), Err(UnderwritingError::Overflow));
    }
}
