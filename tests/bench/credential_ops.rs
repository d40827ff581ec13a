//! The credential section of `gas-bench` (`--op credential`): whole-transaction gas of
//! `SubmitCredentialProof` on the credential verifier, one row per claim kind, beside the no-op
//! baseline given the same JSON by the same signer.
//!
//! Setup: a DID registry and a credential verifier (a claim verifier of the registry), an ed25519
//! and a secp256k1 attester registered for the three claim types, the three devnet verifying keys
//! stored (`SetVerifyingKey`, whose gas is reported too), and a member with its account DID
//! created. Every round (one warm-up, then [`ROUNDS`] measured) the attester issues the member a
//! fresh credential of each kind (nullifiers are one-use) and the member proves and submits it; the
//! baseline receives the same message. What a submit does: two raw reads of the registry's records
//! (the attester, the nullifier), the signature host function, the statement hash and `vk_x` in
//! wasm, one pairing-equality host call, and the registry's `RecordVerifiedClaim` as a second
//! contract call.
use anyhow::Context;
use cosmwasm_std::HexBinary;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_client::{ChainClient, Gas, Wallet};
use resource_msgs::credential_verifier::{self, ClaimKind};
use resource_msgs::did_registry;
use resource_tests::{artifact, block_time, fresh_wallet, fund, prove_credential};
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::setup::{devnet_keys, CircuitKeys};
use resource_zk::{CredentialProof, ProofRequest};
use serde::Serialize;
use serde_json::{json, Value};

use crate::{median, progress, spread, Cast, LIMIT, ROUNDS};

/// The issue's target for a whole submit transaction.
pub const TARGET: u64 = 250_000;
const DAY: u64 = 86_400;
/// Coins for the member's transaction fees.
const FUNDS: u128 = 1_000_000_000_000_000_000;

pub struct CredRow {
    pub op: String,
    pub circuit: &'static str,
    pub scheme: &'static str,
    pub ours: u64,
    pub baseline: u64,
    pub spread: u64,
    /// Whether the row has the issue's target (the submits; not SetVerifyingKey).
    pub targeted: bool,
}

impl CredRow {
    fn share(&self) -> i64 {
        self.ours as i64 - self.baseline as i64
    }
}

/// The gas limit of `SetVerifyingKey`, which validates every point of the key in wasm.
const KEY_LIMIT: u64 = 5_000_000;

async fn exec(client: &ChainClient, who: &Wallet, contract: &str, msg: &impl Serialize) -> anyhow::Result<u64> {
    exec_limit(client, who, contract, msg, LIMIT).await
}

async fn exec_limit(
    client: &ChainClient,
    who: &Wallet,
    contract: &str,
    msg: &impl Serialize,
    limit: u64,
) -> anyhow::Result<u64> {
    let out = client.execute(who, contract, msg, &[], Gas::Fixed(limit)).await.with_context(|| {
        let text = serde_json::to_string(msg).unwrap_or_else(|e| e.to_string());
        format!("executing {} on {contract}", &text[..text.len().min(300)])
    })?;
    Ok(out.gas_used)
}

/// The `SubmitCredentialProof` of `p` for the sender's own DID.
pub fn submit_msg(p: &CredentialProof) -> anyhow::Result<credential_verifier::ExecuteMsg> {
    Ok(credential_verifier::ExecuteMsg::SubmitCredentialProof {
        did: None,
        commitment: HexBinary::from_hex(&p.commitment)?,
        attester: p.attester.clone(),
        signature: HexBinary::from_hex(&p.signature)?,
        claim: ClaimKind::from_name(&p.kind).context("a claim kind")?,
        thresholds: p.thresholds.clone(),
        valid_until: p.valid_until,
        proof: HexBinary::from_hex(&p.proof)?,
    })
}

