//! Which defaults are flagged and what evaluating one involves: the mutable kinds a literal or constructor builds,
//! module-level names bound once to one, and the names, calls and reads inside a default. Not what the function
//! does with the object (`flow`).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::Context;
use crate::semantic::{BindingId, BindingKind, Semantic, StmtId};

/// The mutable types a default can build; the word is what the fix title says it builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    List,
    Dict,
    Set,
    Bytearray,
    Defaultdict,
    OrderedDict,
    Deque,
    Counter,
}

impl Kind {
    pub(super) fn word(self) -> &'static str {
        match self {
            Kind::List => "list",
            Kind::Dict => "dict",
            Kind::Set => "set",
            Kind::Bytearray => "bytearray",
            Kind::Defaultdict => "defaultdict",
            Kind::OrderedDict => "OrderedDict",
            Kind::Deque => "deque",
            Kind::Counter => "Counter",
        }
    }
    pub(super) fn is_mapping(self) -> bool {
        matches!(self, Kind::Dict | Kind::Defaultdict | Kind::OrderedDict | Kind::Counter)
    }
}

/// What a flagged default is.
#[derive(Clone, Copy)]
pub(super) enum Shared<'a> {
    /// `[]`, `{}`, `set()`, `collections.deque(maxlen=3)`...: the guard rebuilds it from the same text.
    Built(Kind),
    /// `opts=DEFAULT_OPTS`, a module-level name bound once to a mutable value: the guard can only copy it.
    Module(&'a str, Kind),
}

impl Shared<'_> {
    pub(super) fn kind(self) -> Kind {
        match self {
            Shared::Built(k) | Shared::Module(_, k) => k,
        }
    }
}

/// A default this codemod flags, and what it is.
pub(super) fn shared<'a>(cx: &Context<'a>, default: &'a Expr) -> Option<Shared<'a>> {
    if let Some(kind) = built_kind(cx, default) {
        return Some(Shared::Built(kind));
    }
    let Expr::Name(n) = default else { return None };
    let binding = cx.semantic.resolve(n)?;
    if module_binding_once(cx, n.id.as_str()) != Some(binding) {
        return None;
    }
    let kind = built_kind(cx, module_value(cx, binding)?)?;
    Some(Shared::Module(n.id.as_str(), kind))
}

/// The kind of mutable value `expr` builds: a literal, a comprehension or a call of a known constructor.
pub(super) fn built_kind(cx: &Context, expr: &Expr) -> Option<Kind> {
    match expr {
        Expr::List(_) | Expr::ListComp(_) => Some(Kind::List),
        Expr::Dict(_) | Expr::DictComp(_) => Some(Kind::Dict),
        Expr::Set(_) | Expr::SetComp(_) => Some(Kind::Set),
        Expr::Call(call) => match cx.semantic.resolve_qualified_name(&call.func)?.as_str() {
            "builtins.list" => Some(Kind::List),
            "builtins.dict" => Some(Kind::Dict),
            "builtins.set" => Some(Kind::Set),
            "builtins.bytearray" => Some(Kind::Bytearray),
            "collections.defaultdict" => Some(Kind::Defaultdict),
            "collections.OrderedDict" => Some(Kind::OrderedDict),
            "collections.deque" => Some(Kind::Deque),
            "collections.Counter" => Some(Kind::Counter),
            _ => None,
        },
        _ => None,
    }
}

/// Calls a default may make without the guard changing behaviour: they build values and do nothing else.
pub(super) const PURE_CALLS: &[&str] = &[
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.frozenset",
    "builtins.tuple",
    "builtins.bytearray",
    "builtins.bytes",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.complex",
    "builtins.bool",
    "builtins.range",
    "builtins.len",
    "builtins.sorted",
    "builtins.reversed",
    "builtins.zip",
    "builtins.enumerate",
    "builtins.min",
    "builtins.max",
    "builtins.abs",
    "builtins.sum",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.deque",
    "collections.Counter",
];

/// The module's only binding of `name`, when module-level code binds it exactly once, outside any loop body, and no
/// function rebinds it through `global`: the same object for the module's life.
pub(super) fn module_binding_once(cx: &Context, name: &str) -> Option<BindingId> {
    let sem = cx.semantic;
    let mut real = sem
        .scope(Semantic::MODULE)
        .bindings_of(name)
        .iter()
        .filter(|b| sem.binding(**b).kind != BindingKind::Annotation);
    let (Some(&only), None) = (real.next(), real.next()) else { return None };
    let b = sem.binding(only);
    if matches!(b.kind, BindingKind::AugAssignment | BindingKind::Deletion | BindingKind::LoopTarget) {
        return None;
    }
    let stmt = b.stmt?;
    (sem.stmt_scope(stmt) == Semantic::MODULE && enclosing_loops(cx, stmt).is_empty()).then_some(only)
}

