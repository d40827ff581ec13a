//! Attesters (registered credential issuers) and verified claims: what a zero-knowledge proof
//! established about a DID, recorded without the underlying data, with a nullifier so one credential
//! serves one DID once.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::error::{KeyError, RecordError};
use super::keys::{check_key, KeyType};
use super::syntax::Did;

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The longest claim type.
pub const MAX_CLAIM_TYPE_LEN: usize = 64;
/// At most this many claim types per attester.
pub const MAX_CLAIM_TYPES: usize = 16;
/// The longest attester name.
pub const MAX_ATTESTER_NAME_LEN: usize = 64;
/// The longest predicate.
pub const MAX_PREDICATE_LEN: usize = 256;

/// The key an attester signs credentials with (checked off the circuit, see DESIGN.md).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AttesterKey {
    /// Multikey, Ed25519VerificationKey2020, EcdsaSecp256k1VerificationKey2019 or Bls12381G2Key2020.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: KeyType,
    /// The key in multibase.
    pub public_key_multibase: String,
}

impl AttesterKey {
    /// Checks the key against its type (multibase keys only).
    pub fn check(&self) -> Result<(), RecordError> {
        if self.kind == KeyType::JsonWebKey2020 {
            return Err(RecordError::AttesterKeyType);
        }
        check_key(self.kind, Some(&self.public_key_multibase), None).map_err(RecordError::AttesterKey)
    }
}

/// A registered credential issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Attester {
    /// The attester's DID (any method).
    pub did: Did,
    /// A readable name, e.g. "Platform ratings oracle".
    pub name: String,
    /// The claim types it may issue.
    pub claim_types: Vec<String>,
    /// The key it signs credentials with.
    pub public_key: AttesterKey,
    /// When it was registered (unix seconds).
    pub registered_at: u64,
    /// When it was revoked, if it was (final).
    pub revoked_at: Option<u64>,
}

/// A claim type: 1 to [`MAX_CLAIM_TYPE_LEN`] characters of `a-z 0-9 _ . -`.
pub fn check_claim_type(claim_type: &str) -> Result<(), RecordError> {
    let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-');
    if claim_type.is_empty() || claim_type.len() > MAX_CLAIM_TYPE_LEN || !claim_type.bytes().all(ok) {
        return Err(RecordError::ClaimType { claim_type: claim_type.to_string(), max: MAX_CLAIM_TYPE_LEN });
    }
    Ok(())
}

impl Attester {
    /// A new, active attester registered at `now`, checked: a printable name of 1 to
    /// [`MAX_ATTESTER_NAME_LEN`] characters, 1 to [`MAX_CLAIM_TYPES`] distinct valid claim types, a
    /// valid key.
    pub fn register(
        did: Did,
        name: String,
        claim_types: Vec<String>,
        public_key: AttesterKey,
        now: u64,
    ) -> Result<Attester, RecordError> {
        if name.trim().is_empty() || name.chars().count() > MAX_ATTESTER_NAME_LEN || name.chars().any(char::is_control)
        {
            return Err(RecordError::AttesterName { max: MAX_ATTESTER_NAME_LEN });
        }
        if claim_types.is_empty() {
            return Err(RecordError::NoClaimTypes);
        }
        if claim_types.len() > MAX_CLAIM_TYPES {
            return Err(RecordError::TooManyClaimTypes { max: MAX_CLAIM_TYPES });
        }
        for (i, t) in claim_types.iter().enumerate() {
            check_claim_type(t)?;
            if claim_types.iter().take(i).any(|x| x == t) {
                return Err(RecordError::DuplicateClaimType { claim_type: t.clone() });
            }
        }
        public_key.check()?;
        Ok(Attester { did, name, claim_types, public_key, registered_at: now, revoked_at: None })
    }

    /// Whether it may still attest.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// The attester revoked at `now`; revoking twice is an error.
    pub fn revoke(&self, now: u64) -> Result<Attester, RecordError> {
        if let Some(revoked_at) = self.revoked_at {
            return Err(RecordError::AttesterRevoked { did: self.did.to_string(), revoked_at });
        }
        Ok(Attester { revoked_at: Some(now), ..self.clone() })
    }
}

