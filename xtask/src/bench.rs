//! `cargo xtask bench <name> [--json]`: the benchmark dispatcher.
//!
//! Benchmarks are rows of [`BENCHES`]; a row without a runner is planned (its issue is open) and
//! says so instead of printing made-up numbers.

use std::io::Write as _;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::devnet;
use crate::metadata::Workspace;
use crate::proc;
use crate::sdk;
use crate::suites::cargo;

#[derive(Debug)]
pub struct Bench {
    pub name: &'static str,
    pub about: &'static str,
    /// `None` until the benchmark is written. The flag is `--json`.
    pub run: Option<fn(bool) -> Result<ExitCode>>,
}

pub const BENCHES: &[Bench] = &[
    Bench {
        name: "gas",
        about: "whole-transaction gas of the credit token vs cw20-base vs a no-op baseline, on a local devnet",
        run: Some(gas),
    },
    Bench {
        name: "clearing",
        about: "optimal clearing vs greedy cycle cancelling on synthetic supply chains of 10k, 100k and 1M obligations",
        run: Some(clearing),
    },
    Bench {
        name: "bridge",
        about: "the meta-bridge on two devnet chains with Hermes: gas of send (vs cw20-base send), receive, ack; blocks to credit and to refund over 20 payments",
        run: Some(bridge),
    },
    Bench {
        name: "zk",
        about: "credential circuits: constraints, proving natively / in Node / in headless Chromium, verification natively and on a devnet",
        run: Some(zk),
    },
    Bench {
        name: "sdk",
        about: "the wasm SDK's core and full bundles: wasm and gzip bytes, page ready, a payment preview and a signature in headless Chromium",
        run: Some(sdk_bench),
    },
];

fn names(available: bool) -> Vec<&'static str> {
    BENCHES.iter().filter(|b| b.run.is_some() == available).map(|b| b.name).collect()
}

/// The line that lists what can run and what is planned.
pub fn listing() -> String {
    let list = |v: Vec<&str>| {
        if v.is_empty() {
            "none yet".to_string()
        } else {
            v.join(", ")
        }
    };
    format!("available benchmarks: {}; planned: {}", list(names(true)), list(names(false)))
}

pub fn command(name: Option<&str>, json: bool) -> Result<ExitCode> {
    let Some(name) = name else {
        for b in BENCHES {
            let state = if b.run.is_some() { "" } else { "  (planned, not implemented yet)" };
            println!("{:<10} {}{state}", b.name, b.about);
        }
        return Ok(ExitCode::SUCCESS);
    };
    match BENCHES.iter().find(|b| b.name == name) {
        Some(Bench { run: Some(run), .. }) => run(json),
        Some(Bench { about, .. }) => {
            bail!("benchmark `{name}` ({about}) is planned but not implemented yet; {}", listing())
        }
        None => bail!("unknown benchmark `{name}`; {}", listing()),
    }
}

/// Port offset of the benchmarks' devnet: clear of the chain suite's (0) and of the CLI tests' (200, and 300
/// with a second chain at +100 REST, which rules out 400).
const GAS_DEVNET_PORT_OFFSET: u16 = 500;

/// With `--json`, stdout must carry the JSON lines alone: everything else xtask and its children
/// print goes to stderr while this is alive, and [`JsonStdout::emit`] writes to the real stdout.
struct JsonStdout {
    real: Option<std::fs::File>,
}

impl JsonStdout {
    fn new(json: bool) -> Result<Self> {
        if !json {
            return Ok(JsonStdout { real: None });
        }
        // SAFETY: dup/dup2 on the process's own standard descriptors; the duplicate is owned here.
        let real = unsafe {
            let fd = libc::dup(1);
            if fd < 0 || libc::dup2(2, 1) < 0 {
                bail!("could not redirect stdout: {}", std::io::Error::last_os_error());
            }
            OwnedFd::from_raw_fd(fd)
        };
        Ok(JsonStdout { real: Some(real.into()) })
    }

