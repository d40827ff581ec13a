//! `resource clearing`: multilateral set-off off chain.
//!
//! `solve` reads an obligation list (CSV or JSON), finds the optimal set-off with
//! `resource_core::clearing::solve` (the same function the SDK calls), checks it with the same
//! `verify` the clearing contract runs, and prints what disappears. The set-off it writes with
//! `--out` is the `entries` list the contract's `SubmitSetOff` takes.
use std::path::PathBuf;
use std::time::{Duration, Instant};

use resource_core::clearing::{self, ClearingError, Obligation, SetOff};

mod chain;
mod command;
mod files;
mod report;

pub use chain::{close_when_due, fetch_outstanding, submit, totals, SmartQuery};
pub use command::{solve_command, submit_command, Obligations};
pub use files::{read_obligations, read_set_off, write_set_off, SetOffFile};
pub use report::{print_report, report_json, Report};

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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use cosmwasm_std::Uint128;
    use resource_msgs::clearing::SetOffEntry;

    use super::*;
    use crate::ui::Progress;

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
        assert_eq!(file.entries[0], SetOffEntry { id: 1, amount: Uint128::new(50) });
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
}
