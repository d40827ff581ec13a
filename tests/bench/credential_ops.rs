//! The credential section of `gas-bench` (`--op credential`): whole-transaction gas of
//! `SubmitCredentialProof` on the DID registry, one row per claim kind, beside the no-op baseline
//! given the same JSON by the same signer.
//!
//! Setup: a DID registry, an ed25519 and a secp256k1 attester registered for the three claim types, the three devnet verifying keys
//! stored (`SetVerifyingKey`, whose gas is reported too), and a member with its account DID
//! created. Every round (one warm-up, then [`ROUNDS`] measured) the attester issues the member a
//! fresh credential of each kind (nullifiers are one-use) and the member proves and submits it; the
//! baseline receives the same message. What a submit does: reads of the DID's head, the verifying
//! key, the attester and the nullifier, the signature host function, the statement hash and `vk_x`
//! in wasm, one pairing-equality host call, and the claim's writes, all in one contract call. Then
//! the registry's code is pinned (a governance proposal the devnet's validator submits and votes
//! for) and the rounds run again (`+pinned` rows): a pinned code's calls skip wasmd's contract
//! instance cost, as on chains that pin the codes they call most. The baseline is never pinned.
use anyhow::Context;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_client::{ChainClient, Gas, Wallet};
use resource_msgs::did_registry::{self, ClaimKind};
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
    /// Measured with the registry's code pinned.
    pub pinned: bool,
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
pub fn submit_msg(p: &CredentialProof) -> anyhow::Result<did_registry::ExecuteMsg> {
    Ok(p.submit_msg(None)?)
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
    progress("credential: storing did_registry.wasm");
    let (registry_code, _) = client.store_code(admin, &artifact("did_registry")?, Gas::Auto).await?;
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
    let mut set_key = Vec::new();
    let mut set_key_baseline = Vec::new();
    for k in &keys {
        let msg = did_registry::ExecuteMsg::SetVerifyingKey { kind: k.kind, key: k.verifying_key_bytes().into() };
        set_key_baseline.push(exec_limit(client, admin, baseline, &msg, KEY_LIMIT).await?);
        set_key.push(exec_limit(client, admin, &registry, &msg, KEY_LIMIT).await?);
    }

    // The member: new to the run, warm (its DID created) before anything is measured.
    let member = fresh_wallet(&client.config().prefix);
    fund(client, admin, &[&member], FUNDS).await?;
    client
        .execute(&member, &registry, &did_registry::ExecuteMsg::Create { did: None, document: None }, &[], Gas::Auto)
        .await?;
    let did = format!("did:resource:{chain}:{}", member.address());

    let setup = Submitter { member: &member, did: &did, registry: &registry, baseline, signers: &signers, attesters };
    let mut rng = ChaCha20Rng::from_seed([23; 32]);
    let mut rows = rows_of(&setup.rounds(client, &proving_keys, &mut rng, "").await?, false);

    // The same with the registry's code pinned (a governance proposal on the devnet, as a chain
    // pins the codes it calls most): no contract instance cost.
    progress("credential: pinning the registry's code by governance");
    pin_codes(client, &[registry_code]).await?;
    rows.extend(rows_of(&setup.rounds(client, &proving_keys, &mut rng, " (pinned)").await?, true));

    // Every submission was recorded.
    let claims: did_registry::VerifiedClaimsResponse = client
        .query_smart(&registry, &did_registry::QueryMsg::VerifiedClaims { did, start_after: None, limit: Some(100) })
        .await?;
    let expected = 2 * CASES.len() * (ROUNDS + 1);
    anyhow::ensure!(claims.claims.len() == expected, "{} claims recorded, expected {expected}", claims.claims.len());

    rows.push(CredRow {
        op: "did_registry.set_verifying_key".into(),
        circuit: "all",
        scheme: "-",
        pinned: false,
        ours: median(&set_key),
        baseline: median(&set_key_baseline),
        spread: [&set_key, &set_key_baseline].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
        targeted: false,
    });
    Ok(rows)
}

