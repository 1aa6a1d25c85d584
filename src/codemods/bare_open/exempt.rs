//! Opens that need no fix: an archive over a file object, objects that hold nothing where they stand, an in-memory
//! spool, a process drained at once, a close right after the open; and the reader of `x.method(...)` statements.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::analyze::calls::{argument_slot, parameter_for};
use crate::codemods::analyze::classes::callee_function;
use crate::codemods::analyze::params::ParamFacts;
use crate::codemods::Context;
use crate::semantic::BindingKind;

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

/// `"data:..."`, or `self.url` where every assignment of an attribute of that name in the module is such a string
/// (`self.text_url = "data:text/plain,..."` in `setUp`).
fn is_data_url(cx: &Context, e: &Expr) -> bool {
    let literal = |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str().starts_with("data:"));
    match e {
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {
            let mut stores = 0;
            for u in cx.attributes().uses(a.attr.as_str()) {
                match u.kind {
                    AttributeUseKind::Store { value: Some(v) } if literal(v) => stores += 1,
                    AttributeUseKind::Store { .. } | AttributeUseKind::AugStore | AttributeUseKind::Delete => {
                        return false
                    }
                    _ => {}
                }
            }
            stores > 0
        }
        e => literal(e),
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
            let data_url = first.is_some_and(|f| is_data_url(cx, f));
            let read_to_end = match exprs {
                [.., Expr::Call(read), Expr::Attribute(a)] => {
                    a.attr.as_str() == "read" && read.func.range() == a.range && read.arguments.is_empty()
                }
                _ => false,
            };
            data_url || read_to_end
        }
        // `Popen(args).communicate()`: drained and reaped where it stands; `Popen(args).wait()` without pipes:
        // reaped where it stands.
        "subprocess.Popen" => match exprs {
            [.., Expr::Call(c), Expr::Attribute(a)] => {
                c.func.range() == a.range
                    && c.arguments.find_keyword("timeout").is_none()
                    && (a.attr.as_str() == "communicate"
                        || (a.attr.as_str() == "wait" && popen_waited_inline(cx, call)))
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

/// The three standard streams of a `Popen` call that may be pipes it owns (`subprocess.PIPE`, a name that may hold
/// it, or positional or `**` arguments pyfix cannot read); a file, descriptor, `DEVNULL` or `STDOUT` is not.
pub(super) fn popen_pipes(cx: &Context, call: &ast::ExprCall) -> Vec<&'static str> {
    // Positional streams; `**kwargs` is left as it was found (callers pass `cwd=`, `env=`, rarely pipes).
    let unknown = call.arguments.args.len() > 3;
    ["stdin", "stdout", "stderr"]
        .into_iter()
        .filter(|k| unknown || call.arguments.find_keyword(k).is_some_and(|kw| may_be_pipe(cx, &kw.value, 0)))
        .collect()
}

/// `subprocess.PIPE`, `PIPE`, or a name pyfix cannot trace to something else (a parameter, several assignments).
fn may_be_pipe(cx: &Context, e: &Expr, depth: u8) -> bool {
    match e {
        Expr::Attribute(a) => a.attr.as_str() == "PIPE",
        Expr::Name(n) if n.id.as_str() == "PIPE" => true,
        Expr::Name(n) => {
            let model = cx.semantic;
            let Some(b) = model.resolve(n).map(|b| model.binding(b)) else { return true };
            match b.kind {
                // A parameter may be given anything, unless the function passes it to `os.*` as a descriptor
                // (`os.write(stdin_no, data)`: `PIPE` is -1, no descriptor).
                BindingKind::Parameter => !used_as_descriptor(cx, b.scope, n.id.as_str()),
                BindingKind::Assignment => match single_assignment(cx, n) {
                    Some(Stmt::Assign(a)) if depth < 4 => may_be_pipe(cx, &a.value, depth + 1),
                    Some(_) => true,
                    // Unpacked (`r, w = os.pipe()`) or bound more than once: descriptors, in practice.
                    None => false,
                },
                // A `with open(...) as out:` target, a loop variable, an import of `PIPE` is named `PIPE` above.
                _ => false,
            }
        }
        // A descriptor, `None`, a file (`open(...)`, `tf.fileno()`), an element of a list of descriptors.
        Expr::NoneLiteral(_) | Expr::NumberLiteral(_) | Expr::Call(_) | Expr::Subscript(_) => false,
        // `self.redirect and inout or None`, `PIPE if capture else None`: a pipe where one of its values may be
        // (`PIPE` is true, so an `and` gives it only as its last value).
        Expr::BoolOp(b) if depth < 4 => match b.op {
            ast::BoolOp::And => b.values.last().is_some_and(|v| may_be_pipe(cx, v, depth + 1)),
            ast::BoolOp::Or => b.values.iter().any(|v| may_be_pipe(cx, v, depth + 1)),
        },
        Expr::If(x) if depth < 4 => may_be_pipe(cx, &x.body, depth + 1) || may_be_pipe(cx, &x.orelse, depth + 1),
        _ => true,
    }
}

/// The function of `scope` passes `name` to a function of `os` (`os.write(fd, b)`, `os.lseek(fd, 0, 0)`): there it
/// is a descriptor number.
fn used_as_descriptor(cx: &Context, scope: crate::semantic::ScopeId, name: &str) -> bool {
    struct Finder<'c, 'a, 'n> {
        cx: &'c Context<'a>,
        name: &'n str,
        found: bool,
    }
    impl<'b> Visitor<'b> for Finder<'_, '_, '_> {
        fn visit_expr(&mut self, e: &'b Expr) {
            if let Expr::Call(c) = e {
                let passes = c.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == self.name));
                if passes && qualified_name(self.cx, &c.func).is_some_and(|q| q.starts_with("os.")) {
                    self.found = true;
                }
            }
            visitor::walk_expr(self, e);
        }
        fn visit_stmt(&mut self, s: &'b Stmt) {
            // A nested function's parameter of the same name is another variable.
            if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, s);
            }
        }
    }
    let Some(f) = cx.semantic.scope(scope).function() else { return false };
    let mut finder = Finder { cx, name, found: false };
    finder.visit_body(&f.body);
    finder.found
}

