//! `cargo xtask bench <name> [--json]`: the benchmark dispatcher.
//!
//! Benchmarks are rows of [`BENCHES`]; a row without a runner is planned (its issue is open) and
//! says so instead of printing made-up numbers.

use std::process::ExitCode;

use anyhow::{bail, Result};

#[derive(Debug)]
pub struct Bench {
    pub name: &'static str,
    pub about: &'static str,
    /// `None` until the benchmark is written. The flag is `--json`.
    pub run: Option<fn(bool) -> Result<ExitCode>>,
}

pub const BENCHES: &[Bench] = &[
    Bench { name: "gas", about: "gas per message of each contract on a local devnet", run: None },
    Bench { name: "clearing", about: "cost of a clearing round as the network grows", run: None },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_planned_benchmarks_are_errors() {
        let err = command(Some("speed"), false).unwrap_err().to_string();
        assert!(err.contains("unknown benchmark `speed`"), "{err}");
        assert!(err.contains("available benchmarks: none yet; planned: gas, clearing"), "{err}");
        let err = command(Some("gas"), true).unwrap_err().to_string();
        assert!(err.contains("planned but not implemented yet"), "{err}");
    }
}
