//! The handlers of `resource underwriting <command>`: each sends one message (or reads the
//! contract), then prints a line saying what happened and the tables of what it changed, or with
//! `--json` one JSON document of the contract's own answers (amounts in base units, as strings).
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::anyhow;
use resource_client::test_accounts::TEST_ACCOUNTS;
use resource_client::{TxOutcome, Wallet};
use resource_msgs::underwriting::{
    ApplicationResponse, ApplicationStatus, ClaimInput, ExecuteMsg, MemberExposureResponse, QueryMsg,
    SuggestionResponse, UnderwriterResponse, VouchResponse, VouchesResponse,
};
use serde::Serialize;
use serde_json::{json, Value};

use super::report::{
    applications_table, backers_table, config_table, pending, pool_table, positions_table, unbondings_table,
};
use super::{describe_stake, now, wait_until, Session, UnderwritingCliError};
use crate::format;
use crate::ui::{table, Progress};

/// Every status, in the order of an application's life.
pub const STATUSES: [ApplicationStatus; 6] = [
    ApplicationStatus::Open,
    ApplicationStatus::Approved,
    ApplicationStatus::Repaid,
    ApplicationStatus::Defaulted,
    ApplicationStatus::Rejected,
    ApplicationStatus::Expired,
];

/// Which contract, which devnet and who signs.
pub struct Signer<'a> {
    pub home: &'a Path,
    /// The underwriting contract, when given (else the recorded deployment's).
    pub contract: Option<&'a str>,
    /// A devnet test account's name.
    pub from: &'a str,
}

/// How a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Table,
    Json,
}

/// A transaction, as the JSON documents show it.
#[derive(Serialize)]
struct TxJson<'a> {
    hash: &'a str,
    height: u64,
    gas_used: u64,
}

fn tx_json(tx: &TxOutcome) -> TxJson<'_> {
    TxJson { hash: &tx.tx_hash, height: tx.height, gas_used: tx.gas_used }
}

fn tx_note(tx: &TxOutcome) -> String {
    format!("tx {}, gas used {}", tx.tx_hash, tx.gas_used)
}

/// The contract's own attribute `key` of a transaction.
fn attribute<'a>(tx: &'a TxOutcome, key: &str) -> Option<&'a str> {
    tx.attribute("wasm", key)
}

fn parse_attribute<T: std::str::FromStr>(tx: &TxOutcome, key: &str) -> anyhow::Result<T> {
    attribute(tx, key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow!("the underwriting contract's response has no readable `{key}` attribute"))
}

/// Runs `work` with a spinner, cleared before anything is printed.
async fn with_progress<T>(work: impl AsyncFnOnce(&Progress) -> anyhow::Result<T>) -> anyhow::Result<T> {
    let progress = Progress::new();
    let result = work(&progress).await;
    progress.finish();
    result
}

async fn open(signer: &Signer<'_>, progress: &Progress) -> anyhow::Result<(Session, Wallet)> {
    let session = Session::open(signer.home, signer.contract, progress).await?;
    let wallet = super::test_wallet(signer.from, session.prefix())?;
    Ok((session, wallet))
}

/// Test accounts by address, so tables name them.
fn names(session: &Session) -> BTreeMap<String, &'static str> {
    TEST_ACCOUNTS
        .iter()
        .filter_map(|a| Some((Wallet::from_mnemonic(a.mnemonic, session.prefix()).ok()?.address().to_string(), a.name)))
        .collect()
}

fn namer<'a>(names: &'a BTreeMap<String, &'static str>) -> impl Fn(&str) -> String + 'a {
    move |address: &str| names.get(address).map_or_else(|| address.to_string(), |name| name.to_string())
}

fn print_json(value: &Value) {
    println!("{value}");
}

fn print_position(session: &Session, name: &str, position: &UnderwriterResponse) {
    let rows = [(name.to_string(), position.clone())];
    println!("{}", positions_table(&rows, &session.credit, &session.stake));
    if !position.unbonding.is_empty() {
        println!("{}", unbondings_table(position, &session.stake, now()));
    }
}

