//! Credential proofs with the real DID registry and underwriting contracts: an attester registered
//! in the registry issues signed credentials (resource_zk), members prove them with the devnet keys
//! and submit to the registry, which checks the signature and the Groth16 proof with
//! cosmwasm-crypto's real host functions and records the claim. Then every soundness attempt of the
//! issue, each refused with its typed error and no state change in either contract;
//! native (arkworks) and contract verification agreeing on every proof; and the underwriting
//! contract's suggested limit reading a proven rating.

use std::sync::OnceLock;

use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw_multi_test::AppResponse;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_core::did::{Did, DocumentError, Nullifier, RecordError};
use resource_core::underwriting::{revenue_band_of, suggested_limit, PlatformRating, ScoringInputs, ScoringParams};
use resource_did_registry::ContractError;
use resource_msgs::did_registry::{
    self, ExecuteMsg, QueryMsg, VerifiedClaimsResponse, VerifyingKeyResponse, VerifyingKeysResponse,
};
use resource_msgs::underwriting::{ApplicationStatus, ExecuteMsg as UwMsg};
use resource_testing::multi;
use resource_tests::prove_credential;
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::samples::samples as cases;
use resource_zk::setup::{devnet_keys, CircuitKeys};
use resource_zk::{verify, verify_prepared, ClaimKind, CredentialProof, ProofRequest, ZkError};

use crate::underwriting::{Net, TERM};

const DAY: u64 = 86_400;
/// Ed25519, allowed every claim type of the three kinds.
const ORACLE: &str = "did:web:ratings.example";
/// Secp256k1, allowed every claim type of the three kinds.
const LEDGER: &str = "did:web:accounting.example";
/// Allowed only `review_count`.
const REVIEWS: &str = "did:web:reviews.example";
/// Registered, then revoked.
const GONE: &str = "did:web:gone.example";
const ALL_TYPES: [&str; 3] = ["platform_rating", "monthly_revenue", "months_active"];

fn keys(kind: ClaimKind) -> &'static CircuitKeys {
    static KEYS: OnceLock<Vec<CircuitKeys>> = OnceLock::new();
    let all = KEYS.get_or_init(|| ClaimKind::ALL.iter().map(|k| devnet_keys(*k)).collect());
    all.iter().find(|k| k.kind == kind).expect("every kind")
}

/// The proving-key file of `kind`.
fn proving_key(kind: ClaimKind) -> &'static [u8] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let all = FILES.get_or_init(|| ClaimKind::ALL.iter().map(|k| keys(*k).proving_key_bytes()).collect());
    &all[ClaimKind::ALL.iter().position(|k| *k == kind).expect("every kind")]
}

/// A network with the registry, four attesters, the three devnet keys stored in the registry, and
/// alice, bob and dave with their account DIDs.
struct Zk {
    n: Net,
    registry: Addr,
    signers: Vec<(&'static str, AttesterSigner)>,
    seed: u8,
}

impl Zk {
    fn new() -> Zk {
        let n = Net::with_registry();
        let registry = n.registry.clone().expect("a registry");
        let mut zk = Zk { n, registry, signers: Vec::new(), seed: 0 };
        for (did, scheme, types) in [
            (ORACLE, SignatureScheme::Ed25519, &ALL_TYPES[..]),
            (LEDGER, SignatureScheme::Secp256k1, &ALL_TYPES[..]),
            (REVIEWS, SignatureScheme::Ed25519, &["review_count"][..]),
            (GONE, SignatureScheme::Secp256k1, &ALL_TYPES[..]),
        ] {
            let signer = AttesterSigner::generate(scheme, &mut zk.rng());
            zk.registry_exec(
                "admin",
                &ExecuteMsg::RegisterAttester {
                    did: did.into(),
                    name: "Attester".into(),
                    claim_types: types.iter().map(|t| t.to_string()).collect(),
                    public_key: signer.public_key(),
                },
            );
            zk.signers.push((did, signer));
        }
        for kind in ClaimKind::ALL {
            zk.exec("admin", &set_key(kind, keys(kind).verifying_key_bytes())).unwrap();
        }
        for who in ["alice", "bob", "dave"] {
            zk.registry_exec(who, &ExecuteMsg::Create { did: None, document: None });
        }
        zk
    }

