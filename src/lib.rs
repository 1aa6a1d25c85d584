//! pyfix: finds memory- and resource-leak patterns in Python source and rewrites them.
//! `run` is the whole pipeline (discover -> read -> fix_source -> report/diff/write) and, with `main.rs`, the only
//! code that touches files (writing through `write` and `cache`) or prints. `fix_source` (in `engine`) is pure:
//! text in, `Outcome` out. Nothing below the driver imports from it: the engine, the `Report` type and decoding live
//! in their own modules.

pub mod arena;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod codemod;
pub mod codemods;
pub mod compile;
pub mod config;
pub mod diff;
pub mod discovery;
pub mod edit;
pub mod encoding;
pub mod engine;
pub mod evidence;
pub mod hash;
pub mod imports;
pub mod interrupt;
pub mod notebook;
pub mod output;
pub mod project;
pub mod report;
pub mod semantic;
pub mod server;
pub mod settings;
pub mod source;
pub mod trace;
pub mod verify;
pub mod write;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::cli::OutputFormat;
use crate::config::{Mode, Settings};
use crate::edit::Applicability;
use crate::encoding::head;
use crate::evidence::canonical;
use crate::output::{display_path, plural};
use crate::settings::FileSettings;

pub use crate::encoding::{decode, is_generated, Decoded};
pub use crate::engine::{fix_source, FixOptions, Outcome, MAX_NESTING, MAX_PASSES};
pub use crate::report::{AppliedFix, Report, ReportEdit};

/// What happened to one file.
enum FileResult {
    Done {
        findings: Vec<Report>,
        remaining: Vec<Report>,
        diff: String,
        applied: usize,
        /// The fixes applied (in memory for --dry-run), for --show-fixes.
        applied_fixes: Vec<AppliedFix>,
        /// Lines given a `# pyfix: ignore` by --add-ignore.
        baselined: usize,
        bugs: Vec<String>,
        /// Said on stderr, not errors (a line --add-ignore could not mark).
        notes: Vec<String>,
        /// With --evidence: a verdict for each report shown (`remaining` in a fix run, else `findings`).
        verdicts: Vec<evidence::Verdict>,
    },
    Failed(String),
    /// Left alone on purpose: the file says it is generated, on this line (1-based; its text, trimmed).
    Generated(usize, String),
    /// Not looked at (or not written): the run was interrupted first.
    NotProcessed,
}

/// Totals the summary line and the exit code are made of.
#[derive(Default)]
struct Totals {
    /// Files found (the breakdown's "seen"), processed or not.
    seen: usize,
    /// Files processed: not those that failed or were skipped as generated. The summary's "in N files".
    files: usize,
    findings: usize,
    applied: usize,
    changed_files: usize,
    remaining_unsafe: usize,
    remaining_none: usize,
    remaining: usize,
    baselined: usize,
    errors: usize,
    /// (codemod, fix safety) -> findings, for --statistics and the summary of a large run.
    statistics: std::collections::BTreeMap<(&'static str, u8), usize>,
    /// Why files were not processed (a short kind) -> how many.
    skipped: std::collections::BTreeMap<&'static str, usize>,
    /// Files whose text changed (fixed or given `# pyfix: ignore` comments).
    changed: usize,
    files_with_findings: usize,
    /// Files skipped as generated: (path as shown, the line that says so, its text), in path order.
    generated: Vec<(String, usize, String)>,
    /// Files left as they were because the run was interrupted (SIGINT, SIGTERM) first.
    not_processed: usize,
    /// With --evidence: findings reported by verdict (confirmed, ran without leaking, not run).
    statuses: [usize; 4],
    /// --show-fixes: per file with fixes applied (path as shown, in path order), each (codemod, fix title) and how
    /// many times it was applied.
    fixes: Vec<(String, std::collections::BTreeMap<AppliedFix, usize>)>,
}

/// Context for a failed write to stdout (`pyfix --check > /dev/full`). `main` still finds the `io::Error` under it
/// and treats a broken pipe as success.
const STDOUT: &str = "writing to stdout";

/// The whole run. Returns the exit code: 0 nothing left to change, 1 changes or findings remain, 2 an error, 130
/// or 143 interrupted by SIGINT or SIGTERM.
pub fn run(cli: &cli::Cli) -> Result<u8> {
    if cli.fix {
        anyhow::bail!(
            "--fix: unknown flag; fixing is what pyfix does by default (hint: drop --fix; --dry-run previews the \
             changes without writing)"
        );
    }
    let mut out = std::io::stdout().lock();
    if cli.list {
        for c in codemods::ALL {
            writeln!(out, "{:<18} {}", c.name(), c.summary()).context(STDOUT)?;
        }
        return Ok(0);
    }
    if let Some(name) = &cli.explain {
        let names = config::resolve_names(std::slice::from_ref(name), "--explain")?;
        let mut docs = String::new();
        for n in names {
            if let Some(c) = codemods::by_name(n) {
                docs.push_str(c.docs().trim_end());
                docs.push('\n');
            }
        }
        page(&docs, &mut out)?;
        return Ok(0);
    }
    let settings = config::resolve(cli)?;
    if let Some(command) = &cli.verify {
        let opts = verify::Options {
            command: command.clone(),
            jobs: cli.jobs.map_or(1, |j| j as usize),
            timeout: cli.verify_timeout.map(std::time::Duration::from_secs),
        };
        let engine = VerifyEngine { settings: &settings, projects: project::Projects::new(discovery::is_skipped_dir) };
        return verify::run(&settings, &opts, &engine, &mut out);
    }
    let mut totals = Totals::default();
    let mut results = if settings.stdin {
        process_stdin(&settings, &mut out)?.into_iter().collect()
    } else {
        process_files(&settings, &mut totals, true)?
    };
    let uncovered = judge(&settings, &mut results);
    report(&settings, &results, &uncovered, &mut totals, &mut out)?;
    out.flush().context(STDOUT)?;
    // Asked for by name, so shown with --quiet too.
    if settings.show_skipped && !totals.generated.is_empty() {
        eprint!("{}", skipped_list(&totals));
    }
    // Read once: the summary and the exit code must tell the same story when a signal arrives between them.
    let interrupted = interrupt::received().filter(|_| !settings.stdin);
    if !settings.quiet {
        if totals.seen > output::LARGE_RUN {
            eprint!("{}", breakdown(&settings, &totals));
        }
        eprintln!("{}", summary(&settings, &totals, interrupted));
    }
    Ok(if let Some(signal) = interrupted {
        signal.exit_code()
    } else if totals.errors > 0 {
        2
    } else {
        match settings.mode {
            Mode::Check | Mode::DryRun if totals.findings > 0 => 1,
            Mode::Fix if totals.remaining > 0 => 1,
            Mode::Fix if settings.exit_non_zero_on_fix && totals.changed > 0 => 1,
            _ => 0,
        }
    })
}

/// `--verify`'s questions, answered as a run answers them for a file.
struct VerifyEngine<'a> {
    settings: &'a Settings,
    projects: project::Projects<'a>,
}