/// `Popen(...).wait()` for a process started without pipes: reaped where it stands.
pub(super) fn popen_waited_inline(cx: &Context, call: &ast::ExprCall) -> bool {
    popen_pipes(cx, call).is_empty()
}

/// Every normal path from the open (`block[i]`) reaches `name.communicate()` without a timeout (it drains and closes
/// the pipes and reaps the child), or `name.wait()` after every pipe the process has was closed
/// (`name.stdout.close()`, `self.addCleanup(name.stdout.close)`): `Popen.__exit__` would have nothing left to do
/// on those paths. A path that leaves first (`return`, `raise`, `break`, `continue`) does not reach.
/// A pipe closed through another name bound to it in the same block counts (`f = p.stdout`, `stdin =
/// cast(TextIO, p.stdin)`, then `f.close()`, `self.addCleanup(f.close)`), while that name is bound once.
pub(super) fn popen_finished(cx: &Context, call: &ast::ExprCall, block: &[Stmt], i: usize, name: &str) -> bool {
    let pipes = popen_pipes(cx, call);
    let mut closed: Vec<&str> = Vec::new();
    let aliases = pipe_aliases(cx, &block[i + 1..], name);
    reaches_finish(&block[i + 1..], name, &["communicate", "wait"], &pipes, &aliases, &mut closed)
        || helper_reaps(cx, &block[i + 1..], name, &pipes)
}

/// Among `stmts` (their own level, before anything that leaves or rebinds `name`), a call hands the process to a
/// function of this module or of another module of the project that waits for it, after closing each of `pipes` (or
/// through `communicate()`), and keeps it nowhere: `data = kill_python(p)`.
fn helper_reaps(cx: &Context, stmts: &[Stmt], name: &str, pipes: &[&str]) -> bool {
    for s in stmts {
        if binds(s, name) {
            return false;
        }
        let value = match s {
            Stmt::Expr(e) => Some(e.value.as_ref()),
            Stmt::Assign(a) => Some(a.value.as_ref()),
            Stmt::Return(r) => r.value.as_deref(),
            _ => None,
        };
        if let Some(Expr::Call(call)) = value {
            let arg = call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
                .find(|a| matches!(a, Expr::Name(n) if n.id.as_str() == name));
            if let Some(arg) = arg {
                let facts = match call.func.as_ref() {
                    Expr::Name(f) => super::callees::function_bound_once(cx, f).and_then(|def| {
                        let (position, keyword) = argument_slot(call, arg.range())?;
                        Some(ParamFacts::of(def, parameter_for(def, position, keyword)?))
                    }),
                    _ => None,
                }
                .or_else(|| callee_function(cx, call, arg.range()).map(|f| f.facts));
                let reaped = facts.as_ref().is_some_and(|f| {
                    f.stored.is_none()
                        && !f.returned
                        && f.forwarded.is_empty()
                        && !f.unknown
                        && f.reaps
                            .as_ref()
                            .is_some_and(|r| r.communicates || pipes.iter().all(|p| r.pipes.iter().any(|q| q == p)))
                });
                return reaped;
            }
        }
        if leaves(s, false) {
            return false;
        }
    }
    false
}

