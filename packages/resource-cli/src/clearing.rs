//! `resource clearing`: multilateral set-off off chain.
//!
//! `solve` reads an obligation list (CSV or JSON), finds the optimal set-off with
//! `resource_core::clearing::solve` (the same function the SDK calls), checks it with the same
//! `verify` the clearing contract runs, and prints what disappears. The set-off it writes with
//! `--out` is the `entries` list the contract's `SubmitSetOff` takes.
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use resource_core::clearing::{self, ClearingError, Obligation, SetOff};
use serde::{Deserialize, Serialize};

use crate::ui::{table, Progress};

/// Inputs larger than this get a progress bar while they are read.
const PROGRESS_BYTES: u64 = 1 << 20;

/// What went wrong, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ClearingCliError {
    // `error`, not `source`: the message already includes it, and `{:#}` would print it twice.
    #[error("cannot read {path}: {error}; check the path")]
    Read { path: PathBuf, error: std::io::Error },
    #[error("cannot write {path}: {error}")]
    Write { path: PathBuf, error: std::io::Error },
    #[error("{path}: the CSV header has no `{column}` column; the header must name id, debtor, creditor and amount")]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("{path}, line {line}: {message}")]
    Line { path: PathBuf, line: u64, message: String },
    #[error("{path}: not a JSON list of obligations ({message}); expected [{{\"id\": 1, \"debtor\": \"..\", \"creditor\": \"..\", \"amount\": \"100\"}}, ...]")]
    Json { path: PathBuf, message: String },
    #[error("{path}: not a set-off file ({message}); write one with `resource clearing solve --out FILE`")]
    SetOffFile { path: PathBuf, message: String },
    #[error("{path}: unknown format; name the file *.csv or *.json")]
    Format { path: PathBuf },
    #[error(transparent)]
    Clearing(#[from] ClearingError),
}

/// One obligation as written in a JSON input: amounts as strings (exact beyond 2^53) or numbers.
#[derive(Debug, Deserialize)]
struct JsonObligation {
    id: u64,
    debtor: String,
    creditor: String,
    amount: Amount,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Amount {
    Text(String),
    Number(u64),
}

fn parse_amount(text: &str) -> Result<u128, String> {
    let t = text.trim();
    t.parse::<u128>().map_err(|_| format!("amount `{t}` is not a whole number of base units (e.g. 1250 for 0.00125)"))
}

/// Reads obligations from `path` (`.csv` with a header naming `id,debtor,creditor,amount` in any
/// order, or `.json`, a list of objects). Large files show a progress bar.
pub fn read_obligations(path: &Path, progress: &Progress) -> Result<Vec<Obligation<String>>, ClearingCliError> {
    let read_err = |error| ClearingCliError::Read { path: path.to_path_buf(), error };
    let file = File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();
    let bar = (size > PROGRESS_BYTES).then(|| progress.bytes_bar(size, "reading obligations"));
    let reader: Box<dyn Read> = match &bar {
        Some(bar) => Box::new(bar.wrap_read(BufReader::new(file))),
        None => Box::new(BufReader::new(file)),
    };
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let obligations = match ext.as_deref() {
        Some("csv") => read_csv(path, reader),
        Some("json") => read_json(path, reader),
        _ => Err(ClearingCliError::Format { path: path.to_path_buf() }),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    obligations
}

fn read_csv(path: &Path, reader: impl Read) -> Result<Vec<Obligation<String>>, ClearingCliError> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let line_err = |line: u64, message: String| ClearingCliError::Line { path: path.to_path_buf(), line, message };
    let headers = csv.headers().map_err(|e| line_err(1, e.to_string()))?.clone();
    let column = |name: &'static str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or(ClearingCliError::MissingColumn { path: path.to_path_buf(), column: name })
    };
    let (id, debtor, creditor, amount) = (column("id")?, column("debtor")?, column("creditor")?, column("amount")?);
    let mut out = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            line_err(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize, name: &str| {
            record.get(i).filter(|v| !v.is_empty()).ok_or_else(|| line_err(line, format!("`{name}` is empty")))
        };
        let id = field(id, "id")?.parse::<u64>().map_err(|_| line_err(line, "`id` is not a whole number".into()))?;
        out.push(Obligation {
            id,
            debtor: field(debtor, "debtor")?.to_string(),
            creditor: field(creditor, "creditor")?.to_string(),
            amount: parse_amount(field(amount, "amount")?).map_err(|m| line_err(line, m))?,
        });
    }
    Ok(out)
}

