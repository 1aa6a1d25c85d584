//! `unbounded-cache`: caches that keep every result for the life of the process: a module-level dict used as a
//! hand-rolled memo, a dict default used as one, `@functools.cache` / `@lru_cache(maxsize=None)`, a cache decorator
//! on an instance method (it pins every `self`), and module-level containers that only grow (reported only).
//! Fixes bound the cache with `functools.lru_cache`. Users' docs: codemods/unbounded_cache/README.md.

mod decorators;
mod edits;
mod growing_globals;
mod identity;
mod key_source;
mod key_space;
mod memo_default;
mod memo_dict;
mod memo_fix;
mod memo_shapes;
mod nullness;
mod purity;
mod vocabulary;

use std::collections::HashSet;

use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::project::{
    is_test_module, module_global_named_elsewhere, module_global_named_outside_tests, Elsewhere,
};
use crate::codemods::{Codemod, Context, Finding};
use crate::edit::Fix;
use crate::semantic::{BindingId, BindingKind, ReferenceId, ScopeId, ScopeKind, ScopeNode, Semantic};
use decorators::{
    arguments_grow_cache, bounded_decorator, has_decorator, method_finding, unbounded_decorator, Callable, Unbounded,
};
use growing_globals::{growth, is_empty_container, is_registrar, stores_arguments, Growth};
use identity::{interned, returned};
use key_source::unbounded_keys;
use key_space::few_keys;
use memo_default::passed_by_a_call;
use memo_dict::{classify, dict_literal, is_exported, looks_like_memo, module_assignment, where_, Memo, Use};
use memo_fix::{memo_fix, DictHome};
use vocabulary::NAME;

pub struct UnboundedCache;

