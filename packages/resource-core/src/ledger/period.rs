//! Credit periods, as ReSource's credit issuer runs them: a line's terms renew by themselves for a
//! member who complies with them ([`compliance`](super::is_compliant)), freeze the credit of one who
//! does not once the period has expired, and end in default when the grace period runs out too.
//!
//! ```text
//! Uninitialized --start_period--> Active --expiration, compliant--> Active (renewed, same length)
//!                                   |
//!                                   +--expiration, not compliant--> Grace (credit frozen)
//!                                                                     |--compliant--> Active (renewed)
//!                                                                     +--grace runs out--> Expired (default)
//! ```
//!
//! Nothing happens at the moment a period expires: [`sync_period`] applies the rules when it is
//! called, on every transfer and by anyone (`SyncCreditPeriod`), and says what the caller must do
//! ([`PeriodAction`]). A **paused** period applies no rule at all; unpausing applies them at once,
//! so a member whose period expired while paused is renewed, frozen or defaulted at that moment.
//!
//! In grace and not compliant, a member may still spend a positive balance and receive; only
//! spending credit is refused ([`PeriodError::CreditFrozenInGrace`]), with an error rather than
//! a silent refusal.

use super::compliance::{is_compliant, needed_income, MinItd, PeriodIncome};

/// A member's credit period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreditPeriod {
    /// Unix seconds at which the current period began.
    pub issued_at: u64,
    /// Unix seconds at which it ends; a renewal starts the next one of the same length.
    pub expiration: u64,
    /// Seconds after `expiration` during which a member that is not compliant is frozen and may
    /// still become compliant; after them it is in default.
    pub grace_length: u64,
    /// No rule applies while paused.
    pub paused: bool,
}

/// Where a period stands at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PeriodState {
    /// No period has been started.
    Uninitialized,
    /// Before the expiration.
    Active,
    /// After the expiration, within the grace length.
    Grace,
    /// After the expiration plus the grace length.
    Expired,
}

/// Why a period operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PeriodError {
    /// A period of zero seconds was asked for.
    #[error("a credit period must last at least one second; give a positive period length")]
    ZeroLength,
    /// The period's expiration plus its grace length does not fit in unix seconds.
    #[error("the credit period ends beyond the supported time range; give a shorter period or grace length")]
    OutOfRange,
    /// The member is in its grace period without complying, and tried to spend credit.
    #[error(
        "the credit period expired at {expiration} and the member does not meet its terms: its credit is frozen until it does (it can still spend what it holds and receive); receive {needed_income} more to comply"
    )]
    CreditFrozenInGrace {
        /// When the period expired (unix seconds).
        expiration: u64,
        /// The income still needed to comply ([`needed_income`](super::needed_income)).
        needed_income: u128,
    },
}

impl CreditPeriod {
    /// A period of `length` seconds from `now`, with `grace_length`, not paused.
    pub const fn start(now: u64, length: u64, grace_length: u64) -> Result<CreditPeriod, PeriodError> {
        if length == 0 {
            return Err(PeriodError::ZeroLength);
        }
        let Some(expiration) = now.checked_add(length) else {
            return Err(PeriodError::OutOfRange);
        };
        if expiration.checked_add(grace_length).is_none() {
            return Err(PeriodError::OutOfRange);
        }
        Ok(CreditPeriod { issued_at: now, expiration, grace_length, paused: false })
    }

    /// The period's length in seconds.
    pub const fn length(&self) -> u64 {
        self.expiration.saturating_sub(self.issued_at)
    }

    /// The state at `now` (whether or not it is paused).
    pub const fn state(&self, now: u64) -> PeriodState {
        if now < self.expiration {
            PeriodState::Active
        } else if now < self.expiration.saturating_add(self.grace_length) {
            PeriodState::Grace
        } else {
            PeriodState::Expired
        }
    }

    /// The same period with a new length from its start (`SetPeriodLength`); its rules apply at the
    /// next sync.
    pub const fn with_length(self, length: u64) -> Result<CreditPeriod, PeriodError> {
        match CreditPeriod::start(self.issued_at, length, self.grace_length) {
            Ok(p) => Ok(CreditPeriod { paused: self.paused, ..p }),
            Err(e) => Err(e),
        }
    }

    /// The same period with a new grace length (`SetGracePeriod`).
    pub const fn with_grace_length(self, grace_length: u64) -> Result<CreditPeriod, PeriodError> {
        if self.expiration.checked_add(grace_length).is_none() {
            return Err(PeriodError::OutOfRange);
        }
        Ok(CreditPeriod { grace_length, ..self })
    }
}

