//! The workspace as `cargo metadata --no-deps --format-version 1` describes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Workspace {
    pub packages: Vec<Package>,
    pub workspace_members: Vec<String>,
    pub workspace_root: PathBuf,
    pub target_directory: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    pub name: String,
    pub id: String,
    pub manifest_path: PathBuf,
    pub targets: Vec<Target>,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    /// The `rust-version` it declares (inherited from the workspace or its own).
    #[serde(default)]
    pub rust_version: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    pub name: String,
    pub kind: Vec<String>,
    #[serde(default)]
    pub crate_types: Vec<String>,
}

impl Target {
    pub fn is_test(&self) -> bool {
        self.kind.iter().any(|k| k == "test")
    }
}

/// A crate that `cargo xtask wasm` builds to `artifacts/<artifact>.wasm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasmCrate {
    pub package: String,
    /// File stem cargo writes: the lib target name with `-` turned into `_`.
    pub lib_name: String,
    /// File stem in `artifacts/`.
    pub artifact: String,
}

/// Folders (relative to the workspace root) whose cdylib crates are contracts.
pub const WASM_CRATE_DIRS: &[&str] = &["contracts/", "tests/fixtures/"];

impl Workspace {
    /// Runs `cargo metadata` for the workspace that holds this xtask crate.
    pub fn load() -> Result<Workspace> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let manifest = workspace_manifest();
        let out = Command::new(cargo)
            .args(["metadata", "--no-deps", "--format-version", "1", "--manifest-path"])
            .arg(&manifest)
            .stderr(Stdio::inherit())
            .output()
            .context("could not run `cargo metadata`; is cargo on PATH?")?;
        if !out.status.success() {
            bail!(
                "`cargo metadata` failed ({}); fix the manifest error above (see {})",
                out.status,
                manifest.display()
            );
        }
        Workspace::from_json(&out.stdout)
    }

    pub fn from_json(json: &[u8]) -> Result<Workspace> {
        serde_json::from_slice(json).context("could not parse `cargo metadata` output")
    }

    /// `[workspace.package] rust-version` of the workspace's Cargo.toml, the MSRV every crate inherits.
    pub fn workspace_rust_version(&self) -> Result<Option<String>> {
        let path = self.workspace_root.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
        let doc: toml_edit::DocumentMut =
            text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
        Ok(doc
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get("rust-version"))
            .and_then(|v| v.as_str())
            .map(str::to_string))
    }

    pub fn members(&self) -> impl Iterator<Item = &Package> {
        self.packages.iter().filter(|p| self.workspace_members.contains(&p.id))
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.members().find(|p| p.name == name)
    }

    pub fn artifacts_dir(&self) -> PathBuf {
        self.workspace_root.join("artifacts")
    }

    /// Workspace packages under [`WASM_CRATE_DIRS`] with a `cdylib` lib target, sorted by artifact.
    pub fn wasm_crates(&self) -> Result<Vec<WasmCrate>> {
        let mut by_artifact: BTreeMap<String, WasmCrate> = BTreeMap::new();
        for pkg in self.members() {
            let rel = pkg.manifest_path.strip_prefix(&self.workspace_root).unwrap_or(&pkg.manifest_path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !WASM_CRATE_DIRS.iter().any(|dir| rel.starts_with(dir)) {
                continue;
            }
            let Some(lib) = pkg.targets.iter().find(|t| t.crate_types.iter().any(|c| c == "cdylib")) else {
                continue;
            };
            let lib_name = lib.name.replace('-', "_");
            let artifact = match pkg.metadata.as_ref().and_then(|m| m.get("resource")).and_then(|r| r.get("artifact")) {
                None => lib_name.clone(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => bail!(
                    "{}: [package.metadata.resource] artifact must be a string, found {other}",
                    pkg.manifest_path.display()
                ),
            };
            check_artifact_name(&artifact)
                .with_context(|| format!("{}: bad artifact name", pkg.manifest_path.display()))?;
            let krate = WasmCrate { package: pkg.name.clone(), lib_name, artifact: artifact.clone() };
            if let Some(prev) = by_artifact.insert(artifact.clone(), krate) {
                bail!(
                    "packages `{}` and `{}` both build artifacts/{artifact}.wasm; give one of them another \
                     `[package.metadata.resource] artifact = \"...\"`",
                    prev.package,
                    pkg.name
                );
            }
        }
        Ok(by_artifact.into_values().collect())
    }
}

/// Artifact names become file names: keep them to `[A-Za-z0-9_-]`.
pub fn check_artifact_name(name: &str) -> Result<()> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        bail!("`{name}` is not a valid artifact name: use letters, digits, `_` and `-` only");
    }
    Ok(())
}

