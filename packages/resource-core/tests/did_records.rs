//! Reputation events (the append rule and the summary), attesters (registration checks,
//! revocation) and verified claims (the claim checks and the nullifier rule), with their JSON.

use proptest::prelude::*;
use resource_core::did::*;

fn did(s: &str) -> Did {
    Did::parse(s).unwrap()
}

fn granted(amount: u128, term: u64) -> ReputationEvent {
    ReputationEvent::CreditLineGranted { amount, term }
}

#[test]
fn events_append_with_the_next_sequence_number_and_add_up() {
    let alice = did("did:example:alice");
    let bob = did("did:example:bob");
    let events = [
        granted(1_000, 86_400 * 90),
        ReputationEvent::ClearingParticipation { round: 3, amount: 250 },
        ReputationEvent::RepaidOnTime { amount: 1_000 },
        ReputationEvent::VouchGiven { amount: 300, member: bob.clone() },
        ReputationEvent::VouchKept { amount: 300, member: bob.clone() },
        ReputationEvent::VouchGiven { amount: 200, member: bob.clone() },
        ReputationEvent::VouchBroken { amount: 200, member: bob.clone() },
        ReputationEvent::Defaulted { amount: 40 },
        ReputationEvent::DebtRecovered { amount: 15 },
        ReputationEvent::DebtRecovered { amount: 25 },
    ];
    let mut summary = ReputationSummary::default();
    let mut records = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let (record, next) = append(&summary, &alice, e.clone(), "writer".into(), 100 + i as u64).unwrap();
        assert_eq!((record.seq, record.time), (i as u64 + 1, 100 + i as u64));
        assert_eq!(record.event, *e);
        summary = next;
        records.push(record);
    }
    assert_eq!(
        summary,
        ReputationSummary {
            events: 10,
            credit_lines: 1,
            credit_granted: 1_000,
            repaid_on_time: 1,
            repaid: 1_000,
            defaults: 1,
            defaulted: 40,
            vouches_given: 2,
            vouched: 500,
            vouches_kept: 1,
            vouches_broken: 1,
            clearing_rounds: 1,
            cleared: 250,
            recovered: 40,
            first_event_at: Some(100),
            last_event_at: Some(109),
        }
    );
    assert_eq!(ReputationSummary::of(&records), summary);
}

#[test]
fn events_that_say_nothing_are_refused() {
    let alice = did("did:example:alice");
    let s = ReputationSummary::default();
    let w = || "writer".to_string();
    assert_eq!(
        append(&s, &alice, granted(0, 5), w(), 1).unwrap_err(),
        RecordError::ZeroAmount { event: "credit_line_granted" }
    );
    assert_eq!(append(&s, &alice, granted(5, 0), w(), 1).unwrap_err(), RecordError::ZeroTerm);
    assert_eq!(
        append(&s, &alice, ReputationEvent::Defaulted { amount: 0 }, w(), 1).unwrap_err(),
        RecordError::ZeroAmount { event: "defaulted" }
    );
    assert_eq!(
        append(&s, &alice, ReputationEvent::DebtRecovered { amount: 0 }, w(), 1).unwrap_err(),
        RecordError::ZeroAmount { event: "debt_recovered" }
    );
    assert_eq!(
        append(&s, &alice, ReputationEvent::VouchGiven { amount: 5, member: alice.clone() }, w(), 1).unwrap_err(),
        RecordError::SelfVouch
    );
    let full = ReputationSummary { events: u64::MAX, ..s };
    assert_eq!(append(&full, &alice, granted(5, 5), w(), 1).unwrap_err(), RecordError::Overflow);
    // totals saturate instead of refusing an event
    let big = ReputationSummary { credit_granted: u128::MAX - 1, recovered: u128::MAX - 1, ..s };
    let (_, next) = append(&big, &alice, granted(5, 5), w(), 1).unwrap();
    assert_eq!(next.credit_granted, u128::MAX);
    let (_, next) = append(&next, &alice, ReputationEvent::DebtRecovered { amount: 5 }, w(), 1).unwrap();
    assert_eq!(next.recovered, u128::MAX);
}

