//! What pyfix makes of one open document, and how the editor is shown it: diagnostics, a code action per fix, the
//! `# pyfix: ignore[...]` quick fix and `source.fixAll.pyfix`. The findings come from the same pure engine the
//! command line runs (`fix_source`, `notebook::check`), on the editor's text with the file's own settings.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Range, TextEdit, Uri,
    WorkspaceEdit,
};

use super::cells::Notebook;
use super::document::Document;
use crate::edit::Applicability;
use crate::engine::{fix_source, FixOptions, Outcome};
use crate::notebook::CellsChecked;
use crate::project::ProjectView;
use crate::report::Report;
use crate::settings::FileSettings;
use crate::{baseline, codemods, encoding, notebook};

/// The kind of the action that applies every fix a plain `pyfix` run would (editors run it on save when asked to).
pub const FIX_ALL: &str = "source.fixAll.pyfix";

/// The result for one version of a document.
pub struct Analysis {
    /// Findings in the document's text, with their fixes' edits located in it.
    pub reports: Vec<Report>,
    /// What `pyfix` would write for this text, when it changes it.
    pub fixed: Option<String>,
    /// The text is a notebook's JSON: reports name their cell, and `# pyfix: ignore` is not offered.
    pub notebook: bool,
}

/// `Ok(None)`: pyfix leaves the file alone (it says it is generated); `Err`: it cannot process it (does not parse).
/// `bugs` gets pyfix's own failures (a fix dropped because it broke the text), for the log.
pub fn check(
    doc: &Document,
    path: &Path,
    fs: &FileSettings,
    project: Option<&ProjectView<'_>>,
    bugs: &mut Vec<String>,
) -> Result<Option<Analysis>, String> {
    if !fs.include_generated && encoding::is_generated(&doc.text) {
        return Ok(None);
    }
    let opts = options(fs, project);
    if notebook::is_notebook(path) {
        let nb = notebook::check(&doc.text, &opts, false)?;
        bugs.extend(nb.bugs);
        return Ok(Some(Analysis { reports: nb.findings, fixed: nb.fixed, notebook: true }));
    }
    match fix_source(&doc.text, &opts) {
        Outcome::Skipped { reason } => Err(format!("not processed: {reason}")),
        Outcome::Checked { findings, fixed, bugs: b, .. } => {
            bugs.extend(b);
            Ok(Some(Analysis { reports: findings, fixed, notebook: false }))
        }
    }
}

fn options<'a>(fs: &'a FileSettings, project: Option<&'a ProjectView<'a>>) -> FixOptions<'a> {
    FixOptions {
        codemods: &fs.codemods,
        unsafe_fixes: fs.unsafe_fixes,
        target: fs.target,
        is_stub: fs.is_stub,
        codemod_settings: &fs.codemod_settings,
        fix_safety: &fs.fix_safety,
        // Always applied, also for a server started for `--check`-like use: fixAll needs what a fix run writes.
        apply: true,
        project,
        only: None,
    }
}

/// `check` for a notebook the editor syncs cell by cell: its Python code cells as one module, as `pyfix` reads
/// the `.ipynb` file. `Ok(None)`: pyfix leaves it alone (its first cell says it is generated).
pub fn check_cells(
    nb: &Notebook,
    fs: &FileSettings,
    project: Option<&ProjectView<'_>>,
    bugs: &mut Vec<String>,
) -> Result<Option<CellsChecked>, String> {
    let cells = nb.python_cells();
    let first = cells.first().map_or("", |(_, _, t)| t.doc.text.as_str());
    if !fs.include_generated && encoding::is_generated(first) {
        return Ok(None);
    }
    let texts: Vec<(usize, &str)> = cells.iter().map(|(n, _, t)| (*n, t.doc.text.as_str())).collect();
    let checked = notebook::check_cells(&texts, &options(fs, project))?;
    bugs.extend(checked.bugs.iter().cloned());
    Ok(Some(checked))
}

