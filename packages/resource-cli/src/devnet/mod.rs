//! `resource devnet`: single-node local chains for development and tests.
//!
//! A devnet lives in one folder of the project (`.devnet` by default): `devnet.json` describes the
//! running chains, and each chain has its own node home, log and pid. `up` always creates fresh chains,
//! `down` stops only the processes recorded there.
use std::fs;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use resource_client::test_accounts::TEST_ACCOUNTS;
use resource_client::{ChainClient, ChainConfig, Wallet};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::node::{ensure_node, NodeBinary, NodeInstallError};

mod command;

pub use command::{down_command, status_command, up_command};

/// Native denom of the node; it has 18 decimals.
pub const DENOM: &str = "inj";
pub const ADDRESS_PREFIX: &str = "inj";
/// Gas price used by clients (the node's minimum is 160,000,000 inj per gas unit).
pub const GAS_PRICE: u128 = 500_000_000;
/// What each test account holds at genesis: one million whole tokens.
const ACCOUNT_FUNDS: &str = "1000000000000000000000000";
const VALIDATOR_STAKE: &str = "1000000000000000000000";
const STATE_FILE: &str = "devnet.json";
const START_TIMEOUT: Duration = Duration::from_secs(90);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Error)]
pub enum DevnetError {
    #[error("a devnet is already running in {home} (chain {chain_id}, pid {pid}); run `resource devnet down` first")]
    AlreadyRunning { home: PathBuf, chain_id: String, pid: u32 },
    #[error(
        "port {port} ({listener} of chain {chain_id}) is already in use; stop what uses it or pass --port-offset N"
    )]
    PortInUse { port: u16, listener: &'static str, chain_id: String },
    #[error("no devnet is running in {0}; start one with `resource devnet up`")]
    NotRunning(PathBuf),
    #[error("--chains must be between 1 and {max}, not {given}")]
    ChainCount { given: usize, max: usize },
    #[error("--port-offset {0} would move the ports past 65535; use a smaller offset")]
    PortOffset(u16),
    #[error(transparent)]
    Install(#[from] NodeInstallError),
    #[error("setting up chain {chain_id} failed at `{step}`: {detail}")]
    Setup { chain_id: String, step: String, detail: String },
    #[error("the node of chain {chain_id} {what}; last lines of {log}:\n{tail}")]
    NodeFailed { chain_id: String, what: String, log: PathBuf, tail: String },
    #[error("{context} ({path}): {source}")]
    Io { context: &'static str, path: PathBuf, source: io::Error },
    #[error("{0} is damaged ({1}); delete the folder and run `resource devnet up` again")]
    BadState(PathBuf, String),
    #[error("could not stop pid {pid} of chain {chain_id}: {reason}")]
    Stop { chain_id: String, pid: u32, reason: String },
}

type Result<T, E = DevnetError> = std::result::Result<T, E>;

/// The ports one chain listens on, all on 127.0.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainPorts {
    pub rpc: u16,
    pub p2p: u16,
    pub abci: u16,
    pub pprof: u16,
    pub rest: u16,
    pub grpc: u16,
}

impl ChainPorts {
    /// Ports of the `index`-th chain (0-based): the node's defaults for the first chain, CometBFT
    /// ports +1000 per further chain, the others in steps that cannot collide; all shifted by `offset`.
    pub fn for_chain(index: u16, offset: u16) -> Result<Self> {
        let shift = |base: u16, step: u16| -> Result<u16> {
            base.checked_add(step * index)
                .and_then(|port| port.checked_add(offset))
                .ok_or(DevnetError::PortOffset(offset))
        };
        Ok(ChainPorts {
            rpc: shift(26657, 1000)?,
            p2p: shift(26656, 1000)?,
            abci: shift(26658, 1000)?,
            pprof: shift(6060, 1)?,
            rest: shift(10337, 100)?,
            grpc: shift(9900, 10)?,
        })
    }

    fn named(&self) -> [(&'static str, u16); 6] {
        [
            ("RPC", self.rpc),
            ("P2P", self.p2p),
            ("ABCI", self.abci),
            ("pprof", self.pprof),
            ("REST", self.rest),
            ("gRPC", self.grpc),
        ]
    }
}

/// One chain of a devnet as recorded in `devnet.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChainRecord {
    pub config: ChainConfig,
    pub ports: ChainPorts,
    pub node_home: PathBuf,
    pub log: PathBuf,
    pub pid: Option<u32>,
}

/// The contents of `devnet.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DevnetState {
    pub chains: Vec<ChainRecord>,
}

