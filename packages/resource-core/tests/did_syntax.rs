//! DID and DID URL syntax against the DID Core ABNF (examples from the DID Core specification and
//! RFC 3986 edge cases), the did:resource method's own checks, and parse/display round trips.

use bech32::{Bech32, Hrp};
use proptest::prelude::*;
use resource_core::did::{is_account_did, Did, DidError, DidUrl, ResourceDid, Segment, UrlPart};

fn address(hrp: &str, bytes: &[u8]) -> String {
    bech32::encode::<Bech32>(Hrp::parse(hrp).unwrap(), bytes).unwrap()
}

#[test]
fn did_core_examples_parse_and_print_unchanged() {
    let dids = [
        "did:example:123456789abcdefghi",
        "did:example:123456789abcdefghijk",
        "did:web:w3c-ccg.github.io:user:alice",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:ethr:0xb9c5714089478a327f09197987f16f9e5d936e8a",
        "did:example:a%20b%2F",
        "did:example::a",
        "did:example:a::b",
        "did:3:Z_.-",
    ];
    for s in dids {
        let did = Did::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(did.to_string(), s);
        assert_eq!(DidUrl::parse(s).unwrap().to_string(), s);
    }
    let did = Did::parse("did:web:w3c-ccg.github.io:user:alice").unwrap();
    assert_eq!((did.method(), did.method_specific_id()), ("web", "w3c-ccg.github.io:user:alice"));
}

#[test]
fn did_urls_split_into_path_query_and_fragment() {
    // (url, path, query, fragment)
    let cases: [(&str, &str, Option<&str>, Option<&str>); 9] = [
        ("did:example:123456789abcdefghi#key-1", "", None, Some("key-1")),
        ("did:example:123/path/to/resource", "/path/to/resource", None, None),
        ("did:example:123?versionId=1", "", Some("versionId=1"), None),
        (
            "did:example:123?service=agent&relativeRef=/credentials#degree",
            "",
            Some("service=agent&relativeRef=/credentials"),
            Some("degree"),
        ),
        ("did:example:123/", "/", None, None),
        ("did:example:123?", "", Some(""), None),
        ("did:example:123#", "", None, Some("")),
        ("did:example:123//a/:@!$&'()*+,;=~%41?q/?#f/?:@", "//a/:@!$&'()*+,;=~%41", Some("q/?"), Some("f/?:@")),
        ("did:example:123?a=1?b#x?y/z", "", Some("a=1?b"), Some("x?y/z")),
    ];
    for (s, path, query, fragment) in cases {
        let url = DidUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!((url.path(), url.query(), url.fragment()), (path, query, fragment), "{s}");
        assert_eq!(url.did().as_str(), s.split(['/', '?', '#']).next().unwrap());
        assert_eq!(url.to_string(), s);
    }
    let url = DidUrl::parse("did:example:123?service=agent&versionId=4").unwrap();
    assert_eq!(url.query_param("versionId"), Some("4"));
    assert_eq!(url.query_param("versionTime"), None);
}

