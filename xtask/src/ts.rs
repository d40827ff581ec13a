//! `ts-bindings/`: the TypeScript clients generated from `schema/` with `@cosmwasm/ts-codegen`, and
//! the node tools that generate, compile and test them. Every npm package comes from
//! `ts-bindings/package-lock.json`, installed on demand with `npm ci` into `ts-bindings/node_modules`
//! (git-ignored); nothing is installed globally.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::drift::{self, Difference};
use crate::metadata::Workspace;
use crate::proc::{self, Opts};
use crate::suites::Tally;
use crate::{schema, tools};

pub fn ts_dir(ws: &Workspace) -> PathBuf {
    ws.workspace_root.join("ts-bindings")
}

pub fn schema_dir(ws: &Workspace) -> PathBuf {
    ws.workspace_root.join("schema")
}

/// Written into `node_modules` after a successful `npm ci`: the hash of the package files it came from.
const STAMP: &str = ".resource-npm-ci";

fn package_hash(dir: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for file in ["package.json", "package-lock.json"] {
        let path = dir.join(file);
        hasher.update(fs::read(&path).with_context(|| format!("could not read {}", path.display()))?);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// `npm ci` in `ts-bindings/` unless `node_modules` already holds what `package-lock.json` says.
pub fn ensure_npm_packages(ws: &Workspace) -> Result<()> {
    ensure_npm_ci(ws, &ts_dir(ws), "ts-bindings", "the TypeScript bindings (ts-bindings/)")
}

/// `npm ci` in `dir` (a folder of the workspace with a `package.json` and a committed
/// `package-lock.json`) unless its `node_modules` already holds what the lock file says. `name`
/// names the lock file under the target directory; `why` is said when node or npm is missing.
pub fn ensure_npm_ci(ws: &Workspace, dir: &Path, name: &str, why: &str) -> Result<()> {
    tools::ensure_node(why)?;
    let hash = package_hash(dir)?;
    let stamp = dir.join("node_modules").join(STAMP);
    let current = || fs::read_to_string(&stamp).ok().is_some_and(|s| s.trim() == hash);
    if current() {
        return Ok(());
    }
    let shown = dir.strip_prefix(&ws.workspace_root).unwrap_or(dir).display().to_string();
    fs::create_dir_all(&ws.target_directory)?;
    let _lock = tools::lock(&ws.target_directory.join(format!("{name}-npm.lock")), &format!("{shown}/node_modules"))?;
    if current() {
        return Ok(()); // another run installed them while we waited
    }
    let mut cmd = Command::new("npm");
    cmd.current_dir(dir).args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    println!("xtask: installing the npm packages of {shown}/ (package-lock.json): $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        bail!(
            "`npm ci` in {} failed ({status}); check that the npm registry is reachable and that \
             package-lock.json matches package.json (`npm install` there updates it)",
            dir.display()
        );
    }
    fs::write(&stamp, &hash).with_context(|| format!("could not write {}", stamp.display()))?;
    Ok(())
}

/// Runs a node tool in `ts-bindings/`, its output shown; on failure the error quotes stderr's last line.
fn run_node_tool(ws: &Workspace, program: &str, args: &[&str], what: &str) -> Result<()> {
    let mut cmd = Command::new(program);
    cmd.current_dir(ts_dir(ws)).args(args);
    println!("xtask: (in ts-bindings) $ {}", proc::describe(&cmd));
    let mut first_tsc_error: Option<String> = None;
    let ran = proc::run_streaming(&mut cmd, Opts { forward_signals: true, capture_stderr: true }, |line| {
        if first_tsc_error.is_none() && line.contains(": error TS") {
            first_tsc_error = Some(line.trim().to_string());
        }
    })?;
    proc::bail_if_interrupted()?;
    if !ran.status.success() {
        // tsc reports on stdout (quote its first error), node on stderr (quote the last line).
        let last = ran.stderr_tail.iter().rev().find(|l| !l.trim().is_empty()).cloned();
        let why = first_tsc_error.or(last).unwrap_or_else(|| "see its output above".into());
        bail!("{what} failed ({}): {why}", ran.status);
    }
    Ok(())
}

/// `node scripts/codegen.mjs`: the clients of every `schema_dir/*.json` written to `out` (replaced).
pub fn generate(ws: &Workspace, schema_dir: &Path, out: &Path) -> Result<()> {
    let (schema_dir, out) = (schema_dir.to_string_lossy(), out.to_string_lossy());
    run_node_tool(
        ws,
        "node",
        &["scripts/codegen.mjs", "--schema", &schema_dir, "--out", &out],
        "generating the TypeScript clients (ts-bindings/scripts/codegen.mjs)",
    )
}

/// Regenerates the clients from the committed `schema/` into `scratch` and compares them with the
/// committed `ts-bindings/src` (every file).
pub fn check(ws: &Workspace, scratch: &Path) -> Result<Vec<Difference>> {
    generate(ws, &schema_dir(ws), scratch)?;
    drift::compare(scratch, &ts_dir(ws).join("src"), &|_| true)
}

/// `tsc --noEmit`: the generated clients, the package's own code and its tests type-check.
pub fn typecheck(ws: &Workspace) -> Result<()> {
    run_node_tool(ws, "npx", &["--no", "--", "tsc", "--noEmit", "-p", "tsconfig.json"], "`tsc --noEmit`")
}

/// `tsc`: compiles the package and its tests to `ts-bindings/dist` (git-ignored) for `node --test`.
pub fn build(ws: &Workspace) -> Result<()> {
    let dist = ts_dir(ws).join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("could not empty {}", dist.display()))?;
    }
    run_node_tool(ws, "npx", &["--no", "--", "tsc", "-p", "tsconfig.json"], "compiling ts-bindings (`tsc`)")
}

