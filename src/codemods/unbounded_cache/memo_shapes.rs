//! The lookup and store shapes a memo fix rewrites (`if k in C: return C[k]`, `try: return C[k]`, `v = C.get(k)`,
//! a store followed by `return`), matched and planned for removal. Whether to fix at all is `memo_fix.rs`'s call.

use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::edits::{lift, Plan};
use super::memo_dict::{is_dict, is_sentinel, same, Memo, Use};
use crate::codemods::fix::delete_list_item;
use crate::codemods::Context;
use crate::edit::Edit;
use crate::semantic::ReferenceId;

fn dict_item<'e>(cx: &Context, memo: &Memo, e: &'e Expr) -> Option<&'e Expr> {
    match e {
        Expr::Subscript(s) if is_dict(cx, memo, &s.value) => Some(&s.slice),
        _ => None,
    }
}

/// Matches the lookup statement `body[h]` (and what it needs around it) and plans its removal.
pub(super) fn lookup<'a>(
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
pub(super) fn tail<'a>(
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
            // C[k] = v = x  ->  v = x
            plan.edits.extend(delete_list_item(&store.targets, usize::from(!cache_first)));
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
