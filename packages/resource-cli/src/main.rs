use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{Parser, Subcommand};
use resource_cli::clearing;
use resource_cli::demo::{self, DemoChain};
use resource_cli::devnet::{self, UpOptions};
use resource_cli::paths::default_devnet_home;
use resource_cli::ui::{table, Progress};
use resource_client::test_accounts::TEST_ACCOUNTS;
use resource_client::Wallet;

/// ReSource on Cosmos: mutual-credit networks on CosmWasm chains.
#[derive(Debug, Parser)]
#[command(name = "resource", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the main job step by step: the pilot scenario with readable tables.
    Demo {
        /// Where to run it.
        #[arg(long, value_enum, default_value = "embedded")]
        chain: DemoChain,
        /// Folder of the wasm artifacts (for --chain devnet).
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Multilateral set-off: cancel debts that run in cycles, with no payment at all.
    Clearing {
        #[command(subcommand)]
        command: ClearingCommand,
    },
    /// Decentralized identifiers (did:resource) in the network's DID registry.
    Did {
        #[command(subcommand)]
        command: DidCommand,
    },
    /// Local single-node chains for development and tests.
    Devnet {
        #[command(subcommand)]
        command: DevnetCommand,
    },
}

#[derive(Debug, Subcommand)]
enum DevnetCommand {
    /// Create fresh chains, fund the test accounts and start the nodes in the background.
    Up {
        /// How many independent chains (distinct chain ids and ports), e.g. 2 for IBC work.
        #[arg(long, default_value_t = 1)]
        chains: usize,
        /// Shift every port by this much (to run beside another devnet).
        #[arg(long, default_value_t = 0, env = "RESOURCE_DEVNET_PORT_OFFSET")]
        port_offset: u16,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Stop the nodes this devnet started (only those, by pid).
    Down {
        #[command(flatten)]
        home: HomeArg,
    },
    /// Show the running chains, their heights and endpoints, and the funded test accounts.
    Status {
        /// Print `{"chains": [{"chain_id", "rpc", "grpc", "rest", "height"}]}` and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
}

#[derive(Debug, Subcommand)]
enum ClearingCommand {
    /// Find the optimal set-off of an obligation list and show how much debt disappears.
    Solve {
        /// Obligations: `.csv` with header id,debtor,creditor,amount (amounts in base units) or `.json`.
        #[arg(long, value_name = "FILE", required_unless_present = "contract", conflicts_with = "contract")]
        obligations: Option<PathBuf>,
        /// Or: read the outstanding obligations of this clearing contract on the devnet.
        #[arg(long, value_name = "ADDRESS")]
        contract: Option<String>,
        #[command(flatten)]
        home: HomeArg,
        /// Write the set-off (the entries `SubmitSetOff` takes) to this JSON file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print the summary and the set-off as one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        /// How many participants to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Submit a set-off (from `solve --out`) as the clearing contract's next round on the devnet.
    Submit {
        /// The clearing contract.
        #[arg(long, value_name = "ADDRESS")]
        contract: String,
        /// The set-off file written by `resource clearing solve --out`.
        #[arg(long, value_name = "FILE")]
        set_off: PathBuf,
        /// The round number [default: the contract's next round].
        #[arg(long)]
        round: Option<u64>,
        /// The devnet test account that signs (anyone may submit a round).
        #[arg(long, default_value = "admin")]
        from: String,
        #[command(flatten)]
        home: HomeArg,
    },
}

#[derive(Debug, Subcommand)]
enum DidCommand {
    /// Print the W3C DID resolution result of a DID or DID URL (`...?versionId=N` for an old version).
    Resolve {
        /// e.g. did:resource:resource-1:inj1... or did:resource:resource-1:inj1...?versionId=2
        did: String,
        /// The DID registry contract on the devnet.
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: String,
        #[command(flatten)]
        home: HomeArg,
    },
}

#[derive(Debug, clap::Args)]
struct HomeArg {
    /// Devnet folder [default: $RESOURCE_DEVNET_HOME, else ./.devnet]
    #[arg(long = "home", value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl HomeArg {
    fn path(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(default_devnet_home)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Help and version print as clap formats them; mistakes get one line saying what to do.
fn usage_error(err: clap::Error) -> ExitCode {
    let context = |kind| err.get(kind).map(|value| value.to_string()).unwrap_or_default();
    let line = match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            return if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        ErrorKind::InvalidSubcommand => format!(
            "unknown subcommand `{}`; run `resource --help` to see the commands",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "unknown option `{}`; run the command with --help to see its options",
            context(ContextKind::InvalidArg)
        ),
        _ => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            format!("{first}; run the command with --help to see its usage")
        }
    };
    eprintln!("error: {line}");
    ExitCode::from(2)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo { chain, artifacts, home } => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(demo::run(chain, &home.path(), &artifacts))
        }
        Command::Clearing { command } => match command {
            ClearingCommand::Solve { obligations, contract, home, out, json, top } => {
                let source = match (obligations, contract) {
                    (Some(file), _) => Obligations::File(file),
                    (None, Some(contract)) => Obligations::Chain { contract, home: home.path() },
                    (None, None) => anyhow::bail!("give --obligations FILE or --contract ADDRESS"),
                };
                clearing_solve(source, out.as_deref(), json, top)
            }
            ClearingCommand::Submit { contract, set_off, round, from, home } => {
                clearing_submit(&contract, &set_off, round, &from, &home.path())
            }
        },
        Command::Did { command } => match command {
            DidCommand::Resolve { did, registry, home } => did_resolve(&did, &registry, &home.path()),
        },
        Command::Devnet { command } => match command {
            DevnetCommand::Up { chains, port_offset, home } => devnet_up(home.path(), chains, port_offset),
            DevnetCommand::Down { home } => {
                let home = home.path();
                let stopped = devnet::down(&home)?;
                if stopped.is_empty() {
                    println!("no devnet was running in {}", home.display());
                } else {
                    println!("stopped {}", stopped.join(", "));
                }
                Ok(())
            }
            DevnetCommand::Status { json, home } => devnet_status(home.path(), json),
        },
    }
}

/// Where `clearing solve` reads the obligations.
enum Obligations {
    File(PathBuf),
    Chain { contract: String, home: PathBuf },
}

fn clearing_solve(source: Obligations, out: Option<&std::path::Path>, json: bool, top: usize) -> anyhow::Result<()> {
    let progress = Progress::new();
    let obligations = match source {
        Obligations::File(path) => clearing::read_obligations(&path, &progress)?,
        Obligations::Chain { contract, home } => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let client = resource_client::ChainClient::connect(devnet::first_running_chain(&home)?).await?;
                clearing::fetch_outstanding(&client, &contract, &progress).await
            })?
        }
    };
    progress.step(&format!("solving {} obligations", clearing::grouped(obligations.len() as u128)));
    let solved = clearing::solve(&obligations);
    progress.finish();
    let solved = solved?;
    if let Some(out) = out {
        clearing::write_set_off(out, &solved.set_off)?;
    }
    if json {
        println!("{}", clearing::report_json(&solved));
    } else {
        clearing::print_report(&solved, top);
        if let Some(out) = out {
            println!("set-off written to {}; submit it with the clearing contract's SubmitSetOff", out.display());
        }
    }
    Ok(())
}

