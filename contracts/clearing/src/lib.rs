//! Multilateral set-off (MTCS) of members' obligations: creditors propose invoices, debtors accept
//! them, anyone submits a set-off for the next clearing round, and what remains can be paid through
//! the credit token. Every clearing rule comes from `resource_core::clearing`; this crate only stores
//! obligations and rounds, checks who may do what, parses messages and emits events.

pub mod contract;
pub mod error;
pub mod state;

pub use crate::error::ContractError;

#[cfg(test)]
mod tests;
