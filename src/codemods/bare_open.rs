//! `bare-open`: a file opened without `with` and never reliably closed.
//! Finds `open()`, `io.open()`, `codecs.open()` and `<Path>.open()` whose handle is not managed, and wraps the code
//! that uses it in a `with` block. What users read (examples, fix safety, known misses) is in codemods/bare_open/README.md.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{local_bindings, target_names, Codemod, Context, Finding};
use crate::edit::{Edit, Fix};

pub struct BareOpen;

const NAME: &str = "bare-open";

impl Codemod for BareOpen {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a file opened without `with` and never reliably closed -> a `with` block [fix: safe; unsafe when the handle is passed to unknown code]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/bare_open/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        if cx.is_stub {
            return out;
        }
        let scope = Scope::new(ScopeKind::Module, None, &cx.module.body, &[], None);
        check_scope(cx, &scope, &mut out);
        out
    }
}

// ---------------------------------------------------------------------------------------------------------------
// What the codemod knows about Python's standard library.

/// Calls that return a new open file.
const OPENERS: &[(&str, &str)] =
    &[("builtins.open", "open"), ("io.open", "io.open"), ("_io.open", "io.open"), ("codecs.open", "codecs.open")];
const PATH_TYPES: &[&str] = &["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"];
/// Methods of a path that return a path.
const PATH_METHODS: &[&str] =
    &["joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser", "relative_to"];

/// Functions that use a file they are given and keep no reference to it.
const CONSUMERS: &[&str] = &[
    "builtins.list",
    "builtins.tuple",
    "builtins.sorted",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.len",
    "builtins.sum",
    "builtins.max",
    "builtins.min",
    "builtins.any",
    "builtins.all",
    "builtins.next",
    "builtins.print",
    "builtins.isinstance",
    "builtins.hasattr",
    "builtins.getattr",
    "builtins.repr",
    "builtins.bool",
    "json.load",
    "json.dump",
    "pickle.load",
    "pickle.dump",
    "marshal.load",
    "marshal.dump",
    "tomllib.load",
    "plistlib.load",
    "plistlib.dump",
    "shutil.copyfileobj",
    "hashlib.file_digest",
    "yaml.safe_load",
    "yaml.load",
    "yaml.safe_dump",
    "yaml.dump",
    "os.fstat",
    "fcntl.lockf",
    "fcntl.flock",
    "fcntl.fcntl",
    "fcntl.ioctl",
];

/// Functions whose result wraps the file and keeps it: the result must be used inside the `with` too.
const WRAPPERS: &[&str] = &[
    "builtins.iter",
    "builtins.enumerate",
    "builtins.zip",
    "builtins.map",
    "builtins.filter",
    "builtins.reversed",
    "csv.reader",
    "csv.writer",
    "csv.DictReader",
    "csv.DictWriter",
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "pickle.Pickler",
    "pickle.Unpickler",
    "itertools.islice",
    "itertools.chain",
    "itertools.groupby",
    "itertools.takewhile",
    "itertools.dropwhile",
    "itertools.zip_longest",
    "itertools.tee",
];

/// Methods that store their argument somewhere that outlives the call.
const STORING_METHODS: &[&str] = &[
    "append",
    "appendleft",
    "add",
    "extend",
    "insert",
    "setdefault",
    "put",
    "put_nowait",
    "push",
    "register",
    "update",
];

/// Methods that take ownership of a file and close it later: the file is managed.
const MANAGING_METHODS: &[&str] = &["enter_context", "enter_async_context", "callback", "push_async_callback"];
const MANAGING_FUNCS: &[&str] = &["contextlib.closing", "weakref.finalize", "atexit.register"];

/// Attributes of a file that are (or return) the same underlying file.
const SAME_FILE_ATTRS: &[&str] = &["buffer", "raw", "detach", "__enter__", "__iter__"];

// ---------------------------------------------------------------------------------------------------------------
// Scopes and the names used in them.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ScopeKind {
    Module,
    Function,
    Class,
}

/// One use of a name in a scope.
struct Occ<'a> {
    range: TextRange,
    ctx: ExprContext,
    /// Enclosing statements of this scope, outermost first; the last one holds the name.
    stmts: Vec<&'a Stmt>,
    /// Inside a nested function, lambda, class or generator expression: it may run later.
    captured: bool,
}

impl<'a> Occ<'a> {
    /// Enclosing expressions, outermost first (not the name itself). Computed on demand: storing them for every
    /// name would be quadratic in the nesting depth (`a + a + ... + a`).
    fn exprs(&self) -> Vec<&'a Expr> {
        struct Path<'a> {
            target: TextRange,
            stack: Vec<&'a Expr>,
            found: Option<Vec<&'a Expr>>,
        }
        impl<'a> Visitor<'a> for Path<'a> {
            fn visit_stmt(&mut self, s: &'a Stmt) {
                if self.found.is_none() && s.range().contains_range(self.target) {
                    visitor::walk_stmt(self, s);
                }
            }
            fn visit_expr(&mut self, e: &'a Expr) {
                if self.found.is_some() || !e.range().contains_range(self.target) {
                    return;
                }
                if matches!(e, Expr::Name(_)) && e.range() == self.target {
                    self.found = Some(self.stack.clone());
                    return;
                }
                self.stack.push(e);
                visitor::walk_expr(self, e);
                self.stack.pop();
            }
        }
        let Some(stmt) = self.stmts.last() else { return Vec::new() };
        let mut path = Path { target: self.range, stack: Vec::new(), found: None };
        visitor::walk_stmt(&mut path, stmt);
        path.found.unwrap_or_default()
    }
}

struct Scope<'a> {
    kind: ScopeKind,
    body: &'a [Stmt],
    /// Every use of every name in the scope (nested scopes included when the name is free there), in source order.
    occs: HashMap<&'a str, Vec<Occ<'a>>>,
    /// Names bound in this scope or an enclosing function: they shadow builtins and module imports.
    shadowed: HashSet<String>,
    /// `global`/`nonlocal` names: not local, so a handle bound to one escapes.
    declared: HashSet<String>,
    /// In a method: the `self.<attr>` names that some method of the class closes.
    class_closes: Option<&'a HashSet<String>>,
    /// Imports inside this function: local name -> qualified name (`import csv` in the body).
    local_imports: HashMap<String, String>,
}

