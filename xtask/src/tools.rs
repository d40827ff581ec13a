//! External tools: found when present, installed on first use when not.
//!
//! Everything xtask installs itself goes to one versioned folder per tool under the resource cache
//! (`$RESOURCE_CACHE`, else `$XDG_CACHE_HOME/resource`, else `~/.cache/resource`). An install runs
//! in a temporary sibling folder which is renamed into place only once it succeeded, under a file
//! lock, so an interrupted install is never mistaken for a good one and two runs never race.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};

use crate::proc;

pub const BINARYEN_VERSION: &str = "132.0.0";
pub const COSMWASM_CHECK_VERSION: &str = "3.0.11";
/// The IBC relayer the `ibc` suite runs (TOOLCHAIN.md section 3: 1.13.x does not build here).
pub const HERMES_VERSION: &str = "1.10.0";
/// What `cargo install ibc-relayer-cli` needs from Debian (bindgen and prost build scripts).
pub const DEBIAN_HERMES_BUILD_PACKAGES: &[&str] = &["libclang-dev", "protobuf-compiler"];
/// cosmwasm-check 3.0.11 `--locked` needs this rustc or newer.
pub const COSMWASM_CHECK_MIN_RUSTC: (u32, u32) = (1, 96);
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's rustc 1.96 with its std sources, linked as a rustup toolchain (TOOLCHAIN.md section 1).
pub const DEB_TOOLCHAIN: &str = "deb-web";
pub const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "libstd-rust-web-dev", "lld-22"];
/// Debian's Chromium, which the browser suite drives headless through playwright-core (TOOLCHAIN.md section 4).
pub const DEBIAN_CHROMIUM_PACKAGE: &str = "chromium";
pub const DEBIAN_CHROMIUM_PATH: &str = "/usr/bin/chromium";

// ---------------------------------------------------------------------------------------------
// Cache folder

/// `$RESOURCE_CACHE`, else `$XDG_CACHE_HOME/resource`, else `$HOME/.cache/resource`.
pub fn cache_root_from(
    resource_cache: Option<OsString>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let non_empty = |v: Option<OsString>| v.filter(|s| !s.is_empty()).map(PathBuf::from);
    non_empty(resource_cache)
        .or_else(|| non_empty(xdg_cache_home).map(|x| x.join("resource")))
        .or_else(|| non_empty(home).map(|h| h.join(".cache").join("resource")))
}

pub fn cache_root() -> Result<PathBuf> {
    cache_root_from(std::env::var_os("RESOURCE_CACHE"), std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
        .ok_or_else(|| anyhow!("no cache folder: set RESOURCE_CACHE (or HOME) to a writable folder"))
}

/// An exclusive `flock` on a file, released on drop (the file is closed).
pub struct FileLock(#[allow(dead_code)] File);

pub fn lock(path: &Path, what: &str) -> Result<FileLock> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("could not open lock file {}", path.display()))?;
    let fd = file.as_raw_fd();
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(FileLock(file));
    }
    eprintln!("xtask: waiting for another run that is installing {what} (lock {})", path.display());
    loop {
        if unsafe { libc::flock(fd, libc::LOCK_EX) } == 0 {
            return Ok(FileLock(file));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).with_context(|| format!("could not lock {}", path.display()));
        }
        proc::bail_if_interrupted()?;
    }
}

/// Returns `<cache>/<name>`, first running `install(tmp_dir)` when `<cache>/<name>/<probe>` is not
/// a file yet. `install` must fill `tmp_dir` so that `tmp_dir/<probe>` exists.
pub fn ensure_installed(name: &str, probe: &str, install: impl FnOnce(&Path) -> Result<()>) -> Result<PathBuf> {
    ensure_installed_in(&cache_root()?, name, probe, install)
}

