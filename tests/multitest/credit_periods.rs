//! A full credit-period cycle on the credit token (issue 24), on the embedded chain: a member who
//! meets its terms renews on its next payment, one who does not is frozen for credit in its grace
//! and defaults when the grace runs out; at every step the payment preview (what the SDK shows) is
//! what the token then does, and the network's balances sum to 0.

use resource_core::ledger::LedgerError;
use resource_credit_token::ContractError;
use resource_msgs::credit_token::{
    preview_payment, ExecuteMsg, ItdResponse, NeededIncomeResponse, NetworkStatsResponse, PeriodState, PreviewError,
    QueryMsg, Standing,
};
use resource_testing::multi;
use resource_testing::payments::{network, PaymentNet, PARTIES};

const DAY: u64 = 86_400;
const HALF_ITD: u64 = 500_000;

fn set_period(net: &mut PaymentNet, member: &str, min_itd: Option<u64>) {
    let msg = ExecuteMsg::SetCreditPeriod { member: net.addr(member).into(), min_itd };
    net.exec("admin", &msg).expect("the admin sets credit periods");
}

/// The preview of `from` paying `to` `amount` now, then the payment itself: both must agree.
fn preview_then_pay(net: &mut PaymentNet, from: &str, to: &str, amount: u128) -> Result<(), ContractError> {
    let config = net.config();
    let (sender, receiver, collector) = (net.account(from), net.account(to), net.account("collector"));
    let preview = preview_payment(&config, &sender, &receiver, Some(&collector), amount, net.now());
    match (preview, net.pay(from, to, amount)) {
        (Ok(p), Ok(r)) => {
            assert_eq!(p.fee.to_string(), multi::wasm_attr(&r, "fee"));
            assert_eq!(p.sender_balance_after, net.account(from).balance);
            assert_eq!(p.sender_available_after, net.account(from).available);
            assert_eq!(p.receiver_balance_after, net.account(to).balance);
            Ok(())
        }
        (Err(PreviewError::Ledger(expected)), Err(e @ ContractError::Ledger(actual))) => {
            assert_eq!(expected, actual);
            Err(e)
        }
        (p, d) => panic!("{from} pays {to} {amount}: preview {p:?}, token {d:?}"),
    }
}

fn balances_sum_to_zero(net: &PaymentNet) {
    let sum: i128 = PARTIES.iter().map(|p| net.account(p).balance.i128()).sum();
    assert_eq!(sum, 0);
    let positive: i128 = PARTIES.iter().map(|p| net.account(p).balance.i128().max(0)).sum();
    let stats: NetworkStatsResponse = net.app.wrap().query_wasm_smart(&net.token, &QueryMsg::NetworkStats {}).unwrap();
    assert_eq!(stats.total_supply.u128() as i128, positive, "supply is the sum of positive balances");
}

