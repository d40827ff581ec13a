//! Underwriting: credit risk carried by stakers.
//!
//! Underwriters stake an asset and back members' applications for credit lines with part of it; an
//! application is approved when the backing covers the line at a configured price, enough distinct
//! underwriters back it and none holds too large a share; backing is locked for the whole term, then
//! released on repayment or slashed on default.
//!
//! Every function is pure, like the [`ledger`](crate::ledger)'s: it takes what it touches by
//! reference and returns the new values or an [`UnderwritingError`], and on error nothing changes.

mod application;
mod backing;
mod default;
mod error;
mod math;
mod rewards;
mod scoring;
mod stake;
mod vouching;

pub use application::{
    apply, approve, back, expire, reject, settle_repaid, withdraw, Application, ApplicationPolicy, ApplicationStatus,
    Backing, Member, MAX_BACKERS, MAX_VOUCHERS,
};
pub use backing::{backing_summary, check_backing, BackingRules, BackingSummary, Price, BPS};
pub use default::{settle_default, slash_shares, BackerSlash, DefaultSettlement};
pub use error::UnderwritingError;
pub use rewards::{
    accrue, add_exposure, claim_rewards, claimable, distribute, remove_exposure, Distribution, RewardAccount,
    RewardPool, REWARD_SCALE,
};
pub use scoring::{
    suggested_limit, PlatformRating, Reason, ScoringInputs, ScoringParams, Suggestion, MAX_REVENUE_BAND, MAX_STARS_X10,
    NEUTRAL_STARS_X10,
};
pub use stake::{bond, claim_unbonded, lock, release, slash, unbond, Stake, Unbonding, MAX_UNBONDINGS};
pub use vouching::{
    break_vouch, cancel_vouch, keep_vouch, limit_after_cut, vouch, vouch_capacity, vouch_exposure, Vouch, VouchOutcome,
    VouchPolicy, VouchStatus,
};
