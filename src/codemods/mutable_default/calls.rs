//! How the function meets the rest of the module: which of the module's functions a call runs and which parameter
//! gets the argument, who calls this function and with what, and who looks at its code, signature or decorators.

use ruff_python_ast::{self as ast, Expr, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::uses::use_path;
use super::uses::{is_name, last_segment};
use crate::codemods::analyze::calls::{argument_for, Passed};
use crate::codemods::Context;
use crate::semantic::{BindingId, BindingKind, ScopeId, ScopeKind, ScopeNode};

/// The functions of the module a call made in scope `from` may run, and whether the first parameter is bound by the
/// call (a method called on `self`, or a class constructed).
pub(super) fn callees(cx: &Context, c: &ast::ExprCall, from: ScopeId) -> Vec<(ScopeId, bool)> {
    let sem = cx.semantic;
    let named = |class: ScopeId, name: &str| -> Vec<ScopeId> {
        let children = &sem.scope(class).children;
        children.iter().copied().filter(|s| sem.scope(*s).function().is_some_and(|f| f.name.as_str() == name)).collect()
    };
    // Every method of that name in the module's classes, but `skip`'s.
    let methods = |name: &str, skip: Option<ScopeId>| -> Vec<ScopeId> {
        sem.scopes()
            .filter(|(_, s)| {
                s.function().is_some_and(|f| f.name.as_str() == name)
                    && s.parent.is_some_and(|p| sem.scope(p).kind == ScopeKind::Class && Some(p) != skip)
            })
            .map(|(id, _)| id)
            .collect()
    };
    let own_class = sem
        .enclosing_function(from)
        .and_then(|f| sem.scope(f).parent)
        .filter(|p| sem.scope(*p).kind == ScopeKind::Class);
    // `name` defined in `class` or, failing that, in its bases that are classes of the module (depth first).
    let inherited = |class: ScopeId, name: &str| -> Vec<ScopeId> {
        let mut stack = vec![class];
        let mut seen = Vec::new();
        while let Some(c) = stack.pop() {
            if seen.contains(&c) || seen.len() > 32 {
                continue;
            }
            seen.push(c);
            let found = named(c, name);
            if !found.is_empty() {
                return found;
            }
            let ScopeNode::Class(def) = sem.scope(c).node else { continue };
            let bases = def.arguments.as_ref().map(|a| &a.args[..]).unwrap_or_default();
            for base in bases.iter().rev() {
                let Expr::Name(n) = base else { continue };
                let Some(b) = sem.resolve(n).filter(|b| sem.binding(*b).kind == BindingKind::ClassDef) else {
                    continue;
                };
                if let Some(cs) = sem.binding(b).stmt.and_then(|st| sem.scope_of_def(sem.stmt(st))) {
                    stack.push(cs);
                }
            }
        }
        Vec::new()
    };
    match c.func.as_ref() {
        Expr::Name(n) => {
            let Some(b) = sem.resolve(n) else { return Vec::new() };
            let home = sem.scope(sem.binding(b).scope);
            // `def _merge(...)` later rebound (`try: _merge = _speedups._merge`): the module's own version.
            let defs: Vec<BindingId> = if sem.binding(b).kind == BindingKind::FunctionDef {
                vec![b]
            } else {
                home.bindings_of(n.id.as_str())
                    .iter()
                    .copied()
                    .filter(|d| sem.binding(*d).kind == BindingKind::FunctionDef)
                    .collect()
            };
            if !defs.is_empty() {
                return defs
                    .iter()
                    .filter_map(|d| sem.binding(*d).stmt)
                    .filter_map(|stmt| sem.scope_of_def(sem.stmt(stmt)))
                    .map(|s| (s, false))
                    .collect();
            }
            match (sem.binding(b).kind == BindingKind::ClassDef, sem.binding(b).stmt) {
                (true, Some(stmt)) => {
                    let Some(cs) = sem.scope_of_def(sem.stmt(stmt)) else { return Vec::new() };
                    inherited(cs, "__init__").into_iter().map(|s| (s, true)).collect()
                }
                _ => Vec::new(),
            }
        }
        Expr::Attribute(a) if is_self_call(a) => {
            let m = a.attr.as_str();
            let is_super = matches!(a.value.as_ref(), Expr::Call(_));
            let own = own_class.filter(|_| !is_super).map(|c| inherited(c, m)).unwrap_or_default();
            let found = if own.is_empty() { methods(m, own_class.filter(|_| is_super)) } else { own };
            found.into_iter().map(|s| (s, true)).collect()
        }
        Expr::Attribute(a) => {
            // `Base.__init__(self, ...)`: a class of the module.
            let Expr::Name(n) = a.value.as_ref() else { return Vec::new() };
            let Some(b) = sem.resolve(n).filter(|b| sem.binding(*b).kind == BindingKind::ClassDef) else {
                return Vec::new();
            };
            let m = a.attr.as_str();
            let own = sem
                .binding(b)
                .stmt
                .and_then(|s| sem.scope_of_def(sem.stmt(s)))
                .map(|c| inherited(c, m))
                .unwrap_or_default();
            let found = if own.is_empty() { methods(m, None) } else { own };
            found.into_iter().map(|s| (s, false)).collect()
        }
        _ => Vec::new(),
    }
}

/// `self.m(...)`, `cls.m(...)`, `super().m(...)`.
pub(super) fn is_self_call(a: &ast::ExprAttribute) -> bool {
    match a.value.as_ref() {
        Expr::Name(n) => matches!(n.id.as_str(), "self" | "cls"),
        Expr::Call(c) => is_name(&c.func, "super"),
        _ => false,
    }
}

/// The function's name, for messages.
pub(super) fn function_name(cx: &Context, scope: ScopeId) -> String {
    cx.semantic.scope(scope).function().map_or_else(|| "lambda".to_string(), |f| f.name.to_string())
}

/// A call somewhere in the module passes the parameter explicitly (or may, through `*args`/`**kwargs`).
pub(super) fn passed_by_some_call(cx: &Context, scope: ScopeId, f: &StmtFunctionDef, param: &str) -> bool {
    let sem = cx.semantic;
    let def = sem.scope(scope).stmt;
    let is_method = sem.scope(scope).parent.is_some_and(|p| sem.scope(p).kind == ScopeKind::Class);
    sem.scopes().flat_map(|(_, s)| s.facts.calls.iter()).any(|c| {
        let (targets, bound) = match c.func.as_ref() {
            Expr::Name(n) => (def.is_some() && sem.resolve(n).is_some_and(|b| sem.binding(b).stmt == def), false),
            // `obj.f(a)` passes `a` as the method's second parameter.
            Expr::Attribute(a) => (a.attr.as_str() == f.name.as_str(), is_method),
            _ => (false, false),
        };
        targets && argument_for(c, &f.parameters, param, bound) != Passed::No
    })
}

/// The `def`'s own binding (the name it binds in the enclosing scope).
fn def_binding(cx: &Context, scope: ScopeId) -> Option<BindingId> {
    let sem = cx.semantic;
    let s = sem.scope(scope);
    let (f, def) = (s.function()?, s.stmt?);
    sem.scope(s.parent?).bindings_of(f.name.as_str()).iter().copied().find(|b| sem.binding(*b).stmt == Some(def))
}

/// A function nested in another one, never decorated, only ever called where it is defined: it dies with the call
/// of the enclosing function, and so does its default. Returns the enclosing function's name.
pub(super) fn local_only(cx: &Context, scope: ScopeId) -> Option<String> {
    let sem = cx.semantic;
    let s = sem.scope(scope);
    let parent = s.parent?;
    if sem.scope(parent).kind != ScopeKind::Function || !s.function()?.decorator_list.is_empty() {
        return None;
    }
    let b = def_binding(cx, scope)?;
    let only_called = sem.binding(b).references.iter().all(|r| {
        let r = sem.reference(*r);
        matches!(use_path(cx, r).last(), Some(Expr::Call(c)) if c.func.range() == r.range)
    });
    only_called.then(|| function_name(cx, parent))
}

/// The function's code or signature is looked at (`dis.code_info(f)`, `inspect.signature(f)`, `f.__code__`):
/// the rewrite would change what that shows.
pub(super) fn inspected(cx: &Context, scope: ScopeId) -> Option<String> {
    let sem = cx.semantic;
    let b = def_binding(cx, scope)?;
    sem.binding(b).references.iter().find_map(|r| {
        let r = sem.reference(*r);
        let path = use_path(cx, r);
        // `f.__code__`, `f.__func__.__code__.co_consts`...
        let dunder = path
            .iter()
            .rev()
            .take_while(|e| e.is_attribute_expr())
            .find(|e| matches!(e, Expr::Attribute(a) if matches!(a.attr.as_str(), "__code__" | "__signature__")));
        if let Some(e) = dunder {
            return Some(format!(
                "`{}` looks at the function's code or signature, which the rewrite would change",
                cx.source.slice(e.range())
            ));
        }
        let shown = match path.last()? {
            Expr::Call(c) if c.func.range() != r.range => {
                let q = sem.resolve_qualified_name(&c.func)?;
                (q.starts_with("dis.") || q.starts_with("inspect.")).then(|| cx.source.slice(c.range()))?
            }
            _ => return None,
        };
        Some(format!("`{shown}` looks at the function's code or signature, which the rewrite would change"))
    })
}

/// Decorators known not to read the signature, so a default that turns into `None` is invisible to them.
pub(super) const PLAIN_DECORATORS: &[&str] = &[
    "staticmethod",
    "classmethod",
    "property",
    "setter",
    "getter",
    "deleter",
    "wraps",
    "contextmanager",
    "asynccontextmanager",
    "override",
    "final",
    "cache",
    "lru_cache",
    "cached_property",
];

/// `@functools.wraps(f)` -> `wraps`, `@x.setter` -> `setter`.
pub(super) fn decorator_name(e: &Expr) -> Option<&str> {
    let e = if let Expr::Call(c) = e { c.func.as_ref() } else { e };
    last_segment(e)
}

/// The decorator as written, without its arguments, for messages.
pub(super) fn decorator_shown<'t>(cx: &Context<'t>, e: &Expr) -> &'t str {
    let e = if let Expr::Call(c) = e { c.func.as_ref() } else { e };
    cx.source.slice(e.range())
}

/// The function's code is looked at and no call in the module calls it by name: a specimen for `dis` or
/// `inspect`, whose default never runs as state.
pub(super) fn inspected_never_called(cx: &Context, scope: ScopeId) -> bool {
    let sem = cx.semantic;
    let Some(b) = def_binding(cx, scope) else { return false };
    inspected(cx, scope).is_some()
        && !sem.binding(b).references.iter().any(|r| {
            let r = sem.reference(*r);
            use_path(cx, r).iter().any(|e| matches!(e, Expr::Call(c) if c.func.range() == r.range))
        })
}
