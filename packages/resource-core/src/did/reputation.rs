//! Portable reputation: events the credit network's contracts append to a member's DID, and the
//! summary any application can read. Records are append-only: an event gets the next sequence
//! number and the block time, and is never changed or removed.

use alloc::string::String;

use super::error::RecordError;
use super::syntax::Did;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// What happened. Amounts are in the network's smallest unit (decimal strings in JSON), terms in
/// seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ReputationEvent {
    /// A credit line of `amount` for `term` seconds was granted to the member.
    ///
    /// Written for a new line (or a new term after the previous one ended or closed) with the full
    /// limit as `amount`, and for a line raised within a running term with the raise only as
    /// `amount`; never for a renewal at the same or a lower limit. So the sum of the amounts is
    /// the credit actually extended, and refinancing cannot inflate it.
    CreditLineGranted {
        /// The full limit of a new line or term, or the raise of a running one.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
        /// The term, in seconds.
        term: u64,
    },
    /// The member repaid `amount` by the end of its term.
    ///
    /// Written at most once per credit term, when the term is settled or closed: `amount` is the
    /// largest debt the member carried during the term, repaid in full by the term end. Paying
    /// back several times within one term still makes one record, so it cannot be farmed.
    RepaidOnTime {
        /// The largest debt carried during the term (all of it repaid by the term end).
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
    },
    /// The member was declared in default on a debt of `amount`.
    Defaulted {
        /// The debt written off.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
    },
    /// The member vouched `amount` of its credit line for `member`.
    VouchGiven {
        /// The amount staked.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
        /// Whom for.
        member: Did,
    },
    /// A member it vouched for repaid on time.
    VouchKept {
        /// The amount vouched.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
        /// Whom for.
        member: Did,
    },
    /// A member it vouched for defaulted; its line was cut by `amount`.
    VouchBroken {
        /// The amount vouched (and lost).
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
        /// Whom for.
        member: Did,
    },
    /// The member took part in clearing round `round`, which cleared `amount` of its obligations.
    ClearingParticipation {
        /// The round.
        round: u64,
        /// Cleared for this member.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
    },
    /// The member repaid `amount` of the debt written off when it defaulted (a payment to the
    /// network's loss account after a [`ReputationEvent::Defaulted`]).
    DebtRecovered {
        /// What was repaid of the written-off debt.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        amount: u128,
    },
}

impl ReputationEvent {
    /// The event's name (as in JSON).
    pub fn name(&self) -> &'static str {
        match self {
            ReputationEvent::CreditLineGranted { .. } => "credit_line_granted",
            ReputationEvent::RepaidOnTime { .. } => "repaid_on_time",
            ReputationEvent::Defaulted { .. } => "defaulted",
            ReputationEvent::VouchGiven { .. } => "vouch_given",
            ReputationEvent::VouchKept { .. } => "vouch_kept",
            ReputationEvent::VouchBroken { .. } => "vouch_broken",
            ReputationEvent::ClearingParticipation { .. } => "clearing_participation",
            ReputationEvent::DebtRecovered { .. } => "debt_recovered",
        }
    }

    /// The amount the event is about.
    pub fn amount(&self) -> u128 {
        match self {
            ReputationEvent::CreditLineGranted { amount, .. }
            | ReputationEvent::RepaidOnTime { amount }
            | ReputationEvent::Defaulted { amount }
            | ReputationEvent::VouchGiven { amount, .. }
            | ReputationEvent::VouchKept { amount, .. }
            | ReputationEvent::VouchBroken { amount, .. }
            | ReputationEvent::ClearingParticipation { amount, .. }
            | ReputationEvent::DebtRecovered { amount } => *amount,
        }
    }

    /// Checks an event about `subject`: every amount is positive, a term is positive, nobody vouches
    /// for itself.
    pub fn check(&self, subject: &Did) -> Result<(), RecordError> {
        if self.amount() == 0 {
            return Err(RecordError::ZeroAmount { event: self.name() });
        }
        match self {
            ReputationEvent::CreditLineGranted { term: 0, .. } => Err(RecordError::ZeroTerm),
            ReputationEvent::VouchGiven { member, .. }
            | ReputationEvent::VouchKept { member, .. }
            | ReputationEvent::VouchBroken { member, .. }
                if member == subject =>
            {
                Err(RecordError::SelfVouch)
            }
            _ => Ok(()),
        }
    }
}

