//! The RPC client: queries, signing, broadcasting and waiting for inclusion.

use std::str::FromStr;
use std::time::{Duration, Instant};

use cosmrs::bank::MsgSend;
use cosmrs::cosmwasm::{MsgExecuteContract, MsgInstantiateContract, MsgMigrateContract, MsgStoreCode};
use cosmrs::proto::cosmos::auth::v1beta1::{QueryAccountRequest, QueryAccountResponse};
use cosmrs::proto::cosmos::bank::v1beta1::{QueryBalanceRequest, QueryBalanceResponse};
use cosmrs::proto::cosmos::base::query::v1beta1::PageRequest;
use cosmrs::proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use cosmrs::proto::cosmwasm::wasm::v1::{
    QueryCodesRequest, QueryCodesResponse, QueryContractInfoRequest, QueryContractInfoResponse,
    QueryContractsByCreatorRequest, QueryContractsByCreatorResponse, QueryRawContractStateRequest,
    QueryRawContractStateResponse, QuerySmartContractStateRequest, QuerySmartContractStateResponse,
};
use cosmrs::rpc::client::CompatMode;
use cosmrs::rpc::endpoint::{abci_query::AbciQuery, tx as tx_endpoint};
use cosmrs::rpc::error::ErrorDetail;
use cosmrs::rpc::{Client, HttpClient, HttpClientUrl};
use cosmrs::tendermint::{chain, Hash};
use cosmrs::tx::{Body, Fee, Msg, SignDoc, SignerInfo};
use cosmrs::{AccountId, Any, Coin};
use prost::Message;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::account::account_number_and_sequence;
use crate::error::{contract_message, parse_check_tx_error, parse_grpc_failure, AbciFailure, ClientError, Result};
use crate::{ChainConfig, TxOutcome, Wallet};

/// How the gas limit of a transaction is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gas {
    /// Simulate first, then use [`Gas::auto_limit`] of the simulated figure.
    Auto,
    /// Exactly this gas limit, no simulation (benchmarks compare `gas_used` under a fixed limit).
    Fixed(u64),
}

impl Gas {
    /// Simulated gas is multiplied by this percentage (x1.3)...
    pub const AUTO_PERCENT: u64 = 130;
    /// ...plus this margin, because a simulation is signed with a different fee than the real tx.
    pub const AUTO_MARGIN: u64 = 10_000;

    /// The gas limit [`Gas::Auto`] uses for a simulated figure.
    pub fn auto_limit(simulated: u64) -> u64 {
        (simulated.saturating_mul(Self::AUTO_PERCENT)).div_ceil(100).saturating_add(Self::AUTO_MARGIN)
    }
}

/// One contract call of [`ChainClient::execute_many`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExecuteCall {
    /// Contract address.
    pub contract: String,
    /// The execute message.
    pub msg: serde_json::Value,
    /// Coins sent along, as (amount, denom).
    pub funds: Vec<(u128, String)>,
}

impl ExecuteCall {
    /// A call of the typed message `msg` (e.g. a `resource_msgs` `ExecuteMsg`) without funds.
    ///
    /// [`ClientError::Json`] if `msg` has no JSON form (a map with non-string keys, a failing
    /// `Serialize` impl).
    pub fn from_msg(contract: impl Into<String>, msg: &impl Serialize) -> Result<Self> {
        let msg = serde_json::to_value(msg)
            .map_err(|source| ClientError::Json { context: "cannot serialize the contract message", source })?;
        Ok(ExecuteCall { contract: contract.into(), msg, funds: Vec::new() })
    }

    /// Adds coins sent with the call.
    pub fn with_funds(mut self, amount: u128, denom: impl Into<String>) -> Self {
        self.funds.push((amount, denom.into()));
        self
    }
}

/// A client for one chain through its CometBFT RPC endpoint.
#[derive(Debug, Clone)]
pub struct ChainClient {
    config: ChainConfig,
    rpc: HttpClient,
    chain_id: chain::Id,
    inclusion_timeout: Duration,
    /// Fee per gas unit as a fraction of `denom` units (`config.gas_price / 1` unless set).
    gas_price: (u128, u128),
    /// Percentage [`Gas::Auto`] multiplies simulated gas by.
    auto_percent: u64,
}

/// A contract's registration on chain (`/cosmwasm.wasm.v1.Query/ContractInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractInfo {
    /// The code it runs.
    pub code_id: u64,
    /// Who instantiated it.
    pub creator: String,
    /// Who may migrate it (empty: nobody).
    pub admin: String,
    /// Its label.
    pub label: String,
}

