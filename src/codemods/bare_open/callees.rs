//! What a callee is: an opener or resource factory (`opener`), a path, a consumer method, or (by its name) a
//! registering function, a setter or a constructor; qualified names through imports and `import_module`.
//! The tables themselves are in `resources.rs`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::calls::{argument_slot, parameter_for, plain_method};
use crate::codemods::analyze::classes::{callee_function, takes_over, Closes, TakesOver};
use crate::codemods::analyze::params::{self, Callee, ParamFacts};
use crate::codemods::analyze::project::is_test_module;
use crate::codemods::{Closing, Context};
use crate::semantic::{BindingKind, Semantic};

use super::resources::{
    Exit, Resource, CONSUMER_METHODS, OPENERS, PATH_METHODS, PATH_TYPES, REGISTERING_PREFIXES, RESOURCES,
    RESOURCE_METHODS, URLOPEN_OPENER,
};

/// What a call opens (`open`, `io.open`, `codecs.open`, `Path.open`, a resource factory of `RESOURCES`), resolved
/// through imports.
pub(super) fn opener(cx: &Context, call: &ast::ExprCall) -> Option<Resource> {
    let func = call.func.as_ref();
    if let Expr::Attribute(attr) = func {
        if attr.attr.as_str() == "open" && is_path(cx, &attr.value, 0) {
            return Some(Resource::file("Path.open"));
        }
        let method = RESOURCE_METHODS.iter().any(|(_, m, ..)| *m == attr.attr.as_str());
        if let Some(factory) = method.then(|| receiver_factory(cx, &attr.value)).flatten() {
            if let Some((_, m, closing, names)) =
                RESOURCE_METHODS.iter().find(|(f, m, ..)| *f == factory && *m == attr.attr.as_str())
            {
                return Some(Resource { shown: m.to_string(), closing: *closing, names });
            }
        }
    }
    if !may_be_factory(cx, func) {
        return None;
    }
    let qualified = qualified_name(cx, func)?;
    if let Some((_, shown)) = OPENERS.iter().find(|(q, _)| *q == qualified) {
        return Some(Resource::file(shown));
    }
    let Some((q, closing, names)) = RESOURCES.iter().find(|(q, ..)| *q == qualified) else {
        // A project's own factory (`[tool.pyfix] resource-factories`).
        let factory = cx.settings.resource_factories.iter().find(|f| f.qualified == qualified)?;
        let closing = match factory.closing {
            Closing::With => Exit::With,
            Closing::Closing => Exit::Closing,
            Closing::AsyncWith => Exit::AsyncWith,
        };
        return Some(Resource { shown: qualified, closing, names: &["conn", "resource"] });
    };
    // `sqlite3.connect(p, factory=MyConnection)`: the object is the project's own class, closed its own way.
    if q.starts_with("sqlite3.") && (call.arguments.find_keyword("factory").is_some() || call.arguments.args.len() >= 6)
    {
        return None;
    }
    let mut closing = *closing;
    // `NamedTemporaryFile(delete=False)` is a plain file once closed.
    if *q == "tempfile.NamedTemporaryFile"
        && call
            .arguments
            .find_keyword("delete")
            .is_some_and(|k| matches!(k.value, Expr::BooleanLiteral(ref b) if !b.value))
    {
        closing = Exit::With;
    }
    // In a test the test chose the opener (a real handler, or its own fake it knows); elsewhere it is the caller's.
    if *q == "urllib.request.urlopen" && !is_test_module(cx) {
        closing = URLOPEN_OPENER;
    }
    Some(Resource { shown: q.to_string(), closing, names })
}

/// A cheap test that `func` can name an opener or factory, before building its qualified name (which allocates, and
/// runs for every call in the file): the last segment of `a.b.connect` is `connect`; a bare name is a builtin (only
/// `open` is one) unless an import binds it.
fn may_be_factory(cx: &Context, func: &Expr) -> bool {
    fn last(q: &str) -> &str {
        q.rsplit('.').next().unwrap_or(q)
    }
    static LAST: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    let table = LAST
        .get_or_init(|| OPENERS.iter().map(|(q, _)| last(q)).chain(RESOURCES.iter().map(|(q, ..)| last(q))).collect());
    let known =
        |name: &str| table.contains(name) || cx.settings.resource_factories.iter().any(|f| last(&f.qualified) == name);
    match func {
        Expr::Attribute(a) => known(a.attr.as_str()),
        // Only an import names something else; a name bound by `name = import_module(...)` may too.
        Expr::Name(n) => match cx.semantic.resolve(n).map(|b| &cx.semantic.binding(b).kind) {
            Some(BindingKind::Import(q) | BindingKind::FromImport(q)) => known(last(q)),
            Some(BindingKind::Assignment) => true,
            Some(_) => false,
            None => known(n.id.as_str()),
        },
        _ => true,
    }
}

