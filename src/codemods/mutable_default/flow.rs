//! What a function does with its default object: follows the parameter's binding, the local names bound to the
//! same object and calls into the module's functions, and says whether it grows, is kept, returned, handed to an
//! unseen callee or changed as state. What a method does is `analyze::effects`'; which function a call runs, `calls`'.

use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::calls::{callees, function_name, is_self_call};
use super::defaults::{contents, module_value, Kind};
use super::known_calls::{NONE_APIS, READING_CALLS};
use super::uses::is_name;
use super::uses::{param_binding, tests_none};
use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::analyze::calls::parameter_for;
use crate::codemods::analyze::classes::callee_function;
use crate::codemods::analyze::effects::{
    argument_effect, changes_receiver, gives_element, receiver_effect, Argument, Receiver,
};
use crate::codemods::Context;
use crate::semantic::{
    self, BindingId, BindingKind, Reference, ReferenceId, ReferenceKind, ScopeId, ScopeNode, StmtId,
};

/// What a function does with its default object, found from the uses of the parameter's binding (and of local
/// names bound to the same object), following calls into functions of the module.
#[derive(Default, Debug)]
pub(super) struct Flow {
    /// The object grows, or is stored where it outlives the call: the leak. Says how.
    pub(super) leak: Option<String>,
    /// The object is returned (or yielded): a leak for the function itself, "the call's value is the object" for a
    /// callee pyfix follows.
    pub(super) returned: Option<String>,
    /// Handed to a callee pyfix cannot see.
    pub(super) unknown: Option<String>,
    /// The object itself (not an element) handed to a callee pyfix cannot see, where `None` may mean something.
    pub(super) forwarded: Option<String>,
    /// Stored as given where it outlives the call (`calls.append(x)`, `d[k] = x`, `bus.subscribe(t, x)`), and
    /// nothing the module does to that place grows it: an escape, not a growth. Says how.
    pub(super) recorded: Option<String>,
    /// Changed in place without growing: a counter, a flag, a cell, a first-call initialisation.
    pub(super) state: Option<String>,
    /// Used as the globals or locals of `exec`/`eval`.
    pub(super) namespace: Option<String>,
    /// Handed to a callee that treats `None` differently.
    pub(super) none_callee: Option<String>,
    /// Handed as it is to a function of another module of the project that compares that parameter with `None`:
    /// the callee as called, its place (`pkg/run.py:12`) and the parameter.
    pub(super) none_elsewhere: Option<(String, String, String)>,
    /// What a function of another module of the project does with it, when that decided (`` `h.put()` grows it
    /// (`pkg/helpers.py:2`) ``): shown with a fix.
    pub(super) elsewhere: Option<String>,
}

impl Flow {
    fn merge(&mut self, other: Flow) {
        self.leak = self.leak.take().or(other.leak);
        self.unknown = self.unknown.take().or(other.unknown);
        self.forwarded = self.forwarded.take().or(other.forwarded);
        self.recorded = self.recorded.take().or(other.recorded);
        self.state = self.state.take().or(other.state);
        self.namespace = self.namespace.take().or(other.namespace);
        self.none_callee = self.none_callee.take().or(other.none_callee);
        self.none_elsewhere = self.none_elsewhere.take().or(other.none_elsewhere);
        self.elsewhere = self.elsewhere.take().or(other.elsewhere);
    }
}

/// How deep `Flow` follows calls into functions of the module.
const MAX_DEPTH: usize = 3;

/// Follows the uses of one parameter.
pub(super) struct Tracer<'c, 'a> {
    cx: &'c Context<'a>,
    kind: Kind,
    /// The default holds something (`[0]`, `{"a": 1}`): changing it in place is state; an empty one that never
    /// grows cannot be changed meaningfully.
    nonempty: bool,
    /// Its elements may be mutable objects (`[[]]`, `defaultdict(list)`): handing one out hands out shared state.
    elements_mutable: bool,
    /// (function scope, parameter) pairs being traced, against recursion.
    visiting: Vec<(ScopeId, String)>,
}

/// Where the traced object is, relative to the expression being looked at.
#[derive(Clone, Copy, Debug)]
struct Held {
    /// An element of the object (`x[0]`, `x.get(k)`), not the object itself.
    derived: bool,
    /// Inside a new container (`(x, y)`, `[x]`).
    contained: bool,
}

