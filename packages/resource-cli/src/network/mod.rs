//! `resource deploy --config network.toml`: a whole network on any CosmWasm chain. Stores every
//! contract from the artifacts folder (checksums verified, code already on the chain reused by its
//! checksum), instantiates the DID registry, the credit token, the underwriting contract, clearing and
//! the meta-bridge, wires them (`crate::wiring`), and records every step in
//! `deployments/<chain-id>/<network>.json`. Running it again sends nothing that was done already.
pub mod config;
pub mod operate;
pub mod record;
pub mod upgrade;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use resource_client::{ChainClient, ChainConfig, Gas, TxOutcome, Wallet};
use resource_msgs::{clearing, credit_token, did_registry, meta_bridge};
use serde::Serialize;
use sha2::{Digest, Sha256};

use self::config::{ChainSection, KeySource, NetworkFile};
use self::record::{CodeRecord, ContractRecord, Record, Tx};
use crate::ui::{table, Progress};
use crate::underwriting::deploy::{price_from_decimal, UnderwritingSetup};
use crate::underwriting::Units;
use crate::wiring::{registry_writers_msg, TokenWiring};
use resource_msgs::underwriting::{ApplicationPolicy, BackingRules, StakeAsset};

/// The contracts of a network, in the order they are deployed: (record name, artifact, package).
pub const CONTRACTS: [(&str, &str, &str); 5] = [
    ("did_registry", "did_registry.wasm", "resource-did-registry"),
    ("credit_token", "credit_token.wasm", "resource-credit-token"),
    ("underwriting", "underwriting.wasm", "resource-underwriting"),
    ("clearing", "clearing.wasm", "resource-clearing"),
    ("meta_bridge", "meta_bridge.wasm", "resource-meta-bridge"),
];

/// How many codes are looked through for one with an artifact's checksum.
const CODE_SEARCH_LIMIT: usize = 2_000;

/// What `resource deploy` was asked.
#[derive(Debug, Clone)]
pub struct DeployArgs {
    pub config: PathBuf,
    pub artifacts: PathBuf,
    /// The folder of the records (`deployments`).
    pub deployments: PathBuf,
    /// `[chain]` fields given as flags; they win over the file's.
    pub chain: ChainSection,
    pub json: bool,
}

/// The key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the key file {path} ([key] path in {config}) does not exist: write the deployer's mnemonic into it \
         (chmod 600), or use [key] source = \"env\" with a variable that holds it"
    )]
    MissingFile { path: PathBuf, config: PathBuf },
    #[error("cannot read the key file {path}: {source}")]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error(
        "the environment variable {variable} ([key] variable in {config}) is not set: export it with the deployer's \
         mnemonic (`read -rs {variable} && export {variable}`), or use [key] source = \"mnemonic-file\""
    )]
    UnsetVariable { variable: String, config: PathBuf },
    #[error(
        "[key] source = \"keyring\" (service {service}, user {user}) is not available on this system: this build of \
         `resource` has no OS keyring backend (headless machines have no Secret Service to ask); use source = \
         \"mnemonic-file\" (path = FILE, mode 0600) or source = \"env\" (variable = NAME) instead"
    )]
    KeyringUnavailable { service: String, user: String },
    #[error("the key from {origin} is not a usable mnemonic: {reason}")]
    BadMnemonic { origin: String, reason: String },
}

/// The deployer's wallet from `[key]`. Never from a command-line argument.
pub fn wallet(source: &KeySource, config: &Path, prefix: &str) -> Result<Wallet, KeyError> {
    let (phrase, origin) = match source {
        KeySource::MnemonicFile { path } => {
            let path = match config.parent() {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path.clone(),
            };
            let text = std::fs::read_to_string(&path).map_err(|source| {
                if source.kind() == std::io::ErrorKind::NotFound {
                    KeyError::MissingFile { path: path.clone(), config: config.to_path_buf() }
                } else {
                    KeyError::ReadFile { path: path.clone(), source }
                }
            })?;
            (text, path.display().to_string())
        }
        KeySource::Env { variable } => match std::env::var(variable) {
            Ok(text) if !text.trim().is_empty() => (text, format!("${variable}")),
            _ => return Err(KeyError::UnsetVariable { variable: variable.clone(), config: config.to_path_buf() }),
        },
        KeySource::Keyring { service, user } => {
            return Err(KeyError::KeyringUnavailable { service: service.clone(), user: user.clone() })
        }
    };
    let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    Wallet::from_mnemonic(&phrase, prefix).map_err(|e| KeyError::BadMnemonic { origin, reason: e.to_string() })
}

