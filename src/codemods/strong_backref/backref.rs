//! Finding back-references: a child's pointer to the owner that keeps it, an owner setting itself on a child it
//! keeps, the back link of a doubly linked pair, `self.x = self` and a bound method on its own instance, each a
//! `Candidate` with its message. Whether and how to fix one is in `refusal.rs` and `weak_property.rs`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashMap;

use crate::codemods::analyze::calls::{argument_for, Passed};
use crate::codemods::Finding;
use crate::semantic::{BindingId, BindingKind, ScopeId};

use super::module_index::{first_line, squash, Method, Model};
use super::vocabulary::{is_back_name, is_class_name, keeps, keeps_elements};
use super::NAME;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shape<'a> {
    /// The child's attribute refers to an owner that keeps the child (the owner's class, when known); `contained`
    /// when the owner keeps it in a container of its own (`self.children.append(c)`, `self.by_name[k] = c`), not
    /// in a plain attribute (`self.engine = Engine(self)`).
    Owner { owner: Option<usize>, contained: bool },
    /// The back link of a doubly linked pair.
    Linked { forward: &'a str },
    /// `self.x = self`.
    SelfRef,
    /// `self.handler = self.on_data`.
    BoundMethod { method: &'a str },
}

/// Where an owner keeps a child: the statement, and whether in a container of its own.
#[derive(Clone, Copy)]
pub(super) struct Kept<'a> {
    pub(super) stmt: &'a Stmt,
    pub(super) contained: bool,
}

pub(super) struct Candidate<'a> {
    /// The class whose attribute becomes weak.
    pub(super) class: usize,
    pub(super) attr: &'a str,
    pub(super) shape: Shape<'a>,
    /// Where the module shows the other direction.
    pub(super) evidence: TextRange,
    /// The `__init__` (or setter) parameter the attribute stores, for `self.parent = parent`.
    pub(super) param: Option<&'a str>,
}

