#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, to_json_binary, Addr, Api, Binary, CanonicalAddr, Deps, DepsMut, Env, Event, HexBinary, MessageInfo,
    Response, StdError, StdResult, Storage, Uint128, WasmMsg,
};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use resource_core::clearing::round::{self, Admission};
use resource_core::clearing::{self, check_proposal, CancelStep, ClearingError, Party, RoundOutcome, SetOff};
use resource_cw::admin::{self, ROLE_ADMIN};
use resource_cw::Paging;

use crate::error::ContractError;
use crate::state::{
    index_acceptance, index_proposal, load_config, load_obligation, load_pending, load_round, load_round_entries,
    load_totals, obligation_ids_of, open_ids, proposal_ids_to, remove_open, remove_pending, round_numbers, save_config,
    save_obligation, save_pending, save_round, save_round_entries, save_totals, set_open, unindex_proposal, Config,
    Obligation, Pending, Round, Totals, REFERENCE_LEN,
};
use resource_msgs::clearing::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, ObligationResponse, ObligationStatus, ObligationsResponse,
    PendingRound, PendingRoundResponse, QueryMsg, ReceiveMsg, RoundInfo, RoundResponse, RoundsResponse, SetOffEntry,
    TotalsResponse, DEFAULT_MAX_ENTRIES, DEFAULT_ROUND_WINDOW, MAX_ENTRIES_LIMIT,
};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:clearing";
/// The cw2 names this contract was stored under before (it migrates from them).
pub const EARLIER_CONTRACT_NAMES: &[&str] = &["crates.io:clearing"];
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const ROLE_CREDIT_TOKEN: &str = "the configured credit token (through its Send)";

/// Custom event per participant of an applied round; the chain reports it as `wasm-cleared`.
pub const CLEARED_EVENT: &str = "cleared";
/// Custom event of every closed round, applied or lapsed; the chain reports it as `wasm-round_closed`.
pub const ROUND_CLOSED_EVENT: &str = "round_closed";

// ---------------------------------------------------------------------------------------------
// addresses: resource-cw's checks in this contract's error type

fn canon(api: &dyn Api, address: &str) -> Result<CanonicalAddr, ContractError> {
    resource_cw::canon(api, address)
}

fn valid(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    resource_cw::valid(api, address)
}

fn require_admin(cfg: &Config, sender: &Addr) -> Result<(), ContractError> {
    admin::require(sender, &cfg.admin, ROLE_ADMIN)
}

fn check_max_entries(max: u32) -> Result<u32, ContractError> {
    if (1..=MAX_ENTRIES_LIMIT).contains(&max) {
        Ok(max)
    } else {
        Err(ContractError::InvalidMaxEntries { max: MAX_ENTRIES_LIMIT })
    }
}

fn check_round_window(window: u64) -> Result<u64, ContractError> {
    Ok(round::check_window(window)?)
}

fn overflow() -> ContractError {
    ContractError::Clearing(ClearingError::Overflow)
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
    let cfg = Config {
        admin,
        pending_admin: None,
        credit_token: msg.credit_token.as_deref().map(|a| valid(api, a)).transpose()?,
        max_entries: check_max_entries(msg.max_entries.unwrap_or(DEFAULT_MAX_ENTRIES))?,
        round_window: check_round_window(msg.round_window.unwrap_or(DEFAULT_ROUND_WINDOW))?,
    };
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    save_config(deps.storage, &cfg)?;
    Ok(Response::new().add_attribute("action", "instantiate").add_attribute("admin", cfg.admin))
}

