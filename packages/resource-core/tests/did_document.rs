//! DID documents: keys per type, document checks, every patch path, replace, controllers across DIDs
//! (authorization, loops, controllability), create / update / deactivate with the version rule,
//! resolution results, and JSON round trips in the W3C shape.

#![allow(clippy::cloned_ref_to_slice_refs)] // `&[x.clone()]` reads better in these scenarios

use std::cell::RefCell;
use std::collections::BTreeMap;

use bech32::{Bech32, Hrp};
use resource_core::did::*;

const CHAIN: &str = "resource-1";

fn addr(seed: u8) -> String {
    bech32::encode::<Bech32>(Hrp::parse("inj").unwrap(), &[seed; 20]).unwrap()
}

fn account(seed: u8) -> ResourceDid {
    ResourceDid::account(CHAIN, &addr(seed)).unwrap()
}

fn did(seed: u8) -> Did {
    account(seed).into_did()
}

fn sub(seed: u8, suffix: &str) -> ResourceDid {
    ResourceDid::new(CHAIN, &addr(seed), Some(suffix)).unwrap()
}

fn ed25519_key(seed: u8) -> String {
    encode_multibase_key(KeyCodec::Ed25519, &[seed; 32])
}

fn secp_key(seed: u8) -> String {
    let mut k = [seed; 33];
    k[0] = 0x02;
    encode_multibase_key(KeyCodec::Secp256k1, &k)
}

fn bls_key() -> String {
    let mut k = [0x11u8; 96];
    k[0] = 0x8a;
    encode_multibase_key(KeyCodec::Bls12381G2, &k)
}

fn ed_method(owner: &Did, fragment: &str, seed: u8) -> VerificationMethod {
    VerificationMethod::multibase(
        owner.with_fragment(fragment).unwrap(),
        KeyType::Ed25519VerificationKey2020,
        owner.clone(),
        ed25519_key(seed),
    )
}

fn service(owner: &Did, fragment: &str, endpoint: &str) -> Service {
    Service {
        id: owner.with_fragment(fragment).unwrap(),
        kind: "LinkedDomains".into(),
        service_endpoint: ServiceEndpoint::Uri(endpoint.into()),
    }
}

fn url(owner: &Did, fragment: &str) -> DidUrl {
    owner.with_fragment(fragment).unwrap()
}

/// A document of `owner` with one key referenced from authentication and one service.
fn full_doc(owner: &Did) -> DidDocument {
    let mut doc = DidDocument::new(owner.clone(), vec![owner.clone()]);
    doc.verification_method.push(ed_method(owner, "key-1", 1));
    doc.authentication.push(url(owner, "key-1"));
    doc.service.push(service(owner, "web", "https://shop.example.com"));
    doc.normalize();
    doc
}

/// An in-memory registry of DID states for the cross-DID rules.
#[derive(Default)]
struct Registry(RefCell<BTreeMap<Did, (Vec<Did>, bool)>>);

impl Registry {
    fn set(&self, did: &Did, controllers: &[Did]) {
        self.0.borrow_mut().insert(did.clone(), (controllers.to_vec(), false));
    }
    fn deactivate(&self, did: &Did) {
        self.0.borrow_mut().get_mut(did).unwrap().1 = true;
    }
}

