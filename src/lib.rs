//! pyfix: finds memory- and resource-leak patterns in Python source and rewrites them.
//! `run` is the whole pipeline (discover -> read -> fix_source -> report/diff/write) and, with `main.rs`, the only
//! code that touches files or prints. `fix_source` is pure: text in, `Outcome` out.

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod codemods;
pub mod compile;
pub mod config;
pub mod diff;
pub mod discovery;
pub mod edit;
pub mod imports;
pub mod notebook;
pub mod output;
pub mod semantic;
pub mod settings;
pub mod source;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

use crate::cli::OutputFormat;
use crate::codemods::{Codemod, Context, Finding};
use crate::config::{Mode, PythonVersion, Settings};
use crate::edit::Applicability;
use crate::settings::FileSettings;
use crate::source::{SourceFile, Style};

/// At most this many fix passes per file: each pass re-parses and re-runs the codemods on the new text. Fixes on
/// the same lines take one pass each (a function opening five files in a row needs five).
pub const MAX_PASSES: usize = 16;

/// Files whose syntax tree nests deeper than this are reported and skipped: every visitor recurses, and CPython's
/// own compiler gives up near 3,000 levels.
pub const MAX_NESTING: usize = 5_000;

pub struct FixOptions<'a> {
    pub codemods: &'a [&'static dyn Codemod],
    pub unsafe_fixes: bool,
    pub target: PythonVersion,
    pub is_stub: bool,
    /// A project's own resource factories (`[tool.pyfix] resource-factories`).
    pub resource_factories: &'a [(String, String)],
    /// The `maxsize` for caches pyfix bounds.
    pub cache_maxsize: u32,
    /// Apply the fixes (to a fixpoint). `--check` only reports the findings of the input: it skips the fix loop,
    /// and with it the re-analysis of every rewritten text.
    pub apply: bool,
}

/// A finding as reported: plain data, located in the text it was found in (lines and columns 1-based, columns in
/// characters; an end is exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    pub codemod: &'static str,
    pub message: String,
    /// `None`: reported without a fix.
    pub fix: Option<Applicability>,
    pub fix_title: Option<String>,
    /// Why the fix is unsafe, or why there is none.
    pub reason: Option<String>,
    /// The fix's edits (empty without a fix), located in the same text.
    pub edits: Vec<ReportEdit>,
    /// In a notebook: the 1-based cell the lines count in.
    pub cell: Option<usize>,
}

/// One edit of a fix: replace `start..end` (line, column; end exclusive) with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportEdit {
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub content: String,
}

impl Report {
    pub fn new(f: &Finding, source: &SourceFile) -> Report {
        let (line, col) = source.line_col(f.range.start());
        let (end_line, end_col) = source.line_col(f.range.end());
        let edits = f.fix.as_ref().map_or_else(Vec::new, |fix| {
            fix.edits()
                .iter()
                .map(|e| ReportEdit {
                    start: source.line_col(e.range.start()),
                    end: source.line_col(e.range.end()),
                    content: e.content.clone(),
                })
                .collect()
        });
        Report {
            line,
            col,
            end_line,
            end_col,
            codemod: f.codemod,
            message: f.message.clone(),
            fix: f.fix.as_ref().map(|x| x.applicability),
            fix_title: f.fix.as_ref().map(|x| x.title.clone()),
            reason: match &f.fix {
                Some(fix) => fix.reason.clone(),
                None => f.no_fix_reason.clone(),
            },
            edits,
            cell: None,
        }
    }

    /// `line:col: codemod: message [fix: safe|unsafe|none] (reason)`.
    pub fn render(&self) -> String {
        let fix = self.fix.map_or("none", Applicability::as_str);
        let mut s = format!("{}:{}: {}: {} [fix: {fix}]", self.line, self.col, self.codemod, self.message);
        if let Some(reason) = &self.reason {
            s.push_str(&format!(" ({reason})"));
        }
        s
    }
}

pub enum Outcome {
    Checked {
        /// Findings in the input text.
        findings: Vec<Report>,
        /// The fixed text, when it differs from the input.
        fixed: Option<String>,
        /// How many fixes were applied.
        applied: usize,
        /// Findings left in the fixed text (all of `findings` when nothing was fixed).
        remaining: Vec<Report>,
        /// pyfix's own failures (a fix that broke the syntax, fixes that did not converge).
        bugs: Vec<String>,
    },
    /// Not processed: does not parse. The file is left untouched.
    Skipped { reason: String },
}