fn ensure_installed_in(
    root: &Path,
    name: &str,
    probe: &str,
    install: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    let final_dir = root.join(name);
    if final_dir.join(probe).is_file() {
        return Ok(final_dir);
    }
    fs::create_dir_all(root).with_context(|| format!("could not create cache folder {}", root.display()))?;
    let _lock = lock(&root.join(format!(".{name}.lock")), name)?;
    if final_dir.join(probe).is_file() {
        return Ok(final_dir); // another run finished it while we waited
    }
    if final_dir.exists() {
        eprintln!("xtask: {} is incomplete (no {probe}); installing it again", final_dir.display());
        fs::remove_dir_all(&final_dir).with_context(|| format!("could not remove {}", final_dir.display()))?;
    }
    // Leftovers of interrupted installs (we hold the lock: nobody else is using them).
    let tmp_prefix = format!(".tmp-{name}-");
    for entry in fs::read_dir(root)?.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&tmp_prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    let tmp = root.join(format!("{tmp_prefix}{}", std::process::id()));
    fs::create_dir_all(&tmp).with_context(|| format!("could not create {}", tmp.display()))?;
    let result = install(&tmp).and_then(|()| {
        if tmp.join(probe).is_file() {
            Ok(())
        } else {
            Err(anyhow!("the install finished but {} is missing", tmp.join(probe).display()))
        }
    });
    if let Err(err) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(err.context(format!("installing {name} failed (nothing was kept; run again to retry)")));
    }
    fs::rename(&tmp, &final_dir)
        .with_context(|| format!("could not move {} to {}", tmp.display(), final_dir.display()))?;
    eprintln!("xtask: installed {}", final_dir.display());
    Ok(final_dir)
}

// ---------------------------------------------------------------------------------------------
// Debian packages and the deb-web toolchain

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn command_works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Packages of `packages` that dpkg does not report as installed.
fn missing_debian_packages(packages: &[&str]) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    for pkg in packages {
        let out = Command::new("dpkg-query")
            .args(["-W", "-f=${Status}", pkg])
            .output()
            .context("`dpkg-query` not found: this is not a Debian machine")?;
        if !String::from_utf8_lossy(&out.stdout).trim().ends_with("install ok installed") {
            missing.push(pkg.to_string());
        }
    }
    Ok(missing)
}

/// Installs the Debian packages that are missing (as root), or says exactly what to run.
pub fn ensure_debian_packages(packages: &[&str], why: &str) -> Result<()> {
    let missing = missing_debian_packages(packages)
        .with_context(|| format!("{why} needs the Debian packages {}", packages.join(" ")))?;
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    let hint = format!("run `sudo apt-get update && sudo apt-get install -y {list}`, then try again");
    if !is_root() {
        bail!("{why} needs the Debian packages {list}: {hint}");
    }
    eprintln!("xtask: installing Debian packages for {why}: {list}");
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = Command::new("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        let status = proc::run_inherit(&mut cmd)?;
        proc::bail_if_interrupted()?;
        if !status.success() {
            bail!("`{}` failed ({status}); {hint}", proc::describe(&cmd));
        }
        Ok(())
    };
    apt(&["update"])?;
    let mut args = vec!["install", "-y"];
    args.extend(missing.iter().map(String::as_str));
    apt(&args)
}

fn rustup_available() -> bool {
    command_works("rustup", &["--version"])
}

/// `rustup toolchain link deb-web /usr` unless rustup already knows it.
fn ensure_deb_toolchain_linked() -> Result<()> {
    let out =
        Command::new("rustup").args(["toolchain", "list"]).output().context("could not run `rustup toolchain list`")?;
    let listed =
        String::from_utf8_lossy(&out.stdout).lines().any(|l| l.split_whitespace().next() == Some(DEB_TOOLCHAIN));
    if listed {
        return Ok(());
    }
    eprintln!("xtask: rustup toolchain link {DEB_TOOLCHAIN} /usr");
    let status = Command::new("rustup")
        .args(["toolchain", "link", DEB_TOOLCHAIN, "/usr"])
        .status()
        .context("could not run `rustup toolchain link`")?;
    if !status.success() {
        bail!("`rustup toolchain link {DEB_TOOLCHAIN} /usr` failed ({status}); run it by hand and try again");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Cargo invocations with a clean environment

/// Variables `cargo run` (and a user's shell) may leave in xtask's environment that would change
/// which compiler or flags a nested cargo uses.
const LEAKY_VARS: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO",
    "RUSTC",
    "RUSTDOC",
    "RUST_RECURSION_COUNT",
    "RUSTUP_TOOLCHAIN_SOURCE",
    "CARGO_BUILD_TARGET",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
];
const LEAKY_PREFIXES: &[&str] = &["CARGO_PKG_", "CARGO_MANIFEST_"];

/// Removes [`LEAKY_VARS`] (and `RUSTUP_TOOLCHAIN` when `switch_toolchain`) from `cmd`'s environment.
pub fn clean_env(cmd: &mut Command, switch_toolchain: bool) {
    for var in LEAKY_VARS {
        cmd.env_remove(var);
    }
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if LEAKY_PREFIXES.iter().any(|p| k.starts_with(p)) {
            cmd.env_remove(&key);
        }
    }
    if switch_toolchain {
        cmd.env_remove("RUSTUP_TOOLCHAIN");
        // `cargo run` put the running toolchain's library folders (and our target/debug) on
        // LD_LIBRARY_PATH; another compiler must not load them.
        if let Some(value) = std::env::var_os("LD_LIBRARY_PATH") {
            let rustup_home = std::env::var_os("RUSTUP_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rustup")));
            let kept = filter_library_path(&value.to_string_lossy(), rustup_home.as_deref());
            if kept.is_empty() {
                cmd.env_remove("LD_LIBRARY_PATH");
            } else {
                cmd.env("LD_LIBRARY_PATH", kept);
            }
        }
    }
}

