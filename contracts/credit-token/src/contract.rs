#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::Event as CwEvent;
use cosmwasm_std::{
    to_json_binary, Addr, Api, Binary, CanonicalAddr, Deps, DepsMut, Env, Int128, MessageInfo, Reply, Response,
    StdError, StdResult, Storage, SubMsg, Uint128,
};
use cw20::{BalanceResponse, Cw20ReceiveMsg, MarketingInfoResponse, MinterResponse, TokenInfoResponse};
use resource_core::did::ReputationEvent;
use resource_core::ledger::{
    self, validate_token_info, Account, FeeRate, LedgerError, LineChange, LinePolicy, LineTerms, Party, StatsDelta,
    TokenInfoError, TransferOutcome,
};
use resource_core::ledger::{DefaultOutcome, MinItd, Renewal, SyncOutcome};
use resource_cw::admin::{self, ROLE_ADMIN};

use crate::allowances::{
    execute_decrease_allowance, execute_increase_allowance, execute_send_from, execute_transfer_from, query_allowance,
};
use crate::enumerable::{query_all_accounts, query_all_allowances};
use crate::error::ContractError;
use crate::reputation::{self, records, Event, VouchRecord, REPLY_RECORD};
use crate::state::{
    load_account, load_config, load_hot_config, load_stats, save_account, save_config, save_hot_config, save_stats,
    Config, HotConfig, TokenInfo, MAX_FEE_EXEMPT, TOKEN_INFO,
};
use resource_msgs::credit_token::{
    ConfigResponse, ConfigUpdate, CreditAccountResponse, CreditLineView, CreditPeriodView, ExecuteMsg, InstantiateMsg,
    ItdResponse, MigrateMsg, NeededIncomeResponse, NetworkStatsResponse, PendingRecordsResponse, QueryMsg, VouchStatus,
    DEFAULT_MIN_GRACE_PERIOD, DEFAULT_MIN_TERM,
};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:credit-token";
/// The cw2 names this contract was stored under before (it migrates from them).
pub const EARLIER_CONTRACT_NAMES: &[&str] = &["crates.io:credit-token"];
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const ROLE_UNDERWRITING: &str = "the underwriting contract";

// ---------------------------------------------------------------------------------------------
// addresses: resource-cw's checks in this contract's error type

pub(crate) fn canon(api: &dyn Api, address: &str) -> Result<CanonicalAddr, ContractError> {
    resource_cw::canon(api, address)
}

pub(crate) fn checked(api: &dyn Api, address: &str) -> Result<(Addr, CanonicalAddr), ContractError> {
    resource_cw::checked(api, address)
}

/// [`canon`] for queries (same message, as a `StdError`).
pub(crate) fn query_canon(api: &dyn Api, address: &str) -> StdResult<CanonicalAddr> {
    canon(api, address).map_err(|e| StdError::generic_err(e.to_string()))
}

/// Whether `sender` is the address stored as `allowed` (one canonicalization, no humanize).
fn require(api: &dyn Api, sender: &Addr, allowed: &CanonicalAddr, role: &'static str) -> Result<(), ContractError> {
    admin::require(&canon(api, sender.as_str())?, allowed, role)
}

// ---------------------------------------------------------------------------------------------
// the one place accounts are written

/// One account touched by an operation: its key, its stored value before (`None`: new), after.
pub(crate) struct Change<'a> {
    pub key: &'a [u8],
    pub old: Option<Account>,
    pub new: Account,
}

/// Writes every touched account once; reads and writes the network counters only when one of them
/// changes (the counters' rules are resource-core's [`StatsDelta`] and `NetworkStats::apply`).
pub(crate) fn commit(
    storage: &mut dyn Storage,
    changes: &[Change],
    minted: u128,
    burned: u128,
) -> Result<(), ContractError> {
    let mut delta = StatsDelta::new(minted, burned)?;
    for c in changes {
        save_account(storage, c.key, &c.new);
        delta.add(c.old.as_ref(), &c.new)?;
    }
    if delta.is_zero() {
        return Ok(());
    }
    let mut stats = load_stats(storage)?;
    stats.apply(&delta)?;
    save_stats(storage, &stats);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// transfers

/// A transfer decided by the ledger, not yet written.
pub(crate) struct Plan {
    pub from: CanonicalAddr,
    pub to: CanonicalAddr,
    pub old_from: Option<Account>,
    pub old_to: Option<Account>,
    /// The fee collector when it is a third account.
    pub collector: Option<(CanonicalAddr, Option<Account>)>,
    pub outcome: TransferOutcome,
    /// A defaulted member's repayment of written-off debt to the loss account: its amount.
    pub recovered: Option<u128>,
}

/// How the money arrives: a plain transfer, or a `Send` with the receiving contract's hook.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    Plain,
    WithHook,
}

