//! What a credential proof establishes, and the one public input the circuit exposes for it.
//!
//! A credential is the commitment `C = Poseidon_commitment(did_hash, kind, value_0, value_1,
//! issued_at, expires_at, salt)`. A proof shows, for a public [`Statement`], that the prover knows
//! an opening of `C` with the statement's DID hash and claim kind, whose values are at least the
//! thresholds and whose `expires_at` is at least `valid_until`. The circuit's single public input
//! is [`Statement::hash`] = `Poseidon_statement(C, did_hash, kind, threshold_0, threshold_1,
//! valid_until)`, computed in the circuit and again by the verifier.

use alloc::string::String;
use core::fmt;

use sha2::{Digest, Sha256};

use crate::error::StatementError;
use crate::poseidon::{fr_from_digest, fr_u64, hash, Domain, Fr};

// The JsonSchema derive names items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// Values and thresholds per credential; kinds with one value leave the second 0.
pub const SLOTS: usize = 2;
/// `expires_at - valid_until` must fit this many bits (credentials last under 136 years).
pub const TIME_BITS: u32 = 32;

/// What a credential attests. Each kind has its own circuit and verifying key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ClaimKind {
    /// Marketplace rating in tenths of a star (0 to 50) and number of reviews.
    Rating,
    /// Monthly revenue, in whole units of the network's currency.
    Revenue,
    /// Months in business.
    Tenure,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 3] = [ClaimKind::Rating, ClaimKind::Revenue, ClaimKind::Tenure];

    /// The field element that stands for the kind inside `C` and the statement.
    pub fn code(self) -> u64 {
        match self {
            ClaimKind::Rating => 1,
            ClaimKind::Revenue => 2,
            ClaimKind::Tenure => 3,
        }
    }

    pub fn from_code(code: u64) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The short name (`rating`, `revenue`, `tenure`) used by files, the CLI and messages.
    pub fn name(self) -> &'static str {
        match self {
            ClaimKind::Rating => "rating",
            ClaimKind::Revenue => "revenue",
            ClaimKind::Tenure => "tenure",
        }
    }

    pub fn from_name(name: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The DID registry claim type a proof of this kind is recorded as (the scoring function's
    /// grammar, `resource_core::underwriting::ScoringInputs::from_predicates`).
    pub fn claim_type(self) -> &'static str {
        match self {
            ClaimKind::Rating => "platform_rating",
            ClaimKind::Revenue => "monthly_revenue",
            ClaimKind::Tenure => "months_active",
        }
    }

    /// Names of the values (and of the thresholds on them) this kind carries.
    pub fn value_names(self) -> &'static [&'static str] {
        match self {
            ClaimKind::Rating => &["rating", "reviews"],
            ClaimKind::Revenue => &["revenue"],
            ClaimKind::Tenure => &["months"],
        }
    }

    /// Bits of each value (and of `value - threshold` in the circuit's range check): a value
    /// must be below `2^bits` to be issued, a threshold to be proven.
    pub fn value_bits(self) -> &'static [u32] {
        match self {
            ClaimKind::Rating => &[6, 32],
            ClaimKind::Revenue => &[48],
            ClaimKind::Tenure => &[12],
        }
    }

    /// The largest value of slot `i` a credential may carry.
    pub fn max_value(self, slot: usize) -> u64 {
        self.value_bits().get(slot).map_or(0, |b| (1u64 << b) - 1)
    }

    /// The recorded predicate, e.g. `rating>=45;reviews>=100`.
    pub fn predicate(self, thresholds: &Thresholds) -> String {
        let mut out = String::new();
        for (i, name) in self.value_names().iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(name);
            out.push_str(">=");
            push_u64(&mut out, thresholds.0[i]);
        }
        out
    }

    /// Checks `values` (a credential's, or a statement's thresholds) against the kind: as many as
    /// it has names, each below `2^bits`.
    pub fn check_values(self, values: &[u64], what: &'static str) -> Result<Thresholds, StatementError> {
        let names = self.value_names();
        if values.len() != names.len() {
            return Err(StatementError::Count { kind: self.name(), what, expected: names.len(), found: values.len() });
        }
        let mut out = [0u64; SLOTS];
        for (i, v) in values.iter().enumerate() {
            let max = self.max_value(i);
            if *v > max {
                return Err(StatementError::TooLarge { kind: self.name(), what, name: names[i], value: *v, max });
            }
            out[i] = *v;
        }
        Ok(Thresholds(out))
    }
}

