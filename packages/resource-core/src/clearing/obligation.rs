//! The lifecycle of a registered invoice: the states an obligation moves through in the clearing
//! contract. The rules that move it between them are here too, so the contract, the CLI and the SDK
//! agree on what may happen to an obligation in each state.

use core::fmt;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Where a registered obligation stands.
///
/// `proposed -> accepted` (the debtor confirms) or `proposed -> cancelled` (either party withdraws);
/// an accepted obligation is outstanding until set-off rounds clear all of it (`cleared`), its
/// remaining amount is paid with the credit token (`settled`), or both parties agree to cancel what
/// remains (`cancelled`: one asks, the other confirms, see [`cancel`]). Cancelled, cleared and
/// settled are final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ObligationStatus {
    /// Registered by the creditor, waiting for the debtor.
    Proposed,
    /// Confirmed by the debtor: outstanding while its remaining amount is above zero.
    Accepted,
    /// Withdrawn before acceptance, or cancelled by both parties after it.
    Cancelled,
    /// Fully cleared by set-off rounds.
    Cleared,
    /// Its remaining amount was paid with the credit token.
    Settled,
}

impl fmt::Display for ObligationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObligationStatus::Proposed => "proposed",
            ObligationStatus::Accepted => "accepted",
            ObligationStatus::Cancelled => "cancelled",
            ObligationStatus::Cleared => "cleared",
            ObligationStatus::Settled => "settled",
        })
    }
}

/// Why a step of an obligation's lifecycle was refused, in the words the clearing contract answers
/// with (it embeds this error as it is): the obligation's id, and what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum LifecycleError {
    /// An obligation of 0.
    #[error("the amount must be greater than 0")]
    ZeroAmount,
    /// The debtor is the creditor.
    #[error("the debtor must differ from the creditor (the sender); a participant cannot owe itself")]
    SelfObligation,
    /// A due date at or before the current time.
    #[error("the due date {due} is not in the future (block time is {now}); give a later unix time in seconds")]
    DueNotInFuture {
        /// The given due date, unix seconds.
        due: u64,
        /// The current time, unix seconds.
        now: u64,
    },
    /// Only the debtor may do this (accept, settle).
    #[error("unauthorized: only the obligation's debtor may do this; send it from that address")]
    NotDebtor,
    /// Only the creditor or the debtor may do this (cancel).
    #[error("unauthorized: only the obligation's creditor or debtor may do this; send it from that address")]
    NotParty,
    /// Accepting an obligation that is no longer proposed.
    #[error("obligation {id} is {status}; only a proposed obligation can be accepted")]
    NotProposed {
        /// The obligation.
        id: u64,
        /// Where it stands.
        status: ObligationStatus,
    },
    /// Cancelling an obligation that is already cancelled, cleared or settled.
    #[error("obligation {id} is {status}; only proposed obligations and accepted ones with an amount outstanding can be cancelled")]
    NotCancellable {
        /// The obligation.
        id: u64,
        /// Where it stands.
        status: ObligationStatus,
    },
    /// A party asking again to cancel an accepted obligation.
    #[error(
        "you already asked to cancel obligation {id}; the other party must confirm with Cancel, or you can withdraw \
         your request with WithdrawCancel"
    )]
    CancelAlreadyRequested {
        /// The obligation.
        id: u64,
    },
    /// Withdrawing a cancellation request the sender did not make.
    #[error(
        "you have no request to cancel obligation {id} to withdraw (see the Obligation query's cancel_requested_by)"
    )]
    NoCancelRequest {
        /// The obligation.
        id: u64,
    },
    /// Clearing or settling an obligation that is not accepted with an amount outstanding.
    #[error(
        "obligation {id} is {status}; only accepted obligations with an amount outstanding can be cleared or settled \
         (see the Outstanding query)"
    )]
    NotOpen {
        /// The obligation.
        id: u64,
        /// Where it stands.
        status: ObligationStatus,
    },
    /// A settlement of other than exactly the remaining amount.
    #[error("obligation {id} has {remaining} remaining but {sent} was sent; send exactly the remaining amount")]
    WrongSettlementAmount {
        /// The obligation.
        id: u64,
        /// What is still owed.
        remaining: u128,
        /// What the payer sent.
        sent: u128,
    },
}

