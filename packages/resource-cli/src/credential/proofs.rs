//! Credential proofs on the devnet, verified by the DID registry (`contracts/did-registry`) itself:
//! `deploy` readies the registry (the recorded one, `--registry`, or a new one) with the verifying
//! keys of the key folder and has the underwriting contract read claims from it; `submit` sends a
//! member's proof, which the registry checks and records as a claim on the member's DID. The
//! messages are built here once, for the commands and the demo.
use std::path::{Path, PathBuf};

use anyhow::Context;
use cosmwasm_std::HexBinary;
use resource_client::Gas;
use resource_msgs::did_registry::{self, VerifyingKeysResponse};
use resource_msgs::underwriting;
use resource_zk::{ClaimKind, CredentialProof};
use serde_json::json;

use super::chain::{tx_json, tx_note, unregistered_did, with_progress, ChainError, Onchain};
use super::{describe_statement, now, read_text};
use crate::deployment::Deployment;
use crate::format;
use crate::ui::table;
use crate::underwriting::deploy::read_artifact;

pub const REGISTRY_ARTIFACT: &str = "did_registry.wasm";

/// The DID registry's `InstantiateMsg`: the instantiating account is its admin; a credential claim
/// may hold for at most `max_credential_validity` seconds (`None`: the registry's default, a year).
pub fn registry_instantiate_msg(max_credential_validity: Option<u64>) -> did_registry::InstantiateMsg {
    did_registry::InstantiateMsg { max_credential_validity, ..did_registry::InstantiateMsg::default() }
}

/// The registry's `UpdateConfig` that changes the longest validity of a credential claim.
pub fn max_validity_msg(seconds: u64) -> did_registry::ExecuteMsg {
    did_registry::ExecuteMsg::UpdateConfig { max_credential_validity: Some(seconds) }
}

/// The registry's `SetVerifyingKey` of `kind` with a `<kind>.vk` file's bytes.
pub fn set_key_msg(kind: ClaimKind, key: &[u8]) -> did_registry::ExecuteMsg {
    did_registry::ExecuteMsg::SetVerifyingKey { kind, key: HexBinary::from(key) }
}

/// The underwriting contract's `UpdateConfig` that has it read identities and claims from `registry`.
pub fn underwriting_registry_msg(registry: &str) -> underwriting::ExecuteMsg {
    underwriting::ExecuteMsg::UpdateConfig(Box::new(underwriting::ConfigUpdate {
        did_registry: Some(registry.to_string()),
        ..underwriting::ConfigUpdate::default()
    }))
}

/// The registry's `SubmitCredentialProof` for a proof file's contents, for the DID it names.
pub fn submit_msg(proof: &CredentialProof) -> anyhow::Result<did_registry::ExecuteMsg> {
    proof.submit_msg(Some(proof.did.clone())).map_err(|e| anyhow::anyhow!("the proof file: {e}"))
}

/// What `resource credential deploy` deploys.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub artifacts: PathBuf,
    pub keys: PathBuf,
    pub kinds: Vec<ClaimKind>,
    /// The longest validity of a credential claim, in seconds: set at instantiation when the
    /// registry is new, with `UpdateConfig` when it exists; `None` leaves the registry's.
    pub max_validity: Option<u64>,
    /// An existing DID registry to use instead of the recorded one or a new one.
    pub registry: Option<String>,
    pub from: String,
    pub json: bool,
}

