//! Whether anything in the project closes an attribute: an object stored on `obj.x` belongs to `obj`'s owner, and
//! is left open only where no code of the project ever closes an attribute of that name. One question per
//! attribute name to the project's words index; only the files naming it are read.

use std::cell::OnceCell;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use rustc_hash::FxHashSet;

use crate::codemod::Context;

/// Past this many files naming the attribute, pyfix does not read them all and assumes one of them closes it.
const MAX_FILES: usize = 64;

/// Methods that close what they are called on: `x.close()`, also a bound method handed on
/// (`self.addCleanup(self.x.close)`, `weakref.finalize(self, self.x.close)`).
const CLOSING_METHODS: &[&str] = &["close", "aclose", "__exit__", "detach"];

/// Where an attribute of this name is closed, as far as pyfix can see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeClosed {
    /// Some code of the project closes an attribute of this name.
    Somewhere,
    /// No code of the project does.
    Nowhere,
    /// The project could not be read, or too many files name it to read them.
    Unknown,
}

/// Whether any code of the project (this module included) closes an attribute named `attr`, on whatever object:
/// `<anything>.attr.close()` (or one of `finishing`, the methods that end the object's kind: an executor's
/// `shutdown`, a process's `wait`; also taken as a bound method: `addCleanup(self.x.close)`),
/// `with <anything>.attr`, `<anything>.attr` handed to a callee named for closing (`closing`, `_close`, `os.close`)
/// or managing (`enter_context`, `callback`, `addCleanup`, `finalize`, `register`), a local bound to it and closed
/// (`sock = self.sock; sock.close()`), or a teardown that takes it out by name (`db = g.pop("db")`,
/// `getattr(obj, "attr")`, `delattr`).
///
/// With `owner` (the object is stored on `self` in that class), a close of `self.<attr>` in a class that cannot be
/// that object's class does not count: a class other than the owner, none of its bases nor its subclasses, whose
/// bases are all known to close nothing (`unittest.TestCase`) and that no class of its module combines with the
/// owner (`class T(Mixin, Owner)`). A close through any other object (`conn.sock.close()`) still counts.
pub fn attribute_closed(cx: &Context, attr: &str, finishing: &[&str], owner: Option<&OwnerClass>) -> AttributeClosed {
    let mut skipped: Vec<String> = Vec::new();
    if closes_in(&cx.module.body, attr, finishing, owner, &mut skipped) {
        return AttributeClosed::Somewhere;
    }
    let Some(project) = cx.project else {
        return if skipped.is_empty() { AttributeClosed::Nowhere } else { AttributeClosed::Unknown };
    };
    // A test class that closes `self.<attr>` and that another module names (imports it, combines it with the
    // owner): it may be the owner's after all.
    // A module that defines a class of the same name itself and imports none (`test_threading.ThreadTests`) names
    // another class.
    let named_elsewhere = |class: &str, home: Option<&std::path::Path>| match project.files_naming(&[class]) {
        Some(files) => files.iter().filter(|f| Some(f.path.as_path()) != home).any(|f| {
            let (text, _) = project.read(f);
            let Some(text) = text else { return true };
            let Some(parsed) = project.parsed(f, &text) else { return true };
            !defines_own_class(&parsed.syntax().body, class)
        }),
        None => true,
    };
    if skipped.iter().any(|c| named_elsewhere(c, None)) {
        return AttributeClosed::Somewhere;
    }
    // The other files' answer, once per file and question: bare-open asks again for the same attribute and owner
    // (each asking walked every file naming it again). It does not depend on this module's text.
    let key = format!("attribute_closed {attr} {finishing:?} {owner:?}");
    project.memo(key, || {
        let Some(files) = project.files_naming(&[attr]) else { return AttributeClosed::Unknown };
        if files.len() > MAX_FILES {
            return AttributeClosed::Unknown;
        }
        for file in files {
            let (text, _) = project.read(&file);
            let Some(text) = text else { return AttributeClosed::Unknown };
            let Some(parsed) = project.parsed(&file, &text) else { return AttributeClosed::Unknown };
            let mut skipped: Vec<String> = Vec::new();
            if closes_in(&parsed.syntax().body, attr, finishing, owner, &mut skipped) {
                return AttributeClosed::Somewhere;
            }
            if skipped.iter().any(|c| named_elsewhere(c, Some(file.path.as_path()))) {
                return AttributeClosed::Somewhere;
            }
        }
        AttributeClosed::Nowhere
    })
}