impl<'a> Scope<'a> {
    fn new(
        kind: ScopeKind,
        params: Option<&'a ast::Parameters>,
        body: &'a [Stmt],
        outer_shadowed: &[&HashSet<String>],
        class_closes: Option<&'a HashSet<String>>,
    ) -> Self {
        let mut collector = Collector::default();
        for stmt in body {
            collector.visit_stmt(stmt);
        }
        let mut occs: HashMap<&'a str, Vec<Occ<'a>>> = HashMap::new();
        for (name, occ) in collector.occs {
            occs.entry(name).or_default().push(occ);
        }
        let mut shadowed = HashSet::new();
        if kind != ScopeKind::Module {
            shadowed.extend(local_bindings(params, body));
        }
        for outer in outer_shadowed {
            shadowed.extend(outer.iter().cloned());
        }
        let mut local_imports = HashMap::new();
        if kind == ScopeKind::Function {
            collect_imports(body, &mut local_imports);
        }
        Scope { kind, body, occs, shadowed, declared: collector.declared, class_closes, local_imports }
    }

    /// The qualified name `expr` refers to here: local imports first, then the module's, unless shadowed.
    fn qualify(&self, cx: &Context, expr: &Expr) -> Option<String> {
        let head = match expr {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => match a.value.as_ref() {
                Expr::Name(n) => n.id.as_str(),
                _ => return None,
            },
            _ => return None,
        };
        if let Some(q) = self.local_imports.get(head) {
            return Some(match expr {
                Expr::Attribute(a) => format!("{q}.{}", a.attr.as_str()),
                _ => q.clone(),
            });
        }
        if self.shadowed.contains(head) {
            return None;
        }
        cx.semantic.resolve_qualified_name(expr)
    }

    /// A name for a new `with` target that clashes with nothing this scope can see.
    fn fresh_name(&self, cx: &Context, candidates: &[&str]) -> String {
        if self.kind == ScopeKind::Function {
            if let Some(c) = candidates.iter().find(|c| !self.occs.contains_key(**c) && !self.shadowed.contains(**c)) {
                return (*c).to_string();
            }
        }
        cx.fresh_name(candidates)
    }

    fn uses(&self, name: &str) -> &[Occ<'a>] {
        self.occs.get(name).map_or(&[], Vec::as_slice)
    }
}

#[derive(Default)]
struct Collector<'a> {
    occs: Vec<(&'a str, Occ<'a>)>,
    stmts: Vec<&'a Stmt>,
    /// Names local to the nested scopes we are inside.
    shadow: Vec<HashSet<String>>,
    captured: usize,
    declared: HashSet<String>,
}

impl<'a> Collector<'a> {
    fn nested<F: FnOnce(&mut Self)>(&mut self, locals: HashSet<String>, lazy: bool, f: F) {
        self.shadow.push(locals);
        self.captured += usize::from(lazy);
        f(self);
        self.captured -= usize::from(lazy);
        self.shadow.pop();
    }
}

/// `import x`, `from x import y` anywhere in a function body (not in nested functions).
fn collect_imports(body: &[Stmt], out: &mut HashMap<String, String>) {
    struct Imports<'o>(&'o mut HashMap<String, String>);
    impl<'a> Visitor<'a> for Imports<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Import(i) => {
                    for a in &i.names {
                        match &a.asname {
                            Some(as_) => self.0.insert(as_.to_string(), a.name.to_string()),
                            None => {
                                let head = a.name.split('.').next().unwrap_or("").to_string();
                                self.0.insert(head.clone(), head)
                            }
                        };
                    }
                }
                Stmt::ImportFrom(i) if i.level == 0 => {
                    let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                    for a in &i.names {
                        self.0.insert(a.asname.as_ref().unwrap_or(&a.name).to_string(), format!("{module}.{}", a.name));
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    Imports(out).visit_body(body);
}

fn comprehension_targets(generators: &[ast::Comprehension]) -> HashSet<String> {
    let mut names = HashSet::new();
    for g in generators {
        target_names(&g.target, &mut names);
    }
    names
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmts.push(stmt);
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                self.visit_parameters(&f.parameters);
                if let Some(r) = &f.returns {
                    self.visit_annotation(r);
                }
                let locals = local_bindings(Some(&f.parameters), &f.body);
                self.nested(locals, true, |c| c.visit_body(&f.body));
            }
            Stmt::ClassDef(class) => {
                for d in &class.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(args) = &class.arguments {
                    self.visit_arguments(args);
                }
                let locals = local_bindings(None, &class.body);
                self.nested(locals, true, |c| c.visit_body(&class.body));
            }
            Stmt::Global(g) if self.shadow.is_empty() => self.declared.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::Nonlocal(n) if self.shadow.is_empty() => self.declared.extend(n.names.iter().map(|n| n.to_string())),
            _ => visitor::walk_stmt(self, stmt),
        }
        self.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => {
                if !self.shadow.iter().any(|s| s.contains(name.id.as_str())) {
                    let occ = Occ {
                        range: name.range,
                        ctx: name.ctx,
                        stmts: self.stmts.clone(),
                        captured: self.captured > 0,
                    };
                    self.occs.push((name.id.as_str(), occ));
                }
            }
            Expr::Lambda(lambda) => {
                if let Some(params) = &lambda.parameters {
                    self.visit_parameters(params);
                }
                let locals = local_bindings(lambda.parameters.as_deref(), &[]);
                self.nested(locals, true, |c| c.visit_expr(&lambda.body));
            }
            Expr::ListComp(ast::ExprListComp { elt, generators, .. })
            | Expr::SetComp(ast::ExprSetComp { elt, generators, .. })
            | Expr::Generator(ast::ExprGenerator { elt, generators, .. }) => {
                let lazy = expr.is_generator_expr();
                self.comprehension(generators, lazy, |c| c.visit_expr(elt));
            }
            Expr::DictComp(ast::ExprDictComp { key, value, generators, .. }) => {
                self.comprehension(generators, false, |c| {
                    if let Some(key) = key {
                        c.visit_expr(key);
                    }
                    c.visit_expr(value);
                });
            }
            _ => {
                visitor::walk_expr(self, expr);
            }
        }
    }
}

