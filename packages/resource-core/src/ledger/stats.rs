//! The network's running counters (supply, credit extended, members, members in debt), kept current
//! from what each operation reports instead of by iterating over accounts.
//!
//! A contract computes a [`StatsDelta`] from the accounts an operation touched and the `minted` /
//! `burned` amounts the ledger reported, and reads and writes its stored [`NetworkStats`] only when the
//! delta is not zero (most transfers between members in credit change none of the counters).

use super::{supply_delta, Account, LedgerError};

/// The network's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NetworkStats {
    /// Sum of positive balances: genesis 0 + minted - burned.
    pub supply: u128,
    /// Sum of the limits of all credit lines.
    pub credit_extended: u128,
    /// Accounts ever stored.
    pub members: u64,
    /// Accounts with a negative balance.
    pub members_in_debt: u64,
}

/// How one operation changes the [`NetworkStats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StatsDelta {
    /// `minted - burned`.
    pub supply: i128,
    /// Limits after minus limits before.
    pub credit_extended: i128,
    /// Accounts stored for the first time.
    pub new_members: u64,
    /// Accounts that went into debt minus those that left it.
    pub members_in_debt: i64,
}

fn limit_of(a: &Account) -> u128 {
    a.line.map_or(0, |l| l.limit)
}

impl StatsDelta {
    /// The delta of one operation: `changes` are the touched accounts as `(before, after)`, `None`
    /// before for an account not stored yet; `minted` and `burned` are what the ledger reported.
    ///
    /// [`Overflow`](LedgerError::Overflow) only for amounts outside the ledger's range.
    pub fn of<I>(changes: I, minted: u128, burned: u128) -> Result<StatsDelta, LedgerError>
    where
        I: IntoIterator<Item = (Option<Account>, Account)>,
    {
        let mut d = StatsDelta { supply: supply_delta(minted, burned)?, ..StatsDelta::default() };
        for (old, new) in changes {
            let before = old.unwrap_or(Account::EMPTY);
            d.new_members = d.new_members.checked_add(u64::from(old.is_none())).ok_or(LedgerError::Overflow)?;
            let debt = match (before.balance < 0, new.balance < 0) {
                (false, true) => 1,
                (true, false) => -1,
                _ => 0,
            };
            d.members_in_debt = d.members_in_debt.checked_add(debt).ok_or(LedgerError::Overflow)?;
            let credit = supply_delta(limit_of(&new), limit_of(&before))?;
            d.credit_extended = d.credit_extended.checked_add(credit).ok_or(LedgerError::Overflow)?;
        }
        Ok(d)
    }

    /// Whether the operation leaves every counter as it was (then the stored counters need not be
    /// read or written).
    pub const fn is_zero(&self) -> bool {
        self.supply == 0 && self.credit_extended == 0 && self.new_members == 0 && self.members_in_debt == 0
    }
}

impl NetworkStats {
    /// The counters after an operation with `delta`.
    ///
    /// [`Overflow`](LedgerError::Overflow) if a counter would leave its range, which a consistent
    /// ledger never does (supply cannot go below zero, nor the members in debt).
    pub fn apply(self, delta: &StatsDelta) -> Result<NetworkStats, LedgerError> {
        Ok(NetworkStats {
            supply: self.supply.checked_add_signed(delta.supply).ok_or(LedgerError::Overflow)?,
            credit_extended: self
                .credit_extended
                .checked_add_signed(delta.credit_extended)
                .ok_or(LedgerError::Overflow)?,
            members: self.members.checked_add(delta.new_members).ok_or(LedgerError::Overflow)?,
            members_in_debt: self
                .members_in_debt
                .checked_add_signed(delta.members_in_debt)
                .ok_or(LedgerError::Overflow)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{CreditLine, LineStatus};

    fn with_line(balance: i128, limit: u128) -> Account {
        let line = CreditLine { limit, term_start: 0, term_end: 10, grace_period: 0, status: LineStatus::Active };
        Account { balance, line: Some(line) }
    }

    #[test]
    fn a_first_spend_on_credit_counts_a_member_in_debt_and_new_money() {
        let spender = (Some(with_line(0, 100)), with_line(-40, 100));
        let receiver = (None, Account { balance: 40, line: None });
        let d = StatsDelta::of([spender, receiver], 40, 0).unwrap();
        assert_eq!(d, StatsDelta { supply: 40, credit_extended: 0, new_members: 1, members_in_debt: 1 });
        let s = NetworkStats { supply: 0, credit_extended: 100, members: 1, members_in_debt: 0 }.apply(&d).unwrap();
        assert_eq!(s, NetworkStats { supply: 40, credit_extended: 100, members: 2, members_in_debt: 1 });
    }

    #[test]
    fn line_changes_move_credit_extended_and_nothing_else() {
        let d = StatsDelta::of([(Some(with_line(0, 100)), with_line(0, 30))], 0, 0).unwrap();
        assert_eq!(d, StatsDelta { credit_extended: -70, ..StatsDelta::default() });
        assert!(!d.is_zero());
        assert!(StatsDelta::of([(Some(with_line(5, 100)), with_line(7, 100))], 0, 0).unwrap().is_zero());
    }

    #[test]
    fn counters_never_wrap() {
        let repay = StatsDelta { supply: -1, members_in_debt: -1, ..StatsDelta::default() };
        assert_eq!(NetworkStats::default().apply(&repay), Err(LedgerError::Overflow));
        let full = NetworkStats { members: u64::MAX, ..NetworkStats::default() };
        assert_eq!(full.apply(&StatsDelta { new_members: 1, ..StatsDelta::default() }), Err(LedgerError::Overflow));
    }
}
