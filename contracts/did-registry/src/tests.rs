//! Unit tests with mock dependencies: every message, its bad inputs (typed error, state unchanged).

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{from_json, HexBinary, Response};
use resource_core::did::{
    encode_multibase_key, Attester, AttesterKey, Did, DidDocument, DidError, DocumentError, DocumentUpdate, KeyCodec,
    KeyType, PatchOp, RecordError, ReputationEvent, ResolutionError, ResolutionResult, Service, ServiceEndpoint,
    VerificationMethod, DID_LD_JSON,
};
use resource_testing::{addr, address as a, attr, dump, Harness};

use crate::contract::{execute, instantiate, migrate, query, CONTRACT_NAME, CONTRACT_VERSION, EARLIER_CONTRACT_NAMES};
use crate::error::ContractError;
use resource_msgs::did_registry::{
    AttestersResponse, ConfigResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, NullifierResponse, QueryMsg,
    ReputationHistoryResponse, ReputationSummaryResponse, VerifiedClaimsResponse, VersionsResponse,
};

resource_testing::suite_harness!(
    /// The registry on mock dependencies, with this suite's scenario helpers.
    T,
    ExecuteMsg,
    QueryMsg,
    ContractError
);

fn chain() -> String {
    mock_env().block.chain_id
}

/// `did:resource:<chain>:<address of name>`.
fn did_of(name: &str) -> String {
    format!("did:resource:{}:{}", chain(), a(name))
}

fn did(name: &str) -> Did {
    Did::parse(&did_of(name)).unwrap()
}

fn key_method(owner: &str, fragment: &str, seed: u8) -> VerificationMethod {
    let owner = did(owner);
    VerificationMethod::multibase(
        owner.with_fragment(fragment).unwrap(),
        KeyType::Multikey,
        owner,
        encode_multibase_key(KeyCodec::Ed25519, &[seed; 32]),
    )
}

fn attester_key() -> AttesterKey {
    AttesterKey {
        kind: KeyType::Ed25519VerificationKey2020,
        public_key_multibase: encode_multibase_key(KeyCodec::Ed25519, &[42; 32]),
    }
}

const ORACLE: &str = "did:web:ratings.example";

fn setup() -> T {
    let msg = InstantiateMsg {
        admin: Some(a("admin")),
        reputation_writers: vec![a("token")],
        claim_verifiers: vec![a("verifier")],
        max_credential_validity: None,
    };
    T(Harness::new(instantiate, execute, query, "creator", msg))
}

impl T {
    fn resolve(&self, did: &str, version_id: Option<u64>) -> ResolutionResult {
        self.q(QueryMsg::Resolve { did: did.into(), version_id })
    }

    fn create(&mut self, name: &str) {
        self.exec(name, ExecuteMsg::Create { did: None, document: None }).unwrap();
    }

    fn patch(&mut self, sender: &str, did: &str, ops: Vec<PatchOp>) -> Result<Response, ContractError> {
        self.exec(sender, ExecuteMsg::Update { did: did.into(), change: DocumentUpdate::Patch { ops } })
    }

    fn register_oracle(&mut self) {
        let msg = ExecuteMsg::RegisterAttester {
            did: ORACLE.into(),
            name: "Ratings oracle".into(),
            claim_types: vec!["platform_rating".into()],
            public_key: attester_key(),
        };
        self.exec("admin", msg).unwrap();
    }

    fn claim_msg(&self, did: &str, nullifier: u8) -> ExecuteMsg {
        ExecuteMsg::RecordVerifiedClaim {
            did: did.into(),
            claim_type: "platform_rating".into(),
            predicate: "rating>=45;reviews>=100".into(),
            attester: ORACLE.into(),
            nullifier: HexBinary::from(vec![nullifier; 32]),
            expires_at: self.env.block.time.seconds() + 86_400,
        }
    }

    /// [`T::claim_msg`] from `sender`.
    fn claim(&mut self, sender: &str, did: &str, nullifier: u8) -> Result<Response, ContractError> {
        let msg = self.claim_msg(did, nullifier);
        self.exec(sender, msg)
    }

    /// [`T::claim_msg`] from `sender`, which must fail and change nothing.
    fn claim_fails(&mut self, sender: &str, did: &str, nullifier: u8) -> ContractError {
        let msg = self.claim_msg(did, nullifier);
        self.fails(sender, msg)
    }
}

// ---------------------------------------------------------------------------------------------
// instantiate, roles, admin, migrate

#[test]
fn instantiate_stores_config_and_roles() {
    let t = setup();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!(
        cfg,
        ConfigResponse {
            admin: addr("admin"),
            pending_admin: None,
            reputation_writers: vec![addr("token")],
            claim_verifiers: vec![addr("verifier")],
            max_credential_validity: resource_msgs::did_registry::DEFAULT_MAX_CREDENTIAL_VALIDITY,
        }
    );
    let version = cw2::get_contract_version(&t.deps.storage).unwrap();
    assert_eq!((version.contract.as_str(), version.version.as_str()), (CONTRACT_NAME, CONTRACT_VERSION));
}

