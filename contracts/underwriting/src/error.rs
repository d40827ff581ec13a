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

        #[error("the stake asset is the cw20 {token}: stake with its Send to this contract and msg {{\"stake\":{{}}}}")]
        StakeThroughCw20 { token: String },

        #[error("the stake asset is the native denom {denom}: stake with Stake {{}} and the coins attached")]
        StakeWithCoins { denom: String },

        #[error("only the stake token {expected} may send stake; {sent_by} is not it")]
        WrongStakeToken { expected: String, sent_by: String },

        #[error("the cw20 hook message is not {{\"stake\":{{}}}}: {reason}")]
        UnknownReceiveMsg { reason: String },

        #[error("a risk fee of {bps} basis points is above 10000 (100 %); give at most 10000")]
        RiskFeeTooHigh { bps: u16 },

        #[error("require_did needs a did_registry; configure one or leave require_did off")]
        RequireDidWithoutRegistry,

        #[error("chain id {chain_id} cannot be part of a did:resource DID, so accounts here have no DID")]
        NoDidOnThisChain { chain_id: String },

        #[error("{did} is not registered and this network requires a DID: create it in the DID registry first")]
        DidRequired { did: String },

        #[error("the DID registry could not resolve {did} ({error})")]
        DidUnresolvable { did: String, error: String },

        #[error("{did} is deactivated: a deactivated DID cannot underwrite, apply or vouch")]
        DidDeactivated { did: String },

        #[error(
            "{did} names {count} controllers; an underwriting identity needs exactly one (or none): update the \
             document to a single controller"
        )]
        SeveralControllers { did: String, count: usize },

        #[error("claims need the DID registry, and none is configured; apply without claims")]
        ClaimsNeedRegistry,

        #[error("at most {max} claims per application, {given} given")]
        TooManyClaims { max: usize, given: usize },

        #[error("claim {seq} is given twice")]
        DuplicateClaim { seq: u64 },

        #[error("{did} has no verified claim {seq}; list them with the registry's VerifiedClaims query")]
        ClaimNotFound { did: String, seq: u64 },

        #[error("claim {seq} expired at {expires_at}; prove it again")]
        ClaimExpired { seq: u64, expires_at: u64 },

        #[error("claim {seq} was attested by {attester}, which is revoked; prove it with an active attester")]
        ClaimAttesterRevoked { seq: u64, attester: String },

        #[error("{voucher} has no vouch for {newcomer}; it vouches first with Vouch {{ newcomer, amount }}")]
        NoVouch { voucher: String, newcomer: String },

        #[error("the vouch of {voucher} is used by application {application}; it is free again once that one closes")]
        VouchInUse { voucher: String, application: u64 },

        #[error("you already vouch {amount} for {newcomer}; cancel that vouch before making another")]
        AlreadyVouching { newcomer: String, amount: u128 },

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
