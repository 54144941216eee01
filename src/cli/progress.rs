//! The progress of a run on stderr (`--progress`), for `extract`, `align`,
//! `check` and `stats`: a bar when stderr is a terminal, status lines with
//! `--progress always` when it is not, nothing in a pipe by default.

use super::term::eprint_line;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When to show something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
    /// On a terminal, unless -q.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The `--progress` option.
#[derive(Debug, Clone, Copy, Args)]
pub struct ProgressArgs {
    /// Progress bar on stderr: auto shows it on a terminal (not with -q); always also prints a status line every 2 s and one at the end when stderr is not a terminal.
    #[arg(
        id = "progress",
        long = "progress",
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub when: When,
}

/// How often `--progress always` prints a status line when stderr is not
/// a terminal.
const STATUS_EVERY: Duration = Duration::from_secs(2);

/// The progress of one run over `total` inputs. Shared by the threads of
/// a run (`&self` everywhere).
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// `--progress always` and stderr is not a terminal.
    status_lines: bool,
    total: usize,
    /// Inputs done, when the last status line was printed, and the last
    /// detail (for the final status line).
    state: Mutex<(usize, Instant, String)>,
}

impl Progress {
    /// The progress of a run over `total` inputs: a bar when stderr is a
    /// terminal (`auto`: not with `quiet`), status lines with `always`
    /// when it is not, else nothing.
    pub fn new(when: When, quiet: bool, total: usize) -> Self {
        let stderr_tty = io::stderr().is_terminal();
        let show_bar = match when {
            When::Never => false,
            When::Always => stderr_tty,
            When::Auto => stderr_tty && !quiet,
        };
        let bar = show_bar.then(|| {
            let pb = ProgressBar::new(total as u64);
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} {pos}/{len} files {wide_bar} {msg} ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        });
        Self {
            bar,
            status_lines: when == When::Always && !stderr_tty,
            total,
            state: Mutex::new((0, Instant::now(), String::new())),
        }
    }

    /// Whether the bar is shown (so that output to the same terminal must
    /// go through [`Progress::suspend`]).
    pub fn has_bar(&self) -> bool {
        self.bar.is_some()
    }

    /// Prints a line to stderr without garbling the bar, with the control
    /// characters of inputs' names and texts [escaped](super::term::escape).
    pub fn say(&self, line: &str) {
        self.suspend(|| eprint_line(line));
    }

    /// Runs `f` with the bar hidden (writing to the terminal).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(pb) => pb.suspend(f),
            None => f(),
        }
    }

    /// One more input done; `detail` says what the run found so far
    /// (`120 segments`), shown next to the bar or in the status line.
    pub fn tick(&self, detail: impl FnOnce() -> String) {
        if let Some(pb) = &self.bar {
            pb.inc(1);
            pb.set_message(detail());
        } else if self.status_lines {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.0 += 1;
            state.2 = detail();
            if state.1.elapsed() >= STATUS_EVERY {
                state.1 = Instant::now();
                eprint_line(&self.status(state.0, &state.2));
            }
        }
    }

    fn status(&self, done: usize, detail: &str) -> String {
        let sep = if detail.is_empty() { "" } else { ", " };
        format!("tmex: {done}/{} files{sep}{detail}", self.total)
    }

    /// Ends the progress: clears the bar, or prints the last status line.
    pub fn finish(&self) {
        if let Some(pb) = &self.bar {
            pb.finish_and_clear();
        } else if self.status_lines {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            eprint_line(&self.status(state.0, &state.2));
        }
    }
}
