//! `cargo xtask test`: every test suite of the project, from one table.
//!
//! A suite owns the cargo integration test targets (`package`, `[[test]]` name) it runs; `unit`
//! runs every lib, bin and doc test in the workspace plus the integration test targets that no
//! suite owns, so no test runs twice and none is forgotten. A new suite is one more [`SUITES`]
//! row: `Runner::Targets` when `cargo test` of its targets is all it takes, `Runner::Custom` when it
//! needs setup (a devnet, a relayer, a browser).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::metadata::Workspace;
use crate::proc;
use crate::{devnet, schema, tools, ts, wasm};

#[derive(Debug)]
pub struct Suite {
    pub name: &'static str,
    pub about: &'static str,
    /// Integration test targets this suite runs, as (package, test target).
    pub owns: &'static [(&'static str, &'static str)],
    pub runner: Runner,
}

#[derive(Debug)]
pub enum Runner {
    /// `cargo test -p <package> --test <target>` for each owned target.
    Targets,
    /// Setup, then usually [`run_targets`].
    Custom(fn(&mut Ctx) -> Result<Tally>),
}

pub const SUITES: &[Suite] = &[
    Suite {
        name: "lint",
        about: "cargo fmt --check, clippy -D warnings (host, all targets; contracts for wasm32), one rust-version for all",
        owns: &[],
        runner: Runner::Custom(lint),
    },
    Suite {
        name: "unit",
        about: "unit and doc tests of every crate, plus integration tests no other suite owns",
        owns: &[],
        runner: Runner::Custom(unit),
    },
    Suite {
        name: "multitest",
        about: "contract scenarios in cw-multi-test (tests/multitest/)",
        owns: &[("resource-tests", "multitest")],
        runner: Runner::Targets,
    },
    Suite {
        name: "wasm",
        about: "`cargo xtask wasm`: every artifact built and passing cosmwasm-check (one test each)",
        owns: &[],
        runner: Runner::Custom(wasm_suite),
    },
    Suite {
        name: "chain",
        about: "end to end on a local devnet started by `resource devnet up` (tests/chain/)",
        owns: &[("resource-tests", "chain")],
        runner: Runner::Custom(chain),
    },
    Suite {
        name: "cli",
        about: "the `resource` binary run as a user would (packages/resource-cli/tests/cli.rs)",
        owns: &[("resource-cli", "cli")],
        runner: Runner::Custom(cli),
    },
    Suite {
        name: "interface",
        about: "schema/ and ts-bindings/src match the code, ts-bindings type-check (tsc), its clients on a devnet (node --test)",
        owns: &[],
        runner: Runner::Custom(interface),
    },
    Suite {
        name: "ibc",
        about: "the meta-bridge over real IBC: two devnet chains and the Hermes relayer (tests/ibc/)",
        owns: &[("resource-tests", "ibc")],
        runner: Runner::Custom(ibc),
    },
    Suite {
        name: "browser",
        about: "the wasm SDK: its exports against Rust's answers in Node (node --test) and in headless Chromium (playwright-core)",
        owns: &[],
        runner: Runner::Custom(browser),
    },
];

/// Passed / failed / ignored tests of one suite, plus notes for the summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    pub notes: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
        self.notes.extend(other.notes);
    }

    /// One failure that is not a test's own (compile error, missing target, setup).
    pub fn failure(note: impl Into<String>) -> Tally {
        Tally { failed: 1, notes: vec![note.into()], ..Tally::default() }
    }
}

/// Shared state of one `cargo xtask test` run.
pub struct Ctx {
    pub ws: Workspace,
    /// Result of the wasm pipeline if it already ran in this run (the chain suite reuses it).
    pub wasm: Option<Vec<wasm::ArtifactReport>>,
}

