#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Binary, CosmosMsg, Deps, DepsMut, Env, MessageInfo, Order, Response,
    StdError, StdResult, Storage, Uint128,
};
use cw_storage_plus::Bound;
use resource_core::underwriting::{
    self as uw, Application, ApplicationStatus, RewardPool, ScoringInputs, ScoringParams, UnderwritingError,
    VouchOutcome, VouchPolicy, VouchStatus,
};
use resource_cw::{admin, Paging};
use resource_msgs::credit_token::{self, CreditAccountResponse, LineStatus};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationsResponse, BackerView, ClaimInput, ConfigResponse, ConfigUpdate, ExecuteMsg,
    InstantiateMsg, MemberExposureResponse, MigrateMsg, PoolResponse, QueryMsg, ReceiveMsg, SuggestionResponse,
    UnbondingView, UnderwriterResponse, VouchResponse, VouchesResponse,
};
use resource_msgs::CreditTokenContract;

use crate::error::ContractError;
use crate::identity;
use crate::state::{
    ids_by_status, load_pool, load_reward, load_stake, save_application, Asset, Config, VouchRecord, ACTIVE,
    APPLICATIONS, CONFIG, LAST_ID, POOL, REWARDS, STAKES, SUGGESTIONS, VOUCHES, VOUCHING,
};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:underwriting";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The vouch reward weight when the instantiation names none.
pub const DEFAULT_VOUCH_POLICY: VouchPolicy = VouchPolicy { reward_weight_bps: 5_000 };

fn valid(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    resource_cw::valid(api, address)
}

fn token(cfg: &Config) -> CreditTokenContract {
    CreditTokenContract::new(cfg.credit_token.clone())
}

fn no_funds(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::UnexpectedFunds)
    }
}

fn require_admin(cfg: &Config, sender: &Addr) -> Result<(), ContractError> {
    admin::require::<_, ContractError>(sender, &cfg.admin, admin::ROLE_ADMIN)
}

fn check_did_settings(cfg: &Config) -> Result<(), ContractError> {
    if cfg.require_did && cfg.did_registry.is_none() {
        return Err(ContractError::RequireDidWithoutRegistry);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// instantiate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let api = deps.api;
    let admin = match &msg.admin {
        Some(a) => valid(api, a)?,
        None => info.sender,
    };
    msg.rules.check()?;
    msg.policy.check()?;
    if msg.unbonding_period == 0 {
        return Err(ContractError::ZeroUnbondingPeriod);
    }
    let credit_token = valid(api, &msg.credit_token)?;
    let scoring = match msg.scoring {
        Some(s) => s,
        None => {
            let decimals = CreditTokenContract::new(credit_token.clone()).token_info(&deps.querier)?.decimals;
            let unit = 10u128.checked_pow(u32::from(decimals)).ok_or(UnderwritingError::Overflow)?;
            ScoringParams::with_unit(unit)
        }
    };
    let cfg = Config {
        admin,
        pending_admin: None,
        credit_token,
        stake_asset: Asset::from_msg(api, msg.stake_asset)?,
        rules: msg.rules,
        policy: msg.policy,
        unbonding_period: msg.unbonding_period,
        reserve: valid(api, &msg.reserve)?,
        did_registry: msg.did_registry.as_deref().map(|a| valid(api, a)).transpose()?,
        require_did: msg.require_did,
        scoring,
        vouching: msg.vouching.unwrap_or(DEFAULT_VOUCH_POLICY),
        credit_period_min_itd: msg.credit_period_min_itd,
        risk_fee_bps: checked_risk_fee(msg.risk_fee_bps)?,
    };
    check_did_settings(&cfg)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(deps.storage, &cfg)?;
    POOL.save(deps.storage, &RewardPool::default())?;
    Ok(Response::new().add_attribute("action", "instantiate").add_attribute("admin", cfg.admin))
}

// ---------------------------------------------------------------------------------------------
// execute

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    let cfg = CONFIG.load(deps.storage)?;
    if !matches!(msg, ExecuteMsg::Stake {}) {
        no_funds(&info)?;
    }
    let now = env.block.time.seconds();
    match msg {
        ExecuteMsg::Stake {} => {
            let amount = cfg.stake_asset.native_amount(&info)?;
            execute_stake(deps, info.sender, amount)
        }
        ExecuteMsg::Receive(hook) => {
            cfg.stake_asset.check_hook_sender(&info.sender)?;
            let ReceiveMsg::Stake {} =
                from_json(&hook.msg).map_err(|e| ContractError::UnknownReceiveMsg { reason: e.to_string() })?;
            if hook.amount.is_zero() {
                return Err(UnderwritingError::ZeroAmount.into());
            }
            let staker = valid(deps.api, &hook.sender)?;
            execute_stake(deps, staker, hook.amount.u128())
        }
        ExecuteMsg::Unbond { amount } => execute_unbond(deps, &cfg, info, amount, now),
        ExecuteMsg::Claim {} => execute_claim(deps, &cfg, info, now),
        ExecuteMsg::Apply { amount, term, claims, vouchers } => {
            execute_apply(deps, &env, &cfg, info, amount, term, &claims, &vouchers)
        }
        ExecuteMsg::Back { application, amount } => execute_back(deps, &env, &cfg, info, application, amount),
        ExecuteMsg::Withdraw { application, amount } => execute_withdraw(deps, info, application, amount),
        ExecuteMsg::Settle { application } => execute_settle(deps, &cfg, application, now),
        ExecuteMsg::Expire { application } => {
            let app = load_application(deps.storage, application)?;
            let expired = uw::expire(&app, now)?;
            close_unapproved(deps, application, app, expired, "expire")
        }
        ExecuteMsg::Reject { application } => {
            let app = load_application(deps.storage, application)?;
            if info.sender != cfg.admin && info.sender != app.applicant.address {
                return Err(ContractError::Unauthorized { role: "the admin or the applicant" });
            }
            let rejected = uw::reject(&app)?;
            close_unapproved(deps, application, app, rejected, "reject")
        }
        ExecuteMsg::Vouch { newcomer, amount } => execute_vouch(deps, &env, &cfg, info, &newcomer, amount),
        ExecuteMsg::CancelVouch { newcomer } => execute_cancel_vouch(deps, &cfg, info, &newcomer),
        ExecuteMsg::ClaimRewards {} => execute_claim_rewards(deps, &cfg, info),
        ExecuteMsg::DistributeFees {} => execute_distribute_fees(deps, &env, &cfg),
        ExecuteMsg::UpdateConfig(update) => execute_update_config(deps, cfg, info, *update),
        ExecuteMsg::UpdateAdmin { new_admin } => {
            let mut cfg = cfg;
            require_admin(&cfg, &info.sender)?;
            let addr = valid(deps.api, &new_admin)?;
            cfg.pending_admin = Some(addr.clone());
            CONFIG.save(deps.storage, &cfg)?;
            Ok(admin::proposed_response(addr))
        }
        ExecuteMsg::AcceptAdmin {} => {
            let mut cfg = cfg;
            admin::accept::<_, ContractError>(&mut cfg.admin, &mut cfg.pending_admin, &info.sender)?;
            CONFIG.save(deps.storage, &cfg)?;
            Ok(admin::accepted_response(info.sender))
        }
    }
}