fn print_application(session: &Session, application: &ApplicationResponse) {
    let names = names(session);
    let name = namer(&names);
    println!(
        "{}",
        applications_table(std::slice::from_ref(application), &name, &session.credit, &session.stake, now())
    );
    if !application.backers.is_empty() {
        println!("{}", backers_table(application, &name, &session.stake));
    }
}

/// `resource underwriting stake AMOUNT`: bonds `amount` of the stake asset for `--from`.
pub async fn stake_command(signer: &Signer<'_>, amount: &str, output: Output) -> anyhow::Result<()> {
    let (session, amount, tx, position) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let amount = s.stake.parse(amount)?;
        progress.step(&format!("{} stakes {}", signer.from, s.stake.show(amount)));
        let tx = s.stake(&wallet, amount).await?;
        let position = s.underwriter(wallet.address()).await?;
        Ok((s, amount, tx, position))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "staked": amount.to_string(), "underwriter": position}));
        return Ok(());
    }
    println!("{} staked {} ({})", signer.from, session.stake.show(amount), tx_note(&tx));
    print_position(&session, signer.from, &position);
    Ok(())
}

/// `resource underwriting unbond AMOUNT`: starts unbonding free stake of `--from`.
pub async fn unbond_command(signer: &Signer<'_>, amount: &str, output: Output) -> anyhow::Result<()> {
    let (session, amount, release_at, tx, position) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let amount = s.stake.parse(amount)?;
        s.check_free_stake(signer.from, wallet.address(), amount).await?;
        progress.step(&format!("{} unbonds {}", signer.from, s.stake.show(amount)));
        let tx = s.execute(&wallet, &ExecuteMsg::Unbond { amount: amount.into() }, &[], "Unbond", "").await?;
        let release_at: u64 = parse_attribute(&tx, "release_at")?;
        let position = s.underwriter(wallet.address()).await?;
        Ok((s, amount, release_at, tx, position))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({
            "tx": tx_json(&tx), "unbonding": amount.to_string(), "release_at": release_at, "underwriter": position
        }));
        return Ok(());
    }
    println!(
        "{} unbonds {}: claimable from {} ({}) with `resource underwriting claim` ({})",
        signer.from,
        session.stake.show(amount),
        format::utc(release_at),
        format::relative(release_at, now()),
        tx_note(&tx)
    );
    print_position(&session, signer.from, &position);
    Ok(())
}

/// How often a transaction the chain's clock does not allow yet is sent again: the devnet's block
/// time follows the wall clock but may lag it by a block or two.
const CLOCK_RETRIES: u32 = 10;

/// `resource underwriting claim [--wait]`: sends back the released unbondings of `--from`; with
/// `wait`, first waits for the earliest one.
pub async fn claim_command(signer: &Signer<'_>, wait: bool, output: Output) -> anyhow::Result<()> {
    let (session, amount, tx, position) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let mut attempts = 0;
        if wait {
            let before = s.underwriter(wallet.address()).await?;
            let next = before.unbonding.iter().map(|u| u.release_at).min();
            let next = next.ok_or_else(|| UnderwritingCliError::NothingUnbonding { who: signer.from.to_string() })?;
            wait_until(next, "the unbonding to be released", progress).await;
        }
        let tx = loop {
            progress.step(&format!("{} claims its released unbondings", signer.from));
            let hint = if wait { "" } else { "; `--wait` waits for the next release" };
            match s.execute(&wallet, &ExecuteMsg::Claim {}, &[], "Claim", hint).await {
                Err(e) if wait && attempts < CLOCK_RETRIES && e.to_string().contains("nothing to claim yet") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                result => break result?,
            }
        };
        let amount: u128 = parse_attribute(&tx, "amount")?;
        let position = s.underwriter(wallet.address()).await?;
        Ok((s, amount, tx, position))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "claimed": amount.to_string(), "underwriter": position}));
        return Ok(());
    }
    println!("{} claimed {} of released stake back ({})", signer.from, session.stake.show(amount), tx_note(&tx));
    print_position(&session, signer.from, &position);
    Ok(())
}