// ---------------------------------------------------------------------------------------------
// execute

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Propose { debtor, amount, due, reference } => {
            execute_propose(deps, env, info, debtor, amount, due, reference)
        }
        ExecuteMsg::Accept { id } => execute_accept(deps, info, id),
        ExecuteMsg::Cancel { id } => execute_cancel(deps, info, id),
        ExecuteMsg::WithdrawCancel { id } => execute_withdraw_cancel(deps, info, id),
        ExecuteMsg::SubmitSetOff { entries } => execute_submit_set_off(deps, env, info, entries),
        ExecuteMsg::CloseRound {} => execute_close_round(deps, env, info),
        ExecuteMsg::Receive(wrapper) => execute_receive(deps, info, wrapper),
        ExecuteMsg::UpdateConfig { credit_token, max_entries, round_window } => {
            let mut cfg = load_config(deps.storage)?;
            require_admin(&cfg, &info.sender)?;
            if let Some(t) = credit_token {
                cfg.credit_token = Some(valid(deps.api, &t)?);
            }
            if let Some(m) = max_entries {
                cfg.max_entries = check_max_entries(m)?;
            }
            if let Some(w) = round_window {
                cfg.round_window = check_round_window(w)?;
            }
            save_config(deps.storage, &cfg)?;
            Ok(Response::new().add_attribute("action", "update_config"))
        }
        ExecuteMsg::UpdateAdmin { new_admin } => {
            let mut cfg = load_config(deps.storage)?;
            require_admin(&cfg, &info.sender)?;
            let addr = valid(deps.api, &new_admin)?;
            cfg.pending_admin = Some(addr.clone());
            save_config(deps.storage, &cfg)?;
            Ok(admin::proposed_response(addr))
        }
        ExecuteMsg::AcceptAdmin {} => {
            let mut cfg = load_config(deps.storage)?;
            admin::accept::<_, ContractError>(&mut cfg.admin, &mut cfg.pending_admin, &info.sender)?;
            save_config(deps.storage, &cfg)?;
            Ok(admin::accepted_response(info.sender))
        }
    }
}

fn load_existing(storage: &dyn Storage, id: u64) -> Result<Obligation, ContractError> {
    load_obligation(storage, id)?.ok_or(ContractError::ObligationNotFound { id })
}

pub fn execute_propose(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    debtor: String,
    amount: Uint128,
    due: u64,
    reference: Option<HexBinary>,
) -> Result<Response, ContractError> {
    let debtor_key = canon(deps.api, &debtor)?;
    let debtor = deps.api.addr_humanize(&debtor_key)?;
    let creditor = canon(deps.api, info.sender.as_str())?;
    let now = env.block.time.seconds();
    check_proposal(&creditor, &debtor_key, amount.u128(), due, now)?;
    let reference = reference
        .map(|r| {
            <[u8; REFERENCE_LEN]>::try_from(r.as_slice()).map_err(|_| ContractError::InvalidReference { len: r.len() })
        })
        .transpose()?;
    let mut totals = load_totals(deps.storage)?;
    let id = totals.obligations.checked_add(1).ok_or_else(overflow)?;
    totals.obligations = id;
    let o = Obligation {
        status: ObligationStatus::Proposed,
        debtor: debtor_key,
        creditor,
        amount: amount.u128(),
        remaining: amount.u128(),
        cleared: 0,
        due,
        reference,
        cancel_requested: None,
    };
    save_obligation(deps.storage, id, &o)?;
    index_proposal(deps.storage, id, &o)?;
    save_totals(deps.storage, &totals);
    Ok(Response::new()
        .add_attribute("action", "propose")
        .add_attribute("obligation_id", id.to_string())
        .add_attribute("creditor", info.sender)
        .add_attribute("debtor", debtor)
        .add_attribute("amount", amount)
        .add_attribute("due", due.to_string()))
}

