//! The clearing contract in cw-multi-test: a small business network cleared with the core solver,
//! adversarial set-offs changing nothing, and settling what remains through the real credit token.

use std::collections::BTreeMap;

use cosmwasm_std::{to_json_binary, Addr, Empty, Uint128};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};

use resource_clearing::ContractError;
use resource_core::clearing::{self as core, ClearingError, LifecycleError, Obligation, SetOff};
use resource_core::ledger::LedgerError;
use resource_msgs::clearing::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, ObligationResponse, ObligationStatus, ObligationsResponse, QueryMsg,
    ReceiveMsg, RoundResponse, SetOffEntry, TotalsResponse,
};
use resource_msgs::credit_token::{
    CreditAccountResponse, ExecuteMsg as TokenExecuteMsg, InstantiateMsg as TokenInstantiateMsg,
    QueryMsg as TokenQueryMsg,
};
use resource_testing::multi::{self, wasm_attr};

/// 6 decimals, as the credit token.
const UNIT: u128 = 1_000_000;
const DAY: u64 = 86_400;

fn clearing_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_clearing::contract::execute,
            resource_clearing::contract::instantiate,
            resource_clearing::contract::query,
        )
        .with_migrate(resource_clearing::contract::migrate),
    )
}

fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        resource_credit_token::contract::execute,
        resource_credit_token::contract::instantiate,
        resource_credit_token::contract::query,
    ))
}

struct Net {
    app: App,
    clearing: Addr,
    token_code: u64,
}

