//! The project's contracts as cw-multi-test wraps them, with every entry point each has, so that
//! every scenario runs the same contract (a scenario that leaves one out would not notice a
//! submessage's reply or a migration going missing).

use cosmwasm_std::Empty;
use cw_multi_test::{Contract, ContractWrapper};

pub fn token_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            resource_credit_token::contract::execute,
            resource_credit_token::contract::instantiate,
            resource_credit_token::contract::query,
        )
        .with_reply(resource_credit_token::contract::reply)
        .with_migrate(resource_credit_token::contract::migrate),
    )
}

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
