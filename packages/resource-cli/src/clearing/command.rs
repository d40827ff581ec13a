//! The handlers of `resource clearing solve` and `resource clearing submit`.
use std::path::{Path, PathBuf};

use resource_client::test_accounts::{test_account, TEST_ACCOUNTS};
use resource_client::{ChainClient, Wallet};

use crate::devnet::first_running_chain;
use crate::format::grouped;
use crate::ui::{table, Progress};

/// Where `clearing solve` reads the obligations.
pub enum Obligations {
    File(PathBuf),
    Chain { contract: String, home: PathBuf },
}

/// `resource clearing solve`: solves the obligations, writes the set-off to `out` if given, and
/// prints the report (or, with `json`, one JSON document).
pub async fn solve_command(source: Obligations, out: Option<&Path>, json: bool, top: usize) -> anyhow::Result<()> {
    let progress = Progress::new();
    let obligations = match source {
        Obligations::File(path) => super::read_obligations(&path, &progress)?,
        Obligations::Chain { contract, home } => {
            let client = ChainClient::connect(first_running_chain(&home)?).await?;
            super::fetch_outstanding(&client, &contract, &|message| progress.step(message)).await?
        }
    };
    progress.step(&format!("solving {} obligations", grouped(obligations.len() as u128)));
    let solved = super::solve(&obligations);
    progress.finish();
    let solved = solved?;
    if let Some(out) = out {
        super::write_set_off(out, &solved.set_off)?;
    }
    if json {
        // Through a `Value`, whose keys print sorted, nested ones too: the document's order since its start.
        println!("{}", serde_json::to_value(super::report_json(&solved))?);
    } else {
        super::print_report(&solved, top);
        if let Some(out) = out {
            println!("set-off written to {}; submit it with the clearing contract's SubmitSetOff", out.display());
        }
    }
    Ok(())
}

/// `resource clearing submit`: offers the set-off file for the contract's next round, signed by the
/// test account `from`, and prints the pending round. With `close`, waits for the round's window to
/// end, closes it (`CloseRound`) and prints how it ended and the contract's totals.
pub async fn submit_command(
    contract: &str,
    set_off: &Path,
    close: bool,
    from: &str,
    home: &Path,
) -> anyhow::Result<()> {
    let file = super::read_set_off(set_off)?;
    let account = test_account(from).ok_or_else(|| {
        let names: Vec<_> = TEST_ACCOUNTS.iter().map(|a| a.name).collect();
        anyhow::anyhow!("no test account `{from}`; use one of {}", names.join(", "))
    })?;
    let progress = Progress::new();
    let result = async {
        let client = ChainClient::connect(first_running_chain(home)?).await?;
        let wallet = Wallet::from_mnemonic(account.mnemonic, &client.config().prefix)?;
        progress.step(&format!("submitting {} entries from {from}", file.entries.len()));
        let (pending, submitted) = super::submit(&client, &wallet, contract, &file).await?;
        let closed = if close {
            let step = |message: &str| progress.step(message);
            Some(super::close_when_due(&client, &wallet, contract, pending.closes_at, &step).await?)
        } else {
            None
        };
        let totals = super::totals(&client, contract).await?;
        anyhow::Ok((pending, submitted, closed, totals))
    }
    .await;
    progress.finish();
    let (pending, submitted, closed, totals) = result?;
    let mut t = table(["round", "entries", "candidate total", "closes at", "gas used", "tx"]);
    t.add_row([
        pending.number.to_string(),
        file.entries.len().to_string(),
        submitted.attribute("wasm", "total").unwrap_or("?").to_string(),
        pending.closes_at.to_string(),
        submitted.gas_used.to_string(),
        submitted.tx_hash.clone(),
    ]);
    println!("{t}");
    match closed {
        None => println!(
            "round {} takes larger set-offs until {} (unix seconds); then anyone closes it (CloseRound, or `--close`)",
            pending.number, pending.closes_at
        ),
        Some(closed) => {
            let outcome = closed.attribute("wasm-round_closed", "outcome").unwrap_or("?");
            let participants = closed.events_of("wasm-cleared").count();
            println!(
                "round {} closed: {outcome}, {} participants, gas used {}, tx {}",
                pending.number, participants, closed.gas_used, closed.tx_hash
            );
            if let Some(reason) = closed.attribute("wasm-round_closed", "reason") {
                println!("it lapsed because {reason}");
            }
        }
    }
    println!(
        "contract totals: {} cleared to date over {} rounds; {} still outstanding in {} obligations",
        totals.cleared_to_date, totals.rounds, totals.gross_outstanding, totals.outstanding_obligations
    );
    Ok(())
}
