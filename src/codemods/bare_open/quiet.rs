//! Where opens are left alone because no real file can leak there: `open` is mocked, or the code tests that the
//! open raises or that something leaks on purpose (`quiet_ranges`).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemod::Substrings;
use crate::codemods::Context;

use super::callees::opener;

/// Where opens are left alone because no real file can leak there:
/// - `open` is mocked: a function or class decorated with `mock.patch("builtins.open")`, a class that patches it
///   anywhere (`patch(...).start()` in `setUp`), the body of `with patch("builtins.open", ...)`, a function that
///   uses `mock_open`;
/// - the code tests that the open raises: the body of `with self.assertRaises(...)`/`pytest.raises(...)`, or
///   `open(p)` alone in a `try` whose handlers catch its error and leave;
/// - a test that asserts on `ResourceWarning` (it leaks on purpose).
pub(super) fn quiet_ranges(cx: &Context) -> Vec<TextRange> {
    struct Quiet<'c, 'x> {
        cx: &'c Context<'x>,
        /// Words that make a function leave its opens alone, among those the file contains at all.
        words: Vec<&'static str>,
        /// The file mentions `patch` at all.
        patches: bool,
        out: Vec<TextRange>,
    }
    impl<'a> Visitor<'a> for Quiet<'_, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f)
                    if f.decorator_list.iter().any(|d| patches_open(self.cx, &d.expression))
                        || self.words.iter().any(|w| self.cx.source.slice(f.range()).contains(w)) =>
                {
                    self.out.push(f.range());
                    return;
                }
                Stmt::ClassDef(c)
                    if c.decorator_list.iter().any(|d| patches_open(self.cx, &d.expression))
                        || (self.patches && calls_patch_open(self.cx, &c.body)) =>
                {
                    self.out.push(c.range());
                    return;
                }
                Stmt::With(w) => {
                    let items = w.items.iter().map(|i| &i.context_expr);
                    if items.clone().any(|e| patches_open(self.cx, e)) {
                        self.out.push(w.range());
                        return;
                    }
                    // `with contextlib.suppress(OSError): open(p)`: like `try`/`except OSError`, a probe.
                    if items.clone().any(suppresses_open_errors) {
                        for s in &w.body {
                            if is_open_to_raise(self.cx, s) {
                                self.out.push(s.range());
                            }
                        }
                    }
                    if items.clone().any(expects_raise) {
                        if let (Some(first), Some(last)) = (w.body.first(), w.body.last()) {
                            self.out.push(TextRange::new(first.start(), last.end()));
                        }
                    }
                }
                Stmt::Try(t) if probes(t) => {
                    for s in &t.body {
                        if is_open_to_raise(self.cx, s) {
                            self.out.push(s.range());
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        // Only statements matter here, and no statement nests in an expression.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    // One vectorised pass over the whole text for the five words (one `memmem` pass per word read it five times;
    // `str::contains` cost five times as many instructions as that).
    const WORDS: [&str; 4] = ["mock_open", "ResourceWarning", "resource_warning", "RESOURCE_WARNING"];
    static SEARCHED: Substrings =
        Substrings::new(&["mock_open", "ResourceWarning", "resource_warning", "RESOURCE_WARNING", "patch"]);
    let present = SEARCHED.present(cx.source.text());
    let words = WORDS.into_iter().enumerate().filter(|(i, _)| present & (1 << i) != 0).map(|(_, w)| w).collect();
    let mut q = Quiet { cx, words, patches: present & (1 << WORDS.len()) != 0, out: Vec::new() };
    q.visit_body(&cx.module.body);
    q.out
}

/// A `try` whose handlers catch what an open in its body raises and leave, or all expect an error: an open there
/// that nothing uses is a probe.
pub(super) fn probes(t: &ast::StmtTry) -> bool {
    !t.is_star && (handlers_catch_open_errors(t) || handlers_expect_raise(t))
}

/// A statement that fails the test wherever it runs, when no handler of `t` (the `try` it stands in) catches the
/// failure (`AssertionError`, `Exception`, `BaseException`, bare `except:`): `self.fail(...)`, `pytest.fail(...)`,
/// `assert False`, `self.assertTrue(False)`, `self.assertFalse(True)`, `self.assertEqual(0, 1)` (two different
/// integers, or two different strings).
pub(super) fn fails_test(cx: &Context, t: &ast::StmtTry, stmt: &Stmt) -> bool {
    let catches_failure = t.handlers.iter().any(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        let catches = |e: &Expr| {
            matches!(e, Expr::Name(n) if matches!(n.id.as_str(), "AssertionError" | "Exception" | "BaseException"))
                || matches!(e, Expr::Attribute(a) if a.attr.as_str() == "failureException")
        };
        match h.type_.as_deref() {
            None => true,
            Some(Expr::Tuple(tuple)) => tuple.elts.iter().any(catches),
            Some(e) => catches(e),
        }
    });
    if catches_failure {
        return false;
    }
    let falsy = |e: &Expr| match e {
        Expr::BooleanLiteral(b) => !b.value,
        Expr::NumberLiteral(_) => cx.source.slice(e.range()) == "0",
        _ => false,
    };
    let int = |e: &Expr| matches!(e, Expr::NumberLiteral(n) if matches!(n.value, ast::Number::Int(_)));
    let differ = |a: &Expr, b: &Expr| match (a, b) {
        (Expr::StringLiteral(x), Expr::StringLiteral(y)) => x.value.to_str() != y.value.to_str(),
        _ => int(a) && int(b) && cx.source.slice(a.range()) != cx.source.slice(b.range()),
    };
    match stmt {
        Stmt::Assert(a) => falsy(&a.test),
        Stmt::Expr(e) => {
            let Expr::Call(c) = e.value.as_ref() else { return false };
            let method = match c.func.as_ref() {
                Expr::Attribute(a) => a.attr.as_str(),
                Expr::Name(n) => n.id.as_str(),
                _ => return false,
            };
            let args = &c.arguments.args;
            match method {
                "fail" => true,
                "assertTrue" => args.first().is_some_and(falsy),
                "assertFalse" => matches!(args.first(), Some(Expr::BooleanLiteral(b)) if b.value),
                "assertEqual" | "assertEquals" => match args.as_ref() {
                    [a, b, ..] => differ(a, b),
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

/// `open(p)` alone, or `f = open(p)` with `f` never used: the statement only tests that the file opens.
fn is_open_to_raise(cx: &Context, stmt: &Stmt) -> bool {
    let is_open = |e: &Expr| matches!(e, Expr::Call(c) if opener(cx, c).is_some());
    match stmt {
        Stmt::Expr(e) => is_open(&e.value),
        Stmt::Assign(a) => match a.targets.as_slice() {
            // Local, and no use of the name after the statement (whichever binding the model gives it).
            [Expr::Name(n)] => {
                let model = cx.semantic;
                is_open(&a.value)
                    && model.binding_of(n).is_some_and(|b| {
                        let binding = model.binding(b);
                        let local = binding.stmt.is_some_and(|s| model.stmt_scope(s) == binding.scope);
                        let scope = model.scope(binding.scope);
                        local
                            && scope.bindings_of(binding.name).iter().all(|other| {
                                let refs = &model.binding(*other).references;
                                refs.iter().all(|r| model.reference(*r).range.start() < stmt.end())
                            })
                    })
            }
            _ => false,
        },
        _ => false,
    }
}

/// `mock.patch("builtins.open", ...)`, `patch("mymod.open")`, `patch("%s.open" % name)`,
/// `patch.object(builtins, "open")`.
fn patches_open(cx: &Context, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let last = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(a.attr.to_string()),
        _ => None,
    };
    let string = |i: usize| match call.arguments.args.get(i) {
        Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
        _ => None,
    };
    // A target built at run time: its text names `.open`.
    let built = |i: usize| {
        call.arguments.args.get(i).is_some_and(|a| {
            matches!(a, Expr::BinOp(_) | Expr::FString(_) | Expr::Call(_))
                && cx.source.slice(a.range()).contains(".open")
        })
    };
    match last(&call.func).as_deref() {
        Some("patch") => string(0).is_some_and(|t| t == "open" || t.ends_with(".open")) || built(0),
        Some("object") => {
            matches!(call.func.as_ref(), Expr::Attribute(a) if last(&a.value).as_deref() == Some("patch"))
                && string(1).as_deref() == Some("open")
        }
        _ => false,
    }
}

/// Some call in `body` patches `open` (`self.patcher = mock.patch("builtins.open")` in `setUp`).
fn calls_patch_open(cx: &Context, body: &[Stmt]) -> bool {
    struct Finder<'c, 'x>(&'c Context<'x>, bool);
    impl<'a> Visitor<'a> for Finder<'_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if patches_open(self.0, e) {
                self.1 = true;
            }
            if !self.1 {
                visitor::walk_expr(self, e);
            }
        }
    }
    let mut f = Finder(cx, false);
    f.visit_body(body);
    f.1
}

/// `self.assertRaises(E)`, `self.assertRaisesRegex(E, ...)`, `pytest.raises(E)` used as a context manager.
fn expects_raise(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    match call.func.as_ref() {
        Expr::Attribute(a) => {
            let m = a.attr.as_str();
            m.starts_with("assertRaises")
                || (m == "raises" && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "pytest"))
        }
        Expr::Name(n) => n.id.as_str() == "raises",
        _ => false,
    }
}

/// `suppress(OSError)`, `contextlib.suppress(FileNotFoundError, ...)`: some argument is what `open` raises.
fn suppresses_open_errors(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let named = match call.func.as_ref() {
        Expr::Name(n) => n.id.as_str() == "suppress",
        Expr::Attribute(a) => a.attr.as_str() == "suppress",
        _ => false,
    };
    named && call.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if OPEN_ERRORS.contains(&n.id.as_str())))
}