impl<'a> Collector<'a> {
    /// The first iterable is evaluated in the enclosing scope; the rest runs in the comprehension's own scope.
    fn comprehension<F: FnOnce(&mut Self)>(&mut self, generators: &'a [ast::Comprehension], lazy: bool, elements: F) {
        let Some(first) = generators.first() else { return };
        self.visit_expr(&first.iter);
        let locals = comprehension_targets(generators);
        self.nested(locals, lazy, |c| {
            for (i, g) in generators.iter().enumerate() {
                c.visit_expr(&g.target);
                if i > 0 {
                    c.visit_expr(&g.iter);
                }
                for cond in &g.ifs {
                    c.visit_expr(cond);
                }
            }
            elements(c);
        });
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Walking blocks.

fn check_scope(cx: &Context, scope: &Scope, out: &mut Vec<Finding>) {
    visit_block(cx, scope, scope.body, &[], out);
}

/// Where a statement stands: `block[index]` of `scope`, inside the compound statements `stack` (outermost first).
#[derive(Clone, Copy)]
struct Site<'s, 'a> {
    scope: &'s Scope<'a>,
    block: &'a [Stmt],
    index: usize,
    stack: &'s [Frame<'a>],
}

/// A compound statement enclosing the block being checked: `block[index]`.
#[derive(Clone, Copy)]
struct Frame<'a> {
    block: &'a [Stmt],
    index: usize,
}

impl<'a> Frame<'a> {
    fn stmt(&self) -> &'a Stmt {
        &self.block[self.index]
    }
}

/// `stack`: the compound statements of this scope that enclose `block`, outermost first.
fn visit_block<'a>(cx: &Context, scope: &Scope<'a>, block: &'a [Stmt], stack: &[Frame<'a>], out: &mut Vec<Finding>) {
    for (i, stmt) in block.iter().enumerate() {
        check_statement(cx, Site { scope, block, index: i, stack }, out);
        let mut inner: Vec<Frame> = stack.to_vec();
        inner.push(Frame { block, index: i });
        match stmt {
            Stmt::FunctionDef(f) => {
                let mut outer: Vec<&HashSet<String>> = Vec::new();
                if scope.kind == ScopeKind::Function {
                    outer.push(&scope.shadowed);
                }
                let closes = if scope.kind == ScopeKind::Class { scope.class_closes } else { None };
                let fscope = Scope::new(ScopeKind::Function, Some(&f.parameters), &f.body, &outer, closes);
                check_scope(cx, &fscope, out);
            }
            Stmt::ClassDef(c) => {
                let closes = self_attrs_closed(&c.body);
                let mut outer: Vec<&HashSet<String>> = Vec::new();
                if scope.kind == ScopeKind::Function {
                    outer.push(&scope.shadowed);
                }
                let cscope = Scope::new(ScopeKind::Class, None, &c.body, &outer, None);
                let cscope = Scope { class_closes: Some(&closes), ..cscope };
                check_scope(cx, &cscope, out);
            }
            Stmt::For(s) => {
                visit_block(cx, scope, &s.body, &inner, out);
                visit_block(cx, scope, &s.orelse, &inner, out);
            }
            Stmt::While(s) => {
                visit_block(cx, scope, &s.body, &inner, out);
                visit_block(cx, scope, &s.orelse, &inner, out);
            }
            Stmt::If(s) => {
                visit_block(cx, scope, &s.body, &inner, out);
                for clause in &s.elif_else_clauses {
                    visit_block(cx, scope, &clause.body, &inner, out);
                }
            }
            Stmt::With(s) => visit_block(cx, scope, &s.body, &inner, out),
            Stmt::Try(s) => {
                visit_block(cx, scope, &s.body, &inner, out);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    visit_block(cx, scope, &h.body, &inner, out);
                }
                visit_block(cx, scope, &s.orelse, &inner, out);
                visit_block(cx, scope, &s.finalbody, &inner, out);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    visit_block(cx, scope, &case.body, &inner, out);
                }
            }
            _ => {}
        }
    }
}

/// `self.<attr>` names closed anywhere in a class body (`self.f.close()`), or `ANY_ATTR` for a class that closes
/// its resources itself.
fn self_attrs_closed(body: &[Stmt]) -> HashSet<String> {
    struct Closes(HashSet<String>);
    impl<'a> Visitor<'a> for Closes {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(method) = call.func.as_ref() {
                    if matches!(method.attr.as_str(), "close" | "__exit__") {
                        if let Expr::Attribute(field) = method.value.as_ref() {
                            if matches!(field.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
                                self.0.insert(field.attr.to_string());
                            }
                        }
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut c = Closes(HashSet::new());
    c.visit_body(body);
    // A class with its own `close`/`__exit__`/`__del__` is a resource wrapper: it owns the files it stores.
    let owns = body.iter().any(|s| {
        matches!(s, Stmt::FunctionDef(f) if matches!(f.name.as_str(), "close" | "__exit__" | "__aexit__" | "__del__"))
    });
    if owns {
        c.0.insert(ANY_ATTR.to_string());
    }
    c.0
}

/// In `class_closes`: every attribute is closed by the class.
const ANY_ATTR: &str = "*";

/// The header expressions of a statement: what it evaluates itself, not its nested blocks.
fn own_expressions(stmt: &Stmt) -> Vec<&Expr> {
    match stmt {
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Try(_) => Vec::new(),
        Stmt::For(s) => vec![&*s.iter],
        Stmt::While(s) => vec![&*s.test],
        Stmt::If(s) => {
            let mut v = vec![&*s.test];
            v.extend(s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()));
            v
        }
        Stmt::With(s) => s.items.iter().map(|i| &i.context_expr).collect(),
        Stmt::Match(s) => vec![&*s.subject],
        _ => {
            struct Top<'a>(Vec<&'a Expr>);
            impl<'a> Visitor<'a> for Top<'a> {
                fn visit_expr(&mut self, e: &'a Expr) {
                    self.0.push(e);
                }
            }
            let mut t = Top(Vec::new());
            visitor::walk_stmt(&mut t, stmt);
            t.0
        }
    }
}

