//! Unit tests with mock dependencies and real proofs: the devnet keys of `resource_zk`, credentials
//! issued and signed (ed25519 and secp256k1) and proven by `resource_zk`, checked by the mock API's
//! real host functions (cosmwasm-crypto's pairing, ed25519 and secp256k1). The DID registry's
//! attester and nullifier records (raw queries) and `Resolve` answers come from a mock. Every refusal is a typed error
//! that changes no storage.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use cosmwasm_std::testing::{message_info, mock_env};
use cosmwasm_std::{
    coins, from_json, to_json_binary, to_json_vec, ContractResult, CosmosMsg, HexBinary, SystemResult, WasmMsg,
    WasmQuery,
};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_core::did::{
    encode_multibase_key, Attester, AttesterKey, DidDocument, DocumentMetadata, KeyCodec, KeyType, ResolutionError,
    ResolutionResult,
};
use resource_msgs::credential_verifier::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, VerifyingKeyResponse, VerifyingKeysResponse,
    DEFAULT_MAX_VALIDITY,
};
use resource_msgs::did_registry::{self, raw};
use resource_testing::{addr, address as a, attr, dump, Harness};
use resource_zk::credential::{AttesterSigner, Credential, CredentialRequest, SignatureScheme};
use resource_zk::setup::{devnet_keys, CircuitKeys};
use resource_zk::{prove, ClaimKind, CredentialProof, ProofRequest};
use resource_zk_verifier::StatementError;

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME, CONTRACT_VERSION};
use crate::error::ContractError;

const DAY: u64 = 86_400;
const ORACLE: &str = "did:web:ratings.example";

