//! What strong-backref knows about the module: its classes (members, slots, declared fields), the methods with a
//! `self`, attribute/subscript stores, deletions and calls, and the small questions asked of them. No cycle
//! detection and no edits: those are in `backref.rs`, `refusal.rs`, `weak_property.rs` and `registry.rs`.

use std::cell::OnceCell;

use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::codemod::{contains_any, Substrings};
use crate::codemods::analyze::attributes::{AttributeIndex, AttributeUseKind};
use crate::codemods::analyze::project::is_test_module;
use crate::codemods::Context;
use crate::semantic::{BindingId, BindingKind, ScopeId, ScopeNode, Semantic};

use super::vocabulary::{
    is_class_name, pickles_or_copies, pickling_name, COPY_HOOKS, GC_PROBES, IMPLICIT_CLASS_METHODS, WEAK_CONTAINERS,
};

#[derive(Clone, Copy)]
pub(super) enum Member<'a> {
    /// A plain method (the function definition).
    Method(&'a StmtFunctionDef),
    /// `@staticmethod` / `@classmethod`.
    Static,
    /// `@property`, `@x.setter`, `cached_property`: assignments already go through it.
    Property,
    /// `x = ...` in the class body.
    Value(&'a Stmt),
    /// `x: T` in the class body, without a value.
    Annotation(&'a ast::StmtAnnAssign),
}

pub(super) struct Slots<'a> {
    pub(super) value: &'a Expr,
    /// `None` when `__slots__` is not a literal of strings.
    pub(super) names: Option<Vec<(&'a str, TextRange)>>,
}

pub(super) struct Class<'a> {
    pub(super) def: &'a ast::StmtClassDef,
    pub(super) members: FxHashMap<&'a str, Member<'a>>,
    pub(super) slots: Option<Slots<'a>>,
    /// Names annotated in the class body (`parent: Node`, `parent: Node = None`): declared instance attributes.
    pub(super) declared: FxHashSet<&'a str>,
    /// "a dataclass", "an attrs class", "a named tuple"...: its attributes are fields.
    pub(super) record: Option<&'static str>,
}

impl<'a> Class<'a> {
    pub(super) fn name(&self) -> &'a str {
        self.def.name.as_str()
    }
    pub(super) fn has_slot(&self, name: &str) -> bool {
        self.slots.as_ref().and_then(|s| s.names.as_ref()).is_some_and(|n| n.iter().any(|(s, _)| *s == name))
    }
    pub(super) fn is_method(&self, name: &str) -> bool {
        matches!(self.members.get(name), Some(Member::Method(_)))
    }
}

/// A method with a `self` parameter.
pub(super) struct Method<'a> {
    pub(super) class: usize,
    pub(super) def: &'a StmtFunctionDef,
    pub(super) scope: ScopeId,
}

/// `target = value` where the target is an attribute or a subscript.
pub(super) struct Store<'a> {
    pub(super) stmt: &'a Stmt,
    pub(super) target: &'a Expr,
    /// `None` when unpacked from something else, augmented, or a loop/`with` target.
    pub(super) value: Option<&'a Expr>,
    pub(super) annotation: Option<&'a Expr>,
}

impl<'a> Store<'a> {
    pub(super) fn attribute(&self) -> Option<&'a ast::ExprAttribute> {
        self.target.as_attribute_expr()
    }
}

/// By class: the indexes (ascending) of the stores whose value is the `self` of one of its methods
/// (`parent.child = self`), and of the calls given such a `self` as an argument (`parent._addchild(name, self)`).
/// Built once, so that each candidate back-reference looks at these few, not at every store and call of the module.
#[derive(Default)]
pub(super) struct SelfGiven {
    pub(super) stores: FxHashMap<usize, Vec<usize>>,
    pub(super) calls: FxHashMap<usize, Vec<usize>>,
}

