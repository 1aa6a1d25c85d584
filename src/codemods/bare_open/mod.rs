//! `bare-open`: a file opened without `with` and never reliably closed.
//! Finds `open()`, `io.open()`, `codecs.open()` and `<Path>.open()` whose handle is not managed, and wraps the code
//! that uses it in a `with` block. What users read (examples, fix safety, known misses) is in codemods/bare_open/README.md.

mod blocks;
mod callees;
mod entered;
mod exempt;
mod flow;
mod inline;
mod plan;
mod quiet;
mod resources;
mod scopes;
mod with_block;

use std::cell::OnceCell;
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::Applicability;
use crate::semantic::{ScopeKind, Semantic};

use crate::codemods::analyze::classes::assertion_reads_only;
use crate::codemods::analyze::classes::Closes;
use crate::codemods::analyze::owners::{ancestors, attribute_closed, AttributeClosed, OwnerClass, CLOSE_NOTHING_BASES};
use blocks::{open_calls, scopes_that_may_open, Frame, Site};
use callees::{class_takes_over, closing_callee, closing_thread, stored_by_own_method, unknown_is_constructor};
use exempt::{
    calls_method, closed_next, finished_on_every_path, holds_nothing, popen_finished, spooled_in_memory,
    wraps_file_object,
};
use flow::{commits_only, deferred, entered, flow, handed_to_caller, Flow, Owner};
use inline::{inline_fix, with_head, SCRIPT_END};
use plan::{after_join, is_close_call, plan, Follow, STRICT_RESULTS};
use resources::{Exit, Resource, FILE_NAMES, LAZY_RESOURCES, NAME};
use scopes::{in_except, in_finally, ClassCloses, Occ, OccKind, Scope};
use with_block::{marked_managed, with_block, Header};

pub struct BareOpen;

impl Codemod for BareOpen {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a file, socket, connection, archive or process opened without `with` and never reliably closed -> a `with` block (or `closing`, `async with`) [fix: safe; unsafe when the object is passed to unknown code]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../../codemods/bare_open/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        if cx.is_stub {
            return out;
        }
        // A module where no call may open anything (most) has nothing to walk: every scope's statements are
        // skipped (`check_statement`), so neither its classes' facts nor the walk itself are needed.
        let opens = scopes_that_may_open(cx);
        if !opens.contains(&true) {
            return out;
        }
        // Found on first use: most files open nothing.
        let quiet = Rc::new(OnceCell::new());
        let scope = Scope {
            id: Semantic::MODULE,
            kind: ScopeKind::Module,
            body: &cx.module.body,
            class_closes: None,
            quiet,
            may_open: opens[Semantic::MODULE.index()],
        };
        check_scope(cx, &scope, &opens, &mut out);
        refuse_crossing_blocks(cx, &mut out);
        out
    }
}

/// Two `with` blocks can nest or follow each other, never cross: when the block a fix writes starts inside an
/// earlier fix's block and ends after it, the run applies the earlier one first and this one can no longer be
/// written (its handle is then opened inside the other's block and used after it). Such a finding is reported
/// without a fix, so that `--check` says what the run does. An earlier fix counts when it applies whenever this one
/// would (safe, or both unsafe).
fn refuse_crossing_blocks(cx: &Context, out: &mut [Finding]) {
    // The whole lines a fix rewrites, from its statement's line on (an added import at the top is left out): an
    // insertion at a line's start (re-indenting it) and a deletion up to the next line's start both count as
    // that line.
    let span = |f: &Finding| {
        let fix = f.fix.as_ref()?;
        let from = cx.source.line_start(f.range.start());
        let last_byte = |e: &crate::edit::Edit| {
            if e.range.is_empty() {
                e.range.start()
            } else {
                e.range.end() - ruff_text_size::TextSize::from(1)
            }
        };
        let mut edits = fix.edits().iter().filter(|e| e.range.end() >= from);
        let first = edits.next()?;
        let start = cx.source.line_start(first.range.start().min(from));
        let end = edits.fold(last_byte(first), |end, e| end.max(last_byte(e)));
        Some(TextRange::new(start, cx.source.line_end(end).max(start)))
    };
    // Earlier blocks that may still contain a later start (findings come sorted by offset).
    let mut open_spans: Vec<(TextRange, Applicability, TextRange)> = Vec::new();
    for f in out.iter_mut() {
        let Some(sb) = span(f) else { continue };
        let applicability = f.fix.as_ref().map_or(Applicability::Unsafe, |x| x.applicability);
        open_spans.retain(|(sa, _, _)| sa.end() > sb.start());
        let crossing =
            open_spans.iter().find(|(sa, a, _)| sa.start() < sb.start() && sb.end() > sa.end() && *a >= applicability);
        if let Some((_, _, other)) = crossing {
            let line = cx.source.line_number(other.start());
            *f = Finding::without_fix(
                NAME,
                f.range,
                std::mem::take(&mut f.message),
                format!(
                    "the `with` block for the object opened on line {line} would end inside this one's: the blocks \
                     cannot nest"
                ),
            );
            continue;
        }
        open_spans.push((sb, applicability, f.range));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// One statement.

/// `opens`: `scopes_that_may_open`.
fn check_scope(cx: &Context, scope: &Scope, opens: &[bool], out: &mut Vec<Finding>) {
    visit_block(cx, scope, scope.body, &[], opens, out);
}

/// `stack`: the compound statements of this scope that enclose `block`, outermost first.
fn visit_block<'a>(
    cx: &Context,
    scope: &Scope<'a>,
    block: &'a [Stmt],
    stack: &[Frame<'a>],
    opens: &[bool],
    out: &mut Vec<Finding>,
) {
    for (i, stmt) in block.iter().enumerate() {
        check_statement(cx, Site { scope, block, index: i, stack }, out);
        // The frames for the blocks nested in `stmt`, built only for compound statements (most are simple).
        let inner = || {
            let mut inner: Vec<Frame> = stack.to_vec();
            inner.push(Frame { block, index: i });
            inner
        };
        match stmt {
            Stmt::FunctionDef(f) => {
                let Some(id) = cx.semantic.scope_of_def(stmt) else { continue };
                let class_closes = if scope.kind == ScopeKind::Class { scope.class_closes.clone() } else { None };
                let quiet = scope.quiet.clone();
                let may_open = opens[id.index()];
                check_scope(
                    cx,
                    &Scope { id, kind: ScopeKind::Function, body: &f.body, class_closes, quiet, may_open },
                    opens,
                    out,
                );
            }
            Stmt::ClassDef(c) => {
                let Some(id) = cx.semantic.scope_of_def(stmt) else { continue };
                let class_closes = Some(Rc::new(ClassCloses {
                    body: &c.body,
                    bases: block_bases(block, c),
                    foreign_base: foreign_base(cx, block, c),
                    owner: OwnerClass { name: c.name.to_string(), ancestors: ancestors(block, c) },
                    attributes: cx.attributes(),
                    names: OnceCell::new(),
                }));
                let quiet = scope.quiet.clone();
                let may_open = opens[id.index()];
                check_scope(
                    cx,
                    &Scope { id, kind: ScopeKind::Class, body: &c.body, class_closes, quiet, may_open },
                    opens,
                    out,
                );
            }
            Stmt::For(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, opens, out);
                visit_block(cx, scope, &s.orelse, &inner, opens, out);
            }
            Stmt::While(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, opens, out);
                visit_block(cx, scope, &s.orelse, &inner, opens, out);
            }
            Stmt::If(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, opens, out);
                for clause in &s.elif_else_clauses {
                    visit_block(cx, scope, &clause.body, &inner, opens, out);
                }
            }
            Stmt::With(s) => visit_block(cx, scope, &s.body, &inner(), opens, out),
            Stmt::Try(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, opens, out);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    visit_block(cx, scope, &h.body, &inner, opens, out);
                }
                visit_block(cx, scope, &s.orelse, &inner, opens, out);
                visit_block(cx, scope, &s.finalbody, &inner, opens, out);
            }
            Stmt::Match(s) => {
                let inner = inner();
                for case in &s.cases {
                    visit_block(cx, scope, &case.body, &inner, opens, out);
                }
            }
            _ => {}
        }
    }
}

