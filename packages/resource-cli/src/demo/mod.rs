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
use scenario::{ClearingAction, CLEARING, SCENARIO};

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
    /// Obligation id of each of `scenario::INVOICES`.
    ids: Vec<u64>,
    gross: u128,
    cleared: u128,
    /// (invoice index, obligation id, amount) of the invoice settled with credit.
    settled: Option<(usize, u64, u128)>,
}

/// Tells the story on `network`, deployed on `place`.
async fn tell(mut network: Network, place: &str) -> anyhow::Result<()> {
    network.say(&render::intro(&network, place));
    let mut totals = Totals::default();
    let mut checked = 0;
    let mut accounts = Vec::new();
    for (index, step) in SCENARIO.iter().enumerate() {
        let number = index + 1;
        let mut lines = Vec::new();
        let mut effects = TransferEffect::default();
        for action in step.actions {
            network.step(&format!("step {number} of {}: {}", SCENARIO.len(), render::describe(*action)));
            lines.push(network.apply(*action, &mut effects).await.with_context(|| format!("step {number}"))?);
        }
        totals.minted += effects.minted;
        totals.burned += effects.burned;
        checked = network.check(&mut totals).await.with_context(|| format!("after step {number}"))?;
        accounts = network.member_accounts().await?;
        network.say(&render::token_step(number, step, &lines, &accounts, &effects, totals.supply));
    }

    let mut figures = ClearingFigures::default();
    for (index, step) in CLEARING.iter().enumerate() {
        let number = index + 1;
        let context = || format!("clearing step {number}");
        network.step(&format!("clearing step {number} of {}", CLEARING.len()));
        let body = match step.action {
            ClearingAction::Deploy => {
                let lines = network.deploy_clearing().await.with_context(context)?;
                render::deployed(&lines, &network.clearing)
            }
            ClearingAction::Invoices => {
                let (lines, ids) = network.register_invoices().await.with_context(context)?;
                let obligations = network.obligations(&ids).await?;
                figures.ids = ids;
                render::invoices_registered(&network, &lines, &obligations)
            }
            ClearingAction::Clear => {
                let round = clear_round(&mut network).await.with_context(context)?;
                let obligations = network.obligations(&figures.ids).await?;
                figures.gross = round.solved.gross;
                figures.cleared = round.solved.cleared;
                render::clearing_round(&network, &round, &obligations)?
            }
            ClearingAction::Settle { invoice } => {
                let id = *figures.ids.get(invoice).ok_or_else(|| anyhow!("invoice {invoice} was not registered"))?;
                let (lines, effect, amount) = actions::settle(&mut network, invoice, id).await.with_context(context)?;
                figures.settled = Some((invoice, id, amount));
                totals.minted += effect.minted;
                totals.burned += effect.burned;
                checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
                accounts = network.member_accounts().await?;
                render::settlement(&lines, &accounts, &effect, totals.supply, &network.clearing_totals().await?)
            }
        };
        // The settlement checked the ledger before printing its supply; every other step is checked here.
        if !matches!(step.action, ClearingAction::Settle { .. }) {
            checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
        }
        network.say(&render::clearing_step(number, step, &body));
    }

    let open = network.clearing_totals().await?;
    network.say(&render::summary(&totals, &accounts, &figures, &open, checked));
    Ok(())
}
