//! Where a value goes: what happens to an open call's result or to a name holding one (`Flow`), and whether the call
//! runs only conditionally (`deferred`). It decides nothing about findings or fixes.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::classes::assertion_reads_only;
use crate::codemods::analyze::effects::{argument_effect, Argument};
use crate::codemods::Context;

use super::callees::{
    closes_source, is_consumer_method, is_registering, is_setter, qualified_name, unknown_is_constructor,
};
use super::resources::{CONSUMERS, KEEPERS, MANAGING_FUNCS, SAME_FILE_ATTRS, WRAPPERS};

/// What happens to a value (an open call's result, or a name holding one).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Flow {
    /// Used up where it stands: a method call on it, an argument to a consumer, a comparison...
    Consumed,
    /// The `for` statement iterates it.
    Iterated,
    /// Closed (`.close()`) or handed to something that closes it (`with`, `enter_context`, `closing`).
    Managed,
    /// Bound to a local name (directly or through a wrapper such as `csv.reader`).
    Kept(String),
    /// Leaves the scope: returned, yielded, stored on an object or in a container; and who owns it from there.
    Escapes(String, Owner),
}

/// Who a value that escapes belongs to from there on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// Something that keeps it for later use: a receiver (an event loop, a transport, a setter, a base
    /// `__init__`, a registry), or a container (`files.append(f)`, `d[k] = f`, `+=`).
    Receiver,
    /// The caller: the value itself, a tuple holding it or a class object built on it is returned.
    Caller,
    /// The object whose attribute it is stored on (`self.f = f`, also among several targets).
    Attribute,
    /// Nobody known: bound by `:=`, captured by a lambda, raised, unpacked, or what a function pyfix cannot see made
    /// of it is returned.
    Nobody,
}

/// Follows the value of `node` (whose enclosing expressions are `exprs`) up to its statement `stmt`.
/// Also returns the first function pyfix cannot see that the value passed through (it may keep the file).
pub(super) fn flow(cx: &Context, node: TextRange, exprs: &[&Expr], stmt: &Stmt) -> (Flow, Option<String>) {
    let mut unknown: Option<String> = None;
    let f = flow_inner(cx, node, exprs, stmt, &mut unknown);
    (f, unknown)
}

