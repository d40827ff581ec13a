//! The underwriting section of `gas-bench`: whole-transaction gas of the underwriting contract's
//! operations, beside the no-op baseline given the same JSON by the same signer, and beside the
//! references the issue names: cw20-base's transfer (measured in the same run) for Stake, Apply and
//! Back, and for Settle and ClaimRewards in the large pool the same operation in the small one.
//!
//! Two networks (credit token + underwriting contract each), the same configuration:
//! - small: [`BACKERS`] underwriters, who back every application in it;
//! - large: the same ones backing the same applications, plus more underwriters backing other
//!   applications of their own, so that [`LARGE`] hold stake and exposure.
//!
//! In both, the application settled in a round has the same backers and the same id, and the
//! underwriter claiming rewards is the same, claiming about the same amount: only the pool's size
//! differs. Apply and Back are measured in the large network.
use anyhow::Context;
use cosmwasm_std::Uint128;
use resource_client::{ChainClient, ExecuteCall, Gas, Wallet};
use resource_msgs::credit_token::{self, ConfigUpdate};
use resource_msgs::underwriting::{
    ApplicationPolicy, ApplicationResponse, ApplicationStatus, BackingRules, ExecuteMsg, PoolResponse, Price, QueryMsg,
    UnderwriterResponse,
};
use resource_tests::{apply_msg, block_time, fresh_wallet, fund, underwriting_init, wait_past};
use serde::Serialize;
use serde_json::{json, Value};

use crate::{bench_token, median, progress, spread, Cast, Contracts, LIMIT, ROUNDS};

/// Underwriters holding stake and exposure in the large network.
const LARGE: usize = 30;
/// Underwriters backing each application: the approval rules' minimum, each with an equal share.
const BACKERS: usize = 3;
/// Native coins each underwriter bonds at the start: more than all its backing in the run.
const STAKE: u128 = 100_000;
/// Every application asks for this line and gets it from three backings of [`BACKING`].
const LINE: u128 = 1_000;
const BACKING: u128 = 500;
/// Coins bonded by the measured Stake.
const STAKE_MORE: u128 = 1_000;
/// The term of the applications settled in the measured rounds: over before the rounds start.
const SHORT_TERM: u64 = 5;
/// The term of the applications that keep the pools exposed throughout.
const LONG_TERM: u64 = 86_400;
const FEE_BPS: u16 = 100;
/// About what the claiming underwriter earns per round in either network, so that both claims
/// move amounts of the same size.
const REWARD: u128 = 1_500;
/// Coins for each new account's transaction fees.
const FUNDS: u128 = 1_000_000_000_000_000_000;

/// One network: its credit token and underwriting contract.
struct Network {
    token: String,
    uw: String,
}

pub struct UwRow {
    pub op: &'static str,
    pub what: &'static str,
    pub ours: u64,
    pub baseline: u64,
    pub spread: u64,
    /// The row this one is compared with (`None`: cw20-base's transfer), and the bound on the ratio.
    pub reference: Option<&'static str>,
    pub bound: f64,
    /// Whether the issue sets a target for it (otherwise it is reported only).
    pub targeted: bool,
}

/// The accounts of this section, all new to the run (random keys the admin funds).
struct People {
    /// `underwriters[..BACKERS]` back the settled and the anchor applications in both networks; the
    /// others only in the large one.
    underwriters: Vec<Wallet>,
    /// The members whose applications are settled, one per round (warm-up included).
    settled: Vec<Wallet>,
    /// A member whose long application keeps the first three exposed in both networks.
    anchor: Wallet,
    /// Members of the large network's nine other applications.
    others: Vec<Wallet>,
    /// Members applying in the measured Apply, one per round.
    applicants: Vec<Wallet>,
    /// Pays into the tokens so that fees arrive (a member with a line in both).
    payer: Wallet,
    /// Receives the payer's payments (never signs).
    shop: Wallet,
}

pub(crate) async fn exec(
    client: &ChainClient,
    who: &Wallet,
    contract: &str,
    msg: &impl Serialize,
    funds: &[(u128, &str)],
) -> anyhow::Result<u64> {
    let out = client.execute(who, contract, msg, funds, Gas::Fixed(LIMIT)).await.with_context(|| {
        format!("executing {} on {contract}", serde_json::to_string(msg).unwrap_or_else(|e| e.to_string()))
    })?;
    Ok(out.gas_used)
}

