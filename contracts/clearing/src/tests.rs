//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged).

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, to_json_binary, Binary, CosmosMsg, HexBinary, Response, Uint128, WasmMsg};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use resource_core::clearing::{ClearingError, LifecycleError};
use resource_testing::{addr, address as a, attr, dump, Harness};

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME, CONTRACT_VERSION, EARLIER_CONTRACT_NAMES};
use crate::error::ContractError;
use resource_core::clearing::{RoundError, RoundOutcome};
use resource_msgs::clearing::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, ObligationResponse, ObligationStatus, ObligationsResponse,
    PendingRoundResponse, QueryMsg, ReceiveMsg, RoundResponse, RoundsResponse, SetOffEntry, TotalsResponse,
    DEFAULT_MAX_ENTRIES, DEFAULT_ROUND_WINDOW, MAX_ENTRIES_LIMIT, MAX_ROUND_WINDOW, MIN_ROUND_WINDOW,
};

const DAY: u64 = 86_400;
/// The submission window of the test contract.
const WINDOW: u64 = 60;

resource_testing::suite_harness!(
    /// The clearing contract on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn inst_msg() -> InstantiateMsg {
    InstantiateMsg {
        admin: Some(a("admin")),
        credit_token: Some(a("token")),
        max_entries: None,
        round_window: Some(WINDOW),
    }
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

    /// `sender` offers `entries` for the next round.
    fn offer(&mut self, sender: &str, entries: Vec<SetOffEntry>) -> Result<Response, ContractError> {
        self.exec(sender, ExecuteMsg::SubmitSetOff { entries })
    }

    fn pending(&self) -> PendingRoundResponse {
        self.q(QueryMsg::PendingRound {})
    }

    /// Waits for the pending round's closing time and closes it.
    fn close(&mut self) -> Result<Response, ContractError> {
        let closes_at = self.pending().round.expect("a pending round").closes_at;
        let wait = closes_at.saturating_sub(self.now());
        self.advance(wait);
        self.exec("closer", ExecuteMsg::CloseRound {})
    }

    /// "anyone" offers `entries` and, unopposed, the round is closed: the close's response.
    fn submit(&mut self, entries: Vec<SetOffEntry>) -> Result<Response, ContractError> {
        self.offer("anyone", entries)?;
        self.close()
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
    let msg = InstantiateMsg { admin: None, credit_token: None, max_entries: None, round_window: None };
    let r = instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), msg).unwrap();
    assert_eq!(attr(&r, "admin"), a("creator"));
    let cfg: ConfigResponse = from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(
        cfg,
        ConfigResponse {
            admin: addr("creator"),
            pending_admin: None,
            credit_token: None,
            max_entries: DEFAULT_MAX_ENTRIES,
            round_window: DEFAULT_ROUND_WINDOW,
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
        (
            InstantiateMsg { round_window: Some(0), ..inst_msg() },
            ContractError::Round(RoundError::InvalidWindow { min: MIN_ROUND_WINDOW, max: MAX_ROUND_WINDOW, got: 0 }),
        ),
        (
            InstantiateMsg { round_window: Some(MAX_ROUND_WINDOW + 1), ..inst_msg() },
            ContractError::Round(RoundError::InvalidWindow {
                min: MIN_ROUND_WINDOW,
                max: MAX_ROUND_WINDOW,
                got: MAX_ROUND_WINDOW + 1,
            }),
        ),
        // One account, one spelling: an upper-case address is refused, not stored as typed.
        (
            InstantiateMsg { admin: Some(a("admin").to_uppercase()), ..inst_msg() },
            ContractError::AddressNotNormalized { address: a("admin").to_uppercase() },
        ),
        (
            InstantiateMsg { credit_token: Some(a("token").to_uppercase()), ..inst_msg() },
            ContractError::AddressNotNormalized { address: a("token").to_uppercase() },
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
    let update = |token: Option<String>, max: Option<u32>| ExecuteMsg::UpdateConfig {
        credit_token: token,
        max_entries: max,
        round_window: None,
    };
    assert_eq!(t.fails("mallory", update(None, Some(5))), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(
        t.fails("admin", update(Some("bad".into()), None)),
        ContractError::InvalidAddress { address: "bad".into() }
    );
    assert_eq!(t.fails("admin", update(None, Some(0))), ContractError::InvalidMaxEntries { max: MAX_ENTRIES_LIMIT });
    assert_eq!(
        t.fails("admin", update(Some(a("token2").to_uppercase()), None)),
        ContractError::AddressNotNormalized { address: a("token2").to_uppercase() }
    );
    let window = |w: u64| ExecuteMsg::UpdateConfig { credit_token: None, max_entries: None, round_window: Some(w) };
    assert_eq!(
        t.fails("admin", window(0)),
        ContractError::Round(RoundError::InvalidWindow { min: MIN_ROUND_WINDOW, max: MAX_ROUND_WINDOW, got: 0 })
    );
    assert_eq!(t.fails("mallory", window(5)), ContractError::Unauthorized { role: "the admin" });
    t.exec("admin", window(5)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.round_window, 5);
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
    assert_eq!(
        t.fails("admin", ExecuteMsg::UpdateAdmin { new_admin: a("heir").to_uppercase() }),
        ContractError::AddressNotNormalized { address: a("heir").to_uppercase() }
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
    let update = ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(3), round_window: None };
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
            cancel_requested_by: None,
        }
    );
    assert_eq!(t.propose("bob", "carol", 7), 2);
    // A proposed obligation is not outstanding.
    let totals = t.totals();
    assert_eq!((totals.obligations, totals.gross_outstanding, totals.outstanding_obligations), (2, Uint128::zero(), 0));
    assert!(t.outstanding().is_empty());
    // The creditor lists it among its obligations; the debtor among the proposals awaiting it, and
    // among its obligations only once it accepts.
    let of = |t: &T, who: &str| -> Vec<u64> {
        let r: ObligationsResponse =
            t.q(QueryMsg::ObligationsOf { participant: a(who), start_after: None, limit: None });
        r.obligations.iter().map(|o| o.id).collect()
    };
    let to = |t: &T, who: &str| -> Vec<u64> {
        let r: ObligationsResponse = t.q(QueryMsg::ProposalsTo { debtor: a(who), start_after: None, limit: None });
        r.obligations.iter().map(|o| o.id).collect()
    };
    for (who, mine, proposed) in
        [("alice", vec![1], vec![]), ("bob", vec![2], vec![1]), ("carol", vec![], vec![2]), ("dave", vec![], vec![])]
    {
        assert_eq!((of(&t, who), to(&t, who)), (mine, proposed), "{who}");
    }
    t.exec("bob", ExecuteMsg::Accept { id: 1 }).unwrap();
    assert_eq!((of(&t, "bob"), to(&t, "bob")), (vec![1, 2], vec![]));
    t.exec("carol", ExecuteMsg::Cancel { id: 2 }).unwrap();
    assert_eq!((of(&t, "carol"), to(&t, "carol")), (vec![], vec![]), "a withdrawn proposal awaits nobody");
    assert_eq!(of(&t, "bob"), vec![1, 2], "the creditor keeps it on record");
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
        (
            base(a("bob").to_uppercase(), 5, later, None),
            ContractError::AddressNotNormalized { address: a("bob").to_uppercase() },
        ),
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
    assert_eq!(
        t.fails("carol", ExecuteMsg::Cancel { id: by_creditor }),
        ContractError::Lifecycle(LifecycleError::NotParty)
    );
    assert_eq!(t.fails("alice", ExecuteMsg::Cancel { id: 99 }), ContractError::ObligationNotFound { id: 99 });
    let r = t.exec("alice", ExecuteMsg::Cancel { id: by_creditor }).unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "by")), ("cancel", a("alice").as_str()));
    t.exec("bob", ExecuteMsg::Cancel { id: by_debtor }).unwrap();
    for id in [by_creditor, by_debtor] {
        let o = t.obligation(id);
        assert_eq!((o.status, o.remaining), (ObligationStatus::Cancelled, Uint128::zero()));
        let cancelled =
            ContractError::Lifecycle(LifecycleError::NotCancellable { id, status: ObligationStatus::Cancelled });
        assert_eq!(t.fails("alice", ExecuteMsg::Cancel { id }), cancelled);
        assert_eq!(
            t.fails("bob", ExecuteMsg::Accept { id }),
            ContractError::Lifecycle(LifecycleError::NotProposed { id, status: ObligationStatus::Cancelled })
        );
    }
    let totals = t.totals();
    assert_eq!((totals.obligations, totals.gross_outstanding.u128(), totals.outstanding_obligations), (2, 0, 0));
}

