//! The Poseidon of resource-zk-verifier against arkworks' reference sponge and the Grain LFSR, and
//! the circuit's Poseidon and range check against the native ones.

use ark_bls12_381::Fr;
use ark_crypto_primitives::sponge::poseidon::{find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge};
use ark_crypto_primitives::sponge::CryptographicSponge;
use ark_ff::{PrimeField, UniformRand};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::R1CSVar;
use ark_relations::r1cs::ConstraintSystem;
use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_zk::gadget;
use resource_zk_verifier::poseidon::{self, Domain, FULL_ROUNDS, PARTIAL_ROUNDS, RATE, WIDTH};

fn grain() -> (Vec<Vec<Fr>>, Vec<Vec<Fr>>) {
    find_poseidon_ark_and_mds::<Fr>(Fr::MODULUS_BIT_SIZE as u64, RATE, FULL_ROUNDS as u64, PARTIAL_ROUNDS as u64, 0)
}

/// The constants file, as the generator writes it.
fn constants_source() -> String {
    let (ark, mds) = grain();
    let limbs = |f: &Fr| {
        let l = f.0 .0;
        format!("fr([0x{:016x}, 0x{:016x}, 0x{:016x}, 0x{:016x}])", l[0], l[1], l[2], l[3])
    };
    let rows = |m: &[Vec<Fr>]| {
        m.iter().map(|r| format!("    [{}],\n", r.iter().map(limbs).collect::<Vec<_>>().join(", "))).collect::<String>()
    };
    format!(
        "//! Poseidon constants for width 8 (see [`crate::poseidon`]): round constants and the MDS matrix from\n\
         //! the Grain LFSR of the Poseidon paper, as ark-crypto-primitives' `find_poseidon_ark_and_mds`\n\
         //! derives them, in Montgomery form so they cost nothing at run time.\n\
         #![cfg_attr(rustfmt, rustfmt_skip)]\n\n\
         use super::{{Fr, ROUNDS, WIDTH}};\n\n\
         const fn fr(limbs: [u64; 4]) -> Fr {{\n    Fr::new_unchecked(ark_ff::BigInt::new(limbs))\n}}\n\n\
         pub(crate) static ARK: [[Fr; WIDTH]; ROUNDS] = [\n{}];\n\
         pub(crate) static MDS: [[Fr; WIDTH]; WIDTH] = [\n{}];\n",
        rows(&ark),
        rows(&mds)
    )
}

#[test]
fn poseidon_constants_match_the_grain_lfsr() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../resource-zk-verifier/src/poseidon_constants.rs");
    let expected = constants_source();
    if std::env::var_os("RESOURCE_ZK_WRITE_CONSTANTS").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let found = std::fs::read_to_string(path).unwrap();
    assert!(
        found == expected,
        "{path} differs from the Grain LFSR's constants: rerun with RESOURCE_ZK_WRITE_CONSTANTS=1"
    );
    let (ark, mds) = grain();
    assert_eq!(poseidon::round_constants().iter().map(|r| r.to_vec()).collect::<Vec<_>>(), ark);
    assert_eq!(poseidon::mds().iter().map(|r| r.to_vec()).collect::<Vec<_>>(), mds);
}

#[test]
fn the_permutation_is_arkworks_poseidon() {
    let (ark, mds) = grain();
    let config = PoseidonConfig::new(FULL_ROUNDS, PARTIAL_ROUNDS, poseidon::ALPHA, mds, ark, RATE, 1);
    let mut rng = ChaCha20Rng::from_seed([3; 32]);
    for len in [1, 6, 7] {
        let inputs: Vec<Fr> = (0..len).map(|_| Fr::rand(&mut rng)).collect();
        let mut sponge = PoseidonSponge::new(&config);
        sponge.absorb(&inputs);
        let reference: Vec<Fr> = sponge.squeeze_field_elements(1);
        // The sponge starts from a zero capacity: the permutation with tag 0.
        let mut state = [Fr::from(0u64); WIDTH];
        state[1..=len].copy_from_slice(&inputs);
        poseidon::permute(&mut state);
        assert_eq!(state[1], reference[0], "{len} inputs");
    }
}

fn field() -> impl Strategy<Value = Fr> {
    any::<[u8; 32]>().prop_map(|b| Fr::from_le_bytes_mod_order(&b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_circuit_hash_is_the_native_hash(inputs in proptest::collection::vec(field(), 0..=7), statement in any::<bool>()) {
        let domain = if statement { Domain::Statement } else { Domain::Commitment };
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<FpVar<Fr>> = inputs.iter().map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap()).collect();
        let out = gadget::hash(domain, &vars).unwrap();
        prop_assert_eq!(out.value().unwrap(), poseidon::hash(domain, &inputs));
        prop_assert!(cs.is_satisfied().unwrap());
        // Three per S-box at most (an S-box of a constant, e.g. the capacity tag, costs none).
        prop_assert!(cs.num_constraints() <= 3 * (FULL_ROUNDS * WIDTH + PARTIAL_ROUNDS));
    }

    #[test]
    fn the_range_check_holds_exactly_below_the_bound(x in any::<u64>(), negative in any::<bool>(), bits in 1u32..=63) {
        let value = if negative { -Fr::from(x) } else { Fr::from(x) };
        let cs = ConstraintSystem::<Fr>::new_ref();
        let var = FpVar::new_witness(cs.clone(), || Ok(value)).unwrap();
        gadget::enforce_fits(cs.clone(), &var, bits).unwrap();
        let fits = (!negative || x == 0) && x < (1u64 << bits);
        prop_assert_eq!(cs.is_satisfied().unwrap(), fits);
    }
}
