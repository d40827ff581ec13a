//! What happens on the chain at each step of the story: credit lines and payments on the token,
//! then the clearing part (deploying the clearing contract, registering invoices, a clearing round,
//! settling with credit). Each returns the lines that tell the reader what happened.
use anyhow::{anyhow, ensure, Context};
use cosmwasm_std::{to_json_binary, Addr};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{
    ConfigResponse as ClearingConfigResponse, ExecuteMsg as ClearingMsg, InstantiateMsg as ClearingInstantiateMsg,
    ObligationStatus, PendingRoundResponse, QueryMsg as ClearingQuery, ReceiveMsg, SetOffEntry,
};
use resource_msgs::credit_token::{ConfigResponse as TokenConfigResponse, ConfigUpdate, ExecuteMsg, QueryMsg};

use super::backend::{Network, Target};
use super::events::TransferEffect;
use super::invariants::net_positions_unchanged;
use super::render::{describe, describe_invoice, gas_note, rusd_u};
use super::scenario::{Action, CAST, INVOICES, INVOICE_TERM_SECONDS, OPERATOR, SYMBOL, TERM_SECONDS};
use crate::clearing::{solve, Solved};

impl Network {
    /// Carries out one action; returns a line saying what happened.
    pub(super) async fn apply(&mut self, action: Action, effects: &mut TransferEffect) -> anyhow::Result<String> {
        match action {
            Action::OpenLine { member, limit } => {
                let term_end = self.now()? + TERM_SECONDS;
                let msg = ExecuteMsg::SetCreditLine {
                    member: self.address(CAST[member].account).into(),
                    limit: limit.into(),
                    term_end,
                };
                let executed =
                    self.execute(OPERATOR.account, Target::Token, &msg).await.with_context(|| describe(action))?;
                Ok(format!("{}{}", describe(action), gas_note(executed.gas)))
            }
            Action::Pay { from, to, amount } => {
                let msg =
                    ExecuteMsg::Transfer { recipient: self.address(CAST[to].account).into(), amount: amount.into() };
                let what = describe(action);
                let executed =
                    self.execute(CAST[from].account, Target::Token, &msg).await.with_context(|| what.clone())?;
                let effect = TransferEffect::of_transaction(&executed.events).with_context(|| what.clone())?;
                effects.add(effect);
                Ok(format!("{what}: {}{}", effect.describe(), gas_note(executed.gas)))
            }
        }
    }

    /// Deploys the clearing contract on the credit token and puts it in the token's fee-exempt list;
    /// returns the lines saying so.
    pub(super) async fn deploy_clearing(&mut self) -> anyhow::Result<Vec<String>> {
        let msg = ClearingInstantiateMsg {
            admin: None,
            credit_token: Some(self.token.clone()),
            max_entries: None,
            round_window: Some(DEMO_ROUND_WINDOW),
        };
        let gas = self.instantiate_clearing(&msg).await?;
        let mut lines = vec![format!(
            "the operator deploys the clearing contract, settling through the credit token{}",
            gas_note(gas)
        )];

        // UpdateConfig replaces the whole list: keep whoever is on it already.
        self.step("exempting the clearing contract from the network fee");
        let config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let mut exempt: Vec<String> = config.fee_exempt.iter().map(Addr::to_string).collect();
        exempt.push(self.clearing.clone());
        let msg = ExecuteMsg::UpdateConfig(ConfigUpdate { fee_exempt: Some(exempt), ..ConfigUpdate::default() });
        let executed = self
            .execute(OPERATOR.account, Target::Token, &msg)
            .await
            .context("adding the clearing contract to the token's fee-exempt list")?;
        lines.push(format!("the operator adds it to the credit token's fee-exempt list{}", gas_note(executed.gas)));

        // Both ends of the connection, as the contracts report them.
        let token_config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let clearing_config: ClearingConfigResponse = self.query(Target::Clearing, &ClearingQuery::Config {}).await?;
        ensure!(
            clearing_config.credit_token.as_ref().map(Addr::as_str) == Some(self.token.as_str()),
            "the clearing contract reports credit token {:?} instead of {}",
            clearing_config.credit_token,
            self.token
        );
        ensure!(
            token_config.fee_exempt.iter().any(|a| a.as_str() == self.clearing),
            "the credit token's fee-exempt list does not name the clearing contract"
        );
        Ok(lines)
    }

    /// Registers [`INVOICES`]: each creditor proposes, each debtor accepts. Returns the lines saying
    /// so and the obligation id of each invoice.
    pub(super) async fn register_invoices(&mut self) -> anyhow::Result<(Vec<String>, Vec<u64>)> {
        let due = self.now()? + INVOICE_TERM_SECONDS;
        let mut lines = Vec::with_capacity(INVOICES.len());
        let mut ids = Vec::with_capacity(INVOICES.len());
        for (index, invoice) in INVOICES.iter().enumerate() {
            let what = describe_invoice(invoice);
            self.step(&format!("invoice {} of {}: {what}", index + 1, INVOICES.len()));
            let msg = ClearingMsg::Propose {
                debtor: self.address(invoice.debtor.account).into(),
                amount: invoice.amount.into(),
                due,
                reference: None,
            };
            let proposed =
                self.execute(invoice.creditor.account, Target::Clearing, &msg).await.context(what.clone())?;
            let id = proposed
                .attribute("obligation_id")
                .and_then(|id| id.parse::<u64>().ok())
                .ok_or_else(|| anyhow!("{what}: the contract reported no obligation id"))?;
            let accepted = self
                .execute(invoice.debtor.account, Target::Clearing, &ClearingMsg::Accept { id })
                .await
                .with_context(|| format!("{} accepting invoice {id}", invoice.debtor.name))?;
            let gas = match (proposed.gas, accepted.gas) {
                (Some(p), Some(a)) => format!(" (gas used: {p} and {a})"),
                _ => String::new(),
            };
            lines.push(format!("{what}: invoice {id}, accepted{gas}"));
            ids.push(id);
        }
        Ok((lines, ids))
    }
}