/// Parses `text`, runs `codemods`, and applies the allowed fixes to a fixpoint. Pure: no IO.
///
/// Each pass applies every allowed fix that touches no line an earlier fix in the pass touches (the others wait for
/// the next pass, recomputed on the new text), then checks the result parses and compiles no worse than the input
/// (`compile`). When it does not, the fixes of the pass are bisected: the ones that break it are dropped and reported
/// in `bugs`, the rest are kept. Cost per pass: O(size + N log N) for N fixes; a broken pass adds O(k log N) re-checks
/// for k broken fixes.
pub fn fix_source(text: &str, opts: &FixOptions) -> Outcome {
    let first = match analyze(text, opts, false) {
        Ok(a) => a,
        Err(reason) => return Outcome::Skipped { reason },
    };
    if !opts.apply {
        let findings = first.reports.clone();
        return Outcome::Checked { findings, fixed: None, applied: 0, remaining: first.reports, bugs: Vec::new() };
    }
    let findings = first.reports.clone();
    let mut fixing = Fixing {
        opts,
        original: text,
        original_errors: first.compile_errors.clone().unwrap_or_default(),
        maps: Vec::new(),
        dropped: HashSet::new(),
        bugs: Vec::new(),
    };
    let mut current = text.to_string();
    let mut analysis = first;
    let mut applied = 0;
    for pass in 0.. {
        let allowed: Vec<&Finding> =
            analysis.findings.iter().filter(|f| is_allowed(f, opts) && !fixing.is_dropped(f, &current)).collect();
        if allowed.is_empty() {
            break;
        }
        if pass == MAX_PASSES {
            fixing.bugs.push(format!("fixes did not converge after {MAX_PASSES} passes; the last good text is kept"));
            break;
        }
        let fixes: Vec<&edit::Fix> = allowed.iter().filter_map(|f| f.fix.as_ref()).collect();
        let result = edit::apply(&current, &fixes);
        for &i in &result.invalid {
            fixing.drop_fix(allowed[i], &current, "has an edit outside the text".into());
        }
        if result.applied == 0 {
            if result.invalid.is_empty() {
                break;
            }
            continue;
        }
        let accepted = match fixing.validate(&result.text) {
            Ok(next) => Some((result, next)),
            Err(_) => fixing.isolate(&current, &allowed, &fixes, &result.accepted),
        };
        if let Some((result, next)) = accepted {
            applied += result.applied;
            fixing.maps.push(result.map);
            current = result.text;
            analysis = next;
        }
    }
    let fixed = (current != text).then_some(current);
    Outcome::Checked { findings, fixed, applied, remaining: analysis.reports, bugs: fixing.bugs }
}

fn is_allowed(f: &Finding, opts: &FixOptions) -> bool {
    f.fix.as_ref().is_some_and(|fix| opts.unsafe_fixes || fix.applicability == Applicability::Safe)
}

/// The state of one file's fix loop beyond its current text.
struct Fixing<'a> {
    opts: &'a FixOptions<'a>,
    original: &'a str,
    /// Compile errors the input already had: not pyfix's doing, never held against a fix.
    original_errors: Vec<compile::CompileError>,
    /// One per applied pass: offsets of its output back to its input.
    maps: Vec<edit::OffsetMap>,
    /// Fixes dropped as broken, by `fix_key`, so a later pass does not try them again.
    dropped: HashSet<u64>,
    bugs: Vec<String>,
}

impl Fixing<'_> {
    /// The analysis of a rewritten text, or why it must not be kept.
    fn validate(&self, text: &str) -> Result<Analysis, String> {
        let next = analyze(text, self.opts, true).map_err(|reason| format!("does not parse ({reason})"))?;
        let errors = next.compile_errors.as_deref().unwrap_or_default();
        if let Some(e) = compile::introduced(&self.original_errors, errors).first() {
            let (line, col) = line_col(text, e.range.start());
            return Err(format!("does not compile ({line}:{col}: {})", e.message));
        }
        Ok(next)
    }

    /// Splits `candidates` (indices into `fixes`, whose combined rewrite of `current` failed) into the fixes that
    /// can be kept together and the ones that break the text, which are dropped and reported. Returns the
    /// rewrite by the kept fixes, if any.
    fn isolate(
        &mut self,
        current: &str,
        allowed: &[&Finding],
        fixes: &[&edit::Fix],
        candidates: &[usize],
    ) -> Option<(edit::Applied, Analysis)> {
        let mut good = Vec::new();
        let mut best = None;
        self.bisect(current, allowed, fixes, candidates, &mut good, &mut best);
        best
    }

    fn bisect(
        &mut self,
        current: &str,
        allowed: &[&Finding],
        fixes: &[&edit::Fix],
        candidates: &[usize],
        good: &mut Vec<usize>,
        best: &mut Option<(edit::Applied, Analysis)>,
    ) {
        if candidates.is_empty() {
            return;
        }
        let mut trial = good.clone();
        trial.extend_from_slice(candidates);
        trial.sort_unstable();
        let subset: Vec<&edit::Fix> = trial.iter().map(|&i| fixes[i]).collect();
        let result = edit::apply(current, &subset);
        match self.validate(&result.text) {
            Ok(analysis) => {
                *good = trial;
                *best = Some((result, analysis));
            }
            Err(reason) if candidates.len() == 1 => self.drop_fix(allowed[candidates[0]], current, reason),
            Err(_) => {
                let (left, right) = candidates.split_at(candidates.len() / 2);
                self.bisect(current, allowed, fixes, left, good, best);
                self.bisect(current, allowed, fixes, right, good, best);
            }
        }
    }

    /// Reports `finding`'s fix as a pyfix bug, at its line in the input, and keeps it from being tried again.
    fn drop_fix(&mut self, finding: &Finding, current: &str, reason: String) {
        self.dropped.insert(fix_key(finding, current));
        let offset = self.maps.iter().rev().fold(finding.range.start(), |at, map| map.to_old(at));
        let (line, _) = line_col(self.original, offset);
        self.bugs.push(format!(
            "the {} fix for line {line} was dropped: its rewrite {reason}; the other fixes were kept",
            finding.codemod
        ));
    }

    fn is_dropped(&self, finding: &Finding, current: &str) -> bool {
        !self.dropped.is_empty() && self.dropped.contains(&fix_key(finding, current))
    }
}

