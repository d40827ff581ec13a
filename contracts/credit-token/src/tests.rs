//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged).

use std::cell::RefCell;

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi, MockStorage};
use cosmwasm_std::{
    Api, Binary, CosmosMsg, DepsMut, Int128, Order, QuerierWrapper, Reply, ReplyOn, Response, StdError, Storage,
    SubMsgResult, Uint128, WasmMsg,
};
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllowanceResponse, BalanceResponse, Expiration, TokenInfoResponse,
};
use resource_core::ledger::{LedgerError, StandingIssue};
use resource_testing::{addr, address as a, attr, dump, Harness};

use crate::contract::{execute, instantiate, migrate, query, reply, CONTRACT_NAME, EARLIER_CONTRACT_NAMES};
use crate::error::ContractError;
use crate::reputation::REPLY_RECORD;
use resource_msgs::credit_token::{
    ConfigResponse, ConfigUpdate, CreditAccountResponse, ExecuteMsg, InstantiateMsg, LineStatus, MigrateMsg,
    NetworkStatsResponse, PendingRecordsResponse, QueryMsg, Standing, VouchStatus,
};

const GRACE: u64 = 1_000;
const TERM: u64 = 10_000;

resource_testing::suite_harness!(
    /// The token on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn inst_msg(fee_bps: u16) -> InstantiateMsg {
    InstantiateMsg {
        name: "Asheville Credit".into(),
        symbol: "AVL".into(),
        decimals: 6,
        admin: Some(a("admin")),
        underwriting: None,
        fee_bps,
        fee_collector: a("collector"),
        fee_exempt: vec![a("clearing")],
        loss_account: a("loss"),
        default_grace_period: GRACE,
        did_registry: None,
        min_term: Some(TERM / 10),
        min_grace_period: Some(GRACE),
    }
}

fn setup(fee_bps: u16) -> T {
    T(Harness::new(instantiate, execute, query, "creator", inst_msg(fee_bps)))
}

impl T {
    fn line(&mut self, member: &str, limit: u128) {
        let term_end = self.now() + TERM;
        self.exec("admin", ExecuteMsg::SetCreditLine { member: a(member), limit: limit.into(), term_end }).unwrap();
    }

    fn pay(&mut self, from: &str, to: &str, amount: u128) -> Result<Response, ContractError> {
        self.exec(from, ExecuteMsg::Transfer { recipient: a(to), amount: amount.into() })
    }

    fn bal(&self, who: &str) -> i128 {
        let r: CreditAccountResponse = self.q(QueryMsg::CreditAccount { address: a(who) });
        r.balance.i128()
    }

    fn stats(&self) -> NetworkStatsResponse {
        self.q(QueryMsg::NetworkStats {})
    }
}

fn ledger(e: LedgerError) -> ContractError {
    ContractError::Ledger(e)
}

#[test]
fn instantiate_rejects_bad_input() {
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (InstantiateMsg { name: "ab".into(), ..inst_msg(0) }, ContractError::InvalidName),
        (InstantiateMsg { symbol: "A1B".into(), ..inst_msg(0) }, ContractError::InvalidSymbol),
        (InstantiateMsg { decimals: 19, ..inst_msg(0) }, ContractError::InvalidDecimals),
        (inst_msg(10_001), ledger(LedgerError::FeeRateTooHigh { bps: 10_001 })),
        (
            InstantiateMsg { fee_collector: "nope".into(), ..inst_msg(0) },
            ContractError::InvalidAddress { address: "nope".into() },
        ),
        (InstantiateMsg { loss_account: a("collector"), ..inst_msg(0) }, ContractError::LossAccountIsFeeCollector),
        (
            InstantiateMsg { fee_exempt: (0..17).map(|i| a(&i.to_string())).collect(), ..inst_msg(0) },
            ContractError::TooManyFeeExempt { max: 16 },
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
fn instantiate_stores_config_and_token_info() {
    let t = setup(25);
    let info: TokenInfoResponse = t.q(QueryMsg::TokenInfo {});
    assert_eq!(
        (info.name.as_str(), info.symbol.as_str(), info.decimals, info.total_supply.u128()),
        ("Asheville Credit", "AVL", 6, 0)
    );
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.admin, addr("admin"));
    assert_eq!(cfg.fee_bps, 25);
    assert_eq!(cfg.fee_collector, addr("collector"));
    assert_eq!(cfg.fee_exempt, vec![addr("clearing")]);
    assert_eq!(cfg.loss_account, addr("loss"));
    assert_eq!((cfg.underwriting, cfg.pending_admin, cfg.default_grace_period), (None, None, GRACE));
    let v = cw2::get_contract_version(&t.deps.storage).unwrap();
    assert_eq!(v.contract, CONTRACT_NAME);
}

#[test]
fn transfer_mints_then_burns() {
    let mut t = setup(0);
    t.line("employer", 1_000);
    let r = t.pay("employer", "alice", 300).unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "amount")), ("transfer", "300"));
    assert_eq!((attr(&r, "minted"), attr(&r, "burned"), attr(&r, "fee")), ("300", "0", "0"));
    assert_eq!((t.bal("employer"), t.bal("alice")), (-300, 300));
    let b: BalanceResponse = t.q(QueryMsg::Balance { address: a("employer") });
    assert_eq!(b.balance, Uint128::zero(), "cw20 balance is the positive part");
    let info: TokenInfoResponse = t.q(QueryMsg::TokenInfo {});
    assert_eq!(info.total_supply.u128(), 300);

    let r = t.pay("alice", "employer", 120).unwrap();
    assert_eq!((attr(&r, "minted"), attr(&r, "burned")), ("0", "120"));
    let s = t.stats();
    assert_eq!(
        (s.total_supply.u128(), s.members, s.members_in_debt, s.total_credit_extended.u128()),
        (180, 2, 1, 1_000)
    );

    let acc: CreditAccountResponse = t.q(QueryMsg::CreditAccount { address: a("employer") });
    assert_eq!(acc.balance, Int128::new(-180));
    assert_eq!(acc.available.u128(), 820);
    let line = acc.line.unwrap();
    assert_eq!((line.limit.u128(), line.status, line.term_end), (1_000, LineStatus::Active, t.now() + TERM));
    assert_eq!(acc.standing, Standing::Good);

    t.pay("alice", "employer", 180).unwrap();
    let s = t.stats();
    assert_eq!((s.total_supply.u128(), s.members_in_debt), (0, 0));
}

#[test]
fn transfer_bad_input_changes_nothing() {
    let mut t = setup(0);
    t.line("employer", 100);
    let zero = ExecuteMsg::Transfer { recipient: a("alice"), amount: Uint128::zero() };
    assert_eq!(t.fails("employer", zero), ledger(LedgerError::ZeroAmount));
    let bad = ExecuteMsg::Transfer { recipient: "alice".into(), amount: 1u128.into() };
    assert_eq!(t.fails("employer", bad), ContractError::InvalidAddress { address: "alice".into() });
    let selfpay = ExecuteMsg::Transfer { recipient: a("employer"), amount: 5u128.into() };
    assert_eq!(t.fails("employer", selfpay), ledger(LedgerError::SelfTransfer));
    let over = ExecuteMsg::Transfer { recipient: a("alice"), amount: 101u128.into() };
    assert_eq!(t.fails("employer", over), ledger(LedgerError::InsufficientCredit { available: 100, requested: 101 }));
    let noline = ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() };
    assert_eq!(t.fails("alice", noline), ledger(LedgerError::InsufficientCredit { available: 0, requested: 1 }));
    let huge = ExecuteMsg::Transfer { recipient: a("bob"), amount: Uint128::MAX };
    assert_eq!(t.fails("employer", huge), ledger(LedgerError::Overflow));
}

#[test]
fn fees_go_to_the_collector_unless_exempt() {
    let mut t = setup(100); // 1 %
    t.line("employer", 10_000);
    let r = t.pay("employer", "alice", 1_000).unwrap();
    assert_eq!((attr(&r, "fee"), attr(&r, "minted")), ("10", "1010"));
    assert_eq!((t.bal("employer"), t.bal("alice"), t.bal("collector")), (-1_010, 1_000, 10));
    assert_eq!(t.stats().total_supply.u128(), 1_010);
    // Rounded up: 1 % of 1 is 1.
    let r = t.pay("alice", "bob", 1).unwrap();
    assert_eq!(attr(&r, "fee"), "1");
    // A fee-exempt contract (clearing) is paid only by Send, and paying it costs the fee like any
    // payment; what it pays out is fee-free.
    let plain = ExecuteMsg::Transfer { recipient: a("clearing"), amount: 100u128.into() };
    assert_eq!(t.fails("alice", plain), ContractError::PlainTransferToNetworkContract);
    let send = ExecuteMsg::Send { contract: a("clearing"), amount: 100u128.into(), msg: Binary::default() };
    let r = t.exec("alice", send).unwrap();
    assert_eq!((attr(&r, "fee"), t.bal("clearing")), ("1", 100));
    let r = t.pay("clearing", "bob", 50).unwrap();
    assert_eq!(attr(&r, "fee"), "0");
    // The collector paying: no fee; paid to the collector: it receives amount plus fee.
    let r = t.pay("collector", "bob", 5).unwrap();
    assert_eq!(attr(&r, "fee"), "0");
    let before = t.bal("collector");
    let r = t.pay("alice", "collector", 100).unwrap();
    assert_eq!(attr(&r, "fee"), "1");
    assert_eq!(t.bal("collector"), before + 101);
    // The fee counts against the payer's credit.
    let err = t.fails("employer", ExecuteMsg::Transfer { recipient: a("bob"), amount: 8_990u128.into() });
    assert_eq!(err, ledger(LedgerError::InsufficientCredit { available: 8_990, requested: 9_080 }));
}