impl<'c, 'a> Tracer<'c, 'a> {
    pub(super) fn new(cx: &'c Context<'a>, default: &Expr, kind: Kind) -> Self {
        // `opts=DEFAULTS`: what matters is the module's value.
        let value = match default {
            Expr::Name(n) => cx.semantic.resolve(n).and_then(|b| module_value(cx, b)).unwrap_or(default),
            _ => default,
        };
        let (nonempty, elements_mutable) = contents(value);
        Tracer { cx, kind, nonempty, elements_mutable, visiting: Vec::new() }
    }

    /// What the function `scope` does with its parameter `name`. `depth` 0 is the function with the default.
    pub(super) fn trace(&mut self, scope: ScopeId, name: &str, depth: usize) -> Flow {
        let mut flow = Flow::default();
        let Some(param) = param_binding(self.cx, scope, name) else { return flow };
        if depth > 0 && tests_none(self.cx, scope, name) {
            flow.none_callee = Some(function_name(self.cx, scope));
        }
        self.visiting.push((scope, name.to_string()));
        let mut work = vec![(param, Held { derived: false, contained: false })];
        let mut seen: Vec<BindingId> = Vec::new();
        while let Some((b, held)) = work.pop() {
            if seen.contains(&b) || seen.len() > 64 {
                continue;
            }
            seen.push(b);
            let refs: Vec<ReferenceId> = self.cx.semantic.binding(b).references.clone();
            for r in refs {
                self.use_of(b, r, held, scope, depth, &mut flow, &mut work);
            }
        }
        self.visiting.pop();
        flow
    }

