//! Credit-line lifecycle. Status transitions (anything else is an error):
//!
//! ```text
//! none / Active / Closed --set_credit_line--> Active      Frozen --set_credit_line--> Frozen
//! Active --freeze--> Frozen --unfreeze--> Active
//! Active --close_credit_line--> Closed
//! any but Defaulted --declare_default (debt past term end + grace)--> Defaulted (terminal)
//! ```

use super::transfer::{credit, debit};
use super::{Account, CreditLine, LedgerError, LineStatus, Party, Standing, MAX_AMOUNT};

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

/// Sets (or replaces) `account`'s credit line with `terms`, starting at `now`.
///
/// A replacement takes effect in full: a new limit, a new term (refinancing a past-due debt is a new
/// line with a later term end). A frozen line stays frozen (freezing is a separate decision, undone
/// only by [`unfreeze`]); a closed line is reopened as active.
///
/// Errors: [`AccountDefaulted`](LedgerError::AccountDefaulted) (terminal),
/// [`Overflow`](LedgerError::Overflow) (limit above [`MAX_AMOUNT`], or term end plus grace beyond
/// `u64`), [`TermEndNotInFuture`](LedgerError::TermEndNotInFuture) (`term_end <= now`),
/// [`LimitBelowDebt`](LedgerError::LimitBelowDebt) (the limit must cover what the member already
/// owes, so no account is ever over its limit).
pub fn set_credit_line(account: &Account, terms: LineTerms, now: u64) -> Result<Account, LedgerError> {
    let status = match account.status() {
        Some(LineStatus::Defaulted) => return Err(LedgerError::AccountDefaulted),
        Some(LineStatus::Frozen) => LineStatus::Frozen,
        None | Some(LineStatus::Active | LineStatus::Closed) => LineStatus::Active,
    };
    if terms.limit > MAX_AMOUNT {
        return Err(LedgerError::Overflow);
    }
    if terms.term_end <= now {
        return Err(LedgerError::TermEndNotInFuture { term_end: terms.term_end, now });
    }
    let line = CreditLine {
        limit: terms.limit,
        term_start: now,
        term_end: terms.term_end,
        grace_period: terms.grace_period,
        status,
    };
    // Keep every derived time representable so standing and error messages are exact.
    if line.default_declarable_at().is_none() {
        return Err(LedgerError::Overflow);
    }
    let debt = account.debt();
    if terms.limit < debt {
        return Err(LedgerError::LimitBelowDebt { debt, limit: terms.limit });
    }
    Ok(Account { balance: account.balance, line: Some(line) })
}

/// Closes an active line: no new credit from now on (limit set to 0); a positive balance stays
/// spendable.
///
/// Closing is allowed **with debt**: it stops further borrowing at once (e.g. when backing is
/// withdrawn) without pretending the debt is gone. The term is kept, so the debt is still due at the
/// term end and the member can still be declared in default after the grace period.
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`LineClosed`](LedgerError::LineClosed),
/// [`AccountFrozen`](LedgerError::AccountFrozen) (unfreeze first, so that closing never lifts a freeze),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted).
pub fn close_credit_line(account: &Account) -> Result<Account, LedgerError> {
    let line = active_line(account)?;
    Ok(Account { balance: account.balance, line: Some(CreditLine { limit: 0, status: LineStatus::Closed, ..line }) })
}

/// Freezes an active line: the member can no longer spend anything (it can still receive and repay).
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`AlreadyFrozen`](LedgerError::AlreadyFrozen),
/// [`LineClosed`](LedgerError::LineClosed), [`AccountDefaulted`](LedgerError::AccountDefaulted).
pub fn freeze(account: &Account) -> Result<Account, LedgerError> {
    let line = active_line(account).map_err(|e| match e {
        LedgerError::AccountFrozen => LedgerError::AlreadyFrozen,
        other => other,
    })?;
    Ok(Account { balance: account.balance, line: Some(CreditLine { status: LineStatus::Frozen, ..line }) })
}

