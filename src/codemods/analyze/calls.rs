//! How Python binds a call's arguments to a function's parameters: which argument a parameter gets, and which
//! parameter an argument lands in. Finding a codemod's call sites, and which function a call runs, stays with it.

use ruff_python_ast::{Expr, ExprCall, ParameterWithDefault, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

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

/// Where the argument at `arg` stands in `call`: its position among the positional arguments, or its keyword.
/// `None`: it is no argument of `call`, or the call unpacks `*args`/`**kwargs` (which shift positions and names).
pub fn argument_slot(call: &ExprCall, arg: TextRange) -> Option<(Option<usize>, Option<&str>)> {
    let args = &call.arguments;
    if args.args.iter().any(Expr::is_starred_expr) || args.keywords.iter().any(|k| k.arg.is_none()) {
        return None;
    }
    let position = args.args.iter().position(|a| a.range() == arg);
    let keyword =
        args.keywords.iter().find(|k| k.value.range() == arg).and_then(|k| k.arg.as_ref()).map(|k| k.as_str());
    (position.is_some() || keyword.is_some()).then_some((position, keyword))
}

/// The method `name` of a class with this body, as a call through the class or an instance runs it: `None` when the
/// body does not bind the name, `Some(None)` when it binds it other than by exactly one plain (undecorated) `def`
/// (a second binding, a nested class, an assignment: what runs cannot be told), else that `def`.
pub fn plain_method<'a>(body: &'a [Stmt], name: &str) -> Option<Option<&'a StmtFunctionDef>> {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    let mut named = body.iter().filter(|s| match s {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::ClassDef(k) => k.name.as_str() == name,
        Stmt::Assign(x) => x.targets.iter().any(is_name),
        Stmt::AnnAssign(x) => is_name(&x.target),
        _ => false,
    });
    let first = named.next()?;
    Some(match (first, named.next()) {
        (Stmt::FunctionDef(f), None) if f.decorator_list.is_empty() => Some(f),
        _ => None,
    })
}

/// `func` is the `join` of a string or bytes literal (`"".join(xs)`, `b", ".join(xs)`): it uses up what it is given
/// there and keeps none of it. Not any `join` (a `Thread`'s, a project's own `Room.join(x)` that stores `x`).
pub fn literal_join(func: &Expr) -> bool {
    matches!(func, Expr::Attribute(a) if a.attr.as_str() == "join"
        && matches!(a.value.as_ref(), Expr::StringLiteral(_) | Expr::BytesLiteral(_)))
}