pub fn execute_accept(deps: DepsMut, info: MessageInfo, id: u64) -> Result<Response, ContractError> {
    let mut o = load_existing(deps.storage, id)?;
    let sender = canon(deps.api, info.sender.as_str())?;
    let accepted = clearing::accept(id, o.status, &o.debtor, &sender)?;
    let mut totals = load_totals(deps.storage)?;
    totals.gross_outstanding = totals.gross_outstanding.checked_add(o.remaining).ok_or_else(overflow)?;
    totals.open = totals.open.checked_add(1).ok_or_else(overflow)?;
    o.status = accepted;
    save_obligation(deps.storage, id, &o)?;
    index_acceptance(deps.storage, id, &o.debtor)?;
    set_open(deps.storage, id);
    save_totals(deps.storage, &totals);
    Ok(Response::new()
        .add_attribute("action", "accept")
        .add_attribute("obligation_id", id.to_string())
        .add_attribute("amount", o.remaining.to_string()))
}

/// Withdraws a proposal, or records or confirms a party's request to cancel an accepted obligation
/// (`resource_core::clearing::cancel` decides which).
pub fn execute_cancel(deps: DepsMut, info: MessageInfo, id: u64) -> Result<Response, ContractError> {
    let mut o = load_existing(deps.storage, id)?;
    let sender = canon(deps.api, info.sender.as_str())?;
    let step = clearing::cancel(id, o.status, o.remaining, o.cancel_requested, &o.debtor, &o.creditor, &sender)?;
    let action = match step {
        CancelStep::Requested(party) => {
            o.cancel_requested = Some(party);
            "request_cancel"
        }
        CancelStep::Cancelled => {
            if o.status == ObligationStatus::Accepted {
                let mut totals = load_totals(deps.storage)?;
                totals.gross_outstanding = totals.gross_outstanding.checked_sub(o.remaining).ok_or_else(overflow)?;
                totals.open = totals.open.checked_sub(1).ok_or_else(overflow)?;
                save_totals(deps.storage, &totals);
                remove_open(deps.storage, id);
            } else {
                unindex_proposal(deps.storage, id, &o.debtor)?;
            }
            o.status = ObligationStatus::Cancelled;
            o.remaining = 0;
            o.cancel_requested = None;
            "cancel"
        }
    };
    save_obligation(deps.storage, id, &o)?;
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("obligation_id", id.to_string())
        .add_attribute("by", info.sender))
}

/// The party that asked to cancel an accepted obligation takes its request back.
pub fn execute_withdraw_cancel(deps: DepsMut, info: MessageInfo, id: u64) -> Result<Response, ContractError> {
    let mut o = load_existing(deps.storage, id)?;
    let sender = canon(deps.api, info.sender.as_str())?;
    clearing::withdraw_cancel(id, o.cancel_requested, &o.debtor, &o.creditor, &sender)?;
    o.cancel_requested = None;
    save_obligation(deps.storage, id, &o)?;
    Ok(Response::new()
        .add_attribute("action", "withdraw_cancel")
        .add_attribute("obligation_id", id.to_string())
        .add_attribute("by", info.sender))
}

/// Names participants by address in a core error (the core only knows canonical addresses).
fn readable(api: &dyn Api, records: &[Obligation], e: ClearingError) -> ContractError {
    match e {
        // The stored ids are unique, so a repeated obligation can only come from a repeated entry.
        ClearingError::DuplicateObligation { id } => ClearingError::DuplicateEntry { id }.into(),
        ClearingError::Unbalanced { participant, as_debtor, as_creditor } => {
            let human = records
                .iter()
                .flat_map(|o| [&o.debtor, &o.creditor])
                .find(|c| c.to_string() == participant)
                .and_then(|c| api.addr_humanize(c).ok())
                .map_or(participant, String::from);
            ClearingError::Unbalanced { participant: human, as_debtor, as_creditor }.into()
        }
        other => other.into(),
    }
}

/// A set-off checked against the obligations as they stand: the records it names (in entry order)
/// and what it clears per participant.
struct Checked {
    records: Vec<Obligation>,
    total: u128,
    per_participant: Vec<(Addr, u128)>,
}

