//! The assurance reserve (ReSource's assurance pool): a reserve of a real asset (a native coin or a
//! cw20) that stands behind a network's credit, so that a holder of credits that a default left
//! unbacked can be reimbursed.
//!
//! Three parts, each a balance of the reserve asset:
//! - **primary**: what stands behind the network's debt, up to a target reserve-to-debt ratio (RTD);
//! - **buffer**: members' repayments made in the reserve asset, spent first on reimbursements;
//! - **excess**: deposits above the target, the only part that can be withdrawn.
//!
//! | Operation | Rule |
//! |---|---|
//! | [`ReservePool::deposit`] | fills the primary reserve up to the target ([`ReservePool::needed_reserves`]), the rest goes to the excess |
//! | [`ReservePool::deposit_into_primary`], [`ReservePool::deposit_into_buffer`] | the whole amount into that part |
//! | [`ReservePool::withdraw`] | from the excess only |
//! | [`ReservePool::reimburse`] | buffer first, then primary, never more than both hold |
//! | [`ReservePool::with_target_rtd`] | a raised target moves excess into the primary reserve |
//! | [`ReservePool::rtd`] | `primary / debt`, in parts per million ([`Rtd`]) |
//!
//! The debt is valued in the reserve asset at a [`Price`] (reserve units per credit unit), rounded
//! up, so that a ratio or a need is never flattering. Every operation returns the new pool or an
//! [`AssuranceError`] and nothing else; the reserve's total changes only by what is deposited,
//! withdrawn or reimbursed (checked by the property tests).
//!
//! Done better than the reference: reimbursing more than the reserve holds pays what it holds and
//! says how much ([`Reimbursement`]), so the caller burns only the credits that were reimbursed
//! instead of losing the rest; a withdrawal above the excess and a zero amount are typed errors.

use crate::underwriting::math::{mul_div_ceil, mul_div_floor, mul_le};
use crate::underwriting::Price;

/// Parts per million in 100 %: an RTD or target of `RTD_SCALE` means a reserve equal to the debt.
pub const RTD_SCALE: u128 = 1_000_000;

/// Why a reserve operation was refused. The pool is unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AssuranceError {
    /// An amount of 0 was given.
    #[error("the amount must be greater than zero")]
    ZeroAmount,
    /// A balance or a valuation would leave the supported range.
    #[error("an amount or reserve balance is outside the supported range (at most 2^128 - 1 base units)")]
    Overflow,
    /// A price with a zero term.
    #[error("the reserve price must have a non-zero numerator and denominator")]
    InvalidPrice,
    /// More than the excess reserve was asked for.
    #[error("{requested} is more than the {excess} of excess reserve; withdraw at most {excess} (the primary and buffer reserves stand behind the network's debt)")]
    WithdrawAboveExcess {
        /// What the excess reserve holds.
        excess: u128,
        /// The rejected amount.
        requested: u128,
    },
    /// A reimbursement from an empty reserve.
    #[error("the reserve holds nothing to reimburse with (its primary and buffer reserves are empty); deposit into it first")]
    EmptyReserve,
}

/// A reserve-to-debt ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Rtd {
    /// The network owes nothing: the ratio is undefined and any reserve meets any target.
    NoDebt,
    /// `primary * 1e6 / debt`, rounded down, in parts per million (saturating).
    Ppm(u128),
}

/// Where a deposit went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Allocation {
    /// Into the primary reserve.
    pub primary: u128,
    /// Into the excess reserve.
    pub excess: u128,
}

/// What a reimbursement paid, by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reimbursement {
    /// Paid from the buffer reserve.
    pub from_buffer: u128,
    /// Paid from the primary reserve.
    pub from_primary: u128,
}

impl Reimbursement {
    /// The whole payment.
    pub const fn total(&self) -> u128 {
        // Both come out of one pool whose total fits u128.
        self.from_buffer.saturating_add(self.from_primary)
    }
}

/// A network's assurance reserve, in base units of the reserve asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReservePool {
    /// Stands behind the network's debt, up to the target RTD.
    pub primary: u128,
    /// Members' repayments in the reserve asset; spent first on reimbursements.
    pub buffer: u128,
    /// Above the target: the only part that can be withdrawn.
    pub excess: u128,
    /// The target reserve-to-debt ratio, in parts per million.
    pub target_rtd: u64,
}

