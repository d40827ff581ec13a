//! The ReSource SDK for JavaScript: the same Rust functions the contracts and the CLI call, compiled
//! to WebAssembly and exported with wasm-bindgen for Node (`--target nodejs`) and browsers
//! (`--target web`). `cargo xtask sdk` builds both packages into `sdk-wasm/pkg/`.
//!
//! Credential proofs are `resource_zk::prove_json`: the Groth16 prover the CLI runs natively, here
//! with the browser's (or Node's) `crypto.getRandomValues` as its randomness.
//!
//! Every export takes and returns JSON strings in resource-core's own serde shapes (128-bit amounts
//! as decimal strings, so JavaScript never loses precision) and throws a JavaScript `Error` whose
//! message names the argument that was wrong and what was expected.
//!
//! The functions themselves live in [`api`], plain Rust returning [`SdkError`], so that native tests
//! and `sdk-fixtures` (which computes the values the JavaScript tests must see) call exactly the code
//! the wasm runs; the `#[wasm_bindgen]` wrappers below only convert errors.

pub mod api;

pub use api::SdkError;

use wasm_bindgen::prelude::*;

fn js(err: SdkError) -> JsError {
    JsError::new(&err.to_string())
}

/// The SDK's version (the workspace version it was built from).
#[wasm_bindgen]
pub fn version() -> String {
    api::version().to_string()
}

/// The suggested credit limit and its reasons (`resource_core::underwriting::suggested_limit`).
///
/// `inputsJson` is a `ScoringInputs`, `paramsJson` a `ScoringParams`; returns a `Suggestion` as JSON.
#[wasm_bindgen(js_name = suggestedLimit)]
pub fn suggested_limit(
    #[wasm_bindgen(js_name = inputsJson)] inputs_json: &str,
    #[wasm_bindgen(js_name = paramsJson)] params_json: &str,
) -> Result<String, JsError> {
    api::suggested_limit(inputs_json, params_json).map_err(js)
}

/// A network's default scoring weights for a token whose whole unit is `unit` smallest units
/// (a decimal string, e.g. `"1000000"` for 6 decimals), as `ScoringParams` JSON.
#[wasm_bindgen(js_name = defaultScoringParams)]
pub fn default_scoring_params(unit: &str) -> Result<String, JsError> {
    api::default_scoring_params(unit).map_err(js)
}

/// The `ScoringInputs` that claims taken as proven establish, with a member's reputation summary:
/// `claimsJson` is `[["platform_rating", "rating>=45;reviews>=100"], ...]`, `historyJson` a
/// `ReputationSummary`.
#[wasm_bindgen(js_name = scoringInputsFromPredicates)]
pub fn scoring_inputs_from_predicates(
    #[wasm_bindgen(js_name = claimsJson)] claims_json: &str,
    #[wasm_bindgen(js_name = historyJson)] history_json: &str,
) -> Result<String, JsError> {
    api::scoring_inputs_from_predicates(claims_json, history_json).map_err(js)
}

/// A zero-knowledge proof that a credential meets thresholds (`resource_zk::prove_json`).
///
/// `requestJson` is a `ProofRequest` (`{ credential, thresholds, validUntil }`), `provingKey` the bytes
/// of the claim kind's proving-key file (`rating.pk`, `revenue.pk` or `tenure.pk`); returns a
/// `CredentialProof` as JSON, which the verifier contract takes. Nothing private leaves the page:
/// the proof reveals only the commitment, the attester's signature and the statement.
#[wasm_bindgen(js_name = proveCredential)]
pub fn prove_credential(
    #[wasm_bindgen(js_name = requestJson)] request_json: &str,
    #[wasm_bindgen(js_name = provingKey)] proving_key: &[u8],
) -> Result<String, JsError> {
    api::prove_credential(request_json, proving_key).map_err(js)
}
