//! Property tests of clearing: every solution verifies, keeps net positions, and clears exactly the
//! optimum computed independently by a linear-programming solver (minilp); tampered set-offs fail; the
//! obligation lifecycle keeps its invariants under any sequence of attempts.
use minilp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;
use resource_core::clearing::round::{admit, close, Admission, Candidate, RoundError};
use resource_core::clearing::{
    cancel, check_debtor, check_proposal, check_settlement, net_positions, remaining_net_positions, solve, verify,
    withdraw_cancel, CancelStep, ClearingError, Obligation, ObligationStatus, Party, SetOff, SetOffEntry,
};

/// Random obligation graphs: `n` participants, up to `m` obligations, amounts up to `max`.
fn graphs(n: u32, m: usize, max: u128) -> impl Strategy<Value = Vec<Obligation<u32>>> {
    (2..=n).prop_flat_map(move |n| {
        prop::collection::vec((0..n, 0..n, 1..=max), 0..=m).prop_map(|raw| {
            raw.into_iter()
                .filter(|(d, c, _)| d != c)
                .enumerate()
                .map(|(i, (debtor, creditor, amount))| Obligation { id: 10 + 3 * i as u64, debtor, creditor, amount })
                .collect()
        })
    })
}

/// The maximum circulation as a linear program: maximize the sum of x_e, 0 <= x_e <= amount_e, inflow =
/// outflow at every participant. Network matrices are totally unimodular, so the LP optimum is the
/// integer optimum.
fn lp_optimum(obligations: &[Obligation<u32>]) -> u128 {
    if obligations.is_empty() {
        return 0;
    }
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let vars: Vec<_> = obligations.iter().map(|o| problem.add_var(1.0, (0.0, o.amount as f64))).collect();
    let n = obligations.iter().map(|o| o.debtor.max(o.creditor)).max().unwrap_or(0) + 1;
    for p in 0..n {
        let mut row = Vec::new();
        for (o, v) in obligations.iter().zip(&vars) {
            if o.creditor == p {
                row.push((*v, 1.0));
            }
            if o.debtor == p {
                row.push((*v, -1.0));
            }
        }
        if !row.is_empty() {
            problem.add_constraint(row.as_slice(), ComparisonOp::Eq, 0.0);
        }
    }
    let solution = problem.solve().expect("x = 0 is always feasible and the objective is bounded");
    solution.objective().round() as u128
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn solve_is_valid_and_optimal_on_small_graphs(obligations in graphs(8, 24, 60)) {
        let set_off = solve(&obligations).unwrap();
        prop_assert_eq!(set_off.total(), lp_optimum(&obligations));
        if set_off.entries.is_empty() {
            return Ok(());
        }
        let verified = verify(&obligations, &set_off).unwrap();
        prop_assert_eq!(verified.total, set_off.total());
        prop_assert_eq!(remaining_net_positions(&obligations, &set_off).unwrap(), net_positions(&obligations).unwrap());
        prop_assert!(set_off.entries.windows(2).all(|w| w[0].id < w[1].id), "sorted, no duplicates");
    }

    #[test]
    fn solve_is_optimal_on_larger_graphs(obligations in graphs(40, 200, 1_000_000)) {
        let set_off = solve(&obligations).unwrap();
        prop_assert_eq!(set_off.total(), lp_optimum(&obligations));
        if !set_off.entries.is_empty() {
            verify(&obligations, &set_off).unwrap();
        }
    }

    /// Tampering with a valid set-off: over-clearing an entry, dropping one, repeating one, or
    /// naming an obligation that is not outstanding is always refused.
    #[test]
    fn tampered_set_offs_are_refused(obligations in graphs(6, 20, 30), pick in any::<prop::sample::Index>()) {
        let set_off = solve(&obligations).unwrap();
        prop_assume!(!set_off.entries.is_empty());
        let i = pick.index(set_off.entries.len());
        let entry = set_off.entries[i];
        let outstanding = obligations.iter().find(|o| o.id == entry.id).unwrap().amount;

        let mut over = set_off.clone();
        over.entries[i].amount = outstanding + 1;
        let err = verify(&obligations, &over).unwrap_err();
        prop_assert_eq!(err, ClearingError::OverCleared { id: entry.id, outstanding, requested: outstanding + 1 });

        let mut dropped = set_off.clone();
        dropped.entries.remove(i);
        if !dropped.entries.is_empty() {
            let is_unbalanced = matches!(verify(&obligations, &dropped), Err(ClearingError::Unbalanced { .. }));
            prop_assert!(is_unbalanced);
        }

        let mut repeated = set_off.clone();
        repeated.entries.push(entry);
        prop_assert_eq!(verify(&obligations, &repeated).unwrap_err(), ClearingError::DuplicateEntry { id: entry.id });

        let mut unknown = set_off.clone();
        unknown.entries.insert(0, SetOffEntry { id: 1, amount: 1 });
        prop_assert_eq!(verify(&obligations, &unknown).unwrap_err(), ClearingError::UnknownObligation { id: 1 });

        // Shrinking every entry by a common factor keeps it balanced; shrinking one alone does not.
        if entry.amount > 1 {
            let mut shrunk = set_off.clone();
            shrunk.entries[i].amount -= 1;
            let is_unbalanced = matches!(verify(&obligations, &shrunk), Err(ClearingError::Unbalanced { .. }));
            prop_assert!(is_unbalanced);
        }
    }
}

