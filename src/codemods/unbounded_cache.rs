//! `unbounded-cache`: caches that keep every result for the life of the process: a module-level dict used as a
//! hand-rolled memo, a dict default used as one, `@functools.cache` / `@lru_cache(maxsize=None)`, a cache decorator
//! on an instance method (it pins every `self`), and module-level containers that only grow (reported only).
//! Fixes bound the cache with `functools.lru_cache`. Users' docs: codemods/unbounded_cache/README.md.

use std::collections::HashSet;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::imports::ensure_import;
use crate::semantic::{BindingId, BindingKind, ReferenceId, ReferenceKind, ScopeId, ScopeKind, Semantic};

pub struct UnboundedCache;

impl Codemod for UnboundedCache {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a dict memo, `@cache` or `@lru_cache(maxsize=None)` that keeps every result -> `@lru_cache(maxsize=N)` [fix: safe for a visibly pure memo, else unsafe]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/unbounded_cache/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        // Nothing runs in a stub.
        if cx.is_stub {
            return Vec::new();
        }
        let mut findings = Vec::new();
        decorator_findings(cx, &mut findings);
        let memos = memo_findings(cx, &mut findings);
        memo_default_findings(cx, &mut findings);
        growing_global_findings(cx, &memos, &mut findings);
        findings
    }
}

const NAME: &str = "unbounded-cache";

// ---------------------------------------------------------------------------------------------------------------
// `@functools.cache`, `@lru_cache(maxsize=None)`

/// An unbounded cache decorator.
enum Unbounded<'a> {
    /// `@cache`, `@functools.cache`: the decorator expression.
    Cache(&'a Expr),
    /// `@lru_cache(maxsize=None)` / `@lru_cache(None)`: the `None`, and whether it was passed by keyword.
    LruNone(&'a Expr, bool),
}

fn unbounded_decorator<'a>(cx: &Context, d: &'a ast::Decorator) -> Option<Unbounded<'a>> {
    match &d.expression {
        Expr::Call(call) => {
            if cx.semantic.resolve_qualified_name(&call.func)?.as_str() != "functools.lru_cache" {
                return None;
            }
            if let Some(kw) = call.arguments.find_keyword("maxsize") {
                return kw.value.is_none_literal_expr().then_some(Unbounded::LruNone(&kw.value, true));
            }
            let first = call.arguments.args.first()?;
            first.is_none_literal_expr().then_some(Unbounded::LruNone(first, false))
        }
        e => (cx.semantic.resolve_qualified_name(e)?.as_str() == "functools.cache").then_some(Unbounded::Cache(e)),
    }
}

fn has_decorator(cx: &Context, f: &StmtFunctionDef, qualified: &str) -> bool {
    f.decorator_list.iter().any(|d| cx.semantic.resolve_qualified_name(&d.expression).as_deref() == Some(qualified))
}

/// What kind of callable a decorated `def` is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Callable {
    Function,
    StaticMethod,
    ClassMethod,
    Method,
}

fn decorator_findings(cx: &Context, findings: &mut Vec<Finding>) {
    let mut found = Vec::new();
    for (_, scope) in cx.semantic.scopes() {
        let Some(f) = scope.function() else { continue };
        let Some(parent) = scope.parent else { continue };
        let callable = match cx.semantic.scope(parent).kind {
            ScopeKind::Module => Callable::Function,
            ScopeKind::Class if has_decorator(cx, f, "builtins.staticmethod") => Callable::StaticMethod,
            ScopeKind::Class if has_decorator(cx, f, "builtins.classmethod") => Callable::ClassMethod,
            ScopeKind::Class => Callable::Method,
            // A nested function's cache lives as long as the function object: not handled.
            _ => continue,
        };
        for d in &f.decorator_list {
            if let Some(u) = unbounded_decorator(cx, d) {
                found.push((f, parent, callable, d, u));
            }
        }
    }
    // `from functools import cache` loses `cache` only when every use of it is a decorator fixed here.
    let fixable_uses: HashSet<TextRange> = found
        .iter()
        .filter(|(f, _, callable, _, _)| *callable != Callable::Method && arguments_grow_cache(f, *callable))
        .filter_map(|(_, _, _, _, u)| match u {
            Unbounded::Cache(e @ Expr::Name(_)) => Some(e.range()),
            _ => None,
        })
        .collect();
    for (f, class_scope, callable, d, u) in found {
        let spelled = cx.source.slice(d.expression.range());
        if callable == Callable::Method {
            findings.push(method_finding(cx, f, class_scope, d, spelled));
            continue;
        }
        // `@cache def config(): ...` caches one value: not a leak.
        if !arguments_grow_cache(f, callable) {
            continue;
        }
        let message = format!("`@{spelled}` keeps a result of `{}` for every distinct argument, forever", f.name);
        let fix = bounded_decorator(cx, &u, &fixable_uses).and_then(|edits| {
            Fix::unsafe_because(
                format!("Bound the cache: `lru_cache(maxsize={})`", cx.cache_maxsize),
                "an evicted result is computed again: a repeated call may re-run side effects or return a new object",
                edits,
            )
        });
        findings.push(match fix {
            Some(fix) => Finding::new(NAME, d.expression.range(), message, Some(fix)),
            None => Finding::without_fix(
                NAME,
                d.expression.range(),
                message,
                "no name for `functools.lru_cache` can be added here without shadowing another",
            ),
        });
    }
}

/// A function whose arguments (other than `cls`) key the cache. One that takes none caches a single value.
fn arguments_grow_cache(f: &StmtFunctionDef, callable: Callable) -> bool {
    let n = f.parameters.len();
    match callable {
        Callable::ClassMethod | Callable::Method => n > 1,
        _ => n > 0,
    }
}

/// `@cache` -> `@lru_cache(maxsize=N)`, `@lru_cache(maxsize=None)` -> `@lru_cache(maxsize=N)`.
fn bounded_decorator(cx: &Context, u: &Unbounded, fixable_uses: &HashSet<TextRange>) -> Option<Vec<Edit>> {
    let n = cx.cache_maxsize;
    match u {
        Unbounded::LruNone(none, true) => Some(vec![Edit::replace(none.range(), n.to_string())]),
        Unbounded::LruNone(none, false) => Some(vec![Edit::replace(none.range(), format!("maxsize={n}"))]),
        // `@functools.cache` -> `@functools.lru_cache(maxsize=N)` (same module name, alias or not).
        Unbounded::Cache(Expr::Attribute(attr)) => Some(vec![Edit::replace(
            attr.range(),
            format!("{}.lru_cache(maxsize={n})", cx.source.slice(attr.value.range())),
        )]),
        Unbounded::Cache(Expr::Name(name)) => {
            let mut edits = Vec::new();
            let lru = match cache_import_edit(cx, name, fixable_uses) {
                Some((edit, lru)) => {
                    edits.push(edit);
                    lru
                }
                None => {
                    let (more, lru) = functools_name(cx, "lru_cache")?;
                    edits.extend(more);
                    lru
                }
            };
            edits.push(Edit::replace(name.range(), format!("{lru}(maxsize={n})")));
            Some(edits)
        }
        Unbounded::Cache(_) => None,
    }
}

/// When every use of `cache` (from `from functools import cache`) is a decorator this run rewrites, the import's
/// `cache` itself becomes `lru_cache` (or goes, when `lru_cache` is imported already). Every fix in the file computes
/// the same edit, which is applied once.
fn cache_import_edit(cx: &Context, name: &ast::ExprName, fixable_uses: &HashSet<TextRange>) -> Option<(Edit, String)> {
    let binding = cx.semantic.binding(cx.semantic.resolve(name)?);
    if !matches!(binding.kind, BindingKind::FromImport(_)) || binding.scope != Semantic::MODULE {
        return None;
    }
    let all_fixed = binding.references.iter().all(|r| {
        let r = cx.semantic.reference(*r);
        fixable_uses.contains(&r.range) && !has_suppression(cx, r.range.start())
    });
    if !all_fixed {
        return None;
    }
    let Stmt::ImportFrom(from) = cx.semantic.stmt(binding.stmt?) else { return None };
    let i = from.names.iter().position(|a| a.range().contains_range(binding.range))?;
    match ensure_import(cx, "functools", Some("lru_cache")) {
        // `lru_cache` is there already: `cache` goes from the import.
        Some((None, lru)) => {
            if from.names.len() == 1 {
                return None;
            }
            let range = if i + 1 < from.names.len() {
                TextRange::new(from.names[i].start(), from.names[i + 1].start())
            } else {
                TextRange::new(from.names[i - 1].end(), from.names[i].end())
            };
            Some((Edit::delete(range), lru))
        }
        _ if !cx.is_name_used("lru_cache") => {
            Some((Edit::replace(from.names[i].range(), "lru_cache"), "lru_cache".to_string()))
        }
        _ => None,
    }
}

fn has_suppression(cx: &Context, at: TextSize) -> bool {
    cx.source.slice(TextRange::new(cx.source.line_start(at), cx.source.line_end(at))).contains("pyfix: ignore")
}

/// How to write `functools.<member>` in this module: an existing import of it or of `functools`, a name added to an
/// existing `from functools import ...`, or a new import line.
fn functools_name(cx: &Context, member: &str) -> Option<(Vec<Edit>, String)> {
    functools_raw(cx, member).map(|(edits, name)| (edits.into_iter().map(|e| spaced_import(cx, e)).collect(), name))
}