fn check_statement(cx: &Context, site: Site, out: &mut Vec<Finding>) {
    let Site { scope, block, index: i, .. } = site;
    if !scope.may_open {
        return;
    }

    let stmt = &block[i];
    for (call, exprs, opener) in open_calls(cx, stmt) {
        if scope.is_quiet(cx, call.range()) {
            continue;
        }
        if let Some(mut f) = check_open(cx, site, call, &exprs, &opener) {
            // `f = open(p)  # noqa: SIM115`: the author says the handle is managed by hand.
            if f.fix.is_some() && !cx.settings.fix_noqa && marked_managed(cx, call.start()) {
                f = Finding::without_fix(
                    NAME,
                    f.range,
                    f.message,
                    "the opening line's `# noqa: SIM115` or `consider-using-with` directive says the author manages \
                     this handle; set `[tool.pyfix.bare-open] fix-noqa = true` to fix it anyway",
                );
            }
            out.push(f);
        }
    }
}

fn check_open(cx: &Context, site: Site, call: &ast::ExprCall, exprs: &[&Expr], resource: &Resource) -> Option<Finding> {
    let Site { scope, block, index: i, .. } = site;
    if wraps_file_object(cx, call, resource) || holds_nothing(cx, call, exprs, resource) {
        return None;
    }
    // `open(fd, closefd=False)`: the object owns no descriptor; whoever passed `fd` does.
    if borrows_descriptor(call) {
        return None;
    }
    // `self.fakehttp(data); urlopen(url)`: the test replaced the connection class with an in-memory fake.
    let class_body = scope.class_closes.as_ref().map(|c| c.body);
    if quiet::opener_faked(cx, scope.body, class_body, &resource.shown) {
        return None;
    }

    let stmt = &block[i];
    let range = call.range();
    let shown = format!("{}()", resource.shown);
    // "the file from `open()`", "the object from `sqlite3.connect()`"
    let what = if resource.names.first() == Some(&"f") { "file" } else { "object" };
    let (flow, unknown) = flow(cx, range, exprs, stmt);
    let unsafe_reason = unknown.as_ref().map(|callee| format!("`{callee}()` may keep the file for later use"));
    // `_read_and_close(open(p))`, `Roundtrip.check(self, open(p))`: a function of this module that closes it.
    if closing_callee(cx, range, exprs, !resource.exit_only_commits()).is_some() {
        return None;
    }
    // `Response(open(p))`, `w = Wrapper(open(p))`: a class of the project that closes what it is given.
    if let Some(Expr::Call(c)) = exprs.last() {
        if let Some(t) = class_takes_over(cx, c, range) {
            let wrapper = match t.closes {
                Closes::AtOnce => return None,
                // `lambda request: FileResponse(open(p))`: the lambda returns the object to its caller.
                Closes::OnClose
                    if exprs.len() >= 2
                        && matches!(exprs[exprs.len() - 2], Expr::Lambda(l) if l.body.range() == c.range()) =>
                {
                    return None
                }
                Closes::OnClose => match wrapper_closed(cx, scope, stmt, c) {
                    Ok(()) => return None,
                    Err(w) => w,
                },
            };
            let class = cx.source.slice(c.func.range());
            let module = t.module.map_or(String::new(), |m| format!(" (`{m}`)"));
            return Some(Finding::without_fix(
                NAME,
                range,
                format!(
                    "the {what} from `{shown}` is handed to `{class}()`, which closes it when closed, but {wrapper} \
                     is never closed"
                ),
                format!("`{class}`{module} closes it in its own `close()`: close {wrapper} (or use it in `with`)"),
            ));
        }
    }
    // `requests.session().get` alone (a test that the attribute exists): the object is dropped at once.
    if let (Stmt::Expr(e), [Expr::Attribute(a)]) = (stmt, exprs) {
        if e.value.range() == a.range && a.value.range() == range {
            return None;
        }
    }
    // Not a file, and dropped where it stands: `mmap.mmap(-1, n, tagname=t)[:]`, `urlopen(url, timeout=1)` as a
    // probe, `self.assertTrue(urlopen(url))`. Reference counting releases it at the end of the statement.
    if resource.names != FILE_NAMES {
        let dropped = match (stmt, exprs) {
            (Stmt::Expr(_), []) => true,
            (Stmt::Expr(e), [Expr::Subscript(x)]) => e.value.range() == x.range && x.value.range() == call.range(),
            (Stmt::Expr(e), [Expr::Call(c)]) => {
                e.value.range() == c.range()
                    && assertion_reads_only(cx, &c.func)
                    && c.arguments.args.iter().any(|a| a.range() == call.range())
            }
            _ => false,
        };
        if dropped {
            return None;
        }
    }
    if let Some((_, connecting)) = LAZY_RESOURCES.iter().find(|(q, _)| *q == resource.shown) {
        // `requests.Session().headers`: never sends (a bare statement was left alone above).
        if matches!(exprs.last(), Some(Expr::Attribute(a)) if !connecting.contains(&a.attr.as_str())) {
            return None;
        }
    }
    // `opened = f = open(p)`: several names for one object; where the code closes it (or hands it on) through one
    // of them, as it would through a single name, nothing is left open. Otherwise reported, without a fix.
    if let (Stmt::Assign(a), []) = (stmt, exprs) {
        if a.targets.len() > 1 && a.targets.iter().all(Expr::is_name_expr) {
            // Only while each name keeps the object: a rebinding (`opened = None`, `file = other`) makes a close
            // through it close something else.
            let rebound = a.targets.iter().any(|t| {
                let Expr::Name(n) = t else { return true };
                site.scope
                    .uses(cx, n.id.as_str())
                    .iter()
                    .any(|o| o.kind == OccKind::Store && o.range.start() >= stmt.end())
            });
            let mut first: Option<Finding> = None;
            for t in &a.targets {
                let Expr::Name(n) = t else { continue };
                match named_handle(cx, site, call, n.id.as_str(), resource) {
                    None if !rebound => return None,
                    None => {}
                    // The truest message: a name closed on the normal path says so.
                    Some(f) if f.message.contains(" is not closed if ") => first = Some(f),
                    Some(f) => {
                        first.get_or_insert(f);
                    }
                }
            }
            let names = a.targets.iter().map(|t| format!("`{}`", cx.source.slice(t.range()))).collect::<Vec<_>>();
            let why =
                format!("it is bound to several names ({}); pyfix rewrites an object bound to one", names.join(", "));
            return Some(match first {
                Some(f) => Finding::without_fix(NAME, range, f.message, why),
                None => Finding::without_fix(
                    NAME,
                    range,
                    format!("the {what} from `{shown}` may be left open"),
                    format!("{why}, and a name it is closed through is rebound"),
                ),
            });
        }
    }
    // `with sqlite3.connect(p) as conn:` commits at the block's end and leaves the connection open.
    if flow == Flow::Managed && resource.exit_only_commits() && entered(range, exprs, stmt) {
        return entered::entered_connection(cx, site, call, resource);
    }
    match flow {
        Flow::Managed => None,
        Flow::Kept(name) if exprs.is_empty() => named_handle(cx, site, call, &name, resource),
        // `f = typing.cast(IO[bytes], open(p))`: `f` is the object itself. Judged as a named handle; a `with` would
        // have to keep the cast, which pyfix does not write yet.
        Flow::Kept(name) if is_cast_of(cx, exprs, range) => {
            named_handle(cx, site, call, &name, resource).map(|f| match f.fix {
                None => f,
                Some(_) => Finding::without_fix(
                    NAME,
                    f.range,
                    f.message,
                    format!("`{name}` is bound through `typing.cast()`, which a `with` statement would have to keep"),
                ),
            })
        }
        // `s = test_wrap_socket(socket.socket())`, `TextIOWrapper(open(p, "rb"))`: a wrapper by its name closes (or
        // takes the descriptor of) what it wraps when it is closed; the code closes it, registers its `close` or
        // uses it in `with`.
        Flow::Kept(_)
            if matches!(exprs.last(), Some(Expr::Call(c)) if c.arguments.args.first().is_some_and(|a| a.range() == range)
                && closes_what_it_wraps(cx, c, unknown.as_deref())
                && wrapper_closed(cx, scope, stmt, c).is_ok()) =>
        {
            None
        }
        // `h = Handler(open(p))`: a constructor pyfix cannot see keeps what it is given, and the object it builds
        // owns it from there; `s = asyncore.dispatcher(socket.socket())`: a socket, connection or archive handed to
        // unknown code whose result is kept moves into that result. Ownership handed on is no leak by itself, and
        // pyfix cannot see whether that owner closes it.
        // A wrapper by its name closes what it wraps: where the code neither closes the wrapper nor hands it on,
        // pyfix can show that nothing closes the object.
        Flow::Kept(w)
            if matches!(exprs.last(), Some(Expr::Call(c)) if closes_what_it_wraps(cx, c, unknown.as_deref()))
                && !local_handed_on(cx, scope, stmt, &w) =>
        {
            let callee = unknown.as_deref().unwrap_or_default();
            Some(Finding::without_fix(
                NAME,
                range,
                format!("the {what} from `{shown}` is handed to `{callee}()` and not closed here"),
                format!("`{callee}()` wraps it, and `{w}`, which closes it when closed, is never closed"),
            ))
        }
        Flow::Kept(_) if unknown.as_deref().is_some_and(unknown_is_constructor) => None,
        Flow::Kept(_) if unknown.is_some() && resource.names != FILE_NAMES => None,
        Flow::Kept(_) if unsafe_reason.is_some() => {
            let message = format!("the {what} from `{shown}` is never closed");
            Some(inline_fix(cx, scope, stmt, call, exprs, resource, message, unsafe_reason, ends_script(site)))
        }
        Flow::Kept(name) => Some(Finding::without_fix(
            NAME,
            range,
            format!("the {what} from `{shown}` is kept open by `{name}`"),
            format!("`{name}` wraps the file; open it with `with` and use `{name}` inside the block"),
        )),
        Flow::Escapes(_, Owner::Caller) => None,
        // `return lambda: (open(p), n)`: the caller gets the opener.
        Flow::Escapes(..) if matches!(stmt, Stmt::Return(_)) && handed_to_caller(cx, range, exprs) => None,
        Flow::Escapes(how, owner) => {
            let shown = format!("{what} from `{shown}`");
            escaping(cx, scope, stmt, range, &shown, &how, owner, unknown.as_deref(), resource)
        }
        Flow::Consumed | Flow::Iterated => {
            let message = format!("the {what} from `{shown}` is never closed");
            if let Some(why) = deferred(range, exprs) {
                return Some(Finding::without_fix(NAME, range, message, why));
            }
            Some(inline_fix(cx, scope, stmt, call, exprs, resource, message, unsafe_reason, ends_script(site)))
        }
    }
}