/// Adds one total line of node's test runner (spec reporter `ℹ pass 3`, TAP `# pass 3`) to `tally`;
/// false for any other line.
pub fn parse_node_total(line: &str, tally: &mut Tally) -> bool {
    let rest = line.trim_start();
    let Some(rest) = rest.strip_prefix("ℹ ").or_else(|| rest.strip_prefix("# ")) else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let (Some(what), Some(n), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let Ok(n) = n.parse::<u64>() else { return false };
    match what {
        "pass" => tally.passed += n,
        // Cancelled: never finished (a failed hook, the file crashed, a timeout): not a pass.
        "fail" | "cancelled" => tally.failed += n,
        "skipped" | "todo" => tally.ignored += n,
        _ => return false,
    }
    true
}

/// `node --test` over the compiled tests `ts-bindings/dist/test/*.test.js`, with `env` set.
pub fn node_tests(ws: &Workspace, env: &[(&str, PathBuf)]) -> Result<Tally> {
    // The files by name: node 21 and later read `--test` arguments as globs, not folders.
    let dir = ts_dir(ws).join("dist").join("test");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .with_context(|| format!("could not read {} (is ts-bindings compiled?)", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.js"))
        .map(|name| format!("dist/test/{name}"))
        .collect();
    if files.is_empty() {
        bail!("no *.test.js in {}: ts-bindings/test/*.test.ts did not compile to it", dir.display());
    }
    files.sort();
    let mut cmd = Command::new("node");
    cmd.current_dir(ts_dir(ws)).args(["--test", "--test-reporter=spec"]).args(&files);
    for (k, v) in env {
        cmd.env(k, v);
    }
    println!("xtask: (in ts-bindings) $ {}", proc::describe(&cmd));
    let mut tally = Tally::default();
    let mut totals = false;
    let ran = proc::run_streaming(&mut cmd, proc::FORWARD, |line| totals |= parse_node_total(line, &mut tally))?;
    if let Some(sig) = proc::interrupted() {
        tally.notes.push(format!("node --test: interrupted by {}", proc::signal_name(sig)));
    } else if !ran.status.success() && tally.failed == 0 {
        let why = if totals { "failed" } else { "failed before reporting any test (see its output above)" };
        tally.add(Tally::failure(format!("node --test: {why} ({})", ran.status)));
    } else if tally.failed > 0 {
        tally.notes.push("node --test: see the failing tests above (ts-bindings/test/)".into());
    }
    Ok(tally)
}

/// `cargo xtask schema [--no-ts] [--check]`.
pub fn schema_command(no_ts: bool, check_only: bool) -> Result<ExitCode> {
    let ws = Workspace::load()?;
    let dir = schema_dir(&ws);
    if check_only {
        let scratch = ws.target_directory.join("xtask-schema-check");
        let mut diffs: Vec<String> =
            schema::check(&dir, &scratch.join("schema"))?.iter().map(|d| format!("schema/{d}")).collect();
        if !no_ts {
            ensure_npm_packages(&ws)?;
            diffs.extend(check(&ws, &scratch.join("ts-src"))?.iter().map(|d| format!("ts-bindings/src/{d}")));
        }
        if diffs.is_empty() {
            println!("xtask schema: the committed files are what the code generates");
            return Ok(ExitCode::SUCCESS);
        }
        for d in &diffs {
            eprintln!("xtask schema: {d}");
        }
        eprintln!("xtask schema: run `cargo xtask schema` and commit schema/ and ts-bindings/");
        return Ok(ExitCode::FAILURE);
    }
    for path in schema::write_all(&dir)? {
        println!("xtask schema: wrote {}", path.strip_prefix(&ws.workspace_root).unwrap_or(&path).display());
    }
    if no_ts {
        println!("xtask schema: ts-bindings/ left as it is (--no-ts)");
        return Ok(ExitCode::SUCCESS);
    }
    ensure_npm_packages(&ws)?;
    generate(&ws, &dir, &ts_dir(&ws).join("src"))?;
    println!("xtask schema: regenerated ts-bindings/src; commit schema/ and ts-bindings/ together");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_node_test_totals() {
        let mut t = Tally::default();
        for line in ["ℹ tests 4", "ℹ suites 0", "ℹ pass 3", "ℹ fail 1", "ℹ cancelled 0", "ℹ skipped 0", "# pass 2"]
        {
            parse_node_total(line, &mut t);
        }
        assert_eq!((t.passed, t.failed, t.ignored), (5, 1, 0));
        parse_node_total("ℹ cancelled 2", &mut t);
        assert_eq!(t.failed, 3);
        let mut t = Tally::default();
        assert!(!parse_node_total("✔ transfers (12.3ms)", &mut t));
        assert!(!parse_node_total("ℹ pass the salt please", &mut t));
        assert!(!parse_node_total("# Subtest: pass 3", &mut t));
        assert_eq!(t, Tally::default());
    }
}
