//! How far the `with` block for `f = open(p)` must reach: following `f` and the names that wrap it through its block
//! (`plan`), or after the `if`/`try` whose branches open it (`after_join`). It builds no edits.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::calls::literal_join;
use crate::codemods::analyze::classes::assertion_reads_only;
use crate::codemods::analyze::classes::constructor_keeps_self;
use crate::codemods::analyze::effects::{argument_effect, Argument};
use crate::codemods::Context;

use super::blocks::{Frame, Site};
use super::callees::{closing_callee, opener, qualified_name, unknown_is_constructor};
use super::exempt::statement_method_call;
use super::flow::{commits_only, flow, Flow, Owner};
use super::scopes::{Occ, OccKind, Scope};

/// How `plan` follows what methods of the object return (`cu = conn.cursor()`, `resp = conn.getresponse()`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Follow {
    /// A file's methods return plain data.
    Not,
    /// The result may need the open object: its later uses in the block stay in it, but it may outlive the block.
    Weakly,
    /// Closing the object closes the result too (`HTTPConnection.close()` closes its response): it must not
    /// outlive the block.
    Strictly,
}

/// Kinds whose `close()` also closes what their methods returned.
pub(super) const STRICT_RESULTS: &[&str] = &["http.client.HTTPConnection", "http.client.HTTPSConnection"];

/// A builtin that uses up what it is given where it stands and keeps nothing of it (`list`, `len`, `type`,
/// `isinstance`: `analyze::params`' readers and inspectors), unlike a lazy `iter`.
fn eager_builtin(name: &str) -> bool {
    use crate::codemods::analyze::params::{INSPECTORS, READERS};
    name != "iter" && (READERS.contains(&name) || INSPECTORS.contains(&name) || name == "hash")
}

/// For a connection whose results need it open (a `sqlite3` cursor): what the object at `at` (a chain in `exprs`)
/// gives may outlive where it stands: a method's result kept by a target other than a local plain name (`self.cur =
/// conn.execute(q)`, `cur, n = ...`, a `global`), returned, yielded, handed to a callee or a lazy wrapper (`iter`,
/// `map`, a generator expression) kept in a name, bound by `:=`, made in a comprehension's element; a bound method
/// taken uncalled (`map(conn.execute, qs)`, `self.execute = conn.execute`); a cursor (`cursor`: the object is one)
/// handed to a callee (`keep(out)`). Plain data (what `fetchone`/`fetchall`/`fetchmany` give, called on the chain), a
/// discarded result, a local plain name (followed as a cursor), a `with` item (`with conn.cursor() as cur:`, also
/// through `closing`), a `for` loop's or a comprehension's first iterable, `yield from`, and an eager builtin's,
/// `str.join`'s or a `unittest` assertion's argument do not. Why, when it may.
pub(super) fn result_outlives(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    at: TextRange,
    exprs: &[&Expr],
    cursor: bool,
) -> Option<String> {
    let Chain { outside: mut k, top: mut cur, called, fetched } = chain(at, exprs);
    if fetched {
        return None;
    }
    let shown = cx.source.slice(cur).to_string();
    let parent = k.checked_sub(1).map(|p| exprs[p]);
    // `list(cur)`, `"".join(cur)`, `self.assertIn(cur, xs)`: uses it up there (the builtin, not a name of the
    // module's own; `join` of a string; an assertion known to read only).
    let eager_call = |e: &Expr| {
        matches!(e, Expr::Call(c) if match c.func.as_ref() {
            Expr::Name(_) => qualified_name(cx, &c.func)
                .is_some_and(|q| q.strip_prefix("builtins.").is_some_and(eager_builtin)),
            Expr::Attribute(_) => assertion_reads_only(cx, &c.func) || literal_join(&c.func),
            _ => false,
        })
    };
    if !called {
        // `map(conn.execute, qs)`, `self.execute = conn.execute`: a bound method holds the connection.
        let method = cur != at
            && matches!(exprs.get(k), Some(Expr::Attribute(a)) if CONNECTION_METHODS.contains(&a.attr.as_str()));
        let plain_name = parent.is_none()
            && matches!(stmt, Stmt::Assign(a) if a.value.range() == cur
                && matches!(a.targets.as_slice(), [Expr::Name(n)] if !scope.is_declared(cx, n.id.as_str())));
        if method && !plain_name && !parent.is_some_and(eager_call) {
            return Some(format!("`{shown}` is handed on as a bound method, and it needs the connection open"));
        }
        // A cursor (or a list of them) handed to a callee that may keep it: `keep(out)`, `h.take(cur)`.
        if cursor
            && cur == at
            && matches!(parent, Some(Expr::Call(c)) if c.func.range() != at)
            && !parent.is_some_and(eager_call)
        {
            return Some(format!("`{shown}` is handed to a callee that may keep it, and it needs the connection open"));
        }
        return None;
    }
    // `enumerate(conn.execute(q))`, `(r[0] for r in conn.execute(q))`: a lazy wrapper is judged by where its own
    // result goes (a `for` or an eager builtin uses it up; a name keeps it, unfollowed).
    let mut wrapped = false;
    while k > 0 {
        let lazy = match exprs[k - 1] {
            Expr::Call(c) => {
                c.arguments.args.iter().any(|a| a.range() == cur)
                    && matches!(c.func.as_ref(), Expr::Name(n)
                        if matches!(n.id.as_str(), "iter" | "enumerate" | "zip" | "map" | "filter" | "reversed"))
            }
            Expr::Generator(g) => g.generators.first().is_some_and(|g| g.iter.range() == cur),
            _ => false,
        };
        if !lazy {
            break;
        }
        cur = exprs[k - 1].range();
        k -= 1;
        wrapped = true;
    }
    let kept = || Some(format!("what `{shown}` gives is kept beyond the statement, and it needs the connection open"));
    let Some(parent) = k.checked_sub(1).map(|p| exprs[p]) else {
        return match stmt {
            Stmt::Expr(_) => None,
            Stmt::Assign(a)
                if !wrapped
                    && matches!(a.targets.as_slice(), [Expr::Name(n)] if !scope.is_declared(cx, n.id.as_str())) =>
            {
                None
            }
            Stmt::For(f) if f.iter.range() == cur => None,
            Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == cur) => None,
            _ => kept(),
        };
    };
    // `with closing(conn.cursor()) as cur:`
    let closing_item = |c: &ast::ExprCall| {
        matches!(stmt, Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == c.range()))
            && qualified_name(cx, &c.func).as_deref() == Some("contextlib.closing")
    };
    match parent {
        e if eager_call(e) => None,
        Expr::Call(c) if closing_item(c) => None,
        Expr::YieldFrom(_) => None,
        // A list, set or dict comprehension runs at once: every one of its iterables is used up there.
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::SetComp(ast::ExprSetComp { generators, .. })
        | Expr::DictComp(ast::ExprDictComp { generators, .. })
            if generators.iter().any(|g| g.iter.range() == cur) =>
        {
            None
        }
        Expr::Call(_) | Expr::Generator(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) => {
            Some(format!("what `{shown}` gives is handed on, and it needs the connection open"))
        }
        e if keeps_operand(e) => Some(format!("what `{shown}` gives is handed on, and it needs the connection open")),
        _ => None,
    }
}

/// An expression whose value holds (or hands on) its operand as it is: a display, a conditional, `:=`, `*x`,
/// `yield x`, a lambda returning it.
fn keeps_operand(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Yield(_)
            | Expr::Lambda(_)
            | Expr::Tuple(_)
            | Expr::List(_)
            | Expr::Set(_)
            | Expr::Dict(_)
            | Expr::If(_)
            | Expr::BoolOp(_)
            | Expr::Named(_)
            | Expr::Starred(_)
    )
}

/// Methods of a database connection: taken uncalled, a bound method holds the connection.
const CONNECTION_METHODS: &[&str] = &[
    "cursor",
    "execute",
    "executemany",
    "executescript",
    "commit",
    "rollback",
    "iterdump",
    "backup",
    "blobopen",
    "create_function",
    "interrupt",
    "serialize",
];

/// `out.append(x)` (`exprs`: the enclosing expressions of `x`) on a name the function binds by a plain assignment
/// (`out = []`): that name.
fn local_receiver(cx: &Context, scope: &Scope, exprs: &[&Expr]) -> Option<String> {
    let Some(Expr::Call(c)) = exprs.last() else { return None };
    let Expr::Attribute(a) = c.func.as_ref() else { return None };
    let Expr::Name(n) = a.value.as_ref() else { return None };
    let name = n.id.as_str();
    if scope.is_declared(cx, name) {
        return None;
    }
    let uses = scope.uses(cx, name);
    let assigned = uses
        .iter()
        .all(|o| o.kind != OccKind::Store || matches!(o.stmt.map(|s| cx.semantic.stmt(s)), Some(Stmt::Assign(_))));
    (assigned && uses.iter().any(|o| o.kind == OccKind::Store)).then(|| name.to_string())
}

/// The chain of attribute reads, calls and subscripts on the object at `at`, each on the one inside it
/// (`conn.execute(q).fetchone()[0]`), among its enclosing expressions `exprs` (innermost last).
pub(super) struct Chain {
    /// `exprs[..outside]` enclose the chain.
    pub(super) outside: usize,
    /// The chain's outermost expression (`at` itself when there is none).
    pub(super) top: TextRange,
    /// Something in it is called.
    pub(super) called: bool,
    /// A cursor's `fetchone`/`fetchall`/`fetchmany` is called in it, or a plain data attribute (`DATA_ATTRS`:
    /// `cur.rowcount`, `conn.total_changes`) is read in it: what it gives is plain data that may outlive the
    /// connection.
    pub(super) fetched: bool,
}