impl verify::Engine for VerifyEngine<'_> {
    fn findings(&self, path: &Path, bytes: &[u8], fs: &FileSettings) -> Option<Vec<Report>> {
        let judging = FileSettings { apply: false, add_ignore: false, ..fs.clone() };
        let view = self.projects.view(path);
        confirmed_check(path, bytes, &judging, self.settings, Some(&view)).ok().flatten().map(|c| c.findings)
    }

    fn fixed(
        &self,
        path: &Path,
        bytes: &[u8],
        fs: &FileSettings,
        only: &engine::Only,
    ) -> Result<Option<Vec<u8>>, String> {
        let view = self.projects.view(path);
        Ok(check_bytes(path, bytes, fs, Some(&view), Some(only))?.and_then(|c| c.fixed.map(|(_, b)| b)))
    }

    fn diff(&self, path: &Path, old: &str, new: &str) -> String {
        file_diff(path, old, new, self.settings)
    }
}

/// `pyfix trace`: the findings whose objects the run should measure (unbounded-cache, mutable-default, in
/// `--paths`), then the traced command (`trace::run`). Returns the command's exit code.
pub fn trace(args: &cli::TraceArgs) -> Result<u8> {
    // SIGINT and SIGTERM are the command's to act on: pyfix outlives them to write the evidence (the analysis
    // installs this too, but it may fail before).
    interrupt::install();
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let check = cli::Cli {
        paths: paths.clone(),
        check: true,
        unsafe_fixes: true,
        no_cache: true,
        quiet: true,
        select: Some(vec!["unbounded-cache".to_string(), "mutable-default".to_string()]),
        ..cli::Cli::default()
    };
    let mut findings = Vec::new();
    // Tracing does not need the findings: without them the run is still recorded, only no target is measured.
    match config::resolve(&check).and_then(|settings| process_files(&settings, &mut Totals::default(), false)) {
        Ok(results) => {
            for (path, result) in results {
                let FileResult::Done { findings: reports, .. } = result else { continue };
                if reports.is_empty() || notebook::is_notebook(&path) {
                    continue;
                }
                let Some(text) = std::fs::read(&path).ok().and_then(|b| decode(&b).ok().map(|d| d.text.into_owned()))
                else {
                    continue;
                };
                let real = trace::real_path(&path);
                for r in reports {
                    if let Some(target) = trace::targets::locate(&text, r.line, r.col) {
                        findings.push(trace::Finding { path: real.clone(), line: r.line, codemod: r.codemod, target });
                    }
                }
            }
        }
        Err(err) => eprintln!("pyfix: trace: no cache or default will be measured: {err:#}"),
    }
    let roots: Vec<PathBuf> = paths.iter().map(|p| trace::real_path(p)).collect();
    trace::run(args, &roots, &findings, &|| interrupt::received() == Some(interrupt::Signal::Term))
}

/// Prints `text` through a pager when stdout is a terminal, as git does: `PAGER`, else `less -FRX` (quits at once
/// when the text fits the screen, keeps it there when it quits). Printed as is off a terminal, when `PAGER` is
/// empty or `cat`, and when the pager cannot start.
fn page(text: &str, out: &mut impl Write) -> Result<()> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        let pager = std::env::var("PAGER").unwrap_or_else(|_| "less -FRX".to_string());
        let pager = pager.trim();
        if !pager.is_empty() && pager != "cat" && through_pager(pager, text) {
            return Ok(());
        }
    }
    out.write_all(text.as_bytes()).context(STDOUT)
}

