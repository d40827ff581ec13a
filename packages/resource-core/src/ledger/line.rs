//! Credit-line lifecycle. Status transitions (anything else is an error):
//!
//! ```text
//! none / Active / Closed --set_credit_line--> Active
//! Active --close_credit_line--> Closed
//! any but Defaulted --declare_default (debt past term end + grace)--> Defaulted (terminal)
//! ```
//!
//! Freezing is not a line status: it is a hold on the account ([`Account::frozen`]), with or without
//! a line, set by [`freeze`] and lifted by [`unfreeze`], and no line operation changes it.
//!
//! # Reputation records
//! The operations that end or start a credit term say which reputation records they call for
//! ([`LineChange`]), so that every record means what an underwriter reads it as:
//! - **`credit_line_granted`**: a new line, or a new term after the previous one ended or was closed,
//!   records the full limit; raising the limit of a running term records the raise only. Renewing
//!   or replacing a running term at the same or a lower limit records nothing, so refinancing cannot
//!   inflate the credit a member was granted.
//! - **`repaid_on_time`**: one per credit term, when the term is settled: the term is replaced by a
//!   new one, the line is closed, or after the term end ([`settle_term`]). Its amount is the largest
//!   debt carried during the term ([`term_settlement`]), provided it was all repaid by the term end.
//!   A repayment itself records nothing, so borrowing 1 and repaying it 25 times is one record of 1.

use super::period::{account_period, account_period_action};
use super::transfer::{credit, debit};
use super::{
    term_settlement, Account, CreditLine, FeeRate, LedgerError, LineStatus, Party, PeriodAction, PeriodIncome,
    PeriodTerms, Standing, TermRecord, MAX_AMOUNT,
};

/// Terms of a new credit line (a struct, so `term_end` and `grace_period` cannot be swapped silently).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LineTerms {
    /// How far below zero the member may spend.
    pub limit: u128,
    /// Unix seconds; must be after `now`.
    pub term_end: u64,
    /// Seconds after `term_end` before an unpaid debt can be declared in default.
    pub grace_period: u64,
}

/// A network's floor under every credit line's terms, so that whoever sets lines cannot make a
/// member default-declarable within seconds (`term_end = now + 1`, no grace).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinePolicy {
    /// The shortest term, in seconds from the moment the line is set.
    pub min_term: u64,
    /// The shortest grace period, in seconds after the term end.
    pub min_grace_period: u64,
}

impl LinePolicy {
    /// Checks a grace period against the floor (also when a network configures its grace period).
    pub const fn check_grace_period(&self, grace_period: u64) -> Result<(), LedgerError> {
        if grace_period < self.min_grace_period {
            return Err(LedgerError::GraceTooShort { grace_period, min_grace_period: self.min_grace_period });
        }
        Ok(())
    }
}

/// A line operation's result: the new account and the reputation records it calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineChange {
    /// The member's account after the change.
    pub account: Account,
    /// `credit_line_granted { amount, term }` to record, if any.
    pub granted: Option<Grant>,
    /// `repaid_on_time { amount }` to record for the term that ended, if any.
    pub repaid_on_time: Option<u128>,
}

/// A grant to record: `amount` of new credit for `term` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The new line's limit, or the raise of a running one.
    pub amount: u128,
    /// Seconds from now to the term end.
    pub term: u64,
}

/// Whether `account` has a term running at `now`: an active line whose term has not ended.
fn running_term(account: &Account, now: u64) -> Option<CreditLine> {
    account.line.filter(|l| l.status == LineStatus::Active && now <= l.term_end)
}

