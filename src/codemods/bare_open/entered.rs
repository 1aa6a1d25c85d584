//! A connection opened as a `with` item whose `__exit__` only ends a transaction: `with sqlite3.connect(p) as conn:`
//! commits (or rolls back) at the block's end and leaves the connection open. The fix closes it there too, keeping
//! the transaction: `with closing(sqlite3.connect(p)) as conn, conn:` (the items exit right to left: commit, then
//! close).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::fix::ensure_import;
use crate::codemods::{Context, Finding};
use crate::edit::{Edit, Fix};

use super::blocks::Site;
use super::flow::{flow, Flow, Owner};
use super::plan::{derived_name, fetched, is_close_call};
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
    let Site { scope, block, index: i, .. } = site;
    let stmt = &block[i];
    let range = call.range();
    let shown = resource.shown.as_str();
    let message = format!("the connection from `{shown}()` is never closed: its `with` commits and leaves it open");
    let no_fix = |why: String| Some(Finding::without_fix(NAME, range, message.clone(), why));
    let item = match stmt {
        Stmt::With(w) if !w.is_async => w.items.iter().find(|it| it.context_expr.range() == range),
        _ => None,
    };
    let Some(item) = item else {
        return no_fix("the stack it is entered on only commits it when it closes".to_string());
    };
    let Some(Expr::Name(target)) = item.optional_vars.as_deref() else {
        return no_fix("the `with` gives the connection no name to close it through".to_string());
    };
    let name = target.id.as_str();
    if scope.is_declared(cx, name) {
        return no_fix(format!("`{name}` is declared `global`/`nonlocal`: the connection outlives this scope"));
    }
    let Stmt::With(w) = stmt else { unreachable!("matched above") };
    let body = TextRange::new(target.end(), w.end());
    let mut unsafe_reason = resource.unproven();
    // Names bound from the connection in the block (`cur = conn.cursor()`, `c = conn`): they must not outlive it.
    let mut held: Vec<String> = vec![name.to_string()];
    let mut k = 0;
    while k < held.len() {
        let tracked = held[k].clone();
        k += 1;
        for occ in scope.uses(cx, &tracked) {
            let after = occ.range.start() >= w.end();
            let before = occ.range.end() <= target.start();
            if before || (tracked != name && !body.contains_range(occ.range) && !after) {
                continue;
            }
            if occ.captured {
                return no_fix(format!("`{tracked}` is used by a nested function, lambda or generator"));
            }
            if after {
                if occ.kind == OccKind::Store {
                    // Bound again after the block: later uses are of another value.
                    break;
                }
                // `conn.close()` after the block: the code closes it itself.
                if tracked == name && is_close_call(occ.range, &occ.exprs(cx)) {
                    return None;
                }
                return no_fix(format!(
                    "`{tracked}` is used after the `with` block, where the connection would then be closed"
                ));
            }
            if occ.kind == OccKind::Store {
                if occ.range != target.range() && tracked == name {
                    return no_fix(format!("`{name}` is bound again inside the block"));
                }
                continue;
            }
            if occ.kind == OccKind::Del {
                return no_fix(format!("`del {tracked}` inside the block"));
            }
            let stmt_of = occ.stmt(cx, stmt);
            let exprs = occ.exprs(cx);
            let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
            match f {
                // `return conn`, `self.conn = conn`: its caller or another object owns it from there.
                Flow::Escapes(_, Owner::Caller | Owner::Receiver | Owner::Attribute) => return None,
                Flow::Escapes(why, Owner::Nobody) => return no_fix(format!("`{tracked}` escapes: {why}")),
                // `conn.close()` in the block: the code closes it itself.
                Flow::Managed if tracked == name && is_close_call(occ.range, &exprs) => return None,
                Flow::Kept(other) => {
                    if !held.contains(&other) {
                        held.push(other);
                    }
                }
                Flow::Consumed | Flow::Iterated | Flow::Managed => {
                    if let Some(derived) = derived_name(stmt_of, occ.range, &exprs).filter(|_| !fetched(&exprs)) {
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
