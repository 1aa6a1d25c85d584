//! Raw command-line flags (clap derive). No logic: `config::resolve` turns a `Cli` into `Settings`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug, Default, Clone)]
#[command(
    name = "pyfix",
    version,
    about = "Find memory- and resource-leak patterns in Python code and rewrite them",
    after_help = "Exit status: 0 nothing left to change, 1 changes or findings remain (with --exit-non-zero-on-fix: \
                  also a file was rewritten), 2 an error, 130/143 interrupted (SIGINT/SIGTERM).\n\
                  Codemods: see `pyfix --list`; docs for one: `pyfix --explain NAME`.",
    args_conflicts_with_subcommands = true,
    // `pyfix help` would hide a directory named `help`; `--help` is there.
    disable_help_subcommand = true
)]
pub struct Cli {
    /// `pyfix server`: the language server for editors; `pyfix trace`: record a run. Without a command, pyfix
    /// processes PATHs.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or directories to process (directories are searched for *.py, *.pyi and *.ipynb); `-` reads stdin and,
    /// for a fix run, writes the fixed source to stdout.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Show the changes as unified diffs on stdout; write nothing.
    #[arg(long, visible_alias = "diff", conflicts_with = "check")]
    pub dry_run: bool,

    /// List findings as `path:line:col: codemod: message [fix: safe|unsafe|none]`; write nothing.
    #[arg(long)]
    pub check: bool,

    /// Also apply fixes that may change behaviour beyond removing the leak.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Apply the fixes a plain run would, then add `# pyfix: ignore[<codemod>]` to every line that still has a
    /// finding (to adopt pyfix on an existing code base; a second run is clean).
    #[arg(long, conflicts_with = "check")]
    pub add_ignore: bool,

    /// Print one line per codemod and fix safety with counts, instead of each finding or diff. A report: never
    /// writes (counts the findings as --check does).
    #[arg(long, conflicts_with = "add_ignore")]
    pub statistics: bool,

    /// After the run, list the fixes applied (or, with --dry-run, that would be) per file: each codemod and fix
    /// title with how many times it was applied.
    #[arg(long, conflicts_with_all = ["check", "statistics"])]
    pub show_fixes: bool,

    /// Exit with 1 when a fix run changed any file, even if no finding is left (for pre-commit and CI that want a
    /// failing step when pyfix rewrote something).
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,

    /// Run only these codemods (comma-separated names, see --list).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub select: Option<Vec<String>>,

    /// Do not run these codemods (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub ignore: Option<Vec<String>>,

    /// List the codemods: name, what they find, fix safety.
    #[arg(long)]
    pub list: bool,

    /// Show the documentation of one codemod.
    #[arg(long, value_name = "NAME")]
    pub explain: Option<String>,

    /// Read settings from this file (a pyproject.toml with [tool.pyfix], or a pyfix.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The path of the source read from stdin: for config discovery, `exclude` (with --force-exclude),
    /// per-file ignores and messages.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Apply `exclude` even to files named on the command line (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,

    /// Neither read nor write the cache of per-file results (`.pyfix_cache/`, or the `cache-dir` setting).
    #[arg(long)]
    pub no_cache: bool,

    /// Print nothing but errors (and the diffs or findings asked for).
    #[arg(long, short)]
    pub quiet: bool,

    /// Colour diffs: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// How --check and --dry-run report findings: text (findings or diffs), json, github (Actions annotations),
    /// sarif (SARIF 2.1.0, for code scanning). A fix run reports the findings left in this format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT")]
    pub output_format: OutputFormat,

    /// The oldest Python version the code must run on: 3.7 to 3.15, e.g. 3.9 (default: from `requires-python`, else
    /// 3.9).
    #[arg(long, value_name = "X.Y")]
    pub target_version: Option<String>,

    /// The `maxsize` pyfix gives the caches it bounds (unbounded-cache; default 128, functools' own default).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub cache_maxsize: Option<u32>,

