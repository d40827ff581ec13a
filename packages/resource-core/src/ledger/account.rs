use super::{is_compliant, FeeRate, PeriodTerms, MAX_AMOUNT};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Administrative state of a credit line. Past-due is not a status: it follows from the time and the
/// balance (see [`CreditLine::standing`]), so nobody has to send a transaction when a term ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum LineStatus {
    /// The member may spend down to `-limit` until the term end.
    Active,
    /// The member was declared in default; terminal: no new line, and it may spend only to repay its
    /// written-off debt to the loss account ([`repay_written_off`](super::repay_written_off)).
    Defaulted,
    /// No new credit; a positive balance can still be spent and any debt must still be repaid.
    Closed,
}

/// Where a member stands with its debt at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Standing {
    /// No debt, or the term has not ended yet.
    Good,
    /// In debt after the term end, still within the grace period.
    PastDue,
    /// In debt after the term end plus grace period: the member can be declared in default.
    DefaultDeclarable,
}

/// A member's credit line: how far below zero it may spend, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreditLine {
    /// The balance may go down to `-limit` through spending.
    pub limit: u128,
    /// Unix seconds from which the line can be used.
    pub term_start: u64,
    /// Unix seconds after which no new credit is granted and a debt is past due.
    pub term_end: u64,
    /// Seconds after `term_end` before a member still in debt can be declared in default.
    pub grace_period: u64,
    /// Administrative state.
    pub status: LineStatus,
}

impl CreditLine {
    /// Standing of a member with this line and `balance` at `now`:
    /// past due when `now > term_end` with a negative balance, default-declarable when
    /// `now > term_end + grace_period` with a negative balance.
    pub const fn standing(&self, balance: i128, now: u64) -> Standing {
        if balance >= 0 || now <= self.term_end {
            Standing::Good
        } else if now <= self.term_end.saturating_add(self.grace_period) {
            Standing::PastDue
        } else {
            Standing::DefaultDeclarable
        }
    }

    /// First time at which a member still in debt can be declared in default (`term_end +
    /// grace_period + 1`), or `None` if that is beyond `u64` (never).
    pub const fn default_declarable_at(&self) -> Option<u64> {
        match self.term_end.checked_add(self.grace_period) {
            Some(t) => t.checked_add(1),
            None => None,
        }
    }

    /// Whether the line grants credit at `now`: active and within `term_start..=term_end`.
    pub const fn is_usable(&self, now: u64) -> bool {
        matches!(self.status, LineStatus::Active) && self.term_start <= now && now <= self.term_end
    }
}

/// What the reputation records of a member's current credit term are made from (see
/// [`term_settlement`]). Kept beside the line, not in it, so that a line's terms stay what the
/// credit authority set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TermRecord {
    /// The largest debt carried during the current term; back to 0 once its repayment is recorded.
    pub peak_debt: u128,
    /// Part of the term's debt was still owed after the term end, so its repayment was late.
    pub overdue: bool,
    /// A defaulted member's written-off debt not yet repaid to the loss account.
    pub written_off: u128,
}

impl TermRecord {
    /// No debt carried, nothing written off.
    pub const NONE: TermRecord = TermRecord { peak_debt: 0, overdue: false, written_off: 0 };
}

/// What the ledger stores per member: one read and one write per touched account.
///
/// `Copy`. Fee-exemption and similar per-network settings belong to the caller's configuration, not
/// here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Account {
    /// Signed balance: positive = money held, negative = debt (see the module docs for the range).
    pub balance: i128,
    /// The member's credit line, if any. Without one the account can never go below zero by spending.
    pub line: Option<CreditLine>,
    /// An administrative hold on the account, with or without a line: it cannot spend anything
    /// (it can still receive) until unfrozen. Independent of the line, so freezing and unfreezing
    /// never change a line's status or terms.
    pub frozen: bool,
    /// The current term's record.
    pub term: TermRecord,
    /// Credit reserved for vouches ([`reserve_credit`](super::reserve_credit)): the part of the line
    /// the member cannot spend until it is released ([`release_credit`](super::release_credit)).
    /// Kept across line changes, closing and default, so that a reservation can always be released.
    /// Absent from JSON written before reservations existed, hence the serde default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub reserved: u128,
    /// Credit-period terms (ReSource's): with them, an active line's term renews by itself when the
    /// member meets them and ends in default when it does not ([`sync_credit_period`](super::sync_credit_period)).
    /// Without them the term is fixed. Absent from JSON written before periods existed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub period: Option<PeriodTerms>,
    /// The member's risk fee: a rate on the part of each payment it draws on credit, on top of the
    /// network's base fee ([`risk_priced_fee`](super::risk_priced_fee)); set by the underwriting
    /// decision. Absent from JSON written before risk fees existed (no risk fee).
    #[cfg_attr(feature = "serde", serde(default))]
    pub risk_fee: FeeRate,
}

