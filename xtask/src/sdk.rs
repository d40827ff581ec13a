//! The wasm SDK (`sdk-wasm/`, crate `resource-sdk-wasm`): its build, the `browser` suite, and the
//! timing helpers the benchmarks call.
//!
//! - [`build`]: two `cargo build -p resource-sdk-wasm` for wasm32 (release profile at `opt-level =
//!   "z"`, the toolchain [`tools::wasm_toolchain`] picks, like the contracts): the **core** bundle
//!   (`--no-default-features`: ledger previews, clearing, DID, keys, transactions; no prover) and the
//!   **full** one (feature `prover`, adding `proveCredential`). Then wasm-bindgen of exactly the
//!   workspace's pinned version into three packages (all git-ignored): `sdk-wasm/pkg/node` (full,
//!   `--target nodejs`), `sdk-wasm/pkg/web` (core, `--target web`) and `sdk-wasm/pkg/web-full`
//!   (full, `--target web`); the two web packages' wasm goes through `wasm-opt -Oz` (binaryen,
//!   [`tools::wasm_opt`]). A page loads `pkg/web` and imports `pkg/web-full` only when it proves.
//!   `cargo xtask sdk` runs it.
//! - [`suite`]: the `browser` suite. `sdk-fixtures write` (a native program of the same crate) writes
//!   the cases with the answers Rust computes for them; `node --test sdk-wasm/test/node/*.test.mjs`
//!   runs them against the Node package and `node --test sdk-wasm/test/browser/*.test.mjs` in a page
//!   of real headless Chromium (Debian's, driven by playwright-core) that loads the core web package
//!   from a static server on 127.0.0.1 (a port the OS picks) and the full one only for the cases the
//!   core lacks (proofs); `sdk-fixtures check` then checks natively what the JavaScript runs returned
//!   for the cases that need Rust to judge them (proofs).
//! - [`time_in_node`] / [`time_in_browser`]: milliseconds per call of one exported function, the
//!   median of N calls after one warm-up call, in Node or in that Chromium page; [`page_ready_in_browser`]:
//!   milliseconds from navigation to the SDK initialised. Timings never decide a test: the suite
//!   does not call them.
//!
//! Tools: wasm-bindgen-cli in `<cache>/wasm-bindgen-<version>` ([`tools::wasm_bindgen_cli`]),
//! wasm-opt in `<cache>/binaryen-<version>` ([`tools::wasm_opt`]), Debian's `chromium`
//! ([`tools::chromium`]) and `playwright-core` from `sdk-wasm/package-lock.json` (`npm ci` into
//! `sdk-wasm/node_modules`, never `npx playwright install`).

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
/// The SDK is no contract: no `--allow-undefined` (the contracts need it for cosmwasm-std's host
/// imports). wasm-bindgen declares every import it makes, so without it an undefined symbol is a
/// link error instead of an `env` import that would fail only when the module is instantiated.
/// No `target-cpu=mvp` either: browsers and Node run bulk-memory and reference types.
const RUSTFLAGS: &[&str] = &[];
/// Added when std is rebuilt (`-Zbuild-std`, Debian's toolchain): a panic aborts at once, without
/// formatting its message or looking up its location. The SDK's errors are `Result`s thrown as
/// JavaScript `Error`s; a panic is a bug, and on wasm32-unknown-unknown its message went nowhere
/// anyway (std's hook writes to a stderr that does not exist), so it traps (`unreachable`) as
/// before. About 30 KiB less gzipped for the core bundle. A precompiled std (a rustup wasm32
/// target) cannot take these flags, and its bundles are that much larger.
const REBUILT_STD_RUSTFLAGS: &[&str] = &["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none"];
/// The release profile's opt-level for the SDK (unless `CARGO_PROFILE_RELEASE_OPT_LEVEL` is set):
/// size first, as for the contracts; what a page downloads is the figure the issue sets.
const OPT_LEVEL: &str = "z";
/// wasm-opt on the web packages' wasm (after wasm-bindgen). The features are those rustc's default
/// wasm32 CPU emits (the SDK is not built for MVP). `-Oz` is binaryen's smallest, but its inlining
/// pass makes code that compresses worse: on the core bundle plain `-Oz` took 821,949 bytes to
/// 710,437 and yet grew the gzipped file from 276,006 to 288,011 bytes; without that one pass it is
/// 725,271 bytes and 270,587 gzipped (what a browser downloads is the figure that counts).
pub const WASM_OPT_ARGS: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
    "--strip-debug",
    "--strip-producers",
    "-Oz",
    "--skip-pass=inlining-optimizing",
];

pub fn sdk_dir(ws: &Workspace) -> PathBuf {
    ws.workspace_root.join("sdk-wasm")
}

