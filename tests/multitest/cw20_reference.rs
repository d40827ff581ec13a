//! cw20-base, the contract every gas figure of ours is compared with, in cw-multi-test: the same
//! store/instantiate/transfer/query path the real-chain suite runs.
use cosmwasm_std::{Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use cw20_base::msg::InstantiateMsg;
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor, IntoBech32};

struct Cw20 {
    app: App,
    address: Addr,
}

impl Cw20 {
    fn new(initial: &[(&Addr, u128)]) -> Self {
        let mut app = App::default();
        let code = ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        );
        let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
        let owner = "owner".into_bech32();
        let msg = InstantiateMsg {
            name: "Reference".into(),
            symbol: "REF".into(),
            decimals: 6,
            initial_balances: initial
                .iter()
                .map(|(address, amount)| Cw20Coin { address: address.to_string(), amount: Uint128::new(*amount) })
                .collect(),
            mint: None,
            marketing: None,
        };
        let address = app.instantiate_contract(code_id, owner, &msg, &[], "cw20", None).unwrap();
        Cw20 { app, address }
    }

    fn balance(&self, who: &Addr) -> u128 {
        let response: BalanceResponse = self
            .app
            .wrap()
            .query_wasm_smart(&self.address, &Cw20QueryMsg::Balance { address: who.to_string() })
            .unwrap();
        response.balance.u128()
    }

    fn supply(&self) -> u128 {
        let info: TokenInfoResponse =
            self.app.wrap().query_wasm_smart(&self.address, &Cw20QueryMsg::TokenInfo {}).unwrap();
        info.total_supply.u128()
    }

    fn transfer(&mut self, from: &Addr, to: &Addr, amount: u128) -> anyhow::Result<AppResponse> {
        let msg = Cw20ExecuteMsg::Transfer { recipient: to.to_string(), amount: Uint128::new(amount) };
        self.app.execute_contract(from.clone(), self.address.clone(), &msg, &[])
    }
}

#[test]
fn transfer_moves_balance_and_keeps_supply() {
    let (alice, bob) = ("alice".into_bech32(), "bob".into_bech32());
    let mut token = Cw20::new(&[(&alice, 1_000)]);
    let response = token.transfer(&alice, &bob, 250).unwrap();
    assert_eq!((token.balance(&alice), token.balance(&bob)), (750, 250));
    assert_eq!(token.supply(), 1_000);
    let wasm = response.events.iter().find(|e| e.ty == "wasm").expect("wasm event");
    let attribute = |key: &str| wasm.attributes.iter().find(|a| a.key == key).map(|a| a.value.clone());
    assert_eq!(attribute("action").as_deref(), Some("transfer"));
    assert_eq!(attribute("amount").as_deref(), Some("250"));
}

#[test]
fn overdraft_is_rejected_and_changes_nothing() {
    let (alice, bob) = ("alice".into_bech32(), "bob".into_bech32());
    let mut token = Cw20::new(&[(&alice, 100)]);
    let err = token.transfer(&alice, &bob, 101).unwrap_err();
    assert!(err.root_cause().to_string().contains("Overflow") || err.to_string().contains("Cannot Sub"), "{err:#}");
    assert_eq!((token.balance(&alice), token.balance(&bob), token.supply()), (100, 0, 100));
}
