//! The contracts the command line deployed on a devnet, so later commands find them without an
//! address: `<devnet home>/deployment.json`, written by `resource underwriting deploy`, `resource
//! credential deploy` and `resource demo --chain devnet`, removed by `resource devnet up` (fresh
//! chains have no contracts).
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const DEPLOYMENT_FILE: &str = "deployment.json";

/// One network's contracts on one chain of the devnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub chain_id: String,
    /// The command that deployed it, for the reader of the file.
    pub deployed_by: String,
    /// Empty when only the DID registry is deployed (`resource credential deploy`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub credit_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underwriting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearing: Option<String>,
    /// Also verifies the credential proofs (it holds the verifying keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did_registry: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DeploymentError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} is damaged ({reason}); delete it and deploy again (`resource underwriting deploy`)")]
    Damaged { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

impl Deployment {
    /// The deployment recorded in `home`, if any.
    pub fn load(home: &Path) -> Result<Option<Deployment>, DeploymentError> {
        let path = home.join(DEPLOYMENT_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(DeploymentError::Read { path, source }),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| DeploymentError::Damaged { path, reason: e.to_string() })
    }

    /// Records this deployment in `home`, replacing the one before (written whole, then renamed).
    pub fn save(&self, home: &Path) -> Result<PathBuf, DeploymentError> {
        let path = home.join(DEPLOYMENT_FILE);
        let partial = home.join(format!(".{DEPLOYMENT_FILE}.partial"));
        let text = serde_json::to_string_pretty(self).expect("plain data serializes") + "\n";
        fs::write(&partial, text)
            .and_then(|()| fs::rename(&partial, &path))
            .map_err(|source| DeploymentError::Write { path: path.clone(), source })?;
        Ok(path)
    }

    /// Forgets the recorded deployment (a fresh devnet has none).
    pub fn remove(home: &Path) -> Result<(), DeploymentError> {
        let path = home.join(DEPLOYMENT_FILE);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(DeploymentError::Write { path, source: e }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_removes() {
        let home = std::env::temp_dir().join(format!("resource-deployment-{}", std::process::id()));
        let _ = fs::remove_dir_all(&home);
        fs::create_dir_all(&home).unwrap();
        assert_eq!(Deployment::load(&home).unwrap(), None);
        let deployment = Deployment {
            chain_id: "resource-1".into(),
            deployed_by: "test".into(),
            credit_token: "inj1token".into(),
            underwriting: Some("inj1uw".into()),
            clearing: None,
            did_registry: None,
        };
        deployment.save(&home).unwrap();
        assert_eq!(Deployment::load(&home).unwrap(), Some(deployment));
        let text = fs::read_to_string(home.join(DEPLOYMENT_FILE)).unwrap();
        assert!(!text.contains("clearing"), "absent contracts are left out: {text}");
        Deployment::remove(&home).unwrap();
        Deployment::remove(&home).unwrap();
        assert_eq!(Deployment::load(&home).unwrap(), None);
        fs::write(home.join(DEPLOYMENT_FILE), "{").unwrap();
        assert!(Deployment::load(&home).unwrap_err().to_string().contains("delete it and deploy again"));
        fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn a_file_that_still_names_a_credential_verifier_loads() {
        // Written before the DID registry verified proofs itself; the verifier is no longer used.
        let home = std::env::temp_dir().join(format!("resource-deployment-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&home);
        fs::create_dir_all(&home).unwrap();
        let old = r#"{"chain_id": "resource-1", "deployed_by": "resource credential deploy",
            "did_registry": "inj1registry", "credential_verifier": "inj1verifier"}"#;
        fs::write(home.join(DEPLOYMENT_FILE), old).unwrap();
        let loaded = Deployment::load(&home).unwrap().unwrap();
        assert_eq!(loaded.did_registry.as_deref(), Some("inj1registry"));
        loaded.save(&home).unwrap();
        let text = fs::read_to_string(home.join(DEPLOYMENT_FILE)).unwrap();
        assert!(!text.contains("credential_verifier"), "saving again drops it: {text}");
        fs::remove_dir_all(&home).unwrap();
    }
}
