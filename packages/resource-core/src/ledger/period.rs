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

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

use super::compliance::{is_compliant, needed_income, MinItd, PeriodIncome};
use super::line::{declare_default, DefaultOutcome};
use super::{term_settlement, Account, CreditLine, LedgerError, LineStatus, Party, TermRecord};

/// A member's credit period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreditPeriod {
    /// Unix seconds at which the current period began.
    pub issued_at: u64,
    /// Last second of the period; a renewal starts the next one of the same length.
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
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PeriodState {
    /// No period has been started.
    Uninitialized,
    /// Up to the expiration.
    Active,
    /// After the expiration, up to its end plus the grace length.
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

    /// The state at `now` (whether or not it is paused): active through the expiration second, in
    /// grace through the last second of the grace length, as a line's term and its standing count.
    pub const fn state(&self, now: u64) -> PeriodState {
        if now <= self.expiration {
            PeriodState::Active
        } else if now <= self.expiration.saturating_add(self.grace_length) {
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
/// refused in grace without compliance ([`CreditFrozenInGrace`](LedgerError::CreditFrozenInGrace))
/// and once the grace has run out ([`GraceRanOut`](LedgerError::GraceRanOut)), allowed otherwise
/// (spending what it holds is always allowed).
pub fn check_credit_use(
    period: Option<&CreditPeriod>,
    balance: i128,
    income: PeriodIncome,
    min_itd: MinItd,
    credit_used: u128,
    now: u64,
) -> Result<(), LedgerError> {
    if credit_used == 0 {
        return Ok(());
    }
    match (period, sync_period(period, balance, income, min_itd, now)) {
        (Some(p), PeriodAction::CreditFrozen) => Err(LedgerError::CreditFrozenInGrace {
            expiration: p.expiration,
            needed_income: needed_income(balance, income, min_itd),
        }),
        (Some(p), PeriodAction::Default) => Err(LedgerError::GraceRanOut {
            expiration: p.expiration,
            grace_end: p.expiration.saturating_add(p.grace_length),
        }),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// A member's period: the terms kept on its account, applied to its line's term.

/// A member's credit-period terms (ReSource's "credit terms"), kept on its [`Account`]. The period
/// itself is the member's active line's term: `term_start` is when it was issued, `term_end` its
/// expiration and `grace_period` its grace length ([`account_period`]), so a line has one term and
/// one clock, whether it renews or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PeriodTerms {
    /// The income-to-debt ratio the member must reach during each period.
    pub min_itd: MinItd,
    /// No period rule applies while paused (the term grants credit past its end too).
    pub paused: bool,
    /// What the current period has recorded of the member's income.
    pub income: PeriodIncome,
}

/// The credit period of `account`: its active line's term, when it has period terms.
pub const fn account_period(account: &Account) -> Option<CreditPeriod> {
    match (&account.line, &account.period) {
        (Some(line), Some(terms)) if matches!(line.status, LineStatus::Active) => Some(CreditPeriod {
            issued_at: line.term_start,
            expiration: line.term_end,
            grace_length: line.grace_period,
            paused: terms.paused,
        }),
        _ => None,
    }
}

/// What the rules of `account`'s period call for at `now` ([`sync_period`] over the account).
pub fn account_period_action(account: &Account, now: u64) -> PeriodAction {
    let terms = account.period.unwrap_or_default();
    sync_period(account_period(account).as_ref(), account.balance, terms.income, terms.min_itd, now)
}

/// The income `account` still needs this period to meet its terms (0 without a period, or when it
/// already does).
///
/// Once the grace has run out, income no longer counts toward the period ([`record_income`]): only
/// a balance of at least 0 complies, so what is needed is the whole debt.
pub fn account_needed_income(account: &Account, now: u64) -> u128 {
    match (account_period(account), account.period) {
        (Some(p), Some(terms)) => {
            if !p.paused
                && p.state(now) == PeriodState::Expired
                && !is_compliant(account.balance, terms.income, terms.min_itd)
            {
                account.debt()
            } else {
                needed_income(account.balance, terms.income, terms.min_itd)
            }
        }
        _ => 0,
    }
}

/// A period renewed: the new term's end and the ended term's settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Renewal {
    /// The renewed period's expiration (the line's new `term_end`).
    pub expiration: u64,
    /// The ended term's `repaid_on_time` record, if it calls for one ([`term_settlement`]).
    pub repaid_on_time: Option<u128>,
}

/// `account` with its period renewed at `now` if the rules call for it (compliant after the
/// expiration): the line's term restarts from `now` with the same length and grace, the income
/// record starts again and the ended term is settled, as a new term is (its record made, the debt
/// carried into the new term counting as its first). Otherwise the account as it is and `None`.
pub fn renew_if_due(account: &Account, now: u64) -> (Account, Option<Renewal>) {
    let (PeriodAction::Renewed { period }, Some(line), Some(terms)) =
        (account_period_action(account, now), account.line, account.period)
    else {
        return (*account, None);
    };
    let renewed = Account {
        line: Some(CreditLine { term_start: period.issued_at, term_end: period.expiration, ..line }),
        term: TermRecord { peak_debt: account.debt(), overdue: false, written_off: 0 },
        period: Some(PeriodTerms { income: PeriodIncome::NONE, ..terms }),
        ..*account
    };
    (renewed, Some(Renewal { expiration: period.expiration, repaid_on_time: term_settlement(account) }))
}

/// `account` after receiving `amount` at `now`: its period's income record grows (and a payment
/// covering its whole debt rebalances the period), unless the grace has run out, when the income
/// comes too late for the period. Called with the account as it was before the receipt.
pub fn record_income(before: &Account, mut after: Account, amount: u128, now: u64) -> Account {
    if let (Some(period), Some(terms)) = (account_period(before), after.period.as_mut()) {
        if period.state(now) != PeriodState::Expired {
            terms.income = terms.income.after_receiving(before.debt(), amount);
        }
    }
    after
}

/// Gives `account`'s active line credit-period terms with `min_itd` (`SetCreditPeriod`), or, with
/// `None`, makes its term fixed again. A new period starts with no income on record; changing the
/// minimum of an existing one keeps its record and its pause.
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`LineClosed`](LedgerError::LineClosed),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted), [`NoCreditPeriod`](LedgerError::NoCreditPeriod)
/// (removing terms the account does not have).
pub fn set_period_terms(account: &Account, min_itd: Option<MinItd>) -> Result<Account, LedgerError> {
    match account.line.map(|l| l.status) {
        None => return Err(LedgerError::NoCreditLine),
        Some(LineStatus::Closed) => return Err(LedgerError::LineClosed),
        Some(LineStatus::Defaulted) => return Err(LedgerError::AccountDefaulted),
        Some(LineStatus::Active) => {}
    }
    let period = match (min_itd, account.period) {
        (None, None) => return Err(LedgerError::NoCreditPeriod),
        (None, Some(_)) => None,
        (Some(min_itd), Some(terms)) => Some(PeriodTerms { min_itd, ..terms }),
        (Some(min_itd), None) => Some(PeriodTerms { min_itd, paused: false, income: PeriodIncome::NONE }),
    };
    Ok(Account { period, ..*account })
}

/// Pauses (`true`) or unpauses `account`'s period. Unpausing applies the rules at the next payment
/// or sync, so a period that expired while paused renews, freezes or defaults then.
///
/// Errors: [`NoCreditPeriod`](LedgerError::NoCreditPeriod), [`AlreadyPaused`](LedgerError::AlreadyPaused),
/// [`NotPaused`](LedgerError::NotPaused).
pub fn set_period_paused(account: &Account, paused: bool) -> Result<Account, LedgerError> {
    // Only a period that runs (an active line's) can be paused: a closed or defaulted line's rules
    // are the line's, and a pause there would do nothing.
    let (Some(_), Some(terms)) = (account_period(account), account.period) else {
        return Err(LedgerError::NoCreditPeriod);
    };
    match (terms.paused, paused) {
        (true, true) => Err(LedgerError::AlreadyPaused),
        (false, false) => Err(LedgerError::NotPaused),
        _ => Ok(Account { period: Some(PeriodTerms { paused, ..terms }), ..*account }),
    }
}

/// What [`sync_credit_period`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The member met its terms: its period renewed.
    Renewed {
        /// The member's account.
        account: Account,
        /// The renewal.
        renewal: Renewal,
    },
    /// The grace ran out without compliance: the member's debt is written off, its line defaulted
    /// (membership revoked: no new line, no spending but the recovery of its debt).
    Defaulted(DefaultOutcome),
}

