//! What the demo checks after every step, with the rules of `resource_core` itself: the ledger's
//! supply invariants ([`resource_core::ledger::supply`]), the underwriting contract's books (stake
//! conserved, slashed stake in the reserve, rewards within the fees) and, for a clearing round,
//! that no net position moved ([`resource_core::clearing::net_positions`]).
use std::collections::BTreeMap;

use anyhow::{ensure, Context};
use cw20::TokenInfoResponse;
use resource_core::clearing::{net_positions, Obligation};
use resource_core::ledger::{supply, supply_delta, Supply};
use resource_msgs::credit_token::{NetworkStatsResponse, QueryMsg};

use resource_msgs::underwriting::{PoolResponse, QueryMsg as UnderwritingQuery, UnderwriterResponse};

use super::backend::{Network, Target};
use super::render::{inj_u, rusd, rusd_u};
use super::scenario::{RESERVE, STAKE_SYMBOL, UNDERWRITERS};

/// A ledger invariant that does not hold. The contract guarantees them, so this is a bug if it shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvariantError {
    #[error("balances sum to {} instead of 0", rusd(*.0))]
    SumNotZero(i128),
    #[error("the balances add up to more than the ledger can hold (more than 2^128 base units on one side)")]
    BalancesOverflow,
    #[error("total supply {} is not the sum of positive balances {}", rusd_u(*supply), rusd_u(*positive))]
    SupplyNotPositiveSum { supply: u128, positive: u128 },
    #[error("token_info reports a supply of {} but network_stats {}", rusd_u(*token_info), rusd_u(*stats))]
    SupplyReportsDiffer { token_info: u128, stats: u128 },
    #[error("supply {} is not minted {} minus burned {}", rusd_u(*supply), rusd_u(*minted), rusd_u(*burned))]
    SupplyNotMintedMinusBurned { supply: u128, minted: u128, burned: u128 },
    #[error(
        "{underwriter} staked {} {STAKE_SYMBOL} but free, locked, unbonding and slashed stake add up to {}",
        inj_u(*staked),
        inj_u(*accounted)
    )]
    StakeNotConserved { underwriter: String, staked: u128, accounted: u128 },
    #[error("{} {STAKE_SYMBOL} was slashed but the reserve received {}", inj_u(*slashed), inj_u(*received))]
    SlashedNotInReserve { slashed: u128, received: u128 },
    #[error(
        "the underwriting contract holds {} {STAKE_SYMBOL} but its underwriters' unslashed stake is {}",
        inj_u(*held),
        inj_u(*owed)
    )]
    StakeHeldDiffers { held: u128, owed: u128 },
    #[error(
        "rewards paid {} and fees sent to the reserve {} exceed the fees received {}",
        rusd_u(*paid),
        rusd_u(*to_reserve),
        rusd_u(*received)
    )]
    RewardsAboveFees { paid: u128, to_reserve: u128, received: u128 },
    #[error("the contract reports {} of rewards paid but the underwriters were paid {}", rusd_u(*reported), rusd_u(*claimed))]
    RewardsPaidDiffer { reported: u128, claimed: u128 },
    #[error(
        "the underwriting contract holds {} of credit, not the fees charged {} less what it paid out {}",
        rusd_u(*held),
        rusd_u(*fees),
        rusd_u(*paid_out)
    )]
    FeesHeldDiffer { held: u128, fees: u128, paid_out: u128 },
}

/// What the contracts report and what the story did, all in base units.
#[derive(Debug, Default)]
pub(super) struct Totals {
    /// Minted and burned since the token was created, from the transfer events.
    pub(super) minted: u128,
    pub(super) burned: u128,
    /// `total_supply` of `token_info` and of `network_stats`.
    pub(super) supply: u128,
    pub(super) stats_supply: u128,
    /// Network fees charged, from the transfer events.
    pub(super) fees: u128,
    /// What each underwriter (by account) staked, and the rewards paid to them, as the story sent
    /// and received them.
    pub(super) staked: BTreeMap<&'static str, u128>,
    pub(super) rewards_claimed: u128,
    /// The reserve's stake coins before the story.
    pub(super) reserve_start: u128,
}

