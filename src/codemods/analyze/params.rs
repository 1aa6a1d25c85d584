//! What a function does with one of its parameters, read from its own body: the one owner of that fact. Every use
//! of the parameter (and of local names bound to it) is one `Use`: closed, read, grown or changed, stored (on
//! `self`, in a container, in a global), returned, forwarded to which callee at which position, compared with
//! `None`. Codemods ask `ParamFacts` (or `closes_parameter`) and never walk a callee's body themselves; which
//! function a call runs, in this module or another of the project, is `analyze::classes::callee_function`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::effects::{argument_effect, receiver_effect, Argument, Receiver};

/// Where a stored parameter is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Store {
    /// `self.attr = param`.
    OnSelf(String),
    /// `obj.attr = param` on another object.
    OnObject,
    /// `c[k] = param`, `c.append(param)`.
    InContainer,
    /// `global g; g = param`.
    Global,
}

/// The callee a parameter is handed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callee {
    /// `self.method(param)`.
    SelfMethod(String),
    /// `super().__init__(param)`.
    SuperInit,
    /// `name(param)`, `mod.name(param)`: the dotted spelling.
    Named(String),
    /// Anything else (`obj.method(param)` on another object, `f()(param)`).
    Other,
}

/// One use of the parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// `param.close()`, `closing(param)`.
    Closed,
    /// `with param:`: its `__exit__` runs at the block's end, which closes a file but only commits a `sqlite3`
    /// connection (whose caller decides which it is).
    Entered,
    /// `param.close` handed on uncalled (`self._closers.append(param.close)`).
    CloseRegistered,
    /// An attribute read, or a method call that only reads (`param.read()`, `param.keys()`), or a method pyfix does
    /// not know: the name is the attribute.
    Attribute(String),
    /// Read without keeping it: `param[k]`, `for x in param`, `k in param`, `if param`, `len(param)`.
    Read,
    /// `isinstance(param, str)`, `hasattr(param, "read")`.
    Inspected,
    /// Grown in place: `param.append(x)`, `param[k] = v`, `param.update(d)`.
    Grown,
    /// Changed in place without growing: `param.pop()`, `del param[k]`, `param.x = v`.
    Mutated,
    /// Kept where it outlives the call.
    Stored(Store),
    /// `return param`, `yield param`.
    Returned,
    /// Handed to a call at `position` or `keyword`; `into_self`: the call's value is stored on `self` under that
    /// name (`self.attr = Cls(param)`).
    Forwarded { callee: Callee, position: Option<usize>, keyword: Option<String>, into_self: Option<String> },
    /// `param is None`, `param is not None`, `param == None`: `None` means something to the function.
    ComparedWithNone,
    /// Bound to another local name (`x = param`), followed from there.
    Aliased,
    /// The parameter is rebound: later uses are of something else.
    Rebound,
    /// A nested function, class or lambda mentions it: it may keep it.
    Captured,
    /// Any other use (an operand, an element of a new display, ...).
    Other,
}

/// Builtins that look at their first argument and keep nothing of it.
pub const INSPECTORS: [&str; 5] = ["isinstance", "hasattr", "type", "callable", "id"];
/// Builtins that read what they are given (iterate it, measure it) and keep nothing of it.
pub const READERS: [&str; 16] = [
    "len",
    "list",
    "tuple",
    "sorted",
    "iter",
    "dict",
    "set",
    "frozenset",
    "str",
    "repr",
    "bool",
    "any",
    "all",
    "sum",
    "min",
    "max",
];

/// Every use of `param` in the body of `f`, in source order (`range`: the use's expression).
pub fn uses(f: &StmtFunctionDef, param: &str) -> Vec<(Use, TextRange)> {
    let mut v = Uses { names: vec![param.to_string()], judged: Vec::new(), found: Vec::new(), globals: Vec::new() };
    for s in &f.body {
        if let Stmt::Global(g) = s {
            v.globals.extend(g.names.iter().map(|n| n.to_string()));
        }
    }
    v.visit_body(&f.body);
    v.found
}

