//! `mutable-default`: a list/dict/set default is built once, when the `def` runs, and shared by every call.
//! The fix defaults to `None` and builds the value in a guard at the top of the body; it declines (reports only)
//! where a guard would change what the default means. Users' docs: codemods/mutable_default/README.md.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, ParameterWithDefault, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{local_bindings, target_names, Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::imports::ensure_import;

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
        let mut walker = Walker { cx, module: ModuleNames::new(cx.module), findings: Vec::new() };
        walker.body(&cx.module.body, &Scope::default());
        let mut lambdas = Lambdas { cx, module: &walker.module, findings: Vec::new() };
        lambdas.visit_body(&cx.module.body);
        walker.findings.extend(lambdas.findings);
        walker.findings
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

/// Builtins a default may name (a module binding of the same name shadows them).
const BUILTINS: &[&str] = &[
    "list",
    "dict",
    "set",
    "frozenset",
    "tuple",
    "bytearray",
    "bytes",
    "str",
    "int",
    "float",
    "complex",
    "bool",
    "range",
    "len",
    "sorted",
    "reversed",
    "zip",
    "enumerate",
    "min",
    "max",
    "abs",
    "sum",
    "object",
    "type",
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

/// Module-level names: how often each is bound, the value of the single-assignment ones, and every name some
/// function declares `global` (it can be rebound from anywhere).
struct ModuleNames<'a> {
    counts: HashMap<&'a str, u32>,
    values: HashMap<&'a str, &'a Expr>,
    globals: HashSet<&'a str>,
    /// `from __future__ import annotations`: annotations are never evaluated, so `X | None` works on any version.
    lazy_annotations: bool,
}

impl<'a> ModuleNames<'a> {
    fn new(module: &'a ast::ModModule) -> Self {
        let mut names = ModuleNames {
            counts: HashMap::new(),
            values: HashMap::new(),
            globals: HashSet::new(),
            lazy_annotations: false,
        };
        names.collect(&module.body, 1);
        let mut globals = Globals(HashSet::new());
        globals.visit_body(&module.body);
        names.globals = globals.0;
        names.lazy_annotations = module.body.iter().any(|s| match s {
            Stmt::ImportFrom(i) => {
                i.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
                    && i.names.iter().any(|a| a.name.as_str() == "annotations")
            }
            _ => false,
        });
        names
    }