/// What is measured per round: (kind, values, thresholds, attester index).
const CASES: [(ClaimKind, &[u64], &[u64], usize); 4] = [
    (ClaimKind::Rating, &[46, 120], &[45, 100], 0),
    (ClaimKind::Revenue, &[12_500], &[10_000], 0),
    (ClaimKind::Tenure, &[30], &[24], 0),
    (ClaimKind::Rating, &[46, 120], &[45, 100], 1),
];

pub async fn measure(client: &ChainClient, cast: &Cast, baseline: &str) -> anyhow::Result<Vec<CredRow>> {
    let admin = &cast.admin;
    let chain = client.config().chain_id.clone();
    progress("credential: storing did_registry.wasm and credential_verifier.wasm");
    let (registry_code, _) = client.store_code(admin, &artifact("did_registry")?, Gas::Auto).await?;
    let (verifier_code, _) = client.store_code(admin, &artifact("credential_verifier")?, Gas::Auto).await?;
    let (registry, _) = client
        .instantiate(
            admin,
            registry_code,
            &did_registry::InstantiateMsg::default(),
            "bench-cred-registry",
            None,
            &[],
            Gas::Auto,
        )
        .await?;
    let init = credential_verifier::InstantiateMsg { admin: None, did_registry: registry.clone(), max_validity: None };
    let (verifier, _) =
        client.instantiate(admin, verifier_code, &init, "bench-cred-verifier", None, &[], Gas::Auto).await?;
    let roles = did_registry::ExecuteMsg::UpdateRoles {
        add_writers: vec![],
        remove_writers: vec![],
        add_verifiers: vec![verifier.clone()],
        remove_verifiers: vec![],
    };
    client.execute(admin, &registry, &roles, &[], Gas::Auto).await?;

    let signers = [
        AttesterSigner::generate(SignatureScheme::Ed25519, &mut ChaCha20Rng::from_seed([21; 32])),
        AttesterSigner::generate(SignatureScheme::Secp256k1, &mut ChaCha20Rng::from_seed([22; 32])),
    ];
    let attesters = ["did:web:ratings-ed25519.example", "did:web:ratings-k256.example"];
    for (did, signer) in attesters.iter().zip(&signers) {
        let msg = did_registry::ExecuteMsg::RegisterAttester {
            did: did.to_string(),
            name: "Bench attester".into(),
            claim_types: ClaimKind::ALL.iter().map(|k| k.claim_type().to_string()).collect(),
            public_key: signer.public_key(),
        };
        client.execute(admin, &registry, &msg, &[], Gas::Auto).await?;
    }

    progress("credential: the devnet keys (setup of the three circuits), stored with SetVerifyingKey");
    let keys: Vec<CircuitKeys> = ClaimKind::ALL.iter().map(|k| devnet_keys(*k)).collect();
    let proving_keys: Vec<(ClaimKind, Vec<u8>)> = keys.iter().map(|k| (k.kind, k.proving_key_bytes())).collect();
    let proving_key = |kind: ClaimKind| &proving_keys.iter().find(|(k, _)| *k == kind).expect("every kind").1;
    let mut set_key = Vec::new();
    let mut set_key_baseline = Vec::new();
    for k in &keys {
        let msg =
            credential_verifier::ExecuteMsg::SetVerifyingKey { kind: k.kind, key: k.verifying_key_bytes().into() };
        set_key_baseline.push(exec_limit(client, admin, baseline, &msg, KEY_LIMIT).await?);
        set_key.push(exec_limit(client, admin, &verifier, &msg, KEY_LIMIT).await?);
    }

    // The member: new to the run, warm (its DID created) before anything is measured.
    let member = fresh_wallet(&client.config().prefix);
    fund(client, admin, &[&member], FUNDS).await?;
    client
        .execute(&member, &registry, &did_registry::ExecuteMsg::Create { did: None, document: None }, &[], Gas::Auto)
        .await?;
    let did = format!("did:resource:{chain}:{}", member.address());

    let mut ours: Vec<Vec<u64>> = vec![Vec::new(); CASES.len()];
    let mut base: Vec<Vec<u64>> = vec![Vec::new(); CASES.len()];
    let mut rng = ChaCha20Rng::from_seed([23; 32]);
    for round in 0..=ROUNDS {
        let label = if round == 0 { "warm-up round".to_string() } else { format!("round {round}/{ROUNDS}") };
        for (i, (kind, values, thresholds, signer)) in CASES.iter().enumerate() {
            progress(&format!("credential {label}: {kind} ({})", attesters[*signer]));
            let now = block_time(client).await?;
            let request = CredentialRequest {
                kind: kind.name().into(),
                subject: did.clone(),
                values: values.to_vec(),
                issued_at: now - DAY,
                expires_at: now + 365 * DAY,
            };
            let credential = Credential::issue(&request, attesters[*signer], &signers[*signer], &mut rng)?;
            let proof_request =
                ProofRequest { credential, thresholds: thresholds.to_vec(), valid_until: now + 30 * DAY };
            let p = prove_credential(proving_key(*kind), &proof_request)?;
            let msg = submit_msg(&p)?;
            let b = exec(client, &member, baseline, &msg).await?;
            let o = exec(client, &member, &verifier, &msg).await?;
            if round > 0 {
                ours[i].push(o);
                base[i].push(b);
            }
        }
    }
    // Every submission was recorded.
    let claims: did_registry::VerifiedClaimsResponse = client
        .query_smart(&registry, &did_registry::QueryMsg::VerifiedClaims { did, start_after: None, limit: Some(100) })
        .await?;
    anyhow::ensure!(
        claims.claims.len() == CASES.len() * (ROUNDS + 1),
        "{} claims recorded, expected {}",
        claims.claims.len(),
        CASES.len() * (ROUNDS + 1)
    );

    let mut rows: Vec<CredRow> = CASES
        .iter()
        .enumerate()
        .map(|(i, (kind, ..))| {
            let scheme = if CASES[i].3 == 0 { "ed25519" } else { "secp256k1" };
            let op = if CASES[i].3 == 0 {
                format!("credential_verifier.submit@{kind}")
            } else {
                format!("credential_verifier.submit@{kind}+{scheme}")
            };
            CredRow {
                op,
                circuit: kind.name(),
                scheme,
                ours: median(&ours[i]),
                baseline: median(&base[i]),
                spread: [&ours[i], &base[i]].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
                targeted: true,
            }
        })
        .collect();
    rows.push(CredRow {
        op: "credential_verifier.set_verifying_key".into(),
        circuit: "all",
        scheme: "-",
        ours: median(&set_key),
        baseline: median(&set_key_baseline),
        spread: [&set_key, &set_key_baseline].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
        targeted: false,
    });
    Ok(rows)
}

pub fn json_lines(rows: &[CredRow]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            json!({
                "op": r.op, "circuit": r.circuit, "signature": r.scheme, "verify_gas": r.ours,
                "verify_share": r.share(), "baseline": r.baseline,
                "target": if r.targeted { json!(TARGET) } else { Value::Null }, "spread": r.spread,
            })
        })
        .collect()
}

pub fn print(rows: &[CredRow]) {
    println!();
    println!("credential verifier (whole transaction; the submit includes the registry's RecordVerifiedClaim):");
    println!("{:<48} {:>9} {:>9} {:>8}  target", "operation", "ours", "baseline", "share");
    for r in rows {
        let target = if r.targeted {
            format!("< {TARGET}: {}", if r.ours < TARGET { "met" } else { "MISSED" })
        } else {
            "(reported; median of the three kinds' keys)".into()
        };
        let spread = if r.spread > 0 { format!(" (rounds differ by up to {})", r.spread) } else { String::new() };
        println!("{:<48} {:>9} {:>9} {:>8}  {target}{spread}", r.op, r.ours, r.baseline, r.share());
    }
}
