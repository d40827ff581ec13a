use resource_core::clearing::{ClearingError, LifecycleError, RoundError};

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        /// A rule of clearing (resource-core) refused the set-off. Participants are named by address.
        #[error("{0}")]
        Clearing(#[from] ClearingError),

        /// A rule of the obligation lifecycle (resource-core) refused the step: a bad proposal, a
        /// sender who is not the debtor (or a party), an obligation in the wrong state, a settlement
        /// of the wrong amount.
        #[error("{0}")]
        Lifecycle(#[from] LifecycleError),

        /// A rule of the round window (resource-core) refused the submission or the close.
        #[error("{0}")]
        Round(#[from] RoundError),

        #[error("the reference must be a 32-byte hash (64 hex digits), got {len} bytes; hash the invoice with SHA-256")]
        InvalidReference { len: usize },

        #[error("obligation {id} does not exist; list yours with the ObligationsOf query")]
        ObligationNotFound { id: u64 },

        #[error(
            "the Send's msg is not {{\"settle_with_credit\":{{\"obligation\":<id>}}}} ({reason}); the transfer is refused \
             and the tokens stay with the sender"
        )]
        UnknownReceiveMsg { reason: String },

        #[error("the set-off has {got} entries but a round may have at most {max}; split it into several rounds")]
        TooManyEntries { max: u32, got: usize },

        #[error("max_entries must be between 1 and {max}")]
        InvalidMaxEntries { max: u32 },

        #[error(
            "no credit token is configured, so obligations cannot be settled with credit; the admin must set one \
             (UpdateConfig)"
        )]
        NoCreditToken,
    }
}