/// The chain settings: flags over the file, each one required.
pub fn chain_config(
    file: &ChainSection,
    flags: &ChainSection,
    config: &Path,
) -> anyhow::Result<(ChainConfig, ChainClientSettings)> {
    let pick = |flag: &Option<String>, field: &Option<String>| flag.clone().or_else(|| field.clone());
    let need = |value: Option<String>, field: &str, flag: &str, what: &str| {
        value
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| anyhow::anyhow!("no {what}: set [chain] {field} in {} or pass {flag}", config.display()))
    };
    let rpc = need(pick(&flags.rpc, &file.rpc), "rpc", "--rpc URL", "RPC endpoint")?;
    let chain_id = need(pick(&flags.chain_id, &file.chain_id), "chain_id", "--chain-id ID", "chain id")?;
    let prefix = need(pick(&flags.prefix, &file.prefix), "prefix", "--prefix PREFIX", "bech32 prefix")?;
    let denom = need(pick(&flags.denom, &file.denom), "denom", "--denom DENOM", "fee denom")?;
    let price = flags.gas_price.clone().or_else(|| file.gas_price.clone()).ok_or_else(|| {
        anyhow::anyhow!("no gas price: set [chain] gas_price in {} or pass --gas-price PRICE", config.display())
    })?;
    let gas_price = price.fraction().map_err(|reason| anyhow::anyhow!("gas price: {reason}"))?;
    let adjustment = flags.gas_adjustment.or(file.gas_adjustment).unwrap_or(1.3);
    anyhow::ensure!((1.0..=10.0).contains(&adjustment), "gas adjustment {adjustment} must be between 1.0 and 10.0");
    let grpc = pick(&flags.grpc, &file.grpc);
    let chain = ChainConfig {
        chain_id,
        rpc,
        grpc: grpc.clone().unwrap_or_default(),
        rest: pick(&flags.rest, &file.rest).unwrap_or_default(),
        denom,
        prefix,
        // Whole units per gas; a fractional price is set on the client (`ChainClientSettings`).
        gas_price: gas_price.0.div_ceil(gas_price.1),
    };
    Ok((chain, ChainClientSettings { gas_price, gas_adjustment_percent: (adjustment * 100.0).round() as u64, grpc }))
}

/// What the client is set up with beyond `ChainConfig`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainClientSettings {
    pub gas_price: (u128, u128),
    pub gas_adjustment_percent: u64,
    pub grpc: Option<String>,
}

/// An artifact read and checked against `checksums.txt`.
struct Artifact {
    name: &'static str,
    file: &'static str,
    wasm: Vec<u8>,
    checksum: String,
}

/// Reads the network's artifacts and checks each against the folder's `checksums.txt`.
fn read_artifacts(dir: &Path) -> anyhow::Result<Vec<Artifact>> {
    let sums_path = dir.join("checksums.txt");
    let sums = std::fs::read_to_string(&sums_path).with_context(|| {
        format!("cannot read {}; build the contracts with `cargo xtask wasm` (it writes it)", sums_path.display())
    })?;
    let listed = |file: &str| {
        sums.lines().find_map(|line| {
            let (sum, name) = line.split_once(char::is_whitespace)?;
            (name.trim().trim_start_matches('*') == file).then(|| sum.trim().to_ascii_lowercase())
        })
    };
    CONTRACTS
        .iter()
        .map(|(name, file, package)| {
            let path = dir.join(file);
            let wasm = std::fs::read(&path).with_context(|| {
                format!("cannot read {}; build it with `cargo xtask wasm -p {package}`", path.display())
            })?;
            let checksum = hex::encode(Sha256::digest(&wasm));
            let expected = listed(file).with_context(|| {
                format!("{} does not list {file}; rebuild the contracts with `cargo xtask wasm`", sums_path.display())
            })?;
            anyhow::ensure!(
                expected == checksum,
                "{} has checksum {checksum} but {} says {expected}: the artifact changed after it was built; rebuild \
                 with `cargo xtask wasm`",
                path.display(),
                sums_path.display()
            );
            Ok(Artifact { name, file, wasm, checksum })
        })
        .collect()
}