/// A configured risk fee: at most 100 %, and 0 is none.
fn checked_risk_fee(bps: Option<u16>) -> Result<Option<u16>, ContractError> {
    match bps {
        None => Ok(None),
        // The token's own bound on a fee rate (resource_core::ledger::FeeRate).
        Some(bps) => match resource_core::ledger::FeeRate::new(bps) {
            Err(_) => Err(ContractError::RiskFeeTooHigh { bps }),
            Ok(rate) if rate == resource_core::ledger::FeeRate::ZERO => Ok(None),
            Ok(rate) => Ok(Some(rate.bps())),
        },
    }
}

fn load_application(storage: &dyn Storage, id: u64) -> Result<Application<Addr>, ContractError> {
    APPLICATIONS.may_load(storage, id)?.ok_or(ContractError::ApplicationNotFound { id })
}

pub fn execute_stake(deps: DepsMut, staker: Addr, amount: u128) -> Result<Response, ContractError> {
    let stake = uw::bond(&load_stake(deps.storage, &staker)?, amount)?;
    STAKES.save(deps.storage, &staker, &stake)?;
    Ok(Response::new()
        .add_attribute("action", "stake")
        .add_attribute("underwriter", staker)
        .add_attribute("amount", amount.to_string()))
}

pub fn execute_unbond(
    deps: DepsMut,
    cfg: &Config,
    info: MessageInfo,
    amount: Uint128,
    now: u64,
) -> Result<Response, ContractError> {
    let stake = uw::unbond(&load_stake(deps.storage, &info.sender)?, amount.u128(), now, cfg.unbonding_period)?;
    STAKES.save(deps.storage, &info.sender, &stake)?;
    let release_at = now.saturating_add(cfg.unbonding_period);
    Ok(Response::new()
        .add_attribute("action", "unbond")
        .add_attribute("underwriter", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("release_at", release_at.to_string()))
}

pub fn execute_claim(deps: DepsMut, cfg: &Config, info: MessageInfo, now: u64) -> Result<Response, ContractError> {
    let (stake, amount) = uw::claim_unbonded(&load_stake(deps.storage, &info.sender)?, now)?;
    STAKES.save(deps.storage, &info.sender, &stake)?;
    Ok(Response::new()
        .add_message(cfg.stake_asset.pay(&info.sender, amount)?)
        .add_attribute("action", "claim")
        .add_attribute("underwriter", info.sender)
        .add_attribute("amount", amount.to_string()))
}

#[allow(clippy::too_many_arguments)]
pub fn execute_apply(
    deps: DepsMut,
    env: &Env,
    cfg: &Config,
    info: MessageInfo,
    amount: Uint128,
    term: u64,
    claims: &[u64],
    vouchers: &[String],
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let applicant = info.sender;
    if let Some(id) = ACTIVE.may_load(deps.storage, &applicant)? {
        return Err(ContractError::ActiveApplication { id });
    }
    let me = identity::member(deps.as_ref(), env, cfg, &applicant)?;
    // Each voucher: an active vouch for the applicant that no other application uses.
    let mut members = Vec::with_capacity(vouchers.len());
    let mut records = Vec::with_capacity(vouchers.len());
    if vouchers.len() > uw::MAX_VOUCHERS {
        return Err(UnderwritingError::TooManyVouchers { max: uw::MAX_VOUCHERS }.into());
    }
    for v in vouchers {
        let voucher = valid(deps.api, v)?;
        let record = VOUCHES
            .may_load(deps.storage, (&applicant, &voucher))?
            .ok_or_else(|| ContractError::NoVouch { voucher: voucher.to_string(), newcomer: applicant.to_string() })?;
        if record.vouch.status != VouchStatus::Active {
            return Err(UnderwritingError::VouchNotActive { status: record.vouch.status }.into());
        }
        if let Some(id) = record.application {
            return Err(ContractError::VouchInUse { voucher: voucher.to_string(), application: id });
        }
        members.push(identity::member(deps.as_ref(), env, cfg, &voucher)?);
        records.push((voucher, record));
    }
    let app = uw::apply(me, amount.u128(), term, members, &cfg.policy, now)?;
    let presented = identity::presented_claims(&deps.querier, env, cfg, &applicant, claims)?;
    let history = identity::history(&deps.querier, env, cfg, &applicant)?;
    // The registry checked each claim unexpired and from an active attester.
    let pairs = presented.iter().map(|c| (c.claim.claim_type.as_str(), c.claim.predicate.as_str()));
    let suggestion = uw::suggested_limit(&ScoringInputs::from_predicates(pairs, history), &cfg.scoring);

    let id = LAST_ID.may_load(deps.storage)?.unwrap_or(0).checked_add(1).ok_or(UnderwritingError::Overflow)?;
    LAST_ID.save(deps.storage, &id)?;
    save_application(deps.storage, id, None, &app)?;
    SUGGESTIONS.save(deps.storage, id, &suggestion)?;
    ACTIVE.save(deps.storage, &applicant, &id)?;
    for (voucher, record) in records {
        VOUCHES.save(deps.storage, (&applicant, &voucher), &VouchRecord { application: Some(id), ..record })?;
    }
    Ok(Response::new()
        .add_attribute("action", "apply")
        .add_attribute("application", id.to_string())
        .add_attribute("applicant", applicant)
        .add_attribute("amount", amount)
        .add_attribute("term", term.to_string())
        .add_attribute("expires_at", app.expires_at.to_string())
        .add_attribute("vouchers", vouchers.len().to_string())
        .add_attribute("suggested_limit", suggestion.limit.to_string()))
}

/// Whether `e` only says the backing does not meet the rules yet (the application stays open).
fn not_yet_approvable(e: &UnderwritingError) -> bool {
    matches!(
        e,
        UnderwritingError::InsufficientCoverage { .. }
            | UnderwritingError::TooFewUnderwriters { .. }
            | UnderwritingError::ShareAboveMax { .. }
    )
}

pub fn execute_back(
    deps: DepsMut,
    env: &Env,
    cfg: &Config,
    info: MessageInfo,
    id: u64,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let now = env.block.time.seconds();
    let app = load_application(deps.storage, id)?;
    let stake = load_stake(deps.storage, &info.sender)?;
    let backer = identity::member(deps.as_ref(), env, cfg, &info.sender)?;
    let (backed, stake) = uw::back(&app, &stake, backer, amount.u128(), now)?;
    STAKES.save(deps.storage, &info.sender, &stake)?;
    let mut response = Response::new()
        .add_attribute("action", "back")
        .add_attribute("application", id.to_string())
        .add_attribute("underwriter", info.sender.as_str())
        .add_attribute("amount", amount);
    let saved = match uw::approve(&backed, &cfg.rules, now) {
        Ok(approved) => {
            // Exposure starts at approval; bounded by MAX_BACKERS.
            let mut pool = load_pool(deps.storage)?;
            for b in &approved.backers {
                let (p, account) = uw::add_exposure(&pool, &load_reward(deps.storage, &b.underwriter)?, b.amount)?;
                pool = p;
                REWARDS.save(deps.storage, &b.underwriter, &account)?;
            }
            POOL.save(deps.storage, &pool)?;
            let term_end = approved.term_end.ok_or(UnderwritingError::Overflow)?;
            let set_line = credit_token::ExecuteMsg::SetCreditLine {
                member: approved.applicant.address.to_string(),
                limit: Uint128::new(approved.amount),
                term_end,
            };
            response = response.add_message(token(cfg).execute::<cosmwasm_std::Empty>(&set_line, vec![])?);
            if let Some(risk_fee_bps) = cfg.risk_fee_bps {
                let member = approved.applicant.address.to_string();
                let set_risk = credit_token::ExecuteMsg::SetRiskFee { member, risk_fee_bps };
                response = response.add_message(token(cfg).execute::<cosmwasm_std::Empty>(&set_risk, vec![])?);
            }
            if let Some(min_itd) = cfg.credit_period_min_itd {
                let member = approved.applicant.address.to_string();
                let set_period = credit_token::ExecuteMsg::SetCreditPeriod { member, min_itd: Some(min_itd) };
                response = response.add_message(token(cfg).execute::<cosmwasm_std::Empty>(&set_period, vec![])?);
            }
            response = response.add_attribute("approved", "true").add_attribute("term_end", term_end.to_string());
            approved
        }
        Err(e) if not_yet_approvable(&e) => {
            response = response.add_attribute("approved", "false").add_attribute("pending", e.to_string());
            backed
        }
        Err(e) => return Err(e.into()),
    };
    save_application(deps.storage, id, Some(app.status), &saved)?;
    Ok(response)
}

pub fn execute_withdraw(deps: DepsMut, info: MessageInfo, id: u64, amount: Uint128) -> Result<Response, ContractError> {
    let app = load_application(deps.storage, id)?;
    let stake = load_stake(deps.storage, &info.sender)?;
    let (app, stake) = uw::withdraw(&app, &stake, &info.sender, amount.u128())?;
    STAKES.save(deps.storage, &info.sender, &stake)?;
    APPLICATIONS.save(deps.storage, id, &app)?;
    Ok(Response::new()
        .add_attribute("action", "withdraw")
        .add_attribute("application", id.to_string())
        .add_attribute("underwriter", info.sender)
        .add_attribute("amount", amount))
}

/// An open application expired or was rejected: every backing is released (bounded by
/// MAX_BACKERS) and its vouches are free for another application.
fn close_unapproved(
    deps: DepsMut,
    id: u64,
    old: Application<Addr>,
    closed: Application<Addr>,
    action: &str,
) -> Result<Response, ContractError> {
    for b in &closed.backers {
        let stake = uw::release(&load_stake(deps.storage, &b.underwriter)?, b.amount)?;
        STAKES.save(deps.storage, &b.underwriter, &stake)?;
    }
    let applicant = &closed.applicant.address;
    for v in &closed.vouchers {
        let key = (applicant, &v.address);
        if let Some(record) = VOUCHES.may_load(deps.storage, key)? {
            VOUCHES.save(deps.storage, key, &VouchRecord { application: None, ..record })?;
        }
    }
    save_application(deps.storage, id, Some(old.status), &closed)?;
    ACTIVE.remove(deps.storage, applicant);
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("application", id.to_string())
        .add_attribute("applicant", applicant.as_str())
        .add_attribute("released", closed.total_backing().to_string()))
}

