//! `resource demo`: the Asheville pilot in miniature on the CIP-36 credit token, step by step, then a
//! clearing round over the invoices the pilot's businesses owe each other.
//!
//! One scenario, written as data ([`SCENARIO`] for the credit token, [`INVOICES`] and [`CLEARING`] for
//! the clearing part), runs on either chain: an embedded cw-multi-test chain with the contracts linked
//! in, or the local devnet with `artifacts/credit_token.wasm` and `artifacts/clearing.wasm`. After each
//! step the demo reads every member's account, the supply and the network stats back from the token,
//! prints them, and checks the ledger's invariants over every account the token knows. The clearing
//! round is solved off chain by `resource_core::clearing::solve` over the contract's own `Outstanding`
//! list, and the demo checks that no business's net position moved.
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use resource_msgs::clearing::{
    ConfigResponse as ClearingConfigResponse, ExecuteMsg as ClearingMsg, InstantiateMsg as ClearingInstantiateMsg,
    ObligationResponse, ObligationStatus, ObligationsResponse, QueryMsg as ClearingQuery, ReceiveMsg, SetOffEntry,
    TotalsResponse,
};
use anyhow::{anyhow, ensure, Context};
use comfy_table::CellAlignment;
use cosmwasm_std::{to_json_binary, Addr, Empty};
use resource_msgs::credit_token::{
    ConfigResponse as TokenConfigResponse, ConfigUpdate, CreditAccountResponse, ExecuteMsg, InstantiateMsg, NetworkStatsResponse,
    QueryMsg,
};
use cw20::{AllAccountsResponse, TokenInfoResponse};
use cw_multi_test::{App, ContractWrapper, Executor, IntoBech32};
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, Gas, Wallet};
use resource_core::clearing::{net_positions, Obligation};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ui::{table, Progress};

/// The token has 6 decimals: one rUSD is a million base units.
const DECIMALS: u32 = 6;
const UNIT: u128 = 10u128.pow(DECIMALS);
const SYMBOL: &str = "rUSD";
/// The pilot charges no network fee, so every table adds up to round figures.
const FEE_BPS: u16 = 0;
/// Credit lines run for a year; the demo never gets near the end of a term.
const TERM_SECONDS: u64 = 365 * 86_400;
const GRACE_SECONDS: u64 = 30 * 86_400;
/// Invoices fall due a month after they are registered (the contract only needs a future date).
const INVOICE_TERM_SECONDS: u64 = 30 * 86_400;
/// The artifacts `cargo xtask wasm` builds from contracts/credit-token and contracts/clearing.
const ARTIFACT: &str = "credit_token.wasm";
const CLEARING_ARTIFACT: &str = "clearing.wasm";
/// On the devnet the operator sends a demo-key role this much of the chain's coin for fees (1 INJ,
/// 18 decimals: far more than the demo spends) when it holds less than half of it.
const FEE_FUNDS: u128 = 10u128.pow(18);

/// Someone in the story and the devnet test account (or demo key, see [`key_phrase`]) that plays them.
struct Role {
    name: &'static str,
    part: &'static str,
    account: &'static str,
}

/// The members whose accounts the tables show; the scenario refers to them by index.
const CAST: [Role; 5] = [
    Role { name: "Blue Ridge Bakery", part: "employer, credit line", account: "alice" },
    Role { name: "Mara", part: "bakery employee", account: "bob" },
    Role { name: "Jon", part: "bakery employee", account: "carol" },
    Role { name: "Riverside Grocery", part: "business, credit line", account: "dave" },
    Role { name: "Mountain Clinic", part: "business, credit line", account: "erin" },
];
const BAKERY: usize = 0;
const MARA: usize = 1;
const JON: usize = 2;
const GROCERY: usize = 3;
const CLINIC: usize = 4;

/// A business that trades with the others on invoices only, never in rUSD. All eight devnet test
/// accounts play other parts, so it has a demo key derived the same way ([`key_phrase`]); on the
/// devnet the operator sends it a little of the chain's coin for transaction fees.
const MILL: Role =
    Role { name: "French Broad Mill", part: "business, invoices only (no credit line)", account: "mill" };

/// The network itself: the operator sets credit lines; the other two only need distinct addresses
/// (the contract refuses a loss account that is also the fee collector).
const OPERATOR: Role = Role { name: "Asheville network operator", part: "admin, opens credit lines", account: "admin" };
const FEE_COLLECTOR: Role = Role { name: "Fee pool", part: "fee collector (fee is 0 bps here)", account: "frank" };
const LOSS_ACCOUNT: Role = Role { name: "Loss account", part: "takes defaulted debt (none here)", account: "relayer" };

/// One thing that happens on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// The operator opens a credit line of `limit` base units for a member.
    OpenLine { member: usize, limit: u128 },
    /// A member pays another `amount` base units.
    Pay { from: usize, to: usize, amount: u128 },
}

/// One step of the story: what it means, and what happens on the ledger.
struct Step {
    story: &'static str,
    actions: &'static [Action],
}

const fn usd(whole: u128) -> u128 {
    whole * UNIT
}

/// The pilot in miniature. The expected figures are in the CLI test (tests/cli.rs).
const SCENARIO: [Step; 7] = [
    Step {
        story: "The network operator opens credit lines for three local businesses.",
        actions: &[
            Action::OpenLine { member: BAKERY, limit: usd(2_000) },
            Action::OpenLine { member: GROCERY, limit: usd(1_000) },
            Action::OpenLine { member: CLINIC, limit: usd(1_000) },
        ],
    },
    Step {
        story: "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line.",
        actions: &[
            Action::Pay { from: BAKERY, to: MARA, amount: usd(400) },
            Action::Pay { from: BAKERY, to: JON, amount: usd(400) },
        ],
    },
    Step {
        story: "Mara buys groceries at Riverside Grocery.",
        actions: &[Action::Pay { from: MARA, to: GROCERY, amount: usd(250) }],
    },
    Step {
        story: "Jon sees a doctor at Mountain Clinic.",
        actions: &[Action::Pay { from: JON, to: CLINIC, amount: usd(300) }],
    },
    Step {
        story: "The grocery buys bread from the bakery: it spends its takings and draws the rest on its own line, \
                and the bakery earns back part of its debt.",
        actions: &[Action::Pay { from: GROCERY, to: BAKERY, amount: usd(600) }],
    },
    Step {
        story: "The clinic orders lunch for its staff from the bakery: the bakery's debt is paid off and it ends \
                in credit.",
        actions: &[Action::Pay { from: CLINIC, to: BAKERY, amount: usd(300) }],
    },
    Step {
        story: "Jon spends the rest of his benefit at the grocery, paying down part of its debt.",
        actions: &[Action::Pay { from: JON, to: GROCERY, amount: usd(100) }],
    },
];

/// A trade invoice, outside the token: `debtor` owes `creditor` `amount` base units (in rUSD) for `what`.
struct Invoice {
    creditor: &'static Role,
    debtor: &'static Role,
    amount: u128,
    what: &'static str,
}

/// What the businesses owe each other, registered in this order. Several invoices run in cycles
/// (bakery -> mill -> clinic -> grocery -> bakery, bakery <-> grocery, mill <-> grocery, bakery ->
/// clinic -> grocery -> bakery, ...). The expected figures are in the CLI test (tests/cli.rs).
const INVOICES: [Invoice; 8] = [
    Invoice { creditor: &MILL, debtor: &CAST[BAKERY], amount: usd(1_200), what: "flour" },
    Invoice { creditor: &CAST[BAKERY], debtor: &CAST[GROCERY], amount: usd(800), what: "bread for its shelves" },
    Invoice {
        creditor: &CAST[GROCERY],
        debtor: &CAST[CLINIC],
        amount: usd(650),
        what: "medical and cleaning supplies",
    },
    Invoice { creditor: &CAST[CLINIC], debtor: &MILL, amount: usd(300), what: "health checks for the millers" },
    Invoice { creditor: &CAST[GROCERY], debtor: &CAST[BAKERY], amount: usd(350), what: "eggs and butter" },
    Invoice { creditor: &CAST[CLINIC], debtor: &CAST[BAKERY], amount: usd(150), what: "flu shots for the bakers" },
    Invoice { creditor: &CAST[GROCERY], debtor: &MILL, amount: usd(250), what: "the mill's canteen" },
    Invoice { creditor: &MILL, debtor: &CAST[GROCERY], amount: usd(200), what: "stone-ground flour" },
];