/// Runs `pager` with the shell (as git does: `PAGER='less -R'` is a command line) and feeds it `text`. False when it
/// did not run: no shell, or the shell could not find or execute it (exit 126 or 127).
fn through_pager(pager: &str, text: &str) -> bool {
    use std::process::{Command, Stdio};
    let Ok(mut child) = Command::new("sh").args(["-c", pager]).stdin(Stdio::piped()).spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A pager that quits before reading everything (`q` in less) closes the pipe: not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().is_ok_and(|status| !matches!(status.code(), Some(126 | 127)))
}

/// Discovers the files and processes them in parallel (with the cache and, on a terminal, a progress bar).
/// `say_errors`: print the paths that could not be searched (`pyfix trace` keeps the command's stderr its own).
fn process_files(settings: &Settings, totals: &mut Totals, say_errors: bool) -> Result<Vec<(PathBuf, FileResult)>> {
    // Before anything is written: from here a SIGINT or SIGTERM stops the run between writes (src/interrupt.rs).
    interrupt::install();
    let discovered = discovery::python_files(settings);
    for (path, reason) in &discovered.errors {
        if say_errors {
            eprintln!("pyfix: {}: {reason}", path.display());
        }
        totals.errors += 1;
    }
    // Every file's settings before any file is touched: an invalid config file stops the run, as the run's own does.
    let views = discovered.files.iter().map(|p| settings.file_settings(p)).collect::<Result<Vec<_>>>()?;
    let cache = settings.cache_dir.as_deref().and_then(|dir| {
        let (cache, note) = cache::Cache::open(dir, &settings.root);
        if let (Some(note), false) = (note, settings.quiet) {
            eprintln!("pyfix: {note}");
        }
        cache
    });
    let progress = output::progress_bar(discovered.files.len(), settings.quiet);
    let store = cache.as_ref().map(|c| c as &dyn project::WordStore);
    let projects = project::Projects::with_store(discovery::is_skipped_dir, store);
    projects.expect(&discovered.files);
    let pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build()?;
    let results = pool.install(|| {
        discovered
            .files
            .par_iter()
            .zip(&views)
            .enumerate()
            .map(|(i, (p, fs))| {
                if interrupt::received().is_some() {
                    return (p.clone(), FileResult::NotProcessed);
                }
                let result = process(p, fs, settings, cache.as_ref(), &projects);
                projects.done(i);
                progress.inc(1);
                (p.clone(), result)
            })
            .collect()
    });
    progress.finish_and_clear();
    drop(projects);
    if std::env::var_os("PYFIX_TEST_SUMMARIES").is_some() {
        let n = |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!("pyfix: words of {} files summarised, {} reused", n(&project::SUMMARISED), n(&project::REUSED));
    }
    if let Some(Err(note)) = cache.map(cache::Cache::save) {
        if !settings.quiet {
            eprintln!("pyfix: {note}");
        }
    }
    Ok(results)
}

