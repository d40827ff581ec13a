//! Zero-knowledge credentials: the verifying keys (one per claim kind, admin-managed) and
//! `SubmitCredentialProof`, which checks an attester's signature with the chain's ed25519 /
//! secp256k1 host functions and a Groth16 proof with its BLS12-381 pairing, then records the claim.
//! Verifying here, where the attesters, nullifiers and claims are stored, costs storage reads where
//! a separate verifier contract paid a second contract call (see BENCHMARKS.md).

use cosmwasm_std::{DepsMut, Env, HexBinary, MessageInfo, Response};
use resource_core::did::{
    authorize, check_claim, decode_multibase_key, DocumentError, KeyCodec, Nullifier, RecordError, VerifiedClaim,
};
use resource_msgs::did_registry::VerifyingKeyResponse;
use resource_zk_verifier::groth16::{fr_from_bytes, key_checksum};
use resource_zk_verifier::statement::{did_hash, signing_digest};
use resource_zk_verifier::{ClaimKind, EncodingError, PreparedVerifyingKey, Proof, Statement};

use crate::contract::{actor, keyable_did, local_did, record_claim, registered, require_admin, Registry};
use crate::error::ContractError;
use crate::state::{
    load_attester, load_config, load_verifying_key, nullifier_user, remove_verifying_key, save_verifying_key, StoredKey,
};

/// A `max_credential_validity` the registry accepts.
pub fn check_max_validity(seconds: u64) -> Result<u64, ContractError> {
    if seconds == 0 {
        return Err(ContractError::ZeroMaxCredentialValidity);
    }
    Ok(seconds)
}

pub fn execute_set_key(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    kind: ClaimKind,
    key: HexBinary,
) -> Result<Response, ContractError> {
    require_admin(&load_config(deps.storage)?, &info.sender)?;
    let prepared = PreparedVerifyingKey::from_key_bytes(key.as_slice())
        .map_err(|e| ContractError::InvalidVerifyingKey { kind, reason: e.to_string() })?;
    let replaced = load_verifying_key(deps.storage, kind)?.is_some();
    let stored = StoredKey {
        kind,
        stored_at: env.block.time.seconds(),
        checksum: key_checksum(key.as_slice()),
        prepared: prepared.to_bytes(),
    };
    save_verifying_key(deps.storage, &stored);
    Ok(Response::new()
        .add_attribute("action", "set_verifying_key")
        .add_attribute("kind", kind.name())
        .add_attribute("checksum", HexBinary::from(stored.checksum.as_slice()).to_hex())
        .add_attribute("replaced", replaced.to_string()))
}

pub fn execute_remove_key(deps: DepsMut, info: MessageInfo, kind: ClaimKind) -> Result<Response, ContractError> {
    require_admin(&load_config(deps.storage)?, &info.sender)?;
    if load_verifying_key(deps.storage, kind)?.is_none() {
        return Err(ContractError::NoVerifyingKey { kind });
    }
    remove_verifying_key(deps.storage, kind);
    Ok(Response::new().add_attribute("action", "remove_verifying_key").add_attribute("kind", kind.name()))
}

/// The fields of `SubmitCredentialProof`.
pub struct Submission {
    pub did: Option<String>,
    pub commitment: HexBinary,
    pub attester: String,
    pub signature: HexBinary,
    pub claim: ClaimKind,
    pub thresholds: Vec<u64>,
    pub valid_until: u64,
    pub proof: HexBinary,
}