    #[allow(clippy::too_many_arguments)]
    fn use_of(
        &mut self,
        binding: BindingId,
        r: ReferenceId,
        mut held: Held,
        scope: ScopeId,
        depth: usize,
        flow: &mut Flow,
        work: &mut Vec<(BindingId, Held)>,
    ) {
        let cx = self.cx;
        let sem = cx.semantic;
        let r = sem.reference(r);
        let Some(stmt_id) = r.stmt else { return };
        let stmt = sem.stmt(stmt_id);
        let shown = |range: TextRange| cx.source.slice(range).to_string();
        if r.kind == ReferenceKind::AugLoad {
            // x += [1], x |= {k}: in place on a list, set or dict.
            let Stmt::AugAssign(a) = stmt else { return };
            let grows = matches!(a.op, ast::Operator::Add | ast::Operator::BitOr | ast::Operator::Mult);
            if held.derived || held.contained {
                return;
            }
            if grows {
                self.grows(r, stmt_id, &shown(a.range()), flow);
            } else if self.nonempty {
                flow.state.get_or_insert(format!("`{}` changes it in place without growing it", shown(a.range())));
            }
            let home = sem.binding(binding).scope;
            if let Some(next) =
                sem.scope(home).bindings_of(r.name).iter().find(|b| {
                    sem.binding(**b).stmt == Some(stmt_id) && sem.binding(**b).kind == BindingKind::AugAssignment
                })
            {
                work.push((*next, held));
            }
            return;
        }
        let path = sem.expr_path(stmt, r.range);
        let mut cur = r.range;
        let mut i = path.len();
        while i > 0 {
            i -= 1;
            let parent = path[i];
            let grand = i.checked_sub(1).map(|j| path[j]);
            match parent {
                Expr::Attribute(a) if a.value.range() == cur => {
                    let Some(Expr::Call(c)) =
                        grand.filter(|g| matches!(g, Expr::Call(c) if c.func.range() == a.range()))
                    else {
                        let m = a.attr.as_str();
                        if !held.derived && !held.contained && changes_receiver(m) {
                            // `cb = x.append`: a bound method that can change the object later.
                            flow.leak.get_or_insert(format!("`{}` is handed out", shown(a.range())));
                        }
                        return; // `x.__class__`, `x.keys`: read
                    };
                    if held.contained {
                        return;
                    }
                    let m = a.attr.as_str();
                    let receiver = receiver_effect(m);
                    // A default that may gain entries grows, even if it may lose some too (`Toggles`).
                    if matches!(receiver, Some(Receiver::Grows | Receiver::Toggles)) {
                        if held.derived {
                            flow.leak.get_or_insert(format!("`{}` grows an element of it", shown(c.range())));
                        } else {
                            self.grows(r, stmt_id, &shown(c.range()), flow);
                        }
                        return;
                    }
                    if receiver == Some(Receiver::Shrinks) && (held.derived || self.nonempty) {
                        flow.state
                            .get_or_insert(format!("`{}` changes it in place without growing it", shown(c.range())));
                    }
                    if !gives_element(m) {
                        return;
                    }
                    held.derived = true;
                    cur = c.range();
                    i -= 1; // the call is handled
                }
                Expr::Subscript(s) if s.value.range() == cur => {
                    if held.contained {
                        return;
                    }
                    let fixed = crate::codemods::is_constant_literal(&s.slice);
                    match s.ctx {
                        ast::ExprContext::Store => {
                            let text = shown(s.range());
                            if held.derived {
                                if fixed {
                                    flow.state.get_or_insert(format!("`{text} = ...` changes an element in place"));
                                } else {
                                    flow.leak.get_or_insert(format!("`{text} = ...` grows an element of it"));
                                }
                            } else if (s.slice.is_slice_expr() && !self.kind.is_mapping())
                                || (self.kind.is_mapping() && !fixed)
                            {
                                self.grows(r, stmt_id, &format!("{text} = ..."), flow);
                            } else {
                                flow.state
                                    .get_or_insert(format!("`{text} = ...` changes it in place without growing it"));
                            }
                            return;
                        }
                        ast::ExprContext::Del => {
                            if held.derived || self.nonempty {
                                flow.state.get_or_insert(format!(
                                    "`del {}` changes it in place without growing it",
                                    shown(s.range())
                                ));
                            }
                            return;
                        }
                        _ => {
                            if self.kind == Kind::Defaultdict && !held.derived && !fixed {
                                self.grows(r, stmt_id, &shown(s.range()), flow);
                                return;
                            }
                            held.derived = true;
                            cur = s.range();
                        }
                    }
                }
                // `{**x, **extra}`: a new dict with the object's items, not the object.
                Expr::Dict(d) if d.items.iter().any(|i| i.key.is_none() && i.value.range() == cur) => return,
                Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) => {
                    held.contained = true;
                    cur = parent.range();
                }
                Expr::If(e) if e.test.range() != cur => cur = parent.range(),
                Expr::BoolOp(_) => cur = parent.range(),
                Expr::Named(n) if n.value.range() == cur => {
                    if let Expr::Name(t) = n.target.as_ref() {
                        if let Some(b) = sem.binding_of(t) {
                            work.push((b, held));
                        }
                    }
                    cur = parent.range();
                }
                Expr::Call(c) if c.func.range() != cur => {
                    if !self.call(c, cur, held, r.scope, depth, flow) {
                        return;
                    }
                    cur = c.range();
                }
                Expr::Yield(_) | Expr::YieldFrom(_) => {
                    if !held.derived || self.elements_mutable {
                        flow.returned.get_or_insert(format!("`{}` hands it out", shown(parent.range())));
                    }
                    return;
                }
                Expr::Lambda(l) => {
                    if matches!(sem.scope(scope).node, ScopeNode::Lambda(own) if own.range() == l.range()) {
                        if !held.derived || self.elements_mutable {
                            flow.returned.get_or_insert("the lambda returns it".to_string());
                        }
                    } else if !is_transient_lambda(cx, grand, l) {
                        flow.leak.get_or_insert("a lambda that can outlive the call keeps it".to_string());
                    }
                    return;
                }
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::Generator(_) | Expr::DictComp(_) => {
                    if comprehension_reads(parent, cur) {
                        return;
                    }
                    held.contained = true;
                    cur = parent.range();
                }
                _ => return,
            }
        }
        // The statement holds the value directly.
        let outlives = !held.derived || self.elements_mutable;
        match stmt {
            Stmt::Return(ret) if outlives && ret.value.as_ref().is_some_and(|v| v.range() == cur) => {
                if r.scope == scope {
                    flow.returned.get_or_insert(format!("`{}` hands it out", shown(ret.range())));
                } else {
                    flow.leak.get_or_insert("a nested function returns it".to_string());
                }
            }
            Stmt::Assign(a) if a.value.range() == cur => {
                for t in &a.targets {
                    self.stored_in(t, r, held, outlives, flow, work);
                }
            }
            Stmt::AnnAssign(a) if a.value.as_ref().is_some_and(|v| v.range() == cur) => {
                self.stored_in(&a.target, r, held, outlives, flow, work);
            }
            Stmt::FunctionDef(f) if outlives && f.parameters.range().contains_range(cur) => {
                flow.leak.get_or_insert(format!("it becomes a default of `{}`", f.name));
            }
            _ => {}
        }
    }

    /// `target = <the object>`.
    fn stored_in(
        &self,
        target: &Expr,
        r: &Reference,
        held: Held,
        outlives: bool,
        flow: &mut Flow,
        work: &mut Vec<(BindingId, Held)>,
    ) {
        let sem = self.cx.semantic;
        match target {
            Expr::Name(n) => {
                let Some(b) = sem.binding_of(n) else { return };
                if sem.binding(b).scope == r.scope {
                    work.push((b, held));
                } else if outlives {
                    flow.leak.get_or_insert(format!("it is stored in `{}`, which outlives the call", n.id));
                }
            }
            // `self.names = names` and some code of the module grows `.names`: it grows through the holder.
            Expr::Attribute(a) if outlives && is_attribute_changed(self.cx, a.attr.as_str()) => {
                let shown = self.cx.source.slice(target.range());
                flow.leak
                    .get_or_insert(format!("`{shown} = ...` stores it, and the module changes `.{}` in place", a.attr));
            }
            // `self.names = names` where nothing in the module ever changes `.names`: read through the instance.
            Expr::Attribute(a) if is_name(&a.value, "self") => {}
            Expr::Attribute(_) | Expr::Subscript(_) if outlives => {
                flow.recorded.get_or_insert(format!("`{} = ...` stores it", self.cx.source.slice(target.range())));
            }
            _ => {}
        }
    }

    /// Growth at `r`: the leak, or a first-call initialisation when it only happens while the object is empty.
    fn grows(&self, r: &Reference, stmt: StmtId, what: &str, flow: &mut Flow) {
        if under_emptiness_test(self.cx, stmt, r.name) || in_empty_branch(self.cx, stmt, r) {
            flow.state.get_or_insert(format!("`{what}` runs only while it is empty: a first-call initialisation"));
        } else {
            flow.leak.get_or_insert(format!("`{what}` grows it"));
        }
    }

    /// The object is an argument of `c`. Returns true when the call's value is the object again.
    fn call(
        &mut self,
        c: &ast::ExprCall,
        cur: TextRange,
        held: Held,
        from: ScopeId,
        depth: usize,
        flow: &mut Flow,
    ) -> bool {
        let cx = self.cx;
        let sem = cx.semantic;
        let callee = cx.source.slice(c.func.range()).to_string();
        let mut position = None;
        let mut keyword = None;
        for (i, a) in c.arguments.args.iter().enumerate() {
            if a.range() == cur {
                position = Some(i);
            }
            if a.is_starred_expr() && position.is_none() {
                return false; // `f(*x)` or after a `*args`: elements, or an unknown position
            }
        }
        for k in &c.arguments.keywords {
            if k.value.range() == cur {
                match &k.arg {
                    Some(a) => keyword = Some(a.as_str()),
                    None => return false, // `f(**x)`: read
                }
            }
        }
        if position.is_none() && keyword.is_none() {
            return false;
        }
        // After `from tkinter import *` a builtin still is one: star imports rarely shadow `len` or `isinstance`.
        let qualified = sem.resolve_qualified_name(&c.func).or_else(|| match c.func.as_ref() {
            Expr::Name(n) if sem.resolve(n).is_none() && semantic::is_builtin(n.id.as_str()) => {
                Some(format!("builtins.{}", n.id))
            }
            _ => None,
        });
        if let Some(q) = qualified {
            if matches!(q.as_str(), "builtins.exec" | "builtins.eval") {
                if position.is_some_and(|p| p >= 1) || matches!(keyword, Some("globals" | "locals")) {
                    flow.namespace.get_or_insert(format!("`{callee}()` uses it as a namespace"));
                }
                return false;
            }
            for (api, kw, pos) in NONE_APIS {
                if q == *api && !held.derived && (keyword == Some(kw) || (position.is_some() && position == *pos)) {
                    flow.none_callee.get_or_insert(callee.clone());
                }
            }
            if READING_CALLS.contains(&q.as_str()) || NONE_APIS.iter().any(|(api, _, _)| q == *api) {
                return false;
            }
            if q == "builtins.setattr" && (!held.derived || self.elements_mutable) {
                flow.recorded.get_or_insert(format!("`{callee}()` stores it"));
                return false;
            }
        }
        if held.derived && !self.elements_mutable {
            return false;
        }
        if let Expr::Attribute(a) = c.func.as_ref() {
            let m = a.attr.as_str();
            if !is_self_call(a) && sem.resolve_qualified_name(&a.value).is_none() {
                if stores(m) {
                    flow.recorded.get_or_insert(format!("`{}` stores it", cx.source.slice(c.range())));
                    return false;
                }
                if reads(m) {
                    return false;
                }
                if m == "get" || m == "pop" {
                    return true; // `d.get(k, x)`: the value may be the object
                }
            }
        }
        let targets = callees(cx, c, from);
        if targets.is_empty() && held.contained {
            return false; // `merge((x, kw))`: a new tuple handed over, its elements read; rarely kept
        }
        if targets.is_empty() && crate::codemods::analyze::classes::assertion_reads_only(cx, &c.func) {
            return false; // `self.assertEqual(x, ...)`: unittest's assertions only read
        }
        // A function of another module of the project: what it does with the parameter decides.
        if targets.is_empty() && !held.derived && !held.contained {
            if let Some(f) = callee_function(cx, c, cur) {
                let facts = &f.facts;
                let place = f.place();
                if facts.none_meaning {
                    flow.none_elsewhere.get_or_insert((callee.clone(), place.clone(), f.param.clone()));
                }
                if facts.grows {
                    let how = format!("`{callee}()` grows it (`{place}`)");
                    flow.elsewhere.get_or_insert(how.clone());
                    flow.leak.get_or_insert(how);
                    return false;
                }
                if facts.stored.is_some() {
                    flow.recorded.get_or_insert(format!("`{callee}()` stores it (`{place}`)"));
                    return false;
                }
                if facts.mutates {
                    flow.state.get_or_insert(format!("`{callee}()` changes it in place (`{place}`)"));
                    return false;
                }
                if facts.forwarded.is_empty() && !facts.unknown {
                    // Only read there (or returned: the call's value is the object).
                    let how = if facts.returned { "returns it" } else { "only reads it" };
                    flow.elsewhere.get_or_insert(format!("`{callee}()` {how} (`{place}`)"));
                    return facts.returned;
                }
            }
        }
        if targets.is_empty() || depth >= MAX_DEPTH {
            if !held.derived && !held.contained {
                flow.forwarded.get_or_insert(callee.clone());
            }
            flow.unknown.get_or_insert(callee);
            return false;
        }
        let mut carries = false;
        for (target, skip_self) in targets {
            let Some(f) = sem.scope(target).function() else { continue };
            let Some(param) = parameter_for(f, position.map(|p| p + usize::from(skip_self)), keyword) else {
                // Collected by `*args`/`**kwargs`: held in a new container, like `(x, y)`.
                let collected =
                    if keyword.is_some() { f.parameters.kwarg.is_some() } else { f.parameters.vararg.is_some() };
                if !collected {
                    flow.unknown.get_or_insert(callee.clone());
                }
                continue;
            };
            if held.contained {
                continue; // a container that holds the object: its elements are read, rarely kept
            }
            if self.visiting.iter().any(|(s, n)| *s == target && n == param) {
                continue;
            }
            let sub = self.trace(target, param, depth + 1);
            carries |= sub.returned.is_some();
            flow.merge(sub);
        }
        carries
    }
}

