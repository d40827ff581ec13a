//! Credential proofs on mock dependencies with real proofs: the devnet keys of `resource_zk`,
//! credentials issued and signed (ed25519 and secp256k1) and proven by `resource_zk`, checked by the
//! mock API's real host functions (cosmwasm-crypto's pairing, ed25519 and secp256k1). The DIDs,
//! attesters and nullifiers are the registry's own. Every refusal is a typed error that changes no
//! storage.

use std::sync::OnceLock;

use cosmwasm_std::testing::mock_env;
use cosmwasm_std::HexBinary;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_core::did::{
    encode_multibase_key, AttesterKey, DocumentError, DocumentUpdate, KeyCodec, KeyType, PatchOp, RecordError,
};
use resource_msgs::did_registry::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, QueryMsg, VerifiedClaimsResponse, VerifyingKeyResponse,
    VerifyingKeysResponse, DEFAULT_MAX_CREDENTIAL_VALIDITY,
};
use resource_testing::{addr, address as a, attr, Harness};
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::samples::samples as cases;
use resource_zk::setup::{devnet_keys, CircuitKeys};
use resource_zk::{prove, ClaimKind, CredentialProof, ProofRequest};
use resource_zk_verifier::StatementError;

use crate::contract::{execute, instantiate, query};
use crate::error::ContractError;

const DAY: u64 = 86_400;
const ORACLE: &str = "did:web:ratings.example";
const ALL_TYPES: [&str; 3] = ["platform_rating", "monthly_revenue", "months_active"];

resource_testing::suite_harness!(
    /// The registry on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn keys(kind: ClaimKind) -> &'static CircuitKeys {
    static KEYS: OnceLock<Vec<CircuitKeys>> = OnceLock::new();
    let all = KEYS.get_or_init(|| ClaimKind::ALL.iter().map(|k| devnet_keys(*k)).collect());
    all.iter().find(|k| k.kind == kind).expect("every kind")
}

fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

fn now() -> u64 {
    mock_env().block.time.seconds()
}

fn did_of(name: &str) -> String {
    format!("did:resource:{}:{}", mock_env().block.chain_id, a(name))
}

impl T {
    /// The registry with every kind's devnet verifying key; `alice` and `bob` have DIDs.
    fn new() -> T {
        let msg = InstantiateMsg {
            admin: Some(a("admin")),
            claim_verifiers: vec![a("verifier")],
            ..InstantiateMsg::default()
        };
        let mut t = T(Harness::new(instantiate, execute, query, "creator", msg));
        for kind in ClaimKind::ALL {
            t.exec("admin", set_key(kind, keys(kind).verifying_key_bytes())).unwrap();
        }
        for name in ["alice", "bob"] {
            t.exec(name, ExecuteMsg::Create { did: None, document: None }).unwrap();
        }
        t
    }

    /// Registers `did` as an attester with `signer`'s key, allowed `claim_types`.
    fn attester(&mut self, did: &str, key: AttesterKey, claim_types: &[&str]) {
        let msg = ExecuteMsg::RegisterAttester {
            did: did.into(),
            name: "Ratings oracle".into(),
            claim_types: claim_types.iter().map(|t| t.to_string()).collect(),
            public_key: key,
        };
        self.exec("admin", msg).unwrap();
    }

    /// Refused with `expected`, nothing stored changed.
    fn refused(&mut self, sender: &str, msg: ExecuteMsg, expected: ContractError) {
        assert_eq!(self.fails(sender, msg), expected);
    }

    fn claims(&self, name: &str) -> VerifiedClaimsResponse {
        self.q(QueryMsg::VerifiedClaims { did: did_of(name), start_after: None, limit: None })
    }
}

fn set_key(kind: ClaimKind, key: Vec<u8>) -> ExecuteMsg {
    ExecuteMsg::SetVerifyingKey { kind, key: key.into() }
}

/// A credential for `subject` of `kind` with `values`, signed by `signer` as `attester`.
fn issue_by(
    attester: &str,
    kind: ClaimKind,
    subject: &str,
    values: &[u64],
    signer: &AttesterSigner,
    seed: u8,
) -> Credential {
    let request = CredentialRequest {
        kind: kind.name().into(),
        subject: subject.into(),
        values: values.to_vec(),
        issued_at: now() - DAY,
        expires_at: now() + 400 * DAY,
    };
    Credential::issue(&request, attester, signer, &mut rng(seed)).unwrap()
}

