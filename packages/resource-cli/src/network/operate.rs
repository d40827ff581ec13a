//! Operations on a deployed network: `resource network status`, `resource member account` and
//! `resource pay`. The config file names the chain and the network (as for `resource deploy`), the
//! deployment record `deployments/<chain-id>/<network>.json` names the contracts, and the contracts
//! answer; nothing is taken from a devnet folder or a test account.
use std::path::PathBuf;

use anyhow::Context;
use cosmwasm_std::{Int128, Uint128};
use resource_client::{ChainClient, Gas};
use resource_msgs::credit_token::{
    self, preview_payment, ConfigResponse, CreditAccountResponse, NetworkStatsResponse, PaymentPreview,
};
use resource_msgs::underwriting::{self, PoolResponse};
use serde::Serialize;

use super::config::{ChainSection, KeySource, NetworkFile};
use super::record::Record;
use super::{chain_config, check_recorded_contracts, wallet};
use crate::format;
use crate::ui::{table, Progress};
use crate::underwriting::{cw20_units, stake_units, Units};

/// How many of the latest defaults `resource network status` lists.
const RECENT_DEFAULTS: u8 = 10;

/// Which deployed network a command works on.
#[derive(Debug, Clone)]
pub struct NetworkArgs {
    /// The network config `resource deploy` was given.
    pub config: PathBuf,
    /// The folder of the deployment records (`deployments`).
    pub deployments: PathBuf,
    /// `[chain]` fields given as flags; they win over the file's.
    pub chain: ChainSection,
    pub json: bool,
}

/// Why a deployed network cannot be worked on.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error(
        "no deployment of network `{network}` on {chain_id} ({path} does not exist): deploy it with `resource deploy \
         --config {config}`, or pass --deployments DIR where its record is"
    )]
    NotDeployed { network: String, chain_id: String, path: PathBuf, config: PathBuf },
    #[error(
        "{path} records no {contract} contract (an interrupted deploy?): complete it with `resource deploy --config \
         {config}`"
    )]
    MissingContract { path: PathBuf, contract: &'static str, config: PathBuf },
}

/// A deployed network: its config, its record (checked against the chain) and a client on its chain.
pub struct DeployedNetwork {
    pub file: NetworkFile,
    pub record: Record,
    pub record_path: PathBuf,
    pub client: ChainClient,
    config: PathBuf,
}

impl DeployedNetwork {
    /// Reads the config and the record, connects to the chain (which must serve the config's chain
    /// id) and checks that the recorded contracts are there.
    pub async fn open(args: &NetworkArgs, progress: &Progress) -> anyhow::Result<Self> {
        let file = NetworkFile::load(&args.config)?;
        let (chain, settings) = chain_config(&file.chain, &args.chain, &args.config)?;
        // The node first: a wrong chain id or endpoint is said as such, not as a missing record.
        progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
        let client = ChainClient::connect(chain.clone())
            .await?
            .with_gas_price_fraction(settings.gas_price.0, settings.gas_price.1)?
            .with_gas_adjustment_percent(settings.gas_adjustment_percent);
        let record_path = Record::path(&args.deployments, &chain.chain_id, &file.network.name);
        let record = Record::load(&record_path)?.ok_or_else(|| NetworkError::NotDeployed {
            network: file.network.name.clone(),
            chain_id: chain.chain_id.clone(),
            path: record_path.clone(),
            config: args.config.clone(),
        })?;
        progress.step("checking the recorded contracts");
        check_recorded_contracts(&client, &record, &record_path).await?;
        Ok(DeployedNetwork { file, record, record_path, client, config: args.config.clone() })
    }

    /// The address of the recorded contract `name` (`credit_token`, `underwriting`, ...).
    pub fn contract(&self, name: &'static str) -> Result<&str, NetworkError> {
        self.record.contracts.get(name).map(|c| c.address.as_str()).ok_or_else(|| NetworkError::MissingContract {
            path: self.record_path.clone(),
            contract: name,
            config: self.config.clone(),
        })
    }

