//! The Hermes relayer between the devnet's chains, for the demo's meta-network step, the `ibc` suite
//! and the bridge benchmark: its configuration (what the devnet's node needs), its key, channels
//! between two contracts, and relaying one channel until stopped (and whenever dropped).
//!
//! Relaying is `hermes clear packets` on the channel, again and again, not `hermes start`: wasmd drops
//! the `message` events of messages a contract dispatches, among them ibc-go's `message.module =
//! 'ibc_channel'`, the only transaction query Hermes's push event source subscribes to, so `hermes
//! start` never hears of a contract's packets (it was seen relaying nothing in 90 s). `clear packets`
//! reads the pending packets and acknowledgements from the chains' state instead and relays them both
//! ways, timeouts included, with the client updates they need.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{anyhow, bail, Context};
use resource_client::test_accounts::test_account;
use resource_client::ChainConfig;

/// The devnet account Hermes signs with on both chains.
pub const RELAYER_ACCOUNT: &str = "relayer";
/// What finds the binary: this variable, else the newest `hermes-<version>` of the tool cache (where
/// `cargo xtask tool hermes` installs it), else `hermes` on the `PATH`.
pub const HERMES_VARIABLE: &str = "RESOURCE_HERMES";

/// Where Hermes is, or a message saying how to install it.
pub fn find_hermes() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os(HERMES_VARIABLE).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        anyhow::ensure!(path.is_file(), "{HERMES_VARIABLE} names {}, which is not a file", path.display());
        return Ok(path);
    }
    if let Some(path) = cached_hermes(&crate::paths::cache_root()) {
        return Ok(path);
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join("hermes")).find(|p| p.is_file()))
        .unwrap_or_default();
    on_path.ok_or_else(|| {
        anyhow!(
            "the Hermes relayer is not installed: `cargo xtask tool hermes` installs it into the tool cache \
             (or set {HERMES_VARIABLE} to a hermes binary)"
        )
    })
}

/// `<cache>/hermes-<version>/bin/hermes` of the highest version present.
fn cached_hermes(cache: &Path) -> Option<PathBuf> {
    let version = |name: &str| -> Option<Vec<u64>> {
        name.strip_prefix("hermes-")?.split('.').map(|part| part.parse().ok()).collect()
    };
    fs::read_dir(cache)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let bin = entry.path().join("bin").join("hermes");
            Some((version(entry.file_name().to_str()?)?, bin)).filter(|(_, bin)| bin.is_file())
        })
        .max()
        .map(|(_, bin)| bin)
}

pub struct Hermes {
    bin: PathBuf,
    dir: PathBuf,
    /// The channel end relayed: (chain id, port, channel).
    target: Option<(String, String, String)>,
    relay: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
    starts: u32,
}

/// A free TCP port on localhost (the OS picks it).
fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// `host:port` of an `http://host:port` endpoint.
fn host_port(url: &str) -> anyhow::Result<&str> {
    url.split("://").nth(1).map(|s| s.trim_end_matches('/')).ok_or_else(|| anyhow!("`{url}` is not a URL"))
}

/// Hermes's config.toml for `chains` (log level `$RESOURCE_HERMES_LOG`, default info).
pub fn config(chains: &[ChainConfig]) -> anyhow::Result<String> {
    let mut toml = format!(
        "[global]\nlog_level = '{log}'\n\n\
         [mode.clients]\nenabled = true\nrefresh = true\nmisbehaviour = false\n\n\
         [mode.connections]\nenabled = false\n\n[mode.channels]\nenabled = false\n\n\
         [mode.packets]\nenabled = true\nclear_interval = 100\nclear_on_start = true\ntx_confirmation = false\n\n\
         [rest]\nenabled = false\nhost = '127.0.0.1'\nport = {}\n\n\
         [telemetry]\nenabled = false\nhost = '127.0.0.1'\nport = {}\n",
        free_port()?,
        free_port()?,
        log = std::env::var("RESOURCE_HERMES_LOG").unwrap_or_else(|_| "info".into()),
    );
    for c in chains {
        let rpc = host_port(&c.rpc)?;
        write!(
            toml,
            "\n[[chains]]\nid = '{id}'\ntype = 'CosmosSdk'\nrpc_addr = 'http://{rpc}'\ngrpc_addr = '{grpc}'\n\
             event_source = {{ mode = 'push', url = 'ws://{rpc}/websocket', batch_delay = '200ms' }}\n\
             rpc_timeout = '10s'\ntrusted_node = true\naccount_prefix = '{prefix}'\nkey_name = '{RELAYER_ACCOUNT}'\n\
             key_store_type = 'Test'\nstore_prefix = 'ibc'\ndefault_gas = 300000\nmax_gas = 10000000\n\
             gas_price = {{ price = {price}, denom = '{denom}' }}\ngas_multiplier = 1.5\nmax_msg_num = 30\n\
             max_tx_size = 180000\nclock_drift = '5s'\nmax_block_time = '30s'\ntrusting_period = '14days'\n\
             trust_threshold = {{ numerator = '2', denominator = '3' }}\naddress_type = {{ derivation = 'cosmos' }}\n\
             compat_mode = '0.37'\n",
            id = c.chain_id,
            grpc = c.grpc,
            prefix = c.prefix,
            price = c.gas_price,
            denom = c.denom,
        )?;
    }
    Ok(toml)
}

