use resource_core::underwriting::UnderwritingError;

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        /// A rule of underwriting (resource-core) refused the operation.
        #[error("{0}")]
        Underwriting(#[from] UnderwritingError),

        #[error("send exactly one coin of {denom} (above 0) with Stake")]
        WrongFunds { denom: String },

        #[error("this message takes no funds; send it without coins")]
        UnexpectedFunds,

        #[error("the stake denom must not be empty")]
        EmptyDenom,

        #[error("the unbonding period must be above 0 seconds")]
        ZeroUnbondingPeriod,

        #[error("application {id} does not exist; list them with the Applications query")]
        ApplicationNotFound { id: u64 },

        #[error("you already have application {id} open or approved; settle it before applying again")]
        ActiveApplication { id: u64 },

        #[error(
            "the member owes {debt} but the credit token cannot declare the default before {declarable_at}; \
             settle again then"
        )]
        DefaultNotDeclarableYet { debt: u128, declarable_at: u64 },

        #[error("the member owes {debt} but has no credit line on the token; the token's records disagree")]
        NoCreditLine { debt: u128 },

        #[error("no new fees: this contract's credit balance {balance} is what it has accounted")]
        NoNewFees { balance: u128 },

        #[error("the credit balance {balance} is below what this contract has accounted ({accounted})")]
        BalanceBelowAccounted { balance: u128, accounted: u128 },
    }
}
