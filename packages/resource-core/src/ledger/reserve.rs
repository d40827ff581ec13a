//! Credit reserved for vouches: a member in good standing sets part of its own credit line aside for
//! a newcomer it vouches for ([`reserve_credit`]); while reserved, that part cannot be spent
//! ([`available_credit`] leaves it out). When the vouch is settled the reservation is released
//! ([`release_credit`]), and if the newcomer defaulted the voucher's limit is cut by the same amount
//! ([`limit_after_cut`]).
//!
//! Reserving is the only step that needs good standing. Releasing works whatever has happened to the
//! voucher's line since (closed, defaulted, frozen, term ended), so that a reservation never gets
//! stuck; the vouch's outcome is decided by the newcomer, not by the voucher's later state.

use super::{available_credit, Account, CreditLine, LedgerError, LineStatus, StandingIssue, MAX_AMOUNT};

/// The good-standing rule of reservations: an active, unfrozen line whose term is running at `now`
/// (`term_start <= now <= term_end`, so the member cannot be past due).
const fn good_standing(account: &Account, now: u64) -> Result<CreditLine, StandingIssue> {
    let line = match account.line {
        Some(line) => line,
        None => return Err(StandingIssue::NoCreditLine),
    };
    match line.status {
        LineStatus::Active => {}
        LineStatus::Closed => return Err(StandingIssue::LineClosed),
        LineStatus::Defaulted => return Err(StandingIssue::Defaulted),
    }
    if account.frozen {
        return Err(StandingIssue::Frozen);
    }
    if now < line.term_start {
        return Err(StandingIssue::TermNotStarted { term_start: line.term_start });
    }
    if now > line.term_end {
        return Err(StandingIssue::TermEnded { term_end: line.term_end });
    }
    Ok(line)
}

/// How much more credit `account` can reserve at `now`: `min(limit, available credit) - reserved`,
/// i.e. the unreserved part of its line (`limit - reserved`) less any debt, but never more than it
/// could spend. So a debtor cannot reserve the credit its debt already uses, and a reservation plus
/// the debt never exceed the limit.
///
/// Errors: [`NotInGoodStanding`](LedgerError::NotInGoodStanding) (no line, closed, defaulted,
/// frozen, or outside the line's term).
pub const fn reservable_credit(account: &Account, now: u64) -> Result<u128, LedgerError> {
    let line = match good_standing(account, now) {
        Ok(line) => line,
        Err(reason) => return Err(LedgerError::NotInGoodStanding { reason }),
    };
    let limit = if line.limit > MAX_AMOUNT { MAX_AMOUNT } else { line.limit };
    let unreserved = limit.saturating_sub(account.reserved);
    let available = available_credit(account, now);
    Ok(if unreserved < available { unreserved } else { available })
}

/// Reserves `amount` of `account`'s credit line at `now` (for a vouch): the returned account has
/// `reserved` raised by `amount` and that much less [`available_credit`]. Balance, line and term
/// record are unchanged, so supply and the network counters are too.
///
/// Errors, in this order: [`ZeroAmount`](LedgerError::ZeroAmount),
/// [`NotInGoodStanding`](LedgerError::NotInGoodStanding),
/// [`ReservationAboveCapacity`](LedgerError::ReservationAboveCapacity) (above
/// [`reservable_credit`]), [`Overflow`](LedgerError::Overflow).
pub const fn reserve_credit(account: &Account, amount: u128, now: u64) -> Result<Account, LedgerError> {
    if amount == 0 {
        return Err(LedgerError::ZeroAmount);
    }
    let capacity = match reservable_credit(account, now) {
        Ok(capacity) => capacity,
        Err(e) => return Err(e),
    };
    if amount > capacity {
        return Err(LedgerError::ReservationAboveCapacity { capacity, requested: amount });
    }
    let Some(reserved) = account.reserved.checked_add(amount) else {
        return Err(LedgerError::Overflow);
    };
    Ok(Account { reserved, ..*account })
}

