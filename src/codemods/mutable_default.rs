//! `mutable-default`: a list/dict/set default is built once, when the `def` runs, and shared by every call.
//! The fix defaults to `None` and builds the value in a guard at the top of the body; it declines (reports only)
//! where a guard would change what the default means. Every name and scope question goes to `cx.semantic`.
//! Users' docs: codemods/mutable_default/README.md.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, ParameterWithDefault, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::imports::ensure_import;
use crate::semantic::{self, BindingId, BindingKind, Reference, ScopeId, ScopeKind, ScopeNode, Semantic, StmtId};

pub struct MutableDefault;

impl Codemod for MutableDefault {
    fn name(&self) -> &'static str {
        "mutable-default"
    }
    fn summary(&self) -> &'static str {
        "a list/dict/set default built once and shared by every call -> `None` plus a guard [fix: safe, or unsafe when the guard could change behaviour]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/mutable_default/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        // Nothing runs in a stub: its defaults only document the interface.
        if cx.is_stub {
            return Vec::new();
        }
        let mut findings = Vec::new();
        for (id, scope) in cx.semantic.scopes() {
            match scope.node {
                ScopeNode::Function(f) => function(cx, id, f, &mut findings),
                ScopeNode::Lambda(l) => lambda(cx, l, &mut findings),
                _ => {}
            }
        }
        findings
    }
}

const NAME: &str = "mutable-default";

/// The mutable types a default can build; the word is what the fix title says it builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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
    fn word(self) -> &'static str {
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
    fn is_mapping(self) -> bool {
        matches!(self, Kind::Dict | Kind::Defaultdict | Kind::OrderedDict | Kind::Counter)
    }
}

/// What a flagged default is.
#[derive(Clone, Copy)]
enum Shared<'a> {
    /// `[]`, `{}`, `set()`, `collections.deque(maxlen=3)`...: the guard rebuilds it from the same text.
    Built(Kind),
    /// `opts=DEFAULT_OPTS`, a module-level name bound once to a mutable value: the guard can only copy it.
    Module(&'a str, Kind),
}

