//! Whether a cache's keys come from data that varies without bound, as the module's code shows it: a key built by
//! formatting two or more variables together (`"%s.%s" % (pkg, name)`, f-strings, `.format(...)`, `pkg + "." + name`:
//! one variable in a fixed template has no more values than the variable), an object's identity
//! (`id(frame)`) or an instance (`self`), what a read returns (a file, a socket, `input()`, a line of a file), or a
//! function registered with code pyfix cannot see, which calls it with whatever its own callers pass
//! (`codecs.register(search_function)`). Keys pyfix cannot trace to such data (code-level names, settings,
//! constants, parameters of callers it cannot see) show nothing either way: the cache is not reported.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::analyze::effects::{argument_effect, Argument};
use crate::codemods::{is_constant_literal, Context};
use crate::semantic::{BindingKind, ScopeKind, Semantic};

/// How deep local names are followed back to what they were bound to.
const MAX_HOPS: usize = 4;

/// Why the keys of the cache of `f` vary without bound: `keys` are the key expressions inside `f` (a memo's
/// subscripts and lookups; none for a decorator, whose keys are the arguments). `None` when pyfix cannot show it.
pub(super) fn unbounded_keys(cx: &Context, f: &StmtFunctionDef, keys: &[&Expr]) -> Option<String> {
    // A key that names a module (the function hands the same value to the import system): the cache holds one entry
    // per module the program can find, like `sys.modules`; bounded by the installed code, not by data.
    if keys.iter().any(|k| names_module(cx, f, k)) {
        return None;
    }
    if let Some(why) = keys.iter().find_map(|k| data(cx, k, 0)) {
        return Some(format!("its key is {why}"));
    }
    let sem = cx.semantic;
    let name = f.name.as_str();
    // Calls of the function in the module: `f(...)`, and `cls.f(...)`/`Class.f(...)` for a class's function.
    let module = sem.scope(Semantic::MODULE);
    let mut calls: Vec<&ast::ExprCall> = Vec::new();
    for b in module.bindings_of(name) {
        for r in &sem.binding(*b).references {
            let r = sem.reference(*r);
            let Some(stmt) = r.stmt.map(|s| sem.stmt(s)) else { continue };
            match sem.expr_path(stmt, r.range).last() {
                Some(Expr::Call(c)) if c.func.range() == r.range => calls.push(c),
                Some(Expr::Call(c)) if c.arguments.args.iter().any(|a| a.range() == r.range) => {
                    if let Some(why) = registered(c, name) {
                        return Some(why);
                    }
                }
                _ => {}
            }
        }
    }
    for u in cx.attributes().uses(name) {
        if let AttributeUseKind::Called(c) = u.kind {
            calls.push(c);
        }
    }
    calls.iter().find_map(|c| {
        let args = c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value));
        args.into_iter().find_map(|a| data(cx, a, 0)).map(|why| format!("a call in the module passes {why}"))
    })
}

/// `codecs.register(search_function)`, `hooks.add_callback(f)`: code pyfix cannot see calls it with its own data.
fn registered(c: &ast::ExprCall, name: &str) -> Option<String> {
    let Expr::Attribute(a) = c.func.as_ref() else { return None };
    (argument_effect(a.attr.as_str()) == Some(Argument::Registers)).then(|| {
        format!(
            "`{name}` is registered with `.{}()`: code pyfix cannot see calls it with whatever its own callers ask for",
            a.attr
        )
    })
}

