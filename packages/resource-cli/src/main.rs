use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{Parser, Subcommand};
use resource_cli::clearing::{self, Obligations};
use resource_cli::credential::{self, IssueOptions, Kind, ProveOptions, Validity};
use resource_cli::demo::{self, DemoChain};
use resource_cli::devnet;
use resource_cli::did;
use resource_cli::format::{parse_duration, parse_time};
use resource_cli::paths::default_devnet_home;
use resource_cli::underwriting::{self, deploy::DeployOptions, Application, Listing, Output, Signer};
use resource_cli::zk;
use resource_msgs::underwriting::ApplicationStatus;

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
        /// Where to write the HTML report (self-contained: charts as inline SVG, no network needed).
        #[arg(long, value_name = "PATH", default_value = "resource-demo.html")]
        report: PathBuf,
        /// Write no HTML report.
        #[arg(long, conflicts_with = "report")]
        no_report: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Deploy a whole network on any CosmWasm chain from a config file: store every contract (code
    /// already on the chain is reused by its checksum), instantiate and wire them, and record it all
    /// in deployments/<chain-id>/<network>.json. Running it again sends nothing done already.
    Deploy(DeployCli),
    /// A deployed network's state: `resource network status --config network.toml`.
    Network {
        #[command(subcommand)]
        command: NetworkCommand,
    },
    /// Members of a deployed network: `resource member account ADDRESS --config network.toml`.
    Member {
        #[command(subcommand)]
        command: MemberCommand,
    },
    /// Pay on a deployed network: the token's own rule previews the payment (fee, new money, debt
    /// repaid) and a payment it would refuse is not sent.
    Pay(PayCli),
    /// Migrate a deployed network's contracts to the artifacts' code (cw2 version checks by each
    /// contract); the ones already running it are left alone. Recorded in the deployment record.
    Upgrade(UpgradeCli),
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
    /// Underwriting: stake, back members' credit lines, earn the network's fees, settle terms.
    Underwriting {
        #[command(subcommand)]
        command: UnderwritingCommand,
    },
    /// Zero-knowledge credentials: attesters issue them, members prove thresholds over them without
    /// revealing the values, the chain verifies the proof and records the claim on the member's DID.
    Credential {
        #[command(subcommand)]
        command: CredentialCommand,
    },
    /// The meta-network: pay a member of another network over IBC through the bridges, and see
    /// what the networks owe each other.
    Bridge {
        #[command(subcommand)]
        command: BridgeCommand,
    },
    /// Keys of the zero-knowledge credential circuits.
    Zk {
        #[command(subcommand)]
        command: ZkCommand,
    },
    /// Local single-node chains for development and tests.
    Devnet {
        #[command(subcommand)]
        command: DevnetCommand,
    },
}

/// `resource deploy`. The key is named in the config file's `[key]` (a mnemonic file, an environment
/// variable or the OS keyring), never on the command line.
#[derive(Debug, clap::Args)]
struct DeployCli {
    /// The network config (examples: deployments/examples/devnet.toml, testnet.toml).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Folder of the wasm artifacts and their checksums.txt.
    #[arg(long, default_value = "artifacts")]
    artifacts: PathBuf,
    /// Folder of the deployment records.
    #[arg(long, value_name = "DIR", default_value = "deployments")]
    deployments: PathBuf,
    #[command(flatten)]
    chain: ChainFlags,
    /// One JSON document instead of the table.
    #[arg(long)]
    json: bool,
}

/// The `[chain]` fields of a network config, given as flags; each wins over the file's.
#[derive(Debug, clap::Args)]
struct ChainFlags {
    /// CometBFT RPC endpoint [default: [chain] rpc].
    #[arg(long, value_name = "URL")]
    rpc: Option<String>,
    /// gRPC endpoint, recorded for other tools [default: [chain] grpc].
    #[arg(long, value_name = "URL")]
    grpc: Option<String>,
    /// The chain id the node must serve [default: [chain] chain_id].
    #[arg(long, value_name = "ID")]
    chain_id: Option<String>,
    /// Bech32 account prefix [default: [chain] prefix].
    #[arg(long)]
    prefix: Option<String>,
    /// Fee denom [default: [chain] denom].
    #[arg(long)]
    denom: Option<String>,
    /// Fee per gas unit in base units of the denom, e.g. 500000000 or 0.025 [default: [chain] gas_price].
    #[arg(long, value_name = "PRICE")]
    gas_price: Option<String>,
    /// Simulated gas is multiplied by this [default: [chain] gas_adjustment, else 1.3].
    #[arg(long, value_name = "FACTOR")]
    gas_adjustment: Option<f64>,
}