pub(super) struct Model<'a, 'c> {
    pub(super) cx: &'c Context<'a>,
    pub(super) sem: &'a Semantic<'a>,
    pub(super) classes: Vec<Class<'a>>,
    /// Class definition binding -> class.
    pub(super) class_of_binding: FxHashMap<BindingId, usize>,
    pub(super) methods: Vec<Method<'a>>,
    /// `self` parameter binding -> method.
    pub(super) selves: FxHashMap<BindingId, usize>,
    pub(super) stores: Vec<Store<'a>>,
    /// Attributes deleted somewhere (`del x.parent`).
    pub(super) deleted: Vec<&'a Expr>,
    /// Every call, with the innermost statement holding it.
    pub(super) calls: Vec<(&'a ast::ExprCall, &'a Stmt)>,
    /// Indexes of `calls`, built on first use so that a module with many calls and many candidate stores does not
    /// scan every call once per store: the calls that build each class (through its `__init__`), the calls of each
    /// method name (`child.set_parent(...)`), and the calls of keeping methods on an attribute
    /// (`x.children.append(...)`).
    pub(super) calls_by_class: OnceCell<FxHashMap<usize, Vec<usize>>>,
    /// Does the module import tkinter (so `x.bind(...)` is tk's)?
    pub(super) tkinter: OnceCell<bool>,
    pub(super) calls_by_method: OnceCell<FxHashMap<&'a str, Vec<usize>>>,
    pub(super) keeping_calls: OnceCell<Vec<usize>>,
    /// Where the `self` of a class's methods is given away, by class (`self_given`).
    pub(super) self_given: OnceCell<SelfGiven>,
    /// Class -> the indexes of the calls that instantiate it by name (`instantiated`), ascending; built on first use.
    pub(super) calls_making: OnceCell<FxHashMap<usize, Vec<usize>>>,
    /// Attributes assigned a weak container somewhere (`self.children = weakref.WeakSet()`).
    pub(super) weak_attrs: FxHashSet<&'a str>,
    /// Attribute -> the classes whose methods store it on `self` (each class once).
    pub(super) stored_attrs: FxHashMap<&'a str, Vec<usize>>,
    /// Test code (`analyze::project::is_test_module`): its objects live for one test.
    pub(super) test_module: bool,
    /// A test module that exercises the collector or finalization (`gc.collect()`, `gc.disable()`, `import weakref`,
    /// a `__del__`): its cycles are what it tests.
    pub(super) tests_collector: bool,
    /// The calls that pickle or copy objects (`pickle.dumps(x)`, `copy.deepcopy(x)`), in source order.
    pub(super) pickles: Vec<&'a ast::ExprCall>,
    /// `_modules[name] = tree` with `tree = {}`: a module-level dict that keeps every container the module builds,
    /// and that the module never empties.
    pub(super) keeps_forever: Option<&'a Stmt>,
}

