//! The credit token in cw-multi-test: the pilot in miniature, pull payments, a send hook into another
//! contract, defaults, freezing, fees, admin handover, migration, and bad input changing nothing.

use crate::contracts::{shop_contract, token_contract};
use cosmwasm_std::{to_json_binary, Addr, Binary, Empty};
use cw20::{AllowanceResponse, BalanceResponse, Cw20ReceiveMsg, TokenInfoResponse};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};

use resource_core::ledger::LedgerError;
use resource_credit_token::ContractError;
use resource_msgs::credit_token::{
    ConfigUpdate, CreditAccountResponse, ExecuteMsg, InstantiateMsg, LineStatus, NetworkStatsResponse, QueryMsg,
};
use resource_testing::multi;

const TERM: u64 = 90 * 86_400;
const GRACE: u64 = 30 * 86_400;

struct Net {
    app: App,
    token: Addr,
}

impl Net {
    fn new(fee_bps: u16) -> Net {
        let mut app = App::default();
        let code = app.store_code(token_contract());
        let admin = app.api().addr_make("admin");
        let msg = InstantiateMsg {
            name: "Asheville Credit".into(),
            symbol: "AVL".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps,
            fee_collector: app.api().addr_make("collector").into(),
            fee_exempt: vec![app.api().addr_make("clearing").into()],
            loss_account: app.api().addr_make("loss").into(),
            default_grace_period: GRACE,
            did_registry: None,
            min_term: None,
            min_grace_period: None,
        };
        let token = app.instantiate_contract(code, admin.clone(), &msg, &[], "credit", Some(admin.into())).unwrap();
        Net { app, token }
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute(&mut self.app, sender, &self.token, msg)
    }

    fn pay(&mut self, from: &str, to: &str, amount: u128) -> AppResponse {
        let msg = ExecuteMsg::Transfer { recipient: self.addr(to).into(), amount: amount.into() };
        self.exec(from, &msg).unwrap()
    }

    fn line(&mut self, member: &str, limit: u128) {
        let term_end = self.app.block_info().time.seconds() + TERM;
        let msg = ExecuteMsg::SetCreditLine { member: self.addr(member).into(), limit: limit.into(), term_end };
        self.exec("admin", &msg).unwrap();
    }

    fn q<R: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.token, msg).unwrap()
    }

    fn account(&self, who: &str) -> CreditAccountResponse {
        self.q(&QueryMsg::CreditAccount { address: self.addr(who).into() })
    }

    fn bal(&self, who: &str) -> i128 {
        self.account(who).balance.i128()
    }

    fn stats(&self) -> NetworkStatsResponse {
        self.q(&QueryMsg::NetworkStats {})
    }

    fn supply(&self) -> u128 {
        let info: TokenInfoResponse = self.q(&QueryMsg::TokenInfo {});
        info.total_supply.u128()
    }

    fn advance(&mut self, secs: u64) {
        multi::advance(&mut self.app, secs);
    }
}

/// An amount attribute of the token's `wasm` event.
fn wasm_amount(r: &AppResponse, key: &str) -> u128 {
    multi::wasm_attr(r, key).parse().unwrap()
}

#[test]
fn asheville_pilot_in_miniature() {
    let mut n = Net::new(0);
    let people = ["employer", "emp1", "emp2", "bakery", "grocer"];
    n.line("employer", 10_000);
    let (mut minted, mut burned) = (0u128, 0u128);
    let mut step = |n: &mut Net, from: &str, to: &str, amount: u128| {
        let r = n.pay(from, to, amount);
        minted += wasm_amount(&r, "minted");
        burned += wasm_amount(&r, "burned");
        let sum: i128 = people.iter().map(|p| n.bal(p)).sum();
        assert_eq!(sum, 0, "balances always sum to zero");
        assert_eq!(n.supply(), minted - burned, "supply follows the reported amounts");
    };
    // Payday: the employer pays wages on credit.
    step(&mut n, "employer", "emp1", 3_000);
    step(&mut n, "employer", "emp2", 3_000);
    assert_eq!((n.bal("employer"), n.supply()), (-6_000, 6_000));
    assert_eq!(n.stats().members_in_debt, 1);
    // Employees spend at local businesses.
    step(&mut n, "emp1", "bakery", 2_000);
    step(&mut n, "emp2", "grocer", 3_000);
    // The businesses and the remaining wages come back to the employer as sales.
    step(&mut n, "bakery", "employer", 2_000);
    step(&mut n, "grocer", "employer", 3_000);
    step(&mut n, "emp1", "employer", 1_000);
    assert_eq!((minted, burned), (6_000, 6_000));
    for p in people {
        assert_eq!(n.bal(p), 0, "{p}");
    }
    let s = n.stats();
    assert_eq!((s.total_supply.u128(), s.members_in_debt, s.members), (0, 0, 5));
    assert_eq!(s.total_credit_extended.u128(), 10_000);
    assert_eq!(n.account("employer").available.u128(), 10_000, "the line is whole again");
}

