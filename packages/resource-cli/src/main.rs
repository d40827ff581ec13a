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
        #[arg(long, value_name = "FILE")]
        obligations: PathBuf,
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
            ClearingCommand::Solve { obligations, out, json, top } => {
                clearing_solve(&obligations, out.as_deref(), json, top)
            }
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

fn clearing_solve(path: &std::path::Path, out: Option<&std::path::Path>, json: bool, top: usize) -> anyhow::Result<()> {
    let progress = Progress::new();
    let obligations = clearing::read_obligations(path, &progress)?;
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