/// Open calls inside `expr`, with their enclosing expressions (outermost first).
fn open_calls<'a>(cx: &Context, scope: &Scope, expr: &'a Expr) -> Vec<(&'a ast::ExprCall, Vec<&'a Expr>, String)> {
    struct Finder<'a, 'c> {
        cx: &'c Context<'c>,
        scope: &'c Scope<'c>,
        stack: Vec<&'a Expr>,
        found: Vec<(&'a ast::ExprCall, Vec<&'a Expr>, String)>,
    }
    impl<'a> Visitor<'a> for Finder<'a, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(call) = e {
                if let Some(name) = opener(self.cx, self.scope, call) {
                    self.found.push((call, self.stack.clone(), name));
                }
            }
            self.stack.push(e);
            visitor::walk_expr(self, e);
            self.stack.pop();
        }
    }
    let mut f = Finder { cx, scope, stack: Vec::new(), found: Vec::new() };
    f.visit_expr(expr);
    f.found
}

/// The opener a call invokes (`open`, `io.open`, `codecs.open`, `Path.open`), respecting shadowing.
fn opener(cx: &Context, scope: &Scope, call: &ast::ExprCall) -> Option<String> {
    let func = call.func.as_ref();
    if let Expr::Attribute(attr) = func {
        if attr.attr.as_str() == "open" && is_path(cx, scope, &attr.value) {
            return Some("Path.open".to_string());
        }
    }
    let qualified = scope.qualify(cx, func)?;
    OPENERS.iter().find(|(q, _)| *q == qualified).map(|(_, shown)| shown.to_string())
}

/// `Path(...)`, or a name bound once in this scope to `Path(...)`.
fn is_path(cx: &Context, scope: &Scope, expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => match call.func.as_ref() {
            // p.with_suffix(".txt"), p.joinpath("x"), p.resolve(): still a path.
            Expr::Attribute(a) if PATH_METHODS.contains(&a.attr.as_str()) => is_path(cx, scope, &a.value),
            func => scope.qualify(cx, func).is_some_and(|q| PATH_TYPES.contains(&q.as_str())),
        },
        // Path(d) / "name"
        Expr::BinOp(b) if b.op == ast::Operator::Div => is_path(cx, scope, &b.left),
        Expr::Attribute(a) if a.attr.as_str() == "parent" => is_path(cx, scope, &a.value),
        Expr::Name(n) => {
            let stores: Vec<&Occ> = scope.uses(n.id.as_str()).iter().filter(|o| o.ctx.is_store()).collect();
            if stores.len() != 1 || stores[0].captured || scope.declared.contains(n.id.as_str()) {
                return false;
            }
            match stores[0].stmts.last() {
                Some(Stmt::Assign(a)) if a.targets.len() == 1 => {
                    a.targets[0].range() == stores[0].range
                        // Not `p = q`: following names could loop (`p = p`).
                        && !a.value.is_name_expr()
                        && is_path(cx, scope, &a.value)
                }
                _ => false,
            }
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Where a value goes.

/// What happens to a value (an open call's result, or a name holding one).
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    /// Used up where it stands: a method call on it, an argument to a consumer, a comparison...
    Consumed,
    /// The `for` statement iterates it.
    Iterated,
    /// Closed (`.close()`) or handed to something that closes it (`with`, `enter_context`, `closing`).
    Managed,
    /// Bound to a local name (directly or through a wrapper such as `csv.reader`).
    Kept(String),
    /// Leaves the scope: returned, yielded, stored on an object or in a container.
    Escapes(String),
}

/// Follows the value of `node` (whose enclosing expressions are `exprs`) up to its statement `stmt`.
/// Also returns the first function pyfix cannot see that the value passed through (it may keep the file).
fn flow(cx: &Context, scope: &Scope, node: TextRange, exprs: &[&Expr], stmt: &Stmt) -> (Flow, Option<String>) {
    let mut unknown: Option<String> = None;
    let f = flow_inner(cx, scope, node, exprs, stmt, &mut unknown);
    (f, unknown)
}

fn flow_inner(
    cx: &Context,
    scope: &Scope,
    node: TextRange,
    exprs: &[&Expr],
    stmt: &Stmt,
    unknown: &mut Option<String>,
) -> Flow {
    let mut cur = node;
    let mut i = exprs.len();
    while i > 0 {
        i -= 1;
        let parent = exprs[i];
        match parent {
            Expr::Attribute(a) if a.value.range() == cur => {
                let attr = a.attr.as_str();
                let called = i > 0 && matches!(exprs[i - 1], Expr::Call(c) if c.func.range() == parent.range());
                if attr == "close" && called {
                    return Flow::Managed;
                }
                if SAME_FILE_ATTRS.contains(&attr) {
                    cur = if called {
                        i -= 1;
                        exprs[i].range()
                    } else {
                        parent.range()
                    };
                    continue;
                }
                return Flow::Consumed;
            }
            Expr::Call(call) if call.func.range() == cur => return Flow::Consumed,
            Expr::Call(call) => {
                let callee = scope.qualify(cx, &call.func);
                let callee_q = callee.as_deref().unwrap_or("");
                let method = match call.func.as_ref() {
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                // unittest's `self.assertEqual(f, ...)` and friends only look at their arguments.
                if CONSUMERS.contains(&callee_q) || method.is_some_and(|m| m.starts_with("assert")) {
                    return Flow::Consumed;
                }
                if MANAGING_FUNCS.contains(&callee_q) || method.is_some_and(|m| MANAGING_METHODS.contains(&m)) {
                    return Flow::Managed;
                }
                if WRAPPERS.contains(&callee_q) {
                    cur = parent.range();
                    continue;
                }
                // "".join(f), b"".join(f): consumed at once.
                if method == Some("join")
                    && matches!(call.func.as_ref(), Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::StringLiteral(_) | Expr::BytesLiteral(_)))
                {
                    return Flow::Consumed;
                }
                if let Some(m) = method.filter(|m| STORING_METHODS.contains(m)) {
                    return Flow::Escapes(format!("it is stored by `.{m}()`"));
                }
                // Code pyfix cannot see: assume its result may hold the file, and follow it.
                unknown.get_or_insert_with(|| cx.source.slice(call.func.range()).to_string());
                cur = parent.range();
            }
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) | Expr::Starred(_) | Expr::BoolOp(_) => {
                cur = parent.range();
            }
            Expr::If(e) => {
                if e.test.range() == cur {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                if generators.first().is_some_and(|g| g.iter.range() == cur) {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::Generator(_) => cur = parent.range(),
            Expr::Await(_) => cur = parent.range(),
            Expr::Yield(_) | Expr::YieldFrom(_) => return Flow::Escapes("it is yielded".into()),
            Expr::Named(_) => return Flow::Escapes("it is bound by `:=`".into()),
            Expr::Lambda(_) => return Flow::Escapes("a lambda captures it".into()),
            _ => return Flow::Consumed,
        }
    }
    match stmt {
        Stmt::Assign(a) if a.value.range() == cur => match a.targets.as_slice() {
            [Expr::Name(n)] => Flow::Kept(n.id.to_string()),
            [target] => Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range()))),
            _ => Flow::Escapes("it is assigned to several targets".into()),
        },
        Stmt::AnnAssign(a) if a.value.as_ref().is_some_and(|v| v.range() == cur) => match a.target.as_ref() {
            Expr::Name(n) => Flow::Kept(n.id.to_string()),
            target => Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range()))),
        },
        Stmt::AugAssign(a) if a.value.range() == cur => Flow::Escapes("it is stored by `+=`".into()),
        Stmt::Return(_) => Flow::Escapes("it is returned".into()),
        Stmt::For(f) if f.iter.range() == cur => Flow::Iterated,
        Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == cur) => Flow::Managed,
        Stmt::Raise(_) => Flow::Escapes("it is raised".into()),
        _ => Flow::Consumed,
    }
}

