//! The credit token writing reputation into the real DID registry: credit lines granted, a term's
//! on-time repayment (once, when the term is settled), defaults and recoveries reach the member's
//! account DID in the same transaction; a registry that refuses never blocks a credit action (the
//! record is kept and delivered by a retry); a token without a registry sends nothing.

use crate::contracts::{registry_contract, token_contract};
use cosmwasm_std::Addr;
use cw_multi_test::{App, AppResponse, Executor};

use resource_core::did::{ReputationEvent, ReputationRecord, ReputationSummary, ResourceDid};
use resource_msgs::credit_token::{
    ConfigResponse, ConfigUpdate, ExecuteMsg, InstantiateMsg, PendingRecordsResponse, QueryMsg,
};
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
        let init = RegistryInit::default();
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
            min_term: None,
            min_grace_period: None,
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

    /// The reputation records the token kept because the registry refused them.
    fn pending(&self) -> Vec<ReputationEvent> {
        let q = QueryMsg::PendingReputationRecords { start_after: None, limit: None };
        let r: PendingRecordsResponse = self.app.wrap().query_wasm_smart(&self.token, &q).unwrap();
        r.records.into_iter().map(|r| r.event).collect()
    }

    /// Whether `r` reports a refused record.
    fn record_failed(r: &AppResponse) -> bool {
        r.events.iter().any(|e| e.ty == "wasm-reputation_record_failed")
    }

    fn settle(&mut self, member: &str) -> anyhow::Result<AppResponse> {
        let msg = ExecuteMsg::SettleTerm { member: self.addr(member).into() };
        self.exec("stranger", &msg)
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

    // Wages on credit, sales back: no transfer records anything, not even the full repayment.
    n.pay("employer", "emp1", 3_000 * UNIT);
    n.pay("employer", "emp2", 1_000 * UNIT);
    n.advance(30 * DAY);
    let r = n.pay("emp1", "employer", 1_500 * UNIT);
    assert!(!n.called_registry(&r));
    n.advance(30 * DAY);
    n.pay("emp2", "emp1", 1_000 * UNIT);
    let r = n.pay("emp1", "employer", 2_500 * UNIT);
    assert!(!n.called_registry(&r));
    assert_eq!(n.bal("employer"), 0);
    // After the term end the term is settled, by anyone, once: the largest debt carried, 4,000.
    n.advance(TERM - 60 * DAY + 1);
    let settled_at = n.now();
    let r = n.settle("employer").unwrap();
    assert!(n.called_registry(&r));
    assert!(n.settle("employer").is_err(), "one record per term");
    assert_eq!(
        n.events("employer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 10_000 * UNIT, term: TERM },
            ReputationEvent::RepaidOnTime { amount: 4_000 * UNIT },
        ]
    );
    // Money received with no line or no debt records nothing, and neither does paying.
    assert_eq!((n.events("emp1"), n.events("emp2")), (vec![], vec![]));

    // A new term: the full limit granted. Repaid through an allowance (a payroll contract paying on
    // the member's behalf), then the line closed: the term's record.
    n.line("employer", 10_000 * UNIT);
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
    n.exec("admin", &ExecuteMsg::CloseCreditLine { member: n.addr("employer").into() }).unwrap();
    assert_eq!(n.events("employer").last(), Some(&ReputationEvent::RepaidOnTime { amount: 700 * UNIT }));

    // Another member does not repay: after term end plus grace, anyone declares the default; money
    // it receives later it repays to the loss account, recorded as recovery.
    n.line("grocer", 5_000 * UNIT);
    n.pay("grocer", "emp1", 4_000 * UNIT);
    n.pay("emp1", "grocer", 1_000 * UNIT);
    n.advance(TERM + GRACE + 1);
    let r = n.exec("stranger", &ExecuteMsg::DeclareDefault { member: n.addr("grocer").into() }).unwrap();
    assert!(n.called_registry(&r));
    n.pay("emp1", "grocer", 500 * UNIT);
    let r = n.pay("grocer", "loss", 500 * UNIT);
    assert!(n.called_registry(&r));
    assert_eq!(
        n.events("grocer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 5_000 * UNIT, term: TERM },
            ReputationEvent::Defaulted { amount: 3_000 * UNIT },
            ReputationEvent::DebtRecovered { amount: 500 * UNIT },
        ]
    );
    // A repayment after the term end (past due) is not on time: nothing to settle.
    n.line("bakery", 100 * UNIT);
    n.pay("bakery", "emp1", 100 * UNIT);
    n.advance(TERM + 1);
    n.pay("emp1", "bakery", 100 * UNIT);
    assert_eq!(n.bal("bakery"), 0);
    assert!(n.settle("bakery").is_err());
    assert_eq!(n.events("bakery"), vec![ReputationEvent::CreditLineGranted { amount: 100 * UNIT, term: TERM }]);

    // What any application reads.
    let s = n.summary("employer");
    assert_eq!((s.events, s.credit_lines, s.credit_granted), (4, 2, 20_000 * UNIT));
    assert_eq!((s.repaid_on_time, s.repaid, s.defaults, s.defaulted), (2, 4_700 * UNIT, 0, 0));
    assert_eq!(s.first_event_at, Some(granted_at));
    assert_eq!(s.last_event_at, Some(settled_at), "renewed and closed at once");
    let s = n.summary("grocer");
    assert_eq!((s.events, s.credit_lines, s.repaid_on_time, s.defaults, s.defaulted), (3, 1, 0, 1, 3_000 * UNIT));
    assert_eq!(s.recovered, 500 * UNIT);
    assert_eq!(n.summary("emp1"), ReputationSummary::default());
}