/// Parses a libtest summary line: `test result: ok. 3 passed; 0 failed; 1 ignored; ...`.
pub fn parse_test_result(line: &str) -> Option<Tally> {
    let rest = &line[line.find("test result: ")? + "test result: ".len()..];
    let (_, counts) = rest.split_once(". ")?;
    let mut tally = Tally::default();
    let mut seen = false;
    for part in counts.split(';') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "passed" => {
                tally.passed = n;
                seen = true;
            }
            "failed" => tally.failed = n,
            "ignored" => tally.ignored = n,
            _ => {}
        }
    }
    seen.then_some(tally)
}

/// Runs a cargo test command, streaming its output and summing its libtest summaries. A command
/// that fails without any failed test in its output (compile error, crash) counts as one failure.
pub fn run_cargo_tests(cmd: &mut Command, label: &str) -> Result<Tally> {
    println!("xtask test: $ {}", proc::describe(cmd));
    let mut tally = Tally::default();
    let mut results = 0;
    let ran = proc::run_streaming(cmd, proc::FORWARD, |line| {
        if let Some(t) = parse_test_result(line) {
            results += 1;
            tally.add(t);
        }
    })?;
    if let Some(sig) = proc::interrupted() {
        tally.notes.push(format!("{label}: interrupted by {}", proc::signal_name(sig)));
    } else if !ran.status.success() && tally.failed == 0 {
        let why = if results == 0 { "failed before any test ran (see the cargo errors above)" } else { "failed" };
        tally.failed += 1;
        tally.notes.push(format!("{label}: {why} ({})", ran.status));
    }
    Ok(tally)
}

pub fn cargo(ws: &Workspace) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(&ws.workspace_root);
    cmd
}