/// Reads the fee configuration and the touched accounts once each, and asks the ledger.
pub(crate) fn plan_transfer(
    storage: &dyn Storage,
    now: u64,
    from: CanonicalAddr,
    to: CanonicalAddr,
    amount: Uint128,
    delivery: Delivery,
) -> Result<Plan, ContractError> {
    let hot = load_hot_config(storage)?;
    if delivery == Delivery::Plain && hot.is_exempt(&to) {
        return Err(ContractError::PlainTransferToNetworkContract);
    }
    let old_from = load_account(storage, &from)?;
    let old_to = load_account(storage, &to)?;
    let fa = old_from.unwrap_or(Account::EMPTY);
    let ta = old_to.unwrap_or(Account::EMPTY);
    // Only a defaulted sender needs the cold config (the loss account): the status test first.
    let recovery = fa.status() == Some(ledger::LineStatus::Defaulted)
        && ledger::is_recovery(&fa, load_config(storage)?.loss_account == to);
    let sender = Party::new(from.as_slice(), &fa);
    let receiver = Party::new(to.as_slice(), &ta);
    let amount = amount.u128();
    let (base, risk) = if hot.fees_paused { (FeeRate::ZERO, FeeRate::ZERO) } else { (hot.fee, fa.risk_fee) };
    let role = ledger::collector_role(base, risk, hot.is_exempt(&from), &hot.fee_collector, &from, &to);
    // A third-party collector's account is read only when the payment pays it.
    let old_c = match role {
        ledger::CollectorRole::Third => Some(load_account(storage, &hot.fee_collector)?),
        _ => None,
    };
    let ca = old_c.flatten().unwrap_or(Account::EMPTY);
    let outcome = ledger::pay(sender, receiver, hot.fee_collector.as_slice(), role, &ca, recovery, base, amount, now)?;
    let collector = old_c.map(|old| (hot.fee_collector, old));
    Ok(Plan { from, to, old_from, old_to, collector, outcome, recovered: recovery.then_some(amount) })
}

/// What writing a transfer calls for besides its attributes: the registry records (a recovery's
/// `debt_recovered`, a renewal's `repaid_on_time`, when a DID registry is configured) and a
/// `credit_period_renewed` event per renewed period.
pub(crate) struct Settled {
    pub records: Vec<SubMsg>,
    pub events: Vec<CwEvent>,
}

/// Writes a planned transfer and returns what it calls for ([`Settled`]). The messages are built
/// first, so that nothing is written when one cannot be.
pub(crate) fn settle_transfer(deps: DepsMut, env: &Env, p: &Plan) -> Result<Settled, ContractError> {
    let renewals = p.renewals();
    let mut records = Vec::new();
    // The cold config (the registry) is read only when there is something to record.
    if p.recovered.is_some() || renewals.iter().any(|(_, r)| r.repaid_on_time.is_some()) {
        let registry = load_config(deps.storage)?.did_registry;
        if let Some(amount) = p.recovered {
            records = reputation::records(
                deps.api,
                env,
                registry.as_ref(),
                &p.from,
                [ReputationEvent::DebtRecovered { amount }],
            )?;
        }
        for (key, renewal) in &renewals {
            let repaid = renewal.repaid_on_time.map(|amount| ReputationEvent::RepaidOnTime { amount });
            records.extend(reputation::records(deps.api, env, registry.as_ref(), key, repaid)?);
        }
    }
    let events = renewals
        .iter()
        .map(|(key, renewal)| Ok(renewal_event(&deps.api.addr_humanize(key)?, *renewal)))
        .collect::<Result<Vec<_>, ContractError>>()?;
    commit_transfer(deps.storage, p)?;
    Ok(Settled { records, events })
}

impl Plan {
    /// The credit periods this payment renews, with their members' keys.
    pub(crate) fn renewals(&self) -> Vec<(&CanonicalAddr, Renewal)> {
        let r = &self.outcome.renewals;
        let collector = self.collector.as_ref().map(|(key, _)| key);
        [(Some(&self.from), r.sender), (Some(&self.to), r.receiver), (collector, r.collector)]
            .into_iter()
            .filter_map(|(key, renewal)| Some((key?, renewal?)))
            .collect()
    }
}

fn renewal_event(member: &Addr, renewal: Renewal) -> CwEvent {
    let event = CwEvent::new("credit_period_renewed")
        .add_attribute("member", member)
        .add_attribute("expiration", renewal.expiration.to_string());
    match renewal.repaid_on_time {
        Some(amount) => event.add_attribute("repaid_on_time", amount.to_string()),
        None => event,
    }
}

fn commit_transfer(storage: &mut dyn Storage, p: &Plan) -> Result<(), ContractError> {
    let o = &p.outcome;
    let sender = Change { key: &p.from, old: p.old_from, new: o.sender };
    let receiver = Change { key: &p.to, old: p.old_to, new: o.receiver };
    match (&p.collector, o.collector) {
        (Some((key, old)), Some(new)) => {
            commit(storage, &[sender, receiver, Change { key, old: *old, new }], o.minted, o.burned)
        }
        _ => commit(storage, &[sender, receiver], o.minted, o.burned),
    }
}

pub(crate) fn transfer_response(
    action: &'static str,
    from: &str,
    to: &str,
    o: &TransferOutcome,
    settled: Settled,
) -> Response {
    Response::new()
        .add_events(settled.events)
        .add_submessages(settled.records)
        .add_attribute("action", action)
        .add_attribute("from", from)
        .add_attribute("to", to)
        .add_attribute("amount", o.amount.to_string())
        .add_attribute("fee", o.fee.to_string())
        .add_attribute("minted", o.minted.to_string())
        .add_attribute("burned", o.burned.to_string())
}