/// `open(fd, closefd=False)`, `os.fdopen(fd, closefd=False)`: the object borrows a descriptor someone else owns
/// and closes; left unclosed it releases no descriptor (CPython's `FileIO` neither closes nor warns about a borrowed
/// one) and reference counting flushes and frees it like any object.
fn borrows_descriptor(call: &ast::ExprCall) -> bool {
    matches!(call.arguments.find_keyword("closefd").map(|k| &k.value), Some(Expr::BooleanLiteral(b)) if !b.value)
}

/// Module-level code at the end of a script (`setup.py`): after the statement, the module runs nothing but
/// definitions, imports, `pass` and constants (docstrings), in its own block and in each enclosing one, so the process
/// ends right after (when run as a script).
fn ends_script(site: Site) -> bool {
    if site.scope.kind != ScopeKind::Module {
        return false;
    }
    let inert = |s: &Stmt| {
        matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_) | Stmt::Pass(_))
            || matches!(s, Stmt::Expr(e) if crate::codemods::is_constant_literal(&e.value))
    };
    site.block[site.index + 1..].iter().all(inert)
        && site.stack.iter().all(|f| {
            // Inside a loop the statement runs again; inside a `try` its handlers may run after it.
            !matches!(f.stmt(), Stmt::For(_) | Stmt::While(_) | Stmt::Try(_))
                && f.block[f.index + 1..].iter().all(inert)
        })
}

/// `self.f = open(p)` (alone or among chained targets), `loop.connect_read_pipe(p, open(path))`,
/// `files.append(open(p))`: whoever receives the object owns it. No finding, but where it is stored on an attribute
/// that no code of the project closes (`stored_unclosed`). Other escapes (`:=`, a lambda, what an unseen function
/// made of it returned) are reported without a fix.
#[allow(clippy::too_many_arguments)]
fn escaping(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    range: TextRange,
    shown: &str,
    how: &str,
    owner: Owner,
    unknown: Option<&str>,
    resource: &Resource,
) -> Option<Finding> {
    // `self.f = open(p)`, also chained (`self.cli = sock = socket.create_connection(...)`): the class closes it.
    if let Stmt::Assign(a) = stmt {
        let closed_by_class = a.targets.iter().any(|t| {
            matches!(t, Expr::Attribute(attr) if matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                && scope.class_closes.as_ref().is_some_and(|c| c.closes(attr.attr.as_str())))
        });
        if closed_by_class {
            return None;
        }
        // `self.sock = socket.socket()` then `threading.Thread(target=server, args=(evt, self.sock))` in the same
        // method, where `server` closes it.
        let class_body = scope.class_closes.as_ref().map(|c| c.body);
        let within = match (scope.body.first(), scope.body.last()) {
            (Some(a), Some(b)) => TextRange::new(a.start(), b.end()),
            _ => TextRange::default(),
        };
        let to_thread = a.targets.iter().any(|t| {
            let Expr::Attribute(attr) = t else { return false };
            if !matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
                return false;
            }
            cx.attributes().uses(attr.attr.as_str()).any(|u| {
                within.contains_range(u.expr.range())
                    && matches!(u.attribute().value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                    && closing_thread(cx, class_body, u.expr.range(), &cx.semantic.expr_path(u.stmt, u.expr.range()))
                        .is_some()
            })
        });
        if to_thread {
            return None;
        }
    }
    match owner {
        Owner::Receiver | Owner::Caller => None,
        Owner::Attribute => stored_unclosed(cx, scope, stmt, unknown, resource).map(|why| {
            Finding::without_fix(NAME, range, format!("the {shown} is stored on an object and never closed"), why)
        }),
        Owner::Nobody => Some(Finding::without_fix(
            NAME,
            range,
            format!("the {shown} escapes: {how}"),
            "whoever receives the file must close it; pyfix cannot see that code",
        )),
    }
}

/// Every use of the name inside a nested function (`captured`) is in a plain function defined in `rest` (the
/// statements after the open) that hands the object to a receiver that keeps it (`await loop.connect_read_pipe(p,
/// f)`), and `rest` calls each such function: the ranges of those calls. `None` otherwise, or with no such use.
fn handed_by_nested_functions(cx: &Context, stmt: &Stmt, rest: &[Stmt], after: &[&Occ]) -> Option<Vec<TextRange>> {
    // The statement of the nested function's body that holds the use runs on every path through it: a plain
    // statement (or a `with`), after plain statements only.
    let unconditional = |body: &[Stmt], at: TextRange| {
        callees::after_plain_statements(body, at).is_some_and(|s| callees::is_plain(s) || matches!(s, Stmt::With(_)))
    };
    let mut calls = Vec::new();
    let mut any = false;
    for occ in after.iter().filter(|o| o.captured) {
        any = true;
        let def = rest.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.range.contains_range(occ.range) && f.decorator_list.is_empty() => Some(f),
            _ => None,
        })?;
        if occ.kind != OccKind::Load {
            return None;
        }
        let exprs = occ.exprs(cx);
        let (Flow::Escapes(_, Owner::Receiver), _) = flow(cx, occ.range, &exprs, occ.stmt(cx, stmt)) else {
            return None;
        };
        if !unconditional(&def.body, occ.range) {
            return None;
        }
        // The calls that run it: any call of a plain function; a coroutine's only where it is awaited or handed to
        // a call (`run_until_complete(connect())`, `asyncio.run(...)`), not one made and dropped.
        let name = def.name.as_str();
        let calls_it =
            |e: &Expr| matches!(e, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == name));
        let later = rest.iter().position(|s| s.start() > def.end()).unwrap_or(rest.len());
        let before = calls.len();
        callees::each_expr(&rest[later..], &mut |e| match e {
            Expr::Call(c) if !def.is_async && calls_it(e) => calls.push(c.range()),
            Expr::Await(a) if calls_it(&a.value) => calls.push(a.value.range()),
            Expr::Call(c) if def.is_async => {
                calls.extend(c.arguments.args.iter().filter(|a| calls_it(a)).map(Ranged::range))
            }
            _ => {}
        });
        if calls.len() == before {
            return None;
        }
    }
    any.then_some(calls)
}