pub(super) fn chain(at: TextRange, exprs: &[&Expr]) -> Chain {
    let mut c = Chain { outside: exprs.len(), top: at, called: false, fetched: false };
    while c.outside > 0 {
        let on = match exprs[c.outside - 1] {
            Expr::Attribute(x) if x.value.range() == c.top => {
                c.fetched |= DATA_ATTRS.contains(&x.attr.as_str());
                true
            }
            Expr::Call(x) if x.func.range() == c.top => {
                c.called = true;
                c.fetched |= matches!(x.func.as_ref(), Expr::Attribute(a)
                    if matches!(a.attr.as_str(), "fetchone" | "fetchall" | "fetchmany"));
                true
            }
            Expr::Subscript(x) => x.value.range() == c.top,
            _ => false,
        };
        if !on {
            break;
        }
        c.top = exprs[c.outside - 1].range();
        c.outside -= 1;
    }
    c
}

/// What the `with` block covers: `block[i..=last]`, less a trailing `name.close()` statement.
pub(super) struct Plan {
    pub(super) last: usize,
    pub(super) close_stmt: Option<usize>,
    pub(super) unsafe_reason: Option<String>,
    /// Statements joined by `;` on one line must be split (see `line_sharing`).
    pub(super) split: bool,
}

/// How `plan` says that the object is bound to a `global`/`nonlocal` name (see `bound_to_outer_name`).
const OUTER_NAME: &str = " is declared `global`/`nonlocal`";

/// `plan` refused because the object is bound to a `global`/`nonlocal` name, through which it outlives the
/// function: that name.
pub(super) fn bound_to_outer_name(why: &str) -> Option<&str> {
    let (name, rest) = why.strip_prefix('`')?.split_once('`')?;
    rest.starts_with(OUTER_NAME).then_some(name)
}

