//! `ensure_import`, the one way a codemod asks for an import, and where a new import line goes: where isort would
//! put it when the leading standard-library block is sorted its way, else at that block's end, else after the
//! leading imports. Adding the same import twice in one pass
//! yields identical edits, which `edit::apply` applies once. Which names are imported already is read from
//! `Context::imports`.

use ruff_python_ast::{ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::Context;
use crate::edit::Edit;
use crate::source::SourceFile;

/// Where the leading imports end, and where a new import line goes when it has no sorted place (the start of a
/// line): after the leading docstring, `from __future__` and import statements; else before the first statement.
/// Found when an import is asked for: most files never ask, and the line index it needs is then never built.
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

/// isort's order within a section (default settings, ruff's `force-sort-within-sections = false`): every
/// `import x` before every `from x import y`, each by module name, case-insensitively. `None` for a statement isort
/// would rewrite or that is not in the standard-library section: `import a, b` (split), a relative or third-party
/// import.
fn sort_key(stmt: &Stmt, minor: u8) -> Option<(bool, String)> {
    let (from, module) = match stmt {
        Stmt::Import(i) if i.names.len() == 1 => (false, i.names[0].name.as_str()),
        Stmt::ImportFrom(i) if i.level == 0 => (true, i.module.as_ref()?.as_str()),
        _ => return None,
    };
    is_stdlib(module, minor).then(|| (from, module.to_lowercase()))
}

/// A module of Python's standard library for the target version (ruff's own list, as its isort uses): the modules
/// isort puts in the standard-library section.
/// `__main__` is not in that list, but isort sorts `import __main__` with the standard library (idlelib does).
fn is_stdlib(module: &str, minor: u8) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    top == "__main__" || ruff_python_stdlib::sys::is_known_standard_library(minor, top)
}

fn is_future(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::ImportFrom(i) if i.level == 0 && i.module.as_ref().is_some_and(|m| m.as_str() == "__future__"))
}

/// What stands between two statements of an import block.
enum Gap {
    /// The next line: the block goes on.
    Next,
    /// A blank line: the block ends (isort's line between sections).
    Blank,
    /// Anything else (`;`, a comment line that isort would keep with the import below it): no sorted position.
    Other,
}

fn gap(text: &str) -> Gap {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Gap::Other;
    };
    let first = first.trim();
    if lines.len() < 2 || !(first.is_empty() || first.starts_with('#')) || !last.trim().is_empty() {
        return Gap::Other;
    }
    let middle = &lines[1..lines.len() - 1];
    if middle.is_empty() {
        Gap::Next
    } else if middle.iter().any(|l| l.trim().is_empty()) {
        Gap::Blank
    } else {
        Gap::Other
    }
}

/// Where a new standard-library import line with sort key `key` goes (the start of a line), in the leading
/// standard-library block: the first run of import statements on consecutive lines after the docstring and the
/// `from __future__` imports, every one of standard-library modules. At isort's place when the block is sorted the
/// way isort sorts it; else (`import os, unittest`, an unsorted block) at the block's end, so that the line stays
/// among the standard-library imports, above a first-party section. `None` when there is no such block (it holds a
/// module outside the standard library, or a comment or `;` between its lines): the caller then appends after the
/// leading imports.
fn sorted_point(module: &ModModule, source: &SourceFile, key: &(bool, String), minor: u8) -> Option<TextSize> {
    let stdlib = |stmt: &Stmt| match stmt {
        Stmt::Import(i) => i.names.iter().all(|a| is_stdlib(a.name.as_str(), minor)),
        Stmt::ImportFrom(i) => i.level == 0 && i.module.as_ref().is_some_and(|m| is_stdlib(m.as_str(), minor)),
        _ => false,
    };
    let mut stmts = module
        .body
        .iter()
        .enumerate()
        .skip_while(|(i, s)| (*i == 0 && ruff_python_ast::helpers::is_docstring_stmt(s)) || is_future(s));
    let (_, first) = stmts.next()?;
    if !source.starts_line(first.start()) || !stdlib(first) {
        return None;
    }
    let mut block = vec![first];
    for (_, stmt) in stmts {
        if !matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) || is_future(stmt) {
            break;
        }
        let prev = *block.last()?;
        match gap(source.slice(TextRange::new(prev.end(), stmt.start()))) {
            Gap::Next if stdlib(stmt) => block.push(stmt),
            Gap::Blank => break,
            Gap::Next | Gap::Other => return None,
        }
    }
    let end = source.next_line_start(block.last()?.end());
    let keys: Option<Vec<(bool, String)>> = block.iter().map(|s| sort_key(s, minor)).collect();
    let Some(keys) = keys.filter(|k| k.windows(2).all(|w| w[0] <= w[1])) else {
        return Some(end);
    };
    match block.iter().zip(&keys).find(|(_, k)| *k > key) {
        Some((stmt, _)) => Some(source.line_start(stmt.start())),
        None => Some(end),
    }
}

