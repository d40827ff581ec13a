//! `clearing-bench [--sizes N,...] [--seed S] [--json]`: optimal clearing (`resource_core::clearing::solve`)
//! against greedy cycle cancelling on synthetic supply-chain networks (`clearing_bench::network`).
//! Run through `cargo xtask bench clearing [--json]`.
//!
//! Method:
//! - Every (size, algorithm) pair runs in a child process of its own (`--one N --algo A`), so the
//!   peak memory of one measurement is not inflated by another's.
//! - The child generates the instance, resets the kernel's peak-RSS mark (`/proc/self/clear_refs`),
//!   times the one solve call with `Instant`, reads the peak (`VmHWM`) at once, then verifies the
//!   result with `resource_core::clearing::verify` and, for the optimal solver, checks optimality
//!   independently (`clearing_bench::is_optimal`). Nothing after the solve call is timed or counted
//!   in the peak.
//! - Peak memory is the whole process's resident set, the instance included (`input_mib` is the
//!   resident set just before the call).
//! - Single-threaded: neither algorithm starts a thread.
//!
//! Output: a Markdown table on stdout (progress on stderr), or with `--json` one JSON object per
//! size: `obligations`, `participants`, `solve_ms`, `peak_mib`, `cleared_fraction`,
//! `baseline_solve_ms`, `baseline_cleared_fraction`, plus `seed`, `gross`, `cleared`,
//! `baseline_cleared`, `baseline_peak_mib`, `input_mib`, `optimal`, `target_met` (1M under
//! [`TARGET_MS`]; `null` for other sizes) and `opt_level`.

use std::fmt::Write as _;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use clearing_bench::{generate, greedy_cycle_cancel, is_optimal};
use resource_cli::format::grouped;
use resource_core::clearing::{solve, verify};
use serde::{Deserialize, Serialize};

/// The seed of the published figures.
const DEFAULT_SEED: u64 = 20_261_124;
/// The target: 1M obligations solved optimally in under 10 s.
const TARGET_MS: f64 = 10_000.0;
const TARGET_SIZE: usize = 1_000_000;
/// The `opt-level` this binary (and, without a per-package override, the solver) was built with.
const OPT_LEVEL: &str = env!("CLEARING_BENCH_OPT_LEVEL");

#[derive(Debug, Parser)]
#[command(name = "clearing-bench", about = "Optimal clearing vs greedy cycle cancelling on synthetic supply chains")]
struct Args {
    /// Instance sizes, in obligations (`10000`, `10_000`, `10k` and `1M` all work).
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_values = ["10k", "100k", "1M"])]
    sizes: Vec<usize>,
    /// Seed of the instance generator.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// One JSON object per size on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Internal: measure one instance in this process and print one JSON line.
    #[arg(long, hide = true, value_parser = parse_size)]
    one: Option<usize>,
    /// Internal: the algorithm `--one` measures.
    #[arg(long, hide = true, value_enum, default_value_t = Algo::Solve)]
    algo: Algo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Algo {
    Solve,
    Greedy,
}

impl Algo {
    fn name(self) -> &'static str {
        match self {
            Algo::Solve => "solve",
            Algo::Greedy => "greedy",
        }
    }
}

fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim().replace('_', "");
    let (digits, factor) = match t.strip_suffix(['k', 'K']) {
        Some(d) => (d, 1_000),
        None => match t.strip_suffix('M') {
            Some(d) => (d, 1_000_000),
            None => (t.as_str(), 1),
        },
    };
    let n: usize = digits.parse().map_err(|_| format!("`{s}` is not a size (e.g. 10000, 10_000, 10k, 1M)"))?;
    n.checked_mul(factor).filter(|&n| n > 0).ok_or_else(|| format!("`{s}`: the size must be above 0"))
}

