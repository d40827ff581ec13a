use resource_core::ledger::LedgerError;

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        /// A rule of the credit ledger (resource-core) refused the operation.
        #[error("{0}")]
        Ledger(#[from] LedgerError),

        /// A member's DID could not be formed: this chain's id cannot be part of a `did:resource` DID (the
        /// DID registry cannot be instantiated on such a chain either).
        #[error("chain id `{chain_id}` cannot be part of a did:resource DID; no DID registry can be used on this chain")]
        NoDidOnThisChain { chain_id: String },

        #[error("the token name must be 3 to 50 bytes long")]
        InvalidName,

        #[error("the token symbol must be 3 to 12 letters or `-`")]
        InvalidSymbol,

        #[error("decimals must not exceed 18")]
        InvalidDecimals,

        #[error("the loss account must differ from the fee collector (fees would cancel written-off debt)")]
        LossAccountIsFeeCollector,

        #[error("the fee collector holds {debt} of written-off debt (a former loss account), which fees would pay down; choose another collector")]
        FeeCollectorHoldsWrittenOffDebt { debt: u128 },

        #[error("this address is a contract that moves money for the network (fee-exempt, e.g. clearing or the bridge): pay it with Send and the message it expects, not a plain transfer, so that nothing is stuck there")]
        PlainTransferToNetworkContract,

        #[error("a mutual-credit token creates and destroys money only through payments: spending into a credit line creates it, paying back a debt destroys it; there is no mint or burn")]
        NoMintOrBurn,

        #[error("no DID registry is configured, so there is no reputation record to make or send")]
        NoDidRegistry,

        #[error("no reputation records are waiting to be sent")]
        NoPendingRecords,

        #[error("unknown reply id {id}")]
        UnknownReply { id: u64 },

        #[error("at most {max} fee-exempt addresses are allowed (they are checked on every transfer)")]
        TooManyFeeExempt { max: usize },

        #[error("an allowance cannot be given to the owner itself; name another spender")]
        CannotSetOwnAccount,

        #[error("the expiration is already in the past; choose a later height or time")]
        InvalidExpiration,

        #[error("no allowance for this spender; ask the owner for one (IncreaseAllowance)")]
        NoAllowance,

        #[error("the allowance has expired; ask the owner for a new one")]
        AllowanceExpired,

        #[error("insufficient allowance: {requested} requested (amount plus fee) but only {allowance} allowed; ask the owner to increase it")]
        InsufficientAllowance { allowance: u128, requested: u128 },

        #[error("a member cannot vouch for itself; the newcomer must be another account")]
        SelfVouch,

        #[error("`active` is not an outcome: release a vouch's credit as kept, broken or cancelled")]
        VouchStillActive,
    }
}