/// Makes `member` of `module` (or `module` itself when `member` is `None`) usable at module level.
/// Returns the edit that adds the import (None if it is already there) and the expression to write.
/// `None` when the name is taken by something else and no import can be added safely.
pub fn ensure_import(cx: &Context, module: &str, member: Option<&str>) -> Option<(Option<Edit>, String)> {
    let imports = cx.imports;
    let le = cx.style.line_ending;
    let leading_end = insertion_point(cx.module, cx.source);
    // A new line: `from` says which of isort's two groups it sorts in, `name` is the module it sorts by.
    let line = |s: String, from: bool, name: &str| {
        // Only a standard-library module has its place in the standard-library block.
        let sorted = is_stdlib(name, cx.target.minor)
            .then(|| sorted_point(cx.module, cx.source, &(from, name.to_lowercase()), cx.target.minor));
        let at = sorted.flatten().unwrap_or(leading_end);
        let needs_newline =
            at == cx.source.text_len() && !cx.source.text().is_empty() && !cx.source.text().ends_with(['\n', '\r']);
        // The first import of a file, right above a `def` or `class`: two blank lines between them, as PEP 8 asks.
        let before_def = !needs_newline
            && cx.module.body.iter().find(|s| s.start() >= at).is_some_and(|s| {
                matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
                    && cx.source.slice(TextRange::new(at, s.start())).trim().is_empty()
                    && !cx.source.slice(TextRange::new(at, s.start())).contains(['\n', '\r'])
            });
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
            Some((Some(line(format!("import {module}"), false, module)), module.to_string()))
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
                let existing = cx.module.body.iter().take_while(|s| s.end() <= leading_end).find_map(|s| match s {
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
                return Some((Some(line(format!("from {module} import {member}"), true, module)), member.to_string()));
            }
            if !cx.is_name_used(module) && !module.contains('.') {
                return Some((Some(line(format!("import {module}"), false, module)), qualified));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Option<(bool, String)>> {
        let parsed = ruff_python_parser::parse_module(text).expect("parses");
        parsed.syntax().body.iter().map(|s| sort_key(s, 11)).collect()
    }

    #[test]
    fn main_module_sorts_with_the_standard_library() {
        let k = keys("import __main__\nimport inspect\nimport weakref\n");
        assert_eq!(k[0], Some((false, "__main__".to_string())));
        assert!(k.windows(2).all(|w| w[0] < w[1]), "sorted as isort sorts them: {k:?}");
    }

    #[test]
    fn plain_imports_come_before_from_imports() {
        // isort's default: every `import x` of a section before every `from x import y`, whatever the names.
        let k = keys("import weakref\nfrom abc import ABC\n");
        assert!(k[0] < k[1], "{k:?}");
        assert!(keys("from abc import ABC\n")[0] > keys("import zipfile\n")[0]);
    }

    fn point(text: &str) -> Option<usize> {
        let parsed = ruff_python_parser::parse_module(text).expect("parses");
        let source = SourceFile::new(text, parsed.tokens());
        let key = (true, "contextlib".to_string());
        sorted_point(parsed.syntax(), &source, &key, 11).map(|p| p.to_usize())
    }

    #[test]
    fn unsorted_standard_library_block_gets_the_line_at_its_end() {
        // Above the first-party section, not after it.
        let text = "import os, unittest\nimport sqlite3 as sqlite\n\nfrom test.support import TESTFN\n";
        assert_eq!(point(text), Some(text.find("\n\n").unwrap() + 1));
        let text = "import sys\nimport os\n";
        assert_eq!(point(text), Some(text.len()));
    }

    #[test]
    fn sorted_block_gets_the_line_at_isorts_place_and_other_blocks_none() {
        let text = "import os\nfrom abc import ABC\nfrom typing import Any\n";
        assert_eq!(point(text), Some(text.find("from typing").unwrap()));
        assert_eq!(point("import os\nimport requests\n"), None);
        assert_eq!(point("import os\n# a comment\nimport sys\n"), None);
    }

    #[test]
    fn relative_and_third_party_imports_have_no_place_in_the_block() {
        assert_eq!(keys("from . import x\nimport requests\nimport os, sys\n"), vec![None, None, None]);
    }
}
