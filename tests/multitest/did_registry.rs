//! The DID registry in cw-multi-test: a member's DID through its whole life with every version
//! resolvable, outsiders refused without a byte of storage changing, control through organisation
//! DIDs and loops refused, the attester registry and revocation, reputation appended only by the
//! network's contracts (through a real contract call) and never rewritten, and one credential
//! serving one DID.

use crate::contracts::registry_contract;
use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, HexBinary, MessageInfo, Response};
use cosmwasm_std::{StdError, StdResult, WasmMsg};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use serde::{Deserialize, Serialize};

use resource_core::did::{
    encode_multibase_key, Attester, AttesterKey, Did, DidDocument, DocumentError, DocumentUpdate, KeyCodec, KeyType,
    PatchOp, RecordError, ReputationEvent, ResolutionResult, ResourceDid, Service, ServiceEndpoint, VerificationMethod,
    DID_CONTEXT,
};
use resource_did_registry::ContractError;
use resource_msgs::did_registry::{
    ConfigResponse, ExecuteMsg, InstantiateMsg, NullifierResponse, QueryMsg, ReputationHistoryResponse,
    ReputationSummaryResponse, VerifiedClaimsResponse, VersionsResponse,
};
use resource_testing::multi::{self, wasm_attr};

const UNIT: u128 = 1_000_000;
const DAY: u64 = 86_400;
const ORACLE: &str = "did:web:ratings.example";

/// A stand-in for a network contract (credit token, underwriting): forwards a registry message.
#[derive(Debug, Serialize, Deserialize)]
struct Forward {
    registry: String,
    msg: ExecuteMsg,
}

fn forward_execute(_: DepsMut, _: Env, _: MessageInfo, f: Forward) -> StdResult<Response> {
    let call = WasmMsg::Execute { contract_addr: f.registry, msg: to_json_binary(&f.msg)?, funds: vec![] };
    Ok(Response::new().add_message(call))
}

fn forward_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn forward_query(_: Deps, _: Env, _: Empty) -> StdResult<Binary> {
    Err(StdError::generic_err("no queries"))
}

fn network_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(forward_execute, forward_instantiate, forward_query))
}

struct Net {
    app: App,
    registry: Addr,
    /// A network contract configured as reputation writer.
    token: Addr,
    /// A network contract that is not a writer.
    rogue: Addr,
}

impl Net {
    fn new() -> Net {
        let mut app = App::default();
        let code = app.store_code(registry_contract());
        let network_code = app.store_code(network_contract());
        let admin = app.api().addr_make("admin");
        let token = app.instantiate_contract(network_code, admin.clone(), &Empty {}, &[], "token", None).unwrap();
        let rogue = app.instantiate_contract(network_code, admin.clone(), &Empty {}, &[], "rogue", None).unwrap();
        let msg = InstantiateMsg {
            admin: None,
            reputation_writers: vec![token.to_string()],
            claim_verifiers: vec![app.api().addr_make("zk-verifier").to_string()],
            max_credential_validity: None,
        };
        let registry =
            app.instantiate_contract(code, admin.clone(), &msg, &[], "did-registry", Some(admin.into())).unwrap();
        Net { app, registry, token, rogue }
    }

    fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    fn chain(&self) -> String {
        self.app.block_info().chain_id
    }

    fn did_of(&self, name: &str) -> String {
        ResourceDid::account(&self.chain(), self.addr(name).as_str()).unwrap().to_string()
    }

    fn did(&self, name: &str) -> Did {
        Did::parse(&self.did_of(name)).unwrap()
    }

    fn exec(&mut self, sender: &str, msg: &ExecuteMsg) -> Result<AppResponse, ContractError> {
        let sender = self.addr(sender);
        multi::execute(&mut self.app, sender, &self.registry, msg)
    }

    /// Runs a message that must fail with `expected` and checks that no byte of storage changed.
    fn refused(&mut self, sender: &str, msg: &ExecuteMsg, expected: ContractError) {
        let before = self.app.dump_wasm_raw(&self.registry);
        assert_eq!(self.exec(sender, msg).unwrap_err(), expected, "{msg:?}");
        assert_eq!(self.app.dump_wasm_raw(&self.registry), before, "{msg:?} changed storage");
    }