/// The member's debt (minus its balance when negative) and its account, from the credit token.
fn debt_of(deps: &DepsMut, cfg: &Config, member: &Addr) -> Result<(u128, CreditAccountResponse), ContractError> {
    let account = token(cfg).credit_account(&deps.querier, member.as_str())?;
    let balance = account.balance.i128();
    Ok((if balance < 0 { balance.unsigned_abs() } else { 0 }, account))
}

pub fn execute_settle(deps: DepsMut, cfg: &Config, id: u64, now: u64) -> Result<Response, ContractError> {
    let app = load_application(deps.storage, id)?;
    let old = app.status;
    let member = app.applicant.address.clone();
    // The term must have ended (the core checks it first, before any query).
    let repaid = uw::settle_repaid(&app, now)?;
    let (debt, account) = debt_of(&deps, cfg, &member)?;
    let mut pool = load_pool(deps.storage)?;
    let mut response = Response::new()
        .add_attribute("action", "settle")
        .add_attribute("application", id.to_string())
        .add_attribute("member", member.as_str());
    // A member the token has defaulted already (its own DeclareDefault or SyncCreditPeriod, which
    // anyone may send) owes nothing there: its loss is what is still written off.
    let defaulted_on_token = account.line.as_ref().is_some_and(|l| l.status == LineStatus::Defaulted);
    let debt = if defaulted_on_token { account.written_off.u128() } else { debt };
    let settled = if debt == 0 {
        // Bounded by MAX_BACKERS.
        for b in &repaid.backers {
            let stake = uw::release(&load_stake(deps.storage, &b.underwriter)?, b.amount)?;
            STAKES.save(deps.storage, &b.underwriter, &stake)?;
            let (p, acc) = uw::remove_exposure(&pool, &load_reward(deps.storage, &b.underwriter)?, b.amount)?;
            pool = p;
            REWARDS.save(deps.storage, &b.underwriter, &acc)?;
        }
        response = response.add_attribute("outcome", "repaid");
        // A line on credit-period terms would renew on without the backing just released: it closes
        // (the member may apply again). A fixed term grants nothing after its end anyway.
        let renewing =
            account.period.is_some() && account.line.as_ref().is_some_and(|l| l.status == LineStatus::Active);
        if renewing {
            let close = credit_token::ExecuteMsg::CloseCreditLine { member: member.to_string() };
            response = response.add_message(token(cfg).execute::<cosmwasm_std::Empty>(&close, vec![])?);
        }
        repaid
    } else {
        if !defaulted_on_token {
            let declarable_at = account
                .line
                .as_ref()
                .and_then(|l| l.default_declarable_at)
                .ok_or(ContractError::NoCreditLine { debt })?;
            if now < declarable_at {
                return Err(ContractError::DefaultNotDeclarableYet { debt, declarable_at });
            }
        }
        let (defaulted, settlement) = uw::settle_default(&app, debt, &cfg.rules.price, now)?;
        for s in &settlement.backers {
            let stake = uw::slash(&load_stake(deps.storage, &s.underwriter)?, s.backing, s.slashed)?;
            STAKES.save(deps.storage, &s.underwriter, &stake)?;
            let (p, acc) = uw::remove_exposure(&pool, &load_reward(deps.storage, &s.underwriter)?, s.backing)?;
            pool = p;
            REWARDS.save(deps.storage, &s.underwriter, &acc)?;
            response = response.add_attribute("slashed", format!("{}:{}", s.underwriter, s.slashed));
        }
        if !defaulted_on_token {
            let declare = credit_token::ExecuteMsg::DeclareDefault { member: member.to_string() };
            response = response.add_message(token(cfg).execute::<cosmwasm_std::Empty>(&declare, vec![])?);
        }
        response = response
            .add_attribute("outcome", "defaulted")
            .add_attribute("loss", debt.to_string())
            .add_attribute("to_reserve", settlement.slashed.to_string());
        if settlement.slashed > 0 {
            response = response.add_message(cfg.stake_asset.pay(&cfg.reserve, settlement.slashed)?);
        }
        defaulted
    };
    // The vouches the application used are now tested: kept on repayment, broken on default.
    let outcome = if settled.status == ApplicationStatus::Repaid { VouchStatus::Kept } else { VouchStatus::Broken };
    for v in &settled.vouchers {
        let (p, messages) = settle_vouch(deps.storage, cfg, pool, &member, &v.address, outcome)?;
        pool = p;
        response = response.add_messages(messages);
    }
    POOL.save(deps.storage, &pool)?;
    save_application(deps.storage, id, Some(old), &settled)?;
    ACTIVE.remove(deps.storage, &member);
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// vouching

pub fn execute_vouch(
    deps: DepsMut,
    env: &Env,
    cfg: &Config,
    info: MessageInfo,
    newcomer: &str,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let voucher = info.sender;
    let newcomer = valid(deps.api, newcomer)?;
    if let Some(old) = VOUCHES.may_load(deps.storage, (&newcomer, &voucher))? {
        if old.vouch.status == VouchStatus::Active {
            return Err(ContractError::AlreadyVouching { newcomer: newcomer.to_string(), amount: old.vouch.amount });
        }
    }
    // Who vouches must be a party of its own (checked the same way as underwriters).
    let v = identity::member(deps.as_ref(), env, cfg, &voucher)?;
    let n = identity::member(deps.as_ref(), env, cfg, &newcomer)?;
    if v.same_party(&n) {
        return Err(UnderwritingError::VouchForSelf.into());
    }
    let pool = load_pool(deps.storage)?;
    let (pool, vouch) =
        uw::vouch(&pool, voucher.clone(), newcomer.clone(), amount.u128(), &cfg.rules.price, &cfg.vouching)?;
    POOL.save(deps.storage, &pool)?;
    let exposure = vouch.rewards.exposure;
    VOUCHES.save(deps.storage, (&newcomer, &voucher), &VouchRecord { vouch, application: None })?;
    let total =
        VOUCHING.may_load(deps.storage, &voucher)?.unwrap_or_default().checked_add(amount).map_err(StdError::from)?;
    VOUCHING.save(deps.storage, &voucher, &total)?;
    // The token checks the voucher's standing and capacity and reserves the credit, or the whole
    // transaction fails with its error.
    let reserve =
        credit_token::ExecuteMsg::ReserveCredit { member: voucher.to_string(), newcomer: newcomer.to_string(), amount };
    Ok(Response::new()
        .add_message(token(cfg).execute::<cosmwasm_std::Empty>(&reserve, vec![])?)
        .add_attribute("action", "vouch")
        .add_attribute("voucher", voucher)
        .add_attribute("newcomer", newcomer)
        .add_attribute("amount", amount)
        .add_attribute("exposure", exposure.to_string()))
}

pub fn execute_cancel_vouch(
    deps: DepsMut,
    cfg: &Config,
    info: MessageInfo,
    newcomer: &str,
) -> Result<Response, ContractError> {
    let newcomer = valid(deps.api, newcomer)?;
    let record = VOUCHES
        .may_load(deps.storage, (&newcomer, &info.sender))?
        .ok_or_else(|| ContractError::NoVouch { voucher: info.sender.to_string(), newcomer: newcomer.to_string() })?;
    if record.vouch.status != VouchStatus::Active {
        return Err(UnderwritingError::VouchNotActive { status: record.vouch.status }.into());
    }
    if let Some(id) = record.application {
        return Err(ContractError::VouchInUse { voucher: info.sender.to_string(), application: id });
    }
    let pool = load_pool(deps.storage)?;
    let (pool, messages) = settle_vouch(deps.storage, cfg, pool, &newcomer, &info.sender, VouchStatus::Cancelled)?;
    POOL.save(deps.storage, &pool)?;
    Ok(Response::new()
        .add_messages(messages)
        .add_attribute("action", "cancel_vouch")
        .add_attribute("voucher", info.sender)
        .add_attribute("newcomer", newcomer)
        .add_attribute("released", record.vouch.amount.to_string()))
}

/// Ends the active vouch of `voucher` for `newcomer` with `outcome`: the new pool and the messages
/// (release on the token, which cuts the line of a broken vouch; the reward to the voucher of a kept
/// one; a forfeited reward to the reserve).
fn settle_vouch(
    storage: &mut dyn Storage,
    cfg: &Config,
    pool: RewardPool,
    newcomer: &Addr,
    voucher: &Addr,
    outcome: VouchStatus,
) -> Result<(RewardPool, Vec<CosmosMsg>), ContractError> {
    let key = (newcomer, voucher);
    let Some(record) = VOUCHES.may_load(storage, key)? else { return Ok((pool, vec![])) };
    if record.vouch.status != VouchStatus::Active {
        // Nothing is reserved any more (settled before): a settlement never fails on it.
        return Ok((pool, vec![]));
    }
    let (pool, vouch, VouchOutcome { released, line_cut: _, reward, forfeited }) = match outcome {
        VouchStatus::Kept => uw::keep_vouch(&pool, &record.vouch)?,
        VouchStatus::Broken => uw::break_vouch(&pool, &record.vouch)?,
        VouchStatus::Cancelled | VouchStatus::Active => uw::cancel_vouch(&pool, &record.vouch)?,
    };
    VOUCHES.save(storage, key, &VouchRecord { vouch, application: None })?;
    let total = VOUCHING.may_load(storage, voucher)?.unwrap_or_default();
    VOUCHING.save(storage, voucher, &total.checked_sub(Uint128::new(released)).map_err(StdError::from)?)?;
    let release = credit_token::ExecuteMsg::ReleaseCredit {
        member: voucher.to_string(),
        newcomer: newcomer.to_string(),
        amount: Uint128::new(released),
        outcome,
    };
    let mut messages = vec![token(cfg).execute(&release, vec![])?];
    if reward > 0 {
        messages.push(token(cfg).transfer(voucher.as_str(), Uint128::new(reward))?);
    }
    if forfeited > 0 {
        messages.push(token(cfg).transfer(cfg.reserve.as_str(), Uint128::new(forfeited))?);
    }
    Ok((pool, messages))
}

// ---------------------------------------------------------------------------------------------
// rewards

pub fn execute_claim_rewards(deps: DepsMut, cfg: &Config, info: MessageInfo) -> Result<Response, ContractError> {
    let pool = load_pool(deps.storage)?;
    let (pool, account, amount) = uw::claim_rewards(&pool, &load_reward(deps.storage, &info.sender)?)?;
    POOL.save(deps.storage, &pool)?;
    REWARDS.save(deps.storage, &info.sender, &account)?;
    let pay: CosmosMsg = token(cfg).transfer(info.sender.as_str(), Uint128::new(amount))?;
    Ok(Response::new()
        .add_message(pay)
        .add_attribute("action", "claim_rewards")
        .add_attribute("underwriter", info.sender)
        .add_attribute("amount", amount.to_string()))
}

/// What this contract should hold in credit: fees received less what left it (rewards paid, fees
/// forwarded to the reserve, forfeited rewards sent there).
fn accounted(pool: &RewardPool) -> Result<u128, ContractError> {
    pool.received
        .checked_sub(pool.paid)
        .and_then(|v| v.checked_sub(pool.to_reserve))
        .and_then(|v| v.checked_sub(pool.forfeited))
        .ok_or(ContractError::Underwriting(UnderwritingError::Overflow))
}

pub fn execute_distribute_fees(deps: DepsMut, env: &Env, cfg: &Config) -> Result<Response, ContractError> {
    let balance: cw20::BalanceResponse = token(cfg)
        .query(&deps.querier, &credit_token::QueryMsg::Balance { address: env.contract.address.to_string() })?;
    let balance = balance.balance.u128();
    let pool = load_pool(deps.storage)?;
    let accounted = accounted(&pool)?;
    let fees = match balance.checked_sub(accounted) {
        None => return Err(ContractError::BalanceBelowAccounted { balance, accounted }),
        Some(0) => return Err(ContractError::NoNewFees { balance }),
        Some(f) => f,
    };
    let (pool, split) = uw::distribute(&pool, fees)?;
    POOL.save(deps.storage, &pool)?;
    let mut response = Response::new()
        .add_attribute("action", "distribute_fees")
        .add_attribute("fees", fees.to_string())
        .add_attribute("to_underwriters", split.to_underwriters.to_string())
        .add_attribute("to_reserve", split.to_reserve.to_string());
    if split.to_reserve > 0 {
        let pay: CosmosMsg = token(cfg).transfer(cfg.reserve.as_str(), Uint128::new(split.to_reserve))?;
        response = response.add_message(pay);
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// configuration

pub fn execute_update_config(
    deps: DepsMut,
    mut cfg: Config,
    info: MessageInfo,
    u: ConfigUpdate,
) -> Result<Response, ContractError> {
    require_admin(&cfg, &info.sender)?;
    let api = deps.api;
    if let Some(rules) = u.rules {
        rules.check()?;
        cfg.rules = rules;
    }
    if let Some(policy) = u.policy {
        policy.check()?;
        cfg.policy = policy;
    }
    if let Some(period) = u.unbonding_period {
        if period == 0 {
            return Err(ContractError::ZeroUnbondingPeriod);
        }
        cfg.unbonding_period = period;
    }
    if let Some(reserve) = u.reserve {
        cfg.reserve = valid(api, &reserve)?;
    }
    if u.remove_did_registry {
        cfg.did_registry = None;
    }
    if let Some(registry) = u.did_registry {
        cfg.did_registry = Some(valid(api, &registry)?);
    }
    if let Some(require) = u.require_did {
        cfg.require_did = require;
    }
    if let Some(scoring) = u.scoring {
        cfg.scoring = scoring;
    }
    if let Some(vouching) = u.vouching {
        cfg.vouching = vouching;
    }
    if u.remove_credit_period {
        cfg.credit_period_min_itd = None;
    }
    if let Some(min_itd) = u.credit_period_min_itd {
        cfg.credit_period_min_itd = Some(min_itd);
    }
    if let Some(bps) = u.risk_fee_bps {
        cfg.risk_fee_bps = checked_risk_fee(Some(bps))?;
    }
    check_did_settings(&cfg)?;
    CONFIG.save(deps.storage, &cfg)?;
    Ok(Response::new().add_attribute("action", "update_config"))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, &[], CONTRACT_VERSION)
}

// ---------------------------------------------------------------------------------------------
// query

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => to_json_binary(&query_config(deps)?),
        QueryMsg::Underwriter { address } => to_json_binary(&query_underwriter(deps, address)?),
        QueryMsg::Application { id } => to_json_binary(&query_application(deps, id)?),
        QueryMsg::Applications { status, start_after, limit } => {
            let ids = ids_by_status(deps.storage, status, start_after, Paging::STANDARD.size(limit))?;
            let applications = ids.into_iter().map(|id| query_application(deps, id)).collect::<StdResult<_>>()?;
            to_json_binary(&ApplicationsResponse { applications })
        }
        QueryMsg::Pool {} => {
            let p = load_pool(deps.storage)?;
            to_json_binary(&PoolResponse {
                total_exposure: p.total_exposure.into(),
                fees_received: p.received.into(),
                fees_to_reserve: p.to_reserve.into(),
                rewards_paid: p.paid.into(),
            })
        }
        QueryMsg::MemberExposure { member } => to_json_binary(&query_member_exposure(deps, member)?),
        QueryMsg::VouchOf { voucher, newcomer } => {
            let voucher = deps.api.addr_validate(&voucher)?;
            let newcomer = deps.api.addr_validate(&newcomer)?;
            let record = VOUCHES
                .may_load(deps.storage, (&newcomer, &voucher))?
                .ok_or_else(|| StdError::not_found(format!("vouch of {voucher} for {newcomer}")))?;
            to_json_binary(&vouch_view(deps, record)?)
        }
        QueryMsg::VouchesFor { newcomer, start_after, limit } => {
            let newcomer = deps.api.addr_validate(&newcomer)?;
            let start = start_after.map(|s| deps.api.addr_validate(&s)).transpose()?;
            let vouches = VOUCHES
                .prefix(&newcomer)
                .range(deps.storage, start.as_ref().map(Bound::exclusive), None, Order::Ascending)
                .take(Paging::STANDARD.size(limit))
                .map(|r| vouch_view(deps, r?.1))
                .collect::<StdResult<_>>()?;
            to_json_binary(&VouchesResponse { vouches })
        }
        QueryMsg::SuggestedLimit { claims, member } => {
            to_json_binary(&query_suggested_limit(deps, &env, claims, member)?)
        }
    }
}