resource_testing::suite_harness!(
    /// The verifier on mock dependencies, with this suite's scenario helpers.
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

/// What the mock DID registry holds.
#[derive(Clone, Default)]
struct Registry {
    attesters: BTreeMap<String, Attester>,
    /// Nullifier (hex) -> the DID it served.
    nullifiers: BTreeMap<String, String>,
    /// DID -> (controllers, deactivated).
    documents: BTreeMap<String, (Vec<String>, bool)>,
}

fn attester(did: &str, signer: &AttesterSigner, claim_types: &[&str]) -> Attester {
    Attester {
        did: did.parse().unwrap(),
        name: "Ratings oracle".into(),
        claim_types: claim_types.iter().map(|t| t.to_string()).collect(),
        public_key: signer.public_key(),
        registered_at: 1,
        revoked_at: None,
    }
}

const ALL_TYPES: [&str; 3] = ["platform_rating", "monthly_revenue", "months_active"];

impl T {
    fn new() -> T {
        let msg = InstantiateMsg { admin: Some(a("admin")), did_registry: a("registry"), max_validity: None };
        let mut t = T(Harness::new(instantiate, execute, query, "creator", msg));
        for kind in ClaimKind::ALL {
            t.exec("admin", set_key(kind, keys(kind).verifying_key_bytes())).unwrap();
        }
        t
    }

    /// The mock registry answers from `registry`.
    fn registry(&mut self, registry: Registry) {
        let registry_addr = a("registry");
        self.deps.querier.update_wasm(move |q| {
            let (contract_addr, msg) = match q {
                WasmQuery::Smart { contract_addr, msg } => (contract_addr, msg),
                // The attester and nullifier records, read raw (the registry's interface keys).
                WasmQuery::Raw { contract_addr, key } => {
                    assert_eq!(contract_addr, &registry_addr, "only the registry is asked");
                    let value = match key.split_first() {
                        Some((&raw::ATTESTER_PREFIX, did)) => registry
                            .attesters
                            .get(std::str::from_utf8(did).unwrap())
                            .map(|found| to_json_vec(found).unwrap()),
                        Some((&raw::NULLIFIER_PREFIX, n)) => {
                            registry.nullifiers.get(&HexBinary::from(n).to_hex()).map(|d| d.as_bytes().to_vec())
                        }
                        _ => panic!("unexpected raw key {key:?}"),
                    };
                    return SystemResult::Ok(ContractResult::Ok(value.unwrap_or_default().into()));
                }
                other => panic!("unexpected query {other:?}"),
            };
            assert_eq!(contract_addr, &registry_addr, "only the registry is asked");
            let answer = match from_json::<did_registry::QueryMsg>(msg).unwrap() {
                did_registry::QueryMsg::Resolve { did, version_id: None } => {
                    let result = match registry.documents.get(&did) {
                        None => ResolutionResult::failure(ResolutionError::NotFound),
                        Some((controllers, deactivated)) => ResolutionResult {
                            did_document: Some(DidDocument::new(
                                did.parse().unwrap(),
                                controllers.iter().map(|c| c.parse().unwrap()).collect(),
                            )),
                            did_document_metadata: DocumentMetadata {
                                deactivated: deactivated.then_some(true),
                                ..Default::default()
                            },
                            ..ResolutionResult::failure(ResolutionError::NotFound)
                        },
                    };
                    to_json_binary(&result)
                }
                other => panic!("unexpected registry query {other:?}"),
            };
            SystemResult::Ok(ContractResult::Ok(answer.unwrap()))
        });
    }

    /// Refused with `expected`, nothing stored changed.
    fn refused(&mut self, sender: &str, msg: ExecuteMsg, expected: ContractError) {
        assert_eq!(self.fails(sender, msg), expected);
    }
}

fn set_key(kind: ClaimKind, key: Vec<u8>) -> ExecuteMsg {
    ExecuteMsg::SetVerifyingKey { kind, key: key.into() }
}

/// A credential for `subject` of `kind` with `values`, signed by `signer` as [`ORACLE`].
fn issue(kind: ClaimKind, subject: &str, values: &[u64], signer: &AttesterSigner, seed: u8) -> Credential {
    let request = CredentialRequest {
        kind: kind.name().into(),
        subject: subject.into(),
        values: values.to_vec(),
        issued_at: now() - DAY,
        expires_at: now() + 400 * DAY,
    };
    Credential::issue(&request, ORACLE, signer, &mut rng(seed)).unwrap()
}

fn prove_for(kind: ClaimKind, credential: &Credential, thresholds: &[u64], valid_until: u64) -> CredentialProof {
    let request = ProofRequest { credential: credential.clone(), thresholds: thresholds.to_vec(), valid_until };
    prove(kind, &keys(kind).proving, &request, &mut rng(9)).unwrap()
}

fn hex(text: &str) -> HexBinary {
    HexBinary::from_hex(text).unwrap()
}

/// The message that submits `p` (for its own DID when `did` is `None`).
fn submit(p: &CredentialProof, did: Option<String>) -> ExecuteMsg {
    p.submit_msg(did).unwrap()
}

/// Changes one field of a `SubmitCredentialProof`.
fn with(msg: &ExecuteMsg, change: impl FnOnce(&mut ExecuteMsg)) -> ExecuteMsg {
    let mut m = msg.clone();
    change(&mut m);
    m
}

fn cases() -> [(ClaimKind, Vec<u64>, Vec<u64>); 3] {
    [
        (ClaimKind::Rating, vec![46, 120], vec![45, 100]),
        (ClaimKind::Revenue, vec![12_500], vec![10_000]),
        (ClaimKind::Tenure, vec![30], vec![24]),
    ]
}

/// The registry message of a response: (registry, its JSON).
fn record_of(r: &cosmwasm_std::Response) -> did_registry::ExecuteMsg {
    assert_eq!(r.messages.len(), 1, "one message to the registry");
    match &r.messages[0].msg {
        CosmosMsg::Wasm(WasmMsg::Execute { contract_addr, msg, funds }) => {
            assert_eq!((contract_addr.as_str(), funds.len()), (a("registry").as_str(), 0));
            from_json(msg).unwrap()
        }
        other => panic!("not a wasm execute: {other:?}"),
    }
}

#[test]
fn instantiate_defaults_and_config() {
    let t = T::new();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(
        c,
        ConfigResponse {
            admin: addr("admin"),
            pending_admin: None,
            did_registry: addr("registry"),
            max_validity: DEFAULT_MAX_VALIDITY
        }
    );
    assert_eq!(cw2::get_contract_version(&t.deps.storage).unwrap().contract, CONTRACT_NAME);
    let mut deps = cosmwasm_std::testing::mock_dependencies();
    let bad =
        |registry: &str, max_validity| InstantiateMsg { admin: None, did_registry: registry.into(), max_validity };
    let info = message_info(&addr("creator"), &[]);
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), info.clone(), bad("nope", None)).unwrap_err(),
        ContractError::InvalidAddress { address: "nope".into() }
    );
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), info, bad(&a("registry"), Some(0))).unwrap_err(),
        ContractError::ZeroMaxValidity
    );
    let paid = message_info(&addr("creator"), &coins(1, "inj"));
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), paid, bad(&a("registry"), None)).unwrap_err(),
        ContractError::UnexpectedFunds
    );
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
        let mut reg = Registry::default();
        reg.attesters.insert(ORACLE.into(), attester(ORACLE, &signer, &ALL_TYPES));
        t.registry(reg);
        for (n, (kind, values, thresholds)) in cases().into_iter().enumerate() {
            let credential = issue(kind, &did_of("alice"), &values, &signer, 10 + n as u8);
            let valid_until = now() + 30 * DAY;
            let p = prove_for(kind, &credential, &thresholds, valid_until);
            let before = dump(&t.deps.storage);
            let r = t.exec("alice", submit(&p, None)).unwrap();
            assert_eq!(dump(&t.deps.storage), before, "the verifier itself stores nothing");
            assert_eq!(
                record_of(&r),
                did_registry::ExecuteMsg::RecordVerifiedClaim {
                    did: did_of("alice"),
                    claim_type: kind.claim_type().into(),
                    predicate: kind.predicate(&kind.check_values(&thresholds, "t").unwrap()),
                    attester: ORACLE.into(),
                    nullifier: hex(&credential.commitment),
                    expires_at: valid_until,
                }
            );
            assert_eq!(attr(&r, "action"), "submit_credential_proof");
            assert_eq!(attr(&r, "did"), did_of("alice"));
            assert_eq!(attr(&r, "claim"), kind.name());
            assert_eq!(attr(&r, "attester"), ORACLE);
            assert_eq!(attr(&r, "nullifier"), credential.commitment);
            // The explicit DID, the sender's own, is the same submission.
            let r = t.exec("alice", submit(&p, Some(did_of("alice")))).unwrap();
            assert_eq!(attr(&r, "did"), did_of("alice"));
        }
    }
}