/// What `open` raises (`OSError` and its subclasses), and what catches it.
const OPEN_ERRORS: &[&str] = &[
    "OSError",
    "IOError",
    "EnvironmentError",
    "FileNotFoundError",
    "PermissionError",
    "IsADirectoryError",
    "NotADirectoryError",
    "Exception",
    "BaseException",
];

/// Every handler is one the code expects to run: none fails the test (`self.fail(...)`) or raises, so the body's
/// open of an object never used after it (`zf = ZipFile(bad)`, `except BadZipFile: pass`) is there to raise.
fn handlers_expect_raise(t: &ast::StmtTry) -> bool {
    struct Fails(bool);
    impl<'a> Visitor<'a> for Fails {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if matches!(s, Stmt::Raise(_)) {
                self.0 = true;
            }
            visitor::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(c) = e {
                let fails = match c.func.as_ref() {
                    Expr::Attribute(a) => a.attr.as_str() == "fail",
                    Expr::Name(n) => n.id.as_str() == "fail",
                    _ => false,
                };
                self.0 |= fails;
            }
            visitor::walk_expr(self, e);
        }
    }
    !t.handlers.is_empty()
        && t.handlers.iter().all(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let mut f = Fails(false);
            f.visit_body(&h.body);
            h.type_.is_some() && !f.0
        })
}

