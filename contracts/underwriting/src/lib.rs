//! Underwriting: underwriters stake a native denom or a cw20 and back members' applications for
//! credit lines; an approved application opens the member's line on the credit token; the token's
//! fees are shared by exposure; at the term end the backing is released (repaid) or slashed to the
//! reserve (default), and the vouches the application used are kept or broken. Every rule comes
//! from `resource_core::underwriting`; this crate only stores stakes, applications, vouches and
//! reward accounts, checks funds and addresses, asks the DID registry who is who, and talks to the
//! credit token.

pub mod asset;
pub mod contract;
pub mod error;
pub mod identity;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