/// What a build of the crate contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// `--no-default-features`: everything but the prover.
    Core,
    /// The default features: the core and `proveCredential` (resource-zk's Groth16 prover).
    Full,
}

impl Bundle {
    pub const ALL: [Bundle; 2] = [Bundle::Core, Bundle::Full];

    /// What the SDK's `bundle()` export answers.
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Core => "core",
            Bundle::Full => "full",
        }
    }

    /// cargo's feature arguments.
    pub fn cargo_args(self) -> &'static [&'static str] {
        match self {
            Bundle::Core => &["--no-default-features"],
            Bundle::Full => &[],
        }
    }

    /// Folder under the target directory of this bundle's wasm32 build: apart from the contracts'
    /// (other flags) and from the other bundle's (a cdylib's file name carries no feature hash, so
    /// two feature sets in one folder would overwrite each other's output).
    fn target_subdir(self) -> &'static str {
        match self {
            Bundle::Core => "sdk-wasm-core",
            Bundle::Full => "sdk-wasm",
        }
    }

    /// The web package of this bundle.
    pub fn web_package(self) -> Package {
        match self {
            Bundle::Core => Package::Web,
            Bundle::Full => Package::WebFull,
        }
    }
}

/// The two kinds of package wasm-bindgen makes.
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
}

/// The three packages [`build`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Package {
    /// `pkg/node`: the full bundle for Node (the Node tests prove there).
    Node,
    /// `pkg/web`: the core bundle for pages.
    Web,
    /// `pkg/web-full`: the full bundle for pages, imported only when a page proves.
    WebFull,
}

impl Package {
    pub const ALL: [Package; 3] = [Package::Node, Package::Web, Package::WebFull];

    pub fn target(self) -> Target {
        match self {
            Package::Node => Target::Node,
            Package::Web | Package::WebFull => Target::Web,
        }
    }

    pub fn bundle(self) -> Bundle {
        match self {
            Package::Web => Bundle::Core,
            Package::Node | Package::WebFull => Bundle::Full,
        }
    }

    pub fn dir_name(self) -> &'static str {
        match self {
            Package::Node => "node",
            Package::Web => "web",
            Package::WebFull => "web-full",
        }
    }

    fn npm_name(self) -> &'static str {
        match self {
            Package::Node => "@resource-on-cosmos/sdk-node",
            Package::Web => "@resource-on-cosmos/sdk-web",
            Package::WebFull => "@resource-on-cosmos/sdk-web-full",
        }
    }

    /// Whether its wasm goes through wasm-opt (what browsers download; Node reads it from disk).
    pub fn optimised(self) -> bool {
        self.target() == Target::Web
    }
}

/// `sdk-wasm/pkg/node`, `sdk-wasm/pkg/web` or `sdk-wasm/pkg/web-full`.
pub fn pkg_dir(ws: &Workspace, package: Package) -> PathBuf {
    sdk_dir(ws).join("pkg").join(package.dir_name())
}

/// `<package>/resource_sdk_wasm_bg.wasm`.
pub fn pkg_wasm(ws: &Workspace, package: Package) -> PathBuf {
    pkg_dir(ws, package).join(format!("{LIB_NAME}_bg.wasm"))
}

/// Sizes of one bundle through the build, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleSizes {
    pub bundle: Bundle,
    /// The wasm rustc wrote.
    pub raw: u64,
    /// After wasm-bindgen (`--target web`), before wasm-opt.
    pub bindgen: u64,
    /// The web package's `_bg.wasm` (after wasm-opt): what a browser downloads.
    pub wasm: u64,
    /// `wasm`, gzip -9.
    pub gzip: u64,
}

/// What [`build`] made.
#[derive(Debug, Clone)]
pub struct Built {
    pub node_dir: PathBuf,
    pub web_dir: PathBuf,
    pub web_full_dir: PathBuf,
    /// Core, then full.
    pub sizes: Vec<BundleSizes>,
    pub seconds: f64,
}

impl Built {
    pub fn sizes(&self, bundle: Bundle) -> &BundleSizes {
        self.sizes.iter().find(|s| s.bundle == bundle).expect("build measures both bundles")
    }
}

