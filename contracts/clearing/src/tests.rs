//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged).

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, to_json_binary, Binary, CosmosMsg, HexBinary, Response, StdError, Uint128, WasmMsg};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use resource_core::clearing::{ClearingError, LifecycleError};
use resource_testing::{addr, address as a, attr, dump, Harness};

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME, CONTRACT_VERSION, EARLIER_CONTRACT_NAMES};
use crate::error::ContractError;
use resource_msgs::clearing::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, ObligationResponse, ObligationStatus, ObligationsResponse,
    QueryMsg, ReceiveMsg, RoundResponse, RoundsResponse, SetOffEntry, TotalsResponse, DEFAULT_MAX_ENTRIES,
    MAX_ENTRIES_LIMIT,
};

const DAY: u64 = 86_400;

resource_testing::suite_harness!(
    /// The clearing contract on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn inst_msg() -> InstantiateMsg {
    InstantiateMsg { admin: Some(a("admin")), credit_token: Some(a("token")), max_entries: None }
}

fn setup() -> T {
    T(Harness::new(instantiate, execute, query, "creator", inst_msg()))
}

fn entry(id: u64, amount: u128) -> SetOffEntry {
    SetOffEntry { id, amount: Uint128::new(amount) }
}

fn clearing(e: ClearingError) -> ContractError {
    ContractError::Clearing(e)
}

impl T {
    fn propose_msg(&self, debtor: &str, amount: u128) -> ExecuteMsg {
        ExecuteMsg::Propose { debtor: a(debtor), amount: amount.into(), due: self.now() + 30 * DAY, reference: None }
    }

    /// `creditor` proposes, returns the id.
    fn propose(&mut self, creditor: &str, debtor: &str, amount: u128) -> u64 {
        let msg = self.propose_msg(debtor, amount);
        let r = self.exec(creditor, msg).unwrap();
        attr(&r, "obligation_id").parse().unwrap()
    }

    /// `debtor` owes `creditor` `amount`, accepted; returns the id.
    fn owe(&mut self, debtor: &str, creditor: &str, amount: u128) -> u64 {
        let id = self.propose(creditor, debtor, amount);
        self.exec(debtor, ExecuteMsg::Accept { id }).unwrap();
        id
    }

    fn obligation(&self, id: u64) -> ObligationResponse {
        self.q(QueryMsg::Obligation { id })
    }

    fn totals(&self) -> TotalsResponse {
        self.q(QueryMsg::Totals {})
    }

    fn outstanding(&self) -> Vec<u64> {
        let r: ObligationsResponse = self.q(QueryMsg::Outstanding { start_after: None, limit: None });
        r.obligations.iter().map(|o| o.id).collect()
    }

    fn submit(&mut self, round: u64, entries: Vec<SetOffEntry>) -> Result<Response, ContractError> {
        self.exec("anyone", ExecuteMsg::SubmitSetOff { round, entries })
    }

    /// The token's `Send` hook: `payer` sent `amount` with `SettleWithCredit { obligation }`.
    fn hook(obligation: u64, payer: &str, amount: u128) -> ExecuteMsg {
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: a(payer),
            amount: amount.into(),
            msg: to_json_binary(&ReceiveMsg::SettleWithCredit { obligation }).unwrap(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// instantiate and config

#[test]
fn instantiate_stores_config_with_defaults() {
    let mut deps = mock_dependencies();
    let msg = InstantiateMsg { admin: None, credit_token: None, max_entries: None };
    let r = instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), msg).unwrap();
    assert_eq!(attr(&r, "admin"), a("creator"));
    let cfg: ConfigResponse = from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(
        cfg,
        ConfigResponse {
            admin: addr("creator"),
            pending_admin: None,
            credit_token: None,
            max_entries: DEFAULT_MAX_ENTRIES
        }
    );
    let version = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!((version.contract.as_str(), version.version.as_str()), (CONTRACT_NAME, CONTRACT_VERSION));
    let totals: TotalsResponse = from_json(query(deps.as_ref(), mock_env(), QueryMsg::Totals {}).unwrap()).unwrap();
    assert_eq!(totals.obligations, 0);
    assert_eq!(totals.rounds, 0);
}

#[test]
fn instantiate_rejects_bad_input() {
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (
            InstantiateMsg { admin: Some("nope".into()), ..inst_msg() },
            ContractError::InvalidAddress { address: "nope".into() },
        ),
        (
            InstantiateMsg { credit_token: Some("token".into()), ..inst_msg() },
            ContractError::InvalidAddress { address: "token".into() },
        ),
        (
            InstantiateMsg { max_entries: Some(0), ..inst_msg() },
            ContractError::InvalidMaxEntries { max: MAX_ENTRIES_LIMIT },
        ),
        (
            InstantiateMsg { max_entries: Some(MAX_ENTRIES_LIMIT + 1), ..inst_msg() },
            ContractError::InvalidMaxEntries { max: MAX_ENTRIES_LIMIT },
        ),
    ];
    for (msg, expected) in cases {
        let mut deps = mock_dependencies();
        let err = instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), msg).unwrap_err();
        assert_eq!(err, expected);
        assert!(dump(&deps.storage).is_empty());
    }
}

