//! The DID registry (`contracts/did-registry`, artifact `did_registry.wasm`): `did:resource` DIDs
//! with W3C documents and versions, attesters, reputation records and verified claims, and the
//! verification of zero-knowledge credential proofs (Groth16 over BLS12-381, one verifying key per
//! claim kind) that records those claims. Documents, updates, events and resolution results are
//! `resource_core::did` types, whose JSON is the W3C form.
//!
//! Claim kinds go on the wire as `resource_zk_verifier::ClaimKind` itself: `"rating"`,
//! `"revenue"`, `"tenure"`. Binary fields (`commitment`, `signature`, `proof`, `key`, `checksum`,
//! `nullifier`) are hex strings. See DESIGN.md ("Zero knowledge") and `resource_zk_verifier`.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary};
use resource_core::did::{
    Attester, AttesterKey, DidDocument, DocumentUpdate, ReputationEvent, ReputationRecord, ReputationSummary,
    VerifiedClaim,
};
pub use resource_zk_verifier::ClaimKind;

/// `max_credential_validity` when none is named: a credential claim may be proven for at most a
/// year ahead.
pub const DEFAULT_MAX_CREDENTIAL_VALIDITY: u64 = 365 * 86_400;

#[cw_serde]
#[derive(Default)]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address. It approves attesters and names the contracts that
    /// may write records; make it the chain's governance module address for governance approval.
    pub admin: Option<String>,
    /// Contracts that may append reputation events (the credit token, underwriting, clearing).
    #[serde(default)]
    pub reputation_writers: Vec<String>,
    /// Contracts that may record claims they verified themselves (`RecordVerifiedClaim`). The
    /// registry verifies credential proofs itself (`SubmitCredentialProof`) without any.
    #[serde(default)]
    pub claim_verifiers: Vec<String>,
    /// The longest `valid_until - block time` a credential proof may claim, in seconds (default
    /// [`DEFAULT_MAX_CREDENTIAL_VALIDITY`], a year): a recorded claim counts until `valid_until`.
    #[serde(default)]
    pub max_credential_validity: Option<u64>,
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
    /// Admin: stores the verifying key of `kind`'s circuit (the `<kind>.vk` file `resource zk setup`
    /// writes: arkworks' compressed Groth16 verifying key, one public input), replacing the one
    /// stored before. Every point is validated; a malformed key is refused.
    SetVerifyingKey {
        kind: ClaimKind,
        key: HexBinary,
    },
    /// Admin: removes `kind`'s verifying key; proofs of that kind are refused until a new one is set.
    RemoveVerifyingKey {
        kind: ClaimKind,
    },
    /// Verifies a credential proof and records the claim it establishes on `did` (`claim_type` and
    /// `predicate` from `claim` and `thresholds`, e.g. `platform_rating` with
    /// `rating>=45;reviews>=100`, expiring at `valid_until`, the registry itself as its verifier).
    /// `did` defaults to the sender's account DID; the sender must control it (as for `Update`:
    /// a controller, directly or through a controller's own controllers), so that nobody who knows
    /// a credential's opening can record it without its subject. Checked in this order, before
    /// anything changes: the DID registered, active and the sender's; a verifying key for `claim`;
    /// thresholds that fit the kind; a canonical commitment; `block time < valid_until <= block
    /// time + max_credential_validity`; the attester registered, not revoked and allowed the claim
    /// type; its ed25519 or secp256k1 signature over the commitment's signing digest; the
    /// commitment (the credential's nullifier) unused; the proof. Attributes `did`, `claim`,
    /// `claim_type`, `attester`, `nullifier`, `seq`.
    SubmitCredentialProof {
        did: Option<String>,
        /// `C`, the credential's commitment (32 bytes, a little-endian field element).
        commitment: HexBinary,
        /// The attester's DID, as registered here.
        attester: String,
        /// The attester's signature over the credential's signing digest (64 bytes: ed25519, or
        /// secp256k1 r || s).
        signature: HexBinary,
        claim: ClaimKind,
        /// One per value of the kind: rating `[min_stars_x10, min_reviews]`, revenue
        /// `[min_monthly]`, tenure `[min_months]`.
        thresholds: Vec<u64>,
        /// Unix seconds until which the proof shows the credential unexpired; the claim expires then.
        valid_until: u64,
        /// The Groth16 proof, 192 bytes (A, B, C compressed).
        proof: HexBinary,
    },
    /// Admin: changes the longest validity of a credential claim; fields left out stay as they are.
    UpdateConfig {
        max_credential_validity: Option<u64>,
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
    /// The verifying key stored for `kind` (a query error when there is none).
    #[returns(VerifyingKeyResponse)]
    VerifyingKey { kind: ClaimKind },
    /// Every stored verifying key, by kind.
    #[returns(VerifyingKeysResponse)]
    VerifyingKeys {},
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
    /// Seconds.
    pub max_credential_validity: u64,
}

#[cw_serde]
pub struct VerifyingKeyResponse {
    pub kind: ClaimKind,
    /// SHA-256 of the key bytes as submitted (the `<kind>.vk` file), as `resource zk setup` prints it.
    pub checksum: HexBinary,
    /// Block time it was stored, unix seconds.
    pub stored_at: u64,
}

#[cw_serde]
pub struct VerifyingKeysResponse {
    pub keys: Vec<VerifyingKeyResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, to_json_string};

    #[test]
    fn claim_kinds_are_snake_case_strings_on_the_wire() {
        let msg = ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Revenue };
        assert_eq!(to_json_string(&msg).unwrap(), r#"{"remove_verifying_key":{"kind":"revenue"}}"#);
        let q: QueryMsg = from_json(br#"{"verifying_key":{"kind":"tenure"}}"#).unwrap();
        assert_eq!(q, QueryMsg::VerifyingKey { kind: ClaimKind::Tenure });
        assert!(from_json::<QueryMsg>(br#"{"verifying_key":{"kind":"Rating"}}"#).is_err());
    }
}