/// One appended event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReputationRecord {
    /// 1, 2, ... per DID.
    pub seq: u64,
    /// Block time (unix seconds).
    pub time: u64,
    /// The address of the contract that wrote it.
    pub writer: String,
    /// What happened.
    pub event: ReputationEvent,
}

/// Everything a DID's events add up to. Totals saturate at `u128::MAX` instead of failing, so an
/// append can never be refused because of the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ReputationSummary {
    /// Events recorded (the last sequence number).
    pub events: u64,
    /// Credit lines granted.
    pub credit_lines: u64,
    /// Sum of their amounts.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub credit_granted: u128,
    /// On-time repayments.
    pub repaid_on_time: u64,
    /// Sum repaid on time.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub repaid: u128,
    /// Defaults.
    pub defaults: u64,
    /// Sum written off in defaults.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub defaulted: u128,
    /// Vouches given.
    pub vouches_given: u64,
    /// Sum vouched.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub vouched: u128,
    /// Vouches whose member repaid.
    pub vouches_kept: u64,
    /// Vouches whose member defaulted.
    pub vouches_broken: u64,
    /// Clearing rounds taken part in.
    pub clearing_rounds: u64,
    /// Sum cleared in them.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub cleared: u128,
    /// Sum repaid of debt written off in defaults (`debt_recovered` events). Absent in JSON written
    /// before the event existed, which means 0.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub recovered: u128,
    /// Time of the first event.
    pub first_event_at: Option<u64>,
    /// Time of the last event.
    pub last_event_at: Option<u64>,
}

impl ReputationSummary {
    /// The summary after one more event at `time`.
    pub fn with(mut self, event: &ReputationEvent, time: u64) -> ReputationSummary {
        let add = |count: &mut u64, total: &mut u128, amount: u128| {
            *count = count.saturating_add(1);
            *total = total.saturating_add(amount);
        };
        match event {
            ReputationEvent::CreditLineGranted { amount, .. } => {
                add(&mut self.credit_lines, &mut self.credit_granted, *amount)
            }
            ReputationEvent::RepaidOnTime { amount } => add(&mut self.repaid_on_time, &mut self.repaid, *amount),
            ReputationEvent::Defaulted { amount } => add(&mut self.defaults, &mut self.defaulted, *amount),
            ReputationEvent::VouchGiven { amount, .. } => add(&mut self.vouches_given, &mut self.vouched, *amount),
            ReputationEvent::VouchKept { .. } => self.vouches_kept = self.vouches_kept.saturating_add(1),
            ReputationEvent::VouchBroken { .. } => self.vouches_broken = self.vouches_broken.saturating_add(1),
            ReputationEvent::ClearingParticipation { amount, .. } => {
                add(&mut self.clearing_rounds, &mut self.cleared, *amount)
            }
            ReputationEvent::DebtRecovered { amount } => self.recovered = self.recovered.saturating_add(*amount),
        }
        self.events = self.events.saturating_add(1);
        self.first_event_at = Some(self.first_event_at.unwrap_or(time));
        self.last_event_at = Some(self.last_event_at.map_or(time, |t| t.max(time)));
        self
    }

    /// The summary of a whole history.
    pub fn of<'a>(records: impl IntoIterator<Item = &'a ReputationRecord>) -> ReputationSummary {
        records.into_iter().fold(ReputationSummary::default(), |s, r| s.with(&r.event, r.time))
    }
}

/// The append rule: checks `event` about `subject` and returns the record to store (the next
/// sequence number after `summary.events`, at `time`, by `writer`) with the new summary.
pub fn append(
    summary: &ReputationSummary,
    subject: &Did,
    event: ReputationEvent,
    writer: String,
    time: u64,
) -> Result<(ReputationRecord, ReputationSummary), RecordError> {
    event.check(subject)?;
    let seq = summary.events.checked_add(1).ok_or(RecordError::Overflow)?;
    let next = summary.with(&event, time);
    Ok((ReputationRecord { seq, time, writer, event }, next))
}
