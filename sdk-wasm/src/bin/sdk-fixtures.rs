//! `sdk-fixtures`: the cases the SDK's JavaScript tests run, with the answers Rust computes natively.
//!
//! - `sdk-fixtures write DIR` writes `DIR/cases.json` (and any binary argument as a file beside it).
//!   Each case names an exported function, its arguments and what must come back: `equals` (the
//!   exact string the native call returns), `error_contains` (the call must throw, its message
//!   containing this), or `native_check` (the output is handed back to Rust, see `check`).
//! - `sdk-fixtures check DIR` reads the `results-<runtime>.json` files the Node and Chromium tests
//!   wrote into DIR and checks every `native_check` output natively; it prints one line per check and
//!   ends with a JSON line `{"passed":N,"failed":N}`. Exit status 1 when a check failed.
//!
//! Cases are deterministic (a fixed seed), so a failure names the same case on every run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use resource_core::did::ReputationSummary;
use resource_core::underwriting::{PlatformRating, ScoringInputs, ScoringParams};
use resource_sdk_wasm::api;
use resource_zk::setup::devnet_keys;
use resource_zk::{
    AttesterSigner, ClaimKind, Credential, CredentialProof, CredentialRequest, ProofRequest, SignatureScheme,
};
use serde_json::{json, Value};

const USAGE: &str =
    "usage: sdk-fixtures write DIR | sdk-fixtures check DIR | sdk-fixtures devnet DEVNET_HOME ARTIFACTS OUT.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, dir] if cmd == "write" => write(Path::new(dir)).map(|()| ExitCode::SUCCESS),
        [cmd, dir] if cmd == "check" => check(Path::new(dir)),
        [cmd, home, artifacts, out] if cmd == "devnet" => {
            devnet(Path::new(home), Path::new(artifacts), Path::new(out)).map(|()| ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_string()),
    };
    result.unwrap_or_else(|e| {
        eprintln!("sdk-fixtures: {e}");
        ExitCode::FAILURE
    })
}

/// xorshift64*: a few lines, no dependency, the same cases everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// `Some(value)` three times in four.
    fn maybe<T>(&mut self, value: impl FnOnce(&mut Rng) -> T) -> Option<T> {
        let present = self.below(4) != 0;
        let value = value(self);
        present.then_some(value)
    }
}

fn s(value: &str) -> Value {
    json!({ "string": value })
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("fixture values serialise")
}

/// A `suggestedLimit` case whose expected answer is the native call's.
fn limit_case(name: String, inputs: &ScoringInputs, params: &ScoringParams) -> Value {
    let (inputs, params) = (to_json(inputs), to_json(params));
    let expected = api::suggested_limit(&inputs, &params).expect("valid fixture inputs");
    json!({ "name": name, "function": "suggestedLimit", "args": [s(&inputs), s(&params)], "expect": { "equals": expected } })
}

/// The subject and attester of the test credentials, and their issue time (2026-01-01).
const DID: &str = "did:resource:resource-1:inj1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq00";
const ATTESTER: &str = "did:web:ratings.example";
const T0: u64 = 1_767_225_600;
/// Bytes that are no proving key.
const NOT_A_KEY: &str = "not-a-key.bin";

/// The devnet keys of every kind (`resource_zk::setup::devnet_keys`, the documented seed):
/// `(kind, proving-key file bytes, verifying-key file bytes)`.
fn keys() -> Vec<(ClaimKind, Vec<u8>, Vec<u8>)> {
    ClaimKind::ALL
        .iter()
        .map(|&kind| {
            let k = devnet_keys(kind);
            (kind, k.proving_key_bytes(), k.verifying_key_bytes())
        })
        .collect()
}

/// A credential of `kind` with `values` for [`DID`], from a fixed seed (the same every run).
fn credential(kind: ClaimKind, values: &[u64]) -> Credential {
    let mut rng = ChaCha20Rng::from_seed([kind.code() as u8; 32]);
    let signer = AttesterSigner::generate(SignatureScheme::Ed25519, &mut rng);
    let request = CredentialRequest {
        kind: kind.name().into(),
        subject: DID.into(),
        values: values.to_vec(),
        issued_at: T0,
        expires_at: T0 + 365 * 86_400,
    };
    Credential::issue(&request, ATTESTER, &signer, &mut rng).expect("a valid credential request")
}

fn proof_request(credential: &Credential, thresholds: &[u64]) -> String {
    let request = ProofRequest {
        credential: credential.clone(),
        thresholds: thresholds.to_vec(),
        valid_until: credential.expires_at - 86_400,
    };
    serde_json::to_string(&request).expect("a proof request serialises")
}

/// The proveCredential cases: a proof of each kind (checked natively afterwards: it verifies against
/// the kind's verifying key, states what was asked, and fails once its statement is changed), and
/// the prover's refusals, whose messages the native call gives too.
fn zk_cases(key_file: &dyn Fn(ClaimKind) -> (String, String), read: &dyn Fn(&str) -> Vec<u8>) -> Vec<Value> {
    let mut cases = Vec::new();
    let kinds: [(ClaimKind, Vec<u64>, Vec<u64>); 3] = [
        (ClaimKind::Rating, vec![46, 120], vec![45, 100]),
        (ClaimKind::Revenue, vec![12_500], vec![10_000]),
        (ClaimKind::Tenure, vec![30], vec![24]),
    ];
    for (kind, values, thresholds) in &kinds {
        let (pk, vk) = key_file(*kind);
        let request = proof_request(&credential(*kind, values), thresholds);
        cases.push(json!({
            "name": format!("proveCredential: a {kind} proof verifies natively"),
            "function": "proveCredential",
            "args": [s(&request), { "file": pk }],
            "expect": { "native_check": { "verifying_key": vk } },
        }));
    }
    let rating = credential(ClaimKind::Rating, &[46, 120]);
    let (rating_pk, _) = key_file(ClaimKind::Rating);
    let (revenue_pk, _) = key_file(ClaimKind::Revenue);
    let mut altered = rating.clone();
    altered.values[0] = 50;
    for (name, request, key, message) in [
        (
            "proveCredential: a threshold above the credential's value throws",
            proof_request(&rating, &[47, 100]),
            rating_pk.clone(),
            "does not reach the threshold 47",
        ),
        (
            "proveCredential: another kind's proving key throws",
            proof_request(&rating, &[45, 100]),
            revenue_pk,
            "the proving key is for the revenue circuit, not rating",
        ),
        (
            "proveCredential: an altered credential throws",
            proof_request(&altered, &[45, 100]),
            rating_pk.clone(),
            "the credential's commitment does not match its contents",
        ),
        (
            "proveCredential: bytes that are no proving key throw",
            proof_request(&rating, &[45, 100]),
            NOT_A_KEY.into(),
            "provingKey: the proving key is not a valid key file",
        ),
        (
            "proveCredential: a request that is not JSON throws",
            "{".into(),
            rating_pk.clone(),
            "requestJson is not a proof request",
        ),
    ] {
        let native = api::prove_credential(&request, &read(&key));
        assert!(native.as_ref().is_err_and(|e| e.message().contains(message)), "{name}: {native:?}");
        cases.push(json!({
            "name": name,
            "function": "proveCredential",
            "args": [s(&request), { "file": key }],
            "expect": { "error_contains": message },
        }));
    }
    cases
}