#[test]
fn config_changes_are_admin_only_and_validated() {
    let mut t = setup();
    let update =
        |token: Option<String>, max: Option<u32>| ExecuteMsg::UpdateConfig { credit_token: token, max_entries: max };
    assert_eq!(t.fails("mallory", update(None, Some(5))), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(
        t.fails("admin", update(Some("bad".into()), None)),
        ContractError::InvalidAddress { address: "bad".into() }
    );
    assert_eq!(t.fails("admin", update(None, Some(0))), ContractError::InvalidMaxEntries { max: MAX_ENTRIES_LIMIT });
    t.exec("admin", update(Some(a("token2")), Some(5))).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.credit_token, cfg.max_entries), (Some(addr("token2")), 5));
    // Only the given fields change.
    t.exec("admin", update(None, Some(7))).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.credit_token, cfg.max_entries), (Some(addr("token2")), 7));
}

#[test]
fn admin_handover_is_two_step() {
    let mut t = setup();
    assert_eq!(t.fails("admin", ExecuteMsg::AcceptAdmin {}), ContractError::NoPendingAdmin);
    assert_eq!(
        t.fails("mallory", ExecuteMsg::UpdateAdmin { new_admin: a("mallory") }),
        ContractError::Unauthorized { role: "the admin" }
    );
    assert_eq!(
        t.fails("admin", ExecuteMsg::UpdateAdmin { new_admin: "bad".into() }),
        ContractError::InvalidAddress { address: "bad".into() }
    );
    t.exec("admin", ExecuteMsg::UpdateAdmin { new_admin: a("heir") }).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin.clone(), cfg.pending_admin), (addr("admin"), Some(addr("heir"))));
    assert_eq!(
        t.fails("mallory", ExecuteMsg::AcceptAdmin {}),
        ContractError::Unauthorized { role: "the proposed admin" }
    );
    t.exec("heir", ExecuteMsg::AcceptAdmin {}).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin, cfg.pending_admin), (addr("heir"), None));
    let update = ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(3) };
    assert_eq!(t.fails("admin", update.clone()), ContractError::Unauthorized { role: "the admin" });
    t.exec("heir", update).unwrap();
}

/// Deployed before the rename, the contract is recorded as `crates.io:clearing`: it migrates and is then
/// recorded under the project's own name; another contract's earlier name is still refused.
#[test]
fn a_contract_stored_under_its_old_name_migrates_to_the_new_one() {
    assert_eq!((CONTRACT_NAME, EARLIER_CONTRACT_NAMES), ("resource-on-cosmos:clearing", &["crates.io:clearing"][..]));
    let mut t = setup();
    let refusal = ContractError::CannotMigrate { previous_contract: "crates.io:did-registry".into() };
    t.assert_renamed_contract_migrates(
        migrate,
        MigrateMsg {},
        CONTRACT_NAME,
        EARLIER_CONTRACT_NAMES,
        env!("CARGO_PKG_VERSION"),
        "crates.io:did-registry",
        refusal,
    );
}

#[test]
fn migrate_checks_name_and_version() {
    let mut t = setup();
    let r = migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&r, "to_version"), CONTRACT_VERSION);

    cw2::set_contract_version(&mut t.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    let before = dump(&t.deps.storage);
    let err = migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert_eq!(err, ContractError::CannotMigrateVersion { stored: "99.0.0".into(), new: CONTRACT_VERSION.into() });
    assert_eq!(dump(&t.deps.storage), before);

    cw2::set_contract_version(&mut t.deps.storage, "crates.io:cw20-base", "0.1.0").unwrap();
    let err = migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert_eq!(err, ContractError::CannotMigrate { previous_contract: "crates.io:cw20-base".into() });
}

