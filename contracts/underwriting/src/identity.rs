//! What the DID registry tells this contract: the identity an account is counted under (its DID's
//! controller), the verified claims an applicant presents and its repayment history.
//!
//! The identity rule: without a registry, each address is its own identity. With one, the account
//! DID `did:resource:<chain-id>:<address>` is resolved; its single controller is the identity (a
//! `did:resource` controller of this chain counts as its address, so a suffixed DID and its account
//! DID are one party; another method's DID counts as its text). No document, or a document naming no
//! controller, means the address itself, unless `require_did` is set. A deactivated DID, or one with
//! several controllers (which would let one party appear under two identities), is refused.

use cosmwasm_std::{Addr, Deps, Env, QuerierWrapper};
use resource_core::did::{ReputationSummary, ResourceDid};
use resource_core::underwriting::Member;
use resource_msgs::{ClaimSummary, DidRegistryContract};

use crate::error::ContractError;
use crate::state::Config;

/// The account DID of `address` on this chain.
pub fn account_did(env: &Env, address: &Addr) -> Result<String, ContractError> {
    // The chain validated the address, so the light builder (no bech32 re-check) is exact here.
    ResourceDid::account_text_of_valid_address(&env.block.chain_id, address.as_str())
        .map_err(|_| ContractError::NoDidOnThisChain { chain_id: env.block.chain_id.clone() })
}

fn registry(cfg: &Config) -> Option<DidRegistryContract> {
    cfg.did_registry.clone().map(DidRegistryContract::new)
}

/// The identity key of controller `did`: its address for a `did:resource` DID of this chain.
fn controller_key(deps: Deps, env: &Env, did: &str) -> Addr {
    match ResourceDid::parse(did) {
        Ok(r) if r.chain_id() == env.block.chain_id => {
            deps.api.addr_validate(r.address()).unwrap_or_else(|_| Addr::unchecked(did))
        }
        // Another chain's or method's DID is a key of its own: its text.
        _ => Addr::unchecked(did),
    }
}

/// `address` with the identity it is counted under (see the module docs).
pub fn member(deps: Deps, env: &Env, cfg: &Config, address: &Addr) -> Result<Member<Addr>, ContractError> {
    let Some(registry) = registry(cfg) else { return Ok(Member::own(address.clone())) };
    let did = account_did(env, address)?;
    let view = registry.control(&deps.querier, did.clone())?;
    let Some(document) = view.did_document else {
        return match view.did_resolution_metadata.error.as_deref() {
            Some(NOT_FOUND) | None if !cfg.require_did => Ok(Member::own(address.clone())),
            Some(NOT_FOUND) | None => Err(ContractError::DidRequired { did }),
            Some(e) => Err(ContractError::DidUnresolvable { did, error: e.to_string() }),
        };
    };
    if view.did_document_metadata.deactivated == Some(true) {
        return Err(ContractError::DidDeactivated { did });
    }
    let identity = match document.controller.as_slice() {
        [] => address.clone(),
        [controller] => controller_key(deps, env, controller),
        many => return Err(ContractError::SeveralControllers { did, count: many.len() }),
    };
    Ok(Member { address: address.clone(), identity })
}

/// The resolution error code of an unregistered DID.
const NOT_FOUND: &str = "notFound";

/// The repayment history of `address` (empty without a registry).
pub fn history(
    querier: &QuerierWrapper,
    env: &Env,
    cfg: &Config,
    address: &Addr,
) -> Result<ReputationSummary, ContractError> {
    let Some(registry) = registry(cfg) else { return Ok(ReputationSummary::default()) };
    Ok(registry.reputation_summary(querier, account_did(env, address)?)?.summary)
}

/// The verified claims `seqs` of `address`, each valid at block time and from an active attester.
pub fn presented_claims(
    querier: &QuerierWrapper,
    env: &Env,
    cfg: &Config,
    address: &Addr,
    seqs: &[u64],
) -> Result<Vec<ClaimSummary>, ContractError> {
    if seqs.is_empty() {
        return Ok(vec![]);
    }
    let registry = registry(cfg).ok_or(ContractError::ClaimsNeedRegistry)?;
    if seqs.len() > MAX_CLAIMS {
        return Err(ContractError::TooManyClaims { max: MAX_CLAIMS, given: seqs.len() });
    }
    let did = account_did(env, address)?;
    let mut claims = Vec::with_capacity(seqs.len());
    for (i, &seq) in seqs.iter().enumerate() {
        if seqs[..i].contains(&seq) {
            return Err(ContractError::DuplicateClaim { seq });
        }
        let view = registry.claim(querier, did.clone(), seq)?;
        let view = view.ok_or_else(|| ContractError::ClaimNotFound { did: did.clone(), seq })?;
        if view.expired {
            return Err(ContractError::ClaimExpired { seq, expires_at: view.claim.expires_at });
        }
        if !view.attester_active {
            return Err(ContractError::ClaimAttesterRevoked { seq, attester: view.claim.attester });
        }
        claims.push(view);
    }
    Ok(claims)
}

/// At most this many claims per application (each is one registry query).
pub const MAX_CLAIMS: usize = 8;
