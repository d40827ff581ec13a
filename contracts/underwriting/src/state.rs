//! Storage: the configuration, one stake and one reward account per underwriter, the reward pool,
//! applications by id with an index by status and their suggestions, each member's active
//! application, and vouches by (newcomer, voucher) with each voucher's reserved total. Records are
//! resource-core's own types in their serde JSON (amounts as decimal strings).

use cosmwasm_std::{Addr, StdResult, Storage};
use cw_storage_plus::{Bound, Item, Map};
use resource_core::underwriting::{
    Application, ApplicationPolicy, ApplicationStatus, BackingRules, RewardAccount, RewardPool, ScoringParams, Stake,
    Suggestion, Vouch, VouchPolicy,
};
use serde::{Deserialize, Serialize};

/// The staked asset, validated.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Asset {
    Native(String),
    Cw20(Addr),
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Config {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub credit_token: Addr,
    pub stake_asset: Asset,
    pub rules: BackingRules,
    pub policy: ApplicationPolicy,
    pub unbonding_period: u64,
    pub reserve: Addr,
    pub did_registry: Option<Addr>,
    pub require_did: bool,
    pub scoring: ScoringParams,
    pub vouching: VouchPolicy,
    /// Written before credit periods existed: fixed terms.
    #[serde(default)]
    pub credit_period_min_itd: Option<u64>,
    /// Written before risk fees existed: none.
    #[serde(default)]
    pub risk_fee_bps: Option<u16>,
}

/// A vouch and the open or approved application that uses it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct VouchRecord {
    pub vouch: Vouch<Addr>,
    pub application: Option<u64>,
}

pub const CONFIG: Item<Config> = Item::new("config");
/// Per underwriter: its stake (free, locked, unbonding, slashed).
pub const STAKES: Map<&Addr, Stake> = Map::new("stake");
/// Per underwriter: its share of the reward pool.
pub const REWARDS: Map<&Addr, RewardAccount> = Map::new("reward");
pub const POOL: Item<RewardPool> = Item::new("pool");
/// The last application id given (ids start at 1).
pub const LAST_ID: Item<u64> = Item::new("last_id");
pub const APPLICATIONS: Map<u64, Application<Addr>> = Map::new("app");
/// (status name, id): the applications in each status.
pub const BY_STATUS: Map<(&str, u64), ()> = Map::new("app_status");
/// Per member: its open or approved application.
pub const ACTIVE: Map<&Addr, u64> = Map::new("active");
/// Per application: the limit suggested when it was made.
pub const SUGGESTIONS: Map<u64, Suggestion> = Map::new("suggestion");
/// (newcomer, voucher): the latest vouch of the pair.
pub const VOUCHES: Map<(&Addr, &Addr), VouchRecord> = Map::new("vouch");
/// Per voucher: credit reserved in its active vouches.
pub const VOUCHING: Map<&Addr, cosmwasm_std::Uint128> = Map::new("vouching");

pub fn load_stake(storage: &dyn Storage, who: &Addr) -> StdResult<Stake> {
    Ok(STAKES.may_load(storage, who)?.unwrap_or_default())
}

pub fn load_reward(storage: &dyn Storage, who: &Addr) -> StdResult<RewardAccount> {
    Ok(REWARDS.may_load(storage, who)?.unwrap_or_default())
}

pub fn load_pool(storage: &dyn Storage) -> StdResult<RewardPool> {
    Ok(POOL.may_load(storage)?.unwrap_or_default())
}

/// Saves `app` and moves its status index from `old` (if it had one) to its current status.
pub fn save_application(
    storage: &mut dyn Storage,
    id: u64,
    old: Option<ApplicationStatus>,
    app: &Application<Addr>,
) -> StdResult<()> {
    if let Some(old) = old {
        if old != app.status {
            BY_STATUS.remove(storage, (old.name(), id));
        }
    }
    BY_STATUS.save(storage, (app.status.name(), id), &())?;
    APPLICATIONS.save(storage, id, app)
}

/// Ids of the applications in `status` after `start_after`, at most `limit`.
pub fn ids_by_status(
    storage: &dyn Storage,
    status: ApplicationStatus,
    start_after: Option<u64>,
    limit: usize,
) -> StdResult<Vec<u64>> {
    BY_STATUS
        .prefix(status.name())
        .keys(storage, start_after.map(Bound::exclusive), None, cosmwasm_std::Order::Ascending)
        .take(limit)
        .collect()
}
