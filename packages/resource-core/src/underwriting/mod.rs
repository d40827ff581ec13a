//! Underwriting: credit risk carried by stakers.
//!
//! Underwriters stake an asset and back members' applications for credit lines with part of it; an
//! application is approved when the backing covers the line at a configured price, enough distinct
//! underwriters back it and none holds too large a share; backing is locked for the whole term, then
//! released on repayment or slashed on default. Fees are shared by exposure; members vouch for
//! newcomers with part of their own line; a scoring function suggests a limit.
//!
//! Every function is pure, like the [`ledger`](crate::ledger)'s: it takes what it touches by
//! reference and returns the new values or an [`UnderwritingError`], and on error nothing changes.
//! The core is generic over account ids (`A`: the contract's addresses, a test's integers).
//!
//! | Concern | Items |
//! |---|---|
//! | Stake ([`Stake`]) | [`bond`], [`unbond`], [`claim_unbonded`], [`lock`], [`release`], [`slash`] |
//! | Applications ([`Application`]) | [`apply`], [`back`], [`withdraw`], [`approve`], [`reject`], [`expire`], [`settle_repaid`], [`settle_default`] |
//! | Approval rules ([`BackingRules`], [`Price`]) | [`check_backing`], [`backing_summary`], [`BackingRules::required_backing`] |
//! | Rewards ([`RewardPool`], [`RewardAccount`]) | [`distribute`], [`add_exposure`], [`remove_exposure`], [`claim_rewards`], [`claimable`], [`accrue`] |
//! | Default | [`settle_default`], [`slash_shares`] ([`DefaultSettlement`]) |
//! | Vouching ([`Vouch`]) | [`vouch`], [`vouch_exposure`], [`keep_vouch`], [`break_vouch`], [`cancel_vouch`], [`limit_after_cut`]; the voucher's reservation is the ledger's ([`reserve_credit`](crate::ledger::reserve_credit), [`release_credit`](crate::ledger::release_credit)) |
//! | Ambassadors ([`AmbassadorAccount`], [`AmbassadorRates`]) | [`compensate`] ([`Compensation`]), [`take_default_penalty`] |
//! | Scoring | [`suggested_limit`] ([`ScoringInputs`], [`ScoringParams`], [`Suggestion`], [`Reason`]) |
//!
//! # Units
//! Credit amounts (line amounts, losses, fees, rewards) are in the credit token's smallest unit;
//! stake, backing and exposure in the staked asset's smallest unit; the [`Price`] converts
//! (stake units per credit unit, as a fraction). Time is unix seconds.
//!
//! # Rules chosen where the issue is silent
//! - **Price**: a fraction `numerator / denominator`; required backing rounded **up**, a loss's value
//!   rounded **down** (the network is never under-covered, a backer never over-slashed).
//! - **Exposure** is backing of **approved** applications only: open backing carries no risk yet.
//! - **Fees with no exposure** go to the reserve ([`Distribution::to_reserve`]).
//! - **Dust**: kept in the pool, never paid twice; see [`distribute`] and the exact identity in
//!   the rewards docs.
//! - **Slashing rounding** is borne by the reserve (fewer than one stake unit per backer).
//! - **Voucher reward share**: a vouch earns like backing of its weighted value, paid only if kept.
//! - **Identity**: the caller supplies one per account (e.g. the DID controller); accounts sharing
//!   it are one party for every collusion rule.
//!
//! # Example: a full cycle
//! ```
//! use resource_core::underwriting::*;
//!
//! let policy = ApplicationPolicy { min_term: 86_400, max_term: 365 * 86_400, open_period: 7 * 86_400 };
//! let rules = BackingRules { collateral_ratio_bps: 15_000, price: Price::PAR, min_underwriters: 3, max_share_bps: 4_000 };
//! let now = 1_700_000_000;
//! let app = apply(Member::own("alice"), 1_000, 90 * 86_400, vec![], &policy, now)?;
//! let (mut app, mut stakes) = (app, Vec::new());
//! for who in ["bob", "carol", "dave"] {
//!     let (a, s) = back(&app, &Stake::new(1_000), Member::own(who), 500, now)?;
//!     app = a;
//!     stakes.push(s);
//! }
//! let app = approve(&app, &rules, now)?; // 1 500 covers 150 % of 1 000, three of a third each
//!
//! // Fees arrive while the backing is exposed.
//! let mut pool = RewardPool::default();
//! let mut accounts = vec![RewardAccount::default(); 3];
//! for (acc, b) in accounts.iter_mut().zip(&app.backers) {
//!     (pool, *acc) = add_exposure(&pool, acc, b.amount)?;
//! }
//! (pool, _) = distribute(&pool, 30)?;
//! assert_eq!(claimable(&pool, &accounts[0])?, 10);
//!
//! // Alice defaults on 600: each backer loses 200 of its 500, the rest is released.
//! let end = app.term_end.unwrap();
//! let (app, settlement) = settle_default(&app, 600, &rules.price, end)?;
//! assert_eq!(app.status, ApplicationStatus::Defaulted);
//! let bob = slash(&stakes[0], settlement.backers[0].backing, settlement.backers[0].slashed)?;
//! assert_eq!((bob.free, bob.locked, bob.slashed), (800, 0, 200));
//! # Ok::<(), UnderwritingError>(())
//! ```

mod ambassador;
mod application;
mod backing;
mod default;
mod error;
pub(crate) mod math;
mod rewards;
mod scoring;
mod stake;
mod vouching;

pub use ambassador::{
    compensate, take_default_penalty, AmbassadorAccount, AmbassadorError, AmbassadorRates, Compensation,
    AMBASSADOR_RATE_SCALE,
};
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
    revenue_band_of, suggested_limit, PlatformRating, Reason, ScoringInputs, ScoringParams, Suggestion,
    MAX_REVENUE_BAND, MAX_STARS_X10, NEUTRAL_STARS_X10, REVENUE_BAND_FLOORS,
};
pub use stake::{bond, claim_unbonded, lock, release, slash, unbond, Stake, Unbonding, MAX_UNBONDINGS};
pub use vouching::{
    break_vouch, cancel_vouch, keep_vouch, limit_after_cut, vouch, vouch_exposure, Vouch, VouchOutcome, VouchPolicy,
    VouchStatus,
};