/// `functools_name` before a new import line gets its blank lines.
fn functools_raw(cx: &Context, member: &str) -> Option<(Vec<Edit>, String)> {
    let ensured = ensure_import(cx, "functools", Some(member));
    if let Some((None, name)) = ensured {
        return Some((Vec::new(), name));
    }
    if !cx.is_name_used(member) {
        let from = cx.module.body.iter().find_map(|s| match s {
            Stmt::ImportFrom(f)
                if f.level == 0
                    && f.module.as_ref().is_some_and(|m| m.as_str() == "functools")
                    && !f.names.iter().any(|a| a.name.as_str() == "*") =>
            {
                Some(f)
            }
            _ => None,
        });
        if let Some(last) = from.and_then(|f| f.names.last()) {
            return Some((vec![Edit::insert(last.end(), format!(", {member}"))], member.to_string()));
        }
    }
    ensured.map(|(edit, name)| (edit.into_iter().collect(), name))
}

/// A new import line written right above code gets the blank lines PEP 8 asks for: two before a `def` or
/// `class`, one before other code.
fn spaced_import(cx: &Context, mut edit: Edit) -> Edit {
    let at = edit.range.start();
    let next = cx.module.body.iter().find(|s| cx.source.line_start(s.start()) == at && s.start() >= at);
    let blank_lines = match next {
        Some(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => 2,
        Some(Stmt::Import(_) | Stmt::ImportFrom(_)) | None => 0,
        Some(_) => 1,
    };
    if !edit.range.is_empty() || !edit.content.starts_with("from ") && !edit.content.starts_with("import ") {
        return edit;
    }
    if edit.content.ends_with(['\n', '\r']) {
        edit.content.push_str(&cx.style.line_ending.repeat(blank_lines));
    }
    edit
}

// ---------------------------------------------------------------------------------------------------------------
// A cache decorator on an instance method

fn method_finding(
    cx: &Context,
    f: &StmtFunctionDef,
    class_scope: ScopeId,
    d: &ast::Decorator,
    spelled: &str,
) -> Finding {
    let message = format!(
        "`@{spelled}` on method `{}` keeps every instance it was called on alive for the life of the class",
        f.name
    );
    match cached_property(cx, f, class_scope, d) {
        Ok(fix) => Finding::new(NAME, d.expression.range(), message, fix),
        Err(reason) => Finding::without_fix(NAME, d.expression.range(), message, reason),
    }
}

/// `@cache def _total(self)` -> `@functools.cached_property def _total(self)`, every `x._total()` -> `x._total`.
fn cached_property(
    cx: &Context,
    f: &StmtFunctionDef,
    class_scope: ScopeId,
    d: &ast::Decorator,
) -> Result<Option<Fix>, String> {
    let name = f.name.as_str();
    if f.parameters.len() != 1 || f.parameters.args.len() != 1 {
        return Err(format!(
            "`{name}` takes arguments besides `self`: a per-instance cache of it needs a dict on the instance, which pyfix does not write"
        ));
    }
    if !cx.target.at_least(3, 8) {
        return Err("`functools.cached_property` needs Python 3.8".to_string());
    }
    if cx.semantic.scope(class_scope).binds("__slots__") {
        return Err("the class has `__slots__`: `cached_property` needs an instance `__dict__`".to_string());
    }
    let property = f
        .decorator_list
        .iter()
        .find(|p| cx.semantic.resolve_qualified_name(&p.expression).as_deref() == Some("builtins.property"));
    let others = f.decorator_list.len() - 1 - usize::from(property.is_some());
    if others > 0 {
        return Err(format!("`{name}` has other decorators: pyfix does not know how they combine with a property"));
    }
    let mut edits = Vec::new();
    let mut reason = "the value is now kept on each instance (and can be assigned or deleted) instead of in a cache shared by the class".to_string();
    if property.is_none() {
        // Every use must be a call without arguments, in this module, of the only attribute of that name.
        let is_private = name.starts_with('_') && !name.starts_with("__");
        if !is_private {
            return Err(format!(
                "`{name}` is public: callers outside this module would have to change `obj.{name}()` to `obj.{name}`"
            ));
        }
        let text = cx.source.text();
        if text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'")) {
            return Err(format!("`{name}` is named in a string (`getattr`?): pyfix cannot rewrite every use"));
        }
        let defs = cx.semantic.scopes().filter(|(_, s)| s.kind == ScopeKind::Class && s.binds(name)).count();
        if defs != 1 {
            return Err(format!("another class also defines `{name}`: pyfix cannot tell which calls are this one's"));
        }
        let mut uses = AttributeUses { name, found: Vec::new() };
        uses.visit_body(&cx.module.body);
        for (attr_end, call) in uses.found {
            match call {
                Some(call) if call.arguments.is_empty() => {
                    edits.push(Edit::delete(TextRange::new(attr_end, call.end())));
                }
                _ => {
                    return Err(format!(
                        "`.{name}` is used without being called: pyfix rewrites only `obj.{name}()` call sites"
                    ))
                }
            }
        }
        reason = format!("every `obj.{name}()` becomes `obj.{name}`; {reason}");
    }
    let Some((import, cached)) = functools_name(cx, "cached_property") else {
        return Err("no name for `functools.cached_property` can be added here without shadowing another".to_string());
    };
    edits.extend(import);
    edits.push(Edit::replace(d.expression.range(), cached));
    if let Some(p) = property {
        edits.push(Edit::delete(cx.full_lines(p.range())));
    }
    Ok(Fix::unsafe_because(format!("Make `{name}` a `functools.cached_property`"), reason, edits))
}

/// Every `<expr>.name` in the module: where the attribute ends, and the call it is the callee of.
struct AttributeUses<'n, 'a> {
    name: &'n str,
    found: Vec<(TextSize, Option<&'a ast::ExprCall>)>,
}

impl<'a> Visitor<'a> for AttributeUses<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                if let Expr::Attribute(attr) = call.func.as_ref() {
                    if attr.attr.as_str() == self.name {
                        self.found.push((attr.end(), Some(call)));
                        self.visit_expr(&attr.value);
                        self.visit_arguments(&call.arguments);
                        return;
                    }
                }
            }
            Expr::Attribute(attr) if attr.attr.as_str() == self.name => self.found.push((attr.end(), None)),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-rolled memo dicts

/// How the function uses the dict at one reference.
#[derive(Clone, Copy)]
enum Use<'a> {
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
fn looks_like_memo(cx: &Context, uses: &[(ReferenceId, Use)]) -> bool {
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
fn is_computed(cx: &Context, value: &Expr) -> bool {
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
fn mentions_parameter(cx: &Context, key: &Expr) -> bool {
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
fn classify<'a>(cx: &Context<'a>, r: ReferenceId) -> Use<'a> {
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
struct Memo<'a> {
    /// The dict's name.
    dict: &'a str,
    func: &'a StmtFunctionDef,
    scope: ScopeId,
    /// Every reference to the dict inside `func`, with its use.
    uses: Vec<(ReferenceId, Use<'a>)>,
}

/// The module-level dicts used as memos: reported, and fixed when their shape is one pyfix knows.
fn memo_findings<'a>(cx: &Context<'a>, findings: &mut Vec<Finding>) -> HashSet<&'a str> {
    let mut reported = HashSet::new();
    let module = cx.semantic.scope(Semantic::MODULE);
    let mut names: Vec<&str> = module.bound_names().collect();
    names.sort_unstable();
    for name in names {
        let bindings = module.bindings_of(name);
        let Some(&first) = bindings.first() else { continue };
        let Some((assign, value)) = module_assignment(cx, first) else { continue };
        let Some(seeded) = dict_literal(cx, value) else { continue };
        let references: Vec<ReferenceId> =
            bindings.iter().flat_map(|b| cx.semantic.binding(*b).references.iter().copied()).collect();
        // The function(s) that both look up and store: the memo.
        let mut by_function: Vec<(ScopeId, Vec<(ReferenceId, Use)>)> = Vec::new();
        let mut elsewhere: Option<String> = None;
        for r in &references {
            let reference = cx.semantic.reference(*r);
            let scope = cx.semantic.scope(reference.scope);
            let at_module_function = scope.kind == ScopeKind::Function
                && scope.parent.is_some_and(|p| cx.semantic.scope(p).kind == ScopeKind::Module);
            if !at_module_function {
                elsewhere.get_or_insert_with(|| format!("`{name}` is also used {}", where_(cx, reference.scope)));
                continue;
            }
            let u = classify(cx, *r);
            match by_function.iter_mut().find(|(s, _)| *s == reference.scope) {
                Some((_, uses)) => uses.push((*r, u)),
                None => by_function.push((reference.scope, vec![(*r, u)])),
            }
        }
        let memos: Vec<usize> = (0..by_function.len()).filter(|i| looks_like_memo(cx, &by_function[*i].1)).collect();
        // The memo evicting, clearing or measuring its own dict (or a function nested in it, such as a weakref
        // callback): a managed, bounded cache. Elsewhere (`purge()`, `forget(k)`) it still grows between calls.
        let bounded_in_memo = memos.iter().any(|i| {
            let memo_scope = by_function[*i].0;
            references.iter().any(|r| {
                cx.semantic.is_within(cx.semantic.reference(*r).scope, memo_scope)
                    && matches!(classify(cx, *r), Use::Evict | Use::Clear | Use::Measured)
            })
        });
        if bounded_in_memo {
            reported.insert(name);
            continue;
        }
        let [i] = memos.as_slice() else {
            if memos.len() > 1 {
                reported.insert(name);
                let funcs: Vec<String> = memos
                    .iter()
                    .filter_map(|i| cx.semantic.scope(by_function[*i].0).function())
                    .map(|f| format!("`{}`", f.name))
                    .collect();
                findings.push(Finding::without_fix(
                    NAME,
                    assign.range(),
                    format!("module-level dict `{name}` caches results of {} without a bound", funcs.join(", ")),
                    "several functions share the dict: one `lru_cache` per function would not share their entries",
                ));
            }
            continue;
        };
        let (scope, uses) = by_function.swap_remove(*i);
        let Some(func) = cx.semantic.scope(scope).function() else { continue };
        reported.insert(name);
        let message = format!("module-level dict `{name}` caches every result of `{}` without a bound", func.name);
        let memo = Memo { dict: name, func, scope, uses };
        let refusal = if let Some(e) = elsewhere {
            Some(e)
        } else if let Some((other, _)) = by_function.first() {
            Some(format!("`{name}` is also used {}", where_(cx, *other)))
        } else if bindings.len() > 1 {
            Some(format!("`{name}` is rebound elsewhere (a reset?): the function's cache could not be replaced"))
        } else if seeded {
            Some(format!("`{name}` starts with entries: seeded base cases are part of the algorithm"))
        } else if is_exported(cx, name) {
            Some(format!("`{name}` is listed in `__all__`: other modules may read or clear it"))
        } else {
            None
        };
        let fix = match refusal {
            Some(reason) => Err(reason),
            None => memo_fix(cx, &memo, DictHome::Module(assign)),
        };
        findings.push(match fix {
            Ok(fix) => Finding::new(NAME, assign.range(), message, fix),
            Err(reason) => Finding::without_fix(NAME, assign.range(), message, reason),
        });
    }
    reported
}