/// What `apply` sends besides the amount.
pub struct Application<'a> {
    pub term: u64,
    /// Sequence numbers of the applicant's verified claims in the DID registry.
    pub claims: Vec<u64>,
    /// Members vouching for the applicant (test accounts or addresses).
    pub vouchers: &'a [String],
}

/// `resource underwriting apply AMOUNT --term DURATION [--claim SEQ] [--voucher ACCOUNT]`: `--from`
/// applies for a credit line.
pub async fn apply_command(
    signer: &Signer<'_>,
    amount: &str,
    request: &Application<'_>,
    output: Output,
) -> anyhow::Result<()> {
    let term = request.term;
    let (session, application, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let amount = s.credit.parse(amount)?;
        let vouchers = request.vouchers.iter().map(|v| s.address_of(v)).collect::<anyhow::Result<Vec<_>>>()?;
        progress.step(&format!(
            "{} applies for {} over {}",
            signer.from,
            s.credit.show(amount),
            format::duration(term)
        ));
        let msg = ExecuteMsg::Apply { amount: amount.into(), term, claims: request.claims.clone(), vouchers };
        let tx = s.execute(&wallet, &msg, &[], "Apply", "").await?;
        let application = s.application(parse_attribute(&tx, "application")?).await?;
        Ok((s, application, tx))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "application": application}));
        return Ok(());
    }
    let rules = &session.config.rules;
    println!(
        "{} applied for {} over {}: application {}, open for backing until {}; it needs {} of backing from at least \
         {} underwriters ({})",
        signer.from,
        session.credit.show(application.amount.u128()),
        format::duration(application.term),
        application.id,
        format::utc(application.expires_at),
        session.stake.show(application.required_backing.u128()),
        rules.min_underwriters,
        tx_note(&tx)
    );
    println!(
        "The scoring function suggests a limit of {}",
        super::report::suggestion(&application.suggestion, &session.credit)
    );
    print_application(&session, &application);
    Ok(())
}

/// `resource underwriting expire APPLICATION` (anyone, after its open period) and `reject
/// APPLICATION` (the admin or the applicant): an open application ends and its backing is released.
pub async fn close_command(signer: &Signer<'_>, id: u64, reject: bool, output: Output) -> anyhow::Result<()> {
    let (action, verb) = if reject { ("Reject", "rejected") } else { ("Expire", "expired") };
    let (session, application, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        s.application(id).await?;
        progress.step(&format!("{} sends {action} for application {id}", signer.from));
        let msg = if reject { ExecuteMsg::Reject { application: id } } else { ExecuteMsg::Expire { application: id } };
        let hint = if reject { "" } else { "; `resource underwriting status` shows when it expires" };
        let tx = s.execute(&wallet, &msg, &[], action, hint).await?;
        let application = s.application(id).await?;
        Ok((s, application, tx))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "application": application}));
        return Ok(());
    }
    println!("application {id} {verb}: every backing is released ({})", tx_note(&tx));
    print_application(&session, &application);
    Ok(())
}

/// `resource underwriting vouch NEWCOMER AMOUNT`: `--from` reserves `AMOUNT` of its own credit line
/// for `NEWCOMER`; without an amount (`cancel-vouch`) it withdraws its vouch instead.
pub async fn vouch_command(
    signer: &Signer<'_>,
    newcomer: &str,
    amount: Option<&str>,
    output: Output,
) -> anyhow::Result<()> {
    let (session, vouch, account, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let newcomer = s.address_of(newcomer)?;
        let (msg, action) = match amount {
            Some(amount) => {
                let amount = s.credit.parse(amount)?;
                progress.step(&format!("{} vouches {} for {newcomer}", signer.from, s.credit.show(amount)));
                (ExecuteMsg::Vouch { newcomer: newcomer.clone(), amount: amount.into() }, "Vouch")
            }
            None => {
                progress.step(&format!("{} cancels its vouch for {newcomer}", signer.from));
                (ExecuteMsg::CancelVouch { newcomer: newcomer.clone() }, "CancelVouch")
            }
        };
        let tx = s.execute(&wallet, &msg, &[], action, "").await?;
        let query = QueryMsg::VouchOf { voucher: wallet.address().to_string(), newcomer };
        let vouch: VouchResponse = s.client.query_smart(&s.contract, &query).await?;
        let account = s.credit_account(wallet.address()).await?;
        Ok((s, vouch, account, tx))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "vouch": vouch, "voucher_account": account}));
        return Ok(());
    }
    let names = names(&session);
    let name = namer(&names);
    let credit = &session.credit;
    match amount {
        Some(_) => println!(
            "{} vouches for {}: {} of its line is reserved, {} is still available to it ({})",
            signer.from,
            name(vouch.newcomer.as_str()),
            credit.show(vouch.amount.u128()),
            credit.show(account.available.u128()),
            tx_note(&tx)
        ),
        None => println!(
            "{} cancelled its vouch for {}: the reservation is released ({})",
            signer.from,
            name(vouch.newcomer.as_str()),
            tx_note(&tx)
        ),
    }
    println!("{}", super::report::vouches_table(std::slice::from_ref(&vouch), &name, credit));
    Ok(())
}

