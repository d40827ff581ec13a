//! Pure economic logic of a Resource mutual-credit network.
//!
//! Everything here is deterministic integer arithmetic with no I/O, no floats and no panics, so the
//! CosmWasm contracts, the wasm SDK and the CLI can all call the same rules instead of re-implementing
//! them. The crate is `#![no_std]`: the ledger needs neither `std` nor `alloc`, clearing, DIDs and underwriting need `alloc`.
//!
//! Modules:
//! - [`assurance`]: the assurance reserve: primary, buffer and excess reserves of a real asset
//!   against a target reserve-to-debt ratio, deposits, withdrawals and reimbursements.
//! - [`ledger`]: balances, credit lines, the transfer rule (mint/burn, fees), defaults, supply.
//! - [`clearing`]: obligations, verification and optimal solving of multilateral set-off.
//! - [`did`]: `did:resource` DIDs, W3C DID documents and the registry's rules, reputation records,
//!   attesters and verified claims.
//! - [`bridge`]: the meta-network bridge: exchange rates, channel positions and draw limits,
//!   payments settled once.
//! - [`underwriting`]: stake with unbonding, applications for credit lines and their backing rules,
//!   fee rewards by exposure, slashing on default, vouching and credit scoring.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// "No panics on any input": make clippy reject unchecked arithmetic, lossy casts and panicking helpers
// in library code (tests may use them freely).
#![cfg_attr(
    not(test),
    warn(
        clippy::arithmetic_side_effects,
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_sign_loss,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::unreachable
    )
)]

extern crate alloc;
// Tests use std; so does schemars (its derives name `std::` paths).
#[cfg(any(test, feature = "schemars"))]
extern crate std;

pub mod assurance;
pub mod bridge;
pub mod clearing;
pub mod did;
pub mod ledger;
pub mod underwriting;
