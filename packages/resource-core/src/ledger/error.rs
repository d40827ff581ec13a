/// Why a ledger operation was refused. An error never comes with a partial result: the caller keeps
/// its accounts as they were.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum LedgerError {
    /// A transfer of 0 was requested.
    #[error("the amount must be greater than zero")]
    ZeroAmount,
    /// Both sides of the operation are the same account.
    #[error("both sides of the operation are the same account; use two different accounts")]
    SelfTransfer,
    /// An amount, limit, fee or resulting balance is outside the representable range.
    #[error(
        "an amount or resulting balance is outside the supported range (at most {} units either way)",
        super::MAX_AMOUNT
    )]
    Overflow,
    /// The sender cannot cover the amount plus the fee.
    #[error("insufficient credit: {requested} requested (amount plus fee) but only {available} available; send less, receive or repay first, or ask for a higher credit line")]
    InsufficientCredit {
        /// What the sender can spend now (see [`available_credit`](super::available_credit)).
        available: u128,
        /// Amount plus fee.
        requested: u128,
    },
    /// The account's credit line is frozen: it cannot spend.
    #[error("the account is frozen and cannot spend (it can still receive); ask the network's admin to unfreeze it")]
    AccountFrozen,
    /// The account has been declared in default: it cannot spend or get a new line.
    #[error(
        "the account has been declared in default: it cannot get a new credit line or pay anyone but the loss account, to repay its written-off debt (it can still receive)"
    )]
    AccountDefaulted,
    /// A fee rate above 100 % was given.
    #[error("a fee rate of {bps} basis points is above the maximum of {} (100 %)", super::BPS_DENOMINATOR)]
    FeeRateTooHigh {
        /// The rejected rate in basis points.
        bps: u16,
    },
    /// The operation needs a credit line and the account has none.
    #[error("the account has no credit line; set one first")]
    NoCreditLine,
    /// The operation needs an active line and this one is closed.
    #[error("the credit line is closed; set a new credit line first")]
    LineClosed,
    /// `freeze` on a line that is already frozen.
    #[error("the credit line is already frozen")]
    AlreadyFrozen,
    /// `unfreeze` on a line that is not frozen.
    #[error("the credit line is not frozen; there is nothing to unfreeze")]
    NotFrozen,
    /// A new limit would be below what the member already owes.
    #[error("the limit {limit} is below the member's current debt {debt}; set a limit of at least {debt} or wait for repayment")]
    LimitBelowDebt {
        /// The member's current debt (`-balance`).
        debt: u128,
        /// The rejected limit.
        limit: u128,
    },
    /// A credit line's term must end after the current time.
    #[error("the term end {term_end} must be later than the current time {now} (unix seconds)")]
    TermEndNotInFuture {
        /// The rejected term end (unix seconds).
        term_end: u64,
        /// The current time (unix seconds).
        now: u64,
    },
    /// A default was requested for an account that owes nothing.
    #[error("the account owes nothing; there is no debt to write off")]
    NoDebt,
    /// A credit line's term is shorter than the network's minimum.
    #[error(
        "a term of {term} seconds is shorter than the network's minimum of {min_term} seconds; set a later term end"
    )]
    TermTooShort {
        /// The rejected term (term end minus now).
        term: u64,
        /// The network's minimum.
        min_term: u64,
    },
    /// A grace period is shorter than the network's minimum.
    #[error(
        "a grace period of {grace_period} seconds is shorter than the network's minimum of {min_grace_period} seconds"
    )]
    GraceTooShort {
        /// The rejected grace period.
        grace_period: u64,
        /// The network's minimum.
        min_grace_period: u64,
    },
    /// A debtor's running term cannot end earlier than agreed.
    #[error("the member owes money on a term ending at {current}; a new term end {term_end} cannot be earlier (unix seconds)")]
    TermEndEarlier {
        /// The rejected term end.
        term_end: u64,
        /// The running term's end.
        current: u64,
    },
    /// The term can still create debt, so it cannot be settled yet.
    #[error("the credit term runs until {term_end} (unix seconds); it can be settled after that, or when the line is closed")]
    TermRunning {
        /// The running term's end.
        term_end: u64,
    },
    /// The term has no on-time repayment to record.
    #[error("nothing to record: the member carried no debt this term, still owes, repaid late, or the term's repayment is already on record")]
    NothingToRecord,
    /// A payment to the loss account as a recovery from a member with no written-off debt.
    #[error("the member has no written-off debt to repay")]
    NoWrittenOffDebt,
    /// A recovery above the written-off debt.
    #[error("{requested} is more than the {written_off} of written-off debt still owed; repay at most {written_off}")]
    RecoveryAboveWrittenOff {
        /// What is still owed to the loss account.
        written_off: u128,
        /// The rejected amount.
        requested: u128,
    },
    /// A default was requested before the term end plus grace period has passed.
    #[error("the member is not yet in default; a default can be declared from {declarable_at} (unix seconds: term end plus grace period) if the debt is still unpaid")]
    DefaultTooEarly {
        /// First time (unix seconds) at which the default can be declared.
        declarable_at: u64,
    },
    /// Reserving credit (for a vouch) needs good standing: an active, unfrozen line whose term is
    /// running.
    #[error("only a member in good standing (an active, unfrozen credit line whose term is running) can reserve credit for a vouch: {reason}")]
    NotInGoodStanding {
        /// What is missing.
        reason: StandingIssue,
    },
    /// A reservation above what the member can still reserve.
    #[error("{requested} is more than the {capacity} of credit the member can still reserve (its line less what is already reserved and any debt); reserve at most {capacity}")]
    ReservationAboveCapacity {
        /// What can still be reserved ([`reservable_credit`](super::reservable_credit)).
        capacity: u128,
        /// The rejected amount.
        requested: u128,
    },
    /// Releasing more than is reserved.
    #[error("{requested} is more than the {reserved} of credit reserved; release at most {reserved} (the vouch's records and the account disagree)")]
    ReleaseAboveReserved {
        /// What the account has reserved.
        reserved: u128,
        /// The rejected amount.
        requested: u128,
    },
    /// The operation needs credit-period terms and the account has none.
    #[error(
        "the member's credit line has no credit period (it runs for a fixed term); set one with SetCreditPeriod first"
    )]
    NoCreditPeriod,
    /// The member's credit period is paused: no period rule applies until it is unpaused.
    #[error("the member's credit period is paused: no period rule applies until the credit authority unpauses it")]
    CreditPeriodPaused,
    /// `pause` on a period that is already paused.
    #[error("the member's credit period is already paused")]
    AlreadyPaused,
    /// `unpause` on a period that is not paused.
    #[error("the member's credit period is not paused; there is nothing to unpause")]
    NotPaused,
    /// A sync before the period expired: nothing is due yet.
    #[error("the member's credit period runs until {expiration} (unix seconds); nothing is due before then")]
    CreditPeriodRunning {
        /// The period's expiration.
        expiration: u64,
    },
    /// The member is in its grace period without meeting its terms, and tried to spend credit.
    #[error(
        "the credit period expired at {expiration} and the member does not meet its terms: its credit is frozen until it does (it can still spend what it holds and receive); receive {needed_income} more to comply"
    )]
    CreditFrozenInGrace {
        /// When the period expired (unix seconds).
        expiration: u64,
        /// The income still needed to comply ([`needed_income`](super::needed_income)).
        needed_income: u128,
    },
    /// The member's grace ran out without compliance: it is in default and cannot spend credit.
    #[error(
        "the credit period expired at {expiration} and its grace ran out at {grace_end} without the member meeting its terms: it is in default; SyncCreditPeriod (anyone may send it) writes its debt off to the loss account"
    )]
    GraceRanOut {
        /// When the period expired (unix seconds).
        expiration: u64,
        /// The last second of its grace.
        grace_end: u64,
    },
    /// A default declared on a member whose period has expired but who meets its terms.
    #[error("the member meets its credit terms, so its expired period renews (on its next payment or SyncCreditPeriod) instead of defaulting")]
    MeetsCreditTerms,
}