/// `f` closes its parameter `param` and keeps it nowhere: some use closes it (`param.close()`, `closing(param)`,
/// `with param:`), and every other use reads an attribute of it, calls a method on it, changes an attribute or
/// inspects it (`isinstance(param, str)`); it is not passed on, stored, returned, yielded, rebound, aliased or
/// captured by a nested function.
pub fn closes_parameter(f: &StmtFunctionDef, param: &str) -> bool {
    closed_for_good(&uses(f, param))
}

/// A `with` item that closes `param` when its block ends: `param` itself (where `entered_closes`: not a `sqlite3`
/// connection, whose `__exit__` commits) or `closing(param)` (`is_closing` tells `contextlib.closing` from another
/// function of that name).
fn manages(e: &Expr, param: &str, entered_closes: bool, is_closing: &impl Fn(&Expr) -> bool) -> bool {
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == param);
    (entered_closes && is_param(e))
        || matches!(e, Expr::Call(c) if c.arguments.args.len() == 1 && c.arguments.keywords.is_empty()
            && is_param(&c.arguments.args[0]) && is_closing(&c.func))
}

/// `f` closes its parameter `param` before anything else it runs can raise: its first statement (after a docstring)
/// is `param.close()`, `try: param.close()`, or a `with` whose first item is `param` or `closing(param)` (whose
/// block closes it on every path; `is_closing` tells `contextlib.closing` from another function of that name). Not
/// an `async def`, which runs only when awaited, nor a decorated function, whose decorator may not call it.
pub fn closes_first(
    f: &StmtFunctionDef,
    param: &str,
    entered_closes: bool,
    is_closing: impl Fn(&Expr) -> bool,
) -> bool {
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == param);
    let close_call = |s: &Stmt| {
        matches!(s, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::Call(c) if c.arguments.is_empty()
            && matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "close" && is_param(&a.value))))
    };
    let managed = |e: &Expr| manages(e, param, entered_closes, &is_closing);
    if f.is_async || !f.decorator_list.is_empty() {
        return false;
    }
    let mut body = f.body.iter().peekable();
    // A docstring first.
    body.next_if(|s| matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr()));
    match body.next() {
        Some(s) if close_call(s) => true,
        Some(Stmt::Try(t)) => t.body.first().is_some_and(close_call),
        Some(Stmt::With(w)) => !w.is_async && w.items.first().is_some_and(|i| managed(&i.context_expr)),
        _ => false,
    }
}

/// `closes_parameter` (`with param:` a close only where `entered_closes`), where handing the parameter as it is to a callee that only reads it (`reads(callee,
/// position, keyword)`: `_resolve(tar, member)` for a function of the same module that only looks at it) keeps it
/// nowhere either.
pub fn closes_parameter_reading_through(
    f: &StmtFunctionDef,
    param: &str,
    entered_closes: bool,
    reads: impl Fn(&Callee, Option<usize>, Option<&str>) -> bool,
) -> bool {
    let uses = uses(f, param);
    uses.iter().any(|(u, _)| closes(u, entered_closes))
        && uses.iter().all(|(u, _)| match u {
            Use::Forwarded { callee, position, keyword, into_self: None } => {
                reads(callee, *position, keyword.as_deref())
            }
            u => keeps_nothing(u),
        })
}

fn closed_for_good(uses: &[(Use, TextRange)]) -> bool {
    uses.iter().any(|(u, _)| closes(u, true)) && uses.iter().all(|(u, _)| keeps_nothing(u))
}

/// The use closes the object; `with param:` only where entering it closes it (`entered_closes`).
fn closes(u: &Use, entered_closes: bool) -> bool {
    *u == Use::Closed || (entered_closes && *u == Use::Entered)
}

/// A use that neither keeps the object nor hands it on: it may close it, read it or change it.
fn keeps_nothing(u: &Use) -> bool {
    matches!(
        u,
        Use::Closed
            | Use::Entered
            | Use::CloseRegistered
            | Use::Attribute(_)
            | Use::Read
            | Use::Inspected
            | Use::Grown
            | Use::Mutated
    )
}