#[test]
fn the_predicates_are_the_scoring_grammar() {
    let mut t = T::new();
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(1));
    let mut reg = Registry::default();
    reg.attesters.insert(ORACLE.into(), attester(ORACLE, &signer, &ALL_TYPES));
    t.registry(reg);
    let expected = ["rating>=45;reviews>=100", "revenue>=10000", "months>=24"];
    for ((kind, values, thresholds), predicate) in cases().into_iter().zip(expected) {
        let credential = issue(kind, &did_of("bob"), &values, &signer, 3);
        let p = prove_for(kind, &credential, &thresholds, now() + DAY);
        match record_of(&t.exec("bob", submit(&p, None)).unwrap()) {
            did_registry::ExecuteMsg::RecordVerifiedClaim { predicate: got, .. } => assert_eq!(got, predicate),
            other => panic!("{other:?}"),
        }
    }
}

/// A rating proof for alice's DID, its message, and the registry that accepts it.
fn rating_setup(t: &mut T) -> (AttesterSigner, Credential, CredentialProof, ExecuteMsg, Registry) {
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng(1));
    let mut reg = Registry::default();
    reg.attesters.insert(ORACLE.into(), attester(ORACLE, &signer, &ALL_TYPES));
    t.registry(reg.clone());
    let credential = issue(ClaimKind::Rating, &did_of("alice"), &[46, 120], &signer, 4);
    let p = prove_for(ClaimKind::Rating, &credential, &[45, 100], now() + 30 * DAY);
    let msg = submit(&p, None);
    t.exec("alice", msg.clone()).expect("the untouched submission verifies");
    (signer, credential, p, msg, reg)
}

fn set_thresholds(m: &mut ExecuteMsg, t: Vec<u64>) {
    if let ExecuteMsg::SubmitCredentialProof { thresholds, .. } = m {
        *thresholds = t;
    }
}