impl<'a, 'c> Model<'a, 'c> {
    pub(super) fn new(cx: &'c Context<'a>) -> Self {
        let sem = cx.semantic;
        let (stores, deleted) = stores_and_deletions(cx.attributes());
        let mut m = Model {
            cx,
            sem,
            classes: Vec::new(),
            class_of_binding: FxHashMap::default(),
            methods: Vec::new(),
            selves: FxHashMap::default(),
            stores,
            deleted,
            calls: cx.attributes().calls().to_vec(),
            calls_by_class: OnceCell::new(),
            tkinter: OnceCell::new(),
            calls_by_method: OnceCell::new(),
            keeping_calls: OnceCell::new(),
            self_given: OnceCell::new(),
            calls_making: OnceCell::new(),
            weak_attrs: FxHashSet::default(),
            stored_attrs: FxHashMap::default(),
            test_module: is_test_module(cx),
            tests_collector: false,
            pickles: Vec::new(),
            keeps_forever: None,
        };
        for (_, scope) in sem.scopes() {
            let ScopeNode::Class(def) = scope.node else { continue };
            let index = m.classes.len();
            if let Some(parent) = scope.parent {
                let own = sem.scope(parent).bindings_of(def.name.as_str()).iter().copied().find(|b| {
                    let b = sem.binding(*b);
                    b.kind == BindingKind::ClassDef && b.range == def.name.range
                });
                if let Some(b) = own {
                    m.class_of_binding.insert(b, index);
                }
            }
            let class = m.class(def);
            for stmt in &def.body {
                let Stmt::FunctionDef(f) = stmt else { continue };
                if !matches!(class.members.get(f.name.as_str()), Some(Member::Method(_) | Member::Property)) {
                    continue;
                }
                let Some(first) = f.parameters.posonlyargs.iter().chain(&f.parameters.args).next() else { continue };
                // `__new__`, `__init_subclass__` and a metaclass's methods receive a class, not an instance.
                if IMPLICIT_CLASS_METHODS.contains(&f.name.as_str()) || is_class_name(first.name().as_str()) {
                    continue;
                }
                let Some(fscope) = sem.scope_of_def(stmt) else { continue };
                let param = sem
                    .scope(fscope)
                    .bindings_of(first.name().as_str())
                    .iter()
                    .copied()
                    .find(|b| sem.binding(*b).kind == BindingKind::Parameter);
                if let Some(p) = param {
                    m.selves.insert(p, m.methods.len());
                    m.methods.push(Method { class: index, def: f, scope: fscope });
                }
            }
            m.classes.push(class);
        }
        let weak_container =
            |last: &str| WEAK_CONTAINERS.iter().any(|q| q.rsplit_once('.').is_some_and(|(_, l)| l == last));
        for store in &m.stores {
            let (Some(attr), Some(Expr::Call(call))) = (store.attribute(), store.value) else { continue };
            if !sem.may_end_with(&call.func, weak_container) {
                continue;
            }
            if let Some(q) = sem.resolve_qualified_name(&call.func) {
                if WEAK_CONTAINERS.contains(&q.as_str()) {
                    m.weak_attrs.insert(attr.attr.as_str());
                }
            }
        }
        for store in &m.stores {
            let Some(a) = store.attribute() else { continue };
            let Some(method) = m.self_method(&a.value) else { continue };
            let classes = m.stored_attrs.entry(a.attr.as_str()).or_default();
            if !classes.contains(&m.methods[method].class) {
                classes.push(m.methods[method].class);
            }
        }
        if m.test_module {
            let probes_gc = contains_any(cx.source.text(), &["gc"])
                && m.calls.iter().any(|(c, _)| {
                    sem.resolve_qualified_name(&c.func)
                        .is_some_and(|q| GC_PROBES.contains(&q.as_str()) || q.starts_with("gc.callbacks."))
                });
            let weakref = cx.imports.local_name_of("weakref").is_some()
                || cx.module.body.iter().any(|s| match s {
                    Stmt::ImportFrom(i) => i.level == 0 && i.module.as_ref().is_some_and(|m| m.as_str() == "weakref"),
                    _ => false,
                });
            let finalizer = m.classes.iter().any(|c| c.members.contains_key("__del__"));
            m.tests_collector = probes_gc || weakref || finalizer;
        }
        let text = cx.source.text();
        // Read once for the four words (most modules hold none of them).
        static PICKLING_WORDS: Substrings = Substrings::new(&["pickle", "copy", "shelve", "dill"]);
        if PICKLING_WORDS.any_in(text) {
            // A copy made by a class that defines its own copy hooks (`deepcopy(self.to_dict())` in a class with
            // `__deepcopy__`) copies what that class chooses; hooks on the classes a fix touches are checked apart.
            let in_copying_class = |stmt: &Stmt| {
                let Some(f) = sem.stmt_id(stmt).and_then(|id| sem.enclosing_function(sem.stmt_scope(id))) else {
                    return false;
                };
                let Some(ScopeNode::Class(c)) = sem.scope(f).parent.map(|p| sem.scope(p).node) else { return false };
                c.body.iter().any(|s| matches!(s, Stmt::FunctionDef(d) if COPY_HOOKS.contains(&d.name.as_str())))
            };
            m.pickles = m
                .calls
                .iter()
                .filter(|(c, stmt)| {
                    sem.may_end_with(&c.func, pickling_name)
                        && sem.resolve_qualified_name(&c.func).is_some_and(|q| pickles_or_copies(&q))
                        && !in_copying_class(stmt)
                })
                .map(|(c, _)| *c)
                .collect();
        }
        m.keeps_forever = m.module_cache();
        m
    }

