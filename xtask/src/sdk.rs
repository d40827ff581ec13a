//! The wasm SDK (`sdk-wasm/`, crate `resource-sdk-wasm`): its build, the `browser` suite, and the
//! timing helpers the benchmarks call.
//!
//! - [`build`]: one `cargo build -p resource-sdk-wasm` for wasm32 (release profile, the toolchain
//!   [`tools::wasm_toolchain`] picks, like the contracts), then wasm-bindgen of exactly the workspace's
//!   pinned version twice: `--target nodejs` into `sdk-wasm/pkg/node` and `--target web` into
//!   `sdk-wasm/pkg/web` (both git-ignored). `cargo xtask sdk` runs it.
//! - [`suite`]: the `browser` suite. `sdk-fixtures write` (a native program of the same crate) writes
//!   the cases with the answers Rust computes for them; `node --test sdk-wasm/test/node/*.test.mjs`
//!   runs them against the Node package and `node --test sdk-wasm/test/browser/*.test.mjs` in a page
//!   of real headless Chromium (Debian's, driven by playwright-core) that loads the web package from
//!   a static server on 127.0.0.1 (a port the OS picks); `sdk-fixtures check` then checks natively
//!   what the JavaScript runs returned for the cases that need Rust to judge them (proofs).
//! - [`time_in_node`] / [`time_in_browser`]: milliseconds per call of one exported function, the
//!   median of N calls after one warm-up call, in Node or in that Chromium page. Timings never decide
//!   a test: the suite does not call them.
//!
//! Tools: wasm-bindgen-cli in `<cache>/wasm-bindgen-<version>` ([`tools::wasm_bindgen_cli`]),
//! Debian's `chromium` ([`tools::chromium`]) and `playwright-core` from `sdk-wasm/package-lock.json`
//! (`npm ci` into `sdk-wasm/node_modules`, never `npx playwright install`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::metadata::Workspace;
use crate::proc;
use crate::suites::{cargo, Tally};
use crate::tools::{self, WasmToolchain, WASM_TARGET};
use crate::ts;

pub const PACKAGE: &str = "resource-sdk-wasm";
/// The file stem cargo and wasm-bindgen write (`resource_sdk_wasm.js`, `resource_sdk_wasm_bg.wasm`).
pub const LIB_NAME: &str = "resource_sdk_wasm";
/// Folder under the target directory of the SDK's wasm32 build, apart from the contracts' (which
/// build with another opt-level and other flags).
const TARGET_SUBDIR: &str = "sdk-wasm";
/// The SDK is no contract: no `--allow-undefined` (the contracts need it for cosmwasm-std's host
/// imports). wasm-bindgen declares every import it makes, so without it an undefined symbol is a
/// link error instead of an `env` import that would fail only when the module is instantiated.
/// No `target-cpu=mvp` either: browsers and Node run bulk-memory and reference types.
const RUSTFLAGS: &[&str] = &[];

pub fn sdk_dir(ws: &Workspace) -> PathBuf {
    ws.workspace_root.join("sdk-wasm")
}

/// The two packages wasm-bindgen makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `--target nodejs`: CommonJS, loads the wasm synchronously with `fs`.
    Node,
    /// `--target web`: an ES module whose default export fetches and instantiates the wasm.
    Web,
}

impl Target {
    pub fn bindgen_flag(self) -> &'static str {
        match self {
            Target::Node => "nodejs",
            Target::Web => "web",
        }
    }

    pub fn dir_name(self) -> &'static str {
        match self {
            Target::Node => "node",
            Target::Web => "web",
        }
    }
}

/// `sdk-wasm/pkg/node` or `sdk-wasm/pkg/web`.
pub fn pkg_dir(ws: &Workspace, target: Target) -> PathBuf {
    sdk_dir(ws).join("pkg").join(target.dir_name())
}

/// What [`build`] made.
#[derive(Debug, Clone)]
pub struct Built {
    pub node_dir: PathBuf,
    pub web_dir: PathBuf,
    /// Bytes of the wasm rustc wrote.
    pub raw_size: u64,
    /// Bytes of `pkg/web/resource_sdk_wasm_bg.wasm` (what a browser downloads).
    pub wasm_size: u64,
    pub seconds: f64,
}

