//! How the demo lays its story out: amounts in rUSD and INJ, tables of the contracts' answers,
//! prose wrapped to the terminal, and the words for each action.
use std::collections::BTreeMap;

use resource_client::test_accounts::test_account;
use resource_core::clearing::{net_positions, Obligation};
use resource_msgs::clearing::{ObligationResponse, TotalsResponse};
use resource_msgs::credit_token::{CreditAccountResponse, LineStatus, PeriodState};
use resource_msgs::did_registry::ClaimView;

use super::actions::{Round, Settlement, DEMO_ROUND_WINDOW};
use super::backend::Network;
use super::credentials::CredentialFigures;
use super::events::TransferEffect;
use super::invariants::Totals;
use super::scenario::{
    businesses, roles, Action, ClearingStep, CredentialStep, Invoice, Role, CAFE, CLEARING, CREDENTIALS, DECIMALS,
    FEE_BPS, GRACE_SECONDS, INVOICES, PRICE, RATING_THRESHOLDS, RESERVE, STAKE_DECIMALS, STAKE_SYMBOL, SYMBOL,
    UNDERWRITERS,
};
use super::ClearingFigures;
use crate::format;
use crate::ui::table;
pub(super) use crate::underwriting::report::align_right;
use crate::underwriting::Units;

/// A signed amount of base units in rUSD: a sign, thousands separators, and the decimals down to the
/// last non-zero one but at least cents (`-800.00`, `2,000.00`, `0.000001`), so nothing is rounded away.
pub(super) fn rusd(units: i128) -> String {
    format::signed_units(units < 0, units.unsigned_abs(), DECIMALS)
}

/// An unsigned amount of base units in rUSD, like [`rusd`].
pub(super) fn rusd_u(units: u128) -> String {
    format::units(units, DECIMALS)
}

/// An amount of stake base units in INJ, like [`rusd_u`].
pub(super) fn inj_u(units: u128) -> String {
    format::units(units, STAKE_DECIMALS)
}

/// A signed change of stake in INJ: `+25.25`, `-12.625`.
fn inj_change(gain: bool, units: u128) -> String {
    format!("{}{}", if gain { "+" } else { "-" }, inj_u(units))
}

/// The credit token's and the stake's units, for the shared underwriting tables.
pub(super) fn credit_units() -> Units {
    Units { symbol: SYMBOL.into(), decimals: DECIMALS }
}

pub(super) fn stake_units() -> Units {
    Units { symbol: STAKE_SYMBOL.into(), decimals: STAKE_DECIMALS }
}

/// The cast table: who plays whom, and where.
pub(super) fn cast_table(network: &Network) -> comfy_table::Table {
    let mut cast = table(["who", "part", "account", "address"]);
    for role in roles() {
        cast.add_row([role.name, role.part, &account_label(role), network.address(role.account)]);
    }
    cast
}

/// The accounts of `roles` as the credit token reports them.
pub(super) fn members_table(roles: &[&Role], accounts: &[CreditAccountResponse]) -> comfy_table::Table {
    let mut members = table(["member", "account", "balance", "credit limit", "available"]);
    for (role, account) in roles.iter().zip(accounts) {
        let limit = account.line.as_ref().map_or_else(|| "no line".to_string(), |line| rusd_u(line.limit.u128()));
        members.add_row([
            role.name.to_string(),
            account_label(role),
            rusd(account.balance.i128()),
            limit,
            rusd_u(account.available.u128()),
        ]);
    }
    align_right(members, 2..5)
}

/// The devnet test account that plays `role`, or `demo key`.
fn account_label(role: &Role) -> String {
    if test_account(role.account).is_some() {
        role.account.to_string()
    } else {
        "demo key".into()
    }
}

/// The newcomer's and the loss account's credit accounts, with what a default writes off.
pub(super) fn newcomer_table(roles: &[&Role], accounts: &[CreditAccountResponse]) -> comfy_table::Table {
    let mut t = table(["account", "balance", "credit limit", "available", "line", "written off"]);
    for (role, account) in roles.iter().zip(accounts) {
        let (limit, status) = match &account.line {
            None => ("no line".to_string(), String::new()),
            Some(line) => (
                rusd_u(line.limit.u128()),
                match (line.status, &account.period) {
                    (LineStatus::Active, Some(p)) if p.state == PeriodState::Grace && !p.needed_income.is_zero() => {
                        "frozen in grace"
                    }
                    (LineStatus::Active, _) => "active",
                    (LineStatus::Defaulted, _) => "defaulted",
                    (LineStatus::Closed, _) => "closed",
                }
                .to_string(),
            ),
        };
        t.add_row([
            role.name.to_string(),
            rusd(account.balance.i128()),
            limit,
            rusd_u(account.available.u128()),
            status,
            rusd_u(account.written_off.u128()),
        ]);
    }
    align_right(t, [1, 2, 3, 5])
}

