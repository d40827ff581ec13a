//! `resource underwriting`: the underwriting contract (`contracts/underwriting`) from the command
//! line. Underwriters `stake`, `unbond` and `claim` their stake; members `apply` for credit lines
//! (citing verified claims and vouchers), `vouch` for newcomers (and `cancel-vouch`), and ask what
//! limit the scoring function would `suggest`; underwriters `back` (and `withdraw` from)
//! applications; anyone `settle`s a term that ended, `expire`s a stale application and turns new
//! fees into rewards (`distribute-fees`), which underwriters `claim-rewards`; the admin or the
//! applicant `reject`s one. `status` shows the configuration, the reward pool, one account's
//! position as underwriter and as member, and the applications. `deploy` puts a credit token and an
//! underwriting contract wired to it on the devnet.
//!
//! The contract is found the way the other commands find theirs: `--contract ADDRESS` (or
//! `$RESOURCE_UNDERWRITING`), else the deployment recorded in the devnet's folder by `deploy` or
//! `resource demo --chain devnet` ([`crate::deployment`]). Transactions are signed by a devnet test
//! account (`--from`). Every message is a `resource_msgs::underwriting` value sent through
//! `resource_client`; amounts are typed in whole units of the asset (`12.5`) and converted exactly.
use std::path::Path;

use resource_client::test_accounts::{test_account, TEST_ACCOUNTS};
use resource_client::{ChainClient, ClientError, Gas, TxOutcome, Wallet};
use resource_msgs::credit_token::{self, CreditAccountResponse};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationStatus, ApplicationsResponse, ConfigResponse, ExecuteMsg, PoolResponse, QueryMsg,
    ReceiveMsg, StakeAsset, UnderwriterResponse,
};
use serde::Serialize;

use crate::deployment::Deployment;
use crate::devnet::first_running_chain;
use crate::format;
use crate::ui::Progress;

mod command;
pub mod deploy;
pub mod report;

pub use command::{
    apply_command, back_command, claim_command, claim_rewards_command, close_command, distribute_fees_command,
    parse_claim, settle_command, stake_command, status_command, suggest_command, unbond_command, vouch_command,
    withdraw_command, Application, Listing, Output, Signer,
};

/// Everything `resource underwriting` refuses, each saying what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum UnderwritingCliError {
    #[error(
        "no underwriting contract given and none is recorded in {home}: pass --contract ADDRESS (or set \
         RESOURCE_UNDERWRITING), or deploy one with `resource underwriting deploy`"
    )]
    NoContract { home: String },
    #[error(
        "the underwriting contract recorded in {home} is on chain {recorded}, but the devnet runs {running}; pass \
         --contract ADDRESS or deploy again with `resource underwriting deploy`"
    )]
    OtherChain { home: String, recorded: String, running: String },
    #[error("{contract} does not answer as an underwriting contract ({reason}); check --contract")]
    NotUnderwriting { contract: String, reason: String },
    #[error("`{text}` is not an amount of {symbol}: {reason}")]
    BadAmount { text: String, symbol: String, reason: String },
    #[error("the amount must be above 0 {symbol}")]
    ZeroAmount { symbol: String },
    #[error("no test account `{name}`; use one of {names}")]
    UnknownAccount { name: String, names: String },
    #[error("`{text}` is neither a test account ({names}) nor an address starting with {prefix}1")]
    BadAddress { text: String, names: String, prefix: String },
    #[error("application {id} does not exist on {contract}; `resource underwriting status` lists the applications")]
    NoApplication { id: u64, contract: String },
    #[error("the underwriting contract refused {action}: {message}{hint}")]
    Refused { action: &'static str, message: String, hint: &'static str },
    #[error(
        "{who} has only {free} of free stake, not {requested}; stake more with `resource underwriting stake`, or \
         wait for backing to be released"
    )]
    NotEnoughFreeStake { who: String, free: String, requested: String },
    #[error("{who} has nothing unbonding; start with `resource underwriting unbond AMOUNT`")]
    NothingUnbonding { who: String },
    #[error(
        "application {id} is {status}, not approved: there is nothing to settle (`resource underwriting status` \
         shows it)"
    )]
    NotSettleable { id: u64, status: ApplicationStatus },
}