impl Codemod for UnboundedCache {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a dict memo, `@cache` or `@lru_cache(maxsize=None)` that keeps every result -> `@lru_cache(maxsize=N)` [fix: safe for a visibly pure memo, else unsafe]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../../codemods/unbounded_cache/README.md")
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

// ---------------------------------------------------------------------------------------------------------------
// `@functools.cache`, `@lru_cache(maxsize=None)`

fn decorator_findings(cx: &Context, findings: &mut Vec<Finding>) {
    let mut found = Vec::new();
    for (_, scope) in cx.semantic.scopes() {
        let Some(f) = scope.function() else { continue };
        let Some(parent) = scope.parent else { continue };
        let callable = match cx.semantic.scope(parent).kind {
            ScopeKind::Module => Callable::Function,
            ScopeKind::Class if has_decorator(cx, f, "builtins.staticmethod") => Callable::StaticMethod,
            ScopeKind::Class if has_decorator(cx, f, "builtins.classmethod") => Callable::ClassMethod,
            // `get_class_lookups = classmethod(get_class_lookups)` later in the class body: keyed on classes.
            ScopeKind::Class if wrapped_in_class(cx, parent, f) => Callable::ClassMethod,
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
        .filter(|(f, _, callable, _, _)| {
            *callable != Callable::Method
                && !returned(&f.body).iter().all(|v| v.is_none_literal_expr())
                && grows_with_calls(cx, f, *callable)
                && unbounded_keys(cx, f, &[]).is_some()
                && interned(cx, f, &returned(&f.body)).is_none()
        })
        .filter_map(|(_, _, _, _, u)| match u {
            Unbounded::Cache(e @ Expr::Name(_)) => Some(e.range()),
            _ => None,
        })
        .collect();
    for (f, class_scope, callable, d, u) in found {
        let spelled = cx.source.slice(d.expression.range());
        if callable == Callable::Method {
            // `def clear_cache(self): self.get_models.cache_clear()`: the class empties the cache itself.
            if cleared_by_class(cx, f, class_scope) {
                continue;
            }
            findings.push(method_finding(cx, f, class_scope, d, spelled));
            continue;
        }
        if !grows_with_calls(cx, f, callable) {
            continue;
        }
        // `@cache def warn_once(key): log(...)`: the cache remembers that it ran, which is its point: a registry.
        if returned(&f.body).iter().all(|v| v.is_none_literal_expr()) {
            continue;
        }
        // Only keys that the module shows come from data make a leak; code-level names and settings do not.
        let Some(why) = unbounded_keys(cx, f, &[]) else { continue };
        let message =
            format!("`@{spelled}` keeps a result of `{}` for every distinct argument, forever: {why}", f.name);
        if let Some(why) = interned(cx, f, &returned(&f.body)) {
            let reason =
                format!("an interning table: {why}; after an eviction `lru_cache` would hand out a new object");
            findings.push(Finding::without_fix(NAME, d.expression.range(), message, reason));
            continue;
        }
        let fix = bounded_decorator(cx, &u, &fixable_uses).and_then(|edits| {
            Fix::unsafe_because(
                format!("Bound the cache: `lru_cache(maxsize={})`", cx.settings.cache_maxsize),
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

/// The cache gains entries as calls pass new arguments. Not when it caches one value (`@cache def config(): ...`),
/// nor when the key space is a handful of constants or settings (`@cache def get_finder(path)` over
/// `settings.STATICFILES_FINDERS`).
fn grows_with_calls(cx: &Context, f: &ruff_python_ast::StmtFunctionDef, callable: Callable) -> bool {
    arguments_grow_cache(f, callable) && few_keys(cx, f, callable).is_none()
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-rolled memo dicts

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
        // A handful of keys (constants, settings): a few entries for the life of the process, not a leak.
        if few_keys(cx, func, Callable::Function).is_some() {
            continue;
        }
        let Some(why) = unbounded_keys(cx, func, &memo_keys(cx, &uses)) else { continue };
        let message =
            format!("module-level dict `{name}` caches every result of `{}` without a bound: {why}", func.name);
        let memo = Memo { dict: name, func, scope, uses };
        // `def reset(): C.clear()`: functions of the module that only empty the dict call `cache_clear()` instead.
        let resets = resets(cx, func, &by_function);
        let refusal = if let Some(e) = elsewhere {
            Some(e)
        } else if let (Some((other, _)), None) = (by_function.first(), &resets) {
            Some(format!("`{name}` is also used {}", where_(cx, *other)))
        } else if bindings.len() > 1 {
            Some(format!("`{name}` is rebound elsewhere (a reset?): the function's cache could not be replaced"))
        } else if seeded {
            Some(format!("`{name}` starts with entries: seeded base cases are part of the algorithm"))
        } else if is_exported(cx, name) {
            Some(format!("`{name}` is listed in `__all__`: other modules may read or clear it"))
        } else {
            named_elsewhere(cx, name)
        };
        let fix = match refusal {
            Some(reason) => Err(reason),
            None => memo_fix(cx, &memo, DictHome::Module(assign), resets.as_deref().unwrap_or_default()),
        };
        findings.push(match fix {
            Ok(fix) => Finding::new(NAME, assign.range(), message, fix),
            Err(reason) => Finding::without_fix(NAME, assign.range(), message, reason),
        });
    }
    reported
}

/// Another file of the project names this module and the dict (`platform._platform_cache.clear()` in a test,
/// `trans_real._translations = {}` in a reloader): it may read, clear or rebind it, and the fix removes it. Also a
/// refusal when pyfix could not read the project.
fn named_elsewhere(cx: &Context, name: &str) -> Option<String> {
    match module_global_named_elsewhere(cx, name) {
        Elsewhere::No => None,
        Elsewhere::Yes(path, line) => {
            let at = line.map_or_else(|| path.display().to_string(), |l| format!("{}:{l}", path.display()));
            Some(format!("`{at}` uses `{name}` (it may read, clear or rebind the dict, which the fix removes)"))
        }
        Elsewhere::Unknown => Some(format!(
            "pyfix could not read the rest of the project (text from stdin without `--stdin-filename`, or more than \
             {} Python files under its root): another module may read, clear or rebind `{name}`",
            crate::project::MAX_FILES
        )),
    }
}

/// The `C.clear()` calls of the other functions that use the dict, when that is all they do with it (a statement of
/// its own, in a function that does not bind the memo's name): each becomes `memo.cache_clear()`. `None` when some
/// other use is not such a reset, or the memo's name is bound more than once at module level.
fn resets(
    cx: &Context,
    memo: &ruff_python_ast::StmtFunctionDef,
    others: &[(ScopeId, Vec<(ReferenceId, Use)>)],
) -> Option<Vec<TextRange>> {
    if others.is_empty() || cx.semantic.scope(Semantic::MODULE).bindings_of(memo.name.as_str()).len() != 1 {
        return None;
    }
    let mut calls = Vec::new();
    for (scope, uses) in others {
        if !cx.semantic.scope(*scope).bindings_of(memo.name.as_str()).is_empty() {
            return None;
        }
        for (r, u) in uses {
            let reference = cx.semantic.reference(*r);
            let stmt = reference.stmt.map(|s| cx.semantic.stmt(s));
            let Some(ruff_python_ast::Stmt::Expr(e)) = stmt else { return None };
            let Expr::Call(call) = e.value.as_ref() else { return None };
            let is_clear = matches!(u, Use::Clear)
                && call.arguments.is_empty()
                && matches!(call.func.as_ref(), Expr::Attribute(a) if a.value.range() == reference.range);
            if !is_clear {
                return None;
            }
            calls.push(call.range());
        }
    }
    Some(calls)
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
            let Some(why) = unbounded_keys(cx, func, &memo_keys(cx, &uses)) else { continue };
            let message = format!(
                "default `{}` of `{name}` caches every result of `{}` without a bound: {why}",
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
                None => memo_fix(cx, &memo, DictHome::Default(param), &[]),
            };
            findings.push(match fix {
                Ok(fix) => Finding::new(NAME, default.range(), message, fix),
                Err(reason) => Finding::without_fix(NAME, default.range(), message, reason),
            });
        }
    }
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
        let mut why: Option<String> = None;
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
                    // `if key not in _warned: warn(...); _warned.add(key)`: a record of what was said once.
                    if is_warn_once(cx, *binding, *r, func) {
                        continue 'names;
                    }
                    if why.is_none() {
                        why = unbounded_keys(cx, func, &grown_with(cx, *r));
                    }
                    if !growers.contains(&func.name.as_str()) {
                        growers.push(func.name.as_str());
                    }
                }
                Growth::Reads => {}
                Growth::Escapes => continue 'names,
            }
        }
        // Only growth the module shows comes from data is a leak: a table of names, settings or constants is not.
        let Some(why) = why.filter(|_| !growers.is_empty()) else { continue };
        // Another module rebinds, clears or reads it (a reloader resetting `mod.log = []`): not a leak pyfix can vouch
        // for. A test that fills and clears a program module's table (idlelib's `debugger_r.dicttable`) does not
        // shrink it in the program: for a module that is not test code, only the program's other modules count.
        // Asked last: it may read the project.
        let elsewhere = if is_test_module(cx) {
            module_global_named_elsewhere(cx, name)
        } else {
            module_global_named_outside_tests(cx, name)
        };
        if matches!(elsewhere, Elsewhere::Yes(..)) {
            continue;
        }
        let who = growers.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ");
        findings.push(Finding::without_fix(
            NAME,
            assign.range(),
            format!(
                "module-level `{name}` only grows: {who} {} to it at run time and nothing removes from it; {why}",
                if growers.len() == 1 { "adds" } else { "add" }
            ),
            "a container that only grows has no drop-in bound: cap it, clear it, or key an `lru_cache` on what it tracks",
        ));
    }
}

/// The key expressions of a memo's lookups and stores: `C[k]`, `k in C`, `C.get(k)`.
fn memo_keys<'a>(cx: &Context<'a>, uses: &[(ReferenceId, Use<'a>)]) -> Vec<&'a Expr> {
    let mut keys = Vec::new();
    for (r, u) in uses {
        match u {
            Use::Read(sub) | Use::Store(sub) => keys.push(sub.slice.as_ref()),
            Use::Contains(c) => keys.push(c.left.as_ref()),
            Use::Get(call) => keys.extend(call.arguments.args.first()),
            _ => keys.extend(grown_with(cx, *r)),
        }
    }
    keys
}

/// What a use adds to the container: the key of `C[k] = v`, the argument of `C.append(x)`/`C.add(x)`/`C.setdefault(k, v)`.
fn grown_with<'a>(cx: &Context<'a>, r: ReferenceId) -> Vec<&'a Expr> {
    if let Use::Store(sub) = classify(cx, r) {
        return vec![sub.slice.as_ref()];
    }
    let reference = cx.semantic.reference(r);
    let Some(stmt) = reference.stmt else { return Vec::new() };
    let path = cx.semantic.expr_path(cx.semantic.stmt(stmt), reference.range);
    match path.as_slice() {
        [.., Expr::Call(c), Expr::Attribute(a)] if c.func.range() == a.range() => {
            c.arguments.args.first().into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// `k not in S` tested in the function that adds to `S`, which returns nothing: a warn-once (or run-once) record.
fn is_warn_once(cx: &Context, binding: BindingId, r: ReferenceId, func: &ruff_python_ast::StmtFunctionDef) -> bool {
    if !returned(&func.body).iter().all(|v| v.is_none_literal_expr()) {
        return false;
    }
    let reference = cx.semantic.reference(r);
    cx.semantic.binding(binding).references.iter().any(|other| {
        let o = cx.semantic.reference(*other);
        o.scope == reference.scope && matches!(classify(cx, *other), Use::Contains(_))
    })
}

/// `name = classmethod(name)` (or any wrapper taking it) later in the class body: the class keeps the wrapper,
/// and what it is called with is the class, not an instance.
fn wrapped_in_class(cx: &Context, class_scope: ScopeId, f: &ruff_python_ast::StmtFunctionDef) -> bool {
    let sem = cx.semantic;
    sem.scope(class_scope).bindings_of(f.name.as_str()).iter().any(|b| {
        let Some(ruff_python_ast::Stmt::Assign(a)) = sem.binding(*b).stmt.map(|s| sem.stmt(s)) else { return false };
        let Expr::Call(c) = a.value.as_ref() else { return false };
        sem.resolve_qualified_name(&c.func).as_deref() == Some("builtins.classmethod")
            && c.arguments.args.first().is_some_and(|x| matches!(x, Expr::Name(n) if n.id == f.name.id))
    })
}

/// A method of the class calls `self.m.cache_clear()` or `Cls.m.cache_clear()`: the class empties its cache of `m`
/// when what it caches changes, so the cache holds what the class holds, not every instance and argument ever seen.
fn cleared_by_class(cx: &Context, f: &ruff_python_ast::StmtFunctionDef, class_scope: ScopeId) -> bool {
    let sem = cx.semantic;
    let class_name = match sem.scope(class_scope).node {
        ScopeNode::Class(c) => Some(c.name.as_str()),
        _ => None,
    };
    sem.scopes().filter(|(_, s)| s.parent == Some(class_scope)).flat_map(|(_, s)| s.facts.calls.iter()).any(|c| {
        let Expr::Attribute(clear) = c.func.as_ref() else { return false };
        let Expr::Attribute(method) = clear.value.as_ref() else { return false };
        let Expr::Name(owner) = method.value.as_ref() else { return false };
        clear.attr.as_str() == "cache_clear"
            && method.attr.as_str() == f.name.as_str()
            && (owner.id.as_str() == "self" || Some(owner.id.as_str()) == class_name)
    })
}
