//! Resolution and dereferencing results against the rules of W3C DID Core 1.0 §7.1 / §7.2 and
//! DID Resolution, as the W3C did-test-suite (`did-resolution.js`, `did-url-dereferencing.js`)
//! checks them, for every input the generators reach.

use bech32::{Bech32, Hrp};
use proptest::prelude::*;
use resource_core::did::*;
use serde_json::Value;

const CHAIN: &str = "resource-1";

fn account(seed: u8) -> Did {
    let address = bech32::encode::<Bech32>(Hrp::parse("inj").unwrap(), &[seed; 20]).unwrap();
    ResourceDid::account(CHAIN, &address).unwrap().into_did()
}

fn secp_key(seed: u8) -> String {
    let mut k = [seed; 33];
    k[0] = 0x02 | (seed & 1);
    encode_multibase_key(KeyCodec::Secp256k1, &k)
}

/// A document with `keys` secp256k1 keys given in the legacy type (as wallets still write them),
/// one Ed25519 key in its 2020 type and the services `fragment -> endpoint`.
fn document(owner: &Did, keys: u8, services: &[(&str, &str)]) -> DidDocument {
    let mut doc = DidDocument::new(owner.clone(), vec![owner.clone()]);
    for i in 0..keys {
        doc.verification_method.push(VerificationMethod::multibase(
            owner.with_fragment(&format!("k{i}")).unwrap(),
            KeyType::EcdsaSecp256k1VerificationKey2019,
            owner.clone(),
            secp_key(i),
        ));
    }
    doc.verification_method.push(VerificationMethod::multibase(
        owner.with_fragment("ed").unwrap(),
        KeyType::Ed25519VerificationKey2020,
        owner.clone(),
        encode_multibase_key(KeyCodec::Ed25519, &[7; 32]),
    ));
    for (fragment, endpoint) in services {
        doc.service.push(Service {
            id: owner.with_fragment(fragment).unwrap(),
            kind: "LinkedDomains".into(),
            service_endpoint: ServiceEndpoint::Uri((*endpoint).into()),
        });
    }
    doc.normalize_context();
    doc
}

const ERROR_KEYWORDS: [&str; 6] =
    ["invalidDid", "invalidDidUrl", "notFound", "methodNotSupported", "representationNotSupported", "internalError"];

/// The did-test-suite's checks of one `resolve` result, as JSON.
fn assert_conformant_resolution(json: &Value, did: &str) {
    let metadata = json["didResolutionMetadata"].as_object().expect("didResolutionMetadata is a map");
    let document_metadata = json["didDocumentMetadata"].as_object().expect("didDocumentMetadata is a map");
    assert_eq!(json["@context"], RESOLUTION_CONTEXT);
    match metadata.get("error") {
        Some(error) => {
            // unsuccessful: one registered keyword, no document, empty metadata, no content type
            let error = error.as_str().expect("the error is a string");
            assert!(ERROR_KEYWORDS.contains(&error), "{error} is a registered error keyword");
            assert!(json["didDocument"].is_null());
            assert!(document_metadata.is_empty(), "{document_metadata:?}");
            assert_eq!(metadata.len(), 1, "{metadata:?}");
        }
        None => {
            // successful: the content type of the document carried, in the resolution metadata only
            assert_eq!(metadata.get("contentType").and_then(Value::as_str), Some(DID_LD_JSON));
            assert!(!document_metadata.contains_key("contentType"));
            let document = json["didDocument"].as_object().expect("a successful resolution has a document");
            assert_eq!(document["id"], did.split(['?', '#']).next().unwrap());
            assert_eq!(document["@context"][0], DID_CONTEXT);
            for key in [&document_metadata["created"], &document_metadata["updated"]] {
                let text = key.as_str().unwrap();
                assert!(text.len() == 20 && text.ends_with('Z') && text.as_bytes()[10] == b'T', "{text}");
            }
            assert!(document_metadata["deactivated"].is_boolean());
            assert!(document_metadata["versionId"].is_string());
            // every multibase key in a type whose context defines publicKeyMultibase
            let contexts = document["@context"].as_array().unwrap();
            for method in document.get("verificationMethod").and_then(Value::as_array).into_iter().flatten() {
                if method.get("publicKeyMultibase").is_some() {
                    assert_eq!(method["type"], "Multikey", "{method}");
                    assert!(contexts.contains(&Value::from("https://w3id.org/security/multikey/v1")));
                }
            }
        }
    }
}

