//! Where a statement stands in its scope (`Site`, `Frame`) and the open calls in a statement's own expressions.
//! The walk over every statement of every scope, and what to do with each open, are in `mod.rs`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use crate::codemods::Context;
use crate::semantic::ScopeKind;

use super::callees::opener;
use super::resources::Resource;
use super::scopes::Scope;

/// Where a statement stands: `block[index]` of `scope`, inside the compound statements `stack` (outermost first).
#[derive(Clone, Copy)]
pub(super) struct Site<'s, 'a> {
    pub(super) scope: &'s Scope<'a>,
    pub(super) block: &'a [Stmt],
    pub(super) index: usize,
    pub(super) stack: &'s [Frame<'a>],
}

/// A compound statement enclosing the block being checked: `block[index]`.
#[derive(Clone, Copy)]
pub(super) struct Frame<'a> {
    pub(super) block: &'a [Stmt],
    pub(super) index: usize,
}

impl<'a> Frame<'a> {
    pub(super) fn stmt(&self) -> &'a Stmt {
        &self.block[self.index]
    }
}

/// The header expressions of a statement, in order: what it evaluates itself, not its nested blocks.
fn own_expressions<'a>(stmt: &'a Stmt, mut each: impl FnMut(&'a Expr)) {
    match stmt {
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Try(_) => {}
        Stmt::For(s) => each(&s.iter),
        Stmt::While(s) => each(&s.test),
        Stmt::If(s) => {
            each(&s.test);
            s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()).for_each(each);
        }
        Stmt::With(s) => s.items.iter().for_each(|i| each(&i.context_expr)),
        Stmt::Match(s) => each(&s.subject),
        _ => {
            struct Top<F>(F);
            impl<'a, F: FnMut(&'a Expr)> Visitor<'a> for Top<F> {
                fn visit_expr(&mut self, e: &'a Expr) {
                    (self.0)(e);
                }
            }
            visitor::walk_stmt(&mut Top(each), stmt);
        }
    }
}

/// By scope (`ScopeId::index`): some call the model lists for the scope, or for a lambda or comprehension in it, may
/// open something. Those are all the calls `open_calls` can meet in the scope's statements (and more: decorators,
/// defaults), so a scope where none opens anything needs no walk of its statements; most scopes open nothing, and
/// in most modules none does. Worked out for every scope at once, each call resolved once.
pub(super) fn scopes_that_may_open(cx: &Context) -> Vec<bool> {
    let mut open: Vec<bool> =
        cx.semantic.scopes().map(|(_, s)| s.facts.calls.iter().any(|call| opener(cx, call).is_some())).collect();
    // A lambda or comprehension counts for the scope it stands in. A scope comes after its parent in the model
    // (`ScopeId` order), so going from the last scope back, each one's answer is whole before its parent reads it.
    for (id, scope) in cx.semantic.scopes().collect::<Vec<_>>().into_iter().rev() {
        if open[id.index()] && matches!(scope.kind, ScopeKind::Lambda | ScopeKind::Comprehension) {
            if let Some(parent) = scope.parent {
                open[parent.index()] = true;
            }
        }
    }
    open
}

/// Open calls in the header expressions of `stmt`, with their enclosing expressions (outermost first; the header
/// expression itself first unless it is the call).
pub(super) fn open_calls<'a>(cx: &Context, stmt: &'a Stmt) -> Vec<(&'a ast::ExprCall, Vec<&'a Expr>, Resource)> {
    struct Finder<'a, 'c, 'x> {
        cx: &'c Context<'x>,
        stack: Vec<&'a Expr>,
        found: Vec<(&'a ast::ExprCall, Vec<&'a Expr>, Resource)>,
    }
    impl<'a> Visitor<'a> for Finder<'a, '_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(call) = e {
                if let Some(name) = opener(self.cx, call) {
                    self.found.push((call, self.stack.clone(), name));
                }
            }
            self.stack.push(e);
            visitor::walk_expr(self, e);
            self.stack.pop();
        }
    }
    let mut f = Finder { cx, stack: Vec::new(), found: Vec::new() };
    own_expressions(stmt, |e| f.visit_expr(e));
    f.found
}
