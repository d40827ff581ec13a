//! Credit scoring: a suggested credit limit from verified claims and repayment history, with the
//! reasons for it. Underwriters decide; the SDK and CLI show the suggestion and its reasons.
//!
//! # Formula
//! All integer arithmetic (saturating, so any input gives an answer), in credit units, with the
//! network's [`ScoringParams`]:
//!
//! ```text
//! base        = params.base
//! rating      = per_star_x10 * (min(stars_x10, 50) - 30 if positive) * min(reviews, full_weight_reviews) / full_weight_reviews
//!               (0 with fewer than min_reviews reviews: a rating from a handful of reviews says little)
//! revenue     = per_revenue_band * min(band, 7)
//! tenure      = per_month * min(months_active, max_months)
//! repayments  = per_on_time * min(on-time repayments, max_on_time) + min(repaid on time, max_repaid) * repaid_bps / 10_000
//! positive    = base + rating + revenue + tenure + repayments
//! unrecovered = defaulted - recovered (at least 0)
//! halvings    = defaults if unrecovered > 0, else defaults / 2 (a default repaid in full weighs half)
//! limit       = min(max_limit, (positive >> halvings) - unrecovered (at least 0))
//! ```
//!
//! The limit is **monotone**: a better input (higher rating, more reviews, a higher revenue band,
//! more months active, more or larger on-time repayments, fewer defaults, less written off, more
//! recovered) never lowers it; the property tests check each direction.
//!
//! # Claims
//! [`ScoringInputs::from_claims`] reads [`VerifiedClaim`]s whose predicates are `key>=value` terms
//! joined by `;` (a proof establishes a lower bound): `platform_rating` with `rating>=45;reviews>=100`
//! (rating in tenths of a star), `revenue_band` with `band>=3`, `monthly_revenue` with
//! `revenue>=10000` (read as the band of [`revenue_band_of`]), `months_active` with `months>=24`.
//! The DID registry records the claims of zero-knowledge credential proofs in this grammar.
//! Expired claims, other claim types and other predicate forms are ignored; of several claims of a
//! type the best counts.
//!
//! # Example
//! ```
//! use resource_core::did::ReputationSummary;
//! use resource_core::underwriting::{suggested_limit, PlatformRating, Reason, ScoringInputs, ScoringParams};
//!
//! let params = ScoringParams::with_unit(1); // whole credit units
//! let newcomer = ScoringInputs {
//!     rating: Some(PlatformRating { stars_x10: 46, reviews: 50 }),
//!     revenue_band: Some(2),
//!     months_active: Some(18),
//!     history: ReputationSummary::default(),
//! };
//! let s = suggested_limit(&newcomer, &params);
//! // 100 base + 25 * 16 * 50/100 = 200 for the rating + 2 * 250 revenue + 18 * 10 tenure.
//! assert_eq!(s.limit, 980);
//! assert!(s.reasons.contains(&Reason::Rating { stars_x10: 46, reviews: 50, adds: 200 }));
//!
//! // The same member after two on-time terms repaying 2 000 in all, then one default of 300 of which
//! // 100 is recovered: the total is halved once and the unrecovered 200 subtracted.
//! let history = ReputationSummary { repaid_on_time: 2, repaid: 2_000, defaults: 1, defaulted: 300, recovered: 100, ..Default::default() };
//! let s = suggested_limit(&ScoringInputs { history, ..newcomer }, &params);
//! // (980 + 2 * 50 + 2 000 * 25 %) = 1 580, halved: 790, minus 200.
//! assert_eq!(s.limit, 590);
//! assert!(s.reasons.contains(&Reason::Defaults { defaults: 1, unrecovered: 200, halvings: 1, subtracts: 990 }));
//! ```

use alloc::vec::Vec;

use super::math::mul_div_floor;
use super::BPS;
use crate::did::{ReputationSummary, VerifiedClaim};

// The JsonSchema derives name items of the std prelude (`vec!`, `Box`, `ToOwned`) unqualified.
#[cfg(feature = "schemars")]
#[allow(unused_imports)]
use std::prelude::rust_2021::*;

/// The highest revenue band that counts.
pub const MAX_REVENUE_BAND: u8 = 7;
/// The highest rating: 5.0 stars.
pub const MAX_STARS_X10: u8 = 50;
/// Ratings up to 3.0 stars add nothing.
pub const NEUTRAL_STARS_X10: u8 = 30;

/// Monthly revenue (whole units of the network's currency) from which each band 1 to
/// [`MAX_REVENUE_BAND`] starts: a proven `revenue>=X` counts as the band whose floor `X` reaches.
pub const REVENUE_BAND_FLOORS: [u64; MAX_REVENUE_BAND as usize] =
    [1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000];

