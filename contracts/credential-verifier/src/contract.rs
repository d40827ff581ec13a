#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Addr, Api, Binary, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, StdError, StdResult,
};
use resource_core::did::{decode_multibase_key, KeyCodec, ResourceDid};
use resource_cw::admin;
use resource_msgs::credential_verifier::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, VerifyingKeyResponse, VerifyingKeysResponse,
    DEFAULT_MAX_VALIDITY,
};
use resource_msgs::DidRegistryContract;
use resource_zk_verifier::groth16::{fr_from_bytes, key_checksum};
use resource_zk_verifier::statement::{did_hash, signing_digest};
use resource_zk_verifier::{ClaimKind, EncodingError, PreparedVerifyingKey, Proof, Statement};

use crate::error::ContractError;
use crate::state::{all_keys, load_config, load_key, remove_key, save_config, save_key, Config, StoredKey};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:credential-verifier";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

fn valid(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    resource_cw::valid(api, address)
}

fn require_admin(cfg: &Config, sender: &Addr) -> Result<(), ContractError> {
    admin::require::<_, ContractError>(sender, &cfg.admin, admin::ROLE_ADMIN)
}

fn check_max_validity(seconds: u64) -> Result<u64, ContractError> {
    if seconds == 0 {
        return Err(ContractError::ZeroMaxValidity);
    }
    Ok(seconds)
}

fn registry(cfg: &Config) -> DidRegistryContract {
    DidRegistryContract::new(cfg.did_registry.clone())
}

// ---------------------------------------------------------------------------------------------
// instantiate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    if !info.funds.is_empty() {
        return Err(ContractError::UnexpectedFunds);
    }
    let admin = match &msg.admin {
        Some(a) => valid(deps.api, a)?,
        None => info.sender,
    };
    let cfg = Config {
        admin,
        pending_admin: None,
        did_registry: valid(deps.api, &msg.did_registry)?,
        max_validity: check_max_validity(msg.max_validity.unwrap_or(DEFAULT_MAX_VALIDITY))?,
    };
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    save_config(deps.storage, &cfg)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("admin", cfg.admin)
        .add_attribute("did_registry", cfg.did_registry))
}

// ---------------------------------------------------------------------------------------------
// execute

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    if !info.funds.is_empty() {
        return Err(ContractError::UnexpectedFunds);
    }
    let mut cfg = load_config(deps.storage)?;
    match msg {
        ExecuteMsg::SubmitCredentialProof {
            did,
            commitment,
            attester,
            signature,
            claim,
            thresholds,
            valid_until,
            proof,
        } => {
            let submission = Submission { did, commitment, attester, signature, claim, thresholds, valid_until, proof };
            execute_submit(deps.as_ref(), &env, &cfg, &info.sender, submission)
        }
        ExecuteMsg::SetVerifyingKey { kind, key } => {
            require_admin(&cfg, &info.sender)?;
            let prepared = PreparedVerifyingKey::from_key_bytes(key.as_slice())
                .map_err(|e| ContractError::InvalidVerifyingKey { kind, reason: e.to_string() })?;
            let replaced = load_key(deps.storage, kind)?.is_some();
            let stored = StoredKey {
                kind,
                stored_at: env.block.time.seconds(),
                checksum: key_checksum(key.as_slice()),
                prepared: prepared.to_bytes(),
            };
            save_key(deps.storage, &stored);
            Ok(Response::new()
                .add_attribute("action", "set_verifying_key")
                .add_attribute("kind", kind.name())
                .add_attribute("checksum", HexBinary::from(stored.checksum.as_slice()).to_hex())
                .add_attribute("replaced", replaced.to_string()))
        }
        ExecuteMsg::RemoveVerifyingKey { kind } => {
            require_admin(&cfg, &info.sender)?;
            if load_key(deps.storage, kind)?.is_none() {
                return Err(ContractError::NoVerifyingKey { kind });
            }
            remove_key(deps.storage, kind);
            Ok(Response::new().add_attribute("action", "remove_verifying_key").add_attribute("kind", kind.name()))
        }
        ExecuteMsg::UpdateConfig { did_registry, max_validity } => {
            require_admin(&cfg, &info.sender)?;
            if let Some(r) = did_registry {
                cfg.did_registry = valid(deps.api, &r)?;
            }
            if let Some(m) = max_validity {
                cfg.max_validity = check_max_validity(m)?;
            }
            save_config(deps.storage, &cfg)?;
            Ok(Response::new()
                .add_attribute("action", "update_config")
                .add_attribute("did_registry", cfg.did_registry)
                .add_attribute("max_validity", cfg.max_validity.to_string()))
        }
        ExecuteMsg::UpdateAdmin { new_admin } => {
            require_admin(&cfg, &info.sender)?;
            let addr = valid(deps.api, &new_admin)?;
            cfg.pending_admin = Some(addr.clone());
            save_config(deps.storage, &cfg)?;
            Ok(admin::proposed_response(addr))
        }
        ExecuteMsg::AcceptAdmin {} => {
            admin::accept::<_, ContractError>(&mut cfg.admin, &mut cfg.pending_admin, &info.sender)?;
            save_config(deps.storage, &cfg)?;
            Ok(admin::accepted_response(info.sender))
        }
    }
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

