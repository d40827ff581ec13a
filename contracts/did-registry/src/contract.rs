#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, Addr, Api, Binary, CanonicalAddr, Deps, DepsMut, Env, HexBinary, MessageInfo, Response, StdError,
    StdResult, Storage,
};
use resource_core::did::{
    append, check_claim, create_document, deactivate_document, dereference, update_document, Attester, AttesterKey,
    ControllerLookup, ControllerState, DereferencingResult, Did, DidDocument, DidState, DocumentError, DocumentUpdate,
    Nullifier, RecordError, ReputationEvent, ReputationRecord, ResolutionError, ResolutionResult, ResolveRequest,
    ResourceDid, VerifiedClaim,
};

use crate::credential::{
    check_max_validity, execute_remove_key, execute_set_key, execute_submit, key_view, Submission,
};
use crate::error::ContractError;
use crate::state::{
    all_roles, attesters, claims, events, load_attester, load_config, load_head, load_summary, load_verifying_key,
    load_version, nullifier_user, roles, save_attester, save_claim, save_config, save_event, save_head, save_version,
    set_roles, verifying_keys, version_time, version_times, Config, Head, StoredEvent, MAX_DID_LEN, ROLE_VERIFIER,
    ROLE_WRITER,
};
use resource_cw::admin::{self, ROLE_ADMIN};
use resource_cw::Paging;
use resource_msgs::did_registry::{
    AttestersResponse, ClaimView, ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, NullifierResponse, QueryMsg,
    ReputationHistoryResponse, ReputationSummaryResponse, VerifiedClaimsResponse, VerifyingKeysResponse, VersionInfo,
    VersionsResponse, DEFAULT_MAX_CREDENTIAL_VALIDITY,
};

/// The cw2 name: the project's own namespace, never a crate registry's.
pub const CONTRACT_NAME: &str = "resource-on-cosmos:did-registry";
/// The cw2 names this contract was stored under before (it migrates from them).
pub const EARLIER_CONTRACT_NAMES: &[&str] = &["crates.io:did-registry"];
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const ROLE_REPUTATION_WRITER: &str = "a reputation writer (UpdateRoles)";
const ROLE_CLAIM_VERIFIER: &str = "a claim verifier (UpdateRoles)";

// ---------------------------------------------------------------------------------------------
// helpers

// ---------------------------------------------------------------------------------------------
// addresses: resource-cw's checks in this contract's error type

fn canon(api: &dyn Api, address: &str) -> Result<CanonicalAddr, ContractError> {
    resource_cw::canon(api, address)
}

fn valid(api: &dyn Api, address: &str) -> Result<Addr, ContractError> {
    resource_cw::valid(api, address)
}

/// No message of the registry takes coins: refused, they could never be sent back.
fn no_funds(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::UnexpectedFunds)
    }
}

pub(crate) fn require_admin(cfg: &Config, sender: &Addr) -> Result<(), ContractError> {
    admin::require(sender, &cfg.admin, ROLE_ADMIN)
}

fn require_role(deps: &DepsMut, sender: &Addr, bit: u8, role: &'static str) -> Result<(), ContractError> {
    if roles(deps.storage, &canon(deps.api, sender.as_str())?) & bit != 0 {
        Ok(())
    } else {
        Err(ContractError::Unauthorized { role })
    }
}

/// The sender's account DID on this chain.
pub(crate) fn actor(env: &Env, sender: &Addr) -> Result<ResourceDid, ContractError> {
    Ok(ResourceDid::account(&env.block.chain_id, sender.as_str())?)
}

/// A did:resource DID of this chain (any DID of another chain is refused).
pub(crate) fn local_did(env: &Env, text: &str) -> Result<ResourceDid, ContractError> {
    let d = ResourceDid::parse(text)?;
    if d.chain_id() != env.block.chain_id {
        return Err(DocumentError::WrongChain {
            did: d.to_string(),
            found: d.chain_id().to_string(),
            expected: env.block.chain_id.clone(),
        }
        .into());
    }
    Ok(d)
}

/// A DID the registry may hold a document of: a did:resource DID must be a valid one (so an
/// upper-case address is refused with the reason, instead of looked up as a second spelling).
fn document_did(text: &str) -> Result<Did, ContractError> {
    let d = Did::parse(text)?;
    if d.method() == resource_core::did::RESOURCE_METHOD {
        return Ok(ResourceDid::from_did(&d)?.into_did());
    }
    Ok(d)
}