/// Who submits what, to which contracts.
struct Submitter<'a> {
    member: &'a Wallet,
    did: &'a str,
    registry: &'a str,
    baseline: &'a str,
    signers: &'a [AttesterSigner; 2],
    attesters: [&'static str; 2],
}

impl Submitter<'_> {
    /// One warm-up round and [`ROUNDS`] measured ones of every case, each with a fresh credential:
    /// per case, the registry's and the baseline's gas of the measured rounds.
    async fn rounds(
        &self,
        client: &ChainClient,
        proving_keys: &[(ClaimKind, Vec<u8>)],
        rng: &mut ChaCha20Rng,
        note: &str,
    ) -> anyhow::Result<Vec<(Vec<u64>, Vec<u64>)>> {
        let mut out: Vec<(Vec<u64>, Vec<u64>)> = vec![(Vec::new(), Vec::new()); CASES.len()];
        for round in 0..=ROUNDS {
            let label = if round == 0 { "warm-up round".to_string() } else { format!("round {round}/{ROUNDS}") };
            for (i, (kind, values, thresholds, signer)) in CASES.iter().enumerate() {
                progress(&format!("credential {label}{note}: {kind} ({})", self.attesters[*signer]));
                let now = block_time(client).await?;
                let request = CredentialRequest {
                    kind: kind.name().into(),
                    subject: self.did.to_string(),
                    values: values.to_vec(),
                    issued_at: now - DAY,
                    expires_at: now + 365 * DAY,
                };
                let credential =
                    Credential::issue(&request, self.attesters[*signer], &self.signers[*signer], &mut *rng)?;
                let proof_request =
                    ProofRequest { credential, thresholds: thresholds.to_vec(), valid_until: now + 30 * DAY };
                let pk = &proving_keys.iter().find(|(k, _)| k == kind).context("every kind's key")?.1;
                let p = prove_credential(pk, &proof_request)?;
                let msg = submit_msg(&p)?;
                let b = exec(client, self.member, self.baseline, &msg).await?;
                let o = exec(client, self.member, self.registry, &msg).await?;
                if round > 0 {
                    out[i].0.push(o);
                    out[i].1.push(b);
                }
            }
        }
        Ok(out)
    }
}

fn rows_of(series: &[(Vec<u64>, Vec<u64>)], pinned: bool) -> Vec<CredRow> {
    CASES
        .iter()
        .zip(series)
        .map(|((kind, _, _, signer), (ours, base))| {
            let scheme = if *signer == 0 { "ed25519" } else { "secp256k1" };
            let mut op = format!("did_registry.submit_credential_proof@{kind}");
            if *signer == 1 {
                op.push_str("+secp256k1");
            }
            if pinned {
                op.push_str("+pinned");
            }
            CredRow {
                op,
                circuit: kind.name(),
                scheme,
                pinned,
                ours: median(ours),
                baseline: median(base),
                spread: [ours, base].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
                targeted: true,
            }
        })
        .collect()
}

/// The injectived binary of the devnet and its first chain's node home (the validator's keyring).
fn devnet_node() -> anyhow::Result<(resource_cli::node::NodeBinary, std::path::PathBuf, String)> {
    let home = std::env::var_os("RESOURCE_DEVNET_HOME").context("RESOURCE_DEVNET_HOME is not set")?;
    let state = resource_cli::devnet::DevnetState::load(std::path::Path::new(&home))?.context("no devnet there")?;
    let (chain, _) = state.running().next().context("no running chain")?;
    let node = resource_cli::node::ensure_node(&|_| {}).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((node, chain.node_home.clone(), chain.config.rpc.clone()))
}

