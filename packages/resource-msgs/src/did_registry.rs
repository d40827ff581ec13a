//! The DID registry (`contracts/did-registry`, artifact `did_registry.wasm`): `did:resource` DIDs
//! with W3C documents and versions, attesters, reputation records and verified claims. Documents,
//! updates, events and resolution results are `resource_core::did` types, whose JSON is the W3C form.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary};
use resource_core::did::{
    Attester, AttesterKey, DidDocument, DocumentUpdate, ReputationEvent, ReputationRecord, ReputationSummary,
    VerifiedClaim,
};

#[cw_serde]
#[derive(Default)]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address. It approves attesters and names the contracts that
    /// may write records; make it the chain's governance module address for governance approval.
    pub admin: Option<String>,
    /// Contracts that may append reputation events (the credit token, underwriting, clearing).
    #[serde(default)]
    pub reputation_writers: Vec<String>,
    /// Contracts that may record verified claims (the ZK verifier).
    #[serde(default)]
    pub claim_verifiers: Vec<String>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Registers a DID with version 1 of its document. `did` defaults to the sender's account DID
    /// `did:resource:<chain-id>:<sender>`; it may also be `did:resource:<chain-id>:<sender>:<suffix>`,
    /// or a suffixed DID under another address whose account DID the sender controls. `document`
    /// defaults to one with no keys and the sender as controller (an empty `controller` list also
    /// means the sender); its `@context` is derived from the key types. Attributes `did`,
    /// `version_id`.
    Create {
        did: Option<String>,
        document: Option<DidDocument>,
    },
    /// A controller (directly, or through a controller's own controllers) changes the document:
    /// `{"replace": {"document": ...}}` or `{"patch": {"ops": [...]}}`. The result is a new version.
    Update {
        did: String,
        change: DocumentUpdate,
    },
    /// A controller deactivates the DID: a final version without keys, services or authentication.
    /// Irreversible; earlier versions stay resolvable.
    Deactivate {
        did: String,
    },
    /// Admin: registers a credential issuer. Refused for a DID registered before (also revoked).
    RegisterAttester {
        did: String,
        name: String,
        claim_types: Vec<String>,
        public_key: AttesterKey,
    },
    /// Admin: revokes an attester for good; claims it attested stay recorded, new ones are refused.
    RevokeAttester {
        did: String,
    },
    /// A reputation writer appends `event` to the history of `did` (a did:resource DID of this chain,
    /// registered or not, also deactivated: reputation cannot be shed by deactivating). Append-only.
    RecordReputation {
        did: String,
        event: ReputationEvent,
    },
    /// A claim verifier records a claim proven about the active DID `did`, issued by a registered,
    /// active `attester` allowed to issue `claim_type`, unexpired at block time. `nullifier` (32
    /// bytes) is stored so that the same credential can never be recorded again, for any DID.
    RecordVerifiedClaim {
        did: String,
        claim_type: String,
        predicate: String,
        attester: String,
        nullifier: HexBinary,
        expires_at: u64,
    },
    /// Admin: adds and removes reputation writers and claim verifiers.
    UpdateRoles {
        #[serde(default)]
        add_writers: Vec<String>,
        #[serde(default)]
        remove_writers: Vec<String>,
        #[serde(default)]
        add_verifiers: Vec<String>,
        #[serde(default)]
        remove_verifiers: Vec<String>,
    },
    /// Admin: proposes a new admin, who must accept with `AcceptAdmin`.
    UpdateAdmin {
        new_admin: String,
    },
    AcceptAdmin {},
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The W3C DID resolution result of `did` (latest version, or `version_id`; `did` may be a DID
    /// URL with `?versionId=`, and `service`, `relativeRef` or a fragment, which are left to
    /// `Dereference`). Never a query error: failures are answered with
    /// `didResolutionMetadata.error` (`invalidDid`, `invalidDidUrl`, `notFound`,
    /// `methodNotSupported`). A deactivated DID resolves, with `deactivated: true`.
    #[returns(resource_core::did::ResolutionResult)]
    Resolve { did: String, version_id: Option<u64> },
    /// The W3C DID URL dereferencing result of `did_url`: `?service=<id>[&relativeRef=<ref>]`
    /// gives the service endpoint URL (`text/uri-list`), `#<fragment>` the verification method or
    /// service, a plain DID its document. Never a query error: failures are answered with
    /// `dereferencingMetadata.error` (`invalidDidUrl`, `notFound`, `methodNotSupported`).
    #[returns(resource_core::did::DereferencingResult)]
    Dereference { did_url: String },
    /// The versions of a registered DID, oldest first, after `start_after`.
    #[returns(VersionsResponse)]
    Versions { did: String, start_after: Option<u64>, limit: Option<u32> },
    #[returns(Attester)]
    Attester { did: String },
    /// Attesters by DID, after `start_after`.
    #[returns(AttestersResponse)]
    Attesters { start_after: Option<String>, limit: Option<u32> },
    #[returns(ReputationSummaryResponse)]
    ReputationSummary { did: String },
    /// Reputation events of `did` by sequence number, after `start_after`.
    #[returns(ReputationHistoryResponse)]
    ReputationHistory { did: String, start_after: Option<u64>, limit: Option<u32> },
    /// Verified claims of `did` by sequence number, after `start_after`.
    #[returns(VerifiedClaimsResponse)]
    VerifiedClaims { did: String, start_after: Option<u64>, limit: Option<u32> },
    /// Which DID a nullifier served, if any.
    #[returns(NullifierResponse)]
    Nullifier { nullifier: HexBinary },
    #[returns(ConfigResponse)]
    Config {},
}