impl ControllerLookup for Registry {
    fn state(&self, did: &Did) -> Result<ControllerState, DocumentError> {
        Ok(match self.0.borrow().get(did) {
            None => ControllerState::Unregistered,
            Some((_, true)) => ControllerState::Deactivated,
            Some((c, false)) => ControllerState::Active(c.clone()),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// keys

#[test]
fn multibase_keys_from_the_did_key_specification_decode() {
    // did:key test vectors (Ed25519 and secp256k1).
    let (codec, key) = decode_multibase_key("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK").unwrap();
    assert_eq!((codec, key.len()), (KeyCodec::Ed25519, 32));
    let (codec, key) = decode_multibase_key("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme").unwrap();
    assert_eq!((codec, key.len()), (KeyCodec::Secp256k1, 33));
    assert!(matches!(key[0], 2 | 3));
}

#[test]
fn each_key_type_takes_its_own_key_form_and_algorithm() {
    use KeyType::*;
    let jwk_ed = Jwk::okp("Ed25519", &[3; 32]);
    let jwk_k1 = Jwk::ec("secp256k1", &[4; 32], &[5; 32]);
    let jwk_p256 = Jwk::ec("P-256", &[4; 32], &[5; 32]);
    let ok: Vec<(KeyType, Option<String>, Option<Jwk>)> = vec![
        (Ed25519VerificationKey2020, Some(ed25519_key(1)), None),
        (EcdsaSecp256k1VerificationKey2019, Some(secp_key(1)), None),
        (EcdsaSecp256k1VerificationKey2019, None, Some(jwk_k1.clone())),
        (JsonWebKey2020, None, Some(jwk_ed.clone())),
        (JsonWebKey2020, None, Some(jwk_p256.clone())),
        (JsonWebKey2020, None, Some(Jwk::ec("P-384", &[1; 48], &[2; 48]))),
        (JsonWebKey2020, None, Some(Jwk::ec("P-521", &[1; 66], &[2; 66]))),
        (JsonWebKey2020, None, Some(Jwk::okp("X25519", &[1; 32]))),
        (Bls12381G2Key2020, Some(bls_key()), None),
    ];
    for (kind, m, j) in ok {
        check_key(kind, m.as_deref(), j.as_ref()).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    let with_d = Jwk { d: Some("AAAA".into()), ..jwk_ed.clone() };
    let mut uncompressed = [4u8; 33];
    uncompressed[0] = 0x04;
    let mut bls_infinity = [0u8; 96];
    bls_infinity[0] = 0xc0;
    let mut bls_uncompressed = [0u8; 96];
    bls_uncompressed[0] = 0x0a;
    let bad: Vec<(KeyType, Option<String>, Option<Jwk>, KeyError)> = vec![
        (
            Ed25519VerificationKey2020,
            None,
            None,
            KeyError::MissingKey { kind: Ed25519VerificationKey2020, expected: "publicKeyMultibase" },
        ),
        (Ed25519VerificationKey2020, Some(ed25519_key(1)), Some(jwk_ed.clone()), KeyError::BothKeyForms),
        (
            Ed25519VerificationKey2020,
            None,
            Some(jwk_ed.clone()),
            KeyError::WrongKeyForm { kind: Ed25519VerificationKey2020, expected: "publicKeyMultibase" },
        ),
        (
            JsonWebKey2020,
            Some(ed25519_key(1)),
            None,
            KeyError::WrongKeyForm { kind: JsonWebKey2020, expected: "publicKeyJwk" },
        ),
        (
            Ed25519VerificationKey2020,
            Some(secp_key(1)),
            None,
            KeyError::WrongCodec { kind: Ed25519VerificationKey2020, expected: "ed25519-pub", found: "secp256k1-pub" },
        ),
        (Ed25519VerificationKey2020, Some("f0123".into()), None, KeyError::NotBase58btc),
        (
            Ed25519VerificationKey2020,
            Some(encode_multibase_key(KeyCodec::Ed25519, &[1; 31])),
            None,
            KeyError::Length { algorithm: "ed25519-pub", expected: 32, found: 31 },
        ),
        (
            EcdsaSecp256k1VerificationKey2019,
            Some(encode_multibase_key(KeyCodec::Secp256k1, &uncompressed)),
            None,
            KeyError::NotCompressed { algorithm: "secp256k1-pub", reason: "the first byte must be 0x02 or 0x03" },
        ),
        (
            Bls12381G2Key2020,
            Some(encode_multibase_key(KeyCodec::Bls12381G2, &bls_infinity)),
            None,
            KeyError::NotCompressed {
                algorithm: "bls12_381-g2-pub",
                reason: "it is the point at infinity, which is no key",
            },
        ),
        (
            Bls12381G2Key2020,
            Some(encode_multibase_key(KeyCodec::Bls12381G2, &bls_uncompressed)),
            None,
            KeyError::NotCompressed { algorithm: "bls12_381-g2-pub", reason: "the compression flag is not set" },
        ),
        (
            EcdsaSecp256k1VerificationKey2019,
            None,
            Some(jwk_p256.clone()),
            KeyError::UnsupportedJwk { kty: "EC".into(), crv: "P-256".into() },
        ),
        (JsonWebKey2020, None, Some(with_d), KeyError::PrivateKey),
        (
            JsonWebKey2020,
            None,
            Some(Jwk { kty: "RSA".into(), ..jwk_ed.clone() }),
            KeyError::UnsupportedJwk { kty: "RSA".into(), crv: "Ed25519".into() },
        ),
        (
            JsonWebKey2020,
            None,
            Some(Jwk { y: None, ..jwk_p256.clone() }),
            KeyError::JwkParameter { parameter: "y", reason: "an EC key needs it" },
        ),
        (
            JsonWebKey2020,
            None,
            Some(Jwk { y: Some("AAAA".into()), ..jwk_ed.clone() }),
            KeyError::JwkParameter { parameter: "y", reason: "an OKP key has none" },
        ),
        (
            JsonWebKey2020,
            None,
            Some(Jwk { x: "AAAA".into(), ..jwk_ed.clone() }),
            KeyError::JwkParameter { parameter: "x", reason: "wrong length for the curve" },
        ),
        (
            JsonWebKey2020,
            None,
            Some(Jwk { x: format!("{}=", jwk_ed.x), ..jwk_ed.clone() }),
            KeyError::JwkParameter { parameter: "x", reason: "not unpadded base64url (RFC 7515)" },
        ),
    ];
    for (kind, m, j, expected) in bad {
        assert_eq!(check_key(kind, m.as_deref(), j.as_ref()).unwrap_err(), expected, "{kind} {m:?} {j:?}");
    }
    let unknown = format!("z{}", bs58::encode([0x12, 0x00, 1, 2, 3]).into_string());
    assert_eq!(decode_multibase_key(&unknown).unwrap_err(), KeyError::UnknownCodec { prefix: 0x1200 });
    assert!(matches!(decode_multibase_key("z0OIl"), Err(KeyError::Base58 { .. })));
    assert!(matches!(decode_multibase_key(&"z".repeat(201)), Err(KeyError::TooLong { .. })));
}

// ---------------------------------------------------------------------------------------------
// document checks

#[test]
fn a_full_document_passes_and_its_context_lists_the_suites_used() {
    let alice = did(1);
    let mut doc = full_doc(&alice);
    check_document(&doc).unwrap();
    assert_eq!(doc.context, vec![DID_CONTEXT, "https://w3id.org/security/multikey/v1"]);
    doc.verification_method.push(VerificationMethod::multibase(
        url(&alice, "bls"),
        KeyType::Bls12381G2Key2020,
        alice.clone(),
        bls_key(),
    ));
    doc.verification_method.push(VerificationMethod::multibase(
        url(&alice, "cosmos"),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        alice.clone(),
        secp_key(9),
    ));
    doc.verification_method.push(VerificationMethod::jwk(
        url(&alice, "cosmos-jwk"),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        alice.clone(),
        Jwk::ec("secp256k1", &[4; 32], &[5; 32]),
    ));
    doc.normalize_context();
    check_document(&doc).unwrap();
    assert_eq!(
        doc.context,
        vec![
            DID_CONTEXT,
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/suites/secp256k1-2019/v1",
            "https://w3id.org/security/suites/bls12381-2020/v1",
        ]
    );
    // the registry's form: every multibase key a Multikey (whose context defines
    // publicKeyMultibase), a secp256k1 JWK keeps its suite type (whose context defines publicKeyJwk)
    doc.normalize();
    check_document(&doc).unwrap();
    let kinds: Vec<KeyType> = doc.verification_method.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![KeyType::Multikey, KeyType::Multikey, KeyType::Multikey, KeyType::EcdsaSecp256k1VerificationKey2019]
    );
    assert_eq!(
        doc.context,
        vec![
            DID_CONTEXT,
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/suites/secp256k1-2019/v1"
        ]
    );
    let json = serde_json::to_value(&doc).unwrap();
    let cosmos = &json["verificationMethod"][2];
    assert_eq!(
        (cosmos["type"].as_str(), cosmos["publicKeyMultibase"].as_str()),
        (Some("Multikey"), Some(&*secp_key(9)))
    );
    let mut again = doc.clone();
    again.normalize();
    assert_eq!(again, doc, "normalize is idempotent");
    // a key that does not match its declared type is not laundered into a Multikey
    let mut wrong = DidDocument::new(alice.clone(), vec![alice.clone()]);
    wrong.verification_method.push(VerificationMethod::multibase(
        url(&alice, "k"),
        KeyType::EcdsaSecp256k1VerificationKey2019,
        alice.clone(),
        ed25519_key(1),
    ));
    wrong.normalize();
    assert_eq!(wrong.verification_method[0].kind, KeyType::EcdsaSecp256k1VerificationKey2019);
    assert!(matches!(
        check_document(&wrong).unwrap_err(),
        DocumentError::Key { error: KeyError::WrongCodec { .. }, .. }
    ));
}

#[test]
fn multikey_takes_every_supported_multibase_key_and_nothing_else() {
    use KeyType::Multikey;
    for key in [ed25519_key(1), secp_key(1), bls_key(), "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme".into()] {
        check_key(Multikey, Some(&key), None).unwrap_or_else(|e| panic!("{key}: {e}"));
    }
    let jwk = Jwk::okp("Ed25519", &[3; 32]);
    assert_eq!(
        check_key(Multikey, None, Some(&jwk)).unwrap_err(),
        KeyError::WrongKeyForm { kind: Multikey, expected: "publicKeyMultibase" }
    );
    assert_eq!(
        check_key(Multikey, None, None).unwrap_err(),
        KeyError::MissingKey { kind: Multikey, expected: "publicKeyMultibase" }
    );
    assert_eq!(check_key(Multikey, Some("f00"), None).unwrap_err(), KeyError::NotBase58btc);
    assert!(matches!(
        check_key(Multikey, Some(&encode_multibase_key(KeyCodec::Secp256k1, &[4; 33])), None).unwrap_err(),
        KeyError::NotCompressed { .. }
    ));
    // secp256k1-pub is the varint 0xe7 0x01; the did:key secp256k1 vector starts `zQ3s`
    let (codec, _) = decode_multibase_key(&secp_key(1)).unwrap();
    assert_eq!((codec.prefix(), codec.name()), ([0xe7, 0x01], "secp256k1-pub"));
    assert!(secp_key(1).starts_with("zQ3s"));
    assert!(ed25519_key(1).starts_with("z6Mk"));
    assert_eq!(serde_json::to_value(Multikey).unwrap(), "Multikey");
    assert_eq!(Multikey.context(), "https://w3id.org/security/multikey/v1");
}

#[test]
fn document_checks_name_the_offender() {
    let alice = did(1);
    let bob = did(2);
    let base = full_doc(&alice);
    let with = |f: &dyn Fn(&mut DidDocument)| {
        let mut d = base.clone();
        f(&mut d);
        check_document(&d).unwrap_err()
    };
    assert_eq!(with(&|d| d.controller.clear()), DocumentError::NoController);
    assert_eq!(
        with(&|d| d.controller.push(alice.clone())),
        DocumentError::DuplicateController { controller: alice.to_string() }
    );
    assert_eq!(
        with(&|d| d.controller = (0..9).map(did).collect()),
        DocumentError::TooMany { what: "controllers", max: MAX_CONTROLLERS }
    );
    assert_eq!(
        with(&|d| d.verification_method.push(ed_method(&bob, "key-9", 2))),
        DocumentError::ForeignId { id: format!("{bob}#key-9"), did: alice.to_string() }
    );
    let path_id = DidUrl::parse(&format!("{alice}/keys#k")).unwrap();
    assert_eq!(
        with(&|d| d.verification_method[0].id = path_id.clone()),
        DocumentError::ForeignId { id: path_id.to_string(), did: alice.to_string() }
    );
    let long = "k".repeat(65);
    assert_eq!(
        with(&|d| d.verification_method[0].id = url(&alice, &long)),
        DocumentError::FragmentTooLong { id: format!("{alice}#{long}"), max: 64 }
    );
    assert_eq!(
        with(&|d| d.verification_method.push(ed_method(&alice, "key-1", 3))),
        DocumentError::DuplicateId { id: format!("{alice}#key-1") }
    );
    assert_eq!(
        with(&|d| d.service.push(service(&alice, "key-1", "https://x.example"))),
        DocumentError::DuplicateId { id: format!("{alice}#key-1") }
    );
    assert_eq!(
        with(&|d| {
            d.verification_method[0].kind = KeyType::Ed25519VerificationKey2020;
            d.verification_method[0].public_key_multibase = Some(secp_key(1));
        }),
        DocumentError::Key {
            id: format!("{alice}#key-1"),
            error: KeyError::WrongCodec {
                kind: KeyType::Ed25519VerificationKey2020,
                expected: "ed25519-pub",
                found: "secp256k1-pub"
            }
        }
    );
    assert_eq!(
        with(&|d| d.authentication.push(url(&alice, "key-1"))),
        DocumentError::DuplicateReference { id: format!("{alice}#key-1") }
    );
    assert_eq!(
        with(&|d| d.authentication.push(url(&alice, "key-2"))),
        DocumentError::UnresolvedReference { id: format!("{alice}#key-2") }
    );
    assert_eq!(
        with(&|d| d.service[0].kind = "Linked Domains".into()),
        DocumentError::ServiceType { id: format!("{alice}#web"), max: 64 }
    );
    for (endpoint, reason) in [
        ("", "it is empty"),
        ("shop.example.com", "it has no scheme"),
        ("1http://x", "the scheme must start with a letter and have letters, digits, `+`, `-`, `.` only"),
        ("https:", "nothing follows the scheme"),
        ("https://a b", "it has characters a URI cannot contain (spaces, quotes, non-ASCII); percent-encode them"),
    ] {
        assert_eq!(
            with(&|d| d.service[0].service_endpoint = ServiceEndpoint::Uri(endpoint.into())),
            DocumentError::ServiceEndpoint { id: format!("{alice}#web"), endpoint: endpoint.into(), reason },
            "{endpoint}"
        );
    }
    assert!(matches!(
        with(&|d| d.service[0].service_endpoint = ServiceEndpoint::Set(vec![])),
        DocumentError::ServiceEndpoint { reason: "the set is empty", .. }
    ));
    let mut many = base.clone();
    many.service[0].service_endpoint =
        ServiceEndpoint::Set(vec!["https://a.example".into(), "did:example:123".into(), "mailto:x@y.z".into()]);
    check_document(&many).unwrap();
}

// ---------------------------------------------------------------------------------------------
// patches and replace

#[test]
fn every_patch_operation_applies_and_refuses_what_does_not_fit() {
    let alice = did(1);
    let bob = did(2);
    let doc = full_doc(&alice);
    let k2 = ed_method(&alice, "key-2", 2);
    // add a method and reference it, add a service and a controller
    let next = apply_patch(
        &doc,
        vec![
            PatchOp::AddVerificationMethod { method: k2.clone() },
            PatchOp::AddAuthentication { id: k2.id.clone() },
            PatchOp::AddService { service: service(&alice, "inbox", "https://inbox.example") },
            PatchOp::AddController { controller: bob.clone() },
        ],
    )
    .unwrap();
    assert_eq!(next.verification_method.len(), 2);
    assert_eq!(next.authentication, vec![url(&alice, "key-1"), url(&alice, "key-2")]);
    assert_eq!(next.service.len(), 2);
    assert_eq!(next.controller, vec![alice.clone(), bob.clone()]);
    // remove each again; the order within a patch does not matter for the final check
    let back = apply_patch(
        &next,
        vec![
            PatchOp::RemoveVerificationMethod { id: k2.id.clone() },
            PatchOp::RemoveAuthentication { id: k2.id.clone() },
            PatchOp::RemoveService { id: url(&alice, "inbox") },
            PatchOp::RemoveController { controller: bob.clone() },
        ],
    )
    .unwrap();
    assert_eq!(back, doc);
    // removing the only key leaves no key type: its context goes too
    let bare = apply_patch(
        &doc,
        vec![
            PatchOp::RemoveAuthentication { id: url(&alice, "key-1") },
            PatchOp::RemoveVerificationMethod { id: url(&alice, "key-1") },
        ],
    )
    .unwrap();
    assert_eq!(bare.context, vec![DID_CONTEXT]);

    let fails = |ops: Vec<PatchOp>| apply_patch(&doc, ops).unwrap_err();
    assert_eq!(fails(vec![]), DocumentError::EmptyPatch);
    assert_eq!(
        fails(vec![PatchOp::AddController { controller: bob.clone() }; 33]),
        DocumentError::TooMany { what: "operations in a patch", max: MAX_PATCH_OPS }
    );
    assert_eq!(
        fails(vec![PatchOp::AddVerificationMethod { method: ed_method(&alice, "key-1", 5) }]),
        DocumentError::AlreadyPresent { what: "verification method", id: format!("{alice}#key-1") }
    );
    assert_eq!(
        fails(vec![PatchOp::AddVerificationMethod { method: ed_method(&alice, "web", 5) }]),
        DocumentError::AlreadyPresent { what: "verification method", id: format!("{alice}#web") }
    );
    assert_eq!(
        fails(vec![PatchOp::RemoveVerificationMethod { id: url(&alice, "nope") }]),
        DocumentError::NotFound { what: "verification method", id: format!("{alice}#nope") }
    );
    assert_eq!(
        fails(vec![PatchOp::RemoveVerificationMethod { id: url(&alice, "key-1") }]),
        DocumentError::UnresolvedReference { id: format!("{alice}#key-1") }
    );
    assert_eq!(
        fails(vec![PatchOp::AddAuthentication { id: url(&alice, "key-1") }]),
        DocumentError::AlreadyPresent { what: "authentication reference", id: format!("{alice}#key-1") }
    );
    assert_eq!(
        fails(vec![PatchOp::AddAuthentication { id: url(&alice, "key-7") }]),
        DocumentError::UnresolvedReference { id: format!("{alice}#key-7") }
    );
    assert_eq!(
        fails(vec![PatchOp::RemoveAuthentication { id: url(&alice, "key-7") }]),
        DocumentError::NotFound { what: "authentication reference", id: format!("{alice}#key-7") }
    );
    assert_eq!(
        fails(vec![PatchOp::AddService { service: service(&alice, "web", "https://b.example") }]),
        DocumentError::AlreadyPresent { what: "service", id: format!("{alice}#web") }
    );
    assert_eq!(
        fails(vec![PatchOp::RemoveService { id: url(&alice, "nope") }]),
        DocumentError::NotFound { what: "service", id: format!("{alice}#nope") }
    );
    assert_eq!(
        fails(vec![PatchOp::AddController { controller: alice.clone() }]),
        DocumentError::AlreadyPresent { what: "controller", id: alice.to_string() }
    );
    assert_eq!(
        fails(vec![PatchOp::RemoveController { controller: bob.clone() }]),
        DocumentError::NotFound { what: "controller", id: bob.to_string() }
    );
    assert_eq!(fails(vec![PatchOp::RemoveController { controller: alice.clone() }]), DocumentError::NoController);
    // a bad key added by a patch is refused with the method's id
    let mut bad = ed_method(&alice, "key-3", 1);
    bad.public_key_multibase = Some("zzz".into());
    assert!(matches!(fails(vec![PatchOp::AddVerificationMethod { method: bad }]), DocumentError::Key { .. }));
}

#[test]
fn replace_keeps_the_id_and_recomputes_the_context() {
    let alice = did(1);
    let doc = DidDocument::new(alice.clone(), vec![alice.clone()]);
    let mut new = full_doc(&alice);
    new.context = vec!["https://example.com/other".into()];
    let replaced = apply_update(&doc, DocumentUpdate::Replace { document: new.clone() }).unwrap();
    assert_eq!(replaced, full_doc(&alice));
    let mut other = full_doc(&did(2));
    other.controller = vec![alice.clone()];
    assert_eq!(
        replace(&doc, other).unwrap_err(),
        DocumentError::IdMismatch { expected: alice.to_string(), found: did(2).to_string() }
    );
    new.controller.clear();
    assert_eq!(replace(&doc, new).unwrap_err(), DocumentError::NoController);
}

// ---------------------------------------------------------------------------------------------
// controllers across DIDs

#[test]
fn any_controller_may_update_directly_or_through_its_controllers() {
    let reg = Registry::default();
    let (alice, bob, carol, dave) = (did(1), did(2), did(3), did(4));
    let org = sub(1, "org").into_did();
    reg.set(&alice, &[alice.clone()]);
    reg.set(&org, &[bob.clone(), carol.clone()]);
    // alice's DID is controlled by alice and by the org DID (which bob and carol control)
    let controllers = vec![alice.clone(), org.clone()];
    authorize(&alice, &alice, &controllers, &reg).unwrap();
    authorize(&bob, &alice, &controllers, &reg).unwrap();
    authorize(&carol, &alice, &controllers, &reg).unwrap();
    assert_eq!(
        authorize(&dave, &alice, &controllers, &reg).unwrap_err(),
        DocumentError::Unauthorized { actor: dave.to_string(), did: alice.to_string() }
    );
    // a deactivated intermediate DID passes no control on, a deactivated actor has none
    reg.set(&bob, &[bob.clone()]);
    reg.deactivate(&org);
    assert!(matches!(authorize(&carol, &alice, &controllers, &reg), Err(DocumentError::Unauthorized { .. })));
    reg.deactivate(&bob);
    assert_eq!(
        authorize(&bob, &bob, &[bob.clone()], &reg).unwrap_err(),
        DocumentError::ActorDeactivated { actor: bob.to_string() }
    );
}

#[test]
fn controller_loops_are_refused_with_the_cycle() {
    let reg = Registry::default();
    let (a, b, c) = (did(1), did(2), did(3));
    // a self-controlled DID is no loop
    check_controller_graph(&a, &[a.clone()], CHAIN, &reg).unwrap();
    reg.set(&a, &[a.clone()]);
    reg.set(&b, &[b.clone(), a.clone()]);
    reg.set(&c, &[b.clone()]);
    // a -> c -> b -> a
    assert_eq!(
        check_controller_graph(&a, &[a.clone(), c.clone()], CHAIN, &reg).unwrap_err(),
        DocumentError::ControllerLoop { path: format!("{a} -> {c} -> {b} -> {a}") }
    );
    // a -> b -> a
    assert_eq!(
        check_controller_graph(&a, &[b.clone()], CHAIN, &reg).unwrap_err(),
        DocumentError::ControllerLoop { path: format!("{a} -> {b} -> {a}") }
    );
    // no loop through a deactivated DID (it controls nothing)
    reg.deactivate(&b);
    check_controller_graph(&a, &[a.clone(), c.clone()], CHAIN, &reg).unwrap();
}

#[test]
fn control_must_stay_with_some_account_of_this_chain() {
    let reg = Registry::default();
    let alice = did(1);
    let org = sub(1, "org").into_did();
    let web = Did::parse("did:web:example.com").unwrap();
    let elsewhere = ResourceDid::account("resource-2", &addr(1)).unwrap().into_did();
    for controllers in [vec![web.clone()], vec![elsewhere.clone()], vec![org.clone()]] {
        assert_eq!(
            check_controller_graph(&org, &controllers, CHAIN, &reg).unwrap_err(),
            DocumentError::NoUsableController,
            "{controllers:?}"
        );
    }
    check_controller_graph(&org, &[web.clone(), alice.clone()], CHAIN, &reg).unwrap();
    // through a registered DID that an account controls
    let team = sub(2, "team").into_did();
    reg.set(&team, &[did(2)]);
    check_controller_graph(&org, &[team.clone()], CHAIN, &reg).unwrap();
    reg.set(&did(2), &[did(2)]);
    reg.deactivate(&did(2));
    assert_eq!(check_controller_graph(&org, &[team], CHAIN, &reg).unwrap_err(), DocumentError::NoUsableController);
}

#[test]
fn controller_walks_are_bounded() {
    let reg = Registry::default();
    // a long chain of suffixed DIDs, each controlled by the next
    let chain: Vec<Did> = (0..40).map(|i| sub(1, &format!("n{i}")).into_did()).collect();
    for pair in chain.windows(2) {
        reg.set(&pair[0], &[pair[1].clone()]);
    }
    let me = did(9);
    assert_eq!(
        check_controller_graph(&me, &[chain[0].clone()], CHAIN, &reg).unwrap_err(),
        DocumentError::ControllerGraphTooLarge { max: MAX_CONTROLLER_GRAPH }
    );
    assert!(matches!(authorize(&did(1), &me, &[chain[0].clone()], &reg), Err(DocumentError::Unauthorized { .. })));
}

// ---------------------------------------------------------------------------------------------
// create, update, deactivate, versions

#[test]
fn create_defaults_to_the_sender_as_controller() {
    let reg = Registry::default();
    let alice = account(1);
    let doc = create_document(&alice, &alice, None, &reg).unwrap();
    assert_eq!(doc, DidDocument::new(alice.did().clone(), vec![alice.did().clone()]));
    // an input with an empty controller list gets the sender too
    let mut input = full_doc(alice.did());
    input.controller.clear();
    let doc = create_document(&alice, &alice, Some(input), &reg).unwrap();
    assert_eq!(doc, full_doc(alice.did()));
    // a suffixed DID of one's own address
    let shop = sub(1, "shop");
    assert_eq!(create_document(&shop, &alice, None, &reg).unwrap().controller, vec![alice.did().clone()]);
}

#[test]
fn create_is_refused_for_others_addresses_chains_and_existing_dids() {
    let reg = Registry::default();
    let (alice, bob) = (account(1), account(2));
    let other_chain = ResourceDid::account("resource-2", &addr(1)).unwrap();
    assert_eq!(
        create_document(&other_chain, &alice, None, &reg).unwrap_err(),
        DocumentError::WrongChain { did: other_chain.to_string(), found: "resource-2".into(), expected: CHAIN.into() }
    );
    assert_eq!(
        create_document(&bob, &alice, None, &reg).unwrap_err(),
        DocumentError::NotYourAddress { did: bob.to_string(), base: bob.to_string() }
    );
    let bobs_shop = sub(2, "shop");
    assert_eq!(
        create_document(&bobs_shop, &alice, None, &reg).unwrap_err(),
        DocumentError::NotYourAddress { did: bobs_shop.to_string(), base: bob.to_string() }
    );
    // bob's DID lists alice as a controller: now alice may create DIDs under bob's address
    reg.set(bob.did(), &[bob.did().clone(), alice.did().clone()]);
    let doc = create_document(&bobs_shop, &alice, None, &reg).unwrap();
    assert_eq!(doc.controller, vec![alice.did().clone()]);
    reg.deactivate(bob.did());
    assert_eq!(
        create_document(&bobs_shop, &alice, None, &reg).unwrap_err(),
        DocumentError::BaseDeactivated { base: bob.to_string() }
    );
    assert_eq!(
        create_document(&sub(2, "other"), &bob, None, &reg).unwrap_err(),
        DocumentError::ActorDeactivated { actor: bob.to_string() }
    );
    assert_eq!(
        create_document(&bob, &bob, None, &reg).unwrap_err(),
        DocumentError::AlreadyRegistered { did: bob.to_string() }
    );
    // the document's id must be the DID; the sender must be able to update what it creates
    let input = full_doc(bob.did());
    assert_eq!(
        create_document(&alice, &alice, Some(input), &reg).unwrap_err(),
        DocumentError::IdMismatch { expected: alice.to_string(), found: bob.to_string() }
    );
    let mut input = full_doc(alice.did());
    input.controller = vec![account(3).did().clone()];
    assert_eq!(
        create_document(&alice, &alice, Some(input), &reg).unwrap_err(),
        DocumentError::Unauthorized { actor: alice.to_string(), did: alice.to_string() }
    );
}

#[test]
fn updates_bump_the_version_and_deactivation_is_final() {
    let reg = Registry::default();
    let alice = did(1);
    let bob = did(2);
    let doc0 = DidDocument::new(alice.clone(), vec![alice.clone()]);
    let s1 = DidState::created(100);
    assert_eq!(s1, DidState { created: 100, updated: 100, version: 1, deactivated: false });
    reg.set(&alice, &[alice.clone()]);
    let patch = DocumentUpdate::Patch { ops: vec![PatchOp::AddController { controller: bob.clone() }] };
    let (doc1, s2) = update_document(&doc0, &s1, &alice, patch, CHAIN, 200, &reg).unwrap();
    assert_eq!(s2, DidState { created: 100, updated: 200, version: 2, deactivated: false });
    assert_eq!(doc1.controller, vec![alice.clone(), bob.clone()]);
    reg.set(&alice, &doc1.controller);
    // bob, now a controller, replaces the document
    let (doc2, s3) =
        update_document(&doc1, &s2, &bob, DocumentUpdate::Replace { document: full_doc(&alice) }, CHAIN, 150, &reg)
            .unwrap();
    assert_eq!(s3.version, 3);
    assert_eq!(s3.updated, 200, "updated never goes back");
    assert_eq!(doc2, full_doc(&alice));
    // carol is nobody's controller
    let carol = did(3);
    let noop = || DocumentUpdate::Patch { ops: vec![PatchOp::RemoveService { id: url(&alice, "web") }] };
    assert_eq!(
        update_document(&doc2, &s3, &carol, noop(), CHAIN, 300, &reg).unwrap_err(),
        DocumentError::Unauthorized { actor: carol.to_string(), did: alice.to_string() }
    );
    // bob replaced himself out of the controllers
    reg.set(&alice, &doc2.controller);
    assert!(matches!(deactivate_document(&doc2, &s3, &bob, 400, &reg), Err(DocumentError::Unauthorized { .. })));
    // deactivate: no keys, services or authentication left; the version is bumped once more
    let (last, s4) = deactivate_document(&doc2, &s3, &alice, 400, &reg).unwrap();
    assert_eq!(s4, DidState { created: 100, updated: 400, version: 4, deactivated: true });
    assert_eq!(last, DidDocument::new(alice.clone(), vec![alice.clone()]));
    let gone = DocumentError::Deactivated { did: alice.to_string() };
    assert_eq!(update_document(&last, &s4, &alice, noop(), CHAIN, 500, &reg).unwrap_err(), gone);
    assert_eq!(deactivate_document(&last, &s4, &alice, 500, &reg).unwrap_err(), gone);
    assert_eq!(s4.next(&alice, 500, false).unwrap_err(), gone);
    let max = DidState { version: u64::MAX, ..s3 };
    assert_eq!(max.next(&alice, 500, false).unwrap_err(), DocumentError::VersionOverflow);
    // an update whose controllers would loop is refused
    let team = sub(2, "team").into_did();
    reg.set(&team, &[alice.clone()]);
    let into_loop = DocumentUpdate::Patch { ops: vec![PatchOp::AddController { controller: team.clone() }] };
    assert_eq!(
        update_document(&doc2, &s3, &alice, into_loop, CHAIN, 300, &reg).unwrap_err(),
        DocumentError::ControllerLoop { path: format!("{alice} -> {team} -> {alice}") }
    );
}

// ---------------------------------------------------------------------------------------------
// resolution

#[test]
fn resolution_results_have_the_w3c_shape() {
    let alice = did(1);
    let doc = full_doc(&alice);
    let state = DidState { created: 1_731_536_000, updated: 1_731_536_600, version: 2, deactivated: false };
    let latest = ResolutionResult::resolved(&state, 2, 1_731_536_600, doc.clone(), None);
    // the document as written, its Ed25519 key as a Multikey
    let mut resolved_doc = doc.clone();
    resolved_doc.normalize();
    assert_eq!(resolved_doc.verification_method[0].kind, KeyType::Multikey);
    assert_eq!(latest.error_kind(), None);
    assert_eq!(latest.did_resolution_metadata.content_type.as_deref(), Some(DID_LD_JSON));
    assert_eq!(latest.did_document.as_ref(), Some(&resolved_doc));
    let m = &latest.did_document_metadata;
    assert_eq!(m.created.as_deref(), Some("2024-11-13T22:13:20Z"));
    assert_eq!(m.updated.as_deref(), Some("2024-11-13T22:23:20Z"));
    assert_eq!((m.version_id.as_deref(), m.deactivated), (Some("2"), Some(false)));
    assert_eq!((m.next_update.as_deref(), m.next_version_id.as_deref()), (None, None));
    let first = ResolutionResult::resolved(&state, 1, 1_731_536_000, doc.clone(), Some(1_731_536_600));
    let m = &first.did_document_metadata;
    assert_eq!(m.next_version_id.as_deref(), Some("2"));
    assert_eq!(m.next_update.as_deref(), Some("2024-11-13T22:23:20Z"));
    assert_eq!(ResolutionResult::resolved(&state, 3, 0, doc.clone(), None), ResolutionResult::not_found());
    assert_eq!(ResolutionResult::resolved(&state, 0, 0, doc.clone(), None), ResolutionResult::not_found());
    // deactivated: not an error (DID Core §7.1.3, the did-test-suite's deactivatedOutcome): the
    // final document with `deactivated: true` and a content type; earlier versions still resolve
    let gone = DidState { version: 3, deactivated: true, ..state };
    let (last, _) = deactivate_document(&doc, &state, &alice, 1_731_537_000, &Registry::default()).unwrap();
    let r = ResolutionResult::resolved(&gone, 3, 1_731_537_000, last.clone(), None);
    assert_eq!(r.error_kind(), None);
    assert_eq!(r.did_document.as_ref(), Some(&last));
    assert!(last.verification_method.is_empty() && last.authentication.is_empty() && last.service.is_empty());
    assert_eq!(r.did_document_metadata.deactivated, Some(true));
    assert_eq!(r.did_resolution_metadata.content_type.as_deref(), Some(DID_LD_JSON));
    let old = ResolutionResult::resolved(&gone, 2, 1_731_536_600, doc.clone(), Some(1_731_537_000));
    assert_eq!(old.error_kind(), None);
    assert_eq!(old.did_document_metadata.deactivated, Some(true));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["didDocumentMetadata"]["deactivated"], true);
    assert_eq!(json["didResolutionMetadata"], serde_json::json!({ "contentType": "application/did+ld+json" }));
    assert_eq!(json["didDocument"]["id"], alice.as_str());

    let json = serde_json::to_value(&latest).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "@context": "https://w3id.org/did-resolution/v1",
            "didDocument": serde_json::to_value(&resolved_doc).unwrap(),
            "didDocumentMetadata": {
                "created": "2024-11-13T22:13:20Z",
                "updated": "2024-11-13T22:23:20Z",
                "versionId": "2",
                "deactivated": false
            },
            "didResolutionMetadata": { "contentType": "application/did+ld+json" }
        })
    );
    for (error, name) in [
        (ResolutionError::NotFound, "notFound"),
        (ResolutionError::InvalidDid, "invalidDid"),
        (ResolutionError::InvalidDidUrl, "invalidDidUrl"),
        (ResolutionError::MethodNotSupported, "methodNotSupported"),
        (ResolutionError::RepresentationNotSupported, "representationNotSupported"),
        (ResolutionError::InternalError, "internalError"),
    ] {
        let result = ResolutionResult::failure(error);
        let json = serde_json::to_value(&result).unwrap();
        // unsuccessful: an error and nothing else, no document, empty document metadata
        assert_eq!(json["didResolutionMetadata"], serde_json::json!({ "error": name }));
        assert_eq!(json["didDocument"], serde_json::Value::Null);
        assert_eq!(json["didDocumentMetadata"], serde_json::json!({}));
        let back: ResolutionResult = serde_json::from_value(json).unwrap();
        assert_eq!(back, result);
    }
}