/// Verifies `entries` with `resource_core::clearing::verify` over exactly the obligations they
/// name: one read per entry, nothing iterated.
fn check_set_off(deps: Deps, entries: &[SetOffEntry]) -> Result<Checked, ContractError> {
    let mut records = Vec::with_capacity(entries.len());
    for e in entries {
        let o = load_obligation(deps.storage, e.id)?.ok_or(ClearingError::UnknownObligation { id: e.id })?;
        o.status.check_open(e.id, o.remaining)?;
        records.push(o);
    }
    let set_off = SetOff { entries: entries.iter().map(|&e| e.into()).collect() };
    let (total, per_participant) = {
        let outstanding: Vec<clearing::Obligation<&CanonicalAddr>> = entries
            .iter()
            .zip(&records)
            .map(|(e, o)| clearing::Obligation {
                id: e.id,
                debtor: &o.debtor,
                creditor: &o.creditor,
                amount: o.remaining,
            })
            .collect();
        let verified = clearing::verify(&outstanding, &set_off).map_err(|e| readable(deps.api, &records, e))?;
        let per_participant = verified
            .per_participant
            .into_iter()
            .map(|(p, amount)| Ok((deps.api.addr_humanize(p)?, amount)))
            .collect::<StdResult<_>>()?;
        (verified.total, per_participant)
    };
    Ok(Checked { records, total, per_participant })
}

/// Offers a set-off for the next round: verified against the current obligations, then admitted
/// by `resource_core::clearing::round::admit` (opens the round or replaces a smaller candidate).
/// A due round is closed first. Changes no obligation.
pub fn execute_submit_set_off(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    entries: Vec<SetOffEntry>,
) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    let now = env.block.time.seconds();
    let mut response = Response::new();
    let mut pending = load_pending(deps.storage)?;
    if let Some(due) = pending.take_if(|p| p.candidate.is_due(now)) {
        response = close_round(deps.branch(), &env, &info.sender, due, response)?;
    }
    if entries.len() > cfg.max_entries as usize {
        return Err(ContractError::TooManyEntries { max: cfg.max_entries, got: entries.len() });
    }
    let checked = check_set_off(deps.as_ref(), &entries)?;
    let totals = load_totals(deps.storage)?;
    let admission =
        round::admit(pending.as_ref().map(|p| &p.candidate), totals.rounds, checked.total, now, cfg.round_window)?;
    let candidate = admission.candidate();
    let record = Pending {
        candidate,
        submitter: canon(deps.api, info.sender.as_str())?,
        // max_entries <= MAX_ENTRIES_LIMIT, so these fit.
        entries: u32::try_from(entries.len()).map_err(|_| overflow())?,
        participants: u32::try_from(checked.per_participant.len()).map_err(|_| overflow())?,
        opened_at: pending.as_ref().map_or(now, |p| p.opened_at),
    };
    save_pending(deps.storage, &record)?;
    save_round_entries(deps.storage, candidate.number, &entries);

    response = response
        .add_attribute("action", "submit_set_off")
        .add_attribute("round", candidate.number.to_string())
        .add_attribute("entries", entries.len().to_string())
        .add_attribute("total", checked.total.to_string())
        .add_attribute("participants", record.participants.to_string())
        .add_attribute("closes_at", candidate.closes_at.to_string())
        .add_attribute("submitter", info.sender);
    Ok(match admission {
        Admission::Opens(_) => response.add_attribute("candidate", "opens_round"),
        Admission::Replaces { previous, .. } => {
            response.add_attribute("candidate", "replaces").add_attribute("replaced_total", previous.to_string())
        }
    })
}

/// Closes the pending round once its window is over (`resource_core::clearing::round::close`).
pub fn execute_close_round(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let pending = load_pending(deps.storage)?;
    round::close(pending.as_ref().map(|p| &p.candidate), env.block.time.seconds())?;
    let due = pending.ok_or(round::RoundError::NoPendingRound)?;
    let response = Response::new().add_attribute("action", "close_round");
    close_round(deps, &env, &info.sender, due, response)
}