/// Who lost what in `settlement`: each underwriter's stake (slashed, or not backing), the reserve's
/// gain, the loss account taking the debt and the member's debt written off. The stake column and
/// the credit column each sum to zero.
pub(super) fn losses_table(network: &Network, settlement: &Settlement) -> comfy_table::Table {
    let mut t = table(["who", "stake (INJ)", "credit (rUSD)", "what happened"]);
    for underwriter in &UNDERWRITERS {
        let address = network.address(underwriter.account);
        let row = match settlement.backers.iter().find(|(who, _, _)| who == address) {
            Some((_, backing, slashed)) => [
                underwriter.name.to_string(),
                inj_change(false, *slashed),
                String::new(),
                format!("backed {}, {} released", inj_u(*backing), inj_u(backing - slashed)),
            ],
            None => [underwriter.name.to_string(), inj_u(0), String::new(), "did not back it".to_string()],
        };
        t.add_row(row);
    }
    t.add_row([
        RESERVE.name.to_string(),
        inj_change(true, settlement.to_reserve),
        String::new(),
        "receives the slashed stake".to_string(),
    ]);
    t.add_row([
        super::scenario::LOSS_ACCOUNT.name.to_string(),
        String::new(),
        rusd(-(settlement.loss as i128)),
        "takes the debt".to_string(),
    ]);
    t.add_row([
        settlement.member.name.to_string(),
        String::new(),
        format!("+{}", rusd_u(settlement.loss)),
        "its debt is written off and its line closed".to_string(),
    ]);
    align_right(t, [1, 2])
}

/// The invoices as the clearing contract reports them.
pub(super) fn invoices_table(network: &Network, obligations: &[ObligationResponse]) -> comfy_table::Table {
    let mut invoices = table(["invoice", "debtor", "creditor", "for", "amount", "status"]);
    for (invoice, o) in INVOICES.iter().zip(obligations) {
        invoices.add_row([
            o.id.to_string(),
            network.name_of(o.debtor.as_str()),
            network.name_of(o.creditor.as_str()),
            invoice.what.to_string(),
            rusd_u(o.amount.u128()),
            o.status.to_string(),
        ]);
    }
    align_right(invoices, [0, 4])
}

/// Each invoice after a round: what was cleared and what is left.
pub(super) fn cleared_table(network: &Network, obligations: &[ObligationResponse]) -> comfy_table::Table {
    let mut invoices = table(["invoice", "debtor", "creditor", "amount", "cleared", "remaining", "status"]);
    for o in obligations {
        invoices.add_row([
            o.id.to_string(),
            network.name_of(o.debtor.as_str()),
            network.name_of(o.creditor.as_str()),
            rusd_u(o.amount.u128()),
            rusd_u(o.cleared.u128()),
            rusd_u(o.remaining.u128()),
            o.status.to_string(),
        ]);
    }
    align_right(invoices, [0, 3, 4, 5])
}

/// What each business owes and is owed before and after a round, and its net position (is owed minus
/// owes), which the round leaves as it was.
pub(super) fn positions_table(network: &Network, round: &Round) -> anyhow::Result<comfy_table::Table> {
    let sides = |obligations: &[Obligation<String>], address: &str| -> (u128, u128) {
        let owes = obligations.iter().filter(|o| o.debtor == address).map(|o| o.amount).sum();
        let owed = obligations.iter().filter(|o| o.creditor == address).map(|o| o.amount).sum();
        (owes, owed)
    };
    let net_before: BTreeMap<String, i128> = net_positions(&round.before)?.into_iter().collect();
    let net_after: BTreeMap<String, i128> = net_positions(&round.after)?.into_iter().collect();
    let mut positions =
        table(["business", "owes before", "is owed before", "net before", "owes after", "is owed after", "net after"]);
    for role in roles() {
        let address = network.address(role.account);
        let Some(before) = net_before.get(address) else { continue };
        let ((owes, owed), (owes_after, owed_after)) = (sides(&round.before, address), sides(&round.after, address));
        positions.add_row([
            role.name.to_string(),
            rusd_u(owes),
            rusd_u(owed),
            rusd(*before),
            rusd_u(owes_after),
            rusd_u(owed_after),
            rusd(net_after.get(address).copied().unwrap_or(0)),
        ]);
    }
    Ok(align_right(positions, 1..7))
}

