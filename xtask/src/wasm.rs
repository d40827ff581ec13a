//! `cargo xtask wasm`: contracts -> `artifacts/<name>.wasm` -> `artifacts/checksums.txt` -> cosmwasm-check.
//!
//! Each crate is built in its own `cargo build` so that cargo cannot unify features across
//! contracts (one contract's `cosmwasm_2_1` would leak into another's artifact).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::metadata::{WasmCrate, Workspace};
use crate::proc;
use crate::tools::{self, WasmToolchain, WASM_TARGET};

/// Capabilities of the chain the contracts target (wasmd 0.53 / wasmvm 2.1, see TOOLCHAIN.md).
/// Never `cosmwasm_2_2`: that chain rejects it.
pub const CAPABILITIES: &[&str] = &[
    "iterator",
    "stargate",
    "staking",
    "cosmwasm_1_1",
    "cosmwasm_1_2",
    "cosmwasm_1_3",
    "cosmwasm_1_4",
    "cosmwasm_2_0",
    "cosmwasm_2_1",
];

pub const CHECKSUMS_FILE: &str = "checksums.txt";

/// `-C target-cpu=mvp`: no bulk-memory / reference-types / sign-ext in our code (and in std when it is
/// rebuilt), which wasmvm 2.1 rejects. `--allow-undefined`: rustc 1.96 no longer passes it to the
/// wasm linker itself, and cosmwasm-std's host imports (`db_read`, ...) need it.
pub const RUSTFLAGS: &str = "-C target-cpu=mvp -C link-arg=--allow-undefined";

/// Where the source paths that panic locations embed are rewritten to: the same artifact whatever
/// the builder's home directory, and shorter (the crate registry's folder alone is 59 bytes long).
const REMAPPED_REGISTRY: &str = "/crates";
const REMAPPED_GIT: &str = "/git";
/// Debian's std source, which `-Zbuild-std` compiles.
const DEBIAN_STD_SOURCE: &str = "/usr/lib/rustlib/src/rust";
const REMAPPED_STD: &str = "/rust";

/// [`RUSTFLAGS`] plus `--remap-path-prefix` for the crate registry, git checkouts and Debian's std
/// source, as `CARGO_ENCODED_RUSTFLAGS` (one flag per 0x1f-separated field, so paths may hold spaces).
pub fn encoded_rustflags() -> String {
    encoded_rustflags_with(&RUSTFLAGS.split(' ').collect::<Vec<_>>())
}

/// `base` plus the same `--remap-path-prefix` flags, as `CARGO_ENCODED_RUSTFLAGS` (the SDK's build
/// uses other base flags than the contracts').
pub fn encoded_rustflags_with(base: &[&str]) -> String {
    let mut flags: Vec<String> = base.iter().map(|f| f.to_string()).collect();
    let mut remap = |from: &Path, to: &str| flags.push(format!("--remap-path-prefix={}={to}", from.display()));
    if let Some(cargo_home) = cargo_home() {
        // One folder per registry (`index.crates.io-<hash>`), each remapped on its own.
        if let Ok(entries) = fs::read_dir(cargo_home.join("registry").join("src")) {
            let mut registries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            registries.sort();
            for dir in registries {
                remap(&dir, REMAPPED_REGISTRY);
            }
        }
        remap(&cargo_home.join("git").join("checkouts"), REMAPPED_GIT);
    }
    remap(Path::new(DEBIAN_STD_SOURCE), REMAPPED_STD);
    flags.join("\x1f")
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
}

