//! The demo's HTML report: one self-contained file (inline CSS, charts drawn as inline SVG here, no
//! script and no external URL) with the supply after every step, every account's balance at the
//! end, the debt before and after the clearing round, each step's page as the terminal showed it,
//! and the summary.
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use super::render::{rusd, rusd_u};
use super::scenario::{DECIMALS, SYMBOL};

/// What the report shows, gathered while the demo runs.
#[derive(Debug, Default)]
pub(super) struct Report {
    /// Where the story ran (the intro's `place`).
    pub(super) place: String,
    /// Each page the terminal showed: (heading, text).
    pub(super) pages: Vec<(String, String)>,
    /// The total supply after each step: (short label, full label, supply).
    pub(super) supply: Vec<(String, String, u128)>,
    /// Every account's balance at the end (non-zero ones), by name.
    pub(super) balances: Vec<(String, i128)>,
    /// The clearing round: outstanding debt before and after it.
    pub(super) clearing: Option<(u128, u128)>,
    /// The summary's text.
    pub(super) summary: String,
}

impl Report {
    /// Records a page of the story under `heading`.
    pub(super) fn page(&mut self, heading: &str, text: &str) {
        self.pages.push((heading.to_string(), text.trim_matches('\n').to_string()));
    }

    /// Records the supply after a step.
    pub(super) fn supply_after(&mut self, short: &str, label: &str, supply: u128) {
        self.supply.push((short.to_string(), label.to_string(), supply));
    }

    /// Writes the report to `path`.
    pub(super) fn write(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, self.html()).with_context(|| format!("writing the demo report to {}", path.display()))
    }

    /// The whole HTML document.
    pub(super) fn html(&self) -> String {
        let mut html = String::with_capacity(64 * 1024);
        html.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>ReSource on Cosmos demo report</title>\n<style>\n",
        );
        html.push_str(CSS);
        html.push_str("</style>\n</head>\n<body>\n<main>\n");
        let _ = writeln!(
            html,
            "<h1>ReSource on Cosmos: the Asheville pilot</h1>\n<p class=\"place\">Run on {}.</p>",
            escape(&self.place)
        );
        html.push_str("<section class=\"charts\">\n");
        let _ = writeln!(
            html,
            "<figure id=\"supply\"><figcaption>Total supply ({}) after each step</figcaption>\n{}</figure>",
            SYMBOL,
            supply_chart(&self.supply)
        );
        let _ = writeln!(
            html,
            "<figure id=\"balances\"><figcaption>Balances at the end ({}): money held above the axis, debt \
             below</figcaption>\n{}</figure>",
            SYMBOL,
            balance_chart(&self.balances)
        );
        if let Some((before, after)) = self.clearing {
            let _ = writeln!(
                html,
                "<figure id=\"clearing\"><figcaption>Clearing: debt between the businesses ({}) before and after \
                 the round, {} set off without any payment</figcaption>\n{}</figure>",
                SYMBOL,
                escape(&rusd_u(before.saturating_sub(after))),
                clearing_chart(before, after)
            );
        }
        html.push_str("</section>\n");
        let _ = writeln!(html, "<section class=\"summary\"><h2>Summary</h2>\n{}</section>", paragraphs(&self.summary));
        html.push_str("<section class=\"steps\"><h2>The story, step by step</h2>\n");
        for (heading, text) in &self.pages {
            let _ = writeln!(html, "<article><h3>{}</h3>\n<pre>{}</pre></article>", escape(heading), escape(text));
        }
        html.push_str("</section>\n</main>\n</body>\n</html>\n");
        html
    }
}