/// The revenue band a proven monthly revenue of at least `monthly` reaches (0 below the first floor).
pub fn revenue_band_of(monthly: u64) -> u8 {
    let band = REVENUE_BAND_FLOORS.iter().take_while(|floor| monthly >= **floor).count();
    // At most the number of floors, MAX_REVENUE_BAND.
    u8::try_from(band).unwrap_or(MAX_REVENUE_BAND)
}

/// A platform rating: stars in tenths (46 = 4.6 stars) and the number of reviews.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PlatformRating {
    /// Tenths of a star, 0 to 50 (more counts as 50).
    pub stars_x10: u8,
    /// Reviews behind it.
    pub reviews: u32,
}

/// What the scoring function reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScoringInputs {
    /// A verified platform rating.
    pub rating: Option<PlatformRating>,
    /// A verified revenue band, 0 to [`MAX_REVENUE_BAND`] (more counts as the maximum).
    pub revenue_band: Option<u8>,
    /// Verified months of activity.
    pub months_active: Option<u32>,
    /// The member's reputation summary (on-time repayments, defaults, recoveries are read).
    pub history: ReputationSummary,
}

/// A network's scoring weights, in credit units (see the module's formula).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScoringParams {
    /// What anyone gets.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub base: u128,
    /// Per tenth of a star above 3.0, at full review weight.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub per_star_x10: u128,
    /// Reviews below which a rating adds nothing.
    pub min_reviews: u32,
    /// Reviews at which a rating counts fully (fewer count pro rata).
    pub full_weight_reviews: u32,
    /// Per revenue band.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub per_revenue_band: u128,
    /// Per month active.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub per_month: u128,
    /// Months that count at most.
    pub max_months: u32,
    /// Per on-time repayment.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub per_on_time: u128,
    /// On-time repayments that count at most.
    pub max_on_time: u64,
    /// Share of the sum repaid on time added, in basis points.
    pub repaid_bps: u16,
    /// Sum repaid on time that counts at most.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub max_repaid: u128,
    /// The highest suggestion.
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub max_limit: u128,
}

impl ScoringParams {
    /// The default weights for a token whose whole unit is `unit` smallest units (`10^decimals`):
    /// base 100; 25 per tenth of a star above 3.0 (up to 500) from 10 reviews, fully at 100; 250 per
    /// revenue band (up to 1 750); 10 per month (up to 60 months: 600); 50 per on-time repayment (up
    /// to 12: 600) plus 25 % of the sum repaid on time (counted up to 10 000: 2 500); at most 5 000
    /// (the parts add up to 6 050 at best).
    pub const fn with_unit(unit: u128) -> ScoringParams {
        ScoringParams {
            base: unit.saturating_mul(100),
            per_star_x10: unit.saturating_mul(25),
            min_reviews: 10,
            full_weight_reviews: 100,
            per_revenue_band: unit.saturating_mul(250),
            per_month: unit.saturating_mul(10),
            max_months: 60,
            per_on_time: unit.saturating_mul(50),
            max_on_time: 12,
            repaid_bps: 2_500,
            max_repaid: unit.saturating_mul(10_000),
            max_limit: unit.saturating_mul(5_000),
        }
    }
}

/// One reason for a suggestion, with what it adds or takes away (credit units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Reason {
    /// The base every member gets.
    Base {
        /// Added.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        adds: u128,
    },
    /// A platform rating (`adds` is 0 below the minimum number of reviews or at 3.0 stars or less).
    Rating {
        /// Tenths of a star (as counted, at most 50).
        stars_x10: u8,
        /// Reviews.
        reviews: u32,
        /// Added.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        adds: u128,
    },
    /// A revenue band.
    Revenue {
        /// The band (as counted).
        band: u8,
        /// Added.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        adds: u128,
    },
    /// Months of activity.
    Tenure {
        /// Months (as counted).
        months: u32,
        /// Added.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        adds: u128,
    },
    /// On-time repayments on record.
    Repayments {
        /// How many.
        on_time: u64,
        /// Their sum.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        repaid: u128,
        /// Added.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        adds: u128,
    },
    /// Defaults on record.
    Defaults {
        /// How many.
        defaults: u64,
        /// Written off and not recovered.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        unrecovered: u128,
        /// Times the total was halved.
        halvings: u32,
        /// Taken away in all.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        subtracts: u128,
    },
    /// The network's maximum applied.
    Capped {
        /// The maximum.
        #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
        #[cfg_attr(feature = "schemars", schemars(with = "String"))]
        max_limit: u128,
    },
}

