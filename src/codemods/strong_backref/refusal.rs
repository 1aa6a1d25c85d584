//! Why a back-reference must not be held weakly: a record's field, copy hooks, a subclass or class attribute it
//! would hide, `del`, values and call-site arguments a weak reference would drop, other paths that keep the cycle.
//! Whether the referent can be weakly referenced at all is in `weak_property.rs`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::attributes::{AttributeUse, AttributeUseKind};
use crate::codemods::analyze::calls::{argument_for, Passed};
use crate::codemods::analyze::project::{instances_pickled_elsewhere, Elsewhere};
use crate::semantic::{BindingId, BindingKind, ScopeKind, Semantic};

use super::backref::{Candidate, Shape};
use super::module_index::{first_line, Member, Model, Store};
use super::no_leak::is_close_method;
use super::vocabulary::{keeps, COPY_HOOKS};

impl<'a> Model<'a, '_> {
    /// Can what `call` pickles or copies hold an object of one of `classes` (or of their bases and subclasses)?
    /// Not when it pickles or copies a display of literals and of attributes of another class's `self`
    /// (`pickle.dump((self.counts, self.callers), f)` in `CoverageResults`) and no object of those classes leaves its
    /// own methods (passed to a call, stored elsewhere, returned): nothing in the module puts one where it is
    /// pickled. `copyreg.pickle` and `shelve` count always: what they pickle is not in the call.
    pub(super) fn may_pickle(&self, call: &ast::ExprCall, classes: &[usize]) -> bool {
        let takes_value = self
            .sem
            .resolve_qualified_name(&call.func)
            .is_some_and(|q| q.ends_with(".dump") || q.ends_with(".dumps") || q.ends_with(".deepcopy"));
        let Some(value) = call.arguments.args.first().filter(|_| takes_value) else { return true };
        let mut family: Vec<usize> = Vec::new();
        for &c in classes {
            family.push(c);
            family.extend(self.bases(c).0);
            family.extend(self.subclasses(c));
        }
        !(self.only_foreign_state(value, &family) && self.objects_stay_home(&family))
    }

    /// Literals and `self.x` of a class not in `family`, alone or in tuple, list, set and dict displays.
    fn only_foreign_state(&self, e: &Expr, family: &[usize]) -> bool {
        match e {
            Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::List(ast::ExprList { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().all(|x| self.only_foreign_state(x, family)),
            Expr::Dict(d) => d.items.iter().all(|i| {
                i.key.as_ref().is_none_or(|k| self.only_foreign_state(k, family))
                    && self.only_foreign_state(&i.value, family)
            }),
            Expr::Attribute(a) => self.self_method(&a.value).is_some_and(|m| !family.contains(&self.methods[m].class)),
            _ => e.is_literal_expr(),
        }
    }

    /// Every use of `self` in the methods of `family` reads or writes one of its attributes (`self.x`, `self.m()`):
    /// the object is never passed, stored elsewhere, returned or yielded by the module.
    fn objects_stay_home(&self, family: &[usize]) -> bool {
        self.selves.iter().filter(|(_, m)| family.contains(&self.methods[**m].class)).all(|(b, _)| {
            self.sem.binding(*b).references.iter().all(|r| {
                let r = self.sem.reference(*r);
                let Some(stmt) = r.stmt.map(|s| self.sem.stmt(s)) else { return false };
                let path = self.sem.expr_path(stmt, r.range);
                path.last().is_some_and(|e| matches!(e, Expr::Attribute(a) if a.value.range() == r.range))
            })
        })
    }

    /// Why holding the attribute weakly would be wrong (or pointless), if it would.
    pub(super) fn refusal(&self, cand: &Candidate<'a>, stores: &[(&Store<'a>, usize)]) -> Result<(), String> {
        let class = &self.classes[cand.class];
        let cname = class.name();
        let a = cand.attr;
        if let Some(kind) = class.record {
            return Err(format!("`{cname}` is {kind}: `{a}` is a field, compared, copied and pickled by value"));
        }
        let (in_module_bases, outside_base) = self.bases(cand.class);
        // The owner's hooks count too: pickling an owner pickles the children it keeps.
        let owner_class = match cand.shape {
            Shape::Owner { owner, .. } => owner,
            _ => None,
        };
        let owner_and_bases = owner_class.map(|o| std::iter::once(o).chain(self.bases(o).0)).into_iter().flatten();
        let mine = std::iter::once(cand.class).chain(in_module_bases.iter().copied()).map(|c| (c, false));
        for (c, is_owner) in mine.chain(owner_and_bases.map(|c| (c, true))) {
            let hooks = COPY_HOOKS.iter().filter(|h| !is_owner || **h != "__copy__");
            if let Some(hook) = hooks.into_iter().find(|h| self.classes[c].members.contains_key(**h)) {
                return Err(format!(
                    "`{}` defines `{hook}`: its attributes are pickled or copied, and a weak reference cannot be",
                    self.classes[c].name()
                ));
            }
        }
        let pickled = [Some(cand.class), owner_class].into_iter().flatten().collect::<Vec<_>>();
        if let Some(call) = self.pickles.iter().find(|c| self.may_pickle(c, &pickled)) {
            return Err(format!(
                "the module pickles or copies objects (`{}`, line {}): a weak reference cannot be pickled, and a copy's would refer to the original",
                first_line(self.text(call.range())),
                self.line(call.start())
            ));
        }
        for sub in self.subclasses(cand.class) {
            let sub = &self.classes[sub];
            if sub.members.contains_key(a) || sub.declared.contains(a) {
                return Err(format!(
                    "the subclass `{}` defines `{a}` itself, which would hide the property",
                    sub.name()
                ));
            }
        }
        if let (Shape::SelfRef | Shape::BoundMethod { .. }, Some(base)) = (&cand.shape, outside_base) {
            return Err(format!(
                "`{cname}` derives from `{}`, which is not in this module and may copy or pickle its attributes or define `{a}`",
                self.text(base.range())
            ));
        }
        if cand.shape == Shape::SelfRef && !a.starts_with('_') {
            return Err(format!(
                "`{a}` is public: code elsewhere may set it to another object, which a weak reference would drop"
            ));
        }
        match class.members.get(a) {
            Some(Member::Method(_) | Member::Static) => {
                return Err(format!("`{cname}` defines a method `{a}`: a property would replace the method"));
            }
            Some(Member::Value(s)) => {
                return Err(format!(
                    "`{cname}` has a class attribute `{a}` (line {}), which a property would replace",
                    self.line(s.start())
                ));
            }
            _ => {}
        }
        if let Some(why) = self.part_of_unseen_owner(cand) {
            return Err(why);
        }
        if let Some(why) = self.dispatch(cand) {
            return Err(why);
        }
        // A base class of the module that defines the attribute at class level (`factory = None`): an instance
        // that never sets it would now raise `AttributeError` through the property.
        for b in &in_module_bases {
            if let Some(Member::Value(s)) = self.classes[*b].members.get(a) {
                return Err(format!(
                    "the base class `{}` defines `{a}` at class level (line {}): an instance that never sets it would raise `AttributeError` through the property",
                    self.classes[*b].name(),
                    self.line(s.start())
                ));
            }
        }
        // A base class from elsewhere may do the same (`Protocol.factory = None`), unless every instance sets the
        // attribute in its `__init__`.
        if let (Shape::Owner { .. } | Shape::Linked { .. }, Some(base)) = (&cand.shape, outside_base) {
            if !self.set_by_init(cand.class, a) {
                return Err(format!(
                    "`{cname}` derives from `{}`, which is not in this module and may define `{a}` at class level; `{cname}.__init__` does not always set it, so an instance that never set it would raise `AttributeError` through the property",
                    self.text(base.range())
                ));
            }
        }
        if let Shape::Owner { owner, contained } = cand.shape {
            self.owner_kept_elsewhere(cand, owner, contained)?;
        }
        if let Some(d) = self.deleted.iter().find(|d| self.writes_attr_of(d, cand.class, a)) {
            return Err(format!("`del {}` (line {}) would need a deleter", self.text(d.range()), self.line(d.start())));
        }
        // What every write stores must be something a weak reference can hold and someone else keeps.
        for s in self.stores.iter().filter(|s| self.writes_attr_of(s.target, cand.class, a)) {
            let Some(value) = s.value else {
                return Err(format!(
                    "`{}` is assigned by unpacking or `+=` (line {})",
                    self.text(s.target.range()),
                    self.line(s.stmt.start())
                ));
            };
            if let Some(problem) = self.value_problem(cand, s, value) {
                return Err(format!(
                    "`{}` (line {}): {problem}",
                    first_line(self.text(s.stmt.range())),
                    self.line(s.stmt.start())
                ));
            }
        }
        if let Some(param) = cand.param {
            self.check_call_sites(cand, param)?;
            self.check_other_paths(cand, stores, param)?;
        }
        // Last, as it reads other files: another module of the project pickles or copies the class's objects.
        for c in pickled {
            let name = self.classes[c].name();
            if let Elsewhere::Yes(file, line) = instances_pickled_elsewhere(self.cx, name) {
                let at = line.map_or(String::new(), |l| format!(":{l}"));
                return Err(format!(
                    "`{name}` objects are pickled or copied in `{}{at}`: a weak reference cannot be pickled, and a copy's would refer to the original",
                    file.display()
                ));
            }
        }
        Ok(())
    }

    /// An owner/child back-reference may become weak only where something else keeps the owner in ordinary use:
    /// the owner keeps its children in a container of its own (an aggregate that callers hold), and the child does
    /// not let go of the owner itself (`self._protocol = None` on close).
    fn owner_kept_elsewhere(&self, cand: &Candidate<'a>, owner: Option<usize>, contained: bool) -> Result<(), String> {
        let cname = self.classes[cand.class].name();
        let a = cand.attr;
        let oname = owner.map_or("owner".to_string(), |o| format!("`{}`", self.classes[o].name()));
        if !contained && !self.private_part_of_owner(cand.class, owner) {
            return Err(format!(
                "the {oname} keeps this `{cname}` in a plain attribute (line {}), not in a container of its own: pyfix cannot tell which of the two callers hold, and {} kept only through `{cname}.{a}` would be freed",
                self.line(cand.evidence.start()),
                owner.map_or("an owner".to_string(), |o| format!("a `{}`", self.classes[o].name()))
            ));
        }
        if owner.is_none() {
            return Err(
                "pyfix cannot tell the owner's class, so it cannot show that the owner can be weakly referenced and is in no other reference cycle".to_string(),
            );
        }
        if let Some(o) = owner {
            if let Some(why) = self.kept_in_foreign_container(o) {
                return Err(why);
            }
        }
        // `self.flist = None` in `close()`: the child lets go of its owner itself.
        for sub in std::iter::once(cand.class).chain(self.subclasses(cand.class)) {
            for (s, mi) in self.self_stores(sub, a) {
                let method = self.methods[mi].def.name.as_str();
                if method != "__init__" && s.value.is_some_and(Expr::is_none_literal_expr) {
                    return Err(format!(
                        "`{cname}` lets go of its owner itself (`{}` in `{method}()`, line {}): until then the owner may be kept only through `{a}`",
                        first_line(self.text(s.stmt.range())),
                        self.line(s.stmt.start())
                    ));
                }
            }
        }
        Ok(())
    }

    /// `self.get_trans_info = self._get_trans_info`, then `tz.get_trans_info(ts, ...)` on every call, or
    /// `sys.settrace(self.globaltrace)`: a dispatch attribute, called or handed to whoever calls it. Through a property over `weakref.WeakMethod` each call would also look up the weak reference and
    /// build a new bound method, which costs more than the cycle of a small object that owns nothing. Where the class
    /// owns something to release (a `close()` or `__del__`), the cycle delays that, and the fix is worth its cost.
    pub(super) fn dispatch(&self, cand: &Candidate<'a>) -> Option<String> {
        if !matches!(cand.shape, Shape::BoundMethod { .. }) {
            return None;
        }
        let mut mine = vec![cand.class];
        mine.extend(self.bases(cand.class).0);
        // `close()`, `__del__`, `clear()` (`DOMEventStream.clear` drops its parser and stream), `shutdown()`, ...
        if mine.iter().any(|c| {
            self.classes[*c].members.iter().any(|(m, kind)| {
                matches!(kind, Member::Method(_)) && (*m == "__del__" || *m == "clear" || is_close_method(m))
            })
        }) {
            return None;
        }
        if self.stored_attrs.get(cand.attr).is_none_or(|cs| cs.iter().any(|c| !mine.contains(c))) {
            return None;
        }
        // In another cycle that keeps more than the object (`self.cur = (..., frame, self.cur)`: frames of the
        // profiled code and their locals): the cycle is worth reporting, with the reason no fix frees it.
        if self.other_cycle(cand.class, cand.attr).is_some() {
            return None;
        }
        let u = self.cx.attributes().uses(cand.attr).find(|u| {
            matches!(u.kind, AttributeUseKind::Called(_) | AttributeUseKind::Returned | AttributeUseKind::Argument(_))
        })?;
        Some(format!(
            "`{}` is called (or handed out) through the attribute on every use (`{}`, line {}): a property over `weakref.WeakMethod` would add a weak-reference lookup and a new bound method to each call, for an object that owns nothing to release; choose the method by a flag, or break the cycle where the object's use ends, instead",
            cand.attr,
            first_line(self.text(u_range(u))),
            self.line(u.expr.start())
        ))
    }

    /// `Calltip(editwin)`, made only by other modules, whose `__init__` keeps the `editwin` it is given: the maker is
    /// likely its owner (`self.ctip = Calltip(self)`), so the object stays in that cycle and a weak self-reference
    /// frees nothing.
    fn part_of_unseen_owner(&self, cand: &Candidate<'a>) -> Option<String> {
        if !matches!(cand.shape, Shape::SelfRef | Shape::BoundMethod { .. }) {
            return None;
        }
        let mut family = vec![cand.class];
        family.extend(self.subclasses(cand.class));
        if family.iter().any(|&k| self.made(k).next().is_some()) {
            return None;
        }
        let Some(Member::Method(init)) = self.classes[cand.class].members.get("__init__") else { return None };
        let m = self.methods.iter().position(|m| std::ptr::eq(m.def, *init))?;
        let scope = self.methods[m].scope;
        let kept = self.stores.iter().find(|s| {
            s.attribute().is_some_and(|t| self.self_method(&t.value) == Some(m))
                && s.value.and_then(|v| self.binding_of_name(v)).is_some_and(|id| {
                    let b = self.sem.binding(id);
                    b.kind == BindingKind::Parameter && b.scope == scope && !self.selves.contains_key(&id)
                })
                // An object whose parts it uses (`self.editwin.text`), not a value or a callable (`self.timer()`).
                && s.attribute().is_some_and(|t| {
                    self.cx.attributes().uses(t.attr.as_str()).any(|u| {
                        matches!(u.kind, AttributeUseKind::Load | AttributeUseKind::MethodCall { .. })
                            && self.self_method(&u.attribute().value).is_some_and(|k| self.methods[k].class == cand.class)
                            && matches!(self.sem.expr_path(u.stmt, u.expr.range()).last(), Some(Expr::Attribute(_)))
                    })
                })
        })?;
        Some(format!(
            "`{}` is made only by other modules, and its `__init__` keeps what it is given (`{}`, line {}): whoever made it may keep it in another reference cycle, so holding `{}` weakly may free nothing",
            self.classes[cand.class].name(),
            first_line(self.text(kept.stmt.range())),
            self.line(kept.stmt.start()),
            cand.attr
        ))
    }

    /// `self._map = _SelectorMapping(self)` in the owner's `__init__`, the only place the private child class is
    /// built: the child is a part of the owner, which callers made and hold; no function of the module hands the
    /// child out on its own (`open_connection` returning only the writer), only the owner's own methods do.
    fn private_part_of_owner(&self, child: usize, owner: Option<usize>) -> bool {
        let Some(owner) = owner else { return false };
        if !self.classes[child].name().starts_with('_') {
            return false;
        }
        let mut owners = vec![owner];
        owners.extend(self.subclasses(owner));
        let mut made = self.made(child).peekable();
        let mut fields = Vec::new();
        let built_in_init = made.peek().is_some()
            && made.all(|(c, stmt)| {
                let Stmt::Assign(asg) = stmt else { return false };
                let [Expr::Attribute(t)] = asg.targets.as_slice() else { return false };
                let Some(m) = self.self_method(&t.value) else { return false };
                let passes_self = c.arguments.args.iter().any(|a| self.self_method(a) == Some(m));
                fields.push(t.attr.as_str());
                asg.value.range() == c.range()
                    && passes_self
                    && owners.contains(&self.methods[m].class)
                    && self.methods[m].def.name.as_str() == "__init__"
            });
        // Only the owner's own methods read the field that holds the child (`get_map()` returns it).
        built_in_init
            && fields.iter().all(|f| {
                self.cx.attributes().uses(f).all(|u| {
                    self.self_method(&u.attribute().value).is_some_and(|m| owners.contains(&self.methods[m].class))
                })
            })
    }

    /// `self.servers[id] = Server(...)` where `self.servers = cup.db.setdefault("servers", dict)`: the module keeps
    /// owners in a container another object made, which pyfix cannot see (a persistent store pickles what it holds).
    fn kept_in_foreign_container(&self, owner: usize) -> Option<String> {
        for (call, stmt) in &self.calls {
            if self.instantiated(call) != Some(owner) {
                continue;
            }
            let Stmt::Assign(asg) = stmt else { continue };
            if asg.value.range() != call.range() {
                continue;
            }
            for t in &asg.targets {
                let Expr::Subscript(sub) = t else { continue };
                let Expr::Attribute(container) = sub.value.as_ref() else { continue };
                let Some(m) = self.self_method(&container.value) else { continue };
                let made = self.self_stores(self.methods[m].class, container.attr.as_str());
                let foreign = made.iter().find_map(|(s, _)| match s.value {
                    Some(Expr::Call(c)) if self.instantiated(c).is_none() => {
                        let q = self.sem.resolve_qualified_name(&c.func);
                        let plain = q.as_deref().is_some_and(|q| {
                            q.starts_with("builtins.") || q.starts_with("collections.") || q.starts_with("weakref.")
                        });
                        (!plain).then_some(s.stmt)
                    }
                    _ => None,
                });
                if let Some(src) = foreign {
                    return Some(format!(
                        "`{}` (line {}) keeps the `{}` in a container that comes from elsewhere (`{}`, line {}): pyfix cannot see what that container does with it (a persistent store pickles what it holds)",
                        first_line(self.text(stmt.range())),
                        self.line(stmt.start()),
                        self.classes[owner].name(),
                        first_line(self.text(src.range())),
                        self.line(src.start())
                    ));
                }
            }
        }
        None
    }

    /// `protocol = Protocol(); writer = Writer(protocol); return writer`, `gs = GravSys(); Star(gs)`: a function
    /// that makes the owner and hands it to the child but keeps it nowhere that outlives the call (it does not return
    /// it or store it): once the function returns, the child's link is what keeps the owner, if anything does.
    fn owner_dies_with_function(&self, arg: &Expr) -> bool {
        self.binding_of_name(arg).is_some_and(|b| self.dies_with_function(b))
    }

    /// A local of a function that the function keeps nowhere that outlives the call: it does not return, yield or
    /// store it, hand it to a keeping method, or share it with a nested scope.
    pub(super) fn dies_with_function(&self, owner: BindingId) -> bool {
        let ob = self.sem.binding(owner);
        if ob.kind != BindingKind::Assignment || self.sem.scope(ob.scope).kind != ScopeKind::Function {
            return false;
        }
        let outlives = |range: TextRange, stmt: &'a Stmt| -> bool {
            match stmt {
                Stmt::Return(_) => true,
                Stmt::Assign(asg) => {
                    asg.value.range().contains_range(range) && asg.targets.iter().any(|t| !t.is_name_expr())
                }
                Stmt::AnnAssign(asg) => !asg.target.is_name_expr(),
                Stmt::Global(_) | Stmt::Nonlocal(_) => true,
                Stmt::Expr(e) => {
                    matches!(e.value.as_ref(), Expr::Yield(_) | Expr::YieldFrom(_))
                        || self.sem.expr_path(stmt, range).iter().any(|e| {
                            matches!(e, Expr::Call(c) if c.arguments.args.iter().any(|a| a.range() == range)
                                && matches!(c.func.as_ref(), Expr::Attribute(f) if keeps(f.attr.as_str())))
                        })
                }
                _ => false,
            }
        };
        let scope = self.sem.scope(ob.scope);
        if scope.declaration(ob.name).is_some() {
            return false;
        }
        !ob.references.iter().any(|r| {
            let r = self.sem.reference(*r);
            r.scope != ob.scope || r.stmt.is_some_and(|s| outlives(r.range, self.sem.stmt(s)))
        })
    }

    /// What a base class of the module does with the argument `super().__init__(parent)` passes it: keeps it, or
    /// shares its attributes (`self._actions = container._actions`), through which the objects may stay linked.
    fn what_base_init_does(&self, class: usize, call: &ast::ExprCall, passed: BindingId) -> String {
        let unknown = "which may keep it too, so the cycle would remain".to_string();
        // The nearest base of the module with an `__init__` of its own runs it.
        let Some((base, init)) =
            self.bases(class).0.into_iter().find_map(|b| match self.classes[b].members.get("__init__") {
                Some(Member::Method(init)) => Some((b, *init)),
                _ => None,
            })
        else {
            return unknown;
        };
        let Some(pos) = call.arguments.args.iter().position(|a| self.binding_of_name(a) == Some(passed)) else {
            return unknown;
        };
        let Some(p) = init.parameters.posonlyargs.iter().chain(&init.parameters.args).nth(pos + 1) else {
            return unknown;
        };
        let pname = p.parameter.name.as_str();
        let Some(m) = self.methods.iter().position(|m| std::ptr::eq(m.def, init)) else { return unknown };
        let reads = |e: &Expr| match e {
            Expr::Name(n) => n.id.as_str() == pname,
            Expr::Attribute(a) => matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == pname),
            _ => false,
        };
        let stores: Vec<&Store<'a>> = self
            .stores
            .iter()
            .filter(|s| {
                s.attribute().is_some_and(|t| self.self_method(&t.value) == Some(m)) && s.value.is_some_and(reads)
            })
            .collect();
        let b = self.classes[base].name();
        if let Some(s) = stores.iter().find(|s| s.value.is_some_and(Expr::is_name_expr)) {
            return format!(
                "which keeps it too (`{}`, line {}), so the cycle would remain",
                first_line(self.text(s.stmt.range())),
                self.line(s.stmt.start())
            );
        }
        // `self._actions = container._actions`, where the container's class keeps in `_actions` children that point
        // back to it (`self._actions.append(action); action.container = self`): the new object reaches it that way.
        let back_linked = stores.iter().find_map(|s| {
            let Some(Expr::Attribute(shared)) = s.value else { return None };
            self.back_links_in(shared.attr.as_str()).map(|link| (s, link))
        });
        if let Some((s, link)) = back_linked {
            return format!(
                "whose `__init__` shares the list in which `{pname}` keeps children that point back to it (`{}`, line {}; `{}`, line {}): the new object reaches `{pname}` through them, so the cycle would remain",
                first_line(self.text(s.stmt.range())),
                self.line(s.stmt.start()),
                first_line(self.text(link.range())),
                self.line(link.start())
            );
        }
        match stores.first() {
            Some(s) => format!(
                "whose `__init__` shares `{pname}`'s attributes with the new object (`{}`, line {}): the objects may stay linked through them, which pyfix does not follow",
                first_line(self.text(s.stmt.range())),
                self.line(s.stmt.start())
            ),
            None => format!("`{b}`, whose `__init__` pyfix does not follow; it may keep it too"),
        }
    }

    /// `child.container = self` in a method that also keeps `child` in `self.<container>` (`.append(child)`,
    /// `[k] = child`): the store that links the container's entries back to their owner.
    fn back_links_in(&self, container: &str) -> Option<&'a Stmt> {
        self.stores.iter().find_map(|s| {
            let a = s.attribute()?;
            let owner = self.binding_of_name(s.value?)?;
            let m = self.self_method(s.value?)?;
            let child = self.binding_of_name(&a.value)?;
            if self.self_method(&a.value).is_some() {
                return None;
            }
            let scope = self.methods[m].scope;
            let kept = self.calls.iter().any(|(c, _)| {
                matches!(c.func.as_ref(), Expr::Attribute(f)
                    if keeps(f.attr.as_str())
                        && matches!(f.value.as_ref(), Expr::Attribute(k)
                            if k.attr.as_str() == container && self.binding_of_name(&k.value) == Some(owner))
                        && c.arguments.args.iter().any(|x| self.binding_of_name(x) == Some(child)))
            }) || self.stores.iter().any(|k| {
                matches!(k.target, Expr::Subscript(sub) if matches!(sub.value.as_ref(), Expr::Attribute(ka)
                    if ka.attr.as_str() == container && self.binding_of_name(&ka.value) == Some(owner)))
                    && k.value.is_some_and(|v| self.binding_of_name(v) == Some(child))
            });
            (kept && self.sem.binding(child).scope == scope).then_some(s.stmt)
        })
    }

    /// Why a value written to the attribute cannot be held weakly, if it cannot.
    fn value_problem(&self, cand: &Candidate, store: &Store<'a>, value: &'a Expr) -> Option<String> {
        let me = store.attribute().and_then(|t| self.self_method(&t.value)).map(|m| self.methods[m].class);
        match &cand.shape {
            Shape::SelfRef => {
                let ok = value.is_none_literal_expr() || (me == Some(cand.class) && self.self_method(value).is_some());
                (!ok).then(|| "it also holds other values, which a weak reference would drop".to_string())
            }
            Shape::BoundMethod { .. } => {
                let ok = value.is_none_literal_expr()
                    || matches!(value, Expr::Attribute(m) if self.self_method(&m.value).is_some()
                        && me == Some(cand.class) && self.classes[cand.class].is_method(m.attr.as_str()));
                (!ok).then(|| "it also holds values other than this object's bound methods".to_string())
            }
            Shape::Owner { .. } | Shape::Linked { .. } => unweakable(self, value).or_else(|| {
                // `def __init__(self, parent=""):` a default the weak reference cannot hold.
                let b = self.binding_of_name(value)?;
                let b = self.sem.binding(b);
                if b.kind != BindingKind::Parameter {
                    return None;
                }
                let Stmt::FunctionDef(f) = self.sem.stmt(b.stmt?) else { return None };
                let p = f.parameters.iter_non_variadic_params().find(|p| p.name().as_str() == b.name)?;
                let default = p.default.as_deref()?;
                unweakable(self, default)
                    .map(|problem| format!("its default `{}`: {problem}", self.text(default.range())))
            }),
        }
    }

    /// `Child(Parent())`, `Child("root")`: an argument that a weak reference would drop or cannot hold.
    fn check_call_sites(&self, cand: &Candidate<'a>, param: &str) -> Result<(), String> {
        let Some(init) = self.classes[cand.class].members.get("__init__") else { return Ok(()) };
        let Member::Method(init) = init else { return Ok(()) };
        for (call, _) in &self.calls {
            if self.initialised_by(call) != Some(cand.class) {
                continue;
            }
            let arg = match argument_for(call, &init.parameters, param, true) {
                Passed::Yes(arg) => arg,
                Passed::No => continue,
                Passed::Maybe => {
                    return Err(format!(
                        "`{}` (line {}) may pass `{param}` by unpacking, and pyfix cannot tell what it is",
                        first_line(self.text(call.range())),
                        self.line(call.start())
                    ));
                }
            };
            if let Some(problem) = unweakable(self, arg) {
                return Err(format!(
                    "`{}` (line {}): {problem}",
                    first_line(self.text(call.range())),
                    self.line(call.start())
                ));
            }
            if matches!(cand.shape, Shape::Owner { .. }) && self.owner_dies_with_function(arg) {
                return Err(format!(
                    "`{}` (line {}): the function keeps `{}` nowhere that outlives it, so once it returns `{}` is what keeps it alive",
                    first_line(self.text(call.range())),
                    self.line(call.start()),
                    self.text(arg.range()),
                    cand.attr
                ));
            }
        }
        Ok(())
    }

    /// The child also keeps a bound method, `functools.partial` or lambda of the owner: the cycle would remain.
    fn check_other_paths(
        &self,
        cand: &Candidate<'a>,
        stores: &[(&Store<'a>, usize)],
        param: &str,
    ) -> Result<(), String> {
        let owner_methods = |m: &str| match &cand.shape {
            Shape::Owner { owner: Some(o), .. } => self.classes[*o].is_method(m),
            _ => false,
        };
        for (_, mi) in stores {
            let scope = self.methods[*mi].scope;
            let Some(pb) = self.sem.scope(scope).bindings_of(param).first().copied() else { continue };
            // `super().__init__(parent)`: the base class may keep the owner too (tkinter's `master`).
            for (call, stmt) in &self.calls {
                let Expr::Attribute(f) = call.func.as_ref() else { continue };
                if f.attr.as_str() != "__init__"
                    || self.sem.stmt_id(stmt).map(|id| self.sem.stmt_scope(id)) != Some(scope)
                {
                    continue;
                }
                let passes = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value));
                if passes.clone().any(|a| self.binding_of_name(a) == Some(pb)) {
                    return Err(format!(
                        "`{}` (line {}) passes `{param}` on to the base class, {}",
                        first_line(self.text(call.range())),
                        self.line(call.start()),
                        self.what_base_init_does(cand.class, call, pb)
                    ));
                }
            }
            for s in &self.stores {
                let (Some(t), Some(v)) = (s.attribute(), s.value) else { continue };
                if t.attr.as_str() == cand.attr || self.self_method(&t.value) != Some(*mi) {
                    continue;
                }
                let mut refs = NameRefs { sem: self.sem, binding: pb, found: false };
                refs.visit_expr(v);
                if !refs.found {
                    continue;
                }
                let path = match v {
                    Expr::Attribute(m) => self.binding_of_name(&m.value) == Some(pb) && owner_methods(m.attr.as_str()),
                    Expr::Lambda(_) => true,
                    Expr::Call(c) => self.sem.resolve_qualified_name(&c.func).is_some_and(|q| q == "functools.partial"),
                    _ => false,
                };
                if path {
                    return Err(format!(
                        "`{}` (line {}) keeps another reference to `{param}`, so the cycle would remain",
                        first_line(self.text(s.stmt.range())),
                        self.line(s.stmt.start())
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Why a value cannot be held by a weak reference, or would be dropped at once.
fn unweakable(model: &Model, value: &Expr) -> Option<String> {
    match value {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::NoneLiteral(_) => None,
        Expr::If(i) => unweakable(model, &i.body).or_else(|| unweakable(model, &i.orelse)),
        Expr::BoolOp(b) => b.values.iter().find_map(|v| unweakable(model, v)),
        Expr::Named(n) => unweakable(model, &n.value),
        Expr::Call(c) => {
            let name = model.text(c.func.range());
            Some(format!("the new `{name}` is kept only here, so a weak reference would drop it at once"))
        }
        Expr::StringLiteral(_) | Expr::FString(_) | Expr::BytesLiteral(_) => {
            Some("a string cannot be weakly referenced".into())
        }
        Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) => Some("a number cannot be weakly referenced".into()),
        Expr::List(_)
        | Expr::Tuple(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::DictComp(_)
        | Expr::SetComp(_) => Some(
            "a new container is kept only here, and a plain list, dict or tuple cannot be weakly referenced".into(),
        ),
        Expr::Lambda(_) => Some("a lambda is kept only here, so a weak reference would drop it at once".into()),
        _ => Some("pyfix cannot tell what this value is".into()),
    }
}

/// Does an expression read a given binding?
struct NameRefs<'a, 's> {
    sem: &'s Semantic<'a>,
    binding: BindingId,
    found: bool,
}

impl<'a> Visitor<'a> for NameRefs<'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            if self.sem.resolve(n) == Some(self.binding) {
                self.found = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// What to quote for a use of a dispatch attribute: the call, else the statement.
fn u_range(u: &AttributeUse) -> TextRange {
    match u.kind {
        AttributeUseKind::Called(c) | AttributeUseKind::Argument(c) => c.range(),
        _ => u.stmt.range(),
    }
}
