//! Clearing on the real devnet: a small supply-chain network registers its invoices through the Rust
//! client (creditors propose, debtors accept), the `resource` CLI solves the round off chain from the
//! contract's own outstanding list and submits it, and the chain's totals show the debt that disappeared.
//! A stranger's 1-unit round, submitted first, cannot block it: the larger round wins the window.
use std::process::Command;

use cosmwasm_std::Uint128;
use resource_client::{ChainClient, ExecuteCall, Gas, Wallet};
use resource_core::clearing::{self, Obligation};
use resource_msgs::clearing::{
    ExecuteMsg, InstantiateMsg, ObligationStatus, ObligationsResponse, PendingRoundResponse, QueryMsg, RoundOutcome,
    RoundResponse, SetOffEntry, TotalsResponse,
};
use resource_tests::{artifact, devnet_client, resource_cli, wallet};
use serde_json::Value;

fn cli(args: &[&str]) -> anyhow::Result<String> {
    let home = std::env::var("RESOURCE_DEVNET_HOME")?;
    let out = Command::new(resource_cli()).args(args).args(["--home", &home]).output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    anyhow::ensure!(out.status.success(), "resource {} failed:\n{stderr}", args.join(" "));
    Ok(stdout)
}

fn cli_error(args: &[&str]) -> anyhow::Result<String> {
    let home = std::env::var("RESOURCE_DEVNET_HOME")?;
    let out = Command::new(resource_cli()).args(args).args(["--home", &home]).output()?;
    anyhow::ensure!(!out.status.success(), "resource {} should have failed", args.join(" "));
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

async fn totals(client: &ChainClient, contract: &str) -> anyhow::Result<TotalsResponse> {
    Ok(client.query_smart(contract, &QueryMsg::Totals {}).await?)
}

/// Rounds take competing set-offs for a few seconds: long enough for a second submission, short
/// enough for the test.
const E2E_INIT: InstantiateMsg =
    InstantiateMsg { admin: None, credit_token: None, max_entries: None, round_window: Some(6) };

#[tokio::test]
async fn a_clearing_round_solved_by_the_cli_on_a_real_chain() -> anyhow::Result<()> {
    let client = devnet_client().await?;
    let p = client.config().prefix.clone();
    let admin = wallet("admin", &p);
    let (code, _) = client.store_code(&admin, &artifact("clearing")?, Gas::Auto).await?;
    let (contract, _) =
        client.instantiate(&admin, code, &E2E_INIT, "clearing-e2e", Some(admin.address()), &[], Gas::Auto).await?;

    // A farm supplies a mill and a dairy, the mill a bakery, the bakery a cafe and a grocer, and they
    // all buy back from each other: invoices in cents, several of them on cycles.
    let names = ["farm", "mill", "bakery", "cafe", "grocer", "dairy"];
    let accounts = ["alice", "bob", "carol", "dave", "erin", "frank"];
    let w: Vec<Wallet> = accounts.iter().map(|a| wallet(a, &p)).collect();
    let who = |name: &str| names.iter().position(|n| *n == name).expect("a cast member");
    let invoices: [(&str, &str, u128); 14] = [
        // (debtor, creditor, amount)
        ("mill", "farm", 400_000),
        ("dairy", "farm", 250_000),
        ("bakery", "mill", 300_000),
        ("bakery", "dairy", 120_000),
        ("cafe", "bakery", 180_000),
        ("grocer", "bakery", 220_000),
        ("farm", "grocer", 90_000),
        ("farm", "cafe", 60_000),
        ("mill", "cafe", 45_000),
        ("dairy", "grocer", 70_000),
        ("grocer", "dairy", 30_000),
        ("farm", "bakery", 50_000),
        ("cafe", "dairy", 25_000),
        ("mill", "grocer", 15_000),
    ];
    let due = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() + 30 * 86_400;

    // Creditors propose (one transaction each), then debtors accept what they were sent.
    for (c, creditor) in names.iter().enumerate() {
        let calls: Vec<ExecuteCall> = invoices
            .iter()
            .filter(|(_, cr, _)| cr == creditor)
            .map(|(debtor, _, amount)| {
                let debtor = w[who(debtor)].address().to_string();
                let msg = ExecuteMsg::Propose { debtor, amount: Uint128::new(*amount), due, reference: None };
                ExecuteCall::from_msg(contract.clone(), &msg)
            })
            .collect::<Result<_, _>>()?;
        if !calls.is_empty() {
            client.execute_many(&w[c], calls, Gas::Auto).await?;
        }
    }
    for (d, _) in names.iter().enumerate() {
        let query = QueryMsg::ProposalsTo { debtor: w[d].address().to_string(), start_after: None, limit: Some(100) };
        let theirs: ObligationsResponse = client.query_smart(&contract, &query).await?;
        let calls: Vec<ExecuteCall> = theirs
            .obligations
            .iter()
            .filter(|o| o.status == ObligationStatus::Proposed && o.debtor.as_str() == w[d].address())
            .map(|o| ExecuteCall::from_msg(contract.clone(), &ExecuteMsg::Accept { id: o.id }))
            .collect::<Result<_, _>>()?;
        if !calls.is_empty() {
            client.execute_many(&w[d], calls, Gas::Auto).await?;
        }
    }
    // The griefer: a 2-cycle between two accounts of its own (admin and relayer), 5 units each way.
    let relayer = wallet("relayer", &p);
    let mut grief_ids = Vec::new();
    for (creditor, debtor) in [(&admin, &relayer), (&relayer, &admin)] {
        let msg =
            ExecuteMsg::Propose { debtor: debtor.address().to_string(), amount: Uint128::new(5), due, reference: None };
        let out = client.execute(creditor, &contract, &msg, &[], Gas::Auto).await?;
        let id: u64 = out.attribute("wasm", "obligation_id").expect("an obligation id").parse()?;
        client.execute(debtor, &contract, &ExecuteMsg::Accept { id }, &[], Gas::Auto).await?;
        grief_ids.push(id);
    }
    let before = totals(&client, &contract).await?;
    let gross: u128 = invoices.iter().map(|(_, _, a)| a).sum::<u128>() + 10;
    assert_eq!(before.gross_outstanding.u128(), gross);
    assert_eq!(before.outstanding_obligations, invoices.len() as u64 + 2);
    // It lands first with a 1-unit round.
    let grief = ExecuteMsg::SubmitSetOff {
        entries: grief_ids.iter().map(|&id| SetOffEntry { id, amount: Uint128::new(1) }).collect(),
    };
    client.execute(&admin, &contract, &grief, &[], Gas::Auto).await?;
    let pending: PendingRoundResponse = client.query_smart(&contract, &QueryMsg::PendingRound {}).await?;
    let pending = pending.round.expect("the griefer's round is pending");
    assert_eq!((pending.number, pending.total.u128(), pending.submitter.as_str()), (1, 2, admin.address()));

    // The optimum, computed here independently of the CLI from the same invoices.
    let local: Vec<Obligation<String>> = invoices
        .iter()
        .enumerate()
        .map(|(i, (d, c, a))| Obligation { id: i as u64 + 1, debtor: (*d).into(), creditor: (*c).into(), amount: *a })
        .collect();
    // The CLI solves everything outstanding, the griefer's cycle included (all 10 of it).
    let optimum = clearing::solve(&local)?.total() + 10;
    assert!(optimum > 10);

    // The CLI reads the contract's outstanding obligations, solves, writes the set-off, submits it.
    let dir = std::env::temp_dir().join(format!("clearing-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("round-1.json");
    let solved: Value = serde_json::from_str(
        cli(&["clearing", "solve", "--contract", &contract, "--json", "--out", file.to_str().unwrap()])?.trim(),
    )?;
    assert_eq!(solved["gross"], gross.to_string());
    assert_eq!(solved["cleared"], optimum.to_string());
    // The honest submission replaces the griefer's candidate in round 1 and, once the window is
    // over, the CLI closes the round and it is applied.
    let shown = cli(&[
        "clearing",
        "submit",
        "--contract",
        &contract,
        "--set-off",
        file.to_str().unwrap(),
        "--from",
        "carol",
        "--close",
    ])?;
    assert!(shown.contains(&optimum.to_string()), "{shown}");
    assert!(shown.contains("round 1 closed: applied"), "{shown}");
    // The griefer's second 1-unit attempt would have come too late or too small; on record only
    // the honest round.

    let after = totals(&client, &contract).await?;
    assert_eq!(after.cleared_to_date.u128(), optimum);
    assert_eq!(after.gross_outstanding.u128(), gross - optimum);
    assert_eq!(after.rounds, 1);
    let round: RoundResponse = client.query_smart(&contract, &QueryMsg::Round { number: 1 }).await?;
    assert_eq!(round.round.total.u128(), optimum);
    assert_eq!(round.round.outcome, RoundOutcome::Applied);
    assert_eq!(round.round.submitter.as_str(), wallet("carol", &p).address());

    // Replaying the same file is refused (its obligations are cleared); nothing changes.
    let err = cli_error(&["clearing", "submit", "--contract", &contract, "--set-off", file.to_str().unwrap()])?;
    assert!(err.contains("is cleared"), "{err}");
    assert_eq!(totals(&client, &contract).await?, after);
    // A second round finds nothing left to clear: the remaining obligations have no cycle.
    let again: Value = serde_json::from_str(cli(&["clearing", "solve", "--contract", &contract, "--json"])?.trim())?;
    assert_eq!(again["cleared"], "0");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