/// What a child reports for one measurement.
#[derive(Debug, Serialize, Deserialize)]
struct Measured {
    algo: String,
    obligations: usize,
    participants: u32,
    seed: u64,
    gross: u64,
    cleared: u64,
    cleared_fraction: f64,
    solve_ms: f64,
    peak_mib: f64,
    input_mib: f64,
    /// The independent optimality check (the optimal solver only).
    optimal: Option<bool>,
}

/// One line of `--json` output; the first seven fields are the issue's, in its order.
#[derive(Debug, Serialize)]
struct SizeReport {
    obligations: usize,
    participants: u32,
    solve_ms: f64,
    peak_mib: f64,
    cleared_fraction: f64,
    baseline_solve_ms: f64,
    baseline_cleared_fraction: f64,
    baseline_peak_mib: f64,
    input_mib: f64,
    gross: u64,
    cleared: u64,
    baseline_cleared: u64,
    optimal: bool,
    target_met: Option<bool>,
    seed: u64,
    opt_level: &'static str,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.one {
        Some(n) => measure(n, args.algo, args.seed),
        None => compare(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("clearing-bench: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Child mode: one instance, one algorithm, one JSON line on stdout.
fn measure(n: usize, algo: Algo, seed: u64) -> Result<ExitCode> {
    let name = algo.name();
    eprintln!("clearing-bench: {n} obligations, {name}: generating (seed {seed})");
    let net = generate(n, seed);
    let gross = net.gross();
    let input_mib = status_mib("VmRSS")?;
    // Generation's own peak must not count: start the peak mark from the current resident set.
    if let Err(e) = std::fs::write("/proc/self/clear_refs", "5") {
        eprintln!("clearing-bench: warning: could not reset the peak-RSS mark ({e}); the peak includes generation");
    }
    eprintln!("clearing-bench: {n} obligations, {name}: solving");
    let started = Instant::now();
    let set_off = match algo {
        Algo::Solve => solve(&net.obligations).context("solve refused the instance")?,
        Algo::Greedy => greedy_cycle_cancel(&net.obligations),
    };
    let solve_ms = started.elapsed().as_secs_f64() * 1e3;
    let peak_mib = status_mib("VmHWM")?;
    eprintln!("clearing-bench: {n} obligations, {name}: {solve_ms:.1} ms, {peak_mib:.1} MiB peak; verifying");
    let cleared = if set_off.entries.is_empty() {
        0
    } else {
        verify(&net.obligations, &set_off).with_context(|| format!("the {name} set-off does not verify"))?.total
    };
    let optimal = (algo == Algo::Solve).then(|| {
        let started = Instant::now();
        let ok = is_optimal(&net.obligations, &set_off);
        eprintln!(
            "clearing-bench: {n} obligations, {name}: optimality check {} ({:.1} s)",
            if ok { "passed" } else { "FAILED" },
            started.elapsed().as_secs_f64()
        );
        ok
    });
    let m = Measured {
        algo: name.to_string(),
        obligations: n,
        participants: net.participants,
        seed,
        gross: u64::try_from(gross)?,
        cleared: u64::try_from(cleared)?,
        cleared_fraction: cleared as f64 / gross as f64,
        solve_ms,
        peak_mib,
        input_mib,
        optimal,
    };
    println!("{}", serde_json::to_string(&m)?);
    Ok(ExitCode::SUCCESS)
}

/// A `/proc/self/status` field (kB) in MiB.
fn status_mib(field: &str) -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB")?.trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/self/status"))?;
    Ok(kb / 1024.0)
}

/// Runs `--one n --algo algo` as a child process and reads its JSON line.
fn child(n: usize, algo: Algo, seed: u64) -> Result<Measured> {
    let exe = std::env::current_exe().context("locating the clearing-bench executable")?;
    let out = Command::new(exe)
        .args(["--one", &n.to_string(), "--algo", algo.name(), "--seed", &seed.to_string()])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("starting a measurement child")?;
    if !out.status.success() {
        bail!("the {} measurement of {n} obligations failed ({}); its output is above", algo.name(), out.status);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).context("the measurement child printed no result")?;
    serde_json::from_str(line).with_context(|| format!("reading the measurement child's result `{line}`"))
}