/// `x = name.<pipe>` or `x = cast(T, name.<pipe>)` among `stmts` (their own level), `x` bound nowhere else in them:
/// (`x`, the pipe).
fn pipe_aliases<'a>(cx: &Context, stmts: &'a [Stmt], name: &str) -> Vec<(&'a str, &'a str)> {
    let pipe_of = |e: &'a Expr| match e {
        Expr::Attribute(a)
            if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
                && matches!(a.attr.as_str(), "stdin" | "stdout" | "stderr") =>
        {
            Some(a.attr.as_str())
        }
        _ => None,
    };
    let mut out = Vec::new();
    for s in stmts {
        let Stmt::Assign(a) = s else { continue };
        let [Expr::Name(x)] = a.targets.as_slice() else { continue };
        let pipe = match a.value.as_ref() {
            Expr::Call(c) if qualified_name(cx, &c.func).as_deref() == Some("typing.cast") => {
                c.arguments.args.get(1).and_then(pipe_of)
            }
            v => pipe_of(v),
        };
        let Some(pipe) = pipe else { continue };
        let alias = x.id.as_str();
        if stmts.iter().filter(|s| binds(s, alias)).count() == 1 {
            out.push((alias, pipe));
        }
    }
    out
}

/// Every normal path from the open (`block[i]`) reaches `name.<one of methods>()` (not with `wait=False` or a
/// timeout): `executor.shutdown()`, `pool.join()`. The code finishes the object itself; its `__exit__` would do the
/// same (or, for a pool, terminate what the code lets finish).
pub(super) fn finished_on_every_path(block: &[Stmt], i: usize, name: &str, methods: &[&str]) -> bool {
    reaches_finish(&block[i + 1..], name, methods, &[], &[], &mut Vec::new())
}

fn reaches_finish<'a>(
    stmts: &'a [Stmt],
    name: &str,
    methods: &[&str],
    pipes: &[&str],
    aliases: &[(&'a str, &'a str)],
    closed: &mut Vec<&'a str>,
) -> bool {
    for s in stmts {
        // Rebound: what follows is another process.
        if binds(s, name) {
            return false;
        }
        note_closed_pipes_via(s, name, aliases, closed);
        if finishes(s, name, methods, pipes, closed) {
            return true;
        }
        // `if not proc: return None`: the object just made is true (and not `None`); that branch never runs.
        if never_runs(s, name) {
            continue;
        }
        match s {
            // `while True:` left only by `break`/`return`, each right after a finishing call in its block
            // (`proc.communicate(timeout=0.1); return` retried until it succeeds).
            Stmt::While(w)
                if matches!(w.test.as_ref(), Expr::BooleanLiteral(b) if b.value)
                    && w.orelse.is_empty()
                    && loop_exits_finished(&w.body, name, methods, pipes, closed) =>
            {
                return true;
            }
            // `while p.poll() is None: time.sleep(0.01)`: left normally only once `poll()` reaped the child
            // (a `raise` in it is an exceptional path; a `break` or `return` would leave it running).
            Stmt::While(w)
                if methods.contains(&"wait")
                    && w.orelse.is_empty()
                    && polls_until_reaped(&w.test, name)
                    && !w.body.iter().any(leaves_early)
                    && pipes.iter().all(|p| closed.contains(p)) =>
            {
                return true;
            }
            Stmt::If(x) if x.elif_else_clauses.last().is_some_and(|c| c.test.is_none()) => {
                let mut each = std::iter::once(&x.body).chain(x.elif_else_clauses.iter().map(|c| &c.body));
                if each.all(|b| reaches_finish(b, name, methods, pipes, aliases, &mut closed.clone())) {
                    return true;
                }
            }
            // `finally: p.wait()`: runs on every path.
            Stmt::Try(t) if reaches_finish(&t.finalbody, name, methods, pipes, aliases, &mut closed.clone()) => {
                return true;
            }
            Stmt::Try(t) if t.finalbody.is_empty() && t.orelse.is_empty() => {
                let handled = t.handlers.iter().all(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    reaches_finish(&h.body, name, methods, pipes, aliases, &mut closed.clone())
                        || h.body.last().is_some_and(Stmt::is_raise_stmt)
                });
                if handled && reaches_finish(&t.body, name, methods, pipes, aliases, &mut closed.clone()) {
                    return true;
                }
            }
            _ => {}
        }
        if leaves(s, false) {
            return false;
        }
    }
    false
}

/// `name.poll() is None`.
fn polls_until_reaped(test: &Expr, name: &str) -> bool {
    let Expr::Compare(c) = test else { return false };
    matches!(c.ops.as_ref(), [ast::CmpOp::Is])
        && matches!(c.comparators.as_ref(), [Expr::NoneLiteral(_)])
        && matches!(c.left.as_ref(), Expr::Call(call) if call.arguments.is_empty()
            && matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "poll"
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)))
}

/// A `break` or `return` anywhere in `s` (nested loops' `break`s too, to stay simple; not in nested definitions).
fn leaves_early(s: &Stmt) -> bool {
    match s {
        Stmt::Break(_) | Stmt::Return(_) => true,
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => false,
        Stmt::If(x) => x.body.iter().chain(x.elif_else_clauses.iter().flat_map(|c| &c.body)).any(leaves_early),
        Stmt::For(f) => f.body.iter().chain(&f.orelse).any(leaves_early),
        Stmt::While(w) => w.body.iter().chain(&w.orelse).any(leaves_early),
        Stmt::With(w) => w.body.iter().any(leaves_early),
        Stmt::Try(t) => t
            .body
            .iter()
            .chain(t.handlers.iter().flat_map(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                &h.body
            }))
            .chain(&t.orelse)
            .chain(&t.finalbody)
            .any(leaves_early),
        Stmt::Match(m) => m.cases.iter().flat_map(|c| &c.body).any(leaves_early),
        _ => false,
    }
}

