use cosmwasm_std::Uint128;
use resource_core::clearing::ClearingError;

use resource_core::clearing::ObligationStatus;

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        /// A rule of clearing (resource-core) refused the set-off. Participants are named by address.
        #[error("{0}")]
        Clearing(#[from] ClearingError),

        #[error("the amount must be greater than 0")]
        ZeroAmount,

        #[error("the debtor must differ from the creditor (the sender); a participant cannot owe itself")]
        SelfObligation,

        #[error("the reference must be a 32-byte hash (64 hex digits), got {len} bytes; hash the invoice with SHA-256")]
        InvalidReference { len: usize },

        #[error("the due date {due} is not in the future (block time is {now}); give a later unix time in seconds")]
        DueNotInFuture { due: u64, now: u64 },

        #[error("obligation {id} does not exist; list yours with the ObligationsOf query")]
        ObligationNotFound { id: u64 },

        #[error("obligation {id} is {status}; only a proposed obligation can be accepted or cancelled")]
        NotProposed { id: u64, status: ObligationStatus },

        #[error(
            "obligation {id} is {status}; only accepted obligations with an amount outstanding can be cleared or settled \
             (see the Outstanding query)"
        )]
        NotOpen { id: u64, status: ObligationStatus },

        #[error(
            "round {got} is not the next clearing round; submit it as round {expected}, solved against the current \
             Outstanding obligations"
        )]
        WrongRound { expected: u64, got: u64 },

        #[error("the set-off has {got} entries but a round may have at most {max}; split it into several rounds")]
        TooManyEntries { max: u32, got: usize },

        #[error("max_entries must be between 1 and {max}")]
        InvalidMaxEntries { max: u32 },

        #[error(
            "no credit token is configured, so obligations cannot be settled with credit; the admin must set one \
             (UpdateConfig)"
        )]
        NoCreditToken,

        #[error("obligation {id} has {remaining} remaining but {sent} was sent; send exactly the remaining amount")]
        WrongSettlementAmount { id: u64, remaining: Uint128, sent: Uint128 },
    }
}
