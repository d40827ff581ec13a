//! Records the optimisation level the benchmark was built with, so every figure says which level
//! produced it: the workspace's release profile optimises host code for speed (`opt-level = 3`), and
//! only `cargo xtask wasm` overrides it with `"z"` for contracts, but a developer may build the
//! benchmark with another profile.
fn main() {
    let level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=CLEARING_BENCH_OPT_LEVEL={level}");
    println!("cargo:rerun-if-changed=build.rs");
}
