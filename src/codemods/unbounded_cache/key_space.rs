//! Whether a cached function's key space is a handful of values: every parameter is a `bool`, a `Literal[...]` or
//! an enum of the module, or every call in the module of a function no other file names (a private one, or a public
//! one the project shows unused elsewhere) passes constants, enum members and settings. Such a cache holds a few entries for the life of the process: not a leak.

use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::decorators::Callable;
use crate::codemods::analyze::project::{module_global_named_elsewhere, Elsewhere};
use crate::codemods::{is_constant_literal, Context};
use crate::semantic::{BindingKind, Semantic};

/// Why the key space of `f` is a handful of values, or `None` when pyfix cannot show it.
pub(super) fn few_keys(cx: &Context, f: &StmtFunctionDef, callable: Callable) -> Option<String> {
    let skip = usize::from(matches!(callable, Callable::ClassMethod | Callable::Method));
    let params: Vec<&ast::ParameterWithDefault> = f.parameters.iter_non_variadic_params().skip(skip).collect();
    if f.parameters.vararg.is_some() || f.parameters.kwarg.is_some() || params.is_empty() {
        return None;
    }
    if params.iter().all(|p| p.annotation().is_some_and(|a| finite_annotation(cx, a))) {
        return Some("every parameter is a `bool`, a `Literal` or an enum".to_string());
    }
    if callable != Callable::Function {
        return None;
    }
    let module = cx.semantic.scope(Semantic::MODULE);
    let [binding] = module.bindings_of(f.name.as_str()) else { return None };
    let mut calls = 0;
    for r in &cx.semantic.binding(*binding).references {
        let r = cx.semantic.reference(*r);
        let stmt = r.stmt.map(|s| cx.semantic.stmt(s))?;
        let path = cx.semantic.expr_path(stmt, r.range);
        match path.last() {
            // `f.cache_clear()`, `f.cache_info()`.
            Some(Expr::Attribute(a)) if matches!(a.attr.as_str(), "cache_clear" | "cache_info") => {}
            Some(Expr::Call(c)) if c.func.range() == r.range => {
                let args = c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value));
                let constant = c.arguments.keywords.iter().all(|k| k.arg.is_some())
                    && args.into_iter().all(|a| few_values(cx, a, stmt));
                if !constant {
                    return None;
                }
                calls += 1;
            }
            _ => return None, // handed on: called from code pyfix cannot see
        }
    }
    // Callers in other modules may pass anything to a public function: only one no other file names is decided here.
    // Asked last: it may read the project.
    if calls == 0
        || !f.name.as_str().starts_with('_') && module_global_named_elsewhere(cx, f.name.as_str()) != Elsewhere::No
    {
        return None;
    }
    Some("every call in the module passes constants, enum members or settings".to_string())
}

/// `bool`, `Literal[...]`, an enum class of the module, `None`, or `Optional`/`| None` of those.
fn finite_annotation(cx: &Context, a: &Expr) -> bool {
    let sem = cx.semantic;
    match a {
        Expr::NoneLiteral(_) => true,
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            finite_annotation(cx, &b.left) && finite_annotation(cx, &b.right)
        }
        Expr::Subscript(s) => match sem.resolve_qualified_name(&s.value).as_deref() {
            Some("typing.Literal" | "typing_extensions.Literal") => true,
            Some("typing.Optional") => finite_annotation(cx, &s.slice),
            _ => false,
        },
        Expr::Name(n) => sem.resolve_qualified_name(a).as_deref() == Some("builtins.bool") || is_enum_class(cx, n),
        _ => false,
    }
}

/// A class of the module whose bases include `enum.Enum` (or `IntEnum`, `StrEnum`, `Flag`, `IntFlag`).
fn is_enum_class(cx: &Context, n: &ast::ExprName) -> bool {
    let sem = cx.semantic;
    let Some(b) = sem.resolve(n) else { return false };
    let binding = sem.binding(b);
    if binding.kind != BindingKind::ClassDef {
        return false;
    }
    let Some(Stmt::ClassDef(c)) = binding.stmt.map(|s| sem.stmt(s)) else { return false };
    c.bases().iter().any(|base| {
        sem.resolve_qualified_name(base).is_some_and(|q| {
            matches!(q.as_str(), "enum.Enum" | "enum.IntEnum" | "enum.StrEnum" | "enum.Flag" | "enum.IntFlag")
        })
    })
}

/// An argument that takes one of a few values: a constant, a module-level name bound once to one, an enum member
/// (`Color.RED`), a setting (`settings.ROOT_URLCONF`), or a local bound once to one of these or looping over a
/// setting (`for path in settings.FINDERS: f(path)`).
fn few_values(cx: &Context, e: &Expr, at: &Stmt) -> bool {
    let sem = cx.semantic;
    if is_constant_literal(e) || is_setting(cx, e) {
        return true;
    }
    match e {
        Expr::Attribute(a) => matches!(a.value.as_ref(), Expr::Name(n) if is_enum_class(cx, n)),
        Expr::Name(n) => {
            let Some(b) = sem.resolve(n) else { return false };
            let binding = sem.binding(b);
            if sem.scope(binding.scope).bindings_of(n.id.as_str()).len() != 1 {
                return false;
            }
            let Some(stmt) = binding.stmt.map(|s| sem.stmt(s)) else { return false };
            match (&binding.kind, stmt) {
                (BindingKind::Assignment, Stmt::Assign(a)) if a.targets.len() == 1 && a.targets[0].is_name_expr() => {
                    !std::ptr::eq(stmt, at) && (is_constant_literal(&a.value) || is_setting(cx, &a.value))
                }
                (BindingKind::LoopTarget, Stmt::For(f)) if f.target.is_name_expr() => is_setting(cx, &f.iter),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `settings.NAME` (or deeper), where `settings` is imported from a module (`django.conf.settings`, `conf.settings`).
fn is_setting(cx: &Context, e: &Expr) -> bool {
    let mut cur = e;
    let mut depth = 0;
    while let Expr::Attribute(a) = cur {
        cur = &a.value;
        depth += 1;
    }
    depth > 0
        && cx
            .semantic
            .resolve_qualified_name(cur)
            .is_some_and(|q| q == "settings" || q.ends_with(".settings") && !q.starts_with("builtins."))
}