/// `cargo test -p <package> --test <target>` for each target a suite owns, each checked to exist.
pub fn run_targets(ctx: &Ctx, owns: &[(&str, &str)], env: &[(&str, PathBuf)], test_args: &[&str]) -> Result<Tally> {
    let mut tally = Tally::default();
    for (package, target) in owns {
        if proc::interrupted().is_some() {
            break;
        }
        let label = format!("{package} --test {target}");
        let Some(pkg) = ctx.ws.package(package) else {
            tally.add(Tally::failure(format!("{label}: package `{package}` is not in the workspace")));
            continue;
        };
        if !pkg.targets.iter().any(|t| t.is_test() && t.name == *target) {
            let dir = pkg.manifest_path.parent().map(|p| p.display().to_string()).unwrap_or_default();
            tally.add(Tally::failure(format!(
                "{label}: test target `{target}` does not exist yet (expected {dir}/tests/{target}.rs or {dir}/tests/{target}/main.rs)"
            )));
            println!("xtask test: {}", tally.notes.last().unwrap());
            continue;
        }
        let mut cmd = cargo(&ctx.ws);
        cmd.args(["test", "--no-fail-fast", "-p", package, "--test", target]);
        if !test_args.is_empty() {
            cmd.arg("--").args(test_args);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        tally.add(run_cargo_tests(&mut cmd, &label)?);
    }
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// unit

/// The cargo argument lists of the unit suite: lib + bin unit tests and unowned integration tests
/// of every workspace crate, then doc tests. An unowned target whose name some suite owns in another
/// package gets its own `-p` run (`--test NAME` matches that name in every package).
pub fn unit_commands(ws: &Workspace, owned: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let owned_names: BTreeSet<&str> = owned.iter().map(|(_, t)| t.as_str()).collect();
    let mut shared: BTreeSet<String> = BTreeSet::new();
    let mut separate: Vec<(String, String)> = Vec::new();
    for pkg in ws.members() {
        for t in pkg.targets.iter().filter(|t| t.is_test()) {
            if owned.contains(&(pkg.name.clone(), t.name.clone())) {
                continue;
            }
            if owned_names.contains(t.name.as_str()) {
                separate.push((pkg.name.clone(), t.name.clone()));
            } else {
                shared.insert(t.name.clone());
            }
        }
    }
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let mut main = s(&["test", "--workspace", "--no-fail-fast", "--lib", "--bins"]);
    for name in shared {
        main.push("--test".into());
        main.push(name);
    }
    let mut cmds = vec![main];
    for (pkg, target) in separate {
        cmds.push(s(&["test", "--no-fail-fast", "-p", &pkg, "--test", &target]));
    }
    cmds.push(s(&["test", "--workspace", "--no-fail-fast", "--doc"]));
    cmds
}

fn all_owned() -> BTreeSet<(String, String)> {
    SUITES.iter().flat_map(|s| s.owns.iter().map(|(p, t)| (p.to_string(), t.to_string()))).collect()
}

fn unit(ctx: &mut Ctx) -> Result<Tally> {
    let mut tally = Tally::default();
    for args in unit_commands(&ctx.ws, &all_owned()) {
        if proc::interrupted().is_some() {
            break;
        }
        let label = if args.iter().any(|a| a == "--doc") { "doc tests" } else { "unit tests" };
        let mut cmd = cargo(&ctx.ws);
        cmd.args(&args);
        tally.add(run_cargo_tests(&mut cmd, label)?);
    }
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// lint

fn lint(ctx: &mut Ctx) -> Result<Tally> {
    crate::lint::suite(&ctx.ws)
}

// ---------------------------------------------------------------------------------------------
// wasm

fn wasm_tally(reports: &[wasm::ArtifactReport]) -> Tally {
    let mut tally = Tally::default();
    for r in reports {
        match &r.result {
            Ok(()) => tally.passed += 1,
            Err(e) => {
                tally.failed += 1;
                tally.notes.push(format!("{}.wasm: {}", r.artifact, e.lines().next().unwrap_or("")));
            }
        }
    }
    tally
}

fn wasm_suite(ctx: &mut Ctx) -> Result<Tally> {
    let reports = wasm::pipeline(&ctx.ws, None)?;
    let tally = wasm_tally(&reports);
    ctx.wasm = Some(reports);
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// chain

fn chain(ctx: &mut Ctx) -> Result<Tally> {
    let home = ctx.ws.target_directory.join("devnet-test");
    let guard = match devnet::start(&ctx.ws, &mut ctx.wasm, &home, 0, 1, "xtask test")? {
        Ok(guard) => guard,
        Err(why) => return Ok(Tally::failure(format!("{why}: chain tests not run"))),
    };
    // The tests, one at a time (they share the chain's accounts).
    let env = [
        ("RESOURCE_DEVNET_HOME", home.clone()),
        ("RESOURCE_ARTIFACTS", ctx.ws.artifacts_dir()),
        ("RESOURCE_CLI", guard.bin.clone()),
    ];
    let suite = SUITES.iter().find(|s| s.name == "chain").context("chain suite row")?;
    let tally = run_targets(ctx, suite.owns, &env, &["--test-threads=1"]);
    drop(guard); // devnet down, whatever happened above
    tally
}

// ---------------------------------------------------------------------------------------------
// cli

/// The CLI tests, with Hermes installed: the demo on a two-chain devnet relays its meta-network
/// payment with it (`RESOURCE_HERMES`).
fn cli(ctx: &mut Ctx) -> Result<Tally> {
    let mut tally = Tally::default();
    let mut env = Vec::new();
    match tools::hermes() {
        Ok(path) => env.push(("RESOURCE_HERMES", path)),
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("{e:#}: the demo's meta-network step cannot run on the devnet")));
        }
    }
    // The demo's HTML report is rendered in headless Chromium (playwright-core from sdk-wasm/).
    match crate::sdk::ensure_npm_packages(&ctx.ws).and_then(|()| tools::chromium()) {
        Ok(path) => env.push(("RESOURCE_CHROMIUM", path)),
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("{e:#}: the demo report cannot be rendered in Chromium")));
        }
    }
    let suite = SUITES.iter().find(|s| s.name == "cli").context("cli suite row")?;
    tally.add(run_targets(ctx, suite.owns, &env, &[])?);
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// ibc