/// The kind of mutable value `expr` builds: a literal, a comprehension or a call of a known constructor.
fn built_kind(cx: &Context, expr: &Expr) -> Option<Kind> {
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
const PURE_CALLS: &[&str] = &[
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

/// Decorators known not to read the signature, so a default that turns into `None` is invisible to them.
const PLAIN_DECORATORS: &[&str] = &[
    "staticmethod",
    "classmethod",
    "property",
    "setter",
    "getter",
    "deleter",
    "wraps",
    "contextmanager",
    "asynccontextmanager",
    "override",
    "final",
    "cache",
    "lru_cache",
    "cached_property",
];

/// Every flagged default of one `def`, with one fix per applicability that covers all of them: guards land
/// in parameter order in a single edit, so a function with ten mutable defaults is fixed in one pass.
fn function<'a>(cx: &Context<'a>, scope: ScopeId, f: &'a StmtFunctionDef, findings: &mut Vec<Finding>) {
    let mut flagged: Vec<(&'a ParameterWithDefault, &'a Expr, Shared<'a>)> = Vec::new();
    for p in f.parameters.iter_non_variadic_params() {
        let Some(default) = p.default() else { continue };
        let Some(shared) = shared(cx, default) else { continue };
        // `def f(x=_marker): if x is _marker:` uses a module-level list as a sentinel: not a leak.
        if let Shared::Module(name, _) = shared {
            if compares_identity_with(cx, scope, p.name().as_str(), name) {
                continue;
            }
        }
        flagged.push((p, default, shared));
    }
    if flagged.is_empty() {
        return;
    }
    let needed: Vec<&str> = flagged
        .iter()
        .filter(|(_, _, shared)| matches!(shared, Shared::Built(_)))
        .flat_map(|(_, default, _)| DefaultParts::of(cx, default).names)
        .map(|n| n.id.as_str())
        .collect();
    let prologue = Prologue::of(cx, scope, f, &needed);
    let interface_only = interface_only(cx, scope, f);
    let verdicts: Vec<Verdict> = flagged
        .iter()
        .map(|(p, default, shared)| match &interface_only {
            Some(reason) => Verdict::NoFix(reason.clone()),
            None => verdict(cx, scope, f, &prologue, p, default, *shared),
        })
        .collect();
    let placement = match &prologue {
        Ok(pro) => placement(cx, f, pro),
        Err(reason) => Err(reason.clone()),
    };
    // Each fix covers its own default and every other one it may: the safe fix the safe ones, the unsafe fix all.
    let build = |safe_only: bool| -> Option<(Vec<Edit>, Option<String>)> {
        let placement = placement.as_ref().ok()?;
        let chosen: Vec<usize> = (0..flagged.len())
            .filter(|&i| match &verdicts[i] {
                Verdict::NoFix(_) => false,
                Verdict::Unsafe(_) => !safe_only,
                Verdict::Safe => true,
            })
            .collect();
        guards(cx, placement, chosen.iter().map(|&i| (flagged[i].0, flagged[i].1, flagged[i].2)))
    };
    let safe_fix = build(true);
    let all_fix = if verdicts.iter().any(|v| matches!(v, Verdict::Unsafe(_))) { build(false) } else { None };
    for ((_, default, shared), verdict) in flagged.iter().zip(&verdicts) {
        let message = message(cx, default, *shared);
        let title = match shared {
            Shared::Built(kind) => format!("Default to `None` and build the {} inside", kind.word()),
            Shared::Module(name, _) => format!("Default to `None` and copy `{name}` inside"),
        };
        let no_fix = |reason: String| Finding::without_fix(NAME, default.range(), message.clone(), reason);
        let finding = match verdict {
            Verdict::NoFix(reason) => no_fix(reason.clone()),
            _ if placement.is_err() => no_fix(placement.as_ref().err().cloned().unwrap_or_default()),
            Verdict::Safe => match &safe_fix {
                Some((edits, reason)) => {
                    Finding::new(NAME, default.range(), message, Fix::new(title, reason.clone(), edits.clone()))
                }
                None => no_fix("the guard cannot be placed without overlapping another edit".into()),
            },
            Verdict::Unsafe(reason) => match &all_fix {
                Some((edits, _)) => Finding::new(
                    NAME,
                    default.range(),
                    message,
                    Fix::unsafe_because(title, reason.clone(), edits.clone()),
                ),
                None => no_fix("the guard cannot be placed without overlapping another edit".into()),
            },
        };
        findings.push(finding);
    }
}

/// `lambda x=[]: ...`: reported, never fixed (a lambda has no statements to hold a guard).
fn lambda(cx: &Context, l: &ast::ExprLambda, findings: &mut Vec<Finding>) {
    for p in l.parameters.iter().flat_map(|ps| ps.iter_non_variadic_params()) {
        let Some(default) = p.default() else { continue };
        let Some(shared) = shared(cx, default) else { continue };
        findings.push(Finding::without_fix(
            NAME,
            default.range(),
            message(cx, default, shared),
            "a lambda has no body to put a guard in; rewrite it as a `def` first",
        ));
    }
}

/// A default this codemod flags, and what it is.
fn shared<'a>(cx: &Context<'a>, default: &'a Expr) -> Option<Shared<'a>> {
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

/// The module's only binding of `name`, when module-level code binds it exactly once, outside any loop body, and no
/// function rebinds it through `global`: the same object for the module's life.
fn module_binding_once(cx: &Context, name: &str) -> Option<BindingId> {
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
fn module_value<'a>(cx: &Context<'a>, binding: BindingId) -> Option<&'a Expr> {
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

/// `from __future__ import annotations`: annotations are never evaluated, so `X | None` works on any version.
fn lazy_annotations(cx: &Context) -> bool {
    let sem = cx.semantic;
    sem.scope(Semantic::MODULE)
        .bindings_of("annotations")
        .iter()
        .any(|b| matches!(&sem.binding(*b).kind, BindingKind::FromImport(q) if q == "__future__.annotations"))
}

/// Why the function's defaults only document an interface (`@overload`, abstract, `Protocol`, stub body).
fn interface_only(cx: &Context, scope: ScopeId, f: &StmtFunctionDef) -> Option<String> {
    let decorators: Vec<&str> = f.decorator_list.iter().filter_map(|d| decorator_name(&d.expression)).collect();
    if decorators.contains(&"overload") {
        return Some("an `@overload` signature: its default is never used".into());
    }
    if decorators.iter().any(|d| d.starts_with("abstract")) {
        return Some("an abstract method: its default only documents the interface".into());
    }
    if in_protocol(cx, scope) {
        return Some("a `Protocol` member: its default only documents the interface".into());
    }
    if f.body.iter().enumerate().all(|(i, s)| is_stub_stmt(s, i)) {
        return Some("the body is a stub: the default is never used".into());
    }
    None
}

/// The function is defined directly in a class that derives from `Protocol`.
fn in_protocol(cx: &Context, scope: ScopeId) -> bool {
    let Some(parent) = cx.semantic.scope(scope).parent else { return false };
    let ScopeNode::Class(c) = cx.semantic.scope(parent).node else { return false };
    c.arguments.as_ref().is_some_and(|args| {
        args.args.iter().any(|b| {
            let b = if let Expr::Subscript(s) = b { &s.value } else { b };
            last_segment(b) == Some("Protocol")
        })
    })
}

fn verdict(
    cx: &Context,
    scope: ScopeId,
    f: &StmtFunctionDef,
    prologue: &Result<Prologue, String>,
    p: &ParameterWithDefault,
    default: &Expr,
    shared: Shared,
) -> Verdict {
    let sem = cx.semantic;
    let name = p.name().as_str();
    if tests_none(cx, scope, name) {
        return Verdict::NoFix(format!(
            "`{name}` is already compared with `None`, so callers passing `None` would change meaning"
        ));
    }
    if is_memo(cx, scope, name, shared) {
        return Verdict::NoFix(format!(
            "`{name}` is a memo kept across calls on purpose, which is `unbounded-cache`'s business"
        ));
    }
    let Ok(prologue) = prologue else {
        return Verdict::Safe; // the placement error is reported instead
    };
    let mut unsafe_reason: Option<String> = None;
    match shared {
        Shared::Module(module_name, _) => {
            // `_b=BACKSLASH`, `registry=registry`: the module's object bound to a local on purpose (speed, or
            // a reference that survives module teardown at shutdown).
            if name.starts_with('_') || name == module_name {
                return Verdict::NoFix(format!(
                    "`{name}={module_name}` binds the module's object to a local on purpose; a copy would defeat that"
                ));
            }
            if prologue.body_binds(cx, scope, module_name) {
                return Verdict::NoFix(format!(
                    "the default reads `{module_name}`, which the function binds itself; inside the body it would mean the local"
                ));
            }
            unsafe_reason = Some(format!(
                "`{module_name}` is shared with the rest of the module: each call now gets a shallow copy, and the function's changes no longer reach `{module_name}`"
            ));
        }
        Shared::Built(_) => {
            let parts = DefaultParts::of(cx, default);
            if let Some(r) = parts.walrus {
                return Verdict::NoFix(format!(
                    "the default binds `{}` with `:=`; inside the function it would bind a local",
                    cx.source.slice(r)
                ));
            }
            if parts.suspends {
                return Verdict::NoFix(
                    "the default awaits or yields, which means something else inside the function".into(),
                );
            }
            let def_stmt = sem.scope(scope).stmt;
            for n in &parts.names {
                let id = n.id.as_str();
                if prologue.body_binds(cx, scope, id) {
                    return Verdict::NoFix(format!(
                        "the default reads `{id}`, which the function binds itself; inside the body it would mean the local"
                    ));
                }
                if prologue.imports(cx, scope, id) {
                    continue; // a local import of the same module: the guard goes after it
                }
                let binding = sem.resolve(n);
                let bound_in = binding.map(|b| sem.binding(b).scope);
                if bound_in.is_some_and(|s| sem.scope(s).kind == ScopeKind::Class) {
                    return Verdict::NoFix(format!(
                        "the default reads the class attribute `{id}`, which the method body cannot see"
                    ));
                }
                if def_stmt.is_some_and(|d| is_loop_variable(cx, d, id)) {
                    return Verdict::NoFix(format!(
                        "the default captures the loop variable `{id}`; a guard would see its last value"
                    ));
                }
                if unsafe_reason.is_some() {
                    continue;
                }
                unsafe_reason = match (binding, bound_in) {
                    (Some(b), Some(Semantic::MODULE)) => {
                        if module_binding_once(cx, id) != Some(b) {
                            Some(format!("the default reads `{id}`, which the module rebinds, on every call instead of once"))
                        } else if module_value(cx, b).is_some_and(|v| built_kind(cx, v).is_some()) {
                            Some(format!(
                                "the default reads the mutable `{id}` on every call instead of once, so later changes to it show"
                            ))
                        } else {
                            None
                        }
                    }
                    (Some(_), _) => Some(format!(
                        "the default reads `{id}` from the enclosing function on every call instead of once, after any rebinding"
                    )),
                    (None, _) => {
                        let star = sem.scope(Semantic::MODULE).star_import;
                        (star || !semantic::is_builtin(id)).then(|| {
                            format!("the default reads `{id}`, which pyfix cannot resolve, on every call instead of once")
                        })
                    }
                };
            }
            if unsafe_reason.is_none() {
                unsafe_reason = parts.effects.iter().find_map(|e| match e {
                    Effect::Call(func) => {
                        let known = sem.resolve_qualified_name(func).is_some_and(|q| PURE_CALLS.contains(&q.as_str()));
                        (!known).then(|| {
                            format!(
                                "the default calls `{}()`, which would now run on every call",
                                cx.source.slice(func.range())
                            )
                        })
                    }
                    Effect::Read(range) => {
                        Some(format!("the default reads `{}` on every call instead of once", cx.source.slice(*range)))
                    }
                });
            }
        }
    }
    if unsafe_reason.is_none() {
        unsafe_reason = f.decorator_list.iter().find_map(|d| {
            let plain = decorator_name(&d.expression).is_some_and(|n| PLAIN_DECORATORS.contains(&n));
            (!plain).then(|| {
                let shown = decorator_shown(cx, &d.expression);
                format!("the decorator `@{shown}` may read the signature, where the default is now `None`")
            })
        });
    }
    match unsafe_reason {
        Some(reason) => Verdict::Unsafe(reason),
        None => Verdict::Safe,
    }
}

/// The `def` sits in a loop of its scope that binds `name`: a default reading it sees this iteration's value.
fn is_loop_variable(cx: &Context, def: StmtId, name: &str) -> bool {
    let sem = cx.semantic;
    let bindings = sem.scope(sem.stmt_scope(def)).bindings_of(name);
    enclosing_loops(cx, def)
        .iter()
        .filter_map(|l| loop_span(l))
        .any(|span| bindings.iter().any(|b| span.contains_range(sem.binding(*b).range)))
}

/// The parameter's own binding in the function scope.
fn param_binding(cx: &Context, scope: ScopeId, name: &str) -> Option<BindingId> {
    let sem = cx.semantic;
    sem.scope(scope).bindings_of(name).iter().copied().find(|b| sem.binding(*b).kind == BindingKind::Parameter)
}

/// The uses of the parameter's own binding (loads in the body and in nested scopes that see it), in source order.
fn param_uses<'m, 'a>(cx: &'m Context<'a>, scope: ScopeId, name: &str) -> impl Iterator<Item = &'m Reference<'a>> {
    let sem = cx.semantic;
    param_binding(cx, scope, name)
        .into_iter()
        .flat_map(move |b| sem.binding(b).references.iter().map(move |r| sem.reference(*r)))
}

/// The expressions enclosing a use, outermost first.
fn use_path<'a>(cx: &Context<'a>, r: &Reference) -> Vec<&'a Expr> {
    match r.stmt {
        Some(s) => cx.semantic.expr_path(cx.semantic.stmt(s), r.range),
        None => Vec::new(),
    }
}

/// `x is None`, `x is not None`, `x == None`, `None != x`... in the function or any scope nested in it.
fn tests_none(cx: &Context, scope: ScopeId, name: &str) -> bool {
    let s = cx.semantic.scope(scope);
    s.facts.none_tests.contains(name) || s.children.iter().any(|c| tests_none(cx, *c, name))
}

/// `x is NAME` / `NAME is not x`: the default is a sentinel compared by identity.
fn compares_identity_with(cx: &Context, scope: ScopeId, param: &str, name: &str) -> bool {
    param_uses(cx, scope, param).any(|r| {
        let Some(Expr::Compare(c)) = use_path(cx, r).last().copied() else { return false };
        let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
        c.ops.iter().enumerate().any(|(i, op)| {
            let (l, rt) = (operands[i], operands[i + 1]);
            matches!(op, CmpOp::Is | CmpOp::IsNot)
                && ((l.range() == r.range && is_name(rt, name)) || (rt.range() == r.range && is_name(l, name)))
        })
    })
}

fn is_name(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == name)
}