/// The DID a proof is submitted for, checked to be under the sender's control: its account DID
/// (the default), or a DID of the registry listing that account DID among its controllers.
fn subject(deps: Deps, env: &Env, cfg: &Config, sender: &Addr, did: Option<String>) -> Result<String, ContractError> {
    // The chain validated the sender, so the light builder (no bech32 re-check) is exact here.
    let own = ResourceDid::account_text_of_valid_address(&env.block.chain_id, sender.as_str())
        .map_err(|_| ContractError::NoDidOnThisChain { chain_id: env.block.chain_id.clone() })?;
    let did = match did {
        None => return Ok(own),
        Some(did) if did == own => return Ok(own),
        Some(did) => did,
    };
    // Another DID: the registry says who controls it (and refuses what is not a DID of this chain).
    let view = registry(cfg).control(&deps.querier, did.clone())?;
    let Some(document) = view.did_document else {
        let error = view.did_resolution_metadata.error.unwrap_or_else(|| "no document".to_string());
        return Err(ContractError::DidUnresolvable { did, error });
    };
    if view.did_document_metadata.deactivated == Some(true) {
        return Err(ContractError::DidDeactivated { did });
    }
    if !document.controller.as_slice().contains(&own) {
        return Err(ContractError::NotController { did, sender: sender.to_string() });
    }
    Ok(did)
}