fn call(contract: &str, msg: &ExecuteMsg) -> anyhow::Result<ExecuteCall> {
    Ok(ExecuteCall::from_msg(contract, msg)?)
}

fn back(application: u64) -> ExecuteMsg {
    ExecuteMsg::Back { application, amount: Uint128::new(BACKING) }
}

async fn deploy_network(
    client: &ChainClient,
    cast: &Cast,
    token_code: u64,
    uw_code: u64,
    people: &People,
    name: &str,
) -> anyhow::Result<Network> {
    let admin = &cast.admin;
    let denom = client.config().denom.clone();
    // The settled applications' lines must be shorter than the token's default floor.
    let init = bench_token(cast, FEE_BPS, Some(SHORT_TERM));
    let (token, _) =
        client.instantiate(admin, token_code, &init, &format!("bench-uw-token-{name}"), None, &[], Gas::Auto).await?;
    // The payer's line, set by the admin before the underwriting contract takes the role over.
    let line = credit_token::ExecuteMsg::SetCreditLine {
        member: people.payer.address().to_string(),
        limit: Uint128::new(1_000_000_000_000),
        term_end: block_time(client).await? + 365 * 86_400,
    };
    client.execute(admin, &token, &line, &[], Gas::Auto).await?;
    let rules =
        BackingRules { collateral_ratio_bps: 15_000, price: Price::PAR, min_underwriters: 3, max_share_bps: 4_000 };
    let policy = ApplicationPolicy { min_term: SHORT_TERM, max_term: 365 * 86_400, open_period: 3_600 };
    let init = underwriting_init(&token, &denom, rules, policy, 60, cast.loss.address());
    let (uw, _) = client.instantiate(admin, uw_code, &init, &format!("bench-uw-{name}"), None, &[], Gas::Auto).await?;
    let update = credit_token::ExecuteMsg::UpdateConfig(ConfigUpdate {
        underwriting: Some(uw.clone()),
        fee_collector: Some(uw.clone()),
        fee_exempt: Some(vec![uw.clone()]),
        ..ConfigUpdate::default()
    });
    client.execute(admin, &token, &update, &[], Gas::Auto).await?;
    Ok(Network { token, uw })
}

/// Applications, stakes and backing of both networks; afterwards every settled application is
/// approved and its term is over.
async fn prepare(client: &ChainClient, people: &People, small: &Network, large: &Network) -> anyhow::Result<()> {
    let denom = client.config().denom.clone();
    let rounds = people.settled.len() as u64;
    // Ids in both networks: the settled applications first, the anchor next, then (large only)
    // the others, then the measured applications.
    progress("underwriting: applications");
    for m in &people.settled {
        let apply = apply_msg(LINE, SHORT_TERM);
        client.execute_many(m, vec![call(&small.uw, &apply)?, call(&large.uw, &apply)?], Gas::Auto).await?;
    }
    let apply = apply_msg(LINE, LONG_TERM);
    client.execute_many(&people.anchor, vec![call(&small.uw, &apply)?, call(&large.uw, &apply)?], Gas::Auto).await?;
    for m in &people.others {
        client.execute(m, &large.uw, &apply, &[], Gas::Auto).await?;
    }
    let anchor = rounds + 1;
    progress("underwriting: stake and backing (3 underwriters in the small network, 30 in the large)");
    for u in &people.underwriters[..BACKERS] {
        let mut calls = Vec::new();
        for net in [small, large] {
            calls.push(call(&net.uw, &ExecuteMsg::Stake {})?.with_funds(STAKE, denom.clone()));
            for id in 1..=anchor {
                calls.push(call(&net.uw, &back(id))?);
            }
        }
        client.execute_many(u, calls, Gas::Auto).await?;
    }
    for (i, u) in people.underwriters[BACKERS..].iter().enumerate() {
        let id = anchor + 1 + (i / BACKERS) as u64;
        let calls =
            vec![call(&large.uw, &ExecuteMsg::Stake {})?.with_funds(STAKE, denom.clone()), call(&large.uw, &back(id))?];
        client.execute_many(u, calls, Gas::Auto).await?;
    }
    // Check the layout the comparison relies on.
    let mut last_end = 0;
    for (net, apps) in [(small, anchor), (large, anchor + people.others.len() as u64)] {
        for id in 1..=apps {
            let app: ApplicationResponse = client.query_smart(&net.uw, &QueryMsg::Application { id }).await?;
            anyhow::ensure!(app.status == ApplicationStatus::Approved, "application {id} is {:?}", app.status);
            anyhow::ensure!(app.backers.len() == BACKERS, "application {id} has {} backers", app.backers.len());
            if id <= rounds {
                anyhow::ensure!(app.applicant.as_str() == people.settled[id as usize - 1].address());
                last_end = last_end.max(app.term_end.unwrap_or(u64::MAX));
            }
        }
    }
    for (net, n) in [(small, BACKERS), (large, LARGE)] {
        for u in &people.underwriters[..n] {
            let s: UnderwriterResponse =
                client.query_smart(&net.uw, &QueryMsg::Underwriter { address: u.address().to_string() }).await?;
            anyhow::ensure!(!s.exposure.is_zero(), "{} has no exposure", u.address());
        }
    }
    // The measured applicants' accounts store their public keys now, not in the measured Apply.
    for a in &people.applicants {
        client.bank_send(a, a.address(), 1, Gas::Auto).await?;
    }
    progress("underwriting: waiting for the settled applications' terms to end");
    wait_past(client, last_end, std::time::Duration::from_secs(120)).await?;
    Ok(())
}

