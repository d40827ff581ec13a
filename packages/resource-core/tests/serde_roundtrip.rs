//! Stored and exchanged types survive JSON (contract storage, SDK) unchanged, and a fee rate above
//! 100 % cannot be smuggled in through deserialization.
#![cfg(feature = "serde")]

use resource_core::ledger::{Account, CreditLine, FeeRate, LineStatus, LineTerms, Supply, MIN_BALANCE};

#[test]
fn account_round_trips_at_the_extremes() {
    let line = CreditLine {
        limit: u128::MAX,
        term_start: 0,
        term_end: u64::MAX,
        grace_period: 86_400,
        status: LineStatus::Defaulted,
    };
    for account in [Account::EMPTY, Account::new(MIN_BALANCE, Some(line))] {
        let json = serde_json::to_string(&account).unwrap();
        assert_eq!(serde_json::from_str::<Account>(&json).unwrap(), account, "{json}");
    }
    let json = serde_json::to_string(&Account::new(-5, Some(line))).unwrap();
    assert!(json.contains(r#""status":"defaulted""#), "{json}");
    let reserving = Account { reserved: 400, ..Account::new(-5, Some(line)) };
    let json = serde_json::to_string(&reserving).unwrap();
    assert_eq!(serde_json::from_str::<Account>(&json).unwrap(), reserving, "{json}");
}

/// JSON written before reservations existed has no `reserved`: it reads as nothing reserved.
#[test]
fn an_account_without_a_reservation_field_reads_as_none_reserved() {
    let old = r#"{"balance":-5,"line":null,"frozen":true,"term":{"peak_debt":5,"overdue":false,"written_off":0}}"#;
    let a: Account = serde_json::from_str(old).unwrap();
    assert_eq!((a.balance, a.frozen, a.term.peak_debt, a.reserved), (-5, true, 5, 0));
}

#[test]
fn fee_rate_is_validated_on_the_way_in() {
    assert_eq!(serde_json::to_string(&FeeRate::new(30).unwrap()).unwrap(), "30");
    assert_eq!(serde_json::from_str::<FeeRate>("10000").unwrap(), FeeRate::MAX);
    let err = serde_json::from_str::<FeeRate>("10001").unwrap_err().to_string();
    assert!(err.contains("10001"), "{err}");
}

#[test]
fn other_types_round_trip() {
    let terms = LineTerms { limit: 7, term_end: 9, grace_period: 3 };
    assert_eq!(serde_json::from_str::<LineTerms>(&serde_json::to_string(&terms).unwrap()).unwrap(), terms);
    let supply = Supply { positive: 4, negative: 4 };
    assert_eq!(serde_json::from_str::<Supply>(&serde_json::to_string(&supply).unwrap()).unwrap(), supply);
}
