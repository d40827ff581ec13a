//! Groth16 verification over a pairing-equality function the caller supplies: CosmWasm's
//! `bls12_381_pairing_equality` host function in a contract, [`arkworks_pairing_equality`]
//! natively. Only `vk_x = IC_0 + x * IC_1` is computed here (one G1 scalar multiplication); the
//! proof's points are handed to the pairing function as they came, which validates them.
//!
//! The check `e(A, B) = e(alpha, beta) * e(vk_x, gamma) * e(C, delta)` is asked as
//! `e(A, B) * e(vk_x, -gamma) * e(C, -delta) = e(alpha, beta)`: the negations are part of the
//! [`PreparedVerifyingKey`], computed once when a key is stored.

use alloc::vec::Vec;

use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, One, PrimeField};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use sha2::{Digest, Sha256};

use crate::error::EncodingError;
use crate::poseidon::Fr;

pub const G1_LEN: usize = 48;
pub const G2_LEN: usize = 96;
const G1_UNCOMPRESSED_LEN: usize = 96;
/// A proof: A (G1), B (G2), C (G1), compressed, as arkworks serializes `ark_groth16::Proof`.
pub const PROOF_LEN: usize = G1_LEN + G2_LEN + G1_LEN;
/// The stored form of a verifying key ([`PreparedVerifyingKey::to_bytes`]).
pub const PREPARED_KEY_LEN: usize = G1_LEN + 3 * G2_LEN + 2 * G1_UNCOMPRESSED_LEN;

/// A Groth16 proof's bytes, split; the points are validated by the pairing function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proof {
    pub a: [u8; G1_LEN],
    pub b: [u8; G2_LEN],
    pub c: [u8; G1_LEN],
}

impl Proof {
    pub fn from_bytes(bytes: &[u8]) -> Result<Proof, EncodingError> {
        if bytes.len() != PROOF_LEN {
            return Err(EncodingError::Length { what: "a proof", expected: PROOF_LEN, found: bytes.len() });
        }
        let mut p = Proof { a: [0; G1_LEN], b: [0; G2_LEN], c: [0; G1_LEN] };
        p.a.copy_from_slice(&bytes[..G1_LEN]);
        p.b.copy_from_slice(&bytes[G1_LEN..G1_LEN + G2_LEN]);
        p.c.copy_from_slice(&bytes[G1_LEN + G2_LEN..]);
        Ok(p)
    }

    pub fn to_bytes(&self) -> [u8; PROOF_LEN] {
        let mut out = [0u8; PROOF_LEN];
        out[..G1_LEN].copy_from_slice(&self.a);
        out[G1_LEN..G1_LEN + G2_LEN].copy_from_slice(&self.b);
        out[G1_LEN + G2_LEN..].copy_from_slice(&self.c);
        out
    }
}

/// A verifying key with one public input, ready for [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedVerifyingKey {
    pub alpha_g1: [u8; G1_LEN],
    pub beta_g2: [u8; G2_LEN],
    pub neg_gamma_g2: [u8; G2_LEN],
    pub neg_delta_g2: [u8; G2_LEN],
    pub ic: [G1Affine; 2],
}

fn read<T: CanonicalDeserialize>(reader: &mut &[u8], what: &'static str) -> Result<T, EncodingError> {
    T::deserialize_compressed(reader).map_err(|_| EncodingError::Point { what })
}

fn compressed<const N: usize>(point: &impl CanonicalSerialize) -> [u8; N] {
    let mut out = [0u8; N];
    point.serialize_compressed(&mut out[..]).expect("a point fits its compressed size");
    out
}

impl PreparedVerifyingKey {
    /// From a verifying key as arkworks serializes `ark_groth16::VerifyingKey<Bls12_381>`
    /// compressed (what `resource zk setup` writes): every point is validated.
    pub fn from_key_bytes(bytes: &[u8]) -> Result<PreparedVerifyingKey, EncodingError> {
        let mut r = bytes;
        let alpha: G1Affine = read(&mut r, "the key's alpha")?;
        let beta: G2Affine = read(&mut r, "the key's beta")?;
        let gamma: G2Affine = read(&mut r, "the key's gamma")?;
        let delta: G2Affine = read(&mut r, "the key's delta")?;
        if r.len() < 8 {
            return Err(EncodingError::Length {
                what: "a verifying key",
                expected: bytes.len() + 8 - r.len(),
                found: bytes.len(),
            });
        }
        let count = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
        r = &r[8..];
        if count != 2 {
            return Err(EncodingError::PublicInputs { found: count.saturating_sub(1) });
        }
        let ic0: G1Affine = read(&mut r, "the key's IC_0")?;
        let ic1: G1Affine = read(&mut r, "the key's IC_1")?;
        if !r.is_empty() {
            return Err(EncodingError::TrailingBytes { found: r.len() });
        }
        Ok(PreparedVerifyingKey {
            alpha_g1: compressed(&alpha),
            beta_g2: compressed(&beta),
            neg_gamma_g2: compressed(&(-gamma)),
            neg_delta_g2: compressed(&(-delta)),
            ic: [ic0, ic1],
        })
    }