/// A memo kept across calls on purpose: named like one (`_cache`, `memo`), or a mapping whose first use is a
/// lookup (`key in x`, `x[key]`, `x.get(key)`) and which is written later (`x[key] = ...`).
fn is_memo(cx: &Context, scope: ScopeId, name: &str, shared: Shared) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.contains("cache") || lower.contains("memo") {
        return true;
    }
    let kind = match shared {
        Shared::Built(k) | Shared::Module(_, k) => k,
    };
    if !kind.is_mapping() {
        return false;
    }
    let mut first_lookup: Option<TextSize> = None;
    let mut first_store: Option<TextSize> = None;
    for r in param_uses(cx, scope, name) {
        let path = use_path(cx, r);
        match path.as_slice() {
            [.., Expr::Compare(c)] => {
                let operands: Vec<&Expr> = std::iter::once(c.left.as_ref()).chain(c.comparators.iter()).collect();
                for (i, op) in c.ops.iter().enumerate() {
                    if matches!(op, CmpOp::In | CmpOp::NotIn) && operands[i + 1].range() == r.range {
                        first_lookup = first_lookup.min(Some(operands[i].start())).or(Some(operands[i].start()));
                    }
                }
            }
            [.., Expr::Subscript(s)] if s.value.range() == r.range => {
                let at = Some(s.start());
                if s.ctx.is_store() {
                    first_store = first_store.min(at).or(at);
                } else if s.ctx.is_load() {
                    first_lookup = first_lookup.min(at).or(at);
                }
            }
            [.., Expr::Call(c), Expr::Attribute(a)] if a.attr.as_str() == "get" && c.func.range() == a.range() => {
                let at = Some(c.start());
                first_lookup = first_lookup.min(at).or(at);
            }
            _ => {}
        }
    }
    matches!((first_lookup, first_store), (Some(l), Some(s)) if l < s)
}

