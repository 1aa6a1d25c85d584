//! The fix engine: text in, findings and fixed text out. Parses, runs the codemods, honours `# pyfix: ignore`,
//! and applies fixes to a fixpoint behind the compile check, bisecting out the fixes that break it.
//! Pure: no files, no printing, no settings resolution (that is the driver in `lib.rs`).

use std::collections::HashSet;

use crate::codemods::{Codemod, CodemodSettings, Context, Finding};
use crate::edit::Applicability;
use crate::project::ProjectView;
use crate::report::{AppliedFix, Report};
use crate::settings::FixSafety;
use crate::source::{SourceFile, Style};
use crate::{compile, edit, imports, semantic};
use ruff_python_ast::PythonVersion;

/// At most this many fix passes per file: each pass re-parses and re-runs the codemods on the new text. Fixes on
/// the same lines take one pass each (a function opening five files in a row needs five).
pub const MAX_PASSES: usize = 16;

pub use crate::semantic::MAX_NESTING;

pub struct FixOptions<'a> {
    pub codemods: &'a [&'static dyn Codemod],
    pub unsafe_fixes: bool,
    pub target: PythonVersion,
    pub is_stub: bool,
    /// What the settings tell the codemods.
    pub codemod_settings: &'a CodemodSettings,
    /// `extend-safe-fixes` / `extend-unsafe-fixes`: codemods whose fixes are made safe or unsafe.
    pub fix_safety: &'a FixSafety,
    /// Apply the fixes (to a fixpoint). `--check` only reports the findings of the input: it skips the fix loop,
    /// and with it the re-analysis of every rewritten text.
    pub apply: bool,
    /// The file's project, for questions other files answer; `None` when the text has no known place.
    pub project: Option<&'a ProjectView<'a>>,
    /// Keep only the findings this accepts, given their 1-based line in the input text and their codemod; the
    /// others are dropped as if suppressed, fix and all (`--select-confirmed`). A finding in a later pass is asked
    /// about at the line its text came from.
    pub only: Option<&'a Only<'a>>,
}

/// A restriction of the findings by (line in the input text, codemod): see `FixOptions::only`.
pub type Only<'a> = dyn Fn(usize, &str) -> bool + Sync + 'a;

/// What a caller that cuts the text up again (a notebook) says about a fix in `text`: `Some(reason)` when it must
/// not be applied. Its finding is then reported without a fix, with that reason, like any finding pyfix cannot fix.
pub type Guard<'a> = dyn Fn(&str, &edit::Fix) -> Option<String> + 'a;

pub enum Outcome {
    Checked {
        /// Findings in the input text.
        findings: Vec<Report>,
        /// The fixed text, when it differs from the input.
        fixed: Option<String>,
        /// How many fixes were applied.
        applied: usize,
        /// The fixes applied (`applied` of them), in the order of the passes that applied them.
        applied_fixes: Vec<AppliedFix>,
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
    fix_source_guarded(text, opts, None)
}

/// `fix_source`, where `guard` may refuse fixes: a refused fix is never applied, and its finding (in `findings` and
/// `remaining`) has no fix and the guard's reason.
pub fn fix_source_guarded(text: &str, opts: &FixOptions, guard: Option<&Guard>) -> Outcome {
    let mut first = match analyze(text, opts, guard, false) {
        Ok(a) => a,
        Err(reason) => return Outcome::Skipped { reason },
    };
    let original_lines = opts.only.map(|_| ruff_source_file::LineIndex::from_source_text(text));
    if let (Some(only), Some(lines)) = (opts.only, &original_lines) {
        restrict(&mut first, only, &[], lines, text);
    }
    if !opts.apply {
        let findings = first.reports.clone();
        return Outcome::Checked {
            findings,
            fixed: None,
            applied: 0,
            applied_fixes: Vec::new(),
            remaining: first.reports,
            bugs: Vec::new(),
        };
    }
    let findings = first.reports.clone();
    let mut fixing = Fixing {
        opts,
        guard,
        original: text,
        original_errors: first.compile_errors.clone().unwrap_or_default(),
        maps: Vec::new(),
        dropped: HashSet::new(),
        bugs: Vec::new(),
    };
    let mut current = text.to_string();
    let mut analysis = first;
    let mut applied = 0;
    let mut applied_fixes = Vec::new();
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
            applied_fixes.extend(
                result
                    .accepted
                    .iter()
                    .map(|&i| AppliedFix { codemod: allowed[i].codemod, title: fixes[i].title.clone() }),
            );
            fixing.maps.push(result.map);
            current = result.text;
            analysis = next;
            if let (Some(only), Some(lines)) = (opts.only, &original_lines) {
                restrict(&mut analysis, only, &fixing.maps, lines, text);
            }
        }
    }
    let fixed = (current != text).then_some(current);
    Outcome::Checked { findings, fixed, applied, applied_fixes, remaining: analysis.reports, bugs: fixing.bugs }
}