/// Why evaluating `node` where it stands is conditional or deferred (so a `with` around the statement would open
/// it at another time), if it is.
fn deferred(node: TextRange, exprs: &[&Expr]) -> Option<&'static str> {
    let mut cur = node;
    for parent in exprs.iter().rev() {
        match parent {
            Expr::BoolOp(b) if b.values.first().is_some_and(|v| v.range() != cur) => {
                return Some("it is opened only when the `and`/`or` gets that far")
            }
            Expr::If(e) if e.test.range() != cur => return Some("it is opened only in one branch of a conditional"),
            Expr::Lambda(_) => return Some("it is opened inside a lambda"),
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
                if !generators.first().is_some_and(|g| g.iter.range() == cur) =>
            {
                return Some("it is opened once per item of a comprehension")
            }
            _ => {}
        }
        cur = parent.range();
    }
    None
}

// ---------------------------------------------------------------------------------------------------------------
// One statement.

fn check_statement(cx: &Context, site: Site, out: &mut Vec<Finding>) {
    let Site { scope, block, index: i, .. } = site;

    let stmt = &block[i];
    for expr in own_expressions(stmt) {
        for (call, exprs, opener) in open_calls(cx, scope, expr) {
            let mut chain: Vec<&Expr> = Vec::new();
            // `own_expressions` yields top-level expressions: `expr` itself encloses the call unless it is the call.
            if expr.range() != call.range() {
                chain.push(expr);
            }
            chain.extend(exprs);
            if let Some(f) = check_open(cx, site, call, &chain, &opener) {
                out.push(f);
            }
        }
    }
}

fn check_open(cx: &Context, site: Site, call: &ast::ExprCall, exprs: &[&Expr], opener: &str) -> Option<Finding> {
    let Site { scope, block, index: i, .. } = site;

    let stmt = &block[i];
    let range = call.range();
    let shown = format!("{opener}()");
    let (flow, unknown) = flow(cx, scope, range, exprs, stmt);
    let unsafe_reason = unknown.as_ref().map(|callee| format!("`{callee}()` may keep the file for later use"));
    match flow {
        Flow::Managed => None,
        Flow::Kept(name) if exprs.is_empty() => named_handle(cx, site, call, &name, &shown),
        Flow::Kept(_) if unknown.as_deref().is_some_and(unknown_is_constructor) => {
            let callee = unknown.as_deref().unwrap_or_default();
            Some(Finding::without_fix(
                NAME,
                range,
                format!("the file from `{shown}` is never closed"),
                format!("`{callee}(...)` builds an object that likely keeps the file and uses it later"),
            ))
        }
        Flow::Kept(_) if unsafe_reason.is_some() => {
            Some(inline_fix(cx, scope, stmt, call, format!("the file from `{shown}` is never closed"), unsafe_reason))
        }
        Flow::Kept(name) => Some(Finding::without_fix(
            NAME,
            range,
            format!("the file from `{shown}` is kept open by `{name}`"),
            format!("`{name}` wraps the file; open it with `with` and use `{name}` inside the block"),
        )),
        Flow::Escapes(how) => escaping(scope, stmt, range, &shown, &how),
        Flow::Consumed | Flow::Iterated => {
            let message = format!("the file from `{shown}` is never closed");
            if let Some(why) = deferred(range, exprs) {
                return Some(Finding::without_fix(NAME, range, message, why));
            }
            Some(inline_fix(cx, scope, stmt, call, message, unsafe_reason))
        }
    }
}

/// `return open(p)`, `self.f = open(p)`: the caller or the object owns the file; pyfix reports and does not fix,
/// unless the class closes that attribute somewhere.
fn escaping(scope: &Scope, stmt: &Stmt, range: TextRange, shown: &str, how: &str) -> Option<Finding> {
    if let Stmt::Assign(a) = stmt {
        if let [Expr::Attribute(attr)] = a.targets.as_slice() {
            let on_self = matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self");
            if on_self && scope.class_closes.is_some_and(|c| c.contains(attr.attr.as_str()) || c.contains(ANY_ATTR)) {
                return None;
            }
        }
    }
    Some(Finding::without_fix(
        NAME,
        range,
        format!("the file from `{shown}` escapes: {how}"),
        "whoever receives the file must close it; pyfix cannot see that code",
    ))
}

