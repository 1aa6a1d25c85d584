//! The compile-level safety net: errors CPython's compiler raises that the parser does not (a name used before its
//! `global` declaration, `return`/`yield` outside a function, `await` outside `async def`, `nonlocal` at module level,
//! duplicate parameters, `break`/`continue` outside a loop, ...). ruff's `SemanticSyntaxChecker` decides each error;
//! this module walks the tree and answers its questions about the position being visited, from the semantic model
//! (declarations, bindings) and the walk itself (scope kinds, loops). Pure; no IO.

use std::cell::RefCell;
use std::collections::HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};
use ruff_python_parser::semantic_errors::{
    LazyImportContext, SemanticSyntaxChecker, SemanticSyntaxContext, SemanticSyntaxError,
};
use ruff_text_size::TextRange;

use crate::semantic::{self, Declaration, ScopeId, Semantic};
use ruff_python_ast::PythonVersion;

/// One compile error: what CPython would say (without position) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub message: String,
    pub range: TextRange,
}

/// Every compile-time error in `module` (parsed from `text`, modelled by `semantic`) that the parser does not report.
pub fn errors(semantic: &Semantic, module: &ModModule, text: &str, target: PythonVersion) -> Vec<CompileError> {
    let mut walker = Walker {
        checker: SemanticSyntaxChecker::new(),
        cx: Cx {
            text,
            version: target,
            semantic,
            scopes: vec![Scope::new(ScopeKind::Module, Some(Semantic::MODULE))],
            found: RefCell::new(Vec::new()),
        },
    };
    walker.visit_body(&module.body);
    let found = walker.cx.found.into_inner();
    found.into_iter().map(|e| CompileError { message: e.to_string(), range: e.range }).collect()
}

/// The errors of `after` that `before` did not already have, compared by message (as a multiset: positions move
/// when a fix inserts lines). A file that did not compile before is not pyfix's doing; a new error is.
pub fn introduced<'e>(before: &[CompileError], after: &'e [CompileError]) -> Vec<&'e CompileError> {
    let mut budget: HashMap<&str, usize> = HashMap::new();
    for e in before {
        *budget.entry(e.message.as_str()).or_default() += 1;
    }
    after
        .iter()
        .filter(|e| match budget.get_mut(e.message.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// For tests and harnesses: the compile errors `fixed` has and `original` had not, rendered `line:col: message`.
/// `Err` when either text does not parse.
pub fn introduced_by_rewrite(original: &str, fixed: &str, target: PythonVersion) -> Result<Vec<String>, String> {
    let check = |text: &str| {
        let parsed = ruff_python_parser::parse_module(text).map_err(|e| format!("does not parse: {}", e.error))?;
        let model = Semantic::build(parsed.syntax(), crate::semantic::MAX_NESTING)
            .map_err(|semantic::TooDeep| "nests too deep to check".to_string())?;
        Ok::<_, String>(errors(&model, parsed.syntax(), text, target))
    };
    let before = check(original)?;
    let after_errors = check(fixed)?;
    let index = ruff_source_file::LineIndex::from_source_text(fixed);
    Ok(introduced(&before, &after_errors)
        .into_iter()
        .map(|e| {
            let lc = index.line_column(e.range.start(), fixed);
            format!("{}:{}: {}", lc.line, lc.column, e.message)
        })
        .collect())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
    Comprehension { is_async: bool, is_generator: bool },
}

struct Scope<'a> {
    kind: ScopeKind,
    /// The semantic model's scope (module, class, function); `None` for lambdas and comprehensions, which hold no
    /// declarations.
    id: Option<ScopeId>,
    /// Parameter names (functions and lambdas).
    params: Vec<&'a str>,
    /// Inside a `for`/`while` body of this scope (not its `else`).
    in_loop: bool,
}

impl<'a> Scope<'a> {
    fn new(kind: ScopeKind, id: Option<ScopeId>) -> Self {
        Scope { kind, id, params: Vec::new(), in_loop: false }
    }

    fn with_params(mut self, params: Option<&'a ast::Parameters>) -> Self {
        self.params = params.map(|p| p.iter().map(|p| p.name().as_str()).collect()).unwrap_or_default();
        self
    }
}

/// What the checker may ask about the position being visited.
struct Cx<'a> {
    text: &'a str,
    version: ruff_python_ast::PythonVersion,
    semantic: &'a Semantic<'a>,
    // Invariant: never empty; the module scope is first.
    scopes: Vec<Scope<'a>>,
    found: RefCell<Vec<SemanticSyntaxError>>,
}

