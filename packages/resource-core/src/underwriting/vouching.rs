//! Vouching: a member in good standing reserves part of its own credit line for a newcomer.
//!
//! - **Vouch** ([`vouch`]): the vouch itself and its share of the rewards. The reservation is the
//!   credit token's: it reserves `amount` of the voucher's line with
//!   [`ledger::reserve_credit`](crate::ledger::reserve_credit), which checks good standing (an
//!   active, unfrozen line whose term is running) and the capacity
//!   ([`ledger::reservable_credit`](crate::ledger::reservable_credit)) atomically with the account it
//!   changes, and lowers its available credit by the reservation. A contract calls [`vouch`] and
//!   has the token reserve in the same transaction, so either both happen or neither.
//! - **Broken** ([`break_vouch`]): the newcomer defaulted. The reservation is released and the
//!   voucher's line is cut by the vouched amount ([`VouchOutcome::line_cut`],
//!   [`limit_after_cut`], applied by [`ledger::release_credit`](crate::ledger::release_credit));
//!   the vouch's accrued reward is forfeited to the reserve.
//! - **Kept** ([`keep_vouch`]): the newcomer repaid on time. The reservation is released and the
//!   voucher is paid the vouch's reward.
//! - **Cancelled** ([`cancel_vouch`]): the newcomer's application never got approved (rejected,
//!   expired, never applied). The reservation is released and the reward forfeited.
//!
//! # The voucher's reward share
//! While active, a vouch earns fees exactly like backing: it has its own [`RewardAccount`] in the
//! network's [`RewardPool`] with an exposure of `floor(floor(amount * price) * reward_weight_bps /
//! 10_000)` stake units: the vouched credit valued at the underwriting price, weighted by the
//! network's `reward_weight_bps` (a reserved credit line is a real cost but not a staked asset, so
//! a network would weigh it below 10 000). The reward is **conditional**: paid to the voucher only
//! if the vouch is kept, forfeited to the reserve otherwise, so vouching for a member who defaults
//! never pays.

use core::fmt;

use super::rewards::close_account;
use super::{add_exposure, Price, RewardAccount, RewardPool, UnderwritingError, BPS};
// One rule for the cut, the ledger's, which applies it when the token releases the reservation.
pub use crate::ledger::limit_after_cut;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Where a vouch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum VouchStatus {
    /// The reservation holds.
    Active,
    /// The newcomer repaid on time: reservation released, reward paid.
    Kept,
    /// The newcomer defaulted: the voucher's line was cut by the amount.
    Broken,
    /// Withdrawn before it was tested (no approved line): reservation released, no reward.
    Cancelled,
}

impl VouchStatus {
    /// The status as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            VouchStatus::Active => "active",
            VouchStatus::Kept => "kept",
            VouchStatus::Broken => "broken",
            VouchStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for VouchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The network's vouching parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct VouchPolicy {
    /// Reward exposure per stake unit of vouched credit, in basis points (0 = vouches earn nothing).
    pub reward_weight_bps: u16,
}

/// A vouch: `voucher` reserved `amount` of its credit line for `newcomer`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Vouch<A> {
    /// Who vouches.
    pub voucher: A,
    /// For whom.
    pub newcomer: A,
    /// The reserved credit (credit units).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub amount: u128,
    /// Where it is.
    pub status: VouchStatus,
    /// Its own share of the reward pool while active.
    pub rewards: RewardAccount,
}

/// What settling a vouch does to the voucher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VouchOutcome {
    /// Reservation to release (the vouched amount).
    pub released: u128,
    /// Cut the voucher's credit line by this much (broken vouch), else 0.
    pub line_cut: u128,
    /// Pay the voucher this reward (kept vouch), else 0.
    pub reward: u128,
    /// Send this accrued reward to the reserve (broken or cancelled vouch), else 0.
    pub forfeited: u128,
}

/// `voucher` vouches `amount` for `newcomer`: the new pool (the vouch's exposure added) and the
/// vouch. The voucher's standing and capacity are not checked here: the credit token checks them
/// when it reserves the credit ([`ledger::reserve_credit`](crate::ledger::reserve_credit)), against
/// the account it changes.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount),
/// [`VouchForSelf`](UnderwritingError::VouchForSelf),
/// [`InvalidPrice`](UnderwritingError::InvalidPrice), [`Overflow`](UnderwritingError::Overflow).
pub fn vouch<A: PartialEq>(
    pool: &RewardPool,
    voucher: A,
    newcomer: A,
    amount: u128,
    price: &Price,
    policy: &VouchPolicy,
) -> Result<(RewardPool, Vouch<A>), UnderwritingError> {
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    if voucher == newcomer {
        return Err(UnderwritingError::VouchForSelf);
    }
    let exposure = vouch_exposure(amount, price, policy)?;
    let (pool, rewards) = add_exposure(pool, &RewardAccount::default(), exposure)?;
    Ok((pool, Vouch { voucher, newcomer, amount, status: VouchStatus::Active, rewards }))
}