/// The state of an optional period (`Uninitialized` without one).
pub const fn period_state(period: Option<&CreditPeriod>, now: u64) -> PeriodState {
    match period {
        Some(p) => p.state(now),
        None => PeriodState::Uninitialized,
    }
}

/// What a sync asks the caller to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodAction {
    /// Nothing changes: no period, paused, or before the expiration.
    Unchanged,
    /// The member complied: store `period` (the next one, same length, from now) and reset the
    /// period's income record to [`PeriodIncome::NONE`].
    Renewed {
        /// The new period.
        period: CreditPeriod,
    },
    /// In grace without complying: the member may not spend credit until it complies.
    CreditFrozen,
    /// The grace ran out without compliance: write off the debt, close the line, revoke the
    /// membership, record the default.
    Default,
}

/// The rules of a member's period at `now`, for a member with `balance`, this period's `income`
/// and its `min_itd` (see the module docs).
pub fn sync_period(
    period: Option<&CreditPeriod>,
    balance: i128,
    income: PeriodIncome,
    min_itd: MinItd,
    now: u64,
) -> PeriodAction {
    let Some(period) = period else { return PeriodAction::Unchanged };
    if period.paused {
        return PeriodAction::Unchanged;
    }
    match period.state(now) {
        PeriodState::Uninitialized | PeriodState::Active => PeriodAction::Unchanged,
        _ if is_compliant(balance, income, min_itd) => {
            // The length and grace fitted when the period was set; renewing from a later `now` can
            // only fail near the end of unix time, where the member keeps its expired period.
            match CreditPeriod::start(now, period.length(), period.grace_length) {
                Ok(next) => PeriodAction::Renewed { period: next },
                Err(_) => PeriodAction::CreditFrozen,
            }
        }
        PeriodState::Grace => PeriodAction::CreditFrozen,
        PeriodState::Expired => PeriodAction::Default,
    }
}

