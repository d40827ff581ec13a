//! The ReSource SDK for JavaScript: the same Rust functions the contracts and the CLI call, compiled
//! to WebAssembly and exported with wasm-bindgen for Node (`--target nodejs`) and browsers
//! (`--target web`). `cargo xtask sdk` builds both packages into `sdk-wasm/pkg/`.
//!
//! Credential proofs (feature `prover`, the full bundle) are `resource_zk::prove_json`: the Groth16
//! prover the CLI runs natively, here with the browser's (or Node's) `crypto.getRandomValues` as its
//! randomness. The underwriters' scoring (feature `scoring`) is in the full bundle too. Without
//! the two features the core bundle has everything else: what a checkout page needs.
//!
//! Every export takes and returns JSON strings in resource-core's own serde shapes (128-bit amounts
//! as decimal strings, so JavaScript never loses precision) and throws a JavaScript `Error` whose
//! message names the argument that was wrong and what was expected, and whose `code` is stable
//! (`invalid_argument`, `insufficient_credit`, `wrong_passphrase`, ...).
//!
//! The functions themselves live in [`api`], plain Rust returning [`SdkError`], so that native tests
//! and `sdk-fixtures` (which computes the values the JavaScript tests must see) call exactly the code
//! the wasm runs; the `#[wasm_bindgen]` wrappers below only convert errors.

pub mod api;

pub use api::SdkError;

use wasm_bindgen::prelude::*;

/// A JavaScript `Error` with the message and a `code` property.
fn js(err: SdkError) -> JsValue {
    let error = js_sys::Error::new(err.message());
    // Setting a property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(err.code()));
    error.into()
}

/// The SDK's version (the workspace version it was built from).
#[wasm_bindgen]
pub fn version() -> String {
    api::version().to_string()
}

/// `"full"` when this bundle has the prover (`proveCredential`), else `"core"`.
#[wasm_bindgen]
pub fn bundle() -> String {
    api::bundle().to_string()
}

/// The suggested credit limit and its reasons (`resource_core::underwriting::suggested_limit`).
///
/// `inputsJson` is a `ScoringInputs`, `paramsJson` a `ScoringParams`; returns a `Suggestion` as JSON.
#[cfg(feature = "scoring")]
#[wasm_bindgen(js_name = suggestedLimit)]
pub fn suggested_limit(
    #[wasm_bindgen(js_name = inputsJson)] inputs_json: &str,
    #[wasm_bindgen(js_name = paramsJson)] params_json: &str,
) -> Result<String, JsValue> {
    api::suggested_limit(inputs_json, params_json).map_err(js)
}

/// A network's default scoring weights for a token whose whole unit is `unit` smallest units
/// (a decimal string, e.g. `"1000000"` for 6 decimals), as `ScoringParams` JSON.
#[cfg(feature = "scoring")]
#[wasm_bindgen(js_name = defaultScoringParams)]
pub fn default_scoring_params(unit: &str) -> Result<String, JsValue> {
    api::default_scoring_params(unit).map_err(js)
}

/// The `ScoringInputs` that claims taken as proven establish, with a member's reputation summary:
/// `claimsJson` is `[["platform_rating", "rating>=45;reviews>=100"], ...]`, `historyJson` a
/// `ReputationSummary`.
#[cfg(feature = "scoring")]
#[wasm_bindgen(js_name = scoringInputsFromPredicates)]
pub fn scoring_inputs_from_predicates(
    #[wasm_bindgen(js_name = claimsJson)] claims_json: &str,
    #[wasm_bindgen(js_name = historyJson)] history_json: &str,
) -> Result<String, JsValue> {
    api::scoring_inputs_from_predicates(claims_json, history_json).map_err(js)
}

