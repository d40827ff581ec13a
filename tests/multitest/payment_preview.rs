//! The payment preview (`resource_msgs::credit_token::preview_payment`, what the SDK's checkout shows
//! before the member signs) against the credit token itself: for random networks (fee rate, lines,
//! balances, a frozen member, a defaulted one, the collector and the loss account as parties) and
//! random payments, the preview computed from the contract's own query answers is exactly what the
//! contract then does: the same fee, minted, burned and balances after, or the same refusal.

use cw_multi_test::AppResponse;
use proptest::prelude::*;

use resource_credit_token::ContractError;
use resource_msgs::credit_token::{preview_payment, PreviewError};
use resource_testing::multi;
use resource_testing::payments::{network, PARTIES};

/// The `wasm` attribute `key` of a transfer's event, as a number.
fn attribute(r: &AppResponse, key: &str) -> u128 {
    multi::wasm_attr(r, key).parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_preview_is_what_the_token_does(
        fee_bps in prop_oneof![Just(0u16), 1u16..=300, Just(10_000)],
        lines in [0u128..5_000, 0u128..5_000],
        payments in prop::collection::vec((0usize..3, 0usize..3, 1u128..3_000), 0..4),
        from in 0usize..PARTIES.len(),
        to in 0usize..PARTIES.len(),
        amount in prop_oneof![Just(0u128), 1u128..6_000, Just(u128::MAX)],
    ) {
        let mut net = network(fee_bps, lines, &payments);
        let (from, to) = (PARTIES[from], PARTIES[to]);
        let config = net.config();
        let (sender, receiver, collector) = (net.account(from), net.account(to), net.account("collector"));
        let now = net.now();
        let preview = preview_payment(&config, &sender, &receiver, Some(&collector), amount, now);
        let done = net.pay(from, to, amount);
        match (preview, done) {
            (Ok(p), Ok(r)) => {
                prop_assert_eq!(p.fee.u128(), attribute(&r, "fee"));
                prop_assert_eq!(p.minted.u128(), attribute(&r, "minted"));
                prop_assert_eq!(p.burned.u128(), attribute(&r, "burned"));
                let (s, v) = (net.account(from), net.account(to));
                prop_assert_eq!(p.sender_balance_after, s.balance);
                prop_assert_eq!(p.sender_available_after, s.available);
                prop_assert_eq!(p.receiver_balance_after, v.balance);
            }
            (Err(PreviewError::Ledger(expected)), Err(ContractError::Ledger(actual))) => {
                prop_assert_eq!(expected, actual);
            }
            (p, d) => prop_assert!(false, "{from} pays {to} {amount}: preview {p:?}, token {d:?}"),
        }
    }
}

#[test]
fn the_preview_needs_the_collector_only_when_it_is_paid() {
    let net = network(100, [1_000, 1_000], &[]);
    let config = net.config();
    let (alice, bob, collector) = (net.account("alice"), net.account("bob"), net.account("collector"));
    let now = net.now();
    let err = preview_payment(&config, &alice, &bob, None, 100, now).unwrap_err();
    assert_eq!(err.code(), "collector_account_needed");
    assert!(err.to_string().contains("pass its CreditAccount answer too"), "{err}");
    // Paying the collector itself needs no third account.
    let p = preview_payment(&config, &alice, &collector, None, 100, now).unwrap();
    assert_eq!((p.fee.u128(), p.minted.u128()), (1, 101));
    let err = preview_payment(&config, &alice, &bob, Some(&collector), 2_000, now).unwrap_err();
    assert_eq!(err.code(), "insufficient_credit");
}

/// The network's members on credit-period terms, each paying carol: the preview says what the
/// token does for a renewal (gus), a freeze in grace (hal) and a grace that has run out (fay).
#[test]
fn the_preview_follows_credit_periods() {
    use resource_core::ledger::LedgerError;
    let mut net = network(0, [1_000, 1_000], &[]);
    let config = net.config();
    let now = net.now();
    let carol = net.account("carol");
    let mut outcome = |who: &str, amount: u128| {
        let preview = preview_payment(&config, &net.account(who), &carol, None, amount, now);
        let done = net.pay(who, "carol", amount);
        match (&preview, &done) {
            (Ok(p), Ok(_)) => assert_eq!(p.sender_balance_after, net.account(who).balance),
            (Err(PreviewError::Ledger(expected)), Err(ContractError::Ledger(actual))) => assert_eq!(expected, actual),
            (p, d) => panic!("{who}: preview {p:?}, token {d:?}"),
        }
        preview.map_err(|e| match e {
            PreviewError::Ledger(e) => e,
            other => panic!("{other:?}"),
        })
    };
    // Gus owes nothing: his expired period renews and he draws credit on the new one.
    assert!(outcome("gus", 100).is_ok());
    assert!(matches!(outcome("hal", 1), Err(LedgerError::CreditFrozenInGrace { .. })));
    assert!(matches!(outcome("fay", 1), Err(LedgerError::GraceRanOut { .. })));
    assert!(net.account("gus").line.unwrap().term_end > now);
}

/// Risk fees (bob's 2.5 % on the credit he draws) and paused fees: the preview computes both as
/// the token does.
#[test]
fn the_preview_prices_risk_and_follows_paused_fees() {
    use resource_msgs::credit_token::{ConfigUpdate, ExecuteMsg};
    let mut net = network(100, [1_000, 1_000], &[]);
    let preview = |net: &resource_testing::payments::PaymentNet, amount: u128| {
        let (config, bob, carol, collector) =
            (net.config(), net.account("bob"), net.account("carol"), net.account("collector"));
        preview_payment(&config, &bob, &carol, Some(&collector), amount, net.now()).unwrap()
    };
    // 1 % of 400 plus 2.5 % of the 400 drawn: 4 + 10.
    let p = preview(&net, 400);
    assert_eq!(p.fee.u128(), 14);
    assert_eq!(attribute(&net.pay("bob", "carol", 400).unwrap(), "fee"), 14);
    let pause = ExecuteMsg::UpdateConfig(ConfigUpdate { fees_paused: Some(true), ..ConfigUpdate::default() });
    net.exec("admin", &pause).unwrap();
    let p = preview(&net, 100);
    assert_eq!(p.fee.u128(), 0);
    assert_eq!(attribute(&net.pay("bob", "carol", 100).unwrap(), "fee"), 0);
    assert_eq!(p.sender_balance_after, net.account("bob").balance);
}