#[test]
fn invalid_dids_name_the_offending_index_and_character() {
    let cases: Vec<(&str, DidError)> = vec![
        ("", DidError::Scheme),
        ("did", DidError::Scheme),
        ("DID:example:123", DidError::Scheme),
        ("urn:example:123", DidError::Scheme),
        ("did:", DidError::EmptyMethod),
        ("did::123", DidError::EmptyMethod),
        ("did:Example:123", DidError::MethodChar { index: 4, character: 'E' }),
        ("did:ex-ample:123", DidError::MethodChar { index: 6, character: '-' }),
        ("did:ex#1", DidError::MethodChar { index: 6, character: '#' }),
        ("did:example", DidError::MissingMethodSpecificId),
        ("did:example:", DidError::EmptyMethodSpecificId),
        ("did:example:#frag", DidError::EmptyMethodSpecificId),
        ("did:example:123:", DidError::TrailingColon { index: 15 }),
        ("did:example:a::", DidError::TrailingColon { index: 14 }),
        ("did:example:12 3", DidError::IdChar { index: 14, character: ' ' }),
        ("did:example:ab!c", DidError::IdChar { index: 14, character: '!' }),
        ("did:example:ab~c", DidError::IdChar { index: 14, character: '~' }),
        ("did:example:é", DidError::IdChar { index: 12, character: 'é' }),
        ("did:example:%G1", DidError::PercentEncoding { index: 12 }),
        ("did:example:abc%4", DidError::PercentEncoding { index: 15 }),
        ("did:example:abc%", DidError::PercentEncoding { index: 15 }),
        ("did:example:123/pa th", DidError::UrlChar { part: UrlPart::Path, index: 18, character: ' ' }),
        ("did:example:123/a%zz", DidError::PercentEncoding { index: 17 }),
        ("did:example:123?q=[x]", DidError::UrlChar { part: UrlPart::Query, index: 18, character: '[' }),
        ("did:example:123?q=\"", DidError::UrlChar { part: UrlPart::Query, index: 18, character: '"' }),
        ("did:example:123#frag#more", DidError::UrlChar { part: UrlPart::Fragment, index: 20, character: '#' }),
        ("did:example:123#a b", DidError::UrlChar { part: UrlPart::Fragment, index: 17, character: ' ' }),
        ("did:example:123#%", DidError::PercentEncoding { index: 16 }),
    ];
    for (s, expected) in cases {
        assert_eq!(DidUrl::parse(s).unwrap_err(), expected, "{s}");
        assert!(Did::parse(s).is_err(), "{s}");
        assert!(!expected.to_string().is_empty());
    }
    assert_eq!(
        Did::parse("did:example:123#key").unwrap_err(),
        DidError::NotPlainDid { part: UrlPart::Fragment, index: 15 }
    );
    assert_eq!(Did::parse("did:example:123/p").unwrap_err(), DidError::NotPlainDid { part: UrlPart::Path, index: 15 });
    assert_eq!(
        Did::parse("did:example:123?v=1").unwrap_err(),
        DidError::NotPlainDid { part: UrlPart::Query, index: 15 }
    );
    let msg = DidError::MethodChar { index: 4, character: 'E' }.to_string();
    assert!(msg.contains("'E' at index 4") && msg.contains("lowercase"), "{msg}");
}

#[test]
fn fragments_build_verification_method_ids() {
    let did = Did::parse("did:example:123").unwrap();
    let url = did.with_fragment("key-1").unwrap();
    assert_eq!(url.to_string(), "did:example:123#key-1");
    assert_eq!(url.fragment_of(&did), Some("key-1"));
    assert_eq!(url.fragment_of(&Did::parse("did:example:1234").unwrap()), None);
    assert_eq!(DidUrl::parse("did:example:123/p#key-1").unwrap().fragment_of(&did), None);
    assert_eq!(DidUrl::parse("did:example:123?x#key-1").unwrap().fragment_of(&did), None);
    assert!(matches!(did.with_fragment(""), Err(DidError::Fragment { .. })));
    assert!(matches!(did.with_fragment("a#b"), Err(DidError::UrlChar { part: UrlPart::Fragment, .. })));
    assert_eq!(DidUrl::from(did.clone()).to_string(), "did:example:123");
}