    /// The credit token's symbol and decimals.
    pub async fn units(&self) -> anyhow::Result<Units> {
        cw20_units(&self.client, self.contract("credit_token")?).await
    }

    /// The credit token's answer for `address`.
    pub async fn credit_account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        let msg = credit_token::QueryMsg::CreditAccount { address: address.into() };
        self.client.query_smart(self.contract("credit_token")?, &msg).await.with_context(|| {
            format!(
                "the credit account of {address}: is it an address of this chain ({}1...)?",
                self.client.config().prefix
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// resource network status

/// What `resource network status --json` prints. Amounts are in base units, as strings.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkStatus {
    pub network: String,
    pub chain_id: String,
    pub height: u64,
    pub record: PathBuf,
    pub credit_token: String,
    pub units: Units,
    /// The sum of positive balances: the credit money in circulation.
    pub total_supply: Uint128,
    /// The sum of the credit lines' limits.
    pub total_credit_extended: Uint128,
    pub members: u64,
    pub members_in_debt: u64,
    pub loss_account: String,
    /// Negative: written-off debt not yet recovered.
    pub loss_account_balance: Int128,
    pub fee_bps: u16,
    /// Absent when the record has no underwriting contract.
    pub underwriting: Option<UnderwritingStatus>,
    /// The latest `DeclareDefault`s, newest first.
    pub recent_defaults: Vec<DefaultSeen>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnderwritingStatus {
    pub contract: String,
    /// The stake asset's units: `total_exposure` is stake; the fees and rewards are credit.
    pub stake_units: Units,
    #[serde(flatten)]
    pub pool: PoolResponse,
}

/// One `DeclareDefault` the chain's transaction index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultSeen {
    pub member: String,
    /// The debt written off to the loss account.
    pub debt: Uint128,
    pub height: u64,
    pub tx_hash: String,
}

/// Reads the network's state from its contracts.
pub async fn status(args: &NetworkArgs, progress: &Progress) -> anyhow::Result<NetworkStatus> {
    let network = DeployedNetwork::open(args, progress).await?;
    let token = network.contract("credit_token")?;
    progress.step("querying the credit token");
    let stats: NetworkStatsResponse =
        network.client.query_smart(token, &credit_token::QueryMsg::NetworkStats {}).await?;
    let config: ConfigResponse = network.client.query_smart(token, &credit_token::QueryMsg::Config {}).await?;
    let units = network.units().await?;
    let underwriting = match network.record.contracts.get("underwriting") {
        None => None,
        Some(contract) => {
            progress.step("querying the underwriting pool");
            let pool = network.client.query_smart(&contract.address, &underwriting::QueryMsg::Pool {}).await?;
            let config: underwriting::ConfigResponse =
                network.client.query_smart(&contract.address, &underwriting::QueryMsg::Config {}).await?;
            let stake_units = stake_units(&network.client, &config.stake_asset).await?;
            Some(UnderwritingStatus { contract: contract.address.clone(), stake_units, pool })
        }
    };
    progress.step("looking up defaults");
    // A default is `outcome=defaulted` (DeclareDefault or SyncCreditPeriod); tokens from before
    // credit periods marked DeclareDefault's by its action alone.
    let mut found = Vec::new();
    for (key, value) in [("outcome", "defaulted"), ("action", "declare_default")] {
        found.extend(
            network
                .client
                .search_contract_txs(token, key, value, RECENT_DEFAULTS)
                .await
                .context("searching the chain's transaction index for defaults (the node must index transactions)")?,
        );
    }
    let mut recent_defaults = defaults_in(&found, token);
    recent_defaults.sort_by(|a, b| b.height.cmp(&a.height).then_with(|| a.tx_hash.cmp(&b.tx_hash)));
    recent_defaults.dedup();
    recent_defaults.truncate(usize::from(RECENT_DEFAULTS));
    Ok(NetworkStatus {
        network: network.record.network.clone(),
        chain_id: network.record.chain_id.clone(),
        height: network.client.height().await?,
        record: network.record_path.clone(),
        credit_token: token.to_string(),
        units,
        total_supply: stats.total_supply,
        total_credit_extended: stats.total_credit_extended,
        members: stats.members,
        members_in_debt: stats.members_in_debt,
        loss_account: stats.loss_account.to_string(),
        loss_account_balance: stats.loss_account_balance,
        fee_bps: config.fee_bps,
        underwriting,
        recent_defaults,
    })
}

/// The `DeclareDefault`s of `token` in `txs`, in their order.
fn defaults_in(txs: &[resource_client::TxOutcome], token: &str) -> Vec<DefaultSeen> {
    txs.iter()
        .flat_map(|tx| {
            tx.events_of("wasm")
                .filter(|e| e.attribute("_contract_address") == Some(token))
                .filter(|e| {
                    e.attribute("outcome") == Some("defaulted") || e.attribute("action") == Some("declare_default")
                })
                .map(|e| DefaultSeen {
                    member: e.attribute("member").unwrap_or_default().to_string(),
                    debt: e.attribute("debt").and_then(|d| d.parse().ok()).unwrap_or_default(),
                    height: tx.height,
                    tx_hash: tx.tx_hash.clone(),
                })
        })
        .collect()
}

/// `resource network status`.
pub async fn status_command(args: &NetworkArgs) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = status(args, &progress).await;
    progress.finish();
    let s = result?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    let u = &s.units;
    let mut t = table(["", ""]);
    t.add_row(["network".to_string(), format!("{} on {} (height {})", s.network, s.chain_id, s.height)]);
    t.add_row(["credit token".to_string(), format!("{} ({}, {} decimals)", s.credit_token, u.symbol, u.decimals)]);
    t.add_row(["supply".to_string(), u.show(s.total_supply.u128())]);
    t.add_row(["credit extended".to_string(), u.show(s.total_credit_extended.u128())]);
    t.add_row(["members".to_string(), format!("{} ({} in debt)", s.members, s.members_in_debt)]);
    t.add_row(["network fee".to_string(), format!("{:.2} %", f64::from(s.fee_bps) / 100.0)]);
    t.add_row([
        "loss account".to_string(),
        format!("{} ({})", s.loss_account, u.show_signed(s.loss_account_balance.i128())),
    ]);
    match &s.underwriting {
        Some(uw) => {
            t.add_row(["underwriting".to_string(), uw.contract.clone()]);
            t.add_row(["  stake backing lines".to_string(), uw.stake_units.show(uw.pool.total_exposure.u128())]);
            t.add_row([
                "  fees received".to_string(),
                format!(
                    "{} ({} to the reserve)",
                    u.show(uw.pool.fees_received.u128()),
                    u.show(uw.pool.fees_to_reserve.u128())
                ),
            ]);
            t.add_row(["  rewards paid".to_string(), u.show(uw.pool.rewards_paid.u128())]);
        }
        None => {
            t.add_row(["underwriting".to_string(), "none recorded".to_string()]);
        }
    }
    println!("{t}");
    if s.recent_defaults.is_empty() {
        println!("No default has been declared.");
    } else {
        let mut d = table(["defaulted member", "debt written off", "height", "tx"]);
        for seen in &s.recent_defaults {
            let tx: String = seen.tx_hash.chars().take(12).collect();
            d.add_row([seen.member.clone(), u.show(seen.debt.u128()), seen.height.to_string(), tx]);
        }
        println!("Latest defaults:\n{d}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// resource member account

/// `resource member account ADDRESS`: the credit token's `CreditAccount` answer.
pub async fn account_command(args: &NetworkArgs, address: &str) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = async {
        let network = DeployedNetwork::open(args, &progress).await?;
        progress.step(&format!("querying the credit account of {address}"));
        anyhow::Ok((network.credit_account(address).await?, network.units().await?))
    }
    .await;
    progress.finish();
    let (account, units) = result?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&account)?);
        return Ok(());
    }
    println!("{}", account_table(&account, &units));
    Ok(())
}

fn account_table(account: &CreditAccountResponse, u: &Units) -> comfy_table::Table {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut t = table(["", ""]);
    t.add_row(["address".to_string(), account.address.clone()]);
    t.add_row(["balance".to_string(), u.show_signed(account.balance.i128())]);
    t.add_row(["available".to_string(), u.show(account.available.u128())]);
    let line = match &account.line {
        None => "none".to_string(),
        Some(line) => format!(
            "{} ({}), term {} to {}, grace {}",
            u.show(line.limit.u128()),
            wire_name(&line.status),
            format::utc(line.term_start),
            format::utc(line.term_end),
            format::duration(line.grace_period)
        ),
    };
    t.add_row(["credit line".to_string(), line]);
    t.add_row(["standing".to_string(), wire_name(&account.standing)]);
    t.add_row(["frozen".to_string(), yes_no(account.frozen)]);
    t.add_row(["reserved for vouches".to_string(), u.show(account.reserved.u128())]);
    t.add_row(["written off".to_string(), u.show(account.written_off.u128())]);
    if let Some(p) = &account.period {
        let paused = if p.paused { ", paused" } else { "" };
        t.add_row([
            "credit period".to_string(),
            format!(
                "{}{paused}: expires {}, grace until {}",
                wire_name(&p.state),
                format::utc(p.expiration),
                format::utc(p.grace_end)
            ),
        ]);
        let rebalanced = if p.rebalanced { ", rebalanced" } else { "" };
        t.add_row([
            "period income".to_string(),
            format!(
                "{} (minimum income-to-debt {}{rebalanced})",
                u.show(p.income.u128()),
                format::ppm_percent(p.min_itd)
            ),
        ]);
        t.add_row(["income needed to comply".to_string(), u.show(p.needed_income.u128())]);
    }
    t
}

// ---------------------------------------------------------------------------------------------
// resource pay

/// What `resource pay` was asked.
#[derive(Debug, Clone)]
pub struct PayArgs {
    pub network: NetworkArgs,
    pub to: String,
    /// In whole units of the token (`12.5`).
    pub amount: String,
    /// The payer's key; `None`: the config's `[key]`.
    pub key: Option<KeySource>,
}

/// What `resource pay --json` prints. Amounts are in base units, as strings.
#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub from: String,
    pub to: String,
    /// What the token computed before it was sent (the contract's own rule).
    pub preview: PaymentPreview,
    /// The accounts as the token reports them once the payment landed.
    pub sender_balance: Int128,
    pub sender_available: Uint128,
    pub receiver_balance: Int128,
    pub tx_hash: String,
    pub height: u64,
    pub gas_used: u64,
}