// ---------------------------------------------------------------------------------------------
// propose, accept, cancel

#[test]
fn propose_registers_a_proposed_obligation() {
    let mut t = setup();
    let due = t.now() + 30 * DAY;
    let reference = HexBinary::from([0xab; 32]);
    let msg = ExecuteMsg::Propose { debtor: a("bob"), amount: 500u128.into(), due, reference: Some(reference.clone()) };
    let r = t.exec("alice", msg).unwrap();
    assert_eq!(attr(&r, "obligation_id"), "1");
    assert_eq!(attr(&r, "creditor"), a("alice"));
    assert_eq!(attr(&r, "debtor"), a("bob"));
    assert_eq!(attr(&r, "amount"), "500");
    assert_eq!(
        t.obligation(1),
        ObligationResponse {
            id: 1,
            debtor: addr("bob"),
            creditor: addr("alice"),
            amount: 500u128.into(),
            remaining: 500u128.into(),
            cleared: Uint128::zero(),
            settled: Uint128::zero(),
            due,
            reference: Some(reference),
            status: ObligationStatus::Proposed,
        }
    );
    assert_eq!(t.propose("bob", "carol", 7), 2);
    // A proposed obligation is not outstanding.
    let totals = t.totals();
    assert_eq!((totals.obligations, totals.gross_outstanding, totals.outstanding_obligations), (2, Uint128::zero(), 0));
    assert!(t.outstanding().is_empty());
    // Both parties see it.
    for (who, ids) in [("alice", vec![1]), ("bob", vec![1, 2]), ("carol", vec![2]), ("dave", vec![])] {
        let r: ObligationsResponse =
            t.q(QueryMsg::ObligationsOf { participant: a(who), start_after: None, limit: None });
        assert_eq!(r.obligations.iter().map(|o| o.id).collect::<Vec<_>>(), ids, "{who}");
    }
}

#[test]
fn propose_rejects_bad_input() {
    let mut t = setup();
    t.propose("alice", "bob", 1); // state to keep unchanged
    let now = t.now();
    let base = |debtor: String, amount: u128, due: u64, reference: Option<HexBinary>| ExecuteMsg::Propose {
        debtor,
        amount: amount.into(),
        due,
        reference,
    };
    let later = now + DAY;
    let cases = vec![
        (base(a("bob"), 0, later, None), ContractError::Lifecycle(LifecycleError::ZeroAmount)),
        (base(a("alice"), 5, later, None), ContractError::Lifecycle(LifecycleError::SelfObligation)),
        (base("bob".into(), 5, later, None), ContractError::InvalidAddress { address: "bob".into() }),
        (base(String::new(), 5, later, None), ContractError::InvalidAddress { address: String::new() }),
        (base(a("bob"), 5, now, None), ContractError::Lifecycle(LifecycleError::DueNotInFuture { due: now, now })),
        (
            base(a("bob"), 5, now - DAY, None),
            ContractError::Lifecycle(LifecycleError::DueNotInFuture { due: now - DAY, now }),
        ),
        (base(a("bob"), 5, later, Some(HexBinary::from([1; 31]))), ContractError::InvalidReference { len: 31 }),
        (base(a("bob"), 5, later, Some(HexBinary::from([1; 33]))), ContractError::InvalidReference { len: 33 }),
        (base(a("bob"), 5, later, Some(HexBinary::from(vec![]))), ContractError::InvalidReference { len: 0 }),
    ];
    for (msg, expected) in cases {
        assert_eq!(t.fails("alice", msg.clone()), expected, "{msg:?}");
    }
    assert_eq!(t.totals().obligations, 1);
}

