//! The clearing contract in cw-multi-test: a small business network cleared with the core solver,
//! adversarial set-offs changing nothing, and settling what remains through the real credit token.

use crate::contracts::{clearing_contract, token_contract};
use std::collections::BTreeMap;

use cosmwasm_std::{to_json_binary, Addr, Binary, Uint128};
use cw_multi_test::{App, AppResponse, Executor};

use resource_clearing::ContractError;
use resource_core::clearing::RoundError;
use resource_core::clearing::{self as core, ClearingError, LifecycleError, Obligation, SetOff};
use resource_core::ledger::LedgerError;
use resource_msgs::clearing::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, ObligationResponse, ObligationStatus, ObligationsResponse,
    PendingRoundResponse, QueryMsg, ReceiveMsg, RoundResponse, SetOffEntry, TotalsResponse,
};
use resource_msgs::credit_token::{
    CreditAccountResponse, ExecuteMsg as TokenExecuteMsg, InstantiateMsg as TokenInstantiateMsg,
    QueryMsg as TokenQueryMsg,
};
use resource_testing::multi::{self, wasm_attr};

/// 6 decimals, as the credit token.
const UNIT: u128 = 1_000_000;
const DAY: u64 = 86_400;
/// The clearing contract's submission window in these scenarios.
const WINDOW: u64 = 120;

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
        let msg = InstantiateMsg { admin: None, credit_token: None, max_entries: None, round_window: Some(WINDOW) };
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

    /// `sender` offers `set_off` for the next round.
    fn offer(&mut self, sender: &str, set_off: &SetOff) -> Result<AppResponse, ContractError> {
        let entries = set_off.entries.iter().map(|&e| SetOffEntry::from(e)).collect();
        self.exec(sender, &ExecuteMsg::SubmitSetOff { entries })
    }

    fn pending(&self) -> PendingRoundResponse {
        self.q(&QueryMsg::PendingRound {})
    }

    /// Waits until the pending round's closing time, then `closer` closes it.
    fn close(&mut self, closer: &str) -> Result<AppResponse, ContractError> {
        let closes_at = self.pending().round.expect("a pending round").closes_at;
        let wait = closes_at.saturating_sub(self.app.block_info().time.seconds());
        multi::advance(&mut self.app, wait);
        self.exec(closer, &ExecuteMsg::CloseRound {})
    }

    /// `sender` offers `set_off`, nobody outbids it, and the round is closed: the close's response.
    fn submit(&mut self, sender: &str, set_off: &SetOff) -> Result<AppResponse, ContractError> {
        self.offer(sender, set_off)?;
        self.close("relayer")
    }

    /// Submits a set-off that must be rejected with `expected`, and checks that no byte of the
    /// contract's storage changed.
    fn rejected(&mut self, entries: Vec<(u64, u128)>, expected: ContractError) {
        let before = self.app.dump_wasm_raw(&self.clearing);
        let entries = entries.into_iter().map(|(id, amount)| SetOffEntry { id, amount: amount.into() }).collect();
        let msg = ExecuteMsg::SubmitSetOff { entries };
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

    let r = n.offer("cafe", &set_off).unwrap();
    assert_eq!(wasm_attr(&r, "round"), "1");
    assert_eq!(wasm_attr(&r, "entries"), set_off.entries.len().to_string());
    assert_eq!(wasm_attr(&r, "total"), total.to_string());
    let r = n.close("relayer").unwrap();
    let closed = r.events.iter().find(|e| e.ty == "wasm-round_closed").unwrap();
    assert!(closed.attributes.iter().any(|a| a.key == "outcome" && a.value == "applied"));

    // One wasm-cleared event per participant, with the core's per-participant amounts; they sum to the
    // total (each entry relieves one debtor, and every participant's two sides are equal).
    let events = cleared_events(&r);
    let expected: BTreeMap<String, u128> = verified.per_participant.into_iter().collect();
    assert_eq!(events, expected);
    assert_eq!(events.values().sum::<u128>(), total);
    assert_eq!(n.q::<RoundResponse>(&QueryMsg::Round { number: 1 }).round.participants as usize, events.len());

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
    assert_eq!(n.offer("cafe", &SetOff::default()).unwrap_err(), ContractError::Clearing(ClearingError::EmptySetOff));

    // The round is on record.
    let round: RoundResponse = n.q(&QueryMsg::Round { number: 1 });
    assert_eq!(round.entries, set_off.entries.iter().map(|&e| SetOffEntry::from(e)).collect::<Vec<_>>());
    assert_eq!((round.round.submitter, round.round.total.u128()), (n.addr("cafe"), total));
    assert_eq!(round.round.participants as usize, events.len());
    // Each business lists the invoices it issued or accepted; the cafe's unaccepted proposal from
    // the mill is listed apart, the withdrawn one from the farm only by the farm.
    for name in BUSINESSES {
        let mine: ObligationsResponse =
            n.q(&QueryMsg::ObligationsOf { participant: n.addr(name).into(), start_after: None, limit: None });
        let expected = INVOICES.iter().filter(|i| i.0 == name || i.1 == name).count()
            + usize::from(name == "mill")
            + usize::from(name == "farm");
        let proposals: ObligationsResponse =
            n.q(&QueryMsg::ProposalsTo { debtor: n.addr(name).into(), start_after: None, limit: None });
        assert_eq!(proposals.obligations.len(), usize::from(name == "cafe"), "{name}");
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
        vec![(cb, 50)],
        ContractError::Clearing(ClearingError::Unbalanced {
            participant: a(&n, "cafe"),
            as_debtor: 50,
            as_creditor: 0,
        }),
    );
    n.rejected(
        vec![(bm, 100), (mf, 100), (fb, 60)],
        ContractError::Clearing(ClearingError::Unbalanced {
            participant: a(&n, "bakery"),
            as_debtor: 100,
            as_creditor: 60,
        }),
    );
    // Over-cleared.
    n.rejected(
        vec![(bm, 101), (mf, 101), (fb, 101)],
        ContractError::Clearing(ClearingError::OverCleared { id: bm, outstanding: 100, requested: 101 }),
    );
    // Not accepted, cancelled, unknown.
    n.rejected(
        vec![(mf, 100), (fb, 100), (proposed, 100)],
        ContractError::Lifecycle(LifecycleError::NotOpen { id: proposed, status: ObligationStatus::Proposed }),
    );
    n.rejected(
        vec![(cancelled, 100), (mf, 100)],
        ContractError::Lifecycle(LifecycleError::NotOpen { id: cancelled, status: ObligationStatus::Cancelled }),
    );
    n.rejected(vec![(bm, 100), (999, 100)], ContractError::Clearing(ClearingError::UnknownObligation { id: 999 }));
    // The same obligation twice (each half balanced with the rest).
    n.rejected(
        vec![(bm, 50), (mf, 100), (fb, 100), (bm, 50)],
        ContractError::Clearing(ClearingError::DuplicateEntry { id: bm }),
    );
    n.rejected(vec![(bm, 0), (mf, 0), (fb, 0)], ContractError::Clearing(ClearingError::ZeroEntry { id: bm }));
    n.rejected(vec![], ContractError::Clearing(ClearingError::EmptySetOff));

    // The honest round goes through; replaying it is refused, also as the next round number.
    let good = vec![(bm, 100), (mf, 100), (fb, 100)];
    let set_off = SetOff { entries: good.iter().map(|&(id, amount)| core::SetOffEntry { id, amount }).collect() };
    n.offer("farm", &set_off).unwrap();
    let closes_at = n.pending().round.unwrap().closes_at;
    n.rejected(good.clone(), ContractError::Round(RoundError::NotLarger { round: 1, total: 300, closes_at }));
    n.close("relayer").unwrap();
    n.rejected(good, ContractError::Lifecycle(LifecycleError::NotOpen { id: bm, status: ObligationStatus::Cleared }));
    let t = n.totals();
    assert_eq!((t.rounds, t.cleared_to_date.u128(), t.gross_outstanding.u128()), (1, 300, 50));

    // A round larger than max_entries.
    n.exec("admin", &ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(1), round_window: None })
        .unwrap();
    n.rejected(vec![(cb, 1), (cb, 1)], ContractError::TooManyEntries { max: 1, got: 2 });
}