/// Builds the SDK for wasm32 and runs wasm-bindgen for Node and for the web (see the module docs).
pub fn build(ws: &Workspace) -> Result<Built> {
    let started = Instant::now();
    let toolchain = tools::wasm_toolchain()?;
    let version = tools::wasm_bindgen_version(&ws.workspace_root.join("Cargo.toml"))?;
    let cli = tools::wasm_bindgen_cli(&version)?;
    proc::bail_if_interrupted()?;
    println!("xtask sdk: toolchain: {}; wasm-bindgen {version}", toolchain.describe());
    let raw = cargo_build(ws, toolchain)?;
    let raw_size = fs::metadata(&raw)?.len();
    let version = workspace_version(ws)?;
    for target in [Target::Node, Target::Web] {
        bindgen(&cli, &raw, target, &pkg_dir(ws, target), &package_json(target, &version))?;
    }
    let web_wasm = pkg_dir(ws, Target::Web).join(format!("{LIB_NAME}_bg.wasm"));
    let wasm_size = fs::metadata(&web_wasm).with_context(|| format!("{} is missing", web_wasm.display()))?.len();
    let built = Built {
        node_dir: pkg_dir(ws, Target::Node),
        web_dir: pkg_dir(ws, Target::Web),
        raw_size,
        wasm_size,
        seconds: started.elapsed().as_secs_f64(),
    };
    println!(
        "xtask sdk: {raw_size} bytes from rustc, {wasm_size} after wasm-bindgen; sdk-wasm/pkg/node and sdk-wasm/pkg/web ({:.1}s)",
        built.seconds
    );
    Ok(built)
}

/// One `cargo build -p resource-sdk-wasm --lib` for wasm32; returns the path of the wasm.
fn cargo_build(ws: &Workspace, toolchain: WasmToolchain) -> Result<PathBuf> {
    let target_dir = ws.target_directory.join(TARGET_SUBDIR);
    let mut cmd = toolchain.cargo();
    cmd.current_dir(&ws.workspace_root)
        .args(["build", "--release", "--lib", "--target", WASM_TARGET, "-p", PACKAGE])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", crate::wasm::encoded_rustflags_with(RUSTFLAGS));
    if toolchain.builds_std() {
        cmd.arg("-Zbuild-std=std,panic_abort").env("RUSTC_BOOTSTRAP", "1");
    }
    println!("xtask sdk: $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        bail!("cargo build of {PACKAGE} for {WASM_TARGET} failed ({status}); see the errors above");
    }
    let raw = target_dir.join(WASM_TARGET).join("release").join(format!("{LIB_NAME}.wasm"));
    if !raw.is_file() {
        bail!("cargo build succeeded but {} is missing", raw.display());
    }
    Ok(raw)
}

/// `[workspace.package] version` of the workspace's Cargo.toml (the SDK inherits it).
fn workspace_version(ws: &Workspace) -> Result<String> {
    let path = ws.workspace_root.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    let doc: toml_edit::DocumentMut = text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
    doc.get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .with_context(|| format!("{} has no [workspace.package] version", path.display()))
}

/// The `package.json` written into each package: its module kind (so that no `"type"` of a folder
/// above decides how Node reads the `.js`), entry point and types; `npm install sdk-wasm/pkg/node`
/// or `.../web` then works as for any package.
pub fn package_json(target: Target, version: &str) -> String {
    let (name, kind) = match target {
        Target::Node => ("@resource-on-cosmos/sdk-node", "commonjs"),
        Target::Web => ("@resource-on-cosmos/sdk-web", "module"),
    };
    let main = format!("{LIB_NAME}.js");
    let doc = json!({
        "name": name,
        "version": version,
        "description": format!("ReSource SDK (wasm-bindgen --target {}), built by `cargo xtask sdk`", target.bindgen_flag()),
        "license": "Apache-2.0",
        "type": kind,
        "main": main,
        "types": format!("{LIB_NAME}.d.ts"),
        "files": [main, format!("{LIB_NAME}.d.ts"), format!("{LIB_NAME}_bg.wasm"), format!("{LIB_NAME}_bg.wasm.d.ts")],
        "sideEffects": target == Target::Node,
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).expect("a JSON value serialises"))
}

