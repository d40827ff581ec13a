//! The SDK's functions as plain Rust: JSON in, JSON out, [`SdkError`] on bad input. The wasm exports
//! in the crate root wrap them one to one.

use std::fmt;

use resource_core::did::ReputationSummary;
use resource_core::underwriting::{self, ScoringInputs, ScoringParams};
use resource_zk::ZkError;
use serde::de::DeserializeOwned;

/// What went wrong, said so that the caller knows what to change: the function, the argument, and
/// what it should have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkError {
    message: String,
}

impl SdkError {
    pub fn new(message: impl Into<String>) -> SdkError {
        SdkError { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
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
pub fn parse<T: DeserializeOwned>(function: &str, arg: &str, what: &str, json: &str) -> Result<T, SdkError> {
    serde_json::from_str(json).map_err(|e| {
        let problem =
            if e.is_syntax() || e.is_eof() { "is not valid JSON" } else { "does not have the expected shape" };
        SdkError::new(format!(
            "{function}: {arg} {problem} ({e}); pass JSON.stringify() of {what} (128-bit amounts as decimal strings)"
        ))
    })
}

fn to_json<T: serde::Serialize>(function: &str, value: &T) -> Result<String, SdkError> {
    serde_json::to_string(value)
        .map_err(|e| SdkError::new(format!("{function}: could not write the result as JSON ({e}); this is a bug")))
}

/// The workspace version the SDK was built from.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// `suggested_limit` over JSON: a `ScoringInputs` and a `ScoringParams` in, a `Suggestion` out.
pub fn suggested_limit(inputs_json: &str, params_json: &str) -> Result<String, SdkError> {
    const F: &str = "suggestedLimit";
    let inputs: ScoringInputs = parse(F, "inputsJson", "a ScoringInputs object", inputs_json)?;
    let params: ScoringParams = parse(F, "paramsJson", "a ScoringParams object", params_json)?;
    to_json(F, &underwriting::suggested_limit(&inputs, &params))
}

/// `ScoringParams::with_unit` for `unit` given as a decimal string.
pub fn default_scoring_params(unit: &str) -> Result<String, SdkError> {
    const F: &str = "defaultScoringParams";
    let unit: u128 = unit.trim().parse().map_err(|_| {
        SdkError::new(format!(
            "{F}: unit {unit:?} is not a whole number of smallest units; pass a decimal string such as \
             \"1000000\" (10^decimals of the token)"
        ))
    })?;
    if unit == 0 {
        return Err(SdkError::new(format!("{F}: unit is 0; pass 10^decimals of the token, at least \"1\"")));
    }
    to_json(F, &ScoringParams::with_unit(unit))
}

/// `ScoringInputs::from_predicates` over JSON: `[[claim_type, predicate], ...]` and a
/// `ReputationSummary`.
pub fn scoring_inputs_from_predicates(claims_json: &str, history_json: &str) -> Result<String, SdkError> {
    const F: &str = "scoringInputsFromPredicates";
    let claims: Vec<(String, String)> =
        parse(F, "claimsJson", "an array of [claim_type, predicate] pairs", claims_json)?;
    let history: ReputationSummary = parse(F, "historyJson", "a ReputationSummary object", history_json)?;
    let inputs = ScoringInputs::from_predicates(claims.iter().map(|(t, p)| (t.as_str(), p.as_str())), history);
    to_json(F, &inputs)
}

/// `resource_zk::prove_json`: a Groth16 proof of the statement `request_json` (a `ProofRequest`:
/// `{ credential, thresholds, validUntil }`) asks for, with the proving-key file's bytes; returns a
/// `CredentialProof` as JSON (what the verifier contract's `SubmitCredentialProof` carries).
pub fn prove_credential(request_json: &str, proving_key: &[u8]) -> Result<String, SdkError> {
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
        e => SdkError::new(format!("{F}: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use resource_core::underwriting::{PlatformRating, Suggestion};

    fn newcomer() -> ScoringInputs {
        ScoringInputs {
            rating: Some(PlatformRating { stars_x10: 46, reviews: 50 }),
            revenue_band: Some(2),
            months_active: Some(18),
            history: ReputationSummary::default(),
        }
    }

    #[test]
    fn suggested_limit_is_the_core_function() {
        let params = ScoringParams::with_unit(1);
        let out =
            suggested_limit(&serde_json::to_string(&newcomer()).unwrap(), &serde_json::to_string(&params).unwrap())
                .unwrap();
        let s: Suggestion = serde_json::from_str(&out).unwrap();
        assert_eq!(s, underwriting::suggested_limit(&newcomer(), &params));
        assert_eq!(s.limit, 980);
        assert!(out.contains(r#""limit":"980""#), "{out}");
    }

    #[test]
    fn bad_arguments_say_which_and_what_to_pass() {
        let params = default_scoring_params("1").unwrap();
        let err = suggested_limit("{", &params).unwrap_err();
        assert!(err.message().starts_with("suggestedLimit: inputsJson is not valid JSON"), "{err}");
        let err = suggested_limit(r#"{"rating": null}"#, &params).unwrap_err();
        assert!(err.message().contains("inputsJson does not have the expected shape"), "{err}");
        assert!(err.message().contains("pass JSON.stringify() of a ScoringInputs object"), "{err}");
        assert!(err.message().contains("missing field"), "{err}");
        let inputs = serde_json::to_string(&newcomer()).unwrap();
        let err = suggested_limit(&inputs, &params.replace(r#""base":"100""#, r#""base":-1"#)).unwrap_err();
        assert!(err.message().contains("paramsJson does not have the expected shape"), "{err}");
    }

    #[test]
    fn default_params_take_a_decimal_unit() {
        let p: ScoringParams = serde_json::from_str(&default_scoring_params("1000000").unwrap()).unwrap();
        assert_eq!(p, ScoringParams::with_unit(1_000_000));
        assert!(default_scoring_params("1e6").unwrap_err().message().contains("decimal string"));
        assert!(default_scoring_params("0").unwrap_err().message().contains("unit is 0"));
    }

    #[test]
    fn prove_credential_names_what_is_wrong() {
        let err = prove_credential("{}", b"").unwrap_err();
        assert!(err.message().starts_with("proveCredential: requestJson is not a proof request"), "{err}");
        assert!(err.message().contains("JSON.stringify({ credential, thresholds, validUntil })"), "{err}");
    }

    #[test]
    fn predicates_become_inputs() {
        let history = serde_json::to_string(&ReputationSummary::default()).unwrap();
        let out = scoring_inputs_from_predicates(
            r#"[["platform_rating","rating>=46;reviews>=50"],["revenue_band","band>=2"],["months_active","months>=18"]]"#,
            &history,
        )
        .unwrap();
        let inputs: ScoringInputs = serde_json::from_str(&out).unwrap();
        assert_eq!(inputs, newcomer());
        let err = scoring_inputs_from_predicates(r#"{"a":1}"#, &history).unwrap_err();
        assert!(err.message().contains("claimsJson does not have the expected shape"), "{err}");
    }
}