/// `LD_LIBRARY_PATH` without the entries that belong to a rustup toolchain or a cargo target folder.
pub fn filter_library_path(value: &str, rustup_home: Option<&Path>) -> String {
    let toolchains = rustup_home.map(|h| h.join("toolchains"));
    value
        .split(':')
        .filter(|entry| {
            !entry.is_empty()
                && !toolchains.as_ref().is_some_and(|t| Path::new(entry).starts_with(t))
                && !entry.contains("/target/debug")
                && !entry.contains("/target/release")
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// Which compiler builds the contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasmToolchain {
    /// The active rustup toolchain has the wasm32 target (a normal developer machine): precompiled
    /// std, so wasm-opt lowers the post-MVP instructions it contains.
    RustupTarget,
    /// Debian's rustc-web linked as rustup toolchain `deb-web`, std rebuilt for MVP with -Zbuild-std.
    DebianViaRustup,
    /// Debian's rustc-web without rustup (/usr/bin/cargo), std rebuilt with -Zbuild-std.
    DebianPlain,
}

impl WasmToolchain {
    pub fn describe(self) -> &'static str {
        match self {
            WasmToolchain::RustupTarget => "active rustup toolchain with the wasm32-unknown-unknown target",
            WasmToolchain::DebianViaRustup => "Debian rustc-web as `cargo +deb-web`, std rebuilt for wasm32 MVP",
            WasmToolchain::DebianPlain => "Debian rustc-web (/usr/bin/cargo), std rebuilt for wasm32 MVP",
        }
    }

    /// Whether std is rebuilt (`-Zbuild-std`) for the MVP instruction set.
    pub fn builds_std(self) -> bool {
        self != WasmToolchain::RustupTarget
    }

    /// `cargo` for this toolchain with a clean environment.
    pub fn cargo(self) -> Command {
        match self {
            WasmToolchain::RustupTarget => {
                // Keep RUSTUP_TOOLCHAIN: it names the toolchain whose targets we just listed.
                let mut cmd = Command::new("cargo");
                clean_env(&mut cmd, false);
                cmd
            }
            WasmToolchain::DebianViaRustup => {
                let mut cmd = Command::new("cargo");
                clean_env(&mut cmd, true);
                cmd.arg(format!("+{DEB_TOOLCHAIN}"));
                cmd
            }
            WasmToolchain::DebianPlain => {
                let mut cmd = Command::new("/usr/bin/cargo");
                clean_env(&mut cmd, true);
                cmd.env("RUSTC", "/usr/bin/rustc").env("RUSTDOC", "/usr/bin/rustdoc");
                cmd
            }
        }
    }
}

/// Whether `rustup target list --installed` (for the toolchain running xtask) lists wasm32.
fn rustup_has_wasm_target() -> bool {
    let Ok(out) = Command::new("rustup").args(["target", "list", "--installed"]).output() else {
        return false;
    };
    out.status.success() && String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == WASM_TARGET)
}

/// Picks (and if needed installs) the toolchain that builds the contracts.
pub fn wasm_toolchain() -> Result<WasmToolchain> {
    if rustup_has_wasm_target() {
        return Ok(WasmToolchain::RustupTarget);
    }
    debian_toolchain("building contracts without a rustup wasm32 target")
}

fn debian_toolchain(why: &str) -> Result<WasmToolchain> {
    ensure_debian_packages(DEBIAN_WASM_PACKAGES, why).map_err(|e| {
        e.context(format!("alternatively, on a machine where it can download: `rustup target add {WASM_TARGET}`"))
    })?;
    if rustup_available() {
        ensure_deb_toolchain_linked()?;
        Ok(WasmToolchain::DebianViaRustup)
    } else {
        Ok(WasmToolchain::DebianPlain)
    }
}