/// Follows `name`, bound by `block[i]`, and the names that wrap it through the rest of `block`: where the `with`
/// block must end, and why it cannot be written (`Err`) or is unsafe.
/// `keep_close`: `name.close()` is not what the block's end does (`Pool.close()`): it stays where it is.
/// `follow_methods`: what a method of the object returns may depend on it (a connection's cursor, an archive's
/// member file): follow names bound to such results as strictly as the object.
pub(super) fn plan(
    cx: &Context,
    site: Site,
    name: &str,
    keep_close: bool,
    follow_methods: Follow,
    entered_closes: bool,
) -> Result<Plan, String> {
    let Site { scope, block, index: i, stack } = site;

    // The statement that rebinds `name` at this level ends this handle's life: an assignment, or a compound
    // statement that binds it before reading it (`with lock: h = HTTPSConnection(...)`).
    let rebind = block[i + 1..]
        .iter()
        .position(|s| binds_name(s, name) || rebinding(cx, s, name) == Rebinds::Always)
        .map(|k| i + 1 + k)
        // `raw = f; f = io.TextIOWrapper(raw)`: the new value holds the object through another name bound from it
        // since the open; the uses after it are still of the object (followed as a rebinding while open).
        .filter(|&r| !reads_alias(&block[i + 1..r], &block[r], name));
    let limit = rebind.unwrap_or(block.len());
    let rebind_runs_first = stack.iter().all(|f| matches!(f.stmt(), Stmt::If(_) | Stmt::Match(_)));
    let index_of = |r: TextRange| block[..limit].iter().position(|s| s.range().contains_range(r));
    // After this block, the first statement of an enclosing block that mentions `name` rebinds it before reading it
    // (`m2 = mmap(...)`, `with mmap(...) as m2:`, also as the first statement of a `with` body): the uses from
    // there on are another object's.
    let outer_rebind = {
        let uses: Vec<TextRange> = scope.uses(cx, name).iter().map(|o| o.range).collect();
        let mentions = |s: &Stmt| uses.iter().any(|r| s.range().contains_range(*r));
        stack.iter().rev().find_map(|f| f.block[f.index + 1..].iter().find(|s| mentions(s))).and_then(|s| {
            // `if posix: ... try: m = mmap(...)`, the last statement to mention it: the uses inside are another
            // object's, and none follows.
            let last = !uses.iter().any(|r| r.start() >= s.end());
            match rebinding(cx, s, name) {
                Rebinds::Always => Some(s.start()),
                Rebinds::Within if last => Some(s.start()),
                _ => None,
            }
        })
    };

    let stmt = &block[i];
    // Follow `name` and the names that wrap it (`reader = csv.reader(f)`) through the block.
    // `weak`: bound to what an unknown function returned; it may hold the file (so its uses stay in the block)
    // or not (so it may outlive the block: the fix is unsafe already).
    let mut tracked: Vec<(String, bool)> = vec![(name.to_string(), false)];
    // Followed weakly, but must not outlive the block: a `sqlite3` cursor (`cur = conn.execute(q)`) needs its
    // connection open; what it fetches does not.
    let mut cursors: Vec<String> = Vec::new();
    // Names bound to a bound method or attribute taken from the object or a cursor (`Taken::Names`).
    let mut taken_names: Vec<String> = Vec::new();
    // Names bound to the object itself (`g = f`): what is taken from them is taken from the object.
    let mut aliases: Vec<String> = Vec::new();
    let mut last = i;
    let mut close_stmt: Option<usize> = None;
    let mut unsafe_reason: Option<String> = None;
    let mut k = 0;
    while k < tracked.len() {
        let (tname, weak) = tracked[k].clone();
        k += 1;
        for occ in scope.uses(cx, &tname) {
            if stmt.range().contains_range(occ.range) {
                continue;
            }
            // `s = pickle.loads(pickle.dumps(s))`: the statement that rebinds the name still reads the object.
            if tname == name
                && occ.kind == OccKind::Load
                && rebind.is_some_and(|r| binds_name(&block[r], name) && block[r].range().contains_range(occ.range))
            {
                return Err(format!("the statement that rebinds `{name}` still reads it"));
            }
            if occ.range.start() < stmt.end() {
                // An earlier binding, unless a loop carries it into this one.
                // A binding of the name there (`g = sys.stdout.buffer` in another branch) uses nothing.
                if let Some(lp) = innermost_loop(stack) {
                    if lp.range().contains_range(occ.range)
                        && !(tname == name && occ.kind == OccKind::Store)
                        && !(tname != name && bound_first_in_loop(cx, scope, lp, &tname, &occ))
                    {
                        return Err(format!("`{tname}` is used across loop iterations"));
                    }
                }
                continue;
            }
            if occ.captured && !weak {
                return Err(format!("`{tname}` is used by a nested function, lambda or generator"));
            }
            let Some(j) = index_of(occ.range) else {
                // After the rebinding in this block, or after this block where the rebinding runs first (no loop
                // around it that a `break` leaves, no `try` whose handler goes on, no `with` that may swallow an
                // error): another object's use.
                if rebind.is_some()
                    && tname == name
                    && (rebind_runs_first
                        || block.last().is_some_and(|l| occ.range.end() <= l.end())
                        || only_tested(cx, &occ, stmt)
                        || other_branch(stack, stmt.range(), occ.range))
                {
                    continue;
                }
                if tname == name && outer_rebind.is_some_and(|r| occ.range.start() >= r) {
                    continue;
                }
                if rebind.is_some_and(|r| occ.range.start() >= block[r].start() && occ.range.end() <= block[r].end()) {
                    continue;
                }
                if weak && !cursors.contains(&tname) {
                    continue;
                }
                return Err(format!("`{tname}` is used after the block that opens it"));
            };
            // The original closes the file there: what wraps it is used after the close in the original too.
            if tname != name && close_stmt.is_some_and(|c| j > c) {
                continue;
            }
            // Bound again after the code's own close (`f.close()`, then `with suppress(OSError): f = open(q)`): what
            // the name holds from there was closed here already in the original, or is another object.
            if occ.kind == OccKind::Store && tname == name && close_stmt.is_some_and(|c| j > c) {
                continue;
            }
            if occ.kind == OccKind::Store {
                let top_level_assign =
                    matches!(&block[j], Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == occ.range);
                // `r1 = s.get(url)` inside a `with` block, `data += await loop.sock_recv(sock, n)`: the binding
                // that derives the name from the object is no rebinding.
                let from_object =
                    |value: &Expr| scope.uses(cx, name).iter().any(|u| value.range().contains_range(u.range));
                let deriving = tname != name
                    && match occ.stmt(cx, &block[j]) {
                        Stmt::Assign(a) => {
                            a.targets.len() == 1
                                && match &a.targets[0] {
                                    Expr::Tuple(t) => t.elts.iter().any(|e| e.range() == occ.range),
                                    Expr::List(t) => t.elts.iter().any(|e| e.range() == occ.range),
                                    t => t.range() == occ.range,
                                }
                                && from_object(&a.value)
                        }
                        Stmt::AugAssign(a) => a.target.range() == occ.range && from_object(&a.value),
                        Stmt::AnnAssign(a) => {
                            a.target.range() == occ.range && a.value.as_deref().is_some_and(from_object)
                        }
                        // `(fd := f.fileno())`
                        _ => matches!(occ.exprs(cx).last(), Some(Expr::Named(w))
                            if w.target.range() == occ.range && from_object(&w.value)),
                    };
                if (tname == name || !top_level_assign) && !deriving {
                    return Err(format!("`{tname}` is rebound while the file is open"));
                }
                continue;
            }
            if occ.kind == OccKind::Del {
                // A `with` statement keeps the object alive to the block's end: `del` no longer frees it (a test
                // may check that it does).
                if tname == name {
                    return Err(format!("`del {name}` would no longer free the object: the `with` keeps it alive"));
                }
                last = last.max(j);
                continue;
            }
            let stmt_of = occ.stmt(cx, &block[j]);
            let exprs = occ.exprs(cx);
            let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
            let f = if entered_closes { f } else { commits_only(f, occ.range, &exprs, stmt_of) };
            // `cu = conn.cursor()`: the cursor may need the open connection; its later uses in the block stay in
            // it (followed weakly: `rows = pool.map(...)` is plain data that may well be returned).
            // `select = selector.select`: a bound method holds the object; it must not outlive the block.
            // `return f.readline`, `self.read = f.read`: a bound method that outlives the statement holds the object.
            // `operator.attrgetter("read")(f)` is a call pyfix does not know (`unknown`).
            if f == Flow::Consumed || unknown.is_some() || taken_names.contains(&tname) {
                let strict = tname == name
                    || aliases.contains(&tname)
                    || cursors.contains(&tname)
                    || taken_names.contains(&tname);
                let taken = taken(cx, scope, stmt_of, occ.range, &exprs, taken_names.contains(&tname));
                if let Some(Taken::Here(Some(why)) | Taken::Names(_, Some(why))) = &taken {
                    if strict && !weak {
                        unsafe_reason.get_or_insert(why.clone());
                    }
                }
                match taken {
                    Some(Taken::Kept(what)) if strict => {
                        return Err(if taken_names.contains(&tname) {
                            format!("`{tname}` (taken from `{name}`: a bound method or an attribute) is kept past the statement")
                        } else if aliases.contains(&tname) {
                            format!(
                                "`{what}` is kept past the statement, and it holds `{tname}`, another name for `{name}` (a \
                                 bound method or an attribute of it)"
                            )
                        } else {
                            format!(
                                "`{what}` is kept past the statement, and it holds `{tname}` (a bound method or an \
                                 attribute of it)"
                            )
                        });
                    }
                    // What wraps the object (a response) is followed only as far as a method taken from it.
                    Some(Taken::Names(bound, _))
                        if strict
                            || matches!((exprs.as_slice(), stmt_of), ([Expr::Attribute(a)], Stmt::Assign(s))
                                if a.value.range() == occ.range && s.value.range() == a.range) =>
                    {
                        // A bound method of the object or of a cursor must not outlive the block either.
                        for b in bound {
                            if cursors.contains(&tname) && !cursors.contains(&b) {
                                cursors.push(b.clone());
                            }
                            // `cb = f.read`: what is taken from `cb` (`cb.__self__`) holds the object too.
                            if strict && !taken_names.contains(&b) {
                                taken_names.push(b.clone());
                            }
                            if !tracked.iter().any(|(t, _)| *t == b) {
                                tracked.push((b, weak && !strict));
                            }
                        }
                    }
                    _ => {}
                }
            }
            // `fd = f.fileno()`: the descriptor is the object's; its uses stay in the block.
            if f == Flow::Consumed && tname == name && follow_methods == Follow::Not {
                if let Some(fd) = fileno_name(stmt_of, occ.range, &exprs) {
                    if !tracked.iter().any(|(t, _)| *t == fd) {
                        tracked.push((fd, false));
                    }
                }
            }
            if follow_methods != Follow::Not
                && f == Flow::Consumed
                && tname == name
                && !chain(occ.range, &exprs).fetched
            {
                if let Some(derived) = derived_name(stmt_of, occ.range, &exprs) {
                    if derived != tname && !tracked.iter().any(|(t, _)| *t == derived) {
                        if !entered_closes {
                            cursors.push(derived.clone());
                        }
                        tracked.push((derived, follow_methods == Follow::Weakly));
                    }
                }
                // `return conn.execute(q)`: the cursor goes to the caller, and the block would close its connection.
                if !entered_closes && matches!(stmt_of, Stmt::Return(_)) && chained(stmt_of, occ.range, &exprs) {
                    return Err(format!("what `{name}` gives is returned, and it needs `{name}` open"));
                }
            }
            // `self.cur = conn.execute(q)`, `it = iter(conn.execute(q))`: a cursor kept where pyfix does not follow it.
            if !entered_closes && f == Flow::Consumed && (tname == name || cursors.contains(&tname)) {
                if let Some(why) = result_outlives(cx, scope, stmt_of, occ.range, &exprs, tname != name) {
                    return Err(why);
                }
            }
            if tname == name {
                if let Some(why) = fd_escapes(cx, scope, name, stmt_of, occ.range, &exprs) {
                    return Err(why);
                }
                // `SSLIOStream(conn)` alone: built and dropped, a constructor that keeps nothing would be pointless;
                // it registers itself (with an event loop) and keeps the object.
                if let (Some(callee), Stmt::Expr(e)) = (&unknown, stmt_of) {
                    let direct = matches!(e.value.as_ref(), Expr::Call(c)
                        if c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value))
                            .any(|a| a.range() == occ.range));
                    // Not when the class is one pyfix can read and its constructor keeps `self` nowhere
                    // (`zipfile.Path(zf)`, built for its effect on `zf`): the object dies with the statement.
                    let kept = || match e.value.as_ref() {
                        Expr::Call(c) => constructor_keeps_self(cx, c) != Some(false),
                        _ => true,
                    };
                    if direct && unknown_is_constructor(callee) && kept() {
                        return Err(format!(
                            "`{callee}(...)` is built and dropped: such an object registers itself (with an event \
                             loop, a registry) and keeps `{name}` for later use"
                        ));
                    }
                }
            }
            // `_close_quietly(f)`, a function of this module that only closes what it is given: the code's own close.
            // What it returns holds nothing of the object (`return _drain(f)`).
            let closes_it = unknown.is_some() && closing_callee(cx, occ.range, &exprs, entered_closes).is_some();
            if closes_it && tname == name {
                last = last.max(j);
                continue;
            }
            if let Some(callee) = unknown.as_ref().filter(|_| !closes_it) {
                if !weak {
                    unsafe_reason.get_or_insert(format!("`{tname}` is passed to `{callee}()`, which may keep it open"));
                }
            }
            // `stack.push(con.__exit__)`, `loop.add_reader(fd, sock.recv)`: a bound method handed to a callee holds
            // the object, and the callee may call it after the block.
            if f == Flow::Consumed && !weak {
                if let Some((method, callee)) = bound_method_handed(cx, occ.range, &exprs) {
                    return Err(format!(
                        "`{tname}.{method}` is handed to `{callee}()`, which may keep it and call it after the block"
                    ));
                }
            }
            // `cx.__init__(db)`: the object is set up again by hand. Where that fails it is left uninitialised, and
            // closing it at the block's end raises (`ProgrammingError` from a `sqlite3` connection) over the error.
            if tname == name {
                if let [.., Expr::Attribute(a)] = exprs.as_slice() {
                    let parent = exprs.len().checked_sub(2).map(|p| exprs[p]);
                    if a.attr.as_str() == "__init__" && a.value.range() == occ.range {
                        if matches!(parent, Some(Expr::Call(c)) if c.func.range() == a.range) {
                            unsafe_reason.get_or_insert(format!(
                                "`{name}.__init__(...)` sets it up again by hand: where that fails, closing it at \
                                 the block's end raises over the error"
                            ));
                        } else {
                            return Err(format!(
                                "`{name}.__init__` is handed on to be called (an expected failure leaves the object \
                                 uninitialised, and closing it then raises)"
                            ));
                        }
                    }
                }
            }
            // `cursors.append(cur)` on a list the function made: followed as a cursor itself.
            if cursors.contains(&tname) && matches!(f, Flow::Escapes(_, Owner::Receiver)) {
                if let Some(holder) = local_receiver(cx, scope, &exprs) {
                    if !cursors.contains(&holder) {
                        cursors.push(holder.clone());
                        tracked.push((holder, true));
                    }
                    last = last.max(j);
                    continue;
                }
            }
            match f {
                Flow::Consumed | Flow::Iterated => {}
                Flow::Managed => {
                    // `if x: conn.close(); return None`, `try: f.write(x); f.close(); check(p)`: a close inside a
                    // nested block stays where it is (the code's own order is kept on every path that closes), and
                    // the `with` around the whole use closes on the paths that do not. Closing twice is harmless.
                    if tname == name
                        && !keep_close
                        && is_close_call(occ.range, &exprs)
                        && close_stmt.is_none()
                        && is_close_statement(&block[j], &exprs)
                    {
                        close_stmt = Some(j);
                    }
                }
                // `log = f` where `log` is `global`/`nonlocal`: the object outlives the function through it.
                Flow::Kept(other) if !weak && scope.is_declared(cx, &other) => {
                    return Err(format!("`{other}`{OUTER_NAME}, and `{tname}` is bound to it"));
                }
                Flow::Kept(other) => {
                    // `it = iter(cur)`: what wraps a cursor needs the connection open too.
                    if cursors.contains(&tname) && !cursors.contains(&other) {
                        cursors.push(other.clone());
                    }
                    // `g = f`: another name for the object.
                    let plain = matches!(stmt_of, Stmt::Assign(a) if a.value.range() == occ.range
                        && matches!(a.targets.as_slice(), [Expr::Name(t)] if t.id.as_str() == other));
                    if plain && !weak && (tname == name || aliases.contains(&tname)) && !aliases.contains(&other) {
                        aliases.push(other.clone());
                    }
                    if other != tname && !tracked.iter().any(|(t, _)| *t == other) {
                        // A constructor (`StreamHandler(f)`) keeps what it is given: follow its result as strictly
                        // as a known wrapper's. A plain function's result may or may not hold the file.
                        // A socket or connection handed to unknown code usually moves into its result.
                        let weak_result = follow_methods == Follow::Not
                            && unknown.as_deref().is_some_and(|c| !unknown_is_constructor(c));
                        tracked.push((other, weak || weak_result));
                    }
                }
                Flow::Escapes(_, Owner::Caller) if cursors.contains(&tname) => {
                    return Err(format!("`{tname}` is returned, and it needs `{name}` open"));
                }
                Flow::Escapes(how, _) if cursors.contains(&tname) => {
                    return Err(format!("`{tname}` escapes ({how}), and it needs `{name}` open"));
                }
                Flow::Escapes(..) if weak => {}
                Flow::Escapes(how, _) => return Err(format!("`{tname}` escapes: {how}")),
            }
            last = last.max(j);
        }
    }

    // Uses after an explicit close would now meet a closed file just the same, but keep the code simple to read:
    // the block ends at the close.
    if let Some(c) = close_stmt {
        if last > c {
            return Err(format!("`{name}` is used after `{name}.close()`"));
        }
    }
    // Another file opened inside the block and used after it (`fin = open(a)`, `fout = open(b)`, a copy loop,
    // `fin.close()`, `fout.close()`): the block covers its uses too, so that the next pass can put that file in a
    // `with` of its own. Closing the first file a little later changes nothing else.
    // Not when the code closes the first file itself before other work: closing it later than the code did may
    // change what that work sees (a socket built on the first one's descriptor); closing the other file is fine.
    let mut k = i + 1;
    let own_last = last;
    while k <= last {
        if let Some(other) = opened_name(cx, &block[k]) {
            if other != name {
                for occ in scope.uses(cx, other) {
                    if let Some(j) = index_of(occ.range) {
                        last = last.max(j);
                    }
                }
            }
        }
        k += 1;
    }
    let closes_other = |s: &Stmt| {
        s.is_expr_stmt()
            && statement_method_call(s, &["close"]).is_some_and(|(r, c)| r != name && c.arguments.is_empty())
    };
    if close_stmt.is_some_and(|c| last > own_last && !block[c + 1..=last].iter().all(closes_other)) {
        last = own_last;
    }
    let split = line_sharing(cx, block, i, last)?;
    Ok(Plan { last, close_stmt, unsafe_reason, split })
}