fn read_json(path: &Path, reader: impl Read) -> Result<Vec<Obligation<String>>, ClearingCliError> {
    let list: Vec<JsonObligation> = serde_json::from_reader(reader)
        .map_err(|e| ClearingCliError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    list.into_iter()
        .map(|o| {
            let amount = match o.amount {
                Amount::Text(t) => parse_amount(&t),
                Amount::Number(n) => Ok(u128::from(n)),
            }
            .map_err(|message| ClearingCliError::Json {
                path: path.to_path_buf(),
                message: format!("obligation {}: {message}", o.id),
            })?;
            Ok(Obligation { id: o.id, debtor: o.debtor, creditor: o.creditor, amount })
        })
        .collect()
}

/// The result of solving one round.
#[derive(Debug)]
pub struct Solved {
    pub set_off: SetOff,
    pub obligations: usize,
    pub participants: usize,
    pub gross: u128,
    pub cleared: u128,
    pub solve_time: Duration,
    /// Cleared amount per participant (equal on its debtor and creditor sides), largest first.
    pub per_participant: Vec<(String, u128)>,
    /// Obligations still open after the set-off.
    pub remaining: usize,
}

impl Solved {
    pub fn cleared_fraction(&self) -> f64 {
        if self.gross == 0 {
            0.0
        } else {
            self.cleared as f64 / self.gross as f64
        }
    }
}

/// Solves `obligations` and checks the answer with the contract's own verification.
pub fn solve(obligations: &[Obligation<String>]) -> Result<Solved, ClearingCliError> {
    let started = Instant::now();
    let set_off = clearing::solve(obligations)?;
    let solve_time = started.elapsed();
    let participants = clearing::net_positions(obligations)?.len();
    let gross =
        obligations.iter().try_fold(0u128, |sum, o| sum.checked_add(o.amount)).ok_or(ClearingError::Overflow)?;
    let (cleared, mut per_participant, remaining) = if set_off.entries.is_empty() {
        (0, Vec::new(), obligations.iter().filter(|o| o.amount > 0).count())
    } else {
        let verified = clearing::verify(obligations, &set_off)?;
        (verified.total, verified.per_participant, clearing::remaining(obligations, &set_off)?.len())
    };
    per_participant.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Solved {
        set_off,
        obligations: obligations.len(),
        participants,
        gross,
        cleared,
        solve_time,
        per_participant,
        remaining,
    })
}

/// The set-off as the clearing contract's `SubmitSetOff` entries take it (amounts as strings).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SetOffFile {
    pub entries: Vec<SetOffFileEntry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SetOffFileEntry {
    pub id: u64,
    pub amount: String,
}

impl From<&SetOff> for SetOffFile {
    fn from(s: &SetOff) -> Self {
        SetOffFile {
            entries: s.entries.iter().map(|e| SetOffFileEntry { id: e.id, amount: e.amount.to_string() }).collect(),
        }
    }
}

pub fn write_set_off(path: &Path, set_off: &SetOff) -> Result<(), ClearingCliError> {
    let text = serde_json::to_string_pretty(&SetOffFile::from(set_off)).expect("plain data serializes");
    std::fs::write(path, text + "\n").map_err(|error| ClearingCliError::Write { path: path.to_path_buf(), error })
}

// ---------------------------------------------------------------------------------------------
// against a chain