    /// A fresh generator: every credential gets its own salt.
    fn rng(&mut self) -> ChaCha20Rng {
        self.seed += 1;
        ChaCha20Rng::from_seed([self.seed; 32])
    }

    fn now(&self) -> u64 {
        self.n.app.block_info().time.seconds()
    }

    fn did_of(&self, name: &str) -> String {
        self.n.did_of(name)
    }

    fn signer(&self, attester: &str) -> AttesterSigner {
        self.signers.iter().find(|(d, _)| *d == attester).expect("a known attester").1.clone()
    }

    /// `msg` to the registry, which must succeed.
    fn registry_exec(&mut self, sender: &str, msg: &ExecuteMsg) -> AppResponse {
        self.exec(sender, msg).unwrap_or_else(|e| panic!("{msg:?}: {e}"))
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.n.addr(sender);
        let registry = self.registry.clone();
        multi::execute::<_, ContractError>(&mut self.n.app, sender, &registry, msg)
    }

    /// The registry's storage and the underwriting contract's.
    fn state(&self) -> Vec<multi::ContractState> {
        [&self.registry, &self.n.uw].iter().map(|c| multi::contract_state(&self.n.app, c)).collect()
    }

    /// `msg` from `sender` is refused with `expected`, and no contract's state changed.
    fn refused(&mut self, sender: &str, msg: &ExecuteMsg, expected: ContractError) {
        assert_eq!(self.refusal(sender, msg), expected, "{msg:?}");
    }

    /// The registry's refusal of `msg`, after checking that nothing changed.
    fn refusal(&mut self, sender: &str, msg: &ExecuteMsg) -> ContractError {
        let before = self.state();
        let err = match self.exec(sender, msg) {
            Ok(r) => panic!("expected a refusal, got {r:?}"),
            Err(e) => e,
        };
        assert_eq!(self.state(), before, "a refused submission changed a contract's state: {err}");
        err
    }

    /// A credential of `kind` for `subject` with `values`, issued and signed by `attester`, valid for
    /// 400 days from yesterday.
    fn issue(&mut self, attester: &str, kind: ClaimKind, subject: &str, values: &[u64]) -> Credential {
        let now = self.now();
        let request = CredentialRequest {
            kind: kind.name().into(),
            subject: subject.into(),
            values: values.to_vec(),
            issued_at: now - DAY,
            expires_at: now + 400 * DAY,
        };
        let signer = self.signer(attester);
        Credential::issue(&request, attester, &signer, &mut self.rng()).unwrap()
    }

    fn prove(
        &mut self,
        kind: ClaimKind,
        credential: &Credential,
        thresholds: &[u64],
        valid_until: u64,
    ) -> Result<CredentialProof, ZkError> {
        let request = ProofRequest { credential: credential.clone(), thresholds: thresholds.to_vec(), valid_until };
        prove_credential(proving_key(kind), &request)
    }

