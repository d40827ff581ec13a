//! Poseidon over the BLS12-381 scalar field: width 8 (rate 7, capacity 1), x^5 S-box, 8 full and
//! 64 partial rounds. One permutation hashes up to seven field elements, so a credential's
//! commitment and a proof's statement cost one permutation each (384 constraints in the circuit).
//!
//! Round numbers: 8 full and 64 partial rounds are the published Poseidon parameters for width 8 at
//! 128-bit security with x^5 (the table circomlib ships); the reference round-number script of the
//! Poseidon paper, with its security margin and the 2023 Groebner-basis bound, asks for 57 partial
//! rounds on this 255-bit field, so 64 is conservative. Constants: [`poseidon_constants`](self).
//!
//! Domain separation lives in the capacity element: `tag << 8 | number of inputs`, so a commitment
//! can never be read as a statement (or a shorter input as a longer one).

use ark_ff::{Field, PrimeField};

pub use ark_bls12_381::Fr;

#[path = "poseidon_constants.rs"]
mod constants;

/// State width (rate + capacity).
pub const WIDTH: usize = 8;
/// Field elements one permutation absorbs.
pub const RATE: usize = WIDTH - 1;
pub const FULL_ROUNDS: usize = 8;
pub const PARTIAL_ROUNDS: usize = 64;
pub const ROUNDS: usize = FULL_ROUNDS + PARTIAL_ROUNDS;
pub const ALPHA: u64 = 5;

/// The round constants, one row of [`WIDTH`] per round.
pub fn round_constants() -> &'static [[Fr; WIDTH]; ROUNDS] {
    &constants::ARK
}

/// The MDS matrix (row `i` gives new state element `i`).
pub fn mds() -> &'static [[Fr; WIDTH]; WIDTH] {
    &constants::MDS
}

/// What a hash is of: its tag goes into the capacity element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// An attester's credential commitment `C`.
    Commitment = 1,
    /// The statement a proof establishes (the circuit's one public input).
    Statement = 2,
}

/// The capacity element's initial value for `inputs` elements of `domain`.
pub fn domain_tag(domain: Domain, inputs: usize) -> Fr {
    Fr::from(((domain as u64) << 8) | inputs as u64)
}

fn sbox(x: Fr) -> Fr {
    let x2 = x.square();
    x2.square() * x
}

/// The Poseidon permutation, exactly as ark-crypto-primitives' `PoseidonSponge` applies it: per
/// round, add the constants, apply the S-box (all elements in full rounds, the first in partial
/// ones), multiply by the MDS matrix.
pub fn permute(state: &mut [Fr; WIDTH]) {
    let ark = round_constants();
    let mds = mds();
    let half = FULL_ROUNDS / 2;
    for (round, constants) in ark.iter().enumerate() {
        for (s, c) in state.iter_mut().zip(constants) {
            *s += c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for s in state.iter_mut() {
                *s = sbox(*s);
            }
        } else {
            state[0] = sbox(state[0]);
        }
        let old = *state;
        for (s, row) in state.iter_mut().zip(mds) {
            *s = old.iter().zip(row).map(|(x, m)| *x * m).sum();
        }
    }
}

/// The hash of at most [`RATE`] elements under `domain`: capacity = [`domain_tag`], rate = the
/// inputs (zeros after them), one permutation, the first rate element out.
///
/// # Panics
/// With more than [`RATE`] inputs (every caller in this workspace passes a fixed layout).
pub fn hash(domain: Domain, inputs: &[Fr]) -> Fr {
    assert!(inputs.len() <= RATE, "one Poseidon permutation absorbs at most {RATE} elements");
    let mut state = [Fr::from(0u64); WIDTH];
    state[0] = domain_tag(domain, inputs.len());
    state[1..=inputs.len()].copy_from_slice(inputs);
    permute(&mut state);
    state[1]
}

/// `x` as a field element (the BLS12-381 scalar field holds any u64).
pub fn fr_u64(x: u64) -> Fr {
    Fr::from(x)
}

/// The field element of 32 bytes taken as a big-endian integer reduced modulo the field order.
pub fn fr_from_digest(digest: &[u8; 32]) -> Fr {
    Fr::from_be_bytes_mod_order(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_lengths_separate() {
        let x = [Fr::from(7u64); 6];
        assert_ne!(hash(Domain::Commitment, &x), hash(Domain::Statement, &x));
        assert_ne!(hash(Domain::Statement, &x[..5]), hash(Domain::Statement, &[&x[..5], &[Fr::from(0u64)]].concat()));
    }

    #[test]
    fn mds_entries_are_nonzero() {
        // Every entry of a Cauchy matrix is nonzero: a zero means the constants file is damaged.
        assert!(mds().iter().flatten().all(|m| !ark_ff::Zero::is_zero(m)));
    }
}