/// The value of `debt` credit units in reserve units at `price`, rounded up.
///
/// Errors: [`InvalidPrice`](AssuranceError::InvalidPrice), [`Overflow`](AssuranceError::Overflow).
pub fn debt_value(debt: u128, price: &Price) -> Result<u128, AssuranceError> {
    if price.numerator == 0 || price.denominator == 0 {
        return Err(AssuranceError::InvalidPrice);
    }
    mul_div_ceil(debt, price.numerator, price.denominator).ok_or(AssuranceError::Overflow)
}

/// The credit units that `reserve` reserve units are worth at `price`, rounded down (what a
/// reimbursement of `reserve` may burn, so no holder burns more credit than it is paid for).
///
/// Errors: [`InvalidPrice`](AssuranceError::InvalidPrice), [`Overflow`](AssuranceError::Overflow).
pub fn credit_value(reserve: u128, price: &Price) -> Result<u128, AssuranceError> {
    if price.numerator == 0 || price.denominator == 0 {
        return Err(AssuranceError::InvalidPrice);
    }
    mul_div_floor(reserve, price.denominator, price.numerator).ok_or(AssuranceError::Overflow)
}

impl ReservePool {
    /// An empty reserve with `target_rtd` (parts per million).
    pub const fn new(target_rtd: u64) -> ReservePool {
        ReservePool { primary: 0, buffer: 0, excess: 0, target_rtd }
    }

    /// Everything the reserve holds (`None` if the parts' sum leaves `u128`, which no operation here
    /// allows).
    pub const fn total(&self) -> Option<u128> {
        match self.primary.checked_add(self.buffer) {
            Some(sum) => sum.checked_add(self.excess),
            None => None,
        }
    }

    /// What reimbursements can draw on: the buffer and primary reserves.
    pub const fn reimbursable(&self) -> u128 {
        self.primary.saturating_add(self.buffer)
    }

    /// The RTD against a debt worth `debt_value` reserve units ([`debt_value`]).
    pub const fn rtd(&self, debt_value: u128) -> Rtd {
        if debt_value == 0 {
            return Rtd::NoDebt;
        }
        match mul_div_floor(self.primary, RTD_SCALE, debt_value) {
            Some(ppm) => Rtd::Ppm(ppm),
            None => Rtd::Ppm(u128::MAX),
        }
    }

    /// Whether the primary reserve meets the target: `primary * 1e6 >= target * debt`, exactly.
    pub const fn has_valid_rtd(&self, debt_value: u128) -> bool {
        mul_le(self.target_rtd as u128, debt_value, self.primary, RTD_SCALE)
    }

    /// What the primary reserve lacks to meet the target: `ceil(target * debt / 1e6) - primary`,
    /// 0 when it meets it. Depositing exactly this much meets the target; one unit less does not.
    pub const fn needed_reserves(&self, debt_value: u128) -> u128 {
        match mul_div_ceil(self.target_rtd as u128, debt_value, RTD_SCALE) {
            Some(required) => required.saturating_sub(self.primary),
            None => u128::MAX,
        }
    }

    /// A deposit of `amount` with the network's debt worth `debt_value`: the primary reserve is
    /// filled up to the target first, the rest goes to the excess (the reference's allocation with
    /// a high and a low RTD).
    ///
    /// Errors: [`ZeroAmount`](AssuranceError::ZeroAmount), [`Overflow`](AssuranceError::Overflow).
    pub fn deposit(self, amount: u128, debt_value: u128) -> Result<(ReservePool, Allocation), AssuranceError> {
        if amount == 0 {
            return Err(AssuranceError::ZeroAmount);
        }
        let primary = amount.min(self.needed_reserves(debt_value));
        let excess = amount.saturating_sub(primary);
        let pool = ReservePool {
            primary: self.primary.checked_add(primary).ok_or(AssuranceError::Overflow)?,
            excess: self.excess.checked_add(excess).ok_or(AssuranceError::Overflow)?,
            ..self
        }
        .fits()?;
        Ok((pool, Allocation { primary, excess }))
    }

