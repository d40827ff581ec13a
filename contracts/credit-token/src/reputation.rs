//! Reputation records for the DID registry. When the config names a `did_registry`, the credit
//! actions that call for a record (see `resource_core::ledger`: a grant, a settled term's on-time
//! repayment, a default, a recovery) add the registry's `RecordReputation { did, event }` to the
//! response as a submessage with a reply **on error** only.
//!
//! Why a caught submessage: the registry is a different contract with its own admin. If it refuses
//! (the token was removed from its writers, it is broken or was migrated), a plain message would
//! revert the credit action with it, so a debtor could not repay and a default could not be
//! declared. With the failure caught, the credit action stands, the registry's changes are
//! reverted, a `wasm-reputation_record_failed` event says what happened, and the record is kept
//! (`PendingReputationRecords`) until `RetryReputationRecords` delivers it. The record travels in the
//! submessage's payload, so the success path stores nothing.
//!
//! The DID is the member's account DID on this chain, built and checked by
//! `resource_core::did::ResourceDid::account_text_of_valid_address`; the event is
//! `resource_core::did::ReputationEvent` in its own JSON.

use cosmwasm_std::{
    from_json, to_json_binary, Api, CanonicalAddr, Env, Event, Order, Reply, Response, StdError, Storage, SubMsg,
    SubMsgResult,
};
use cw_storage_plus::Bound;
use resource_core::did::{ReputationEvent, ResourceDid};
use resource_msgs::credit_token::{PendingRecord, MAX_RETRY_RECORDS};
use resource_msgs::DidRegistryContract;

use crate::error::ContractError;
use crate::state::{load_config, NEXT_PENDING_ID, PENDING_RECORDS};

/// The reply id of every reputation record.
pub const REPLY_RECORD: u64 = 1;

/// Custom event of a refused record; the chain reports it as `wasm-reputation_record_failed`.
pub const RECORD_FAILED_EVENT: &str = "reputation_record_failed";

/// The member's account DID on this chain.
pub(crate) fn member_did(api: &dyn Api, env: &Env, member: &CanonicalAddr) -> Result<String, ContractError> {
    let address = api.addr_humanize(member)?;
    // The chain validated the address, so the light builder (no bech32 re-check) is exact here.
    ResourceDid::account_text_of_valid_address(&env.block.chain_id, address.as_str())
        .map_err(|_| ContractError::NoDidOnThisChain { chain_id: env.block.chain_id.clone() })
}

/// `RecordReputation` of `record` for `registry`, as a submessage whose failure is caught and kept.
fn submessage(api: &dyn Api, registry: &CanonicalAddr, record: &PendingRecord) -> Result<SubMsg, ContractError> {
    let msg = DidRegistryContract::new(api.addr_humanize(registry)?)
        .record_reputation(record.did.clone(), record.event.clone())?;
    Ok(SubMsg::reply_on_error(msg, REPLY_RECORD).with_payload(to_json_binary(record)?))
}

/// `RecordReputation { did: <member's account DID>, event }` for `registry`, caught on failure.
pub(crate) fn record(
    api: &dyn Api,
    env: &Env,
    registry: &CanonicalAddr,
    member: &CanonicalAddr,
    event: ReputationEvent,
) -> Result<SubMsg, ContractError> {
    // `id` is given when the record is kept; `since` is when it was asked for.
    let record = PendingRecord { id: 0, did: member_did(api, env, member)?, event, since: env.block.time.seconds() };
    submessage(api, registry, &record)
}

/// The records a credit action calls for, for `member`, when a registry is configured.
pub(crate) fn records(
    api: &dyn Api,
    env: &Env,
    registry: Option<&CanonicalAddr>,
    member: &CanonicalAddr,
    events: impl IntoIterator<Item = ReputationEvent>,
) -> Result<Vec<SubMsg>, ContractError> {
    let Some(registry) = registry else { return Ok(Vec::new()) };
    events.into_iter().map(|event| record(api, env, registry, member, event)).collect()
}

/// The reply of a refused record: keep it (under its old id when it was a retry) and say so.
pub fn kept_on_failure(storage: &mut dyn Storage, env: &Env, reply: Reply) -> Result<Response, ContractError> {
    let SubMsgResult::Err(error) = reply.result else {
        // reply_on_error: a success never replies.
        return Ok(Response::new());
    };
    let mut record: PendingRecord = from_json(&reply.payload)?;
    if record.id == 0 {
        let id = NEXT_PENDING_ID.may_load(storage)?.unwrap_or(1);
        NEXT_PENDING_ID
            .save(storage, &id.checked_add(1).ok_or_else(|| StdError::generic_err("record id overflow"))?)?;
        record.id = id;
    }
    PENDING_RECORDS.save(storage, record.id, &record)?;
    let event = Event::new(RECORD_FAILED_EVENT)
        .add_attribute("record_id", record.id.to_string())
        .add_attribute("did", &record.did)
        .add_attribute("event", record.event.name())
        .add_attribute("error", error)
        .add_attribute("at", env.block.time.seconds().to_string());
    Ok(Response::new().add_event(event))
}

/// `RetryReputationRecords`: sends the oldest kept records again; a refusal keeps them again.
pub fn retry(storage: &mut dyn Storage, api: &dyn Api, limit: Option<u32>) -> Result<Response, ContractError> {
    let registry = load_config(storage)?.did_registry.ok_or(ContractError::NoDidRegistry)?;
    let n = limit.unwrap_or(MAX_RETRY_RECORDS).min(MAX_RETRY_RECORDS) as usize;
    let kept: Vec<PendingRecord> = PENDING_RECORDS
        .range(storage, None, None, Order::Ascending)
        .take(n)
        .map(|r| r.map(|(_, v)| v))
        .collect::<Result<_, _>>()?;
    if kept.is_empty() {
        return Err(ContractError::NoPendingRecords);
    }
    let mut messages = Vec::with_capacity(kept.len());
    for record in &kept {
        PENDING_RECORDS.remove(storage, record.id);
        messages.push(submessage(api, &registry, record)?);
    }
    Ok(Response::new()
        .add_attribute("action", "retry_reputation_records")
        .add_attribute("records", kept.len().to_string())
        .add_submessages(messages))
}

/// `PendingReputationRecords`: kept records by id.
pub fn pending(
    storage: &dyn Storage,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> cosmwasm_std::StdResult<Vec<PendingRecord>> {
    let n = resource_cw::Paging::STANDARD.size(limit);
    PENDING_RECORDS
        .range(storage, start_after.map(Bound::exclusive), None, Order::Ascending)
        .take(n)
        .map(|r| r.map(|(_, v)| v))
        .collect()
}
