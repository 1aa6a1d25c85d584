//! `strong-backref`: reference cycles from back-references (a child's pointer to the owner that keeps it, the `prev` of
//! a doubly linked node, `self.x = self`, a bound method stored on its own instance) and bound methods pinned by a
//! module- or class-level registry. Fixes hold the back reference weakly behind a property (or register a
//! `weakref.WeakMethod`) and are always unsafe. Users' docs: codemods/strong_backref/README.md.

use std::cell::OnceCell;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::imports::ensure_import;
use crate::semantic::{is_builtin, BindingId, BindingKind, ScopeId, ScopeNode, Semantic};

pub struct StrongBackref;

const NAME: &str = "strong-backref";

impl Codemod for StrongBackref {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a back-reference or bound method that makes a reference cycle, or a registry that pins bound methods -> a property over `weakref.ref` / `weakref.WeakMethod` [fix: unsafe]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/strong_backref/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        // Every cycle and registration found involves a class of this module (an attribute it declares or stores, or
        // one of its methods): without one, skip building the model.
        let has_class = cx.semantic.scopes().any(|(_, s)| matches!(s.node, ScopeNode::Class(_)));
        if cx.is_stub || !has_class {
            return Vec::new();
        }
        let model = Model::new(cx);
        let mut findings = model.attribute_cycles();
        findings.extend(model.registries());
        findings.sort_by_key(|f| (f.range.start(), f.range.end()));
        findings
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary.

/// Container methods that keep their argument: `owner.children.append(child)`.
const KEEPING_METHODS: &[&str] = &["append", "add", "insert", "appendleft", "extend", "setdefault", "push"];

/// Methods that register a callback with a registry: `bus.subscribe(self.on_event)`.
const REGISTERING_METHODS: &[&str] = &[
    "subscribe",
    "connect",
    "register",
    "add_listener",
    "add_handler",
    "add_callback",
    "add_observer",
    "append",
    "add",
];

/// Containers that hold their entries (or keys) weakly.
const WEAK_CONTAINERS: &[&str] = &["weakref.WeakSet", "weakref.WeakValueDictionary", "weakref.WeakKeyDictionary"];

/// Libraries whose signals hold receivers weakly by default (`connect(weak=True)`).
const WEAK_SIGNAL_LIBRARIES: &[&str] = &["django.", "scrapy.", "blinker.", "pydispatch.", "weakref."];

/// Methods Python calls with the class, not an instance.
const IMPLICIT_CLASS_METHODS: &[&str] = &["__new__", "__init_subclass__", "__class_getitem__"];

/// A parameter that conventionally holds a class (`cls`, `klass`, `model_class`). Classes are in reference cycles
/// of their own (`C.__mro__` holds `C`), so weakening a reference to one frees nothing.
fn is_class_name(name: &str) -> bool {
    matches!(name, "cls" | "klass" | "kls" | "mcs" | "mcls" | "metacls" | "cls_")
        || name.ends_with("_cls")
        || name.ends_with("_class")
}

/// Calls that run or inspect the cyclic collector: a module making them (a test of `gc`) may build cycles on purpose.
/// `gc.disable()` alone is not one: servers do it for speed, which is when these cycles leak for good.
const GC_PROBES: &[&str] =
    &["gc.collect", "gc.get_referrers", "gc.get_referents", "gc.get_objects", "gc.is_tracked", "gc.is_finalized"];

/// Hooks that pickle or copy an object's attributes: a weak reference cannot be pickled.
const COPY_HOOKS: &[&str] =
    &["__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__copy__", "__deepcopy__"];

/// Names of the backward link of a doubly linked pair.
fn is_back_name(attr: &str) -> bool {
    let a = attr.trim_start_matches('_').to_ascii_lowercase();
    a.starts_with("prev") || a.starts_with("pred") || a == "back" || a == "parent" || a == "previous_sibling"
}

// ---------------------------------------------------------------------------------------------------------------
// What the codemod knows about the module.

#[derive(Clone, Copy)]
enum Member<'a> {
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

struct Slots<'a> {
    value: &'a Expr,
    /// `None` when `__slots__` is not a literal of strings.
    names: Option<Vec<(&'a str, TextRange)>>,
}

struct Class<'a> {
    def: &'a ast::StmtClassDef,
    members: FxHashMap<&'a str, Member<'a>>,
    slots: Option<Slots<'a>>,
    /// Names annotated in the class body (`parent: Node`, `parent: Node = None`): declared instance attributes.
    declared: FxHashSet<&'a str>,
    /// "a dataclass", "an attrs class", "a named tuple"...: its attributes are fields.
    record: Option<&'static str>,
}

impl<'a> Class<'a> {
    fn name(&self) -> &'a str {
        self.def.name.as_str()
    }
    fn has_slot(&self, name: &str) -> bool {
        self.slots.as_ref().and_then(|s| s.names.as_ref()).is_some_and(|n| n.iter().any(|(s, _)| *s == name))
    }
    fn is_method(&self, name: &str) -> bool {
        matches!(self.members.get(name), Some(Member::Method(_)))
    }
}

/// A method with a `self` parameter.
struct Method<'a> {
    class: usize,
    def: &'a StmtFunctionDef,
    scope: ScopeId,
}

/// `target = value` where the target is an attribute or a subscript.
struct Store<'a> {
    stmt: &'a Stmt,
    target: &'a Expr,
    /// `None` when unpacked from something else, augmented, or a loop/`with` target.
    value: Option<&'a Expr>,
    annotation: Option<&'a Expr>,
}

impl<'a> Store<'a> {
    fn attribute(&self) -> Option<&'a ast::ExprAttribute> {
        self.target.as_attribute_expr()
    }
}