/// What a function does with one parameter, summed up from its uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamFacts {
    pub closes: bool,
    /// It closes it and keeps it nowhere (`closes_parameter`).
    pub closed_for_good: bool,
    /// ... and closes it otherwise than by `with param:` (which only commits a `sqlite3` connection).
    pub closed_for_good_by_close: bool,
    /// Grown in place (`append`, `[k] = v`, `update`).
    pub grows: bool,
    /// Changed in place without growing.
    pub mutates: bool,
    pub stored: Option<Store>,
    pub returned: bool,
    /// Handed on as it is, to these callees (position, keyword).
    pub forwarded: Vec<(Callee, Option<usize>, Option<String>)>,
    /// Compared with `None`: `None` means something (`if env is None: env = os.environ`).
    pub none_meaning: bool,
    /// A use pyfix cannot classify (captured, aliased, an operand): what it does is unknown.
    pub unknown: bool,
    /// A process the function waits for (`reaps`).
    pub reaps: Option<Reap>,
}

/// How a function finishes a process it is given: its body's own statements, from the top, reach
/// `param.communicate()` (which closes every pipe) or `param.wait()`, after closing `pipes` (`param.stdin.close()`),
/// with no statement before that leaves the function (`kill_python(p)`: close stdin, read and close stdout, wait).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reap {
    pub communicates: bool,
    /// The pipes closed before the wait.
    pub pipes: Vec<String>,
}

/// Calling `f` makes a generator: its body (not nested definitions or lambdas) yields.
pub fn is_generator(f: &StmtFunctionDef) -> bool {
    yields_in(&f.body)
}

/// `stmts` (not the bodies of nested definitions or lambdas) yield. What a nested `def` or lambda evaluates where
/// it stands (its defaults, decorators, annotations; a class's bases) runs in `stmts`' function: a `yield` there
/// counts (`def inner(x=(yield)):`).
fn yields_in(stmts: &[Stmt]) -> bool {
    struct Yields(bool);
    impl<'a> Visitor<'a> for Yields {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                Stmt::FunctionDef(f) => {
                    f.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression));
                    self.visit_parameters(&f.parameters);
                    if let Some(r) = &f.returns {
                        self.visit_expr(r);
                    }
                }
                Stmt::ClassDef(c) => {
                    c.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression));
                    if let Some(args) = &c.arguments {
                        self.visit_arguments(args);
                    }
                }
                _ => visitor::walk_stmt(self, s),
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = true,
                Expr::Lambda(l) => {
                    if let Some(p) = &l.parameters {
                        self.visit_parameters(p);
                    }
                }
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut v = Yields(false);
    v.visit_body(stmts);
    v.0
}

/// A generator `f` holds everything it yields inside a `with` over `param` or `closing(param)` (its first item), a
/// statement of its body's own level with no `yield` before it: once it runs, the object is closed when it ends or
/// is dropped, whatever the loop running it does (`is_closing` as in `closes_first`).
pub fn yields_inside_closing(
    f: &StmtFunctionDef,
    param: &str,
    entered_closes: bool,
    is_closing: impl Fn(&Expr) -> bool,
) -> bool {
    let managed = |e: &Expr| manages(e, param, entered_closes, &is_closing);
    let Some(k) = f.body.iter().position(
        |s| matches!(s, Stmt::With(w) if !w.is_async && w.items.first().is_some_and(|i| managed(&i.context_expr))),
    ) else {
        return false;
    };
    !yields_in(&f.body[..k]) && !yields_in(&f.body[k + 1..])
}

/// `reaps` of `param` in `f` (see `Reap`).
fn reaps(f: &StmtFunctionDef, param: &str) -> Option<Reap> {
    // An `async def` runs only when awaited, a generator only when iterated, a decorated function may not run.
    if f.is_async || !f.decorator_list.is_empty() || is_generator(f) {
        return None;
    }
    let on_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == param);
    let mut pipes = Vec::new();
    for s in &f.body {
        let value = match s {
            Stmt::Expr(e) => e.value.as_ref(),
            Stmt::Assign(a) if !a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == param)) => {
                a.value.as_ref()
            }
            // The parameter rebound: what follows is another object.
            Stmt::Assign(_) => return None,
            s if s.is_return_stmt() || s.is_raise_stmt() => return None,
            Stmt::If(_) | Stmt::For(_) | Stmt::While(_) | Stmt::Try(_) | Stmt::With(_) | Stmt::Match(_) => return None,
            _ => continue,
        };
        let Expr::Call(c) = value else { continue };
        let Expr::Attribute(a) = c.func.as_ref() else { continue };
        match a.value.as_ref() {
            // `param.stdin.close()`
            Expr::Attribute(pipe)
                if a.attr.as_str() == "close"
                    && c.arguments.is_empty()
                    && on_param(&pipe.value)
                    && matches!(pipe.attr.as_str(), "stdin" | "stdout" | "stderr") =>
            {
                pipes.push(pipe.attr.to_string());
            }
            // `param.wait()`, `param.communicate(data)`: no timeout, which may leave it running.
            v if on_param(v) && matches!(a.attr.as_str(), "wait" | "communicate") => {
                if c.arguments.find_keyword("timeout").is_some()
                    || (a.attr.as_str() == "wait" && !c.arguments.args.is_empty())
                    || (a.attr.as_str() == "communicate" && c.arguments.args.len() > 1)
                {
                    return None;
                }
                return Some(Reap { communicates: a.attr.as_str() == "communicate", pipes });
            }
            _ => {}
        }
    }
    None
}