/// What one step did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `code`, `contract` or `wiring`.
    pub kind: &'static str,
    pub name: String,
    /// `stored`, `found on chain` (code with the artifact's checksum), `recorded` (kept from the
    /// record), `instantiated`, `wired` or `already wired`.
    pub outcome: &'static str,
    /// The code id or the address.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    pub seconds: f64,
}

/// What the deploy did, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub network: String,
    pub chain_id: String,
    pub record: PathBuf,
    pub stored: usize,
    pub instantiated: usize,
    pub wired: usize,
    pub seconds: f64,
    pub steps: Vec<Step>,
    pub contracts: std::collections::BTreeMap<String, String>,
}

/// `resource deploy`.
pub async fn deploy_command(args: &DeployArgs) -> anyhow::Result<()> {
    let progress = Progress::new();
    let result = deploy(args, &progress).await;
    progress.finish();
    let report = result?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let mut t = table(["step", "what", "outcome", "code id / address", "tx", "height"]);
    for step in &report.steps {
        let tx = step.tx_hash.as_deref().map(|h| h.chars().take(12).collect::<String>()).unwrap_or_default();
        let height = step.height.map(|h| h.to_string()).unwrap_or_default();
        t.add_row([step.kind, &step.name, step.outcome, &step.id, &tx, &height]);
    }
    println!("{t}");
    println!(
        "Network {} on {}: {} code(s) stored, {} contract(s) instantiated, {} wiring transaction(s), in {:.1} s. \
         Recorded in {}.",
        report.network,
        report.chain_id,
        report.stored,
        report.instantiated,
        report.wired,
        report.seconds,
        report.record.display()
    );
    Ok(())
}

fn tx_of(outcome: &TxOutcome) -> Tx {
    Tx { tx_hash: outcome.tx_hash.clone(), height: outcome.height }
}

/// Sends the wiring messages of a deployment, each recorded (and the record saved) once it landed.
struct Wiring<'a> {
    client: &'a ChainClient,
    deployer: &'a Wallet,
    progress: &'a Progress,
    record_path: &'a Path,
}

impl Wiring<'_> {
    /// Sends `msg` to `contract` when there is one (`None`: that part is wired already), saying
    /// `what`; records its transaction under `key`.
    async fn send<M: Serialize + std::fmt::Debug>(
        &self,
        record: &mut Record,
        key: &str,
        contract: &str,
        msg: Option<M>,
        what: &str,
    ) -> anyhow::Result<Option<TxOutcome>> {
        let Some(msg) = msg else { return Ok(None) };
        self.progress.step(what);
        let outcome =
            self.client.execute(self.deployer, contract, &msg, &[], Gas::Auto).await.context(what.to_string())?;
        record.wiring.insert(key.into(), tx_of(&outcome));
        record.save(self.record_path)?;
        Ok(Some(outcome))
    }
}

