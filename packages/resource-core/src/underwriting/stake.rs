//! An underwriter's stake: what it bonded and where each unit is now.
//!
//! ```text
//! bond -> free --lock (back an application)--> locked --release--> free
//!              --unbond--> unbonding --claim (after the unbonding period)--> paid out
//!                                        locked --slash (default)--> slashed (network reserve)
//! ```
//!
//! Conservation: bonded − claimed = `free + locked + unbonding + slashed` over any sequence of
//! operations. Locked stake cannot be unbonded; unbonding stake backs nothing and cannot be slashed.

use alloc::vec::Vec;

use super::UnderwritingError;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// At most this many unbondings pending at once per underwriter (so a stake record stays small and
/// [`claim_unbonded`] is bounded).
pub const MAX_UNBONDINGS: usize = 7;

/// Stake on its way out: `amount` can be claimed from `release_at` (unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Unbonding {
    /// Stake units.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub amount: u128,
    /// When it can be claimed.
    pub release_at: u64,
}

/// One underwriter's stake, in units of the staked asset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Stake {
    /// Bonded and available to back applications or unbond.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub free: u128,
    /// Backing applications (open or approved); cannot be unbonded.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub locked: u128,
    /// Pending unbondings, oldest first, at most [`MAX_UNBONDINGS`].
    pub unbonding: Vec<Unbonding>,
    /// Slashed on defaults so far and sent to the network reserve (a running total).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub slashed: u128,
}

impl Stake {
    /// A stake of `free` units, nothing locked or unbonding.
    pub fn new(free: u128) -> Stake {
        Stake { free, ..Stake::default() }
    }

    /// The sum of pending unbondings.
    pub fn unbonding_total(&self) -> u128 {
        // Every operation keeps free + locked + unbonding within u128 (see `held`).
        self.unbonding.iter().fold(0u128, |sum, u| sum.saturating_add(u.amount))
    }

    /// What the contract still holds for this underwriter: `free + locked + unbonding`.
    pub fn held(&self) -> Option<u128> {
        self.free.checked_add(self.locked)?.checked_add(self.unbonding_total())
    }

    /// What it can claim at `now`.
    pub fn claimable_at(&self, now: u64) -> u128 {
        self.unbonding.iter().filter(|u| u.release_at <= now).fold(0u128, |s, u| s.saturating_add(u.amount))
    }
}

/// Adds `amount` of free stake.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount), [`Overflow`](UnderwritingError::Overflow)
/// (what the stake holds would pass `u128::MAX`).
pub fn bond(stake: &Stake, amount: u128) -> Result<Stake, UnderwritingError> {
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    stake.held().and_then(|h| h.checked_add(amount)).ok_or(UnderwritingError::Overflow)?;
    let free = stake.free.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
    Ok(Stake { free, ..stake.clone() })
}

/// Starts unbonding `amount` of free stake at `now`: claimable after `unbonding_period` seconds.
/// An unbonding released at the same time as the newest pending one is merged into it.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount),
/// [`InsufficientFreeStake`](UnderwritingError::InsufficientFreeStake) (locked stake cannot be
/// unbonded), [`TooManyUnbondings`](UnderwritingError::TooManyUnbondings),
/// [`Overflow`](UnderwritingError::Overflow) (`now + unbonding_period` beyond `u64`).
pub fn unbond(stake: &Stake, amount: u128, now: u64, unbonding_period: u64) -> Result<Stake, UnderwritingError> {
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    let free = stake
        .free
        .checked_sub(amount)
        .ok_or(UnderwritingError::InsufficientFreeStake { free: stake.free, requested: amount })?;
    let release_at = now.checked_add(unbonding_period).ok_or(UnderwritingError::Overflow)?;
    let mut unbonding = stake.unbonding.clone();
    let count = unbonding.len();
    match unbonding.last_mut() {
        Some(last) if last.release_at == release_at => {
            // Cannot overflow: the amount moves from `free` within the same held total.
            last.amount = last.amount.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
        }
        _ if count >= MAX_UNBONDINGS => return Err(UnderwritingError::TooManyUnbondings { max: MAX_UNBONDINGS }),
        _ => unbonding.push(Unbonding { amount, release_at }),
    }
    Ok(Stake { free, unbonding, ..stake.clone() })
}

/// Pays out every unbonding released by `now`: the new stake and the amount to send the underwriter.
///
/// Errors: [`NothingToClaim`](UnderwritingError::NothingToClaim) with the next release time.
pub fn claim_unbonded(stake: &Stake, now: u64) -> Result<(Stake, u128), UnderwritingError> {
    let amount = stake.claimable_at(now);
    if amount == 0 {
        let next_release_at = stake.unbonding.iter().map(|u| u.release_at).min();
        return Err(UnderwritingError::NothingToClaim { next_release_at });
    }
    let unbonding = stake.unbonding.iter().copied().filter(|u| u.release_at > now).collect();
    Ok((Stake { unbonding, ..stake.clone() }, amount))
}

