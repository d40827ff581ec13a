//! The chains the demo runs on: an embedded cw-multi-test chain with the contracts linked in, or the
//! local devnet with the wasm artifacts. [`Network`] hides which; only here do the two differ.
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use cosmwasm_std::{coins, Addr, Empty};
use cw20::AllAccountsResponse;
use cw_multi_test::{ContractWrapper, Executor, IntoBech32};
use resource_client::test_accounts::test_account;
use resource_client::{ChainClient, Gas, Wallet};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{ObligationResponse, QueryMsg as ClearingQuery, TotalsResponse};
use resource_msgs::credit_token::{CreditAccountResponse, QueryMsg};
use resource_msgs::underwriting::{QueryMsg as UnderwritingQuery, UnderwriterResponse};
use resource_testing::ibc::{ibc_chain, IbcChain, SentQueue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events::Executed;
use super::scenario::{inj, roles, Role, OPERATOR, STAKE_DENOM, STAKE_EACH, UNDERWRITERS};
use crate::clearing::{fetch_outstanding, SmartQuery};
use crate::credential::proofs::REGISTRY_ARTIFACT;
use crate::deployment::Deployment;
use crate::ui::Progress;
use crate::underwriting::deploy::{read_artifact, TOKEN_ARTIFACT, UNDERWRITING_ARTIFACT};

/// The artifact `cargo xtask wasm` builds from contracts/clearing.
pub(super) const CLEARING_ARTIFACT: &str = "clearing.wasm";
/// The artifact `cargo xtask wasm` builds from contracts/meta-bridge.
pub(super) const BRIDGE_ARTIFACT: &str = "meta_bridge.wasm";
/// On the devnet the operator sends a demo-key role this much of the chain's coin for fees (1 INJ,
/// 18 decimals: far more than the demo spends), on top of an underwriter's stake, when it holds
/// less than half of that.
const FEE_FUNDS: u128 = 10u128.pow(18);

/// The chain the contracts run on.
pub(super) enum Backend {
    /// In process: instant, so nothing shows progress, and no gas is metered. Its IBC module records
    /// the packets contracts send (the meta-network step relays them to a second embedded chain).
    Embedded(Box<IbcChain>, SentQueue),
    /// The local devnet: a block per transaction, so its slow steps show progress.
    Devnet(Box<Devnet>),
}

pub(super) struct Devnet {
    client: ChainClient,
    wallets: Vec<(&'static str, Wallet)>,
    /// The artifacts, read at the start so a missing one stops the demo before anything is sent.
    token_wasm: Vec<u8>,
    underwriting_wasm: Vec<u8>,
    clearing_wasm: Vec<u8>,
    registry_wasm: Vec<u8>,
    bridge_wasm: Vec<u8>,
    /// The devnet's folder, where the deployment is recorded for the other commands.
    home: PathBuf,
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
            Backend::Embedded(app, _) => Ok(app.wrap().query_wasm_smart(contract, msg)?),
            Backend::Devnet(devnet) => Ok(devnet.client.query_smart(contract, msg).await?),
        }
    }
}

/// Which of the demo's contracts a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Token,
    Underwriting,
    Clearing,
    DidRegistry,
    Bridge,
}

impl Target {
    /// The contract's label on the chain, after the network's name.
    fn label(self) -> &'static str {
        match self {
            Target::Token => "credit",
            Target::Underwriting => "underwriting",
            Target::Clearing => "clearing",
            Target::DidRegistry => "did-registry",
            Target::Bridge => "bridge",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Target::Token => "the credit token",
            Target::Underwriting => "the underwriting contract",
            Target::Clearing => "the clearing contract",
            Target::DidRegistry => "the DID registry",
            Target::Bridge => "the meta-bridge",
        }
    }
}

