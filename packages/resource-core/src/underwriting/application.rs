//! The application state machine. Every transition is a function; anything not listed is refused
//! with a typed error and changes nothing.
//!
//! ```text
//! apply --> Open --approve (rules hold, before expires_at)--> Approved --settle_repaid (after term end)--> Repaid
//!           Open --reject-->  Rejected                         Approved --settle_default (after term end)--> Defaulted
//!           Open --expire (after expires_at)--> Expired
//! ```
//!
//! Backing is added ([`back`]) and withdrawn ([`withdraw`]) only while the application is open;
//! from approval on it is locked for the whole term and only a settlement releases (or slashes) it.
//! On `Rejected`, `Expired` and `Repaid` the caller releases every backer's backing
//! ([`Application::backers`], [`release`](super::release)); on `Defaulted` it applies the
//! [`DefaultSettlement`](super::DefaultSettlement).

use alloc::vec::Vec;
use core::fmt;

use super::{check_backing, lock, release, BackingRules, Stake, UnderwritingError};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// At most this many backers per application: bounds every loop over backers (approval check,
/// settlement) and so the gas of one settlement.
pub const MAX_BACKERS: usize = 20;
/// At most this many vouchers per application.
pub const MAX_VOUCHERS: usize = 8;

/// An account with the identity it is counted under: `identity` is a key the caller supplies (for
/// example the DID controller of the account's DID, or the address itself when it has none). Two
/// accounts with the same identity are one party for every collusion rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Member<A> {
    /// The account.
    pub address: A,
    /// Its identity key.
    pub identity: A,
}

impl<A: PartialEq> Member<A> {
    /// A member with its own address as identity.
    pub fn own(address: A) -> Member<A>
    where
        A: Clone,
    {
        Member { identity: address.clone(), address }
    }

    /// Same account or same identity.
    pub fn same_party(&self, other: &Member<A>) -> bool {
        self.address == other.address || self.identity == other.identity
    }
}

/// One underwriter's backing of an application, in stake units.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Backing<A> {
    /// The underwriter.
    pub underwriter: A,
    /// The identity it is counted under (as supplied with its latest backing).
    pub identity: A,
    /// Locked stake behind this application.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub amount: u128,
}

/// Where an application is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ApplicationStatus {
    /// Collecting backing.
    Open,
    /// The rules held; the credit line runs until `term_end`; backing is locked.
    Approved,
    /// Refused while open; backing released.
    Rejected,
    /// Not approved within its open period; backing released.
    Expired,
    /// Repaid by the term end; backing released.
    Repaid,
    /// Not repaid; backers slashed.
    Defaulted,
}

impl ApplicationStatus {
    /// The status as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            ApplicationStatus::Open => "open",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Expired => "expired",
            ApplicationStatus::Repaid => "repaid",
            ApplicationStatus::Defaulted => "defaulted",
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The network's bounds on applications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApplicationPolicy {
    /// Shortest credit term (seconds), above 0.
    pub min_term: u64,
    /// Longest credit term (seconds).
    pub max_term: u64,
    /// How long an application stays open for backing (seconds).
    pub open_period: u64,
}

impl ApplicationPolicy {
    /// Errors: [`InvalidTermRange`](UnderwritingError::InvalidTermRange).
    pub const fn check(&self) -> Result<(), UnderwritingError> {
        if self.min_term == 0 || self.min_term > self.max_term {
            return Err(UnderwritingError::InvalidTermRange { min_term: self.min_term, max_term: self.max_term });
        }
        Ok(())
    }
}

/// An application for a credit line of `amount` credit units for `term` seconds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Application<A> {
    /// Who applies.
    pub applicant: Member<A>,
    /// The credit line asked for (credit units).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub amount: u128,
    /// The term asked for (seconds from approval).
    pub term: u64,
    /// When it was opened.
    pub opened_at: u64,
    /// The last moment it can be approved.
    pub expires_at: u64,
    /// The members vouching for the applicant (they may not back it).
    pub vouchers: Vec<Member<A>>,
    /// Its backers, at most [`MAX_BACKERS`], each once (amounts above 0).
    pub backers: Vec<Backing<A>>,
    /// Where it is.
    pub status: ApplicationStatus,
    /// Set on approval: when the credit line's term ends (`approved_at + term`).
    pub term_end: Option<u64>,
}

