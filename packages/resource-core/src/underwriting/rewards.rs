//! Fee rewards by exposure: reward-per-unit accounting, O(1) per operation, no loop over
//! underwriters.
//!
//! **Exposure** is the stake an account has locked behind **approved** applications (backing of an
//! open application carries no risk yet and earns nothing), plus the weighted exposure of active
//! vouches ([`vouching`](super::vouch)). Each fee is split among the exposure at the moment it
//! arrives, so over time an account earns in proportion to exposure × time-with-fees.
//!
//! # Scheme
//! The pool keeps `reward_per_unit`, the fees per unit of exposure since the start, scaled by
//! [`REWARD_SCALE`] (`10^18`). A fee `f` with total exposure `E` adds `floor((f * SCALE + carry) / E)`;
//! the remainder stays in `carry` (scaled units) and joins the next fee. Each account keeps a
//! `snapshot` of `reward_per_unit` at its last update: it accrues
//! `exposure * (reward_per_unit - snapshot)` scaled units, of which whole units go to `pending` and
//! the rest to its `fraction` (below one unit). All products use exact 256-bit intermediates.
//!
//! # Exactness and dust
//! At every moment, exactly (checked by the property tests):
//!
//! ```text
//! SCALE * (received - to_reserve) = SCALE * (paid + forfeited + Σ claimable) + Σ fractions + carry
//! ```
//!
//! so what is claimed plus what is still claimable never exceeds the fees received for underwriters,
//! and the **dust** (received for underwriters − paid − forfeited − Σ claimable) is
//! `(carry + Σ fractions) / SCALE`: below one unit per reward account, plus `carry / SCALE`, which is
//! below `E / SCALE` units after a fee (under one unit while total exposure is below `10^18`). Dust
//! is never lost nor paid twice: `carry` joins the next fee, a fraction becomes a unit when the
//! account accrues more, and a closed account's fraction returns to `carry`.
//!
//! # Fees with no exposure
//! A fee that arrives while total exposure is 0 goes **to the network reserve**
//! ([`Distribution::to_reserve`]): no one carried risk for it, and carrying it over would hand it
//! all to whoever backs first afterwards. The contract forwards it to the reserve.
//!
//! # Limits
//! `reward_per_unit` is a running total: a fee that would take it past `u128::MAX` (more than about
//! `3.4 * 10^20` fee units per unit of exposure in all) is refused with
//! [`Overflow`](UnderwritingError::Overflow), and the contract sends that fee to the reserve instead.

use super::math::{div_wide, mul_div, wide_add, wide_mul};
use super::UnderwritingError;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The fixed-point factor of `reward_per_unit` and of the fractions: `10^18`.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;

/// The network's reward pool (one per network, O(1) in size).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RewardPool {
    /// Fees per unit of exposure since the start, times [`REWARD_SCALE`].
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub reward_per_unit: u128,
    /// Scaled remainder not yet in `reward_per_unit` (joins the next fee).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub carry: u128,
    /// The sum of every account's exposure.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub total_exposure: u128,
    /// Fees received in total.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub received: u128,
    /// Of which sent to the reserve (arrived with no exposure).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub to_reserve: u128,
    /// Rewards paid out (claimed by underwriters, paid to vouchers).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub paid: u128,
    /// Rewards forfeited to the reserve (broken or cancelled vouches).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub forfeited: u128,
}

/// One account's share of the pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RewardAccount {
    /// Its exposure (stake units).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub exposure: u128,
    /// `reward_per_unit` at its last update.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub snapshot: u128,
    /// Whole units accrued and not claimed.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub pending: u128,
    /// Accrued scaled units below one unit (`< REWARD_SCALE`).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub fraction: u128,
}

/// How a fee was split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Credited to the pool for accounts with exposure.
    pub to_underwriters: u128,
    /// To forward to the network reserve (no exposure when it arrived).
    pub to_reserve: u128,
}

