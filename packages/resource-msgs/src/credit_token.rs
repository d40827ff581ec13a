//! The credit token (`contracts/credit-token`, artifact `credit_token.wasm`): a CIP-36 mutual-credit
//! token with cw20's surface. `Transfer`, `Send`, allowances, `Balance`, `TokenInfo` and
//! `AllAccounts` have cw20's JSON, so cw20 wallets and `cw20::Cw20ExecuteMsg` work with it; credit
//! lines, defaults, freezing and the network fee are its own.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Int128, Uint128};
// The response types are named only by the `QueryResponses` derive, which the wasm build leaves out.
#[cfg_attr(target_arch = "wasm32", allow(unused_imports))]
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllowanceResponse, BalanceResponse, Expiration, TokenInfoResponse,
};
pub use resource_core::ledger::{LineStatus, Standing};

#[cw_serde]
pub struct InstantiateMsg {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The only address allowed to open, change and close credit lines. Without it, the admin does.
    pub underwriting: Option<String>,
    /// Network fee in basis points (at most 10,000), paid by the payer on top of the amount.
    pub fee_bps: u16,
    pub fee_collector: String,
    /// Transfers from or to these addresses pay no fee (bridge, clearing). At most 16.
    #[serde(default)]
    pub fee_exempt: Vec<String>,
    /// Receives the debt of members declared in default.
    pub loss_account: String,
    /// Seconds after a line's term end before its unpaid debt can be declared in default.
    pub default_grace_period: u64,
    /// The DID registry (`did-registry` contract) that records the members' reputation. When set,
    /// every credit line granted (`SetCreditLine`), every debt repaid in full before its term end (by
    /// any transfer) and every default (`DeclareDefault`) also executes the registry's
    /// `RecordReputation { did, event }` for the member's account DID
    /// `did:resource:<chain-id>:<address>`, in the same transaction: if the registry refuses, the
    /// credit action fails too, so no credit action is recorded without its reputation record.
    ///
    /// The token must therefore be one of the registry's reputation writers **before** the registry
    /// is set here: the registry admin sends `UpdateRoles { add_writers: [<this token>] }` first
    /// (for a token instantiated with a registry, right after instantiation, before any credit line
    /// is set). Otherwise every credit line, on-time repayment and default fails with the registry's
    /// `unauthorized` error until the token is made a writer (or the registry is removed with
    /// `UpdateConfig { remove_did_registry: true }`); other transfers are not affected.
    #[serde(default)]
    pub did_registry: Option<String>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Pays `amount` (plus the network fee) to `recipient`; may take the sender into its credit line.
    ///
    /// With a DID registry, every transfer path (`Transfer`, `Send`, `TransferFrom`, `SendFrom`, and
    /// the fee credited to the collector) that takes an account with a credit line from a negative
    /// balance to zero or more while its term has not ended records `repaid_on_time { amount }` for
    /// it, `amount` being the debt it had before the transfer.
    Transfer {
        recipient: String,
        amount: Uint128,
    },
    /// Like `Transfer`, then calls `contract` with a cw20 `Receive` hook.
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    IncreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    DecreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    /// Spends from `owner`'s allowance (amount plus fee), possibly into the owner's credit line.
    TransferFrom {
        owner: String,
        recipient: String,
        amount: Uint128,
    },
    SendFrom {
        owner: String,
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    /// Opens or replaces `member`'s credit line from now to `term_end` (unix seconds), with the
    /// configured grace period. Underwriting contract only (the admin when there is none). With a
    /// DID registry, records `credit_line_granted { amount: limit, term: term_end - now }` (a zero
    /// limit grants nothing and records nothing).
    SetCreditLine {
        member: String,
        limit: Uint128,
        term_end: u64,
    },
    /// Limit to 0, no new credit; an existing debt stays due. Same authority as `SetCreditLine`.
    CloseCreditLine {
        member: String,
    },
    /// Anyone, once the member's debt is unpaid past term end plus grace period: the debt moves to
    /// the loss account, the line is marked defaulted and the account can no longer spend. With a
    /// DID registry, records `defaulted { amount: debt }`.
    DeclareDefault {
        member: String,
    },
    /// Admin: the member can no longer spend (it can still receive).
    Freeze {
        member: String,
    },
    Unfreeze {
        member: String,
    },
    /// Admin: changes the fields given in the update only.
    UpdateConfig(ConfigUpdate),
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
}

/// The fields `UpdateConfig` changes; those left out (or `null`) stay as they are.
#[cw_serde]
#[derive(Default)]
pub struct ConfigUpdate {
    pub fee_bps: Option<u16>,
    pub fee_collector: Option<String>,
    pub fee_exempt: Option<Vec<String>>,
    pub loss_account: Option<String>,
    pub default_grace_period: Option<u64>,
    pub underwriting: Option<String>,
    /// Runs the network without an underwriting contract (the admin sets credit lines).
    #[serde(default)]
    pub remove_underwriting: bool,
    /// Starts recording reputation in this DID registry (see `InstantiateMsg::did_registry`: make
    /// the token a reputation writer of the registry first, `UpdateRoles { add_writers: [token] }`).
    pub did_registry: Option<String>,
    /// Stops recording reputation (credit actions no longer call any registry).
    #[serde(default)]
    pub remove_did_registry: bool,
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The positive part of the balance (what a cw20 wallet shows).
    #[returns(BalanceResponse)]
    Balance { address: String },
    /// `total_supply` is the sum of positive balances.
    #[returns(TokenInfoResponse)]
    TokenInfo {},
    #[returns(AllowanceResponse)]
    Allowance { owner: String, spender: String },
    #[returns(AllAllowancesResponse)]
    AllAllowances { owner: String, start_after: Option<String>, limit: Option<u32> },
    /// Accounts in canonical-address order.
    #[returns(AllAccountsResponse)]
    AllAccounts { start_after: Option<String>, limit: Option<u32> },
    #[returns(CreditAccountResponse)]
    CreditAccount { address: String },
    #[returns(NetworkStatsResponse)]
    NetworkStats {},
    #[returns(ConfigResponse)]
    Config {},
}

#[cw_serde]
pub struct CreditLineView {
    pub limit: Uint128,
    pub term_start: u64,
    pub term_end: u64,
    pub grace_period: u64,
    pub status: LineStatus,
    /// First second at which an unpaid debt can be declared in default.
    pub default_declarable_at: Option<u64>,
}

#[cw_serde]
pub struct CreditAccountResponse {
    pub address: String,
    /// Signed balance: negative while the member owes the network.
    pub balance: Int128,
    /// What the account may spend now (amount plus fee).
    pub available: Uint128,
    pub line: Option<CreditLineView>,
    pub standing: Standing,
}

#[cw_serde]
pub struct NetworkStatsResponse {
    /// Sum of positive balances (= minus the sum of negative balances).
    pub total_supply: Uint128,
    /// Sum of the limits of all credit lines.
    pub total_credit_extended: Uint128,
    /// Accounts that ever held a balance or a credit line.
    pub members: u64,
    pub members_in_debt: u64,
    pub loss_account: Addr,
    pub loss_account_balance: Int128,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub underwriting: Option<Addr>,
    pub fee_bps: u16,
    pub fee_collector: Addr,
    pub fee_exempt: Vec<Addr>,
    pub loss_account: Addr,
    pub default_grace_period: u64,
    /// Where reputation events are recorded, if anywhere.
    pub did_registry: Option<Addr>,
}