/// The clinic's invoice from the grocery (an index into [`INVOICES`]). The clinic owes more than it is
/// owed and this is its only debt, so whatever the round clears, part of it is left to settle.
const CLINIC_SUPPLIES: usize = 2;

/// One thing that happens in the clearing part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClearingAction {
    /// The operator deploys the clearing contract on the credit token and makes it fee-exempt there.
    Deploy,
    /// Creditors propose [`INVOICES`]; their debtors accept them.
    Invoices,
    /// One clearing round: the contract's outstanding invoices solved off chain, the set-off submitted.
    Clear,
    /// The debtor of `INVOICES[invoice]` pays what is left of it with credit, through the clearing contract.
    Settle { invoice: usize },
}

struct ClearingStep {
    story: &'static str,
    action: ClearingAction,
}

/// The clearing part, after [`SCENARIO`].
const CLEARING: [ClearingStep; 4] = [
    ClearingStep {
        story: "Besides paying in rUSD, the businesses trade on ordinary invoices: trade credit, outside the token. \
                The network operator deploys the clearing contract, which settles through the credit token, and \
                exempts it from the token's network fee (it forwards exactly what it receives).",
        action: ClearingAction::Deploy,
    },
    ClearingStep {
        story: "Each creditor registers its invoices with the clearing contract (Propose) and each debtor confirms \
                them (Accept). French Broad Mill, which sells flour, trades with the others on invoices only.",
        action: ClearingAction::Invoices,
    },
    ClearingStep {
        story: "Clearing round: the outstanding invoices are read from the contract, the largest possible set-off \
                is solved off chain (resource_core::clearing::solve) and submitted; the contract checks it with \
                the same rules and cancels the debt that runs in cycles, without any payment.",
        action: ClearingAction::Clear,
    },
    ClearingStep {
        story: "The clinic pays what is left of its invoice from the grocery with credit: it sends the amount to the \
                clearing contract through the token (Send), spending into its credit line; the contract forwards \
                it to the grocery, which pays down its own debt, and closes the invoice.",
        action: ClearingAction::Settle { invoice: CLINIC_SUPPLIES },
    },
];

/// Where the demo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoChain {
    /// An in-process cw-multi-test chain: no node, no wasm build needed.
    Embedded,
    /// The local devnet (`resource devnet up`), with the wasm artifacts from `cargo xtask wasm`.
    Devnet,
}

/// A ledger invariant that does not hold. The contract guarantees them, so this is a bug if it shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvariantError {
    #[error("balances sum to {} instead of 0", rusd(*.0))]
    SumNotZero(i128),
    #[error("total supply {} is not the sum of positive balances {}", rusd_u(*supply), rusd_u(*positive))]
    SupplyNotPositiveSum { supply: u128, positive: u128 },
    #[error("token_info reports a supply of {} but network_stats {}", rusd_u(*token_info), rusd_u(*stats))]
    SupplyReportsDiffer { token_info: u128, stats: u128 },
    #[error("supply {} is not minted {} minus burned {}", rusd_u(*supply), rusd_u(*minted), rusd_u(*burned))]
    SupplyNotMintedMinusBurned { supply: u128, minted: u128, burned: u128 },
}

/// What the contract reports, all in base units.
struct Totals {
    /// Minted and burned since the token was created, from the transfer events.
    minted: u128,
    burned: u128,
    /// `total_supply` of `token_info` and of `network_stats`.
    supply: u128,
    stats_supply: u128,
}

/// Checks the ledger's invariants over the signed balances of every account.
fn check_invariants(balances: &[i128], totals: &Totals) -> Result<(), InvariantError> {
    // An overflowing sum is reported as i128::MAX rather than wrapped, which could fake a zero.
    let sum = balances.iter().try_fold(0i128, |sum, b| sum.checked_add(*b)).unwrap_or(i128::MAX);
    if sum != 0 {
        return Err(InvariantError::SumNotZero(sum));
    }
    let positive: u128 = balances.iter().map(|b| u128::try_from(*b).unwrap_or(0)).sum();
    if totals.supply != totals.stats_supply {
        return Err(InvariantError::SupplyReportsDiffer { token_info: totals.supply, stats: totals.stats_supply });
    }
    if totals.supply != positive {
        return Err(InvariantError::SupplyNotPositiveSum { supply: totals.supply, positive });
    }
    if totals.minted.checked_sub(totals.burned) != Some(totals.supply) {
        return Err(InvariantError::SupplyNotMintedMinusBurned {
            supply: totals.supply,
            minted: totals.minted,
            burned: totals.burned,
        });
    }
    Ok(())
}

/// Base units as rUSD: a sign, thousands separators, and the decimals down to the last non-zero one
/// but at least cents (`-800.00`, `2,000.00`, `0.000001`), so nothing is rounded away.
fn format_units(negative: bool, units: u128) -> String {
    let whole = (units / UNIT).to_string();
    // A leading group of 1-3 digits, then groups of three (`str::is_multiple_of` is newer than our MSRV).
    let (head, rest) = whole.split_at(match whole.len() % 3 {
        0 => 3.min(whole.len()),
        n => n,
    });
    let mut grouped = head.to_string();
    for group in rest.as_bytes().chunks(3) {
        grouped.push(',');
        grouped.push_str(std::str::from_utf8(group).expect("ASCII digits"));
    }
    let mut fraction = format!("{:0width$}", units % UNIT, width = DECIMALS as usize);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    let sign = if negative && units > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{fraction}")
}

/// A signed amount in rUSD.
fn rusd(units: i128) -> String {
    format_units(units < 0, units.unsigned_abs())
}

/// An unsigned amount in rUSD.
fn rusd_u(units: u128) -> String {
    format_units(false, units)
}

/// The `minted`, `burned` and `fee` attributes every transfer of the credit token emits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TransferEffect {
    minted: u128,
    burned: u128,
    fee: u128,
}

impl TransferEffect {
    fn from_attributes(attributes: &[(String, String)]) -> anyhow::Result<Self> {
        let read = |key: &str| -> anyhow::Result<u128> {
            let value = attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .ok_or_else(|| anyhow!("the transfer event has no `{key}` attribute"))?;
            value.parse().map_err(|_| anyhow!("the transfer event's `{key}` is not an amount: `{value}`"))
        };
        Ok(TransferEffect { minted: read("minted")?, burned: read("burned")?, fee: read("fee")? })
    }

    /// The sum over every credit-token transfer of a transaction (the wasm events with a `minted`
    /// attribute): a `Send` to the clearing contract is two, the payment in and the forward out.
    fn of_transaction(events: &[Vec<(String, String)>]) -> anyhow::Result<Self> {
        let transfers: Vec<_> = events.iter().filter(|event| event.iter().any(|(k, _)| k == "minted")).collect();
        ensure!(!transfers.is_empty(), "the transaction has no credit-token transfer event");
        let mut sum = TransferEffect::default();
        for attributes in transfers {
            let effect = TransferEffect::from_attributes(attributes)?;
            sum.minted += effect.minted;
            sum.burned += effect.burned;
            sum.fee += effect.fee;
        }
        Ok(sum)
    }

    /// `minted 1.00, burned 0.00` (and the fee, if any).
    fn describe(&self) -> String {
        let fee = if self.fee > 0 { format!(", fee {}", rusd_u(self.fee)) } else { String::new() };
        format!("minted {}, burned {}{fee}", rusd_u(self.minted), rusd_u(self.burned))
    }
}