#[test]
fn instantiate_rejects_bad_input() {
    let ok = InstantiateMsg::default;
    let cases = vec![
        (InstantiateMsg { admin: Some("nope".into()), ..ok() }, None),
        (InstantiateMsg { reputation_writers: vec!["w".into()], ..ok() }, None),
        (InstantiateMsg { claim_verifiers: vec!["v".into()], ..ok() }, None),
        (ok(), Some("bad chain")),
    ];
    for (msg, chain_id) in cases {
        let mut deps = mock_dependencies();
        let mut env = mock_env();
        if let Some(c) = chain_id {
            env.block.chain_id = c.into();
        }
        let err = instantiate(deps.as_mut(), env, message_info(&addr("creator"), &[]), msg).unwrap_err();
        match chain_id {
            None => assert!(matches!(err, ContractError::InvalidAddress { .. }), "{err}"),
            Some(c) => {
                assert!(matches!(&err, ContractError::UnsupportedChain { chain_id, .. } if chain_id == c), "{err}")
            }
        }
        assert!(dump(&deps.storage).is_empty());
    }
}

#[test]
fn roles_are_admin_only_and_all_or_nothing() {
    let mut t = setup();
    let roles = |w: Vec<&str>, rw: Vec<&str>, v: Vec<&str>, rv: Vec<&str>| ExecuteMsg::UpdateRoles {
        add_writers: w.into_iter().map(a).collect(),
        remove_writers: rw.into_iter().map(a).collect(),
        add_verifiers: v.into_iter().map(a).collect(),
        remove_verifiers: rv.into_iter().map(a).collect(),
    };
    assert_eq!(
        t.fails("mallory", roles(vec!["underwriting"], vec![], vec![], vec![])),
        ContractError::Unauthorized { role: "the admin" }
    );
    let bad = ExecuteMsg::UpdateRoles {
        add_writers: vec![a("underwriting"), "bad".into()],
        remove_writers: vec![],
        add_verifiers: vec![],
        remove_verifiers: vec![],
    };
    assert_eq!(t.fails("admin", bad), ContractError::InvalidAddress { address: "bad".into() });
    t.exec("admin", roles(vec!["underwriting", "token"], vec![], vec!["token"], vec!["verifier"])).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    let mut writers = vec![addr("underwriting"), addr("token")];
    writers.sort();
    let mut got = cfg.reputation_writers.clone();
    got.sort();
    assert_eq!(got, writers);
    assert_eq!(cfg.claim_verifiers, vec![addr("token")]);
    t.exec("admin", roles(vec![], vec!["token", "underwriting"], vec![], vec!["token"])).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert!(cfg.reputation_writers.is_empty() && cfg.claim_verifiers.is_empty());
}

/// Deployed before the rename, the contract is recorded as `crates.io:did-registry`: it migrates and is then
/// recorded under the project's own name; another contract's earlier name is still refused.
#[test]
fn a_contract_stored_under_its_old_name_migrates_to_the_new_one() {
    assert_eq!(
        (CONTRACT_NAME, EARLIER_CONTRACT_NAMES),
        ("resource-on-cosmos:did-registry", &["crates.io:did-registry"][..])
    );
    let mut t = setup();
    let refusal = ContractError::CannotMigrate { previous_contract: "crates.io:credit-token".into() };
    t.assert_renamed_contract_migrates(
        migrate,
        MigrateMsg {},
        CONTRACT_NAME,
        EARLIER_CONTRACT_NAMES,
        env!("CARGO_PKG_VERSION"),
        "crates.io:credit-token",
        refusal,
    );
}

