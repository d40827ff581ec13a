//! The handlers of `resource devnet up`, `down` and `status`.
use std::path::{Path, PathBuf};

use resource_client::test_accounts::TEST_ACCOUNTS;
use resource_client::Wallet;
use serde::Serialize;

use super::UpOptions;
use crate::ui::{table, Progress};

/// `resource devnet up`: starts fresh chains and prints their endpoints.
pub async fn up_command(home: PathBuf, chains: usize, port_offset: u16) -> anyhow::Result<()> {
    let progress = Progress::new();
    let options = UpOptions { home: home.clone(), chains, port_offset };
    let state = super::up(&options, &|message| progress.step(message)).await;
    progress.finish();
    let state = state?;
    let mut endpoints = table(["chain id", "RPC", "gRPC", "REST", "log"]);
    for chain in &state.chains {
        let c = &chain.config;
        endpoints.add_row([&c.chain_id, &c.rpc, &c.grpc, &c.rest, &chain.log.display().to_string()]);
    }
    println!("{endpoints}");
    println!(
        "devnet running in {}; `resource devnet status` shows the test accounts, `resource devnet down` stops it",
        home.display()
    );
    Ok(())
}

/// `resource devnet down`: stops the nodes of `home` and says which.
pub fn down_command(home: &Path) -> anyhow::Result<()> {
    let stopped = super::down(home)?;
    if stopped.is_empty() {
        println!("no devnet was running in {}", home.display());
    } else {
        println!("stopped {}", stopped.join(", "));
    }
    Ok(())
}

/// The `status --json` document.
#[derive(Serialize)]
struct StatusJson<'a> {
    chains: Vec<ChainJson<'a>>,
}

/// One chain of the `status --json` document (fields in the order they are printed).
#[derive(Serialize)]
struct ChainJson<'a> {
    chain_id: &'a str,
    grpc: &'a str,
    height: u64,
    rest: &'a str,
    rpc: &'a str,
}

/// `resource devnet status`: the running chains and the funded test accounts, or with `json` the
/// chains' endpoints and heights as one JSON document.
pub async fn status_command(home: &Path, json: bool) -> anyhow::Result<()> {
    let chains = super::status(home).await?;
    if json {
        let chains = chains
            .iter()
            .map(|status| {
                let c = &status.record.config;
                ChainJson { chain_id: &c.chain_id, grpc: &c.grpc, height: status.height, rest: &c.rest, rpc: &c.rpc }
            })
            .collect();
        println!("{}", serde_json::to_string(&StatusJson { chains })?);
        return Ok(());
    }
    let mut chain_table = table(["chain id", "height", "RPC", "gRPC", "REST", "pid"]);
    for status in &chains {
        let c = &status.record.config;
        let pid = status.record.pid.map(|pid| pid.to_string()).unwrap_or_default();
        chain_table.add_row([&c.chain_id, &status.height.to_string(), &c.rpc, &c.grpc, &c.rest, &pid]);
    }
    println!("{chain_table}");
    let prefix = &chains[0].record.config.prefix;
    let mut accounts = table(["account", "address", "mnemonic (test only, public)"]);
    for account in TEST_ACCOUNTS {
        let wallet = Wallet::from_mnemonic(account.mnemonic, prefix)?;
        accounts.add_row([account.name, wallet.address(), account.mnemonic]);
    }
    println!(
        "Test accounts, funded with 1,000,000 {} on every chain (keys: secp256k1, m/44'/118'/0'/0/0):",
        chains[0].record.config.denom
    );
    println!("{accounts}");
    Ok(())
}
