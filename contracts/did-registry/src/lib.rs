//! The DID registry of a ReSource network: `did:resource:<chain-id>:<address>` DIDs with W3C DID
//! documents (create, update by replace or patch, deactivate; every version kept and resolvable),
//! attesters, reputation records written by the network's contracts, and claims verified by
//! zero-knowledge proofs, which it checks itself (`credential`). Every rule comes from `resource_core::did`; this crate only stores
//! records, checks roles, parses messages and emits events.

pub mod contract;
pub mod credential;
pub mod error;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod credential_tests;
#[cfg(test)]
mod tests;
