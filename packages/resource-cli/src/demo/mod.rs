//! `resource demo`: the Asheville pilot in miniature on the CIP-36 credit token, step by step, then a
//! clearing round over the invoices the pilot's businesses owe each other.
//!
//! One scenario, written as data in [`scenario`] (`SCENARIO` for the credit token, `INVOICES` and
//! `CLEARING` for the clearing part), runs on either chain: an embedded cw-multi-test chain with the
//! contracts linked in, or the local devnet with `artifacts/credit_token.wasm` and
//! `artifacts/clearing.wasm`. After each step the demo reads every member's account, the supply and the
//! network stats back from the token, prints them, and checks the ledger's invariants over every
//! account the token knows. The clearing round is solved off chain by `resource_core::clearing::solve`
//! over the contract's own `Outstanding` list, and the demo checks that no business's net position
//! moved.
//!
//! The modules: [`scenario`] (the story as data), [`backend`] (the two chains), [`actions`] (what each
//! step does on the chain), [`events`] (what a transaction did), [`invariants`] (the checks, with
//! `resource_core`'s rules) and [`render`] (tables and prose).
use std::path::Path;

use anyhow::{anyhow, Context};

use crate::ui::Progress;
use actions::clear_round;
use backend::Network;
use events::TransferEffect;
use invariants::Totals;
use render::{
    bullets, cast_table, cleared_table, clearing_totals_table, describe, gas_note, invoices_table, members_table,
    percent, positions_table, rusd_u, wrap, WIDTH,
};
use scenario::{businesses, ClearingAction, CAST, CLEARING, DECIMALS, FEE_BPS, INVOICES, SCENARIO, SYMBOL};

mod actions;
mod backend;
mod events;
mod invariants;
mod render;
mod scenario;

pub use invariants::InvariantError;

/// Where the demo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoChain {
    /// An in-process cw-multi-test chain: no node, no wasm build needed.
    Embedded,
    /// The local devnet (`resource devnet up`), with the wasm artifacts from `cargo xtask wasm`.
    Devnet,
}

/// Runs the demo story and prints each step.
pub async fn run(chain: DemoChain, home: &Path, artifacts: &Path) -> anyhow::Result<()> {
    match chain {
        DemoChain::Embedded => tell(Network::embedded()?, "an embedded cw-multi-test chain").await,
        DemoChain::Devnet => {
            let progress = Progress::new();
            let result = async {
                let network = Network::devnet(home, artifacts, progress.clone()).await?;
                tell(network, &format!("the local devnet in {}", home.display())).await
            }
            .await;
            progress.finish();
            result
        }
    }
}

/// What the clearing part did, for the summary.
#[derive(Default)]
struct ClearingFigures {
    /// Obligation id of each of [`INVOICES`].
    ids: Vec<u64>,
    gross: u128,
    cleared: u128,
    /// (invoice index, obligation id, amount) of the invoice settled with credit.
    settled: Option<(usize, u64, u128)>,
}

