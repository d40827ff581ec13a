//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged),
//! with the credit token's queries answered by a mock.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{
    coin, coins, from_json, to_json_binary, BankMsg, Binary, Coin, ContractResult, CosmosMsg, Int128, SystemResult,
    Uint128, WasmMsg, WasmQuery,
};
use std::collections::BTreeMap;

use resource_core::did::{
    Did, DidDocument, DocumentMetadata, Nullifier, ReputationSummary, ResolutionError, ResolutionResult, VerifiedClaim,
};
use resource_core::underwriting::{
    ApplicationPolicy, ApplicationStatus, BackingRules, Price, ScoringParams, UnderwritingError, VouchPolicy,
    VouchStatus,
};
use resource_msgs::credit_token::{self, CreditAccountResponse, CreditLineView, LineStatus, Standing};
use resource_msgs::did_registry::{self, ClaimView, ReputationSummaryResponse, VerifiedClaimsResponse};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationsResponse, ClaimInput, ConfigResponse, ConfigUpdate, Cw20ReceiveMsg, ExecuteMsg,
    InstantiateMsg, MemberExposureResponse, MigrateMsg, PoolResponse, QueryMsg, ReceiveMsg, StakeAsset,
    SuggestionResponse, UnderwriterResponse, VouchResponse, VouchesResponse,
};
use resource_testing::{address as a, attr, dump, Harness};

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME};
use crate::error::ContractError;

const DAY: u64 = 86_400;
const DENOM: &str = "ustake";
const TERM: u64 = 30 * DAY;
const GRACE: u64 = 7 * DAY;

resource_testing::suite_harness!(
    /// The underwriting contract on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn rules() -> BackingRules {
    BackingRules { collateral_ratio_bps: 15_000, price: Price::PAR, min_underwriters: 3, max_share_bps: 4_000 }
}

fn policy() -> ApplicationPolicy {
    ApplicationPolicy { min_term: DAY, max_term: 365 * DAY, open_period: 7 * DAY }
}

fn inst_msg() -> InstantiateMsg {
    InstantiateMsg {
        admin: Some(a("admin")),
        credit_token: a("token"),
        stake_asset: StakeAsset::Native { denom: DENOM.into() },
        rules: rules(),
        policy: policy(),
        unbonding_period: 14 * DAY,
        reserve: a("reserve"),
        did_registry: None,
        require_did: false,
        scoring: Some(ScoringParams::with_unit(1)),
        vouching: Some(VOUCHING),
        credit_period_min_itd: None,
        risk_fee_bps: None,
    }
}

const VOUCHING: VouchPolicy = VouchPolicy { reward_weight_bps: 5_000 };

fn setup() -> T {
    setup_with(inst_msg())
}

fn setup_with(msg: InstantiateMsg) -> T {
    let mut t = T(Harness::new(instantiate, execute, query, "creator", msg));
    t.token_answers(0, 0, None);
    t
}

/// What the mock DID registry holds: per account DID its controllers (`None`: not registered) and
/// whether it is deactivated, its verified claims, its reputation summary.
#[derive(Clone, Default)]
struct Registry {
    documents: BTreeMap<String, (Vec<String>, bool)>,
    claims: BTreeMap<String, Vec<ClaimView>>,
    summaries: BTreeMap<String, ReputationSummary>,
}

fn did_of(name: &str) -> String {
    format!("did:resource:{}:{}", mock_env().block.chain_id, a(name))
}

fn claim(seq: u64, claim_type: &str, predicate: &str, expired: bool, attester_active: bool) -> ClaimView {
    ClaimView {
        seq,
        claim: VerifiedClaim {
            claim_type: claim_type.into(),
            predicate: predicate.into(),
            attester: "did:example:oracle".parse::<Did>().unwrap(),
            nullifier: Nullifier([seq as u8; 32]),
            expires_at: if expired { 1 } else { u64::MAX },
            verified_at: 0,
            verifier: a("verifier"),
        },
        expired,
        attester_active,
    }
}

fn core(e: UnderwritingError) -> ContractError {
    ContractError::Underwriting(e)
}

impl T {
    /// The mock token answers: every `CreditAccount` with `balance` (and a line declarable at
    /// `declarable_at`), `Balance` of anyone with `own_balance`.
    fn token_answers(&mut self, balance: i128, own_balance: u128, declarable_at: Option<u64>) {
        self.answers(balance, own_balance, declarable_at, Registry::default());
    }

    /// The token as [`T::token_answers`], and the DID registry at "registry" with `registry`.
    fn answers(&mut self, balance: i128, own_balance: u128, declarable_at: Option<u64>, registry: Registry) {
        let token = a("token");
        let registry_addr = a("registry");
        self.deps.querier.update_wasm(move |q| {
            let WasmQuery::Smart { contract_addr, msg } = q else { panic!("unexpected query {q:?}") };
            let answer = if contract_addr == &registry_addr {
                match from_json::<did_registry::QueryMsg>(msg).unwrap() {
                    did_registry::QueryMsg::Resolve { did, version_id: None } => {
                        let result = match registry.documents.get(&did) {
                            None => ResolutionResult::failure(ResolutionError::NotFound),
                            Some((controllers, deactivated)) => ResolutionResult {
                                did_document: Some(DidDocument::new(
                                    did.parse().unwrap(),
                                    controllers.iter().map(|c| c.parse().unwrap()).collect(),
                                )),
                                did_document_metadata: DocumentMetadata {
                                    deactivated: deactivated.then_some(true),
                                    ..Default::default()
                                },
                                ..ResolutionResult::failure(ResolutionError::NotFound)
                            },
                        };
                        to_json_binary(&result)
                    }
                    did_registry::QueryMsg::VerifiedClaims { did, start_after, limit: Some(1) } => {
                        let after = start_after.unwrap_or(0);
                        let claims = registry.claims.get(&did).cloned().unwrap_or_default();
                        let claims = claims.into_iter().filter(|c| c.seq > after).take(1).collect();
                        to_json_binary(&VerifiedClaimsResponse { did, claims })
                    }
                    did_registry::QueryMsg::ReputationSummary { did } => {
                        let summary = registry.summaries.get(&did).cloned().unwrap_or_default();
                        to_json_binary(&ReputationSummaryResponse { did, summary })
                    }
                    other => panic!("unexpected registry query {other:?}"),
                }
            } else {
                assert_eq!(contract_addr, &token);
                match from_json::<credit_token::QueryMsg>(msg).unwrap() {
                    credit_token::QueryMsg::CreditAccount { address } => to_json_binary(&CreditAccountResponse {
                        address,
                        balance: Int128::new(balance),
                        available: Uint128::zero(),
                        line: Some(CreditLineView {
                            limit: Uint128::new(1_000),
                            term_start: 0,
                            term_end: 0,
                            grace_period: GRACE,
                            status: LineStatus::Active,
                            default_declarable_at: declarable_at,
                        }),
                        standing: Standing::Good,
                        frozen: false,
                        written_off: Uint128::zero(),
                        reserved: Uint128::zero(),
                        period: None,
                        risk_fee_bps: 0,
                    }),
                    credit_token::QueryMsg::Balance { .. } => {
                        to_json_binary(&cw20::BalanceResponse { balance: Uint128::new(own_balance) })
                    }
                    other => panic!("unexpected token query {other:?}"),
                }
            };
            SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
        });
    }

