//! What other modules of the project do with a name of this one, as far as pyfix can see them. `crate::project`
//! reads the files (which of them contain the words at all, their text); the uses are resolved here, by Python's
//! import rules, on the few files whose words match. The one place codemods ask: never scan other files in a codemod.

use std::path::Path;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::codemod::{contains_any, Context};
pub use crate::project::Elsewhere;
use crate::semantic::{Semantic, MAX_NESTING};

/// Test code: a file named `test_*.py`, `*_test.py` or `conftest.py`, one in a `test` or `tests` directory, or a
/// module that imports `unittest` or `pytest` themselves (`import unittest`, `from unittest import mock`; not
/// `unittest.util`, which the library's own modules import). Its objects live for one test.
pub fn is_test_module(cx: &Context) -> bool {
    // Once per module: mutable-default asks once per finding, and scanning every statement each time made a module
    // of many findings quadratic (a 300,000-line one spent 86 % of its time here).
    let imports_runner = *cx.imports_test_runner.get_or_init(|| {
        cx.module.body.iter().any(|s| match s {
            Stmt::Import(i) => i.names.iter().any(|a| matches!(a.name.as_str(), "unittest" | "pytest")),
            Stmt::ImportFrom(i) => {
                i.level == 0 && i.module.as_ref().is_some_and(|m| matches!(m.as_str(), "unittest" | "pytest"))
            }
            _ => false,
        })
    });
    // Below the project's root: a checkout under a directory named `tests` is not test code for that.
    imports_runner || cx.project.and_then(|p| p.relative_path()).is_some_and(is_test_path)
}

/// A test file by its path: named `test_*.py`, `*_test.py` or `conftest.py`, or in a `test` or `tests` directory.
pub fn is_test_path(path: &Path) -> bool {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = file.strip_suffix(".py").unwrap_or_default();
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem == "conftest"
        || path
            .parent()
            .is_some_and(|d| d.components().any(|c| matches!(c.as_os_str().to_str(), Some("test" | "tests"))))
}

/// Whether another file of the project uses this module's top-level `name`: reads, calls, clears, rebinds or
/// deletes it as `mod.name` (through `import pkg.mod`, `import pkg.mod as m`, `from pkg import mod`, relative
/// imports), imports it (`from pkg.mod import name`, or a `*` import for a public name), passes it to
/// `getattr`/`setattr`/`delattr`/`hasattr`, or spells `mod.name` in a string (`mock.patch("pkg.mod.name")`).
/// `Yes` names the first such file (relative to the project root) and line; without a line when the file cannot be
/// parsed but contains both words. `Unknown` when the text has no known place (stdin without a file name) or the
/// project is too large to read.
pub fn module_global_named_elsewhere(cx: &Context, name: &str) -> Elsewhere {
    named_elsewhere(cx, name, false)
}

/// `module_global_named_elsewhere`, not counting test files (`is_test_path`): what the program itself does with the
/// name, when a test that builds one more object of a class does not matter.
pub fn module_global_named_outside_tests(cx: &Context, name: &str) -> Elsewhere {
    named_elsewhere(cx, name, true)
}

fn named_elsewhere(cx: &Context, name: &str, skip_tests: bool) -> Elsewhere {
    let Some(project) = cx.project else { return Elsewhere::Unknown };
    // Once per file and name: strong-backref asks again for the same class (each asking parsed the same files, one
    // of them `pydoc_data/topics.py`, 740 KB). The answer depends on this file's module name and the other files
    // only, never on this module's text (which a fix may change between passes).
    let key = format!("named_elsewhere {skip_tests} {name}");
    project.memo(key, || named_elsewhere_now(project, name, skip_tests))
}

fn named_elsewhere_now(project: &crate::project::ProjectView, name: &str, skip_tests: bool) -> Elsewhere {
    let Some(me) = project.dotted_name() else {
        // A text checked on its own: no other file.
        return match project.files_naming(&[name]) {
            Some(files) => files.first().map_or(Elsewhere::No, |f| Elsewhere::Yes(f.shown.clone(), None)),
            None => Elsewhere::Unknown,
        };
    };
    let stem = me.rsplit('.').next().unwrap_or(&me);
    let Some(files) = project.files_naming(&[stem, name]) else { return Elsewhere::Unknown };
    for file in files {
        if skip_tests && is_test_path(&file.shown) {
            continue;
        }
        let (text, dotted) = project.read(&file);
        let Some(text) = text else { return Elsewhere::Yes(file.shown, None) };
        let is_init = file.path.file_stem().is_some_and(|s| s == "__init__");
        let package =
            dotted.map(|d| if is_init { d } else { d.rsplit_once('.').map_or(String::new(), |(p, _)| p.into()) });
        match first_use(&text, package.as_deref(), &me, name) {
            Some(Some(line)) => return Elsewhere::Yes(file.shown, Some(line)),
            Some(None) => return Elsewhere::Yes(file.shown, None),
            None => {}
        }
    }
    Elsewhere::No
}