fn core_err(e: UnderwritingError) -> StdError {
    StdError::generic_err(e.to_string())
}

fn contract_err(e: ContractError) -> StdError {
    match e {
        ContractError::Std(e) => e,
        e => StdError::generic_err(e.to_string()),
    }
}

pub fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        admin: c.admin,
        pending_admin: c.pending_admin,
        credit_token: c.credit_token,
        stake_asset: c.stake_asset.to_msg(),
        rules: c.rules,
        policy: c.policy,
        unbonding_period: c.unbonding_period,
        reserve: c.reserve,
        did_registry: c.did_registry,
        require_did: c.require_did,
        scoring: c.scoring,
        vouching: c.vouching,
        credit_period_min_itd: c.credit_period_min_itd,
        risk_fee_bps: c.risk_fee_bps,
    })
}

pub fn query_underwriter(deps: Deps, address: String) -> StdResult<UnderwriterResponse> {
    let address = deps.api.addr_validate(&address)?;
    let stake = load_stake(deps.storage, &address)?;
    let account = load_reward(deps.storage, &address)?;
    let rewards = uw::claimable(&load_pool(deps.storage)?, &account).map_err(core_err)?;
    Ok(UnderwriterResponse {
        free: stake.free.into(),
        locked: stake.locked.into(),
        unbonding: stake
            .unbonding
            .iter()
            .map(|u| UnbondingView { amount: u.amount.into(), release_at: u.release_at })
            .collect(),
        slashed: stake.slashed.into(),
        exposure: account.exposure.into(),
        rewards: rewards.into(),
        address,
    })
}