fn flow_inner(cx: &Context, node: TextRange, exprs: &[&Expr], stmt: &Stmt, unknown: &mut Option<String>) -> Flow {
    let mut cur = node;
    // `cur` is the file itself (`f`, `f.buffer`, `typing.cast(IO, f)`), not a wrapper, container or result holding it.
    let mut itself = true;
    let mut i = exprs.len();
    while i > 0 {
        i -= 1;
        let parent = exprs[i];
        match parent {
            Expr::Attribute(a) if a.value.range() == cur => {
                let attr = a.attr.as_str();
                let called = i > 0 && matches!(exprs[i - 1], Expr::Call(c) if c.func.range() == parent.range());
                if attr == "close" && called {
                    return Flow::Managed;
                }
                // `socket.socket().detach()`: the socket gives up its descriptor and holds nothing after that (a
                // file's `detach()` hands back its buffer: followed below as the same file).
                let socket = matches!(a.value.as_ref(), Expr::Call(c)
                    if qualified_name(cx, &c.func).is_some_and(|q| q.starts_with("socket.")));
                if attr == "detach" && called && itself && socket {
                    return Flow::Managed;
                }
                if SAME_FILE_ATTRS.contains(&attr) {
                    cur = if called {
                        i -= 1;
                        exprs[i].range()
                    } else {
                        parent.range()
                    };
                    continue;
                }
                return Flow::Consumed;
            }
            Expr::Call(call) if call.func.range() == cur => return Flow::Consumed,
            Expr::Call(call) => {
                let callee = qualified_name(cx, &call.func);
                let callee_q = callee.as_deref().unwrap_or("");
                let method = match call.func.as_ref() {
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                if itself && closes_source(cx, call, callee_q, cur) {
                    return Flow::Managed;
                }
                // `self.assertRaises(E, func, f)`: calls `func(f)` (`assertRaisesRegex(E, regex, func, f)`).
                if let Some(m @ ("assertRaises" | "assertRaisesRegex" | "assertWarns" | "assertWarnsRegex")) = method {
                    let at = if m.ends_with("Regex") { 2 } else { 1 };
                    let args = &call.arguments.args;
                    let passed = args.iter().position(|a| a.range() == cur).is_some_and(|p| p > at)
                        || call
                            .arguments
                            .keywords
                            .iter()
                            .any(|k| k.value.range() == cur && k.arg.as_ref().is_some_and(|n| n.as_str() != "msg"));
                    if let Some(func) = args.get(at).filter(|_| passed) {
                        let shown = cx.source.slice(func.range());
                        // `assertRaises(E, sqlite3.Connection.__init__, cx, bad)`: `cx` set up again by hand.
                        let is_self = args.get(at + 1).is_some_and(|a| a.range() == cur);
                        if is_self && matches!(func, Expr::Attribute(a) if a.attr.as_str() == "__init__") {
                            return Flow::Escapes(format!("`{shown}()` keeps it for later use"), Owner::Receiver);
                        }
                        unknown.get_or_insert_with(|| shown.to_string());
                        return Flow::Consumed;
                    }
                }
                // unittest's `self.assertEqual(f, ...)` and friends only look at their arguments.
                if CONSUMERS.contains(&callee_q)
                    || assertion_reads_only(cx, &call.func)
                    || is_consumer_method(cx, &call.func)
                {
                    return Flow::Consumed;
                }
                // `with contextlib.nullcontext(f) as raw:` hands `f` itself to `raw` and closes nothing; so do
                // `redirect_stdout(f)` and `redirect_stderr(f)` (which point `sys.stdout` at it inside the block).
                let hands_itself = matches!(
                    callee_q,
                    "contextlib.nullcontext" | "contextlib.redirect_stdout" | "contextlib.redirect_stderr"
                );
                if hands_itself && call.arguments.args.first().is_some_and(|a| a.range() == cur) {
                    let shown = callee_q.trim_start_matches("contextlib.");
                    let item = match stmt {
                        Stmt::With(w) if i == 0 => w.items.iter().find(|it| it.context_expr.range() == parent.range()),
                        _ => None,
                    };
                    if let Some(item) = item {
                        return match item.optional_vars.as_deref() {
                            None => Flow::Consumed,
                            Some(t) => Flow::Escapes(
                                format!("`{shown}()` binds it to `{}` too", cx.source.slice(t.range())),
                                Owner::Nobody,
                            ),
                        };
                    }
                    // `stack.enter_context(redirect_stdout(f))`, `r = redirect_stdout(f)`: the context manager keeps
                    // the file to point `sys.stdout` at it whenever it is entered, and closing it closes nothing.
                    if shown != "nullcontext" {
                        return Flow::Escapes(format!("`{shown}()` keeps it to redirect to later"), Owner::Nobody);
                    }
                    itself = false;
                    cur = parent.range();
                    continue;
                }
                // `setattr(obj, "raw", f)`: stored on an object, as `obj.raw = f`.
                if callee_q == "builtins.setattr" && call.arguments.args.get(2).is_some_and(|a| a.range() == cur) {
                    return Flow::Escapes("it is stored by `setattr()`".into(), Owner::Receiver);
                }
                let effect = method.and_then(argument_effect);
                if KEEPERS.contains(&callee_q) || effect == Some(Argument::Registers) {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` keeps it for later use"), Owner::Receiver);
                }
                if MANAGING_FUNCS.contains(&callee_q) || effect == Some(Argument::Manages) {
                    return Flow::Managed;
                }
                if WRAPPERS.contains(&callee_q) {
                    itself = false;
                    cur = parent.range();
                    continue;
                }
                // "".join(f), b"".join(f): consumed at once.
                if crate::codemods::analyze::calls::literal_join(&call.func) {
                    return Flow::Consumed;
                }
                if let Some(m) = method.filter(|m| stores(m)) {
                    // `lines.extend(f)` reads the file to its end now and keeps its lines, not the file; but
                    // `files.extend([f])` keeps `f`, and `d.update(log=f)` stores it under `log`.
                    let positional = call.arguments.args.iter().any(|a| a.range() == cur);
                    if effect == Some(Argument::KeepsElements) && itself && positional {
                        return Flow::Consumed;
                    }
                    return Flow::Escapes(format!("it is stored by `.{m}()`"), Owner::Receiver);
                }
                if is_registering(callee_q, method, &call.func) {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` may register it to be used later"), Owner::Receiver);
                }
                // `typing.cast(T, f)` is `f` itself.
                if callee_q == "typing.cast" {
                    cur = parent.range();
                    continue;
                }
                // Handed over for keeps: `self.set_socket(sock)`, `source.setByteStream(f)`,
                // `Shelf.__init__(self, db)`, `loop.create_server(sock=sock)`.
                let as_sock = call
                    .arguments
                    .keywords
                    .iter()
                    .any(|k| k.value.range() == cur && k.arg.as_ref().is_some_and(|a| a.as_str() == "sock"));
                if method.is_some_and(|m| is_setter(m) || m == "__init__") || as_sock {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` keeps it for later use"), Owner::Receiver);
                }
                // Code pyfix cannot see: assume its result may hold the file, and follow it.
                unknown.get_or_insert_with(|| cx.source.slice(call.func.range()).to_string());
                cur = parent.range();
            }
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) | Expr::Starred(_) | Expr::BoolOp(_) => {
                cur = parent.range();
            }
            Expr::If(e) => {
                if e.test.range() == cur {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                if generators.first().is_some_and(|g| g.iter.range() == cur) {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::Generator(_) => cur = parent.range(),
            Expr::Await(_) => cur = parent.range(),
            // `yield f` in a `@contextmanager`: the caller borrows it, and the generator's code after the `yield`
            // (its close) is skipped when the caller's block raises.
            Expr::Yield(_) | Expr::YieldFrom(_) => return Flow::Escapes("it is yielded".into(), Owner::Nobody),
            Expr::Named(_) => return Flow::Escapes("it is bound by `:=`".into(), Owner::Nobody),
            Expr::Lambda(_) => return Flow::Escapes("a lambda captures it".into(), Owner::Nobody),
            _ => return Flow::Consumed,
        }
        itself = false;
    }
    // `self.f = f`: the object; `d[k] = f`: the container; `a, b = f`: nobody known.
    let stored_in = |target: &Expr| match target {
        Expr::Attribute(_) => Owner::Attribute,
        Expr::Subscript(_) => Owner::Receiver,
        _ => Owner::Nobody,
    };
    match stmt {
        Stmt::Assign(a) if a.value.range() == cur => match a.targets.as_slice() {
            [Expr::Name(n)] => Flow::Kept(n.id.to_string()),
            [target] => {
                Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range())), stored_in(target))
            }
            targets => {
                let owner = if targets.iter().any(|t| matches!(t, Expr::Attribute(_))) {
                    Owner::Attribute
                } else {
                    Owner::Nobody
                };
                Flow::Escapes("it is assigned to several targets".into(), owner)
            }
        },
        Stmt::AnnAssign(a) if a.value.as_ref().is_some_and(|v| v.range() == cur) => match a.target.as_ref() {
            Expr::Name(n) => Flow::Kept(n.id.to_string()),
            target => {
                Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range())), stored_in(target))
            }
        },
        // `data += await loop.sock_recv(sock, n)`: what an unseen function returned is added, not the object (but
        // `out += [wrap(f)]` keeps what it made of it).
        Stmt::AugAssign(a)
            if a.value.range() == cur
                && unknown.is_some()
                && matches!(a.value.as_ref(), Expr::Call(_) | Expr::Await(_)) =>
        {
            Flow::Consumed
        }
        Stmt::AugAssign(a) if a.value.range() == cur => Flow::Escapes("it is stored by `+=`".into(), Owner::Receiver),
        Stmt::Return(_) => {
            let owner = if handed_to_caller(cx, node, exprs) { Owner::Caller } else { Owner::Nobody };
            Flow::Escapes("it is returned".into(), owner)
        }
        Stmt::For(f) if f.iter.range() == cur => Flow::Iterated,
        Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == cur) => Flow::Managed,
        Stmt::Raise(_) => Flow::Escapes("it is raised".into(), Owner::Nobody),
        _ => Flow::Consumed,
    }
}

/// The object at `node` is entered as a context manager where it stands, itself: `with conn:` or
/// `stack.enter_context(conn)` (not `closing(conn)`). Whether that closes it is the kind's `__exit__`'s
/// (`Resource::exit_only_commits`).
pub(super) fn entered(node: TextRange, exprs: &[&Expr], stmt: &Stmt) -> bool {
    match exprs {
        [] => matches!(stmt, Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == node)),
        [.., Expr::Call(c)] => {
            matches!(c.func.as_ref(), Expr::Attribute(a) if matches!(a.attr.as_str(),
                "enter_context" | "enterContext" | "enter_async_context" | "enterAsyncContext" | "enterClassContext"))
                && c.arguments.args.first().is_some_and(|a| a.range() == node)
        }
        _ => false,
    }
}

/// `flow` of a name bound to an object whose `__exit__` only commits (`Resource::exit_only_commits`): entering it
/// is no close. `with conn:` uses it; `with conn as c:` binds it to `c` too (its `__enter__` returns it);
/// `stack.enter_context(conn)` hands it to the stack, which commits it when it closes, after any block pyfix writes.
pub(super) fn commits_only(f: Flow, node: TextRange, exprs: &[&Expr], stmt: &Stmt) -> Flow {
    if f != Flow::Managed || !entered(node, exprs, stmt) {
        return f;
    }
    let Stmt::With(w) = stmt else {
        return Flow::Escapes("it is entered on a stack, which only commits it when it closes".into(), Owner::Nobody);
    };
    match w.items.iter().find(|i| i.context_expr.range() == node).and_then(|i| i.optional_vars.as_deref()) {
        None => Flow::Consumed,
        Some(Expr::Name(n)) => Flow::Kept(n.id.to_string()),
        Some(_) => Flow::Escapes("its `with` binds it to a target pyfix does not follow".into(), Owner::Nobody),
    }
}

/// `x.m(f)` stores `f` (`d.__setitem__(k, f)` too), or its elements, or hands it to a queue's consumer.
fn stores(m: &str) -> bool {
    matches!(argument_effect(m), Some(Argument::KeepsIt | Argument::HandsOff | Argument::KeepsElements))
}

/// Why evaluating `node` where it stands is conditional or deferred (so a `with` around the statement would open
/// it at another time), if it is.
pub(super) fn deferred(node: TextRange, exprs: &[&Expr]) -> Option<&'static str> {
    let mut cur = node;
    for parent in exprs.iter().rev() {
        match parent {
            Expr::BoolOp(b) if b.values.first().is_some_and(|v| v.range() != cur) => {
                return Some("it is opened only when the `and`/`or` gets that far")
            }
            Expr::If(e) if e.test.range() != cur => return Some("it is opened only in one branch of a conditional"),
            Expr::Lambda(_) => return Some("it is opened inside a lambda"),
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
                if !generators.first().is_some_and(|g| g.iter.range() == cur) =>
            {
                return Some("it is opened once per item of a comprehension")
            }
            _ => {}
        }
        cur = parent.range();
    }
    None
}

/// `return open(p)`, `return open(p), path`, `return lambda: (open(p), n)`, `return File(open(p))`,
/// `return cast(IO, open(p))`, `return socket.socket().detach()`: the function hands the object (or a wrapper built
/// on it, by the naming convention a class, or its descriptor) to its caller, which owns it from there.
/// `return parse(open(p))` hands over what a plain function returned, not the file: still a finding.
pub(super) fn handed_to_caller(cx: &Context, range: TextRange, exprs: &[&Expr]) -> bool {
    let mut cur = range;
    for parent in exprs.iter().rev() {
        let through = match parent {
            Expr::Tuple(_) | Expr::Lambda(_) => true,
            Expr::Attribute(a) => a.attr.as_str() == "detach",
            Expr::Call(c) if c.func.range() == cur => {
                matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "detach")
            }
            Expr::Call(c) => {
                let callee = cx.source.slice(c.func.range());
                unknown_is_constructor(callee) || callee.rsplit('.').next() == Some("cast")
            }
            _ => false,
        };
        if !through {
            return false;
        }
        cur = parent.range();
    }
    true
}