#[test]
fn credit_line_rules_and_authority() {
    let mut t = setup(0);
    let end = t.now() + TERM;
    let msg =
        |limit: u128, term_end: u64| ExecuteMsg::SetCreditLine { member: a("employer"), limit: limit.into(), term_end };
    assert_eq!(t.fails("alice", msg(5, end)), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(
        t.fails("admin", ExecuteMsg::SetCreditLine { member: "x".into(), limit: 1u128.into(), term_end: end }),
        ContractError::InvalidAddress { address: "x".into() }
    );
    let now = t.now();
    assert_eq!(t.fails("admin", msg(5, now)), ledger(LedgerError::TermEndNotInFuture { term_end: now, now }));
    t.exec("admin", msg(500, end)).unwrap();
    t.pay("employer", "alice", 400).unwrap();
    assert_eq!(t.fails("admin", msg(399, end)), ledger(LedgerError::LimitBelowDebt { debt: 400, limit: 399 }));
    t.exec("admin", msg(400, end)).unwrap();
    assert_eq!(t.stats().total_credit_extended.u128(), 400);

    // Close: no new credit, the debt stays.
    let close = ExecuteMsg::CloseCreditLine { member: a("employer") };
    assert_eq!(t.fails("alice", close.clone()), ContractError::Unauthorized { role: "the admin" });
    t.exec("admin", close.clone()).unwrap();
    assert_eq!(t.fails("admin", close), ledger(LedgerError::LineClosed));
    assert_eq!(t.stats().total_credit_extended.u128(), 0);
    let acc: CreditAccountResponse = t.q(QueryMsg::CreditAccount { address: a("employer") });
    assert_eq!((acc.balance.i128(), acc.line.unwrap().status), (-400, LineStatus::Closed));
    assert_eq!(
        t.fails("employer", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::InsufficientCredit { available: 0, requested: 1 })
    );
    let noline = ExecuteMsg::CloseCreditLine { member: a("bob") };
    assert_eq!(t.fails("admin", noline), ledger(LedgerError::NoCreditLine));
}

#[test]
fn only_the_underwriting_contract_sets_lines_when_configured() {
    let msg = InstantiateMsg { underwriting: Some(a("underwriting")), ..inst_msg(0) };
    let mut t = T(Harness::new(instantiate, execute, query, "creator", msg));
    let set = ExecuteMsg::SetCreditLine { member: a("m"), limit: 10u128.into(), term_end: t.now() + TERM };
    assert_eq!(t.fails("admin", set.clone()), ContractError::Unauthorized { role: "the underwriting contract" });
    t.exec("underwriting", set).unwrap();
    // Freeze stays with the admin.
    let freeze = ExecuteMsg::Freeze { member: a("m") };
    assert_eq!(t.fails("underwriting", freeze.clone()), ContractError::Unauthorized { role: "the admin" });
    t.exec("admin", freeze).unwrap();
}

#[test]
fn frozen_accounts_cannot_spend_but_can_receive() {
    let mut t = setup(0);
    t.line("employer", 500);
    t.pay("employer", "alice", 200).unwrap();
    let freeze = ExecuteMsg::Freeze { member: a("employer") };
    assert_eq!(t.fails("alice", freeze.clone()), ContractError::Unauthorized { role: "the admin" });
    t.exec("admin", freeze.clone()).unwrap();
    assert_eq!(t.fails("admin", freeze), ledger(LedgerError::AlreadyFrozen));
    assert_eq!(
        t.fails("employer", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::AccountFrozen)
    );
    t.pay("alice", "employer", 50).unwrap();
    assert_eq!(t.bal("employer"), -150);
    let unfreeze = ExecuteMsg::Unfreeze { member: a("employer") };
    t.exec("admin", unfreeze.clone()).unwrap();
    assert_eq!(t.fails("admin", unfreeze), ledger(LedgerError::NotFrozen));
    t.pay("employer", "bob", 1).unwrap();
}

#[test]
fn default_only_after_term_and_grace() {
    let mut t = setup(0);
    t.line("employer", 500);
    t.pay("employer", "alice", 300).unwrap();
    let dd = ExecuteMsg::DeclareDefault { member: a("employer") };
    let declarable_at = t.now() + TERM + GRACE + 1;
    assert_eq!(t.fails("anyone", dd.clone()), ledger(LedgerError::DefaultTooEarly { declarable_at }));
    t.advance(TERM + GRACE);
    assert_eq!(t.fails("anyone", dd.clone()), ledger(LedgerError::DefaultTooEarly { declarable_at }));
    let acc: CreditAccountResponse = t.q(QueryMsg::CreditAccount { address: a("employer") });
    assert_eq!(acc.standing, Standing::PastDue);
    t.advance(1);
    assert_eq!(t.fails("anyone", ExecuteMsg::DeclareDefault { member: a("alice") }), ledger(LedgerError::NoCreditLine));
    let r = t.exec("anyone", dd.clone()).unwrap();
    assert_eq!((attr(&r, "debt"), attr(&r, "minted"), attr(&r, "burned")), ("300", "300", "300"));
    assert_eq!((t.bal("employer"), t.bal("loss"), t.bal("alice")), (0, -300, 300));
    let acc: CreditAccountResponse = t.q(QueryMsg::CreditAccount { address: a("employer") });
    assert_eq!(acc.line.unwrap().status, LineStatus::Defaulted);
    let s = t.stats();
    assert_eq!((s.total_supply.u128(), s.members_in_debt, s.loss_account_balance), (300, 1, Int128::new(-300)));
    assert_eq!(s.total_credit_extended.u128(), 0);
    assert_eq!(t.fails("anyone", dd), ledger(LedgerError::AccountDefaulted));
    // A defaulted account can receive, not spend, and gets no new line.
    t.pay("alice", "employer", 10).unwrap();
    assert_eq!(
        t.fails("employer", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::AccountDefaulted)
    );
    let set = ExecuteMsg::SetCreditLine { member: a("employer"), limit: 1u128.into(), term_end: t.now() + 1 };
    assert_eq!(t.fails("admin", set), ledger(LedgerError::AccountDefaulted));
}

#[test]
fn allowances_spend_into_the_owners_credit_line() {
    let mut t = setup(100);
    t.line("employer", 1_000);
    let inc = |amount: u128, expires: Option<Expiration>| ExecuteMsg::IncreaseAllowance {
        spender: a("payroll"),
        amount: amount.into(),
        expires,
    };
    assert_eq!(t.fails("employer", inc(0, None)), ledger(LedgerError::ZeroAmount));
    let own = ExecuteMsg::IncreaseAllowance { spender: a("employer"), amount: 1u128.into(), expires: None };
    assert_eq!(t.fails("employer", own), ContractError::CannotSetOwnAccount);
    assert_eq!(t.fails("employer", inc(5, Some(Expiration::AtHeight(1)))), ContractError::InvalidExpiration);
    let from =
        |amount: u128| ExecuteMsg::TransferFrom { owner: a("employer"), recipient: a("alice"), amount: amount.into() };
    assert_eq!(t.fails("payroll", from(10)), ContractError::NoAllowance);
    t.exec("employer", inc(300, None)).unwrap();
    t.exec("employer", inc(200, None)).unwrap();
    let al: AllowanceResponse = t.q(QueryMsg::Allowance { owner: a("employer"), spender: a("payroll") });
    assert_eq!(al.allowance.u128(), 500);

    let r = t.exec("payroll", from(400)).unwrap();
    assert_eq!(
        (attr(&r, "action"), attr(&r, "by"), attr(&r, "minted")),
        ("transfer_from", a("payroll").as_str(), "404")
    );
    assert_eq!(t.bal("employer"), -404, "the owner went negative within its line");
    let al: AllowanceResponse = t.q(QueryMsg::Allowance { owner: a("employer"), spender: a("payroll") });
    assert_eq!(al.allowance.u128(), 96, "amount plus fee used");
    assert_eq!(t.fails("payroll", from(96)), ContractError::InsufficientAllowance { allowance: 96, requested: 97 });
    assert_eq!(t.fails("payroll", from(0)), ledger(LedgerError::ZeroAmount));

    let all: AllAllowancesResponse =
        t.q(QueryMsg::AllAllowances { owner: a("employer"), start_after: None, limit: None });
    assert_eq!(all.allowances.len(), 1);
    assert_eq!(all.allowances[0].spender, a("payroll"));

    let dec =
        |amount: u128| ExecuteMsg::DecreaseAllowance { spender: a("payroll"), amount: amount.into(), expires: None };
    t.exec("employer", dec(6)).unwrap();
    let al: AllowanceResponse = t.q(QueryMsg::Allowance { owner: a("employer"), spender: a("payroll") });
    assert_eq!(al.allowance.u128(), 90);
    t.exec("employer", dec(1_000)).unwrap();
    assert_eq!(t.fails("employer", dec(1)), ContractError::NoAllowance);

    // Expired allowance.
    let h = t.env.block.height;
    t.exec("employer", inc(50, Some(Expiration::AtHeight(h + 10)))).unwrap();
    t.advance(100);
    assert_eq!(t.fails("payroll", from(1)), ContractError::AllowanceExpired);
}

#[test]
fn send_calls_the_receive_hook() {
    let mut t = setup(0);
    t.line("employer", 100);
    let msg = ExecuteMsg::Send { contract: a("shop"), amount: 40u128.into(), msg: Binary::from(b"{}".as_slice()) };
    let r = t.exec("employer", msg).unwrap();
    assert_eq!(r.messages.len(), 1);
    assert_eq!((attr(&r, "action"), attr(&r, "minted")), ("send", "40"));
    assert_eq!(t.bal("shop"), 40);
    let bad = ExecuteMsg::Send { contract: "shop".into(), amount: 1u128.into(), msg: Binary::default() };
    assert_eq!(t.fails("employer", bad), ContractError::InvalidAddress { address: "shop".into() });
    t.exec("employer", ExecuteMsg::IncreaseAllowance { spender: a("payroll"), amount: 10u128.into(), expires: None })
        .unwrap();
    let from = ExecuteMsg::SendFrom {
        owner: a("employer"),
        contract: a("shop"),
        amount: 10u128.into(),
        msg: Binary::default(),
    };
    let r = t.exec("payroll", from).unwrap();
    assert_eq!((r.messages.len(), attr(&r, "action")), (1, "send_from"));
    assert_eq!(t.bal("employer"), -50);
}

#[test]
fn update_config_and_two_step_admin() {
    let mut t = setup(0);
    let upd = |fee_bps: Option<u16>| {
        ExecuteMsg::UpdateConfig(ConfigUpdate {
            fee_bps,
            fee_collector: None,
            fee_exempt: None,
            loss_account: None,
            default_grace_period: Some(7),
            min_term: None,
            min_grace_period: Some(7),
            underwriting: Some(a("uw")),
            remove_underwriting: false,
            did_registry: None,
            remove_did_registry: false,
            fees_paused: None,
        })
    };
    assert_eq!(t.fails("alice", upd(Some(5))), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(t.fails("admin", upd(Some(10_001))), ledger(LedgerError::FeeRateTooHigh { bps: 10_001 }));
    let same = ExecuteMsg::UpdateConfig(ConfigUpdate {
        fee_bps: None,
        fee_collector: None,
        fee_exempt: None,
        loss_account: Some(a("collector")),
        default_grace_period: None,
        min_term: None,
        min_grace_period: None,
        underwriting: None,
        remove_underwriting: false,
        did_registry: None,
        remove_did_registry: false,
        fees_paused: None,
    });
    assert_eq!(t.fails("admin", same), ContractError::LossAccountIsFeeCollector);
    t.exec("admin", upd(Some(5))).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.fee_bps, cfg.default_grace_period, cfg.underwriting), (5, 7, Some(addr("uw"))));
    let remove = ExecuteMsg::UpdateConfig(ConfigUpdate {
        fee_bps: None,
        fee_collector: None,
        fee_exempt: Some(vec![]),
        loss_account: None,
        default_grace_period: None,
        min_term: None,
        min_grace_period: None,
        underwriting: None,
        remove_underwriting: true,
        did_registry: None,
        remove_did_registry: false,
        fees_paused: None,
    });
    t.exec("admin", remove).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.underwriting, cfg.fee_exempt.len()), (None, 0));

    assert_eq!(t.fails("bob", ExecuteMsg::AcceptAdmin {}), ContractError::NoPendingAdmin);
    let propose = ExecuteMsg::UpdateAdmin { new_admin: a("bob") };
    assert_eq!(t.fails("bob", propose.clone()), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(
        t.fails("admin", ExecuteMsg::UpdateAdmin { new_admin: "bob".into() }),
        ContractError::InvalidAddress { address: "bob".into() }
    );
    t.exec("admin", propose).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin.clone(), cfg.pending_admin), (addr("admin"), Some(addr("bob"))));
    assert_eq!(
        t.fails("carol", ExecuteMsg::AcceptAdmin {}),
        ContractError::Unauthorized { role: "the proposed admin" }
    );
    t.exec("bob", ExecuteMsg::AcceptAdmin {}).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin, cfg.pending_admin), (addr("bob"), None));
    assert_eq!(t.fails("admin", upd(None)), ContractError::Unauthorized { role: "the admin" });
}