#[test]
fn debt_recovered_is_its_own_event_with_a_string_amount() {
    let e = ReputationEvent::DebtRecovered { amount: 2_500_000 };
    assert_eq!(e.name(), "debt_recovered");
    assert_eq!(e.amount(), 2_500_000);
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json, serde_json::json!({"debt_recovered": {"amount": "2500000"}}));
    assert_eq!(serde_json::from_value::<ReputationEvent>(json).unwrap(), e);
    for bad in [
        r#"{"debt_recovered": {"amount": "-5"}}"#,
        r#"{"debt_recovered": {"amount": "5", "term": 1}}"#,
        r#"{"debt_recovered": {}}"#,
    ] {
        assert!(serde_json::from_str::<ReputationEvent>(bad).is_err(), "{bad}");
    }
    // A recovery counts as an event and adds to `recovered`, never to what a default wrote off.
    let defaulted = ReputationSummary::default().with(&ReputationEvent::Defaulted { amount: 9_000 }, 10);
    let after = defaulted.with(&e, 20);
    assert_eq!((after.events, after.defaults, after.defaulted, after.recovered), (2, 1, 9_000, 2_500_000));
    assert_eq!(after.repaid_on_time, 0);
    let json = serde_json::to_value(after).unwrap();
    assert_eq!(json["recovered"], "2500000");
    // A summary written before the event existed has no `recovered`: it reads as 0.
    let mut old = serde_json::to_value(defaulted).unwrap();
    old.as_object_mut().unwrap().remove("recovered");
    assert_eq!(serde_json::from_value::<ReputationSummary>(old).unwrap(), defaulted);
}