/// `self.x = f`, `g.db = f`, `obj.a = b = f`: the object stored on is the owner. `None` when some code of the
/// project closes an attribute of each name (`analyze::owners`; a class of this module closing `self.x` counts too),
/// or pyfix cannot tell; else why it is a leak.
fn stored_unclosed(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    unknown: Option<&str>,
    resource: &Resource,
) -> Option<String> {
    let targets: Vec<&Expr> = match stmt {
        Stmt::Assign(a) => a.targets.iter().collect(),
        Stmt::AnnAssign(a) => vec![a.target.as_ref()],
        _ => return None,
    };
    // `self.dtp = self.dtp_handler(sock)`: what an unseen callee built owns it now, and pyfix cannot see whether
    // that object closes it.
    if unknown.is_some() {
        return None;
    }
    let (unclosed, on_self) = targets.into_iter().find_map(|t| {
        let Expr::Attribute(a) = t else { return None };
        let on_self = matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self");
        attribute_unclosed(cx, scope, a.attr.as_str(), on_self, resource)
            .then(|| (cx.source.slice(t.range()).to_string(), on_self))
    })?;
    let objects = if on_self && scope.class_closes.is_some() { " on objects of this class" } else { "" };
    Some(format!("it is stored in `{unclosed}`, which nothing in the project closes{objects}"))
}

/// No code of the project closes an attribute named `attr` (on `self` when `on_self`: the class, or a base pyfix
/// does not read, may close it too).
fn attribute_unclosed(cx: &Context, scope: &Scope, attr: &str, on_self: bool, resource: &Resource) -> bool {
    // What ends an object of this kind besides `close()`: an executor's `shutdown()`, a process's `wait()`.
    let finishing: &[&str] = match resource.closing {
        Exit::WithIf { methods, .. } => methods,
        Exit::WithName => &["cleanup"],
        _ => &[],
    };
    if on_self && scope.class_closes.as_ref().is_some_and(|c| c.foreign_base || c.closes(attr)) {
        return false;
    }
    let owner = scope.class_closes.as_ref().filter(|_| on_self).map(|c| &c.owner);
    attribute_closed(cx, attr, finishing, owner) == AttributeClosed::Nowhere
}

// ---------------------------------------------------------------------------------------------------------------
// `f = open(p)` followed by uses of `f`.