/// [`issue_by`] [`ORACLE`].
fn issue(kind: ClaimKind, subject: &str, values: &[u64], signer: &AttesterSigner, seed: u8) -> Credential {
    issue_by(ORACLE, kind, subject, values, signer, seed)
}

fn prove_for(kind: ClaimKind, credential: &Credential, thresholds: &[u64], valid_until: u64) -> CredentialProof {
    let request = ProofRequest { credential: credential.clone(), thresholds: thresholds.to_vec(), valid_until };
    prove(kind, &keys(kind).proving, &request, &mut rng(9)).unwrap()
}

fn hex(text: &str) -> HexBinary {
    HexBinary::from_hex(text).unwrap()
}

/// The message that submits `p` (for the sender's own DID when `did` is `None`).
fn submit(p: &CredentialProof, did: Option<String>) -> ExecuteMsg {
    p.submit_msg(did).unwrap()
}

/// Changes one field of a `SubmitCredentialProof`.
fn with(msg: &ExecuteMsg, change: impl FnOnce(&mut ExecuteMsg)) -> ExecuteMsg {
    let mut m = msg.clone();
    change(&mut m);
    m
}

#[test]
fn instantiate_defaults_the_longest_validity_and_the_admin_changes_it() {
    let mut t = T::new();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(c.max_credential_validity, DEFAULT_MAX_CREDENTIAL_VALIDITY);
    let update = |m| ExecuteMsg::UpdateConfig { max_credential_validity: m };
    t.refused("mallory", update(Some(10)), ContractError::Unauthorized { role: "the admin" });
    t.refused("admin", update(Some(0)), ContractError::ZeroMaxCredentialValidity);
    t.exec("admin", update(Some(DAY))).unwrap();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(c.max_credential_validity, DAY);
    t.exec("admin", update(None)).unwrap();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(c.max_credential_validity, DAY);

    let mut deps = cosmwasm_std::testing::mock_dependencies();
    let zero = InstantiateMsg { max_credential_validity: Some(0), ..InstantiateMsg::default() };
    let info = cosmwasm_std::testing::message_info(&addr("creator"), &[]);
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), info, zero).unwrap_err(),
        ContractError::ZeroMaxCredentialValidity
    );
    let paid = cosmwasm_std::testing::message_info(&addr("creator"), &cosmwasm_std::coins(1, "inj"));
    let init = InstantiateMsg::default();
    assert_eq!(instantiate(deps.as_mut(), mock_env(), paid, init).unwrap_err(), ContractError::UnexpectedFunds);
}

#[test]
fn the_admin_sets_replaces_and_removes_verifying_keys() {
    let mut t = T::new();
    let file = keys(ClaimKind::Rating).verifying_key_bytes();
    let k: VerifyingKeyResponse = t.q(QueryMsg::VerifyingKey { kind: ClaimKind::Rating });
    // The checksum is the file's SHA-256, as `resource zk setup` prints it.
    assert_eq!(k.checksum.as_slice(), resource_zk_verifier::groth16::key_checksum(&file));
    assert_eq!((k.kind, k.stored_at), (ClaimKind::Rating, now()));
    let all: VerifyingKeysResponse = t.q(QueryMsg::VerifyingKeys {});
    assert_eq!(all.keys.iter().map(|k| k.kind).collect::<Vec<_>>(), ClaimKind::ALL);

    t.refused("mallory", set_key(ClaimKind::Rating, file.clone()), ContractError::Unauthorized { role: "the admin" });
    t.refused(
        "mallory",
        ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Rating },
        ContractError::Unauthorized { role: "the admin" },
    );
    // Another kind's key under `rating` is a valid key: it replaces the old one (the admin's choice).
    t.advance(60);
    let tenure_file = keys(ClaimKind::Tenure).verifying_key_bytes();
    let r = t.exec("admin", set_key(ClaimKind::Rating, tenure_file.clone())).unwrap();
    assert_eq!(attr(&r, "replaced"), "true");
    let k: VerifyingKeyResponse = t.q(QueryMsg::VerifyingKey { kind: ClaimKind::Rating });
    assert_eq!(k.checksum.as_slice(), resource_zk_verifier::groth16::key_checksum(&tenure_file));
    assert_eq!(k.stored_at, t.now());

    t.exec("admin", ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Rating }).unwrap();
    let err = t.query(QueryMsg::VerifyingKey { kind: ClaimKind::Rating }).unwrap_err().to_string();
    assert!(err.contains("no verifying key for rating proofs is stored"), "{err}");
    t.refused(
        "admin",
        ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Rating },
        ContractError::NoVerifyingKey { kind: ClaimKind::Rating },
    );
    let all: VerifyingKeysResponse = t.q(QueryMsg::VerifyingKeys {});
    assert_eq!(all.keys.iter().map(|k| k.kind).collect::<Vec<_>>(), [ClaimKind::Revenue, ClaimKind::Tenure]);
    let r = t.exec("admin", set_key(ClaimKind::Rating, file)).unwrap();
    assert_eq!(attr(&r, "replaced"), "false");
}