/// A credential's nullifier (for example the hash of its commitment): 32 bytes, hex in JSON.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nullifier(pub [u8; 32]);

impl Nullifier {
    /// From 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Nullifier, RecordError> {
        <[u8; 32]>::try_from(bytes).map(Nullifier).map_err(|_| RecordError::NullifierFormat)
    }

    /// From 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Nullifier, RecordError> {
        let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
        if text.len() != 64 {
            return Err(RecordError::NullifierFormat);
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
            let (hi, lo) = match pair {
                [hi, lo] => (digit(*hi), digit(*lo)),
                _ => (None, None),
            };
            *byte = hi.zip(lo).map(|(h, l)| (h << 4) | l).ok_or(RecordError::NullifierFormat)?;
        }
        Ok(Nullifier(out))
    }
}

impl fmt::Display for Nullifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Nullifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nullifier({self})")
    }
}

/// A claim established by a proof and recorded on a DID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct VerifiedClaim {
    /// What kind of claim (`platform_rating`, `revenue_band`, ...).
    pub claim_type: String,
    /// The public statement the proof established (e.g. `rating>=45;reviews>=100`); its grammar is
    /// the ZK verifier's.
    pub predicate: String,
    /// The attester that issued the underlying credential.
    pub attester: Did,
    /// The credential's nullifier.
    pub nullifier: Nullifier,
    /// When the claim stops counting (unix seconds).
    pub expires_at: u64,
    /// When it was recorded.
    pub verified_at: u64,
    /// The address that verified the proof and recorded it.
    pub verifier: String,
}

/// The nullifier rule: a nullifier is recorded once, for one DID; any second use fails, naming the
/// DID it served (`used_by`).
pub fn check_nullifier(nullifier: &Nullifier, used_by: Option<&Did>) -> Result<(), RecordError> {
    if nullifier.0 == [0; 32] {
        return Err(RecordError::ZeroNullifier);
    }
    match used_by {
        Some(did) => Err(RecordError::NullifierUsed { by: did.to_string() }),
        None => Ok(()),
    }
}

/// Checks a claim before it is recorded at `now`: a known, active attester allowed to issue the
/// claim type; a valid claim type and predicate; an expiry in the future; an unused nullifier.
pub fn check_claim(
    claim: &VerifiedClaim,
    attester: Option<&Attester>,
    nullifier_used_by: Option<&Did>,
    now: u64,
) -> Result<(), RecordError> {
    check_claim_type(&claim.claim_type)?;
    let p = &claim.predicate;
    if p.is_empty() || p.len() > MAX_PREDICATE_LEN || !p.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(RecordError::Predicate { max: MAX_PREDICATE_LEN });
    }
    let attester = attester.ok_or_else(|| RecordError::UnknownAttester { did: claim.attester.to_string() })?;
    if let Some(revoked_at) = attester.revoked_at {
        return Err(RecordError::AttesterRevoked { did: attester.did.to_string(), revoked_at });
    }
    if !attester.claim_types.contains(&claim.claim_type) {
        return Err(RecordError::ClaimTypeNotAllowed {
            claim_type: claim.claim_type.clone(),
            attester: attester.did.to_string(),
        });
    }
    if claim.expires_at <= now {
        return Err(RecordError::Expired { expires_at: claim.expires_at, now });
    }
    check_nullifier(&claim.nullifier, nullifier_used_by)
}

impl From<KeyError> for RecordError {
    fn from(e: KeyError) -> Self {
        RecordError::AttesterKey(e)
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::*;
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Nullifier {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> Deserialize<'de> for Nullifier {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl de::Visitor<'_> for V {
                type Value = Nullifier;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a nullifier: 64 hex digits")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Nullifier, E> {
                    Nullifier::from_hex(v).map_err(E::custom)
                }
            }
            d.deserialize_str(V)
        }
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Nullifier {
    fn schema_name() -> String {
        "Nullifier".to_string()
    }
    fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        <String as schemars::JsonSchema>::json_schema(gen)
    }
}