/// Port offset of the ibc suite's two chains: RPC 28407 and 29407, gRPC 11650 and 11660, REST 12087
/// and 12187, pprof 7810 and 7811 (no other suite or benchmark uses these).
pub const IBC_DEVNET_PORT_OFFSET: u16 = 1750;

fn ibc(ctx: &mut Ctx) -> Result<Tally> {
    let hermes = match tools::hermes() {
        Ok(path) => path,
        Err(e) => {
            proc::bail_if_interrupted()?;
            return Ok(Tally::failure(format!("{e:#}: ibc tests not run")));
        }
    };
    let home = ctx.ws.target_directory.join("devnet-ibc");
    let guard = match devnet::start(&ctx.ws, &mut ctx.wasm, &home, IBC_DEVNET_PORT_OFFSET, 2, "xtask test")? {
        Ok(guard) => guard,
        Err(why) => return Ok(Tally::failure(format!("{why}: ibc tests not run"))),
    };
    let env = [
        ("RESOURCE_DEVNET_HOME", home.clone()),
        ("RESOURCE_ARTIFACTS", ctx.ws.artifacts_dir()),
        ("RESOURCE_CLI", guard.bin.clone()),
        ("RESOURCE_HERMES", hermes),
    ];
    let suite = SUITES.iter().find(|s| s.name == "ibc").context("ibc suite row")?;
    let tally = run_targets(ctx, suite.owns, &env, &["--test-threads=1"]);
    drop(guard);
    tally
}

// ---------------------------------------------------------------------------------------------
// interface

/// Port offset of the interface suite's devnet: chain RPC 27557, gRPC 10800, REST 11237, pprof 6960.
/// Others in use: 0 (chain suite), 200, 300 (two chains: +1000 / +10 / +100), 600, 700, 850, 1100
/// (cli tests), 500 (gas benchmark), 1750 (ibc suite, two chains), 2050 (bridge bench).
pub const INTERFACE_DEVNET_PORT_OFFSET: u16 = 900;

const REGENERATE: &str = "run `cargo xtask schema` and commit schema/ and ts-bindings/";

/// The schema drift check as tests: one per contract, plus one per committed schema no contract makes.
pub fn schema_tally(diffs: &[crate::drift::Difference]) -> Tally {
    let mut tally = Tally::default();
    for contract in schema::CONTRACTS {
        let file = contract.file_name();
        match diffs.iter().find(|d| d.path() == std::path::Path::new(&file)) {
            None => tally.passed += 1,
            Some(d) => tally.add(Tally::failure(format!("schema/{d}; {REGENERATE}"))),
        }
    }
    for d in diffs.iter().filter(|d| matches!(d, crate::drift::Difference::Extra(_))) {
        tally.add(Tally::failure(format!("schema/{d}; {REGENERATE} (it removes the file)")));
    }
    tally
}

