//! The foundation's pipeline check: the cw20-base artifact built by `cargo xtask wasm` is stored,
//! instantiated and used on a real node through the Rust client, and read back from the chain.
use cosmwasm_std::Uint128;
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use cw20_base::msg::InstantiateMsg;
use resource_client::{ClientError, Gas};
use resource_tests::{artifact, devnet_client, wallet};

/// A cw20-base token named REF with 6 decimals and these initial balances.
fn reference_token(balances: &[(&str, u128)]) -> InstantiateMsg {
    InstantiateMsg {
        name: "Reference".into(),
        symbol: "REF".into(),
        decimals: 6,
        initial_balances: balances
            .iter()
            .map(|(address, amount)| Cw20Coin { address: address.to_string(), amount: Uint128::new(*amount) })
            .collect(),
        mint: None,
        marketing: None,
    }
}

fn balance_of(address: &str) -> Cw20QueryMsg {
    Cw20QueryMsg::Balance { address: address.to_string() }
}

/// Fixed gas limit for executes, as benchmarks use: the chain reports what was really used.
const EXECUTE_GAS: Gas = Gas::Fixed(2_000_000);

#[tokio::test]
async fn cw20_base_store_instantiate_transfer_and_query() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let prefix = client.config().prefix.clone();
    let (admin, alice) = (wallet("admin", &prefix), wallet("alice", &prefix));

    let wasm = artifact("cw20_base")?;
    let (code_id, stored) = client.store_code(&admin, &wasm, Gas::Auto).await?;
    assert!(code_id > 0);
    assert!(stored.gas_used > 0 && stored.gas_used <= stored.gas_wanted);

    let init = reference_token(&[(admin.address(), 1_000_000)]);
    let (token, _) = client.instantiate(&admin, code_id, &init, "cw20-reference", None, &[], Gas::Auto).await?;

    let transfer = Cw20ExecuteMsg::Transfer { recipient: alice.address().to_string(), amount: Uint128::new(250) };
    let outcome = client.execute(&admin, &token, &transfer, &[], EXECUTE_GAS).await?;
    assert_eq!(outcome.gas_wanted, 2_000_000);
    assert!(outcome.gas_used > 100_000 && outcome.gas_used < 2_000_000, "gas used {}", outcome.gas_used);
    let wasm_event = |key: &str| outcome.attribute("wasm", key).map(str::to_owned);
    assert_eq!(wasm_event("action").as_deref(), Some("transfer"));
    assert_eq!(wasm_event("to").as_deref(), Some(alice.address()));
    assert_eq!(wasm_event("amount").as_deref(), Some("250"));

    let alice_balance: BalanceResponse = client.query_smart(&token, &balance_of(alice.address())).await?;
    let admin_balance: BalanceResponse = client.query_smart(&token, &balance_of(admin.address())).await?;
    assert_eq!(alice_balance.balance.u128(), 250);
    assert_eq!(admin_balance.balance.u128(), 999_750);
    let info: TokenInfoResponse = client.query_smart(&token, &Cw20QueryMsg::TokenInfo {}).await?;
    assert_eq!(info.total_supply.u128(), 1_000_000);
    Ok(())
}

#[tokio::test]
async fn a_failing_execute_is_a_typed_error_and_changes_nothing() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let prefix = client.config().prefix.clone();
    // Signers of their own: tests may run in parallel, and one signer's transactions must not race.
    let (carol, bob, erin) = (wallet("carol", &prefix), wallet("bob", &prefix), wallet("erin", &prefix));
    let (code_id, _) = client.store_code(&carol, &artifact("cw20_base")?, Gas::Auto).await?;
    let init = reference_token(&[(bob.address(), 100)]);
    let (token, _) = client.instantiate(&carol, code_id, &init, "cw20-overdraft", None, &[], Gas::Auto).await?;

    let overdraft = Cw20ExecuteMsg::Transfer { recipient: erin.address().to_string(), amount: Uint128::new(101) };
    let err = client.execute(&bob, &token, &overdraft, &[], EXECUTE_GAS).await.unwrap_err();
    assert!(matches!(err, ClientError::ContractFailed { .. }), "expected a contract failure, got {err}");
    assert!(err.to_string().contains("Overflow"), "the contract's own reason is shown: {err}");

    let bob_balance: BalanceResponse = client.query_smart(&token, &balance_of(bob.address())).await?;
    assert_eq!(bob_balance.balance.u128(), 100);
    let erin_balance: BalanceResponse = client.query_smart(&token, &balance_of(erin.address())).await?;
    assert_eq!(erin_balance.balance.u128(), 0);
    Ok(())
}