/// Deployed before the rename, the contract is recorded as `crates.io:credit-token`: it migrates and is then
/// recorded under the project's own name; another contract's earlier name is still refused.
#[test]
fn a_contract_stored_under_its_old_name_migrates_to_the_new_one() {
    assert_eq!(
        (CONTRACT_NAME, EARLIER_CONTRACT_NAMES),
        ("resource-on-cosmos:credit-token", &["crates.io:credit-token"][..])
    );
    let mut t = setup(0);
    let refusal = ContractError::CannotMigrate { previous_contract: "crates.io:clearing".into() };
    t.assert_renamed_contract_migrates(
        migrate,
        MigrateMsg {},
        CONTRACT_NAME,
        EARLIER_CONTRACT_NAMES,
        env!("CARGO_PKG_VERSION"),
        "crates.io:clearing",
        refusal,
    );
}

#[test]
fn migrate_checks_name_and_version() {
    let mut t = setup(0);
    migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    cw2::set_contract_version(&mut t.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    let err = migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(matches!(err, ContractError::CannotMigrateVersion { .. }), "{err}");
    cw2::set_contract_version(&mut t.deps.storage, "crates.io:cw20-base", "0.1.0").unwrap();
    let err = migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert_eq!(err, ContractError::CannotMigrate { previous_contract: "crates.io:cw20-base".into() });
    cw2::set_contract_version(&mut t.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    migrate(t.deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    assert_eq!(cw2::get_contract_version(&t.deps.storage).unwrap().version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn all_accounts_pages_through_every_holder() {
    let mut t = setup(0);
    t.line("employer", 1_000);
    let names = ["p0", "p1", "p2", "p3", "p4"];
    for n in names {
        t.pay("employer", n, 1).unwrap();
    }
    let mut seen = Vec::new();
    let mut start = None;
    loop {
        let page: AllAccountsResponse = t.q(QueryMsg::AllAccounts { start_after: start.clone(), limit: Some(2) });
        if page.accounts.is_empty() {
            break;
        }
        assert!(page.accounts.len() <= 2);
        start = page.accounts.last().cloned();
        seen.extend(page.accounts);
    }
    assert_eq!(seen.len(), 6);
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 6);
    assert_eq!(t.stats().members, 6);
    let err = query(t.deps.as_ref(), t.env.clone(), QueryMsg::Balance { address: "nope".into() }).unwrap_err();
    assert!(matches!(err, StdError::GenericErr { .. }));
}

#[test]
fn storage_is_compact() {
    let mut t = setup(0);
    t.line("employer", 5_000_000_000);
    t.pay("employer", "alice", 1_000_000_000).unwrap();
    for (k, v) in dump(&t.deps.storage) {
        if k[0] == b'a' {
            assert_eq!(k.len(), 1 + 32, "prefix byte + canonical address");
            // A debtor's record includes its term's peak debt: about 7 bytes more.
            assert!(v.len() <= 32, "{} bytes", v.len());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// reputation records for the DID registry

/// `mock_env`'s chain id, the one the DIDs carry.
const CHAIN: &str = "cosmos-testnet-14002";

fn setup_with_registry(fee_bps: u16) -> T {
    let msg = InstantiateMsg { did_registry: Some(a("registry")), ..inst_msg(fee_bps) };
    let t = T(Harness::new(instantiate, execute, query, "creator", msg));
    assert_eq!(t.env.block.chain_id, CHAIN);
    t
}

/// The JSON of every call to the registry in `r`, each checked to be a submessage whose failure is
/// caught (reply on error, the record in its payload, no funds), so that a refusal by the registry
/// never reverts the credit action.
fn registry_calls(r: &Response) -> Vec<String> {
    r.messages
        .iter()
        .filter_map(|m| match &m.msg {
            CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds }) if *contract_addr == a("registry") => {
                assert_eq!((m.id, &m.reply_on, funds.len()), (REPLY_RECORD, &ReplyOn::Error, 0));
                assert!(!m.payload.is_empty());
                Some(String::from_utf8(msg.to_vec()).unwrap())
            }
            _ => None,
        })
        .collect()
}

/// What the registry must receive, written out independently of the contract's code.
fn record_json(member: &str, event: &str) -> String {
    format!(r#"{{"record_reputation":{{"did":"did:resource:{CHAIN}:{}","event":{event}}}}}"#, a(member))
}

fn repaid(member: &str, amount: u128) -> String {
    record_json(member, &format!(r#"{{"repaid_on_time":{{"amount":"{amount}"}}}}"#))
}

fn granted(member: &str, amount: u128, term: u64) -> String {
    record_json(member, &format!(r#"{{"credit_line_granted":{{"amount":"{amount}","term":{term}}}}}"#))
}

impl T {
    fn set_line(&mut self, member: &str, limit: u128) -> Response {
        let term_end = self.now() + TERM;
        self.exec("admin", ExecuteMsg::SetCreditLine { member: a(member), limit: limit.into(), term_end }).unwrap()
    }

    fn settle(&mut self, member: &str) -> Result<Response, ContractError> {
        self.exec("anyone", ExecuteMsg::SettleTerm { member: a(member) })
    }

    fn reply(&mut self, msg: Reply) -> Result<Response, ContractError> {
        let env = self.env.clone();
        reply(self.0.deps.as_mut(), env, msg)
    }

    fn account(&self, who: &str) -> CreditAccountResponse {
        self.q(QueryMsg::CreditAccount { address: a(who) })
    }
}

#[test]
fn credit_actions_send_reputation_records_to_the_registry() {
    let mut t = setup_with_registry(0);
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, Some(addr("registry")));

    // A line granted: its limit and term.
    let r = t.set_line("employer", 1_000);
    assert_eq!(registry_calls(&r), vec![granted("employer", 1_000, TERM)]);
    assert_eq!(r.messages.len(), 1);
    // A zero limit grants nothing: no record (the registry would refuse a zero amount).
    assert!(t.set_line("bob", 0).messages.is_empty());

    t.set_line("bank", 1_000_000);
    t.pay("bank", "alice", 10_000).unwrap();

    // Transfers never record, not even a full repayment: the term's record comes when it is settled.
    assert!(t.pay("employer", "alice", 300).unwrap().messages.is_empty());
    assert!(t.pay("alice", "employer", 100).unwrap().messages.is_empty());
    t.advance(TERM);
    assert!(t.pay("alice", "employer", 250).unwrap().messages.is_empty());
    assert_eq!(t.bal("employer"), 50);
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SettleTerm { member: a("employer") }),
        ledger(LedgerError::TermRunning { term_end: t.now() })
    );
    // After the term end anyone settles it: the largest debt carried (300), once.
    t.advance(1);
    let r = t.settle("employer").unwrap();
    assert_eq!(registry_calls(&r), vec![repaid("employer", 300)]);
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SettleTerm { member: a("employer") }),
        ledger(LedgerError::NothingToRecord)
    );

    // Repaid after the term end: late, nothing to record.
    t.set_line("dave", 500);
    t.pay("dave", "alice", 100).unwrap();
    t.advance(TERM + 1);
    t.pay("alice", "dave", 100).unwrap();
    assert_eq!(t.fails("anyone", ExecuteMsg::SettleTerm { member: a("dave") }), ledger(LedgerError::NothingToRecord));

    // A default: the debt written off.
    t.set_line("carol", 500);
    t.pay("carol", "alice", 400).unwrap();
    t.advance(TERM + GRACE + 1);
    let r = t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("carol") }).unwrap();
    assert_eq!(registry_calls(&r), vec![record_json("carol", r#"{"defaulted":{"amount":"400"}}"#)]);
    assert_eq!(r.messages.len(), 1);
    // Freeze and unfreeze record nothing; closing a line never in debt records nothing.
    t.set_line("erin", 50);
    for msg in [
        ExecuteMsg::Freeze { member: a("erin") },
        ExecuteMsg::Unfreeze { member: a("erin") },
        ExecuteMsg::CloseCreditLine { member: a("erin") },
    ] {
        assert!(t.exec("admin", msg).unwrap().messages.is_empty());
    }
}

/// Finding: borrowing 1 and being paid back 1, 25 times, gave 25 records; refinancing re-recorded
/// the grant. Now: one record of the term, and grants only for new credit.
#[test]
fn repayments_and_refinancing_cannot_be_farmed_for_records() {
    let mut t = setup_with_registry(0);
    t.set_line("bank", 1_000_000);
    t.pay("bank", "alice", 10_000).unwrap();
    t.set_line("farmer", 1_000);
    for _ in 0..25 {
        assert!(t.pay("farmer", "alice", 1).unwrap().messages.is_empty());
        assert!(t.pay("alice", "farmer", 1).unwrap().messages.is_empty());
    }
    // Refinancing the running term at the same or a lower limit grants nothing; a raise grants the raise.
    let later = t.now() + 2 * TERM;
    let set = |limit: u128| ExecuteMsg::SetCreditLine { member: a("farmer"), limit: limit.into(), term_end: later };
    for limit in [1_000, 800, 800] {
        let calls = registry_calls(&t.exec("admin", set(limit)).unwrap());
        assert!(calls.is_empty(), "{limit}: {calls:?}");
    }
    let r = t.exec("admin", set(1_500)).unwrap();
    assert_eq!(registry_calls(&r), vec![granted("farmer", 700, 2 * TERM)], "the raise over the current 800");
    // Closing settles the term: one record, of the 1 carried.
    let r = t.exec("admin", ExecuteMsg::CloseCreditLine { member: a("farmer") }).unwrap();
    assert_eq!(registry_calls(&r), vec![repaid("farmer", 1)]);
    assert_eq!(t.fails("anyone", ExecuteMsg::SettleTerm { member: a("farmer") }), ledger(LedgerError::NothingToRecord));
    // Reopened: a new line, the full limit.
    let r = t.set_line("farmer", 700);
    assert_eq!(registry_calls(&r), vec![granted("farmer", 700, TERM)]);
}

#[test]
fn a_new_term_settles_the_previous_one() {
    let mut t = setup_with_registry(0);
    t.set_line("bank", 1_000_000);
    t.pay("bank", "alice", 10_000).unwrap();
    t.set_line("shop", 1_000);
    t.pay("shop", "alice", 600).unwrap();
    t.pay("alice", "shop", 600).unwrap();
    t.advance(TERM + 1);
    let r = t.set_line("shop", 1_000);
    assert_eq!(registry_calls(&r), vec![repaid("shop", 600), granted("shop", 1_000, TERM)]);
}

#[test]
fn a_defaulted_member_can_repay_its_written_off_debt_to_the_loss_account() {
    let mut t = setup_with_registry(100); // 1 %
    t.set_line("bank", 1_000_000);
    t.pay("bank", "alice", 10_000).unwrap();
    t.set_line("m", 1_000);
    t.pay("m", "alice", 400).unwrap();
    t.advance(TERM + GRACE + 1);
    t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("m") }).unwrap();
    assert_eq!((t.account("m").written_off.u128(), t.bal("loss")), (404, -404));
    // Money it receives later is not locked: it can hand it to the loss account, and nowhere else.
    t.pay("alice", "m", 300).unwrap();
    assert_eq!(
        t.fails("m", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::AccountDefaulted)
    );
    let too_much = ExecuteMsg::Transfer { recipient: a("loss"), amount: 405u128.into() };
    assert_eq!(
        t.fails("m", too_much),
        ledger(LedgerError::RecoveryAboveWrittenOff { written_off: 404, requested: 405 })
    );
    let r = t.pay("m", "loss", 200).unwrap();
    assert_eq!(attr(&r, "fee"), "2", "the network fee as on any payment");
    assert_eq!(registry_calls(&r), vec![record_json("m", r#"{"debt_recovered":{"amount":"200"}}"#)]);
    assert_eq!((t.bal("m"), t.bal("loss"), t.account("m").written_off.u128()), (98, -204, 204));
    // It still cannot get a line, and its default is not lifted.
    let set = ExecuteMsg::SetCreditLine { member: a("m"), limit: 10u128.into(), term_end: t.now() + TERM };
    assert_eq!(t.fails("admin", set), ledger(LedgerError::AccountDefaulted));
    assert_eq!(t.account("m").line.unwrap().status, LineStatus::Defaulted);
}

#[test]
fn a_refused_record_is_kept_and_sent_again() {
    let mut t = setup_with_registry(0);
    let r = t.set_line("employer", 1_000);
    let sub = r.messages[0].clone();
    // The registry refused: the reply keeps the record and says so; the line stands.
    let refused = |payload: Binary| Reply {
        id: REPLY_RECORD,
        payload,
        gas_used: 0,
        result: SubMsgResult::Err("unauthorized: only a reputation writer may do this".into()),
    };
    let r = t.reply(refused(sub.payload.clone())).unwrap();
    let event = &r.events[0];
    assert_eq!(event.ty, "reputation_record_failed");
    assert!(event.attributes.iter().any(|a| a.key == "event" && a.value == "credit_line_granted"));
    let kept: PendingRecordsResponse = t.q(QueryMsg::PendingReputationRecords { start_after: None, limit: None });
    assert_eq!(kept.records.len(), 1);
    assert_eq!((kept.records[0].id, &kept.records[0].did), (1, &format!("did:resource:{CHAIN}:{}", a("employer"))));
    assert_eq!(t.account("employer").line.unwrap().limit.u128(), 1_000);
    // Retried: sent again with the same payload id; refused again, kept under the same id.
    let r = t.exec("anyone", ExecuteMsg::RetryReputationRecords { limit: None }).unwrap();
    assert_eq!(registry_calls(&r), vec![granted("employer", 1_000, TERM)]);
    let empty: PendingRecordsResponse = t.q(QueryMsg::PendingReputationRecords { start_after: None, limit: None });
    assert!(empty.records.is_empty(), "taken out while in flight");
    t.reply(refused(r.messages[0].payload.clone())).unwrap();
    let again: PendingRecordsResponse = t.q(QueryMsg::PendingReputationRecords { start_after: None, limit: None });
    assert_eq!(again.records.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    // Delivered: nothing kept, nothing more to retry.
    t.exec("anyone", ExecuteMsg::RetryReputationRecords { limit: Some(5) }).unwrap();
    assert_eq!(t.fails("anyone", ExecuteMsg::RetryReputationRecords { limit: None }), ContractError::NoPendingRecords);
    // A success never replies; an unknown id is an error.
    let delivered = cosmwasm_std::from_json(r#"{"events":[],"msg_responses":[]}"#).unwrap();
    let ok = Reply { result: SubMsgResult::Ok(delivered), ..refused(sub.payload.clone()) };
    assert!(t.reply(ok).unwrap().events.is_empty());
    let unknown = Reply { id: 9, ..refused(sub.payload) };
    assert_eq!(t.reply(unknown).unwrap_err(), ContractError::UnknownReply { id: 9 });
}

#[test]
fn without_a_registry_nothing_is_sent() {
    let mut t = setup(100);
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, None);
    assert!(t.set_line("employer", 1_000).messages.is_empty());
    t.set_line("bank", 1_000_000);
    assert!(t.pay("bank", "alice", 10_000).unwrap().messages.is_empty());
    assert!(t.pay("employer", "alice", 300).unwrap().messages.is_empty());
    assert!(t.pay("alice", "employer", 303).unwrap().messages.is_empty());
    assert!(t.exec("admin", ExecuteMsg::CloseCreditLine { member: a("employer") }).unwrap().messages.is_empty());
    assert_eq!(t.fails("anyone", ExecuteMsg::SettleTerm { member: a("employer") }), ContractError::NoDidRegistry);
    assert_eq!(t.fails("anyone", ExecuteMsg::RetryReputationRecords { limit: None }), ContractError::NoDidRegistry);
    t.set_line("shop", 1_000);
    t.pay("shop", "alice", 100).unwrap();
    t.advance(TERM + GRACE + 1);
    let r = t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("shop") }).unwrap();
    assert!(r.messages.is_empty());
}

fn update(did_registry: Option<String>, remove_did_registry: bool) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig(ConfigUpdate {
        fee_bps: None,
        fee_collector: None,
        fee_exempt: None,
        loss_account: None,
        default_grace_period: None,
        min_term: None,
        min_grace_period: None,
        underwriting: None,
        remove_underwriting: false,
        did_registry,
        remove_did_registry,
        fees_paused: None,
    })
}

#[test]
fn the_admin_sets_and_removes_the_registry() {
    let mut t = setup(0);
    assert_eq!(t.fails("alice", update(Some(a("registry")), false)), ContractError::Unauthorized { role: "the admin" });
    assert_eq!(
        t.fails("admin", update(Some("registry".into()), false)),
        ContractError::InvalidAddress { address: "registry".into() }
    );
    t.exec("admin", update(Some(a("registry")), false)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, Some(addr("registry")));
    assert_eq!(registry_calls(&t.set_line("employer", 5)).len(), 1);
    // Other updates keep it.
    t.exec("admin", update(None, false)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, Some(addr("registry")));
    t.exec("admin", update(None, true)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, None);
    assert!(t.set_line("employer", 5).messages.is_empty());
    // Remove and set in one message: the new one (as with the underwriting contract).
    t.exec("admin", update(Some(a("registry2")), true)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(cfg.did_registry, Some(addr("registry2")));
}

#[test]
fn a_chain_whose_id_a_did_cannot_carry_records_nothing_and_changes_nothing() {
    // No registry can be instantiated on such a chain; should a token still name one, its credit
    // actions fail with a clear error instead of sending a DID the registry would refuse.
    let mut env = mock_env();
    env.block.chain_id = "chain 1".into();
    let msg = InstantiateMsg { did_registry: Some(a("registry")), ..inst_msg(0) };
    let mut t = T(Harness::new_in(env, instantiate, execute, query, "creator", msg));
    let set = ExecuteMsg::SetCreditLine { member: a("m"), limit: 10u128.into(), term_end: t.now() + TERM };
    let err = t.fails("admin", set);
    assert_eq!(err, ContractError::NoDidOnThisChain { chain_id: "chain 1".into() });
    assert!(err.to_string().contains("`chain 1` cannot be part of a did:resource DID"), "{err}");
    t.exec("admin", update(None, true)).unwrap();
    t.set_line("m", 10);
}

/// The `c` record as the token wrote it before the registry existed, made byte by byte with the
/// contract's own addresses: the contract reads it as "no registry", works, and adds a registry to it.
#[test]
fn a_config_record_from_before_the_registry_still_works() {
    // A network without a line policy (min term and grace 0), as every network before the policy.
    let msg = InstantiateMsg { min_term: Some(0), min_grace_period: Some(0), ..inst_msg(0) };
    let mut t = T(Harness::new(instantiate, execute, query, "creator", msg));
    let canon = |name: &str| MockApi::default().addr_canonicalize(addr(name).as_str()).unwrap().to_vec();
    let mut old = vec![32];
    old.extend(canon("admin"));
    old.extend([0, 0, 32]); // no pending admin, no underwriting, a 32-byte loss account
    old.extend(canon("loss"));
    old.extend([0xe8, 0x07]); // grace period 1,000 s
    assert_eq!(t.deps.storage.get(b"c").unwrap(), old, "without a registry the record is unchanged");
    t.deps.storage.set(b"c", &old);
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(
        (cfg.admin, cfg.loss_account, cfg.default_grace_period, cfg.did_registry),
        (addr("admin"), addr("loss"), GRACE, None)
    );
    assert!(t.set_line("employer", 10).messages.is_empty());
    t.exec("admin", update(Some(a("registry")), false)).unwrap();
    let mut new = old.clone();
    new.push(32);
    new.extend(canon("registry"));
    assert_eq!(t.deps.storage.get(b"c").unwrap(), new, "the registry is appended");
    assert_eq!(registry_calls(&t.set_line("shop", 10)).len(), 1);
    t.exec("admin", update(None, true)).unwrap();
    assert_eq!(t.deps.storage.get(b"c").unwrap(), old, "removed: the old record again");
}

/// Storage that remembers every key read (`get`, or the start of a range scan).
struct ReadLog<'a> {
    inner: &'a mut MockStorage,
    reads: RefCell<Vec<Vec<u8>>>,
}

impl Storage for ReadLog<'_> {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.reads.borrow_mut().push(key.to_vec());
        self.inner.get(key)
    }

    fn range<'b>(
        &'b self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = cosmwasm_std::Record> + 'b> {
        self.reads.borrow_mut().push(start.unwrap_or_default().to_vec());
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.inner.set(key, value)
    }

    fn remove(&mut self, key: &[u8]) {
        self.inner.remove(key)
    }
}

impl T {
    /// Runs a transfer and returns the keys it read.
    fn transfer_reads(&mut self, from: &str, to: &str, amount: u128) -> Vec<Vec<u8>> {
        let Harness { deps, env, .. } = &mut self.0;
        let mut log = ReadLog { inner: &mut deps.storage, reads: RefCell::new(Vec::new()) };
        let deps = DepsMut { storage: &mut log, api: &deps.api, querier: QuerierWrapper::new(&deps.querier) };
        let msg = ExecuteMsg::Transfer { recipient: a(to), amount: amount.into() };
        execute(deps, env.clone(), message_info(&addr(from), &[]), msg).unwrap();
        log.reads.into_inner()
    }
}

/// The gas of a plain transfer stays as it was: a transfer reads the hot config and the accounts,
/// never the config record, not even when it repays a debt (only a defaulted sender needs it).
#[test]
fn a_transfer_reads_no_config_record() {
    for mut t in [setup_with_registry(100), setup(100)] {
        t.set_line("employer", 10_000);
        t.set_line("bank", 1_000_000);
        t.set_line("collector", 10_000);
        let config_reads = |reads: &[Vec<u8>]| reads.iter().filter(|k| k.as_slice() == b"c").count();
        let plain =
            [("employer", "alice", 1_000), ("alice", "employer", 500), ("alice", "bob", 100), ("bank", "bob", 5)];
        for (from, to, amount) in plain {
            let reads = t.transfer_reads(from, to, amount);
            assert_eq!(config_reads(&reads), 0, "{from} -> {to}: {reads:?}");
            assert!(reads.iter().all(|k| k.as_slice() == b"h" || k.as_slice() == b"s" || k[0] == b'a'), "{reads:?}");
        }
        let debt = u128::try_from(-t.bal("employer")).unwrap();
        assert_eq!(config_reads(&t.transfer_reads("bank", "employer", debt)), 0, "a repayment too");
        assert_eq!(t.bal("employer"), 0);
    }
}

// ---------------------------------------------------------------------------------------------
// what generic cw20 clients probe, and the rules between config fields

#[test]
fn cw20_probes_are_answered_as_cw20_base_answers_a_token_without_minter_or_marketing() {
    let mut t = setup(0);
    let minter = query(t.deps.as_ref(), t.env.clone(), QueryMsg::Minter {}).unwrap();
    assert_eq!(minter.as_slice(), b"null");
    let info: cw20::MarketingInfoResponse = t.q(QueryMsg::MarketingInfo {});
    assert_eq!(info, cw20::MarketingInfoResponse::default());
    let logo = query(t.deps.as_ref(), t.env.clone(), QueryMsg::DownloadLogo {}).unwrap_err();
    assert!(logo.to_string().contains("no logo"), "{logo}");
    let before = dump(&t.deps.storage);
    for msg in [
        ExecuteMsg::Mint { recipient: a("alice"), amount: 1u128.into() },
        ExecuteMsg::Burn { amount: 1u128.into() },
        ExecuteMsg::BurnFrom { owner: a("alice"), amount: 1u128.into() },
        ExecuteMsg::UpdateMinter { new_minter: None },
    ] {
        let err = t.fails("admin", msg);
        assert_eq!(err, ContractError::NoMintOrBurn);
        assert!(err.to_string().contains("only through payments"), "{err}");
    }
    assert_eq!(dump(&t.deps.storage), before);
}

#[test]
fn an_upper_case_address_is_refused_and_changes_nothing() {
    let mut t = setup(0);
    t.line("employer", 1_000);
    let before = dump(&t.deps.storage);
    let upper = a("alice").to_ascii_uppercase();
    let pay = ExecuteMsg::Transfer { recipient: upper.clone(), amount: 5u128.into() };
    assert_eq!(t.fails("employer", pay), ContractError::AddressNotNormalized { address: upper.clone() });
    let line = ExecuteMsg::SetCreditLine { member: upper.clone(), limit: 5u128.into(), term_end: t.now() + TERM };
    assert_eq!(t.fails("admin", line), ContractError::AddressNotNormalized { address: upper });
    assert_eq!(dump(&t.deps.storage), before);
}

#[test]
fn any_account_can_be_frozen() {
    let mut t = setup(0);
    t.line("employer", 1_000);
    t.pay("employer", "alice", 100).unwrap();
    t.line("shop", 1_000);
    t.exec("admin", ExecuteMsg::CloseCreditLine { member: a("shop") }).unwrap();
    // Alice has no line, the shop a closed one: both can be frozen, and then cannot spend.
    for who in ["alice", "shop"] {
        t.exec("admin", ExecuteMsg::Freeze { member: a(who) }).unwrap();
        assert!(t.account(who).frozen);
    }
    assert_eq!(
        t.fails("alice", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::AccountFrozen)
    );
    assert_eq!(t.account("shop").line.unwrap().status, LineStatus::Closed, "the line is untouched");
    t.exec("admin", ExecuteMsg::Unfreeze { member: a("alice") }).unwrap();
    t.pay("alice", "bob", 1).unwrap();
}

#[test]
fn no_fee_can_reach_written_off_debt() {
    let mut t = setup(100);
    t.line("m", 1_000);
    t.pay("m", "alice", 100).unwrap();
    t.advance(TERM + GRACE + 1);
    t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("m") }).unwrap();
    assert_eq!(t.bal("loss"), -101);
    // Move the loss account, then try to make the old one the fee collector.
    t.exec("admin", ExecuteMsg::UpdateConfig(ConfigUpdate { loss_account: Some(a("loss2")), ..Default::default() }))
        .unwrap();
    let collector = ExecuteMsg::UpdateConfig(ConfigUpdate { fee_collector: Some(a("loss")), ..Default::default() });
    let before = dump(&t.deps.storage);
    assert_eq!(t.fails("admin", collector), ContractError::FeeCollectorHoldsWrittenOffDebt { debt: 101 });
    assert_eq!(dump(&t.deps.storage), before);
    let same = ExecuteMsg::UpdateConfig(ConfigUpdate { fee_collector: Some(a("loss2")), ..Default::default() });
    assert_eq!(t.fails("admin", same), ContractError::LossAccountIsFeeCollector);
}

#[test]
fn terms_and_grace_periods_have_a_floor() {
    let mut t = setup(0);
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.min_term, cfg.min_grace_period), (TERM / 10, GRACE));
    let quick = ExecuteMsg::SetCreditLine { member: a("m"), limit: 5u128.into(), term_end: t.now() + 1 };
    assert_eq!(t.fails("admin", quick), ledger(LedgerError::TermTooShort { term: 1, min_term: TERM / 10 }));
    let no_grace = ExecuteMsg::UpdateConfig(ConfigUpdate { default_grace_period: Some(0), ..Default::default() });
    assert_eq!(
        t.fails("admin", no_grace),
        ledger(LedgerError::GraceTooShort { grace_period: 0, min_grace_period: GRACE })
    );
    // Defaults when not given: one day each.
    let msg = InstantiateMsg { min_term: None, min_grace_period: None, default_grace_period: 86_400, ..inst_msg(0) };
    let t = T(Harness::new(instantiate, execute, query, "creator", msg));
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.min_term, cfg.min_grace_period), (86_400, 86_400));
    let short = InstantiateMsg { min_term: None, min_grace_period: None, ..inst_msg(0) };
    let mut deps = mock_dependencies();
    let err = instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), short).unwrap_err();
    assert_eq!(err, ledger(LedgerError::GraceTooShort { grace_period: GRACE, min_grace_period: 86_400 }));
}