/// The deployed contracts and the addresses of everyone in the story.
pub(super) struct Network {
    backend: Backend,
    /// The network's name in its contracts' labels: `asheville`, or `nairobi` for the other network
    /// of the meta-network step.
    label: &'static str,
    /// Each empty until the demo deploys it.
    pub(super) token: String,
    pub(super) underwriting: String,
    pub(super) clearing: String,
    pub(super) registry: String,
    /// The meta-bridge, once the meta-network step deployed it.
    pub(super) bridge: String,
    /// (account, address) of every role.
    addresses: Vec<(&'static str, String)>,
    /// (member's account, application id) of every application made in the story.
    pub(super) applications: Vec<(&'static str, u64)>,
}

/// The mnemonic of the key that plays `account`: a devnet test account's, or for a demo key (the
/// underwriters, the mill, the newcomer) the BIP-39 encoding of `sha256("resource-demo/<account>")`,
/// derived like the test accounts'. Public, so for local chains only.
pub(super) fn key_phrase(account: &str) -> anyhow::Result<String> {
    if let Some(test) = test_account(account) {
        return Ok(test.mnemonic.to_string());
    }
    let entropy = Sha256::digest(format!("resource-demo/{account}").as_bytes());
    Ok(bip39::Mnemonic::from_entropy(&entropy)?.to_string())
}

impl Network {
    /// A fresh embedded chain on which the underwriters hold their stake.
    pub(super) fn embedded() -> anyhow::Result<Self> {
        let addresses: Vec<_> = roles().map(|role| (role.account, role.account.into_bech32().to_string())).collect();
        let (app, sent, _) = ibc_chain(|router, _, storage| {
            for underwriter in &UNDERWRITERS {
                let funds = coins(inj(STAKE_EACH), STAKE_DENOM);
                router.bank.init_balance(storage, &underwriter.account.into_bech32(), funds).expect("genesis funds");
            }
        });
        Ok(Network {
            backend: Backend::Embedded(Box::new(app), sent),
            label: "asheville",
            token: String::new(),
            underwriting: String::new(),
            clearing: String::new(),
            registry: String::new(),
            bridge: String::new(),
            addresses,
            applications: Vec::new(),
        })
    }

    /// The running devnet of `home`, with the artifacts read from `artifacts` and the demo keys
    /// funded; `progress` shows the slow steps from here to the end of the demo.
    pub(super) async fn devnet(home: &Path, artifacts: &Path, progress: Progress) -> anyhow::Result<Self> {
        // The artifacts first: they are the first thing the README's devnet recipe builds.
        let (_, token_wasm) = read_artifact(artifacts, TOKEN_ARTIFACT, "resource-credit-token")?;
        let (_, underwriting_wasm) = read_artifact(artifacts, UNDERWRITING_ARTIFACT, "resource-underwriting")?;
        let (_, clearing_wasm) = read_artifact(artifacts, CLEARING_ARTIFACT, "resource-clearing")?;
        let (_, registry_wasm) = read_artifact(artifacts, REGISTRY_ARTIFACT, "resource-did-registry")?;
        let (_, bridge_wasm) = read_artifact(artifacts, BRIDGE_ARTIFACT, "resource-meta-bridge")?;
        let chain = crate::devnet::first_running_chain(home)?;
        progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
        let client = ChainClient::connect(chain.clone()).await?;
        let wallets = roles()
            .map(|role| Ok((role.account, Wallet::from_mnemonic(&key_phrase(role.account)?, &chain.prefix)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let addresses = wallets.iter().map(|(account, wallet)| (*account, wallet.address().to_string())).collect();
        let devnet = Devnet {
            client,
            wallets,
            token_wasm,
            underwriting_wasm,
            clearing_wasm,
            registry_wasm,
            bridge_wasm,
            home: home.to_path_buf(),
            progress,
        };
        let network = Network {
            backend: Backend::Devnet(Box::new(devnet)),
            label: "asheville",
            token: String::new(),
            underwriting: String::new(),
            clearing: String::new(),
            registry: String::new(),
            bridge: String::new(),
            addresses,
            applications: Vec::new(),
        };
        let Backend::Devnet(devnet) = &network.backend else { unreachable!("built above") };
        let operator = devnet.wallet(OPERATOR.account);
        // Roles played by a demo key are not funded at genesis: the operator pays for their fees, and
        // sends the underwriters their stake.
        for role in roles().filter(|role| test_account(role.account).is_none()) {
            let address = network.address(role.account);
            let stake = if UNDERWRITERS.contains(role) { inj(STAKE_EACH) } else { 0 };
            let held = devnet.client.bank_balance(address, &chain.denom).await?;
            if held < stake + FEE_FUNDS / 2 {
                let amount = stake + FEE_FUNDS - held.min(stake + FEE_FUNDS);
                devnet.progress.step(&format!(
                    "the operator sends {} (demo key) {} {} for {}",
                    role.name,
                    crate::format::units(amount, 18),
                    chain.denom,
                    if stake > 0 { "its stake and fees" } else { "fees" }
                ));
                devnet
                    .client
                    .bank_send(operator, address, amount, Gas::Auto)
                    .await
                    .with_context(|| format!("funding {}'s demo key", role.name))?;
            }
        }
        Ok(network)
    }

    /// The other network of the meta-network step, with nothing deployed yet: on a second embedded
    /// chain, or on the devnet's second chain (played by the same keys; only the operator signs
    /// there). `Err` says why there is none: a devnet of one chain.
    pub(super) async fn peer(&self, label: &'static str) -> anyhow::Result<Result<Network, String>> {
        let backend = match &self.backend {
            Backend::Embedded(..) => {
                let (app, sent, _) = ibc_chain(|_, _, _| {});
                Backend::Embedded(Box::new(app), sent)
            }
            Backend::Devnet(devnet) => {
                let state = crate::devnet::DevnetState::load(&devnet.home)?;
                let Some((chain, _)) = state.as_ref().and_then(|state| state.running().nth(1)) else {
                    return Ok(Err(format!(
                        "the devnet in {} runs one chain; `resource devnet up --chains 2` starts two",
                        devnet.home.display()
                    )));
                };
                let chain = chain.config.clone();
                devnet.progress.step(&format!("connecting to {} at {}", chain.chain_id, chain.rpc));
                let client = ChainClient::connect(chain.clone()).await?;
                let wallet = Wallet::from_mnemonic(&key_phrase(OPERATOR.account)?, &chain.prefix)?;
                Backend::Devnet(Box::new(Devnet {
                    client,
                    wallets: vec![(OPERATOR.account, wallet)],
                    token_wasm: devnet.token_wasm.clone(),
                    underwriting_wasm: Vec::new(),
                    clearing_wasm: Vec::new(),
                    registry_wasm: Vec::new(),
                    bridge_wasm: devnet.bridge_wasm.clone(),
                    home: devnet.home.clone(),
                    progress: devnet.progress.clone(),
                }))
            }
        };
        let mut peer = Network {
            backend,
            label,
            token: String::new(),
            underwriting: String::new(),
            clearing: String::new(),
            registry: String::new(),
            bridge: String::new(),
            addresses: Vec::new(),
            applications: Vec::new(),
        };
        peer.addresses = vec![(OPERATOR.account, peer.key_address(OPERATOR.account)?)];
        Ok(Ok(peer))
    }

    /// The address of the key that plays `account` ([`key_phrase`]) on this network's chain.
    pub(super) fn key_address(&self, account: &str) -> anyhow::Result<String> {
        match &self.backend {
            Backend::Embedded(..) => Ok(account.into_bech32().to_string()),
            Backend::Devnet(devnet) => {
                Ok(Wallet::from_mnemonic(&key_phrase(account)?, &devnet.client.config().prefix)?.address().to_string())
            }
        }
    }

    /// The devnet chain this network runs on and the devnet's folder (`None` when embedded).
    pub(super) fn devnet_chain(&self) -> Option<(&resource_client::ChainConfig, &Path)> {
        match &self.backend {
            Backend::Devnet(devnet) => Some((devnet.client.config(), devnet.home.as_path())),
            Backend::Embedded(..) => None,
        }
    }

    /// Stores the code of `target` and instantiates it with `msg` (admin: the operator); returns
    /// the new address and the gas a real chain charged.
    pub(super) async fn instantiate(
        &mut self,
        target: Target,
        msg: &(impl Serialize + Debug),
    ) -> anyhow::Result<(String, Option<u64>)> {
        let what = target.name();
        let label = format!("{}-{}", self.label, target.label());
        match &mut self.backend {
            Backend::Embedded(app, _) => {
                let code: Box<dyn cw_multi_test::Contract<Empty>> = match target {
                    Target::Token => Box::new(ContractWrapper::new(
                        resource_credit_token::contract::execute,
                        resource_credit_token::contract::instantiate,
                        resource_credit_token::contract::query,
                    )),
                    Target::Underwriting => Box::new(ContractWrapper::new(
                        resource_underwriting::contract::execute,
                        resource_underwriting::contract::instantiate,
                        resource_underwriting::contract::query,
                    )),
                    Target::Clearing => Box::new(ContractWrapper::new(
                        resource_clearing::contract::execute,
                        resource_clearing::contract::instantiate,
                        resource_clearing::contract::query,
                    )),
                    Target::DidRegistry => Box::new(ContractWrapper::new(
                        resource_did_registry::contract::execute,
                        resource_did_registry::contract::instantiate,
                        resource_did_registry::contract::query,
                    )),
                    Target::Bridge => resource_testing::ibc::bridge_contract(),
                };
                let code_id = app.store_code(code);
                let operator = OPERATOR.account.into_bech32();
                let address = app
                    .instantiate_contract(code_id, operator.clone(), msg, &[], label, Some(operator.into()))
                    .map_err(|e| anyhow!("instantiating {what} failed: {e:#}"))?;
                Ok((address.into(), None))
            }
            Backend::Devnet(devnet) => {
                let operator = devnet.wallet(OPERATOR.account);
                let wasm = match target {
                    Target::Token => &devnet.token_wasm,
                    Target::Underwriting => &devnet.underwriting_wasm,
                    Target::Clearing => &devnet.clearing_wasm,
                    Target::DidRegistry => &devnet.registry_wasm,
                    Target::Bridge => &devnet.bridge_wasm,
                };
                devnet.progress.step(&format!("storing {what} ({} KiB)", wasm.len() / 1024));
                let (code_id, _) = devnet
                    .client
                    .store_code(operator, wasm, Gas::Auto)
                    .await
                    .with_context(|| format!("storing {what}"))?;
                devnet.progress.step(&format!("instantiating {what} (code id {code_id})"));
                let (address, outcome) = devnet
                    .client
                    .instantiate(operator, code_id, msg, &label, Some(operator.address()), &[], Gas::Auto)
                    .await
                    .with_context(|| format!("instantiating {what}"))?;
                Ok((address, Some(outcome.gas_used)))
            }
        }
    }

    /// The embedded chain and the packets its contracts sent (`None` on the devnet).
    pub(super) fn embedded_chain(&mut self) -> Option<(&mut IbcChain, &SentQueue)> {
        match &mut self.backend {
            Backend::Embedded(app, sent) => Some((app, sent)),
            Backend::Devnet(_) => None,
        }
    }

    /// On the devnet, records the contracts deployed so far in the devnet's folder, so that
    /// `resource underwriting ...` finds them after the demo; returns where.
    pub(super) fn record_deployment(&self) -> anyhow::Result<Option<PathBuf>> {
        let Backend::Devnet(devnet) = &self.backend else { return Ok(None) };
        let deployment = Deployment {
            chain_id: devnet.client.config().chain_id.clone(),
            deployed_by: "resource demo --chain devnet".into(),
            credit_token: self.token.clone(),
            underwriting: Some(self.underwriting.clone()).filter(|a| !a.is_empty()),
            clearing: Some(self.clearing.clone()).filter(|a| !a.is_empty()),
            did_registry: Some(self.registry.clone()).filter(|a| !a.is_empty()),
        };
        Ok(Some(deployment.save(&devnet.home)?))
    }

    /// Coins of the stake denom `address` holds.
    pub(super) async fn stake_coins(&self, address: &str) -> anyhow::Result<u128> {
        match &self.backend {
            Backend::Embedded(app, _) => Ok(app.wrap().query_balance(address, STAKE_DENOM)?.amount.u128()),
            Backend::Devnet(devnet) => Ok(devnet.client.bank_balance(address, STAKE_DENOM).await?),
        }
    }

    /// The application `member` made in the story.
    pub(super) fn application_of(&self, member: &Role) -> anyhow::Result<u64> {
        self.applications
            .iter()
            .find(|(account, _)| *account == member.account)
            .map(|(_, id)| *id)
            .ok_or_else(|| anyhow!("{} has not applied for a credit line in the story", member.name))
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
            Backend::Embedded(..) => println!("{text}"),
        }
    }

    pub(super) fn address(&self, account: &str) -> &str {
        self.addresses.iter().find(|(a, _)| *a == account).map(|(_, address)| address.as_str()).expect("a role")
    }

    /// Who has `address` in the story (the address itself for anyone else).
    pub(super) fn name_of(&self, address: &str) -> String {
        if !self.bridge.is_empty() && self.bridge == address {
            return "Asheville's meta-bridge".into();
        }
        for target in [Target::Token, Target::Underwriting, Target::Clearing, Target::DidRegistry] {
            if self.contract(target) == address {
                let name = target.name();
                return name.strip_prefix("the ").unwrap_or(name).to_string();
            }
        }
        let account = self.addresses.iter().find(|(_, a)| a == address).map(|(account, _)| *account);
        roles().find(|role| Some(role.account) == account).map_or_else(|| address.to_string(), |r| r.name.into())
    }

    fn contract(&self, target: Target) -> &str {
        match target {
            Target::Token => &self.token,
            Target::Underwriting => &self.underwriting,
            Target::Clearing => &self.clearing,
            Target::DidRegistry => &self.registry,
            Target::Bridge => &self.bridge,
        }
    }

    /// The chain's id (the DIDs of its accounts name it).
    pub(super) fn chain_id(&self) -> String {
        match &self.backend {
            Backend::Embedded(app, _) => app.block_info().chain_id,
            Backend::Devnet(devnet) => devnet.client.config().chain_id.clone(),
        }
    }

    /// Unix seconds on the chain, for credit-line terms and due dates.
    pub(super) fn now(&self) -> anyhow::Result<u64> {
        match &self.backend {
            Backend::Embedded(app, _) => Ok(app.block_info().time.seconds()),
            // The devnet's block time follows the wall clock; a term a year out is safe either way.
            Backend::Devnet(_) => Ok(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs()),
        }
    }

    /// Lets the chain's time pass `time` (unix seconds): the embedded chain moves its clock, the
    /// devnet is waited for, with a countdown saying it waits for `what`.
    pub(super) async fn wait_until(&mut self, time: u64, what: &str) -> anyhow::Result<()> {
        match &mut self.backend {
            Backend::Embedded(app, _) => {
                let now = app.block_info().time.seconds();
                app.update_block(|b| {
                    b.height += 1;
                    b.time = b.time.plus_seconds(time.saturating_sub(now));
                });
            }
            Backend::Devnet(devnet) => {
                crate::underwriting::wait_until(time, what, &devnet.progress).await;
            }
        }
        Ok(())
    }

    /// The operator closes the pending clearing round (on the devnet, retried while the chain's block
    /// time still lags the closing time).
    pub(super) async fn close_round(&mut self) -> anyhow::Result<Executed> {
        match &self.backend {
            Backend::Embedded(..) => {
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
        self.execute_with_stake(account, target, msg, 0).await
    }

    /// Executes `msg` on `target` as `account`, attaching `stake` coins of the stake denom (if any).
    pub(super) async fn execute_with_stake<M: Serialize + Debug>(
        &mut self,
        account: &str,
        target: Target,
        msg: &M,
        stake: u128,
    ) -> anyhow::Result<Executed> {
        let contract = self.contract(target).to_string();
        match &mut self.backend {
            Backend::Embedded(app, _) => {
                let funds = if stake > 0 { coins(stake, STAKE_DENOM) } else { Vec::new() };
                let response = app
                    .execute_contract(account.into_bech32(), Addr::unchecked(contract), msg, &funds)
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
                let funds: &[(u128, &str)] = if stake > 0 { &[(stake, STAKE_DENOM)] } else { &[] };
                let outcome = devnet.client.execute(devnet.wallet(account), &contract, msg, funds, Gas::Auto).await?;
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

    /// The credit accounts of `roles`, in order.
    pub(super) async fn accounts_of(&self, roles: &[&Role]) -> anyhow::Result<Vec<CreditAccountResponse>> {
        let mut accounts = Vec::with_capacity(roles.len());
        for role in roles {
            accounts.push(self.credit_account(self.address(role.account)).await?);
        }
        Ok(accounts)
    }

    /// The underwriters' positions, named.
    pub(super) async fn underwriter_positions(&self) -> anyhow::Result<Vec<(String, UnderwriterResponse)>> {
        let mut positions = Vec::with_capacity(UNDERWRITERS.len());
        for role in &UNDERWRITERS {
            let msg = UnderwritingQuery::Underwriter { address: self.address(role.account).into() };
            positions.push((role.name.to_string(), self.query(Target::Underwriting, &msg).await?));
        }
        Ok(positions)
    }

    /// Every account the token knows with a balance other than zero, named, in the order of the
    /// story's roles (then the contracts).
    pub(super) async fn balances_by_name(&self) -> anyhow::Result<Vec<(String, i128)>> {
        let mut balances = Vec::new();
        for address in self.all_accounts().await? {
            let balance = self.credit_account(&address).await?.balance.i128();
            if balance != 0 {
                balances.push((address, balance));
            }
        }
        let rank = |address: &str| roles().position(|role| self.address(role.account) == address).unwrap_or(usize::MAX);
        balances.sort_by_key(|(address, _)| rank(address));
        Ok(balances.into_iter().map(|(address, balance)| (self.name_of(&address), balance)).collect())
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