/// The underwriting contract's books as read after a step, for [`check_books`].
pub(super) struct Books {
    /// (underwriter name, staked by the story, position).
    pub(super) positions: Vec<(String, u128, UnderwriterResponse)>,
    /// Stake coins the contract holds, and what the reserve gained since the start.
    pub(super) held: u128,
    pub(super) reserve_received: u128,
    pub(super) pool: PoolResponse,
    /// Credit the contract holds (fees not paid out).
    pub(super) credit_held: u128,
}

/// Checks the underwriting contract's books: each underwriter's stake is conserved (staked = free +
/// locked + unbonding + slashed), what was slashed is in the reserve, the contract holds exactly
/// the stake not slashed, rewards paid and fees sent to the reserve stay within the fees received,
/// the rewards reported paid are what the underwriters received, and the credit the contract holds
/// is the fees charged less what it paid out.
pub(super) fn check_books(books: &Books, totals: &Totals) -> Result<(), InvariantError> {
    let mut slashed = 0u128;
    let mut unslashed = 0u128;
    for (name, staked, p) in &books.positions {
        let unbonding: u128 = p.unbonding.iter().map(|u| u.amount.u128()).sum();
        let kept = p.free.u128() + p.locked.u128() + unbonding;
        if kept + p.slashed.u128() != *staked {
            return Err(InvariantError::StakeNotConserved {
                underwriter: name.clone(),
                staked: *staked,
                accounted: kept + p.slashed.u128(),
            });
        }
        slashed += p.slashed.u128();
        unslashed += kept;
    }
    if slashed != books.reserve_received {
        return Err(InvariantError::SlashedNotInReserve { slashed, received: books.reserve_received });
    }
    if books.held != unslashed {
        return Err(InvariantError::StakeHeldDiffers { held: books.held, owed: unslashed });
    }
    let (paid, to_reserve, received) =
        (books.pool.rewards_paid.u128(), books.pool.fees_to_reserve.u128(), books.pool.fees_received.u128());
    if paid + to_reserve > received {
        return Err(InvariantError::RewardsAboveFees { paid, to_reserve, received });
    }
    if paid != totals.rewards_claimed {
        return Err(InvariantError::RewardsPaidDiffer { reported: paid, claimed: totals.rewards_claimed });
    }
    if books.credit_held + paid + to_reserve != totals.fees {
        return Err(InvariantError::FeesHeldDiffer {
            held: books.credit_held,
            fees: totals.fees,
            paid_out: paid + to_reserve,
        });
    }
    Ok(())
}

/// The signed sum of the balances behind `supply` (saturating: it only names a broken invariant).
fn signed_sum(supply: Supply) -> i128 {
    if supply.positive >= supply.negative {
        i128::try_from(supply.positive - supply.negative).unwrap_or(i128::MAX)
    } else {
        i128::try_from(supply.negative - supply.positive).map_or(i128::MIN, |difference| -difference)
    }
}

/// Checks the ledger's invariants over the signed balances of every account.
pub(super) fn check_invariants(balances: &[i128], totals: &Totals) -> Result<(), InvariantError> {
    let ledger = supply(balances.iter().copied()).map_err(|_| InvariantError::BalancesOverflow)?;
    if !ledger.is_balanced() {
        return Err(InvariantError::SumNotZero(signed_sum(ledger)));
    }
    if totals.supply != totals.stats_supply {
        return Err(InvariantError::SupplyReportsDiffer { token_info: totals.supply, stats: totals.stats_supply });
    }
    if totals.supply != ledger.total() {
        return Err(InvariantError::SupplyNotPositiveSum { supply: totals.supply, positive: ledger.total() });
    }
    let minted_minus_burned = supply_delta(totals.minted, totals.burned);
    if !matches!((minted_minus_burned, i128::try_from(totals.supply)), (Ok(delta), Ok(supply)) if delta == supply) {
        return Err(InvariantError::SupplyNotMintedMinusBurned {
            supply: totals.supply,
            minted: totals.minted,
            burned: totals.burned,
        });
    }
    Ok(())
}