/// One obligation as the clearing contract's queries return it (the fields used here).
#[derive(Debug, Deserialize)]
struct ChainObligation {
    id: u64,
    debtor: String,
    creditor: String,
    remaining: String,
}

#[derive(Debug, Deserialize)]
struct ChainObligations {
    obligations: Vec<ChainObligation>,
}

#[derive(Debug, Deserialize)]
pub struct ChainTotals {
    pub gross_outstanding: String,
    pub cleared_to_date: String,
    pub outstanding_obligations: u64,
    pub rounds: u64,
}

/// Page size of the `Outstanding` query (the contract's maximum).
const PAGE: u32 = 100;

/// The outstanding obligations of a clearing contract, every page, with their remaining amounts:
/// the input of the next round.
pub async fn fetch_outstanding(
    client: &resource_client::ChainClient,
    contract: &str,
    progress: &Progress,
) -> anyhow::Result<Vec<Obligation<String>>> {
    let totals = totals(client, contract).await?;
    let mut out: Vec<Obligation<String>> = Vec::with_capacity(totals.outstanding_obligations as usize);
    let mut start_after: Option<u64> = None;
    loop {
        progress.step(&format!("reading outstanding obligations: {} of {}", out.len(), totals.outstanding_obligations));
        let page: ChainObligations = client
            .query_smart(contract, &serde_json::json!({"outstanding": {"start_after": start_after, "limit": PAGE}}))
            .await?;
        let Some(last) = page.obligations.last().map(|o| o.id) else { break };
        for o in page.obligations {
            let amount = parse_amount(&o.remaining).map_err(|m| anyhow::anyhow!("obligation {}: {m}", o.id))?;
            out.push(Obligation { id: o.id, debtor: o.debtor, creditor: o.creditor, amount });
        }
        start_after = Some(last);
    }
    Ok(out)
}

pub async fn totals(client: &resource_client::ChainClient, contract: &str) -> anyhow::Result<ChainTotals> {
    Ok(client.query_smart(contract, &serde_json::json!({"totals": {}})).await?)
}

/// Reads a set-off file written by `solve --out`.
pub fn read_set_off(path: &Path) -> Result<SetOffFile, ClearingCliError> {
    let text =
        std::fs::read_to_string(path).map_err(|error| ClearingCliError::Read { path: path.to_path_buf(), error })?;
    serde_json::from_str(&text)
        .map_err(|e| ClearingCliError::SetOffFile { path: path.to_path_buf(), message: e.to_string() })
}

/// Submits `set_off` as the contract's next round (or `round`); returns the transaction.
pub async fn submit(
    client: &resource_client::ChainClient,
    wallet: &resource_client::Wallet,
    contract: &str,
    set_off: &SetOffFile,
    round: Option<u64>,
) -> anyhow::Result<(u64, resource_client::TxOutcome)> {
    let round = match round {
        Some(r) => r,
        None => totals(client, contract).await?.rounds + 1,
    };
    let msg = serde_json::json!({"submit_set_off": {"round": round, "entries": set_off.entries}});
    let outcome = client.execute(wallet, contract, &msg, &[], resource_client::Gas::Auto).await?;
    Ok((round, outcome))
}

/// `1234567` -> `1,234,567`.
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The summary table and the participants who saw the most debt disappear.
pub fn print_report(s: &Solved, top: usize) {
    let mut summary =
        table(["obligations", "participants", "gross debt", "cleared", "cleared %", "still open", "solve time"]);
    summary.add_row([
        grouped(s.obligations as u128),
        grouped(s.participants as u128),
        grouped(s.gross),
        grouped(s.cleared),
        format!("{:.1} %", 100.0 * s.cleared_fraction()),
        grouped(s.remaining as u128),
        format!("{:.0} ms", s.solve_time.as_secs_f64() * 1000.0),
    ]);
    println!("{summary}");
    if s.per_participant.is_empty() {
        println!("No cycle of obligations: nothing can be cleared; settle with credit-token payments instead.");
        return;
    }
    let mut who = table(["participant", "debt cleared (= claims cleared)"]);
    for (p, amount) in s.per_participant.iter().take(top) {
        who.add_row([p.clone(), grouped(*amount)]);
    }
    println!(
        "{} set-off entries; the {} participants with the most debt cleared:",
        grouped(s.set_off.entries.len() as u128),
        top.min(s.per_participant.len())
    );
    println!("{who}");
    println!(
        "Every participant's net position is unchanged: each has exactly as much of its debts cleared as of its claims."
    );
}