/// Every check of a submitted proof, in order, before anything changes; then the one message that
/// records the claim in the registry (which checks the DID, attester and nullifier again).
pub fn execute_submit(
    deps: Deps,
    env: &Env,
    cfg: &Config,
    sender: &Addr,
    s: Submission,
) -> Result<Response, ContractError> {
    let did = subject(deps, env, cfg, sender, s.did)?;
    let kind = s.claim;
    let stored = load_key(deps.storage, kind)?.ok_or(ContractError::NoVerifyingKey { kind })?;
    let thresholds = kind.check_values(&s.thresholds, "thresholds").map_err(ContractError::Thresholds)?;
    let invalid = |e: EncodingError| ContractError::InvalidCommitment { reason: e.to_string() };
    let commitment = fr_from_bytes(s.commitment.as_slice(), "the commitment").map_err(invalid)?;
    let commitment_bytes: [u8; 32] = s.commitment.as_slice().try_into().map_err(|_| {
        invalid(EncodingError::Length { what: "the commitment", expected: 32, found: s.commitment.len() })
    })?;

    let now = env.block.time.seconds();
    if s.valid_until <= now {
        return Err(ContractError::ValidUntilPassed { valid_until: s.valid_until, now });
    }
    let latest = now.saturating_add(cfg.max_validity);
    if s.valid_until > latest {
        return Err(ContractError::ValidUntilTooFar {
            valid_until: s.valid_until,
            latest,
            max_validity: cfg.max_validity,
        });
    }

    // The attester: registered, active, allowed the claim type, and its signature over C.
    // Read from the registry's records with raw queries (a storage read each, where a smart query
    // is a contract call): the registry checks the attester and the nullifier again when it records.
    let registry = registry(cfg);
    let attester = registry
        .attester_record(&deps.querier, &s.attester)?
        .ok_or_else(|| ContractError::UnknownAttester { attester: s.attester.clone() })?;
    if let Some(revoked_at) = attester.revoked_at {
        return Err(ContractError::AttesterRevoked { attester: attester.did, revoked_at });
    }
    let claim_type = kind.claim_type();
    if !attester.claim_types.iter().any(|t| t == claim_type) {
        return Err(ContractError::ClaimTypeNotAllowed { attester: attester.did, claim_type: claim_type.to_string() });
    }
    let (codec, public_key) = decode_multibase_key(&attester.public_key.public_key_multibase)
        .map_err(|e| ContractError::AttesterKey { attester: attester.did.clone(), reason: e.to_string() })?;
    if s.signature.len() != 64 {
        return Err(ContractError::SignatureLength { found: s.signature.len() });
    }
    let digest = signing_digest(&commitment_bytes);
    let verified = match codec {
        KeyCodec::Ed25519 => deps.api.ed25519_verify(&digest, s.signature.as_slice(), &public_key),
        KeyCodec::Secp256k1 => deps.api.secp256k1_verify(&digest, s.signature.as_slice(), &public_key),
        other => {
            return Err(ContractError::UnsupportedAttesterKey {
                attester: attester.did,
                algorithm: other.name().to_string(),
            })
        }
    };
    // A signature or key the host function cannot even parse does not verify either.
    if !matches!(verified, Ok(true)) {
        return Err(ContractError::BadSignature { attester: attester.did });
    }

    // The nullifier: one credential, one use.
    if let Some(by) = registry.nullifier_record(&deps.querier, &commitment_bytes)? {
        return Err(ContractError::CredentialUsed { by });
    }

    // The proof, for exactly this statement.
    let proof =
        Proof::from_bytes(s.proof.as_slice()).map_err(|e| ContractError::MalformedProof { reason: e.to_string() })?;
    let statement = Statement { commitment, did_hash: did_hash(&did), kind, thresholds, valid_until: s.valid_until };
    let holds = resource_zk_verifier::verify(&stored.key()?, &proof, &statement.hash(), |ps, qs, r, s| {
        deps.api.bls12_381_pairing_equality(ps, qs, r, s)
    });
    match holds {
        Ok(true) => {}
        Ok(false) => return Err(ContractError::ProofRejected),
        Err(e) => return Err(ContractError::MalformedProof { reason: e.to_string() }),
    }

    let nullifier = s.commitment.to_hex();
    let record = registry.record_verified_claim(
        did.clone(),
        claim_type.to_string(),
        kind.predicate(&thresholds),
        attester.did.clone(),
        s.commitment,
        s.valid_until,
    )?;
    Ok(Response::new()
        .add_message(record)
        .add_attribute("action", "submit_credential_proof")
        .add_attribute("did", did)
        .add_attribute("claim", kind.name())
        .add_attribute("attester", attester.did)
        .add_attribute("nullifier", nullifier))
}

// ---------------------------------------------------------------------------------------------
// migrate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, &[], CONTRACT_VERSION)
}

// ---------------------------------------------------------------------------------------------
// query

fn key_view(k: &StoredKey) -> VerifyingKeyResponse {
    VerifyingKeyResponse { kind: k.kind, checksum: HexBinary::from(k.checksum.as_slice()), stored_at: k.stored_at }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, _env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = load_config(deps.storage)?;
            to_json_binary(&ConfigResponse {
                admin: c.admin,
                pending_admin: c.pending_admin,
                did_registry: c.did_registry,
                max_validity: c.max_validity,
            })
        }
        QueryMsg::VerifyingKey { kind } => match load_key(deps.storage, kind)? {
            Some(k) => to_json_binary(&key_view(&k)),
            None => Err(StdError::generic_err(ContractError::NoVerifyingKey { kind }.to_string())),
        },
        QueryMsg::VerifyingKeys {} => {
            to_json_binary(&VerifyingKeysResponse { keys: all_keys(deps.storage)?.iter().map(key_view).collect() })
        }
    }
}