impl UnderwritingCliError {
    /// The contract's refusal of `action`, as the client reports it, with `hint` appended to it.
    fn refused(action: &'static str, error: ClientError, hint: &'static str) -> anyhow::Error {
        match error {
            ClientError::ContractFailed { message, .. } => {
                UnderwritingCliError::Refused { action, message, hint }.into()
            }
            other => anyhow::Error::new(other).context(format!("sending {action}")),
        }
    }
}

/// How a token's amounts are written: its symbol and decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Units {
    pub symbol: String,
    pub decimals: u32,
}

impl Units {
    /// The stake units of a native denom: the devnet's coin has 18 decimals; any other denom is
    /// shown in its base units, under its own name, since the chain does not say more.
    pub fn native(denom: &str) -> Units {
        if denom == crate::devnet::DENOM {
            Units { symbol: denom.to_uppercase(), decimals: 18 }
        } else {
            Units { symbol: denom.to_string(), decimals: 0 }
        }
    }

    /// `amount` base units with the symbol: `12.625 INJ`.
    pub fn show(&self, amount: u128) -> String {
        format!("{} {}", self.number(amount), self.symbol)
    }

    /// A signed balance with the symbol: `-10.10 rUSD`.
    pub fn show_signed(&self, balance: i128) -> String {
        format!("{} {}", format::signed_units(balance < 0, balance.unsigned_abs(), self.decimals), self.symbol)
    }

    /// `amount` base units without the symbol: `12.625`.
    pub fn number(&self, amount: u128) -> String {
        format::units(amount, self.decimals)
    }

    /// Parses an amount typed in whole units (above 0) into base units.
    pub fn parse(&self, text: &str) -> Result<u128, UnderwritingCliError> {
        let amount = format::parse_units(text, self.decimals).map_err(|reason| UnderwritingCliError::BadAmount {
            text: text.to_string(),
            symbol: self.symbol.clone(),
            reason,
        })?;
        if amount == 0 {
            return Err(UnderwritingCliError::ZeroAmount { symbol: self.symbol.clone() });
        }
        Ok(amount)
    }
}

/// How the configuration table names the stake asset.
pub fn describe_stake(asset: &StakeAsset) -> String {
    match asset {
        StakeAsset::Native { denom } => format!("native coin {denom}"),
        StakeAsset::Cw20 { address } => format!("cw20 token {address}"),
    }
}