// ---------------------------------------------------------------------------------------------
// credit reserved for vouches (the underwriting contract's ReserveCredit / ReleaseCredit)

/// A network whose lines and vouches are the underwriting contract's, with or without a registry.
fn setup_vouching(registry: bool) -> T {
    let did_registry = registry.then(|| a("registry"));
    let msg = InstantiateMsg { underwriting: Some(a("underwriting")), did_registry, ..inst_msg(0) };
    T(Harness::new(instantiate, execute, query, "creator", msg))
}

fn reserve(member: &str, newcomer: &str, amount: u128) -> ExecuteMsg {
    ExecuteMsg::ReserveCredit { member: a(member), newcomer: a(newcomer), amount: amount.into() }
}

fn release(member: &str, newcomer: &str, amount: u128, outcome: VouchStatus) -> ExecuteMsg {
    ExecuteMsg::ReleaseCredit { member: a(member), newcomer: a(newcomer), amount: amount.into(), outcome }
}

fn vouch_json(voucher: &str, event: &str, amount: u128, newcomer: &str) -> String {
    let did = format!("did:resource:{CHAIN}:{}", a(newcomer));
    record_json(voucher, &format!(r#"{{"{event}":{{"amount":"{amount}","member":"{did}"}}}}"#))
}

impl T {
    fn uw_line(&mut self, member: &str, limit: u128) -> Response {
        let term_end = self.now() + TERM;
        let set = ExecuteMsg::SetCreditLine { member: a(member), limit: limit.into(), term_end };
        self.exec("underwriting", set).unwrap()
    }
}

#[test]
fn only_the_underwriting_contract_reserves_and_releases() {
    let mut t = setup_vouching(false);
    t.uw_line("voucher", 1_000);
    let role = ContractError::Unauthorized { role: "the underwriting contract" };
    for who in ["admin", "voucher", "newcomer"] {
        assert_eq!(t.fails(who, reserve("voucher", "newcomer", 10)), role);
        assert_eq!(t.fails(who, release("voucher", "newcomer", 10, VouchStatus::Kept)), role);
    }
    // Without an underwriting contract there is no vouching, not even by the admin.
    let mut t = setup(0);
    t.line("voucher", 1_000);
    assert_eq!(t.fails("admin", reserve("voucher", "newcomer", 10)), role);
    assert_eq!(t.fails("admin", release("voucher", "newcomer", 10, VouchStatus::Cancelled)), role);
}

#[test]
fn a_reservation_is_refused_without_good_standing_or_capacity() {
    let mut t = setup_vouching(true);
    t.uw_line("voucher", 1_000);
    t.uw_line("bank", 1_000_000);
    t.pay("voucher", "alice", 300).unwrap();
    let uw = "underwriting";
    let standing = |reason| ledger(LedgerError::NotInGoodStanding { reason });
    assert_eq!(t.fails(uw, reserve("voucher", "newcomer", 0)), ledger(LedgerError::ZeroAmount));
    assert_eq!(
        t.fails(uw, reserve("voucher", "newcomer", 701)),
        ledger(LedgerError::ReservationAboveCapacity { capacity: 700, requested: 701 })
    );
    assert_eq!(t.fails(uw, reserve("nobody", "newcomer", 1)), standing(StandingIssue::NoCreditLine));
    assert_eq!(t.fails(uw, reserve("voucher", "voucher", 1)), ContractError::SelfVouch);
    for (member, newcomer, address) in
        [(a("voucher"), "newcomer".to_string(), "newcomer"), ("nope".into(), a("newcomer"), "nope")]
    {
        let bad = ExecuteMsg::ReserveCredit { member, newcomer, amount: 1u128.into() };
        assert_eq!(t.fails(uw, bad), ContractError::InvalidAddress { address: address.into() });
    }
    let upper = a("newcomer").to_ascii_uppercase();
    let shouting = ExecuteMsg::ReserveCredit { member: a("voucher"), newcomer: upper.clone(), amount: 1u128.into() };
    assert_eq!(t.fails(uw, shouting), ContractError::AddressNotNormalized { address: upper });
    t.exec("admin", ExecuteMsg::Freeze { member: a("voucher") }).unwrap();
    assert_eq!(t.fails(uw, reserve("voucher", "newcomer", 1)), standing(StandingIssue::Frozen));
    t.exec("admin", ExecuteMsg::Unfreeze { member: a("voucher") }).unwrap();
    let term_end = t.account("voucher").line.unwrap().term_end;
    t.advance(TERM + 1);
    assert_eq!(t.fails(uw, reserve("voucher", "newcomer", 1)), standing(StandingIssue::TermEnded { term_end }));
    // Closed and defaulted lines: the same rule.
    t.uw_line("shop", 500);
    t.exec(uw, ExecuteMsg::CloseCreditLine { member: a("shop") }).unwrap();
    assert_eq!(t.fails(uw, reserve("shop", "newcomer", 1)), standing(StandingIssue::LineClosed));
    t.advance(GRACE);
    t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("voucher") }).unwrap();
    assert_eq!(t.fails(uw, reserve("voucher", "newcomer", 1)), standing(StandingIssue::Defaulted));
}

