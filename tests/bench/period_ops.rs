//! The credit-period section of `gas-bench` (issue 24): whole-transaction gas of a transfer by a
//! member on period terms, of one that renews the sender's expired period on the way, and of
//! `SyncCreditPeriod` renewing one, each beside the no-op baseline given the same JSON by the same
//! signer and beside cw20-base's transfer measured in the same run.
//!
//! One credit token (no base fee), its own members: a treasury with a long line funds everyone; one
//! member on a long period pays in every round; one on a long period with a risk fee pays on
//! credit in every round (`transfer@period+risk`: the fee goes to the collector); per round
//! (warm-up included) one member whose short period has expired pays (`transfer@renew`) and one is
//! synced by the admin (`sync_period`). Every member but the one paying on credit holds a balance,
//! so each one is compliant (no debt); every signer has signed before.
use cosmwasm_std::Uint128;
use resource_client::{ChainClient, ExecuteCall, Gas, Wallet};
use resource_msgs::credit_token::{self, ExecuteMsg, QueryMsg};
use resource_tests::{block_time, fresh_wallet, fund, wait_past};

use crate::underwriting_ops::{exec, UwRow};
use crate::{bench_token, median, progress, spread, Cast, Contracts, ROUNDS};

/// The token's shortest term.
const SHORT_TERM: u64 = 5;
/// The short members' period: long enough for the setup, over before the rounds start.
const SHORT_PERIOD: u64 = 45;
const HALF_ITD: u64 = 500_000;
/// What the treasury gives each member, and what every measured payment moves.
const FUNDING: u128 = 1_000_000;
const AMOUNT: u128 = 1_000;
/// The risk fee of the member paying on credit.
const RISK_FEE_BPS: u16 = 200;
/// Coins for each new account's transaction fees.
const FUNDS: u128 = 1_000_000_000_000_000_000;

fn call(contract: &str, msg: &ExecuteMsg) -> anyhow::Result<ExecuteCall> {
    Ok(ExecuteCall::from_msg(contract, msg)?)
}

fn pay(to: &Wallet, amount: u128) -> ExecuteMsg {
    ExecuteMsg::Transfer { recipient: to.address().to_string(), amount: Uint128::new(amount) }
}

/// Measures the credit-period operations; rows in the order they are printed.
pub async fn measure(client: &ChainClient, cast: &Cast, k: &Contracts) -> anyhow::Result<Vec<UwRow>> {
    let p = client.config().prefix.clone();
    let admin = &cast.admin;
    let (treasury, steady, shop, risky) = (fresh_wallet(&p), fresh_wallet(&p), fresh_wallet(&p), fresh_wallet(&p));
    let renewing: Vec<Wallet> = (0..=ROUNDS).map(|_| fresh_wallet(&p)).collect();
    let synced: Vec<Wallet> = (0..=ROUNDS).map(|_| fresh_wallet(&p)).collect();
    progress("credit periods: a token, its members and their periods");
    let init = bench_token(cast, 0, Some(SHORT_TERM));
    let (token, _) = client.instantiate(admin, k.token_code, &init, "bench-periods", None, &[], Gas::Auto).await?;
    let signers: Vec<&Wallet> = [&treasury, &steady, &risky].into_iter().chain(&renewing).chain(&synced).collect();
    fund(client, admin, &signers, FUNDS).await?;
    let now = block_time(client).await?;
    let line = |w: &Wallet, limit: u128, term: u64| {
        let msg = ExecuteMsg::SetCreditLine {
            member: w.address().to_string(),
            limit: Uint128::new(limit),
            term_end: now + term,
        };
        call(&token, &msg)
    };
    let period = |w: &Wallet| {
        call(&token, &ExecuteMsg::SetCreditPeriod { member: w.address().to_string(), min_itd: Some(HALF_ITD) })
    };
    let mut setup = vec![line(&treasury, 1_000 * FUNDING, 365 * 86_400)?, line(&steady, FUNDING, 365 * 86_400)?];
    setup.push(period(&steady)?);
    setup.push(line(&risky, 1_000 * FUNDING, 365 * 86_400)?);
    setup.push(period(&risky)?);
    setup.push(call(
        &token,
        &ExecuteMsg::SetRiskFee { member: risky.address().to_string(), risk_fee_bps: RISK_FEE_BPS },
    )?);
    for w in renewing.iter().chain(&synced) {
        setup.push(line(w, FUNDING, SHORT_PERIOD)?);
        setup.push(period(w)?);
    }
    client.execute_many(admin, setup, Gas::Auto).await?;
    let funding: Vec<ExecuteCall> = std::iter::once(&shop)
        .chain(std::iter::once(&steady))
        .chain(&renewing)
        .chain(&synced)
        .map(|w| call(&token, &pay(w, FUNDING)))
        .collect::<Result<_, _>>()?;
    client.execute_many(&treasury, funding, Gas::Auto).await?;
    // Every signer signs once before the rounds (its account's key is on chain, its sequence set).
    for w in [&steady, &risky].into_iter().chain(&renewing).chain(&synced) {
        client.execute(w, &token, &pay(&shop, 1), &[], Gas::Auto).await?;
    }
    let expiration = now + SHORT_PERIOD;
    progress("credit periods: waiting for the short periods to expire");
    wait_past(client, expiration, std::time::Duration::from_secs(180)).await?;

    let base = &k.baseline;
    let mut series: Vec<(Vec<u64>, Vec<u64>)> = vec![(vec![], vec![]); 4];
    for round in 0..=ROUNDS {
        progress(&format!("credit periods: round {round}/{ROUNDS}"));
        let msg = pay(&shop, AMOUNT);
        let b = exec(client, &steady, base, &msg, &[]).await?;
        let o = exec(client, &steady, &token, &msg, &[]).await?;
        let b2 = exec(client, &renewing[round], base, &msg, &[]).await?;
        let o2 = exec(client, &renewing[round], &token, &msg, &[]).await?;
        let account: credit_token::CreditAccountResponse = client
            .query_smart(&token, &QueryMsg::CreditAccount { address: renewing[round].address().to_string() })
            .await?;
        anyhow::ensure!(account.line.is_some_and(|l| l.term_end > expiration), "the payment did not renew the period");
        let sync = ExecuteMsg::SyncCreditPeriod { member: synced[round].address().to_string() };
        let b3 = exec(client, admin, base, &sync, &[]).await?;
        let o3 = exec(client, admin, &token, &sync, &[]).await?;
        let b4 = exec(client, &risky, base, &msg, &[]).await?;
        let o4 = exec(client, &risky, &token, &msg, &[]).await?;
        if round > 0 {
            for (s, (o, b)) in series.iter_mut().zip([(o, b), (o2, b2), (o3, b3), (o4, b4)]) {
                s.0.push(o);
                s.1.push(b);
            }
        }
    }
    let rows = [
        ("credit_token.transfer@period", "transfer by a member on period terms, within its period"),
        ("credit_token.transfer@renew", "the same, renewing the sender's expired period first"),
        ("credit_token.sync_period", "SyncCreditPeriod renewing a compliant member's expired period"),
        ("credit_token.transfer@period+risk", "on period terms with a 2 % risk fee, drawing it all on credit"),
    ];
    Ok(rows
        .iter()
        .zip(&series)
        .map(|(&(op, what), (ours, baseline))| UwRow {
            op,
            what,
            ours: median(ours),
            baseline: median(baseline),
            spread: [ours, baseline].iter().filter_map(|v| spread(v)).max().unwrap_or(0),
            reference: None,
            bound: 1.0,
            targeted: op != "credit_token.sync_period",
        })
        .collect())
}
