//! `sdk-fixtures`: the cases the SDK's JavaScript tests run, with the answers Rust computes natively.
//!
//! - `sdk-fixtures write DIR` writes `DIR/cases.json` (and any binary argument as a file beside it).
//!   Each case names an exported function, its arguments and what must come back: `equals` (the
//!   exact string the native call returns), `error_contains` (the call must throw, its message
//!   containing this), or `native_check` (the output is handed back to Rust, see `check`).
//! - `sdk-fixtures check DIR` reads the `results-<runtime>.json` files the Node and Chromium tests
//!   wrote into DIR and checks every `native_check` output natively; it prints one line per check and
//!   ends with a JSON line `{"passed":N,"failed":N}`. Exit status 1 when a check failed.
//!
//! Cases are deterministic (a fixed seed), so a failure names the same case on every run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use resource_core::did::ReputationSummary;
use resource_core::underwriting::{PlatformRating, ScoringInputs, ScoringParams};
use resource_sdk_wasm::api;
use serde_json::{json, Value};

const USAGE: &str = "usage: sdk-fixtures write DIR | sdk-fixtures check DIR";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, dir] if cmd == "write" => write(Path::new(dir)).map(|()| ExitCode::SUCCESS),
        [cmd, dir] if cmd == "check" => check(Path::new(dir)),
        _ => Err(USAGE.to_string()),
    };
    result.unwrap_or_else(|e| {
        eprintln!("sdk-fixtures: {e}");
        ExitCode::FAILURE
    })
}

/// xorshift64*: a few lines, no dependency, the same cases everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// `Some(value)` three times in four.
    fn maybe<T>(&mut self, value: impl FnOnce(&mut Rng) -> T) -> Option<T> {
        let present = self.below(4) != 0;
        let value = value(self);
        present.then_some(value)
    }
}

fn s(value: &str) -> Value {
    json!({ "string": value })
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("fixture values serialise")
}

/// A `suggestedLimit` case whose expected answer is the native call's.
fn limit_case(name: String, inputs: &ScoringInputs, params: &ScoringParams) -> Value {
    let (inputs, params) = (to_json(inputs), to_json(params));
    let expected = api::suggested_limit(&inputs, &params).expect("valid fixture inputs");
    json!({ "name": name, "function": "suggestedLimit", "args": [s(&inputs), s(&params)], "expect": { "equals": expected } })
}