/// Whether a member may draw `credit_used` units of credit in a payment at `now` under its period:
/// refused in grace without compliance, allowed otherwise (spending what it holds is always allowed).
pub fn check_credit_use(
    period: Option<&CreditPeriod>,
    balance: i128,
    income: PeriodIncome,
    min_itd: MinItd,
    credit_used: u128,
    now: u64,
) -> Result<(), PeriodError> {
    if credit_used == 0 {
        return Ok(());
    }
    match (period, sync_period(period, balance, income, min_itd, now)) {
        (Some(p), PeriodAction::CreditFrozen) => Err(PeriodError::CreditFrozenInGrace {
            expiration: p.expiration,
            needed_income: needed_income(balance, income, min_itd),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;
    const T0: u64 = 1_700_000_000;
    const HALF: MinItd = MinItd(500_000);

    fn period() -> CreditPeriod {
        CreditPeriod::start(T0, 90 * DAY, 30 * DAY).unwrap()
    }

    #[test]
    fn initialize_credit_period() {
        assert_eq!(period_state(None, T0), PeriodState::Uninitialized);
        let p = period();
        assert_eq!((p.issued_at, p.expiration, p.grace_length, p.paused), (T0, T0 + 90 * DAY, 30 * DAY, false));
        assert_eq!(p.state(T0), PeriodState::Active);
        assert_eq!(CreditPeriod::start(T0, 0, 0), Err(PeriodError::ZeroLength));
        assert_eq!(CreditPeriod::start(u64::MAX - 5, 10, 0), Err(PeriodError::OutOfRange));
        assert_eq!(CreditPeriod::start(T0, 10, u64::MAX), Err(PeriodError::OutOfRange));
    }

    #[test]
    fn grace_period_freeze() {
        let p = period();
        let now = p.expiration + DAY;
        assert_eq!(p.state(now), PeriodState::Grace);
        assert_eq!(sync_period(Some(&p), -100, PeriodIncome::NONE, HALF, now), PeriodAction::CreditFrozen);
        let refused = check_credit_use(Some(&p), -100, PeriodIncome::NONE, HALF, 1, now);
        assert_eq!(refused, Err(PeriodError::CreditFrozenInGrace { expiration: p.expiration, needed_income: 34 }));
        assert_eq!(
            check_credit_use(Some(&p), -100, PeriodIncome::NONE, HALF, 0, now),
            Ok(()),
            "spending what it holds"
        );
    }

    #[test]
    fn grace_period_compliance() {
        let p = period();
        let now = p.expiration + DAY;
        let income = PeriodIncome { income: 50, rebalanced: false };
        let next = CreditPeriod::start(now, 90 * DAY, 30 * DAY).unwrap();
        assert_eq!(sync_period(Some(&p), -100, income, HALF, now), PeriodAction::Renewed { period: next });
        assert_eq!(check_credit_use(Some(&p), -100, income, HALF, 10, now), Ok(()));
    }

    #[test]
    fn default_when_grace_runs_out() {
        let p = period();
        let now = p.expiration + 30 * DAY;
        assert_eq!(p.state(now), PeriodState::Expired);
        assert_eq!(sync_period(Some(&p), -100, PeriodIncome::NONE, HALF, now), PeriodAction::Default);
    }

    #[test]
    fn renewal_when_compliant_at_expiration() {
        let p = period();
        let now = p.expiration;
        let action = sync_period(Some(&p), 0, PeriodIncome::NONE, HALF, now);
        let PeriodAction::Renewed { period: next } = action else { panic!("{action:?}") };
        assert_eq!((next.issued_at, next.length(), next.grace_length), (now, p.length(), p.grace_length));
        let rebalanced = PeriodIncome { income: 100, rebalanced: true };
        assert!(matches!(sync_period(Some(&p), -900, rebalanced, MinItd(u64::MAX), now), PeriodAction::Renewed { .. }));
    }

    #[test]
    fn expiration_with_paused_period() {
        let p = CreditPeriod { paused: true, ..period() };
        let late = p.expiration + 365 * DAY;
        assert_eq!(sync_period(Some(&p), -100, PeriodIncome::NONE, HALF, late), PeriodAction::Unchanged);
        assert_eq!(check_credit_use(Some(&p), -100, PeriodIncome::NONE, HALF, 10, late), Ok(()));
    }

    /// What a sync of `period()` does at `now` while paused, then once unpaused: the pause must hold
    /// every rule back, and lifting it must apply them at once.
    fn paused_then_unpaused(now: u64, income: PeriodIncome) -> PeriodAction {
        let paused = CreditPeriod { paused: true, ..period() };
        assert_eq!(sync_period(Some(&paused), -100, income, HALF, now), PeriodAction::Unchanged, "paused");
        let unpaused = CreditPeriod { paused: false, ..paused };
        sync_period(Some(&unpaused), -100, income, HALF, now)
    }

    #[test]
    fn unpause_before_expiration() {
        assert_eq!(paused_then_unpaused(T0 + DAY, PeriodIncome::NONE), PeriodAction::Unchanged);
    }

    #[test]
    fn unpause_during_grace() {
        let now = period().expiration + 2 * DAY;
        assert_eq!(paused_then_unpaused(now, PeriodIncome::NONE), PeriodAction::CreditFrozen);
    }

    #[test]
    fn unpause_after_expiration_and_compliant() {
        let now = period().expiration + 400 * DAY;
        let income = PeriodIncome { income: 60, rebalanced: false };
        let next = CreditPeriod::start(now, 90 * DAY, 30 * DAY).unwrap();
        assert_eq!(paused_then_unpaused(now, income), PeriodAction::Renewed { period: next });
    }

    #[test]
    fn unpause_after_expiration_and_incompliant() {
        let now = period().expiration + 400 * DAY;
        assert_eq!(paused_then_unpaused(now, PeriodIncome::NONE), PeriodAction::Default);
    }

    #[test]
    fn tx_validation_expired_but_not_using_credit() {
        let p = period();
        let now = p.expiration + DAY;
        assert_eq!(check_credit_use(Some(&p), 500, PeriodIncome::NONE, HALF, 0, now), Ok(()));
        assert_eq!(check_credit_use(None, -100, PeriodIncome::NONE, HALF, 10, now), Ok(()), "no period");
    }

    #[test]
    fn set_period_length() {
        let p = period().with_length(30 * DAY).unwrap();
        assert_eq!((p.issued_at, p.expiration), (T0, T0 + 30 * DAY));
        assert_eq!(period().with_length(0), Err(PeriodError::ZeroLength));
        let paused = CreditPeriod { paused: true, ..period() }.with_length(DAY).unwrap();
        assert!(paused.paused, "a new length keeps the pause");
    }

    #[test]
    fn set_grace_period() {
        let p = period().with_grace_length(DAY).unwrap();
        assert_eq!(p.state(p.expiration + DAY), PeriodState::Expired);
        assert_eq!(period().with_grace_length(u64::MAX), Err(PeriodError::OutOfRange));
    }
}
