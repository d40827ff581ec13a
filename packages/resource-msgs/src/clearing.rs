//! The clearing contract (`contracts/clearing`, artifact `clearing.wasm`): members register
//! obligations, anyone submits a verified multilateral set-off round, and debtors settle what remains
//! with the credit token through its `Send` hook ([`ReceiveMsg`]).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;
pub use resource_core::clearing::ObligationStatus;

#[cw_serde]
#[derive(Default)]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The credit token that `SettleWithCredit` pays through. Without it, settlement is off until
    /// the admin sets one (`UpdateConfig`). The clearing contract should be in the token's
    /// fee-exempt list: it forwards exactly what it receives.
    pub credit_token: Option<String>,
    /// The most entries one set-off may have, so that a round always fits a block.
    /// Default [`DEFAULT_MAX_ENTRIES`], at most [`MAX_ENTRIES_LIMIT`].
    pub max_entries: Option<u32>,
}

/// Default of `max_entries`. Measured on the devnet (`cargo xtask bench clearing`): a round costs
/// about 140,000 gas plus 6,400 per entry, so 1,000 entries (about 6.5 million gas) fit a block of
/// 10 million gas with room for participants' events; raise it where blocks are larger.
pub const DEFAULT_MAX_ENTRIES: u32 = 1_000;
/// The highest `max_entries` the contract accepts. A set-off reads each entry's obligation through
/// its own one-key range scan (see `state::scan_get`), and wasmvm allows at most 32,768 iterators per
/// contract call; this leaves ample room.
pub const MAX_ENTRIES_LIMIT: u32 = 10_000;

/// One cleared part of an obligation (the wire form of `resource_core::clearing::SetOffEntry`, with
/// the amount as a decimal string like every CosmWasm amount).
#[cw_serde]
#[derive(Copy, Eq, PartialOrd, Ord)]
pub struct SetOffEntry {
    /// The obligation.
    pub id: u64,
    /// How much of it is cleared: more than 0, at most what is still owed.
    pub amount: Uint128,
}

impl From<resource_core::clearing::SetOffEntry> for SetOffEntry {
    fn from(e: resource_core::clearing::SetOffEntry) -> Self {
        SetOffEntry { id: e.id, amount: Uint128::new(e.amount) }
    }
}

impl From<SetOffEntry> for resource_core::clearing::SetOffEntry {
    fn from(e: SetOffEntry) -> Self {
        resource_core::clearing::SetOffEntry { id: e.id, amount: e.amount.u128() }
    }
}

#[cw_serde]
pub enum ExecuteMsg {
    /// The sender (the creditor) registers an invoice: `debtor` owes it `amount`, due at `due` (unix
    /// seconds, in the future). `reference` is an optional 32-byte hash of the invoice document.
    /// The obligation gets the next id (1, 2, ...; attribute `obligation_id`) and status `proposed`;
    /// it counts for nothing until the debtor accepts it.
    Propose {
        debtor: String,
        amount: Uint128,
        due: u64,
        reference: Option<HexBinary>,
    },
    /// The debtor confirms a proposed obligation: it becomes `accepted`, outstanding and clearable.
    Accept {
        id: u64,
    },
    /// The creditor or the debtor withdraws a proposed (not yet accepted) obligation.
    Cancel {
        id: u64,
    },
    /// Anyone: clears `entries` as clearing round `round`, which must be the next round number
    /// (`Totals.rounds + 1`), so a replayed or stale submission fails. Every entry must name a
    /// distinct accepted obligation and clear more than 0 and at most its remaining amount, and every
    /// participant must have as much cleared of its debts as of its claims (checked by
    /// `resource_core::clearing::verify`). At most `max_entries` entries. Emits one `wasm-cleared`
    /// event (`round`, `participant`, `amount`) per participant.
    SubmitSetOff {
        round: u64,
        entries: Vec<SetOffEntry>,
    },
    /// The cw20 receive hook. Only the configured credit token may call it, with a [`ReceiveMsg`]:
    /// the debtor pays what remains of an obligation by sending exactly that amount to this
    /// contract through the token's `Send` (possibly into its credit line):
    /// `Send { contract: <clearing>, amount: <remaining>, msg: <JSON of ReceiveMsg::SettleWithCredit> }`.
    /// The contract forwards the amount to the creditor (a token `Transfer`) and marks the
    /// obligation `settled`. There is no other way to settle: the payment and the closing happen in
    /// one transaction, and if either fails both are reverted.
    Receive(Cw20ReceiveMsg),
    /// Admin: changes the given fields only.
    UpdateConfig {
        credit_token: Option<String>,
        max_entries: Option<u32>,
    },
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
}

