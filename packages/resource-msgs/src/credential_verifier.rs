//! The credential verifier (`contracts/credential-verifier`, artifact `credential_verifier.wasm`):
//! it verifies zero-knowledge credential proofs (Groth16 over BLS12-381, one verifying key per claim
//! kind, stored by the admin) together with the attester's signature over the credential's
//! commitment, and records each verified claim on the member's DID in the DID registry, whose
//! `claim_verifiers` must include it. See DESIGN.md ("Zero knowledge") and `resource_zk_verifier`.
//!
//! Claim kinds go on the wire as `resource_zk_verifier::ClaimKind` itself: `"rating"`,
//! `"revenue"`, `"tenure"`. Binary fields (`commitment`, `signature`, `proof`, `key`, `checksum`)
//! are hex strings.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary};
pub use resource_zk_verifier::ClaimKind;

/// `max_validity` when the instantiation names none: a claim may be proven for at most a year ahead.
pub const DEFAULT_MAX_VALIDITY: u64 = 365 * 86_400;

#[cw_serde]
pub struct InstantiateMsg {
    /// Defaults to the instantiating address. It stores and removes verifying keys.
    pub admin: Option<String>,
    /// The DID registry: its attesters sign credentials, its nullifiers keep each credential to one
    /// use, and it records the verified claims (this contract must be one of its `claim_verifiers`).
    pub did_registry: String,
    /// The longest `valid_until - block time` a proof may claim, in seconds (default
    /// [`DEFAULT_MAX_VALIDITY`], a year): a recorded claim counts until `valid_until`.
    #[serde(default)]
    pub max_validity: Option<u64>,
}

#[cw_serde]
pub enum ExecuteMsg {
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
    /// Verifies a credential proof and records the claim it establishes on `did` in the DID registry
    /// (`claim_type` and `predicate` from `claim` and `thresholds`, e.g. `platform_rating` with
    /// `rating>=45;reviews>=100`, expiring at `valid_until`). `did` defaults to the sender's account
    /// DID; the sender must control it (its account DID, or an active DID of the registry listing
    /// the sender's account DID among its controllers), so that nobody who knows a credential's
    /// opening can record it without its subject. Checked in this order, before anything changes: a
    /// verifying key for `claim`; thresholds that fit the kind; a canonical commitment; `block time
    /// < valid_until <= block time + max_validity`; the attester registered in the registry, not
    /// revoked and allowed the claim type; its ed25519 or secp256k1 signature over the commitment's
    /// signing digest; the commitment (the credential's nullifier) unused; the proof. Then one
    /// message to the registry, `RecordVerifiedClaim`, which checks the DID, the attester and the
    /// nullifier again. Attributes `did`, `claim`, `attester`, `nullifier`.
    SubmitCredentialProof {
        did: Option<String>,
        /// `C`, the credential's commitment (32 bytes, a little-endian field element).
        commitment: HexBinary,
        /// The attester's DID, as registered in the DID registry.
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
    /// Admin: changes the registry or the longest validity; fields left out stay as they are.
    UpdateConfig {
        did_registry: Option<String>,
        max_validity: Option<u64>,
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
pub struct ConfigResponse {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub did_registry: Addr,
    /// Seconds.
    pub max_validity: u64,
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
