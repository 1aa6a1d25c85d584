//! pyfix: finds memory- and resource-leak patterns in Python source and rewrites them.
//! `run` is the whole pipeline (discover -> read -> fix_source -> report/diff/write) and, with `main.rs`, the only
//! code that touches files or prints. `fix_source` is pure: text in, `Outcome` out.

pub mod cli;
pub mod codemods;
pub mod config;
pub mod diff;
pub mod discovery;
pub mod edit;
pub mod imports;
pub mod semantic;
pub mod source;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

use crate::codemods::{Codemod, Context, Finding};
use crate::config::{Mode, PythonVersion, Settings};
use crate::edit::Applicability;
use crate::source::{SourceFile, Style};

/// At most this many fix passes per file: each pass re-parses and re-runs the codemods on the new text.
pub const MAX_PASSES: usize = 8;

/// Files whose syntax tree nests deeper than this are reported and skipped: every visitor recurses, and CPython's
/// own compiler gives up near 3,000 levels.
pub const MAX_NESTING: usize = 5_000;

pub struct FixOptions<'a> {
    pub codemods: &'a [&'static dyn Codemod],
    pub unsafe_fixes: bool,
    pub target: PythonVersion,
    pub is_stub: bool,
    /// The `maxsize` for caches pyfix bounds.
    pub cache_maxsize: u32,
}

/// A finding as reported: plain data, located in the text it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub line: usize,
    pub col: usize,
    pub codemod: &'static str,
    pub message: String,
    /// `None`: reported without a fix.
    pub fix: Option<Applicability>,
    pub fix_title: Option<String>,
    /// Why the fix is unsafe, or why there is none.
    pub reason: Option<String>,
}

impl Report {
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
pub fn fix_source(text: &str, opts: &FixOptions) -> Outcome {
    let first = match analyze(text, opts) {
        Ok(a) => a,
        Err(reason) => return Outcome::Skipped { reason },
    };
    let findings = first.reports.clone();
    let mut current = text.to_string();
    let mut analysis = first;
    let mut applied = 0;
    let mut bugs = Vec::new();
    for pass in 0.. {
        let allowed: Vec<&edit::Fix> = analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|fix| opts.unsafe_fixes || fix.applicability == Applicability::Safe)
            .collect();
        if allowed.is_empty() {
            break;
        }
        if pass == MAX_PASSES {
            bugs.push(format!("fixes did not converge after {MAX_PASSES} passes; the last good text is kept"));
            break;
        }
        let result = edit::apply(&current, &allowed);
        if result.applied == 0 {
            break;
        }
        // Findings are sorted by offset, not by codemod: sort before removing repeats.
        let mut codemods: Vec<&str> = analysis.findings.iter().filter(|f| f.fix.is_some()).map(|f| f.codemod).collect();
        codemods.sort_unstable();
        codemods.dedup();
        match analyze(&result.text, opts) {
            Ok(next) => {
                applied += result.applied;
                current = result.text;
                analysis = next;
            }
            Err(reason) => {
                bugs.push(format!(
                    "a fix by {} produced code that does not parse ({reason}); that pass was dropped",
                    codemods.join(", ")
                ));
                break;
            }
        }
    }
    let fixed = (current != text).then_some(current);
    Outcome::Checked { findings, fixed, applied, remaining: analysis.reports, bugs }
}

struct Analysis {
    findings: Vec<Finding>,
    reports: Vec<Report>,
}

fn analyze(text: &str, opts: &FixOptions) -> Result<Analysis, String> {
    let parsed = ruff_python_parser::parse_module(text).map_err(|e| {
        let index = ruff_source_file::LineIndex::from_source_text(text);
        let lc = index.line_column(e.location.start(), text);
        format!("syntax error at {}:{}: {}", lc.line, lc.column, e.error)
    })?;
    if source::nests_deeper_than(parsed.syntax(), MAX_NESTING) {
        // Dropping such a tree recurses as deep as it nests: leak it instead (once per pathological file).
        std::mem::forget(parsed);
        return Err(format!("code nested more than {MAX_NESTING} levels deep (CPython cannot compile it either)"));
    }
    let module = parsed.syntax();
    let source = SourceFile::new(text, module);
    let style = Style::detect(parsed.tokens(), text);
    let imports = imports::Imports::new(module, &source);
    let semantic = semantic::Semantic::new(module);
    let cx = Context {
        source: &source,
        module,
        style: &style,
        imports: &imports,
        semantic: &semantic,
        target: opts.target,
        is_stub: opts.is_stub,
        cache_maxsize: opts.cache_maxsize,
    };
    let suppressions = suppressions(&parsed, &source);
    let mut findings: Vec<Finding> = opts
        .codemods
        .iter()
        .flat_map(|c| c.check(&cx))
        .filter(|f| {
            let line = source.line_number(f.range.start());
            !suppressions
                .iter()
                .any(|(l, names)| *l == line && (names.is_empty() || names.iter().any(|n| n == f.codemod)))
        })
        .collect();
    findings.sort_by_key(|f| (f.range.start(), f.range.end(), f.codemod));
    let reports = findings
        .iter()
        .map(|f| {
            let (line, col) = source.line_col(f.range.start());
            Report {
                line,
                col,
                codemod: f.codemod,
                message: f.message.clone(),
                fix: f.fix.as_ref().map(|x| x.applicability),
                fix_title: f.fix.as_ref().map(|x| x.title.clone()),
                reason: match &f.fix {
                    Some(fix) => fix.reason.clone(),
                    None => f.no_fix_reason.clone(),
                },
            }
        })
        .collect();
    Ok(Analysis { findings, reports })
}