impl<A> Application<A> {
    /// Total backing (stake units).
    pub fn total_backing(&self) -> u128 {
        // `back` keeps the total representable.
        self.backers.iter().fold(0u128, |s, b| s.saturating_add(b.amount))
    }
}

/// Opens an application at `now`.
///
/// Errors: [`ZeroAmount`](UnderwritingError::ZeroAmount),
/// [`InvalidTermRange`](UnderwritingError::InvalidTermRange) (the policy),
/// [`TermOutOfRange`](UnderwritingError::TermOutOfRange),
/// [`TooManyVouchers`](UnderwritingError::TooManyVouchers),
/// [`SelfVouch`](UnderwritingError::SelfVouch) (the applicant among its vouchers, by address or
/// identity), [`DuplicateVoucher`](UnderwritingError::DuplicateVoucher) (by address or identity),
/// [`Overflow`](UnderwritingError::Overflow) (`now + open_period`).
pub fn apply<A: PartialEq>(
    applicant: Member<A>,
    amount: u128,
    term: u64,
    vouchers: Vec<Member<A>>,
    policy: &ApplicationPolicy,
    now: u64,
) -> Result<Application<A>, UnderwritingError> {
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    policy.check()?;
    if term < policy.min_term || term > policy.max_term {
        return Err(UnderwritingError::TermOutOfRange { term, min_term: policy.min_term, max_term: policy.max_term });
    }
    if vouchers.len() > MAX_VOUCHERS {
        return Err(UnderwritingError::TooManyVouchers { max: MAX_VOUCHERS });
    }
    for (i, v) in vouchers.iter().enumerate() {
        if v.same_party(&applicant) {
            return Err(UnderwritingError::SelfVouch);
        }
        if vouchers.iter().take(i).any(|w| w.same_party(v)) {
            return Err(UnderwritingError::DuplicateVoucher);
        }
    }
    let expires_at = now.checked_add(policy.open_period).ok_or(UnderwritingError::Overflow)?;
    Ok(Application {
        applicant,
        amount,
        term,
        opened_at: now,
        expires_at,
        vouchers,
        backers: Vec::new(),
        status: ApplicationStatus::Open,
        term_end: None,
    })
}

const fn require_open<A>(application: &Application<A>) -> Result<(), UnderwritingError> {
    match application.status {
        ApplicationStatus::Open => Ok(()),
        status => Err(UnderwritingError::NotOpen { status }),
    }
}

const fn require_open_at<A>(application: &Application<A>, now: u64) -> Result<(), UnderwritingError> {
    if let Err(e) = require_open(application) {
        return Err(e);
    }
    if now > application.expires_at {
        return Err(UnderwritingError::ApplicationExpired { expires_at: application.expires_at });
    }
    Ok(())
}