/// A suggested limit and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Suggestion {
    /// The suggested credit limit (credit units).
    #[cfg_attr(feature = "serde", serde(with = "crate::did::serde_util::amount"))]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub limit: u128,
    /// The reasons, in the order of the formula (only those that apply).
    pub reasons: Vec<Reason>,
}

/// The suggested limit for `inputs` under `params` (see the module's formula).
pub fn suggested_limit(inputs: &ScoringInputs, params: &ScoringParams) -> Suggestion {
    let mut reasons = Vec::new();
    let mut total = params.base;
    reasons.push(Reason::Base { adds: params.base });

    if let Some(r) = inputs.rating {
        let stars_x10 = r.stars_x10.min(MAX_STARS_X10);
        let adds = if r.reviews < params.min_reviews {
            0
        } else {
            let full = u128::from(params.full_weight_reviews.max(1));
            let weight = u128::from(r.reviews).min(full);
            let above = u128::from(stars_x10.saturating_sub(NEUTRAL_STARS_X10));
            mul_div_floor(params.per_star_x10.saturating_mul(above), weight, full).unwrap_or(u128::MAX)
        };
        total = total.saturating_add(adds);
        reasons.push(Reason::Rating { stars_x10, reviews: r.reviews, adds });
    }
    if let Some(band) = inputs.revenue_band {
        let band = band.min(MAX_REVENUE_BAND);
        let adds = params.per_revenue_band.saturating_mul(u128::from(band));
        total = total.saturating_add(adds);
        reasons.push(Reason::Revenue { band, adds });
    }
    if let Some(months) = inputs.months_active {
        let months = months.min(params.max_months);
        let adds = params.per_month.saturating_mul(u128::from(months));
        total = total.saturating_add(adds);
        reasons.push(Reason::Tenure { months, adds });
    }
    let h = &inputs.history;
    if h.repaid_on_time > 0 || h.repaid > 0 {
        let count = params.per_on_time.saturating_mul(u128::from(h.repaid_on_time.min(params.max_on_time)));
        let share =
            mul_div_floor(h.repaid.min(params.max_repaid), u128::from(params.repaid_bps), BPS).unwrap_or(u128::MAX);
        let adds = count.saturating_add(share);
        total = total.saturating_add(adds);
        reasons.push(Reason::Repayments { on_time: h.repaid_on_time, repaid: h.repaid, adds });
    }
    if h.defaults > 0 || h.defaulted > 0 {
        let unrecovered = h.defaulted.saturating_sub(h.recovered);
        let halvings = if unrecovered > 0 { h.defaults } else { h.defaults / 2 };
        let halvings = u32::try_from(halvings.min(128)).unwrap_or(128);
        let halved = total.checked_shr(halvings).unwrap_or(0);
        let after = halved.saturating_sub(unrecovered);
        reasons.push(Reason::Defaults {
            defaults: h.defaults,
            unrecovered,
            halvings,
            subtracts: total.saturating_sub(after),
        });
        total = after;
    }
    if total > params.max_limit {
        total = params.max_limit;
        reasons.push(Reason::Capped { max_limit: params.max_limit });
    }
    Suggestion { limit: total, reasons }
}

/// The lower bound `key>=value` in a predicate of `;`-joined terms, if present.
fn lower_bound(predicate: &str, key: &str) -> Option<u64> {
    predicate.split(';').find_map(|term| {
        let (k, v) = term.trim().split_once(">=")?;
        (k.trim() == key).then(|| v.trim().parse().ok()).flatten()
    })
}

