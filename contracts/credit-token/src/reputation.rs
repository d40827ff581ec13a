//! Reputation events for the DID registry. When the config names a `did_registry`, a credit line
//! granted, a debt repaid in full before its term end and a default each add one plain
//! `WasmMsg::Execute` of the registry's `RecordReputation { did, event }` to the response (not a
//! submessage with a reply): if the registry refuses, the whole transaction fails with the
//! registry's error, so no credit action is ever recorded without its reputation record. The message
//! comes from `resource_msgs::DidRegistryContract`.
//!
//! The DID is the member's account DID on this chain, built and checked by
//! `resource_core::did::ResourceDid::account_text_of_valid_address`; the event is
//! `resource_core::did::ReputationEvent` in its own JSON.

use cosmwasm_std::{Api, CanonicalAddr, CosmosMsg, Env, Storage};
use resource_core::did::{ReputationEvent, ResourceDid};
use resource_core::ledger::{self, Account};
use resource_msgs::DidRegistryContract;

use crate::contract::Plan;
use crate::error::ContractError;
use crate::state::load_config;

/// `resource_core::ledger::repaid_on_time` for an account that may be new (a new account was in no debt).
fn repaid_on_time(old: Option<&Account>, new: &Account, now: u64) -> Option<u128> {
    old.and_then(|old| ledger::repaid_on_time(old, new, now))
}

/// `RecordReputation { did: <member's account DID>, event }` for `registry`.
pub(crate) fn record(
    api: &dyn Api,
    env: &Env,
    registry: &CanonicalAddr,
    member: &CanonicalAddr,
    event: ReputationEvent,
) -> Result<CosmosMsg, ContractError> {
    let address = api.addr_humanize(member)?;
    // The chain validated the address, so the light builder (no bech32 re-check) is exact here.
    let did = ResourceDid::account_text_of_valid_address(&env.block.chain_id, address.as_str())
        .map_err(|_| ContractError::NoDidOnThisChain { chain_id: env.block.chain_id.clone() })?;
    Ok(DidRegistryContract::new(api.addr_humanize(registry)?).record_reputation(did, event)?)
}

/// The `repaid_on_time` records of a transfer: for the receiver and for a third-party fee collector
/// (the sender only pays). Reads nothing unless one of them completed an on-time repayment: then the
/// config, for the registry (and sends nothing when there is none).
pub(crate) fn repayment_messages(
    storage: &dyn Storage,
    api: &dyn Api,
    env: &Env,
    plan: &Plan,
) -> Result<Vec<CosmosMsg>, ContractError> {
    let now = env.block.time.seconds();
    let o = &plan.outcome;
    let receiver = repaid_on_time(plan.old_to.as_ref(), &o.receiver, now);
    let collector = match (&plan.collector, &o.collector) {
        (Some((key, old)), Some(new)) => repaid_on_time(old.as_ref(), new, now).map(|debt| (key, debt)),
        _ => None,
    };
    let mut records = Vec::new();
    if receiver.is_none() && collector.is_none() {
        return Ok(records);
    }
    if let Some(registry) = load_config(storage)?.did_registry {
        if let Some(amount) = receiver {
            records.push(record(api, env, &registry, &plan.to, ReputationEvent::RepaidOnTime { amount })?);
        }
        if let Some((member, amount)) = collector {
            records.push(record(api, env, &registry, member, ReputationEvent::RepaidOnTime { amount })?);
        }
    }
    Ok(records)
}