impl Net {
    fn new() -> Net {
        let mut app = App::default();
        let code = app.store_code(clearing_contract());
        let token_code = app.store_code(token_contract());
        let admin = app.api().addr_make("admin");
        let msg = InstantiateMsg { admin: None, credit_token: None, max_entries: None };
        let clearing =
            app.instantiate_contract(code, admin.clone(), &msg, &[], "clearing", Some(admin.into())).unwrap();
        Net { app, clearing, token_code }
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// A business's name from its address (for readable assertions).
    fn name_of(&self, a: &Addr, names: &[&'static str]) -> &'static str {
        names.iter().copied().find(|n| self.addr(n) == *a).unwrap_or_else(|| panic!("unknown address {a}"))
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute(&mut self.app, sender, &self.clearing, msg)
    }

    fn q<R: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.clearing, msg).unwrap()
    }

    /// `creditor` invoices `debtor`; returns the id.
    fn propose(&mut self, creditor: &str, debtor: &str, amount: u128) -> u64 {
        let due = self.app.block_info().time.seconds() + 30 * DAY;
        let msg = ExecuteMsg::Propose { debtor: self.addr(debtor).into(), amount: amount.into(), due, reference: None };
        let r = self.exec(creditor, &msg).unwrap();
        wasm_attr(&r, "obligation_id").parse().unwrap()
    }

    /// `debtor` owes `creditor` `amount`: proposed and accepted.
    fn owe(&mut self, debtor: &str, creditor: &str, amount: u128) -> u64 {
        let id = self.propose(creditor, debtor, amount);
        self.exec(debtor, &ExecuteMsg::Accept { id }).unwrap();
        id
    }

    fn obligation(&self, id: u64) -> ObligationResponse {
        self.q(&QueryMsg::Obligation { id })
    }

    fn totals(&self) -> TotalsResponse {
        self.q(&QueryMsg::Totals {})
    }

    /// Every outstanding obligation, read page by page as an off-chain solver would.
    fn outstanding(&self) -> Vec<Obligation<String>> {
        let mut all = Vec::new();
        let mut start_after = None;
        loop {
            let page: ObligationsResponse = self.q(&QueryMsg::Outstanding { start_after, limit: Some(4) });
            let Some(last) = page.obligations.last() else { return all };
            start_after = Some(last.id);
            all.extend(page.obligations.into_iter().map(|o| Obligation {
                id: o.id,
                debtor: o.debtor.into(),
                creditor: o.creditor.into(),
                amount: o.remaining.u128(),
            }));
        }
    }

    fn submit(&mut self, sender: &str, round: u64, set_off: &SetOff) -> Result<AppResponse, ContractError> {
        let entries = set_off.entries.iter().map(|&e| SetOffEntry::from(e)).collect();
        self.exec(sender, &ExecuteMsg::SubmitSetOff { round, entries })
    }

    /// Submits a set-off that must be rejected with `expected`, and checks that no byte of the
    /// contract's storage changed.
    fn rejected(&mut self, round: u64, entries: Vec<(u64, u128)>, expected: ContractError) {
        let before = self.app.dump_wasm_raw(&self.clearing);
        let entries = entries.into_iter().map(|(id, amount)| SetOffEntry { id, amount: amount.into() }).collect();
        let msg = ExecuteMsg::SubmitSetOff { round, entries };
        let err = self.exec("mallory", &msg).unwrap_err();
        assert_eq!(err, expected, "{msg:?}");
        assert_eq!(self.app.dump_wasm_raw(&self.clearing), before, "{msg:?} changed storage");
    }

    /// A credit token with `fee_bps`; the clearing contract is fee-exempt when `exempt`.
    fn token(&mut self, label: &str, fee_bps: u16, exempt: bool) -> Addr {
        let admin = self.addr("admin");
        let msg = TokenInstantiateMsg {
            name: "Asheville Credit".into(),
            symbol: "AVL".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps,
            fee_collector: self.addr("collector").into(),
            fee_exempt: if exempt { vec![self.clearing.to_string()] } else { vec![] },
            loss_account: self.addr("loss").into(),
            default_grace_period: 30 * DAY,
            did_registry: None,
            min_term: None,
            min_grace_period: None,
        };
        self.app.instantiate_contract(self.token_code, admin, &msg, &[], label, None).unwrap()
    }

    fn line(&mut self, token: &Addr, member: &str, limit: u128) {
        let term_end = self.app.block_info().time.seconds() + 365 * DAY;
        let msg = TokenExecuteMsg::SetCreditLine { member: self.addr(member).into(), limit: limit.into(), term_end };
        self.app.execute_contract(self.addr("admin"), token.clone(), &msg, &[]).unwrap();
    }

    fn balance(&self, token: &Addr, who: &str) -> i128 {
        self.balance_of(token, &self.addr(who))
    }

    fn balance_of(&self, token: &Addr, who: &Addr) -> i128 {
        let r: CreditAccountResponse =
            self.app.wrap().query_wasm_smart(token, &TokenQueryMsg::CreditAccount { address: who.into() }).unwrap();
        r.balance.i128()
    }

    /// `payer` settles `obligation` by sending `amount` through `token`.
    fn settle(&mut self, token: &Addr, payer: &str, obligation: u64, amount: u128) -> anyhow::Result<AppResponse> {
        let msg = TokenExecuteMsg::Send {
            contract: self.clearing.to_string(),
            amount: amount.into(),
            msg: to_json_binary(&ReceiveMsg::SettleWithCredit { obligation }).unwrap(),
        };
        self.app.execute_contract(self.addr(payer), token.clone(), &msg, &[])
    }
}

/// The `wasm-cleared` events of a response: participant -> amount.
fn cleared_events(r: &AppResponse) -> BTreeMap<String, u128> {
    let mut out = BTreeMap::new();
    for e in r.events.iter().filter(|e| e.ty == "wasm-cleared") {
        let get = |k: &str| e.attributes.iter().find(|a| a.key == k).unwrap().value.clone();
        let previous = out.insert(get("participant"), get("amount").parse::<u128>().unwrap());
        assert!(previous.is_none(), "one event per participant");
    }
    out
}

fn net_map(obligations: &[Obligation<String>]) -> BTreeMap<String, i128> {
    core::net_positions(obligations).unwrap().into_iter().filter(|(_, n)| *n != 0).collect()
}

const BUSINESSES: [&str; 7] = ["bakery", "mill", "farm", "brewery", "cafe", "printer", "roaster"];

/// An Asheville-like network: 15 accepted invoices (debtor, creditor, amount) with several cycles
/// (bakery -> mill -> farm -> bakery, cafe -> roaster -> printer -> cafe, farm <-> brewery, ...).
const INVOICES: [(&str, &str, u128); 15] = [
    ("bakery", "mill", 1_200),   // flour
    ("mill", "farm", 900),       // grain
    ("farm", "bakery", 300),     // bread for the farm stand
    ("cafe", "bakery", 650),     // pastries
    ("cafe", "roaster", 800),    // coffee beans
    ("roaster", "printer", 250), // printed bags
    ("printer", "cafe", 180),    // catering
    ("brewery", "farm", 400),    // hops
    ("farm", "brewery", 150),    // spent grain back as feed... sold, not given
    ("bakery", "printer", 120),  // menus
    ("printer", "brewery", 90),  // beer for an open house
    ("brewery", "cafe", 220),    // cold brew for a stout
    ("mill", "bakery", 75),      // day-old bread
    ("roaster", "farm", 60),     // eggs and milk
    ("farm", "roaster", 500),    // coffee for the market stall
];

/// Registers the network through Propose/Accept, plus one invoice left proposed and one cancelled
/// (neither may appear in `Outstanding`). Returns the ids of `INVOICES` in order.
fn register_network(n: &mut Net) -> Vec<u64> {
    let ids: Vec<u64> = INVOICES.iter().map(|&(d, c, amount)| n.owe(d, c, amount * UNIT)).collect();
    n.propose("mill", "cafe", 999 * UNIT);
    let cancelled = n.propose("farm", "cafe", 42 * UNIT);
    n.exec("cafe", &ExecuteMsg::Cancel { id: cancelled }).unwrap();
    ids
}

#[test]
fn a_business_network_is_cleared_with_the_core_solver() {
    let mut n = Net::new();
    let ids = register_network(&mut n);
    let gross: u128 = INVOICES.iter().map(|i| i.2 * UNIT).sum();
    let totals = n.totals();
    assert_eq!((totals.gross_outstanding.u128(), totals.obligations, totals.outstanding_obligations), (gross, 17, 15));

    // Off chain: read the outstanding obligations, solve, submit.
    let before = n.outstanding();
    assert_eq!(before.iter().map(|o| o.id).collect::<Vec<_>>(), ids);
    let set_off = core::solve(&before).unwrap();
    let total = set_off.total();
    // The optimum (unique as a total; the core's property tests check `solve` against an LP): 14 of the
    // 15 invoices are touched, 3,510 of 5,895 cleared without a payment.
    assert_eq!((total, set_off.entries.len()), (3_510 * UNIT, 14), "{set_off:?}");
    let expected_remaining = core::remaining(&before, &set_off).unwrap();
    let verified = core::verify(&before, &set_off).unwrap();

    let r = n.submit("cafe", 1, &set_off).unwrap();
    assert_eq!(wasm_attr(&r, "round"), "1");
    assert_eq!(wasm_attr(&r, "entries"), set_off.entries.len().to_string());
    assert_eq!(wasm_attr(&r, "total_cleared"), total.to_string());

    // One wasm-cleared event per participant, with the core's per-participant amounts; they sum to the
    // total (each entry relieves one debtor, and every participant's two sides are equal).
    let events = cleared_events(&r);
    let expected: BTreeMap<String, u128> = verified.per_participant.into_iter().collect();
    assert_eq!(events, expected);
    assert_eq!(events.values().sum::<u128>(), total);
    assert_eq!(wasm_attr(&r, "participants"), events.len().to_string());

    // Each obligation's remaining amount is the core's.
    let left: BTreeMap<u64, u128> = expected_remaining.iter().map(|o| (o.id, o.amount)).collect();
    for &id in &ids {
        let o = n.obligation(id);
        let want = left.get(&id).copied().unwrap_or(0);
        assert_eq!(o.remaining.u128(), want, "obligation {id}");
        assert_eq!(o.cleared.u128(), o.amount.u128() - want, "obligation {id}");
        let status = if want == 0 { ObligationStatus::Cleared } else { ObligationStatus::Accepted };
        assert_eq!(o.status, status, "obligation {id}");
    }
    assert_eq!(n.outstanding(), expected_remaining);
    assert_eq!(
        n.totals(),
        TotalsResponse {
            gross_outstanding: Uint128::new(gross - total),
            cleared_to_date: Uint128::new(total),
            settled_with_credit_to_date: Uint128::zero(),
            obligations: 17,
            outstanding_obligations: expected_remaining.len() as u64,
            rounds: 1,
        }
    );

    // Nobody's net position moved, and the solution was optimal: nothing is left to clear.
    assert_eq!(net_map(&n.outstanding()), net_map(&before));
    assert!(core::solve(&n.outstanding()).unwrap().entries.is_empty());
    assert_eq!(
        n.submit("cafe", 2, &SetOff::default()).unwrap_err(),
        ContractError::Clearing(ClearingError::EmptySetOff)
    );

    // The round is on record.
    let round: RoundResponse = n.q(&QueryMsg::Round { number: 1 });
    assert_eq!(round.entries, set_off.entries.iter().map(|&e| SetOffEntry::from(e)).collect::<Vec<_>>());
    assert_eq!((round.round.submitter, round.round.total.u128()), (n.addr("cafe"), total));
    assert_eq!(round.round.participants as usize, events.len());
    for name in BUSINESSES {
        let mine: ObligationsResponse =
            n.q(&QueryMsg::ObligationsOf { participant: n.addr(name).into(), start_after: None, limit: None });
        let expected = INVOICES.iter().filter(|i| i.0 == name || i.1 == name).count()
            + usize::from(name == "mill" || name == "cafe")
            + usize::from(name == "farm" || name == "cafe");
        assert_eq!(mine.obligations.len(), expected, "{name}");
        assert!(mine
            .obligations
            .iter()
            .all(|o| [&o.debtor, &o.creditor].iter().any(|p| n.name_of(p, &BUSINESSES) == name)));
    }
}

#[test]
fn adversarial_set_offs_are_rejected_and_change_nothing() {
    let mut n = Net::new();
    // bakery -> mill -> farm -> bakery, 100 each, and cafe -> bakery 50.
    let bm = n.owe("bakery", "mill", 100);
    let mf = n.owe("mill", "farm", 100);
    let fb = n.owe("farm", "bakery", 100);
    let cb = n.owe("cafe", "bakery", 50);
    let proposed = n.propose("cafe", "farm", 100); // farm -> cafe, not accepted
    let cancelled = n.propose("cafe", "farm", 100);
    n.exec("farm", &ExecuteMsg::Cancel { id: cancelled }).unwrap();
    let a = |n: &Net, who: &str| n.addr(who).to_string();

    // The cafe relieved of its debt to the bakery, the bakery getting nothing for it: worse off.
    n.rejected(
        1,
        vec![(cb, 50)],
        ContractError::Clearing(ClearingError::Unbalanced {
            participant: a(&n, "cafe"),
            as_debtor: 50,
            as_creditor: 0,
        }),
    );
    n.rejected(
        1,
        vec![(bm, 100), (mf, 100), (fb, 60)],
        ContractError::Clearing(ClearingError::Unbalanced {
            participant: a(&n, "bakery"),
            as_debtor: 100,
            as_creditor: 60,
        }),
    );
    // Over-cleared.
    n.rejected(
        1,
        vec![(bm, 101), (mf, 101), (fb, 101)],
        ContractError::Clearing(ClearingError::OverCleared { id: bm, outstanding: 100, requested: 101 }),
    );
    // Not accepted, cancelled, unknown.
    n.rejected(
        1,
        vec![(mf, 100), (fb, 100), (proposed, 100)],
        ContractError::Lifecycle(LifecycleError::NotOpen { id: proposed, status: ObligationStatus::Proposed }),
    );
    n.rejected(
        1,
        vec![(cancelled, 100), (mf, 100)],
        ContractError::Lifecycle(LifecycleError::NotOpen { id: cancelled, status: ObligationStatus::Cancelled }),
    );
    n.rejected(1, vec![(bm, 100), (999, 100)], ContractError::Clearing(ClearingError::UnknownObligation { id: 999 }));
    // The same obligation twice (each half balanced with the rest).
    n.rejected(
        1,
        vec![(bm, 50), (mf, 100), (fb, 100), (bm, 50)],
        ContractError::Clearing(ClearingError::DuplicateEntry { id: bm }),
    );
    n.rejected(1, vec![(bm, 0), (mf, 0), (fb, 0)], ContractError::Clearing(ClearingError::ZeroEntry { id: bm }));
    n.rejected(1, vec![], ContractError::Clearing(ClearingError::EmptySetOff));
    n.rejected(2, vec![(bm, 100), (mf, 100), (fb, 100)], ContractError::WrongRound { expected: 1, got: 2 });

    // The honest round goes through; replaying it is refused, also as the next round number.
    let good = vec![(bm, 100), (mf, 100), (fb, 100)];
    let set_off = SetOff { entries: good.iter().map(|&(id, amount)| core::SetOffEntry { id, amount }).collect() };
    n.submit("farm", 1, &set_off).unwrap();
    n.rejected(1, good.clone(), ContractError::WrongRound { expected: 2, got: 1 });
    n.rejected(
        2,
        good,
        ContractError::Lifecycle(LifecycleError::NotOpen { id: bm, status: ObligationStatus::Cleared }),
    );
    let t = n.totals();
    assert_eq!((t.rounds, t.cleared_to_date.u128(), t.gross_outstanding.u128()), (1, 300, 50));

    // A round larger than max_entries.
    n.exec("admin", &ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(1) }).unwrap();
    n.rejected(2, vec![(cb, 1), (cb, 1)], ContractError::TooManyEntries { max: 1, got: 2 });
}

