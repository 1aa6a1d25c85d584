//! Module-level containers that only grow (report only): how a reference grows one, and the registries (filled at
//! import time, or with the arguments as given) that are not reported.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::memo_dict::{classify, mentions_parameter, Use};
use crate::codemods::analyze::effects::{receiver_effect, Receiver};
use crate::codemods::Context;
use crate::semantic::{BindingKind, ReferenceId, ScopeId, ScopeKind};

/// `registry[name] = factory`, `table[name.lower()] = [klass, instance]`: arguments stored under an argument, as
/// given. A table of what callers registered, bounded by what they register.
pub(super) fn stores_arguments(cx: &Context, r: ReferenceId) -> bool {
    let Use::Store(sub) = classify(cx, r) else { return false };
    let Some(Stmt::Assign(a)) = cx.semantic.reference(r).stmt.map(|s| cx.semantic.stmt(s)) else { return false };
    let is_param = |e: &Expr| {
        let mut e = e;
        // `name.lower()`, `name.attr`: still the argument.
        loop {
            match e {
                Expr::Call(c) if c.arguments.is_empty() => e = &c.func,
                Expr::Attribute(at) => e = &at.value,
                _ => break,
            }
        }
        matches!(e, Expr::Name(n) if cx.semantic.resolve(n).is_some_and(|b| cx.semantic.binding(b).kind == BindingKind::Parameter))
    };
    let value_is_params = match a.value.as_ref() {
        Expr::List(l) => l.elts.iter().all(is_param),
        Expr::Tuple(t) => t.elts.iter().all(is_param),
        v => is_param(v),
    };
    value_is_params && is_param(&sub.slice)
}

/// `table[id(obj)] = obj`, or `oid = id(obj)` first: an object's identity is a new key for every object, whatever
/// the function was called with (idlelib's `dicttable[did] = dict` in a method reached by a remote call).
fn identity_key(cx: &Context, key: &Expr) -> bool {
    let is_id = |e: &Expr| {
        matches!(e, Expr::Call(c) if c.arguments.args.len() == 1
            && cx.semantic.resolve_qualified_name(&c.func).as_deref() == Some("builtins.id"))
    };
    if is_id(key) {
        return true;
    }
    let Expr::Name(n) = key else { return false };
    let Some(b) = cx.semantic.resolve(n).map(|b| cx.semantic.binding(b)) else { return false };
    if b.kind != BindingKind::Assignment || cx.semantic.scope(b.scope).bindings_of(b.name).len() != 1 {
        return false;
    }
    matches!(b.stmt.map(|s| cx.semantic.stmt(s)), Some(Stmt::Assign(a)) if a.targets.len() == 1 && is_id(&a.value))
}

pub(super) fn is_empty_container(cx: &Context, value: &Expr) -> bool {
    match value {
        Expr::List(l) => l.elts.is_empty(),
        Expr::Dict(d) => d.is_empty(),
        Expr::Call(call) if call.arguments.is_empty() => matches!(
            cx.semantic.resolve_qualified_name(&call.func).as_deref(),
            Some("builtins.list" | "builtins.dict" | "builtins.set" | "collections.OrderedDict")
        ),
        _ => false,
    }
}

pub(super) enum Growth {
    Grows,
    Reads,
    /// Shrunk, replaced, bounded, or handed to code pyfix cannot see.
    Escapes,
}

pub(super) fn growth(cx: &Context, r: ReferenceId) -> Growth {
    match classify(cx, r) {
        Use::Store(sub) if mentions_parameter(cx, &sub.slice) || identity_key(cx, &sub.slice) => Growth::Grows,
        Use::Store(_) => Growth::Reads,
        Use::SetDefault => Growth::Grows,
        Use::Read(_) | Use::Contains(_) | Use::Get(_) => Growth::Reads,
        Use::Evict | Use::Clear | Use::Measured => Growth::Escapes,
        Use::Other(_) => {
            let reference = cx.semantic.reference(r);
            let Some(stmt) = reference.stmt else { return Growth::Escapes };
            let path = cx.semantic.expr_path(cx.semantic.stmt(stmt), reference.range);
            match path.last() {
                Some(Expr::Attribute(attr)) if attr.value.range() == reference.range => {
                    match receiver_effect(attr.attr.as_str()) {
                        Some(Receiver::Grows) => {
                            // Grows with the arguments, not with a fixed set of values.
                            let call = path.iter().rev().nth(1);
                            match call {
                                Some(Expr::Call(c)) if c.arguments.args.iter().any(|a| mentions_parameter(cx, a)) => {
                                    Growth::Grows
                                }
                                _ => Growth::Reads,
                            }
                        }
                        Some(Receiver::Reads) => Growth::Reads,
                        // `_seen.symmetric_difference_update(keys)` also drops entries: it does not only grow.
                        Some(Receiver::Shrinks | Receiver::Toggles) | None => Growth::Escapes,
                    }
                }
                _ => Growth::Escapes,
            }
        }
    }
}

/// A function used at import time (called or used as a decorator at module level or in a class body): what it
/// stores is a registry filled once.
pub(super) fn is_registrar(cx: &Context, mut scope: ScopeId) -> bool {
    // The function itself, or a function it is nested in (`def handler(name): def register(f): ...`).
    loop {
        let s = cx.semantic.scope(scope);
        let (Some(func), Some(parent)) = (s.function(), s.parent) else { return false };
        let at_import_time = cx.semantic.scope(parent).bindings_of(func.name.as_str()).iter().any(|b| {
            cx.semantic.binding(*b).references.iter().any(|r| {
                let s = cx.semantic.scope(cx.semantic.reference(*r).scope);
                matches!(s.kind, ScopeKind::Module | ScopeKind::Class)
            })
        });
        if at_import_time || is_decorator_shaped(cx, scope, func) {
            return true;
        }
        scope = parent;
    }
}

/// `def deco(func): ...; return func` or `return wrapper` (a function defined inside): a decorator, which runs when
/// the decorated code is imported.
fn is_decorator_shaped(cx: &Context, scope: ScopeId, func: &StmtFunctionDef) -> bool {
    let mut returns = Returns(Vec::new());
    returns.visit_body(&func.body);
    returns.0.iter().any(|r| {
        let Expr::Name(n) = r else { return false };
        cx.semantic.resolve(n).map(|b| cx.semantic.binding(b)).is_some_and(|b| {
            b.scope == scope
                && matches!(b.kind, BindingKind::Parameter | BindingKind::FunctionDef | BindingKind::ClassDef)
        }) && !matches!(cx.semantic.scope(scope).kind, ScopeKind::Module)
            && cx
                .semantic
                .resolve(n)
                .is_some_and(|b| cx.semantic.binding(b).kind != BindingKind::Parameter || func.parameters.len() == 1)
    })
}

/// The values of the `return` statements of a function body (nested scopes excluded).
struct Returns<'a>(Vec<&'a Expr>);

impl<'a> Visitor<'a> for Returns<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Return(ast::StmtReturn { value: Some(v), .. }) => self.0.push(v),
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}