/// The statement runs only inside `if not x:` (or `if len(x) == 0:`, `if x == []:`) of the same function.
fn under_emptiness_test(cx: &Context, stmt: StmtId, name: &str) -> bool {
    let sem = cx.semantic;
    let scope = sem.stmt_scope(stmt);
    let at = sem.stmt(stmt).range();
    sem.ancestors(stmt).take_while(|a| sem.stmt_scope(*a) == scope).any(|a| match sem.stmt(a) {
        Stmt::If(i) => {
            let body = i.body.first().map(|f| TextRange::new(f.start(), i.body.last().map_or(f.end(), Ranged::end)));
            body.is_some_and(|b| b.contains_range(at)) && is_emptiness_test(&i.test, name)
        }
        _ => false,
    })
}

/// The use sits in the branch of a conditional expression that runs only while the object is empty:
/// `fetch() if l else l.append(None)`, `l.append(x) if not l else ...`.
fn in_empty_branch(cx: &Context, stmt: StmtId, r: &Reference) -> bool {
    let path = cx.semantic.expr_path(cx.semantic.stmt(stmt), r.range);
    path.iter().any(|e| match e {
        Expr::If(i) if i.orelse.range().contains_range(r.range) => {
            is_name(&i.test, r.name) || matches!(i.test.as_ref(), Expr::Call(c) if is_name(&c.func, "len") && c.arguments.args.first().is_some_and(|a| is_name(a, r.name)))
        }
        Expr::If(i) if i.body.range().contains_range(r.range) => is_emptiness_test(&i.test, r.name),
        _ => false,
    })
}