/// `data = open(p).read()`, `for line in open(p):`, `json.load(open(p))`: wrap the statement in
/// `with open(p) as f:` and use `f` in place of the call.
fn inline_fix(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    call: &ast::ExprCall,
    message: String,
    unsafe_reason: Option<String>,
) -> Finding {
    let range = call.range();
    let no_fix = |why: &str| Finding::without_fix(NAME, range, message.clone(), why.to_string());
    let allowed = matches!(
        stmt,
        Stmt::Expr(_)
            | Stmt::Assign(_)
            | Stmt::AugAssign(_)
            | Stmt::AnnAssign(_)
            | Stmt::Return(_)
            | Stmt::For(_)
            | Stmt::If(_)
            | Stmt::Assert(_)
            | Stmt::Delete(_)
            | Stmt::Raise(_)
    );
    if !allowed {
        return no_fix("pyfix cannot put a `with` around this kind of statement");
    }
    if let Stmt::If(s) = stmt {
        if !s.test.range().contains_range(range) {
            return no_fix("the call is in an `elif` test");
        }
    }
    let own_lines = match stmt {
        // A compound statement: its header starts a line and its body starts another.
        Stmt::For(ast::StmtFor { body, .. }) | Stmt::If(ast::StmtIf { body, .. }) => {
            cx.source.starts_line(stmt.start()) && body.first().is_some_and(|b| cx.source.starts_line(b.start()))
        }
        _ => cx.stands_alone(stmt.range()),
    };
    if !own_lines {
        return no_fix("the statement shares a line with another statement or with its body");
    }
    let mut unsafe_reason = unsafe_reason;
    if contains_suspension(stmt) {
        unsafe_reason
            .get_or_insert_with(|| "the file now stays open while the code is suspended at `yield`/`await`".into());
    }
    if scope.kind == ScopeKind::Class {
        unsafe_reason.get_or_insert_with(|| "the `with` target becomes a class attribute".into());
    }
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    // `open(p)` alone as a statement (tests of open's errors): `with open(p):` + `pass`.
    if matches!(stmt, Stmt::Expr(e) if e.value.range() == range) {
        // `pass` goes after the end of the line, so a trailing comment stays on the `with` line.
        let edits = vec![
            Edit::replace(range, format!("with {}:", cx.source.slice(range))),
            Edit::insert(cx.source.line_end(stmt.end()), format!("{le}{indent}{unit}pass")),
        ];
        return Finding::new(NAME, range, message, Fix::new("Open it in a `with` block", unsafe_reason, edits));
    }
    let name = scope.fresh_name(cx, &["f", "fh", "fp", "fobj"]);
    let header = format!("with {} as {name}:{le}{indent}{unit}", cx.source.slice(range));
    let mut edits = vec![Edit::insert(stmt.start(), header), Edit::replace(range, name.clone())];
    // Re-indent the statement's other lines, but not the moved call's own lines.
    for e in cx.reindent(stmt.range(), &unit) {
        if !(range.start() < e.range.start() && e.range.start() <= range.end()) {
            edits.push(e);
        }
    }
    let title = format!("Wrap the statement in `with {} as {name}:`", short(cx.source.slice(range)));
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason, edits))
}

fn short(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// True when the statement (not nested functions) holds a `yield` or an `await`.
fn contains_suspension(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, s);
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(false);
    f.visit_stmt(stmt);
    if let Stmt::For(s) = stmt {
        f.0 |= s.is_async;
    }
    f.0
}

// ---------------------------------------------------------------------------------------------------------------
// `f = open(p)` followed by uses of `f`.

fn named_handle(cx: &Context, site: Site, call: &ast::ExprCall, name: &str, shown: &str) -> Option<Finding> {
    let Site { scope, block, index: i, stack } = site;

    let stmt = &block[i];
    let uses = scope.uses(name);
    let after: Vec<&Occ> = uses.iter().filter(|o| o.range.start() >= stmt.end()).collect();

    // Correct code, left alone: closed in a `finally`, managed by `with`/`closing`/`enter_context`, or its
    // `close` registered as a callback.
    for occ in &after {
        let stmt_of = occ.stmts.last().copied().unwrap_or(stmt);
        let exprs = occ.exprs();
        let (f, unknown) = flow(cx, scope, occ.range, &exprs, stmt_of);
        let is_close_call = f == Flow::Managed && is_close_call(occ.range, &exprs);
        // Closed in a `finally`, or handed to a helper there (`_sync_close(f)`).
        if in_finally(occ) && (is_close_call || unknown.is_some()) {
            return None;
        }
        // `except: f.close(); raise`: closed on error, deliberately kept open (owned by someone) on success.
        if is_close_call && in_except(occ) {
            return None;
        }
        if f == Flow::Managed && !is_close_call {
            return None;
        }
        // `atexit.register(f.close)`: the bound method is handed over.
        if let Some(Expr::Attribute(a)) = exprs.last() {
            if a.attr.as_str() == "close" && !is_close_call {
                return None;
            }
        }
    }

    if closed_next(block, i, stack, name) {
        return None;
    }
    let closes_on_normal_path = after.iter().any(|o| is_close_call(o.range, &o.exprs()));
    let message = if closes_on_normal_path {
        format!("`{name}` from `{shown}` is not closed if an exception is raised before `{name}.close()`")
    } else {
        format!("`{name}` from `{shown}` is never closed")
    };
    let range = call.range();
    let no_fix = |why: String| Some(Finding::without_fix(NAME, range, message.clone(), why));

    if scope.declared.contains(name) {
        return no_fix(format!("`{name}` is declared `global`/`nonlocal`, so the file outlives this scope"));
    }
    if scope.kind == ScopeKind::Class {
        return no_fix(format!("`{name}` is a class attribute"));
    }
    if matches!(stmt, Stmt::AnnAssign(_)) {
        return no_fix(format!("a `with` target cannot carry the annotation of `{name}`"));
    }
    if uses.iter().any(|o| o.captured) {
        return no_fix(format!("`{name}` is used by a nested function, lambda or generator, which may run later"));
    }
    if !cx.stands_alone(stmt.range()) {
        return no_fix("the assignment shares its line with another statement".into());
    }

    match plan(cx, site, name) {
        Ok(plan) => Some(with_block(cx, block, i, &plan, Header::Replace(call), name, message)),
        Err(why) => match after_try(cx, site, name) {
            Some((frame, plan)) => {
                Some(with_block(cx, frame.block, frame.index, &plan, Header::Before(call.range()), name, message))
            }
            None => no_fix(why),
        },
    }
}