    fn emit(&mut self, line: &str) -> Result<()> {
        match &mut self.real {
            Some(out) => writeln!(out, "{line}").context("writing to stdout"),
            None => Ok(()),
        }
    }
}

impl Drop for JsonStdout {
    fn drop(&mut self) {
        if let Some(real) = &self.real {
            use std::os::fd::AsRawFd;
            let _ = std::io::stdout().flush();
            // SAFETY: restores fd 1 from the duplicate taken in `new`.
            unsafe { libc::dup2(real.as_raw_fd(), 1) };
        }
    }
}

/// `cargo xtask bench gas`: artifacts, a devnet of its own, then `gas-bench` (tests/bench/gas.rs).
fn gas(json: bool) -> Result<ExitCode> {
    let mut out = JsonStdout::new(json)?;
    let ws = Workspace::load()?;
    for line in on_devnet(&ws, "gas-bench", json)? {
        out.emit(&line)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts the benchmarks' own devnet, runs `bin` of resource-tests (tests/bench) against it, stops
/// the devnet, and returns the JSON lines `bin` printed.
fn on_devnet(ws: &Workspace, bin: &str, json: bool) -> Result<Vec<String>> {
    on_devnet_with(ws, bin, &[], json)
}

/// [`on_devnet`] with more arguments for `bin`.
fn on_devnet_with(ws: &Workspace, bin: &str, args: &[&str], json: bool) -> Result<Vec<String>> {
    on_devnets(
        ws,
        bin,
        args,
        json,
        Devnets { home: "devnet-bench", port_offset: GAS_DEVNET_PORT_OFFSET, chains: 1 },
        &[],
    )
}

/// Port offset of the bridge benchmark's two chains (RPC 28707 and 29707; no suite uses them).
pub const BRIDGE_DEVNET_PORT_OFFSET: u16 = 2050;

/// The devnet a benchmark runs on.
struct Devnets {
    home: &'static str,
    port_offset: u16,
    chains: usize,
}

/// `cargo xtask bench bridge`: `bridge-bench` (tests/bench/bridge.rs) on two chains, Hermes relaying.
fn bridge(json: bool) -> Result<ExitCode> {
    let mut out = JsonStdout::new(json)?;
    let ws = Workspace::load()?;
    let hermes = crate::tools::hermes()?;
    let devnets = Devnets { home: "devnet-bridge-bench", port_offset: BRIDGE_DEVNET_PORT_OFFSET, chains: 2 };
    for line in on_devnets(&ws, "bridge-bench", &[], json, devnets, &[("RESOURCE_HERMES", hermes)])? {
        out.emit(&line)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn on_devnets(
    ws: &Workspace,
    bin: &str,
    args: &[&str],
    json: bool,
    devnets: Devnets,
    env: &[(&str, std::path::PathBuf)],
) -> Result<Vec<String>> {
    let home = ws.target_directory.join(devnets.home);
    let mut reports = None;
    let guard = match devnet::start(ws, &mut reports, &home, devnets.port_offset, devnets.chains, "xtask bench")? {
        Ok(guard) => guard,
        Err(why) => bail!("{why}: {bin} did not run"),
    };
    let mut cmd = cargo(ws);
    cmd.args(["run", "--quiet", "-p", "resource-tests", "--bin", bin, "--"]).args(args);
    if json {
        cmd.arg("--json");
    }
    cmd.env("RESOURCE_DEVNET_HOME", &home).env("RESOURCE_ARTIFACTS", ws.artifacts_dir());
    for (key, value) in env {
        cmd.env(key, value);
    }
    println!("xtask bench: $ {}", proc::describe(&cmd));
    let lines = collect_json(&mut cmd);
    drop(guard); // devnet down
    proc::bail_if_interrupted()?;
    lines.with_context(|| format!("{bin} failed; its output is above"))
}

/// Runs `cmd`, streaming its output, and returns the lines that are JSON objects.
fn collect_json(cmd: &mut std::process::Command) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let ran = proc::run_streaming(cmd, proc::FORWARD, |line| {
        if line.starts_with('{') {
            lines.push(line.to_string());
        }
    })?;
    if !ran.status.success() {
        bail!("exit status {}", ran.status);
    }
    Ok(lines)
}

/// `cargo xtask bench clearing`: first off chain, `clearing-bench` (benches/clearing) built with the
/// release profile, every measurement in a child process of its own; then on chain,
/// `clearing-gas-bench` (tests/bench/clearing_gas.rs): the gas of rounds of 10, 100 and 1,000 entries on
/// the benchmarks' devnet. Progress arrives on stderr, tables or JSON lines on stdout.
fn clearing(json: bool) -> Result<ExitCode> {
    let mut out = JsonStdout::new(json)?;
    let ws = Workspace::load()?;
    let mut cmd = cargo(&ws);
    cmd.args(["run", "--release", "--quiet", "-p", "clearing-bench", "--"]);
    if json {
        cmd.arg("--json");
    }
    println!("xtask bench: $ {}", proc::describe(&cmd));
    let off_chain = collect_json(&mut cmd);
    proc::bail_if_interrupted()?;
    let off_chain = off_chain.context("clearing-bench failed; its output is above")?;
    let on_chain = on_devnet(&ws, "clearing-gas-bench", json)?;
    for line in off_chain.iter().chain(&on_chain) {
        out.emit(line)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Timed calls per kind in Node and in Chromium (after one warm-up call).
const ZK_WASM_ROUNDS: usize = 10;

/// The fields of one `cargo xtask bench zk` line, in order.
const ZK_FIELDS: &[&str] = &[
    "circuit",
    "constraints",
    "prove_ms_native",
    "prove_ms_node",
    "prove_ms_browser",
    "verify_ms_native",
    "verify_gas",
    "verify_share",
    "proof_bytes",
    "pk_bytes",
];

/// One line of the zk benchmark, its fields in order (serde_json's maps sort their keys).
#[derive(Debug)]
pub struct ZkRow(pub Vec<(String, serde_json::Value)>);

impl ZkRow {
    pub fn get(&self, key: &str) -> &serde_json::Value {
        self.0.iter().find(|(k, _)| k == key).map_or(&serde_json::Value::Null, |(_, v)| v)
    }

    pub fn to_json(&self) -> String {
        let fields: Vec<String> =
            self.0.iter().map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.clone()))).collect();
        format!("{{{}}}", fields.join(","))
    }
}

/// Joins the three sources of the zk benchmark into one line per circuit, fields in [`ZK_FIELDS`]
/// order (then any others the sources gave). A circuit missing from a source is an error.
pub fn zk_rows(
    native: &[serde_json::Value],
    wasm: &[(String, f64, f64)],
    gas: &[serde_json::Value],
) -> Result<Vec<ZkRow>> {
    let mut rows = Vec::new();
    for n in native {
        let circuit = n["circuit"].as_str().context("a zk-bench line without `circuit`")?;
        let (_, node, browser) = wasm
            .iter()
            .find(|(c, _, _)| c == circuit)
            .with_context(|| format!("no Node and browser timing for the {circuit} circuit"))?;
        let g = gas
            .iter()
            .find(|g| g["circuit"] == circuit)
            .with_context(|| format!("no devnet gas for the {circuit} circuit"))?;
        let mut all = n.as_object().cloned().unwrap_or_default();
        all.insert("prove_ms_node".into(), serde_json::json!(node));
        all.insert("prove_ms_browser".into(), serde_json::json!(browser));
        for (k, v) in g.as_object().into_iter().flatten() {
            if k != "circuit" {
                all.insert(k.clone(), v.clone());
            }
        }
        let mut row = Vec::new();
        for f in ZK_FIELDS {
            let v = all.remove(*f).with_context(|| format!("the {circuit} row has no `{f}`"))?;
            row.push(((*f).to_string(), v));
        }
        row.extend(all);
        rows.push(ZkRow(row));
    }
    Ok(rows)
}

/// `cargo xtask bench zk`: `zk-bench` (benches/zk, release) for the native figures; the SDK built
/// for wasm32 and each kind's proof timed in Node and in headless Chromium ([`sdk::time_in_node`],
/// [`sdk::time_in_browser`]); then on the benchmarks' devnet `gas-bench --op credential`, the whole
/// transaction of `SubmitCredentialProof` per kind and its share over the no-op baseline. One line
/// per claim kind.
fn zk(json: bool) -> Result<ExitCode> {
    let mut out = JsonStdout::new(json)?;
    let ws = Workspace::load()?;
    let mut cmd = cargo(&ws);
    cmd.args(["run", "--release", "--quiet", "-p", "zk-bench", "--", "--json"]);
    println!("xtask bench: $ {}", proc::describe(&cmd));
    let native = collect_json(&mut cmd);
    proc::bail_if_interrupted()?;
    let native = native.context("zk-bench failed; its output is above")?;
    let native: Vec<serde_json::Value> =
        native.iter().map(|l| serde_json::from_str(l)).collect::<Result<_, _>>().context("zk-bench's JSON")?;

    sdk::build(&ws)?;
    let mut wasm = Vec::new();
    for n in &native {
        let circuit = n["circuit"].as_str().context("a zk-bench line without `circuit`")?.to_string();
        let (function, args) =
            sdk::fixture_args(&ws, &format!("proveCredential: a {circuit} proof verifies natively"))?;
        let node = sdk::time_in_node(&ws, &function, &args, ZK_WASM_ROUNDS)?.median_ms;
        let browser = sdk::time_in_browser(&ws, sdk::Bundle::Full, &function, &args, ZK_WASM_ROUNDS)?.median_ms;
        println!("xtask bench: {circuit}: proving {node:.0} ms in Node, {browser:.0} ms in Chromium");
        wasm.push((circuit, node, browser));
    }

    let gas = on_devnet_with(&ws, "gas-bench", &["--op", "credential"], true)?;
    let gas: Vec<serde_json::Value> =
        gas.iter().map(|l| serde_json::from_str(l)).collect::<Result<_, _>>().context("gas-bench's JSON")?;

    let rows = zk_rows(&native, &wasm, &gas)?;
    if json {
        for row in &rows {
            out.emit(&row.to_json())?;
        }
    } else {
        println!();
        println!(
            "{:<8} {:>11} {:>10} {:>9} {:>12} {:>10} {:>10} {:>12} {:>6} {:>9}",
            "circuit",
            "constraints",
            "prove ms",
            "Node ms",
            "Chromium ms",
            "verify ms",
            "verify gas",
            "verify share",
            "proof",
            "pk bytes"
        );
        for r in &rows {
            let f = |k: &str| r.get(k).as_f64().unwrap_or(f64::NAN);
            println!(
                "{:<8} {:>11} {:>10.1} {:>9.0} {:>12.0} {:>10.2} {:>10} {:>12} {:>6} {:>9}",
                r.get("circuit").as_str().unwrap_or("?"),
                f("constraints"),
                f("prove_ms_native"),
                f("prove_ms_node"),
                f("prove_ms_browser"),
                f("verify_ms_native"),
                f("verify_gas"),
                f("verify_share"),
                f("proof_bytes"),
                f("pk_bytes")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Page loads per bundle, each in a fresh browser context.
const SDK_PAGE_LOADS: usize = 7;
/// Timed `previewPayment` calls per bundle (tens of microseconds each).
const SDK_PREVIEW_CALLS: usize = 300;
/// Timed `signExecute` calls per bundle.
const SDK_SIGN_CALLS: usize = 50;

/// The issue's figures the SDK benchmark is shown beside.
pub mod sdk_reference {
    /// The core bundle's target, gzipped.
    pub const CORE_TARGET_KIB: f64 = 180.0;
    /// The issue's prototype with bip39's default features (Unicode tables), gzipped.
    pub const PROTOTYPE_KIB: f64 = 218.0;
    /// The same prototype with bip39's default features off.
    pub const PROTOTYPE_NO_UNICODE_KIB: f64 = 160.0;
    /// A payment preview in the browser under this.
    pub const PREVIEW_US: f64 = 1000.0;
    /// The checkout page ready on localhost under this.
    pub const PAGE_READY_MS: f64 = 1000.0;
}

/// One line of `cargo xtask bench sdk`.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkRow {
    pub bundle: &'static str,
    pub wasm_bytes: u64,
    pub gzip_bytes: u64,
    pub page_ready_ms: f64,
    pub preview_us: f64,
    pub sign_ms: f64,
    /// Which page `page_ready_ms` timed: `"checkout"` (the checkout example) or `"test"` (the SDK's
    /// test page, when there is no checkout example).
    pub page: &'static str,
    /// The SDK's test page (`sdk-wasm/test/browser/page.html`): navigation to the SDK ready.
    pub test_page_ready_ms: f64,
    /// Before wasm-opt and wasm-bindgen, for the record.
    pub bindgen_bytes: u64,
    pub rustc_bytes: u64,
}

impl SdkRow {
    /// The issue's fields in its order, then the build's other sizes.
    pub fn to_json(&self) -> String {
        let round = |v: f64, places: i32| {
            let f = 10f64.powi(places);
            (v * f).round() / f
        };
        format!(
            "{{\"bundle\":{},\"wasm_bytes\":{},\"gzip_bytes\":{},\"page_ready_ms\":{},\"preview_us\":{},\"sign_ms\":{},\"page\":{},\"test_page_ready_ms\":{},\"bindgen_bytes\":{},\"rustc_bytes\":{}}}",
            serde_json::Value::from(self.bundle),
            self.wasm_bytes,
            self.gzip_bytes,
            serde_json::json!(round(self.page_ready_ms, 1)),
            serde_json::json!(round(self.preview_us, 1)),
            serde_json::json!(round(self.sign_ms, 3)),
            serde_json::Value::from(self.page),
            serde_json::json!(round(self.test_page_ready_ms, 1)),
            self.bindgen_bytes,
            self.rustc_bytes
        )
    }
}

/// The table `cargo xtask bench sdk` prints without `--json`, the issue's figures beside.
pub fn sdk_table(rows: &[SdkRow]) -> String {
    use sdk_reference::*;
    let kib = |b: u64| b as f64 / 1024.0;
    let mut out = format!(
        "{:<6} {:>11} {:>10} {:>9} {:>14} {:>19} {:>11} {:>8}\n",
        "bundle",
        "wasm bytes",
        "gzip bytes",
        "gzip KiB",
        "page ready ms",
        "test page ready ms",
        "preview us",
        "sign ms"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<6} {:>11} {:>10} {:>9.1} {:>14.1} {:>19.1} {:>11.1} {:>8.2}\n",
            r.bundle,
            r.wasm_bytes,
            r.gzip_bytes,
            kib(r.gzip_bytes),
            r.page_ready_ms,
            r.test_page_ready_ms,
            r.preview_us,
            r.sign_ms
        ));
    }
    if let Some(r) = rows.first() {
        let which =
            if r.page == "checkout" { "the checkout example (examples/checkout)" } else { "the SDK's test page" };
        out.push_str(&format!("page ready: {which}, navigation to ready on 127.0.0.1\n"));
    }
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    out.push_str(&format!(
        "\nthe issue: core bundle at most {CORE_TARGET_KIB:.0} KiB gzipped (its prototype: {PROTOTYPE_KIB:.0} KiB, {PROTOTYPE_NO_UNICODE_KIB:.0} KiB without bip39's Unicode tables); preview under {PREVIEW_US:.0} us; page ready under {PAGE_READY_MS:.0} ms\n"
    ));
    if let Some(core) = rows.iter().find(|r| r.bundle == "core") {
        out.push_str(&format!(
            "core: {:.1} KiB gzipped, target {}; preview {:.1} us, target {}; page ready {:.0} ms, target {}\n",
            kib(core.gzip_bytes),
            verdict(kib(core.gzip_bytes) <= CORE_TARGET_KIB),
            core.preview_us,
            verdict(core.preview_us < PREVIEW_US),
            core.page_ready_ms,
            verdict(core.page_ready_ms < PAGE_READY_MS)
        ));
    }
    out
}

/// `cargo xtask bench sdk`: builds both bundles ([`sdk::build`]: opt-level z, wasm-bindgen,
/// wasm-opt -Oz), then for each: the web package's wasm and its gzip -9 size; the test page
/// (`sdk-wasm/test/browser/page.html`) loading that bundle in headless Chromium from a static
/// server on 127.0.0.1, navigation to the SDK ready, the median of [`SDK_PAGE_LOADS`] fresh loads;
/// the medians of `previewPayment` and `signExecute` on their first fixture cases in that page;
/// and, when the checkout example exists, its page served by its own server with that bundle on
/// the benchmarks' devnet, navigation to `window.checkoutReady` (the figure `page_ready_ms` then
/// gives; the test page's stays in `test_page_ready_ms`).
fn sdk_bench(json: bool) -> Result<ExitCode> {
    let mut out = JsonStdout::new(json)?;
    let ws = Workspace::load()?;
    let built = sdk::build(&ws)?;
    let fixtures = sdk::Fixtures::write(&ws)?;
    let (preview_fn, preview_args) = fixtures.args("previewPayment")?;
    let (sign_fn, sign_args) = fixtures.args("signExecute")?;
    let mut rows = Vec::new();
    for bundle in sdk::Bundle::ALL {
        let sizes = built.sizes(bundle);
        let test_page_ready_ms = sdk::median(&sdk::page_ready_in_browser(&ws, bundle, SDK_PAGE_LOADS)?);
        let preview = sdk::time_in_browser(&ws, bundle, &preview_fn, &preview_args, SDK_PREVIEW_CALLS)?;
        let sign = sdk::time_in_browser(&ws, bundle, &sign_fn, &sign_args, SDK_SIGN_CALLS)?;
        rows.push(SdkRow {
            bundle: bundle.name(),
            wasm_bytes: sizes.wasm,
            gzip_bytes: sizes.gzip,
            page_ready_ms: test_page_ready_ms,
            preview_us: preview.median_ms * 1000.0,
            sign_ms: sign.median_ms,
            page: "test",
            test_page_ready_ms,
            bindgen_bytes: sizes.bindgen,
            rustc_bytes: sizes.raw,
        });
    }
    // The checkout example needs its chain (its server onboards customers on it): the benchmarks'
    // devnet, the SDK's token deployed by `sdk-fixtures devnet`.
    if sdk::checkout_page(&ws).is_some() {
        let home = ws.target_directory.join("devnet-bench");
        let mut reports = None;
        let guard = match devnet::start(&ws, &mut reports, &home, GAS_DEVNET_PORT_OFFSET, 1, "xtask bench")? {
            Ok(guard) => guard,
            Err(why) => bail!("{why}: the checkout page was not timed"),
        };
        let network = home.join("sdk-devnet.json");
        let timed = sdk::deploy_on_devnet(&ws, &home, &network).and_then(|()| {
            rows.iter_mut().zip(sdk::Bundle::ALL).try_for_each(|(row, bundle)| -> Result<()> {
                let samples = sdk::checkout_ready_in_browser(&ws, bundle, &network, SDK_PAGE_LOADS)?;
                row.page_ready_ms = sdk::median(&samples);
                row.page = "checkout";
                Ok(())
            })
        });
        drop(guard); // devnet down
        proc::bail_if_interrupted()?;
        timed?;
    }
    for row in &rows {
        println!("xtask bench: {}", row.to_json());
    }
    if json {
        for row in &rows {
            out.emit(&row.to_json())?;
        }
    } else {
        println!();
        print!("{}", sdk_table(&rows));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zk_rows_join_the_sources_in_the_issue_s_field_order() {
        let native = vec![serde_json::json!({"circuit": "rating", "constraints": 827, "prove_ms_native": 120.5,
            "verify_ms_native": 1.9, "verify_ms_native_contract_path": 2.5, "proof_bytes": 192, "pk_bytes": 499468, "vk_bytes": 440})];
        let wasm = vec![("rating".to_string(), 700.0, 650.0)];
        let gas = vec![serde_json::json!({"circuit": "rating", "verify_gas": 240000, "verify_share": 90000})];
        let rows = zk_rows(&native, &wasm, &gas).unwrap();
        let keys: Vec<&str> = rows[0].0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(&keys[..ZK_FIELDS.len()], ZK_FIELDS);
        assert_eq!(&keys[ZK_FIELDS.len()..], ["verify_ms_native_contract_path", "vk_bytes"]);
        assert_eq!(rows[0].get("prove_ms_browser"), 650.0);
        let line = rows[0].to_json();
        assert!(line.starts_with(r#"{"circuit":"rating","constraints":827,"prove_ms_native":120.5,"#), "{line}");
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["verify_share"], 90000);
        let err = zk_rows(&native, &wasm, &[]).unwrap_err().to_string();
        assert!(err.contains("no devnet gas for the rating circuit"), "{err}");
    }

    #[test]
    fn sdk_rows_print_the_issue_s_fields_in_its_order() {
        let row = SdkRow {
            bundle: "core",
            wasm_bytes: 400_000,
            gzip_bytes: 150_000,
            page_ready_ms: 123.456,
            preview_us: 41.04,
            sign_ms: 2.5,
            page: "checkout",
            test_page_ready_ms: 99.0,
            bindgen_bytes: 450_000,
            rustc_bytes: 500_000,
        };
        let line = row.to_json();
        assert!(
            line.starts_with(r#"{"bundle":"core","wasm_bytes":400000,"gzip_bytes":150000,"page_ready_ms":123.5,"preview_us":41.0,"sign_ms":2.5,"#),
            "{line}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["rustc_bytes"], 500_000);
        assert_eq!((parsed["page"].as_str(), parsed["test_page_ready_ms"].as_f64()), (Some("checkout"), Some(99.0)));
        let table = sdk_table(std::slice::from_ref(&row));
        assert!(table.contains("146.5"), "{table}");
        assert!(
            table.contains(
                "core: 146.5 KiB gzipped, target met; preview 41.0 us, target met; page ready 123 ms, target met"
            ),
            "{table}"
        );
        let big = SdkRow { gzip_bytes: 200 * 1024, page_ready_ms: 1500.0, ..row };
        let table = sdk_table(&[big]);
        assert!(table.contains("200.0 KiB gzipped, target NOT met"), "{table}");
        assert!(table.contains("page ready 1500 ms, target NOT met"), "{table}");
        assert!(table.contains("218 KiB, 160 KiB without bip39's Unicode tables"), "{table}");
    }

    #[test]
    fn unknown_benchmarks_are_errors_that_list_the_others() {
        let err = command(Some("speed"), false).unwrap_err().to_string();
        assert!(err.contains("unknown benchmark `speed`"), "{err}");
        assert!(err.contains("available benchmarks: gas, clearing, bridge, zk, sdk; planned: none yet"), "{err}");
    }

    #[test]
    fn every_benchmark_is_runnable() {
        assert!(names(false).is_empty(), "planned: {:?}", names(false));
        assert_eq!(names(true), ["gas", "clearing", "bridge", "zk", "sdk"]);
    }
}