/// `backer` backs `application` with `amount` of its free stake (locked by this call) at `now`.
/// Backing again adds to the backer's entry (and updates its identity to the one given now).
///
/// Errors: [`NotOpen`](UnderwritingError::NotOpen),
/// [`ApplicationExpired`](UnderwritingError::ApplicationExpired),
/// [`ZeroAmount`](UnderwritingError::ZeroAmount),
/// [`SelfBacking`](UnderwritingError::SelfBacking) (the applicant, by address or identity),
/// [`VoucherBacking`](UnderwritingError::VoucherBacking) (one of its vouchers, by address or identity),
/// [`TooManyBackers`](UnderwritingError::TooManyBackers),
/// [`InsufficientFreeStake`](UnderwritingError::InsufficientFreeStake),
/// [`Overflow`](UnderwritingError::Overflow) (total backing beyond `u128`).
pub fn back<A: PartialEq + Clone>(
    application: &Application<A>,
    stake: &Stake,
    backer: Member<A>,
    amount: u128,
    now: u64,
) -> Result<(Application<A>, Stake), UnderwritingError> {
    require_open_at(application, now)?;
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    if backer.same_party(&application.applicant) {
        return Err(UnderwritingError::SelfBacking);
    }
    if application.vouchers.iter().any(|v| v.same_party(&backer)) {
        return Err(UnderwritingError::VoucherBacking);
    }
    application.total_backing().checked_add(amount).ok_or(UnderwritingError::Overflow)?;
    let mut backers = application.backers.clone();
    let count = backers.len();
    match backers.iter_mut().find(|b| b.underwriter == backer.address) {
        Some(entry) => {
            entry.amount = entry.amount.checked_add(amount).ok_or(UnderwritingError::Overflow)?;
            entry.identity = backer.identity;
        }
        None if count >= MAX_BACKERS => return Err(UnderwritingError::TooManyBackers { max: MAX_BACKERS }),
        None => backers.push(Backing { underwriter: backer.address, identity: backer.identity, amount }),
    }
    let stake = lock(stake, amount)?;
    Ok((Application { backers, ..application.clone() }, stake))
}

/// `underwriter` withdraws `amount` of its backing of an open application (even past its open
/// period, as long as it was not approved); the stake is released.
///
/// Errors: [`BackingLocked`](UnderwritingError::BackingLocked) (approved: locked for the term),
/// [`NotOpen`](UnderwritingError::NotOpen) (any other closed status),
/// [`ZeroAmount`](UnderwritingError::ZeroAmount), [`NotABacker`](UnderwritingError::NotABacker),
/// [`WithdrawAboveBacking`](UnderwritingError::WithdrawAboveBacking),
/// [`LockedStakeTooLow`](UnderwritingError::LockedStakeTooLow) (the stake does not hold the backing).
pub fn withdraw<A: PartialEq + Clone>(
    application: &Application<A>,
    stake: &Stake,
    underwriter: &A,
    amount: u128,
) -> Result<(Application<A>, Stake), UnderwritingError> {
    if application.status == ApplicationStatus::Approved {
        return Err(UnderwritingError::BackingLocked);
    }
    require_open(application)?;
    if amount == 0 {
        return Err(UnderwritingError::ZeroAmount);
    }
    let mut backers = application.backers.clone();
    let index = backers.iter().position(|b| &b.underwriter == underwriter).ok_or(UnderwritingError::NotABacker)?;
    let entry = backers.get_mut(index).ok_or(UnderwritingError::NotABacker)?;
    entry.amount = entry
        .amount
        .checked_sub(amount)
        .ok_or(UnderwritingError::WithdrawAboveBacking { backing: entry.amount, requested: amount })?;
    if entry.amount == 0 {
        backers.remove(index);
    }
    let stake = release(stake, amount)?;
    Ok((Application { backers, ..application.clone() }, stake))
}

/// Approves an open application at `now` if its backing meets `rules`
/// ([`check_backing`](super::check_backing)); the credit line's term ends at `now + term`. A contract
/// calls it after every backing and approves as soon as it succeeds.
///
/// Errors: [`NotOpen`](UnderwritingError::NotOpen),
/// [`ApplicationExpired`](UnderwritingError::ApplicationExpired), any error of
/// [`check_backing`](super::check_backing), [`Overflow`](UnderwritingError::Overflow) (`now + term`).
pub fn approve<A: PartialEq + Clone>(
    application: &Application<A>,
    rules: &BackingRules,
    now: u64,
) -> Result<Application<A>, UnderwritingError> {
    require_open_at(application, now)?;
    check_backing(application, rules)?;
    let term_end = now.checked_add(application.term).ok_or(UnderwritingError::Overflow)?;
    Ok(Application { status: ApplicationStatus::Approved, term_end: Some(term_end), ..application.clone() })
}