/// A zero-knowledge proof that a credential meets thresholds (`resource_zk::prove_json`).
///
/// `requestJson` is a `ProofRequest` (`{ credential, thresholds, validUntil }`), `provingKey` the bytes
/// of the claim kind's proving-key file (`rating.pk`, `revenue.pk` or `tenure.pk`); returns a
/// `CredentialProof` as JSON, which the verifier contract takes. Nothing private leaves the page:
/// the proof reveals only the commitment, the attester's signature and the statement.
#[cfg(feature = "prover")]
#[wasm_bindgen(js_name = proveCredential)]
pub fn prove_credential(
    #[wasm_bindgen(js_name = requestJson)] request_json: &str,
    #[wasm_bindgen(js_name = provingKey)] proving_key: &[u8],
) -> Result<String, JsValue> {
    api::prove_credential(request_json, proving_key).map_err(js)
}

/// What a `Transfer` of `amount` would do (`resource_msgs::credit_token::preview_payment`): fee,
/// minted, burned and the balances after, exactly as the token computes it, from its `Config`
/// answer, the parties' `CreditAccount` answers (and the fee collector's, or `""`, when the
/// collector is a third account) and the chain's time; a refusal throws with the token's message.
#[wasm_bindgen(js_name = previewPayment)]
pub fn preview_payment(
    #[wasm_bindgen(js_name = configJson)] config_json: &str,
    #[wasm_bindgen(js_name = senderJson)] sender_json: &str,
    #[wasm_bindgen(js_name = receiverJson)] receiver_json: &str,
    #[wasm_bindgen(js_name = collectorJson)] collector_json: &str,
    amount: &str,
    now: &str,
) -> Result<String, JsValue> {
    api::preview_payment(config_json, sender_json, receiver_json, collector_json, amount, now).map_err(js)
}

/// The largest set-off of a clearing contract's `Outstanding` answer (`resource_core::clearing::solve`),
/// as the entries `SubmitSetOff` takes.
#[wasm_bindgen(js_name = solveClearing)]
pub fn solve_clearing(#[wasm_bindgen(js_name = outstandingJson)] outstanding_json: &str) -> Result<String, JsValue> {
    api::solve_clearing(outstanding_json).map_err(js)
}

/// Checks set-off entries against the `Outstanding` answer (`resource_core::clearing::verify`).
#[wasm_bindgen(js_name = verifyClearing)]
pub fn verify_clearing(
    #[wasm_bindgen(js_name = outstandingJson)] outstanding_json: &str,
    #[wasm_bindgen(js_name = entriesJson)] entries_json: &str,
) -> Result<String, JsValue> {
    api::verify_clearing(outstanding_json, entries_json).map_err(js)
}

/// A DID or DID URL, parsed and validated (`resource_core::did`).
#[wasm_bindgen(js_name = parseDid)]
pub fn parse_did(text: &str) -> Result<String, JsValue> {
    api::parse_did(text).map_err(js)
}

/// The DID document of a member's account DID, with the wallet's key (`publicKeyHex`, the key of
/// `address`) as `#key-1` and authentication, and the services `servicesJson` (`[{ id, type,
/// serviceEndpoint }]`), checked by the registry's rules.
#[wasm_bindgen(js_name = memberDidDocument)]
pub fn member_did_document(
    #[wasm_bindgen(js_name = chainId)] chain_id: &str,
    address: &str,
    #[wasm_bindgen(js_name = publicKeyHex)] public_key_hex: &str,
    #[wasm_bindgen(js_name = servicesJson)] services_json: &str,
) -> Result<String, JsValue> {
    api::member_did_document(chain_id, address, public_key_hex, services_json).map_err(js)
}

/// The DID registry's `Create` message (`did` and `documentJson` may be empty: the sender's account
/// DID, the default document), the document checked first.
#[wasm_bindgen(js_name = didCreateMessage)]
pub fn did_create_message(
    did: &str,
    #[wasm_bindgen(js_name = documentJson)] document_json: &str,
) -> Result<String, JsValue> {
    api::did_create_message(did, document_json).map_err(js)
}