    /// The storage form: fixed length, IC uncompressed so reading it back costs no square roots.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PREPARED_KEY_LEN);
        out.extend_from_slice(&self.alpha_g1);
        out.extend_from_slice(&self.beta_g2);
        out.extend_from_slice(&self.neg_gamma_g2);
        out.extend_from_slice(&self.neg_delta_g2);
        for p in &self.ic {
            p.serialize_uncompressed(&mut out).expect("writing to a Vec");
        }
        out
    }

    /// Reads [`to_bytes`](Self::to_bytes) back without validating the points again: only for
    /// bytes this code wrote after [`from_key_bytes`](Self::from_key_bytes) validated them.
    pub fn from_trusted_bytes(bytes: &[u8]) -> Result<PreparedVerifyingKey, EncodingError> {
        if bytes.len() != PREPARED_KEY_LEN {
            return Err(EncodingError::Length {
                what: "a stored verifying key",
                expected: PREPARED_KEY_LEN,
                found: bytes.len(),
            });
        }
        let take = |from: usize, len: usize| &bytes[from..from + len];
        let mut key = PreparedVerifyingKey {
            alpha_g1: [0; G1_LEN],
            beta_g2: [0; G2_LEN],
            neg_gamma_g2: [0; G2_LEN],
            neg_delta_g2: [0; G2_LEN],
            ic: [G1Affine::identity(); 2],
        };
        key.alpha_g1.copy_from_slice(take(0, G1_LEN));
        key.beta_g2.copy_from_slice(take(G1_LEN, G2_LEN));
        key.neg_gamma_g2.copy_from_slice(take(G1_LEN + G2_LEN, G2_LEN));
        key.neg_delta_g2.copy_from_slice(take(G1_LEN + 2 * G2_LEN, G2_LEN));
        let ic_at = G1_LEN + 3 * G2_LEN;
        for (i, p) in key.ic.iter_mut().enumerate() {
            let mut r = take(ic_at + i * G1_UNCOMPRESSED_LEN, G1_UNCOMPRESSED_LEN);
            *p = G1Affine::deserialize_uncompressed_unchecked(&mut r)
                .map_err(|_| EncodingError::Point { what: "a stored verifying key's IC" })?;
        }
        Ok(key)
    }
}

/// SHA-256 of a verifying key's file bytes, as `resource zk setup` prints it.
pub fn key_checksum(key_bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(key_bytes).into()
}

/// Verifies `proof` for the one public input `input`: `Ok(true)` when it holds, `Ok(false)` when
/// it does not, `Err` when the pairing function refuses its inputs (a malformed proof point).
pub fn verify<E>(
    key: &PreparedVerifyingKey,
    proof: &Proof,
    input: &Fr,
    pairing_equality: impl FnOnce(&[u8], &[u8], &[u8], &[u8]) -> Result<bool, E>,
) -> Result<bool, E> {
    let vk_x = (key.ic[0].into_group() + key.ic[1] * input).into_affine();
    let mut ps = [0u8; 3 * G1_LEN];
    ps[..G1_LEN].copy_from_slice(&proof.a);
    ps[G1_LEN..2 * G1_LEN].copy_from_slice(&compressed::<G1_LEN>(&vk_x));
    ps[2 * G1_LEN..].copy_from_slice(&proof.c);
    let mut qs = [0u8; 3 * G2_LEN];
    qs[..G2_LEN].copy_from_slice(&proof.b);
    qs[G2_LEN..2 * G2_LEN].copy_from_slice(&key.neg_gamma_g2);
    qs[2 * G2_LEN..].copy_from_slice(&key.neg_delta_g2);
    pairing_equality(&ps, &qs, &key.alpha_g1, &key.beta_g2)
}

/// `e(p_1, q_1) * ... * e(p_n, q_n) == e(r, s)` over compressed points, validating each as
/// CosmWasm's `bls12_381_pairing_equality` does: the native stand-in for the host function.
pub fn arkworks_pairing_equality(ps: &[u8], qs: &[u8], r: &[u8], s: &[u8]) -> Result<bool, EncodingError> {
    if ps.len() % G1_LEN != 0 || qs.len() % G2_LEN != 0 || ps.len() / G1_LEN != qs.len() / G2_LEN {
        return Err(EncodingError::Length {
            what: "the pairing's points",
            expected: ps.len() / G1_LEN * G2_LEN,
            found: qs.len(),
        });
    }
    let g1 = |b: &[u8]| G1Affine::deserialize_compressed(b).map_err(|_| EncodingError::Point { what: "a G1 point" });
    let g2 = |b: &[u8]| G2Affine::deserialize_compressed(b).map_err(|_| EncodingError::Point { what: "a G2 point" });
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (p, q) in ps.chunks(G1_LEN).zip(qs.chunks(G2_LEN)) {
        left.push(g1(p)?);
        right.push(g2(q)?);
    }
    left.push(-g1(r)?);
    right.push(g2(s)?);
    Ok(Bls12_381::multi_pairing(left, right).0.is_one())
}

/// The 32 little-endian bytes of a field element.
pub fn fr_to_bytes(x: &Fr) -> [u8; 32] {
    compressed::<32>(x)
}

/// A canonical field element from 32 little-endian bytes.
pub fn fr_from_bytes(bytes: &[u8], what: &'static str) -> Result<Fr, EncodingError> {
    if bytes.len() != 32 {
        return Err(EncodingError::Length { what, expected: 32, found: bytes.len() });
    }
    Fr::deserialize_compressed(bytes).map_err(|_| EncodingError::Field { what })
}

/// A field element's integer value fits `bits` (used by tests of the range checks).
pub fn fits_bits(x: &Fr, bits: u32) -> bool {
    x.into_bigint().num_bits() <= bits
}