/// Deploys (or completes) the network of `args.config`; returns what each step did.
pub async fn deploy(args: &DeployArgs, progress: &Progress) -> anyhow::Result<Report> {
    let start = Instant::now();
    let file = NetworkFile::load(&args.config)?;
    let (chain, settings) = chain_config(&file.chain, &args.chain, &args.config)?;
    let artifacts = read_artifacts(&args.artifacts)?;
    let deployer = wallet(&file.key, &args.config, &chain.prefix)?;
    let record_path = Record::path(&args.deployments, &chain.chain_id, &file.network.name);
    let mut record = Record::load(&record_path)?.unwrap_or_else(|| {
        Record::new(&file.network.name, &chain.chain_id, &chain.rpc, settings.grpc.as_deref(), deployer.address())
    });
    anyhow::ensure!(
        record.deployer == deployer.address(),
        "{} was deployed by {}, but the key of {} is {}: use that key, or another [network] name for a new network",
        record_path.display(),
        record.deployer,
        args.config.display(),
        deployer.address()
    );

    anyhow::ensure!(
        file.network.loss_account != deployer.address(),
        "{}: [network] loss_account is the deployer {}, who collects the fees until the underwriting contract does; \
         name another account",
        args.config.display(),
        deployer.address()
    );

    // The node must serve the configured chain before anything is signed.
    progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
    let client = ChainClient::connect(chain.clone())
        .await?
        .with_gas_price_fraction(settings.gas_price.0, settings.gas_price.1)?
        .with_gas_adjustment_percent(settings.gas_adjustment_percent);
    client.account(deployer.address()).await.with_context(|| format!("the deployer {}", deployer.address()))?;
    let save = |record: &Record| record.save(&record_path);

    check_recorded_contracts(&client, &record, &record_path).await?;

    // The chain's codes once (newest first): each artifact is looked up in it by checksum.
    progress.step("reading the chain's stored codes");
    let on_chain = client.codes(CODE_SEARCH_LIMIT).await?;
    let mut steps = Vec::new();
    let (mut stored, mut instantiated, mut wired) = (0, 0, 0);
    let mut code_ids = std::collections::BTreeMap::new();
    for artifact in &artifacts {
        let (step, code_id) =
            ensure_code(&client, &deployer, artifact, &mut record, &record_path, &on_chain, progress).await?;
        stored += usize::from(step.outcome == "stored");
        code_ids.insert(artifact.name, code_id);
        steps.push(step);
    }

    let admin = deployer.address().to_string();
    let net = &file.network;
    let seconds = |d: &config::Duration| d.seconds().map_err(anyhow::Error::msg);
    let loss_account = net.loss_account.clone();
    let reserve = file.underwriting.reserve.clone().unwrap_or_else(|| admin.clone());

    // Each contract once: from the record, or instantiated now and recorded at once.
    let mut earlier = EarlierContracts::default();
    for (name, _, _) in CONTRACTS {
        if let Some(contract) = record.contracts.get(name) {
            steps.push(Step {
                kind: "contract",
                name: name.into(),
                outcome: "recorded",
                id: contract.address.clone(),
                tx_hash: None,
                height: None,
                seconds: 0.0,
            });
            continue;
        }
        let began = Instant::now();
        let address_of = |n: &str| record.contracts.get(n).map(|c| c.address.clone());
        let token = address_of("credit_token");
        let needs_token = || {
            token.clone().with_context(|| format!("the {name} contract needs the credit token, which is not recorded"))
        };
        let label = format!("{}-{}", net.name, name.replace('_', "-"));
        let code_id = code_ids[name];
        // Instantiated by an earlier run that stopped before saving the record: recorded, not made twice.
        if let Some((address, tx)) = earlier.find(&client, deployer.address(), &label, code_id, progress).await? {
            steps.push(Step {
                kind: "contract",
                name: name.into(),
                outcome: "found on chain",
                id: address.clone(),
                tx_hash: Some(tx.tx_hash.clone()),
                height: Some(tx.height),
                seconds: began.elapsed().as_secs_f64(),
            });
            let contract = ContractRecord { address, code_id, label, instantiated: tx, migrations: vec![] };
            record.contracts.insert(name.to_string(), contract);
            save(&record)?;
            continue;
        }
        progress.step(&format!("instantiating the {} contract (code {code_id})", name.replace('_', " ")));
        let result = match name {
            "did_registry" => {
                let msg = did_registry::InstantiateMsg {
                    max_credential_validity: file
                        .did_registry
                        .max_credential_validity
                        .as_ref()
                        .map(seconds)
                        .transpose()?,
                    ..did_registry::InstantiateMsg::default()
                };
                client.instantiate(&deployer, code_id, &msg, &label, Some(&admin), &[], Gas::Auto).await
            }
            "credit_token" => {
                let msg = credit_token::InstantiateMsg {
                    name: net.token_name.clone(),
                    symbol: net.token_symbol.clone(),
                    decimals: net.token_decimals,
                    admin: None,
                    underwriting: None,
                    fee_bps: net.fee_bps,
                    // Until the underwriting contract exists; the wiring makes it the collector.
                    fee_collector: admin.clone(),
                    fee_exempt: Vec::new(),
                    loss_account: loss_account.clone(),
                    default_grace_period: seconds(&net.grace_period)?,
                    // Set by the wiring, once the token writes reputation records in it.
                    did_registry: None,
                    min_term: Some(seconds(&net.min_term)?),
                    min_grace_period: Some(seconds(&net.grace_period)?),
                };
                client.instantiate(&deployer, code_id, &msg, &label, Some(&admin), &[], Gas::Auto).await
            }
            "underwriting" => {
                let uw = &file.underwriting;
                let denom = uw.stake_denom.clone().unwrap_or_else(|| chain.denom.clone());
                let mut stake = Units::native(&denom);
                if let Some(decimals) = uw.stake_decimals {
                    stake.decimals = decimals;
                }
                let credit = Units { symbol: net.token_symbol.clone(), decimals: u32::from(net.token_decimals) };
                let price = price_from_decimal(&uw.price, &credit, &stake)
                    .map_err(|reason| anyhow::anyhow!("[underwriting] price {}: {reason}", uw.price))?;
                let setup = UnderwritingSetup {
                    admin: None,
                    stake_asset: StakeAsset::Native { denom },
                    rules: BackingRules {
                        collateral_ratio_bps: uw.collateral_ratio_bps,
                        price,
                        min_underwriters: uw.min_underwriters,
                        max_share_bps: uw.max_share_bps,
                    },
                    policy: ApplicationPolicy {
                        min_term: seconds(&net.min_term)?,
                        max_term: seconds(&uw.max_term)?,
                        open_period: seconds(&uw.open_period)?,
                    },
                    unbonding_period: seconds(&uw.unbonding_period)?,
                    reserve: reserve.clone(),
                    credit_period_min_itd: uw.credit_period_min_itd,
                    risk_fee_bps: uw.risk_fee_bps,
                };
                let mut msg = setup.instantiate_msg(&needs_token()?);
                msg.did_registry = address_of("did_registry");
                client.instantiate(&deployer, code_id, &msg, &label, Some(&admin), &[], Gas::Auto).await
            }
            "clearing" => {
                let msg = clearing::InstantiateMsg {
                    admin: None,
                    credit_token: Some(needs_token()?),
                    max_entries: file.clearing.max_entries,
                    round_window: file.clearing.round_window.as_ref().map(seconds).transpose()?,
                };
                client.instantiate(&deployer, code_id, &msg, &label, Some(&admin), &[], Gas::Auto).await
            }
            "meta_bridge" => {
                let msg = meta_bridge::InstantiateMsg {
                    admin: None,
                    credit_token: needs_token()?,
                    network: file.bridge.network.clone().unwrap_or_else(|| net.name.clone()),
                };
                client.instantiate(&deployer, code_id, &msg, &label, Some(&admin), &[], Gas::Auto).await
            }
            other => unreachable!("no contract {other}"),
        };
        let (address, outcome) = result.with_context(|| format!("instantiating the {name} contract"))?;
        record.contracts.insert(
            name.to_string(),
            ContractRecord {
                address: address.clone(),
                code_id,
                label,
                instantiated: tx_of(&outcome),
                migrations: vec![],
            },
        );
        save(&record)?;
        instantiated += 1;
        steps.push(Step {
            kind: "contract",
            name: name.into(),
            outcome: "instantiated",
            id: address,
            tx_hash: Some(outcome.tx_hash),
            height: Some(outcome.height),
            seconds: began.elapsed().as_secs_f64(),
        });
    }

    // The wiring, each part checked on the chain first: nothing is sent twice.
    let address = |n: &str| record.contracts[n].address.clone();
    let (token, registry) = (address("credit_token"), address("did_registry"));
    let token_wiring = TokenWiring {
        underwriting: Some(address("underwriting")),
        fee_exempt: vec![address("clearing"), address("meta_bridge")],
        did_registry: Some(registry.clone()),
    };

    let began = Instant::now();
    let registry_config: did_registry::ConfigResponse =
        client.query_smart(&registry, &did_registry::QueryMsg::Config {}).await?;
    let step = |name: &str, outcome: Option<&TxOutcome>, id: &str, began: Instant| Step {
        kind: "wiring",
        name: name.into(),
        outcome: if outcome.is_some() { "wired" } else { "already wired" },
        id: id.into(),
        tx_hash: outcome.map(|o| o.tx_hash.clone()),
        height: outcome.map(|o| o.height),
        seconds: began.elapsed().as_secs_f64(),
    };
    // The token records reputation: it must be a writer before it names the registry.
    let wiring = Wiring { client: &client, deployer: &deployer, progress, record_path: &record_path };
    let msg = registry_writers_msg(&registry_config, &[&token]);
    let what = "making the credit token a reputation writer of the DID registry (UpdateRoles)";
    let writers = wiring.send(&mut record, "registry_writers", &registry, msg, what).await?;
    wired += usize::from(writers.is_some());
    steps.push(step("registry writers: the credit token", writers.as_ref(), &registry, began));

    let began = Instant::now();
    let token_config: credit_token::ConfigResponse =
        client.query_smart(&token, &credit_token::QueryMsg::Config {}).await?;
    let msg = token_wiring.update_msg(&token_config);
    let what =
        "wiring the credit token: underwriting, fee collector, fee-exempt contracts, DID registry (UpdateConfig)";
    let update = wiring.send(&mut record, "token_config", &token, msg, what).await?;
    wired += usize::from(update.is_some());
    steps.push(step("credit token config (underwriting, fees, DID registry)", update.as_ref(), &token, began));

    // Both ends, as the contracts report them.
    let token_config: credit_token::ConfigResponse =
        client.query_smart(&token, &credit_token::QueryMsg::Config {}).await?;
    token_wiring.check(&token_config)?;
    let registry_config: did_registry::ConfigResponse =
        client.query_smart(&registry, &did_registry::QueryMsg::Config {}).await?;
    anyhow::ensure!(
        registry_writers_msg(&registry_config, &[&token]).is_none(),
        "the DID registry does not list the credit token as a reputation writer after UpdateRoles"
    );
    save(&record)?;

    Ok(Report {
        network: record.network.clone(),
        chain_id: record.chain_id.clone(),
        record: record_path.clone(),
        stored,
        instantiated,
        wired,
        seconds: start.elapsed().as_secs_f64(),
        steps,
        contracts: record.contracts.iter().map(|(name, c)| (name.clone(), c.address.clone())).collect(),
    })
}