/// Every handler catches what `open` raises (`OSError` and its subclasses, `Exception`, bare `except`).
fn handlers_catch_open_errors(t: &ast::StmtTry) -> bool {
    let catches = |e: &Expr| match e {
        Expr::Name(n) => OPEN_ERRORS.contains(&n.id.as_str()),
        _ => false,
    };
    !t.handlers.is_empty()
        && t.handlers.iter().all(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let caught = match h.type_.as_deref() {
                None => true,
                Some(Expr::Tuple(tuple)) => tuple.elts.iter().any(catches),
                Some(e) => catches(e),
            };
            caught
        })
}

/// The classes that open what `resource` opens, by their last names: the HTTP connection classes for `urlopen` (and
/// the factory itself) and for themselves. Other kinds are not looked for (a fake socket class is rare, and the
/// question costs a walk of the module).
fn opening_classes(resource: &str) -> Vec<&str> {
    match resource {
        "urllib.request.urlopen" => vec!["urlopen", "HTTPConnection", "HTTPSConnection"],
        "http.client.HTTPConnection" | "http.client.HTTPSConnection" => vec!["HTTPConnection", "HTTPSConnection"],
        _ => Vec::new(),
    }
}

/// A test replaced the class that opens `resource` with a fake that holds no OS resource, in this function
/// (`body`), in a function or method of the module it calls (`self.fakehttp(data)`, which assigns
/// `http.client.HTTPConnection = FakeHTTPConnection`), or in its class's `setUp`: by assignment
/// (`http.client.HTTPConnection = fake`), `setattr(http.client, "HTTPConnection", fake)`, or a patch
/// (`mock.patch("http.client.HTTPConnection")`, `patch.object(http.client, "HTTPConnection")`, also as a
/// decorator of the function). Only in test code.
pub(super) fn opener_faked(cx: &Context, body: &[Stmt], class_body: Option<&[Stmt]>, resource: &str) -> bool {
    if !crate::codemods::analyze::project::is_test_module(cx) {
        return false;
    }
    let classes = opening_classes(resource);
    if classes.is_empty() {
        return false;
    }
    // The functions of the module (by name) that replace it themselves, then those that call one of them.
    let mut defs: Vec<&ast::StmtFunctionDef> = Vec::new();
    collect_defs(&cx.module.body, &mut defs, 0);
    let mut faking: Vec<&str> = defs
        .iter()
        .filter(|d| {
            fakes(&d.body, &classes, &[]) || d.decorator_list.iter().any(|x| fakes_expr(&x.expression, &classes))
        })
        .map(|d| d.name.as_str())
        .collect();
    for _ in 0..2 {
        let more: Vec<&str> = defs
            .iter()
            .filter(|d| !faking.contains(&d.name.as_str()) && fakes(&d.body, &[], &faking))
            .map(|d| d.name.as_str())
            .collect();
        if more.is_empty() {
            break;
        }
        faking.extend(more);
    }
    if fakes(body, &classes, &faking) {
        return true;
    }
    // The function's own decorators are outside its body: found through its definition.
    let decorated = defs.iter().any(|d| std::ptr::eq(d.body.as_slice(), body) && faking.contains(&d.name.as_str()));
    decorated
        || class_body.is_some_and(|b| {
            b.iter()
                .any(|s| matches!(s, Stmt::FunctionDef(d) if d.name.as_str() == "setUp" && faking.contains(&"setUp")))
        })
}