#[test]
fn the_old_shapes_are_gone() {
    // Before: a deactivated DID was an error `deactivated` with metadata, and its document null.
    let alice = account(1);
    let state = DidState { created: 10, updated: 30, version: 3, deactivated: true };
    let last = DidDocument::new(alice.clone(), vec![alice.clone()]);
    let json = serde_json::to_value(ResolutionResult::resolved(&state, 3, 30, last, None)).unwrap();
    assert_conformant_resolution(&json, alice.as_str());
    assert_eq!(json["didDocumentMetadata"]["deactivated"], true);
    assert!(json["didResolutionMetadata"].get("error").is_none());
    // Before: secp256k1 multibase keys came out as EcdsaSecp256k1VerificationKey2019, whose context
    // defines no publicKeyMultibase, so JSON-LD processors and DID libraries dropped them.
    let doc = document(&alice, 1, &[]);
    let state = DidState { deactivated: false, ..state };
    let json = serde_json::to_value(ResolutionResult::resolved(&state, 1, 10, doc, Some(20))).unwrap();
    assert_conformant_resolution(&json, alice.as_str());
    assert_eq!(json["didDocument"]["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(json["didDocument"]["verificationMethod"][0]["publicKeyMultibase"], secp_key(0));
    // Before: `?service=` was `invalidDid`.
    assert!(ResolveRequest::parse(&format!("{alice}?service=shop")).is_ok());
}

#[test]
fn service_urls_dereference_to_the_endpoint() {
    let alice = account(2);
    let doc = document(&alice, 1, &[("shop", "https://shop.example.com/a/"), ("files", "https://files.example")]);
    let state = DidState { created: 10, updated: 10, version: 1, deactivated: false };
    let resolve = || ResolutionResult::resolved(&state, 1, 10, doc.clone(), None);
    let deref = |url: String| dereference(&ResolveRequest::parse(&url).unwrap(), resolve());
    let r = deref(format!("{alice}?service=files&relativeRef=%2Fresume.pdf"));
    assert_eq!(r.dereferencing_metadata.content_type.as_deref(), Some(URI_LIST));
    assert_eq!(r.content_stream, Some(Content::Url("https://files.example/resume.pdf".into())));
    assert_eq!(r.content_metadata.version_id.as_deref(), Some("1"));
    // DID Core 1.0 Example 9: relativeRef and fragment both apply
    let r = deref(format!("{alice}?service=shop&relativeRef=credentials#degree"));
    assert_eq!(r.content_stream, Some(Content::Url("https://shop.example.com/a/credentials#degree".into())));
    let r = deref(format!("{alice}?service=shop"));
    assert_eq!(r.content_stream, Some(Content::Url("https://shop.example.com/a/".into())));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["contentStream"], "https://shop.example.com/a/");
    assert_eq!(json["dereferencingMetadata"], serde_json::json!({ "contentType": "text/uri-list" }));
    // fragments select a verification method or a service; a plain DID gives the document
    let r = deref(format!("{alice}#k0"));
    let Some(Content::VerificationMethod(m)) = r.content_stream else { panic!("{r:?}") };
    assert_eq!(m.kind, KeyType::Multikey);
    let r = deref(format!("{alice}#shop"));
    assert!(matches!(r.content_stream, Some(Content::Service(_))));
    let r = deref(alice.to_string());
    assert_eq!(r.dereferencing_metadata.content_type.as_deref(), Some(DID_LD_JSON));
    assert!(matches!(r.content_stream, Some(Content::Document(_))));
    // what is not there is notFound, with nothing else; a relativeRef may not leave the host
    for (url, error) in [
        (format!("{alice}?service=nope"), ResolutionError::NotFound),
        (format!("{alice}#nope"), ResolutionError::NotFound),
        (format!("{alice}?service=shop&relativeRef=%2F%2Fevil.example"), ResolutionError::InvalidDidUrl),
    ] {
        let r = deref(url.clone());
        assert_eq!(r, DereferencingResult::failure(error), "{url}");
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["contentStream"].is_null());
        assert_eq!(json["contentMetadata"], serde_json::json!({}));
    }
    // a failed resolution fails the dereference the same way
    let r =
        dereference(&ResolveRequest::parse(&format!("{alice}?service=shop")).unwrap(), ResolutionResult::not_found());
    assert_eq!(r.error_kind(), Some(ResolutionError::NotFound));
    // every content kind reads back from its JSON as itself
    for url in [format!("{alice}#k0"), format!("{alice}#shop"), format!("{alice}?service=shop"), alice.to_string()] {
        let r = deref(url.clone());
        let back: DereferencingResult = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        assert_eq!(back, r, "{url}");
    }
}