/// With --evidence: gives every report shown a verdict (--select-confirmed in a --check run: keeps only the
/// confirmed ones) and returns the growth no finding covers. Nothing without evidence.
fn judge(settings: &Settings, results: &mut [(PathBuf, FileResult)]) -> Vec<evidence::Uncovered> {
    let Some(ev) = &settings.evidence else { return Vec::new() };
    let canonicals: Vec<PathBuf> = results.iter().map(|(p, _)| canonical(p)).collect();
    let maxsizes: Vec<u32> = results
        .iter()
        .map(|(p, _)| {
            settings.file_settings(p).map_or(config::DEFAULT_CACHE_MAXSIZE, |fs| fs.codemod_settings.cache_maxsize)
        })
        .collect();
    // A fix run shows the findings left, located in the fixed text; the evidence speaks of the input's lines.
    let left: Vec<Vec<Report>> = results
        .iter()
        .map(|(_, result)| match result {
            FileResult::Done { findings, remaining, .. } if settings.mode == Mode::Fix => {
                remaining.iter().map(|r| at_input_lines(r, findings)).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let shown: Vec<Vec<&Report>> = results
        .iter()
        .zip(&left)
        .map(|((_, result), left)| match result {
            FileResult::Done { .. } if settings.mode == Mode::Fix => left.iter().collect(),
            FileResult::Done { findings, .. } => findings.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let files: Vec<evidence::FileFindings> = canonicals
        .iter()
        .zip(&shown)
        .zip(&maxsizes)
        .map(|((path, reports), &cache_maxsize)| evidence::FileFindings { path, reports, cache_maxsize })
        .collect();
    let (verdicts, uncovered) = evidence::judge(ev, &files);
    drop(files);
    drop(shown);
    for ((_, result), mut judged) in results.iter_mut().zip(verdicts) {
        let FileResult::Done { findings, remaining, verdicts, .. } = result else { continue };
        // A fix run and a preview were restricted before fixing (`confirmed_check`); a check is restricted here.
        if settings.select_confirmed && settings.mode == Mode::Check {
            let keep: Vec<bool> = judged.iter().map(|v| v.status == evidence::Status::Confirmed).collect();
            for list in [&mut *findings, &mut *remaining] {
                // In a check, the findings left are the findings, one verdict each (judged from `findings`).
                debug_assert_eq!(list.len(), keep.len(), "one verdict per finding");
                if list.len() == keep.len() {
                    let mut kept = keep.iter();
                    list.retain(|_| kept.next() == Some(&true));
                }
            }
            judged.retain(|v| v.status == evidence::Status::Confirmed);
        }
        *verdicts = judged;
    }
    uncovered
}

/// A finding left by a fix run, at the lines of the input finding it is (same codemod, message and first line's
/// text; the first such one): the fixes before it moved it (an import added at the top moves every line).
fn at_input_lines(left: &Report, input: &[Report]) -> Report {
    let mut r = left.clone();
    let same = |f: &&Report| f.codemod == r.codemod && f.message == r.message && f.line_hash == r.line_hash;
    if let Some(f) = input.iter().find(same) {
        (r.line, r.end_line) = (f.line, f.end_line);
    }
    r
}

/// Prints each file's errors, notes, findings or diff in path order (json and sarif: one document at the end, or
/// the --statistics table instead) and adds the file to `totals`. With --evidence, findings are printed together
/// at the end, ranked by their verdicts, and a --check in text lists the growth no finding covers after them.
fn report(
    settings: &Settings,
    results: &[(PathBuf, FileResult)],
    uncovered: &[evidence::Uncovered],
    totals: &mut Totals,
    out: &mut impl Write,
) -> Result<()> {
    totals.seen = results.len();
    let ranked = settings.evidence.is_some();
    // For json and sarif, and every format with evidence: (path as shown, report, its verdict).
    let mut collected: Vec<(String, &Report, Option<&evidence::Verdict>)> = Vec::new();
    // For sarif: (path as shown, why it was not processed).
    let mut failed: Vec<(String, String)> = Vec::new();
    for (path, result) in results {
        let shown = display_path(path);
        match result {
            FileResult::Failed(reason) => {
                eprintln!("pyfix: {shown}: {reason}");
                match settings.output_format {
                    OutputFormat::Github if !(settings.statistics || settings.stdin && settings.mode == Mode::Fix) => {
                        writeln!(out, "{}", output::github_error(&shown, reason)).context(STDOUT)?
                    }
                    OutputFormat::Sarif => failed.push((shown.clone(), reason.clone())),
                    _ => {}
                }
                totals.errors += 1;
                *totals.skipped.entry(output::skip_kind(reason)).or_default() += 1;
            }
            FileResult::Generated(line, text) => totals.generated.push((shown, *line, text.clone())),
            FileResult::NotProcessed => totals.not_processed += 1,
            FileResult::Done {
                findings,
                remaining,
                diff,
                applied,
                applied_fixes,
                baselined,
                bugs,
                notes,
                verdicts,
            } => {
                if settings.show_fixes && !applied_fixes.is_empty() {
                    let mut counts = std::collections::BTreeMap::new();
                    for fix in applied_fixes {
                        *counts.entry(fix.clone()).or_default() += 1;
                    }
                    totals.fixes.push((shown.clone(), counts));
                }
                for bug in bugs {
                    eprintln!("pyfix: {shown}: internal error: {bug} (please report this)");
                    totals.errors += 1;
                }
                for note in notes {
                    eprintln!("pyfix: {shown}:{note}");
                }
                // A fix run's reports are what it left; the others report what they found.
                let reports = if settings.mode == Mode::Fix { remaining } else { findings };
                let judged = || reports.iter().enumerate().map(|(i, r)| (shown.clone(), r, verdicts.get(i)));
                for v in verdicts {
                    totals.statuses[v.status as usize] += 1;
                }
                match (settings.output_format, settings.mode) {
                    _ if settings.statistics => {}
                    (OutputFormat::Text, Mode::Check) if ranked => collected.extend(judged()),
                    (OutputFormat::Text, Mode::Check) => {
                        for r in reports {
                            writeln!(out, "{}", output::text(&shown, r)).context(STDOUT)?;
                        }
                    }
                    (OutputFormat::Text, Mode::DryRun) => out.write_all(diff.as_bytes()).context(STDOUT)?,
                    (OutputFormat::Text, Mode::Fix) => {}
                    // stdin's fix run prints the fixed source: nothing else may go to stdout.
                    (_, Mode::Fix) if settings.stdin => {}
                    (OutputFormat::Github, _) if ranked => collected.extend(judged()),
                    (OutputFormat::Github, _) => {
                        for r in reports {
                            writeln!(out, "{}", output::github(&shown, r, None)).context(STDOUT)?;
                        }
                    }
                    (OutputFormat::Json | OutputFormat::Sarif, _) => collected.extend(judged()),
                }
                totals.files += 1;
                totals.add(findings, remaining, *applied, *baselined);
            }
        }
    }
    if settings.statistics {
        for ((codemod, rank), n) in &totals.statistics {
            writeln!(out, "{n:>6}  {codemod:<18} {}", SAFETY[usize::from(*rank)]).context(STDOUT)?;
        }
        return Ok(());
    }
    if settings.show_fixes {
        // On stdout after the diffs, as ruff prints it; on stderr where stdout is a format to parse, or the source.
        let list = fixes_list(settings, totals);
        let machine = settings.output_format != OutputFormat::Text || (settings.stdin && settings.mode == Mode::Fix);
        if machine {
            eprint!("{list}");
        } else {
            out.write_all(list.as_bytes()).context(STDOUT)?;
        }
    }
    if settings.stdin && settings.mode == Mode::Fix {
        return Ok(());
    }
    if ranked {
        // Stable: in path and position order within a rank.
        collected.sort_by_key(|(_, _, v)| v.map(|v| v.rank()));
    }
    let located: Vec<output::Located> = collected
        .iter()
        .map(|(path, report, evidence)| output::Located { path, report, evidence: *evidence })
        .collect();
    match settings.output_format {
        OutputFormat::Json => out.write_all(output::json(&located).as_bytes()).context(STDOUT),
        OutputFormat::Sarif => {
            let uncovered = if ranked { Some(uncovered) } else { None };
            out.write_all(output::sarif(&located, &failed, uncovered, &settings.cwd).as_bytes()).context(STDOUT)
        }
        OutputFormat::Github => {
            for l in &located {
                writeln!(out, "{}", output::github(l.path, l.report, l.evidence)).context(STDOUT)?;
            }
            Ok(())
        }
        OutputFormat::Text if ranked && settings.mode == Mode::Check => {
            for l in &located {
                writeln!(out, "{}", output::text_judged(l.path, l.report, l.evidence)).context(STDOUT)?;
            }
            out.write_all(output::uncovered(uncovered, &settings.cwd).as_bytes()).context(STDOUT)
        }
        OutputFormat::Text => Ok(()),
    }
}

impl Totals {
    fn add(&mut self, findings: &[Report], remaining: &[Report], applied: usize, baselined: usize) {
        for r in findings {
            *self.statistics.entry((r.codemod, safety_rank(r.fix))).or_default() += 1;
        }
        self.baselined += baselined;
        self.changed += usize::from(applied > 0 || baselined > 0);
        self.findings += findings.len();
        self.files_with_findings += usize::from(!findings.is_empty());
        self.applied += applied;
        self.changed_files += usize::from(applied > 0);
        self.remaining += remaining.len();
        self.remaining_unsafe += remaining.iter().filter(|r| r.fix == Some(Applicability::Unsafe)).count();
        self.remaining_none += remaining.iter().filter(|r| r.fix.is_none()).count();
    }
}

/// --statistics orders fix safety safe, unsafe, none.
const SAFETY: [&str; 3] = ["safe fix", "unsafe fix", "no fix"];

fn safety_rank(fix: Option<Applicability>) -> u8 {
    match fix {
        Some(Applicability::Safe) => 0,
        Some(Applicability::Unsafe) => 1,
        None => 2,
    }
}

/// One file's bytes run through the codemods: what was found, and the new text and bytes when it changes.
struct Checked<'b> {
    decoded: Decoded<'b>,
    findings: Vec<Report>,
    remaining: Vec<Report>,
    applied: usize,
    applied_fixes: Vec<AppliedFix>,
    baselined: usize,
    bugs: Vec<String>,
    notes: Vec<String>,
    /// The fixed text and its bytes in the file's encoding.
    fixed: Option<(String, Vec<u8>)>,
}

impl Checked<'_> {
    /// No finding, nothing changed.
    fn nothing(decoded: Decoded<'_>) -> Checked<'_> {
        Checked {
            decoded,
            findings: Vec::new(),
            remaining: Vec::new(),
            applied: 0,
            applied_fixes: Vec::new(),
            baselined: 0,
            bugs: Vec::new(),
            notes: Vec::new(),
            fixed: None,
        }
    }
}

/// The fixed text, when there is one, with its bytes in the file's encoding.
fn encoded(decoded: &Decoded, fixed: Option<String>) -> Result<Option<(String, Vec<u8>)>, String> {
    fixed.map(|text| decoded.encode(&text).map(|bytes| (text, bytes))).transpose()
}

/// `Ok(None)`: the file says it is generated and is left alone.
fn check_bytes<'b>(
    path: &Path,
    bytes: &'b [u8],
    fs: &FileSettings,
    project: Option<&project::ProjectView<'_>>,
    only: Option<&engine::Only>,
) -> Result<Option<Checked<'b>>, String> {
    // Before decoding: a generated file is left alone even when it would not decode. Pre-commit names every
    // staged file, so this holds for files named on the command line too.
    if !fs.include_generated && is_generated(&String::from_utf8_lossy(head(bytes))) {
        return Ok(None);
    }
    let decoded = decode(bytes)?;
    let opts = FixOptions {
        codemods: &fs.codemods,
        unsafe_fixes: fs.unsafe_fixes,
        target: fs.target,
        is_stub: fs.is_stub,
        codemod_settings: &fs.codemod_settings,
        fix_safety: &fs.fix_safety,
        apply: fs.apply,
        project,
        only,
    };
    if notebook::is_notebook(path) {
        // --select-confirmed: runtime evidence never points into a notebook's cells, so none of its findings is
        // confirmed.
        if only.is_some() {
            return Ok(Some(Checked::nothing(decoded)));
        }
        let nb = notebook::check(&decoded.text, &opts, fs.add_ignore)?;
        let fixed = encoded(&decoded, nb.fixed)?;
        let notebook::Checked { findings, remaining, applied, applied_fixes, baselined, bugs, notes, .. } = nb;
        return Ok(Some(Checked {
            decoded,
            findings,
            remaining,
            applied,
            applied_fixes,
            baselined,
            bugs,
            notes,
            fixed,
        }));
    }
    match fix_source(&decoded.text, &opts) {
        Outcome::Skipped { reason } => Err(format!("not processed: {reason}")),
        Outcome::Checked { findings, mut fixed, applied, applied_fixes, mut remaining, bugs } => {
            let mut baselined = 0;
            let mut notes = Vec::new();
            if fs.add_ignore && !remaining.is_empty() {
                let current = fixed.as_deref().unwrap_or(&decoded.text);
                let marked = baseline::add_ignores(current, &remaining);
                for (line, why) in &marked.refused {
                    notes.push(format!("{line}: cannot add `# pyfix: ignore` here: {why}; the finding stays"));
                }
                if marked.lines > 0 {
                    // What is left once the comments are in: the findings on lines that could not take one.
                    if let Outcome::Checked { remaining: left, .. } = fix_source(&marked.text, &opts) {
                        remaining = left;
                        baselined = marked.lines;
                        fixed = Some(marked.text);
                    }
                }
            }
            let fixed = encoded(&decoded, fixed)?;
            Ok(Some(Checked { decoded, findings, remaining, applied, applied_fixes, baselined, bugs, notes, fixed }))
        }
    }
}

fn process(
    path: &Path,
    fs: &FileSettings,
    settings: &Settings,
    cache: Option<&cache::Cache>,
    projects: &project::Projects,
) -> FileResult {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileResult::Failed(format!("cannot read: {}", discovery::describe_io(&e))),
    };
    let view = projects.view(path);
    let checked = if settings.select_confirmed && settings.mode != Mode::Check {
        confirmed_check(path, &bytes, fs, settings, Some(&view))
    } else {
        cached_check(path, &bytes, fs, settings, cache, &view)
    };
    let checked = match checked {
        Ok(Some(c)) => c,
        Ok(None) => return generated(&bytes),
        Err(reason) => return FileResult::Failed(reason),
    };
    let mut diff = String::new();
    if let Some((new, new_bytes)) = &checked.fixed {
        match settings.mode {
            Mode::DryRun => diff = file_diff(path, &checked.decoded.text, new, settings),
            Mode::Fix => {
                // Stopping: no write starts after the signal (the one in progress elsewhere finishes).
                if interrupt::received().is_some() {
                    return FileResult::NotProcessed;
                }
                if let Err(reason) = write::replace(path, &bytes, new_bytes) {
                    return FileResult::Failed(reason);
                }
            }
            Mode::Check => {}
        }
    }
    let Checked { findings, remaining, applied, applied_fixes, baselined, bugs, notes, .. } = checked;
    let verdicts = Vec::new();
    FileResult::Done { findings, remaining, diff, applied, applied_fixes, baselined, bugs, notes, verdicts }
}

/// A file `check_bytes` left alone as generated, with the line that says so.
fn generated(bytes: &[u8]) -> FileResult {
    let head = String::from_utf8_lossy(head(bytes));
    let (line, text) = encoding::generated_line(&head).unwrap_or((0, ""));
    FileResult::Generated(line, text.to_string())
}

/// --show-fixes: the fixes applied per file, as ruff lists them (`Fixed 3 leaks:`, then `- path:` and a line per
/// codemod and fix title with its count). Nothing when none were.
fn fixes_list(settings: &Settings, t: &Totals) -> String {
    let verb = if settings.mode == Mode::DryRun { "Would fix" } else { "Fixed" };
    let total: usize = t.fixes.iter().flat_map(|(_, counts)| counts.values()).sum();
    if total == 0 {
        return String::new();
    }
    let mut s = format!("{verb} {}:\n", plural(total, "leak"));
    for (path, counts) in &t.fixes {
        s.push_str(&format!("- {path}:\n"));
        for (fix, n) in counts {
            s.push_str(&format!("    {n} × {}: {}\n", fix.codemod, fix.title));
        }
    }
    s
}

/// --show-skipped: the files skipped as generated, each with the line that says so.
fn skipped_list(t: &Totals) -> String {
    let mut s = String::from("Skipped as generated (--include-generated processes them):\n");
    for (path, line, text) in &t.generated {
        s.push_str(&format!("  {path}:{line}: {text}\n"));
    }
    s
}

/// `check_bytes`; with --select-confirmed in a run that fixes or previews, restricted to the findings the evidence
/// confirms: the input's findings are judged first, then only the confirmed ones are reported and fixed (a fix of
/// an unconfirmed finding never lands). Not cached: the evidence is not part of the cache key.
fn confirmed_check<'b>(
    path: &Path,
    bytes: &'b [u8],
    fs: &FileSettings,
    settings: &Settings,
    project: Option<&project::ProjectView<'_>>,
) -> Result<Option<Checked<'b>>, String> {
    let (Some(ev), true) = (&settings.evidence, settings.select_confirmed && settings.mode != Mode::Check) else {
        return check_bytes(path, bytes, fs, project, None);
    };
    let judging = FileSettings { apply: false, add_ignore: false, ..fs.clone() };
    let Some(first) = check_bytes(path, bytes, &judging, project, None)? else { return Ok(None) };
    let canonical = canonical(path);
    let reports: Vec<&Report> = first.findings.iter().collect();
    let file = evidence::FileFindings {
        path: &canonical,
        reports: &reports,
        cache_maxsize: fs.codemod_settings.cache_maxsize,
    };
    let (verdicts, _) = evidence::judge(ev, &[file]);
    let keep: Vec<(usize, &'static str)> = reports
        .iter()
        .zip(&verdicts[0])
        .filter(|(_, v)| v.status == evidence::Status::Confirmed)
        .map(|(r, _)| (r.line, r.codemod))
        .collect();
    if keep.is_empty() {
        return Ok(Some(Checked::nothing(first.decoded)));
    }
    let only = move |line: usize, codemod: &str| keep.iter().any(|&(l, c)| l == line && c == codemod);
    check_bytes(path, bytes, fs, project, Some(&only))
}