/// Checks the due round's candidate against the obligations as they are now and applies it, or
/// records that it lapsed; the round is on record either way. One read and one write per entry.
fn close_round(
    deps: DepsMut,
    env: &Env,
    closer: &Addr,
    due: Pending,
    response: Response,
) -> Result<Response, ContractError> {
    let number = due.candidate.number;
    let entries = load_round_entries(deps.storage, number)?;
    let mut totals = load_totals(deps.storage)?;
    let mut closed = Event::new(ROUND_CLOSED_EVENT).add_attribute("round", number.to_string());
    let (outcome, response) = match check_set_off(deps.as_ref(), &entries) {
        Ok(checked) => (RoundOutcome::Applied, apply(deps.storage, &mut totals, number, &entries, checked, response)?),
        Err(ContractError::Std(e)) => return Err(ContractError::Std(e)),
        // Only its parties' settlements and cancellations can make a verified candidate fail.
        Err(reason) => {
            closed = closed.add_attribute("reason", reason.to_string());
            (RoundOutcome::Lapsed, response)
        }
    };
    totals.rounds = number;
    save_totals(deps.storage, &totals);
    let record = Round {
        submitter: due.submitter,
        entries: due.entries,
        total: due.candidate.total,
        participants: due.participants,
        height: env.block.height,
        time: env.block.time.seconds(),
        outcome,
    };
    save_round(deps.storage, number, &record)?;
    remove_pending(deps.storage);
    let submitter = deps.api.addr_humanize(&record.submitter)?;
    Ok(response.add_event(
        closed
            .add_attribute("outcome", outcome.to_string())
            .add_attribute("total", record.total.to_string())
            .add_attribute("entries", record.entries.to_string())
            .add_attribute("submitter", submitter)
            .add_attribute("closed_by", closer),
    ))
}

/// Applies a checked set-off: each obligation's remaining amount, the open index and the totals.
fn apply(
    storage: &mut dyn Storage,
    totals: &mut Totals,
    number: u64,
    entries: &[SetOffEntry],
    checked: Checked,
    response: Response,
) -> Result<Response, ContractError> {
    let mut total = 0u128;
    for (e, mut o) in entries.iter().zip(checked.records) {
        let amount = e.amount.u128();
        // verify checked amount <= remaining and that the sum fits.
        (o.remaining, o.status) = o.status.clear(o.remaining, amount).ok_or_else(overflow)?;
        o.cleared = o.cleared.checked_add(amount).ok_or_else(overflow)?;
        total = total.checked_add(amount).ok_or_else(overflow)?;
        if o.status == ObligationStatus::Cleared {
            o.cancel_requested = None;
            remove_open(storage, e.id);
            totals.open = totals.open.checked_sub(1).ok_or_else(overflow)?;
        }
        save_obligation(storage, e.id, &o)?;
    }
    totals.gross_outstanding = totals.gross_outstanding.checked_sub(total).ok_or_else(overflow)?;
    totals.cleared_to_date = totals.cleared_to_date.checked_add(total).ok_or_else(overflow)?;
    let events = checked.per_participant.into_iter().map(|(who, amount)| {
        Event::new(CLEARED_EVENT)
            .add_attribute("round", number.to_string())
            .add_attribute("participant", who)
            .add_attribute("amount", amount.to_string())
    });
    Ok(response.add_events(events))
}

