//! How Python binds a call's arguments to a function's parameters: which argument a parameter gets, and which
//! parameter an argument lands in. Finding a codemod's call sites, and which function a call runs, stays with it.

use ruff_python_ast::{Expr, ExprCall, ParameterWithDefault, Parameters, StmtFunctionDef};

/// What a call passes for one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Passed<'a> {
    /// Nothing: the parameter gets its default (or the call is wrong).
    No,
    /// This argument, by position or by keyword.
    Yes(&'a Expr),
    /// Perhaps, through `*args` at or before its position or `**kwargs`: what is unpacked is not known.
    Maybe,
}

/// What `call` passes for parameter `name` of a function with `params`, by Python's binding rules: a keyword-only
/// parameter is never filled by position, a positional-only one never by keyword (nor by `**kwargs`). `bound`: the
/// call binds the first parameter itself (`obj.m(...)`, `Cls(...)` for `__init__`), so positions shift by one and
/// the first parameter is never passed.
pub fn argument_for<'a>(call: &'a ExprCall, params: &Parameters, name: &str, bound: bool) -> Passed<'a> {
    let is = |p: &ParameterWithDefault| p.name().as_str() == name;
    let index = params.posonlyargs.iter().chain(&params.args).position(is);
    let positional_only = params.posonlyargs.iter().any(is);
    if index.is_none() && !params.kwonlyargs.iter().any(is) {
        return Passed::No; // not a named parameter of this function
    }
    let args = &call.arguments;
    if let Some(i) = index {
        let Some(position) = i.checked_sub(usize::from(bound)) else { return Passed::No };
        for (k, arg) in args.args.iter().enumerate() {
            if arg.is_starred_expr() {
                return Passed::Maybe; // `f(*rest)`: may be long enough to reach it
            }
            if k == position {
                return Passed::Yes(arg);
            }
        }
    }
    if positional_only {
        return Passed::No;
    }
    if let Some(k) = args.find_keyword(name) {
        return Passed::Yes(&k.value);
    }
    if args.keywords.iter().any(|k| k.arg.is_none()) {
        return Passed::Maybe; // `f(**options)`
    }
    Passed::No
}

/// The parameter of `f` that receives positional argument `position` or keyword `keyword`; `None` when `*args` or
/// `**kwargs` collects it (or nothing takes it). A keyword never lands in a positional-only parameter.
pub fn parameter_for<'f>(f: &'f StmtFunctionDef, position: Option<usize>, keyword: Option<&str>) -> Option<&'f str> {
    let params = &f.parameters;
    if let Some(k) = keyword {
        return params.args.iter().chain(&params.kwonlyargs).map(|p| p.name().as_str()).find(|n| *n == k);
    }
    params.posonlyargs.iter().chain(&params.args).nth(position?).map(|p| p.name().as_str())
}