/// `f` bound in every branch that goes on (`if c: f = open(a)` / `else: f = open(b)`, or `try: f = open(a)` /
/// `except OSError: return ...` or `f = open(b)`) and used after the join: the `with f:` block goes after the
/// `if`/`try`, which stays as it is. Each branch either ends with the open (so nothing else in it can raise with the
/// file open) or leaves (`return`, `raise`, `continue`, `break`), and touches `f` nowhere else; a `try` has no
/// `else`/`finally` and its body ends with the open; an `if` has an `else`.
pub(super) fn after_join<'a>(
    cx: &Context,
    site: Site<'_, 'a>,
    name: &str,
    follow_methods: Follow,
    entered_closes: bool,
) -> Option<(Frame<'a>, Plan)> {
    let Site { scope, block, index: i, stack } = site;

    let (frame, outer) = stack.split_last()?;
    if i + 1 != block.len() {
        return None;
    }
    let uses = scope.uses(cx, name);
    // The branch ends with `name = <open>(...)` and uses `name` nowhere else, or leaves without touching it.
    let branch_ok = |body: &[Stmt], range: TextRange| {
        let Some(end) = body.last() else { return false };
        let elsewhere = uses.iter().any(|o| range.contains_range(o.range) && !end.range().contains_range(o.range));
        if elsewhere {
            return false;
        }
        let opens = opened_name(cx, end) == Some(name);
        let leaves = matches!(end, Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_))
            && !uses.iter().any(|o| end.range().contains_range(o.range));
        opens || leaves
    };
    let branch_range = |body: &[Stmt]| match (body.first(), body.last()) {
        (Some(a), Some(b)) => TextRange::new(a.start(), b.end()),
        _ => TextRange::default(),
    };
    let joins = match frame.stmt() {
        Stmt::Try(t) => {
            let body_opens = t.body.last().is_some_and(|s| opened_name(cx, s) == Some(name));
            body_opens
                && branch_ok(&t.body, branch_range(&t.body))
                && t.orelse.is_empty()
                && t.finalbody.is_empty()
                && !t.is_star
                && t.handlers.iter().all(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    branch_ok(&h.body, h.range)
                })
        }
        Stmt::If(s) => {
            let has_else = s.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
            has_else
                && branch_ok(&s.body, branch_range(&s.body))
                && s.elif_else_clauses.iter().all(|c| branch_ok(&c.body, branch_range(&c.body)))
        }
        _ => false,
    };
    if !joins {
        return None;
    }
    let plan = plan(
        cx,
        Site { scope, block: frame.block, index: frame.index, stack: outer },
        name,
        false,
        follow_methods,
        entered_closes,
    )
    .ok()?;
    (plan.last > frame.index).then_some((*frame, plan))
}

/// `y = x.method(...)` or `y = x.attr.method(...)[k]` where `x` is at `at`: `y`.
pub(super) fn derived_name(stmt: &Stmt, at: TextRange, exprs: &[&Expr]) -> Option<String> {
    let Stmt::Assign(a) = stmt else { return None };
    let [Expr::Name(target)] = a.targets.as_slice() else { return None };
    chained(stmt, at, exprs).then(|| target.id.to_string())
}

/// The value of `stmt` (an assignment's or a `return`'s) is a chain on the object at `at`: every enclosing
/// expression is an attribute access, call or subscript on the one inside it (`conn.execute(q)`).
fn chained(stmt: &Stmt, at: TextRange, exprs: &[&Expr]) -> bool {
    let value = match stmt {
        Stmt::Assign(a) => Some(a.value.as_ref()),
        Stmt::Return(r) => r.value.as_deref(),
        _ => None,
    };
    !exprs.is_empty() && value.map(Ranged::range) == Some(exprs[0].range()) && chain(at, exprs).outside == 0
}

/// Plain data attributes of files, sockets and processes: values, not the object nor a bound method holding it
/// (`p.stdout`, `f.buffer` are objects that share its descriptor).
const DATA_ATTRS: &[&str] = &[
    "name",
    "mode",
    "closed",
    "encoding",
    "errors",
    "newlines",
    "family",
    "type",
    "proto",
    "timeout",
    "pid",
    "returncode",
    "args",
    // io
    "line_buffering",
    "write_through",
    // zipfile, tarfile
    "filename",
    "comment",
    "debug",
    "compression",
    "compresslevel",
    "format",
    // sqlite3 (and DB-API) connections and cursors
    "total_changes",
    "in_transaction",
    "isolation_level",
    "autocommit",
    "lastrowid",
    "rowcount",
    "description",
    "arraysize",
    // http.client responses
    "status",
    "reason",
    "version",
    "length",
];

/// Where a bound method or attribute taken uncalled from the object goes (see `taken`).
enum Taken {
    /// Called, tested, compared, used up where it stands: nothing of it outlives the statement. With a reason when it
    /// was handed to a call pyfix does not know, which may keep it.
    Here(Option<String>),
    /// Bound to these local plain names (`y = x.read`, `w = map(x.write, xs)`, `tokens = generate_tokens(x.readline)`):
    /// followed like the object (with a reason, as `Here`'s).
    Names(Vec<String>, Option<String>),
    /// Kept past the statement (returned, yielded, stored, an element of what is kept, a comprehension's element, a
    /// lambda, a `:=`): the expression's text.
    Kept(String),
}

/// What the value carried up from the taken expression is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Carried {
    /// The bound method or attribute itself (or one taken from it: `f.read.__self__`).
    Itself,
    /// An iterator that calls it or reads it as it is iterated (`map(f.write, xs)`, `iter(f.readline, "")`, a
    /// generator expression over `s.adapters`): what it yields is data.
    Lazy,
    /// Something whose elements are it (`[f.read]`, `(f.read, f.write)`, `iter([f.read])`).
    Elements,
}

