//! The credential circuits end to end, natively: completeness for every kind, the prover's
//! refusals, and proofs that must not verify. Constraint counts are printed here.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::samples::samples as cases;
use resource_zk::setup::{devnet_keys, read_proving_key, setup, CircuitKeys};
use resource_zk::{
    constraint_count, prove, verify, verify_prepared, ClaimKind, CredentialProof, ProofRequest, ZkError,
};
use std::sync::OnceLock;

const DID: &str = "did:resource:resource-1:inj1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq00";
const ATTESTER: &str = "did:web:ratings.example";
const T0: u64 = 1_767_225_600; // 2026-01-01

fn keys(kind: ClaimKind) -> &'static CircuitKeys {
    static KEYS: OnceLock<Vec<CircuitKeys>> = OnceLock::new();
    let all = KEYS.get_or_init(|| ClaimKind::ALL.iter().map(|k| devnet_keys(*k)).collect());
    all.iter().find(|k| k.kind == kind).expect("every kind")
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([7; 32])
}

fn issue(kind: ClaimKind, values: &[u64], scheme: SignatureScheme) -> (Credential, AttesterSigner) {
    let signer = AttesterSigner::generate(scheme, &mut rng());
    let request = CredentialRequest {
        kind: kind.name().into(),
        subject: DID.into(),
        values: values.to_vec(),
        issued_at: T0,
        expires_at: T0 + 365 * 86_400,
    };
    (Credential::issue(&request, ATTESTER, &signer, &mut rng()).expect("issued"), signer)
}

fn prove_for(
    kind: ClaimKind,
    credential: &Credential,
    thresholds: &[u64],
    valid_until: u64,
) -> Result<CredentialProof, ZkError> {
    let request = ProofRequest { credential: credential.clone(), thresholds: thresholds.to_vec(), valid_until };
    prove(kind, &keys(kind).proving, &request, &mut rng())
}

#[test]
fn constraint_counts_stay_within_the_target() {
    for kind in ClaimKind::ALL {
        let n = constraint_count(kind);
        println!("constraints {kind}: {n}");
        assert!(n <= 1_500, "{kind}: {n} constraints, the target is at most 1,500");
    }
}

#[test]
fn every_kind_proves_and_both_verifiers_agree() {
    for (kind, values, thresholds) in cases() {
        let (credential, signer) = issue(kind, &values, SignatureScheme::Ed25519);
        credential.verify_signature(&signer.public_key()).expect("the attester's signature");
        // At the thresholds exactly, and with the credential's own expiry as valid_until.
        for t in [thresholds.clone(), values.clone()] {
            let proof = prove_for(kind, &credential, &t, credential.expires_at).expect("proved");
            assert_eq!(proof.proof_bytes().unwrap().len(), 192);
            verify(&keys(kind).verifying, &proof).expect("arkworks verifies");
            verify_prepared(&keys(kind).verifying_key_bytes(), &proof).expect("the contract's path verifies");
        }
    }
}

#[test]
fn setup_is_reproducible_and_seeds_differ() {
    let a = setup(ClaimKind::Tenure, "seed a").unwrap();
    let b = setup(ClaimKind::Tenure, "seed a").unwrap();
    let c = setup(ClaimKind::Tenure, "seed b").unwrap();
    assert_eq!(a.verifying_key_bytes(), b.verifying_key_bytes());
    assert_ne!(a.verifying_key_bytes(), c.verifying_key_bytes());
    let (kind, pk) = read_proving_key(&a.proving_key_bytes()).unwrap();
    assert_eq!(kind, ClaimKind::Tenure);
    assert_eq!(pk.vk, a.verifying);
}

#[test]
fn the_prover_refuses_statements_without_a_proof() {
    let (credential, _) = issue(ClaimKind::Rating, &[46, 120], SignatureScheme::Secp256k1);
    assert!(matches!(
        prove_for(ClaimKind::Rating, &credential, &[47, 100], T0),
        Err(ZkError::BelowThreshold { name: "rating", threshold: 47 })
    ));
    assert!(matches!(
        prove_for(ClaimKind::Rating, &credential, &[45, 121], T0),
        Err(ZkError::BelowThreshold { name: "reviews", .. })
    ));
    assert!(matches!(
        prove_for(ClaimKind::Rating, &credential, &[45, 100], credential.expires_at + 1),
        Err(ZkError::Expired { .. })
    ));
    let mut tampered = credential.clone();
    tampered.values[0] = 50;
    assert!(matches!(prove_for(ClaimKind::Rating, &tampered, &[45, 100], T0), Err(ZkError::Tampered)));
    let mut other_did = credential.clone();
    other_did.subject = "did:resource:resource-1:someone-else".into();
    assert!(matches!(prove_for(ClaimKind::Rating, &other_did, &[45, 100], T0), Err(ZkError::Tampered)));
    assert!(matches!(prove_for(ClaimKind::Revenue, &credential, &[1], T0), Err(ZkError::WrongKey { .. })));
    assert!(matches!(
        prove_for(ClaimKind::Rating, &credential, &[45], T0),
        Err(ZkError::Statement(resource_zk_verifier::StatementError::Count { .. }))
    ));
}

