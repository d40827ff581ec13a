//! Typed handles of deployed contracts, in the manner of cw20's `Cw20Contract`: a contract that calls
//! another builds its `CosmosMsg`s and queries here, from the same message types the callee parses.

use core::marker::PhantomData;

use cosmwasm_std::{
    to_json_binary, Addr, Coin, CosmosMsg, CustomQuery, QuerierWrapper, QueryRequest, StdResult, WasmMsg, WasmQuery,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{clearing, credit_token, did_registry, meta_bridge, underwriting};

/// `did_registry::ExecuteMsg::RecordReputation` alone (see [`DidRegistryContract::record_reputation`]).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum RecordReputationOnly {
    RecordReputation { did: String, event: resource_core::did::ReputationEvent },
}

/// The parts of a `Resolve` answer that say who controls a DID, read without parsing the whole
/// document (keys, services), so that a contract that only asks "who controls this account" does not
/// carry the deserializer of every DID document type. Same JSON as
/// [`resource_core::did::ResolutionResult`], checked by a test.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ControlView {
    /// `None` when resolution failed.
    pub did_document: Option<ControlDocument>,
    #[serde(default)]
    pub did_document_metadata: ControlMetadata,
    #[serde(default)]
    pub did_resolution_metadata: ResolutionErrorView,
}

/// A document's `controller` (one DID or a list, as DID Core allows).
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct ControlDocument {
    #[serde(default)]
    pub controller: OneOrMany,
}

/// `controller` as DID texts.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(vec![])
    }
}