/// The diagnostics of each Python cell (none for a cell without findings, to clear what it showed), with the
/// cell's version; positions count in the cell.
pub fn cell_diagnostics(nb: &Notebook, checked: Option<&CellsChecked>) -> Vec<(Uri, i32, Vec<Diagnostic>)> {
    let mut out: Vec<(Uri, i32, Vec<Diagnostic>)> =
        nb.python_cells().into_iter().map(|(_, uri, t)| (uri.clone(), t.doc.version, Vec::new())).collect();
    for f in checked.map_or(&[][..], |c| &c.findings) {
        let Some((uri, text)) = f.report.cell.and_then(|n| nb.cell(n)) else { continue };
        if let Some((_, _, list)) = out.iter_mut().find(|(u, _, _)| u == uri) {
            list.push(cell_diagnostic(&f.report, &text.doc));
        }
    }
    out
}

/// The actions for the findings in cell `uri` whose range meets `range`, then the notebook's fix-all: each edits
/// the cells its fix changes (the cell, and the first cell for an import it adds).
pub fn cell_code_actions(
    nb: &Notebook,
    checked: &CellsChecked,
    uri: &Uri,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    let Some(number) = nb.position_of(uri) else { return Vec::new() };
    let Some((_, text)) = nb.cell(number) else { return Vec::new() };
    let doc = &text.doc;
    #[allow(clippy::mutable_key_type)] // as in `action`
    let edits = |sources: &[(usize, String)]| -> Option<HashMap<Uri, Vec<TextEdit>>> {
        sources.iter().map(|(n, new)| nb.cell(*n).map(|(u, t)| (u.clone(), vec![t.doc.edit_to(new)]))).collect()
    };
    let mut actions = Vec::new();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for f in checked.findings.iter().filter(|f| f.report.cell == Some(number)) {
            let r = &f.report;
            let diagnostic = cell_diagnostic(r, doc);
            if diagnostic.range.end < range.start || range.end < diagnostic.range.start {
                continue;
            }
            if let (Some(safety), Some(title), Some(changes)) = (r.fix, &r.fix_title, edits(&f.sources)) {
                if !changes.is_empty() {
                    let title = match safety {
                        Applicability::Safe => title.clone(),
                        Applicability::Unsafe => format!("{title} (unsafe)"),
                    };
                    let preferred = safety == Applicability::Safe;
                    let kind = CodeActionKind::QUICKFIX;
                    actions.push(action_on(title, kind, changes, vec![diagnostic.clone()], preferred));
                }
            }
            if let Some(marked) = notebook::add_ignore_in_cell(&doc.text, r) {
                let title = format!("Ignore `{}` on this line (`# pyfix: ignore[{}]`)", r.codemod, r.codemod);
                let edit = vec![doc.edit_to(&marked)];
                actions.push(action(title, CodeActionKind::QUICKFIX, uri, edit, vec![diagnostic], false));
            }
        }
    }
    if wanted(only, FIX_ALL) && !checked.fixed.is_empty() {
        if let Some(changes) = edits(&checked.fixed) {
            let kind = CodeActionKind::from(FIX_ALL.to_string());
            let title = "pyfix: fix all leaks in the notebook (what `pyfix` writes)".to_string();
            actions.push(action_on(title, kind, changes, Vec::new(), false));
        }
    }
    actions
}

fn cell_diagnostic(r: &Report, doc: &Document) -> Diagnostic {
    let range = Range::new(doc.position((r.line, r.col)), doc.position((r.end_line, r.end_col)));
    // The cell is the document the diagnostic is shown in: its number is not repeated in the message.
    let in_cell = Report { cell: None, ..r.clone() };
    diagnostic(&in_cell, range)
}

/// Whether the client asks for actions of `kind` (all when `only` is `None`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| only.iter().any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str()))))
}

impl Analysis {
    pub fn diagnostics(&self, doc: &Document) -> Vec<Diagnostic> {
        self.reports.iter().map(|r| diagnostic(r, self.range(r, doc))).collect()
    }

