//! Terminal output shared by the commands: progress on stderr, tables on stdout.
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

/// A table in the CLI's style with the given header.
pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header);
    table
}

/// A spinner on stderr for long steps; hidden when stderr is not a terminal, where each step is
/// printed as a plain line instead so logs still show progress. A clone shows on the same spinner.
#[derive(Clone)]
pub struct Progress {
    bar: indicatif::ProgressBar,
    plain: bool,
}

impl Progress {
    pub fn new() -> Self {
        use std::io::IsTerminal;
        let plain = !std::io::stderr().is_terminal();
        let bar = if plain { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new_spinner() };
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress { bar, plain }
    }

    pub fn step(&self, message: &str) {
        if self.plain {
            eprintln!("{message}");
        } else {
            self.bar.set_message(message.to_string());
        }
    }

    /// Runs `f` with the spinner cleared, so what `f` prints to stdout does not mix with it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// A byte-count progress bar for reading a large input; on a non-terminal, one plain line instead.
    pub fn bytes_bar(&self, total: u64, message: &str) -> indicatif::ProgressBar {
        if self.plain {
            eprintln!("{message} ({:.1} MiB)", total as f64 / (1024.0 * 1024.0));
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(total);
        let style = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .expect("the template is valid")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(message.to_string());
        bar
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}
