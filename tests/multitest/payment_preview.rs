//! The payment preview (`resource_msgs::credit_token::preview_payment`, what the SDK's checkout shows
//! before the member signs) against the credit token itself: for random networks (fee rate, lines,
//! balances, a frozen member, a defaulted one, the collector and the loss account as parties) and
//! random payments, the preview computed from the contract's own query answers is exactly what the
//! contract then does: the same fee, minted, burned and balances after, or the same refusal.

use cosmwasm_std::Addr;
use cw_multi_test::{App, AppResponse, Executor};
use proptest::prelude::*;

use crate::contracts::token_contract;
use resource_credit_token::ContractError;
use resource_msgs::credit_token::{
    preview_payment, ConfigResponse, CreditAccountResponse, ExecuteMsg, InstantiateMsg, PreviewError, QueryMsg,
};
use resource_testing::multi;

const DAY: u64 = 86_400;
/// Everyone who can pay or be paid: two members with lines, one without, a defaulter, a frozen
/// member, the fee collector and the loss account.
const PARTIES: [&str; 7] = ["alice", "bob", "carol", "dora", "erin", "collector", "loss"];

struct Net {
    app: App,
    token: Addr,
}

impl Net {
    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute(&mut self.app, sender, &self.token, msg)
    }

    fn account(&self, name: &str) -> CreditAccountResponse {
        let q = QueryMsg::CreditAccount { address: self.addr(name).to_string() };
        self.app.wrap().query_wasm_smart(&self.token, &q).unwrap()
    }

    fn pay(&mut self, from: &str, to: &str, amount: u128) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Transfer { recipient: self.addr(to).to_string(), amount: amount.into() };
        self.exec(from, &msg)
    }
}

/// A network: fee `fee_bps`, lines for alice and bob, a few payments between members, dora in
/// default, erin frozen.
fn network(fee_bps: u16, lines: [u128; 2], payments: &[(usize, usize, u128)]) -> Net {
    let mut app = App::default();
    let admin = app.api().addr_make("admin");
    let code = app.store_code(token_contract());
    let msg = InstantiateMsg {
        name: "Asheville Credit".into(),
        symbol: "rUSD".into(),
        decimals: 6,
        admin: None,
        underwriting: None,
        fee_bps,
        fee_collector: app.api().addr_make("collector").into(),
        fee_exempt: vec![],
        loss_account: app.api().addr_make("loss").into(),
        default_grace_period: DAY,
        did_registry: None,
        min_term: Some(DAY),
        min_grace_period: Some(DAY),
    };
    let token = app.instantiate_contract(code, admin, &msg, &[], "credit", None).unwrap();
    let mut net = Net { app, token };
    let now = net.app.block_info().time.seconds();
    // Dora's short line: she spends, her term and grace pass, she defaults (and then receives a
    // little, which she may repay to the loss account).
    let short =
        ExecuteMsg::SetCreditLine { member: net.addr("dora").into(), limit: 1_000u128.into(), term_end: now + DAY };
    net.exec("admin", &short).unwrap();
    net.pay("dora", "carol", 300).unwrap();
    multi::advance(&mut net.app, 2 * DAY + 10);
    let now = net.app.block_info().time.seconds();
    net.exec("admin", &ExecuteMsg::DeclareDefault { member: net.addr("dora").into() }).unwrap();
    for (name, limit) in ["alice", "bob"].into_iter().zip(lines) {
        let line =
            ExecuteMsg::SetCreditLine { member: net.addr(name).into(), limit: limit.into(), term_end: now + 90 * DAY };
        net.exec("admin", &line).unwrap();
    }
    net.pay("carol", "dora", 40).unwrap();
    net.pay("carol", "erin", 60).unwrap();
    net.exec("admin", &ExecuteMsg::Freeze { member: net.addr("erin").into() }).unwrap();
    // Setup payments may be refused (too much credit): that is fine, the state is whatever remains.
    for &(from, to, amount) in payments {
        let _ = net.pay(PARTIES[from], PARTIES[to], amount);
    }
    net
}

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
        let config: ConfigResponse = net.app.wrap().query_wasm_smart(&net.token, &QueryMsg::Config {}).unwrap();
        let (sender, receiver, collector) = (net.account(from), net.account(to), net.account("collector"));
        let now = net.app.block_info().time.seconds();
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
    let config: ConfigResponse = net.app.wrap().query_wasm_smart(&net.token, &QueryMsg::Config {}).unwrap();
    let (alice, bob, collector) = (net.account("alice"), net.account("bob"), net.account("collector"));
    let now = net.app.block_info().time.seconds();
    let err = preview_payment(&config, &alice, &bob, None, 100, now).unwrap_err();
    assert_eq!(err.code(), "collector_account_needed");
    assert!(err.to_string().contains("pass its CreditAccount answer too"), "{err}");
    // Paying the collector itself needs no third account.
    let p = preview_payment(&config, &alice, &collector, None, 100, now).unwrap();
    assert_eq!((p.fee.u128(), p.minted.u128()), (1, 101));
    let err = preview_payment(&config, &alice, &bob, Some(&collector), 2_000, now).unwrap_err();
    assert_eq!(err.code(), "insufficient_credit");
}