#[test]
fn what_remains_is_settled_with_credit() {
    let mut n = Net::new();
    let ids = register_network(&mut n);
    let original = n.outstanding();
    let set_off = core::solve(&original).unwrap();
    n.submit("bakery", &set_off).unwrap();

    // A fee-free network whose token exempts the clearing contract. (With a fee the payer pays it on
    // top of its Send, exactly once: the property test in `fee_paths.rs`.)
    let token = n.token("avl", 0, true);
    n.exec(
        "admin",
        &ExecuteMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None, round_window: None },
    )
    .unwrap();
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
    n.exec(
        "admin",
        &ExecuteMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None, round_window: None },
    )
    .unwrap();
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

/// The review's griefing attempt: mallory owns a 2-cycle between two accounts and submits 1-unit
/// rounds, first and again right after the honest submission. The honest round is not made to fail:
/// it replaces mallory's candidate, mallory's smaller ones are refused, and when the round closes the
/// honest one is applied.
#[test]
fn a_strangers_one_unit_rounds_cannot_block_the_honest_round() {
    let mut n = Net::new();
    let ids = register_network(&mut n);
    let m1 = n.owe("mallory", "mallory2", 10);
    let m2 = n.owe("mallory2", "mallory", 10);
    let grief =
        SetOff { entries: vec![core::SetOffEntry { id: m1, amount: 1 }, core::SetOffEntry { id: m2, amount: 1 }] };
    let r = n.offer("mallory", &grief).unwrap();
    assert_eq!(wasm_attr(&r, "round"), "1");
    // The honest solver reads everything outstanding (mallory's cycle included) and outbids.
    let honest = core::solve(&n.outstanding()).unwrap();
    assert!(honest.total() > grief.total());
    multi::advance(&mut n.app, WINDOW / 2);
    let r = n.offer("cafe", &honest).unwrap();
    assert_eq!((wasm_attr(&r, "candidate").as_str(), wasm_attr(&r, "replaced_total").as_str()), ("replaces", "2"));
    let closes_at = n.pending().round.unwrap().closes_at;
    // mallory tries again, and with the honest round's own entries: not more, refused, nothing changes.
    for attempt in [grief.clone(), honest.clone()] {
        let entries: Vec<(u64, u128)> = attempt.entries.iter().map(|e| (e.id, e.amount)).collect();
        n.rejected(entries, ContractError::Round(RoundError::NotLarger { round: 1, total: honest.total(), closes_at }));
    }
    let early = n.exec("mallory", &ExecuteMsg::CloseRound {}).unwrap_err();
    assert!(matches!(early, ContractError::Round(RoundError::StillOpen { round: 1, .. })), "{early:?}");
    // After the window, mallory's next 1-unit submission closes the honest round (applied) and only
    // then opens round 2 with its own leftovers.
    multi::advance(&mut n.app, WINDOW);
    let before_close = n.outstanding();
    assert!(core::verify(&before_close, &honest).is_ok(), "the honest round still holds");
    // (The honest optimum cleared mallory's whole cycle too, so mallory needs a new one.)
    let m3 = n.owe("mallory", "mallory2", 1);
    let m4 = n.owe("mallory2", "mallory", 1);
    let left =
        SetOff { entries: vec![core::SetOffEntry { id: m3, amount: 1 }, core::SetOffEntry { id: m4, amount: 1 }] };
    let r = n.offer("mallory", &left).unwrap();
    let closed = r.events.iter().find(|e| e.ty == "wasm-round_closed").unwrap();
    assert!(closed.attributes.iter().any(|a| a.key == "outcome" && a.value == "applied"));
    assert_eq!(wasm_attr(&r, "round"), "2");
    let round: RoundResponse = n.q(&QueryMsg::Round { number: 1 });
    assert_eq!((round.round.submitter, round.round.total.u128()), (n.addr("cafe"), honest.total()));
    assert_eq!(n.totals().cleared_to_date.u128(), honest.total());
    for id in ids {
        let cleared = honest.entries.iter().find(|e| e.id == id).map_or(0, |e| e.amount);
        assert_eq!(n.obligation(id).cleared.u128(), cleared, "obligation {id}");
    }
}

