use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;

fn ob(id: u64, debtor: &str, creditor: &str, amount: u128) -> Obligation<String> {
    Obligation { id, debtor: debtor.into(), creditor: creditor.into(), amount }
}

fn set_off(entries: &[(u64, u128)]) -> SetOff {
    SetOff { entries: entries.iter().map(|&(id, amount)| SetOffEntry { id, amount }).collect() }
}

/// A owes B 100, B owes C 70, C owes A 50; D owes A 30 (no cycle through D).
fn triangle() -> Vec<Obligation<String>> {
    vec![ob(1, "A", "B", 100), ob(2, "B", "C", 70), ob(3, "C", "A", 50), ob(4, "D", "A", 30)]
}

#[test]
fn solve_clears_the_cycle_and_nothing_else() {
    let s = solve(&triangle()).unwrap();
    assert_eq!(s, set_off(&[(1, 50), (2, 50), (3, 50)]));
    assert_eq!(s.total(), 150);
    let v = verify(&triangle(), &s).unwrap();
    assert_eq!(v.total, 150);
    assert_eq!(v.per_participant, vec![("A".into(), 50), ("B".into(), 50), ("C".into(), 50)]);
}

#[test]
fn remaining_obligations_and_the_settlement_plan() {
    let s = solve(&triangle()).unwrap();
    let left = remaining(&triangle(), &s).unwrap();
    assert_eq!(left, vec![ob(1, "A", "B", 50), ob(2, "B", "C", 20), ob(4, "D", "A", 30)]);
    let plan = settlement_plan(&left);
    assert_eq!(plan.len(), 3);
    assert_eq!(plan[1], Payment { obligation: 2, from: "B".into(), to: "C".into(), amount: 20 });
    let before = net_positions(&triangle()).unwrap();
    // A: owes 100, owed 50 + 30; B: owed 100, owes 70; C: owed 70, owes 50; D: owes 30.
    let expected: Vec<(String, i128)> = vec![("A".into(), -20), ("B".into(), 30), ("C".into(), 20), ("D".into(), -30)];
    assert_eq!(before, expected);
    assert_eq!(remaining_net_positions(&triangle(), &s).unwrap(), before);
}

#[test]
fn empty_and_acyclic_inputs_clear_nothing() {
    assert_eq!(solve::<String>(&[]).unwrap(), SetOff::default());
    let chain = [ob(1, "A", "B", 5), ob(2, "B", "C", 5)];
    assert_eq!(solve(&chain).unwrap().total(), 0);
    assert_eq!(verify(&chain, &SetOff::default()), Err(ClearingError::EmptySetOff));
}

#[test]
fn solve_rejects_bad_obligation_lists() {
    assert_eq!(solve(&[ob(1, "A", "B", 5), ob(1, "B", "A", 5)]), Err(ClearingError::DuplicateObligation { id: 1 }));
    assert_eq!(solve(&[ob(7, "A", "A", 5)]), Err(ClearingError::SelfObligation { id: 7 }));
    let huge = [ob(1, "A", "B", MAX_SOLVABLE_TOTAL), ob(2, "B", "A", 1)];
    assert_eq!(solve(&huge), Err(ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL }));
    let beyond = [ob(1, "A", "B", u128::MAX), ob(2, "B", "A", u128::MAX)];
    assert_eq!(solve(&beyond), Err(ClearingError::TooLarge { max: MAX_SOLVABLE_TOTAL }));
    // The largest solvable total is exact.
    let half = MAX_SOLVABLE_TOTAL / 2;
    let edge = [ob(1, "A", "B", half), ob(2, "B", "A", half)];
    assert_eq!(solve(&edge).unwrap().total(), 2 * half);
    // Zero amounts are ignored.
    assert_eq!(solve(&[ob(1, "A", "B", 0), ob(2, "B", "A", 0)]).unwrap(), SetOff::default());
}

#[test]
fn verify_names_the_first_offending_entry() {
    let t = triangle();
    assert_eq!(verify(&t, &set_off(&[(9, 1)])), Err(ClearingError::UnknownObligation { id: 9 }));
    assert_eq!(verify(&t, &set_off(&[(1, 5), (1, 5)])), Err(ClearingError::DuplicateEntry { id: 1 }));
    assert_eq!(verify(&t, &set_off(&[(2, 0)])), Err(ClearingError::ZeroEntry { id: 2 }));
    assert_eq!(
        verify(&t, &set_off(&[(1, 50), (2, 50), (3, 51)])),
        Err(ClearingError::OverCleared { id: 3, outstanding: 50, requested: 51 })
    );
    let dup = [ob(1, "A", "B", 1), ob(1, "B", "A", 1)];
    assert_eq!(verify(&dup, &set_off(&[(1, 1)])), Err(ClearingError::DuplicateObligation { id: 1 }));
    assert_eq!(verify(&[ob(3, "A", "A", 4)], &set_off(&[(3, 4)])), Err(ClearingError::SelfObligation { id: 3 }));
}

#[test]
fn verify_refuses_a_set_off_that_makes_someone_pay() {
    // Clearing A->B and B->C but not C->A: B is balanced, A only loses a debt, C only loses a claim.
    let err = verify(&triangle(), &set_off(&[(1, 50), (2, 50)])).unwrap_err();
    assert_eq!(err, ClearingError::Unbalanced { participant: "A".into(), as_debtor: 50, as_creditor: 0 });
    assert!(err.to_string().contains("unbalanced for A"), "{err}");
    // Unequal amounts around the cycle.
    let err = verify(&triangle(), &set_off(&[(1, 50), (2, 40), (3, 50)])).unwrap_err();
    assert_eq!(err, ClearingError::Unbalanced { participant: "B".into(), as_debtor: 40, as_creditor: 50 });
}

#[test]
fn errors_tell_what_to_do() {
    let msgs = [
        ClearingError::EmptySetOff.to_string(),
        ClearingError::OverCleared { id: 1, outstanding: 2, requested: 3 }.to_string(),
        ClearingError::TooLarge { max: 10 }.to_string(),
        ClearingError::UnknownObligation { id: 4 }.to_string(),
    ];
    assert!(msgs[0].contains("solve"));
    assert!(msgs[1].contains("only 2 is outstanding"));
    assert!(msgs[2].contains("smaller rounds"));
    assert!(msgs[3].contains("accepted"));
}