/// Identifies a fix across passes, where offsets move: its codemod, title, and what each edit replaces with what.
fn fix_key(finding: &Finding, text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    finding.codemod.hash(&mut h);
    if let Some(fix) = &finding.fix {
        fix.title.hash(&mut h);
        for e in fix.edits() {
            text.get(usize::from(e.range.start())..usize::from(e.range.end())).hash(&mut h);
            e.content.hash(&mut h);
        }
    }
    h.finish()
}

/// 1-based line and column (in characters) of `offset` in `text`.
fn line_col(text: &str, offset: ruff_text_size::TextSize) -> (usize, usize) {
    let index = ruff_source_file::LineIndex::from_source_text(text);
    let lc = index.line_column(offset.min(ruff_text_size::TextSize::of(text)), text);
    (lc.line.get(), lc.column.get())
}

struct Analysis {
    findings: Vec<Finding>,
    reports: Vec<Report>,
    /// The text's compile errors: computed when asked for, or when a fix may be applied.
    compile_errors: Option<Vec<compile::CompileError>>,
}

fn analyze(text: &str, opts: &FixOptions, net: bool) -> Result<Analysis, String> {
    let parsed = ruff_python_parser::parse_module(text).map_err(|e| {
        let index = ruff_source_file::LineIndex::from_source_text(text);
        let lc = index.line_column(e.location.start(), text);
        let line = text[index.line_range(lc.line, text)].trim_start();
        let hint = if looks_like_python2(line) { " (Python 2 code? pyfix reads Python 3)" } else { "" };
        format!("syntax error at {}:{}: {}{hint}", lc.line, lc.column, e.error)
    })?;
    let module = parsed.syntax();
    let semantic = match semantic::Semantic::build(module, MAX_NESTING) {
        Ok(model) => model,
        Err(semantic::TooDeep) => {
            // Dropping such a tree recurses as deep as it nests: leak it instead (once per pathological file).
            std::mem::forget(parsed);
            return Err(format!("code nested more than {MAX_NESTING} levels deep (CPython cannot compile it either)"));
        }
    };
    let source = SourceFile::new(text, parsed.tokens());
    let style = Style::detect(parsed.tokens(), text);
    let imports = imports::Imports::new(&semantic);
    let cx = Context {
        source: &source,
        module,
        style: &style,
        imports: &imports,
        semantic: &semantic,
        target: opts.target,
        is_stub: opts.is_stub,
        resource_factories: opts.resource_factories,
        cache_maxsize: opts.cache_maxsize,
    };
    let suppressions = suppressions(&parsed, &source);
    let mut findings: Vec<Finding> = opts
        .codemods
        .iter()
        .flat_map(|c| c.check(&cx))
        .filter(|f| {
            // Suppressions by line: one lookup per finding, not a scan of every suppression.
            let line = source.line_number(f.range.start());
            !suppressions
                .get(&line)
                .is_some_and(|lists| lists.iter().any(|names| names.is_empty() || names.iter().any(|n| n == f.codemod)))
        })
        .collect();
    findings.sort_by_key(|f| (f.range.start(), f.range.end(), f.codemod));
    let reports = findings.iter().map(|f| Report::new(f, &source)).collect();
    let compile_errors = (net || findings.iter().any(|f| is_allowed(f, opts)))
        .then(|| compile::errors(&semantic, module, text, opts.target));
    Ok(Analysis { findings, reports, compile_errors })
}

/// A line that fails to parse the way Python 2 statements do: `print "x"`, `exec code`, `except E, e:`,
/// `raise E, "msg"`, backticks, `<>`. Only used to add a hint to a syntax error.
fn looks_like_python2(line: &str) -> bool {
    let statement = |kw: &str| {
        line.strip_prefix(kw).is_some_and(|rest| {
            rest.starts_with([' ', '\t']) && !rest.trim_start().starts_with(['(', '=', '.', ',', ')', ':', '['])
        })
    };
    statement("print")
        || statement("exec")
        || ((line.starts_with("except ") || line.starts_with("raise ")) && !line.contains('(') && line.contains(','))
        || line.contains('`')
        || line.contains("<>")
}