#[test]
fn checks_refuse_in_order_with_typed_errors_and_change_nothing() {
    let mut t = T::new();
    let (signer, credential, p, msg, reg) = rating_setup(&mut t);

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

    // valid_until: in the past or now, or beyond max_validity.
    let at = |v: u64| {
        with(&msg, |m| {
            if let ExecuteMsg::SubmitCredentialProof { valid_until, .. } = m {
                *valid_until = v;
            }
        })
    };
    t.refused("alice", at(now()), ContractError::ValidUntilPassed { valid_until: now(), now: now() });
    t.refused("alice", at(now() - 1), ContractError::ValidUntilPassed { valid_until: now() - 1, now: now() });
    let latest = now() + DEFAULT_MAX_VALIDITY;
    t.refused(
        "alice",
        at(latest + 1),
        ContractError::ValidUntilTooFar { valid_until: latest + 1, latest, max_validity: DEFAULT_MAX_VALIDITY },
    );
    // At the limit the window passes and the proof (for another valid_until) is what fails.
    t.refused("alice", at(latest), ContractError::ProofRejected);
    // The block time passes valid_until: the proof is too old.
    t.advance(31 * DAY);
    t.refused("alice", msg.clone(), ContractError::ValidUntilPassed { valid_until: p.valid_until, now: t.now() });
    let mut t = T::new();
    t.registry(reg.clone());

    // The attester: unknown, revoked, not allowed the claim type, a BLS key, an unreadable key.
    let mut no_attester = reg.clone();
    no_attester.attesters.clear();
    t.registry(no_attester);
    t.refused("alice", msg.clone(), ContractError::UnknownAttester { attester: ORACLE.into() });
    let mut revoked = reg.clone();
    revoked.attesters.get_mut(ORACLE).unwrap().revoked_at = Some(5);
    t.registry(revoked);
    t.refused("alice", msg.clone(), ContractError::AttesterRevoked { attester: ORACLE.into(), revoked_at: 5 });
    let mut other_types = reg.clone();
    other_types.attesters.insert(ORACLE.into(), attester(ORACLE, &signer, &["monthly_revenue", "review_count"]));
    t.registry(other_types);
    t.refused(
        "alice",
        msg.clone(),
        ContractError::ClaimTypeNotAllowed { attester: ORACLE.into(), claim_type: "platform_rating".into() },
    );
    let mut bls = reg.clone();
    let mut g2 = [0x22u8; 96];
    g2[0] = 0x93;
    bls.attesters.get_mut(ORACLE).unwrap().public_key = AttesterKey {
        kind: KeyType::Bls12381G2Key2020,
        public_key_multibase: encode_multibase_key(KeyCodec::Bls12381G2, &g2),
    };
    t.registry(bls);
    t.refused(
        "alice",
        msg.clone(),
        ContractError::UnsupportedAttesterKey { attester: ORACLE.into(), algorithm: "bls12_381-g2-pub".into() },
    );
    let mut unreadable = reg.clone();
    unreadable.attesters.get_mut(ORACLE).unwrap().public_key.public_key_multibase = "mnot-base58".into();
    t.registry(unreadable);
    assert!(matches!(t.fails("alice", msg.clone()), ContractError::AttesterKey { .. }));
    t.registry(reg.clone());

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

    // The nullifier: used before, for any DID.
    let mut used = reg.clone();
    used.nullifiers.insert(credential.commitment.clone(), did_of("carol"));
    t.registry(used);
    t.refused("alice", msg.clone(), ContractError::CredentialUsed { by: did_of("carol") });
    t.registry(reg.clone());

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
    t.refused("alice", at(p.valid_until - 1), ContractError::ProofRejected);
    // As another kind (tenure key, the rating proof): rejected.
    let as_tenure = with(&msg, |m| {
        if let ExecuteMsg::SubmitCredentialProof { claim, thresholds, .. } = m {
            *claim = ClaimKind::Tenure;
            *thresholds = vec![45];
        }
    });
    t.refused("alice", as_tenure, ContractError::ProofRejected);
    // Funds are refused.
    assert_eq!(t.exec_with("alice", &coins(1, "inj"), msg.clone()).unwrap_err(), ContractError::UnexpectedFunds);
    // And the untouched message still verifies.
    t.exec("alice", msg).unwrap();
}