/// `if not name:` or `if name is None:` without `elif`/`else`, right on an object the code just made (a `Popen`,
/// a pool, an executor: none defines `__bool__` or `__len__`, and a constructor returns its object or raises).
fn never_runs(s: &Stmt, name: &str) -> bool {
    let Stmt::If(x) = s else { return false };
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    x.elif_else_clauses.is_empty()
        && match x.test.as_ref() {
            Expr::UnaryOp(u) => u.op == ast::UnaryOp::Not && is_name(&u.operand),
            Expr::Compare(c) => {
                is_name(&c.left)
                    && matches!(c.ops.as_ref(), [ast::CmpOp::Is])
                    && matches!(c.comparators.as_ref(), [Expr::NoneLiteral(_)])
            }
            _ => false,
        }
}

/// The statement calls `name.<one of methods>()` (not with `wait=False`) where it stands; a timeout only adds an
/// exceptional path. `wait()` leaves the pipes open: it finishes only once each was closed.
fn finishes(s: &Stmt, name: &str, methods: &[&str], pipes: &[&str], closed: &[&str]) -> bool {
    let value = match s {
        Stmt::Expr(e) => e.value.as_ref(),
        Stmt::Assign(a) => a.value.as_ref(),
        _ => return false,
    };
    let pipes_closed = pipes.iter().all(|p| closed.contains(p));
    methods.iter().any(|method| {
        (*method != "wait" || pipes_closed)
            && evaluates(value, &|c: &ast::ExprCall| {
                matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == *method
                    && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name))
                    && !c
                        .arguments
                        .find_keyword("wait")
                        .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if !b.value))
            })
    })
}

/// Every `break` and `return` of a loop body (outside nested loops and definitions) follows, in its own block, a
/// statement that finishes the object; and there is at least one.
fn loop_exits_finished(body: &[Stmt], name: &str, methods: &[&str], pipes: &[&str], closed: &[&str]) -> bool {
    // `before`: a statement on the way into this block finished it (`try: p.wait()` `except ...: pass`
    // `else: break`: the `else` runs only after the whole body did).
    fn walk(block: &[Stmt], before: bool, ok: &mut bool, exits: &mut usize, done: &dyn Fn(&Stmt) -> bool) {
        for (k, s) in block.iter().enumerate() {
            let here = before || block[..k].iter().any(done);
            match s {
                Stmt::Break(_) | Stmt::Return(_) => {
                    *exits += 1;
                    *ok &= here;
                }
                Stmt::If(x) => {
                    walk(&x.body, here, ok, exits, done);
                    x.elif_else_clauses.iter().for_each(|c| walk(&c.body, here, ok, exits, done));
                }
                Stmt::Try(t) => {
                    walk(&t.body, here, ok, exits, done);
                    for h in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        walk(&h.body, here, ok, exits, done);
                    }
                    walk(&t.orelse, here || t.body.iter().any(done), ok, exits, done);
                    walk(&t.finalbody, here, ok, exits, done);
                }
                Stmt::With(w) => walk(&w.body, here, ok, exits, done),
                Stmt::Match(m) => m.cases.iter().for_each(|c| walk(&c.body, here, ok, exits, done)),
                // A nested loop's `break` leaves only that loop; its `return` leaves everything.
                Stmt::For(_) | Stmt::While(_) => *ok &= !leaves(s, true),
                _ => {}
            }
        }
    }
    let (mut ok, mut exits) = (true, 0);
    walk(body, false, &mut ok, &mut exits, &|s: &Stmt| finishes(s, name, methods, pipes, closed));
    ok && exits > 0
}

/// `e` always evaluates a call for which `pred` holds: the call itself, or one it is part of without a condition
/// (`p.communicate()[0].strip()`, `self.assertEqual(p.wait(), 0)`).
fn evaluates(e: &Expr, pred: &dyn Fn(&ast::ExprCall) -> bool) -> bool {
    match e {
        Expr::Call(c) => {
            pred(c)
                || evaluates(&c.func, pred)
                || c.arguments.args.iter().any(|a| evaluates(a, pred))
                || c.arguments.keywords.iter().any(|k| evaluates(&k.value, pred))
        }
        Expr::Attribute(a) => evaluates(&a.value, pred),
        Expr::Subscript(x) => evaluates(&x.value, pred) || evaluates(&x.slice, pred),
        Expr::Tuple(t) => t.elts.iter().any(|e| evaluates(e, pred)),
        Expr::List(l) => l.elts.iter().any(|e| evaluates(e, pred)),
        Expr::Starred(x) => evaluates(&x.value, pred),
        Expr::Await(x) => evaluates(&x.value, pred),
        _ => false,
    }
}