/// Why an account is not in good standing for a reservation ([`LedgerError::NotInGoodStanding`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum StandingIssue {
    /// No credit line.
    #[error("the account has no credit line")]
    NoCreditLine,
    /// The line is closed.
    #[error("its credit line is closed; a new credit line is needed first")]
    LineClosed,
    /// The member was declared in default (terminal).
    #[error("it has been declared in default")]
    Defaulted,
    /// The account is frozen.
    #[error("the account is frozen; ask the network's admin to unfreeze it")]
    Frozen,
    /// The line's term has not started.
    #[error("its credit term starts at {term_start} (unix seconds); reserve from then on")]
    TermNotStarted {
        /// The term start.
        term_start: u64,
    },
    /// The line's term has ended.
    #[error("its credit term ended at {term_end} (unix seconds); a new term is needed first")]
    TermEnded {
        /// The term end.
        term_end: u64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn messages_carry_the_numbers_a_user_needs() {
        let msg = LedgerError::InsufficientCredit { available: 70, requested: 101 }.to_string();
        assert!(msg.contains("101") && msg.contains("70"), "{msg}");
        let msg = LedgerError::LimitBelowDebt { debt: 500, limit: 400 }.to_string();
        assert!(msg.contains("500") && msg.contains("400"), "{msg}");
        let msg = LedgerError::DefaultTooEarly { declarable_at: 1_700_000_000 }.to_string();
        assert!(msg.contains("1700000000"), "{msg}");
        let msg = LedgerError::TermEndNotInFuture { term_end: 5, now: 9 }.to_string();
        assert!(msg.contains('5') && msg.contains('9'), "{msg}");
        let msg = LedgerError::FeeRateTooHigh { bps: 10_001 }.to_string();
        assert!(msg.contains("10001") && msg.contains("10000"), "{msg}");
        assert!(LedgerError::Overflow.to_string().contains(&i128::MAX.to_string()));
        let msg = LedgerError::ReservationAboveCapacity { capacity: 600, requested: 601 }.to_string();
        assert!(msg.contains("601") && msg.contains("at most 600"), "{msg}");
        let msg = LedgerError::ReleaseAboveReserved { reserved: 40, requested: 41 }.to_string();
        assert!(msg.contains("41") && msg.contains("at most 40"), "{msg}");
        let reason = StandingIssue::TermEnded { term_end: 1_700_000_000 };
        let msg = LedgerError::NotInGoodStanding { reason }.to_string();
        assert!(msg.contains("good standing") && msg.contains("ended at 1700000000"), "{msg}");
    }

    #[test]
    fn every_variant_has_a_non_empty_message() {
        let all = [
            LedgerError::ZeroAmount,
            LedgerError::SelfTransfer,
            LedgerError::Overflow,
            LedgerError::InsufficientCredit { available: 0, requested: 1 },
            LedgerError::AccountFrozen,
            LedgerError::AccountDefaulted,
            LedgerError::FeeRateTooHigh { bps: u16::MAX },
            LedgerError::NoCreditLine,
            LedgerError::LineClosed,
            LedgerError::AlreadyFrozen,
            LedgerError::NotFrozen,
            LedgerError::LimitBelowDebt { debt: 1, limit: 0 },
            LedgerError::TermEndNotInFuture { term_end: 0, now: 0 },
            LedgerError::NoDebt,
            LedgerError::DefaultTooEarly { declarable_at: 0 },
            LedgerError::TermTooShort { term: 0, min_term: 1 },
            LedgerError::GraceTooShort { grace_period: 0, min_grace_period: 1 },
            LedgerError::TermEndEarlier { term_end: 0, current: 1 },
            LedgerError::TermRunning { term_end: 0 },
            LedgerError::NothingToRecord,
            LedgerError::NoWrittenOffDebt,
            LedgerError::RecoveryAboveWrittenOff { written_off: 1, requested: 2 },
            LedgerError::NotInGoodStanding { reason: StandingIssue::Frozen },
            LedgerError::ReservationAboveCapacity { capacity: 0, requested: 1 },
            LedgerError::ReleaseAboveReserved { reserved: 0, requested: 1 },
            LedgerError::NoCreditPeriod,
            LedgerError::CreditPeriodPaused,
            LedgerError::AlreadyPaused,
            LedgerError::NotPaused,
            LedgerError::CreditPeriodRunning { expiration: 0 },
            LedgerError::CreditFrozenInGrace { expiration: 0, needed_income: 1 },
            LedgerError::GraceRanOut { expiration: 0, grace_end: 1 },
            LedgerError::MeetsCreditTerms,
        ];
        for e in all {
            assert!(e.to_string().len() > 20, "{e:?}");
        }
        for reason in [
            StandingIssue::NoCreditLine,
            StandingIssue::LineClosed,
            StandingIssue::Defaulted,
            StandingIssue::Frozen,
            StandingIssue::TermNotStarted { term_start: 0 },
            StandingIssue::TermEnded { term_end: 0 },
        ] {
            assert!(reason.to_string().len() > 10, "{reason:?}");
        }
    }
}