fn named_handle(cx: &Context, site: Site, call: &ast::ExprCall, name: &str, resource: &Resource) -> Option<Finding> {
    let shown = &format!("{}()", resource.shown);
    let Site { scope, block, index: i, stack } = site;

    let stmt = &block[i];
    let uses = scope.uses(cx, name);
    let mut after: Vec<&Occ> = uses.iter().filter(|o| o.range.start() >= stmt.end()).collect();
    retain_live_uses(cx, site, &mut after);

    // An `HTTPConnection` that never connects, a session that never sends: nothing to close. Any other use (passed
    // on, returned) may get that far.
    if let Some((_, connecting)) = LAZY_RESOURCES.iter().find(|(q, _)| *q == resource.shown) {
        // `conn.sock = FakeSocket(...)`: the test supplies the socket; the connection never opens one.
        let fake_socket = after.iter().any(|o| {
            matches!(o.exprs(cx).last(), Some(Expr::Attribute(a)) if a.attr.as_str() == "sock"
                && matches!(o.stmt(cx, stmt), Stmt::Assign(s) if s.targets.iter().any(|t| t.range() == a.range)))
        });
        if fake_socket {
            return None;
        }
        // A request the code expects to fail (`with self.assertRaises(ssl.SSLError): conn.request(...)`) leaves
        // nothing open either.
        let connects = after.iter().any(|o| match o.kind {
            OccKind::Load if scope.is_quiet(cx, o.range) => false,
            OccKind::Load => match o.exprs(cx).last() {
                Some(Expr::Attribute(a)) if a.value.range() == o.range => connecting.contains(&a.attr.as_str()),
                _ => true,
            },
            OccKind::Store | OccKind::Del => false,
        });
        if !connects {
            return None;
        }
    }

    if resource.shown == "tempfile.SpooledTemporaryFile" && spooled_in_memory(cx, call, stmt, &after) {
        return None;
    }

    // A process the code reaps on every normal path, after its pipes are drained or closed: `Popen.__exit__`
    // would have nothing left to do.
    if resource.shown == "subprocess.Popen" && popen_finished(cx, call, block, i, name) {
        return None;
    }
    if resource.shown == "subprocess.Popen" {
        // `p.communicate()` calls on it (drains and closes its pipes, and reaps it), and `p.wait()` once each pipe
        // it has is closed before (`p.stdout.close()`, `addCleanup(p.stdin.close)`), as the path walk counts them.
        let closes: Vec<(String, TextRange)> = after
            .iter()
            .filter_map(|o| match o.exprs(cx).as_slice() {
                [.., Expr::Attribute(close), Expr::Attribute(pipe)]
                    if close.attr.as_str() == "close" && close.value.range() == pipe.range =>
                {
                    Some((pipe.attr.to_string(), o.range))
                }
                _ => None,
            })
            .collect();
        let all_pipes = exempt::popen_pipes(cx, call);
        let pipes_open_at =
            |at: TextRange| all_pipes.iter().any(|p| !closes.iter().any(|(c, r)| c == p && r.start() < at.start()));
        let pipes = !all_pipes.is_empty();
        let waits: Vec<TextRange> = after
            .iter()
            .filter(|o| {
                matches!(o.exprs(cx).as_slice(), [.., Expr::Call(c), Expr::Attribute(a)]
                    if a.value.range() == o.range && c.func.range() == a.range
                        && (a.attr.as_str() == "communicate" || (a.attr.as_str() == "wait" && !pipes_open_at(o.range))))
            })
            .map(|o| o.range)
            .collect();
        // A child with no pipes that the code never waits for is a process launched on purpose (a browser
        // started in the background): nothing of it is left to close but what `Popen.__del__` reaps.
        // Not when the code polls it in a loop (`while p.poll() is None:`): it means to reap it.
        let polled =
            after.iter().any(|o| matches!(o.stmt(cx, stmt), Stmt::While(w) if w.test.range().contains_range(o.range)));
        if !pipes && waits.is_empty() && !polled && !after.iter().any(|o| o.captured) {
            return None;
        }
        // Waited for on some paths and left running on a normal path of its own (`if wait: return c.wait()`, then
        // `return 0`): the code chose to launch it in the background there. With no pipe, nothing is left open.
        if !pipes
            && !polled
            && !after.iter().any(|o| o.captured)
            && !exempt::handed_on_every_path(block, i, stack, name, &waits, true)
        {
            return None;
        }
        // Every path from the open waits for it (`return not p.wait()` after `if`/`else` branches that open it)
        // or raises.
        if exempt::handed_on_every_path(block, i, stack, name, &waits, false) {
            return None;
        }
    }
    // Likewise an executor shut down, or a pool joined, on every normal path.
    if let Exit::WithIf { methods: finish @ (["shutdown"] | ["join"]), .. } = resource.closing {
        if finished_on_every_path(block, i, name, finish) {
            return None;
        }
    }

    // `f = open(p); ...; return f`: the caller owns it.
    if exempt::returned_to_caller(block, i, stack, name) {
        return None;
    }

    // Correct code, left alone: closed in a `finally`, managed by `with`/`closing`/`enter_context`, or its
    // `close` registered as a callback.
    // Closed by a statement of the open's own block too: an `except` that closes is then one path among others,
    // not a hand-over.
    let closed_outside_handlers =
        block[i + 1..].iter().any(|s| exempt::statement_method_call(s, &["close"]).is_some_and(|(r, _)| r == name));
    // Opened as the whole body of a `try`: its handlers run only when the open failed, so a close there closes
    // another object (`try: fp = open(a, "rb")` `except OSError: fp = open(a, "wb"); ...; fp.close()`).
    let only_stmt_of_try = match stack.last().map(Frame::stmt) {
        Some(Stmt::Try(t)) => block.len() == 1 && std::ptr::eq(block, t.body.as_slice()),
        _ => false,
    };
    let in_own_handler = |occ: &Occ| {
        only_stmt_of_try
            && matches!(stack.last().map(Frame::stmt), Some(Stmt::Try(t))
                if t.handlers.iter().any(|h| h.range().contains_range(occ.range)))
    };
    for occ in &after {
        let stmt_of = occ.stmt(cx, stmt);
        let exprs = occ.exprs(cx);
        let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
        // `with conn:` on a `sqlite3` connection commits and leaves it open: a use, not a close.
        let f = if resource.exit_only_commits() { commits_only(f, occ.range, &exprs, stmt_of) } else { f };
        let is_close_call = f == Flow::Managed && is_close_call(occ.range, &exprs);
        let closes_this = is_close_call && !in_own_handler(occ);
        // Closed in a `finally`, or handed to a helper there (`_sync_close(f)`).
        if in_finally(cx, occ) && (closes_this || unknown.is_some()) {
            return None;
        }
        // `finally: executor.shutdown()`, `finally: pool.join()`: finished on every path (not `wait=False`).
        if let Exit::WithIf { methods: finish @ (["shutdown"] | ["join"]), .. } = resource.closing {
            let finishes = matches!(exprs.as_slice(), [.., Expr::Call(c), Expr::Attribute(a)]
                if a.value.range() == occ.range && c.func.range() == a.range && finish.contains(&a.attr.as_str())
                    && !c.arguments.keywords.iter().any(|k| k.arg.as_ref().is_some_and(|n| n.as_str() == "wait")));
            if finishes && in_finally(cx, occ) {
                return None;
            }
        }
        // `except: f.close(); raise`: closed on error, deliberately kept open (owned by someone) on success.
        if closes_this && in_except(cx, occ) && !closed_outside_handlers {
            return None;
        }
        if f == Flow::Managed && !is_close_call {
            return None;
        }
        // `threading.Thread(target=serve, args=(sock,))` where `serve` closes it: the thread takes it over.
        if closing_thread(cx, scope.class_closes.as_ref().map(|c| c.body), occ.range, &exprs).is_some() {
            return None;
        }
        // `atexit.register(f.close)`, `self.addCleanup(tmpdir.cleanup)`: the bound method is handed over; also
        // `self.assertRaises(OSError, proc.__exit__, None, None, None)`, the context protocol run by hand, for a
        // kind whose `__exit__` closes it (a `sqlite3` connection's only commits).
        if let Some(Expr::Attribute(a)) = exprs.last() {
            let called =
                exprs.len() >= 2 && matches!(exprs[exprs.len() - 2], Expr::Call(c) if c.func.range() == a.range);
            // `self.addCleanup(p.communicate, b"")`, a statement of the open's own block, without a timeout: drains
            // and closes the pipes, and reaps the process when the test ends.
            let cleanup_communicates = a.attr.as_str() == "communicate"
                && resource.shown == "subprocess.Popen"
                && exprs.len() >= 2
                && matches!(exprs[exprs.len() - 2], Expr::Call(c)
                    if matches!(c.func.as_ref(), Expr::Attribute(f) if f.attr.as_str() == "addCleanup")
                        && c.arguments.args.first().is_some_and(|x| x.range() == a.range)
                        && c.arguments.find_keyword("timeout").is_none())
                && block[i + 1..].iter().any(|s| s.range() == stmt_of.range());
            let exit_closes = (a.attr.as_str() == "__exit__"
                && matches!(resource.closing, Exit::With | Exit::WithIf { .. } | Exit::WithName))
                || cleanup_communicates;
            if (matches!(a.attr.as_str(), "close" | "cleanup" | "shutdown" | "terminate" | "detach") || exit_closes)
                && !called
            {
                return None;
            }
            // `sock.detach()`: the code takes the descriptor out; the socket owns nothing after that (a file's
            // `detach()` hands back its buffer, which still holds the descriptor).
            if a.attr.as_str() == "detach"
                && called
                && a.value.range() == occ.range
                && resource.shown.starts_with("socket.")
            {
                return None;
            }
        }
    }

    // `_close_quietly(f)`, `for m in _members(tar):` (a generator that closes it), `return _read(f)`: a function of
    // this module that closes what it is given, called as the statement's whole value.
    let helper_closes = |s: &Stmt| {
        let value = match s {
            Stmt::Expr(e) => e.value.as_ref(),
            Stmt::For(f) => f.iter.as_ref(),
            Stmt::Return(ast::StmtReturn { value: Some(v), .. }) => v.as_ref(),
            Stmt::Assign(a) => a.value.as_ref(),
            _ => return false,
        };
        let Expr::Call(c) = value else { return false };
        // The other arguments are evaluated before the helper runs: `_read(f, int(s))` may raise first.
        let plain = |a: &Expr| a.is_name_expr() || a.is_literal_expr();
        c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value)).all(plain)
            && c.arguments.args.iter().any(|a| {
                matches!(a, Expr::Name(n) if n.id.as_str() == name
                && closing_callee(cx, n.range, &[value], !resource.exit_only_commits()).is_some_and(|c| c.at_once))
            })
    };
    if closed_next(block, i, stack, name, helper_closes) {
        return None;
    }
    // `r = HttpResponse(f)`, `w = File(f)`: a class of the project that closes what it is given, at once or in
    // its own `close()`.
    if let Some(decided) = handed_to_closing_class(cx, site, call.range(), name, shown, &after) {
        return decided;
    }
    // `loop.connect_write_pipe(proto, f)`, `self.f = f`, `files.append(f)`, `return f`: whoever receives it owns
    // it. No finding where every path hands it over, closes it or raises; but where it is stored on an attribute
    // nothing in the project closes, a finding that says so.
    let mut handed: Vec<TextRange> = Vec::new();
    for occ in after.iter().filter(|o| o.kind == OccKind::Load && !o.captured) {
        let stmt_of = occ.stmt(cx, stmt);
        let exprs = occ.exprs(cx);
        // `self.initfp(f)`, where the class's own `initfp` keeps its parameter on `self._file`.
        if let Some(class) = scope.class_closes.as_ref() {
            let bodies: Vec<&[Stmt]> = std::iter::once(class.body).chain(class.bases.iter().copied()).collect();
            if let Some((method, attr, always)) = stored_by_own_method(&bodies, occ.range, &exprs) {
                // Stored on some calls only, or called again here (a second call would store another object over
                // this one): pyfix sees the method keep it, so a `with` would close a file the object may still use.
                if !always || callees::self_method_calls(scope.body, &method) != 1 {
                    return Some(Finding::without_fix(
                        NAME,
                        call.range(),
                        format!("`{name}` from `{shown}` may be left open"),
                        if always {
                            format!("`self.{method}()` keeps it in `self.{attr}`, and a second call here stores another object there")
                        } else {
                            format!("`self.{method}()` may keep it in `self.{attr}`, on some calls only")
                        },
                    ));
                }
                if !attribute_unclosed(cx, scope, &attr, true, resource) {
                    handed.push(occ.range);
                    continue;
                }
                return Some(Finding::without_fix(
                    NAME,
                    call.range(),
                    format!("`{name}` from `{shown}` is stored on an object and never closed"),
                    format!("`self.{method}()` stores it in `self.{attr}`, which nothing in the project closes"),
                ));
            }
        }
        let (Flow::Escapes(_, owner), unknown) = flow(cx, occ.range, &exprs, stmt_of) else { continue };
        match owner {
            Owner::Receiver | Owner::Caller => handed.push(occ.range),
            Owner::Attribute => match stored_unclosed(cx, scope, stmt_of, unknown.as_deref(), resource) {
                None => handed.push(occ.range),
                Some(why) => {
                    return Some(Finding::without_fix(
                        NAME,
                        call.range(),
                        format!("`{name}` from `{shown}` is stored on an object and never closed"),
                        why,
                    ))
                }
            },
            Owner::Nobody => {}
        }
    }
    // `async def connect(): await loop.connect_read_pipe(factory, f)` then `loop.run_until_complete(connect())`:
    // a function nested here that only hands it over does so where this scope calls it.
    if let Some(calls) = handed_by_nested_functions(cx, stmt, &block[i + 1..], &after) {
        handed.extend(calls);
    }
    if !handed.is_empty() && exempt::handed_on_every_path(block, i, stack, name, &handed, true) {
        return None;
    }
    let closes_on_normal_path = after.iter().any(|o| is_close_call(o.range, &o.exprs(cx)));
    // `_close_quietly(f)`: a function of this module that closes what it is given.
    let helper = after.iter().find_map(|o| closing_callee(cx, o.range, &o.exprs(cx), !resource.exit_only_commits()));
    let message = if closes_on_normal_path {
        format!("`{name}` from `{shown}` is not closed if an exception is raised before `{name}.close()`")
    } else if let Some(helper) = &helper {
        let place = helper.place.as_ref().map(|p| format!(", which closes it (`{p}`)")).unwrap_or_default();
        format!(
            "`{name}` from `{shown}` is not closed if an exception is raised before `{}({name})`{place}",
            helper.callee
        )
    } else if let Some(pipes) = (resource.shown == "subprocess.Popen"
        && finished_on_every_path(block, i, name, &["wait"]))
    .then(|| {
        let closed = exempt::closed_pipes(cx, block, i, name);
        exempt::popen_pipes(cx, call).into_iter().filter(|p| !closed.contains(p)).collect::<Vec<_>>()
    })
    .filter(|p| !p.is_empty())
    {
        // Reaped on every path, but a pipe it has stays open.
        let shown_pipes = pipes.iter().map(|p| format!("`{name}.{p}`")).collect::<Vec<_>>().join(", ");
        let verb = if pipes.len() == 1 { "is" } else { "are" };
        format!("`{name}` from `{shown}` is waited for, but {shown_pipes} {verb} never closed")
    } else {
        format!("`{name}` from `{shown}` is never closed")
    };
    let range = call.range();
    let no_fix = |why: String| {
        // Returned on some path (the caller owns it there), left open on another.
        let why = if why == format!("`{name}` escapes: it is returned") {
            format!(
                "`{name}` is returned to the caller on one path, but another path leaves it open without returning \
                 or closing it"
            )
        } else if why.ends_with("is used after the block that opens it") {
            left_by_handler(cx, scope, stack, range, name).unwrap_or(why)
        } else {
            why
        };
        // Handed on (`loop.connect_read_pipe(..., f)`, returned on one path): whoever keeps it may close it.
        let message = if why.starts_with(&format!("`{name}` escapes")) && !closes_on_normal_path {
            format!("`{name}` from `{shown}` is handed on and not closed here")
        } else {
            message.clone()
        };
        Some(Finding::without_fix(NAME, range, message, why))
    };

    if scope.is_declared(cx, name) {
        // Kept in the module's (or the enclosing function's) state and never closed here: that scope owns it (a log
        // file opened once, a stream the enclosing function returns). No leak of this scope's.
        let closed_here = closes_outer_name(cx, scope, name);
        let why = format!("`{name}` is declared `global`/`nonlocal`, so the file outlives this scope");
        return match closed_here {
            None if !closes_on_normal_path && helper.is_none() => match home_scope_keeps(cx, site, name) {
                Ok(()) => None,
                Err(not) => no_fix(not),
            },
            Some(close) if !closes_on_normal_path && helper.is_none() => Some(Finding::without_fix(
                NAME,
                range,
                format!("`{name}` from `{shown}` is not closed if an exception is raised before `{close}`"),
                why,
            )),
            _ => no_fix(why),
        };
    }
    if scope.kind == ScopeKind::Class {
        return no_fix(format!("`{name}` is a class attribute"));
    }
    if matches!(stmt, Stmt::AnnAssign(_)) {
        return no_fix(format!("a `with` target cannot carry the annotation of `{name}`"));
    }
    if uses.iter().any(|o| o.captured) {
        return no_fix(format!("`{name}` is used by a nested function, lambda or generator, which may run later"));
    }
    if !cx.source.starts_line(stmt.start()) {
        return no_fix("the assignment shares its line with another statement".into());
    }

    let keep_close = !resource.exit_closes();
    let follow_methods = if resource.names.first() == Some(&"f") {
        Follow::Not
    } else if STRICT_RESULTS.contains(&resource.shown.as_str()) {
        Follow::Strictly
    } else {
        Follow::Weakly
    };
    match plan(cx, site, name, keep_close, follow_methods, !resource.exit_only_commits()) {
        Ok(mut plan) => {
            // `con = sqlite3.connect(p)` and nothing else (a constructor test): `with ...: pass` is not what anyone
            // would write. A file opened for nothing still creates or truncates it: `with open(p, "w"): pass` is.
            // `try: m = mmap.mmap(fd, n, offset=-1); self.assertEqual(0, 1)` `except ValueError: pass`, and `m`
            // not used after it before it is bound again: the statement only tests that the call raises (the test
            // fails where it does not).
            let probe = matches!(stack.last().map(Frame::stmt), Some(Stmt::Try(t))
                if std::ptr::eq(block, t.body.as_slice()) && quiet::probes(t)
                    && block.get(i + 1).is_some_and(|next| quiet::fails_test(cx, t, next)));
            if plan.last == i && probe {
                return None;
            }
            if plan.last == i && follow_methods != Follow::Not {
                return no_fix(format!("nothing uses `{name}`; close it or drop the statement by hand"));
            }
            if let Some(why) = resource.unproven() {
                plan.unsafe_reason.get_or_insert(why);
            }
            // After the last statement the block covers, the script ends.
            if ends_script(Site { index: plan.last, ..site }) {
                plan.unsafe_reason.get_or_insert_with(|| SCRIPT_END.to_string());
            }
            let header = match resource.closing {
                Exit::WithIf { methods, reason, on_error } => {
                    if !calls_method(&block[i + 1..=plan.last], name, methods) {
                        return no_fix(reason.to_string());
                    }
                    if let Some(why) = on_error {
                        plan.unsafe_reason.get_or_insert_with(|| why.to_string());
                    }
                    Header::Replace(call, format!("with {}", cx.source.slice(call.range())), None)
                }
                Exit::ClosingIfClosed { reason } if !calls_method(&block[i + 1..=plan.last], name, &["close"]) => {
                    return no_fix(reason.to_string());
                }
                // `t = TemporaryDirectory()` stays; `with t:` covers its uses, when the code removes the directory
                // itself on the normal path (otherwise its path may be used after the block).
                Exit::WithName if !calls_method(&block[i + 1..=plan.last], name, &["cleanup"]) => {
                    return no_fix(format!(
                        "the directory is removed when the block ends, and the code never calls `{name}.cleanup()`: \
                         its path may be used later"
                    ));
                }
                Exit::WithName if plan.last > i && !plan.split => Header::Before(call.range()),
                Exit::WithName => return no_fix(format!("nothing uses `{name}` on lines of its own")),
                _ => match with_head(cx, scope, resource, call) {
                    Ok((head, import)) => Header::Replace(call, head, import),
                    Err(why) => return no_fix(why),
                },
            };
            Some(with_block(cx, block, i, &plan, header, name, message))
        }
        // `log = f` where `log` is `global`/`nonlocal`, and nothing here closes it: handed to that scope.
        Err(why) if !closes_on_normal_path && helper.is_none() && plan::bound_to_outer_name(&why).is_some() => {
            let other = plan::bound_to_outer_name(&why).unwrap_or_default();
            match closes_outer_name(cx, scope, other) {
                Some(close) => {
                    let message =
                        format!("`{name}` from `{shown}` is not closed if an exception is raised before `{close}`");
                    Some(Finding::without_fix(NAME, range, message, why.clone()))
                }
                None => match home_scope_keeps(cx, site, other) {
                    Ok(()) => None,
                    Err(not) => no_fix(format!("`{name}` is bound to `{other}`, and {not}")),
                },
            }
        }
        // `with f:` after a join only where `__exit__` closes.
        Err(why) if resource.closing != Exit::With => no_fix(why),
        Err(why) => match after_join(cx, site, name, follow_methods, !resource.exit_only_commits()) {
            Some((frame, mut plan)) => {
                if let Some(why) = resource.unproven() {
                    plan.unsafe_reason.get_or_insert(why);
                }
                Some(with_block(cx, frame.block, frame.index, &plan, Header::Before(call.range()), name, message))
            }
            None => no_fix(why),
        },
    }
}