impl Account {
    /// An account with no balance and no line (how every member starts).
    pub const EMPTY: Account = Account {
        balance: 0,
        line: None,
        frozen: false,
        term: TermRecord::NONE,
        reserved: 0,
        period: None,
        risk_fee: FeeRate::ZERO,
    };

    /// An account holding `balance` with `line`, not frozen, nothing on record, nothing reserved.
    pub const fn new(balance: i128, line: Option<CreditLine>) -> Account {
        Account { line, balance, ..Account::EMPTY }
    }

    /// What the member owes: `-balance` if negative, else 0.
    pub const fn debt(&self) -> u128 {
        if self.balance < 0 {
            self.balance.unsigned_abs()
        } else {
            0
        }
    }

    /// The positive part of the balance (what a cw20 `Balance` query reports).
    pub const fn holdings(&self) -> u128 {
        if self.balance > 0 {
            self.balance.unsigned_abs()
        } else {
            0
        }
    }

    /// Standing at `now`; an account without a line is always in good standing (it cannot owe through
    /// spending; the loss account is such an account). With credit-period terms on an active line, a
    /// paused period, or an expired one whose member meets its terms (it renews), is in good standing
    /// too.
    pub fn standing(&self, now: u64) -> Standing {
        match (&self.line, &self.period) {
            (Some(line), Some(p)) if line.status == LineStatus::Active => {
                if p.paused || is_compliant(self.balance, p.income, p.min_itd) {
                    Standing::Good
                } else {
                    line.standing(self.balance, now)
                }
            }
            (Some(line), _) => line.standing(self.balance, now),
            (None, _) => Standing::Good,
        }
    }

    /// Whether the account's credit period is paused on an active line: its term then grants credit
    /// past its end, since no period rule applies.
    pub const fn period_paused(&self) -> bool {
        match (&self.line, &self.period) {
            (Some(line), Some(p)) => p.paused && matches!(line.status, LineStatus::Active),
            _ => false,
        }
    }

    /// Whether the account holds written-off debt: debt without a credit line, which only a loss
    /// account (current or former) can have, since spending below zero needs a line. No fee may
    /// reach such an account: it would pay down written-off debt.
    pub const fn holds_written_off_debt(&self) -> bool {
        self.balance < 0 && self.line.is_none()
    }

    /// The line's status, if there is a line.
    pub const fn status(&self) -> Option<LineStatus> {
        match &self.line {
            Some(line) => Some(line.status),
            None => None,
        }
    }
}