/// One stored code (`/cosmwasm.wasm.v1.Query/Codes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code id.
    pub code_id: u64,
    /// Who stored it.
    pub creator: String,
    /// SHA-256 of the (inflated) wasm, lower-case hex: what `sha256sum` prints for the artifact.
    pub checksum: String,
}

/// How often a broadcast transaction or a height is polled for.
const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Default time to wait for a broadcast transaction to land in a block.
const DEFAULT_INCLUSION_TIMEOUT: Duration = Duration::from_secs(30);
/// HTTP timeout per RPC call.
const RPC_TIMEOUT: Duration = Duration::from_secs(30);

impl ChainClient {
    /// Connects to `config.rpc` and checks that the node serves `config.chain_id`.
    pub async fn connect(config: ChainConfig) -> Result<Self> {
        let chain_id = chain::Id::from_str(&config.chain_id).map_err(|e| ClientError::InvalidConfig {
            field: "chain_id",
            value: config.chain_id.clone(),
            reason: one_line(e.trace()),
        })?;
        let url = HttpClientUrl::from_str(&config.rpc).map_err(|e| ClientError::InvalidConfig {
            field: "rpc",
            value: config.rpc.clone(),
            reason: one_line(e.trace()),
        })?;
        // Explicit: the node reports CometBFT 1.0.1, which tendermint-rpc's version detection rejects.
        let rpc =
            HttpClient::builder(url).compat_mode(CompatMode::V0_38).timeout(RPC_TIMEOUT).build().map_err(|e| {
                ClientError::InvalidConfig { field: "rpc", value: config.rpc.clone(), reason: one_line(e.trace()) }
            })?;
        let gas_price = (config.gas_price, 1);
        let client = ChainClient {
            config,
            rpc,
            chain_id,
            inclusion_timeout: DEFAULT_INCLUSION_TIMEOUT,
            gas_price,
            auto_percent: Gas::AUTO_PERCENT,
        };
        let status = client.rpc.status().await.map_err(|e| client.rpc_error(e))?;
        let actual = status.node_info.network.to_string();
        if actual != client.config.chain_id {
            return Err(ClientError::ChainIdMismatch {
                url: client.config.rpc.clone(),
                expected: client.config.chain_id.clone(),
                actual,
            });
        }
        Ok(client)
    }

    /// Sets how long [`ChainClient::broadcast`] waits for a transaction to be included (30 s by default).
    pub fn with_inclusion_timeout(mut self, timeout: Duration) -> Self {
        self.inclusion_timeout = timeout;
        self
    }

    /// Sets the fee per gas unit to `numerator / denominator` units of the fee denom, for chains
    /// whose minimum gas price is not a whole number (`0.025uatom` is `(25, 1000)`); fees are
    /// rounded up. [`ClientError::InvalidConfig`] for a zero denominator.
    pub fn with_gas_price_fraction(mut self, numerator: u128, denominator: u128) -> Result<Self> {
        if denominator == 0 {
            return Err(ClientError::InvalidConfig {
                field: "gas_price",
                value: format!("{numerator}/{denominator}"),
                reason: "the denominator is 0".into(),
            });
        }
        self.gas_price = (numerator, denominator);
        Ok(self)
    }

    /// Sets the percentage [`Gas::Auto`] multiplies the simulated gas by (130 by default; the
    /// margin of [`Gas::AUTO_MARGIN`] is added either way). At least 100.
    pub fn with_gas_adjustment_percent(mut self, percent: u64) -> Self {
        self.auto_percent = percent.max(100);
        self
    }

    /// The fee of `gas_limit` gas at this client's gas price, rounded up.
    pub fn fee_for(&self, gas_limit: u64) -> Result<u128> {
        fee_of(gas_limit, self.gas_price)
    }

    /// The configuration this client was connected with.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// Height of the latest block.
    pub async fn height(&self) -> Result<u64> {
        let status = self.rpc.status().await.map_err(|e| self.rpc_error(e))?;
        Ok(status.sync_info.latest_block_height.value())
    }

    /// Time of the latest block, in unix seconds: the `now` a contract call would see next.
    pub async fn block_time(&self) -> Result<u64> {
        let status = self.rpc.status().await.map_err(|e| self.rpc_error(e))?;
        Ok(status.sync_info.latest_block_time.unix_timestamp().max(0) as u64)
    }