impl ScoringInputs {
    /// The inputs established by `claims` still valid at `now`, with `history` (see the module's
    /// claim grammar).
    pub fn from_claims<'a>(
        claims: impl IntoIterator<Item = &'a VerifiedClaim>,
        history: ReputationSummary,
        now: u64,
    ) -> ScoringInputs {
        let valid = claims.into_iter().filter(|c| c.expires_at > now);
        ScoringInputs::from_predicates(valid.map(|c| (c.claim_type.as_str(), c.predicate.as_str())), history)
    }

    /// The inputs established by `(claim_type, predicate)` pairs taken as proven (the caller has
    /// checked that they are verified and unexpired), with `history`. The grammar is
    /// [`from_claims`](ScoringInputs::from_claims)'s: a "what if" for claims not yet proven.
    pub fn from_predicates<'a>(
        claims: impl IntoIterator<Item = (&'a str, &'a str)>,
        history: ReputationSummary,
    ) -> ScoringInputs {
        let mut inputs = ScoringInputs { history, ..ScoringInputs::default() };
        for (claim_type, p) in claims {
            match claim_type {
                "platform_rating" => {
                    let Some(stars) = lower_bound(p, "rating") else { continue };
                    let stars_x10 = u8::try_from(stars.min(u64::from(MAX_STARS_X10))).unwrap_or(MAX_STARS_X10);
                    let reviews = lower_bound(p, "reviews").map_or(0, |r| u32::try_from(r).unwrap_or(u32::MAX));
                    let r = PlatformRating { stars_x10, reviews };
                    // Of two ratings, the one that scores higher: more stars, then more reviews.
                    if inputs.rating.is_none_or(|old| (old.stars_x10, old.reviews) < (stars_x10, reviews)) {
                        inputs.rating = Some(r);
                    }
                }
                "revenue_band" | "monthly_revenue" => {
                    let band = if claim_type == "revenue_band" {
                        lower_bound(p, "band")
                            .map(|b| u8::try_from(b.min(u64::from(MAX_REVENUE_BAND))).unwrap_or(MAX_REVENUE_BAND))
                    } else {
                        lower_bound(p, "revenue").map(revenue_band_of)
                    };
                    if let Some(b) = band {
                        inputs.revenue_band = Some(inputs.revenue_band.map_or(b, |old| old.max(b)));
                    }
                }
                "months_active" => {
                    if let Some(m) = lower_bound(p, "months") {
                        let m = u32::try_from(m).unwrap_or(u32::MAX);
                        inputs.months_active = Some(inputs.months_active.map_or(m, |old| old.max(m)));
                    }
                }
                _ => {}
            }
        }
        inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::did::{Did, Nullifier};
    use std::string::{String, ToString};

    fn claim(claim_type: &str, predicate: &str, expires_at: u64) -> VerifiedClaim {
        VerifiedClaim {
            claim_type: claim_type.to_string(),
            predicate: predicate.to_string(),
            attester: "did:example:oracle".parse::<Did>().unwrap(),
            nullifier: Nullifier([1; 32]),
            expires_at,
            verified_at: 0,
            verifier: String::from("v"),
        }
    }

    #[test]
    fn claims_are_read() {
        let claims = [
            claim("platform_rating", "rating>=45;reviews>=100", 10),
            claim("platform_rating", "rating>=49;reviews>=5", 5), // expired at 5
            claim("revenue_band", "band>=3", 10),
            claim("revenue_band", "band>=99", 10),
            claim("monthly_revenue", "revenue>=1000000", 10),
            claim("months_active", "months>=24", 10),
            claim("months_active", "months<=99", 10),
            claim("other", "x>=1", 10),
        ];
        let inputs = ScoringInputs::from_claims(&claims, ReputationSummary::default(), 5);
        assert_eq!(inputs.rating, Some(PlatformRating { stars_x10: 45, reviews: 100 }));
        assert_eq!((inputs.revenue_band, inputs.months_active), (Some(7), Some(24)));
    }

    #[test]
    fn monthly_revenue_reads_as_its_band() {
        assert_eq!(
            [0, 999, 1_000, 9_999, 10_000, 249_999, 250_000, u64::MAX].map(revenue_band_of),
            [0, 0, 1, 2, 3, 6, 7, 7]
        );
        let read = |p: &str| ScoringInputs::from_predicates([("monthly_revenue", p)], ReputationSummary::default());
        assert_eq!(read("revenue>=12000").revenue_band, Some(3));
        assert_eq!(read("revenue>=999").revenue_band, Some(0));
        assert_eq!(read("band>=3").revenue_band, None);
        let both = ScoringInputs::from_predicates(
            [("monthly_revenue", "revenue>=5000"), ("revenue_band", "band>=4")],
            ReputationSummary::default(),
        );
        assert_eq!(both.revenue_band, Some(4));
    }

    #[test]
    fn few_reviews_and_caps() {
        let p = ScoringParams::with_unit(1);
        let i = ScoringInputs { rating: Some(PlatformRating { stars_x10: 50, reviews: 9 }), ..Default::default() };
        let s = suggested_limit(&i, &p);
        assert_eq!(s.limit, 100);
        let i = ScoringInputs {
            rating: Some(PlatformRating { stars_x10: 255, reviews: u32::MAX }),
            revenue_band: Some(255),
            months_active: Some(u32::MAX),
            history: ReputationSummary { repaid_on_time: u64::MAX, repaid: u128::MAX, ..Default::default() },
        };
        let s = suggested_limit(&i, &p);
        assert_eq!(s.limit, 5_000);
        assert_eq!(s.reasons.last(), Some(&Reason::Capped { max_limit: 5_000 }));
    }
}