/// Any DID the registry may key (attesters may use any method).
pub(crate) fn keyable_did(text: &str) -> Result<Did, ContractError> {
    let d = Did::parse(text)?;
    if d.as_str().len() > MAX_DID_LEN {
        return Err(ContractError::DidTooLong { len: d.as_str().len(), max: MAX_DID_LEN });
    }
    Ok(d)
}

pub(crate) fn registered(storage: &dyn Storage, did: &Did) -> Result<Head, ContractError> {
    load_head(storage, did)?.ok_or_else(|| ContractError::DidNotFound { did: did.to_string() })
}

fn latest_document(storage: &dyn Storage, did: &Did, head: &Head) -> StdResult<DidDocument> {
    load_version(storage, did, head.state.version)?
        .map(|(_, doc)| doc)
        .ok_or_else(|| StdError::not_found(format!("version {} of {did}", head.state.version)))
}

/// Other DIDs' controllers, read from their heads.
pub(crate) struct Registry<'a>(pub(crate) &'a dyn Storage);

impl ControllerLookup for Registry<'_> {
    fn state(&self, did: &Did) -> Result<ControllerState, DocumentError> {
        let head = load_head(self.0, did)
            .map_err(|e| DocumentError::Lookup { did: did.to_string(), reason: e.to_string() })?;
        Ok(match head {
            None => ControllerState::Unregistered,
            Some(h) if h.state.deactivated => ControllerState::Deactivated,
            Some(h) => ControllerState::Active(h.controllers),
        })
    }
}

/// Stores a new version and the head that points at it.
fn write_version(storage: &mut dyn Storage, doc: &DidDocument, state: DidState, claims: u64) -> StdResult<()> {
    save_version(storage, &doc.id, state.version, state.updated, doc)?;
    save_head(storage, &doc.id, &Head { state, claims, controllers: doc.controller.clone() });
    Ok(())
}

fn version_response(action: &str, did: &Did, state: &DidState, sender: &Addr) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("did", did.as_str())
        .add_attribute("version_id", state.version.to_string())
        .add_attribute("sender", sender)
}

// ---------------------------------------------------------------------------------------------
// instantiate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(deps: DepsMut, env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    no_funds(&info)?;
    // Every DID here names the chain: refuse a chain whose id a DID cannot carry.
    ResourceDid::account(&env.block.chain_id, info.sender.as_str())
        .map_err(|e| ContractError::UnsupportedChain { chain_id: env.block.chain_id.clone(), reason: e.to_string() })?;
    let admin = match &msg.admin {
        Some(a) => valid(deps.api, a)?,
        None => info.sender,
    };
    let mut bits: Vec<(CanonicalAddr, u8)> = Vec::new();
    for (list, bit) in [(&msg.reputation_writers, ROLE_WRITER), (&msg.claim_verifiers, ROLE_VERIFIER)] {
        for a in list {
            let key = canon(deps.api, a)?;
            match bits.iter_mut().find(|(k, _)| *k == key) {
                Some((_, b)) => *b |= bit,
                None => bits.push((key, bit)),
            }
        }
    }
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let max_credential_validity =
        check_max_validity(msg.max_credential_validity.unwrap_or(DEFAULT_MAX_CREDENTIAL_VALIDITY))?;
    save_config(deps.storage, &Config { admin: admin.clone(), pending_admin: None, max_credential_validity })?;
    for (key, b) in &bits {
        set_roles(deps.storage, key, *b);
    }
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("admin", admin)
        .add_attribute("chain_id", env.block.chain_id))
}