/// `# pyfix: ignore` (every codemod) or `# pyfix: ignore[bare-open, ...]` on a line: line -> name lists (an empty
/// list names every codemod).
fn suppressions(
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    source: &SourceFile,
) -> std::collections::HashMap<usize, Vec<Vec<String>>> {
    let mut out: std::collections::HashMap<usize, Vec<Vec<String>>> = std::collections::HashMap::new();
    for token in parsed.tokens().iter().filter(|t| t.kind() == TokenKind::Comment) {
        let comment = source.slice(token.range());
        let Some(i) = comment.find("pyfix:") else { continue };
        let rest = comment[i + "pyfix:".len()..].trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else { continue };
        let names = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((inner, _)) => {
                inner.split(',').map(|n| n.trim().replace('_', "-")).filter(|n| !n.is_empty()).collect()
            }
            None => Vec::new(),
        };
        out.entry(source.line_number(token.start())).or_default().push(names);
    }
    out
}

/// A Python file's text as pyfix edits it, and how to write it back byte for byte.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    bom: bool,
    /// The declared (PEP 263) encoding when the file is not UTF-8.
    encoding: Option<&'static encoding_rs::Encoding>,
}

impl Decoded {
    /// The bytes to write for `text`: BOM and encoding as the file had them. `Err` when `text` holds a character
    /// the file's encoding cannot represent.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xef\xbb\xbf");
        }
        match self.encoding {
            None => out.extend_from_slice(text.as_bytes()),
            Some(enc) => {
                let (bytes, _, unmappable) = enc.encode(text);
                if unmappable {
                    return Err(format!("the fixed text cannot be encoded as {}; not written", enc.name()));
                }
                out.extend_from_slice(&bytes);
            }
        }
        Ok(out)
    }
}

/// Decodes a source file: UTF-8 (with or without BOM), else the encoding its PEP 263 declaration names, provided
/// the bytes survive a round trip through it (so writing back changes nothing but the edits).
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes); not a Python source file".into());
    }
    let (body, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded { text: text.to_string(), bom, encoding: None }),
        Err(e) => {
            let Some(declared) = coding_declaration(body) else {
                return Err(format!(
                    "cannot decode as UTF-8 (invalid byte at offset {}) and no encoding is declared",
                    e.valid_up_to()
                ));
            };
            // Python's names for Latin-1 differ from the WHATWG labels encoding_rs knows.
            let label = match declared.as_str() {
                "latin-1" | "latin1" | "l1" | "iso-latin-1" | "iso8859-1" => "iso-8859-1",
                other => other,
            };
            let enc = encoding_rs::Encoding::for_label(label.as_bytes())
                .ok_or_else(|| format!("cannot decode: declared encoding `{declared}` is not supported"))?;
            // `# coding: utf-8` (or a BOM) over bytes that are not UTF-8: the bytes are wrong, not the declaration.
            if bom || enc == encoding_rs::UTF_8 {
                let declares = if bom { "a UTF-8 BOM".to_string() } else { format!("`coding: {declared}`") };
                return Err(format!(
                    "cannot decode as UTF-8 (invalid byte at offset {}) although it has {declares}",
                    e.valid_up_to()
                ));
            }
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            let round_trip = enc.encode(&text).0;
            if had_errors || round_trip.as_ref() != body {
                return Err(format!("cannot decode as declared encoding `{declared}` without loss"));
            }
            Ok(Decoded { text: text.into_owned(), bom, encoding: Some(enc) })
        }
    }
}

/// The PEP 263 encoding named in the first two lines, lowercased, with `_` read as `-`.
fn coding_declaration(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let trimmed = line.trim_start();
        if !trimmed.starts_with('#') {
            continue;
        }
        if let Some(i) = trimmed.find("coding") {
            let rest = &trimmed[i + "coding".len()..];
            if let Some(rest) = rest.strip_prefix([':', '=']) {
                let name: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                if !name.is_empty() {
                    return Some(name.to_lowercase().replace('_', "-"));
                }
            }
        }
    }
    None
}

/// What happened to one file.
enum FileResult {
    Done {
        findings: Vec<Report>,
        remaining: Vec<Report>,
        diff: String,
        applied: usize,
        /// Lines given a `# pyfix: ignore` by --add-ignore.
        baselined: usize,
        bugs: Vec<String>,
        /// Said on stderr, not errors (a line --add-ignore could not mark).
        notes: Vec<String>,
    },
    Failed(String),
    /// Left alone on purpose: the file says it is generated.
    Generated,
}

/// Totals the summary line and the exit code are made of.
#[derive(Default)]
struct Totals {
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
    generated: usize,
}

/// Context for a failed write to stdout (`pyfix --check > /dev/full`). `main` still finds the `io::Error` under it
/// and treats a broken pipe as success.
const STDOUT: &str = "writing to stdout";