/// The native call of `function` with string arguments (the exports of the ledger, clearing, DID
/// and keys parts, whose answers are deterministic).
fn call_native(function: &str, args: &[String]) -> Result<String, api::SdkError> {
    let a = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
    match function {
        "previewPayment" => api::preview_payment(a(0), a(1), a(2), a(3), a(4), a(5)),
        "solveClearing" => api::solve_clearing(a(0)),
        "verifyClearing" => api::verify_clearing(a(0), a(1)),
        "parseDid" => api::parse_did(a(0)),
        "memberDidDocument" => api::member_did_document(a(0), a(1), a(2), a(3)),
        "didCreateMessage" => api::did_create_message(a(0), a(1)),
        "didUpdateMessage" => api::did_update_message(a(0), a(1)),
        "walletFromPhrase" => api::wallet_from_phrase(a(0), a(1)),
        "recoverPhrase" => api::recover_phrase(a(0)),
        "openShare" => api::open_share(a(0), a(1)),
        "splitPhrase" => api::split_phrase(a(0)),
        "sealShare" => api::seal_share(a(0), a(1)),
        "accountRequest" => api::account_request(a(0)),
        "decodeAccount" => api::decode_account(a(0)),
        "simulateRequest" => api::simulate_request(a(0), a(1), a(2), a(3), a(4)),
        "simulatedGas" => api::simulated_gas(a(0)),
        "signExecute" => api::sign_execute(a(0), a(1), a(2), a(3), a(4), a(5)),
        "prepareExecute" => api::prepare_execute(a(0), a(1), a(2), a(3), a(4), a(5)),
        "signDirect" => api::sign_direct(a(0), a(1), a(2), a(3), a(4), a(5)),
        "encodeTx" => api::encode_tx(a(0), a(1), a(2)),
        "smartQueryRequest" => api::smart_query_request(a(0), a(1)),
        "decodeSmartQuery" => api::decode_smart_query(a(0)),
        other => panic!("no native call for {other}"),
    }
}

/// A case whose expected answer is the native call's: its output (`refusal` = `None`), or its
/// refusal, whose message must contain `refusal` and whose code the JavaScript error must carry.
fn native_case(name: &str, function: &str, args: &[String], refusal: Option<&str>) -> Value {
    let native = call_native(function, args);
    let expect = match (&native, refusal) {
        (Ok(output), None) => json!({ "equals": output }),
        (Err(e), Some(part)) => {
            assert!(e.message().contains(part), "{name}: the native refusal is {e:?}, without {part:?}");
            json!({ "error_contains": part, "error_code": e.code() })
        }
        (other, _) => panic!("{name}: the native call gave {other:?}"),
    };
    json!({ "name": name, "function": function, "args": args.iter().map(|a| s(a)).collect::<Vec<_>>(), "expect": expect })
}

/// A `CreditAccount` answer as the token gives it.
fn account(address: &str, balance: i128, limit: Option<u128>, frozen: bool) -> String {
    use resource_msgs::credit_token::{CreditAccountResponse, CreditLineView, LineStatus, Standing};
    let line = limit.map(|limit| CreditLineView {
        limit: limit.into(),
        term_start: T0,
        term_end: T0 + 90 * 86_400,
        grace_period: 86_400,
        status: LineStatus::Active,
        default_declarable_at: Some(T0 + 91 * 86_400 + 1),
    });
    let available = if frozen { 0 } else { (balance + limit.unwrap_or(0) as i128).max(0) as u128 };
    to_json(&CreditAccountResponse {
        address: address.into(),
        balance: balance.into(),
        available: available.into(),
        line,
        standing: Standing::Good,
        frozen,
        written_off: 0u128.into(),
        reserved: 0u128.into(),
        period: None,
        risk_fee_bps: 0,
    })
}