#[test]
fn a_proof_does_not_verify_for_any_other_statement() {
    let (credential, _) = issue(ClaimKind::Rating, &[46, 120], SignatureScheme::Ed25519);
    let proof = prove_for(ClaimKind::Rating, &credential, &[45, 100], T0 + 86_400).unwrap();
    let vk = keys(ClaimKind::Rating).verifying_key_bytes();
    let rejected = |p: &CredentialProof| {
        let r = verify_prepared(&vk, p);
        assert!(matches!(r, Err(ZkError::Rejected)), "{r:?} for {p:?}");
        assert!(matches!(verify(&keys(ClaimKind::Rating).verifying, p), Err(ZkError::Rejected)));
    };
    let mut p = proof.clone();
    p.thresholds = vec![46, 100];
    rejected(&p);
    let mut p = proof.clone();
    p.thresholds = vec![45, 10];
    rejected(&p);
    let mut p = proof.clone();
    p.valid_until += 1;
    rejected(&p);
    let mut p = proof.clone();
    p.did = "did:resource:resource-1:someone-else".into();
    rejected(&p);
    let (other, _) = issue(ClaimKind::Rating, &[47, 120], SignatureScheme::Ed25519);
    assert_ne!(other.commitment, proof.commitment);
    let mut p = proof.clone();
    p.commitment = other.commitment.clone();
    rejected(&p);
    // The same proof as another kind: another key, another statement.
    let mut p = proof.clone();
    p.kind = "tenure".into();
    p.thresholds = vec![45];
    assert!(matches!(verify_prepared(&keys(ClaimKind::Tenure).verifying_key_bytes(), &p), Err(ZkError::Rejected)));
    // The rating proof against the revenue key.
    assert!(matches!(verify_prepared(&keys(ClaimKind::Revenue).verifying_key_bytes(), &proof), Err(ZkError::Rejected)));
}

#[test]
fn malformed_proofs_and_keys_are_errors_not_panics() {
    let (credential, _) = issue(ClaimKind::Tenure, &[30], SignatureScheme::Ed25519);
    let proof = prove_for(ClaimKind::Tenure, &credential, &[24], T0).unwrap();
    let vk = keys(ClaimKind::Tenure).verifying_key_bytes();
    let bytes = proof.proof_bytes().unwrap();
    for i in [0, 10, 47, 48, 100, 143, 144, 191] {
        for flip in [0x01u8, 0x80, 0x40, 0x20] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            let mut p = proof.clone();
            p.proof = hex::encode(&b);
            assert!(verify_prepared(&vk, &p).is_err(), "byte {i} ^ {flip:#x} verified");
        }
    }
    for len in [0, 191, 193] {
        let mut p = proof.clone();
        p.proof = hex::encode(vec![0u8; len]);
        assert!(matches!(verify_prepared(&vk, &p), Err(ZkError::Encoding(_))));
    }
    for cut in [0, 1, 47, 100, vk.len() - 1] {
        assert!(verify_prepared(&vk[..cut], &proof).is_err());
    }
    let mut longer = vk.clone();
    longer.push(0);
    assert!(verify_prepared(&longer, &proof).is_err());
    let mut bad = vk.clone();
    bad[5] ^= 0x10;
    assert!(verify_prepared(&bad, &proof).is_err());
    assert!(read_proving_key(b"not a key").is_err());
    let pk = keys(ClaimKind::Tenure).proving_key_bytes();
    assert!(read_proving_key(&pk[..pk.len() / 2]).is_err());
}

#[test]
fn signatures_bind_the_commitment() {
    for scheme in [SignatureScheme::Ed25519, SignatureScheme::Secp256k1] {
        let (credential, signer) = issue(ClaimKind::Tenure, &[30], scheme);
        let (other, _) = issue(ClaimKind::Tenure, &[31], scheme);
        credential.verify_signature(&signer.public_key()).unwrap();
        let mut swapped = credential.clone();
        swapped.signature = other.signature.clone();
        assert!(matches!(swapped.verify_signature(&signer.public_key()), Err(ZkError::BadSignature)));
        let restored = AttesterSigner::from_json(&signer.to_json()).unwrap();
        assert_eq!(restored.public_key(), signer.public_key());
        let json = Credential::from_json(&credential.to_json()).unwrap();
        assert_eq!(json, credential);
    }
}