pub fn query_application(deps: Deps, id: u64) -> StdResult<ApplicationResponse> {
    let app =
        APPLICATIONS.may_load(deps.storage, id)?.ok_or_else(|| StdError::not_found(format!("application {id}")))?;
    let rules = CONFIG.load(deps.storage)?.rules;
    let suggestion = SUGGESTIONS.load(deps.storage, id)?;
    Ok(ApplicationResponse {
        id,
        applicant: app.applicant.address.clone(),
        amount: app.amount.into(),
        term: app.term,
        opened_at: app.opened_at,
        expires_at: app.expires_at,
        status: app.status,
        term_end: app.term_end,
        total_backing: app.total_backing().into(),
        required_backing: rules.required_backing(app.amount).map_err(core_err)?.into(),
        backers: app
            .backers
            .iter()
            .map(|b| BackerView { underwriter: b.underwriter.clone(), amount: b.amount.into() })
            .collect(),
        vouchers: app.vouchers.iter().map(|v| v.address.clone()).collect(),
        suggestion: SuggestionResponse { limit: suggestion.limit.into(), reasons: suggestion.reasons },
    })
}

fn vouch_view(deps: Deps, record: VouchRecord) -> StdResult<VouchResponse> {
    let accrued = uw::claimable(&load_pool(deps.storage)?, &record.vouch.rewards).map_err(core_err)?;
    Ok(VouchResponse {
        voucher: record.vouch.voucher,
        newcomer: record.vouch.newcomer,
        amount: record.vouch.amount.into(),
        status: record.vouch.status,
        application: record.application,
        accrued_reward: accrued.into(),
    })
}