    /// `weight` is 2 inside loops: a binding there runs more than once.
    fn collect(&mut self, body: &'a [Stmt], weight: u32) {
        for stmt in body {
            match stmt {
                Stmt::Assign(a) => {
                    if let [Expr::Name(n)] = a.targets.as_slice() {
                        self.values.insert(n.id.as_str(), &a.value);
                    }
                    a.targets.iter().for_each(|t| self.target(t, weight));
                }
                Stmt::AnnAssign(a) if a.value.is_some() => self.target(&a.target, weight),
                Stmt::AugAssign(a) => self.target(&a.target, 2),
                Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t, 2)),
                Stmt::FunctionDef(f) => self.bind(f.name.as_str(), weight),
                Stmt::ClassDef(c) => self.bind(c.name.as_str(), weight),
                Stmt::Import(i) => {
                    for a in &i.names {
                        let local = a
                            .asname
                            .as_ref()
                            .map_or_else(|| a.name.as_str().split('.').next().unwrap_or_default(), |n| n.as_str());
                        self.bind(local, weight);
                    }
                }
                Stmt::ImportFrom(i) => {
                    for a in &i.names {
                        self.bind(a.asname.as_ref().unwrap_or(&a.name).as_str(), weight);
                    }
                }
                Stmt::For(f) => {
                    self.target(&f.target, 2);
                    self.collect(&f.body, 2);
                    self.collect(&f.orelse, weight);
                }
                Stmt::While(w) => {
                    self.collect(&w.body, 2);
                    self.collect(&w.orelse, weight);
                }
                Stmt::If(i) => {
                    self.collect(&i.body, weight);
                    for c in &i.elif_else_clauses {
                        self.collect(&c.body, weight);
                    }
                }
                Stmt::With(w) => {
                    for item in &w.items {
                        if let Some(v) = &item.optional_vars {
                            self.target(v, weight);
                        }
                    }
                    self.collect(&w.body, weight);
                }
                Stmt::Try(t) => {
                    self.collect(&t.body, weight);
                    for h in &t.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        if let Some(n) = &h.name {
                            self.bind(n.as_str(), weight);
                        }
                        self.collect(&h.body, weight);
                    }
                    self.collect(&t.orelse, weight);
                    self.collect(&t.finalbody, weight);
                }
                Stmt::Match(m) => {
                    for c in &m.cases {
                        self.collect(&c.body, weight);
                    }
                }
                _ => {}
            }
        }
    }

    fn target(&mut self, e: &'a Expr, weight: u32) {
        match e {
            Expr::Name(n) => self.bind(n.id.as_str(), weight),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e, weight)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e, weight)),
            Expr::Starred(s) => self.target(&s.value, weight),
            _ => {}
        }
    }

    fn bind(&mut self, name: &'a str, weight: u32) {
        *self.counts.entry(name).or_default() += weight;
    }

    /// Bound exactly once at module level and never declared `global`: the same object for the module's life.
    fn bound_once(&self, name: &str) -> bool {
        self.counts.get(name) == Some(&1) && !self.globals.contains(name)
    }

    fn is_bound(&self, name: &str) -> bool {
        self.counts.contains_key(name) || self.globals.contains(name)
    }

    /// The mutable kind a module-level name is bound to once, if it is.
    fn shared_kind(&self, cx: &Context, name: &str) -> Option<Kind> {
        if !self.bound_once(name) {
            return None;
        }
        built_kind(cx, self.values.get(name)?)
    }
}

struct Globals<'a>(HashSet<&'a str>);

impl<'a> Visitor<'a> for Globals<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Global(g) = stmt {
            self.0.extend(g.names.iter().map(|n| n.as_str()));
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// Where a `def` sits: what the names its defaults read refer to.
#[derive(Default, Clone)]
struct Scope {
    /// Names bound by the enclosing functions (read through closures).
    enclosing: HashSet<String>,
    /// Names bound by the class body the `def` sits in directly, and whether that class is a `Protocol`.
    class: Option<(HashSet<String>, bool)>,
    /// Names bound inside the loops (of the same scope) that hold the `def`.
    loop_names: HashSet<String>,
}

struct Walker<'a> {
    cx: &'a Context<'a>,
    module: ModuleNames<'a>,
    findings: Vec<Finding>,
}