impl ChainFlags {
    fn section(self) -> resource_cli::network::config::ChainSection {
        resource_cli::network::config::ChainSection {
            rpc: self.rpc,
            grpc: self.grpc,
            rest: None,
            chain_id: self.chain_id,
            prefix: self.prefix,
            denom: self.denom,
            gas_price: self.gas_price.map(resource_cli::network::config::GasPrice::Decimal),
            gas_adjustment: self.gas_adjustment,
        }
    }
}

/// A network `resource deploy` deployed: its config file and its record.
#[derive(Debug, clap::Args)]
struct NetworkTarget {
    /// The network config the network was deployed with.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Folder of the deployment records.
    #[arg(long, value_name = "DIR", default_value = "deployments")]
    deployments: PathBuf,
    #[command(flatten)]
    chain: ChainFlags,
    /// One JSON document (amounts in base units, as strings) instead of the table.
    #[arg(long)]
    json: bool,
}

impl NetworkTarget {
    fn args(self) -> resource_cli::network::operate::NetworkArgs {
        resource_cli::network::operate::NetworkArgs {
            config: self.config,
            deployments: self.deployments,
            chain: self.chain.section(),
            json: self.json,
        }
    }
}

#[derive(Debug, Subcommand)]
enum NetworkCommand {
    /// Supply, credit extended, members in debt, the underwriting pool, the loss account and the
    /// latest defaults, as the network's contracts report them.
    Status(NetworkTarget),
}

#[derive(Debug, Subcommand)]
enum MemberCommand {
    /// A member's credit account: balance, available credit, credit line and standing.
    Account {
        /// The member's address.
        address: String,
        #[command(flatten)]
        target: NetworkTarget,
    },
    /// Anyone: apply what a member's expired credit period calls for (renewal when it meets its
    /// terms, default once its grace has run out); the token's reason when nothing is due.
    Sync {
        /// The member's address.
        address: String,
        #[command(flatten)]
        key: KeyArgs,
        #[command(flatten)]
        target: NetworkTarget,
    },
}

/// The signer's key, from a file or an environment variable (default: the config's `[key]`), never
/// from the command line.
#[derive(Debug, clap::Args)]
struct KeyArgs {
    /// A file holding the signer's mnemonic (chmod 600).
    #[arg(long, value_name = "FILE", conflicts_with = "key_env")]
    key_file: Option<PathBuf>,
    /// An environment variable holding the signer's mnemonic.
    #[arg(long, value_name = "NAME")]
    key_env: Option<String>,
}

impl KeyArgs {
    /// The key source given, if any; a file path is made absolute where the command runs (the
    /// config's own key path is relative to the config).
    fn source(self) -> anyhow::Result<Option<resource_cli::network::config::KeySource>> {
        use resource_cli::network::config::KeySource;
        Ok(match (self.key_file, self.key_env) {
            (Some(path), _) => Some(KeySource::MnemonicFile { path: std::path::absolute(&path)? }),
            (None, Some(variable)) => Some(KeySource::Env { variable }),
            (None, None) => None,
        })
    }
}

/// `resource upgrade`: the key is the config's `[key]` (the deployer, the contracts' admin).
#[derive(Debug, clap::Args)]
struct UpgradeCli {
    /// Folder of the new wasm artifacts and their checksums.txt.
    #[arg(long, default_value = "artifacts")]
    artifacts: PathBuf,
    #[command(flatten)]
    target: NetworkTarget,
}

/// `resource pay`. The payer's key comes from a file or an environment variable (default: the
/// config's `[key]`), never from the command line.
#[derive(Debug, clap::Args)]
struct PayCli {
    /// The receiver's address.
    #[arg(long, value_name = "ADDRESS")]
    to: String,
    /// Amount in the token's units, e.g. 12.5 (the network fee comes on top).
    #[arg(long)]
    amount: String,
    #[command(flatten)]
    key: KeyArgs,
    #[command(flatten)]
    target: NetworkTarget,
}

/// Which bridge, on which chain of the devnet.
#[derive(Debug, clap::Args)]
struct BridgeTarget {
    /// The bridge contract on this chain.
    #[arg(long, value_name = "ADDRESS", env = "RESOURCE_BRIDGE")]
    bridge: String,
    /// The devnet chain (default: the first).
    #[arg(long, value_name = "ID")]
    chain_id: Option<String>,
    /// One JSON document instead of the tables.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    home: HomeArg,
}