/// Sets (or replaces) `account`'s credit line with `terms`, starting at `now`, within `policy`.
///
/// A replacement takes effect in full: a new limit and term end. Replacing a **running** term (an
/// active line before its term end) changes its terms: the term's record carries on, a debtor's term
/// end cannot move earlier, and only a raise of the limit is a grant. Otherwise (no line, a closed
/// line, a term that has ended) a **new term** starts: the previous term is settled (its on-time
/// repayment recorded, if any), the debt carried into the new term counts as its first debt, and the
/// full limit is a grant. A closed line is reopened as active; a freeze stays (it is not a line
/// state), and so does credit reserved for vouches ([`Account::reserved`]): a lower limit under it
/// simply leaves no credit to spend until it is released.
///
/// Errors: [`AccountDefaulted`](LedgerError::AccountDefaulted) (terminal),
/// [`Overflow`](LedgerError::Overflow) (limit above [`MAX_AMOUNT`], or term end plus grace beyond
/// `u64`), [`TermEndNotInFuture`](LedgerError::TermEndNotInFuture) (`term_end <= now`),
/// [`TermTooShort`](LedgerError::TermTooShort), [`GraceTooShort`](LedgerError::GraceTooShort),
/// [`TermEndEarlier`](LedgerError::TermEndEarlier) (a debtor's running term shortened),
/// [`LimitBelowDebt`](LedgerError::LimitBelowDebt) (the limit must cover what the member already
/// owes, so spending never takes an account over its limit).
pub fn set_credit_line(
    account: &Account,
    terms: LineTerms,
    policy: LinePolicy,
    now: u64,
) -> Result<LineChange, LedgerError> {
    if account.status() == Some(LineStatus::Defaulted) {
        return Err(LedgerError::AccountDefaulted);
    }
    if terms.limit > MAX_AMOUNT {
        return Err(LedgerError::Overflow);
    }
    if terms.term_end <= now {
        return Err(LedgerError::TermEndNotInFuture { term_end: terms.term_end, now });
    }
    let term = terms.term_end.saturating_sub(now);
    if term < policy.min_term {
        return Err(LedgerError::TermTooShort { term, min_term: policy.min_term });
    }
    policy.check_grace_period(terms.grace_period)?;
    let line = CreditLine {
        limit: terms.limit,
        term_start: now,
        term_end: terms.term_end,
        grace_period: terms.grace_period,
        status: LineStatus::Active,
    };
    // Keep every derived time representable so standing and error messages are exact.
    if line.default_declarable_at().is_none() {
        return Err(LedgerError::Overflow);
    }
    let debt = account.debt();
    if terms.limit < debt {
        return Err(LedgerError::LimitBelowDebt { debt, limit: terms.limit });
    }
    let (record, granted, repaid_on_time, period, term_start) = match running_term(account, now) {
        Some(current) => {
            if debt > 0 && terms.term_end < current.term_end {
                return Err(LedgerError::TermEndEarlier { term_end: terms.term_end, current: current.term_end });
            }
            let raise = terms.limit.saturating_sub(current.limit);
            // The term carries on, from its own start (a credit period's length is end - start).
            let granted = (raise > 0).then_some(Grant { amount: raise, term });
            (account.term, granted, None, account.period, current.term_start)
        }
        None => {
            let record = TermRecord { peak_debt: debt, overdue: false, written_off: 0 };
            let granted = (terms.limit > 0).then_some(Grant { amount: terms.limit, term });
            // A new term is a new credit period: its income record starts again, unpaused.
            let period = account.period.map(|p| PeriodTerms { income: PeriodIncome::NONE, paused: false, ..p });
            (record, granted, term_settlement(account), period, now)
        }
    };
    let line = CreditLine { term_start, ..line };
    // The reservation carries on: it belongs to the member's vouches, not to the line's terms.
    let account = Account { line: Some(line), term: record, period, ..*account };
    Ok(LineChange { account, granted, repaid_on_time })
}

/// The account once its term is settled: the record is made, nothing more can be recorded for it.
const fn settled(account: &Account) -> Account {
    Account { term: TermRecord::NONE, ..*account }
}