#[test]
fn malformed_key_bytes_are_refused_with_the_reason() {
    let mut t = T::new();
    let file = keys(ClaimKind::Revenue).verifying_key_bytes();
    let invalid = |t: &mut T, bytes: Vec<u8>| match t.fails("admin", set_key(ClaimKind::Revenue, bytes)) {
        ContractError::InvalidVerifyingKey { kind: ClaimKind::Revenue, reason } => reason,
        other => panic!("{other:?}"),
    };
    for cut in [0, 1, 47, 48, 100, 335, file.len() - 1] {
        let reason = invalid(&mut t, file[..cut].to_vec());
        assert!(!reason.is_empty(), "cut at {cut}");
    }
    let mut longer = file.clone();
    longer.push(0);
    assert!(invalid(&mut t, longer).contains("follow the verifying key"));
    for (i, flip) in [(0, 0x01u8), (5, 0x10), (60, 0x04), (200, 0x80), (file.len() - 3, 0x02)] {
        let mut bad = file.clone();
        bad[i] ^= flip;
        invalid(&mut t, bad);
    }
    // A key with two public inputs: the count says 3 (IC has three points).
    let mut two_inputs = file[..file.len() - 96].to_vec();
    let count_at = two_inputs.len() - 8;
    two_inputs[count_at..].copy_from_slice(&3u64.to_le_bytes());
    two_inputs.extend_from_slice(&file[file.len() - 96..]);
    two_inputs.extend_from_slice(&file[file.len() - 48..]);
    assert!(invalid(&mut t, two_inputs).contains("2 public inputs"));
    // The stored key is still the good one.
    let k: VerifyingKeyResponse = t.q(QueryMsg::VerifyingKey { kind: ClaimKind::Revenue });
    assert_eq!(k.checksum.as_slice(), resource_zk_verifier::groth16::key_checksum(&file));
}

#[test]
fn every_kind_is_verified_and_recorded_with_either_signature_scheme() {
    for (i, scheme) in [SignatureScheme::Ed25519, SignatureScheme::Secp256k1].into_iter().enumerate() {
        let mut t = T::new();
        let signer = AttesterSigner::generate(scheme, &mut rng(1 + i as u8));
        t.attester(ORACLE, signer.public_key(), &ALL_TYPES);
        for (n, (kind, values, thresholds)) in cases().into_iter().enumerate() {
            let credential = issue(kind, &did_of("alice"), &values, &signer, 10 + n as u8);
            let valid_until = now() + 30 * DAY;
            let p = prove_for(kind, &credential, &thresholds, valid_until);
            let r = t.exec("alice", submit(&p, None)).unwrap();
            let seq = n as u64 + 1;
            assert_eq!(attr(&r, "action"), "submit_credential_proof");
            assert_eq!(attr(&r, "did"), did_of("alice"));
            assert_eq!(attr(&r, "claim"), kind.name());
            assert_eq!(attr(&r, "claim_type"), kind.claim_type());
            assert_eq!(attr(&r, "attester"), ORACLE);
            assert_eq!(attr(&r, "nullifier"), credential.commitment);
            assert_eq!(attr(&r, "seq"), seq.to_string());
            let view = t.claims("alice").claims.pop().unwrap();
            assert_eq!((view.seq, view.expired, view.attester_active), (seq, false, true));
            let claim = view.claim;
            assert_eq!(claim.claim_type, kind.claim_type());
            assert_eq!(claim.predicate, kind.predicate(&kind.check_values(&thresholds, "t").unwrap()));
            assert_eq!(claim.attester.as_str(), ORACLE);
            assert_eq!(claim.nullifier.0.as_slice(), hex(&credential.commitment).as_slice());
            assert_eq!((claim.expires_at, claim.verified_at), (valid_until, now()));
            // The registry verified it itself.
            assert_eq!(claim.verifier, mock_env().contract.address.to_string());
            // Once: the credential is its own nullifier, for the explicit DID as for the default.
            t.refused(
                "alice",
                submit(&p, Some(did_of("alice"))),
                ContractError::Record(RecordError::NullifierUsed { by: did_of("alice") }),
            );
        }
    }
}

