//! Opens that need no fix: an archive over a file object, objects that hold nothing where they stand, an in-memory
//! spool, a process drained at once, a close right after the open; and the reader of `x.method(...)` statements.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::codemods::Context;

use super::blocks::Frame;
use super::callees::{opener, qualified_name, single_assignment};
use super::resources::{Resource, WRAPPING_ARCHIVES};
use super::scopes::{Occ, OccKind};

/// An archive or compressed file built on a file object it was given (`GzipFile(fileobj=buf)`,
/// `ZipFile(io.BytesIO(data))`, `ZipFile(f)` after `f = open(p)`): closing it releases no descriptor.
pub(super) fn wraps_file_object(cx: &Context, call: &ast::ExprCall, resource: &Resource) -> bool {
    if !WRAPPING_ARCHIVES.contains(&resource.shown.as_str()) {
        return false;
    }
    if call.arguments.find_keyword("fileobj").is_some_and(|k| !k.value.is_none_literal_expr()) {
        return true;
    }
    let is_file_object = |e: &Expr| match e {
        Expr::Call(c) => {
            opener(cx, c).is_some()
                || qualified_name(cx, &c.func).is_some_and(|q| matches!(q.as_str(), "io.BytesIO" | "io.StringIO"))
        }
        _ => false,
    };
    match call.arguments.args.first().or_else(|| call.arguments.find_keyword("file").map(|k| &k.value)) {
        // A method of a file-like class hands over the object itself (pip's lazy wheel: `ZipFile(self)`).
        Some(Expr::Name(n)) if n.id.as_str() == "self" => true,
        Some(Expr::Name(n)) => {
            matches!(single_assignment(cx, n), Some(Stmt::Assign(a)) if is_file_object(&a.value))
        }
        Some(e) => is_file_object(e),
        None => false,
    }
}

/// Objects that own no descriptor or connection where they stand: an anonymous `mmap.mmap(-1, n)` (plain memory,
/// no tag name), `urlopen("data:...")`, and `urlopen(url).read()`, which reads the response to its end and so
/// closes the connection.
pub(super) fn holds_nothing(cx: &Context, call: &ast::ExprCall, exprs: &[&Expr], resource: &Resource) -> bool {
    let first = call.arguments.args.first();
    match resource.shown.as_str() {
        "mmap.mmap" => {
            let anonymous = match first {
                Some(Expr::UnaryOp(u)) => {
                    u.op == ast::UnaryOp::USub && cx.source.slice(u.operand.range()).trim() == "1"
                }
                _ => false,
            };
            anonymous && call.arguments.find_keyword("tagname").is_none() && call.arguments.args.len() < 4
        }
        "urllib.request.urlopen" => {
            let data_url = matches!(first, Some(Expr::StringLiteral(s)) if s.value.to_str().starts_with("data:"));
            let read_to_end = match exprs {
                [.., Expr::Call(read), Expr::Attribute(a)] => {
                    a.attr.as_str() == "read" && read.func.range() == a.range && read.arguments.is_empty()
                }
                _ => false,
            };
            data_url || read_to_end
        }
        // `Popen(args).communicate()`: drained and reaped where it stands.
        "subprocess.Popen" => match exprs {
            [.., Expr::Call(c), Expr::Attribute(a)] => {
                a.attr.as_str() == "communicate"
                    && c.func.range() == a.range
                    && c.arguments.find_keyword("timeout").is_none()
            }
            _ => false,
        },
        _ => false,
    }
}

