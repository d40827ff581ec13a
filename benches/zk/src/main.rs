//! `zk-bench [--rounds N] [--json]`: per claim kind, the circuit's constraints, native proving time
//! (one thread: arkworks without its `parallel` feature), native verification time (arkworks'
//! verifier and the contract's code path over the native pairing), proof and proving-key sizes.
//! Medians over the rounds, after one unmeasured warm-up. `cargo xtask bench zk` adds the Node,
//! browser and on-chain figures to these rows.

use std::time::Instant;

use anyhow::Result;
use clap::Parser;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::samples::sample;
use resource_zk::{constraint_count, devnet_keys, prove, verify, verify_prepared, ClaimKind, ProofRequest};
use serde::Serialize;

#[derive(Parser)]
struct Args {
    /// Measured rounds per kind.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Row {
    circuit: &'static str,
    constraints: usize,
    prove_ms_native: f64,
    verify_ms_native: f64,
    verify_ms_native_contract_path: f64,
    proof_bytes: usize,
    pk_bytes: usize,
    vk_bytes: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut rng = ChaCha20Rng::from_seed([9; 32]);
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng);
    for kind in ClaimKind::ALL {
        let keys = devnet_keys(kind);
        let (values, thresholds) = sample(kind);
        let credential = Credential::issue(
            &CredentialRequest {
                kind: kind.name().into(),
                subject: "did:resource:resource-1:inj1benchbenchbenchbenchbenchbenchbench0".into(),
                values,
                issued_at: 1_767_225_600,
                expires_at: 1_767_225_600 + 365 * 86_400,
            },
            "did:web:ratings.example",
            &signer,
            &mut rng,
        )?;
        let request = ProofRequest { credential: credential.clone(), thresholds, valid_until: credential.expires_at };
        let vk_bytes = keys.verifying_key_bytes();
        let mut proofs = Vec::new();
        let mut prove_times = Vec::new();
        for round in 0..=args.rounds {
            let mut proof = None;
            let t = ms(|| proof = Some(prove(kind, &keys.proving, &request, &mut rng)));
            proofs.push(proof.expect("ran")?);
            if round > 0 {
                prove_times.push(t);
            }
        }
        let mut verify_times = Vec::new();
        let mut contract_path_times = Vec::new();
        for p in &proofs {
            let mut native = None;
            verify_times.push(ms(|| native = Some(verify(&keys.verifying, p))));
            native.expect("ran")?;
            let mut contract_path = None;
            contract_path_times.push(ms(|| contract_path = Some(verify_prepared(&vk_bytes, p))));
            contract_path.expect("ran")?;
        }
        let row = Row {
            circuit: kind.name(),
            constraints: constraint_count(kind),
            prove_ms_native: median(prove_times),
            verify_ms_native: median(verify_times),
            verify_ms_native_contract_path: median(contract_path_times),
            proof_bytes: proofs[0].proof_bytes()?.len(),
            pk_bytes: keys.proving_key_bytes().len(),
            vk_bytes: vk_bytes.len(),
        };
        if args.json {
            println!("{}", serde_json::to_string(&row)?);
        } else {
            println!(
                "{:<8} {:>5} constraints  prove {:>7.1} ms  verify {:>5.2} ms (contract path {:>5.2} ms)  proof {} B  pk {} B  vk {} B",
                row.circuit,
                row.constraints,
                row.prove_ms_native,
                row.verify_ms_native,
                row.verify_ms_native_contract_path,
                row.proof_bytes,
                row.pk_bytes,
                row.vk_bytes
            );
        }
    }
    Ok(())
}
