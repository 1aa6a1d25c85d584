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
use crate::semantic::{
    self, BindingId, BindingKind, Reference, ReferenceId, ReferenceKind, ScopeId, ScopeKind, ScopeNode, Semantic,
    StmtId,
};

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
                ScopeNode::Lambda(l) => lambda(cx, id, l, &mut findings),
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

impl Shared<'_> {
    fn kind(self) -> Kind {
        match self {
            Shared::Built(k) | Shared::Module(_, k) => k,
        }
    }
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
    let verdicts: Vec<Verdict> =
        flagged.iter().map(|(p, default, shared)| verdict(cx, scope, f, &prologue, p, default, *shared)).collect();
    // Defaults that are only read, and memos, are not reported.
    let (flagged, verdicts): (Vec<_>, Vec<_>) =
        flagged.into_iter().zip(verdicts).filter(|(_, v)| !matches!(v, Verdict::Skip)).unzip();
    if flagged.is_empty() {
        return;
    }
    let placement = match &prologue {
        Ok(pro) => placement(cx, f, pro),
        Err(reason) => Err(reason.clone()),
    };
    // Each fix covers its own default and every other one it may: the safe fix the safe ones, the unsafe fix all.
    let build = |safe_only: bool| -> Option<(Vec<Edit>, Option<String>)> {
        let placement = placement.as_ref().ok()?;
        let chosen: Vec<usize> = (0..flagged.len())
            .filter(|&i| match &verdicts[i] {
                Verdict::NoFix(_) | Verdict::Skip => false,
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
            Verdict::Skip => continue,
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
fn lambda(cx: &Context, scope: ScopeId, l: &ast::ExprLambda, findings: &mut Vec<Finding>) {
    for p in l.parameters.iter().flat_map(|ps| ps.iter_non_variadic_params()) {
        let Some(default) = p.default() else { continue };
        let Some(shared) = shared(cx, default) else { continue };
        let flow = Tracer::new(cx, default, shared.kind()).trace(scope, p.name().as_str(), 0);
        if flow.leak.is_none() && flow.returned.is_none() && flow.unknown.is_none() {
            continue;
        }
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
    let flow = Tracer::new(cx, default, shared.kind()).trace(scope, name, 0);
    let leak = flow.leak.as_ref().or(flow.returned.as_ref());
    if leak.is_none() && flow.unknown.is_none() && flow.namespace.is_none() && flow.state.is_none() {
        return Verdict::Skip; // only read: nothing leaks
    }
    if leak.is_some() && is_memo(cx, scope, name, shared) {
        return Verdict::Skip; // a memo: `unbounded-cache` bounds it
    }
    if let Some(why) = inspected(cx, scope) {
        return Verdict::NoFix(why);
    }
    if let Shared::Module(module_name, _) = shared {
        // `_b=BACKSLASH`, `registry=registry`: the module's object bound to a local on purpose (speed, or
        // a reference that survives module teardown at shutdown).
        if name.starts_with('_') || name == module_name {
            return Verdict::NoFix(format!(
                "`{name}={module_name}` binds the module's object to a local on purpose; a copy would defeat that"
            ));
        }
    }
    if let Some(how) = &flow.namespace {
        return Verdict::NoFix(format!("{how}: a namespace kept across calls on purpose"));
    }
    if let (None, None, Some(how)) = (leak, &flow.unknown, &flow.state) {
        return Verdict::NoFix(format!("{how}: state kept across calls on purpose, not a leak"));
    }
    if let (None, Some(_)) = (leak, &flow.unknown) {
        if local_only(cx, scope).is_some() {
            return Verdict::Skip; // lives for one call of the enclosing function, and nothing shows it grows
        }
    }
    if let Some(outer) = local_only(cx, scope) {
        let inner = function_name(cx, scope);
        return Verdict::NoFix(format!(
            "`{inner}` is defined anew by each call of `{outer}` and never leaves it: the default lives for one call of `{outer}`, shared by the calls of `{inner}` on purpose"
        ));
    }
    if matches!(shared, Shared::Built(_)) && name.starts_with('_') && !passed_by_some_call(cx, scope, f, name) {
        return Verdict::NoFix(format!(
            "`{name}` is private and no call in the module passes it: state kept across calls on purpose"
        ));
    }
    if let Some(callee) = &flow.none_callee {
        return Verdict::NoFix(format!(
            "`{name}` is passed to `{callee}`, which treats `None` differently, so callers passing `None` would change meaning"
        ));
    }
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
                    Effect::ModuleRead(range, module) => {
                        let is_module = match module {
                            Expr::Name(n) => sem.resolve(n).is_some_and(|b| {
                                matches!(sem.binding(b).kind, BindingKind::Import(_))
                                    && module_binding_once(cx, n.id.as_str()) == Some(b)
                            }),
                            _ => false,
                        };
                        (!is_module).then(|| {
                            format!("the default reads `{}` on every call instead of once", cx.source.slice(*range))
                        })
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
    if unsafe_reason.is_none() {
        unsafe_reason = flow.unknown.map(|callee| {
            format!("`{name}` is passed to `{callee}()`, which pyfix cannot see: it may keep the object or treat `None` differently")
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
/// lookup (`key in x`, `x[key]`, `x.get(key)`), which is written later (`x[key] = ...`) and whose hit is returned.
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
    matches!((first_lookup, first_store), (Some(l), Some(s)) if l < s) && returns_lookup(cx, scope, name)
}

/// What evaluating a default involves, found by walking it: the names it reads from outside it (names that a
/// comprehension or lambda inside it binds are left out, as the model resolves them) and what else it does.
struct DefaultParts<'a> {
    names: Vec<&'a ast::ExprName>,
    /// Calls and reads whose result may differ between definition time and call time.
    effects: Vec<Effect<'a>>,
    walrus: Option<TextRange>,
    suspends: bool,
    /// The expression being visited is the default itself or an element of its literal containers.
    element: bool,
}

enum Effect<'a> {
    /// A call of `func` (a known constructor or pure builtin is fine).
    Call(&'a Expr),
    /// An attribute or item read: `cfg.items`, `TABLE[0]`.
    Read(TextRange),
    /// `mod.attr` held as an element of the default: fine when `mod` is an imported module.
    ModuleRead(TextRange, &'a Expr),
}

impl<'a> DefaultParts<'a> {
    fn of(cx: &Context<'a>, default: &'a Expr) -> DefaultParts<'a> {
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

enum Verdict {
    /// Not reported: the default is only read, or it is a memo (`unbounded-cache`'s business).
    Skip,
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
    let pep604 = lazy_annotations(cx) || cx.target.at_least(3, 10) || writes_pep604(cx);
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

/// What a function does with its default object, found from the uses of the parameter's binding (and of local
/// names bound to the same object), following calls into functions of the module.
#[derive(Default, Debug)]
struct Flow {
    /// The object grows, or is stored where it outlives the call: the leak. Says how.
    leak: Option<String>,
    /// The object is returned (or yielded): a leak for the function itself, "the call's value is the object" for a
    /// callee pyfix follows.
    returned: Option<String>,
    /// Handed to a callee pyfix cannot see.
    unknown: Option<String>,
    /// Changed in place without growing: a counter, a flag, a cell, a first-call initialisation.
    state: Option<String>,
    /// Used as the globals or locals of `exec`/`eval`.
    namespace: Option<String>,
    /// Handed to a callee that treats `None` differently.
    none_callee: Option<String>,
}

impl Flow {
    fn merge(&mut self, other: Flow) {
        self.leak = self.leak.take().or(other.leak);
        self.unknown = self.unknown.take().or(other.unknown);
        self.state = self.state.take().or(other.state);
        self.namespace = self.namespace.take().or(other.namespace);
        self.none_callee = self.none_callee.take().or(other.none_callee);
    }
}

/// Methods that add to a list, dict, set, deque or Counter.
const GROW_METHODS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "setdefault",
    "appendleft",
    "extendleft",
    "subtract",
    "symmetric_difference_update",
    "__setitem__",
    "__iadd__",
    "__ior__",
];
/// Methods that change the object in place without adding to it.
const SHRINK_METHODS: &[&str] = &[
    "pop",
    "popitem",
    "popleft",
    "remove",
    "discard",
    "clear",
    "sort",
    "reverse",
    "rotate",
    "intersection_update",
    "difference_update",
    "__delitem__",
];
/// Methods whose result is (or holds) an element of the object.
const ELEMENT_METHODS: &[&str] = &["get", "pop", "popitem", "popleft", "setdefault", "copy", "__getitem__"];
/// Methods of another object that keep their argument. (A queue's `put` hands it to a consumer pyfix cannot see.)
const STORING_METHODS: &[&str] =
    &["append", "add", "insert", "appendleft", "register", "push", "setdefault", "__setitem__"];
/// Methods of another object that only read their argument (copy its elements, format it...).
const READING_METHODS: &[&str] = &[
    "extend",
    "update",
    "join",
    "format",
    "startswith",
    "endswith",
    "index",
    "count",
    "issubset",
    "issuperset",
    "isdisjoint",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "difference_update",
    "intersection_update",
    "__contains__",
    "write",
    "writelines",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
];
/// Calls that only read their arguments (or copy them) and keep nothing.
const READING_CALLS: &[&str] = &[
    "builtins.len",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.sorted",
    "builtins.reversed",
    "builtins.iter",
    "builtins.enumerate",
    "builtins.zip",
    "builtins.map",
    "builtins.filter",
    "builtins.sum",
    "builtins.min",
    "builtins.max",
    "builtins.any",
    "builtins.all",
    "builtins.print",
    "builtins.str",
    "builtins.repr",
    "builtins.bool",
    "builtins.isinstance",
    "builtins.issubclass",
    "builtins.hash",
    "builtins.id",
    "builtins.type",
    "builtins.format",
    "builtins.hasattr",
    "builtins.getattr",
    "builtins.callable",
    "builtins.bytes",
    "builtins.bytearray",
    "copy.copy",
    "copy.deepcopy",
    "json.dumps",
    "json.dump",
    "pprint.pprint",
    "pprint.pformat",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.deque",
    "collections.ChainMap",
    "itertools.chain",
    "itertools.product",
    "functools.reduce",
];
/// Known APIs where `None` for this argument means something else than an empty mapping or list: (callee, keyword,
/// position).
const NONE_APIS: &[(&str, &str, Option<usize>)] = &[
    ("subprocess.Popen", "env", None),
    ("subprocess.run", "env", None),
    ("subprocess.call", "env", None),
    ("subprocess.check_call", "env", None),
    ("subprocess.check_output", "env", None),
    ("asyncio.create_subprocess_exec", "env", None),
    ("asyncio.create_subprocess_shell", "env", None),
    ("os.execve", "env", Some(2)),
    ("os.execvpe", "env", Some(2)),
    ("os.execle", "env", None),
    ("os.spawnve", "env", Some(3)),
    ("os.spawnvpe", "env", Some(3)),
    ("os.posix_spawn", "env", Some(2)),
    ("os.posix_spawnp", "env", Some(2)),
    ("copy.deepcopy", "memo", Some(1)),
];

/// How deep `Flow` follows calls into functions of the module.
const MAX_DEPTH: usize = 3;

/// Follows the uses of one parameter.
struct Tracer<'c, 'a> {
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
    fn new(cx: &'c Context<'a>, default: &Expr, kind: Kind) -> Self {
        // `opts=DEFAULTS`: what matters is the module's value.
        let value = match default {
            Expr::Name(n) => cx.semantic.resolve(n).and_then(|b| module_value(cx, b)).unwrap_or(default),
            _ => default,
        };
        let (nonempty, elements_mutable) = contents(value);
        Tracer { cx, kind, nonempty, elements_mutable, visiting: Vec::new() }
    }

    /// What the function `scope` does with its parameter `name`. `depth` 0 is the function with the default.
    fn trace(&mut self, scope: ScopeId, name: &str, depth: usize) -> Flow {
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
                        if !held.derived
                            && !held.contained
                            && (GROW_METHODS.contains(&m) || SHRINK_METHODS.contains(&m))
                        {
                            // `cb = x.append`: a bound method that can change the object later.
                            flow.leak.get_or_insert(format!("`{}` is handed out", shown(a.range())));
                        }
                        return; // `x.__class__`, `x.keys`: read
                    };
                    if held.contained {
                        return;
                    }
                    let m = a.attr.as_str();
                    if GROW_METHODS.contains(&m) {
                        if held.derived {
                            flow.leak.get_or_insert(format!("`{}` grows an element of it", shown(c.range())));
                        } else {
                            self.grows(r, stmt_id, &shown(c.range()), flow);
                        }
                        return;
                    }
                    if SHRINK_METHODS.contains(&m) && (held.derived || self.nonempty) {
                        flow.state
                            .get_or_insert(format!("`{}` changes it in place without growing it", shown(c.range())));
                    }
                    if !ELEMENT_METHODS.contains(&m) {
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
                    let fixed = super::is_constant_literal(&s.slice);
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
            // `self.names = names` where nothing in the module ever changes `.names`: read through the instance.
            Expr::Attribute(a) if is_name(&a.value, "self") && !is_attribute_changed(self.cx, a.attr.as_str()) => {}
            Expr::Attribute(_) | Expr::Subscript(_) if outlives => {
                flow.leak.get_or_insert(format!("`{} = ...` stores it", self.cx.source.slice(target.range())));
            }
            _ => {}
        }
    }

    /// Growth at `r`: the leak, or a first-call initialisation when it only happens while the object is empty.
    fn grows(&self, r: &Reference, stmt: StmtId, what: &str, flow: &mut Flow) {
        if under_emptiness_test(self.cx, stmt, r.name) {
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
                flow.leak.get_or_insert(format!("`{callee}()` stores it"));
                return false;
            }
        }
        if held.derived && !self.elements_mutable {
            return false;
        }
        if let Expr::Attribute(a) = c.func.as_ref() {
            let m = a.attr.as_str();
            if !is_self_call(a) && sem.resolve_qualified_name(&a.value).is_none() {
                if STORING_METHODS.contains(&m) {
                    flow.leak.get_or_insert(format!("`{}` stores it", cx.source.slice(c.range())));
                    return false;
                }
                if READING_METHODS.contains(&m) {
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
        if targets.is_empty() && matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str().starts_with("assert"))
        {
            return false; // `self.assertEqual(x, ...)`: unittest's assertions only read
        }
        if targets.is_empty() || depth >= MAX_DEPTH {
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

/// The default's contents: (holds something, its elements may be mutable).
fn contents(default: &Expr) -> (bool, bool) {
    fn constant(e: &Expr) -> bool {
        match e {
            Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => true,
            Expr::UnaryOp(u) => constant(&u.operand),
            Expr::Tuple(t) => t.elts.iter().all(constant),
            _ => false,
        }
    }
    match default {
        Expr::List(l) => (!l.elts.is_empty(), !l.elts.iter().all(constant)),
        Expr::Set(s) => (!s.elts.is_empty(), false),
        Expr::Dict(d) => (!d.items.is_empty(), !d.items.iter().all(|i| constant(&i.value))),
        Expr::Call(c) => (!c.arguments.is_empty(), !c.arguments.is_empty()),
        Expr::Name(_) => (true, true),
        _ => (true, true),
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

/// `self.m(...)`, `cls.m(...)`, `super().m(...)`.
fn is_self_call(a: &ast::ExprAttribute) -> bool {
    match a.value.as_ref() {
        Expr::Name(n) => matches!(n.id.as_str(), "self" | "cls"),
        Expr::Call(c) => is_name(&c.func, "super"),
        _ => false,
    }
}

/// The functions of the module a call made in scope `from` may run, and whether the first parameter is bound by the
/// call (a method called on `self`, or a class constructed).
fn callees(cx: &Context, c: &ast::ExprCall, from: ScopeId) -> Vec<(ScopeId, bool)> {
    let sem = cx.semantic;
    let named = |class: ScopeId, name: &str| -> Vec<ScopeId> {
        let children = &sem.scope(class).children;
        children.iter().copied().filter(|s| sem.scope(*s).function().is_some_and(|f| f.name.as_str() == name)).collect()
    };
    // Every method of that name in the module's classes, but `skip`'s.
    let methods = |name: &str, skip: Option<ScopeId>| -> Vec<ScopeId> {
        sem.scopes()
            .filter(|(_, s)| {
                s.function().is_some_and(|f| f.name.as_str() == name)
                    && s.parent.is_some_and(|p| sem.scope(p).kind == ScopeKind::Class && Some(p) != skip)
            })
            .map(|(id, _)| id)
            .collect()
    };
    let own_class = sem
        .enclosing_function(from)
        .and_then(|f| sem.scope(f).parent)
        .filter(|p| sem.scope(*p).kind == ScopeKind::Class);
    // `name` defined in `class` or, failing that, in its bases that are classes of the module (depth first).
    let inherited = |class: ScopeId, name: &str| -> Vec<ScopeId> {
        let mut stack = vec![class];
        let mut seen = Vec::new();
        while let Some(c) = stack.pop() {
            if seen.contains(&c) || seen.len() > 32 {
                continue;
            }
            seen.push(c);
            let found = named(c, name);
            if !found.is_empty() {
                return found;
            }
            let ScopeNode::Class(def) = sem.scope(c).node else { continue };
            let bases = def.arguments.as_ref().map(|a| &a.args[..]).unwrap_or_default();
            for base in bases.iter().rev() {
                let Expr::Name(n) = base else { continue };
                let Some(b) = sem.resolve(n).filter(|b| sem.binding(*b).kind == BindingKind::ClassDef) else {
                    continue;
                };
                if let Some(cs) = sem.binding(b).stmt.and_then(|st| sem.scope_of_def(sem.stmt(st))) {
                    stack.push(cs);
                }
            }
        }
        Vec::new()
    };
    match c.func.as_ref() {
        Expr::Name(n) => {
            let Some(b) = sem.resolve(n) else { return Vec::new() };
            let home = sem.scope(sem.binding(b).scope);
            // `def _merge(...)` later rebound (`try: _merge = _speedups._merge`): the module's own version.
            let defs: Vec<BindingId> = if sem.binding(b).kind == BindingKind::FunctionDef {
                vec![b]
            } else {
                home.bindings_of(n.id.as_str())
                    .iter()
                    .copied()
                    .filter(|d| sem.binding(*d).kind == BindingKind::FunctionDef)
                    .collect()
            };
            if !defs.is_empty() {
                return defs
                    .iter()
                    .filter_map(|d| sem.binding(*d).stmt)
                    .filter_map(|stmt| sem.scope_of_def(sem.stmt(stmt)))
                    .map(|s| (s, false))
                    .collect();
            }
            match (sem.binding(b).kind == BindingKind::ClassDef, sem.binding(b).stmt) {
                (true, Some(stmt)) => {
                    let Some(cs) = sem.scope_of_def(sem.stmt(stmt)) else { return Vec::new() };
                    inherited(cs, "__init__").into_iter().map(|s| (s, true)).collect()
                }
                _ => Vec::new(),
            }
        }
        Expr::Attribute(a) if is_self_call(a) => {
            let m = a.attr.as_str();
            let is_super = matches!(a.value.as_ref(), Expr::Call(_));
            let own = own_class.filter(|_| !is_super).map(|c| inherited(c, m)).unwrap_or_default();
            let found = if own.is_empty() { methods(m, own_class.filter(|_| is_super)) } else { own };
            found.into_iter().map(|s| (s, true)).collect()
        }
        Expr::Attribute(a) => {
            // `Base.__init__(self, ...)`: a class of the module.
            let Expr::Name(n) = a.value.as_ref() else { return Vec::new() };
            let Some(b) = sem.resolve(n).filter(|b| sem.binding(*b).kind == BindingKind::ClassDef) else {
                return Vec::new();
            };
            let m = a.attr.as_str();
            let own = sem
                .binding(b)
                .stmt
                .and_then(|s| sem.scope_of_def(sem.stmt(s)))
                .map(|c| inherited(c, m))
                .unwrap_or_default();
            let found = if own.is_empty() { methods(m, None) } else { own };
            found.into_iter().map(|s| (s, false)).collect()
        }
        _ => Vec::new(),
    }
}

/// The parameter of `f` that receives positional argument `position` or keyword `keyword`.
fn parameter_for<'f>(f: &'f StmtFunctionDef, position: Option<usize>, keyword: Option<&str>) -> Option<&'f str> {
    let params = &f.parameters;
    if let Some(k) = keyword {
        return params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .chain(&params.kwonlyargs)
            .map(|p| p.name().as_str())
            .find(|n| *n == k);
    }
    params.posonlyargs.iter().chain(&params.args).nth(position?).map(|p| p.name().as_str())
}

/// The function's name, for messages.
fn function_name(cx: &Context, scope: ScopeId) -> String {
    cx.semantic.scope(scope).function().map_or_else(|| "lambda".to_string(), |f| f.name.to_string())
}

/// A call somewhere in the module passes the parameter explicitly (or may, through `*args`/`**kwargs`).
fn passed_by_some_call(cx: &Context, scope: ScopeId, f: &StmtFunctionDef, param: &str) -> bool {
    let sem = cx.semantic;
    let def = sem.scope(scope).stmt;
    let is_method = sem.scope(scope).parent.is_some_and(|p| sem.scope(p).kind == ScopeKind::Class);
    let index = f.parameters.posonlyargs.iter().chain(&f.parameters.args).position(|p| p.name().as_str() == param);
    sem.scopes().flat_map(|(_, s)| s.facts.calls.iter()).any(|c| {
        let (targets, offset) = match c.func.as_ref() {
            Expr::Name(n) => (def.is_some() && sem.resolve(n).is_some_and(|b| sem.binding(b).stmt == def), 0),
            // `obj.f(a)` passes `a` as the method's second parameter.
            Expr::Attribute(a) => (a.attr.as_str() == f.name.as_str(), usize::from(is_method)),
            _ => (false, 0),
        };
        if !targets {
            return false;
        }
        let args = &c.arguments;
        args.keywords.iter().any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() == param))
            || args.args.iter().any(Expr::is_starred_expr)
            || index.is_some_and(|i| i < args.args.len() + offset)
    })
}

/// Some `return` hands out what a lookup in the mapping found (`return table[key]`, `return table.get(key)`).
fn returns_lookup(cx: &Context, scope: ScopeId, name: &str) -> bool {
    param_uses(cx, scope, name).any(|r| {
        let Some(stmt) = r.stmt else { return false };
        if !matches!(cx.semantic.stmt(stmt), Stmt::Return(_)) {
            return false;
        }
        let path = use_path(cx, r);
        matches!(path.as_slice(), [.., Expr::Subscript(s)] if s.value.range() == r.range && s.ctx.is_load())
            || matches!(path.as_slice(), [.., Expr::Call(_), Expr::Attribute(a)] if a.attr.as_str() == "get")
    })
}

/// The `def`'s own binding (the name it binds in the enclosing scope).
fn def_binding(cx: &Context, scope: ScopeId) -> Option<BindingId> {
    let sem = cx.semantic;
    let s = sem.scope(scope);
    let (f, def) = (s.function()?, s.stmt?);
    sem.scope(s.parent?).bindings_of(f.name.as_str()).iter().copied().find(|b| sem.binding(*b).stmt == Some(def))
}

/// A function nested in another one, never decorated, only ever called where it is defined: it dies with the call
/// of the enclosing function, and so does its default. Returns the enclosing function's name.
fn local_only(cx: &Context, scope: ScopeId) -> Option<String> {
    let sem = cx.semantic;
    let s = sem.scope(scope);
    let parent = s.parent?;
    if sem.scope(parent).kind != ScopeKind::Function || !s.function()?.decorator_list.is_empty() {
        return None;
    }
    let b = def_binding(cx, scope)?;
    let only_called = sem.binding(b).references.iter().all(|r| {
        let r = sem.reference(*r);
        matches!(use_path(cx, r).last(), Some(Expr::Call(c)) if c.func.range() == r.range)
    });
    only_called.then(|| function_name(cx, parent))
}

/// The function's code or signature is looked at (`dis.code_info(f)`, `inspect.signature(f)`, `f.__code__`):
/// the rewrite would change what that shows.
fn inspected(cx: &Context, scope: ScopeId) -> Option<String> {
    let sem = cx.semantic;
    let b = def_binding(cx, scope)?;
    sem.binding(b).references.iter().find_map(|r| {
        let r = sem.reference(*r);
        let path = use_path(cx, r);
        // `f.__code__`, `f.__func__.__code__.co_consts`...
        let dunder = path
            .iter()
            .rev()
            .take_while(|e| e.is_attribute_expr())
            .find(|e| matches!(e, Expr::Attribute(a) if matches!(a.attr.as_str(), "__code__" | "__signature__")));
        if let Some(e) = dunder {
            return Some(format!(
                "`{}` looks at the function's code or signature, which the rewrite would change",
                cx.source.slice(e.range())
            ));
        }
        let shown = match path.last()? {
            Expr::Call(c) if c.func.range() != r.range => {
                let q = sem.resolve_qualified_name(&c.func)?;
                (q.starts_with("dis.") || q.starts_with("inspect.")).then(|| cx.source.slice(c.range()))?
            }
            _ => return None,
        };
        Some(format!("`{shown}` looks at the function's code or signature, which the rewrite would change"))
    })
}

/// Some code of the module changes an attribute of this name in place or hands it out: `obj.names.append(x)`,
/// `obj.names[k] = v`, `obj.names += ...`, `del obj.names[k]`, `return obj.names`, `yield obj.names`.
fn is_attribute_changed(cx: &Context, attr: &str) -> bool {
    struct Changes<'n> {
        attr: &'n str,
        found: bool,
    }
    impl Changes<'_> {
        fn is_attr(&self, e: &Expr) -> bool {
            matches!(e, Expr::Attribute(a) if a.attr.as_str() == self.attr)
        }
    }
    impl<'a> Visitor<'a> for Changes<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::AugAssign(a) => {
                    let t = if let Expr::Subscript(s) = a.target.as_ref() { &s.value } else { &a.target };
                    self.found |= self.is_attr(t);
                }
                Stmt::Return(r) => self.found |= r.value.as_deref().is_some_and(|v| self.is_attr(v)),
                _ => {}
            }
            if !self.found {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Call(c) => {
                    if let Expr::Attribute(m) = c.func.as_ref() {
                        let name = m.attr.as_str();
                        self.found |=
                            self.is_attr(&m.value) && (GROW_METHODS.contains(&name) || SHRINK_METHODS.contains(&name));
                    }
                }
                Expr::Subscript(s) if !s.ctx.is_load() => self.found |= self.is_attr(&s.value),
                Expr::Yield(y) => self.found |= y.value.as_deref().is_some_and(|v| self.is_attr(v)),
                _ => {}
            }
            if !self.found {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let mut v = Changes { attr, found: false };
    v.visit_body(&cx.module.body);
    v.found
}

/// The file already writes `X | None` in an annotation that is evaluated (a parameter, a return, a variable): it
/// runs on 3.10+ whatever the target says, and that is its spelling.
fn writes_pep604(cx: &Context) -> bool {
    fn union_with_none(e: &Expr) -> bool {
        match e {
            Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
                b.left.is_none_literal_expr()
                    || b.right.is_none_literal_expr()
                    || union_with_none(&b.left)
                    || union_with_none(&b.right)
            }
            Expr::Subscript(s) => union_with_none(&s.slice),
            Expr::Tuple(t) => t.elts.iter().any(union_with_none),
            _ => false,
        }
    }
    struct Annotations(bool);
    impl<'a> Visitor<'a> for Annotations {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let params = f.parameters.iter().filter_map(|p| p.annotation());
                    self.0 |= params.chain(f.returns.as_deref()).any(union_with_none);
                }
                Stmt::AnnAssign(a) => self.0 |= union_with_none(&a.annotation),
                _ => {}
            }
            if !self.0 {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut v = Annotations(false);
    v.visit_body(&cx.module.body);
    v.0
}
