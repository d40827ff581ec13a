//! The SDK's functions as plain Rust: JSON in, JSON out, [`SdkError`] on bad input. The wasm exports
//! in the crate root wrap them one to one.

use std::fmt;

use serde::de::DeserializeOwned;

/// What went wrong, said so that the caller knows what to change: the function, the argument, and
/// what it should have been; and a stable `code` for programs (JavaScript gets it as the Error's
/// `code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkError {
    code: String,
    message: String,
}

/// The code of a malformed argument (not JSON, the wrong shape, not a number).
pub const INVALID_ARGUMENT: &str = "invalid_argument";

impl SdkError {
    /// An [`INVALID_ARGUMENT`] error.
    pub fn new(message: impl Into<String>) -> SdkError {
        SdkError::coded(INVALID_ARGUMENT, message)
    }

    pub fn coded(code: impl Into<String>, message: impl Into<String>) -> SdkError {
        SdkError { code: code.into(), message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn code(&self) -> &str {
        &self.code
    }
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SdkError {}

/// Parses argument `arg` of `function` as a `T` (described as `what`, e.g. "a ScoringInputs object"),
/// or says what was wrong with it and what to pass instead.
///
/// Through a `serde_json::Value`: each type's deserialization is then instantiated for the value's
/// deserializer only, not also for the text parser's, which keeps the page's bundle smaller
/// (BENCHMARKS.md, "Wasm SDK bundle"). Results are written straight from their types, so their keys
/// stay in the fields' order.
pub fn parse<T: DeserializeOwned>(function: &str, arg: &str, what: &str, json: &str) -> Result<T, SdkError> {
    serde_json::from_str::<serde_json::Value>(json).and_then(json_in::from_value).map_err(|e| {
        let problem =
            if e.is_syntax() || e.is_eof() { "is not valid JSON" } else { "does not have the expected shape" };
        SdkError::new(format!(
            "{function}: {arg} {problem} ({e}); pass JSON.stringify() of {what} (128-bit amounts as decimal strings)"
        ))
    })
}

pub(crate) fn to_json<T: serde::Serialize>(function: &str, value: &T) -> Result<String, SdkError> {
    serde_json::to_string(value)
        .map_err(|e| SdkError::new(format!("{function}: could not write the result as JSON ({e}); this is a bug")))
}

/// The workspace version the SDK was built from.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// `"full"` with the prover (feature `prover`), `"core"` without.
pub fn bundle() -> &'static str {
    if cfg!(feature = "prover") {
        "full"
    } else {
        "core"
    }
}

mod json_in;

// Underwriters' scoring: in the full bundle, beside the prover (the core is what a checkout page
// needs: ledger, clearing, DIDs, keys, signing).
#[cfg(feature = "scoring")]
mod scoring;
#[cfg(feature = "scoring")]
pub use scoring::{default_scoring_params, scoring_inputs_from_predicates, suggested_limit};

/// `resource_zk::prove_json`: a Groth16 proof of the statement `request_json` (a `ProofRequest`:
/// `{ credential, thresholds, validUntil }`) asks for, with the proving-key file's bytes; returns a
/// `CredentialProof` as JSON (what the verifier contract's `SubmitCredentialProof` carries).
#[cfg(feature = "prover")]
pub fn prove_credential(request_json: &str, proving_key: &[u8]) -> Result<String, SdkError> {
    use resource_zk::ZkError;
    const F: &str = "proveCredential";
    resource_zk::prove_json(request_json, proving_key).map_err(|e| match e {
        ZkError::Json { .. } => SdkError::new(format!(
            "{F}: requestJson is not a proof request ({e}); pass JSON.stringify({{ credential, thresholds, validUntil }}) \
             with the credential exactly as the attester issued it"
        )),
        ZkError::KeyFile { .. } => SdkError::new(format!(
            "{F}: provingKey: {e}; pass the bytes of the kind's .pk file as a Uint8Array (e.g. new \
             Uint8Array(await (await fetch(url)).arrayBuffer()))"
        )),
        e => SdkError::coded("proof_failed", format!("{F}: {e}")),
    })
}

/// A decimal string as a `u128` (amounts) or `u64` (times), or what to pass instead.
fn number<T: std::str::FromStr>(function: &str, arg: &str, text: &str) -> Result<T, SdkError> {
    text.trim().parse().map_err(|_| {
        SdkError::new(format!(
            "{function}: {arg} {text:?} is not a whole number; pass a decimal string such as \"1000000\""
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// Ledger previews

/// `resource_msgs::credit_token::preview_payment`: what a `Transfer` of `amount` would do, from the
/// token's `Config` answer, the sender's and receiver's `CreditAccount` answers, the fee collector's
/// (`""` or `"null"` when not needed) and the chain's time `now` (unix seconds). Returns a
/// `PaymentPreview`; a refusal throws with the token's message and a code such as
/// `insufficient_credit`.
pub fn preview_payment(
    config_json: &str,
    sender_json: &str,
    receiver_json: &str,
    collector_json: &str,
    amount: &str,
    now: &str,
) -> Result<String, SdkError> {
    use resource_msgs::credit_token::{preview_payment, ConfigResponse, CreditAccountResponse};
    const F: &str = "previewPayment";
    let config: ConfigResponse = parse(F, "configJson", "the token's Config answer", config_json)?;
    let sender: CreditAccountResponse = parse(F, "senderJson", "the sender's CreditAccount answer", sender_json)?;
    let receiver: CreditAccountResponse =
        parse(F, "receiverJson", "the receiver's CreditAccount answer", receiver_json)?;
    let collector: Option<CreditAccountResponse> = match collector_json.trim() {
        "" | "null" => None,
        json => Some(parse(F, "collectorJson", "the fee collector's CreditAccount answer", json)?),
    };
    let amount: u128 = number(F, "amount", amount)?;
    let now: u64 = number(F, "now", now)?;
    let preview = preview_payment(&config, &sender, &receiver, collector.as_ref(), amount, now)
        .map_err(|e| SdkError::coded(e.code(), format!("{F}: {e}")))?;
    to_json(F, &preview)
}

// ---------------------------------------------------------------------------------------------
// Clearing

/// The obligations of a clearing contract's `Outstanding` answer (`{ obligations: [...] }`, each an
/// `ObligationResponse`), as the clearing rules take them.
fn outstanding(function: &str, json: &str) -> Result<Vec<resource_core::clearing::Obligation<String>>, SdkError> {
    let answer: resource_msgs::clearing::ObligationsResponse =
        parse(function, "outstandingJson", "the clearing contract's Outstanding answer", json)?;
    Ok(answer.obligations.iter().map(resource_msgs::clearing::ObligationResponse::outstanding).collect())
}

/// `resource_core::clearing::solve` over the clearing contract's `Outstanding` answer: the largest
/// set-off, as the entries `SubmitSetOff` takes (`[{ id, amount }]`).
pub fn solve_clearing(outstanding_json: &str) -> Result<String, SdkError> {
    const F: &str = "solveClearing";
    let obligations = outstanding(F, outstanding_json)?;
    let set_off = resource_core::clearing::solve(&obligations)
        .map_err(|e| SdkError::coded("clearing_refused", format!("{F}: {e}")))?;
    let entries: Vec<resource_msgs::clearing::SetOffEntry> = set_off.entries.into_iter().map(Into::into).collect();
    to_json(F, &entries)
}

/// `resource_core::clearing::verify`: checks set-off entries (`[{ id, amount }]`) against the
/// `Outstanding` answer, as the clearing contract does; returns `{ total, per_participant:
/// [[participant, cleared], ...] }`.
pub fn verify_clearing(outstanding_json: &str, entries_json: &str) -> Result<String, SdkError> {
    const F: &str = "verifyClearing";
    let obligations = outstanding(F, outstanding_json)?;
    let entries: Vec<resource_msgs::clearing::SetOffEntry> =
        parse(F, "entriesJson", "an array of { id, amount }", entries_json)?;
    let set_off = resource_core::clearing::SetOff { entries: entries.into_iter().map(Into::into).collect() };
    let verified = resource_core::clearing::verify(&obligations, &set_off)
        .map_err(|e| SdkError::coded("set_off_invalid", format!("{F}: {e}")))?;
    #[derive(serde::Serialize)]
    struct Verified {
        per_participant: Vec<(String, String)>,
        total: String,
    }
    let per_participant = verified.per_participant.into_iter().map(|(p, a)| (p, a.to_string())).collect();
    to_json(F, &Verified { per_participant, total: verified.total.to_string() })
}

// ---------------------------------------------------------------------------------------------
// DIDs

/// Parses a DID or DID URL (`resource_core::did`): `{ did, method, method_specific_id, path,
/// query, fragment }`, and for a `did:resource` DID also `{ chain_id, address, suffix }`.
pub fn parse_did(text: &str) -> Result<String, SdkError> {
    use resource_core::did::{DidUrl, ResourceDid};
    const F: &str = "parseDid";
    let url = DidUrl::parse(text).map_err(|e| SdkError::coded("invalid_did", format!("{F}: {e}")))?;
    let did = url.did();
    // Keys in alphabetical order, as the answer has always been written.
    #[derive(serde::Serialize)]
    struct Parsed<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        chain_id: Option<&'a str>,
        did: &'a str,
        fragment: Option<&'a str>,
        method: &'a str,
        method_specific_id: &'a str,
        path: &'a str,
        query: Option<&'a str>,
        /// For a `did:resource` DID: its suffix or `null`.
        #[serde(skip_serializing_if = "Option::is_none")]
        suffix: Option<Option<&'a str>>,
    }
    let resource = if did.method() == resource_core::did::RESOURCE_METHOD {
        Some(ResourceDid::parse(did.as_str()).map_err(|e| SdkError::coded("invalid_did", format!("{F}: {e}")))?)
    } else {
        None
    };
    let out = Parsed {
        address: resource.as_ref().map(|r| r.address()),
        chain_id: resource.as_ref().map(|r| r.chain_id()),
        did: did.as_str(),
        fragment: url.fragment(),
        method: did.method(),
        method_specific_id: did.method_specific_id(),
        path: url.path(),
        query: url.query(),
        suffix: resource.as_ref().map(|r| r.suffix()),
    };
    to_json(F, &out)
}

fn did_error(function: &str, e: impl fmt::Display) -> SdkError {
    SdkError::coded("invalid_did", format!("{function}: {e}"))
}

fn document_error(function: &str, e: resource_core::did::DocumentError) -> SdkError {
    SdkError::coded("invalid_document", format!("{function}: {e}"))
}

/// A service of [`member_did_document`]: `id` a fragment (`"shop"`) or a full DID URL.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ServiceInput {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    service_endpoint: resource_core::did::ServiceEndpoint,
}

/// The DID document of a member's account DID `did:resource:<chainId>:<address>`: the wallet's
/// secp256k1 key (`publicKeyHex`, which must be the key of `address`) as verification method
/// `#key-1` (Multikey) and authentication, and the services of `servicesJson` (`[{ id, type,
/// serviceEndpoint }]`, `id` a fragment or a DID URL). Checked by the registry's own rules
/// (`check_document`), `@context` derived from the key types.
pub fn member_did_document(
    chain_id: &str,
    address: &str,
    public_key_hex: &str,
    services_json: &str,
) -> Result<String, SdkError> {
    use resource_core::did::{
        check_document, encode_multibase_key, DidDocument, DidUrl, KeyCodec, KeyType, ResourceDid, Service,
        VerificationMethod,
    };
    const F: &str = "memberDidDocument";
    let did = ResourceDid::account(chain_id.trim(), address.trim()).map_err(|e| did_error(F, e))?;
    let key = public_key(F, public_key_hex)?;
    let prefix = address.trim().rsplit_once('1').map(|(hrp, _)| hrp).unwrap_or_default();
    let owner = resource_keys::address_of(&key, prefix).map_err(|e| key_error(F, e))?;
    if owner != address.trim() {
        return Err(SdkError::coded(
            "wrong_key",
            format!(
                "{F}: publicKeyHex is the key of {owner}, not of {}; pass the wallet's own public_key",
                address.trim()
            ),
        ));
    }
    let services: Vec<ServiceInput> =
        parse(F, "servicesJson", "an array of { id, type, serviceEndpoint } (may be [])", services_json)?;
    let url = |id: &str| -> Result<DidUrl, SdkError> {
        if id.starts_with("did:") {
            DidUrl::parse(id).map_err(|e| did_error(F, e))
        } else {
            did.did().with_fragment(id.trim_start_matches('#')).map_err(|e| did_error(F, e))
        }
    };
    let mut doc = DidDocument::new(did.did().clone(), vec![did.did().clone()]);
    let key_id = url("key-1")?;
    doc.verification_method.push(VerificationMethod::multibase(
        key_id.clone(),
        KeyType::Multikey,
        did.did().clone(),
        encode_multibase_key(KeyCodec::Secp256k1, &key),
    ));
    doc.authentication.push(key_id);
    for s in services {
        doc.service.push(Service { id: url(&s.id)?, kind: s.kind, service_endpoint: s.service_endpoint });
    }
    doc.normalize();
    check_document(&doc).map_err(|e| document_error(F, e))?;
    to_json(F, &doc)
}

/// The DID registry's `Create` message for `did` (empty: the sender's account DID) with
/// `documentJson` (empty: the registry's default document), the document checked by the registry's
/// rules first.
pub fn did_create_message(did: &str, document_json: &str) -> Result<String, SdkError> {
    use resource_core::did::{check_document, DidDocument, ResourceDid};
    const F: &str = "didCreateMessage";
    let did = match did.trim() {
        "" => None,
        text => Some(ResourceDid::parse(text).map_err(|e| did_error(F, e))?),
    };
    let document = match document_json.trim() {
        "" => None,
        text => {
            let mut doc: DidDocument = parse(F, "documentJson", "a DID document (e.g. memberDidDocument's)", text)?;
            if let Some(did) = &did {
                if doc.id != *did.did() {
                    return Err(SdkError::coded(
                        "invalid_document",
                        format!("{F}: the document's id is {}, not {}", doc.id, did),
                    ));
                }
            }
            doc.normalize();
            check_document(&doc).map_err(|e| document_error(F, e))?;
            Some(doc)
        }
    };
    let msg = resource_msgs::did_registry::ExecuteMsg::Create { did: did.map(|d| d.to_string()), document };
    to_json(F, &msg)
}

/// The DID registry's `Update` message that applies `changeJson` (`{ replace: { document } }` or
/// `{ patch: { ops: [...] } }`) to `currentJson` (the document as the registry resolves it, e.g.
/// `Chain.resolveDid(...).didDocument`): `{ msg, document }`, the message and the document it will
/// make, computed by the registry's own rules (`apply_update`). Who may update is the registry's
/// check on chain.
pub fn did_update_message(current_json: &str, change_json: &str) -> Result<String, SdkError> {
    use resource_core::did::{apply_update, DidDocument, DocumentUpdate};
    const F: &str = "didUpdateMessage";
    let current: DidDocument = parse(F, "currentJson", "the current DID document", current_json)?;
    let change: DocumentUpdate =
        parse(F, "changeJson", "{ replace: { document } } or { patch: { ops: [...] } }", change_json)?;
    let document = apply_update(&current, change.clone()).map_err(|e| document_error(F, e))?;
    let msg = resource_msgs::did_registry::ExecuteMsg::Update { did: current.id.to_string(), change };
    #[derive(serde::Serialize)]
    struct Update {
        document: DidDocument,
        msg: resource_msgs::did_registry::ExecuteMsg,
    }
    to_json(F, &Update { document, msg })
}

// ---------------------------------------------------------------------------------------------
// Keys (resource-keys): the randomness is the OS's (crypto.getRandomValues in wasm32)

fn key_error(function: &str, e: resource_keys::KeyError) -> SdkError {
    SdkError::coded(e.code(), format!("{function}: {e}"))
}

fn wallet_json(function: &str, key: &resource_keys::CosmosKey, phrase: Option<&str>) -> Result<String, SdkError> {
    #[derive(serde::Serialize)]
    struct Wallet<'a> {
        address: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        phrase: Option<&'a str>,
        public_key: String,
    }
    to_json(function, &Wallet { address: key.address(), phrase, public_key: hex(&key.public_key()) })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new wallet: `{ phrase, address, public_key }` (`words` 12 or 24, the chain's bech32 `prefix`).
pub fn create_wallet(words: u32, prefix: &str) -> Result<String, SdkError> {
    const F: &str = "createWallet";
    let count = match words {
        12 => resource_keys::WordCount::Twelve,
        24 => resource_keys::WordCount::TwentyFour,
        other => return Err(SdkError::new(format!("{F}: words is {other}; pass 12 or 24"))),
    };
    let secret = resource_keys::Secret::generate(count, &mut rand_core::OsRng);
    let key = resource_keys::CosmosKey::derive(&secret, prefix).map_err(|e| key_error(F, e))?;
    wallet_json(F, &key, Some(&secret.phrase()))
}

/// The wallet of a recovery phrase: `{ address, public_key }`.
pub fn wallet_from_phrase(phrase: &str, prefix: &str) -> Result<String, SdkError> {
    const F: &str = "walletFromPhrase";
    let secret = resource_keys::Secret::from_phrase(phrase).map_err(|e| key_error(F, e))?;
    let key = resource_keys::CosmosKey::derive(&secret, prefix).map_err(|e| key_error(F, e))?;
    wallet_json(F, &key, None)
}

/// The 2-of-3 shares of a recovery phrase: `{ device, guardian, recovery }`.
pub fn split_phrase(phrase: &str) -> Result<String, SdkError> {
    const F: &str = "splitPhrase";
    let secret = resource_keys::Secret::from_phrase(phrase).map_err(|e| key_error(F, e))?;
    let shares = resource_keys::split(&secret, &mut rand_core::OsRng);
    #[derive(serde::Serialize)]
    struct Shares<'a> {
        device: &'a str,
        guardian: &'a str,
        recovery: &'a str,
    }
    to_json(F, &Shares { device: &shares.device, guardian: &shares.guardian, recovery: &shares.recovery })
}

/// The recovery phrase two (or three) shares recover: `sharesJson` is `["rshare1...", ...]`.
pub fn recover_phrase(shares_json: &str) -> Result<String, SdkError> {
    const F: &str = "recoverPhrase";
    let shares: Vec<String> = parse(F, "sharesJson", "an array of share strings", shares_json)?;
    let refs: Vec<&str> = shares.iter().map(String::as_str).collect();
    let secret = resource_keys::recover(&refs).map_err(|e| key_error(F, e))?;
    Ok(secret.phrase().to_string())
}

/// The device share sealed with `passphrase`, as JSON to store on the device.
pub fn seal_share(share: &str, passphrase: &str) -> Result<String, SdkError> {
    const F: &str = "sealShare";
    let sealed = resource_keys::seal(share, passphrase, &mut rand_core::OsRng).map_err(|e| key_error(F, e))?;
    to_json(F, &sealed)
}

/// The share a sealed device share holds, with the passphrase it was sealed with.
pub fn open_share(sealed_json: &str, passphrase: &str) -> Result<String, SdkError> {
    const F: &str = "openShare";
    let sealed: resource_keys::SealedShare =
        parse(F, "sealedJson", "a sealed share as sealShare returned it", sealed_json)
            .map_err(|e| SdkError::coded("malformed_sealed_share", e.message().to_string()))?;
    let share = resource_keys::open(&sealed, passphrase).map_err(|e| key_error(F, e))?;
    Ok(share.to_string())
}

// ---------------------------------------------------------------------------------------------
// Transactions (resource-tx): built and signed here, fetched and broadcast by the caller

/// Base64 `text`, or what to pass instead: `hint` says where the bytes come from.
fn base64_bytes_of(function: &str, arg: &str, text: &str, hint: &str) -> Result<Vec<u8>, SdkError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| SdkError::new(format!("{function}: {arg} is not base64 ({e}); {hint}")))
}

/// A node's answer in base64.
fn base64_bytes(function: &str, arg: &str, text: &str) -> Result<Vec<u8>, SdkError> {
    base64_bytes_of(function, arg, text, "pass the node's answer as it came (response.value)")
}

/// Transaction bytes in base64, from `prepareExecute` or a signer.
fn tx_bytes(function: &str, arg: &str, text: &str) -> Result<Vec<u8>, SdkError> {
    base64_bytes_of(function, arg, text, "pass the bytes as prepareExecute (or the signer) returned them, in base64")
}

fn base64_string(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn tx_error(function: &str, e: resource_tx::TxError) -> SdkError {
    SdkError::coded(e.code(), format!("{function}: {e}"))
}

/// The account number and sequence in the node's answer to `/cosmos.auth.v1beta1.Query/Account`
/// (base64, as an RPC `abci_query` returns it): `{ account_number, sequence }`. Injective's
/// `EthAccount`, plain, module and vesting accounts are read.
pub fn decode_account(response_base64: &str) -> Result<String, SdkError> {
    const F: &str = "decodeAccount";
    let bytes = base64_bytes(F, "responseBase64", response_base64)?;
    let (account_number, sequence) = resource_tx::account_of_response(&bytes).map_err(|e| tx_error(F, e))?;
    #[derive(serde::Serialize)]
    struct Account {
        account_number: u64,
        sequence: u64,
    }
    to_json(F, &Account { account_number, sequence })
}

/// The request bytes (base64) of `/cosmos.auth.v1beta1.Query/Account` for `address`.
pub fn account_request(address: &str) -> Result<String, SdkError> {
    use cosmos_sdk_proto::prost::Message as _;
    let request = cosmos_sdk_proto::cosmos::auth::v1beta1::QueryAccountRequest { address: address.trim().to_string() };
    Ok(base64_string(&request.encode_to_vec()))
}

/// One message of a transaction: a contract call `{ contract, msg, funds? }`, or a bank transfer
/// `{ bank_send: { to_address, amount: [{ denom, amount }] } }` (gas money for a new account).
// Told apart by the `bank_send` key rather than `#[serde(untagged)]`, whose buffering deserializer
// would be a second copy of every field's deserialization in the page's bundle.
enum Call {
    BankSend(BankSend),
    Execute(resource_tx::Execute),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BankSend {
    to_address: String,
    amount: Vec<resource_tx::Coin>,
}

fn executes(function: &str, json: &str) -> Result<Vec<Call>, SdkError> {
    const WHAT: &str = "an array of { contract, msg, funds? } or { bank_send: { to_address, amount } }";
    let values: Vec<serde_json::Value> = parse(function, "executesJson", WHAT, json)?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, mut value)| {
            let call = match value.get_mut("bank_send").map(serde_json::Value::take) {
                Some(send) => json_in::from_value(send).map(Call::BankSend),
                None => json_in::from_value(value).map(Call::Execute),
            };
            call.map_err(|e| {
                SdkError::new(format!(
                    "{function}: executesJson[{i}] does not have the expected shape ({e}); pass JSON.stringify() of {WHAT}"
                ))
            })
        })
        .collect()
}

/// The request bytes (base64) of `/cosmwasm.wasm.v1.Query/SmartContractState`: the contract's query
/// `msgJson` (from its TypeScript client or `resource_msgs`) to `contract`.
pub fn smart_query_request(contract: &str, msg_json: &str) -> Result<String, SdkError> {
    use cosmos_sdk_proto::prost::Message as _;
    const F: &str = "smartQueryRequest";
    let msg: serde_json::Value = parse(F, "msgJson", "the contract's query message", msg_json)?;
    let request = cosmos_sdk_proto::cosmwasm::wasm::v1::QuerySmartContractStateRequest {
        address: contract.trim().to_string(),
        query_data: serde_json::to_vec(&msg).map_err(|e| SdkError::new(format!("{F}: {e}")))?,
    };
    Ok(base64_string(&request.encode_to_vec()))
}

/// The contract's answer (JSON) in the node's `SmartContractState` answer (base64).
pub fn decode_smart_query(response_base64: &str) -> Result<String, SdkError> {
    use cosmos_sdk_proto::prost::Message as _;
    const F: &str = "decodeSmartQuery";
    let bytes = base64_bytes(F, "responseBase64", response_base64)?;
    let response = cosmos_sdk_proto::cosmwasm::wasm::v1::QuerySmartContractStateResponse::decode(bytes.as_slice())
        .map_err(|e| SdkError::coded("query_unreadable", format!("{F}: the node's answer cannot be read ({e})")))?;
    String::from_utf8(response.data)
        .map_err(|_| SdkError::coded("query_unreadable", format!("{F}: the contract's answer is not text")))
}

/// A compressed secp256k1 public key given as hex (as `createWallet` returns it, or a wallet's
/// `getAccounts()[0].pubkey` in hex).
fn public_key(function: &str, text: &str) -> Result<[u8; 33], SdkError> {
    let text = text.trim();
    let bytes: Option<Vec<u8>> = (text.len() % 2 == 0)
        .then(|| (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect())
        .flatten();
    bytes.and_then(|b| <[u8; 33]>::try_from(b).ok()).ok_or_else(|| {
        SdkError::new(format!(
            "{function}: publicKeyHex {text:?} is not a compressed secp256k1 public key; pass the 33 bytes as \
             66 hex digits (the wallet's public_key, or its signer's getAccounts()[0].pubkey in hex)"
        ))
    })
}

/// The `MsgExecuteContract`s of `executesJson`, sent by the address of `public_key` under `prefix`.
fn execute_body(
    function: &str,
    public_key: &[u8; 33],
    prefix: &str,
    executes_json: &str,
    memo: &str,
) -> Result<cosmos_sdk_proto::cosmos::tx::v1beta1::TxBody, SdkError> {
    let sender = resource_keys::address_of(public_key, prefix).map_err(|e| key_error(function, e))?;
    let msgs = executes(function, executes_json)?
        .iter()
        .map(|call| match call {
            Call::Execute(e) => resource_tx::execute_msg(&sender, e),
            Call::BankSend(send) => resource_tx::send_msg(&sender, &send.to_address, &send.amount),
        })
        .collect();
    Ok(resource_tx::body(msgs, memo))
}

/// The request bytes (base64) of `/cosmos.tx.v1beta1.Service/Simulate` for the calls `executesJson`
/// sent by the holder of `publicKeyHex` at `sequence` (a decimal string). No key is needed: a node
/// does not check signatures when it simulates.
pub fn simulate_request(
    public_key_hex: &str,
    prefix: &str,
    executes_json: &str,
    sequence: &str,
    memo: &str,
) -> Result<String, SdkError> {
    const F: &str = "simulateRequest";
    let sequence: u64 = number(F, "sequence", sequence)?;
    let key = public_key(F, public_key_hex)?;
    let body = execute_body(F, &key, prefix, executes_json, memo)?;
    Ok(base64_string(&resource_tx::simulate_request(&key, &body, sequence)))
}

/// The unsigned transaction of the calls `executesJson` from the holder of `publicKeyHex`, paying
/// `feeJson` at `sequence`: `{ sender, body_bytes, auth_info_bytes }` (the sender's address; the
/// bytes in base64), the two parts of the
/// `SignDoc` any `SIGN_MODE_DIRECT` signer signs (Keplr, Leap, a cosmjs `OfflineDirectSigner`, or
/// `signDirect` below).
pub fn prepare_execute(
    public_key_hex: &str,
    prefix: &str,
    executes_json: &str,
    fee_json: &str,
    sequence: &str,
    memo: &str,
) -> Result<String, SdkError> {
    const F: &str = "prepareExecute";
    let key = public_key(F, public_key_hex)?;
    let fee: resource_tx::Fee = parse(F, "feeJson", "{ amount: [{ denom, amount }], gas_limit }", fee_json)?;
    let sequence: u64 = number(F, "sequence", sequence)?;
    let sender = resource_keys::address_of(&key, prefix).map_err(|e| key_error(F, e))?;
    let body = execute_body(F, &key, prefix, executes_json, memo)?;
    let unsigned = resource_tx::unsigned(&key, &body, &fee, sequence);
    #[derive(serde::Serialize)]
    struct Prepared {
        auth_info_bytes: String,
        body_bytes: String,
        sender: String,
    }
    to_json(
        F,
        &Prepared {
            auth_info_bytes: base64_string(&unsigned.auth_info_bytes),
            body_bytes: base64_string(&unsigned.body_bytes),
            sender,
        },
    )
}

/// The wallet of `phrase` signs a `SignDoc` in `SIGN_MODE_DIRECT`: its `bodyBytes` and
/// `authInfoBytes` (base64), `chainId` and `accountNumber` (a decimal string). Returns `{ signature,
/// public_key }`: the 64-byte signature in base64 and the compressed public key in hex. This is what
/// the SDK's cosmjs-compatible signer (`js/signer.mjs`) calls.
pub fn sign_direct(
    phrase: &str,
    prefix: &str,
    body_bytes_base64: &str,
    auth_info_bytes_base64: &str,
    chain_id: &str,
    account_number: &str,
) -> Result<String, SdkError> {
    const F: &str = "signDirect";
    let key = derive(F, phrase, prefix)?;
    let unsigned = resource_tx::Unsigned {
        body_bytes: tx_bytes(F, "bodyBytesBase64", body_bytes_base64)?,
        auth_info_bytes: tx_bytes(F, "authInfoBytesBase64", auth_info_bytes_base64)?,
    };
    if chain_id.trim().is_empty() {
        return Err(SdkError::new(format!("{F}: chainId is empty; pass the chain's id (e.g. \"injective-1\")")));
    }
    let account_number: u64 = number(F, "accountNumber", account_number)?;
    let signature = key.sign(&resource_tx::sign_doc(&unsigned, chain_id.trim(), account_number));
    #[derive(serde::Serialize)]
    struct Signed {
        public_key: String,
        signature: String,
    }
    to_json(F, &Signed { public_key: hex(&key.public_key()), signature: base64_string(&signature) })
}

/// The transaction a node broadcasts (base64 `TxRaw`) from the signed `bodyBytes` and
/// `authInfoBytes` (base64, as the signer returned them: a wallet may have changed the fee) and the
/// signature (base64, 64 bytes).
pub fn encode_tx(
    body_bytes_base64: &str,
    auth_info_bytes_base64: &str,
    signature_base64: &str,
) -> Result<String, SdkError> {
    const F: &str = "encodeTx";
    let unsigned = resource_tx::Unsigned {
        body_bytes: tx_bytes(F, "bodyBytesBase64", body_bytes_base64)?,
        auth_info_bytes: tx_bytes(F, "authInfoBytesBase64", auth_info_bytes_base64)?,
    };
    let signature = tx_bytes(F, "signatureBase64", signature_base64)?;
    if signature.len() != 64 {
        return Err(SdkError::coded(
            "invalid_signature",
            format!(
                "{F}: the signature is {} bytes, not 64; pass the signer's signature.signature as it returned it",
                signature.len()
            ),
        ));
    }
    Ok(base64_string(&resource_tx::tx_raw(unsigned, signature)))
}

/// The gas a simulation used, from the node's `SimulateResponse` (base64).
pub fn simulated_gas(response_base64: &str) -> Result<String, SdkError> {
    const F: &str = "simulatedGas";
    let bytes = base64_bytes(F, "responseBase64", response_base64)?;
    resource_tx::simulated_gas(&bytes).map(|gas| gas.to_string()).map_err(|e| tx_error(F, e))
}

fn derive(function: &str, phrase: &str, prefix: &str) -> Result<resource_keys::CosmosKey, SdkError> {
    let secret = resource_keys::Secret::from_phrase(phrase).map_err(|e| key_error(function, e))?;
    resource_keys::CosmosKey::derive(&secret, prefix).map_err(|e| key_error(function, e))
}

/// The transaction (base64 `TxRaw`, what `broadcast_tx_sync` takes) of the calls `executesJson`,
/// signed in `SIGN_MODE_DIRECT` by the wallet of `phrase`: `feeJson` is `{ amount: [{ denom,
/// amount }], gas_limit }`, `signerJson` `{ chain_id, account_number, sequence }`.
pub fn sign_execute(
    phrase: &str,
    prefix: &str,
    executes_json: &str,
    fee_json: &str,
    signer_json: &str,
    memo: &str,
) -> Result<String, SdkError> {
    const F: &str = "signExecute";
    let key = derive(F, phrase, prefix)?;
    let fee: resource_tx::Fee = parse(F, "feeJson", "{ amount: [{ denom, amount }], gas_limit }", fee_json)?;
    let signer: resource_tx::Signer = parse(F, "signerJson", "{ chain_id, account_number, sequence }", signer_json)?;
    let body = execute_body(F, &key.public_key(), prefix, executes_json, memo)?;
    Ok(base64_string(&resource_tx::sign_direct(&key, &body, &fee, &signer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "prover")]
    #[test]
    fn prove_credential_names_what_is_wrong() {
        let err = prove_credential("{}", b"").unwrap_err();
        assert!(err.message().starts_with("proveCredential: requestJson is not a proof request"), "{err}");
        assert!(err.message().contains("JSON.stringify({ credential, thresholds, validUntil })"), "{err}");
    }
}