fn collect_defs<'a>(body: &'a [Stmt], out: &mut Vec<&'a ast::StmtFunctionDef>, depth: usize) {
    if depth > 3 {
        return;
    }
    for s in body {
        match s {
            Stmt::FunctionDef(d) => {
                out.push(d);
                collect_defs(&d.body, out, depth + 1);
            }
            Stmt::ClassDef(c) => collect_defs(&c.body, out, depth + 1),
            _ => {}
        }
    }
}

/// `body` replaces one of `classes` (see `opener_faked`), or calls one of the functions `faking` (`helper(...)`,
/// `self.helper(...)`).
fn fakes(body: &[Stmt], classes: &[&str], faking: &[&str]) -> bool {
    let mut v = Fakes { classes, faking, found: false };
    v.visit_body(body);
    v.found
}

/// A decorator that replaces one of `classes` (`@mock.patch("http.client.HTTPConnection")`).
fn fakes_expr(e: &Expr, classes: &[&str]) -> bool {
    let mut v = Fakes { classes, faking: &[], found: false };
    v.visit_expr(e);
    v.found
}

struct Fakes<'s> {
    classes: &'s [&'s str],
    faking: &'s [&'s str],
    found: bool,
}
impl Fakes<'_> {
    fn names_class(&self, e: &Expr) -> bool {
        match e {
            Expr::Attribute(a) => self.classes.contains(&a.attr.as_str()),
            Expr::StringLiteral(s) => {
                let s = s.value.to_str();
                self.classes.iter().any(|c| s == *c || s.ends_with(&format!(".{c}")))
            }
            _ => false,
        }
    }
}
impl<'a> Visitor<'a> for Fakes<'_> {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        if self.found {
            return;
        }
        if let Stmt::Assign(a) = s {
            if a.targets.iter().any(|t| matches!(t, Expr::Attribute(_)) && self.names_class(t)) {
                self.found = true;
                return;
            }
        }
        visitor::walk_stmt(self, s);
    }
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.found {
            return;
        }
        if let Expr::Call(c) = e {
            let callee = match c.func.as_ref() {
                Expr::Name(n) => n.id.as_str(),
                Expr::Attribute(a) => a.attr.as_str(),
                _ => "",
            };
            let patching = matches!(callee, "patch" | "object" | "setattr")
                || matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "object"
                        && matches!(a.value.as_ref(), Expr::Attribute(p) if p.attr.as_str() == "patch")
                            | matches!(a.value.as_ref(), Expr::Name(p) if p.id.as_str() == "patch"));
            let replaces = patching
                && c.arguments.args.iter().take(2).any(|a| matches!(a, Expr::StringLiteral(_)) && self.names_class(a));
            if replaces || self.faking.contains(&callee) {
                self.found = true;
                return;
            }
        }
        visitor::walk_expr(self, e);
    }
}