/// A unit enum's name as the contract writes it (`past_due`).
fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Previews the payment with the token's rule, refuses it before signing when the token would, and
/// sends it.
pub async fn pay(args: &PayArgs, progress: &Progress) -> anyhow::Result<(Payment, Units)> {
    let network = DeployedNetwork::open(&args.network, progress).await?;
    let token = network.contract("credit_token")?.to_string();
    // The payer's key: the flag's source, else the config's `[key]`.
    let source = args.key.as_ref().unwrap_or(&network.file.key);
    let payer = wallet(source, &args.network.config, &network.client.config().prefix)?;
    let units = network.units().await?;
    let amount = format::parse_units(&args.amount, units.decimals)
        .map_err(|reason| anyhow::anyhow!("--amount {:?}: {reason}", args.amount))?;
    anyhow::ensure!(amount > 0, "--amount must be more than 0");
    let to = args.to.trim();
    anyhow::ensure!(to != payer.address(), "--to is the payer {to} itself: name another account");

    progress.step("previewing the payment with the token's rule");
    let config: ConfigResponse = network.client.query_smart(&token, &credit_token::QueryMsg::Config {}).await?;
    let sender = network.credit_account(payer.address()).await?;
    let receiver = network.credit_account(to).await?;
    let collector = network.credit_account(config.fee_collector.as_str()).await?;
    let now = network.client.block_time().await?;
    let preview = preview_payment(&config, &sender, &receiver, Some(&collector), amount, now).map_err(|e| {
        anyhow::anyhow!(
            "the credit token would refuse this payment of {} from {} to {to}: {e}. Nothing was sent",
            units.show(amount),
            payer.address()
        )
    })?;

    progress.step(&format!("paying {} to {to}", units.show(amount)));
    let msg = credit_token::ExecuteMsg::Transfer { recipient: to.to_string(), amount: Uint128::new(amount) };
    let outcome = network.client.execute(&payer, &token, &msg, &[], Gas::Auto).await?;
    let sender_after = network.credit_account(payer.address()).await?;
    let receiver_after = network.credit_account(to).await?;
    let payment = Payment {
        from: payer.address().to_string(),
        to: to.to_string(),
        preview,
        sender_balance: sender_after.balance,
        sender_available: sender_after.available,
        receiver_balance: receiver_after.balance,
        tx_hash: outcome.tx_hash,
        height: outcome.height,
        gas_used: outcome.gas_used,
    };
    Ok((payment, units))
}