/// `# pyfix: ignore` (every codemod) or `# pyfix: ignore[bare-open, ...]` on a line: (line, names).
fn suppressions(
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    source: &SourceFile,
) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
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
        out.push((source.line_number(token.start()), names));
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
    Done { findings: Vec<Report>, remaining: Vec<Report>, diff: String, applied: usize, bugs: Vec<String> },
    Failed(String),
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
    errors: usize,
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
    let discovered = discovery::python_files(&settings);
    let mut totals = Totals { files: discovered.files.len(), ..Totals::default() };
    for (path, reason) in &discovered.errors {
        eprintln!("pyfix: {}: {reason}", path.display());
        totals.errors += 1;
    }

    let pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build()?;
    let results: Vec<(PathBuf, FileResult)> =
        pool.install(|| discovered.files.par_iter().map(|p| (p.clone(), process(p, &settings))).collect());

    for (path, result) in &results {
        let shown = display_path(path);
        match result {
            FileResult::Failed(reason) => {
                eprintln!("pyfix: {shown}: {reason}");
                totals.errors += 1;
            }
            FileResult::Done { findings, remaining, diff, applied, bugs } => {
                for bug in bugs {
                    eprintln!("pyfix: {shown}: internal error: {bug} (please report this)");
                    totals.errors += 1;
                }
                match settings.mode {
                    Mode::Check => {
                        for r in findings {
                            writeln!(out, "{shown}:{}", r.render()).context(STDOUT)?;
                        }
                    }
                    Mode::DryRun => out.write_all(diff.as_bytes()).context(STDOUT)?,
                    Mode::Fix => {}
                }
                totals.findings += findings.len();
                totals.applied += applied;
                totals.changed_files += usize::from(*applied > 0);
                totals.remaining += remaining.len();
                totals.remaining_unsafe += remaining.iter().filter(|r| r.fix == Some(Applicability::Unsafe)).count();
                totals.remaining_none += remaining.iter().filter(|r| r.fix.is_none()).count();
            }
        }
    }
    out.flush().context(STDOUT)?;
    if !settings.quiet {
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

fn process(path: &Path, settings: &Settings) -> FileResult {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileResult::Failed(format!("cannot read: {}", discovery::describe_io(&e))),
    };
    let decoded = match decode(&bytes) {
        Ok(d) => d,
        Err(reason) => return FileResult::Failed(reason),
    };
    let codemods = settings.codemods_for(path);
    let opts = FixOptions {
        codemods: &codemods,
        unsafe_fixes: settings.unsafe_fixes,
        target: settings.target,
        is_stub: path.extension().is_some_and(|e| e == "pyi"),
        cache_maxsize: settings.cache_maxsize,
    };
    match fix_source(&decoded.text, &opts) {
        Outcome::Skipped { reason } => FileResult::Failed(format!("not processed: {reason}")),
        Outcome::Checked { findings, fixed, applied, remaining, bugs } => {
            let mut diff = String::new();
            if let Some(new) = &fixed {
                match settings.mode {
                    Mode::DryRun => {
                        diff = diff::unified(
                            &decoded.text,
                            new,
                            display_path(path).trim_start_matches('/'),
                            settings.color,
                        )
                    }
                    Mode::Fix => {
                        let written = decoded.encode(new).and_then(|out| write_atomically(path, &bytes, &out));
                        if let Err(reason) = written {
                            return FileResult::Failed(reason);
                        }
                    }
                    Mode::Check => {}
                }
            }
            FileResult::Done { findings, remaining, diff, applied, bugs }
        }
    }
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

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_reported() {
        struct Breaker;
        impl Codemod for Breaker {
            fn name(&self) -> &'static str {
                "breaker"
            }
            fn summary(&self) -> &'static str {
                ""
            }
            fn docs(&self) -> &'static str {
                ""
            }
            fn check(&self, cx: &Context) -> Vec<Finding> {
                let range = ruff_text_size::TextRange::empty(0.into());
                let fix = edit::Fix::safe("break it", vec![edit::Edit::replace(range, "(")]);
                vec![Finding::new("breaker", range, "always", fix)]
                    .into_iter()
                    .filter(|_| !cx.source.text().starts_with('('))
                    .collect()
            }
        }
        let codemods: [&'static dyn Codemod; 1] = [&Breaker];
        let opts = FixOptions {
            codemods: &codemods,
            unsafe_fixes: false,
            target: PythonVersion::DEFAULT,
            is_stub: false,
            cache_maxsize: 128,
        };
        let Outcome::Checked { fixed, bugs, .. } = fix_source("x = 1\n", &opts) else { panic!("skipped") };
        assert_eq!(fixed, None, "the file keeps its last good text");
        assert_eq!(bugs.len(), 1);
        assert!(bugs[0].contains("breaker") && bugs[0].contains("does not parse"), "{}", bugs[0]);
    }
}