    /// A module-level dict (`_modules = {}`, bound once) that a function fills with a container it has just made
    /// (`tree = {}` ... `_modules[fullmodule] = tree`) and that nothing in the module empties (`clear`, `pop`,
    /// `del`): what the module builds lives as long as the program.
    fn module_cache(&self) -> Option<&'a Stmt> {
        let sem = self.sem;
        let module = sem.scope(Semantic::MODULE);
        let fresh = |e: &Expr| match e {
            Expr::Dict(d) => d.is_empty(),
            Expr::List(l) => l.elts.is_empty(),
            Expr::Call(c) => {
                c.arguments.is_empty()
                    && sem
                        .resolve_qualified_name(&c.func)
                        .is_some_and(|q| matches!(q.as_str(), "builtins.dict" | "builtins.list"))
            }
            _ => false,
        };
        let mut names: Vec<&str> = module.bound_names().collect();
        names.sort_unstable();
        for name in names {
            let [b] = module.bindings_of(name) else { continue };
            let binding = sem.binding(*b);
            if binding.kind != BindingKind::Assignment {
                continue;
            }
            let Some(Stmt::Assign(def)) = binding.stmt.map(|s| sem.stmt(s)) else { continue };
            if !matches!(def.value.as_ref(), Expr::Dict(d) if d.is_empty()) {
                continue;
            }
            let mut fill = None;
            let mut emptied = false;
            for r in &binding.references {
                let r = sem.reference(*r);
                let Some(stmt) = r.stmt.map(|s| sem.stmt(s)) else { continue };
                match stmt {
                    Stmt::Delete(_) => emptied = true,
                    Stmt::Assign(a) => {
                        let fills = a
                            .targets
                            .iter()
                            .any(|t| matches!(t, Expr::Subscript(sub) if sub.value.range() == r.range))
                            && matches!(a.value.as_ref(), Expr::Name(n) if sem.resolve(n).is_some_and(|v| {
                                let v = sem.binding(v);
                                v.scope != Semantic::MODULE
                                    && matches!(v.stmt.map(|s| sem.stmt(s)), Some(Stmt::Assign(va)) if fresh(&va.value))
                            }));
                        if fills {
                            fill.get_or_insert(stmt);
                        }
                    }
                    _ => {}
                }
                let path = sem.expr_path(stmt, r.range);
                if matches!(path.last(), Some(Expr::Attribute(m)) if m.value.range() == r.range
                    && matches!(m.attr.as_str(), "clear" | "pop" | "popitem" | "__delitem__"))
                {
                    emptied = true;
                }
            }
            if let (Some(stmt), false) = (fill, emptied) {
                return Some(stmt);
            }
        }
        None
    }

    fn class(&self, def: &'a ast::StmtClassDef) -> Class<'a> {
        let mut members = FxHashMap::default();
        let mut slots = None;
        let mut declared = FxHashSet::default();
        for stmt in &def.body {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let kind = f
                        .decorator_list
                        .iter()
                        .find_map(|d| {
                            let e = match &d.expression {
                                Expr::Call(c) => c.func.as_ref(),
                                e => e,
                            };
                            let word = match e {
                                Expr::Name(n) => n.id.as_str(),
                                Expr::Attribute(a) => a.attr.as_str(),
                                _ => return None,
                            };
                            match word {
                                "staticmethod" | "classmethod" => Some(Member::Static),
                                "property" | "setter" | "getter" | "deleter" | "cached_property" => {
                                    Some(Member::Property)
                                }
                                _ => None,
                            }
                        })
                        .unwrap_or(Member::Method(f));
                    // A property's setter redefines the name: the property wins.
                    if !matches!(members.get(f.name.as_str()), Some(Member::Property)) {
                        members.insert(f.name.as_str(), kind);
                    }
                }
                Stmt::Assign(a) => {
                    for t in &a.targets {
                        if let Expr::Name(n) = t {
                            members.insert(n.id.as_str(), Member::Value(stmt));
                            if n.id.as_str() == "__slots__" {
                                slots = Some(slots_of(&a.value));
                            }
                        }
                    }
                }
                Stmt::AnnAssign(a) => {
                    if let Expr::Name(n) = a.target.as_ref() {
                        declared.insert(n.id.as_str());
                        let member = if a.value.is_some() { Member::Value(stmt) } else { Member::Annotation(a) };
                        members.entry(n.id.as_str()).or_insert(member);
                        if let (Some(v), "__slots__") = (&a.value, n.id.as_str()) {
                            slots = Some(slots_of(v));
                        }
                    }
                }
                _ => {}
            }
        }
        Class { def, members, slots, declared, record: self.record_kind(def) }
    }

    /// "a dataclass" for `@dataclass class C`, "a named tuple" for `class C(NamedTuple)`...
    fn record_kind(&self, def: &ast::StmtClassDef) -> Option<&'static str> {
        for d in &def.decorator_list {
            let e = match &d.expression {
                Expr::Call(c) => c.func.as_ref(),
                e => e,
            };
            let q = self.sem.resolve_qualified_name(e)?;
            if q.ends_with("dataclasses.dataclass") {
                return Some("a dataclass");
            }
            if q.starts_with("attr.") || q.starts_with("attrs.") {
                return Some("an attrs class");
            }
        }
        for base in def.bases() {
            let e = match base {
                Expr::Call(c) => c.func.as_ref(),
                e => e,
            };
            match self.sem.resolve_qualified_name(e).as_deref() {
                Some("typing.NamedTuple" | "typing_extensions.NamedTuple" | "collections.namedtuple") => {
                    return Some("a named tuple")
                }
                Some(q) if q.starts_with("pydantic.") => return Some("a pydantic model"),
                _ => {}
            }
        }
        None
    }

    // -----------------------------------------------------------------------------------------------------------
    // Small questions.

    pub(super) fn binding_of_name(&self, e: &Expr) -> Option<BindingId> {
        match e {
            Expr::Name(n) => self.sem.resolve(n),
            _ => None,
        }
    }

    /// The method whose `self` the expression is.
    pub(super) fn self_method(&self, e: &Expr) -> Option<usize> {
        self.selves.get(&self.binding_of_name(e)?).copied()
    }

    /// The class a call instantiates, when it is a class of this module called by name.
    pub(super) fn instantiated(&self, call: &ast::ExprCall) -> Option<usize> {
        self.class_of_binding.get(&self.binding_of_name(&call.func)?).copied()
    }

    /// The calls (with their statements) that instantiate `class` by name, in source order: the calls whose
    /// `instantiated` is `class`.
    pub(super) fn made(&self, class: usize) -> impl Iterator<Item = &(&'a ast::ExprCall, &'a Stmt)> + '_ {
        let by_class = self.calls_making.get_or_init(|| {
            let mut map: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
            for (k, (call, _)) in self.calls.iter().enumerate() {
                if let Some(c) = self.instantiated(call) {
                    map.entry(c).or_default().push(k);
                }
            }
            map
        });
        by_class.get(&class).into_iter().flatten().map(|&k| &self.calls[k])
    }

    /// The class whose `__init__` a call of a class of this module runs: its own, or the one it inherits from its
    /// only base in the module (`class Leaf(Node): pass` runs `Node.__init__`).
    pub(super) fn initialised_by(&self, call: &ast::ExprCall) -> Option<usize> {
        let mut class = self.instantiated(call)?;
        for _ in 0..8 {
            let c = &self.classes[class];
            if c.members.contains_key("__init__") {
                return Some(class);
            }
            let [base] = c.def.bases() else { return None };
            class = *self.class_of_binding.get(&self.binding_of_name(base)?)?;
        }
        None
    }

    pub(super) fn line(&self, at: TextSize) -> usize {
        self.cx.source.line_number(at)
    }

    pub(super) fn text(&self, r: impl Ranged) -> &'a str {
        self.cx.source.slice(r)
    }

    /// Where the `self` of each class's methods is given away (`SelfGiven`).
    pub(super) fn self_given(&self) -> &SelfGiven {
        self.self_given.get_or_init(|| {
            let mut given = SelfGiven::default();
            let class_of_self = |e: &Expr| self.self_method(e).map(|m| self.methods[m].class);
            for (i, store) in self.stores.iter().enumerate() {
                if let Some(class) = store.value.and_then(class_of_self) {
                    given.stores.entry(class).or_default().push(i);
                }
            }
            for (k, (call, _)) in self.calls.iter().enumerate() {
                let args = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|kw| &kw.value));
                for class in args.filter_map(class_of_self) {
                    let list = given.calls.entry(class).or_default();
                    if list.last() != Some(&k) {
                        list.push(k);
                    }
                }
            }
            given
        })
    }

    /// Stores to `<self>.attr` made by methods of `class`, in source order.
    pub(super) fn self_stores(&self, class: usize, attr: &str) -> Vec<(&Store<'a>, usize)> {
        self.stores
            .iter()
            .filter_map(|s| {
                let a = s.attribute()?;
                let method = self.self_method(&a.value)?;
                (self.methods[method].class == class && a.attr.as_str() == attr).then_some((s, method))
            })
            .collect()
    }

    /// `weakref.ref(x)`, `weakref.proxy(x)`, `WeakMethod(...)`, however imported.
    pub(super) fn is_weak_value(&self, value: &Expr) -> bool {
        let Expr::Call(c) = value else { return false };
        let is_weak = |e: &Expr| {
            self.sem.resolve_qualified_name(e).is_some_and(|q| q.starts_with("weakref.") || q.starts_with("_weakref."))
        };
        if is_weak(&c.func) {
            return true;
        }
        // `def __setitem__(self, key, value, proxy=_proxy)`: a parameter whose default is the weakref function.
        let Some(b) = self.binding_of_name(&c.func) else { return false };
        let b = self.sem.binding(b);
        let Some(Stmt::FunctionDef(f)) =
            (b.kind == BindingKind::Parameter).then(|| b.stmt.map(|s| self.sem.stmt(s))).flatten()
        else {
            return false;
        };
        f.parameters
            .iter_non_variadic_params()
            .any(|p| p.name().as_str() == b.name && p.default.as_deref().is_some_and(is_weak))
    }

    /// In-module classes deriving from `class`, directly or not.
    pub(super) fn subclasses(&self, class: usize) -> Vec<usize> {
        let mut out = vec![class];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i];
            for (c, other) in self.classes.iter().enumerate() {
                if out.contains(&c) {
                    continue;
                }
                let derives = other
                    .def
                    .bases()
                    .iter()
                    .any(|b| self.binding_of_name(b).and_then(|b| self.class_of_binding.get(&b)) == Some(&parent));
                if derives {
                    out.push(c);
                }
            }
            i += 1;
        }
        out.remove(0);
        out
    }

    /// In-module base classes of `class`, and the first base that is not (other than `object`).
    pub(super) fn bases(&self, class: usize) -> (Vec<usize>, Option<&'a Expr>) {
        let mut inside = Vec::new();
        let mut outside = None;
        let mut todo = vec![class];
        while let Some(c) = todo.pop() {
            for b in self.classes[c].def.bases() {
                if self.sem.resolve_qualified_name(b).is_some_and(|q| q == "builtins.object") {
                    continue;
                }
                match self.binding_of_name(b).and_then(|b| self.class_of_binding.get(&b)) {
                    Some(&base) if !inside.contains(&base) && base != class => {
                        inside.push(base);
                        todo.push(base);
                    }
                    Some(_) => {}
                    None => {
                        outside.get_or_insert(b);
                    }
                }
            }
        }
        (inside, outside)
    }

    /// `x.attr` that may be an attribute of an instance of `class`: `self.attr` in its methods, or on anything but
    /// the `self` of another class.
    pub(super) fn writes_attr_of(&self, target: &Expr, class: usize, attr: &str) -> bool {
        let Expr::Attribute(t) = target else { return false };
        t.attr.as_str() == attr && self.self_method(&t.value).is_none_or(|m| self.methods[m].class == class)
    }

    /// Does the class's own `__init__` always set `self.attr` (a statement of its body, not nested in a branch)?
    pub(super) fn set_by_init(&self, class: usize, attr: &str) -> bool {
        let Some(Member::Method(init)) = self.classes[class].members.get("__init__") else { return false };
        init.body.iter().any(|stmt| {
            let targets: &[Expr] = match stmt {
                Stmt::Assign(a) => &a.targets,
                Stmt::AnnAssign(a) if a.value.is_some() => std::slice::from_ref(a.target.as_ref()),
                _ => return false,
            };
            targets.iter().any(|t| {
                matches!(t, Expr::Attribute(a) if a.attr.as_str() == attr
                    && self.self_method(&a.value).is_some_and(|m| self.methods[m].class == class))
            })
        })
    }

    /// Classes that store or declare `attr` on their instances.
    pub(super) fn classes_with_attr(&self, attr: &str) -> Vec<usize> {
        let stored = self.stored_attrs.get(attr).map_or(&[][..], Vec::as_slice);
        (0..self.classes.len())
            .filter(|c| {
                let class = &self.classes[*c];
                class.declared.contains(attr) || class.has_slot(attr) || stored.contains(c)
            })
            .collect()
    }
}