/// The DID registry's `Update` message of `changeJson` applied to `currentJson`, and the document it
/// makes: `{ msg, document }`.
#[wasm_bindgen(js_name = didUpdateMessage)]
pub fn did_update_message(
    #[wasm_bindgen(js_name = currentJson)] current_json: &str,
    #[wasm_bindgen(js_name = changeJson)] change_json: &str,
) -> Result<String, JsValue> {
    api::did_update_message(current_json, change_json).map_err(js)
}

/// A new wallet: `{ phrase, address, public_key }`.
#[wasm_bindgen(js_name = createWallet)]
pub fn create_wallet(words: u32, prefix: &str) -> Result<String, JsValue> {
    api::create_wallet(words, prefix).map_err(js)
}

/// The wallet of a recovery phrase: `{ address, public_key }`.
#[wasm_bindgen(js_name = walletFromPhrase)]
pub fn wallet_from_phrase(phrase: &str, prefix: &str) -> Result<String, JsValue> {
    api::wallet_from_phrase(phrase, prefix).map_err(js)
}

/// The 2-of-3 shares of a recovery phrase: `{ device, guardian, recovery }`.
#[wasm_bindgen(js_name = splitPhrase)]
pub fn split_phrase(phrase: &str) -> Result<String, JsValue> {
    api::split_phrase(phrase).map_err(js)
}

/// The phrase that two (or three) shares recover; `sharesJson` is `["rshare1...", ...]`.
#[wasm_bindgen(js_name = recoverPhrase)]
pub fn recover_phrase(#[wasm_bindgen(js_name = sharesJson)] shares_json: &str) -> Result<String, JsValue> {
    api::recover_phrase(shares_json).map_err(js)
}

/// The device share sealed with a passphrase (Argon2id, XChaCha20-Poly1305), as JSON to store.
#[wasm_bindgen(js_name = sealShare)]
pub fn seal_share(share: &str, passphrase: &str) -> Result<String, JsValue> {
    api::seal_share(share, passphrase).map_err(js)
}

/// The share a sealed device share holds.
#[wasm_bindgen(js_name = openShare)]
pub fn open_share(
    #[wasm_bindgen(js_name = sealedJson)] sealed_json: &str,
    passphrase: &str,
) -> Result<String, JsValue> {
    api::open_share(sealed_json, passphrase).map_err(js)
}

/// The request (base64) of `/cosmos.auth.v1beta1.Query/Account` for `address`, for an RPC
/// `abci_query`.
#[wasm_bindgen(js_name = accountRequest)]
pub fn account_request(address: &str) -> Result<String, JsValue> {
    api::account_request(address).map_err(js)
}

/// `{ account_number, sequence }` from the node's account answer (base64), `EthAccount` included.
#[wasm_bindgen(js_name = decodeAccount)]
pub fn decode_account(#[wasm_bindgen(js_name = responseBase64)] response_base64: &str) -> Result<String, JsValue> {
    api::decode_account(response_base64).map_err(js)
}

/// The request (base64) of `/cosmos.tx.v1beta1.Service/Simulate` for these calls from the holder of
/// `publicKeyHex` (no key needed: a node checks no signature when it simulates).
#[wasm_bindgen(js_name = simulateRequest)]
pub fn simulate_request(
    #[wasm_bindgen(js_name = publicKeyHex)] public_key_hex: &str,
    prefix: &str,
    #[wasm_bindgen(js_name = executesJson)] executes_json: &str,
    sequence: &str,
    memo: &str,
) -> Result<String, JsValue> {
    api::simulate_request(public_key_hex, prefix, executes_json, sequence, memo).map_err(js)
}