/// Credits a fee of `fee` credit units to the pool.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount), [`Overflow`](UnderwritingError::Overflow)
/// (the running totals would pass `u128::MAX`; see the module's limits).
pub fn distribute(pool: &RewardPool, fee: u128) -> Result<(RewardPool, Distribution), UnderwritingError> {
    if fee == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    let received = pool.received.checked_add(fee).ok_or(UnderwritingError::Overflow)?;
    if pool.total_exposure == 0 {
        let to_reserve = pool.to_reserve.checked_add(fee).ok_or(UnderwritingError::Overflow)?;
        return Ok((
            RewardPool { received, to_reserve, ..*pool },
            Distribution { to_underwriters: 0, to_reserve: fee },
        ));
    }
    let (high, low) = wide_mul(fee, REWARD_SCALE);
    let (high, low) = wide_add(high, low, pool.carry).ok_or(UnderwritingError::Overflow)?;
    let (increment, carry) = div_wide(high, low, pool.total_exposure).ok_or(UnderwritingError::Overflow)?;
    let reward_per_unit = pool.reward_per_unit.checked_add(increment).ok_or(UnderwritingError::Overflow)?;
    Ok((RewardPool { reward_per_unit, carry, received, ..*pool }, Distribution { to_underwriters: fee, to_reserve: 0 }))
}

/// `account` brought up to date with the pool: what it earned since its snapshot moved to `pending`
/// (whole units) and `fraction`. Changes nothing else; the other functions call it first.
///
/// Errors: [`Overflow`](UnderwritingError::Overflow) (only on inconsistent inputs: what an account
/// earns never exceeds the fees received).
pub fn accrue(pool: &RewardPool, account: &RewardAccount) -> Result<RewardAccount, UnderwritingError> {
    // A snapshot ahead of the pool (impossible when both are stored together) accrues nothing.
    let delta = pool.reward_per_unit.saturating_sub(account.snapshot);
    let (units, rest) = mul_div(account.exposure, delta, REWARD_SCALE).ok_or(UnderwritingError::Overflow)?;
    // Both below REWARD_SCALE, so the sum is below 2 * REWARD_SCALE.
    let fraction = rest.checked_add(account.fraction).ok_or(UnderwritingError::Overflow)?;
    let (units, fraction) = match fraction.checked_sub(REWARD_SCALE) {
        Some(f) => (units.checked_add(1).ok_or(UnderwritingError::Overflow)?, f),
        None => (units, fraction),
    };
    let pending = account.pending.checked_add(units).ok_or(UnderwritingError::Overflow)?;
    Ok(RewardAccount { snapshot: pool.reward_per_unit, pending, fraction, exposure: account.exposure })
}

/// What `account` could claim now.
pub fn claimable(pool: &RewardPool, account: &RewardAccount) -> Result<u128, UnderwritingError> {
    accrue(pool, account).map(|a| a.pending)
}

/// Raises `account`'s exposure by `amount` (an approval it backs, a vouch), after accruing.
///
/// Errors: [`Overflow`](UnderwritingError::Overflow).
pub fn add_exposure(
    pool: &RewardPool,
    account: &RewardAccount,
    amount: u128,
) -> Result<(RewardPool, RewardAccount), UnderwritingError> {
    let mut account = accrue(pool, account)?;
    account.exposure = account.exposure.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
    let total_exposure = pool.total_exposure.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
    Ok((RewardPool { total_exposure, ..*pool }, account))
}

/// Lowers `account`'s exposure by `amount` (a settled application it backed), after accruing.
///
/// Errors: [`ExposureTooLow`](UnderwritingError::ExposureTooLow),
/// [`Overflow`](UnderwritingError::Overflow).
pub fn remove_exposure(
    pool: &RewardPool,
    account: &RewardAccount,
    amount: u128,
) -> Result<(RewardPool, RewardAccount), UnderwritingError> {
    let mut account = accrue(pool, account)?;
    let too_low = UnderwritingError::ExposureTooLow { exposure: account.exposure, requested: amount };
    account.exposure = account.exposure.checked_sub(amount).ok_or(too_low)?;
    let total_exposure = pool.total_exposure.checked_sub(amount).ok_or(too_low)?;
    Ok((RewardPool { total_exposure, ..*pool }, account))
}