// ---------------------------------------------------------------------------------------------
// instantiate

fn fee_exempt_list(api: &dyn Api, list: &[String]) -> Result<Vec<CanonicalAddr>, ContractError> {
    if list.len() > MAX_FEE_EXEMPT {
        return Err(ContractError::TooManyFeeExempt { max: MAX_FEE_EXEMPT });
    }
    list.iter().map(|a| checked(api, a).map(|(_, c)| c)).collect()
}

/// The rules between config fields: the grace period within the policy, and no fee ever reaching
/// written-off debt: the collector is not the loss account, nor an account holding written-off debt
/// (a former loss account: debt without a line), whose debt the fees would pay down.
fn check_configs(storage: &dyn Storage, hot: &HotConfig, cfg: &Config) -> Result<(), ContractError> {
    if hot.fee_collector == cfg.loss_account {
        return Err(ContractError::LossAccountIsFeeCollector);
    }
    cfg.check()?;
    let collector = load_account(storage, &hot.fee_collector)?.unwrap_or(Account::EMPTY);
    if collector.holds_written_off_debt() {
        return Err(ContractError::FeeCollectorHoldsWrittenOffDebt { debt: collector.debt() });
    }
    Ok(())
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    // Mapped into the token's own variants: embedding TokenInfoError makes the artifact larger.
    validate_token_info(&msg.name, &msg.symbol, msg.decimals).map_err(|e| match e {
        TokenInfoError::InvalidName => ContractError::InvalidName,
        TokenInfoError::InvalidSymbol => ContractError::InvalidSymbol,
        TokenInfoError::InvalidDecimals => ContractError::InvalidDecimals,
    })?;
    let api = deps.api;
    let admin = match &msg.admin {
        Some(a) => checked(api, a)?.1,
        None => canon(api, info.sender.as_str())?,
    };
    let underwriting = msg.underwriting.as_deref().map(|a| checked(api, a).map(|(_, c)| c)).transpose()?;
    let did_registry = msg.did_registry.as_deref().map(|a| checked(api, a).map(|(_, c)| c)).transpose()?;
    let hot = HotConfig {
        fee: FeeRate::new(msg.fee_bps)?,
        fee_collector: checked(api, &msg.fee_collector)?.1,
        fee_exempt: fee_exempt_list(api, &msg.fee_exempt)?,
        fees_paused: false,
    };
    let cfg = Config {
        admin,
        pending_admin: None,
        underwriting,
        loss_account: checked(api, &msg.loss_account)?.1,
        default_grace_period: msg.default_grace_period,
        did_registry,
        policy: LinePolicy {
            min_term: msg.min_term.unwrap_or(DEFAULT_MIN_TERM),
            min_grace_period: msg.min_grace_period.unwrap_or(DEFAULT_MIN_GRACE_PERIOD),
        },
    };
    check_configs(deps.storage, &hot, &cfg)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    TOKEN_INFO.save(deps.storage, &TokenInfo { name: msg.name, symbol: msg.symbol, decimals: msg.decimals })?;
    save_hot_config(deps.storage, &hot)?;
    save_config(deps.storage, &cfg)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

// ---------------------------------------------------------------------------------------------
// execute

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Transfer { recipient, amount } => execute_transfer(deps, env, info, recipient, amount),
        ExecuteMsg::Send { contract, amount, msg } => execute_send(deps, env, info, contract, amount, msg),
        ExecuteMsg::IncreaseAllowance { spender, amount, expires } => {
            execute_increase_allowance(deps, env, info, spender, amount, expires)
        }
        ExecuteMsg::DecreaseAllowance { spender, amount, expires } => {
            execute_decrease_allowance(deps, env, info, spender, amount, expires)
        }
        ExecuteMsg::TransferFrom { owner, recipient, amount } => {
            execute_transfer_from(deps, env, info, owner, recipient, amount)
        }
        ExecuteMsg::SendFrom { owner, contract, amount, msg } => {
            execute_send_from(deps, env, info, owner, contract, amount, msg)
        }
        ExecuteMsg::SetCreditLine { member, limit, term_end } => {
            execute_set_credit_line(deps, env, info, member, limit, term_end)
        }
        ExecuteMsg::CloseCreditLine { member } => execute_close_credit_line(deps, env, info, member),
        ExecuteMsg::SettleTerm { member } => execute_settle_term(deps, env, member),
        ExecuteMsg::RetryReputationRecords { limit } => reputation::retry(deps.storage, deps.api, &env, limit),
        ExecuteMsg::Freeze { member } => {
            let cfg = load_config(deps.storage)?;
            require(deps.api, &info.sender, &cfg.admin, ROLE_ADMIN)?;
            change_line(deps, &env, member, "freeze", ledger::freeze)
        }
        ExecuteMsg::Unfreeze { member } => {
            let cfg = load_config(deps.storage)?;
            require(deps.api, &info.sender, &cfg.admin, ROLE_ADMIN)?;
            change_line(deps, &env, member, "unfreeze", ledger::unfreeze)
        }
        ExecuteMsg::DeclareDefault { member } => execute_declare_default(deps, env, member),
        ExecuteMsg::SetCreditPeriod { member, min_itd } => {
            let cfg = load_config(deps.storage)?;
            require_credit_authority(&deps, &info, &cfg)?;
            let min_itd = min_itd.map(MinItd);
            change_line(deps, &env, member, "set_credit_period", |a| ledger::set_period_terms(a, min_itd))
        }
        ExecuteMsg::PauseCreditPeriod { member } => {
            let cfg = load_config(deps.storage)?;
            require_credit_authority(&deps, &info, &cfg)?;
            change_line(deps, &env, member, "pause_credit_period", |a| ledger::set_period_paused(a, true))
        }
        ExecuteMsg::UnpauseCreditPeriod { member } => {
            let cfg = load_config(deps.storage)?;
            require_credit_authority(&deps, &info, &cfg)?;
            change_line(deps, &env, member, "unpause_credit_period", |a| ledger::set_period_paused(a, false))
        }
        ExecuteMsg::SyncCreditPeriod { member } => execute_sync_credit_period(deps, env, member),
        ExecuteMsg::SetRiskFee { member, risk_fee_bps } => {
            let cfg = load_config(deps.storage)?;
            require_credit_authority(&deps, &info, &cfg)?;
            let rate = FeeRate::new(risk_fee_bps)?;
            change_line(deps, &env, member, "set_risk_fee", |a| ledger::set_risk_fee(a, rate))
        }
        ExecuteMsg::ReserveCredit { member, newcomer, amount } => {
            execute_reserve_credit(deps, env, info, member, newcomer, amount)
        }
        ExecuteMsg::ReleaseCredit { member, newcomer, amount, outcome } => {
            execute_release_credit(deps, env, info, member, newcomer, amount, outcome)
        }
        ExecuteMsg::UpdateConfig(update) => execute_update_config(deps, info, update),
        ExecuteMsg::UpdateAdmin { new_admin } => {
            let mut cfg = load_config(deps.storage)?;
            require(deps.api, &info.sender, &cfg.admin, ROLE_ADMIN)?;
            let (addr, c) = checked(deps.api, &new_admin)?;
            cfg.pending_admin = Some(c);
            save_config(deps.storage, &cfg)?;
            Ok(admin::proposed_response(addr))
        }
        ExecuteMsg::AcceptAdmin {} => {
            let mut cfg = load_config(deps.storage)?;
            // As `admin::accept`, with the sender canonicalized only once a change is pending: the
            // shared form, which needs the sender's key first, makes this artifact larger.
            let pending = cfg.pending_admin.take().ok_or(ContractError::NoPendingAdmin)?;
            require(deps.api, &info.sender, &pending, admin::ROLE_PENDING_ADMIN)?;
            cfg.admin = pending;
            save_config(deps.storage, &cfg)?;
            Ok(admin::accepted_response(info.sender))
        }
        ExecuteMsg::Mint { .. }
        | ExecuteMsg::Burn { .. }
        | ExecuteMsg::BurnFrom { .. }
        | ExecuteMsg::UpdateMinter { .. } => Err(ContractError::NoMintOrBurn),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        REPLY_RECORD => reputation::kept_on_failure(deps.storage, deps.api, &env, msg),
        id => Err(ContractError::UnknownReply { id }),
    }
}