/// The unsigned transaction of these calls: `{ body_bytes, auth_info_bytes }` (base64), the parts of
/// the `SignDoc` that any `SIGN_MODE_DIRECT` signer (Keplr, Leap, a cosmjs `OfflineDirectSigner`,
/// `signDirect`) signs.
#[wasm_bindgen(js_name = prepareExecute)]
pub fn prepare_execute(
    #[wasm_bindgen(js_name = publicKeyHex)] public_key_hex: &str,
    prefix: &str,
    #[wasm_bindgen(js_name = executesJson)] executes_json: &str,
    #[wasm_bindgen(js_name = feeJson)] fee_json: &str,
    sequence: &str,
    memo: &str,
) -> Result<String, JsValue> {
    api::prepare_execute(public_key_hex, prefix, executes_json, fee_json, sequence, memo).map_err(js)
}

/// The wallet of `phrase` signs a `SignDoc` (`SIGN_MODE_DIRECT`): `{ signature (base64), public_key
/// (hex) }`.
#[wasm_bindgen(js_name = signDirect)]
pub fn sign_direct(
    phrase: &str,
    prefix: &str,
    #[wasm_bindgen(js_name = bodyBytesBase64)] body_bytes_base64: &str,
    #[wasm_bindgen(js_name = authInfoBytesBase64)] auth_info_bytes_base64: &str,
    #[wasm_bindgen(js_name = chainId)] chain_id: &str,
    #[wasm_bindgen(js_name = accountNumber)] account_number: &str,
) -> Result<String, JsValue> {
    api::sign_direct(phrase, prefix, body_bytes_base64, auth_info_bytes_base64, chain_id, account_number).map_err(js)
}

/// The broadcastable transaction (base64 `TxRaw`) of signed parts and their signature.
#[wasm_bindgen(js_name = encodeTx)]
pub fn encode_tx(
    #[wasm_bindgen(js_name = bodyBytesBase64)] body_bytes_base64: &str,
    #[wasm_bindgen(js_name = authInfoBytesBase64)] auth_info_bytes_base64: &str,
    #[wasm_bindgen(js_name = signatureBase64)] signature_base64: &str,
) -> Result<String, JsValue> {
    api::encode_tx(body_bytes_base64, auth_info_bytes_base64, signature_base64).map_err(js)
}

/// The gas a simulation used (a decimal string), from the node's answer (base64).
#[wasm_bindgen(js_name = simulatedGas)]
pub fn simulated_gas(#[wasm_bindgen(js_name = responseBase64)] response_base64: &str) -> Result<String, JsValue> {
    api::simulated_gas(response_base64).map_err(js)
}

/// The signed transaction (base64 `TxRaw`) of `MsgExecuteContract`s, `SIGN_MODE_DIRECT`.
#[wasm_bindgen(js_name = signExecute)]
pub fn sign_execute(
    phrase: &str,
    prefix: &str,
    #[wasm_bindgen(js_name = executesJson)] executes_json: &str,
    #[wasm_bindgen(js_name = feeJson)] fee_json: &str,
    #[wasm_bindgen(js_name = signerJson)] signer_json: &str,
    memo: &str,
) -> Result<String, JsValue> {
    api::sign_execute(phrase, prefix, executes_json, fee_json, signer_json, memo).map_err(js)
}

/// The request (base64) of a contract's smart query, for an RPC `abci_query` of
/// `/cosmwasm.wasm.v1.Query/SmartContractState`.
#[wasm_bindgen(js_name = smartQueryRequest)]
pub fn smart_query_request(
    contract: &str,
    #[wasm_bindgen(js_name = msgJson)] msg_json: &str,
) -> Result<String, JsValue> {
    api::smart_query_request(contract, msg_json).map_err(js)
}

/// The contract's answer (JSON) from the node's smart-query answer (base64).
#[wasm_bindgen(js_name = decodeSmartQuery)]
pub fn decode_smart_query(#[wasm_bindgen(js_name = responseBase64)] response_base64: &str) -> Result<String, JsValue> {
    api::decode_smart_query(response_base64).map_err(js)
}