/// `resource credential deploy`: the DID registry (the recorded one, `--registry`, or a new one)
/// holding the folder's verifying keys, so that it verifies members' proofs itself, and the
/// recorded underwriting contract reading claims from it; recorded in the devnet folder.
pub async fn deploy_command(home: &Path, options: &DeployOptions) -> anyhow::Result<()> {
    let keys = crate::zk::read_verifying_keys(&options.keys, &options.kinds)?;
    let admin_hint = |action: &str| {
        format!("; only the registry's admin {action} (--from {} is not it; pass --from ADMIN)", options.from)
    };
    let deployed = with_progress(async |progress| {
        let chain = Onchain::connect(home, progress).await?;
        let admin = chain.wallet(&options.from)?;
        let client = &chain.client;
        let recorded = chain.deployment.as_ref().and_then(|d| d.did_registry.clone());
        let (registry, registry_code) = match options.registry.clone().or(recorded) {
            Some(registry) => {
                chain.check_registry(&registry).await?;
                if let Some(seconds) = options.max_validity {
                    progress.step("changing the longest validity of a credential claim");
                    client.execute(&admin, &registry, &max_validity_msg(seconds), &[], Gas::Auto).await.map_err(
                        |e| ChainError::refused("the DID registry", "UpdateConfig", e, admin_hint("changes it")),
                    )?;
                }
                (registry, None)
            }
            None => {
                let (_, wasm) = read_artifact(&options.artifacts, REGISTRY_ARTIFACT, "resource-did-registry")?;
                let wasm = wasm.as_slice();
                progress.step(&format!("storing {REGISTRY_ARTIFACT} ({} KiB)", wasm.len() / 1024));
                let (code, _) = client.store_code(&admin, wasm, Gas::Auto).await.context("storing the DID registry")?;
                progress.step(&format!("instantiating the DID registry (code id {code})"));
                let (registry, _) = client
                    .instantiate(
                        &admin,
                        code,
                        &registry_instantiate_msg(options.max_validity),
                        "did-registry",
                        Some(admin.address()),
                        &[],
                        Gas::Auto,
                    )
                    .await
                    .context("instantiating the DID registry")?;
                (registry, Some(code))
            }
        };
        let mut gas = Vec::new();
        for (kind, bytes) in &keys {
            progress.step(&format!("storing the {kind} verifying key in the DID registry"));
            let tx =
                client.execute(&admin, &registry, &set_key_msg(*kind, bytes), &[], Gas::Auto).await.map_err(|e| {
                    ChainError::refused("the DID registry", "SetVerifyingKey", e, admin_hint("stores verifying keys"))
                })?;
            gas.push(tx.gas_used);
        }
        let stored: VerifyingKeysResponse =
            client.query_smart(&registry, &did_registry::QueryMsg::VerifyingKeys {}).await?;
        for (kind, bytes) in &keys {
            let expected = resource_zk::verifier::groth16::key_checksum(bytes);
            let found = stored.keys.iter().find(|k| k.kind == *kind);
            anyhow::ensure!(
                found.is_some_and(|k| k.checksum.as_slice() == expected.as_slice()),
                "the DID registry does not hold the {kind} key just stored (checksum {})",
                hex::encode(expected)
            );
        }
        let config = chain.check_registry(&registry).await?;
        let underwriting = chain.deployment.as_ref().and_then(|d| d.underwriting.clone());
        if let Some(uw) = &underwriting {
            progress.step("having the underwriting contract read claims from the DID registry");
            client.execute(&admin, uw, &underwriting_registry_msg(&registry), &[], Gas::Auto).await.map_err(|e| {
                ChainError::refused("the underwriting contract", "UpdateConfig", e, "; only its admin changes it")
            })?;
        }
        let mut deployment = chain.deployment.clone().unwrap_or_else(|| Deployment {
            chain_id: chain.chain().chain_id.clone(),
            deployed_by: "resource credential deploy".into(),
            credit_token: String::new(),
            underwriting: None,
            clearing: None,
            did_registry: None,
        });
        deployment.did_registry = Some(registry.clone());
        let recorded_in = deployment.save(home)?;
        Ok(json!({
            "chain_id": chain.chain().chain_id,
            "did_registry": registry,
            "did_registry_new": registry_code.is_some(),
            "did_registry_code_id": registry_code,
            "max_credential_validity": config.max_credential_validity,
            "underwriting": underwriting,
            "verifying_keys": stored.keys,
            "set_key_gas": gas,
            "recorded_in": recorded_in,
        }))
    })
    .await?;
    if options.json {
        println!("{deployed}");
        return Ok(());
    }
    let s = |key: &str| deployed[key].as_str().unwrap_or_default().to_string();
    let mut t = table(["contract", "address", ""]);
    let registry_note = match deployed["did_registry_code_id"].as_u64() {
        Some(code) => format!("new, code id {code}"),
        None => "already deployed".to_string(),
    };
    t.add_row(["DID registry", &s("did_registry"), &registry_note]);
    if let Some(uw) = deployed["underwriting"].as_str() {
        t.add_row(["underwriting", uw, "reads identities and claims from the registry"]);
    }
    println!("{t}");
    let mut k = table(["kind", "claim type", "verifying key sha256"]);
    for key in deployed["verifying_keys"].as_array().into_iter().flatten() {
        let kind = key["kind"].as_str().unwrap_or_default();
        let claim_type = ClaimKind::from_name(kind).map_or("", |k| k.claim_type());
        k.add_row([kind, claim_type, key["checksum"].as_str().unwrap_or_default()]);
    }
    println!("{k}");
    let validity = format::duration(deployed["max_credential_validity"].as_u64().unwrap_or_default());
    println!(
        "The DID registry holds the verifying keys above (from {}) and verifies members' proofs itself; a proven claim \
         may hold for at most {validity}. Recorded in {}. Next: `resource credential register-attester`, and members \
         `resource did create`.",
        options.keys.display(),
        s("recorded_in")
    );
    Ok(())
}