fn where_(cx: &Context, scope: ScopeId) -> String {
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
fn module_assignment<'a>(cx: &Context<'a>, binding: BindingId) -> Option<(&'a Stmt, &'a Expr)> {
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
fn dict_literal(cx: &Context, value: &Expr) -> Option<bool> {
    match value {
        Expr::Dict(d) => Some(!d.is_empty()),
        Expr::Call(call) if cx.semantic.resolve_qualified_name(&call.func).as_deref() == Some("builtins.dict") => {
            Some(!call.arguments.is_empty())
        }
        _ => None,
    }
}

fn is_exported(cx: &Context, name: &str) -> bool {
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

/// Where the dict lives, which decides what the fix removes besides the plumbing.
#[derive(Clone, Copy)]
enum DictHome<'a> {
    /// `C = {}` at module level: deleted.
    Module(&'a Stmt),
    /// `def f(n, _memo={})`: the parameter is removed.
    Default(&'a ast::ParameterWithDefault),
}

/// The edits of a memo fix, and what the checks after matching need to know.
#[derive(Default)]
struct Plan<'a> {
    edits: Vec<Edit>,
    /// One-level dedents of a lifted block's lines; dropped where a line is deleted or replaced whole.
    dedents: Vec<Edit>,
    /// Ranges whose lines are deleted or replaced whole.
    replaced: Vec<TextRange>,
    /// Dict references the rewrite removes.
    consumed: HashSet<TextRange>,
    /// Every key the dict is read or written with.
    keys: Vec<&'a Expr>,
    /// Every value stored into the dict.
    stored: Vec<&'a Expr>,
    /// `v = C.get(k)` + `if v is None`: the target `v` (its binding there is the lookup, not a computed value).
    none_miss: Option<TextRange>,
    /// `v = C.get(k, _MISSING)`: the sentinel, deleted when nothing else uses it.
    sentinel: Option<&'a ast::ExprName>,
}

impl Plan<'_> {
    /// Every edit: dedents inside deleted or replaced lines go.
    fn into_edits(self) -> Vec<Edit> {
        let replaced = self.replaced;
        let mut edits = self.edits;
        edits.extend(self.dedents.into_iter().filter(|d| !replaced.iter().any(|r| r.contains(d.range.start()))));
        edits
    }

    fn delete(&mut self, cx: &Context, stmt: &Stmt) -> Result<(), String> {
        let (edit, range) = delete_stmt(cx, stmt)?;
        self.replaced.push(range);
        self.edits.push(edit);
        Ok(())
    }
}

fn memo_fix(cx: &Context, memo: &Memo, home: DictHome) -> Result<Option<Fix>, String> {
    let func = memo.func;
    let fname = func.name.as_str();
    if func.is_async {
        return Err(format!(
            "`{fname}` is `async def`: `lru_cache` would cache the coroutine object, which can be awaited only once"
        ));
    }
    if cx.semantic.scope(memo.scope).facts.is_generator {
        return Err(format!("`{fname}` is a generator: `lru_cache` would cache a generator, which runs only once"));
    }
    if func.parameters.vararg.is_some() || func.parameters.kwarg.is_some() {
        return Err(format!(
            "`{fname}` takes `*args` or `**kwargs`: pyfix cannot tell its key is exactly the arguments"
        ));
    }
    if let Some(u) = memo.uses.iter().find_map(|(_, u)| match u {
        Use::Other(what) => Some(*what),
        Use::Clear => Some("cleared"),
        Use::Evict | Use::Measured => Some("bounded"),
        _ => None,
    }) {
        return Err(format!("`{}` is {u} in `{fname}`, not only looked up and stored", memo.dict));
    }
    if memo.uses.iter().any(|(_, u)| matches!(u, Use::SetDefault)) {
        return Err(format!(
            "`{}.setdefault(key, value)` computes the value on every call: there is no lookup to keep",
            memo.dict
        ));
    }
    // The key first: its reason is the one that matters when the shape is unusual too.
    let stored_keys: Vec<&Expr> = memo
        .uses
        .iter()
        .filter_map(|(_, u)| match u {
            Use::Store(sub) => Some(&*sub.slice),
            _ => None,
        })
        .collect();
    exactly_the_arguments(cx, memo, home, &stored_keys)?;
    let body = body_after_docstring(&func.body);
    let dict_refs: Vec<TextRange> = memo.uses.iter().map(|(r, _)| cx.semantic.reference(*r).range).collect();
    let touches = |s: &Stmt| dict_refs.iter().any(|r| s.range().contains_range(*r));
    let Some(h) = body.iter().position(|s| !matches!(s, Stmt::Global(_)) && touches(s)) else {
        return Err("no lookup of the dict found".to_string());
    };
    let mut plan = Plan::default();
    lookup(cx, memo, body, h, &mut plan)?;
    let runs_before_lookup = body[..h].iter().any(|s| !matches!(s, Stmt::Global(_)));
    // Stores the lookup did not consume: each must be followed by `return` of the stored value.
    for (r, u) in &memo.uses {
        let range = cx.semantic.reference(*r).range;
        if plan.consumed.contains(&range) {
            continue;
        }
        let Use::Store(sub) = u else {
            return Err(format!(
                "`{}` is read again after the lookup: pyfix rewrites one lookup per function",
                memo.dict
            ));
        };
        tail(cx, memo, &func.body, sub, &mut plan)?;
    }
    exactly_the_arguments(cx, memo, home, &plan.keys)?;
    let none_result = plan.none_miss.map(|target| none_ness(cx, memo, &plan.stored, target));
    if none_result == Some(Nullness::Can) {
        return Err(format!(
            "the miss test `is None` also fires when `{fname}` computes `None`: the original recomputes it on every call, `lru_cache` would keep it"
        ));
    }
    // Unused afterwards: the dict, its `global` declaration, the parameter.
    for s in &func.body {
        if let Stmt::Global(g) = s {
            if let Some(i) = g.names.iter().position(|n| n.as_str() == memo.dict) {
                if g.names.len() == 1 {
                    plan.delete(cx, s)?;
                } else {
                    let range = if i + 1 < g.names.len() {
                        TextRange::new(g.names[i].start(), g.names[i + 1].start())
                    } else {
                        TextRange::new(g.names[i - 1].end(), g.names[i].end())
                    };
                    plan.edits.push(Edit::delete(range));
                }
            }
        }
    }
    let mut reasons = Vec::new();
    if matches!(home, DictHome::Module(_)) && !memo.dict.starts_with('_') {
        reasons.push(format!("`{}` is public: another module may read or clear it, and it is gone", memo.dict));
    }
    // Module-level statements that go: the dict, an unused sentinel (deleted together when adjacent).
    let mut module_stmts: Vec<&Stmt> = Vec::new();
    match home {
        DictHome::Module(assign) => module_stmts.push(assign),
        DictHome::Default(param) => {
            plan.edits.push(Edit::delete(parameter_range(func, param)?));
            reasons.push(format!(
                "`{fname}` loses its `{}` parameter: a caller passing it now gets a `TypeError`",
                param.parameter.name
            ));
        }
    }
    if let Some(sentinel) = plan.sentinel {
        let binding = cx.semantic.resolve(sentinel).map(|b| cx.semantic.binding(b));
        if let Some(b) = binding {
            let unused = b.references.iter().all(|r| {
                let range = cx.semantic.reference(*r).range;
                plan.replaced.iter().any(|x| x.contains_range(range))
            });
            if let (true, Some(stmt)) = (unused, b.stmt) {
                module_stmts.push(cx.semantic.stmt(stmt));
            }
        }
    }
    module_stmts.sort_by_key(|s| s.start());
    let Some((mut import, lru)) = functools_raw(cx, "lru_cache") else {
        return Err("no name for `functools.lru_cache` can be added here without shadowing another".to_string());
    };
    let mut i = 0;
    while i < module_stmts.len() {
        let mut j = i;
        while j + 1 < module_stmts.len()
            && cx.source.next_line_start(module_stmts[j].end()) == cx.source.line_start(module_stmts[j + 1].start())
        {
            j += 1;
        }
        let lines = cx.full_lines(TextRange::new(module_stmts[i].start(), module_stmts[j].end()));
        match import.iter().position(|e| e.range.is_empty() && e.range.start() == lines.start()) {
            // The new import line would go right where the dict was: it takes the dict's place.
            Some(k) if cx.stands_alone(TextRange::new(module_stmts[i].start(), module_stmts[j].end())) => {
                let le = cx.style.line_ending;
                let kept: String = comments_in(cx, lines).iter().map(|c| format!("{c}{le}")).collect();
                let line = import.remove(k).content;
                plan.edits.push(Edit::replace(lines, format!("{line}{kept}")));
                plan.replaced.push(lines);
            }
            _ => {
                let (edit, range) = delete_lines(cx, module_stmts[i], module_stmts[j])?;
                plan.replaced.push(range);
                plan.edits.push(edit);
            }
        }
        i = j + 1;
    }
    plan.edits.extend(import.into_iter().map(|e| spaced_import(cx, e)));
    let def_line = cx.source.line_start(func.name.start());
    let indent = cx.source.indent_at(def_line);
    plan.edits
        .push(Edit::insert(def_line, format!("{indent}@{lru}(maxsize={}){}", cx.cache_maxsize, cx.style.line_ending)));
    if none_result == Some(Nullness::Unknown) {
        reasons.push(format!(
            "the original recomputes a `None` result on every call; `lru_cache` keeps it (pyfix cannot see that `{fname}` never returns `None`)"
        ));
    }
    if runs_before_lookup && impurity(cx, memo).is_some() {
        reasons.push(format!("the code before the lookup ran on every call; now it runs only when `{fname}` computes"));
    }
    if let Some(what) = impurity(cx, memo) {
        reasons.push(format!("an evicted result is computed again (as a new object), and `{fname}` {what}"));
    }
    if !reasons.is_empty() && matches!(home, DictHome::Module(_)) && memo.dict.starts_with('_') {
        // Tests and reloaders do reach into private caches (`trans_real._translations = {}`).
        reasons.push(format!("pyfix sees one file: code elsewhere that reads or resets `{}` loses it", memo.dict));
    }
    let title = format!("Decorate `{fname}` with `lru_cache(maxsize={})` and drop the dict", cx.cache_maxsize);
    Ok(if reasons.is_empty() {
        Fix::safe(title, plan.into_edits())
    } else {
        Fix::unsafe_because(title, reasons.join("; "), plan.into_edits())
    })
}

fn body_after_docstring(body: &[Stmt]) -> &[Stmt] {
    match body.first() {
        Some(s) if ruff_python_ast::helpers::is_docstring_stmt(s) => &body[1..],
        _ => body,
    }
}

/// `C[k]` (or the name `C`) is the dict of this memo at this expression.
fn is_dict(cx: &Context, memo: &Memo, e: &Expr) -> bool {
    match e {
        Expr::Name(n) => {
            n.id.as_str() == memo.dict && memo.uses.iter().any(|(r, _)| cx.semantic.reference(*r).range == n.range)
        }
        _ => false,
    }
}

fn dict_item<'e>(cx: &Context, memo: &Memo, e: &'e Expr) -> Option<&'e Expr> {
    match e {
        Expr::Subscript(s) if is_dict(cx, memo, &s.value) => Some(&s.slice),
        _ => None,
    }
}