impl<'a> Cx<'a> {
    fn current(&self) -> &Scope<'a> {
        &self.scopes[self.scopes.len() - 1]
    }
    fn current_mut(&mut self) -> &mut Scope<'a> {
        let last = self.scopes.len() - 1;
        &mut self.scopes[last]
    }
    fn innermost(&self) -> impl Iterator<Item = &Scope<'a>> {
        self.scopes.iter().rev()
    }
}

impl SemanticSyntaxContext for Cx<'_> {
    fn future_annotations_or_stub(&self) -> bool {
        false
    }
    fn lazy_import_context(&self) -> Option<LazyImportContext> {
        self.innermost().find_map(|s| match s.kind {
            ScopeKind::Function { .. } | ScopeKind::Lambda => Some(LazyImportContext::Function),
            ScopeKind::Class => Some(LazyImportContext::Class),
            _ => None,
        })
    }
    fn python_version(&self) -> ruff_python_ast::PythonVersion {
        self.version
    }
    fn source(&self) -> &str {
        self.text
    }
    fn global(&self, name: &str) -> Option<TextRange> {
        let scope = self.semantic.scope(self.current().id?);
        scope.declarations().find(|(n, d, _)| *n == name && *d == Declaration::Global).map(|(_, _, range)| range)
    }
    fn has_nonlocal_binding(&self, name: &str) -> bool {
        // The enclosing functions, skipping classes (their names are not visible to nested functions): a binding
        // there, or a `nonlocal` passing on one further out; not a name that function declares `global`.
        self.innermost().skip(1).filter(|s| matches!(s.kind, ScopeKind::Function { .. })).any(|s| {
            s.id.map(|id| self.semantic.scope(id)).is_some_and(|scope| match scope.declaration(name) {
                Some(Declaration::Global) => false,
                Some(Declaration::Nonlocal) => true,
                None => scope.binds(name),
            })
        })
    }
    fn in_async_context(&self) -> bool {
        for s in self.innermost() {
            match s.kind {
                ScopeKind::Function { is_async } => return is_async,
                ScopeKind::Class | ScopeKind::Lambda | ScopeKind::Module => return false,
                ScopeKind::Comprehension { .. } => {}
            }
        }
        false
    }
    fn in_await_allowed_context(&self) -> bool {
        for s in self.innermost() {
            match s.kind {
                ScopeKind::Function { .. } | ScopeKind::Lambda => return true,
                ScopeKind::Class | ScopeKind::Module => return false,
                ScopeKind::Comprehension { .. } => {}
            }
        }
        false
    }
    fn in_yield_allowed_context(&self) -> bool {
        matches!(self.current().kind, ScopeKind::Function { .. } | ScopeKind::Lambda)
    }
    fn in_sync_comprehension(&self) -> bool {
        for s in self.innermost() {
            match s.kind {
                ScopeKind::Comprehension { is_async: false, .. } => return true,
                ScopeKind::Comprehension { is_async: true, .. } => {}
                _ => return false,
            }
        }
        false
    }
    fn in_class_body_comprehension(&self) -> bool {
        for s in self.innermost() {
            match s.kind {
                ScopeKind::Class => return true,
                ScopeKind::Comprehension { .. } => {}
                _ => return false,
            }
        }
        false
    }
    fn in_module_scope(&self) -> bool {
        self.current().kind == ScopeKind::Module
    }
    fn in_function_scope(&self) -> bool {
        matches!(self.current().kind, ScopeKind::Function { .. })
    }
    fn in_generator_context(&self) -> bool {
        for s in self.innermost() {
            match s.kind {
                ScopeKind::Comprehension { is_generator: true, .. } => return true,
                ScopeKind::Comprehension { is_generator: false, .. } => {}
                _ => return false,
            }
        }
        false
    }
    fn in_notebook(&self) -> bool {
        false
    }
    fn report_semantic_error(&self, error: SemanticSyntaxError) {
        self.found.borrow_mut().push(error);
    }
    fn in_loop_context(&self) -> bool {
        self.current().in_loop
    }
    fn is_bound_parameter(&self, name: &str) -> bool {
        self.current().params.contains(&name)
    }
}