impl<'a> Walker<'a> {
    fn body(&mut self, body: &'a [Stmt], scope: &Scope) {
        for stmt in body {
            self.stmt(stmt, scope);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt, scope: &Scope) {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.function(f, scope);
                let mut enclosing = scope.enclosing.clone();
                enclosing.extend(local_bindings(Some(&f.parameters), &f.body));
                let inner = Scope { enclosing, class: None, loop_names: HashSet::new() };
                self.body(&f.body, &inner);
            }
            Stmt::ClassDef(c) => {
                let names = local_bindings(None, &c.body);
                let is_protocol = c.arguments.as_ref().is_some_and(|args| {
                    args.args.iter().any(|b| {
                        let b = if let Expr::Subscript(s) = b { &s.value } else { b };
                        last_segment(b) == Some("Protocol")
                    })
                });
                let inner = Scope {
                    enclosing: scope.enclosing.clone(),
                    class: Some((names, is_protocol)),
                    loop_names: HashSet::new(),
                };
                self.body(&c.body, &inner);
            }
            Stmt::For(f) => {
                let mut looped = scope.clone();
                let mut target = HashSet::new();
                target_names(&f.target, &mut target);
                looped.loop_names.extend(target);
                looped.loop_names.extend(local_bindings(None, &f.body));
                self.body(&f.body, &looped);
                self.body(&f.orelse, scope);
            }
            Stmt::While(w) => {
                let mut looped = scope.clone();
                looped.loop_names.extend(local_bindings(None, &w.body));
                self.body(&w.body, &looped);
                self.body(&w.orelse, scope);
            }
            Stmt::If(i) => {
                self.body(&i.body, scope);
                for c in &i.elif_else_clauses {
                    self.body(&c.body, scope);
                }
            }
            Stmt::With(w) => self.body(&w.body, scope),
            Stmt::Try(t) => {
                self.body(&t.body, scope);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    self.body(&h.body, scope);
                }
                self.body(&t.orelse, scope);
                self.body(&t.finalbody, scope);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    self.body(&c.body, scope);
                }
            }
            _ => {}
        }
    }

    /// Every flagged default of one `def`, with one fix per applicability that covers all of them: guards land
    /// in parameter order in a single edit, so a function with ten mutable defaults is fixed in one pass.
    fn function(&mut self, f: &'a StmtFunctionDef, scope: &Scope) {
        let cx = self.cx;
        let mut flagged: Vec<(&ParameterWithDefault, &Expr, Shared)> = Vec::new();
        for p in f.parameters.iter_non_variadic_params() {
            let Some(default) = p.default() else { continue };
            let Some(shared) = self.shared(default, scope) else { continue };
            // `def f(x=_marker): if x is _marker:` uses a module-level list as a sentinel: not a leak.
            if let Shared::Module(name, _) = shared {
                if compares_identity_with(&f.body, p.name().as_str(), name) {
                    continue;
                }
            }
            flagged.push((p, default, shared));
        }
        if flagged.is_empty() {
            return;
        }
        let needed: HashSet<String> = flagged
            .iter()
            .filter(|(_, _, shared)| matches!(shared, Shared::Built(_)))
            .flat_map(|(_, default, _)| Reads::of(default).names)
            .collect();
        let prologue = Prologue::of(f, &needed);
        let interface_only = self.interface_only(f, scope);
        let verdicts: Vec<Verdict> = flagged
            .iter()
            .map(|(p, default, shared)| match &interface_only {
                Some(reason) => Verdict::NoFix(reason.clone()),
                None => self.verdict(f, scope, &prologue, p, default, *shared),
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
            guards(cx, &self.module, placement, chosen.iter().map(|&i| (flagged[i].0, flagged[i].1, flagged[i].2)))
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
            self.findings.push(finding);
        }
    }

    /// A default this codemod flags, and what it is.
    fn shared(&self, default: &'a Expr, scope: &Scope) -> Option<Shared<'a>> {
        if let Some(kind) = built_kind(self.cx, default) {
            return Some(Shared::Built(kind));
        }
        let Expr::Name(n) = default else { return None };
        let name = n.id.as_str();
        let shadowed =
            scope.enclosing.contains(name) || scope.class.as_ref().is_some_and(|(names, _)| names.contains(name));
        if shadowed {
            return None;
        }
        self.module.shared_kind(self.cx, name).map(|kind| Shared::Module(name, kind))
    }

    /// Why the function's defaults only document an interface (`@overload`, abstract, `Protocol`, stub body).
    fn interface_only(&self, f: &StmtFunctionDef, scope: &Scope) -> Option<String> {
        let decorators: Vec<&str> = f.decorator_list.iter().filter_map(|d| decorator_name(&d.expression)).collect();
        if decorators.contains(&"overload") {
            return Some("an `@overload` signature: its default is never used".into());
        }
        if decorators.iter().any(|d| d.starts_with("abstract")) {
            return Some("an abstract method: its default only documents the interface".into());
        }
        if scope.class.as_ref().is_some_and(|(_, protocol)| *protocol) {
            return Some("a `Protocol` member: its default only documents the interface".into());
        }
        if f.body.iter().enumerate().all(|(i, s)| is_stub_stmt(s, i)) {
            return Some("the body is a stub: the default is never used".into());
        }
        None
    }

    fn verdict(
        &self,
        f: &StmtFunctionDef,
        scope: &Scope,
        prologue: &Result<Prologue, String>,
        p: &ParameterWithDefault,
        default: &Expr,
        shared: Shared,
    ) -> Verdict {
        let name = p.name().as_str();
        if compares_with_none(&f.body, name) {
            return Verdict::NoFix(format!(
                "`{name}` is already compared with `None`, so callers passing `None` would change meaning"
            ));
        }
        if is_memo(&f.body, name, shared) {
            return Verdict::NoFix(format!(
                "`{name}` is a memo kept across calls on purpose, which is `unbounded-cache`'s business"
            ));
        }
        let Ok(prologue) = prologue else {
            return Verdict::Safe; // the placement error is reported instead
        };
        let body_binds = &prologue.body_binds;
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
                if body_binds.contains(module_name) {
                    return Verdict::NoFix(format!(
                        "the default reads `{module_name}`, which the function binds itself; inside the body it would mean the local"
                    ));
                }
                unsafe_reason = Some(format!(
                    "`{module_name}` is shared with the rest of the module: each call now gets a shallow copy, and the function's changes no longer reach `{module_name}`"
                ));
            }
            Shared::Built(_) => {
                let reads = Reads::of(default);
                if let Some(r) = reads.walrus {
                    return Verdict::NoFix(format!(
                        "the default binds `{}` with `:=`; inside the function it would bind a local",
                        self.cx.source.slice(r)
                    ));
                }
                if reads.suspends {
                    return Verdict::NoFix(
                        "the default awaits or yields, which means something else inside the function".into(),
                    );
                }
                for n in &reads.names {
                    let n = n.as_str();
                    if body_binds.contains(n) {
                        return Verdict::NoFix(format!(
                            "the default reads `{n}`, which the function binds itself; inside the body it would mean the local"
                        ));
                    }
                    if prologue.imports.contains(n) {
                        continue; // a local import of the same module: the guard goes after it
                    }
                    if scope.class.as_ref().is_some_and(|(names, _)| names.contains(n)) {
                        return Verdict::NoFix(format!(
                            "the default reads the class attribute `{n}`, which the method body cannot see"
                        ));
                    }
                    if scope.loop_names.contains(n) {
                        return Verdict::NoFix(format!(
                            "the default captures the loop variable `{n}`; a guard would see its last value"
                        ));
                    }
                    if unsafe_reason.is_some() {
                        continue;
                    }
                    if scope.enclosing.contains(n) {
                        unsafe_reason = Some(format!(
                            "the default reads `{n}` from the enclosing function on every call instead of once, after any rebinding"
                        ));
                    } else if self.module.bound_once(n) {
                        if self.module.shared_kind(self.cx, n).is_some() {
                            unsafe_reason = Some(format!(
                                "the default reads the mutable `{n}` on every call instead of once, so later changes to it show"
                            ));
                        }
                    } else if self.module.is_bound(n) {
                        unsafe_reason = Some(format!(
                            "the default reads `{n}`, which the module rebinds, on every call instead of once"
                        ));
                    } else if !BUILTINS.contains(&n) {
                        unsafe_reason = Some(format!(
                            "the default reads `{n}`, which pyfix cannot resolve, on every call instead of once"
                        ));
                    }
                }
                if unsafe_reason.is_none() {
                    unsafe_reason = reads.effects.iter().find_map(|e| match e {
                        Effect::Call(func) => {
                            let known = self
                                .cx
                                .semantic
                                .resolve_qualified_name(func)
                                .is_some_and(|q| PURE_CALLS.contains(&q.as_str()));
                            (!known).then(|| {
                                format!(
                                    "the default calls `{}()`, which would now run on every call",
                                    self.cx.source.slice(func.range())
                                )
                            })
                        }
                        Effect::Read(range) => Some(format!(
                            "the default reads `{}` on every call instead of once",
                            self.cx.source.slice(*range)
                        )),
                    });
                }
            }
        }
        if unsafe_reason.is_none() {
            unsafe_reason = f.decorator_list.iter().find_map(|d| {
                let plain = decorator_name(&d.expression).is_some_and(|n| PLAIN_DECORATORS.contains(&n));
                (!plain).then(|| {
                    let shown = decorator_shown(self.cx, &d.expression);
                    format!("the decorator `@{shown}` may read the signature, where the default is now `None`")
                })
            });
        }
        match unsafe_reason {
            Some(reason) => Verdict::Unsafe(reason),
            None => Verdict::Safe,
        }
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
    /// Names bound by the leading imports.
    imports: HashSet<String>,
    /// Names the function binds outside those imports, parameters included.
    body_binds: HashSet<String>,
}

