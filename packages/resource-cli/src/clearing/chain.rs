//! `resource clearing` against a chain: the clearing contract's outstanding obligations and totals,
//! and submitting a round, all in the contract's own message types.
use resource_client::{ChainClient, Gas, TxOutcome, Wallet};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{ExecuteMsg, ObligationsResponse, QueryMsg, TotalsResponse};
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
        out.extend(page.obligations.into_iter().map(|o| Obligation {
            id: o.id,
            debtor: o.debtor.into(),
            creditor: o.creditor.into(),
            amount: o.remaining.u128(),
        }));
        start_after = Some(last);
    }
    Ok(out)
}

pub async fn totals(chain: &impl SmartQuery, contract: &str) -> anyhow::Result<TotalsResponse> {
    chain.query_smart(contract, &QueryMsg::Totals {}).await
}

/// Submits `set_off` as the contract's next round (or `round`); returns the round and the transaction.
pub async fn submit(
    client: &ChainClient,
    wallet: &Wallet,
    contract: &str,
    set_off: &SetOffFile,
    round: Option<u64>,
) -> anyhow::Result<(u64, TxOutcome)> {
    let round = match round {
        Some(r) => r,
        None => totals(client, contract).await?.rounds + 1,
    };
    let msg = ExecuteMsg::SubmitSetOff { round, entries: set_off.entries.clone() };
    let outcome = client.execute(wallet, contract, &msg, &[], Gas::Auto).await?;
    Ok((round, outcome))
}