/// `resource credential submit --proof FILE`: the member sends its proof to the DID registry,
/// which verifies it and records the claim; the recorded claim is shown.
pub async fn submit_command(
    home: &Path,
    proof_file: &Path,
    registry: Option<&str>,
    from: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let text = read_text(proof_file, "the proof", "; the member writes it with `resource credential prove`")?;
    let proof = CredentialProof::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", proof_file.display()))?;
    let kind = resource_zk::credential::parse_kind(&proof.kind).map_err(|e| anyhow::anyhow!("{e}"))?;
    let msg = submit_msg(&proof)?;
    let statement = describe_statement(kind, &proof.thresholds);
    let (chain, registry, from, tx, view) = with_progress(async |progress| {
        let chain = Onchain::connect(home, progress).await?;
        let registry = chain.registry(registry)?;
        chain.check_registry(&registry).await?;
        let member = chain.account_named_by(&proof.did);
        let from = match (from, member) {
            (Some(from), _) => from.to_string(),
            (None, Some(member)) => member.to_string(),
            (None, None) => anyhow::bail!(
                "the proof is about {}, which is no devnet test account's DID: pass --from ACCOUNT, an account that \
                 controls it",
                proof.did
            ),
        };
        let wallet = chain.wallet(&from)?;
        // The registry refuses an unregistered DID too, in its own terms: said in the member's
        // terms first, with the command that registers it.
        if !chain.did_registered(&registry, &proof.did).await? {
            return Err(unregistered_did(&proof.did, member));
        }
        progress.step(&format!("{from} submits the proof of {statement}"));
        let tx = chain
            .client
            .execute(&wallet, &registry, &msg, &[], Gas::Auto)
            .await
            .map_err(|e| ChainError::refused("the DID registry", "the proof", e, ""))?;
        let seq: u64 = tx
            .attribute("wasm", "seq")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("the DID registry reported no claim sequence number"))?;
        let view = chain
            .claims(&registry, &proof.did)
            .await?
            .into_iter()
            .find(|c| c.seq == seq)
            .ok_or_else(|| anyhow::anyhow!("claim {seq} of {} is not in the DID registry", proof.did))?;
        Ok((chain, registry, from, tx, view))
    })
    .await?;
    if json {
        println!(
            "{}",
            json!({"tx": tx_json(&tx), "did": proof.did, "registry": registry, "seq": view.seq, "claim": view})
        );
        return Ok(());
    }
    let names = chain.names();
    let member = names.get(&proof.did).map_or_else(|| proof.did.clone(), |n| n.to_string());
    println!(
        "The DID registry checked the attester's signature and the proof of {statement}, and recorded claim {} on {} \
         ({})",
        view.seq,
        proof.did,
        tx_note(&tx)
    );
    println!("{}", super::chain::claims_table(&[(member, view.clone())], now()));
    println!(
        "Cite it in an application: `resource underwriting apply AMOUNT --term D --claim {} --from {from}`.",
        view.seq
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof() -> CredentialProof {
        CredentialProof {
            kind: "rating".into(),
            did: "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7".into(),
            commitment: "ab".repeat(32),
            attester: "did:web:ratings.example".into(),
            signature: "cd".repeat(64),
            thresholds: vec![45, 100],
            valid_until: 1_800_000_000,
            proof: "ef".repeat(192),
            statement_hash: "00".repeat(32),
        }
    }

    #[test]
    fn a_proof_file_becomes_the_registrys_message() {
        let msg = serde_json::to_value(submit_msg(&proof()).unwrap()).unwrap();
        let body = &msg["submit_credential_proof"];
        assert_eq!(body["claim"], "rating");
        assert_eq!(body["did"], proof().did);
        assert_eq!(body["commitment"], "ab".repeat(32));
        assert_eq!(body["thresholds"], serde_json::json!([45, 100]));
        let mut bad = proof();
        bad.signature = "zz".into();
        assert!(submit_msg(&bad).unwrap_err().to_string().contains("signature is not valid hex"));
        bad = proof();
        bad.kind = "stars".into();
        assert!(submit_msg(&bad).unwrap_err().to_string().contains("unknown claim kind `stars`"));
    }

    #[test]
    fn the_setup_messages_name_the_registry_and_its_settings() {
        let wired = serde_json::to_value(underwriting_registry_msg("inj1registry")).unwrap();
        assert_eq!(wired["update_config"]["did_registry"], "inj1registry");
        let key = serde_json::to_value(set_key_msg(ClaimKind::Tenure, &[1, 2])).unwrap();
        assert_eq!(key, serde_json::json!({"set_verifying_key": {"kind": "tenure", "key": "0102"}}));
        let validity = serde_json::to_value(max_validity_msg(86_400)).unwrap();
        assert_eq!(validity, serde_json::json!({"update_config": {"max_credential_validity": 86_400}}));
        let new = serde_json::to_value(registry_instantiate_msg(Some(3_600))).unwrap();
        assert_eq!(new["max_credential_validity"], 3_600);
        assert_eq!(new["admin"], serde_json::Value::Null, "the instantiating account administers it");
    }
}