/// A claim as `suggest --claim` takes it: `TYPE:PREDICATE`.
pub fn parse_claim(text: &str) -> Result<ClaimInput, String> {
    match text.split_once(':') {
        Some((claim_type, predicate)) if !claim_type.trim().is_empty() && !predicate.trim().is_empty() => {
            Ok(ClaimInput { claim_type: claim_type.trim().to_string(), predicate: predicate.trim().to_string() })
        }
        _ => Err(format!(
            "`{text}` is not a claim; write TYPE:PREDICATE, e.g. platform_rating:rating>=45;reviews>=100, \
             revenue_band:band>=3 or months_active:months>=24"
        )),
    }
}

/// `resource underwriting suggest [--claim TYPE:PREDICATE]... [--member ACCOUNT]`: the limit the
/// contract's scoring function suggests for those claims taken as proven, with the member's
/// repayment history when the contract has a DID registry.
pub async fn suggest_command(
    signer: &Signer<'_>,
    claims: &[ClaimInput],
    member: Option<&str>,
    output: Output,
) -> anyhow::Result<()> {
    let (session, answer) = with_progress(async |progress| {
        let s = Session::open(signer.home, signer.contract, progress).await?;
        let member = member.map(|m| s.address_of(m)).transpose()?;
        let query = QueryMsg::SuggestedLimit { claims: claims.to_vec(), member };
        let answer: SuggestionResponse = s.client.query_smart(&s.contract, &query).await?;
        Ok((s, answer))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"suggestion": answer}));
        return Ok(());
    }
    let credit = &session.credit;
    println!("Suggested limit: {}", credit.show(answer.limit.u128()));
    let mut t = table(["reason"]);
    for r in &answer.reasons {
        t.add_row([super::report::reason(r, credit)]);
    }
    println!("{t}");
    println!("Underwriters decide: the suggestion is shown to them with every application.");
    Ok(())
}

/// `resource underwriting back APPLICATION AMOUNT`: `--from` backs an application with free stake;
/// the backing that meets the rules approves it and opens the line.
pub async fn back_command(signer: &Signer<'_>, id: u64, amount: &str, output: Output) -> anyhow::Result<()> {
    let (session, application, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let amount = s.stake.parse(amount)?;
        // A missing application and missing stake are named before anything is signed.
        s.application(id).await?;
        s.check_free_stake(signer.from, wallet.address(), amount).await?;
        progress.step(&format!("{} backs application {id} with {}", signer.from, s.stake.show(amount)));
        let msg = ExecuteMsg::Back { application: id, amount: amount.into() };
        let tx = s.execute(&wallet, &msg, &[], "Back", "").await?;
        let application = s.application(id).await?;
        Ok((s, application, tx))
    })
    .await?;
    let approved = attribute(&tx, "approved") == Some("true");
    if output == Output::Json {
        print_json(&json!({
            "tx": tx_json(&tx),
            "approved": approved,
            "pending": attribute(&tx, "pending"),
            "application": application,
        }));
        return Ok(());
    }
    let names = names(&session);
    let outcome = match (approved, application.term_end) {
        (true, Some(end)) => format!(
            "approved: the credit token opened a line of {} for {} until {}",
            session.credit.show(application.amount.u128()),
            namer(&names)(application.applicant.as_str()),
            format::utc(end)
        ),
        _ => format!(
            "not approved yet: {}",
            pending(&application, &session.config, &session.stake).unwrap_or_else(|| "see the contract".into())
        ),
    };
    println!("{} backs application {id}; {outcome} ({})", signer.from, tx_note(&tx));
    print_application(&session, &application);
    Ok(())
}