impl Prologue {
    /// `needed`: the names the flagged defaults read; only leading imports that bind one of them stay above the guards.
    fn of(f: &StmtFunctionDef, needed: &HashSet<String>) -> Result<Prologue, String> {
        let body = &f.body;
        let mut first = 0;
        if body.first().is_some_and(ruff_python_ast::helpers::is_docstring_stmt) {
            first = 1;
        }
        let guarded: HashSet<&str> = f
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
                    local_bindings(None, std::slice::from_ref(stmt)).iter().any(|n| needed.contains(n))
                }
                Stmt::If(i) if is_guard(i).is_some_and(|n| guarded.contains(n)) => true,
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
        let imports = local_bindings(None, &body[..first]);
        let body_binds = local_bindings(Some(&f.parameters), &body[first..]);
        Ok(Prologue { first, imports, body_binds })
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
    module: &ModuleNames,
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
            match optional(cx, module, ann) {
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
fn optional(cx: &Context, module: &ModuleNames, ann: &Expr) -> Result<Vec<Edit>, String> {
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
    let pep604 = module.lazy_annotations || cx.target.at_least(3, 10);
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

/// What a default's evaluation depends on, found by walking it.
#[derive(Default)]
struct Reads<'a> {
    /// Names read, minus the ones comprehensions and lambdas inside it bind.
    names: Vec<String>,
    /// Calls and reads whose result may differ between definition time and call time.
    effects: Vec<Effect<'a>>,
    walrus: Option<TextRange>,
    suspends: bool,
    bound: HashSet<String>,
}

enum Effect<'a> {
    /// A call of `func` (a known constructor or pure builtin is fine).
    Call(&'a Expr),
    /// An attribute or item read: `cfg.items`, `TABLE[0]`.
    Read(TextRange),
}

impl<'a> Reads<'a> {
    fn of(expr: &'a Expr) -> Reads<'a> {
        let mut r = Reads::default();
        r.visit_expr(expr);
        let bound = std::mem::take(&mut r.bound);
        r.names.retain(|n| !bound.contains(n));
        r.names.dedup();
        r
    }
}

impl<'a> Visitor<'a> for Reads<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => {
                if n.ctx.is_load() {
                    self.names.push(n.id.to_string());
                } else {
                    self.bound.insert(n.id.to_string());
                }
            }
            Expr::Named(n) => {
                self.walrus.get_or_insert(n.target.range());
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => self.suspends = true,
            Expr::Lambda(l) => {
                if let Some(params) = &l.parameters {
                    self.bound.extend(params.iter().map(|p| p.name().to_string()));
                }
            }
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

/// `x is None`, `x is not None`, `x == None`, `None != x`... anywhere in the body.
fn compares_with_none(body: &[Stmt], name: &str) -> bool {
    any_compare(body, |left, op, right| {
        matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq)
            && ((is_name(left, name) && right.is_none_literal_expr())
                || (is_name(right, name) && left.is_none_literal_expr()))
    })
}

/// `x is NAME` / `NAME is not x`: the default is a sentinel compared by identity.
fn compares_identity_with(body: &[Stmt], param: &str, name: &str) -> bool {
    any_compare(body, |left, op, right| {
        matches!(op, CmpOp::Is | CmpOp::IsNot)
            && ((is_name(left, param) && is_name(right, name)) || (is_name(right, param) && is_name(left, name)))
    })
}

fn any_compare(body: &[Stmt], test: impl Fn(&Expr, CmpOp, &Expr) -> bool) -> bool {
    struct Compares<F> {
        test: F,
        found: bool,
    }
    impl<'a, F: Fn(&Expr, CmpOp, &Expr) -> bool> Visitor<'a> for Compares<F> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Compare(c) = expr {
                let mut left = c.left.as_ref();
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    if (self.test)(left, *op, right) {
                        self.found = true;
                    }
                    left = right;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut v = Compares { test, found: false };
    v.visit_body(body);
    v.found
}

fn is_name(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Name(n) if n.id.as_str() == name)
}

/// A memo kept across calls on purpose: named like one (`_cache`, `memo`), or a mapping whose first use is a
/// lookup (`key in x`, `x[key]`, `x.get(key)`) and which is written later (`x[key] = ...`).
fn is_memo(body: &[Stmt], name: &str, shared: Shared) -> bool {
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
    struct Uses<'n> {
        name: &'n str,
        first_lookup: Option<TextSize>,
        first_store: Option<TextSize>,
    }
    impl<'a> Visitor<'a> for Uses<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Compare(c) => {
                    let mut left = c.left.as_ref();
                    for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                        if matches!(op, CmpOp::In | CmpOp::NotIn) && is_name(right, self.name) {
                            self.first_lookup.get_or_insert(left.start());
                        }
                        left = right;
                    }
                }
                Expr::Subscript(s) if is_name(&s.value, self.name) => {
                    if s.ctx.is_store() {
                        self.first_store.get_or_insert(s.start());
                    } else if s.ctx.is_load() {
                        self.first_lookup.get_or_insert(s.start());
                    }
                }
                Expr::Call(c) => {
                    if let Expr::Attribute(a) = c.func.as_ref() {
                        if is_name(&a.value, self.name) && a.attr.as_str() == "get" {
                            self.first_lookup.get_or_insert(c.start());
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut uses = Uses { name, first_lookup: None, first_store: None };
    uses.visit_body(body);
    matches!((uses.first_lookup, uses.first_store), (Some(l), Some(s)) if l < s)
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

/// `lambda x=[]: ...`: reported, never fixed (a lambda has no statements to hold a guard).
struct Lambdas<'a, 'm> {
    cx: &'a Context<'a>,
    module: &'m ModuleNames<'a>,
    findings: Vec<Finding>,
}

impl<'e> Visitor<'e> for Lambdas<'_, '_> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if let Expr::Lambda(l) = expr {
            for p in l.parameters.iter().flat_map(|ps| ps.iter_non_variadic_params()) {
                let Some(default) = p.default() else { continue };
                let shared = match built_kind(self.cx, default) {
                    Some(kind) => Shared::Built(kind),
                    None => match default {
                        Expr::Name(n) => match self.module.shared_kind(self.cx, n.id.as_str()) {
                            Some(kind) => Shared::Module("", kind),
                            None => continue,
                        },
                        _ => continue,
                    },
                };
                self.findings.push(Finding::without_fix(
                    NAME,
                    default.range(),
                    message(self.cx, default, shared),
                    "a lambda has no body to put a guard in; rewrite it as a `def` first",
                ));
            }
        }
        visitor::walk_expr(self, expr);
    }
}
