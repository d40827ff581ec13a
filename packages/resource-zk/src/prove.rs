//! Proving and native verification: the same functions serve the CLI (natively) and the SDK
//! (wasm32, through [`prove_json`]).

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::SNARK;
use rand_core::{CryptoRng, RngCore};
use resource_zk_verifier::groth16::{arkworks_pairing_equality, fr_from_bytes, fr_to_bytes};
use resource_zk_verifier::statement::{did_hash, ClaimKind, Statement};
use resource_zk_verifier::{PreparedVerifyingKey, Proof};
use serde::{Deserialize, Serialize};

use crate::circuit::{CredentialCircuit, Witness};
use crate::credential::{parse_kind, Credential};
use crate::error::ZkError;
use crate::hexbytes::from_hex;
use crate::setup::read_proving_key;

/// What a member asks to prove about its credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProofRequest {
    pub credential: Credential,
    /// One per value of the kind: rating `[min_stars_x10, min_reviews]`, revenue `[min_monthly]`,
    /// tenure `[min_months]`.
    pub thresholds: Vec<u64>,
    /// The claim holds until this time (unix seconds): at most the credential's expiry, and after
    /// the block time when it is submitted. The recorded claim expires then.
    pub valid_until: u64,
}

/// A proof and every public part of its statement: what `SubmitCredentialProof` carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CredentialProof {
    pub kind: String,
    /// The DID the credential is bound to.
    pub did: String,
    /// `C`, hex.
    pub commitment: String,
    pub attester: String,
    /// The attester's signature over `C`, hex.
    pub signature: String,
    pub thresholds: Vec<u64>,
    pub valid_until: u64,
    /// The Groth16 proof, 192 bytes, hex.
    pub proof: String,
    /// The circuit's public input (for inspection; verifiers recompute it), hex.
    pub statement_hash: String,
}

impl CredentialProof {
    /// The statement, rebuilt from the public fields as a verifier does.
    pub fn statement(&self) -> Result<Statement, ZkError> {
        let kind = parse_kind(&self.kind)?;
        Ok(Statement {
            commitment: fr_from_bytes(&from_hex(&self.commitment, "the commitment")?, "the commitment")?,
            did_hash: did_hash(&self.did),
            kind,
            thresholds: kind.check_values(&self.thresholds, "thresholds")?,
            valid_until: self.valid_until,
        })
    }

    /// The DID registry's `SubmitCredentialProof` of this proof, for `did` (`None`: the
    /// sender's own account DID).
    pub fn submit_msg(&self, did: Option<String>) -> Result<resource_msgs::did_registry::ExecuteMsg, ZkError> {
        let bytes = |text: &str, what| from_hex(text, what).map(cosmwasm_std::HexBinary::from);
        Ok(resource_msgs::did_registry::ExecuteMsg::SubmitCredentialProof {
            did,
            commitment: bytes(&self.commitment, "the proof's commitment")?,
            attester: self.attester.clone(),
            signature: bytes(&self.signature, "the proof's signature")?,
            claim: parse_kind(&self.kind)?,
            thresholds: self.thresholds.clone(),
            valid_until: self.valid_until,
            proof: bytes(&self.proof, "the proof")?,
        })
    }

    pub fn proof_bytes(&self) -> Result<Vec<u8>, ZkError> {
        from_hex(&self.proof, "the proof")
    }

    pub fn from_json(text: &str) -> Result<CredentialProof, ZkError> {
        serde_json::from_str(text).map_err(|source| ZkError::Json { what: "a credential proof", source })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("serializable")
    }
}