    fn stake(&mut self, who: &str, amount: u128) {
        self.exec_with(who, &coins(amount, DENOM), ExecuteMsg::Stake {}).unwrap();
    }

    fn apply(&mut self, who: &str, amount: u128) -> u64 {
        let r = self.exec(who, apply_msg(amount, &[], &[])).unwrap();
        attr(&r, "application").parse().unwrap()
    }

    fn back(&mut self, who: &str, id: u64, amount: u128) -> cosmwasm_std::Response {
        self.exec(who, ExecuteMsg::Back { application: id, amount: amount.into() }).unwrap()
    }

    /// A message with `funds` that must fail and change nothing.
    fn fails_with(&mut self, sender: &str, funds: &[Coin], msg: ExecuteMsg) -> ContractError {
        let before = dump(&self.deps.storage);
        let err = self.exec_with(sender, funds, msg).unwrap_err();
        assert_eq!(dump(&self.deps.storage), before, "failed message changed the state: {err}");
        err
    }

    fn underwriter(&self, who: &str) -> UnderwriterResponse {
        self.q(QueryMsg::Underwriter { address: a(who) })
    }

    fn application(&self, id: u64) -> ApplicationResponse {
        self.q(QueryMsg::Application { id })
    }

    /// Three underwriters with 1 000 each, alice applies for 1 000, they back 500 each: approved.
    fn approved(&mut self) -> u64 {
        self.approved_for("alice")
    }

    /// As [`T::approved`], for `member`.
    fn approved_for(&mut self, member: &str) -> u64 {
        for u in ["bob", "carol", "dave"] {
            self.stake(u, 1_000);
        }
        let id = self.apply(member, 1_000);
        for u in ["bob", "carol", "dave"] {
            self.back(u, id, 500);
        }
        id
    }
}

fn apply_msg(amount: u128, claims: &[u64], vouchers: &[&str]) -> ExecuteMsg {
    ExecuteMsg::Apply {
        amount: amount.into(),
        term: TERM,
        claims: claims.to_vec(),
        vouchers: vouchers.iter().map(|v| a(v)).collect(),
    }
}

fn token_msg(msg: &CosmosMsg) -> credit_token::ExecuteMsg {
    let (to, msg) = wasm_exec(msg);
    assert_eq!(to, a("token"));
    from_json(&msg).unwrap()
}

fn wasm_exec(msg: &CosmosMsg) -> (String, Binary) {
    match msg {
        CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds }) => {
            assert!(funds.is_empty());
            (contract_addr.clone(), msg.clone())
        }
        other => panic!("not a wasm execute: {other:?}"),
    }
}

#[test]
fn instantiate_checks_its_configuration() {
    let cfg: ConfigResponse = setup().q(QueryMsg::Config {});
    assert_eq!(
        (cfg.admin.as_str(), cfg.stake_asset, cfg.rules),
        (a("admin").as_str(), StakeAsset::Native { denom: DENOM.into() }, rules())
    );
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (
            InstantiateMsg { rules: BackingRules { min_underwriters: 0, ..rules() }, ..inst_msg() },
            core(UnderwritingError::ZeroMinUnderwriters),
        ),
        (
            InstantiateMsg { policy: ApplicationPolicy { min_term: 0, ..policy() }, ..inst_msg() },
            core(UnderwritingError::InvalidTermRange { min_term: 0, max_term: 365 * DAY }),
        ),
        (
            InstantiateMsg { stake_asset: StakeAsset::Native { denom: String::new() }, ..inst_msg() },
            ContractError::EmptyDenom,
        ),
        (
            InstantiateMsg { stake_asset: StakeAsset::Cw20 { address: "Bad".into() }, ..inst_msg() },
            ContractError::InvalidAddress { address: "Bad".into() },
        ),
        (InstantiateMsg { require_did: true, ..inst_msg() }, ContractError::RequireDidWithoutRegistry),
        (InstantiateMsg { unbonding_period: 0, ..inst_msg() }, ContractError::ZeroUnbondingPeriod),
        (
            InstantiateMsg { reserve: "not an address".into(), ..inst_msg() },
            ContractError::InvalidAddress { address: "not an address".into() },
        ),
    ];
    for (msg, want) in cases {
        let mut deps = mock_dependencies();
        let info = message_info(&resource_testing::addr("creator"), &[]);
        assert_eq!(instantiate(deps.as_mut(), mock_env(), info, msg).unwrap_err(), want);
        assert!(dump(&deps.storage).is_empty());
    }
}

#[test]
fn stake_takes_exactly_one_coin_of_the_denom() {
    let mut t = setup();
    let wrong = ContractError::WrongFunds { denom: DENOM.into() };
    assert_eq!(t.fails_with("bob", &[], ExecuteMsg::Stake {}), wrong);
    assert_eq!(t.fails_with("bob", &coins(5, "other"), ExecuteMsg::Stake {}), wrong);
    assert_eq!(t.fails_with("bob", &[coin(5, DENOM), coin(5, "other")], ExecuteMsg::Stake {}), wrong);
    t.stake("bob", 700);
    t.stake("bob", 300);
    let u = t.underwriter("bob");
    assert_eq!((u.free.u128(), u.locked.u128(), u.exposure.u128()), (1_000, 0, 0));
    // Other messages take no funds.
    let msg = ExecuteMsg::Unbond { amount: 1u128.into() };
    assert_eq!(t.fails_with("bob", &coins(1, DENOM), msg), ContractError::UnexpectedFunds);
}