/// `resource underwriting withdraw APPLICATION AMOUNT`: `--from` takes back backing of an
/// application not yet approved.
pub async fn withdraw_command(signer: &Signer<'_>, id: u64, amount: &str, output: Output) -> anyhow::Result<()> {
    let (session, application, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let amount = s.stake.parse(amount)?;
        s.application(id).await?;
        progress.step(&format!("{} withdraws {} from application {id}", signer.from, s.stake.show(amount)));
        let msg = ExecuteMsg::Withdraw { application: id, amount: amount.into() };
        let tx = s.execute(&wallet, &msg, &[], "Withdraw", "").await?;
        let application = s.application(id).await?;
        Ok((s, application, tx))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "application": application}));
        return Ok(());
    }
    println!("{} withdrew backing from application {id} ({})", signer.from, tx_note(&tx));
    print_application(&session, &application);
    Ok(())
}

/// One backer's share of a settlement.
#[derive(Serialize)]
struct SettledBacker {
    underwriter: String,
    backing: String,
    slashed: String,
}

/// `resource underwriting settle APPLICATION [--wait]`: settles an approved application whose term
/// ended; with `wait`, first waits for the term end and, if the member owes, for the moment the
/// token can declare the default.
pub async fn settle_command(signer: &Signer<'_>, id: u64, wait: bool, output: Output) -> anyhow::Result<()> {
    let (session, before, after, tx) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        let before = s.application(id).await?;
        let (ApplicationStatus::Approved, Some(term_end)) = (before.status, before.term_end) else {
            return Err(UnderwritingCliError::NotSettleable { id, status: before.status }.into());
        };
        if wait {
            wait_until(term_end, &format!("the term of application {id} to end"), progress).await;
            let account = s.credit_account(before.applicant.as_str()).await?;
            if account.balance.i128() < 0 {
                if let Some(at) = account.line.as_ref().and_then(|l| l.default_declarable_at) {
                    let what = format!("the grace period of application {id} to pass (the member owes)");
                    wait_until(at, &what, progress).await;
                }
            }
        }
        let hint = if wait { "" } else { "; `--wait` waits for that" };
        let mut attempts = 0;
        let tx = loop {
            progress.step(&format!("settling application {id}"));
            match s.execute(&wallet, &ExecuteMsg::Settle { application: id }, &[], "Settle", hint).await {
                Err(e) if wait && attempts < CLOCK_RETRIES && e.to_string().contains("(unix seconds)") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                result => break result?,
            }
        };
        let after = s.application(id).await?;
        Ok((s, before, after, tx))
    })
    .await?;
    let slashed: BTreeMap<String, u128> = tx
        .wasm_attributes()
        .into_iter()
        .filter(|(k, _)| *k == "slashed")
        .filter_map(|(_, v)| {
            let (who, amount) = v.rsplit_once(':')?;
            Some((who.to_string(), amount.parse().ok()?))
        })
        .collect();
    let backers: Vec<SettledBacker> = before
        .backers
        .iter()
        .map(|b| SettledBacker {
            underwriter: b.underwriter.to_string(),
            backing: b.amount.to_string(),
            slashed: slashed.get(b.underwriter.as_str()).copied().unwrap_or(0).to_string(),
        })
        .collect();
    let outcome = attribute(&tx, "outcome").unwrap_or("?").to_string();
    let loss: u128 = attribute(&tx, "loss").and_then(|v| v.parse().ok()).unwrap_or(0);
    let to_reserve: u128 = attribute(&tx, "to_reserve").and_then(|v| v.parse().ok()).unwrap_or(0);
    if output == Output::Json {
        print_json(&json!({
            "tx": tx_json(&tx),
            "outcome": outcome,
            "loss": loss.to_string(),
            "to_reserve": to_reserve.to_string(),
            "backers": backers,
            "application": after,
        }));
        return Ok(());
    }
    let names = names(&session);
    let name = namer(&names);
    let (credit, stake) = (&session.credit, &session.stake);
    if outcome == "defaulted" {
        println!(
            "application {id} defaulted: {} owed {}; the token declared the default (its loss account takes the debt) \
             and the backers lost {} of stake to the reserve {} ({})",
            name(before.applicant.as_str()),
            credit.show(loss),
            stake.show(to_reserve),
            session.config.reserve,
            tx_note(&tx)
        );
    } else {
        println!("application {id} {outcome}: every backer's stake is released ({})", tx_note(&tx));
    }
    let mut t = table(["backer", "backing", "slashed", "released"]);
    for b in &before.backers {
        let lost = slashed.get(b.underwriter.as_str()).copied().unwrap_or(0);
        t.add_row([
            name(b.underwriter.as_str()),
            stake.show(b.amount.u128()),
            stake.show(lost),
            stake.show(b.amount.u128() - lost),
        ]);
    }
    println!("{}", super::report::align_right(t, 1..4));
    print_application(&session, &after);
    Ok(())
}