/// The statement, or one nested in it, binds `name` (assigns it, loops over it, `with ... as name`, `del name`).
fn binds(s: &Stmt, name: &str) -> bool {
    struct Binds<'n>(&'n str, bool);
    impl<'a> Visitor<'a> for Binds<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Name(n) = e {
                if n.id.as_str() == self.0 && !n.ctx.is_load() {
                    self.1 = true;
                }
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut b = Binds(name, false);
    b.visit_stmt(s);
    b.1
}

/// `return f`, `return (f, n)`, or an object built on it by a class (by the naming convention), which goes to the
/// caller with it: `return _wrap_close(proc.stdout, proc)`, `return DOMEventStream(stream, parser)`.
fn returns_object(v: &Expr, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    let built_on = |c: &ast::ExprCall| {
        is_class_call(c) && c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value)).any(is_name)
    };
    is_name(v) || matches!(v, Expr::Call(c) if built_on(c)) || matches!(v, Expr::Tuple(t) if t.elts.iter().any(is_name))
}

/// A call of a class by the naming convention (`TextIOWrapper(...)`, `io.BufferedReader(...)`).
fn is_class_call(c: &ast::ExprCall) -> bool {
    let callee = match c.func.as_ref() {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    super::callees::unknown_is_constructor(callee)
}

/// Every binding of `name` in `s` (an `if` around it included) wraps the object it held in a class built on it
/// (`stream = io.TextIOWrapper(stream, ...)`): the name still leads to the object, through a wrapper that closes
/// it when closed.
fn rewraps(s: &Stmt, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match s {
        Stmt::Assign(a) => {
            matches!(a.targets.as_slice(), [t] if is_name(t))
                && matches!(a.value.as_ref(), Expr::Call(c)
                    if is_class_call(c) && c.arguments.args.first().is_some_and(is_name))
        }
        Stmt::If(i) => i
            .body
            .iter()
            .chain(i.elif_else_clauses.iter().flat_map(|c| c.body.iter()))
            .all(|s| !binds(s, name) || rewraps(s, name)),
        _ => false,
    }
}

/// The pipes the statements after the open (`block[i]`) close at their own level, in a `try`'s first statement or
/// its `finally:`, also through names bound to them (for a finding's message).
pub(super) fn closed_pipes<'a>(cx: &Context, block: &'a [Stmt], i: usize, name: &str) -> Vec<&'a str> {
    let aliases = pipe_aliases(cx, &block[i + 1..], name);
    let mut closed = Vec::new();
    for s in &block[i + 1..] {
        note_closed_pipes_via(s, name, &aliases, &mut closed);
        if let Stmt::Try(t) = s {
            t.finalbody.iter().for_each(|f| note_closed_pipes_via(f, name, &aliases, &mut closed));
        }
    }
    closed
}

/// The pipes of `name` that the statement closes: `name.stdout.close()`, `name.stdout.close` handed over as an
/// argument (`addCleanup`), the same through a name in `aliases` (`f.close()` where `f = p.stdout`), `with
/// name.stdin as pipe:`, each alone or first in a `try` (`try: stdin.close()` `except BrokenPipeError: pass`: the
/// pipe is closed even when its flush raises).
fn note_closed_pipes_via<'a>(s: &'a Stmt, name: &str, aliases: &[(&'a str, &'a str)], closed: &mut Vec<&'a str>) {
    let stream = |e: &'a Expr| match e {
        Expr::Attribute(close) if close.attr.as_str() == "close" => match close.value.as_ref() {
            Expr::Attribute(st) if matches!(st.value.as_ref(), Expr::Name(n) if n.id.as_str() == name) => {
                Some(st.attr.as_str())
            }
            Expr::Name(n) => aliases.iter().find(|(a, _)| *a == n.id.as_str()).map(|(_, p)| *p),
            _ => None,
        },
        _ => None,
    };
    if let Stmt::Try(t) = s {
        if let Some(first @ Stmt::Expr(_)) = t.body.first() {
            note_closed_pipes_via(first, name, aliases, closed);
        }
    }
    // `with proc.stdin as pipe:` closes the pipe when its block ends, on every path; also as the first statement
    // of a `try` (`try: with proc.stdin as pipe: ...` `except OSError: pass`).
    let managed = |s: &'a Stmt| match s {
        Stmt::With(w) => w
            .items
            .iter()
            .filter_map(|i| match &i.context_expr {
                Expr::Attribute(st) if matches!(st.value.as_ref(), Expr::Name(n) if n.id.as_str() == name) => {
                    Some(st.attr.as_str())
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    match s {
        Stmt::With(_) => closed.extend(managed(s)),
        Stmt::Try(t) => closed.extend(t.body.first().map(managed).unwrap_or_default()),
        _ => {}
    }
    let Stmt::Expr(e) = s else { return };
    let Expr::Call(c) = e.value.as_ref() else { return };
    if c.arguments.is_empty() {
        closed.extend(stream(&c.func));
    }
    closed.extend(c.arguments.args.iter().filter_map(stream));
}

/// The statement, or one nested in it (not in a nested function, class or loop for `break`/`continue`), leaves the
/// block it stands in: `return`, `raise`, or `break`/`continue` outside a loop of its own.
fn leaves(s: &Stmt, in_loop: bool) -> bool {
    let all = |b: &[Stmt], l: bool| b.iter().any(|s| leaves(s, l));
    match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Break(_) | Stmt::Continue(_) => !in_loop,
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => false,
        Stmt::For(x) => all(&x.body, true) || all(&x.orelse, in_loop),
        Stmt::While(x) => all(&x.body, true) || all(&x.orelse, in_loop),
        Stmt::If(x) => all(&x.body, in_loop) || x.elif_else_clauses.iter().any(|c| all(&c.body, in_loop)),
        Stmt::With(x) => all(&x.body, in_loop),
        Stmt::Try(x) => {
            all(&x.body, in_loop)
                || x.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    all(&h.body, in_loop)
                })
                || all(&x.orelse, in_loop)
                || all(&x.finalbody, in_loop)
        }
        Stmt::Match(x) => x.cases.iter().any(|c| all(&c.body, in_loop)),
        _ => false,
    }
}

