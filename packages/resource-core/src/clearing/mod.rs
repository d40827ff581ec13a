//! Multilateral trade-credit set-off (MTCS): cancelling as much debt as possible at once without
//! anyone paying anything, leaving every participant's net position unchanged.
//!
//! Businesses owe each other invoices ([`Obligation`]s, `debtor -> creditor`). A [`SetOff`] clears part
//! of some of them. It is valid ([`verify`]) when no entry exceeds what is outstanding and, for every
//! participant, what is cleared of its debts equals what is cleared of its claims. An optimal set-off
//! ([`solve`]) is a maximum circulation in the obligation graph, found exactly by a min-cost flow.
//! What remains can be settled with credit-token payments ([`settlement_plan`]). Who gets to apply a
//! set-off, and when, is decided by a submission window per round ([`round`]): the largest valid
//! set-off submitted before the round closes wins.
//!
//! Participants are any `P: Eq + Hash + Clone` (addresses as strings in the CLI and SDK, canonical
//! addresses in the contract, dense integers in benchmarks); `Display` is needed where an error names
//! one. Everything here is deterministic: results never depend on hash order.

mod error;
mod flow;
mod obligation;
pub mod round;

use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt::Display;
use core::hash::Hash;

use hashbrown::hash_map::Entry;
use hashbrown::HashMap;

pub use error::ClearingError;
pub use obligation::{
    accept, cancel, check_debtor, check_party, check_proposal, check_settlement, party_of, settle, withdraw_cancel,
    CancelStep, LifecycleError, ObligationStatus, Party,
};
pub use round::{Admission, Candidate, RoundError, RoundOutcome};

/// The largest total of obligation amounts [`solve`] accepts: exact 64-bit arithmetic inside.
pub const MAX_SOLVABLE_TOTAL: u128 = i64::MAX as u128;

/// An invoice: `debtor` owes `creditor` `amount` (outstanding, in the network's smallest unit).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Obligation<P> {
    /// Unique id of the obligation.
    pub id: u64,
    /// Who owes.
    pub debtor: P,
    /// Who is owed.
    pub creditor: P,
    /// What is still owed.
    pub amount: u128,
}

/// One cleared part of an obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SetOffEntry {
    /// The obligation.
    pub id: u64,
    /// How much of it is cleared.
    pub amount: u128,
}

/// A set of simultaneous partial cancellations, one entry per obligation touched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SetOff {
    /// Entries, sorted by obligation id when produced by [`solve`].
    pub entries: Vec<SetOffEntry>,
}

impl SetOff {
    /// The total amount cleared (saturating; a verified set-off never saturates).
    pub fn total(&self) -> u128 {
        self.entries.iter().fold(0u128, |sum, e| sum.saturating_add(e.amount))
    }
}

/// What a verified set-off clears, per participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified<P> {
    /// The sum of all entries.
    pub total: u128,
    /// For each participant touched, in order of first appearance in the entries: the amount cleared
    /// (equal on its debtor and creditor sides).
    pub per_participant: Vec<(P, u128)>,
}