/// An accepted obligation is cancelled by both parties: one asks, the other confirms; the asker may
/// take its request back. Refusals change nothing; the cancelled obligation leaves the totals and the
/// outstanding list and can no longer be cleared or settled.
#[test]
fn both_parties_together_cancel_an_accepted_obligation() {
    let (mut t, [ab, bc, ca, da]) = triangle();
    // Part of it is cleared first: what remains is what the cancellation removes.
    t.submit(vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    assert_eq!(t.obligation(ab).remaining.u128(), 40);
    let refusals = [
        ("mallory", ExecuteMsg::Cancel { id: ab }, ContractError::Lifecycle(LifecycleError::NotParty)),
        ("mallory", ExecuteMsg::WithdrawCancel { id: ab }, ContractError::Lifecycle(LifecycleError::NotParty)),
        (
            "alice",
            ExecuteMsg::WithdrawCancel { id: ab },
            ContractError::Lifecycle(LifecycleError::NoCancelRequest { id: ab }),
        ),
        ("alice", ExecuteMsg::WithdrawCancel { id: 99 }, ContractError::ObligationNotFound { id: 99 }),
    ];
    for (who, msg, expected) in refusals {
        assert_eq!(t.fails(who, msg), expected);
    }

    // The debtor asks, then takes it back; asking twice is refused.
    let r = t.exec("alice", ExecuteMsg::Cancel { id: ab }).unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "by")), ("request_cancel", a("alice").as_str()));
    assert_eq!(t.obligation(ab).cancel_requested_by, Some(addr("alice")));
    assert_eq!(t.obligation(ab).status, ObligationStatus::Accepted, "a request alone changes nothing");
    assert_eq!(
        t.fails("alice", ExecuteMsg::Cancel { id: ab }),
        ContractError::Lifecycle(LifecycleError::CancelAlreadyRequested { id: ab })
    );
    assert_eq!(
        t.fails("bob", ExecuteMsg::WithdrawCancel { id: ab }),
        ContractError::Lifecycle(LifecycleError::NoCancelRequest { id: ab })
    );
    let r = t.exec("alice", ExecuteMsg::WithdrawCancel { id: ab }).unwrap();
    assert_eq!(attr(&r, "action"), "withdraw_cancel");
    assert_eq!(t.obligation(ab).cancel_requested_by, None);

    // The creditor asks, the debtor confirms.
    t.exec("bob", ExecuteMsg::Cancel { id: ab }).unwrap();
    assert_eq!(t.obligation(ab).cancel_requested_by, Some(addr("bob")));
    assert_eq!((t.totals().gross_outstanding.u128(), t.totals().outstanding_obligations), (40 + 20 + 50, 3));
    let r = t.exec("alice", ExecuteMsg::Cancel { id: ab }).unwrap();
    assert_eq!(attr(&r, "action"), "cancel");
    let o = t.obligation(ab);
    assert_eq!(
        (o.status, o.remaining.u128(), o.cleared.u128(), o.cancel_requested_by),
        (ObligationStatus::Cancelled, 0, 60, None)
    );
    let totals = t.totals();
    assert_eq!((totals.gross_outstanding.u128(), totals.outstanding_obligations), (20 + 50, 2));
    assert_eq!(t.outstanding(), vec![bc, da]);
    // No longer clearable, settleable or cancellable.
    let closed = ContractError::Lifecycle(LifecycleError::NotOpen { id: ab, status: ObligationStatus::Cancelled });
    assert_eq!(t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: vec![entry(ab, 1)] }), closed);
    assert_eq!(t.fails("token", T::hook(ab, "alice", 40)), closed);
    assert_eq!(
        t.fails("bob", ExecuteMsg::Cancel { id: ab }),
        ContractError::Lifecycle(LifecycleError::NotCancellable { id: ab, status: ObligationStatus::Cancelled })
    );
    // A fully cleared obligation cannot be cancelled either.
    assert_eq!(
        t.fails("carol", ExecuteMsg::Cancel { id: ca }),
        ContractError::Lifecycle(LifecycleError::NotCancellable { id: ca, status: ObligationStatus::Cleared })
    );
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
    let opened_at = t.now();
    let r = t.offer("anyone", vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    assert_eq!(
        (
            attr(&r, "action"),
            attr(&r, "round"),
            attr(&r, "entries"),
            attr(&r, "total"),
            attr(&r, "participants"),
            attr(&r, "candidate"),
        ),
        ("submit_set_off", "1", "3", "180", "3", "opens_round")
    );
    assert_eq!(attr(&r, "closes_at"), (opened_at + WINDOW).to_string());
    // A candidate changes no obligation and is shown with its closing time.
    assert_eq!(t.obligation(ab).remaining.u128(), 100);
    assert_eq!(t.totals().rounds, 0);
    let pending = t.pending().round.unwrap();
    assert_eq!(
        (
            pending.number,
            pending.submitter,
            pending.total.u128(),
            pending.participants,
            pending.opened_at,
            pending.closes_at
        ),
        (1, addr("anyone"), 180, 3, opened_at, opened_at + WINDOW)
    );
    assert_eq!(pending.entries, vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]);

    let r = t.close().unwrap();
    assert_eq!(attr(&r, "action"), "close_round");
    let closed = r.events.iter().find(|e| e.ty == "round_closed").unwrap();
    let get = |k: &str| closed.attributes.iter().find(|x| x.key == k).unwrap().value.clone();
    assert_eq!(
        (get("round"), get("outcome"), get("total"), get("submitter"), get("closed_by")),
        ("1".into(), "applied".into(), "180".into(), a("anyone"), a("closer"))
    );
    assert_eq!(t.pending(), PendingRoundResponse { round: None });
    let cleared: Vec<(String, String)> = r
        .events
        .iter()
        .filter(|e| e.ty != "round_closed")
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
    assert_eq!(round.round.outcome, RoundOutcome::Applied);
    assert_eq!((round.round.participants, round.round.height, round.round.time), (3, t.env.block.height, t.now()));

    // The next round clears the rest of the alice -> bob -> carol part... which is no longer a cycle.
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: vec![entry(ab, 40), entry(bc, 20)] }),
        clearing(ClearingError::Unbalanced { participant: a("alice"), as_debtor: 40, as_creditor: 0 })
    );
    // A new obligation closes a cycle again: carol -> alice 20.
    let ca2 = t.owe("carol", "alice", 20);
    t.submit(vec![entry(ab, 20), entry(bc, 20), entry(ca2, 20)]).unwrap();
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
    let cases: Vec<(Vec<SetOffEntry>, ContractError)> = vec![
        // dave is paid... no: dave is relieved of 50 of debt without giving up any claim.
        (
            vec![entry(da, 50)],
            clearing(ClearingError::Unbalanced { participant: a("dave"), as_debtor: 50, as_creditor: 0 }),
        ),
        (
            vec![entry(ab, 60), entry(bc, 50), entry(ca, 60)],
            clearing(ClearingError::Unbalanced { participant: a("bob"), as_debtor: 50, as_creditor: 60 }),
        ),
        (
            vec![entry(ab, 70), entry(bc, 70), entry(ca, 70)],
            clearing(ClearingError::OverCleared { id: ca, outstanding: 60, requested: 70 }),
        ),
        (
            vec![entry(ab, 60), entry(bc, 60), entry(ca, 60), entry(ab, 1)],
            clearing(ClearingError::DuplicateEntry { id: ab }),
        ),
        (vec![entry(ab, 0), entry(bc, 60), entry(ca, 60)], clearing(ClearingError::ZeroEntry { id: ab })),
        (vec![], clearing(ClearingError::EmptySetOff)),
        (vec![entry(ab, 10), entry(77, 10)], clearing(ClearingError::UnknownObligation { id: 77 })),
        (
            vec![entry(ab, 10), entry(proposed, 10)],
            ContractError::Lifecycle(LifecycleError::NotOpen { id: proposed, status: ObligationStatus::Proposed }),
        ),
        (
            vec![entry(ab, 10), entry(cancelled, 10)],
            ContractError::Lifecycle(LifecycleError::NotOpen { id: cancelled, status: ObligationStatus::Cancelled }),
        ),
    ];
    for (entries, expected) in cases {
        let msg = ExecuteMsg::SubmitSetOff { entries };
        assert_eq!(t.fails("mallory", msg.clone()), expected, "{msg:?}");
    }
    t.offer("anyone", ok()).unwrap();
    // Replay while pending: the same set-off does not clear more.
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: ok() }),
        ContractError::Round(RoundError::NotLarger { round: 1, total: 180, closes_at: t.now() + WINDOW })
    );
    t.close().unwrap();
    // Replay after the round: its obligations are cleared.
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: ok() }),
        ContractError::Lifecycle(LifecycleError::NotOpen { id: ca, status: ObligationStatus::Cleared })
    );
    assert_eq!(t.fails("anyone", ExecuteMsg::CloseRound {}), ContractError::Round(RoundError::NoPendingRound));
    // Too many entries.
    t.exec("admin", ExecuteMsg::UpdateConfig { credit_token: None, max_entries: Some(2), round_window: None }).unwrap();
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: vec![entry(ab, 1), entry(bc, 1), entry(da, 1)] }),
        ContractError::TooManyEntries { max: 2, got: 3 }
    );
}