#[test]
fn transfer_from_takes_the_owner_below_zero() {
    let mut n = Net::new(0);
    n.line("employer", 1_000);
    let payroll = n.addr("payroll").to_string();
    n.exec(
        "employer",
        &ExecuteMsg::IncreaseAllowance { spender: payroll.clone(), amount: 800u128.into(), expires: None },
    )
    .unwrap();
    let msg = ExecuteMsg::TransferFrom {
        owner: n.addr("employer").into(),
        recipient: n.addr("emp1").into(),
        amount: 700u128.into(),
    };
    let r = n.exec("payroll", &msg).unwrap();
    assert_eq!(wasm_amount(&r, "minted"), 700);
    assert_eq!((n.bal("employer"), n.bal("emp1"), n.bal("payroll")), (-700, 700, 0));
    let al: AllowanceResponse = n.q(&QueryMsg::Allowance { owner: n.addr("employer").into(), spender: payroll });
    assert_eq!(al.allowance.u128(), 100);
    // Beyond the allowance (within the owner's credit): refused, nothing moves.
    let msg = ExecuteMsg::TransferFrom {
        owner: n.addr("employer").into(),
        recipient: n.addr("emp1").into(),
        amount: 200u128.into(),
    };
    let err = n.exec("payroll", &msg).unwrap_err();
    assert_eq!(err, ContractError::InsufficientAllowance { allowance: 100, requested: 200 });
    assert_eq!(n.bal("employer"), -700);
    let b: BalanceResponse = n.q(&QueryMsg::Balance { address: n.addr("employer").into() });
    assert!(b.balance.is_zero());
}

#[test]
fn send_into_a_receiver_contract() {
    let mut n = Net::new(0);
    let shop_code = n.app.store_code(shop_contract());
    let owner = n.addr("owner");
    let shop = n.app.instantiate_contract(shop_code, owner, &Empty {}, &[], "shop", None).unwrap();
    n.line("employer", 500);
    let payload = to_json_binary(&"order-42").unwrap();
    let msg = ExecuteMsg::Send { contract: shop.to_string(), amount: 120u128.into(), msg: payload.clone() };
    n.exec("employer", &msg).unwrap();
    let (caller, hook): (Addr, Cw20ReceiveMsg) = n.app.wrap().query_wasm_smart(&shop, &Empty {}).unwrap();
    assert_eq!(caller, n.token);
    assert_eq!((hook.sender, hook.amount.u128(), hook.msg), (n.addr("employer").to_string(), 120, payload));
    assert_eq!(n.supply(), 120);
    // A failing hook reverts the transfer too.
    let fail =
        ExecuteMsg::Send { contract: shop.to_string(), amount: 10u128.into(), msg: to_json_binary(&"fail").unwrap() };
    assert!(n.app.execute_contract(n.addr("employer"), n.token.clone(), &fail, &[]).is_err());
    assert_eq!((n.bal("employer"), n.supply()), (-120, 120));
}