/// Finding: the registry's admin (a different party) removing the token as a writer blocked every
/// repayment, new line and default. Now the credit action stands and the record waits.
#[test]
fn a_registry_that_refuses_never_blocks_a_credit_action() {
    // Configured with the registry, but never made a writer.
    let mut n = Net::new(true, false);
    let r = n.line("employer", 1_000 * UNIT);
    assert!(Net::record_failed(&r));
    assert_eq!(n.pending(), vec![ReputationEvent::CreditLineGranted { amount: 1_000 * UNIT, term: TERM }]);
    assert_eq!(n.summary("employer"), ReputationSummary::default(), "the registry changed nothing");

    // Retired as a writer after lines were set: repayments, closing and defaults all go through.
    n.set_writer(true);
    n.line("grocer", 1_000 * UNIT);
    n.pay("employer", "emp1", 600 * UNIT);
    n.pay("grocer", "emp1", 300 * UNIT);
    n.set_writer(false);
    n.pay("emp1", "employer", 600 * UNIT);
    assert_eq!((n.bal("employer"), n.bal("emp1")), (0, 300 * BAL));
    let r = n.exec("admin", &ExecuteMsg::CloseCreditLine { member: n.addr("employer").into() }).unwrap();
    assert!(Net::record_failed(&r));
    n.advance(TERM + GRACE + 1);
    let r = n.exec("stranger", &ExecuteMsg::DeclareDefault { member: n.addr("grocer").into() }).unwrap();
    assert!(Net::record_failed(&r));
    assert_eq!((n.bal("grocer"), n.bal("loss")), (0, -300 * BAL));
    assert_eq!(n.pending().len(), 3);

    // Made a writer again: one retry delivers every kept record, in order, and nothing is kept.
    n.set_writer(true);
    let retry = ExecuteMsg::RetryReputationRecords { limit: None };
    let r = n.exec("stranger", &retry).unwrap();
    assert!(n.called_registry(&r) && !Net::record_failed(&r));
    assert_eq!(n.pending(), vec![]);
    assert_eq!(
        n.events("employer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 1_000 * UNIT, term: TERM },
            ReputationEvent::RepaidOnTime { amount: 600 * UNIT },
        ]
    );
    assert_eq!(
        n.events("grocer"),
        vec![
            ReputationEvent::CreditLineGranted { amount: 1_000 * UNIT, term: TERM },
            ReputationEvent::Defaulted { amount: 300 * UNIT },
        ]
    );
    assert!(n.exec("stranger", &retry).is_err(), "nothing left to retry");

    // The admin can stop recording; then nothing is sent.
    let stop = ExecuteMsg::UpdateConfig(ConfigUpdate { remove_did_registry: true, ..Default::default() });
    n.exec("admin", &stop).unwrap();
    let r = n.line("bakery", 10 * UNIT);
    assert!(!n.called_registry(&r));
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