/// `resource pay`.
pub async fn pay_command(args: &PayArgs) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = pay(args, &progress).await;
    progress.finish();
    let (p, u) = result?;
    if args.network.json {
        println!("{}", serde_json::to_string_pretty(&p)?);
        return Ok(());
    }
    let mut t = table(["", ""]);
    t.add_row(["paid".to_string(), format!("{} to {}", u.show(p.preview.amount.u128()), p.to)]);
    t.add_row(["network fee".to_string(), u.show(p.preview.fee.u128())]);
    t.add_row(["new money (minted)".to_string(), u.show(p.preview.minted.u128())]);
    t.add_row(["debt repaid (burned)".to_string(), u.show(p.preview.burned.u128())]);
    t.add_row([
        "payer's balance".to_string(),
        format!("{} ({} available)", u.show_signed(p.sender_balance.i128()), u.show(p.sender_available.u128())),
    ]);
    t.add_row(["receiver's balance".to_string(), u.show_signed(p.receiver_balance.i128())]);
    t.add_row(["transaction".to_string(), format!("{} at height {} ({} gas)", p.tx_hash, p.height, p.gas_used)]);
    println!("{t}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// resource member sync

/// What `resource member sync` was asked.
#[derive(Debug, Clone)]
pub struct SyncArgs {
    pub network: NetworkArgs,
    /// The member whose credit period is synced.
    pub member: String,
    /// The sender's key (anyone may sync); `None`: the config's `[key]`.
    pub key: Option<KeySource>,
}

/// What `resource member sync --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Synced {
    pub member: String,
    /// `renewed` or `defaulted`, as the token says.
    pub outcome: String,
    /// The renewed period's expiration (unix seconds).
    pub expiration: Option<u64>,
    /// The debt written off to the loss account, for a default (base units).
    pub debt: Option<Uint128>,
    pub tx_hash: String,
    pub height: u64,
    pub gas_used: u64,
}