// ---------------------------------------------------------------------------------------------
// execute

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    no_funds(&info)?;
    match msg {
        ExecuteMsg::Create { did, document } => execute_create(deps, env, info, did, document),
        ExecuteMsg::Update { did, change } => execute_update(deps, env, info, did, change),
        ExecuteMsg::Deactivate { did } => execute_deactivate(deps, env, info, did),
        ExecuteMsg::RegisterAttester { did, name, claim_types, public_key } => {
            execute_register_attester(deps, env, info, did, name, claim_types, public_key)
        }
        ExecuteMsg::RevokeAttester { did } => execute_revoke_attester(deps, env, info, did),
        ExecuteMsg::RecordReputation { did, event } => execute_record_reputation(deps, env, info, did, event),
        ExecuteMsg::RecordVerifiedClaim { did, claim_type, predicate, attester, nullifier, expires_at } => {
            execute_record_claim(deps, env, info, did, claim_type, predicate, attester, nullifier, expires_at)
        }
        ExecuteMsg::SetVerifyingKey { kind, key } => execute_set_key(deps, env, info, kind, key),
        ExecuteMsg::RemoveVerifyingKey { kind } => execute_remove_key(deps, info, kind),
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
            execute_submit(deps, env, info, submission)
        }
        ExecuteMsg::UpdateConfig { max_credential_validity } => {
            let mut cfg = load_config(deps.storage)?;
            require_admin(&cfg, &info.sender)?;
            if let Some(m) = max_credential_validity {
                cfg.max_credential_validity = check_max_validity(m)?;
            }
            save_config(deps.storage, &cfg)?;
            Ok(Response::new()
                .add_attribute("action", "update_config")
                .add_attribute("max_credential_validity", cfg.max_credential_validity.to_string()))
        }
        ExecuteMsg::UpdateRoles { add_writers, remove_writers, add_verifiers, remove_verifiers } => {
            let cfg = load_config(deps.storage)?;
            require_admin(&cfg, &info.sender)?;
            // Validate everything first, then write: all or nothing.
            let mut changes: Vec<(CanonicalAddr, u8, bool)> = Vec::new();
            for (list, bit, add) in [
                (&remove_writers, ROLE_WRITER, false),
                (&remove_verifiers, ROLE_VERIFIER, false),
                (&add_writers, ROLE_WRITER, true),
                (&add_verifiers, ROLE_VERIFIER, true),
            ] {
                for a in list {
                    changes.push((canon(deps.api, a)?, bit, add));
                }
            }
            for (key, bit, add) in changes {
                let before = roles(deps.storage, &key);
                set_roles(deps.storage, &key, if add { before | bit } else { before & !bit });
            }
            Ok(Response::new().add_attribute("action", "update_roles"))
        }
        ExecuteMsg::UpdateAdmin { new_admin } => {
            let mut cfg = load_config(deps.storage)?;
            require_admin(&cfg, &info.sender)?;
            let addr = valid(deps.api, &new_admin)?;
            cfg.pending_admin = Some(addr.clone());
            save_config(deps.storage, &cfg)?;
            Ok(admin::proposed_response(addr))
        }
        ExecuteMsg::AcceptAdmin {} => {
            let mut cfg = load_config(deps.storage)?;
            admin::accept::<_, ContractError>(&mut cfg.admin, &mut cfg.pending_admin, &info.sender)?;
            save_config(deps.storage, &cfg)?;
            Ok(admin::accepted_response(info.sender))
        }
    }
}

pub fn execute_create(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: Option<String>,
    document: Option<DidDocument>,
) -> Result<Response, ContractError> {
    let actor = actor(&env, &info.sender)?;
    let did = match did {
        Some(text) => ResourceDid::parse(&text)?,
        None => actor.clone(),
    };
    let doc = create_document(&did, &actor, document, &Registry(deps.storage))?;
    let state = DidState::created(env.block.time.seconds());
    write_version(deps.storage, &doc, state, 0)?;
    Ok(version_response("create", &doc.id, &state, &info.sender))
}

pub fn execute_update(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: String,
    change: DocumentUpdate,
) -> Result<Response, ContractError> {
    let actor = actor(&env, &info.sender)?;
    let did = document_did(&did)?;
    let head = registered(deps.storage, &did)?;
    let current = latest_document(deps.storage, &did, &head)?;
    let now = env.block.time.seconds();
    let (doc, state) =
        update_document(&current, &head.state, actor.did(), change, &env.block.chain_id, now, &Registry(deps.storage))?;
    write_version(deps.storage, &doc, state, head.claims)?;
    Ok(version_response("update", &did, &state, &info.sender))
}

pub fn execute_deactivate(deps: DepsMut, env: Env, info: MessageInfo, did: String) -> Result<Response, ContractError> {
    let actor = actor(&env, &info.sender)?;
    let did = document_did(&did)?;
    let head = registered(deps.storage, &did)?;
    let current = latest_document(deps.storage, &did, &head)?;
    let (doc, state) =
        deactivate_document(&current, &head.state, actor.did(), env.block.time.seconds(), &Registry(deps.storage))?;
    write_version(deps.storage, &doc, state, head.claims)?;
    Ok(version_response("deactivate", &did, &state, &info.sender))
}