struct Walker<'a> {
    checker: SemanticSyntaxChecker,
    cx: Cx<'a>,
}

impl<'a> Walker<'a> {
    fn in_scope(&mut self, scope: Scope<'a>, walk: impl FnOnce(&mut Self)) {
        self.cx.scopes.push(scope);
        walk(self);
        self.cx.scopes.pop();
    }

    /// Runs `walk` with the current scope's loop flag set to `in_loop`.
    fn with_loop(&mut self, in_loop: bool, walk: impl FnOnce(&mut Self)) {
        let saved = std::mem::replace(&mut self.cx.current_mut().in_loop, in_loop);
        walk(self);
        self.cx.current_mut().in_loop = saved;
    }

    fn comprehension(&mut self, generators: &'a [ast::Comprehension], is_generator: bool, elts: &[&'a Expr]) {
        let Some(first) = generators.first() else { return };
        // The first iterable is evaluated in the enclosing scope; everything else in the comprehension's own.
        self.visit_expr(&first.iter);
        let is_async = generators.iter().any(|g| g.is_async);
        self.in_scope(Scope::new(ScopeKind::Comprehension { is_async, is_generator }, None), |w| {
            for (i, g) in generators.iter().enumerate() {
                w.visit_expr(&g.target);
                if i > 0 {
                    w.visit_expr(&g.iter);
                }
                for cond in &g.ifs {
                    w.visit_expr(cond);
                }
            }
            for e in elts {
                w.visit_expr(e);
            }
        });
    }
}