    /// `through` (a network contract) forwards `msg` to the registry.
    fn through(&mut self, through: &Addr, msg: ExecuteMsg) -> Result<AppResponse, ContractError> {
        let f = Forward { registry: self.registry.to_string(), msg };
        self.app.execute_contract(self.addr("anyone"), through.clone(), &f, &[]).map_err(multi::contract_error)
    }

    fn q<R: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.registry, msg).unwrap()
    }

    fn resolve(&self, did: &str, version_id: Option<u64>) -> ResolutionResult {
        self.q(&QueryMsg::Resolve { did: did.into(), version_id })
    }

    fn patch(&mut self, sender: &str, did: &str, ops: Vec<PatchOp>) -> Result<AppResponse, ContractError> {
        self.exec(sender, &ExecuteMsg::Update { did: did.into(), change: DocumentUpdate::Patch { ops } })
    }

    fn next_block(&mut self, seconds: u64) {
        multi::next_block(&mut self.app, seconds);
    }
}

fn secp_method(owner: &Did, fragment: &str) -> VerificationMethod {
    let mut key = [7u8; 33];
    key[0] = 0x03;
    VerificationMethod::multibase(
        owner.with_fragment(fragment).unwrap(),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        owner.clone(),
        encode_multibase_key(KeyCodec::Secp256k1, &key),
    )
}

/// An Ed25519 key in the form the registry stores it.
fn ed_method(owner: &Did, fragment: &str, seed: u8) -> VerificationMethod {
    VerificationMethod::multibase(
        owner.with_fragment(fragment).unwrap(),
        KeyType::Multikey,
        owner.clone(),
        encode_multibase_key(KeyCodec::Ed25519, &[seed; 32]),
    )
}