/// The clearing contract's running totals.
pub(super) fn clearing_totals_table(totals: &TotalsResponse) -> comfy_table::Table {
    let mut t = table(["gross outstanding", "cleared to date", "settled with credit", "open invoices", "rounds"]);
    t.add_row([
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(totals.cleared_to_date.u128()),
        rusd_u(totals.settled_with_credit_to_date.u128()),
        totals.outstanding_obligations.to_string(),
        totals.rounds.to_string(),
    ]);
    align_right(t, 0..5)
}

/// A fraction as a percentage with one decimal: `71.8 %`.
pub(super) fn percent(part: u128, whole: u128) -> String {
    if whole == 0 {
        return "0.0 %".into();
    }
    format!("{:.1} %", 100.0 * part as f64 / whole as f64)
}

/// Lines of a step as a bullet list.
pub(super) fn bullets(lines: &[String]) -> String {
    lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n")
}

/// Prose lines are wrapped to this many columns; the tables wrap themselves.
pub(super) const WIDTH: usize = 100;

/// Greedy word wrap (a word longer than `width` gets a line of its own).
pub(super) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// The gas a real chain charged, for a line of the story (the embedded chain does not meter gas).
pub(super) fn gas_note(gas: Option<u64>) -> String {
    gas.map(|gas| format!(" (gas used: {gas})")).unwrap_or_default()
}

/// What an action does, in words.
pub(super) fn describe(action: Action) -> String {
    match action {
        Action::Stake { underwriter, amount } => {
            format!("{} stakes {} {STAKE_SYMBOL}", underwriter.name, inj_u(amount))
        }
        Action::Apply { member, amount, term } => format!(
            "{} applies for a {} {SYMBOL} credit line for {}",
            member.name,
            rusd_u(amount),
            format::duration(term)
        ),
        Action::Back { underwriter, member, amount } => {
            format!("{} backs {} with {} {STAKE_SYMBOL}", underwriter.name, member.name, inj_u(amount))
        }
        Action::Pay { from, to, amount } => format!("{} pays {} {} {SYMBOL}", from.name, to.name, rusd_u(amount)),
        Action::DistributeFees => "the operator distributes the fees".to_string(),
        Action::ClaimRewards { underwriter } => format!("{} claims its rewards", underwriter.name),
        Action::Settle { member } => format!("the operator settles {}'s application", member.name),
        Action::PayWhileFrozen { from, to, amount } => {
            format!("{} tries to pay {} {} {SYMBOL} on credit", from.name, to.name, rusd_u(amount))
        }
    }
}

/// What an invoice is, in words.
pub(super) fn describe_invoice(invoice: &Invoice) -> String {
    format!(
        "{} invoices {} {} {SYMBOL} for {}",
        invoice.creditor.name,
        invoice.debtor.name,
        rusd_u(invoice.amount),
        invoice.what
    )
}

// ---------------------------------------------------------------------------------------------
// the demo's pages, in the order it prints them

/// The opening: what the demo is, where it runs, how it was deployed (`lines`) and who plays whom.
pub(super) fn intro(network: &Network, place: &str, lines: &[String]) -> String {
    let intro = format!(
        "ReSource on Cosmos demo: the Asheville pilot in miniature, on {place}, with the CIP-36 credit token \
         (contracts/credit-token): {SYMBOL}, {DECIMALS} decimals, network fee {FEE_BPS} bps, grace period {} \
         (short, for the demo's default). Members spend into negative balances up to their credit lines: spending \
         below zero creates money (minted), and money received while in debt pays the debt down and is destroyed \
         (burned). Underwriters back the credit lines with staked {STAKE_SYMBOL} through the underwriting contract \
         (contracts/underwriting), earn the network's fees and lose stake when a member they back defaults. The \
         businesses also clear the invoices they owe each other with the clearing contract (contracts/clearing), \
         and a newcomer proves its marketplace rating in zero knowledge, verified by the DID registry \
         (contracts/did-registry), to be granted a line.",
        format::duration(GRACE_SECONDS)
    );
    format!(
        "{}\n{}\nCredit token: {}\nUnderwriting contract: {}\n\n{}",
        wrap(&intro, WIDTH),
        bullets(lines),
        network.token,
        network.underwriting,
        cast_table(network)
    )
}