/// The code of `artifact` on the client's chain: the record's when its code id still has the
/// artifact's checksum, else any stored code with that checksum, else stored now; recorded (and the
/// record saved) when it changed. `on_chain` is the chain's codes. Returns the step and the code id.
async fn ensure_code(
    client: &ChainClient,
    deployer: &Wallet,
    artifact: &Artifact,
    record: &mut Record,
    record_path: &Path,
    on_chain: &[resource_client::CodeInfo],
    progress: &Progress,
) -> anyhow::Result<(Step, u64)> {
    let began = Instant::now();
    let checksum_of = |code_id: u64| on_chain.iter().find(|c| c.code_id == code_id).map(|c| c.checksum.as_str());
    let recorded = record.codes.get(artifact.name).filter(|c| c.checksum == artifact.checksum).cloned();
    let mut step = Step {
        kind: "code",
        name: artifact.file.to_string(),
        outcome: "recorded",
        id: String::new(),
        tx_hash: None,
        height: None,
        seconds: 0.0,
    };
    let code_id = match recorded {
        Some(code) if checksum_of(code.code_id) == Some(artifact.checksum.as_str()) => code.code_id,
        _ => {
            let found = on_chain.iter().find(|c| c.checksum == artifact.checksum).map(|c| c.code_id);
            let code = match found {
                Some(code_id) => {
                    step.outcome = "found on chain";
                    CodeRecord {
                        artifact: artifact.file.into(),
                        checksum: artifact.checksum.clone(),
                        code_id,
                        stored: None,
                    }
                }
                None => {
                    progress.step(&format!("storing {} ({} KiB)", artifact.file, artifact.wasm.len() / 1024));
                    let (code_id, outcome) = client
                        .store_code(deployer, &artifact.wasm, Gas::Auto)
                        .await
                        .with_context(|| format!("storing {}", artifact.file))?;
                    step.outcome = "stored";
                    CodeRecord {
                        artifact: artifact.file.into(),
                        checksum: artifact.checksum.clone(),
                        code_id,
                        stored: Some(tx_of(&outcome)),
                    }
                }
            };
            step.tx_hash = code.stored.as_ref().map(|tx| tx.tx_hash.clone());
            step.height = code.stored.as_ref().map(|tx| tx.height);
            let code_id = code.code_id;
            record.codes.insert(artifact.name.to_string(), code);
            record.save(record_path)?;
            code_id
        }
    };
    step.id = code_id.to_string();
    step.seconds = began.elapsed().as_secs_f64();
    Ok((step, code_id))
}