/// Drops the findings `only` refuses, asking at the line of the input their start came from (through `maps`).
fn restrict(
    analysis: &mut Analysis,
    only: &Only,
    maps: &[edit::OffsetMap],
    original_lines: &ruff_source_file::LineIndex,
    original: &str,
) {
    let keep: Vec<bool> = analysis
        .findings
        .iter()
        .map(|f| {
            let offset = maps.iter().rev().fold(f.range.start(), |at, map| map.to_old(at));
            let line = original_lines.line_column(offset.min(ruff_text_size::TextSize::of(original)), original).line;
            only(line.get(), f.codemod)
        })
        .collect();
    // `reports` are made from `findings`, one each, in the same order.
    let mut kept = keep.iter();
    analysis.findings.retain(|_| kept.next() == Some(&true));
    let mut kept = keep.iter();
    analysis.reports.retain(|_| kept.next() == Some(&true));
}

fn is_allowed(f: &Finding, opts: &FixOptions) -> bool {
    f.fix.as_ref().is_some_and(|fix| opts.unsafe_fixes || fix.applicability == Applicability::Safe)
}

/// The state of one file's fix loop beyond its current text.
struct Fixing<'a> {
    opts: &'a FixOptions<'a>,
    guard: Option<&'a Guard<'a>>,
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
        let next = analyze(text, self.opts, self.guard, true).map_err(|reason| format!("does not parse ({reason})"))?;
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
                // `accepted` counts in `subset`: make it count in `fixes`, as the caller's results do.
                let mut result = result;
                result.accepted = result.accepted.iter().map(|&k| trial[k]).collect();
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

/// Whether two string tokens follow each other (comments and line breaks inside brackets aside): the tree then may
/// hold an implicitly concatenated string literal.
fn has_implicit_concatenation(tokens: &ruff_python_ast::token::Tokens) -> bool {
    use ruff_python_ast::token::TokenKind;
    let mut after_string = false;
    for token in tokens {
        match token.kind() {
            TokenKind::String if after_string => return true,
            TokenKind::String => after_string = true,
            TokenKind::NonLogicalNewline | TokenKind::Comment => {}
            _ => after_string = false,
        }
    }
    false
}