/// A step's page: `heading` with its story, what happened, then `body` (its tables).
pub(super) fn step_page(heading: &str, story: &str, lines: &[String], body: &str) -> String {
    format!("\n{}\n{}\n{body}", wrap(&format!("{heading}: {story}"), WIDTH), bullets(lines))
}

/// The line under a step's accounts: what it minted, burned and charged, and the supply.
pub(super) fn supply_line(effects: &TransferEffect, supply: u128) -> String {
    let fees = if effects.fee > 0 { format!(" · fees {}", rusd_u(effects.fee)) } else { String::new() };
    format!(
        "minted {} · burned {}{fees} · total supply {} {SYMBOL}",
        rusd_u(effects.minted),
        rusd_u(effects.burned),
        rusd_u(supply)
    )
}

/// The sentence under the losses table.
pub(super) fn losses_note(settlement: &Settlement) -> String {
    let price = crate::underwriting::report::price(&PRICE, &credit_units(), &stake_units());
    wrap(
        &format!(
            "{} defaulted on {} {SYMBOL}, worth {} {STAKE_SYMBOL} at {price}. Each backer lost its share of that, in \
             proportion to its backing, and the reserve received it all; the loss account took the debt, so the \
             balances still sum to zero. Both columns of the table sum to zero.",
            settlement.member.name,
            rusd_u(settlement.loss),
            inj_u(settlement.to_reserve),
        ),
        WIDTH,
    )
}

/// Clearing step `number` of [`CLEARING`]: its story, then `body`.
pub(super) fn clearing_step(number: usize, step: &ClearingStep, body: &str) -> String {
    let heading = wrap(&format!("Clearing step {number} of {}: {}", CLEARING.len(), step.story), WIDTH);
    format!("\n{heading}\n{body}")
}

/// The body of the clearing contract's deployment.
pub(super) fn deployed(lines: &[String], clearing: &str) -> String {
    format!("{}\nClearing contract: {clearing} (fee-exempt on the credit token)", bullets(lines))
}

/// The body of the invoices' registration.
pub(super) fn invoices_registered(network: &Network, lines: &[String], obligations: &[ObligationResponse]) -> String {
    let gross: u128 = INVOICES.iter().map(|invoice| invoice.amount).sum();
    format!(
        "{}\n{}\n{} invoices between {} businesses: {} {SYMBOL} of trade credit.",
        bullets(lines),
        invoices_table(network, obligations),
        INVOICES.len(),
        businesses().len(),
        rusd_u(gross),
    )
}

/// The body of the clearing round: what was read, solved and submitted, each invoice after the round
/// (`obligations`), the businesses' positions, and how much disappeared.
pub(super) fn clearing_round(
    network: &Network,
    round: &Round,
    obligations: &[ObligationResponse],
) -> anyhow::Result<String> {
    let solved = &round.solved;
    let lines = [
        format!(
            "read {} outstanding invoices, {} {SYMBOL}, from the contract's Outstanding list",
            round.before.len(),
            rusd_u(solved.gross)
        ),
        format!(
            "solved off chain: a set-off of {} entries clearing {} {SYMBOL}, checked with the contract's own rule",
            solved.set_off.entries.len(),
            rusd_u(solved.cleared)
        ),
        format!(
            "the operator submits it for clearing round {}, the contract verifies it and holds it as the round's \
             candidate for {DEMO_ROUND_WINDOW} s (a larger set-off could replace it){}",
            round.number,
            gas_note(round.gas.map(|g| g.0))
        ),
        format!(
            "nobody offers more; once the window is over the operator closes the round and the contract checks the \
             set-off again and applies it{}",
            gas_note(round.gas.map(|g| g.1))
        ),
    ];
    let outcome = format!(
        "Gross debt before the round {} {SYMBOL}; cleared {} {SYMBOL}; remaining {} {SYMBOL} on {} invoices: {} \
         of the debt disappeared without any payment. Every business's net position (what it is owed minus what \
         it owes) is unchanged.",
        rusd_u(solved.gross),
        rusd_u(solved.cleared),
        rusd_u(solved.gross - solved.cleared),
        round.after.len(),
        percent(solved.cleared, solved.gross),
    );
    Ok(format!(
        "{}\n{}\n{}\n{}",
        bullets(&lines),
        cleared_table(network, obligations),
        positions_table(network, round)?,
        wrap(&outcome, WIDTH)
    ))
}