/// What the `with` block covers: `block[i..=last]`, less a trailing `name.close()` statement.
struct Plan {
    last: usize,
    close_stmt: Option<usize>,
    unsafe_reason: Option<String>,
}

/// Follows `name`, bound by `block[i]`, and the names that wrap it through the rest of `block`: where the `with`
/// block must end, and why it cannot be written (`Err`) or is unsafe.
fn plan(cx: &Context, site: Site, name: &str) -> Result<Plan, String> {
    let Site { scope, block, index: i, stack } = site;

    // The statement that rebinds `name` at this level ends this handle's life.
    let rebind = block[i + 1..].iter().position(|s| binds_name(s, name)).map(|k| i + 1 + k);
    let limit = rebind.unwrap_or(block.len());
    let index_of = |r: TextRange| block[..limit].iter().position(|s| s.range().contains_range(r));

    let stmt = &block[i];
    // Follow `name` and the names that wrap it (`reader = csv.reader(f)`) through the block.
    // `weak`: bound to what an unknown function returned; it may hold the file (so its uses stay in the block)
    // or not (so it may outlive the block: the fix is unsafe already).
    let mut tracked: Vec<(String, bool)> = vec![(name.to_string(), false)];
    let mut last = i;
    let mut close_stmt: Option<usize> = None;
    let mut unsafe_reason: Option<String> = None;
    let mut k = 0;
    while k < tracked.len() {
        let (tname, weak) = tracked[k].clone();
        k += 1;
        for occ in scope.uses(&tname) {
            if stmt.range().contains_range(occ.range) {
                continue;
            }
            if occ.range.start() < stmt.end() {
                // An earlier binding, unless a loop carries it into this one.
                if let Some(lp) = innermost_loop(stack) {
                    if lp.range().contains_range(occ.range) {
                        return Err(format!("`{tname}` is used across loop iterations"));
                    }
                }
                continue;
            }
            if occ.captured && !weak {
                return Err(format!("`{tname}` is used by a nested function, lambda or generator"));
            }
            let Some(j) = index_of(occ.range) else {
                if rebind.is_some() && tname == name {
                    continue;
                }
                if rebind.is_some_and(|r| occ.range.start() >= block[r].start() && occ.range.end() <= block[r].end()) {
                    continue;
                }
                if weak {
                    continue;
                }
                return Err(format!("`{tname}` is used after the block that opens it"));
            };
            // The original closes the file there: what wraps it is used after the close in the original too.
            if tname != name && close_stmt.is_some_and(|c| j > c) {
                continue;
            }
            if occ.ctx.is_store() {
                let top_level_assign =
                    matches!(&block[j], Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == occ.range);
                if tname == name || !top_level_assign {
                    return Err(format!("`{tname}` is rebound while the file is open"));
                }
                continue;
            }
            if occ.ctx.is_del() {
                last = last.max(j);
                continue;
            }
            let stmt_of = occ.stmts.last().copied().unwrap_or(&block[j]);
            let exprs = occ.exprs();
            let (f, unknown) = flow(cx, scope, occ.range, &exprs, stmt_of);
            if let Some(callee) = &unknown {
                if !weak {
                    unsafe_reason.get_or_insert(format!("`{tname}` is passed to `{callee}()`, which may keep it open"));
                }
            }
            match f {
                Flow::Consumed | Flow::Iterated => {}
                Flow::Managed => {
                    if tname == name
                        && is_close_call(occ.range, &exprs)
                        && is_close_statement(&block[j], &exprs)
                        && close_stmt.is_none()
                    {
                        close_stmt = Some(j);
                    }
                }
                Flow::Kept(other) => {
                    if other != tname && !tracked.iter().any(|(t, _)| *t == other) {
                        // A constructor (`StreamHandler(f)`) keeps what it is given: follow its result as strictly
                        // as a known wrapper's. A plain function's result may or may not hold the file.
                        let weak_result = unknown.as_deref().is_some_and(|c| !unknown_is_constructor(c));
                        tracked.push((other, weak || weak_result));
                    }
                }
                Flow::Escapes(_) if weak => {}
                Flow::Escapes(how) => return Err(format!("`{tname}` escapes: {how}")),
            }
            last = last.max(j);
        }
    }

    // Uses after an explicit close would now meet a closed file just the same, but keep the code simple to read:
    // the block ends at the close.
    if let Some(c) = close_stmt {
        if last > c {
            return Err(format!("`{name}` is used after `{name}.close()`"));
        }
    }
    for s in &block[i..=last] {
        if !cx.stands_alone(s.range())
            && !matches!(
                s,
                Stmt::If(_)
                    | Stmt::For(_)
                    | Stmt::While(_)
                    | Stmt::With(_)
                    | Stmt::Try(_)
                    | Stmt::FunctionDef(_)
                    | Stmt::ClassDef(_)
                    | Stmt::Match(_)
            )
        {
            return Err("statements in the block share a line".into());
        }
        if !cx.source.starts_line(s.start()) {
            return Err("statements in the block share a line".into());
        }
    }
    Ok(Plan { last, close_stmt, unsafe_reason })
}

/// `try: f = open(p)` / `except OSError: return ...` followed by uses of `f` after the `try`: the `with f:` block
/// goes after the `try`, which stays as it is. Only when the open ends the `try` body (so nothing else in it can
/// raise with the file open), there is no `else`/`finally`, and every handler leaves (so `f` is bound after the
/// `try`) without touching `f`.
fn after_try<'a>(cx: &Context, site: Site<'_, 'a>, name: &str) -> Option<(Frame<'a>, Plan)> {
    let Site { scope, block, index: i, stack } = site;

    let (frame, outer) = stack.split_last()?;
    let Stmt::Try(t) = frame.stmt() else { return None };
    let opens_last = i + 1 == block.len() && t.body.last().map(Ranged::range) == block.last().map(Ranged::range);
    if !opens_last || !t.orelse.is_empty() || !t.finalbody.is_empty() || t.is_star {
        return None;
    }
    let handlers_leave = t.handlers.iter().all(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        let touches = scope.uses(name).iter().any(|o| h.range.contains_range(o.range));
        !touches && matches!(h.body.last(), Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_)))
    });
    if !handlers_leave {
        return None;
    }
    let plan = plan(cx, Site { scope, block: frame.block, index: frame.index, stack: outer }, name).ok()?;
    (plan.last > frame.index).then_some((*frame, plan))
}