#[test]
fn the_predicates_are_the_scoring_grammar() {
    let mut t = T::new();
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(1));
    t.attester(ORACLE, signer.public_key(), &ALL_TYPES);
    let expected = ["rating>=45;reviews>=100", "revenue>=10000", "months>=24"];
    for ((kind, values, thresholds), predicate) in cases().into_iter().zip(expected) {
        let credential = issue(kind, &did_of("bob"), &values, &signer, 3);
        let p = prove_for(kind, &credential, &thresholds, now() + DAY);
        t.exec("bob", submit(&p, None)).unwrap();
        assert_eq!(t.claims("bob").claims.pop().unwrap().claim.predicate, predicate);
    }
}

/// A rating proof for alice's DID by [`ORACLE`] (registered here for every type) and its message,
/// not yet submitted.
fn rating_setup(t: &mut T) -> (AttesterSigner, Credential, CredentialProof, ExecuteMsg) {
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(1));
    t.attester(ORACLE, signer.public_key(), &ALL_TYPES);
    let credential = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 4);
    let p = prove_for(ClaimKind::Rating, &credential, &[45, 100], now() + 30 * DAY);
    let msg = submit(&p, None);
    (signer, credential, p, msg)
}

fn set_thresholds(m: &mut ExecuteMsg, t: Vec<u64>) {
    if let ExecuteMsg::SubmitCredentialProof { thresholds, .. } = m {
        *thresholds = t;
    }
}

fn set_valid_until(msg: &ExecuteMsg, v: u64) -> ExecuteMsg {
    with(msg, |m| {
        if let ExecuteMsg::SubmitCredentialProof { valid_until, .. } = m {
            *valid_until = v;
        }
    })
}