/// The whole run. Returns the exit code: 0 nothing left to change, 1 changes or findings remain, 2 an error.
pub fn run(cli: &cli::Cli) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    if cli.list {
        for c in codemods::ALL {
            writeln!(out, "{:<18} {}", c.name(), c.summary()).context(STDOUT)?;
        }
        return Ok(0);
    }
    if let Some(name) = &cli.explain {
        let names = config::resolve_names(std::slice::from_ref(name), "--explain")?;
        for n in names {
            if let Some(c) = codemods::by_name(n) {
                writeln!(out, "{}", c.docs().trim_end()).context(STDOUT)?;
            }
        }
        return Ok(0);
    }
    let settings = config::resolve(cli)?;
    let mut totals = Totals::default();
    let results = if settings.stdin {
        process_stdin(&settings, &mut out)?.into_iter().collect()
    } else {
        process_files(&settings, &mut totals)?
    };
    report(&settings, &results, &mut totals, &mut out)?;
    out.flush().context(STDOUT)?;
    if !settings.quiet {
        if totals.files > output::LARGE_RUN {
            eprint!("{}", breakdown(&settings, &totals));
        }
        eprintln!("{}", summary(&settings, &totals));
    }
    Ok(if totals.errors > 0 {
        2
    } else {
        match settings.mode {
            Mode::Check | Mode::DryRun if totals.findings > 0 => 1,
            Mode::Fix if totals.remaining > 0 => 1,
            _ => 0,
        }
    })
}

/// Discovers the files and processes them in parallel (with the cache and, on a terminal, a progress bar).
fn process_files(settings: &Settings, totals: &mut Totals) -> Result<Vec<(PathBuf, FileResult)>> {
    let discovered = discovery::python_files(settings);
    for (path, reason) in &discovered.errors {
        eprintln!("pyfix: {}: {reason}", path.display());
        totals.errors += 1;
    }
    // Every file's settings before any file is touched: an invalid config file stops the run, as the run's own does.
    let views = discovered.files.iter().map(|p| settings.file_settings(p)).collect::<Result<Vec<_>>>()?;
    let cache = settings.cache_dir.as_deref().map(cache::Cache::open).map(|(cache, note)| {
        if let (Some(note), false) = (note, settings.quiet) {
            eprintln!("pyfix: {note}");
        }
        cache
    });
    let progress = output::progress_bar(discovered.files.len(), settings.quiet);
    let pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build()?;
    let results = pool.install(|| {
        discovered
            .files
            .par_iter()
            .zip(&views)
            .map(|(p, fs)| {
                let result = process(p, fs, settings, cache.as_ref());
                progress.inc(1);
                (p.clone(), result)
            })
            .collect()
    });
    progress.finish_and_clear();
    if let Some(Err(note)) = cache.map(cache::Cache::save) {
        if !settings.quiet {
            eprintln!("pyfix: {note}");
        }
    }
    Ok(results)
}