    /// Runtime evidence that confirms and ranks the findings: a `pyfix trace` file (pyfix-evidence/1), a tracemalloc
    /// `Snapshot.dump()` file, memray `stats --json` output or memray's leaks CSV. Several merge (`--evidence a.json
    /// b.json`, or repeat the flag); a directory or Python file after it is taken as a PATH.
    #[arg(long, value_name = "FILE", num_args = 1.., action = clap::ArgAction::Append)]
    pub evidence: Vec<PathBuf>,

    /// Only the findings --evidence confirms: check, preview or fix exactly the leaks that showed at runtime.
    #[arg(long)]
    pub select_confirmed: bool,

    /// Check the fixes with the project's own tests: run COMMAND (a shell command, e.g. "python3 -m unittest") on a
    /// copy of the tree before and after the fixes, find by bisection the fixes that make a test that passed fail,
    /// drop them, and write (with --dry-run: show) only the others. The user's tree is untouched until the end.
    #[arg(long, value_name = "COMMAND", conflicts_with_all = ["check", "add_ignore", "statistics"])]
    pub verify: Option<String>,

    /// With --verify: bisect on up to N copies of the tree at once (default 1).
    #[arg(short = 'j', long = "jobs", value_name = "N", requires = "verify",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,

    /// With --verify: stop a run of COMMAND after SECS seconds; a run stopped so counts as failing.
    #[arg(long, value_name = "SECS", requires = "verify", value_parser = clap::value_parser!(u64).range(1..))]
    pub verify_timeout: Option<u64>,

    /// Also process files that say they are generated (in their first 10 lines: `@generated`, "do not edit",
    /// "automatically generated", or a comment saying "generated by"; ignoring case).
    #[arg(long)]
    pub include_generated: bool,

    /// List the files skipped as generated, each with the line that says so (on stderr, before the summary).
    #[arg(long)]
    pub show_skipped: bool,

    /// Not a flag: fixing is the default. Taken only to say so (`ruff check --fix` habits), never acted on.
    #[arg(long, hide = true)]
    pub fix: bool,

    /// Benchmarks only: parse and build the semantic model, run no codemod (pyfix's own floor).
    #[arg(long, hide = true, conflicts_with_all = ["select", "ignore"])]
    pub parse_only: bool,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the language server (LSP over stdin/stdout) for editors: findings as diagnostics, fixes as code actions.
    /// Settings come from each file's config and the editor's `initializationOptions` (see the README).
    Server,
    /// Run a Python command and record what it leaks: ResourceWarnings, objects freed only by the cycle collector,
    /// memory by line, and the size of the caches and defaults pyfix reports in PATHs. Writes one evidence file.
    Trace(TraceArgs),
}

/// `pyfix trace [--out FILE] [--interval SECS] [--paths PATH...] -- COMMAND [ARGS...]`
#[derive(clap::Args, Debug, Clone)]
pub struct TraceArgs {
    /// Where to write the evidence (JSON, schema `pyfix-evidence/1`).
    #[arg(long, value_name = "FILE", default_value = "pyfix-evidence.json")]
    pub out: PathBuf,

    /// Also record memory by line every SECS seconds (in each process).
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub interval: Option<f64>,

    /// Frames of each allocation's traceback that tracemalloc keeps: more find the calling line in your code
    /// behind deeper library calls, and cost more on every allocation (see the README's overhead table).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub frames: u16,

    /// The code pyfix analyses for caches and defaults to measure, and whose lines are preferred as allocation
    /// sites (default: `.`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub paths: Vec<PathBuf>,

    /// The command to trace, after `--` (e.g. `-- python3 -m pytest`).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a number of seconds above 0")),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// `path:line:col: codemod: message [fix: ...]` for --check, unified diffs for --dry-run.
    #[default]
    Text,
    /// One JSON array: an object per finding, with its fix's edits.
    Json,
    /// GitHub Actions workflow commands: `::warning file=...,line=...::message`.
    Github,
    /// SARIF 2.1.0 with fixes (GitHub code scanning).
    Sarif,
}