#[test]
fn accept_is_for_the_debtor_once() {
    let mut t = setup();
    let id = t.propose("alice", "bob", 500);
    assert_eq!(t.fails("alice", ExecuteMsg::Accept { id }), ContractError::Lifecycle(LifecycleError::NotDebtor));
    assert_eq!(t.fails("carol", ExecuteMsg::Accept { id }), ContractError::Lifecycle(LifecycleError::NotDebtor));
    assert_eq!(t.fails("bob", ExecuteMsg::Accept { id: 9 }), ContractError::ObligationNotFound { id: 9 });
    let r = t.exec("bob", ExecuteMsg::Accept { id }).unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "obligation_id"), attr(&r, "amount")), ("accept", "1", "500"));
    assert_eq!(t.obligation(id).status, ObligationStatus::Accepted);
    let totals = t.totals();
    assert_eq!((totals.gross_outstanding.u128(), totals.outstanding_obligations), (500, 1));
    assert_eq!(t.outstanding(), vec![id]);
    assert_eq!(
        t.fails("bob", ExecuteMsg::Accept { id }),
        ContractError::Lifecycle(LifecycleError::NotProposed { id, status: ObligationStatus::Accepted })
    );
}

#[test]
fn cancel_is_for_either_party_before_acceptance() {
    let mut t = setup();
    let by_creditor = t.propose("alice", "bob", 10);
    let by_debtor = t.propose("alice", "bob", 20);
    let accepted = t.owe("bob", "alice", 30);
    assert_eq!(
        t.fails("carol", ExecuteMsg::Cancel { id: by_creditor }),
        ContractError::Lifecycle(LifecycleError::NotParty)
    );
    assert_eq!(t.fails("alice", ExecuteMsg::Cancel { id: 99 }), ContractError::ObligationNotFound { id: 99 });
    let r = t.exec("alice", ExecuteMsg::Cancel { id: by_creditor }).unwrap();
    assert_eq!(attr(&r, "by"), a("alice"));
    t.exec("bob", ExecuteMsg::Cancel { id: by_debtor }).unwrap();
    for id in [by_creditor, by_debtor] {
        let o = t.obligation(id);
        assert_eq!((o.status, o.remaining), (ObligationStatus::Cancelled, Uint128::zero()));
        let cancelled =
            ContractError::Lifecycle(LifecycleError::NotProposed { id, status: ObligationStatus::Cancelled });
        assert_eq!(t.fails("alice", ExecuteMsg::Cancel { id }), cancelled);
        assert_eq!(t.fails("bob", ExecuteMsg::Accept { id }), cancelled);
    }
    for who in ["alice", "bob"] {
        assert_eq!(
            t.fails(who, ExecuteMsg::Cancel { id: accepted }),
            ContractError::Lifecycle(LifecycleError::NotProposed { id: accepted, status: ObligationStatus::Accepted })
        );
    }
    let totals = t.totals();
    assert_eq!((totals.obligations, totals.gross_outstanding.u128(), totals.outstanding_obligations), (3, 30, 1));
}

// ---------------------------------------------------------------------------------------------
// set-off

/// alice -> bob 100, bob -> carol 80, carol -> alice 60 (debtor -> creditor), plus dave -> alice 50.
fn triangle() -> (T, [u64; 4]) {
    let mut t = setup();
    let ids = [
        t.owe("alice", "bob", 100),
        t.owe("bob", "carol", 80),
        t.owe("carol", "alice", 60),
        t.owe("dave", "alice", 50),
    ];
    (t, ids)
}

