//! The underwriting contract (`contracts/underwriting`, artifact `underwriting.wasm`): underwriters
//! stake a native denom, back members' applications for credit lines, earn the credit token's fees
//! by exposure and are slashed on default. Every rule comes from `resource_core::underwriting`.
//!
//! Amounts are `Uint128` decimal strings. The core's configuration types ([`BackingRules`],
//! [`ApplicationPolicy`]) and [`ApplicationStatus`] go on the wire as themselves: their serde form
//! writes amounts as decimal strings and enums in snake_case (see the crate docs).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128};
pub use resource_core::underwriting::{ApplicationPolicy, ApplicationStatus, BackingRules, Price};

#[cw_serde]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address.
    pub admin: Option<String>,
    /// The network's credit token. This contract must be its `underwriting` address (it sets credit
    /// lines), its `fee_collector` (fees are the underwriters' rewards) and one of its `fee_exempt`
    /// contracts (so that paying rewards out is not taxed).
    pub credit_token: String,
    /// The staked asset: a native denom (a cw20 stake asset comes later).
    pub stake_denom: String,
    /// When an application is approved: coverage at a price, distinct underwriters, maximum share.
    pub rules: BackingRules,
    /// Bounds on terms and how long an application stays open. `min_term` should be at least the
    /// credit token's `min_term`, or approval's `SetCreditLine` is refused by the token.
    pub policy: ApplicationPolicy,
    /// Seconds between `Unbond` and `Claim`, above 0.
    pub unbonding_period: u64,
    /// The network reserve: receives slashed stake (native coins) and fees that arrive while
    /// nobody is exposed (credit-token transfers; it must not be a fee-exempt contract).
    pub reserve: String,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Bonds the attached coins of the stake denom (exactly one coin, above 0).
    Stake {},
    /// Starts unbonding `amount` of free stake; claimable after the unbonding period. Locked
    /// (backing) stake cannot be unbonded.
    Unbond { amount: Uint128 },
    /// Sends back every unbonding whose period has passed.
    Claim {},
    /// The sender applies for a credit line of `amount` credit units for `term` seconds from
    /// approval. One active (open or approved) application per member.
    Apply { amount: Uint128, term: u64 },
    /// The sender backs `application` with `amount` of its free stake (locked). When the backing
    /// then meets the rules, the application is approved and the credit token's `SetCreditLine`
    /// is sent.
    Back { application: u64, amount: Uint128 },
    /// The sender withdraws `amount` of its backing of an application not yet approved.
    Withdraw { application: u64, amount: Uint128 },
    /// Anyone, after the term end: releases the backing if the member's balance is >= 0; otherwise,
    /// once the token can declare the default, sends `DeclareDefault` and slashes the backers to
    /// the reserve.
    Settle { application: u64 },
    /// Pays the sender its accrued rewards with a credit-token `Transfer`.
    ClaimRewards {},
    /// Anyone: the increase of this contract's credit balance over what it has accounted becomes
    /// new fees, shared by exposure.
    DistributeFees {},
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
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub credit_token: Addr,
    pub stake_denom: String,
    pub rules: BackingRules,
    pub policy: ApplicationPolicy,
    pub unbonding_period: u64,
    pub reserve: Addr,
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