fn same(a: &Expr, b: &Expr) -> bool {
    ComparableExpr::from(a) == ComparableExpr::from(b)
}

/// Matches the lookup statement `body[h]` (and what it needs around it) and plans its removal.
fn lookup<'a>(
    cx: &Context<'a>,
    memo: &Memo<'a>,
    body: &'a [Stmt],
    h: usize,
    plan: &mut Plan<'a>,
) -> Result<(), String> {
    let dict = memo.dict;
    let consume = |plan: &mut Plan<'a>, e: &Expr| {
        if let Expr::Name(n) = e {
            plan.consumed.insert(n.range);
        }
    };
    let stmt = &body[h];
    match stmt {
        // if k in C: return C[k]        /  if k in C: v = C[k] else: ...; C[k] = v
        // if k not in C: ...; C[k] = v  then  return C[k]
        Stmt::If(if_) => {
            let Expr::Compare(cmp) = if_.test.as_ref() else { return Err(unknown_lookup(dict)) };
            if cmp.ops.len() != 1 || !is_dict(cx, memo, &cmp.comparators[0]) {
                return Err(unknown_lookup(dict));
            }
            plan.keys.push(&cmp.left);
            consume(plan, &cmp.comparators[0]);
            match (cmp.ops[0], if_.body.as_slice(), if_.elif_else_clauses.as_slice()) {
                (CmpOp::In, [Stmt::Return(ast::StmtReturn { value: Some(v), .. })], []) => {
                    let key = dict_item(cx, memo, v).ok_or_else(|| unknown_lookup(dict))?;
                    plan.keys.push(key);
                    consume(plan, subscript_value(v));
                    plan.delete(cx, stmt)
                }
                (CmpOp::In, [Stmt::Assign(hit)], [else_]) if else_.test.is_none() && hit.targets.len() == 1 => {
                    let Expr::Name(v) = &hit.targets[0] else { return Err(unknown_lookup(dict)) };
                    let key = dict_item(cx, memo, &hit.value).ok_or_else(|| unknown_lookup(dict))?;
                    plan.keys.push(key);
                    consume(plan, subscript_value(&hit.value));
                    // The miss branch ends with `C[k] = v`; `return v` follows the `if`.
                    let miss = &else_.body;
                    let store = miss_store(cx, memo, miss, Some(v.id.as_str()))?;
                    plan.keys.push(store);
                    lift(cx, stmt, miss, plan)?;
                    end_of_miss_block(cx, memo, miss, body.get(h + 1), v.id.as_str(), plan)
                }
                (CmpOp::NotIn, miss, []) => {
                    let store = miss_store(cx, memo, miss, None)?;
                    plan.keys.push(store);
                    // `return C[k]` right after the `if`.
                    let Some(Stmt::Return(ast::StmtReturn { value: Some(ret), .. })) = body.get(h + 1) else {
                        return Err(format!("`{dict}[key]` is not returned right after it is filled"));
                    };
                    let key = dict_item(cx, memo, ret).ok_or_else(|| unknown_lookup(dict))?;
                    plan.keys.push(key);
                    consume(plan, subscript_value(ret));
                    lift(cx, stmt, miss, plan)?;
                    let Some(Stmt::Assign(last)) = miss.last() else { return Err(unknown_lookup(dict)) };
                    mark_consumed(cx, memo, &miss[miss.len() - 1], plan);
                    plan.stored.push(&last.value);
                    // The stored value becomes the return value.
                    match inline_temporary(cx, miss, &last.value, 1) {
                        Some((prev, value)) => {
                            plan.edits.push(Edit::replace(TextRange::new(prev.start(), value.start()), "return "));
                            plan.delete(cx, &miss[miss.len() - 1])?;
                        }
                        None => {
                            plan.edits.push(Edit::replace(TextRange::new(last.start(), last.value.start()), "return "))
                        }
                    }
                    plan.delete(cx, &body[h + 1])
                }
                _ => Err(unknown_lookup(dict)),
            }
        }
        // try: return C[k]  except KeyError: ...
        Stmt::Try(t) => {
            let [Stmt::Return(ast::StmtReturn { value: Some(v), .. })] = t.body.as_slice() else {
                return Err(unknown_lookup(dict));
            };
            let key = dict_item(cx, memo, v).ok_or_else(|| unknown_lookup(dict))?;
            plan.keys.push(key);
            consume(plan, subscript_value(v));
            let [ast::ExceptHandler::ExceptHandler(handler)] = t.handlers.as_slice() else {
                return Err(unknown_lookup(dict));
            };
            let catches_key_error = handler
                .type_
                .as_deref()
                .and_then(|e| cx.semantic.resolve_qualified_name(e))
                .is_some_and(|q| q == "builtins.KeyError");
            if !catches_key_error || handler.name.is_some() || !t.orelse.is_empty() || !t.finalbody.is_empty() {
                return Err(unknown_lookup(dict));
            }
            match handler.body.as_slice() {
                [Stmt::Pass(_)] => plan.delete(cx, stmt),
                miss => lift(cx, stmt, miss, plan),
            }
        }
        // v = C.get(k)  /  v = C.get(k, _MISSING)
        Stmt::Assign(a) if a.targets.len() == 1 => {
            let Expr::Name(v) = &a.targets[0] else { return Err(unknown_lookup(dict)) };
            let Expr::Call(call) = a.value.as_ref() else { return Err(unknown_lookup(dict)) };
            let Expr::Attribute(attr) = call.func.as_ref() else { return Err(unknown_lookup(dict)) };
            if attr.attr.as_str() != "get" || !is_dict(cx, memo, &attr.value) {
                return Err(unknown_lookup(dict));
            }
            let (key, default) = match call.arguments.args.as_ref() {
                [k] => (k, None),
                [k, d] => (k, Some(d)),
                _ => return Err(unknown_lookup(dict)),
            };
            plan.keys.push(key);
            consume(plan, &attr.value);
            let sentinel = match default {
                None => None,
                Some(d) if d.is_none_literal_expr() => None,
                Some(d) if is_sentinel(cx, d) => Some(d),
                Some(d) => {
                    return Err(format!(
                    "`{dict}.get` falls back to `{}`, which pyfix cannot show to be a unique sentinel like `object()`",
                    cx.source.slice(d.range())
                ))
                }
            };
            let Some(Stmt::If(test)) = body.get(h + 1) else {
                return Err(format!("`{}` is not tested right after `{dict}.get`", v.id));
            };
            if !test.elif_else_clauses.is_empty() {
                return Err(unknown_lookup(dict));
            }
            let miss_test = |e: &Expr, op: CmpOp| -> bool {
                let Expr::Compare(c) = e else { return false };
                c.ops.len() == 1
                    && c.ops[0] == op
                    && matches!(c.left.as_ref(), Expr::Name(n) if n.id == v.id)
                    && match sentinel {
                        None => c.comparators[0].is_none_literal_expr(),
                        Some(s) => same(&c.comparators[0], s),
                    }
            };
            let returns_v = |b: &[Stmt]| matches!(b, [Stmt::Return(ast::StmtReturn { value: Some(r), .. })] if matches!(r.as_ref(), Expr::Name(n) if n.id == v.id));
            match sentinel {
                None => plan.none_miss = Some(v.range),
                Some(Expr::Name(n)) => plan.sentinel = Some(n),
                Some(_) => {}
            }
            if miss_test(&test.test, CmpOp::IsNot) && returns_v(&test.body) {
                // v = C.get(k); if v is not None: return v; ...; C[k] = v; return v
                plan.delete(cx, stmt)?;
                plan.delete(cx, &body[h + 1])
            } else if miss_test(&test.test, CmpOp::Is) {
                // v = C.get(k); if v is None: ...; C[k] = v  then  return v
                let miss = &test.body;
                let store = miss_store(cx, memo, miss, Some(v.id.as_str()))?;
                plan.keys.push(store);
                plan.delete(cx, stmt)?;
                lift(cx, &body[h + 1], miss, plan)?;
                end_of_miss_block(cx, memo, miss, body.get(h + 2), v.id.as_str(), plan)
            } else {
                Err(format!(
                    "the miss test on `{}` also fires on values the function can compute (`0`, `\"\"`, `[]`, `None`): the original recomputes those on every call, `lru_cache` would not",
                    v.id
                ))
            }
        }
        Stmt::Return(_) if memo.uses.iter().any(|(_, u)| matches!(u, Use::SetDefault)) => {
            Err(format!("`{dict}.setdefault(key, value)` computes the value on every call: there is no lookup to keep"))
        }
        _ => Err(unknown_lookup(dict)),
    }
}