/// The class on whose objects (`self.<attr>`) the value is stored: its name, and the last names of its bases, also
/// bases of bases defined in its module.
#[derive(Debug)]
pub struct OwnerClass {
    pub name: String,
    pub ancestors: Vec<String>,
}

/// Bases outside the project that close nothing a subclass stores on `self`, by qualified name: a test case's
/// `tearDown` is the subclass's own, and `doCleanups` runs only what the subclass registered.
pub const CLOSE_NOTHING_BASES: &[&str] = &[
    "builtins.object",
    "builtins.Exception",
    "builtins.BaseException",
    "unittest.TestCase",
    "unittest.case.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.async_case.IsolatedAsyncioTestCase",
    "abc.ABC",
    "typing.Generic",
];

/// A base of `CLOSE_NOTHING_BASES` by its last name (other modules are read without resolving their imports).
fn closes_nothing(last: &str) -> bool {
    CLOSE_NOTHING_BASES.iter().any(|q| q.rsplit('.').next() == Some(last))
}

/// `unittest.TestCase` or `IsolatedAsyncioTestCase`, by its last name.
fn is_test_case(last: &str) -> bool {
    matches!(last, "TestCase" | "IsolatedAsyncioTestCase")
}

/// The last name of a base expression: `unittest.TestCase` -> `TestCase`, `Generic[T]` -> `Generic`.
pub fn base_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Subscript(s) => base_name(&s.value),
        _ => None,
    }
}

/// The last names of the bases of `class`, and of their bases defined at the top of `module` (a few levels).
pub fn ancestors(module: &[Stmt], class: &StmtClassDef) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut todo = vec![class];
    while let Some(c) = todo.pop() {
        for name in c.bases().iter().filter_map(base_name) {
            if out.len() >= 32 || out.iter().any(|o| o == name) {
                continue;
            }
            out.push(name.to_string());
            if let Some(d) = top_class(module, name) {
                todo.push(d);
            }
        }
    }
    out
}

fn top_class<'b>(module: &'b [Stmt], name: &str) -> Option<&'b StmtClassDef> {
    module.iter().find_map(|s| match s {
        Stmt::ClassDef(d) if d.name.as_str() == name => Some(d),
        _ => None,
    })
}

/// Whether a close of `self.<attr>` in `class` (of `module`) may close it on an object of `owner`'s class. Only a
/// concrete test class is taken as another object's: the owner and `class` both derive from `unittest.TestCase`
/// (through classes of their own modules only), neither derives from the other, and nothing in `class`'s module
/// names `class` besides its definition (no subclass, no class combining it with the owner, no `Class.method(self)`
/// call). Another module naming it is asked of the project (`attribute_closed`).
/// `named`: `named_classes(module)`, worked out on the first class that asks (one walk of the module for all its
/// classes, not one per class).
fn may_be_owner<'m>(
    module: &'m [Stmt],
    class: &StmtClassDef,
    owner: &OwnerClass,
    named: &OnceCell<FxHashSet<&'m str>>,
) -> bool {
    let name = class.name.as_str();
    if name == owner.name || owner.ancestors.iter().any(|a| a == name) {
        return true;
    }
    let test_class = |chain: &[String]| {
        chain.iter().any(|b| is_test_case(b))
            && chain.iter().all(|b| closes_nothing(b) || top_class(module, b).is_some())
    };
    let mine = ancestors(module, class);
    if mine.contains(&owner.name) || !test_class(&mine) {
        return true;
    }
    let owner_is_test = owner.ancestors.iter().any(|b| is_test_case(b));
    !owner_is_test || named.get_or_init(|| named_classes(module)).contains(name)
}

/// The module defines a top-level class `name` and imports nothing of that name.
fn defines_own_class(body: &[Stmt], name: &str) -> bool {
    let imports = |s: &Stmt| match s {
        Stmt::ImportFrom(i) => i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        Stmt::Import(i) => i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        _ => false,
    };
    top_class(body, name).is_some() && !body.iter().any(imports)
}