/// The contracts the deployer instantiated, read from the chain once, the first time a contract is
/// missing from the record.
#[derive(Default)]
struct EarlierContracts(Option<Vec<(String, resource_client::ContractInfo)>>);

impl EarlierContracts {
    /// The deployer's contract labelled `label` running `code_id`, with its instantiation.
    async fn find(
        &mut self,
        client: &ChainClient,
        deployer: &str,
        label: &str,
        code_id: u64,
        progress: &Progress,
    ) -> anyhow::Result<Option<(String, Tx)>> {
        if self.0.is_none() {
            progress.step("looking for contracts an interrupted deploy made");
            let mut mine = Vec::new();
            for address in client.contracts_by_creator(deployer, CODE_SEARCH_LIMIT).await? {
                if let Some(info) = client.contract_info(&address).await? {
                    mine.push((address, info));
                }
            }
            self.0 = Some(mine);
        }
        let found = self.0.iter().flatten().find(|(_, info)| info.label == label && info.code_id == code_id);
        let Some((address, _)) = found else { return Ok(None) };
        let txs = client.search_txs(&[("instantiate._contract_address", address)], 1).await.with_context(|| {
            format!(
                "the contract {address} labelled {label} is on the chain but not in the record, and its instantiation \
                 cannot be looked up; add it to the record by hand, or use another [network] name"
            )
        })?;
        let tx = txs.first().map(tx_of).with_context(|| {
            format!("the node's transaction index has no instantiation of {address} (labelled {label}); add it to the record by hand")
        })?;
        Ok(Some((address.clone(), tx)))
    }
}

