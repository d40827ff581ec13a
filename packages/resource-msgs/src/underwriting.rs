//! The underwriting contract (`contracts/underwriting`, artifact `underwriting.wasm`): underwriters
//! stake an asset (a native denom or a cw20), back members' applications for credit lines, earn the
//! credit token's fees by exposure and are slashed on default; members vouch for newcomers with
//! part of their own line; a scoring function suggests limits from verified claims. Every rule comes
//! from `resource_core::underwriting`.
//!
//! Amounts are `Uint128` decimal strings. The core's configuration types ([`BackingRules`],
//! [`ApplicationPolicy`], [`ScoringParams`], [`VouchPolicy`]) and statuses go on the wire as
//! themselves: their serde form writes amounts as decimal strings and enums in snake_case (see the
//! crate docs).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128};
pub use cw20::Cw20ReceiveMsg;
pub use resource_core::underwriting::{
    ApplicationPolicy, ApplicationStatus, BackingRules, Price, Reason, ScoringParams, VouchPolicy, VouchStatus,
};

/// What underwriters stake.
#[cw_serde]
pub enum StakeAsset {
    /// Coins of a bank denom, attached to `Stake {}`.
    Native { denom: String },
    /// A cw20 token, sent with the token's `Send { contract: <this contract>, msg: {"stake": {}} }`.
    Cw20 { address: String },
}

#[cw_serde]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The network's credit token. This contract must be its `underwriting` address (it sets credit
    /// lines and reserves vouched credit), its `fee_collector` (fees are the underwriters' rewards)
    /// and one of its `fee_exempt` contracts (so that paying rewards out is not taxed).
    pub credit_token: String,
    /// The staked asset.
    pub stake_asset: StakeAsset,
    /// When an application is approved: coverage at a price, distinct underwriters, maximum share.
    pub rules: BackingRules,
    /// Bounds on terms and how long an application stays open. `min_term` should be at least the
    /// credit token's `min_term`, or approval's `SetCreditLine` is refused by the token.
    pub policy: ApplicationPolicy,
    /// Seconds between `Unbond` and `Claim`, above 0.
    pub unbonding_period: u64,
    /// The network reserve: receives slashed stake and forfeited or unallocated fees (credit-token
    /// transfers; it must not be a fee-exempt contract).
    pub reserve: String,
    /// The DID registry: identities (accounts whose DIDs share a controller count as one party),
    /// verified claims for scoring and repayment history. Without one, each address is its own
    /// identity.
    #[serde(default)]
    pub did_registry: Option<String>,
    /// Underwriters, applicants and vouchers must have an active account DID in the registry (so
    /// that a party cannot split itself into fresh addresses). Needs `did_registry`.
    #[serde(default)]
    pub require_did: bool,
    /// The scoring weights; defaults to `ScoringParams::with_unit(10^decimals)` of the credit token.
    #[serde(default)]
    pub scoring: Option<ScoringParams>,
    /// What a vouch earns; defaults to a reward weight of 5 000 bps.
    #[serde(default)]
    pub vouching: Option<VouchPolicy>,
    /// When set, every line the contract approves is on credit-period terms with this minimum
    /// income-to-debt ratio, in parts per million (the credit token's `SetCreditPeriod`, sent with
    /// `SetCreditLine`): its term renews by itself while the member meets it, and a member that does
    /// not is frozen for credit in the grace period, then in default. While the member owes, `Settle`
    /// waits for the renewed term (the backing stays exposed while the line renews); once it owes
    /// nothing, `Settle` releases the backing and closes the line (`CloseCreditLine`), so no credit
    /// runs on without it.
    #[serde(default)]
    pub credit_period_min_itd: Option<u64>,
    /// When set, every member whose line the contract approves pays this risk fee, in basis points,
    /// on the credit each of its payments draws, on top of the network fee (the credit token's
    /// `SetRiskFee`, sent with `SetCreditLine`).
    #[serde(default)]
    pub risk_fee_bps: Option<u16>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Bonds the attached coins of the native stake denom (exactly one coin, above 0).
    Stake {},
    /// A cw20 stake asset's `Send` hook: `msg` is a [`ReceiveMsg`].
    Receive(Cw20ReceiveMsg),
    /// Starts unbonding `amount` of free stake; claimable after the unbonding period. Locked
    /// (backing) stake cannot be unbonded.
    Unbond {
        amount: Uint128,
    },
    /// Sends back every unbonding whose period has passed.
    Claim {},
    /// The sender applies for a credit line of `amount` credit units for `term` seconds from
    /// approval. One active (open or approved) application per member. `claims` are sequence
    /// numbers of the sender's verified claims in the DID registry (valid now, from active
    /// attesters): they and the sender's repayment history make the application's suggested
    /// limit. `vouchers` are members with an active vouch for the sender not used by another
    /// application; they may not back it.
    Apply {
        amount: Uint128,
        term: u64,
        #[serde(default)]
        claims: Vec<u64>,
        #[serde(default)]
        vouchers: Vec<String>,
    },
    /// The sender backs `application` with `amount` of its free stake (locked). When the backing
    /// then meets the rules, the application is approved and the credit token's `SetCreditLine`
    /// is sent.
    Back {
        application: u64,
        amount: Uint128,
    },
    /// The sender withdraws `amount` of its backing of an application not yet approved.
    Withdraw {
        application: u64,
        amount: Uint128,
    },
    /// Anyone, after the term end: releases the backing if the member's balance is >= 0 (its
    /// vouchers are released and paid their reward); otherwise, once the token can declare the
    /// default, sends `DeclareDefault`, slashes the backers to the reserve and cuts each voucher's
    /// line by its vouch.
    Settle {
        application: u64,
    },
    /// Anyone, after an open application's `expires_at`: it expires, its backing is released and
    /// its vouches are free again.
    Expire {
        application: u64,
    },
    /// The admin, or the applicant itself, rejects an open application: its backing is released
    /// and its vouches are free again.
    Reject {
        application: u64,
    },
    /// The sender, a member in good standing on the credit token, vouches for `newcomer` by
    /// reserving `amount` of its own available credit. One active vouch per pair.
    Vouch {
        newcomer: String,
        amount: Uint128,
    },
    /// The sender withdraws its active vouch for `newcomer`, unless an open or approved
    /// application uses it: the reservation is released, its accrued reward forfeited.
    CancelVouch {
        newcomer: String,
    },
    /// Pays the sender its accrued rewards with a credit-token `Transfer`.
    ClaimRewards {},
    /// Anyone: the increase of this contract's credit balance over what it has accounted becomes
    /// new fees, shared by exposure.
    DistributeFees {},
    /// Admin: changes the fields given in the update only.
    UpdateConfig(Box<ConfigUpdate>),
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
}