proptest! {
    /// Every resolution of every version of a DID, active or deactivated, has the conformant shape.
    #[test]
    fn every_resolution_result_is_conformant(
        keys in 0u8..4,
        latest in 1u64..6,
        asked in 0u64..8,
        deactivated: bool,
        created in 0u64..4_000_000_000,
        step in 0u64..1_000_000,
    ) {
        let alice = account(3);
        let state = DidState { created, updated: created + step * latest, version: latest, deactivated };
        let doc = if deactivated && asked == latest {
            DidDocument::new(alice.clone(), vec![alice.clone()])
        } else {
            document(&alice, keys, &[("shop", "https://shop.example")])
        };
        let time = created + step * asked.saturating_sub(1);
        let next = (asked < latest).then_some(time + step);
        let result = ResolutionResult::resolved(&state, asked, time, doc, next);
        let json = serde_json::to_value(&result).unwrap();
        assert_conformant_resolution(&json, alice.as_str());
        let found = asked >= 1 && asked <= latest;
        prop_assert_eq!(result.error_kind().is_none(), found);
        if found {
            prop_assert_eq!(&json["didDocumentMetadata"]["deactivated"], &Value::from(deactivated));
            prop_assert_eq!(json["didDocumentMetadata"].get("nextVersionId").is_some(), asked < latest);
        }
        prop_assert_eq!(serde_json::from_value::<ResolutionResult>(json).unwrap(), result);
    }

    /// Whatever string is asked for, the request parser answers (never panics) and what it refuses
    /// becomes a conformant failure.
    #[test]
    fn every_refused_input_is_a_conformant_failure(
        query in prop::collection::vec(
            (prop::sample::select(vec!["versionId", "service", "relativeRef", "versionTime", "hl", ""]),
             "[a-z0-9%/.]{0,6}"),
            0..4),
        fragment in prop::option::of("[a-z0-9]{0,4}"),
        noise in ".{0,12}",
        use_noise: bool,
    ) {
        let alice = account(4);
        let input = if use_noise {
            noise
        } else {
            let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let mut s = alice.to_string();
            if !q.is_empty() {
                s.push('?');
                s.push_str(&q.join("&"));
            }
            if let Some(f) = fragment {
                s.push('#');
                s.push_str(&f);
            }
            s
        };
        match ResolveRequest::parse(&input) {
            Ok(request) => prop_assert_eq!(request.did(), &alice),
            Err(error) => {
                let json = serde_json::to_value(ResolutionResult::failure(error)).unwrap();
                assert_conformant_resolution(&json, &input);
                let json = serde_json::to_value(DereferencingResult::failure(error)).unwrap();
                prop_assert!(json["contentStream"].is_null());
                prop_assert_eq!(&json["contentMetadata"], &serde_json::json!({}));
            }
        }
    }

    /// `?service=<fragment>` of any service in the document dereferences to its endpoint; any
    /// other fragment is notFound.
    #[test]
    fn every_service_dereferences_to_its_endpoint(
        services in prop::collection::btree_map("[a-z]{1,6}", "[a-z]{1,8}", 1..5),
        probe in "[a-z]{1,6}",
    ) {
        let alice = account(5);
        let endpoints: Vec<(String, String)> =
            services.iter().map(|(f, host)| (f.clone(), format!("https://{host}.example/x"))).collect();
        let pairs: Vec<(&str, &str)> = endpoints.iter().map(|(f, e)| (f.as_str(), e.as_str())).collect();
        let doc = document(&alice, 1, &pairs);
        let state = DidState { created: 1, updated: 1, version: 1, deactivated: false };
        let resolution = ResolutionResult::resolved(&state, 1, 1, doc, None);
        for (fragment, endpoint) in &endpoints {
            let request = ResolveRequest::parse(&format!("{alice}?service={fragment}")).unwrap();
            let r = dereference(&request, resolution.clone());
            prop_assert_eq!(r.content_stream, Some(Content::Url(endpoint.clone())));
        }
        let request = ResolveRequest::parse(&format!("{alice}?service={probe}")).unwrap();
        let r = dereference(&request, resolution);
        match endpoints.iter().find(|(f, _)| *f == probe) {
            Some((_, e)) => prop_assert_eq!(r.content_stream, Some(Content::Url(e.clone()))),
            None => prop_assert_eq!(r, DereferencingResult::failure(ResolutionError::NotFound)),
        }
    }
}
