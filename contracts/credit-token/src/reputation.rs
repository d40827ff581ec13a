//! Reputation records for the DID registry. When the config names a `did_registry`, the credit
//! actions that call for a record (see `resource_core::ledger`: a grant, a settled term's on-time
//! repayment, a default, a recovery; and a vouch's reservation and its kept or broken release) add
//! the registry's `RecordReputation { did, event }` to the response as a submessage with a reply
//! **on error** only.
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
//! `resource_core::did::ReputationEvent` in its own JSON. A vouch's event names the newcomer by its
//! account DID (`account_did_of_valid_address`, the same checks), built only when the record is sent
//! or listed: a kept record holds the newcomer's canonical address.

use cosmwasm_std::{
    Api, CanonicalAddr, Env, Event as CwEvent, Order, Reply, Response, StdResult, Storage, SubMsg, SubMsgResult,
};
use resource_core::did::{Did, ReputationEvent, ResourceDid};
use resource_cw::codec::{put_addr, put_uvarint, Reader};
use resource_msgs::credit_token::{PendingRecord, MAX_RETRY_RECORDS};
use resource_msgs::DidRegistryContract;

use crate::error::ContractError;
use crate::state::load_config;

/// The reply id of every reputation record.
pub const REPLY_RECORD: u64 = 1;

/// Custom event of a refused record; the chain reports it as `wasm-reputation_record_failed`.
pub const RECORD_FAILED_EVENT: &str = "reputation_record_failed";

/// Kept records: `p` ++ id (8 bytes, big-endian, so they list oldest first) -> [`Kept`] bytes.
const PENDING_PREFIX: &[u8] = b"p";
/// The id the next refused record is kept under (8 bytes, big-endian).
const NEXT_ID_KEY: &[u8] = b"q";

const RECORD: &str = "corrupt kept reputation record";

/// Which vouch record: the voucher reserved credit for the newcomer, or the vouch was kept or broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VouchRecord {
    Given,
    Kept,
    Broken,
}

/// What a record says: one of the member's own credit events, or a vouch's, which names the
/// newcomer (by its address here; its DID is built when the record is sent or listed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Credit(ReputationEvent),
    Vouch { record: VouchRecord, amount: u128, newcomer: CanonicalAddr },
}

impl From<ReputationEvent> for Event {
    fn from(event: ReputationEvent) -> Self {
        Event::Credit(event)
    }
}

impl Event {
    /// The event as the registry takes it.
    fn resolve(&self, api: &dyn Api, env: &Env) -> Result<ReputationEvent, ContractError> {
        let (record, amount, member) = match self {
            Event::Credit(event) => return Ok(event.clone()),
            Event::Vouch { record, amount, newcomer } => (record, *amount, account_did(api, env, newcomer)?),
        };
        Ok(match record {
            VouchRecord::Given => ReputationEvent::VouchGiven { amount, member },
            VouchRecord::Kept => ReputationEvent::VouchKept { amount, member },
            VouchRecord::Broken => ReputationEvent::VouchBroken { amount, member },
        })
    }
}

/// A record on its way to the registry, or kept after a refusal. Stored and carried in the
/// submessage's payload in a compact binary form (not JSON), so that the token never has to parse
/// DID types: `id` (0 until kept), `since`, the member's canonical address, and the event as a tag
/// and its amounts, for a vouch then the newcomer's canonical address (the token makes only the
/// seven events below).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Kept {
    pub id: u64,
    pub since: u64,
    pub member: CanonicalAddr,
    pub event: Event,
}

impl Kept {
    fn encode(&self) -> Result<Vec<u8>, ContractError> {
        let mut out = Vec::with_capacity(48);
        put_uvarint(&mut out, u128::from(self.id));
        put_uvarint(&mut out, u128::from(self.since));
        put_addr(&mut out, Some(&self.member))?;
        let event = match &self.event {
            Event::Credit(event) => event,
            Event::Vouch { record, amount, newcomer } => {
                out.push(match record {
                    VouchRecord::Given => 4,
                    VouchRecord::Kept => 5,
                    VouchRecord::Broken => 6,
                });
                put_uvarint(&mut out, *amount);
                put_addr(&mut out, Some(newcomer))?;
                return Ok(out);
            }
        };
        match *event {
            ReputationEvent::CreditLineGranted { amount, term } => {
                out.push(0);
                put_uvarint(&mut out, amount);
                put_uvarint(&mut out, u128::from(term));
            }
            ReputationEvent::RepaidOnTime { amount } => {
                out.push(1);
                put_uvarint(&mut out, amount);
            }
            ReputationEvent::Defaulted { amount } => {
                out.push(2);
                put_uvarint(&mut out, amount);
            }
            ReputationEvent::DebtRecovered { amount } => {
                out.push(3);
                put_uvarint(&mut out, amount);
            }
            // The token records nothing else (its vouch events are `Event::Vouch`).
            _ => return Err(resource_cw::codec::corrupt(RECORD).into()),
        }
        Ok(out)
    }