/// What one clearing round did, for the tables and the summary.
pub(super) struct Round {
    pub(super) number: u64,
    /// Outstanding before the round (the solver's input) and after it.
    pub(super) before: Vec<Obligation<String>>,
    pub(super) after: Vec<Obligation<String>>,
    pub(super) solved: Solved,
    /// Gas of the submission and of the close.
    pub(super) gas: Option<(u64, u64)>,
}

/// The demo's clearing rounds take competing set-offs for this many seconds: short, so the demo on
/// a devnet waits only a moment (a real network keeps the default, minutes).
pub(super) const DEMO_ROUND_WINDOW: u64 = 3;

/// Runs one clearing round: reads what is outstanding, solves it off chain, submits the set-off and
/// checks that the contract applied exactly that and that no net position moved.
pub(super) async fn clear_round(network: &mut Network) -> anyhow::Result<Round> {
    let before = network.outstanding().await?;
    network.step(&format!("solving {} outstanding invoices", before.len()));
    // resource_core::clearing::solve, checked with the contract's own rule (verify).
    let solved = solve(&before)?;
    ensure!(!solved.set_off.entries.is_empty(), "no invoices run in a cycle: nothing to clear");
    let totals = network.clearing_totals().await?;
    ensure!(
        totals.gross_outstanding.u128() == solved.gross,
        "the contract's gross outstanding {} differs from its Outstanding list {}",
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(solved.gross)
    );
    let number = totals.rounds + 1;
    network.step(&format!("submitting the set-off for clearing round {number}"));
    let entries = solved.set_off.entries.iter().map(|&entry| SetOffEntry::from(entry)).collect();
    let submitted = network
        .execute(OPERATOR.account, Target::Clearing, &ClearingMsg::SubmitSetOff { entries })
        .await
        .with_context(|| format!("submitting the set-off for clearing round {number}"))?;
    let pending: PendingRoundResponse = network.query(Target::Clearing, &ClearingQuery::PendingRound {}).await?;
    let pending = pending.round.ok_or_else(|| anyhow!("the submission opened no clearing round"))?;
    ensure!(pending.number == number, "the contract numbered the round {} instead of {number}", pending.number);
    network.step(&format!("waiting for clearing round {number}'s window to close"));
    network.wait_until(pending.closes_at).await?;
    let closed = network.close_round().await.with_context(|| format!("closing clearing round {number}"))?;
    let after = network.outstanding().await?;

    let totals = network.clearing_totals().await?;
    ensure!(
        totals.cleared_to_date.u128() == solved.cleared
            && totals.gross_outstanding.u128() == solved.gross - solved.cleared,
        "after the round the contract reports {} cleared and {} outstanding instead of {} and {}",
        rusd_u(totals.cleared_to_date.u128()),
        rusd_u(totals.gross_outstanding.u128()),
        rusd_u(solved.cleared),
        rusd_u(solved.gross - solved.cleared)
    );
    net_positions_unchanged(&before, &after, number)?;
    Ok(Round { number, before, after, solved, gas: submitted.gas.zip(closed.gas) })
}

/// The debtor of `INVOICES[invoice]` (obligation `id`) pays what is left of it through the token's
/// `Send` to the clearing contract. Returns the lines saying so, the transfers' effect and the amount.
pub(super) async fn settle(
    network: &mut Network,
    invoice: usize,
    id: u64,
) -> anyhow::Result<(Vec<String>, TransferEffect, u128)> {
    let debtor = INVOICES[invoice].debtor;
    let creditor = INVOICES[invoice].creditor;
    let amount = network.obligation(id).await?.remaining.u128();
    ensure!(amount > 0, "invoice {id} has nothing left to settle: the round cleared all of it");
    network.step(&format!("{} settles invoice {id} with credit", debtor.name));
    let msg = ExecuteMsg::Send {
        contract: network.clearing.clone(),
        amount: amount.into(),
        msg: to_json_binary(&ReceiveMsg::SettleWithCredit { obligation: id })?,
    };
    let what = format!(
        "{} pays {} the {} {SYMBOL} left of invoice {id} through the clearing contract",
        debtor.name,
        creditor.name,
        rusd_u(amount)
    );
    let executed = network.execute(debtor.account, Target::Token, &msg).await.with_context(|| what.clone())?;
    let effect = TransferEffect::of_transaction(&executed.events).with_context(|| what.clone())?;
    let after = network.obligation(id).await?;
    ensure!(
        after.status == ObligationStatus::Settled && after.settled.u128() == amount && after.remaining.is_zero(),
        "invoice {id} is {} with {} settled and {} remaining after the payment",
        after.status,
        rusd_u(after.settled.u128()),
        rusd_u(after.remaining.u128())
    );
    let lines = vec![
        format!("{what}: {}{}", effect.describe(), gas_note(executed.gas)),
        format!("invoice {id} is {}: {} {SYMBOL} settled with credit", after.status, rusd_u(after.settled.u128())),
    ];
    Ok((lines, effect, amount))
}