/// Rejects an open application (who may is the contract's rule). The caller releases every backing.
///
/// Errors: [`NotOpen`](UnderwritingError::NotOpen).
pub fn reject<A: Clone>(application: &Application<A>) -> Result<Application<A>, UnderwritingError> {
    require_open(application)?;
    Ok(Application { status: ApplicationStatus::Rejected, ..application.clone() })
}

/// Expires an open application after its open period (anyone may ask). The caller releases every
/// backing.
///
/// Errors: [`NotOpen`](UnderwritingError::NotOpen),
/// [`NotExpiredYet`](UnderwritingError::NotExpiredYet) (`now <= expires_at`).
pub fn expire<A: Clone>(application: &Application<A>, now: u64) -> Result<Application<A>, UnderwritingError> {
    require_open(application)?;
    if now <= application.expires_at {
        return Err(UnderwritingError::NotExpiredYet { expires_at: application.expires_at });
    }
    Ok(Application { status: ApplicationStatus::Expired, ..application.clone() })
}

/// The term end of an approved application once `now` has reached it.
pub(crate) fn settleable<A>(application: &Application<A>, now: u64) -> Result<u64, UnderwritingError> {
    let term_end = match (application.status, application.term_end) {
        (ApplicationStatus::Approved, Some(t)) => t,
        (status, _) => return Err(UnderwritingError::NotApproved { status }),
    };
    if now < term_end {
        return Err(UnderwritingError::TermRunning { term_end });
    }
    Ok(term_end)
}