/// The value a plain `NAME = value` (or `NAME: T = value`) binding assigns.
pub(super) fn module_value<'a>(cx: &Context<'a>, binding: BindingId) -> Option<&'a Expr> {
    match cx.semantic.stmt(cx.semantic.binding(binding).stmt?) {
        Stmt::Assign(a) => match a.targets.as_slice() {
            [Expr::Name(_)] => Some(&a.value),
            _ => None,
        },
        Stmt::AnnAssign(a) if a.target.is_name_expr() => a.value.as_deref(),
        _ => None,
    }
}

/// The loops of the statement's own scope whose body holds it, innermost first.
fn enclosing_loops<'a>(cx: &Context<'a>, stmt: StmtId) -> Vec<&'a Stmt> {
    let sem = cx.semantic;
    let scope = sem.stmt_scope(stmt);
    let at = sem.stmt(stmt).range();
    sem.ancestors(stmt)
        .take_while(|a| sem.stmt_scope(*a) == scope)
        .map(|a| sem.stmt(a))
        .filter(|s| loop_span(s).is_some_and(|r| r.contains_range(at)))
        .collect()
}

/// A loop from its start to the end of its body (the target and the body, not the `else`).
fn loop_span(s: &Stmt) -> Option<TextRange> {
    let body = match s {
        Stmt::For(f) => &f.body,
        Stmt::While(w) => &w.body,
        _ => return None,
    };
    Some(TextRange::new(s.start(), body.last()?.end()))
}

/// The `def` sits in a loop of its scope that binds `name`: a default reading it sees this iteration's value.
pub(super) fn is_loop_variable(cx: &Context, def: StmtId, name: &str) -> bool {
    let sem = cx.semantic;
    let bindings = sem.scope(sem.stmt_scope(def)).bindings_of(name);
    enclosing_loops(cx, def)
        .iter()
        .filter_map(|l| loop_span(l))
        .any(|span| bindings.iter().any(|b| span.contains_range(sem.binding(*b).range)))
}

/// What evaluating a default involves, found by walking it: the names it reads from outside it (names that a
/// comprehension or lambda inside it binds are left out, as the model resolves them) and what else it does.
pub(super) struct DefaultParts<'a> {
    pub(super) names: Vec<&'a ast::ExprName>,
    /// Calls and reads whose result may differ between definition time and call time.
    pub(super) effects: Vec<Effect<'a>>,
    pub(super) walrus: Option<TextRange>,
    pub(super) suspends: bool,
    /// The expression being visited is the default itself or an element of its literal containers.
    element: bool,
}

pub(super) enum Effect<'a> {
    /// A call of `func` (a known constructor or pure builtin is fine).
    Call(&'a Expr),
    /// An attribute or item read: `cfg.items`, `TABLE[0]`.
    Read(TextRange),
    /// `mod.attr` held as an element of the default: fine when `mod` is an imported module.
    ModuleRead(TextRange, &'a Expr),
}

impl<'a> DefaultParts<'a> {
    pub(super) fn of(cx: &Context<'a>, default: &'a Expr) -> DefaultParts<'a> {
        let mut parts =
            DefaultParts { names: Vec::new(), effects: Vec::new(), walrus: None, suspends: false, element: true };
        parts.visit_expr(default);
        let sem = cx.semantic;
        let inside = default.range();
        parts.names.retain(|n| !sem.resolve(n).is_some_and(|b| inside.contains_range(sem.binding(b).range)));
        parts
    }
}

impl<'a> Visitor<'a> for DefaultParts<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) if n.ctx.is_load() => self.names.push(n),
            Expr::Named(n) => {
                self.walrus.get_or_insert(n.target.range());
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => self.suspends = true,
            Expr::Call(c) => {
                self.effects.push(Effect::Call(&c.func));
                // `collections.deque(...)`: the callee's attribute read is the constructor itself.
                if let Expr::Attribute(a) = c.func.as_ref() {
                    let element = std::mem::replace(&mut self.element, false);
                    self.visit_expr(&a.value);
                    self.visit_arguments(&c.arguments);
                    self.element = element;
                    return;
                }
            }
            // `[os.curdir]`: a module's attribute held as an element is the same object at call time.
            Expr::Attribute(a) if self.element && a.value.is_name_expr() => {
                self.effects.push(Effect::ModuleRead(expr.range(), &a.value));
            }
            Expr::Attribute(_) | Expr::Subscript(_) => self.effects.push(Effect::Read(expr.range())),
            _ => {}
        }
        let element = self.element;
        self.element = element && matches!(expr, Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_));
        visitor::walk_expr(self, expr);
        self.element = element;
    }
}

/// The default's contents: (holds something, its elements may be mutable).
pub(super) fn contents(default: &Expr) -> (bool, bool) {
    let constant = crate::codemods::is_constant_literal;
    match default {
        Expr::List(l) => (!l.elts.is_empty(), !l.elts.iter().all(constant)),
        Expr::Set(s) => (!s.elts.is_empty(), false),
        Expr::Dict(d) => (!d.items.is_empty(), !d.items.iter().all(|i| constant(&i.value))),
        Expr::Call(c) => (!c.arguments.is_empty(), !c.arguments.is_empty()),
        Expr::Name(_) => (true, true),
        _ => (true, true),
    }
}