    /// Waits until the chain is at `height` or above; returns the height reached.
    pub async fn wait_for_height(&self, height: u64, timeout: Duration) -> Result<u64> {
        let start = Instant::now();
        loop {
            let current = self.height().await?;
            if current >= height {
                return Ok(current);
            }
            if start.elapsed() >= timeout {
                return Err(ClientError::HeightTimeout { height, current, waited: start.elapsed() });
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Account number and sequence of `address`.
    pub async fn account(&self, address: &str) -> Result<(u64, u64)> {
        const PATH: &str = "/cosmos.auth.v1beta1.Query/Account";
        let request = QueryAccountRequest { address: address.to_owned() };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            // Accounts only exist once they have received something.
            if answer.log.contains("not found") {
                return Err(ClientError::AccountNotFound {
                    address: address.to_owned(),
                    chain_id: self.config.chain_id.clone(),
                });
            }
            return Err(query_error(PATH, &answer));
        }
        let response: QueryAccountResponse = decode(PATH, &answer.value)?;
        let account = response.account.ok_or_else(|| ClientError::AccountNotFound {
            address: address.to_owned(),
            chain_id: self.config.chain_id.clone(),
        })?;
        account_number_and_sequence(&account)
    }

    /// Balance of `address` in `denom` (0 for unknown accounts).
    pub async fn bank_balance(&self, address: &str, denom: &str) -> Result<u128> {
        const PATH: &str = "/cosmos.bank.v1beta1.Query/Balance";
        let request = QueryBalanceRequest { address: address.to_owned(), denom: denom.to_owned() };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            return Err(query_error(PATH, &answer));
        }
        let response: QueryBalanceResponse = decode(PATH, &answer.value)?;
        let Some(coin) = response.balance else {
            return Ok(0);
        };
        coin.amount.parse().map_err(|e: std::num::ParseIntError| ClientError::Decode {
            what: format!("balance `{}`", coin.amount),
            reason: e.to_string(),
        })
    }

    /// Sends `amount` of the configured denom from `wallet` to `to`.
    pub async fn bank_send(&self, wallet: &Wallet, to: &str, amount: u128, gas: Gas) -> Result<TxOutcome> {
        let msg = MsgSend {
            from_address: wallet.account_id().clone(),
            to_address: self.parse_address(to)?,
            amount: vec![coin(amount, &self.config.denom)?],
        };
        self.broadcast(wallet, vec![to_any(&msg)?], gas).await
    }

    /// Uploads contract code, gzipped (wasmd inflates it; the code hash is the plain code's);
    /// returns the new code id.
    pub async fn store_code(&self, wallet: &Wallet, wasm: &[u8], gas: Gas) -> Result<(u64, TxOutcome)> {
        let msg = MsgStoreCode {
            sender: wallet.account_id().clone(),
            wasm_byte_code: gzip_wasm(wasm)?,
            instantiate_permission: None,
        };
        let outcome = self.broadcast(wallet, vec![to_any(&msg)?], gas).await?;
        let code_id = event_value(&outcome, "store_code", "code_id")?;
        let code_id = code_id.parse().map_err(|e: std::num::ParseIntError| ClientError::Decode {
            what: format!("code id `{code_id}`"),
            reason: e.to_string(),
        })?;
        Ok((code_id, outcome))
    }

    /// Instantiates `code_id`; returns the new contract's address.
    #[allow(clippy::too_many_arguments)] // mirrors MsgInstantiateContract's fields one to one
    pub async fn instantiate(
        &self,
        wallet: &Wallet,
        code_id: u64,
        msg: &impl Serialize,
        label: &str,
        admin: Option<&str>,
        funds: &[(u128, &str)],
        gas: Gas,
    ) -> Result<(String, TxOutcome)> {
        let msg = MsgInstantiateContract {
            sender: wallet.account_id().clone(),
            admin: admin.map(|a| self.parse_address(a)).transpose()?,
            code_id,
            label: Some(label.to_owned()),
            msg: to_json(msg)?,
            funds: coins(funds.iter().map(|(amount, denom)| (*amount, *denom)))?,
        };
        let outcome = self.broadcast(wallet, vec![to_any(&msg)?], gas).await?;
        let address = event_value(&outcome, "instantiate", "_contract_address")?.to_owned();
        Ok((address, outcome))
    }

    /// Executes `msg` on `contract`.
    pub async fn execute(
        &self,
        wallet: &Wallet,
        contract: &str,
        msg: &impl Serialize,
        funds: &[(u128, &str)],
        gas: Gas,
    ) -> Result<TxOutcome> {
        let msg = MsgExecuteContract {
            sender: wallet.account_id().clone(),
            contract: self.parse_address(contract)?,
            msg: to_json(msg)?,
            funds: coins(funds.iter().map(|(amount, denom)| (*amount, *denom)))?,
        };
        self.broadcast(wallet, vec![to_any(&msg)?], gas).await
    }

    /// Executes several contract calls in one transaction, in order (all or nothing).
    pub async fn execute_many(&self, wallet: &Wallet, calls: Vec<ExecuteCall>, gas: Gas) -> Result<TxOutcome> {
        let msgs = calls
            .iter()
            .map(|call| {
                to_any(&MsgExecuteContract {
                    sender: wallet.account_id().clone(),
                    contract: self.parse_address(&call.contract)?,
                    msg: to_json(&call.msg)?,
                    funds: coins(call.funds.iter().map(|(amount, denom)| (*amount, denom.as_str())))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.broadcast(wallet, msgs, gas).await
    }

    /// Migrates `contract` to `new_code_id` (the wallet must be the contract's admin).
    pub async fn migrate(
        &self,
        wallet: &Wallet,
        contract: &str,
        new_code_id: u64,
        msg: &impl Serialize,
        gas: Gas,
    ) -> Result<TxOutcome> {
        let msg = MsgMigrateContract {
            sender: wallet.account_id().clone(),
            contract: self.parse_address(contract)?,
            code_id: new_code_id,
            msg: to_json(msg)?,
        };
        self.broadcast(wallet, vec![to_any(&msg)?], gas).await
    }

    /// The registration of the contract at `address`: `None` when no contract lives there.
    pub async fn contract_info(&self, address: &str) -> Result<Option<ContractInfo>> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/ContractInfo";
        let request = QueryContractInfoRequest { address: self.parse_address(address)?.to_string() };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            if answer.log.contains("not found") {
                return Ok(None);
            }
            return Err(query_error(PATH, &answer));
        }
        let response: QueryContractInfoResponse = decode(PATH, &answer.value)?;
        Ok(response.contract_info.map(|info| ContractInfo {
            code_id: info.code_id,
            creator: info.creator,
            admin: info.admin,
            label: info.label,
        }))
    }

    /// Stored codes, newest first, at most `limit` of them (read 100 a page).
    pub async fn codes(&self, limit: usize) -> Result<Vec<CodeInfo>> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/Codes";
        const PAGE: u64 = 100;
        let mut out = Vec::new();
        let mut key = Vec::new();
        loop {
            let pagination =
                PageRequest { key: key.clone(), offset: 0, limit: PAGE, count_total: false, reverse: true };
            let request = QueryCodesRequest { pagination: Some(pagination) };
            let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
            if answer.code.is_err() {
                return Err(query_error(PATH, &answer));
            }
            let response: QueryCodesResponse = decode(PATH, &answer.value)?;
            out.extend(response.code_infos.into_iter().map(|info| CodeInfo {
                code_id: info.code_id,
                creator: info.creator,
                checksum: hex::encode(info.data_hash),
            }));
            key = response.pagination.map(|p| p.next_key).unwrap_or_default();
            if key.is_empty() || out.len() >= limit {
                out.truncate(limit);
                return Ok(out);
            }
        }
    }

    /// The addresses of the contracts `creator` instantiated, oldest first, at most `limit` of them.
    pub async fn contracts_by_creator(&self, creator: &str, limit: usize) -> Result<Vec<String>> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/ContractsByCreator";
        const PAGE: u64 = 100;
        let mut out = Vec::new();
        let mut key = Vec::new();
        loop {
            let pagination =
                PageRequest { key: key.clone(), offset: 0, limit: PAGE, count_total: false, reverse: false };
            let request = QueryContractsByCreatorRequest {
                creator_address: self.parse_address(creator)?.to_string(),
                pagination: Some(pagination),
            };
            let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
            if answer.code.is_err() {
                return Err(query_error(PATH, &answer));
            }
            let response: QueryContractsByCreatorResponse = decode(PATH, &answer.value)?;
            out.extend(response.contract_addresses);
            key = response.pagination.map(|p| p.next_key).unwrap_or_default();
            if key.is_empty() || out.len() >= limit {
                out.truncate(limit);
                return Ok(out);
            }
        }
    }

    /// The newest stored code whose SHA-256 is `checksum` (hex, either case), if any: code
    /// uploaded before is found by what it is, not by who uploaded it. Looks through the newest
    /// `limit` codes.
    pub async fn find_code_by_checksum(&self, checksum: &str, limit: usize) -> Result<Option<u64>> {
        let wanted = checksum.to_ascii_lowercase();
        Ok(self.codes(limit).await?.into_iter().find(|code| code.checksum == wanted).map(|code| code.code_id))
    }

    /// The checksum (lower-case hex SHA-256) of code `code_id`, `None` if no such code is stored
    /// (wasmd's `CodeInfo` query, or the code list where the node has no such query).
    pub async fn code_checksum(&self, code_id: u64) -> Result<Option<String>> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/CodeInfo";
        // wasmd 0.51+: QueryCodeInfoRequest { code_id = 1 } -> { code_id = 1, creator = 2, checksum = 3, .. };
        // cosmos-sdk-proto 0.27 predates it, so the two messages are declared here.
        #[derive(Clone, PartialEq, prost::Message)]
        struct QueryCodeInfoRequest {
            #[prost(uint64, tag = "1")]
            code_id: u64,
        }
        #[derive(Clone, PartialEq, prost::Message)]
        struct QueryCodeInfoResponse {
            #[prost(uint64, tag = "1")]
            code_id: u64,
            #[prost(string, tag = "2")]
            creator: String,
            #[prost(bytes = "vec", tag = "3")]
            checksum: Vec<u8>,
        }
        let answer = self.abci_query(PATH, QueryCodeInfoRequest { code_id }.encode_to_vec()).await?;
        if answer.code.is_err() {
            if answer.log.contains("not found") {
                return Ok(None);
            }
            // Older wasmd (0.53 among them) has no CodeInfo query: the code list carries checksums too.
            if answer.log.contains("unknown query path") {
                let codes = self.codes(usize::MAX).await?;
                return Ok(codes.into_iter().find(|code| code.code_id == code_id).map(|code| code.checksum));
            }
            return Err(query_error(PATH, &answer));
        }
        let response: QueryCodeInfoResponse = decode(PATH, &answer.value)?;
        Ok((response.code_id == code_id && !response.checksum.is_empty()).then(|| hex::encode(response.checksum)))
    }

