//! `clearing-gas-bench [--json]`: on-chain gas of a clearing round of 10, 100 and 1,000 entries on
//! the devnet, its submission and its close measured apart, and what a block's gas limit allows per
//! round. Run through
//! `cargo xtask bench clearing`, which starts the devnet and passes `RESOURCE_DEVNET_HOME` and
//! `RESOURCE_ARTIFACTS`.
//!
//! Method: for each size a fresh clearing contract; five test accounts in a ring each invoice the
//! next one `size / 5` times (100 units each), every invoice is accepted, so the optimal set-off clears
//! every invoice in full (`resource_core::clearing::solve` computes it). The `SubmitSetOff` (which
//! verifies the set-off and stores it as the round's candidate) and, once the round's window of one
//! second is over, the `CloseRound` (which verifies it again and applies it) are broadcast with a
//! fixed gas limit and the chain's `gas_used` is reported, beside the no-op baseline contract
//! executed with a message of the same size as the submission.
use std::io::Write;

use anyhow::{bail, Context};
use cosmwasm_std::{Empty, Uint128};
use resource_client::{ChainClient, ExecuteCall, Gas, Wallet};
use resource_core::clearing::{self, Obligation};
use resource_msgs::clearing::{
    ExecuteMsg, InstantiateMsg, ObligationsResponse, PendingRoundResponse, QueryMsg, SetOffEntry, MIN_ROUND_WINDOW,
};
use resource_tests::{artifact, devnet_chain, devnet_client, wallet};
use serde_json::{json, Value};

const SIZES: [usize; 3] = [10, 100, 1_000];
const RING: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];
/// Invoices proposed (or accepted) per transaction while setting up.
const BATCH: usize = 40;
/// The shortest round window, so that each round closes a second after its submission.
const ROUND_INIT: InstantiateMsg =
    InstantiateMsg { admin: None, credit_token: None, max_entries: None, round_window: Some(MIN_ROUND_WINDOW) };

fn progress(msg: &str) {
    eprintln!("clearing-gas-bench: {msg}");
}

/// The block gas limit of the devnet's first chain, from its genesis.
fn block_max_gas() -> anyhow::Result<Option<u64>> {
    let home = std::env::var_os("RESOURCE_DEVNET_HOME").context("RESOURCE_DEVNET_HOME is not set")?;
    let state = resource_cli::devnet::DevnetState::load(std::path::Path::new(&home))?.context("no devnet")?;
    let chain = state.chains.first().context("no chain")?;
    let genesis: Value = serde_json::from_str(&std::fs::read_to_string(chain.node_home.join("config/genesis.json"))?)?;
    let max = genesis["consensus"]["params"]["block"]["max_gas"].as_str().and_then(|s| s.parse::<i64>().ok());
    Ok(max.filter(|m| *m > 0).map(|m| m as u64))
}

struct Measured {
    entries: usize,
    /// The submission's gas.
    submit: u64,
    /// The close's gas.
    close: u64,
    baseline: u64,
    propose: u64,
    accept: u64,
}

