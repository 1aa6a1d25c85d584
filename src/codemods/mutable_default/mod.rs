//! `mutable-default`: a list/dict/set default is built once, when the `def` runs, and shared by every call.
//! The fix defaults to `None` and builds the value in a guard at the top of the body; it declines (reports only)
//! where a guard would change what the default means. Every name and scope question goes to `cx.semantic`.
//! Users' docs: codemods/mutable_default/README.md.

mod annotation;
mod calls;
mod defaults;
mod flow;
mod known_calls;
mod rewrite;
mod uses;

use ruff_python_ast::{self as ast, Expr, ParameterWithDefault, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::semantic::{self, BindingKind, ScopeId, ScopeKind, ScopeNode, Semantic};

use calls::{
    decorator_name, decorator_shown, inspected, inspected_never_called, local_only, passed_by_some_call,
    PLAIN_DECORATORS,
};
use defaults::{
    built_kind, is_loop_variable, module_binding_once, module_value, shared, DefaultParts, Effect, Shared, PURE_CALLS,
};
use flow::Tracer;
use rewrite::{guards, placement, Prologue};
use uses::{compares_identity_with, is_memo, is_sentinel, tests_none};

pub struct MutableDefault;

impl Codemod for MutableDefault {
    fn name(&self) -> &'static str {
        "mutable-default"
    }
    fn summary(&self) -> &'static str {
        "a list/dict/set default built once and shared by every call -> `None` plus a guard [fix: safe, or unsafe when the guard could change behaviour]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../../codemods/mutable_default/README.md")
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
    let mut notes: Vec<Option<String>> = Vec::new();
    let verdicts: Vec<Verdict> = flagged
        .iter()
        .map(|(p, default, shared)| {
            let mut note = None;
            let v = verdict(cx, scope, f, &prologue, (p, default, *shared), &mut note);
            notes.push(note);
            v
        })
        .collect();
    // Defaults that are only read, and memos, are not reported.
    let (flagged, (verdicts, notes)): (Vec<_>, (Vec<_>, Vec<_>)) = flagged
        .into_iter()
        .zip(verdicts.into_iter().zip(notes))
        .filter(|(_, (v, _))| !matches!(v, Verdict::Skip))
        .unzip();
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
    for (((_, default, shared), verdict), note) in flagged.iter().zip(&verdicts).zip(&notes) {
        let mut message = message(cx, default, *shared);
        // A fix another module decided names it: the reason for a refusal already does.
        if let (Some(note), Verdict::Safe | Verdict::Unsafe(_)) = (note, verdict) {
            message = format!("{message}; {note}");
        }
        let (Shared::Built(kind) | Shared::Module(_, kind)) = shared;
        let title = format!("Default to `None` and build the {} inside", kind.word());
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
fn lambda<'a>(cx: &Context<'a>, scope: ScopeId, l: &'a ast::ExprLambda, findings: &mut Vec<Finding>) {
    for p in l.parameters.iter().flat_map(|ps| ps.iter_non_variadic_params()) {
        let Some(default) = p.default() else { continue };
        let Some(shared) = shared(cx, default) else { continue };
        let flow = Tracer::new(cx, default, shared.kind()).trace(scope, p.name().as_str(), 0);
        if flow.leak.is_none() && flow.returned.is_none() && flow.recorded.is_none() {
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

fn verdict<'a>(
    cx: &Context<'a>,
    scope: ScopeId,
    f: &StmtFunctionDef,
    prologue: &Result<Prologue, String>,
    (p, default, shared): (&ParameterWithDefault, &'a Expr, Shared),
    note: &mut Option<String>,
) -> Verdict {
    let sem = cx.semantic;
    let name = p.name().as_str();
    let flow = Tracer::new(cx, default, shared.kind()).trace(scope, name, 0);
    note.clone_from(&flow.elsewhere);
    let leak = flow.leak.as_ref().or(flow.returned.as_ref());
    // Only read, handed to a callee pyfix cannot see (which reads it, as a rule), or changed in place without
    // growing (a counter, a cell, a flag, a first-call initialisation): nothing shows a leak.
    if leak.is_none() && flow.recorded.is_none() && flow.namespace.is_none() {
        return Verdict::Skip;
    }
    // `def deepcopy(x, _nil=[])` with `memo.get(k, _nil) is not _nil`: a sentinel, only compared by identity.
    if is_sentinel(cx, scope, name) {
        return Verdict::Skip;
    }
    // A nested helper only called inside its function: rebuilt by every outer call, and its default with it.
    if local_only(cx, scope).is_some() {
        return Verdict::Skip;
    }
    // `def tricky(e=[])` only disassembled, never called: its default is never changed, grown or handed out.
    if inspected_never_called(cx, scope) {
        return Verdict::Skip;
    }
    // `exec(source, _ns)` in a private or test helper: the namespace gains the names the callers' code binds,
    // bounded by that code. Code text the function builds itself (`exec(f"v{i} = 1", ns)`) may come from data.
    if leak.is_none() && flow.recorded.is_none() && flow.namespace.is_some() && namespace_bounded(cx, scope, f, name) {
        return Verdict::Skip;
    }
    if (leak.is_some() || flow.recorded.is_some()) && is_memo(cx, scope, name, shared) {
        return Verdict::Skip; // a memo: `unbounded-cache` bounds it
    }
    if let Shared::Module(module_name, _) = shared {
        // `running=_running`, `_b=BACKSLASH`, `registry=registry`: the module's object bound to a parameter. The
        // sharing is the point (a re-entrancy guard, a registry, speed); only changing it in place is reported.
        if flow.leak.is_none() && flow.state.is_none() && flow.namespace.is_none() {
            return Verdict::Skip;
        }
        return Verdict::NoFix(format!(
            "`{name}={module_name}` binds the module's own object on purpose: the function changes `{module_name}` itself, and a copy would stop that"
        ));
    }
    if let Some(why) = inspected(cx, scope) {
        return Verdict::NoFix(why);
    }
    if let Some(how) = &flow.namespace {
        return Verdict::NoFix(format!("{how}: a namespace kept across calls on purpose"));
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
    if let Some((callee, place, param)) = &flow.none_elsewhere {
        return Verdict::NoFix(format!(
            "`{name}` is forwarded to `{callee}()` (`{place}`), where `{param}` is compared with `None`: `None` means something there, and callers passing `None` would change meaning"
        ));
    }
    if let Some(callee) = &flow.forwarded {
        return Verdict::NoFix(format!(
            "`{name}` is passed as it is to `{callee}()`, which pyfix cannot see: `None` may mean something there (`env=None` inherits the environment), and callers passing `None` would now hand it a fresh value"
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
    if let (None, Some(how)) = (leak, &flow.recorded) {
        return Verdict::NoFix(format!(
            "{how} as it was given, and nothing shows it grows: whoever reads it may tell the shared default from what a caller passed (`None`)"
        ));
    }
    let Ok(prologue) = prologue else {
        return Verdict::Safe; // the placement error is reported instead
    };
    let mut unsafe_reason: Option<String> = None;
    match shared {
        // Refused above (`binds the module's own object on purpose`); kept for the match.
        Shared::Module(..) => return Verdict::NoFix("the default is the module's own object".into()),
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
            format!("part of `{name}` is passed to `{callee}()`, which pyfix cannot see: it may keep or change it")
        });
    }
    match unsafe_reason {
        Some(reason) => Verdict::Unsafe(reason),
        None => Verdict::Safe,
    }
}

enum Verdict {
    /// Not reported: the default is only read, or it is a memo (`unbounded-cache`'s business).
    Skip,
    Safe,
    Unsafe(String),
    NoFix(String),
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

/// Every `exec`/`eval` of the function that is given `name` runs code passed in as it is (a name, a literal,
/// `dedent(source)`), and the function is private or test code: the code is the programmers', and so are the names.
fn namespace_bounded(cx: &Context, scope: ScopeId, f: &StmtFunctionDef, name: &str) -> bool {
    let sem = cx.semantic;
    if !(f.name.starts_with('_') || crate::codemods::analyze::project::is_test_module(cx)) {
        return false;
    }
    // A parameter (perhaps rebound as `source = dedent(source)`): the caller's code.
    let param =
        |id: &str| sem.scope(scope).bindings_of(id).iter().any(|b| sem.binding(*b).kind == BindingKind::Parameter);
    let as_given = |e: &Expr| match e {
        Expr::Name(n) => param(n.id.as_str()),
        Expr::StringLiteral(_) => true,
        Expr::Call(c) => {
            c.arguments.keywords.is_empty()
                && c.arguments.args.len() == 1
                && match &c.arguments.args[0] {
                    Expr::Name(n) => param(n.id.as_str()),
                    a => a.is_string_literal_expr(),
                }
                && sem.resolve_qualified_name(&c.func).as_deref() == Some("textwrap.dedent")
        }
        _ => false,
    };
    let mut seen = false;
    for c in &sem.scope(scope).facts.calls {
        let Expr::Name(callee) = c.func.as_ref() else { continue };
        if !matches!(callee.id.as_str(), "exec" | "eval") || sem.resolve(callee).is_some() {
            continue;
        }
        let gets = c.arguments.args.iter().skip(1).chain(c.arguments.keywords.iter().map(|k| &k.value));
        if !gets.into_iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == name)) {
            continue;
        }
        match c.arguments.args.first() {
            Some(code) if as_given(code) => seen = true,
            _ => return false,
        }
    }
    seen
}
