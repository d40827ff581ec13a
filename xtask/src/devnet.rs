//! A devnet for the duration of one xtask command (the chain suite, the gas benchmark): artifacts
//! built, the `resource` CLI built, `resource devnet up` in a home of its own, and `devnet down`
//! whatever happens (see [`DevnetGuard`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::metadata::Workspace;
use crate::proc::{self, Opts};
use crate::suites::cargo;
use crate::wasm;

/// Builds the wasm artifacts (reusing `reports` when the pipeline already ran in this command) and
/// the CLI, then starts a devnet of `chains` chains in `home` with `port_offset`. `Ok(Err(why))` is a setup failure to
/// report (artifacts, build, node), `Err` an interruption.
pub fn start(
    ws: &Workspace,
    reports: &mut Option<Vec<wasm::ArtifactReport>>,
    home: &Path,
    port_offset: u16,
    chains: usize,
    label: &'static str,
) -> Result<std::result::Result<DevnetGuard, String>> {
    // 1. Artifacts (incremental; reused when the wasm suite already ran).
    let built = match reports.take() {
        Some(r) => r,
        None => wasm::pipeline(ws, None)?,
    };
    let bad: Vec<_> = built.iter().filter(|r| !r.passed()).map(|r| r.artifact.clone()).collect();
    *reports = Some(built);
    if !bad.is_empty() {
        return Ok(Err(format!("wasm artifacts failed ({})", bad.join(", "))));
    }
    proc::bail_if_interrupted()?;

    // 2. The CLI that runs the devnet.
    let mut cmd = cargo(ws);
    cmd.args(["build", "--release", "-p", "resource-cli", "--bin", "resource"]);
    println!("{label}: $ {}", proc::describe(&cmd));
    let status = proc::run_inherit(&mut cmd)?;
    proc::bail_if_interrupted()?;
    if !status.success() {
        return Ok(Err(format!("building the resource CLI failed ({status})")));
    }
    let bin = ws.target_directory.join("release").join("resource");

    // 3. Devnet up; the guard exists before `up` so a half-started devnet is stopped too.
    let guard = DevnetGuard { label, bin: bin.clone(), home: home.to_path_buf() };
    if home.exists() {
        guard.down_quietly(); // a node left over by a run that was killed (SIGKILL)
    }
    let mut up = Command::new(&bin);
    up.args(["devnet", "up", "--home"]).arg(home);
    if port_offset > 0 {
        up.args(["--port-offset", &port_offset.to_string()]);
    }
    if chains != 1 {
        up.args(["--chains", &chains.to_string()]);
    }
    println!("{label}: $ {}", proc::describe(&up));
    let ran = proc::run_streaming(&mut up, Opts { forward_signals: true, capture_stderr: true }, |_| {})?;
    proc::bail_if_interrupted()?;
    if !ran.status.success() {
        let last = ran.stderr_tail.iter().rev().find(|l| !l.trim().is_empty()).cloned().unwrap_or_default();
        return Ok(Err(format!("`resource devnet up` failed ({}): {last}", ran.status)));
    }
    Ok(Ok(guard))
}

/// Stops the devnet when dropped: after the tests, on failure, on panic, and after a forwarded
/// Ctrl-C / SIGTERM (the signal handler lets xtask live on to get here).
pub struct DevnetGuard {
    label: &'static str,
    /// The `resource` binary that runs the devnet (the tests run it too).
    pub bin: PathBuf,
    home: PathBuf,
}

impl DevnetGuard {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(["devnet", "down", "--home"]).arg(&self.home);
        cmd
    }

    /// Stops a node a killed (SIGKILL) earlier run may have left behind; output discarded.
    fn down_quietly(&self) {
        use std::os::unix::process::CommandExt;
        let _ = self.command().stdin(std::process::Stdio::null()).process_group(0).output();
    }

    fn down(&self) -> Result<proc::Ran> {
        let mut cmd = self.command();
        println!("{}: $ {}", self.label, proc::describe(&cmd));
        // Shielded from signals (own process group, nothing forwarded): the cleanup must finish
        // even after Ctrl-C.
        let opts = Opts { forward_signals: false, capture_stderr: true };
        proc::run_streaming(&mut cmd, opts, |_| {})
    }
}

impl Drop for DevnetGuard {
    fn drop(&mut self) {
        match self.down() {
            Ok(ran) if ran.status.success() => {}
            Ok(ran) => eprintln!(
                "warning: `resource devnet down --home {}` failed ({}); stop the node by hand",
                self.home.display(),
                ran.status
            ),
            Err(e) => eprintln!("warning: could not stop the devnet in {}: {e:#}", self.home.display()),
        }
    }
}