/// Pays fees into `net` so that the first underwriter's reward grows by about [`REWARD`], then
/// shares them out.
async fn fees_for_one_claim(client: &ChainClient, cast: &Cast, people: &People, net: &Network) -> anyhow::Result<()> {
    let pool: PoolResponse = client.query_smart(&net.uw, &QueryMsg::Pool {}).await?;
    let claimer = people.underwriters[0].address().to_string();
    let mine: UnderwriterResponse = client.query_smart(&net.uw, &QueryMsg::Underwriter { address: claimer }).await?;
    let fee = (REWARD * pool.total_exposure.u128()).div_ceil(mine.exposure.u128());
    // At FEE_BPS, a payment of this amount carries exactly `fee`.
    let amount = fee * 10_000 / u128::from(FEE_BPS);
    let pay =
        credit_token::ExecuteMsg::Transfer { recipient: people.shop.address().to_string(), amount: amount.into() };
    client.execute(&people.payer, &net.token, &pay, &[], Gas::Auto).await?;
    client.execute(&cast.admin, &net.uw, &ExecuteMsg::DistributeFees {}, &[], Gas::Auto).await?;
    Ok(())
}

#[derive(Default)]
struct Series {
    ours: Vec<u64>,
    baseline: Vec<u64>,
}

impl Series {
    fn push(&mut self, round: usize, ours: u64, baseline: u64) {
        if round > 0 {
            self.ours.push(ours);
            self.baseline.push(baseline);
        }
    }
}