pub fn query_member_exposure(deps: Deps, member: String) -> StdResult<MemberExposureResponse> {
    let member = deps.api.addr_validate(&member)?;
    let vouching = VOUCHING.may_load(deps.storage, &member)?.unwrap_or_default();
    let mut r = MemberExposureResponse {
        member: member.clone(),
        application: None,
        status: None,
        line: Uint128::zero(),
        backing: Uint128::zero(),
        backers: 0,
        vouched_for: Uint128::zero(),
        vouching,
    };
    if let Some(id) = ACTIVE.may_load(deps.storage, &member)? {
        let app = APPLICATIONS.load(deps.storage, id)?;
        let mut vouched = Uint128::zero();
        for v in &app.vouchers {
            if let Some(rec) = VOUCHES.may_load(deps.storage, (&member, &v.address))? {
                if rec.vouch.status == VouchStatus::Active {
                    vouched = vouched.checked_add(Uint128::new(rec.vouch.amount))?;
                }
            }
        }
        r = MemberExposureResponse {
            application: Some(id),
            status: Some(app.status),
            line: app.amount.into(),
            backing: app.total_backing().into(),
            backers: u32::try_from(app.backers.len()).unwrap_or(u32::MAX),
            vouched_for: vouched,
            ..r
        };
    }
    Ok(r)
}

pub fn query_suggested_limit(
    deps: Deps,
    env: &Env,
    claims: Vec<ClaimInput>,
    member: Option<String>,
) -> StdResult<SuggestionResponse> {
    let cfg = CONFIG.load(deps.storage)?;
    let history = match member {
        Some(m) => identity::history(&deps.querier, env, &cfg, &deps.api.addr_validate(&m)?).map_err(contract_err)?,
        None => Default::default(),
    };
    let pairs = claims.iter().map(|c| (c.claim_type.as_str(), c.predicate.as_str()));
    let suggestion = uw::suggested_limit(&ScoringInputs::from_predicates(pairs, history), &cfg.scoring);
    Ok(SuggestionResponse { limit: suggestion.limit.into(), reasons: suggestion.reasons })
}
