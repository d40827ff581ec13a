use cosmwasm_std::StdError;
use resource_core::did::{DidError, DocumentError, RecordError};
use thiserror::Error;

/// Every error leaves the state unchanged (the transaction is reverted) and says what to do.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    /// A DID or DID URL that is not valid (resource-core's syntax rules).
    #[error("{0}")]
    Did(#[from] DidError),

    /// A rule of DID documents refused the change (resource-core).
    #[error("{0}")]
    Document(#[from] DocumentError),

    /// A rule of reputation records, attesters or verified claims refused it (resource-core).
    #[error("{0}")]
    Record(#[from] RecordError),

    #[error("unauthorized: only {role} may do this; send it from that address")]
    Unauthorized { role: &'static str },

    #[error("`{address}` is not a valid address on this chain; check the prefix and spelling")]
    InvalidAddress { address: String },

    #[error("{did} is not registered; create it first (Create)")]
    DidNotFound { did: String },

    #[error("the chain id `{chain_id}` cannot appear in a did:resource DID: {reason}")]
    UnsupportedChain { chain_id: String, reason: String },

    #[error("the DID has {len} bytes; this registry keys DIDs of at most {max} bytes")]
    DidTooLong { len: usize, max: usize },

    #[error("no admin change was proposed; the admin must send UpdateAdmin first")]
    NoPendingAdmin,

    #[error("cannot migrate from a different contract `{previous_contract}`")]
    CannotMigrate { previous_contract: String },

    #[error("cannot migrate from version {stored} to the older or unparsable version {new}")]
    CannotMigrateVersion { stored: String, new: String },
}