/// The open at `range` stands in the body of a `try` (the innermost one) where a statement after it may raise, and
/// one of whose handlers returns without mentioning `name`: on that path the object is left open, in ordinary use.
/// Why, naming the handler.
fn left_by_handler(cx: &Context, scope: &Scope, stack: &[Frame], range: TextRange, name: &str) -> Option<String> {
    let uses = scope.uses(cx, name);
    let t = stack.iter().rev().find_map(|f| match f.stmt() {
        Stmt::Try(t) if t.body.iter().any(|s| s.range().contains_range(range)) => Some(t),
        _ => None,
    })?;
    // Only a statement after the open can raise once the object exists.
    let at = t.body.iter().position(|s| s.range().contains_range(range))?;
    if t.body[at + 1..].iter().all(|s| exempt::cannot_raise(s, name)) {
        return None;
    }
    t.handlers.iter().find_map(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        let mentions = uses.iter().any(|u| h.range.contains_range(u.range));
        let leaves = matches!(h.body.last(), Some(Stmt::Return(_)));
        (!mentions && leaves).then(|| {
            let caught = h.type_.as_deref().map_or(String::new(), |e| format!(" {}", cx.source.slice(e.range())));
            let line = cx.source.line_number(h.range.start());
            format!(
                "`{name}` is left open when `except{caught}:` (line {line}) returns without closing it; on the other \
                 paths it (or what it returned) is used after the `try`"
            )
        })
    })
}

