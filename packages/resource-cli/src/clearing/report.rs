//! What `resource clearing solve` prints: a readable report, or one JSON document.
use serde::Serialize;

use super::{SetOffFile, Solved};
use crate::format::grouped;
use crate::ui::table;

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
#[derive(Debug, Serialize)]
pub struct Report {
    /// Amounts as decimal strings: exact beyond 2^53.
    pub cleared: String,
    /// Rounded to six decimals.
    pub cleared_fraction: f64,
    pub gross: String,
    pub obligations: usize,
    pub participants: usize,
    pub set_off: SetOffFile,
    pub solve_ms: u64,
    pub still_open: usize,
}

/// The `--json` document of `s`.
pub fn report_json(s: &Solved) -> Report {
    Report {
        cleared: s.cleared.to_string(),
        cleared_fraction: (s.cleared_fraction() * 1e6).round() / 1e6,
        gross: s.gross.to_string(),
        obligations: s.obligations,
        participants: s.participants,
        set_off: SetOffFile::from(&s.set_off),
        solve_ms: s.solve_time.as_millis() as u64,
        still_open: s.remaining,
    }
}
