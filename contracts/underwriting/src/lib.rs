//! Underwriting: underwriters stake a native denom and back members' applications for credit lines;
//! an approved application opens the member's line on the credit token; the token's fees are shared
//! by exposure; at the term end the backing is released (repaid) or slashed to the reserve
//! (default). Every rule comes from `resource_core::underwriting`; this crate only stores stakes,
//! applications and reward accounts, checks funds and addresses, and talks to the credit token.

pub mod contract;
pub mod error;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