impl DevnetState {
    pub fn load(home: &Path) -> Result<Option<Self>> {
        let path = home.join(STATE_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DevnetError::Io { context: "cannot read the devnet state", path, source }),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| DevnetError::BadState(path, e.to_string()))
    }

    fn save(&self, home: &Path) -> Result<()> {
        let path = home.join(STATE_FILE);
        let text = serde_json::to_string_pretty(self).expect("state serializes");
        write_atomically(&path, text.as_bytes())
    }

    /// Chains whose recorded node process is still alive.
    pub fn running(&self) -> impl Iterator<Item = (&ChainRecord, u32)> {
        self.chains.iter().filter_map(|chain| {
            let pid = chain.pid?;
            is_our_node(pid, &chain.node_home).then_some((chain, pid))
        })
    }
}

/// Options of `resource devnet up`.
#[derive(Debug, Clone)]
pub struct UpOptions {
    pub home: PathBuf,
    pub chains: usize,
    pub port_offset: u16,
}

pub const MAX_CHAINS: usize = 4;

/// Creates and starts fresh chains; returns their records once each produces blocks.
pub async fn up(options: &UpOptions, progress: &dyn Fn(&str)) -> Result<DevnetState> {
    if options.chains == 0 || options.chains > MAX_CHAINS {
        return Err(DevnetError::ChainCount { given: options.chains, max: MAX_CHAINS });
    }
    if let Some(state) = DevnetState::load(&options.home)? {
        if let Some((chain, pid)) = state.running().next() {
            return Err(DevnetError::AlreadyRunning {
                home: options.home.clone(),
                chain_id: chain.config.chain_id.clone(),
                pid,
            });
        }
    }
    let plans: Vec<(String, ChainPorts)> = (0..options.chains)
        .map(|index| Ok((format!("resource-{}", index + 1), ChainPorts::for_chain(index as u16, options.port_offset)?)))
        .collect::<Result<_>>()?;
    for (chain_id, ports) in &plans {
        for (listener, port) in ports.named() {
            if TcpListener::bind(("127.0.0.1", port)).is_err() {
                return Err(DevnetError::PortInUse { port, listener, chain_id: chain_id.clone() });
            }
        }
    }
    let node = ensure_node(progress)?;

    fs::create_dir_all(&options.home).map_err(|source| DevnetError::Io {
        context: "cannot create the devnet folder",
        path: options.home.clone(),
        source,
    })?;
    let home = fs::canonicalize(&options.home).map_err(|source| DevnetError::Io {
        context: "cannot resolve the devnet folder",
        path: options.home.clone(),
        source,
    })?;

    // A fresh devnet: scratch files of the previous one go, and so does the record of the contracts
    // deployed on it (they are not on the new chains).
    let _ = fs::remove_dir_all(home.join("tmp"));
    crate::deployment::Deployment::remove(&home).map_err(|e| DevnetError::Setup {
        chain_id: plans[0].0.clone(),
        step: "forgetting the previous deployment".into(),
        detail: e.to_string(),
    })?;
    let mut state = DevnetState::default();
    for (chain_id, ports) in &plans {
        progress(&format!("creating chain {chain_id}"));
        state.chains.push(init_chain(&node, &home, chain_id, *ports)?);
    }
    // Record the chains before starting them, so `down` can stop whatever did start if we fail midway.
    state.save(&home)?;
    let mut children = Vec::new();
    for index in 0..state.chains.len() {
        progress(&format!("starting chain {}", state.chains[index].config.chain_id));
        let child = start_node(&node, &state.chains[index])?;
        state.chains[index].pid = Some(child.id());
        state.save(&home)?;
        children.push(child);
    }
    for (chain, child) in state.chains.iter().zip(children.iter_mut()) {
        progress(&format!("waiting for the first blocks of {}", chain.config.chain_id));
        if let Err(err) = wait_for_blocks(chain, child).await {
            let _ = down(&home);
            return Err(err);
        }
    }
    Ok(state)
}