/// The factory that built the object `expr` refers to: `ctx` after `ctx = ssl.create_default_context()`, or a call.
fn receiver_factory(cx: &Context, expr: &Expr) -> Option<String> {
    let call = match expr {
        Expr::Call(c) => Some(c),
        Expr::Name(n) => match single_assignment(cx, n) {
            Some(Stmt::Assign(assign)) => assign.value.as_call_expr(),
            _ => None,
        },
        _ => None,
    }?;
    qualified_name(cx, &call.func)
}

/// `Path(...)`, or a name bound once in this scope to `Path(...)`.
fn is_path(cx: &Context, expr: &Expr, depth: u32) -> bool {
    // `p = q.parent` / `q = p.parent`: names can refer to each other; give up after a few steps.
    if depth > 8 {
        return false;
    }
    match expr {
        Expr::Call(call) => match call.func.as_ref() {
            // p.with_suffix(".txt"), p.joinpath("x"), p.resolve(): still a path.
            Expr::Attribute(a) if PATH_METHODS.contains(&a.attr.as_str()) => is_path(cx, &a.value, depth + 1),
            func => cx.semantic.resolve_qualified_name(func).is_some_and(|q| PATH_TYPES.contains(&q.as_str())),
        },
        // Path(d) / "name"
        Expr::BinOp(b) if b.op == ast::Operator::Div => is_path(cx, &b.left, depth + 1),
        Expr::Attribute(a) if a.attr.as_str() == "parent" => is_path(cx, &a.value, depth + 1),
        // Bound once, by a plain assignment, to a path; not `p = q`: following names could loop (`p = p`).
        Expr::Name(n) => match single_assignment(cx, n) {
            Some(Stmt::Assign(a)) => !a.value.is_name_expr() && is_path(cx, &a.value, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// The qualified name `expr` refers to, through imports (the model) and through a module bound by
/// `name = import_module("mod")` (the test suites' `fcntl = import_module("fcntl")`).
pub(super) fn qualified_name(cx: &Context, expr: &Expr) -> Option<String> {
    if let Some(q) = cx.semantic.resolve_qualified_name(expr) {
        return Some(q);
    }
    match expr {
        Expr::Attribute(a) => Some(format!("{}.{}", qualified_name(cx, &a.value)?, a.attr.as_str())),
        Expr::Name(n) => {
            let Stmt::Assign(assign) = single_assignment(cx, n)? else { return None };
            let Expr::Call(call) = assign.value.as_ref() else { return None };
            let importer = cx.semantic.resolve_qualified_name(&call.func)?;
            if !importer.ends_with("import_module") || call.arguments.len() != 1 {
                return None;
            }
            match call.arguments.args.first()? {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The statement of the only binding of `name` where it is read, when that is a plain `name = ...` assignment
/// made in the scope that owns the name.
pub(super) fn single_assignment<'a>(cx: &Context<'a>, name: &ast::ExprName) -> Option<&'a Stmt> {
    let model = cx.semantic;
    let binding = model.binding(model.resolve(name)?);
    let stmt = binding.stmt?;
    let alone = model.scope(binding.scope).bindings_of(binding.name).len() == 1;
    if binding.kind != BindingKind::Assignment || !alone || model.stmt_scope(stmt) != binding.scope {
        return None;
    }
    match model.stmt(stmt) {
        s @ Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == binding.range => Some(s),
        _ => None,
    }
}

/// `parser.read_file` where `parser = configparser.ConfigParser()`, or `ConfigParser().read_file`.
pub(super) fn is_consumer_method(cx: &Context, func: &Expr) -> bool {
    let Expr::Attribute(a) = func else { return false };
    let Some(factory) = receiver_factory(cx, &a.value) else { return false };
    CONSUMER_METHODS.iter().any(|(f, m)| *f == factory && *m == a.attr.as_str())
}

/// `xml.sax.parse(f, handler)`, `parser.parse(f)` on an `xml.sax` parser: the expat reader closes its source when
/// it is done, on error too (`_close_source`). `arg`: the argument's range, which must be the source.
pub(super) fn closes_source(cx: &Context, call: &ast::ExprCall, callee: &str, arg: TextRange) -> bool {
    let is_source = call.arguments.args.first().is_some_and(|a| a.range() == arg)
        || call.arguments.find_keyword("source").is_some_and(|k| k.value.range() == arg);
    if !is_source {
        return false;
    }
    if callee == "xml.sax.parse" {
        return true;
    }
    let Expr::Attribute(a) = call.func.as_ref() else { return false };
    a.attr.as_str() == "parse"
        && receiver_factory(cx, &a.value)
            .is_some_and(|f| f == "xml.sax.make_parser" || f == "xml.sax.expatreader.create_parser")
}

/// A callee pyfix cannot see whose name says it registers what it is given (`bus.subscribe(f)`).
pub(super) fn is_registering(qualified: &str, method: Option<&str>, func: &Expr) -> bool {
    let last = match (method, func) {
        (Some(m), _) => m,
        (None, Expr::Name(n)) => n.id.as_str(),
        _ => qualified.rsplit('.').next().unwrap_or(qualified),
    };
    let last = last.trim_start_matches('_').to_ascii_lowercase();
    REGISTERING_PREFIXES.iter().any(|p| last.starts_with(p))
}

/// `FileResponse`, `logging.StreamHandler`: a class, by the naming convention, whose instances keep their arguments;
/// or a wrapper by its name (`wrap_socket(sock)` returns an SSL socket that owns `sock`).
pub(super) fn unknown_is_constructor(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    last.trim_start_matches('_').chars().next().is_some_and(char::is_uppercase) || last.contains("wrap")
}

/// `set_socket`, `setByteStream`: a setter stores what it is given.
pub(super) fn is_setter(method: &str) -> bool {
    method.strip_prefix("set").is_some_and(|rest| rest.starts_with('_') || rest.starts_with(char::is_uppercase))
}

/// The name at `range` (with enclosing expressions `exprs`) is an argument of a call to a function defined in this
/// module that closes that parameter and keeps it nowhere (`_close_quietly(f)`): the callee's name.
/// Also a class pyfix can read (in this module or another of the project) whose constructor closes the argument
/// (`HttpResponse(f)` reads `f` into its content and closes it).
/// Also a function of another module of the project that closes the parameter receiving it
/// (`from pkg.util import close_quietly`): the callee's name and that function's place (`pkg/util.py:3`).
/// `entered_closes`: `with param:` in the callee closes the object (not a `sqlite3` connection, whose `__exit__`
/// commits: `Resource::exit_only_commits`).
pub(super) fn closing_callee(cx: &Context, range: TextRange, exprs: &[&Expr], entered_closes: bool) -> Option<Closer> {
    let Some(Expr::Call(call)) = exprs.last() else { return None };
    // Not through `*args`/`**kwargs`, which shift where an argument lands.
    let (position, keyword) = argument_slot(call, range)?;
    let callee = || cx.source.slice(call.func.range()).to_string();
    if let Some(t) = class_takes_over(cx, call, range).filter(|t| t.closes == Closes::AtOnce) {
        return Some(Closer { callee: callee(), place: t.module, at_once: false });
    }
    if let Some(f) = callee_function(cx, call, range) {
        let closes = if entered_closes { f.facts.closed_for_good } else { f.facts.closed_for_good_by_close };
        return closes.then(|| Closer { callee: callee(), place: Some(f.place()), at_once: false });
    }
    let model = cx.semantic;
    let f = match call.func.as_ref() {
        // Bound once, by this `def`: a later rebinding could run another function.
        Expr::Name(func) => function_bound_once(cx, func)?,
        // `Helper.check(self, f)`: a method of a class of this module (bound once), called through the class, so the
        // arguments meet the parameters as written (`self` included).
        Expr::Attribute(a) => {
            let Expr::Name(class) = a.value.as_ref() else { return None };
            let binding = model.binding(model.resolve(class)?);
            if binding.kind != BindingKind::ClassDef || model.scope(binding.scope).bindings_of(binding.name).len() != 1
            {
                return None;
            }
            let Stmt::ClassDef(c) = model.stmt(binding.stmt?) else { return None };
            plain_method(&c.body, a.attr.as_str())??
        }
        _ => return None,
    };
    let param = parameter_for(f, position, keyword)?;
    // `_resolve(tar, member)`: a function of this module, bound once, that only reads what it is given.
    let reads = |c: &Callee, position: Option<usize>, keyword: Option<&str>| {
        let Callee::Named(n) = c else { return false };
        let Some(g) = module_function(cx, n) else { return false };
        parameter_for(g, position, keyword).is_some_and(|p| ParamFacts::of(g, p).reads_only())
    };
    // Decorated: the decorator may not call it (or not now).
    if f.is_async
        || !f.decorator_list.is_empty()
        || !params::closes_parameter_reading_through(f, param, entered_closes, reads)
    {
        return None;
    }
    let is_closing = |e: &Expr| qualified_name(cx, e).as_deref() == Some("contextlib.closing");
    let at_once = params::closes_first(f, param, entered_closes, is_closing);
    // A generator closes it only when it runs: `for x in _iter(tar):` runs it to its end, or drops it when the loop
    // is left early, which closes it only where a `with` (or `closing`) holds all its `yield`s. It is the close
    // itself only where that `with` comes first.
    if params::is_generator(f)
        && !(iterated_by_for(cx, call, range, exprs)
            && params::yields_inside_closing(f, param, entered_closes, is_closing))
    {
        return None;
    }
    Some(Closer { callee: callee(), place: None, at_once })
}

/// The function a call through `name` runs: a `def` that is the only binding of that name in its scope.
pub(super) fn function_bound_once<'a>(cx: &Context<'a>, name: &ast::ExprName) -> Option<&'a ast::StmtFunctionDef> {
    let model = cx.semantic;
    let binding = model.binding(model.resolve(name)?);
    if binding.kind != BindingKind::FunctionDef || model.scope(binding.scope).bindings_of(binding.name).len() != 1 {
        return None;
    }
    match model.stmt(binding.stmt?) {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    }
}

/// `def name(...)` at the module's top level, bound once there.
pub(super) fn module_function<'a>(cx: &Context<'a>, name: &str) -> Option<&'a ast::StmtFunctionDef> {
    let model = cx.semantic;
    let module = model.scope(Semantic::MODULE);
    let [b] = module.bindings_of(name) else { return None };
    let binding = model.binding(*b);
    if binding.kind != BindingKind::FunctionDef {
        return None;
    }
    match model.stmt(binding.stmt?) {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    }
}

/// The call (`exprs`' only expression) holding the name at `range` is the iterable of a `for` statement.
fn iterated_by_for(cx: &Context, call: &ast::ExprCall, range: TextRange, exprs: &[&Expr]) -> bool {
    if exprs.len() != 1 {
        return false;
    }
    let name =
        call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).find_map(|a| match a {
            Expr::Name(n) if n.range == range => Some(n),
            _ => None,
        });
    let model = cx.semantic;
    let Some(stmt) = name.and_then(|n| model.reference_of(n)).and_then(|r| model.reference(r).stmt) else {
        return false;
    };
    matches!(model.stmt(stmt), Stmt::For(f) if f.iter.range() == call.range())
}

/// A callee that closes what it is given.
pub(super) struct Closer {
    /// As the call spells it.
    pub(super) callee: String,
    /// Where its `def` is, when in another module of the project (`pkg/util.py:3`).
    pub(super) place: Option<String>,
    /// It closes it before anything it runs can raise (`params::closes_first`): a call of it is the close itself.
    pub(super) at_once: bool,
}

/// `Cls(f)` where `Cls` is a class pyfix can read that takes over the argument at `arg` (see
/// `analyze::classes`). Asked only of callees named like a class (or any callee the caller cannot place otherwise):
/// the project is read on the first such question.
pub(super) fn class_takes_over(cx: &Context, call: &ast::ExprCall, arg: TextRange) -> Option<TakesOver> {
    let worth_asking = match call.func.as_ref() {
        // A class of this module, or a name imported from elsewhere (`addinfourl`, spelt in lower case).
        Expr::Name(n) => cx.semantic.resolve(n).is_some_and(|b| {
            matches!(
                cx.semantic.binding(b).kind,
                BindingKind::ClassDef | BindingKind::FromImport(_) | BindingKind::Import(_)
            )
        }),
        func => unknown_is_constructor(cx.source.slice(func.range())),
    };
    if !worth_asking {
        return None;
    }
    takes_over(cx, call, arg)
}

/// The object at `range` (with enclosing expressions `exprs`) is in the `args` of
/// `threading.Thread(target=serve, args=(evt, sock))` where `serve` is a function of this module, or a method of the
/// class being read (`target=self.serve`; `class_body`), that closes the parameter receiving it and keeps it nowhere
/// (`with sock: ...`): the thread takes it over. The target's name.
pub(super) fn closing_thread(
    cx: &Context,
    class_body: Option<&[Stmt]>,
    range: TextRange,
    exprs: &[&Expr],
) -> Option<String> {
    let n = exprs.len();
    let (Some(Expr::Tuple(t)), Some(Expr::Call(c))) = (exprs.last(), n.checked_sub(2).map(|k| exprs[k])) else {
        return None;
    };
    let position = t.elts.iter().position(|e| e.range() == range)?;
    if c.arguments.find_keyword("args").is_none_or(|k| k.value.range() != t.range) {
        return None;
    }
    if qualified_name(cx, &c.func).as_deref() != Some("threading.Thread") {
        return None;
    }
    let target = &c.arguments.find_keyword("target")?.value;
    let (f, position) = match target {
        Expr::Name(func) => {
            let model = cx.semantic;
            let binding = model.binding(model.resolve(func)?);
            if binding.kind != BindingKind::FunctionDef
                || model.scope(binding.scope).bindings_of(binding.name).len() != 1
            {
                return None;
            }
            let Stmt::FunctionDef(f) = model.stmt(binding.stmt?) else { return None };
            (f, position)
        }
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(s) if s.id.as_str() == "self") => {
            let mut defs = class_body?.iter().filter_map(|s| match s {
                Stmt::FunctionDef(f) if f.name.as_str() == a.attr.as_str() => Some(f),
                _ => None,
            });
            let (Some(f), None) = (defs.next(), defs.next()) else { return None };
            (f, position + 1)
        }
        _ => return None,
    };
    let param = crate::codemods::analyze::calls::parameter_for(f, Some(position), None)?;
    crate::codemods::analyze::params::closes_parameter(f, param).then(|| cx.source.slice(target.range()).to_string())
}