/// `f = open(p)` handed to a class whose own code closes it (`analyze::classes`): `Some(None)` when the file is
/// closed that way on the normal path (the constructor closes it and nothing before it can raise, or the code
/// closes the wrapper, uses it in `with` or returns it), `Some(finding without a fix)` naming the wrapper when the
/// code never closes the wrapper, `None` to decide as before (the constructor closes it, later: see `plan`).
fn handed_to_closing_class(
    cx: &Context,
    site: Site,
    range: TextRange,
    name: &str,
    shown: &str,
    after: &[&Occ],
) -> Option<Option<Finding>> {
    let Site { scope, block, index: i, .. } = site;
    let stmt = &block[i];
    let first_raising = block[i + 1..].iter().position(|s| !exempt::cannot_raise(s, name)).map(|k| &block[i + 1 + k]);
    for occ in after.iter().filter(|o| o.kind == OccKind::Load) {
        let exprs = occ.exprs(cx);
        let Some(Expr::Call(c)) = exprs.last() else { continue };
        if c.func.range() == occ.range {
            continue;
        }
        let Some(t) = class_takes_over(cx, c, occ.range) else { continue };
        let stmt_of = occ.stmt(cx, stmt);
        let class = cx.source.slice(c.func.range());
        match t.closes {
            Closes::AtOnce => {
                if first_raising.is_some_and(|s| s.range() == stmt_of.range()) {
                    return Some(None);
                }
            }
            Closes::OnClose => {
                let wrapper = match wrapper_closed(cx, scope, stmt_of, c) {
                    Ok(()) => return Some(None),
                    Err(w) => w,
                };
                let module = t.module.map_or(String::new(), |m| format!(" (`{m}`)"));
                return Some(Some(Finding::without_fix(
                    NAME,
                    range,
                    format!("`{name}` from `{shown}` is handed to `{class}()`, which closes it when closed, but {wrapper} is never closed"),
                    format!("`{class}`{module} closes `{name}` in its own `close()`: close {wrapper} (or use it in `with`) and `{name}` is closed with it"),
                )));
            }
        }
    }
    None
}

/// The object `call` builds is closed by the code: the `with` item, the value returned, or a name bound to it that
/// is closed, used in `with`, returned or whose `close` is registered. `Err`: how to show the wrapper.
fn wrapper_closed(cx: &Context, scope: &Scope, stmt_of: &Stmt, call: &ast::ExprCall) -> Result<(), String> {
    match stmt_of {
        Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == call.range()) => Ok(()),
        Stmt::Return(r) if r.value.as_ref().is_some_and(|v| v.range() == call.range()) => Ok(()),
        Stmt::Assign(a) if a.value.range() == call.range() => {
            let [Expr::Name(n)] = a.targets.as_slice() else {
                return Err(format!("`{}`", cx.source.slice(a.targets[0].range())));
            };
            let w = n.id.as_str();
            let closed = scope.uses(cx, w).iter().filter(|o| o.range.start() >= stmt_of.end()).any(|o| {
                let exprs = o.exprs(cx);
                let st = o.stmt(cx, stmt_of);
                let (f, _) = flow(cx, o.range, &exprs, st);
                let close_attr = matches!(exprs.last(), Some(Expr::Attribute(x)) if x.attr.as_str() == "close");
                f == Flow::Managed
                    || close_attr
                    || matches!(st, Stmt::Return(r) if r.value.as_ref().is_some_and(|v| v.range() == o.range))
            });
            if closed {
                Ok(())
            } else {
                Err(format!("`{w}`"))
            }
        }
        _ => Err("the object it builds".to_string()),
    }
}

/// The local `w` bound by `stmt` is closed, used in `with`, has its `close` taken, is returned, stored or handed to
/// a function after `stmt`: whatever holds it may close it.
fn local_handed_on(cx: &Context, scope: &Scope, stmt: &Stmt, w: &str) -> bool {
    scope.uses(cx, w).iter().filter(|o| o.range.start() >= stmt.end() && o.kind == OccKind::Load).any(|o| {
        let exprs = o.exprs(cx);
        let st = o.stmt(cx, stmt);
        let (f, unknown) = flow(cx, o.range, &exprs, st);
        let close_attr = matches!(exprs.last(), Some(Expr::Attribute(x)) if x.attr.as_str() == "close");
        o.captured || close_attr || unknown.is_some() || matches!(f, Flow::Managed | Flow::Escapes(..))
    })
}

/// The bodies of `class`'s base classes defined in the same block (the module's top level, usually) by a single
/// `class` statement, and of their bases in turn.
fn block_bases<'a>(block: &'a [Stmt], class: &'a ast::StmtClassDef) -> Vec<&'a [Stmt]> {
    let mut out: Vec<&'a [Stmt]> = Vec::new();
    let mut todo = vec![class];
    while let Some(c) = todo.pop() {
        for base in c.bases() {
            let Expr::Name(n) = base else { continue };
            let mut defs = block.iter().filter_map(|s| match s {
                Stmt::ClassDef(d) if d.name.as_str() == n.id.as_str() => Some(d),
                _ => None,
            });
            let (Some(def), None) = (defs.next(), defs.next()) else { continue };
            if out.len() < 8 && !out.iter().any(|o| std::ptr::eq(*o, def.body.as_slice())) {
                out.push(&def.body);
                todo.push(def);
            }
        }
    }
    out
}

