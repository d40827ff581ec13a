//! How the demo lays its story out: amounts in rUSD, tables of the contracts' answers, prose wrapped
//! to the terminal, and the words for each action.
use std::collections::BTreeMap;

use comfy_table::CellAlignment;
use resource_client::test_accounts::test_account;
use resource_core::clearing::{net_positions, Obligation};
use resource_msgs::clearing::{ObligationResponse, TotalsResponse};
use resource_msgs::credit_token::CreditAccountResponse;

use super::actions::{Round, DEMO_ROUND_WINDOW};
use super::backend::Network;
use super::events::TransferEffect;
use super::invariants::Totals;
use super::scenario::{
    businesses, roles, Action, ClearingStep, Invoice, Step, CAST, CLEARING, DECIMALS, FEE_BPS, INVOICES, SCENARIO,
    SYMBOL,
};
use super::ClearingFigures;
use crate::format;
use crate::ui::table;

/// A signed amount of base units in rUSD: a sign, thousands separators, and the decimals down to the
/// last non-zero one but at least cents (`-800.00`, `2,000.00`, `0.000001`), so nothing is rounded away.
pub(super) fn rusd(units: i128) -> String {
    format::signed_units(units < 0, units.unsigned_abs(), DECIMALS)
}

/// An unsigned amount of base units in rUSD, like [`rusd`].
pub(super) fn rusd_u(units: u128) -> String {
    format::units(units, DECIMALS)
}

/// The cast table: who plays whom, and where.
pub(super) fn cast_table(network: &Network) -> comfy_table::Table {
    let mut cast = table(["who", "part", "account", "address"]);
    for role in roles() {
        let account = if test_account(role.account).is_some() { role.account.to_string() } else { "demo key".into() };
        cast.add_row([role.name, role.part, &account, network.address(role.account)]);
    }
    cast
}

/// Right-aligns the amount columns of `table`.
pub(super) fn align_right(
    mut table: comfy_table::Table,
    columns: impl IntoIterator<Item = usize>,
) -> comfy_table::Table {
    for column in columns {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// The members' accounts as the contract reports them.
pub(super) fn members_table(accounts: &[CreditAccountResponse]) -> comfy_table::Table {
    let mut members = table(["member", "account", "balance", "credit limit", "available"]);
    for (role, account) in CAST.iter().zip(accounts) {
        let limit = account.line.as_ref().map_or_else(|| "no line".to_string(), |line| rusd_u(line.limit.u128()));
        members.add_row([
            role.name.to_string(),
            role.account.to_string(),
            rusd(account.balance.i128()),
            limit,
            rusd_u(account.available.u128()),
        ]);
    }
    align_right(members, 2..5)
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
        Action::OpenLine { member, limit } => {
            format!("the operator opens a {} {SYMBOL} credit line for {}", rusd_u(limit), CAST[member].name)
        }
        Action::Pay { from, to, amount } => {
            format!("{} pays {} {} {SYMBOL}", CAST[from].name, CAST[to].name, rusd_u(amount))
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

/// The opening: what the demo is, where it runs, and who plays whom.
pub(super) fn intro(network: &Network, place: &str) -> String {
    let intro = format!(
        "ReSource on Cosmos demo: the Asheville pilot in miniature, on {place}, with the CIP-36 credit token \
         (contracts/credit-token): {SYMBOL}, {DECIMALS} decimals, network fee {FEE_BPS} bps. Members spend into \
         negative balances up to their credit lines: spending below zero creates money (minted), and money \
         received while in debt pays the debt down and is destroyed (burned). Then the businesses clear the \
         invoices they owe each other with the clearing contract (contracts/clearing)."
    );
    format!("{}\nCredit token: {}\n\n{}", wrap(&intro, WIDTH), network.token, cast_table(network))
}

/// Step `number` of the [`SCENARIO`]: its story, what happened, the members' accounts and the supply.
pub(super) fn token_step(
    number: usize,
    step: &Step,
    lines: &[String],
    accounts: &[CreditAccountResponse],
    effects: &TransferEffect,
    supply: u128,
) -> String {
    let fees = if effects.fee > 0 { format!(" · fees {}", rusd_u(effects.fee)) } else { String::new() };
    format!(
        "\n{}\n{}\n{}\nminted {} · burned {}{fees} · total supply {} {SYMBOL}",
        wrap(&format!("Step {number} of {}: {}", SCENARIO.len(), step.story), WIDTH),
        bullets(lines),
        members_table(accounts),
        rusd_u(effects.minted),
        rusd_u(effects.burned),
        rusd_u(supply),
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
        "{}\n{}\nminted {} · burned {} · total supply {} {SYMBOL}\nThe clearing contract's totals:\n{}",
        bullets(lines),
        members_table(accounts),
        rusd_u(effect.minted),
        rusd_u(effect.burned),
        rusd_u(supply),
        clearing_totals_table(totals),
    )
}

/// The closing: where the money is, what the clearing did, and what was checked over `checked`
/// accounts. `accounts` are the members' last accounts read, `open` the clearing contract's totals.
pub(super) fn summary(
    totals: &Totals,
    accounts: &[CreditAccountResponse],
    figures: &ClearingFigures,
    open: &TotalsResponse,
    checked: usize,
) -> String {
    // Who holds the money in circulation and who owes it.
    let list = |keep: fn(i128) -> bool| -> String {
        let parts: Vec<String> = CAST
            .iter()
            .zip(accounts)
            .filter(|(_, account)| keep(account.balance.i128()))
            .map(|(role, account)| format!("{} {}", role.name, rusd_u(account.balance.i128().unsigned_abs())))
            .collect();
        if parts.is_empty() {
            "nobody".to_string()
        } else {
            parts.join(", ")
        }
    };
    let summary = format!(
        "Summary: over the {} steps and the settlement the members created {} {SYMBOL} by spending on their \
         credit lines and destroyed {} {SYMBOL} as money came back to members in debt. {} {SYMBOL} is in \
         circulation (held by {}), exactly what members still owe on their lines (owed by {}): every {SYMBOL} is a \
         business's promise to earn it back.",
        SCENARIO.len(),
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
    let checks = format!(
        "Checked after every step over all {checked} accounts the token knows: the signed balances sum to 0, and \
         the total supply (token_info and network_stats agree) equals the sum of positive balances and minted minus \
         burned. Checked after the clearing round: the contract's totals match the set-off, and no net position \
         moved."
    );
    format!("\n{}\n\n{}\n\n{}", wrap(&summary, WIDTH), wrap(&clearing, WIDTH), wrap(&checks, WIDTH))
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