/// The name at `range` (with enclosing expressions `exprs`) is an argument of `self.m(...)`, where `m` is a plain
/// method of the enclosing class (`class_bodies`: its body, then its bases' in this module) that stores the parameter
/// receiving it on `self` (`def initfp(self, file): self._file = file`): that method's name, the attribute, and
/// whether every call stores it (the store follows plain statements only, not under an `if` or in a loop).
pub(super) fn stored_by_own_method(
    class_bodies: &[&[Stmt]],
    range: TextRange,
    exprs: &[&Expr],
) -> Option<(String, String, bool)> {
    let Some(Expr::Call(call)) = exprs.last() else { return None };
    let Expr::Attribute(a) = call.func.as_ref() else { return None };
    if !matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
        return None;
    }
    let (position, keyword) = argument_slot(call, range)?;
    let name = a.attr.as_str();
    // The first class body (the class, then its bases) that binds the name decides.
    let f = class_bodies.iter().find_map(|body| plain_method(body, name))??;
    // The bound call's first argument lands in the parameter after `self`.
    let param = parameter_for(f, position.map(|p| p + 1), keyword)?;
    use crate::codemods::analyze::params::{uses, Store, Use};
    // Stored by a statement of the method's own body that runs on every call: after plain statements only.
    let (attr, at) = uses(f, param).into_iter().find_map(|(u, r)| match u {
        Use::Stored(Store::OnSelf(attr)) => Some((attr, r)),
        _ => None,
    })?;
    let always = matches!(after_plain_statements(&f.body, at), Some(Stmt::Assign(_) | Stmt::AnnAssign(_)));
    Some((name.to_string(), attr, always))
}

