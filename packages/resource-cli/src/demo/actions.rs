//! What happens on the chain at each step of the story: deploying the credit token with its
//! underwriting contract, staking, applications and backing, payments, fees becoming rewards and a
//! default on the token; then the clearing part (deploying the clearing contract, registering
//! invoices, a clearing round, settling with credit). Each returns the lines that tell the reader
//! what happened.
use anyhow::{anyhow, bail, ensure, Context};
use cosmwasm_std::{to_json_binary, Addr};
use resource_core::clearing::Obligation;
use resource_msgs::clearing::{
    ConfigResponse as ClearingConfigResponse, ExecuteMsg as ClearingMsg, InstantiateMsg as ClearingInstantiateMsg,
    ObligationStatus, PendingRoundResponse, QueryMsg as ClearingQuery, ReceiveMsg, SetOffEntry,
};
use resource_msgs::credit_token::{ConfigResponse as TokenConfigResponse, ExecuteMsg, NeededIncomeResponse, QueryMsg};
use resource_msgs::underwriting::{ApplicationResponse, ExecuteMsg as UnderwritingMsg, QueryMsg as UnderwritingQuery};

use super::backend::{Network, Target};
use super::events::{Executed, TransferEffect};
use super::invariants::{net_positions_unchanged, Totals};
use super::render::{describe, describe_invoice, gas_note, inj_u, rusd_u};
use super::scenario::{
    instantiate_msg, underwriting_setup, Action, Role, INVOICES, INVOICE_TERM_SECONDS, LOSS_ACCOUNT, MIN_ITD_PPM,
    OPERATOR, RESERVE, STAKE_SYMBOL, SYMBOL,
};
use crate::clearing::{solve, Solved};
use crate::format;
use crate::wiring::TokenWiring;

/// What settling an application did: the loss and who bore it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Settlement {
    pub(super) member: &'static Role,
    pub(super) application: u64,
    /// `repaid` or `defaulted`, as the contract says.
    pub(super) outcome: String,
    /// The debt declared in default (credit units), and the stake slashed to the reserve for it.
    pub(super) loss: u128,
    pub(super) to_reserve: u128,
    /// (underwriter address, backing, slashed) of each backer, in stake units.
    pub(super) backers: Vec<(String, u128, u128)>,
}

/// How often a message the chain's clock does not allow yet is sent again: the devnet's block time
/// follows the wall clock but may lag it by a block or two.
const CLOCK_RETRIES: u32 = 10;

impl Network {
    /// Deploys the credit token and the underwriting contract and hands the token to it (lines,
    /// fees, untaxed rewards); returns the lines saying so.
    pub(super) async fn deploy(&mut self) -> anyhow::Result<Vec<String>> {
        // The operator collects until the underwriting contract takes over, before any payment.
        let token_msg = instantiate_msg(self.address(OPERATOR.account), self.address(LOSS_ACCOUNT.account));
        let (token, token_gas) = self.instantiate(Target::Token, &token_msg).await?;
        self.token = token;
        let setup = underwriting_setup(self.address(RESERVE.account));
        let (underwriting, uw_gas) =
            self.instantiate(Target::Underwriting, &setup.instantiate_msg(&self.token)).await?;
        self.underwriting = underwriting;
        self.step("naming the underwriting contract in the credit token");
        let config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let wiring = TokenWiring::underwriting(&self.underwriting);
        let wire = wiring.update_msg(&config).context("a new credit token names no underwriting contract yet")?;
        let wired = self
            .execute(OPERATOR.account, Target::Token, &wire)
            .await
            .context("naming the underwriting contract in the credit token")?;
        let config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        wiring.check(&config)?;
        self.record_deployment()?;
        Ok(vec![
            format!("the operator deploys the credit token{}", gas_note(token_gas)),
            format!("the operator deploys the underwriting contract on it{}", gas_note(uw_gas)),
            format!(
                "the token names the underwriting contract as the only one that opens credit lines, as its fee collector \
                 and as fee-exempt (rewards are paid out untaxed){}",
                gas_note(wired.gas)
            ),
        ])
    }

    pub(super) async fn application(&self, id: u64) -> anyhow::Result<ApplicationResponse> {
        self.query(Target::Underwriting, &UnderwritingQuery::Application { id }).await
    }

    /// Every application made in the story, in order.
    pub(super) async fn applications_made(&self) -> anyhow::Result<Vec<ApplicationResponse>> {
        let mut out = Vec::with_capacity(self.applications.len());
        for (_, id) in &self.applications {
            out.push(self.application(*id).await?);
        }
        Ok(out)
    }