/// Closes an active line: no new credit from now on (limit set to 0); a positive balance stays
/// spendable. Closing settles the term: if the member carried debt and has repaid it all on time,
/// its `repaid_on_time` record is due now.
///
/// Closing is allowed **with debt**: it stops further borrowing at once (e.g. when backing is
/// withdrawn) without pretending the debt is gone. The term is kept, so the debt is still due at the
/// term end and the member can still be declared in default after the grace period. That is the
/// one way a balance sits below `-limit` (limit 0, debt still owed); spending never takes it there,
/// and such a debt can only shrink (see the module docs of [`crate::ledger`]). Its on-time repayment,
/// if it comes, is recorded by [`settle_term`].
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`LineClosed`](LedgerError::LineClosed),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted).
pub fn close_credit_line(account: &Account) -> Result<LineChange, LedgerError> {
    let line = active_line(account)?;
    let closed = Account { line: Some(CreditLine { limit: 0, status: LineStatus::Closed, ..line }), ..*account };
    let repaid_on_time = term_settlement(&closed);
    let account = if repaid_on_time.is_some() { settled(&closed) } else { closed };
    Ok(LineChange { account, granted: None, repaid_on_time })
}

/// Settles a term that can no longer create debt (its term end has passed, or the line is closed):
/// returns the account with its record made and the `repaid_on_time` amount to record. Anyone may
/// ask for it; it records a fact once.
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`AccountDefaulted`](LedgerError::AccountDefaulted),
/// [`TermRunning`](LedgerError::TermRunning) (an active line before its term end: more debt may
/// come), [`NothingToRecord`](LedgerError::NothingToRecord) (no debt carried this term, still in
/// debt, repaid late, or already recorded).
pub fn settle_term(account: &Account, now: u64) -> Result<(Account, u128), LedgerError> {
    let line = account.line.ok_or(LedgerError::NoCreditLine)?;
    match line.status {
        LineStatus::Defaulted => return Err(LedgerError::AccountDefaulted),
        LineStatus::Active if now <= line.term_end => return Err(LedgerError::TermRunning { term_end: line.term_end }),
        LineStatus::Active | LineStatus::Closed => {}
    }
    let amount = term_settlement(account).ok_or(LedgerError::NothingToRecord)?;
    Ok((settled(account), amount))
}

/// Sets `account`'s risk fee rate (the underwriting decision's): the rate it pays on the credit each
/// payment draws, on top of the base fee ([`risk_priced_fee`](super::risk_priced_fee)).
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine) (without a line it never draws credit),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted).
pub fn set_risk_fee(account: &Account, risk_fee: FeeRate) -> Result<Account, LedgerError> {
    match account.status() {
        None => Err(LedgerError::NoCreditLine),
        Some(LineStatus::Defaulted) => Err(LedgerError::AccountDefaulted),
        Some(_) => Ok(Account { risk_fee, ..*account }),
    }
}

/// Freezes an account, with or without a line: it can no longer spend anything (it can still
/// receive and repay). The line, if any, is untouched.
///
/// Errors: [`AlreadyFrozen`](LedgerError::AlreadyFrozen).
pub fn freeze(account: &Account) -> Result<Account, LedgerError> {
    if account.frozen {
        return Err(LedgerError::AlreadyFrozen);
    }
    Ok(Account { frozen: true, ..*account })
}

/// Lifts a freeze: the account spends as its line allows again (a default is not a freeze and stays).
///
/// Errors: [`NotFrozen`](LedgerError::NotFrozen).
pub fn unfreeze(account: &Account) -> Result<Account, LedgerError> {
    if !account.frozen {
        return Err(LedgerError::NotFrozen);
    }
    Ok(Account { frozen: false, ..*account })
}

/// The line of `account` if it is active, else the error that explains why not.
fn active_line(account: &Account) -> Result<CreditLine, LedgerError> {
    let line = account.line.ok_or(LedgerError::NoCreditLine)?;
    match line.status {
        LineStatus::Active => Ok(line),
        LineStatus::Defaulted => Err(LedgerError::AccountDefaulted),
        LineStatus::Closed => Err(LedgerError::LineClosed),
    }
}