/// Tokens sent to the clearing contract by mistake are refused on arrival: the whole transaction
/// reverts and the sender keeps its money (a `Send` with another message, from another token, for
/// an unknown or closed obligation, or of the wrong amount).
#[test]
fn tokens_sent_by_mistake_are_refused_and_stay_with_the_sender() {
    let mut n = Net::new();
    let open = n.owe("cafe", "roaster", 800 * UNIT);
    let proposed = n.propose("roaster", "cafe", 50 * UNIT);
    let token = n.token("avl", 0, true);
    let other = n.token("other", 0, true);
    let update =
        ExecuteMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None, round_window: None };
    n.exec("admin", &update).unwrap();
    for t in [&token, &other] {
        n.line(t, "cafe", 10_000 * UNIT);
        // The cafe holds money too, so a mistake would cost it real balance, not only credit.
        let pay = TokenExecuteMsg::Transfer { recipient: n.addr("cafe").into(), amount: (100 * UNIT).into() };
        n.line(t, "roaster", 10_000 * UNIT);
        n.app.execute_contract(n.addr("roaster"), t.clone(), &pay, &[]).unwrap();
    }
    let send = |n: &mut Net, via: &Addr, amount: u128, msg: Binary| {
        let send = TokenExecuteMsg::Send { contract: n.clearing.to_string(), amount: amount.into(), msg };
        n.app.execute_contract(n.addr("cafe"), via.clone(), &send, &[])
    };
    let settle = |id: u64| to_json_binary(&ReceiveMsg::SettleWithCredit { obligation: id }).unwrap();
    let cases: Vec<(&Addr, u128, Binary, &str)> = vec![
        (&token, 800 * UNIT, Binary::from(br#"{"pay_me":{}}"#), "UnknownReceiveMsg"),
        (&token, 800 * UNIT, Binary::default(), "UnknownReceiveMsg"),
        (&other, 800 * UNIT, settle(open), "Unauthorized"),
        (&token, 800 * UNIT, settle(999), "ObligationNotFound"),
        (&token, 50 * UNIT, settle(proposed), "NotOpen"),
        (&token, 799 * UNIT, settle(open), "WrongSettlementAmount"),
    ];
    let snapshot = |n: &Net| {
        (
            n.app.dump_wasm_raw(&n.clearing),
            n.app.dump_wasm_raw(&token),
            n.app.dump_wasm_raw(&other),
            n.balance(&token, "cafe"),
            n.balance(&other, "cafe"),
        )
    };
    let before = snapshot(&n);
    assert_eq!((before.3, before.4), (100 * UNIT as i128, 100 * UNIT as i128));
    for (via, amount, msg, expected) in cases {
        let err: ContractError = send(&mut n, via, amount, msg).unwrap_err().downcast().unwrap();
        assert!(format!("{err:?}").contains(expected), "{err:?} is not {expected}");
        assert_eq!(snapshot(&n), before, "{expected}: something moved");
        assert_eq!(n.balance_of(&token, &n.clearing), 0);
    }
    // A closed obligation: settled once, a second payment is refused the same way.
    send(&mut n, &token, 800 * UNIT, settle(open)).unwrap();
    let after = snapshot(&n);
    let err: ContractError = send(&mut n, &token, 800 * UNIT, settle(open)).unwrap_err().downcast().unwrap();
    assert_eq!(err, ContractError::Lifecycle(LifecycleError::NotOpen { id: open, status: ObligationStatus::Settled }));
    assert_eq!(snapshot(&n), after);
}

/// Both parties together cancel an accepted obligation, and a stranger's proposals never fill a
/// debtor's listing of the obligations it accepted.
#[test]
fn an_accepted_obligation_is_cancelled_by_both_parties_and_proposals_are_listed_apart() {
    let mut n = Net::new();
    let id = n.owe("cafe", "roaster", 800);
    let other = n.owe("cafe", "bakery", 100);
    for _ in 0..40 {
        n.propose("mallory", "cafe", 1);
    }
    let mine: ObligationsResponse =
        n.q(&QueryMsg::ObligationsOf { participant: n.addr("cafe").into(), start_after: None, limit: None });
    assert_eq!(mine.obligations.iter().map(|o| o.id).collect::<Vec<_>>(), vec![id, other]);
    let proposals: ObligationsResponse =
        n.q(&QueryMsg::ProposalsTo { debtor: n.addr("cafe").into(), start_after: None, limit: Some(100) });
    assert_eq!(proposals.obligations.len(), 40);
    assert!(proposals.obligations.iter().all(|o| o.status == ObligationStatus::Proposed));

    n.exec("roaster", &ExecuteMsg::Cancel { id }).unwrap();
    let before = n.app.dump_wasm_raw(&n.clearing);
    for (who, msg) in [
        ("roaster", ExecuteMsg::Cancel { id }),
        ("mallory", ExecuteMsg::Cancel { id }),
        ("cafe", ExecuteMsg::WithdrawCancel { id }),
    ] {
        n.exec(who, &msg).unwrap_err();
        assert_eq!(n.app.dump_wasm_raw(&n.clearing), before, "{who} {msg:?}");
    }
    assert_eq!(n.totals().gross_outstanding.u128(), 900);
    n.exec("cafe", &ExecuteMsg::Cancel { id }).unwrap();
    let o = n.obligation(id);
    assert_eq!((o.status, o.remaining.u128()), (ObligationStatus::Cancelled, 0));
    let t = n.totals();
    assert_eq!((t.gross_outstanding.u128(), t.outstanding_obligations), (100, 1));
    assert_eq!(n.outstanding().iter().map(|o| o.id).collect::<Vec<_>>(), vec![other]);
}