impl Hermes {
    /// Hermes ([`find_hermes`]) configured in `dir` for `chains`, with the relayer key added on each.
    pub fn new(dir: &Path, chains: &[ChainConfig]) -> anyhow::Result<Hermes> {
        let bin = find_hermes()?;
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        fs::create_dir_all(dir.join("home"))?;
        fs::write(dir.join("config.toml"), config(chains)?)?;
        let mnemonic = dir.join("relayer.mnemonic");
        let account = test_account(RELAYER_ACCOUNT).context("the devnet has a relayer account")?;
        fs::write(&mnemonic, account.mnemonic)?;
        let hermes = Hermes { bin, dir: dir.to_path_buf(), target: None, relay: None, starts: 0 };
        for c in chains {
            let args =
                ["keys", "add", "--chain", &c.chain_id, "--mnemonic-file", &mnemonic.to_string_lossy(), "--overwrite"];
            hermes.run(&args)?;
        }
        Ok(hermes)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--config").arg(self.dir.join("config.toml")).env("HOME", self.dir.join("home"));
        cmd
    }

    /// Runs one Hermes command to completion; its output is the error when it fails.
    pub fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = self.command().args(args).stdin(Stdio::null()).output().context("running hermes")?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            bail!("`hermes {}` failed ({}):\n{text}", args.join(" "), out.status);
        }
        Ok(text)
    }

    /// Opens a channel of `version` between two contracts' ports: over a new client and connection
    /// (`via` = `None`), or over the existing connection `via` of `a`'s chain.
    pub fn create_channel(
        &self,
        a: (&str, &str),
        b: (&str, &str),
        via: Option<&str>,
        version: &str,
    ) -> anyhow::Result<String> {
        let (a_port, b_port) = (format!("wasm.{}", a.1), format!("wasm.{}", b.1));
        let mut args = vec!["create", "channel", "--a-chain", a.0, "--a-port", &a_port, "--b-port", &b_port];
        match via {
            Some(connection) => args.extend(["--a-connection", connection]),
            None => args.extend(["--b-chain", b.0, "--new-client-connection"]),
        }
        args.extend(["--channel-version", version, "--order", "unordered", "--yes"]);
        self.run(&args)
    }

    /// Relays the channel `channel` of `port` on `chain_id` (both ways) until [`stop`](Self::stop).
    pub fn relay(&mut self, chain_id: &str, port: &str, channel: &str) -> anyhow::Result<()> {
        self.stop();
        self.target = Some((chain_id.to_string(), port.to_string(), channel.to_string()));
        self.start()
    }

    /// Resumes relaying the channel given to [`relay`](Self::relay), in a background thread that runs
    /// `hermes clear packets` in a loop (its output in `<dir>/hermes-<n>.log`).
    pub fn start(&mut self) -> anyhow::Result<()> {
        if self.relay.is_some() {
            return Ok(());
        }
        let (chain, port, channel) = self.target.clone().context("no channel to relay: call relay() first")?;
        self.starts += 1;
        let log = fs::File::create(self.dir.join(format!("hermes-{}.log", self.starts)))?;
        let stop = Arc::new(AtomicBool::new(false));
        let mut cmd = self.command();
        cmd.args(["clear", "packets", "--chain", &chain, "--port", &port, "--channel", &channel]);
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                let (Ok(out), Ok(err)) = (log.try_clone(), log.try_clone()) else { return };
                let _ = cmd.stdin(Stdio::null()).stdout(out).stderr(err).status();
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
        });
        self.relay = Some((stop, handle));
        Ok(())
    }

    /// Stops relaying (after the `clear packets` under way): nothing is relayed until `start`.
    pub fn stop(&mut self) {
        if let Some((stop, handle)) = self.relay.take() {
            stop.store(true, Ordering::SeqCst);
            let _ = handle.join();
        }
    }

    /// The last lines of the latest log, for a failure's message.
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(self.dir.join(format!("hermes-{}.log", self.starts))).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Hermes {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_complete_hermes_of_the_cache_is_found() {
        let cache = std::env::temp_dir().join(format!("resource-relayer-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&cache);
        assert_eq!(cached_hermes(&cache), None, "no cache folder yet");
        let install = |name: &str| {
            let bin = cache.join(name).join("bin");
            fs::create_dir_all(&bin).unwrap();
            fs::write(bin.join("hermes"), b"#!/bin/sh\n").unwrap();
            bin.join("hermes")
        };
        install("hermes-1.9.0");
        let newest = install("hermes-1.10.0");
        // 1.10 is newer than 1.9 (numbers, not text); an install in progress has no binary yet.
        fs::create_dir_all(cache.join("hermes-1.11.0.partial")).unwrap();
        fs::create_dir_all(cache.join("hermes-2.0.0")).unwrap();
        install("injective-core-1.0.0");
        assert_eq!(cached_hermes(&cache), Some(newest));
        fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn the_config_names_each_chain_and_the_relayer_key() {
        let chain = |id: &str, rpc: &str| ChainConfig { rpc: rpc.into(), ..ChainConfig::local(id) };
        let toml = config(&[chain("a-1", "http://127.0.0.1:28407"), chain("b-1", "http://127.0.0.1:29407/")]).unwrap();
        assert!(toml.contains("id = 'a-1'\ntype = 'CosmosSdk'\nrpc_addr = 'http://127.0.0.1:28407'"), "{toml}");
        assert!(toml.contains("url = 'ws://127.0.0.1:29407/websocket'"), "{toml}");
        assert_eq!(toml.matches(&format!("key_name = '{RELAYER_ACCOUNT}'")).count(), 2, "{toml}");
        assert!(config(&[chain("c-1", "127.0.0.1:1")]).is_err(), "an RPC endpoint without a scheme is refused");
    }
}