/// The cw20 hook: `SettleWithCredit` from the configured credit token only.
pub fn execute_receive(deps: DepsMut, info: MessageInfo, wrapper: Cw20ReceiveMsg) -> Result<Response, ContractError> {
    let cfg = load_config(deps.storage)?;
    let token = cfg.credit_token.ok_or(ContractError::NoCreditToken)?;
    if info.sender != token {
        return Err(ContractError::Unauthorized { role: ROLE_CREDIT_TOKEN });
    }
    let ReceiveMsg::SettleWithCredit { obligation: id } =
        from_json(&wrapper.msg).map_err(|e| ContractError::UnknownReceiveMsg { reason: e.to_string() })?;
    let mut o = load_existing(deps.storage, id)?;
    // The payer is the token's own sender, always an address: checked before the rules run.
    let payer = canon(deps.api, &wrapper.sender)?;
    let amount = wrapper.amount;
    let settled = clearing::settle(id, o.status, o.remaining, &o.debtor, &payer, amount.u128())?;
    let mut totals = load_totals(deps.storage)?;
    totals.gross_outstanding = totals.gross_outstanding.checked_sub(o.remaining).ok_or_else(overflow)?;
    totals.settled_to_date = totals.settled_to_date.checked_add(o.remaining).ok_or_else(overflow)?;
    totals.open = totals.open.checked_sub(1).ok_or_else(overflow)?;
    o.remaining = 0;
    o.status = settled;
    o.cancel_requested = None;
    save_obligation(deps.storage, id, &o)?;
    remove_open(deps.storage, id);
    save_totals(deps.storage, &totals);

    let creditor = deps.api.addr_humanize(&o.creditor)?;
    let pay = WasmMsg::Execute {
        contract_addr: token.into(),
        msg: to_json_binary(&Cw20ExecuteMsg::Transfer { recipient: creditor.to_string(), amount })?,
        funds: vec![],
    };
    Ok(Response::new()
        .add_message(pay)
        .add_attribute("action", "settle_with_credit")
        .add_attribute("obligation_id", id.to_string())
        .add_attribute("debtor", wrapper.sender)
        .add_attribute("creditor", creditor)
        .add_attribute("amount", amount))
}

// ---------------------------------------------------------------------------------------------
// migrate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, EARLIER_CONTRACT_NAMES, CONTRACT_VERSION)
}

// ---------------------------------------------------------------------------------------------
// query

fn page(limit: Option<u32>) -> usize {
    Paging::STANDARD.size(limit)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Obligation { id } => to_json_binary(&query_obligation(deps, id)?),
        QueryMsg::ObligationsOf { participant, start_after, limit } => {
            to_json_binary(&query_obligations_of(deps, participant, start_after, limit)?)
        }
        QueryMsg::ProposalsTo { debtor, start_after, limit } => {
            to_json_binary(&query_proposals_to(deps, debtor, start_after, limit)?)
        }
        QueryMsg::Outstanding { start_after, limit } => to_json_binary(&query_outstanding(deps, start_after, limit)?),
        QueryMsg::PendingRound {} => to_json_binary(&query_pending_round(deps)?),
        QueryMsg::Round { number } => to_json_binary(&query_round(deps, number)?),
        QueryMsg::Rounds { start_after, limit } => to_json_binary(&query_rounds(deps, start_after, limit)?),
        QueryMsg::Totals {} => to_json_binary(&query_totals(deps)?),
        QueryMsg::Config {} => to_json_binary(&query_config(deps)?),
    }
}

fn obligation_view(api: &dyn Api, id: u64, o: Obligation) -> StdResult<ObligationResponse> {
    Ok(ObligationResponse {
        id,
        debtor: api.addr_humanize(&o.debtor)?,
        creditor: api.addr_humanize(&o.creditor)?,
        amount: o.amount.into(),
        remaining: o.remaining.into(),
        cleared: o.cleared.into(),
        settled: o.settled().into(),
        due: o.due,
        reference: o.reference.map(|r| HexBinary::from(r.as_slice())),
        status: o.status,
        cancel_requested_by: match o.cancel_requested {
            None => None,
            Some(Party::Debtor) => Some(api.addr_humanize(&o.debtor)?),
            Some(Party::Creditor) => Some(api.addr_humanize(&o.creditor)?),
        },
    })
}

