//! Decentralized identifiers for members: the `did:resource:<chain-id>:<bech32-address>` method,
//! W3C DID Core documents and the registry's rules, portable reputation and verified claims.
//!
//! Everything a DID registry decides is here as pure functions, so the `did-registry` contract, the
//! CLI and the SDK apply the same rules:
//! - syntax ([`Did`], [`DidUrl`], [`ResourceDid`]): parsing and printing per the DID Core ABNF, with
//!   a [`DidError`] naming the offending index and character;
//! - documents ([`DidDocument`], [`VerificationMethod`], [`Service`]): the JSON-LD representation
//!   and [`check_document`]; keys ([`KeyType`], [`Jwk`], multibase) checked per type;
//! - updates: [`create_document`], [`update_document`] (replace or [`PatchOp`]s),
//!   [`deactivate_document`], with controllers checked across DIDs through a [`ControllerLookup`]
//!   ([`authorize`], [`check_controller_graph`]) and the version rule of [`DidState`];
//! - resolution: [`ResolveRequest`] (what to ask the chain for a DID or DID URL, or the error at
//!   once), [`ResolutionResult`] in the W3C DID Resolution shape and [`dereference`] of
//!   `?service=` and `#fragment` DID URLs into a [`DereferencingResult`];
//! - records: [`ReputationEvent`]s appended with [`append`] and summed in a [`ReputationSummary`];
//!   [`Attester`]s; [`VerifiedClaim`]s with their [`Nullifier`] rule.
//!
//! Nothing here performs I/O: resolving a DID against a chain is the caller's query (the registry's
//! `Resolve`), whose answer is a [`ResolutionResult`].

mod claims;
mod document;
mod error;
mod keys;
mod reputation;
mod resolution;
#[cfg(feature = "serde")]
pub(crate) mod serde_util;
mod syntax;

pub use claims::{
    check_claim, check_claim_type, check_nullifier, Attester, AttesterKey, Nullifier, VerifiedClaim,
    MAX_ATTESTER_NAME_LEN, MAX_CLAIM_TYPES, MAX_CLAIM_TYPE_LEN, MAX_PREDICATE_LEN,
};
pub use document::{
    apply_patch, apply_update, authorize, check_controller_graph, check_document, create_document, deactivate_document,
    replace, update_document, ControllerLookup, ControllerState, DidDocument, DidState, DocumentUpdate, PatchOp,
    Service, ServiceEndpoint, VerificationMethod, DID_CONTEXT, MAX_AUTHENTICATION, MAX_CONTROLLERS,
    MAX_CONTROLLER_GRAPH, MAX_ENDPOINTS, MAX_ENDPOINT_LEN, MAX_FRAGMENT_LEN, MAX_PATCH_OPS, MAX_SERVICES,
    MAX_SERVICE_TYPE_LEN, MAX_VERIFICATION_METHODS,
};
pub use error::{DidError, DocumentError, KeyError, RecordError, Segment, UrlPart};
pub use keys::{
    check_key, decode_base64url, decode_multibase_key, encode_base64url, encode_multibase_key, Jwk, KeyCodec, KeyType,
    MAX_KEY_TEXT_LEN,
};
pub use reputation::{append, ReputationEvent, ReputationRecord, ReputationSummary};
pub use resolution::{
    dereference, resolve_reference, xml_datetime, Content, DereferencingResult, DocumentMetadata, ResolutionError,
    ResolutionMetadata, ResolutionResult, ResolveRequest, DID_LD_JSON, LD_JSON, RESOLUTION_CONTEXT, URI_LIST,
};
pub use syntax::{is_account_did, Did, DidUrl, ResourceDid, RESOURCE_METHOD};