#[test]
fn checks_refuse_in_order_with_typed_errors_and_change_nothing() {
    let mut t = T::new();
    let (signer, credential, p, msg) = rating_setup(&mut t);

    // No key for the kind: the admin removed it.
    t.exec("admin", ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Rating }).unwrap();
    t.refused("alice", msg.clone(), ContractError::NoVerifyingKey { kind: ClaimKind::Rating });
    t.exec("admin", set_key(ClaimKind::Rating, keys(ClaimKind::Rating).verifying_key_bytes())).unwrap();

    // Thresholds that do not fit the kind.
    let too_few = with(&msg, |m| set_thresholds(m, vec![45]));
    t.refused(
        "alice",
        too_few,
        ContractError::Thresholds(StatementError::Count { kind: "rating", what: "thresholds", expected: 2, found: 1 }),
    );
    let too_large = with(&msg, |m| set_thresholds(m, vec![64, 100]));
    assert!(matches!(t.fails("alice", too_large), ContractError::Thresholds(StatementError::TooLarge { .. })));

    // A commitment that is not a canonical field element, or not 32 bytes.
    for bad in [vec![0xff; 32], vec![1; 31], vec![]] {
        let m = with(&msg, |m| {
            if let ExecuteMsg::SubmitCredentialProof { commitment, .. } = m {
                *commitment = bad.clone().into();
            }
        });
        assert!(matches!(t.fails("alice", m), ContractError::InvalidCommitment { .. }));
    }

    // valid_until: in the past or now (the claim would be expired), or beyond the longest validity.
    let expired = |v: u64, now: u64| ContractError::Record(RecordError::Expired { expires_at: v, now });
    t.refused("alice", set_valid_until(&msg, now()), expired(now(), now()));
    t.refused("alice", set_valid_until(&msg, now() - 1), expired(now() - 1, now()));
    let latest = now() + DEFAULT_MAX_CREDENTIAL_VALIDITY;
    t.refused(
        "alice",
        set_valid_until(&msg, latest + 1),
        ContractError::ValidUntilTooFar {
            valid_until: latest + 1,
            latest,
            max_validity: DEFAULT_MAX_CREDENTIAL_VALIDITY,
        },
    );
    // At the limit the window passes and the proof (for another valid_until) is what fails.
    t.refused("alice", set_valid_until(&msg, latest), ContractError::ProofRejected);

    // The attester: unknown, not allowed the claim type, a BLS key.
    let other_attester = |t: &mut T, did: &str, key: AttesterKey, types: &[&str]| {
        t.attester(did, key, types);
        let c = issue_by(did, ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 4);
        submit(&prove_for(ClaimKind::Rating, &c, &[45, 100], now() + 30 * DAY), None)
    };
    let unknown = with(&msg, |m| {
        if let ExecuteMsg::SubmitCredentialProof { attester, .. } = m {
            *attester = "did:web:unknown.example".into();
        }
    });
    t.refused(
        "alice",
        unknown,
        ContractError::Record(RecordError::UnknownAttester { did: "did:web:unknown.example".into() }),
    );
    let revenue_only = other_attester(&mut t, "did:web:revenue.example", signer.public_key(), &["monthly_revenue"]);
    t.refused(
        "alice",
        revenue_only,
        ContractError::Record(RecordError::ClaimTypeNotAllowed {
            attester: "did:web:revenue.example".into(),
            claim_type: "platform_rating".into(),
        }),
    );
    let mut g2 = [0x22u8; 96];
    g2[0] = 0x93;
    let bls_key = AttesterKey {
        kind: KeyType::Bls12381G2Key2020,
        public_key_multibase: encode_multibase_key(KeyCodec::Bls12381G2, &g2),
    };
    let bls = other_attester(&mut t, "did:web:bls.example", bls_key, &ALL_TYPES);
    t.refused(
        "alice",
        bls,
        ContractError::UnsupportedAttesterKey {
            attester: "did:web:bls.example".into(),
            algorithm: "bls12_381-g2-pub".into(),
        },
    );

    // The signature: another commitment's, another key's, the wrong length, garbage.
    let other = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 5);
    let stranger = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(77));
    let forged = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &stranger, 4);
    for sig in [hex(&other.signature), hex(&forged.signature), HexBinary::from(vec![0u8; 64])] {
        let m = with(&msg, |m| {
            if let ExecuteMsg::SubmitCredentialProof { signature, .. } = m {
                *signature = sig.clone();
            }
        });
        t.refused("alice", m, ContractError::BadSignature { attester: ORACLE.into() });
    }
    let short = with(&msg, |m| {
        if let ExecuteMsg::SubmitCredentialProof { signature, .. } = m {
            *signature = HexBinary::from(&hex(&p.signature).as_slice()[..63]);
        }
    });
    t.refused("alice", short, ContractError::SignatureLength { found: 63 });

    // The proof: wrong length, flipped bits (malformed points or a rejected proof, never a panic).
    let proof_bytes = hex(&p.proof).to_vec();
    for len in [0, 191, 193] {
        let m = with(&msg, |m| {
            if let ExecuteMsg::SubmitCredentialProof { proof, .. } = m {
                *proof = HexBinary::from(vec![0u8; len]);
            }
        });
        match t.fails("alice", m) {
            ContractError::MalformedProof { reason } => assert!(reason.contains("192 bytes"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    for i in [0, 10, 47, 48, 100, 143, 144, 191] {
        for flip in [0x01u8, 0x80, 0x40, 0x20] {
            let mut b = proof_bytes.clone();
            b[i] ^= flip;
            let m = with(&msg, |m| {
                if let ExecuteMsg::SubmitCredentialProof { proof, .. } = m {
                    *proof = b.clone().into();
                }
            });
            let e = t.fails("alice", m);
            assert!(
                matches!(e, ContractError::MalformedProof { .. } | ContractError::ProofRejected),
                "byte {i} ^ {flip:#x}: {e:?}"
            );
        }
    }
    // The proof for another statement: higher thresholds, another valid_until.
    t.refused("alice", with(&msg, |m| set_thresholds(m, vec![46, 100])), ContractError::ProofRejected);
    t.refused("alice", with(&msg, |m| set_thresholds(m, vec![45, 101])), ContractError::ProofRejected);
    t.refused("alice", set_valid_until(&msg, p.valid_until - 1), ContractError::ProofRejected);
    // As another kind (tenure key, the rating proof): rejected.
    let as_tenure = with(&msg, |m| {
        if let ExecuteMsg::SubmitCredentialProof { claim, thresholds, .. } = m {
            *claim = ClaimKind::Tenure;
            *thresholds = vec![45];
        }
    });
    t.refused("alice", as_tenure, ContractError::ProofRejected);
    assert!(t.claims("alice").claims.is_empty());
    // Coins are refused: nothing in the registry could send them back.
    let paid = t.exec_with("alice", &cosmwasm_std::coins(1, "inj"), msg.clone()).unwrap_err();
    assert_eq!(paid, ContractError::UnexpectedFunds);

    // The untouched message verifies; the nullifier then refuses it, and the same credential sent
    // through another verifier, for any DID.
    t.exec("alice", msg.clone()).unwrap();
    let used = || ContractError::Record(RecordError::NullifierUsed { by: did_of("alice") });
    t.refused("alice", msg.clone(), used());
    let through_verifier = ExecuteMsg::RecordVerifiedClaim {
        did: did_of("bob"),
        claim_type: "platform_rating".into(),
        predicate: "rating>=45;reviews>=100".into(),
        attester: ORACLE.into(),
        nullifier: hex(&credential.commitment),
        expires_at: now() + DAY,
    };
    t.refused("verifier", through_verifier, used());

    // The block time passes valid_until: a proof too old to record.
    let (_, fresh, ..) = {
        let c = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 6);
        let p = prove_for(ClaimKind::Rating, &c, &[45, 100], now() + 30 * DAY);
        (c.clone(), submit(&p, None), p)
    };
    t.advance(31 * DAY);
    let valid_until = now() + 30 * DAY;
    t.refused("alice", fresh, expired(valid_until, t.now()));

    // A revoked attester's credentials are refused.
    t.exec("admin", ExecuteMsg::RevokeAttester { did: ORACLE.into() }).unwrap();
    let c = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 7);
    let late = submit(&prove_for(ClaimKind::Rating, &c, &[45, 100], t.now() + DAY), None);
    t.refused(
        "alice",
        late,
        ContractError::Record(RecordError::AttesterRevoked { did: ORACLE.into(), revoked_at: t.now() }),
    );
}

#[test]
fn only_a_controller_submits_for_a_did() {
    let mut t = T::new();
    let (_, _, p, msg) = rating_setup(&mut t);
    // Carol has no DID: nothing can be recorded on it.
    t.refused("carol", msg.clone(), ContractError::DidNotFound { did: did_of("carol") });
    // Bob submits alice's proof for alice's DID: he does not control it.
    let for_alice = submit(&p, Some(did_of("alice")));
    t.refused("bob", for_alice.clone(), ContractError::NotController { did: did_of("alice"), sender: a("bob") });
    // Bob submits it for his own DID: another statement, rejected.
    t.refused("bob", msg.clone(), ContractError::ProofRejected);
    // Alice hands her DID to bob as its controller: now bob may submit for it.
    let to_bob = DocumentUpdate::Patch {
        ops: vec![
            PatchOp::AddController { controller: did_of("bob").parse().unwrap() },
            PatchOp::RemoveController { controller: did_of("alice").parse().unwrap() },
        ],
    };
    t.exec("alice", ExecuteMsg::Update { did: did_of("alice"), change: to_bob }).unwrap();
    let r = t.exec("bob", for_alice.clone()).unwrap();
    assert_eq!(attr(&r, "did"), did_of("alice"));
    // A deactivated DID takes no claims.
    t.exec("bob", ExecuteMsg::Deactivate { did: did_of("alice") }).unwrap();
    let c = issue(
        ClaimKind::Rating,
        &did_of("alice"),
        &[46, 120],
        &AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(1)),
        8,
    );
    let again = submit(&prove_for(ClaimKind::Rating, &c, &[45, 100], now() + DAY), Some(did_of("alice")));
    t.refused("bob", again, ContractError::Document(DocumentError::Deactivated { did: did_of("alice") }));
}
