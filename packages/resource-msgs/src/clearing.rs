//! The clearing contract (`contracts/clearing`, artifact `clearing.wasm`): members register
//! obligations, anyone competes for the next clearing round with a verified multilateral set-off (the
//! largest one submitted within the round's window is applied), and debtors settle what remains
//! with the credit token through its `Send` hook ([`ReceiveMsg`]).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;
pub use resource_core::clearing::round::{DEFAULT_ROUND_WINDOW, MAX_ROUND_WINDOW, MIN_ROUND_WINDOW};
pub use resource_core::clearing::{ObligationStatus, RoundOutcome};

#[cw_serde]
#[derive(Default)]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The credit token that `SettleWithCredit` pays through. Without it, settlement is off until
    /// the admin sets one (`UpdateConfig`). The clearing contract must be in the token's fee-exempt
    /// list: the debtor's `Send` of the remaining amount pays the network fee on top, like a direct
    /// payment (the token charges it to the sender), and the clearing contract, exempt as a sender,
    /// forwards exactly the remaining amount to the creditor without a second fee.
    pub credit_token: Option<String>,
    /// The most entries one set-off may have, so that a round always fits a block.
    /// Default [`DEFAULT_MAX_ENTRIES`], at most [`MAX_ENTRIES_LIMIT`].
    pub max_entries: Option<u32>,
    /// How long a clearing round takes competing submissions, in seconds, from its first valid one:
    /// default [`DEFAULT_ROUND_WINDOW`], between [`MIN_ROUND_WINDOW`] and [`MAX_ROUND_WINDOW`].
    pub round_window: Option<u64>,
}

/// Default of `max_entries`: a round's close, its larger transaction, grows linearly with its entries
/// (figures in BENCHMARKS.md), and 1,000 entries fit a block of 10 million gas with room for
/// participants' events; raise it where blocks are larger.
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