impl fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn push_u64(out: &mut String, mut v: u64) {
    let mut digits = [0u8; 20];
    let mut n = 0;
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for d in digits[..n].iter().rev() {
        out.push(*d as char);
    }
}

/// Thresholds (or values), one per slot, checked against a kind ([`ClaimKind::check_values`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Thresholds(pub [u64; SLOTS]);

/// The hash of a DID as it enters a credential: SHA-256 of `resource-zk:did:` and the DID,
/// reduced into the field. Binding the DID inside `C` keeps one credential to one DID.
pub fn did_hash(did: &str) -> Fr {
    let digest: [u8; 32] =
        Sha256::new().chain_update(b"resource-zk:did:").chain_update(did.as_bytes()).finalize().into();
    fr_from_digest(&digest)
}

/// The 32 bytes an attester signs for commitment `C` (ed25519 over these bytes; secp256k1 ECDSA
/// with these bytes as the message hash).
pub fn signing_digest(commitment: &[u8; 32]) -> [u8; 32] {
    Sha256::new().chain_update(b"resource-credential-v1:").chain_update(commitment).finalize().into()
}

/// The commitment of a credential's opening.
pub fn commitment(did_hash: Fr, kind: ClaimKind, values: &Thresholds, issued_at: u64, expires_at: u64, salt: Fr) -> Fr {
    hash(
        Domain::Commitment,
        &[
            did_hash,
            fr_u64(kind.code()),
            fr_u64(values.0[0]),
            fr_u64(values.0[1]),
            fr_u64(issued_at),
            fr_u64(expires_at),
            salt,
        ],
    )
}

/// The public statement of one proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement {
    pub commitment: Fr,
    pub did_hash: Fr,
    pub kind: ClaimKind,
    pub thresholds: Thresholds,
    /// The credential is unexpired until this time (unix seconds): `expires_at >= valid_until`.
    pub valid_until: u64,
}

impl Statement {
    /// The circuit's one public input.
    pub fn hash(&self) -> Fr {
        hash(
            Domain::Statement,
            &[
                self.commitment,
                self.did_hash,
                fr_u64(self.kind.code()),
                fr_u64(self.thresholds.0[0]),
                fr_u64(self.thresholds.0[1]),
                fr_u64(self.valid_until),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_read_as_the_scoring_grammar() {
        assert_eq!(ClaimKind::Rating.predicate(&Thresholds([45, 100])), "rating>=45;reviews>=100");
        assert_eq!(ClaimKind::Revenue.predicate(&Thresholds([10_000, 0])), "revenue>=10000");
        assert_eq!(ClaimKind::Tenure.predicate(&Thresholds([0, 0])), "months>=0");
    }

    #[test]
    fn values_are_checked_per_kind() {
        assert_eq!(ClaimKind::Rating.check_values(&[50, 7], "thresholds"), Ok(Thresholds([50, 7])));
        assert!(matches!(ClaimKind::Rating.check_values(&[64, 7], "values"), Err(StatementError::TooLarge { .. })));
        assert!(matches!(ClaimKind::Tenure.check_values(&[1, 2], "values"), Err(StatementError::Count { .. })));
        assert_eq!(ClaimKind::Revenue.max_value(0), (1 << 48) - 1);
        for k in ClaimKind::ALL {
            assert_eq!(ClaimKind::from_code(k.code()), Some(k));
            assert_eq!(ClaimKind::from_name(k.name()), Some(k));
        }
    }

    #[test]
    fn the_did_is_bound() {
        assert_ne!(did_hash("did:resource:a:x"), did_hash("did:resource:a:y"));
    }
}
