//! `resource demo`: the Asheville pilot in miniature on the CIP-36 credit token, step by step.
//!
//! One scenario, written as data ([`SCENARIO`]), runs on either chain: an embedded cw-multi-test
//! chain with the contract linked in, or the local devnet with `artifacts/credit_token.wasm`. After
//! each step the demo reads every member's account, the supply and the network stats back from the
//! contract, prints them, and checks the ledger's invariants over every account the contract knows.
use std::path::Path;

use anyhow::{anyhow, Context};
use comfy_table::CellAlignment;
use cosmwasm_std::Empty;
use credit_token::msg::{CreditAccountResponse, ExecuteMsg, InstantiateMsg, NetworkStatsResponse, QueryMsg};
use cw20::{AllAccountsResponse, TokenInfoResponse};
use cw_multi_test::{App, ContractWrapper, Executor, IntoBech32};
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, Gas, Wallet};
use serde::de::DeserializeOwned;

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
/// The artifact `cargo xtask wasm` builds from contracts/credit-token.
const ARTIFACT: &str = "credit_token.wasm";

/// Someone in the story and the devnet test account that plays them.
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

/// Where the demo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoChain {
    /// An in-process cw-multi-test chain: no node, no wasm build needed.
    Embedded,
    /// The local devnet (`resource devnet up`), with the wasm artifact from `cargo xtask wasm`.
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
}

/// The chain the credit token runs on.
enum Backend {
    Embedded(Box<App>),
    // Boxed so the enum stays small whichever chain runs.
    Devnet { client: Box<ChainClient>, wallets: Vec<(&'static str, Wallet)> },
}

/// The deployed credit token and the addresses of everyone in the story.
struct Network {
    backend: Backend,
    token: String,
    /// (test account, address) of every role.
    addresses: Vec<(&'static str, String)>,
}

fn roles() -> impl Iterator<Item = &'static Role> {
    CAST.iter().chain([&OPERATOR, &FEE_COLLECTOR, &LOSS_ACCOUNT])
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
    }
}

impl Network {
    fn embedded() -> anyhow::Result<Self> {
        let mut app = App::default();
        let code = ContractWrapper::new(
            credit_token::contract::execute,
            credit_token::contract::instantiate,
            credit_token::contract::query,
        );
        let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
        let addresses: Vec<_> = roles().map(|role| (role.account, role.account.into_bech32().to_string())).collect();
        let mut network = Network { backend: Backend::Embedded(Box::new(app)), token: String::new(), addresses };
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
        // The artifact first: it is the first thing the README's devnet recipe builds.
        let wasm_path = artifacts.join(ARTIFACT);
        let wasm = std::fs::read(&wasm_path).with_context(|| {
            format!("cannot read {}; build it with `cargo xtask wasm -p credit-token`", wasm_path.display())
        })?;
        let chain = crate::devnet::first_running_chain(home)?;
        progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
        let client = ChainClient::connect(chain.clone()).await?;
        let wallets = roles()
            .map(|role| {
                let account = test_account(role.account).expect("every role is played by a test account");
                Ok((role.account, Wallet::from_mnemonic(account.mnemonic, &chain.prefix)?))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let addresses = wallets.iter().map(|(account, wallet)| (*account, wallet.address().to_string())).collect();
        let mut network =
            Network { backend: Backend::Devnet { client: Box::new(client), wallets }, token: String::new(), addresses };
        let msg = instantiate_msg(network.address(FEE_COLLECTOR.account), network.address(LOSS_ACCOUNT.account));
        let Backend::Devnet { client, wallets } = &network.backend else { unreachable!("built above") };
        let operator = &wallets.iter().find(|(account, _)| *account == OPERATOR.account).expect("a role").1;
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

    /// Unix seconds on the chain, for credit-line terms.
    fn now(&self) -> anyhow::Result<u64> {
        match &self.backend {
            Backend::Embedded(app) => Ok(app.block_info().time.seconds()),
            // The devnet's block time follows the wall clock; a term a year out is safe either way.
            Backend::Devnet { .. } => Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()),
        }
    }

    /// Executes `msg` as `account`; returns the contract's own wasm event attributes and, on a real
    /// chain, the gas the transaction used.
    async fn execute(
        &mut self,
        account: &str,
        msg: &ExecuteMsg,
    ) -> anyhow::Result<(Vec<(String, String)>, Option<u64>)> {
        match &mut self.backend {
            Backend::Embedded(app) => {
                let token = cosmwasm_std::Addr::unchecked(&self.token);
                let response =
                    app.execute_contract(account.into_bech32(), token, msg, &[]).map_err(|e| anyhow!("{e:#}"))?;
                let attributes = response
                    .events
                    .iter()
                    .filter(|event| event.ty == "wasm")
                    .flat_map(|event| &event.attributes)
                    .map(|a| (a.key.clone(), a.value.clone()))
                    .collect();
                Ok((attributes, None))
            }
            Backend::Devnet { client, wallets } => {
                let wallet = &wallets.iter().find(|(a, _)| *a == account).expect("a role").1;
                let outcome = client.execute(wallet, &self.token, msg, &[], Gas::Auto).await?;
                let attributes =
                    outcome.wasm_attributes().into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                Ok((attributes, Some(outcome.gas_used)))
            }
        }
    }

    async fn query<T: DeserializeOwned>(&self, msg: &QueryMsg) -> anyhow::Result<T> {
        match &self.backend {
            Backend::Embedded(app) => Ok(app.wrap().query_wasm_smart(&self.token, msg)?),
            Backend::Devnet { client, .. } => Ok(client.query_smart(&self.token, msg).await?),
        }
    }

    async fn credit_account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        self.query(&QueryMsg::CreditAccount { address: address.into() }).await
    }

    /// Every account the contract knows (a cw20 `AllAccounts` listing, page by page).
    async fn all_accounts(&self) -> anyhow::Result<Vec<String>> {
        const PAGE: u32 = 30;
        let mut accounts: Vec<String> = Vec::new();
        loop {
            let msg = QueryMsg::AllAccounts { start_after: accounts.last().cloned(), limit: Some(PAGE) };
            let page: AllAccountsResponse = self.query(&msg).await?;
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
                let (_, gas) = self.execute(OPERATOR.account, &msg).await.with_context(|| describe(action))?;
                Ok(format!("{}{}", describe(action), gas_note(gas)))
            }
            Action::Pay { from, to, amount } => {
                let msg =
                    ExecuteMsg::Transfer { recipient: self.address(CAST[to].account).into(), amount: amount.into() };
                let what = describe(action);
                let (attributes, gas) = self.execute(CAST[from].account, &msg).await.with_context(|| what.clone())?;
                let effect = TransferEffect::from_attributes(&attributes).with_context(|| what.clone())?;
                effects.minted += effect.minted;
                effects.burned += effect.burned;
                effects.fee += effect.fee;
                let fee = if effect.fee > 0 { format!(", fee {}", rusd_u(effect.fee)) } else { String::new() };
                Ok(format!(
                    "{what}: minted {}, burned {}{fee}{}",
                    rusd_u(effect.minted),
                    rusd_u(effect.burned),
                    gas_note(gas)
                ))
            }
        }
    }