/// The body of the settlement with credit: what happened, the members' accounts, the supply and the
/// clearing contract's totals.
pub(super) fn settlement(
    lines: &[String],
    accounts: &[CreditAccountResponse],
    effect: &TransferEffect,
    supply: u128,
    totals: &TotalsResponse,
) -> String {
    format!(
        "{}\n{}\n{}\nThe clearing contract's totals:\n{}",
        bullets(lines),
        members_table(&super::scenario::CAST.each_ref(), accounts),
        supply_line(effect, supply),
        clearing_totals_table(totals),
    )
}

/// A credential step's heading and page.
pub(super) fn credential_page(number: usize, step: &CredentialStep, lines: &[String], body: &str) -> String {
    step_page(&format!("Credential step {number} of {}", CREDENTIALS.len()), step.story, lines, body)
}

/// Where the DID registry is, which verifies the credential proofs and holds the claims.
pub(super) fn registry_address(network: &Network) -> String {
    format!("DID registry: {}", network.registry)
}

/// Verified claims as the registry reports them, named by member (no times: they are the chain's).
pub(super) fn claims_table(rows: &[(&str, &ClaimView)]) -> comfy_table::Table {
    let mut t = table(["member", "claim", "type", "proves", "attester", "status"]);
    for (member, view) in rows {
        let c = &view.claim;
        let status = match (view.attester_active, view.expired) {
            (false, _) => "attester revoked",
            (true, true) => "expired",
            (true, false) => "valid",
        };
        t.add_row([
            member.to_string(),
            view.seq.to_string(),
            c.claim_type.clone(),
            crate::credential::describe_predicate(&c.claim_type, &c.predicate),
            c.attester.to_string(),
            status.to_string(),
        ]);
    }
    t
}

/// What the underwriting did, for the summary.
pub(super) struct UnderwritingFigures {
    /// Stake bonded by the underwriters, and the lines their backing approved (count, amount).
    pub(super) staked: u128,
    pub(super) lines: (usize, u128),
    /// Fees charged, rewards paid out, rewards left to claim.
    pub(super) fees: u128,
    pub(super) rewards_paid: u128,
    pub(super) claimable: u128,
}