impl<'a> Model<'a, '_> {
    /// `self.parent = parent` in class C, and the module shows `parent` keeps the C: it creates `C(self)` and keeps
    /// it, or the C adds itself to `parent` (`parent.children.append(self)`).
    pub(super) fn owner_child(&self, out: &mut Vec<Candidate<'a>>) {
        for store in &self.stores {
            let (Some(attr), Some(value)) = (store.attribute(), store.value) else { continue };
            let Some(mi) = self.self_method(&attr.value) else { continue };
            let method = &self.methods[mi];
            let Some(param) = self.binding_of_name(value) else { continue };
            let pb = self.sem.binding(param);
            if pb.kind != BindingKind::Parameter
                || pb.scope != method.scope
                || self.selves.contains_key(&param)
                || is_class_name(pb.name)
            {
                continue;
            }
            let class = method.class;
            let a = attr.attr.as_str();
            if let Some((evidence, owner, contained)) = self.creation_evidence(class, method, pb.name) {
                let shape = Shape::Owner { owner, contained };
                out.push(Candidate { class, attr: a, shape, evidence, param: Some(pb.name) });
            } else if let Some((evidence, owner, contained)) = self.joins_owner(class, param, a) {
                let shape = Shape::Owner { owner, contained };
                out.push(Candidate { class, attr: a, shape, evidence, param: Some(pb.name) });
            }
        }
    }

    /// A call `C(..., self, ...)` passing `self` as `param` of `method` (an `__init__`) whose result the caller keeps.
    fn creation_evidence(
        &self,
        class: usize,
        method: &Method<'a>,
        param: &str,
    ) -> Option<(TextRange, Option<usize>, bool)> {
        let f = method.def;
        // `C(self)` and `child.set_parent(self)` both bind the method's `self`.
        let by_name = |call: &'a ast::ExprCall| -> Option<&'a Expr> {
            match argument_for(call, &f.parameters, param, true) {
                Passed::Yes(e) => Some(e),
                Passed::No | Passed::Maybe => None,
            }
        };
        let is_init = f.name.as_str() == "__init__";
        let name_unique =
            !is_init && self.classes.iter().filter(|c| c.members.contains_key(f.name.as_str())).count() == 1;
        let candidates: &[usize] = if is_init {
            let by_class = self.calls_by_class.get_or_init(|| {
                let mut map: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
                for (k, (call, _)) in self.calls.iter().enumerate() {
                    if let Some(c) = self.initialised_by(call) {
                        map.entry(c).or_default().push(k);
                    }
                }
                map
            });
            by_class.get(&class).map_or(&[], Vec::as_slice)
        } else if name_unique {
            let by_method = self.calls_by_method.get_or_init(|| {
                let mut map: FxHashMap<&'a str, Vec<usize>> = FxHashMap::default();
                for (k, (call, _)) in self.calls.iter().enumerate() {
                    if let Expr::Attribute(fa) = call.func.as_ref() {
                        map.entry(fa.attr.as_str()).or_default().push(k);
                    }
                }
                map
            });
            by_method.get(f.name.as_str()).map_or(&[], Vec::as_slice)
        } else {
            &[]
        };
        for &k in candidates {
            let (call, stmt) = &self.calls[k];
            let arg = if is_init {
                by_name(call)
            } else {
                // `child.set_parent(self)`: the child must be kept by the owner.
                match call.func.as_ref() {
                    Expr::Attribute(fa) if name_unique && fa.attr.as_str() == f.name.as_str() => by_name(call),
                    _ => None,
                }
            };
            let Some(arg) = arg else { continue };
            let Some(owner) = self.binding_of_name(arg) else { continue };
            if is_class_name(self.sem.binding(owner).name) {
                continue;
            }
            let kept = if is_init {
                self.kept_by(call.range(), stmt, owner, true)
            } else {
                let Expr::Attribute(fa) = call.func.as_ref() else { continue };
                let Some(child) = self.binding_of_name(&fa.value) else { continue };
                self.sem.binding(child).references.iter().find_map(|r| {
                    let r = self.sem.reference(*r);
                    self.kept_by(r.range, self.sem.stmt(r.stmt?), owner, false)
                })
            };
            if let Some(kept) = kept {
                let owner_class = self.selves.get(&owner).map(|m| self.methods[*m].class);
                return Some((call.range(), owner_class, kept.contained));
            }
        }
        None
    }

    /// The child adds itself to the object it stores: `parent.children.append(self)`, `parent.child = self`,
    /// `self.parent.children.append(self)`, or through a method of the parent's class that keeps its argument
    /// (`parent._addchild(name, self)`). Returns the evidence, the owner's class when one class of the module holds
    /// that container, and whether the owner keeps the child in a container (`parent.child = self` does not).
    fn joins_owner(&self, class: usize, param: BindingId, attr: &str) -> Option<(TextRange, Option<usize>, bool)> {
        let is_owner = |e: &Expr| -> bool {
            match e {
                Expr::Name(_) => self.binding_of_name(e) == Some(param),
                Expr::Attribute(a) => {
                    a.attr.as_str() == attr
                        && self.self_method(&a.value).is_some_and(|m| self.methods[m].class == class)
                }
                _ => false,
            }
        };
        let is_self = |e: &Expr| self.self_method(e).is_some_and(|m| self.methods[m].class == class);
        let holder = |container: &str| match self.classes_with_attr(container).as_slice() {
            [c] => Some(*c),
            _ => None,
        };
        let keeping = self.keeping_calls.get_or_init(|| {
            (0..self.calls.len())
                .filter(|&k| {
                    matches!(self.calls[k].0.func.as_ref(), Expr::Attribute(f)
                        if (keeps(f.attr.as_str()) || keeps_elements(f.attr.as_str())) && f.value.is_attribute_expr())
                })
                .collect()
        });
        for &k in keeping {
            let call = self.calls[k].0;
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            let Expr::Attribute(container) = f.value.as_ref() else { continue };
            // `.append(self)`; `.extend([self])`, but not `.extend(self)`, which keeps what `self` iterates over.
            let kept = |a: &Expr| match a {
                _ if keeps(f.attr.as_str()) => is_self(a),
                Expr::List(ast::ExprList { elts, .. })
                | Expr::Tuple(ast::ExprTuple { elts, .. })
                | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().any(is_self),
                _ => false,
            };
            if is_owner(&container.value)
                && !self.weak_attrs.contains(container.attr.as_str())
                && call.arguments.args.iter().any(kept)
            {
                return Some((call.range(), holder(container.attr.as_str()), true));
            }
        }
        // Only a store or call given this class's `self` can qualify (`is_self`): those few, in source order.
        let given = self.self_given();
        for s in given.stores.get(&class).into_iter().flatten().map(|&i| &self.stores[i]) {
            let Some(value) = s.value else { continue };
            let (base, container, contained) = match s.target {
                Expr::Attribute(a) => (a.value.as_ref(), a.attr.as_str(), false),
                Expr::Subscript(sub) => match sub.value.as_ref() {
                    Expr::Attribute(a) if !self.weak_attrs.contains(a.attr.as_str()) => {
                        (a.value.as_ref(), a.attr.as_str(), true)
                    }
                    _ => continue,
                },
                _ => continue,
            };
            if is_owner(base) && is_self(value) {
                return Some((s.stmt.range(), holder(container), contained));
            }
        }
        // `parent._addchild(name, self)`, where every method of that name keeps that argument in a container of its
        // own `self`.
        for (call, _) in given.calls.get(&class).into_iter().flatten().map(|&k| &self.calls[k]) {
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            if !is_owner(&f.value)
                || !call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).any(is_self)
            {
                continue;
            }
            let methods: Vec<usize> =
                (0..self.methods.len()).filter(|m| self.methods[*m].def.name.as_str() == f.attr.as_str()).collect();
            if !methods.is_empty() && methods.iter().all(|m| self.method_keeps_argument(*m, call, &is_self)) {
                let owner = match methods.as_slice() {
                    [m] => Some(self.methods[*m].class),
                    _ => None,
                };
                return Some((call.range(), owner, true));
            }
        }
        None
    }

    /// Does `method`, called by `call`, keep the argument `which` picks in a container of its own `self`
    /// (`def _addchild(self, name, obj): self.children[name] = obj`)?
    fn method_keeps_argument(&self, method: usize, call: &ast::ExprCall, which: &dyn Fn(&Expr) -> bool) -> bool {
        let m = &self.methods[method];
        let Some((&me, _)) = self.selves.iter().find(|(_, mi)| **mi == method) else { return false };
        let params = &m.def.parameters;
        params.iter_non_variadic_params().skip(1).any(|p| {
            let name = p.name().as_str();
            let Passed::Yes(arg) = argument_for(call, params, name, true) else { return false };
            if !which(arg) {
                return false;
            }
            let Some(&pb) = self.sem.scope(m.scope).bindings_of(name).first() else { return false };
            self.sem.binding(pb).references.iter().any(|r| {
                let r = self.sem.reference(*r);
                r.stmt.and_then(|s| self.kept_by(r.range, self.sem.stmt(s), me, false)).is_some_and(|k| k.contained)
            })
        })
    }

    /// The owner sets itself on a child it keeps: `item.menu = self` where the method also keeps `item`
    /// (`self.items.append(item)`).
    pub(super) fn owner_sets_itself(&self, out: &mut Vec<Candidate<'a>>, findings: &mut Vec<(Finding, usize)>) {
        for s in &self.stores {
            let (Some(attr), Some(value)) = (s.attribute(), s.value) else { continue };
            let Some(mi) = self.self_method(value) else { continue };
            let Some(owner) = self.binding_of_name(value) else { continue };
            if self.self_method(&attr.value).is_some() {
                continue;
            }
            let Some(child) = self.binding_of_name(&attr.value) else { continue };
            if is_class_name(self.sem.binding(child).name) {
                continue;
            }
            let kept = self.sem.binding(child).references.iter().find_map(|r| {
                let r = self.sem.reference(*r);
                self.kept_by(r.range, self.sem.stmt(r.stmt?), owner, false)
            });
            let Some(Kept { stmt: kept, contained }) = kept else { continue };
            let a = attr.attr.as_str();
            let owner_class = Some(self.methods[mi].class);
            // The child's class: the one it was created from here, else the only class that has the attribute.
            let created = self.sem.binding(child).stmt.and_then(|id| match self.sem.stmt(id) {
                Stmt::Assign(asg) => match asg.value.as_ref() {
                    Expr::Call(c) => self.instantiated(c),
                    _ => None,
                },
                _ => None,
            });
            let hosts = match created {
                Some(c) => vec![c],
                None => self.classes_with_attr(a),
            };
            if let [host] = hosts.as_slice() {
                out.push(Candidate {
                    class: *host,
                    attr: a,
                    shape: Shape::Owner { owner: owner_class, contained },
                    evidence: kept.range(),
                    param: None,
                });
                continue;
            }
            if self.no_leak(self.methods[mi].class, owner_class, a) {
                continue;
            }
            let child_name = self.text(attr.value.range());
            let reason = if hosts.is_empty() {
                format!("pyfix cannot tell the class of `{child_name}`: no class of this module sets `{a}`")
            } else {
                let names: Vec<&str> = hosts.iter().map(|c| self.classes[*c].name()).collect();
                format!(
                    "several classes have a `{a}` attribute ({}): pyfix cannot tell which one `{child_name}` is",
                    names.join(", ")
                )
            };
            let keeper = self.text(kept.range());
            findings.push((
                Finding::without_fix(
                    NAME,
                    s.target.range(),
                    format!(
                        "`{}` points back to the `{}` that keeps it (`{}`, line {}): a reference cycle",
                        self.text(s.target.range()),
                        self.classes[self.methods[mi].class].name(),
                        first_line(keeper),
                        self.line(kept.start())
                    ),
                    reason,
                ),
                self.methods[mi].class,
            ));
        }
    }

    /// `X.prev = Y` and `Y.next = X` in one scope, where one class has both attributes: the back link.
    pub(super) fn linked(&self, out: &mut Vec<Candidate<'a>>) {
        let mut by_scope: FxHashMap<ScopeId, Vec<(&'a ast::ExprAttribute, &'a Expr, &'a Stmt)>> = FxHashMap::default();
        for s in &self.stores {
            let (Some(a), Some(v)) = (s.attribute(), s.value) else { continue };
            if !matches!(v, Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_)) {
                continue;
            }
            let Some(id) = self.sem.stmt_id(s.stmt) else { continue };
            by_scope.entry(self.sem.stmt_scope(id)).or_default().push((a, v, s.stmt));
        }
        let mut scopes: Vec<_> = by_scope.into_iter().collect();
        scopes.sort_by_key(|(id, _)| *id);
        for (_, stores) in scopes {
            for (i, (a1, v1, s1)) in stores.iter().enumerate() {
                for (a2, v2, _) in &stores[i + 1..] {
                    let (b, f) = (a1.attr.as_str(), a2.attr.as_str());
                    if b == f
                        || squash(self.text(a1.value.range())) != squash(self.text(v2.range()))
                        || squash(self.text(v1.range())) != squash(self.text(a2.value.range()))
                        || squash(self.text(v1.range())) == squash(self.text(v2.range()))
                    {
                        continue;
                    }
                    let (back, forward) = match (is_back_name(b), is_back_name(f)) {
                        (true, false) => (b, f),
                        (false, true) => (f, b),
                        _ => continue,
                    };
                    let hosts: Vec<usize> = self
                        .classes_with_attr(back)
                        .into_iter()
                        .filter(|c| self.classes_with_attr(forward).contains(c))
                        .collect();
                    if let [host] = hosts.as_slice() {
                        out.push(Candidate {
                            class: *host,
                            attr: back,
                            shape: Shape::Linked { forward },
                            evidence: s1.range(),
                            param: None,
                        });
                    }
                }
            }
        }
    }

    /// `self.x = self` and `self.handler = self.on_data`.
    pub(super) fn self_cycles(&self, out: &mut Vec<Candidate<'a>>, findings: &mut Vec<(Finding, usize)>) {
        for s in &self.stores {
            let (Some(attr), Some(value)) = (s.attribute(), s.value) else { continue };
            let Some(mi) = self.self_method(&attr.value) else { continue };
            let me = self.binding_of_name(&attr.value);
            let class = self.methods[mi].class;
            let a = attr.attr.as_str();
            let shape = match value {
                Expr::Name(_) if self.binding_of_name(value) == me => Shape::SelfRef,
                Expr::Attribute(m)
                    if self.binding_of_name(&m.value) == me && self.classes[class].is_method(m.attr.as_str()) =>
                {
                    Shape::BoundMethod { method: m.attr.as_str() }
                }
                _ => continue,
            };
            if a == "__dict__" && shape == Shape::SelfRef {
                if self.no_leak(class, None, a) {
                    continue;
                }
                findings.push((
                    Finding::without_fix(
                        NAME,
                        s.target.range(),
                        format!(
                            "`self.__dict__ = self` makes every `{}` a reference cycle",
                            self.classes[class].name()
                        ),
                        "a deliberate self-cycle: the instance is its own attribute dictionary, which cannot be weak",
                    ),
                    class,
                ));
                continue;
            }
            out.push(Candidate { class, attr: a, shape, evidence: s.stmt.range(), param: None });
        }
    }

    pub(super) fn message(&self, cand: &Candidate) -> String {
        let class = self.classes[cand.class].name();
        let a = cand.attr;
        match &cand.shape {
            Shape::Owner { owner: Some(o), .. } => format!(
                "`{class}.{a}` points back to the `{}` that keeps the `{class}` (line {}): a reference cycle",
                self.classes[*o].name(),
                self.line(cand.evidence.start())
            ),
            Shape::Owner { owner: None, .. } => format!(
                "`{class}.{a}` points back to an object that keeps the `{class}` (line {}): a reference cycle",
                self.line(cand.evidence.start())
            ),
            Shape::Linked { forward } => format!(
                "`{class}.{a}` and `{class}.{forward}` link neighbours both ways (line {}): every pair is a reference cycle",
                self.line(cand.evidence.start())
            ),
            Shape::SelfRef => format!("`self.{a} = self` makes every `{class}` a reference cycle"),
            Shape::BoundMethod { method } => format!(
                "`self.{a} = self.{method}` stores a bound method on its own instance: every `{class}` is a reference cycle"
            ),
        }
    }

    /// `owner.attr` where `owner` is the binding and `attr` does not hold weakly.
    fn is_owner_container(&self, e: &Expr, owner: BindingId) -> bool {
        match e {
            Expr::Attribute(a) => {
                self.binding_of_name(&a.value) == Some(owner) && !self.weak_attrs.contains(a.attr.as_str())
            }
            _ => false,
        }
    }

    /// `owner.x = <>` or `owner.x[k] = <>`.
    fn is_owner_slot(&self, target: &Expr, owner: BindingId) -> bool {
        match target {
            Expr::Attribute(a) => self.binding_of_name(&a.value) == Some(owner),
            Expr::Subscript(s) => self.is_owner_container(&s.value, owner),
            _ => false,
        }
    }

    /// Where the object `owner` keeps the value of the expression at `range` in `stmt`: `owner.x = <>`,
    /// `owner.x[k] = <>`, `owner.x.append(<>)`, also inside list/tuple/dict displays and comprehensions, and
    /// (when `follow`) through one local name: `c = <>` ... `owner.xs.append(c)`. Returns the keeping statement and
    /// whether it is a container of the owner's (anything but a plain `owner.x = <>`).
    fn kept_by(&self, range: TextRange, stmt: &'a Stmt, owner: BindingId, follow: bool) -> Option<Kept<'a>> {
        let path = self.sem.expr_path(stmt, range);
        let mut inner = range;
        // `inner` is an element of a display or comprehension, not the value itself.
        let mut in_display = false;
        for e in path.iter().rev() {
            let through = match e {
                Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Starred(_) | Expr::Dict(_) => true,
                Expr::ListComp(c) => c.elt.range().contains_range(inner),
                Expr::SetComp(c) => c.elt.range().contains_range(inner),
                Expr::DictComp(c) => {
                    c.value.range().contains_range(inner) || c.key.as_ref().is_some_and(|k| k.range() == inner)
                }
                Expr::Call(call) => {
                    let is_arg = call.arguments.args.iter().any(|a| a.range() == inner);
                    // `owner.xs.extend([<>])` keeps it; `owner.xs.extend(<>)` keeps what it iterates over.
                    let keeps = match call.func.as_ref() {
                        Expr::Attribute(f) => {
                            let m = f.attr.as_str();
                            (keeps(m) || (in_display && keeps_elements(m))) && self.is_owner_container(&f.value, owner)
                        }
                        _ => false,
                    };
                    return (is_arg && keeps).then_some(Kept { stmt, contained: true });
                }
                _ => false,
            };
            if !through {
                return None;
            }
            in_display = true;
            inner = e.range();
        }
        let (targets, value): (&[Expr], &Expr) = match stmt {
            Stmt::Assign(a) => (&a.targets, &a.value),
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) => (std::slice::from_ref(a.target.as_ref()), v),
                None => return None,
            },
            _ => return None,
        };
        if value.range() != inner {
            return None;
        }
        for t in targets {
            if self.is_owner_slot(t, owner) {
                // `self._subtest = _SubTest(self)` ... `self._subtest = parent` in the same function: kept for a while.
                let contained = in_display || t.is_subscript_expr();
                return (!self.is_reset_in_scope(stmt, t, owner)).then_some(Kept { stmt, contained });
            }
            if let (Expr::Name(n), true) = (t, follow) {
                let Some(b) = self.sem.binding_of(n) else { continue };
                for r in &self.sem.binding(b).references {
                    let r = self.sem.reference(*r);
                    let Some(s) = r.stmt else { continue };
                    if let Some(kept) = self.kept_by(r.range, self.sem.stmt(s), owner, false) {
                        return Some(kept);
                    }
                }
            }
        }
        None
    }

    /// `owner.x = ...` assigned again later in the same scope (a `try`/`finally` that restores it); an earlier
    /// `self.x = None` is only initialisation.
    fn is_reset_in_scope(&self, stmt: &Stmt, target: &Expr, owner: BindingId) -> bool {
        let Expr::Attribute(t) = target else { return false };
        let Some(scope) = self.sem.stmt_id(stmt).map(|id| self.sem.stmt_scope(id)) else { return false };
        self.stores.iter().any(|s| {
            s.stmt.start() > stmt.end()
                && s.attribute().is_some_and(|a| {
                    a.attr.as_str() == t.attr.as_str() && self.binding_of_name(&a.value) == Some(owner)
                })
                && self.sem.stmt_id(s.stmt).map(|id| self.sem.stmt_scope(id)) == Some(scope)
        })
    }
}