/// Methods that take no argument and cannot raise on an object just opened (they read what it holds): a descriptor
/// number, a DB-API cursor, a socket's address, timeout or mode, a response's URL.
const NO_RAISE_ACCESSORS: &[&str] = &["fileno", "cursor", "getsockname", "gettimeout", "getblocking", "geturl"];

/// A statement that cannot raise in ordinary use and does not touch the handle `name` beyond reading its attributes:
/// `pass`, a docstring or other constant, `global`/`nonlocal`, an assignment to plain names (not `name`) of a value
/// made only of names, constants, attribute reads (`path = tmp.name`) and tuples or lists of those, or of a
/// no-argument accessor of the object (`fd = sock.fileno()`, `cur = con.cursor()`: `NO_RAISE_ACCESSORS`), and registering
/// a cleanup (`self.addCleanup(os.unlink, tmp.name)`) with such arguments. Attribute reads and `addCleanup` can
/// raise only on misuse (a missing attribute), which is not an ordinary path. Also a `try` that swallows every
/// error its body raises (`try: m.resize(0)` `except: pass`: one handler catches everything and every handler only
/// `pass`es) and whose body neither leaves nor rebinds `name`.
pub(super) fn cannot_raise(stmt: &Stmt, name: &str) -> bool {
    fn plain(e: &Expr) -> bool {
        match e {
            Expr::Name(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => true,
            Expr::Attribute(a) => plain(&a.value),
            Expr::Tuple(t) => t.elts.iter().all(plain),
            Expr::List(l) => l.elts.iter().all(plain),
            _ => false,
        }
    }
    let target = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() != name);
    // `cur = con.cursor()`, `fd = sock.fileno()`: a no-argument accessor on the fresh object itself.
    let accessor = |e: &Expr| {
        matches!(e, Expr::Call(c) if c.arguments.is_empty()
            && matches!(c.func.as_ref(), Expr::Attribute(a) if NO_RAISE_ACCESSORS.contains(&a.attr.as_str())
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)))
    };
    match stmt {
        Stmt::Pass(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => true,
        Stmt::Assign(a) => match (a.targets.as_slice(), a.value.as_ref()) {
            // `family, kind = s.family, s.type`: unpacks a display of the same length.
            ([Expr::Tuple(t)], Expr::Tuple(v)) => {
                t.elts.len() == v.elts.len() && t.elts.iter().all(target) && v.elts.iter().all(plain)
            }
            (targets, value) => targets.iter().all(target) && (plain(value) || accessor(value)),
        },
        Stmt::AnnAssign(a) => target(&a.target) && a.value.as_deref().is_none_or(plain),
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Call(c) => match c.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "addCleanup" => {
                    c.arguments.args.iter().all(plain)
                        && c.arguments.keywords.iter().all(|k| k.arg.is_some() && plain(&k.value))
                }
                _ => false,
            },
            v => plain(v) && !matches!(v, Expr::Name(_) | Expr::Attribute(_)),
        },
        Stmt::Try(t) => {
            t.orelse.is_empty()
                && t.finalbody.is_empty()
                && !t.is_star
                && t.handlers.iter().all(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    h.name.is_none() && h.body.iter().all(|s| matches!(s, Stmt::Pass(_)))
                })
                && t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    match h.type_.as_deref() {
                        None => true,
                        Some(Expr::Name(n)) => matches!(n.id.as_str(), "Exception" | "BaseException"),
                        _ => false,
                    }
                })
                && keeps_going(&t.body, name)
        }
        _ => false,
    }
}

