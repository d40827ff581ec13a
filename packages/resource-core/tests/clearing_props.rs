//! Property tests of clearing: every solution verifies, keeps net positions, and clears exactly the
//! optimum computed independently by a linear-programming solver (minilp); tampered set-offs fail; the
//! obligation lifecycle keeps its invariants under any sequence of attempts.
use minilp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;
use resource_core::clearing::{
    check_debtor, check_party, check_proposal, check_settlement, net_positions, remaining_net_positions, solve, verify,
    ClearingError, Obligation, ObligationStatus, SetOff, SetOffEntry,
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
    Clear { amount: u128 },
    Settle { who: u8, sent: u128 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..3).prop_map(|who| Step::Accept { who }),
        (0u8..3).prop_map(|who| Step::Cancel { who }),
        (0u128..=120).prop_map(|amount| Step::Clear { amount }),
        (0u8..3, 0u128..=120).prop_map(|(who, sent)| Step::Settle { who, sent }),
    ]
}

proptest! {
    /// Whatever is tried on an obligation, in whatever order: a final status never changes, what
    /// remains never grows, cleared plus settled plus remaining is the amount, and an accepted
    /// obligation always has something remaining.
    #[test]
    fn the_obligation_lifecycle_keeps_its_invariants(amount in 1u128..=100, steps in prop::collection::vec(step(), 0..=24)) {
        let (debtor, creditor) = (0u8, 1u8);
        prop_assert_eq!(check_proposal(&creditor, &debtor, amount, 11, 10), Ok(()));
        let (mut status, mut remaining, mut cleared, mut settled) = (ObligationStatus::Proposed, amount, 0u128, 0u128);
        for s in &steps {
            let before = (status, remaining);
            let outcome = match *s {
                Step::Accept { who } => check_debtor(&debtor, &who).and_then(|()| status.accept(1)).map(|n| status = n),
                Step::Cancel { who } => check_party(&debtor, &creditor, &who).and_then(|()| status.cancel(1)).map(|n| {
                    status = n;
                    remaining = 0;
                }),
                Step::Clear { amount } => match status.check_open(1, remaining) {
                    Err(e) => Err(e),
                    Ok(()) if amount == 0 || amount > remaining => Ok(()), // verify refuses these entries
                    Ok(()) => {
                        (remaining, status) = status.clear(remaining, amount).unwrap();
                        cleared += amount;
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
                    }),
            };
            if outcome.is_err() {
                prop_assert_eq!((status, remaining), before, "a refused step changed the obligation");
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