fn is_emptiness_test(test: &Expr, name: &str) -> bool {
    let is_len = |e: &Expr| matches!(e, Expr::Call(c) if is_name(&c.func, "len") && c.arguments.args.first().is_some_and(|a| is_name(a, name)));
    match test {
        Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::Not) => is_name(&u.operand, name) || is_len(&u.operand),
        Expr::Compare(c) if c.ops.len() == 1 && matches!(c.ops[0], CmpOp::Eq) => {
            let right = &c.comparators[0];
            let empty = |e: &Expr| match e {
                Expr::List(l) => l.elts.is_empty(),
                Expr::Dict(d) => d.items.is_empty(),
                Expr::NumberLiteral(n) => matches!(&n.value, ast::Number::Int(i) if *i == ast::Int::ZERO),
                _ => false,
            };
            (is_name(&c.left, name) || is_len(&c.left)) && empty(right)
        }
        Expr::BoolOp(b) => b.values.iter().any(|v| is_emptiness_test(v, name)),
        _ => false,
    }
}

/// The use sits in a comprehension's iterable or condition: only read.
fn comprehension_reads(comp: &Expr, cur: TextRange) -> bool {
    let generators = match comp {
        Expr::ListComp(c) => &c.generators,
        Expr::SetComp(c) => &c.generators,
        Expr::Generator(c) => &c.generators,
        Expr::DictComp(c) => &c.generators,
        _ => return true,
    };
    generators.iter().any(|g| g.iter.range().contains_range(cur) || g.ifs.iter().any(|i| i.range().contains_range(cur)))
}

