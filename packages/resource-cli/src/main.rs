use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{Parser, Subcommand};
use resource_cli::clearing::{self, Obligations};
use resource_cli::demo::{self, DemoChain};
use resource_cli::devnet;
use resource_cli::did;
use resource_cli::paths::default_devnet_home;

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
    /// Offer a set-off (from `solve --out`) for the clearing contract's next round on the devnet: the
    /// largest set-off submitted within the round's window is applied when the round is closed.
    Submit {
        /// The clearing contract.
        #[arg(long, value_name = "ADDRESS")]
        contract: String,
        /// The set-off file written by `resource clearing solve --out`.
        #[arg(long, value_name = "FILE")]
        set_off: PathBuf,
        /// Wait for the round's window to end, then close the round and show how it ended.
        #[arg(long)]
        close: bool,
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
    // One runtime for the whole command; every handler is async or quick.
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
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

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo { chain, artifacts, home } => demo::run(chain, &home.path(), &artifacts).await,
        Command::Clearing { command } => match command {
            ClearingCommand::Solve { obligations, contract, home, out, json, top } => {
                let source = match (obligations, contract) {
                    (Some(file), _) => Obligations::File(file),
                    (None, Some(contract)) => Obligations::Chain { contract, home: home.path() },
                    (None, None) => anyhow::bail!("give --obligations FILE or --contract ADDRESS"),
                };
                clearing::solve_command(source, out.as_deref(), json, top).await
            }
            ClearingCommand::Submit { contract, set_off, close, from, home } => {
                clearing::submit_command(&contract, &set_off, close, &from, &home.path()).await
            }
        },
        Command::Did { command } => match command {
            DidCommand::Resolve { did, registry, home } => did::resolve_command(&did, &registry, &home.path()).await,
        },
        Command::Devnet { command } => match command {
            DevnetCommand::Up { chains, port_offset, home } => {
                devnet::up_command(home.path(), chains, port_offset).await
            }
            DevnetCommand::Down { home } => devnet::down_command(&home.path()),
            DevnetCommand::Status { json, home } => devnet::status_command(&home.path(), json).await,
        },
    }
}