impl ObligationResponse {
    /// What is still owed, as the clearing rules take it (a round's input).
    pub fn outstanding(&self) -> resource_core::clearing::Obligation<String> {
        resource_core::clearing::Obligation {
            id: self.id,
            debtor: self.debtor.to_string(),
            creditor: self.creditor.to_string(),
            amount: self.remaining.u128(),
        }
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
    /// A party cancels an obligation. A proposed one is withdrawn at once by either party. An
    /// accepted one with an amount outstanding needs both: the first party's `Cancel` records its
    /// request (attribute `action` = `request_cancel`; `cancel_requested_by` in the `Obligation`
    /// query), the other party's `Cancel` confirms it and the obligation is `cancelled`: nothing
    /// remains, it leaves the outstanding list and can no longer be cleared or settled.
    Cancel {
        id: u64,
    },
    /// The party that asked to cancel an accepted obligation withdraws its request.
    WithdrawCancel {
        id: u64,
    },
    /// Anyone: offers `entries` for the next clearing round; the contract assigns the number. Every
    /// entry must name a distinct accepted obligation and clear more than 0 and at most its remaining
    /// amount, and every participant must have as much cleared of its debts as of its claims
    /// (checked by `resource_core::clearing::verify`); at most `max_entries` entries. The first valid
    /// set-off opens round `Totals.rounds + 1` as its candidate, closing `round_window` seconds later
    /// (see `PendingRound`); until then a set-off replaces the candidate only if it clears strictly
    /// more (else `NotLarger`, naming the total to beat). A candidate changes no obligation until
    /// the round is closed. A submission after the closing time first closes the due round (as
    /// `CloseRound`) and then opens the next one.
    SubmitSetOff {
        entries: Vec<SetOffEntry>,
    },
    /// Anyone, from the pending round's closing time on: checks the candidate again against the
    /// obligations as they are now and applies it (one `wasm-cleared` event per participant:
    /// `round`, `participant`, `amount`), or records that it lapsed because one of its obligations
    /// was settled or cancelled meanwhile. Either way a `wasm-round_closed` event (`round`,
    /// `outcome`, `total`, `reason` when lapsed) is emitted and the round is on record.
    CloseRound {},
    /// The cw20 receive hook. Only the configured credit token may call it, with a [`ReceiveMsg`]:
    /// the debtor pays what remains of an obligation by sending exactly that amount to this
    /// contract through the token's `Send` (possibly into its credit line):
    /// `Send { contract: <clearing>, amount: <remaining>, msg: <JSON of ReceiveMsg::SettleWithCredit> }`.
    /// The contract forwards the amount to the creditor (a token `Transfer`) and marks the
    /// obligation `settled`. There is no other way to settle: the payment and the closing happen in
    /// one transaction, and if either fails both are reverted. Anything else sent to the contract (a
    /// `Send` of another token, with another `msg`, for an unknown or closed obligation, or of an
    /// amount other than the remaining one) is refused, so the transaction reverts and the sender
    /// keeps its tokens.
    Receive(Cw20ReceiveMsg),
    /// Admin: changes the given fields only. A new `round_window` applies from the next round.
    UpdateConfig {
        credit_token: Option<String>,
        max_entries: Option<u32>,
        round_window: Option<u64>,
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
    /// The obligations `participant` took part in, any status, by id: those it proposed as
    /// creditor and those it accepted as debtor. Proposals others sent it and it has not accepted
    /// are listed apart by `ProposalsTo`, so nobody can fill this list by proposing.
    #[returns(ObligationsResponse)]
    ObligationsOf { participant: String, start_after: Option<u64>, limit: Option<u32> },
    /// The proposed obligations awaiting `debtor`'s acceptance, by id.
    #[returns(ObligationsResponse)]
    ProposalsTo { debtor: String, start_after: Option<u64>, limit: Option<u32> },
    /// The accepted obligations with an amount still outstanding, by id: the input of an off-chain
    /// solver (`resource_core::clearing::solve` over `debtor`, `creditor`, `remaining`).
    #[returns(ObligationsResponse)]
    Outstanding { start_after: Option<u64>, limit: Option<u32> },
    /// The round taking submissions, if any, with its candidate set-off.
    #[returns(PendingRoundResponse)]
    PendingRound {},
    /// A closed clearing round with its entries.
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
    /// The party that asked to cancel this accepted obligation, waiting for the other to confirm.
    pub cancel_requested_by: Option<Addr>,
}

#[cw_serde]
pub struct ObligationsResponse {
    pub obligations: Vec<ObligationResponse>,
}

/// A closed round.
#[cw_serde]
pub struct RoundInfo {
    pub number: u64,
    /// Who submitted the winning set-off.
    pub submitter: Addr,
    /// Number of entries.
    pub entries: u32,
    /// Sum of the entries: what was cleared, or would have been had the round not lapsed.
    pub total: Uint128,
    /// Number of distinct participants touched.
    pub participants: u32,
    /// The block that closed the round.
    pub height: u64,
    /// Block time of the close, unix seconds.
    pub time: u64,
    pub outcome: RoundOutcome,
}

/// The round taking submissions.
#[cw_serde]
pub struct PendingRound {
    /// The number it will have when closed.
    pub number: u64,
    /// Who submitted the current candidate.
    pub submitter: Addr,
    /// What the candidate clears: a new set-off must clear more to replace it.
    pub total: Uint128,
    /// Number of distinct participants the candidate touches.
    pub participants: u32,
    /// Unix seconds: when the round's first candidate was submitted.
    pub opened_at: u64,
    /// Unix seconds: submissions are taken before this time; from it on, anyone may close the round.
    pub closes_at: u64,
    /// The candidate set-off.
    pub entries: Vec<SetOffEntry>,
}

#[cw_serde]
pub struct PendingRoundResponse {
    pub round: Option<PendingRound>,
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
    /// Clearing rounds closed, applied or lapsed (the last closed round's number).
    pub rounds: u64,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Option<Addr>,
    pub max_entries: u32,
    /// Seconds a round takes submissions.
    pub round_window: u64,
}