struct Model<'a, 'c> {
    cx: &'c Context<'a>,
    sem: &'a Semantic<'a>,
    classes: Vec<Class<'a>>,
    /// Class definition binding -> class.
    class_of_binding: FxHashMap<BindingId, usize>,
    methods: Vec<Method<'a>>,
    /// `self` parameter binding -> method.
    selves: FxHashMap<BindingId, usize>,
    stores: Vec<Store<'a>>,
    /// Attributes deleted somewhere (`del x.parent`).
    deleted: Vec<&'a Expr>,
    /// Every call, with the innermost statement holding it.
    calls: Vec<(&'a ast::ExprCall, &'a Stmt)>,
    /// Indexes of `calls`, built on first use so that a module with many calls and many candidate stores does not
    /// scan every call once per store: the calls that build each class (through its `__init__`), the calls of each
    /// method name (`child.set_parent(...)`), and the calls of keeping methods on an attribute
    /// (`x.children.append(...)`).
    calls_by_class: OnceCell<FxHashMap<usize, Vec<usize>>>,
    calls_by_method: OnceCell<FxHashMap<&'a str, Vec<usize>>>,
    keeping_calls: OnceCell<Vec<usize>>,
    /// Attributes assigned a weak container somewhere (`self.children = weakref.WeakSet()`).
    weak_attrs: FxHashSet<&'a str>,
    /// Attribute -> the classes whose methods store it on `self` (each class once).
    stored_attrs: FxHashMap<&'a str, Vec<usize>>,
    /// A call of `gc.collect()` and the like, when the module drives the cyclic collector (its cycles may be what it tests).
    drives_gc: Option<TextRange>,
}