/// Rounds for output: the figures are not more precise than this.
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Parent mode: every size, both algorithms, then the table or the JSON lines.
fn compare(args: &Args) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for &n in &args.sizes {
        let opt = child(n, Algo::Solve, args.seed)?;
        let base = child(n, Algo::Greedy, args.seed)?;
        if base.cleared > opt.cleared {
            bail!(
                "{n} obligations: greedy cleared {} > optimal {}: the solver is not optimal",
                base.cleared,
                opt.cleared
            );
        }
        let target_met = (n == TARGET_SIZE).then_some(opt.solve_ms < TARGET_MS);
        if args.json {
            let report = SizeReport {
                obligations: n,
                participants: opt.participants,
                solve_ms: round(opt.solve_ms, 1),
                peak_mib: round(opt.peak_mib, 1),
                cleared_fraction: round(opt.cleared_fraction, 6),
                baseline_solve_ms: round(base.solve_ms, 1),
                baseline_cleared_fraction: round(base.cleared_fraction, 6),
                baseline_peak_mib: round(base.peak_mib, 1),
                input_mib: round(opt.input_mib, 1),
                gross: opt.gross,
                cleared: opt.cleared,
                baseline_cleared: base.cleared,
                optimal: opt.optimal == Some(true),
                target_met,
                seed: args.seed,
                opt_level: OPT_LEVEL,
            };
            println!("{}", serde_json::to_string(&report)?);
        }
        rows.push((opt, base));
    }
    let all_optimal = rows.iter().all(|(o, _)| o.optimal == Some(true));
    if !args.json {
        print!("{}", table(&rows, args.seed));
    }
    if !all_optimal {
        eprintln!("clearing-bench: the optimality check failed on some instance (see above)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn table(rows: &[(Measured, Measured)], seed: u64) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Clearing: optimal solve vs greedy cycle cancelling (seed {seed}, single-threaded, opt-level {OPT_LEVEL})"
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "| obligations | participants | gross debt | solve ms | peak MiB | cleared | optimal | greedy ms | greedy peak MiB | greedy cleared |"
    );
    let _ = writeln!(t, "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for (o, g) in rows {
        let _ = writeln!(
            t,
            "| {} | {} | {}.{:02} | {:.1} | {:.1} | {:.2} % | {} | {:.1} | {:.1} | {:.2} % |",
            grouped(o.obligations as u128),
            grouped(u128::from(o.participants)),
            grouped(u128::from(o.gross / 100)),
            o.gross % 100,
            o.solve_ms,
            o.peak_mib,
            100.0 * o.cleared_fraction,
            if o.optimal == Some(true) { "yes (checked)" } else { "NO" },
            g.solve_ms,
            g.peak_mib,
            100.0 * g.cleared_fraction,
        );
    }
    let _ = writeln!(t);
    match rows.iter().find(|(o, _)| o.obligations == TARGET_SIZE) {
        Some((o, _)) => {
            let verdict = if o.solve_ms < TARGET_MS { "met" } else { "missed" };
            let _ = writeln!(
                t,
                "Target 1M obligations solved optimally in under 10 s: {verdict} ({:.2} s)",
                o.solve_ms / 1e3
            );
        }
        None => {
            let _ = writeln!(t, "Target 1M obligations solved optimally in under 10 s: not measured (no 1M size)");
        }
    }
    let optimal = rows.iter().all(|(o, _)| o.optimal == Some(true));
    let _ = writeln!(t, "Optimal on every instance: {}", if optimal { "met" } else { "MISSED" });
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_every_spelling() {
        assert_eq!(parse_size("10000"), Ok(10_000));
        assert_eq!(parse_size("10_000"), Ok(10_000));
        assert_eq!(parse_size("100k"), Ok(100_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
    }
}