/// The statement of `body` that holds `at`, where every statement before it is plain (an expression, an
/// assignment, `pass`): it runs whenever `body` does, unless one of those raises.
pub(super) fn after_plain_statements(body: &[Stmt], at: TextRange) -> Option<&Stmt> {
    let k = body.iter().position(|s| s.range().contains_range(at))?;
    body[..k].iter().all(is_plain).then(|| &body[k])
}

/// An expression statement, an assignment or `pass`: no branch, no loop, no exit.
pub(super) fn is_plain(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(_) | Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) | Stmt::Pass(_))
}

/// Each expression of the statements that runs with them: not inside a nested function, class or lambda.
pub(super) fn each_expr<'a>(body: &'a [Stmt], each: &mut dyn FnMut(&'a Expr)) {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Each<'e, 'a>(&'e mut dyn FnMut(&'a Expr));
    impl<'a> Visitor<'a> for Each<'_, 'a> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, s);
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            (self.0)(e);
            if !matches!(e, Expr::Lambda(_)) {
                visitor::walk_expr(self, e);
            }
        }
    }
    Each(each).visit_body(body);
}

/// How many times the statements call `self.<method>(...)` (outside nested functions, classes and lambdas).
pub(super) fn self_method_calls(body: &[Stmt], method: &str) -> usize {
    let mut n = 0;
    each_expr(body, &mut |e| {
        if matches!(e, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == method
            && matches!(a.value.as_ref(), Expr::Name(s) if s.id.as_str() == "self")))
        {
            n += 1;
        }
    });
    n
}