/// The 1-based line of the first use of `module.name` in `text`, a module of `package` (`None`: unknown, so relative
/// imports resolve to nothing). `Some(None)`: the text does not parse or nests too deep (a use cannot be ruled out).
fn first_use(text: &str, package: Option<&str>, module: &str, name: &str) -> Option<Option<usize>> {
    let Ok(parsed) = ruff_python_parser::parse_module(text) else { return Some(None) };
    let Ok(semantic) = Semantic::build(parsed.syntax(), MAX_NESTING) else {
        std::mem::forget(parsed);
        return Some(None);
    };
    let mut finder = Finder {
        semantic: &semantic,
        package,
        module,
        name,
        spelled: format!("{}.{name}", module.rsplit('.').next().unwrap_or(module)),
        found: None,
    };
    finder.visit_body(&parsed.syntax().body);
    let at = finder.found?;
    let index = ruff_source_file::LineIndex::from_source_text(text);
    Some(Some(index.line_index(at).get()))
}

struct Finder<'s, 'a> {
    semantic: &'s Semantic<'a>,
    package: Option<&'s str>,
    module: &'s str,
    name: &'s str,
    /// `mod.name`, as a string would spell it.
    spelled: String,
    found: Option<TextSize>,
}

impl Finder<'_, '_> {
    /// `absolute`, a relative name resolving to nothing where the file's package is unknown.
    fn resolve(&self, qualified: &str) -> Option<String> {
        if qualified.starts_with('.') {
            absolute(qualified, self.package?)
        } else {
            Some(qualified.to_string())
        }
    }

    fn is_module(&self, e: &Expr) -> bool {
        self.semantic.resolve_qualified_name(e).and_then(|q| self.resolve(&q)).is_some_and(|q| self.names_module(&q))
    }

    /// `q` names this module: the same dotted name, or one that ends with it (`pkg.loader` for `loader`: the
    /// dotted name pyfix works out stops at the first directory without an `__init__.py`, and a namespace package
    /// has none). A module of the same name in another package then counts too: a refusal, never a wrong fix.
    fn names_module(&self, q: &str) -> bool {
        q == self.module || q.strip_suffix(self.module).is_some_and(|head| head.ends_with('.'))
    }

    fn found(&mut self, at: TextSize) {
        self.found.get_or_insert(at);
    }
}

