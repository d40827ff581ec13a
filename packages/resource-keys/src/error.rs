/// Why a key operation failed. [`KeyError::code`] is stable (the SDK throws it as the error's
/// `code`); the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the recovery phrase is not valid BIP-39 ({reason}); check each word and their order (12 or 24 English words)"
    )]
    InvalidPhrase { reason: String },
    #[error("`{prefix}` is not a bech32 address prefix ({reason}); use the chain's prefix, such as `inj` or `cosmos`")]
    InvalidPrefix { prefix: String, reason: String },
    #[error("key derivation failed ({reason})")]
    Derivation { reason: String },
    #[error("{given} share given, and 2 of the 3 are needed: add the guardian's or the recovery service's share")]
    NotEnoughShares { given: usize },
    #[error("share {index} is not a wallet share ({reason}); paste it again exactly as it was given")]
    MalformedShare { index: usize, reason: String },
    #[error("shares {first} and {second} are the same share; give two different ones (device, guardian, recovery)")]
    DuplicateShare { first: usize, second: usize },
    #[error("the shares come from two different wallets; give two shares of the same wallet")]
    DifferentSecrets,
    #[error("the shares do not recover their wallet: one of them was altered; use another pair of shares")]
    TamperedShare,
    #[error("a passphrase needs at least {min} characters; choose a longer one")]
    WeakPassphrase { min: usize },
    #[error("wrong passphrase for this device share (or the stored share was altered); try again, or recover with the guardian's and the recovery service's shares")]
    WrongPassphrase,
    #[error(
        "the stored device share is damaged ({reason}); recover with the guardian's and the recovery service's shares"
    )]
    MalformedSealedShare { reason: String },
}

impl KeyError {
    /// A stable identifier of the kind of failure, for programs.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::InvalidPhrase { .. } => "invalid_phrase",
            KeyError::InvalidPrefix { .. } => "invalid_prefix",
            KeyError::Derivation { .. } => "key_derivation",
            KeyError::NotEnoughShares { .. } => "not_enough_shares",
            KeyError::MalformedShare { .. } => "malformed_share",
            KeyError::DuplicateShare { .. } => "duplicate_share",
            KeyError::DifferentSecrets => "different_secrets",
            KeyError::TamperedShare => "tampered_share",
            KeyError::WeakPassphrase { .. } => "weak_passphrase",
            KeyError::WrongPassphrase => "wrong_passphrase",
            KeyError::MalformedSealedShare { .. } => "malformed_sealed_share",
        }
    }
}
