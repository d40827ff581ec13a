//! Records the optimisation level the benchmark was built with: the workspace's release profile is
//! tuned for wasm size (`opt-level = "z"`), which slows native code, so every figure says which
//! level produced it.
fn main() {
    let level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=CLEARING_BENCH_OPT_LEVEL={level}");
    println!("cargo:rerun-if-changed=build.rs");
}