const CSS: &str = "body{margin:0;background:#f6f7f9;color:#1d2330;font:15px/1.45 system-ui,sans-serif}\n\
main{max-width:1180px;margin:0 auto;padding:24px}\n\
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 8px}\n\
.place{color:#5a6272;margin:0 0 18px}\n\
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}\n\
figure{margin:0;background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px}\n\
figure#supply{grid-column:1/3}\n\
figcaption{font-weight:600;margin-bottom:6px}\n\
svg{display:block;width:100%;height:auto}\n\
svg text{font:11px system-ui,sans-serif;fill:#3b4252}\n\
.grid{stroke:#e5e8ee}.axis{stroke:#6b7385;stroke-width:1}\n\
.line{fill:none;stroke:#2f6fdb;stroke-width:2.5}.point{fill:#2f6fdb}\n\
.bar.pos{fill:#2e9d63}.bar.neg{fill:#d0513f}.bar.before{fill:#8a94a8}.bar.after{fill:#2f6fdb}\n\
.summary p{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 14px;margin:0 0 10px}\n\
article{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px 14px;margin:0 0 12px}\n\
pre{margin:0;overflow-x:auto;font:12px/1.35 ui-monospace,monospace;white-space:pre}\n";

/// `text` safe inside HTML elements and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The summary's paragraphs (blank-line separated, wrapped lines joined).
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(&p)))
        .collect()
}

/// Base units as a number of whole tokens, for drawing.
fn tokens(units: f64) -> f64 {
    units / 10f64.powi(DECIMALS as i32)
}

/// A round upper bound for an axis reaching `max` (1, 2 or 5 times a power of ten), and its step.
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 0.25);
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for factor in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let top = factor * magnitude;
        if top >= max {
            return (top, top / 4.0);
        }
    }
    (10.0 * magnitude, 2.5 * magnitude)
}

/// A number of tokens for an axis label: `1,500`, `2.5`.
fn axis_label(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        let whole = value.abs() as u128;
        let digits = rusd_u(whole * 10u128.pow(DECIMALS));
        let digits = digits.strip_suffix(".00").unwrap_or(&digits);
        if value < 0.0 {
            format!("-{digits}")
        } else {
            digits.to_string()
        }
    } else {
        format!("{value}")
    }
}

const W: f64 = 1100.0;
const H: f64 = 320.0;

/// The line chart of the supply: one point per step.
fn supply_chart(points: &[(String, String, u128)]) -> String {
    let (left, right, top, bottom) = (70.0, 20.0, 16.0, 44.0);
    let max = points.iter().map(|(_, _, s)| tokens(*s as f64)).fold(0.0, f64::max);
    let (scale, step) = nice_scale(max);
    let plot_w = W - left - right;
    let plot_h = H - top - bottom;
    let x =
        |i: usize| left + if points.len() > 1 { plot_w * i as f64 / (points.len() - 1) as f64 } else { plot_w / 2.0 };
    let y = |v: f64| top + plot_h * (1.0 - v / scale);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"total supply after each step\">\n"
    );
    grid_lines(&mut svg, (0.0, scale, step), left, W - right, &y);
    let _ =
        writeln!(svg, "<line class=\"axis\" x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\"/>", y(0.0), W - right);
    let polyline: Vec<String> =
        points.iter().enumerate().map(|(i, (_, _, s))| format!("{:.1},{:.1}", x(i), y(tokens(*s as f64)))).collect();
    let _ = writeln!(svg, "<polyline class=\"line\" points=\"{}\"/>", polyline.join(" "));
    for (i, (short, label, supply)) in points.iter().enumerate() {
        let (px, py) = (x(i), y(tokens(*supply as f64)));
        let _ = writeln!(
            svg,
            "<circle class=\"point\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"4\"><title>{}: {} {SYMBOL}</title></circle>",
            escape(label),
            escape(&rusd_u(*supply))
        );
        let _ = writeln!(
            svg,
            "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            H - bottom + 16.0,
            escape(short)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Horizontal grid lines and their labels, every `step` from `min` to `max`.
fn grid_lines(svg: &mut String, (min, max, step): (f64, f64, f64), x1: f64, x2: f64, y: &dyn Fn(f64) -> f64) {
    let mut value = min;
    while value <= max + step / 2.0 {
        let at = y(value);
        let _ = writeln!(svg, "<line class=\"grid\" x1=\"{x1}\" y1=\"{at:.1}\" x2=\"{x2}\" y2=\"{at:.1}\"/>");
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            x1 - 6.0,
            at + 4.0,
            axis_label(value)
        );
        value += step;
    }
}

/// The bar chart of the balances: one bar per account, debts below the axis.
fn balance_chart(balances: &[(String, i128)]) -> String {
    let (w, h) = (540.0, 380.0);
    let (left, right, top, bottom) = (64.0, 10.0, 14.0, 120.0);
    let max = balances.iter().map(|(_, b)| tokens(b.unsigned_abs() as f64)).fold(0.0, f64::max);
    let (scale, step) = nice_scale(max);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let zero = top + plot_h / 2.0;
    let y = |v: f64| zero - (plot_h / 2.0) * v / scale;
    let mut svg =
        format!("<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"balances at the end\">\n");
    grid_lines(&mut svg, (-scale, scale, step), left, w - right, &y);
    let slot = plot_w / balances.len().max(1) as f64;
    for (i, (name, balance)) in balances.iter().enumerate() {
        let value = tokens(*balance as f64);
        let (y0, y1) = if value >= 0.0 { (y(value), zero) } else { (zero, y(value)) };
        let x = left + slot * i as f64 + slot * 0.15;
        let class = if *balance >= 0 { "pos" } else { "neg" };
        let _ = writeln!(
            svg,
            "<rect class=\"bar {class}\" x=\"{x:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}: {} \
             {SYMBOL}</title></rect>",
            slot * 0.7,
            (y1 - y0).max(1.0),
            escape(name),
            escape(&rusd(*balance))
        );
        let (lx, ly) = (left + slot * (i as f64 + 0.5), h - bottom + 12.0);
        let _ = writeln!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" transform=\"rotate(-40 {lx:.1} {ly:.1})\">{}</text>",
            escape(&shorten(name, 24))
        );
    }
    let _ =
        writeln!(svg, "<line class=\"axis\" x1=\"{left}\" y1=\"{zero:.1}\" x2=\"{}\" y2=\"{zero:.1}\"/>", w - right);
    svg.push_str("</svg>\n");
    svg
}