/// The `msg` of a cw20 `Send` to this contract.
#[cw_serde]
pub enum ReceiveMsg {
    /// Bonds the sent amount for the sender of the cw20 `Send`.
    Stake {},
}

/// The fields `UpdateConfig` changes; those left out (or `null`) stay as they are. New rules and
/// policy apply to later approvals and applications; a settlement values losses at the price
/// configured when it runs.
#[cw_serde]
#[derive(Default)]
pub struct ConfigUpdate {
    pub rules: Option<BackingRules>,
    pub policy: Option<ApplicationPolicy>,
    pub unbonding_period: Option<u64>,
    pub reserve: Option<String>,
    pub did_registry: Option<String>,
    /// Stops using a DID registry (each address is then its own identity).
    #[serde(default)]
    pub remove_did_registry: bool,
    pub require_did: Option<bool>,
    pub scoring: Option<ScoringParams>,
    pub vouching: Option<VouchPolicy>,
    /// Approves lines on credit-period terms with this minimum ITD (ppm) from now on.
    pub credit_period_min_itd: Option<u64>,
    /// Approves fixed-term lines from now on (lines already approved keep their terms).
    #[serde(default)]
    pub remove_credit_period: bool,
    /// The risk fee (basis points) of lines approved from now on; 0: none.
    pub risk_fee_bps: Option<u16>,
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// Stake, locked stake, unbondings, exposure and rewards of `address` (zeros if unknown).
    #[returns(UnderwriterResponse)]
    Underwriter { address: String },
    #[returns(ApplicationResponse)]
    Application { id: u64 },
    /// Applications with `status`, by id.
    #[returns(ApplicationsResponse)]
    Applications { status: ApplicationStatus, start_after: Option<u64>, limit: Option<u32> },
    /// The reward pool's totals.
    #[returns(PoolResponse)]
    Pool {},
    /// What stands behind `member`'s credit: its active application's backing, the vouches for
    /// it, and the credit it has reserved vouching for others.
    #[returns(MemberExposureResponse)]
    MemberExposure { member: String },
    /// The vouch of `voucher` for `newcomer`, the latest if several were made over time. (Not
    /// `Vouch`: generated clients name a query's method like an execute's, and `Vouch` is one.)
    #[returns(VouchResponse)]
    VouchOf { voucher: String, newcomer: String },
    /// Vouches for `newcomer`, by voucher address, after `start_after`.
    #[returns(VouchesResponse)]
    VouchesFor { newcomer: String, start_after: Option<String>, limit: Option<u32> },
    /// The scoring function: the limit suggested for `claims` taken as proven (a "what if"), with
    /// the repayment history of `member` from the DID registry when both are given.
    #[returns(SuggestionResponse)]
    SuggestedLimit { claims: Vec<ClaimInput>, member: Option<String> },
}