impl<'a> Visitor<'a> for Walker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.checker.visit_stmt(stmt, &self.cx);
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(tp) = &f.type_params {
                    self.visit_type_params(tp);
                }
                self.visit_parameters(&f.parameters);
                if let Some(r) = &f.returns {
                    self.visit_annotation(r);
                }
                let id = self.cx.semantic.scope_of_def(stmt);
                let scope =
                    Scope::new(ScopeKind::Function { is_async: f.is_async }, id).with_params(Some(&f.parameters));
                self.in_scope(scope, |w| w.visit_body(&f.body));
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(tp) = &c.type_params {
                    self.visit_type_params(tp);
                }
                if let Some(args) = &c.arguments {
                    self.visit_arguments(args);
                }
                let scope = Scope::new(ScopeKind::Class, self.cx.semantic.scope_of_def(stmt));
                self.in_scope(scope, |w| w.visit_body(&c.body));
            }
            Stmt::For(f) => {
                self.visit_expr(&f.target);
                self.visit_expr(&f.iter);
                self.with_loop(true, |w| w.visit_body(&f.body));
                self.visit_body(&f.orelse);
            }
            Stmt::While(s) => {
                self.visit_expr(&s.test);
                self.with_loop(true, |w| w.visit_body(&s.body));
                self.visit_body(&s.orelse);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.checker.visit_expr(expr, &self.cx);
        match expr {
            Expr::Lambda(l) => {
                if let Some(params) = &l.parameters {
                    self.visit_parameters(params);
                }
                let scope = Scope::new(ScopeKind::Lambda, None).with_params(l.parameters.as_deref());
                self.in_scope(scope, |w| w.visit_expr(&l.body));
            }
            Expr::ListComp(c) => self.comprehension(&c.generators, false, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(&c.generators, false, &[&c.elt]),
            Expr::Generator(c) => self.comprehension(&c.generators, true, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(key) => self.comprehension(&c.generators, false, &[key, &c.value]),
                None => self.comprehension(&c.generators, false, &[&c.value]),
            },
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<CompileError> {
        let parsed = ruff_python_parser::parse_module(text).expect("parses");
        let model = Semantic::new(parsed.syntax());
        errors(&model, parsed.syntax(), text, PythonVersion { major: 3, minor: 11 })
    }

    fn errors_in(text: &str) -> Vec<String> {
        errors_of(text).into_iter().map(|e| e.message).collect()
    }

    /// `bad` has a compile error mentioning `needle`, and only errors `good` lacks; `good` (the same code, legal) has none.
    fn pins(good: &str, bad: &str, needle: &str) {
        assert_eq!(errors_in(good), Vec::<String>::new(), "{good}");
        let found = errors_in(bad);
        assert!(found.iter().any(|e| e.contains(needle)), "{bad}: {found:?}");
        let (before, after) = (errors_of(good), errors_of(bad));
        assert_eq!(introduced(&before, &after).len(), found.len());
        assert_eq!(introduced(&after, &after), Vec::<&CompileError>::new(), "an error the original had is not new");
    }

    #[test]
    fn name_used_before_its_global_declaration() {
        pins(
            "def f():\n    global x\n    print(x)\n",
            "def f():\n    print(x)\n    global x\n",
            "used prior to global declaration",
        );
    }

    #[test]
    fn name_assigned_before_its_global_declaration() {
        pins("def f():\n    global x\n    x = 1\n", "def f():\n    x = 1\n    global x\n", "global declaration");
    }

    #[test]
    fn return_outside_function() {
        pins("def f():\n    return 1\n", "def f():\n    pass\nreturn 1\n", "`return` statement outside of a function");
    }

    #[test]
    fn yield_outside_function() {
        pins("def f():\n    yield 1\n", "class C:\n    yield 1\n", "yield");
    }

    #[test]
    fn yield_inside_a_comprehension() {
        pins("def f():\n    yield [x for x in y]\n", "def f():\n    return [(yield x) for x in y]\n", "yield");
    }

    #[test]
    fn await_outside_async_function() {
        pins("async def f():\n    await g()\n", "def f():\n    await g()\n", "await");
    }

    #[test]
    fn async_with_outside_async_function() {
        pins(
            "async def f():\n    async with g():\n        pass\n",
            "def f():\n    async with g():\n        pass\n",
            "async with",
        );
    }

    #[test]
    fn await_at_module_level() {
        pins("async def f():\n    await g()\n", "await g()\n", "await");
    }

    #[test]
    fn nonlocal_at_module_level() {
        pins("def f():\n    x = 1\n    def g():\n        nonlocal x\n", "x = 1\nnonlocal x\n", "module level");
    }

    #[test]
    fn nonlocal_without_a_binding() {
        pins(
            "def f():\n    x = 1\n    def g():\n        nonlocal x\n",
            "def f():\n    def g():\n        nonlocal x\n",
            "no binding",
        );
    }

    #[test]
    fn duplicate_parameters() {
        pins("def f(a, b):\n    pass\n", "def f(a, a):\n    pass\n", "Duplicate parameter");
        pins("f = lambda a, b: a\n", "f = lambda a, a: a\n", "Duplicate parameter");
    }

    #[test]
    fn break_and_continue_outside_a_loop() {
        pins("for x in y:\n    break\n", "for x in y:\n    pass\nbreak\n", "outside loop");
        pins("while x:\n    continue\n", "while x:\n    pass\nelse:\n    continue\n", "outside loop");
        pins(
            "for x in y:\n    def f():\n        pass\n    break\n",
            "for x in y:\n    def f():\n        break\n",
            "outside loop",
        );
    }

    #[test]
    fn break_inside_with_and_try_inside_a_loop_is_fine() {
        let text = "for x in y:\n    with open(x) as f:\n        try:\n            break\n        finally:\n            continue\n";
        assert_eq!(errors_in(text), Vec::<String>::new());
    }

    #[test]
    fn import_star_inside_a_function() {
        pins("from os import *\n", "def f():\n    from os import *\n", "only allowed at module level");
    }

    #[test]
    fn late_future_import() {
        pins(
            "from __future__ import annotations\nimport os\n",
            "import os\nfrom __future__ import annotations\n",
            "__future__",
        );
    }

    #[test]
    fn parameter_declared_global() {
        pins("def f(a):\n    return a\n", "def f(a):\n    global a\n", "a parameter and a global");
    }

    #[test]
    fn a_rewrite_compared_with_its_original() {
        let original = "def f():\n    print(x)\n    global x\n";
        let same = "def f():\n    print(x)  # still wrong, as before\n    global x\n";
        let target = PythonVersion { major: 3, minor: 11 };
        assert_eq!(introduced_by_rewrite(original, same, target), Ok(vec![]));
        let worse = "def f():\n    print(x)\n    global x\nreturn 1\n";
        let new = introduced_by_rewrite(original, worse, target).unwrap();
        assert!(new.len() == 1 && new[0].starts_with("4:1: "), "{new:?}");
        assert!(introduced_by_rewrite(original, "def (", target).is_err());
    }
}