/// Asks every implicitly concatenated string literal of `module` for its text, which it keeps.
fn fill_concatenated_strings(module: &ruff_python_ast::ModModule) {
    use ruff_python_ast::visitor::{walk_expr, Visitor};
    struct Fill;
    impl<'a> Visitor<'a> for Fill {
        fn visit_expr(&mut self, expr: &'a ruff_python_ast::Expr) {
            if let ruff_python_ast::Expr::StringLiteral(s) = expr {
                if s.value.is_implicit_concatenated() {
                    s.value.to_str();
                }
            }
            walk_expr(self, expr);
        }
    }
    Fill.visit_body(&module.body);
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

fn analyze(text: &str, opts: &FixOptions, guard: Option<&Guard>, net: bool) -> Result<Analysis, String> {
    // The parse allocates from this thread's arena (`crate::arena`), which `arena` outlives: the tree is forgotten,
    // not freed node by node, when the file is done.
    let arena = crate::arena::scope();
    crate::arena::begin_tree();
    let parsed = crate::arena::parsing(&arena, || ruff_python_parser::parse_module(text)).map_err(|e| {
        let index = ruff_source_file::LineIndex::from_source_text(text);
        let lc = index.line_column(e.location.start(), text);
        let line = text[index.line_range(lc.line, text)].trim_start();
        let hint = if looks_like_python2(line) { " (Python 2 code? pyfix reads Python 3)" } else { "" };
        format!("syntax error at {}:{}: {}{hint}", lc.line, lc.column, e.error)
    })?;
    // The tokens are read here and let go before the semantic model is built: 12 bytes a token (a third of the
    // text's size again) no longer held beside the tree and the model, the file's peak.
    let source = SourceFile::new(text, parsed.tokens());
    let style = Style::detect(parsed.tokens(), text);
    let concatenated = has_implicit_concatenation(parsed.tokens());
    let module = parsed.into_syntax();
    if concatenated {
        // The one part of a tree made when first asked for, the text of an implicitly concatenated string: made now,
        // in the arena, or it would come from the global allocator and be lost with the forgotten tree.
        crate::arena::parsing(&arena, || fill_concatenated_strings(&module));
    }
    let module = crate::arena::Tree::new(module);
    let semantic = match semantic::Semantic::build(&module, MAX_NESTING) {
        Ok(model) => model,
        Err(semantic::TooDeep) => {
            // Dropping such a tree recurses as deep as it nests: leak it instead (once per pathological file).
            std::mem::forget(module);
            return Err(format!("code nested more than {MAX_NESTING} levels deep (CPython cannot compile it either)"));
        }
    };
    let module: &ruff_python_ast::ModModule = &module;
    let imports = imports::Imports::new(&semantic);
    let attributes = std::cell::OnceCell::new();
    let imports_test_runner = std::cell::OnceCell::new();
    let cx = Context {
        source: &source,
        module,
        style: &style,
        imports: &imports,
        semantic: &semantic,
        target: opts.target,
        is_stub: opts.is_stub,
        settings: opts.codemod_settings,
        attribute_index: &attributes,
        imports_test_runner: &imports_test_runner,
        project: opts.project,
    };
    let suppressions = suppressions(&source);
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
    for f in &mut findings {
        if let Some(fix) = &mut f.fix {
            opts.fix_safety.apply(f.codemod, fix);
        }
    }
    if let Some(guard) = guard {
        for f in &mut findings {
            if let Some(reason) = f.fix.as_ref().and_then(|fix| guard(text, fix)) {
                f.fix = None;
                f.no_fix_reason = Some(reason);
            }
        }
    }
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
fn suppressions(source: &SourceFile) -> std::collections::HashMap<usize, Vec<Vec<String>>> {
    let mut out: std::collections::HashMap<usize, Vec<Vec<String>>> = std::collections::HashMap::new();
    for comment_range in source.comments() {
        let comment = source.slice(comment_range);
        let Some(i) = comment.find("pyfix:") else { continue };
        let rest = comment[i + "pyfix:".len()..].trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else { continue };
        let names = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((inner, _)) => {
                inner.split(',').map(|n| n.trim().replace('_', "-")).filter(|n| !n.is_empty()).collect()
            }
            None => Vec::new(),
        };
        out.entry(source.line_number(comment_range.start())).or_default().push(names);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codemods;

    #[test]
    fn implicit_concatenation_is_seen_in_the_tokens() {
        let seen = |text: &str| has_implicit_concatenation(ruff_python_parser::parse_module(text).unwrap().tokens());
        assert!(seen("x = 'a' 'b'\n"));
        assert!(seen("x = (\n    'a'  # one\n    'b'\n)\n"));
        assert!(seen("f(b'a' b'b')\n"));
        assert!(!seen("x = 'a'; y = 'b'\n"));
        assert!(!seen("f('a', 'b')\n"));
        assert!(!seen("x = 'a'\n'b'\n"));
        // An f-string's concatenation keeps no text of its own.
        assert!(!seen("x = 'a' f'{b}'\n"));
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
            target: crate::config::DEFAULT_TARGET,
            is_stub: false,
            codemod_settings: &CodemodSettings::default(),
            fix_safety: &FixSafety::default(),
            apply: true,
            project: None,
            only: None,
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
    fn only_keeps_the_findings_it_accepts_and_applies_only_their_fixes() {
        // `--select-confirmed` with only the second `open` (line 3) confirmed.
        let only = |line: usize, codemod: &str| line == 3 && codemod == "bare-open";
        let list: [&'static dyn Codemod; 1] = [&codemods::bare_open::BareOpen];
        let opts = FixOptions {
            codemods: &list,
            unsafe_fixes: true,
            target: crate::config::DEFAULT_TARGET,
            is_stub: false,
            codemod_settings: &CodemodSettings::default(),
            fix_safety: &FixSafety::default(),
            apply: true,
            project: None,
            only: Some(&only),
        };
        let Outcome::Checked { findings, fixed, applied, remaining, .. } = fix_source(COPY, &opts) else {
            panic!("skipped")
        };
        assert_eq!(findings.iter().map(|r| r.line).collect::<Vec<_>>(), [3]);
        assert_eq!(applied, 1);
        assert!(remaining.is_empty(), "{remaining:?}");
        let fixed = fixed.expect("fixed");
        assert!(fixed.contains("    src = open(a, \"rb\")\n    with open(b, \"wb\") as dst:\n"), "{fixed}");
        // The unconfirmed one is left as it was, and not reported in the fixed text either.
        assert!(fixed.contains("    src.close()\n"), "{fixed}");
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