#[test]
fn unbond_then_claim_after_the_period() {
    let mut t = setup();
    t.stake("bob", 1_000);
    assert_eq!(t.fails("bob", ExecuteMsg::Unbond { amount: 0u128.into() }), core(UnderwritingError::ZeroAmount));
    assert_eq!(
        t.fails("bob", ExecuteMsg::Unbond { amount: 1_001u128.into() }),
        core(UnderwritingError::InsufficientFreeStake { free: 1_000, requested: 1_001 })
    );
    assert_eq!(
        t.fails("carol", ExecuteMsg::Claim {}),
        core(UnderwritingError::NothingToClaim { next_release_at: None })
    );
    t.exec("bob", ExecuteMsg::Unbond { amount: 400u128.into() }).unwrap();
    let release_at = t.now() + 14 * DAY;
    t.advance(14 * DAY - 1);
    assert_eq!(
        t.fails("bob", ExecuteMsg::Claim {}),
        core(UnderwritingError::NothingToClaim { next_release_at: Some(release_at) })
    );
    t.advance(1);
    let r = t.exec("bob", ExecuteMsg::Claim {}).unwrap();
    assert_eq!(r.messages[0].msg, CosmosMsg::Bank(BankMsg::Send { to_address: a("bob"), amount: coins(400, DENOM) }));
    let u = t.underwriter("bob");
    assert_eq!((u.free.u128(), u.unbonding.len()), (600, 0));
}

#[test]
fn apply_checks_amount_term_and_one_active_application() {
    let mut t = setup();
    let zero = apply_msg(0, &[], &[]);
    assert_eq!(t.fails("alice", zero), core(UnderwritingError::ZeroAmount));
    let long = ExecuteMsg::Apply { amount: 10u128.into(), term: 366 * DAY, claims: vec![], vouchers: vec![] };
    assert_eq!(
        t.fails("alice", long),
        core(UnderwritingError::TermOutOfRange { term: 366 * DAY, min_term: DAY, max_term: 365 * DAY })
    );
    let id = t.apply("alice", 1_000);
    assert_eq!(id, 1);
    let again = apply_msg(10, &[], &[]);
    assert_eq!(t.fails("alice", again), ContractError::ActiveApplication { id: 1 });
    let app = t.application(id);
    assert_eq!(
        (app.status, app.required_backing.u128(), app.applicant.as_str()),
        (ApplicationStatus::Open, 1_500, a("alice").as_str())
    );
}

#[test]
fn back_refuses_bad_backing_and_approves_when_the_rules_hold() {
    let mut t = setup();
    for u in ["alice", "bob", "carol", "dave"] {
        t.stake(u, 1_000);
    }
    let id = t.apply("alice", 1_000);
    let back = |id: u64, amount: u128| ExecuteMsg::Back { application: id, amount: amount.into() };
    assert_eq!(t.fails("bob", back(9, 10)), ContractError::ApplicationNotFound { id: 9 });
    assert_eq!(t.fails("alice", back(id, 10)), core(UnderwritingError::SelfBacking));
    assert_eq!(t.fails("bob", back(id, 0)), core(UnderwritingError::ZeroAmount));
    assert_eq!(
        t.fails("erin", back(id, 10)),
        core(UnderwritingError::InsufficientFreeStake { free: 0, requested: 10 })
    );
    assert_eq!(
        t.fails("bob", back(id, 1_001)),
        core(UnderwritingError::InsufficientFreeStake { free: 1_000, requested: 1_001 })
    );
    let r = t.back("bob", id, 500);
    assert_eq!((attr(&r, "approved"), r.messages.len()), ("false", 0));
    t.back("carol", id, 500);
    assert_eq!(t.underwriter("bob").locked.u128(), 500);
    // Covered 1 000 of 1 500 with two: the third approves.
    let r = t.back("dave", id, 500);
    assert_eq!(attr(&r, "approved"), "true");
    let term_end = t.now() + TERM;
    let (to, msg) = wasm_exec(&r.messages[0].msg);
    assert_eq!(to, a("token"));
    assert_eq!(
        from_json::<credit_token::ExecuteMsg>(&msg).unwrap(),
        credit_token::ExecuteMsg::SetCreditLine { member: a("alice"), limit: Uint128::new(1_000), term_end }
    );
    let app = t.application(id);
    assert_eq!(
        (app.status, app.term_end, app.total_backing.u128()),
        (ApplicationStatus::Approved, Some(term_end), 1_500)
    );
    assert_eq!(t.underwriter("dave").exposure.u128(), 500);
    let pool: PoolResponse = t.q(QueryMsg::Pool {});
    assert_eq!(pool.total_exposure.u128(), 1_500);
    // Approved: no more backing, no withdrawal.
    assert_eq!(t.fails("bob", back(id, 1)), core(UnderwritingError::NotOpen { status: ApplicationStatus::Approved }));
    let w = ExecuteMsg::Withdraw { application: id, amount: 1u128.into() };
    assert_eq!(t.fails("bob", w), core(UnderwritingError::BackingLocked));
}

#[test]
fn withdraw_before_approval() {
    let mut t = setup();
    t.stake("bob", 1_000);
    let id = t.apply("alice", 1_000);
    t.back("bob", id, 400);
    let w = |id: u64, amount: u128| ExecuteMsg::Withdraw { application: id, amount: amount.into() };
    assert_eq!(t.fails("bob", w(7, 1)), ContractError::ApplicationNotFound { id: 7 });
    assert_eq!(t.fails("carol", w(id, 1)), core(UnderwritingError::NotABacker));
    assert_eq!(
        t.fails("bob", w(id, 401)),
        core(UnderwritingError::WithdrawAboveBacking { backing: 400, requested: 401 })
    );
    assert_eq!(t.fails("bob", w(id, 0)), core(UnderwritingError::ZeroAmount));
    t.exec("bob", w(id, 400)).unwrap();
    let u = t.underwriter("bob");
    assert_eq!((u.free.u128(), u.locked.u128()), (1_000, 0));
    assert!(t.application(id).backers.is_empty());
}