    /// `amount` into the primary reserve, whatever the target.
    ///
    /// Errors: [`ZeroAmount`](AssuranceError::ZeroAmount), [`Overflow`](AssuranceError::Overflow).
    pub fn deposit_into_primary(self, amount: u128) -> Result<ReservePool, AssuranceError> {
        if amount == 0 {
            return Err(AssuranceError::ZeroAmount);
        }
        ReservePool { primary: self.primary.checked_add(amount).ok_or(AssuranceError::Overflow)?, ..self }.fits()
    }

    /// `amount` into the buffer reserve (a member's repayment in the reserve asset).
    ///
    /// Errors: [`ZeroAmount`](AssuranceError::ZeroAmount), [`Overflow`](AssuranceError::Overflow).
    pub fn deposit_into_buffer(self, amount: u128) -> Result<ReservePool, AssuranceError> {
        if amount == 0 {
            return Err(AssuranceError::ZeroAmount);
        }
        ReservePool { buffer: self.buffer.checked_add(amount).ok_or(AssuranceError::Overflow)?, ..self }.fits()
    }

    /// Withdraws `amount` from the excess reserve.
    ///
    /// Errors: [`ZeroAmount`](AssuranceError::ZeroAmount),
    /// [`WithdrawAboveExcess`](AssuranceError::WithdrawAboveExcess).
    pub fn withdraw(self, amount: u128) -> Result<ReservePool, AssuranceError> {
        if amount == 0 {
            return Err(AssuranceError::ZeroAmount);
        }
        match self.excess.checked_sub(amount) {
            Some(excess) => Ok(ReservePool { excess, ..self }),
            None => Err(AssuranceError::WithdrawAboveExcess { excess: self.excess, requested: amount }),
        }
    }

    /// Reimburses up to `amount`: from the buffer first, then the primary reserve, never more than
    /// both hold. The [`Reimbursement`] says what was paid; a caller burning credits for it burns
    /// only what that is worth ([`credit_value`]).
    ///
    /// Errors: [`ZeroAmount`](AssuranceError::ZeroAmount), [`EmptyReserve`](AssuranceError::EmptyReserve).
    pub fn reimburse(self, amount: u128) -> Result<(ReservePool, Reimbursement), AssuranceError> {
        if amount == 0 {
            return Err(AssuranceError::ZeroAmount);
        }
        if self.reimbursable() == 0 {
            return Err(AssuranceError::EmptyReserve);
        }
        let from_buffer = amount.min(self.buffer);
        let from_primary = amount.saturating_sub(from_buffer).min(self.primary);
        let pool = ReservePool {
            buffer: self.buffer.saturating_sub(from_buffer),
            primary: self.primary.saturating_sub(from_primary),
            ..self
        };
        Ok((pool, Reimbursement { from_buffer, from_primary }))
    }

    /// The pool with `target_rtd`: a raised target moves what the primary reserve then needs from
    /// the excess (as much as there is); a lowered one moves nothing.
    pub fn with_target_rtd(self, target_rtd: u64, debt_value: u128) -> ReservePool {
        let raised = target_rtd > self.target_rtd;
        let pool = ReservePool { target_rtd, ..self };
        if !raised {
            return pool;
        }
        let moved = pool.excess.min(pool.needed_reserves(debt_value));
        // moved <= excess, and the total is unchanged, so neither side can overflow.
        ReservePool { primary: pool.primary.saturating_add(moved), excess: pool.excess.saturating_sub(moved), ..pool }
    }

