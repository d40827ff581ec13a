//! The JSON of messages that deployment scripts and wallets already send: it must not change when the
//! Rust types behind it do (the move into this crate, `UpdateConfig(ConfigUpdate)`, core enums on the
//! wire). Each case reads the JSON as a client writes it and writes it back byte for byte.

use cosmwasm_std::{from_json, to_json_string, Int128, Uint128};
use resource_msgs::{clearing, credit_token, did_registry};
use serde::{de::DeserializeOwned, Serialize};

/// `json` parses as `expected` and `expected` serializes to exactly `json`.
fn same_json<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str, expected: T) {
    assert_eq!(from_json::<T>(json).unwrap(), expected, "{json}");
    assert_eq!(to_json_string(&expected).unwrap(), json);
}

#[test]
fn update_config_keeps_its_flat_fields() {
    let update = credit_token::ConfigUpdate {
        fee_bps: Some(25),
        fee_exempt: Some(vec!["inj1clearing".into()]),
        remove_did_registry: true,
        ..Default::default()
    };
    same_json(
        r#"{"update_config":{"fee_bps":25,"fee_collector":null,"fee_exempt":["inj1clearing"],"loss_account":null,"default_grace_period":null,"min_term":null,"min_grace_period":null,"underwriting":null,"remove_underwriting":false,"did_registry":null,"remove_did_registry":true,"fees_paused":null}}"#,
        credit_token::ExecuteMsg::UpdateConfig(update.clone()),
    );
    // What a script sends: only the fields it changes.
    let partial: credit_token::ExecuteMsg =
        from_json(r#"{"update_config":{"fee_bps":25,"fee_exempt":["inj1clearing"],"remove_did_registry":true}}"#)
            .unwrap();
    assert_eq!(partial, credit_token::ExecuteMsg::UpdateConfig(update));
}

#[test]
fn credit_account_reports_status_and_standing_in_snake_case() {
    same_json(
        r#"{"address":"inj1m","balance":"-400","available":"600","line":{"limit":"1000","term_start":10,"term_end":20,"grace_period":5,"status":"active","default_declarable_at":25},"standing":"past_due","frozen":true,"written_off":"0","reserved":"250","period":null,"risk_fee_bps":0}"#,
        credit_token::CreditAccountResponse {
            address: "inj1m".into(),
            balance: Int128::new(-400),
            available: Uint128::new(600),
            line: Some(credit_token::CreditLineView {
                limit: Uint128::new(1_000),
                term_start: 10,
                term_end: 20,
                grace_period: 5,
                status: credit_token::LineStatus::Active,
                default_declarable_at: Some(25),
            }),
            standing: credit_token::Standing::PastDue,
            frozen: true,
            written_off: Uint128::zero(),
            reserved: Uint128::new(250),
            period: None,
            risk_fee_bps: 0,
        },
    );
    for (status, json) in
        [(credit_token::LineStatus::Defaulted, r#""defaulted""#), (credit_token::LineStatus::Closed, r#""closed""#)]
    {
        same_json(json, status);
    }
    same_json(r#""default_declarable""#, credit_token::Standing::DefaultDeclarable);
}

#[test]
fn clearing_messages_and_statuses() {
    // The contract assigns round numbers: a set-off carries only its entries.
    same_json(
        r#"{"submit_set_off":{"entries":[{"id":1,"amount":"450"}]}}"#,
        clearing::ExecuteMsg::SubmitSetOff {
            entries: vec![clearing::SetOffEntry { id: 1, amount: Uint128::new(450) }],
        },
    );
    same_json(r#"{"close_round":{}}"#, clearing::ExecuteMsg::CloseRound {});
    same_json(r#"{"withdraw_cancel":{"id":4}}"#, clearing::ExecuteMsg::WithdrawCancel { id: 4 });
    same_json(
        r#"{"proposals_to":{"debtor":"inj1bob","start_after":null,"limit":10}}"#,
        clearing::QueryMsg::ProposalsTo { debtor: "inj1bob".into(), start_after: None, limit: Some(10) },
    );
    same_json(r#"{"pending_round":{}}"#, clearing::QueryMsg::PendingRound {});
    for (outcome, json) in
        [(clearing::RoundOutcome::Applied, r#""applied""#), (clearing::RoundOutcome::Lapsed, r#""lapsed""#)]
    {
        same_json(json, outcome);
    }
    same_json(r#"{"settle_with_credit":{"obligation":3}}"#, clearing::ReceiveMsg::SettleWithCredit { obligation: 3 });
    for (status, json) in [
        (clearing::ObligationStatus::Proposed, r#""proposed""#),
        (clearing::ObligationStatus::Accepted, r#""accepted""#),
        (clearing::ObligationStatus::Cancelled, r#""cancelled""#),
        (clearing::ObligationStatus::Cleared, r#""cleared""#),
        (clearing::ObligationStatus::Settled, r#""settled""#),
    ] {
        same_json(json, status);
    }
}

#[test]
fn the_registry_reputation_message() {
    same_json(
        r#"{"record_reputation":{"did":"did:resource:resource-1:inj1m","event":{"repaid_on_time":{"amount":"12345"}}}}"#,
        did_registry::ExecuteMsg::RecordReputation {
            did: "did:resource:resource-1:inj1m".into(),
            event: resource_core::did::ReputationEvent::RepaidOnTime { amount: 12_345 },
        },
    );
}

#[test]
fn the_registry_debt_recovery_message_and_summary() {
    same_json(
        r#"{"record_reputation":{"did":"did:resource:resource-1:inj1m","event":{"debt_recovered":{"amount":"2500"}}}}"#,
        did_registry::ExecuteMsg::RecordReputation {
            did: "did:resource:resource-1:inj1m".into(),
            event: resource_core::did::ReputationEvent::DebtRecovered { amount: 2_500 },
        },
    );
    let summary = resource_core::did::ReputationSummary {
        events: 2,
        defaults: 1,
        defaulted: 9_000,
        recovered: 2_500,
        first_event_at: Some(10),
        last_event_at: Some(20),
        ..Default::default()
    };
    same_json(
        r#"{"did":"did:resource:resource-1:inj1m","summary":{"events":2,"credit_lines":0,"credit_granted":"0","repaid_on_time":0,"repaid":"0","defaults":1,"defaulted":"9000","vouches_given":0,"vouched":"0","vouches_kept":0,"vouches_broken":0,"clearing_rounds":0,"cleared":"0","recovered":"2500","first_event_at":10,"last_event_at":20}}"#,
        did_registry::ReputationSummaryResponse { did: "did:resource:resource-1:inj1m".into(), summary },
    );
}

/// What the underwriting contract sends the token for a vouch: the outcome as core's `VouchStatus`.
#[test]
fn reserve_and_release_credit_carry_the_vouch() {
    same_json(
        r#"{"reserve_credit":{"member":"inj1v","newcomer":"inj1n","amount":"300"}}"#,
        credit_token::ExecuteMsg::ReserveCredit {
            member: "inj1v".into(),
            newcomer: "inj1n".into(),
            amount: Uint128::new(300),
        },
    );
    for (outcome, name) in [
        (credit_token::VouchStatus::Kept, "kept"),
        (credit_token::VouchStatus::Broken, "broken"),
        (credit_token::VouchStatus::Cancelled, "cancelled"),
    ] {
        same_json(
            &format!(
                r#"{{"release_credit":{{"member":"inj1v","newcomer":"inj1n","amount":"300","outcome":"{name}"}}}}"#
            ),
            credit_token::ExecuteMsg::ReleaseCredit {
                member: "inj1v".into(),
                newcomer: "inj1n".into(),
                amount: Uint128::new(300),
                outcome,
            },
        );
    }
}