    /// Smart query of `contract`, its JSON answer decoded as `T`.
    pub async fn query_smart<T: DeserializeOwned>(&self, contract: &str, msg: &impl Serialize) -> Result<T> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/SmartContractState";
        let request = QuerySmartContractStateRequest {
            address: self.parse_address(contract)?.to_string(),
            query_data: to_json(msg)?,
        };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            return Err(query_error(PATH, &answer));
        }
        let response: QuerySmartContractStateResponse = decode(PATH, &answer.value)?;
        serde_json::from_slice(&response.data).map_err(|source| ClientError::Json {
            context: "contract query answer does not match the expected type",
            source,
        })
    }

    /// The raw value `contract` stores under `key` (e.g. cw2's `contract_info`): `None` when it
    /// stores nothing there.
    pub async fn query_raw(&self, contract: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        const PATH: &str = "/cosmwasm.wasm.v1.Query/RawContractState";
        let request = QueryRawContractStateRequest {
            address: self.parse_address(contract)?.to_string(),
            query_data: key.to_vec(),
        };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            return Err(query_error(PATH, &answer));
        }
        let response: QueryRawContractStateResponse = decode(PATH, &answer.value)?;
        Ok((!response.data.is_empty()).then_some(response.data))
    }

    /// Gas the messages use when `wallet` sends them now, by simulation (no multiplier applied).
    pub async fn simulate(&self, wallet: &Wallet, msgs: &[Any]) -> Result<u64> {
        let (account_number, sequence) = self.account(wallet.address()).await?;
        self.simulate_at(wallet, msgs, account_number, sequence).await
    }

    /// Signs `msgs` with `wallet`, broadcasts them in one transaction and waits until it is in a block.
    /// Any failure (at check time or in the block) comes back as the matching [`ClientError`].
    pub async fn broadcast(&self, wallet: &Wallet, msgs: Vec<Any>, gas: Gas) -> Result<TxOutcome> {
        let (account_number, sequence) = self.account(wallet.address()).await?;
        let gas_limit = match gas {
            Gas::Fixed(limit) => limit,
            Gas::Auto => {
                let simulated = self.simulate_at(wallet, &msgs, account_number, sequence).await?;
                simulated.saturating_mul(self.auto_percent).div_ceil(100).saturating_add(Gas::AUTO_MARGIN)
            }
        };
        let fee_amount = self.fee_for(gas_limit)?;
        let fee = Fee::from_amount_and_gas(coin(fee_amount, &self.config.denom)?, gas_limit);
        let tx_bytes = self.sign(wallet, msgs, fee, account_number, sequence)?;
        let hash = hex::encode_upper(Sha256::digest(&tx_bytes));

        match self.rpc.broadcast_tx_sync(tx_bytes).await {
            // Older nodes answer a failed CheckTx with a result carrying a non-zero code.
            Ok(response) if response.code.is_err() => {
                return Err(AbciFailure {
                    code: response.code.value(),
                    codespace: response.codespace,
                    log: response.log,
                }
                .into_tx_error(None))
            }
            Ok(_) => {}
            Err(err) => return Err(self.broadcast_error(err)),
        }
        self.wait_for_tx(&hash).await
    }

    /// Looks a transaction up by hash: `None` while it is not (yet) in a block.
    /// A transaction that is in a block but failed comes back as the matching error.
    pub async fn tx(&self, hash: &str) -> Result<Option<TxOutcome>> {
        match self.lookup_tx(hash).await? {
            None => Ok(None),
            Some(response) => outcome_or_error(&response).map(Some),
        }
    }

    /// The newest `limit` successful transactions (at most 100) with a `wasm` event of `contract`
    /// whose `key` is `value` (e.g. `action` = `declare_default`), newest first, from the node's
    /// transaction index. A node that indexes no transactions answers with an error.
    pub async fn search_contract_txs(
        &self,
        contract: &str,
        key: &str,
        value: &str,
        limit: u8,
    ) -> Result<Vec<TxOutcome>> {
        let key = format!("wasm.{key}");
        self.search_txs(&[("wasm._contract_address", contract), (&key, value)], limit).await
    }

    /// The newest `limit` successful transactions (at most 100) with events matching every
    /// `(event.attribute, value)` of `conditions`, newest first, from the node's transaction index.
    pub async fn search_txs(&self, conditions: &[(&str, &str)], limit: u8) -> Result<Vec<TxOutcome>> {
        use cosmrs::rpc::query::Query;
        let (first, rest) = conditions.split_first().ok_or_else(|| ClientError::InvalidConfig {
            field: "transaction search",
            value: String::new(),
            reason: "no condition given".into(),
        })?;
        let query = rest.iter().fold(Query::eq(first.0, first.1), |q, (k, v)| q.and_eq(*k, *v));
        let found = self
            .rpc
            .tx_search(query, false, 1, limit.clamp(1, 100), cosmrs::rpc::Order::Descending)
            .await
            .map_err(|e| self.rpc_error(e))?;
        Ok(found.txs.iter().filter(|tx| tx.tx_result.code.is_ok()).map(TxOutcome::from_response).collect())
    }

    async fn wait_for_tx(&self, hash: &str) -> Result<TxOutcome> {
        let start = Instant::now();
        loop {
            if let Some(response) = self.lookup_tx(hash).await? {
                return outcome_or_error(&response);
            }
            if start.elapsed() >= self.inclusion_timeout {
                return Err(ClientError::NotIncluded { hash: hash.to_owned(), waited: start.elapsed() });
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    async fn lookup_tx(&self, hash: &str) -> Result<Option<tx_endpoint::Response>> {
        let parsed = Hash::from_str(hash).map_err(|e| ClientError::InvalidConfig {
            field: "transaction hash",
            value: hash.to_owned(),
            reason: one_line(e.trace()),
        })?;
        match self.rpc.tx(parsed, false).await {
            Ok(response) => Ok(Some(response)),
            // Until the tx is in a block (and indexed) the node says `tx (<HASH>) not found`.
            Err(err) if response_message(&err).is_some_and(|m| m.contains("not found")) => Ok(None),
            Err(err) => Err(self.rpc_error(err)),
        }
    }

    async fn simulate_at(&self, wallet: &Wallet, msgs: &[Any], account_number: u64, sequence: u64) -> Result<u64> {
        const PATH: &str = "/cosmos.tx.v1beta1.Service/Simulate";
        // Simulation skips the minimum-fee check, but paying *some* fee matters: moving the fee to
        // the fee collector costs ~29k gas, which an empty fee would leave out of the estimate.
        // One unit keeps the estimate right for any balance that can pay the real fee.
        let fee = Fee::from_amount_and_gas(coin(1, &self.config.denom)?, 0u64);
        let tx_bytes = self.sign(wallet, msgs.to_vec(), fee, account_number, sequence)?;
        let request = SimulateRequest { tx_bytes, ..Default::default() };
        let answer = self.abci_query(PATH, request.encode_to_vec()).await?;
        if answer.code.is_err() {
            // The gRPC layer wraps the tx's own failure: recover its code and codespace.
            let failure = parse_grpc_failure(&answer.log).unwrap_or(AbciFailure {
                code: answer.code.value(),
                codespace: answer.codespace,
                log: answer.log,
            });
            return Err(failure.into_tx_error(None));
        }
        let response: SimulateResponse = decode(PATH, &answer.value)?;
        response.gas_info.map(|info| info.gas_used).ok_or_else(|| ClientError::Decode {
            what: "simulation result".into(),
            reason: "no gas_info in the answer".into(),
        })
    }

    fn sign(&self, wallet: &Wallet, msgs: Vec<Any>, fee: Fee, account_number: u64, sequence: u64) -> Result<Vec<u8>> {
        let signing = |e: cosmrs::ErrorReport| ClientError::Signing { reason: format!("{e:#}") };
        let body = Body::new(msgs, "", 0u32);
        let auth_info = SignerInfo::single_direct(Some(wallet.public_key()), sequence).auth_info(fee);
        let sign_doc = SignDoc::new(&body, &auth_info, &self.chain_id, account_number).map_err(signing)?;
        sign_doc.sign(wallet.signing_key()).map_err(signing)?.to_bytes().map_err(signing)
    }

    /// A read of the chain's state. Reads are idempotent, so one that failed in transport (an idle
    /// pooled connection the node closed while the caller waited, "connection closed before message
    /// completed") is sent once more before the error is reported.
    async fn abci_query(&self, path: &str, data: Vec<u8>) -> Result<AbciQuery> {
        match self.rpc.abci_query(Some(path.to_owned()), data.clone(), None, false).await {
            Err(e) if matches!(e.detail(), cosmrs::rpc::error::ErrorDetail::Http(_)) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                self.rpc.abci_query(Some(path.to_owned()), data, None, false).await.map_err(|e| self.rpc_error(e))
            }
            other => other.map_err(|e| self.rpc_error(e)),
        }
    }

    /// Parses a bech32 address and checks it has this chain's prefix.
    fn parse_address(&self, address: &str) -> Result<AccountId> {
        let id = AccountId::from_str(address)
            .map_err(|e| ClientError::InvalidAddress { address: address.to_owned(), reason: format!("{e:#}") })?;
        if id.prefix() != self.config.prefix {
            return Err(ClientError::InvalidAddress {
                address: address.to_owned(),
                reason: format!("expected the `{}` prefix of chain {}", self.config.prefix, self.config.chain_id),
            });
        }
        Ok(id)
    }

    fn broadcast_error(&self, err: cosmrs::rpc::Error) -> ClientError {
        match response_message(&err).and_then(|message| parse_check_tx_error(&message)) {
            Some(failure) => failure.into_tx_error(None),
            None => self.rpc_error(err),
        }
    }

    fn rpc_error(&self, err: cosmrs::rpc::Error) -> ClientError {
        let url = self.config.rpc.clone();
        if let Some(message) = response_message(&err) {
            return ClientError::NodeError { url, message };
        }
        match err.detail() {
            ErrorDetail::Parse(_)
            | ErrorDetail::Serde(_)
            | ErrorDetail::MalformedJson(_)
            | ErrorDetail::Tendermint(_) => ClientError::Decode { what: "RPC answer".into(), reason: describe(&err) },
            _ => ClientError::Rpc { url, message: describe(&err) },
        }
    }
}

/// A tendermint(-rpc) error and its causes on one line: their `Display` appends the whole
/// trace, with a backtrace when RUST_BACKTRACE is set.
fn describe(err: &cosmrs::rpc::Error) -> String {
    one_line(err.trace())
}

fn one_line(trace: &cosmrs::ErrorReport) -> String {
    format!("{trace:#}")
}

/// `gas_limit` gas at `numerator / denominator` per gas unit, rounded up.
fn fee_of(gas_limit: u64, (numerator, denominator): (u128, u128)) -> Result<u128> {
    u128::from(gas_limit).checked_mul(numerator).map(|n| n.div_ceil(denominator)).ok_or_else(|| ClientError::Signing {
        reason: format!("fee of {gas_limit} gas at gas_price {numerator}/{denominator} overflows"),
    })
}

/// The node's message of a JSON-RPC error answer (`data`, else `message`), if `err` is one.
fn response_message(err: &cosmrs::rpc::Error) -> Option<String> {
    match err.detail() {
        ErrorDetail::Response(detail) => {
            let source = &detail.source;
            Some(source.data().unwrap_or(source.message()).to_owned())
        }
        _ => None,
    }
}

fn outcome_or_error(response: &tx_endpoint::Response) -> Result<TxOutcome> {
    let result = &response.tx_result;
    if result.code.is_err() {
        let gas =
            (u64::try_from(result.gas_wanted).unwrap_or_default(), u64::try_from(result.gas_used).unwrap_or_default());
        return Err(AbciFailure {
            code: result.code.value(),
            codespace: result.codespace.clone(),
            log: result.log.clone(),
        }
        .into_tx_error(Some(gas)));
    }
    Ok(TxOutcome::from_response(response))
}

fn query_error(path: &str, answer: &AbciQuery) -> ClientError {
    // wasmd reports a contract's query error as codespace `sdk`, code 6 with this text in the log.
    if answer.codespace == "wasm" || answer.log.contains("query wasm contract failed") {
        return ClientError::ContractFailed { message: contract_message(&answer.log), log: answer.log.clone() };
    }
    ClientError::QueryFailed {
        path: path.to_owned(),
        code: answer.code.value(),
        codespace: answer.codespace.clone(),
        log: answer.log.clone(),
    }
}

fn decode<M: Message + Default>(path: &str, bytes: &[u8]) -> Result<M> {
    M::decode(bytes).map_err(|e| ClientError::Decode { what: format!("answer of {path}"), reason: e.to_string() })
}

fn event_value<'a>(outcome: &'a TxOutcome, kind: &str, key: &str) -> Result<&'a str> {
    outcome.attribute(kind, key).ok_or_else(|| ClientError::Decode {
        what: format!("transaction {}", outcome.tx_hash),
        reason: format!("no `{key}` in a `{kind}` event"),
    })
}

