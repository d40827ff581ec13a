//! The chains the demo runs on: an embedded cw-multi-test chain with the contracts linked in, or the
//! local devnet with the wasm artifacts. [`Network`] hides which; only here do the two differ.
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use cosmwasm_std::{Addr, Empty};
use cw20::AllAccountsResponse;
use cw_multi_test::{App, ContractWrapper, Executor, IntoBech32};
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, Gas, Wallet};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{
    InstantiateMsg as ClearingInstantiateMsg, ObligationResponse, QueryMsg as ClearingQuery, TotalsResponse,
};
use resource_msgs::credit_token::{CreditAccountResponse, QueryMsg};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events::Executed;
use super::scenario::{instantiate_msg, roles, CAST, FEE_COLLECTOR, LOSS_ACCOUNT, OPERATOR};
use crate::clearing::{fetch_outstanding, SmartQuery};
use crate::ui::Progress;

/// The artifacts `cargo xtask wasm` builds from contracts/credit-token and contracts/clearing.
const ARTIFACT: &str = "credit_token.wasm";
pub(super) const CLEARING_ARTIFACT: &str = "clearing.wasm";
/// On the devnet the operator sends a demo-key role this much of the chain's coin for fees (1 INJ,
/// 18 decimals: far more than the demo spends) when it holds less than half of it.
const FEE_FUNDS: u128 = 10u128.pow(18);
const TOKEN_LABEL: &str = "asheville-credit";
const CLEARING_LABEL: &str = "asheville-clearing";

/// The chain the contracts run on.
pub(super) enum Backend {
    /// In process: instant, so nothing shows progress, and no gas is metered.
    Embedded(Box<App>),
    /// The local devnet: a block per transaction, so its slow steps show progress.
    Devnet(Box<Devnet>),
}

pub(super) struct Devnet {
    client: ChainClient,
    wallets: Vec<(&'static str, Wallet)>,
    /// Stored when the clearing part begins; read at the start so a missing artifact stops the demo early.
    clearing_wasm: Vec<u8>,
    progress: Progress,
}

impl Devnet {
    fn wallet(&self, account: &str) -> &Wallet {
        &self.wallets.iter().find(|(a, _)| *a == account).expect("every role has a wallet").1
    }
}

impl SmartQuery for Backend {
    async fn query_smart<T: DeserializeOwned>(&self, contract: &str, msg: &impl Serialize) -> anyhow::Result<T> {
        match self {
            Backend::Embedded(app) => Ok(app.wrap().query_wasm_smart(contract, msg)?),
            Backend::Devnet(devnet) => Ok(devnet.client.query_smart(contract, msg).await?),
        }
    }
}

/// Which of the demo's contracts a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Token,
    Clearing,
}