/// The names of the test accounts, for messages.
fn account_names() -> String {
    TEST_ACCOUNTS.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

/// The wallet of the test account `name`.
pub fn test_wallet(name: &str, prefix: &str) -> anyhow::Result<Wallet> {
    let account = test_account(name)
        .ok_or_else(|| UnderwritingCliError::UnknownAccount { name: name.to_string(), names: account_names() })?;
    Ok(Wallet::from_mnemonic(account.mnemonic, prefix)?)
}

/// A connection to one underwriting contract: its configuration and the units of its two assets.
pub struct Session {
    pub client: ChainClient,
    pub contract: String,
    pub config: ConfigResponse,
    /// The credit token's units (lines, fees, rewards).
    pub credit: Units,
    /// The staked asset's units (stake, backing, exposure, slashes).
    pub stake: Units,
}

impl Session {
    /// Connects to the devnet of `home` and reads the contract's configuration: `contract`, or the
    /// one recorded in `home`.
    pub async fn open(home: &Path, contract: Option<&str>, progress: &Progress) -> anyhow::Result<Session> {
        let chain = first_running_chain(home)?;
        let contract = match contract.filter(|c| !c.is_empty()) {
            Some(contract) => contract.to_string(),
            None => recorded_contract(home, &chain.chain_id)?,
        };
        progress.step(&format!("reading the underwriting contract {contract} on {}", chain.chain_id));
        let client = ChainClient::connect(chain).await?;
        let config: ConfigResponse = client
            .query_smart(&contract, &QueryMsg::Config {})
            .await
            .map_err(|e| UnderwritingCliError::NotUnderwriting { contract: contract.clone(), reason: e.to_string() })?;
        let credit = cw20_units(&client, config.credit_token.as_str()).await?;
        let stake = stake_units(&client, &config.stake_asset).await?;
        Ok(Session { client, contract, config, credit, stake })
    }

    /// Bonds `amount` of the stake asset for `wallet`: coins attached to `Stake {}`, or the cw20
    /// token's `Send` to this contract with the `Stake {}` hook.
    pub async fn stake(&self, wallet: &Wallet, amount: u128) -> anyhow::Result<TxOutcome> {
        match &self.config.stake_asset {
            StakeAsset::Native { denom } => {
                self.execute(wallet, &ExecuteMsg::Stake {}, &[(amount, denom.as_str())], "Stake", "").await
            }
            StakeAsset::Cw20 { address } => {
                let send = cw20::Cw20ExecuteMsg::Send {
                    contract: self.contract.clone(),
                    amount: amount.into(),
                    msg: cosmwasm_std::to_json_binary(&ReceiveMsg::Stake {})?,
                };
                self.client
                    .execute(wallet, address, &send, &[], Gas::Auto)
                    .await
                    .map_err(|e| UnderwritingCliError::refused("Stake (through the stake token's Send)", e, ""))
            }
        }
    }

    pub fn prefix(&self) -> &str {
        &self.client.config().prefix
    }

    /// The address of `who`: a test account's name, or an address of this chain.
    pub fn address_of(&self, who: &str) -> anyhow::Result<String> {
        if let Some(account) = test_account(who) {
            return Ok(Wallet::from_mnemonic(account.mnemonic, self.prefix())?.address().to_string());
        }
        if who.starts_with(&format!("{}1", self.prefix())) && who.parse::<resource_client::cosmrs::AccountId>().is_ok()
        {
            return Ok(who.to_string());
        }
        Err(UnderwritingCliError::BadAddress {
            text: who.to_string(),
            names: account_names(),
            prefix: self.prefix().to_string(),
        }
        .into())
    }

    /// Sends `msg` to the contract from `wallet` with `funds`; a refusal names `action` and ends
    /// with `hint`.
    pub async fn execute(
        &self,
        wallet: &Wallet,
        msg: &ExecuteMsg,
        funds: &[(u128, &str)],
        action: &'static str,
        hint: &'static str,
    ) -> anyhow::Result<TxOutcome> {
        self.client
            .execute(wallet, &self.contract, msg, funds, Gas::Auto)
            .await
            .map_err(|e| UnderwritingCliError::refused(action, e, hint))
    }

    pub async fn underwriter(&self, address: &str) -> anyhow::Result<UnderwriterResponse> {
        Ok(self.client.query_smart(&self.contract, &QueryMsg::Underwriter { address: address.into() }).await?)
    }

    /// Refuses, before anything is signed, to lock or unbond more than `who`'s free stake (the
    /// contract would refuse it too, in base units).
    pub async fn check_free_stake(&self, who: &str, address: &str, amount: u128) -> anyhow::Result<()> {
        let free = self.underwriter(address).await?.free.u128();
        if amount > free {
            return Err(UnderwritingCliError::NotEnoughFreeStake {
                who: who.to_string(),
                free: self.stake.show(free),
                requested: self.stake.show(amount),
            }
            .into());
        }
        Ok(())
    }

    /// Application `id`; a missing one is [`UnderwritingCliError::NoApplication`].
    pub async fn application(&self, id: u64) -> anyhow::Result<ApplicationResponse> {
        match self.client.query_smart(&self.contract, &QueryMsg::Application { id }).await {
            Ok(application) => Ok(application),
            Err(ClientError::ContractFailed { message, .. }) if message.contains("not found") => {
                Err(UnderwritingCliError::NoApplication { id, contract: self.contract.clone() }.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// One page of the applications with `status`, by id.
    pub async fn applications(
        &self,
        status: ApplicationStatus,
        start_after: Option<u64>,
        limit: u32,
    ) -> anyhow::Result<Vec<ApplicationResponse>> {
        let msg = QueryMsg::Applications { status, start_after, limit: Some(limit) };
        let page: ApplicationsResponse = self.client.query_smart(&self.contract, &msg).await?;
        Ok(page.applications)
    }

    pub async fn pool(&self) -> anyhow::Result<PoolResponse> {
        Ok(self.client.query_smart(&self.contract, &QueryMsg::Pool {}).await?)
    }

    /// The credit the contract holds on the token: fees not yet paid out as rewards, and fees that
    /// arrived since the last `DistributeFees`.
    pub async fn credit_held(&self) -> anyhow::Result<u128> {
        let msg = credit_token::QueryMsg::Balance { address: self.contract.clone() };
        let balance: cw20::BalanceResponse = self.client.query_smart(self.config.credit_token.as_str(), &msg).await?;
        Ok(balance.balance.u128())
    }

    pub async fn credit_account(&self, member: &str) -> anyhow::Result<CreditAccountResponse> {
        let msg = credit_token::QueryMsg::CreditAccount { address: member.into() };
        Ok(self.client.query_smart(self.config.credit_token.as_str(), &msg).await?)
    }
}

/// The units of an underwriting contract's stake asset.
pub async fn stake_units(client: &ChainClient, asset: &StakeAsset) -> anyhow::Result<Units> {
    match asset {
        StakeAsset::Native { denom } => Ok(Units::native(denom)),
        StakeAsset::Cw20 { address } => cw20_units(client, address).await,
    }
}

/// The symbol and decimals of a cw20 token (the credit token is one too).
pub(crate) async fn cw20_units(client: &ChainClient, token: &str) -> anyhow::Result<Units> {
    let info: cw20::TokenInfoResponse = client.query_smart(token, &credit_token::QueryMsg::TokenInfo {}).await?;
    Ok(Units { symbol: info.symbol, decimals: u32::from(info.decimals) })
}

/// The underwriting contract recorded in `home` for the running chain `chain_id`.
fn recorded_contract(home: &Path, chain_id: &str) -> anyhow::Result<String> {
    let home_text = home.display().to_string();
    let deployment = Deployment::load(home)?;
    let Some(deployment) = deployment.filter(|d| d.underwriting.is_some()) else {
        return Err(UnderwritingCliError::NoContract { home: home_text }.into());
    };
    if deployment.chain_id != chain_id {
        return Err(UnderwritingCliError::OtherChain {
            home: home_text,
            recorded: deployment.chain_id,
            running: chain_id.to_string(),
        }
        .into());
    }
    Ok(deployment.underwriting.expect("filtered above"))
}

/// Unix seconds now, by the wall clock the devnet's block time follows.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Waits until the wall clock passes `at`, telling `progress` every second how long is left.
pub async fn wait_until(at: u64, what: &str, progress: &Progress) {
    loop {
        let now = now();
        if now > at {
            return;
        }
        progress.step(&format!("waiting {} for {what}", format::duration(at + 1 - now)));
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_show_and_parse_exactly() {
        let inj = Units::native("inj");
        assert_eq!((inj.symbol.as_str(), inj.decimals), ("INJ", 18));
        assert_eq!(inj.show(12_625 * 10u128.pow(15)), "12.625 INJ");
        assert_eq!(inj.parse("0.1").unwrap(), 10u128.pow(17));
        let other = Units::native("ustake");
        assert_eq!((other.symbol.as_str(), other.decimals), ("ustake", 0));
        assert_eq!(other.show(1_500), "1,500.00 ustake");
        assert!(matches!(other.parse("0.5"), Err(UnderwritingCliError::BadAmount { .. })));
        let rusd = Units { symbol: "rUSD".into(), decimals: 6 };
        assert!(matches!(rusd.parse("0"), Err(UnderwritingCliError::ZeroAmount { .. })));
        let err = rusd.parse("lots").unwrap_err().to_string();
        assert_eq!(err, "`lots` is not an amount of rUSD: write a number such as 250 or 12.5");
    }

    #[test]
    fn a_contract_refusal_keeps_its_message_and_adds_the_hint() {
        let refused = ClientError::ContractFailed {
            message: "application 9 does not exist; list them with the Applications query".into(),
            log: String::new(),
        };
        let err = UnderwritingCliError::refused("Back", refused, "").to_string();
        assert_eq!(err, "the underwriting contract refused Back: application 9 does not exist; list them with the Applications query");
        let other = ClientError::InsufficientFee { log: "x".into() };
        let err = format!("{:#}", UnderwritingCliError::refused("Stake", other, "; never shown"));
        assert!(err.starts_with("sending Stake: insufficient fee"), "{err}");
    }
}