#[test]
fn a_dense_random_network_matches_the_lp() {
    // One bigger instance: 150 participants, 3,000 obligations from a fixed pseudo-random sequence.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut obligations = Vec::new();
    while obligations.len() < 3_000 {
        let (d, c) = ((next() % 150) as u32, (next() % 150) as u32);
        if d != c {
            let id = obligations.len() as u64;
            obligations.push(Obligation { id, debtor: d, creditor: c, amount: (next() % 10_000 + 1) as u128 });
        }
    }
    let set_off: SetOff = solve(&obligations).unwrap();
    assert_eq!(set_off.total(), lp_optimum(&obligations));
    verify(&obligations, &set_off).unwrap();
}

/// One thing that can happen to an obligation: `who` is 0 (the debtor), 1 (the creditor) or 2 (a
/// stranger).
#[derive(Clone, Debug)]
enum Step {
    Accept { who: u8 },
    Cancel { who: u8 },
    WithdrawCancel { who: u8 },
    Clear { amount: u128 },
    Settle { who: u8, sent: u128 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..3).prop_map(|who| Step::Accept { who }),
        (0u8..3).prop_map(|who| Step::Cancel { who }),
        (0u8..3).prop_map(|who| Step::WithdrawCancel { who }),
        (0u128..=120).prop_map(|amount| Step::Clear { amount }),
        (0u8..3, 0u128..=120).prop_map(|(who, sent)| Step::Settle { who, sent }),
    ]
}

proptest! {
    /// Whatever is tried on an obligation, in whatever order: a final status never changes, what
    /// remains never grows, cleared plus settled plus remaining is the amount, and an accepted
    /// obligation always has something remaining. An accepted obligation is cancelled only when one
    /// party confirms the other party's standing request, and a stranger never changes anything.
    #[test]
    fn the_obligation_lifecycle_keeps_its_invariants(amount in 1u128..=100, steps in prop::collection::vec(step(), 0..=24)) {
        let (debtor, creditor) = (0u8, 1u8);
        prop_assert_eq!(check_proposal(&creditor, &debtor, amount, 11, 10), Ok(()));
        let (mut status, mut remaining, mut cleared, mut settled) = (ObligationStatus::Proposed, amount, 0u128, 0u128);
        let mut requested: Option<Party> = None;
        let party = |who: u8| match who {
            0 => Some(Party::Debtor),
            1 => Some(Party::Creditor),
            _ => None,
        };
        for s in &steps {
            let before = (status, remaining);
            let requested_before = requested;
            let outcome = match *s {
                Step::Accept { who } => check_debtor(&debtor, &who).and_then(|()| status.accept(1)).map(|n| status = n),
                Step::Cancel { who } => {
                    cancel(1, status, remaining, requested, &debtor, &creditor, &who).map(|step| match step {
                        CancelStep::Cancelled => {
                            if status == ObligationStatus::Accepted {
                                assert_eq!(requested.map(Party::other), party(who), "cancelled without both parties");
                            }
                            status = ObligationStatus::Cancelled;
                            remaining = 0;
                            requested = None;
                        }
                        CancelStep::Requested(by) => requested = Some(by),
                    })
                }
                Step::WithdrawCancel { who } => {
                    withdraw_cancel(1, requested, &debtor, &creditor, &who).map(|()| requested = None)
                }
                Step::Clear { amount } => match status.check_open(1, remaining) {
                    Err(e) => Err(e),
                    Ok(()) if amount == 0 || amount > remaining => Ok(()), // verify refuses these entries
                    Ok(()) => {
                        (remaining, status) = status.clear(remaining, amount).unwrap();
                        cleared += amount;
                        if status.is_final() {
                            requested = None;
                        }
                        Ok(())
                    }
                },
                Step::Settle { who, sent } => status
                    .check_open(1, remaining)
                    .and_then(|()| check_debtor(&debtor, &who))
                    .and_then(|()| check_settlement(1, remaining, sent))
                    .map(|()| {
                        settled += remaining;
                        remaining = 0;
                        status = status.settle();
                        requested = None;
                    }),
            };
            if outcome.is_err() {
                prop_assert_eq!((status, remaining), before, "a refused step changed the obligation");
                prop_assert_eq!(requested, requested_before, "a refused step changed the request");
            }
            let stranger = matches!(*s, Step::Accept { who: 2 } | Step::Cancel { who: 2 } | Step::WithdrawCancel { who: 2 } | Step::Settle { who: 2, .. });
            if stranger {
                prop_assert!(outcome.is_err(), "a stranger's step was accepted");
            }
            if requested.is_some() {
                prop_assert_eq!(status, ObligationStatus::Accepted, "a request outlived the accepted state");
            }
            if before.0.is_final() {
                prop_assert_eq!(status, before.0, "a final status changed");
            }
            prop_assert!(remaining <= before.1);
            if status != ObligationStatus::Cancelled {
                prop_assert_eq!(cleared + settled + remaining, amount);
            }
            prop_assert_eq!(status == ObligationStatus::Accepted, status.check_open(1, remaining).is_ok());
            if status == ObligationStatus::Accepted {
                prop_assert!(remaining > 0);
            }
        }
    }
}