/// Builds both bundles for wasm32 and makes the three packages (see the module docs).
pub fn build(ws: &Workspace) -> Result<Built> {
    let started = Instant::now();
    let toolchain = tools::wasm_toolchain()?;
    let version = tools::wasm_bindgen_version(&ws.workspace_root.join("Cargo.toml"))?;
    let cli = tools::wasm_bindgen_cli(&version)?;
    let wasm_opt = tools::wasm_opt()?;
    proc::bail_if_interrupted()?;
    println!(
        "xtask sdk: toolchain: {}; wasm-bindgen {version}; wasm-opt of binaryen {}",
        toolchain.describe(),
        tools::BINARYEN_VERSION
    );
    let pkg_version = workspace_version(ws)?;
    let mut sizes = Vec::new();
    for bundle in Bundle::ALL {
        let raw = cargo_build(ws, toolchain, bundle)?;
        let raw_size = fs::metadata(&raw)?.len();
        let mut bindgen_size = 0;
        for package in Package::ALL.into_iter().filter(|p| p.bundle() == bundle) {
            let out = pkg_dir(ws, package);
            let opt = package.optimised().then_some(wasm_opt.as_path());
            let before = bindgen(&sdk_dir(ws), &cli, &raw, package, &out, &package_json(package, &pkg_version), opt)?;
            if package.target() == Target::Web {
                bindgen_size = before;
            }
        }
        let web_wasm = pkg_wasm(ws, bundle.web_package());
        let wasm = fs::metadata(&web_wasm).with_context(|| format!("{} is missing", web_wasm.display()))?.len();
        let gzip = gzip_size(&web_wasm)?;
        println!(
            "xtask sdk: {} bundle: {raw_size} bytes from rustc, {bindgen_size} after wasm-bindgen, {wasm} after wasm-opt, {gzip} gzipped ({:.1} KiB)",
            bundle.name(),
            gzip as f64 / 1024.0
        );
        sizes.push(BundleSizes { bundle, raw: raw_size, bindgen: bindgen_size, wasm, gzip });
    }
    let built = Built {
        node_dir: pkg_dir(ws, Package::Node),
        web_dir: pkg_dir(ws, Package::Web),
        web_full_dir: pkg_dir(ws, Package::WebFull),
        sizes,
        seconds: started.elapsed().as_secs_f64(),
    };
    println!(
        "xtask sdk: sdk-wasm/pkg/node (full), sdk-wasm/pkg/web (core), sdk-wasm/pkg/web-full (full) ({:.1}s)",
        built.seconds
    );
    Ok(built)
}

/// Bytes of `file` compressed by `gzip -9` (Debian's gzip, as the issue measures).
pub fn gzip_size(file: &Path) -> Result<u64> {
    let mut cmd = Command::new("gzip");
    cmd.args(["-9", "-n", "-c"]).arg(file);
    let out = proc::run_captured(&mut cmd).context("gzip is needed to measure the bundle (apt-get install gzip)")?;
    if !out.status.success() {
        bail!("`{}` failed ({}): {}", proc::describe(&cmd), out.status, String::from_utf8_lossy(&out.stderr));
    }
    Ok(out.stdout.len() as u64)
}

/// One `cargo build -p resource-sdk-wasm --lib` of `bundle` for wasm32; returns the path of the wasm.
fn cargo_build(ws: &Workspace, toolchain: WasmToolchain, bundle: Bundle) -> Result<PathBuf> {
    let target_dir = ws.target_directory.join(bundle.target_subdir());
    let mut cmd = toolchain.cargo();
    cmd.current_dir(&ws.workspace_root)
        .args(["build", "--release", "--lib", "--target", WASM_TARGET, "-p", PACKAGE])
        .args(bundle.cargo_args())
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", crate::wasm::encoded_rustflags_with(&rustflags(toolchain)));
    if toolchain.builds_std() {
        cmd.arg("-Zbuild-std=std,panic_abort").env("RUSTC_BOOTSTRAP", "1");
    }
    if std::env::var_os("CARGO_PROFILE_RELEASE_OPT_LEVEL").is_none() {
        cmd.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", OPT_LEVEL);
    }
    println!("xtask sdk: {} bundle: $ {}", bundle.name(), proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        bail!(
            "cargo build of {PACKAGE} ({} bundle) for {WASM_TARGET} failed ({status}); see the errors above",
            bundle.name()
        );
    }
    let raw = target_dir.join(WASM_TARGET).join("release").join(format!("{LIB_NAME}.wasm"));
    if !raw.is_file() {
        bail!("cargo build succeeded but {} is missing", raw.display());
    }
    Ok(raw)
}

/// The SDK's rustflags for `toolchain`: [`RUSTFLAGS`], and [`REBUILT_STD_RUSTFLAGS`] when it rebuilds std.
pub fn rustflags(toolchain: WasmToolchain) -> Vec<&'static str> {
    let mut flags = RUSTFLAGS.to_vec();
    if toolchain.builds_std() {
        flags.extend_from_slice(REBUILT_STD_RUSTFLAGS);
    }
    flags
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

