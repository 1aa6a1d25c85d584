//! Recognizing a dict used as a hand-rolled memo: how the function uses it at each reference (`Use`), whether those
//! uses look like a memo, and facts about module-level dicts. Rewriting one is `memo_fix.rs` and `memo_shapes.rs`.

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::Context;
use crate::semantic::{BindingId, BindingKind, ReferenceId, ReferenceKind, ScopeId, ScopeKind, Semantic};

/// How the function uses the dict at one reference.
#[derive(Clone, Copy)]
pub(super) enum Use<'a> {
    /// `C[k]` read.
    Read(&'a ast::ExprSubscript),
    /// `C[k] = v`.
    Store(&'a ast::ExprSubscript),
    /// `k in C`, `k not in C`.
    Contains(&'a ast::ExprCompare),
    /// `C.get(k)`, `C.get(k, default)`.
    Get(&'a ast::ExprCall),
    /// `C.setdefault(k, v)`.
    SetDefault,
    /// `del C[k]`, `C.pop(k)`, `C.popitem()`: entries are evicted one by one.
    Evict,
    /// `C.clear()`.
    Clear,
    /// `len(C)`: a size check, usually a bound.
    Measured,
    /// Anything else: iterated, passed on, returned... (what, for "`C` is {what}").
    Other(&'static str),
}

/// A memo stores a value computed without reading the dict (`C[k] = C.get(k, 0) + 1` counts, it does not cache)
/// under a key it also looks up (`k in C`, `C[k]`, `C.get(k)` without a fallback value), or returns
/// `C.setdefault(k, value)`.
pub(super) fn looks_like_memo(cx: &Context, uses: &[(ReferenceId, Use)]) -> bool {
    let refs: Vec<TextRange> = uses.iter().map(|(r, _)| cx.semantic.reference(*r).range).collect();
    let reads_dict = |e: &Expr| refs.iter().any(|r| e.range().contains_range(*r));
    // A memo hands its values back (`return C[k]`, `v = C.get(k)`, `C[k].match(s)`); `C.get(k) == code` only
    // checks a registration.
    let hands_back = |r: &ReferenceId, e: TextRange| {
        let Some(stmt) = cx.semantic.reference(*r).stmt.map(|s| cx.semantic.stmt(s)) else { return false };
        // Quoted in an error message (`raise ValueError(f"... {C[k]}")`) is not handing it back either.
        !matches!(stmt, Stmt::Raise(_))
            && !matches!(cx.semantic.expr_path(stmt, e).last(), Some(Expr::Compare(c))
            if c.ops.iter().all(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq)))
    };
    let retrieves = uses.iter().any(|(r, u)| match u {
        Use::Read(sub) => hands_back(r, sub.range()),
        Use::Get(call) => hands_back(r, call.range()),
        Use::SetDefault => true,
        _ => false,
    });
    if !retrieves {
        return false;
    }
    let lookup_keys: Vec<&Expr> = uses
        .iter()
        .filter_map(|(_, u)| match u {
            Use::Read(sub) => Some(&*sub.slice),
            Use::Contains(cmp) => Some(&*cmp.left),
            Use::Get(call) => match call.arguments.args.as_ref() {
                [k] => Some(k),
                [k, d] if d.is_none_literal_expr() || is_sentinel(cx, d) || is_module_constant_name(cx, d) => Some(k),
                _ => None,
            },
            _ => None,
        })
        .collect();
    uses.iter().any(|(r, u)| match u {
        Use::Store(sub) => {
            let stmt = cx.semantic.reference(*r).stmt.map(|s| cx.semantic.stmt(s));
            let value = match stmt {
                Some(Stmt::Assign(a)) => &*a.value,
                _ => return false,
            };
            !reads_dict(value)
                && is_computed(cx, value)
                && mentions_parameter(cx, &sub.slice)
                && lookup_keys.iter().any(|k| same(k, &sub.slice))
        }
        Use::SetDefault => {
            let stmt = cx.semantic.reference(*r).stmt.map(|s| cx.semantic.stmt(s));
            let Some(Stmt::Return(ret)) = stmt else { return false };
            let Some(Expr::Call(call)) = ret.value.as_deref() else { return false };
            match call.arguments.args.as_ref() {
                [k, v] => !reads_dict(v) && is_computed(cx, v) && mentions_parameter(cx, k),
                _ => false,
            }
        }
        _ => false,
    })
}

/// A value a memo computes: not a constant (`True`, `1`: a "seen" table) and not an argument stored as given (a
/// registry: `handlers[name] = func`).
pub(super) fn is_computed(cx: &Context, value: &Expr) -> bool {
    computed_within(cx, value, 1)
}

/// `is_computed`, following a local name to its one assignment `hops` times (`key = (module, name)`).
fn computed_within(cx: &Context, value: &Expr, hops: usize) -> bool {
    match value {
        e if e.is_literal_expr() || e.is_none_literal_expr() => false,
        Expr::Name(n) => {
            let Some(b) = cx.semantic.resolve(n).map(|b| cx.semantic.binding(b)) else { return true };
            match (&b.kind, b.stmt.map(|s| cx.semantic.stmt(s))) {
                (BindingKind::Parameter, _) => false,
                (BindingKind::Assignment, Some(Stmt::Assign(a)))
                    if hops > 0
                        && a.targets.len() == 1
                        && cx.semantic.scope(b.scope).bindings_of(b.name).len() == 1 =>
                {
                    computed_within(cx, &a.value, hops - 1)
                }
                _ => true,
            }
        }
        Expr::Tuple(t) => t.elts.iter().any(|e| computed_within(cx, e, hops)),
        _ => true,
    }
}

/// The key is built from the function's arguments (a loop filling a table keys on something else).
pub(super) fn mentions_parameter(cx: &Context, key: &Expr) -> bool {
    struct Params<'c, 'a> {
        cx: &'c Context<'a>,
        found: bool,
        hops: usize,
    }
    impl<'a> Visitor<'a> for Params<'_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Name(n) = e {
                let binding = self.cx.semantic.resolve(n).map(|b| self.cx.semantic.binding(b));
                let scope = binding.map(|b| self.cx.semantic.scope(b.scope));
                // A parameter, even rebound (`lang = lang or default()`): the memo is keyed on the argument.
                // `self`/`cls` do not vary with what callers ask for.
                let is_receiver = scope.is_some_and(|s| {
                    s.parent.is_some_and(|p| self.cx.semantic.scope(p).kind == ScopeKind::Class)
                        && s.function()
                            .and_then(|f| f.parameters.iter().next())
                            .is_some_and(|p| p.name().as_str() == n.id.as_str())
                });
                let is_param_name = !is_receiver
                    && scope.and_then(|s| s.function()).is_some_and(|f| f.parameters.includes(n.id.as_str()));
                if is_param_name {
                    self.found = true;
                }
                // A local computed from the arguments (`key = (a, b)`) counts too: one step, not a chain.
                if let Some(Stmt::Assign(a)) = binding.and_then(|b| b.stmt).map(|s| self.cx.semantic.stmt(s)) {
                    if binding.is_some_and(|b| b.kind == BindingKind::Assignment) && !self.found && self.hops == 0 {
                        self.hops += 1;
                        self.visit_expr(&a.value);
                        self.hops -= 1;
                    }
                }
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut p = Params { cx, found: false, hops: 0 };
    p.visit_expr(key);
    p.found
}

/// What the expression around the reference does with the dict.
pub(super) fn classify<'a>(cx: &Context<'a>, r: ReferenceId) -> Use<'a> {
    let reference = cx.semantic.reference(r);
    if reference.kind != ReferenceKind::Load {
        return Use::Evict;
    }
    let Some(stmt) = reference.stmt else { return Use::Other("used outside a statement") };
    let stmt = cx.semantic.stmt(stmt);
    let path = cx.semantic.expr_path(stmt, reference.range);
    let is_self = |e: &Expr| e.range() == reference.range;
    match path.last() {
        Some(Expr::Subscript(sub)) if is_self(&sub.value) => match sub.ctx {
            ExprContext::Store if sub.slice.is_slice_expr() => Use::Other("replaced by a slice assignment"),
            ExprContext::Store => Use::Store(sub),
            ExprContext::Load => Use::Read(sub),
            _ => Use::Evict,
        },
        Some(Expr::Call(call))
            if call.arguments.args.len() == 1
                && is_self(&call.arguments.args[0])
                && cx.semantic.resolve_qualified_name(&call.func).as_deref() == Some("builtins.len") =>
        {
            Use::Measured
        }
        Some(Expr::Compare(cmp))
            if cmp.ops.len() == 1 && matches!(cmp.ops[0], CmpOp::In | CmpOp::NotIn) && is_self(&cmp.comparators[0]) =>
        {
            Use::Contains(cmp)
        }
        Some(Expr::Attribute(attr)) if is_self(&attr.value) => {
            let call = match path.iter().rev().nth(1) {
                Some(Expr::Call(call)) if call.func.range() == attr.range() => Some(call),
                _ => None,
            };
            match (attr.attr.as_str(), call) {
                ("get", Some(call)) if !call.arguments.args.is_empty() && call.arguments.keywords.is_empty() => {
                    Use::Get(call)
                }
                ("setdefault", Some(_)) => Use::SetDefault,
                ("pop" | "popitem", _) => Use::Evict,
                ("clear", _) => Use::Clear,
                ("update", _) => Use::Other("updated in bulk"),
                _ => Use::Other("used through another method"),
            }
        }
        None if matches!(stmt, Stmt::Delete(_)) => Use::Other("deleted"),
        Some(Expr::Compare(_) | Expr::UnaryOp(_) | Expr::BoolOp(_)) => Use::Other("tested for emptiness"),
        None if matches!(stmt, Stmt::Return(_)) => Use::Other("returned"),
        _ => match stmt {
            Stmt::For(f) if f.iter.range() == reference.range => Use::Other("iterated"),
            _ => Use::Other("passed on"),
        },
    }
}

/// A module-level dict (or a dict default) that one function reads and writes as a cache.
pub(super) struct Memo<'a> {
    /// The dict's name.
    pub(super) dict: &'a str,
    pub(super) func: &'a StmtFunctionDef,
    pub(super) scope: ScopeId,
    /// Every reference to the dict inside `func`, with its use.
    pub(super) uses: Vec<(ReferenceId, Use<'a>)>,
}

/// `C[k]` (or the name `C`) is the dict of this memo at this expression.
pub(super) fn is_dict(cx: &Context, memo: &Memo, e: &Expr) -> bool {
    match e {
        Expr::Name(n) => {
            n.id.as_str() == memo.dict && memo.uses.iter().any(|(r, _)| cx.semantic.reference(*r).range == n.range)
        }
        _ => false,
    }
}

pub(super) fn same(a: &Expr, b: &Expr) -> bool {
    ComparableExpr::from(a) == ComparableExpr::from(b)
}

/// `_MISSING` bound once at module level to `object()`.
pub(super) fn is_sentinel(cx: &Context, e: &Expr) -> bool {
    let Expr::Name(n) = e else { return false };
    let Some(b) = cx.semantic.resolve(n) else { return false };
    let b = cx.semantic.binding(b);
    if b.scope != Semantic::MODULE || cx.semantic.scope(Semantic::MODULE).bindings_of(b.name).len() != 1 {
        return false;
    }
    matches!(b.stmt.map(|s| cx.semantic.stmt(s)), Some(Stmt::Assign(a))
        if matches!(a.value.as_ref(), Expr::Call(c) if c.arguments.is_empty()
            && cx.semantic.resolve_qualified_name(&c.func).as_deref() == Some("builtins.object")))
}

pub(super) fn where_(cx: &Context, scope: ScopeId) -> String {
    let s = cx.semantic.scope(scope);
    match (s.kind, cx.semantic.enclosing_function(scope).and_then(|f| cx.semantic.scope(f).function())) {
        (ScopeKind::Module, _) => "at module level".to_string(),
        (ScopeKind::Lambda | ScopeKind::Comprehension, Some(f)) => {
            format!("in a comprehension or lambda in `{}`", f.name)
        }
        (_, Some(f)) => format!("in `{}`", f.name),
        _ => "in a class body".to_string(),
    }
}

/// `C = {}` / `C: dict[str, int] = {}` at module level: the statement and the value.
pub(super) fn module_assignment<'a>(cx: &Context<'a>, binding: BindingId) -> Option<(&'a Stmt, &'a Expr)> {
    let b = cx.semantic.binding(binding);
    if b.kind != BindingKind::Assignment {
        return None;
    }
    let stmt = cx.semantic.stmt(b.stmt?);
    if cx.semantic.stmt_node(b.stmt?).parent.is_some() {
        return None;
    }
    match stmt {
        Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].is_name_expr() => Some((stmt, &a.value)),
        Stmt::AnnAssign(a) if a.target.is_name_expr() => Some((stmt, a.value.as_deref()?)),
        _ => None,
    }
}