/// Measures every underwriting operation; rows in the order they are printed.
pub async fn measure(client: &ChainClient, cast: &Cast, k: &Contracts) -> anyhow::Result<Vec<UwRow>> {
    let p = client.config().prefix.clone();
    let denom = client.config().denom.clone();
    let people = People {
        underwriters: (0..LARGE).map(|_| fresh_wallet(&p)).collect(),
        settled: (0..=ROUNDS).map(|_| fresh_wallet(&p)).collect(),
        anchor: fresh_wallet(&p),
        others: (0..(LARGE - BACKERS) / BACKERS).map(|_| fresh_wallet(&p)).collect(),
        applicants: (0..=ROUNDS).map(|_| fresh_wallet(&p)).collect(),
        payer: fresh_wallet(&p),
        shop: fresh_wallet(&p),
    };
    progress("underwriting: funding the new accounts, storing underwriting.wasm");
    let signers: Vec<&Wallet> = people
        .underwriters
        .iter()
        .chain(&people.settled)
        .chain([&people.anchor])
        .chain(&people.others)
        .chain(&people.applicants)
        .chain([&people.payer])
        .collect();
    fund(client, &cast.admin, &signers, FUNDS).await?;
    let (uw_code, _) = client.store_code(&cast.admin, &resource_tests::artifact("underwriting")?, Gas::Auto).await?;
    let small = deploy_network(client, cast, k.token_code, uw_code, &people, "small").await?;
    let large = deploy_network(client, cast, k.token_code, uw_code, &people, "large").await?;
    prepare(client, &people, &small, &large).await?;

    let names =
        ["stake", "apply", "back", "back_approve", "settle@3", "settle@30", "claim_rewards@3", "claim_rewards@30"];
    let mut series: Vec<Series> = names.iter().map(|_| Series::default()).collect();
    let base = &k.baseline;
    let u = &people.underwriters;
    // The measured applications come after the large network's others.
    let first_measured = (people.settled.len() + 1 + people.others.len() + 1) as u64;
    for round in 0..=ROUNDS {
        let label = if round == 0 { "warm-up round".to_string() } else { format!("round {round}/{ROUNDS}") };
        progress(&format!("underwriting {label}: stake, apply, back, settle, claim rewards"));
        // A staker of the large network adds to its stake.
        let funds = [(STAKE_MORE, denom.as_str())];
        let b = exec(client, &u[6], base, &ExecuteMsg::Stake {}, &funds).await?;
        let o = exec(client, &u[6], &large.uw, &ExecuteMsg::Stake {}, &funds).await?;
        series[0].push(round, o, b);
        // A new member applies; three underwriters back it, the third back approves it.
        let applicant = &people.applicants[round];
        let apply = apply_msg(LINE, LONG_TERM);
        let b = exec(client, applicant, base, &apply, &[]).await?;
        let o = exec(client, applicant, &large.uw, &apply, &[]).await?;
        series[1].push(round, o, b);
        let id = first_measured + round as u64;
        exec(client, &u[3], &large.uw, &back(id), &[]).await?;
        // The second back: the application has a backer already and is still short of the rules.
        let b = exec(client, &u[4], base, &back(id), &[]).await?;
        let o = exec(client, &u[4], &large.uw, &back(id), &[]).await?;
        series[2].push(round, o, b);
        let b = exec(client, &u[5], base, &back(id), &[]).await?;
        let o = exec(client, &u[5], &large.uw, &back(id), &[]).await?;
        series[3].push(round, o, b);
        let app: ApplicationResponse = client.query_smart(&large.uw, &QueryMsg::Application { id }).await?;
        anyhow::ensure!(app.status == ApplicationStatus::Approved, "the third back did not approve {id}");
        // The round's settled application (same id, same three backers) in each network.
        let settle = ExecuteMsg::Settle { application: round as u64 + 1 };
        let b = exec(client, &cast.admin, base, &settle, &[]).await?;
        let o3 = exec(client, &cast.admin, &small.uw, &settle, &[]).await?;
        let o30 = exec(client, &cast.admin, &large.uw, &settle, &[]).await?;
        series[4].push(round, o3, b);
        series[5].push(round, o30, b);
        // Fees arrive and are shared in each network; the first underwriter claims its rewards.
        fees_for_one_claim(client, cast, &people, &small).await?;
        fees_for_one_claim(client, cast, &people, &large).await?;
        let claim = ExecuteMsg::ClaimRewards {};
        let b = exec(client, &u[0], base, &claim, &[]).await?;
        let o3 = exec(client, &u[0], &small.uw, &claim, &[]).await?;
        let o30 = exec(client, &u[0], &large.uw, &claim, &[]).await?;
        series[6].push(round, o3, b);
        series[7].push(round, o30, b);
    }
    let what = [
        "bond more native stake (warm underwriter)",
        "a new member applies",
        "the second of three backs (not yet approving)",
        "the third back: approves, exposure for 3, SetCreditLine on the token",
        "settle a repaid application of 3 backers; 3 underwriters in the pool",
        "the same with 30 underwriters holding stake and exposure",
        "claim rewards (paid with a token transfer); 3 underwriters in the pool",
        "the same with 30 underwriters holding stake and exposure",
    ];
    let reference =
        [None, None, None, None, None, Some("underwriting.settle@3"), None, Some("underwriting.claim_rewards@3")];
    let ops = [
        "underwriting.stake",
        "underwriting.apply",
        "underwriting.back",
        "underwriting.back_approve",
        "underwriting.settle@3",
        "underwriting.settle@30",
        "underwriting.claim_rewards@3",
        "underwriting.claim_rewards@30",
    ];
    Ok(series
        .iter()
        .enumerate()
        .map(|(i, s)| UwRow {
            op: ops[i],
            what: what[i],
            ours: median(&s.ours),
            baseline: median(&s.baseline),
            spread: [&s.ours, &s.baseline].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
            reference: reference[i],
            bound: if reference[i].is_some() { 1.05 } else { 1.5 },
            targeted: targeted(ops[i], reference[i]),
        })
        .collect())
}