#[test]
fn resource_dids_check_chain_address_and_suffix() {
    let alice = address("inj", &[7u8; 20]);
    let contract = address("cosmwasm", &[9u8; 32]);
    let d = ResourceDid::parse(&format!("did:resource:resource-1:{alice}")).unwrap();
    assert_eq!((d.chain_id(), d.address(), d.suffix(), d.is_account()), ("resource-1", alice.as_str(), None, true));
    assert_eq!(d.to_string(), format!("did:resource:resource-1:{alice}"));
    let s = ResourceDid::parse(&format!("did:resource:osmo_test.5:{contract}:store-2.A")).unwrap();
    assert_eq!((s.suffix(), s.is_account()), (Some("store-2.A"), false));
    assert_eq!(s.account_did(), ResourceDid::account("osmo_test.5", &contract).unwrap());
    assert_eq!(s.account_did().to_string(), format!("did:resource:osmo_test.5:{contract}"));
    assert_eq!(ResourceDid::new("osmo_test.5", &contract, Some("store-2.A")).unwrap(), s);
    assert!(is_account_did(d.did(), "resource-1"));
    assert!(!is_account_did(d.did(), "resource-2"));
    assert!(!is_account_did(s.did(), "osmo_test.5"));
    assert!(!is_account_did(&Did::parse("did:example:1").unwrap(), "resource-1"));

    let long_chain = "c".repeat(51);
    let bad_checksum = {
        let mut a = alice.clone();
        let last = a.pop().unwrap();
        a.push(if last == 'q' { 'p' } else { 'q' });
        a
    };
    let upper = alice.to_uppercase();
    let cases: Vec<(String, DidError)> = vec![
        (format!("did:example:resource-1:{alice}"), DidError::WrongMethod { method: "example".into() }),
        ("did:resource:resource-1".into(), DidError::Segments { found: 1 }),
        (format!("did:resource:a:{alice}:s:t"), DidError::Segments { found: 4 }),
        (format!("did:resource::{alice}"), DidError::EmptySegment { segment: Segment::ChainId }),
        ("did:resource:x::s".into(), DidError::EmptySegment { segment: Segment::Address }),
        (
            format!("did:resource:{long_chain}:{alice}"),
            DidError::SegmentTooLong { segment: Segment::ChainId, len: 51, max: 50 },
        ),
        (
            format!("did:resource:res%41-1:{alice}"),
            DidError::SegmentChar { segment: Segment::ChainId, index: 16, character: '%' },
        ),
        (
            format!("did:resource:resource-1:{upper}"),
            DidError::SegmentChar { segment: Segment::Address, index: 24, character: 'I' },
        ),
        (
            format!("did:resource:resource-1:{alice}:{}", "s".repeat(65)),
            DidError::SegmentTooLong { segment: Segment::Suffix, len: 65, max: 64 },
        ),
        (
            format!("did:resource:resource-1:{alice}:a%20b"),
            DidError::SegmentChar { segment: Segment::Suffix, index: 25 + alice.len() + 1, character: '%' },
        ),
        (
            "did:resource:resource-1:injabc".into(),
            DidError::Bech32 { address: "injabc".into(), reason: "it has no `1` separator" },
        ),
        (
            "did:resource:resource-1:1qqqqqq".into(),
            DidError::Bech32 { address: "1qqqqqq".into(), reason: "the prefix before `1` is empty" },
        ),
        (
            format!("did:resource:resource-1:{bad_checksum}"),
            DidError::Bech32 {
                address: bad_checksum.clone(),
                reason: "the checksum does not match (a typo?) or it is too short",
            },
        ),
        (
            format!("did:resource:resource-1:{}", address("inj", &[])),
            DidError::Bech32 { address: address("inj", &[]), reason: "it must encode 1 to 64 bytes" },
        ),
        (
            format!("did:resource:resource-1:{}", address("inj", &[1; 65])),
            DidError::Bech32 { address: address("inj", &[1; 65]), reason: "it must encode 1 to 64 bytes" },
        ),
    ];
    for (s, expected) in cases {
        assert_eq!(ResourceDid::parse(&s).unwrap_err(), expected, "{s}");
    }
    // A bech32m string (another checksum constant) is not a Cosmos address.
    let m = bech32::encode::<bech32::Bech32m>(Hrp::parse("inj").unwrap(), &[7u8; 20]).unwrap();
    assert!(matches!(ResourceDid::account("resource-1", &m), Err(DidError::Bech32 { .. })));
    // `new` checks each part where `parse` would see it: a colon cannot smuggle in a segment.
    assert_eq!(
        ResourceDid::new("a:b", &alice, None).unwrap_err(),
        DidError::SegmentChar { segment: Segment::ChainId, index: 14, character: ':' }
    );
    assert!(DidError::SegmentChar { segment: Segment::Address, index: 3, character: 'I' }
        .to_string()
        .contains("lowercase bech32"));
}

fn idchar() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Za-z0-9._-]",
        1 => "%[0-9A-Fa-f]{2}",
    ]
}

fn method_specific_id() -> impl Strategy<Value = String> {
    (prop::collection::vec(prop::collection::vec(idchar(), 0..4), 0..3), prop::collection::vec(idchar(), 1..8))
        .prop_map(|(segments, last)| {
            let mut out = String::new();
            for s in segments {
                out.push_str(&s.concat());
                out.push(':');
            }
            out.push_str(&last.concat());
            out
        })
}

fn did_string() -> impl Strategy<Value = String> {
    ("[a-z0-9]{1,8}", method_specific_id()).prop_map(|(m, id)| format!("did:{m}:{id}"))
}

fn url_chars(extra: &'static str) -> impl Strategy<Value = String> {
    let plain = format!("[A-Za-z0-9._~!$&'()*+,;=:@{extra}-]");
    let plain = proptest::string::string_regex(&plain).unwrap();
    prop::collection::vec(prop_oneof![8 => plain, 1 => "%[0-9A-F]{2}"], 0..10).prop_map(|v| v.concat())
}