/// `<workspace>/Cargo.toml`: xtask lives one level below the workspace root.
fn workspace_manifest() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).join("Cargo.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> &'static str {
        r#"{
          "workspace_root": "/ws",
          "target_directory": "/ws/target",
          "workspace_members": ["a#0.1.0", "fx#0.1.0", "c1#0.1.0", "c2#0.1.0", "xt#0.1.0"],
          "packages": [
            {"name": "resource-cli", "id": "a#0.1.0", "manifest_path": "/ws/packages/resource-cli/Cargo.toml",
             "targets": [{"name": "resource_cli", "kind": ["lib"], "crate_types": ["lib"]},
                         {"name": "cli", "kind": ["test"], "crate_types": ["bin"]}],
             "metadata": null},
            {"name": "cw20-base-fixture", "id": "fx#0.1.0", "manifest_path": "/ws/tests/fixtures/cw20-base/Cargo.toml",
             "targets": [{"name": "cw20_base_fixture", "kind": ["cdylib", "rlib"], "crate_types": ["cdylib", "rlib"]}],
             "metadata": {"resource": {"artifact": "cw20_base"}}},
            {"name": "resource-credit", "id": "c1#0.1.0", "manifest_path": "/ws/contracts/credit/Cargo.toml",
             "targets": [{"name": "resource-credit", "kind": ["cdylib", "rlib"], "crate_types": ["cdylib", "rlib"]}]},
            {"name": "helper", "id": "c2#0.1.0", "manifest_path": "/ws/contracts/helper/Cargo.toml",
             "targets": [{"name": "helper", "kind": ["lib"], "crate_types": ["lib"]}]},
            {"name": "xtask", "id": "xt#0.1.0", "manifest_path": "/ws/xtask/Cargo.toml",
             "targets": [{"name": "xtask", "kind": ["bin"], "crate_types": ["bin"]}]}
          ]
        }"#
    }

    #[test]
    fn discovers_cdylibs_under_contract_dirs() {
        let ws = Workspace::from_json(sample().as_bytes()).unwrap();
        let crates = ws.wasm_crates().unwrap();
        assert_eq!(
            crates,
            vec![
                WasmCrate {
                    package: "cw20-base-fixture".into(),
                    lib_name: "cw20_base_fixture".into(),
                    artifact: "cw20_base".into()
                },
                // No metadata: the lib target name, with `-` as `_` (the file cargo writes).
                WasmCrate {
                    package: "resource-credit".into(),
                    lib_name: "resource_credit".into(),
                    artifact: "resource_credit".into()
                },
            ]
        );
    }

    #[test]
    fn duplicate_artifact_names_are_an_error() {
        let json = sample().replace(r#""artifact": "cw20_base""#, r#""artifact": "resource_credit""#);
        let err = Workspace::from_json(json.as_bytes()).unwrap().wasm_crates().unwrap_err();
        assert!(err.to_string().contains("both build artifacts/resource_credit.wasm"), "{err}");
    }

    #[test]
    fn artifact_names_must_be_file_safe() {
        assert!(check_artifact_name("cw20_base").is_ok());
        assert!(check_artifact_name("a-b_1").is_ok());
        assert!(check_artifact_name("../x").is_err());
        assert!(check_artifact_name("").is_err());
        let json = sample().replace(r#""artifact": "cw20_base""#, r#""artifact": 3"#);
        assert!(Workspace::from_json(json.as_bytes()).unwrap().wasm_crates().is_err());
    }

    #[test]
    fn parses_real_cargo_metadata() {
        // The workspace this crate lives in: at least the cw20-base fixture must be found.
        let ws = Workspace::load().unwrap();
        let crates = ws.wasm_crates().unwrap();
        assert!(crates.iter().any(|c| c.artifact == "cw20_base" && c.package == "cw20-base-fixture"), "{crates:?}");
        assert!(ws.package("xtask").is_some());
    }
}