impl ParamFacts {
    pub fn of(f: &StmtFunctionDef, param: &str) -> ParamFacts {
        let uses = uses(f, param);
        let mut facts =
            ParamFacts { closed_for_good: closed_for_good(&uses), reaps: reaps(f, param), ..ParamFacts::default() };
        // A generator or an `async def` runs only when iterated or awaited, a decorated function maybe not at all:
        // calling it closes nothing by itself.
        if f.is_async || !f.decorator_list.is_empty() || is_generator(f) {
            facts.closed_for_good = false;
        }
        facts.closed_for_good_by_close = facts.closed_for_good && uses.iter().any(|(u, _)| *u == Use::Closed);
        for (u, _) in uses {
            match u {
                Use::Closed | Use::Entered => facts.closes = true,
                Use::Grown => facts.grows = true,
                Use::Mutated => facts.mutates = true,
                Use::Stored(s) => {
                    facts.stored.get_or_insert(s);
                }
                Use::Returned => facts.returned = true,
                Use::Forwarded { callee, position, keyword, into_self: _ } => {
                    facts.forwarded.push((callee, position, keyword))
                }
                Use::ComparedWithNone => facts.none_meaning = true,
                Use::Captured | Use::Other => facts.unknown = true,
                Use::CloseRegistered | Use::Attribute(_) | Use::Read | Use::Inspected | Use::Aliased | Use::Rebound => {
                }
            }
        }
        facts
    }

    /// Only looked at: not grown, changed, stored, returned, handed on, or used in a way pyfix cannot tell.
    pub fn reads_only(&self) -> bool {
        !self.grows
            && !self.mutates
            && self.stored.is_none()
            && !self.returned
            && self.forwarded.is_empty()
            && !self.unknown
    }
}

struct Uses {
    /// The parameter and the local names bound to it (`filelike = value`).
    names: Vec<String>,
    /// Ranges of the parameter's names already judged by an enclosing expression or statement.
    judged: Vec<TextRange>,
    found: Vec<(Use, TextRange)>,
    /// Names the function declares `global`.
    globals: Vec<String>,
}

impl Uses {
    fn is_param(&self, e: &Expr) -> bool {
        matches!(e, Expr::Name(n) if self.names.iter().any(|p| p == n.id.as_str()))
    }

    fn judge(&mut self, e: &Expr, u: Use) {
        self.judged.push(e.range());
        self.found.push((u, e.range()));
    }

