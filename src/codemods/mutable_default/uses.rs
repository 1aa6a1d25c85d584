//! The parameter's uses read one at a time: its binding and references, `None` tests, identity comparisons with a
//! sentinel, memo-shaped lookups. Whether the object grows or escapes is `flow`'s.

use ruff_python_ast::{CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::defaults::Shared;
use crate::codemods::Context;
use crate::semantic::{BindingId, BindingKind, Reference, ScopeId};

/// The parameter's own binding in the function scope.
pub(super) fn param_binding(cx: &Context, scope: ScopeId, name: &str) -> Option<BindingId> {
    let sem = cx.semantic;
    sem.scope(scope).bindings_of(name).iter().copied().find(|b| sem.binding(*b).kind == BindingKind::Parameter)
}

/// The uses of the parameter's own binding (loads in the body and in nested scopes that see it), in source order.
fn param_uses<'m, 'a>(cx: &'m Context<'a>, scope: ScopeId, name: &str) -> impl Iterator<Item = &'m Reference<'a>> {
    let sem = cx.semantic;
    param_binding(cx, scope, name)
        .into_iter()
        .flat_map(move |b| sem.binding(b).references.iter().map(move |r| sem.reference(*r)))
}

/// The expressions enclosing a use, outermost first.
pub(super) fn use_path<'a>(cx: &Context<'a>, r: &Reference) -> Vec<&'a Expr> {
    match r.stmt {
        Some(s) => cx.semantic.expr_path(cx.semantic.stmt(s), r.range),
        None => Vec::new(),
    }
}

/// `x is None`, `x is not None`, `x == None`, `None != x`... in the function or any scope nested in it.
pub(super) fn tests_none(cx: &Context, scope: ScopeId, name: &str) -> bool {
    let s = cx.semantic.scope(scope);
    s.facts.none_tests.contains(name) || s.children.iter().any(|c| tests_none(cx, *c, name))
}

/// `x is NAME` / `NAME is not x`: the default is a sentinel compared by identity.
pub(super) fn compares_identity_with(cx: &Context, scope: ScopeId, param: &str, name: &str) -> bool {
    param_uses(cx, scope, param).any(|r| {
        let Some(Expr::Compare(c)) = use_path(cx, r).last().copied() else { return false };
        let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
        c.ops.iter().enumerate().any(|(i, op)| {
            let (l, rt) = (operands[i], operands[i + 1]);
            matches!(op, CmpOp::Is | CmpOp::IsNot)
                && ((l.range() == r.range && is_name(rt, name)) || (rt.range() == r.range && is_name(l, name)))
        })
    })
}

/// A sentinel: the parameter is compared by identity (`x is _nil`) and otherwise only handed as the fallback of a
/// lookup (`memo.get(k, _nil)`, `getattr(o, n, _nil)`, `next(it, _nil)`, `d.pop(k, _nil)`). Nothing is ever stored
/// in it; only its identity counts.
pub(super) fn is_sentinel(cx: &Context, scope: ScopeId, name: &str) -> bool {
    let mut compared = false;
    let all = param_uses(cx, scope, name).all(|r| {
        let path = use_path(cx, r);
        match path.last() {
            Some(Expr::Compare(c)) => {
                let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
                let identity = c.ops.iter().enumerate().all(|(i, op)| {
                    let touches = operands[i].range() == r.range || operands[i + 1].range() == r.range;
                    !touches || matches!(op, CmpOp::Is | CmpOp::IsNot)
                });
                compared |= identity;
                identity
            }
            Some(Expr::Call(c)) => {
                let fallback = |i: usize| c.arguments.args.get(i).is_some_and(|a| a.range() == r.range);
                match c.func.as_ref() {
                    Expr::Attribute(a) if matches!(a.attr.as_str(), "get" | "pop") => fallback(1),
                    Expr::Name(n) if n.id.as_str() == "getattr" => fallback(2),
                    Expr::Name(n) if n.id.as_str() == "next" => fallback(1),
                    _ => false,
                }
            }
            _ => false,
        }
    });
    all && compared
}

/// A memo kept across calls on purpose: named like one (`_cache`, `memo`), or a mapping whose first use is a
/// lookup (`key in x`, `x[key]`, `x.get(key)`), which is written later (`x[key] = ...`) and whose hit is returned.
pub(super) fn is_memo(cx: &Context, scope: ScopeId, name: &str, shared: Shared) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.contains("cache") || lower.contains("memo") {
        return true;
    }
    let kind = match shared {
        Shared::Built(k) | Shared::Module(_, k) => k,
    };
    if !kind.is_mapping() {
        return false;
    }
    let mut first_lookup: Option<TextSize> = None;
    let mut first_store: Option<TextSize> = None;
    for r in param_uses(cx, scope, name) {
        let path = use_path(cx, r);
        match path.as_slice() {
            [.., Expr::Compare(c)] => {
                let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
                for (i, op) in c.ops.iter().enumerate() {
                    if matches!(op, CmpOp::In | CmpOp::NotIn) && operands[i + 1].range() == r.range {
                        first_lookup = first_lookup.min(Some(operands[i].start())).or(Some(operands[i].start()));
                    }
                }
            }
            [.., Expr::Subscript(s)] if s.value.range() == r.range => {
                let at = Some(s.start());
                if s.ctx.is_store() {
                    first_store = first_store.min(at).or(at);
                } else if s.ctx.is_load() {
                    first_lookup = first_lookup.min(at).or(at);
                }
            }
            [.., Expr::Call(c), Expr::Attribute(a)] if a.attr.as_str() == "get" && c.func.range() == a.range() => {
                let at = Some(c.start());
                first_lookup = first_lookup.min(at).or(at);
            }
            _ => {}
        }
    }
    matches!((first_lookup, first_store), (Some(l), Some(s)) if l < s) && returns_lookup(cx, scope, name)
}

/// Some `return` hands out what a lookup in the mapping found (`return table[key]`, `return table.get(key)`).
fn returns_lookup(cx: &Context, scope: ScopeId, name: &str) -> bool {
    param_uses(cx, scope, name).any(|r| {
        let Some(stmt) = r.stmt else { return false };
        if !matches!(cx.semantic.stmt(stmt), Stmt::Return(_)) {
            return false;
        }
        let path = use_path(cx, r);
        matches!(path.as_slice(), [.., Expr::Subscript(s)] if s.value.range() == r.range && s.ctx.is_load())
            || matches!(path.as_slice(), [.., Expr::Call(_), Expr::Attribute(a)] if a.attr.as_str() == "get")
    })
}

pub(super) fn is_name(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == name)
}

/// The last name of a dotted name: `typing.Protocol` -> `Protocol`.
pub(super) fn last_segment(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}