/// `other.m(x)` stores `x` where it outlives the call, or registers it. (A queue's `put` hands it to a consumer
/// pyfix cannot see: neither stored nor read, it is followed as unknown code.)
fn stores(m: &str) -> bool {
    matches!(argument_effect(m), Some(Argument::KeepsIt | Argument::Registers))
}

/// `other.m(x)` does not keep `x` itself: it only reads it, or keeps its elements (`out.extend(x)`). Twin, until
/// merged: `remove` and `discard` are not known.
fn reads(m: &str) -> bool {
    match argument_effect(m) {
        Some(Argument::Reads) => !matches!(m, "remove" | "discard"),
        Some(Argument::KeepsElements) => true,
        _ => false,
    }
}

/// `sorted(xs, key=lambda k: order.index(k))`, `xs.sort(key=...)`: the lambda dies with the call.
fn is_transient_lambda(cx: &Context, grand: Option<&Expr>, l: &ast::ExprLambda) -> bool {
    let Some(Expr::Call(c)) = grand else { return false };
    if !c.arguments.keywords.iter().any(|k| k.value.range() == l.range())
        && !c.arguments.args.iter().any(|a| a.range() == l.range())
    {
        return false;
    }
    if let Expr::Attribute(a) = c.func.as_ref() {
        if a.attr.as_str() == "sort" {
            return true;
        }
    }
    cx.semantic.resolve_qualified_name(&c.func).is_some_and(|q| READING_CALLS.contains(&q.as_str()))
}

/// Some code of the module changes an attribute of this name in place or hands it out: `obj.names.append(x)`,
/// `obj.names[k] = v`, `obj.names += ...`, `del obj.names[k]`, `return obj.names`, `yield obj.names`.
fn is_attribute_changed(cx: &Context, attr: &str) -> bool {
    cx.attributes().uses(attr).any(|u| match u.kind {
        AttributeUseKind::AugStore
        | AttributeUseKind::SubscriptStore { .. }
        | AttributeUseKind::SubscriptDelete
        | AttributeUseKind::Returned
        | AttributeUseKind::Yielded => true,
        AttributeUseKind::MethodCall { method, .. } => changes_receiver(method),
        _ => false,
    })
}