    fn call(&mut self, c: &ExprCall) {
        let name = match c.func.as_ref() {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        };
        if let Expr::Attribute(a) = c.func.as_ref() {
            if self.is_param(&a.value) {
                let m = a.attr.as_str();
                let u = if m == "close" {
                    Use::Closed
                } else {
                    match receiver_effect(m) {
                        Some(Receiver::Grows | Receiver::Toggles) => Use::Grown,
                        Some(Receiver::Shrinks) => Use::Mutated,
                        _ => Use::Attribute(m.to_string()),
                    }
                };
                self.judge(&a.value, u);
            }
        }
        if is_closing(&c.func) && c.arguments.args.first().is_some_and(|a| self.is_param(a)) {
            self.judge(&c.arguments.args[0], Use::Closed);
            return;
        }
        if let Some(n) = name {
            if let Some(first) = c.arguments.args.first().filter(|a| self.is_param(a)) {
                if INSPECTORS.contains(&n) {
                    self.judge(first, Use::Inspected);
                } else if READERS.contains(&n) && c.arguments.len() == 1 {
                    self.judge(first, Use::Read);
                }
            }
        }
        // A container's method that keeps its argument: `c.append(param)`, `d.setdefault(k, param)`.
        let keeper = match c.func.as_ref() {
            Expr::Attribute(a) if !self.is_param(&a.value) && !is_self(&a.value) => {
                matches!(argument_effect(a.attr.as_str()), Some(Argument::KeepsIt | Argument::Registers))
            }
            _ => false,
        };
        let callee = match c.func.as_ref() {
            Expr::Attribute(a) if is_self(&a.value) => Callee::SelfMethod(a.attr.to_string()),
            Expr::Attribute(a)
                if a.attr.as_str() == "__init__"
                    && matches!(a.value.as_ref(), Expr::Call(s) if matches!(s.func.as_ref(), Expr::Name(n) if n.id.as_str() == "super")) =>
            {
                Callee::SuperInit
            }
            func => dotted(func).map_or(Callee::Other, Callee::Named),
        };
        for (k, arg) in c.arguments.args.iter().enumerate() {
            if self.is_param(arg) && !self.judged.contains(&arg.range()) {
                let u = if keeper {
                    Use::Stored(Store::InContainer)
                } else {
                    Use::Forwarded { callee: callee.clone(), position: Some(k), keyword: None, into_self: None }
                };
                self.judge(arg, u);
            }
        }
        for kw in &c.arguments.keywords {
            if self.is_param(&kw.value) && !self.judged.contains(&kw.value.range()) {
                let u = match &kw.arg {
                    Some(name) if !keeper => Use::Forwarded {
                        callee: callee.clone(),
                        position: None,
                        keyword: Some(name.to_string()),
                        into_self: None,
                    },
                    Some(_) => Use::Stored(Store::InContainer),
                    None => Use::Other,
                };
                self.judge(&kw.value, u);
            }
        }
    }
}

fn is_self(e: &Expr) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == "self")
}

fn is_closing(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "closing",
        Expr::Attribute(a) => a.attr.as_str() == "closing",
        _ => false,
    }
}

