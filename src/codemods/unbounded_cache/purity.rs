//! Purity: whether a memo's function is visibly pure, so that an evicted result computed again changes nothing (the
//! fix is then safe), and which module-level names are constants.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;

use super::memo_dict::{is_dict, is_module_constant, is_sentinel, Memo};
use super::vocabulary::PURE_BUILTINS;
use crate::codemods::Context;

/// `None` when the memo's function is visibly pure: arithmetic, calls of itself and of pure builtins, reads of its
/// parameters, locals and module constants. Else what it does that is not.
pub(super) fn impurity<'a>(cx: &Context<'a>, memo: &Memo<'a>) -> Option<String> {
    let mut p = Purity { cx, memo, what: None };
    for s in &memo.func.body {
        p.visit_stmt(s);
    }
    p.what
}

struct Purity<'c, 'a> {
    cx: &'c Context<'a>,
    memo: &'c Memo<'a>,
    what: Option<String>,
}

impl<'a> Visitor<'a> for Purity<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.what.is_some() {
            return;
        }
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => self.what = Some("defines a function or class".to_string()),
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.what = Some("imports".to_string()),
            Stmt::Nonlocal(_) => self.what = Some("writes an enclosing variable".to_string()),
            Stmt::Global(g) if g.names.iter().any(|n| n.as_str() != self.memo.dict) => {
                self.what = Some("writes a global".to_string())
            }
            Stmt::Assign(a) if a.targets.iter().any(|t| !is_local_target(t, self.memo)) => {
                self.what = Some("writes an attribute or an item".to_string())
            }
            Stmt::AugAssign(a) if !a.target.is_name_expr() => {
                self.what = Some("writes an attribute or an item".to_string())
            }
            Stmt::With(_) => self.what = Some("enters a context manager".to_string()),
            Stmt::Raise(_) | Stmt::Try(_) | Stmt::Delete(_) => {
                // Raising is fine (exceptions are not cached either way); the lookup's try/del go with the rewrite.
                visitor::walk_stmt(self, stmt)
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.what.is_some() {
            return;
        }
        match expr {
            Expr::Call(call) => {
                let callee = match call.func.as_ref() {
                    Expr::Name(n) if n.id.as_str() == self.memo.func.name.as_str() => None,
                    Expr::Name(n)
                        if self.cx.semantic.resolve(n).is_none()
                            && (PURE_BUILTINS.contains(&n.id.as_str()) || is_exception_name(n.id.as_str())) =>
                    {
                        None
                    }
                    Expr::Attribute(a) if is_dict(self.cx, self.memo, &a.value) => None,
                    Expr::Attribute(_) if is_math(self.cx, &call.func) => None,
                    Expr::Attribute(a) => Some(match a.value.as_ref() {
                        Expr::Name(n) => format!("{}.{}", n.id, a.attr),
                        _ => format!("….{}", a.attr),
                    }),
                    other => Some(self.cx.source.slice(other.range()).to_string()),
                };
                if let Some(c) = callee {
                    self.what = Some(format!("calls `{c}`"));
                    return;
                }
            }
            Expr::Name(n)
                if n.ctx == ExprContext::Load && !is_dict(self.cx, self.memo, expr) && !is_sentinel(self.cx, expr) =>
            {
                if let Some(b) = self.cx.semantic.resolve(n) {
                    let b = self.cx.semantic.binding(b);
                    let local = self.cx.semantic.is_within(b.scope, self.memo.scope);
                    if !local && !is_module_constant(self.cx, b.name) && b.name != self.memo.func.name.as_str() {
                        self.what = Some(format!("reads `{}`, which may change", n.id));
                        return;
                    }
                }
            }
            Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) | Expr::Lambda(_) => {
                self.what = Some("yields, awaits or builds a lambda".to_string());
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// `ValueError(...)`: building an exception to raise changes nothing (exceptions are not cached either way).
fn is_exception_name(name: &str) -> bool {
    crate::semantic::is_builtin(name) && (name.ends_with("Error") || name == "Exception")
}

fn is_local_target(t: &Expr, memo: &Memo) -> bool {
    match t {
        Expr::Name(_) => true,
        Expr::Tuple(tu) => tu.elts.iter().all(|e| is_local_target(e, memo)),
        Expr::List(l) => l.elts.iter().all(|e| is_local_target(e, memo)),
        Expr::Starred(s) => is_local_target(&s.value, memo),
        Expr::Subscript(s) => matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == memo.dict),
        _ => false,
    }
}

fn is_math(cx: &Context, func: &Expr) -> bool {
    cx.semantic.resolve_qualified_name(func).is_some_and(|q| q.starts_with("math.") && q.matches('.').count() == 1)
}
