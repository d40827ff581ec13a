//! The lifecycle of a registered invoice: the states an obligation moves through in the clearing
//! contract. The rules that move it between them are here too, so the contract, the CLI and the SDK
//! agree on what may happen to an obligation in each state.

use core::fmt;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Where a registered obligation stands.
///
/// `proposed -> accepted` (the debtor confirms) or `proposed -> cancelled` (either party withdraws);
/// an accepted obligation is outstanding until set-off rounds clear all of it (`cleared`) or its
/// remaining amount is paid with the credit token (`settled`). Cancelled, cleared and settled are
/// final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ObligationStatus {
    /// Registered by the creditor, waiting for the debtor.
    Proposed,
    /// Confirmed by the debtor: outstanding while its remaining amount is above zero.
    Accepted,
    /// Withdrawn before acceptance.
    Cancelled,
    /// Fully cleared by set-off rounds.
    Cleared,
    /// Its remaining amount was paid with the credit token.
    Settled,
}

impl fmt::Display for ObligationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObligationStatus::Proposed => "proposed",
            ObligationStatus::Accepted => "accepted",
            ObligationStatus::Cancelled => "cancelled",
            ObligationStatus::Cleared => "cleared",
            ObligationStatus::Settled => "settled",
        })
    }
}
