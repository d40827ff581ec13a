//! A credit token and an underwriting contract wired to it, as `contracts/underwriting/README.md`
//! ("deployment") asks: the token names the underwriting contract as its `underwriting` (it alone
//! opens credit lines), its `fee_collector` (fees are the underwriters' rewards) and in its
//! `fee_exempt` list (paying rewards out is not taxed). The messages are built here (and in
//! `crate::wiring`) once, for `resource underwriting deploy`, `resource deploy` and the demo.
use std::path::{Path, PathBuf};

use anyhow::Context;
use resource_client::{ChainClient, Gas, Wallet};
use resource_msgs::credit_token;
use resource_msgs::underwriting::{ApplicationPolicy, BackingRules, InstantiateMsg, Price, StakeAsset};

use super::{test_wallet, Units};
use crate::deployment::Deployment;
use crate::devnet::first_running_chain;
use crate::format;
use crate::ui::{table, Progress};
use crate::wiring::TokenWiring;

pub const TOKEN_ARTIFACT: &str = "credit_token.wasm";
pub const UNDERWRITING_ARTIFACT: &str = "underwriting.wasm";

/// What the underwriting contract is instantiated with, apart from the token's address.
#[derive(Debug, Clone, PartialEq)]
pub struct UnderwritingSetup {
    pub admin: Option<String>,
    pub stake_asset: StakeAsset,
    pub rules: BackingRules,
    pub policy: ApplicationPolicy,
    pub unbonding_period: u64,
    pub reserve: String,
    /// Approved lines get credit periods with this minimum ITD (ppm); `None`: fixed terms.
    pub credit_period_min_itd: Option<u64>,
    /// Approved members pay this risk fee (basis points) on the credit they draw.
    pub risk_fee_bps: Option<u16>,
}

impl UnderwritingSetup {
    /// The contract's `InstantiateMsg` for the credit token `credit_token`.
    pub fn instantiate_msg(&self, credit_token: &str) -> InstantiateMsg {
        InstantiateMsg {
            admin: self.admin.clone(),
            credit_token: credit_token.to_string(),
            stake_asset: self.stake_asset.clone(),
            rules: self.rules,
            policy: self.policy,
            unbonding_period: self.unbonding_period,
            reserve: self.reserve.clone(),
            // Each address is its own identity, and scoring and vouching keep the contract's
            // defaults; a DID registry is wired in with UpdateConfig once one is deployed.
            did_registry: None,
            require_did: false,
            scoring: None,
            vouching: None,
            credit_period_min_itd: self.credit_period_min_itd,
            risk_fee_bps: self.risk_fee_bps,
        }
    }
}

/// The price `per_credit` (whole stake units per whole credit unit, e.g. `0.1`) as the contract's
/// fraction of base units, reduced.
pub fn price_from_decimal(per_credit: &str, credit: &Units, stake: &Units) -> Result<Price, String> {
    // Read with 18 decimals: finer than any price a network quotes.
    const PRECISION: u32 = 18;
    let scaled = format::parse_units(per_credit, PRECISION)?;
    if scaled == 0 {
        return Err("the price must be above 0".into());
    }
    let too_large = || "it is too large for these decimals".to_string();
    // stake base units per credit base unit = scaled * 10^stake / (10^PRECISION * 10^credit)
    let den = 10u128.checked_pow(PRECISION + credit.decimals).ok_or_else(too_large)?;
    let g = gcd(scaled, den);
    let (num, den) = (scaled / g, den / g);
    let num = num.checked_mul(10u128.checked_pow(stake.decimals).ok_or_else(too_large)?).ok_or_else(too_large)?;
    let g = gcd(num, den);
    Ok(Price { numerator: num / g, denominator: den / g })
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Reads a wasm artifact, saying how to build it when it is missing.
pub fn read_artifact(artifacts: &Path, name: &str, package: &str) -> anyhow::Result<(PathBuf, Vec<u8>)> {
    let path = artifacts.join(name);
    let wasm = std::fs::read(&path)
        .with_context(|| format!("cannot read {}; build it with `cargo xtask wasm -p {package}`", path.display()))?;
    Ok((path, wasm))
}

/// What `resource underwriting deploy` deploys.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub artifacts: PathBuf,
    pub from: String,
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    pub fee_bps: u16,
    pub grace_period: u64,
    pub min_term: u64,
    pub max_term: u64,
    pub open_period: u64,
    pub collateral_ratio_bps: u32,
    /// Whole stake units per whole credit unit, as typed.
    pub price: String,
    pub min_underwriters: u32,
    pub max_share_bps: u16,
    pub unbonding_period: u64,
    /// Approved lines get credit periods with this minimum ITD (ppm).
    pub credit_period_min_itd: Option<u64>,
    /// Approved members pay this risk fee (basis points) on the credit they draw.
    pub risk_fee_bps: Option<u16>,
    /// A native denom; the chain's own coin when neither it nor `stake_cw20` is given.
    pub stake_denom: Option<String>,
    /// A cw20 token to stake instead of coins.
    pub stake_cw20: Option<String>,
    /// Test account names or addresses.
    pub reserve: String,
    pub loss_account: String,
    pub json: bool,
}

