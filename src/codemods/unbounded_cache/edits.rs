//! Text edits the fixes share: naming a `functools` member (adding an import when needed), lifting blocks while
//! keeping their comments, and the `Plan` of a memo fix. Deleting statements is `fix::delete_stmts`. No decision
//! about what to rewrite.

use std::collections::HashSet;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::fix::{delete_stmts, ensure_import, kept_comments};
use crate::codemods::Context;
use crate::edit::Edit;

/// How to write `functools.<member>` in this module: an existing import of it or of `functools`, a name added to an
/// existing `from functools import ...`, or a new import line.
pub(super) fn functools_name(cx: &Context, member: &str) -> Option<(Vec<Edit>, String)> {
    functools_raw(cx, member).map(|(edits, name)| (edits.into_iter().map(|e| spaced_import(cx, e)).collect(), name))
}

/// `functools_name` before a new import line gets its blank lines.
pub(super) fn functools_raw(cx: &Context, member: &str) -> Option<(Vec<Edit>, String)> {
    let ensured = ensure_import(cx, "functools", Some(member));
    if let Some((None, name)) = ensured {
        return Some((Vec::new(), name));
    }
    if !cx.is_name_used(member) {
        let from = cx.module.body.iter().find_map(|s| match s {
            Stmt::ImportFrom(f)
                if f.level == 0
                    && f.module.as_ref().is_some_and(|m| m.as_str() == "functools")
                    && !f.names.iter().any(|a| a.name.as_str() == "*") =>
            {
                Some(f)
            }
            _ => None,
        });
        if let Some(last) = from.and_then(|f| f.names.last()) {
            return Some((vec![Edit::insert(last.end(), format!(", {member}"))], member.to_string()));
        }
    }
    ensured.map(|(edit, name)| (edit.into_iter().collect(), name))
}

/// A new import line written right above code gets the blank lines PEP 8 asks for: two before a `def` or
/// `class`, one before other code.
pub(super) fn spaced_import(cx: &Context, mut edit: Edit) -> Edit {
    let at = edit.range.start();
    let next = cx.module.body.iter().find(|s| cx.source.line_start(s.start()) == at && s.start() >= at);
    let blank_lines = match next {
        Some(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => 2,
        Some(Stmt::Import(_) | Stmt::ImportFrom(_)) | None => 0,
        Some(_) => 1,
    };
    if !edit.range.is_empty() || !edit.content.starts_with("from ") && !edit.content.starts_with("import ") {
        return edit;
    }
    if edit.content.ends_with(['\n', '\r']) {
        edit.content.push_str(&cx.style.line_ending.repeat(blank_lines));
    }
    edit
}

// ---------------------------------------------------------------------------------------------------------------
// Lifting a block out of its compound statement (deleting statements is `fix::delete_stmts`)

/// Replaces a compound statement by its block `inner`, one level out: the header lines (and, for
/// `if k in C: v = C[k] else:`, everything up to `inner`) are deleted, keeping their comments, and `inner`'s lines
/// are dedented.
pub(super) fn lift(cx: &Context, compound: &Stmt, inner: &[Stmt], plan: &mut Plan<'_>) -> Result<(), String> {
    let (Some(first), Some(last)) = (inner.first(), inner.last()) else { return Err("an empty block".to_string()) };
    let src = cx.source;
    if !src.starts_line(first.start()) || !src.starts_line(compound.start()) {
        return Err("a block pyfix would lift starts on its header's line".to_string());
    }
    let outer = src.indent_at(compound.start());
    let inner_indent = src.indent_at(first.start());
    let Some(extra) = inner_indent.strip_prefix(outer).map(str::len).filter(|n| *n > 0) else {
        return Err("mixed indentation".to_string());
    };
    let head = TextRange::new(src.line_start(compound.start()), src.line_start(first.start()));
    plan.edits.push(Edit::replace(head, kept_comments(cx, head, outer)));
    plan.replaced.push(head);
    // Whatever follows the block inside the compound statement (a trailing `else` cannot: callers pass the last block).
    let tail = TextRange::new(src.next_line_start(last.end()), src.next_line_start(compound.end()));
    if !tail.is_empty() {
        plan.edits.push(Edit::replace(tail, kept_comments(cx, tail, outer)));
        plan.replaced.push(tail);
    }
    let block = TextRange::new(src.line_start(first.start()), last.end());
    let mut starts = vec![block.start()];
    starts.extend(src.code_line_starts(block));
    for at in starts {
        let line = src.slice(TextRange::new(at, src.line_end(at)));
        let ws = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
        if ws >= extra {
            plan.dedents.push(Edit::delete(TextRange::at(at, TextSize::try_from(extra).unwrap_or_default())));
        }
    }
    Ok(())
}

/// The edits of a memo fix, and what the checks after matching need to know.
#[derive(Default)]
pub(super) struct Plan<'a> {
    pub(super) edits: Vec<Edit>,
    /// One-level dedents of a lifted block's lines; dropped where a line is deleted or replaced whole.
    pub(super) dedents: Vec<Edit>,
    /// Ranges whose lines are deleted or replaced whole.
    pub(super) replaced: Vec<TextRange>,
    /// Dict references the rewrite removes.
    pub(super) consumed: HashSet<TextRange>,
    /// Every key the dict is read or written with.
    pub(super) keys: Vec<&'a Expr>,
    /// Every value stored into the dict.
    pub(super) stored: Vec<&'a Expr>,
    /// `v = C.get(k)` + `if v is None`: the target `v` (its binding there is the lookup, not a computed value).
    pub(super) none_miss: Option<TextRange>,
    /// `v = C.get(k, _MISSING)`: the sentinel, deleted when nothing else uses it.
    pub(super) sentinel: Option<&'a ast::ExprName>,
}

impl Plan<'_> {
    /// Every edit: dedents inside deleted or replaced lines go.
    pub(super) fn into_edits(self) -> Vec<Edit> {
        let replaced = self.replaced;
        let mut edits = self.edits;
        edits.extend(self.dedents.into_iter().filter(|d| !replaced.iter().any(|r| r.contains(d.range.start()))));
        edits
    }

    pub(super) fn delete(&mut self, cx: &Context, stmt: &Stmt) -> Result<(), String> {
        let (edit, range) = delete_stmts(cx, stmt.range())?;
        self.replaced.push(range);
        self.edits.push(edit);
        Ok(())
    }
}
