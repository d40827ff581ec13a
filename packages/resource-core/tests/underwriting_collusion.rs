//! Every collusion attempt of issue 19, tried and refused, with the error that names it.

use resource_core::underwriting::*;

const POLICY: ApplicationPolicy = ApplicationPolicy { min_term: 10, max_term: 1_000, open_period: 100 };
const RULES: BackingRules = BackingRules {
    collateral_ratio_bps: 15_000,
    price: Price { numerator: 1, denominator: 1 },
    min_underwriters: 3,
    max_share_bps: 4_000,
};

fn m(address: &'static str, identity: &'static str) -> Member<&'static str> {
    Member { address, identity }
}

/// Alice applies for 100 (150 of backing needed), vouched for by Victor (identity "victor").
fn application() -> Application<&'static str> {
    apply(m("alice", "alice-did"), 100, 50, vec![m("victor", "victor-did")], &POLICY, 0).unwrap()
}

fn backed(
    app: &Application<&'static str>,
    backers: &[(&'static str, &'static str, u128)],
) -> Application<&'static str> {
    backers
        .iter()
        .fold(app.clone(), |a, &(addr, id, amount)| back(&a, &Stake::new(1_000), m(addr, id), amount, 1).unwrap().0)
}

#[test]
fn backing_oneself_is_refused() {
    let app = application();
    assert_eq!(back(&app, &Stake::new(100), m("alice", "alice-did"), 50, 1), Err(UnderwritingError::SelfBacking));
    // Through a second address under the same DID controller.
    assert_eq!(back(&app, &Stake::new(100), m("alice2", "alice-did"), 50, 1), Err(UnderwritingError::SelfBacking));
}

#[test]
fn a_voucher_cannot_back_whom_it_vouched_for() {
    let app = application();
    assert_eq!(back(&app, &Stake::new(100), m("victor", "victor-did"), 50, 1), Err(UnderwritingError::VoucherBacking));
    assert_eq!(back(&app, &Stake::new(100), m("victor2", "victor-did"), 50, 1), Err(UnderwritingError::VoucherBacking));
}

#[test]
fn two_addresses_with_one_identity_count_once() {
    // Three addresses, two of them one identity: two distinct underwriters, not three.
    let app = backed(
        &application(),
        &[("bob", "bob-did"), ("bob2", "bob-did"), ("carol", "carol-did")].map(|(a, i)| (a, i, 50)),
    );
    assert_eq!(approve(&app, &RULES, 2), Err(UnderwritingError::TooFewUnderwriters { distinct: 2, min: 3 }));
    // And their backing is one share: 100 of 150 is above 40 %.
    let app = backed(&app, &[("dave", "dave-did", 10)]);
    assert_eq!(
        approve(&app, &RULES, 2),
        Err(UnderwritingError::ShareAboveMax { backing: 100, total: 160, max_share_bps: 4_000 })
    );
}

#[test]
fn one_underwriter_above_max_share_is_refused() {
    let app = backed(&application(), &[("bob", "bob-did", 70), ("carol", "carol-did", 50), ("dave", "dave-did", 50)]);
    assert_eq!(
        approve(&app, &RULES, 2),
        Err(UnderwritingError::ShareAboveMax { backing: 70, total: 170, max_share_bps: 4_000 })
    );
    // At exactly 40 % it passes.
    let app = backed(&application(), &[("bob", "bob-did", 60), ("carol", "carol-did", 45), ("dave", "dave-did", 45)]);
    assert_eq!(approve(&app, &RULES, 2).map(|a| a.status), Ok(ApplicationStatus::Approved));
}

#[test]
fn fewer_than_min_underwriters_is_refused() {
    let app = backed(&application(), &[("bob", "bob-did", 75), ("carol", "carol-did", 75)]);
    assert_eq!(approve(&app, &RULES, 2), Err(UnderwritingError::TooFewUnderwriters { distinct: 2, min: 3 }));
    assert_eq!(
        approve(&backed(&application(), &[("bob", "bob-did", 50)]), &RULES, 2),
        Err(UnderwritingError::InsufficientCoverage { required: 150, backed: 50 })
    );
}

#[test]
fn backing_cannot_move_away_after_approval() {
    let stake = Stake::new(1_000);
    let app = application();
    let (app, bob) = back(&app, &stake, m("bob", "bob-did"), 50, 1).unwrap();
    let app = backed(&app, &[("carol", "carol-did", 50), ("dave", "dave-did", 50)]);
    let app = approve(&app, &RULES, 2).unwrap();
    assert_eq!(withdraw(&app, &bob, &"bob", 1), Err(UnderwritingError::BackingLocked));
    // Nor through unbonding: the backing is locked stake.
    assert_eq!(unbond(&bob, 951, 3, 10), Err(UnderwritingError::InsufficientFreeStake { free: 950, requested: 951 }));
    // Released only by a settlement at the term end.
    assert_eq!(settle_repaid(&app, 51), Err(UnderwritingError::TermRunning { term_end: 52 }));
    assert!(settle_repaid(&app, 52).is_ok());
}

#[test]
fn wire_types_round_trip_through_json_with_string_amounts() {
    let app = backed(&application(), &[("bob", "bob-did", 50)]);
    let owned: Application<String> = serde_json::from_str(&serde_json::to_string(&app).unwrap()).unwrap();
    assert_eq!(owned.backers[0].amount, 50);
    let json = serde_json::to_value(&app).unwrap();
    assert_eq!(json["amount"], "100");
    assert_eq!(json["status"], "open");
    let stake = unbond(&Stake::new(10), 4, 0, 5).unwrap();
    let back: Stake = serde_json::from_str(&serde_json::to_string(&stake).unwrap()).unwrap();
    assert_eq!(back, stake);
    let s = suggested_limit(&ScoringInputs::default(), &ScoringParams::with_unit(1));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["reasons"][0]["base"]["adds"], "100");
}