/// Every check of a submitted proof, in order, before anything changes; then the claim is recorded
/// as `RecordVerifiedClaim` records one, with the registry itself as its verifier.
pub fn execute_submit(deps: DepsMut, env: Env, info: MessageInfo, s: Submission) -> Result<Response, ContractError> {
    // The subject: the sender's account DID, or a DID the sender controls as it would to update it.
    let actor = actor(&env, &info.sender)?;
    let subject = match &s.did {
        None => actor.did().clone(),
        Some(text) => local_did(&env, text)?.into_did(),
    };
    let head = registered(deps.storage, &subject)?;
    if head.state.deactivated {
        return Err(DocumentError::Deactivated { did: subject.to_string() }.into());
    }
    if subject != *actor.did() {
        authorize(actor.did(), &subject, &head.controllers, &Registry(deps.storage)).map_err(|e| match e {
            DocumentError::Unauthorized { .. } => {
                ContractError::NotController { did: subject.to_string(), sender: info.sender.to_string() }
            }
            other => other.into(),
        })?;
    }

    let kind = s.claim;
    let stored = load_verifying_key(deps.storage, kind)?.ok_or(ContractError::NoVerifyingKey { kind })?;
    let thresholds = kind.check_values(&s.thresholds, "thresholds").map_err(ContractError::Thresholds)?;
    let invalid = |e: EncodingError| ContractError::InvalidCommitment { reason: e.to_string() };
    let commitment = fr_from_bytes(s.commitment.as_slice(), "the commitment").map_err(invalid)?;
    let commitment_bytes: [u8; 32] = s.commitment.as_slice().try_into().map_err(|_| {
        invalid(EncodingError::Length { what: "the commitment", expected: 32, found: s.commitment.len() })
    })?;

    let now = env.block.time.seconds();
    let max_validity = load_config(deps.storage)?.max_credential_validity;
    let latest = now.saturating_add(max_validity);
    if s.valid_until > latest {
        return Err(ContractError::ValidUntilTooFar { valid_until: s.valid_until, latest, max_validity });
    }

    // The claim as it will be recorded, checked by the rule every recorded claim meets: the
    // attester registered, active and allowed the claim type, unexpired, the nullifier (C) unused.
    let claim = VerifiedClaim {
        claim_type: kind.claim_type().to_string(),
        predicate: kind.predicate(&thresholds),
        attester: keyable_did(&s.attester)?,
        nullifier: Nullifier(commitment_bytes),
        expires_at: s.valid_until,
        verified_at: now,
        verifier: env.contract.address.to_string(),
    };
    let attester = load_attester(deps.storage, &claim.attester)?;
    let used_by = nullifier_user(deps.storage, &claim.nullifier)?;
    check_claim(&claim, attester.as_ref(), used_by.as_ref(), now)?;
    let attester = attester.ok_or_else(|| RecordError::UnknownAttester { did: claim.attester.to_string() })?;

    // The attester's signature over C.
    let (codec, public_key) =
        decode_multibase_key(&attester.public_key.public_key_multibase).map_err(RecordError::from)?;
    if s.signature.len() != 64 {
        return Err(ContractError::SignatureLength { found: s.signature.len() });
    }
    let digest = signing_digest(&commitment_bytes);
    let verified = match codec {
        KeyCodec::Ed25519 => deps.api.ed25519_verify(&digest, s.signature.as_slice(), &public_key),
        KeyCodec::Secp256k1 => deps.api.secp256k1_verify(&digest, s.signature.as_slice(), &public_key),
        other => {
            return Err(ContractError::UnsupportedAttesterKey {
                attester: attester.did.to_string(),
                algorithm: other.name().to_string(),
            })
        }
    };
    // A signature or key the host function cannot even parse does not verify either.
    if !matches!(verified, Ok(true)) {
        return Err(ContractError::BadSignature { attester: attester.did.to_string() });
    }

    // The proof, for exactly this statement.
    let proof =
        Proof::from_bytes(s.proof.as_slice()).map_err(|e| ContractError::MalformedProof { reason: e.to_string() })?;
    let statement =
        Statement { commitment, did_hash: did_hash(subject.as_str()), kind, thresholds, valid_until: s.valid_until };
    let holds = resource_zk_verifier::verify(&stored.key()?, &proof, &statement.hash(), |ps, qs, r, s| {
        deps.api.bls12_381_pairing_equality(ps, qs, r, s)
    });
    match holds {
        Ok(true) => {}
        Ok(false) => return Err(ContractError::ProofRejected),
        Err(e) => return Err(ContractError::MalformedProof { reason: e.to_string() }),
    }

    let seq = record_claim(deps.storage, &subject, head, &claim)?;
    Ok(Response::new()
        .add_attribute("action", "submit_credential_proof")
        .add_attribute("did", subject.as_str())
        .add_attribute("claim", kind.name())
        .add_attribute("claim_type", claim.claim_type)
        .add_attribute("attester", attester.did.as_str())
        .add_attribute("nullifier", claim.nullifier.to_string())
        .add_attribute("seq", seq.to_string()))
}

pub fn key_view(k: &StoredKey) -> VerifyingKeyResponse {
    VerifyingKeyResponse { kind: k.kind, checksum: HexBinary::from(k.checksum.as_slice()), stored_at: k.stored_at }
}