/// `name`, `mod.name`, `pkg.mod.name`: a callee spelled with names and dots only.
fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(format!("{}.{}", dotted(&a.value)?, a.attr.as_str())),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Uses {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match s {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                // A nested definition runs later, if at all: one that mentions the parameter may keep it.
                let mut inner =
                    Uses { names: self.names.clone(), judged: Vec::new(), found: Vec::new(), globals: Vec::new() };
                visitor::walk_stmt(&mut inner, s);
                if let Some((_, r)) = inner.found.first() {
                    self.found.push((Use::Captured, *r));
                }
                return;
            }
            Stmt::Assign(a) if self.is_param(&a.value) => {
                for t in &a.targets {
                    match t {
                        Expr::Name(n) if self.globals.iter().any(|g| g == n.id.as_str()) => {
                            self.found.push((Use::Stored(Store::Global), a.value.range()));
                        }
                        Expr::Name(n) => {
                            self.found.push((Use::Aliased, a.value.range()));
                            self.names.push(n.id.to_string());
                        }
                        Expr::Attribute(at) if is_self(&at.value) => {
                            self.found.push((Use::Stored(Store::OnSelf(at.attr.to_string())), a.value.range()));
                        }
                        Expr::Attribute(_) => self.found.push((Use::Stored(Store::OnObject), a.value.range())),
                        Expr::Subscript(_) => self.found.push((Use::Stored(Store::InContainer), a.value.range())),
                        _ => self.found.push((Use::Other, a.value.range())),
                    }
                }
                self.judged.push(a.value.range());
                for t in &a.targets {
                    self.visit_expr(t);
                }
                return;
            }
            Stmt::Assign(a) => {
                // `self.attr = Cls(param)`: the call's value is kept on `self`.
                let into_self = a.targets.first().and_then(|t| match t {
                    Expr::Attribute(at) if is_self(&at.value) => Some(at.attr.to_string()),
                    _ => None,
                });
                let before = self.found.len();
                self.visit_expr(&a.value);
                if let (Some(attr), Expr::Call(c)) = (into_self, a.value.as_ref()) {
                    for (u, r) in &mut self.found[before..] {
                        if let Use::Forwarded { into_self, .. } = u {
                            if c.arguments
                                .args
                                .iter()
                                .chain(c.arguments.keywords.iter().map(|k| &k.value))
                                .any(|x| x.range() == *r)
                            {
                                *into_self = Some(attr.clone());
                            }
                        }
                    }
                }
                // `value = iter(value)`: the name holds something else from here on.
                for t in &a.targets {
                    if let Expr::Name(n) = t {
                        if self.names.iter().any(|p| p == n.id.as_str()) {
                            self.found.push((Use::Rebound, t.range()));
                            self.judged.push(t.range());
                            self.names.retain(|p| p != n.id.as_str());
                        }
                    }
                    self.visit_expr(t);
                }
                return;
            }
            Stmt::AugAssign(a) if self.is_param(&a.target) => {
                self.judge(&a.target, Use::Grown);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Subscript(sub) = t {
                        if self.is_param(&sub.value) {
                            self.judge(&sub.value, Use::Mutated);
                        }
                    }
                }
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if self.is_param(&item.context_expr) {
                        self.judge(&item.context_expr, Use::Entered);
                    }
                }
            }
            Stmt::For(f) if self.is_param(&f.iter) => self.judge(&f.iter, Use::Read),
            Stmt::Return(r) => {
                if let Some(v) = r.value.as_deref().filter(|v| self.is_param(v)) {
                    self.judge(v, Use::Returned);
                }
            }
            Stmt::If(i) if self.is_param(&i.test) => self.judge(&i.test, Use::Read),
            Stmt::While(w) if self.is_param(&w.test) => self.judge(&w.test, Use::Read),
            _ => {}
        }
        visitor::walk_stmt(self, s);
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Lambda(_) => {
                let mut inner =
                    Uses { names: self.names.clone(), judged: Vec::new(), found: Vec::new(), globals: Vec::new() };
                visitor::walk_expr(&mut inner, e);
                if let Some((_, r)) = inner.found.first() {
                    self.found.push((Use::Captured, *r));
                }
                return;
            }
            Expr::Call(c) => self.call(c),
            Expr::Attribute(a) if self.is_param(&a.value) && !self.judged.contains(&a.value.range()) => {
                let u = if a.attr.as_str() == "close" {
                    Use::CloseRegistered
                } else if a.ctx.is_load() {
                    Use::Attribute(a.attr.to_string())
                } else {
                    Use::Mutated
                };
                self.judge(&a.value, u);
            }
            Expr::Subscript(sub) if self.is_param(&sub.value) && !self.judged.contains(&sub.value.range()) => {
                let u = if sub.ctx.is_load() { Use::Read } else { Use::Grown };
                self.judge(&sub.value, u);
            }
            Expr::Compare(c) => {
                let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
                for (k, op) in c.ops.iter().enumerate() {
                    let (l, r) = (operands[k], operands[k + 1]);
                    let none_test = matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq);
                    for (x, other) in [(l, r), (r, l)] {
                        if !self.is_param(x) || self.judged.contains(&x.range()) {
                            continue;
                        }
                        if none_test && other.is_none_literal_expr() {
                            self.judge(x, Use::ComparedWithNone);
                        } else if matches!(op, CmpOp::In | CmpOp::NotIn) && std::ptr::eq(x, r) {
                            self.judge(x, Use::Read);
                        }
                    }
                }
            }
            Expr::UnaryOp(u) if self.is_param(&u.operand) => self.judge(&u.operand, Use::Read),
            Expr::BoolOp(b) => {
                // `param or default`: read for its truth; the value may be the parameter, which is another use.
                for v in &b.values[..b.values.len().saturating_sub(1)] {
                    if self.is_param(v) && !self.judged.contains(&v.range()) {
                        self.judge(v, Use::Read);
                    }
                }
            }
            Expr::Yield(y) => {
                if let Some(v) = y.value.as_deref().filter(|v| self.is_param(v)) {
                    self.judge(v, Use::Returned);
                }
            }
            // `yield from param`: iterates it and hands on its elements, not the object.
            Expr::YieldFrom(y) if self.is_param(&y.value) => self.judge(&y.value, Use::Read),
            Expr::Name(n) if self.names.iter().any(|p| p == n.id.as_str()) && !self.judged.contains(&n.range) => {
                let u = if n.ctx.is_load() { Use::Other } else { Use::Rebound };
                self.found.push((u, n.range));
            }
            _ => {}
        }
        visitor::walk_expr(self, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;

    fn first_def(src: &str) -> StmtFunctionDef {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        match parsed.into_syntax().body.into_iter().next() {
            Some(Stmt::FunctionDef(f)) => f,
            _ => panic!("no def"),
        }
    }

    #[test]
    fn closing_helpers_close() {
        let closes = |src: &str| closes_parameter(&first_def(src), "f");
        assert!(closes("def c(f):\n    try:\n        f.close()\n    except OSError:\n        pass\n"));
        assert!(closes("def c(f):\n    f.flush()\n    f.close()\n"));
        assert!(closes("def c(f):\n    with closing(f):\n        return f.read()\n"));
        assert!(closes("def c(f):\n    with f:\n        return f.read()\n"));
        assert!(!closes("def c(f):\n    return f.read()\n"));
        assert!(!closes("def c(f):\n    if isinstance(f, str):\n        return f\n    f.close()\n"));
        assert!(closes("def c(f):\n    if not isinstance(f, str):\n        f.close()\n"));
        assert!(!closes("def c(f):\n    if isinstance(f, str):\n        keep(f)\n    f.close()\n"));
        assert!(!closes("def c(f):\n    keep.append(f)\n    f.close()\n"));
        assert!(!closes("def c(f):\n    f.close()\n    return f\n"));
        assert!(!closes("def c(f):\n    def later():\n        f.close()\n    return later\n"));
        assert!(!closes("def c(f):\n    g = f\n    g.close()\n"));
        assert!(!closes("def c(f):\n    f = open(f)\n    f.close()\n"));
        // Iterating it keeps nothing.
        assert!(closes("def c(f):\n    for line in f:\n        print(line)\n    f.close()\n"));
        // Handed as it is to a callee: only a callee known to read it keeps nothing.
        let src = "def c(f):\n    with closing(f):\n        check(f, 1)\n";
        assert!(!closes(src));
        let reading = |reads: bool| {
            closes_parameter_reading_through(&first_def(src), "f", true, |c, position, keyword| {
                reads && *c == Callee::Named("check".into()) && position == Some(0) && keyword.is_none()
            })
        };
        assert!(reading(true));
        assert!(!reading(false));
        // `with f:` closes a file, and only commits a `sqlite3` connection: the caller says which.
        let entered = first_def("def c(conn):\n    with conn:\n        conn.execute('x')\n");
        assert!(closes_parameter_reading_through(&entered, "conn", true, |_, _, _| false));
        assert!(!closes_parameter_reading_through(&entered, "conn", false, |_, _, _| false));
        assert!(closes_first(&entered, "conn", true, |_| false));
        assert!(!closes_first(&entered, "conn", false, |_| false));
        let facts = ParamFacts::of(&entered, "conn");
        assert!(facts.closed_for_good && !facts.closed_for_good_by_close);
    }

    #[test]
    fn facts_of_a_parameter() {
        let facts = |src: &str| ParamFacts::of(&first_def(src), "env");
        let f = facts(
            "def spawn(cmd, env=None):\n    if env is None:\n        env = dict(os.environ)\n    run(cmd, env)\n",
        );
        assert!(f.none_meaning);
        let f = facts("def keep(env):\n    _all.append(env)\n");
        assert_eq!(f.stored, Some(Store::InContainer));
        let f = facts("def grow(env):\n    env['A'] = '1'\n");
        assert!(f.grows && !f.reads_only());
        let f = facts("def show(env):\n    for k in env:\n        print(k, env[k])\n    return len(env)\n");
        assert!(f.reads_only(), "{f:?}");
        let f = facts("def on(self, env):\n    self.env = env\n");
        assert_eq!(f.stored, Some(Store::OnSelf("env".into())));
        let f = facts("def fwd(env):\n    return other.run(1, env=env)\n");
        assert_eq!(f.forwarded, vec![(Callee::Named("other.run".into()), None, Some("env".into()))]);
        let f = facts("def ret(env):\n    return env\n");
        assert!(f.returned);
    }
}