/// A submission of the round-window model: `total` cleared, `delay` seconds after the previous event.
#[derive(Clone, Debug)]
enum RoundStep {
    Submit { total: u128, delay: u64 },
    Close { delay: u64 },
}

fn round_step() -> impl Strategy<Value = RoundStep> {
    prop_oneof![
        3 => (1u128..=50, 0u64..=40).prop_map(|(total, delay)| RoundStep::Submit { total, delay }),
        1 => (0u64..=40).prop_map(|delay| RoundStep::Close { delay }),
    ]
}

proptest! {
    /// The submission window, under any sequence of submissions and closes: round numbers are
    /// consecutive; each round's closing time is fixed when it opens; a round closes with the
    /// largest total submitted in its window (a strictly larger one always replaces the candidate, no
    /// other does); nobody closes a round early; a due round takes no more submissions.
    #[test]
    fn the_largest_round_submitted_in_the_window_wins(window in 1u64..=30, steps in prop::collection::vec(round_step(), 0..=40)) {
        let mut now = 1_000u64;
        let mut closed: Vec<(u64, u128)> = Vec::new(); // (number, total) of every closed round
        let mut pending: Option<Candidate> = None;
        let mut submitted_in_window: Vec<u128> = Vec::new();
        let mut opened_at = 0u64;
        let close_pending = |pending: &mut Option<Candidate>, closed: &mut Vec<(u64, u128)>, seen: &mut Vec<u128>| {
            let c = pending.take().unwrap();
            prop_assert_eq!(Some(c.total), seen.iter().copied().max(), "the largest submission in the window wins");
            closed.push((c.number, c.total));
            seen.clear();
            Ok(())
        };
        for s in &steps {
            match *s {
                RoundStep::Submit { total, delay } => {
                    now += delay;
                    let before = pending;
                    let last = closed.last().map_or(0, |r| r.0);
                    match admit(pending.as_ref(), last, total, now, window) {
                        Ok(Admission::Opens(c)) => {
                            if let Some(due) = before {
                                prop_assert!(due.is_due(now), "a round open for submissions was skipped");
                                close_pending(&mut pending, &mut closed, &mut submitted_in_window)?;
                            }
                            prop_assert_eq!(c.number, closed.last().map_or(0, |r| r.0) + 1, "round numbers are consecutive");
                            prop_assert_eq!(c.closes_at, now + window);
                            opened_at = now;
                            pending = Some(c);
                            submitted_in_window.push(total);
                        }
                        Ok(Admission::Replaces { candidate, previous }) => {
                            let p = before.unwrap();
                            prop_assert!(!p.is_due(now) && total > previous && previous == p.total);
                            prop_assert_eq!((candidate.number, candidate.closes_at), (p.number, opened_at + window));
                            pending = Some(candidate);
                            submitted_in_window.push(total);
                        }
                        Err(RoundError::NotLarger { round, total: best, .. }) => {
                            let p = before.unwrap();
                            prop_assert!(!p.is_due(now) && total <= best && round == p.number);
                        }
                        Err(e) => prop_assert!(false, "unexpected {e}"),
                    }
                }
                RoundStep::Close { delay } => {
                    now += delay;
                    match close(pending.as_ref(), now) {
                        Ok(number) => {
                            prop_assert!(pending.unwrap().is_due(now) && pending.unwrap().number == number);
                            close_pending(&mut pending, &mut closed, &mut submitted_in_window)?;
                        }
                        Err(RoundError::StillOpen { closes_at, .. }) => prop_assert!(now < closes_at),
                        Err(RoundError::NoPendingRound) => prop_assert!(pending.is_none()),
                        Err(e) => prop_assert!(false, "unexpected {e}"),
                    }
                }
            }
        }
        for (i, r) in closed.iter().enumerate() {
            prop_assert_eq!(r.0, i as u64 + 1);
        }
    }
}