#[test]
fn settle_releases_on_repayment() {
    let mut t = setup();
    let id = t.approved();
    assert_eq!(t.fails("anyone", ExecuteMsg::Settle { application: 5 }), ContractError::ApplicationNotFound { id: 5 });
    let term_end = t.now() + TERM;
    assert_eq!(
        t.fails("anyone", ExecuteMsg::Settle { application: id }),
        core(UnderwritingError::TermRunning { term_end })
    );
    t.advance(TERM);
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    assert_eq!((attr(&r, "outcome"), r.messages.len()), ("repaid", 0));
    for u in ["bob", "carol", "dave"] {
        let s = t.underwriter(u);
        assert_eq!((s.free.u128(), s.locked.u128(), s.exposure.u128()), (1_000, 0, 0));
    }
    assert_eq!(t.application(id).status, ApplicationStatus::Repaid);
    assert_eq!(
        t.fails("anyone", ExecuteMsg::Settle { application: id }),
        core(UnderwritingError::NotApproved { status: ApplicationStatus::Repaid })
    );
    // The member may apply again.
    assert_eq!(t.apply("alice", 100), 2);
    let page: ApplicationsResponse =
        t.q(QueryMsg::Applications { status: ApplicationStatus::Repaid, start_after: None, limit: None });
    assert_eq!(page.applications.iter().map(|a| a.id).collect::<Vec<_>>(), [1]);
}

#[test]
fn settle_slashes_on_default_once_declarable() {
    let mut t = setup();
    let id = t.approved();
    t.advance(TERM);
    let declarable_at = t.now() + GRACE;
    t.token_answers(-600, 0, Some(declarable_at));
    assert_eq!(
        t.fails("anyone", ExecuteMsg::Settle { application: id }),
        ContractError::DefaultNotDeclarableYet { debt: 600, declarable_at }
    );
    t.advance(GRACE);
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    assert_eq!(attr(&r, "outcome"), "defaulted");
    let (to, msg) = wasm_exec(&r.messages[0].msg);
    assert_eq!(
        (to, from_json::<credit_token::ExecuteMsg>(&msg).unwrap()),
        (a("token"), credit_token::ExecuteMsg::DeclareDefault { member: a("alice") })
    );
    assert_eq!(
        r.messages[1].msg,
        CosmosMsg::Bank(BankMsg::Send { to_address: a("reserve"), amount: coins(600, DENOM) })
    );
    for u in ["bob", "carol", "dave"] {
        let s = t.underwriter(u);
        assert_eq!((s.free.u128(), s.locked.u128(), s.slashed.u128(), s.exposure.u128()), (800, 0, 200, 0));
    }
    assert_eq!(t.application(id).status, ApplicationStatus::Defaulted);
}

#[test]
fn fees_are_shared_by_exposure_and_claimed() {
    let mut t = setup();
    assert_eq!(t.fails("anyone", ExecuteMsg::DistributeFees {}), ContractError::NoNewFees { balance: 0 });
    assert_eq!(t.fails("bob", ExecuteMsg::ClaimRewards {}), core(UnderwritingError::NoRewards));
    // Fees before anyone is exposed go to the reserve.
    t.token_answers(0, 5, None);
    let r = t.exec("anyone", ExecuteMsg::DistributeFees {}).unwrap();
    let (to, msg) = wasm_exec(&r.messages[0].msg);
    assert_eq!(
        (to, from_json::<credit_token::ExecuteMsg>(&msg).unwrap()),
        (a("token"), credit_token::ExecuteMsg::Transfer { recipient: a("reserve"), amount: Uint128::new(5) })
    );
    // The token moved the 5 out: the balance is back to 0.
    t.token_answers(0, 0, None);
    t.approved();
    t.token_answers(0, 31, None);
    t.exec("anyone", ExecuteMsg::DistributeFees {}).unwrap();
    assert_eq!(t.fails("anyone", ExecuteMsg::DistributeFees {}), ContractError::NoNewFees { balance: 31 });
    assert_eq!(t.underwriter("bob").rewards.u128(), 10);
    let r = t.exec("bob", ExecuteMsg::ClaimRewards {}).unwrap();
    let (_, msg) = wasm_exec(&r.messages[0].msg);
    assert_eq!(
        from_json::<credit_token::ExecuteMsg>(&msg).unwrap(),
        credit_token::ExecuteMsg::Transfer { recipient: a("bob"), amount: Uint128::new(10) }
    );
    assert_eq!(t.fails("bob", ExecuteMsg::ClaimRewards {}), core(UnderwritingError::NoRewards));
    // After bob's 10 left, the balance is 21 and the contract accounts 21.
    t.token_answers(0, 21, None);
    assert_eq!(t.fails("anyone", ExecuteMsg::DistributeFees {}), ContractError::NoNewFees { balance: 21 });
    t.token_answers(0, 20, None);
    assert_eq!(
        t.fails("anyone", ExecuteMsg::DistributeFees {}),
        ContractError::BalanceBelowAccounted { balance: 20, accounted: 21 }
    );
    let pool: PoolResponse = t.q(QueryMsg::Pool {});
    assert_eq!((pool.fees_received.u128(), pool.fees_to_reserve.u128(), pool.rewards_paid.u128()), (36, 5, 10));
}

#[test]
fn applications_by_status_are_paginated() {
    let mut t = setup();
    for m in ["m1", "m2", "m3"] {
        t.apply(m, 10);
    }
    let page = |t: &T, start_after, limit| -> Vec<u64> {
        let r: ApplicationsResponse =
            t.q(QueryMsg::Applications { status: ApplicationStatus::Open, start_after, limit });
        r.applications.iter().map(|a| a.id).collect()
    };
    assert_eq!(page(&t, None, Some(2)), [1, 2]);
    assert_eq!(page(&t, Some(2), None), [3]);
    assert!(t.query(QueryMsg::Application { id: 4 }).is_err());
}

#[test]
fn migrate_refuses_another_contract() {
    let mut t = setup();
    t.migrate(migrate, MigrateMsg {}).unwrap();
    assert_eq!(cw2::get_contract_version(&t.deps.storage).unwrap().contract, CONTRACT_NAME);
    cw2::set_contract_version(&mut t.deps.storage, "resource-on-cosmos:clearing", "0.1.0").unwrap();
    assert_eq!(
        t.migrate(migrate, MigrateMsg {}).unwrap_err(),
        ContractError::CannotMigrate { previous_contract: "resource-on-cosmos:clearing".into() }
    );
}

fn with_registry() -> InstantiateMsg {
    InstantiateMsg { did_registry: Some(a("registry")), ..inst_msg() }
}