fn unknown_lookup(dict: &str) -> String {
    format!("the lookup in `{dict}` is not one of the memo shapes pyfix rewrites")
}

fn subscript_value(e: &Expr) -> &Expr {
    match e {
        Expr::Subscript(s) => &s.value,
        other => other,
    }
}

/// `_MISSING` bound once at module level to `object()`.
fn is_sentinel(cx: &Context, e: &Expr) -> bool {
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

/// The miss block ends with `C[k] = value` (`value` the name `v` when given): its key.
fn miss_store<'a>(cx: &Context, memo: &Memo, miss: &'a [Stmt], v: Option<&str>) -> Result<&'a Expr, String> {
    let bad = || format!("the miss branch does not end by storing into `{}`", memo.dict);
    let Some(Stmt::Assign(a)) = miss.last() else { return Err(bad()) };
    let [target] = a.targets.as_slice() else { return Err(bad()) };
    let key = dict_item(cx, memo, target).ok_or_else(bad)?;
    if let Some(v) = v {
        if !matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == v) {
            return Err(bad());
        }
    }
    Ok(key)
}

/// After lifting a miss block that ends `...; C[k] = v`: drop the store; with `return v` right after the block and
/// `v = <expr>` just before the store, return the expression directly.
fn end_of_miss_block<'a>(
    cx: &Context<'a>,
    memo: &Memo<'a>,
    miss: &'a [Stmt],
    after: Option<&'a Stmt>,
    v: &str,
    plan: &mut Plan<'a>,
) -> Result<(), String> {
    let store = &miss[miss.len() - 1];
    mark_consumed(cx, memo, store, plan);
    let returns_v = matches!(after, Some(Stmt::Return(ast::StmtReturn { value: Some(r), .. }))
        if matches!(r.as_ref(), Expr::Name(n) if n.id.as_str() == v));
    let Stmt::Assign(a) = store else { return plan.delete(cx, store) };
    plan.stored.push(&a.value);
    if let (Some(after), true) = (after, returns_v) {
        if let Some((prev, value)) = inline_temporary(cx, miss, &a.value, 2) {
            let all_refs_here = cx
                .semantic
                .scope(memo.scope)
                .bindings_of(v)
                .iter()
                .filter(|b| cx.semantic.binding(**b).range != name_range(prev))
                .all(|b| cx.semantic.binding(*b).references.iter().all(|r| plan_drops(cx, plan, *r, Some(after))));
            if all_refs_here {
                plan.edits.push(Edit::replace(TextRange::new(prev.start(), value.start()), "return "));
                plan.delete(cx, store)?;
                return plan.delete(cx, after);
            }
        }
    }
    plan.delete(cx, store)
}

/// A reference that disappears with the rewrite: inside a replaced range, or the `return v` about to go.
fn plan_drops(cx: &Context, plan: &Plan<'_>, r: ReferenceId, after: Option<&Stmt>) -> bool {
    let range = cx.semantic.reference(r).range;
    plan.replaced.iter().any(|x| x.contains_range(range)) || after.is_some_and(|a| a.range().contains_range(range))
}

fn name_range(stmt: &Stmt) -> TextRange {
    match stmt {
        Stmt::Assign(a) => a.targets[0].range(),
        other => other.range(),
    }
}

/// `v = <expr>` right before the last statement of `block`, which stores the name `v`, when `v` is read `reads`
/// times (the store, and the `return` after it when 2): the statement and `<expr>`.
fn inline_temporary<'a>(cx: &Context, block: &'a [Stmt], stored: &Expr, reads: usize) -> Option<(&'a Stmt, &'a Expr)> {
    let Expr::Name(stored) = stored else { return None };
    let prev = block.len().checked_sub(2).map(|i| &block[i])?;
    let Stmt::Assign(a) = prev else { return None };
    let [Expr::Name(target)] = a.targets.as_slice() else { return None };
    let store = block.last()?;
    let between = cx.source.slice(TextRange::new(prev.end(), store.start()));
    if target.id != stored.id || !cx.source.starts_line(prev.start()) || !between.trim().is_empty() {
        return None;
    }
    let binding = cx.semantic.binding(cx.semantic.binding_of(target)?);
    // Read by the store and by one `return`: nothing else.
    let stmts: Vec<&Stmt> =
        binding.references.iter().filter_map(|r| cx.semantic.reference(*r).stmt.map(|s| cx.semantic.stmt(s))).collect();
    let ok = stmts.len() == reads && (reads == 1 || matches!(stmts.last(), Some(Stmt::Return(_))));
    ok.then_some((prev, &a.value))
}

fn mark_consumed(cx: &Context, memo: &Memo, stmt: &Stmt, plan: &mut Plan<'_>) {
    for (r, _) in &memo.uses {
        let range = cx.semantic.reference(*r).range;
        if stmt.range().contains_range(range) {
            plan.consumed.insert(range);
        }
    }
}