/// What evaluating a default involves, found by walking it: the names it reads from outside it (names that a
/// comprehension or lambda inside it binds are left out, as the model resolves them) and what else it does.
struct DefaultParts<'a> {
    names: Vec<&'a ast::ExprName>,
    /// Calls and reads whose result may differ between definition time and call time.
    effects: Vec<Effect<'a>>,
    walrus: Option<TextRange>,
    suspends: bool,
}

enum Effect<'a> {
    /// A call of `func` (a known constructor or pure builtin is fine).
    Call(&'a Expr),
    /// An attribute or item read: `cfg.items`, `TABLE[0]`.
    Read(TextRange),
}

impl<'a> DefaultParts<'a> {
    fn of(cx: &Context<'a>, default: &'a Expr) -> DefaultParts<'a> {
        let mut parts = DefaultParts { names: Vec::new(), effects: Vec::new(), walrus: None, suspends: false };
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
                    self.visit_expr(&a.value);
                    self.visit_arguments(&c.arguments);
                    return;
                }
            }
            Expr::Attribute(_) | Expr::Subscript(_) => self.effects.push(Effect::Read(expr.range())),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

enum Verdict {
    Safe,
    Unsafe(String),
    NoFix(String),
}

/// The statements the guards go after: the docstring, leading `global`/`nonlocal` declarations, leading imports
/// (a local import of a module the default uses) and guards pyfix wrote in an earlier pass.
struct Prologue {
    /// Index of the first body statement after the prologue.
    first: usize,
    /// The body statements before `first`; `None` when there are none.
    span: Option<TextRange>,
}

