//! A connection opened as a `with` item whose `__exit__` only ends a transaction: `with sqlite3.connect(p) as conn:`
//! commits (or rolls back) at the block's end and leaves the connection open. The fix closes it there too, keeping
//! the transaction: `with closing(sqlite3.connect(p)) as conn, conn:` (the items exit right to left: commit, then
//! close).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::fix::ensure_import;
use crate::codemods::{Context, Finding};
use crate::edit::{Edit, Fix};
use crate::semantic::ScopeKind;

use super::blocks::Site;
use super::flow::{flow, Flow, Owner};
use super::plan::{chain, derived_name, is_close_call, mentions_name, result_outlives};
use super::resources::{Resource, NAME};
use super::scopes::OccKind;

/// `call` (the whole `with` item, or the argument of `enter_context`) opens a connection of a kind whose `__exit__`
/// does not close it (`Resource::exit_only_commits`).
/// `None`: no leak here (the connection is handed to the caller or another owner, or the code closes it in the block).
pub(super) fn entered_connection(
    cx: &Context,
    site: Site,
    call: &ast::ExprCall,
    resource: &Resource,
) -> Option<Finding> {
    let Site { scope, block, index: i, stack } = site;
    let stmt = &block[i];
    let range = call.range();
    let shown = resource.shown.as_str();
    let message = format!("the connection from `{shown}()` is never closed: its `with` commits and leaves it open");
    let no_fix = |why: String| Some(Finding::without_fix(NAME, range, message.clone(), why));
    let with = match stmt {
        Stmt::With(w) if !w.is_async => Some(w),
        _ => None,
    };
    let Some((w, item)) = with.and_then(|w| Some((w, w.items.iter().find(|it| it.context_expr.range() == range)?)))
    else {
        return no_fix("the stack it is entered on only commits it when it closes".to_string());
    };
    let Some(Expr::Name(target)) = item.optional_vars.as_deref() else {
        return no_fix("the `with` gives the connection no name to close it through".to_string());
    };
    let name = target.id.as_str();
    if scope.is_declared(cx, name) {
        return no_fix(format!("`{name}` is declared `global`/`nonlocal`: the connection outlives this scope"));
    }
    let body = TextRange::new(target.end(), w.end());
    let kind = cx.semantic.scope(scope.id).kind;
    if matches!(kind, ScopeKind::Class) {
        return no_fix(format!("`{name}` is a class attribute, which the class keeps after the block"));
    }
    let mut unsafe_reason = resource.unproven();
    if matches!(kind, ScopeKind::Module) {
        unsafe_reason = Some(format!(
            "`{name}` is a module global: code that imports the module may use the connection after the block"
        ));
    }
    // A later statement of the same block that binds the name again (`with sqlite3.connect(p) as conn:` twice, `conn =
    // ...`): the uses after it are of another connection. In a loop, uses before the `with` may meet this one.
    let next_binding = block[i + 1..].iter().find(|st| binds_first(st, name)).map(|st| st.start());
    let in_loop = stack.iter().any(|f| matches!(f.stmt(), Stmt::For(_) | Stmt::While(_)));
    // The connection and the cursors made from it in the block (`cur = conn.cursor()`): every use of them stands in
    // the block (a use elsewhere, also earlier in a loop, would meet the closed connection), and what they give
    // does not outlive it.
    let mut held: Vec<String> = vec![name.to_string()];
    let mut k = 0;
    while k < held.len() {
        let tracked = held[k].clone();
        k += 1;
        for occ in scope.uses(cx, &tracked) {
            if occ.range == target.range() {
                continue;
            }
            if tracked == name && next_binding.is_some_and(|b| occ.range.start() >= b) {
                continue;
            }
            if tracked == name && !in_loop && occ.range.end() <= w.start() {
                continue;
            }
            if !body.contains_range(occ.range) {
                // `conn.close()` right after the block, where nothing else uses it: the code closes it itself.
                if tracked == name && occ.kind == OccKind::Load && is_close_call(occ.range, &occ.exprs(cx)) {
                    return None;
                }
                return no_fix(format!(
                    "`{tracked}` is used outside the `with` block, where the connection would then be closed"
                ));
            }
            if occ.captured {
                return no_fix(format!("`{tracked}` is used by a nested function, lambda or generator"));
            }
            // `cur = conn.cursor()` binds a cursor (uses of another value it is bound to stay in the block too).
            if occ.kind == OccKind::Store && tracked != name {
                continue;
            }
            if occ.kind != OccKind::Load {
                return no_fix(format!("`{tracked}` is bound again or deleted inside the block"));
            }
            let stmt_of = occ.stmt(cx, stmt);
            let exprs = occ.exprs(cx);
            let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
            match f {
                // `return conn`, `self.conn = conn`: its caller or another object owns it from there.
                Flow::Escapes(_, Owner::Caller | Owner::Receiver | Owner::Attribute) if tracked == name => return None,
                Flow::Escapes(why, _) => return no_fix(format!("`{tracked}` escapes: {why}")),
                Flow::Kept(other) => return no_fix(format!("`{tracked}` is bound to `{other}` too")),
                // `conn.close()` in the block: the code closes it itself.
                Flow::Managed if tracked == name && is_close_call(occ.range, &exprs) => return None,
                Flow::Consumed | Flow::Iterated | Flow::Managed => {
                    if let Some(why) = result_outlives(cx, scope, stmt_of, occ.range, &exprs, tracked != name) {
                        return no_fix(why);
                    }
                    if let Some(derived) =
                        derived_name(stmt_of, occ.range, &exprs).filter(|_| !chain(occ.range, &exprs).fetched)
                    {
                        if !held.contains(&derived) {
                            held.push(derived);
                        }
                    }
                }
            }
            if let Some(callee) = unknown {
                unsafe_reason.get_or_insert(format!("`{tracked}` is passed to `{callee}()`, which may keep it"));
            }
        }
    }
    let Some((import, closing)) = ensure_import(cx, "contextlib", Some("closing")) else {
        return no_fix("the name `closing` is taken, so `contextlib.closing` cannot be imported".to_string());
    };
    let mut edits = vec![
        Edit::insert(range.start(), format!("{closing}(")),
        Edit::insert(range.end(), ")".to_string()),
        Edit::insert(target.end(), format!(", {name}")),
    ];
    edits.extend(import);
    let title = format!("Close `{name}` too: `with {closing}(...) as {name}, {name}:`");
    Some(Finding::new(NAME, range, message, Fix::new(title, unsafe_reason, edits)))
}

/// `st` binds `name` before anything in it uses it: `name = ...`, `with X as name:`, or a `with` whose items do not
/// mention it and whose body starts so (`with self.assertRaises(E): with sqlite3.connect(p) as name:`).
fn binds_first(st: &Stmt, name: &str) -> bool {
    let is = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match st {
        Stmt::Assign(a) => a.targets.iter().any(is),
        Stmt::With(x) => {
            x.items.iter().any(|it| it.optional_vars.as_deref().is_some_and(is))
                || (!x.items.iter().any(|it| mentions_name(name).0(&it.context_expr))
                    && x.body.first().is_some_and(|b| binds_first(b, name)))
        }
        _ => false,
    }
}
