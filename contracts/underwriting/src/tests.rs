//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged),
//! with the credit token's queries answered by a mock.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{
    coin, coins, from_json, to_json_binary, BankMsg, Binary, Coin, ContractResult, CosmosMsg, Int128, SystemResult,
    Uint128, WasmMsg, WasmQuery,
};
use resource_core::underwriting::{ApplicationPolicy, ApplicationStatus, BackingRules, Price, UnderwritingError};
use resource_msgs::credit_token::{self, CreditAccountResponse, CreditLineView, LineStatus, Standing};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationsResponse, ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, PoolResponse,
    QueryMsg, UnderwriterResponse,
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
        stake_denom: DENOM.into(),
        rules: rules(),
        policy: policy(),
        unbonding_period: 14 * DAY,
        reserve: a("reserve"),
    }
}

fn setup() -> T {
    let mut t = T(Harness::new(instantiate, execute, query, "creator", inst_msg()));
    t.token_answers(0, 0, None);
    t
}

fn core(e: UnderwritingError) -> ContractError {
    ContractError::Underwriting(e)
}

impl T {
    /// The mock token answers: every `CreditAccount` with `balance` (and a line declarable at
    /// `declarable_at`), `Balance` of anyone with `own_balance`.
    fn token_answers(&mut self, balance: i128, own_balance: u128, declarable_at: Option<u64>) {
        let token = a("token");
        self.deps.querier.update_wasm(move |q| {
            let WasmQuery::Smart { contract_addr, msg } = q else { panic!("unexpected query {q:?}") };
            assert_eq!(contract_addr, &token);
            let answer = match from_json::<credit_token::QueryMsg>(msg).unwrap() {
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
                }),
                credit_token::QueryMsg::Balance { .. } => {
                    to_json_binary(&cw20::BalanceResponse { balance: Uint128::new(own_balance) })
                }
                other => panic!("unexpected token query {other:?}"),
            };
            SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
        });
    }

    fn stake(&mut self, who: &str, amount: u128) {
        self.exec_with(who, &coins(amount, DENOM), ExecuteMsg::Stake {}).unwrap();
    }

    fn apply(&mut self, who: &str, amount: u128) -> u64 {
        let r = self.exec(who, ExecuteMsg::Apply { amount: amount.into(), term: TERM }).unwrap();
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
        for u in ["bob", "carol", "dave"] {
            self.stake(u, 1_000);
        }
        let id = self.apply("alice", 1_000);
        for u in ["bob", "carol", "dave"] {
            self.back(u, id, 500);
        }
        id
    }
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
    assert_eq!((cfg.admin.as_str(), cfg.stake_denom.as_str(), cfg.rules), (a("admin").as_str(), DENOM, rules()));
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (
            InstantiateMsg { rules: BackingRules { min_underwriters: 0, ..rules() }, ..inst_msg() },
            core(UnderwritingError::ZeroMinUnderwriters),
        ),
        (
            InstantiateMsg { policy: ApplicationPolicy { min_term: 0, ..policy() }, ..inst_msg() },
            core(UnderwritingError::InvalidTermRange { min_term: 0, max_term: 365 * DAY }),
        ),
        (InstantiateMsg { stake_denom: String::new(), ..inst_msg() }, ContractError::EmptyDenom),
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
    let zero = ExecuteMsg::Apply { amount: 0u128.into(), term: TERM };
    assert_eq!(t.fails("alice", zero), core(UnderwritingError::ZeroAmount));
    let long = ExecuteMsg::Apply { amount: 10u128.into(), term: 366 * DAY };
    assert_eq!(
        t.fails("alice", long),
        core(UnderwritingError::TermOutOfRange { term: 366 * DAY, min_term: DAY, max_term: 365 * DAY })
    );
    let id = t.apply("alice", 1_000);
    assert_eq!(id, 1);
    let again = ExecuteMsg::Apply { amount: 10u128.into(), term: TERM };
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