/// wasm-bindgen into a fresh sibling folder with `package_json`, then renamed to `out` (never a
/// half-written package).
fn bindgen(cli: &Path, raw: &Path, target: Target, out: &Path, package_json: &str) -> Result<()> {
    let parent = out.parent().context("package folder has no parent")?;
    fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(".tmp-{}-{}", target.dir_name(), std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let mut cmd = Command::new(cli);
    cmd.arg(raw).args(["--target", target.bindgen_flag(), "--out-dir"]).arg(&tmp);
    println!("xtask sdk: $ {}", proc::describe(&cmd));
    let ran = proc::run_captured(&mut cmd)?;
    if !ran.status.success() {
        let _ = fs::remove_dir_all(&tmp);
        bail!(
            "wasm-bindgen --target {} failed ({}): {}{}",
            target.bindgen_flag(),
            ran.status,
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    fs::write(tmp.join("package.json"), package_json)?;
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("could not remove the old {}", out.display()))?;
    }
    fs::rename(&tmp, out).with_context(|| format!("could not move {} to {}", tmp.display(), out.display()))?;
    Ok(())
}

/// `npm ci` in `sdk-wasm/` (playwright-core) unless it is current.
pub fn ensure_npm_packages(ws: &Workspace) -> Result<()> {
    ts::ensure_npm_ci(ws, &sdk_dir(ws), "sdk-wasm", "the SDK's tests (sdk-wasm/)")
}

// ---------------------------------------------------------------------------------------------
// Fixtures: the cases with the answers Rust computes

/// Where `sdk-fixtures write` puts the cases and the JavaScript runs their results.
pub fn fixtures_dir(ws: &Workspace) -> PathBuf {
    ws.target_directory.join("sdk-fixtures")
}

/// `cargo run -p resource-sdk-wasm --bin sdk-fixtures -- <args>`: native, the dev profile, whose
/// dependencies the unit suite has already built (the workspace optimises arkworks in it: the devnet
/// keys of all three kinds take about 2 s there, 1.6 s with the release profile).
fn fixtures_command(ws: &Workspace, args: &[&str]) -> Command {
    let mut cmd = cargo(ws);
    cmd.args(["run", "--quiet", "-p", PACKAGE, "--bin", "sdk-fixtures", "--"]).args(args);
    cmd
}

/// Writes the cases into [`fixtures_dir`] (removing results of an earlier run) and returns it.
pub fn write_fixtures(ws: &Workspace) -> Result<PathBuf> {
    let dir = fixtures_dir(ws);
    let dir_arg = dir.to_string_lossy().into_owned();
    let mut cmd = fixtures_command(ws, &["write", &dir_arg]);
    println!("xtask sdk: $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        bail!("`{}` failed ({status}); see its output above", proc::describe(&cmd));
    }
    Ok(dir)
}

/// `node --test sdk-wasm/test/devnet/`: the SDK's chain client (`sdk-wasm/js/chain.mjs`) on a devnet
/// started for it, with the token `sdk-fixtures devnet` deploys (its answers in `RESOURCE_SDK_DEVNET`).
fn devnet_tests(ws: &Workspace, wasm: &mut Option<Vec<crate::wasm::ArtifactReport>>, pkg: &Path) -> Result<Tally> {
    let home = ws.target_directory.join("devnet-sdk");
    let guard = match crate::devnet::start(ws, wasm, &home, SDK_DEVNET_PORT_OFFSET, 1, "xtask test")? {
        Ok(guard) => guard,
        Err(why) => return Ok(Tally::failure(format!("{why}: the chain client's tests did not run"))),
    };
    let out = home.join("sdk-devnet.json");
    let args = [
        "devnet".to_string(),
        home.to_string_lossy().into_owned(),
        ws.artifacts_dir().to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    ];
    let mut cmd = fixtures_command(ws, &args.iter().map(String::as_str).collect::<Vec<_>>());
    println!("xtask sdk: $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    let tally = if !status.success() {
        Tally::failure(format!("`{}` failed ({status}); the chain client's tests did not run", proc::describe(&cmd)))
    } else {
        match test_files(ws, "devnet") {
            Ok(files) => node_tests(
                ws,
                "chain client tests",
                &files,
                &[("RESOURCE_SDK_DEVNET", &out), ("RESOURCE_SDK_PKG", pkg)],
            )?,
            Err(e) => Tally::failure(format!("{e:#}")),
        }
    };
    drop(guard); // devnet down, whatever happened above
    Ok(tally)
}

/// Parses the last line of `sdk-fixtures check`: `{"passed":N,"failed":N}`.
pub fn parse_check_summary(line: &str) -> Option<(u64, u64)> {
    let v: Value = serde_json::from_str(line.trim()).ok()?;
    Some((v.get("passed")?.as_u64()?, v.get("failed")?.as_u64()?))
}

/// `sdk-fixtures check`: the outputs that Rust must judge (proofs), checked natively.
fn native_checks(ws: &Workspace, dir: &Path) -> Result<Tally> {
    let dir_arg = dir.to_string_lossy().into_owned();
    let mut cmd = fixtures_command(ws, &["check", &dir_arg]);
    println!("xtask sdk: $ {}", proc::describe(&cmd));
    let mut summary = None;
    let mut failures = Vec::new();
    let ran = proc::run_streaming(&mut cmd, proc::FORWARD, |line| {
        if let Some(s) = parse_check_summary(line) {
            summary = Some(s);
        } else if let Some(f) = line.strip_prefix("FAILED: ") {
            failures.push(f.to_string());
        }
    })?;
    proc::bail_if_interrupted()?;
    let Some((passed, failed)) = summary else {
        return Ok(Tally::failure(format!("sdk-fixtures check failed before its summary ({})", ran.status)));
    };
    let mut tally = Tally { passed, failed, ..Tally::default() };
    tally.notes.extend(failures.into_iter().map(|f| format!("checked natively: {f}")));
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// node --test

/// `*.test.mjs` files of `sdk-wasm/test/<sub>/`, relative to `sdk-wasm/`, sorted.
fn test_files(ws: &Workspace, sub: &str) -> Result<Vec<String>> {
    let dir = sdk_dir(ws).join("test").join(sub);
    let mut files: Vec<String> = fs::read_dir(&dir)
        .with_context(|| format!("could not read {}", dir.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".test.mjs"))
        .map(|n| format!("test/{sub}/{n}"))
        .collect();
    if files.is_empty() {
        bail!("no *.test.mjs in {}", dir.display());
    }
    files.sort();
    Ok(files)
}

/// `node --test` over `files` in `sdk-wasm/` with `env`, its totals added up (see [`ts::parse_node_total`]).
fn node_tests(ws: &Workspace, label: &str, files: &[String], env: &[(&str, &Path)]) -> Result<Tally> {
    let mut cmd = Command::new("node");
    cmd.current_dir(sdk_dir(ws)).args(["--test", "--test-reporter=spec"]).args(files);
    for (k, v) in env {
        cmd.env(k, v);
    }
    println!("xtask test: browser: (in sdk-wasm) $ {}", proc::describe(&cmd));
    let mut tally = Tally::default();
    let mut totals = false;
    let ran = proc::run_streaming(&mut cmd, proc::FORWARD, |line| totals |= ts::parse_node_total(line, &mut tally))?;
    if let Some(sig) = proc::interrupted() {
        tally.notes.push(format!("{label}: interrupted by {}", proc::signal_name(sig)));
    } else if !ran.status.success() && tally.failed == 0 {
        let why = if totals { "failed" } else { "failed before reporting any test (see its output above)" };
        tally.add(Tally::failure(format!("{label}: {why} ({})", ran.status)));
    } else if tally.failed > 0 {
        tally.notes.push(format!("{label}: see the failing tests above ({})", files.join(" ")));
    }
    Ok(tally)
}

/// The `browser` suite (see the module docs). Setup failures are one failed test each, with the
/// reason; the tests after a failed step do not run.
/// Port offset of the browser suite's devnet (the SDK's chain client pays on it): RPC 29007, gRPC
/// 12250, REST 12687, pprof 8410 (no other suite or benchmark uses these).
pub const SDK_DEVNET_PORT_OFFSET: u16 = 2350;

pub fn suite(ws: &Workspace, wasm: &mut Option<Vec<crate::wasm::ArtifactReport>>) -> Result<Tally> {
    let mut tally = Tally::default();
    let started = Instant::now();
    let step = |name: &str| println!("xtask test: browser ({:.1}s): {name}", started.elapsed().as_secs_f64());

    step("the SDK for wasm32, wasm-bindgen for Node and the web");
    if let Err(e) = build(ws) {
        proc::bail_if_interrupted()?;
        tally.add(Tally::failure(format!("building the SDK: {e:#}; no SDK test ran")));
        return Ok(tally);
    }
    step("the cases and what Rust computes for them (sdk-fixtures write)");
    let dir = match write_fixtures(ws) {
        Ok(dir) => dir,
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("{e:#}; no SDK test ran")));
            return Ok(tally);
        }
    };
    step("npm packages of sdk-wasm/ (playwright-core)");
    let npm = ensure_npm_packages(ws);
    proc::bail_if_interrupted()?;

    step("node --test: the Node package");
    let pkg = pkg_dir(ws, Target::Node);
    match test_files(ws, "node") {
        Ok(files) => tally.add(node_tests(
            ws,
            "node tests",
            &files,
            &[("RESOURCE_SDK_FIXTURES", &dir), ("RESOURCE_SDK_PKG", &pkg)],
        )?),
        Err(e) => tally.add(Tally::failure(format!("{e:#}"))),
    }

    step("node --test: the web package in headless Chromium");
    let browser = npm.and_then(|()| tools::chromium()).and_then(|chromium| Ok((chromium, test_files(ws, "browser")?)));
    match browser {
        Ok((chromium, files)) => {
            let web = pkg_dir(ws, Target::Web);
            let env = [
                ("RESOURCE_SDK_FIXTURES", dir.as_path()),
                ("RESOURCE_SDK_PKG", &web),
                ("RESOURCE_CHROMIUM", &chromium),
            ];
            tally.add(node_tests(ws, "Chromium tests", &files, &env)?);
        }
        Err(e) => {
            proc::bail_if_interrupted()?;
            tally.add(Tally::failure(format!("{e:#}; the Chromium tests did not run")));
        }
    }

    step("a devnet of its own, a credit token on it (sdk-fixtures devnet), the chain client's tests");
    tally.add(devnet_tests(ws, wasm, &pkg)?);

    step("what the JavaScript runs returned, checked natively (sdk-fixtures check)");
    tally.add(native_checks(ws, &dir)?);
    step("done");
    Ok(tally)
}