    /// Carries out one action; returns a line saying what happened. What moved on the ledger is
    /// added to `effects`, what was staked and claimed to `totals`, a settlement to `settlements`.
    pub(super) async fn apply(
        &mut self,
        action: Action,
        effects: &mut TransferEffect,
        totals: &mut Totals,
        settlements: &mut Vec<Settlement>,
    ) -> anyhow::Result<String> {
        let what = describe(action);
        let (executed, line) = match action {
            Action::Stake { underwriter, amount } => {
                let executed = self
                    .execute_with_stake(underwriter.account, Target::Underwriting, &UnderwritingMsg::Stake {}, amount)
                    .await
                    .with_context(|| what.clone())?;
                *totals.staked.entry(underwriter.account).or_default() += amount;
                (executed, what)
            }
            Action::Apply { member, amount, term } => {
                let msg =
                    UnderwritingMsg::Apply { amount: amount.into(), term, claims: Vec::new(), vouchers: Vec::new() };
                let executed =
                    self.execute(member.account, Target::Underwriting, &msg).await.with_context(|| what.clone())?;
                let id = executed
                    .attribute("application")
                    .and_then(|id| id.parse::<u64>().ok())
                    .ok_or_else(|| anyhow!("{what}: the contract reported no application id"))?;
                self.applications.push((member.account, id));
                let line = format!("{what}: application {id}");
                (executed, line)
            }
            Action::Back { underwriter, member, amount } => {
                let id = self.application_of(member)?;
                let msg = UnderwritingMsg::Back { application: id, amount: amount.into() };
                let executed = self
                    .execute(underwriter.account, Target::Underwriting, &msg)
                    .await
                    .with_context(|| what.clone())?;
                let line = if executed.attribute("approved") == Some("true") {
                    let app = self.application(id).await?;
                    format!(
                        "{what}: application {id} is approved and the credit token opens {}'s {} {SYMBOL} line",
                        member.name,
                        rusd_u(app.amount.u128())
                    )
                } else {
                    format!("{what} (application {id})")
                };
                (executed, line)
            }
            Action::Pay { from, to, amount } => {
                let msg = ExecuteMsg::Transfer { recipient: self.address(to.account).into(), amount: amount.into() };
                let executed = self.execute(from.account, Target::Token, &msg).await.with_context(|| what.clone())?;
                let effect = TransferEffect::of_transaction(&executed.events).with_context(|| what.clone())?;
                let line = format!("{what}: {}", effect.describe());
                (executed, line)
            }
            Action::DistributeFees => {
                let executed = self
                    .execute(OPERATOR.account, Target::Underwriting, &UnderwritingMsg::DistributeFees {})
                    .await
                    .with_context(|| what.clone())?;
                let amount = |key: &str| executed.attribute(key).and_then(|v| v.parse::<u128>().ok()).unwrap_or(0);
                let line = format!(
                    "{what}: {} {SYMBOL} of new fees, {} to the underwriters by exposure, {} to the reserve",
                    rusd_u(amount("fees")),
                    rusd_u(amount("to_underwriters")),
                    rusd_u(amount("to_reserve"))
                );
                (executed, line)
            }
            Action::ClaimRewards { underwriter } => {
                let executed = self
                    .execute(underwriter.account, Target::Underwriting, &UnderwritingMsg::ClaimRewards {})
                    .await
                    .with_context(|| what.clone())?;
                let amount = executed
                    .attribute("amount")
                    .and_then(|v| v.parse::<u128>().ok())
                    .ok_or_else(|| anyhow!("{what}: the contract reported no amount"))?;
                totals.rewards_claimed += amount;
                let line = format!("{} is paid {} {SYMBOL} of rewards", underwriter.name, rusd_u(amount));
                (executed, line)
            }
            Action::PayWhileFrozen { from, to, amount } => {
                // A refused payment moves nothing: no transaction effects to add.
                return self.pay_while_frozen(from, to, amount).await.with_context(|| what.clone());
            }
            Action::Settle { member } => {
                let (executed, settlement) = self.settle_application(member).await.with_context(|| what.clone())?;
                let line = match settlement.outcome.as_str() {
                    "defaulted" => format!(
                        "{what}: application {} defaulted on {} {SYMBOL}; {} {STAKE_SYMBOL} of the backers' stake goes \
                         to the reserve",
                        settlement.application,
                        rusd_u(settlement.loss),
                        inj_u(settlement.to_reserve)
                    ),
                    outcome => format!("{what}: application {} {outcome}", settlement.application),
                };
                settlements.push(settlement);
                (executed, line)
            }
        };
        // Every transfer the transaction made (payments, the fee, rewards paid, a default moving debt).
        effects.add(TransferEffect::sum_of(&executed.events)?);
        Ok(format!("{line}{}", gas_note(executed.gas)))
    }

