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
    let home = ws.target_directory.join("devnet-bench");
    let mut reports = None;
    let guard = match devnet::start(ws, &mut reports, &home, GAS_DEVNET_PORT_OFFSET, "xtask bench")? {
        Ok(guard) => guard,
        Err(why) => bail!("{why}: {bin} did not run"),
    };
    let mut cmd = cargo(ws);
    cmd.args(["run", "--quiet", "-p", "resource-tests", "--bin", bin, "--"]);
    if json {
        cmd.arg("--json");
    }
    cmd.env("RESOURCE_DEVNET_HOME", &home).env("RESOURCE_ARTIFACTS", ws.artifacts_dir());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_benchmarks_are_errors_that_list_the_others() {
        let err = command(Some("speed"), false).unwrap_err().to_string();
        assert!(err.contains("unknown benchmark `speed`"), "{err}");
        assert!(err.contains("available benchmarks: gas, clearing; planned: none yet"), "{err}");
    }

    #[test]
    fn every_benchmark_is_runnable() {
        assert!(names(false).is_empty(), "planned: {:?}", names(false));
        assert_eq!(names(true), ["gas", "clearing"]);
    }
}
