//! `@functools.cache` / `@lru_cache(maxsize=None)`: recognizing the decorator and bounding it, and on an instance
//! method, making it a `functools.cached_property`. Which decorators are reported or fixed is decided in `mod.rs`.

use std::collections::HashSet;

use ruff_python_ast::PythonVersion;
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::edits::functools_name;
use super::NAME;
use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::fix::{delete_list_item, ensure_import};
use crate::codemods::{Context, Finding};
use crate::edit::{Edit, Fix};
use crate::semantic::{BindingKind, ScopeId, ScopeKind, Semantic};

/// An unbounded cache decorator.
pub(super) enum Unbounded<'a> {
    /// `@cache`, `@functools.cache`: the decorator expression.
    Cache(&'a Expr),
    /// `@lru_cache(maxsize=None)` / `@lru_cache(None)`: the `None`, and whether it was passed by keyword.
    LruNone(&'a Expr, bool),
}

pub(super) fn unbounded_decorator<'a>(cx: &Context, d: &'a ast::Decorator) -> Option<Unbounded<'a>> {
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

pub(super) fn has_decorator(cx: &Context, f: &StmtFunctionDef, qualified: &str) -> bool {
    f.decorator_list.iter().any(|d| cx.semantic.resolve_qualified_name(&d.expression).as_deref() == Some(qualified))
}

/// What kind of callable a decorated `def` is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Callable {
    Function,
    StaticMethod,
    ClassMethod,
    Method,
}

/// A function whose arguments (other than `cls`) key the cache. One that takes none caches a single value.
pub(super) fn arguments_grow_cache(f: &StmtFunctionDef, callable: Callable) -> bool {
    let n = f.parameters.len();
    match callable {
        Callable::ClassMethod | Callable::Method => n > 1,
        _ => n > 0,
    }
}

/// `@cache` -> `@lru_cache(maxsize=N)`, `@lru_cache(maxsize=None)` -> `@lru_cache(maxsize=N)`.
pub(super) fn bounded_decorator(cx: &Context, u: &Unbounded, fixable_uses: &HashSet<TextRange>) -> Option<Vec<Edit>> {
    let n = cx.settings.cache_maxsize;
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
        Some((None, lru)) => Some((delete_list_item(&from.names, i)?, lru)),
        _ if !cx.is_name_used("lru_cache") => {
            Some((Edit::replace(from.names[i].range(), "lru_cache"), "lru_cache".to_string()))
        }
        _ => None,
    }
}

/// A `# pyfix: ignore` comment on the line holding `at`.
fn has_suppression(cx: &Context, at: TextSize) -> bool {
    let line = TextRange::new(cx.source.line_start(at), cx.source.line_end(at));
    cx.source.comments_in(line).iter().any(|c| cx.source.slice(*c).contains("pyfix: ignore"))
}

// ---------------------------------------------------------------------------------------------------------------
// A cache decorator on an instance method

pub(super) fn method_finding(
    cx: &Context,
    f: &StmtFunctionDef,
    class_scope: ScopeId,
    d: &ast::Decorator,
    spelled: &str,
) -> Finding {
    // True of a singleton's method too: its arguments and results stay, and nothing in the class empties them.
    let kept = if f.parameters.len() == 1 {
        "every instance it was called on"
    } else {
        "every instance and argument it was called with"
    };
    let message = format!(
        "`@{spelled}` on method `{}` keeps {kept}, and each result, in one cache that nothing in the class empties",
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
    if cx.target < PythonVersion::PY38 {
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
        for u in cx.attributes().uses(name) {
            match u.kind {
                AttributeUseKind::Called(call) if call.arguments.is_empty() => {
                    edits.push(Edit::delete(TextRange::new(u.expr.end(), call.end())));
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