#[test]
fn a_reservation_cannot_be_spent_and_changes_no_counter() {
    let mut t = setup_vouching(true);
    t.uw_line("voucher", 1_000);
    t.pay("voucher", "alice", 200).unwrap();
    let stats = t.stats();
    let r = t.exec("underwriting", reserve("voucher", "newcomer", 500)).unwrap();
    assert_eq!(
        (attr(&r, "action"), attr(&r, "member"), attr(&r, "newcomer"), attr(&r, "amount")),
        ("reserve_credit", a("voucher").as_str(), a("newcomer").as_str(), "500")
    );
    assert_eq!(registry_calls(&r), vec![vouch_json("voucher", "vouch_given", 500, "newcomer")]);
    assert_eq!(r.messages.len(), 1);
    let acc = t.account("voucher");
    assert_eq!((acc.reserved.u128(), acc.available.u128(), acc.balance.i128()), (500, 300, -200));
    assert_eq!(acc.line.unwrap().limit.u128(), 1_000, "the limit stays; only the available credit drops");
    assert_eq!(t.stats(), stats, "supply, credit extended, members: unchanged");
    assert_eq!(
        t.fails("voucher", ExecuteMsg::Transfer { recipient: a("bob"), amount: 301u128.into() }),
        ledger(LedgerError::InsufficientCredit { available: 300, requested: 301 })
    );
    // A second vouch takes the rest; then nothing more can be reserved or spent on credit.
    t.exec("underwriting", reserve("voucher", "other", 300)).unwrap();
    assert_eq!(
        t.fails("underwriting", reserve("voucher", "third", 1)),
        ledger(LedgerError::ReservationAboveCapacity { capacity: 0, requested: 1 })
    );
    assert_eq!(
        t.fails("voucher", ExecuteMsg::Transfer { recipient: a("bob"), amount: 1u128.into() }),
        ledger(LedgerError::InsufficientCredit { available: 0, requested: 1 })
    );
    // Repaying frees the unreserved credit the debt used; what it holds stays spendable too.
    t.uw_line("bank", 10_000);
    t.pay("bank", "voucher", 250).unwrap();
    assert_eq!((t.bal("voucher"), t.account("voucher").available.u128()), (50, 250));
    t.pay("voucher", "bob", 250).unwrap();
    let acc = t.account("voucher");
    assert_eq!((acc.reserved.u128(), acc.balance.i128(), acc.available.u128()), (800, -200, 0));
}

