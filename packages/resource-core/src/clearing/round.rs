//! Who decides a clearing round, and when: rounds are competed for in a submission window.
//!
//! Anyone may submit a set-off. The first valid one opens round `N` (the last closed round + 1) as its
//! candidate and fixes the round's closing time, `opened + window`. Until then any valid set-off that
//! clears strictly more replaces the candidate; a smaller or equal one is refused, saying what to
//! beat. From the closing time on, anyone closes the round: the candidate is checked again against
//! the obligations as they stand then and applied, or lapses when one of them was settled or
//! cancelled meanwhile. Either way round `N` is over and the next submission opens `N + 1`.
//!
//! Why this resists griefing: a candidate changes nothing until it is closed, so a stranger's small
//! round can neither make a larger round fail nor take its obligations; it can only be outbid. The
//! closing time never moves, so no one can keep a round open by bidding. A self-dealing submitter
//! who inflates its total with a cycle among its own accounts is outbid by anyone who solves the
//! whole outstanding list, which contains that cycle too (the optimum over everything is at least
//! the optimum over any part); at worst the honest obligations wait for the next round.

use core::fmt;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The shortest submission window the contract accepts (seconds): a competitor needs a block.
pub const MIN_ROUND_WINDOW: u64 = 1;
/// The longest submission window (seconds): one day, so clearing never stalls for long.
pub const MAX_ROUND_WINDOW: u64 = 86_400;
/// The default submission window (seconds): time for a solver to read the outstanding list, solve
/// and answer a candidate, on chains with blocks every few seconds.
pub const DEFAULT_ROUND_WINDOW: u64 = 300;

/// The round being competed for: its number, what its candidate clears, when it closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Candidate {
    /// The round number the candidate will have when closed.
    pub number: u64,
    /// What the candidate clears.
    pub total: u128,
    /// Unix seconds from which the round can be closed; fixed when the round opens.
    pub closes_at: u64,
}

impl Candidate {
    /// Whether the round may be closed at `now` (and takes no more submissions).
    pub const fn is_due(&self, now: u64) -> bool {
        now >= self.closes_at
    }
}

/// Why a submission or a close was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum RoundError {
    /// A set-off that does not clear more than the pending candidate.
    #[error(
        "round {round} already has a candidate clearing {total}; submit a set-off clearing more than {total} before \
         {closes_at} (unix seconds), or submit for the next round after that (see the PendingRound query)"
    )]
    NotLarger {
        /// The pending round.
        round: u64,
        /// What its candidate clears: the amount to beat.
        total: u128,
        /// When it closes.
        closes_at: u64,
    },
    /// Closing a round before its window ends.
    #[error("round {round} takes submissions until {closes_at} (unix seconds) and it is {now}; close it from then on")]
    StillOpen {
        /// The pending round.
        round: u64,
        /// When it closes.
        closes_at: u64,
        /// The current block time.
        now: u64,
    },
    /// Closing when no round is pending.
    #[error("no clearing round is pending; submit a set-off to open one")]
    NoPendingRound,
    /// A window outside the accepted range.
    #[error("round_window must be between {min} and {max} seconds, got {got}")]
    InvalidWindow {
        /// [`MIN_ROUND_WINDOW`].
        min: u64,
        /// [`MAX_ROUND_WINDOW`].
        max: u64,
        /// The value given.
        got: u64,
    },
    /// Round numbers or times left the 64-bit range (only with absurd inputs).
    #[error("the round number or closing time overflowed 64 bits")]
    Overflow,
}

/// What an accepted submission does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Admission {
    /// It opens a new round as its first candidate.
    Opens(Candidate),
    /// It replaces the pending candidate, which cleared `previous`; number and closing time stay.
    Replaces {
        /// The new candidate.
        candidate: Candidate,
        /// What the replaced candidate cleared.
        previous: u128,
    },
}

impl Admission {
    /// The candidate after the submission.
    pub const fn candidate(&self) -> Candidate {
        match self {
            Admission::Opens(c) | Admission::Replaces { candidate: c, .. } => *c,
        }
    }
}

/// Checks a submission window length.
pub fn check_window(window: u64) -> Result<u64, RoundError> {
    if (MIN_ROUND_WINDOW..=MAX_ROUND_WINDOW).contains(&window) {
        Ok(window)
    } else {
        Err(RoundError::InvalidWindow { min: MIN_ROUND_WINDOW, max: MAX_ROUND_WINDOW, got: window })
    }
}