/// `rustc 1.96.0 (ac68faa20 2026-05-25)` -> (1, 96).
pub fn parse_rustc_version(s: &str) -> Option<(u32, u32)> {
    let ver = s.split_whitespace().nth(1)?;
    let mut parts = ver.split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// A cargo for native builds whose rustc is at least `min`: the active toolchain if new enough,
/// else Debian's rustc-web.
fn native_cargo_at_least(min: (u32, u32), why: &str) -> Result<Command> {
    let active = Command::new("rustc")
        .arg("--version")
        .env_remove("RUSTC")
        .output()
        .ok()
        .and_then(|o| parse_rustc_version(&String::from_utf8_lossy(&o.stdout)));
    if active.is_some_and(|v| v >= min) {
        return Ok(WasmToolchain::RustupTarget.cargo()); // same clean env, active toolchain
    }
    Ok(debian_toolchain(why)?.cargo())
}

// ---------------------------------------------------------------------------------------------
// The tools

/// `wasm-opt` from npm's `binaryen` (Debian's binaryen is too old).
pub fn wasm_opt() -> Result<PathBuf> {
    let probe = "node_modules/binaryen/bin/wasm-opt";
    let dir = ensure_installed(&format!("binaryen-{BINARYEN_VERSION}"), probe, |tmp| {
        if !command_works("npm", &["--version"]) {
            ensure_debian_packages(&["npm"], "installing wasm-opt (npm package binaryen)")?;
        }
        eprintln!("xtask: installing wasm-opt: npm install binaryen@{BINARYEN_VERSION} (once)");
        let mut cmd = Command::new("npm");
        cmd.arg("install")
            .arg("--prefix")
            .arg(tmp)
            .args(["--no-audit", "--no-fund", "--no-save", "--loglevel=error"])
            .arg(format!("binaryen@{BINARYEN_VERSION}"));
        let status = proc::run_inherit(&mut cmd)?;
        proc::bail_if_interrupted()?;
        if !status.success() {
            bail!(
                "`{}` failed ({status}): wasm-opt (binaryen {BINARYEN_VERSION}) shrinks the contracts and the SDK's \
                 web bundles and cannot be skipped. Check that the npm registry is reachable (`npm config get \
                 registry`, `npm view binaryen@{BINARYEN_VERSION} version`) and run again; Debian's `binaryen` \
                 package is too old (108) to stand in",
                proc::describe(&cmd)
            );
        }
        Ok(())
    })?;
    if !command_works("node", &["--version"]) {
        ensure_debian_packages(&["nodejs"], "running wasm-opt (a node program)")?;
    }
    Ok(dir.join(probe))
}

/// `node` and `npm` on PATH (Debian's packages installed when missing and xtask runs as root).
pub fn ensure_node(why: &str) -> Result<()> {
    if !command_works("node", &["--version"]) {
        ensure_debian_packages(&["nodejs"], why)?;
    }
    if !command_works("npm", &["--version"]) {
        ensure_debian_packages(&["npm"], why)?;
    }
    Ok(())
}

/// Runs a `cargo install` (`what` and how long it takes, for the message) with its output shown.
fn run_cargo_install(mut cmd: Command, what: &str) -> Result<()> {
    eprintln!("xtask: installing {what}: {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        bail!("`{}` failed ({status}); see the cargo output above", proc::describe(&cmd));
    }
    Ok(())
}

/// `cosmwasm-check`, the chain's own static check (built with cargo install, about 9 minutes once).
pub fn cosmwasm_check() -> Result<PathBuf> {
    let probe = "bin/cosmwasm-check";
    let dir = ensure_installed(&format!("cosmwasm-check-{COSMWASM_CHECK_VERSION}"), probe, |tmp| {
        let mut cmd = native_cargo_at_least(COSMWASM_CHECK_MIN_RUSTC, "installing cosmwasm-check")?;
        cmd.args(["install", "cosmwasm-check", "--version", COSMWASM_CHECK_VERSION, "--locked", "--root"]).arg(tmp);
        run_cargo_install(cmd, &format!("cosmwasm-check {COSMWASM_CHECK_VERSION} (once; about 9 minutes on 2 cores)"))
    })?;
    Ok(dir.join(probe))
}

/// `hermes`, the IBC relayer, built by `cargo install ibc-relayer-cli` into `<cache>/hermes-<version>`
/// once. Built at opt-level 1 without debug info: the relayer waits on the chains, not on its CPU,
/// and the full release build takes twice as long on 2 cores.
pub fn hermes() -> Result<PathBuf> {
    let probe = "bin/hermes";
    let dir = ensure_installed(&format!("hermes-{HERMES_VERSION}"), probe, |tmp| {
        ensure_debian_packages(DEBIAN_HERMES_BUILD_PACKAGES, "building the Hermes relayer")?;
        let mut cmd = WasmToolchain::RustupTarget.cargo(); // the active toolchain, clean environment
        cmd.args(["install", "ibc-relayer-cli", "--version", HERMES_VERSION, "--bin", "hermes", "--locked", "--root"])
            .arg(tmp)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
        run_cargo_install(cmd, &format!("hermes {HERMES_VERSION} (once; about 12 minutes on 2 cores)"))
    })?;
    Ok(dir.join(probe))
}

/// `cargo xtask tool NAME`: the path of the tool, installed first when missing.
pub fn tool_command(name: &str) -> Result<std::process::ExitCode> {
    let path = match name {
        "hermes" => hermes()?,
        "wasm-opt" => wasm_opt()?,
        "cosmwasm-check" => cosmwasm_check()?,
        "chromium" => chromium()?,
        other => bail!("no tool `{other}`: the tools are hermes, wasm-opt, cosmwasm-check, chromium"),
    };
    println!("{}", path.display());
    Ok(std::process::ExitCode::SUCCESS)
}

/// The wasm-bindgen version the workspace pins (`wasm-bindgen = "=X"` in `[workspace.dependencies]`):
/// the CLI must be exactly the crate's version, so the pin is read from there, not repeated here.
pub fn wasm_bindgen_version(workspace_manifest: &Path) -> Result<String> {
    let text = fs::read_to_string(workspace_manifest)
        .with_context(|| format!("could not read {}", workspace_manifest.display()))?;
    pinned_wasm_bindgen(&text).with_context(|| format!("in {}", workspace_manifest.display()))
}

/// `X` of `wasm-bindgen = "=X"` (or `{ version = "=X" }`) in `[workspace.dependencies]`.
pub fn pinned_wasm_bindgen(manifest: &str) -> Result<String> {
    let doc: toml_edit::DocumentMut = manifest.parse().context("not valid TOML")?;
    let item = doc
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.get("wasm-bindgen"))
        .context("[workspace.dependencies] has no wasm-bindgen entry")?;
    let req = item
        .as_str()
        .or_else(|| item.get("version").and_then(|v| v.as_str()))
        .context("[workspace.dependencies] wasm-bindgen has no version")?;
    let Some(version) = req.trim().strip_prefix('=') else {
        bail!(
            "[workspace.dependencies] wasm-bindgen is \"{req}\": pin it exactly (\"={req}\"), the wasm-bindgen CLI \
             must be the crate's version"
        );
    };
    let version = version.trim();
    if version.split('.').count() != 3
        || !version.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        bail!("[workspace.dependencies] wasm-bindgen \"={version}\" is not an exact version X.Y.Z");
    }
    Ok(version.to_string())
}