#[test]
fn only_a_controller_submits_for_a_did() {
    let mut t = T::new();
    let (_, _, p, msg, mut reg) = rating_setup(&mut t);
    // Bob submits alice's proof for alice's DID: he does not control it.
    let for_alice = submit(&p, Some(did_of("alice")));
    t.refused(
        "bob",
        for_alice.clone(),
        ContractError::DidUnresolvable { did: did_of("alice"), error: "notFound".into() },
    );
    reg.documents.insert(did_of("alice"), (vec![did_of("alice")], false));
    t.registry(reg.clone());
    t.refused("bob", for_alice.clone(), ContractError::NotController { did: did_of("alice"), sender: a("bob") });
    // Bob submits it for his own DID: another statement, rejected.
    t.refused("bob", msg.clone(), ContractError::ProofRejected);
    // Alice hands her DID to bob as its controller: now bob may submit for it.
    reg.documents.insert(did_of("alice"), (vec![did_of("bob")], false));
    t.registry(reg.clone());
    let r = t.exec("bob", for_alice.clone()).unwrap();
    assert_eq!(attr(&r, "did"), did_of("alice"));
    // Deactivated: refused.
    reg.documents.insert(did_of("alice"), (vec![did_of("bob")], true));
    t.registry(reg);
    t.refused("bob", for_alice, ContractError::DidDeactivated { did: did_of("alice") });
}

#[test]
fn config_and_admin_handover() {
    let mut t = T::new();
    let update = |registry: Option<&str>, max_validity| ExecuteMsg::UpdateConfig {
        did_registry: registry.map(str::to_string),
        max_validity,
    };
    t.refused("mallory", update(None, Some(10)), ContractError::Unauthorized { role: "the admin" });
    t.refused("admin", update(None, Some(0)), ContractError::ZeroMaxValidity);
    t.refused("admin", update(Some("nope"), None), ContractError::InvalidAddress { address: "nope".into() });
    t.exec("admin", update(Some(&a("registry2")), Some(DAY))).unwrap();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((c.did_registry, c.max_validity), (addr("registry2"), DAY));

    t.refused("admin", ExecuteMsg::AcceptAdmin {}, ContractError::NoPendingAdmin);
    t.refused(
        "mallory",
        ExecuteMsg::UpdateAdmin { new_admin: a("mallory") },
        ContractError::Unauthorized { role: "the admin" },
    );
    t.exec("admin", ExecuteMsg::UpdateAdmin { new_admin: a("carol") }).unwrap();
    t.refused("mallory", ExecuteMsg::AcceptAdmin {}, ContractError::Unauthorized { role: "the proposed admin" });
    t.exec("carol", ExecuteMsg::AcceptAdmin {}).unwrap();
    let c: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((c.admin, c.pending_admin), (addr("carol"), None));
    t.refused(
        "admin",
        ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Tenure },
        ContractError::Unauthorized { role: "the admin" },
    );
    t.exec("carol", ExecuteMsg::RemoveVerifyingKey { kind: ClaimKind::Tenure }).unwrap();
}

#[test]
fn migration_goes_forward_only_and_from_this_contract() {
    let mut t = T::new();
    let r = t.migrate(migrate, MigrateMsg {}).unwrap();
    assert_eq!(attr(&r, "to_version"), CONTRACT_VERSION);
    cw2::set_contract_version(&mut t.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert_eq!(
        t.migrate(migrate, MigrateMsg {}).unwrap_err(),
        ContractError::CannotMigrateVersion { stored: "99.0.0".into(), new: CONTRACT_VERSION.into() }
    );
    cw2::set_contract_version(&mut t.deps.storage, "resource-on-cosmos:did-registry", "0.1.0").unwrap();
    assert_eq!(
        t.migrate(migrate, MigrateMsg {}).unwrap_err(),
        ContractError::CannotMigrate { previous_contract: "resource-on-cosmos:did-registry".into() }
    );
}