impl<'a> Visitor<'a> for Finder<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_some() {
            return;
        }
        if let Stmt::ImportFrom(i) = stmt {
            let from = format!("{}{}", ".".repeat(i.level as usize), i.module.as_ref().map_or("", |m| m.as_str()));
            if self.resolve(&from).is_some_and(|m| self.names_module(&m))
                && i.names
                    .iter()
                    .any(|a| a.name.as_str() == self.name || (a.name.as_str() == "*" && !self.name.starts_with('_')))
            {
                self.found(stmt.start());
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        match expr {
            Expr::Attribute(a) if a.attr.as_str() == self.name && self.is_module(&a.value) => self.found(expr.start()),
            Expr::StringLiteral(s) if s.value.to_str().contains(&self.spelled) => self.found(expr.start()),
            Expr::Call(call) => {
                let reflective = self.semantic.resolve_qualified_name(&call.func).is_some_and(|q| {
                    matches!(
                        q.as_str(),
                        "builtins.getattr" | "builtins.setattr" | "builtins.delattr" | "builtins.hasattr"
                    )
                });
                if reflective {
                    if let [object, Expr::StringLiteral(attr), ..] = &call.arguments.args[..] {
                        if attr.value.to_str() == self.name && self.is_module(object) {
                            self.found(expr.start());
                        }
                    }
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether another module of the project pickles or deep-copies objects of this module's class `class`:
/// `pickle.dumps(obj)`, `pickle.dump(obj, f)`, `copy.deepcopy(obj)` (also `dill`, `cloudpickle`), where `obj` is
/// `Cls(...)` itself, a name bound to `Cls(...)` anywhere in that file, or an attribute or item of such a name; or
/// `copyreg.pickle(Cls, ...)`. `Cls` is found through `from pkg.mod import Cls` (aliases, relative imports, and a
/// package re-exporting it: `from pkg import Cls`) or `mod.Cls` after `import pkg.mod [as m]`. `Yes` names the
/// first such file and line. Files are read only where the class's name and a pickling word both occur.
pub fn instances_pickled_elsewhere(cx: &Context, class: &str) -> Elsewhere {
    let Some(project) = cx.project else { return Elsewhere::Unknown };
    let Some(me) = project.dotted_name() else { return Elsewhere::No };
    // One question (each question counts towards building the project's postings): the files naming the class,
    // then their text for a pickling word.
    let Some(files) = project.files_naming(&[class]) else { return Elsewhere::Unknown };
    for file in files {
        let (text, dotted) = project.read(&file);
        let Some(text) = text else { continue };
        if !contains_any(&text, &["pickle", "deepcopy", "dill", "copyreg", "copy_reg"]) {
            continue;
        }
        // Parsed only where the class is called (`Cls(` or `Cls (`), imported under another name, or `copyreg`
        // named: no object of it is made in a file that only imports or annotates with it.
        let called = text.match_indices(class).any(|(i, _)| text[i + class.len()..].trim_start().starts_with('('));
        let aliased = text.contains(&format!("{class} as "));
        if !called && !aliased && !text.contains("copyreg") && !text.contains("copy_reg") {
            continue;
        }
        let is_init = file.path.file_stem().is_some_and(|s| s == "__init__");
        let package =
            dotted.map(|d| if is_init { d } else { d.rsplit_once('.').map_or(String::new(), |(p, _)| p.into()) });
        if let Some(line) = pickles_class(&text, package.as_deref(), &me, class) {
            return Elsewhere::Yes(file.shown, Some(line));
        }
    }
    Elsewhere::No
}

/// The 1-based line of the first call in `text` (a module of `package`) that pickles or deep-copies an object of
/// `module`'s class `class`.
fn pickles_class(text: &str, package: Option<&str>, module: &str, class: &str) -> Option<usize> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let Ok(semantic) = Semantic::build(parsed.syntax(), MAX_NESTING) else {
        std::mem::forget(parsed);
        return None;
    };
    let finder = Finder { semantic: &semantic, package, module, name: class, spelled: String::new(), found: None };
    // `module.Cls` itself, or the class re-exported by a package above the module (`pkg.Cls` for `pkg.sub.mod`).
    let is_class = |e: &Expr| {
        semantic.resolve_qualified_name(e).and_then(|q| finder.resolve(&q)).is_some_and(|q| {
            q.strip_suffix(class).and_then(|m| m.strip_suffix('.')).is_some_and(|m| {
                finder.names_module(m) || module.strip_prefix(m).is_some_and(|rest| rest.starts_with('.'))
            })
        })
    };
    let built = |e: &Expr| matches!(e, Expr::Call(c) if is_class(&c.func));
    struct Calls<'e, 'a> {
        built_names: Vec<&'a str>,
        pickles: Vec<&'a ruff_python_ast::ExprCall>,
        built: &'e dyn Fn(&Expr) -> bool,
    }
    impl<'a> Visitor<'a> for Calls<'_, 'a> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if let Stmt::Assign(a) = s {
                if (self.built)(&a.value) {
                    for t in &a.targets {
                        if let Expr::Name(n) = t {
                            self.built_names.push(n.id.as_str());
                        }
                    }
                }
            }
            visitor::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(c) = e {
                self.pickles.push(c);
            }
            visitor::walk_expr(self, e);
        }
    }
    let mut calls = Calls { built_names: Vec::new(), pickles: Vec::new(), built: &built };
    calls.visit_body(&parsed.syntax().body);
    let rooted = |mut e: &Expr| loop {
        match e {
            Expr::Name(n) => return calls.built_names.contains(&n.id.as_str()),
            Expr::Attribute(a) => e = &a.value,
            Expr::Subscript(s) => e = &s.value,
            other => return built(other),
        }
    };
    let at = calls.pickles.iter().find(|c| {
        let Some(q) = semantic.resolve_qualified_name(&c.func) else { return false };
        let (m, f) = q.rsplit_once('.').unwrap_or(("", &q));
        let first = c.arguments.args.first();
        match (m, f) {
            ("copy", "deepcopy") | ("pickle" | "_pickle" | "cPickle" | "dill" | "cloudpickle", "dump" | "dumps") => {
                first.is_some_and(rooted)
            }
            ("copyreg" | "copy_reg", "pickle") => first.is_some_and(is_class),
            _ => false,
        }
    })?;
    let index = ruff_source_file::LineIndex::from_source_text(text);
    Some(index.line_index(at.start()).get())
}

/// `pkg.mod` for a dotted name as an import spells it: absolute as is, relative (`.base`, `..pkg.mod`) resolved
/// against `package`, the package of the importing module (its own dotted name for a package's `__init__.py`).
/// `None` when the dots climb above the top. The one resolution of relative imports: every question about another
/// module goes through it.
pub fn absolute(qualified: &str, package: &str) -> Option<String> {
    let dots = qualified.len() - qualified.trim_start_matches('.').len();
    if dots == 0 {
        return Some(qualified.to_string());
    }
    let mut base: Vec<&str> = package.split('.').filter(|p| !p.is_empty()).collect();
    // An empty `package`: the module's own dotted name stops at a directory without `__init__.py` (a namespace
    // package, a test directory), so `.x` is taken as `x`, as that dotted name spells its sibling.
    let known = !base.is_empty();
    for _ in 1..dots {
        base.pop()?;
    }
    // `from ...x import y` above the top-level package is an ImportError.
    if known && base.is_empty() {
        return None;
    }
    let rest = &qualified[dots..];
    if !rest.is_empty() {
        base.push(rest);
    }
    (!base.is_empty()).then(|| base.join("."))
}

#[cfg(test)]
mod tests {
    use super::first_use;

    fn used(text: &str, package: &str) -> Option<Option<usize>> {
        first_use(text, Some(package), "pkg.mod", "_cache")
    }

    #[test]
    fn uses_through_every_import_form_are_found_with_their_line() {
        assert_eq!(used("import pkg.mod\n\npkg.mod._cache.clear()\n", "tests"), Some(Some(3)));
        assert_eq!(used("import pkg.mod as m\nm._cache = {}\n", "tests"), Some(Some(2)));
        assert_eq!(used("from pkg import mod\nx = mod._cache[1]\n", "tests"), Some(Some(2)));
        assert_eq!(used("from pkg.mod import _cache\n", "tests"), Some(Some(1)));
        assert_eq!(used("from . import mod\ndel mod._cache\n", "pkg"), Some(Some(2)));
        assert_eq!(used("from .mod import _cache\n", "pkg"), Some(Some(1)));
        assert_eq!(used("from .. import mod\nmod._cache\n", "pkg.sub"), Some(Some(2)));
        assert_eq!(used("import mock\nmock.patch('pkg.mod._cache', {})\n", "tests"), Some(Some(2)));
        assert_eq!(used("from pkg import mod\ngetattr(mod, '_cache').clear()\n", "tests"), Some(Some(2)));
        // A namespace package above the module: its dotted name is longer than the one pyfix works out.
        assert_eq!(used("from ns.pkg import mod\nmod._cache\n", "tests"), Some(Some(2)));
    }

    #[test]
    fn the_same_words_elsewhere_are_no_use() {
        // Another module's `_cache`, the module named in a message, a local named like the module.
        assert_eq!(used("import other\nother._cache.clear()\nprint('mod')\n", "tests"), None);
        assert_eq!(used("import pkg.mod\nself._cache = {}\n", "tests"), None);
        assert_eq!(used("def f(mod):\n    return mod._cache\n", "tests"), None);
        assert_eq!(used("from .mod import _cache\n", "other"), None);
        assert_eq!(used("import pkg.module\npkg.module._cache\n", "tests"), None);
        // A private name does not come in through `*`; a text that does not parse may use it.
        assert_eq!(used("from pkg.mod import *\n", "tests"), None);
        assert_eq!(used("def (:\n mod._cache", "tests"), Some(None));
    }
}

#[cfg(test)]
mod test_absolute {
    use super::absolute;

    #[test]
    fn relative_imports_resolve_against_the_package() {
        assert_eq!(absolute("pkg.mod", "other").as_deref(), Some("pkg.mod"));
        assert_eq!(absolute(".base", "pkg.sub").as_deref(), Some("pkg.sub.base"));
        assert_eq!(absolute("..base", "pkg.sub").as_deref(), Some("pkg.base"));
        assert_eq!(absolute(".", "pkg").as_deref(), Some("pkg"));
        // Above the top package: nothing.
        assert_eq!(absolute("...base", "pkg.sub"), None);
        assert_eq!(absolute(".", ""), None);
        // A module whose package pyfix does not know (a namespace package): its sibling, as pyfix names it.
        assert_eq!(absolute(".other", "").as_deref(), Some("other"));
    }
}

#[cfg(test)]
mod test_paths {
    use super::is_test_path;
    use std::path::Path;

    #[test]
    fn test_files_by_name_or_directory() {
        for p in
            ["test_gc.py", "pkg/foo_test.py", "conftest.py", "test/_test_multiprocessing.py", "tests/app/models.py"]
        {
            assert!(is_test_path(Path::new(p)), "{p}");
        }
        for p in ["selectors.py", "testing.py", "pkg/contest.py", "latest/mod.py", "unittest/mock.py"] {
            assert!(!is_test_path(Path::new(p)), "{p}");
        }
    }
}