/// Files of `sdk-wasm/` copied into every package beside what wasm-bindgen writes: the chain client
/// and the signers (ES modules that import nothing but each other; `import { Chain } from
/// '@resource-on-cosmos/sdk-web/chain.mjs'`), and the README with the examples.
pub const PACKAGED_FILES: &[&str] = &["js/chain.mjs", "js/signer.mjs", "README.md"];

/// The `package.json` written into each package: its module kind (so that no `"type"` of a folder
/// above decides how Node reads the `.js`), entry point and types; `npm install sdk-wasm/pkg/node`
/// (or `.../web`, `.../web-full`) then works as for any package.
pub fn package_json(package: Package, version: &str) -> String {
    let target = package.target();
    let kind = if target == Target::Node { "commonjs" } else { "module" };
    let main = format!("{LIB_NAME}.js");
    let what = match package.bundle() {
        Bundle::Core => "the core bundle (no prover)",
        Bundle::Full => "the full bundle (with the prover)",
    };
    let files: Vec<String> =
        [main.clone(), format!("{LIB_NAME}.d.ts"), format!("{LIB_NAME}_bg.wasm"), format!("{LIB_NAME}_bg.wasm.d.ts")]
            .into_iter()
            .chain(PACKAGED_FILES.iter().map(|f| f.rsplit('/').next().unwrap_or(f).to_string()))
            .collect();
    let doc = json!({
        "name": package.npm_name(),
        "version": version,
        "description": format!("ReSource SDK, {what} (wasm-bindgen --target {}), built by `cargo xtask sdk`", target.bindgen_flag()),
        "license": "Apache-2.0",
        "type": kind,
        "main": main,
        "types": format!("{LIB_NAME}.d.ts"),
        "files": files,
        "sideEffects": target == Target::Node,
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).expect("a JSON value serialises"))
}

/// wasm-bindgen into a fresh sibling folder with `package_json`, then (with `wasm_opt`) wasm-opt
/// over its `_bg.wasm`, then renamed to `out` (never a half-written package). Returns the size of
/// the wasm wasm-bindgen wrote.
fn bindgen(
    sdk: &Path,
    cli: &Path,
    raw: &Path,
    package: Package,
    out: &Path,
    package_json: &str,
    wasm_opt: Option<&Path>,
) -> Result<u64> {
    let target = package.target();
    let parent = out.parent().context("package folder has no parent")?;
    fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(".tmp-{}-{}", package.dir_name(), std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| -> Result<u64> {
        let mut cmd = Command::new(cli);
        cmd.arg(raw).args(["--target", target.bindgen_flag(), "--out-dir"]).arg(&tmp);
        println!("xtask sdk: $ {}", proc::describe(&cmd));
        let ran = proc::run_captured(&mut cmd)?;
        if !ran.status.success() {
            bail!(
                "wasm-bindgen --target {} failed ({}): {}{}",
                target.bindgen_flag(),
                ran.status,
                String::from_utf8_lossy(&ran.stdout),
                String::from_utf8_lossy(&ran.stderr)
            );
        }
        let wasm = tmp.join(format!("{LIB_NAME}_bg.wasm"));
        let size = fs::metadata(&wasm).with_context(|| format!("wasm-bindgen wrote no {}", wasm.display()))?.len();
        if let Some(wasm_opt) = wasm_opt {
            let mut cmd = Command::new(wasm_opt);
            cmd.args(WASM_OPT_ARGS).arg(&wasm).arg("-o").arg(&wasm);
            println!("xtask sdk: $ {}", proc::describe(&cmd));
            let ran = proc::run_captured(&mut cmd)?;
            proc::bail_if_interrupted()?;
            if !ran.status.success() {
                bail!(
                    "wasm-opt failed on {} ({}): {}{}",
                    package.dir_name(),
                    ran.status,
                    String::from_utf8_lossy(&ran.stdout),
                    String::from_utf8_lossy(&ran.stderr)
                );
            }
        }
        fs::write(tmp.join("package.json"), package_json)?;
        for file in PACKAGED_FILES {
            let from = sdk.join(file);
            let name = file.rsplit('/').next().unwrap_or(file);
            fs::copy(&from, tmp.join(name))
                .with_context(|| format!("could not copy {} into the package", from.display()))?;
        }
        Ok(size)
    })();
    let size = match result {
        Ok(size) => size,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("could not remove the old {}", out.display()))?;
    }
    fs::rename(&tmp, out).with_context(|| format!("could not move {} to {}", tmp.display(), out.display()))?;
    Ok(size)
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

