//! `cargo xtask schema`: the contracts' JSON schemas (`schema/<contract>.json`) from the message
//! types in `packages/resource-msgs`, then the TypeScript clients in `ts-bindings/src` from those
//! schemas (see [`crate::ts`]).
//!
//! Each file is what cosmwasm-schema's `write_api!` writes as `<name>.json` (its `generate_api!`
//! rendered with `to_string` and a final newline): `contract_name`, `contract_version`,
//! `idl_version`, `instantiate`, `execute`, `query`, `migrate`, `sudo` and `responses`, the single
//! file that `@cosmwasm/ts-codegen` and explorers read. The per-message `raw/` files of `write_api!`
//! are not written: they repeat the same schemas.
//!
//! - `contract_name` is the artifact name (`credit_token` for `artifacts/credit_token.wasm`), the
//!   name deployment scripts and wallets already use; the crate names (`resource-credit-token`) and
//!   the cw2 names are the Rust side's.
//! - `contract_version` is the workspace version (`[workspace.package] version`, which xtask and
//!   every contract crate inherit: the version cw2 stores on chain).
//!
//! The output is deterministic: schemars keeps struct fields in declaration order and definitions
//! and responses sorted, and nothing time- or machine-dependent is written.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use cosmwasm_schema::{generate_api, Api};
use resource_msgs::{clearing, credit_token, did_registry, meta_bridge, underwriting};

use crate::drift::{self, Difference};

/// A contract whose interface is published, by artifact name. Its TypeScript clients are named
/// after it in PascalCase (`CreditTokenClient`, `CreditTokenQueryClient`: ts-bindings/scripts/codegen.mjs).
#[derive(Debug, Clone, Copy)]
pub struct Contract {
    pub name: &'static str,
    api: fn() -> Api,
}

pub const CONTRACTS: &[Contract] = &[
    Contract { name: "clearing", api: clearing_api },
    Contract { name: "credit_token", api: credit_token_api },
    Contract { name: "did_registry", api: did_registry_api },
    Contract { name: "meta_bridge", api: meta_bridge_api },
    Contract { name: "underwriting", api: underwriting_api },
];

fn credit_token_api() -> Api {
    generate_api! {
        name: "credit_token",
        instantiate: credit_token::InstantiateMsg,
        execute: credit_token::ExecuteMsg,
        query: credit_token::QueryMsg,
        migrate: credit_token::MigrateMsg,
    }
}

fn clearing_api() -> Api {
    generate_api! {
        name: "clearing",
        instantiate: clearing::InstantiateMsg,
        execute: clearing::ExecuteMsg,
        query: clearing::QueryMsg,
        migrate: clearing::MigrateMsg,
    }
}

fn did_registry_api() -> Api {
    generate_api! {
        name: "did_registry",
        instantiate: did_registry::InstantiateMsg,
        execute: did_registry::ExecuteMsg,
        query: did_registry::QueryMsg,
        migrate: did_registry::MigrateMsg,
    }
}

fn meta_bridge_api() -> Api {
    generate_api! {
        name: "meta_bridge",
        instantiate: meta_bridge::InstantiateMsg,
        execute: meta_bridge::ExecuteMsg,
        query: meta_bridge::QueryMsg,
        migrate: meta_bridge::MigrateMsg,
    }
}

fn underwriting_api() -> Api {
    generate_api! {
        name: "underwriting",
        instantiate: underwriting::InstantiateMsg,
        execute: underwriting::ExecuteMsg,
        query: underwriting::QueryMsg,
        migrate: underwriting::MigrateMsg,
    }
}

impl Contract {
    pub fn file_name(&self) -> String {
        format!("{}.json", self.name)
    }

    /// The schema file's text, exactly as `write_api!` writes it.
    pub fn render(&self) -> Result<String> {
        // `generate_api!` unwraps the query responses' integrity check (a `#[returns]` missing or
        // doubled): a panic here would end the whole test run, so it becomes this contract's error.
        let api = std::panic::catch_unwind(self.api).map_err(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            anyhow!("cosmwasm-schema refused the {} messages: {why}", self.name)
        })?;
        let json = api.render().to_string().with_context(|| format!("rendering the {} schema", self.name))?;
        Ok(json + "\n")
    }
}

/// Whether a path (relative to `schema/`) is one of the generated files' kind.
pub fn is_schema_file(rel: &Path) -> bool {
    rel.parent() == Some(Path::new("")) && rel.extension().is_some_and(|e| e == "json")
}

