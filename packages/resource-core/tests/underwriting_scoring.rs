//! The scoring function's monotonicity: a better input never lowers the suggested limit.

use proptest::prelude::*;
use resource_core::did::ReputationSummary;
use resource_core::underwriting::*;

fn inputs() -> impl Strategy<Value = ScoringInputs> {
    let rating =
        prop::option::of((0u8..=60, 0u32..300).prop_map(|(stars_x10, reviews)| PlatformRating { stars_x10, reviews }));
    let history = (0u64..20, 0u128..20_000, 0u64..5, 0u128..5_000, 0u128..5_000).prop_map(
        |(repaid_on_time, repaid, defaults, defaulted, recovered)| ReputationSummary {
            repaid_on_time,
            repaid,
            defaults,
            defaulted,
            recovered,
            ..ReputationSummary::default()
        },
    );
    (rating, prop::option::of(0u8..10), prop::option::of(0u32..100), history).prop_map(
        |(rating, revenue_band, months_active, history)| ScoringInputs { rating, revenue_band, months_active, history },
    )
}

/// `inputs` made better in one respect, by `by`.
fn better(i: &ScoringInputs, which: u8, by: u8) -> ScoringInputs {
    let by32 = u32::from(by);
    let mut b = *i;
    match which {
        0 => {
            let r = b.rating.unwrap_or_default();
            b.rating = Some(PlatformRating { stars_x10: r.stars_x10.saturating_add(by), ..r });
        }
        1 => {
            let r = b.rating.unwrap_or_default();
            b.rating = Some(PlatformRating { reviews: r.reviews.saturating_add(by32), ..r });
        }
        2 => b.revenue_band = Some(b.revenue_band.unwrap_or(0).saturating_add(by)),
        3 => b.months_active = Some(b.months_active.unwrap_or(0).saturating_add(by32)),
        4 => b.history.repaid_on_time += u64::from(by),
        5 => b.history.repaid += u128::from(by) * 37,
        6 => b.history.defaults = b.history.defaults.saturating_sub(u64::from(by % 3)),
        7 => b.history.defaulted = b.history.defaulted.saturating_sub(u128::from(by) * 41),
        _ => b.history.recovered += u128::from(by) * 41,
    }
    b
}

proptest! {
    #[test]
    fn a_better_input_never_lowers_the_limit(i in inputs(), which in 0u8..9, by in 0u8..=255, unit in prop_oneof![Just(1u128), Just(1_000_000u128)]) {
        let params = ScoringParams::with_unit(unit);
        let base = suggested_limit(&i, &params);
        let improved = suggested_limit(&better(&i, which, by), &params);
        prop_assert!(improved.limit >= base.limit, "{which} by {by}: {base:?} -> {improved:?}");
        prop_assert!(base.limit <= params.max_limit);
        // Deterministic.
        prop_assert_eq!(suggested_limit(&i, &params), base);
    }
}