/// Settles an approved application whose member repaid (its balance is `>= 0` at the term end): the
/// caller releases every backing.
///
/// Errors: [`NotApproved`](UnderwritingError::NotApproved),
/// [`TermRunning`](UnderwritingError::TermRunning) (`now` before the term end).
pub fn settle_repaid<A: Clone>(application: &Application<A>, now: u64) -> Result<Application<A>, UnderwritingError> {
    settleable(application, now)?;
    Ok(Application { status: ApplicationStatus::Repaid, ..application.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::underwriting::Price;
    use std::vec;

    const POLICY: ApplicationPolicy = ApplicationPolicy { min_term: 10, max_term: 1_000, open_period: 100 };
    const RULES: BackingRules =
        BackingRules { collateral_ratio_bps: 10_000, price: Price::PAR, min_underwriters: 2, max_share_bps: 6_000 };

    fn m(address: u32, identity: u32) -> Member<u32> {
        Member { address, identity }
    }

    #[test]
    fn a_full_cycle() {
        let app = apply(Member::own(1), 100, 50, vec![m(2, 2)], &POLICY, 0).unwrap();
        assert_eq!(app.expires_at, 100);
        let (app, s3) = back(&app, &Stake::new(100), m(3, 3), 60, 1).unwrap();
        assert_eq!(
            approve(&app, &RULES, 2),
            Err(UnderwritingError::InsufficientCoverage { required: 100, backed: 60 })
        );
        let (app, _s4) = back(&app, &Stake::new(100), m(4, 4), 40, 2).unwrap();
        let app = approve(&app, &RULES, 3).unwrap();
        assert_eq!((app.status, app.term_end), (ApplicationStatus::Approved, Some(53)));
        assert_eq!(withdraw(&app, &s3, &3, 1), Err(UnderwritingError::BackingLocked));
        assert_eq!(settle_repaid(&app, 52), Err(UnderwritingError::TermRunning { term_end: 53 }));
        assert_eq!(settle_repaid(&app, 53).unwrap().status, ApplicationStatus::Repaid);
    }

    #[test]
    fn collusion_is_refused_when_backing() {
        let app = apply(m(1, 10), 100, 50, vec![m(2, 20)], &POLICY, 0).unwrap();
        let s = Stake::new(100);
        assert_eq!(back(&app, &s, m(1, 1), 1, 0).unwrap_err(), UnderwritingError::SelfBacking);
        assert_eq!(back(&app, &s, m(5, 10), 1, 0).unwrap_err(), UnderwritingError::SelfBacking);
        assert_eq!(back(&app, &s, m(2, 2), 1, 0).unwrap_err(), UnderwritingError::VoucherBacking);
        assert_eq!(back(&app, &s, m(6, 20), 1, 0).unwrap_err(), UnderwritingError::VoucherBacking);
        assert_eq!(
            back(&app, &s, m(6, 6), 1, 101).unwrap_err(),
            UnderwritingError::ApplicationExpired { expires_at: 100 }
        );
        // Two accounts of one identity are one underwriter.
        let (app, _) = back(&app, &s, m(3, 30), 50, 0).unwrap();
        let (app, _) = back(&app, &s, m(4, 30), 50, 0).unwrap();
        assert_eq!(approve(&app, &RULES, 0), Err(UnderwritingError::TooFewUnderwriters { distinct: 1, min: 2 }));
        let (app, _) = back(&app, &s, m(7, 7), 10, 0).unwrap();
        assert_eq!(
            approve(&app, &RULES, 0),
            Err(UnderwritingError::ShareAboveMax { backing: 100, total: 110, max_share_bps: 6_000 })
        );
    }

    #[test]
    fn apply_checks() {
        assert_eq!(apply(m(1, 1), 0, 50, vec![], &POLICY, 0), Err(UnderwritingError::ZeroAmount));
        assert_eq!(
            apply(m(1, 1), 1, 5, vec![], &POLICY, 0),
            Err(UnderwritingError::TermOutOfRange { term: 5, min_term: 10, max_term: 1_000 })
        );
        assert_eq!(apply(m(1, 1), 1, 50, vec![m(2, 1)], &POLICY, 0), Err(UnderwritingError::SelfVouch));
        assert_eq!(apply(m(1, 1), 1, 50, vec![m(2, 3), m(4, 3)], &POLICY, 0), Err(UnderwritingError::DuplicateVoucher));
        assert_eq!(
            apply(m(1, 1), 1, 50, (2..=10).map(|i| m(i, i)).collect(), &POLICY, 0),
            Err(UnderwritingError::TooManyVouchers { max: MAX_VOUCHERS })
        );
        assert_eq!(apply(m(1, 1), 1, 50, vec![], &POLICY, u64::MAX), Err(UnderwritingError::Overflow));
        let bad = ApplicationPolicy { min_term: 0, ..POLICY };
        assert_eq!(
            apply(m(1, 1), 1, 50, vec![], &bad, 0),
            Err(UnderwritingError::InvalidTermRange { min_term: 0, max_term: 1_000 })
        );
    }

    #[test]
    fn withdraw_and_close() {
        let app = apply(m(1, 1), 100, 50, vec![], &POLICY, 0).unwrap();
        let (app, s) = back(&app, &Stake::new(100), m(3, 3), 60, 0).unwrap();
        assert_eq!(withdraw(&app, &s, &4, 1).unwrap_err(), UnderwritingError::NotABacker);
        assert_eq!(
            withdraw(&app, &s, &3, 61).unwrap_err(),
            UnderwritingError::WithdrawAboveBacking { backing: 60, requested: 61 }
        );
        let (app2, s2) = withdraw(&app, &s, &3, 60).unwrap();
        assert!(app2.backers.is_empty() && s2 == Stake::new(100));
        assert_eq!(expire(&app, 100).unwrap_err(), UnderwritingError::NotExpiredYet { expires_at: 100 });
        let expired = expire(&app, 101).unwrap();
        assert_eq!(
            withdraw(&expired, &s, &3, 1).unwrap_err(),
            UnderwritingError::NotOpen { status: ApplicationStatus::Expired }
        );
        assert_eq!(reject(&expired).unwrap_err(), UnderwritingError::NotOpen { status: ApplicationStatus::Expired });
        assert_eq!(reject(&app).unwrap().status, ApplicationStatus::Rejected);
        assert_eq!(
            settle_repaid(&app, 0).unwrap_err(),
            UnderwritingError::NotApproved { status: ApplicationStatus::Open }
        );
    }
}
