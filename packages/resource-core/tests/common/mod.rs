//! Rules stated independently of resource-core, shared by the model tests (each test file that
//! uses them declares `mod common;`).

use resource_core::ledger::{Account, LedgerError, LineStatus, StandingIssue, MAX_AMOUNT};

/// The reservation rule stated independently: good standing (an active, unfrozen line within its
/// term), then at most the line less what is reserved (`reserved`, the model's count) and any debt.
pub fn expect_reserve(a: &Account, reserved: u128, amount: u128, now: u64) -> Result<(), LedgerError> {
    if amount == 0 {
        return Err(LedgerError::ZeroAmount);
    }
    let refuse = |reason| Err(LedgerError::NotInGoodStanding { reason });
    let Some(line) = a.line else { return refuse(StandingIssue::NoCreditLine) };
    match line.status {
        LineStatus::Closed => return refuse(StandingIssue::LineClosed),
        LineStatus::Defaulted => return refuse(StandingIssue::Defaulted),
        LineStatus::Active => {}
    }
    if a.frozen {
        return refuse(StandingIssue::Frozen);
    }
    if now < line.term_start {
        return refuse(StandingIssue::TermNotStarted { term_start: line.term_start });
    }
    if now > line.term_end {
        return refuse(StandingIssue::TermEnded { term_end: line.term_end });
    }
    let capacity = line.limit.min(MAX_AMOUNT).saturating_sub(reserved).saturating_sub(a.debt());
    if amount > capacity {
        return Err(LedgerError::ReservationAboveCapacity { capacity, requested: amount });
    }
    Ok(())
}