impl OneOrMany {
    pub fn as_slice(&self) -> &[String] {
        match self {
            OneOrMany::One(one) => core::slice::from_ref(one),
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct ControlMetadata {
    #[serde(default)]
    pub deactivated: Option<bool>,
}

/// The resolution error code (`notFound`, `invalidDid`, ...), if any.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct ResolutionErrorView {
    #[serde(default)]
    pub error: Option<String>,
}

/// The parts of a `VerifiedClaims` answer a scoring reads (no nullifier or DID parsing).
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ClaimsView {
    pub claims: Vec<ClaimSummary>,
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ClaimSummary {
    pub seq: u64,
    pub claim: ClaimText,
    pub expired: bool,
    pub attester_active: bool,
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ClaimText {
    pub claim_type: String,
    pub predicate: String,
    pub attester: String,
    pub expires_at: u64,
}

/// A deployed contract whose execute messages are `E` and queries `Q`.
#[derive(Debug)]
pub struct ContractHandle<E, Q> {
    addr: Addr,
    messages: PhantomData<fn() -> (E, Q)>,
}

// Manual impls: derives would require `E: Clone` and `Q: PartialEq`, which the handle never needs.
impl<E, Q> Clone for ContractHandle<E, Q> {
    fn clone(&self) -> Self {
        ContractHandle::new(self.addr.clone())
    }
}

impl<E, Q> PartialEq for ContractHandle<E, Q> {
    fn eq(&self, other: &Self) -> bool {
        self.addr == other.addr
    }
}

impl<E, Q> ContractHandle<E, Q> {
    /// The contract at `addr` (an address the caller has validated).
    pub fn new(addr: Addr) -> Self {
        ContractHandle { addr, messages: PhantomData }
    }

    /// Its address.
    pub fn addr(&self) -> &Addr {
        &self.addr
    }
}

impl<E: Serialize, Q: Serialize> ContractHandle<E, Q> {
    /// `msg` as a `WasmMsg::Execute` with `funds`.
    pub fn execute<C>(&self, msg: &E, funds: Vec<Coin>) -> StdResult<CosmosMsg<C>> {
        Ok(WasmMsg::Execute { contract_addr: self.addr.to_string(), msg: to_json_binary(msg)?, funds }.into())
    }

    /// `msg` as a smart query request.
    pub fn query_request<C: CustomQuery>(&self, msg: &Q) -> StdResult<QueryRequest<C>> {
        Ok(WasmQuery::Smart { contract_addr: self.addr.to_string(), msg: to_json_binary(msg)? }.into())
    }

    /// Runs the smart query `msg` and decodes its answer as `T` (the type `QueryMsg` declares for it).
    pub fn query<C: CustomQuery, T: DeserializeOwned>(&self, querier: &QuerierWrapper<C>, msg: &Q) -> StdResult<T> {
        querier.query(&self.query_request(msg)?)
    }
}

/// A deployed credit token.
pub type CreditTokenContract = ContractHandle<credit_token::ExecuteMsg, credit_token::QueryMsg>;
/// A deployed clearing contract.
pub type ClearingContract = ContractHandle<clearing::ExecuteMsg, clearing::QueryMsg>;
/// A deployed DID registry.
pub type DidRegistryContract = ContractHandle<did_registry::ExecuteMsg, did_registry::QueryMsg>;
/// A deployed meta-network bridge.
pub type MetaBridgeContract = ContractHandle<meta_bridge::ExecuteMsg, meta_bridge::QueryMsg>;
/// A deployed underwriting contract.
pub type UnderwritingContract = ContractHandle<underwriting::ExecuteMsg, underwriting::QueryMsg>;
impl CreditTokenContract {
    /// The `CreditAccount` query: signed balance, line, available credit and standing.
    pub fn credit_account<C: CustomQuery>(
        &self,
        querier: &QuerierWrapper<C>,
        address: impl Into<String>,
    ) -> StdResult<credit_token::CreditAccountResponse> {
        self.query(querier, &credit_token::QueryMsg::CreditAccount { address: address.into() })
    }

    /// The `TokenInfo` query (`total_supply` is the sum of positive balances).
    pub fn token_info<C: CustomQuery>(&self, querier: &QuerierWrapper<C>) -> StdResult<cw20::TokenInfoResponse> {
        self.query(querier, &credit_token::QueryMsg::TokenInfo {})
    }

    /// The cw20 `Transfer` of `amount` to `recipient`, through cw20's own message type (its JSON is the
    /// token's `Transfer`): a contract that only pays does not carry the serializer of every token
    /// message.
    pub fn transfer<C>(&self, recipient: impl Into<String>, amount: cosmwasm_std::Uint128) -> StdResult<CosmosMsg<C>> {
        let msg = cw20::Cw20ExecuteMsg::Transfer { recipient: recipient.into(), amount };
        Ok(WasmMsg::Execute { contract_addr: self.addr.to_string(), msg: to_json_binary(&msg)?, funds: vec![] }.into())
    }
}

impl ClearingContract {
    /// The `Totals` query.
    pub fn totals<C: CustomQuery>(&self, querier: &QuerierWrapper<C>) -> StdResult<clearing::TotalsResponse> {
        self.query(querier, &clearing::QueryMsg::Totals {})
    }
}

impl DidRegistryContract {
    /// The registry's `RecordReputation { did, event }`, the message a reputation writer sends.
    ///
    /// Serialized through a one-variant view of `ExecuteMsg` (same JSON, checked by a test), so that a
    /// contract that only records reputation does not carry the serializer of every registry message.
    pub fn record_reputation<C>(
        &self,
        did: String,
        event: resource_core::did::ReputationEvent,
    ) -> StdResult<CosmosMsg<C>> {
        let msg = RecordReputationOnly::RecordReputation { did, event };
        Ok(WasmMsg::Execute { contract_addr: self.addr.to_string(), msg: to_json_binary(&msg)?, funds: vec![] }.into())
    }

    /// The W3C resolution result of `did` (latest, or `version_id`).
    pub fn resolve<C: CustomQuery>(
        &self,
        querier: &QuerierWrapper<C>,
        did: impl Into<String>,
        version_id: Option<u64>,
    ) -> StdResult<resource_core::did::ResolutionResult> {
        self.query(querier, &did_registry::QueryMsg::Resolve { did: did.into(), version_id })
    }

    /// Who controls `did`: [`ControlView`] of its latest resolution.
    pub fn control<C: CustomQuery>(
        &self,
        querier: &QuerierWrapper<C>,
        did: impl Into<String>,
    ) -> StdResult<ControlView> {
        self.query(querier, &did_registry::QueryMsg::Resolve { did: did.into(), version_id: None })
    }

    /// The verified claim `seq` of `did`, if there is one ([`ClaimSummary`]).
    pub fn claim<C: CustomQuery>(
        &self,
        querier: &QuerierWrapper<C>,
        did: impl Into<String>,
        seq: u64,
    ) -> StdResult<Option<ClaimSummary>> {
        let query =
            did_registry::QueryMsg::VerifiedClaims { did: did.into(), start_after: seq.checked_sub(1), limit: Some(1) };
        let found: ClaimsView = self.query(querier, &query)?;
        Ok(found.claims.into_iter().next().filter(|c| c.seq == seq))
    }

    /// The reputation summary of `did`.
    pub fn reputation_summary<C: CustomQuery>(
        &self,
        querier: &QuerierWrapper<C>,
        did: impl Into<String>,
    ) -> StdResult<did_registry::ReputationSummaryResponse> {
        self.query(querier, &did_registry::QueryMsg::ReputationSummary { did: did.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, Uint128};
    use resource_core::did::ReputationEvent;

    fn wasm_msg(msg: CosmosMsg) -> (String, cosmwasm_std::Binary) {
        match msg {
            CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds }) => {
                assert!(funds.is_empty());
                (contract_addr, msg)
            }
            other => panic!("not a wasm execute: {other:?}"),
        }
    }

    #[test]
    fn record_reputation_has_the_registry_execute_msg_json() {
        let registry = DidRegistryContract::new(Addr::unchecked("registry"));
        let event = ReputationEvent::RepaidOnTime { amount: 12_345 };
        let did = "did:resource:resource-1:inj1member".to_string();
        let (to, bin) = wasm_msg(registry.record_reputation(did.clone(), event.clone()).unwrap());
        assert_eq!(to, "registry");
        let full = did_registry::ExecuteMsg::RecordReputation { did, event };
        assert_eq!(bin, to_json_binary(&full).unwrap());
        assert_eq!(from_json::<did_registry::ExecuteMsg>(&bin).unwrap(), full);
    }

    #[test]
    fn transfer_has_the_credit_token_execute_msg_json() {
        let token = CreditTokenContract::new(Addr::unchecked("token"));
        let (to, bin) = wasm_msg(token.transfer("bob", Uint128::new(7)).unwrap());
        assert_eq!(to, "token");
        let full = credit_token::ExecuteMsg::Transfer { recipient: "bob".into(), amount: Uint128::new(7) };
        assert_eq!(bin, to_json_binary(&full).unwrap());
    }

    #[test]
    fn execute_and_query_wrap_the_typed_messages() {
        let clearing = ClearingContract::new(Addr::unchecked("clearing"));
        let msg = clearing::ExecuteMsg::Accept { id: 3 };
        let (to, bin) = wasm_msg(clearing.execute(&msg, vec![]).unwrap());
        assert_eq!((to.as_str(), from_json::<clearing::ExecuteMsg>(&bin).unwrap()), ("clearing", msg));
        let request: QueryRequest = clearing.query_request(&clearing::QueryMsg::Totals {}).unwrap();
        match request {
            QueryRequest::Wasm(WasmQuery::Smart { contract_addr, msg }) => {
                assert_eq!(contract_addr, "clearing");
                assert_eq!(from_json::<clearing::QueryMsg>(&msg).unwrap(), clearing::QueryMsg::Totals {});
            }
            other => panic!("not a smart query: {other:?}"),
        }
    }

    #[test]
    fn the_control_and_claim_views_read_the_registry_answers() {
        use resource_core::did::{
            Did, DidDocument, DocumentMetadata, Nullifier, ResolutionError, ResolutionResult, VerifiedClaim,
        };
        let did: Did = "did:resource:resource-1:inj1member".parse().unwrap();
        let boss: Did = "did:resource:resource-1:inj1boss".parse().unwrap();
        for controllers in [vec![], vec![boss.clone()], vec![boss.clone(), did.clone()]] {
            let full = ResolutionResult {
                did_document: Some(DidDocument::new(did.clone(), controllers.clone())),
                did_document_metadata: DocumentMetadata { deactivated: Some(true), ..Default::default() },
                ..ResolutionResult::failure(ResolutionError::NotFound)
            };
            let view: ControlView = from_json(to_json_binary(&full).unwrap()).unwrap();
            let texts: Vec<String> = controllers.iter().map(|c| c.to_string()).collect();
            assert_eq!(view.did_document.unwrap().controller.as_slice(), texts.as_slice());
            assert_eq!(view.did_document_metadata.deactivated, Some(true));
        }
        let failed: ControlView =
            from_json(to_json_binary(&ResolutionResult::failure(ResolutionError::NotFound)).unwrap()).unwrap();
        assert_eq!((failed.did_document, failed.did_resolution_metadata.error.as_deref()), (None, Some("notFound")));

        let claim = VerifiedClaim {
            claim_type: "revenue_band".into(),
            predicate: "band>=3".into(),
            attester: boss.clone(),
            nullifier: Nullifier([7; 32]),
            expires_at: 99,
            verified_at: 1,
            verifier: "inj1verifier".into(),
        };
        let full = did_registry::VerifiedClaimsResponse {
            did: did.to_string(),
            claims: vec![did_registry::ClaimView { seq: 4, claim, expired: false, attester_active: true }],
        };
        let view: ClaimsView = from_json(to_json_binary(&full).unwrap()).unwrap();
        let c = &view.claims[0];
        assert_eq!(
            (c.seq, c.claim.claim_type.as_str(), c.claim.predicate.as_str(), c.claim.attester.as_str()),
            (4, "revenue_band", "band>=3", boss.as_str())
        );
        assert_eq!((c.claim.expires_at, c.expired, c.attester_active), (99, false, true));
    }
}