/// `resource underwriting distribute-fees`: the fees that arrived since the last distribution
/// become rewards, by exposure.
pub async fn distribute_fees_command(signer: &Signer<'_>, output: Output) -> anyhow::Result<()> {
    let (session, tx, pool, held) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        progress.step("distributing the new fees");
        let tx = s.execute(&wallet, &ExecuteMsg::DistributeFees {}, &[], "DistributeFees", "").await?;
        let (pool, held) = (s.pool().await?, s.credit_held().await?);
        Ok((s, tx, pool, held))
    })
    .await?;
    let read = |key| attribute(&tx, key).and_then(|v| v.parse::<u128>().ok()).unwrap_or(0);
    let (fees, to_underwriters, to_reserve) = (read("fees"), read("to_underwriters"), read("to_reserve"));
    if output == Output::Json {
        print_json(&json!({
            "tx": tx_json(&tx),
            "fees": fees.to_string(),
            "to_underwriters": to_underwriters.to_string(),
            "to_reserve": to_reserve.to_string(),
            "pool": pool,
            "credit_held": held.to_string(),
        }));
        return Ok(());
    }
    let credit = &session.credit;
    println!(
        "{} of new fees: {} became rewards by exposure, {} went to the reserve (nobody was exposed) ({})",
        credit.show(fees),
        credit.show(to_underwriters),
        credit.show(to_reserve),
        tx_note(&tx)
    );
    println!("{}", pool_table(&pool, held, credit, &session.stake));
    Ok(())
}

/// `resource underwriting claim-rewards`: pays `--from` its accrued rewards in credit.
pub async fn claim_rewards_command(signer: &Signer<'_>, output: Output) -> anyhow::Result<()> {
    let (session, amount, tx, position) = with_progress(async |progress| {
        let (s, wallet) = open(signer, progress).await?;
        progress.step(&format!("{} claims its rewards", signer.from));
        let hint = "; fees become rewards only after `resource underwriting distribute-fees`";
        let tx = s.execute(&wallet, &ExecuteMsg::ClaimRewards {}, &[], "ClaimRewards", hint).await?;
        let amount: u128 = parse_attribute(&tx, "amount")?;
        let position = s.underwriter(wallet.address()).await?;
        Ok((s, amount, tx, position))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({"tx": tx_json(&tx), "claimed": amount.to_string(), "underwriter": position}));
        return Ok(());
    }
    println!("{} was paid {} of rewards ({})", signer.from, session.credit.show(amount), tx_note(&tx));
    print_position(&session, signer.from, &position);
    Ok(())
}

/// What `status` lists of the applications.
pub struct Listing {
    /// The statuses to list; every status when empty.
    pub statuses: Vec<ApplicationStatus>,
    pub start_after: Option<u64>,
    pub limit: u32,
}