/// `SyncCreditPeriod`: applies what `member`'s period calls for at `now`, with `loss` the network's
/// loss account for a default. Anyone may ask; it either changes something or says why not.
///
/// Errors: [`NoCreditPeriod`](LedgerError::NoCreditPeriod) (no period terms, or no active line),
/// [`CreditPeriodPaused`](LedgerError::CreditPeriodPaused),
/// [`CreditPeriodRunning`](LedgerError::CreditPeriodRunning) (not expired),
/// [`CreditFrozenInGrace`](LedgerError::CreditFrozenInGrace) (in grace, not compliant: nothing to do
/// but receive), and those of [`declare_default`].
pub fn sync_credit_period<K: PartialEq + ?Sized>(
    member: Party<'_, K>,
    loss: Party<'_, K>,
    now: u64,
) -> Result<SyncOutcome, LedgerError> {
    let account = member.account;
    let period = account_period(account).ok_or(LedgerError::NoCreditPeriod)?;
    if period.paused {
        return Err(LedgerError::CreditPeriodPaused);
    }
    match account_period_action(account, now) {
        PeriodAction::Unchanged => Err(LedgerError::CreditPeriodRunning { expiration: period.expiration }),
        PeriodAction::Renewed { .. } => match renew_if_due(account, now) {
            (account, Some(renewal)) => Ok(SyncOutcome::Renewed { account, renewal }),
            (_, None) => Err(LedgerError::CreditPeriodRunning { expiration: period.expiration }),
        },
        PeriodAction::CreditFrozen => Err(LedgerError::CreditFrozenInGrace {
            expiration: period.expiration,
            needed_income: account_needed_income(account, now),
        }),
        PeriodAction::Default => declare_default(member, loss, now).map(SyncOutcome::Defaulted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::panic;

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
        assert_eq!(refused, Err(LedgerError::CreditFrozenInGrace { expiration: p.expiration, needed_income: 34 }));
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
        assert_eq!(p.state(p.expiration + 30 * DAY), PeriodState::Grace, "the last second of grace");
        let now = p.expiration + 30 * DAY + 1;
        assert_eq!(p.state(now), PeriodState::Expired);
        assert_eq!(sync_period(Some(&p), -100, PeriodIncome::NONE, HALF, now), PeriodAction::Default);
        let refused = check_credit_use(Some(&p), -100, PeriodIncome::NONE, HALF, 1, now);
        assert_eq!(
            refused,
            Err(LedgerError::GraceRanOut { expiration: p.expiration, grace_end: p.expiration + 30 * DAY })
        );
    }

    #[test]
    fn renewal_when_compliant_at_expiration() {
        let p = period();
        assert_eq!(sync_period(Some(&p), 0, PeriodIncome::NONE, HALF, p.expiration), PeriodAction::Unchanged);
        let now = p.expiration + 1;
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
        assert_eq!(p.state(p.expiration + DAY), PeriodState::Grace);
        assert_eq!(p.state(p.expiration + DAY + 1), PeriodState::Expired);
        assert_eq!(period().with_grace_length(u64::MAX), Err(PeriodError::OutOfRange));
    }
}