/// Nobody is better or worse off after a clearing round: every net position is what it was (a
/// participant whose obligations were all cleared has none left, so zeros are left out).
pub(super) fn net_positions_unchanged(
    before: &[Obligation<String>],
    after: &[Obligation<String>],
    round: u64,
) -> anyhow::Result<()> {
    let net = |obligations: &[Obligation<String>]| -> anyhow::Result<BTreeMap<String, i128>> {
        Ok(net_positions(obligations)?.into_iter().filter(|(_, net)| *net != 0).collect())
    };
    ensure!(
        net(before)? == net(after)?,
        "a net position changed in clearing round {round} (a bug in the clearing contract)"
    );
    Ok(())
}

impl Network {
    /// Reads the supply from both queries and checks the invariants over every account; returns the
    /// number of accounts checked.
    pub(super) async fn check(&self, totals: &mut Totals) -> anyhow::Result<usize> {
        let info: TokenInfoResponse = self.query(Target::Token, &QueryMsg::TokenInfo {}).await?;
        let stats: NetworkStatsResponse = self.query(Target::Token, &QueryMsg::NetworkStats {}).await?;
        totals.supply = info.total_supply.u128();
        totals.stats_supply = stats.total_supply.u128();
        let mut balances = Vec::new();
        for address in self.all_accounts().await? {
            balances.push(self.credit_account(&address).await?.balance.i128());
        }
        check_invariants(&balances, totals)
            .context("the ledger's invariants do not hold (a bug in the credit token)")?;
        check_books(&self.books(totals).await?, totals)
            .context("the underwriting contract's books do not balance (a bug in the underwriting contract)")?;
        Ok(balances.len())
    }