#[test]
fn what_remains_is_settled_with_credit() {
    let mut n = Net::new();
    let ids = register_network(&mut n);
    let original = n.outstanding();
    let set_off = core::solve(&original).unwrap();
    n.submit("bakery", 1, &set_off).unwrap();

    // A 1 % fee network whose token exempts the clearing contract, so it forwards what it receives.
    let token = n.token("avl", 100, true);
    n.exec("admin", &ExecuteMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None }).unwrap();
    let cfg: ConfigResponse = n.q(&QueryMsg::Config {});
    assert_eq!(cfg.credit_token, Some(token.clone()));
    for name in BUSINESSES {
        n.line(&token, name, 10_000 * UNIT);
    }
    let plan = core::settlement_plan(&n.outstanding());
    assert!(!plan.is_empty());
    let first = plan[0].clone();
    let debtor = n.name_of(&Addr::unchecked(&first.from), &BUSINESSES);
    let creditor = n.name_of(&Addr::unchecked(&first.to), &BUSINESSES);
    let stranger = BUSINESSES.iter().copied().find(|b| *b != debtor && *b != creditor).unwrap();

    // Bad settlements: a typed error from the clearing contract, and nothing moves in either contract.
    let other_token = n.token("other", 0, true);
    n.line(&other_token, debtor, 10_000 * UNIT);
    let snapshot =
        |n: &Net| (n.app.dump_wasm_raw(&n.clearing), n.app.dump_wasm_raw(&token), n.app.dump_wasm_raw(&other_token));
    let before = snapshot(&n);
    let cases: Vec<(Addr, &str, u128, ContractError)> = vec![
        (
            token.clone(),
            debtor,
            first.amount - 1,
            ContractError::Lifecycle(LifecycleError::WrongSettlementAmount {
                id: first.obligation,
                remaining: first.amount,
                sent: first.amount - 1,
            }),
        ),
        (
            token.clone(),
            debtor,
            first.amount + 1,
            ContractError::Lifecycle(LifecycleError::WrongSettlementAmount {
                id: first.obligation,
                remaining: first.amount,
                sent: first.amount + 1,
            }),
        ),
        (token.clone(), stranger, first.amount, ContractError::Lifecycle(LifecycleError::NotDebtor)),
        (token.clone(), creditor, first.amount, ContractError::Lifecycle(LifecycleError::NotDebtor)),
        (
            other_token.clone(),
            debtor,
            first.amount,
            ContractError::Unauthorized { role: "the configured credit token (through its Send)" },
        ),
    ];
    for (via, payer, amount, expected) in cases {
        let err: ContractError = n.settle(&via, payer, first.obligation, amount).unwrap_err().downcast().unwrap();
        assert_eq!(err, expected, "{payer} pays {amount} via {via}");
        assert_eq!(snapshot(&n), before, "{expected} moved something");
    }
    // A forged hook straight from the debtor.
    let forged = ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
        sender: n.addr(debtor).into(),
        amount: first.amount.into(),
        msg: to_json_binary(&ReceiveMsg::SettleWithCredit { obligation: first.obligation }).unwrap(),
    });
    assert_eq!(
        n.exec(debtor, &forged).unwrap_err(),
        ContractError::Unauthorized { role: "the configured credit token (through its Send)" }
    );
    assert_eq!(snapshot(&n), before);

    // The good one: the creditor is paid from the debtor's credit line, no fee, obligation settled.
    let r = n.settle(&token, debtor, first.obligation, first.amount).unwrap();
    assert!(r.events.iter().any(|e| e.ty == "wasm" && e.attributes.iter().any(|a| a.value == "settle_with_credit")));
    assert_eq!(n.balance(&token, debtor), -(first.amount as i128));
    assert_eq!(n.balance(&token, creditor), first.amount as i128);
    assert_eq!((n.balance_of(&token, &n.clearing), n.balance(&token, "collector")), (0, 0));
    let o = n.obligation(first.obligation);
    assert_eq!((o.status, o.remaining.u128(), o.settled.u128()), (ObligationStatus::Settled, 0, first.amount));
    // Settling twice is refused.
    let err: ContractError = n.settle(&token, debtor, first.obligation, first.amount).unwrap_err().downcast().unwrap();
    assert_eq!(
        err,
        ContractError::Lifecycle(LifecycleError::NotOpen { id: first.obligation, status: ObligationStatus::Settled })
    );

    // Settle the rest of the plan: afterwards nothing is outstanding and every business's token
    // balance is exactly its net position in the original invoices.
    for p in &plan[1..] {
        let payer = n.name_of(&Addr::unchecked(&p.from), &BUSINESSES);
        n.settle(&token, payer, p.obligation, p.amount).unwrap();
    }
    let settled: u128 = plan.iter().map(|p| p.amount).sum();
    let t = n.totals();
    assert_eq!(
        (t.gross_outstanding.u128(), t.outstanding_obligations, t.settled_with_credit_to_date.u128()),
        (0, 0, settled)
    );
    assert_eq!(t.cleared_to_date.u128() + settled, INVOICES.iter().map(|i| i.2 * UNIT).sum::<u128>());
    assert!(n.outstanding().is_empty());
    let net = net_map(&original);
    for name in BUSINESSES {
        let want = net.get(&n.addr(name).to_string()).copied().unwrap_or(0);
        assert_eq!(n.balance(&token, name), want, "{name}");
    }
    for id in ids {
        let o = n.obligation(id);
        assert!(matches!(o.status, ObligationStatus::Cleared | ObligationStatus::Settled), "{id}: {:?}", o.status);
        assert_eq!(o.cleared + o.settled, o.amount, "{id}");
    }
}