fn interface(ctx: &mut Ctx) -> Result<Tally> {
    let scratch = ctx.ws.target_directory.join("xtask-interface");
    let mut tally = Tally::default();
    let started = Instant::now();
    let step = |name: &str| println!("xtask test: interface ({:.1}s): {name}", started.elapsed().as_secs_f64());

    step("schema/ against the schemas the message types generate");
    match schema::check(&ts::schema_dir(&ctx.ws), &scratch.join("schema")) {
        Ok(diffs) => tally.add(schema_tally(&diffs)),
        Err(e) => tally.add(Tally::failure(format!("generating the schemas failed: {e:#}"))),
    }

    step("npm packages of ts-bindings/");
    if let Err(e) = ts::ensure_npm_packages(&ctx.ws) {
        proc::bail_if_interrupted()?;
        tally.add(Tally::failure(format!("{e:#}; the TypeScript checks did not run")));
        return Ok(tally);
    }

    step("ts-bindings/src against what ts-codegen generates from schema/");
    match ts::check(&ctx.ws, &scratch.join("ts-src")) {
        Ok(diffs) if diffs.is_empty() => tally.passed += 1,
        Ok(diffs) => {
            let mut note = diffs.iter().take(5).map(|d| format!("ts-bindings/src/{d}")).collect::<Vec<_>>().join("; ");
            if diffs.len() > 5 {
                note.push_str(&format!("; and {} more", diffs.len() - 5));
            }
            tally.add(Tally::failure(format!("{note}; {REGENERATE}")));
        }
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("{e:#}")));
        }
    }

    step("tsc --noEmit");
    match ts::typecheck(&ctx.ws) {
        Ok(()) => tally.passed += 1,
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("ts-bindings: {e:#}")));
        }
    }

    step("tsc into ts-bindings/dist for node --test");
    if let Err(e) = ts::build(&ctx.ws) {
        proc::bail_if_interrupted()?;
        tally.add(Tally::failure(format!("{e:#}; node tests not run")));
        return Ok(tally);
    }
    step("a devnet of its own (artifacts, the resource CLI, devnet up)");
    let home = ctx.ws.target_directory.join("devnet-interface");
    let guard = match devnet::start(&ctx.ws, &mut ctx.wasm, &home, INTERFACE_DEVNET_PORT_OFFSET, 1, "xtask test")? {
        Ok(guard) => guard,
        Err(why) => {
            tally.add(Tally::failure(format!("{why}: node tests not run")));
            return Ok(tally);
        }
    };
    let env = [
        ("RESOURCE_DEVNET_HOME", home.clone()),
        ("RESOURCE_ARTIFACTS", ctx.ws.artifacts_dir()),
        ("RESOURCE_CLI", guard.bin.clone()),
    ];
    step("node --test: the generated clients on the devnet");
    let node = ts::node_tests(&ctx.ws, &env);
    drop(guard); // devnet down, whatever happened above
    step("done");
    tally.add(node?);
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// browser

fn browser(ctx: &mut Ctx) -> Result<Tally> {
    crate::sdk::suite(&ctx.ws, &mut ctx.wasm)
}

// ---------------------------------------------------------------------------------------------
// The command

pub fn print_list() {
    for s in SUITES {
        println!("{:<10} {}", s.name, s.about);
    }
}

fn find_suite(name: &str) -> Result<&'static Suite> {
    SUITES.iter().find(|s| s.name == name).with_context(|| {
        let names: Vec<_> = SUITES.iter().map(|s| s.name).collect();
        format!("unknown suite `{name}`; suites are: {}", names.join(", "))
    })
}

/// Chooses the suites to run; asking for a suite without tests is an error.
pub fn select(names: &[String]) -> Result<Vec<&'static Suite>> {
    if names.is_empty() {
        return Ok(SUITES.iter().collect());
    }
    let mut chosen: Vec<&'static Suite> = Vec::new();
    for name in names {
        let suite = find_suite(name)?;
        if !chosen.iter().any(|s| s.name == suite.name) {
            chosen.push(suite);
        }
    }
    // Table order, whatever the order on the command line.
    chosen.sort_by_key(|s| SUITES.iter().position(|t| t.name == s.name));
    Ok(chosen)
}

pub struct Row {
    pub name: &'static str,
    /// `None`: not yet present.
    pub tally: Option<Tally>,
    pub elapsed: Duration,
}