pub fn execute_register_attester(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: String,
    name: String,
    claim_types: Vec<String>,
    public_key: AttesterKey,
) -> Result<Response, ContractError> {
    require_admin(&load_config(deps.storage)?, &info.sender)?;
    let did = keyable_did(&did)?;
    if load_attester(deps.storage, &did)?.is_some() {
        return Err(RecordError::AttesterExists { did: did.to_string() }.into());
    }
    let attester = Attester::register(did, name, claim_types, public_key, env.block.time.seconds())?;
    save_attester(deps.storage, &attester)?;
    Ok(Response::new()
        .add_attribute("action", "register_attester")
        .add_attribute("attester", attester.did.as_str())
        .add_attribute("claim_types", attester.claim_types.join(",")))
}

pub fn execute_revoke_attester(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: String,
) -> Result<Response, ContractError> {
    require_admin(&load_config(deps.storage)?, &info.sender)?;
    let did = keyable_did(&did)?;
    let attester =
        load_attester(deps.storage, &did)?.ok_or_else(|| RecordError::UnknownAttester { did: did.to_string() })?;
    let revoked = attester.revoke(env.block.time.seconds())?;
    save_attester(deps.storage, &revoked)?;
    Ok(Response::new().add_attribute("action", "revoke_attester").add_attribute("attester", did.as_str()))
}

pub fn execute_record_reputation(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: String,
    event: ReputationEvent,
) -> Result<Response, ContractError> {
    require_role(&deps, &info.sender, ROLE_WRITER, ROLE_REPUTATION_WRITER)?;
    let subject = local_did(&env, &did)?.into_did();
    let summary = load_summary(deps.storage, &subject)?;
    let time = env.block.time.seconds();
    let (record, next) = append(&summary, &subject, event, info.sender.to_string(), time)?;
    let stored = StoredEvent { time, writer: canon(deps.api, info.sender.as_str())?, event: record.event };
    save_event(deps.storage, &subject, record.seq, &stored, &next)?;
    Ok(Response::new()
        .add_attribute("action", "record_reputation")
        .add_attribute("did", subject.as_str())
        .add_attribute("event", stored.event.name())
        .add_attribute("seq", record.seq.to_string())
        .add_attribute("writer", info.sender))
}

#[allow(clippy::too_many_arguments)]
pub fn execute_record_claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    did: String,
    claim_type: String,
    predicate: String,
    attester: String,
    nullifier: HexBinary,
    expires_at: u64,
) -> Result<Response, ContractError> {
    require_role(&deps, &info.sender, ROLE_VERIFIER, ROLE_CLAIM_VERIFIER)?;
    let subject = local_did(&env, &did)?.into_did();
    let head = registered(deps.storage, &subject)?;
    if head.state.deactivated {
        return Err(DocumentError::Deactivated { did: subject.to_string() }.into());
    }
    let attester = keyable_did(&attester)?;
    let nullifier = Nullifier::from_slice(nullifier.as_slice())?;
    let now = env.block.time.seconds();
    let claim = VerifiedClaim {
        claim_type,
        predicate,
        attester: attester.clone(),
        nullifier,
        expires_at,
        verified_at: now,
        verifier: info.sender.to_string(),
    };
    let registered_attester = load_attester(deps.storage, &attester)?;
    let used_by = nullifier_user(deps.storage, &nullifier)?;
    check_claim(&claim, registered_attester.as_ref(), used_by.as_ref(), now)?;
    let seq = record_claim(deps.storage, &subject, head, &claim)?;
    Ok(Response::new()
        .add_attribute("action", "record_verified_claim")
        .add_attribute("did", subject.as_str())
        .add_attribute("claim_type", claim.claim_type)
        .add_attribute("attester", attester.as_str())
        .add_attribute("nullifier", nullifier.to_string())
        .add_attribute("seq", seq.to_string()))
}