pub fn query_obligation(deps: Deps, id: u64) -> StdResult<ObligationResponse> {
    let o = load_obligation(deps.storage, id)?.ok_or_else(|| StdError::not_found(format!("obligation {id}")))?;
    obligation_view(deps.api, id, o)
}

fn obligations(deps: Deps, ids: Vec<u64>) -> StdResult<ObligationsResponse> {
    let obligations = ids.into_iter().map(|id| query_obligation(deps, id)).collect::<StdResult<_>>()?;
    Ok(ObligationsResponse { obligations })
}

pub fn query_obligations_of(
    deps: Deps,
    participant: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ObligationsResponse> {
    let key = canon(deps.api, &participant).map_err(|e| StdError::generic_err(e.to_string()))?;
    obligations(deps, obligation_ids_of(deps.storage, &key, start_after, page(limit))?)
}

pub fn query_proposals_to(
    deps: Deps,
    debtor: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> StdResult<ObligationsResponse> {
    let key = canon(deps.api, &debtor).map_err(|e| StdError::generic_err(e.to_string()))?;
    obligations(deps, proposal_ids_to(deps.storage, &key, start_after, page(limit))?)
}

pub fn query_pending_round(deps: Deps) -> StdResult<PendingRoundResponse> {
    let Some(p) = load_pending(deps.storage)? else { return Ok(PendingRoundResponse { round: None }) };
    Ok(PendingRoundResponse {
        round: Some(PendingRound {
            number: p.candidate.number,
            submitter: deps.api.addr_humanize(&p.submitter)?,
            total: p.candidate.total.into(),
            participants: p.participants,
            opened_at: p.opened_at,
            closes_at: p.candidate.closes_at,
            entries: load_round_entries(deps.storage, p.candidate.number)?,
        }),
    })
}

pub fn query_outstanding(deps: Deps, start_after: Option<u64>, limit: Option<u32>) -> StdResult<ObligationsResponse> {
    obligations(deps, open_ids(deps.storage, start_after, page(limit)))
}

fn round_view(api: &dyn Api, number: u64, r: Round) -> StdResult<RoundInfo> {
    Ok(RoundInfo {
        number,
        submitter: api.addr_humanize(&r.submitter)?,
        entries: r.entries,
        total: r.total.into(),
        participants: r.participants,
        height: r.height,
        time: r.time,
        outcome: r.outcome,
    })
}

fn load_round_info(deps: Deps, number: u64) -> StdResult<RoundInfo> {
    let r = load_round(deps.storage, number)?.ok_or_else(|| StdError::not_found(format!("clearing round {number}")))?;
    round_view(deps.api, number, r)
}

pub fn query_round(deps: Deps, number: u64) -> StdResult<RoundResponse> {
    Ok(RoundResponse { round: load_round_info(deps, number)?, entries: load_round_entries(deps.storage, number)? })
}

pub fn query_rounds(deps: Deps, start_after: Option<u64>, limit: Option<u32>) -> StdResult<RoundsResponse> {
    let rounds = round_numbers(deps.storage, start_after, page(limit))
        .into_iter()
        .map(|n| load_round_info(deps, n))
        .collect::<StdResult<_>>()?;
    Ok(RoundsResponse { rounds })
}

pub fn query_totals(deps: Deps) -> StdResult<TotalsResponse> {
    let t = load_totals(deps.storage)?;
    Ok(TotalsResponse {
        gross_outstanding: t.gross_outstanding.into(),
        cleared_to_date: t.cleared_to_date.into(),
        settled_with_credit_to_date: t.settled_to_date.into(),
        obligations: t.obligations,
        outstanding_obligations: t.open,
        rounds: t.rounds,
    })
}

pub fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = load_config(deps.storage)?;
    Ok(ConfigResponse {
        admin: c.admin,
        pending_admin: c.pending_admin,
        credit_token: c.credit_token,
        max_entries: c.max_entries,
        round_window: c.round_window,
    })
}