/// Stops every node recorded in `home`; returns the chain ids it stopped.
pub fn down(home: &Path) -> Result<Vec<String>> {
    let Some(mut state) = DevnetState::load(home)? else {
        return Ok(Vec::new());
    };
    let mut stopped = Vec::new();
    for chain in &mut state.chains {
        let Some(pid) = chain.pid else { continue };
        if is_our_node(pid, &chain.node_home) {
            stop_process(pid).map_err(|reason| DevnetError::Stop {
                chain_id: chain.config.chain_id.clone(),
                pid,
                reason,
            })?;
            stopped.push(chain.config.chain_id.clone());
        }
        chain.pid = None;
    }
    state.save(home)?;
    Ok(stopped)
}

/// A running chain with its current height.
#[derive(Debug, Clone)]
pub struct ChainStatus {
    pub record: ChainRecord,
    pub height: u64,
}

/// The running chains of `home` and their heights.
pub async fn status(home: &Path) -> Result<Vec<ChainStatus>> {
    let state = DevnetState::load(home)?.ok_or_else(|| DevnetError::NotRunning(home.to_path_buf()))?;
    let running: Vec<ChainRecord> = state.running().map(|(chain, _)| chain.clone()).collect();
    if running.is_empty() {
        return Err(DevnetError::NotRunning(home.to_path_buf()));
    }
    let mut statuses = Vec::new();
    for record in running {
        let height = match ChainClient::connect(record.config.clone()).await {
            Ok(client) => client.height().await.ok(),
            Err(_) => None,
        };
        let height = height.ok_or_else(|| DevnetError::NodeFailed {
            chain_id: record.config.chain_id.clone(),
            what: format!("runs but does not answer on {}", record.config.rpc),
            log: record.log.clone(),
            tail: log_tail(&record.log, 10),
        })?;
        statuses.push(ChainStatus { record, height });
    }
    Ok(statuses)
}