/// The addresses a deployment produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Deployed {
    pub chain_id: String,
    pub credit_token: String,
    pub credit_token_code_id: u64,
    pub underwriting: String,
    pub underwriting_code_id: u64,
    /// Where the deployment is recorded for the other commands.
    pub recorded_in: PathBuf,
}

/// `resource underwriting deploy`: stores and instantiates the credit token and the underwriting
/// contract on the devnet of `home`, wires the token to it, checks the wiring and records the
/// deployment in `home` for the other `resource underwriting` commands.
pub async fn deploy_command(home: &Path, options: &DeployOptions) -> anyhow::Result<()> {
    let (_, token_wasm) = read_artifact(&options.artifacts, TOKEN_ARTIFACT, "resource-credit-token")?;
    let (_, uw_wasm) = read_artifact(&options.artifacts, UNDERWRITING_ARTIFACT, "resource-underwriting")?;
    let progress = Progress::new();
    let result = deploy(home, options, &token_wasm, &uw_wasm, &progress).await;
    progress.finish();
    let deployed = result?;
    if options.json {
        println!("{}", serde_json::to_value(&deployed)?);
        return Ok(());
    }
    let mut t = table(["contract", "address", "code id"]);
    t.add_row(["credit token", &deployed.credit_token, &deployed.credit_token_code_id.to_string()]);
    t.add_row(["underwriting", &deployed.underwriting, &deployed.underwriting_code_id.to_string()]);
    println!("{t}");
    println!(
        "The credit token names the underwriting contract as its underwriting contract, fee collector and fee-exempt \
         contract. Recorded in {}: `resource underwriting status` and the other underwriting commands use it.",
        deployed.recorded_in.display()
    );
    Ok(())
}