/// Prints each file's errors, notes, findings or diff in path order (json and sarif: one document at the end, or
/// the --statistics table instead) and adds the file to `totals`.
fn report(
    settings: &Settings,
    results: &[(PathBuf, FileResult)],
    totals: &mut Totals,
    out: &mut impl Write,
) -> Result<()> {
    totals.files = results.len();
    // For json and sarif: (path as shown, report).
    let mut collected: Vec<(String, &Report)> = Vec::new();
    for (path, result) in results {
        let shown = display_path(path);
        match result {
            FileResult::Failed(reason) => {
                eprintln!("pyfix: {shown}: {reason}");
                totals.errors += 1;
                *totals.skipped.entry(output::skip_kind(reason)).or_default() += 1;
            }
            FileResult::Generated => totals.generated += 1,
            FileResult::Done { findings, remaining, diff, applied, baselined, bugs, notes } => {
                for bug in bugs {
                    eprintln!("pyfix: {shown}: internal error: {bug} (please report this)");
                    totals.errors += 1;
                }
                for note in notes {
                    eprintln!("pyfix: {shown}:{note}");
                }
                // A fix run's reports are what it left; the others report what they found.
                let reports = if settings.mode == Mode::Fix { remaining } else { findings };
                match (settings.output_format, settings.mode) {
                    _ if settings.statistics => {}
                    (OutputFormat::Text, Mode::Check) => {
                        for r in reports {
                            writeln!(out, "{}", output::text(&shown, r)).context(STDOUT)?;
                        }
                    }
                    (OutputFormat::Text, Mode::DryRun) => out.write_all(diff.as_bytes()).context(STDOUT)?,
                    (OutputFormat::Text, Mode::Fix) => {}
                    // stdin's fix run prints the fixed source: nothing else may go to stdout.
                    (_, Mode::Fix) if settings.stdin => {}
                    (OutputFormat::Github, _) => {
                        for r in reports {
                            writeln!(out, "{}", output::github(&shown, r)).context(STDOUT)?;
                        }
                    }
                    (OutputFormat::Json | OutputFormat::Sarif, _) => {
                        collected.extend(reports.iter().map(|r| (shown.clone(), r)));
                    }
                }
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
    if settings.stdin && settings.mode == Mode::Fix {
        return Ok(());
    }
    let located: Vec<output::Located> =
        collected.iter().map(|(path, report)| output::Located { path, report }).collect();
    match settings.output_format {
        OutputFormat::Json => out.write_all(output::json(&located).as_bytes()).context(STDOUT),
        OutputFormat::Sarif => out.write_all(output::sarif(&located).as_bytes()).context(STDOUT),
        OutputFormat::Text | OutputFormat::Github => Ok(()),
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
struct Checked {
    decoded: Decoded,
    findings: Vec<Report>,
    remaining: Vec<Report>,
    applied: usize,
    baselined: usize,
    bugs: Vec<String>,
    notes: Vec<String>,
    /// The fixed text and its bytes in the file's encoding.
    fixed: Option<(String, Vec<u8>)>,
}

/// `Ok(None)`: the file says it is generated and is left alone.
fn check_bytes(path: &Path, bytes: &[u8], fs: &FileSettings) -> Result<Option<Checked>, String> {
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
        resource_factories: &fs.resource_factories,
        cache_maxsize: fs.cache_maxsize,
        apply: fs.apply,
    };
    if notebook::is_notebook(path) {
        let nb = notebook::check(&decoded.text, &opts, fs.add_ignore)?;
        let fixed = match nb.fixed {
            Some(text) => {
                let bytes = decoded.encode(&text)?;
                Some((text, bytes))
            }
            None => None,
        };
        let notebook::Checked { findings, remaining, applied, baselined, bugs, notes, .. } = nb;
        return Ok(Some(Checked { decoded, findings, remaining, applied, baselined, bugs, notes, fixed }));
    }
    match fix_source(&decoded.text, &opts) {
        Outcome::Skipped { reason } => Err(format!("not processed: {reason}")),
        Outcome::Checked { findings, mut fixed, applied, mut remaining, bugs } => {
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
            let fixed = match fixed {
                Some(text) => {
                    let bytes = decoded.encode(&text)?;
                    Some((text, bytes))
                }
                None => None,
            };
            Ok(Some(Checked { decoded, findings, remaining, applied, baselined, bugs, notes, fixed }))
        }
    }
}

fn process(path: &Path, fs: &FileSettings, settings: &Settings, cache: Option<&cache::Cache>) -> FileResult {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileResult::Failed(format!("cannot read: {}", discovery::describe_io(&e))),
    };
    let checked = match cached_check(path, &bytes, fs, settings, cache) {
        Ok(Some(c)) => c,
        Ok(None) => return FileResult::Generated,
        Err(reason) => return FileResult::Failed(reason),
    };
    let mut diff = String::new();
    if let Some((new, new_bytes)) = &checked.fixed {
        match settings.mode {
            Mode::DryRun => diff = file_diff(path, &checked.decoded.text, new, settings),
            Mode::Fix => {
                if let Err(reason) = write_atomically(path, &bytes, new_bytes) {
                    return FileResult::Failed(reason);
                }
            }
            Mode::Check => {}
        }
    }
    let Checked { findings, remaining, applied, baselined, bugs, notes, .. } = checked;
    FileResult::Done { findings, remaining, diff, applied, baselined, bugs, notes }
}

/// `check_bytes`, answered from the cache when these bytes were seen with these settings before.
fn cached_check(
    path: &Path,
    bytes: &[u8],
    fs: &FileSettings,
    settings: &Settings,
    cache: Option<&cache::Cache>,
) -> Result<Option<Checked>, String> {
    let Some(cache) = cache else { return check_bytes(path, bytes, fs) };
    let name = config::relative_to_root(path, &settings.cwd, &settings.root).to_string_lossy().into_owned();
    let key = cache::key(bytes, fs);
    if let Some(entry) = cache.get(&name, &key) {
        let decoded = decode(bytes)?;
        let fixed = match entry.fixed {
            Some(text) => {
                let bytes = decoded.encode(&text)?;
                Some((text, bytes))
            }
            None => None,
        };
        let cache::Entry { findings, remaining, applied, baselined, notes, .. } = entry;
        return Ok(Some(Checked { decoded, findings, remaining, applied, baselined, bugs: Vec::new(), notes, fixed }));
    }
    let Some(checked) = check_bytes(path, bytes, fs)? else { return Ok(None) };
    // pyfix's own failures are not kept: the next run tries again.
    if checked.bugs.is_empty() {
        let entry = cache::Entry {
            findings: checked.findings.clone(),
            remaining: checked.remaining.clone(),
            applied: checked.applied,
            baselined: checked.baselined,
            notes: checked.notes.clone(),
            fixed: checked.fixed.as_ref().map(|(text, _)| text.clone()),
        };
        cache.put(&name, &key, &entry);
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
    let checked = match check_bytes(&path, &bytes, &fs) {
        Ok(Some(c)) => c,
        Ok(None) => {
            echo(out)?;
            return Ok(Some((path, FileResult::Generated)));
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
    let Checked { findings, remaining, applied, baselined, bugs, notes, .. } = checked;
    Ok(Some((path, FileResult::Done { findings, remaining, diff, applied, baselined, bugs, notes })))
}

/// How stdin is named in messages and diffs when no `--stdin-filename` is given.
const STDIN_NAME: &str = "<stdin>";

/// True when the first lines say the file is generated (`@generated`, "automatically generated", "do not edit"):
/// a fix there is lost at the next generation, so such files are left alone unless `include-generated` is set.
/// What `is_generated` reads of a file: its first 10 lines, within its first 4096 bytes (decoding no more).
fn head(bytes: &[u8]) -> &[u8] {
    let bytes = &bytes[..bytes.len().min(4096)];
    let tenth_newline = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(9);
    let end = tenth_newline.map_or(bytes.len(), |(i, _)| i + 1);
    &bytes[..end]
}

pub fn is_generated(text: &str) -> bool {
    text.lines().take(10).any(|line| {
        let l = line.to_ascii_lowercase();
        l.contains("@generated")
            || l.contains("do not edit")
            || l.contains("automatically generated")
            || l.contains("auto-generated")
            || l.contains("autogenerated")
            || (l.trim_start().starts_with('#') && l.contains("generated by"))
    })
}

/// Writes through a temporary file in the same directory and a rename, keeping permissions. Refuses when the
/// file changed on disk since `original` was read.
fn write_atomically(path: &Path, original: &[u8], new: &[u8]) -> Result<(), String> {
    let target =
        std::fs::canonicalize(path).map_err(|e| format!("cannot resolve path: {}", discovery::describe_io(&e)))?;
    let now =
        std::fs::read(&target).map_err(|e| format!("cannot re-read before writing: {}", discovery::describe_io(&e)))?;
    if now != original {
        return Err("changed on disk while pyfix was running; not overwritten (run pyfix again)".into());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let perms = std::fs::metadata(&target).map(|m| m.permissions()).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".pyfix-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file beside it: {}", discovery::describe_io(&e)))?;
    tmp.write_all(new)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write: {}", discovery::describe_io(&e)))?;
    if let Some(perms) = perms {
        std::fs::set_permissions(tmp.path(), perms)
            .map_err(|e| format!("cannot keep permissions: {}", discovery::describe_io(&e)))?;
    }
    tmp.persist(&target).map_err(|e| format!("cannot replace the file: {}", discovery::describe_io(&e.error)))?;
    Ok(())
}

fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else if one.ends_with('s') {
        format!("{n} {one}es")
    } else {
        format!("{n} {one}s")
    }
}

/// Before the summary line of a large run: files seen, changed and skipped (why), findings by codemod and safety.
fn breakdown(settings: &Settings, t: &Totals) -> String {
    let changed = match settings.mode {
        Mode::Fix => "changed",
        Mode::DryRun => "would change",
        Mode::Check => "with findings",
    };
    let changed_count = if settings.mode == Mode::Check { t.files_with_findings } else { t.changed };
    let mut s = format!("Files: {} seen, {changed_count} {changed}", t.files);
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

fn summary(settings: &Settings, t: &Totals) -> String {
    let files = plural(t.files, "file");
    let mut s = match settings.mode {
        Mode::Check => {
            if t.findings == 0 {
                format!("No leaks found in {files}")
            } else {
                format!("Found {} in {files}", plural(t.findings, "leak"))
            }
        }
        Mode::DryRun | Mode::Fix => {
            let verb = if settings.mode == Mode::Fix { "Fixed" } else { "Would fix" };
            if t.findings == 0 {
                format!("No leaks found in {files}")
            } else if t.applied == 0 {
                format!("Found {} in {files}, none fixable by this run", plural(t.findings, "leak"))
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
    if t.generated > 0 {
        let are = if t.generated == 1 { "says it is" } else { "say they are" };
        s.push_str(&format!(
            "; {} skipped ({are} generated; --include-generated processes them)",
            plural(t.generated, "file")
        ));
    }
    if t.errors > 0 {
        s.push_str(&format!("; {} (see above)", plural(t.errors, "error")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_refuses_a_file_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 2\n").unwrap();
        let err = write_atomically(&path, b"x = 1\n", b"x = 3\n").unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"x = 2\n");
    }

    #[test]
    fn write_replaces_the_file_and_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
        write_atomically(&path, b"x = 1\n", b"x = 3\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x = 3\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o751);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.py")], "a temporary file was left behind");
    }

    #[test]
    fn decode_round_trips_bom_and_declared_encodings() {
        let d = decode(b"\xef\xbb\xbfx = 1\n").unwrap();
        assert_eq!(d.text, "x = 1\n");
        assert_eq!(d.encode("y = 2\n").unwrap(), b"\xef\xbb\xbfy = 2\n");
        let latin = b"# -*- coding: latin-1 -*-\ns = '\xe9'\n";
        let d = decode(latin).unwrap();
        assert!(d.text.contains('\u{e9}'));
        assert_eq!(d.encode(&d.text).unwrap(), latin);
        assert!(decode(b"x = '\xff'\n").unwrap_err().contains("UTF-8"));
        assert!(decode(b"x = 1\0\n").unwrap_err().contains("binary"));
    }

    /// A test codemod: inserts `text` at the start of the line holding `needle` (a deliberately broken fix).
    struct Inserts {
        name: &'static str,
        needle: &'static str,
        text: &'static str,
    }

    impl Codemod for Inserts {
        fn name(&self) -> &'static str {
            self.name
        }
        fn summary(&self) -> &'static str {
            ""
        }
        fn docs(&self) -> &'static str {
            ""
        }
        fn check(&self, cx: &Context) -> Vec<Finding> {
            let Some(at) = cx.source.text().find(self.needle) else { return vec![] };
            let start = cx.source.line_start(ruff_text_size::TextSize::try_from(at).unwrap());
            let fix = edit::Fix::safe("break it", vec![edit::Edit::insert(start, self.text)]);
            vec![Finding::new(self.name, ruff_text_size::TextRange::empty(start), "always", fix)]
        }
    }

    fn fix_with(codemods: &[&'static dyn Codemod], text: &str) -> (Option<String>, usize, Vec<String>) {
        let opts = FixOptions {
            codemods,
            unsafe_fixes: true,
            target: PythonVersion::DEFAULT,
            is_stub: false,
            resource_factories: &[],
            cache_maxsize: 128,
            apply: true,
        };
        let Outcome::Checked { fixed, applied, bugs, .. } = fix_source(text, &opts) else { panic!("skipped") };
        (fixed, applied, bugs)
    }

    const COPY: &str = "def copy(a, b):\n    src = open(a, \"rb\")\n    dst = open(b, \"wb\")\n    while True:\n        chunk = src.read(4096)\n        if not chunk:\n            break\n        dst.write(chunk)\n    dst.close()\n    src.close()\n";

    #[test]
    fn two_files_opened_one_after_the_other_both_get_their_with() {
        // Both fixes rewrite the same lines: the second waits for the next pass and nests inside the first.
        let (fixed, applied, bugs) = fix_with(&[&codemods::bare_open::BareOpen], COPY);
        assert_eq!(bugs, Vec::<String>::new(), "a file where every fix applies is not an error");
        assert_eq!(applied, 2);
        let expected = "def copy(a, b):\n    with open(a, \"rb\") as src:\n        with open(b, \"wb\") as dst:\n            while True:\n                chunk = src.read(4096)\n                if not chunk:\n                    break\n                dst.write(chunk)\n";
        assert_eq!(fixed.as_deref(), Some(expected));
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_reported() {
        let breaker: &'static dyn Codemod = &Inserts { name: "breaker", needle: "x = 1", text: "(" };
        let (fixed, applied, bugs) = fix_with(&[breaker], "y = 0\nx = 1\n");
        assert_eq!(fixed, None, "the file keeps its last good text");
        assert_eq!(applied, 0);
        assert_eq!(bugs.len(), 1);
        assert!(bugs[0].contains("breaker fix for line 2") && bugs[0].contains("does not parse"), "{}", bugs[0]);
    }

    #[test]
    fn a_broken_fix_is_dropped_alone_while_the_other_fixes_land() {
        let text = format!("def add(item, items=[]):\n    items.append(item)\n    return items\n\n\n{COPY}\n\nx = 1\n");
        let breaker: &'static dyn Codemod = &Inserts { name: "breaker", needle: "x = 1", text: "(" };
        let all: [&'static dyn Codemod; 3] =
            [&codemods::bare_open::BareOpen, &codemods::mutable_default::MutableDefault, breaker];
        let (fixed, applied, bugs) = fix_with(&all, &text);
        assert_eq!(applied, 3, "both `with` blocks and the `None` default land");
        let fixed = fixed.expect("fixed");
        assert!(fixed.contains("items=None") && fixed.contains("with open(b, \"wb\") as dst:"), "{fixed}");
        assert!(fixed.ends_with("\nx = 1\n"), "the broken fix is not applied: {fixed}");
        assert_eq!(bugs.len(), 1, "{bugs:?}");
        assert!(bugs[0].contains("breaker fix for line 18"), "the line in the input: {}", bugs[0]);
    }

    #[test]
    fn a_fix_that_parses_but_does_not_compile_is_dropped() {
        let returner: &'static dyn Codemod = &Inserts { name: "returner", needle: "x = 1", text: "return 0\n" };
        let (fixed, _, bugs) = fix_with(
            &[&codemods::mutable_default::MutableDefault, returner],
            "def f(a=[]):\n    a.append(1)\n    return a\nx = 1\n",
        );
        assert!(fixed.as_deref().is_some_and(|f| f.contains("a=None") && !f.contains("return 0")), "{fixed:?}");
        assert_eq!(bugs.len(), 1, "{bugs:?}");
        assert!(bugs[0].contains("returner fix for line 4") && bugs[0].contains("does not compile"), "{}", bugs[0]);
        assert!(bugs[0].contains("`return` statement outside of a function"), "{}", bugs[0]);
    }

    #[test]
    fn compile_errors_the_input_already_had_are_not_held_against_a_fix() {
        // `return` at module level: the input does not compile today; the fix does not make it worse.
        let text = "def f(a=[]):\n    a.append(1)\n    return a\nreturn 2\n";
        let (fixed, applied, bugs) = fix_with(&[&codemods::mutable_default::MutableDefault], text);
        assert_eq!(bugs, Vec::<String>::new());
        assert_eq!(applied, 1);
        assert!(fixed.is_some_and(|f| f.contains("a=None")));
    }
}
