//! The `lint` suite: formatting, clippy with `-D warnings` on the host and on the contracts for
//! wasm32, and one minimum supported Rust version for every crate.
//!
//! Each check counts as one test. The MSRV is enforced through clippy's `incompatible_msrv` lint,
//! which reads each crate's `rust-version`: a crate that does not inherit the workspace's would be
//! checked against no MSRV at all, so the manifests are checked first.

use std::process::Command;

use anyhow::Result;

use crate::metadata::{Package, Workspace};
use crate::suites::{cargo, Tally};
use crate::{proc, tools, wasm};

/// Folder (under the target directory) of the wasm32 clippy run, apart from the wasm build's own so
/// that neither invalidates the other.
const WASM_CLIPPY_DIR: &str = "wasm-clippy";

/// Debian ships clippy for its rustc-web toolchain separately.
const DEBIAN_CLIPPY_PACKAGE: &str = "rust-web-clippy";

/// A check: `None` when it passes, else why it failed and what to do.
type Check = fn(&Workspace) -> Result<Option<String>>;

pub fn suite(ws: &Workspace) -> Result<Tally> {
    let mut tally = Tally::default();
    let checks: [(&str, Check); 4] = [
        ("every crate inherits the workspace rust-version", rust_versions),
        ("cargo fmt --check", fmt),
        ("clippy -D warnings (host, all targets)", clippy_host),
        ("clippy -D warnings (contracts, wasm32)", clippy_wasm),
    ];
    for (name, check) in checks {
        if proc::interrupted().is_some() {
            break;
        }
        println!("xtask test: lint: {name}");
        match check(ws)? {
            None => tally.passed += 1,
            Some(why) => tally.add(Tally::failure(format!("lint: {name}: {why}"))),
        }
    }
    Ok(tally)
}

/// The workspace members whose `rust-version` differs from `expected` (or is missing).
pub fn msrv_mismatches<'a>(members: impl Iterator<Item = &'a Package>, expected: &str) -> Vec<String> {
    members
        .filter(|p| p.rust_version.as_deref() != Some(expected))
        .map(|p| match &p.rust_version {
            Some(v) => format!("{} declares {v}", p.name),
            None => format!("{} declares none", p.name),
        })
        .collect()
}

fn rust_versions(ws: &Workspace) -> Result<Option<String>> {
    let Some(expected) = ws.workspace_rust_version()? else {
        return Ok(Some("the workspace's Cargo.toml has no [workspace.package] rust-version".into()));
    };
    let wrong = msrv_mismatches(ws.members(), &expected);
    Ok((!wrong.is_empty()).then(|| {
        format!(
            "{} (the workspace's is {expected}); add `rust-version.workspace = true` to their [package]",
            wrong.join(", ")
        )
    }))
}

/// Runs `cmd`, output shown; `None` when it succeeds, else what to do about it.
fn run(mut cmd: Command, fix: &str) -> Result<Option<String>> {
    println!("xtask test: $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    Ok((!status.success()).then(|| format!("failed ({status}); {fix}")))
}

fn fmt(ws: &Workspace) -> Result<Option<String>> {
    let mut cmd = cargo(ws);
    cmd.args(["fmt", "--all", "--check"]);
    run(cmd, "run `cargo fmt --all` and commit the result")
}

fn clippy_host(ws: &Workspace) -> Result<Option<String>> {
    let mut cmd = cargo(ws);
    // incompatible_msrv is on by default; named so that nobody turns it off by accident.
    cmd.args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings", "-D", "clippy::incompatible_msrv"]);
    run(cmd, "fix the warnings above (an `#[allow]` needs a reason in a comment)")
}

fn clippy_wasm(ws: &Workspace) -> Result<Option<String>> {
    let toolchain = tools::wasm_toolchain()?;
    if toolchain.builds_std() {
        tools::ensure_debian_packages(&[DEBIAN_CLIPPY_PACKAGE], "clippy of the contracts for wasm32")?;
    }
    let contracts: Vec<String> = ws
        .wasm_crates()?
        .into_iter()
        .filter(|c| {
            ws.package(&c.package).is_some_and(|p| p.manifest_path.starts_with(ws.workspace_root.join("contracts")))
        })
        .map(|c| c.package)
        .collect();
    if contracts.is_empty() {
        return Ok(Some("no contract crates found under contracts/".into()));
    }
    let mut cmd = toolchain.cargo();
    cmd.current_dir(&ws.workspace_root)
        .args(["clippy", "--lib", "--target", tools::WASM_TARGET])
        .env("CARGO_TARGET_DIR", ws.target_directory.join(WASM_CLIPPY_DIR))
        .env("CARGO_ENCODED_RUSTFLAGS", wasm::encoded_rustflags());
    if toolchain.builds_std() {
        cmd.arg("-Zbuild-std=std,panic_abort").env("RUSTC_BOOTSTRAP", "1");
    }
    for package in &contracts {
        cmd.args(["-p", package]);
    }
    cmd.args(["--", "-D", "warnings"]);
    run(cmd, "fix the warnings above; they show only in the contracts' wasm32 build")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, rust_version: Option<&str>) -> Package {
        Package {
            name: name.into(),
            id: name.into(),
            manifest_path: format!("/ws/{name}/Cargo.toml").into(),
            targets: vec![],
            metadata: None,
            rust_version: rust_version.map(str::to_string),
        }
    }

    #[test]
    fn a_crate_without_the_workspace_msrv_is_named() {
        let ok = [package("a", Some("1.85")), package("b", Some("1.85"))];
        assert!(msrv_mismatches(ok.iter(), "1.85").is_empty());
        let bad = [package("a", Some("1.85")), package("b", None), package("c", Some("1.90"))];
        assert_eq!(msrv_mismatches(bad.iter(), "1.85"), ["b declares none", "c declares 1.90"]);
    }
}
