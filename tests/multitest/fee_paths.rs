//! The network fee on every path a payment can take: a plain `Transfer`, a `TransferFrom` through an
//! allowance, a `Send` to a contract, and settling an obligation through the clearing contract (a
//! `Send` the clearing contract forwards). Property: for any sequence of payments at any rate, the
//! collector receives exactly the fee schedule's `ceil(amount * bps / 10_000)` per payment, once, and
//! the payee exactly the amount, however the payment is routed. Finding: settlement through the
//! fee-exempt clearing contract used to pay no fee at all.

use crate::contracts::{clearing_contract, shop_contract, token_contract};
use cosmwasm_std::{to_json_binary, Addr, Binary, Empty};
use cw_multi_test::{App, Executor};
use proptest::prelude::*;

use resource_msgs::clearing::{
    ExecuteMsg as ClearingMsg, InstantiateMsg as ClearingInit, ReceiveMsg as ClearingReceive,
};
use resource_msgs::credit_token::{CreditAccountResponse, ExecuteMsg, InstantiateMsg, QueryMsg};
use resource_testing::multi;

const DAY: u64 = 86_400;

#[derive(Clone, Copy, Debug)]
enum Path {
    Transfer,
    TransferFrom,
    Send,
    ClearingSettlement,
}

struct Net {
    app: App,
    token: Addr,
    clearing: Addr,
    shop: Addr,
}

impl Net {
    fn new(fee_bps: u16) -> Net {
        let mut app = App::default();
        let admin = app.api().addr_make("admin");
        let (token_code, clearing_code, shop_code) =
            (app.store_code(token_contract()), app.store_code(clearing_contract()), app.store_code(shop_contract()));
        let clearing = app
            .instantiate_contract(clearing_code, admin.clone(), &ClearingInit::default(), &[], "clearing", None)
            .unwrap();
        let shop = app.instantiate_contract(shop_code, admin.clone(), &Empty {}, &[], "shop", None).unwrap();
        let msg = InstantiateMsg {
            name: "Asheville Credit".into(),
            symbol: "AVL".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps,
            fee_collector: app.api().addr_make("collector").into(),
            fee_exempt: vec![clearing.to_string()],
            loss_account: app.api().addr_make("loss").into(),
            default_grace_period: 30 * DAY,
            did_registry: None,
            min_term: None,
            min_grace_period: None,
        };
        let token = app.instantiate_contract(token_code, admin.clone(), &msg, &[], "credit", None).unwrap();
        let set_token =
            ClearingMsg::UpdateConfig { credit_token: Some(token.to_string()), max_entries: None, round_window: None };
        app.execute_contract(admin, clearing.clone(), &set_token, &[]).unwrap();
        let mut n = Net { app, token, clearing, shop };
        let term_end = n.app.block_info().time.seconds() + 90 * DAY;
        let line =
            ExecuteMsg::SetCreditLine { member: n.addr("payer").into(), limit: 1_000_000_000_000u128.into(), term_end };
        n.token_exec("admin", &line);
        n
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn token_exec(&mut self, sender: &str, msg: &ExecuteMsg) {
        let sender = self.addr(sender);
        multi::execute::<_, resource_credit_token::ContractError>(&mut self.app, sender, &self.token, msg)
            .unwrap_or_else(|e| panic!("{msg:?}: {e}"));
    }

    fn balance(&self, who: &Addr) -> i128 {
        let q = QueryMsg::CreditAccount { address: who.to_string() };
        let r: CreditAccountResponse = self.app.wrap().query_wasm_smart(&self.token, &q).unwrap();
        r.balance.i128()
    }

    /// Pays `amount` from the payer along `path`; returns who received it.
    fn pay(&mut self, path: Path, amount: u128) -> Addr {
        let payee = self.addr("payee");
        match path {
            Path::Transfer => {
                self.token_exec("payer", &ExecuteMsg::Transfer { recipient: payee.to_string(), amount: amount.into() })
            }
            Path::TransferFrom => {
                let spender = self.addr("payroll").to_string();
                // The allowance covers amount plus fee (the fee is at most the amount).
                let allow = ExecuteMsg::IncreaseAllowance { spender, amount: (2 * amount).into(), expires: None };
                self.token_exec("payer", &allow);
                let from = ExecuteMsg::TransferFrom {
                    owner: self.addr("payer").into(),
                    recipient: payee.to_string(),
                    amount: amount.into(),
                };
                self.token_exec("payroll", &from);
            }
            Path::Send => {
                let send =
                    ExecuteMsg::Send { contract: self.shop.to_string(), amount: amount.into(), msg: Binary::default() };
                self.token_exec("payer", &send);
                return self.shop.clone();
            }
            Path::ClearingSettlement => {
                // The payee invoices, the payer accepts and settles through the clearing contract.
                let due = self.app.block_info().time.seconds() + DAY;
                let propose = ClearingMsg::Propose {
                    debtor: self.addr("payer").into(),
                    amount: amount.into(),
                    due,
                    reference: None,
                };
                let r = self.app.execute_contract(payee.clone(), self.clearing.clone(), &propose, &[]).unwrap();
                let id: u64 = multi::wasm_attr(&r, "obligation_id").parse().unwrap();
                let payer = self.addr("payer");
                self.app.execute_contract(payer, self.clearing.clone(), &ClearingMsg::Accept { id }, &[]).unwrap();
                let msg = to_json_binary(&ClearingReceive::SettleWithCredit { obligation: id }).unwrap();
                let send = ExecuteMsg::Send { contract: self.clearing.to_string(), amount: amount.into(), msg };
                self.token_exec("payer", &send);
            }
        }
        payee
    }
}

fn path() -> impl Strategy<Value = Path> {
    prop_oneof![Just(Path::Transfer), Just(Path::TransferFrom), Just(Path::Send), Just(Path::ClearingSettlement)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_collector_receives_exactly_the_fee_schedule_on_every_path(
        bps in prop_oneof![Just(0u16), 1u16..=500, Just(10_000u16)],
        payments in prop::collection::vec((path(), 1u128..=5_000_000), 1..=8),
    ) {
        let mut n = Net::new(bps);
        let collector = n.addr("collector");
        for (path, amount) in payments {
            let payee = match path { Path::Send => n.shop.clone(), _ => n.addr("payee") };
            let (collector_before, payee_before) = (n.balance(&collector), n.balance(&payee));
            let received = n.pay(path, amount);
            prop_assert_eq!(&received, &payee);
            // The schedule, stated independently of the ledger: ceil(amount * bps / 10_000).
            let fee = (amount * u128::from(bps)).div_ceil(10_000);
            prop_assert_eq!(n.balance(&collector) - collector_before, fee as i128, "{:?} of {} at {} bps", path, amount, bps);
            prop_assert_eq!(n.balance(&payee) - payee_before, amount as i128, "{:?}", path);
            prop_assert_eq!(n.balance(&n.clearing.clone()), 0, "clearing forwards everything and keeps nothing");
        }
    }
}