#[test]
fn releases_by_outcome() {
    let mut t = setup_vouching(true);
    t.uw_line("voucher", 1_000);
    t.pay("voucher", "alice", 100).unwrap();
    for (newcomer, amount) in [("kept", 200), ("broken", 300), ("cancelled", 100)] {
        t.exec("underwriting", reserve("voucher", newcomer, amount)).unwrap();
    }
    let uw = "underwriting";
    assert_eq!(t.fails(uw, release("voucher", "kept", 200, VouchStatus::Active)), ContractError::VouchStillActive);
    assert_eq!(t.fails(uw, release("voucher", "kept", 0, VouchStatus::Kept)), ledger(LedgerError::ZeroAmount));
    assert_eq!(
        t.fails(uw, release("voucher", "kept", 601, VouchStatus::Kept)),
        ledger(LedgerError::ReleaseAboveReserved { reserved: 600, requested: 601 })
    );
    assert_eq!(
        t.fails(uw, release("nobody", "kept", 1, VouchStatus::Cancelled)),
        ledger(LedgerError::ReleaseAboveReserved { reserved: 0, requested: 1 })
    );
    assert_eq!(t.fails(uw, release("voucher", "voucher", 1, VouchStatus::Kept)), ContractError::SelfVouch);
    let bad = ExecuteMsg::ReleaseCredit {
        member: a("voucher"),
        newcomer: "kept".into(),
        amount: 1u128.into(),
        outcome: VouchStatus::Kept,
    };
    assert_eq!(t.fails(uw, bad), ContractError::InvalidAddress { address: "kept".into() });

    // Kept: released, the limit stays, `vouch_kept` recorded.
    let r = t.exec(uw, release("voucher", "kept", 200, VouchStatus::Kept)).unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "outcome"), attr(&r, "amount")), ("release_credit", "kept", "200"));
    assert_eq!(registry_calls(&r), vec![vouch_json("voucher", "vouch_kept", 200, "kept")]);
    let acc = t.account("voucher");
    assert_eq!((acc.reserved.u128(), acc.line.unwrap().limit.u128(), acc.available.u128()), (400, 1_000, 500));
    // Cancelled: released, no record.
    let r = t.exec(uw, release("voucher", "cancelled", 100, VouchStatus::Cancelled)).unwrap();
    assert!(r.messages.is_empty());
    assert_eq!(attr(&r, "outcome"), "cancelled");
    assert_eq!((t.account("voucher").reserved.u128(), t.account("voucher").available.u128()), (300, 600));
    // Broken: released and the limit cut by the amount, which the counters follow.
    let extended = t.stats().total_credit_extended.u128();
    let r = t.exec(uw, release("voucher", "broken", 300, VouchStatus::Broken)).unwrap();
    assert_eq!(registry_calls(&r), vec![vouch_json("voucher", "vouch_broken", 300, "broken")]);
    let acc = t.account("voucher");
    assert_eq!((acc.reserved.u128(), acc.line.unwrap().limit.u128(), acc.available.u128()), (0, 700, 600));
    assert_eq!(t.stats().total_credit_extended.u128(), extended - 300);
    assert_eq!(
        t.fails(uw, release("voucher", "broken", 1, VouchStatus::Broken)),
        ledger(LedgerError::ReleaseAboveReserved { reserved: 0, requested: 1 })
    );
}

