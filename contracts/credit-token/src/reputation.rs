//! Reputation events for the DID registry. When the config names a `did_registry`, a credit line
//! granted, a debt repaid in full before its term end and a default each add one plain
//! `WasmMsg::Execute` of the registry's `RecordReputation { did, event }` to the response (not a
//! submessage with a reply): if the registry refuses, the whole transaction fails with the
//! registry's error, so no credit action is ever recorded without its reputation record.
//!
//! The DID is the member's account DID on this chain, built and checked by
//! `resource_core::did::ResourceDid::account_text_of_valid_address`; the event is
//! `resource_core::did::ReputationEvent` in its own JSON.

use cosmwasm_schema::serde::Serialize;
use cosmwasm_std::{to_json_binary, Api, CanonicalAddr, CosmosMsg, Env, Storage, WasmMsg};
use resource_core::did::{ReputationEvent, ResourceDid};
use resource_core::ledger::{Account, Standing};

use crate::contract::Plan;
use crate::error::ContractError;
use crate::state::load_config;

/// The registry's execute message this contract sends (`{"record_reputation": {"did", "event"}}`),
/// the one variant of `did_registry::msg::ExecuteMsg` the token needs, without depending on the
/// registry crate.
#[derive(Serialize)]
#[serde(crate = "cosmwasm_schema::serde", rename_all = "snake_case")]
enum RegistryMsg {
    RecordReputation { did: String, event: ReputationEvent },
}

/// The debt `old` repaid in full by becoming `new`, if it was repaid on time: the account holds a
/// credit line, was in debt, is at zero or above now, and its standing at `now` (before this change)
/// is good, i.e. the line's term has not ended (`now <= term_end`).
///
/// The rule ("fully repaid by term end") belongs to resource-core's ledger; it lives here, over the
/// ledger's own `Account` and `CreditLine::standing`, until the underwriting contract needs the same
/// rule (vouches kept), when it should move to `resource_core::ledger` and both contracts call it.
pub(crate) fn repaid_on_time(old: Option<&Account>, new: &Account, now: u64) -> Option<u128> {
    let old = old?;
    let line = old.line?;
    let on_time = old.balance < 0 && new.balance >= 0 && line.standing(old.balance, now) == Standing::Good;
    on_time.then(|| old.debt())
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
    let msg = to_json_binary(&RegistryMsg::RecordReputation { did, event })?;
    Ok(WasmMsg::Execute { contract_addr: api.addr_humanize(registry)?.into_string(), msg, funds: vec![] }.into())
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

#[cfg(test)]
mod tests {
    use super::*;
    use resource_core::ledger::{CreditLine, LineStatus};

    const END: u64 = 1_000;

    fn acc(balance: i128, line: bool) -> Account {
        let line = line.then_some(CreditLine {
            limit: 500,
            term_start: 0,
            term_end: END,
            grace_period: 100,
            status: LineStatus::Active,
        });
        Account { balance, line }
    }

    #[test]
    fn repaid_on_time_is_a_full_repayment_by_term_end() {
        // In debt, repaid to zero or above, at or before the term end: the whole old debt.
        assert_eq!(repaid_on_time(Some(&acc(-300, true)), &acc(0, true), END), Some(300));
        assert_eq!(repaid_on_time(Some(&acc(-300, true)), &acc(50, true), 1), Some(300));
        // Partly repaid, still in debt.
        assert_eq!(repaid_on_time(Some(&acc(-300, true)), &acc(-1, true), 1), None);
        // Not in debt before: a receipt, not a repayment.
        assert_eq!(repaid_on_time(Some(&acc(0, true)), &acc(10, true), 1), None);
        assert_eq!(repaid_on_time(None, &acc(10, false), 1), None);
        // After the term end: late (past due or default-declarable), not on time.
        assert_eq!(repaid_on_time(Some(&acc(-300, true)), &acc(0, true), END + 1), None);
        assert_eq!(repaid_on_time(Some(&acc(-300, true)), &acc(0, true), END + 101), None);
        // No line: nothing to repay on time (the loss account holds debt without a line).
        assert_eq!(repaid_on_time(Some(&acc(-300, false)), &acc(0, false), 1), None);
        // A frozen or closed line repaid before its term end is still on time.
        for status in [LineStatus::Frozen, LineStatus::Closed] {
            let mut old = acc(-300, true);
            old.line.as_mut().unwrap().status = status;
            assert_eq!(repaid_on_time(Some(&old), &acc(0, true), END), Some(300), "{status:?}");
        }
    }
}