/// Sends `SyncCreditPeriod` for the member: the token renews its expired period if it meets its
/// terms, or defaults it once its grace has run out. When nothing is due the token's reason is the
/// error, and nothing is sent (the refusal comes from the simulation).
pub async fn sync(args: &SyncArgs, progress: &Progress) -> anyhow::Result<(Synced, Units)> {
    let network = DeployedNetwork::open(&args.network, progress).await?;
    let token = network.contract("credit_token")?.to_string();
    let source = args.key.as_ref().unwrap_or(&network.file.key);
    let sender = wallet(source, &args.network.config, &network.client.config().prefix)?;
    let units = network.units().await?;
    let member = args.member.trim().to_string();
    // A bad address is said as such before anything is signed.
    network.credit_account(&member).await?;
    progress.step(&format!("syncing the credit period of {member}"));
    let msg = credit_token::ExecuteMsg::SyncCreditPeriod { member: member.clone() };
    let outcome = network
        .client
        .execute(&sender, &token, &msg, &[], Gas::Auto)
        .await
        .map_err(|e| anyhow::anyhow!("the credit token has nothing to sync for {member}: {e}. Nothing was sent"))?;
    let attribute = |key: &str| outcome.attribute("wasm", key).map(str::to_string);
    let synced = Synced {
        member,
        outcome: attribute("outcome").unwrap_or_default(),
        expiration: outcome.attribute("wasm-credit_period_renewed", "expiration").and_then(|v| v.parse().ok()),
        debt: attribute("debt").and_then(|d| d.parse().ok()),
        tx_hash: outcome.tx_hash.clone(),
        height: outcome.height,
        gas_used: outcome.gas_used,
    };
    Ok((synced, units))
}

