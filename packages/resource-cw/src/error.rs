//! The errors every contract shares. Each contract embeds [`CwError`] in its own `ContractError`
//! (`#[error(transparent)] Cw(#[from] CwError)`), so the messages are written once and read the same
//! from every contract.

use cosmwasm_std::StdError;
use thiserror::Error;

/// A refusal any contract can give: a host or storage error, a sender without the role, an address
/// that is not one, the admin handover, a migration from something else.
#[derive(Error, Debug, PartialEq)]
pub enum CwError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("unauthorized: only {role} may do this; send it from that address")]
    Unauthorized { role: &'static str },

    #[error("`{address}` is not a valid address on this chain; check the prefix and spelling")]
    InvalidAddress { address: String },

    #[error("no admin change was proposed; the admin must send UpdateAdmin first")]
    NoPendingAdmin,

    #[error("cannot migrate from a different contract `{previous_contract}`")]
    CannotMigrate { previous_contract: String },

    #[error("cannot migrate from version {stored} to the older or unparsable version {new}")]
    CannotMigrateVersion { stored: String, new: String },
}

impl CwError {
    /// A query answers with a `StdError`: a host error stays itself, any other refusal becomes its
    /// message.
    pub fn into_std(self) -> StdError {
        match self {
            CwError::Std(e) => e,
            other => StdError::generic_err(other.to_string()),
        }
    }
}