/// `x.attr` taken uncalled (not a plain data attribute: `DATA_ATTRS`), `getattr(x, ...)` or
/// `operator.attrgetter(...)(x)`, `x` at `at`: a bound method (or an object) that holds `x`, followed up through
/// what carries it on (a chain on it, a conditional, a display, `*`, `+` of displays, a lazy `map`/`iter`/generator
/// expression, a call pyfix does not know, whose result may keep it) to where it stops: called, tested, compared or
/// used up there (`Here`), bound to local plain names (`Names`), or anywhere else (`Kept`). An element of a display
/// stops only where what uses it cannot hand an element on (`len`, `any`, a test). `None`: no such expression at
/// `at`.
fn taken(cx: &Context, scope: &Scope, stmt: &Stmt, at: TextRange, exprs: &[&Expr], itself: bool) -> Option<Taken> {
    use crate::codemods::analyze::params::INSPECTORS;
    use Carried::*;
    let n = exprs.len();
    // `itself`: the name at `at` is bound to what was taken (`r = f.read`, `it = iter(f.readline, "")`).
    let start = match exprs {
        _ if itself => at,
        [.., Expr::Attribute(a)]
            if a.value.range() == at && a.ctx == ast::ExprContext::Load && !DATA_ATTRS.contains(&a.attr.as_str()) =>
        {
            a.range
        }
        [.., Expr::Call(c)]
            if c.arguments.args.first().is_some_and(|x| x.range() == at)
                && match c.func.as_ref() {
                    Expr::Name(g) => g.id.as_str() == "getattr",
                    Expr::Call(g) => qualified_name(cx, &g.func).as_deref() == Some("operator.attrgetter"),
                    _ => false,
                } =>
        {
            c.range()
        }
        _ => return None,
    };
    let (mut k, mut cur, mut what, mut unknown) = (if itself { n } else { n - 1 }, start, Itself, None::<String>);
    // Made an element of a display (not only of an unknown call's result, which is followed by name).
    let mut displayed = false;
    let kept = || Some(Taken::Kept(cx.source.slice(start).to_string()));
    let here = |unknown: Option<String>| Some(Taken::Here(unknown));
    // Builtins whose result holds nothing of what they are given (`type` of one argument: with three it builds a
    // class holding them).
    let plain_result = |name: &str, nargs: usize| {
        (INSPECTORS.contains(&name) && (name != "type" || nargs == 1))
            || matches!(name, "len" | "bool" | "str" | "repr" | "hash" | "any" | "all" | "print")
    };
    // What an iterator calling the method `callable` yields.
    let yields = |callable: Option<&Expr>| match callable {
        Some(Expr::Attribute(a))
            if PLAIN_RESULTS.contains(&a.attr.as_str())
                || matches!(a.attr.as_str(), "write" | "writelines" | "send" | "sendall" | "seek" | "flush") =>
        {
            Lazy
        }
        _ => Elements,
    };
    while k > 0 {
        let parent = exprs[k - 1];
        match parent {
            Expr::Call(c) if c.func.range() == cur => {
                return if what == Itself { here(unknown) } else { kept() };
            }
            Expr::Attribute(x) if x.value.range() == cur => {
                if what != Itself {
                    return kept();
                }
            }
            // `s.headers[k] = v`: the attribute's object changed in place.
            Expr::Subscript(x) if x.value.range() == cur => {
                if x.ctx != ast::ExprContext::Load {
                    return here(unknown);
                }
                if what != Itself {
                    return kept();
                }
            }
            // A key: stored (`REG[f.read] = p`), also by a lookup in a `defaultdict`.
            Expr::Subscript(_) => return kept(),
            Expr::If(x) if x.test.range() == cur => return here(unknown),
            Expr::If(_) | Expr::BoolOp(_) => {}
            Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) | Expr::Starred(_) => {
                what = Elements;
                displayed = true;
            }
            Expr::BinOp(_) if what == Elements => {}
            Expr::Call(c) => {
                let qualified = qualified_name(cx, &c.func).unwrap_or_default();
                // A builtin's name (`sorted`, `map`), not a function of the module's own by that name.
                let callee = qualified.strip_prefix("builtins.").unwrap_or_default().to_string();
                let positional = c.arguments.args.iter().position(|a| a.range() == cur);
                let nargs = c.arguments.args.len();
                // `self.assertFalse(f._rolled)`, `self.assertRaises(E, m.resize, 0)`: used (called) there.
                let in_place = assertion_reads_only(cx, &c.func) || qualified == "pytest.raises";
                // `"".join(iter(f.readline, ""))`: a string's method that uses up what it is given.
                let joined = literal_join(&c.func) && positional.is_some();
                // They yield (some of) the elements of what they are given, as `iter` does.
                let passes_on = positional.is_some()
                    && matches!(
                        qualified.as_str(),
                        "itertools.islice"
                            | "itertools.takewhile"
                            | "itertools.dropwhile"
                            | "itertools.chain"
                            | "itertools.compress"
                            | "itertools.zip_longest"
                    );
                // `sorted(xs, key=f.tell)`: called there for each element.
                let key = matches!(callee.as_str(), "sorted" | "min" | "max")
                    && what == Itself
                    && c.arguments
                        .keywords
                        .iter()
                        .any(|k| k.value.range() == cur && k.arg.as_ref().is_some_and(|a| a.as_str() == "key"));
                match callee.as_str() {
                    _ if in_place || key || positional.is_some() && plain_result(&callee, nargs) => {
                        return here(unknown)
                    }
                    _ if joined => return if what == Elements { kept() } else { here(unknown) },
                    _ if passes_on => {
                        if what == Itself {
                            return kept();
                        }
                    }
                    // `map(f.write, xs)`, `filter(f.readable, xs)`, `iter(f.readline, "")`: calls it as it goes, and
                    // yields what it returns: data for a method known to return data (`map(t.extractfile, names)`
                    // yields members that read from the archive).
                    "map" | "filter" if positional == Some(0) && what == Itself => {
                        what = yields(c.arguments.args.first())
                    }
                    "iter" if positional == Some(0) && nargs == 2 && what == Itself => {
                        what = yields(c.arguments.args.first());
                    }
                    // What they yield are the elements of what they are given.
                    "iter" | "map" | "filter" | "zip" | "enumerate" | "reversed" if positional.is_some() => {
                        if what == Itself {
                            return kept();
                        }
                    }
                    // They hold the elements of what they are given: data, unless the elements are it (or they
                    // return one of their arguments: `min(f.read, f.readline)`).
                    _ if positional.is_some() && eager_builtin(&callee)
                        || matches!(callee.as_str(), "sum" | "min" | "max") =>
                    {
                        let picks = matches!(callee.as_str(), "min" | "max") && nargs > 1;
                        if what == Elements || picks || positional.is_none() {
                            return kept();
                        }
                        return here(unknown);
                    }
                    "setattr" => return kept(),
                    _ => {
                        if bound_method_handed(cx, at, exprs).is_some() {
                            // Judged by the caller, with the callee's name.
                            return here(unknown);
                        }
                        match qualified_name(cx, &c.func).as_deref() {
                            Some("tokenize.detect_encoding") if what == Itself => return here(unknown),
                            Some("tokenize.tokenize" | "tokenize.generate_tokens") if what == Itself => what = Lazy,
                            _ => {
                                // Its result may keep it (`Holder(f.read)`), and so may the callee itself.
                                unknown.get_or_insert_with(|| {
                                    format!(
                                        "`{}` is handed to `{}()`, which may keep it",
                                        cx.source.slice(start),
                                        cx.source.slice(c.func.range())
                                    )
                                });
                                what = Elements;
                            }
                        }
                    }
                }
            }
            Expr::Generator(g) if g.generators.first().is_some_and(|g| g.iter.range() == cur) => {
                if what == Itself {
                    what = Lazy;
                }
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
                if generators.iter().any(|g| g.iter.range() == cur) =>
            {
                return if what == Elements { kept() } else { here(unknown) };
            }
            Expr::Compare(_) | Expr::UnaryOp(_) | Expr::FString(_) => return here(unknown),
            Expr::BinOp(_) => return here(unknown),
            _ => return kept(),
        }
        cur = parent.range();
        k -= 1;
    }
    let local = |e: &Expr| match e {
        Expr::Name(t) if !scope.is_declared(cx, t.id.as_str()) => Some(t.id.to_string()),
        _ => None,
    };
    let names = |e: &Expr| match e {
        Expr::Tuple(t) => t.elts.iter().map(local).collect::<Option<Vec<_>>>(),
        Expr::List(t) => t.elts.iter().map(local).collect::<Option<Vec<_>>>(),
        e => local(e).map(|n| vec![n]),
    };
    // `a, b = f.read, f.readline`: each name is bound to one element, the method itself.
    let unpacked = |t: &Expr| {
        matches!(t, Expr::Tuple(_) | Expr::List(_))
            && matches!(exprs, [Expr::Tuple(_) | Expr::List(_), e] if e.range() == start)
    };
    match stmt {
        // A name bound to something whose elements are it (`cbs = [f.read]`) is not followed: what is read from it
        // is not data.
        Stmt::Assign(a) if a.value.range() == cur => match a.targets.as_slice() {
            [t] if !displayed || unpacked(t) => names(t).map_or_else(kept, |names| Some(Taken::Names(names, unknown))),
            _ => kept(),
        },
        Stmt::Expr(e) if e.value.range() == cur => here(unknown),
        Stmt::If(x) if x.test.range() == cur => here(unknown),
        Stmt::While(x) if x.test.range() == cur => here(unknown),
        Stmt::Assert(x) if x.test.range() == cur => here(unknown),
        // A `for` over it: the loop's name is bound to its elements.
        Stmt::For(x) if x.iter.range() == cur && what != Elements => here(unknown),
        Stmt::With(x) if what == Itself && x.items.iter().any(|i| i.context_expr.range() == cur) => here(unknown),
        // A target (`s.auth = ...`, `del s.cache`): not taken.
        Stmt::Assign(_) | Stmt::AugAssign(_) | Stmt::AnnAssign(_) | Stmt::Delete(_)
            if exprs.first().is_some_and(|e| e.range() == cur)
                && !matches!(stmt, Stmt::Assign(a) if a.value.range() == cur)
                && !matches!(stmt, Stmt::AugAssign(a) if a.value.range() == cur)
                && !matches!(stmt, Stmt::AnnAssign(a) if a.value.as_ref().is_some_and(|v| v.range() == cur)) =>
        {
            here(unknown)
        }
        _ => kept(),
    }
}

