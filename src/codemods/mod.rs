//! The `Codemod` trait, `Finding`, `Context`, the registry `ALL`, and helpers shared by codemods
//! (name lookups, scopes, re-indentation). Codemods only report: they never apply edits, print or read files.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};
use ruff_text_size::TextRange;

use crate::config::PythonVersion;
use crate::edit::{Edit, Fix};
use crate::imports::Imports;
use crate::semantic::Semantic;
use crate::source::{SourceFile, Style};

pub mod bare_open;
pub mod mutable_default;
pub mod strong_backref;

pub trait Codemod: Sync {
    /// The kebab-case id used by `--select` and config.
    fn name(&self) -> &'static str;
    /// One line for `--list`.
    fn summary(&self) -> &'static str;
    /// The codemod's README, shown by `--explain`.
    fn docs(&self) -> &'static str;
    fn check(&self, cx: &Context) -> Vec<Finding>;
}

/// Every codemod, in the order `--list` shows them.
pub const ALL: &[&dyn Codemod] =
    &[&bare_open::BareOpen, &mutable_default::MutableDefault, &strong_backref::StrongBackref];

pub fn by_name(name: &str) -> Option<&'static dyn Codemod> {
    ALL.iter().copied().find(|c| c.name() == name)
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub codemod: &'static str,
    /// What to point at; its start gives the reported line.
    pub range: TextRange,
    /// The leak, not the remedy: lowercase, no trailing period, code in backticks.
    pub message: String,
    /// `None`: pyfix sees the leak but cannot rewrite it correctly.
    pub fix: Option<Fix>,
    /// Why there is no fix (shown by `--check` when `fix` is `None`).
    pub no_fix_reason: Option<String>,
}

impl Finding {
    /// `fix` is `None` only when `Fix::new` refused overlapping edits: say so rather than give no reason.
    pub fn new(codemod: &'static str, range: TextRange, message: impl Into<String>, fix: Option<Fix>) -> Self {
        let no_fix_reason =
            fix.is_none().then(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string());
        Finding { codemod, range, message: message.into(), fix, no_fix_reason }
    }
    pub fn without_fix(
        codemod: &'static str,
        range: TextRange,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Finding { codemod, range, message: message.into(), fix: None, no_fix_reason: Some(reason.into()) }
    }
}

/// Everything a codemod may look at for one file.
pub struct Context<'a> {
    pub source: &'a SourceFile<'a>,
    pub module: &'a ModModule,
    pub style: &'a Style,
    pub imports: &'a Imports,
    /// Scopes, bindings, resolved names and statement parents: the one place they are computed.
    pub semantic: &'a Semantic<'a>,
    /// The oldest Python the rewritten code must run on.
    pub target: PythonVersion,
    /// A `.pyi` stub: nothing runs, so most leaks cannot happen.
    pub is_stub: bool,
}

impl<'a> Context<'a> {
    /// True when `name` appears anywhere in the module as an identifier.
    pub fn is_name_used(&self, name: &str) -> bool {
        self.semantic.is_name_used(name)
    }

    /// The first of `candidates` that appears nowhere in the module, else the first with a number added.
    pub fn fresh_name(&self, candidates: &[&str]) -> String {
        if let Some(c) = candidates.iter().find(|c| !self.is_name_used(c)) {
            return (*c).to_string();
        }
        let base = candidates.first().copied().unwrap_or("tmp");
        (1..).map(|i| format!("{base}{i}")).find(|n| !self.is_name_used(n)).unwrap_or_default()
    }

    /// Insertions of `unit` at the start of every code line after the first line of `range`, up to the line
    /// holding its end. Lines that start inside a string literal and blank lines are left alone.
    pub fn reindent(&self, range: TextRange, unit: &str) -> Vec<Edit> {
        self.source.code_line_starts(range).into_iter().map(|at| Edit::insert(at, unit)).collect()
    }

    /// The range of a whole statement line: from the start of its first line to the start of the line after it.
    pub fn full_lines(&self, range: TextRange) -> TextRange {
        TextRange::new(self.source.line_start(range.start()), self.source.next_line_start(range.end()))
    }

    /// True when `stmt` is alone on its lines: nothing but indentation before it, nothing but a comment after it.
    pub fn stands_alone(&self, range: TextRange) -> bool {
        self.source.starts_line(range.start()) && self.source.ends_line(range.end())
    }
}

/// Names a function scope binds itself (parameters, assignments, imports, defs, loop and `with` targets,
/// `except ... as`), without descending into nested functions, lambdas or classes. `global`/`nonlocal`
/// names are left out: they are not local.
pub fn local_bindings(parameters: Option<&ast::Parameters>, body: &[Stmt]) -> HashSet<String> {
    let mut b = Bindings { bound: HashSet::new(), declared: HashSet::new() };
    if let Some(params) = parameters {
        for p in params.iter() {
            b.bound.insert(p.name().to_string());
        }
    }
    for stmt in body {
        b.visit_stmt(stmt);
    }
    &b.bound - &b.declared
}

struct Bindings {
    bound: HashSet<String>,
    declared: HashSet<String>,
}

impl Bindings {
    fn target(&mut self, e: &Expr) {
        target_names(e, &mut self.bound);
    }
}

/// The names an assignment target binds: `a`, `a, (b, *c)`, `[a, b]`; not attributes or subscripts.
pub fn target_names(target: &Expr, out: &mut HashSet<String>) {
    match target {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

impl<'a> Visitor<'a> for Bindings {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.bound.insert(f.name.to_string());
                // Decorators and defaults are evaluated here; the body is another scope.
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                return;
            }
            Stmt::ClassDef(c) => {
                self.bound.insert(c.name.to_string());
                return;
            }
            Stmt::Assign(a) => a.targets.iter().for_each(|t| self.target(t)),
            Stmt::AnnAssign(a) if a.value.is_some() => self.target(&a.target),
            Stmt::AugAssign(a) => self.target(&a.target),
            Stmt::For(f) => self.target(&f.target),
            Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t)),
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.target(v);
                    }
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let local =
                        a.asname.as_ref().map(|n| n.as_str()).unwrap_or_else(|| a.name.split('.').next().unwrap_or(""));
                    self.bound.insert(local.to_string());
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    self.bound.insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
                }
            }
            Stmt::Global(g) => self.declared.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::Nonlocal(n) => self.declared.extend(n.names.iter().map(|n| n.to_string())),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Named(n) => self.target(&n.target),
            // Their bodies are scopes of their own (a walrus inside a comprehension still binds here, rarely).
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
    fn visit_except_handler(&mut self, h: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(handler) = h;
        if let Some(name) = &handler.name {
            self.bound.insert(name.to_string());
        }
        visitor::walk_except_handler(self, h);
    }
    fn visit_pattern(&mut self, p: &'a ast::Pattern) {
        match p {
            ast::Pattern::MatchAs(ast::PatternMatchAs { name: Some(n), .. })
            | ast::Pattern::MatchStar(ast::PatternMatchStar { name: Some(n), .. }) => {
                self.bound.insert(n.to_string());
            }
            ast::Pattern::MatchMapping(ast::PatternMatchMapping { rest: Some(n), .. }) => {
                self.bound.insert(n.to_string());
            }
            _ => {}
        }
        visitor::walk_pattern(self, p);
    }
}