/// The names of the classes `body` uses in a way that may run their methods on another class's object: as a base
/// (`class C(Name, Owner)`, also nested), in a tuple (`type("C", (Name, Owner), {})`), or calling a method of one
/// on `self` (`Name.tearDown(self)`); a name counts as a plain name or as the last part of a dotted one. Reading a
/// class attribute (`Name.Foo`) does not count.
fn named_classes(body: &[Stmt]) -> FxHashSet<&str> {
    struct Finder<'a> {
        found: FxHashSet<&'a str>,
    }
    fn name_of(e: &Expr) -> Option<&str> {
        match e {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            _ => None,
        }
    }
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if let Stmt::ClassDef(c) = s {
                self.found.extend(c.bases().iter().filter_map(name_of));
            }
            visitor::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Tuple(t) => self.found.extend(t.elts.iter().filter_map(name_of)),
                Expr::Call(c) if matches!(c.arguments.args.first(), Some(Expr::Name(n)) if n.id.as_str() == "self") => {
                    if let Expr::Attribute(a) = c.func.as_ref() {
                        self.found.extend(name_of(&a.value));
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut f = Finder { found: FxHashSet::default() };
    f.visit_body(body);
    f.found
}

/// Whether `body` closes an attribute named `attr` (see `attribute_closed`), and, in `skipped`, the names of the
/// classes whose close of `self.<attr>` was not counted (`may_be_owner`).
pub fn closes_in(
    body: &[Stmt],
    attr: &str,
    finishing: &[&str],
    owner: Option<&OwnerClass>,
    skipped: &mut Vec<String>,
) -> bool {
    let mut v = Closer {
        attr,
        finishing,
        module: body,
        named: OnceCell::new(),
        owner,
        self_counts: vec![true],
        aliases: vec![Vec::new()],
        found: false,
        depth: 0,
        classes: Vec::new(),
        skipped: Vec::new(),
    };
    v.visit_body(body);
    skipped.append(&mut v.skipped);
    v.found
}

struct Closer<'s> {
    attr: &'s str,
    finishing: &'s [&'s str],
    module: &'s [Stmt],
    /// The classes `module` names (`named_classes`), worked out when `may_be_owner` first asks.
    named: OnceCell<FxHashSet<&'s str>>,
    owner: Option<&'s OwnerClass>,
    /// Per enclosing class (innermost last): whether a close of `self.<attr>` there may be the owner's.
    self_counts: Vec<bool>,
    /// Local names bound to `<anything>.attr`, per enclosing function (innermost last).
    aliases: Vec<Vec<String>>,
    found: bool,
    depth: usize,
    /// The enclosing classes' names (innermost last).
    classes: Vec<String>,
    /// Classes whose close of `self.<attr>` did not count.
    skipped: Vec<String>,
}

impl Closer<'_> {
    /// `is_attr`, noting the class when only its own filter refused `self.<attr>`.
    fn closes_attr(&mut self, e: &Expr) -> bool {
        if self.is_attr(e) {
            return true;
        }
        let on_self = matches!(e, Expr::Attribute(a) if a.attr.as_str() == self.attr
            && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"));
        if on_self {
            if let Some(c) = self.classes.last() {
                if !self.skipped.contains(c) {
                    self.skipped.push(c.clone());
                }
            }
        }
        false
    }

    /// `<anything>.attr`, or a local bound to it in this function; also an item of it (`conn[1]`, for a tuple
    /// stored there). Not `self.attr` in a class that cannot be the owner's.
    fn is_attr(&self, e: &Expr) -> bool {
        match e {
            Expr::Attribute(a) if a.attr.as_str() == self.attr => {
                let on_self = matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self");
                !on_self || self.self_counts.last().copied().unwrap_or(true)
            }
            Expr::Attribute(_) => false,
            Expr::Subscript(s) => self.is_attr(&s.value),
            Expr::Name(n) => self.aliases.last().is_some_and(|a| a.iter().any(|x| x == n.id.as_str())),
            _ => false,
        }
    }

    fn names_attr(&self, e: &Expr) -> bool {
        matches!(e, Expr::StringLiteral(s) if s.value.to_str() == self.attr)
    }
}