/// How the `with` line is written.
enum Header<'c> {
    /// `f = open(p)` becomes `with open(p) as f:`.
    Replace(&'c ast::ExprCall),
    /// `with f:` goes before the statement after `block[i]` (a `try` that opened `f` with the call at this range).
    Before(TextRange),
}

fn with_block(
    cx: &Context,
    block: &[Stmt],
    i: usize,
    plan: &Plan,
    header: Header,
    name: &str,
    message: String,
) -> Finding {
    let Plan { last, close_stmt, ref unsafe_reason } = *plan;
    let stmt = &block[i];
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    let (mut edits, body_start, range) = match header {
        Header::Replace(call) => (
            vec![Edit::replace(stmt.range(), format!("with {} as {name}:", cx.source.slice(call.range())))],
            stmt.end(),
            call.range(),
        ),
        Header::Before(call) => {
            let at = cx.source.line_start(block[i + 1].start());
            // The range starts on the line before, so the first body line is re-indented too.
            (vec![Edit::insert(at, format!("{indent}with {name}:{le}"))], at - TextSize::from(1), call)
        }
    };
    let body_end: TextSize = match close_stmt {
        Some(c) => block[c].start(),
        None => block[last].end(),
    };
    let body_range = TextRange::new(body_start, body_end);
    let close_line = close_stmt.map(|c| cx.full_lines(block[c].range()));
    edits.extend(
        cx.reindent(body_range, &unit).into_iter().filter(|e| !close_line.is_some_and(|l| l.contains(e.range.start()))),
    );
    if let Some(c) = close_stmt {
        // Invariant: statements stand between the open and the close (`closed_next` leaves an open followed at once
        // by its close alone), so removing the close never empties the block.
        let close = &block[c];
        let line = cx.full_lines(close.range());
        // Keep a comment that trails the `close()` call, on a line of its own.
        let comment = cx.source.slice(TextRange::new(close.end(), cx.source.line_end(close.end()))).trim();
        let mut replacement = String::new();
        if !comment.is_empty() {
            replacement.push_str(&format!("{indent}{unit}{comment}"));
            // The last line of the file may have no line break.
            if cx.source.slice(line).ends_with(['\n', '\r']) {
                replacement.push_str(le);
            }
        }
        edits.push(Edit::replace(line, replacement));
    } else if last == i {
        // Nothing uses the file: an empty block. After the end of the line, so a trailing comment stays on the
        // `with` line.
        edits.push(Edit::insert(cx.source.line_end(stmt.end()), format!("{le}{indent}{unit}pass")));
    }
    let title = match header {
        Header::Replace(_) => format!("Open `{name}` in a `with` block"),
        Header::Before(_) => format!("Close `{name}` with a `with {name}:` block after the `try`"),
    };
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason.clone(), edits))
}

/// Nothing can raise between the open and `name.close()`: the close is the next statement, or the open ends a
/// `try` body and the close is the first statement of its `else` or the statement after the `try`.
fn closed_next(block: &[Stmt], i: usize, stack: &[Frame], name: &str) -> bool {
    let is_close = |s: &Stmt| match s {
        Stmt::Expr(e) => matches!(e.value.as_ref(), Expr::Call(c) if c.arguments.is_empty()
            && matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "close"
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name))),
        _ => false,
    };
    if let Some(next) = block.get(i + 1) {
        // `try: f.close() ...`: the close still runs first.
        return match next {
            Stmt::Try(t) => t.body.first().is_some_and(is_close),
            other => is_close(other),
        };
    }
    // The open is the last statement of its block: is that block a `try` body?
    let Some(frame) = stack.last() else { return false };
    let Stmt::Try(t) = frame.stmt() else { return false };
    if t.body.last().map(Ranged::range) != block.last().map(Ranged::range) || !t.finalbody.is_empty() {
        return false;
    }
    match t.orelse.first() {
        Some(first) => is_close(first),
        None => frame.block.get(frame.index + 1).is_some_and(is_close),
    }
}

/// `FileResponse`, `logging.StreamHandler`: a class, by the naming convention, whose instances keep their arguments.
fn unknown_is_constructor(callee: &str) -> bool {
    callee
        .rsplit('.')
        .next()
        .and_then(|last| last.trim_start_matches('_').chars().next())
        .is_some_and(char::is_uppercase)
}

fn innermost_loop<'a>(stack: &[Frame<'a>]) -> Option<&'a Stmt> {
    stack.iter().rev().map(Frame::stmt).find(|s| matches!(s, Stmt::For(_) | Stmt::While(_)))
}

/// `name.close()`: the name at `range` with enclosing expressions `exprs`.
fn is_close_call(range: TextRange, exprs: &[&Expr]) -> bool {
    let n = exprs.len();
    n >= 2
        && matches!(exprs[n - 1], Expr::Attribute(a) if a.attr.as_str() == "close" && a.value.range() == range)
        && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range())
}

/// The statement is exactly `name.close()`.
fn is_close_statement(stmt: &Stmt, exprs: &[&Expr]) -> bool {
    matches!(stmt, Stmt::Expr(e) if exprs.len() == 2 && e.value.range() == exprs[0].range())
}

fn in_except(occ: &Occ) -> bool {
    occ.stmts.iter().any(|s| match s {
        Stmt::Try(t) => t.handlers.iter().any(|h| h.range().contains_range(occ.range)),
        _ => false,
    })
}

fn in_finally(occ: &Occ) -> bool {
    occ.stmts.iter().any(|s| match s {
        Stmt::Try(t) => t.finalbody.iter().any(|b| b.range().contains_range(occ.range)),
        _ => false,
    })
}

/// The statement (at its own level) assigns `name`.
fn binds_name(stmt: &Stmt, name: &str) -> bool {
    let is = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match stmt {
        Stmt::Assign(a) => a.targets.iter().any(is),
        Stmt::AnnAssign(a) => a.value.is_some() && is(&a.target),
        _ => false,
    }
}