/// The `msg` of a cw20 `Send` to this contract.
#[cw_serde]
pub enum ReceiveMsg {
    /// Pays the remaining amount of `obligation` (the sent amount must equal it exactly) from its
    /// debtor (the `Send`'s sender) to its creditor, and closes it.
    SettleWithCredit { obligation: u64 },
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ObligationResponse)]
    Obligation { id: u64 },
    /// Every obligation where `participant` is debtor or creditor, any status, by id.
    #[returns(ObligationsResponse)]
    ObligationsOf { participant: String, start_after: Option<u64>, limit: Option<u32> },
    /// The accepted obligations with an amount still outstanding, by id: the input of an off-chain
    /// solver (`resource_core::clearing::solve` over `debtor`, `creditor`, `remaining`).
    #[returns(ObligationsResponse)]
    Outstanding { start_after: Option<u64>, limit: Option<u32> },
    /// A clearing round with its entries.
    #[returns(RoundResponse)]
    Round { number: u64 },
    /// Round summaries (without entries), by number.
    #[returns(RoundsResponse)]
    Rounds { start_after: Option<u64>, limit: Option<u32> },
    #[returns(TotalsResponse)]
    Totals {},
    #[returns(ConfigResponse)]
    Config {},
}

#[cw_serde]
pub struct ObligationResponse {
    pub id: u64,
    pub debtor: Addr,
    pub creditor: Addr,
    /// The invoiced amount.
    pub amount: Uint128,
    /// What is still owed: `amount` while proposed, 0 once cancelled, cleared or settled.
    pub remaining: Uint128,
    /// What set-off rounds have cleared of it.
    pub cleared: Uint128,
    /// What was paid with the credit token (`SettleWithCredit`).
    pub settled: Uint128,
    /// Unix seconds.
    pub due: u64,
    /// The 32-byte invoice hash, if one was given.
    pub reference: Option<HexBinary>,
    pub status: ObligationStatus,
}

#[cw_serde]
pub struct ObligationsResponse {
    pub obligations: Vec<ObligationResponse>,
}

#[cw_serde]
pub struct RoundInfo {
    pub number: u64,
    pub submitter: Addr,
    /// Number of entries.
    pub entries: u32,
    /// Sum of the entries.
    pub total: Uint128,
    /// Number of distinct participants touched.
    pub participants: u32,
    pub height: u64,
    /// Block time, unix seconds.
    pub time: u64,
}

#[cw_serde]
pub struct RoundResponse {
    pub round: RoundInfo,
    pub entries: Vec<SetOffEntry>,
}

#[cw_serde]
pub struct RoundsResponse {
    pub rounds: Vec<RoundInfo>,
}

#[cw_serde]
pub struct TotalsResponse {
    /// Sum of the remaining amounts of accepted obligations.
    pub gross_outstanding: Uint128,
    /// Sum of every round's total.
    pub cleared_to_date: Uint128,
    /// Sum paid through `SettleWithCredit`.
    pub settled_with_credit_to_date: Uint128,
    /// Obligations ever proposed (the last id).
    pub obligations: u64,
    /// Accepted obligations with an amount outstanding (what `Outstanding` lists).
    pub outstanding_obligations: u64,
    /// Clearing rounds applied (the last round number).
    pub rounds: u64,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Option<Addr>,
    pub max_entries: u32,
}
