//! Interning tables: caches whose point is to hand back the same object for equal arguments. An LRU bound would
//! hand out a new object after an eviction, which breaks callers that compare with `is`, unregister what they
//! registered, or key other tables on it. Decided from what is cached and from what the module's callers do.

use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::codemods::Context;
use crate::semantic::{BindingKind, Semantic};

/// Methods that take an object to remember it and later find it again by identity.
const BY_IDENTITY: &[&str] = &[
    "register",
    "unregister",
    "subscribe",
    "unsubscribe",
    "add_observer",
    "remove_observer",
    "connect",
    "disconnect",
    "remove",
    "discard",
    "index",
];

/// Why the identity of what `func` caches matters, or `None`. `values`: what it stores (a memo) or returns
/// (a decorated function).
pub(super) fn interned(cx: &Context, func: &StmtFunctionDef, values: &[&Expr]) -> Option<String> {
    values.iter().find_map(|v| made_for_identity(cx, func, v)).or_else(|| callers_need_identity(cx, func))
}

/// What `func` returns at its own level (not in nested functions or classes).
pub(super) fn returned(body: &[Stmt]) -> Vec<&Expr> {
    let mut out = Vec::new();
    for s in body {
        match s {
            Stmt::Return(r) => out.extend(r.value.as_deref()),
            Stmt::If(i) => {
                out.extend(returned(&i.body));
                for c in &i.elif_else_clauses {
                    out.extend(returned(&c.body));
                }
            }
            Stmt::For(f) => {
                out.extend(returned(&f.body));
                out.extend(returned(&f.orelse));
            }
            Stmt::While(w) => {
                out.extend(returned(&w.body));
                out.extend(returned(&w.orelse));
            }
            Stmt::With(w) => out.extend(returned(&w.body)),
            Stmt::Try(t) => {
                out.extend(returned(&t.body));
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    out.extend(returned(&h.body));
                }
                out.extend(returned(&t.orelse));
                out.extend(returned(&t.finalbody));
            }
            _ => {}
        }
    }
    out
}

/// The cached value is an object whose identity is its meaning: a class or function made by the computation. An
/// instance built from the key (`Parser(k)`) or the argument handed back (`if callable(x): return x`) is not
/// enough: most caches keep those for speed; what callers do with it decides (`callers_need_identity`).
fn made_for_identity(cx: &Context, func: &StmtFunctionDef, v: &Expr) -> Option<String> {
    let sem = cx.semantic;
    let name = func.name.as_str();
    match v {
        Expr::Name(n) => {
            let b = sem.binding(sem.resolve(n)?);
            match b.kind {
                BindingKind::ClassDef | BindingKind::FunctionDef if b.scope != Semantic::MODULE => Some(format!(
                    "`{name}` makes a new {} `{}` for each key, and callers get that very object",
                    if b.kind == BindingKind::ClassDef { "class" } else { "function" },
                    n.id
                )),
                BindingKind::Assignment => match sem.stmt(b.stmt?) {
                    Stmt::Assign(a) if a.targets.len() == 1 && a.value.range() != v.range() => {
                        made_for_identity(cx, func, &a.value)
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// A call of `func` in the module whose result is compared with `is` or handed to a method that finds it again by
/// identity (`bus.unregister(f(k))`).
fn callers_need_identity(cx: &Context, func: &StmtFunctionDef) -> Option<String> {
    let sem = cx.semantic;
    let module = sem.scope(Semantic::MODULE);
    let name = func.name.as_str();
    let bindings = module.bindings_of(name);
    for b in bindings {
        for r in &sem.binding(*b).references {
            let r = sem.reference(*r);
            let Some(stmt) = r.stmt.map(|s| sem.stmt(s)) else { continue };
            let path = sem.expr_path(stmt, r.range);
            let Some(Expr::Call(call)) = path.last() else { continue };
            if call.func.range() != r.range {
                continue;
            }
            let outer = sem.expr_path(stmt, call.range());
            match outer.last() {
                Some(Expr::Compare(cmp)) if cmp.ops.iter().any(|op| matches!(op, CmpOp::Is | CmpOp::IsNot)) => {
                    return Some(format!("a caller compares what `{name}` returns with `is`"));
                }
                Some(Expr::Call(c)) if c.arguments.args.iter().any(|a| a.range() == call.range()) => {
                    if let Expr::Attribute(a) = c.func.as_ref() {
                        if BY_IDENTITY.contains(&a.attr.as_str()) {
                            return Some(format!(
                                "a caller hands what `{name}` returns to `.{}()`, which finds it again by identity",
                                a.attr
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    None
}