#[test]
fn past_due_default_moves_the_debt_to_the_loss_account() {
    let mut n = Net::new(0);
    n.line("employer", 1_000);
    n.pay("employer", "emp1", 600);
    n.pay("emp1", "employer", 100);
    let dd = ExecuteMsg::DeclareDefault { member: n.addr("employer").into() };
    n.advance(TERM + 1);
    assert_eq!(n.account("employer").available.u128(), 0, "no new credit after the term");
    let err = n.exec("stranger", &dd).unwrap_err();
    assert!(matches!(err, ContractError::Ledger(LedgerError::DefaultTooEarly { .. })), "{err}");
    n.advance(GRACE);
    let r = n.exec("stranger", &dd).unwrap();
    assert_eq!(wasm_amount(&r, "debt"), 500);
    assert_eq!((n.bal("employer"), n.bal("loss"), n.bal("emp1")), (0, -500, 500));
    let acc = n.account("employer");
    assert_eq!(acc.line.unwrap().status, LineStatus::Defaulted);
    let s = n.stats();
    assert_eq!((s.total_supply.u128(), s.loss_account_balance.i128(), s.members_in_debt), (500, -500, 1));
    let err = n.exec("employer", &ExecuteMsg::Transfer { recipient: n.addr("emp1").into(), amount: 1u128.into() });
    assert_eq!(err.unwrap_err(), ContractError::Ledger(LedgerError::AccountDefaulted));
}

#[test]
fn frozen_account_receives_but_cannot_spend() {
    let mut n = Net::new(0);
    n.line("employer", 1_000);
    n.pay("employer", "emp1", 300);
    n.exec("admin", &ExecuteMsg::Freeze { member: n.addr("employer").into() }).unwrap();
    let spend = ExecuteMsg::Transfer { recipient: n.addr("emp1").into(), amount: 1u128.into() };
    assert_eq!(n.exec("employer", &spend).unwrap_err(), ContractError::Ledger(LedgerError::AccountFrozen));
    assert!(n.account("employer").frozen);
    let r = n.pay("emp1", "employer", 300);
    assert_eq!(wasm_amount(&r, "burned"), 300);
    assert_eq!(n.supply(), 0);
    n.exec("admin", &ExecuteMsg::Unfreeze { member: n.addr("employer").into() }).unwrap();
    n.exec("employer", &spend).unwrap();
}

#[test]
fn fees_are_routed_to_the_collector() {
    let mut n = Net::new(30); // 0.3 %
    n.line("employer", 100_000);
    let r = n.pay("employer", "emp1", 10_000);
    assert_eq!((wasm_amount(&r, "fee"), wasm_amount(&r, "minted")), (30, 10_030));
    assert_eq!((n.bal("employer"), n.bal("emp1"), n.bal("collector")), (-10_030, 10_000, 30));
    // Paying back: the fee is still charged to the payer.
    let r = n.pay("emp1", "employer", 5_000);
    assert_eq!((wasm_amount(&r, "fee"), wasm_amount(&r, "burned")), (15, 5_000));
    assert_eq!(n.bal("collector"), 45);
    // A fee-exempt contract (clearing) is paid only through Send, so nothing lands there unannounced
    // (paths through Send, and the fee they pay, are in `fee_paths`).
    let plain = ExecuteMsg::Transfer { recipient: n.addr("clearing").into(), amount: 1_000u128.into() };
    assert_eq!(n.exec("emp1", &plain).unwrap_err(), ContractError::PlainTransferToNetworkContract);
    let total: i128 = ["employer", "emp1", "collector"].iter().map(|p| n.bal(p)).sum();
    assert_eq!(total, 0);
    assert_eq!(n.supply(), 4_985 + 45);
    assert_eq!(n.bal("employer"), -5_030, "supply equals the debt");
}

#[test]
fn admin_handover_is_two_step() {
    let mut n = Net::new(0);
    let propose = ExecuteMsg::UpdateAdmin { new_admin: n.addr("operator2").into() };
    assert_eq!(n.exec("operator2", &propose).unwrap_err(), ContractError::Unauthorized { role: "the admin" });
    n.exec("admin", &propose).unwrap();
    // Until accepted, the old admin keeps every right and a third party cannot take over.
    n.line("employer", 100);
    assert_eq!(
        n.exec("intruder", &ExecuteMsg::AcceptAdmin {}).unwrap_err(),
        ContractError::Unauthorized { role: "the proposed admin" }
    );
    n.exec("operator2", &ExecuteMsg::AcceptAdmin {}).unwrap();
    let cfg: resource_msgs::credit_token::ConfigResponse = n.q(&QueryMsg::Config {});
    assert_eq!((cfg.admin, cfg.pending_admin), (n.addr("operator2"), None));
    let term_end = n.app.block_info().time.seconds() + TERM;
    let grocer = n.addr("grocer").to_string();
    let line = |limit: u128| ExecuteMsg::SetCreditLine { member: grocer.clone(), limit: limit.into(), term_end };
    assert_eq!(n.exec("admin", &line(50)).unwrap_err(), ContractError::Unauthorized { role: "the admin" });
    n.exec("operator2", &line(50)).unwrap();
    assert_eq!(n.account("grocer").line.unwrap().limit.u128(), 50);
}