/// What shows that `e` varies with data, or `None`.
fn data(cx: &Context, e: &Expr, hops: usize) -> Option<String> {
    let sem = cx.semantic;
    match e {
        Expr::FString(f) => {
            let variables = f
                .value
                .elements()
                .filter(|el| match el {
                    ast::InterpolatedStringElement::Interpolation(i) => !is_constant_literal(&i.expression),
                    ast::InterpolatedStringElement::Literal(_) => false,
                })
                .count();
            (variables >= 2).then(|| "a string formatted from variables".to_string())
        }
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Mod) && b.left.is_string_literal_expr() => {
            let variables = match b.right.as_ref() {
                Expr::Tuple(t) => t.elts.iter().filter(|x| !is_constant_literal(x)).count(),
                Expr::Dict(d) => d.items.len(),
                other => usize::from(!is_constant_literal(other)),
            };
            (variables >= 2).then(|| "a string formatted from variables".to_string())
        }
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
            let text = |x: &Expr| x.is_string_literal_expr() || x.is_f_string_expr();
            // `pkg + "." + name`: two variables joined.
            let mut operands = Vec::new();
            flatten_add(e, &mut operands);
            let variables = operands.iter().filter(|x| !is_constant_literal(x)).count();
            if operands.iter().any(|x| text(x)) && variables >= 2 {
                return Some("a string built from variables".to_string());
            }
            data(cx, &b.left, hops).or_else(|| data(cx, &b.right, hops))
        }
        Expr::Tuple(t) => t.elts.iter().find_map(|x| data(cx, x, hops)),
        Expr::Call(c) => {
            match c.func.as_ref() {
                Expr::Name(n) if sem.resolve(n).is_none() && n.id.as_str() == "id" && !c.arguments.is_empty() => {
                    return Some("an object's identity (`id(...)`): every object gets its own entry".to_string());
                }
                // `int(line)`, `str(x)`: a conversion of the data is the data.
                Expr::Name(n)
                    if sem.resolve(n).is_none()
                        && matches!(n.id.as_str(), "int" | "float" | "str" | "bytes" | "tuple" | "frozenset") =>
                {
                    return c.arguments.args.first().and_then(|a| data(cx, a, hops));
                }
                Expr::Name(n) if sem.resolve(n).is_none() && n.id.as_str() == "input" => {
                    return Some("what `input()` reads".to_string());
                }
                Expr::Attribute(a) if a.attr.as_str() == "format" && a.value.is_string_literal_expr() => {
                    let variables = c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value));
                    let variables = variables.into_iter().filter(|x| !is_constant_literal(x)).count();
                    return (variables >= 2).then(|| "a string formatted from variables".to_string());
                }
                Expr::Attribute(a) if is_read(a.attr.as_str()) => {
                    return Some(format!("what `.{}()` reads", a.attr));
                }
                // `name.lower()`, `line.strip().split(":")[0]`: still the data.
                Expr::Attribute(a) => return part_of(cx, &a.value, hops),
                _ => {}
            }
            None
        }
        Expr::Subscript(s) => part_of(cx, &s.value, hops),
        Expr::Starred(s) => data(cx, &s.value, hops),
        Expr::Attribute(a) => part_of(cx, &a.value, hops),
        Expr::Name(n) if hops < MAX_HOPS => {
            let b = sem.resolve(n)?;
            let binding = sem.binding(b);
            let scope = sem.scope(binding.scope);
            if scope.kind != ScopeKind::Function {
                return None;
            }
            // `self` of a method: an instance as the key keeps every instance alive.
            if binding.kind == BindingKind::Parameter {
                let f = scope.function()?;
                let in_class = scope.parent.is_some_and(|p| sem.scope(p).kind == ScopeKind::Class);
                let first = f.parameters.iter_non_variadic_params().next();
                let is_self = in_class
                    && f.decorator_list.is_empty()
                    && first.is_some_and(|p| p.name().as_str() == n.id.as_str() && n.id.as_str() == "self");
                return is_self.then(|| "an instance (`self`): it keeps every instance alive".to_string());
            }
            // Every binding of the local: `fullmodule = "%s.%s" % (pkg, module)` in one branch is enough.
            scope.bindings_of(n.id.as_str()).iter().find_map(|b| {
                let binding = sem.binding(*b);
                let stmt = sem.stmt(binding.stmt?);
                match (binding.kind.clone(), stmt) {
                    (BindingKind::Assignment, Stmt::Assign(a)) => {
                        let target = a.targets.iter().any(|t| matches!(t, Expr::Name(t) if t.id == n.id));
                        if target {
                            data(cx, &a.value, hops + 1)
                        } else {
                            None
                        }
                    }
                    (BindingKind::LoopTarget, Stmt::For(f)) => iterated_data(cx, &f.iter, hops + 1),
                    _ => None,
                }
            })
        }
        _ => None,
    }
}

/// `for line in f` over an opened file, or over what a read returned.
fn iterated_data(cx: &Context, it: &Expr, hops: usize) -> Option<String> {
    if let Some(why) = data(cx, it, hops) {
        return Some(why);
    }
    let sem = cx.semantic;
    let Expr::Name(n) = it else { return None };
    let binding = sem.binding(sem.resolve(n)?);
    let opened = |v: &Expr| matches!(v, Expr::Call(c) if sem.resolve_qualified_name(&c.func).is_some_and(|q| matches!(q.as_str(), "builtins.open" | "io.open" | "codecs.open")));
    match sem.stmt(binding.stmt?) {
        Stmt::Assign(a) if opened(&a.value) => Some("a line of a file".to_string()),
        Stmt::With(w) if w.items.iter().any(|i| opened(&i.context_expr)) => Some("a line of a file".to_string()),
        _ => None,
    }
}

fn is_read(method: &str) -> bool {
    matches!(method, "read" | "readline" | "readlines" | "recv" | "recvfrom" | "read_text" | "read_bytes")
}

/// `x.attr`, `x[k]`, `x.method()` of `x`: the data `x` carries, but not an instance as such (`self.name` is not
/// keyed by the instance).
fn part_of(cx: &Context, e: &Expr, hops: usize) -> Option<String> {
    if matches!(e, Expr::Name(n) if n.id.as_str() == "self") {
        return None;
    }
    data(cx, e, hops)
}

fn flatten_add<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
            flatten_add(&b.left, out);
            flatten_add(&b.right, out);
        }
        _ => out.push(e),
    }
}

/// Callees of the import system that take a module's dotted name first.
const IMPORT_LOOKUPS: &[&str] =
    &["import_module", "find_spec", "_find_spec_from_path", "_find_spec", "__import__", "find_module", "find_loader"];

/// `key` is a local name (or parameter) of `f` that `f` also passes, first, to the import system
/// (`importlib.util.find_spec(fullmodule, path)`, `import_module(name)`) or uses as `sys.modules[name]`.
fn names_module(cx: &Context, f: &StmtFunctionDef, key: &Expr) -> bool {
    struct Finder<'c, 'a, 'k> {
        cx: &'c Context<'a>,
        key: &'k str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, '_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            let is_key = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == self.key);
            match e {
                Expr::Call(c) if c.arguments.args.first().is_some_and(is_key) => {
                    let last = match c.func.as_ref() {
                        Expr::Name(n) => Some(n.id.as_str()),
                        Expr::Attribute(a) => Some(a.attr.as_str()),
                        _ => None,
                    };
                    if last.is_some_and(|l| IMPORT_LOOKUPS.contains(&l)) {
                        self.found = true;
                    }
                }
                Expr::Subscript(s)
                    if is_key(&s.slice)
                        && self.cx.semantic.resolve_qualified_name(&s.value).as_deref() == Some("sys.modules") =>
                {
                    self.found = true;
                }
                _ => {}
            }
            visitor::walk_expr(self, e);
        }
    }
    let Expr::Name(n) = key else { return false };
    let mut v = Finder { cx, key: n.id.as_str(), found: false };
    v.visit_body(&f.body);
    v.found
}