async fn one_size(
    client: &ChainClient,
    ring: &[Wallet],
    code: u64,
    baseline: &str,
    size: usize,
) -> anyhow::Result<Measured> {
    let admin = wallet("admin", &client.config().prefix);
    let label = format!("clearing-gas-{size}");
    let (contract, _) = client.instantiate(&admin, code, &ROUND_INIT, &label, None, &[], Gas::Auto).await?;
    let due = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() + 86_400;
    let per = size / ring.len();
    progress(&format!("{size} entries: {} accounts invoice the next one {per} times each", ring.len()));
    let mut propose_gas = 0;
    for (k, creditor) in ring.iter().enumerate() {
        let debtor = &ring[(k + ring.len() - 1) % ring.len()];
        let msg = ExecuteMsg::Propose {
            debtor: debtor.address().to_string(),
            amount: Uint128::new(100),
            due,
            reference: None,
        };
        let call = ExecuteCall::from_msg(contract.clone(), &msg)?;
        // The first ring member sends its last invoice alone, to report what a single Propose costs.
        let batched = if k == 0 { per - 1 } else { per };
        for chunk in (0..batched).collect::<Vec<_>>().chunks(BATCH) {
            let calls = chunk.iter().map(|_| call.clone()).collect();
            client.execute_many(creditor, calls, Gas::Auto).await?;
        }
        if k == 0 {
            propose_gas = client.execute(creditor, &contract, &msg, &[], Gas::Fixed(1_000_000)).await?.gas_used;
        }
    }
    let mut accept_gas = 0;
    for (k, debtor) in ring.iter().enumerate() {
        let mine: Vec<u64> = {
            let mut ids = Vec::new();
            let mut start_after: Option<u64> = None;
            loop {
                let query =
                    QueryMsg::ProposalsTo { debtor: debtor.address().to_string(), start_after, limit: Some(100) };
                let page: ObligationsResponse = client.query_smart(&contract, &query).await?;
                let Some(last) = page.obligations.last() else { break };
                start_after = Some(last.id);
                ids.extend(page.obligations.iter().filter(|o| o.debtor.as_str() == debtor.address()).map(|o| o.id));
            }
            ids
        };
        let (first, rest) = mine.split_first().context("every ring member owes")?;
        if k == 0 {
            let out = client
                .execute(debtor, &contract, &ExecuteMsg::Accept { id: *first }, &[], Gas::Fixed(1_000_000))
                .await?;
            accept_gas = out.gas_used;
        } else {
            client.execute(debtor, &contract, &ExecuteMsg::Accept { id: *first }, &[], Gas::Auto).await?;
        }
        for chunk in rest.chunks(BATCH) {
            let calls = chunk
                .iter()
                .map(|id| ExecuteCall::from_msg(contract.clone(), &ExecuteMsg::Accept { id: *id }))
                .collect::<Result<_, _>>()?;
            client.execute_many(debtor, calls, Gas::Auto).await?;
        }
    }
    // The contract's outstanding list, solved exactly: every invoice is on the ring, all clear in full.
    let mut outstanding = Vec::new();
    let mut start_after: Option<u64> = None;
    loop {
        let page: ObligationsResponse =
            client.query_smart(&contract, &QueryMsg::Outstanding { start_after, limit: Some(100) }).await?;
        let Some(last) = page.obligations.last() else { break };
        start_after = Some(last.id);
        for o in page.obligations {
            outstanding.push(Obligation {
                id: o.id,
                debtor: o.debtor.into_string(),
                creditor: o.creditor.into_string(),
                amount: o.remaining.u128(),
            });
        }
    }
    let set_off = clearing::solve(&outstanding)?;
    let entries: Vec<SetOffEntry> = set_off.entries.iter().copied().map(SetOffEntry::from).collect();
    if entries.len() != size {
        bail!("expected a round of {size} entries, the solver found {}", entries.len());
    }
    let msg = ExecuteMsg::SubmitSetOff { entries };
    let limit = Gas::Fixed(9_000_000);
    let base = client.execute(&admin, baseline, &msg, &[], limit).await?.gas_used;
    let submitted = client.execute(&admin, &contract, &msg, &[], limit).await?;
    let pending: PendingRoundResponse = client.query_smart(&contract, &QueryMsg::PendingRound {}).await?;
    let closes_at = pending.round.context("the submission opened no round")?.closes_at;
    let closed = resource_cli::clearing::close_when_due(client, &admin, &contract, closes_at, &progress).await?;
    let outcome = closed.attribute("wasm-round_closed", "outcome").unwrap_or("?");
    let cleared: u128 = closed.attribute("wasm-round_closed", "total").unwrap_or("0").parse()?;
    if outcome != "applied" || cleared != 100 * size as u128 {
        bail!("the round was {outcome} with {cleared}, expected applied with {}", 100 * size);
    }
    Ok(Measured {
        entries: size,
        submit: submitted.gas_used,
        close: closed.gas_used,
        baseline: base,
        propose: propose_gas,
        accept: accept_gas,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let json_out = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--json") => true,
        Some(other) => bail!("unknown argument `{other}`; usage: clearing-gas-bench [--json]"),
    };
    let client = devnet_client().await?;
    let prefix = client.config().prefix.clone();
    let admin = wallet("admin", &prefix);
    let ring: Vec<Wallet> = RING.iter().map(|n| wallet(n, &prefix)).collect();
    progress("storing clearing.wasm and gas_baseline.wasm");
    let (code, _) = client.store_code(&admin, &artifact("clearing")?, Gas::Auto).await?;
    let (base_code, _) = client.store_code(&admin, &artifact("gas_baseline")?, Gas::Auto).await?;
    let (baseline, _) =
        client.instantiate(&admin, base_code, &Empty {}, "clearing-gas-baseline", None, &[], Gas::Auto).await?;
    let mut rows = Vec::new();
    for size in SIZES {
        rows.push(one_size(&client, &ring, code, &baseline, size).await?);
    }
    // Marginal gas per entry of the close (the larger transaction, which must fit a block) from the
    // smallest and largest round; the rest is its fixed part.
    let (small, large) = (&rows[0], &rows[rows.len() - 1]);
    let per_entry = (large.close - small.close) as f64 / (large.entries - small.entries) as f64;
    let fixed = small.close as f64 - per_entry * small.entries as f64;
    let max_gas = block_max_gas()?;
    let per_block = max_gas.map(|m| ((m as f64 - fixed) / per_entry).floor() as u64);
    let chain = devnet_chain(0)?.chain_id;
    if json_out {
        let mut out = std::io::stdout().lock();
        for r in &rows {
            let line = json!({
                "op": format!("clearing.submit_set_off@{}", r.entries), "ours": r.submit, "cw20_base": null,
                "baseline": r.baseline, "entries": r.entries,
            });
            writeln!(out, "{line}")?;
            let line = json!({
                "op": format!("clearing.close_round@{}", r.entries), "ours": r.close, "cw20_base": null,
                "entries": r.entries,
            });
            writeln!(out, "{line}")?;
            let line = json!({
                "op": format!("clearing.round@{}", r.entries), "ours": r.submit + r.close, "cw20_base": null,
                "entries": r.entries,
            });
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{}", json!({"op": "clearing.propose", "ours": rows[0].propose, "cw20_base": null}))?;
        writeln!(out, "{}", json!({"op": "clearing.accept", "ours": rows[0].accept, "cw20_base": null}))?;
        let summary = json!({
            "op": "clearing.round_capacity", "gas_per_entry": per_entry.round(), "fixed_gas": fixed.round(),
            "block_max_gas": max_gas, "max_entries_per_block": per_block,
        });
        writeln!(out, "{summary}")?;
    } else {
        println!("clearing round gas on {chain} (whole transactions, fixed limit 9,000,000):");
        println!(
            "{:>8} {:>12} {:>12} {:>12} {:>14} {:>12}",
            "entries", "submit", "close", "round", "no-op baseline", "gas / entry"
        );
        for r in &rows {
            let round = r.submit + r.close;
            println!(
                "{:>8} {:>12} {:>12} {:>12} {:>14} {:>12.0}",
                r.entries,
                r.submit,
                r.close,
                round,
                r.baseline,
                round as f64 / r.entries as f64
            );
        }
        println!("close: marginal gas per entry {per_entry:.0}, fixed part {fixed:.0}");
        match (max_gas, per_block) {
            (Some(m), Some(n)) => println!("block gas limit {m}: at most {n} entries per round fit one block"),
            _ => println!("the devnet has no block gas limit"),
        }
        println!("single messages: Propose {} gas, Accept {} gas", rows[0].propose, rows[0].accept);
    }
    Ok(())
}