/// The `--json` document: summary figures and the set-off.
pub fn report_json(s: &Solved) -> serde_json::Value {
    serde_json::json!({
        "obligations": s.obligations,
        "participants": s.participants,
        "gross": s.gross.to_string(),
        "cleared": s.cleared.to_string(),
        "cleared_fraction": (s.cleared_fraction() * 1e6).round() / 1e6,
        "still_open": s.remaining,
        "solve_ms": s.solve_time.as_millis() as u64,
        "set_off": SetOffFile::from(&s.set_off),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn csv_and_json_inputs_solve_the_same() {
        let dir = std::env::temp_dir().join(format!("resource-clearing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let csv = write(&dir, "o.csv", "amount,id,debtor,creditor\n100,1,a,b\n70, 2 ,b,c\n50,3,c,a\n30,4,d,a\n");
        let json = write(
            &dir,
            "o.json",
            r#"[{"id":1,"debtor":"a","creditor":"b","amount":"100"},{"id":2,"debtor":"b","creditor":"c","amount":70},
                {"id":3,"debtor":"c","creditor":"a","amount":"50"},{"id":4,"debtor":"d","creditor":"a","amount":"30"}]"#,
        );
        let p = Progress::new();
        let a = read_obligations(&csv, &p).unwrap();
        let b = read_obligations(&json, &p).unwrap();
        assert_eq!(a, b);
        let s = solve(&a).unwrap();
        assert_eq!((s.gross, s.cleared, s.participants, s.remaining), (250, 150, 4, 3));
        assert_eq!(s.per_participant[0], ("a".to_string(), 50));
        let out = dir.join("setoff.json");
        write_set_off(&out, &s.set_off).unwrap();
        let file: SetOffFile = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(file.entries.len(), 3);
        assert_eq!(file.entries[0], SetOffFileEntry { id: 1, amount: "50".into() });
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_inputs_name_the_line_and_the_fix() {
        let dir = std::env::temp_dir().join(format!("resource-clearing-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = Progress::new();
        let err = |name: &str, text: &str| read_obligations(&write(&dir, name, text), &p).unwrap_err().to_string();
        assert!(err("a.csv", "id,debtor,amount\n1,a,5\n").contains("no `creditor` column"));
        assert!(err("b.csv", "id,debtor,creditor,amount\n1,a,b,5\n2,b,a,1.5\n")
            .contains("line 3: amount `1.5` is not a whole number"));
        assert!(err("c.csv", "id,debtor,creditor,amount\nx,a,b,5\n").contains("line 2: `id` is not a whole number"));
        assert!(err("d.csv", "id,debtor,creditor,amount\n1,,b,5\n").contains("`debtor` is empty"));
        assert!(err("e.json", "{}").contains("not a JSON list of obligations"));
        assert!(err("f.txt", "").contains("name the file *.csv or *.json"));
        let missing = read_obligations(&dir.join("missing.csv"), &p).unwrap_err().to_string();
        assert!(missing.contains("cannot read") && missing.contains("check the path"), "{missing}");
        let dup = read_obligations(&write(&dir, "g.csv", "id,debtor,creditor,amount\n1,a,b,5\n1,b,a,5\n"), &p).unwrap();
        assert!(solve(&dup).unwrap_err().to_string().contains("appears twice"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
