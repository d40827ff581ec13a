#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Addr, Api, BankMsg, Binary, Coin, CosmosMsg, Deps, DepsMut, Env, MessageInfo, Response, StdError,
    StdResult, Storage, Uint128,
};
use resource_core::underwriting::{self as uw, Application, Member, RewardPool, UnderwritingError};
use resource_cw::Paging;
use resource_msgs::credit_token::{self, CreditAccountResponse};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationsResponse, BackerView, ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg,
    PoolResponse, QueryMsg, UnbondingView, UnderwriterResponse,
};
use resource_msgs::CreditTokenContract;

use crate::error::ContractError;
use crate::state::{
    ids_by_status, load_pool, load_reward, load_stake, save_application, Config, ACTIVE, APPLICATIONS, CONFIG, LAST_ID,
    POOL, REWARDS, STAKES,
};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:underwriting";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

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

fn stake_coins(cfg: &Config, amount: u128) -> Vec<Coin> {
    vec![Coin { denom: cfg.stake_denom.clone(), amount: Uint128::new(amount) }]
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
    if msg.stake_denom.is_empty() {
        return Err(ContractError::EmptyDenom);
    }
    if msg.unbonding_period == 0 {
        return Err(ContractError::ZeroUnbondingPeriod);
    }
    let cfg = Config {
        admin,
        credit_token: valid(api, &msg.credit_token)?,
        stake_denom: msg.stake_denom,
        rules: msg.rules,
        policy: msg.policy,
        unbonding_period: msg.unbonding_period,
        reserve: valid(api, &msg.reserve)?,
    };
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
        ExecuteMsg::Stake {} => execute_stake(deps, &cfg, info),
        ExecuteMsg::Unbond { amount } => execute_unbond(deps, &cfg, info, amount, now),
        ExecuteMsg::Claim {} => execute_claim(deps, &cfg, info, now),
        ExecuteMsg::Apply { amount, term } => execute_apply(deps, &cfg, info, amount, term, now),
        ExecuteMsg::Back { application, amount } => execute_back(deps, &cfg, info, application, amount, now),
        ExecuteMsg::Withdraw { application, amount } => execute_withdraw(deps, info, application, amount),
        ExecuteMsg::Settle { application } => execute_settle(deps, &cfg, application, now),
        ExecuteMsg::ClaimRewards {} => execute_claim_rewards(deps, &cfg, info),
        ExecuteMsg::DistributeFees {} => execute_distribute_fees(deps, &env, &cfg),
    }
}

fn load_application(storage: &dyn Storage, id: u64) -> Result<Application<Addr>, ContractError> {
    APPLICATIONS.may_load(storage, id)?.ok_or(ContractError::ApplicationNotFound { id })
}

pub fn execute_stake(deps: DepsMut, cfg: &Config, info: MessageInfo) -> Result<Response, ContractError> {
    let amount = match info.funds.as_slice() {
        [c] if c.denom == cfg.stake_denom && !c.amount.is_zero() => c.amount.u128(),
        _ => return Err(ContractError::WrongFunds { denom: cfg.stake_denom.clone() }),
    };
    let stake = uw::bond(&load_stake(deps.storage, &info.sender)?, amount)?;
    STAKES.save(deps.storage, &info.sender, &stake)?;
    Ok(Response::new()
        .add_attribute("action", "stake")
        .add_attribute("underwriter", info.sender)
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
    let send = BankMsg::Send { to_address: info.sender.to_string(), amount: stake_coins(cfg, amount) };
    Ok(Response::new()
        .add_message(send)
        .add_attribute("action", "claim")
        .add_attribute("underwriter", info.sender)
        .add_attribute("amount", amount.to_string()))
}

pub fn execute_apply(
    deps: DepsMut,
    cfg: &Config,
    info: MessageInfo,
    amount: Uint128,
    term: u64,
    now: u64,
) -> Result<Response, ContractError> {
    if let Some(id) = ACTIVE.may_load(deps.storage, &info.sender)? {
        return Err(ContractError::ActiveApplication { id });
    }
    // The identity is the address itself in this slice (the DID-controller lookup comes next).
    let app = uw::apply(Member::own(info.sender.clone()), amount.u128(), term, vec![], &cfg.policy, now)?;
    let id = LAST_ID.may_load(deps.storage)?.unwrap_or(0).checked_add(1).ok_or(UnderwritingError::Overflow)?;
    LAST_ID.save(deps.storage, &id)?;
    save_application(deps.storage, id, None, &app)?;
    ACTIVE.save(deps.storage, &info.sender, &id)?;
    Ok(Response::new()
        .add_attribute("action", "apply")
        .add_attribute("application", id.to_string())
        .add_attribute("applicant", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("term", term.to_string())
        .add_attribute("expires_at", app.expires_at.to_string()))
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
    cfg: &Config,
    info: MessageInfo,
    id: u64,
    amount: Uint128,
    now: u64,
) -> Result<Response, ContractError> {
    let app = load_application(deps.storage, id)?;
    let stake = load_stake(deps.storage, &info.sender)?;
    let (backed, stake) = uw::back(&app, &stake, Member::own(info.sender.clone()), amount.u128(), now)?;
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
            response = response
                .add_message(token(cfg).execute::<cosmwasm_std::Empty>(&set_line, vec![])?)
                .add_attribute("approved", "true")
                .add_attribute("term_end", term_end.to_string());
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
        repaid
    } else {
        let declarable_at =
            account.line.and_then(|l| l.default_declarable_at).ok_or(ContractError::NoCreditLine { debt })?;
        if now < declarable_at {
            return Err(ContractError::DefaultNotDeclarableYet { debt, declarable_at });
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
        let declare = credit_token::ExecuteMsg::DeclareDefault { member: member.to_string() };
        response = response
            .add_message(token(cfg).execute::<cosmwasm_std::Empty>(&declare, vec![])?)
            .add_attribute("outcome", "defaulted")
            .add_attribute("loss", debt.to_string())
            .add_attribute("to_reserve", settlement.slashed.to_string());
        if settlement.slashed > 0 {
            response = response.add_message(BankMsg::Send {
                to_address: cfg.reserve.to_string(),
                amount: stake_coins(cfg, settlement.slashed),
            });
        }
        defaulted
    };
    POOL.save(deps.storage, &pool)?;
    save_application(deps.storage, id, Some(old), &settled)?;
    ACTIVE.remove(deps.storage, &member);
    Ok(response)
}

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
        QueryMsg::Underwriter { address } => to_json_binary(&query_underwriter(deps, &env, address)?),
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
    }
}

fn core_err(e: UnderwritingError) -> StdError {
    StdError::generic_err(e.to_string())
}

pub fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        admin: c.admin,
        credit_token: c.credit_token,
        stake_denom: c.stake_denom,
        rules: c.rules,
        policy: c.policy,
        unbonding_period: c.unbonding_period,
        reserve: c.reserve,
    })
}

pub fn query_underwriter(deps: Deps, _env: &Env, address: String) -> StdResult<UnderwriterResponse> {
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
    })
}