fn slots_of(value: &Expr) -> Slots<'_> {
    let elts: Vec<&Expr> = match value {
        Expr::Tuple(t) => t.elts.iter().collect(),
        Expr::List(l) => l.elts.iter().collect(),
        Expr::Set(s) => s.elts.iter().collect(),
        Expr::StringLiteral(_) => vec![value],
        _ => return Slots { value, names: None },
    };
    let names = elts
        .into_iter()
        .map(|e| match e {
            Expr::StringLiteral(s) if !s.value.is_implicit_concatenated() => Some((s.value.to_str(), s.range)),
            _ => None,
        })
        .collect();
    Slots { value, names }
}

pub(super) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim_end_matches(['(', '[', '{', ' '])
}

/// Source text without whitespace, to compare two expressions.
pub(super) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The stores to attributes and to their items (`x.a = v`, `x.a += v`, `x.a[k] = v`) and the deleted attributes,
/// from the module's attribute index, in visiting order.
fn stores_and_deletions<'a>(index: &AttributeIndex<'a>) -> (Vec<Store<'a>>, Vec<&'a Expr>) {
    let mut stores = Vec::new();
    let mut deleted = Vec::new();
    for u in index.all() {
        let (target, value) = match u.kind {
            AttributeUseKind::Store { value } => (u.expr, value),
            AttributeUseKind::AugStore => (u.expr, None),
            AttributeUseKind::SubscriptStore { subscript, value } => (subscript, value),
            AttributeUseKind::Delete => {
                deleted.push(u.expr);
                continue;
            }
            _ => continue,
        };
        let annotation = match u.stmt {
            Stmt::AnnAssign(a) if std::ptr::eq(a.target.as_ref(), target) => Some(a.annotation.as_ref()),
            _ => None,
        };
        stores.push(Store { stmt: u.stmt, target, value, annotation });
    }
    (stores, deleted)
}
