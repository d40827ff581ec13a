//! What the demo checks after every step, with the rules of `resource_core` itself: the ledger's
//! supply invariants ([`resource_core::ledger::supply`]) and, for a clearing round, that no net
//! position moved ([`resource_core::clearing::net_positions`]).
use std::collections::BTreeMap;

use anyhow::{ensure, Context};
use cw20::TokenInfoResponse;
use resource_core::clearing::{net_positions, Obligation};
use resource_core::ledger::{supply, supply_delta, Supply};
use resource_msgs::credit_token::{NetworkStatsResponse, QueryMsg};

use super::backend::{Network, Target};
use super::render::{rusd, rusd_u};

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
}

/// What the contract reports, all in base units.
#[derive(Debug, Default)]
pub(super) struct Totals {
    /// Minted and burned since the token was created, from the transfer events.
    pub(super) minted: u128,
    pub(super) burned: u128,
    /// `total_supply` of `token_info` and of `network_stats`.
    pub(super) supply: u128,
    pub(super) stats_supply: u128,
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
        Ok(balances.len())
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::usd;
    use super::*;

    fn totals(minted: u128, burned: u128, supply: u128) -> Totals {
        Totals { minted, burned, supply, stats_supply: supply }
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
}
