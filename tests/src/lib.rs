//! Shared helpers of the integration suites.
//!
//! `multitest` runs contracts in cw-multi-test; `chain` runs their wasm artifacts on the real devnet
//! that `cargo xtask test` starts (it passes `RESOURCE_DEVNET_HOME` and `RESOURCE_ARTIFACTS`).
use std::path::PathBuf;

use anyhow::{anyhow, Context};
use resource_cli::devnet::DevnetState;
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, ChainConfig, Wallet};

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The wasm artifact `name` built by `cargo xtask wasm`.
pub fn artifact(name: &str) -> anyhow::Result<Vec<u8>> {
    let dir =
        std::env::var_os("RESOURCE_ARTIFACTS").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("artifacts"));
    let path = dir.join(format!("{name}.wasm"));
    std::fs::read(&path).with_context(|| format!("reading {}; run `cargo xtask wasm` first", path.display()))
}

/// Configuration of the first chain of the running devnet.
pub fn devnet_chain(index: usize) -> anyhow::Result<ChainConfig> {
    let home = std::env::var_os("RESOURCE_DEVNET_HOME").map(PathBuf::from).ok_or_else(|| {
        anyhow!("RESOURCE_DEVNET_HOME is not set; run this suite with `cargo xtask test --suite chain`")
    })?;
    let state = DevnetState::load(&home)?
        .ok_or_else(|| anyhow!("no devnet in {}; run `resource devnet up --home {0}`", home.display()))?;
    let chain = state
        .running()
        .nth(index)
        .map(|(chain, _)| chain.config.clone())
        .ok_or_else(|| anyhow!("the devnet in {} has no running chain #{index}", home.display()))?;
    Ok(chain)
}

/// A client connected to the devnet's first chain.
pub async fn devnet_client() -> anyhow::Result<ChainClient> {
    Ok(ChainClient::connect(devnet_chain(0)?).await?)
}

/// The wallet of a funded devnet test account (`admin`, `alice`, `bob`, ...).
pub fn wallet(name: &str, prefix: &str) -> Wallet {
    let account = test_account(name).unwrap_or_else(|| panic!("no test account called {name}"));
    Wallet::from_mnemonic(account.mnemonic, prefix).expect("test mnemonics are valid")
}

/// The `resource` binary the chain suite built (xtask passes its path in `RESOURCE_CLI`), else the
/// workspace's release build.
pub fn resource_cli() -> PathBuf {
    std::env::var_os("RESOURCE_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target").join("release").join("resource"))
}

/// The pilot network's credit token on the devnet: rUSD with 6 decimals, no fee, `frank` collecting
/// fees and `relayer` taking written-off debt, a 30-day grace period, recording into `did_registry`
/// when given.
pub fn pilot_token(prefix: &str, did_registry: Option<String>) -> resource_msgs::credit_token::InstantiateMsg {
    resource_msgs::credit_token::InstantiateMsg {
        name: "Asheville Dollar".into(),
        symbol: "rUSD".into(),
        decimals: 6,
        admin: None,
        underwriting: None,
        fee_bps: 0,
        fee_collector: wallet("frank", prefix).address().to_string(),
        fee_exempt: vec![],
        loss_account: wallet("relayer", prefix).address().to_string(),
        default_grace_period: 30 * 86_400,
        min_term: None,
        min_grace_period: None,
        did_registry,
    }
}