/// Nothing in `body` leaves it (`leaves`), binds or deletes `name` (`binds`), suspends (`yield`, `await`, `async
/// with`/`async for`: a cancellation there skips what follows) or defines, imports or declares a name (which may be
/// `name`).
fn keeps_going(body: &[Stmt], name: &str) -> bool {
    struct Suspends(bool);
    impl<'a> Visitor<'a> for Suspends {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_) => self.0 = true,
                Stmt::Global(_) | Stmt::Nonlocal(_) => self.0 = true,
                Stmt::With(w) if w.is_async => self.0 = true,
                Stmt::For(f) if f.is_async => self.0 = true,
                _ => visitor::walk_stmt(self, s),
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => self.0 = true,
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut suspends = Suspends(false);
    suspends.visit_body(body);
    !suspends.0 && body.iter().all(|s| !leaves(s, false) && !binds(s, name))
}

/// Nothing can raise between the open and `name.close()`: the close comes next, after statements that cannot raise
/// in ordinary use (`cannot_raise`), or the open ends a `try` body (such statements aside) and the close is the
/// first statement of its `else` or the statement after the `try`.
pub(super) fn closed_next(
    block: &[Stmt],
    i: usize,
    stack: &[Frame],
    name: &str,
    helper_closes: impl Fn(&Stmt) -> bool,
) -> bool {
    // `del o` drops the only reference: reference counting releases the object there, as a close would.
    let is_close = |s: &Stmt| {
        (s.is_expr_stmt()
            && statement_method_call(s, &["close"]).is_some_and(|(r, c)| r == name && c.arguments.is_empty()))
            || matches!(s, Stmt::Delete(d) if matches!(d.targets.as_slice(), [Expr::Name(n)] if n.id.as_str() == name))
            || helper_closes(s)
    };
    // A `try` that swallows every error is skipped, unless it is the close itself (`try: f.close()`).
    let skip = |stmts: &[Stmt]| {
        stmts
            .iter()
            .position(|s| !cannot_raise(s, name) || matches!(s, Stmt::Try(t) if t.body.first().is_some_and(is_close)))
    };
    if let Some(k) = skip(&block[i + 1..]) {
        // `try: f.close() ...`: the close still runs first.
        return match &block[i + 1 + k] {
            Stmt::Try(t) => t.body.first().is_some_and(is_close),
            other => is_close(other),
        };
    }
    // Nothing but such statements follows the open in its block: is that block a `try` body?
    let Some(frame) = stack.last() else { return false };
    let Stmt::Try(t) = frame.stmt() else { return false };
    if t.body.last().map(Ranged::range) != block.last().map(Ranged::range) || !t.finalbody.is_empty() {
        return false;
    }
    let closes_first = |stmts: &[Stmt]| skip(stmts).is_some_and(|k| is_close(&stmts[k]));
    if t.orelse.is_empty() {
        closes_first(&frame.block[frame.index + 1..])
    } else {
        closes_first(&t.orelse)
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

/// The function hands the object to its caller: every normal path from the open reaches `return name` (or a
/// `return` of a tuple holding it, or of a class's object built on it: `return Wrapper(f)`), through the statements after the open in its block and, falling off the end of
/// an `if`, `with` or `try` (without `else`/`finally`), the statements after that. A path that leaves otherwise
/// (`return None`, `raise`, `break`, `continue` before the hand-over), a rebinding of the name, or a loop around the
/// open (its end goes back to the loop) is a path on which the object is neither handed over nor closed. An
/// exception raised by a call in between is not counted: the caller-owns idiom (`f = open(p); f.seek(n); return f`)
/// accepts it, and so do other linters.
pub(super) fn returned_to_caller(block: &[Stmt], i: usize, stack: &[Frame], name: &str) -> bool {
    let mut stmts = &block[i + 1..];
    let mut frames = stack.iter().rev();
    loop {
        for s in stmts {
            if let Stmt::Return(r) = s {
                return r.value.as_deref().is_some_and(|v| returns_object(v, name));
            }
            if (binds(s, name) && !rewraps(s, name)) || leaves(s, false) {
                return false;
            }
        }
        let Some(frame) = frames.next() else { return false };
        match frame.stmt() {
            Stmt::If(_) | Stmt::With(_) => {}
            Stmt::Try(t) if t.orelse.is_empty() && t.finalbody.is_empty() => {}
            _ => return false,
        }
        stmts = &frame.block[frame.index + 1..];
    }
}

/// Where a path through some statements ends up for an object just opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PathEnd {
    /// Every path through them hands it over, closes it or raises.
    Settled,
    /// Some path goes on after them.
    Open,
    /// Some path leaves it behind: `return` of something else, a rebinding.
    Left,
}

/// Every path from the open at `block[i]` hands `name` over (a statement holding one of `handed`, the ranges of its
/// hand-overs: `return f`, `loop.connect_read_pipe(p, f)`, `self.f = f`; or a `return` of it, a tuple holding it,
/// or a class's object built on it), closes it (`name.close()`), or, where `raise_settles`, raises: the object is
/// someone else's, or the path is not ordinary use (a process whose pipes a `raise` leaves open does not count it). A path that returns something else, rebinds the name, goes back to a loop around the
/// open or falls off the function's end leaves it open.
pub(super) fn handed_on_every_path(
    block: &[Stmt],
    i: usize,
    stack: &[Frame],
    name: &str,
    handed: &[ruff_text_size::TextRange],
    raise_settles: bool,
) -> bool {
    let walk = Walk { name, handed, raise_settles };
    match walk.end(&block[i + 1..]) {
        PathEnd::Settled => return true,
        PathEnd::Left => return false,
        PathEnd::Open => {}
    }
    let mut inner = block;
    for frame in stack.iter().rev() {
        match frame.stmt() {
            // Opened in a `try` body: its `else:` runs next.
            Stmt::Try(t) if std::ptr::eq(inner, t.body.as_slice()) => match walk.end(&t.orelse) {
                PathEnd::Settled => return true,
                PathEnd::Left => return false,
                PathEnd::Open => {}
            },
            Stmt::If(_) | Stmt::With(_) | Stmt::Try(_) | Stmt::Match(_) => {}
            _ => return false,
        }
        inner = frame.block;
        match walk.end(&frame.block[frame.index + 1..]) {
            PathEnd::Settled => return true,
            PathEnd::Left => return false,
            PathEnd::Open => {}
        }
    }
    false
}

struct Walk<'w> {
    name: &'w str,
    handed: &'w [ruff_text_size::TextRange],
    raise_settles: bool,
}

