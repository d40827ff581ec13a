//! The credential circuit, one per [`ClaimKind`]: the prover knows an opening of `C` (a witness
//! computed in the circuit) with the statement's DID hash and the circuit's kind, whose values are
//! at least the thresholds and whose expiry is at least `valid_until`; the one public input is the
//! statement hash (see `resource_zk_verifier::statement`).

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, SynthesisError};
use resource_zk_verifier::poseidon::{fr_u64, Domain};
use resource_zk_verifier::statement::{ClaimKind, Thresholds, SLOTS, TIME_BITS};
use resource_zk_verifier::Fr;

use crate::gadget::{enforce_fits, hash};

/// Everything the prover knows (absent during setup).
#[derive(Clone, Copy, Debug)]
pub struct Witness {
    pub did_hash: Fr,
    pub values: Thresholds,
    pub issued_at: u64,
    pub expires_at: u64,
    pub salt: Fr,
    pub thresholds: Thresholds,
    pub valid_until: u64,
    /// The public input, the statement hash, computed natively.
    pub statement_hash: Fr,
}

#[derive(Clone, Copy, Debug)]
pub struct CredentialCircuit {
    pub kind: ClaimKind,
    pub witness: Option<Witness>,
}

impl CredentialCircuit {
    /// The circuit of `kind` without values, for setup.
    pub fn blank(kind: ClaimKind) -> CredentialCircuit {
        CredentialCircuit { kind, witness: None }
    }
}

impl ConstraintSynthesizer<Fr> for CredentialCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = self.witness;
        let get = |f: fn(&Witness) -> Fr| move || w.as_ref().map(f).ok_or(SynthesisError::AssignmentMissing);
        let statement = FpVar::new_input(cs.clone(), get(|w| w.statement_hash))?;
        let did = FpVar::new_witness(cs.clone(), get(|w| w.did_hash))?;
        let kind = FpVar::constant(fr_u64(self.kind.code()));
        let slots = self.kind.value_names().len();
        let mut values = Vec::with_capacity(SLOTS);
        let mut thresholds = Vec::with_capacity(SLOTS);
        for i in 0..SLOTS {
            if i < slots {
                values.push(FpVar::new_witness(cs.clone(), move || {
                    w.as_ref().map(|w| fr_u64(w.values.0[i])).ok_or(SynthesisError::AssignmentMissing)
                })?);
                thresholds.push(FpVar::new_witness(cs.clone(), move || {
                    w.as_ref().map(|w| fr_u64(w.thresholds.0[i])).ok_or(SynthesisError::AssignmentMissing)
                })?);
            } else {
                // An unused slot is 0 in both the commitment and the statement.
                values.push(FpVar::constant(fr_u64(0)));
                thresholds.push(FpVar::constant(fr_u64(0)));
            }
        }
        let issued_at = FpVar::new_witness(cs.clone(), get(|w| fr_u64(w.issued_at)))?;
        let expires_at = FpVar::new_witness(cs.clone(), get(|w| fr_u64(w.expires_at)))?;
        let salt = FpVar::new_witness(cs.clone(), get(|w| w.salt))?;
        let valid_until = FpVar::new_witness(cs.clone(), get(|w| fr_u64(w.valid_until)))?;

        let commitment = hash(
            Domain::Commitment,
            &[did.clone(), kind.clone(), values[0].clone(), values[1].clone(), issued_at, expires_at.clone(), salt],
        )?;
        let computed = hash(
            Domain::Statement,
            &[commitment, did, kind, thresholds[0].clone(), thresholds[1].clone(), valid_until.clone()],
        )?;
        computed.enforce_equal(&statement)?;
        for (i, bits) in self.kind.value_bits().iter().enumerate() {
            enforce_fits(cs.clone(), &(&values[i] - &thresholds[i]), *bits)?;
        }
        enforce_fits(cs, &(expires_at - valid_until), TIME_BITS)
    }
}

/// The number of constraints of `kind`'s circuit.
pub fn constraint_count(kind: ClaimKind) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(ark_relations::r1cs::SynthesisMode::Setup);
    cs.set_optimization_goal(ark_relations::r1cs::OptimizationGoal::Constraints);
    CredentialCircuit::blank(kind).generate_constraints(cs.clone()).expect("the blank circuit synthesizes");
    cs.num_constraints()
}