/// Checks that every contract `record` (saved at `record_path`) lists is on the client's chain with
/// its recorded code: a chain reset under a record is found before anything is sent or trusted.
pub async fn check_recorded_contracts(client: &ChainClient, record: &Record, record_path: &Path) -> anyhow::Result<()> {
    let chain_id = &client.config().chain_id;
    for (name, contract) in &record.contracts {
        let info = client.contract_info(&contract.address).await?;
        anyhow::ensure!(
            info.as_ref().is_some_and(|info| info.code_id == contract.code_id),
            "{} records the {name} contract at {} (code {}), but chain {} has {}: was the chain reset? Move the record \
             away to deploy the network afresh",
            record_path.display(),
            contract.address,
            contract.code_id,
            chain_id,
            match info {
                Some(info) => format!("code {} there", info.code_id),
                None => "no contract there".into(),
            }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_a_missing_endpoint_says_where_to_set_it() {
        let file = ChainSection {
            rpc: Some("http://file:26657".into()),
            chain_id: Some("resource-1".into()),
            prefix: Some("inj".into()),
            denom: Some("inj".into()),
            gas_price: Some(config::GasPrice::Decimal("0.5".into())),
            ..ChainSection::default()
        };
        let flags = ChainSection { rpc: Some("http://flag:1".into()), ..ChainSection::default() };
        let (chain, settings) = chain_config(&file, &flags, Path::new("n.toml")).unwrap();
        assert_eq!(chain.rpc, "http://flag:1");
        assert_eq!(chain.chain_id, "resource-1");
        assert_eq!(settings.gas_price, (5, 10));
        assert_eq!(settings.gas_adjustment_percent, 130);
        let no_rpc = ChainSection { rpc: None, ..file.clone() };
        let err = chain_config(&no_rpc, &ChainSection::default(), Path::new("n.toml")).unwrap_err().to_string();
        assert_eq!(err, "no RPC endpoint: set [chain] rpc in n.toml or pass --rpc URL");
        let no_price = ChainSection { gas_price: None, ..file };
        let err = chain_config(&no_price, &ChainSection::default(), Path::new("n.toml")).unwrap_err().to_string();
        assert!(err.contains("--gas-price"), "{err}");
    }

    #[test]
    fn keys_come_from_a_file_or_the_environment_and_say_what_to_do_otherwise() {
        let dir = std::env::temp_dir().join(format!("resource-deploy-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("net.toml");
        let admin = resource_client::test_accounts::test_account("admin").unwrap();
        std::fs::write(dir.join("admin.mnemonic"), format!("  {}\n", admin.mnemonic)).unwrap();
        let from_file = wallet(&KeySource::MnemonicFile { path: "admin.mnemonic".into() }, &config, "inj").unwrap();
        let expected = Wallet::from_mnemonic(admin.mnemonic, "inj").unwrap();
        assert_eq!(from_file.address(), expected.address(), "relative to the config file, whitespace trimmed");
        let err = wallet(&KeySource::MnemonicFile { path: "nope".into() }, &config, "inj").unwrap_err();
        assert!(
            matches!(err, KeyError::MissingFile { .. }) && err.to_string().contains("write the deployer's mnemonic")
        );
        let variable = format!("RESOURCE_TEST_UNSET_{}", std::process::id());
        let err = wallet(&KeySource::Env { variable: variable.clone() }, &config, "inj").unwrap_err();
        assert!(err.to_string().contains(&format!("{variable} ([key] variable in")), "{err}");
        let err = wallet(&KeySource::Keyring { service: "s".into(), user: "u".into() }, &config, "inj").unwrap_err();
        assert!(matches!(err, KeyError::KeyringUnavailable { .. }));
        assert!(err.to_string().contains("source = \"mnemonic-file\""), "{err}");
        std::fs::write(dir.join("bad.mnemonic"), "not a phrase").unwrap();
        let err = wallet(&KeySource::MnemonicFile { path: "bad.mnemonic".into() }, &config, "inj").unwrap_err();
        assert!(matches!(err, KeyError::BadMnemonic { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn artifacts_are_checked_against_their_checksums() {
        let dir = std::env::temp_dir().join(format!("resource-deploy-artifacts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let err = read_artifacts(&dir).err().unwrap().to_string();
        assert!(err.contains("checksums.txt") && err.contains("cargo xtask wasm"), "{err}");
        let mut sums = String::new();
        for (_, file, _) in CONTRACTS {
            std::fs::write(dir.join(file), file.as_bytes()).unwrap();
            sums.push_str(&format!("{}  {file}\n", hex::encode(Sha256::digest(file.as_bytes()))));
        }
        std::fs::write(dir.join("checksums.txt"), &sums).unwrap();
        let read = read_artifacts(&dir).unwrap();
        assert_eq!(read.len(), CONTRACTS.len());
        std::fs::write(dir.join("clearing.wasm"), b"changed").unwrap();
        let err = read_artifacts(&dir).err().unwrap().to_string();
        assert!(err.contains("clearing.wasm has checksum") && err.contains("rebuild"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