/// The ledger, clearing, DID and keys cases: each computed by the native call.
fn sdk_cases() -> Vec<Value> {
    use cosmwasm_std::Addr;
    use resource_msgs::clearing::{ObligationResponse, ObligationStatus, ObligationsResponse};
    use resource_msgs::credit_token::ConfigResponse;
    let mut cases = Vec::new();
    let (alice, bob, collector) = ("inj1alice", "inj1bob", "inj1collector");
    let config = |fee_bps: u16| {
        to_json(&ConfigResponse {
            admin: Addr::unchecked("inj1admin"),
            pending_admin: None,
            underwriting: None,
            fee_bps,
            fee_collector: Addr::unchecked(collector),
            fee_exempt: vec![Addr::unchecked("inj1clearing")],
            loss_account: Addr::unchecked("inj1loss"),
            default_grace_period: 86_400,
            min_term: 86_400,
            min_grace_period: 86_400,
            did_registry: None,
            fees_paused: false,
        })
    };
    let now = (T0 + 86_400).to_string();
    let args = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let spender = account(alice, -200, Some(1_000), false);
    let in_debt = account(bob, -300, Some(500), false);
    let collector_account = account(collector, 0, None, false);
    for (name, fee, sender, receiver, amount, refusal) in [
        ("previewPayment: spending into a line mints, paying a debtor burns", 100, &spender, &in_debt, "250", None),
        (
            "previewPayment: 18-decimal amounts beyond 2^53",
            0,
            &account(alice, 10i128.pow(24), None, false),
            &in_debt,
            "9007199254740993123",
            None,
        ),
        ("previewPayment: more than the line throws", 100, &spender, &in_debt, "800", Some("insufficient")),
        (
            "previewPayment: a frozen sender throws",
            100,
            &account(alice, 50, Some(1_000), true),
            &in_debt,
            "10",
            Some("frozen"),
        ),
        ("previewPayment: a zero amount throws", 100, &spender, &in_debt, "0", Some("")),
        (
            "previewPayment: an amount that is no number throws",
            100,
            &spender,
            &in_debt,
            "1e3",
            Some("amount \"1e3\" is not a whole number"),
        ),
        (
            "previewPayment: a plain transfer to the clearing contract throws",
            100,
            &spender,
            &account("inj1clearing", 0, None, false),
            "10",
            Some("pay it with Send"),
        ),
    ] {
        let a = args(&[&config(fee), sender, receiver, &collector_account, amount, &now]);
        cases.push(native_case(name, "previewPayment", &a, refusal));
    }
    let a = args(&[&config(100), &spender, &in_debt, "", "10", &now]);
    cases.push(native_case(
        "previewPayment: a third-party collector's account is needed",
        "previewPayment",
        &a,
        Some("pass its CreditAccount answer too"),
    ));
    let a = args(&[&config(100), "{\"address\":1}", &in_debt, "", "10", &now]);
    cases.push(native_case(
        "previewPayment: an account of the wrong shape throws",
        "previewPayment",
        &a,
        Some("senderJson does not have the expected shape"),
    ));

    // Clearing: a ring of three businesses and a pair, as the contract's Outstanding answer.
    let obligation = |id: u64, debtor: &str, creditor: &str, amount: u128| ObligationResponse {
        id,
        debtor: Addr::unchecked(debtor),
        creditor: Addr::unchecked(creditor),
        amount: amount.into(),
        remaining: amount.into(),
        cleared: 0u128.into(),
        settled: 0u128.into(),
        due: T0 + 86_400,
        reference: None,
        status: ObligationStatus::Accepted,
        cancel_requested_by: None,
    };
    let outstanding = to_json(&ObligationsResponse {
        obligations: vec![
            obligation(1, "inj1bakery", "inj1grocery", 500),
            obligation(2, "inj1grocery", "inj1clinic", 400),
            obligation(3, "inj1clinic", "inj1bakery", 300),
            obligation(4, "inj1truck", "inj1bakery", 90),
        ],
    });
    cases.push(native_case(
        "solveClearing: a ring clears its smallest leg",
        "solveClearing",
        &args(&[&outstanding]),
        None,
    ));
    let solved = api::solve_clearing(&outstanding).expect("the ring solves");
    cases.push(native_case(
        "verifyClearing: the solution verifies",
        "verifyClearing",
        &args(&[&outstanding, &solved]),
        None,
    ));
    let unbalanced = r#"[{"id":1,"amount":"300"},{"id":2,"amount":"301"},{"id":3,"amount":"300"}]"#;
    cases.push(native_case(
        "verifyClearing: an unbalanced set-off throws",
        "verifyClearing",
        &args(&[&outstanding, unbalanced]),
        Some(""),
    ));
    cases.push(native_case(
        "solveClearing: not an Outstanding answer throws",
        "solveClearing",
        &args(&["[]"]),
        Some("outstandingJson does not have the expected shape"),
    ));

    // DIDs.
    for (name, did, refusal) in [
        ("parseDid: an account DID", "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7", None),
        (
            "parseDid: a DID URL with a fragment",
            "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7#key-1",
            None,
        ),
        ("parseDid: another method", "did:web:ratings.example", None),
        ("parseDid: not a DID throws", "resource:inj1", Some("")),
        (
            "parseDid: a bad checksum throws",
            "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws8",
            Some(""),
        ),
    ] {
        cases.push(native_case(name, "parseDid", &args(&[did]), refusal));
    }

    // Keys: derivation, and shares and sealed shares made natively from a fixed seed.
    let abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    // DID documents and registry messages, by the registry's rules.
    let abandon_wallet: Value =
        serde_json::from_str(&api::wallet_from_phrase(abandon, "inj").expect("wallet")).expect("JSON");
    let (owner, owner_key) = (
        abandon_wallet["address"].as_str().expect("address").to_string(),
        abandon_wallet["public_key"].as_str().expect("public_key").to_string(),
    );
    let shop = r#"[{"id":"shop","type":"LinkedDomains","serviceEndpoint":"https://shop.example"}]"#;
    let document = api::member_did_document("resource-1", &owner, &owner_key, shop).expect("document");
    cases.push(native_case(
        "memberDidDocument: the wallet's key and a shop service",
        "memberDidDocument",
        &args(&["resource-1", &owner, &owner_key, shop]),
        None,
    ));
    cases.push(native_case(
        "memberDidDocument: another wallet's key throws",
        "memberDidDocument",
        &args(&["resource-1", "inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7", &owner_key, "[]"]),
        Some("publicKeyHex is the key of"),
    ));
    cases.push(native_case(
        "memberDidDocument: a service endpoint that is no URI throws",
        "memberDidDocument",
        &args(&[
            "resource-1",
            &owner,
            &owner_key,
            r#"[{"id":"shop","type":"LinkedDomains","serviceEndpoint":"shop"}]"#,
        ]),
        Some("memberDidDocument:"),
    ));
    let did = format!("did:resource:resource-1:{owner}");
    cases.push(native_case(
        "didCreateMessage: the registry's Create message",
        "didCreateMessage",
        &args(&[&did, &document]),
        None,
    ));
    cases.push(native_case(
        "didCreateMessage: a document of another DID throws",
        "didCreateMessage",
        &args(&["did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7", &document]),
        Some("the document's id is"),
    ));
    let remove_shop = format!(r#"{{"patch":{{"ops":[{{"remove_service":{{"id":"{did}#shop"}}}}]}}}}"#);
    cases.push(native_case(
        "didUpdateMessage: a patch and the document it makes",
        "didUpdateMessage",
        &args(&[&document, &remove_shop]),
        None,
    ));
    cases.push(native_case(
        "didUpdateMessage: removing a service that is not there throws",
        "didUpdateMessage",
        &args(&[&document, &format!(r#"{{"patch":{{"ops":[{{"remove_service":{{"id":"{did}#blog"}}}}]}}}}"#)]),
        Some("didUpdateMessage:"),
    ));
    cases.push(native_case(
        "walletFromPhrase: the node's own derivation",
        "walletFromPhrase",
        &args(&[abandon, "inj"]),
        None,
    ));
    cases.push(native_case("walletFromPhrase: another prefix", "walletFromPhrase", &args(&[abandon, "cosmos"]), None));
    cases.push(native_case(
        "walletFromPhrase: a wrong word throws",
        "walletFromPhrase",
        &args(&[&abandon.replace("about", "abuot"), "inj"]),
        Some("check each word"),
    ));
    cases.push(native_case(
        "walletFromPhrase: a bad prefix throws",
        "walletFromPhrase",
        &args(&[abandon, "IN J"]),
        Some("is not a bech32 address prefix"),
    ));
    let mut rng = ChaCha20Rng::seed_from_u64(22);
    let secret = resource_keys::Secret::generate(resource_keys::WordCount::TwentyFour, &mut rng);
    let shares = resource_keys::split(&secret, &mut rng);
    let other = resource_keys::split(
        &resource_keys::Secret::generate(resource_keys::WordCount::TwentyFour, &mut rng),
        &mut rng,
    );
    let list = |v: &[&str]| serde_json::to_string(v).expect("strings serialise");
    for (name, pair, refusal) in [
        ("recoverPhrase: device and guardian", list(&[&shares.device, &shares.guardian]), None),
        ("recoverPhrase: recovery service and device", list(&[&shares.recovery, &shares.device]), None),
        ("recoverPhrase: guardian and recovery service", list(&[&shares.guardian, &shares.recovery]), None),
        ("recoverPhrase: one share alone throws", list(&[&shares.device]), Some("2 of the 3 are needed")),
        (
            "recoverPhrase: shares of two wallets throw",
            list(&[&shares.device, &other.guardian]),
            Some("two different wallets"),
        ),
        (
            "recoverPhrase: the same share twice throws",
            list(&[&shares.guardian, &shares.guardian]),
            Some("are the same share"),
        ),
        (
            "recoverPhrase: a mistyped share throws",
            list(&[&shares.device, &shares.guardian.replacen('q', "p", 1)]),
            Some("paste it again exactly"),
        ),
    ] {
        cases.push(native_case(name, "recoverPhrase", &args(&[&pair]), refusal));
    }
    let sealed =
        to_json(&resource_keys::seal(&shares.device, "correct horse battery", &mut rng).expect("a long passphrase"));
    cases.push(native_case(
        "openShare: the passphrase opens the device share",
        "openShare",
        &args(&[&sealed, "correct horse battery"]),
        None,
    ));
    cases.push(native_case(
        "openShare: a wrong passphrase throws",
        "openShare",
        &args(&[&sealed, "correct horse batterz"]),
        Some("wrong passphrase"),
    ));
    let altered = sealed.replacen("\"ciphertext\":\"", "\"ciphertext\":\"AAAA", 1);
    cases.push(native_case(
        "openShare: an altered sealed share throws",
        "openShare",
        &args(&[&altered, "correct horse battery"]),
        Some(""),
    ));
    cases.push(native_case(
        "openShare: not a sealed share throws",
        "openShare",
        &args(&["{}", "correct horse battery"]),
        Some("sealedJson does not have the expected shape"),
    ));
    cases.push(native_case(
        "sealShare: a short passphrase throws",
        "sealShare",
        &args(&[&shares.device, "short"]),
        Some("at least 8 characters"),
    ));
    // Transactions: signing is deterministic (RFC 6979), so the signed bytes are the native ones.
    let executes = serde_json::to_string(&json!([{
        "contract": "inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz",
        "msg": { "transfer": { "recipient": "inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7", "amount": "250" } },
    }]))
    .expect("JSON");
    let fee = r#"{"amount":[{"denom":"inj","amount":"500000000000000"}],"gas_limit":250000}"#;
    let signer = r#"{"chain_id":"resource-1","account_number":12,"sequence":3}"#;
    cases.push(native_case(
        "signExecute: a transfer signed as cosmrs signs it",
        "signExecute",
        &args(&[abandon, "inj", &executes, fee, signer, "checkout"]),
        None,
    ));
    cases.push(native_case(
        "signExecute: a fee without gas_limit throws",
        "signExecute",
        &args(&[abandon, "inj", &executes, r#"{"amount":[]}"#, signer, ""]),
        Some("feeJson does not have the expected shape"),
    ));
    cases.push(native_case(
        "signExecute: an amount that is a number throws",
        "signExecute",
        &args(&[abandon, "inj", &executes, r#"{"amount":[{"denom":"inj","amount":5}],"gas_limit":1}"#, signer, ""]),
        Some("feeJson"),
    ));
    let wallet: Value = serde_json::from_str(&api::wallet_from_phrase(abandon, "inj").expect("wallet")).expect("JSON");
    let public_key = wallet["public_key"].as_str().expect("public_key").to_string();
    cases.push(native_case(
        "simulateRequest: the unsigned transaction",
        "simulateRequest",
        &args(&[&public_key, "inj", &executes, "3", ""]),
        None,
    ));
    cases.push(native_case(
        "simulateRequest: a public key that is no key throws",
        "simulateRequest",
        &args(&["02abcd", "inj", &executes, "3", ""]),
        Some("is not a compressed secp256k1 public key"),
    ));
    // An external signer's path: prepareExecute, a SIGN_MODE_DIRECT signature over the SignDoc
    // (here the SDK's own signDirect), encodeTx: the same bytes signExecute gives.
    let prepared = api::prepare_execute(&public_key, "inj", &executes, fee, "3", "checkout").expect("prepare");
    cases.push(native_case(
        "prepareExecute: the SignDoc's body and auth info",
        "prepareExecute",
        &args(&[&public_key, "inj", &executes, fee, "3", "checkout"]),
        None,
    ));
    cases.push(native_case(
        "prepareExecute: a sequence that is no number throws",
        "prepareExecute",
        &args(&[&public_key, "inj", &executes, fee, "three", ""]),
        Some("sequence \"three\" is not a whole number"),
    ));
    let parts: Value = serde_json::from_str(&prepared).expect("JSON");
    let (body_bytes, auth_info_bytes) = (
        parts["body_bytes"].as_str().expect("body").to_string(),
        parts["auth_info_bytes"].as_str().expect("auth").to_string(),
    );
    let sign_args = args(&[abandon, "inj", &body_bytes, &auth_info_bytes, "resource-1", "12"]);
    cases.push(native_case("signDirect: the SignDoc signed by the wallet", "signDirect", &sign_args, None));
    cases.push(native_case(
        "signDirect: an empty chain id throws",
        "signDirect",
        &args(&[abandon, "inj", &body_bytes, &auth_info_bytes, " ", "12"]),
        Some("chainId is empty"),
    ));
    let signed: Value = serde_json::from_str(
        &api::sign_direct(abandon, "inj", &body_bytes, &auth_info_bytes, "resource-1", "12").expect("sign"),
    )
    .expect("JSON");
    let signature = signed["signature"].as_str().expect("signature").to_string();
    let tx = api::encode_tx(&body_bytes, &auth_info_bytes, &signature).expect("encode");
    assert_eq!(
        tx,
        api::sign_execute(abandon, "inj", &executes, fee, signer, "checkout").expect("signExecute"),
        "prepareExecute + signDirect + encodeTx must be signExecute"
    );
    cases.push(native_case(
        "encodeTx: the signed parts are signExecute's transaction",
        "encodeTx",
        &args(&[&body_bytes, &auth_info_bytes, &signature]),
        None,
    ));
    cases.push(native_case(
        "encodeTx: a short signature throws",
        "encodeTx",
        &args(&[&body_bytes, &auth_info_bytes, "AAAA"]),
        Some("the signature is 3 bytes, not 64"),
    ));
    cases.push(native_case(
        "smartQueryRequest: a credit account query's bytes",
        "smartQueryRequest",
        &args(&["inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz", r#"{"credit_account":{"address":"inj1x"}}"#]),
        None,
    ));
    cases.push(native_case(
        "smartQueryRequest: a message that is not JSON throws",
        "smartQueryRequest",
        &args(&["inj14hj2tavq8fpesdwxxcu44rty3hh90vhujaxlnz", "{credit_account"]),
        Some("msgJson is not valid JSON"),
    ));
    {
        use base64::Engine as _;
        use cosmos_sdk_proto::prost::Message as _;
        let answer = cosmos_sdk_proto::cosmwasm::wasm::v1::QuerySmartContractStateResponse {
            data: br#"{"balance":"-250"}"#.to_vec(),
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(answer.encode_to_vec());
        cases.push(native_case(
            "decodeSmartQuery: the contract's answer",
            "decodeSmartQuery",
            &args(&[&encoded]),
            None,
        ));
        cases.push(native_case(
            "decodeSmartQuery: bytes that are no answer throw",
            "decodeSmartQuery",
            &args(&["/w=="]),
            Some("the node's answer cannot be read"),
        ));
    }
    cases.push(native_case(
        "accountRequest: the query's bytes",
        "accountRequest",
        &args(&["inj19rl4cm2hmr8afy4kldpxz3fka4jguq0akf6edd"]),
        None,
    ));
    {
        use base64::Engine as _;
        use cosmos_sdk_proto::cosmos::auth::v1beta1::{BaseAccount, QueryAccountResponse};
        use cosmos_sdk_proto::prost::Message as _;
        let base = BaseAccount { address: "inj1x".into(), pub_key: None, account_number: 12, sequence: 3 };
        // Injective's EthAccount: the base account (field 1) and a code hash (field 2).
        let mut eth = Vec::new();
        prost_message_field(&mut eth, 1, &base.encode_to_vec());
        prost_message_field(&mut eth, 2, &[0xc5; 32]);
        let answer = |type_url: &str, value: Vec<u8>| {
            let any = cosmos_sdk_proto::Any { type_url: type_url.into(), value };
            base64::engine::general_purpose::STANDARD
                .encode(QueryAccountResponse { account: Some(any) }.encode_to_vec())
        };
        let eth = answer(resource_tx::ETH_ACCOUNT_TYPE_URL, eth);
        cases.push(native_case("decodeAccount: Injective's EthAccount", "decodeAccount", &args(&[&eth]), None));
        let unknown = answer("/foo.Account", vec![]);
        cases.push(native_case(
            "decodeAccount: an unknown account type throws",
            "decodeAccount",
            &args(&[&unknown]),
            Some("is not one this software reads"),
        ));
        cases.push(native_case(
            "decodeAccount: not base64 throws",
            "decodeAccount",
            &args(&["%%%"]),
            Some("is not base64"),
        ));
        let gas = cosmos_sdk_proto::cosmos::tx::v1beta1::SimulateResponse {
            gas_info: Some(cosmos_sdk_proto::cosmos::base::abci::v1beta1::GasInfo { gas_wanted: 0, gas_used: 187_204 }),
            result: None,
        };
        let gas = base64::engine::general_purpose::STANDARD.encode(gas.encode_to_vec());
        cases.push(native_case("simulatedGas: the gas used", "simulatedGas", &args(&[&gas]), None));
    }
    cases.push(native_case(
        "splitPhrase: a phrase with a wrong checksum throws",
        "splitPhrase",
        &args(&[&abandon.replace("about", "abandon")]),
        Some(""),
    ));
    cases
}

/// How many random payments [`parity_cases`] makes.
const PARITY_CASES: usize = 300;

/// The payment preview's parity with the contract: random networks on the credit token itself (an
/// embedded chain, `resource_testing::payments`) and random payments; each case gives the SDK the
/// token's own answers before the payment, and expects what the token then did: the fee, minted and
/// burned of its event and the balances it answered afterwards, or its refusal's sentence and code.
fn parity_cases() -> Vec<Value> {
    use rand_chacha::rand_core::RngCore;
    use resource_msgs::credit_token::{PaymentPreview, PreviewError};
    use resource_testing::payments::{network, PARTIES};
    let mut rng = ChaCha20Rng::seed_from_u64(36);
    let mut below = |n: u64| rng.next_u64() % n;
    let mut cases = Vec::with_capacity(PARITY_CASES);
    for i in 0..PARITY_CASES {
        let fee_bps = match below(4) {
            0 => 0,
            1 => 10_000,
            _ => 1 + below(300) as u16,
        };
        let lines = [u128::from(below(5_000)), u128::from(below(5_000))];
        let payments: Vec<(usize, usize, u128)> =
            (0..below(4)).map(|_| (below(3) as usize, below(3) as usize, 1 + u128::from(below(3_000)))).collect();
        // Mostly members who can pay, and amounts they can mostly afford: every refusal still comes up.
        let parties = PARTIES.len() as u64;
        let from = PARTIES[if below(10) < 7 { below(3) } else { below(parties) } as usize];
        let to = PARTIES[below(parties) as usize];
        let amount = match below(16) {
            0 => 0,
            1 => u128::MAX,
            2..=4 => 1 + u128::from(below(6_000)),
            _ => 1 + u128::from(below(400)),
        };
        let mut net = network(fee_bps, lines, &payments);
        let args = vec![
            answer(&net.config()),
            answer(&net.account(from)),
            answer(&net.account(to)),
            answer(&net.account("collector")),
            amount.to_string(),
            net.now().to_string(),
        ];
        let name = format!("previewPayment parity {i}: {from} pays {to} {amount} (fee {fee_bps} bps)");
        let expect = match net.pay(from, to, amount) {
            Ok(done) => {
                let attribute = |key: &str| -> u128 {
                    resource_testing::multi::wasm_attr(&done, key).parse().expect("a number attribute")
                };
                let (sender, receiver) = (net.account(from), net.account(to));
                let outcome = PaymentPreview {
                    amount: amount.into(),
                    fee: attribute("fee").into(),
                    minted: attribute("minted").into(),
                    burned: attribute("burned").into(),
                    sender_balance_after: sender.balance,
                    sender_available_after: sender.available,
                    receiver_balance_after: receiver.balance,
                };
                json!({ "equals": serde_json::to_string(&outcome).expect("JSON") })
            }
            Err(resource_credit_token::ContractError::Ledger(e)) => {
                json!({ "error_contains": e.to_string(), "error_code": PreviewError::Ledger(e).code() })
            }
            Err(other) => panic!("{name}: the token refused with {other:?}, which no preview can say"),
        };
        let args: Vec<Value> = args.into_iter().map(|a| json!({ "string": a })).collect();
        cases.push(json!({ "name": name, "function": "previewPayment", "args": args, "expect": expect }));
    }
    cases
}

/// A query answer of the token as the node would give it (JSON).
fn answer<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a query answer serialises")
}

fn cases() -> Vec<Value> {
    let mut cases = sdk_cases();
    cases.extend(parity_cases());
    let unit = ScoringParams::with_unit(1);
    let micro = ScoringParams::with_unit(1_000_000);
    // 10^18: amounts far above 2^53, which a JavaScript number would round.
    let atto = ScoringParams::with_unit(1_000_000_000_000_000_000);
    let newcomer = ScoringInputs {
        rating: Some(PlatformRating { stars_x10: 46, reviews: 50 }),
        revenue_band: Some(2),
        months_active: Some(18),
        history: ReputationSummary::default(),
    };
    cases.push(limit_case("suggestedLimit: the documented newcomer (980)".into(), &newcomer, &unit));
    let history = ReputationSummary {
        repaid_on_time: 2,
        repaid: 2_000,
        defaults: 1,
        defaulted: 300,
        recovered: 100,
        ..ReputationSummary::default()
    };
    cases.push(limit_case(
        "suggestedLimit: one default, partly recovered (590)".into(),
        &ScoringInputs { history, ..newcomer },
        &unit,
    ));
    cases.push(limit_case("suggestedLimit: nothing known, base only".into(), &ScoringInputs::default(), &micro));
    let best = ScoringInputs {
        rating: Some(PlatformRating { stars_x10: 50, reviews: 1_000 }),
        revenue_band: Some(9),
        months_active: Some(120),
        history: ReputationSummary { repaid_on_time: 40, repaid: 1 << 100, ..ReputationSummary::default() },
    };
    cases.push(limit_case("suggestedLimit: capped at the network maximum, 18 decimals".into(), &best, &atto));
    let saturating = ScoringInputs {
        history: ReputationSummary { repaid: u128::MAX, defaulted: u128::MAX - 1, defaults: 1, ..Default::default() },
        ..best
    };
    let mut huge = atto;
    huge.max_limit = u128::MAX;
    cases.push(limit_case("suggestedLimit: u128 extremes saturate".into(), &saturating, &huge));

    let mut rng = Rng(0x5eed_f00d_5d4a_0001);
    for i in 0..16 {
        let inputs = ScoringInputs {
            rating: rng.maybe(|r| PlatformRating { stars_x10: r.below(60) as u8, reviews: r.below(300) as u32 }),
            revenue_band: rng.maybe(|r| r.below(10) as u8),
            months_active: rng.maybe(|r| r.below(100) as u32),
            history: ReputationSummary {
                repaid_on_time: rng.below(20),
                repaid: u128::from(rng.below(20_000)) * 1_000_000,
                defaults: rng.below(4),
                defaulted: u128::from(rng.below(3_000)) * 1_000_000,
                recovered: u128::from(rng.below(3_000)) * 1_000_000,
                ..ReputationSummary::default()
            },
        };
        cases.push(limit_case(format!("suggestedLimit: seeded input {i}"), &inputs, &micro));
    }

    cases.push(json!({
        "name": "defaultScoringParams: 6 decimals",
        "function": "defaultScoringParams",
        "args": [s("1000000")],
        "expect": { "equals": api::default_scoring_params("1000000").expect("valid unit") },
    }));
    let claims = r#"[["platform_rating","rating>=46;reviews>=50"],["revenue_band","band>=2"],["months_active","months>=18"],["platform_rating","rating>=40;reviews>=500"]]"#;
    let history = to_json(&ReputationSummary::default());
    cases.push(json!({
        "name": "scoringInputsFromPredicates: the best of two ratings",
        "function": "scoringInputsFromPredicates",
        "args": [s(claims), s(&history)],
        "expect": { "equals": api::scoring_inputs_from_predicates(claims, &history).expect("valid claims") },
    }));
    cases.push(json!({
        "name": "version: the workspace version",
        "function": "version",
        "args": [],
        "expect": { "equals": api::version() },
    }));

    // Errors cross into JavaScript as thrown Errors with the same message.
    let params = to_json(&unit);
    for (name, args, message) in [
        ("suggestedLimit: inputs that are not JSON throw", vec!["{", params.as_str()], "inputsJson is not valid JSON"),
        (
            "suggestedLimit: inputs without history throw",
            vec![r#"{"rating":null,"revenue_band":null,"months_active":null}"#, params.as_str()],
            "missing field `history`",
        ),
        ("defaultScoringParams: a float unit throws", vec!["1e6"], "is not a whole number of smallest units"),
    ] {
        let function = name.split(':').next().unwrap_or_default();
        // The native call fails with exactly this message part, or the fixture is wrong.
        let native = match function {
            "suggestedLimit" => api::suggested_limit(args[0], args[1]),
            _ => api::default_scoring_params(args[0]),
        };
        assert!(native.as_ref().is_err_and(|e| e.message().contains(message)), "{name}: {native:?}");
        cases.push(json!({
            "name": name,
            "function": function,
            "args": args.iter().map(|a| s(a)).collect::<Vec<_>>(),
            "expect": { "error_contains": message },
        }));
    }
    cases
}

fn write(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    // Results of an earlier run must not be checked against new cases.
    for entry in fs::read_dir(dir).map_err(|e| format!("could not read {}: {e}", dir.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("results-") && name.ends_with(".json") {
            let _ = fs::remove_file(entry.path());
        }
    }
    let mut all = cases();
    // The key files of every kind beside the cases: `<kind>.pk`, `<kind>.vk`.
    let write_file = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        fs::write(&path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))
    };
    for (kind, pk, vk) in keys() {
        write_file(&format!("{kind}.pk"), &pk)?;
        write_file(&format!("{kind}.vk"), &vk)?;
    }
    write_file(NOT_A_KEY, b"resource-zk proving key v0\n")?;
    let key_file = |kind: ClaimKind| (format!("{kind}.pk"), format!("{kind}.vk"));
    let read = |name: &str| fs::read(dir.join(name)).unwrap_or_default();
    all.extend(zk_cases(&key_file, &read));
    let doc = json!({ "sdk_version": api::version(), "cases": all });
    let path = dir.join("cases.json");
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    fs::write(&path, text + "\n").map_err(|e| format!("could not write {}: {e}", path.display()))?;
    println!("sdk-fixtures: wrote {} cases to {}", doc["cases"].as_array().map_or(0, Vec::len), path.display());
    Ok(())
}

/// One output a JavaScript runtime returned for a `native_check` case, checked natively: the proof
/// verifies against the kind's verifying key (`resource_zk::verify_json`, the contract's code path),
/// its public fields are the request's, and the same proof for a raised threshold is rejected.
fn native_check(case: &Value, output: &str, dir: &Path) -> Result<(), String> {
    let vk_file = case["expect"]["native_check"]["verifying_key"].as_str().ok_or("the case names no verifying key")?;
    let vk = fs::read(dir.join(vk_file)).map_err(|e| format!("could not read {vk_file}: {e}"))?;
    let request: ProofRequest = serde_json::from_str(case["args"][0]["string"].as_str().unwrap_or_default())
        .map_err(|e| format!("the case's request: {e}"))?;
    let proof = CredentialProof::from_json(output).map_err(|e| format!("the output is no CredentialProof: {e}"))?;
    resource_zk::verify_json(output, &vk).map_err(|e| format!("the proof does not verify natively: {e}"))?;
    let c = &request.credential;
    let stated = (&proof.kind, &proof.did, &proof.commitment, &proof.attester, &proof.thresholds, proof.valid_until);
    let asked = (&c.kind, &c.subject, &c.commitment, &c.attester, &request.thresholds, request.valid_until);
    if stated != asked {
        return Err(format!("the proof states {stated:?}, the request asked {asked:?}"));
    }
    let mut raised = proof.clone();
    raised.thresholds[0] += 1;
    match resource_zk::verify_json(&serde_json::to_string(&raised).map_err(|e| e.to_string())?, &vk) {
        Err(resource_zk::ZkError::Rejected) => Ok(()),
        other => Err(format!("the proof with a raised threshold was not rejected: {other:?}")),
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

fn check(dir: &Path) -> Result<ExitCode, String> {
    let doc = read_json(&dir.join("cases.json"))?;
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let mut results: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("could not read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("results-")))
        .collect();
    results.sort();
    let (mut passed, mut failed) = (0u64, 0u64);
    for case in cases.iter().filter(|c| c["expect"].get("native_check").is_some()) {
        let name = case["name"].as_str().unwrap_or("?");
        for path in &results {
            let file = read_json(path)?;
            let runtime = file["runtime"].as_str().unwrap_or("?");
            let entry = file["results"].as_array().and_then(|r| r.iter().find(|r| r["name"] == case["name"]));
            let outcome = match entry {
                None => Err(format!("{runtime} did not report it")),
                Some(r) => match r["output"].as_str() {
                    Some(output) => native_check(case, output, dir),
                    None => Err(format!("{runtime} returned no output: {}", r["error"].as_str().unwrap_or("?"))),
                },
            };
            match outcome {
                Ok(()) => {
                    passed += 1;
                    println!("ok: {name} ({runtime}): checked natively");
                }
                Err(why) => {
                    failed += 1;
                    println!("FAILED: {name} ({runtime}): {why}");
                }
            }
        }
    }
    println!("{}", json!({ "passed": passed, "failed": failed }));
    Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Appends a length-delimited protobuf field (`tag`, wire type 2) to `out`.
fn prost_message_field(out: &mut Vec<u8>, tag: u32, bytes: &[u8]) {
    let varint = |mut v: u64, out: &mut Vec<u8>| loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    };
    varint(u64::from(tag << 3 | 2), out);
    varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

/// `sdk-fixtures devnet`: on the devnet of `home`, stores and instantiates a credit token (1 % fee)
/// with the Rust client, opens a 1,000 rUSD line for the payer (devnet account `alice`), and writes
/// `out`: the chain's settings, the token, the payer's phrase and the merchant's address (`bob`),
/// for the Node test of the SDK's chain client.
fn devnet(home: &Path, artifacts: &Path, out: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        use resource_client::test_accounts::test_account;
        use resource_client::{ChainClient, Gas, Wallet};
        use resource_msgs::credit_token::{ExecuteMsg, InstantiateMsg};
        fn fail(what: &'static str) -> impl Fn(resource_client::ClientError) -> String {
            move |e| format!("{what}: {e}")
        }
        let chain = resource_cli::devnet::first_running_chain(home).map_err(|e| format!("{e:#}"))?;
        let client = ChainClient::connect(chain.clone()).await.map_err(fail("connecting"))?;
        let phrase = |name: &str| test_account(name).map(|a| a.mnemonic).ok_or(format!("no test account {name}"));
        let wallet = |name: &str| -> Result<Wallet, String> {
            Wallet::from_mnemonic(phrase(name)?, &chain.prefix).map_err(|e| e.to_string())
        };
        let (admin, merchant, collector, loss) =
            (wallet("admin")?, wallet("bob")?, wallet("frank")?, wallet("relayer")?);
        let wasm_path = artifacts.join("credit_token.wasm");
        let wasm = fs::read(&wasm_path).map_err(|e| format!("{}: {e}; run `cargo xtask wasm`", wasm_path.display()))?;
        let (code, _) = client.store_code(&admin, &wasm, Gas::Auto).await.map_err(fail("storing the token"))?;
        let init = InstantiateMsg {
            name: "Asheville Dollar".into(),
            symbol: "rUSD".into(),
            decimals: 6,
            admin: None,
            underwriting: None,
            fee_bps: 100,
            fee_collector: collector.address().into(),
            fee_exempt: vec![],
            loss_account: loss.address().into(),
            default_grace_period: 30 * 86_400,
            min_term: None,
            min_grace_period: None,
            did_registry: None,
        };
        let (token, _) = client
            .instantiate(&admin, code, &init, "sdk-checkout", Some(admin.address()), &[], Gas::Auto)
            .await
            .map_err(fail("instantiating the token"))?;
        let payer = wallet("alice")?;
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
        let line = ExecuteMsg::SetCreditLine {
            member: payer.address().into(),
            limit: 1_000_000_000u128.into(),
            term_end: now + 90 * 86_400,
        };
        client.execute(&admin, &token, &line, &[], Gas::Auto).await.map_err(fail("the payer's credit line"))?;
        // The payer through external signers (cosmjs wallets), apart from alice: test files run at once.
        let external = wallet("erin")?;
        let line = ExecuteMsg::SetCreditLine {
            member: external.address().into(),
            limit: 1_000_000_000u128.into(),
            term_end: now + 90 * 86_400,
        };
        client.execute(&admin, &token, &line, &[], Gas::Auto).await.map_err(fail("the second payer's credit line"))?;
        let store = |name: &'static str| {
            let path = artifacts.join(format!("{name}.wasm"));
            let (client, admin) = (&client, &admin);
            async move {
                let wasm = fs::read(&path).map_err(|e| format!("{}: {e}; run `cargo xtask wasm`", path.display()))?;
                client.store_code(admin, &wasm, Gas::Auto).await.map(|(code, _)| code).map_err(fail("storing a contract"))
            }
        };
        // The DID registry, where the SDK's DID messages go.
        let registry_code = store("did_registry").await?;
        let registry_init = resource_msgs::did_registry::InstantiateMsg {
            admin: None,
            reputation_writers: vec![],
            claim_verifiers: vec![],
            max_credential_validity: None,
        };
        let (registry, _) = client
            .instantiate(&admin, registry_code, &registry_init, "sdk-registry", Some(admin.address()), &[], Gas::Auto)
            .await
            .map_err(fail("instantiating the DID registry"))?;
        // Clearing with the merchant's open invoices: a cycle merchant -> carol -> dave -> merchant
        // (each creditor proposes, its debtor accepts), which a round can clear in part.
        let clearing_code = store("clearing").await?;
        let clearing_init = resource_msgs::clearing::InstantiateMsg {
            admin: None,
            credit_token: Some(token.clone()),
            max_entries: None,
            round_window: None,
        };
        let (clearing, _) = client
            .instantiate(&admin, clearing_code, &clearing_init, "sdk-clearing", Some(admin.address()), &[], Gas::Auto)
            .await
            .map_err(fail("instantiating clearing"))?;
        let (carol, dave) = (wallet("carol")?, wallet("dave")?);
        let invoices = [(&merchant, &carol, 40_000_000u128), (&carol, &dave, 25_000_000), (&dave, &merchant, 30_000_000)];
        for (id, (creditor, debtor, amount)) in (1u64..).zip(invoices) {
            let propose = resource_msgs::clearing::ExecuteMsg::Propose {
                debtor: debtor.address().into(),
                amount: amount.into(),
                due: now + 30 * 86_400,
                reference: None,
            };
            client.execute(creditor, &clearing, &propose, &[], Gas::Auto).await.map_err(fail("proposing an invoice"))?;
            let accept = resource_msgs::clearing::ExecuteMsg::Accept { id };
            client.execute(debtor, &clearing, &accept, &[], Gas::Auto).await.map_err(fail("accepting an invoice"))?;
        }
        let doc = json!({
            "rpc": chain.rpc,
            "chain_id": chain.chain_id,
            "prefix": chain.prefix,
            "denom": chain.denom,
            "gas_price": chain.gas_price.to_string(),
            "token": token,
            "registry": registry,
            "clearing": clearing,
            "payer": { "address": payer.address(), "phrase": phrase("alice")? },
            "merchant": merchant.address(),
            "merchant_phrase": phrase("bob")?,
            "external_payer": { "address": external.address(), "phrase": phrase("erin")? },
            "did_owner": { "address": carol.address(), "phrase": phrase("carol")? },
            // The checkout example's shop: in the invoice cycle, paid by nothing else.
            "shop": dave.address(),
            "operator": { "address": admin.address(), "phrase": phrase("admin")? },
            "fee_collector": collector.address(),
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        fs::write(out, text + "\n").map_err(|e| format!("could not write {}: {e}", out.display()))?;
        println!(
            "sdk-fixtures: a credit token at {token}, a DID registry at {registry} and clearing at {clearing} on {}, written to {}",
            chain.chain_id,
            out.display()
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_deterministic_and_named_once() {
        let (a, b) = (cases(), cases());
        assert_eq!(a, b);
        let mut names: Vec<&str> = a.iter().map(|c| c["name"].as_str().unwrap()).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "two cases share a name");
        // At least one expected answer carries an amount a JavaScript number cannot hold.
        assert!(a.iter().any(|c| c["expect"]["equals"].as_str().is_some_and(|e| e.contains("000000000000000000\""))));
    }
}