#[test]
fn a_period_cycle_renews_freezes_and_defaults() {
    // A 1 % fee to a third-party collector; alice and bob have 90-day lines.
    let mut net = network(100, [1_000, 1_000], &[]);
    set_period(&mut net, "alice", Some(HALF_ITD));
    set_period(&mut net, "bob", Some(HALF_ITD));
    let expiration = net.account("alice").period.unwrap().expiration;

    // Alice spends 400 (404 with the fee) and earns 200 back: 200 on the 204 she still owes, an ITD
    // of 98 %. Bob spends 500 (518: the 1 % fee and his 2.5 % risk fee on the credit he draws).
    preview_then_pay(&mut net, "alice", "carol", 400).unwrap();
    preview_then_pay(&mut net, "carol", "alice", 200).unwrap();
    preview_then_pay(&mut net, "bob", "carol", 500).unwrap();
    let itd: ItdResponse =
        net.app.wrap().query_wasm_smart(&net.token, &QueryMsg::ItdOf { address: net.addr("alice").into() }).unwrap();
    assert_eq!((itd.itd.map(|i| i.u128()), itd.compliant), (Some(980_392), true));
    balances_sum_to_zero(&net);

    // The period expires. Alice's next payment renews it (the preview computes it the same way).
    let wait = expiration - net.now() + 1;
    multi::advance(&mut net.app, wait);
    assert_eq!(net.account("alice").period.unwrap().state, PeriodState::Active, "shown renewed");
    let r = net.pay("alice", "carol", 10).unwrap();
    let renewed = r.events.iter().find(|e| e.ty == "wasm-credit_period_renewed").expect("the renewal's event");
    assert!(renewed.attributes.iter().any(|a| a.key == "expiration" && a.value == (net.now() + 90 * DAY).to_string()));
    assert_eq!(net.account("alice").line.unwrap().term_end, net.now() + 90 * DAY);
    preview_then_pay(&mut net, "alice", "carol", 10).unwrap();

    // Bob is in his grace and does not meet his terms: frozen for credit, with what he needs.
    let bob = net.account("bob");
    assert_eq!((bob.standing, bob.period.unwrap().state), (Standing::PastDue, PeriodState::Grace));
    let needed: NeededIncomeResponse = net
        .app
        .wrap()
        .query_wasm_smart(&net.token, &QueryMsg::NeededIncome { address: net.addr("bob").into() })
        .unwrap();
    assert_eq!(needed.needed_income.u128(), 173, "(0.5 * 518) / 1.5, rounded up");
    let frozen = LedgerError::CreditFrozenInGrace { expiration, needed_income: 173 };
    assert_eq!(preview_then_pay(&mut net, "bob", "carol", 1), Err(ContractError::Ledger(frozen)));
    // He receives 100: it counts, but he still needs 73 ((0.5 * 418 - 100) / 1.5), and a sync says so.
    preview_then_pay(&mut net, "carol", "bob", 100).unwrap();
    let sync = ExecuteMsg::SyncCreditPeriod { member: net.addr("bob").into() };
    let frozen = LedgerError::CreditFrozenInGrace { expiration, needed_income: 73 };
    assert_eq!(net.exec("carol", &sync).unwrap_err(), ContractError::Ledger(frozen));

    // The grace runs out: anyone's sync writes his debt off to the loss account.
    let loss_before = net.account("loss").balance.i128();
    multi::advance(&mut net.app, DAY);
    let ran_out = LedgerError::GraceRanOut { expiration, grace_end: expiration + DAY };
    assert_eq!(preview_then_pay(&mut net, "bob", "carol", 1), Err(ContractError::Ledger(ran_out)));
    let r = net.exec("carol", &sync).unwrap();
    assert_eq!((multi::wasm_attr(&r, "outcome"), multi::wasm_attr(&r, "debt")), ("defaulted".into(), "418".into()));
    assert_eq!(net.account("loss").balance.i128(), loss_before - 418);
    assert_eq!(net.account("bob").balance.i128(), 0);
    balances_sum_to_zero(&net);
    // InDefault: bob can receive, pay nobody but the loss account, and is synced no more.
    assert_eq!(
        preview_then_pay(&mut net, "bob", "carol", 1),
        Err(ContractError::Ledger(LedgerError::AccountDefaulted))
    );
    assert_eq!(net.exec("carol", &sync).unwrap_err(), ContractError::Ledger(LedgerError::NoCreditPeriod));
}

#[test]
fn pausing_holds_the_rules_back_and_unpausing_applies_them() {
    let mut net = network(0, [1_000, 1_000], &[]);
    set_period(&mut net, "bob", Some(HALF_ITD));
    let expiration = net.account("bob").period.unwrap().expiration;
    preview_then_pay(&mut net, "bob", "carol", 500).unwrap();
    net.exec("admin", &ExecuteMsg::PauseCreditPeriod { member: net.addr("bob").into() }).unwrap();
    let wait = expiration - net.now() + 30 * DAY;
    multi::advance(&mut net.app, wait);
    // Paused: he still spends credit past his term end, and nobody can default him.
    preview_then_pay(&mut net, "bob", "carol", 100).unwrap();
    let declare = ExecuteMsg::DeclareDefault { member: net.addr("bob").into() };
    assert_eq!(net.exec("carol", &declare).unwrap_err(), ContractError::Ledger(LedgerError::CreditPeriodPaused));
    // UnpauseAfterExpirationAndIncompliant: the rules apply at once.
    net.exec("admin", &ExecuteMsg::UnpauseCreditPeriod { member: net.addr("bob").into() }).unwrap();
    let sync = ExecuteMsg::SyncCreditPeriod { member: net.addr("bob").into() };
    assert_eq!(multi::wasm_attr(&net.exec("carol", &sync).unwrap(), "outcome"), "defaulted");
    balances_sum_to_zero(&net);
}