/// `fd = x.fileno()`, `fd: int = x.fileno()`, `(fd := x.fileno())` (`x` at `at`): `fd`.
fn fileno_name(stmt: &Stmt, at: TextRange, exprs: &[&Expr]) -> Option<String> {
    let n = exprs.len();
    let call = match exprs {
        [.., Expr::Call(c), Expr::Attribute(a)]
            if a.value.range() == at && a.attr.as_str() == "fileno" && c.func.range() == a.range =>
        {
            c.range()
        }
        _ => return None,
    };
    let name = |e: &Expr| match e {
        Expr::Name(t) => Some(t.id.to_string()),
        _ => None,
    };
    // Up through what hands the number on as it is (`int(f.fileno())`, `f.fileno() if f else -1`).
    let (mut k, mut value) = (n - 2, call);
    while k > 0 && (carries_number(exprs[k - 1], value) || matches!(exprs[k - 1], Expr::List(_) | Expr::Set(_))) {
        value = exprs[k - 1].range();
        k -= 1;
    }
    match k.checked_sub(1).map(|p| exprs[p]) {
        Some(Expr::Named(w)) if w.value.range() == value => name(&w.target),
        Some(_) => None,
        None => match stmt {
            Stmt::Assign(s) if s.value.range() == value && s.targets.len() == 1 => name(&s.targets[0]),
            Stmt::AnnAssign(s) if s.value.as_ref().is_some_and(|v| v.range() == value) => name(&s.target),
            _ => None,
        },
    }
}

/// `parent` hands on the number at `value` as it is: `int(value)`, a conditional's branch, `a or value`, `value + 0`.
fn carries_number(parent: &Expr, value: TextRange) -> bool {
    match parent {
        Expr::BinOp(_) => true,
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "int")
                && matches!(c.arguments.args.as_ref(), [a] if a.range() == value)
        }
        Expr::If(i) => i.test.range() != value,
        Expr::BoolOp(_) => true,
        _ => false,
    }
}

/// `callee(..., x.method, ...)` (the method not called) where `x` is at `at` and the callee keeps a callable to
/// call it later: a method that registers, keeps or manages its argument (`analyze::effects`:
/// `loop.call_soon(sock.recv)`, `stack.push(con.__exit__)`, `pool.submit(f.read)`, `self.addCleanup(f.flush)`), a
/// function or class that does (`Thread(None, f.read)`, `functools.partial(f.write, b"x")`,
/// `weakref.finalize(o, f.flush)`), or any callee given it as `target=`/`callback=`: the method's name and the
/// callee's text. Data attributes (`f.name`) are values, not the object.
fn bound_method_handed<'e>(cx: &'e Context, at: TextRange, exprs: &[&'e Expr]) -> Option<(&'e str, &'e str)> {
    const KEEPS_CALLABLE: &[&str] =
        &["Thread", "Process", "Timer", "start_new_thread", "partial", "partialmethod", "finalize", "signal"];
    let [.., Expr::Call(c), Expr::Attribute(a)] = exprs else { return None };
    if a.value.range() != at || c.func.range() == a.range || DATA_ATTRS.contains(&a.attr.as_str()) {
        return None;
    }
    let keeps = match c.func.as_ref() {
        Expr::Attribute(m) => {
            matches!(
                argument_effect(m.attr.as_str()),
                Some(Argument::Registers | Argument::KeepsIt | Argument::Manages | Argument::HandsOff)
            ) || KEEPS_CALLABLE.contains(&m.attr.as_str())
        }
        Expr::Name(n) => KEEPS_CALLABLE.contains(&n.id.as_str()),
        _ => return None,
    };
    let as_target = c.arguments.keywords.iter().any(|k| {
        k.value.range() == a.range && k.arg.as_ref().is_some_and(|n| matches!(n.as_str(), "target" | "callback"))
    });
    (keeps || as_target).then(|| (a.attr.as_str(), cx.source.slice(c.func.range())))
}

/// `name = open(...)` (any known opener): the name.
fn opened_name<'a>(cx: &Context, stmt: &'a Stmt) -> Option<&'a str> {
    let Stmt::Assign(a) = stmt else { return None };
    let ([Expr::Name(n)], Expr::Call(call)) = (a.targets.as_slice(), a.value.as_ref()) else { return None };
    opener(cx, call).map(|_| n.id.as_str())
}

/// Statements are one per line except simple statements joined by `;` (`f = open(p); data = f.read()`), which the
/// fix splits: `Ok(true)` when some must be split. Statements after `block[last]` on its line are split off too.
fn line_sharing(cx: &Context, block: &[Stmt], i: usize, last: usize) -> Result<bool, String> {
    let shared = || Err("statements in the block share a line".to_string());
    let mut split = false;
    let mut k = i;
    while k < block.len() && (k <= last || !cx.source.starts_line(block[k].start())) {
        let s = &block[k];
        let compound = is_compound(s);
        if !cx.source.starts_line(s.start()) {
            if k == i || compound || cx.source.slice(TextRange::new(block[k - 1].end(), s.start())).trim() != ";" {
                return shared();
            }
            split = true;
        }
        if !cx.source.ends_line(s.end()) && !compound {
            // Only `; next statement` may follow.
            if block.get(k + 1).is_none_or(|n| cx.source.starts_line(n.start())) {
                return shared();
            }
        }
        k += 1;
    }
    Ok(split)
}

fn is_compound(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::Match(_)
    )
}

/// A name derived from the object (`r = s.get(url)`), met earlier in the loop's body: this iteration binds it
/// before it reads it (`r = requests.get(url)` as a statement of the body, before `r.status_code`), so the use
/// is not of the previous iteration's value.
fn bound_first_in_loop(cx: &Context, scope: &Scope, lp: &Stmt, tname: &str, occ: &Occ) -> bool {
    let body = match lp {
        Stmt::For(f) => &f.body,
        Stmt::While(w) => &w.body,
        _ => return false,
    };
    // A nested function, lambda or generator reads the name when it runs, not where it stands.
    if occ.captured {
        return false;
    }
    if occ.kind == OccKind::Store {
        return true;
    }
    scope.uses(cx, tname).iter().any(|st| {
        st.kind == OccKind::Store
            && st.range.start() < occ.range.start()
            && body.iter().any(|s| {
                matches!(s, Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == st.range)
                    && s.end() <= occ.range.start()
            })
    })
}

fn innermost_loop<'a>(stack: &[Frame<'a>]) -> Option<&'a Stmt> {
    stack.iter().rev().map(Frame::stmt).find(|s| matches!(s, Stmt::For(_) | Stmt::While(_)))
}

/// `name.close()`: the name at `range` with enclosing expressions `exprs`.
pub(super) fn is_close_call(range: TextRange, exprs: &[&Expr]) -> bool {
    let n = exprs.len();
    n >= 2
        && matches!(exprs[n - 1], Expr::Attribute(a) if a.attr.as_str() == "close" && a.value.range() == range)
        && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range())
}

/// The statement is exactly `name.close()`.
fn is_close_statement(stmt: &Stmt, exprs: &[&Expr]) -> bool {
    matches!(stmt, Stmt::Expr(e) if exprs.len() == 2 && e.value.range() == exprs[0].range())
}

/// `name.fileno()` whose descriptor number outlives what the code can see: passed (directly or in a list, tuple or
/// set) to a callee that may keep it (`SendFD(sock.fileno())`, `os.fdopen`, `socket.socket(fileno=...)`, a
/// registry), stored on an object or in a container, returned or yielded. Closing the object at the block's end
/// would close that descriptor under its keeper. Functions that only use it where they stand (`os.*` but `fdopen`,
/// `fcntl`, `termios`, `tty`, `select`, `mmap.mmap` and `socket.fromfd`, which duplicate it, `subprocess`, `print`,
/// `str`, `int`, `assert*` methods) do not keep it; a local name it is assigned to is not followed.
/// Nor does a keeper the function itself ends while the code closes the object on its normal path
/// (`socket.socket(fileno=s.fileno()).close()`; `k = socket.socket(fileno=s0.fileno())` then `s0.close()` and
/// `k.detach()`): the number's life is in view, and the block's end closes where the code does.
fn fd_escapes(
    cx: &Context,
    scope: &super::scopes::Scope,
    name: &str,
    stmt: &Stmt,
    range: TextRange,
    exprs: &[&Expr],
) -> Option<String> {
    let n = exprs.len();
    let is_fileno = n >= 2
        && matches!(exprs[n - 1], Expr::Attribute(a) if a.attr.as_str() == "fileno" && a.value.range() == range)
        && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range());
    if !is_fileno {
        return None;
    }
    let fd_call = exprs[n - 2].range();
    // Up through displays and the builtins that build containers (`set([...])`) to what receives the number.
    let container = |e: &Expr| match e {
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) => true,
        Expr::Call(c) => qualified_name(cx, &c.func).is_some_and(|q| {
            matches!(
                q.as_str(),
                "builtins.set" | "builtins.list" | "builtins.tuple" | "builtins.frozenset" | "builtins.sorted"
            )
        }),
        _ => false,
    };
    let mut k = n - 2;
    while k > 0 && (container(exprs[k - 1]) || carries_number(exprs[k - 1], exprs[k].range())) {
        k -= 1;
    }
    let escaped = |how: &str| Some(format!("the descriptor number from `{}` {how}", cx.source.slice(fd_call)));
    if k == 0 {
        return match stmt {
            Stmt::Return(_) => escaped("is returned"),
            Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::Yield(_) | Expr::YieldFrom(_)) => escaped("is yielded"),
            Stmt::Assign(a) if a.targets.iter().any(|t| !matches!(t, Expr::Name(_))) => {
                escaped("is stored where it outlives the block")
            }
            _ => None,
        };
    }
    match exprs[k - 1] {
        Expr::Call(c) if c.func.range() != exprs[k].range() => {
            if assertion_reads_only(cx, &c.func) {
                return None;
            }
            let q = qualified_name(cx, &c.func).unwrap_or_default();
            let q = q.strip_prefix("builtins.").map(str::to_string).unwrap_or(q);
            let keeps_not =
                ["os.", "fcntl.", "termios.", "tty.", "select.", "subprocess."].iter().any(|m| q.starts_with(m))
                    && q != "os.fdopen";
            let plain = matches!(
                q.as_str(),
                "mmap.mmap" | "socket.fromfd" | "print" | "str" | "int" | "repr" | "len" | "isinstance" | "hash"
            );
            if keeps_not || plain || keeper_ended(cx, scope, name, stmt, &exprs[..k]) {
                return None;
            }
            let shown = if q.is_empty() { cx.source.slice(c.func.range()).to_string() } else { q };
            escaped(&format!("is passed to `{shown}()`, which may keep it"))
        }
        Expr::Dict(_) => escaped("is stored in a container"),
        Expr::Yield(_) | Expr::YieldFrom(_) => escaped("is yielded"),
        _ => None,
    }
}