/// A callee named for closing or managing what it is given.
fn closing_callee(func: &Expr) -> bool {
    let last = match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    let lower = last.to_ascii_lowercase();
    lower.contains("close")
        || lower.contains("closing")
        || matches!(
            last,
            "enter_context"
                | "enterContext"
                | "enter_async_context"
                | "enterAsyncContext"
                | "callback"
                | "push"
                | "addCleanup"
                | "finalize"
                | "register"
        )
}

impl<'a> Visitor<'a> for Closer<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || self.depth > 200 {
            return;
        }
        match stmt {
            Stmt::ClassDef(c) => {
                let counts = self.owner.is_none_or(|o| may_be_owner(self.module, c, o, &self.named));
                self.self_counts.push(counts);
                self.classes.push(c.name.to_string());
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
                self.classes.pop();
                self.self_counts.pop();
                return;
            }
            Stmt::FunctionDef(_) => {
                self.aliases.push(Vec::new());
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
                self.aliases.pop();
                return;
            }
            Stmt::With(w) if w.items.iter().any(|i| self.closes_attr(&i.context_expr)) => {
                self.found = true;
                return;
            }
            Stmt::Assign(a) => {
                // `sock = self.sock`, `sock, self.sock = self.sock, None`, `db = getattr(g, "db", None)`.
                let mut pairs: Vec<(&Expr, &Expr)> = Vec::new();
                for t in &a.targets {
                    match (t, a.value.as_ref()) {
                        (Expr::Tuple(ts), Expr::Tuple(vs)) if ts.elts.len() == vs.elts.len() => {
                            pairs.extend(ts.elts.iter().zip(vs.elts.iter()));
                        }
                        // `host, conn = self._connection`: each name may hold it.
                        (Expr::Tuple(ts), v) => pairs.extend(ts.elts.iter().map(|t| (t, v))),
                        (t, v) => pairs.push((t, v)),
                    }
                }
                for (t, v) in pairs {
                    let Expr::Name(n) = t else { continue };
                    if self.is_attr(v) {
                        if let Some(a) = self.aliases.last_mut() {
                            a.push(n.id.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth > 200 {
            return;
        }
        match expr {
            Expr::Attribute(a)
                if (CLOSING_METHODS.contains(&a.attr.as_str()) || self.finishing.contains(&a.attr.as_str()))
                    && self.closes_attr(&a.value) =>
            {
                self.found = true;
                return;
            }
            Expr::Call(c) => {
                let args = || c.arguments.args.iter().chain(c.arguments.keywords.iter().map(|k| &k.value));
                if closing_callee(&c.func) && args().any(|a| self.closes_attr(a)) {
                    self.found = true;
                    return;
                }
                // `g.pop("db", None)`, `getattr(obj, "sock", None)`, `delattr(obj, "sock")`: a teardown that takes
                // the attribute out by name.
                let by_name = match c.func.as_ref() {
                    Expr::Attribute(a) => a.attr.as_str() == "pop",
                    Expr::Name(n) => matches!(n.id.as_str(), "getattr" | "delattr"),
                    _ => false,
                };
                if by_name && args().any(|a| self.names_attr(a)) {
                    self.found = true;
                    return;
                }
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{closes_in, OwnerClass};

    fn closes(src: &str, attr: &str) -> bool {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        closes_in(&parsed.syntax().body, attr, &["shutdown"], None, &mut Vec::new())
    }

    #[test]
    fn every_way_of_closing_an_attribute_counts() {
        assert!(closes("def f(self):\n    self.x.close()\n", "x"));
        assert!(closes("def f(o):\n    o.x.shutdown()\n", "x"));
        assert!(!closes_in(
            &ruff_python_parser::parse_module("def f(o):\n    o.x.shutdown()\n").unwrap().syntax().body,
            "x",
            &[],
            None,
            &mut Vec::new()
        ));
        assert!(closes("def f(self):\n    self.addCleanup(self.x.close)\n", "x"));
        assert!(closes("def f(self):\n    with self.x:\n        pass\n", "x"));
        assert!(closes("def f(self):\n    with closing(self.x):\n        pass\n", "x"));
        assert!(closes("def f(self):\n    stack.enter_context(self.x)\n", "x"));
        assert!(closes("def f(self):\n    os.close(self.x)\n", "x"));
        assert!(closes("def f(self):\n    s = self.x\n    self.x = None\n    s.close()\n", "x"));
        assert!(closes("def f(self):\n    s, self.x = self.x, None\n    s.close()\n", "x"));
        assert!(closes("def f(e=None):\n    db = g.pop('db', None)\n    db.close()\n", "db"));
        assert!(closes("def f(o):\n    getattr(o, 'x').close()\n", "x"));
        assert!(closes("def f(self):\n    h, c = self.x\n    c.close()\n", "x"));
        assert!(closes("def f(self):\n    c = self.x\n    if c[1]:\n        c[1].close()\n", "x"));
    }

    #[test]
    fn other_uses_do_not_count() {
        assert!(!closes("def f(self):\n    self.x.read()\n    self.y.close()\n", "x"));
        assert!(!closes("def f(self):\n    keep(self.x)\n", "x"));
        assert!(!closes("def f(self):\n    s = self.x\n\ndef g(s):\n    s.close()\n", "x"));
        assert!(!closes("def f(self):\n    self.x = open(p)\n", "x"));
    }

    #[test]
    fn a_close_on_self_counts_only_in_a_class_that_may_be_the_owner() {
        let owner = OwnerClass { name: "Owner".into(), ancestors: vec!["TestCase".into()] };
        // Found, and the classes whose close was not counted.
        let by = |src: &str, o: &OwnerClass| {
            let parsed = ruff_python_parser::parse_module(src).unwrap();
            let mut skipped = Vec::new();
            let found = closes_in(&parsed.syntax().body, "con", &[], Some(o), &mut skipped);
            (found, skipped)
        };
        let closer = "    def tearDown(self):\n        self.con.close()\n";
        // Another test case of the module, named nowhere else in it: not the owner's object.
        assert_eq!(by(&format!("class Other(unittest.TestCase):\n{closer}"), &owner), (false, vec!["Other".into()]));
        assert_eq!(
            by(&format!("class Base(TestCase):\n    pass\nclass Other(Base):\n{closer}"), &owner),
            (false, vec!["Other".into()])
        );
        // The owner, a subclass, a base, a mixin, a class combined with it or named elsewhere in the module, a base
        // pyfix cannot read, a closer that is no test case: may be.
        let counts = |src: String, o: &OwnerClass| by(&src, o) == (true, Vec::new());
        assert!(counts(format!("class Owner(unittest.TestCase):\n{closer}"), &owner));
        assert!(counts(format!("class Sub(Owner):\n{closer}"), &owner));
        assert!(counts(format!("class Mixin:\n{closer}"), &owner));
        assert!(counts(format!("class Mixin(abc.ABC):\n{closer}"), &owner));
        assert!(counts(format!("class M(TestCase):\n{closer}class Both(M, Owner):\n    pass\n"), &owner));
        assert!(counts(
            format!("class M(TestCase):\n{closer}def load_tests():\n    class C(M, Owner):\n        pass\n"),
            &owner
        ));
        assert!(counts(
            format!(
                "class M(TestCase):\n{closer}class O(TestCase):\n    def tearDown(self):\n        M.tearDown(self)\n"
            ),
            &owner
        ));
        assert!(counts(format!("class Other(somewhere.Base):\n{closer}"), &owner));
        // Through another object, or outside a class: counts.
        assert!(counts("class Other(TestCase):\n    def f(self):\n        self.db.con.close()\n".into(), &owner));
        assert!(counts("def close(self):\n    self.con.close()\n".into(), &owner));
        // The closer is a base of the owner; the owner is no test case (a mixin combined elsewhere).
        let owner_base = OwnerClass { name: "Owner".into(), ancestors: vec!["Other".into()] };
        assert!(counts(format!("class Other(TestCase):\n{closer}"), &owner_base));
        let mixin_owner = OwnerClass { name: "Queries".into(), ancestors: Vec::new() };
        assert!(counts(format!("class Other(TestCase):\n{closer}"), &mixin_owner));
    }
}
