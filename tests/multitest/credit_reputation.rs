//! The credit token writing reputation into the real DID registry: credit lines granted, debts
//! repaid in full before term end and defaults reach the member's account DID in the same
//! transaction; a token the registry does not accept as a writer can do no credit action at all
//! (not a byte of its storage changes); a token without a registry sends nothing.

use cosmwasm_std::{Addr, Empty};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};

use resource_core::did::{ReputationEvent, ReputationRecord, ReputationSummary, ResourceDid};
use resource_msgs::credit_token::{ConfigResponse, ConfigUpdate, ExecuteMsg, InstantiateMsg, QueryMsg};
use resource_msgs::did_registry::{
    ExecuteMsg as RegistryMsg, InstantiateMsg as RegistryInit, QueryMsg as RegistryQuery, ReputationHistoryResponse,
    ReputationSummaryResponse,
};
use resource_testing::multi;

const UNIT: u128 = 1_000_000;
/// A unit as a signed balance.
const BAL: i128 = 1_000_000;
const DAY: u64 = 86_400;
const TERM: u64 = 90 * DAY;
const GRACE: u64 = 30 * DAY;

fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        resource_credit_token::contract::execute,
        resource_credit_token::contract::instantiate,
        resource_credit_token::contract::query,
    ))
}

fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        resource_did_registry::contract::execute,
        resource_did_registry::contract::instantiate,
        resource_did_registry::contract::query,
    ))
}

/// The registry's refusal of a contract that is not one of its reputation writers.
fn not_a_writer() -> resource_did_registry::ContractError {
    resource_did_registry::ContractError::Unauthorized { role: "a reputation writer (UpdateRoles)" }
}

struct Net {
    app: App,
    registry: Addr,
    token: Addr,
}