/// Releases `amount` of `account`'s reservation; with `cut_limit` (a broken vouch: the newcomer
/// defaulted) its line's limit also drops by `amount` ([`limit_after_cut`]). Works on any line state
/// (closed, defaulted, frozen, past its term): a reservation must never get stuck. A cut below the
/// member's debt is like closing a line in debt: no new credit, the debt stays due.
///
/// Errors: [`ZeroAmount`](LedgerError::ZeroAmount),
/// [`ReleaseAboveReserved`](LedgerError::ReleaseAboveReserved).
pub const fn release_credit(account: &Account, amount: u128, cut_limit: bool) -> Result<Account, LedgerError> {
    if amount == 0 {
        return Err(LedgerError::ZeroAmount);
    }
    if amount > account.reserved {
        return Err(LedgerError::ReleaseAboveReserved { reserved: account.reserved, requested: amount });
    }
    let line = match account.line {
        Some(line) if cut_limit => Some(CreditLine { limit: limit_after_cut(line.limit, amount), ..line }),
        line => line,
    };
    Ok(Account { reserved: account.reserved.saturating_sub(amount), line, ..*account })
}

/// A limit after a broken vouch cuts it by `cut`: `limit - cut`, at least 0.
pub const fn limit_after_cut(limit: u128, cut: u128) -> u128 {
    limit.saturating_sub(cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{
        close_credit_line, declare_default, freeze, set_credit_line, transfer, LinePolicy, LineTerms, Party,
    };

    const T0: u64 = 1_000;
    const END: u64 = 2_000;

    fn member(limit: u128, balance: i128) -> Account {
        let terms = LineTerms { limit, term_end: END, grace_period: 10 };
        Account { balance, ..set_credit_line(&Account::EMPTY, terms, LinePolicy::default(), T0).unwrap().account }
    }

    fn not_in_good_standing(reason: StandingIssue) -> LedgerError {
        LedgerError::NotInGoodStanding { reason }
    }

    #[test]
    fn capacity_is_the_unreserved_line_less_debt() {
        assert_eq!(reservable_credit(&member(1_000, 0), T0), Ok(1_000));
        assert_eq!(reservable_credit(&member(1_000, 400), T0), Ok(1_000), "holdings are not credit");
        assert_eq!(reservable_credit(&member(1_000, -300), T0), Ok(700));
        assert_eq!(reservable_credit(&member(1_000, -1_000), T0), Ok(0));
        let reserved = Account { reserved: 100, ..member(1_000, -300) };
        assert_eq!(reservable_credit(&reserved, T0), Ok(600));
        assert_eq!(available_credit(&reserved, T0), 600);
        // The limit was lowered below the reservation afterwards: nothing more, nothing spendable.
        let over = Account { reserved: 2_000, ..member(1_000, 50) };
        assert_eq!((reservable_credit(&over, T0), available_credit(&over, T0)), (Ok(0), 50));
        let huge = member(MAX_AMOUNT, 0);
        assert_eq!(
            reservable_credit(&Account { line: huge.line.map(|l| CreditLine { limit: u128::MAX, ..l }), ..huge }, T0),
            Ok(MAX_AMOUNT)
        );
    }

    #[test]
    fn reserving_takes_the_amount_out_of_the_spendable_line() {
        let a = reserve_credit(&member(1_000, -300), 600, T0).unwrap();
        assert_eq!((a.reserved, a.balance, a.line, a.term), (600, -300, member(1_000, -300).line, member(0, 0).term));
        assert_eq!(available_credit(&a, T0), 100);
        assert_eq!(
            transfer(Party::new(&1, &a), Party::new(&2, &Account::EMPTY), 101, T0),
            Err(LedgerError::InsufficientCredit { available: 100, requested: 101 }),
            "never spends into the reservation"
        );
        assert_eq!(
            reserve_credit(&a, 101, T0),
            Err(LedgerError::ReservationAboveCapacity { capacity: 100, requested: 101 })
        );
        assert_eq!(reserve_credit(&a, 100, T0).map(|a| (a.reserved, available_credit(&a, T0))), Ok((700, 0)));
        // Holdings stay spendable with the whole line reserved.
        let rich = reserve_credit(&member(1_000, 400), 1_000, T0).unwrap();
        assert_eq!(available_credit(&rich, T0), 400);
        // Past the term end there is no credit to reserve from: holdings only, the reservation kept.
        assert_eq!((available_credit(&rich, END + 1), rich.reserved), (400, 1_000));
    }

    #[test]
    fn reserving_needs_good_standing() {
        let m = member(1_000, 0);
        assert_eq!(reserve_credit(&m, 0, T0), Err(LedgerError::ZeroAmount));
        assert_eq!(reserve_credit(&Account::EMPTY, 1, T0), Err(not_in_good_standing(StandingIssue::NoCreditLine)));
        let closed = close_credit_line(&m).unwrap().account;
        assert_eq!(reserve_credit(&closed, 1, T0), Err(not_in_good_standing(StandingIssue::LineClosed)));
        let defaulted = Account { line: m.line.map(|l| CreditLine { status: LineStatus::Defaulted, ..l }), ..m };
        assert_eq!(reserve_credit(&defaulted, 1, T0), Err(not_in_good_standing(StandingIssue::Defaulted)));
        assert_eq!(reserve_credit(&freeze(&m).unwrap(), 1, T0), Err(not_in_good_standing(StandingIssue::Frozen)));
        assert_eq!(
            reserve_credit(&m, 1, T0 - 1),
            Err(not_in_good_standing(StandingIssue::TermNotStarted { term_start: T0 }))
        );
        assert_eq!(reserve_credit(&m, 1, END).map(|a| a.reserved), Ok(1), "through the term end second");
        assert_eq!(
            reserve_credit(&m, 1, END + 1),
            Err(not_in_good_standing(StandingIssue::TermEnded { term_end: END }))
        );
        assert_eq!(
            reserve_credit(&m, u128::MAX, T0),
            Err(LedgerError::ReservationAboveCapacity { capacity: 1_000, requested: u128::MAX })
        );
        // A reservation that does not fit the range (only a hand-made account can hold one).
        let full = Account { reserved: u128::MAX, ..member(1_000, 0) };
        assert_eq!(reservable_credit(&full, T0), Ok(0));
    }

    #[test]
    fn release_and_cut() {
        let a = reserve_credit(&member(1_000, -200), 500, T0).unwrap();
        assert_eq!(release_credit(&a, 0, false), Err(LedgerError::ZeroAmount));
        assert_eq!(
            release_credit(&a, 501, true),
            Err(LedgerError::ReleaseAboveReserved { reserved: 500, requested: 501 })
        );
        let kept = release_credit(&a, 300, false).unwrap();
        assert_eq!((kept.reserved, kept.line.unwrap().limit, available_credit(&kept, T0)), (200, 1_000, 600));
        let broken = release_credit(&a, 500, true).unwrap();
        assert_eq!((broken.reserved, broken.line.unwrap().limit, available_credit(&broken, T0)), (0, 500, 300));
        assert_eq!(Account { reserved: a.reserved, line: a.line, ..broken }, a, "only the reservation and the limit");
        // A cut below the debt: no new credit, the debt stays.
        let deep = reserve_credit(&member(1_000, -900), 100, T0).unwrap();
        let cut = release_credit(&Account { reserved: 1_000, ..deep }, 1_000, true).unwrap();
        assert_eq!((cut.balance, cut.line.unwrap().limit, available_credit(&cut, T0)), (-900, 0, 0));
        assert_eq!(limit_after_cut(500, 600), 0);
    }

    #[test]
    fn a_reservation_never_gets_stuck() {
        let a = reserve_credit(&member(1_000, -100), 400, T0).unwrap();
        let closed = close_credit_line(&a).unwrap().account;
        let frozen = freeze(&a).unwrap();
        let renewed = set_credit_line(
            &a,
            LineTerms { limit: 300, term_end: END + 500, grace_period: 10 },
            LinePolicy::default(),
            T0,
        )
        .unwrap()
        .account;
        let defaulted = declare_default(Party::new(&1, &a), Party::new(&2, &Account::EMPTY), END + 11).unwrap().member;
        for account in [closed, frozen, renewed, defaulted] {
            assert_eq!(account.reserved, 400, "kept through every line change: {account:?}");
            for cut in [false, true] {
                let released = release_credit(&account, 400, cut).unwrap();
                assert_eq!(released.reserved, 0);
                let limit = |x: &Account| x.line.unwrap().limit;
                assert!(limit(&released) <= limit(&account), "a cut never raises a limit");
            }
        }
        assert_eq!(available_credit(&renewed, T0), 0, "a lower limit under the reservation saturates");
    }
}