fn clearing_submit(
    contract: &str,
    set_off: &std::path::Path,
    round: Option<u64>,
    from: &str,
    home: &std::path::Path,
) -> anyhow::Result<()> {
    let file = clearing::read_set_off(set_off)?;
    let account = resource_client::test_accounts::test_account(from).ok_or_else(|| {
        let names: Vec<_> = TEST_ACCOUNTS.iter().map(|a| a.name).collect();
        anyhow::anyhow!("no test account `{from}`; use one of {}", names.join(", "))
    })?;
    let progress = Progress::new();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = runtime.block_on(async {
        let client = resource_client::ChainClient::connect(devnet::first_running_chain(home)?).await?;
        let wallet = Wallet::from_mnemonic(account.mnemonic, &client.config().prefix)?;
        progress.step(&format!("submitting {} entries from {from}", file.entries.len()));
        let (round, outcome) = clearing::submit(&client, &wallet, contract, &file, round).await?;
        let totals = clearing::totals(&client, contract).await?;
        anyhow::Ok((round, outcome, totals))
    });
    progress.finish();
    let (round, outcome, totals) = result?;
    let participants = outcome.events_of("wasm-cleared").count();
    let mut t = table(["round", "entries", "cleared", "participants", "gas used", "tx"]);
    t.add_row([
        round.to_string(),
        file.entries.len().to_string(),
        outcome.attribute("wasm", "total_cleared").unwrap_or("?").to_string(),
        participants.to_string(),
        outcome.gas_used.to_string(),
        outcome.tx_hash.clone(),
    ]);
    println!("{t}");
    println!(
        "contract totals: {} cleared to date over {} rounds; {} still outstanding in {} obligations",
        totals.cleared_to_date, totals.rounds, totals.gross_outstanding, totals.outstanding_obligations
    );
    Ok(())
}

/// Prints the resolution result (JSON, on stdout, also when it reports an error, as resolvers do);
/// an error result also gets one line on stderr and exit status 1.
fn did_resolve(did: &str, registry: &str, home: &std::path::Path) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let resolved = runtime.block_on(resource_cli::did::resolve(did, registry, async {
        Ok(resource_client::ChainClient::connect(devnet::first_running_chain(home)?).await?)
    }))?;
    println!("{}", serde_json::to_string_pretty(&resolved.result)?);
    match resolved.error {
        None => Ok(()),
        Some(error) => anyhow::bail!("{did} did not resolve: {error}"),
    }
}

fn devnet_up(home: PathBuf, chains: usize, port_offset: u16) -> anyhow::Result<()> {
    let progress = Progress::new();
    let state = devnet::up(&UpOptions { home: home.clone(), chains, port_offset }, &|message| progress.step(message));
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

fn devnet_status(home: PathBuf, json: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let chains = runtime.block_on(devnet::status(&home))?;
    if json {
        let chains: Vec<_> = chains
            .iter()
            .map(|status| {
                let c = &status.record.config;
                serde_json::json!({
                    "chain_id": c.chain_id, "rpc": c.rpc, "grpc": c.grpc, "rest": c.rest, "height": status.height,
                })
            })
            .collect();
        println!("{}", serde_json::json!({ "chains": chains }));
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