impl Net {
    /// A registry, and a token that records into it (`registry`) and is one of its writers (`writer`).
    fn new(registry: bool, writer: bool) -> Net {
        let mut app = App::default();
        let registry_code = app.store_code(registry_contract());
        let token_code = app.store_code(token_contract());
        let admin = app.api().addr_make("admin");
        let init = RegistryInit { admin: None, reputation_writers: vec![], claim_verifiers: vec![] };
        let registry_addr =
            app.instantiate_contract(registry_code, admin.clone(), &init, &[], "did-registry", None).unwrap();
        let msg = InstantiateMsg {
            name: "Asheville Credit".into(),
            symbol: "AVL".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps: 0,
            fee_collector: app.api().addr_make("collector").into(),
            fee_exempt: vec![],
            loss_account: app.api().addr_make("loss").into(),
            default_grace_period: GRACE,
            did_registry: registry.then(|| registry_addr.to_string()),
        };
        let token = app.instantiate_contract(token_code, admin.clone(), &msg, &[], "credit", None).unwrap();
        let mut n = Net { app, registry: registry_addr, token };
        if writer {
            n.set_writer(true);
        }
        n
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// The member's account DID, as the registry names it.
    fn did(&self, name: &str) -> String {
        ResourceDid::account(&self.app.block_info().chain_id, self.addr(name).as_str()).unwrap().to_string()
    }

    fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    /// The registry admin adds (or removes) the token as a reputation writer.
    fn set_writer(&mut self, writer: bool) {
        let token = vec![self.token.to_string()];
        let (add_writers, remove_writers) = if writer { (token, vec![]) } else { (vec![], token) };
        let msg =
            RegistryMsg::UpdateRoles { add_writers, remove_writers, add_verifiers: vec![], remove_verifiers: vec![] };
        self.app.execute_contract(self.addr("admin"), self.registry.clone(), &msg, &[]).unwrap();
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> anyhow::Result<AppResponse> {
        let sender = self.addr(sender);
        self.app.execute_contract(sender, self.token.clone(), msg, &[])
    }

    /// A message that the registry refuses: its error, and neither contract's storage changed.
    fn refused(&mut self, sender: &str, msg: &ExecuteMsg) {
        let token_before = self.app.dump_wasm_raw(&self.token);
        let registry_before = self.app.dump_wasm_raw(&self.registry);
        let err = self.exec(sender, msg).unwrap_err();
        let err: resource_did_registry::ContractError =
            err.downcast().unwrap_or_else(|e| panic!("{msg:?}: not the registry's error: {e:?}"));
        assert_eq!(err, not_a_writer(), "{msg:?}");
        assert_eq!(self.app.dump_wasm_raw(&self.token), token_before, "{msg:?} changed the token");
        assert_eq!(self.app.dump_wasm_raw(&self.registry), registry_before, "{msg:?} changed the registry");
    }

    fn line_msg(&self, member: &str, limit: u128) -> ExecuteMsg {
        ExecuteMsg::SetCreditLine { member: self.addr(member).into(), limit: limit.into(), term_end: self.now() + TERM }
    }

    fn line(&mut self, member: &str, limit: u128) -> AppResponse {
        let msg = self.line_msg(member, limit);
        self.exec("admin", &msg).unwrap()
    }

    fn pay_msg(&self, to: &str, amount: u128) -> ExecuteMsg {
        ExecuteMsg::Transfer { recipient: self.addr(to).into(), amount: amount.into() }
    }

    fn pay(&mut self, from: &str, to: &str, amount: u128) -> AppResponse {
        let msg = self.pay_msg(to, amount);
        self.exec(from, &msg).unwrap()
    }

    fn bal(&self, who: &str) -> i128 {
        let r: resource_msgs::credit_token::CreditAccountResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.token, &QueryMsg::CreditAccount { address: self.addr(who).into() })
            .unwrap();
        r.balance.i128()
    }

    fn history(&self, member: &str) -> Vec<ReputationRecord> {
        let q = RegistryQuery::ReputationHistory { did: self.did(member), start_after: None, limit: None };
        let r: ReputationHistoryResponse = self.app.wrap().query_wasm_smart(&self.registry, &q).unwrap();
        assert_eq!(r.did, self.did(member));
        r.records
    }

    fn events(&self, member: &str) -> Vec<ReputationEvent> {
        self.history(member).into_iter().map(|r| r.event).collect()
    }

    fn summary(&self, member: &str) -> ReputationSummary {
        let q = RegistryQuery::ReputationSummary { did: self.did(member) };
        let r: ReputationSummaryResponse = self.app.wrap().query_wasm_smart(&self.registry, &q).unwrap();
        r.summary
    }

    fn advance(&mut self, secs: u64) {
        multi::advance(&mut self.app, secs);
    }

    /// Whether `r` executed the registry.
    fn called_registry(&self, r: &AppResponse) -> bool {
        r.events
            .iter()
            .any(|e| e.attributes.iter().any(|a| a.key == "_contract_address" && a.value == self.registry.as_str()))
    }
}

#[test]
fn credit_lines_repayments_and_defaults_reach_the_members_dids() {
    let mut n = Net::new(true, true);
    let cfg: ConfigResponse = n.app.wrap().query_wasm_smart(&n.token, &QueryMsg::Config {}).unwrap();
    assert_eq!(cfg.did_registry, Some(n.registry.clone()));

    // A credit line: granted, with its limit and term, written by the token at block time.
    let granted_at = n.now();
    let r = n.line("employer", 10_000 * UNIT);
    assert!(n.called_registry(&r));
    let history = n.history("employer");
    assert_eq!(history.len(), 1);
    let first = &history[0];
    assert_eq!((first.seq, first.time, first.writer.as_str()), (1, granted_at, n.token.as_str()));
    assert_eq!(first.event, ReputationEvent::CreditLineGranted { amount: 10_000 * UNIT, term: TERM });

    // Wages on credit, sales back: a partial repayment is not recorded, the full one is, with the
    // debt outstanding before it.
    n.pay("employer", "emp1", 3_000 * UNIT);
    n.pay("employer", "emp2", 1_000 * UNIT);
    n.advance(30 * DAY);
    let r = n.pay("emp1", "employer", 1_500 * UNIT);
    assert!(!n.called_registry(&r));
    n.advance(30 * DAY);
    n.pay("emp2", "emp1", 1_000 * UNIT);
    let r = n.pay("emp1", "employer", 2_500 * UNIT);
    assert!(n.called_registry(&r));
    assert_eq!(n.bal("employer"), 0);
    assert_eq!(
        n.events("employer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 10_000 * UNIT, term: TERM },
            ReputationEvent::RepaidOnTime { amount: 2_500 * UNIT },
        ]
    );
    // Money received with no line or no debt records nothing, and neither does paying.
    assert_eq!((n.events("emp1"), n.events("emp2")), (vec![], vec![]));

    // The same through an allowance (a payroll contract paying on the member's behalf).
    n.pay("employer", "emp1", 700 * UNIT);
    let payroll = n.addr("payroll").to_string();
    n.exec("emp1", &ExecuteMsg::IncreaseAllowance { spender: payroll, amount: (700 * UNIT).into(), expires: None })
        .unwrap();
    let from = ExecuteMsg::TransferFrom {
        owner: n.addr("emp1").into(),
        recipient: n.addr("employer").into(),
        amount: (700 * UNIT).into(),
    };
    n.exec("payroll", &from).unwrap();
    assert_eq!(n.events("employer").last(), Some(&ReputationEvent::RepaidOnTime { amount: 700 * UNIT }));

    // Another member does not repay: after term end plus grace, anyone declares the default.
    n.line("grocer", 5_000 * UNIT);
    n.pay("grocer", "emp1", 4_000 * UNIT);
    n.pay("emp1", "grocer", 1_000 * UNIT);
    n.advance(TERM + GRACE + 1);
    let r = n.exec("stranger", &ExecuteMsg::DeclareDefault { member: n.addr("grocer").into() }).unwrap();
    assert!(n.called_registry(&r));
    assert_eq!(
        n.events("grocer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 5_000 * UNIT, term: TERM },
            ReputationEvent::Defaulted { amount: 3_000 * UNIT },
        ]
    );
    // A repayment after the term end (past due) is not on time.
    assert_eq!(n.bal("grocer"), 0);
    n.line("bakery", 100 * UNIT);
    n.pay("bakery", "emp1", 100 * UNIT);
    n.advance(TERM + 1);
    n.pay("emp1", "bakery", 100 * UNIT);
    assert_eq!(n.bal("bakery"), 0);
    assert_eq!(n.events("bakery"), vec![ReputationEvent::CreditLineGranted { amount: 100 * UNIT, term: TERM }]);

    // What any application reads.
    let s = n.summary("employer");
    assert_eq!((s.events, s.credit_lines, s.credit_granted), (3, 1, 10_000 * UNIT));
    assert_eq!((s.repaid_on_time, s.repaid, s.defaults, s.defaulted), (2, 3_200 * UNIT, 0, 0));
    assert_eq!((s.first_event_at, s.last_event_at), (Some(granted_at), Some(granted_at + 60 * DAY)));
    let s = n.summary("grocer");
    assert_eq!((s.events, s.credit_lines, s.repaid_on_time, s.defaults, s.defaulted), (2, 1, 0, 1, 3_000 * UNIT));
    assert_eq!(n.summary("emp1"), ReputationSummary::default());
}

#[test]
fn a_token_the_registry_does_not_accept_can_do_no_credit_action() {
    // Configured with the registry, but never made a writer.
    let mut n = Net::new(true, false);
    let line = n.line_msg("employer", 1_000 * UNIT);
    n.refused("admin", &line);
    assert_eq!(n.bal("employer"), 0);
    assert_eq!(n.summary("employer"), ReputationSummary::default());

    // Made a writer: it works; retired as a writer: repayments and defaults are refused in turn, and
    // the debt stays where it was.
    n.set_writer(true);
    n.line("employer", 1_000 * UNIT);
    n.line("grocer", 1_000 * UNIT);
    n.pay("employer", "emp1", 600 * UNIT);
    n.pay("grocer", "emp1", 300 * UNIT);
    n.set_writer(false);
    let repay = n.pay_msg("employer", 600 * UNIT);
    n.refused("emp1", &repay);
    assert_eq!((n.bal("employer"), n.bal("emp1")), (-600 * BAL, 900 * BAL));
    // A transfer that repays nothing does not involve the registry.
    n.pay("emp1", "employer", 100 * UNIT);
    n.advance(TERM + GRACE + 1);
    let default = ExecuteMsg::DeclareDefault { member: n.addr("grocer").into() };
    n.refused("stranger", &default);
    assert_eq!(n.bal("grocer"), -300 * BAL);
    assert_eq!(n.events("employer"), vec![ReputationEvent::CreditLineGranted { amount: 1_000 * UNIT, term: TERM }]);

    // The admin can stop recording; then everything goes through and nothing is sent.
    let stop = ExecuteMsg::UpdateConfig(ConfigUpdate {
        fee_bps: None,
        fee_collector: None,
        fee_exempt: None,
        loss_account: None,
        default_grace_period: None,
        underwriting: None,
        remove_underwriting: false,
        did_registry: None,
        remove_did_registry: true,
    });
    n.exec("admin", &stop).unwrap();
    let r = n.exec("stranger", &default).unwrap();
    assert!(!n.called_registry(&r));
    assert_eq!(n.summary("grocer").events, 1);
}

#[test]
fn a_token_without_a_registry_sends_nothing() {
    // The token is even a writer of the registry, but not configured to use it.
    let mut n = Net::new(false, true);
    let cfg: ConfigResponse = n.app.wrap().query_wasm_smart(&n.token, &QueryMsg::Config {}).unwrap();
    assert_eq!(cfg.did_registry, None);
    let mut responses = vec![n.line("employer", 1_000 * UNIT), n.line("grocer", 1_000 * UNIT)];
    responses.push(n.pay("employer", "emp1", 500 * UNIT));
    responses.push(n.pay("grocer", "emp1", 200 * UNIT));
    responses.push(n.pay("emp1", "employer", 500 * UNIT));
    n.advance(TERM + GRACE + 1);
    responses.push(n.exec("stranger", &ExecuteMsg::DeclareDefault { member: n.addr("grocer").into() }).unwrap());
    for r in &responses {
        assert!(!n.called_registry(r), "{r:?}");
    }
    assert_eq!(n.bal("employer"), 0);
    for member in ["employer", "grocer", "emp1"] {
        assert_eq!(n.summary(member), ReputationSummary::default(), "{member}");
    }
}
