use resource_zk_verifier::{ClaimKind, StatementError};

resource_cw::contract_error! {
    /// Every error leaves the state unchanged (the transaction is reverted) and says what to do. The
    /// shared refusals (`Std`, `Unauthorized`, `InvalidAddress`, `NoPendingAdmin`, `CannotMigrate`,
    /// `CannotMigrateVersion`) come first, declared by `resource_cw::contract_error!`.
    pub enum ContractError {
        #[error("this message takes no funds; send it without coins")]
        UnexpectedFunds,

        #[error("max_validity must be above 0 seconds")]
        ZeroMaxValidity,

        #[error("the {kind} verifying key is malformed: {reason}; pass the {kind}.vk file exactly as `resource zk setup` wrote it")]
        InvalidVerifyingKey { kind: ClaimKind, reason: String },

        #[error("no verifying key for {kind} proofs is stored; the admin stores one with SetVerifyingKey")]
        NoVerifyingKey { kind: ClaimKind },

        #[error("chain id {chain_id} cannot be part of a did:resource DID, so accounts here have no DID")]
        NoDidOnThisChain { chain_id: String },

        #[error("the DID registry could not resolve {did} ({error}); create it there first, or submit for your own DID")]
        DidUnresolvable { did: String, error: String },

        #[error("{did} is deactivated: no claim can be recorded on it")]
        DidDeactivated { did: String },

        #[error(
            "{sender} does not control {did}: submit from the DID's own account or from one of its controllers \
             (a claim is recorded only with its subject's consent)"
        )]
        NotController { did: String, sender: String },

        #[error("{0}; give one threshold per value of the claim kind (rating: [stars_x10, reviews], revenue: [monthly], tenure: [months])")]
        Thresholds(StatementError),

        #[error("the commitment is not the credential's: {reason}; pass the credential's commitment as the attester issued it")]
        InvalidCommitment { reason: String },

        #[error("valid_until {valid_until} is not after the block time {now}: prove the credential again with a later valid_until")]
        ValidUntilPassed { valid_until: u64, now: u64 },

        #[error(
            "valid_until {valid_until} is more than {max_validity} seconds after the block time: prove the credential \
             again with valid_until at most {latest}"
        )]
        ValidUntilTooFar { valid_until: u64, latest: u64, max_validity: u64 },

        #[error("{attester} is not an attester of the DID registry; the registry's admin registers attesters (RegisterAttester)")]
        UnknownAttester { attester: String },

        #[error("the attester {attester} was revoked at {revoked_at}; its credentials are no longer accepted: ask an active attester for a new one")]
        AttesterRevoked { attester: String, revoked_at: u64 },

        #[error("the attester {attester} may not issue `{claim_type}` claims; ask an attester registered for them")]
        ClaimTypeNotAllowed { attester: String, claim_type: String },

        #[error("the attester {attester} has an unreadable key ({reason}); the registry's admin registers it again under a new DID")]
        AttesterKey { attester: String, reason: String },

        #[error(
            "the attester {attester} has a {algorithm} key, which cannot sign credentials (they are signed with \
             ed25519 or secp256k1): use an attester registered with such a key"
        )]
        UnsupportedAttesterKey { attester: String, algorithm: String },

        #[error("the signature has {found} bytes; an attester's signature is 64 (ed25519, or secp256k1 r || s): pass the credential's signature as issued")]
        SignatureLength { found: usize },

        #[error(
            "the attester {attester}'s signature does not verify over this commitment: pass the credential's commitment \
             and signature exactly as the attester issued them"
        )]
        BadSignature { attester: String },

        #[error("this credential was already used by {by}; one credential can serve only one DID, once: ask the attester for a new one")]
        CredentialUsed { by: String },

        #[error("the proof is malformed: {reason}; pass the 192-byte proof exactly as `resource credential prove` wrote it")]
        MalformedProof { reason: String },

        #[error(
            "the proof does not verify for this statement (DID, commitment, claim kind, thresholds, valid_until): prove \
             again for exactly what you submit"
        )]
        ProofRejected,
    }
}