/// The checks of a new obligation, in this order: `debtor` differs from `creditor` (the proposer),
/// `amount > 0`, `due > now`.
pub fn check_proposal<P: PartialEq>(
    creditor: &P,
    debtor: &P,
    amount: u128,
    due: u64,
    now: u64,
) -> Result<(), LifecycleError> {
    if debtor == creditor {
        return Err(LifecycleError::SelfObligation);
    }
    if amount == 0 {
        return Err(LifecycleError::ZeroAmount);
    }
    if due <= now {
        return Err(LifecycleError::DueNotInFuture { due, now });
    }
    Ok(())
}

/// Only the debtor accepts an obligation and settles it.
pub fn check_debtor<P: PartialEq>(debtor: &P, sender: &P) -> Result<(), LifecycleError> {
    if sender == debtor {
        Ok(())
    } else {
        Err(LifecycleError::NotDebtor)
    }
}

/// The two sides of an obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    /// Who owes.
    Debtor,
    /// Who is owed.
    Creditor,
}

impl Party {
    /// The other side.
    pub const fn other(self) -> Party {
        match self {
            Party::Debtor => Party::Creditor,
            Party::Creditor => Party::Debtor,
        }
    }
}

/// What a party's `Cancel` does to an obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CancelStep {
    /// It is cancelled now: a proposal withdrawn, or the other party's request confirmed.
    Cancelled,
    /// An accepted obligation: the party's request is recorded, the other party must confirm.
    Requested(Party),
}

/// Which party `sender` is.
pub fn party_of<P: PartialEq>(debtor: &P, creditor: &P, sender: &P) -> Result<Party, LifecycleError> {
    if sender == debtor {
        Ok(Party::Debtor)
    } else if sender == creditor {
        Ok(Party::Creditor)
    } else {
        Err(LifecycleError::NotParty)
    }
}

/// Either party may withdraw a proposal.
pub fn check_party<P: PartialEq>(debtor: &P, creditor: &P, sender: &P) -> Result<(), LifecycleError> {
    if sender == debtor || sender == creditor {
        Ok(())
    } else {
        Err(LifecycleError::NotParty)
    }
}

/// A settlement of obligation `id` pays exactly what remains.
pub fn check_settlement(id: u64, remaining: u128, sent: u128) -> Result<(), LifecycleError> {
    if sent == remaining {
        Ok(())
    } else {
        Err(LifecycleError::WrongSettlementAmount { id, remaining, sent })
    }
}

/// The debtor accepts proposed obligation `id`: its new status. Only the debtor may, and only while
/// it is proposed (checked in that order).
pub fn accept<P: PartialEq>(
    id: u64,
    status: ObligationStatus,
    debtor: &P,
    sender: &P,
) -> Result<ObligationStatus, LifecycleError> {
    check_debtor(debtor, sender)?;
    status.accept(id)
}

/// A party cancels obligation `id` (checked in this order: a party, cancellable). A proposal is
/// withdrawn at once by either party. An accepted one with something outstanding needs both: the
/// first party's `Cancel` is recorded as a request (`requested`), the other party's confirms it; a
/// party that already asked is told to wait for the other (it may withdraw its request, see
/// [`withdraw_cancel`]). Cancelled, cleared and settled obligations cannot be cancelled.
pub fn cancel<P: PartialEq>(
    id: u64,
    status: ObligationStatus,
    remaining: u128,
    requested: Option<Party>,
    debtor: &P,
    creditor: &P,
    sender: &P,
) -> Result<CancelStep, LifecycleError> {
    let party = party_of(debtor, creditor, sender)?;
    match status {
        ObligationStatus::Proposed => Ok(CancelStep::Cancelled),
        ObligationStatus::Accepted if remaining > 0 => match requested {
            None => Ok(CancelStep::Requested(party)),
            Some(by) if by == party => Err(LifecycleError::CancelAlreadyRequested { id }),
            Some(_) => Ok(CancelStep::Cancelled),
        },
        status => Err(LifecycleError::NotCancellable { id, status }),
    }
}

/// A party withdraws its own request to cancel obligation `id`: only the party that asked may.
pub fn withdraw_cancel<P: PartialEq>(
    id: u64,
    requested: Option<Party>,
    debtor: &P,
    creditor: &P,
    sender: &P,
) -> Result<(), LifecycleError> {
    let party = party_of(debtor, creditor, sender)?;
    if requested == Some(party) {
        Ok(())
    } else {
        Err(LifecycleError::NoCancelRequest { id })
    }
}