/// The closing: where the money is, what the clearing and the underwriting did, and what was
/// checked over `checked` accounts. `balances` are every account's (name, balance), `open` the
/// clearing contract's totals.
#[allow(clippy::too_many_arguments)] // one page summing up every part of the story
pub(super) fn summary(
    totals: &Totals,
    balances: &[(String, i128)],
    figures: &ClearingFigures,
    open: &TotalsResponse,
    underwriting: &UnderwritingFigures,
    settlements: &[Settlement],
    credentials: &CredentialFigures,
    checked: usize,
) -> String {
    // Who holds the money in circulation and who owes it.
    let list = |keep: fn(i128) -> bool| -> String {
        let parts: Vec<String> = balances
            .iter()
            .filter(|(_, balance)| keep(*balance))
            .map(|(name, balance)| format!("{name} {}", rusd_u(balance.unsigned_abs())))
            .collect();
        if parts.is_empty() {
            "nobody".to_string()
        } else {
            parts.join(", ")
        }
    };
    let summary = format!(
        "Summary: over the story {} {SYMBOL} was created as members spent on their credit lines and {} {SYMBOL} \
         destroyed as money came back to members in debt (a default counts as both: the debt moves to the loss \
         account). {} {SYMBOL} is in circulation (held by {}), exactly what is still owed (by {}): every {SYMBOL} \
         is a promise to earn it back, and the loss account carries the promise a member broke.",
        rusd_u(totals.minted),
        rusd_u(totals.burned),
        rusd_u(totals.supply),
        list(|balance| balance > 0),
        list(|balance| balance < 0),
    );
    let settled = match figures.settled {
        Some((invoice, id, amount)) => format!(
            "{} then settled the {} {SYMBOL} left of invoice {id} with credit, so ",
            INVOICES[invoice].debtor.name,
            rusd_u(amount)
        ),
        None => String::new(),
    };
    let clearing = format!(
        "Clearing: the {} businesses owed each other {} {SYMBOL} on {} invoices. One clearing round cancelled {} \
         {SYMBOL} of it ({}) without any payment, and every business's net position stayed the same. {settled}{} \
         {SYMBOL} is still open on {} invoices, to be paid when due.",
        businesses().len(),
        rusd_u(figures.gross),
        INVOICES.len(),
        rusd_u(figures.cleared),
        percent(figures.cleared, figures.gross),
        rusd_u(open.gross_outstanding.u128()),
        open.outstanding_obligations,
    );
    let defaults: Vec<String> = settlements
        .iter()
        .filter(|s| s.outcome == "defaulted")
        .map(|s| {
            format!(
                "{} defaulted on {} {SYMBOL}: its backers lost {} {STAKE_SYMBOL} to the reserve and the loss account \
                 took the debt",
                s.member.name,
                rusd_u(s.loss),
                inj_u(s.to_reserve)
            )
        })
        .collect();
    let u = underwriting;
    let underwritten = format!(
        "Underwriting: {} underwriters staked {} {STAKE_SYMBOL}; their backing approved {} credit lines of {} \
         {SYMBOL} in all. The {} {SYMBOL} of network fees became rewards: {} paid out, {} still to claim. {}.",
        UNDERWRITERS.len(),
        inj_u(u.staked),
        u.lines.0,
        rusd_u(u.lines.1),
        rusd_u(u.fees),
        rusd_u(u.rewards_paid),
        rusd_u(u.claimable),
        if defaults.is_empty() { "Nobody defaulted".to_string() } else { defaults.join("; ") },
    );
    let credential = match (&credentials.without_claim, &credentials.application) {
        (Some(without), Some(application)) => format!(
            "Credentials: {} proved {} without revealing its rating; the recorded claim raised its suggested limit \
             from {} to {} {SYMBOL}, and its {} {SYMBOL} line opened.",
            CAFE.name,
            crate::credential::describe_statement(resource_zk::ClaimKind::Rating, &RATING_THRESHOLDS),
            rusd_u(without.limit.u128()),
            rusd_u(application.suggestion.limit.u128()),
            rusd_u(application.amount.u128()),
        ),
        _ => String::new(),
    };
    let checks = format!(
        "Checked after every step over all {checked} accounts the token knows: the signed balances sum to 0, and \
         the total supply (token_info and network_stats agree) equals the sum of positive balances and minted minus \
         burned. Checked on the underwriting contract after every step: each underwriter's stake is conserved \
         (staked = free + locked + unbonding + slashed), the slashed stake is in the reserve, the contract holds \
         exactly the rest, rewards paid plus fees sent to the reserve stay within the fees received, and the credit \
         it holds is the fees charged less what it paid out. Checked after the clearing round: the contract's \
         totals match the set-off, and no net position moved."
    );
    format!(
        "\n{}\n\n{}\n\n{}\n\n{}\n\n{}",
        wrap(&summary, WIDTH),
        wrap(&underwritten, WIDTH),
        wrap(&clearing, WIDTH),
        wrap(&credential, WIDTH),
        wrap(&checks, WIDTH)
    )
}

#[cfg(test)]
mod tests {
    use super::super::scenario::{usd, UNIT};
    use super::*;

    #[test]
    fn amounts_show_sign_separators_and_at_least_cents() {
        assert_eq!(rusd(-800 * UNIT as i128), "-800.00");
        assert_eq!(rusd(0), "0.00");
        assert_eq!(rusd_u(usd(2_000)), "2,000.00");
        assert_eq!(rusd_u(usd(1_234_567)), "1,234,567.00");
        assert_eq!(rusd_u(usd(100)), "100.00");
        assert_eq!(rusd_u(1_500_000), "1.50");
        assert_eq!(rusd(-1_234_500), "-1.2345");
        assert_eq!(rusd_u(1), "0.000001");
        assert_eq!(rusd(-1), "-0.000001");
        assert_eq!(rusd(i128::MIN), "-170,141,183,460,469,231,731,687,303,715,884.105728");
        assert_eq!(rusd_u(u128::MAX), "340,282,366,920,938,463,463,374,607,431,768.211455");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(2_800, 3_900), "71.8 %");
        assert_eq!(percent(1, 1), "100.0 %");
        assert_eq!(percent(0, 0), "0.0 %");
    }

    #[test]
    fn prose_wraps_at_word_boundaries() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("  spaced   out  ", 80), "spaced out");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("", 10), "");
        let story = "Payday: the bakery pays its employees' monthly benefits in rUSD, spending into its credit line.";
        assert!(wrap(story, WIDTH).lines().all(|line| line.chars().count() <= WIDTH));
    }
}