pub fn execute_transfer(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let from = canon(deps.api, info.sender.as_str())?;
    let to = canon(deps.api, &recipient)?;
    let plan = plan_transfer(deps.storage, env.block.time.seconds(), from, to, amount, Delivery::Plain)?;
    let settled = settle_transfer(deps, &env, &plan)?;
    Ok(transfer_response("transfer", info.sender.as_str(), &recipient, &plan.outcome, settled))
}

pub fn execute_send(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    contract: String,
    amount: Uint128,
    msg: Binary,
) -> Result<Response, ContractError> {
    let from = canon(deps.api, info.sender.as_str())?;
    let (contract, to) = checked(deps.api, &contract)?;
    let plan = plan_transfer(deps.storage, env.block.time.seconds(), from, to, amount, Delivery::WithHook)?;
    let settled = settle_transfer(deps, &env, &plan)?;
    let hook = Cw20ReceiveMsg { sender: info.sender.to_string(), amount, msg }.into_cosmos_msg(contract.as_str())?;
    Ok(transfer_response("send", info.sender.as_str(), contract.as_str(), &plan.outcome, settled).add_message(hook))
}

fn require_credit_authority(deps: &DepsMut, info: &MessageInfo, cfg: &Config) -> Result<(), ContractError> {
    let role = if cfg.underwriting.is_some() { ROLE_UNDERWRITING } else { ROLE_ADMIN };
    require(deps.api, &info.sender, cfg.credit_authority(), role)
}

/// The records a line change calls for.
fn line_change_events(change: &LineChange) -> impl Iterator<Item = ReputationEvent> {
    let granted = change.granted.map(|g| ReputationEvent::CreditLineGranted { amount: g.amount, term: g.term });
    let repaid = change.repaid_on_time.map(|amount| ReputationEvent::RepaidOnTime { amount });
    repaid.into_iter().chain(granted)
}