/// `wasm-bindgen` of exactly `version`, built by `cargo install wasm-bindgen-cli` (the machine's own
/// stable cargo; a few minutes once) into `<cache>/wasm-bindgen-<version>`. Without `--locked`: the
/// CLI's lock file wants a webpki-roots release the crate registry does not carry (TOOLCHAIN.md section 5).
pub fn wasm_bindgen_cli(version: &str) -> Result<PathBuf> {
    let probe = "bin/wasm-bindgen";
    let dir = ensure_installed(&format!("wasm-bindgen-{version}"), probe, |tmp| {
        let mut cmd = WasmToolchain::RustupTarget.cargo(); // the active toolchain, clean environment
        cmd.args(["install", "wasm-bindgen-cli", "--version", version, "--root"]).arg(tmp);
        run_cargo_install(cmd, &format!("wasm-bindgen-cli {version} (once; a few minutes)"))
    })?;
    Ok(dir.join(probe))
}

/// The Chromium the browser suite drives: `$RESOURCE_CHROMIUM` when set, else Debian's `chromium`
/// (installed when missing and xtask runs as root). Never a browser download of playwright's own.
pub fn chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("RESOURCE_CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            bail!("RESOURCE_CHROMIUM is {} but that is not a file", path.display());
        }
        return Ok(path);
    }
    ensure_debian_packages(&[DEBIAN_CHROMIUM_PACKAGE], "the browser suite (headless Chromium)")?;
    let path = PathBuf::from(DEBIAN_CHROMIUM_PATH);
    if !path.is_file() {
        bail!("Debian's {DEBIAN_CHROMIUM_PACKAGE} is installed but {DEBIAN_CHROMIUM_PATH} is missing; set RESOURCE_CHROMIUM");
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_bindgen_must_be_pinned_exactly() {
        let m = |dep: &str| format!("[workspace]\nmembers = []\n[workspace.dependencies]\n{dep}\n");
        assert_eq!(pinned_wasm_bindgen(&m("wasm-bindgen = \"=0.2.130\"")).unwrap(), "0.2.130");
        assert_eq!(pinned_wasm_bindgen(&m("wasm-bindgen = { version = \"= 0.2.130\" }")).unwrap(), "0.2.130");
        let err = format!("{:#}", pinned_wasm_bindgen(&m("wasm-bindgen = \"0.2.130\"")).unwrap_err());
        assert!(err.contains("pin it exactly (\"=0.2.130\")"), "{err}");
        assert!(pinned_wasm_bindgen(&m("wasm-bindgen = \"=0.2\"")).is_err());
        assert!(pinned_wasm_bindgen(&m("serde = \"1\"")).is_err());
        // The workspace's own pin passes.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        wasm_bindgen_version(&root.join("Cargo.toml")).unwrap();
    }

    #[test]
    fn cache_root_precedence() {
        let s = |v: &str| Some(OsString::from(v));
        assert_eq!(cache_root_from(s("/c"), s("/x"), s("/h")), Some(PathBuf::from("/c")));
        assert_eq!(cache_root_from(None, s("/x"), s("/h")), Some(PathBuf::from("/x/resource")));
        assert_eq!(cache_root_from(s(""), s(""), s("/h")), Some(PathBuf::from("/h/.cache/resource")));
        assert_eq!(cache_root_from(None, None, None), None);
    }

    #[test]
    fn rustc_versions() {
        assert_eq!(parse_rustc_version("rustc 1.96.0 (ac68faa20 2026-05-25)"), Some((1, 96)));
        assert_eq!(parse_rustc_version("rustc 1.97.0-nightly (abc 2026-06-01)"), Some((1, 97)));
        assert_eq!(parse_rustc_version("garbage"), None);
        assert!(parse_rustc_version("rustc 1.95.0 (x)").unwrap() < COSMWASM_CHECK_MIN_RUSTC);
    }

    #[test]
    fn clean_env_removes_leaks() {
        let mut cmd = WasmToolchain::DebianViaRustup.cargo();
        let removed: Vec<String> =
            cmd.get_envs().filter(|(_, v)| v.is_none()).map(|(k, _)| k.to_string_lossy().into_owned()).collect();
        for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "RUSTUP_TOOLCHAIN", "CARGO"] {
            assert!(removed.iter().any(|r| r == var), "{var} not removed: {removed:?}");
        }
        assert_eq!(cmd.get_args().next().unwrap(), "+deb-web");
        // The rustup-target path keeps the toolchain it checked.
        cmd = WasmToolchain::RustupTarget.cargo();
        assert!(!cmd.get_envs().any(|(k, _)| k == "RUSTUP_TOOLCHAIN"));
    }

    #[test]
    fn library_path_loses_toolchain_entries() {
        let v = "/w/target/debug:/w/target/debug/deps:/r/toolchains/stable/lib/rustlib/x/lib:/r/toolchains/stable/lib:/opt/lib";
        assert_eq!(filter_library_path(v, Some(Path::new("/r"))), "/opt/lib");
        assert_eq!(filter_library_path("/r/toolchains/a/lib", Some(Path::new("/r"))), "");
    }

    #[test]
    fn interrupted_install_is_not_kept() {
        let dir = std::env::temp_dir().join(format!("xtask-install-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let err = ensure_installed_in(&dir, "tool-1", "bin/tool", |tmp| {
            fs::create_dir_all(tmp.join("bin"))?;
            bail!("network down")
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("network down"));
        assert!(!dir.join("tool-1").exists());
        let ok = ensure_installed_in(&dir, "tool-1", "bin/tool", |tmp| {
            fs::create_dir_all(tmp.join("bin"))?;
            fs::write(tmp.join("bin/tool"), "x")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(ok, dir.join("tool-1"));
        // Present now: reused without running the installer.
        let again = ensure_installed_in(&dir, "tool-1", "bin/tool", |_| panic!("must not reinstall")).unwrap();
        assert_eq!(again, ok);
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&dir);
    }
}
