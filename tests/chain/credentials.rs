//! Credential proofs on the real devnet: the DID registry deployed, the devnet verifying keys stored
//! in it, an attester registered; the attester issues a member a rating credential (resource_zk),
//! the member proves it and submits it to the registry through the Rust client; the chain's own
//! wasmvm checks the ed25519 signature and the Groth16 proof (`bls12_381_pairing_equality`) and the
//! registry records the claim. A second submission of the credential and a proof of another
//! statement are refused with the contract's own words, as the native verifiers refuse them.
use cosmwasm_std::HexBinary;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_client::{ClientError, Gas};
use resource_msgs::did_registry::{
    ClaimKind, ExecuteMsg, InstantiateMsg, NullifierResponse, QueryMsg, VerifiedClaimsResponse, VerifyingKeyResponse,
    VerifyingKeysResponse,
};
use resource_tests::{artifact, block_time, devnet_client, prove_credential, wallet};
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::setup::devnet_keys;
use resource_zk::{verify, verify_prepared, CredentialProof, ProofRequest, ZkError};

const ORACLE: &str = "did:web:ratings.example";
const DAY: u64 = 86_400;
/// SetVerifyingKey validates every point of the key in wasm.
const KEY_GAS: Gas = Gas::Fixed(5_000_000);
const GAS: Gas = Gas::Fixed(1_500_000);

fn submit(p: &CredentialProof) -> anyhow::Result<ExecuteMsg> {
    Ok(p.submit_msg(None)?)
}

#[tokio::test]
async fn a_credential_is_issued_proven_verified_and_recorded_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let chain_id = client.config().chain_id.clone();
    let (admin, member) = (wallet("admin", &p), wallet("bob", &p));

    let (registry_code, _) = client.store_code(&admin, &artifact("did_registry")?, Gas::Auto).await?;
    let (registry, _) = client
        .instantiate(&admin, registry_code, &InstantiateMsg::default(), "registry-zk-e2e", None, &[], Gas::Auto)
        .await?;

    // The devnet keys of the three circuits, each stored and answered with its file's checksum.
    let keys: Vec<_> = ClaimKind::ALL.iter().map(|k| devnet_keys(*k)).collect();
    for k in &keys {
        let msg = ExecuteMsg::SetVerifyingKey { kind: k.kind, key: k.verifying_key_bytes().into() };
        client.execute(&admin, &registry, &msg, &[], KEY_GAS).await?;
        let stored: VerifyingKeyResponse =
            client.query_smart(&registry, &QueryMsg::VerifyingKey { kind: k.kind }).await?;
        let sum = resource_zk::verifier::groth16::key_checksum(&k.verifying_key_bytes());
        assert_eq!(stored.checksum.as_slice(), sum, "{}", k.kind);
    }
    let all: VerifyingKeysResponse = client.query_smart(&registry, &QueryMsg::VerifyingKeys {}).await?;
    assert_eq!(all.keys.len(), 3);

    // The attester, and the member's account DID.
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut ChaCha20Rng::from_seed([31; 32]));
    let register = ExecuteMsg::RegisterAttester {
        did: ORACLE.into(),
        name: "Platform ratings oracle".into(),
        claim_types: vec!["platform_rating".into()],
        public_key: signer.public_key(),
    };
    client.execute(&admin, &registry, &register, &[], GAS).await?;
    client.execute(&member, &registry, &ExecuteMsg::Create { did: None, document: None }, &[], GAS).await?;
    let did = format!("did:resource:{chain_id}:{}", member.address());

    // Issue, prove, submit.
    let now = block_time(&client).await?;
    let request = CredentialRequest {
        kind: "rating".into(),
        subject: did.clone(),
        values: vec![47, 312],
        issued_at: now - DAY,
        expires_at: now + 365 * DAY,
    };
    let mut rng = ChaCha20Rng::from_seed([32; 32]);
    let credential = Credential::issue(&request, ORACLE, &signer, &mut rng)?;
    let rating = keys.iter().find(|k| k.kind == ClaimKind::Rating).expect("the rating keys");
    let valid_until = now + 90 * DAY;
    let proof_request = ProofRequest { credential: credential.clone(), thresholds: vec![45, 100], valid_until };
    let pk = rating.proving_key_bytes();
    let proof = prove_credential(&pk, &proof_request)?;
    verify(&rating.verifying, &proof)?;
    let out = client.execute(&member, &registry, &submit(&proof)?, &[], GAS).await?;
    assert_eq!(out.attribute("wasm", "did"), Some(did.as_str()));
    assert_eq!(out.attribute("wasm", "nullifier"), Some(credential.commitment.as_str()));
    println!("SubmitCredentialProof (rating, ed25519): {} gas", out.gas_used);

    // The registry holds the claim.
    let claims: VerifiedClaimsResponse = client
        .query_smart(&registry, &QueryMsg::VerifiedClaims { did: did.clone(), start_after: None, limit: None })
        .await?;
    assert_eq!(claims.claims.len(), 1);
    let c = &claims.claims[0];
    assert_eq!(
        (c.claim.claim_type.as_str(), c.claim.predicate.as_str()),
        ("platform_rating", "rating>=45;reviews>=100")
    );
    assert_eq!((c.claim.attester.as_str(), c.claim.expires_at), (ORACLE, valid_until));
    assert_eq!(c.claim.nullifier.to_string(), credential.commitment);
    // The registry verified it itself.
    assert_eq!(c.claim.verifier, registry);
    assert!(!c.expired && c.attester_active);
    let used: NullifierResponse = client
        .query_smart(&registry, &QueryMsg::Nullifier { nullifier: HexBinary::from_hex(&credential.commitment)? })
        .await?;
    assert_eq!(used.used_by.as_deref(), Some(did.as_str()));

    // The same credential again: refused, in the contract's words.
    let refusal = |r: Result<_, ClientError>| match r {
        Err(ClientError::ContractFailed { message, .. }) => Ok(message),
        Err(other) => anyhow::bail!("failed, but not in the contract: {other}"),
        Ok(_) => anyhow::bail!("accepted"),
    };
    let again = refusal(client.execute(&member, &registry, &submit(&proof)?, &[], GAS).await)?;
    assert!(again.contains(&format!("this credential's nullifier was already used by {did}")), "{again}");

    // A fresh credential whose proof is claimed at a higher threshold: the chain's pairing rejects
    // it, as both native verifiers do.
    let credential = Credential::issue(&request, ORACLE, &signer, &mut rng)?;
    let proof_request = ProofRequest { credential, thresholds: vec![45, 100], valid_until };
    let mut higher = prove_credential(&pk, &proof_request)?;
    higher.thresholds = vec![45, 300];
    assert!(matches!(verify(&rating.verifying, &higher), Err(ZkError::Rejected)));
    assert!(matches!(verify_prepared(&rating.verifying_key_bytes(), &higher), Err(ZkError::Rejected)));
    let rejected = refusal(client.execute(&member, &registry, &submit(&higher)?, &[], GAS).await)?;
    assert!(rejected.contains("the proof does not verify for this statement"), "{rejected}");
    // And the member can still submit that credential as proven.
    higher.thresholds = vec![45, 100];
    client.execute(&member, &registry, &submit(&higher)?, &[], GAS).await?;
    let claims: VerifiedClaimsResponse =
        client.query_smart(&registry, &QueryMsg::VerifiedClaims { did, start_after: None, limit: None }).await?;
    assert_eq!(claims.claims.len(), 2);
    Ok(())
}