/// `node --test sdk-wasm/test/devnet/`: the SDK's chain client (`sdk-wasm/js/chain.mjs`), external
/// signers, DIDs and the checkout example in Chromium, on a devnet started for it, with the token,
/// registry and clearing `sdk-fixtures devnet` deploys (its answers in `RESOURCE_SDK_DEVNET`); the
/// checkout's screenshots go to `target/sdk-artifacts/`.
fn devnet_tests(ws: &Workspace, wasm: &mut Option<Vec<crate::wasm::ArtifactReport>>, pkg: &Path) -> Result<Tally> {
    let home = ws.target_directory.join("devnet-sdk");
    let guard = match crate::devnet::start(ws, wasm, &home, SDK_DEVNET_PORT_OFFSET, 1, "xtask test")? {
        Ok(guard) => guard,
        Err(why) => return Ok(Tally::failure(format!("{why}: the chain client's tests did not run"))),
    };
    let out = home.join("sdk-devnet.json");
    let deployed = deploy_on_devnet(ws, &home, &out);
    proc::bail_if_interrupted()?;
    let tally = if let Err(e) = deployed {
        Tally::failure(format!("{e:#}; the chain client's tests did not run"))
    } else {
        // cosmjs and the compiled ts-bindings clients (the external-signer tests), Chromium (the
        // checkout example's end to end), the screenshots it keeps.
        let ready = ts::ensure_npm_packages(ws)
            .and_then(|()| ts::build(ws))
            .and_then(|()| ensure_npm_packages(ws))
            .and_then(|()| tools::chromium())
            .and_then(|chromium| Ok((chromium, test_files(ws, "devnet")?)));
        match ready {
            Ok((chromium, files)) => {
                let shots = ws.target_directory.join("sdk-artifacts");
                fs::create_dir_all(&shots)?;
                let (ts_dir, web) = (ts::ts_dir(ws), pkg_dir(ws, Package::Web));
                let env = [
                    ("RESOURCE_SDK_DEVNET", out.as_path()),
                    ("RESOURCE_SDK_PKG", pkg),
                    ("RESOURCE_SDK_WEB_PKG", &web),
                    ("RESOURCE_TS_BINDINGS", &ts_dir),
                    ("RESOURCE_CHROMIUM", &chromium),
                    ("RESOURCE_SDK_ARTIFACTS", &shots),
                ];
                node_tests(ws, "chain client tests", &files, &env)?
            }
            Err(e) => {
                proc::bail_if_interrupted()?;
                Tally::failure(format!("{e:#}; the chain client's tests did not run"))
            }
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

    step("the SDK for wasm32 (core and full bundles), wasm-bindgen for Node and the web, wasm-opt");
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
    let pkg = pkg_dir(ws, Package::Node);
    match test_files(ws, "node") {
        Ok(files) => tally.add(node_tests(
            ws,
            "node tests",
            &files,
            &[("RESOURCE_SDK_FIXTURES", &dir), ("RESOURCE_SDK_PKG", &pkg)],
        )?),
        Err(e) => tally.add(Tally::failure(format!("{e:#}"))),
    }

    step("node --test: the web packages in headless Chromium (core first, full when proving)");
    let browser = npm.and_then(|()| tools::chromium()).and_then(|chromium| Ok((chromium, test_files(ws, "browser")?)));
    match browser {
        Ok((chromium, files)) => {
            let web = pkg_dir(ws, Package::Web);
            let web_full = pkg_dir(ws, Package::WebFull);
            let env = [
                ("RESOURCE_SDK_FIXTURES", dir.as_path()),
                ("RESOURCE_SDK_PKG", &web),
                ("RESOURCE_SDK_PKG_FULL", &web_full),
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
    /// The Node package (`sdk-wasm/pkg/node`, the full bundle) in the machine's `node`.
    Node,
    /// A web package (`sdk-wasm/pkg/web` or `pkg/web-full`) in a page of headless Chromium.
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
    pub bundle: Bundle,
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
    time_in(ws, Runtime::Node, Bundle::Full, function, args, iterations)
}

/// As [`time_in_node`], in a page of headless Chromium that loaded `bundle`'s web package from a
/// static server on 127.0.0.1 (the `Bytes` arguments are fetched from it before the first call, so
/// no download is timed). Needs Chromium and playwright-core ([`tools::chromium`], `npm ci` in
/// `sdk-wasm/`), which it installs when missing.
pub fn time_in_browser(
    ws: &Workspace,
    bundle: Bundle,
    function: &str,
    args: &[JsArg],
    iterations: usize,
) -> Result<Timing> {
    time_in(ws, Runtime::Chromium, bundle, function, args, iterations)
}

/// The smallest bundle that exports `function`: the core when the core package's declarations
/// (`pkg/web/resource_sdk_wasm.d.ts`) declare it, else the full one.
pub fn bundle_with(ws: &Workspace, function: &str) -> Result<Bundle> {
    let dts = pkg_dir(ws, Package::Web).join(format!("{LIB_NAME}.d.ts"));
    let text = fs::read_to_string(&dts)
        .with_context(|| format!("could not read {} (run `cargo xtask sdk`)", dts.display()))?;
    Ok(if declares(&text, function) { Bundle::Core } else { Bundle::Full })
}

/// Whether wasm-bindgen's declarations `dts` declare `export function <function>(`.
pub fn declares(dts: &str, function: &str) -> bool {
    dts.contains(&format!("export function {function}("))
}

/// The JSON the timing script reads.
pub fn timing_spec(runtime: Runtime, bundle: Bundle, function: &str, args: &[JsArg], iterations: usize) -> Value {
    let args: Vec<Value> = args
        .iter()
        .map(|a| match a {
            JsArg::Str(s) => json!({ "string": s }),
            JsArg::Bytes(p) => json!({ "file": p }),
        })
        .collect();
    json!({ "runtime": runtime.name(), "bundle": bundle.name(), "function": function, "args": args,
            "iterations": iterations, "warmup": 1 })
}

/// The JSON the timing script reads to time page loads.
pub fn page_ready_spec(bundle: Bundle, runs: usize) -> Value {
    json!({ "runtime": "chromium", "bundle": bundle.name(), "page_ready_runs": runs })
}

/// Milliseconds from navigation to the SDK initialised (`window.sdkState === 'ready'`, read with
/// the page's own `performance.now()`, whose origin is the navigation's start) of the test page
/// (`sdk-wasm/test/browser/page.html`) loading `bundle`'s web package from a static server on
/// 127.0.0.1, each of `runs` loads in a fresh browser context (nothing cached). One per run.
pub fn page_ready_in_browser(ws: &Workspace, bundle: Bundle, runs: usize) -> Result<Vec<f64>> {
    if runs == 0 {
        bail!("timing the page: runs must be at least 1");
    }
    let v = run_timing_script(ws, Runtime::Chromium, &page_ready_spec(bundle, runs), "page_ready_ms", "the page")?;
    let samples: Vec<f64> =
        v["page_ready_ms"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    if samples.len() != runs {
        bail!("timing the page: {} samples for {runs} runs", samples.len());
    }
    Ok(samples)
}

/// The checkout example's page (`sdk-wasm/examples/checkout/index.html`), when it exists.
pub fn checkout_page(ws: &Workspace) -> Option<PathBuf> {
    Some(sdk_dir(ws).join("examples").join("checkout").join("index.html")).filter(|p| p.is_file())
}

/// The JSON the timing script reads to time the checkout page.
pub fn checkout_ready_spec(bundle: Bundle, network: &Path, runs: usize) -> Value {
    json!({ "runtime": "chromium", "bundle": bundle.name(), "checkout_ready_runs": runs, "network": network })
}

/// As [`page_ready_in_browser`] for the checkout example, served by its own server
/// (`examples/checkout/server.mjs`) for the devnet `network` describes (`sdk-fixtures devnet`'s
/// file) with `bundle`'s web package, up to its `window.checkoutReady` resolving.
pub fn checkout_ready_in_browser(ws: &Workspace, bundle: Bundle, network: &Path, runs: usize) -> Result<Vec<f64>> {
    if runs == 0 {
        bail!("timing the checkout page: runs must be at least 1");
    }
    let spec = checkout_ready_spec(bundle, network, runs);
    let v = run_timing_script(ws, Runtime::Chromium, &spec, "checkout_ready_ms", "the checkout page")?;
    let samples: Vec<f64> =
        v["checkout_ready_ms"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    if samples.len() != runs {
        bail!("timing the checkout page: {} samples for {runs} runs", samples.len());
    }
    Ok(samples)
}

/// `sdk-fixtures devnet HOME ARTIFACTS OUT`: deploys the SDK's token on the devnet in `home` and
/// writes what the chain client's tests and the checkout example need into `out`.
pub fn deploy_on_devnet(ws: &Workspace, home: &Path, out: &Path) -> Result<()> {
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
    if !status.success() {
        bail!("`{}` failed ({status}); see its output above", proc::describe(&cmd));
    }
    Ok(())
}

/// Runs `test/timing.mjs` over `spec`; returns its last JSON line that has `key`.
fn run_timing_script(ws: &Workspace, runtime: Runtime, spec: &Value, key: &str, what: &str) -> Result<Value> {
    let packages: &[(&str, Package)] = match runtime {
        Runtime::Node => &[("RESOURCE_SDK_PKG", Package::Node)],
        Runtime::Chromium => &[
            ("RESOURCE_SDK_PKG", Package::Web),
            ("RESOURCE_SDK_PKG_FULL", Package::WebFull),
            ("RESOURCE_SDK_PKG_NODE", Package::Node),
        ],
    };
    let mut cmd = Command::new("node");
    cmd.current_dir(sdk_dir(ws));
    for (var, package) in packages {
        let pkg = pkg_dir(ws, *package);
        if !pkg.join(format!("{LIB_NAME}.js")).is_file() {
            bail!("{} is not built: call sdk::build first (or run `cargo xtask sdk`)", pkg.display());
        }
        cmd.env(var, pkg);
    }
    if runtime == Runtime::Chromium {
        ensure_npm_packages(ws)?;
        cmd.env("RESOURCE_CHROMIUM", tools::chromium()?);
    }
    let dir = ws.target_directory.join("sdk-timing");
    fs::create_dir_all(&dir)?;
    let spec_path = dir.join(format!("spec-{}-{}.json", runtime.name(), std::process::id()));
    fs::write(&spec_path, spec.to_string())?;
    cmd.arg("test/timing.mjs").arg(&spec_path);
    println!("xtask sdk: timing {what} in {}: $ {}", runtime.name(), proc::describe(&cmd));
    let mut result = None;
    let ran = proc::run_streaming(&mut cmd, proc::Opts { forward_signals: true, capture_stderr: true }, |line| {
        if let Ok(v) = serde_json::from_str::<Value>(line) {
            if v.get(key).is_some() {
                result = Some(v);
            }
        }
    })?;
    let _ = fs::remove_file(&spec_path);
    proc::bail_if_interrupted()?;
    let Some(v) = result.filter(|_| ran.status.success()) else {
        let last = ran.stderr_tail.iter().rev().find(|l| !l.trim().is_empty()).cloned().unwrap_or_default();
        bail!("timing {what} in {} failed ({}): {last}", runtime.name(), ran.status);
    };
    Ok(v)
}

fn time_in(
    ws: &Workspace,
    runtime: Runtime,
    bundle: Bundle,
    function: &str,
    args: &[JsArg],
    iterations: usize,
) -> Result<Timing> {
    if iterations == 0 {
        bail!("timing {function}: iterations must be at least 1");
    }
    for a in args {
        if let JsArg::Bytes(p) = a {
            if !p.is_file() {
                bail!("timing {function}: argument file {} does not exist", p.display());
            }
        }
    }
    let spec = timing_spec(runtime, bundle, function, args, iterations);
    let v = run_timing_script(ws, runtime, &spec, "samples_ms", function)?;
    let samples_ms: Vec<f64> =
        v["samples_ms"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    if samples_ms.len() != iterations {
        bail!("timing {function} in {}: {} samples for {iterations} iterations", runtime.name(), samples_ms.len());
    }
    Ok(Timing { runtime, bundle, function: function.to_string(), median_ms: median(&samples_ms), samples_ms })
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
    let fixtures = Fixtures::write(ws)?;
    fixtures.args(selector)
}

/// The fixtures as written, for picking several cases from one write.
pub struct Fixtures {
    pub dir: PathBuf,
    pub cases: Value,
}

impl Fixtures {
    /// [`write_fixtures`], then its `cases.json` read.
    pub fn write(ws: &Workspace) -> Result<Fixtures> {
        let dir = write_fixtures(ws)?;
        let path = dir.join("cases.json");
        let text = fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
        let cases: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
        Ok(Fixtures { dir, cases })
    }

    /// The function and arguments of the case `selector` picks (see [`case_args`]).
    pub fn args(&self, selector: &str) -> Result<(String, Vec<JsArg>)> {
        case_args(&self.cases, &self.dir, selector).with_context(|| {
            let names: Vec<&str> =
                self.cases["cases"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str()).collect();
            format!("no fixture case is named or calls `{selector}`; the cases are: {}", names.join("; "))
        })
    }
}

/// `cargo xtask sdk [--time CASE] [--iterations N]`: builds the SDK; with `--time`, times the case
/// (a fixture case's name, or an exported function: its first case) in Node and in Chromium.
pub fn command(time: Option<&str>, iterations: usize) -> Result<ExitCode> {
    let ws = Workspace::load()?;
    let built = build(&ws)?;
    let Some(selector) = time else {
        println!("xtask sdk: built in {:.1}s:", built.seconds);
        for (dir, bundle) in
            [(&built.node_dir, Bundle::Full), (&built.web_dir, Bundle::Core), (&built.web_full_dir, Bundle::Full)]
        {
            println!("  {} ({})", dir.display(), bundle.name());
        }
        println!("{}", format_sizes(&built.sizes));
        return Ok(ExitCode::SUCCESS);
    };
    let (function, args) = fixture_args(&ws, selector)?;
    let bundle = bundle_with(&ws, &function)?;
    for t in
        [time_in_node(&ws, &function, &args, iterations)?, time_in_browser(&ws, bundle, &function, &args, iterations)?]
    {
        println!(
            "xtask sdk: {selector}: {function} in {} ({} bundle): {:.3} ms per call (median of {iterations}; min {:.3}, max {:.3})",
            t.runtime.name(),
            t.bundle.name(),
            t.median_ms,
            t.samples_ms.iter().copied().fold(f64::INFINITY, f64::min),
            t.samples_ms.iter().copied().fold(0.0, f64::max),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The size table `cargo xtask sdk` prints.
pub fn format_sizes(sizes: &[BundleSizes]) -> String {
    let mut out = format!(
        "{:<7} {:>14} {:>19} {:>16} {:>13}\n",
        "bundle", "rustc (bytes)", "wasm-bindgen (bytes)", "wasm-opt (bytes)", "gzip -9 (KiB)"
    );
    for s in sizes {
        out.push_str(&format!(
            "{:<7} {:>14} {:>19} {:>16} {:>13.1}\n",
            s.bundle.name(),
            s.raw,
            s.bindgen,
            s.wasm,
            s.gzip as f64 / 1024.0
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_say_their_module_kind() {
        let node: Value = serde_json::from_str(&package_json(Package::Node, "0.1.0")).unwrap();
        assert_eq!((node["type"].as_str(), node["main"].as_str()), (Some("commonjs"), Some("resource_sdk_wasm.js")));
        let web: Value = serde_json::from_str(&package_json(Package::Web, "0.1.0")).unwrap();
        assert_eq!(web["type"], "module");
        assert_eq!(web["version"], "0.1.0");
        assert!(web["files"].as_array().unwrap().iter().any(|f| f == "resource_sdk_wasm_bg.wasm"));
        assert!(web["files"].as_array().unwrap().iter().any(|f| f == "chain.mjs"), "{web}");
        let full: Value = serde_json::from_str(&package_json(Package::WebFull, "0.1.0")).unwrap();
        assert_eq!(
            (full["type"].as_str(), full["name"].as_str()),
            (Some("module"), Some("@resource-on-cosmos/sdk-web-full"))
        );
        assert!(web["description"].as_str().unwrap().contains("core bundle"), "{web}");
        assert!(full["description"].as_str().unwrap().contains("full bundle"), "{full}");
    }

    #[test]
    fn three_packages_of_two_bundles() {
        let of = |p: Package| (p.dir_name(), p.bundle(), p.target(), p.optimised());
        assert_eq!(
            Package::ALL.map(of),
            [
                ("node", Bundle::Full, Target::Node, false),
                ("web", Bundle::Core, Target::Web, true),
                ("web-full", Bundle::Full, Target::Web, true),
            ]
        );
        assert_eq!(Bundle::Core.cargo_args(), ["--no-default-features"]);
        assert!(Bundle::Full.cargo_args().is_empty());
        assert_ne!(Bundle::Core.target_subdir(), Bundle::Full.target_subdir());
        assert_eq!(Bundle::ALL.map(|b| b.web_package()), [Package::Web, Package::WebFull]);
        assert!(WASM_OPT_ARGS.contains(&"-Oz"));
        assert!(rustflags(WasmToolchain::DebianViaRustup).contains(&"-Cpanic=immediate-abort"));
        assert!(rustflags(WasmToolchain::RustupTarget).is_empty(), "a precompiled std takes no -Z flags");
    }

    #[test]
    fn declarations_tell_which_bundle_exports_a_function() {
        let dts = "export function previewPayment(config_json: string): string;\nexport function bundle(): string;\n";
        assert!(declares(dts, "previewPayment"));
        assert!(!declares(dts, "proveCredential"));
        assert!(!declares(dts, "preview"));
    }

    #[test]
    fn size_tables() {
        let s = BundleSizes { bundle: Bundle::Core, raw: 1000, bindgen: 900, wasm: 800, gzip: 2048 };
        let table = format_sizes(&[s]);
        assert!(table.lines().nth(1).unwrap().starts_with("core"), "{table}");
        assert!(table.contains(" 2.0\n"), "{table}");
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
        let spec = timing_spec(
            Runtime::Chromium,
            Bundle::Full,
            "f",
            &[JsArg::Str("{}".into()), JsArg::Bytes("/k.bin".into())],
            5,
        );
        assert_eq!(
            spec,
            json!({"runtime": "chromium", "bundle": "full", "function": "f", "args": [{"string": "{}"}, {"file": "/k.bin"}],
                   "iterations": 5, "warmup": 1})
        );
        assert_eq!(
            page_ready_spec(Bundle::Core, 3),
            json!({"runtime": "chromium", "bundle": "core", "page_ready_runs": 3})
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