#[test]
fn migration_keeps_the_ledger_and_refuses_other_contracts() {
    let mut n = Net::new(0);
    n.line("employer", 1_000);
    n.pay("employer", "emp1", 400);
    let before = n.app.dump_wasm_raw(&n.token);
    let new_code = n.app.store_code(token_contract());
    let admin = n.addr("admin");
    let r = n
        .app
        .migrate_contract(admin.clone(), n.token.clone(), &resource_msgs::credit_token::MigrateMsg {}, new_code)
        .unwrap();
    let attr =
        |k: &str| r.events.iter().flat_map(|e| e.attributes.iter()).find(|a| a.key == k).map(|a| a.value.clone());
    assert_eq!(attr("action").as_deref(), Some("migrate"));
    assert_eq!(attr("to_version").as_deref(), Some(env!("CARGO_PKG_VERSION")));
    assert_eq!(n.app.dump_wasm_raw(&n.token), before, "migration to the same version changes no record");
    assert_eq!((n.bal("employer"), n.bal("emp1"), n.supply()), (-400, 400, 400));
    n.pay("emp1", "employer", 400);
    assert_eq!(n.supply(), 0);

    // A cw20-base contract cannot be migrated into a credit token: its storage means something else.
    let cw20_code = n.app.store_code(Box::new(
        ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        )
        .with_migrate(cw20_base::contract::migrate),
    ));
    let init = cw20_base::msg::InstantiateMsg {
        name: "Other".into(),
        symbol: "OTH".into(),
        decimals: 6,
        initial_balances: vec![],
        mint: None,
        marketing: None,
    };
    let other =
        n.app.instantiate_contract(cw20_code, admin.clone(), &init, &[], "other", Some(admin.to_string())).unwrap();
    let err = n.app.migrate_contract(admin, other, &resource_msgs::credit_token::MigrateMsg {}, new_code).unwrap_err();
    let err: ContractError = err.downcast().unwrap();
    assert_eq!(err, ContractError::CannotMigrate { previous_contract: "crates.io:cw20-base".into() });
}

