//! `ensure_import`, the one way a codemod asks for an import, and where a new import line goes. Adding the same
//! import twice in one pass yields identical edits, which `edit::apply` applies once. Which names are imported
//! already is read from `Context::imports`.

use ruff_python_ast::{ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::Context;
use crate::edit::Edit;
use crate::source::SourceFile;

/// Where a new import line goes (the start of a line): after the leading docstring, `from __future__` and import
/// statements; else before the first statement. Found when an import is asked for: most files never ask, and the
/// line index it needs is then never built.
fn insertion_point(module: &ModModule, source: &SourceFile) -> TextSize {
    let mut after: Option<TextSize> = None;
    for (i, stmt) in module.body.iter().enumerate() {
        let is_docstring = i == 0 && ruff_python_ast::helpers::is_docstring_stmt(stmt);
        if is_docstring || matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
            after = Some(source.next_line_start(stmt.end()));
            continue;
        }
        return after.unwrap_or_else(|| source.line_start(stmt.start()));
    }
    after.unwrap_or_else(|| source.text_len())
}

/// Makes `member` of `module` (or `module` itself when `member` is `None`) usable at module level.
/// Returns the edit that adds the import (None if it is already there) and the expression to write.
/// `None` when the name is taken by something else and no import can be added safely.
pub fn ensure_import(cx: &Context, module: &str, member: Option<&str>) -> Option<(Option<Edit>, String)> {
    let imports = cx.imports;
    let le = cx.style.line_ending;
    let at = insertion_point(cx.module, cx.source);
    let needs_newline =
        at == cx.source.text_len() && !cx.source.text().is_empty() && !cx.source.text().ends_with(['\n', '\r']);
    // The first import of a file, right above a `def` or `class`: two blank lines between them, as PEP 8 asks.
    let before_def = !needs_newline
        && cx.module.body.iter().find(|s| s.start() >= at).is_some_and(|s| {
            matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
                && cx.source.slice(TextRange::new(at, s.start())).trim().is_empty()
                && !cx.source.slice(TextRange::new(at, s.start())).contains(['\n', '\r'])
        });
    let line = |s: String| {
        let content = if needs_newline {
            format!("{le}{s}")
        } else if before_def {
            format!("{s}{le}{le}{le}")
        } else {
            format!("{s}{le}")
        };
        Edit::insert(at, content)
    };
    match member {
        None => {
            if let Some(local) = imports.local_name_of(module) {
                return Some((None, local.to_string()));
            }
            if cx.is_name_used(module) {
                return None;
            }
            Some((Some(line(format!("import {module}"))), module.to_string()))
        }
        Some(member) => {
            let qualified = format!("{module}.{member}");
            if let Some(local) = imports.local_name_of(&qualified) {
                return Some((None, local.to_string()));
            }
            if let Some(local) = imports.local_name_of(module) {
                return Some((None, format!("{local}.{member}")));
            }
            if !cx.is_name_used(member) {
                // `from typing import Any` already among the leading imports: `from typing import Any, Optional`.
                let existing = cx.module.body.iter().take_while(|s| s.end() <= at).find_map(|s| match s {
                    Stmt::ImportFrom(i)
                        if i.level == 0
                            && i.module.as_ref().is_some_and(|m| m.as_str() == module)
                            && i.names.iter().all(|a| a.name.as_str() != "*") =>
                    {
                        i.names.last()
                    }
                    _ => None,
                });
                if let Some(last) = existing {
                    return Some((Some(Edit::insert(last.end(), format!(", {member}"))), member.to_string()));
                }
                return Some((Some(line(format!("from {module} import {member}"))), member.to_string()));
            }
            if !cx.is_name_used(module) && !module.contains('.') {
                return Some((Some(line(format!("import {module}"))), qualified));
            }
            None
        }
    }
}
