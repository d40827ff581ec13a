//! CIP-36 mutual-credit token: a cw20-compatible CosmWasm contract whose every economic rule comes
//! from `resource_core::ledger`. This crate only stores accounts, checks who may do what, parses
//! messages and emits events, and, with a DID registry configured, sends the members' reputation
//! events to it.

pub mod allowances;
pub mod contract;
pub mod enumerable;
pub mod error;
mod reputation;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