/// A store `C[k] = ...` outside the lookup: `C[k] = v; return v` drops the store, `C[k] = x; return C[k]`
/// becomes `return x`, `v = C[k] = x; return v` drops the `C[k] =` target.
fn tail<'a>(
    cx: &Context<'a>,
    memo: &Memo<'a>,
    body: &'a [Stmt],
    sub: &'a ast::ExprSubscript,
    plan: &mut Plan<'a>,
) -> Result<(), String> {
    let bad = || format!("a store into `{}` is not followed by returning the stored value", memo.dict);
    let (block, i) = find_block(body, sub.range()).ok_or_else(bad)?;
    let Stmt::Assign(store) = &block[i] else { return Err(bad()) };
    let Some(Stmt::Return(ast::StmtReturn { value: Some(ret), .. })) = block.get(i + 1) else { return Err(bad()) };
    plan.keys.push(&sub.slice);
    plan.stored.push(&store.value);
    mark_consumed(cx, memo, &block[i], plan);
    match store.targets.as_slice() {
        [_] => {
            if let Some(key) = dict_item(cx, memo, ret) {
                // C[k] = x; return C[k]
                plan.keys.push(key);
                mark_consumed(cx, memo, &block[i + 1], plan);
                plan.edits.push(Edit::replace(TextRange::new(store.start(), store.value.start()), "return "));
                return plan.delete(cx, &block[i + 1]);
            }
            let same_value = match (store.value.as_ref(), ret.as_ref()) {
                (Expr::Name(a), Expr::Name(b)) => a.id == b.id,
                (a, b) if a.is_literal_expr() && b.is_literal_expr() => same(a, b),
                // `C[k] = d[name]; return d[name]`: reading the same local twice.
                (a @ (Expr::Subscript(_) | Expr::Attribute(_)), b) if is_plain_read(a) => same(a, b),
                (Expr::NoneLiteral(_), Expr::NoneLiteral(_)) => true,
                _ => false,
            };
            if !same_value {
                return Err(bad());
            }
            // v = x; C[k] = v; return v  ->  return x
            if let Some((prev, value)) = inline_temporary(cx, &block[..=i], &store.value, 2) {
                plan.edits.push(Edit::replace(TextRange::new(prev.start(), value.start()), "return "));
                plan.delete(cx, &block[i])?;
                return plan.delete(cx, &block[i + 1]);
            }
            plan.delete(cx, &block[i])
        }
        [a, b] => {
            let (cache_first, other) = if a.range() == sub.range() { (true, b) } else { (false, a) };
            if !matches!((other, ret.as_ref()), (Expr::Name(x), Expr::Name(y)) if x.id == y.id) {
                return Err(bad());
            }
            let range =
                if cache_first { TextRange::new(a.start(), b.start()) } else { TextRange::new(a.end(), b.end()) };
            plan.edits.push(Edit::delete(range));
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// `d[name]`, `obj.attr`, `d["x"]`: a read of names and literals, evaluated twice to the same value.
fn is_plain_read(e: &Expr) -> bool {
    match e {
        Expr::Name(_) => true,
        e if e.is_literal_expr() => true,
        Expr::Subscript(s) => is_plain_read(&s.value) && is_plain_read(&s.slice),
        Expr::Attribute(a) => is_plain_read(&a.value),
        _ => false,
    }
}

/// The statement list holding the statement that contains `range`, and its index, searching nested blocks.
fn find_block(body: &[Stmt], range: TextRange) -> Option<(&[Stmt], usize)> {
    let i = body.iter().position(|s| s.range().contains_range(range))?;
    let stmt = &body[i];
    let nested: Vec<&[Stmt]> = match stmt {
        Stmt::If(s) => {
            std::iter::once(s.body.as_slice()).chain(s.elif_else_clauses.iter().map(|c| c.body.as_slice())).collect()
        }
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let mut v: Vec<&[Stmt]> = vec![&s.body, &s.orelse, &s.finalbody];
            for h in &s.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                v.push(&h.body);
            }
            v
        }
        Stmt::Match(m) => m.cases.iter().map(|c| c.body.as_slice()).collect(),
        // Nested scopes are not this function's code.
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return None,
        _ => return Some((body, i)),
    };
    nested.into_iter().find_map(|b| find_block(b, range)).or(Some((body, i)))
}

/// The key is exactly the arguments: one parameter, or the tuple of all parameters in order, each still holding the
/// argument (resolved to the parameter binding, not to a rebinding).
fn exactly_the_arguments(cx: &Context, memo: &Memo, home: DictHome, keys: &[&Expr]) -> Result<(), String> {
    let params: Vec<&ast::ParameterWithDefault> = memo
        .func
        .parameters
        .iter_non_variadic_params()
        .filter(|p| !matches!(home, DictHome::Default(d) if std::ptr::eq(*p, d)))
        .collect();
    let Some(first) = keys.first() else { return Err("no key found".to_string()) };
    if let Some(other) = keys.iter().find(|k| !same(k, first)) {
        return Err(format!(
            "the dict is read with `{}` and written with `{}`",
            cx.source.slice(first.range()),
            cx.source.slice(other.range())
        ));
    }
    let names = params.iter().map(|p| format!("`{}`", p.parameter.name)).collect::<Vec<_>>().join(", ");
    for k in keys {
        let elts: Vec<&Expr> = match k {
            Expr::Tuple(t) => t.elts.iter().collect(),
            e => vec![e],
        };
        let shown = cx.source.slice(k.range());
        // `key = (a, b)` / `key = hash(text)`: a local, not the arguments as written.
        let is_param_name = |n: &ast::ExprName| params.iter().any(|p| p.parameter.name.as_str() == n.id.as_str());
        if let Some(n) = k.as_name_expr().filter(|n| !is_param_name(n)) {
            let binding = cx.semantic.resolve(n).map(|b| cx.semantic.binding(b));
            if let Some(b) = binding.filter(|b| b.kind == BindingKind::Assignment) {
                if let Some(assign @ Stmt::Assign(a)) = b.stmt.map(|s| cx.semantic.stmt(s)) {
                    let text = cx.source.slice(assign.range());
                    return Err(if is_computed(cx, &a.value) {
                        format!("the key is computed (`{text}`), not exactly the arguments ({names}): different arguments could share a result")
                    } else {
                        format!(
                            "the key is built in a local first (`{text}`): pyfix rewrites only a key written inline"
                        )
                    });
                }
            }
        }
        if elts.len() != params.len() {
            return Err(format!(
                "the key `{shown}` is not exactly the arguments ({names}): calls that differ elsewhere would share a result, and `lru_cache` would also hash the rest"
            ));
        }
        for (e, p) in elts.iter().zip(&params) {
            let Expr::Name(n) = e else {
                return Err(format!("the key `{shown}` is not exactly the arguments ({names})"));
            };
            if n.id.as_str() != p.parameter.name.as_str() {
                let computed =
                    cx.semantic.resolve(n).and_then(|b| cx.semantic.binding(b).stmt).map(|s| cx.semantic.stmt(s));
                if let Some(assign @ Stmt::Assign(a)) = computed {
                    if !is_computed(cx, &a.value) {
                        return Err(format!(
                            "the key is built in a local first (`{}`): pyfix rewrites only a key written inline",
                            cx.source.slice(assign.range())
                        ));
                    }
                    return Err(format!(
                        "the key is computed (`{}`), not exactly the arguments ({names}): different arguments could share a result",
                        cx.source.slice(assign.range())
                    ));
                }
                return Err(format!("the key `{shown}` is not exactly the arguments ({names}) in order"));
            }
            let is_param =
                cx.semantic.resolve(n).is_some_and(|b| cx.semantic.binding(b).kind == BindingKind::Parameter);
            if !is_param {
                return Err(format!(
                    "`{}` is rebound before the key is built: the key is not the argument the caller passed",
                    n.id
                ));
            }
        }
    }
    Ok(())
}

/// The range to delete to remove a parameter from the signature: `, _memo={}`.
fn parameter_range(func: &StmtFunctionDef, param: &ast::ParameterWithDefault) -> Result<TextRange, String> {
    let all: Vec<&ast::ParameterWithDefault> = func.parameters.iter_non_variadic_params().collect();
    let i = all.iter().position(|p| std::ptr::eq(*p, param)).ok_or("parameter not found")?;
    let is_kwonly = func.parameters.kwonlyargs.iter().any(|p| std::ptr::eq(p, param));
    let lone_kwonly = is_kwonly && func.parameters.kwonlyargs.len() == 1 && func.parameters.vararg.is_none();
    let posonly_last = func.parameters.posonlyargs.last().is_some_and(|p| std::ptr::eq(p, param));
    if i == 0 || posonly_last || (is_kwonly && !lone_kwonly && i + 1 < all.len()) {
        return Err(format!("pyfix removes `{}` only as the last parameter", param.parameter.name));
    }
    if i + 1 < all.len() {
        return Err(format!("pyfix removes `{}` only as the last parameter", param.parameter.name));
    }
    // `def f(n, *, _memo={})`: the bare `*` goes too.
    Ok(TextRange::new(all[i - 1].end(), param.end()))
}

// ---------------------------------------------------------------------------------------------------------------
// Memo defaults: `def fib(n, _memo={})`

fn memo_default_findings(cx: &Context, findings: &mut Vec<Finding>) {
    for (id, scope) in cx.semantic.scopes() {
        let Some(func) = scope.function() else { continue };
        let at_module = scope.parent.is_some_and(|p| cx.semantic.scope(p).kind == ScopeKind::Module);
        for param in func.parameters.iter_non_variadic_params() {
            let Some(default) = param.default() else { continue };
            if dict_literal(cx, default).is_none() {
                continue;
            }
            let name = param.parameter.name.as_str();
            let Some(&binding) = scope.bindings_of(name).first() else { continue };
            if cx.semantic.binding(binding).kind != BindingKind::Parameter {
                continue;
            }
            let mut uses = Vec::new();
            let mut nested = false;
            for b in scope.bindings_of(name) {
                for r in &cx.semantic.binding(*b).references {
                    if cx.semantic.reference(*r).scope == id {
                        uses.push((*r, classify(cx, *r)));
                    } else {
                        nested = true;
                    }
                }
            }
            if !looks_like_memo(cx, &uses) {
                continue;
            }
            let message = format!(
                "default `{}` of `{name}` caches every result of `{}` without a bound",
                cx.source.slice(default.range()),
                func.name
            );
            let memo = Memo { dict: name, func, scope: id, uses };
            let refusal = if !at_module {
                Some(format!("`{}` is not a module-level function", func.name))
            } else if !name.starts_with('_') {
                Some(format!("`{name}` is public: callers may pass their own dict"))
            } else if nested {
                Some(format!("`{name}` is used by a nested function"))
            } else if scope.bindings_of(name).len() > 1 {
                Some(format!("`{name}` is rebound in `{}`", func.name))
            } else if let Some(why) = passed_by_a_call(cx, func, param) {
                Some(why)
            } else if dict_literal(cx, default) == Some(true) {
                Some(format!("`{name}` starts with entries: seeded base cases are part of the algorithm"))
            } else {
                None
            };
            let fix = match refusal {
                Some(reason) => Err(reason),
                None => memo_fix(cx, &memo, DictHome::Default(param)),
            };
            findings.push(match fix {
                Ok(fix) => Finding::new(NAME, default.range(), message, fix),
                Err(reason) => Finding::without_fix(NAME, default.range(), message, reason),
            });
        }
    }
}

/// A call in this module that passes the memo parameter (by position, keyword or unpacking), or a use of the
/// function other than a call.
fn passed_by_a_call(cx: &Context, func: &StmtFunctionDef, param: &ast::ParameterWithDefault) -> Option<String> {
    let name = param.parameter.name.as_str();
    let position = func.parameters.posonlyargs.iter().chain(&func.parameters.args).position(|p| std::ptr::eq(p, param));
    let binding = cx
        .semantic
        .scope(Semantic::MODULE)
        .bindings_of(func.name.as_str())
        .iter()
        .copied()
        .find(|b| cx.semantic.binding(*b).range == func.name.range)?;
    for r in &cx.semantic.binding(binding).references {
        let reference = cx.semantic.reference(*r);
        let Some(s) = reference.stmt else { continue };
        let path = cx.semantic.expr_path(cx.semantic.stmt(s), reference.range);
        // `fib.__name__`: attributes `lru_cache`'s wrapper copies (not `__defaults__` or `__code__`, which it lacks).
        if matches!(path.last(), Some(Expr::Attribute(a)) if a.value.range() == reference.range
            && matches!(a.attr.as_str(), "__name__" | "__qualname__" | "__doc__" | "__module__" | "__wrapped__"))
        {
            continue;
        }
        let Some(Expr::Call(call)) = path.last() else {
            return Some(format!("`{}` is used other than by a call: its callers cannot all be checked", func.name));
        };
        if call.func.range() != reference.range {
            return Some(format!("`{}` is passed around: its callers cannot all be checked", func.name));
        }
        let unpacks = call.arguments.args.iter().any(Expr::is_starred_expr)
            || call.arguments.keywords.iter().any(|k| k.arg.is_none());
        let by_keyword = call.arguments.find_keyword(name).is_some();
        let by_position = position.is_some_and(|p| call.arguments.args.len() > p);
        if unpacks || by_keyword || by_position {
            let (line, _) = cx.source.line_col(call.start());
            return Some(format!("the call on line {line} passes `{name}`"));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------------
// Purity: when eviction cannot change behaviour

/// `None` when the memo's function is visibly pure: arithmetic, calls of itself and of pure builtins, reads of its
/// parameters, locals and module constants. Else what it does that is not.
fn impurity(cx: &Context, memo: &Memo) -> Option<String> {
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

const PURE_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "chr",
    "divmod",
    "float",
    "frozenset",
    "int",
    "isinstance",
    "len",
    "max",
    "min",
    "ord",
    "pow",
    "range",
    "repr",
    "reversed",
    "round",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "enumerate",
    "hash",
];

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

/// `_unknown` in `C.get(k, _unknown)`: a module-level name bound once to a constant (a sentinel by convention).
fn is_module_constant_name(cx: &Context, e: &Expr) -> bool {
    matches!(e, Expr::Name(n) if cx.semantic.resolve(n).is_some_and(|b| cx.semantic.binding(b).scope == Semantic::MODULE)
        && is_module_constant(cx, n.id.as_str()))
}

/// A module-level name bound once, to a number, string, bytes, `True`/`False`/`None` or a tuple of those.
fn is_module_constant(cx: &Context, name: &str) -> bool {
    let bindings = cx.semantic.scope(Semantic::MODULE).bindings_of(name);
    let [b] = bindings else { return false };
    let Some((_, value)) = module_assignment(cx, *b) else {
        return matches!(cx.semantic.binding(*b).kind, BindingKind::Import(ref q) | BindingKind::FromImport(ref q) if q == "math");
    };
    super::is_constant_literal(value)
}

// ---------------------------------------------------------------------------------------------------------------
// Globals that only grow (report only)

fn growing_global_findings(cx: &Context, memos: &HashSet<&str>, findings: &mut Vec<Finding>) {
    let module = cx.semantic.scope(Semantic::MODULE);
    let mut names: Vec<&str> = module.bound_names().collect();
    names.sort_unstable();
    'names: for name in names {
        if memos.contains(name) {
            continue;
        }
        let bindings = module.bindings_of(name);
        let [binding] = bindings else { continue };
        let Some((assign, value)) = module_assignment(cx, *binding) else { continue };
        if !is_empty_container(cx, value) {
            continue;
        }
        let mut growers: Vec<&str> = Vec::new();
        for r in &cx.semantic.binding(*binding).references {
            let reference = cx.semantic.reference(*r);
            let scope = cx.semantic.scope(reference.scope);
            // Filled at import time or from a class body: a registry.
            let Some(func) = (scope.kind == ScopeKind::Function).then(|| scope.function()).flatten() else {
                continue 'names;
            };
            match growth(cx, *r) {
                Growth::Grows => {
                    // Filled when an object is set up (one entry per configured name) or by a registrar: not a
                    // run-time leak pyfix can vouch for.
                    let in_setup = matches!(func.name.as_str(), "__init__" | "__init_subclass__" | "__set_name__");
                    if in_setup || is_registrar(cx, reference.scope) || stores_arguments(cx, *r) {
                        continue 'names;
                    }
                    if !growers.contains(&func.name.as_str()) {
                        growers.push(func.name.as_str());
                    }
                }
                Growth::Reads => {}
                Growth::Escapes => continue 'names,
            }
        }
        if growers.is_empty() {
            continue;
        }
        let who = growers.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ");
        findings.push(Finding::without_fix(
            NAME,
            assign.range(),
            format!(
                "module-level `{name}` only grows: {who} {} to it at run time and nothing removes from it",
                if growers.len() == 1 { "adds" } else { "add" }
            ),
            "a container that only grows has no drop-in bound: cap it, clear it, or key an `lru_cache` on what it tracks",
        ));
    }
}

/// `registry[name] = factory`, `table[name.lower()] = [klass, instance]`: arguments stored under an argument, as
/// given. A table of what callers registered, bounded by what they register.
fn stores_arguments(cx: &Context, r: ReferenceId) -> bool {
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

fn is_empty_container(cx: &Context, value: &Expr) -> bool {
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

enum Growth {
    Grows,
    Reads,
    /// Shrunk, replaced, bounded, or handed to code pyfix cannot see.
    Escapes,
}

fn growth(cx: &Context, r: ReferenceId) -> Growth {
    match classify(cx, r) {
        Use::Store(sub) if mentions_parameter(cx, &sub.slice) => Growth::Grows,
        Use::Store(_) => Growth::Reads,
        Use::SetDefault => Growth::Grows,
        Use::Read(_) | Use::Contains(_) | Use::Get(_) => Growth::Reads,
        Use::Evict | Use::Clear | Use::Measured => Growth::Escapes,
        Use::Other(_) => {
            let reference = cx.semantic.reference(r);
            let Some(stmt) = reference.stmt else { return Growth::Escapes };
            let path = cx.semantic.expr_path(cx.semantic.stmt(stmt), reference.range);
            match path.last() {
                Some(Expr::Attribute(attr)) if attr.value.range() == reference.range => match attr.attr.as_str() {
                    "append" | "add" | "extend" | "insert" | "appendleft" | "update" => {
                        // Grows with the arguments, not with a fixed set of values.
                        let call = path.iter().rev().nth(1);
                        match call {
                            Some(Expr::Call(c)) if c.arguments.args.iter().any(|a| mentions_parameter(cx, a)) => {
                                Growth::Grows
                            }
                            _ => Growth::Reads,
                        }
                    }
                    "keys" | "values" | "items" | "copy" | "count" | "index" => Growth::Reads,
                    _ => Growth::Escapes,
                },
                _ => Growth::Escapes,
            }
        }
    }
}

/// A function used at import time (called or used as a decorator at module level or in a class body): what it
/// stores is a registry filled once.
fn is_registrar(cx: &Context, mut scope: ScopeId) -> bool {
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

// ---------------------------------------------------------------------------------------------------------------
// Text edits: deleting statements and lifting blocks while keeping comments and blank-line rhythm

/// Deletes the lines of `stmt`, keeping every comment on them (re-indented to the statement's indentation) and not
/// leaving a doubled blank line or a blank line at the top of a block. Also returns the range of lines deleted.
fn delete_stmt(cx: &Context, stmt: &Stmt) -> Result<(Edit, TextRange), String> {
    delete_lines(cx, stmt, stmt)
}

/// `delete_stmt` for the adjacent statements `first` to `last`.
fn delete_lines(cx: &Context, first: &Stmt, last: &Stmt) -> Result<(Edit, TextRange), String> {
    let whole = TextRange::new(first.start(), last.end());
    if !cx.stands_alone(whole) {
        return Err("a statement pyfix would remove shares its line with another".to_string());
    }
    let stmt = first;
    let src = cx.source;
    let lines = cx.full_lines(whole);
    let indent = src.indent_at(stmt.start());
    let le = cx.style.line_ending;
    let kept: String = comments_in(cx, lines).iter().map(|c| format!("{indent}{c}{le}")).collect();
    let mut start = lines.start();
    let mut end = lines.end();
    let is_blank =
        |at: TextSize| at < src.text_len() && src.slice(TextRange::new(at, src.line_end(at))).trim().is_empty();
    let next_blank = is_blank(end);
    let prev_line = (start > TextSize::default()).then(|| src.line_start(start - TextSize::from(1)));
    let prev_blank = prev_line.is_some_and(is_blank);
    let prev_opens_block =
        prev_line.is_some_and(|p| src.slice(TextRange::new(p, src.line_end(p))).trim_end().ends_with(':'));
    if kept.is_empty() && next_blank {
        if prev_blank {
            // A blank run on both sides: drop the one before (module level keeps the rhythm before the next `def`).
            while let Some(p) = (start > TextSize::default()).then(|| src.line_start(start - TextSize::from(1))) {
                if !is_blank(p) {
                    break;
                }
                start = p;
            }
        } else if prev_line.is_none() || prev_opens_block {
            while is_blank(end) {
                end = src.next_line_start(end);
            }
        }
    }
    let range = TextRange::new(start, end);
    Ok((Edit::replace(range, kept), range))
}

/// The comments inside `range` (whole-line and trailing), in order.
fn comments_in(cx: &Context, range: TextRange) -> Vec<String> {
    let text = cx.source.slice(range);
    let mut out = Vec::new();
    let mut offset = 0;
    while let Some(i) = text[offset..].find('#') {
        let at = range.start() + TextSize::try_from(offset + i).unwrap_or_default();
        if cx.source.in_string(at) || is_in_string_token(cx, at) {
            offset += i + 1;
            continue;
        }
        let end = cx.source.line_end(at);
        out.push(cx.source.slice(TextRange::new(at, end)).trim_end().to_string());
        offset = usize::from(end - range.start());
    }
    out
}

/// `in_string` excludes a literal's first line; a `#` on it is inside the quotes when the literal contains it.
fn is_in_string_token(cx: &Context, at: TextSize) -> bool {
    struct Strings {
        at: TextSize,
        inside: bool,
    }
    impl<'a> Visitor<'a> for Strings {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.inside || !e.range().contains(self.at) {
                return;
            }
            if matches!(e, Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::FString(_) | Expr::TString(_)) {
                self.inside = true;
                return;
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut s = Strings { at, inside: false };
    s.visit_body(&cx.module.body);
    s.inside
}

/// Replaces a compound statement by its block `inner`, one level out: the header lines (and, for
/// `if k in C: v = C[k] else:`, everything up to `inner`) are deleted, keeping their comments, and `inner`'s lines
/// are dedented.
fn lift(cx: &Context, compound: &Stmt, inner: &[Stmt], plan: &mut Plan<'_>) -> Result<(), String> {
    let (Some(first), Some(last)) = (inner.first(), inner.last()) else { return Err("an empty block".to_string()) };
    let src = cx.source;
    if !src.starts_line(first.start()) || !src.starts_line(compound.start()) {
        return Err("a block pyfix would lift starts on its header's line".to_string());
    }
    let outer = src.indent_at(compound.start());
    let inner_indent = src.indent_at(first.start());
    let Some(extra) = inner_indent.strip_prefix(outer).map(str::len).filter(|n| *n > 0) else {
        return Err("mixed indentation".to_string());
    };
    let head = TextRange::new(src.line_start(compound.start()), src.line_start(first.start()));
    let le = cx.style.line_ending;
    let kept: String = comments_in(cx, head).iter().map(|c| format!("{outer}{c}{le}")).collect();
    plan.edits.push(Edit::replace(head, kept));
    plan.replaced.push(head);
    // Whatever follows the block inside the compound statement (a trailing `else` cannot: callers pass the last block).
    let tail = TextRange::new(src.next_line_start(last.end()), src.next_line_start(compound.end()));
    if !tail.is_empty() {
        let kept: String = comments_in(cx, tail).iter().map(|c| format!("{outer}{c}{le}")).collect();
        plan.edits.push(Edit::replace(tail, kept));
        plan.replaced.push(tail);
    }
    let block = TextRange::new(src.line_start(first.start()), last.end());
    let mut starts = vec![block.start()];
    starts.extend(src.code_line_starts(block));
    for at in starts {
        let line = src.slice(TextRange::new(at, src.line_end(at)));
        let ws = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
        if ws >= extra {
            plan.dedents.push(Edit::delete(TextRange::at(at, TextSize::try_from(extra).unwrap_or_default())));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// `None` results, for the `is None` miss test

#[derive(Clone, Copy, PartialEq, Eq)]
enum Nullness {
    Never,
    Can,
    Unknown,
}

/// Whether a stored value can be `None`. A name is followed to its other assignments in the function (not the
/// `v = C.get(k)` lookup at `lookup_target`).
fn none_ness(cx: &Context, memo: &Memo, stored: &[&Expr], lookup_target: TextRange) -> Nullness {
    let mut result = Nullness::Never;
    let mut merge = |n: Nullness| {
        result = match (result, n) {
            (Nullness::Can, _) | (_, Nullness::Can) => Nullness::Can,
            (Nullness::Unknown, _) | (_, Nullness::Unknown) => Nullness::Unknown,
            _ => Nullness::Never,
        }
    };
    for e in stored {
        match e {
            Expr::Name(n) => {
                let bindings = cx.semantic.scope(memo.scope).bindings_of(n.id.as_str());
                for b in bindings {
                    let b = cx.semantic.binding(*b);
                    if b.range == lookup_target {
                        continue;
                    }
                    let value = match b.stmt.map(|s| cx.semantic.stmt(s)) {
                        Some(Stmt::Assign(a)) if b.kind == BindingKind::Assignment && a.targets.len() == 1 => {
                            Some(&*a.value)
                        }
                        _ => None,
                    };
                    merge(value.map_or(Nullness::Unknown, |v| expr_nullness(cx, memo, v)));
                }
            }
            other => merge(expr_nullness(cx, memo, other)),
        }
    }
    result
}

fn expr_nullness(cx: &Context, memo: &Memo, e: &Expr) -> Nullness {
    match e {
        Expr::NoneLiteral(_) => Nullness::Can,
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::FString(_)
        | Expr::List(_)
        | Expr::Tuple(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::SetComp(_)
        | Expr::DictComp(_)
        | Expr::Generator(_)
        | Expr::Compare(_)
        | Expr::BinOp(_)
        | Expr::UnaryOp(_)
        | Expr::Lambda(_) => Nullness::Never,
        Expr::BoolOp(b) => {
            let all: Vec<Nullness> = b.values.iter().map(|v| expr_nullness(cx, memo, v)).collect();
            if all.contains(&Nullness::Can) {
                Nullness::Can
            } else if all.iter().all(|n| *n == Nullness::Never) {
                Nullness::Never
            } else {
                Nullness::Unknown
            }
        }
        Expr::If(i) => match (expr_nullness(cx, memo, &i.body), expr_nullness(cx, memo, &i.orelse)) {
            (Nullness::Can, _) | (_, Nullness::Can) => Nullness::Can,
            (Nullness::Never, Nullness::Never) => Nullness::Never,
            _ => Nullness::Unknown,
        },
        Expr::Call(call) => match call.func.as_ref() {
            // A recursive call returns what the function returns.
            Expr::Name(n) if n.id.as_str() == memo.func.name.as_str() => Nullness::Never,
            Expr::Name(n) => match cx.semantic.resolve(n).map(|b| &cx.semantic.binding(b).kind) {
                None if NEVER_NONE_BUILTINS.contains(&n.id.as_str()) => Nullness::Never,
                // A class defined here: its instance.
                Some(BindingKind::ClassDef) => Nullness::Never,
                _ => Nullness::Unknown,
            },
            _ => Nullness::Unknown,
        },
        _ => Nullness::Unknown,
    }
}

const NEVER_NONE_BUILTINS: &[&str] = &[
    "bool",
    "bytes",
    "dict",
    "float",
    "frozenset",
    "int",
    "len",
    "list",
    "repr",
    "set",
    "sorted",
    "str",
    "tuple",
    "abs",
    "round",
    "sum",
    "hash",
    "ord",
    "chr",
    "object",
];