#[test]
fn admin_handover_is_two_step_and_migrate_checks_the_version() {
    let mut t = setup();
    assert_eq!(t.fails("admin", ExecuteMsg::AcceptAdmin {}), ContractError::NoPendingAdmin);
    assert_eq!(
        t.fails("mallory", ExecuteMsg::UpdateAdmin { new_admin: a("mallory") }),
        ContractError::Unauthorized { role: "the admin" }
    );
    t.exec("admin", ExecuteMsg::UpdateAdmin { new_admin: a("gov") }).unwrap();
    assert_eq!(
        t.fails("mallory", ExecuteMsg::AcceptAdmin {}),
        ContractError::Unauthorized { role: "the proposed admin" }
    );
    t.exec("gov", ExecuteMsg::AcceptAdmin {}).unwrap();
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    assert_eq!((cfg.admin, cfg.pending_admin), (addr("gov"), None));

    t.migrate(migrate, MigrateMsg {}).unwrap();
    cw2::set_contract_version(&mut t.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert!(matches!(t.migrate(migrate, MigrateMsg {}).unwrap_err(), ContractError::CannotMigrateVersion { .. }));
    cw2::set_contract_version(&mut t.deps.storage, "crates.io:other", "0.1.0").unwrap();
    assert_eq!(
        t.migrate(migrate, MigrateMsg {}).unwrap_err(),
        ContractError::CannotMigrate { previous_contract: "crates.io:other".into() }
    );
}

// ---------------------------------------------------------------------------------------------
// create, update, deactivate, resolve

#[test]
fn create_registers_version_1_controlled_by_the_sender() {
    let mut t = setup();
    let r = t.exec("alice", ExecuteMsg::Create { did: None, document: None }).unwrap();
    assert_eq!((attr(&r, "did"), attr(&r, "version_id")), (did_of("alice").as_str(), "1"));
    let res = t.resolve(&did_of("alice"), None);
    assert_eq!(res.did_resolution_metadata.content_type.as_deref(), Some(DID_LD_JSON));
    assert_eq!(res.did_document, Some(DidDocument::new(did("alice"), vec![did("alice")])));
    let m = &res.did_document_metadata;
    assert_eq!((m.version_id.as_deref(), m.deactivated), (Some("1"), Some(false)));
    assert_eq!(m.created, m.updated);

    // with a document and a suffix
    let shop = format!("{}:shop", did_of("alice"));
    let shop_did = Did::parse(&shop).unwrap();
    let mut doc = DidDocument::new(shop_did.clone(), vec![]);
    doc.verification_method.push(VerificationMethod::multibase(
        shop_did.with_fragment("k").unwrap(),
        KeyType::Ed25519VerificationKey2020,
        shop_did.clone(),
        encode_multibase_key(KeyCodec::Ed25519, &[1; 32]),
    ));
    doc.authentication.push(shop_did.with_fragment("k").unwrap());
    t.exec("alice", ExecuteMsg::Create { did: Some(shop.clone()), document: Some(doc) }).unwrap();
    let res = t.resolve(&shop, None);
    let stored = res.did_document.unwrap();
    assert_eq!(stored.controller, vec![did("alice")]);
    assert_eq!(stored.context[1], "https://w3id.org/security/multikey/v1");
}

#[test]
fn create_refuses_with_typed_errors_and_changes_nothing() {
    let mut t = setup();
    t.create("alice");
    let create = |did: &str| ExecuteMsg::Create { did: Some(did.into()), document: None };
    assert_eq!(
        t.fails("alice", ExecuteMsg::Create { did: None, document: None }),
        ContractError::Document(DocumentError::AlreadyRegistered { did: did_of("alice") })
    );
    assert_eq!(
        t.fails("alice", create(&did_of("bob"))),
        ContractError::Document(DocumentError::NotYourAddress { did: did_of("bob"), base: did_of("bob") })
    );
    let other_chain = format!("did:resource:other-1:{}", a("alice"));
    assert_eq!(
        t.fails("alice", create(&other_chain)),
        ContractError::Document(DocumentError::WrongChain {
            did: other_chain.clone(),
            found: "other-1".into(),
            expected: chain()
        })
    );
    assert_eq!(
        t.fails("alice", create("did:Resource:x")),
        ContractError::Did(DidError::MethodChar { index: 4, character: 'R' })
    );
    assert!(matches!(
        t.fails("alice", create("did:web:example.com")),
        ContractError::Did(DidError::WrongMethod { .. })
    ));
    let mut foreign = DidDocument::new(did("bob"), vec![]);
    foreign.controller.push(did("bob"));
    assert_eq!(
        t.fails("bob", ExecuteMsg::Create { did: None, document: Some(DidDocument::new(did("alice"), vec![])) }),
        ContractError::Document(DocumentError::IdMismatch { expected: did_of("bob"), found: did_of("alice") })
    );
}

#[test]
fn updates_make_new_versions_and_old_ones_stay_resolvable() {
    let mut t = setup();
    t.create("alice");
    let alice = did_of("alice");
    t.next_block(60);
    let k1 = key_method("alice", "key-1", 1);
    let r = t
        .patch(
            "alice",
            &alice,
            vec![
                PatchOp::AddVerificationMethod { method: k1.clone() },
                PatchOp::AddAuthentication { id: k1.id.clone() },
                PatchOp::AddController { controller: did("bob") },
            ],
        )
        .unwrap();
    assert_eq!(attr(&r, "version_id"), "2");
    // bob, now a controller, replaces the document
    t.next_block(60);
    let mut replacement = DidDocument::new(did("alice"), vec![did("alice"), did("bob")]);
    replacement.service.push(Service {
        id: did("alice").with_fragment("shop").unwrap(),
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri("https://alice.example".into()),
    });
    t.exec(
        "bob",
        ExecuteMsg::Update { did: alice.clone(), change: DocumentUpdate::Replace { document: replacement.clone() } },
    )
    .unwrap();

    let v3 = t.resolve(&alice, None);
    assert_eq!(v3.did_document, Some(replacement));
    assert_eq!(v3.did_document_metadata.version_id.as_deref(), Some("3"));
    let v2 = t.resolve(&alice, Some(2));
    assert_eq!(v2.did_document.as_ref().unwrap().verification_method, vec![k1]);
    assert_eq!(v2.did_document_metadata.next_version_id.as_deref(), Some("3"));
    assert_eq!(v2.did_document_metadata.next_update, v3.did_document_metadata.updated);
    let v1 = t.resolve(&alice, Some(1));
    assert_eq!(v1.did_document, Some(DidDocument::new(did("alice"), vec![did("alice")])));
    // a DID URL with the versionId parameter resolves the same, fragments are left to the caller
    assert_eq!(t.resolve(&format!("{alice}?versionId=2#key-1"), None), v2);
    assert_eq!(t.resolve(&format!("{alice}?versionId=2"), Some(2)), v2);
    let conflict = t.resolve(&format!("{alice}?versionId=2"), Some(1));
    assert_eq!(conflict.did_resolution_metadata.error, Some(ResolutionError::InvalidDidUrl));
    assert_eq!(t.resolve(&alice, Some(4)).did_resolution_metadata.error, Some(ResolutionError::NotFound));
    assert_eq!(t.resolve(&alice, Some(0)).did_resolution_metadata.error, Some(ResolutionError::NotFound));

    let versions: VersionsResponse = t.q(QueryMsg::Versions { did: alice.clone(), start_after: Some(1), limit: None });
    assert_eq!(versions.latest_version, 3);
    let times: Vec<(u64, u64)> = versions.versions.iter().map(|v| (v.version_id, v.updated)).collect();
    let t0 = mock_env().block.time.seconds();
    assert_eq!(times, vec![(2, t0 + 60), (3, t0 + 120)]);
}

#[test]
fn unauthorized_and_bad_updates_change_nothing() {
    let mut t = setup();
    t.create("alice");
    let alice = did_of("alice");
    let noop = vec![PatchOp::AddController { controller: did("carol") }];
    assert_eq!(
        t.fails(
            "mallory",
            ExecuteMsg::Update { did: alice.clone(), change: DocumentUpdate::Patch { ops: noop.clone() } }
        ),
        ContractError::Document(DocumentError::Unauthorized { actor: did_of("mallory"), did: alice.clone() })
    );
    assert_eq!(
        t.fails("mallory", ExecuteMsg::Deactivate { did: alice.clone() }),
        ContractError::Document(DocumentError::Unauthorized { actor: did_of("mallory"), did: alice.clone() })
    );
    assert_eq!(
        t.fails(
            "alice",
            ExecuteMsg::Update { did: did_of("bob"), change: DocumentUpdate::Patch { ops: noop.clone() } }
        ),
        ContractError::DidNotFound { did: did_of("bob") }
    );
    assert_eq!(
        t.fails(
            "alice",
            ExecuteMsg::Update {
                did: alice.clone(),
                change: DocumentUpdate::Patch { ops: vec![PatchOp::RemoveController { controller: did("alice") }] }
            }
        ),
        ContractError::Document(DocumentError::NoController)
    );
    assert_eq!(
        t.fails("alice", ExecuteMsg::Update { did: alice.clone(), change: DocumentUpdate::Patch { ops: vec![] } }),
        ContractError::Document(DocumentError::EmptyPatch)
    );
}

#[test]
fn controller_loops_are_refused() {
    let mut t = setup();
    t.create("alice");
    t.create("bob");
    // bob's DID gets alice as a controller; then alice may not add bob to hers
    t.patch("bob", &did_of("bob"), vec![PatchOp::AddController { controller: did("alice") }]).unwrap();
    let err = t.fails(
        "alice",
        ExecuteMsg::Update {
            did: did_of("alice"),
            change: DocumentUpdate::Patch {
                ops: vec![
                    PatchOp::AddController { controller: did("bob") },
                    PatchOp::RemoveController { controller: did("alice") },
                ],
            },
        },
    );
    assert_eq!(
        err,
        ContractError::Document(DocumentError::ControllerLoop {
            path: format!("{} -> {} -> {}", did_of("alice"), did_of("bob"), did_of("alice"))
        })
    );
}

#[test]
fn deactivation_is_final_and_resolves_as_deactivated() {
    let mut t = setup();
    t.create("alice");
    let alice = did_of("alice");
    t.patch("alice", &alice, vec![PatchOp::AddVerificationMethod { method: key_method("alice", "k", 1) }]).unwrap();
    let r = t.exec("alice", ExecuteMsg::Deactivate { did: alice.clone() }).unwrap();
    assert_eq!(attr(&r, "version_id"), "3");
    // not an error: the final document (id and controllers only) with `deactivated: true`
    let res = t.resolve(&alice, None);
    assert_eq!(res.did_resolution_metadata.error, None);
    assert_eq!(res.did_resolution_metadata.content_type.as_deref(), Some(DID_LD_JSON));
    let last = res.did_document.unwrap();
    assert_eq!((last.id.as_str(), last.controller.clone()), (alice.as_str(), vec![did("alice")]));
    assert!(last.verification_method.is_empty() && last.service.is_empty() && last.authentication.is_empty());
    assert_eq!(res.did_document_metadata.deactivated, Some(true));
    assert_eq!(res.did_document_metadata.version_id.as_deref(), Some("3"));
    let v2 = t.resolve(&alice, Some(2));
    assert_eq!(v2.did_resolution_metadata.error, None);
    assert_eq!(v2.did_document.unwrap().verification_method.len(), 1);
    assert_eq!(v2.did_document_metadata.deactivated, Some(true));
    let gone = ContractError::Document(DocumentError::Deactivated { did: alice.clone() });
    assert_eq!(
        t.fails(
            "alice",
            ExecuteMsg::Update {
                did: alice.clone(),
                change: DocumentUpdate::Patch { ops: vec![PatchOp::AddController { controller: did("bob") }] }
            }
        ),
        gone
    );
    assert_eq!(t.fails("alice", ExecuteMsg::Deactivate { did: alice.clone() }), gone);
    assert_eq!(
        t.fails("alice", ExecuteMsg::Create { did: None, document: None }),
        ContractError::Document(DocumentError::AlreadyRegistered { did: alice.clone() })
    );
    // a deactivated account can no longer create suffixed DIDs either
    assert_eq!(
        t.fails("alice", ExecuteMsg::Create { did: Some(format!("{alice}:new")), document: None }),
        ContractError::Document(DocumentError::ActorDeactivated { actor: alice })
    );
}

#[test]
fn resolution_failures_are_results_not_query_errors() {
    let t = setup();
    let cases = [
        ("not a did", ResolutionError::InvalidDid),
        ("did:resource:x", ResolutionError::InvalidDid),
        (&*format!("{}/path", did_of("alice")), ResolutionError::NotFound),
        (&*format!("{}?service=x", did_of("alice")), ResolutionError::NotFound),
        (&*format!("{}?hl=zQm", did_of("alice")), ResolutionError::InvalidDidUrl),
        (&*format!("{}?versionId=2", did_of("alice")), ResolutionError::NotFound),
        (&*format!("{}#key-1", did_of("alice")), ResolutionError::NotFound),
        ("did:web:example.com", ResolutionError::MethodNotSupported),
        (&*format!("did:resource:other-1:{}", a("alice")), ResolutionError::NotFound),
        (&*did_of("nobody"), ResolutionError::NotFound),
    ];
    for (did, error) in cases {
        let r = t.resolve(did, None);
        assert_eq!(r.did_resolution_metadata.error, Some(error), "{did}");
        assert_eq!(r.did_document, None);
        // the raw answer: the error keyword alone, an empty document metadata
        let json: serde_json::Value = t.q(QueryMsg::Resolve { did: did.into(), version_id: None });
        assert_eq!(json["didDocumentMetadata"], serde_json::json!({}), "{did}");
        assert_eq!(json["didResolutionMetadata"].as_object().unwrap().len(), 1, "{did}");
    }
    let r = t.resolve(&did_of("alice"), Some(1));
    assert_eq!(r, ResolutionResult::not_found());
}

#[test]
fn service_urls_and_fragments_dereference_through_the_query() {
    let mut t = setup();
    let alice = did_of("alice");
    let owner = did("alice");
    let mut document = DidDocument::new(owner.clone(), vec![owner.clone()]);
    let mut key = [9u8; 33];
    key[0] = 0x03;
    let secp = encode_multibase_key(KeyCodec::Secp256k1, &key);
    document.verification_method.push(VerificationMethod::multibase(
        owner.with_fragment("cosmos").unwrap(),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        owner.clone(),
        secp.clone(),
    ));
    document.service.push(Service {
        id: owner.with_fragment("files").unwrap(),
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri("https://files.example/alice/".into()),
    });
    t.exec("alice", ExecuteMsg::Create { did: None, document: Some(document) }).unwrap();
    let deref = |url: String| -> serde_json::Value { t.q(QueryMsg::Dereference { did_url: url }) };
    let r = deref(format!("{alice}?service=files&relativeRef=cv.pdf"));
    assert_eq!(r["contentStream"], "https://files.example/alice/cv.pdf");
    assert_eq!(r["dereferencingMetadata"], serde_json::json!({ "contentType": "text/uri-list" }));
    assert_eq!(r["contentMetadata"]["versionId"], "1");
    // the key the wallet sent as EcdsaSecp256k1VerificationKey2019 is stored and served as a Multikey
    let r = deref(format!("{alice}#cosmos"));
    assert_eq!(r["contentStream"]["type"], "Multikey");
    assert_eq!(r["contentStream"]["publicKeyMultibase"], secp);
    let resolved: serde_json::Value = t.q(QueryMsg::Resolve { did: alice.clone(), version_id: None });
    assert_eq!(resolved["didDocument"]["@context"][1], "https://w3id.org/security/multikey/v1");
    assert_eq!(resolved["didDocument"]["verificationMethod"][0]["type"], "Multikey");
    // Resolve accepts the service URL (a valid DID URL) and resolves its DID
    let r = t.resolve(&format!("{alice}?service=files"), None);
    assert_eq!(r.did_resolution_metadata.error, None);
    for (url, error) in [
        (format!("{alice}?service=nope"), "notFound"),
        ("not a did url".to_string(), "invalidDidUrl"),
        (format!("{alice}?relativeRef=x"), "invalidDidUrl"),
        ("did:web:example.com#a".to_string(), "methodNotSupported"),
        (format!("{}?service=files", did_of("bob")), "notFound"),
    ] {
        let r = deref(url.clone());
        assert_eq!(r["dereferencingMetadata"], serde_json::json!({ "error": error }), "{url}");
        assert!(r["contentStream"].is_null());
        assert_eq!(r["contentMetadata"], serde_json::json!({}));
    }
}

// ---------------------------------------------------------------------------------------------
// attesters

#[test]
fn attesters_are_registered_and_revoked_by_the_admin() {
    let mut t = setup();
    let register = |did: &str, types: Vec<&str>| ExecuteMsg::RegisterAttester {
        did: did.into(),
        name: "Ratings oracle".into(),
        claim_types: types.into_iter().map(String::from).collect(),
        public_key: attester_key(),
    };
    assert_eq!(
        t.fails("mallory", register(ORACLE, vec!["platform_rating"])),
        ContractError::Unauthorized { role: "the admin" }
    );
    assert_eq!(t.fails("admin", register(ORACLE, vec![])), ContractError::Record(RecordError::NoClaimTypes));
    assert!(matches!(t.fails("admin", register("did:web", vec!["a"])), ContractError::Did(_)));
    t.exec("admin", register(ORACLE, vec!["platform_rating"])).unwrap();
    assert_eq!(
        t.fails("admin", register(ORACLE, vec!["revenue_band"])),
        ContractError::Record(RecordError::AttesterExists { did: ORACLE.into() })
    );
    let a1: Attester = t.q(QueryMsg::Attester { did: ORACLE.into() });
    assert!(a1.is_active());
    assert_eq!(
        t.fails("mallory", ExecuteMsg::RevokeAttester { did: ORACLE.into() }),
        ContractError::Unauthorized { role: "the admin" }
    );
    assert_eq!(
        t.fails("admin", ExecuteMsg::RevokeAttester { did: "did:web:other.example".into() }),
        ContractError::Record(RecordError::UnknownAttester { did: "did:web:other.example".into() })
    );
    t.next_block(10);
    t.exec("admin", ExecuteMsg::RevokeAttester { did: ORACLE.into() }).unwrap();
    let revoked_at = t.env.block.time.seconds();
    assert_eq!(
        t.fails("admin", ExecuteMsg::RevokeAttester { did: ORACLE.into() }),
        ContractError::Record(RecordError::AttesterRevoked { did: ORACLE.into(), revoked_at })
    );
    assert_eq!(
        t.fails("admin", register(ORACLE, vec!["platform_rating"])),
        ContractError::Record(RecordError::AttesterExists { did: ORACLE.into() })
    );
    let all: AttestersResponse = t.q(QueryMsg::Attesters { start_after: None, limit: None });
    assert_eq!(all.attesters.len(), 1);
    assert_eq!(all.attesters[0].revoked_at, Some(revoked_at));
    let after: AttestersResponse = t.q(QueryMsg::Attesters { start_after: Some(ORACLE.into()), limit: None });
    assert!(after.attesters.is_empty());
}

// ---------------------------------------------------------------------------------------------
// reputation

#[test]
fn reputation_is_appended_by_writers_only() {
    let mut t = setup();
    let alice = did_of("alice");
    let record = |event: ReputationEvent| ExecuteMsg::RecordReputation { did: alice.clone(), event };
    let granted = ReputationEvent::CreditLineGranted { amount: 1_000_000_000, term: 90 * 86_400 };
    assert_eq!(
        t.fails("alice", record(granted.clone())),
        ContractError::Unauthorized { role: "a reputation writer (UpdateRoles)" }
    );
    assert_eq!(
        t.fails("token", record(ReputationEvent::RepaidOnTime { amount: 0 })),
        ContractError::Record(RecordError::ZeroAmount { event: "repaid_on_time" })
    );
    assert!(matches!(
        t.fails("token", ExecuteMsg::RecordReputation { did: "did:web:x".into(), event: granted.clone() }),
        ContractError::Did(DidError::WrongMethod { .. })
    ));
    // no DID document needed: reputation accrues to the account's DID
    let r = t.exec("token", record(granted.clone())).unwrap();
    assert_eq!((attr(&r, "seq"), attr(&r, "event")), ("1", "credit_line_granted"));
    t.next_block(100);
    t.exec("token", record(ReputationEvent::RepaidOnTime { amount: 1_000_000_000 })).unwrap();
    let s: ReputationSummaryResponse = t.q(QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!((s.summary.events, s.summary.credit_granted, s.summary.repaid), (2, 1_000_000_000, 1_000_000_000));
    assert_eq!(s.summary.last_event_at, Some(t.env.block.time.seconds()));
    let h: ReputationHistoryResponse =
        t.q(QueryMsg::ReputationHistory { did: alice.clone(), start_after: None, limit: Some(1) });
    assert_eq!(h.records.len(), 1);
    assert_eq!(
        (h.records[0].seq, &h.records[0].event, h.records[0].writer.as_str()),
        (1, &granted, a("token").as_str())
    );
    let h: ReputationHistoryResponse =
        t.q(QueryMsg::ReputationHistory { did: alice.clone(), start_after: Some(1), limit: None });
    assert_eq!(h.records.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn debt_recovered_adds_to_the_summary_and_is_refused_at_zero() {
    let mut t = setup();
    let alice = did_of("alice");
    let record = |event: ReputationEvent| ExecuteMsg::RecordReputation { did: alice.clone(), event };
    t.exec("token", record(ReputationEvent::Defaulted { amount: 5_000 })).unwrap();
    // `fails` also checks that nothing changed
    assert_eq!(
        t.fails("token", record(ReputationEvent::DebtRecovered { amount: 0 })),
        ContractError::Record(RecordError::ZeroAmount { event: "debt_recovered" })
    );
    assert_eq!(
        t.fails("alice", record(ReputationEvent::DebtRecovered { amount: 1 })),
        ContractError::Unauthorized { role: "a reputation writer (UpdateRoles)" }
    );
    t.next_block(10);
    let r = t.exec("token", record(ReputationEvent::DebtRecovered { amount: 1_200 })).unwrap();
    assert_eq!((attr(&r, "seq"), attr(&r, "event")), ("2", "debt_recovered"));
    t.exec("token", record(ReputationEvent::DebtRecovered { amount: 800 })).unwrap();
    let s: ReputationSummaryResponse = t.q(QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!((s.summary.events, s.summary.defaulted, s.summary.recovered), (3, 5_000, 2_000));
    let json: serde_json::Value = t.q(QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!(json["summary"]["recovered"], "2000");
    let h: ReputationHistoryResponse =
        t.q(QueryMsg::ReputationHistory { did: alice, start_after: Some(1), limit: None });
    assert_eq!(h.records[0].event, ReputationEvent::DebtRecovered { amount: 1_200 });
}

// ---------------------------------------------------------------------------------------------
// verified claims

#[test]
fn claims_are_recorded_once_per_nullifier() {
    let mut t = setup();
    t.create("alice");
    t.create("bob");
    t.register_oracle();
    let alice = did_of("alice");
    assert_eq!(
        t.claim_fails("alice", &alice, 1),
        ContractError::Unauthorized { role: "a claim verifier (UpdateRoles)" }
    );
    assert_eq!(t.claim_fails("verifier", &did_of("carol"), 1), ContractError::DidNotFound { did: did_of("carol") });
    let r = t.claim("verifier", &alice, 1).unwrap();
    assert_eq!(attr(&r, "seq"), "1");
    // the same credential for bob, or again for alice: refused
    assert_eq!(
        t.claim_fails("verifier", &did_of("bob"), 1),
        ContractError::Record(RecordError::NullifierUsed { by: alice.clone() })
    );
    assert_eq!(
        t.claim_fails("verifier", &alice, 1),
        ContractError::Record(RecordError::NullifierUsed { by: alice.clone() })
    );
    let mut short = t.claim_msg(&alice, 2);
    if let ExecuteMsg::RecordVerifiedClaim { nullifier, .. } = &mut short {
        *nullifier = HexBinary::from(vec![2u8; 31]);
    }
    assert_eq!(t.fails("verifier", short), ContractError::Record(RecordError::NullifierFormat));
    let mut expired = t.claim_msg(&alice, 2);
    if let ExecuteMsg::RecordVerifiedClaim { expires_at, .. } = &mut expired {
        *expires_at = t.env.block.time.seconds();
    }
    assert!(matches!(t.fails("verifier", expired), ContractError::Record(RecordError::Expired { .. })));
    let mut unknown = t.claim_msg(&alice, 2);
    if let ExecuteMsg::RecordVerifiedClaim { attester, .. } = &mut unknown {
        *attester = "did:web:unknown.example".into();
    }
    assert!(matches!(t.fails("verifier", unknown), ContractError::Record(RecordError::UnknownAttester { .. })));

    let used: NullifierResponse = t.q(QueryMsg::Nullifier { nullifier: HexBinary::from(vec![1u8; 32]) });
    assert_eq!(used.used_by, Some(alice.clone()));
    let claims: VerifiedClaimsResponse =
        t.q(QueryMsg::VerifiedClaims { did: alice.clone(), start_after: None, limit: None });
    assert_eq!(claims.claims.len(), 1);
    assert!(claims.claims[0].attester_active && !claims.claims[0].expired);
    assert_eq!(claims.claims[0].claim.verifier, a("verifier"));

    // after revocation the attester's claims are shown as such and new ones are refused
    t.exec("admin", ExecuteMsg::RevokeAttester { did: ORACLE.into() }).unwrap();
    assert!(matches!(t.claim_fails("verifier", &alice, 3), ContractError::Record(RecordError::AttesterRevoked { .. })));
    t.next_block(2 * 86_400);
    let claims: VerifiedClaimsResponse =
        t.q(QueryMsg::VerifiedClaims { did: alice.clone(), start_after: None, limit: None });
    assert!(!claims.claims[0].attester_active && claims.claims[0].expired);

    // a deactivated DID takes no new claims
    t.exec("bob", ExecuteMsg::Deactivate { did: did_of("bob") }).unwrap();
    assert_eq!(
        t.claim_fails("verifier", &did_of("bob"), 4),
        ContractError::Document(DocumentError::Deactivated { did: did_of("bob") })
    );
}

/// Documents and resolution results round-trip through serde and through the JSON schemas their types
/// publish (the schemas a client or `ts-bindings` generator reads): what the registry answers validates
/// against the schema, parses back to the same value, and a malformed document is refused by both.
#[test]
fn documents_round_trip_through_serde_and_their_json_schema() {
    let mut t = setup();
    t.create("alice");
    let alice = did_of("alice");
    let k1 = key_method("alice", "key-1", 1);
    let jwk_key = VerificationMethod::jwk(
        did("alice").with_fragment("jwk-1").unwrap(),
        KeyType::JsonWebKey2020,
        did("alice"),
        resource_core::did::Jwk::okp("Ed25519", &[5; 32]),
    );
    let shop = Service {
        id: did("alice").with_fragment("shop").unwrap(),
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri("https://alice.example".into()),
    };
    t.patch(
        "alice",
        &alice,
        vec![
            PatchOp::AddVerificationMethod { method: k1.clone() },
            PatchOp::AddVerificationMethod { method: jwk_key },
            PatchOp::AddAuthentication { id: k1.id.clone() },
            PatchOp::AddService { service: shop },
            PatchOp::AddController { controller: did("bob") },
        ],
    )
    .unwrap();

    let validator = |schema: cosmwasm_schema::schemars::schema::RootSchema| {
        jsonschema::validator_for(&serde_json::to_value(schema).unwrap()).expect("the published schema compiles")
    };
    let documents = validator(cosmwasm_schema::schema_for!(DidDocument));
    let results = validator(cosmwasm_schema::schema_for!(ResolutionResult));
    for version in [None, Some(1)] {
        let answer: serde_json::Value = from_json(
            query(t.deps.as_ref(), t.env.clone(), QueryMsg::Resolve { did: alice.clone(), version_id: version })
                .unwrap(),
        )
        .unwrap();
        let errors: Vec<String> = results.iter_errors(&answer).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "resolution result off its schema: {errors:?}\n{answer}");
        let document = &answer["didDocument"];
        assert!(documents.is_valid(document), "{document}");
        // serde round trip: JSON -> type -> JSON is the identity
        let parsed: DidDocument = serde_json::from_value(document.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&parsed).unwrap(), document);
        let parsed: ResolutionResult = serde_json::from_value(answer.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), answer);
    }
    // A document without an id, or with a verification method that is not an object, fails both.
    let latest: serde_json::Value =
        from_json(query(t.deps.as_ref(), t.env.clone(), QueryMsg::Resolve { did: alice, version_id: None }).unwrap())
            .unwrap();
    let mut no_id = latest["didDocument"].clone();
    no_id.as_object_mut().unwrap().remove("id");
    assert!(!documents.is_valid(&no_id));
    assert!(serde_json::from_value::<DidDocument>(no_id).is_err());
    let mut bad_method = latest["didDocument"].clone();
    bad_method["verificationMethod"][0] = serde_json::json!("not a method");
    assert!(!documents.is_valid(&bad_method));
    assert!(serde_json::from_value::<DidDocument>(bad_method).is_err());
}

// ---------------------------------------------------------------------------------------------
// addresses: one spelling per account (finding 11)

#[test]
fn upper_case_addresses_are_refused_everywhere_and_change_nothing() {
    let mut t = setup();
    t.create("alice");
    let upper = a("bob").to_uppercase();
    let upper_did = format!("did:resource:{}:{upper}", chain());
    let not_normalized = ContractError::AddressNotNormalized { address: upper.clone() };
    let roles = |add_writers: Vec<String>, add_verifiers: Vec<String>| ExecuteMsg::UpdateRoles {
        add_writers,
        remove_writers: vec![],
        add_verifiers,
        remove_verifiers: vec![],
    };
    // addresses the registry stores: writers, verifiers, the admin (each `fails` also checks that
    // the state is unchanged)
    assert_eq!(t.fails("admin", roles(vec![upper.clone()], vec![])), not_normalized);
    assert_eq!(t.fails("admin", roles(vec![], vec![upper.clone()])), not_normalized);
    assert_eq!(t.fails("admin", ExecuteMsg::UpdateAdmin { new_admin: upper.clone() }), not_normalized);
    let mut deps = mock_dependencies();
    let init = InstantiateMsg { admin: Some(upper.clone()), ..Default::default() };
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), message_info(&addr("creator"), &[]), init).unwrap_err(),
        not_normalized
    );
    assert!(dump(&deps.storage).is_empty());
    // DIDs built from an address: refused with the reason, never stored as a second spelling
    let segment = |e: &ContractError| {
        matches!(e, ContractError::Did(DidError::SegmentChar { segment: resource_core::did::Segment::Address, .. }))
    };
    let e = t.fails("bob", ExecuteMsg::Create { did: Some(upper_did.clone()), document: None });
    assert!(segment(&e), "{e}");
    assert!(e.to_string().contains("lowercase"), "{e}");
    let record =
        ExecuteMsg::RecordReputation { did: upper_did.clone(), event: ReputationEvent::Defaulted { amount: 5 } };
    assert!(segment(&t.fails("token", record)));
    assert!(segment(&t.fails("alice", ExecuteMsg::Deactivate { did: upper_did.clone() })));
    let alice = did_of("alice");
    let hijack = vec![PatchOp::AddController { controller: Did::parse(&upper_did).unwrap() }];
    let e = t.patch("alice", &alice, hijack.clone()).unwrap_err();
    assert_eq!(
        e,
        ContractError::Document(DocumentError::ControllerDid {
            controller: upper_did.clone(),
            error: resource_core::did::ResourceDid::parse(&upper_did).unwrap_err(),
        })
    );
    let before = dump(&t.deps.storage);
    assert!(t.patch("alice", &alice, hijack).is_err());
    assert_eq!(dump(&t.deps.storage), before);
    // and queries answer in the W3C way or with the same reason
    assert_eq!(t.resolve(&upper_did, None).did_resolution_metadata.error, Some(ResolutionError::InvalidDid));
    assert!(t
        .query(QueryMsg::ReputationSummary { did: upper_did.clone() })
        .unwrap_err()
        .to_string()
        .contains("lowercase"));
    // every address the registry emits is the normalized one
    let cfg: ConfigResponse = t.q(QueryMsg::Config {});
    for addr in cfg.reputation_writers.iter().chain(&cfg.claim_verifiers).chain([&cfg.admin]) {
        assert_eq!(addr.as_str(), addr.as_str().to_lowercase());
    }
}