#[derive(Debug, Subcommand)]
enum BridgeCommand {
    /// Pay `--to` on the network at the other end of the bridge's channel: the credit goes to the
    /// bridge, crosses over IBC, and the other bridge pays the receiver at the channel's rate; an
    /// error acknowledgement or a timeout refunds it.
    Pay {
        #[command(flatten)]
        target: BridgeTarget,
        /// The receiver's address on the other chain.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
        /// Amount in the token's units, e.g. 12.5.
        #[arg(long)]
        amount: String,
        /// The least the receiver must get, in the other network's base units (default 0).
        #[arg(long, value_name = "BASE_UNITS")]
        min_out: Option<String>,
        /// The channel (needed when the bridge has more than one).
        #[arg(long, value_name = "CHANNEL")]
        channel: Option<String>,
        /// Seconds until the packet times out and the payment is refunded (default 600).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
        /// The devnet test account that pays.
        #[arg(long, default_value = "alice")]
        from: String,
        /// Wait until the payment is acknowledged or refunded.
        #[arg(long)]
        wait: bool,
    },
    /// The bridge's channels, the networks' positions against each other, and payments in flight.
    Status {
        #[command(flatten)]
        target: BridgeTarget,
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
        /// The DID registry contract on the devnet [default: the one recorded in the devnet folder].
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: Option<String>,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Register --from's account DID (did:resource:<chain-id>:<address>) in the DID registry: version
    /// 1, no keys, the account as its controller. Verified claims are recorded on registered DIDs.
    Create {
        /// The devnet test account whose DID it is.
        #[arg(long, default_value = "admin")]
        from: String,
        /// The DID registry [default: the one recorded in the devnet folder].
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: Option<String>,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
}

#[derive(Debug, Subcommand)]
enum ZkCommand {
    /// Derive the credential circuits' proving (.pk) and verifying (.vk) keys from a seed,
    /// reproducibly, and write them with checksums.txt.
    ///
    /// FOR DEVNETS AND TESTS ONLY: whoever knows a setup's seed can prove false statements, and the
    /// default seed is public. A production network needs keys from a trusted-setup ceremony.
    Setup {
        /// The key folder [default: zk-keys in the devnet folder].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The setup's seed (keys from any seed are for devnets and tests only).
        #[arg(long, value_name = "TEXT", default_value = resource_zk::DEVNET_SEED)]
        seed: String,
        /// A claim kind to set up (repeatable) [default: every kind].
        #[arg(long = "kind", value_enum, value_name = "KIND")]
        kinds: Vec<Kind>,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
}

/// An attester's signature algorithm, as `--scheme` takes it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SchemeArg {
    Ed25519,
    Secp256k1,
}

#[derive(Debug, Subcommand)]
enum CredentialCommand {
    /// Operator: ready the DID registry on the devnet to verify proofs: the registry (the recorded one,
    /// --registry, or a new one) stores the key folder's verifying keys, and the recorded
    /// underwriting contract reads claims from it.
    Deploy {
        /// Folder of the wasm artifacts (did_registry.wasm, for a new registry).
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// The key folder of `resource zk setup` [default: zk-keys in the devnet folder].
        #[arg(long, value_name = "DIR")]
        keys: Option<PathBuf>,
        /// A claim kind whose verifying key to store (repeatable) [default: every kind].
        #[arg(long = "kind", value_enum, value_name = "KIND")]
        kinds: Vec<Kind>,
        /// The longest a proven claim may hold, from its submission: set in a new registry, changed in an
        /// existing one [default: a new registry's 365d; an existing one's is kept].
        #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
        max_validity: Option<u64>,
        /// Use this DID registry instead of the recorded one (or a new one).
        #[arg(long, value_name = "ADDRESS")]
        registry: Option<String>,
        /// The devnet test account that deploys the registry and administers it (an existing registry's
        /// admin).
        #[arg(long, default_value = "admin")]
        from: String,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Attester: make a signing key (a secret JSON file) and print its public key for RegisterAttester.
    Keygen {
        #[arg(long, value_enum, default_value = "ed25519")]
        scheme: SchemeArg,
        /// Where to write the key (refused if it exists, unless --force).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace an existing key file.
        #[arg(long)]
        force: bool,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
    },
    /// Registry admin: register an attester whose credentials the registry then accepts in proofs.
    RegisterAttester {
        /// The attester's DID (any method, e.g. did:web:ratings.example).
        #[arg(long, value_name = "DID")]
        did: String,
        /// A readable name, e.g. "Marketplace ratings oracle".
        #[arg(long)]
        name: String,
        /// The attester's key file (only its public key is read).
        #[arg(long, value_name = "FILE", required_unless_present = "public_key", conflicts_with = "public_key")]
        key: Option<PathBuf>,
        /// Or: its public key as multibase (`resource credential keygen` prints it).
        #[arg(long, value_name = "MULTIBASE")]
        public_key: Option<String>,
        /// A claim kind it may attest (repeatable) [default: every kind].
        #[arg(long = "kind", value_enum, value_name = "KIND")]
        kinds: Vec<Kind>,
        /// The DID registry [default: the one recorded in the devnet folder].
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: Option<String>,
        /// The devnet test account that signs (the registry's admin).
        #[arg(long, default_value = "admin")]
        from: String,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Attester: issue a member a signed credential (its values stay private to the member).
    Issue {
        /// The attester's key file (`resource credential keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The attester's DID, as registered in the DID registry.
        #[arg(long, value_name = "DID")]
        attester: String,
        /// The member's DID (its account DID did:resource:<chain-id>:<address>), or a devnet test account.
        #[arg(long, value_name = "DID")]
        subject: String,
        #[arg(long, value_enum)]
        kind: Kind,
        /// The values, in order: rating: stars (one decimal) then reviews; revenue: monthly revenue in
        /// whole units; tenure: months in business.
        #[arg(long = "value", value_name = "N", required = true)]
        values: Vec<String>,
        /// How long the credential holds: seconds, or a number with s, m, h or d [default: 365d].
        #[arg(long, value_parser = parse_duration, conflicts_with = "expires_at", value_name = "DURATION")]
        valid_for: Option<u64>,
        /// When it expires: unix seconds or a UTC date (2026-12-31, 2026-12-31T18:00:00Z).
        #[arg(long, value_parser = parse_time, value_name = "TIME")]
        expires_at: Option<u64>,
        /// Where to write the credential (readable by you only; give it to the member).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Member: prove that a credential's values reach thresholds, without revealing them.
    Prove {
        /// The credential file the attester issued.
        #[arg(long, value_name = "FILE")]
        credential: PathBuf,
        /// The thresholds, in the order of the values (rating: stars then reviews, e.g. --threshold
        /// 4.5 --threshold 100).
        #[arg(long = "threshold", value_name = "N", required = true)]
        thresholds: Vec<String>,
        /// Until when the proven claim holds (unix seconds or a UTC date) [default: 90 days from now, or the
        /// credential's expiry if sooner].
        #[arg(long, value_parser = parse_time, conflicts_with = "valid_for", value_name = "TIME")]
        valid_until: Option<u64>,
        /// Or: for how long from now.
        #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
        valid_for: Option<u64>,
        /// The key folder of `resource zk setup` [default: zk-keys in the devnet folder].
        #[arg(long, value_name = "DIR")]
        keys: Option<PathBuf>,
        /// Where to write the proof.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// Member: send a proof to the DID registry, which checks the attester's signature and the proof
    /// on chain and records the claim on the member's DID.
    Submit {
        /// The proof file of `resource credential prove`.
        #[arg(long, value_name = "FILE")]
        proof: PathBuf,
        /// The DID registry [default: the one recorded in the devnet folder].
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: Option<String>,
        /// The devnet test account that submits (it must control the proof's DID) [default: the test
        /// account whose account DID the proof is about].
        #[arg(long)]
        from: Option<String>,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
    /// The verified claims the DID registry holds: of one DID, or of every devnet test account.
    Claims {
        /// A DID, or a devnet test account (its account DID) [default: every test account].
        #[arg(long, value_name = "DID")]
        did: Option<String>,
        /// The DID registry [default: the one recorded in the devnet folder].
        #[arg(long, env = "RESOURCE_DID_REGISTRY", value_name = "ADDRESS")]
        registry: Option<String>,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
}

#[derive(Debug, Subcommand)]
enum UnderwritingCommand {
    /// Bond AMOUNT (whole units of the stake asset, e.g. 250 or 0.5) as free stake of --from.
    Stake {
        amount: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Start unbonding AMOUNT of --from's free stake; `claim` returns it after the unbonding period.
    Unbond {
        amount: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Take back --from's unbondings whose period has passed.
    Claim {
        /// Wait for the earliest unbonding to be released first.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Apply, as --from, for a credit line of AMOUNT (whole units of the credit token) for --term.
    Apply {
        amount: String,
        /// How long the line runs once approved: seconds, or a number with s, m, h or d (e.g. 90d).
        #[arg(long, value_parser = parse_duration)]
        term: u64,
        /// A verified claim of --from in the DID registry, by sequence number (repeatable): it counts
        /// toward the application's suggested limit.
        #[arg(long = "claim", value_name = "SEQ")]
        claims: Vec<u64>,
        /// A member with an active vouch for --from (a test account or an address; repeatable).
        #[arg(long = "voucher", value_name = "ACCOUNT")]
        vouchers: Vec<String>,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Vouch, as --from, for NEWCOMER by reserving AMOUNT of --from's own credit line.
    Vouch {
        newcomer: String,
        amount: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Withdraw --from's vouch for NEWCOMER (unless an application uses it).
    CancelVouch {
        newcomer: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// The limit the contract's scoring function suggests for claims taken as proven.
    Suggest {
        /// A claim as TYPE:PREDICATE, e.g. platform_rating:rating>=45;reviews>=100 (repeatable).
        #[arg(long = "claim", value_name = "TYPE:PREDICATE", value_parser = underwriting::parse_claim)]
        claims: Vec<resource_msgs::underwriting::ClaimInput>,
        /// Add this member's repayment history from the DID registry (a test account or an address).
        #[arg(long, value_name = "ACCOUNT")]
        member: Option<String>,
        #[command(flatten)]
        target: UwTarget,
    },
    /// End an open APPLICATION whose open period has passed (anyone): its backing is released.
    Expire {
        application: u64,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Reject an open APPLICATION (the admin or the applicant): its backing is released.
    Reject {
        application: u64,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Back APPLICATION with AMOUNT of --from's free stake; the backing that meets the rules approves
    /// it and opens the credit line.
    Back {
        application: u64,
        amount: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Take back AMOUNT of --from's backing of APPLICATION while it is not approved.
    Withdraw {
        application: u64,
        amount: String,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Settle APPLICATION after its term: repaid releases the backing; unpaid debt, once the grace
    /// period has passed, is a default: the backers are slashed to the reserve.
    Settle {
        application: u64,
        /// Wait for the term end (and, if the member owes, the grace period) first.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Turn the fees that arrived since the last distribution into rewards, by exposure.
    DistributeFees {
        #[command(flatten)]
        target: UwTarget,
    },
    /// Pay --from its accrued rewards in the credit token.
    ClaimRewards {
        #[command(flatten)]
        target: UwTarget,
    },
    /// The configuration, the reward pool, an underwriter's position and the applications.
    Status {
        /// Whose position to show (a test account or an address) [default: --from].
        #[arg(long, value_name = "ACCOUNT")]
        address: Option<String>,
        /// List only applications with this status (repeatable) [default: every status].
        #[arg(long, value_enum)]
        status: Vec<StatusArg>,
        /// List applications after this id (the next page).
        #[arg(long, value_name = "ID")]
        start_after: Option<u64>,
        /// Applications per status (the contract answers at most 100).
        #[arg(long, default_value_t = 10)]
        limit: u32,
        #[command(flatten)]
        target: UwTarget,
    },
    /// Deploy a credit token and an underwriting contract wired to it on the devnet, and record them
    /// for the other underwriting commands.
    Deploy {
        /// Folder of the wasm artifacts (credit_token.wasm, underwriting.wasm).
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// The credit token's name.
        #[arg(long, default_value = "Community Dollar")]
        name: String,
        #[arg(long, default_value = "rUSD")]
        symbol: String,
        #[arg(long, default_value_t = 6)]
        decimals: u8,
        /// Network fee on payments, in basis points; it becomes the underwriters' rewards.
        #[arg(long, default_value_t = 100)]
        fee_bps: u16,
        /// Time after a term's end before unpaid debt can be declared in default.
        #[arg(long, value_parser = parse_duration, default_value = "30d")]
        grace: u64,
        /// Shortest credit term (the token's floor and the contract's).
        #[arg(long, value_parser = parse_duration, default_value = "1d")]
        min_term: u64,
        #[arg(long, value_parser = parse_duration, default_value = "365d")]
        max_term: u64,
        /// How long an application stays open for backing.
        #[arg(long, value_parser = parse_duration, default_value = "7d")]
        open_period: u64,
        /// Backing required of each line, in basis points of its value (10000 = 100 %).
        #[arg(long, default_value_t = 10_000)]
        collateral_ratio_bps: u32,
        /// Whole units of stake that back one whole unit of credit (e.g. 0.1).
        #[arg(long, default_value = "1")]
        price: String,
        #[arg(long, default_value_t = 2)]
        min_underwriters: u32,
        /// The largest share of an application's backing one underwriter may hold, in basis points.
        #[arg(long, default_value_t = 5_000)]
        max_share_bps: u16,
        #[arg(long, value_parser = parse_duration, default_value = "14d")]
        unbonding_period: u64,
        /// Approved lines get credit periods: they renew while the member's income over the period
        /// is at least this share of its debt, in parts per million (500000 = 50 %) [default: fixed
        /// terms].
        #[arg(long, value_name = "PPM")]
        credit_period_min_itd: Option<u64>,
        /// Approved members pay this risk fee, in basis points, on the credit each payment draws, on
        /// top of the network fee [default: none].
        #[arg(long, value_name = "BPS")]
        risk_fee_bps: Option<u16>,
        /// The native denom staked [default: the chain's coin].
        #[arg(long, conflicts_with = "stake_cw20")]
        stake_denom: Option<String>,
        /// Stake this cw20 token instead of coins (underwriters stake with the token's Send).
        #[arg(long, value_name = "ADDRESS")]
        stake_cw20: Option<String>,
        /// Receives slashed stake (a test account or an address).
        #[arg(long, default_value = "frank")]
        reserve: String,
        /// Takes the debt of members declared in default (a test account or an address).
        #[arg(long, default_value = "relayer")]
        loss_account: String,
        /// The devnet test account that deploys (and administers) both contracts.
        #[arg(long, default_value = "admin")]
        from: String,
        /// Print one JSON document and nothing else.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        home: HomeArg,
    },
}

/// Which underwriting contract, who signs, and how to print.
#[derive(Debug, clap::Args)]
struct UwTarget {
    /// The underwriting contract [default: the one `resource underwriting deploy` or the devnet demo
    /// recorded in the devnet folder].
    #[arg(long, env = "RESOURCE_UNDERWRITING", value_name = "ADDRESS")]
    contract: Option<String>,
    /// The devnet test account that signs.
    #[arg(long, default_value = "admin")]
    from: String,
    /// Print one JSON document (amounts in base units, as strings) and nothing else.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    home: HomeArg,
}

impl UwTarget {
    fn output(&self) -> Output {
        if self.json {
            Output::Json
        } else {
            Output::Table
        }
    }
}

/// An application status, as `--status` takes it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StatusArg {
    Open,
    Approved,
    Repaid,
    Defaulted,
    Rejected,
    Expired,
}

impl From<StatusArg> for ApplicationStatus {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::Open => ApplicationStatus::Open,
            StatusArg::Approved => ApplicationStatus::Approved,
            StatusArg::Repaid => ApplicationStatus::Repaid,
            StatusArg::Defaulted => ApplicationStatus::Defaulted,
            StatusArg::Rejected => ApplicationStatus::Rejected,
            StatusArg::Expired => ApplicationStatus::Expired,
        }
    }
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
        // clap lists the missing arguments on the lines after the first: name them on the one line.
        ErrorKind::MissingRequiredArgument => format!(
            "missing {}; run the command with --help to see its usage",
            context(ContextKind::InvalidArg).replace('\n', ", ")
        ),
        ErrorKind::InvalidValue if err.get(ContextKind::ValidValue).is_some() => {
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid value").trim_start_matches("error: ");
            format!("{first}; use one of {}", context(ContextKind::ValidValue))
        }
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
        Command::Demo { chain, artifacts, report, no_report, home } => {
            demo::run(chain, &home.path(), &artifacts, (!no_report).then_some(report.as_path())).await
        }
        Command::Deploy(d) => {
            let args = resource_cli::network::DeployArgs {
                config: d.config,
                artifacts: d.artifacts,
                deployments: d.deployments,
                chain: d.chain.section(),
                json: d.json,
            };
            resource_cli::network::deploy_command(&args).await
        }
        Command::Network { command: NetworkCommand::Status(target) } => {
            resource_cli::network::operate::status_command(&target.args()).await
        }
        Command::Member { command: MemberCommand::Account { address, target } } => {
            resource_cli::network::operate::account_command(&target.args(), &address).await
        }
        Command::Member { command: MemberCommand::Sync { address, key, target } } => {
            let args = resource_cli::network::operate::SyncArgs {
                network: target.args(),
                member: address,
                key: key.source()?,
            };
            resource_cli::network::operate::sync_command(&args).await
        }
        Command::Upgrade(u) => {
            let args = resource_cli::network::upgrade::UpgradeArgs { network: u.target.args(), artifacts: u.artifacts };
            resource_cli::network::upgrade::upgrade_command(&args).await
        }
        Command::Pay(p) => {
            let key = p.key.source()?;
            let args =
                resource_cli::network::operate::PayArgs { network: p.target.args(), to: p.to, amount: p.amount, key };
            resource_cli::network::operate::pay_command(&args).await
        }
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
            DidCommand::Resolve { did, registry, home } => {
                let home = home.path();
                let registry = match registry {
                    Some(registry) => registry,
                    None => recorded_registry(&home)?,
                };
                did::resolve_command(&did, &registry, &home).await
            }
            DidCommand::Create { from, registry, json, home } => {
                credential::did_create_command(&home.path(), registry.as_deref(), &from, json).await
            }
        },
        Command::Underwriting { command } => underwriting_command(command).await,
        Command::Credential { command } => credential_command(command).await,
        Command::Bridge { command } => match command {
            BridgeCommand::Pay { target, to, amount, min_out, channel, timeout, from, wait } => {
                let args = resource_cli::bridge::PayArgs {
                    bridge: &target.bridge,
                    channel: channel.as_deref(),
                    to: &to,
                    amount: &amount,
                    min_out: min_out.as_deref(),
                    timeout,
                    from: &from,
                    wait,
                    json: target.json,
                };
                resource_cli::bridge::pay_command(&target.home.path(), target.chain_id.as_deref(), args).await
            }
            BridgeCommand::Status { target } => {
                let (home, chain) = (target.home.path(), target.chain_id.as_deref());
                resource_cli::bridge::status_command(&home, chain, &target.bridge, target.json).await
            }
        },
        Command::Zk { command } => match command {
            ZkCommand::Setup { out, seed, kinds, json, home } => {
                let out = out.unwrap_or_else(|| credential::default_keys_dir(&home.path()));
                zk::setup_command(&zk::SetupOptions { out, seed, kinds: credential::kinds_or_all(&kinds), json })
            }
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

/// The DID registry recorded in the devnet folder, for `did resolve` without --registry.
fn recorded_registry(home: &std::path::Path) -> anyhow::Result<String> {
    let deployment = resource_cli::deployment::Deployment::load(home)?;
    deployment.and_then(|d| d.did_registry).ok_or_else(|| {
        anyhow::anyhow!(
            "no DID registry given and none is recorded in {}: pass --registry ADDRESS (or set RESOURCE_DID_REGISTRY), \
             or deploy one with `resource credential deploy`",
            home.display()
        )
    })
}

async fn credential_command(command: CredentialCommand) -> anyhow::Result<()> {
    use resource_zk::SignatureScheme;
    use CredentialCommand as C;
    match command {
        C::Keygen { scheme, out, force, json } => {
            let scheme = match scheme {
                SchemeArg::Ed25519 => SignatureScheme::Ed25519,
                SchemeArg::Secp256k1 => SignatureScheme::Secp256k1,
            };
            credential::keygen_command(scheme, &out, force, json)
        }
        C::Issue { key, attester, subject, kind, values, valid_for, expires_at, out, json, home } => {
            let validity = match (valid_for, expires_at) {
                (_, Some(at)) => Validity::Until(at),
                (Some(seconds), None) => Validity::For(seconds),
                (None, None) => Validity::For(365 * 86_400),
            };
            let options = IssueOptions {
                key,
                attester,
                subject,
                kind: kind.into(),
                values,
                validity,
                out,
                json,
                home: home.path(),
            };
            credential::issue_command(&options)
        }
        C::Prove { credential: file, thresholds, valid_until, valid_for, keys, out, json, home } => {
            let valid_until = match (valid_until, valid_for) {
                (Some(at), _) => Some(Validity::Until(at)),
                (None, Some(seconds)) => Some(Validity::For(seconds)),
                (None, None) => None,
            };
            let keys = keys.unwrap_or_else(|| credential::default_keys_dir(&home.path()));
            credential::prove_command(&ProveOptions { credential: file, thresholds, valid_until, keys, out, json })
        }
        C::RegisterAttester { did, name, key, public_key, kinds, registry, from, json, home } => {
            let key = match (key, public_key) {
                (Some(file), _) => credential::AttesterKeySource::File(file),
                (None, Some(text)) => credential::AttesterKeySource::Multibase(text),
                (None, None) => anyhow::bail!("give --key FILE or --public-key MULTIBASE"),
            };
            let registration =
                credential::AttesterRegistration { did, name, key, kinds: credential::kinds_or_all(&kinds) };
            credential::register_attester_command(&home.path(), registry.as_deref(), &from, &registration, json).await
        }
        C::Submit { proof, registry, from, json, home } => {
            credential::submit_command(&home.path(), &proof, registry.as_deref(), from.as_deref(), json).await
        }
        C::Deploy { artifacts, keys, kinds, max_validity, registry, from, json, home } => {
            let home = home.path();
            let keys = keys.unwrap_or_else(|| credential::default_keys_dir(&home));
            let options = credential::DeployOptions {
                artifacts,
                keys,
                kinds: credential::kinds_or_all(&kinds),
                max_validity,
                registry,
                from,
                json,
            };
            credential::deploy_command(&home, &options).await
        }
        C::Claims { did, registry, json, home } => {
            credential::claims_command(&home.path(), registry.as_deref(), did.as_deref(), json).await
        }
    }
}

async fn underwriting_command(command: UnderwritingCommand) -> anyhow::Result<()> {
    use UnderwritingCommand as U;
    let signed = |target: &UwTarget| -> (PathBuf, Option<String>, String, Output) {
        (target.home.path(), target.contract.clone(), target.from.clone(), target.output())
    };
    match command {
        U::Deploy {
            artifacts,
            name,
            symbol,
            decimals,
            fee_bps,
            grace,
            min_term,
            max_term,
            open_period,
            collateral_ratio_bps,
            price,
            min_underwriters,
            max_share_bps,
            unbonding_period,
            credit_period_min_itd,
            risk_fee_bps,
            stake_denom,
            stake_cw20,
            reserve,
            loss_account,
            from,
            json,
            home,
        } => {
            let options = DeployOptions {
                artifacts,
                from,
                name,
                symbol,
                decimals,
                fee_bps,
                grace_period: grace,
                min_term,
                max_term,
                open_period,
                collateral_ratio_bps,
                price,
                min_underwriters,
                max_share_bps,
                unbonding_period,
                credit_period_min_itd,
                risk_fee_bps,
                stake_denom,
                stake_cw20,
                reserve,
                loss_account,
                json,
            };
            underwriting::deploy::deploy_command(&home.path(), &options).await
        }
        U::Stake { amount, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::stake_command(&signer, &amount, output).await
        }
        U::Unbond { amount, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::unbond_command(&signer, &amount, output).await
        }
        U::Claim { wait, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::claim_command(&signer, wait, output).await
        }
        U::Apply { amount, term, claims, vouchers, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            let request = Application { term, claims, vouchers: &vouchers };
            underwriting::apply_command(&signer, &amount, &request, output).await
        }
        U::Vouch { newcomer, amount, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::vouch_command(&signer, &newcomer, Some(&amount), output).await
        }
        U::CancelVouch { newcomer, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::vouch_command(&signer, &newcomer, None, output).await
        }
        U::Suggest { claims, member, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::suggest_command(&signer, &claims, member.as_deref(), output).await
        }
        U::Expire { application, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::close_command(&signer, application, false, output).await
        }
        U::Reject { application, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::close_command(&signer, application, true, output).await
        }
        U::Back { application, amount, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::back_command(&signer, application, &amount, output).await
        }
        U::Withdraw { application, amount, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::withdraw_command(&signer, application, &amount, output).await
        }
        U::Settle { application, wait, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::settle_command(&signer, application, wait, output).await
        }
        U::DistributeFees { target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::distribute_fees_command(&signer, output).await
        }
        U::ClaimRewards { target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            underwriting::claim_rewards_command(&signer, output).await
        }
        U::Status { address, status, start_after, limit, target } => {
            let (home, contract, from, output) = signed(&target);
            let signer = Signer { home: &home, contract: contract.as_deref(), from: &from };
            let listing = Listing { statuses: status.into_iter().map(Into::into).collect(), start_after, limit };
            underwriting::status_command(&signer, address.as_deref(), &listing, output).await
        }
    }
}