impl Prologue {
    /// `needed`: the names the flagged defaults read; only leading imports that bind one of them stay above the guards.
    fn of(cx: &Context, scope: ScopeId, f: &StmtFunctionDef, needed: &[&str]) -> Result<Prologue, String> {
        let sem = cx.semantic;
        let body = &f.body;
        let mut first = 0;
        if body.first().is_some_and(ruff_python_ast::helpers::is_docstring_stmt) {
            first = 1;
        }
        let guarded: Vec<&str> = f
            .parameters
            .iter_non_variadic_params()
            .filter(|p| p.default().is_some_and(Expr::is_none_literal_expr))
            .map(|p| p.name().as_str())
            .collect();
        // The leading run of declarations, imports and guards; the guards go after the last one that must precede them.
        let mut at = first;
        while let Some(stmt) = body.get(at) {
            let must_precede = match stmt {
                Stmt::Global(_) | Stmt::Nonlocal(_) => true,
                Stmt::Import(_) | Stmt::ImportFrom(_) => {
                    let id = sem.stmt_id(stmt);
                    needed.iter().any(|n| {
                        sem.scope(scope).bindings_of(n).iter().any(|b| id.is_some() && sem.binding(*b).stmt == id)
                    })
                }
                Stmt::If(i) if is_guard(i).is_some_and(|n| guarded.contains(&n)) => true,
                _ => break,
            };
            at += 1;
            if must_precede {
                first = at;
            }
        }
        if first >= body.len() {
            return Err("the body has nothing after its docstring and declarations to put the guard before".into());
        }
        let span = (first > 0).then(|| TextRange::new(body[0].start(), body[first - 1].end()));
        Ok(Prologue { first, span })
    }

