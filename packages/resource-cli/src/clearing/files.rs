//! The files of `resource clearing`: obligation lists (CSV or JSON) in, set-off files out and in.
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use resource_core::clearing::{Obligation, SetOff};
use resource_msgs::clearing::SetOffEntry;
use serde::{Deserialize, Serialize};

use super::ClearingCliError;
use crate::ui::Progress;

/// Inputs larger than this get a progress bar while they are read.
const PROGRESS_BYTES: u64 = 1 << 20;

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

/// A set-off file: the `entries` of the clearing contract's `SubmitSetOff`, in their wire form
/// (amounts as decimal strings).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SetOffFile {
    pub entries: Vec<SetOffEntry>,
}

impl From<&SetOff> for SetOffFile {
    fn from(s: &SetOff) -> Self {
        SetOffFile { entries: s.entries.iter().map(|&entry| SetOffEntry::from(entry)).collect() }
    }
}

pub fn write_set_off(path: &Path, set_off: &SetOff) -> Result<(), ClearingCliError> {
    let text = serde_json::to_string_pretty(&SetOffFile::from(set_off)).expect("plain data serializes");
    std::fs::write(path, text + "\n").map_err(|error| ClearingCliError::Write { path: path.to_path_buf(), error })
}

/// Reads a set-off file written by `solve --out`.
pub fn read_set_off(path: &Path) -> Result<SetOffFile, ClearingCliError> {
    let text =
        std::fs::read_to_string(path).map_err(|error| ClearingCliError::Read { path: path.to_path_buf(), error })?;
    serde_json::from_str(&text)
        .map_err(|e| ClearingCliError::SetOffFile { path: path.to_path_buf(), message: e.to_string() })
}