fn registry_of(docs: &[(&str, &[&str], bool)]) -> Registry {
    let mut r = Registry::default();
    for (name, controllers, deactivated) in docs {
        let controllers = controllers.iter().map(|c| did_of(c)).collect();
        r.documents.insert(did_of(name), (controllers, *deactivated));
    }
    r
}

#[test]
fn instantiate_reads_the_token_decimals_for_default_scoring() {
    let mut deps = mock_dependencies();
    deps.querier.update_wasm(|q| {
        let WasmQuery::Smart { msg, .. } = q else { panic!("unexpected query {q:?}") };
        assert_eq!(from_json::<credit_token::QueryMsg>(msg).unwrap(), credit_token::QueryMsg::TokenInfo {});
        let info = cw20::TokenInfoResponse {
            name: "Credit".into(),
            symbol: "rUSD".into(),
            decimals: 6,
            total_supply: Uint128::zero(),
        };
        SystemResult::Ok(ContractResult::Ok(to_json_binary(&info).unwrap()))
    });
    let info = message_info(&resource_testing::addr("creator"), &[]);
    instantiate(deps.as_mut(), mock_env(), info, InstantiateMsg { scoring: None, vouching: None, ..inst_msg() })
        .unwrap();
    let cfg: ConfigResponse = from_json(query(deps.as_ref(), mock_env(), QueryMsg::Config {}).unwrap()).unwrap();
    assert_eq!(cfg.scoring, ScoringParams::with_unit(1_000_000));
    assert_eq!(cfg.vouching, crate::contract::DEFAULT_VOUCH_POLICY);
}

#[test]
fn cw20_stake_arrives_through_the_hook_and_leaves_as_transfers() {
    let mut t = setup_with(InstantiateMsg { stake_asset: StakeAsset::Cw20 { address: a("stoken") }, ..inst_msg() });
    let hook = |sender: &str, amount: u128, msg: Binary| {
        ExecuteMsg::Receive(Cw20ReceiveMsg { sender: a(sender), amount: amount.into(), msg })
    };
    let stake_msg = to_json_binary(&ReceiveMsg::Stake {}).unwrap();
    assert_eq!(
        t.fails_with("bob", &coins(5, DENOM), ExecuteMsg::Stake {}),
        ContractError::StakeThroughCw20 { token: a("stoken") }
    );
    assert_eq!(
        t.fails("other-token", hook("bob", 5, stake_msg.clone())),
        ContractError::WrongStakeToken { expected: a("stoken"), sent_by: a("other-token") }
    );
    assert!(matches!(
        t.fails("stoken", hook("bob", 5, Binary::from(b"{\"unstake\":{}}".to_vec()))),
        ContractError::UnknownReceiveMsg { .. }
    ));
    assert_eq!(t.fails("stoken", hook("bob", 0, stake_msg.clone())), core(UnderwritingError::ZeroAmount));
    t.exec("stoken", hook("bob", 700, stake_msg.clone())).unwrap();
    assert_eq!(t.underwriter("bob").free.u128(), 700);
    t.exec("bob", ExecuteMsg::Unbond { amount: 200u128.into() }).unwrap();
    t.advance(14 * DAY);
    let r = t.exec("bob", ExecuteMsg::Claim {}).unwrap();
    let (to, msg) = wasm_exec(&r.messages[0].msg);
    assert_eq!(
        (to, from_json::<cw20::Cw20ExecuteMsg>(&msg).unwrap()),
        (a("stoken"), cw20::Cw20ExecuteMsg::Transfer { recipient: a("bob"), amount: Uint128::new(200) })
    );
    // A native network refuses the hook.
    let mut native = setup();
    assert_eq!(
        native.fails("stoken", hook("bob", 5, stake_msg)),
        ContractError::StakeWithCoins { denom: DENOM.into() }
    );
}

#[test]
fn expire_and_reject_release_the_backing() {
    let mut t = setup();
    t.stake("bob", 1_000);
    let id = t.apply("alice", 1_000);
    t.back("bob", id, 400);
    let expire = ExecuteMsg::Expire { application: id };
    let expires_at = t.application(id).expires_at;
    assert_eq!(t.fails("anyone", expire.clone()), core(UnderwritingError::NotExpiredYet { expires_at }));
    assert_eq!(t.fails("anyone", ExecuteMsg::Expire { application: 9 }), ContractError::ApplicationNotFound { id: 9 });
    assert_eq!(
        t.fails("carol", ExecuteMsg::Reject { application: id }),
        ContractError::Unauthorized { role: "the admin or the applicant" }
    );
    // Past its open period it can no longer be backed, and anyone may expire it.
    t.advance(7 * DAY + 1);
    assert_eq!(
        t.fails("bob", ExecuteMsg::Back { application: id, amount: 1u128.into() }),
        core(UnderwritingError::ApplicationExpired { expires_at })
    );
    let r = t.exec("anyone", expire.clone()).unwrap();
    assert_eq!(attr(&r, "released"), "400");
    assert_eq!((t.application(id).status, t.underwriter("bob").free.u128()), (ApplicationStatus::Expired, 1_000));
    assert_eq!(t.fails("anyone", expire), core(UnderwritingError::NotOpen { status: ApplicationStatus::Expired }));
    // The applicant may apply again, and reject its own application; the admin may reject any.
    let id = t.apply("alice", 500);
    t.back("bob", id, 100);
    t.exec("alice", ExecuteMsg::Reject { application: id }).unwrap();
    assert_eq!((t.application(id).status, t.underwriter("bob").locked.u128()), (ApplicationStatus::Rejected, 0));
    let id = t.apply("alice", 500);
    t.exec("admin", ExecuteMsg::Reject { application: id }).unwrap();
    let page: ApplicationsResponse =
        t.q(QueryMsg::Applications { status: ApplicationStatus::Rejected, start_after: None, limit: None });
    assert_eq!(page.applications.len(), 2);
    // An approved application cannot be rejected.
    let id = t.approved_for("erin");
    assert_eq!(
        t.fails("admin", ExecuteMsg::Reject { application: id }),
        core(UnderwritingError::NotOpen { status: ApplicationStatus::Approved })
    );
}