/// The call at the end of `outer` (which receives a descriptor number of `name`'s object) builds a keeper the
/// function ends itself: `.close()`/`.detach()` called on it in the same expression, or a local name bound to it
/// whose `close`/`detach` the function calls or registers (`self.addCleanup(k.detach)`) and that it does not return;
/// and the code closes `name` itself.
fn keeper_ended(cx: &Context, scope: &super::scopes::Scope, name: &str, stmt: &Stmt, outer: &[&Expr]) -> bool {
    let Some(Expr::Call(keeper)) = outer.last() else { return false };
    let ends = |attr: &str| matches!(attr, "close" | "detach");
    let closes_name = scope.uses(cx, name).iter().any(|o| is_close_call(o.range, &o.exprs(cx)));
    if !closes_name {
        return false;
    }
    let n = outer.len();
    if n >= 2
        && matches!(outer[n - 2], Expr::Attribute(a) if ends(a.attr.as_str()) && a.value.range() == keeper.range())
    {
        return true;
    }
    let Stmt::Assign(a) = stmt else { return false };
    let ([Expr::Name(k)], true) = (a.targets.as_slice(), a.value.range() == keeper.range()) else { return false };
    let uses = scope.uses(cx, k.id.as_str());
    let later = uses.iter().filter(|o| o.kind == super::scopes::OccKind::Load && o.range.start() > a.end());
    let mut ended = false;
    for o in later {
        let ex = o.exprs(cx);
        if matches!(ex.last(), Some(Expr::Attribute(x)) if ends(x.attr.as_str()) && x.value.range() == o.range) {
            ended = true;
        }
        if matches!(o.stmt(cx, stmt), Stmt::Return(r) if r.value.as_ref().is_some_and(|v| v.range() == o.range)) {
            return false;
        }
    }
    ended
}

/// How a statement binds `name` before anything in it reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rebinds {
    /// Not, or not first.
    No,
    /// On every path through it: the uses after it are another object's too (`name = value` not reading it, a `with`
    /// that binds it as a target or whose first statement that mentions it rebinds on every path, an `if` with an
    /// `else` each of whose branches does).
    Always,
    /// The uses inside it are another object's, but a path may leave it with the old one: an `if` without `else`,
    /// a `try` whose body rebinds first and whose handlers and `finally` do not mention it (the body may fail
    /// before). Counts only where nothing after it uses the name.
    Within,
}

/// Whether an expression, and a statement, mentions `name` (at any depth).
pub(super) fn mentions_name(name: &str) -> (impl Fn(&Expr) -> bool + '_, impl Fn(&Stmt) -> bool + '_) {
    use ruff_python_ast::visitor::{walk_expr, Visitor};
    struct Mentions<'n>(&'n str, bool);
    impl<'a> Visitor<'a> for Mentions<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if matches!(e, Expr::Name(n) if n.id.as_str() == self.0) {
                self.1 = true;
            }
            walk_expr(self, e);
        }
    }
    let reads = move |e: &Expr| {
        let mut m = Mentions(name, false);
        m.visit_expr(e);
        m.1
    };
    let mentions = move |s: &Stmt| {
        let mut m = Mentions(name, false);
        m.visit_stmt(s);
        m.1
    };
    (reads, mentions)
}

/// How the first statement of `body` that mentions `name` rebinds it; `Within` only when no later statement of
/// `body` mentions it.
fn body_rebinds(cx: &Context, body: &[Stmt], name: &str) -> Rebinds {
    let (_, mentions) = mentions_name(name);
    let Some(k) = body.iter().position(&mentions) else { return Rebinds::No };
    match rebinding(cx, &body[k], name) {
        Rebinds::Within if body[k + 1..].iter().any(&mentions) => Rebinds::No,
        r => r,
    }
}

fn rebinding(cx: &Context, stmt: &Stmt, name: &str) -> Rebinds {
    let (reads, mentions) = mentions_name(name);
    match stmt {
        Stmt::Assign(a) if binds_name(stmt, name) && !reads(&a.value) => Rebinds::Always,
        // Not under a manager that swallows errors (`suppress`, `assertRaises`, `pytest.raises`): the body may stop
        // before the rebinding, and the code goes on with the object.
        Stmt::With(w) if w.items.iter().all(|i| !reads(&i.context_expr) && swallows_nothing(cx, &i.context_expr)) => {
            if w.items.iter().any(|i| i.optional_vars.as_deref().is_some_and(&reads)) {
                Rebinds::Always
            } else {
                body_rebinds(cx, &w.body, name)
            }
        }
        Stmt::If(x) => {
            let tests = std::iter::once(&*x.test).chain(x.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()));
            let branches = std::iter::once(&x.body).chain(x.elif_else_clauses.iter().map(|c| &c.body));
            let each: Vec<Rebinds> = branches.map(|b| body_rebinds(cx, b, name)).collect();
            let has_else = x.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
            if tests.into_iter().any(&reads) || each.contains(&Rebinds::No) {
                Rebinds::No
            } else if has_else && each.iter().all(|r| *r == Rebinds::Always) {
                Rebinds::Always
            } else {
                Rebinds::Within
            }
        }
        Stmt::Try(t) => {
            let handlers_mention = t.handlers.iter().any(|h| {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                h.body.iter().any(&mentions)
            });
            if body_rebinds(cx, &t.body, name) == Rebinds::No || handlers_mention || t.finalbody.iter().any(&mentions) {
                Rebinds::No
            } else {
                Rebinds::Within
            }
        }
        _ => Rebinds::No,
    }
}

/// The statement (at its own level) assigns `name`.
fn binds_name(stmt: &Stmt, name: &str) -> bool {
    let is = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match stmt {
        Stmt::Assign(a) => a.targets.iter().any(is),
        Stmt::AnnAssign(a) => a.value.is_some() && is(&a.target),
        _ => false,
    }
}

/// The use only tests the name (`if fp:`, `if fp is not None:`, `not fp`): true of a closed file as of an open one.
fn only_tested(cx: &Context, occ: &Occ, fallback: &Stmt) -> bool {
    let exprs = occ.exprs(cx);
    let tested = |e: &Expr| e.range() == occ.range;
    match exprs.last() {
        None => matches!(occ.stmt(cx, fallback), Stmt::If(x) if tested(&x.test)),
        Some(Expr::UnaryOp(u)) => u.op == ast::UnaryOp::Not,
        Some(Expr::Compare(c)) => {
            matches!(c.ops.as_ref(), [ast::CmpOp::Is | ast::CmpOp::IsNot])
                && c.comparators.iter().chain(std::iter::once(c.left.as_ref())).any(|e| e.is_none_literal_expr())
        }
        Some(_) => false,
    }
}

/// `used` is in a branch the code cannot reach after running `open` (both ranges): another branch of an `if` or
/// `match` around the open, or the `else:` of a `try` whose handler holds the open.
fn other_branch(stack: &[Frame], open: TextRange, used: TextRange) -> bool {
    // In a loop, a later iteration reaches the other branch with the object still bound.
    if innermost_loop(stack).is_some() {
        return false;
    }
    let body_of = |b: &[Stmt]| b.first().map(|f| TextRange::new(f.start(), b.last().map_or(f.end(), Ranged::end)));
    let apart = |branches: Vec<Option<TextRange>>| {
        let holding = |r: TextRange| branches.iter().position(|b| b.is_some_and(|b| b.contains_range(r)));
        matches!((holding(open), holding(used)), (Some(a), Some(b)) if a != b)
    };
    stack.iter().any(|f| match f.stmt() {
        Stmt::If(x) => apart(
            std::iter::once(body_of(&x.body)).chain(x.elif_else_clauses.iter().map(|c| body_of(&c.body))).collect(),
        ),
        Stmt::Match(m) => apart(m.cases.iter().map(|c| body_of(&c.body)).collect()),
        Stmt::Try(t) => {
            t.handlers.iter().any(|h| h.range().contains_range(open))
                && body_of(&t.orelse).is_some_and(|e| e.contains_range(used))
        }
        _ => false,
    })
}