    /// Reads the supply from both queries and checks the invariants over every account; returns the
    /// number of accounts checked.
    async fn check(&self, totals: &mut Totals) -> anyhow::Result<usize> {
        let info: TokenInfoResponse = self.query(&QueryMsg::TokenInfo {}).await?;
        let stats: NetworkStatsResponse = self.query(&QueryMsg::NetworkStats {}).await?;
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
}

/// The table of the cast: who plays whom, and where.
fn cast_table(network: &Network) -> comfy_table::Table {
    let mut cast = table(["who", "part", "account", "address"]);
    for role in roles() {
        cast.add_row([role.name, role.part, role.account, network.address(role.account)]);
    }
    cast
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
    for column in 2..5 {
        if let Some(column) = members.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    members
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
         received while in debt pays the debt down and is destroyed (burned)."
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
        accounts.clear();
        for role in &CAST {
            accounts.push(network.credit_account(network.address(role.account)).await?);
        }
        let fees = if effects.fee > 0 { format!(" · fees {}", rusd_u(effects.fee)) } else { String::new() };
        say(
            progress,
            &format!(
                "\n{}\n{}\n{}\nminted {} · burned {}{fees} · total supply {} {SYMBOL}",
                wrap(&format!("Step {number} of {}: {}", SCENARIO.len(), step.story), WIDTH),
                lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n"),
                members_table(&accounts),
                rusd_u(effects.minted),
                rusd_u(effects.burned),
                rusd_u(totals.supply),
            ),
        );
    }
    // Who holds the money in circulation and who owes it, from the last step's accounts.
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
        "Summary: over {} steps the members created {} {SYMBOL} by spending on their credit lines and destroyed \
         {} {SYMBOL} as money came back to members in debt. {} {SYMBOL} is in circulation (held by {}), exactly \
         what members still owe on their lines (owed by {}): every {SYMBOL} is a business's promise to earn it \
         back. Checked after every step over all {checked} accounts the contract knows: the signed balances sum \
         to 0, and the total supply (token_info and network_stats agree) equals the sum of positive balances and \
         minted minus burned.",
        SCENARIO.len(),
        rusd_u(totals.minted),
        rusd_u(totals.burned),
        rusd_u(totals.supply),
        list(|balance| balance > 0),
        list(|balance| balance < 0),
    );
    say(progress, &format!("\n{}", wrap(&summary, WIDTH)));
    Ok(())
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
    fn prose_wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("  spaced   out  ", 80), "spaced out");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
        let story = "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line.";
        assert!(wrap(story, WIDTH).lines().all(|line| line.chars().count() <= WIDTH));
    }

    #[test]
    fn transfer_effects_come_from_the_event_attributes() {
        let attrs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
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
        assert_eq!(unique.len(), accounts.len(), "one test account per role");
        assert!(accounts.iter().all(|account| test_account(account).is_some()));
    }
}
