//! `resource demo`: the project's main job, run step by step with readable tables.
//!
//! Foundation stage: the pipeline a network runs on (contract, chain, client) shown with the
//! reference cw20-base token, on an embedded cw-multi-test chain or on the local devnet. The CIP-36
//! credit token replaces it in the next issue: money spent into existence on credit lines.
use std::path::Path;

use anyhow::{anyhow, Context};
use cosmwasm_std::{Addr, Empty, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use cw_multi_test::{App, ContractWrapper, Executor, IntoBech32};
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, Gas, Wallet};

use crate::devnet::DevnetState;
use crate::ui::table;

/// The pilot's cast: who they are in the story and which devnet test account plays them.
const CAST: [(&str, &str); 4] = [
    ("Blue Ridge Bakery (employer)", "alice"),
    ("Mara (employee)", "bob"),
    ("Jon (employee)", "carol"),
    ("Riverside Clinic", "dave"),
];
const ISSUER: &str = "admin";

/// One step of the story: (from, to, amount, what it means).
const STEPS: [(usize, usize, u128, &str); 4] = [
    (0, 1, 300, "the bakery pays Mara's monthly benefit"),
    (0, 2, 300, "the bakery pays Jon's monthly benefit"),
    (1, 3, 120, "Mara spends hers at the clinic"),
    (3, 0, 80, "the clinic buys bread from the bakery"),
];

/// Where the demo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoChain {
    /// An in-process cw-multi-test chain: no node, no wasm build needed.
    Embedded,
    /// The local devnet (`resource devnet up`), with the wasm artifact from `cargo xtask wasm`.
    Devnet,
}

/// A token the story can move and read, on either chain.
enum Token {
    Embedded { app: Box<App>, contract: Addr, members: Vec<Addr> },
    // Boxed so the enum stays small whichever chain runs.
    Devnet { client: Box<ChainClient>, contract: String, members: Vec<Wallet> },
}

impl Token {
    fn embedded(opening: u128) -> anyhow::Result<Self> {
        let mut app = App::default();
        let code = ContractWrapper::new(
            cw20_base::contract::execute,
            cw20_base::contract::instantiate,
            cw20_base::contract::query,
        );
        let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
        let members: Vec<Addr> = CAST.iter().map(|(_, account)| account.into_bech32()).collect();
        let contract = app
            .instantiate_contract(
                code_id,
                ISSUER.into_bech32(),
                &instantiate_msg(&members[0], opening),
                &[],
                "demo",
                None,
            )
            .map_err(|e| anyhow!("instantiating the token failed: {e:#}"))?;
        Ok(Token::Embedded { app: Box::new(app), contract, members })
    }

    async fn devnet(home: &Path, artifacts: &Path, opening: u128) -> anyhow::Result<Self> {
        let state = DevnetState::load(home)?;
        let chain =
            state.as_ref().and_then(|state| state.running().next().map(|(chain, _)| chain.config.clone())).ok_or_else(
                || anyhow!("no devnet is running in {}; start one with `resource devnet up`", home.display()),
            )?;
        let wasm_path = artifacts.join("cw20_base.wasm");
        let wasm = std::fs::read(&wasm_path)
            .with_context(|| format!("reading {}; build it with `cargo xtask wasm`", wasm_path.display()))?;
        let client = ChainClient::connect(chain.clone()).await?;
        let wallet = |name: &str| {
            let account = test_account(name).expect("cast members are test accounts");
            Wallet::from_mnemonic(account.mnemonic, &chain.prefix)
        };
        let issuer = wallet(ISSUER)?;
        let members = CAST.iter().map(|(_, account)| wallet(account)).collect::<Result<Vec<_>, _>>()?;
        let (code_id, _) = client.store_code(&issuer, &wasm, Gas::Auto).await?;
        let first = Addr::unchecked(members[0].address());
        let (contract, _) = client
            .instantiate(&issuer, code_id, &instantiate_msg(&first, opening), "resource-demo", None, &[], Gas::Auto)
            .await?;
        Ok(Token::Devnet { client: Box::new(client), contract, members })
    }

