use super::ApplicationStatus;
use super::VouchStatus;

/// Why an underwriting operation was refused. An error never comes with a partial result: the caller
/// keeps its stakes, applications, pool and vouches as they were.
///
/// The errors name the rule and the numbers; the contract adds the addresses (the core is generic
/// over account ids and cannot print them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum UnderwritingError {
    /// An amount of 0 was given.
    #[error("the amount must be greater than zero")]
    ZeroAmount,
    /// A sum, product or time is outside the representable range.
    #[error("an amount, product or time is outside the supported range (u128 amounts, u64 seconds); use smaller amounts or a price fraction with smaller terms")]
    Overflow,

    // ---- configuration ----
    /// A price with a zero numerator or denominator.
    #[error(
        "the price must be a fraction numerator/denominator of stake units per credit unit with both terms above zero"
    )]
    InvalidPrice,
    /// A collateral ratio of 0.
    #[error("the collateral ratio must be above 0 basis points (10000 = backing equal to the credit line)")]
    ZeroCollateralRatio,
    /// `min_underwriters` of 0.
    #[error("min_underwriters must be at least 1")]
    ZeroMinUnderwriters,
    /// `max_share` outside 1..=10000 basis points.
    #[error("max_share of {bps} basis points is outside 1..=10000")]
    InvalidMaxShare {
        /// The rejected value.
        bps: u16,
    },
    /// A term range with `min_term` of 0 or above `max_term`.
    #[error(
        "the term range {min_term}..={max_term} seconds is invalid: min_term must be above 0 and at most max_term"
    )]
    InvalidTermRange {
        /// Shortest term.
        min_term: u64,
        /// Longest term.
        max_term: u64,
    },

    // ---- stake ----
    /// Not enough free (unlocked, not unbonding) stake.
    #[error("only {free} of the stake is free (not locked behind applications or unbonding) but {requested} was requested; bond more, or wait for backing to be released")]
    InsufficientFreeStake {
        /// Free stake.
        free: u128,
        /// Requested amount.
        requested: u128,
    },
    /// More pending unbondings than allowed.
    #[error("at most {max} unbondings can be pending at once; claim the released ones first or unbond a larger amount at once")]
    TooManyUnbondings {
        /// The bound.
        max: usize,
    },
    /// No unbonding has reached its release time.
    #[error("nothing to claim yet{}", match next_release_at { Some(t) => alloc::format!(": the next unbonding is released at {t} (unix seconds)"), None => alloc::string::String::from(": nothing is unbonding") })]
    NothingToClaim {
        /// When the next pending unbonding is released, if any.
        next_release_at: Option<u64>,
    },
    /// Releasing or slashing more than is locked (the caller's records disagree with the stake).
    #[error("{requested} cannot be released or slashed: only {locked} is locked; the backing records and the stake disagree")]
    LockedStakeTooLow {
        /// Locked stake.
        locked: u128,
        /// Requested amount.
        requested: u128,
    },

    // ---- application ----
    /// The term is outside the network's range.
    #[error("a term of {term} seconds is outside the allowed {min_term}..={max_term} seconds")]
    TermOutOfRange {
        /// The rejected term.
        term: u64,
        /// Shortest term.
        min_term: u64,
        /// Longest term.
        max_term: u64,
    },
    /// More vouchers than allowed.
    #[error("at most {max} vouchers can be cited; cite fewer")]
    TooManyVouchers {
        /// The bound.
        max: usize,
    },
    /// A voucher cited twice (or two vouchers sharing an identity).
    #[error("the same voucher (or two vouchers with the same identity) is cited twice; cite each once")]
    DuplicateVoucher,
    /// The applicant cites itself (or an account with its identity) as voucher.
    #[error("an applicant cannot vouch for itself (nor through an account with the same identity)")]
    SelfVouch,
    /// The operation needs an open application.
    #[error("the application is {status}, not open; only an open application can be backed, withdrawn from, approved, rejected or expired")]
    NotOpen {
        /// Its status.
        status: ApplicationStatus,
    },
    /// The operation needs an approved application.
    #[error("the application is {status}, not approved; only an approved application can be settled")]
    NotApproved {
        /// Its status.
        status: ApplicationStatus,
    },
    /// The application's open period has passed.
    #[error("the application expired at {expires_at} (unix seconds); apply again")]
    ApplicationExpired {
        /// End of the open period.
        expires_at: u64,
    },
    /// Expiring an application before the end of its open period.
    #[error("the application is open until {expires_at} (unix seconds); it can expire after that")]
    NotExpiredYet {
        /// End of the open period.
        expires_at: u64,
    },
    /// An underwriter backing its own application (same address or same identity).
    #[error("an underwriter cannot back its own application (nor through an account with the same identity)")]
    SelfBacking,
    /// A voucher of the applicant backing it (same address or same identity).
    #[error("a voucher cannot back the member it vouched for (nor through an account with the same identity)")]
    VoucherBacking,
    /// More backers than one application can have.
    #[error("an application can have at most {max} backers; add to an existing backer's amount instead")]
    TooManyBackers {
        /// The bound.
        max: usize,
    },
    /// Withdrawing by an account that does not back the application.
    #[error("this account does not back the application")]
    NotABacker,
    /// Withdrawing more than one's backing.
    #[error("{requested} is more than the backing of {backing}; withdraw at most {backing}")]
    WithdrawAboveBacking {
        /// The backer's backing.
        backing: u128,
        /// Requested amount.
        requested: u128,
    },
    /// Withdrawing after approval: backing is locked for the whole term.
    #[error("the application is approved: backing is locked until the term is settled (repaid or defaulted)")]
    BackingLocked,

    // ---- approval rules ----
    /// The backing does not cover `amount * collateral_ratio` at the price.
    #[error("the backing of {backed} stake units does not cover the {required} required (amount x collateral ratio at the configured price); {} more needed", required.saturating_sub(*backed))]
    InsufficientCoverage {
        /// Required backing (stake units).
        required: u128,
        /// Total backing.
        backed: u128,
    },
    /// Fewer distinct identities back the application than required.
    #[error("{distinct} distinct underwriters (accounts sharing an identity count once) back the application; at least {min} are required")]
    TooFewUnderwriters {
        /// Distinct identities backing.
        distinct: u32,
        /// The minimum.
        min: u32,
    },
    /// One identity holds more than `max_share` of the backing.
    #[error("one underwriter (accounts sharing an identity count as one) holds {backing} of the {total} backing, above the maximum share of {max_share_bps} basis points; others must back more or it must withdraw some")]
    ShareAboveMax {
        /// That identity's backing.
        backing: u128,
        /// Total backing.
        total: u128,
        /// The maximum share.
        max_share_bps: u16,
    },

    // ---- settlement ----
    /// Settling before the term end.
    #[error("the term runs until {term_end} (unix seconds); it can be settled after that")]
    TermRunning {
        /// End of the term.
        term_end: u64,
    },
    /// A default settlement with no loss.
    #[error("a default needs a loss above zero; a member that owes nothing has repaid: settle it as repaid")]
    NoLoss,

    // ---- rewards ----
    /// Lowering an exposure below zero (the caller's records disagree with the reward account).
    #[error("{requested} of exposure cannot be removed: the account has only {exposure}")]
    ExposureTooLow {
        /// Current exposure.
        exposure: u128,
        /// Requested decrease.
        requested: u128,
    },
    /// Nothing to claim.
    #[error("no rewards to claim yet; rewards accrue while backing approved credit lines")]
    NoRewards,

    // ---- vouching ----
    /// Vouching for oneself.
    #[error("a member cannot vouch for itself")]
    VouchForSelf,
    /// The vouch is already kept, broken or cancelled.
    #[error("the vouch is {status}, not active; it was settled already")]
    VouchNotActive {
        /// Its status.
        status: VouchStatus,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn messages_carry_the_numbers() {
        let m = UnderwritingError::InsufficientCoverage { required: 150, backed: 100 }.to_string();
        assert!(m.contains("150") && m.contains("100") && m.contains("50 more"), "{m}");
        let m = UnderwritingError::NothingToClaim { next_release_at: Some(77) }.to_string();
        assert!(m.contains("77"), "{m}");
        let m = UnderwritingError::NothingToClaim { next_release_at: None }.to_string();
        assert!(m.contains("nothing is unbonding"), "{m}");
        let m = UnderwritingError::NotOpen { status: ApplicationStatus::Approved }.to_string();
        assert!(m.contains("is approved"), "{m}");
    }
}
