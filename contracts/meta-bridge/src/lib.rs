//! The meta-network bridge: an IBC application joining two community networks (see the crate's
//! README). Storage in [`state`], messages in [`contract`], the IBC entry points in [`ibc`]; the
//! rules are `resource_core::bridge`, the wire types `resource_msgs::meta_bridge`.

pub mod contract;
mod error;
pub mod ibc;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