/// Writes every contract's schema into `dir` and removes the `*.json` files there that no contract
/// generates any more (README.md and other files stay). Returns the files written.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let mut written = Vec::new();
    for contract in CONTRACTS {
        let path = dir.join(contract.file_name());
        let text = contract.render()?;
        // Rewrite only what changed, so file times say what the last run changed.
        if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
        }
        written.push(path);
    }
    for entry in fs::read_dir(dir)?.flatten() {
        let path = entry.path();
        if path.is_file() && is_schema_file(Path::new(&entry.file_name())) && !written.contains(&path) {
            fs::remove_file(&path).with_context(|| format!("could not remove the stale {}", path.display()))?;
        }
    }
    Ok(written)
}

/// Regenerates the schemas into `scratch` (emptied first) and compares them with `committed`.
pub fn check(committed: &Path, scratch: &Path) -> Result<Vec<Difference>> {
    if scratch.exists() {
        fs::remove_dir_all(scratch).with_context(|| format!("could not empty {}", scratch.display()))?;
    }
    write_all(scratch)?;
    drift::compare(scratch, committed, &is_schema_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-schema-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn schemas_have_the_write_api_shape() {
        for contract in CONTRACTS {
            let text = contract.render().unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
            for key in [
                "contract_name",
                "contract_version",
                "idl_version",
                "instantiate",
                "execute",
                "query",
                "migrate",
                "sudo",
                "responses",
            ] {
                assert!(keys.contains(&key), "{}: no `{key}` in {keys:?}", contract.name);
            }
            assert_eq!(v["contract_name"], contract.name);
            assert_eq!(v["contract_version"], env!("CARGO_PKG_VERSION"));
            assert_eq!(v["instantiate"]["title"], "InstantiateMsg");
            assert!(v["responses"].as_object().is_some_and(|r| !r.is_empty()), "{}: no responses", contract.name);
            assert!(text.ends_with("}\n"));
            // Deterministic: a second rendering is byte for byte the same.
            assert_eq!(contract.render().unwrap(), text);
        }
        let token: serde_json::Value = serde_json::from_str(&CONTRACTS[1].render().unwrap()).unwrap();
        assert!(token["responses"]["credit_account"].is_object());
    }

    #[test]
    fn every_schema_is_named_after_a_contract_artifact() {
        let ws = crate::metadata::Workspace::load().unwrap();
        let artifacts: Vec<String> = ws.wasm_crates().unwrap().into_iter().map(|c| c.artifact).collect();
        for contract in CONTRACTS {
            assert!(
                artifacts.iter().any(|a| a == contract.name),
                "no artifacts/{}.wasm in {artifacts:?}",
                contract.name
            );
        }
    }

    /// The drift check itself: the identical tree passes; a changed message field, a missing and a
    /// stale file each fail, naming the file.
    #[test]
    fn the_drift_check_fails_on_a_changed_field_and_passes_when_identical() {
        let committed = scratch("committed");
        write_all(&committed).unwrap();
        fs::write(committed.join("README.md"), "not a schema\n").unwrap();
        let work = scratch("work");
        assert_eq!(check(&committed, &work).unwrap(), [], "a freshly written tree must pass");

        // A field renamed in the committed schema, as if the Rust message changed and nobody
        // regenerated: `Transfer { recipient }` of the credit token.
        let file = committed.join("credit_token.json");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"recipient\""));
        fs::write(&file, text.replace("\"recipient\"", "\"receiver\"")).unwrap();
        let diffs = check(&committed, &work).unwrap();
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert_eq!(diffs[0].path(), Path::new("credit_token.json"));
        let message = diffs[0].to_string();
        assert!(message.contains("receiver") && message.contains("recipient"), "{message}");

        // A missing schema and one no contract generates.
        fs::write(&file, text).unwrap();
        fs::remove_file(committed.join("clearing.json")).unwrap();
        fs::write(committed.join("old_contract.json"), "{}\n").unwrap();
        let diffs = check(&committed, &work).unwrap();
        assert_eq!(diffs, [Difference::Missing("clearing.json".into()), Difference::Extra("old_contract.json".into())]);

        // `write_all` (what `cargo xtask schema` runs) repairs the tree: stale file gone, README kept.
        write_all(&committed).unwrap();
        assert_eq!(check(&committed, &work).unwrap(), []);
        assert!(!committed.join("old_contract.json").exists());
        assert!(committed.join("README.md").exists());
        let _ = (fs::remove_dir_all(committed), fs::remove_dir_all(work));
    }
}
