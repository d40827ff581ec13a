use resource_core::did::{DidError, DocumentError, RecordError};
use resource_zk_verifier::{ClaimKind, StatementError};

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

        #[error("the DID registry takes no funds; send the message without coins")]
        UnexpectedFunds,

        #[error("max_credential_validity must be above 0 seconds")]
        ZeroMaxCredentialValidity,

        #[error("the {kind} verifying key is malformed: {reason}; pass the {kind}.vk file exactly as `resource zk setup` wrote it")]
        InvalidVerifyingKey { kind: ClaimKind, reason: String },

        #[error("no verifying key for {kind} proofs is stored; the admin stores one with SetVerifyingKey")]
        NoVerifyingKey { kind: ClaimKind },

        #[error(
            "{sender} does not control {did}: submit from the DID's own account or from one of its controllers \
             (a claim is recorded only with its subject's consent)"
        )]
        NotController { did: String, sender: String },

        #[error("{0}; give one threshold per value of the claim kind (rating: [stars_x10, reviews], revenue: [monthly], tenure: [months])")]
        Thresholds(StatementError),

        #[error("the commitment is malformed: {reason}; pass the credential's commitment as the attester issued it")]
        InvalidCommitment { reason: String },

        #[error(
            "valid_until {valid_until} is more than {max_validity} seconds after the block time: prove the credential \
             again with valid_until at most {latest}"
        )]
        ValidUntilTooFar { valid_until: u64, latest: u64, max_validity: u64 },

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

        #[error("the proof is malformed: {reason}; pass the 192-byte proof exactly as `resource credential prove` wrote it")]
        MalformedProof { reason: String },

        #[error(
            "the proof does not verify for this statement (DID, commitment, claim kind, thresholds, valid_until): prove \
             again for exactly what you submit"
        )]
        ProofRejected,
    }
}