/// Proves `request` with `kind`'s proving key. Requests no proof can exist for (altered
/// credential, value below a threshold, expired before `valid_until`) are refused before proving.
pub fn prove(
    kind: ClaimKind,
    pk: &ProvingKey<Bls12_381>,
    request: &ProofRequest,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<CredentialProof, ZkError> {
    let c = &request.credential;
    let opening = c.opening()?;
    if opening.kind != kind {
        return Err(ZkError::WrongKey { expected: opening.kind.name(), found: kind.name().to_string() });
    }
    let thresholds = kind.check_values(&request.thresholds, "thresholds")?;
    for (i, name) in kind.value_names().iter().enumerate() {
        if opening.values.0[i] < thresholds.0[i] {
            return Err(ZkError::BelowThreshold { name, threshold: thresholds.0[i] });
        }
    }
    if c.expires_at < request.valid_until {
        return Err(ZkError::Expired { expires_at: c.expires_at, valid_until: request.valid_until });
    }
    if c.expires_at - request.valid_until >= 1u64 << resource_zk_verifier::statement::TIME_BITS {
        return Err(ZkError::Validity);
    }
    let statement = Statement {
        commitment: opening.commitment,
        did_hash: opening.did_hash,
        kind,
        thresholds,
        valid_until: request.valid_until,
    };
    let statement_hash = statement.hash();
    let witness = Witness {
        did_hash: opening.did_hash,
        values: opening.values,
        issued_at: opening.issued_at,
        expires_at: opening.expires_at,
        salt: opening.salt,
        thresholds,
        valid_until: request.valid_until,
        statement_hash,
    };
    let proof = Groth16::<Bls12_381>::prove(pk, CredentialCircuit { kind, witness: Some(witness) }, rng)?;
    let mut bytes = Vec::new();
    proof.serialize_compressed(&mut bytes).expect("writing to a Vec");
    Ok(CredentialProof {
        kind: kind.name().to_string(),
        did: c.subject.clone(),
        commitment: c.commitment.clone(),
        attester: c.attester.clone(),
        signature: c.signature.clone(),
        thresholds: request.thresholds.clone(),
        valid_until: request.valid_until,
        proof: hex::encode(bytes),
        statement_hash: hex::encode(fr_to_bytes(&statement_hash)),
    })
}

/// Verifies with arkworks' own Groth16 verifier (independent of the contract's code path).
pub fn verify(vk: &VerifyingKey<Bls12_381>, proof: &CredentialProof) -> Result<(), ZkError> {
    let statement = proof.statement()?;
    let p = ark_groth16::Proof::<Bls12_381>::deserialize_compressed(proof.proof_bytes()?.as_slice())
        .map_err(|_| resource_zk_verifier::EncodingError::Point { what: "the proof" })?;
    match Groth16::<Bls12_381>::verify(vk, &[statement.hash()], &p) {
        Ok(true) => Ok(()),
        Ok(false) => Err(ZkError::Rejected),
        Err(e) => Err(ZkError::Synthesis(e.to_string())),
    }
}

/// Verifies through the contract's code path ([`resource_zk_verifier::verify`]) with the native
/// pairing function: what the chain will answer, without a chain.
pub fn verify_prepared(verifying_key: &[u8], proof: &CredentialProof) -> Result<(), ZkError> {
    let key = PreparedVerifyingKey::from_key_bytes(verifying_key)?;
    let statement = proof.statement()?;
    let p = Proof::from_bytes(&proof.proof_bytes()?)?;
    match resource_zk_verifier::verify(&key, &p, &statement.hash(), arkworks_pairing_equality)? {
        true => Ok(()),
        false => Err(ZkError::Rejected),
    }
}

/// [`prove`] over JSON and key-file bytes with the operating system's randomness: the SDK's entry
/// point (`request_json` a [`ProofRequest`], the answer a [`CredentialProof`]).
pub fn prove_json(request_json: &str, proving_key: &[u8]) -> Result<String, ZkError> {
    let request: ProofRequest =
        serde_json::from_str(request_json).map_err(|source| ZkError::Json { what: "a proof request", source })?;
    let (kind, pk) = read_proving_key(proving_key)?;
    Ok(prove(kind, &pk, &request, &mut rand_core::OsRng)?.to_json())
}

/// [`verify_prepared`] over JSON.
pub fn verify_json(proof_json: &str, verifying_key: &[u8]) -> Result<(), ZkError> {
    verify_prepared(verifying_key, &CredentialProof::from_json(proof_json)?)
}