/// The deployed contracts and the addresses of everyone in the story.
pub(super) struct Network {
    backend: Backend,
    pub(super) token: String,
    /// Empty until the clearing part deploys it.
    pub(super) clearing: String,
    /// (account, address) of every role.
    addresses: Vec<(&'static str, String)>,
}

/// The mnemonic of the key that plays `account`: a devnet test account's, or for a demo key (the
/// mill) the BIP-39 encoding of `sha256("resource-demo/<account>")`, derived like the test accounts'.
/// Public, so for local chains only.
pub(super) fn key_phrase(account: &str) -> anyhow::Result<String> {
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

impl Network {
    /// The credit token deployed on a fresh embedded chain.
    pub(super) fn embedded() -> anyhow::Result<Self> {
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
            .instantiate_contract(code_id, operator.clone(), &msg, &[], TOKEN_LABEL, Some(operator.into()))
            .map_err(|e| anyhow!("instantiating the credit token failed: {e:#}"))?;
        network.token = token.into();
        Ok(network)
    }

    /// The credit token stored and deployed on the running devnet of `home`; `progress` shows the
    /// slow steps from here to the end of the demo.
    pub(super) async fn devnet(home: &Path, artifacts: &Path, progress: Progress) -> anyhow::Result<Self> {
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
        let devnet = Devnet { client, wallets, clearing_wasm, progress };
        let mut network = Network {
            backend: Backend::Devnet(Box::new(devnet)),
            token: String::new(),
            clearing: String::new(),
            addresses,
        };
        let msg = instantiate_msg(network.address(FEE_COLLECTOR.account), network.address(LOSS_ACCOUNT.account));
        let Backend::Devnet(devnet) = &network.backend else { unreachable!("built above") };
        let (client, progress) = (&devnet.client, &devnet.progress);
        let operator = devnet.wallet(OPERATOR.account);
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
            .instantiate(operator, code_id, &msg, TOKEN_LABEL, Some(operator.address()), &[], Gas::Auto)
            .await
            .context("instantiating the credit token")?;
        network.token = token;
        Ok(network)
    }

    /// Stores and instantiates the clearing contract with `msg`; returns the gas a real chain charged.
    pub(super) async fn instantiate_clearing(&mut self, msg: &ClearingInstantiateMsg) -> anyhow::Result<Option<u64>> {
        match &mut self.backend {
            Backend::Embedded(app) => {
                let code = ContractWrapper::new(
                    resource_clearing::contract::execute,
                    resource_clearing::contract::instantiate,
                    resource_clearing::contract::query,
                );
                let code_id = app.store_code(Box::new(code) as Box<dyn cw_multi_test::Contract<Empty>>);
                let operator = OPERATOR.account.into_bech32();
                let clearing = app
                    .instantiate_contract(code_id, operator.clone(), msg, &[], CLEARING_LABEL, Some(operator.into()))
                    .map_err(|e| anyhow!("instantiating the clearing contract failed: {e:#}"))?;
                self.clearing = clearing.into();
                Ok(None)
            }
            Backend::Devnet(devnet) => {
                let operator = devnet.wallet(OPERATOR.account);
                let progress = &devnet.progress;
                progress.step(&format!("storing {CLEARING_ARTIFACT} ({} KiB)", devnet.clearing_wasm.len() / 1024));
                let (code_id, _) = devnet
                    .client
                    .store_code(operator, &devnet.clearing_wasm, Gas::Auto)
                    .await
                    .context("storing the clearing contract")?;
                progress.step(&format!("instantiating the clearing contract (code id {code_id})"));
                let (clearing, outcome) = devnet
                    .client
                    .instantiate(operator, code_id, msg, CLEARING_LABEL, Some(operator.address()), &[], Gas::Auto)
                    .await
                    .context("instantiating the clearing contract")?;
                self.clearing = clearing;
                Ok(Some(outcome.gas_used))
            }
        }
    }

    /// Shows what the demo is doing while a slow step runs (nothing on the instant embedded chain).
    pub(super) fn step(&self, message: &str) {
        if let Backend::Devnet(devnet) = &self.backend {
            devnet.progress.step(message);
        }
    }

    /// Prints to stdout without tearing the progress spinner, if there is one.
    pub(super) fn say(&self, text: &str) {
        match &self.backend {
            Backend::Devnet(devnet) => devnet.progress.suspend(|| println!("{text}")),
            Backend::Embedded(_) => println!("{text}"),
        }
    }

    pub(super) fn address(&self, account: &str) -> &str {
        self.addresses.iter().find(|(a, _)| *a == account).map(|(_, address)| address.as_str()).expect("a role")
    }

    /// Who has `address` in the story (the address itself for anyone else).
    pub(super) fn name_of(&self, address: &str) -> String {
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
    pub(super) fn now(&self) -> anyhow::Result<u64> {
        match &self.backend {
            Backend::Embedded(app) => Ok(app.block_info().time.seconds()),
            // The devnet's block time follows the wall clock; a term a year out is safe either way.
            Backend::Devnet(_) => Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()),
        }
    }

    /// Lets the chain's time pass `time` (unix seconds): the embedded chain moves its clock, the
    /// devnet is waited for.
    pub(super) async fn wait_until(&mut self, time: u64) -> anyhow::Result<()> {
        match &mut self.backend {
            Backend::Embedded(app) => {
                let now = app.block_info().time.seconds();
                app.update_block(|b| {
                    b.height += 1;
                    b.time = b.time.plus_seconds(time.saturating_sub(now));
                });
            }
            Backend::Devnet(_) => {
                let now = self.now()?;
                if now <= time {
                    tokio::time::sleep(std::time::Duration::from_secs(time + 1 - now)).await;
                }
            }
        }
        Ok(())
    }

    /// The operator closes the pending clearing round (on the devnet, retried while the chain's block
    /// time still lags the closing time).
    pub(super) async fn close_round(&mut self) -> anyhow::Result<Executed> {
        match &self.backend {
            Backend::Embedded(_) => {
                self.execute(OPERATOR.account, Target::Clearing, &resource_msgs::clearing::ExecuteMsg::CloseRound {})
                    .await
            }
            Backend::Devnet(devnet) => {
                let pending: resource_msgs::clearing::PendingRoundResponse =
                    devnet.client.query_smart(&self.clearing, &ClearingQuery::PendingRound {}).await?;
                let closes_at = pending.round.ok_or_else(|| anyhow!("no clearing round is pending"))?.closes_at;
                let outcome = crate::clearing::close_when_due(
                    &devnet.client,
                    devnet.wallet(OPERATOR.account),
                    &self.clearing,
                    closes_at,
                    &|message| devnet.progress.step(message),
                )
                .await?;
                let events = outcome.events_of("wasm").map(|event| event.attributes.clone()).collect();
                Ok(Executed { events, gas: Some(outcome.gas_used) })
            }
        }
    }

    /// Executes `msg` on `target` as `account`.
    pub(super) async fn execute<M: Serialize + Debug>(
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
            Backend::Devnet(devnet) => {
                let outcome = devnet.client.execute(devnet.wallet(account), &contract, msg, &[], Gas::Auto).await?;
                let events = outcome.events_of("wasm").map(|event| event.attributes.clone()).collect();
                Ok(Executed { events, gas: Some(outcome.gas_used) })
            }
        }
    }

    pub(super) async fn query<T: DeserializeOwned>(&self, target: Target, msg: &impl Serialize) -> anyhow::Result<T> {
        self.backend.query_smart(self.contract(target), msg).await
    }

    pub(super) async fn credit_account(&self, address: &str) -> anyhow::Result<CreditAccountResponse> {
        self.query(Target::Token, &QueryMsg::CreditAccount { address: address.into() }).await
    }

    /// The accounts of the [`CAST`], in order.
    pub(super) async fn member_accounts(&self) -> anyhow::Result<Vec<CreditAccountResponse>> {
        let mut accounts = Vec::with_capacity(CAST.len());
        for role in &CAST {
            accounts.push(self.credit_account(self.address(role.account)).await?);
        }
        Ok(accounts)
    }

    /// Every account the contract knows (a cw20 `AllAccounts` listing, page by page).
    pub(super) async fn all_accounts(&self) -> anyhow::Result<Vec<String>> {
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

    pub(super) async fn obligation(&self, id: u64) -> anyhow::Result<ObligationResponse> {
        self.query(Target::Clearing, &ClearingQuery::Obligation { id }).await
    }

    /// The obligations `ids`, in that order.
    pub(super) async fn obligations(&self, ids: &[u64]) -> anyhow::Result<Vec<ObligationResponse>> {
        let mut obligations = Vec::with_capacity(ids.len());
        for id in ids {
            obligations.push(self.obligation(*id).await?);
        }
        Ok(obligations)
    }

    pub(super) async fn clearing_totals(&self) -> anyhow::Result<TotalsResponse> {
        self.query(Target::Clearing, &ClearingQuery::Totals {}).await
    }

    /// The contract's outstanding obligations with what is left of each: the input of a round.
    pub(super) async fn outstanding(&self) -> anyhow::Result<Vec<Obligation<String>>> {
        fetch_outstanding(&self.backend, &self.clearing, &|message| self.step(message)).await
    }
}