    /// The pool if its parts' sum fits `u128`.
    fn fits(self) -> Result<ReservePool, AssuranceError> {
        self.total().map(|_| self).ok_or(AssuranceError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEN_PERCENT: u64 = 100_000;

    fn pool(primary: u128, buffer: u128, excess: u128) -> ReservePool {
        ReservePool { primary, buffer, excess, target_rtd: TEN_PERCENT }
    }

    #[test]
    fn deposit_into_primary_reserve() {
        let p = ReservePool::new(TEN_PERCENT).deposit_into_primary(100).unwrap();
        assert_eq!((p.primary, p.buffer, p.excess), (100, 0, 0));
        assert_eq!(ReservePool::new(0).deposit_into_primary(0), Err(AssuranceError::ZeroAmount));
    }

    #[test]
    fn deposit_into_buffer_reserve() {
        let p = ReservePool::new(TEN_PERCENT).deposit_into_buffer(40).unwrap();
        assert_eq!((p.primary, p.buffer, p.excess), (0, 40, 0));
    }

    #[test]
    fn allocate_reserve_with_low_rtd() {
        // Debt worth 1,000 at a 10 % target: the primary reserve needs 100; 30 are there.
        let (p, a) = pool(30, 0, 0).deposit(50, 1_000).unwrap();
        assert_eq!(a, Allocation { primary: 50, excess: 0 });
        assert_eq!(p.primary, 80);
        let (p, a) = p.deposit(50, 1_000).unwrap();
        assert_eq!(a, Allocation { primary: 20, excess: 30 }, "the target is met, the rest is excess");
        assert_eq!((p.primary, p.excess), (100, 30));
        assert!(p.has_valid_rtd(1_000));
    }

    #[test]
    fn allocate_reserve_with_high_rtd() {
        let (p, a) = pool(500, 0, 0).deposit(70, 1_000).unwrap();
        assert_eq!(a, Allocation { primary: 0, excess: 70 });
        assert_eq!((p.primary, p.excess), (500, 70));
    }

    #[test]
    fn withdraw() {
        let p = pool(100, 10, 30).withdraw(30).unwrap();
        assert_eq!((p.primary, p.buffer, p.excess), (100, 10, 0));
        assert_eq!(
            pool(100, 10, 30).withdraw(31),
            Err(AssuranceError::WithdrawAboveExcess { excess: 30, requested: 31 })
        );
        assert_eq!(pool(100, 10, 30).withdraw(0), Err(AssuranceError::ZeroAmount));
    }

    #[test]
    fn reimburse_account_with_primary_reserve() {
        let (p, r) = pool(100, 0, 50).reimburse(60).unwrap();
        assert_eq!(r, Reimbursement { from_buffer: 0, from_primary: 60 });
        assert_eq!((p.primary, p.excess), (40, 50), "the excess is never used");
    }

    #[test]
    fn reimburse_account_with_primary_and_buffer_reserve() {
        let (p, r) = pool(100, 25, 0).reimburse(60).unwrap();
        assert_eq!(r, Reimbursement { from_buffer: 25, from_primary: 35 });
        assert_eq!((p.primary, p.buffer), (65, 0));
        let (p, r) = pool(100, 80, 0).reimburse(60).unwrap();
        assert_eq!((r.from_buffer, r.from_primary, p.buffer), (60, 0, 20), "the buffer alone covers it");
    }

    #[test]
    fn reimburse_account_with_insufficient_reserve() {
        let (p, r) = pool(30, 10, 500).reimburse(100).unwrap();
        assert_eq!(r.total(), 40, "what the reserve holds, and it says so");
        assert_eq!((p.primary, p.buffer, p.excess), (0, 0, 500));
        assert_eq!(p.reimburse(1), Err(AssuranceError::EmptyReserve));
    }

    #[test]
    fn needed_reserves() {
        assert_eq!(pool(30, 0, 0).needed_reserves(1_000), 70);
        assert_eq!(pool(100, 0, 0).needed_reserves(1_000), 0);
        assert_eq!(pool(0, 0, 0).needed_reserves(1_001), 101, "rounded up: 100.1 needs 101");
        assert_eq!(pool(0, 0, 0).needed_reserves(0), 0);
    }

    #[test]
    fn rtd_with_no_debt() {
        assert_eq!(pool(100, 0, 0).rtd(0), Rtd::NoDebt);
        assert!(pool(0, 0, 0).has_valid_rtd(0));
    }

    #[test]
    fn rtd_with_debt() {
        assert_eq!(pool(100, 50, 50).rtd(1_000), Rtd::Ppm(100_000), "the primary reserve only");
        assert_eq!(pool(1, 0, 0).rtd(3), Rtd::Ppm(333_333));
        assert!(!pool(99, 0, 0).has_valid_rtd(1_000));
    }

    #[test]
    fn set_target_rtd() {
        // Raised from 10 % to 20 %: the primary needs 100 more, the excess has 60.
        let p = pool(100, 0, 60).with_target_rtd(200_000, 1_000);
        assert_eq!((p.primary, p.excess, p.target_rtd), (160, 0, 200_000));
        let p = pool(100, 0, 300).with_target_rtd(200_000, 1_000);
        assert_eq!((p.primary, p.excess), (200, 200));
        // Lowered: nothing moves back.
        let p = pool(200, 0, 0).with_target_rtd(50_000, 1_000);
        assert_eq!((p.primary, p.excess, p.target_rtd), (200, 0, 50_000));
    }

    #[test]
    fn valuations_round_against_the_holder() {
        // 3 reserve units per 2 credit units.
        let price = Price { numerator: 3, denominator: 2 };
        assert_eq!(debt_value(3, &price), Ok(5), "4.5 rounded up");
        assert_eq!(credit_value(5, &price), Ok(3), "3.33 rounded down");
        assert_eq!(debt_value(1, &Price { numerator: 0, denominator: 1 }), Err(AssuranceError::InvalidPrice));
        assert_eq!(debt_value(u128::MAX, &Price { numerator: 2, denominator: 1 }), Err(AssuranceError::Overflow));
    }

    #[derive(Clone, Debug)]
    enum Op {
        Deposit(u128),
        Primary(u128),
        Buffer(u128),
        Withdraw(u128),
        Reimburse(u128),
        Target(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        let amount = prop_oneof![0u128..2_000, Just(u128::MAX)];
        prop_oneof![
            amount.clone().prop_map(Op::Deposit),
            amount.clone().prop_map(Op::Primary),
            amount.clone().prop_map(Op::Buffer),
            amount.clone().prop_map(Op::Withdraw),
            amount.prop_map(Op::Reimburse),
            (0u64..3_000_000).prop_map(Op::Target),
        ]
    }

    proptest! {
        /// Whatever is deposited, withdrawn, reimbursed and retargeted: the total moves by exactly
        /// what went in and out, a refusal changes nothing, a withdrawal never touches the primary or
        /// buffer reserve, a reimbursement never the excess nor more than was asked, and after a
        /// deposit the primary reserve meets the target whenever the deposit could fill it.
        #[test]
        fn the_reserve_is_conserved(ops in prop::collection::vec(op(), 1..60), debt in 0u128..100_000) {
            let mut p = ReservePool::new(TEN_PERCENT);
            // What the pool must hold: it fits u128 whenever an operation succeeds.
            let mut expected = 0u128;
            for op in ops {
                let before = p;
                let result = match op {
                    Op::Deposit(a) => p.deposit(a, debt).map(|(n, alloc)| {
                        assert_eq!(alloc.primary + alloc.excess, a);
                        if a >= before.needed_reserves(debt) {
                            assert!(n.has_valid_rtd(debt), "{n:?}");
                        }
                        expected += a;
                        n
                    }),
                    Op::Primary(a) => p.deposit_into_primary(a).inspect(|_| expected += a),
                    Op::Buffer(a) => p.deposit_into_buffer(a).inspect(|_| expected += a),
                    Op::Withdraw(a) => p.withdraw(a).inspect(|n| {
                        assert_eq!((n.primary, n.buffer), (before.primary, before.buffer));
                        expected -= a;
                    }),
                    Op::Reimburse(a) => p.reimburse(a).map(|(n, r)| {
                        assert!(r.total() <= a && n.excess == before.excess);
                        assert_eq!(r.total(), a.min(before.reimbursable()));
                        expected -= r.total();
                        n
                    }),
                    Op::Target(t) => Ok(p.with_target_rtd(t, debt)),
                };
                match result {
                    Ok(n) => p = n,
                    Err(_) => prop_assert_eq!(p, before),
                }
                prop_assert_eq!(p.total(), Some(expected));
            }
        }

        /// `needed_reserves` is exact: depositing it into the primary reserve meets the target, one
        /// unit less does not.
        #[test]
        fn needed_reserves_is_exact(primary in 0u128..10_000, debt in 1u128..1_000_000, target in 1u64..3_000_000) {
            let p = ReservePool { primary, buffer: 0, excess: 0, target_rtd: target };
            let needed = p.needed_reserves(debt);
            if needed > 0 {
                prop_assert!(p.deposit_into_primary(needed).unwrap().has_valid_rtd(debt));
                let short = ReservePool { primary: primary + needed - 1, ..p };
                prop_assert!(!short.has_valid_rtd(debt));
            } else {
                prop_assert!(p.has_valid_rtd(debt));
            }
        }
    }
}