/// `resource member sync`.
pub async fn sync_command(args: &SyncArgs) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = sync(args, &progress).await;
    progress.finish();
    let (s, u) = result?;
    if args.network.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    let mut t = table(["", ""]);
    t.add_row(["member".to_string(), s.member.clone()]);
    let what = match (s.outcome.as_str(), s.expiration, s.debt) {
        ("renewed", Some(expiration), _) => format!("credit period renewed until {}", format::utc(expiration)),
        ("defaulted", _, Some(debt)) => format!("in default: {} written off to the loss account", u.show(debt.u128())),
        (outcome, ..) => outcome.to_string(),
    };
    t.add_row(["outcome".to_string(), what]);
    t.add_row(["transaction".to_string(), format!("{} at height {} ({} gas)", s.tx_hash, s.height, s.gas_used)]);
    println!("{t}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use resource_client::{Event, TxOutcome};

    fn wasm(contract: &str, attributes: &[(&str, &str)]) -> Event {
        let mut all = vec![("_contract_address".to_string(), contract.to_string())];
        all.extend(attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Event { kind: "wasm".into(), attributes: all }
    }

    #[test]
    fn defaults_are_the_tokens_declare_default_events() {
        let default = [("action", "declare_default"), ("member", "inj1carol"), ("debt", "400"), ("minted", "0")];
        let tx = |hash: &str, height, events| TxOutcome {
            tx_hash: hash.into(),
            height,
            gas_wanted: 0,
            gas_used: 0,
            events,
            data: vec![],
        };
        let txs = [
            tx("A", 9, vec![wasm("inj1token", &default), wasm("inj1registry", &[("action", "record_reputation")])]),
            // Another token's default, and the same token's transfer, are not this network's defaults.
            tx("B", 8, vec![wasm("inj1other", &default), wasm("inj1token", &[("action", "transfer")])]),
        ];
        let seen = defaults_in(&txs, "inj1token");
        let expected =
            DefaultSeen { member: "inj1carol".into(), debt: Uint128::new(400), height: 9, tx_hash: "A".into() };
        assert_eq!(seen, [expected]);
        // A credit period's default by anyone's SyncCreditPeriod is one too.
        let synced = [("action", "sync_credit_period"), ("member", "inj1dan"), ("outcome", "defaulted"), ("debt", "7")];
        let renewed = [("action", "sync_credit_period"), ("member", "inj1eve"), ("outcome", "renewed")];
        let txs = [tx("C", 12, vec![wasm("inj1token", &synced)]), tx("D", 13, vec![wasm("inj1token", &renewed)])];
        let expected = DefaultSeen { member: "inj1dan".into(), debt: Uint128::new(7), height: 12, tx_hash: "C".into() };
        assert_eq!(defaults_in(&txs, "inj1token"), [expected]);
    }
}