/// Runs the devnet's injectived with `args` (plus `--node`), its output as JSON.
fn injectived(node: &resource_cli::node::NodeBinary, rpc: &str, args: &[&str]) -> anyhow::Result<Value> {
    let out = node
        .command()
        .args(args)
        .args(["--node", rpc, "--output", "json"])
        .stdin(std::process::Stdio::null())
        .output()
        .context("running injectived")?;
    anyhow::ensure!(
        out.status.success(),
        "injectived {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    serde_json::from_slice(&out.stdout).with_context(|| format!("injectived {}: not JSON", args.join(" ")))
}

/// Pins `code_ids` through governance: the devnet's validator (its key is in the node's test
/// keyring, and it holds all the voting power) submits `MsgPinCodes` and votes yes; the devnet's
/// voting period is 10 seconds.
async fn pin_codes(client: &ChainClient, code_ids: &[u64]) -> anyhow::Result<()> {
    let (node, node_home, rpc) = devnet_node()?;
    let chain_id = client.config().chain_id.clone();
    let gov = injectived(&node, &rpc, &["query", "auth", "module-account", "gov"])?;
    let authority = gov.pointer("/account/value/address").and_then(Value::as_str).context("the gov module address")?;
    let denom = &client.config().denom;
    let proposal = json!({
        "messages": [{
            "@type": "/cosmwasm.wasm.v1.MsgPinCodes",
            "authority": authority,
            "code_ids": code_ids.iter().map(u64::to_string).collect::<Vec<_>>(),
        }],
        "metadata": "", "deposit": format!("10000000{denom}"), "title": "Pin the benchmark's codes",
        "summary": "gas-bench: the DID registry, pinned", "expedited": false,
    });
    let file = node_home.join("pin-proposal.json");
    std::fs::write(&file, proposal.to_string())?;
    let home = node_home.to_string_lossy().to_string();
    let gas_prices = format!("{}{denom}", client.config().gas_price);
    let tx = |args: &[&str]| -> anyhow::Result<()> {
        let mut all: Vec<&str> = args.to_vec();
        all.extend([
            "--from",
            "val",
            "--keyring-backend",
            "test",
            "--home",
            &home,
            "--chain-id",
            &chain_id,
            "--gas",
            "2000000",
            "--gas-prices",
            &gas_prices,
            "--yes",
        ]);
        let r = injectived(&node, &rpc, &all)?;
        anyhow::ensure!(r["code"].as_u64() == Some(0), "injectived {}: {r}", args.join(" "));
        Ok(())
    };
    tx(&["tx", "gov", "submit-proposal", &file.to_string_lossy()])?;
    let started = std::time::Instant::now();
    let id = loop {
        // (Injective's `query gov` wants a chain id.)
        let proposals =
            injectived(&node, &rpc, &["query", "gov", "proposals", "--chain-id", &chain_id]).unwrap_or(Value::Null);
        let ids: Vec<u64> = proposals["proposals"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["id"].as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        if let Some(id) = ids.into_iter().max() {
            break id;
        }
        anyhow::ensure!(started.elapsed().as_secs() < 30, "the pin proposal did not appear");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    tx(&["tx", "gov", "vote", &id.to_string(), "yes"])?;
    loop {
        let pinned = injectived(&node, &rpc, &["query", "wasm", "pinned"])?;
        let ids: Vec<u64> = pinned["code_ids"]
            .as_array()
            .map(|c| c.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        if code_ids.iter().all(|c| ids.contains(c)) {
            return Ok(());
        }
        anyhow::ensure!(started.elapsed().as_secs() < 90, "codes {code_ids:?} not pinned after 90 s: {pinned}");
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

pub fn json_lines(rows: &[CredRow]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            json!({
                "op": r.op, "circuit": r.circuit, "signature": r.scheme, "pinned": r.pinned, "verify_gas": r.ours,
                "verify_share": r.share(), "baseline": r.baseline,
                "target": if r.targeted { json!(TARGET) } else { Value::Null }, "spread": r.spread,
            })
        })
        .collect()
}

pub fn print(rows: &[CredRow]) {
    println!();
    println!("credential proofs on the DID registry (whole transaction):");
    println!("{:<52} {:>9} {:>9} {:>8}  target", "operation", "ours", "baseline", "share");
    for r in rows {
        let target = if r.targeted {
            format!("< {TARGET}: {}", if r.ours < TARGET { "met" } else { "MISSED" })
        } else {
            "(reported; median of the three kinds' keys)".into()
        };
        let spread = if r.spread > 0 { format!(" (rounds differ by up to {})", r.spread) } else { String::new() };
        println!("{:<52} {:>9} {:>9} {:>8}  {target}{spread}", r.op, r.ours, r.baseline, r.share());
    }
}