    /// Reads what [`check_books`] checks.
    pub(super) async fn books(&self, totals: &Totals) -> anyhow::Result<Books> {
        let mut positions = Vec::with_capacity(UNDERWRITERS.len());
        for role in &UNDERWRITERS {
            let msg = UnderwritingQuery::Underwriter { address: self.address(role.account).into() };
            let position: UnderwriterResponse = self.query(Target::Underwriting, &msg).await?;
            positions.push((role.name.to_string(), totals.staked.get(role.account).copied().unwrap_or(0), position));
        }
        let held = self.stake_coins(&self.underwriting).await?;
        let reserve = self.stake_coins(self.address(RESERVE.account)).await?;
        let pool: PoolResponse = self.query(Target::Underwriting, &UnderwritingQuery::Pool {}).await?;
        let credit_held = self.credit_account(&self.underwriting).await?.balance.i128();
        Ok(Books {
            positions,
            held,
            reserve_received: reserve.saturating_sub(totals.reserve_start),
            pool,
            credit_held: u128::try_from(credit_held).unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::usd;
    use super::*;

    fn totals(minted: u128, burned: u128, supply: u128) -> Totals {
        Totals { minted, burned, supply, stats_supply: supply, ..Totals::default() }
    }

    #[test]
    fn invariants_hold_and_each_break_is_named() {
        assert_eq!(check_invariants(&[-250, 150, 100, 0], &totals(1_150, 900, 250)), Ok(()));
        assert_eq!(check_invariants(&[], &totals(0, 0, 0)), Ok(()));
        assert_eq!(check_invariants(&[-250, 150], &totals(1_150, 900, 150)), Err(InvariantError::SumNotZero(-100)));
        assert_eq!(
            check_invariants(&[-250, 250], &totals(1_000, 900, 100)),
            Err(InvariantError::SupplyNotPositiveSum { supply: 100, positive: 250 })
        );
        assert_eq!(
            check_invariants(&[-250, 250], &totals(1_000, 900, 250)),
            Err(InvariantError::SupplyNotMintedMinusBurned { supply: 250, minted: 1_000, burned: 900 })
        );
        let mut differ = totals(250, 0, 250);
        differ.stats_supply = 249;
        assert_eq!(
            check_invariants(&[-250, 250], &differ),
            Err(InvariantError::SupplyReportsDiffer { token_info: 250, stats: 249 })
        );
        // An overflowing sum is reported, not wrapped into a false zero.
        assert_eq!(
            check_invariants(&[i128::MAX, i128::MAX, i128::MAX], &totals(0, 0, 0)),
            Err(InvariantError::BalancesOverflow)
        );
        // The sum is exact however large the balances: these do sum to 0, so the supply is what fails.
        assert_eq!(
            check_invariants(&[i128::MAX, 1, i128::MIN], &totals(0, 0, 0)),
            Err(InvariantError::SupplyNotPositiveSum { supply: 0, positive: 1 << 127 })
        );
        let message = InvariantError::SumNotZero(-(usd(1) as i128)).to_string();
        assert_eq!(message, "balances sum to -1.00 instead of 0");
    }

    #[test]
    fn a_moved_net_position_is_named_with_its_round() {
        let owes = |id, debtor: &str, creditor: &str, amount| Obligation {
            id,
            debtor: debtor.to_string(),
            creditor: creditor.to_string(),
            amount,
        };
        let before = [owes(1, "a", "b", 100), owes(2, "b", "a", 40)];
        assert!(net_positions_unchanged(&before, &[owes(1, "a", "b", 60)], 1).is_ok());
        let moved = net_positions_unchanged(&before, &[owes(1, "a", "b", 50)], 2).unwrap_err();
        assert!(moved.to_string().contains("clearing round 2"), "{moved}");
    }

    #[test]
    fn the_underwriting_books_balance_and_each_break_is_named() {
        use cosmwasm_std::{Addr, Uint128};
        use resource_msgs::underwriting::UnbondingView;
        let position = |free: u128, locked: u128, unbonding: u128, slashed: u128| UnderwriterResponse {
            address: Addr::unchecked("u"),
            free: Uint128::new(free),
            locked: Uint128::new(locked),
            unbonding: vec![UnbondingView { amount: Uint128::new(unbonding), release_at: 9 }],
            slashed: Uint128::new(slashed),
            exposure: Uint128::new(locked),
            rewards: Uint128::zero(),
        };
        let pool = |received: u128, to_reserve: u128, paid: u128| PoolResponse {
            total_exposure: Uint128::zero(),
            fees_received: Uint128::new(received),
            fees_to_reserve: Uint128::new(to_reserve),
            rewards_paid: Uint128::new(paid),
        };
        let books = || Books {
            positions: vec![("a".into(), 300, position(150, 100, 20, 30)), ("b".into(), 100, position(100, 0, 0, 0))],
            held: 370,
            reserve_received: 30,
            pool: pool(50, 5, 40),
            credit_held: 8,
        };
        let totals = Totals { fees: 53, rewards_claimed: 40, ..Totals::default() };
        assert_eq!(check_books(&books(), &totals), Ok(()));
        let mut b = books();
        b.positions[0].1 = 301;
        assert_eq!(
            check_books(&b, &totals),
            Err(InvariantError::StakeNotConserved { underwriter: "a".into(), staked: 301, accounted: 300 })
        );
        let mut b = books();
        b.reserve_received = 29;
        assert_eq!(check_books(&b, &totals), Err(InvariantError::SlashedNotInReserve { slashed: 30, received: 29 }));
        let mut b = books();
        b.held = 371;
        assert_eq!(check_books(&b, &totals), Err(InvariantError::StakeHeldDiffers { held: 371, owed: 370 }));
        let mut b = books();
        b.pool = pool(44, 5, 40);
        assert_eq!(
            check_books(&b, &totals),
            Err(InvariantError::RewardsAboveFees { paid: 40, to_reserve: 5, received: 44 })
        );
        let claimed_less = Totals { rewards_claimed: 39, ..Totals { fees: 53, ..Totals::default() } };
        assert_eq!(
            check_books(&books(), &claimed_less),
            Err(InvariantError::RewardsPaidDiffer { reported: 40, claimed: 39 })
        );
        let more_fees = Totals { fees: 54, rewards_claimed: 40, ..Totals::default() };
        assert_eq!(
            check_books(&books(), &more_fees),
            Err(InvariantError::FeesHeldDiffer { held: 8, fees: 54, paid_out: 45 })
        );
        let message = InvariantError::SlashedNotInReserve { slashed: 25_250_000_000_000_000_000, received: 0 };
        assert_eq!(message.to_string(), "25.25 INJ was slashed but the reserve received 0.00");
    }
}
