//! The project's contracts as cw-multi-test wraps them, with every entry point each has, so that
//! every scenario runs the same contract (a scenario that leaves one out would not notice a
//! submessage's reply or a migration going missing).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError, StdResult};
use cw20::Cw20ReceiveMsg;
use cw_multi_test::{Contract, ContractWrapper};

pub use resource_testing::payments::token_contract;

pub fn clearing_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_clearing::contract::execute,
            resource_clearing::contract::instantiate,
            resource_clearing::contract::query,
        )
        .with_migrate(resource_clearing::contract::migrate),
    )
}

pub fn registry_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_did_registry::contract::execute,
            resource_did_registry::contract::instantiate,
            resource_did_registry::contract::query,
        )
        .with_migrate(resource_did_registry::contract::migrate),
    )
}

// A merchant contract that records the last cw20 Receive hook, or fails when the message says so.
#[cw_serde]
enum ShopMsg {
    Receive(Cw20ReceiveMsg),
}

fn shop_execute(deps: DepsMut, _env: Env, info: MessageInfo, msg: ShopMsg) -> StdResult<Response> {
    let ShopMsg::Receive(r) = msg;
    if r.msg.as_slice() == b"\"fail\"" {
        return Err(StdError::generic_err("shop refuses"));
    }
    deps.storage.set(b"last", &to_json_binary(&(info.sender, r))?);
    Ok(Response::new())
}

fn shop_instantiate(_deps: DepsMut, _env: Env, _info: MessageInfo, _msg: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn shop_query(deps: Deps, _env: Env, _msg: Empty) -> StdResult<Binary> {
    Ok(Binary::from(deps.storage.get(b"last").unwrap_or_default()))
}

/// The merchant contract: its query answers `(caller, last hook)` as JSON.
pub fn shop_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(shop_execute, shop_instantiate, shop_query))
}

pub fn underwriting_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_underwriting::contract::execute,
            resource_underwriting::contract::instantiate,
            resource_underwriting::contract::query,
        )
        .with_migrate(resource_underwriting::contract::migrate),
    )
}