/// Stores a checked claim as the next of `subject`'s (and its nullifier as used): the one place
/// claims are written, for `RecordVerifiedClaim` and `SubmitCredentialProof`.
pub(crate) fn record_claim(
    storage: &mut dyn Storage,
    subject: &Did,
    mut head: Head,
    claim: &VerifiedClaim,
) -> Result<u64, ContractError> {
    let seq = head.claims.checked_add(1).ok_or(RecordError::Overflow)?;
    head.claims = seq;
    save_claim(storage, subject, seq, claim)?;
    save_head(storage, subject, &head);
    Ok(seq)
}

// ---------------------------------------------------------------------------------------------
// migrate

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    resource_cw::migrate_version(deps.storage, CONTRACT_NAME, EARLIER_CONTRACT_NAMES, CONTRACT_VERSION)
}

// ---------------------------------------------------------------------------------------------
// query

fn page(limit: Option<u32>) -> usize {
    Paging::STANDARD.size(limit)
}

/// A typed error as a query error.
fn query_err(e: ContractError) -> StdError {
    match e {
        ContractError::Std(e) => e,
        other => StdError::generic_err(other.to_string()),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Resolve { did, version_id } => to_json_binary(&query_resolve(deps, &env, &did, version_id)?),
        QueryMsg::Dereference { did_url } => to_json_binary(&query_dereference(deps, &env, &did_url)?),
        QueryMsg::Versions { did, start_after, limit } => {
            to_json_binary(&query_versions(deps, did, start_after, limit).map_err(query_err)?)
        }
        QueryMsg::Attester { did } => to_json_binary(&query_attester(deps, did).map_err(query_err)?),
        QueryMsg::Attesters { start_after, limit } => to_json_binary(&AttestersResponse {
            attesters: attesters(deps.storage, start_after.as_deref(), page(limit))?,
        }),
        QueryMsg::ReputationSummary { did } => {
            let subject = local_did(&env, &did).map_err(query_err)?.into_did();
            let summary = load_summary(deps.storage, &subject)?;
            to_json_binary(&ReputationSummaryResponse { did: subject.to_string(), summary })
        }
        QueryMsg::ReputationHistory { did, start_after, limit } => {
            to_json_binary(&query_history(deps, &env, did, start_after, limit).map_err(query_err)?)
        }
        QueryMsg::VerifiedClaims { did, start_after, limit } => {
            to_json_binary(&query_claims(deps, &env, did, start_after, limit).map_err(query_err)?)
        }
        QueryMsg::Nullifier { nullifier } => {
            let n = Nullifier::from_slice(nullifier.as_slice()).map_err(|e| query_err(e.into()))?;
            to_json_binary(&NullifierResponse { used_by: nullifier_user(deps.storage, &n)?.map(|d| d.to_string()) })
        }
        QueryMsg::Config {} => to_json_binary(&query_config(deps)?),
        QueryMsg::VerifyingKey { kind } => match load_verifying_key(deps.storage, kind)? {
            Some(k) => to_json_binary(&key_view(&k)),
            None => Err(query_err(ContractError::NoVerifyingKey { kind })),
        },
        QueryMsg::VerifyingKeys {} => to_json_binary(&VerifyingKeysResponse {
            keys: verifying_keys(deps.storage)?.iter().map(key_view).collect(),
        }),
    }
}

/// The W3C resolution of `did`: a DID, or a DID URL whose query is `versionId`, `service`,
/// `relativeRef` (the service and fragment are left to [`query_dereference`] or the caller);
/// failures are results with `didResolutionMetadata.error`. A `version_id` argument and a
/// `versionId` parameter must agree (else `invalidDidUrl`).
pub fn query_resolve(deps: Deps, env: &Env, did: &str, version_id: Option<u64>) -> StdResult<ResolutionResult> {
    let request = match ResolveRequest::parse(did) {
        Ok(r) => r,
        Err(error) => return Ok(ResolutionResult::failure(error)),
    };
    resolve_request(deps, env, &request, version_id)
}

/// The W3C dereferencing of the DID URL `did_url` (`?service=<id>[&relativeRef=<ref>]`, a
/// `#fragment`, or a plain DID): failures are results with `dereferencingMetadata.error`.
pub fn query_dereference(deps: Deps, env: &Env, did_url: &str) -> StdResult<DereferencingResult> {
    let request = match ResolveRequest::parse(did_url) {
        Ok(r) => r,
        // A dereferencer's input is a DID URL: not being one is `invalidDidUrl`.
        Err(ResolutionError::InvalidDid) => return Ok(DereferencingResult::failure(ResolutionError::InvalidDidUrl)),
        Err(error) => return Ok(DereferencingResult::failure(error)),
    };
    Ok(dereference(&request, resolve_request(deps, env, &request, None)?))
}