#[test]
fn a_members_did_lives_through_versions_and_deactivation() {
    let mut n = Net::new();
    let alice = n.did_of("alice");
    let alice_did = n.did("alice");

    // v1: the Cosmos account key, for authentication
    let mut doc = DidDocument::new(alice_did.clone(), vec![]);
    let key = secp_method(&alice_did, "cosmos");
    doc.verification_method.push(key.clone());
    doc.authentication.push(key.id.clone());
    let r = n.exec("alice", &ExecuteMsg::Create { did: None, document: Some(doc) }).unwrap();
    assert_eq!((wasm_attr(&r, "did"), wasm_attr(&r, "version_id")), (alice.clone(), "1".to_string()));

    // v2: a shop service; v3: bob becomes a co-controller; v4: bob rotates to an Ed25519 key
    n.next_block(DAY);
    let shop = Service {
        id: alice_did.with_fragment("shop").unwrap(),
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri("https://alice-bakery.example".into()),
    };
    n.patch("alice", &alice, vec![PatchOp::AddService { service: shop.clone() }]).unwrap();
    n.next_block(DAY);
    n.patch("alice", &alice, vec![PatchOp::AddController { controller: n.did("bob") }]).unwrap();
    n.next_block(DAY);
    let mut rotated = DidDocument::new(alice_did.clone(), vec![alice_did.clone(), n.did("bob")]);
    let ed = ed_method(&alice_did, "ed", 9);
    rotated.verification_method.push(ed.clone());
    rotated.authentication.push(ed.id.clone());
    rotated.service.push(shop.clone());
    rotated.normalize();
    let replace =
        ExecuteMsg::Update { did: alice.clone(), change: DocumentUpdate::Replace { document: rotated.clone() } };
    n.exec("bob", &replace).unwrap();

    // The latest version, as raw JSON: the W3C shape
    let raw: serde_json::Value = n.q(&QueryMsg::Resolve { did: alice.clone(), version_id: None });
    assert_eq!(raw["@context"], "https://w3id.org/did-resolution/v1");
    assert_eq!(raw["didDocument"]["@context"][0], DID_CONTEXT);
    assert_eq!(raw["didDocument"]["@context"][1], "https://w3id.org/security/multikey/v1");
    assert_eq!(raw["didDocument"]["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(raw["didDocument"]["id"], alice.as_str());
    assert_eq!(raw["didDocument"]["verificationMethod"][0]["publicKeyMultibase"], ed.public_key_multibase.unwrap());
    assert_eq!(raw["didDocument"]["service"][0]["serviceEndpoint"], "https://alice-bakery.example");
    assert_eq!(raw["didDocumentMetadata"]["versionId"], "4");
    assert_eq!(raw["didDocumentMetadata"]["deactivated"], false);
    assert_eq!(raw["didResolutionMetadata"]["contentType"], "application/did+ld+json");
    // ... and as resource-core's type, as the CLI and SDK read it
    let latest = n.resolve(&alice, None);
    assert_eq!(latest.did_document, Some(rotated.clone()));

    // Every earlier version stays resolvable, each pointing at the next
    let v1 = n.resolve(&alice, Some(1));
    // the Cosmos key sent as EcdsaSecp256k1VerificationKey2019 is kept as the same key, a Multikey
    let as_multikey = VerificationMethod { kind: KeyType::Multikey, ..key };
    assert_eq!(v1.did_document.as_ref().unwrap().verification_method, vec![as_multikey]);
    assert_eq!(v1.did_document.as_ref().unwrap().controller, vec![alice_did.clone()]);
    assert_eq!(v1.did_document_metadata.next_version_id.as_deref(), Some("2"));
    let v2 = n.resolve(&alice, Some(2));
    assert_eq!(v2.did_document.as_ref().unwrap().service, vec![shop]);
    assert_eq!(v2.did_document_metadata.updated, v1.did_document_metadata.next_update);
    assert_eq!(n.resolve(&alice, Some(3)).did_document.unwrap().controller.len(), 2);
    let versions: VersionsResponse = n.q(&QueryMsg::Versions { did: alice.clone(), start_after: None, limit: None });
    assert_eq!(versions.versions.iter().map(|v| v.version_id).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert!(versions.versions.windows(2).all(|w| w[1].updated == w[0].updated + DAY));

    // Deactivation: final, later changes refused, history kept
    n.next_block(DAY);
    n.exec("bob", &ExecuteMsg::Deactivate { did: alice.clone() }).unwrap();
    let gone = n.resolve(&alice, None);
    // resolved, not an error: the final document (id and controllers) with `deactivated: true`
    assert_eq!(gone.did_resolution_metadata.error, None);
    assert_eq!(gone.did_document, Some(DidDocument::new(alice_did.clone(), vec![alice_did.clone(), n.did("bob")])));
    assert_eq!(gone.did_document_metadata.deactivated, Some(true));
    assert_eq!(gone.did_document_metadata.version_id.as_deref(), Some("5"));
    let raw: serde_json::Value = n.q(&QueryMsg::Dereference { did_url: format!("{alice}?service=shop") });
    assert_eq!(raw["dereferencingMetadata"]["error"], "notFound", "a deactivated DID has no services");
    let raw: serde_json::Value = n.q(&QueryMsg::Dereference { did_url: format!("{alice}?versionId=4&service=shop") });
    assert_eq!(raw["contentStream"], "https://alice-bakery.example");
    let deactivated = || ContractError::Document(DocumentError::Deactivated { did: alice.clone() });
    n.refused("alice", &replace, deactivated());
    n.refused("bob", &ExecuteMsg::Deactivate { did: alice.clone() }, deactivated());
    n.refused(
        "alice",
        &ExecuteMsg::Create { did: None, document: None },
        ContractError::Document(DocumentError::AlreadyRegistered { did: alice.clone() }),
    );
    let v4 = n.resolve(&alice, Some(4));
    assert_eq!(v4.did_document, Some(rotated));
    assert_eq!(v4.did_document_metadata.deactivated, Some(true));
    assert_eq!(v4.did_document_metadata.next_version_id.as_deref(), Some("5"));
}

#[test]
fn outsiders_cannot_create_update_or_deactivate_others_dids() {
    let mut n = Net::new();
    n.exec("alice", &ExecuteMsg::Create { did: None, document: None }).unwrap();
    let alice = n.did_of("alice");
    let mallory = n.did_of("mallory");
    let unauthorized =
        || ContractError::Document(DocumentError::Unauthorized { actor: mallory.clone(), did: alice.clone() });
    let takeover = ExecuteMsg::Update {
        did: alice.clone(),
        change: DocumentUpdate::Patch { ops: vec![PatchOp::AddController { controller: n.did("mallory") }] },
    };
    n.refused("mallory", &takeover, unauthorized());
    n.refused("mallory", &ExecuteMsg::Deactivate { did: alice.clone() }, unauthorized());
    let mut replace_doc = DidDocument::new(n.did("alice"), vec![n.did("mallory")]);
    replace_doc.context.clear();
    n.refused(
        "mallory",
        &ExecuteMsg::Update { did: alice.clone(), change: DocumentUpdate::Replace { document: replace_doc } },
        unauthorized(),
    );
    // mallory cannot register DIDs of alice's address, with or without a suffix
    for did in [n.did_of("bob"), format!("{alice}:shop")] {
        let base = ResourceDid::parse(&did).unwrap().account_did().to_string();
        n.refused(
            "mallory",
            &ExecuteMsg::Create { did: Some(did.clone()), document: None },
            ContractError::Document(DocumentError::NotYourAddress { did, base }),
        );
    }
    // nor give herself a DID on another chain
    let elsewhere = ResourceDid::account("other-1", n.addr("mallory").as_str()).unwrap().to_string();
    n.refused(
        "mallory",
        &ExecuteMsg::Create { did: Some(elsewhere.clone()), document: None },
        ContractError::Document(DocumentError::WrongChain {
            did: elsewhere,
            found: "other-1".into(),
            expected: n.chain(),
        }),
    );
    // alice herself cannot remove her last controller
    n.refused(
        "alice",
        &ExecuteMsg::Update {
            did: alice.clone(),
            change: DocumentUpdate::Patch { ops: vec![PatchOp::RemoveController { controller: n.did("alice") }] },
        },
        ContractError::Document(DocumentError::NoController),
    );
    assert_eq!(n.resolve(&alice, None).did_document_metadata.version_id.as_deref(), Some("1"));
}

#[test]
fn organisations_control_dids_through_their_own_controllers_without_loops() {
    let mut n = Net::new();
    for who in ["alice", "bob", "carol"] {
        n.exec(who, &ExecuteMsg::Create { did: None, document: None }).unwrap();
    }
    // bob creates a cooperative DID under his address, controlled by bob and carol
    let coop = format!("{}:coop", n.did_of("bob"));
    let coop_did = Did::parse(&coop).unwrap();
    let doc = DidDocument::new(coop_did.clone(), vec![n.did("bob"), n.did("carol")]);
    n.exec("bob", &ExecuteMsg::Create { did: Some(coop.clone()), document: Some(doc) }).unwrap();
    // carol, a controller of bob's coop... but not of bob's account DID: no DIDs under bob's address
    n.refused(
        "carol",
        &ExecuteMsg::Create { did: Some(format!("{}:mine", n.did_of("bob"))), document: None },
        ContractError::Document(DocumentError::NotYourAddress {
            did: format!("{}:mine", n.did_of("bob")),
            base: n.did_of("bob"),
        }),
    );
    // alice's shop DID is co-controlled by the coop: carol can update it through the coop
    let shop = format!("{}:shop", n.did_of("alice"));
    n.exec("alice", &ExecuteMsg::Create { did: Some(shop.clone()), document: None }).unwrap();
    n.patch("alice", &shop, vec![PatchOp::AddController { controller: coop_did.clone() }]).unwrap();
    let shop_did = Did::parse(&shop).unwrap();
    let k = ed_method(&shop_did, "pos", 3);
    n.patch("carol", &shop, vec![PatchOp::AddVerificationMethod { method: k.clone() }]).unwrap();
    assert_eq!(n.resolve(&shop, None).did_document.unwrap().verification_method, vec![k]);
    // a loop: the coop may not be put under the shop's control
    let into_loop = ExecuteMsg::Update {
        did: coop.clone(),
        change: DocumentUpdate::Patch { ops: vec![PatchOp::AddController { controller: shop_did.clone() }] },
    };
    n.refused(
        "bob",
        &into_loop,
        ContractError::Document(DocumentError::ControllerLoop { path: format!("{coop} -> {shop} -> {coop}") }),
    );
    // handing the coop only to other DIDs that no account could act for is refused
    n.refused(
        "bob",
        &ExecuteMsg::Update {
            did: coop.clone(),
            change: DocumentUpdate::Replace {
                document: DidDocument::new(coop_did.clone(), vec![Did::parse("did:web:coop.example").unwrap()]),
            },
        },
        ContractError::Document(DocumentError::NoUsableController),
    );
    // once the coop is deactivated, carol loses her say over the shop
    n.exec("carol", &ExecuteMsg::Deactivate { did: coop.clone() }).unwrap();
    n.refused(
        "carol",
        &ExecuteMsg::Update {
            did: shop.clone(),
            change: DocumentUpdate::Patch {
                ops: vec![PatchOp::RemoveService { id: shop_did.with_fragment("x").unwrap() }],
            },
        },
        ContractError::Document(DocumentError::Unauthorized { actor: n.did_of("carol"), did: shop.clone() }),
    );
}

fn register_oracle(n: &mut Net) {
    let msg = ExecuteMsg::RegisterAttester {
        did: ORACLE.into(),
        name: "Platform ratings oracle".into(),
        claim_types: vec!["platform_rating".into(), "review_count".into()],
        public_key: AttesterKey {
            kind: KeyType::Bls12381G2Key2020,
            public_key_multibase: encode_multibase_key(KeyCodec::Bls12381G2, &{
                let mut k = [0x22u8; 96];
                k[0] = 0x93;
                k
            }),
        },
    };
    n.exec("admin", &msg).unwrap();
}

fn claim(n: &Net, did: &str, nullifier: u8) -> ExecuteMsg {
    ExecuteMsg::RecordVerifiedClaim {
        did: did.into(),
        claim_type: "platform_rating".into(),
        predicate: "rating>=45;reviews>=100".into(),
        attester: ORACLE.into(),
        nullifier: HexBinary::from(vec![nullifier; 32]),
        expires_at: n.app.block_info().time.seconds() + 365 * DAY,
    }
}

#[test]
fn attesters_are_approved_by_the_admin_and_revocation_stops_their_claims() {
    let mut n = Net::new();
    n.exec("alice", &ExecuteMsg::Create { did: None, document: None }).unwrap();
    let alice = n.did_of("alice");
    // nobody but the admin approves attesters
    let self_approved = ExecuteMsg::RegisterAttester {
        did: "did:web:fake.example".into(),
        name: "Fake".into(),
        claim_types: vec!["platform_rating".into()],
        public_key: AttesterKey {
            kind: KeyType::Ed25519VerificationKey2020,
            public_key_multibase: encode_multibase_key(KeyCodec::Ed25519, &[1; 32]),
        },
    };
    n.refused("mallory", &self_approved, ContractError::Unauthorized { role: "the admin" });
    register_oracle(&mut n);
    let oracle: Attester = n.q(&QueryMsg::Attester { did: ORACLE.into() });
    assert!(oracle.is_active());
    assert_eq!(oracle.claim_types, vec!["platform_rating", "review_count"]);

    // the ZK verifier records a claim; only the verifier may
    n.refused("alice", &claim(&n, &alice, 1), ContractError::Unauthorized { role: "a claim verifier (UpdateRoles)" });
    n.exec("zk-verifier", &claim(&n, &alice, 1)).unwrap();
    let wrong_type = ExecuteMsg::RecordVerifiedClaim {
        did: alice.clone(),
        claim_type: "revenue_band".into(),
        predicate: "revenue>=100000".into(),
        attester: ORACLE.into(),
        nullifier: HexBinary::from(vec![2u8; 32]),
        expires_at: n.app.block_info().time.seconds() + DAY,
    };
    n.refused(
        "zk-verifier",
        &wrong_type,
        ContractError::Record(RecordError::ClaimTypeNotAllowed {
            claim_type: "revenue_band".into(),
            attester: ORACLE.into(),
        }),
    );

    // revocation: final, new claims refused, recorded ones flagged
    n.next_block(30);
    n.refused(
        "mallory",
        &ExecuteMsg::RevokeAttester { did: ORACLE.into() },
        ContractError::Unauthorized { role: "the admin" },
    );
    n.exec("admin", &ExecuteMsg::RevokeAttester { did: ORACLE.into() }).unwrap();
    let revoked_at = n.app.block_info().time.seconds();
    let revoked = || ContractError::Record(RecordError::AttesterRevoked { did: ORACLE.into(), revoked_at });
    n.refused("zk-verifier", &claim(&n, &alice, 3), revoked());
    n.refused("admin", &ExecuteMsg::RevokeAttester { did: ORACLE.into() }, revoked());
    let claims: VerifiedClaimsResponse =
        n.q(&QueryMsg::VerifiedClaims { did: alice.clone(), start_after: None, limit: None });
    assert_eq!(claims.claims.len(), 1);
    assert!(!claims.claims[0].attester_active);
    assert_eq!(claims.claims[0].claim.attester.as_str(), ORACLE);
}

#[test]
fn one_credential_serves_one_did_once() {
    let mut n = Net::new();
    for who in ["alice", "bob"] {
        n.exec(who, &ExecuteMsg::Create { did: None, document: None }).unwrap();
    }
    register_oracle(&mut n);
    let (alice, bob) = (n.did_of("alice"), n.did_of("bob"));
    n.exec("zk-verifier", &claim(&n, &alice, 7)).unwrap();
    let used = || ContractError::Record(RecordError::NullifierUsed { by: alice.clone() });
    n.refused("zk-verifier", &claim(&n, &bob, 7), used());
    n.refused("zk-verifier", &claim(&n, &alice, 7), used());
    n.exec("zk-verifier", &claim(&n, &bob, 8)).unwrap();
    let who: NullifierResponse = n.q(&QueryMsg::Nullifier { nullifier: HexBinary::from(vec![7u8; 32]) });
    assert_eq!(who.used_by, Some(alice.clone()));
    let fresh: NullifierResponse = n.q(&QueryMsg::Nullifier { nullifier: HexBinary::from(vec![9u8; 32]) });
    assert_eq!(fresh.used_by, None);
    let bobs: VerifiedClaimsResponse = n.q(&QueryMsg::VerifiedClaims { did: bob, start_after: None, limit: None });
    assert_eq!(bobs.claims.iter().map(|c| c.claim.nullifier.0[0]).collect::<Vec<_>>(), vec![8]);
}

#[test]
fn reputation_is_appended_only_by_the_networks_contracts_and_never_rewritten() {
    let mut n = Net::new();
    let alice = n.did_of("alice");
    let bob = n.did("bob");
    let events = vec![
        ReputationEvent::CreditLineGranted { amount: 2_000 * UNIT, term: 90 * DAY },
        ReputationEvent::ClearingParticipation { round: 1, amount: 350 * UNIT },
        ReputationEvent::VouchGiven { amount: 300 * UNIT, member: bob.clone() },
        ReputationEvent::RepaidOnTime { amount: 2_000 * UNIT },
        ReputationEvent::VouchKept { amount: 300 * UNIT, member: bob.clone() },
    ];
    // the configured writer (a contract) appends; alice need not have a DID document
    let mut snapshots = Vec::new();
    for e in &events {
        n.next_block(DAY);
        let r =
            n.through(&n.token.clone(), ExecuteMsg::RecordReputation { did: alice.clone(), event: e.clone() }).unwrap();
        assert_eq!(wasm_attr(&r, "writer"), n.token.to_string());
        snapshots.push(n.app.dump_wasm_raw(&n.registry));
    }
    // every record written stays byte-identical while later ones are appended
    let last = snapshots.last().unwrap().clone();
    for snapshot in &snapshots {
        let history: Vec<_> = snapshot.iter().filter(|(k, _)| k.first() == Some(&b'h')).collect();
        for (k, v) in history {
            assert_eq!(last.iter().find(|(k2, _)| k2 == k).map(|(_, v2)| v2), Some(v), "record {k:?} changed");
        }
    }

    // anyone else, including another contract and the member itself, is refused
    let forged =
        ExecuteMsg::RecordReputation { did: alice.clone(), event: ReputationEvent::RepaidOnTime { amount: UNIT } };
    let before = n.app.dump_wasm_raw(&n.registry);
    let not_writer = ContractError::Unauthorized { role: "a reputation writer (UpdateRoles)" };
    assert_eq!(n.through(&n.rogue.clone(), forged.clone()).unwrap_err(), not_writer);
    assert_eq!(n.exec("alice", &forged).unwrap_err(), not_writer);
    assert_eq!(n.app.dump_wasm_raw(&n.registry), before);

    let s: ReputationSummaryResponse = n.q(&QueryMsg::ReputationSummary { did: alice.clone() });
    let start = n.app.block_info().time.seconds() - 4 * DAY;
    assert_eq!(
        (s.summary.events, s.summary.credit_granted, s.summary.repaid, s.summary.cleared),
        (5, 2_000 * UNIT, 2_000 * UNIT, 350 * UNIT)
    );
    assert_eq!((s.summary.vouches_given, s.summary.vouches_kept, s.summary.defaults), (1, 1, 0));
    assert_eq!((s.summary.first_event_at, s.summary.last_event_at), (Some(start), Some(start + 4 * DAY)));

    // the history, page by page, as an app would read it
    let mut read = Vec::new();
    let mut start_after = None;
    loop {
        let page: ReputationHistoryResponse =
            n.q(&QueryMsg::ReputationHistory { did: alice.clone(), start_after, limit: Some(2) });
        let Some(last) = page.records.last() else { break };
        start_after = Some(last.seq);
        read.extend(page.records);
    }
    assert_eq!(read.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    assert_eq!(read.iter().map(|r| r.event.clone()).collect::<Vec<_>>(), events);
    assert!(read.iter().all(|r| r.writer == n.token.as_str()));

    // the admin can retire a writer; its past records stay
    let retire = ExecuteMsg::UpdateRoles {
        add_writers: vec![],
        remove_writers: vec![n.token.to_string()],
        add_verifiers: vec![],
        remove_verifiers: vec![],
    };
    n.exec("admin", &retire).unwrap();
    let cfg: ConfigResponse = n.q(&QueryMsg::Config {});
    assert!(cfg.reputation_writers.is_empty());
    assert_eq!(n.through(&n.token.clone(), forged).unwrap_err(), not_writer);
    let s: ReputationSummaryResponse = n.q(&QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!(s.summary.events, 5);

    // deactivating a DID does not shed its reputation: defaults are still recorded
    let rehire = ExecuteMsg::UpdateRoles {
        add_writers: vec![n.token.to_string()],
        remove_writers: vec![],
        add_verifiers: vec![],
        remove_verifiers: vec![],
    };
    n.exec("admin", &rehire).unwrap();
    n.exec("alice", &ExecuteMsg::Create { did: None, document: None }).unwrap();
    n.exec("alice", &ExecuteMsg::Deactivate { did: alice.clone() }).unwrap();
    n.through(
        &n.token.clone(),
        ExecuteMsg::RecordReputation { did: alice.clone(), event: ReputationEvent::Defaulted { amount: UNIT } },
    )
    .unwrap();
    let s: ReputationSummaryResponse = n.q(&QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!((s.summary.events, s.summary.defaults), (6, 1));

    // repaying written-off debt after the default is recorded too, and adds up in `recovered`
    for amount in [UNIT / 4, UNIT / 2] {
        let r = n
            .through(
                &n.token.clone(),
                ExecuteMsg::RecordReputation { did: alice.clone(), event: ReputationEvent::DebtRecovered { amount } },
            )
            .unwrap();
        assert!(r.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "event" && a.value == "debt_recovered")));
    }
    let s: ReputationSummaryResponse = n.q(&QueryMsg::ReputationSummary { did: alice.clone() });
    assert_eq!((s.summary.events, s.summary.defaults, s.summary.defaulted), (8, 1, UNIT));
    assert_eq!(s.summary.recovered, UNIT / 4 + UNIT / 2);
    let h: ReputationHistoryResponse =
        n.q(&QueryMsg::ReputationHistory { did: alice, start_after: Some(6), limit: None });
    assert_eq!(
        h.records.iter().map(|r| r.event.clone()).collect::<Vec<_>>(),
        vec![ReputationEvent::DebtRecovered { amount: UNIT / 4 }, ReputationEvent::DebtRecovered { amount: UNIT / 2 }]
    );
}