async fn deploy(
    home: &Path,
    options: &DeployOptions,
    token_wasm: &[u8],
    uw_wasm: &[u8],
    progress: &Progress,
) -> anyhow::Result<Deployed> {
    let chain = first_running_chain(home)?;
    let admin = test_wallet(&options.from, &chain.prefix)?;
    let address = |who: &str| -> anyhow::Result<String> {
        match resource_client::test_accounts::test_account(who) {
            Some(account) => Ok(Wallet::from_mnemonic(account.mnemonic, &chain.prefix)?.address().to_string()),
            None => Ok(who.to_string()),
        }
    };
    let (reserve, loss_account) = (address(&options.reserve)?, address(&options.loss_account)?);
    let credit = Units { symbol: options.symbol.clone(), decimals: u32::from(options.decimals) };
    progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
    let client = ChainClient::connect(chain.clone()).await?;
    let (stake_asset, stake) = match &options.stake_cw20 {
        Some(address) => {
            let info: cw20::TokenInfoResponse = client
                .query_smart(address, &credit_token::QueryMsg::TokenInfo {})
                .await
                .with_context(|| format!("--stake-cw20 {address} does not answer the cw20 TokenInfo query"))?;
            let units = Units { symbol: info.symbol, decimals: u32::from(info.decimals) };
            (StakeAsset::Cw20 { address: address.clone() }, units)
        }
        None => {
            let denom = options.stake_denom.clone().unwrap_or_else(|| chain.denom.clone());
            let units = Units::native(&denom);
            (StakeAsset::Native { denom }, units)
        }
    };
    let price = price_from_decimal(&options.price, &credit, &stake)
        .map_err(|reason| anyhow::anyhow!("--price {}: {reason}", options.price))?;

    progress.step(&format!("storing {TOKEN_ARTIFACT} ({} KiB)", token_wasm.len() / 1024));
    let (token_code, _) = client.store_code(&admin, token_wasm, Gas::Auto).await.context("storing the credit token")?;
    let token_msg = credit_token::InstantiateMsg {
        name: options.name.clone(),
        symbol: options.symbol.clone(),
        decimals: options.decimals,
        admin: None,
        underwriting: None,
        fee_bps: options.fee_bps,
        // Until the underwriting contract exists; the wiring below makes it the collector.
        fee_collector: admin.address().to_string(),
        fee_exempt: Vec::new(),
        loss_account,
        default_grace_period: options.grace_period,
        did_registry: None,
        min_term: Some(options.min_term),
        min_grace_period: Some(options.grace_period),
    };
    progress.step(&format!("instantiating the credit token (code id {token_code})"));
    let (token, _) = client
        .instantiate(&admin, token_code, &token_msg, "credit-token", Some(admin.address()), &[], Gas::Auto)
        .await
        .context("instantiating the credit token")?;

    progress.step(&format!("storing {UNDERWRITING_ARTIFACT} ({} KiB)", uw_wasm.len() / 1024));
    let (uw_code, _) =
        client.store_code(&admin, uw_wasm, Gas::Auto).await.context("storing the underwriting contract")?;
    let setup = UnderwritingSetup {
        admin: None,
        stake_asset,
        rules: BackingRules {
            collateral_ratio_bps: options.collateral_ratio_bps,
            price,
            min_underwriters: options.min_underwriters,
            max_share_bps: options.max_share_bps,
        },
        policy: ApplicationPolicy {
            min_term: options.min_term,
            max_term: options.max_term,
            open_period: options.open_period,
        },
        unbonding_period: options.unbonding_period,
        reserve,
        credit_period_min_itd: options.credit_period_min_itd,
        risk_fee_bps: options.risk_fee_bps,
    };
    progress.step(&format!("instantiating the underwriting contract (code id {uw_code})"));
    let (uw, _) = client
        .instantiate(
            &admin,
            uw_code,
            &setup.instantiate_msg(&token),
            "underwriting",
            Some(admin.address()),
            &[],
            Gas::Auto,
        )
        .await
        .context("instantiating the underwriting contract")?;

    progress.step("naming the underwriting contract in the credit token");
    let wiring = TokenWiring::underwriting(&uw);
    let config: credit_token::ConfigResponse = client.query_smart(&token, &credit_token::QueryMsg::Config {}).await?;
    if let Some(update) = wiring.update_msg(&config) {
        client
            .execute(&admin, &token, &update, &[], Gas::Auto)
            .await
            .context("naming the underwriting contract in the credit token (UpdateConfig)")?;
    }
    let config: credit_token::ConfigResponse = client.query_smart(&token, &credit_token::QueryMsg::Config {}).await?;
    wiring.check(&config)?;

    let deployment = Deployment {
        chain_id: chain.chain_id.clone(),
        deployed_by: "resource underwriting deploy".into(),
        credit_token: token.clone(),
        underwriting: Some(uw.clone()),
        clearing: None,
        did_registry: None,
    };
    let recorded_in = deployment.save(home)?;
    Ok(Deployed {
        chain_id: chain.chain_id,
        credit_token: token,
        credit_token_code_id: token_code,
        underwriting: uw,
        underwriting_code_id: uw_code,
        recorded_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_become_reduced_fractions_of_base_units() {
        let rusd = Units { symbol: "rUSD".into(), decimals: 6 };
        let inj = Units::native("inj");
        // 0.1 INJ (10^17 base units) per rUSD (10^6 base units).
        assert_eq!(price_from_decimal("0.1", &rusd, &inj), Ok(Price { numerator: 100_000_000_000, denominator: 1 }));
        let same = Units { symbol: "SRC".into(), decimals: 6 };
        assert_eq!(price_from_decimal("1", &rusd, &same), Ok(Price::PAR));
        assert_eq!(price_from_decimal("0.25", &rusd, &same), Ok(Price { numerator: 1, denominator: 4 }));
        assert_eq!(price_from_decimal("2.5", &rusd, &same), Ok(Price { numerator: 5, denominator: 2 }));
        assert_eq!(price_from_decimal("1000000", &rusd, &inj), Ok(Price { numerator: 10u128.pow(18), denominator: 1 }));
        assert!(price_from_decimal("0", &rusd, &inj).unwrap_err().contains("above 0"));
        assert!(price_from_decimal("cheap", &rusd, &inj).unwrap_err().contains("write a number"));
    }
}