#[test]
fn accounts_sharing_a_did_controller_count_as_one_party() {
    let mut t = setup_with(with_registry());
    // bob and carol are both controlled by boss; alice by herself (no controller listed); dave
    // has no DID (his address is his identity).
    let registry = registry_of(&[("bob", &["boss"], false), ("carol", &["boss"], false), ("alice", &[], false)]);
    t.answers(0, 0, None, registry.clone());
    for u in ["bob", "carol", "dave", "boss"] {
        t.stake(u, 1_000);
    }
    let id = t.apply("alice", 1_000);
    for u in ["bob", "carol", "dave"] {
        let r = t.back(u, id, 500);
        assert_eq!(attr(&r, "approved"), "false");
    }
    // Three addresses, two parties: not approvable, and the pending reason says so.
    let r = t.back("dave", id, 1);
    assert_eq!(attr(&r, "pending"), UnderwritingError::TooFewUnderwriters { distinct: 2, min: 3 }.to_string());
    // The controller itself is the same party as the accounts it controls.
    t.answers(0, 0, None, registry_of(&[("erin", &["bob"], false)]));
    let id2 = t.apply("erin", 100);
    assert_eq!(
        t.fails("bob", ExecuteMsg::Back { application: id2, amount: 1u128.into() }),
        core(UnderwritingError::SelfBacking)
    );
    // Several controllers, a deactivated DID, a missing DID where one is required: refused.
    t.answers(0, 0, None, registry_of(&[("bob", &["boss", "carol"], false), ("carol", &["carol"], true)]));
    let back = |amount: u128| ExecuteMsg::Back { application: id, amount: amount.into() };
    assert_eq!(t.fails("bob", back(1)), ContractError::SeveralControllers { did: did_of("bob"), count: 2 });
    assert_eq!(t.fails("carol", back(1)), ContractError::DidDeactivated { did: did_of("carol") });
    t.exec("admin", ExecuteMsg::UpdateConfig(Box::new(ConfigUpdate { require_did: Some(true), ..Default::default() })))
        .unwrap();
    assert_eq!(t.fails("dave", back(1)), ContractError::DidRequired { did: did_of("dave") });
}

#[test]
fn presented_claims_make_the_suggestion() {
    let mut t = setup_with(with_registry());
    let mut registry = Registry::default();
    registry.claims.insert(
        did_of("alice"),
        vec![
            claim(1, "platform_rating", "rating>=46;reviews>=50", false, true),
            claim(2, "revenue_band", "band>=2", true, true),
            claim(3, "months_active", "months>=18", false, false),
            claim(4, "months_active", "months>=18", false, true),
        ],
    );
    registry.summaries.insert(did_of("alice"), ReputationSummary { repaid_on_time: 2, ..Default::default() });
    t.answers(0, 0, None, registry);
    assert_eq!(t.fails("alice", apply_msg(100, &[2], &[])), ContractError::ClaimExpired { seq: 2, expires_at: 1 });
    assert_eq!(
        t.fails("alice", apply_msg(100, &[3], &[])),
        ContractError::ClaimAttesterRevoked { seq: 3, attester: "did:example:oracle".into() }
    );
    assert_eq!(
        t.fails("alice", apply_msg(100, &[9], &[])),
        ContractError::ClaimNotFound { did: did_of("alice"), seq: 9 }
    );
    assert_eq!(t.fails("alice", apply_msg(100, &[1, 1], &[])), ContractError::DuplicateClaim { seq: 1 });
    assert_eq!(
        t.fails("alice", apply_msg(100, &[1; 9], &[])),
        ContractError::TooManyClaims { max: crate::identity::MAX_CLAIMS, given: 9 }
    );
    let r = t.exec("alice", apply_msg(100, &[1, 4], &[])).unwrap();
    let id: u64 = attr(&r, "application").parse().unwrap();
    // The what-if query with the same claims and alice's history gives the same suggestion.
    let claims = vec![
        ClaimInput { claim_type: "platform_rating".into(), predicate: "rating>=46;reviews>=50".into() },
        ClaimInput { claim_type: "months_active".into(), predicate: "months>=18".into() },
    ];
    let what_if: SuggestionResponse = t.q(QueryMsg::SuggestedLimit { claims, member: Some(a("alice")) });
    // 100 base + 200 rating + 180 tenure + 2 * 50 on time.
    assert_eq!(what_if.limit.u128(), 580);
    assert_eq!(t.application(id).suggestion, what_if);
    assert_eq!(attr(&r, "suggested_limit"), "580");
    // Without a registry, claims cannot be checked.
    let mut plain = setup();
    assert_eq!(plain.fails("alice", apply_msg(100, &[1], &[])), ContractError::ClaimsNeedRegistry);
    let none: SuggestionResponse = plain.q(QueryMsg::SuggestedLimit { claims: vec![], member: None });
    assert_eq!(none.limit.u128(), 100);
}

