//! The circuit's building blocks: the Poseidon permutation of `resource_zk_verifier::poseidon` over
//! R1CS variables (same constants, same order; 3 constraints per S-box, linear layers free) and a
//! range check by bit decomposition.

use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::R1CSVar;
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};
use resource_zk_verifier::poseidon::{self, domain_tag, Domain, FULL_ROUNDS, PARTIAL_ROUNDS, RATE, WIDTH};
use resource_zk_verifier::Fr;

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// [`poseidon::permute`] in the circuit.
pub fn permute(state: &mut [FpVar<Fr>; WIDTH]) -> Result<(), SynthesisError> {
    let half = FULL_ROUNDS / 2;
    for (round, constants) in poseidon::round_constants().iter().enumerate() {
        for (s, c) in state.iter_mut().zip(constants) {
            *s += *c;
        }
        if round < half || round >= half + PARTIAL_ROUNDS {
            for s in state.iter_mut() {
                *s = sbox(s)?;
            }
        } else {
            state[0] = sbox(&state[0])?;
        }
        let old = state.clone();
        for (s, row) in state.iter_mut().zip(poseidon::mds()) {
            let mut acc = FpVar::<Fr>::zero();
            for (x, m) in old.iter().zip(row) {
                acc += x * *m;
            }
            *s = acc;
        }
    }
    Ok(())
}

/// [`poseidon::hash`] in the circuit.
pub fn hash(domain: Domain, inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    assert!(inputs.len() <= RATE, "one Poseidon permutation absorbs at most {RATE} elements");
    let mut state: [FpVar<Fr>; WIDTH] = core::array::from_fn(|_| FpVar::zero());
    state[0] = FpVar::constant(domain_tag(domain, inputs.len()));
    for (s, x) in state[1..].iter_mut().zip(inputs) {
        *s = x.clone();
    }
    permute(&mut state)?;
    Ok(state[1].clone())
}

/// Enforces `0 <= x < 2^bits` (as an integer): `bits` boolean witnesses whose weighted sum is `x`,
/// `bits + 1` constraints. A difference `a - b` passes only when `a >= b` and `a - b < 2^bits`, as
/// long as `bits` is far below the field's 255 (a negative difference wraps to about 2^255).
pub fn enforce_fits(cs: ConstraintSystemRef<Fr>, x: &FpVar<Fr>, bits: u32) -> Result<(), SynthesisError> {
    let value = x.value().ok().map(|v| v.into_bigint());
    let mut sum = FpVar::<Fr>::zero();
    let mut weight = Fr::ONE;
    for i in 0..bits {
        let bit = Boolean::new_witness(cs.clone(), || {
            value.as_ref().map(|v| v.get_bit(i as usize)).ok_or(SynthesisError::AssignmentMissing)
        })?;
        sum += FpVar::from(bit) * weight;
        weight.double_in_place();
    }
    sum.enforce_equal(x)
}