/// `check_bytes`, answered from the cache when these bytes were seen with these settings before.
fn cached_check<'b>(
    path: &Path,
    bytes: &'b [u8],
    fs: &FileSettings,
    settings: &Settings,
    cache: Option<&cache::Cache>,
    project: &project::ProjectView<'_>,
) -> Result<Option<Checked<'b>>, String> {
    let Some(cache) = cache else { return check_bytes(path, bytes, fs, Some(project), None) };
    let name = config::relative_to_root(path, &settings.cwd, &settings.root).to_string_lossy().into_owned();
    let key = cache::key(bytes, fs);
    // A result that consulted other files of the project is used only while what it depended on holds.
    if let Some(entry) = cache.get(&name, &key).filter(|e| e.deps.as_ref().is_none_or(|d| project.still_holds(d))) {
        let decoded = decode(bytes)?;
        let fixed = encoded(&decoded, entry.fixed)?;
        let cache::Entry { findings, remaining, applied, applied_fixes, baselined, notes, .. } = entry;
        let bugs = Vec::new();
        return Ok(Some(Checked {
            decoded,
            findings,
            remaining,
            applied,
            applied_fixes,
            baselined,
            bugs,
            notes,
            fixed,
        }));
    }
    let Some(mut checked) = check_bytes(path, bytes, fs, Some(project), None)? else { return Ok(None) };
    // pyfix's own failures are not kept: the next run tries again. A result that asked other files of the project
    // is kept with what it depended on: it holds only as long as they do.
    if checked.bugs.is_empty() {
        // The reports are lent to the entry and taken back, not copied: a file with 400,000 findings held them twice.
        let entry = cache::Entry {
            findings: std::mem::take(&mut checked.findings),
            remaining: std::mem::take(&mut checked.remaining),
            applied: checked.applied,
            applied_fixes: std::mem::take(&mut checked.applied_fixes),
            baselined: checked.baselined,
            notes: std::mem::take(&mut checked.notes),
            fixed: checked.fixed.as_ref().map(|(text, _)| text.clone()),
            deps: project.consulted().then(|| project.dependencies()),
        };
        cache.put(&name, &key, &entry);
        checked.findings = entry.findings;
        checked.remaining = entry.remaining;
        checked.applied_fixes = entry.applied_fixes;
        checked.notes = entry.notes;
    }
    Ok(Some(checked))
}

