//! The fix of a memo dict (module-level or a default): its refusals, the key being exactly the arguments, and the
//! `Plan` of edits (drop the dict, decorate with `lru_cache`). The lookup and store shapes are in `memo_shapes.rs`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::edits::{functools_raw, spaced_import, Plan};
use super::identity::interned;
use super::memo_default::parameter_range;
use super::memo_dict::{is_computed, same, Memo, Use};
use super::memo_shapes::{lookup, tail};
use super::nullness::{none_ness, Nullness};
use super::purity::impurity;
use crate::codemods::fix::{delete_list_item, delete_stmts, kept_comments};
use crate::codemods::Context;
use crate::edit::{Edit, Fix};
use crate::semantic::{BindingId, BindingKind};

/// Where the dict lives, which decides what the fix removes besides the plumbing.
#[derive(Clone, Copy)]
pub(super) enum DictHome<'a> {
    /// `C = {}` at module level: deleted.
    Module(&'a Stmt),
    /// `def f(n, _memo={})`: the parameter is removed.
    Default(&'a ast::ParameterWithDefault),
}

/// `resets`: the `C.clear()` calls of other functions, which become `f.cache_clear()`.
pub(super) fn memo_fix<'a>(
    cx: &Context<'a>,
    memo: &Memo<'a>,
    home: DictHome,
    resets: &[TextRange],
) -> Result<Option<Fix>, String> {
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
    let body = body_after_docstring(&func.body);
    // `key = (a, b)` then `C[key]`: a local key that is exactly the arguments is checked as if written inline, and
    // goes with the lookup and the store.
    let local = key_local(cx, memo, body, &stored_keys);
    let as_written = |keys: &[&'a Expr]| -> Vec<&'a Expr> {
        keys.iter().map(|k| local.filter(|l| same(k, l.name)).map_or(*k, |l| l.value)).collect()
    };
    exactly_the_arguments(cx, memo, home, &as_written(&stored_keys))?;
    let dict_refs: Vec<TextRange> = memo.uses.iter().map(|(r, _)| cx.semantic.reference(*r).range).collect();
    let touches = |s: &Stmt| dict_refs.iter().any(|r| s.range().contains_range(*r));
    let Some(h) = body.iter().position(|s| !matches!(s, Stmt::Global(_)) && touches(s)) else {
        return Err("no lookup of the dict found".to_string());
    };
    let mut plan = Plan::default();
    lookup(cx, memo, body, h, &mut plan)?;
    let is_key_local = |s: &Stmt| local.is_some_and(|l| std::ptr::eq(s, l.stmt));
    let runs_before_lookup = body[..h].iter().any(|s| !matches!(s, Stmt::Global(_)) && !is_key_local(s));
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
    exactly_the_arguments(cx, memo, home, &as_written(&plan.keys))?;
    if let Some(l) = local {
        let gone =
            |r: TextRange| plan.replaced.iter().chain(plan.edits.iter().map(|e| &e.range)).any(|x| x.contains_range(r));
        let used_elsewhere =
            cx.semantic.binding(l.binding).references.iter().any(|r| !gone(cx.semantic.reference(*r).range));
        // Still read by the computation (`"/".join(key)`): building a tuple of names is kept, it does nothing else.
        if !used_elsewhere {
            plan.delete(cx, l.stmt)?;
        }
    }
    if let Some(why) = interned(cx, func, &plan.stored) {
        return Err(format!("an interning table: {why}; after an eviction `lru_cache` would hand out a new object"));
    }
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
                    plan.edits.extend(delete_list_item(&g.names, i));
                }
            }
        }
    }
    // The fix deletes the dict: never a public attribute of the module, which other code may read or clear.
    if matches!(home, DictHome::Module(_)) && !memo.dict.starts_with('_') {
        return Err(format!(
            "`{}` is a public attribute of the module: other code may read or clear it, and the fix would delete it",
            memo.dict
        ));
    }
    let mut reasons = Vec::new();
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
                let kept = kept_comments(cx, lines, "");
                let line = import.remove(k).content;
                plan.edits.push(Edit::replace(lines, format!("{line}{kept}")));
                plan.replaced.push(lines);
            }
            _ => {
                let (edit, range) = delete_stmts(cx, TextRange::new(module_stmts[i].start(), module_stmts[j].end()))?;
                plan.replaced.push(range);
                plan.edits.push(edit);
            }
        }
        i = j + 1;
    }
    plan.edits.extend(import.into_iter().map(|e| spaced_import(cx, e)));
    plan.edits.extend(resets.iter().map(|r| Edit::replace(*r, format!("{fname}.cache_clear()"))));
    let def_line = cx.source.line_start(func.name.start());
    let indent = cx.source.indent_at(def_line);
    plan.edits.push(Edit::insert(
        def_line,
        format!("{indent}@{lru}(maxsize={}){}", cx.settings.cache_maxsize, cx.style.line_ending),
    ));
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
    let title = format!("Decorate `{fname}` with `lru_cache(maxsize={})` and drop the dict", cx.settings.cache_maxsize);
    Ok(if reasons.is_empty() {
        Fix::safe(title, plan.into_edits())
    } else {
        Fix::unsafe_because(title, reasons.join("; "), plan.into_edits())
    })
}

/// `key = (a, b)` at the top level of the memo's body, the only binding of `key`, and every key the dict is used
/// with is `key`.
#[derive(Clone, Copy)]
struct KeyLocal<'a> {
    stmt: &'a Stmt,
    name: &'a Expr,
    value: &'a Expr,
    binding: BindingId,
}

fn key_local<'a>(cx: &Context<'a>, memo: &Memo<'a>, body: &'a [Stmt], keys: &[&'a Expr]) -> Option<KeyLocal<'a>> {
    let first = *keys.first()?;
    let Expr::Name(n) = first else { return None };
    if !keys.iter().all(|k| same(k, first)) {
        return None;
    }
    let [b] = cx.semantic.scope(memo.scope).bindings_of(n.id.as_str()) else { return None };
    let binding = cx.semantic.binding(*b);
    if binding.kind != BindingKind::Assignment {
        return None;
    }
    let stmt = body.iter().find(|s| binding.stmt.is_some_and(|id| std::ptr::eq(*s, cx.semantic.stmt(id))))?;
    let Stmt::Assign(a) = stmt else { return None };
    let [Expr::Name(_)] = a.targets.as_slice() else { return None };
    let value = a.value.as_ref();
    let plain = match value {
        Expr::Tuple(t) => t.elts.iter().all(Expr::is_name_expr),
        e => e.is_name_expr(),
    };
    plain.then_some(KeyLocal { stmt, name: first, value, binding: *b })
}

fn body_after_docstring(body: &[Stmt]) -> &[Stmt] {
    match body.first() {
        Some(s) if ruff_python_ast::helpers::is_docstring_stmt(s) => &body[1..],
        _ => body,
    }
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
