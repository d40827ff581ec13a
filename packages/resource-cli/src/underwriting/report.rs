//! The underwriting contract's answers as tables, shared by `resource underwriting` and the demo:
//! the configuration, the reward pool, underwriters' positions and applications. Amounts are
//! shown in the units of their asset (credit for lines, fees and rewards; stake for backing,
//! exposure and slashes); the column headers name the unit.
use comfy_table::{CellAlignment, Table};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationStatus, ConfigResponse, MemberExposureResponse, PoolResponse, Price, Reason,
    SuggestionResponse, UnderwriterResponse, VouchResponse,
};

use super::Units;
use crate::format;
use crate::ui::table;

/// Right-aligns the amount columns of `table`.
pub fn align_right(mut table: Table, columns: impl IntoIterator<Item = usize>) -> Table {
    for column in columns {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// A table whose header cells are computed (they name units).
fn table_of<const N: usize>(header: [String; N]) -> Table {
    table(header.each_ref().map(String::as_str))
}

/// A basis-point share as a percentage: `50 %`, `12.5 %`.
pub fn bps(bps: u128) -> String {
    let text = format::units(bps, 2);
    let text = text.strip_suffix(".00").unwrap_or(&text);
    format!("{text} %")
}

/// The price as a reader thinks of it: how much stake backs one whole credit unit (`0.10 INJ per
/// rUSD`), with `≈` when that is not exact in the stake's decimals.
pub fn price(price: &Price, credit: &Units, stake: &Units) -> String {
    let per_whole = price.numerator.checked_mul(10u128.pow(credit.decimals));
    match per_whole {
        Some(n) if price.denominator > 0 => {
            let exact = if n % price.denominator == 0 { "" } else { "≈" };
            format!("{exact}{} per {}", stake.show(n / price.denominator), credit.symbol)
        }
        _ => format!("{}/{} stake units per credit unit", price.numerator, price.denominator),
    }
}

/// The configuration, one setting a row.
pub fn config_table(config: &ConfigResponse, stake_kind: &str, credit: &Units, stake: &Units) -> Table {
    let rules = &config.rules;
    let policy = &config.policy;
    let mut t = table(["setting", "value"]);
    t.add_row(["credit token".to_string(), format!("{} ({})", config.credit_token, credit.symbol)]);
    t.add_row(["stake".to_string(), format!("{} ({stake_kind})", stake.symbol)]);
    t.add_row([
        "coverage".to_string(),
        format!(
            "backing of {} of each line, at {}",
            bps(u128::from(rules.collateral_ratio_bps)),
            price(&rules.price, credit, stake)
        ),
    ]);
    t.add_row([
        "approval".to_string(),
        format!(
            "at least {} underwriters, none above {} of the backing",
            rules.min_underwriters,
            bps(u128::from(rules.max_share_bps))
        ),
    ]);
    t.add_row([
        "terms".to_string(),
        format!(
            "{} to {}; applications stay open {}",
            format::duration(policy.min_term),
            format::duration(policy.max_term),
            format::duration(policy.open_period)
        ),
    ]);
    t.add_row(["unbonding period".to_string(), format::duration(config.unbonding_period)]);
    let identities = match (&config.did_registry, config.require_did) {
        (None, _) => "each address is its own party (no DID registry)".to_string(),
        (Some(registry), false) => format!("accounts sharing a DID controller count as one (registry {registry})"),
        (Some(registry), true) => {
            format!("an active DID is required; shared controllers count as one (registry {registry})")
        }
    };
    t.add_row(["identities".to_string(), identities]);
    t.add_row([
        "vouching".to_string(),
        format!(
            "a vouch earns like backing of {} of its value; the suggested limit is capped at {}",
            bps(u128::from(config.vouching.reward_weight_bps)),
            credit.show(config.scoring.max_limit)
        ),
    ]);
    t.add_row(["reserve".to_string(), config.reserve.to_string()]);
    t.add_row(["admin".to_string(), config.admin.to_string()]);
    t
}

/// The reward pool's totals and the credit the contract holds (fees not yet paid out).
pub fn pool_table(pool: &PoolResponse, credit_held: u128, credit: &Units, stake: &Units) -> Table {
    let c = &credit.symbol;
    let mut t = table_of([
        format!("total exposure ({})", stake.symbol),
        format!("fees received ({c})"),
        format!("fees to reserve ({c})"),
        format!("rewards paid ({c})"),
        format!("credit held ({c})"),
    ]);
    t.add_row([
        stake.number(pool.total_exposure.u128()),
        credit.number(pool.fees_received.u128()),
        credit.number(pool.fees_to_reserve.u128()),
        credit.number(pool.rewards_paid.u128()),
        credit.number(credit_held),
    ]);
    align_right(t, 0..5)
}

/// Underwriters' positions, one row each: `(name, position)`.
pub fn positions_table(rows: &[(String, UnderwriterResponse)], credit: &Units, stake: &Units) -> Table {
    let s = &stake.symbol;
    let mut t = table_of([
        "underwriter".to_string(),
        format!("free ({s})"),
        format!("locked ({s})"),
        format!("unbonding ({s})"),
        format!("slashed ({s})"),
        format!("exposure ({s})"),
        format!("rewards ({})", credit.symbol),
    ]);
    for (name, p) in rows {
        let unbonding: u128 = p.unbonding.iter().map(|u| u.amount.u128()).sum();
        t.add_row([
            name.clone(),
            stake.number(p.free.u128()),
            stake.number(p.locked.u128()),
            stake.number(unbonding),
            stake.number(p.slashed.u128()),
            stake.number(p.exposure.u128()),
            credit.number(p.rewards.u128()),
        ]);
    }
    align_right(t, 1..7)
}

/// One underwriter's pending unbondings: amount and release time (UTC and from `now`).
pub fn unbondings_table(position: &UnderwriterResponse, stake: &Units, now: u64) -> Table {
    let mut t = table_of([format!("unbonding ({})", stake.symbol), "released at".to_string(), "when".to_string()]);
    for u in &position.unbonding {
        t.add_row([stake.number(u.amount.u128()), format::utc(u.release_at), format::relative(u.release_at, now)]);
    }
    align_right(t, [0])
}

/// When an application's current phase ends, from `now`: an open one expires, an approved one's
/// term ends; settled ones have no such time.
pub fn until(application: &ApplicationResponse, now: u64) -> String {
    match (application.status, application.term_end) {
        (ApplicationStatus::Open, _) => format!("expires {}", format::relative(application.expires_at, now)),
        (ApplicationStatus::Approved, Some(end)) => format!("term ends {}", format::relative(end, now)),
        _ => String::new(),
    }
}

/// Applications, one row each; `name` shows an address (a role's name, a test account's, or the
/// address itself).
pub fn applications_table(
    applications: &[ApplicationResponse],
    name: &dyn Fn(&str) -> String,
    credit: &Units,
    stake: &Units,
    now: u64,
) -> Table {
    let s = &stake.symbol;
    let mut t = table_of([
        "application".to_string(),
        "applicant".to_string(),
        format!("amount ({})", credit.symbol),
        "term".to_string(),
        format!("backing ({s})"),
        format!("required ({s})"),
        "backers".to_string(),
        "status".to_string(),
        "until".to_string(),
    ]);
    for a in applications {
        t.add_row([
            a.id.to_string(),
            name(a.applicant.as_str()),
            credit.number(a.amount.u128()),
            format::duration(a.term),
            stake.number(a.total_backing.u128()),
            stake.number(a.required_backing.u128()),
            a.backers.len().to_string(),
            a.status.to_string(),
            until(a, now),
        ]);
    }
    align_right(t, [0, 2, 4, 5, 6])
}

/// Who backs an application, and with how much.
pub fn backers_table(application: &ApplicationResponse, name: &dyn Fn(&str) -> String, stake: &Units) -> Table {
    let total = application.total_backing.u128();
    let mut t = table_of(["backer".to_string(), format!("backing ({})", stake.symbol), "share".to_string()]);
    for b in &application.backers {
        let share = b.amount.u128().saturating_mul(10_000).checked_div(total).unwrap_or(0);
        t.add_row([name(b.underwriter.as_str()), stake.number(b.amount.u128()), bps(share)]);
    }
    align_right(t, [1, 2])
}

/// One reason of a suggested limit, in words: `base +500.00 rUSD`, `rating 4.5 stars over 120 reviews
/// +340.00 rUSD`.
pub fn reason(reason: &Reason, credit: &Units) -> String {
    let adds = |amount: u128| format!("+{}", credit.show(amount));
    match reason {
        Reason::Base { adds: a } => format!("base {}", adds(*a)),
        Reason::Rating { stars_x10, reviews, adds: a } => {
            format!("rating {}.{} stars over {reviews} reviews {}", stars_x10 / 10, stars_x10 % 10, adds(*a))
        }
        Reason::Revenue { band, adds: a } => format!("revenue band {band} {}", adds(*a)),
        Reason::Tenure { months, adds: a } => format!("{months} months active {}", adds(*a)),
        Reason::Repayments { on_time, repaid, adds: a } => {
            format!("{on_time} on-time repayments of {} {}", credit.show(*repaid), adds(*a))
        }
        Reason::Defaults { defaults, unrecovered, halvings, subtracts } => format!(
            "{defaults} defaults, {} unrecovered, halved {halvings} times -{}",
            credit.show(*unrecovered),
            credit.show(*subtracts)
        ),
        Reason::Capped { max_limit } => format!("capped at the network's maximum {}", credit.show(*max_limit)),
    }
}

/// A suggestion as one line: the limit, then why.
pub fn suggestion(suggestion: &SuggestionResponse, credit: &Units) -> String {
    let reasons: Vec<String> = suggestion.reasons.iter().map(|r| reason(r, credit)).collect();
    format!("{} ({})", credit.show(suggestion.limit.u128()), reasons.join(", "))
}

/// Vouches, one row each.
pub fn vouches_table(vouches: &[VouchResponse], name: &dyn Fn(&str) -> String, credit: &Units) -> Table {
    let c = &credit.symbol;
    let mut t = table_of([
        "voucher".to_string(),
        "newcomer".to_string(),
        format!("reserved ({c})"),
        "status".to_string(),
        "application".to_string(),
        format!("accrued reward ({c})"),
    ]);
    for v in vouches {
        t.add_row([
            name(v.voucher.as_str()),
            name(v.newcomer.as_str()),
            credit.number(v.amount.u128()),
            v.status.to_string(),
            v.application.map(|a| a.to_string()).unwrap_or_default(),
            credit.number(v.accrued_reward.u128()),
        ]);
    }
    align_right(t, [2, 4, 5])
}

/// What stands behind a member's credit.
pub fn member_table(exposure: &MemberExposureResponse, credit: &Units, stake: &Units) -> Table {
    let c = &credit.symbol;
    let mut t = table_of([
        "application".to_string(),
        "status".to_string(),
        format!("line ({c})"),
        format!("backing ({})", stake.symbol),
        "backers".to_string(),
        format!("vouched for it ({c})"),
        format!("it vouches ({c})"),
    ]);
    t.add_row([
        exposure.application.map(|a| a.to_string()).unwrap_or_else(|| "none".into()),
        exposure.status.map(|s| s.to_string()).unwrap_or_default(),
        credit.number(exposure.line.u128()),
        stake.number(exposure.backing.u128()),
        exposure.backers.to_string(),
        credit.number(exposure.vouched_for.u128()),
        credit.number(exposure.vouching.u128()),
    ]);
    align_right(t, [0, 2, 3, 4, 5, 6])
}

/// Why an open application is not approved yet, in the assets' units: what coverage, how many
/// distinct underwriters, and the largest share, against the rules (`None` when all hold, which an
/// open application only shows until the next backing).
pub fn pending(application: &ApplicationResponse, config: &ConfigResponse, stake: &Units) -> Option<String> {
    let rules = &config.rules;
    let total = application.total_backing.u128();
    let required = application.required_backing.u128();
    let mut missing = Vec::new();
    if total < required {
        missing.push(format!(
            "{} of the {} required ({} more)",
            stake.show(total),
            stake.show(required),
            stake.show(required - total)
        ));
    }
    let backers = application.backers.len() as u32;
    if backers < rules.min_underwriters {
        missing.push(format!("{backers} of at least {} underwriters", rules.min_underwriters));
    }
    let largest = application.backers.iter().map(|b| b.amount.u128()).max().unwrap_or(0);
    if total > 0 && largest * 10_000 > total * u128::from(rules.max_share_bps) {
        missing.push(format!(
            "one backer holds {} of the backing, above the {} allowed",
            bps(largest * 10_000 / total),
            bps(u128::from(rules.max_share_bps))
        ));
    }
    (!missing.is_empty()).then(|| missing.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_and_prices_read_as_people_write_them() {
        assert_eq!(bps(5_000), "50 %");
        assert_eq!(bps(1_250), "12.50 %");
        assert_eq!(bps(10_000), "100 %");
        let rusd = Units { symbol: "rUSD".into(), decimals: 6 };
        let inj = Units::native("inj");
        let tenth = Price { numerator: 100_000_000_000, denominator: 1 };
        assert_eq!(price(&tenth, &rusd, &inj), "0.10 INJ per rUSD");
        let third = Price { numerator: 1, denominator: 3 };
        let units = Units { symbol: "u".into(), decimals: 0 };
        assert_eq!(price(&third, &rusd, &units), "≈333,333.00 u per rUSD");
        let huge = Price { numerator: u128::MAX, denominator: 1 };
        assert_eq!(price(&huge, &rusd, &inj), format!("{}/1 stake units per credit unit", u128::MAX));
    }

    #[test]
    fn reasons_read_as_sentences() {
        let rusd = Units { symbol: "rUSD".into(), decimals: 6 };
        assert_eq!(reason(&Reason::Base { adds: 500_000_000 }, &rusd), "base +500.00 rUSD");
        let rating = Reason::Rating { stars_x10: 45, reviews: 120, adds: 340_000_000 };
        assert_eq!(reason(&rating, &rusd), "rating 4.5 stars over 120 reviews +340.00 rUSD");
        let defaults = Reason::Defaults { defaults: 1, unrecovered: 5_000_000, halvings: 1, subtracts: 420_000_000 };
        assert_eq!(reason(&defaults, &rusd), "1 defaults, 5.00 rUSD unrecovered, halved 1 times -420.00 rUSD");
        let s = SuggestionResponse {
            limit: 840_000_000u128.into(),
            reasons: vec![Reason::Base { adds: 500_000_000 }, rating],
        };
        assert_eq!(
            suggestion(&s, &rusd),
            "840.00 rUSD (base +500.00 rUSD, rating 4.5 stars over 120 reviews +340.00 rUSD)"
        );
    }
}