/// Locks `amount` of free stake behind an application.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount),
/// [`InsufficientFreeStake`](UnderwritingError::InsufficientFreeStake).
pub fn lock(stake: &Stake, amount: u128) -> Result<Stake, UnderwritingError> {
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    let free = stake
        .free
        .checked_sub(amount)
        .ok_or(UnderwritingError::InsufficientFreeStake { free: stake.free, requested: amount })?;
    let locked = stake.locked.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
    Ok(Stake { free, locked, ..stake.clone() })
}

/// Releases `amount` of locked stake back to free (a withdrawn backing, a rejected, expired or
/// repaid application).
///
/// Errors: [`LockedStakeTooLow`](UnderwritingError::LockedStakeTooLow).
pub fn release(stake: &Stake, amount: u128) -> Result<Stake, UnderwritingError> {
    slash(stake, amount, 0)
}

/// Settles a `backing` on default: `slashed` of it goes to the network reserve, the rest is released
/// to free stake.
///
/// Errors: [`LockedStakeTooLow`](UnderwritingError::LockedStakeTooLow) (`slashed > backing` or
/// `backing > locked`: the caller's records disagree).
pub fn slash(stake: &Stake, backing: u128, slashed: u128) -> Result<Stake, UnderwritingError> {
    let too_low = |requested| UnderwritingError::LockedStakeTooLow { locked: stake.locked, requested };
    let locked = stake.locked.checked_sub(backing).ok_or(too_low(backing))?;
    let released = backing.checked_sub(slashed).ok_or(too_low(slashed))?;
    // `released` moves within what the stake already holds; `slashed` is a running total.
    let free = stake.free.checked_add(released).ok_or(UnderwritingError::Overflow)?;
    let total_slashed = stake.slashed.checked_add(slashed).ok_or(UnderwritingError::Overflow)?;
    Ok(Stake { free, locked, slashed: total_slashed, ..stake.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;

    #[test]
    fn a_stake_goes_through_every_state() {
        let s = bond(&Stake::default(), 100).unwrap();
        let s = lock(&s, 60).unwrap();
        assert_eq!(unbond(&s, 41, 0, 10), Err(UnderwritingError::InsufficientFreeStake { free: 40, requested: 41 }));
        let s = unbond(&s, 40, 0, 10).unwrap();
        assert_eq!(claim_unbonded(&s, 9), Err(UnderwritingError::NothingToClaim { next_release_at: Some(10) }));
        let (s, paid) = claim_unbonded(&s, 10).unwrap();
        assert_eq!((paid, s.free, s.unbonding.len()), (40, 0, 0));
        let s = slash(&s, 60, 25).unwrap();
        assert_eq!((s.free, s.locked, s.slashed), (35, 0, 25));
        assert_eq!(release(&s, 1), Err(UnderwritingError::LockedStakeTooLow { locked: 0, requested: 1 }));
    }

    #[test]
    fn unbondings_are_bounded_and_merge_at_the_same_time() {
        let mut s = Stake::new(100);
        for t in 0..MAX_UNBONDINGS as u64 {
            s = unbond(&s, 1, t, 5).unwrap();
        }
        assert_eq!(unbond(&s, 1, 99, 5), Err(UnderwritingError::TooManyUnbondings { max: MAX_UNBONDINGS }));
        // Same release time as the newest: merged.
        let s = unbond(&s, 3, MAX_UNBONDINGS as u64 - 1, 5).unwrap();
        assert_eq!(s.unbonding.last(), Some(&Unbonding { amount: 4, release_at: MAX_UNBONDINGS as u64 + 4 }));
        assert_eq!(claim_unbonded(&Stake::new(1), 0), Err(UnderwritingError::NothingToClaim { next_release_at: None }));
        let _ = vec![0u8];
    }

    #[test]
    fn limits() {
        assert_eq!(bond(&Stake::new(u128::MAX), 1), Err(UnderwritingError::Overflow));
        assert_eq!(unbond(&Stake::new(1), 1, u64::MAX, 1), Err(UnderwritingError::Overflow));
        assert_eq!(lock(&Stake::new(1), 0), Err(UnderwritingError::ZeroAmount));
        assert_eq!(
            slash(&Stake { locked: 5, ..Stake::default() }, 5, 6),
            Err(UnderwritingError::LockedStakeTooLow { locked: 5, requested: 6 })
        );
    }
}