    fn in_prologue(&self, range: TextRange) -> bool {
        self.span.is_some_and(|s| s.contains_range(range))
    }

    /// The function binds `name` itself outside the prologue (a parameter, an assignment, a later import...).
    fn body_binds(&self, cx: &Context, scope: ScopeId, name: &str) -> bool {
        let sem = cx.semantic;
        sem.scope(scope).bindings_of(name).iter().any(|b| !self.in_prologue(sem.binding(*b).range))
    }

    /// The prologue binds `name` (a leading local import).
    fn imports(&self, cx: &Context, scope: ScopeId, name: &str) -> bool {
        let sem = cx.semantic;
        sem.scope(scope).bindings_of(name).iter().any(|b| self.in_prologue(sem.binding(*b).range))
    }
}

/// `if x is None:` + `x = ...` and nothing else: a guard, maybe one pyfix wrote. Returns `x`.
fn is_guard(i: &ast::StmtIf) -> Option<&str> {
    if !i.elif_else_clauses.is_empty() || i.body.len() != 1 {
        return None;
    }
    let Expr::Compare(c) = i.test.as_ref() else { return None };
    let (Expr::Name(n), [CmpOp::Is], [Expr::NoneLiteral(_)]) = (c.left.as_ref(), &*c.ops, &*c.comparators) else {
        return None;
    };
    let Stmt::Assign(a) = &i.body[0] else { return None };
    match a.targets.as_slice() {
        [Expr::Name(t)] if t.id == n.id => Some(n.id.as_str()),
        _ => None,
    }
}

/// Where the guards go and how the text around them changes.
struct Placement {
    /// The indentation of the body.
    indent: String,
    /// `def f(x=[]): "doc"; return x`: the body moves off the `def` line first.
    expand: Option<Edit>,
    /// Replaced by `before` + the guards + `after`.
    at: TextRange,
    before: String,
    after: String,
}

fn placement(cx: &Context, f: &StmtFunctionDef, pro: &Prologue) -> Result<Placement, String> {
    let le = cx.style.line_ending;
    let body = &f.body;
    let (Some(head), Some(target)) = (body.first(), body.get(pro.first)) else {
        return Err("the function has no body to put the guard in".into());
    };
    if cx.source.starts_line(target.start()) {
        // The guards go on their own lines, after the prologue's last line (or the `def` line): comments that
        // sit above the first statement stay with it.
        let after = match pro.first.checked_sub(1) {
            Some(prev) => body[prev].end(),
            None => colon(cx, f).ok_or("cannot find the `:` that ends the `def` line")?,
        };
        let at = cx.source.next_line_start(after);
        if at > target.start() {
            return Err("the body shares a line with its docstring or declarations".into());
        }
        return Ok(Placement {
            indent: cx.source.indent_at(target.start()).to_string(),
            expand: None,
            at: TextRange::empty(at),
            before: String::new(),
            after: String::new(),
        });
    }
    if cx.source.starts_line(head.start()) {
        // `x = 1; return x`: split after the statement before the target.
        let indent = cx.source.indent_at(head.start()).to_string();
        let prev = &body[pro.first - 1];
        return Ok(Placement {
            at: TextRange::new(prev.end(), target.start()),
            before: le.to_string(),
            after: indent.clone(),
            indent,
            expand: None,
        });
    }
    // def f(x=[]): return x  <- body on the def line: move it to a block of its own.
    let colon = colon(cx, f).ok_or("cannot find the `:` that ends the `def` line")?;
    let def_indent = cx.source.indent_at(colon);
    let indent = format!("{def_indent}{}", cx.style.unit_below(def_indent));
    let gap = TextRange::new(colon + TextSize::from(1), head.start());
    if pro.first == 0 {
        return Ok(Placement { at: gap, before: le.to_string(), after: indent.clone(), indent, expand: None });
    }
    let prev = &body[pro.first - 1];
    Ok(Placement {
        expand: Some(Edit::replace(gap, format!("{le}{indent}"))),
        at: TextRange::new(prev.end(), target.start()),
        before: le.to_string(),
        after: indent.clone(),
        indent,
    })
}

