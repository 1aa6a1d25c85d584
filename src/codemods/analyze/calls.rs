//! How Python binds a call's arguments to a function's parameters: which parameter an argument lands in.
//! Finding a codemod's call sites, and which function a call runs, stays with the codemod.

use ruff_python_ast::StmtFunctionDef;

/// The parameter of `f` that receives positional argument `position` or keyword `keyword`.
pub fn parameter_for<'f>(f: &'f StmtFunctionDef, position: Option<usize>, keyword: Option<&str>) -> Option<&'f str> {
    let params = &f.parameters;
    if let Some(k) = keyword {
        return params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .chain(&params.kwonlyargs)
            .map(|p| p.name().as_str())
            .find(|n| *n == k);
    }
    params.posonlyargs.iter().chain(&params.args).nth(position?).map(|p| p.name().as_str())
}