fn resolve_request(
    deps: Deps,
    env: &Env,
    request: &ResolveRequest,
    version_id: Option<u64>,
) -> StdResult<ResolutionResult> {
    if request.did.chain_id() != env.block.chain_id {
        return Ok(ResolutionResult::not_found());
    }
    let version_id = match (version_id, request.version_id) {
        (Some(a), Some(b)) if a != b => return Ok(ResolutionResult::failure(ResolutionError::InvalidDidUrl)),
        (a, b) => a.or(b),
    };
    let parsed = request.did();
    let Some(head) = load_head(deps.storage, parsed)? else { return Ok(ResolutionResult::not_found()) };
    let version = version_id.unwrap_or(head.state.version);
    if version == 0 || version > head.state.version {
        return Ok(ResolutionResult::not_found());
    }
    let (time, document) = load_version(deps.storage, parsed, version)?
        .ok_or_else(|| StdError::not_found(format!("version {version} of {parsed}")))?;
    let next_time = match version.checked_add(1) {
        Some(next) if next <= head.state.version => version_time(deps.storage, parsed, next)?,
        _ => None,
    };
    Ok(ResolutionResult::resolved(&head.state, version, time, document, next_time))
}

pub fn query_versions(
    deps: Deps,
    did: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<VersionsResponse, ContractError> {
    let did = document_did(&did)?;
    let head = registered(deps.storage, &did)?;
    let versions = version_times(deps.storage, &did, start_after, page(limit))?
        .into_iter()
        .map(|(version_id, updated)| VersionInfo { version_id, updated })
        .collect();
    Ok(VersionsResponse {
        did: did.to_string(),
        created: head.state.created,
        latest_version: head.state.version,
        deactivated: head.state.deactivated,
        versions,
    })
}

pub fn query_attester(deps: Deps, did: String) -> Result<Attester, ContractError> {
    let did = keyable_did(&did)?;
    Ok(load_attester(deps.storage, &did)?.ok_or_else(|| RecordError::UnknownAttester { did: did.to_string() })?)
}

pub fn query_history(
    deps: Deps,
    env: &Env,
    did: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<ReputationHistoryResponse, ContractError> {
    let subject = local_did(env, &did)?.into_did();
    let records = events(deps.storage, &subject, start_after, page(limit))?
        .into_iter()
        .map(|(seq, e)| {
            Ok(ReputationRecord {
                seq,
                time: e.time,
                writer: deps.api.addr_humanize(&e.writer)?.to_string(),
                event: e.event,
            })
        })
        .collect::<StdResult<_>>()?;
    Ok(ReputationHistoryResponse { did: subject.to_string(), records })
}

pub fn query_claims(
    deps: Deps,
    env: &Env,
    did: String,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<VerifiedClaimsResponse, ContractError> {
    let subject = local_did(env, &did)?.into_did();
    let now = env.block.time.seconds();
    let claims = claims(deps.storage, &subject, start_after, page(limit))?
        .into_iter()
        .map(|(seq, claim)| {
            let attester_active = load_attester(deps.storage, &claim.attester)?.is_some_and(|a| a.is_active());
            Ok(ClaimView { seq, expired: claim.expires_at <= now, attester_active, claim })
        })
        .collect::<StdResult<_>>()?;
    Ok(VerifiedClaimsResponse { did: subject.to_string(), claims })
}

pub fn query_config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = load_config(deps.storage)?;
    let mut reputation_writers = Vec::new();
    let mut claim_verifiers = Vec::new();
    for (key, bits) in all_roles(deps.storage) {
        let addr = deps.api.addr_humanize(&key)?;
        if bits & ROLE_WRITER != 0 {
            reputation_writers.push(addr.clone());
        }
        if bits & ROLE_VERIFIER != 0 {
            claim_verifiers.push(addr);
        }
    }
    Ok(ConfigResponse {
        admin: c.admin,
        pending_admin: c.pending_admin,
        reputation_writers,
        claim_verifiers,
        max_credential_validity: c.max_credential_validity,
    })
}
