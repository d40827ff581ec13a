//! Storage: the configuration, and one verifying key per claim kind.
//!
//! | key                 | value                                                                   | written by |
//! |---------------------|-------------------------------------------------------------------------|------------|
//! | `c`                 | [`Config`] (JSON)                                                       | instantiate, UpdateConfig, UpdateAdmin/AcceptAdmin |
//! | `k` ++ kind code    | stored_at (8 BE) ++ SHA-256 of the submitted key (32) ++ the prepared key ([`PREPARED_KEY_LEN`]) | SetVerifyingKey, RemoveVerifyingKey |
//!
//! The prepared key is `PreparedVerifyingKey::to_bytes` (fixed length, its points validated when
//! it was set), so a proof reads it back without validating or decompressing anything. cw2 keeps
//! its `contract_info` key.

use cosmwasm_std::{from_json, to_json_vec, Addr, Order, StdError, StdResult, Storage};
use resource_cw::scan_get;
use resource_zk_verifier::groth16::PREPARED_KEY_LEN;
use resource_zk_verifier::{ClaimKind, PreparedVerifyingKey};
use serde::{Deserialize, Serialize};

const CONFIG_KEY: &[u8] = b"c";
const KEY_PREFIX: u8 = b'k';
const HEADER_LEN: usize = 8 + 32;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Config {
    pub admin: Addr,
    pub pending_admin: Option<Addr>,
    pub did_registry: Addr,
    /// Seconds.
    pub max_validity: u64,
}

pub fn load_config(storage: &dyn Storage) -> StdResult<Config> {
    let bytes = scan_get(storage, CONFIG_KEY).ok_or_else(|| StdError::not_found("config"))?;
    from_json(bytes)
}

pub fn save_config(storage: &mut dyn Storage, cfg: &Config) -> StdResult<()> {
    storage.set(CONFIG_KEY, &to_json_vec(cfg)?);
    Ok(())
}

/// A stored verifying key.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredKey {
    pub kind: ClaimKind,
    pub stored_at: u64,
    /// SHA-256 of the key bytes as submitted.
    pub checksum: [u8; 32],
    /// `PreparedVerifyingKey::to_bytes`.
    pub prepared: Vec<u8>,
}

impl StoredKey {
    /// The key, ready for `resource_zk_verifier::verify`.
    pub fn key(&self) -> StdResult<PreparedVerifyingKey> {
        PreparedVerifyingKey::from_trusted_bytes(&self.prepared).map_err(|_| corrupt())
    }
}

fn corrupt() -> StdError {
    StdError::generic_err("corrupt credential-verifier storage record")
}

fn key_key(kind: ClaimKind) -> [u8; 2] {
    // Codes are 1 to 3: one byte each.
    [KEY_PREFIX, kind.code() as u8]
}

fn decode_key(kind: ClaimKind, bytes: &[u8]) -> StdResult<StoredKey> {
    if bytes.len() != HEADER_LEN + PREPARED_KEY_LEN {
        return Err(corrupt());
    }
    let (time, rest) = bytes.split_at(8);
    let (checksum, prepared) = rest.split_at(32);
    Ok(StoredKey {
        kind,
        stored_at: u64::from_be_bytes(time.try_into().map_err(|_| corrupt())?),
        checksum: checksum.try_into().map_err(|_| corrupt())?,
        prepared: prepared.to_vec(),
    })
}

pub fn load_key(storage: &dyn Storage, kind: ClaimKind) -> StdResult<Option<StoredKey>> {
    scan_get(storage, &key_key(kind)).map(|v| decode_key(kind, &v)).transpose()
}

pub fn save_key(storage: &mut dyn Storage, key: &StoredKey) {
    let mut value = Vec::with_capacity(HEADER_LEN + key.prepared.len());
    value.extend_from_slice(&key.stored_at.to_be_bytes());
    value.extend_from_slice(&key.checksum);
    value.extend_from_slice(&key.prepared);
    storage.set(&key_key(key.kind), &value);
}

pub fn remove_key(storage: &mut dyn Storage, kind: ClaimKind) {
    storage.remove(&key_key(kind));
}

/// Every stored key, by kind code.
pub fn all_keys(storage: &dyn Storage) -> StdResult<Vec<StoredKey>> {
    storage
        .range(Some(&[KEY_PREFIX]), Some(&[KEY_PREFIX + 1]), Order::Ascending)
        .map(|(k, v)| {
            let kind = k.get(1).and_then(|c| ClaimKind::from_code(u64::from(*c))).ok_or_else(corrupt)?;
            decode_key(kind, &v)
        })
        .collect()
}