fn file_diff(path: &Path, old: &str, new: &str, settings: &Settings) -> String {
    let shown = display_path(path);
    let shown = shown.trim_start_matches('/');
    if notebook::is_notebook(path) {
        return notebook::diff(old, new, shown, settings.color);
    }
    diff::unified(old, new, shown, settings.color)
}

/// `pyfix -`: the source comes from stdin. A fix run prints the fixed source (the input unchanged when pyfix cannot
/// process it or `--force-exclude` excludes `--stdin-filename`); --dry-run and --check print as for a file.
/// `None`: excluded, nothing to report.
fn process_stdin(settings: &Settings, out: &mut impl Write) -> Result<Option<(PathBuf, FileResult)>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).context("reading stdin")?;
    let path = settings.stdin_filename.clone().unwrap_or_else(|| PathBuf::from(STDIN_NAME));
    let excluded = settings.stdin_filename.is_some()
        && settings.force_exclude
        && (settings.is_excluded(&path) || discovery::in_skipped_dir(&path, settings));
    let echo = |out: &mut dyn Write| -> Result<()> {
        if settings.mode == Mode::Fix {
            out.write_all(&bytes).context(STDOUT)?;
        }
        Ok(())
    };
    if excluded {
        echo(out)?;
        return Ok(None);
    }
    let fs = settings.file_settings(&path)?;
    // Without --stdin-filename the text has no place: questions about its project get "unknown".
    let projects = project::Projects::new(discovery::is_skipped_dir);
    let view = settings.stdin_filename.as_ref().map(|p| projects.view(p));
    let checked = match confirmed_check(&path, &bytes, &fs, settings, view.as_ref()) {
        Ok(Some(c)) => c,
        Ok(None) => {
            echo(out)?;
            return Ok(Some((path, generated(&bytes))));
        }
        Err(reason) => {
            echo(out)?;
            return Ok(Some((path, FileResult::Failed(reason))));
        }
    };
    let mut diff = String::new();
    match (&checked.fixed, settings.mode) {
        (Some((new, _)), Mode::DryRun) => diff = file_diff(&path, &checked.decoded.text, new, settings),
        (Some((_, new_bytes)), Mode::Fix) => out.write_all(new_bytes).context(STDOUT)?,
        (None, Mode::Fix) => echo(out)?,
        _ => {}
    }
    let Checked { findings, remaining, applied, applied_fixes, baselined, bugs, notes, .. } = checked;
    let verdicts = Vec::new();
    let done = FileResult::Done { findings, remaining, diff, applied, applied_fixes, baselined, bugs, notes, verdicts };
    Ok(Some((path, done)))
}

