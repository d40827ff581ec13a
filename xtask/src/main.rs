//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! - `cargo xtask wasm [--package NAME]`: build every contract to `artifacts/<name>.wasm`, optimise it,
//!   write `artifacts/checksums.txt` and run `cosmwasm-check` on each artifact.
//! - `cargo xtask schema [--no-ts] [--check]`: write `schema/<contract>.json` from `packages/resource-msgs`, then
//!   regenerate the TypeScript clients in `ts-bindings/src` from them (see [`schema`], [`ts`]).
//! - `cargo xtask test [--suite NAME]...`: the one command that runs every test suite (`.ci/run` runs it).
//! - `cargo xtask bench [NAME] [--json]`: the benchmark dispatcher.
//! - `cargo xtask sdk [--time CASE] [--iterations N]`: build the wasm SDK's core and full bundles
//!   into `sdk-wasm/pkg/node` (full), `sdk-wasm/pkg/web` (core) and `sdk-wasm/pkg/web-full` (full);
//!   with `--time`, also time one test case's call in Node and in headless Chromium (see [`sdk`]).
//!
//! Tools the commands need (Debian's wasm toolchain, `wasm-opt`, `cosmwasm-check`, `wasm-bindgen`)
//! are installed on first use into a versioned folder of the resource cache (see [`tools`]); Debian's
//! `chromium` by apt; the npm packages of `ts-bindings/` (ts-codegen, TypeScript, cosmjs) and of
//! `sdk-wasm/` (playwright-core) by `npm ci` into their `node_modules`.

mod bench;
mod devnet;
mod drift;
mod lint;
mod metadata;
mod proc;
mod schema;
mod sdk;
mod suites;
mod tools;
mod ts;
mod wasm;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project automation for ReSource on Cosmos.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the contracts to artifacts/*.wasm, optimise, checksum and cosmwasm-check them.
    Wasm {
        /// Build only this crate (package name or artifact name).
        #[arg(long, short = 'p', value_name = "NAME")]
        package: Option<String>,
    },
    /// Write schema/<contract>.json from the message types, then regenerate ts-bindings/src.
    Schema {
        /// Only the JSON schemas; leave ts-bindings/ as it is (no node or npm needed).
        #[arg(long)]
        no_ts: bool,
        /// Write nothing: regenerate into a scratch folder and fail when the committed files differ.
        #[arg(long)]
        check: bool,
    },
    /// Run the test suites (all of them unless --suite is given) and print one summary.
    Test {
        /// Run only this suite; may be repeated. `--list` shows the suites.
        #[arg(long, value_name = "NAME")]
        suite: Vec<String>,
        /// List the suites and exit.
        #[arg(long)]
        list: bool,
    },
    /// Build the wasm SDK (sdk-wasm/): its core and full bundles into sdk-wasm/pkg/node (full),
    /// sdk-wasm/pkg/web (core) and sdk-wasm/pkg/web-full (full).
    Sdk {
        /// Then time this test case (its name, or an exported function: its first case) in Node and
        /// in headless Chromium: milliseconds per call, the median.
        #[arg(long, value_name = "CASE")]
        time: Option<String>,
        /// Timed calls per runtime (after one warm-up call).
        #[arg(long, default_value_t = 20, value_name = "N")]
        iterations: usize,
    },
    /// Install an external tool into the cache when missing and print its path (hermes, wasm-opt,
    /// cosmwasm-check, chromium).
    Tool { name: String },
    /// Run a benchmark (without NAME: list them).
    Bench {
        name: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Wasm { package } => wasm::command(package.as_deref()),
        Command::Schema { no_ts, check } => ts::schema_command(no_ts, check),
        Command::Test { suite, list } => {
            if list {
                suites::print_list();
                Ok(ExitCode::SUCCESS)
            } else {
                suites::command(&suite)
            }
        }
        Command::Tool { name } => tools::tool_command(&name),
        Command::Bench { name, json } => bench::command(name.as_deref(), json),
        Command::Sdk { time, iterations } => sdk::command(time.as_deref(), iterations),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            match proc::interrupted() {
                Some(sig) => ExitCode::from(128u8.saturating_add(sig as u8)),
                None => ExitCode::FAILURE,
            }
        }
    }
}