#[cw_serde]
pub struct VersionInfo {
    pub version_id: u64,
    /// Block time of the version, unix seconds.
    pub updated: u64,
}

#[cw_serde]
pub struct VersionsResponse {
    pub did: String,
    /// Unix seconds.
    pub created: u64,
    pub latest_version: u64,
    pub deactivated: bool,
    pub versions: Vec<VersionInfo>,
}

#[cw_serde]
pub struct AttestersResponse {
    pub attesters: Vec<Attester>,
}

#[cw_serde]
pub struct ReputationSummaryResponse {
    pub did: String,
    pub summary: ReputationSummary,
}

#[cw_serde]
pub struct ReputationHistoryResponse {
    pub did: String,
    pub records: Vec<ReputationRecord>,
}

#[cw_serde]
pub struct ClaimView {
    /// 1, 2, ... per DID.
    pub seq: u64,
    pub claim: VerifiedClaim,
    /// `expires_at <= block time` now.
    pub expired: bool,
    /// Whether its attester is still registered and not revoked.
    pub attester_active: bool,
}

#[cw_serde]
pub struct VerifiedClaimsResponse {
    pub did: String,
    pub claims: Vec<ClaimView>,
}

#[cw_serde]
pub struct NullifierResponse {
    pub used_by: Option<String>,
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub reputation_writers: Vec<Addr>,
    pub claim_verifiers: Vec<Addr>,
}

/// Storage keys of the registry that other contracts read with raw queries (`WasmQuery::Raw`),
/// which cost a storage read where a smart query costs a contract call (about 60,000 gas on
/// wasmd: see BENCHMARKS.md). They are part of the registry's interface: the registry's own storage
/// uses these constants, and the credential verifier's multitest reads them from the real
/// registry. Both records are written once and never rewritten with another layout.
pub mod raw {
    /// `a` ++ DID text: the [`Attester`](resource_core::did::Attester), as its JSON.
    pub const ATTESTER_PREFIX: u8 = b'a';
    /// `n` ++ the nullifier's 32 bytes: the text of the DID it served.
    pub const NULLIFIER_PREFIX: u8 = b'n';

    fn key(prefix: u8, rest: &[u8]) -> Vec<u8> {
        let mut k = Vec::with_capacity(1 + rest.len());
        k.push(prefix);
        k.extend_from_slice(rest);
        k
    }

    /// The key of the attester `did`.
    pub fn attester_key(did: &str) -> Vec<u8> {
        key(ATTESTER_PREFIX, did.as_bytes())
    }

    /// The key of a nullifier (its 32 bytes).
    pub fn nullifier_key(nullifier: &[u8]) -> Vec<u8> {
        key(NULLIFIER_PREFIX, nullifier)
    }
}