/// Checks `set_off` against the `outstanding` obligations in O(entries + obligations):
/// every entry names a distinct outstanding obligation, clears more than 0 and at most what is
/// outstanding, and every participant has as much cleared of its debts as of its claims.
///
/// Errors name the first offending entry (in entry order) or participant (in order of first
/// appearance in the entries).
pub fn verify<P>(outstanding: &[Obligation<P>], set_off: &SetOff) -> Result<Verified<P>, ClearingError>
where
    P: Eq + Hash + Clone + Display,
{
    if set_off.entries.is_empty() {
        return Err(ClearingError::EmptySetOff);
    }
    let mut by_id: HashMap<u64, usize> = HashMap::with_capacity(outstanding.len());
    for (i, o) in outstanding.iter().enumerate() {
        if by_id.insert(o.id, i).is_some() {
            return Err(ClearingError::DuplicateObligation { id: o.id });
        }
    }
    // participant -> index into `sides`, in order of first appearance
    let mut index: HashMap<&P, usize> = HashMap::new();
    let mut sides: Vec<(&P, u128, u128)> = Vec::new();
    let mut seen: HashMap<u64, ()> = HashMap::with_capacity(set_off.entries.len());
    let mut total = 0u128;
    for entry in &set_off.entries {
        let o = by_id
            .get(&entry.id)
            .and_then(|&i| outstanding.get(i))
            .ok_or(ClearingError::UnknownObligation { id: entry.id })?;
        if seen.insert(entry.id, ()).is_some() {
            return Err(ClearingError::DuplicateEntry { id: entry.id });
        }
        if entry.amount == 0 {
            return Err(ClearingError::ZeroEntry { id: entry.id });
        }
        if o.debtor == o.creditor {
            return Err(ClearingError::SelfObligation { id: o.id });
        }
        if entry.amount > o.amount {
            return Err(ClearingError::OverCleared { id: o.id, outstanding: o.amount, requested: entry.amount });
        }
        total = total.checked_add(entry.amount).ok_or(ClearingError::Overflow)?;
        for (who, as_debtor) in [(&o.debtor, true), (&o.creditor, false)] {
            let i = *index.entry(who).or_insert_with(|| {
                sides.push((who, 0, 0));
                sides.len().saturating_sub(1)
            });
            let side = sides.get_mut(i).ok_or(ClearingError::Overflow)?;
            let slot = if as_debtor { &mut side.1 } else { &mut side.2 };
            *slot = slot.checked_add(entry.amount).ok_or(ClearingError::Overflow)?;
        }
    }
    let mut per_participant = Vec::with_capacity(sides.len());
    for (who, as_debtor, as_creditor) in sides {
        if as_debtor != as_creditor {
            return Err(ClearingError::Unbalanced { participant: who.to_string(), as_debtor, as_creditor });
        }
        per_participant.push((who.clone(), as_debtor));
    }
    Ok(Verified { total, per_participant })
}

/// The optimal set-off: the largest total that can be cleared, exactly.
///
/// Obligations with a zero amount are ignored. Runs in memory, single-threaded, without I/O, so it
/// works in a browser through the SDK as well as in the CLI. The result's entries are sorted by id
/// and all positive; `verify(obligations, &solve(obligations)?)` always succeeds when the result is
/// not empty.
pub fn solve<P: Eq + Hash + Clone>(obligations: &[Obligation<P>]) -> Result<SetOff, ClearingError> {
    let mut ids: HashMap<u64, ()> = HashMap::with_capacity(obligations.len());
    let mut nodes: HashMap<&P, u32> = HashMap::new();
    let mut arcs = Vec::with_capacity(obligations.len());
    let mut arc_ids = Vec::with_capacity(obligations.len());
    let mut total = 0u128;
    for o in obligations {
        if ids.insert(o.id, ()).is_some() {
            return Err(ClearingError::DuplicateObligation { id: o.id });
        }
        if o.debtor == o.creditor {
            return Err(ClearingError::SelfObligation { id: o.id });
        }
        if o.amount == 0 {
            continue;
        }
        total = total.checked_add(o.amount).ok_or(ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL })?;
        if total > MAX_SOLVABLE_TOTAL {
            return Err(ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL });
        }
        let from = node_index(&mut nodes, &o.debtor)?;
        let to = node_index(&mut nodes, &o.creditor)?;
        // total <= i64::MAX was checked above, so every amount fits.
        let capacity = i64::try_from(o.amount).map_err(|_| ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL })?;
        arcs.push(flow::Arc { from, to, capacity });
        arc_ids.push(o.id);
    }
    let flow = flow::max_circulation(nodes.len(), &arcs);
    let mut entries: Vec<SetOffEntry> = arc_ids
        .iter()
        .zip(flow)
        .filter(|(_, f)| *f > 0)
        .map(|(&id, f)| SetOffEntry { id, amount: f.unsigned_abs().into() })
        .collect();
    entries.sort_unstable_by_key(|e| e.id);
    Ok(SetOff { entries })
}

/// The dense index of a participant, assigned in order of first appearance (deterministic).
fn node_index<'a, P: Eq + Hash>(nodes: &mut HashMap<&'a P, u32>, p: &'a P) -> Result<u32, ClearingError> {
    let next = u32::try_from(nodes.len()).map_err(|_| ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL })?;
    Ok(match nodes.entry(p) {
        Entry::Occupied(e) => *e.get(),
        Entry::Vacant(e) => *e.insert(next),
    })
}