/// `Some(seeded)` for a dict display or `dict(...)` call: `{}` and `dict()` are empty, anything else is seeded.
pub(super) fn dict_literal(cx: &Context, value: &Expr) -> Option<bool> {
    match value {
        Expr::Dict(d) => Some(!d.is_empty()),
        Expr::Call(call) if cx.semantic.resolve_qualified_name(&call.func).as_deref() == Some("builtins.dict") => {
            Some(!call.arguments.is_empty())
        }
        _ => None,
    }
}

pub(super) fn is_exported(cx: &Context, name: &str) -> bool {
    cx.module.body.iter().any(|s| {
        let (target, value) = match s {
            Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value),
            Stmt::AugAssign(a) => (&*a.target, &*a.value),
            _ => return false,
        };
        let elts = match value {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => return false,
        };
        matches!(target, Expr::Name(n) if n.id.as_str() == "__all__")
            && elts.iter().any(|e| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == name))
    })
}

/// `_unknown` in `C.get(k, _unknown)`: a module-level name bound once to a constant (a sentinel by convention).
pub(super) fn is_module_constant_name(cx: &Context, e: &Expr) -> bool {
    matches!(e, Expr::Name(n) if cx.semantic.resolve(n).is_some_and(|b| cx.semantic.binding(b).scope == Semantic::MODULE)
        && is_module_constant(cx, n.id.as_str()))
}

/// A module-level name bound once, to a number, string, bytes, `True`/`False`/`None` or a tuple of those.
pub(super) fn is_module_constant(cx: &Context, name: &str) -> bool {
    let bindings = cx.semantic.scope(Semantic::MODULE).bindings_of(name);
    let [b] = bindings else { return false };
    let Some((_, value)) = module_assignment(cx, *b) else {
        return matches!(cx.semantic.binding(*b).kind, BindingKind::Import(ref q) | BindingKind::FromImport(ref q) if q == "math");
    };
    crate::codemods::is_constant_literal(value)
}
