//! The deployment record `deployments/<chain-id>/<network>.json`: code ids and checksums, addresses,
//! transaction hashes and heights. Written whole and renamed into place after every step, so an
//! interrupted deploy resumes where it stopped.
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped when the file's meaning changes.
pub const RECORD_VERSION: u32 = 1;

/// Where a step's transaction landed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tx {
    pub tx_hash: String,
    pub height: u64,
}

/// One stored code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub artifact: String,
    /// SHA-256 of the wasm, lower-case hex.
    pub checksum: String,
    pub code_id: u64,
    /// The upload, when this deploy stored it; absent when the code was already on the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored: Option<Tx>,
}

/// One instantiated contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRecord {
    pub address: String,
    /// The code it runs now.
    pub code_id: u64,
    pub label: String,
    pub instantiated: Tx,
    /// `resource upgrade`'s migrations, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub migrations: Vec<Migration>,
}

/// One migration of a contract to new code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Migration {
    pub from_code: u64,
    pub to_code: u64,
    /// The contract's cw2 version before and after.
    pub from_version: String,
    pub to_version: String,
    #[serde(flatten)]
    pub tx: Tx,
}

/// The whole record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub version: u32,
    pub network: String,
    pub chain_id: String,
    pub rpc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<String>,
    /// The deployer: every contract's admin.
    pub deployer: String,
    /// By contract name (`credit_token`, `underwriting`, `clearing`, `did_registry`, `meta_bridge`).
    #[serde(default)]
    pub codes: BTreeMap<String, CodeRecord>,
    #[serde(default)]
    pub contracts: BTreeMap<String, ContractRecord>,
    /// The wiring transactions by step (`registry_writers`, `token_config`).
    #[serde(default)]
    pub wiring: BTreeMap<String, Tx>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read the deployment record {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "the deployment record {path} is damaged ({reason}); fix it, or move it away to deploy the network afresh"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error("cannot write the deployment record {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

impl Record {
    pub fn new(network: &str, chain_id: &str, rpc: &str, grpc: Option<&str>, deployer: &str) -> Self {
        Record {
            version: RECORD_VERSION,
            network: network.into(),
            chain_id: chain_id.into(),
            rpc: rpc.into(),
            grpc: grpc.map(str::to_string),
            deployer: deployer.into(),
            codes: BTreeMap::new(),
            contracts: BTreeMap::new(),
            wiring: BTreeMap::new(),
        }
    }

    /// `<dir>/<chain-id>/<network>.json`.
    pub fn path(dir: &Path, chain_id: &str, network: &str) -> PathBuf {
        dir.join(chain_id).join(format!("{network}.json"))
    }

    /// The record at `path`, if there is one.
    pub fn load(path: &Path) -> Result<Option<Record>, RecordError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(RecordError::Read { path: path.to_path_buf(), source }),
        };
        let record: Record = serde_json::from_str(&text)
            .map_err(|e| RecordError::Damaged { path: path.to_path_buf(), reason: e.to_string() })?;
        if record.version != RECORD_VERSION {
            return Err(RecordError::Damaged {
                path: path.to_path_buf(),
                reason: format!("version {} where this CLI writes {RECORD_VERSION}", record.version),
            });
        }
        Ok(Some(record))
    }

    /// Writes the record to `path` whole, then renames it into place: a reader (or a deploy
    /// interrupted mid-write) sees the old record or the new one, never half of one.
    pub fn save(&self, path: &Path) -> Result<(), RecordError> {
        let write = |source| RecordError::Write { path: path.to_path_buf(), source };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write)?;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let partial = path.with_file_name(format!(".{name}.partial"));
        let text = serde_json::to_string_pretty(self).expect("plain data serializes") + "\n";
        fs::write(&partial, text).and_then(|()| fs::rename(&partial, path)).map_err(write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("resource-record-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn saved_whole_loaded_back_and_absent_is_none() {
        let dir = scratch("round-trip");
        let path = Record::path(&dir, "resource-1", "devnet");
        assert_eq!(path, dir.join("resource-1").join("devnet.json"));
        assert_eq!(Record::load(&path).unwrap(), None);
        let mut record = Record::new("devnet", "resource-1", "http://127.0.0.1:26657", None, "inj1admin");
        let tx = Tx { tx_hash: "AB".into(), height: 7 };
        record.codes.insert(
            "credit_token".into(),
            CodeRecord { artifact: "credit_token.wasm".into(), checksum: "b4".into(), code_id: 3, stored: None },
        );
        record.contracts.insert(
            "credit_token".into(),
            ContractRecord {
                address: "inj1token".into(),
                code_id: 3,
                label: "devnet-credit-token".into(),
                instantiated: tx.clone(),
                migrations: vec![Migration {
                    from_code: 2,
                    to_code: 3,
                    from_version: "0.1.0".into(),
                    to_version: "0.2.0".into(),
                    tx: tx.clone(),
                }],
            },
        );
        record.wiring.insert("token_config".into(), tx);
        record.save(&path).unwrap();
        assert_eq!(Record::load(&path).unwrap(), Some(record.clone()));
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\"stored\"") && !text.contains("grpc"), "absent parts are left out: {text}");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["devnet.json"], "no partial file stays behind");
        // Saving again replaces the file.
        record.codes.clear();
        record.save(&path).unwrap();
        assert_eq!(Record::load(&path).unwrap().unwrap().codes.len(), 0);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_or_foreign_record_says_what_to_do() {
        let dir = scratch("damaged");
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json");
        fs::write(&path, "{").unwrap();
        assert!(Record::load(&path).unwrap_err().to_string().contains("move it away to deploy the network afresh"));
        let mut record = Record::new("x", "c", "r", None, "d");
        record.version = 99;
        fs::write(&path, serde_json::to_string(&record).unwrap()).unwrap();
        assert!(Record::load(&path).unwrap_err().to_string().contains("version 99"));
        fs::write(&path, r#"{"version":1,"network":"x","chain_id":"c","rpc":"r","deployer":"d","extra":1}"#).unwrap();
        assert!(Record::load(&path).unwrap_err().to_string().contains("extra"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