// ---------------------------------------------------------------------------------------------
// serde

#[test]
fn documents_round_trip_through_json_in_the_did_core_shape() {
    let alice = did(1);
    let mut doc = full_doc(&alice);
    doc.verification_method.push(VerificationMethod::jwk(
        url(&alice, "jwk"),
        KeyType::JsonWebKey2020,
        alice.clone(),
        Jwk::ec("P-256", &[4; 32], &[5; 32]),
    ));
    doc.service.push(Service {
        id: url(&alice, "many"),
        kind: "DIDCommMessaging".into(),
        service_endpoint: ServiceEndpoint::Set(vec!["https://a.example".into(), "https://b.example".into()]),
    });
    doc.normalize();
    check_document(&doc).unwrap();
    let json = serde_json::to_value(&doc).unwrap();
    assert_eq!(json["@context"][0], DID_CONTEXT);
    assert_eq!(json["@context"][1], "https://w3id.org/security/multikey/v1");
    assert_eq!(json["@context"][2], "https://w3id.org/security/suites/jws-2020/v1");
    assert_eq!(json["id"], alice.as_str());
    assert_eq!(json["controller"], serde_json::json!([alice.as_str()]));
    assert_eq!(json["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(json["verificationMethod"][0]["publicKeyMultibase"], ed25519_key(1));
    assert_eq!(json["verificationMethod"][1]["publicKeyJwk"]["kty"], "EC");
    assert!(json["verificationMethod"][1]["publicKeyJwk"].get("d").is_none());
    assert_eq!(json["authentication"], serde_json::json!([format!("{alice}#key-1")]));
    assert_eq!(json["service"][0]["serviceEndpoint"], "https://shop.example.com");
    assert_eq!(json["service"][1]["serviceEndpoint"][1], "https://b.example");
    let back: DidDocument = serde_json::from_value(json).unwrap();
    assert_eq!(back, doc);
    // empty lists are left out
    let bare = DidDocument::new(alice.clone(), vec![alice.clone()]);
    let text = serde_json::to_string(&bare).unwrap();
    assert_eq!(text, format!(r#"{{"@context":["{DID_CONTEXT}"],"id":"{alice}","controller":["{alice}"]}}"#));
}

#[test]
fn the_did_core_example_document_parses() {
    // DID Core 1.0, Example 1 and the verification method examples (string controller, string
    // @context), with a key in today's multicodec form.
    let text = r#"{
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/ed25519-2020/v1"],
        "id": "did:example:123456789abcdefghi",
        "controller": "did:example:bcehfew7h32f32h7af3",
        "verificationMethod": [{
            "id": "did:example:123456789abcdefghi#key-1",
            "type": "Ed25519VerificationKey2020",
            "controller": "did:example:123456789abcdefghi",
            "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        }],
        "authentication": ["did:example:123456789abcdefghi#key-1"],
        "service": [{
            "id": "did:example:123456789abcdefghi#linked-domain",
            "type": "LinkedDomains",
            "serviceEndpoint": "https://bar.example.com"
        }]
    }"#;
    let doc: DidDocument = serde_json::from_str(text).unwrap();
    assert_eq!(doc.controller, vec![Did::parse("did:example:bcehfew7h32f32h7af3").unwrap()]);
    check_document(&doc).unwrap();
    let string_context: DidDocument = serde_json::from_str(
        r#"{"@context": "https://www.w3.org/ns/did/v1", "id": "did:example:1", "controller": []}"#,
    )
    .unwrap();
    assert_eq!(string_context.context, vec![DID_CONTEXT]);
    // syntax errors surface from deserialization with the DidError text; unknown fields are named
    let err = serde_json::from_str::<DidDocument>(r#"{"id": "did:Example:1"}"#).unwrap_err().to_string();
    assert!(err.contains("'E' at index 4"), "{err}");
    let err =
        serde_json::from_str::<DidDocument>(r#"{"id": "did:example:1", "alsoKnownAs": []}"#).unwrap_err().to_string();
    assert!(err.contains("alsoKnownAs"), "{err}");
    let err = serde_json::from_str::<VerificationMethod>(
        r#"{"id": "did:example:1#k", "type": "RsaVerificationKey2018", "controller": "did:example:1"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("RsaVerificationKey2018"), "{err}");
}

#[test]
fn updates_round_trip_through_json() {
    let alice = did(1);
    let update = DocumentUpdate::Patch {
        ops: vec![
            PatchOp::AddVerificationMethod { method: ed_method(&alice, "key-2", 2) },
            PatchOp::AddAuthentication { id: url(&alice, "key-2") },
            PatchOp::RemoveService { id: url(&alice, "web") },
            PatchOp::AddController { controller: did(2) },
            PatchOp::RemoveController { controller: did(3) },
            PatchOp::RemoveVerificationMethod { id: url(&alice, "key-1") },
            PatchOp::RemoveAuthentication { id: url(&alice, "key-1") },
            PatchOp::AddService { service: service(&alice, "x", "https://x.example") },
        ],
    };
    let json = serde_json::to_value(&update).unwrap();
    assert_eq!(json["patch"]["ops"][3], serde_json::json!({ "add_controller": { "controller": did(2).as_str() } }));
    assert_eq!(serde_json::from_value::<DocumentUpdate>(json).unwrap(), update);
    let replace = DocumentUpdate::Replace { document: full_doc(&alice) };
    let json = serde_json::to_string(&replace).unwrap();
    assert!(json.starts_with(r#"{"replace":{"document":{"@context""#), "{json}");
    assert_eq!(serde_json::from_str::<DocumentUpdate>(&json).unwrap(), replace);
}

#[test]
fn resolve_requests_take_a_did_or_a_did_url_with_version_and_fragment() {
    let alice = account(1);
    let r = ResolveRequest::parse(alice.did().as_str()).unwrap();
    assert_eq!((r.did(), r.version_id, r.fragment.as_deref()), (alice.did(), None, None));
    let r = ResolveRequest::parse(&format!("{alice}?versionId=3#key-1")).unwrap();
    assert_eq!((r.did(), r.version_id, r.fragment.as_deref()), (alice.did(), Some(3), Some("key-1")));
    let r = ResolveRequest::parse(&format!("{alice}?service=files&relativeRef=%2Fresume%20v2.pdf")).unwrap();
    assert_eq!((r.service.as_deref(), r.relative_ref.as_deref()), (Some("files"), Some("/resume v2.pdf")));
    assert!(r.is_dereference());
    let r = ResolveRequest::parse(&format!("{alice}?versionId=1&service=x")).unwrap();
    assert_eq!((r.version_id, r.service.as_deref()), (Some(1), Some("x")));
    for (bad, error) in [
        ("".to_string(), ResolutionError::InvalidDid),
        ("did:resource:resource-1".into(), ResolutionError::InvalidDid),
        (format!("did:resource:resource-1:{}", addr(1).to_uppercase()), ResolutionError::InvalidDid),
        (format!("{alice}/path"), ResolutionError::NotFound),
        (format!("{alice}?versionId="), ResolutionError::InvalidDidUrl),
        (format!("{alice}?versionId=x1"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?versionId=+1"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?versionId=18446744073709551616"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?versionId=1&versionId=2"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?versionTime=2024-01-01T00:00:00Z"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?service=a&service=b"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?service="), ResolutionError::InvalidDidUrl),
        (format!("{alice}?service"), ResolutionError::InvalidDidUrl),
        (format!("{alice}?service=%zz"), ResolutionError::InvalidDid), // not a DID URL at all
        (format!("{alice}?relativeRef=/x"), ResolutionError::InvalidDidUrl),
    ] {
        assert_eq!(ResolveRequest::parse(&bad).unwrap_err(), error, "{bad}");
    }
    assert_eq!(ResolveRequest::parse("did:web:example.com").unwrap_err(), ResolutionError::MethodNotSupported);
}

#[test]
fn a_did_resource_controller_with_an_upper_case_address_is_refused() {
    let alice = did(1);
    let upper = Did::parse(&format!("did:resource:{CHAIN}:{}", addr(2).to_uppercase())).unwrap();
    for doc in [
        {
            let mut d = full_doc(&alice);
            d.controller.push(upper.clone());
            d
        },
        {
            let mut d = full_doc(&alice);
            d.verification_method[0].controller = upper.clone();
            d
        },
    ] {
        let err = check_document(&doc).unwrap_err();
        assert!(matches!(&err, DocumentError::ControllerDid { controller, .. } if *controller == upper.to_string()));
        assert!(err.to_string().contains("lowercase"), "{err}");
    }
    // other methods keep their own rules
    let mut d = full_doc(&alice);
    d.controller.push(Did::parse("did:web:Example.com").unwrap());
    check_document(&d).unwrap();
}