// ---------------------------------------------------------------------------------------------
// Timing

/// An argument of a timed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsArg {
    /// A JavaScript string (JSON arguments are strings).
    Str(String),
    /// The bytes of this file as a `Uint8Array` (a proving key).
    Bytes(PathBuf),
}

/// Where a call was timed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// The Node package (`sdk-wasm/pkg/node`) in the machine's `node`.
    Node,
    /// The web package (`sdk-wasm/pkg/web`) in a page of headless Chromium.
    Chromium,
}

impl Runtime {
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Node => "node",
            Runtime::Chromium => "chromium",
        }
    }
}

/// Milliseconds per call of one exported function.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    pub runtime: Runtime,
    pub function: String,
    /// One per timed call (the warm-up call is not among them), in call order.
    pub samples_ms: Vec<f64>,
    /// The median of `samples_ms`: the figure to report.
    pub median_ms: f64,
}

/// The median (the mean of the middle two for an even count); `NaN` for no samples.
pub fn median(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Times `function(...args)` of the Node package: one warm-up call, then `iterations` timed calls
/// (`performance.now()` around each), in one `node` process. The SDK must be built ([`build`]).
///
/// For example, the `prove_ms_node` of the zk benchmark:
/// `time_in_node(&ws, "proveCredential", &[JsArg::Str(request_json), JsArg::Bytes(pk_file)], 10)?.median_ms`.
pub fn time_in_node(ws: &Workspace, function: &str, args: &[JsArg], iterations: usize) -> Result<Timing> {
    time_in(ws, Runtime::Node, function, args, iterations)
}

/// As [`time_in_node`], in a page of headless Chromium that loaded the web package from a static
/// server on 127.0.0.1 (the `Bytes` arguments are fetched from it before the first call, so no
/// download is timed). Needs Chromium and playwright-core ([`tools::chromium`], `npm ci` in
/// `sdk-wasm/`), which it installs when missing.
pub fn time_in_browser(ws: &Workspace, function: &str, args: &[JsArg], iterations: usize) -> Result<Timing> {
    time_in(ws, Runtime::Chromium, function, args, iterations)
}

/// The JSON the timing script reads.
pub fn timing_spec(runtime: Runtime, function: &str, args: &[JsArg], iterations: usize) -> Value {
    let args: Vec<Value> = args
        .iter()
        .map(|a| match a {
            JsArg::Str(s) => json!({ "string": s }),
            JsArg::Bytes(p) => json!({ "file": p }),
        })
        .collect();
    json!({ "runtime": runtime.name(), "function": function, "args": args, "iterations": iterations, "warmup": 1 })
}

fn time_in(ws: &Workspace, runtime: Runtime, function: &str, args: &[JsArg], iterations: usize) -> Result<Timing> {
    if iterations == 0 {
        bail!("timing {function}: iterations must be at least 1");
    }
    let target = if runtime == Runtime::Node { Target::Node } else { Target::Web };
    let pkg = pkg_dir(ws, target);
    if !pkg.join(format!("{LIB_NAME}.js")).is_file() {
        bail!("{} is not built: call sdk::build first (or run `cargo xtask sdk`)", pkg.display());
    }
    for a in args {
        if let JsArg::Bytes(p) = a {
            if !p.is_file() {
                bail!("timing {function}: argument file {} does not exist", p.display());
            }
        }
    }
    let mut cmd = Command::new("node");
    cmd.current_dir(sdk_dir(ws)).env("RESOURCE_SDK_PKG", &pkg);
    if runtime == Runtime::Chromium {
        ensure_npm_packages(ws)?;
        cmd.env("RESOURCE_CHROMIUM", tools::chromium()?);
    }
    let dir = ws.target_directory.join("sdk-timing");
    fs::create_dir_all(&dir)?;
    let spec_path = dir.join(format!("spec-{}-{}.json", runtime.name(), std::process::id()));
    fs::write(&spec_path, timing_spec(runtime, function, args, iterations).to_string())?;
    cmd.arg("test/timing.mjs").arg(&spec_path);
    println!("xtask sdk: timing {function} in {}: $ {}", runtime.name(), proc::describe(&cmd));
    let mut result = None;
    let ran = proc::run_streaming(&mut cmd, proc::Opts { forward_signals: true, capture_stderr: true }, |line| {
        if let Ok(v) = serde_json::from_str::<Value>(line) {
            if v.get("samples_ms").is_some() {
                result = Some(v);
            }
        }
    })?;
    let _ = fs::remove_file(&spec_path);
    proc::bail_if_interrupted()?;
    let Some(v) = result.filter(|_| ran.status.success()) else {
        let last = ran.stderr_tail.iter().rev().find(|l| !l.trim().is_empty()).cloned().unwrap_or_default();
        bail!("timing {function} in {} failed ({}): {last}", runtime.name(), ran.status);
    };
    let samples_ms: Vec<f64> =
        v["samples_ms"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    if samples_ms.len() != iterations {
        bail!("timing {function} in {}: {} samples for {iterations} iterations", runtime.name(), samples_ms.len());
    }
    Ok(Timing { runtime, function: function.to_string(), median_ms: median(&samples_ms), samples_ms })
}

/// A fixture case's function and arguments (files as paths in the fixtures folder `dir`).
fn args_of(case: &Value, dir: &Path) -> Option<(String, Vec<JsArg>)> {
    let args = case["args"]
        .as_array()?
        .iter()
        .map(|a| match (a.get("string").and_then(Value::as_str), a.get("file").and_then(Value::as_str)) {
            (Some(s), _) => Some(JsArg::Str(s.to_string())),
            (None, Some(f)) => Some(JsArg::Bytes(dir.join(f))),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((case["function"].as_str()?.to_string(), args))
}

/// The function and arguments of the fixture case `selector` picks in `cases` (a `cases.json`):
/// the case of that exact name, else the first case calling that function that does not expect an
/// error.
pub fn case_args(cases: &Value, dir: &Path, selector: &str) -> Option<(String, Vec<JsArg>)> {
    let all = cases["cases"].as_array()?;
    let case = all
        .iter()
        .find(|c| c["name"] == selector)
        .or_else(|| all.iter().find(|c| c["function"] == selector && c["expect"].get("error_contains").is_none()))?;
    args_of(case, dir)
}

/// Writes the fixtures (the SDK's test cases, with the devnet proving keys) and returns the function
/// and arguments of the case `selector` names (see [`case_args`]), ready for [`time_in_node`] and
/// [`time_in_browser`]. The zk benchmark's proofs are the cases `proveCredential: a rating proof
/// verifies natively` (and `revenue`, `tenure`): a devnet credential and its kind's proving key.
pub fn fixture_args(ws: &Workspace, selector: &str) -> Result<(String, Vec<JsArg>)> {
    let dir = write_fixtures(ws)?;
    let path = dir.join("cases.json");
    let text = fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    let cases: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    case_args(&cases, &dir, selector).with_context(|| {
        let names: Vec<&str> =
            cases["cases"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str()).collect();
        format!("no fixture case is named or calls `{selector}`; the cases are: {}", names.join("; "))
    })
}

/// `cargo xtask sdk [--time CASE] [--iterations N]`: builds the SDK; with `--time`, times the case
/// (a fixture case's name, or an exported function: its first case) in Node and in Chromium.
pub fn command(time: Option<&str>, iterations: usize) -> Result<ExitCode> {
    let ws = Workspace::load()?;
    let built = build(&ws)?;
    let Some(selector) = time else {
        println!(
            "xtask sdk: built in {:.1}s: {} and {} ({} bytes of wasm from rustc, {} in each package)",
            built.seconds,
            built.node_dir.display(),
            built.web_dir.display(),
            built.raw_size,
            built.wasm_size
        );
        return Ok(ExitCode::SUCCESS);
    };
    let (function, args) = fixture_args(&ws, selector)?;
    for t in [time_in_node(&ws, &function, &args, iterations)?, time_in_browser(&ws, &function, &args, iterations)?] {
        println!(
            "xtask sdk: {selector}: {function} in {}: {:.3} ms per call (median of {iterations}; min {:.3}, max {:.3})",
            t.runtime.name(),
            t.median_ms,
            t.samples_ms.iter().copied().fold(f64::INFINITY, f64::min),
            t.samples_ms.iter().copied().fold(0.0, f64::max),
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_say_their_module_kind() {
        let node: Value = serde_json::from_str(&package_json(Target::Node, "0.1.0")).unwrap();
        assert_eq!((node["type"].as_str(), node["main"].as_str()), (Some("commonjs"), Some("resource_sdk_wasm.js")));
        let web: Value = serde_json::from_str(&package_json(Target::Web, "0.1.0")).unwrap();
        assert_eq!(web["type"], "module");
        assert_eq!(web["version"], "0.1.0");
        assert!(web["files"].as_array().unwrap().iter().any(|f| f == "resource_sdk_wasm_bg.wasm"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[7.5]), 7.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn check_summaries() {
        assert_eq!(parse_check_summary(r#"{"passed":2,"failed":1}"#), Some((2, 1)));
        assert_eq!(parse_check_summary("ok: x (node): checked natively"), None);
        assert_eq!(parse_check_summary(r#"{"passed":2}"#), None);
    }

    #[test]
    fn timing_specs_and_case_arguments() {
        let spec = timing_spec(Runtime::Chromium, "f", &[JsArg::Str("{}".into()), JsArg::Bytes("/k.bin".into())], 5);
        assert_eq!(
            spec,
            json!({"runtime": "chromium", "function": "f", "args": [{"string": "{}"}, {"file": "/k.bin"}],
                   "iterations": 5, "warmup": 1})
        );
        let cases = json!({"cases": [
            {"name": "f throws", "function": "f", "args": [{"string": "bad"}], "expect": {"error_contains": "x"}},
            {"name": "f one", "function": "f", "args": [{"string": "a"}, {"file": "pk.bin"}], "expect": {"equals": "y"}},
            {"name": "f two", "function": "f", "args": [{"string": "b"}], "expect": {"native_check": {}}},
        ]});
        let fx = Path::new("/fx");
        let first = case_args(&cases, fx, "f").unwrap();
        assert_eq!(first, ("f".into(), vec![JsArg::Str("a".into()), JsArg::Bytes("/fx/pk.bin".into())]));
        assert_eq!(case_args(&cases, fx, "f two").unwrap().1, [JsArg::Str("b".into())]);
        assert_eq!(case_args(&cases, fx, "f throws").unwrap().1, [JsArg::Str("bad".into())]);
        assert!(case_args(&cases, fx, "g").is_none());
    }
}