/// A base of `class` (or of a base defined in the same block) that is not a class of that block nor `object`:
/// code pyfix does not read for the class.
fn foreign_base(cx: &Context, block: &[Stmt], class: &ast::StmtClassDef) -> bool {
    let mut todo = vec![class];
    let mut seen = 0;
    while let Some(c) = todo.pop() {
        seen += 1;
        for base in c.bases() {
            if callees::qualified_name(cx, base).is_some_and(|q| CLOSE_NOTHING_BASES.contains(&q.as_str())) {
                continue;
            }
            let local = match base {
                Expr::Name(n) if n.id.as_str() == "object" => continue,
                Expr::Name(n) => block.iter().find_map(|s| match s {
                    Stmt::ClassDef(d) if d.name.as_str() == n.id.as_str() => Some(d),
                    _ => None,
                }),
                _ => None,
            };
            match local {
                Some(d) if seen < 8 => todo.push(d),
                Some(_) => {}
                None => return true,
            }
        }
    }
    false
}

/// `io.TextIOWrapper(f)`, `io.BufferedReader(f)`, or a callee pyfix cannot see named for wrapping
/// (`wrap_socket(sock)`): closing the result closes (or has taken the descriptor of) what it was given. Not
/// `csv.reader(f)` (nothing to close) nor a class in general (`GzipFile(fileobj=f).close()` leaves `f` open).
fn closes_what_it_wraps(cx: &Context, call: &ast::ExprCall, unknown: Option<&str>) -> bool {
    match unknown {
        Some(callee) => callee.rsplit('.').next().is_some_and(|l| l.to_ascii_lowercase().contains("wrap")),
        None => callees::qualified_name(cx, &call.func)
            .is_some_and(|q| matches!(q.as_str(), "io.TextIOWrapper" | "io.BufferedReader" | "io.BufferedWriter")),
    }
}

/// Keeps of `after` (the uses of the name after the open, in source order) those of the object opened: not those
/// after the end of the first assignment to the name of a new resource or `None` (`h = HTTPSConnection(...)` again,
/// then `h.request(...)`, `h.close()`) that runs whenever the code after the open gets to them: a statement (or one in
/// the body of a `with` that is such a statement) of the open's block or of a block around it, where the blocks around
/// that one are only `if`/`match` branches. In a loop (a `break`), a `try` (a handler that falls through) or a `with`
/// (which may suppress an error) the code may go on past it with the first object. An assignment whose value reads
/// the name (`s = ctx.wrap_socket(s)`), or of any other value (`f = io.TextIOWrapper(raw)`), may hold the object.
fn retain_live_uses(cx: &Context, site: Site, after: &mut Vec<&Occ>) {
    let model = cx.semantic;
    // The open's block, then the blocks around it, each with the statements around it (innermost first).
    let levels: Vec<(&[Stmt], &[Frame])> = std::iter::once((site.block, site.stack))
        .chain((0..site.stack.len()).rev().map(|j| (site.stack[j].block, &site.stack[..j])))
        .collect();
    let runs_first = |s: &Stmt| {
        levels.iter().any(|(block, around)| {
            block.iter().any(|x| std::ptr::eq(x, s))
                && around.iter().all(|f| matches!(f.stmt(), Stmt::If(_) | Stmt::Match(_)))
        })
    };
    let rebinds = |o: &Occ| -> Option<ruff_text_size::TextSize> {
        let id = o.stmt.filter(|_| o.kind == OccKind::Store)?;
        let value = match model.stmt(id) {
            Stmt::Assign(a) if a.targets.len() == 1 => a.value.as_ref(),
            Stmt::AnnAssign(ast::StmtAnnAssign { value: Some(v), .. }) => v.as_ref(),
            _ => return None,
        };
        let new_object = match value {
            Expr::NoneLiteral(_) => true,
            Expr::Call(c) => callees::opener(cx, c).is_some(),
            _ => false,
        };
        if !new_object || after.iter().any(|u| u.kind == OccKind::Load && value.range().contains_range(u.range)) {
            return None;
        }
        let assign = model.stmt(id);
        let (mut s, mut id) = (assign, id);
        while !runs_first(s) {
            let parent = model.parent_stmt(id)?;
            match model.stmt(parent) {
                Stmt::With(w)
                    if w.body.iter().any(|x| std::ptr::eq(x, s))
                        && w.items.iter().all(|i| plan::swallows_nothing(cx, &i.context_expr)) =>
                {
                    (s, id) = (model.stmt(parent), parent)
                }
                _ => return None,
            }
        }
        Some(assign.end())
    };
    if let Some(end) = after.iter().find_map(|o| rebinds(o)) {
        after.retain(|o| o.range.start() < end);
    }
}

/// The module keeps what is bound to `name`, declared `global` in this function: the open runs only while the name
/// holds nothing (inside `if not name:`, `if name is None:`, also as one of the conditions joined by `and`), in no
/// loop, and some code of the module closes that name (`closelog()` runs `logfp.close()`). A `nonlocal` is not
/// followed: whether the enclosing function keeps, returns or drops it is not read. `Err`: why not.
fn home_scope_keeps(cx: &Context, site: Site, name: &str) -> Result<(), String> {
    let model = cx.semantic;
    let id = site.scope.id;
    if model.scope(id).declaration(name) != Some(crate::semantic::Declaration::Global) {
        return Err(format!(
            "`{name}` is declared `nonlocal`: pyfix does not follow what the enclosing function does with it"
        ));
    }
    if site.stack.iter().any(|f| matches!(f.stmt(), Stmt::For(_) | Stmt::While(_))) {
        return Err(format!("the open runs in a loop, and each time round replaces the object `{name}` holds"));
    }
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    let empty = |e: &Expr| match e {
        Expr::UnaryOp(u) => u.op == ast::UnaryOp::Not && is_name(&u.operand),
        Expr::Compare(c) => {
            is_name(&c.left)
                && matches!((c.ops.as_ref(), c.comparators.as_ref()), ([ast::CmpOp::Is], [Expr::NoneLiteral(_)]))
        }
        _ => false,
    };
    let open = site.block[site.index].range();
    let guarded = site.stack.iter().any(|f| {
        matches!(f.stmt(), Stmt::If(x) if x.body.iter().any(|s| s.range().contains_range(open))
        && match x.test.as_ref() {
            Expr::BoolOp(b) if b.op == ast::BoolOp::And => b.values.iter().any(empty),
            t => empty(t),
        })
    });
    let home = model.lookup(name, id).map(|b| model.binding(b).scope);
    // Bound once in this function, by this statement: no other binding here drops the file it holds.
    let bound_here = home.map_or(0, |home| {
        model
            .scope(home)
            .bindings_of(name)
            .iter()
            .filter(|&&b| model.binding(b).stmt.is_some_and(|s| model.stmt_scope(s) == id))
            .count()
    });
    if !guarded || bound_here != 1 {
        return Err(format!("`{name}` is a global that this function may bind again while it holds a file"));
    }
    let closed = home.is_some_and(|home| {
        model.scope(home).bindings_of(name).iter().any(|&b| {
            model.binding(b).references.iter().any(|&r| {
                let r = model.reference(r);
                r.stmt.is_some_and(|s| is_close_call(r.range, &model.expr_path(model.stmt(s), r.range)))
            })
        })
    });
    closed.then_some(()).ok_or_else(|| format!("`{name}` is a global that no code of the module closes"))
}

/// This scope closes `name`, declared `global`/`nonlocal` in it, itself (`log.close()`, `_close_quietly(log)`): the
/// first such call, as the messages show it.
fn closes_outer_name(cx: &Context, scope: &Scope, name: &str) -> Option<String> {
    scope.outer_loads(cx, name).iter().find_map(|o| {
        let exprs = o.exprs(cx);
        if is_close_call(o.range, &exprs) {
            return Some(format!("{name}.close()"));
        }
        closing_callee(cx, o.range, &exprs, true).map(|c| format!("{}({name})", c.callee))
    })
}

/// `exprs` is just `typing.cast(T, <the object at range>)`.
fn is_cast_of(cx: &Context, exprs: &[&Expr], range: TextRange) -> bool {
    matches!(exprs, [Expr::Call(c)] if c.arguments.args.len() == 2 && c.arguments.keywords.is_empty()
        && c.arguments.args[1].range() == range
        && callees::qualified_name(cx, &c.func).as_deref() == Some("typing.cast"))
}