/// The on-time repayment a settled term records, if any: the largest debt carried during the term
/// ([`TermRecord::peak_debt`]), when all of it was repaid by the term end (never overdue) and the
/// member owes nothing now. `None` for an account without a line, a defaulted one, one still in debt
/// or one that carried no debt this term.
///
/// This is what a `repaid_on_time` reputation record means: **one per credit term**, made when the
/// term is settled (the term ended, or the line was closed or replaced by a new term) and never at
/// each repayment, so borrowing 1 and repaying it many times within a term is one record of 1, and
/// a record's amount is the debt the member actually carried.
pub const fn term_settlement(account: &Account) -> Option<u128> {
    match &account.line {
        Some(line) if !matches!(line.status, LineStatus::Defaulted) => {
            let t = &account.term;
            if account.balance >= 0 && t.peak_debt > 0 && !t.overdue {
                Some(t.peak_debt)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// How much `account` may spend at `now` (amount plus fee).
///
/// - Frozen account or defaulted line: 0.
/// - Usable line (active, `term_start <= now <= term_end`, or past `term_end` while its credit
///   period is paused): `balance + limit - reserved`, never below
///   0 (`max(balance, 0) + limit - reserved` when not in debt, `limit - reserved - debt` when in
///   debt): the reservation is taken out of the line, so the member never spends into it.
/// - Otherwise (no line, closed, or past the term end): `max(balance, 0)`. Past the term end no new
///   money is created, but what the member holds stays spendable: it was earned, not borrowed (and a
///   reservation, being credit, never locks it).
///
/// Saturates at `u128::MAX` instead of overflowing; a limit above [`MAX_AMOUNT`] counts as
/// `MAX_AMOUNT`; a reservation above the limit (the limit was lowered after it) leaves no credit.
pub const fn available_credit(account: &Account, now: u64) -> u128 {
    if account.frozen {
        return 0;
    }
    match &account.line {
        Some(line) if matches!(line.status, LineStatus::Defaulted) => 0,
        Some(line) if line.is_usable(now) || (account.period_paused() && line.term_start <= now) => {
            let limit = if line.limit > MAX_AMOUNT { MAX_AMOUNT } else { line.limit };
            let limit = limit.saturating_sub(account.reserved);
            if account.balance >= 0 {
                account.balance.unsigned_abs().saturating_add(limit)
            } else {
                limit.saturating_sub(account.balance.unsigned_abs())
            }
        }
        _ => account.holdings(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_000;
    const END: u64 = 2_000;
    const GRACE: u64 = 100;

    fn line(limit: u128, status: LineStatus) -> CreditLine {
        CreditLine { limit, term_start: T0, term_end: END, grace_period: GRACE, status }
    }

    fn account(balance: i128, line: Option<CreditLine>) -> Account {
        Account::new(balance, line)
    }

    #[test]
    fn account_is_small() {
        // Passed by value through every operation (storage has its own compact encoding): keep an eye
        // on it if fields are added. The reservation added one u128 (and the `frozen` flag's padding),
        // the credit-period terms 48 bytes.
        assert!(core::mem::size_of::<Account>() <= 192, "{}", core::mem::size_of::<Account>());
    }

    #[test]
    fn standing_follows_time_and_balance() {
        let l = line(100, LineStatus::Active);
        assert_eq!(l.standing(-1, END), Standing::Good, "due at term end, not yet past due");
        assert_eq!(l.standing(-1, END + 1), Standing::PastDue);
        assert_eq!(l.standing(-1, END + GRACE), Standing::PastDue, "last second of grace");
        assert_eq!(l.standing(-1, END + GRACE + 1), Standing::DefaultDeclarable);
        assert_eq!(l.standing(0, END + GRACE + 1), Standing::Good, "no debt, no default");
        assert_eq!(l.standing(5, u64::MAX), Standing::Good);
        assert_eq!(l.default_declarable_at(), Some(END + GRACE + 1));
    }

    #[test]
    fn standing_never_overflows() {
        let l = CreditLine { term_end: u64::MAX - 1, grace_period: u64::MAX, ..line(1, LineStatus::Active) };
        assert_eq!(l.standing(-1, u64::MAX), Standing::PastDue);
        assert_eq!(l.default_declarable_at(), None);
        let l = CreditLine { term_end: u64::MAX - 1, grace_period: 0, ..l };
        assert_eq!(l.standing(-1, u64::MAX), Standing::DefaultDeclarable);
        assert_eq!(l.default_declarable_at(), Some(u64::MAX));
    }

    #[test]
    fn account_standing_without_line_is_good() {
        assert_eq!(account(-500, None).standing(u64::MAX), Standing::Good);
        assert_eq!(account(-5, Some(line(10, LineStatus::Active))).standing(END + 1), Standing::PastDue);
    }

    #[test]
    fn debt_and_holdings() {
        assert_eq!(account(-7, None).debt(), 7);
        assert_eq!(account(-7, None).holdings(), 0);
        assert_eq!(account(7, None).debt(), 0);
        assert_eq!(account(7, None).holdings(), 7);
        assert_eq!(Account::EMPTY.debt(), 0);
        assert_eq!(account(i128::MIN, None).debt(), 1u128 << 127);
        assert_eq!(Account::default(), Account::EMPTY);
        assert_eq!(Account::EMPTY.status(), None);
        assert!(account(-7, None).holds_written_off_debt());
        assert!(!account(-7, Some(line(10, LineStatus::Active))).holds_written_off_debt(), "a member's own debt");
        assert!(!account(0, None).holds_written_off_debt());
        assert_eq!(account(0, Some(line(1, LineStatus::Closed))).status(), Some(LineStatus::Closed));
    }

    #[test]
    fn available_with_an_active_line() {
        let l = Some(line(100, LineStatus::Active));
        assert_eq!(available_credit(&account(0, l), T0), 100);
        assert_eq!(available_credit(&account(40, l), T0), 140);
        assert_eq!(available_credit(&account(-30, l), T0), 70, "a debt uses up the line");
        assert_eq!(available_credit(&account(-100, l), T0), 0);
        assert_eq!(available_credit(&account(-150, l), T0), 0, "over the limit (limit was cut): nothing");
        assert_eq!(available_credit(&account(40, l), END), 140, "usable through the term end second");
    }

    #[test]
    fn no_new_credit_outside_the_term() {
        let l = Some(line(100, LineStatus::Active));
        assert_eq!(available_credit(&account(40, l), END + 1), 40, "positive balance stays spendable");
        assert_eq!(available_credit(&account(-30, l), END + 1), 0);
        assert_eq!(available_credit(&account(40, l), T0 - 1), 40, "line not started yet");
    }

    #[test]
    fn available_by_status() {
        let frozen = |balance, line| Account { frozen: true, ..account(balance, line) };
        assert_eq!(available_credit(&frozen(40, Some(line(100, LineStatus::Active))), T0), 0);
        assert_eq!(available_credit(&frozen(40, None), T0), 0, "an account without a line can be frozen too");
        assert_eq!(available_credit(&account(40, Some(line(100, LineStatus::Defaulted))), T0), 0);
        assert_eq!(available_credit(&account(40, Some(line(100, LineStatus::Closed))), T0), 40);
        assert_eq!(available_credit(&account(-40, Some(line(100, LineStatus::Closed))), T0), 0);
        assert_eq!(available_credit(&account(40, None), T0), 40);
        assert_eq!(available_credit(&account(-40, None), T0), 0);
    }

    #[test]
    fn available_saturates_instead_of_overflowing() {
        let huge = Some(line(u128::MAX, LineStatus::Active));
        assert_eq!(available_credit(&account(0, huge), T0), MAX_AMOUNT, "limit counts as at most MAX_AMOUNT");
        assert_eq!(available_credit(&account(i128::MAX, huge), T0), u128::MAX - 1);
        assert_eq!(available_credit(&account(i128::MIN, huge), T0), 0);
    }

    #[test]
    fn a_settled_term_records_the_peak_debt_once_if_never_overdue() {
        let with = |balance: i128, peak_debt: u128, overdue: bool, status: LineStatus| Account {
            term: TermRecord { peak_debt, overdue, written_off: 0 },
            ..account(balance, Some(line(500, status)))
        };
        assert_eq!(term_settlement(&with(0, 300, false, LineStatus::Active)), Some(300));
        assert_eq!(term_settlement(&with(50, 300, false, LineStatus::Closed)), Some(300));
        // Still in debt, repaid late, never in debt, no line, defaulted: nothing to record.
        assert_eq!(term_settlement(&with(-1, 300, false, LineStatus::Active)), None);
        assert_eq!(term_settlement(&with(0, 300, true, LineStatus::Active)), None);
        assert_eq!(term_settlement(&with(0, 0, false, LineStatus::Active)), None);
        assert_eq!(
            term_settlement(&Account { term: with(0, 300, false, LineStatus::Active).term, ..account(0, None) }),
            None
        );
        assert_eq!(term_settlement(&with(0, 300, false, LineStatus::Defaulted)), None);
    }
}