/// What one transaction did: the `wasm` events of every contract it ran, in order (each a list of
/// attributes), and on a real chain the gas it used.
struct Executed {
    events: Vec<Vec<(String, String)>>,
    gas: Option<u64>,
}

impl Executed {
    /// The first value of `key` in any of the events.
    fn attribute(&self, key: &str) -> Option<&str> {
        self.events.iter().flatten().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The chain the contracts run on.
enum Backend {
    Embedded(Box<App>),
    // Boxed so the enum stays small whichever chain runs. The clearing contract's code is stored when
    // the clearing part begins; it was read at the start so a missing artifact stops the demo early.
    Devnet { client: Box<ChainClient>, wallets: Vec<(&'static str, Wallet)>, clearing_wasm: Vec<u8> },
}

/// Which of the demo's contracts a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Token,
    Clearing,
}

/// The deployed contracts and the addresses of everyone in the story.
struct Network {
    backend: Backend,
    token: String,
    /// Empty until the clearing part deploys it.
    clearing: String,
    /// (account, address) of every role.
    addresses: Vec<(&'static str, String)>,
}

fn roles() -> impl Iterator<Item = &'static Role> {
    CAST.iter().chain([&MILL, &OPERATOR, &FEE_COLLECTOR, &LOSS_ACCOUNT])
}

/// The mnemonic of the key that plays `account`: a devnet test account's, or for a demo key (the
/// mill) the BIP-39 encoding of `sha256("resource-demo/<account>")`, derived like the test accounts'.
/// Public, so for local chains only.
fn key_phrase(account: &str) -> anyhow::Result<String> {
    if let Some(test) = test_account(account) {
        return Ok(test.mnemonic.to_string());
    }
    let entropy = Sha256::digest(format!("resource-demo/{account}").as_bytes());
    Ok(bip39::Mnemonic::from_entropy(&entropy)?.to_string())
}

/// Reads a wasm artifact, saying how to build it when it is missing.
fn read_artifact(artifacts: &Path, name: &str, package: &str) -> anyhow::Result<(PathBuf, Vec<u8>)> {
    let path = artifacts.join(name);
    let wasm = std::fs::read(&path)
        .with_context(|| format!("cannot read {}; build it with `cargo xtask wasm -p {package}`", path.display()))?;
    Ok((path, wasm))
}

fn instantiate_msg(fee_collector: &str, loss_account: &str) -> InstantiateMsg {
    InstantiateMsg {
        name: "Asheville Dollar".into(),
        symbol: SYMBOL.into(),
        decimals: DECIMALS as u8,
        admin: None,
        underwriting: None,
        fee_bps: FEE_BPS,
        fee_collector: fee_collector.into(),
        fee_exempt: Vec::new(),
        loss_account: loss_account.into(),
        default_grace_period: GRACE_SECONDS,
        did_registry: None,
    }
}

fn wallet<'a>(wallets: &'a [(&'static str, Wallet)], account: &str) -> &'a Wallet {
    &wallets.iter().find(|(a, _)| *a == account).expect("every role has a wallet").1
}

impl Network {
    fn embedded() -> anyhow::Result<Self> {
        let mut app = App::default();
        let code = ContractWrapper::new(
            resource_credit_token::contract::execute,
            resource_credit_token::contract::instantiate,
            resource_credit_token::contract::query,
        );
        let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
        let addresses: Vec<_> = roles().map(|role| (role.account, role.account.into_bech32().to_string())).collect();
        let mut network = Network {
            backend: Backend::Embedded(Box::new(app)),
            token: String::new(),
            clearing: String::new(),
            addresses,
        };
        let msg = instantiate_msg(network.address(FEE_COLLECTOR.account), network.address(LOSS_ACCOUNT.account));
        let operator = OPERATOR.account.into_bech32();
        let Backend::Embedded(app) = &mut network.backend else { unreachable!("built above") };
        let token = app
            .instantiate_contract(code_id, operator.clone(), &msg, &[], "asheville-credit", Some(operator.into()))
            .map_err(|e| anyhow!("instantiating the credit token failed: {e:#}"))?;
        network.token = token.into();
        Ok(network)
    }

    async fn devnet(home: &Path, artifacts: &Path, progress: &Progress) -> anyhow::Result<Self> {
        // The artifacts first: they are the first thing the README's devnet recipe builds.
        let (wasm_path, wasm) = read_artifact(artifacts, ARTIFACT, "resource-credit-token")?;
        let (_, clearing_wasm) = read_artifact(artifacts, CLEARING_ARTIFACT, "resource-clearing")?;
        let chain = crate::devnet::first_running_chain(home)?;
        progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
        let client = ChainClient::connect(chain.clone()).await?;
        let wallets = roles()
            .map(|role| Ok((role.account, Wallet::from_mnemonic(&key_phrase(role.account)?, &chain.prefix)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let addresses = wallets.iter().map(|(account, wallet)| (*account, wallet.address().to_string())).collect();
        let mut network = Network {
            backend: Backend::Devnet { client: Box::new(client), wallets, clearing_wasm },
            token: String::new(),
            clearing: String::new(),
            addresses,
        };
        let msg = instantiate_msg(network.address(FEE_COLLECTOR.account), network.address(LOSS_ACCOUNT.account));
        let Backend::Devnet { client, wallets, .. } = &network.backend else { unreachable!("built above") };
        let operator = wallet(wallets, OPERATOR.account);
        // Roles played by a demo key are not funded at genesis: the operator pays for their fees.
        for role in roles().filter(|role| test_account(role.account).is_none()) {
            let address = network.address(role.account);
            if client.bank_balance(address, &chain.denom).await? < FEE_FUNDS / 2 {
                progress
                    .step(&format!("the operator sends {} (demo key) {FEE_FUNDS} {} for fees", role.name, chain.denom));
                client
                    .bank_send(operator, address, FEE_FUNDS, Gas::Auto)
                    .await
                    .with_context(|| format!("funding {}'s demo key for fees", role.name))?;
            }
        }
        progress.step(&format!("storing {} ({} KiB) on {}", wasm_path.display(), wasm.len() / 1024, chain.chain_id));
        let (code_id, _) = client.store_code(operator, &wasm, Gas::Auto).await.context("storing the credit token")?;
        progress.step(&format!("instantiating the credit token (code id {code_id})"));
        let (token, _) = client
            .instantiate(operator, code_id, &msg, "asheville-credit", Some(operator.address()), &[], Gas::Auto)
            .await
            .context("instantiating the credit token")?;
        network.token = token;
        Ok(network)
    }

    fn address(&self, account: &str) -> &str {
        self.addresses.iter().find(|(a, _)| *a == account).map(|(_, address)| address.as_str()).expect("a role")
    }

    /// Who has `address` in the story (the address itself for anyone else).
    fn name_of(&self, address: &str) -> String {
        let account = self.addresses.iter().find(|(_, a)| a == address).map(|(account, _)| *account);
        roles().find(|role| Some(role.account) == account).map_or_else(|| address.to_string(), |r| r.name.into())
    }

    fn contract(&self, target: Target) -> &str {
        match target {
            Target::Token => &self.token,
            Target::Clearing => &self.clearing,
        }
    }

    /// Unix seconds on the chain, for credit-line terms and due dates.
    fn now(&self) -> anyhow::Result<u64> {
        match &self.backend {
            Backend::Embedded(app) => Ok(app.block_info().time.seconds()),
            // The devnet's block time follows the wall clock; a term a year out is safe either way.
            Backend::Devnet { .. } => Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()),
        }
    }

    /// Executes `msg` on `target` as `account`.
    async fn execute<M: Serialize + Debug>(
        &mut self,
        account: &str,
        target: Target,
        msg: &M,
    ) -> anyhow::Result<Executed> {
        let contract = self.contract(target).to_string();
        match &mut self.backend {
            Backend::Embedded(app) => {
                let response = app
                    .execute_contract(account.into_bech32(), Addr::unchecked(contract), msg, &[])
                    .map_err(|e| anyhow!("{e:#}"))?;
                let events = response
                    .events
                    .iter()
                    .filter(|event| event.ty == "wasm")
                    .map(|event| event.attributes.iter().map(|a| (a.key.clone(), a.value.clone())).collect())
                    .collect();
                Ok(Executed { events, gas: None })
            }
            Backend::Devnet { client, wallets, .. } => {
                let outcome = client.execute(wallet(wallets, account), &contract, msg, &[], Gas::Auto).await?;
                let events = outcome.events_of("wasm").map(|event| event.attributes.clone()).collect();
                Ok(Executed { events, gas: Some(outcome.gas_used) })
            }
        }
    }

    async fn query<T: DeserializeOwned>(&self, target: Target, msg: &impl Serialize) -> anyhow::Result<T> {
        let contract = self.contract(target);
        match &self.backend {
            Backend::Embedded(app) => Ok(app.wrap().query_wasm_smart(contract, msg)?),
            Backend::Devnet { client, .. } => Ok(client.query_smart(contract, msg).await?),
        }
    }

    async fn credit_account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        self.query(Target::Token, &QueryMsg::CreditAccount { address: address.into() }).await
    }

    /// The accounts of the [`CAST`], in order.
    async fn member_accounts(&self) -> anyhow::Result<Vec<CreditAccountResponse>> {
        let mut accounts = Vec::with_capacity(CAST.len());
        for role in &CAST {
            accounts.push(self.credit_account(self.address(role.account)).await?);
        }
        Ok(accounts)
    }

    /// Every account the contract knows (a cw20 `AllAccounts` listing, page by page).
    async fn all_accounts(&self) -> anyhow::Result<Vec<String>> {
        const PAGE: u32 = 30;
        let mut accounts: Vec<String> = Vec::new();
        loop {
            let msg = QueryMsg::AllAccounts { start_after: accounts.last().cloned(), limit: Some(PAGE) };
            let page: AllAccountsResponse = self.query(Target::Token, &msg).await?;
            let done = page.accounts.len() < PAGE as usize;
            accounts.extend(page.accounts);
            if done {
                return Ok(accounts);
            }
        }
    }

    /// Carries out one action; returns a line saying what happened.
    async fn apply(&mut self, action: Action, effects: &mut TransferEffect) -> anyhow::Result<String> {
        match action {
            Action::OpenLine { member, limit } => {
                let term_end = self.now()? + TERM_SECONDS;
                let msg = ExecuteMsg::SetCreditLine {
                    member: self.address(CAST[member].account).into(),
                    limit: limit.into(),
                    term_end,
                };
                let executed =
                    self.execute(OPERATOR.account, Target::Token, &msg).await.with_context(|| describe(action))?;
                Ok(format!("{}{}", describe(action), gas_note(executed.gas)))
            }
            Action::Pay { from, to, amount } => {
                let msg =
                    ExecuteMsg::Transfer { recipient: self.address(CAST[to].account).into(), amount: amount.into() };
                let what = describe(action);
                let executed =
                    self.execute(CAST[from].account, Target::Token, &msg).await.with_context(|| what.clone())?;
                let effect = TransferEffect::of_transaction(&executed.events).with_context(|| what.clone())?;
                effects.minted += effect.minted;
                effects.burned += effect.burned;
                effects.fee += effect.fee;
                Ok(format!("{what}: {}{}", effect.describe(), gas_note(executed.gas)))
            }
        }
    }

    /// Reads the supply from both queries and checks the invariants over every account; returns the
    /// number of accounts checked.
    async fn check(&self, totals: &mut Totals) -> anyhow::Result<usize> {
        let info: TokenInfoResponse = self.query(Target::Token, &QueryMsg::TokenInfo {}).await?;
        let stats: NetworkStatsResponse = self.query(Target::Token, &QueryMsg::NetworkStats {}).await?;
        totals.supply = info.total_supply.u128();
        totals.stats_supply = stats.total_supply.u128();
        let mut balances = Vec::new();
        for address in self.all_accounts().await? {
            balances.push(self.credit_account(&address).await?.balance.i128());
        }
        check_invariants(&balances, totals)
            .context("the ledger's invariants do not hold (a bug in the credit token)")?;
        Ok(balances.len())
    }

    // -----------------------------------------------------------------------------------------
    // the clearing part

    /// Deploys the clearing contract on the credit token and puts it in the token's fee-exempt list;
    /// returns the lines saying so.
    async fn deploy_clearing(&mut self, progress: Option<&Progress>) -> anyhow::Result<Vec<String>> {
        let msg = ClearingInstantiateMsg { admin: None, credit_token: Some(self.token.clone()), max_entries: None };
        let label = "asheville-clearing";
        let gas = match &mut self.backend {
            Backend::Embedded(app) => {
                let code = ContractWrapper::new(
                    resource_clearing::contract::execute,
                    resource_clearing::contract::instantiate,
                    resource_clearing::contract::query,
                );
                let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
                let operator = OPERATOR.account.into_bech32();
                let clearing = app
                    .instantiate_contract(code_id, operator.clone(), &msg, &[], label, Some(operator.into()))
                    .map_err(|e| anyhow!("instantiating the clearing contract failed: {e:#}"))?;
                self.clearing = clearing.into();
                None
            }
            Backend::Devnet { client, wallets, clearing_wasm } => {
                let progress = progress.expect("devnet runs show progress");
                let operator = wallet(wallets, OPERATOR.account);
                progress.step(&format!("storing {CLEARING_ARTIFACT} ({} KiB)", clearing_wasm.len() / 1024));
                let (code_id, _) = client
                    .store_code(operator, clearing_wasm, Gas::Auto)
                    .await
                    .context("storing the clearing contract")?;
                progress.step(&format!("instantiating the clearing contract (code id {code_id})"));
                let (clearing, outcome) = client
                    .instantiate(operator, code_id, &msg, label, Some(operator.address()), &[], Gas::Auto)
                    .await
                    .context("instantiating the clearing contract")?;
                self.clearing = clearing;
                Some(outcome.gas_used)
            }
        };
        let mut lines = vec![format!(
            "the operator deploys the clearing contract, settling through the credit token{}",
            gas_note(gas)
        )];

        // UpdateConfig replaces the whole list: keep whoever is on it already.
        if let Some(progress) = progress {
            progress.step("exempting the clearing contract from the network fee");
        }
        let config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let mut exempt: Vec<String> = config.fee_exempt.iter().map(Addr::to_string).collect();
        exempt.push(self.clearing.clone());
        let msg = ExecuteMsg::UpdateConfig(ConfigUpdate { fee_exempt: Some(exempt), ..ConfigUpdate::default() });
        let executed = self
            .execute(OPERATOR.account, Target::Token, &msg)
            .await
            .context("adding the clearing contract to the token's fee-exempt list")?;
        lines.push(format!("the operator adds it to the credit token's fee-exempt list{}", gas_note(executed.gas)));

        // Both ends of the connection, as the contracts report them.
        let token_config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let clearing_config: ClearingConfigResponse = self.query(Target::Clearing, &ClearingQuery::Config {}).await?;
        ensure!(
            clearing_config.credit_token.as_ref().map(Addr::as_str) == Some(self.token.as_str()),
            "the clearing contract reports credit token {:?} instead of {}",
            clearing_config.credit_token,
            self.token
        );
        ensure!(
            token_config.fee_exempt.iter().any(|a| a.as_str() == self.clearing),
            "the credit token's fee-exempt list does not name the clearing contract"
        );
        Ok(lines)
    }

    async fn obligation(&self, id: u64) -> anyhow::Result<ObligationResponse> {
        self.query(Target::Clearing, &ClearingQuery::Obligation { id }).await
    }

    async fn clearing_totals(&self) -> anyhow::Result<TotalsResponse> {
        self.query(Target::Clearing, &ClearingQuery::Totals {}).await
    }

    /// Registers [`INVOICES`]: each creditor proposes, each debtor accepts. Returns the lines saying
    /// so and the obligation id of each invoice.
    async fn register_invoices(&mut self, progress: Option<&Progress>) -> anyhow::Result<(Vec<String>, Vec<u64>)> {
        let due = self.now()? + INVOICE_TERM_SECONDS;
        let mut lines = Vec::with_capacity(INVOICES.len());
        let mut ids = Vec::with_capacity(INVOICES.len());
        for (index, invoice) in INVOICES.iter().enumerate() {
            let what = describe_invoice(invoice);
            if let Some(progress) = progress {
                progress.step(&format!("invoice {} of {}: {what}", index + 1, INVOICES.len()));
            }
            let msg = ClearingMsg::Propose {
                debtor: self.address(invoice.debtor.account).into(),
                amount: invoice.amount.into(),
                due,
                reference: None,
            };
            let proposed =
                self.execute(invoice.creditor.account, Target::Clearing, &msg).await.context(what.clone())?;
            let id = proposed
                .attribute("obligation_id")
                .and_then(|id| id.parse::<u64>().ok())
                .ok_or_else(|| anyhow!("{what}: the contract reported no obligation id"))?;
            let accepted = self
                .execute(invoice.debtor.account, Target::Clearing, &ClearingMsg::Accept { id })
                .await
                .with_context(|| format!("{} accepting invoice {id}", invoice.debtor.name))?;
            let gas = match (proposed.gas, accepted.gas) {
                (Some(p), Some(a)) => format!(" (gas used: {p} and {a})"),
                _ => String::new(),
            };
            lines.push(format!("{what}: invoice {id}, accepted{gas}"));
            ids.push(id);
        }
        Ok((lines, ids))
    }

    /// The contract's outstanding obligations with what is left of each: the input of a round.
    async fn outstanding(&self, progress: Option<&Progress>) -> anyhow::Result<Vec<Obligation<String>>> {
        match &self.backend {
            Backend::Devnet { client, .. } => {
                let progress = progress.expect("devnet runs show progress");
                crate::clearing::fetch_outstanding(client, &self.clearing, progress).await
            }
            // The same listing, page by page, through the embedded chain.
            Backend::Embedded(_) => {
                let mut out: Vec<Obligation<String>> = Vec::new();
                let mut start_after = None;
                loop {
                    let msg = ClearingQuery::Outstanding { start_after, limit: Some(100) };
                    let page: ObligationsResponse = self.query(Target::Clearing, &msg).await?;
                    let Some(last) = page.obligations.last().map(|o| o.id) else { return Ok(out) };
                    out.extend(page.obligations.into_iter().map(|o| Obligation {
                        id: o.id,
                        debtor: o.debtor.into(),
                        creditor: o.creditor.into(),
                        amount: o.remaining.u128(),
                    }));
                    start_after = Some(last);
                }
            }
        }
    }
}

/// What one clearing round did, for the tables and the summary.
struct Round {
    number: u64,
    /// Outstanding before the round (the solver's input) and after it.
    before: Vec<Obligation<String>>,
    after: Vec<Obligation<String>>,
    solved: crate::clearing::Solved,
    gas: Option<u64>,
}

/// Runs one clearing round: reads what is outstanding, solves it off chain, submits the set-off and
/// checks that the contract applied exactly that and that no net position moved.
async fn clear_round(network: &mut Network, progress: Option<&Progress>) -> anyhow::Result<Round> {
    let before = network.outstanding(progress).await?;
    if let Some(progress) = progress {
        progress.step(&format!("solving {} outstanding invoices", before.len()));
    }
    // resource_core::clearing::solve, checked with the contract's own rule (verify).
    let solved = crate::clearing::solve(&before)?;
    ensure!(!solved.set_off.entries.is_empty(), "no invoices run in a cycle: nothing to clear");
    let totals = network.clearing_totals().await?;
    ensure!(
        totals.gross_outstanding.u128() == solved.gross,
        "the contract's gross outstanding {} differs from its Outstanding list {}",
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(solved.gross)
    );
    let number = totals.rounds + 1;
    if let Some(progress) = progress {
        progress.step(&format!("submitting clearing round {number}"));
    }
    let entries = solved.set_off.entries.iter().map(|&entry| SetOffEntry::from(entry)).collect();
    let executed = network
        .execute(OPERATOR.account, Target::Clearing, &ClearingMsg::SubmitSetOff { round: number, entries })
        .await
        .with_context(|| format!("submitting clearing round {number}"))?;
    let after = network.outstanding(progress).await?;

    let totals = network.clearing_totals().await?;
    ensure!(
        totals.cleared_to_date.u128() == solved.cleared
            && totals.gross_outstanding.u128() == solved.gross - solved.cleared,
        "after the round the contract reports {} cleared and {} outstanding instead of {} and {}",
        rusd_u(totals.cleared_to_date.u128()),
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(solved.cleared),
        rusd_u(solved.gross - solved.cleared)
    );
    // Nobody is better or worse off: every net position is what it was (a participant whose invoices
    // were all cleared has none left, so zeros are left out).
    let net = |obligations: &[Obligation<String>]| -> anyhow::Result<BTreeMap<String, i128>> {
        Ok(net_positions(obligations)?.into_iter().filter(|(_, net)| *net != 0).collect())
    };
    ensure!(
        net(&before)? == net(&after)?,
        "a net position changed in clearing round {number} (a bug in the clearing contract)"
    );
    Ok(Round { number, before, after, solved, gas: executed.gas })
}

/// The cast table: who plays whom, and where.
fn cast_table(network: &Network) -> comfy_table::Table {
    let mut cast = table(["who", "part", "account", "address"]);
    for role in roles() {
        let account = if test_account(role.account).is_some() { role.account.to_string() } else { "demo key".into() };
        cast.add_row([role.name, role.part, &account, network.address(role.account)]);
    }
    cast
}

/// Right-aligns the amount columns of `table`.
fn align_right(mut table: comfy_table::Table, columns: impl IntoIterator<Item = usize>) -> comfy_table::Table {
    for column in columns {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// The members' accounts as the contract reports them.
fn members_table(accounts: &[CreditAccountResponse]) -> comfy_table::Table {
    let mut members = table(["member", "account", "balance", "credit limit", "available"]);
    for (role, account) in CAST.iter().zip(accounts) {
        let limit = account.line.as_ref().map_or_else(|| "no line".to_string(), |line| rusd_u(line.limit.u128()));
        members.add_row([
            role.name.to_string(),
            role.account.to_string(),
            rusd(account.balance.i128()),
            limit,
            rusd_u(account.available.u128()),
        ]);
    }
    align_right(members, 2..5)
}

/// The invoices as the clearing contract reports them.
fn invoices_table(network: &Network, obligations: &[ObligationResponse]) -> comfy_table::Table {
    let mut invoices = table(["invoice", "debtor", "creditor", "for", "amount", "status"]);
    for (invoice, o) in INVOICES.iter().zip(obligations) {
        invoices.add_row([
            o.id.to_string(),
            network.name_of(o.debtor.as_str()),
            network.name_of(o.creditor.as_str()),
            invoice.what.to_string(),
            rusd_u(o.amount.u128()),
            o.status.to_string(),
        ]);
    }
    align_right(invoices, [0, 4])
}

/// Each invoice after a round: what was cleared and what is left.
fn cleared_table(network: &Network, obligations: &[ObligationResponse]) -> comfy_table::Table {
    let mut invoices = table(["invoice", "debtor", "creditor", "amount", "cleared", "remaining", "status"]);
    for o in obligations {
        invoices.add_row([
            o.id.to_string(),
            network.name_of(o.debtor.as_str()),
            network.name_of(o.creditor.as_str()),
            rusd_u(o.amount.u128()),
            rusd_u(o.cleared.u128()),
            rusd_u(o.remaining.u128()),
            o.status.to_string(),
        ]);
    }
    align_right(invoices, [0, 3, 4, 5])
}

/// What each business owes and is owed before and after a round, and its net position (is owed minus
/// owes), which the round leaves as it was.
fn positions_table(network: &Network, round: &Round) -> anyhow::Result<comfy_table::Table> {
    let sides = |obligations: &[Obligation<String>], address: &str| -> (u128, u128) {
        let owes = obligations.iter().filter(|o| o.debtor == address).map(|o| o.amount).sum();
        let owed = obligations.iter().filter(|o| o.creditor == address).map(|o| o.amount).sum();
        (owes, owed)
    };
    let net_before: BTreeMap<String, i128> = net_positions(&round.before)?.into_iter().collect();
    let net_after: BTreeMap<String, i128> = net_positions(&round.after)?.into_iter().collect();
    let mut positions =
        table(["business", "owes before", "is owed before", "net before", "owes after", "is owed after", "net after"]);
    for role in roles() {
        let address = network.address(role.account);
        let Some(before) = net_before.get(address) else { continue };
        let ((owes, owed), (owes_after, owed_after)) = (sides(&round.before, address), sides(&round.after, address));
        positions.add_row([
            role.name.to_string(),
            rusd_u(owes),
            rusd_u(owed),
            rusd(*before),
            rusd_u(owes_after),
            rusd_u(owed_after),
            rusd(net_after.get(address).copied().unwrap_or(0)),
        ]);
    }
    Ok(align_right(positions, 1..7))
}

/// The clearing contract's running totals.
fn clearing_totals_table(totals: &TotalsResponse) -> comfy_table::Table {
    let mut t = table(["gross outstanding", "cleared to date", "settled with credit", "open invoices", "rounds"]);
    t.add_row([
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(totals.cleared_to_date.u128()),
        rusd_u(totals.settled_with_credit_to_date.u128()),
        totals.outstanding_obligations.to_string(),
        totals.rounds.to_string(),
    ]);
    align_right(t, 0..5)
}

/// A fraction as a percentage with one decimal: `71.8 %`.
fn percent(part: u128, whole: u128) -> String {
    if whole == 0 {
        return "0.0 %".into();
    }
    format!("{:.1} %", 100.0 * part as f64 / whole as f64)
}

/// Prints to stdout without tearing the progress spinner, if there is one.
fn say(progress: Option<&Progress>, text: &str) {
    match progress {
        Some(progress) => progress.suspend(|| println!("{text}")),
        None => println!("{text}"),
    }
}

/// Runs the demo story and prints each step.
pub async fn run(chain: DemoChain, home: &Path, artifacts: &Path) -> anyhow::Result<()> {
    // Only the devnet has slow steps (a block per transaction); the embedded chain is instant.
    let progress = (chain == DemoChain::Devnet).then(Progress::new);
    let result = run_with(chain, home, artifacts, progress.as_ref()).await;
    if let Some(progress) = &progress {
        progress.finish();
    }
    result
}

/// What the clearing part did, for the summary.
#[derive(Default)]
struct ClearingFigures {
    /// Obligation id of each of [`INVOICES`].
    ids: Vec<u64>,
    gross: u128,
    cleared: u128,
    /// (invoice index, obligation id, amount) of the invoice settled with credit.
    settled: Option<(usize, u64, u128)>,
}

async fn run_with(chain: DemoChain, home: &Path, artifacts: &Path, progress: Option<&Progress>) -> anyhow::Result<()> {
    let place = match chain {
        DemoChain::Embedded => "an embedded cw-multi-test chain".to_string(),
        DemoChain::Devnet => format!("the local devnet in {}", home.display()),
    };
    let mut network = match chain {
        DemoChain::Embedded => Network::embedded()?,
        DemoChain::Devnet => Network::devnet(home, artifacts, progress.expect("devnet runs show progress")).await?,
    };
    let intro = format!(
        "ReSource on Cosmos demo: the Asheville pilot in miniature, on {place}, with the CIP-36 credit token \
         (contracts/credit-token): {SYMBOL}, {DECIMALS} decimals, network fee {FEE_BPS} bps. Members spend into \
         negative balances up to their credit lines: spending below zero creates money (minted), and money \
         received while in debt pays the debt down and is destroyed (burned). Then the businesses clear the \
         invoices they owe each other with the clearing contract (contracts/clearing)."
    );
    say(progress, &format!("{}\nCredit token: {}\n\n{}", wrap(&intro, WIDTH), network.token, cast_table(&network)));
    let mut totals = Totals { minted: 0, burned: 0, supply: 0, stats_supply: 0 };
    let mut checked = 0;
    let mut accounts = Vec::new();
    for (index, step) in SCENARIO.iter().enumerate() {
        let number = index + 1;
        let mut lines = Vec::new();
        let mut effects = TransferEffect::default();
        for action in step.actions {
            if let Some(progress) = progress {
                progress.step(&format!("step {number} of {}: {}", SCENARIO.len(), describe(*action)));
            }
            lines.push(network.apply(*action, &mut effects).await.with_context(|| format!("step {number}"))?);
        }
        totals.minted += effects.minted;
        totals.burned += effects.burned;
        checked = network.check(&mut totals).await.with_context(|| format!("after step {number}"))?;
        accounts = network.member_accounts().await?;
        let fees = if effects.fee > 0 { format!(" · fees {}", rusd_u(effects.fee)) } else { String::new() };
        say(
            progress,
            &format!(
                "\n{}\n{}\n{}\nminted {} · burned {}{fees} · total supply {} {SYMBOL}",
                wrap(&format!("Step {number} of {}: {}", SCENARIO.len(), step.story), WIDTH),
                bullets(&lines),
                members_table(&accounts),
                rusd_u(effects.minted),
                rusd_u(effects.burned),
                rusd_u(totals.supply),
            ),
        );
    }

    let mut figures = ClearingFigures::default();
    for (index, step) in CLEARING.iter().enumerate() {
        let number = index + 1;
        let context = || format!("clearing step {number}");
        if let Some(progress) = progress {
            progress.step(&format!("clearing step {number} of {}", CLEARING.len()));
        }
        let heading = wrap(&format!("Clearing step {number} of {}: {}", CLEARING.len(), step.story), WIDTH);
        let body = match step.action {
            ClearingAction::Deploy => {
                let lines = network.deploy_clearing(progress).await.with_context(context)?;
                format!("{}\nClearing contract: {} (fee-exempt on the credit token)", bullets(&lines), network.clearing)
            }
            ClearingAction::Invoices => {
                let (lines, ids) = network.register_invoices(progress).await.with_context(context)?;
                let mut obligations = Vec::with_capacity(ids.len());
                for id in &ids {
                    obligations.push(network.obligation(*id).await?);
                }
                figures.ids = ids;
                let gross: u128 = INVOICES.iter().map(|invoice| invoice.amount).sum();
                format!(
                    "{}\n{}\n{} invoices between {} businesses: {} {SYMBOL} of trade credit.",
                    bullets(&lines),
                    invoices_table(&network, &obligations),
                    INVOICES.len(),
                    businesses().len(),
                    rusd_u(gross),
                )
            }
            ClearingAction::Clear => {
                let round = clear_round(&mut network, progress).await.with_context(context)?;
                let solved = &round.solved;
                let mut obligations = Vec::with_capacity(figures.ids.len());
                for id in &figures.ids {
                    obligations.push(network.obligation(*id).await?);
                }
                figures.gross = solved.gross;
                figures.cleared = solved.cleared;
                let lines = [
                    format!(
                        "read {} outstanding invoices, {} {SYMBOL}, from the contract's Outstanding list",
                        round.before.len(),
                        rusd_u(solved.gross)
                    ),
                    format!(
                        "solved off chain: a set-off of {} entries clearing {} {SYMBOL}, checked with the contract's \
                         own rule",
                        solved.set_off.entries.len(),
                        rusd_u(solved.cleared)
                    ),
                    format!(
                        "the operator submits it as clearing round {}; the contract verifies and applies it{}",
                        round.number,
                        gas_note(round.gas)
                    ),
                ];
                let outcome = format!(
                    "Gross debt before the round {} {SYMBOL}; cleared {} {SYMBOL}; remaining {} {SYMBOL} on {} \
                     invoices: {} of the debt disappeared without any payment. Every business's net position (what \
                     it is owed minus what it owes) is unchanged.",
                    rusd_u(solved.gross),
                    rusd_u(solved.cleared),
                    rusd_u(solved.gross - solved.cleared),
                    round.after.len(),
                    percent(solved.cleared, solved.gross),
                );
                format!(
                    "{}\n{}\n{}\n{}",
                    bullets(&lines),
                    cleared_table(&network, &obligations),
                    positions_table(&network, &round)?,
                    wrap(&outcome, WIDTH)
                )
            }
            ClearingAction::Settle { invoice } => {
                let id = *figures.ids.get(invoice).ok_or_else(|| anyhow!("invoice {invoice} was not registered"))?;
                let (lines, effect, amount) =
                    settle(&mut network, progress, invoice, id).await.with_context(context)?;
                figures.settled = Some((invoice, id, amount));
                totals.minted += effect.minted;
                totals.burned += effect.burned;
                checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
                accounts = network.member_accounts().await?;
                format!(
                    "{}\n{}\nminted {} · burned {} · total supply {} {SYMBOL}\nThe clearing contract's totals:\n{}",
                    bullets(&lines),
                    members_table(&accounts),
                    rusd_u(effect.minted),
                    rusd_u(effect.burned),
                    rusd_u(totals.supply),
                    clearing_totals_table(&network.clearing_totals().await?),
                )
            }
        };
        // The settlement checked the ledger before printing its supply; every other step is checked here.
        if !matches!(step.action, ClearingAction::Settle { .. }) {
            checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
        }
        say(progress, &format!("\n{heading}\n{body}"));
    }

    // Who holds the money in circulation and who owes it, from the last accounts read.
    let list = |keep: fn(i128) -> bool| -> String {
        let parts: Vec<String> = CAST
            .iter()
            .zip(&accounts)
            .filter(|(_, account)| keep(account.balance.i128()))
            .map(|(role, account)| format!("{} {}", role.name, rusd_u(account.balance.i128().unsigned_abs())))
            .collect();
        if parts.is_empty() {
            "nobody".to_string()
        } else {
            parts.join(", ")
        }
    };
    let summary = format!(
        "Summary: over the {} steps and the settlement the members created {} {SYMBOL} by spending on their \
         credit lines and destroyed {} {SYMBOL} as money came back to members in debt. {} {SYMBOL} is in \
         circulation (held by {}), exactly what members still owe on their lines (owed by {}): every {SYMBOL} is a \
         business's promise to earn it back.",
        SCENARIO.len(),
        rusd_u(totals.minted),
        rusd_u(totals.burned),
        rusd_u(totals.supply),
        list(|balance| balance > 0),
        list(|balance| balance < 0),
    );
    let open = network.clearing_totals().await?;
    let settled = match figures.settled {
        Some((invoice, id, amount)) => format!(
            "{} then settled the {} {SYMBOL} left of invoice {id} with credit, so ",
            INVOICES[invoice].debtor.name,
            rusd_u(amount)
        ),
        None => String::new(),
    };
    let clearing = format!(
        "Clearing: the {} businesses owed each other {} {SYMBOL} on {} invoices. One clearing round cancelled {} \
         {SYMBOL} of it ({}) without any payment, and every business's net position stayed the same. {settled}{} \
         {SYMBOL} is still open on {} invoices, to be paid when due.",
        businesses().len(),
        rusd_u(figures.gross),
        INVOICES.len(),
        rusd_u(figures.cleared),
        percent(figures.cleared, figures.gross),
        rusd_u(open.gross_outstanding.u128()),
        open.outstanding_obligations,
    );
    let checks = format!(
        "Checked after every step over all {checked} accounts the token knows: the signed balances sum to 0, and \
         the total supply (token_info and network_stats agree) equals the sum of positive balances and minted minus \
         burned. Checked after the clearing round: the contract's totals match the set-off, and no net position \
         moved."
    );
    say(progress, &format!("\n{}\n\n{}\n\n{}", wrap(&summary, WIDTH), wrap(&clearing, WIDTH), wrap(&checks, WIDTH)));
    Ok(())
}

/// The debtor of `INVOICES[invoice]` (obligation `id`) pays what is left of it through the token's
/// `Send` to the clearing contract. Returns the lines saying so, the transfers' effect and the amount.
async fn settle(
    network: &mut Network,
    progress: Option<&Progress>,
    invoice: usize,
    id: u64,
) -> anyhow::Result<(Vec<String>, TransferEffect, u128)> {
    let debtor = INVOICES[invoice].debtor;
    let creditor = INVOICES[invoice].creditor;
    let amount = network.obligation(id).await?.remaining.u128();
    ensure!(amount > 0, "invoice {id} has nothing left to settle: the round cleared all of it");
    if let Some(progress) = progress {
        progress.step(&format!("{} settles invoice {id} with credit", debtor.name));
    }
    let msg = ExecuteMsg::Send {
        contract: network.clearing.clone(),
        amount: amount.into(),
        msg: to_json_binary(&ReceiveMsg::SettleWithCredit { obligation: id })?,
    };
    let what = format!(
        "{} pays {} the {} {SYMBOL} left of invoice {id} through the clearing contract",
        debtor.name,
        creditor.name,
        rusd_u(amount)
    );
    let executed = network.execute(debtor.account, Target::Token, &msg).await.with_context(|| what.clone())?;
    let effect = TransferEffect::of_transaction(&executed.events).with_context(|| what.clone())?;
    let after = network.obligation(id).await?;
    ensure!(
        after.status == ObligationStatus::Settled && after.settled.u128() == amount && after.remaining.is_zero(),
        "invoice {id} is {} with {} settled and {} remaining after the payment",
        after.status,
        rusd_u(after.settled.u128()),
        rusd_u(after.remaining.u128())
    );
    let lines = vec![
        format!("{what}: {}{}", effect.describe(), gas_note(executed.gas)),
        format!("invoice {id} is {}: {} {SYMBOL} settled with credit", after.status, rusd_u(after.settled.u128())),
    ];
    Ok((lines, effect, amount))
}

/// The businesses that trade on [`INVOICES`], in the order of the cast.
fn businesses() -> Vec<&'static Role> {
    roles()
        .filter(|role| INVOICES.iter().any(|i| i.debtor.account == role.account || i.creditor.account == role.account))
        .collect()
}

/// Lines of a step as a bullet list.
fn bullets(lines: &[String]) -> String {
    lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n")
}

/// Prose lines are wrapped to this many columns; the tables wrap themselves.
const WIDTH: usize = 100;

/// Greedy word wrap (a word longer than `width` gets a line of its own).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// The gas a real chain charged, for a line of the story (the embedded chain does not meter gas).
fn gas_note(gas: Option<u64>) -> String {
    gas.map(|gas| format!(" (gas used: {gas})")).unwrap_or_default()
}

/// What an action does, in words.
fn describe(action: Action) -> String {
    match action {
        Action::OpenLine { member, limit } => {
            format!("the operator opens a {} {SYMBOL} credit line for {}", rusd_u(limit), CAST[member].name)
        }
        Action::Pay { from, to, amount } => {
            format!("{} pays {} {} {SYMBOL}", CAST[from].name, CAST[to].name, rusd_u(amount))
        }
    }
}

/// What an invoice is, in words.
fn describe_invoice(invoice: &Invoice) -> String {
    format!(
        "{} invoices {} {} {SYMBOL} for {}",
        invoice.creditor.name,
        invoice.debtor.name,
        rusd_u(invoice.amount),
        invoice.what
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_sign_separators_and_at_least_cents() {
        assert_eq!(rusd(-800 * UNIT as i128), "-800.00");
        assert_eq!(rusd(0), "0.00");
        assert_eq!(rusd_u(usd(2_000)), "2,000.00");
        assert_eq!(rusd_u(usd(1_234_567)), "1,234,567.00");
        assert_eq!(rusd_u(usd(100)), "100.00");
        assert_eq!(rusd_u(1_500_000), "1.50");
        assert_eq!(rusd(-1_234_500), "-1.2345");
        assert_eq!(rusd_u(1), "0.000001");
        assert_eq!(rusd(-1), "-0.000001");
        assert_eq!(rusd(i128::MIN), "-170,141,183,460,469,231,731,687,303,715,884.105728");
        assert_eq!(rusd_u(u128::MAX), "340,282,366,920,938,463,463,374,607,431,768.211455");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(2_800, 3_900), "71.8 %");
        assert_eq!(percent(1, 1), "100.0 %");
        assert_eq!(percent(0, 0), "0.0 %");
    }

    #[test]
    fn prose_wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("  spaced   out  ", 80), "spaced out");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
        let story = "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line.";
        assert!(wrap(story, WIDTH).lines().all(|line| line.chars().count() <= WIDTH));
    }

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn transfer_effects_come_from_the_event_attributes() {
        let all = attrs(&[("action", "transfer"), ("fee", "3"), ("minted", "350000000"), ("burned", "600000000")]);
        assert_eq!(
            TransferEffect::from_attributes(&all).unwrap(),
            TransferEffect { minted: 350_000_000, burned: 600_000_000, fee: 3 }
        );
        let missing = TransferEffect::from_attributes(&attrs(&[("minted", "1"), ("fee", "0")])).unwrap_err();
        assert!(missing.to_string().contains("no `burned` attribute"), "{missing}");
        let bad = TransferEffect::from_attributes(&attrs(&[("minted", "-1"), ("burned", "0"), ("fee", "0")]));
        assert!(bad.unwrap_err().to_string().contains("`minted` is not an amount"));
    }

    #[test]
    fn a_settlement_adds_up_both_transfers_of_the_send() {
        // The token's send into the clearing contract, the contract's hook, the forward to the creditor.
        let events = vec![
            attrs(&[("action", "send"), ("fee", "0"), ("minted", "200"), ("burned", "0")]),
            attrs(&[("action", "settle_with_credit"), ("obligation_id", "3")]),
            attrs(&[("action", "transfer"), ("fee", "1"), ("minted", "0"), ("burned", "200")]),
        ];
        assert_eq!(
            TransferEffect::of_transaction(&events).unwrap(),
            TransferEffect { minted: 200, burned: 200, fee: 1 }
        );
        let none = TransferEffect::of_transaction(&[attrs(&[("action", "accept")])]).unwrap_err();
        assert!(none.to_string().contains("no credit-token transfer event"), "{none}");
        let executed = Executed { events, gas: None };
        assert_eq!(executed.attribute("obligation_id"), Some("3"));
        assert_eq!(executed.attribute("round"), None);
    }

    fn totals(minted: u128, burned: u128, supply: u128) -> Totals {
        Totals { minted, burned, supply, stats_supply: supply }
    }

    #[test]
    fn invariants_hold_and_each_break_is_named() {
        assert_eq!(check_invariants(&[-250, 150, 100, 0], &totals(1_150, 900, 250)), Ok(()));
        assert_eq!(check_invariants(&[], &totals(0, 0, 0)), Ok(()));
        assert_eq!(check_invariants(&[-250, 150], &totals(1_150, 900, 150)), Err(InvariantError::SumNotZero(-100)));
        assert_eq!(
            check_invariants(&[-250, 250], &totals(1_000, 900, 100)),
            Err(InvariantError::SupplyNotPositiveSum { supply: 100, positive: 250 })
        );
        assert_eq!(
            check_invariants(&[-250, 250], &totals(1_000, 900, 250)),
            Err(InvariantError::SupplyNotMintedMinusBurned { supply: 250, minted: 1_000, burned: 900 })
        );
        let mut differ = totals(250, 0, 250);
        differ.stats_supply = 249;
        assert_eq!(
            check_invariants(&[-250, 250], &differ),
            Err(InvariantError::SupplyReportsDiffer { token_info: 250, stats: 249 })
        );
        // An overflowing sum is reported, not wrapped into a false zero.
        assert_eq!(
            check_invariants(&[i128::MAX, 1, i128::MIN], &totals(0, 0, 0)),
            Err(InvariantError::SumNotZero(i128::MAX))
        );
        let message = InvariantError::SumNotZero(-(usd(1) as i128)).to_string();
        assert_eq!(message, "balances sum to -1.00 instead of 0");
    }

    #[test]
    fn the_scenario_only_names_cast_members_and_pays_between_different_ones() {
        for step in &SCENARIO {
            assert!(!step.actions.is_empty(), "{}", step.story);
            for action in step.actions {
                match *action {
                    Action::OpenLine { member, limit } => assert!(member < CAST.len() && limit > 0),
                    Action::Pay { from, to, amount } => {
                        assert!(from < CAST.len() && to < CAST.len() && from != to && amount > 0)
                    }
                }
            }
        }
        let accounts: Vec<_> = roles().map(|role| role.account).collect();
        let mut unique = accounts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), accounts.len(), "one account per role");
        // Everyone but the mill is a devnet test account; the mill has a demo key of its own.
        assert!(accounts.iter().filter(|a| **a != MILL.account).all(|account| test_account(account).is_some()));
        assert!(test_account(MILL.account).is_none());
        let phrase = key_phrase(MILL.account).unwrap();
        assert_eq!(phrase.split_whitespace().count(), 24);
        assert_eq!(phrase, key_phrase(MILL.account).unwrap(), "deterministic");
        assert_eq!(key_phrase("alice").unwrap(), test_account("alice").unwrap().mnemonic);
        assert!(Wallet::from_mnemonic(&phrase, "inj").is_ok());
    }

    /// The invoices as obligations between the businesses' names.
    fn invoices() -> Vec<Obligation<&'static str>> {
        INVOICES
            .iter()
            .enumerate()
            .map(|(i, invoice)| Obligation {
                id: i as u64 + 1,
                debtor: invoice.debtor.name,
                creditor: invoice.creditor.name,
                amount: invoice.amount,
            })
            .collect()
    }

    #[test]
    fn the_invoices_run_in_cycles_and_leave_the_clinic_something_to_settle() {
        for invoice in &INVOICES {
            assert!(invoice.debtor.account != invoice.creditor.account && invoice.amount > 0, "{}", invoice.what);
            assert!(roles().any(|role| role.account == invoice.debtor.account));
            assert!(roles().any(|role| role.account == invoice.creditor.account));
        }
        assert!((6..=10).contains(&INVOICES.len()));
        let obligations = invoices();
        let set_off = resource_core::clearing::solve(&obligations).unwrap();
        let left = resource_core::clearing::remaining(&obligations, &set_off).unwrap();
        assert_eq!((set_off.total(), left.iter().map(|o| o.amount).sum::<u128>()), (usd(2_800), usd(1_100)));
        // Whatever the solver's choice among optimal set-offs, the clinic's only debt keeps the clinic's
        // net debt: settling it is a credit payment from a member with a line to a member of the cast.
        let clinic = left.iter().find(|o| o.id == CLINIC_SUPPLIES as u64 + 1).expect("part of it is left");
        assert_eq!(clinic.amount, usd(200));
        let settled = CLEARING.iter().find_map(|step| match step.action {
            ClearingAction::Settle { invoice } => Some(invoice),
            _ => None,
        });
        assert_eq!(settled, Some(CLINIC_SUPPLIES));
        let debtor = INVOICES[CLINIC_SUPPLIES].debtor;
        let opens_line = |member: usize| {
            SCENARIO
                .iter()
                .flat_map(|s| s.actions)
                .any(|a| matches!(a, Action::OpenLine { member: m, .. } if *m == member))
        };
        assert!(CAST.iter().position(|role| role.account == debtor.account).is_some_and(opens_line));
        assert!(CAST.iter().any(|role| role.account == INVOICES[CLINIC_SUPPLIES].creditor.account));
        assert_eq!(businesses().len(), 4);
    }
}
