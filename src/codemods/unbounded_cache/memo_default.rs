//! Memo defaults (`def fib(n, _memo={})`): whether a call in the module passes the parameter, and the text that
//! removes it from the signature. The finding itself is made in `mod.rs`.

use ruff_python_ast::{self as ast, Expr, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::calls::{argument_for, Passed};
use crate::codemods::Context;
use crate::semantic::Semantic;

/// A call in this module that passes the memo parameter (by position, keyword or unpacking), or a use of the
/// function other than a call.
pub(super) fn passed_by_a_call(
    cx: &Context,
    func: &StmtFunctionDef,
    param: &ast::ParameterWithDefault,
) -> Option<String> {
    let name = param.parameter.name.as_str();
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
        if argument_for(call, &func.parameters, name, false) != Passed::No {
            let (line, _) = cx.source.line_col(call.start());
            return Some(format!("the call on line {line} passes `{name}`"));
        }
    }
    None
}

/// The range to delete to remove a parameter from the signature: `, _memo={}`.
pub(super) fn parameter_range(func: &StmtFunctionDef, param: &ast::ParameterWithDefault) -> Result<TextRange, String> {
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