/// Each participant's net position over `obligations`: what it is owed minus what it owes, in order
/// of first appearance. Clearing never changes it.
pub fn net_positions<P: Eq + Hash + Clone>(obligations: &[Obligation<P>]) -> Result<Vec<(P, i128)>, ClearingError> {
    net_of(obligations, |o| o.amount)
}

/// Net positions with each obligation counted at `amount_of(obligation)`; every participant of
/// `obligations` is listed, also when its amounts are all 0.
fn net_of<P: Eq + Hash + Clone>(
    obligations: &[Obligation<P>],
    amount_of: impl Fn(&Obligation<P>) -> u128,
) -> Result<Vec<(P, i128)>, ClearingError> {
    let mut index: HashMap<&P, usize> = HashMap::new();
    let mut net: Vec<(&P, i128)> = Vec::new();
    for o in obligations {
        let amount = i128::try_from(amount_of(o)).map_err(|_| ClearingError::Overflow)?;
        let owed = amount.checked_neg().ok_or(ClearingError::Overflow)?;
        for (who, signed) in [(&o.debtor, owed), (&o.creditor, amount)] {
            let i = *index.entry(who).or_insert_with(|| {
                net.push((who, 0));
                net.len().saturating_sub(1)
            });
            let slot = net.get_mut(i).ok_or(ClearingError::Overflow)?;
            slot.1 = slot.1.checked_add(signed).ok_or(ClearingError::Overflow)?;
        }
    }
    Ok(net.into_iter().map(|(p, n)| (p.clone(), n)).collect())
}

/// The obligations as they stand after `set_off` (verified first): amounts reduced, fully cleared
/// ones left out, order kept.
pub fn remaining<P>(outstanding: &[Obligation<P>], set_off: &SetOff) -> Result<Vec<Obligation<P>>, ClearingError>
where
    P: Eq + Hash + Clone + Display,
{
    verify(outstanding, set_off)?;
    let cleared: HashMap<u64, u128> = set_off.entries.iter().map(|e| (e.id, e.amount)).collect();
    Ok(outstanding
        .iter()
        .filter_map(|o| {
            let left = o.amount.saturating_sub(cleared.get(&o.id).copied().unwrap_or(0));
            (left > 0).then(|| Obligation { amount: left, ..o.clone() })
        })
        .collect())
}

/// Net positions after `set_off` (verified first), for every participant of `outstanding` in order
/// of first appearance: by construction the same as before it (the property tests check).
pub fn remaining_net_positions<P>(
    outstanding: &[Obligation<P>],
    set_off: &SetOff,
) -> Result<Vec<(P, i128)>, ClearingError>
where
    P: Eq + Hash + Clone + Display,
{
    verify(outstanding, set_off)?;
    let cleared: HashMap<u64, u128> = set_off.entries.iter().map(|e| (e.id, e.amount)).collect();
    net_of(outstanding, |o| o.amount.saturating_sub(cleared.get(&o.id).copied().unwrap_or(0)))
}

/// One credit-token payment that settles what remains of an obligation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Payment<P> {
    /// The obligation this payment closes.
    pub obligation: u64,
    /// The debtor, who pays (into its credit line if needed).
    pub from: P,
    /// The creditor.
    pub to: P,
    /// The remaining amount.
    pub amount: u128,
}

/// How to settle what remains after a set-off: one credit-token payment per open obligation, from
/// debtor to creditor (the clearing contract's `SettleWithCredit` makes exactly this payment). After an
/// optimal set-off no cycle is left, so none of these payments could have been cancelled instead.
pub fn settlement_plan<P: Clone>(remaining: &[Obligation<P>]) -> Vec<Payment<P>> {
    remaining
        .iter()
        .filter(|o| o.amount > 0)
        .map(|o| Payment { obligation: o.id, from: o.debtor.clone(), to: o.creditor.clone(), amount: o.amount })
        .collect()
}

#[cfg(test)]
mod tests;