/// A context manager known to let every error raised in its block go on: a file or another resource pyfix knows
/// (`open(...)`, whose `__exit__` closes it and returns nothing), and, by qualified name, `warnings.catch_warnings()`, test helpers that
/// only record warnings (`check_warnings`), `contextlib.nullcontext`, `unittest.mock.patch(...)`. Any other manager (`suppress`,
/// `assertRaises`, a `@contextmanager` of the project, a class whose `__exit__` returns true) may swallow an error,
/// so the code after its block may run without what its block binds.
pub(super) fn swallows_nothing(cx: &Context, e: &Expr) -> bool {
    let Expr::Call(c) = e else { return false };
    if opener(cx, c).is_some() {
        return true;
    }
    let Some(q) = qualified_name(cx, &c.func) else { return false };
    // The `mock` library, not a project's own `mock.py`.
    if q == "mock.patch" && crate::codemods::analyze::classes::module_may_be_in_project(cx, "mock") {
        return false;
    }
    matches!(
        q.as_str(),
        "warnings.catch_warnings"
            | "contextlib.nullcontext"
            | "tempfile.TemporaryDirectory"
            | "unittest.mock.patch"
            | "unittest.mock.patch.object"
            | "unittest.mock.patch.dict"
            | "mock.patch"
            | "test.support.warnings_helper.check_warnings"
            | "test.support.warnings_helper.check_no_warnings"
            | "test.support.check_warnings"
    )
}

/// `rebind` (a statement binding `name`) reads a name bound in `between` (at any depth) from a value that may hold
/// the object or such a name (`raw = f`, `raw = io.BufferedReader(f)`, `a = f; raw = a`, `for raw in (f,):`,
/// `d["raw"] = f`, `case raw:` of `match f:`, `def get(x=f):`, `(raw := f)`): `raw = f` ... `f =
/// io.TextIOWrapper(raw)` may hold the object. A value that only reads it (`name = f.name`, `data = f.read()`,
/// `for line in f:`) holds a string, not the object.
fn reads_alias(between: &[Stmt], rebind: &Stmt, name: &str) -> bool {
    use ruff_python_ast::visitor::{walk_expr, walk_pattern, walk_stmt, Visitor};
    /// A binding: the names it binds and the value they get; `iterated`: the value is iterated (`for t in v`).
    struct Binds<'a>(Vec<(Vec<&'a str>, &'a Expr, bool)>);
    impl<'a> Visitor<'a> for Binds<'a> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                // A nested definition's body runs later; its defaults, where it stands, and they stay with it.
                Stmt::FunctionDef(f) => {
                    for p in f.parameters.iter_non_variadic_params() {
                        if let Some(d) = &p.default {
                            self.0.push((vec![f.name.as_str()], d, false));
                            self.visit_expr(d);
                        }
                    }
                }
                Stmt::ClassDef(_) => {}
                Stmt::Assign(a) => {
                    self.0.extend(a.targets.iter().map(|t| (target_names(t), a.value.as_ref(), false)));
                    walk_stmt(self, s);
                }
                Stmt::AnnAssign(ast::StmtAnnAssign { target, value: Some(v), .. }) => {
                    self.0.push((target_names(target), v, false));
                    walk_stmt(self, s);
                }
                Stmt::AugAssign(a) => {
                    self.0.push((target_names(&a.target), &a.value, false));
                    walk_stmt(self, s);
                }
                Stmt::For(f) => {
                    self.0.push((target_names(&f.target), &f.iter, true));
                    walk_stmt(self, s);
                }
                Stmt::With(w) => {
                    for i in &w.items {
                        if let Some(t) = &i.optional_vars {
                            self.0.push((target_names(t), &i.context_expr, false));
                        }
                    }
                    walk_stmt(self, s);
                }
                Stmt::Match(m) => {
                    for c in &m.cases {
                        let mut names = PatternNames(Vec::new());
                        names.visit_pattern(&c.pattern);
                        self.0.push((names.0, &m.subject, false));
                    }
                    walk_stmt(self, s);
                }
                _ => walk_stmt(self, s),
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Named(n) => self.0.push((target_names(&n.target), &n.value, false)),
                Expr::Generator(ast::ExprGenerator { generators, .. })
                | Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                    for g in generators {
                        self.0.push((target_names(&g.target), &g.iter, true));
                    }
                }
                _ => {}
            }
            walk_expr(self, e);
        }
    }
    struct PatternNames<'a>(Vec<&'a str>);
    impl<'a> Visitor<'a> for PatternNames<'a> {
        fn visit_pattern(&mut self, p: &'a ast::Pattern) {
            match p {
                ast::Pattern::MatchAs(ast::PatternMatchAs { name: Some(n), .. })
                | ast::Pattern::MatchStar(ast::PatternMatchStar { name: Some(n), .. })
                | ast::Pattern::MatchMapping(ast::PatternMatchMapping { rest: Some(n), .. }) => self.0.push(n.as_str()),
                _ => {}
            }
            walk_pattern(self, p);
        }
    }
    // Every name in a target, the base of `d[k]` and `o.attr` included.
    fn target_names(t: &Expr) -> Vec<&str> {
        struct Names<'a>(Vec<&'a str>);
        impl<'a> Visitor<'a> for Names<'a> {
            fn visit_expr(&mut self, e: &'a Expr) {
                if let Expr::Name(n) = e {
                    self.0.push(n.id.as_str());
                }
                walk_expr(self, e);
            }
        }
        let mut names = Names(Vec::new());
        names.visit_expr(t);
        names.0
    }
    let mut binds = Binds(Vec::new());
    binds.visit_body(between);
    let mut aliases: Vec<&str> = vec![name];
    loop {
        let before = aliases.len();
        for (targets, v, iterated) in &binds.0 {
            // `for line in f:` gives the lines; `for raw in (f,):` the object.
            let itself = |e: &Expr| same_object(e, &aliases);
            if (*iterated && itself(v)) || !aliases.iter().any(|a| holds_name(v, a)) {
                continue;
            }
            for n in targets {
                if !aliases.contains(n) {
                    aliases.push(n);
                }
            }
        }
        if aliases.len() == before {
            break;
        }
    }
    aliases.iter().skip(1).any(|a| mentions_name(a).1(rebind))
}

/// `e` is one of `names` itself, or its `buffer`/`raw` (the same file).
fn same_object(e: &Expr, names: &[&str]) -> bool {
    match e {
        Expr::Name(n) => names.contains(&n.id.as_str()),
        Expr::Attribute(a) if matches!(a.attr.as_str(), "buffer" | "raw") => same_object(&a.value, names),
        _ => false,
    }
}

/// Methods of files, sockets, archives and cursors whose result is plain data (bytes, text, numbers, names, rows).
const PLAIN_RESULTS: &[&str] = &[
    "read",
    "read1",
    "readline",
    "readlines",
    "fileno",
    "tell",
    "isatty",
    "readable",
    "writable",
    "seekable",
    "recv",
    "getsockname",
    "getpeername",
    "namelist",
    "getnames",
    "fetchone",
    "fetchall",
    "fetchmany",
    "getvalue",
];

/// `v` mentions `name` other than as the object of a method call or a data attribute's read that gives plain data
/// (`name.read()`, `name.fileno()`, `name.name`; not `name.buffer`, `name.__enter__()`, `tar.extractfile(m)`, nor a
/// bound method `name.read`, which holds the object).
fn holds_name(v: &Expr, name: &str) -> bool {
    use ruff_python_ast::visitor::{walk_expr, Visitor};
    struct Holds<'n>(&'n str, bool);
    impl Holds<'_> {
        /// `e` is a chain of attribute reads, calls and subscripts on the name (`tar.extractfile(m)`).
        fn chain_on_name(&self, e: &Expr) -> bool {
            match e {
                Expr::Name(n) => n.id.as_str() == self.0,
                Expr::Attribute(a) => self.chain_on_name(&a.value),
                Expr::Call(c) => self.chain_on_name(&c.func),
                Expr::Subscript(x) => self.chain_on_name(&x.value),
                _ => false,
            }
        }
        /// Visits what a chain on the name evaluates besides the name: call arguments and subscripts.
        fn visit_chain<'a>(&mut self, e: &'a Expr)
        where
            Self: Visitor<'a>,
        {
            match e {
                Expr::Attribute(a) => self.visit_chain(&a.value),
                Expr::Call(c) => {
                    self.visit_arguments(&c.arguments);
                    self.visit_chain(&c.func);
                }
                Expr::Subscript(x) => {
                    self.visit_expr(&x.slice);
                    self.visit_chain(&x.value);
                }
                _ => {}
            }
        }
        /// `e` is `name.attr` with `attr` giving plain data: a method known to return a value that holds nothing of
        /// the object (what `tar.extractfile(m)` or `conn.execute(q)` returns shares its stream or connection), or a
        /// data attribute.
        fn reads_off(&self, e: &Expr, called: bool) -> bool {
            matches!(e, Expr::Attribute(a)
                if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.0)
                    && if called { PLAIN_RESULTS.contains(&a.attr.as_str()) } else { DATA_ATTRS.contains(&a.attr.as_str()) })
        }
    }
    impl<'a> Visitor<'a> for Holds<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Call(c) if self.reads_off(&c.func, true) => self.visit_arguments(&c.arguments),
                // `tar.extractfile(m).read()`: a plain value read at the end of a chain on the object.
                Expr::Call(c)
                    if matches!(c.func.as_ref(), Expr::Attribute(a)
                        if PLAIN_RESULTS.contains(&a.attr.as_str()) && self.chain_on_name(&a.value)) =>
                {
                    self.visit_arguments(&c.arguments);
                    let Expr::Attribute(a) = c.func.as_ref() else { return };
                    self.visit_chain(&a.value);
                }
                e if self.reads_off(e, false) => {}
                Expr::Name(n) if n.id.as_str() == self.0 => self.1 = true,
                _ => walk_expr(self, e),
            }
        }
    }
    let mut h = Holds(name, false);
    h.visit_expr(v);
    h.1
}
