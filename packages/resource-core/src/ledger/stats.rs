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
    /// The delta of an operation that reported `minted` and `burned`, before its accounts are
    /// [`add`](StatsDelta::add)ed. [`Overflow`](LedgerError::Overflow) only for amounts outside the
    /// ledger's range.
    pub fn new(minted: u128, burned: u128) -> Result<StatsDelta, LedgerError> {
        Ok(StatsDelta { supply: supply_delta(minted, burned)?, ..StatsDelta::default() })
    }

    /// Counts one account the operation wrote: `old` is its stored value before (`None`: not stored
    /// yet), `new` the value written.
    pub fn add(&mut self, old: Option<&Account>, new: &Account) -> Result<(), LedgerError> {
        let before = old.unwrap_or(&Account::EMPTY);
        // One account adds at most one member and moves the debtor count by one: these cannot wrap
        // over the few accounts an operation touches.
        self.new_members = self.new_members.wrapping_add(u64::from(old.is_none()));
        self.members_in_debt =
            self.members_in_debt.wrapping_add(i64::from(new.balance < 0)).wrapping_sub(i64::from(before.balance < 0));
        let credit = supply_delta(limit_of(new), limit_of(before))?;
        self.credit_extended = self.credit_extended.checked_add(credit).ok_or(LedgerError::Overflow)?;
        Ok(())
    }

    /// The delta of one operation: `changes` are the touched accounts as `(before, after)`; see
    /// [`new`](StatsDelta::new) and [`add`](StatsDelta::add).
    pub fn of<'a, I>(changes: I, minted: u128, burned: u128) -> Result<StatsDelta, LedgerError>
    where
        I: IntoIterator<Item = (Option<&'a Account>, &'a Account)>,
    {
        let mut d = StatsDelta::new(minted, burned)?;
        for (old, new) in changes {
            d.add(old, new)?;
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
    /// Updates the counters by an operation's `delta`; on an error they are left as they were.
    ///
    /// [`Overflow`](LedgerError::Overflow) if a counter would leave its range, which a consistent
    /// ledger never does (supply cannot go below zero, nor the members in debt).
    pub fn apply(&mut self, delta: &StatsDelta) -> Result<(), LedgerError> {
        let supply = self.supply.checked_add_signed(delta.supply).ok_or(LedgerError::Overflow)?;
        let credit_extended =
            self.credit_extended.checked_add_signed(delta.credit_extended).ok_or(LedgerError::Overflow)?;
        let members = self.members.checked_add(delta.new_members).ok_or(LedgerError::Overflow)?;
        let members_in_debt =
            self.members_in_debt.checked_add_signed(delta.members_in_debt).ok_or(LedgerError::Overflow)?;
        *self = NetworkStats { supply, credit_extended, members, members_in_debt };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{CreditLine, LineStatus};

    fn with_line(balance: i128, limit: u128) -> Account {
        let line = CreditLine { limit, term_start: 0, term_end: 10, grace_period: 0, status: LineStatus::Active };
        Account::new(balance, Some(line))
    }

    #[test]
    fn a_first_spend_on_credit_counts_a_member_in_debt_and_new_money() {
        let spender = (Some(with_line(0, 100)), with_line(-40, 100));
        let receiver = (None, Account::new(40, None));
        let d = StatsDelta::of([(spender.0.as_ref(), &spender.1), (receiver.0.as_ref(), &receiver.1)], 40, 0).unwrap();
        assert_eq!(d, StatsDelta { supply: 40, credit_extended: 0, new_members: 1, members_in_debt: 1 });
        let mut s = NetworkStats { supply: 0, credit_extended: 100, members: 1, members_in_debt: 0 };
        s.apply(&d).unwrap();
        assert_eq!(s, NetworkStats { supply: 40, credit_extended: 100, members: 2, members_in_debt: 1 });
    }

    #[test]
    fn line_changes_move_credit_extended_and_nothing_else() {
        let d = StatsDelta::of([(Some(&with_line(0, 100)), &with_line(0, 30))], 0, 0).unwrap();
        assert_eq!(d, StatsDelta { credit_extended: -70, ..StatsDelta::default() });
        assert!(!d.is_zero());
        let mut same = StatsDelta::new(3, 3).unwrap();
        same.add(Some(&with_line(5, 100)), &with_line(7, 100)).unwrap();
        assert!(same.is_zero());
    }

    #[test]
    fn counters_never_wrap() {
        let repay = StatsDelta { supply: -1, members_in_debt: -1, ..StatsDelta::default() };
        let mut empty = NetworkStats::default();
        assert_eq!(empty.apply(&repay), Err(LedgerError::Overflow));
        assert_eq!(empty, NetworkStats::default(), "a refused update changes nothing");
        let mut full = NetworkStats { members: u64::MAX, ..NetworkStats::default() };
        assert_eq!(full.apply(&StatsDelta { new_members: 1, ..StatsDelta::default() }), Err(LedgerError::Overflow));
    }
}