    fn decode(bytes: &[u8]) -> StdResult<Kept> {
        let mut r = Reader::new(bytes, RECORD);
        let id = r.u64()?;
        let since = r.u64()?;
        let member = r.addr()?.ok_or_else(|| resource_cw::codec::corrupt(RECORD))?;
        let vouch = |record, r: &mut Reader| -> StdResult<Event> {
            Ok(Event::Vouch { record, amount: r.uvarint()?, newcomer: r.required_addr()? })
        };
        let event = match r.byte()? {
            0 => ReputationEvent::CreditLineGranted { amount: r.uvarint()?, term: r.u64()? }.into(),
            1 => ReputationEvent::RepaidOnTime { amount: r.uvarint()? }.into(),
            2 => ReputationEvent::Defaulted { amount: r.uvarint()? }.into(),
            3 => ReputationEvent::DebtRecovered { amount: r.uvarint()? }.into(),
            4 => vouch(VouchRecord::Given, &mut r)?,
            5 => vouch(VouchRecord::Kept, &mut r)?,
            6 => vouch(VouchRecord::Broken, &mut r)?,
            _ => return Err(resource_cw::codec::corrupt(RECORD)),
        };
        r.finish()?;
        Ok(Kept { id, since, member, event })
    }
}

fn pending_key(id: u64) -> Vec<u8> {
    let mut k = PENDING_PREFIX.to_vec();
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The member's account DID on this chain.
pub(crate) fn member_did(api: &dyn Api, env: &Env, member: &CanonicalAddr) -> Result<String, ContractError> {
    let address = api.addr_humanize(member)?;
    // The chain validated the address, so the light builder (no bech32 re-check) is exact here.
    ResourceDid::account_text_of_valid_address(&env.block.chain_id, address.as_str()).map_err(|_| no_did(env))
}

/// [`member_did`] as a `Did`, for the member a vouch event names.
fn account_did(api: &dyn Api, env: &Env, member: &CanonicalAddr) -> Result<Did, ContractError> {
    let address = api.addr_humanize(member)?;
    ResourceDid::account_did_of_valid_address(&env.block.chain_id, address.as_str()).map_err(|_| no_did(env))
}

fn no_did(env: &Env) -> ContractError {
    ContractError::NoDidOnThisChain { chain_id: env.block.chain_id.clone() }
}

/// `RecordReputation` of `record` for `registry`, as a submessage whose failure is caught and kept.
fn submessage(api: &dyn Api, env: &Env, registry: &CanonicalAddr, record: &Kept) -> Result<SubMsg, ContractError> {
    let did = member_did(api, env, &record.member)?;
    let event = record.event.resolve(api, env)?;
    let msg = DidRegistryContract::new(api.addr_humanize(registry)?).record_reputation(did, event)?;
    Ok(SubMsg::reply_on_error(msg, REPLY_RECORD).with_payload(record.encode()?))
}

/// `RecordReputation { did: <member's account DID>, event }` for `registry`, caught on failure.
pub(crate) fn record(
    api: &dyn Api,
    env: &Env,
    registry: &CanonicalAddr,
    member: &CanonicalAddr,
    event: impl Into<Event>,
) -> Result<SubMsg, ContractError> {
    let record = Kept { id: 0, since: env.block.time.seconds(), member: member.clone(), event: event.into() };
    submessage(api, env, registry, &record)
}

/// The records a credit action calls for, for `member`, when a registry is configured.
pub(crate) fn records<E: Into<Event>>(
    api: &dyn Api,
    env: &Env,
    registry: Option<&CanonicalAddr>,
    member: &CanonicalAddr,
    events: impl IntoIterator<Item = E>,
) -> Result<Vec<SubMsg>, ContractError> {
    let Some(registry) = registry else { return Ok(Vec::new()) };
    events.into_iter().map(|event| record(api, env, registry, member, event)).collect()
}

/// The reply of a refused record: keep it (under its old id when it was a retry) and say so.
pub fn kept_on_failure(
    storage: &mut dyn Storage,
    api: &dyn Api,
    env: &Env,
    reply: Reply,
) -> Result<Response, ContractError> {
    let SubMsgResult::Err(error) = reply.result else {
        // reply_on_error: a success never replies.
        return Ok(Response::new());
    };
    let mut record = Kept::decode(&reply.payload)?;
    if record.id == 0 {
        let id = storage.get(NEXT_ID_KEY).map_or(Ok(1), |v| {
            <[u8; 8]>::try_from(v.as_slice()).map(u64::from_be_bytes).map_err(|_| resource_cw::codec::corrupt(RECORD))
        })?;
        storage.set(NEXT_ID_KEY, &id.saturating_add(1).to_be_bytes());
        record.id = id;
    }
    storage.set(&pending_key(record.id), &record.encode()?);
    let event = CwEvent::new(RECORD_FAILED_EVENT)
        .add_attribute("record_id", record.id.to_string())
        .add_attribute("did", member_did(api, env, &record.member)?)
        .add_attribute("event", record.event.resolve(api, env)?.name())
        .add_attribute("error", error);
    Ok(Response::new().add_event(event))
}

/// The oldest kept records, from after `start_after`, at most `n`.
fn kept(storage: &dyn Storage, start_after: Option<u64>, n: usize) -> StdResult<Vec<Kept>> {
    let start = pending_key(start_after.map_or(0, |id| id.saturating_add(1)));
    let end = pending_key(u64::MAX);
    let mut out: Vec<Kept> = Vec::with_capacity(n);
    for (_, v) in storage.range(Some(&start), Some(&end), Order::Ascending).take(n) {
        out.push(Kept::decode(&v)?);
    }
    Ok(out)
}

/// `RetryReputationRecords`: sends the oldest kept records again; a refusal keeps them again.
pub fn retry(
    storage: &mut dyn Storage,
    api: &dyn Api,
    env: &Env,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let registry = load_config(storage)?.did_registry.ok_or(ContractError::NoDidRegistry)?;
    let n = limit.unwrap_or(MAX_RETRY_RECORDS).min(MAX_RETRY_RECORDS) as usize;
    let records = kept(storage, None, n)?;
    if records.is_empty() {
        return Err(ContractError::NoPendingRecords);
    }
    let mut messages = Vec::with_capacity(records.len());
    for record in &records {
        storage.remove(&pending_key(record.id));
        messages.push(submessage(api, env, &registry, record)?);
    }
    Ok(Response::new()
        .add_attribute("action", "retry_reputation_records")
        .add_attribute("records", records.len().to_string())
        .add_submessages(messages))
}

/// `PendingReputationRecords`: kept records by id.
pub fn pending(
    storage: &dyn Storage,
    api: &dyn Api,
    env: &Env,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<Vec<PendingRecord>> {
    let n = resource_cw::Paging::STANDARD.size(limit);
    kept(storage, start_after, n)?
        .into_iter()
        .map(|k| {
            let err = |e: ContractError| cosmwasm_std::StdError::generic_err(e.to_string());
            let did = member_did(api, env, &k.member).map_err(err)?;
            let event = k.event.resolve(api, env).map_err(err)?;
            Ok(PendingRecord { id: k.id, did, event, since: k.since })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_records_round_trip_and_refuse_garbage() {
        let member = CanonicalAddr::from(vec![7u8; 32]);
        let newcomer = CanonicalAddr::from(vec![8u8; 20]);
        let vouch = |record| Event::Vouch { record, amount: 250, newcomer: newcomer.clone() };
        for event in [
            ReputationEvent::CreditLineGranted { amount: u128::MAX, term: u64::MAX }.into(),
            ReputationEvent::RepaidOnTime { amount: 1 }.into(),
            ReputationEvent::Defaulted { amount: 300 }.into(),
            ReputationEvent::DebtRecovered { amount: 5 }.into(),
            vouch(VouchRecord::Given),
            vouch(VouchRecord::Kept),
            vouch(VouchRecord::Broken),
        ] {
            let k = Kept { id: 9, since: 1_700_000_000, member: member.clone(), event };
            let bytes = k.encode().unwrap();
            assert_eq!(Kept::decode(&bytes).unwrap(), k);
            assert!(Kept::decode(&bytes[..bytes.len() - 1]).is_err());
        }
        let mut bad_tag =
            Kept { id: 1, since: 1, member: member.clone(), event: ReputationEvent::RepaidOnTime { amount: 1 }.into() }
                .encode()
                .unwrap();
        bad_tag[1 + 1 + 1 + 32] = 9;
        assert!(Kept::decode(&bad_tag).is_err());
        // A vouch record without its newcomer is corrupt.
        let mut no_newcomer = Kept { id: 1, since: 1, member, event: vouch(VouchRecord::Kept) }.encode().unwrap();
        no_newcomer.truncate(no_newcomer.len() - 21);
        no_newcomer.push(0);
        assert!(Kept::decode(&no_newcomer).is_err());
    }
}
