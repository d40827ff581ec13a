//! `resource demo`: the Asheville pilot in miniature on the CIP-36 credit token, step by step:
//! underwriters stake and back the pilot's credit lines, members trade (paying the network fee), a
//! clearing round cancels the invoices the businesses owe each other, the fees become the
//! underwriters' rewards, a newcomer on a short trial line defaults, and another newcomer proves its
//! marketplace rating in zero knowledge to be granted a line.
//!
//! One scenario, written as data in [`scenario`] (`SCENARIO` for the credit token, `INVOICES` and
//! `CLEARING` for the clearing part, `UNDERWRITING` for the rewards and the default, `CREDENTIALS` for
//! the zero-knowledge rating), runs on either chain: an embedded cw-multi-test chain with the
//! contracts linked in, or the local devnet with the artifacts of `cargo xtask wasm`
//! (`credit_token`, `underwriting`, `clearing` and `did_registry`). After
//! each step the demo reads the accounts, the supply and the network stats back from the token and
//! the underwriters' positions and the reward pool from the underwriting contract, prints them, and
//! checks the ledger's invariants over every account the token knows and the underwriting
//! contract's books. The clearing round is solved off chain by `resource_core::clearing::solve` over
//! the contract's own `Outstanding` list, and the demo checks that no business's net position moved.
//!
//! The modules: [`scenario`] (the story as data), [`backend`] (the two chains), [`actions`] (what each
//! step does on the chain), [`credentials`] (the credential part), [`events`] (what a transaction did), [`invariants`] (the checks, with
//! `resource_core`'s rules) and [`render`] (tables and prose).
use std::path::Path;

use anyhow::{anyhow, Context};
use resource_msgs::underwriting::{PoolResponse, QueryMsg as UnderwritingQuery};

use crate::ui::Progress;
use actions::{clear_round, Settlement};
use backend::{Network, Target};
use credentials::CredentialFigures;
use events::TransferEffect;
use invariants::Totals;
use scenario::{
    ClearingAction, CredentialAction, Show, Step, CAFE, CAFE_BACKING, CAST, CLEARING, CREDENTIALS, LOSS_ACCOUNT,
    RESERVE, SCENARIO, TRUCK, UNDERWRITING,
};