/// Pays out everything `account` has accrued: the new pool and account and the amount to send it
/// (in the network's credit token).
///
/// Errors: [`NoRewards`](UnderwritingError::NoRewards), [`Overflow`](UnderwritingError::Overflow).
pub fn claim_rewards(
    pool: &RewardPool,
    account: &RewardAccount,
) -> Result<(RewardPool, RewardAccount, u128), UnderwritingError> {
    let account = accrue(pool, account)?;
    if account.pending == 0 {
        return Err(UnderwritingError::NoRewards);
    }
    let paid = pool.paid.checked_add(account.pending).ok_or(UnderwritingError::Overflow)?;
    Ok((RewardPool { paid, ..*pool }, RewardAccount { pending: 0, ..account }, account.pending))
}

/// Closes `account` (a vouch's own account once settled): removes all its exposure and takes what it
/// accrued out of the pool, either `paid` (to whom the caller pays it) or `forfeited` (to the
/// reserve). Its fraction returns to the pool's `carry`. Returns the pool and the amount.
pub(crate) fn close_account(
    pool: &RewardPool,
    account: &RewardAccount,
    pay: bool,
) -> Result<(RewardPool, u128), UnderwritingError> {
    let (pool, account) = remove_exposure(pool, account, account.exposure)?;
    let carry = pool.carry.checked_add(account.fraction).ok_or(UnderwritingError::Overflow)?;
    let amount = account.pending;
    let pool = if pay {
        RewardPool { paid: pool.paid.checked_add(amount).ok_or(UnderwritingError::Overflow)?, carry, ..pool }
    } else {
        RewardPool { forfeited: pool.forfeited.checked_add(amount).ok_or(UnderwritingError::Overflow)?, carry, ..pool }
    };
    Ok((pool, amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_split_by_exposure_and_dust_stays() {
        let pool = RewardPool::default();
        // No exposure: to the reserve.
        let (pool, d) = distribute(&pool, 5).unwrap();
        assert_eq!(d, Distribution { to_underwriters: 0, to_reserve: 5 });
        let (pool, a) = add_exposure(&pool, &RewardAccount::default(), 1).unwrap();
        let (pool, b) = add_exposure(&pool, &RewardAccount::default(), 2).unwrap();
        let (pool, _) = distribute(&pool, 10).unwrap();
        // 10 over 3 units of exposure: 3.33 and 6.66; one unit of dust.
        assert_eq!((claimable(&pool, &a), claimable(&pool, &b)), (Ok(3), Ok(6)));
        let (pool, _) = distribute(&pool, 2).unwrap();
        // 12 in all: 4 and 8, exact now.
        assert_eq!((claimable(&pool, &a), claimable(&pool, &b)), (Ok(4), Ok(8)));
        let (pool, a, paid) = claim_rewards(&pool, &a).unwrap();
        assert_eq!((paid, pool.paid), (4, 4));
        assert_eq!(claim_rewards(&pool, &a), Err(UnderwritingError::NoRewards));
        assert_eq!(remove_exposure(&pool, &a, 2), Err(UnderwritingError::ExposureTooLow { exposure: 1, requested: 2 }));
        let _ = b;
        assert_eq!(distribute(&pool, 0), Err(UnderwritingError::ZeroAmount));
    }

    #[test]
    fn large_numbers_are_exact() {
        let (pool, a) = add_exposure(&RewardPool::default(), &RewardAccount::default(), u128::MAX / 3).unwrap();
        let (pool, _) = distribute(&pool, u128::MAX / 7).unwrap();
        let got = claimable(&pool, &a).unwrap();
        // Dust below E / SCALE + 1 units, kept in `carry` for the next fee.
        let dust = u128::MAX / 7 - got;
        assert!(dust <= pool.total_exposure / REWARD_SCALE + 1, "{got}");
        assert!(pool.carry > 0 && pool.carry < pool.total_exposure);
        // A tiny exposure and a huge fee: the running total cannot hold it.
        let (pool, _) = add_exposure(&RewardPool::default(), &RewardAccount::default(), 1).unwrap();
        assert_eq!(distribute(&pool, u128::MAX / 2).map(|_| ()), Err(UnderwritingError::Overflow));
    }
}
