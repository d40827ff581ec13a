//! `resource upgrade --config network.toml`: migrates a deployed network's contracts to the code in
//! the artifacts folder. A contract whose code already has its artifact's checksum is left alone;
//! for the others the code is found on the chain by checksum or stored, and the contract is migrated
//! (`MigrateMsg {}`), its own cw2 check refusing another contract's code or an older version. Each
//! migration is recorded (code ids, cw2 versions, tx) as soon as it landed, so a re-run goes on where
//! one stopped.
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use resource_client::{ChainClient, Gas};
use serde::Serialize;

use super::operate::{DeployedNetwork, NetworkArgs};
use super::record::{Migration, Record};
use super::{ensure_code, read_artifacts, tx_of, wallet, CODE_SEARCH_LIMIT};
use crate::ui::{table, Progress};

/// What `resource upgrade` was asked.
#[derive(Debug, Clone)]
pub struct UpgradeArgs {
    pub network: NetworkArgs,
    /// Folder of the new wasm artifacts and their checksums.txt.
    pub artifacts: PathBuf,
}

/// What happened to one contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContractUpgrade {
    pub contract: String,
    pub address: String,
    /// `up to date` or `migrated`.
    pub outcome: &'static str,
    pub from_code: u64,
    pub to_code: u64,
    /// The contract's cw2 version before and after.
    pub from_version: String,
    pub to_version: String,
    /// How the new code came: `stored`, `found on chain` or `recorded` (absent when up to date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
}

/// What `resource upgrade --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct UpgradeReport {
    pub network: String,
    pub chain_id: String,
    pub record: PathBuf,
    pub stored: usize,
    pub migrated: usize,
    pub seconds: f64,
    pub contracts: Vec<ContractUpgrade>,
}

/// The cw2 version `contract` stores (`crates.io:resource-credit-token 0.1.0`).
async fn cw2_version(client: &ChainClient, contract: &str) -> anyhow::Result<cw2::ContractVersion> {
    let raw = client.query_raw(contract, b"contract_info").await?.with_context(|| {
        format!("the contract at {contract} stores no cw2 version, so it cannot be migrated safely")
    })?;
    serde_json::from_slice(&raw).with_context(|| format!("the cw2 version the contract at {contract} stores"))
}