/// How stdin is named in messages and diffs when no `--stdin-filename` is given.
const STDIN_NAME: &str = "<stdin>";

/// Before the summary line of a large run: files seen, changed and skipped (why), findings by codemod and safety.
fn breakdown(settings: &Settings, t: &Totals) -> String {
    let changed = match settings.mode {
        Mode::Fix => "changed",
        Mode::DryRun => "would change",
        Mode::Check => "with findings",
    };
    let changed_count = if settings.mode == Mode::Check { t.files_with_findings } else { t.changed };
    let mut s = format!("Files: {} seen, {changed_count} {changed}", t.seen);
    let skipped: usize = t.skipped.values().sum();
    if skipped > 0 {
        let kinds: Vec<String> = t.skipped.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        s.push_str(&format!(", {skipped} skipped ({})", kinds.join(", ")));
    }
    s.push('\n');
    let mut codemods: Vec<&str> = t.statistics.keys().map(|(c, _)| *c).collect();
    codemods.dedup();
    for codemod in codemods {
        let counts: Vec<String> = t
            .statistics
            .iter()
            .filter(|((c, _), _)| *c == codemod)
            .map(|((_, rank), n)| format!("{n} {}", SAFETY[usize::from(*rank)]))
            .collect();
        let total: usize = t.statistics.iter().filter(|((c, _), _)| *c == codemod).map(|(_, n)| n).sum();
        s.push_str(&format!("  {codemod}: {} ({})\n", plural(total, "finding"), counts.join(", ")));
    }
    s
}

