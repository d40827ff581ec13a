use super::LedgerError;

/// Both sides of a ledger: what members hold and what they owe.
///
/// Total supply is `positive` (the money in circulation); in a consistent ledger it equals `negative`
/// (the outstanding debt) because every unit was created by someone going into debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Supply {
    /// Sum of positive balances: the total supply.
    pub positive: u128,
    /// `-(sum of negative balances)`: the total debt.
    pub negative: u128,
}

impl Supply {
    /// The total supply (sum of positive balances).
    pub const fn total(&self) -> u128 {
        self.positive
    }

    /// Whether the balances sum to 0, the ledger's core invariant.
    pub const fn is_balanced(&self) -> bool {
        self.positive == self.negative
    }
}

/// Sums `balances` into their positive and negative parts (for audits, tests, explorers).
///
/// [`Overflow`](LedgerError::Overflow) if a side exceeds `u128` (more than two accounts at the extreme
/// of the range).
pub fn supply<I: IntoIterator<Item = i128>>(balances: I) -> Result<Supply, LedgerError> {
    balances.into_iter().try_fold(Supply::default(), |acc, balance| {
        let magnitude = balance.unsigned_abs();
        let (positive, negative) = if balance >= 0 {
            (acc.positive.checked_add(magnitude), Some(acc.negative))
        } else {
            (Some(acc.positive), acc.negative.checked_add(magnitude))
        };
        match (positive, negative) {
            (Some(positive), Some(negative)) => Ok(Supply { positive, negative }),
            _ => Err(LedgerError::Overflow),
        }
    })
}

/// The change of total supply from one operation: `minted - burned`, signed.
///
/// Summing these over every operation since genesis (supply 0) gives the current total supply.
/// [`Overflow`](LedgerError::Overflow) if the difference does not fit an `i128` (impossible for the
/// amounts a single operation reports, which are at most [`MAX_AMOUNT`](super::MAX_AMOUNT)).
pub fn supply_delta(minted: u128, burned: u128) -> Result<i128, LedgerError> {
    if minted >= burned {
        minted.checked_sub(burned).and_then(|d| i128::try_from(d).ok())
    } else {
        burned.checked_sub(minted).and_then(|d| i128::try_from(d).ok()).and_then(i128::checked_neg)
    }
    .ok_or(LedgerError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{MAX_AMOUNT, MAX_BALANCE, MIN_BALANCE};

    #[test]
    fn splits_positive_and_negative() {
        let s = supply([50, -30, 0, -20, 10]).unwrap();
        assert_eq!(s, Supply { positive: 60, negative: 50 });
        assert!(!s.is_balanced());
        let s = supply([50, -30, -20]).unwrap();
        assert!(s.is_balanced());
        assert_eq!(s.total(), 50);
        assert_eq!(supply([]), Ok(Supply::default()));
    }

    #[test]
    fn supply_handles_the_extremes() {
        assert_eq!(supply([MAX_BALANCE, MIN_BALANCE]).unwrap().total(), MAX_AMOUNT);
        assert_eq!(supply([i128::MIN]).unwrap().negative, 1u128 << 127);
        assert!(supply([MAX_BALANCE, MAX_BALANCE]).is_ok(), "2 * (2^127 - 1) fits a u128");
        assert_eq!(supply([MAX_BALANCE, MAX_BALANCE, MAX_BALANCE]), Err(LedgerError::Overflow));
        assert_eq!(supply([MIN_BALANCE, MIN_BALANCE, MIN_BALANCE]), Err(LedgerError::Overflow));
    }

    #[test]
    fn delta_is_signed() {
        assert_eq!(supply_delta(70, 20), Ok(50));
        assert_eq!(supply_delta(20, 70), Ok(-50));
        assert_eq!(supply_delta(5, 5), Ok(0));
        assert_eq!(supply_delta(MAX_AMOUNT, 0), Ok(i128::MAX));
        assert_eq!(supply_delta(0, MAX_AMOUNT), Ok(-i128::MAX));
        assert_eq!(supply_delta(MAX_AMOUNT + 1, 0), Err(LedgerError::Overflow));
        assert_eq!(supply_delta(0, u128::MAX), Err(LedgerError::Overflow));
    }
}