/// The result of [`declare_default`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefaultOutcome {
    /// The member: balance 0, line `Defaulted` with limit 0.
    pub member: Account,
    /// The loss account: balance lowered by `debt`.
    pub loss: Account,
    /// The debt written off (the member's former `-balance`).
    pub debt: u128,
    /// Debt created on the loss account (= `debt` while the loss account holds no positive balance).
    pub minted: u128,
    /// Debt removed from the member (= `debt`).
    pub burned: u128,
}

/// Writes off a member's unpaid debt once `now` is past its term end plus grace period (for a member
/// on credit-period terms: its period unpaused, and it does not meet its terms).
///
/// The member's negative balance moves to `loss` (the network's loss account): the member's balance
/// becomes 0 and the loss account's balance goes down by the debt, so the sum of balances stays 0.
/// With a loss account that never holds a positive balance (its purpose), supply is unchanged
/// (`minted == burned`); if it does hold some, that part absorbs the debt and is burned. The loss
/// account has no spending check: it is the ledger's own bookkeeping entry. The member's line becomes
/// `Defaulted` with limit 0 and the debt is kept on its record as written off
/// ([`TermRecord::written_off`]): it can still receive, and spend only to repay that debt to the loss
/// account ([`repay_written_off`](super::repay_written_off)). Its reservations stay until its
/// vouches are settled ([`release_credit`](super::release_credit) works on a defaulted line).
///
/// Errors: [`SelfTransfer`](LedgerError::SelfTransfer) (member is the loss account),
/// [`NoCreditLine`](LedgerError::NoCreditLine), [`AccountDefaulted`](LedgerError::AccountDefaulted)
/// (already), [`NoDebt`](LedgerError::NoDebt), [`CreditPeriodPaused`](LedgerError::CreditPeriodPaused),
/// [`MeetsCreditTerms`](LedgerError::MeetsCreditTerms), [`DefaultTooEarly`](LedgerError::DefaultTooEarly),
/// [`Overflow`](LedgerError::Overflow) (the loss account's balance would leave the range).
pub fn declare_default<K: PartialEq + ?Sized>(
    member: Party<'_, K>,
    loss: Party<'_, K>,
    now: u64,
) -> Result<DefaultOutcome, LedgerError> {
    if member.id == loss.id {
        return Err(LedgerError::SelfTransfer);
    }
    let line = member.account.line.ok_or(LedgerError::NoCreditLine)?;
    if line.status == LineStatus::Defaulted {
        return Err(LedgerError::AccountDefaulted);
    }
    let debt = member.account.debt();
    if debt == 0 {
        return Err(LedgerError::NoDebt);
    }
    // A member on credit-period terms defaults by those terms: not while paused, nor when it meets them.
    if let Some(period) = account_period(member.account) {
        if period.paused {
            return Err(LedgerError::CreditPeriodPaused);
        }
        if matches!(account_period_action(member.account, now), PeriodAction::Renewed { .. }) {
            return Err(LedgerError::MeetsCreditTerms);
        }
    }
    if line.standing(member.account.balance, now) != Standing::DefaultDeclarable {
        let declarable_at = line.default_declarable_at().unwrap_or(u64::MAX);
        return Err(LedgerError::DefaultTooEarly { declarable_at });
    }
    // A forced transfer of `debt` from the loss account to the member, without spending checks.
    let (new_loss, minted) = debit(loss.account, debt)?;
    let (cleared, burned) = credit(member.account, debt)?;
    // A freeze and the reservation stay: the member's vouches are settled by their own outcome.
    let member = Account {
        balance: cleared.balance,
        line: Some(CreditLine { limit: 0, status: LineStatus::Defaulted, ..line }),
        term: TermRecord { written_off: debt, ..TermRecord::NONE },
        ..*member.account
    };
    Ok(DefaultOutcome { member, loss: new_loss, debt, minted, burned })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{available_credit, Grant, MIN_BALANCE};

    const NOW: u64 = 10_000;
    const NONE: LinePolicy = LinePolicy { min_term: 0, min_grace_period: 0 };

    fn terms(limit: u128, term_end: u64, grace_period: u64) -> LineTerms {
        LineTerms { limit, term_end, grace_period }
    }

    fn with_line(balance: i128, status: LineStatus) -> Account {
        let line = CreditLine { limit: 100, term_start: NOW, term_end: NOW + 1_000, grace_period: 50, status };
        Account::new(balance, Some(line))
    }

    fn set(account: &Account, t: LineTerms, now: u64) -> Result<LineChange, LedgerError> {
        set_credit_line(account, t, NONE, now)
    }

    fn default_at(member: &Account, loss: &Account, now: u64) -> Result<DefaultOutcome, LedgerError> {
        declare_default(Party::new("member", member), Party::new("loss", loss), now)
    }

    #[test]
    fn set_line_on_a_new_account_grants_the_limit() {
        let c = set(&Account::EMPTY, terms(500, NOW + 30, 7), NOW).unwrap();
        let expected =
            CreditLine { limit: 500, term_start: NOW, term_end: NOW + 30, grace_period: 7, status: LineStatus::Active };
        assert_eq!(c.account, Account::new(0, Some(expected)));
        assert_eq!(c.granted, Some(Grant { amount: 500, term: 30 }));
        assert_eq!(c.repaid_on_time, None);
        assert_eq!(available_credit(&c.account, NOW), 500);
        assert_eq!(
            set(&Account::EMPTY, terms(0, NOW + 30, 7), NOW).unwrap().granted,
            None,
            "a zero limit grants nothing"
        );
    }

    #[test]
    fn set_line_rejects_a_limit_below_the_debt() {
        let debtor = with_line(-80, LineStatus::Active);
        assert_eq!(
            set(&debtor, terms(79, NOW + 1_000, 0), NOW),
            Err(LedgerError::LimitBelowDebt { debt: 80, limit: 79 })
        );
        let a = set(&debtor, terms(80, NOW + 1_000, 0), NOW).unwrap().account;
        assert_eq!((a.balance, a.line.map(|l| l.limit)), (-80, Some(80)));
        assert_eq!(available_credit(&a, NOW), 0);
        // Debt without a line (e.g. after a hand-made migration) is covered by the same rule.
        assert_eq!(
            set(&Account::new(-1, None), terms(0, NOW + 5, 0), NOW),
            Err(LedgerError::LimitBelowDebt { debt: 1, limit: 0 })
        );
    }

    #[test]
    fn set_line_rejects_a_term_end_not_in_the_future() {
        for end in [0, NOW - 1, NOW] {
            assert_eq!(
                set(&Account::EMPTY, terms(1, end, 0), NOW),
                Err(LedgerError::TermEndNotInFuture { term_end: end, now: NOW })
            );
        }
    }

    #[test]
    fn the_policy_sets_a_floor_under_term_and_grace() {
        let policy = LinePolicy { min_term: 86_400, min_grace_period: 3_600 };
        assert_eq!(
            set_credit_line(&Account::EMPTY, terms(1, NOW + 1, 3_600), policy, NOW),
            Err(LedgerError::TermTooShort { term: 1, min_term: 86_400 })
        );
        assert_eq!(
            set_credit_line(&Account::EMPTY, terms(1, NOW + 86_400, 0), policy, NOW),
            Err(LedgerError::GraceTooShort { grace_period: 0, min_grace_period: 3_600 })
        );
        assert!(set_credit_line(&Account::EMPTY, terms(1, NOW + 86_400, 3_600), policy, NOW).is_ok());
    }

    #[test]
    fn a_debtors_running_term_cannot_end_earlier() {
        let debtor = with_line(-10, LineStatus::Active);
        assert_eq!(
            set(&debtor, terms(100, NOW + 999, 50), NOW),
            Err(LedgerError::TermEndEarlier { term_end: NOW + 999, current: NOW + 1_000 })
        );
        assert!(set(&with_line(0, LineStatus::Active), terms(100, NOW + 1, 50), NOW).is_ok(), "no debt: any term");
        assert!(set(&debtor, terms(100, NOW + 1_000, 50), NOW).is_ok());
    }

    #[test]
    fn set_line_rejects_out_of_range_numbers() {
        assert_eq!(set(&Account::EMPTY, terms(MAX_AMOUNT + 1, NOW + 1, 0), NOW), Err(LedgerError::Overflow));
        assert_eq!(set(&Account::EMPTY, terms(1, u64::MAX, 0), NOW), Err(LedgerError::Overflow));
        assert_eq!(set(&Account::EMPTY, terms(1, NOW + 1, u64::MAX), NOW), Err(LedgerError::Overflow));
        assert!(set(&Account::EMPTY, terms(MAX_AMOUNT, u64::MAX - 1, 0), NOW).is_ok());
    }

    #[test]
    fn set_line_by_status() {
        let defaulted = with_line(0, LineStatus::Defaulted);
        assert_eq!(set(&defaulted, terms(1, NOW + 1, 0), NOW), Err(LedgerError::AccountDefaulted));
        let frozen = Account { frozen: true, ..with_line(0, LineStatus::Active) };
        let c = set(&frozen, terms(700, NOW + 1_000, 0), NOW).unwrap();
        assert!(c.account.frozen, "a freeze stays");
        let reopened = set(&with_line(-3, LineStatus::Closed), terms(7, NOW + 1, 0), NOW).unwrap();
        assert_eq!(reopened.account.status(), Some(LineStatus::Active));
        let replaced = set(&with_line(-3, LineStatus::Active), terms(9, NOW + 2_000, 4), NOW + 1).unwrap();
        assert_eq!(
            replaced.account.line,
            Some(CreditLine {
                limit: 9,
                term_start: NOW,
                term_end: NOW + 2_000,
                grace_period: 4,
                status: LineStatus::Active
            })
        );
    }

    #[test]
    fn refinancing_a_running_term_grants_only_a_raise() {
        let member = with_line(-40, LineStatus::Active); // limit 100, term to NOW + 1_000
        let same = set(&member, terms(100, NOW + 5_000, 50), NOW + 10).unwrap();
        assert_eq!((same.granted, same.repaid_on_time), (None, None), "renewal at the same limit");
        let lower = set(&member, terms(60, NOW + 5_000, 50), NOW + 10).unwrap();
        assert_eq!(lower.granted, None);
        let raised = set(&member, terms(250, NOW + 5_000, 50), NOW + 10).unwrap();
        assert_eq!(raised.granted, Some(Grant { amount: 150, term: 4_990 }));
        let carried = Account { term: TermRecord { peak_debt: 70, ..TermRecord::NONE }, ..member };
        assert_eq!(
            set(&carried, terms(100, NOW + 5_000, 50), NOW).unwrap().account.term.peak_debt,
            70,
            "record carries on"
        );
    }

    #[test]
    fn a_new_term_settles_the_old_one_and_grants_the_full_limit() {
        let repaid =
            Account { term: TermRecord { peak_debt: 90, ..TermRecord::NONE }, ..with_line(0, LineStatus::Active) };
        let after_end = NOW + 1_001;
        let c = set(&repaid, terms(100, after_end + 5_000, 50), after_end).unwrap();
        assert_eq!(c.repaid_on_time, Some(90));
        assert_eq!(c.granted, Some(Grant { amount: 100, term: 5_000 }), "a new term after the old one ended");
        assert_eq!(c.account.term, TermRecord::NONE);
        // A late repayment is not on time; a debt carried into the new term is its first debt.
        let late = Account { term: TermRecord { peak_debt: 90, overdue: true, written_off: 0 }, ..repaid };
        assert_eq!(set(&late, terms(100, after_end + 5_000, 50), after_end).unwrap().repaid_on_time, None);
        let in_debt =
            Account { term: TermRecord { peak_debt: 90, ..TermRecord::NONE }, ..with_line(-30, LineStatus::Active) };
        let c = set(&in_debt, terms(100, after_end + 5_000, 50), after_end).unwrap();
        assert_eq!((c.repaid_on_time, c.account.term.peak_debt), (None, 30));
    }

    #[test]
    fn close_keeps_the_debt_and_the_term() {
        let a = with_line(-60, LineStatus::Active);
        let c = close_credit_line(&a).unwrap();
        let closed = c.account;
        assert_eq!((closed.balance, c.repaid_on_time), (-60, None));
        let line = closed.line.unwrap();
        assert_eq!((line.status, line.limit), (LineStatus::Closed, 0));
        assert_eq!((line.term_end, line.grace_period), (NOW + 1_000, 50));
        assert_eq!(available_credit(&closed, NOW), 0);
        assert_eq!(closed.standing(NOW + 1_051), Standing::DefaultDeclarable, "the debt is still due");
        let rich = close_credit_line(&with_line(40, LineStatus::Active)).unwrap().account;
        assert_eq!(available_credit(&rich, NOW), 40, "holdings remain spendable");
    }

    #[test]
    fn close_settles_a_term_repaid_on_time() {
        let repaid =
            Account { term: TermRecord { peak_debt: 90, ..TermRecord::NONE }, ..with_line(5, LineStatus::Active) };
        let c = close_credit_line(&repaid).unwrap();
        assert_eq!((c.repaid_on_time, c.account.term), (Some(90), TermRecord::NONE));
        assert_eq!(settle_term(&c.account, NOW), Err(LedgerError::NothingToRecord), "recorded once");
    }

    #[test]
    fn close_errors() {
        assert_eq!(close_credit_line(&Account::EMPTY), Err(LedgerError::NoCreditLine));
        assert_eq!(close_credit_line(&with_line(0, LineStatus::Closed)), Err(LedgerError::LineClosed));
        assert_eq!(close_credit_line(&with_line(0, LineStatus::Defaulted)), Err(LedgerError::AccountDefaulted));
        let frozen = Account { frozen: true, ..with_line(0, LineStatus::Active) };
        assert!(close_credit_line(&frozen).unwrap().account.frozen, "closing never lifts a freeze");
    }

    #[test]
    fn settle_term_records_once_after_the_term() {
        let repaid =
            Account { term: TermRecord { peak_debt: 90, ..TermRecord::NONE }, ..with_line(0, LineStatus::Active) };
        assert_eq!(settle_term(&repaid, NOW + 1_000), Err(LedgerError::TermRunning { term_end: NOW + 1_000 }));
        let (settled, amount) = settle_term(&repaid, NOW + 1_001).unwrap();
        assert_eq!((amount, settled.term), (90, TermRecord::NONE));
        assert_eq!(settle_term(&settled, NOW + 1_001), Err(LedgerError::NothingToRecord));
        let closed = Account { line: with_line(0, LineStatus::Closed).line, ..repaid };
        assert_eq!(settle_term(&closed, NOW).map(|(_, a)| a), Ok(90), "a closed line settles before its term end");
        assert_eq!(settle_term(&Account::EMPTY, NOW), Err(LedgerError::NoCreditLine));
        assert_eq!(settle_term(&with_line(0, LineStatus::Defaulted), NOW + 2_000), Err(LedgerError::AccountDefaulted));
        let owing = Account { balance: -1, ..repaid };
        assert_eq!(settle_term(&owing, NOW + 1_001), Err(LedgerError::NothingToRecord));
    }

    #[test]
    fn any_account_can_be_frozen_and_unfrozen() {
        for a in [
            with_line(-20, LineStatus::Active),
            Account::new(5, None),
            with_line(0, LineStatus::Closed),
            with_line(0, LineStatus::Defaulted),
        ] {
            let frozen = freeze(&a).unwrap();
            assert!(frozen.frozen);
            assert_eq!(available_credit(&frozen, NOW), 0);
            assert_eq!(freeze(&frozen), Err(LedgerError::AlreadyFrozen));
            assert_eq!(unfreeze(&frozen), Ok(a), "limit, term, status and balance untouched");
            assert_eq!(unfreeze(&a), Err(LedgerError::NotFrozen));
        }
    }

    #[test]
    fn default_moves_the_debt_to_the_loss_account() {
        let member = with_line(-70, LineStatus::Active);
        let loss = Account::new(-500, None);
        let o = default_at(&member, &loss, NOW + 1_051).unwrap();
        assert_eq!(o.member.balance, 0);
        assert_eq!(o.loss.balance, -570);
        assert_eq!((o.debt, o.minted, o.burned), (70, 70, 70), "supply unchanged");
        let line = o.member.line.unwrap();
        assert_eq!((line.status, line.limit), (LineStatus::Defaulted, 0));
        assert_eq!(o.member.term.written_off, 70, "kept on record for recovery");
        assert_eq!(o.member.balance + o.loss.balance, member.balance + loss.balance);
        assert_eq!(available_credit(&o.member, NOW + 1_051), 0);
    }

    #[test]
    fn default_works_on_frozen_and_closed_lines() {
        for a in [Account { frozen: true, ..with_line(-1, LineStatus::Active) }, with_line(-1, LineStatus::Closed)] {
            let o = default_at(&a, &Account::EMPTY, NOW + 1_051).unwrap();
            assert_eq!(o.member.status(), Some(LineStatus::Defaulted));
            assert_eq!(o.member.frozen, a.frozen);
        }
    }

    #[test]
    fn default_with_a_positive_loss_account_burns() {
        let o = default_at(&with_line(-70, LineStatus::Active), &Account::new(30, None), NOW + 1_051).unwrap();
        assert_eq!((o.loss.balance, o.minted, o.burned), (-40, 40, 70));
    }

    #[test]
    fn default_too_early() {
        let member = with_line(-70, LineStatus::Active);
        for now in [NOW, NOW + 1_000, NOW + 1_001, NOW + 1_050] {
            assert_eq!(
                default_at(&member, &Account::EMPTY, now),
                Err(LedgerError::DefaultTooEarly { declarable_at: NOW + 1_051 })
            );
        }
    }

    #[test]
    fn default_errors() {
        let late = NOW + 10_000;
        assert_eq!(default_at(&with_line(0, LineStatus::Active), &Account::EMPTY, late), Err(LedgerError::NoDebt));
        assert_eq!(default_at(&with_line(5, LineStatus::Active), &Account::EMPTY, late), Err(LedgerError::NoDebt));
        assert_eq!(default_at(&Account::new(-5, None), &Account::EMPTY, late), Err(LedgerError::NoCreditLine));
        assert_eq!(
            default_at(&with_line(-5, LineStatus::Defaulted), &Account::EMPTY, late),
            Err(LedgerError::AccountDefaulted)
        );
        let m = with_line(-5, LineStatus::Active);
        assert_eq!(declare_default(Party::new(&3, &m), Party::new(&3, &m), late), Err(LedgerError::SelfTransfer));
        let deep_loss = Account::new(MIN_BALANCE + 4, None);
        assert_eq!(default_at(&m, &deep_loss, late), Err(LedgerError::Overflow));
    }

    #[test]
    fn default_never_declarable_on_a_saturated_term() {
        let line = CreditLine {
            limit: 1,
            term_start: 0,
            term_end: u64::MAX - 1,
            grace_period: u64::MAX,
            status: LineStatus::Active,
        };
        let m = Account::new(-1, Some(line));
        assert_eq!(
            default_at(&m, &Account::EMPTY, u64::MAX),
            Err(LedgerError::DefaultTooEarly { declarable_at: u64::MAX })
        );
    }
}