pub fn format_summary(rows: &[Row], interrupted: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n{:<10} {:>7} {:>7} {:>8} {:>9}", "suite", "passed", "failed", "ignored", "time");
    let (mut passed, mut failed) = (0, 0);
    for row in rows {
        match &row.tally {
            Some(t) => {
                passed += t.passed;
                failed += t.failed;
                let _ = writeln!(
                    s,
                    "{:<10} {:>7} {:>7} {:>8} {:>8.1}s",
                    row.name,
                    t.passed,
                    t.failed,
                    t.ignored,
                    row.elapsed.as_secs_f64()
                );
                for note in &t.notes {
                    let _ = writeln!(s, "           ! {note}");
                }
            }
            None => {
                let _ = writeln!(s, "{:<10} not yet present", row.name);
            }
        }
    }
    if let Some(why) = interrupted {
        let _ = writeln!(s, "interrupted ({why}): the remaining suites did not run");
    }
    let _ = writeln!(s, "{passed} passed, {failed} failed");
    s
}

pub fn command(names: &[String]) -> Result<ExitCode> {
    let suites = select(names)?;
    proc::install_signal_handlers();
    let mut ctx = Ctx { ws: Workspace::load()?, wasm: None };
    let mut rows = Vec::new();
    for suite in suites {
        if proc::interrupted().is_some() {
            break;
        }
        let started = Instant::now();
        let tally = match suite.runner {
            Runner::Targets | Runner::Custom(_) => {
                println!("\n==== suite {}: {}", suite.name, suite.about);
                let result = match suite.runner {
                    Runner::Custom(run) => run(&mut ctx),
                    _ => run_targets(&ctx, suite.owns, &[], &[]),
                };
                let tally = result.unwrap_or_else(|e| match proc::interrupted() {
                    // Stopped on request: a note, not a test failure (the exit code says it).
                    Some(_) => Tally { notes: vec![format!("{e:#}")], ..Tally::default() },
                    None => Tally::failure(format!("{e:#}")),
                });
                println!(
                    "==== suite {}: {} passed, {} failed ({:.1}s)",
                    suite.name,
                    tally.passed,
                    tally.failed,
                    started.elapsed().as_secs_f64()
                );
                Some(tally)
            }
        };
        rows.push(Row { name: suite.name, tally, elapsed: started.elapsed() });
    }
    let interrupted = proc::interrupted();
    print!("{}", format_summary(&rows, interrupted.map(proc::signal_name)));
    let failed = rows.iter().filter_map(|r| r.tally.as_ref()).any(|t| t.failed > 0);
    Ok(match interrupted {
        Some(sig) => ExitCode::from(128u8.saturating_add(sig as u8)),
        None if failed => ExitCode::FAILURE,
        None => ExitCode::SUCCESS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_summaries() {
        let t = parse_test_result(
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s",
        )
        .unwrap();
        assert_eq!((t.passed, t.failed, t.ignored), (3, 0, 1));
        let t = parse_test_result(
            "test result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 5 filtered out; finished in 1.25s",
        )
        .unwrap();
        assert_eq!((t.passed, t.failed, t.ignored), (10, 2, 0));
        // Doc tests: same format; leading whitespace tolerated.
        assert_eq!(
            parse_test_result("  test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured").unwrap().passed,
            0
        );
        assert_eq!(parse_test_result("test foo ... ok"), None);
        assert_eq!(parse_test_result("running 3 tests"), None);
        assert_eq!(parse_test_result("test result: garbage"), None);
    }

    #[test]
    fn failing_command_without_results_counts_once() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 101"]); // like a compile error: no test summary at all
        let t = run_cargo_tests(&mut cmd, "x").unwrap();
        assert_eq!((t.passed, t.failed), (0, 1));
        assert!(t.notes[0].contains("failed before any test ran"), "{:?}", t.notes);

        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "echo 'test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out'; \
             echo 'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out'; exit 101",
        ]);
        let t = run_cargo_tests(&mut cmd, "x").unwrap();
        assert_eq!((t.passed, t.failed), (3, 1));
    }

    #[test]
    fn suite_table_is_consistent() {
        let names: Vec<_> = SUITES.iter().map(|s| s.name).collect();
        assert_eq!(names, ["lint", "unit", "multitest", "wasm", "chain", "cli", "interface", "ibc", "browser"]);
        // No integration target is owned twice.
        let owned: Vec<_> = SUITES.iter().flat_map(|s| s.owns.iter()).collect();
        let unique: BTreeSet<_> = owned.iter().collect();
        assert_eq!(owned.len(), unique.len());
        for s in SUITES {
            if matches!(s.runner, Runner::Targets) {
                assert!(!s.owns.is_empty(), "{} runs targets but owns none", s.name);
            }
        }
    }

    #[test]
    fn selecting_suites() {
        assert_eq!(select(&[]).unwrap().len(), SUITES.len());
        let chosen = select(&["wasm".into(), "unit".into(), "wasm".into()]).unwrap();
        assert_eq!(chosen.iter().map(|s| s.name).collect::<Vec<_>>(), ["unit", "wasm"]);
        let err = select(&["nope".into()]).unwrap_err().to_string();
        assert!(err.contains("suites are: lint, unit, multitest, wasm, chain, cli, interface, ibc, browser"), "{err}");
    }

    #[test]
    fn unit_runs_everything_no_other_suite_owns() {
        let json = r#"{
          "workspace_root": "/ws", "target_directory": "/ws/target",
          "workspace_members": ["cli", "tests", "client"],
          "packages": [
            {"name": "resource-cli", "id": "cli", "manifest_path": "/ws/packages/resource-cli/Cargo.toml",
             "targets": [{"name": "resource_cli", "kind": ["lib"], "crate_types": ["lib"]},
                         {"name": "cli", "kind": ["test"], "crate_types": ["bin"]},
                         {"name": "config", "kind": ["test"], "crate_types": ["bin"]}]},
            {"name": "resource-tests", "id": "tests", "manifest_path": "/ws/tests/Cargo.toml",
             "targets": [{"name": "multitest", "kind": ["test"], "crate_types": ["bin"]},
                         {"name": "chain", "kind": ["test"], "crate_types": ["bin"]}]},
            {"name": "resource-client", "id": "client", "manifest_path": "/ws/packages/resource-client/Cargo.toml",
             "targets": [{"name": "chain", "kind": ["test"], "crate_types": ["bin"]}]}
          ]}"#;
        let ws = Workspace::from_json(json.as_bytes()).unwrap();
        let cmds = unit_commands(&ws, &all_owned());
        let joined: Vec<String> = cmds.iter().map(|c| c.join(" ")).collect();
        assert_eq!(
            joined,
            [
                "test --workspace --no-fail-fast --lib --bins --test config",
                // resource-client's own `chain` test: not the chain suite's, run by package.
                "test --no-fail-fast -p resource-client --test chain",
                "test --workspace --no-fail-fast --doc",
            ]
        );
    }

    #[test]
    fn a_missing_test_target_is_one_clear_failure() {
        let json = r#"{
          "workspace_root": "/ws", "target_directory": "/ws/target", "workspace_members": ["t"],
          "packages": [{"name": "resource-tests", "id": "t", "manifest_path": "/ws/tests/Cargo.toml",
                        "targets": [{"name": "resource_tests", "kind": ["lib"], "crate_types": ["lib"]}]}]}"#;
        let ctx = Ctx { ws: Workspace::from_json(json.as_bytes()).unwrap(), wasm: None };
        let t = run_targets(&ctx, &[("resource-tests", "multitest"), ("nope", "x")], &[], &[]).unwrap();
        assert_eq!((t.passed, t.failed), (0, 2));
        assert!(t.notes[0].contains("does not exist yet (expected /ws/tests/tests/multitest.rs or"), "{:?}", t.notes);
        assert!(t.notes[1].contains("package `nope` is not in the workspace"), "{:?}", t.notes);
    }

    #[test]
    fn schema_drift_fails_per_file_and_says_what_to_run() {
        use crate::drift::Difference;
        let contracts = schema::CONTRACTS.len() as u64;
        let crates = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().join("Cargo.toml").is_file())
            .count() as u64;
        assert_eq!(contracts, crates, "every contract crate has a schema");
        assert_eq!(schema_tally(&[]), Tally { passed: contracts, ..Tally::default() });
        let diffs = [
            Difference::Changed {
                path: "credit_token.json".into(),
                line: 40,
                generated: "\"recipient\": {".into(),
                committed: "\"receiver\": {".into(),
            },
            Difference::Extra("old.json".into()),
        ];
        let t = schema_tally(&diffs);
        assert_eq!((t.passed, t.failed), (contracts - 1, 2));
        assert!(t.notes[0].starts_with("schema/credit_token.json differs"), "{:?}", t.notes);
        assert!(t.notes[0].ends_with("run `cargo xtask schema` and commit schema/ and ts-bindings/"), "{:?}", t.notes);
        assert!(t.notes[1].starts_with("schema/old.json is committed but no longer generated"), "{:?}", t.notes);
    }

    #[test]
    fn the_devnet_port_offsets_of_the_suites_differ() {
        // The chain suite (0), the CLI tests (200, 300 and 850 with two chains, 600, 700, 1100, 1400), the
        // gas bench (500), the interface suite, the ibc suite, the bridge bench and the browser suite
        // (two chains each, at most).
        let offsets = [
            0u16,
            200,
            300,
            500,
            600,
            700,
            850,
            1100,
            1400,
            INTERFACE_DEVNET_PORT_OFFSET,
            IBC_DEVNET_PORT_OFFSET,
            crate::bench::BRIDGE_DEVNET_PORT_OFFSET,
            crate::sdk::SDK_DEVNET_PORT_OFFSET,
        ];
        // No listener (RPC/P2P/ABCI 26656-26658, pprof 6060, REST 10337, gRPC 9900) of one lands on
        // one of another's (each with up to 2 chains: +1000, +1, +100, +10).
        let ports = |offset: u16| -> Vec<u16> {
            (0..2u16)
                .flat_map(|i| {
                    [26656 + 1000 * i, 26657 + 1000 * i, 26658 + 1000 * i, 6060 + i, 10337 + 100 * i, 9900 + 10 * i]
                        .map(|p| p + offset)
                })
                .collect()
        };
        // The CLI tests' offsets are spaced for their own use (one chain where they could collide);
        // the devnets of the suites and benchmarks that xtask starts share no port with any other.
        let xtask_own = [
            INTERFACE_DEVNET_PORT_OFFSET,
            IBC_DEVNET_PORT_OFFSET,
            crate::bench::BRIDGE_DEVNET_PORT_OFFSET,
            crate::sdk::SDK_DEVNET_PORT_OFFSET,
        ];
        for a in xtask_own {
            for b in offsets.iter().filter(|b| **b != a) {
                let theirs = ports(*b);
                assert!(ports(a).iter().all(|p| !theirs.contains(p)), "offsets {a} and {b} share a port");
            }
        }
    }

    #[test]
    fn summary_ends_with_one_total_line() {
        let rows = vec![
            Row {
                name: "unit",
                tally: Some(Tally { passed: 12, failed: 0, ignored: 1, notes: vec![] }),
                elapsed: Duration::from_millis(1500),
            },
            Row { name: "wasm", tally: Some(Tally::failure("cw20_base.wasm: FAIL")), elapsed: Duration::ZERO },
            Row { name: "ibc", tally: None, elapsed: Duration::ZERO },
        ];
        let s = format_summary(&rows, None);
        assert!(s.contains("ibc        not yet present"), "{s}");
        assert!(s.contains("! cw20_base.wasm: FAIL"), "{s}");
        assert_eq!(s.lines().last().unwrap(), "12 passed, 1 failed");
        assert_eq!(s.lines().filter(|l| l.ends_with(" failed") && l.contains(" passed, ")).count(), 1);
    }
}