/// A vouch's reward exposure: `floor(floor(amount * price) * reward_weight_bps / 10_000)`.
pub fn vouch_exposure(amount: u128, price: &Price, policy: &VouchPolicy) -> Result<u128, UnderwritingError> {
    let value = price.stake_value_floor(amount)?;
    super::math::mul_div_floor(value, u128::from(policy.reward_weight_bps), BPS).ok_or(UnderwritingError::Overflow)
}

fn settle<A: Clone>(
    pool: &RewardPool,
    vouch: &Vouch<A>,
    status: VouchStatus,
) -> Result<(RewardPool, Vouch<A>, VouchOutcome), UnderwritingError> {
    if vouch.status != VouchStatus::Active {
        return Err(UnderwritingError::VouchNotActive { status: vouch.status });
    }
    let kept = status == VouchStatus::Kept;
    let (pool, amount) = close_account(pool, &vouch.rewards, kept)?;
    let outcome = VouchOutcome {
        released: vouch.amount,
        line_cut: if status == VouchStatus::Broken { vouch.amount } else { 0 },
        reward: if kept { amount } else { 0 },
        forfeited: if kept { 0 } else { amount },
    };
    let vouch = Vouch { status, rewards: RewardAccount::default(), ..vouch.clone() };
    Ok((pool, vouch, outcome))
}

/// The newcomer repaid on time: the reservation is released and the voucher paid its reward.
///
/// Errors: [`VouchNotActive`](UnderwritingError::VouchNotActive), [`Overflow`](UnderwritingError::Overflow).
pub fn keep_vouch<A: Clone>(
    pool: &RewardPool,
    vouch: &Vouch<A>,
) -> Result<(RewardPool, Vouch<A>, VouchOutcome), UnderwritingError> {
    settle(pool, vouch, VouchStatus::Kept)
}

/// The newcomer defaulted: the reservation is released, the voucher's line cut by the amount, the
/// reward forfeited.
///
/// Errors: [`VouchNotActive`](UnderwritingError::VouchNotActive), [`Overflow`](UnderwritingError::Overflow).
pub fn break_vouch<A: Clone>(
    pool: &RewardPool,
    vouch: &Vouch<A>,
) -> Result<(RewardPool, Vouch<A>, VouchOutcome), UnderwritingError> {
    settle(pool, vouch, VouchStatus::Broken)
}

/// The vouch was never tested (no approved line for the newcomer): released, reward forfeited.
///
/// Errors: [`VouchNotActive`](UnderwritingError::VouchNotActive), [`Overflow`](UnderwritingError::Overflow).
pub fn cancel_vouch<A: Clone>(
    pool: &RewardPool,
    vouch: &Vouch<A>,
) -> Result<(RewardPool, Vouch<A>, VouchOutcome), UnderwritingError> {
    settle(pool, vouch, VouchStatus::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::underwriting::distribute;

    const POLICY: VouchPolicy = VouchPolicy { reward_weight_bps: 5_000 };

    #[test]
    fn vouch_keep_and_break() {
        let pool = RewardPool::default();
        let (pool, v) = vouch(&pool, 1u8, 2, 600, &Price::PAR, &POLICY).unwrap();
        assert_eq!((v.amount, v.status, v.rewards.exposure, pool.total_exposure), (600, VouchStatus::Active, 300, 300));
        // 60 over 300 units of exposure: exact (a fee that does not divide evenly leaves dust, see rewards).
        let (pool, _) = distribute(&pool, 60).unwrap();
        let (p2, kept, out) = keep_vouch(&pool, &v).unwrap();
        assert_eq!((out.reward, out.released, out.line_cut, p2.paid, p2.total_exposure), (60, 600, 0, 60, 0));
        assert_eq!(
            keep_vouch(&p2, &kept).unwrap_err(),
            UnderwritingError::VouchNotActive { status: VouchStatus::Kept }
        );
        let (p3, _, out) = break_vouch(&pool, &v).unwrap();
        assert_eq!((out.reward, out.forfeited, out.line_cut, p3.forfeited), (0, 60, 600, 60));
        let (_, _, out) = cancel_vouch(&pool, &v).unwrap();
        assert_eq!((out.forfeited, out.line_cut), (60, 0));
        assert_eq!(limit_after_cut(500, 600), 0);
    }

    #[test]
    fn vouch_refusals() {
        let pool = RewardPool::default();
        let go = |voucher: u8, amount, price: &Price| vouch(&pool, voucher, 2, amount, price, &POLICY);
        assert_eq!(go(1, 0, &Price::PAR).unwrap_err(), UnderwritingError::ZeroAmount);
        assert_eq!(go(2, 5, &Price::PAR).unwrap_err(), UnderwritingError::VouchForSelf);
        let bad = Price { numerator: 1, denominator: 0 };
        assert_eq!(go(1, 5, &bad).unwrap_err(), UnderwritingError::InvalidPrice);
        let steep = Price { numerator: u128::MAX, denominator: 1 };
        assert_eq!(go(1, 2, &steep).unwrap_err(), UnderwritingError::Overflow);
        // Any amount the price can value is accepted: capacity is the token's to check.
        assert_eq!(go(1, u128::MAX, &Price::PAR).map(|(_, v)| v.amount), Ok(u128::MAX));
    }
}