/// Migrates every recorded contract whose code differs from its artifact.
pub async fn upgrade(args: &UpgradeArgs, progress: &Progress) -> anyhow::Result<UpgradeReport> {
    let start = Instant::now();
    let artifacts = read_artifacts(&args.artifacts)?;
    let network = DeployedNetwork::open(&args.network, progress).await?;
    let DeployedNetwork { file, mut record, record_path, client, .. } = network;
    let admin = wallet(&file.key, &args.network.config, &client.config().prefix)?;
    anyhow::ensure!(
        admin.address() == record.deployer,
        "{} was deployed by {}, the contracts' admin, but the key of {} is {}: upgrade with the deployer's key",
        record_path.display(),
        record.deployer,
        args.network.config.display(),
        admin.address()
    );
    progress.step("reading the chain's stored codes");
    let mut on_chain = client.codes(CODE_SEARCH_LIMIT).await?;
    let mut report = UpgradeReport {
        network: record.network.clone(),
        chain_id: record.chain_id.clone(),
        record: record_path.clone(),
        stored: 0,
        migrated: 0,
        seconds: 0.0,
        contracts: Vec::new(),
    };
    for artifact in &artifacts {
        let Some(contract) = record.contracts.get(artifact.name).cloned() else {
            anyhow::bail!(
                "{} records no {} contract: deploy the network first (`resource deploy --config {}`)",
                record_path.display(),
                artifact.name,
                args.network.config.display()
            );
        };
        let info = client.contract_info(&contract.address).await?.context("checked when the network was opened")?;
        let current = on_chain.iter().find(|c| c.code_id == info.code_id).map(|c| c.checksum.clone());
        let before = cw2_version(&client, &contract.address).await?;
        let mut entry = ContractUpgrade {
            contract: artifact.name.to_string(),
            address: contract.address.clone(),
            outcome: "up to date",
            from_code: info.code_id,
            to_code: info.code_id,
            from_version: before.version.clone(),
            to_version: before.version.clone(),
            code: None,
            tx_hash: None,
            height: None,
        };
        if current.as_deref() == Some(artifact.checksum.as_str()) {
            report.contracts.push(entry);
            continue;
        }
        anyhow::ensure!(
            info.admin == admin.address(),
            "the {} contract's admin is {}, not the deployer {}: only its admin can migrate it",
            artifact.name,
            if info.admin.is_empty() { "nobody (it cannot be migrated)" } else { &info.admin },
            admin.address()
        );
        let recorded_code = record.codes.get(artifact.name).cloned();
        let (step, code_id) =
            ensure_code(&client, &admin, artifact, &mut record, &record_path, &on_chain, progress).await?;
        if step.outcome == "stored" {
            report.stored += 1;
            on_chain = client.codes(CODE_SEARCH_LIMIT).await?;
        }
        progress.step(&format!("migrating the {} contract from code {} to {code_id}", artifact.name, info.code_id));
        let msg = migrate_msg(artifact.name);
        let migrated = client.migrate(&admin, &contract.address, code_id, &msg, Gas::Auto).await;
        let outcome = match migrated {
            Ok(outcome) => outcome,
            Err(e) => {
                // The contract still runs its old code: the record says so again.
                match recorded_code {
                    Some(code) => record.codes.insert(artifact.name.to_string(), code),
                    None => record.codes.remove(artifact.name),
                };
                record.save(&record_path)?;
                return Err(anyhow::Error::new(e).context(format!(
                    "migrating the {} contract ({}, {} {}) to code {code_id} of {}; it still runs code {}",
                    artifact.name, contract.address, before.contract, before.version, artifact.file, info.code_id
                )));
            }
        };
        let after = cw2_version(&client, &contract.address).await?;
        record_migration(&mut record, artifact.name, code_id, &before.version, &after.version, tx_of(&outcome));
        record.save(&record_path)?;
        report.migrated += 1;
        entry.outcome = "migrated";
        entry.to_code = code_id;
        entry.to_version = after.version;
        entry.code = Some(step.outcome);
        entry.tx_hash = Some(outcome.tx_hash);
        entry.height = Some(outcome.height);
        report.contracts.push(entry);
    }
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Every contract's `MigrateMsg` is `{}` today; by name, so that one that grows fields is built here.
fn migrate_msg(name: &str) -> serde_json::Value {
    use resource_msgs::{clearing, credit_token, did_registry, meta_bridge, underwriting};
    let value = match name {
        "credit_token" => serde_json::to_value(credit_token::MigrateMsg {}),
        "underwriting" => serde_json::to_value(underwriting::MigrateMsg {}),
        "clearing" => serde_json::to_value(clearing::MigrateMsg {}),
        "did_registry" => serde_json::to_value(did_registry::MigrateMsg {}),
        "meta_bridge" => serde_json::to_value(meta_bridge::MigrateMsg {}),
        other => unreachable!("no contract {other} in CONTRACTS"),
    };
    value.expect("a MigrateMsg serializes")
}

fn record_migration(record: &mut Record, name: &str, code_id: u64, from: &str, to: &str, tx: super::record::Tx) {
    let contract = record.contracts.get_mut(name).expect("the contract is recorded");
    contract.migrations.push(Migration {
        from_code: contract.code_id,
        to_code: code_id,
        from_version: from.to_string(),
        to_version: to.to_string(),
        tx,
    });
    contract.code_id = code_id;
}

/// `resource upgrade`.
pub async fn upgrade_command(args: &UpgradeArgs) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = upgrade(args, &progress).await;
    progress.finish();
    let report = result?;
    if args.network.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let mut t = table(["contract", "outcome", "code", "cw2 version", "tx", "height"]);
    for c in &report.contracts {
        let code =
            if c.from_code == c.to_code { c.to_code.to_string() } else { format!("{} -> {}", c.from_code, c.to_code) };
        let version = if c.from_version == c.to_version {
            c.to_version.clone()
        } else {
            format!("{} -> {}", c.from_version, c.to_version)
        };
        let tx = c.tx_hash.as_deref().map(|h| h.chars().take(12).collect::<String>()).unwrap_or_default();
        let height = c.height.map(|h| h.to_string()).unwrap_or_default();
        t.add_row([c.contract.as_str(), c.outcome, &code, &version, &tx, &height]);
    }
    println!("{t}");
    println!(
        "Network {} on {}: {} contract(s) migrated, {} code(s) stored, in {:.1} s. Recorded in {}.",
        report.network,
        report.chain_id,
        report.migrated,
        report.stored,
        report.seconds,
        report.record.display()
    );
    Ok(())
}