fn to_any(msg: &impl Msg) -> Result<Any> {
    msg.to_any().map_err(|e| ClientError::Signing { reason: format!("{e:#}") })
}

fn to_json(msg: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(msg)
        .map_err(|source| ClientError::Json { context: "cannot serialize the contract message", source })
}

fn coin(amount: u128, denom: &str) -> Result<Coin> {
    Coin::new(amount, denom).map_err(|e| ClientError::InvalidConfig {
        field: "denom",
        value: denom.to_owned(),
        reason: format!("{e:#}"),
    })
}

/// Coins in the denom order the SDK requires of a coin list.
fn coins<'a>(funds: impl Iterator<Item = (u128, &'a str)>) -> Result<Vec<Coin>> {
    let mut coins = funds.map(|(amount, denom)| coin(amount, denom)).collect::<Result<Vec<_>>>()?;
    coins.sort_by(|a, b| a.denom.as_ref().cmp(b.denom.as_ref()));
    Ok(coins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_gas_adds_thirty_percent_and_a_margin() {
        assert_eq!(Gas::auto_limit(100_000), 140_000);
        assert_eq!(Gas::auto_limit(140_998), 193_298);
        assert_eq!(Gas::auto_limit(0), Gas::AUTO_MARGIN);
    }

    #[test]
    fn a_typed_call_carries_the_message_json() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Msg {
            Accept { id: u64 },
        }
        let call = ExecuteCall::from_msg("contract", &Msg::Accept { id: 3 }).unwrap().with_funds(5, "inj");
        let expected = ExecuteCall {
            contract: "contract".into(),
            msg: serde_json::json!({"accept": {"id": 3}}),
            funds: vec![(5, "inj".into())],
        };
        assert_eq!(call, expected);
        let no_json_form = std::collections::BTreeMap::from([((1, 2), 3)]);
        let err = ExecuteCall::from_msg("contract", &no_json_form).unwrap_err();
        assert!(matches!(err, ClientError::Json { context: "cannot serialize the contract message", .. }), "{err}");
    }

    #[test]
    fn fees_at_fractional_gas_prices_are_rounded_up() {
        assert_eq!(fee_of(200_000, (500_000_000, 1)).unwrap(), 100_000_000_000_000);
        // 0.025uatom per gas: 200,000 gas cost 5,000; 200,001 gas 5,000.025, so 5,001.
        assert_eq!(fee_of(200_000, (25, 1000)).unwrap(), 5_000);
        assert_eq!(fee_of(200_001, (25, 1000)).unwrap(), 5_001);
        assert!(matches!(fee_of(u64::MAX, (u128::MAX, 1)), Err(ClientError::Signing { .. })));
    }

    #[test]
    fn funds_are_sorted_by_denom() {
        let sorted = coins([(5, "uatom"), (7, "inj")].into_iter()).unwrap();
        let denoms: Vec<&str> = sorted.iter().map(|c| c.denom.as_ref()).collect();
        assert_eq!(denoms, ["inj", "uatom"]);
        assert!(matches!(coins([(1, "")].into_iter()), Err(ClientError::InvalidConfig { field: "denom", .. })));
    }
}

/// `wasm` gzipped for `MsgStoreCode`, or as it is when it is gzipped already.
pub fn gzip_wasm(wasm: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    if wasm.starts_with(&[0x1f, 0x8b]) {
        return Ok(wasm.to_vec());
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(wasm).and_then(|()| encoder.finish()).map_err(|e| ClientError::Compress { reason: e.to_string() })
}

#[cfg(test)]
mod gzip_tests {
    use std::io::Read;

    #[test]
    fn uploads_are_gzipped_once_and_inflate_to_the_code() {
        let wasm: Vec<u8> = b"\0asm\x01\0\0\0".iter().copied().cycle().take(10_000).collect();
        let packed = super::gzip_wasm(&wasm).unwrap();
        assert!(packed.starts_with(&[0x1f, 0x8b]) && packed.len() < wasm.len() / 10);
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut inflated).unwrap();
        assert_eq!(inflated, wasm);
        assert_eq!(super::gzip_wasm(&packed).unwrap(), packed, "already gzipped: sent as it is");
    }
}