#[test]
fn a_reservation_is_released_whatever_became_of_the_line() {
    let mut t = setup_vouching(false);
    let uw = "underwriting";
    // A cut below the debt: like a line closed in debt, no new credit, the debt still due.
    t.uw_line("deep", 1_000);
    t.pay("deep", "alice", 700).unwrap();
    t.exec(uw, reserve("deep", "newcomer", 300)).unwrap();
    let r = t.exec(uw, release("deep", "newcomer", 300, VouchStatus::Broken)).unwrap();
    assert!(r.messages.is_empty(), "no registry: no record");
    let acc = t.account("deep");
    assert_eq!((acc.line.unwrap().limit.u128(), acc.balance.i128(), acc.available.u128()), (700, -700, 0));
    // Closed, and defaulted after its term: the reservation is still released, a cut stays at 0.
    t.uw_line("closed", 1_000);
    t.exec(uw, reserve("closed", "newcomer", 400)).unwrap();
    t.exec(uw, ExecuteMsg::CloseCreditLine { member: a("closed") }).unwrap();
    t.uw_line("defaulter", 1_000);
    t.pay("defaulter", "alice", 100).unwrap();
    t.exec(uw, reserve("defaulter", "newcomer", 400)).unwrap();
    t.advance(TERM + GRACE + 1);
    t.exec("anyone", ExecuteMsg::DeclareDefault { member: a("defaulter") }).unwrap();
    for who in ["closed", "defaulter"] {
        assert_eq!(t.account(who).reserved.u128(), 400, "{who}: kept through the line change");
        t.exec(uw, release(who, "newcomer", 400, VouchStatus::Broken)).unwrap();
        let acc = t.account(who);
        assert_eq!((acc.reserved.u128(), acc.line.unwrap().limit.u128()), (0, 0), "{who}");
    }
    // A freeze does not hold a release up either.
    t.uw_line("held", 100);
    t.exec(uw, reserve("held", "newcomer", 50)).unwrap();
    t.exec("admin", ExecuteMsg::Freeze { member: a("held") }).unwrap();
    t.exec(uw, release("held", "newcomer", 50, VouchStatus::Kept)).unwrap();
    assert_eq!(t.account("held").reserved.u128(), 0);
    let s = t.stats();
    assert_eq!((s.total_supply.u128(), s.members_in_debt), (800, 2), "reservations moved no money");
}

/// A refused vouch record is kept and listed with the newcomer's DID, and sent again as it was.
#[test]
fn a_refused_vouch_record_is_kept_with_the_newcomers_did() {
    let mut t = setup_vouching(true);
    t.uw_line("voucher", 1_000);
    let r = t.exec("underwriting", reserve("voucher", "newcomer", 250)).unwrap();
    let reply = Reply {
        id: REPLY_RECORD,
        payload: r.messages[0].payload.clone(),
        gas_used: 0,
        result: SubMsgResult::Err("unauthorized".into()),
    };
    let r = t.reply(reply).unwrap();
    assert!(r.events[0].attributes.iter().any(|a| a.key == "event" && a.value == "vouch_given"));
    let kept: PendingRecordsResponse = t.q(QueryMsg::PendingReputationRecords { start_after: None, limit: None });
    let json = cosmwasm_std::to_json_string(&kept.records[0].event).unwrap();
    let did = format!("did:resource:{CHAIN}:{}", a("newcomer"));
    assert_eq!(json, format!(r#"{{"vouch_given":{{"amount":"250","member":"{did}"}}}}"#));
    assert_eq!(t.account("voucher").reserved.u128(), 250, "the reservation stands");
    let r = t.exec("anyone", ExecuteMsg::RetryReputationRecords { limit: None }).unwrap();
    assert_eq!(registry_calls(&r), vec![vouch_json("voucher", "vouch_given", 250, "newcomer")]);
}

// ---------------------------------------------------------------------------------------------
// credit periods (issue 24)

const HALF_ITD: u64 = 500_000;

impl T {
    /// `member` gets a line of `limit` for `TERM` on period terms with a 50 % minimum ITD.
    fn period_line(&mut self, member: &str, limit: u128) {
        self.line(member, limit);
        self.exec("admin", ExecuteMsg::SetCreditPeriod { member: a(member), min_itd: Some(HALF_ITD) }).unwrap();
    }

    fn sync(&mut self, member: &str) -> Result<Response, ContractError> {
        self.exec("anyone", ExecuteMsg::SyncCreditPeriod { member: a(member) })
    }
}

#[test]
fn credit_period_messages_need_the_credit_authority_and_a_line() {
    let mut t = setup(0);
    let set = ExecuteMsg::SetCreditPeriod { member: a("shop"), min_itd: Some(HALF_ITD) };
    assert_eq!(t.fails("admin", set.clone()), ledger(LedgerError::NoCreditLine));
    t.line("shop", 1_000);
    assert!(matches!(t.fails("shop", set.clone()), ContractError::Unauthorized { .. }));
    for msg in
        [ExecuteMsg::PauseCreditPeriod { member: a("shop") }, ExecuteMsg::UnpauseCreditPeriod { member: a("shop") }]
    {
        assert!(matches!(t.fails("shop", msg.clone()), ContractError::Unauthorized { .. }));
        assert_eq!(t.fails("admin", msg), ledger(LedgerError::NoCreditPeriod));
    }
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SyncCreditPeriod { member: a("shop") }),
        ledger(LedgerError::NoCreditPeriod)
    );
    let r = t.exec("admin", set).unwrap();
    assert_eq!(attr(&r, "action"), "set_credit_period");
    let period = t.account("shop").period.unwrap();
    assert_eq!(
        (period.issued_at, period.expiration, period.grace_end),
        (t.now(), t.now() + TERM, t.now() + TERM + GRACE)
    );
    assert_eq!((period.min_itd, period.paused, period.income.u128()), (HALF_ITD, false, 0));
    assert_eq!(
        t.fails("anyone", ExecuteMsg::SyncCreditPeriod { member: a("shop") }),
        ledger(LedgerError::CreditPeriodRunning { expiration: t.now() + TERM })
    );
    t.exec("admin", ExecuteMsg::SetCreditPeriod { member: a("shop"), min_itd: None }).unwrap();
    assert_eq!(t.account("shop").period, None);
}