impl<'a, 'c> Model<'a, 'c> {
    fn new(cx: &'c Context<'a>) -> Self {
        let sem = cx.semantic;
        let mut collector = Collector { stmt: None, stores: Vec::new(), calls: Vec::new(), deleted: Vec::new() };
        collector.visit_body(&cx.module.body);
        let mut m = Model {
            cx,
            sem,
            classes: Vec::new(),
            class_of_binding: FxHashMap::default(),
            methods: Vec::new(),
            selves: FxHashMap::default(),
            stores: collector.stores,
            deleted: collector.deleted,
            calls: collector.calls,
            calls_by_class: OnceCell::new(),
            calls_by_method: OnceCell::new(),
            keeping_calls: OnceCell::new(),
            weak_attrs: FxHashSet::default(),
            stored_attrs: FxHashMap::default(),
            drives_gc: None,
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
        for store in &m.stores {
            let (Some(attr), Some(Expr::Call(call))) = (store.attribute(), store.value) else { continue };
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
        // Only a module whose text names `gc` (to import it) can call it: elsewhere, skip resolving every call.
        if cx.source.text().contains("gc") {
            m.drives_gc = m
                .calls
                .iter()
                .find(|(c, _)| sem.resolve_qualified_name(&c.func).is_some_and(|q| GC_PROBES.contains(&q.as_str())))
                .map(|(c, _)| c.range());
        }
        m
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

    fn binding_of_name(&self, e: &Expr) -> Option<BindingId> {
        match e {
            Expr::Name(n) => self.sem.resolve(n),
            _ => None,
        }
    }

    /// The method whose `self` the expression is.
    fn self_method(&self, e: &Expr) -> Option<usize> {
        self.selves.get(&self.binding_of_name(e)?).copied()
    }

    /// The class a call instantiates, when it is a class of this module called by name.
    fn instantiated(&self, call: &ast::ExprCall) -> Option<usize> {
        self.class_of_binding.get(&self.binding_of_name(&call.func)?).copied()
    }

    /// The class whose `__init__` a call of a class of this module runs: its own, or the one it inherits from its
    /// only base in the module (`class Leaf(Node): pass` runs `Node.__init__`).
    fn initialised_by(&self, call: &ast::ExprCall) -> Option<usize> {
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

    fn line(&self, at: TextSize) -> usize {
        self.cx.source.line_number(at)
    }

    fn text(&self, r: impl Ranged) -> &'a str {
        self.cx.source.slice(r)
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
    /// (when `follow`) through one local name: `c = <>` ... `owner.xs.append(c)`. Returns the keeping statement.
    fn kept_by(&self, range: TextRange, stmt: &'a Stmt, owner: BindingId, follow: bool) -> Option<&'a Stmt> {
        let path = self.sem.expr_path(stmt, range);
        let mut inner = range;
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
                    let keeps = match call.func.as_ref() {
                        Expr::Attribute(f) => {
                            KEEPING_METHODS.contains(&f.attr.as_str()) && self.is_owner_container(&f.value, owner)
                        }
                        _ => false,
                    };
                    return (is_arg && keeps).then_some(stmt);
                }
                _ => false,
            };
            if !through {
                return None;
            }
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
                return (!self.is_reset_in_scope(stmt, t, owner)).then_some(stmt);
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

    /// Stores to `<self>.attr` made by methods of `class`, in source order.
    fn self_stores(&self, class: usize, attr: &str) -> Vec<(&Store<'a>, usize)> {
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
    fn is_weak_value(&self, value: &Expr) -> bool {
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
    fn subclasses(&self, class: usize) -> Vec<usize> {
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
    fn bases(&self, class: usize) -> (Vec<usize>, Option<&'a Expr>) {
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
    fn writes_attr_of(&self, target: &Expr, class: usize, attr: &str) -> bool {
        let Expr::Attribute(t) = target else { return false };
        t.attr.as_str() == attr && self.self_method(&t.value).is_none_or(|m| self.methods[m].class == class)
    }

    /// Classes that store or declare `attr` on their instances.
    fn classes_with_attr(&self, attr: &str) -> Vec<usize> {
        let stored = self.stored_attrs.get(attr).map_or(&[][..], Vec::as_slice);
        (0..self.classes.len())
            .filter(|c| {
                let class = &self.classes[*c];
                class.declared.contains(attr) || class.has_slot(attr) || stored.contains(c)
            })
            .collect()
    }

    // -----------------------------------------------------------------------------------------------------------
    // Attribute cycles.

    fn attribute_cycles(&self) -> Vec<Finding> {
        let mut candidates: Vec<Candidate<'a>> = Vec::new();
        let mut findings = Vec::new();
        self.owner_child(&mut candidates);
        self.owner_sets_itself(&mut candidates, &mut findings);
        self.linked(&mut candidates);
        self.self_cycles(&mut candidates, &mut findings);
        let mut seen = FxHashSet::default();
        for cand in candidates {
            if !seen.insert((cand.class, cand.attr)) {
                continue;
            }
            let class = &self.classes[cand.class];
            // Already behind a property (a previous run of pyfix, or by hand): writes go through its setter.
            if matches!(class.members.get(cand.attr), Some(Member::Property)) {
                continue;
            }
            // Already weak somewhere (`root.prev = weakref.proxy(link)`): a design that knows about the cycle.
            if self.stores.iter().any(|s| {
                self.writes_attr_of(s.target, cand.class, cand.attr) && s.value.is_some_and(|v| self.is_weak_value(v))
            }) {
                continue;
            }
            let stores = self.self_stores(cand.class, cand.attr);
            let range = stores.first().map_or(cand.evidence, |(s, _)| s.target.range());
            let message = self.message(&cand);
            findings.push(match self.weak_property(&cand, &stores) {
                Ok(fix) => Finding::new(NAME, range, message, Some(fix)),
                Err(reason) => Finding::without_fix(NAME, range, message, reason),
            });
        }
        findings
    }

    /// `self.parent = parent` in class C, and the module shows `parent` keeps the C: it creates `C(self)` and keeps
    /// it, or the C adds itself to `parent` (`parent.children.append(self)`).
    fn owner_child(&self, out: &mut Vec<Candidate<'a>>) {
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
            if let Some((evidence, owner)) = self.creation_evidence(class, method, pb.name) {
                out.push(Candidate { class, attr: a, shape: Shape::Owner { owner }, evidence, param: Some(pb.name) });
            } else if let Some(evidence) = self.joins_owner(class, param, a) {
                out.push(Candidate {
                    class,
                    attr: a,
                    shape: Shape::Owner { owner: None },
                    evidence,
                    param: Some(pb.name),
                });
            }
        }
    }

    /// A call `C(..., self, ...)` passing `self` as `param` of `method` (an `__init__`) whose result the caller keeps.
    fn creation_evidence(&self, class: usize, method: &Method<'a>, param: &str) -> Option<(TextRange, Option<usize>)> {
        let f = method.def;
        let position =
            f.parameters.posonlyargs.iter().chain(&f.parameters.args).position(|p| p.name().as_str() == param)?;
        let keyword = !f.parameters.posonlyargs.iter().any(|p| p.name().as_str() == param);
        let by_name = |call: &'a ast::ExprCall| -> Option<&'a Expr> {
            if position > 0 {
                if let Some(e) = call.arguments.args.get(position - 1) {
                    return (!call.arguments.args[..position].iter().any(Expr::is_starred_expr)).then_some(e);
                }
            }
            if keyword {
                return call.arguments.find_keyword(param).map(|k| &k.value);
            }
            None
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
            if kept.is_some() {
                let owner_class = self.selves.get(&owner).map(|m| self.methods[*m].class);
                return Some((call.range(), owner_class));
            }
        }
        None
    }

    /// The child adds itself to the object it stores: `parent.children.append(self)`, `parent.child = self`,
    /// `self.parent.children.append(self)`.
    fn joins_owner(&self, class: usize, param: BindingId, attr: &str) -> Option<TextRange> {
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
        let keeping = self.keeping_calls.get_or_init(|| {
            (0..self.calls.len())
                .filter(|&k| {
                    matches!(self.calls[k].0.func.as_ref(), Expr::Attribute(f)
                        if KEEPING_METHODS.contains(&f.attr.as_str()) && f.value.is_attribute_expr())
                })
                .collect()
        });
        for &k in keeping {
            let call = self.calls[k].0;
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            let Expr::Attribute(container) = f.value.as_ref() else { continue };
            if KEEPING_METHODS.contains(&f.attr.as_str())
                && is_owner(&container.value)
                && !self.weak_attrs.contains(container.attr.as_str())
                && call.arguments.args.iter().any(is_self)
            {
                return Some(call.range());
            }
        }
        for s in &self.stores {
            let Some(value) = s.value else { continue };
            let base = match s.target {
                Expr::Attribute(a) => a.value.as_ref(),
                Expr::Subscript(sub) => match sub.value.as_ref() {
                    Expr::Attribute(a) if !self.weak_attrs.contains(a.attr.as_str()) => a.value.as_ref(),
                    _ => continue,
                },
                _ => continue,
            };
            if is_owner(base) && is_self(value) {
                return Some(s.stmt.range());
            }
        }
        None
    }

    /// The owner sets itself on a child it keeps: `item.menu = self` where the method also keeps `item`
    /// (`self.items.append(item)`).
    fn owner_sets_itself(&self, out: &mut Vec<Candidate<'a>>, findings: &mut Vec<Finding>) {
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
            let Some(kept) = kept else { continue };
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
                    shape: Shape::Owner { owner: owner_class },
                    evidence: kept.range(),
                    param: None,
                });
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
            findings.push(Finding::without_fix(
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
            ));
        }
    }

    /// `X.prev = Y` and `Y.next = X` in one scope, where one class has both attributes: the back link.
    fn linked(&self, out: &mut Vec<Candidate<'a>>) {
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
    fn self_cycles(&self, out: &mut Vec<Candidate<'a>>, findings: &mut Vec<Finding>) {
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
                findings.push(Finding::without_fix(
                    NAME,
                    s.target.range(),
                    format!("`self.__dict__ = self` makes every `{}` a reference cycle", self.classes[class].name()),
                    "a deliberate self-cycle: the instance is its own attribute dictionary, which cannot be weak",
                ));
                continue;
            }
            out.push(Candidate { class, attr: a, shape, evidence: s.stmt.range(), param: None });
        }
    }

    fn message(&self, cand: &Candidate) -> String {
        let class = self.classes[cand.class].name();
        let a = cand.attr;
        match &cand.shape {
            Shape::Owner { owner: Some(o) } => format!(
                "`{class}.{a}` points back to the `{}` that keeps the `{class}` (line {}): a reference cycle",
                self.classes[*o].name(),
                self.line(cand.evidence.start())
            ),
            Shape::Owner { owner: None } => format!(
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

    // -----------------------------------------------------------------------------------------------------------
    // The fix: a property over a weak reference.

    /// The property, its import, slot changes and a moved annotation; `Err` with the reason when pyfix cannot fix.
    fn weak_property(&self, cand: &Candidate<'a>, stores: &[(&Store<'a>, usize)]) -> Result<Fix, String> {
        self.refusal(cand, stores)?;
        let cx = self.cx;
        let class = &self.classes[cand.class];
        let cname = class.name();
        let a = cand.attr;
        // Who is referred to, and can it be weakly referenced?
        let referent = match &cand.shape {
            Shape::Owner { owner } => *owner,
            Shape::Linked { .. } | Shape::SelfRef | Shape::BoundMethod { .. } => Some(cand.class),
        };
        let mut edits = Vec::new();
        if let Some(r) = referent {
            match self.weakable(r, 0) {
                Weakable::Yes => {}
                Weakable::NeedsSlot => edits.push(self.add_weakref_slot(r)?),
                Weakable::No(reason) => return Err(reason),
            }
        }
        let base = format!("_{}_ref", a.trim_start_matches('_'));
        let taken = |n: &str| {
            self.stores.iter().any(|s| s.attribute().is_some_and(|t| t.attr.as_str() == n))
                || self.classes.iter().any(|c| c.members.contains_key(n) || c.has_slot(n))
        };
        let ref_name =
            if taken(&base) { (1..).map(|i| format!("{base}{i}")).find(|n| !taken(n)).unwrap_or(base) } else { base };
        if class.slots.is_some() {
            let names = class.slots.as_ref().and_then(|s| s.names.as_ref());
            let Some(names) = names else {
                return Err(format!("`{cname}.__slots__` is not a literal pyfix can rewrite"));
            };
            let Some((_, range)) = names.iter().find(|(n, _)| *n == a) else {
                return Err(format!(
                    "`{cname}.__slots__` does not list `{a}`, so pyfix cannot tell where it is stored"
                ));
            };
            let old = self.text(*range);
            let quote = old.chars().last().unwrap_or('"');
            let prefix_len = old.find(quote).unwrap_or(0);
            edits.push(Edit::replace(*range, format!("{}{quote}{ref_name}{quote}", &old[..prefix_len])));
        }
        let Some((import, weakref)) = ensure_import(cx, "weakref", None) else {
            return Err("the name `weakref` is taken in this module".to_string());
        };
        edits.extend(import);
        // An annotation moves to the property's return type.
        let mut annotation = None;
        for (s, _) in stores {
            if let Some(ann) = s.annotation {
                annotation.get_or_insert(ann);
                let Stmt::AnnAssign(asg) = s.stmt else { continue };
                edits.push(Edit::delete(TextRange::new(asg.target.end(), ann.end())));
            }
        }
        if let Some(Member::Annotation(decl)) = class.members.get(a) {
            if !cx.stands_alone(decl.range) {
                return Err(format!("the declaration `{}` shares its line with other code", self.text(decl.range)));
            }
            annotation.get_or_insert(&decl.annotation);
            let mut lines = cx.full_lines(decl.range);
            // `class C:` / `parent: T` / blank / `def ...`: the blank line goes too, not to open the body.
            let next = TextRange::new(lines.end(), cx.source.next_line_start(lines.end()));
            let first = class.def.body.first().is_some_and(|f| f.range() == decl.range);
            if first && !next.is_empty() && cx.source.slice(next).trim().is_empty() {
                lines = lines.cover(next);
            }
            edits.push(Edit::delete(lines));
        }
        let returns = match annotation {
            Some(ann) => {
                let (text, import) = self.optional(ann, class)?;
                edits.extend(import);
                format!(" -> {text}")
            }
            None => String::new(),
        };
        // The property goes after the method that first stores the attribute, else at the end of the class.
        let after = stores
            .first()
            .map(|(_, m)| self.methods[*m].def.range())
            .or_else(|| class.def.body.last().map(Ranged::range));
        let Some(after) = after else { return Err("the class has no body".into()) };
        let indent = match stores.first() {
            Some((_, m)) => cx.source.indent_at(self.methods[*m].def.start()),
            None => cx.source.indent_at(class.def.body.last().map_or(class.def.start(), Ranged::start)),
        };
        if !cx.source.starts_line(stores.first().map_or(after.start(), |(_, m)| self.methods[*m].def.start())) {
            return Err("the class body does not start its own lines".into());
        }
        let u = cx.style.unit_below(indent);
        let le = cx.style.line_ending;
        let ctor = if matches!(cand.shape, Shape::BoundMethod { .. }) { "WeakMethod" } else { "ref" };
        let at = cx.source.next_line_start(after.end());
        let lead = if at == cx.source.text_len() && !cx.source.text().ends_with(['\n', '\r']) { le } else { "" };
        let block = format!(
            "{lead}{le}\
             {indent}@property{le}\
             {indent}def {a}(self){returns}:{le}\
             {indent}{u}ref = self.{ref_name}{le}\
             {indent}{u}return None if ref is None else ref(){le}\
             {le}\
             {indent}@{a}.setter{le}\
             {indent}def {a}(self, value):{le}\
             {indent}{u}self.{ref_name} = None if value is None else {weakref}.{ctor}(value){le}"
        );
        edits.push(Edit::insert(at, block));
        let title = match cand.shape {
            Shape::BoundMethod { .. } => format!("Make `{a}` a property over `weakref.WeakMethod`"),
            _ => format!("Make `{a}` a property over `weakref.ref`"),
        };
        let reason = match &cand.shape {
            Shape::Owner { owner } => {
                let who = owner.map_or("an owner".to_string(), |o| format!("a `{}`", self.classes[o].name()));
                format!("{who} kept alive only through `{cname}.{a}` is now freed and `{a}` then reads `None`; `vars()`, `copy` and `pickle` see `{ref_name}`, a weak reference")
            }
            Shape::Linked { .. } => format!("a `{cname}` reached only through `{a}` (a list that keeps just its tail) is now freed and `{a}` then reads `None`; `copy` and `pickle` see `{ref_name}`, a weak reference"),
            Shape::SelfRef => format!("`{a}` reads the same while the object lives, but `vars()`, `copy` and `pickle` now see `{ref_name}`, a weak reference, and a deep copy's `{a}` refers to the original"),
            Shape::BoundMethod { .. } => {
                let public = if a.starts_with('_') {
                    String::new()
                } else {
                    format!(", and code elsewhere that sets `{a}` to a plain function now fails (`WeakMethod` takes bound methods only)")
                };
                format!("`{a}` reads the same while the object lives, but `vars()`, `copy` and `pickle` now see `{ref_name}`, a weak reference, and a deep copy's `{a}` calls the original{public}")
            }
        };
        Fix::unsafe_because(title, reason, edits)
            .ok_or_else(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string())
    }

    /// Why holding the attribute weakly would be wrong (or pointless), if it would.
    fn refusal(&self, cand: &Candidate<'a>, stores: &[(&Store<'a>, usize)]) -> Result<(), String> {
        let class = &self.classes[cand.class];
        let cname = class.name();
        let a = cand.attr;
        if let Some(gc) = self.drives_gc {
            return Err(format!(
                "the module drives the cyclic collector (`{}`, line {}): the cycle may be what it is there to test",
                self.text(gc),
                self.line(gc.start())
            ));
        }
        if let Some(kind) = class.record {
            return Err(format!("`{cname}` is {kind}: `{a}` is a field, compared, copied and pickled by value"));
        }
        let (in_module_bases, outside_base) = self.bases(cand.class);
        for c in std::iter::once(cand.class).chain(in_module_bases) {
            if let Some(hook) = COPY_HOOKS.iter().find(|h| self.classes[c].members.contains_key(**h)) {
                return Err(format!(
                    "`{}` defines `{hook}`: its attributes are pickled or copied, and a weak reference cannot be",
                    self.classes[c].name()
                ));
            }
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
        Ok(())
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
            Shape::Owner { .. } | Shape::Linked { .. } => unweakable(self, value),
        }
    }

    /// `Child(Parent())`, `Child("root")`: an argument that a weak reference would drop or cannot hold.
    fn check_call_sites(&self, cand: &Candidate<'a>, param: &str) -> Result<(), String> {
        let Some(init) = self.classes[cand.class].members.get("__init__") else { return Ok(()) };
        let Member::Method(init) = init else { return Ok(()) };
        let Some(position) =
            init.parameters.posonlyargs.iter().chain(&init.parameters.args).position(|p| p.name().as_str() == param)
        else {
            return Ok(());
        };
        for (call, _) in &self.calls {
            if self.initialised_by(call) != Some(cand.class) {
                continue;
            }
            let arg = match position.checked_sub(1).and_then(|p| call.arguments.args.get(p)) {
                Some(a) => Some(a),
                None => call.arguments.find_keyword(param).map(|k| &k.value),
            };
            let Some(arg) = arg else { continue };
            if let Some(problem) = unweakable(self, arg) {
                return Err(format!(
                    "`{}` (line {}): {problem}",
                    first_line(self.text(call.range())),
                    self.line(call.start())
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
            Shape::Owner { owner: Some(o) } => self.classes[*o].is_method(m),
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
                        "`{}` (line {}) passes `{param}` on to the base class, which may keep it too, so the cycle would remain",
                        first_line(self.text(call.range())),
                        self.line(call.start())
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

    /// Whether instances of `class` can be weakly referenced, or can be once `__weakref__` joins its slots.
    fn weakable(&self, class: usize, depth: usize) -> Weakable {
        let c = &self.classes[class];
        let mut bases_have_weakref = false;
        let mut unknown_base = None;
        for base in c.def.bases() {
            let e = match base {
                Expr::Call(call) => call.func.as_ref(),
                Expr::Subscript(sub) => sub.value.as_ref(),
                e => e,
            };
            if let Some(q) = self.sem.resolve_qualified_name(e) {
                if matches!(
                    q.as_str(),
                    "builtins.int"
                        | "builtins.bytes"
                        | "builtins.tuple"
                        | "builtins.bool"
                        | "collections.namedtuple"
                        | "typing.NamedTuple"
                ) {
                    return Weakable::No(format!(
                        "`{}` derives from `{}`, whose instances cannot be weakly referenced",
                        c.name(),
                        self.text(e.range())
                    ));
                }
                // `Generic` has empty `__slots__` and no `__weakref__`: like `object`.
                if matches!(q.as_str(), "builtins.object" | "typing.Generic" | "typing_extensions.Generic") {
                    continue;
                }
            }
            match self.binding_of_name(e).and_then(|b| self.class_of_binding.get(&b)) {
                Some(b) if depth < 8 => match self.weakable(*b, depth + 1) {
                    Weakable::Yes => bases_have_weakref = true,
                    Weakable::NeedsSlot => {}
                    no @ Weakable::No(_) => return no,
                },
                _ => unknown_base = Some(e),
            }
        }
        let Some(slots) = &c.slots else { return Weakable::Yes };
        let Some(names) = &slots.names else {
            return Weakable::No(format!("`{}.__slots__` is not a literal pyfix can read", c.name()));
        };
        if names.iter().any(|(n, _)| *n == "__weakref__") || bases_have_weakref {
            return Weakable::Yes;
        }
        match unknown_base {
            Some(b) => Weakable::No(format!(
                "`{}` has `__slots__` without `__weakref__` and derives from `{}`, which is not in this module: pyfix cannot tell whether it can be weakly referenced",
                c.name(),
                self.text(b.range())
            )),
            None => Weakable::NeedsSlot,
        }
    }

    /// `__slots__ = ("a",)` -> `__slots__ = ("a", "__weakref__",)`.
    fn add_weakref_slot(&self, class: usize) -> Result<Edit, String> {
        let c = &self.classes[class];
        let value = c.slots.as_ref().map(|s| s.value).ok_or("no slots")?;
        let quote = self.text(value.range()).chars().find(|ch| *ch == '"' || *ch == '\'').unwrap_or('"');
        let elts = match value {
            Expr::Tuple(t) => &t.elts,
            Expr::List(l) => &l.elts,
            Expr::Set(s) => &s.elts,
            Expr::StringLiteral(_) => {
                return Ok(Edit::replace(
                    value.range(),
                    format!("({}, {quote}__weakref__{quote})", self.text(value.range())),
                ));
            }
            _ => return Err(format!("`{}.__slots__` is not a literal pyfix can rewrite", c.name())),
        };
        match elts.last() {
            // One slot a line: `"__weakref__",` goes on a line of its own.
            Some(last)
                if self.text(TextRange::new(last.end(), value.end())).contains(['\n', '\r'])
                    && self.text(TextRange::new(last.end(), value.end())).trim_start().starts_with(',') =>
            {
                // After the line holding the trailing comma (and any comment on it).
                let at = self.cx.source.line_end(last.end());
                let indent = self.cx.source.indent_at(last.start());
                let le = self.cx.style.line_ending;
                Ok(Edit::insert(at, format!("{le}{indent}{quote}__weakref__{quote},")))
            }
            Some(last) => Ok(Edit::insert(last.end(), format!(", {quote}__weakref__{quote}"))),
            None => Ok(Edit::replace(value.range(), format!("({quote}__weakref__{quote},)"))),
        }
    }

    /// The property's return type from the attribute's annotation: `T` -> `Optional[T]` / `T | None`, quoted when
    /// it names something not yet defined where the class body runs.
    fn optional(&self, ann: &'a Expr, class: &Class<'a>) -> Result<(String, Option<Edit>), String> {
        let text = self.text(ann.range());
        if is_optional(self.sem, ann) {
            return Ok((text.to_string(), None));
        }
        let future = self.cx.module.body.iter().any(|s| {
            matches!(s, Stmt::ImportFrom(i) if i.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
                && i.names.iter().any(|n| n.name.as_str() == "annotations"))
        });
        let modern = self.cx.target.at_least(3, 10);
        if let Expr::StringLiteral(s) = ann {
            let inner = s.value.to_str();
            return if modern {
                Ok((format!("\"{inner} | None\""), None))
            } else {
                let (import, optional) =
                    ensure_import(self.cx, "typing", Some("Optional")).ok_or("the name `Optional` is taken")?;
                Ok((format!("{optional}[{text}]"), import))
            };
        }
        let needs_quotes = !future && {
            let mut late = LateNames { model: self, class, late: false };
            late.visit_expr(ann);
            late.late
        };
        let (body, import) = if modern {
            (format!("{text} | None"), None)
        } else {
            let (import, optional) =
                ensure_import(self.cx, "typing", Some("Optional")).ok_or("the name `Optional` is taken")?;
            (format!("{optional}[{text}]"), import)
        };
        if needs_quotes {
            Ok((format!("\"{}\"", body.replace(['"', '\''], "")), import))
        } else {
            Ok((body, import))
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Registries.

    fn registries(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut seen = FxHashSet::default();
        for (call, _) in &self.calls {
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            if !REGISTERING_METHODS.contains(&f.attr.as_str()) {
                continue;
            }
            let Some(bound) = call.arguments.args.iter().find(|a| self.is_own_bound_method(a)) else { continue };
            let Expr::Attribute(bm) = bound else { continue };
            let class = self.methods[self.self_method(&bm.value).unwrap_or_default()].class;
            let Some(registry) = self.registry(&f.value) else { continue };
            // One finding per registry and class: the fix (or the reason there is none) covers every registration.
            if !seen.insert((squash(self.text(f.value.range())), class)) {
                continue;
            }
            let cname = self.classes[class].name();
            let message = format!(
                "{} `{}` keeps the bound method `{}`, and with it every `{cname}` registered, until it is removed",
                registry.describe(),
                self.text(f.value.range()),
                self.text(bound.range())
            );
            findings.push(match self.weak_registry(&registry) {
                Ok(fix) => Finding::new(NAME, bound.range(), message, Some(fix)),
                Err(reason) => Finding::without_fix(NAME, bound.range(), message, reason),
            });
        }
        findings
    }

    /// `self.on_event` where `on_event` is a plain method of `self`'s class.
    fn is_own_bound_method(&self, e: &Expr) -> bool {
        let Expr::Attribute(a) = e else { return false };
        self.self_method(&a.value).is_some_and(|m| self.classes[self.methods[m].class].is_method(a.attr.as_str()))
    }

    /// What the receiver of `.register(...)` is, when it outlives the instances it is given.
    fn registry(&self, e: &'a Expr) -> Option<Registry<'a>> {
        match e {
            Expr::Name(n) => {
                let b = self.sem.resolve(n)?;
                let binding = self.sem.binding(b);
                if binding.scope != Semantic::MODULE || binding.kind != BindingKind::Assignment {
                    return None;
                }
                let Stmt::Assign(asg) = self.sem.stmt(binding.stmt?) else { return None };
                let kind = self.container_kind(&asg.value)?;
                let single = self.sem.scope(Semantic::MODULE).bindings_of(n.id.as_str()).len() == 1;
                Some(Registry::Module { name: n.id.as_str(), binding: b, kind, single })
            }
            Expr::Attribute(a) => {
                // `self._listeners` / `Widget._listeners`: a class attribute that no instance overrides.
                let owner = match self.self_method(&a.value) {
                    Some(m) => self.methods[m].class,
                    None => *self.class_of_binding.get(&self.binding_of_name(&a.value)?)?,
                };
                let Some(Member::Value(Stmt::Assign(asg))) = self.classes[owner].members.get(a.attr.as_str()) else {
                    return None;
                };
                self.container_kind(&asg.value)?;
                if !self.self_stores(owner, a.attr.as_str()).is_empty() {
                    return None;
                }

                Some(Registry::Class { class: owner, attr: a.attr.as_str() })
            }
            _ => None,
        }
    }

    /// `[]`, `set()`, `{}`, or an instance of a class of this module; `None` for what holds weakly or is unknown.
    fn container_kind(&self, value: &Expr) -> Option<ContainerKind> {
        match value {
            Expr::List(l) if l.elts.is_empty() => Some(ContainerKind::List),
            Expr::Set(_) => Some(ContainerKind::Set),
            Expr::Dict(d) if d.is_empty() => Some(ContainerKind::Other),
            Expr::Call(c) => {
                if self.instantiated(c).is_some() {
                    return Some(ContainerKind::Other);
                }
                let q = self.sem.resolve_qualified_name(&c.func)?;
                if WEAK_SIGNAL_LIBRARIES.iter().any(|l| q.starts_with(l)) {
                    return None;
                }
                match q.as_str() {
                    "builtins.list" if c.arguments.is_empty() => Some(ContainerKind::List),
                    "builtins.set" if c.arguments.is_empty() => Some(ContainerKind::Set),
                    "builtins.dict" | "collections.defaultdict" | "collections.OrderedDict" => {
                        Some(ContainerKind::Other)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Registers `weakref.WeakMethod(self.m)` and makes the loops that call the entries skip and prune dead ones,
    /// when every use of the registry is in this module and understood.
    fn weak_registry(&self, registry: &Registry<'a>) -> Result<Fix, String> {
        let hint = "hold the entries weakly: `weakref.WeakMethod(self.method)` for bound methods (call it to get the method, `None` once the object is gone), or a `weakref.WeakSet` / `weakref.WeakValueDictionary` of the objects";
        let (name, binding, kind, single) = match registry {
            Registry::Module { name, binding, kind, single } => (name, binding, kind, single),
            Registry::Class { class, attr } => {
                return Err(format!(
                    "`{}.{attr}` is a class attribute: subclasses and code elsewhere may add or call entries; {hint}",
                    self.classes[*class].name()
                ));
            }
        };
        if let Some(gc) = self.drives_gc {
            return Err(format!(
                "the module drives the cyclic collector (`{}`): the pinning may be what it tests; {hint}",
                self.text(gc)
            ));
        }
        if *kind == ContainerKind::Other {
            return Err(format!(
                "`{name}` is not a plain list or set, so pyfix cannot rewrite how its entries are called; {hint}"
            ));
        }
        if name.starts_with("__") || !name.starts_with('_') || !single {
            return Err(format!(
                "`{name}` is public (or rebound), so code in other modules may add or call entries; {hint}"
            ));
        }
        let Some((import, weakref)) = ensure_import(self.cx, "weakref", None) else {
            return Err("the name `weakref` is taken in this module".to_string());
        };
        let mut edits: Vec<Edit> = import.into_iter().collect();
        let mut loops = 0;
        for r in &self.sem.binding(*binding).references {
            let r = self.sem.reference(*r);
            let Some(sid) = r.stmt else { return Err(format!("`{name}` is used outside a statement; {hint}")) };
            let stmt = self.sem.stmt(sid);
            let path = self.sem.expr_path(stmt, r.range);
            let unknown = || {
                format!(
                    "`{}` (line {}) uses `{name}` in a way pyfix does not rewrite; {hint}",
                    first_line(self.text(stmt.range())),
                    self.line(stmt.start())
                )
            };
            match path.last() {
                // `_handlers.append(self.m)`, `.remove(self.m)`, `.clear()`
                Some(Expr::Attribute(m)) if m.value.range() == r.range => {
                    let call =
                        path.iter().rev().nth(1).and_then(|e| e.as_call_expr()).filter(|c| c.func.range() == m.range);
                    let Some(call) = call else { return Err(unknown()) };
                    match m.attr.as_str() {
                        "append" | "add" | "remove" | "discard" => {
                            let [arg] = &call.arguments.args[..] else { return Err(unknown()) };
                            if !call.arguments.keywords.is_empty() || !self.is_own_bound_method(arg) {
                                return Err(format!(
                                    "`{}` (line {}) registers something other than a bound method of `self`; {hint}",
                                    self.text(call.range()),
                                    self.line(call.start())
                                ));
                            }
                            edits.push(Edit::insert(arg.start(), format!("{weakref}.WeakMethod(")));
                            edits.push(Edit::insert(arg.end(), ")"));
                        }
                        "clear" => {}
                        _ => return Err(unknown()),
                    }
                }
                // `len(_handlers)`, `if _handlers:`
                Some(Expr::Call(c)) if matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "len") => {}
                None if matches!(stmt, Stmt::If(i) if i.test.range() == r.range) => {}
                // `for cb in _handlers:`
                None => {
                    let Stmt::For(f) = stmt else { return Err(unknown()) };
                    if f.iter.range() != r.range || f.is_async {
                        return Err(unknown());
                    }
                    let Expr::Name(target) = f.target.as_ref() else { return Err(unknown()) };
                    let Some(first) = f.body.first() else { return Err(unknown()) };
                    if !self.cx.source.starts_line(first.start()) {
                        return Err(format!(
                            "the loop over `{name}` (line {}) has its body on the `for` line",
                            self.line(f.start())
                        ));
                    }
                    let ref_name = self.cx.fresh_name(&["ref", "weak_ref"]);
                    let indent = self.cx.source.indent_at(first.start());
                    let u = self.cx.style.unit_below(indent);
                    let le = self.cx.style.line_ending;
                    let cb = target.id.as_str();
                    let prune = if *kind == ContainerKind::Set { "discard" } else { "remove" };
                    edits.push(Edit::replace(f.target.range(), ref_name.clone()));
                    edits.push(Edit::replace(f.iter.range(), format!("list({name})")));
                    edits.push(Edit::insert(
                        self.cx.source.line_start(first.start()),
                        format!("{indent}{cb} = {ref_name}(){le}{indent}if {cb} is None:{le}{indent}{u}{name}.{prune}({ref_name}){le}{indent}{u}continue{le}"),
                    ));
                    loops += 1;
                }
                _ => return Err(unknown()),
            }
        }
        if loops == 0 {
            return Err(format!("pyfix sees no loop that calls the entries of `{name}`; {hint}"));
        }
        Fix::unsafe_because(
            format!("Register `weakref.WeakMethod`s in `{name}` and skip dead entries when calling them"),
            format!("an object kept alive only by `{name}` is now freed and its callback stops firing; `{name}` holds `WeakMethod`s, not methods"),
            edits,
        )
        .ok_or_else(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Plain data and helpers.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape<'a> {
    /// The child's attribute refers to an owner that keeps the child (the owner's class, when known).
    Owner { owner: Option<usize> },
    /// The back link of a doubly linked pair.
    Linked { forward: &'a str },
    /// `self.x = self`.
    SelfRef,
    /// `self.handler = self.on_data`.
    BoundMethod { method: &'a str },
}

struct Candidate<'a> {
    /// The class whose attribute becomes weak.
    class: usize,
    attr: &'a str,
    shape: Shape<'a>,
    /// Where the module shows the other direction.
    evidence: TextRange,
    /// The `__init__` (or setter) parameter the attribute stores, for `self.parent = parent`.
    param: Option<&'a str>,
}

enum Weakable {
    Yes,
    /// Its `__slots__` lacks `__weakref__`, which can be added.
    NeedsSlot,
    No(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ContainerKind {
    List,
    Set,
    /// A dict, or an object of this module's own registry class.
    Other,
}

enum Registry<'a> {
    Module { name: &'a str, binding: BindingId, kind: ContainerKind, single: bool },
    Class { class: usize, attr: &'a str },
}

impl Registry<'_> {
    fn describe(&self) -> &'static str {
        match self {
            Registry::Module { .. } => "module-level registry",
            Registry::Class { .. } => "class-level registry",
        }
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

/// `Optional[T]`, `T | None`, `Union[T, None]`, `None`.
fn is_optional(sem: &Semantic, ann: &Expr) -> bool {
    match ann {
        Expr::NoneLiteral(_) => true,
        Expr::BinOp(b) if b.op == ast::Operator::BitOr => is_optional(sem, &b.left) || is_optional(sem, &b.right),
        Expr::Subscript(s) => match sem.resolve_qualified_name(&s.value).as_deref() {
            Some("typing.Optional" | "typing_extensions.Optional") => true,
            Some("typing.Union" | "typing_extensions.Union") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.iter().any(|e| is_optional(sem, e)),
                _ => false,
            },
            _ => false,
        },
        Expr::StringLiteral(s) => {
            let t = s.value.to_str();
            t.contains("None") || t.starts_with("Optional[")
        }
        _ => false,
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim_end_matches(['(', '[', '{', ' '])
}

/// Source text without whitespace, to compare two expressions.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Attribute and subscript stores, deletions and calls, each with its innermost statement.
struct Collector<'a> {
    stmt: Option<&'a Stmt>,
    stores: Vec<Store<'a>>,
    calls: Vec<(&'a ast::ExprCall, &'a Stmt)>,
    deleted: Vec<&'a Expr>,
}

impl<'a> Collector<'a> {
    fn store(&mut self, stmt: &'a Stmt, target: &'a Expr, value: Option<&'a Expr>, annotation: Option<&'a Expr>) {
        match target {
            Expr::Attribute(_) | Expr::Subscript(_) => self.stores.push(Store { stmt, target, value, annotation }),
            Expr::Tuple(t) => {
                // `self.a, self.b = a, b` pairs up.
                let values = match value {
                    Some(Expr::Tuple(v))
                        if v.elts.len() == t.elts.len() && !v.elts.iter().any(Expr::is_starred_expr) =>
                    {
                        Some(&v.elts)
                    }
                    _ => None,
                };
                for (i, e) in t.elts.iter().enumerate() {
                    self.store(stmt, e, values.map(|v| &v[i]), None);
                }
            }
            Expr::List(l) => l.elts.iter().for_each(|e| self.store(stmt, e, None, None)),
            Expr::Starred(s) => self.store(stmt, &s.value, None, None),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let saved = self.stmt.replace(stmt);
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| self.store(stmt, t, Some(&a.value), None)),
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.store(stmt, &a.target, Some(v), Some(&a.annotation));
                }
            }
            Stmt::AugAssign(a) => self.store(stmt, &a.target, None, None),
            Stmt::For(f) => self.store(stmt, &f.target, None, None),
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.store(stmt, v, None, None);
                    }
                }
            }
            Stmt::Delete(d) => {
                self.deleted.extend(d.targets.iter().filter(|t| t.is_attribute_expr()));
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
        self.stmt = saved;
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let (Expr::Call(call), Some(stmt)) = (expr, self.stmt) {
            self.calls.push((call, stmt));
        }
        visitor::walk_expr(self, expr);
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

/// Does an annotation name something not yet bound where the class statement starts (the class itself, a class
/// defined later)? Then it must be quoted in a `def` of the class body.
struct LateNames<'a, 'm, 'c> {
    model: &'m Model<'a, 'c>,
    class: &'m Class<'a>,
    late: bool,
}

impl<'a> Visitor<'a> for LateNames<'a, '_, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            let sem = self.model.sem;
            let at = self.class.def.start();
            let bound_before = sem.reference_of(n).and_then(|r| {
                let r = sem.reference(r);
                sem.lookup_at(n.id.as_str(), r.scope, at).filter(|b| sem.binding(*b).available <= at)
            });
            if bound_before.is_none() && !is_builtin(n.id.as_str()) {
                self.late = true;
            }
        }
        visitor::walk_expr(self, expr);
    }
}