#[test]
fn error_messages_name_the_offender() {
    let (mut t, [ab, ..]) = triangle();
    let err = t.fails("anyone", ExecuteMsg::SubmitSetOff { entries: vec![entry(ab, 5)] });
    let text = err.to_string();
    assert!(text.contains(&a("alice")) && text.contains("unbalanced"), "{text}");
    let text = ContractError::Round(RoundError::NotLarger { round: 3, total: 180, closes_at: 9 }).to_string();
    assert!(text.contains("round 3") && text.contains("clearing more than 180"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// settlement with credit

#[test]
fn settle_with_credit_pays_the_creditor_through_the_token() {
    let (mut t, [ab, bc, ca, _]) = triangle();
    t.submit(vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
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
    t.submit(vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
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
    for msg in [&b"{}"[..], b"", br#"{"transfer":{"recipient":"x"}}"#, br#"{"settle_with_credit":{}}"#] {
        let garbage =
            ExecuteMsg::Receive(Cw20ReceiveMsg { sender: a("alice"), amount: 40u128.into(), msg: Binary::from(msg) });
        let err = t.fails("token", garbage);
        assert!(matches!(err, ContractError::UnknownReceiveMsg { .. }), "{err:?}");
        assert!(err.to_string().contains("the tokens stay with the sender"), "{err}");
    }
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
    // bob owes the even ones (ids 1, 3, 5, ...): accepted ones (every third) are his, the others await him.
    assert_eq!(of(&t, "bob", Some(10), Some(3)), vec![13, 19, 25]);
    let to = |t: &T, who: &str, start_after: Option<u64>, limit: Option<u32>| -> Vec<u64> {
        let r: ObligationsResponse = t.q(QueryMsg::ProposalsTo { debtor: a(who), start_after, limit });
        r.obligations.iter().map(|o| o.id).collect()
    };
    assert_eq!(to(&t, "bob", Some(10), Some(3)), vec![11, 15, 17]);
    assert_eq!(to(&t, "carol", None, Some(500)).len(), 40, "60 odd ones, 20 of them accepted");
    assert_eq!(of(&t, "carol", None, Some(500)).len(), 20);
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
    t.submit(vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    let after = dump(&t.deps.storage);
    let changed: Vec<&Vec<u8>> = after.iter().filter(|kv| !before.contains(kv)).map(|(k, _)| k).collect::<Vec<_>>();
    let removed: Vec<&Vec<u8>> =
        before.iter().filter(|(k, _)| !after.iter().any(|(k2, _)| k2 == k)).map(|(k, _)| k).collect();
    let prefixes: Vec<u8> = changed.iter().map(|k| k[0]).collect();
    assert_eq!(prefixes, vec![b'e', b'o', b'o', b'o', b'r', b't']);
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0][0], b'q');
}

#[test]
fn a_submission_writes_only_the_candidate() {
    let (mut t, [ab, bc, ca, _]) = triangle();
    let before = dump(&t.deps.storage);
    t.offer("anyone", vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    let after = dump(&t.deps.storage);
    let changed: Vec<u8> = after.iter().filter(|kv| !before.contains(kv)).map(|(k, _)| k[0]).collect();
    assert_eq!(changed, vec![b'e', b'k']);
    assert_eq!(after.len(), before.len() + 2);
}

// ---------------------------------------------------------------------------------------------
// the round window

/// The griefing attempt of the review: mallory runs a 2-cycle between two of its own accounts and
/// submits 1-unit rounds. They cannot make the honest round fail: the larger round replaces the
/// candidate, and a smaller one cannot replace it back.
#[test]
fn a_strangers_small_round_cannot_block_the_honest_one() {
    let (mut t, [ab, bc, ca, _]) = triangle();
    let m1 = t.owe("mallory", "mallory2", 5);
    let m2 = t.owe("mallory2", "mallory", 5);
    let grief = || vec![entry(m1, 1), entry(m2, 1)];
    let honest = vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)];
    let r = t.offer("mallory", grief()).unwrap();
    assert_eq!(attr(&r, "round"), "1");
    let closes_at = t.now() + WINDOW;
    t.advance(WINDOW - 1);
    // mallory's round also takes one of the honest obligations: still only a candidate.
    let r = t.offer("carol", honest.clone()).unwrap();
    assert_eq!((attr(&r, "round"), attr(&r, "candidate"), attr(&r, "replaced_total")), ("1", "replaces", "2"));
    assert_eq!(attr(&r, "closes_at"), closes_at.to_string(), "replacing does not move the closing time");
    let before = dump(&t.deps.storage);
    for smaller in [grief(), vec![entry(m1, 5), entry(m2, 5)], vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]] {
        assert_eq!(
            t.fails("mallory", ExecuteMsg::SubmitSetOff { entries: smaller }),
            ContractError::Round(RoundError::NotLarger { round: 1, total: 180, closes_at })
        );
    }
    assert_eq!(
        t.fails("mallory", ExecuteMsg::CloseRound {}),
        ContractError::Round(RoundError::StillOpen { round: 1, closes_at, now: closes_at - 1 })
    );
    assert_eq!(dump(&t.deps.storage), before, "refusals change nothing");
    // After the window mallory's next 1-unit submission closes the honest round first, which applies.
    t.advance(1);
    let r = t.offer("mallory", grief()).unwrap();
    let closed = r.events.iter().find(|e| e.ty == "round_closed").unwrap();
    assert!(closed.attributes.iter().any(|x| x.key == "outcome" && x.value == "applied"));
    assert_eq!(attr(&r, "round"), "2", "the 1-unit set-off opens the next round");
    let round: RoundResponse = t.q(QueryMsg::Round { number: 1 });
    assert_eq!((round.round.submitter, round.round.total.u128()), (addr("carol"), 180));
    assert_eq!(round.entries, honest);
    assert_eq!(t.obligation(ca).status, ObligationStatus::Cleared);
    assert_eq!(t.totals().cleared_to_date.u128(), 180);
}

/// A candidate whose obligation is settled (or cancelled) during the window lapses when the round is
/// closed: nothing of it is applied, the round is on record as lapsed, and the next round opens.
#[test]
fn a_candidate_overtaken_by_a_settlement_lapses() {
    let (mut t, [ab, bc, ca, da]) = triangle();
    t.offer("anyone", vec![entry(ab, 60), entry(bc, 60), entry(ca, 60)]).unwrap();
    t.exec("token", T::hook(ca, "carol", 60)).unwrap();
    let before = t.totals();
    let r = t.close().unwrap();
    let closed = r.events.iter().find(|e| e.ty == "round_closed").unwrap();
    let get = |k: &str| closed.attributes.iter().find(|x| x.key == k).unwrap().value.clone();
    assert_eq!(get("outcome"), "lapsed");
    assert!(get("reason").contains(&format!("obligation {ca} is settled")), "{}", get("reason"));
    assert!(r.events.iter().all(|e| e.ty != "cleared"));
    let after = t.totals();
    assert_eq!(
        (after.rounds, after.cleared_to_date, after.gross_outstanding),
        (1, before.cleared_to_date, before.gross_outstanding)
    );
    assert_eq!(t.obligation(ab).remaining.u128(), 100);
    let round: RoundResponse = t.q(QueryMsg::Round { number: 1 });
    assert_eq!((round.round.outcome, round.round.total.u128()), (RoundOutcome::Lapsed, 180));
    assert_eq!(t.outstanding(), vec![ab, bc, da]);
    // The next submission opens round 2.
    let ca2 = t.owe("carol", "alice", 10);
    let r = t.offer("anyone", vec![entry(ab, 10), entry(bc, 10), entry(ca2, 10)]).unwrap();
    assert_eq!(attr(&r, "round"), "2");
}