/// Admits a valid set-off clearing `total` at `now`. `pending` is the round still taking submissions
/// (a due round must be closed first: it is treated as over, and the set-off opens the next one),
/// `closed_rounds` the number of the last closed round, `window` the configured window.
pub fn admit(
    pending: Option<&Candidate>,
    closed_rounds: u64,
    total: u128,
    now: u64,
    window: u64,
) -> Result<Admission, RoundError> {
    let last = match pending {
        Some(p) if !p.is_due(now) => {
            return if total > p.total {
                Ok(Admission::Replaces { candidate: Candidate { total, ..*p }, previous: p.total })
            } else {
                Err(RoundError::NotLarger { round: p.number, total: p.total, closes_at: p.closes_at })
            };
        }
        Some(due) => due.number.max(closed_rounds),
        None => closed_rounds,
    };
    let number = last.checked_add(1).ok_or(RoundError::Overflow)?;
    let closes_at = now.checked_add(window).ok_or(RoundError::Overflow)?;
    Ok(Admission::Opens(Candidate { number, total, closes_at }))
}

/// Whether `pending` may be closed at `now`: the round's number if so.
pub fn close(pending: Option<&Candidate>, now: u64) -> Result<u64, RoundError> {
    match pending {
        None => Err(RoundError::NoPendingRound),
        Some(p) if p.is_due(now) => Ok(p.number),
        Some(p) => Err(RoundError::StillOpen { round: p.number, closes_at: p.closes_at, now }),
    }
}

/// How a closed round ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum RoundOutcome {
    /// The candidate still held when the round closed and was applied.
    Applied,
    /// An obligation of the candidate was settled or cancelled during the window: nothing was cleared.
    Lapsed,
}

impl fmt::Display for RoundOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RoundOutcome::Applied => "applied",
            RoundOutcome::Lapsed => "lapsed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: u64 = 60;

    #[test]
    fn the_first_submission_opens_the_next_round_with_a_fixed_closing_time() {
        let a = admit(None, 4, 10, 1_000, W).unwrap();
        assert_eq!(a, Admission::Opens(Candidate { number: 5, total: 10, closes_at: 1_060 }));
    }

    #[test]
    fn only_a_strictly_larger_set_off_replaces_the_candidate_and_the_window_does_not_move() {
        let c = Candidate { number: 5, total: 10, closes_at: 1_060 };
        let beat = RoundError::NotLarger { round: 5, total: 10, closes_at: 1_060 };
        assert_eq!(admit(Some(&c), 4, 10, 1_059, W), Err(beat));
        assert_eq!(admit(Some(&c), 4, 1, 1_001, W), Err(beat));
        assert_eq!(
            admit(Some(&c), 4, 11, 1_059, W),
            Ok(Admission::Replaces { candidate: Candidate { total: 11, ..c }, previous: 10 })
        );
    }

    #[test]
    fn once_due_a_round_takes_no_submissions_and_the_next_one_opens() {
        let c = Candidate { number: 5, total: 10, closes_at: 1_060 };
        assert_eq!(
            admit(Some(&c), 4, 1, 1_060, W),
            Ok(Admission::Opens(Candidate { number: 6, total: 1, closes_at: 1_120 }))
        );
        assert_eq!(admit(Some(&c), 4, 1_000, 2_000, W).unwrap().candidate().number, 6);
    }

    #[test]
    fn a_round_closes_from_its_closing_time_on() {
        let c = Candidate { number: 5, total: 10, closes_at: 1_060 };
        assert_eq!(close(None, 1_000), Err(RoundError::NoPendingRound));
        assert_eq!(close(Some(&c), 1_059), Err(RoundError::StillOpen { round: 5, closes_at: 1_060, now: 1_059 }));
        assert_eq!(close(Some(&c), 1_060), Ok(5));
        assert_eq!(close(Some(&c), u64::MAX), Ok(5));
    }

    #[test]
    fn windows_are_bounded_and_overflow_is_an_error() {
        assert_eq!(check_window(DEFAULT_ROUND_WINDOW), Ok(DEFAULT_ROUND_WINDOW));
        assert_eq!(check_window(MIN_ROUND_WINDOW), Ok(MIN_ROUND_WINDOW));
        assert_eq!(check_window(MAX_ROUND_WINDOW), Ok(MAX_ROUND_WINDOW));
        for got in [0, MAX_ROUND_WINDOW + 1] {
            assert_eq!(
                check_window(got),
                Err(RoundError::InvalidWindow { min: MIN_ROUND_WINDOW, max: MAX_ROUND_WINDOW, got })
            );
        }
        assert_eq!(admit(None, u64::MAX, 1, 0, W), Err(RoundError::Overflow));
        assert_eq!(admit(None, 0, 1, u64::MAX, W), Err(RoundError::Overflow));
    }
}