    async fn transfer(&mut self, from: usize, to: usize, amount: u128) -> anyhow::Result<Option<u64>> {
        match self {
            Token::Embedded { app, contract, members } => {
                let msg = Cw20ExecuteMsg::Transfer { recipient: members[to].to_string(), amount: Uint128::new(amount) };
                app.execute_contract(members[from].clone(), contract.clone(), &msg, &[])
                    .map_err(|e| anyhow!("transfer failed: {e:#}"))?;
                Ok(None)
            }
            Token::Devnet { client, contract, members } => {
                let msg = Cw20ExecuteMsg::Transfer {
                    recipient: members[to].address().to_string(),
                    amount: Uint128::new(amount),
                };
                let outcome = client.execute(&members[from], contract, &msg, &[], Gas::Auto).await?;
                Ok(Some(outcome.gas_used))
            }
        }
    }

    async fn balances(&self) -> anyhow::Result<(Vec<u128>, u128)> {
        let mut balances = Vec::new();
        match self {
            Token::Embedded { app, contract, members } => {
                for member in members {
                    let query = Cw20QueryMsg::Balance { address: member.to_string() };
                    let response: BalanceResponse = app.wrap().query_wasm_smart(contract, &query)?;
                    balances.push(response.balance.u128());
                }
                let info: TokenInfoResponse = app.wrap().query_wasm_smart(contract, &Cw20QueryMsg::TokenInfo {})?;
                Ok((balances, info.total_supply.u128()))
            }
            Token::Devnet { client, contract, members } => {
                for member in members {
                    let query = Cw20QueryMsg::Balance { address: member.address().to_string() };
                    let response: BalanceResponse = client.query_smart(contract, &query).await?;
                    balances.push(response.balance.u128());
                }
                let info: TokenInfoResponse = client.query_smart(contract, &Cw20QueryMsg::TokenInfo {}).await?;
                Ok((balances, info.total_supply.u128()))
            }
        }
    }
}

fn instantiate_msg(holder: &Addr, amount: u128) -> cw20_base::msg::InstantiateMsg {
    cw20_base::msg::InstantiateMsg {
        name: "Reference Dollar".into(),
        symbol: "rREF".into(),
        decimals: 2,
        initial_balances: vec![Cw20Coin { address: holder.to_string(), amount: Uint128::new(amount) }],
        mint: None,
        marketing: None,
    }
}

fn print_balances(title: &str, balances: &[u128], supply: u128) {
    let mut table = table(["member", "balance"]);
    for ((name, _), balance) in CAST.iter().zip(balances) {
        table.add_row([name.to_string(), balance.to_string()]);
    }
    table.add_row(["total supply".to_string(), supply.to_string()]);
    println!("{title}\n{table}");
}

/// Runs the demo story and prints each step.
pub async fn run(chain: DemoChain, home: &Path, artifacts: &Path) -> anyhow::Result<()> {
    const OPENING: u128 = 1_000;
    println!("ReSource on Cosmos demo: the Asheville pilot in miniature, on the {chain:?} chain.");
    println!("Foundation stage: the reference cw20 token stands in for the CIP-36 credit token, which comes next.");
    println!("With cw20 the bakery needs {OPENING} tokens up front; with CIP-36 it spends them into existence on its credit line.\n");
    let mut token = match chain {
        DemoChain::Embedded => Token::embedded(OPENING)?,
        DemoChain::Devnet => Token::devnet(home, artifacts, OPENING).await?,
    };
    let (balances, supply) = token.balances().await?;
    print_balances("Opening balances", &balances, supply);
    for (step, (from, to, amount, story)) in STEPS.iter().enumerate() {
        let gas = token.transfer(*from, *to, *amount).await?;
        let gas = gas.map(|g| format!(" (gas used on chain: {g})")).unwrap_or_default();
        let (balances, supply) = token.balances().await?;
        print_balances(&format!("\nStep {}: {story}: {amount}{gas}", step + 1), &balances, supply);
    }
    println!("\nNext: the CIP-36 credit token (credit lines, minting on spend, burning on repayment), then clearing and DIDs.");
    Ok(())
}
