//! cw20 allowances. Spending from an allowance debits the owner through the same ledger rule as a
//! transfer (so it may take the owner below zero within its credit line) and uses up
//! `amount + fee` of the allowance: everything that leaves the owner.

use cosmwasm_std::{
    Api, Binary, BlockInfo, CanonicalAddr, Deps, DepsMut, Env, MessageInfo, Response, StdResult, Storage, Uint128,
};
use cw20::{AllowanceResponse, Cw20ReceiveMsg, Expiration};
use resource_core::ledger::{LedgerError, TransferOutcome};

use crate::contract::{
    canon, checked, plan_transfer, query_canon, settle_transfer, transfer_response, Delivery, Settled,
};
use crate::error::ContractError;
use crate::state::ALLOWANCES;

pub fn execute_increase_allowance(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spender: String,
    amount: Uint128,
    expires: Option<Expiration>,
) -> Result<Response, ContractError> {
    let (owner, spender_c) = allowance_parties(deps.api, &info, &spender, amount)?;
    let key = (owner.as_slice(), spender_c.as_slice());
    let mut allow = ALLOWANCES.may_load(deps.storage, key)?.unwrap_or_default();
    if let Some(exp) = expires {
        if exp.is_expired(&env.block) {
            return Err(ContractError::InvalidExpiration);
        }
        allow.expires = exp;
    }
    allow.allowance = allow.allowance.checked_add(amount).map_err(|_| LedgerError::Overflow)?;
    ALLOWANCES.save(deps.storage, key, &allow)?;
    Ok(Response::new()
        .add_attribute("action", "increase_allowance")
        .add_attribute("owner", info.sender)
        .add_attribute("spender", spender)
        .add_attribute("amount", amount))
}

pub fn execute_decrease_allowance(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    spender: String,
    amount: Uint128,
    expires: Option<Expiration>,
) -> Result<Response, ContractError> {
    let (owner, spender_c) = allowance_parties(deps.api, &info, &spender, amount)?;
    let key = (owner.as_slice(), spender_c.as_slice());
    let mut allow = ALLOWANCES.may_load(deps.storage, key)?.ok_or(ContractError::NoAllowance)?;
    if amount < allow.allowance {
        allow.allowance -= amount;
        if let Some(exp) = expires {
            if exp.is_expired(&env.block) {
                return Err(ContractError::InvalidExpiration);
            }
            allow.expires = exp;
        }
        ALLOWANCES.save(deps.storage, key, &allow)?;
    } else {
        ALLOWANCES.remove(deps.storage, key);
    }
    Ok(Response::new()
        .add_attribute("action", "decrease_allowance")
        .add_attribute("owner", info.sender)
        .add_attribute("spender", spender)
        .add_attribute("amount", amount))
}

/// Checks shared by increasing and decreasing an allowance: a non-zero amount, valid addresses, and a
/// spender other than the owner. Returns the owner's and the spender's canonical addresses.
fn allowance_parties(
    api: &dyn Api,
    info: &MessageInfo,
    spender: &str,
    amount: Uint128,
) -> Result<(CanonicalAddr, CanonicalAddr), ContractError> {
    if amount.is_zero() {
        return Err(LedgerError::ZeroAmount.into());
    }
    let owner = canon(api, info.sender.as_str())?;
    let spender = canon(api, spender)?;
    if owner == spender {
        return Err(ContractError::CannotSetOwnAccount);
    }
    Ok((owner, spender))
}

/// The allowance record, if present and not expired.
fn live_allowance(
    storage: &dyn Storage,
    owner: &[u8],
    spender: &[u8],
    block: &BlockInfo,
) -> Result<AllowanceResponse, ContractError> {
    let allow = ALLOWANCES.may_load(storage, (owner, spender))?.ok_or(ContractError::NoAllowance)?;
    if allow.expires.is_expired(block) {
        return Err(ContractError::AllowanceExpired);
    }
    Ok(allow)
}

/// Ledger and allowance checks first (nothing written), then one write per touched account, then the
/// allowance. Returns the outcome and the reputation records the transfer calls for.
fn spend_from(
    mut deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    owner: &str,
    to: CanonicalAddr,
    amount: Uint128,
    delivery: Delivery,
) -> Result<(TransferOutcome, Settled), ContractError> {
    let owner_c = canon(deps.api, owner)?;
    let spender_c = canon(deps.api, info.sender.as_str())?;
    let mut allow = live_allowance(deps.storage, &owner_c, &spender_c, &env.block)?;
    let plan = plan_transfer(deps.storage, env.block.time.seconds(), owner_c, to, amount, delivery)?;
    let requested = plan.outcome.debited();
    let left = allow
        .allowance
        .u128()
        .checked_sub(requested)
        .ok_or(ContractError::InsufficientAllowance { allowance: allow.allowance.u128(), requested })?;
    let settled = settle_transfer(deps.branch(), env, &plan)?;
    let key = (plan.from.as_slice(), spender_c.as_slice());
    if left == 0 {
        ALLOWANCES.remove(deps.storage, key);
    } else {
        allow.allowance = Uint128::new(left);
        ALLOWANCES.save(deps.storage, key, &allow)?;
    }
    Ok((plan.outcome, settled))
}

pub fn execute_transfer_from(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    owner: String,
    recipient: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let to = canon(deps.api, &recipient)?;
    let (outcome, settled) = spend_from(deps, &env, &info, &owner, to, amount, Delivery::Plain)?;
    Ok(transfer_response("transfer_from", &owner, &recipient, &outcome, settled).add_attribute("by", info.sender))
}

pub fn execute_send_from(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    owner: String,
    contract: String,
    amount: Uint128,
    msg: Binary,
) -> Result<Response, ContractError> {
    let (contract, to) = checked(deps.api, &contract)?;
    let (outcome, settled) = spend_from(deps, &env, &info, &owner, to, amount, Delivery::WithHook)?;
    let hook = Cw20ReceiveMsg { sender: info.sender.to_string(), amount, msg }.into_cosmos_msg(contract.as_str())?;
    Ok(transfer_response("send_from", &owner, contract.as_str(), &outcome, settled)
        .add_attribute("by", info.sender)
        .add_message(hook))
}

pub fn query_allowance(deps: Deps, owner: String, spender: String) -> StdResult<AllowanceResponse> {
    let owner = query_canon(deps.api, &owner)?;
    let spender = query_canon(deps.api, &spender)?;
    Ok(ALLOWANCES.may_load(deps.storage, (owner.as_slice(), spender.as_slice()))?.unwrap_or_default())
}
