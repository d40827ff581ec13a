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

/// `resource clearing submit`: submits the set-off file as a round, signed by the test account `from`,
/// and prints the round and the contract's totals.
pub async fn submit_command(
    contract: &str,
    set_off: &Path,
    round: Option<u64>,
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
        let (round, outcome) = super::submit(&client, &wallet, contract, &file, round).await?;
        let totals = super::totals(&client, contract).await?;
        anyhow::Ok((round, outcome, totals))
    }
    .await;
    progress.finish();
    let (round, outcome, totals) = result?;
    let participants = outcome.events_of("wasm-cleared").count();
    let mut t = table(["round", "entries", "cleared", "participants", "gas used", "tx"]);
    t.add_row([
        round.to_string(),
        file.entries.len().to_string(),
        outcome.attribute("wasm", "total_cleared").unwrap_or("?").to_string(),
        participants.to_string(),
        outcome.gas_used.to_string(),
        outcome.tx_hash.clone(),
    ]);
    println!("{t}");
    println!(
        "contract totals: {} cleared to date over {} rounds; {} still outstanding in {} obligations",
        totals.cleared_to_date, totals.rounds, totals.gross_outstanding, totals.outstanding_obligations
    );
    Ok(())
}