    /// The actions for the findings whose range meets `range`, then the file's fix-all, keeping the kinds `only`
    /// asks for (all when it is `None`).
    pub fn code_actions(
        &self,
        doc: &Document,
        uri: &Uri,
        range: Range,
        only: Option<&[CodeActionKind]>,
    ) -> Vec<CodeAction> {
        let wanted = |kind: &str| wanted(only, kind);
        let mut actions = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for r in &self.reports {
                let at = self.range(r, doc);
                if at.end < range.start || range.end < at.start {
                    continue;
                }
                let diagnostic = diagnostic(r, at);
                if let (Some(safety), Some(title)) = (r.fix, &r.fix_title) {
                    if !r.edits.is_empty() {
                        let edits = r
                            .edits
                            .iter()
                            .map(|e| {
                                TextEdit::new(Range::new(doc.position(e.start), doc.position(e.end)), e.content.clone())
                            })
                            .collect();
                        let title = match safety {
                            Applicability::Safe => title.clone(),
                            Applicability::Unsafe => format!("{title} (unsafe)"),
                        };
                        actions.push(action(
                            title,
                            CodeActionKind::QUICKFIX,
                            uri,
                            edits,
                            vec![diagnostic.clone()],
                            safety == Applicability::Safe,
                        ));
                    }
                }
                if let Some(edit) = self.ignore_edit(r, doc) {
                    let title = format!("Ignore `{}` on this line (`# pyfix: ignore[{}]`)", r.codemod, r.codemod);
                    actions.push(action(title, CodeActionKind::QUICKFIX, uri, vec![edit], vec![diagnostic], false));
                }
            }
        }
        if wanted(FIX_ALL) {
            if let Some(fixed) = &self.fixed {
                let kind = CodeActionKind::from(FIX_ALL.to_string());
                actions.push(action(
                    "pyfix: fix all leaks (what `pyfix` writes)".into(),
                    kind,
                    uri,
                    vec![doc.edit_to(fixed)],
                    Vec::new(),
                    false,
                ));
            }
        }
        actions
    }

    /// `# pyfix: ignore[<codemod>]` on the finding's line, as `--add-ignore` writes it; `None` where that line
    /// cannot take a comment (it ends inside a string), and in a notebook's JSON.
    fn ignore_edit(&self, r: &Report, doc: &Document) -> Option<TextEdit> {
        if self.notebook {
            return None;
        }
        let marked = baseline::add_ignores(&doc.text, std::slice::from_ref(r));
        (marked.lines > 0).then(|| doc.edit_to(&marked.text))
    }

    /// Where the finding is shown: its own range, or in a notebook's JSON the lines that hold it.
    fn range(&self, r: &Report, doc: &Document) -> Range {
        match (self.notebook, r.file_lines) {
            (true, Some((first, last))) => doc.lines_range(first, last),
            (true, None) => doc.lines_range(1, 1),
            (false, _) => Range::new(doc.position((r.line, r.col)), doc.position((r.end_line, r.end_col))),
        }
    }
}

fn diagnostic(r: &Report, range: Range) -> Diagnostic {
    let fix = r.fix.map_or("none", Applicability::as_str);
    let mut message = match r.cell {
        Some(cell) => format!("cell {cell}:{}:{}: {} [fix: {fix}]", r.line, r.col, r.message),
        None => format!("{} [fix: {fix}]", r.message),
    };
    if let Some(reason) = &r.reason {
        message.push_str(&format!(" ({reason})"));
    }
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String(r.codemod.to_string())),
        code_description: docs_uri(r.codemod).map(|href| CodeDescription { href }),
        source: Some("pyfix".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The codemod's documentation (its README, what `pyfix --explain` prints): in the repository Cargo.toml names, as
/// SARIF's `helpUri`; without one, the README in the source tree pyfix was built from, while it is there.
pub fn docs_uri(codemod: &str) -> Option<Uri> {
    codemods::by_name(codemod)?;
    let path = crate::output::docs_path(codemod);
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let uri = if repository.is_empty() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
        if !file.is_file() {
            return None;
        }
        super::uri::from_path(&file)
    } else {
        format!("{repository}/blob/HEAD/{path}")
    };
    uri.parse().ok()
}

// lsp-types' `Uri` hashes and compares its text, which never changes; clippy sees fluent-uri's lazily parsed parts.
#[allow(clippy::mutable_key_type)]
fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostics: Vec<Diagnostic>,
    preferred: bool,
) -> CodeAction {
    action_on(title, kind, std::iter::once((uri.clone(), edits)).collect(), diagnostics, preferred)
}

#[allow(clippy::mutable_key_type)] // as in `action`
fn action_on(
    title: String,
    kind: CodeActionKind,
    changes: HashMap<Uri, Vec<TextEdit>>,
    diagnostics: Vec<Diagnostic>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}