/// The debtor pays what remains of open obligation `id` with `sent`: its new status. Checked in this
/// order: open, paid by the debtor, exactly the remaining amount.
pub fn settle<P: PartialEq>(
    id: u64,
    status: ObligationStatus,
    remaining: u128,
    debtor: &P,
    payer: &P,
    sent: u128,
) -> Result<ObligationStatus, LifecycleError> {
    status.check_open(id, remaining)?;
    check_debtor(debtor, payer)?;
    check_settlement(id, remaining, sent)?;
    Ok(status.settle())
}

impl ObligationStatus {
    /// The status of obligation `id` after the debtor accepts: only a proposed obligation can be
    /// accepted.
    pub fn accept(self, id: u64) -> Result<ObligationStatus, LifecycleError> {
        match self {
            ObligationStatus::Proposed => Ok(ObligationStatus::Accepted),
            status => Err(LifecycleError::NotProposed { id, status }),
        }
    }

    /// Whether obligation `id`, with `remaining` outstanding, may be cleared or settled: accepted,
    /// with something left to pay.
    pub fn check_open(self, id: u64, remaining: u128) -> Result<(), LifecycleError> {
        if self == ObligationStatus::Accepted && remaining > 0 {
            Ok(())
        } else {
            Err(LifecycleError::NotOpen { id, status: self })
        }
    }

    /// An open obligation after a set-off round clears `amount` of its `remaining`: what remains and
    /// the new status (cleared once nothing remains). `None` if `amount` exceeds what remains, which a
    /// verified set-off never does.
    pub fn clear(self, remaining: u128, amount: u128) -> Option<(u128, ObligationStatus)> {
        let left = remaining.checked_sub(amount)?;
        Some((left, if left == 0 { ObligationStatus::Cleared } else { self }))
    }

    /// The status once the remaining amount is paid with the credit token.
    pub const fn settle(self) -> ObligationStatus {
        ObligationStatus::Settled
    }