fn cases() -> Vec<Value> {
    let mut cases = Vec::new();
    let unit = ScoringParams::with_unit(1);
    let micro = ScoringParams::with_unit(1_000_000);
    // 10^18: amounts far above 2^53, which a JavaScript number would round.
    let atto = ScoringParams::with_unit(1_000_000_000_000_000_000);
    let newcomer = ScoringInputs {
        rating: Some(PlatformRating { stars_x10: 46, reviews: 50 }),
        revenue_band: Some(2),
        months_active: Some(18),
        history: ReputationSummary::default(),
    };
    cases.push(limit_case("suggestedLimit: the documented newcomer (980)".into(), &newcomer, &unit));
    let history = ReputationSummary {
        repaid_on_time: 2,
        repaid: 2_000,
        defaults: 1,
        defaulted: 300,
        recovered: 100,
        ..ReputationSummary::default()
    };
    cases.push(limit_case(
        "suggestedLimit: one default, partly recovered (590)".into(),
        &ScoringInputs { history, ..newcomer },
        &unit,
    ));
    cases.push(limit_case("suggestedLimit: nothing known, base only".into(), &ScoringInputs::default(), &micro));
    let best = ScoringInputs {
        rating: Some(PlatformRating { stars_x10: 50, reviews: 1_000 }),
        revenue_band: Some(9),
        months_active: Some(120),
        history: ReputationSummary { repaid_on_time: 40, repaid: 1 << 100, ..ReputationSummary::default() },
    };
    cases.push(limit_case("suggestedLimit: capped at the network maximum, 18 decimals".into(), &best, &atto));
    let saturating = ScoringInputs {
        history: ReputationSummary { repaid: u128::MAX, defaulted: u128::MAX - 1, defaults: 1, ..Default::default() },
        ..best
    };
    let mut huge = atto;
    huge.max_limit = u128::MAX;
    cases.push(limit_case("suggestedLimit: u128 extremes saturate".into(), &saturating, &huge));

    let mut rng = Rng(0x5eed_f00d_5d4a_0001);
    for i in 0..16 {
        let inputs = ScoringInputs {
            rating: rng.maybe(|r| PlatformRating { stars_x10: r.below(60) as u8, reviews: r.below(300) as u32 }),
            revenue_band: rng.maybe(|r| r.below(10) as u8),
            months_active: rng.maybe(|r| r.below(100) as u32),
            history: ReputationSummary {
                repaid_on_time: rng.below(20),
                repaid: u128::from(rng.below(20_000)) * 1_000_000,
                defaults: rng.below(4),
                defaulted: u128::from(rng.below(3_000)) * 1_000_000,
                recovered: u128::from(rng.below(3_000)) * 1_000_000,
                ..ReputationSummary::default()
            },
        };
        cases.push(limit_case(format!("suggestedLimit: seeded input {i}"), &inputs, &micro));
    }

    cases.push(json!({
        "name": "defaultScoringParams: 6 decimals",
        "function": "defaultScoringParams",
        "args": [s("1000000")],
        "expect": { "equals": api::default_scoring_params("1000000").expect("valid unit") },
    }));
    let claims = r#"[["platform_rating","rating>=46;reviews>=50"],["revenue_band","band>=2"],["months_active","months>=18"],["platform_rating","rating>=40;reviews>=500"]]"#;
    let history = to_json(&ReputationSummary::default());
    cases.push(json!({
        "name": "scoringInputsFromPredicates: the best of two ratings",
        "function": "scoringInputsFromPredicates",
        "args": [s(claims), s(&history)],
        "expect": { "equals": api::scoring_inputs_from_predicates(claims, &history).expect("valid claims") },
    }));
    cases.push(json!({
        "name": "version: the workspace version",
        "function": "version",
        "args": [],
        "expect": { "equals": api::version() },
    }));

    // Errors cross into JavaScript as thrown Errors with the same message.
    let params = to_json(&unit);
    for (name, args, message) in [
        ("suggestedLimit: inputs that are not JSON throw", vec!["{", params.as_str()], "inputsJson is not valid JSON"),
        (
            "suggestedLimit: inputs without history throw",
            vec![r#"{"rating":null,"revenue_band":null,"months_active":null}"#, params.as_str()],
            "missing field `history`",
        ),
        ("defaultScoringParams: a float unit throws", vec!["1e6"], "is not a whole number of smallest units"),
    ] {
        let function = name.split(':').next().unwrap_or_default();
        // The native call fails with exactly this message part, or the fixture is wrong.
        let native = match function {
            "suggestedLimit" => api::suggested_limit(args[0], args[1]),
            _ => api::default_scoring_params(args[0]),
        };
        assert!(native.as_ref().is_err_and(|e| e.message().contains(message)), "{name}: {native:?}");
        cases.push(json!({
            "name": name,
            "function": function,
            "args": args.iter().map(|a| s(a)).collect::<Vec<_>>(),
            "expect": { "error_contains": message },
        }));
    }
    cases
}

fn write(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    // Results of an earlier run must not be checked against new cases.
    for entry in fs::read_dir(dir).map_err(|e| format!("could not read {}: {e}", dir.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("results-") && name.ends_with(".json") {
            let _ = fs::remove_file(entry.path());
        }
    }
    let doc = json!({ "sdk_version": api::version(), "cases": cases() });
    let path = dir.join("cases.json");
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    fs::write(&path, text + "\n").map_err(|e| format!("could not write {}: {e}", path.display()))?;
    println!("sdk-fixtures: wrote {} cases to {}", doc["cases"].as_array().map_or(0, Vec::len), path.display());
    Ok(())
}

/// One output a JavaScript runtime returned for a `native_check` case, checked natively.
fn native_check(_case: &Value, _output: &str, _dir: &Path) -> Result<(), String> {
    Err("no native check is defined for this case".into())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn check(dir: &Path) -> Result<ExitCode, String> {
    let doc = read_json(&dir.join("cases.json"))?;
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let mut results: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("could not read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("results-")))
        .collect();
    results.sort();
    let (mut passed, mut failed) = (0u64, 0u64);
    for case in cases.iter().filter(|c| c["expect"].get("native_check").is_some()) {
        let name = case["name"].as_str().unwrap_or("?");
        for path in &results {
            let file = read_json(path)?;
            let runtime = file["runtime"].as_str().unwrap_or("?");
            let entry = file["results"].as_array().and_then(|r| r.iter().find(|r| r["name"] == case["name"]));
            let outcome = match entry {
                None => Err(format!("{runtime} did not report it")),
                Some(r) => match r["output"].as_str() {
                    Some(output) => native_check(case, output, dir),
                    None => Err(format!("{runtime} returned no output: {}", r["error"].as_str().unwrap_or("?"))),
                },
            };
            match outcome {
                Ok(()) => {
                    passed += 1;
                    println!("ok: {name} ({runtime}): checked natively");
                }
                Err(why) => {
                    failed += 1;
                    println!("FAILED: {name} ({runtime}): {why}");
                }
            }
        }
    }
    println!("{}", json!({ "passed": passed, "failed": failed }));
    Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_deterministic_and_named_once() {
        let (a, b) = (cases(), cases());
        assert_eq!(a, b);
        let mut names: Vec<&str> = a.iter().map(|c| c["name"].as_str().unwrap()).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "two cases share a name");
        // At least one expected answer carries an amount a JavaScript number cannot hold.
        assert!(a.iter().any(|c| c["expect"]["equals"].as_str().is_some_and(|e| e.contains("000000000000000000\""))));
    }
}