pub fn execute_set_credit_line(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    member: String,
    limit: Uint128,
    term_end: u64,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    require_credit_authority(&deps, &info, &cfg)?;
    let key = canon(deps.api, &member)?;
    let current = current_of(deps.storage, &env, &key)?;
    let now = env.block.time.seconds();
    let terms = LineTerms { limit: limit.u128(), term_end, grace_period: cfg.default_grace_period };
    let change = ledger::set_credit_line(&current.account, terms, cfg.policy, now)?;
    let messages = records(deps.api, &env, cfg.did_registry.as_ref(), &key, line_change_events(&change))?;
    let response = current.response(deps.api, deps.storage, &env, &key)?;
    commit(deps.storage, &[Change { key: &key, old: current.stored, new: change.account }], 0, 0)?;
    Ok(response
        .add_attribute("action", "set_credit_line")
        .add_attribute("member", &member)
        .add_attribute("limit", limit)
        .add_attribute("term_end", term_end.to_string())
        .add_submessages(messages))
}

pub fn execute_close_credit_line(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    member: String,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    require_credit_authority(&deps, &info, &cfg)?;
    let key = canon(deps.api, &member)?;
    let current = current_of(deps.storage, &env, &key)?;
    let change = ledger::close_credit_line(&current.account)?;
    let messages = records(deps.api, &env, cfg.did_registry.as_ref(), &key, line_change_events(&change))?;
    let response = current.response(deps.api, deps.storage, &env, &key)?;
    commit(deps.storage, &[Change { key: &key, old: current.stored, new: change.account }], 0, 0)?;
    Ok(response.add_attribute("action", "close_credit_line").add_attribute("member", member).add_submessages(messages))
}

/// Anyone: records a settled term's on-time repayment (resource_core::ledger::settle_term).
pub fn execute_settle_term(deps: DepsMut, env: Env, member: String) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    // Without a registry the record would be lost: settling is only for recording it.
    let registry = cfg.did_registry.ok_or(ContractError::NoDidRegistry)?;
    let key = canon(deps.api, &member)?;
    let old = load_account(deps.storage, &key)?;
    let (new, amount) = ledger::settle_term(&old.unwrap_or(Account::EMPTY), env.block.time.seconds())?;
    let message = reputation::record(deps.api, &env, &registry, &key, ReputationEvent::RepaidOnTime { amount })?;
    commit(deps.storage, &[Change { key: &key, old, new }], 0, 0)?;
    Ok(Response::new()
        .add_attribute("action", "settle_term")
        .add_attribute("member", member)
        .add_attribute("repaid_on_time", amount.to_string())
        .add_submessage(message))
}

/// Freeze, unfreeze: a ledger function of the member's account alone (auth checked by the caller).
fn change_line(
    deps: DepsMut,
    env: &Env,
    member: String,
    action: &'static str,
    rule: impl FnOnce(&Account) -> Result<Account, LedgerError>,
) -> Result<Response, ContractError> {
    let key = canon(deps.api, &member)?;
    let current = current_of(deps.storage, env, &key)?;
    let new = rule(&current.account)?;
    let response = current.response(deps.api, deps.storage, env, &key)?;
    commit(deps.storage, &[Change { key: &key, old: current.stored, new }], 0, 0)?;
    Ok(response.add_attribute("action", action).add_attribute("member", member))
}

/// A member's account as of the block: its stored record with an expired credit period it meets
/// renewed, as a payment or a sync would, so that every operation sees what the queries show.
pub(crate) struct Current {
    /// What is stored (`None`: never stored).
    pub stored: Option<Account>,
    /// The account to operate on.
    pub account: Account,
    pub renewal: Option<Renewal>,
}

pub(crate) fn current_of(storage: &dyn Storage, env: &Env, key: &CanonicalAddr) -> Result<Current, ContractError> {
    let stored = load_account(storage, key)?;
    let (account, renewal) = ledger::renew_if_due(&stored.unwrap_or(Account::EMPTY), env.block.time.seconds());
    Ok(Current { stored, account, renewal })
}

impl Current {
    /// A response carrying the renewal's event and its `repaid_on_time` record, if it renewed (the
    /// config is read only for a record).
    pub(crate) fn response(
        &self,
        api: &dyn Api,
        storage: &dyn Storage,
        env: &Env,
        key: &CanonicalAddr,
    ) -> Result<Response, ContractError> {
        let Some(renewal) = self.renewal else { return Ok(Response::new()) };
        let mut response = Response::new().add_event(renewal_event(&api.addr_humanize(key)?, renewal));
        if let Some(amount) = renewal.repaid_on_time {
            let registry = load_config(storage)?.did_registry;
            let repaid = [ReputationEvent::RepaidOnTime { amount }];
            response = response.add_submessages(records(api, env, registry.as_ref(), key, repaid)?);
        }
        Ok(response)
    }
}

pub fn execute_declare_default(deps: DepsMut, env: Env, member: String) -> Result<Response, ContractError> {
    with_member_and_loss(deps, env, member, "declare_default", |m, l, now| {
        ledger::declare_default(m, l, now).map(SyncOutcome::Defaulted)
    })
}

