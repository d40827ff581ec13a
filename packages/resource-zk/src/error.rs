use std::path::PathBuf;

use resource_zk_verifier::{EncodingError, StatementError};
use thiserror::Error;

/// Everything proving, issuing and key handling can refuse, with what to do about it.
#[derive(Debug, Error)]
pub enum ZkError {
    #[error("{0}")]
    Statement(#[from] StatementError),

    #[error("{0}")]
    Encoding(#[from] EncodingError),

    #[error("unknown claim kind `{0}`: use rating, revenue or tenure")]
    UnknownKind(String),

    #[error("the {what} is not a valid key file: {reason}; rewrite it with `resource zk setup`")]
    KeyFile { what: &'static str, reason: String },

    #[error("the proving key is for the {found} circuit, not {expected}")]
    WrongKey { expected: &'static str, found: String },

    #[error("the credential's commitment does not match its contents: it was altered after issuing, or is not the attester's")]
    Tampered,

    #[error("the credential's {name} does not reach the threshold {threshold}: no proof exists for this statement")]
    BelowThreshold { name: &'static str, threshold: u64 },

    #[error(
        "the credential expires at {expires_at} (unix seconds), before valid_until {valid_until}: pick an earlier \
         valid_until or ask the attester for a new credential"
    )]
    Expired { expires_at: u64, valid_until: u64 },

    #[error("a credential's expiry must be after its issue time and at most 2^32 seconds after valid_until")]
    Validity,

    #[error("the attester's signature does not verify for this credential's commitment")]
    BadSignature,

    #[error("{0}")]
    Key(String),

    #[error("the proof does not verify against the verifying key")]
    Rejected,

    #[error("the circuit could not be built or proven: {0}")]
    Synthesis(String),

    #[error("invalid JSON for {what}: {source}")]
    Json { what: &'static str, source: serde_json::Error },

    #[error("{what} is not valid hex: {reason}")]
    Hex { what: &'static str, reason: String },

    #[error("could not {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
}

impl From<ark_relations::r1cs::SynthesisError> for ZkError {
    fn from(e: ark_relations::r1cs::SynthesisError) -> Self {
        ZkError::Synthesis(e.to_string())
    }
}