fn did_url_string() -> impl Strategy<Value = String> {
    (
        did_string(),
        prop::collection::vec(url_chars(""), 0..3),
        prop::option::of(url_chars("/?")),
        prop::option::of(url_chars("/?")),
    )
        .prop_map(|(did, segments, query, fragment)| {
            let mut s = did;
            for seg in segments {
                s.push('/');
                s.push_str(&seg);
            }
            if let Some(q) = query {
                s.push('?');
                s.push_str(&q);
            }
            if let Some(f) = fragment {
                s.push('#');
                s.push_str(&f);
            }
            s
        })
}

proptest! {
    #[test]
    fn every_grammatical_did_parses_and_prints_unchanged(s in did_string()) {
        let did = Did::parse(&s).unwrap();
        prop_assert_eq!(did.to_string(), s.clone());
        prop_assert_eq!(Did::parse(did.as_str()).unwrap(), did);
    }

    #[test]
    fn every_grammatical_did_url_parses_and_prints_unchanged(s in did_url_string()) {
        let url = DidUrl::parse(&s).unwrap();
        prop_assert_eq!(url.to_string(), s.clone());
        let again = DidUrl::parse(&url.to_string()).unwrap();
        prop_assert_eq!(&again, &url);
        let did = Did::parse(url.did().as_str()).unwrap();
        prop_assert_eq!(&did, url.did());
    }

    #[test]
    fn resource_dids_round_trip(
        chain in "[A-Za-z0-9._-]{1,50}",
        hrp in "[a-z]{1,10}",
        bytes in prop::collection::vec(any::<u8>(), 1..=64),
        suffix in prop::option::of("[A-Za-z0-9._-]{1,64}"),
    ) {
        let addr = address(&hrp, &bytes);
        let d = ResourceDid::new(&chain, &addr, suffix.as_deref()).unwrap();
        let again = ResourceDid::parse(&d.to_string()).unwrap();
        prop_assert_eq!(again.chain_id(), chain.as_str());
        prop_assert_eq!(again.address(), addr.as_str());
        prop_assert_eq!(again.suffix(), suffix.as_deref());
        prop_assert_eq!(&again, &d);
    }

    #[test]
    fn parsing_never_panics_and_errors_point_inside_the_input(s in "\\PC{0,40}", t in "did:[a-z]{1,3}:\\PC{0,20}") {
        for input in [&s, &t] {
            match DidUrl::parse(input) {
                Ok(url) => prop_assert_eq!(&url.to_string(), input),
                Err(DidError::MethodChar { index, character } | DidError::IdChar { index, character }
                    | DidError::UrlChar { index, character, .. }) => {
                    prop_assert_eq!(input[index..].chars().next(), Some(character));
                }
                Err(DidError::PercentEncoding { index } | DidError::TrailingColon { index }) => {
                    prop_assert!(index < input.len());
                }
                Err(_) => {}
            }
            let _ = ResourceDid::parse(input);
        }
    }
}

/// The light builder for chain-validated addresses gives exactly the account DID's text, and refuses
/// what the full builder refuses on characters (it leaves only the checksum to the chain).
#[test]
fn account_text_of_a_valid_address_matches_the_full_builder() {
    let alice = bech32::encode::<bech32::Bech32>(Hrp::parse("inj").unwrap(), &[3u8; 20]).unwrap();
    let contract = bech32::encode::<bech32::Bech32>(Hrp::parse("osmo").unwrap(), &[9u8; 32]).unwrap();
    for (chain, address) in [("resource-1", &alice), ("osmo_test.5", &contract), ("A.b-c_9", &alice)] {
        let light = ResourceDid::account_text_of_valid_address(chain, address).unwrap();
        assert_eq!(light, ResourceDid::account(chain, address).unwrap().to_string());
        assert_eq!(ResourceDid::parse(&light).unwrap().address(), address.as_str());
        // As a Did: equal to the parsed one, method and method-specific id included.
        let did = ResourceDid::account_did_of_valid_address(chain, address).unwrap();
        assert_eq!(did, Did::parse(&light).unwrap());
        assert_eq!((did.method(), did.method_specific_id()), ("resource", &light["did:resource:".len()..]));
    }
    for (chain, address) in
        [("a:b", alice.as_str()), ("", alice.as_str()), ("resource-1", "Inj1abc"), ("resource-1", "")]
    {
        let light = ResourceDid::account_text_of_valid_address(chain, address).unwrap_err();
        assert_eq!(light, ResourceDid::account(chain, address).unwrap_err(), "{chain} {address}");
        assert_eq!(ResourceDid::account_did_of_valid_address(chain, address).unwrap_err(), light);
    }
}