impl Walk<'_> {
    fn end(&self, stmts: &[Stmt]) -> PathEnd {
        path_end(stmts, self.name, self.handed, self.raise_settles)
    }
}

fn path_end(stmts: &[Stmt], name: &str, handed: &[ruff_text_size::TextRange], raise_settles: bool) -> PathEnd {
    // The paths through several branches (`None`: no branch given for the implicit fall-through).
    let branches = |bodies: &mut dyn Iterator<Item = &[Stmt]>, exhaustive: bool| {
        let mut all_settled = exhaustive;
        for b in bodies {
            match path_end(b, name, handed, raise_settles) {
                PathEnd::Left => return PathEnd::Left,
                PathEnd::Open => all_settled = false,
                PathEnd::Settled => {}
            }
        }
        if all_settled {
            PathEnd::Settled
        } else {
            PathEnd::Open
        }
    };
    for s in stmts {
        let end = match s {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => continue,
            Stmt::Return(r) => {
                let hands = r.value.as_deref().is_some_and(|v| returns_object(v, name));
                if hands || handed.iter().any(|h| s.range().contains_range(*h)) {
                    PathEnd::Settled
                } else {
                    PathEnd::Left
                }
            }
            Stmt::Raise(_) if raise_settles => PathEnd::Settled,
            Stmt::Raise(_) => PathEnd::Left,
            // The loop's next statement or its end: the path goes on after the loop, which the caller walks.
            Stmt::Break(_) | Stmt::Continue(_) => return PathEnd::Open,
            Stmt::If(x) => {
                let exhaustive = x.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
                branches(
                    &mut std::iter::once(x.body.as_slice())
                        .chain(x.elif_else_clauses.iter().map(|c| c.body.as_slice())),
                    exhaustive,
                )
            }
            Stmt::With(x) => path_end(&x.body, name, handed, raise_settles),
            Stmt::For(x) => match branches(&mut [x.body.as_slice(), x.orelse.as_slice()].into_iter(), false) {
                PathEnd::Left => PathEnd::Left,
                _ => PathEnd::Open,
            },
            Stmt::While(x) => match branches(&mut [x.body.as_slice(), x.orelse.as_slice()].into_iter(), false) {
                PathEnd::Left => PathEnd::Left,
                _ => PathEnd::Open,
            },
            Stmt::Try(x) => {
                if path_end(&x.finalbody, name, handed, raise_settles) == PathEnd::Settled {
                    PathEnd::Settled
                } else {
                    let first = match path_end(&x.body, name, handed, raise_settles) {
                        PathEnd::Open => path_end(&x.orelse, name, handed, raise_settles),
                        end => end,
                    };
                    let handlers = x.handlers.iter().map(|h| {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        h.body.as_slice()
                    });
                    match (first, branches(&mut handlers.into_iter(), true)) {
                        (PathEnd::Left, _) | (_, PathEnd::Left) => PathEnd::Left,
                        (PathEnd::Settled, PathEnd::Settled) => PathEnd::Settled,
                        _ => PathEnd::Open,
                    }
                }
            }
            Stmt::Match(x) => branches(&mut x.cases.iter().map(|c| c.body.as_slice()), false),
            _ if statement_method_call(s, &["close"]).is_some_and(|(r, _)| r == name) => PathEnd::Settled,
            _ if handed.iter().any(|h| s.range().contains_range(*h)) => PathEnd::Settled,
            _ if binds(s, name) => PathEnd::Left,
            _ => PathEnd::Open,
        };
        if end != PathEnd::Open {
            return end;
        }
    }
    PathEnd::Open
}
