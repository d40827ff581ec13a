use resource_core::did::{DidError, DocumentError, RecordError};

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        /// A DID or DID URL that is not valid (resource-core's syntax rules).
        #[error("{0}")]
        Did(#[from] DidError),

        /// A rule of DID documents refused the change (resource-core).
        #[error("{0}")]
        Document(#[from] DocumentError),

        /// A rule of reputation records, attesters or verified claims refused it (resource-core).
        #[error("{0}")]
        Record(#[from] RecordError),

        #[error("{did} is not registered; create it first (Create)")]
        DidNotFound { did: String },

        #[error("the chain id `{chain_id}` cannot appear in a did:resource DID: {reason}")]
        UnsupportedChain { chain_id: String, reason: String },

        #[error("the DID has {len} bytes; this registry keys DIDs of at most {max} bytes")]
        DidTooLong { len: usize, max: usize },
    }
}