/// Whether a row has an issue target: Stake has none; Apply and Back compare with cw20-base's
/// transfer; the large pool's Settle and ClaimRewards with the small pool's (their references).
fn targeted(op: &str, reference: Option<&str>) -> bool {
    reference.is_some() || matches!(op, "underwriting.apply" | "underwriting.back" | "underwriting.back_approve")
}

/// The reference gas of a row: cw20-base's transfer (if measured in this run) or another row.
fn reference_gas(r: &UwRow, rows: &[UwRow], cw20_transfer: Option<u64>) -> Option<u64> {
    match r.reference {
        None => cw20_transfer,
        Some(name) => rows.iter().find(|o| o.op == name).map(|o| o.ours),
    }
}

pub fn json_lines(rows: &[UwRow], cw20_transfer: Option<u64>) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            let reference = reference_gas(r, rows, cw20_transfer);
            let ratio = reference.map(|g| (r.ours as f64 / g as f64 * 10_000.0).round() / 10_000.0);
            json!({
                "op": r.op, "ours": r.ours, "baseline": r.baseline, "ours_share": r.ours as i64 - r.baseline as i64,
                "reference": r.reference.unwrap_or("cw20_base.transfer"), "reference_gas": reference,
                "ratio": ratio, "target": if r.targeted { json!(r.bound) } else { Value::Null }, "spread": r.spread,
            })
        })
        .collect()
}

/// Prints a section of rows under `title` (`underwriting`, `credit periods`).
pub fn print(title: &str, rows: &[UwRow], cw20_transfer: Option<u64>) {
    println!();
    match cw20_transfer {
        Some(g) => println!("{title} (whole transaction; cw20-base transfer in this run: {g}):"),
        None => println!("{title} (whole transaction; cw20-base transfer not measured in this run):"),
    }
    println!(
        "{:<30} {:>9} {:>9} {:>8}  {:<28} {:>9} {:>8}  target",
        "operation", "ours", "baseline", "share", "compared with", "its gas", "ratio"
    );
    for r in rows {
        let reference = reference_gas(r, rows, cw20_transfer);
        let against = r.reference.unwrap_or("cw20-base transfer");
        let ratio = reference.map(|g| r.ours as f64 / g as f64);
        let target = match (r.targeted, ratio) {
            (false, _) => "(reported)".to_string(),
            (true, None) => "(no reference measured)".to_string(),
            (true, Some(x)) => {
                let mark = if x <= r.bound && (r.reference.is_none() || x >= 1.0 / r.bound) { "met" } else { "MISSED" };
                match r.reference {
                    None => format!("within {:.1}x: {mark}", r.bound),
                    Some(_) => format!("within {:.0}%: {mark}", (r.bound - 1.0) * 100.0),
                }
            }
        };
        let spread = if r.spread > 0 { format!(" (rounds differ by up to {})", r.spread) } else { String::new() };
        println!(
            "{:<30} {:>9} {:>9} {:>8}  {:<28} {:>9} {:>8}  {target}{spread}",
            r.op,
            r.ours,
            r.baseline,
            r.ours as i64 - r.baseline as i64,
            against,
            reference.map(|g| g.to_string()).unwrap_or_else(|| "-".into()),
            ratio.map(|x| format!("{x:.4}x")).unwrap_or_else(|| "-".into()),
        );
    }
    println!();
    for r in rows {
        println!("  {:<30} {}", r.op, r.what);
    }
}
