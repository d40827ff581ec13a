//! Shared helpers of the integration suites.
//!
//! `multitest` runs contracts in cw-multi-test; `chain` runs their wasm artifacts on the real devnet
//! that `cargo xtask test` starts (it passes `RESOURCE_DEVNET_HOME` and `RESOURCE_ARTIFACTS`).
pub mod meta;

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

/// A new account of this run alone: a random key, so its balances start at zero whatever ran on
/// the devnet before. It exists on chain once [`fund`] has sent it coins.
pub fn fresh_wallet(prefix: &str) -> Wallet {
    let key = resource_client::cosmrs::crypto::secp256k1::SigningKey::random();
    Wallet::from_signing_key(key, prefix).expect("the chain's prefix is valid")
}

/// Sends `amount` of the chain's denom from `from` to each of `to`, in one transaction.
pub async fn fund(
    client: &ChainClient,
    from: &Wallet,
    to: &[&Wallet],
    amount: u128,
) -> anyhow::Result<resource_client::TxOutcome> {
    use resource_client::cosmrs::{bank::MsgSend, tx::Msg, Coin};
    let denom: resource_client::cosmrs::Denom =
        client.config().denom.parse().map_err(|e| anyhow!("denom {}: {e}", client.config().denom))?;
    let msgs = to
        .iter()
        .map(|w| {
            let msg = MsgSend {
                from_address: from.account_id().clone(),
                to_address: w.account_id().clone(),
                amount: vec![Coin { denom: denom.clone(), amount }],
            };
            msg.to_any().map_err(|e| anyhow!("encoding MsgSend: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(client.broadcast(from, msgs, resource_client::Gas::Auto).await?)
}

/// Unix seconds of the chain's latest block: contracts see block time, not this machine's clock.
pub async fn block_time(client: &ChainClient) -> anyhow::Result<u64> {
    use resource_client::cosmrs::rpc::{client::CompatMode, Client, HttpClient};
    let rpc = HttpClient::builder(client.config().rpc.as_str().try_into()?).compat_mode(CompatMode::V0_38).build()?;
    let status = rpc.status().await?;
    Ok(u64::try_from(status.sync_info.latest_block_time.unix_timestamp())?)
}

/// Waits until the latest block is later than `t` (unix seconds), so the next transaction runs at a
/// block time above `t`; gives up after `timeout`.
pub async fn wait_past(client: &ChainClient, t: u64, timeout: std::time::Duration) -> anyhow::Result<u64> {
    let start = std::time::Instant::now();
    loop {
        let now = block_time(client).await?;
        if now > t {
            return Ok(now);
        }
        anyhow::ensure!(start.elapsed() < timeout, "block time {now} still not past {t} after {timeout:?}");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// The underwriting contract over `credit_token`, staking the native `denom`, slashing to `reserve`;
/// no DID registry (each address is its own identity), default scoring and vouching.
pub fn underwriting_init(
    credit_token: &str,
    denom: &str,
    rules: resource_msgs::underwriting::BackingRules,
    policy: resource_msgs::underwriting::ApplicationPolicy,
    unbonding_period: u64,
    reserve: &str,
) -> resource_msgs::underwriting::InstantiateMsg {
    resource_msgs::underwriting::InstantiateMsg {
        admin: None,
        credit_token: credit_token.to_string(),
        stake_asset: resource_msgs::underwriting::StakeAsset::Native { denom: denom.to_string() },
        rules,
        policy,
        unbonding_period,
        reserve: reserve.to_string(),
        did_registry: None,
        require_did: false,
        scoring: None,
        vouching: None,
        credit_period_min_itd: None,
        risk_fee_bps: None,
    }
}

/// `Apply` for a credit line of `amount` over `term` seconds, presenting no claims and no vouchers.
pub fn apply_msg(amount: u128, term: u64) -> resource_msgs::underwriting::ExecuteMsg {
    resource_msgs::underwriting::ExecuteMsg::Apply {
        amount: cosmwasm_std::Uint128::new(amount),
        term,
        claims: vec![],
        vouchers: vec![],
    }
}

/// A credential proof by `resource_zk`'s non-generic entry point (`prove_json`, the OS's
/// randomness): the generic `resource_zk::prove` would be instantiated in this crate, whose test
/// builds are unoptimized, and prove about 20 times slower. `proving_key` is the key file's bytes
/// (`CircuitKeys::proving_key_bytes`).
pub fn prove_credential(
    proving_key: &[u8],
    request: &resource_zk::ProofRequest,
) -> Result<resource_zk::CredentialProof, resource_zk::ZkError> {
    let json = serde_json::to_string(request).expect("a proof request serializes");
    resource_zk::CredentialProof::from_json(&resource_zk::prove_json(&json, proving_key)?)
}