/// Lifts a freeze: the line is active again with its limit and term unchanged.
///
/// Errors: [`NoCreditLine`](LedgerError::NoCreditLine), [`NotFrozen`](LedgerError::NotFrozen),
/// [`AccountDefaulted`](LedgerError::AccountDefaulted) (a default is not a freeze and is not lifted).
pub fn unfreeze(account: &Account) -> Result<Account, LedgerError> {
    let line = account.line.ok_or(LedgerError::NoCreditLine)?;
    match line.status {
        LineStatus::Frozen => {
            Ok(Account { balance: account.balance, line: Some(CreditLine { status: LineStatus::Active, ..line }) })
        }
        LineStatus::Defaulted => Err(LedgerError::AccountDefaulted),
        LineStatus::Active | LineStatus::Closed => Err(LedgerError::NotFrozen),
    }
}

/// The line of `account` if it is active, else the error that explains why not.
fn active_line(account: &Account) -> Result<CreditLine, LedgerError> {
    let line = account.line.ok_or(LedgerError::NoCreditLine)?;
    match line.status {
        LineStatus::Active => Ok(line),
        LineStatus::Frozen => Err(LedgerError::AccountFrozen),
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

/// Writes off a member's unpaid debt once `now` is past its term end plus grace period.
///
/// The member's negative balance moves to `loss` (the network's loss account): the member's balance
/// becomes 0 and the loss account's balance goes down by the debt, so the sum of balances stays 0.
/// With a loss account that never holds a positive balance (its purpose), supply is unchanged
/// (`minted == burned`); if it does hold some, that part absorbs the debt and is burned. The loss
/// account has no spending check: it is the ledger's own bookkeeping entry. The member's line becomes
/// `Defaulted` with limit 0: it can never spend again but can still receive.
///
/// Errors: [`SelfTransfer`](LedgerError::SelfTransfer) (member is the loss account),
/// [`NoCreditLine`](LedgerError::NoCreditLine), [`AccountDefaulted`](LedgerError::AccountDefaulted)
/// (already), [`NoDebt`](LedgerError::NoDebt), [`DefaultTooEarly`](LedgerError::DefaultTooEarly),
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
    if line.standing(member.account.balance, now) != Standing::DefaultDeclarable {
        let declarable_at = line.default_declarable_at().unwrap_or(u64::MAX);
        return Err(LedgerError::DefaultTooEarly { declarable_at });
    }
    // A forced transfer of `debt` from the loss account to the member, without spending checks.
    let (new_loss, minted) = debit(loss.account, debt)?;
    let (cleared, burned) = credit(member.account, debt)?;
    let member = Account {
        balance: cleared.balance,
        line: Some(CreditLine { limit: 0, status: LineStatus::Defaulted, ..line }),
    };
    Ok(DefaultOutcome { member, loss: new_loss, debt, minted, burned })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{available_credit, MIN_BALANCE};

    const NOW: u64 = 10_000;

    fn terms(limit: u128, term_end: u64, grace_period: u64) -> LineTerms {
        LineTerms { limit, term_end, grace_period }
    }

    fn with_line(balance: i128, status: LineStatus) -> Account {
        let line = CreditLine { limit: 100, term_start: NOW, term_end: NOW + 1_000, grace_period: 50, status };
        Account { balance, line: Some(line) }
    }

    fn default_at(member: &Account, loss: &Account, now: u64) -> Result<DefaultOutcome, LedgerError> {
        declare_default(Party::new("member", member), Party::new("loss", loss), now)
    }

    #[test]
    fn set_line_on_a_new_account() {
        let a = set_credit_line(&Account::EMPTY, terms(500, NOW + 30, 7), NOW).unwrap();
        let expected =
            CreditLine { limit: 500, term_start: NOW, term_end: NOW + 30, grace_period: 7, status: LineStatus::Active };
        assert_eq!(a, Account { balance: 0, line: Some(expected) });
        assert_eq!(available_credit(&a, NOW), 500);
    }

    #[test]
    fn set_line_rejects_a_limit_below_the_debt() {
        let debtor = with_line(-80, LineStatus::Active);
        assert_eq!(
            set_credit_line(&debtor, terms(79, NOW + 5, 0), NOW),
            Err(LedgerError::LimitBelowDebt { debt: 80, limit: 79 })
        );
        let a = set_credit_line(&debtor, terms(80, NOW + 5, 0), NOW).unwrap();
        assert_eq!((a.balance, a.line.map(|l| l.limit)), (-80, Some(80)));
        assert_eq!(available_credit(&a, NOW), 0);
        // Debt without a line (e.g. after a hand-made migration) is covered by the same rule.
        assert_eq!(
            set_credit_line(&Account { balance: -1, line: None }, terms(0, NOW + 5, 0), NOW),
            Err(LedgerError::LimitBelowDebt { debt: 1, limit: 0 })
        );
    }

    #[test]
    fn set_line_rejects_a_term_end_not_in_the_future() {
        for end in [0, NOW - 1, NOW] {
            assert_eq!(
                set_credit_line(&Account::EMPTY, terms(1, end, 0), NOW),
                Err(LedgerError::TermEndNotInFuture { term_end: end, now: NOW })
            );
        }
    }

    #[test]
    fn set_line_rejects_out_of_range_numbers() {
        assert_eq!(
            set_credit_line(&Account::EMPTY, terms(MAX_AMOUNT + 1, NOW + 1, 0), NOW),
            Err(LedgerError::Overflow)
        );
        assert_eq!(set_credit_line(&Account::EMPTY, terms(1, u64::MAX, 0), NOW), Err(LedgerError::Overflow));
        assert_eq!(set_credit_line(&Account::EMPTY, terms(1, NOW + 1, u64::MAX), NOW), Err(LedgerError::Overflow));
        assert!(set_credit_line(&Account::EMPTY, terms(MAX_AMOUNT, u64::MAX - 1, 0), NOW).is_ok());
    }

    #[test]
    fn set_line_by_status() {
        let defaulted = with_line(0, LineStatus::Defaulted);
        assert_eq!(set_credit_line(&defaulted, terms(1, NOW + 1, 0), NOW), Err(LedgerError::AccountDefaulted));
        let frozen = set_credit_line(&with_line(0, LineStatus::Frozen), terms(7, NOW + 1, 0), NOW).unwrap();
        assert_eq!(frozen.line.map(|l| (l.status, l.limit)), Some((LineStatus::Frozen, 7)), "stays frozen");
        let reopened = set_credit_line(&with_line(-3, LineStatus::Closed), terms(7, NOW + 1, 0), NOW).unwrap();
        assert_eq!(reopened.status(), Some(LineStatus::Active));
        let replaced = set_credit_line(&with_line(-3, LineStatus::Active), terms(9, NOW + 2, 4), NOW + 1).unwrap();
        assert_eq!(
            replaced.line,
            Some(CreditLine {
                limit: 9,
                term_start: NOW + 1,
                term_end: NOW + 2,
                grace_period: 4,
                status: LineStatus::Active
            })
        );
    }

    #[test]
    fn close_keeps_the_debt_and_the_term() {
        let a = with_line(-60, LineStatus::Active);
        let closed = close_credit_line(&a).unwrap();
        assert_eq!(closed.balance, -60);
        let line = closed.line.unwrap();
        assert_eq!((line.status, line.limit), (LineStatus::Closed, 0));
        assert_eq!((line.term_end, line.grace_period), (NOW + 1_000, 50));
        assert_eq!(available_credit(&closed, NOW), 0);
        assert_eq!(closed.standing(NOW + 1_051), Standing::DefaultDeclarable, "the debt is still due");
        let rich = close_credit_line(&with_line(40, LineStatus::Active)).unwrap();
        assert_eq!(available_credit(&rich, NOW), 40, "holdings remain spendable");
    }

    #[test]
    fn close_errors() {
        assert_eq!(close_credit_line(&Account::EMPTY), Err(LedgerError::NoCreditLine));
        assert_eq!(close_credit_line(&with_line(0, LineStatus::Closed)), Err(LedgerError::LineClosed));
        assert_eq!(close_credit_line(&with_line(0, LineStatus::Frozen)), Err(LedgerError::AccountFrozen));
        assert_eq!(close_credit_line(&with_line(0, LineStatus::Defaulted)), Err(LedgerError::AccountDefaulted));
    }

    #[test]
    fn freeze_and_unfreeze_round_trip() {
        let a = with_line(-20, LineStatus::Active);
        let frozen = freeze(&a).unwrap();
        assert_eq!(frozen.status(), Some(LineStatus::Frozen));
        assert_eq!(available_credit(&frozen, NOW), 0);
        assert_eq!(unfreeze(&frozen), Ok(a), "limit, term and balance untouched");
    }

    #[test]
    fn freeze_errors() {
        assert_eq!(freeze(&Account::EMPTY), Err(LedgerError::NoCreditLine));
        assert_eq!(freeze(&with_line(0, LineStatus::Frozen)), Err(LedgerError::AlreadyFrozen));
        assert_eq!(freeze(&with_line(0, LineStatus::Closed)), Err(LedgerError::LineClosed));
        assert_eq!(freeze(&with_line(0, LineStatus::Defaulted)), Err(LedgerError::AccountDefaulted));
        assert_eq!(unfreeze(&Account::EMPTY), Err(LedgerError::NoCreditLine));
        assert_eq!(unfreeze(&with_line(0, LineStatus::Active)), Err(LedgerError::NotFrozen));
        assert_eq!(unfreeze(&with_line(0, LineStatus::Closed)), Err(LedgerError::NotFrozen));
        assert_eq!(unfreeze(&with_line(0, LineStatus::Defaulted)), Err(LedgerError::AccountDefaulted));
    }

    #[test]
    fn default_moves_the_debt_to_the_loss_account() {
        let member = with_line(-70, LineStatus::Active);
        let loss = Account { balance: -500, line: None };
        let o = default_at(&member, &loss, NOW + 1_051).unwrap();
        assert_eq!(o.member.balance, 0);
        assert_eq!(o.loss.balance, -570);
        assert_eq!((o.debt, o.minted, o.burned), (70, 70, 70), "supply unchanged");
        let line = o.member.line.unwrap();
        assert_eq!((line.status, line.limit), (LineStatus::Defaulted, 0));
        assert_eq!(o.member.balance + o.loss.balance, member.balance + loss.balance);
        assert_eq!(available_credit(&o.member, NOW + 1_051), 0);
    }

    #[test]
    fn default_works_on_frozen_and_closed_lines() {
        for status in [LineStatus::Frozen, LineStatus::Closed] {
            let o = default_at(&with_line(-1, status), &Account::EMPTY, NOW + 1_051).unwrap();
            assert_eq!(o.member.status(), Some(LineStatus::Defaulted));
        }
    }

    #[test]
    fn default_with_a_positive_loss_account_burns() {
        let o =
            default_at(&with_line(-70, LineStatus::Active), &Account { balance: 30, line: None }, NOW + 1_051).unwrap();
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
        assert_eq!(
            default_at(&Account { balance: -5, line: None }, &Account::EMPTY, late),
            Err(LedgerError::NoCreditLine)
        );
        assert_eq!(
            default_at(&with_line(-5, LineStatus::Defaulted), &Account::EMPTY, late),
            Err(LedgerError::AccountDefaulted)
        );
        let m = with_line(-5, LineStatus::Active);
        assert_eq!(declare_default(Party::new(&3, &m), Party::new(&3, &m), late), Err(LedgerError::SelfTransfer));
        let deep_loss = Account { balance: MIN_BALANCE + 4, line: None };
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
        let m = Account { balance: -1, line: Some(line) };
        assert_eq!(
            default_at(&m, &Account::EMPTY, u64::MAX),
            Err(LedgerError::DefaultTooEarly { declarable_at: u64::MAX })
        );
    }
}