fn init_chain(node: &NodeBinary, home: &Path, chain_id: &str, ports: ChainPorts) -> Result<ChainRecord> {
    let node_home = home.join(chain_id);
    if node_home.exists() {
        fs::remove_dir_all(&node_home).map_err(|source| DevnetError::Io {
            context: "cannot remove the previous chain",
            path: node_home.clone(),
            source,
        })?;
    }
    // Every node command leaves an app folder in $TMPDIR: keep those inside the devnet.
    let scratch = home.join("tmp");
    fs::create_dir_all(&scratch).map_err(|source| DevnetError::Io {
        context: "cannot create the devnet's scratch folder",
        path: scratch.clone(),
        source,
    })?;
    let run = |step: &str, args: &[&str]| -> Result<String> {
        let output = node
            .command()
            .env("TMPDIR", &scratch)
            .args(args)
            .arg("--home")
            .arg(&node_home)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| DevnetError::Setup { chain_id: chain_id.into(), step: step.into(), detail: e.to_string() })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(DevnetError::Setup {
                chain_id: chain_id.into(),
                step: step.into(),
                detail: last_lines(&stderr, 5),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    run("init", &["init", "node", "--chain-id", chain_id])?;
    edit_genesis(&node_home.join("config/genesis.json"), chain_id)?;
    run("keys add val", &["keys", "add", "val", "--keyring-backend", "test", "--output", "json"])?;
    let validator_funds = format!("{ACCOUNT_FUNDS}{DENOM}");
    run(
        "add validator account",
        &[
            "genesis",
            "add-genesis-account",
            "val",
            &validator_funds,
            "--chain-id",
            chain_id,
            "--keyring-backend",
            "test",
        ],
    )?;
    for account in TEST_ACCOUNTS {
        let wallet = Wallet::from_mnemonic(account.mnemonic, ADDRESS_PREFIX).map_err(|e| DevnetError::Setup {
            chain_id: chain_id.into(),
            step: format!("derive test account {}", account.name),
            detail: e.to_string(),
        })?;
        run(
            &format!("fund test account {}", account.name),
            &["genesis", "add-genesis-account", wallet.address(), &validator_funds, "--chain-id", chain_id],
        )?;
    }
    let stake = format!("{VALIDATOR_STAKE}{DENOM}");
    run("gentx", &["genesis", "gentx", "val", &stake, "--chain-id", chain_id, "--keyring-backend", "test"])?;
    run("collect-gentxs", &["genesis", "collect-gentxs"])?;
    configure(&node_home, ports, chain_id)?;
    Ok(ChainRecord {
        config: ChainConfig {
            chain_id: chain_id.to_string(),
            rpc: format!("http://127.0.0.1:{}", ports.rpc),
            grpc: format!("http://127.0.0.1:{}", ports.grpc),
            rest: format!("http://127.0.0.1:{}", ports.rest),
            denom: DENOM.to_string(),
            prefix: ADDRESS_PREFIX.to_string(),
            gas_price: GAS_PRICE,
        },
        ports,
        log: home.join(format!("{chain_id}.log")),
        node_home,
        pid: None,
    })
}

/// The node's genesis names its staking denom "stake"; the chain's denom is "inj". Governance
/// periods are shortened so devnet proposals (e.g. pinning code) pass in seconds.
fn edit_genesis(path: &Path, chain_id: &str) -> Result<()> {
    let setup = |detail: String| DevnetError::Setup { chain_id: chain_id.into(), step: "edit genesis".into(), detail };
    let text = fs::read_to_string(path).map_err(|e| setup(e.to_string()))?;
    let mut genesis: serde_json::Value = serde_json::from_str(&text).map_err(|e| setup(e.to_string()))?;
    replace_strings(&mut genesis, "stake", DENOM);
    if let Some(params) = genesis.pointer_mut("/app_state/gov/params") {
        params["voting_period"] = "10s".into();
        params["expedited_voting_period"] = "5s".into();
    }
    let text = serde_json::to_string_pretty(&genesis).expect("genesis serializes");
    fs::write(path, text).map_err(|e| setup(e.to_string()))
}

fn replace_strings(value: &mut serde_json::Value, from: &str, to: &str) {
    match value {
        serde_json::Value::String(s) if s == from => *s = to.to_string(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}

/// Binds every listener to loopback on the chain's own ports, lets browsers call the RPC, and turns
/// off what a devnet does not use.
fn configure(node_home: &Path, ports: ChainPorts, chain_id: &str) -> Result<()> {
    let config = node_home.join("config/config.toml");
    edit_toml(&config, chain_id, |doc| {
        doc["proxy_app"] = toml_edit::value(format!("tcp://127.0.0.1:{}", ports.abci));
        doc["rpc"]["laddr"] = toml_edit::value(format!("tcp://127.0.0.1:{}", ports.rpc));
        doc["rpc"]["pprof_laddr"] = toml_edit::value(format!("127.0.0.1:{}", ports.pprof));
        // Pages on any localhost port (the SDK's checkout example, a merchant's dev server) call the
        // RPC from the browser; the node listens on loopback only.
        let mut origins = toml_edit::Array::new();
        origins.push("*");
        doc["rpc"]["cors_allowed_origins"] = toml_edit::value(origins);
        doc["p2p"]["laddr"] = toml_edit::value(format!("tcp://127.0.0.1:{}", ports.p2p));
        doc["p2p"]["addr_book_strict"] = toml_edit::value(false);
        doc["p2p"]["allow_duplicate_ip"] = toml_edit::value(true);
        doc["consensus"]["timeout_commit"] = toml_edit::value("500ms");
        doc["instrumentation"]["prometheus"] = toml_edit::value(false);
    })?;
    let app = node_home.join("config/app.toml");
    edit_toml(&app, chain_id, |doc| {
        doc["api"]["enable"] = toml_edit::value(true);
        doc["api"]["address"] = toml_edit::value(format!("tcp://127.0.0.1:{}", ports.rest));
        doc["grpc"]["enable"] = toml_edit::value(true);
        doc["grpc"]["address"] = toml_edit::value(format!("127.0.0.1:{}", ports.grpc));
        // The EVM JSON-RPC server is of no use here and would take ports of its own.
        doc["json-rpc"]["enable"] = toml_edit::value(false);
        doc["json-rpc"]["metrics"] = toml_edit::value(false);
        doc["json-rpc-debug"]["enable"] = toml_edit::value(false);
    })
}

fn edit_toml(path: &Path, chain_id: &str, edit: impl FnOnce(&mut toml_edit::DocumentMut)) -> Result<()> {
    let setup = |detail: String| DevnetError::Setup {
        chain_id: chain_id.into(),
        step: format!("configure {}", path.display()),
        detail,
    };
    let text = fs::read_to_string(path).map_err(|e| setup(e.to_string()))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| setup(e.to_string()))?;
    edit(&mut doc);
    fs::write(path, doc.to_string()).map_err(|e| setup(e.to_string()))
}

fn start_node(node: &NodeBinary, chain: &ChainRecord) -> Result<Child> {
    use std::os::unix::process::CommandExt;
    let io = |source| DevnetError::Io { context: "cannot open the node log", path: chain.log.clone(), source };
    let log = fs::File::create(&chain.log).map_err(io)?;
    let log_err = log.try_clone().map_err(io)?;
    node.command()
        .env("TMPDIR", chain.node_home.parent().unwrap_or(&chain.node_home).join("tmp"))
        .arg("start")
        .arg("--home")
        .arg(&chain.node_home)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Its own process group: the node outlives this command and ignores the terminal's signals.
        .process_group(0)
        .spawn()
        .map_err(|e| DevnetError::NodeFailed {
            chain_id: chain.config.chain_id.clone(),
            what: format!("could not be started: {e}"),
            log: chain.log.clone(),
            tail: String::new(),
        })
}

/// Waits until the chain has committed two blocks, failing fast if the node exits.
async fn wait_for_blocks(chain: &ChainRecord, child: &mut Child) -> Result<()> {
    let started = Instant::now();
    loop {
        if let Ok(Some(exit)) = child.try_wait() {
            return Err(DevnetError::NodeFailed {
                chain_id: chain.config.chain_id.clone(),
                what: format!("exited during start-up ({exit})"),
                log: chain.log.clone(),
                tail: log_tail(&chain.log, 15),
            });
        }
        let height = match ChainClient::connect(chain.config.clone()).await {
            Ok(client) => client.height().await.ok(),
            Err(_) => None,
        };
        if height.is_some_and(|h| h >= 2) {
            return Ok(());
        }
        if started.elapsed() > START_TIMEOUT {
            return Err(DevnetError::NodeFailed {
                chain_id: chain.config.chain_id.clone(),
                what: format!("produced no blocks within {} s", START_TIMEOUT.as_secs()),
                log: chain.log.clone(),
                tail: log_tail(&chain.log, 15),
            });
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// True when `pid` is alive and is a node started for `node_home`: a recycled pid is never killed.
pub fn is_our_node(pid: u32, node_home: &Path) -> bool {
    let Ok(cmdline) = fs::read(format!("/proc/{pid}/cmdline")) else { return false };
    if process_state(pid) == Some('Z') {
        return false;
    }
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let home = node_home.as_os_str().as_encoded_bytes();
    args.contains(&&b"start"[..]) && args.contains(&home)
}

fn process_state(pid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The state follows the parenthesised command name, which may itself contain spaces.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// SIGTERM to the node's process group, SIGKILL if it has not exited in time.
fn stop_process(pid: u32) -> std::result::Result<(), String> {
    let group = -(pid as i32);
    // SAFETY: kill(2) with a process-group id we created; no memory is involved.
    if unsafe { libc::kill(group, libc::SIGTERM) } != 0 {
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::ESRCH) {
            return Err(format!("SIGTERM failed: {err}"));
        }
    }
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline {
        if !process_alive(pid) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: as above.
    unsafe { libc::kill(group, libc::SIGKILL) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if !process_alive(pid) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the process survived SIGKILL".into())
}

fn process_alive(pid: u32) -> bool {
    matches!(process_state(pid), Some(state) if state != 'Z' && state != 'X')
}

/// The last `n` lines of a log file (reads at most the final 64 KiB).
pub fn log_tail(path: &Path, n: usize) -> String {
    let Ok(mut file) = fs::File::open(path) else { return format!("(no log at {})", path.display()) };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
    let lines: Vec<String> = BufReader::new(file).lines().map_while(|l| l.ok()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let io = |source| DevnetError::Io { context: "cannot write the devnet state", path: path.to_path_buf(), source };
    fs::write(&tmp, bytes).map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
}

/// The first running chain of the devnet in `home`, or an error saying how to start one.
pub fn first_running_chain(home: &Path) -> anyhow::Result<resource_client::ChainConfig> {
    let state = DevnetState::load(home)?;
    state.as_ref().and_then(|state| state.running().next().map(|(chain, _)| chain.config.clone())).ok_or_else(|| {
        anyhow::anyhow!("no devnet is running in {}; start one with `resource devnet up`", home.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chain_uses_the_node_defaults_and_the_second_is_shifted() {
        let a = ChainPorts::for_chain(0, 0).unwrap();
        let b = ChainPorts::for_chain(1, 0).unwrap();
        assert_eq!((a.rpc, a.p2p, a.abci, a.rest, a.grpc), (26657, 26656, 26658, 10337, 9900));
        assert_eq!((b.rpc, b.p2p, b.abci, b.rest, b.grpc), (27657, 27656, 27658, 10437, 9910));
    }

    #[test]
    fn ports_of_up_to_max_chains_never_collide_for_any_offset() {
        for offset in [0u16, 1, 7, 100, 500] {
            let mut all = Vec::new();
            for index in 0..MAX_CHAINS as u16 {
                all.extend(ChainPorts::for_chain(index, offset).unwrap().named().map(|(_, port)| port));
            }
            let mut unique = all.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), all.len(), "offset {offset}: {all:?}");
        }
    }

    #[test]
    fn an_offset_past_the_port_range_is_an_error() {
        assert!(matches!(ChainPorts::for_chain(1, 60000), Err(DevnetError::PortOffset(60000))));
    }

    #[test]
    fn genesis_denoms_are_rewritten_everywhere() {
        let mut value = serde_json::json!({"a": "stake", "b": ["stake", {"c": "stake", "d": "stakes"}]});
        replace_strings(&mut value, "stake", "inj");
        assert_eq!(value, serde_json::json!({"a": "inj", "b": ["inj", {"c": "inj", "d": "stakes"}]}));
    }

    #[test]
    fn a_dead_or_foreign_pid_is_not_our_node() {
        // Our own test process is alive but is not a node started for this folder.
        assert!(!is_our_node(std::process::id(), Path::new("/nonexistent/devnet/resource-1")));
        assert!(!is_our_node(u32::MAX - 1, Path::new("/tmp")));
    }

    #[test]
    fn log_tail_keeps_the_last_lines() {
        let dir = std::env::temp_dir().join(format!("resource-log-tail-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let log = dir.join("node.log");
        fs::write(&log, (1..=30).map(|i| format!("line {i}\n")).collect::<String>()).unwrap();
        assert_eq!(log_tail(&log, 3), "line 28\nline 29\nline 30");
        fs::remove_dir_all(&dir).unwrap();
    }
}