/// Tells the story on `network`, deployed on `place`.
async fn tell(mut network: Network, place: &str) -> anyhow::Result<()> {
    let intro = format!(
        "ReSource on Cosmos demo: the Asheville pilot in miniature, on {place}, with the CIP-36 credit token \
         (contracts/credit-token): {SYMBOL}, {DECIMALS} decimals, network fee {FEE_BPS} bps. Members spend into \
         negative balances up to their credit lines: spending below zero creates money (minted), and money \
         received while in debt pays the debt down and is destroyed (burned). Then the businesses clear the \
         invoices they owe each other with the clearing contract (contracts/clearing)."
    );
    network.say(&format!("{}\nCredit token: {}\n\n{}", wrap(&intro, WIDTH), network.token, cast_table(&network)));
    let mut totals = Totals::default();
    let mut checked = 0;
    let mut accounts = Vec::new();
    for (index, step) in SCENARIO.iter().enumerate() {
        let number = index + 1;
        let mut lines = Vec::new();
        let mut effects = TransferEffect::default();
        for action in step.actions {
            network.step(&format!("step {number} of {}: {}", SCENARIO.len(), describe(*action)));
            lines.push(network.apply(*action, &mut effects).await.with_context(|| format!("step {number}"))?);
        }
        totals.minted += effects.minted;
        totals.burned += effects.burned;
        checked = network.check(&mut totals).await.with_context(|| format!("after step {number}"))?;
        accounts = network.member_accounts().await?;
        let fees = if effects.fee > 0 { format!(" · fees {}", rusd_u(effects.fee)) } else { String::new() };
        network.say(&format!(
            "\n{}\n{}\n{}\nminted {} · burned {}{fees} · total supply {} {SYMBOL}",
            wrap(&format!("Step {number} of {}: {}", SCENARIO.len(), step.story), WIDTH),
            bullets(&lines),
            members_table(&accounts),
            rusd_u(effects.minted),
            rusd_u(effects.burned),
            rusd_u(totals.supply),
        ));
    }

    let mut figures = ClearingFigures::default();
    for (index, step) in CLEARING.iter().enumerate() {
        let number = index + 1;
        let context = || format!("clearing step {number}");
        network.step(&format!("clearing step {number} of {}", CLEARING.len()));
        let heading = wrap(&format!("Clearing step {number} of {}: {}", CLEARING.len(), step.story), WIDTH);
        let body = match step.action {
            ClearingAction::Deploy => {
                let lines = network.deploy_clearing().await.with_context(context)?;
                format!("{}\nClearing contract: {} (fee-exempt on the credit token)", bullets(&lines), network.clearing)
            }
            ClearingAction::Invoices => {
                let (lines, ids) = network.register_invoices().await.with_context(context)?;
                let mut obligations = Vec::with_capacity(ids.len());
                for id in &ids {
                    obligations.push(network.obligation(*id).await?);
                }
                figures.ids = ids;
                let gross: u128 = INVOICES.iter().map(|invoice| invoice.amount).sum();
                format!(
                    "{}\n{}\n{} invoices between {} businesses: {} {SYMBOL} of trade credit.",
                    bullets(&lines),
                    invoices_table(&network, &obligations),
                    INVOICES.len(),
                    businesses().len(),
                    rusd_u(gross),
                )
            }
            ClearingAction::Clear => {
                let round = clear_round(&mut network).await.with_context(context)?;
                let solved = &round.solved;
                let mut obligations = Vec::with_capacity(figures.ids.len());
                for id in &figures.ids {
                    obligations.push(network.obligation(*id).await?);
                }
                figures.gross = solved.gross;
                figures.cleared = solved.cleared;
                let lines = [
                    format!(
                        "read {} outstanding invoices, {} {SYMBOL}, from the contract's Outstanding list",
                        round.before.len(),
                        rusd_u(solved.gross)
                    ),
                    format!(
                        "solved off chain: a set-off of {} entries clearing {} {SYMBOL}, checked with the contract's \
                         own rule",
                        solved.set_off.entries.len(),
                        rusd_u(solved.cleared)
                    ),
                    format!(
                        "the operator submits it as clearing round {}; the contract verifies and applies it{}",
                        round.number,
                        gas_note(round.gas)
                    ),
                ];
                let outcome = format!(
                    "Gross debt before the round {} {SYMBOL}; cleared {} {SYMBOL}; remaining {} {SYMBOL} on {} \
                     invoices: {} of the debt disappeared without any payment. Every business's net position (what \
                     it is owed minus what it owes) is unchanged.",
                    rusd_u(solved.gross),
                    rusd_u(solved.cleared),
                    rusd_u(solved.gross - solved.cleared),
                    round.after.len(),
                    percent(solved.cleared, solved.gross),
                );
                format!(
                    "{}\n{}\n{}\n{}",
                    bullets(&lines),
                    cleared_table(&network, &obligations),
                    positions_table(&network, &round)?,
                    wrap(&outcome, WIDTH)
                )
            }
            ClearingAction::Settle { invoice } => {
                let id = *figures.ids.get(invoice).ok_or_else(|| anyhow!("invoice {invoice} was not registered"))?;
                let (lines, effect, amount) = actions::settle(&mut network, invoice, id).await.with_context(context)?;
                figures.settled = Some((invoice, id, amount));
                totals.minted += effect.minted;
                totals.burned += effect.burned;
                checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
                accounts = network.member_accounts().await?;
                format!(
                    "{}\n{}\nminted {} · burned {} · total supply {} {SYMBOL}\nThe clearing contract's totals:\n{}",
                    bullets(&lines),
                    members_table(&accounts),
                    rusd_u(effect.minted),
                    rusd_u(effect.burned),
                    rusd_u(totals.supply),
                    clearing_totals_table(&network.clearing_totals().await?),
                )
            }
        };
        // The settlement checked the ledger before printing its supply; every other step is checked here.
        if !matches!(step.action, ClearingAction::Settle { .. }) {
            checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
        }
        network.say(&format!("\n{heading}\n{body}"));
    }

    // Who holds the money in circulation and who owes it, from the last accounts read.
    let list = |keep: fn(i128) -> bool| -> String {
        let parts: Vec<String> = CAST
            .iter()
            .zip(&accounts)
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
    let open = network.clearing_totals().await?;
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
    network.say(&format!("\n{}\n\n{}\n\n{}", wrap(&summary, WIDTH), wrap(&clearing, WIDTH), wrap(&checks, WIDTH)));
    Ok(())
}