/// wasm-opt arguments (before the input file), the same for both toolchains.
///
/// A rustup target's precompiled std contains post-MVP instructions (bulk memory, non-trapping
/// float-to-int, sign extension) which wasmvm 2.1 rejects: accept them on input (rustc's
/// `target_features` section is stripped by the release profile, so wasm-opt must be told), lower
/// them to MVP *before* `-Os` so the optimiser cannot build on them (e.g. `memory.init` from memory
/// packing), and lower the sign-extension ops `-Os` itself may introduce (binaryen enables sign-ext
/// by default) afterwards. On an MVP build (Debian recipe) the first three passes change nothing:
/// the output is byte-identical to `-Os --signext-lowering` (cw20_base: 302,133 bytes). Checked on a
/// generic-features std too (built with `-Zbuild-std` without `target-cpu=mvp`): 301,300 bytes,
/// passes cosmwasm-check, where `-Os --signext-lowering` alone fails to validate the input.
pub const WASM_OPT_ARGS: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--llvm-memory-copy-fill-lowering",
    "--llvm-nontrapping-fptoint-lowering",
    "--signext-lowering",
    "-Os",
    "--signext-lowering",
    // No-ops today (the release profile's `strip = true` leaves no custom sections; measured: 0
    // bytes), kept so a profile change cannot ship compiler versions or DWARF in artifacts.
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

#[derive(Debug, Clone)]
pub struct ArtifactReport {
    pub artifact: String,
    pub package: String,
    /// Size of `artifacts/<artifact>.wasm` when it was produced.
    pub size: Option<u64>,
    /// `Ok` when built, optimised and checked; else what failed, in one line.
    pub result: Result<(), String>,
    /// Longer output of the failing step (cargo errors are already on the terminal).
    pub details: Option<String>,
}

impl ArtifactReport {
    pub fn passed(&self) -> bool {
        self.result.is_ok()
    }
}