    /// Waits for `from`'s credit period to expire, then has it try to pay on credit: the token must
    /// refuse, its credit frozen in the grace period. `amount` is above what `from` could spend
    /// before the expiration too, so a try the devnet's block time still places within the period
    /// is refused as well (and tried again), and no try can succeed.
    async fn pay_while_frozen(
        &mut self,
        from: &'static Role,
        to: &'static Role,
        amount: u128,
    ) -> anyhow::Result<String> {
        let address = self.address(from.account).to_string();
        let account = self.credit_account(&address).await?;
        let period = account.period.ok_or_else(|| anyhow!("{} has no credit period", from.name))?;
        let what = format!("{}'s credit period to end", from.name);
        self.step(&format!("waiting for {what}"));
        self.wait_until(period.expiration + 1, &what).await?;
        let msg = ExecuteMsg::Transfer { recipient: self.address(to.account).into(), amount: amount.into() };
        let mut attempts = 0;
        loop {
            match self.execute(from.account, Target::Token, &msg).await {
                Ok(_) => bail!("the token accepted {}'s payment on frozen credit", from.name),
                Err(e) if e.to_string().contains("its credit is frozen") => break,
                Err(e) if attempts < CLOCK_RETRIES && e.to_string().contains("insufficient credit") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                Err(e) => return Err(e),
            }
        }
        let needed: NeededIncomeResponse =
            self.query(Target::Token, &QueryMsg::NeededIncome { address: address.clone() }).await?;
        Ok(format!(
            "{} tries to pay {} {} {SYMBOL} on credit: the token refuses it, its credit frozen until it earns {} {SYMBOL} \
             more (income of at least {} of what it owes)",
            from.name,
            to.name,
            rusd_u(amount),
            rusd_u(needed.needed_income.u128()),
            format::ppm_percent(MIN_ITD_PPM)
        ))
    }

    /// Waits until `member`'s application can be settled (its term over and, when the member owes,
    /// the token's grace period too), then settles it.
    async fn settle_application(&mut self, member: &'static Role) -> anyhow::Result<(Executed, Settlement)> {
        let id = self.application_of(member)?;
        let before = self.application(id).await?;
        let term_end = before.term_end.ok_or_else(|| anyhow!("application {id} was never approved"))?;
        let account = self.credit_account(self.address(member.account)).await?;
        let (until, what) = match account.line.as_ref().and_then(|l| l.default_declarable_at) {
            Some(at) if account.balance.i128() < 0 => (at, format!("{}'s term and grace period to pass", member.name)),
            _ => (term_end, format!("{}'s term to end", member.name)),
        };
        self.step(&format!("waiting for {what}"));
        self.wait_until(until, &what).await?;
        let msg = UnderwritingMsg::Settle { application: id };
        let mut attempts = 0;
        let executed = loop {
            self.step(&format!("settling application {id}"));
            match self.execute(OPERATOR.account, Target::Underwriting, &msg).await {
                Err(e) if attempts < CLOCK_RETRIES && e.to_string().contains("(unix seconds)") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                Err(e) if attempts < CLOCK_RETRIES && e.to_string().contains("settle again then") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                result => break result?,
            }
        };
        let amount = |key: &str| executed.attribute(key).and_then(|v| v.parse::<u128>().ok()).unwrap_or(0);
        let slashed = |address: &str| {
            executed
                .events
                .iter()
                .flatten()
                .filter(|(k, _)| k == "slashed")
                .filter_map(|(_, v)| v.rsplit_once(':'))
                .find(|(who, _)| *who == address)
                .and_then(|(_, amount)| amount.parse::<u128>().ok())
                .unwrap_or(0)
        };
        let backers = before
            .backers
            .iter()
            .map(|b| (b.underwriter.to_string(), b.amount.u128(), slashed(b.underwriter.as_str())))
            .collect();
        let settlement = Settlement {
            member,
            application: id,
            outcome: executed.attribute("outcome").unwrap_or("?").to_string(),
            loss: amount("loss"),
            to_reserve: amount("to_reserve"),
            backers,
        };
        Ok((executed, settlement))
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
        let (clearing, gas) = self.instantiate(Target::Clearing, &msg).await?;
        self.clearing = clearing;
        let mut lines = vec![format!(
            "the operator deploys the clearing contract, settling through the credit token{}",
            gas_note(gas)
        )];

        // UpdateConfig replaces the whole list: the wiring keeps whoever is on it already.
        self.step("exempting the clearing contract from the network fee");
        let config: TokenConfigResponse = self.query(Target::Token, &QueryMsg::Config {}).await?;
        let msg = TokenWiring::exempt(&[&self.clearing])
            .update_msg(&config)
            .context("a new clearing contract is not fee-exempt yet")?;
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
        TokenWiring::underwriting(&self.underwriting).check(&token_config)?;
        self.record_deployment()?;
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
    network.wait_until(pending.closes_at, &format!("clearing round {number}'s window to close")).await?;
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