#[test]
fn vouches_reserve_credit_and_are_kept_on_repayment() {
    let mut t = setup();
    let vouch = |newcomer: &str, amount: u128| ExecuteMsg::Vouch { newcomer: a(newcomer), amount: amount.into() };
    assert_eq!(t.fails("erin", vouch("erin", 10)), core(UnderwritingError::VouchForSelf));
    assert_eq!(t.fails("erin", vouch("alice", 0)), core(UnderwritingError::ZeroAmount));
    let r = t.exec("erin", vouch("alice", 300)).unwrap();
    assert_eq!(
        token_msg(&r.messages[0].msg),
        credit_token::ExecuteMsg::ReserveCredit { member: a("erin"), newcomer: a("alice"), amount: Uint128::new(300) }
    );
    assert_eq!(attr(&r, "exposure"), "150");
    assert_eq!(
        t.fails("erin", vouch("alice", 5)),
        ContractError::AlreadyVouching { newcomer: a("alice"), amount: 300 }
    );
    // A member without a vouch cannot be named; a voucher cannot back.
    assert_eq!(
        t.fails("alice", apply_msg(1_000, &[], &["frank"])),
        ContractError::NoVouch { voucher: a("frank"), newcomer: a("alice") }
    );
    for u in ["bob", "carol", "dave", "erin"] {
        t.stake(u, 1_000);
    }
    let id: u64 = attr(&t.exec("alice", apply_msg(1_000, &[], &["erin"])).unwrap(), "application").parse().unwrap();
    assert_eq!(
        t.fails("erin", ExecuteMsg::Back { application: id, amount: 1u128.into() }),
        core(UnderwritingError::VoucherBacking)
    );
    assert_eq!(
        t.fails("erin", ExecuteMsg::CancelVouch { newcomer: a("alice") }),
        ContractError::VouchInUse { voucher: a("erin"), application: id }
    );
    for u in ["bob", "carol", "dave"] {
        t.back(u, id, 500);
    }
    let exposure: MemberExposureResponse = t.q(QueryMsg::MemberExposure { member: a("alice") });
    assert_eq!(
        (
            exposure.application,
            exposure.line.u128(),
            exposure.backing.u128(),
            exposure.backers,
            exposure.vouched_for.u128()
        ),
        (Some(id), 1_000, 1_500, 3, 300)
    );
    let voucher: MemberExposureResponse = t.q(QueryMsg::MemberExposure { member: a("erin") });
    assert_eq!((voucher.application, voucher.vouching.u128()), (None, 300));
    // 33 of fees over 1 650 of exposure (1 500 backing + the vouch's 150): 3 for the vouch.
    t.token_answers(0, 33, None);
    t.exec("anyone", ExecuteMsg::DistributeFees {}).unwrap();
    let v: VouchResponse = t.q(QueryMsg::VouchOf { voucher: a("erin"), newcomer: a("alice") });
    assert_eq!((v.status, v.application, v.accrued_reward.u128()), (VouchStatus::Active, Some(id), 3));
    t.advance(TERM);
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    assert_eq!(
        token_msg(&r.messages[0].msg),
        credit_token::ExecuteMsg::ReleaseCredit {
            member: a("erin"),
            newcomer: a("alice"),
            amount: Uint128::new(300),
            outcome: VouchStatus::Kept
        }
    );
    assert_eq!(
        token_msg(&r.messages[1].msg),
        credit_token::ExecuteMsg::Transfer { recipient: a("erin"), amount: Uint128::new(3) }
    );
    let v: VouchResponse = t.q(QueryMsg::VouchOf { voucher: a("erin"), newcomer: a("alice") });
    assert_eq!((v.status, v.application), (VouchStatus::Kept, None));
    let voucher: MemberExposureResponse = t.q(QueryMsg::MemberExposure { member: a("erin") });
    assert_eq!(voucher.vouching.u128(), 0);
    let page: VouchesResponse = t.q(QueryMsg::VouchesFor { newcomer: a("alice"), start_after: None, limit: None });
    assert_eq!(page.vouches.len(), 1);
    let pool: PoolResponse = t.q(QueryMsg::Pool {});
    assert_eq!((pool.rewards_paid.u128(), pool.total_exposure.u128()), (3, 0));
}

#[test]
fn a_default_breaks_the_vouch_and_a_cancelled_one_forfeits() {
    let mut t = setup();
    t.exec("erin", ExecuteMsg::Vouch { newcomer: a("alice"), amount: 300u128.into() }).unwrap();
    t.exec("frank", ExecuteMsg::Vouch { newcomer: a("alice"), amount: 100u128.into() }).unwrap();
    for u in ["bob", "carol", "dave"] {
        t.stake(u, 1_000);
    }
    let id: u64 = attr(&t.exec("alice", apply_msg(1_000, &[], &["erin"])).unwrap(), "application").parse().unwrap();
    for u in ["bob", "carol", "dave"] {
        t.back(u, id, 500);
    }
    // 34 over 1 700 (1 500 + 150 + 50): erin's vouch 3, frank's 1.
    t.token_answers(0, 34, None);
    t.exec("anyone", ExecuteMsg::DistributeFees {}).unwrap();
    // frank's vouch is unused: he may cancel it; its reward goes to the reserve.
    let r = t.exec("frank", ExecuteMsg::CancelVouch { newcomer: a("alice") }).unwrap();
    assert_eq!(
        token_msg(&r.messages[0].msg),
        credit_token::ExecuteMsg::ReleaseCredit {
            member: a("frank"),
            newcomer: a("alice"),
            amount: Uint128::new(100),
            outcome: VouchStatus::Cancelled
        }
    );
    assert_eq!(
        token_msg(&r.messages[1].msg),
        credit_token::ExecuteMsg::Transfer { recipient: a("reserve"), amount: Uint128::new(1) }
    );
    assert_eq!(
        t.fails("frank", ExecuteMsg::CancelVouch { newcomer: a("alice") }),
        core(UnderwritingError::VouchNotActive { status: VouchStatus::Cancelled })
    );
    t.advance(TERM + GRACE);
    t.token_answers(-600, 33, Some(t.now()));
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    let msgs: Vec<_> = r
        .messages
        .iter()
        .filter_map(|m| match &m.msg {
            CosmosMsg::Wasm(_) => Some(token_msg(&m.msg)),
            _ => None,
        })
        .collect();
    assert!(msgs.contains(&credit_token::ExecuteMsg::ReleaseCredit {
        member: a("erin"),
        newcomer: a("alice"),
        amount: Uint128::new(300),
        outcome: VouchStatus::Broken
    }));
    assert!(msgs.contains(&credit_token::ExecuteMsg::Transfer { recipient: a("reserve"), amount: Uint128::new(3) }));
    let v: VouchResponse = t.q(QueryMsg::VouchOf { voucher: a("erin"), newcomer: a("alice") });
    assert_eq!(v.status, VouchStatus::Broken);
    // The vouch pair may vouch again after the outcome.
    t.exec("erin", ExecuteMsg::Vouch { newcomer: a("alice"), amount: 10u128.into() }).unwrap();
}