/// One status's page of applications, as the JSON document shows it.
#[derive(Serialize)]
struct Page {
    status: ApplicationStatus,
    applications: Vec<ApplicationResponse>,
    /// Pass as `--start-after` for the next page; `null` when this page is the last.
    next_start_after: Option<u64>,
}

/// `resource underwriting status`: the configuration, the pool, the position of `address` (or of
/// `--from`) and a page of applications per status.
pub async fn status_command(
    signer: &Signer<'_>,
    address: Option<&str>,
    listing: &Listing,
    output: Output,
) -> anyhow::Result<()> {
    let (session, who, (position, member, vouches), pool, held, pages) = with_progress(async |progress| {
        let s = Session::open(signer.home, signer.contract, progress).await?;
        let who = s.address_of(address.unwrap_or(signer.from))?;
        progress.step("reading the pool, the position and the applications");
        let position = s.underwriter(&who).await?;
        let member: MemberExposureResponse =
            s.client.query_smart(&s.contract, &QueryMsg::MemberExposure { member: who.clone() }).await?;
        let query = QueryMsg::VouchesFor { newcomer: who.clone(), start_after: None, limit: Some(listing.limit) };
        let vouches: VouchesResponse = s.client.query_smart(&s.contract, &query).await?;
        let position = (position, member, vouches.vouches);
        let (pool, held) = (s.pool().await?, s.credit_held().await?);
        let statuses = if listing.statuses.is_empty() { STATUSES.to_vec() } else { listing.statuses.clone() };
        let mut pages = Vec::new();
        for status in statuses {
            let applications = s.applications(status, listing.start_after, listing.limit).await?;
            let full = listing.limit > 0 && applications.len() as u32 >= listing.limit;
            let next_start_after = full.then(|| applications.last().map(|a| a.id)).flatten();
            pages.push(Page { status, applications, next_start_after });
        }
        Ok((s, who, position, pool, held, pages))
    })
    .await?;
    if output == Output::Json {
        print_json(&json!({
            "contract": session.contract,
            "chain_id": session.client.config().chain_id,
            "config": session.config,
            "units": {"credit": session.credit, "stake": session.stake},
            "pool": pool,
            "credit_held": held.to_string(),
            "underwriter": position,
            "member": member,
            "vouches_for": vouches,
            "applications": pages,
        }));
        return Ok(());
    }
    let names = names(&session);
    let name = namer(&names);
    println!("Underwriting contract {} on {}", session.contract, session.client.config().chain_id);
    println!(
        "{}",
        config_table(&session.config, &describe_stake(&session.config.stake_asset), &session.credit, &session.stake)
    );
    println!("Reward pool (fees become rewards only after `resource underwriting distribute-fees`):");
    println!("{}", pool_table(&pool, held, &session.credit, &session.stake));
    let label = match names.get(&who) {
        Some(account) => format!("{account} ({who})"),
        None => who.clone(),
    };
    println!("Underwriter {label}:");
    print_position(&session, &name(&who), &position);
    let vouched = member.vouched_for.u128() > 0 || member.vouching.u128() > 0;
    if member.application.is_some() || vouched {
        println!("Member {label}: what stands behind its credit");
        println!("{}", super::report::member_table(&member, &session.credit, &session.stake));
    }
    if !vouches.is_empty() {
        println!("Vouches for {label}:");
        println!("{}", super::report::vouches_table(&vouches, &name, &session.credit));
    }
    let now = now();
    for page in &pages {
        if page.applications.is_empty() {
            if !listing.statuses.is_empty() {
                println!("No {} applications.", page.status);
            }
            continue;
        }
        println!("Applications {}:", page.status);
        println!("{}", applications_table(&page.applications, &name, &session.credit, &session.stake, now));
        if let Some(next) = page.next_start_after {
            println!("more {} applications: add `--status {} --start-after {next}`", page.status, page.status);
        }
    }
    if pages.iter().all(|p| p.applications.is_empty()) {
        println!("No applications{}.", if listing.start_after.is_some() { " after that id" } else { "" });
    }
    Ok(())
}