/// `name`, cut to `max` characters with an ellipsis.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(max - 1).collect::<String>())
    }
}

/// The clearing's pair of bars: the debt before the round and after it.
fn clearing_chart(before: u128, after: u128) -> String {
    let (w, h) = (540.0, 380.0);
    let (left, right, top, bottom) = (64.0, 10.0, 14.0, 40.0);
    let (scale, step) = nice_scale(tokens(before.max(after) as f64));
    let plot_h = h - top - bottom;
    let y = |v: f64| top + plot_h * (1.0 - v / scale);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"debt before and after clearing\">\n"
    );
    grid_lines(&mut svg, (0.0, scale, step), left, w - right, &y);
    let slot = (w - left - right) / 2.0;
    for (i, (label, class, units)) in
        [("before the round", "before", before), ("after the round", "after", after)].into_iter().enumerate()
    {
        let value = tokens(units as f64);
        let x = left + slot * i as f64 + slot * 0.25;
        let _ = writeln!(
            svg,
            "<rect class=\"bar {class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{label}: {} \
             {SYMBOL}</title></rect>",
            y(value),
            slot * 0.5,
            (y(0.0) - y(value)).max(1.0),
            escape(&rusd_u(units))
        );
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}: {}</text>",
            left + slot * (i as f64 + 0.5),
            h - bottom + 18.0,
            escape(&rusd_u(units))
        );
    }
    let _ =
        writeln!(svg, "<line class=\"axis\" x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\"/>", y(0.0), w - right);
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::super::scenario::usd;
    use super::*;

    fn sample() -> Report {
        let mut report = Report { place: "an embedded <chain> & co".into(), ..Report::default() };
        for (i, supply) in [0, 500, 1_200, 900, 1_500, 1_350].into_iter().enumerate() {
            report.supply_after(&format!("S{}", i + 1), &format!("Step {} of 6", i + 1), usd(supply));
        }
        report.balances = vec![
            ("Blue Ridge Bakery".into(), -(usd(800) as i128)),
            ("Mountain Grocery".into(), usd(450) as i128),
            ("Ana <employee>".into(), usd(350) as i128),
            ("loss account".into(), -(usd(30) as i128)),
        ];
        report.clearing = Some((usd(3_900), usd(1_100)));
        report.page("Step 1 of 6", "\nPayday: the bakery pays <benefits> & \"more\".\n┌───┐\n│ a │\n└───┘\n");
        report.summary = "Summary: over the story\nsomething happened.\n\nClearing: 2,800.00 cancelled.".into();
        report
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn the_report_is_self_contained_and_small() {
        let html = sample().html();
        assert!(html.len() < 1024 * 1024, "{} bytes", html.len());
        assert!(!html.contains("http://") && !html.contains("https://"), "no URL at all");
        for attribute in ["src=", "href=", "<script", "<link", "@import", "url("] {
            assert!(!html.contains(attribute), "the report has {attribute}");
        }
        assert_eq!(count(&html, "<svg"), 3);
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    }

    #[test]
    fn each_chart_draws_one_mark_per_figure() {
        let report = sample();
        let html = report.html();
        let svg = |id: &str| {
            let at = html.find(&format!("<figure id=\"{id}\">")).unwrap();
            let end = at + html[at..].find("</figure>").unwrap();
            html[at..end].to_string()
        };
        assert_eq!(count(&svg("supply"), "<circle class=\"point\""), report.supply.len());
        assert_eq!(count(&svg("supply"), "<polyline"), 1);
        let balances = svg("balances");
        assert_eq!(count(&balances, "<rect class=\"bar "), report.balances.len());
        assert_eq!(count(&balances, "<rect class=\"bar neg\""), 2);
        assert_eq!(count(&balances, "<rect class=\"bar pos\""), 2);
        let clearing = svg("clearing");
        assert_eq!(count(&clearing, "<rect class=\"bar "), 2);
        assert!(clearing.contains("2,800.00 set off"), "{clearing}");
        assert!(clearing.contains("before the round: 3,900.00") && clearing.contains("after the round: 1,100.00"));
    }

    #[test]
    fn negative_bars_hang_below_the_axis() {
        let svg = balance_chart(&[("up".into(), 100), ("down".into(), -100)]);
        let axis = svg.lines().find(|l| l.starts_with("<line class=\"axis\"")).unwrap();
        let zero: f64 = axis.split("y1=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let ys: Vec<(f64, f64)> = svg
            .lines()
            .filter(|l| l.starts_with("<rect"))
            .map(|l| {
                let attr = |name: &str| -> f64 {
                    l.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
                };
                (attr("y"), attr("y") + attr("height"))
            })
            .collect();
        assert!((ys[0].1 - zero).abs() < 0.2 && ys[0].0 < zero, "{svg}");
        assert!((ys[1].0 - zero).abs() < 0.2 && ys[1].1 > zero, "{svg}");
    }

    #[test]
    fn all_text_is_escaped() {
        let html = sample().html();
        assert!(html.contains("an embedded &lt;chain&gt; &amp; co"));
        assert!(html.contains("pays &lt;benefits&gt; &amp; &quot;more&quot;"));
        assert!(html.contains("Ana &lt;employee&gt;"));
        assert!(!html.contains("<benefits>") && !html.contains("<employee>") && !html.contains("<chain>"));
        assert_eq!(escape("a'b"), "a&#39;b");
        // The summary's paragraphs, their wrapped lines joined.
        assert!(html.contains("<p>Summary: over the story something happened.</p>"));
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_scale(1_350.0), (2_000.0, 500.0));
        assert_eq!(nice_scale(900.0), (1_000.0, 250.0));
        assert_eq!(nice_scale(0.0), (1.0, 0.25));
        assert_eq!(axis_label(1_500.0), "1,500");
        assert_eq!(axis_label(-250.0), "-250");
        assert_eq!(axis_label(0.25), "0.25");
    }
}