/// Anyone: what the member's expired credit period calls for (resource_core::ledger::sync_credit_period).
pub fn execute_sync_credit_period(deps: DepsMut, env: Env, member: String) -> Result<Response, ContractError> {
    with_member_and_loss(deps, env, member, "sync_credit_period", ledger::sync_credit_period)
}

type MemberAndLossRule = fn(Party<'_, [u8]>, Party<'_, [u8]>, u64) -> Result<SyncOutcome, LedgerError>;

/// `DeclareDefault` and `SyncCreditPeriod`: a ledger rule over the member's and the loss account's
/// state, then the writes, events and records of a renewal or a default.
fn with_member_and_loss(
    deps: DepsMut,
    env: Env,
    member: String,
    action: &'static str,
    rule: MemberAndLossRule,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    let key = canon(deps.api, &member)?;
    let old_member = load_account(deps.storage, &key)?;
    let old_loss = load_account(deps.storage, &cfg.loss_account)?;
    let ma = old_member.unwrap_or(Account::EMPTY);
    let la = old_loss.unwrap_or(Account::EMPTY);
    let now = env.block.time.seconds();
    let outcome = rule(Party::new(key.as_slice(), &ma), Party::new(cfg.loss_account.as_slice(), &la), now)?;
    let response = Response::new().add_attribute("action", action).add_attribute("member", &member);
    let registry = cfg.did_registry.as_ref();
    match outcome {
        SyncOutcome::Renewed { account, renewal } => {
            let repaid = renewal.repaid_on_time.map(|amount| ReputationEvent::RepaidOnTime { amount });
            let messages = records(deps.api, &env, registry, &key, repaid)?;
            commit(deps.storage, &[Change { key: &key, old: old_member, new: account }], 0, 0)?;
            let member = deps.api.addr_validate(&member)?;
            Ok(response
                .add_attribute("outcome", "renewed")
                .add_event(renewal_event(&member, renewal))
                .add_submessages(messages))
        }
        SyncOutcome::Defaulted(o) => {
            let DefaultOutcome { member: new_member, loss, debt, minted, burned } = o;
            let messages = records(deps.api, &env, registry, &key, [ReputationEvent::Defaulted { amount: debt }])?;
            let changes = [
                Change { key: &key, old: old_member, new: new_member },
                Change { key: &cfg.loss_account, old: old_loss, new: loss },
            ];
            commit(deps.storage, &changes, minted, burned)?;
            Ok(response
                .add_attribute("outcome", "defaulted")
                .add_attribute("debt", debt.to_string())
                .add_attribute("minted", minted.to_string())
                .add_attribute("burned", burned.to_string())
                .add_submessages(messages))
        }
    }
}

/// Only the underwriting contract vouches: a network without one has no vouching.
fn require_underwriting(deps: &DepsMut, info: &MessageInfo, cfg: &Config) -> Result<(), ContractError> {
    let underwriting = cfg.underwriting.as_ref().ok_or(ContractError::Unauthorized { role: ROLE_UNDERWRITING })?;
    require(deps.api, &info.sender, underwriting, ROLE_UNDERWRITING)
}

/// The voucher's and the newcomer's keys, checked as every handler checks addresses; a vouch for
/// oneself is refused here too, since the registry would refuse its record for good.
fn vouch_parties(api: &dyn Api, member: &str, newcomer: &str) -> Result<(CanonicalAddr, CanonicalAddr), ContractError> {
    let (key, newcomer) = (canon(api, member)?, canon(api, newcomer)?);
    if key == newcomer {
        return Err(ContractError::SelfVouch);
    }
    Ok((key, newcomer))
}

fn vouch_response(action: &'static str, member: String, newcomer: String, amount: Uint128) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("member", member)
        .add_attribute("newcomer", newcomer)
        .add_attribute("amount", amount)
}

/// Underwriting contract only: the ledger's `reserve_credit` on the voucher's account (good
/// standing and capacity are the ledger's rule); records `vouch_given` for the voucher.
pub fn execute_reserve_credit(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    member: String,
    newcomer: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    require_underwriting(&deps, &info, &cfg)?;
    let (key, newcomer_key) = vouch_parties(deps.api, &member, &newcomer)?;
    let current = current_of(deps.storage, &env, &key)?;
    let new = ledger::reserve_credit(&current.account, amount.u128(), env.block.time.seconds())?;
    let event = Event::Vouch { record: VouchRecord::Given, amount: amount.u128(), newcomer: newcomer_key };
    let messages = records(deps.api, &env, cfg.did_registry.as_ref(), &key, [event])?;
    let renewed = current.response(deps.api, deps.storage, &env, &key)?;
    commit(deps.storage, &[Change { key: &key, old: current.stored, new }], 0, 0)?;
    let response = vouch_response("reserve_credit", member, newcomer, amount);
    Ok(response.add_events(renewed.events).add_submessages(renewed.messages).add_submessages(messages))
}

