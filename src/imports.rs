//! `Imports`: what the module's top-level names refer to (`import io`, `from pathlib import Path as P`, a local
//! `def open`), and `ensure_import`, the one way a codemod asks for an import. Adding the same import twice in one
//! pass yields identical edits, which `edit::apply` applies once.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::codemods::Context;
use crate::edit::Edit;
use crate::source::SourceFile;

pub struct Imports {
    /// Local name -> qualified name, from top-level imports: `P` -> `pathlib.Path`, `io` -> `io`.
    aliases: HashMap<String, String>,
    /// Names bound at module level by anything other than an import (`def open`, `open = ...`).
    shadowed: HashSet<String>,
    /// Where a new import line goes: the start of a line.
    insert_at: TextSize,
}

impl Imports {
    pub fn new(module: &ModModule, source: &SourceFile) -> Self {
        let mut aliases = HashMap::new();
        let mut shadowed = HashSet::new();
        collect(&module.body, &mut aliases, &mut shadowed);
        Imports { aliases, shadowed, insert_at: insertion_point(module, source) }
    }

    /// The qualified name an expression refers to at module level: `open` -> `builtins.open`,
    /// `io.open` -> `io.open`, `P` -> `pathlib.Path`. `None` when the head is unknown or shadowed.
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if let Some(q) = self.aliases.get(id) {
                    Some(q.clone())
                } else if self.shadowed.contains(id) {
                    None
                } else {
                    Some(format!("builtins.{id}"))
                }
            }
            Expr::Attribute(attr) => {
                let head = match attr.value.as_ref() {
                    Expr::Name(name) => self.aliases.get(name.id.as_str())?.clone(),
                    other @ Expr::Attribute(_) => self.qualified_name(other)?,
                    _ => return None,
                };
                Some(format!("{head}.{}", attr.attr.as_str()))
            }
            _ => None,
        }
    }

    /// The local name bound to `qualified` by a top-level import, if any.
    fn local_name_of(&self, qualified: &str) -> Option<&str> {
        let mut names: Vec<&String> =
            self.aliases.iter().filter(|(_, q)| q.as_str() == qualified).map(|(n, _)| n).collect();
        names.sort();
        names.first().map(|s| s.as_str())
    }
}

fn collect(body: &[Stmt], aliases: &mut HashMap<String, String>, shadowed: &mut HashSet<String>) {
    for stmt in body {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            aliases.insert(asname.to_string(), full.to_string());
                        }
                        None => {
                            let head = full.split('.').next().unwrap_or(full);
                            aliases.insert(head.to_string(), head.to_string());
                        }
                    }
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let module = from.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                for alias in &from.names {
                    let local = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                    aliases.insert(local, format!("{module}.{}", alias.name.as_str()));
                }
            }
            Stmt::ImportFrom(from) => {
                for alias in &from.names {
                    shadowed.insert(alias.asname.as_ref().unwrap_or(&alias.name).to_string());
                }
            }
            Stmt::FunctionDef(f) => {
                shadowed.insert(f.name.to_string());
            }
            Stmt::ClassDef(c) => {
                shadowed.insert(c.name.to_string());
            }
            Stmt::Assign(a) => {
                for t in &a.targets {
                    crate::codemods::target_names(t, shadowed);
                }
            }
            Stmt::AnnAssign(a) => crate::codemods::target_names(&a.target, shadowed),
            Stmt::AugAssign(a) => crate::codemods::target_names(&a.target, shadowed),
            Stmt::For(f) => {
                crate::codemods::target_names(&f.target, shadowed);
                collect(&f.body, aliases, shadowed);
                collect(&f.orelse, aliases, shadowed);
            }
            Stmt::While(w) => {
                collect(&w.body, aliases, shadowed);
                collect(&w.orelse, aliases, shadowed);
            }
            Stmt::If(i) => {
                collect(&i.body, aliases, shadowed);
                for clause in &i.elif_else_clauses {
                    collect(&clause.body, aliases, shadowed);
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        crate::codemods::target_names(v, shadowed);
                    }
                }
                collect(&w.body, aliases, shadowed);
            }
            Stmt::Try(t) => {
                collect(&t.body, aliases, shadowed);
                for h in &t.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    collect(&h.body, aliases, shadowed);
                }
                collect(&t.orelse, aliases, shadowed);
                collect(&t.finalbody, aliases, shadowed);
            }
            _ => {}
        }
    }
}

/// After the leading docstring, `from __future__` and import statements; else before the first statement.
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
    let at = imports.insert_at;
    let needs_newline =
        at == cx.source.text_len() && !cx.source.text().is_empty() && !cx.source.text().ends_with(['\n', '\r']);
    let line = |s: String| {
        let content = if needs_newline { format!("{le}{s}") } else { format!("{s}{le}") };
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
                return Some((Some(line(format!("from {module} import {member}"))), member.to_string()));
            }
            if !cx.is_name_used(module) && !module.contains('.') {
                return Some((Some(line(format!("import {module}"))), qualified));
            }
            None
        }
    }
}
