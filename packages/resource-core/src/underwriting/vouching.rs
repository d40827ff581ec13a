//! Vouching: a member in good standing reserves part of its own credit line for a newcomer.

use core::fmt;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Where a vouch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum VouchStatus {
    /// The reservation holds.
    Active,
    /// The newcomer repaid on time: reservation released, reward paid.
    Kept,
    /// The newcomer defaulted: the voucher's line was cut by the amount.
    Broken,
    /// Withdrawn before it was tested (no approved line): reservation released, no reward.
    Cancelled,
}

impl VouchStatus {
    /// The status as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            VouchStatus::Active => "active",
            VouchStatus::Kept => "kept",
            VouchStatus::Broken => "broken",
            VouchStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for VouchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