#[test]
fn set_off_clears_a_cycle_and_records_the_round() {
    let (mut t, [ab, bc, ca, da]) = triangle();
    let r = t.submit(1, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    assert_eq!(
        (
            attr(&r, "action"),
            attr(&r, "round"),
            attr(&r, "entries"),
            attr(&r, "total_cleared"),
            attr(&r, "participants")
        ),
        ("submit_set_off", "1", "3", "180", "3")
    );
    let cleared: Vec<(String, String)> = r
        .events
        .iter()
        .map(|e| {
            assert_eq!(e.ty, "cleared");
            let get = |k: &str| e.attributes.iter().find(|x| x.key == k).unwrap().value.clone();
            assert_eq!(get("round"), "1");
            (get("participant"), get("amount"))
        })
        .collect();
    assert_eq!(cleared, vec![(a("alice"), "60".into()), (a("bob"), "60".into()), (a("carol"), "60".into())]);

    let o = t.obligation(ab);
    assert_eq!((o.remaining.u128(), o.cleared.u128(), o.status), (40, 60, ObligationStatus::Accepted));
    let o = t.obligation(ca);
    assert_eq!((o.remaining.u128(), o.cleared.u128(), o.status), (0, 60, ObligationStatus::Cleared));
    assert_eq!(t.outstanding(), vec![ab, bc, da], "the fully cleared one leaves the open index");
    let totals = t.totals();
    assert_eq!(
        totals,
        TotalsResponse {
            gross_outstanding: Uint128::new(290 - 180),
            cleared_to_date: Uint128::new(180),
            settled_with_credit_to_date: Uint128::zero(),
            obligations: 4,
            outstanding_obligations: 3,
            rounds: 1,
        }
    );
    let round: RoundResponse = t.q(QueryMsg::Round { number: 1 });
    assert_eq!(round.entries, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]);
    assert_eq!(
        (round.round.number, round.round.submitter.clone(), round.round.entries, round.round.total.u128()),
        (1, addr("anyone"), 3, 180)
    );
    assert_eq!((round.round.participants, round.round.height, round.round.time), (3, t.env.block.height, t.now()));

    // The next round clears the rest of the alice -> bob -> carol part... which is no longer a cycle.
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { round: 2, entries: vec![entry(ab, 40), entry(bc, 20)] }),
        clearing(ClearingError::Unbalanced { participant: a("alice"), as_debtor: 40, as_creditor: 0 })
    );
    // A new obligation closes a cycle again: carol -> alice 20.
    let ca2 = t.owe("carol", "alice", 20);
    t.submit(2, vec![entry(ab, 20), entry(bc, 20), entry(ca2, 20)]).unwrap();
    let rounds: RoundsResponse = t.q(QueryMsg::Rounds { start_after: None, limit: None });
    assert_eq!(rounds.rounds.iter().map(|r| (r.number, r.total.u128())).collect::<Vec<_>>(), vec![(1, 180), (2, 60)]);
    let rounds: RoundsResponse = t.q(QueryMsg::Rounds { start_after: Some(1), limit: Some(5) });
    assert_eq!(rounds.rounds.len(), 1);
    assert_eq!(t.totals().cleared_to_date.u128(), 240);
    assert_eq!(t.totals().gross_outstanding.u128(), 290 + 20 - 240);
}

#[test]
fn adversarial_set_offs_are_rejected_and_change_nothing() {
    let (mut t, [ab, bc, ca, da]) = triangle();
    let proposed = t.propose("bob", "alice", 10); // alice would owe bob 10, not accepted
    let cancelled = t.propose("bob", "alice", 10);
    t.exec("alice", ExecuteMsg::Cancel { id: cancelled }).unwrap();
    let ok = || vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)];
    let cases: Vec<(u64, Vec<SetOffEntry>, ContractError)> = vec![
        // dave is paid... no: dave is relieved of 50 of debt without giving up any claim.
        (
            1,
            vec![entry(da, 50)],
            clearing(ClearingError::Unbalanced { participant: a("dave"), as_debtor: 50, as_creditor: 0 }),
        ),
        (
            1,
            vec![entry(ab, 60), entry(bc, 50), entry(ca, 60)],
            clearing(ClearingError::Unbalanced { participant: a("bob"), as_debtor: 50, as_creditor: 60 }),
        ),
        (
            1,
            vec![entry(ab, 70), entry(bc, 70), entry(ca, 70)],
            clearing(ClearingError::OverCleared { id: ca, outstanding: 60, requested: 70 }),
        ),
        (
            1,
            vec![entry(ab, 60), entry(bc, 60), entry(ca, 60), entry(ab, 1)],
            clearing(ClearingError::DuplicateEntry { id: ab }),
        ),
        (1, vec![entry(ab, 0), entry(bc, 60), entry(ca, 60)], clearing(ClearingError::ZeroEntry { id: ab })),
        (1, vec![], clearing(ClearingError::EmptySetOff)),
        (1, vec![entry(ab, 10), entry(77, 10)], clearing(ClearingError::UnknownObligation { id: 77 })),
        (
            1,
            vec![entry(ab, 10), entry(proposed, 10)],
            ContractError::Lifecycle(LifecycleError::NotOpen { id: proposed, status: ObligationStatus::Proposed }),
        ),
        (
            1,
            vec![entry(ab, 10), entry(cancelled, 10)],
            ContractError::Lifecycle(LifecycleError::NotOpen { id: cancelled, status: ObligationStatus::Cancelled }),
        ),
        (0, ok(), ContractError::WrongRound { expected: 1, got: 0 }),
        (2, ok(), ContractError::WrongRound { expected: 1, got: 2 }),
    ];
    for (round, entries, expected) in cases {
        let msg = ExecuteMsg::SubmitSetOff { round, entries };
        assert_eq!(t.fails("mallory", msg.clone()), expected, "{msg:?}");
    }
    t.submit(1, ok()).unwrap();
    // Replay: the same round again, and the same entries as the next round.
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { round: 1, entries: ok() }),
        ContractError::WrongRound { expected: 2, got: 1 }
    );
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { round: 2, entries: ok() }),
        ContractError::Lifecycle(LifecycleError::NotOpen { id: ca, status: ObligationStatus::Cleared })
    );
    // Too many entries.
    t.exec("admin", ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(2) }).unwrap();
    assert_eq!(
        t.fails(
            "anyone",
            ExecuteMsg::SubmitSetOff { round: 2, entries: vec![entry(ab, 1), entry(bc, 1), entry(da, 1)] }
        ),
        ContractError::TooManyEntries { max: 2, got: 3 }
    );
}