#[test]
fn a_failing_payment_reverts_the_settlement() {
    // The clearing contract is not fee-exempt here: it receives `amount` but would have to pay
    // `amount` plus the fee to the creditor, which it cannot. The whole transaction reverts.
    let mut n = Net::new();
    let id = n.owe("cafe", "roaster", 800 * UNIT);
    let token = n.token("avl", 100, false);
    n.exec("admin", &ExecuteMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None }).unwrap();
    n.line(&token, "cafe", 10_000 * UNIT);
    let before = (n.app.dump_wasm_raw(&n.clearing), n.app.dump_wasm_raw(&token));
    let err = n.settle(&token, "cafe", id, 800 * UNIT).unwrap_err();
    let err: resource_credit_token::ContractError = err.downcast().unwrap();
    assert_eq!(
        err,
        resource_credit_token::ContractError::Ledger(LedgerError::InsufficientCredit {
            available: 800 * UNIT,
            requested: 808 * UNIT
        })
    );
    assert_eq!((n.app.dump_wasm_raw(&n.clearing), n.app.dump_wasm_raw(&token)), before);
    assert_eq!(n.obligation(id).status, ObligationStatus::Accepted);
    assert_eq!(n.totals().gross_outstanding.u128(), 800 * UNIT);
}

#[test]
fn migration_keeps_the_obligations() {
    let mut n = Net::new();
    n.owe("cafe", "roaster", 800);
    let code = n.app.store_code(clearing_contract());
    let before = n.app.dump_wasm_raw(&n.clearing);
    let admin = n.addr("admin");
    let r = n.app.migrate_contract(admin, n.clearing.clone(), &resource_msgs::clearing::MigrateMsg {}, code).unwrap();
    assert_eq!(wasm_attr(&r, "action"), "migrate");
    assert_eq!(n.app.dump_wasm_raw(&n.clearing), before, "migration to the same version changes no record");
    assert_eq!(n.totals().gross_outstanding.u128(), 800);
}