/// The offset of the `:` that ends the `def` signature.
fn colon(cx: &Context, f: &StmtFunctionDef) -> Option<TextSize> {
    let from = f.returns.as_ref().map_or(f.parameters.end(), |r| r.end());
    let to = f.body.first()?.start();
    let gap = cx.source.slice(TextRange::new(from, to));
    // Between `)` (or the return annotation) and the body there is only whitespace, `->` and comments.
    let mut in_comment = false;
    for (i, ch) in gap.char_indices() {
        match ch {
            '#' => in_comment = true,
            '\n' | '\r' => in_comment = false,
            ':' if !in_comment => return Some(from + TextSize::try_from(i).ok()?),
            _ => {}
        }
    }
    None
}

/// The edits for `chosen` defaults: each becomes `None` (its annotation admits `None`), and their guards are
/// written in parameter order in one edit. The reason is set when the fix must be unsafe whatever the verdict.
fn guards<'p>(
    cx: &Context,
    place: &Placement,
    chosen: impl Iterator<Item = (&'p ParameterWithDefault, &'p Expr, Shared<'p>)>,
) -> Option<(Vec<Edit>, Option<String>)> {
    let le = cx.style.line_ending;
    let unit = cx.style.unit_below(&place.indent).to_string();
    let mut edits = Vec::new();
    let mut text = String::new();
    let mut reason = None;
    for (p, default, shared) in chosen {
        let name = p.name().as_str();
        edits.push(Edit::replace(default.range(), "None"));
        if let Some(ann) = p.annotation() {
            match optional(cx, ann) {
                Ok(more) => edits.extend(more),
                Err(why) => reason = reason.or(Some(why)),
            }
        }
        let value = match shared {
            Shared::Built(_) => moved_text(cx, default, &format!("{}{unit}", place.indent)),
            Shared::Module(module_name, _) => format!("{module_name}.copy()"),
        };
        text.push_str(&format!("{0}if {name} is None:{le}{0}{unit}{name} = {value}{le}", place.indent));
    }
    if text.is_empty() {
        return None;
    }
    edits.push(Edit::replace(place.at, format!("{}{text}{}", place.before, place.after)));
    edits.extend(place.expand.clone());
    Some((edits, reason))
}

/// The default's source text for the guard line, continuation lines moved to sit under `indent`. Lines that
/// start inside a string literal are string content and stay byte for byte.
fn moved_text(cx: &Context, default: &Expr, indent: &str) -> String {
    let range = default.range();
    let old = cx.source.indent_at(range.start());
    let mut out = String::new();
    let mut last = range.start();
    for at in cx.source.code_line_starts(range) {
        out.push_str(cx.source.slice(TextRange::new(last, at)));
        let line = &cx.source.text()[usize::from(at)..usize::from(range.end())];
        let current = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        match current.strip_prefix(old) {
            Some(rest) => {
                out.push_str(indent);
                out.push_str(rest);
            }
            None => out.push_str(current),
        }
        last = at + TextSize::of(current);
    }
    out.push_str(cx.source.slice(TextRange::new(last, range.end())));
    out
}