/// A `SpooledTemporaryFile` that stays a buffer in memory (no descriptor): every later use is an attribute of it,
/// nothing forces a rollover (`fileno()`, `rollover()`, `truncate` beyond the limit), and with a `max_size` of `N`
/// the literal bytes written add up to at most `N` (with none, it rolls over only when forced).
pub(super) fn spooled_in_memory(cx: &Context, call: &ast::ExprCall, stmt: &Stmt, after: &[&Occ]) -> bool {
    let model = cx.semantic;
    let parent = model.stmt_id(stmt).and_then(|id| model.parent_stmt(id));
    let literal_int = |e: &Expr| match e {
        Expr::NumberLiteral(n) => n.value.as_int().and_then(ast::Int::as_u64),
        _ => None,
    };
    let limit = match call.arguments.find_argument_value("max_size", 0) {
        None => 0,
        Some(e) => match literal_int(e) {
            Some(n) => n,
            None => return false,
        },
    };
    let mut written = 0u64;
    for occ in after {
        // Rebound beside the open: what follows is another object.
        if occ.kind == OccKind::Store && occ.stmt.is_some_and(|id| model.parent_stmt(id) == parent) {
            break;
        }
        if occ.kind != OccKind::Load {
            return false;
        }
        let exprs = occ.exprs(cx);
        let n = exprs.len();
        let Some(Expr::Attribute(a)) = exprs.last() else { return false };
        let called = match n.checked_sub(2).map(|k| exprs[k]) {
            Some(Expr::Call(c)) if c.func.range() == a.range => Some(c),
            _ => None,
        };
        match (a.attr.as_str(), called) {
            ("fileno" | "rollover", _) => return false,
            ("truncate", Some(c)) => match c.arguments.args.first() {
                None => {}
                Some(size) if literal_int(size).is_some_and(|k| limit > 0 && k <= limit) => {}
                Some(_) => return false,
            },
            ("write", Some(c)) if limit > 0 => match c.arguments.args.first() {
                Some(Expr::BytesLiteral(b)) => written += b.value.bytes().count() as u64,
                Some(Expr::StringLiteral(t)) => written += t.value.to_str().len() as u64,
                _ => return false,
            },
            ("writelines", Some(_)) if limit > 0 => return false,
            _ => {}
        }
    }
    limit == 0 || written <= limit
}

/// `next` is `proc.communicate()` without a timeout (it drains the pipes and reaps the child), or `proc.wait()` for
/// a process started without `PIPE` streams.
pub(super) fn popen_finished(cx: &Context, call: &ast::ExprCall, next: &Stmt, name: &str) -> bool {
    let at_level = |method: &str| {
        statement_method_call(next, &[method])
            .is_some_and(|(r, c)| r == name && c.arguments.find_keyword("timeout").is_none())
    };
    let pipes = ["stdin", "stdout", "stderr"].iter().any(|k| {
        call.arguments.find_keyword(k).is_some_and(|kw| {
            cx.source.slice(kw.value.range()).ends_with("PIPE") || !matches!(kw.value, Expr::Attribute(_))
        })
    });
    at_level("communicate") || (!pipes && at_level("wait"))
}

/// Nothing can raise between the open and `name.close()`: the close is the next statement, or the open ends a
/// `try` body and the close is the first statement of its `else` or the statement after the `try`.
pub(super) fn closed_next(block: &[Stmt], i: usize, stack: &[Frame], name: &str) -> bool {
    let is_close = |s: &Stmt| {
        s.is_expr_stmt()
            && statement_method_call(s, &["close"]).is_some_and(|(r, c)| r == name && c.arguments.is_empty())
    };
    if let Some(next) = block.get(i + 1) {
        // `try: f.close() ...`: the close still runs first.
        return match next {
            Stmt::Try(t) => t.body.first().is_some_and(is_close),
            other => is_close(other),
        };
    }
    // The open is the last statement of its block: is that block a `try` body?
    let Some(frame) = stack.last() else { return false };
    let Stmt::Try(t) = frame.stmt() else { return false };
    if t.body.last().map(Ranged::range) != block.last().map(Ranged::range) || !t.finalbody.is_empty() {
        return false;
    }
    match t.orelse.first() {
        Some(first) => is_close(first),
        None => frame.block.get(frame.index + 1).is_some_and(is_close),
    }
}

/// Some statement of `block` calls `name.<one of methods>()` at its own level (`proc.wait()`,
/// `out, err = proc.communicate()`): the code does that on the normal path.
pub(super) fn calls_method(block: &[Stmt], name: &str, methods: &[&str]) -> bool {
    block.iter().any(|s| statement_method_call(s, methods).is_some_and(|(r, _)| r == name))
}

/// The statement is `x.method(...)` or `y = x.method(...)` for one of `methods`: `x` and the call.
pub(super) fn statement_method_call<'s>(stmt: &'s Stmt, methods: &[&str]) -> Option<(&'s str, &'s ast::ExprCall)> {
    let value = match stmt {
        Stmt::Expr(e) => e.value.as_ref(),
        Stmt::Assign(a) => a.value.as_ref(),
        _ => return None,
    };
    let Expr::Call(call) = value else { return None };
    let Expr::Attribute(a) = call.func.as_ref() else { return None };
    let Expr::Name(receiver) = a.value.as_ref() else { return None };
    methods.contains(&a.attr.as_str()).then_some((receiver.id.as_str(), call))
}