/// Every message with bad input: a typed error, and not one byte of the contract's storage changes.
#[test]
fn bad_input_on_every_message_changes_nothing() {
    let mut n = Net::new(0);
    n.line("employer", 1_000);
    n.pay("employer", "emp1", 600);
    let a = |n: &Net, who: &str| n.addr(who).to_string();
    let term_end = n.app.block_info().time.seconds() + TERM;
    let huge = cosmwasm_std::Uint128::MAX;
    let cases: Vec<(&str, ExecuteMsg, ContractError)> = vec![
        (
            "emp1",
            ExecuteMsg::Transfer { recipient: a(&n, "grocer"), amount: 0u128.into() },
            ContractError::Ledger(LedgerError::ZeroAmount),
        ),
        (
            "emp1",
            ExecuteMsg::Transfer { recipient: a(&n, "grocer"), amount: huge },
            ContractError::Ledger(LedgerError::Overflow),
        ),
        (
            "emp1",
            ExecuteMsg::Transfer { recipient: "not-an-address".into(), amount: 1u128.into() },
            ContractError::InvalidAddress { address: "not-an-address".into() },
        ),
        (
            "emp1",
            ExecuteMsg::Transfer { recipient: a(&n, "emp1"), amount: 1u128.into() },
            ContractError::Ledger(LedgerError::SelfTransfer),
        ),
        (
            "emp1",
            ExecuteMsg::Transfer { recipient: a(&n, "grocer"), amount: 601u128.into() },
            ContractError::Ledger(LedgerError::InsufficientCredit { available: 600, requested: 601 }),
        ),
        (
            "emp1",
            ExecuteMsg::Send { contract: "nope".into(), amount: 1u128.into(), msg: Binary::default() },
            ContractError::InvalidAddress { address: "nope".into() },
        ),
        (
            "emp1",
            ExecuteMsg::IncreaseAllowance { spender: a(&n, "emp1"), amount: 5u128.into(), expires: None },
            ContractError::CannotSetOwnAccount,
        ),
        (
            "emp1",
            ExecuteMsg::DecreaseAllowance { spender: a(&n, "grocer"), amount: 5u128.into(), expires: None },
            ContractError::NoAllowance,
        ),
        (
            "grocer",
            ExecuteMsg::TransferFrom { owner: a(&n, "emp1"), recipient: a(&n, "grocer"), amount: 1u128.into() },
            ContractError::NoAllowance,
        ),
        (
            "grocer",
            ExecuteMsg::SendFrom {
                owner: a(&n, "emp1"),
                contract: a(&n, "grocer"),
                amount: 1u128.into(),
                msg: Binary::default(),
            },
            ContractError::NoAllowance,
        ),
        (
            "emp1",
            ExecuteMsg::SetCreditLine { member: a(&n, "emp1"), limit: 10u128.into(), term_end },
            ContractError::Unauthorized { role: "the admin" },
        ),
        (
            "admin",
            ExecuteMsg::SetCreditLine { member: a(&n, "employer"), limit: 599u128.into(), term_end },
            ContractError::Ledger(LedgerError::LimitBelowDebt { limit: 599, debt: 600 }),
        ),
        (
            "admin",
            ExecuteMsg::SetCreditLine { member: a(&n, "grocer"), limit: 10u128.into(), term_end: 1 },
            ContractError::Ledger(LedgerError::TermEndNotInFuture {
                term_end: 1,
                now: n.app.block_info().time.seconds(),
            }),
        ),
        (
            "emp1",
            ExecuteMsg::CloseCreditLine { member: a(&n, "employer") },
            ContractError::Unauthorized { role: "the admin" },
        ),
        ("emp1", ExecuteMsg::Freeze { member: a(&n, "employer") }, ContractError::Unauthorized { role: "the admin" }),
        ("emp1", ExecuteMsg::Unfreeze { member: a(&n, "employer") }, ContractError::Unauthorized { role: "the admin" }),
        (
            "emp1",
            ExecuteMsg::UpdateConfig(ConfigUpdate {
                fee_bps: Some(1),
                fee_collector: None,
                fee_exempt: None,
                loss_account: None,
                default_grace_period: None,
                min_term: None,
                min_grace_period: None,
                underwriting: None,
                remove_underwriting: false,
                did_registry: None,
                remove_did_registry: false,
                fees_paused: None,
            }),
            ContractError::Unauthorized { role: "the admin" },
        ),
        (
            "emp1",
            ExecuteMsg::UpdateAdmin { new_admin: a(&n, "emp1") },
            ContractError::Unauthorized { role: "the admin" },
        ),
        ("emp1", ExecuteMsg::AcceptAdmin {}, ContractError::NoPendingAdmin),
    ];
    for (sender, msg, expected) in cases {
        let before = n.app.dump_wasm_raw(&n.token);
        let err = n.exec(sender, &msg).unwrap_err();
        assert_eq!(err, expected, "{msg:?}");
        assert!(!err.to_string().is_empty());
        assert_eq!(n.app.dump_wasm_raw(&n.token), before, "{msg:?} changed storage");
    }
    // A default declared before term end plus grace.
    let before = n.app.dump_wasm_raw(&n.token);
    let err = n.exec("anyone", &ExecuteMsg::DeclareDefault { member: a(&n, "employer") }).unwrap_err();
    assert!(matches!(err, ContractError::Ledger(LedgerError::DefaultTooEarly { .. })), "{err}");
    assert_eq!(n.app.dump_wasm_raw(&n.token), before);
    assert_eq!((n.bal("employer"), n.bal("emp1"), n.supply()), (-600, 600, 600));
}
