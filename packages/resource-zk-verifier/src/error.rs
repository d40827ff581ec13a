use thiserror::Error;

/// Bytes that are not what they claim to be: a field element, a point, a proof or a verifying key.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum EncodingError {
    #[error("{what} must be {expected} bytes, not {found}")]
    Length { what: &'static str, expected: usize, found: usize },

    #[error("{what} is not a valid BLS12-381 point (canonically encoded, on the curve, in the prime-order subgroup)")]
    Point { what: &'static str },

    #[error("{what} is not a canonical field element (32 bytes, little-endian, below the BLS12-381 scalar order)")]
    Field { what: &'static str },

    #[error(
        "the verifying key has {found} public inputs; a credential circuit has exactly one (the statement hash): \
         was it made by `resource zk setup`?"
    )]
    PublicInputs { found: u64 },

    #[error("{found} bytes follow the verifying key's last point; pass the key file exactly as `resource zk setup` wrote it")]
    TrailingBytes { found: usize },
}

/// A statement (or a credential's values) that does not fit its claim kind.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum StatementError {
    #[error("a {kind} credential has {expected} {what}, not {found}")]
    Count { kind: &'static str, what: &'static str, expected: usize, found: usize },

    #[error("{what}: {name} {value} is above {max}, the largest a {kind} credential's circuit handles")]
    TooLarge { kind: &'static str, what: &'static str, name: &'static str, value: u64, max: u64 },
}