#[test]
fn config_updates_and_admin_handover_are_the_admins() {
    let mut t = setup();
    let update = |u: ConfigUpdate| ExecuteMsg::UpdateConfig(Box::new(u));
    assert_eq!(
        t.fails("bob", update(ConfigUpdate { unbonding_period: Some(5), ..Default::default() })),
        ContractError::Unauthorized { role: "the admin" }
    );
    assert_eq!(
        t.fails("admin", update(ConfigUpdate { unbonding_period: Some(0), ..Default::default() })),
        ContractError::ZeroUnbondingPeriod
    );
    assert_eq!(
        t.fails(
            "admin",
            update(ConfigUpdate { rules: Some(BackingRules { min_underwriters: 0, ..rules() }), ..Default::default() })
        ),
        core(UnderwritingError::ZeroMinUnderwriters)
    );
    assert_eq!(
        t.fails("admin", update(ConfigUpdate { require_did: Some(true), ..Default::default() })),
        ContractError::RequireDidWithoutRegistry
    );
    t.exec(
        "admin",
        update(ConfigUpdate {
            unbonding_period: Some(DAY),
            did_registry: Some(a("registry")),
            require_did: Some(true),
            vouching: Some(VouchPolicy { reward_weight_bps: 0 }),
            ..Default::default()
        }),
    )
    .unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(
        (
            cfg.unbonding_period,
            cfg.did_registry.map(|r| r.to_string()),
            cfg.require_did,
            cfg.vouching.reward_weight_bps
        ),
        (DAY, Some(a("registry")), true, 0)
    );
    // Removing the registry while it is required is refused.
    assert_eq!(
        t.fails("admin", update(ConfigUpdate { remove_did_registry: true, ..Default::default() })),
        ContractError::RequireDidWithoutRegistry
    );
    assert_eq!(
        t.fails("bob", ExecuteMsg::UpdateAdmin { new_admin: a("bob") }),
        ContractError::Unauthorized { role: "the admin" }
    );
    assert_eq!(t.fails("bob", ExecuteMsg::AcceptAdmin {}), ContractError::NoPendingAdmin);
    t.exec("admin", ExecuteMsg::UpdateAdmin { new_admin: a("bob") }).unwrap();
    assert_eq!(
        t.fails("carol", ExecuteMsg::AcceptAdmin {}),
        ContractError::Unauthorized { role: "the proposed admin" }
    );
    t.exec("bob", ExecuteMsg::AcceptAdmin {}).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin.to_string(), cfg.pending_admin), (a("bob"), None));
}

// ---------------------------------------------------------------------------------------------
// credit periods (issue 24)

impl T {
    /// The mock token answers every `CreditAccount` with a member the token has defaulted itself
    /// (balance 0, line defaulted), `written_off` still unrecovered.
    fn token_defaulted(&mut self, written_off: u128) {
        self.deps.querier.update_wasm(move |q| {
            let WasmQuery::Smart { msg, .. } = q else { panic!("unexpected query {q:?}") };
            let answer = match from_json::<credit_token::QueryMsg>(msg).unwrap() {
                credit_token::QueryMsg::CreditAccount { address } => to_json_binary(&CreditAccountResponse {
                    address,
                    balance: Int128::zero(),
                    available: Uint128::zero(),
                    line: Some(CreditLineView {
                        limit: Uint128::zero(),
                        term_start: 0,
                        term_end: 0,
                        grace_period: GRACE,
                        status: LineStatus::Defaulted,
                        default_declarable_at: Some(GRACE + 1),
                    }),
                    standing: Standing::Good,
                    frozen: false,
                    written_off: Uint128::new(written_off),
                    reserved: Uint128::zero(),
                    period: None,
                    risk_fee_bps: 0,
                }),
                other => panic!("unexpected token query {other:?}"),
            };
            SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
        });
    }
}

fn update_msg(u: ConfigUpdate) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig(Box::new(u))
}

#[test]
fn approved_lines_get_the_networks_credit_period() {
    let mut t =
        setup_with(InstantiateMsg { credit_period_min_itd: Some(500_000), risk_fee_bps: Some(300), ..inst_msg() });
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.credit_period_min_itd, Some(500_000));
    for u in ["bob", "carol", "dave"] {
        t.stake(u, 1_000);
    }
    let id = t.apply("alice", 1_000);
    t.back("bob", id, 500);
    t.back("carol", id, 500);
    let r = t.back("dave", id, 500);
    let sent: Vec<credit_token::ExecuteMsg> =
        r.messages.iter().map(|m| from_json(wasm_exec(&m.msg).1).unwrap()).collect();
    let term_end = t.now() + TERM;
    assert_eq!(
        sent,
        vec![
            credit_token::ExecuteMsg::SetCreditLine { member: a("alice"), limit: Uint128::new(1_000), term_end },
            credit_token::ExecuteMsg::SetRiskFee { member: a("alice"), risk_fee_bps: 300 },
            credit_token::ExecuteMsg::SetCreditPeriod { member: a("alice"), min_itd: Some(500_000) },
        ]
    );
    let too_high = update_msg(ConfigUpdate { risk_fee_bps: Some(10_001), ..Default::default() });
    assert_eq!(t.fails("admin", too_high), ContractError::RiskFeeTooHigh { bps: 10_001 });
    // The admin turns it off: later lines have fixed terms.
    let update = |u: ConfigUpdate| ExecuteMsg::UpdateConfig(Box::new(u));
    t.exec("admin", update(ConfigUpdate { remove_credit_period: true, ..Default::default() })).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.credit_period_min_itd, None);
    t.exec("admin", update(ConfigUpdate { credit_period_min_itd: Some(1), ..Default::default() })).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.credit_period_min_itd, Some(1));
}

/// Finding: a member the token had defaulted itself (its own `DeclareDefault` or a
/// `SyncCreditPeriod`, which anyone may send) owes nothing there, and `Settle` took that for a
/// repayment: the backers' stake was released. Now the written-off debt is the loss.
#[test]
fn settle_slashes_a_member_the_token_has_defaulted_already() {
    let mut t = setup();
    let id = t.approved();
    t.advance(TERM);
    t.token_defaulted(600);
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    assert_eq!((attr(&r, "outcome"), attr(&r, "loss")), ("defaulted", "600"));
    // No second DeclareDefault: the slashed stake goes to the reserve, nothing else is sent.
    assert_eq!(
        r.messages.iter().map(|m| m.msg.clone()).collect::<Vec<_>>(),
        vec![CosmosMsg::Bank(BankMsg::Send { to_address: a("reserve"), amount: coins(600, DENOM) })]
    );
    for u in ["bob", "carol", "dave"] {
        let s = t.underwriter(u);
        assert_eq!((s.free.u128(), s.locked.u128(), s.slashed.u128()), (800, 0, 200));
    }
    assert_eq!(t.application(id).status, ApplicationStatus::Defaulted);
}

#[test]
fn settle_releases_a_defaulted_member_who_recovered_it_all() {
    let mut t = setup();
    let id = t.approved();
    t.advance(TERM);
    t.token_defaulted(0);
    let r = t.exec("anyone", ExecuteMsg::Settle { application: id }).unwrap();
    assert_eq!((attr(&r, "outcome"), r.messages.len()), ("repaid", 0));
    assert_eq!(t.underwriter("bob").slashed.u128(), 0);
}
