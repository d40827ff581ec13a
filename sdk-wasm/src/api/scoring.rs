//! Underwriters' scoring over JSON (feature `scoring`, in the full bundle): resource-core's
//! `suggested_limit` and its inputs.

use resource_core::did::ReputationSummary;
use resource_core::underwriting::{self, ScoringInputs, ScoringParams};

use super::{parse, to_json, SdkError};

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
