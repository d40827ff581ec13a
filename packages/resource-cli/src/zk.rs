//! `resource zk setup`: the Groth16 proving and verifying keys of the credential circuits, derived
//! reproducibly from a seed (`resource_zk::setup`), written with their checksums.
//!
//! Keys from a seed are for devnets and tests only: whoever knows the seed knows the setup's
//! trapdoor and can prove false statements. The default seed, [`DEVNET_SEED`], is public. A
//! production network needs keys from a trusted-setup ceremony (a multi-party phase 2 for these
//! circuits), whose verifying keys its admin stores in the DID registry.
use std::path::{Path, PathBuf};
use std::time::Instant;

use resource_zk::setup::{write_keys, KeyFiles};
use resource_zk::{ClaimKind, DEVNET_SEED};
use serde::Serialize;

use crate::format;
use crate::ui::{table, Progress};

/// What `resource zk setup` does.
#[derive(Debug, Clone)]
pub struct SetupOptions {
    pub out: PathBuf,
    pub seed: String,
    pub kinds: Vec<ClaimKind>,
    pub json: bool,
}

/// The warning every setup prints: what keys from a seed are good for.
pub fn seed_warning(seed: &str) -> String {
    let origin = if seed == DEVNET_SEED {
        format!("the documented public seed \"{DEVNET_SEED}\"")
    } else {
        "the seed you gave".to_string()
    };
    format!(
        "These keys come from {origin}: whoever knows a setup's seed can prove false statements with them, so they \
         are for devnets and tests only. A production network needs keys from a trusted-setup ceremony (a multi-party \
         phase 2 for these circuits)."
    )
}

#[derive(Serialize)]
struct KindJson<'a> {
    #[serde(flatten)]
    files: &'a KeyFiles,
    setup_ms: u64,
}

/// `resource zk setup`: sets up each kind into `options.out`, with a progress line per kind, then
/// a table of the keys (or one JSON document).
pub fn setup_command(options: &SetupOptions) -> anyhow::Result<()> {
    let progress = Progress::new();
    let mut times: Vec<u64> = Vec::new();
    let mut started: Option<Instant> = None;
    let count = options.kinds.len();
    let result = write_keys(&options.out, &options.seed, &options.kinds, |kind| {
        if let Some(at) = started.replace(Instant::now()) {
            times.push(at.elapsed().as_millis() as u64);
        }
        let index = times.len() + 1;
        progress.step(&format!("setting up the {kind} circuit ({index} of {count})"));
    });
    if let Some(at) = started {
        times.push(at.elapsed().as_millis() as u64);
    }
    progress.finish();
    let files = result?;
    let checksums = options.out.join("checksums.txt");
    if options.json {
        let kinds: Vec<KindJson> =
            files.iter().zip(&times).map(|(files, &setup_ms)| KindJson { files, setup_ms }).collect();
        println!(
            "{}",
            serde_json::json!({
                "dir": options.out,
                "devnet_seed": options.seed == DEVNET_SEED,
                "warning": seed_warning(&options.seed),
                "checksums": checksums,
                "kinds": kinds,
            })
        );
        return Ok(());
    }
    println!(
        "Wrote the keys of {} circuit{} to {}:",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        options.out.display()
    );
    println!("{}", keys_table(&files, &times));
    println!(
        "{} holds both keys' sha256 (`sha256sum -c checksums.txt` in the folder checks them). The DID registry \
         stores the .vk files (`resource credential deploy`); members prove with the .pk files.",
        checksums.display()
    );
    println!("{}", seed_warning(&options.seed));
    Ok(())
}

fn keys_table(files: &[KeyFiles], times: &[u64]) -> comfy_table::Table {
    let mut t = table(["kind", "constraints", "pk bytes", "vk bytes", "vk sha256", "setup"]);
    for (f, ms) in files.iter().zip(times) {
        t.add_row([
            f.kind.to_string(),
            format::grouped(f.constraints as u128),
            format::grouped(f.proving_key_bytes as u128),
            format::grouped(f.verifying_key_bytes as u128),
            f.verifying_key_sha256.clone(),
            format!("{:.1} s", *ms as f64 / 1e3),
        ]);
    }
    crate::underwriting::report::align_right(t, 1..4)
}

/// The verifying key files of `kinds` in `dir`, read; a missing one says to run the setup.
pub fn read_verifying_keys(dir: &Path, kinds: &[ClaimKind]) -> anyhow::Result<Vec<(ClaimKind, Vec<u8>)>> {
    let mut out = Vec::with_capacity(kinds.len());
    for &kind in kinds {
        let (_, vk) = resource_zk::setup::key_paths(dir, kind);
        let bytes = std::fs::read(&vk).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the {kind} verifying key {} ({}): run `resource zk setup` (or pass --keys DIR)",
                vk.display(),
                if e.kind() == std::io::ErrorKind::NotFound { "no such file".to_string() } else { e.to_string() }
            )
        })?;
        resource_zk::read_verifying_key(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", vk.display()))?;
        out.push((kind, bytes));
    }
    Ok(out)
}