/// Underwriting contract only: the ledger's `release_credit` on the voucher's account, cutting its
/// limit for a broken vouch; records `vouch_kept` or `vouch_broken` (a cancelled vouch nothing).
pub fn execute_release_credit(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    member: String,
    newcomer: String,
    amount: Uint128,
    outcome: VouchStatus,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    require_underwriting(&deps, &info, &cfg)?;
    let record = match outcome {
        VouchStatus::Active => return Err(ContractError::VouchStillActive),
        VouchStatus::Kept => Some(VouchRecord::Kept),
        VouchStatus::Broken => Some(VouchRecord::Broken),
        VouchStatus::Cancelled => None,
    };
    let (key, newcomer_key) = vouch_parties(deps.api, &member, &newcomer)?;
    let old = load_account(deps.storage, &key)?;
    let account = old.unwrap_or(Account::EMPTY);
    let new = ledger::release_credit(&account, amount.u128(), outcome == VouchStatus::Broken)?;
    let event = record.map(|record| Event::Vouch { record, amount: amount.u128(), newcomer: newcomer_key });
    let messages = records(deps.api, &env, cfg.did_registry.as_ref(), &key, event)?;
    // A cut lowers the credit extended: the counters follow through the commit.
    commit(deps.storage, &[Change { key: &key, old, new }], 0, 0)?;
    Ok(vouch_response("release_credit", member, newcomer, amount)
        .add_attribute("outcome", outcome.name())
        .add_submessages(messages))
}

pub fn execute_update_config(deps: DepsMut, info: MessageInfo, u: ConfigUpdate) -> Result<Response, ContractError> {
    let mut cfg = load_config(deps.storage)?;
    require(deps.api, &info.sender, &cfg.admin, ROLE_ADMIN)?;
    let mut hot = load_hot_config(deps.storage)?;
    let api = deps.api;
    if let Some(bps) = u.fee_bps {
        hot.fee = FeeRate::new(bps)?;
    }
    if let Some(a) = u.fee_collector {
        hot.fee_collector = checked(api, &a)?.1;
    }
    if let Some(list) = u.fee_exempt {
        hot.fee_exempt = fee_exempt_list(api, &list)?;
    }
    if let Some(paused) = u.fees_paused {
        hot.fees_paused = paused;
    }
    if let Some(a) = u.loss_account {
        cfg.loss_account = checked(api, &a)?.1;
    }
    if let Some(g) = u.default_grace_period {
        cfg.default_grace_period = g;
    }
    if let Some(t) = u.min_term {
        cfg.policy.min_term = t;
    }
    if let Some(g) = u.min_grace_period {
        cfg.policy.min_grace_period = g;
    }
    if u.remove_underwriting {
        cfg.underwriting = None;
    }
    if let Some(a) = u.underwriting {
        cfg.underwriting = Some(checked(api, &a)?.1);
    }
    if u.remove_did_registry {
        cfg.did_registry = None;
    }
    if let Some(a) = u.did_registry {
        cfg.did_registry = Some(checked(api, &a)?.1);
    }
    check_configs(deps.storage, &hot, &cfg)?;
    save_hot_config(deps.storage, &hot)?;
    save_config(deps.storage, &cfg)?;
    Ok(Response::new().add_attribute("action", "update_config"))
}

// ---------------------------------------------------------------------------------------------
// migrate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, EARLIER_CONTRACT_NAMES, CONTRACT_VERSION)
}

// ---------------------------------------------------------------------------------------------
// query

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Balance { address } => to_json_binary(&query_balance(deps, address)?),
        QueryMsg::TokenInfo {} => to_json_binary(&query_token_info(deps)?),
        QueryMsg::Allowance { owner, spender } => to_json_binary(&query_allowance(deps, owner, spender)?),
        QueryMsg::AllAllowances { owner, start_after, limit } => {
            to_json_binary(&query_all_allowances(deps, owner, start_after, limit)?)
        }
        QueryMsg::AllAccounts { start_after, limit } => to_json_binary(&query_all_accounts(deps, start_after, limit)?),
        QueryMsg::CreditAccount { address } => to_json_binary(&query_credit_account(deps, env, address)?),
        QueryMsg::ItdOf { address } => to_json_binary(&query_itd_of(deps, env, address)?),
        QueryMsg::NeededIncome { address } => to_json_binary(&query_needed_income(deps, env, address)?),
        QueryMsg::NetworkStats {} => to_json_binary(&query_network_stats(deps)?),
        QueryMsg::Config {} => to_json_binary(&query_config(deps)?),
        QueryMsg::PendingReputationRecords { start_after, limit } => to_json_binary(&PendingRecordsResponse {
            records: reputation::pending(deps.storage, deps.api, &env, start_after, limit)?,
        }),
        // As cw20-base answers for a token without a minter or marketing.
        QueryMsg::Minter {} => to_json_binary(&None::<MinterResponse>),
        QueryMsg::MarketingInfo {} => to_json_binary(&MarketingInfoResponse::default()),
        QueryMsg::DownloadLogo {} => Err(StdError::not_found("logo: this token has no logo")),
    }
}

fn stored_account(deps: Deps, address: &str) -> StdResult<Account> {
    Ok(load_account(deps.storage, &query_canon(deps.api, address)?)?.unwrap_or(Account::EMPTY))
}

pub fn query_balance(deps: Deps, address: String) -> StdResult<BalanceResponse> {
    Ok(BalanceResponse { balance: Uint128::new(stored_account(deps, &address)?.holdings()) })
}