#[test]
fn error_messages_name_the_offender() {
    let (mut t, [ab, ..]) = triangle();
    let err = t.fails("anyone", ExecuteMsg::SubmitSetOff { round: 1, entries: vec![entry(ab, 5)] });
    let text = err.to_string();
    assert!(text.contains(&a("alice")) && text.contains("unbalanced"), "{text}");
    let text = ContractError::WrongRound { expected: 3, got: 2 }.to_string();
    assert!(text.contains("submit it as round 3"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// settlement with credit

#[test]
fn settle_with_credit_pays_the_creditor_through_the_token() {
    let (mut t, [ab, bc, ca, _]) = triangle();
    t.submit(1, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    // alice owes bob 40 more.
    let r = t.exec("token", T::hook(ab, "alice", 40)).unwrap();
    assert_eq!(
        r.messages.iter().map(|m| m.msg.clone()).collect::<Vec<_>>(),
        vec![CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: a("token"),
            msg: to_json_binary(&Cw20ExecuteMsg::Transfer { recipient: a("bob"), amount: 40u128.into() }).unwrap(),
            funds: vec![],
        })]
    );
    assert_eq!(
        (attr(&r, "action"), attr(&r, "creditor"), attr(&r, "amount")),
        ("settle_with_credit", a("bob").as_str(), "40")
    );
    let o = t.obligation(ab);
    assert_eq!(
        (o.status, o.remaining.u128(), o.cleared.u128(), o.settled.u128()),
        (ObligationStatus::Settled, 0, 60, 40)
    );
    let totals = t.totals();
    assert_eq!(
        (totals.gross_outstanding.u128(), totals.settled_with_credit_to_date.u128(), totals.outstanding_obligations),
        (20 + 50, 40, 2)
    );
    assert!(!t.outstanding().contains(&ab));
    assert_eq!(
        t.fails("token", T::hook(ab, "alice", 0)),
        ContractError::Lifecycle(LifecycleError::NotOpen { id: ab, status: ObligationStatus::Settled })
    );
}

#[test]
fn settle_with_credit_rejects_bad_input() {
    let (mut t, [ab, bc, ca, _]) = triangle();
    t.submit(1, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    let proposed = t.propose("bob", "alice", 10);
    let cases = vec![
        (
            "mallory",
            T::hook(ab, "alice", 40),
            ContractError::Unauthorized { role: "the configured credit token (through its Send)" },
        ),
        (
            "alice",
            T::hook(ab, "alice", 40),
            ContractError::Unauthorized { role: "the configured credit token (through its Send)" },
        ),
        ("token", T::hook(ab, "carol", 40), ContractError::Lifecycle(LifecycleError::NotDebtor)),
        ("token", T::hook(ab, "bob", 40), ContractError::Lifecycle(LifecycleError::NotDebtor)),
        (
            "token",
            T::hook(ab, "alice", 39),
            ContractError::Lifecycle(LifecycleError::WrongSettlementAmount { id: ab, remaining: 40, sent: 39 }),
        ),
        (
            "token",
            T::hook(ab, "alice", 100),
            ContractError::Lifecycle(LifecycleError::WrongSettlementAmount { id: ab, remaining: 40, sent: 100 }),
        ),
        (
            "token",
            T::hook(ca, "carol", 0),
            ContractError::Lifecycle(LifecycleError::NotOpen { id: ca, status: ObligationStatus::Cleared }),
        ),
        (
            "token",
            T::hook(proposed, "alice", 10),
            ContractError::Lifecycle(LifecycleError::NotOpen { id: proposed, status: ObligationStatus::Proposed }),
        ),
        ("token", T::hook(42, "alice", 10), ContractError::ObligationNotFound { id: 42 }),
    ];
    for (sender, msg, expected) in cases {
        assert_eq!(t.fails(sender, msg.clone()), expected, "{sender} {msg:?}");
    }
    let garbage =
        ExecuteMsg::Receive(Cw20ReceiveMsg { sender: a("alice"), amount: 40u128.into(), msg: Binary::from(b"{}") });
    assert!(matches!(t.fails("token", garbage), ContractError::Std(StdError::ParseErr { .. })));
    // Without a credit token, settlement is off.
    let mut deps = mock_dependencies();
    let msg = InstantiateMsg { credit_token: None, ..inst_msg() };
    instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), msg).unwrap();
    let err =
        execute(deps.as_mut(), mock_env(), message_info(&addr("token"), &[]), T::hook(1, "alice", 1)).unwrap_err();
    assert_eq!(err, ContractError::NoCreditToken);
}

// ---------------------------------------------------------------------------------------------
// queries

#[test]
fn queries_paginate() {
    let mut t = setup();
    // 120 obligations of alice's, every third one accepted.
    for i in 0..120u64 {
        let debtor = if i % 2 == 0 { "bob" } else { "carol" };
        let id = t.propose("alice", debtor, 1 + u128::from(i));
        if i % 3 == 0 {
            t.exec(debtor, ExecuteMsg::Accept { id }).unwrap();
        }
    }
    let of = |t: &T, who: &str, start_after: Option<u64>, limit: Option<u32>| -> Vec<u64> {
        let r: ObligationsResponse = t.q(QueryMsg::ObligationsOf { participant: a(who), start_after, limit });
        r.obligations.iter().map(|o| o.id).collect()
    };
    assert_eq!(of(&t, "alice", None, None), (1..=30).collect::<Vec<_>>(), "default 30");
    assert_eq!(of(&t, "alice", None, Some(500)), (1..=100).collect::<Vec<_>>(), "max 100");
    assert_eq!(of(&t, "alice", Some(100), Some(500)), (101..=120).collect::<Vec<_>>());
    assert_eq!(of(&t, "bob", Some(10), Some(3)), vec![11, 13, 15]);
    let r: ObligationsResponse = t.q(QueryMsg::Outstanding { start_after: Some(100), limit: None });
    assert_eq!(r.obligations.iter().map(|o| o.id).collect::<Vec<_>>(), vec![103, 106, 109, 112, 115, 118]);
    assert!(r.obligations.iter().all(|o| o.status == ObligationStatus::Accepted));
    assert_eq!(t.totals().outstanding_obligations, 40);

    let err = query(t.deps.as_ref(), t.env.clone(), QueryMsg::Obligation { id: 999 }).unwrap_err();
    assert!(err.to_string().contains("obligation 999"), "{err}");
    let err = query(t.deps.as_ref(), t.env.clone(), QueryMsg::Round { number: 1 }).unwrap_err();
    assert!(err.to_string().contains("clearing round 1"), "{err}");
    let err = query(
        t.deps.as_ref(),
        t.env.clone(),
        QueryMsg::ObligationsOf { participant: "bad".into(), start_after: None, limit: None },
    )
    .unwrap_err();
    assert!(err.to_string().contains("`bad` is not a valid address"), "{err}");
}

#[test]
fn storage_stays_flat_per_entry() {
    // A set-off writes one obligation per entry, one open-index removal per fully cleared one, the
    // totals and two round keys: no other key appears or changes.
    let (mut t, [ab, bc, ca, _]) = triangle();
    let before = dump(&t.deps.storage);
    t.submit(1, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    let after = dump(&t.deps.storage);
    let changed: Vec<&Vec<u8>> = after.iter().filter(|kv| !before.contains(kv)).map(|(k, _)| k).collect::<Vec<_>>();
    let removed: Vec<&Vec<u8>> =
        before.iter().filter(|(k, _)| !after.iter().any(|(k2, _)| k2 == k)).map(|(k, _)| k).collect();
    let prefixes: Vec<u8> = changed.iter().map(|k| k[0]).collect();
    assert_eq!(prefixes, vec![b'e', b'o', b'o', b'o', b'r', b't']);
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0][0], b'q');
}