    /// Whether nothing can happen to the obligation any more (cancelled, cleared or settled).
    pub const fn is_final(self) -> bool {
        matches!(self, ObligationStatus::Cancelled | ObligationStatus::Cleared | ObligationStatus::Settled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ObligationStatus::*;

    const ALL: [ObligationStatus; 5] = [Proposed, Accepted, Cancelled, Cleared, Settled];

    #[test]
    fn a_proposal_needs_two_parties_an_amount_and_a_future_due_date() {
        assert_eq!(check_proposal(&"c", &"d", 1, 11, 10), Ok(()));
        assert_eq!(check_proposal(&"c", &"c", 0, 0, 10), Err(LifecycleError::SelfObligation));
        assert_eq!(check_proposal(&"c", &"d", 0, 0, 10), Err(LifecycleError::ZeroAmount));
        assert_eq!(check_proposal(&"c", &"d", 1, 10, 10), Err(LifecycleError::DueNotInFuture { due: 10, now: 10 }));
    }

    #[test]
    fn each_step_checks_the_sender_before_the_status() {
        assert_eq!(accept(7, Proposed, &"d", &"d"), Ok(Accepted));
        assert_eq!(accept(7, Accepted, &"d", &"c"), Err(LifecycleError::NotDebtor));
        assert_eq!(accept(7, Accepted, &"d", &"d"), Err(LifecycleError::NotProposed { id: 7, status: Accepted }));
        assert_eq!(cancel(7, Proposed, 5, None, &"d", &"c", &"c"), Ok(CancelStep::Cancelled));
        assert_eq!(cancel(7, Cleared, 0, None, &"d", &"c", &"x"), Err(LifecycleError::NotParty));
        assert_eq!(
            cancel(7, Cleared, 0, None, &"d", &"c", &"d"),
            Err(LifecycleError::NotCancellable { id: 7, status: Cleared })
        );
        assert_eq!(settle(7, Accepted, 5, &"d", &"d", 5), Ok(Settled));
        assert_eq!(settle(7, Proposed, 5, &"d", &"x", 4), Err(LifecycleError::NotOpen { id: 7, status: Proposed }));
        assert_eq!(settle(7, Accepted, 5, &"d", &"x", 4), Err(LifecycleError::NotDebtor));
        assert_eq!(
            settle(7, Accepted, 5, &"d", &"d", 4),
            Err(LifecycleError::WrongSettlementAmount { id: 7, remaining: 5, sent: 4 })
        );
    }

    #[test]
    fn who_may_do_what() {
        assert_eq!(check_debtor(&"d", &"d"), Ok(()));
        assert_eq!(check_debtor(&"d", &"c"), Err(LifecycleError::NotDebtor));
        assert_eq!(check_party(&"d", &"c", &"c"), Ok(()));
        assert_eq!(check_party(&"d", &"c", &"d"), Ok(()));
        assert_eq!(check_party(&"d", &"c", &"x"), Err(LifecycleError::NotParty));
        assert_eq!(check_settlement(7, 5, 5), Ok(()));
        assert_eq!(
            check_settlement(7, 5, 4),
            Err(LifecycleError::WrongSettlementAmount { id: 7, remaining: 5, sent: 4 })
        );
    }

    #[test]
    fn only_proposed_obligations_are_accepted() {
        for s in ALL {
            if s == Proposed {
                assert_eq!(s.accept(7), Ok(Accepted));
            } else {
                assert_eq!(s.accept(7), Err(LifecycleError::NotProposed { id: 7, status: s }));
            }
        }
    }

    #[test]
    fn an_accepted_obligation_is_cancelled_only_by_both_parties() {
        use CancelStep::Requested;
        let step = |requested, sender| cancel(7, Accepted, 5, requested, &"d", &"c", &sender);
        assert_eq!(step(None, "d"), Ok(Requested(Party::Debtor)));
        assert_eq!(step(None, "c"), Ok(Requested(Party::Creditor)));
        assert_eq!(step(Some(Party::Debtor), "d"), Err(LifecycleError::CancelAlreadyRequested { id: 7 }));
        assert_eq!(step(Some(Party::Debtor), "c"), Ok(CancelStep::Cancelled));
        assert_eq!(step(Some(Party::Creditor), "d"), Ok(CancelStep::Cancelled));
        assert_eq!(step(Some(Party::Creditor), "x"), Err(LifecycleError::NotParty));
        // Nothing left to cancel once nothing remains, nor once final.
        assert_eq!(
            cancel(7, Accepted, 0, Some(Party::Debtor), &"d", &"c", &"c"),
            Err(LifecycleError::NotCancellable { id: 7, status: Accepted })
        );
        for s in [Cancelled, Cleared, Settled] {
            assert_eq!(
                cancel(7, s, 0, None, &"d", &"c", &"d"),
                Err(LifecycleError::NotCancellable { id: 7, status: s })
            );
        }
        // Only the party that asked withdraws its request.
        assert_eq!(withdraw_cancel(7, Some(Party::Debtor), &"d", &"c", &"d"), Ok(()));
        assert_eq!(
            withdraw_cancel(7, Some(Party::Debtor), &"d", &"c", &"c"),
            Err(LifecycleError::NoCancelRequest { id: 7 })
        );
        assert_eq!(withdraw_cancel(7, None, &"d", &"c", &"d"), Err(LifecycleError::NoCancelRequest { id: 7 }));
        assert_eq!(withdraw_cancel(7, Some(Party::Debtor), &"d", &"c", &"x"), Err(LifecycleError::NotParty));
        assert_eq!(Party::Debtor.other(), Party::Creditor);
        assert_eq!(Party::Creditor.other(), Party::Debtor);
    }

    #[test]
    fn only_accepted_obligations_with_something_left_are_open() {
        for s in ALL {
            assert_eq!(s.check_open(7, 1).is_ok(), s == Accepted, "{s}");
            assert_eq!(s.check_open(7, 0), Err(LifecycleError::NotOpen { id: 7, status: s }));
        }
    }

    #[test]
    fn clearing_everything_that_remains_clears_the_obligation() {
        assert_eq!(Accepted.clear(10, 4), Some((6, Accepted)));
        assert_eq!(Accepted.clear(6, 6), Some((0, Cleared)));
        assert_eq!(Accepted.clear(6, 7), None);
        assert_eq!(Accepted.settle(), Settled);
        assert!(ALL.iter().all(|s| s.is_final() == !matches!(s, Proposed | Accepted)));
    }
}