/// A claim as the scoring function reads it (see `resource_core::underwriting::scoring`):
/// `platform_rating` with `rating>=45;reviews>=100`, `revenue_band` with `band>=3` (or `monthly_revenue` with `revenue>=10000`), `months_active`
/// with `months>=24`.
#[cw_serde]
pub struct ClaimInput {
    pub claim_type: String,
    pub predicate: String,
}

#[cw_serde]
pub struct SuggestionResponse {
    /// The suggested limit (credit units).
    pub limit: Uint128,
    /// Why, part by part.
    pub reasons: Vec<Reason>,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Addr,
    pub stake_asset: StakeAsset,
    pub rules: BackingRules,
    pub policy: ApplicationPolicy,
    pub unbonding_period: u64,
    pub reserve: Addr,
    pub did_registry: Option<Addr>,
    pub require_did: bool,
    pub scoring: ScoringParams,
    pub vouching: VouchPolicy,
    /// The minimum ITD (ppm) of the credit periods approved lines get; `null`: fixed terms.
    pub credit_period_min_itd: Option<u64>,
    /// The risk fee (basis points) approved members pay on the credit they draw; `null`: none.
    pub risk_fee_bps: Option<u16>,
}

#[cw_serde]
pub struct UnbondingView {
    pub amount: Uint128,
    pub release_at: u64,
}

#[cw_serde]
pub struct UnderwriterResponse {
    pub address: Addr,
    pub free: Uint128,
    pub locked: Uint128,
    pub unbonding: Vec<UnbondingView>,
    /// Slashed so far (a running total).
    pub slashed: Uint128,
    /// Backing of approved applications (what earns rewards).
    pub exposure: Uint128,
    /// Rewards claimable now (credit units).
    pub rewards: Uint128,
}

#[cw_serde]
pub struct BackerView {
    pub underwriter: Addr,
    pub amount: Uint128,
}

#[cw_serde]
pub struct ApplicationResponse {
    pub id: u64,
    pub applicant: Addr,
    pub amount: Uint128,
    pub term: u64,
    pub opened_at: u64,
    pub expires_at: u64,
    pub status: ApplicationStatus,
    pub term_end: Option<u64>,
    pub backers: Vec<BackerView>,
    pub total_backing: Uint128,
    /// The backing the rules require (stake units).
    pub required_backing: Uint128,
    /// The members vouching for the applicant.
    pub vouchers: Vec<Addr>,
    /// The limit the scoring function suggested at application, from the claims presented and
    /// the history then.
    pub suggestion: SuggestionResponse,
}

#[cw_serde]
pub struct ApplicationsResponse {
    pub applications: Vec<ApplicationResponse>,
}

#[cw_serde]
pub struct PoolResponse {
    pub total_exposure: Uint128,
    /// Fees received in total (credit units).
    pub fees_received: Uint128,
    /// Of which forwarded to the reserve (no exposure when they arrived).
    pub fees_to_reserve: Uint128,
    pub rewards_paid: Uint128,
}

#[cw_serde]
pub struct VouchResponse {
    pub voucher: Addr,
    pub newcomer: Addr,
    /// Reserved credit (credit units).
    pub amount: Uint128,
    pub status: VouchStatus,
    /// The open or approved application that uses it, if any.
    pub application: Option<u64>,
    /// Reward accrued while active, paid only if kept.
    pub accrued_reward: Uint128,
}

#[cw_serde]
pub struct VouchesResponse {
    pub vouches: Vec<VouchResponse>,
}

#[cw_serde]
pub struct MemberExposureResponse {
    pub member: Addr,
    /// Its open or approved application.
    pub application: Option<u64>,
    pub status: Option<ApplicationStatus>,
    /// The credit line applied for or granted (credit units), 0 without an application.
    pub line: Uint128,
    /// Stake locked behind it (stake units).
    pub backing: Uint128,
    pub backers: u32,
    /// Credit other members reserved vouching for it, in active vouches used by the application.
    pub vouched_for: Uint128,
    /// Credit it reserved vouching for others (active vouches).
    pub vouching: Uint128,
}