#[test]
fn a_payment_renews_a_compliant_period_and_records_income() {
    let mut t = setup_with_registry(0);
    t.period_line("shop", 1_000);
    t.set_line("bank", 10_000);
    t.pay("shop", "bank", 400).unwrap();
    t.pay("bank", "shop", 100).unwrap();
    t.pay("bank", "shop", 100).unwrap();
    let itd: resource_msgs::credit_token::ItdResponse = t.q(QueryMsg::ItdOf { address: a("shop") });
    assert_eq!(
        (itd.itd, itd.min_itd, itd.compliant),
        (Some(Uint128::new(1_000_000)), HALF_ITD, true),
        "200 on 200 owed"
    );
    t.advance(TERM + 1);
    // As of now the period is renewed; the next payment stores the renewal.
    let shown = t.account("shop").period.unwrap();
    assert_eq!((shown.issued_at, shown.income.u128()), (t.now(), 0));
    let r = t.pay("shop", "bank", 10).unwrap();
    let renewed = r.events.iter().find(|e| e.ty == "credit_period_renewed").expect("renewal event");
    let attrs: Vec<(&str, &str)> = renewed.attributes.iter().map(|a| (a.key.as_str(), a.value.as_str())).collect();
    let expiration = (t.now() + TERM).to_string();
    assert_eq!(attrs, vec![("member", a("shop").as_str()), ("expiration", expiration.as_str())]);
    assert!(registry_calls(&r).is_empty(), "still in debt: no on-time record");
    let acc = t.account("shop");
    assert_eq!((acc.balance.i128(), acc.line.unwrap().term_end), (-210, t.now() + TERM));
    assert_eq!(t.account("shop").period.unwrap().income.u128(), 0);
}

/// A network with a registry where shop, on period terms, borrowed 300 and repaid it all, and whose
/// period has just expired: it meets its terms, and its term calls for `repaid_on_time`.
fn repaid_and_expired() -> T {
    let mut t = setup_with_registry(0);
    t.period_line("shop", 1_000);
    t.set_line("bank", 10_000);
    t.pay("shop", "bank", 300).unwrap();
    t.pay("bank", "shop", 300).unwrap();
    t.advance(TERM + 1);
    t
}

#[test]
fn a_renewal_by_sync_settles_the_term_and_records_it() {
    let mut t = repaid_and_expired();
    let r = t.sync("shop").unwrap();
    assert_eq!((attr(&r, "action"), attr(&r, "outcome")), ("sync_credit_period", "renewed"));
    assert_eq!(registry_calls(&r), vec![repaid("shop", 300)]);
    assert_eq!(t.sync("shop").unwrap_err(), ledger(LedgerError::CreditPeriodRunning { expiration: t.now() + TERM }));
}

#[test]
fn grace_freeze_then_default_by_sync() {
    let mut t = setup_with_registry(0);
    t.period_line("shop", 1_000);
    t.set_line("bank", 10_000);
    t.pay("shop", "bank", 400).unwrap();
    t.advance(TERM + 1);
    let expiration = t.now() - 1;
    let frozen = ledger(LedgerError::CreditFrozenInGrace { expiration, needed_income: 134 });
    assert_eq!(t.fails("shop", ExecuteMsg::Transfer { recipient: a("bank"), amount: 1u128.into() }), frozen);
    assert_eq!(t.fails("anyone", ExecuteMsg::SyncCreditPeriod { member: a("shop") }), frozen);
    let needed: resource_msgs::credit_token::NeededIncomeResponse = t.q(QueryMsg::NeededIncome { address: a("shop") });
    assert_eq!(needed.needed_income.u128(), 134);
    assert_eq!(t.account("shop").standing, Standing::PastDue);
    // Income in grace counts; not enough yet.
    t.pay("bank", "shop", 100).unwrap();
    assert_eq!(t.account("shop").period.unwrap().needed_income.u128(), 34);
    t.advance(GRACE);
    let ran_out = ledger(LedgerError::GraceRanOut { expiration, grace_end: expiration + GRACE });
    assert_eq!(t.fails("shop", ExecuteMsg::Transfer { recipient: a("bank"), amount: 1u128.into() }), ran_out);
    let r = t.sync("shop").unwrap();
    assert_eq!((attr(&r, "outcome"), attr(&r, "debt")), ("defaulted", "300"));
    assert_eq!(registry_calls(&r), vec![record_json("shop", r#"{"defaulted":{"amount":"300"}}"#)]);
    assert_eq!((t.bal("shop"), t.bal("loss")), (0, -300));
    // InDefault: terminal.
    assert_eq!(t.account("shop").line.unwrap().status, LineStatus::Defaulted);
    assert_eq!(t.sync("shop").unwrap_err(), ledger(LedgerError::NoCreditPeriod));
    assert_eq!(
        t.fails("shop", ExecuteMsg::Transfer { recipient: a("bank"), amount: 1u128.into() }),
        ledger(LedgerError::AccountDefaulted)
    );
}

#[test]
fn a_paused_period_holds_every_rule_back() {
    let mut t = setup(0);
    t.period_line("shop", 1_000);
    t.pay("shop", "bank", 400).unwrap();
    t.exec("admin", ExecuteMsg::PauseCreditPeriod { member: a("shop") }).unwrap();
    assert_eq!(
        t.fails("admin", ExecuteMsg::PauseCreditPeriod { member: a("shop") }),
        ledger(LedgerError::AlreadyPaused)
    );
    t.advance(TERM + GRACE + 100);
    assert_eq!(t.sync("shop").unwrap_err(), ledger(LedgerError::CreditPeriodPaused));
    assert_eq!(
        t.fails("anyone", ExecuteMsg::DeclareDefault { member: a("shop") }),
        ledger(LedgerError::CreditPeriodPaused)
    );
    t.pay("shop", "bank", 100).unwrap();
    assert_eq!(t.account("shop").standing, Standing::Good);
    t.exec("admin", ExecuteMsg::UnpauseCreditPeriod { member: a("shop") }).unwrap();
    assert_eq!(attr(&t.sync("shop").unwrap(), "outcome"), "defaulted");
}

#[test]
fn a_member_meeting_its_terms_is_not_declared_in_default() {
    let mut t = setup(0);
    t.period_line("shop", 1_000);
    t.line("bank", 10_000);
    t.pay("shop", "bank", 400).unwrap();
    t.pay("bank", "shop", 200).unwrap();
    t.advance(TERM + GRACE + 1);
    assert_eq!(
        t.fails("anyone", ExecuteMsg::DeclareDefault { member: a("shop") }),
        ledger(LedgerError::MeetsCreditTerms)
    );
    assert_eq!(attr(&t.sync("shop").unwrap(), "outcome"), "renewed");
}

// ---------------------------------------------------------------------------------------------
// risk-priced fees (issue 24)

#[test]
fn transfer_with_credit_fees() {
    let mut t = setup(100);
    t.line("shop", 2_000);
    let set = |bps: u16| ExecuteMsg::SetRiskFee { member: a("shop"), risk_fee_bps: bps };
    assert!(matches!(t.fails("shop", set(500)), ContractError::Unauthorized { .. }));
    assert_eq!(t.fails("admin", set(10_001)), ledger(LedgerError::FeeRateTooHigh { bps: 10_001 }));
    assert_eq!(
        t.fails("admin", ExecuteMsg::SetRiskFee { member: a("bob"), risk_fee_bps: 5 }),
        ledger(LedgerError::NoCreditLine)
    );
    assert_eq!(attr(&t.exec("admin", set(500)).unwrap(), "action"), "set_risk_fee");
    assert_eq!(t.account("shop").risk_fee_bps, 500);
    // Holding 400 and paying 1,000: 1 % of 1,000 plus 5 % of the 600 drawn on credit.
    t.line("bank", 10_000);
    t.pay("bank", "shop", 400).unwrap();
    let collected = t.bal("collector");
    let r = t.pay("shop", "alice", 1_000).unwrap();
    assert_eq!(attr(&r, "fee"), "40");
    // FeeCollection: the whole fee reaches the collector.
    assert_eq!(t.bal("collector") - collected, 40);
    assert_eq!(t.bal("shop"), 400 - 1_040);
    // Spending what it holds pays the base fee only.
    t.pay("bank", "shop", 2_000).unwrap();
    assert_eq!(attr(&t.pay("shop", "alice", 100).unwrap(), "fee"), "1");
}

#[test]
fn pause_fees() {
    let mut t = setup(100);
    t.line("shop", 2_000);
    t.exec("admin", ExecuteMsg::SetRiskFee { member: a("shop"), risk_fee_bps: 500 }).unwrap();
    let pause =
        |paused: bool| ExecuteMsg::UpdateConfig(ConfigUpdate { fees_paused: Some(paused), ..Default::default() });
    assert!(matches!(t.fails("shop", pause(true)), ContractError::Unauthorized { .. }));
    t.exec("admin", pause(true)).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert!(cfg.fees_paused);
    let r = t.pay("shop", "alice", 1_000).unwrap();
    assert_eq!((attr(&r, "fee"), t.bal("collector")), ("0", 0), "neither the base nor the risk part");
    t.exec("admin", pause(false)).unwrap();
    assert_eq!(attr(&t.pay("shop", "alice", 100).unwrap(), "fee"), "6");
}

/// Found in review: operations other than payments and syncs read the stored account, so a line
/// changed after its period had expired (the member meeting its terms) was taken for a new term,
/// granted in full, whereas a sync first would have renewed it.
#[test]
fn line_operations_see_the_period_renewed_as_of_now() {
    let mut t = repaid_and_expired();
    let term_end = t.now() + TERM;
    let r =
        t.exec("admin", ExecuteMsg::SetCreditLine { member: a("shop"), limit: 1_500u128.into(), term_end }).unwrap();
    assert!(r.events.iter().any(|e| e.ty == "credit_period_renewed"), "{r:?}");
    assert_eq!(registry_calls(&r), vec![repaid("shop", 300), granted("shop", 500, TERM)], "the raise only");
    // A freeze after the next expiration renews the period too, and says so.
    t.advance(TERM + 1);
    let r = t.exec("admin", ExecuteMsg::Freeze { member: a("shop") }).unwrap();
    assert!(r.events.iter().any(|e| e.ty == "credit_period_renewed"), "{r:?}");
    assert_eq!(t.account("shop").line.unwrap().term_start, t.now());
}