fn summary(settings: &Settings, t: &Totals, interrupted: Option<interrupt::Signal>) -> String {
    let files = plural(t.files, "file");
    // "in 3 of 5 files": the files that have a leak, out of those checked.
    let leaky =
        if t.files_with_findings == t.files { files.clone() } else { format!("{} of {files}", t.files_with_findings) };
    let mut s = match settings.mode {
        Mode::Check => {
            if t.findings == 0 {
                format!("No leaks found in {files}")
            } else {
                format!("Found {} in {leaky}", plural(t.findings, "leak"))
            }
        }
        Mode::DryRun | Mode::Fix => {
            let verb = if settings.mode == Mode::Fix { "Fixed" } else { "Would fix" };
            if t.findings == 0 {
                format!("No leaks found in {files}")
            } else if t.applied == 0 {
                format!("Found {} in {leaky}, none fixable by this run", plural(t.findings, "leak"))
            } else {
                format!("{verb} {} in {}", plural(t.applied, "leak"), plural(t.changed_files, "file"))
            }
        }
    };
    if settings.mode != Mode::Check {
        let needs = |n: usize| if n == 1 { "needs" } else { "need" };
        if t.remaining_unsafe > 0 {
            let more = if t.applied > 0 { " more" } else { "" };
            s.push_str(&format!("; {}{more} {} --unsafe-fixes", t.remaining_unsafe, needs(t.remaining_unsafe)));
        }
        if t.remaining_none > 0 {
            s.push_str(&format!("; {} cannot be fixed automatically, see --check", t.remaining_none));
        }
    }
    if t.baselined > 0 {
        let verb = if settings.mode == Mode::Fix { "added" } else { "would add" };
        s.push_str(&format!("; {verb} `# pyfix: ignore` to {}", plural(t.baselined, "line")));
    }
    let generated = t.generated.len();
    if generated > 0 {
        let are = if generated == 1 { "says it is" } else { "say they are" };
        let listed = if settings.show_skipped { "" } else { ", --show-skipped lists them" };
        s.push_str(&format!(
            "; {} skipped ({are} generated; --include-generated processes them{listed})",
            plural(generated, "file")
        ));
    }
    // In a fix run: the verdicts of the findings left.
    if settings.evidence.is_some() && t.statuses.iter().sum::<usize>() > 0 {
        let [confirmed, clean, cannot_tell, not_run] = t.statuses;
        let cannot_tell = if cannot_tell > 0 { format!(", {cannot_tell} ran but cannot tell") } else { String::new() };
        s.push_str(&format!(
            "; evidence: {confirmed} confirmed, {clean} ran without leaking{cannot_tell}, {not_run} not run"
        ));
    }
    if t.errors > 0 {
        s.push_str(&format!("; {} (see above)", plural(t.errors, "error")));
    }
    if let Some(signal) = interrupted {
        let left = if t.not_processed == 0 {
            String::new()
        } else {
            format!(", {} not processed", plural(t.not_processed, "file"))
        };
        s.push_str(&format!("; interrupted by {}{left}", signal.name()));
    }
    s
}