mod actions;
mod backend;
mod credentials;
mod events;
mod invariants;
mod meta;
mod render;
mod report;
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
/// Writes the HTML report to `report`, if given.
pub async fn run(chain: DemoChain, home: &Path, artifacts: &Path, report: Option<&Path>) -> anyhow::Result<()> {
    match chain {
        DemoChain::Embedded => tell(Network::embedded()?, "an embedded cw-multi-test chain", report).await,
        DemoChain::Devnet => {
            let progress = Progress::new();
            let result = async {
                let network = Network::devnet(home, artifacts, progress.clone()).await?;
                tell(network, &format!("the local devnet in {}", home.display()), report).await
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

/// Tells the story on `network`, deployed on `place`, and writes its HTML report to `report_path`.
async fn tell(mut network: Network, place: &str, report_path: Option<&Path>) -> anyhow::Result<()> {
    network.step("deploying the credit token and the underwriting contract");
    let deployed = network.deploy().await.context("deploying the contracts")?;
    let mut totals =
        Totals { reserve_start: network.stake_coins(network.address(RESERVE.account)).await?, ..Totals::default() };
    let mut report = report::Report { place: place.to_string(), ..report::Report::default() };
    let intro = render::intro(&network, place, &deployed);
    network.say(&intro);
    report.page("The pilot and its cast", &intro);
    report.supply_after("start", "after the deployment", totals.supply);
    let mut checked = 0;
    let mut settlements = Vec::new();
    for (index, step) in SCENARIO.iter().enumerate() {
        let heading = format!("Step {} of {}", index + 1, SCENARIO.len());
        checked = run_step(&mut network, &heading, step, &mut totals, &mut settlements, &mut report).await?;
        report.supply_after(&format!("S{}", index + 1), &heading, totals.supply);
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
                report.clearing = Some((round.solved.gross, round.solved.gross - round.solved.cleared));
                render::clearing_round(&network, &round, &obligations)?
            }
            ClearingAction::Settle { invoice } => {
                let id = *figures.ids.get(invoice).ok_or_else(|| anyhow!("invoice {invoice} was not registered"))?;
                let (lines, effect, amount) = actions::settle(&mut network, invoice, id).await.with_context(context)?;
                figures.settled = Some((invoice, id, amount));
                totals.minted += effect.minted;
                totals.burned += effect.burned;
                totals.fees += effect.fee;
                checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
                let accounts = network.accounts_of(&CAST.each_ref()).await?;
                render::settlement(&lines, &accounts, &effect, totals.supply, &network.clearing_totals().await?)
            }
        };
        // The settlement checked the ledger before printing its supply; every other step is checked here.
        if !matches!(step.action, ClearingAction::Settle { .. }) {
            checked = network.check(&mut totals).await.with_context(|| format!("after clearing step {number}"))?;
        }
        let page = render::clearing_step(number, step, &body);
        network.say(&page);
        let heading = format!("Clearing step {number} of {}", CLEARING.len());
        report.page(&heading, &page);
        report.supply_after(&format!("C{number}"), &heading, totals.supply);
    }

    for (index, step) in UNDERWRITING.iter().enumerate() {
        let heading = format!("Underwriting step {} of {}", index + 1, UNDERWRITING.len());
        checked = run_step(&mut network, &heading, step, &mut totals, &mut settlements, &mut report).await?;
        report.supply_after(&format!("U{}", index + 1), &heading, totals.supply);
    }

    let mut credentials = CredentialFigures::default();
    network.step("setting up the rating circuit's devnet keys");
    let keys = resource_zk::setup::devnet_keys(resource_zk::ClaimKind::Rating);
    for (index, step) in CREDENTIALS.iter().enumerate() {
        let number = index + 1;
        let context = || format!("credential step {number}");
        network.step(&format!("credential step {number} of {}", CREDENTIALS.len()));
        let mut effects = TransferEffect::default();
        let (lines, body) = match step.action {
            CredentialAction::Deploy => {
                let lines = network.deploy_credentials(&keys).await.with_context(context)?;
                (lines, render::registry_address(&network))
            }
            CredentialAction::Prove => {
                let (lines, claim) = network.prove_rating(&keys).await.with_context(context)?;
                let table = render::claims_table(&[(CAFE.name, &claim)]).to_string();
                credentials.claim = Some(claim);
                (lines, table)
            }
            CredentialAction::Apply => {
                let seq = credentials.claim.as_ref().map(|c| c.seq).ok_or_else(|| anyhow!("no claim was recorded"))?;
                let (mut lines, without, application) = network.apply_with_claim(seq).await.with_context(context)?;
                for action in CAFE_BACKING {
                    let line = network
                        .apply(action, &mut effects, &mut totals, &mut settlements)
                        .await
                        .with_context(context)?;
                    lines.push(line);
                }
                let application = network.application(application.id).await?;
                let name = |address: &str| network.name_of(address);
                let (credit, stake) = (render::credit_units(), render::stake_units());
                let now = network.now()?;
                let applications = crate::underwriting::report::applications_table(
                    std::slice::from_ref(&application),
                    &name,
                    &credit,
                    &stake,
                    now,
                );
                let accounts = network.accounts_of(&[&CAFE]).await?;
                let body = format!("{applications}\n{}", render::newcomer_table(&[&CAFE], &accounts));
                credentials.without_claim = Some(without);
                credentials.application = Some(application);
                (lines, body)
            }
        };
        totals.minted += effects.minted;
        totals.burned += effects.burned;
        totals.fees += effects.fee;
        checked = network.check(&mut totals).await.with_context(|| format!("after credential step {number}"))?;
        let page = render::credential_page(number, step, &lines, &body);
        network.say(&page);
        let heading = format!("Credential step {number} of {}", CREDENTIALS.len());
        report.page(&heading, &page);
        report.supply_after(&format!("Z{number}"), &heading, totals.supply);
    }

    network.step("the meta-network: a payment to Nairobi's network over IBC");
    let page = meta::cross_network(&mut network, &mut totals).await.context("the meta-network step")?;
    // The bridge is one more account of the pilot network now.
    checked = checked.max(network.check(&mut totals).await.context("after the meta-network step")?);
    network.say(&page);
    report.page("The meta-network: a payment to Nairobi's network over IBC", &page);
    report.supply_after("IBC", "after the meta-network payment", totals.supply);

    let open = network.clearing_totals().await?;
    let underwriting = underwriting_figures(&network, &totals).await?;
    let balances = network.balances_by_name().await?;
    let summary =
        render::summary(&totals, &balances, &figures, &open, &underwriting, &settlements, &credentials, checked);
    network.say(&summary);
    if let Some(path) = report_path {
        report.balances = balances;
        report.summary = summary;
        report.write(path)?;
        network.say(&format!("\nThe report, with its charts, is in {}.", path.display()));
    }
    if let Some(path) = network.record_deployment()? {
        network.say(&format!(
            "\nThe contracts stay on the devnet, recorded in {}: try `resource underwriting status`.",
            path.display()
        ));
    }
    Ok(())
}

/// Runs one step of [`SCENARIO`] or [`UNDERWRITING`]: its actions, the checks, then its page.
/// Returns the number of accounts checked.
async fn run_step(
    network: &mut Network,
    heading: &str,
    step: &Step,
    totals: &mut Totals,
    settlements: &mut Vec<Settlement>,
    report: &mut report::Report,
) -> anyhow::Result<usize> {
    let mut lines = Vec::new();
    let mut effects = TransferEffect::default();
    for action in step.actions {
        network.step(&format!("{heading}: {}", render::describe(*action)));
        let line =
            network.apply(*action, &mut effects, totals, settlements).await.with_context(|| heading.to_string())?;
        lines.push(line);
    }
    totals.minted += effects.minted;
    totals.burned += effects.burned;
    totals.fees += effects.fee;
    let checked = network.check(totals).await.with_context(|| format!("after {heading}"))?;
    let body = page_body(network, step, &effects, totals.supply, settlements.last()).await?;
    let page = render::step_page(heading, step.story, &lines, &body);
    network.say(&page);
    report.page(heading, &page);
    Ok(checked)
}

/// The tables `step` shows, read from the contracts after it ran.
async fn page_body(
    network: &Network,
    step: &Step,
    effects: &TransferEffect,
    supply: u128,
    settlement: Option<&Settlement>,
) -> anyhow::Result<String> {
    let (credit, stake) = (render::credit_units(), render::stake_units());
    let mut parts = Vec::new();
    for show in step.shows {
        match show {
            Show::Members => {
                let roles = CAST.each_ref();
                parts.push(render::members_table(&roles, &network.accounts_of(&roles).await?).to_string());
            }
            Show::Newcomer => {
                let roles = [&TRUCK, &LOSS_ACCOUNT];
                parts.push(render::newcomer_table(&roles, &network.accounts_of(&roles).await?).to_string());
            }
            Show::Underwriters => {
                let positions = network.underwriter_positions().await?;
                parts.push(crate::underwriting::report::positions_table(&positions, &credit, &stake).to_string());
            }
            Show::Applications => {
                let applications = network.applications_made().await?;
                let name = |address: &str| network.name_of(address);
                let now = network.now()?;
                let table = crate::underwriting::report::applications_table(&applications, &name, &credit, &stake, now);
                parts.push(table.to_string());
            }
            Show::Pool => {
                let pool: PoolResponse = network.query(Target::Underwriting, &UnderwritingQuery::Pool {}).await?;
                let held = network.credit_account(&network.underwriting).await?.balance.i128();
                let held = u128::try_from(held).unwrap_or(0);
                parts.push(crate::underwriting::report::pool_table(&pool, held, &credit, &stake).to_string());
            }
            Show::Losses => {
                let settlement = settlement.ok_or_else(|| anyhow!("no application has been settled yet"))?;
                parts.push(render::losses_table(network, settlement).to_string());
                parts.push(render::losses_note(settlement));
            }
        }
    }
    if step.shows.iter().any(|s| matches!(s, Show::Members | Show::Newcomer)) {
        parts.push(render::supply_line(effects, supply));
    }
    Ok(parts.join("\n"))
}

/// The underwriting figures of the summary, from the contract.
async fn underwriting_figures(network: &Network, totals: &Totals) -> anyhow::Result<render::UnderwritingFigures> {
    let pool: PoolResponse = network.query(Target::Underwriting, &UnderwritingQuery::Pool {}).await?;
    let applications = network.applications_made().await?;
    let approved: Vec<_> = applications.iter().filter(|a| a.term_end.is_some()).collect();
    let positions = network.underwriter_positions().await?;
    Ok(render::UnderwritingFigures {
        staked: totals.staked.values().sum(),
        lines: (approved.len(), approved.iter().map(|a| a.amount.u128()).sum()),
        fees: totals.fees,
        rewards_paid: pool.rewards_paid.u128(),
        claimable: positions.iter().map(|(_, p)| p.rewards.u128()).sum(),
    })
}