pub fn command(package: Option<&str>) -> Result<ExitCode> {
    let ws = Workspace::load()?;
    let reports = pipeline(&ws, package)?;
    let failed = reports.iter().filter(|r| !r.passed()).count();
    if failed > 0 {
        eprintln!("error: {failed} of {} artifacts failed (see the table and the output above)", reports.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Chooses the crates to build: all, or the one whose package or artifact name is `only`.
pub fn select(crates: Vec<WasmCrate>, only: Option<&str>) -> Result<Vec<WasmCrate>> {
    let Some(only) = only else { return Ok(crates) };
    let known = crates.iter().map(|c| format!("{} ({})", c.package, c.artifact)).collect::<Vec<_>>().join(", ");
    match crates.into_iter().find(|c| c.package == only || c.artifact == only) {
        Some(c) => Ok(vec![c]),
        None => bail!(
            "no wasm crate named `{only}`; wasm crates are: {}",
            if known.is_empty() {
                "none (cdylib crates under contracts/ or tests/fixtures/)".to_string()
            } else {
                known
            }
        ),
    }
}

/// Builds, optimises, checksums and checks; prints progress and the table. `Err` only when the
/// pipeline cannot start (tools, metadata); failures of single artifacts are in the reports.
pub fn pipeline(ws: &Workspace, only: Option<&str>) -> Result<Vec<ArtifactReport>> {
    let all = ws.wasm_crates()?;
    let crates = select(all.clone(), only)?;
    if crates.is_empty() {
        println!("xtask wasm: no wasm crates (cdylib crates under contracts/ or tests/fixtures/)");
        return Ok(Vec::new());
    }
    let toolchain = tools::wasm_toolchain()?;
    println!("xtask wasm: toolchain: {}", toolchain.describe());
    let wasm_opt = tools::wasm_opt()?;
    let checker = tools::cosmwasm_check()?;
    proc::bail_if_interrupted()?;

    let out_dir = ws.artifacts_dir();
    fs::create_dir_all(&out_dir).with_context(|| format!("could not create {}", out_dir.display()))?;
    let target_dir = ws.target_directory.join("wasm");

    let mut reports = Vec::new();
    let n = crates.len();
    for (i, krate) in crates.iter().enumerate() {
        proc::bail_if_interrupted()?;
        let dest = out_dir.join(format!("{}.wasm", krate.artifact));
        println!("xtask wasm: [{}/{n}] building {} -> artifacts/{}.wasm", i + 1, krate.package, krate.artifact);
        let started = Instant::now();
        let mut report = ArtifactReport {
            artifact: krate.artifact.clone(),
            package: krate.package.clone(),
            size: None,
            result: Ok(()),
            details: None,
        };
        let built = build(ws, toolchain, krate, &target_dir).and_then(|raw| {
            let stamp = target_dir.join("opt-stamps").join(format!("{}.txt", krate.artifact));
            optimise(&wasm_opt, &raw, &dest, &stamp)
        });
        proc::bail_if_interrupted()?;
        match built {
            Ok((raw_size, size)) => {
                println!(
                    "xtask wasm: [{}/{n}] {} : {raw_size} bytes from rustc, {size} after wasm-opt ({:.1}s)",
                    i + 1,
                    krate.artifact,
                    started.elapsed().as_secs_f64()
                );
                report.size = Some(size);
            }
            Err(err) => {
                // Never leave an artifact behind that does not match the sources.
                let _ = fs::remove_file(&dest);
                report.result = Err(format!("{err:#}"));
            }
        }
        reports.push(report);
    }

    write_checksums(&out_dir, &all)?;

    for report in reports.iter_mut().filter(|r| r.passed()) {
        proc::bail_if_interrupted()?;
        let file = out_dir.join(format!("{}.wasm", report.artifact));
        if let Err((line, details)) = check(&checker, &file)? {
            report.result = Err(line);
            report.details = Some(details);
        }
    }

    print!("{}", format_table(&reports));
    for r in &reports {
        if let (Err(line), Some(details)) = (&r.result, &r.details) {
            eprintln!("--- {}: {line}\n{details}", r.artifact);
        }
    }
    Ok(reports)
}

/// One `cargo build` for one crate; returns the path of the unoptimised wasm.
fn build(ws: &Workspace, toolchain: WasmToolchain, krate: &WasmCrate, target_dir: &Path) -> Result<PathBuf> {
    let mut cmd = toolchain.cargo();
    cmd.current_dir(&ws.workspace_root)
        .args(["build", "--release", "--lib", "--target", WASM_TARGET, "-p", &krate.package])
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", encoded_rustflags());
    if toolchain.builds_std() {
        cmd.arg("-Zbuild-std=std,panic_abort").env("RUSTC_BOOTSTRAP", "1");
    }
    // Contracts are size-sensitive (TOOLCHAIN.md: ~17% smaller for at most ~130 gas per execute).
    if std::env::var_os("CARGO_PROFILE_RELEASE_OPT_LEVEL").is_none() {
        cmd.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z");
    }
    let status = proc::run_inherit(&mut cmd)?;
    if !status.success() {
        bail!("cargo build failed ({status})");
    }
    let raw = target_dir.join(WASM_TARGET).join("release").join(format!("{}.wasm", krate.lib_name));
    if !raw.is_file() {
        bail!("cargo build succeeded but {} is missing", raw.display());
    }
    Ok(raw)
}

/// wasm-opt into a temporary file next to `dest`, then rename; returns (input size, output size).
fn optimise(wasm_opt: &Path, raw: &Path, dest: &Path, stamp_file: &Path) -> Result<(u64, u64)> {
    let raw_bytes = fs::read(raw).with_context(|| format!("could not read {}", raw.display()))?;
    let raw_size = raw_bytes.len() as u64;
    // Skip wasm-opt (seconds per contract) when this input, these arguments and this wasm-opt
    // already produced exactly the artifact that is there now.
    let input_key = opt_stamp_key(&raw_bytes);
    if let (Ok(stamp), Ok(current)) = (fs::read_to_string(stamp_file), fs::read(dest)) {
        if stamp == format!("{input_key}\n{}\n", sha256_hex(&current)) {
            println!("xtask wasm: wasm-opt skipped: {} is up to date", dest.display());
            return Ok((raw_size, current.len() as u64));
        }
    }
    let tmp = dest.with_extension("wasm.tmp");
    let mut cmd = Command::new(wasm_opt);
    cmd.args(WASM_OPT_ARGS).arg(raw).arg("-o").arg(&tmp);
    let out = proc::run_captured(&mut cmd)?;
    if !out.status.success() {
        let _ = fs::remove_file(&tmp);
        bail!(
            "wasm-opt failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let optimised = fs::read(&tmp).with_context(|| format!("could not read {}", tmp.display()))?;
    fs::rename(&tmp, dest).with_context(|| format!("could not move {} to {}", tmp.display(), dest.display()))?;
    if let Some(dir) = stamp_file.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(stamp_file, format!("{input_key}\n{}\n", sha256_hex(&optimised)))?;
    Ok((raw_size, optimised.len() as u64))
}

/// What determines wasm-opt's output: the input, the arguments and the wasm-opt version.
fn opt_stamp_key(raw: &[u8]) -> String {
    sha256_hex(format!("{}\n{}\n{}", sha256_hex(raw), WASM_OPT_ARGS.join(" "), tools::BINARYEN_VERSION).as_bytes())
}

/// Runs cosmwasm-check on one file: `Ok(Ok(()))` pass, `Ok(Err((summary, output)))` fail.
fn check(checker: &Path, file: &Path) -> Result<Result<(), (String, String)>> {
    let mut cmd = Command::new(checker);
    cmd.arg("--available-capabilities").arg(CAPABILITIES.join(",")).arg(file);
    let out = proc::run_captured(&mut cmd)?;
    if out.status.success() {
        return Ok(Ok(()));
    }
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let details: String = text
        .lines()
        .filter(|l| !l.starts_with("Available capabilities") && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Err((format!("cosmwasm-check failed ({})", out.status), details)))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `sha256sum` format, sorted by file name: `<hex>  <file>\n` per entry.
pub fn format_checksums(entries: &[(String, String)]) -> String {
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.iter().map(|(file, hash)| format!("{hash}  {file}\n")).collect()
}

/// Writes `checksums.txt` for every workspace artifact present in `dir` (verify with
/// `cd artifacts && sha256sum -c checksums.txt`). Other `.wasm` files are named and left out.
fn write_checksums(dir: &Path, crates: &[WasmCrate]) -> Result<()> {
    let mut entries = Vec::new();
    for c in crates {
        let file = format!("{}.wasm", c.artifact);
        let path = dir.join(&file);
        if path.is_file() {
            let bytes = fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
            entries.push((file, sha256_hex(&bytes)));
        }
    }
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && !entries.iter().any(|(f, _)| *f == name) {
            eprintln!(
                "warning: artifacts/{name} is not built by any workspace crate (stale?): left out of {CHECKSUMS_FILE}"
            );
        }
    }
    let path = dir.join(CHECKSUMS_FILE);
    let tmp = dir.join(format!(".{CHECKSUMS_FILE}.tmp"));
    fs::write(&tmp, format_checksums(&entries)).with_context(|| format!("could not write {}", tmp.display()))?;
    fs::rename(&tmp, &path).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

/// The result table: artifact, size in bytes, check result.
pub fn format_table(reports: &[ArtifactReport]) -> String {
    let w_name = reports.iter().map(|r| r.artifact.len() + 5).max().unwrap_or(0).max("artifact".len());
    let w_pkg = reports.iter().map(|r| r.package.len()).max().unwrap_or(0).max("crate".len());
    let mut s = String::new();
    let _ = writeln!(s, "\n{:<w_name$}  {:<w_pkg$}  {:>12}  cosmwasm-check", "artifact", "crate", "size (bytes)");
    for r in reports {
        let size = r.size.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        let result = match &r.result {
            Ok(()) => "pass".to_string(),
            Err(e) => format!("FAIL: {}", e.lines().next().unwrap_or("")),
        };
        let _ = writeln!(s, "{:<w_name$}  {:<w_pkg$}  {size:>12}  {result}", format!("{}.wasm", r.artifact), r.package);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_match_the_chain() {
        assert_eq!(
            CAPABILITIES.join(","),
            "iterator,stargate,staking,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1"
        );
        assert!(!CAPABILITIES.contains(&"cosmwasm_2_2"), "the wasmvm 2.1 chain rejects cosmwasm_2_2");
    }

    #[test]
    fn checksums_in_sha256sum_format() {
        let hash = sha256_hex(b"abc");
        assert_eq!(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let text = format_checksums(&[("b.wasm".into(), "22".into()), ("a.wasm".into(), hash.clone())]);
        assert_eq!(text, format!("{hash}  a.wasm\n22  b.wasm\n"));
        assert_eq!(format_checksums(&[]), "");
    }

    #[test]
    fn lowering_happens_before_optimising() {
        let pos = |a: &str| WASM_OPT_ARGS.iter().position(|x| *x == a).unwrap();
        let os = pos("-Os");
        assert!(pos("--llvm-memory-copy-fill-lowering") < os);
        assert!(pos("--llvm-nontrapping-fptoint-lowering") < os);
        assert_eq!(WASM_OPT_ARGS.iter().rposition(|x| *x == "--signext-lowering").unwrap(), os + 1);
        assert!(WASM_OPT_ARGS.iter().all(|a| !a.contains("reference-types") && !a.contains("multivalue")));
    }

    #[test]
    fn failing_check_reports_its_output() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("xtask-check-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let fake = dir.join("cosmwasm-check");
        fs::write(
            &fake,
            "#!/bin/sh\necho 'Available capabilities: {}'\necho \"$3: failure\"\necho 'Error: unavailable capabilities: cosmwasm_2_2'\nexit 1\n",
        )
        .unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
        let (line, details) = check(&fake, Path::new("x.wasm")).unwrap().unwrap_err();
        assert!(line.starts_with("cosmwasm-check failed"), "{line}");
        assert_eq!(details, "x.wasm: failure\nError: unavailable capabilities: cosmwasm_2_2");
        fs::write(&fake, "#!/bin/sh\nexit 0\n").unwrap();
        assert!(check(&fake, Path::new("x.wasm")).unwrap().is_ok());
        let _ = fs::remove_dir_all(&dir);
    }

    fn krate(package: &str, artifact: &str) -> WasmCrate {
        WasmCrate { package: package.into(), lib_name: package.replace('-', "_"), artifact: artifact.into() }
    }

    #[test]
    fn select_by_package_or_artifact() {
        let all = vec![krate("cw20-base-fixture", "cw20_base"), krate("credit", "resource_credit")];
        assert_eq!(select(all.clone(), None).unwrap().len(), 2);
        assert_eq!(select(all.clone(), Some("cw20_base")).unwrap()[0].package, "cw20-base-fixture");
        assert_eq!(select(all.clone(), Some("credit")).unwrap()[0].artifact, "resource_credit");
        let err = select(all, Some("nope")).unwrap_err().to_string();
        assert!(err.contains("cw20-base-fixture (cw20_base)"), "{err}");
    }

    #[test]
    fn table_shows_size_and_result() {
        let reports = vec![
            ArtifactReport {
                artifact: "cw20_base".into(),
                package: "p".into(),
                size: Some(302_123),
                result: Ok(()),
                details: None,
            },
            ArtifactReport {
                artifact: "x".into(),
                package: "q".into(),
                size: None,
                result: Err("cargo build failed (exit status: 101)".into()),
                details: None,
            },
        ];
        let table = format_table(&reports);
        assert!(table.contains("cw20_base.wasm  p            302123  pass"), "{table}");
        assert!(table.contains("x.wasm          q                 -  FAIL: cargo build failed"), "{table}");
    }
}
