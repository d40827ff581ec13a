//! Random credit networks on the credit token itself, for the payment preview's parity checks
//! (`resource_msgs::credit_token::preview_payment` against what the contract does): the multitest
//! runs them with proptest, and the SDK's fixtures turn them into cases that the wasm SDK must
//! answer exactly as the contract did, in Node and in Chromium.

use cosmwasm_std::{Addr, Empty};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use resource_credit_token::ContractError;
use resource_msgs::credit_token::{ConfigResponse, CreditAccountResponse, ExecuteMsg, InstantiateMsg, QueryMsg};

use crate::multi;

const DAY: u64 = 86_400;
/// Everyone who can pay or be paid: two members with lines, one without, a defaulter, a frozen
/// member, the fee collector and the loss account, then three members on credit-period terms whose
/// periods have expired: fay's grace has run out in debt (in default, not yet synced), gus owes
/// nothing (his next payment renews his period) and hal is in his grace, in debt (frozen for credit).
pub const PARTIES: [&str; 10] = ["alice", "bob", "carol", "dora", "erin", "collector", "loss", "fay", "gus", "hal"];

/// The credit token's entry points for cw-multi-test.
pub fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_credit_token::contract::execute,
            resource_credit_token::contract::instantiate,
            resource_credit_token::contract::query,
        )
        .with_reply(resource_credit_token::contract::reply)
        .with_migrate(resource_credit_token::contract::migrate),
    )
}

/// An embedded chain with one credit token.
pub struct PaymentNet {
    pub app: App,
    pub token: Addr,
}

impl PaymentNet {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute(&mut self.app, sender, &self.token, msg)
    }

    pub fn account(&self, name: &str) -> CreditAccountResponse {
        let q = QueryMsg::CreditAccount { address: self.addr(name).to_string() };
        self.app.wrap().query_wasm_smart(&self.token, &q).expect("the token answers CreditAccount")
    }

    pub fn config(&self) -> ConfigResponse {
        self.app.wrap().query_wasm_smart(&self.token, &QueryMsg::Config {}).expect("the token answers Config")
    }

    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    pub fn pay(&mut self, from: &str, to: &str, amount: u128) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Transfer { recipient: self.addr(to).to_string(), amount: amount.into() };
        self.exec(from, &msg)
    }
}

/// A network: fee `fee_bps`, lines for alice and bob, a few payments between members (indices into
/// the first three [`PARTIES`]; refused ones leave the state as it is), dora in default, erin frozen.
pub fn network(fee_bps: u16, lines: [u128; 2], payments: &[(usize, usize, u128)]) -> PaymentNet {
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
    let token = app.instantiate_contract(code, admin, &msg, &[], "credit", None).expect("the token instantiates");
    let mut net = PaymentNet { app, token };
    let now = net.now();
    // Dora's short line: she spends, her term and grace pass, she defaults (and then receives a
    // little, which she may repay to the loss account).
    let short =
        ExecuteMsg::SetCreditLine { member: net.addr("dora").into(), limit: 1_000u128.into(), term_end: now + DAY };
    net.exec("admin", &short).expect("dora's line");
    net.pay("dora", "carol", 300).expect("dora spends");
    // Fay, gus and hal: lines on credit-period terms (a 50 % minimum income-to-debt ratio), fay's and
    // gus's ending with dora's, hal's an hour later (still in grace below); fay and hal spend.
    for (name, term) in [("fay", DAY), ("gus", DAY), ("hal", DAY + 3_600)] {
        let member = net.addr(name).to_string();
        let line = ExecuteMsg::SetCreditLine { member: member.clone(), limit: 1_000u128.into(), term_end: now + term };
        net.exec("admin", &line).expect("a period member's line");
        net.exec("admin", &ExecuteMsg::SetCreditPeriod { member, min_itd: Some(500_000) }).expect("its period");
    }
    net.pay("fay", "carol", 300).expect("fay spends");
    net.pay("hal", "carol", 200).expect("hal spends");
    multi::advance(&mut net.app, 2 * DAY + 10);
    let now = net.now();
    net.exec("admin", &ExecuteMsg::DeclareDefault { member: net.addr("dora").into() }).expect("dora defaults");
    for (name, limit) in ["alice", "bob"].into_iter().zip(lines) {
        let line =
            ExecuteMsg::SetCreditLine { member: net.addr(name).into(), limit: limit.into(), term_end: now + 90 * DAY };
        net.exec("admin", &line).expect("a line");
    }
    // Bob pays a risk fee of 2.5 % on the credit he draws.
    let risk = ExecuteMsg::SetRiskFee { member: net.addr("bob").into(), risk_fee_bps: 250 };
    net.exec("admin", &risk).expect("bob's risk fee");
    net.pay("carol", "dora", 40).expect("carol pays dora");
    net.pay("carol", "erin", 60).expect("carol pays erin");
    net.exec("admin", &ExecuteMsg::Freeze { member: net.addr("erin").into() }).expect("erin frozen");
    for &(from, to, amount) in payments {
        let _ = net.pay(PARTIES[from], PARTIES[to], amount);
    }
    net
}