/// Edits that make `ann` admit `None` (none when it already does): `X | None` where the target or
/// `from __future__ import annotations` allows it, else `Optional[X]` with the import added.
fn optional(cx: &Context, ann: &Expr) -> Result<Vec<Edit>, String> {
    if admits_none(cx, ann) {
        return Ok(Vec::new());
    }
    if let Expr::StringLiteral(s) = ann {
        // "list[int]" -> "list[int] | None": never evaluated at run time unless someone asks, then on 3.10+.
        let text = cx.source.slice(ann.range());
        let quote = text.chars().next().filter(|q| *q == '"' || *q == '\'');
        let simple = !s.value.is_implicit_concatenated()
            && quote.is_some_and(|q| text.ends_with(q) && !text.starts_with(&format!("{q}{q}{q}")));
        if simple {
            return Ok(vec![Edit::insert(ann.end() - TextSize::from(1), " | None")]);
        }
    }
    let pep604 = lazy_annotations(cx) || cx.target.at_least(3, 10);
    let binds_tightly =
        matches!(ann, Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::BinOp(_) | Expr::Call(_));
    if pep604 && binds_tightly && !matches!(ann, Expr::StringLiteral(_)) {
        return Ok(vec![Edit::insert(ann.end(), " | None")]);
    }
    let Some((import, optional)) = ensure_import(cx, "typing", Some("Optional")) else {
        return Err("`typing.Optional` cannot be imported here, so the annotation still excludes `None`".into());
    };
    let mut edits = vec![Edit::insert(ann.start(), format!("{optional}[")), Edit::insert(ann.end(), "]")];
    edits.extend(import);
    Ok(edits)
}

/// `Optional[X]`, `X | None`, `Union[X, None]`, `Any`, `object`, a string annotation that mentions `None`...
fn admits_none(cx: &Context, ann: &Expr) -> bool {
    match ann {
        Expr::NoneLiteral(_) => true,
        Expr::Name(_) | Expr::Attribute(_) => matches!(last_segment(ann), Some("Any" | "object")),
        Expr::Subscript(s) => match last_segment(&s.value) {
            Some("Optional") => true,
            Some("Union") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.iter().any(|e| admits_none(cx, e)),
                other => admits_none(cx, other),
            },
            Some("Annotated") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.first().is_some_and(|e| admits_none(cx, e)),
                other => admits_none(cx, other),
            },
            _ => false,
        },
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => admits_none(cx, &b.left) || admits_none(cx, &b.right),
        Expr::StringLiteral(_) => {
            let text = cx.source.slice(ann.range());
            ["None", "Optional", "Any", "object"].iter().any(|w| text.contains(w))
        }
        _ => false,
    }
}

fn message(cx: &Context, default: &Expr, shared: Shared) -> String {
    let text = cx.source.slice(default.range());
    let shown = if text.len() <= 32 && !text.contains(['\n', '\r']) {
        text.to_string()
    } else {
        match default {
            Expr::List(_) => "[...]".to_string(),
            Expr::Dict(_) | Expr::Set(_) => "{...}".to_string(),
            Expr::ListComp(_) => "[... for ...]".to_string(),
            Expr::DictComp(_) | Expr::SetComp(_) => "{... for ...}".to_string(),
            Expr::Call(c) => format!("{}(...)", cx.source.slice(c.func.range())),
            _ => "...".to_string(),
        }
    };
    match shared {
        Shared::Built(_) => format!("default `{shown}` is shared by every call"),
        Shared::Module(_, kind) => format!("default `{shown}` is a module-level {} shared by every call", kind.word()),
    }
}

/// `...`, `pass`, a docstring (first) or `raise NotImplementedError`: a body that never uses a default.
fn is_stub_stmt(stmt: &Stmt, index: usize) -> bool {
    match stmt {
        Stmt::Pass(_) => true,
        Stmt::Expr(e) => {
            e.value.is_ellipsis_literal_expr() || (index == 0 && ruff_python_ast::helpers::is_docstring_stmt(stmt))
        }
        Stmt::Raise(r) => r.exc.as_deref().is_some_and(|exc| {
            let exc = if let Expr::Call(c) = exc { c.func.as_ref() } else { exc };
            last_segment(exc) == Some("NotImplementedError")
        }),
        _ => false,
    }
}

/// The last name of a dotted name: `typing.Protocol` -> `Protocol`.
fn last_segment(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// `@functools.wraps(f)` -> `wraps`, `@x.setter` -> `setter`.
fn decorator_name(e: &Expr) -> Option<&str> {
    let e = if let Expr::Call(c) = e { c.func.as_ref() } else { e };
    last_segment(e)
}

/// The decorator as written, without its arguments, for messages.
fn decorator_shown<'t>(cx: &Context<'t>, e: &Expr) -> &'t str {
    let e = if let Expr::Call(c) = e { c.func.as_ref() } else { e };
    cx.source.slice(e.range())
}