#[test]
fn events_and_summaries_use_string_amounts_in_json() {
    let e = ReputationEvent::VouchGiven { amount: u128::MAX, member: did("did:example:bob") };
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"vouch_given": {"amount": u128::MAX.to_string(), "member": "did:example:bob"}})
    );
    assert_eq!(serde_json::from_value::<ReputationEvent>(json).unwrap(), e);
    let granted: ReputationEvent =
        serde_json::from_str(r#"{"credit_line_granted": {"amount": "1000000", "term": 7776000}}"#).unwrap();
    assert_eq!(granted, ReputationEvent::CreditLineGranted { amount: 1_000_000, term: 7_776_000 });
    for bad in [r#""-1""#, r#""1e3""#, r#""""#, r#""340282366920938463463374607431768211456""#] {
        let text = format!(r#"{{"repaid_on_time": {{"amount": {bad}}}}}"#);
        assert!(serde_json::from_str::<ReputationEvent>(&text).is_err(), "{text}");
    }
    let summary = ReputationSummary::default().with(&e, 7);
    let json = serde_json::to_value(summary).unwrap();
    assert_eq!(json["vouched"], u128::MAX.to_string());
    assert_eq!(json["last_event_at"], 7);
    assert_eq!(serde_json::from_value::<ReputationSummary>(json).unwrap(), summary);
}

proptest! {
    #[test]
    fn the_summary_is_the_fold_of_the_history(amounts in prop::collection::vec((0u8..8, 1u128..u64::MAX as u128, 0u64..1000), 0..40)) {
        let subject = did("did:example:alice");
        let member = did("did:example:bob");
        let mut summary = ReputationSummary::default();
        let mut history = Vec::new();
        for (kind, amount, time) in amounts {
            let event = match kind {
                0 => granted(amount, 30),
                1 => ReputationEvent::RepaidOnTime { amount },
                2 => ReputationEvent::Defaulted { amount },
                3 => ReputationEvent::VouchGiven { amount, member: member.clone() },
                4 => ReputationEvent::VouchKept { amount, member: member.clone() },
                5 => ReputationEvent::VouchBroken { amount, member: member.clone() },
                6 => ReputationEvent::DebtRecovered { amount },
                _ => ReputationEvent::ClearingParticipation { round: time, amount },
            };
            let (record, next) = append(&summary, &subject, event, "w".into(), time).unwrap();
            prop_assert_eq!(record.seq, history.len() as u64 + 1);
            history.push(record);
            summary = next;
        }
        prop_assert_eq!(ReputationSummary::of(&history), summary);
        prop_assert_eq!(summary.events, history.len() as u64);
        prop_assert_eq!(summary.last_event_at, history.iter().map(|r| r.time).max());
        prop_assert_eq!(summary.first_event_at, history.first().map(|r| r.time));
        let repaid: u128 = history.iter().filter(|r| matches!(r.event, ReputationEvent::RepaidOnTime { .. })).map(|r| r.event.amount()).sum();
        prop_assert_eq!(summary.repaid, repaid);
        let recovered: u128 = history.iter().filter(|r| matches!(r.event, ReputationEvent::DebtRecovered { .. })).map(|r| r.event.amount()).sum();
        prop_assert_eq!(summary.recovered, recovered);
    }
}

// ---------------------------------------------------------------------------------------------
// attesters and claims

fn key() -> AttesterKey {
    AttesterKey {
        kind: KeyType::Ed25519VerificationKey2020,
        public_key_multibase: "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into(),
    }
}

fn ratings_oracle(now: u64) -> Attester {
    Attester::register(
        did("did:web:ratings.example"),
        "Platform ratings oracle".into(),
        vec!["platform_rating".into(), "review_count".into()],
        key(),
        now,
    )
    .unwrap()
}

fn claim(nullifier: u8) -> VerifiedClaim {
    VerifiedClaim {
        claim_type: "platform_rating".into(),
        predicate: "rating>=45;reviews>=100".into(),
        attester: did("did:web:ratings.example"),
        nullifier: Nullifier([nullifier; 32]),
        expires_at: 2_000,
        verified_at: 1_000,
        verifier: "verifier".into(),
    }
}

#[test]
fn attesters_are_checked_at_registration_and_revoked_once() {
    let a = ratings_oracle(10);
    assert!(a.is_active());
    assert_eq!(a.registered_at, 10);
    let register = |name: &str, types: Vec<&str>, key: AttesterKey| {
        Attester::register(did("did:web:x.example"), name.into(), types.into_iter().map(String::from).collect(), key, 1)
    };
    assert_eq!(register("", vec!["a"], key()).unwrap_err(), RecordError::AttesterName { max: 64 });
    assert_eq!(register("a\nb", vec!["a"], key()).unwrap_err(), RecordError::AttesterName { max: 64 });
    assert_eq!(register(&"n".repeat(65), vec!["a"], key()).unwrap_err(), RecordError::AttesterName { max: 64 });
    assert_eq!(register("X", vec![], key()).unwrap_err(), RecordError::NoClaimTypes);
    assert_eq!(
        register("X", vec!["Revenue"], key()).unwrap_err(),
        RecordError::ClaimType { claim_type: "Revenue".into(), max: 64 }
    );
    assert_eq!(
        register("X", vec!["a", "b", "a"], key()).unwrap_err(),
        RecordError::DuplicateClaimType { claim_type: "a".into() }
    );
    let many: Vec<String> = (0..17).map(|i| format!("t{i}")).collect();
    assert_eq!(
        register("X", many.iter().map(String::as_str).collect(), key()).unwrap_err(),
        RecordError::TooManyClaimTypes { max: 16 }
    );
    let jwk_key = AttesterKey { kind: KeyType::JsonWebKey2020, ..key() };
    assert_eq!(register("X", vec!["a"], jwk_key).unwrap_err(), RecordError::AttesterKeyType);
    let wrong = AttesterKey { kind: KeyType::Bls12381G2Key2020, ..key() };
    assert!(matches!(
        register("X", vec!["a"], wrong).unwrap_err(),
        RecordError::AttesterKey(KeyError::WrongCodec { .. })
    ));

    let revoked = a.revoke(50).unwrap();
    assert_eq!(revoked.revoked_at, Some(50));
    assert!(!revoked.is_active());
    assert_eq!(
        revoked.revoke(60).unwrap_err(),
        RecordError::AttesterRevoked { did: "did:web:ratings.example".into(), revoked_at: 50 }
    );
}

#[test]
fn claims_need_an_active_attester_of_their_type_a_future_expiry_and_a_fresh_nullifier() {
    let a = ratings_oracle(10);
    check_claim(&claim(1), Some(&a), None, 1_000).unwrap();
    let with = |f: &dyn Fn(&mut VerifiedClaim)| {
        let mut c = claim(1);
        f(&mut c);
        c
    };
    assert_eq!(
        check_claim(&claim(1), None, None, 1_000).unwrap_err(),
        RecordError::UnknownAttester { did: "did:web:ratings.example".into() }
    );
    assert_eq!(
        check_claim(&claim(1), Some(&a.revoke(500).unwrap()), None, 1_000).unwrap_err(),
        RecordError::AttesterRevoked { did: "did:web:ratings.example".into(), revoked_at: 500 }
    );
    assert_eq!(
        check_claim(&with(&|c| c.claim_type = "revenue_band".into()), Some(&a), None, 1_000).unwrap_err(),
        RecordError::ClaimTypeNotAllowed {
            claim_type: "revenue_band".into(),
            attester: "did:web:ratings.example".into()
        }
    );
    assert_eq!(
        check_claim(&with(&|c| c.claim_type = "bad type".into()), Some(&a), None, 1_000).unwrap_err(),
        RecordError::ClaimType { claim_type: "bad type".into(), max: 64 }
    );
    for p in ["", "é", &"p".repeat(257)] {
        assert_eq!(
            check_claim(&with(&|c| c.predicate = p.into()), Some(&a), None, 1_000).unwrap_err(),
            RecordError::Predicate { max: 256 }
        );
    }
    assert_eq!(
        check_claim(&claim(1), Some(&a), None, 2_000).unwrap_err(),
        RecordError::Expired { expires_at: 2_000, now: 2_000 }
    );
    let alice = did("did:example:alice");
    assert_eq!(
        check_claim(&claim(1), Some(&a), Some(&alice), 1_000).unwrap_err(),
        RecordError::NullifierUsed { by: alice.to_string() }
    );
    assert_eq!(check_claim(&claim(0), Some(&a), None, 1_000).unwrap_err(), RecordError::ZeroNullifier);
    assert_eq!(check_nullifier(&Nullifier([3; 32]), None), Ok(()));
}

#[test]
fn nullifiers_are_64_hex_digits() {
    let n = Nullifier::from_hex(&"aB".repeat(32)).unwrap();
    assert_eq!(n, Nullifier([0xab; 32]));
    assert_eq!(n.to_string(), "ab".repeat(32));
    assert_eq!(Nullifier::from_slice(&[0xab; 32]).unwrap(), n);
    for bad in ["ab".repeat(31), "ab".repeat(33), format!("{}zz", "ab".repeat(31)), format!("{}é", "a".repeat(62))] {
        assert_eq!(Nullifier::from_hex(&bad).unwrap_err(), RecordError::NullifierFormat, "{bad}");
    }
    assert_eq!(Nullifier::from_slice(&[1; 31]).unwrap_err(), RecordError::NullifierFormat);
    let json = serde_json::to_value(claim(7)).unwrap();
    assert_eq!(json["nullifier"], "07".repeat(32));
    assert_eq!(serde_json::from_value::<VerifiedClaim>(json).unwrap(), claim(7));
    let a = ratings_oracle(3);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["public_key"]["type"], "Ed25519VerificationKey2020");
    assert_eq!(json["public_key"]["publicKeyMultibase"], key().public_key_multibase);
    assert_eq!(serde_json::from_value::<Attester>(json).unwrap(), a);
}