    fn claims(&self, did: &str) -> VerifiedClaimsResponse {
        let q = did_registry::QueryMsg::VerifiedClaims { did: did.into(), start_after: None, limit: None };
        self.n.app.wrap().query_wasm_smart(&self.registry, &q).unwrap()
    }
}

fn set_key(kind: ClaimKind, key: Vec<u8>) -> ExecuteMsg {
    ExecuteMsg::SetVerifyingKey { kind, key: key.into() }
}

fn hex(text: &str) -> HexBinary {
    HexBinary::from_hex(text).unwrap()
}

/// The submission of `p` for `did` (the sender's own DID when `None`).
fn submit(p: &CredentialProof, did: Option<String>) -> ExecuteMsg {
    p.submit_msg(did).unwrap()
}

/// `p`, its public statement changed (what the submitter claims), as the verifiers see it.
fn altered(p: &CredentialProof, change: impl FnOnce(&mut CredentialProof)) -> CredentialProof {
    let mut q = p.clone();
    change(&mut q);
    q
}

#[test]
fn every_kind_is_proven_verified_and_recorded_on_the_did() {
    let mut zk = Zk::new();
    let alice = zk.did_of("alice");
    let expected = ["rating>=45;reviews>=100", "revenue>=10000", "months>=24"];
    for (i, ((kind, values, thresholds), predicate)) in cases().into_iter().zip(expected).enumerate() {
        // Ed25519 and secp256k1 attesters both.
        let attester = if i == 1 { LEDGER } else { ORACLE };
        let credential = zk.issue(attester, kind, &alice, &values);
        let valid_until = zk.now() + 90 * DAY;
        let p = zk.prove(kind, &credential, &thresholds, valid_until).unwrap();
        let r = zk.exec("alice", &submit(&p, None)).unwrap();
        assert_eq!(multi::wasm_attr(&r, "claim"), kind.name());
        assert_eq!(multi::wasm_attr(&r, "nullifier"), credential.commitment);
        let claims = zk.claims(&alice);
        assert_eq!(claims.claims.len(), i + 1);
        let view = claims.claims.last().unwrap();
        assert_eq!(view.seq, i as u64 + 1);
        assert!(!view.expired && view.attester_active);
        let c = &view.claim;
        assert_eq!(c.claim_type, kind.claim_type());
        assert_eq!(c.predicate, predicate);
        assert_eq!(c.attester, Did::parse(attester).unwrap());
        assert_eq!(c.nullifier, Nullifier::from_hex(&credential.commitment).unwrap());
        assert_eq!(c.expires_at, valid_until);
        assert_eq!(c.verified_at, zk.now());
        // The registry verified it itself.
        assert_eq!(c.verifier, zk.registry.to_string());
        // The registry knows the nullifier as alice's.
        let used: did_registry::NullifierResponse =
            zk.n.app
                .wrap()
                .query_wasm_smart(&zk.registry, &did_registry::QueryMsg::Nullifier { nullifier: hex(&p.commitment) })
                .unwrap();
        assert_eq!(used.used_by, Some(alice.clone()));
    }
    // The claim stops counting at valid_until.
    multi::advance(&mut zk.n.app, 90 * DAY);
    assert!(zk.claims(&alice).claims.iter().all(|c| c.expired));
}

#[test]
fn the_keys_are_the_admins() {
    let mut zk = Zk::new();
    let all: VerifyingKeysResponse =
        zk.n.app.wrap().query_wasm_smart(&zk.registry, &QueryMsg::VerifyingKeys {}).unwrap();
    assert_eq!(all.keys.len(), 3);
    for k in &all.keys {
        let file = keys(k.kind).verifying_key_bytes();
        assert_eq!(k.checksum.as_slice(), resource_zk::verifier::groth16::key_checksum(&file));
    }
    zk.refused(
        "alice",
        &set_key(ClaimKind::Rating, keys(ClaimKind::Rating).verifying_key_bytes()),
        ContractError::Unauthorized { role: "the admin" },
    );
    // Malformed key bytes: truncated, a flipped bit, a byte too many.
    let file = keys(ClaimKind::Tenure).verifying_key_bytes();
    let mut flipped = file.clone();
    flipped[10] ^= 0x08;
    let mut longer = file.clone();
    longer.push(7);
    for bad in [file[..file.len() / 2].to_vec(), flipped, longer, vec![]] {
        match zk.refusal("admin", &set_key(ClaimKind::Tenure, bad)) {
            ContractError::InvalidVerifyingKey { kind: ClaimKind::Tenure, .. } => {}
            other => panic!("{other:?}"),
        }
    }
    let k: VerifyingKeyResponse =
        zk.n.app.wrap().query_wasm_smart(&zk.registry, &QueryMsg::VerifyingKey { kind: ClaimKind::Tenure }).unwrap();
    assert_eq!(k.checksum.as_slice(), resource_zk::verifier::groth16::key_checksum(&file));
}

#[test]
fn soundness_attempts_fail_with_typed_errors_and_change_nothing() {
    let mut zk = Zk::new();
    let (alice, bob) = (zk.did_of("alice"), zk.did_of("bob"));
    let soon = zk.now() + 30 * DAY;
    let rating = ClaimKind::Rating;

    // An attester the registry does not know: a key of its own, a DID nobody registered.
    let stranger = AttesterSigner::generate(SignatureScheme::Ed25519, &mut zk.rng());
    zk.signers.push(("did:web:stranger.example", stranger));
    let c = zk.issue("did:web:stranger.example", rating, &alice, &[46, 120]);
    let p = zk.prove(rating, &c, &[45, 100], soon).unwrap();
    zk.refused(
        "alice",
        &submit(&p, None),
        ContractError::Record(RecordError::UnknownAttester { did: "did:web:stranger.example".into() }),
    );

    // A revoked attester: its credential was issued before the revocation.
    let c = zk.issue(GONE, rating, &alice, &[46, 120]);
    let p = zk.prove(rating, &c, &[45, 100], soon).unwrap();
    multi::next_block(&mut zk.n.app, 5);
    zk.registry_exec("admin", &ExecuteMsg::RevokeAttester { did: GONE.into() });
    let revoked_at = zk.now();
    zk.refused(
        "alice",
        &submit(&p, None),
        ContractError::Record(RecordError::AttesterRevoked { did: GONE.into(), revoked_at }),
    );

    // An attester not allowed the claim type.
    let c = zk.issue(REVIEWS, rating, &alice, &[46, 120]);
    let p = zk.prove(rating, &c, &[45, 100], soon).unwrap();
    zk.refused(
        "alice",
        &submit(&p, None),
        ContractError::Record(RecordError::ClaimTypeNotAllowed {
            attester: REVIEWS.into(),
            claim_type: "platform_rating".into(),
        }),
    );

    // The genuine credential of this test, and a second one of alice's.
    let good = zk.issue(ORACLE, rating, &alice, &[46, 120]);
    let other = zk.issue(ORACLE, rating, &alice, &[46, 120]);
    let gp = zk.prove(rating, &good, &[45, 100], soon).unwrap();

    // A signature over another C.
    let swapped = altered(&gp, |p| p.signature = other.signature.clone());
    zk.refused("alice", &submit(&swapped, None), ContractError::BadSignature { attester: ORACLE.into() });
    // Another attester's key over the same C.
    let by_ledger = altered(&gp, |p| p.attester = LEDGER.into());
    zk.refused("alice", &submit(&by_ledger, None), ContractError::BadSignature { attester: LEDGER.into() });

    // A tampered value: the prover refuses a credential altered after signing; a commitment the
    // member makes itself for the better values (signed by nobody the registry knows) gives a proof
    // of another statement, submitted with the attester's C and signature: rejected.
    let mut tampered = good.clone();
    tampered.values = vec![50, 900];
    assert!(matches!(zk.prove(rating, &tampered, &[50, 900], soon), Err(ZkError::Tampered)));
    let forger = AttesterSigner::generate(SignatureScheme::Ed25519, &mut zk.rng());
    zk.signers.push(("did:web:forger.example", forger));
    let forged = zk.issue("did:web:forger.example", rating, &alice, &[50, 900]);
    let fp = zk.prove(rating, &forged, &[50, 900], soon).unwrap();
    let passed_off = altered(&fp, |p| {
        p.commitment = good.commitment.clone();
        p.signature = good.signature.clone();
        p.attester = ORACLE.into();
    });
    zk.refused("alice", &submit(&passed_off, None), ContractError::ProofRejected);

    // Below the threshold: no proof exists; a proof at a lower threshold claimed at a higher one.
    let low = zk.issue(ORACLE, rating, &alice, &[44, 120]);
    assert!(matches!(
        zk.prove(rating, &low, &[45, 100], soon),
        Err(ZkError::BelowThreshold { name: "rating", threshold: 45 })
    ));
    let lp = zk.prove(rating, &low, &[40, 100], soon).unwrap();
    zk.refused("alice", &submit(&altered(&lp, |p| p.thresholds = vec![45, 100]), None), ContractError::ProofRejected);

    // Expired: valid_until has passed by the time the proof arrives.
    let short = zk.issue(ORACLE, rating, &alice, &[46, 120]);
    let sp = zk.prove(rating, &short, &[45, 100], zk.now() + 10).unwrap();
    multi::advance(&mut zk.n.app, 20);
    zk.refused(
        "alice",
        &submit(&sp, None),
        ContractError::Record(RecordError::Expired { expires_at: sp.valid_until, now: zk.now() }),
    );
    // valid_until beyond the credential's expiry: the prover refuses; a forged valid_until is rejected.
    let late = short.expires_at + 1;
    assert!(matches!(zk.prove(rating, &short, &[45, 100], late), Err(ZkError::Expired { .. })));
    let ep = zk.prove(rating, &short, &[45, 100], short.expires_at - 40 * DAY).unwrap();
    let stretched = altered(&ep, |p| p.valid_until = short.expires_at - 39 * DAY);
    zk.refused("alice", &submit(&stretched, None), ContractError::ProofRejected);
    // Beyond max_credential_validity (a year): refused before the proof.
    let far = altered(&ep, |p| p.valid_until = zk.now() + 366 * DAY);
    assert!(matches!(zk.refusal("alice", &submit(&far, None)), ContractError::ValidUntilTooFar { .. }));

    // Another member's DID: bob submits alice's proof for himself (rejected: the DID is inside the
    // statement), or for alice's DID (he does not control it).
    zk.refused("bob", &submit(&gp, None), ContractError::ProofRejected);
    zk.refused(
        "bob",
        &submit(&gp, Some(alice.clone())),
        ContractError::NotController { did: alice.clone(), sender: zk.n.addr("bob").to_string() },
    );
    // An attester who knows the opening proves it, but cannot submit it without alice.
    zk.refused(
        "carol",
        &submit(&gp, Some(alice.clone())),
        ContractError::NotController { did: alice.clone(), sender: zk.n.addr("carol").to_string() },
    );

    // A proof for one kind submitted as another: the tenure key, the rating proof.
    let as_tenure = altered(&gp, |p| {
        p.kind = "tenure".into();
        p.thresholds = vec![45];
    });
    zk.refused("alice", &submit(&as_tenure, None), ContractError::ProofRejected);

    // A statement that does not match: another valid_until, other thresholds.
    zk.refused("alice", &submit(&altered(&gp, |p| p.valid_until += 1), None), ContractError::ProofRejected);
    zk.refused("alice", &submit(&altered(&gp, |p| p.thresholds = vec![45, 99]), None), ContractError::ProofRejected);

    // Malformed proof bytes: the wrong length, flipped bits; never a panic.
    for len in [0, 96, 191, 193, 384] {
        let bytes = HexBinary::from(vec![0u8; len]).to_hex();
        match zk.refusal("alice", &submit(&altered(&gp, |p| p.proof = bytes), None)) {
            ContractError::MalformedProof { reason } => assert!(reason.contains("192 bytes"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    let bytes = hex(&gp.proof).to_vec();
    for i in [0, 1, 47, 48, 95, 143, 144, 191] {
        let mut b = bytes.clone();
        b[i] ^= 0x04;
        let flipped = altered(&gp, |p| p.proof = HexBinary::from(b).to_hex());
        let e = zk.refusal("alice", &submit(&flipped, None));
        assert!(matches!(e, ContractError::MalformedProof { .. } | ContractError::ProofRejected), "byte {i}: {e:?}");
    }

    // An unknown kind: no key stored for it.
    zk.exec("admin", &ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Tenure }).unwrap();
    let t = zk.issue(ORACLE, ClaimKind::Tenure, &alice, &[30]);
    let tp = zk.prove(ClaimKind::Tenure, &t, &[24], soon).unwrap();
    zk.refused("alice", &submit(&tp, None), ContractError::NoVerifyingKey { kind: ClaimKind::Tenure });

    // The genuine submission goes through once; a second one is refused, for any DID.
    zk.exec("alice", &submit(&gp, None)).unwrap();
    zk.refused("alice", &submit(&gp, None), ContractError::Record(RecordError::NullifierUsed { by: alice.clone() }));
    // A DID of alice's own (a suffixed DID she controls): the same credential, refused as used.
    let shop = format!("{alice}:shop");
    zk.registry_exec("alice", &ExecuteMsg::Create { did: Some(shop.clone()), document: None });
    zk.refused(
        "alice",
        &submit(&gp, Some(shop)),
        ContractError::Record(RecordError::NullifierUsed { by: alice.clone() }),
    );
    // And bob, whatever DID he names.
    zk.refused("bob", &submit(&gp, None), ContractError::Record(RecordError::NullifierUsed { by: alice.clone() }));
    assert!(zk.claims(&bob).claims.is_empty());
    assert_eq!(zk.claims(&alice).claims.len(), 1, "only the genuine submission was recorded");
}

#[test]
fn a_did_must_exist_and_a_controller_may_submit() {
    let mut zk = Zk::new();
    let soon = zk.now() + 30 * DAY;
    // Erin has no DID in the registry: nothing can be recorded on it.
    let erin = zk.did_of("erin");
    let c = zk.issue(ORACLE, ClaimKind::Tenure, &erin, &[30]);
    let p = zk.prove(ClaimKind::Tenure, &c, &[24], soon).unwrap();
    zk.refused("erin", &submit(&p, None), ContractError::DidNotFound { did: erin.clone() });
    // Once she has her DID, the same submission is recorded.
    zk.registry_exec("erin", &ExecuteMsg::Create { did: None, document: None });
    zk.exec("erin", &submit(&p, None)).unwrap();
    assert_eq!(zk.claims(&erin).claims.len(), 1);

    // A DID whose controller is another account: that account may submit for it.
    zk.n.controlled_by("frank", "boss");
    let frank = zk.did_of("frank");
    let c = zk.issue(ORACLE, ClaimKind::Rating, &frank, &[48, 300]);
    let p = zk.prove(ClaimKind::Rating, &c, &[45, 100], soon).unwrap();
    let r = zk.exec("boss", &submit(&p, Some(frank.clone()))).unwrap();
    assert_eq!(multi::wasm_attr(&r, "did"), frank);
    assert_eq!(zk.claims(&frank).claims[0].claim.predicate, "rating>=45;reviews>=100");
    // A deactivated DID takes no claims.
    let c = zk.issue(ORACLE, ClaimKind::Tenure, &frank, &[30]);
    let p = zk.prove(ClaimKind::Tenure, &c, &[24], soon).unwrap();
    zk.registry_exec("boss", &ExecuteMsg::Deactivate { did: frank.clone() });
    zk.refused(
        "boss",
        &submit(&p, Some(frank.clone())),
        ContractError::Document(DocumentError::Deactivated { did: frank.clone() }),
    );
    // An attester revoked after recording: the claim stays, flagged.
    zk.registry_exec("admin", &ExecuteMsg::RevokeAttester { did: ORACLE.into() });
    assert!(!zk.claims(&frank).claims[0].attester_active);
}

/// A proof's verdict: accepted, rejected (a valid proof of another statement), malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Rejected,
    Malformed,
}

fn native(r: Result<(), ZkError>) -> Verdict {
    match r {
        Ok(()) => Verdict::Accepted,
        Err(ZkError::Rejected) => Verdict::Rejected,
        Err(ZkError::Encoding(_)) => Verdict::Malformed,
        Err(other) => panic!("not a verdict: {other:?}"),
    }
}

#[test]
fn native_and_contract_verification_agree_on_every_proof() {
    let mut zk = Zk::new();
    let soon = zk.now() + 30 * DAY;
    let (alice, bob) = (zk.did_of("alice"), zk.did_of("bob"));
    // (who submits, the proof as submitted, the DID submitted for); every case passes the checks
    // before the proof (signature over its C, fresh nullifier), so the proof decides.
    let mut proofs: Vec<(&str, CredentialProof, Option<String>)> = Vec::new();
    for (kind, values, thresholds) in cases() {
        for attester in [ORACLE, LEDGER] {
            let c = zk.issue(attester, kind, &alice, &values);
            proofs.push(("alice", zk.prove(kind, &c, &thresholds, soon).unwrap(), None));
            // At exactly the values, another valid_until.
            let c = zk.issue(attester, kind, &alice, &values);
            proofs.push(("alice", zk.prove(kind, &c, &values, soon + DAY).unwrap(), None));
        }
    }
    let rating = ClaimKind::Rating;
    let fresh = |zk: &mut Zk| {
        let c = zk.issue(ORACLE, rating, &alice, &[46, 120]);
        let p = zk.prove(rating, &c, &[45, 100], soon).unwrap();
        (c, p)
    };
    let (_, p) = fresh(&mut zk);
    proofs.push(("alice", altered(&p, |p| p.thresholds = vec![46, 100]), None));
    let (_, p) = fresh(&mut zk);
    proofs.push(("alice", altered(&p, |p| p.thresholds = vec![45, 101]), None));
    let (_, p) = fresh(&mut zk);
    proofs.push(("alice", altered(&p, |p| p.valid_until -= 1), None));
    // Bob claims alice's proof for his DID.
    let (_, p) = fresh(&mut zk);
    proofs.push(("bob", altered(&p, |p| p.did = bob.clone()), None));
    // Another credential's C (and its genuine signature) under this proof.
    let (_, p) = fresh(&mut zk);
    let (other, _) = fresh(&mut zk);
    proofs.push((
        "alice",
        altered(&p, |p| {
            p.commitment = other.commitment.clone();
            p.signature = other.signature.clone();
        }),
        None,
    ));
    // The rating proof as a tenure proof, and as a revenue proof.
    let (_, p) = fresh(&mut zk);
    proofs.push((
        "alice",
        altered(&p, |p| {
            p.kind = "tenure".into();
            p.thresholds = vec![45];
        }),
        None,
    ));
    let (_, p) = fresh(&mut zk);
    proofs.push((
        "alice",
        altered(&p, |p| {
            p.kind = "revenue".into();
            p.thresholds = vec![45];
        }),
        None,
    ));
    // Flipped bits in each point, and a proof of all zeros.
    for (i, flip) in [(0, 0x01u8), (3, 0x80), (20, 0x10), (47, 0x01), (60, 0x02), (143, 0x01), (150, 0x40), (191, 0x01)]
    {
        let (_, p) = fresh(&mut zk);
        let mut b = hex(&p.proof).to_vec();
        b[i] ^= flip;
        proofs.push(("alice", altered(&p, |p| p.proof = HexBinary::from(b).to_hex()), None));
    }
    let (_, p) = fresh(&mut zk);
    proofs.push(("alice", altered(&p, |p| p.proof = HexBinary::from(vec![0u8; 192]).to_hex()), None));
    // Another proof's A, B, C mixed: valid points, a wrong proof.
    let (_, p) = fresh(&mut zk);
    let (_, q) = fresh(&mut zk);
    let mut mixed = hex(&p.proof).to_vec();
    mixed[..48].copy_from_slice(&hex(&q.proof).as_slice()[..48]);
    proofs.push(("alice", altered(&p, |p| p.proof = HexBinary::from(mixed).to_hex()), None));

    let mut seen = std::collections::BTreeMap::new();
    for (i, (sender, p, did)) in proofs.iter().enumerate() {
        let kind = ClaimKind::from_name(&p.kind).unwrap();
        let arkworks = native(verify(&keys(kind).verifying, p));
        let prepared = native(verify_prepared(&keys(kind).verifying_key_bytes(), p));
        let contract = match zk.exec(sender, &submit(p, did.clone())) {
            Ok(_) => Verdict::Accepted,
            Err(ContractError::ProofRejected) => Verdict::Rejected,
            Err(ContractError::MalformedProof { .. }) => Verdict::Malformed,
            Err(other) => panic!("case {i}: refused before the proof: {other}"),
        };
        assert_eq!((arkworks, prepared), (contract, contract), "case {i}: {p:?}");
        *seen.entry(format!("{contract:?}")).or_insert(0) += 1;
    }
    // Every verdict occurred.
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen["Accepted"], 12);
}

#[test]
fn the_underwriting_contract_scores_the_proven_claims() {
    let mut zk = Zk::new();
    let alice = zk.did_of("alice");
    let soon = zk.now() + 60 * DAY;
    let mut seqs = Vec::new();
    for (kind, values, thresholds) in cases() {
        let c = zk.issue(ORACLE, kind, &alice, &values);
        let p = zk.prove(kind, &c, &thresholds, soon).unwrap();
        zk.exec("alice", &submit(&p, None)).unwrap();
        seqs.push(zk.claims(&alice).claims.last().unwrap().seq);
    }
    // Bob applies with nothing proven, alice with her rating alone, then again with all three: the
    // suggestions differ by exactly the proven claims.
    let apply = |claims: Vec<u64>| UwMsg::Apply { amount: Uint128::new(1_000), term: TERM, claims, vouchers: vec![] };
    let r = zk.n.uw_exec("bob", &apply(vec![]));
    let bob_app = zk.n.application(multi::wasm_attr(&r, "application").parse().unwrap());
    let r = zk.n.uw_exec("alice", &apply(vec![seqs[0]]));
    let alice_app = zk.n.application(multi::wasm_attr(&r, "application").parse().unwrap());
    assert_eq!(alice_app.status, ApplicationStatus::Open);

    let params = ScoringParams::with_unit(1_000_000);
    let rating = PlatformRating { stars_x10: 45, reviews: 100 };
    let expect = |inputs: ScoringInputs| suggested_limit(&inputs, &params);
    let none = expect(ScoringInputs::default());
    let with_rating = expect(ScoringInputs { rating: Some(rating), ..Default::default() });
    assert_eq!(bob_app.suggestion.limit.u128(), none.limit);
    assert_eq!(alice_app.suggestion.limit.u128(), with_rating.limit);
    assert_eq!(alice_app.suggestion.reasons, with_rating.reasons);
    assert!(with_rating.limit > none.limit, "the rating raises the suggestion");

    // All three claims (alice withdraws her application first).
    zk.n.uw_exec("alice", &UwMsg::Reject { application: alice_app.id });
    let r = zk.n.uw_exec("alice", &apply(seqs.clone()));
    let all_app = zk.n.application(multi::wasm_attr(&r, "application").parse().unwrap());
    let all = expect(ScoringInputs {
        rating: Some(rating),
        revenue_band: Some(revenue_band_of(10_000)),
        months_active: Some(24),
        ..Default::default()
    });
    assert_eq!(all_app.suggestion.limit.u128(), all.limit);
    assert_eq!(all_app.suggestion.reasons, all.reasons);
    assert!(all.limit > with_rating.limit);

    // After valid_until the claims no longer count: applying with them is refused.
    zk.n.uw_exec("alice", &UwMsg::Reject { application: all_app.id });
    multi::advance(&mut zk.n.app, 60 * DAY);
    zk.n.uw_refused(
        "alice",
        &apply(vec![seqs[0]]),
        resource_underwriting::ContractError::ClaimExpired { seq: seqs[0], expires_at: soon },
    );
}