pub fn query_token_info(deps: Deps) -> StdResult<TokenInfoResponse> {
    let info = TOKEN_INFO.load(deps.storage)?;
    let stats = load_stats(deps.storage)?;
    Ok(TokenInfoResponse {
        name: info.name,
        symbol: info.symbol,
        decimals: info.decimals,
        total_supply: Uint128::new(stats.supply),
    })
}

/// The account as of `now`: an expired credit period it meets is renewed, as its next payment would.
fn current_account(deps: Deps, env: &Env, address: &str) -> StdResult<Account> {
    Ok(ledger::renew_if_due(&stored_account(deps, address)?, env.block.time.seconds()).0)
}

/// The account's period terms while it has a period (an active line), else a query error.
fn period_terms(a: &Account) -> StdResult<ledger::PeriodTerms> {
    match (ledger::account_period(a), a.period) {
        (Some(_), Some(terms)) => Ok(terms),
        _ => Err(StdError::generic_err(LedgerError::NoCreditPeriod.to_string())),
    }
}

pub fn query_itd_of(deps: Deps, env: Env, address: String) -> StdResult<ItdResponse> {
    let a = current_account(deps, &env, &address)?;
    let terms = period_terms(&a)?;
    let itd = match ledger::itd_of(terms.income.income, a.debt()) {
        ledger::Itd::NoDebt => None,
        ledger::Itd::Ppm(ppm) => Some(Uint128::new(ppm)),
    };
    let compliant = ledger::is_compliant(a.balance, terms.income, terms.min_itd);
    Ok(ItdResponse { itd, min_itd: terms.min_itd.0, compliant })
}

pub fn query_needed_income(deps: Deps, env: Env, address: String) -> StdResult<NeededIncomeResponse> {
    let a = current_account(deps, &env, &address)?;
    period_terms(&a)?;
    Ok(NeededIncomeResponse {
        needed_income: Uint128::new(ledger::account_needed_income(&a, env.block.time.seconds())),
    })
}

pub fn query_credit_account(deps: Deps, env: Env, address: String) -> StdResult<CreditAccountResponse> {
    let a = current_account(deps, &env, &address)?;
    let now = env.block.time.seconds();
    let period = ledger::account_period(&a).zip(a.period).map(|(p, terms)| CreditPeriodView {
        state: p.state(now),
        issued_at: p.issued_at,
        expiration: p.expiration,
        grace_end: p.expiration.saturating_add(p.grace_length),
        paused: p.paused,
        min_itd: terms.min_itd.0,
        income: Uint128::new(terms.income.income),
        rebalanced: terms.income.rebalanced,
        needed_income: Uint128::new(ledger::account_needed_income(&a, env.block.time.seconds())),
    });
    Ok(CreditAccountResponse {
        address,
        balance: Int128::new(a.balance),
        available: Uint128::new(ledger::available_credit(&a, now)),
        line: a.line.map(|l| CreditLineView {
            limit: Uint128::new(l.limit),
            term_start: l.term_start,
            term_end: l.term_end,
            grace_period: l.grace_period,
            status: l.status,
            default_declarable_at: l.default_declarable_at(),
        }),
        standing: a.standing(now),
        frozen: a.frozen,
        written_off: Uint128::new(a.term.written_off),
        reserved: Uint128::new(a.reserved),
        period,
        risk_fee_bps: a.risk_fee.bps(),
    })
}

pub fn query_network_stats(deps: Deps) -> StdResult<NetworkStatsResponse> {
    let s = load_stats(deps.storage)?;
    let cfg = load_config(deps.storage)?;
    let loss = load_account(deps.storage, &cfg.loss_account)?.unwrap_or(Account::EMPTY);
    Ok(NetworkStatsResponse {
        total_supply: Uint128::new(s.supply),
        total_credit_extended: Uint128::new(s.credit_extended),
        members: s.members,
        members_in_debt: s.members_in_debt,
        loss_account: deps.api.addr_humanize(&cfg.loss_account)?,
        loss_account_balance: Int128::new(loss.balance),
    })
}

pub fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    let cfg = load_config(deps.storage)?;
    let hot = load_hot_config(deps.storage)?;
    let api = deps.api;
    Ok(ConfigResponse {
        admin: api.addr_humanize(&cfg.admin)?,
        pending_admin: cfg.pending_admin.map(|a| api.addr_humanize(&a)).transpose()?,
        underwriting: cfg.underwriting.map(|a| api.addr_humanize(&a)).transpose()?,
        fee_bps: hot.fee.bps(),
        fee_collector: api.addr_humanize(&hot.fee_collector)?,
        fee_exempt: hot.fee_exempt.iter().map(|a| api.addr_humanize(a)).collect::<StdResult<_>>()?,
        loss_account: api.addr_humanize(&cfg.loss_account)?,
        default_grace_period: cfg.default_grace_period,
        min_term: cfg.policy.min_term,
        min_grace_period: cfg.policy.min_grace_period,
        did_registry: cfg.did_registry.map(|a| api.addr_humanize(&a)).transpose()?,
        fees_paused: hot.fees_paused,
    })
}
