//! `resource clearing` against a chain: the clearing contract's outstanding obligations and totals,
//! submitting a set-off for the next round and closing it, all in the contract's own message types.
use resource_client::{ChainClient, Gas, TxOutcome, Wallet};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{
    ExecuteMsg, ObligationResponse, ObligationsResponse, PendingRound, PendingRoundResponse, QueryMsg, TotalsResponse,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::SetOffFile;

/// Page size of the `Outstanding` query (the contract's maximum).
const PAGE: u32 = 100;

/// A chain that answers smart queries: the devnet's RPC client, or the demo's embedded chain.
#[allow(async_fn_in_trait)] // its callers run on the CLI's one current-thread runtime: no `Send` bound needed
pub trait SmartQuery {
    async fn query_smart<T: DeserializeOwned>(&self, contract: &str, msg: &impl Serialize) -> anyhow::Result<T>;
}

impl SmartQuery for ChainClient {
    async fn query_smart<T: DeserializeOwned>(&self, contract: &str, msg: &impl Serialize) -> anyhow::Result<T> {
        Ok(ChainClient::query_smart(self, contract, msg).await?)
    }
}

/// The outstanding obligations of a clearing contract, every page, with their remaining amounts:
/// the input of the next round. `step` is told how far the reading is.
pub async fn fetch_outstanding(
    chain: &impl SmartQuery,
    contract: &str,
    step: &dyn Fn(&str),
) -> anyhow::Result<Vec<Obligation<String>>> {
    let totals = totals(chain, contract).await?;
    let mut out: Vec<Obligation<String>> = Vec::with_capacity(totals.outstanding_obligations as usize);
    let mut start_after: Option<u64> = None;
    loop {
        step(&format!("reading outstanding obligations: {} of {}", out.len(), totals.outstanding_obligations));
        let page: ObligationsResponse =
            chain.query_smart(contract, &QueryMsg::Outstanding { start_after, limit: Some(PAGE) }).await?;
        let Some(last) = page.obligations.last().map(|o| o.id) else { break };
        out.extend(page.obligations.iter().map(ObligationResponse::outstanding));
        start_after = Some(last);
    }
    Ok(out)
}

pub async fn totals(chain: &impl SmartQuery, contract: &str) -> anyhow::Result<TotalsResponse> {
    chain.query_smart(contract, &QueryMsg::Totals {}).await
}

/// Offers `set_off` for the contract's next round (the contract numbers it); returns the pending
/// round as it stands after the submission, and the transaction.
pub async fn submit(
    client: &ChainClient,
    wallet: &Wallet,
    contract: &str,
    set_off: &SetOffFile,
) -> anyhow::Result<(PendingRound, TxOutcome)> {
    let msg = ExecuteMsg::SubmitSetOff { entries: set_off.entries.clone() };
    let outcome = client.execute(wallet, contract, &msg, &[], Gas::Auto).await?;
    let pending: PendingRoundResponse = client.query_smart(contract, &QueryMsg::PendingRound {}).await?;
    let round = pending.round.ok_or_else(|| anyhow::anyhow!("the submission left no pending round"))?;
    Ok((round, outcome))
}

/// Waits until the chain's time passes `closes_at`, then closes the pending round. The devnet's
/// block time follows the wall clock but may lag it by a block: a close that comes too early is
/// retried a few times.
pub async fn close_when_due(
    client: &ChainClient,
    wallet: &Wallet,
    contract: &str,
    closes_at: u64,
    step: &dyn Fn(&str),
) -> anyhow::Result<TxOutcome> {
    const ATTEMPTS: u32 = 10;
    let mut attempt = 0;
    loop {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
        if now <= closes_at {
            step(&format!("waiting {} s for the round's window to close", closes_at + 1 - now));
            tokio::time::sleep(std::time::Duration::from_secs(closes_at + 1 - now)).await;
        }
        match client.execute(wallet, contract, &ExecuteMsg::CloseRound {}, &[], Gas::Auto).await {
            Ok(outcome) => return Ok(outcome),
            Err(e) if attempt < ATTEMPTS && e.to_string().contains("takes submissions until") => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}
