//! What a class does with an argument of its constructor, read from its own code: whether it closes what it is
//! given (`HttpResponse(f)` closes `f` at once; `File(f)` keeps `f` and closes it in its `close()`). The class is
//! found where Python would find it: in this module, or through imports in another module of the project
//! (`from pkg import File` where `pkg/__init__.py` re-exports it from `pkg.base`), its bases likewise. A class
//! pyfix cannot read (outside the project, or too deep) answers `None`: the caller's rules for unknown code apply.

use std::path::PathBuf;
use std::rc::Rc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};

use super::params;
use super::project::absolute;
use crate::codemod::Context;

/// When the class closes the argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closes {
    /// It keeps it (or registers its `close`) and closes it when the object is closed: in `close()`, `__exit__` or
    /// `__del__`, or through a callback list those run.
    OnClose,
    /// Its constructor closes it (on some path) before returning, and keeps it nowhere.
    AtOnce,
}

/// A class that takes over what it is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TakesOver {
    pub closes: Closes,
    /// The module that decided, as shown to users (relative to the project root) with the line of the class;
    /// `None`: this file.
    pub module: Option<String>,
}

/// Depth limits: imports followed to find one class, classes in one hierarchy, calls followed from the constructor.
const MAX_IMPORTS: usize = 4;
const MAX_CLASSES: usize = 8;
const MAX_CALLS: usize = 6;

/// The argument at `arg` of `call` (`Cls(f)`, `Cls(x, file=f)`), where `Cls` resolves to a class pyfix can read:
/// whether and when that class closes it.
pub fn takes_over(cx: &Context, call: &ExprCall, arg: TextRange) -> Option<TakesOver> {
    let position = call.arguments.args.iter().position(|a| a.range() == arg);
    let keyword = call.arguments.keywords.iter().find(|k| k.value.range() == arg).and_then(|k| k.arg.as_ref());
    if position.is_none() && keyword.is_none() || call.arguments.args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let mut loader = Loader { cx, modules: Vec::new(), functions: false };
    let class = loader.callee_class(call)?;
    let chain = loader.chain(&class);
    let (owner, init) = method(&chain, "__init__")?;
    let closes = loader.enter(&chain, owner, init, position, keyword.map(|k| k.as_str()), 0)?;
    // Another file's text is kept; this file's classes are named without a module.
    let module = class.module.shown.as_ref().map(|p| {
        let line = class.module.text.get(..class.def().start().to_usize()).map_or(0, |t| t.matches('\n').count()) + 1;
        format!("{}:{line}", p.display())
    });
    Some(TakesOver { closes, module })
}

/// A function of another module of the project that a call runs, and what it does with the argument asked about.
#[derive(Clone, Debug)]
pub struct ProjectFunction {
    /// Its name, as its `def` spells it.
    pub name: String,
    /// Its module, as shown to users (relative to the project root), and the 1-based line of its `def`.
    pub module: PathBuf,
    pub line: usize,
    /// What it does with the parameter the argument lands in.
    pub facts: params::ParamFacts,
    /// That parameter's name.
    pub param: String,
}

impl ProjectFunction {
    /// `pkg/run.py:12`, as findings name the module that decided.
    pub fn place(&self) -> String {
        format!("{}:{}", self.module.display(), self.line)
    }
}

/// The argument at `arg` of `call` (`spawn(cmd, env)`, `run.spawn(env=env)`), where the callee resolves through
/// imports (aliases, relative imports, re-exports through a package's `__init__`) to a top-level `def` of another
/// module of the project: that function and what it does with the parameter the argument lands in. `None`: the
/// callee is in this module, outside the project, not a plain function (a method, a decorated `def`, a name bound
/// twice), or the argument lands in `*args`/`**kwargs`: unknown.
pub fn callee_function(cx: &Context, call: &ExprCall, arg: TextRange) -> Option<ProjectFunction> {
    let (position, keyword) = super::calls::argument_slot(call, arg)?;
    // Only a name another module binds: `from pkg.run import spawn`, `import pkg.run as run`.
    let root = match call.func.as_ref() {
        Expr::Name(n) => n,
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(n) => n,
            Expr::Attribute(b) => match b.value.as_ref() {
                Expr::Name(n) => n,
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    let binding = cx.semantic.binding(cx.semantic.resolve(root)?);
    if !matches!(binding.kind, crate::semantic::BindingKind::FromImport(_) | crate::semantic::BindingKind::Import(_)) {
        return None;
    }
    // Bound once: `try: from .fast import f` / `except ImportError: from .slow import f` may run either.
    if cx.semantic.scope(binding.scope).bindings_of(binding.name).len() != 1 {
        return None;
    }
    let project = cx.project?;
    let q = cx.semantic.resolve_qualified_name(&call.func)?;
    // One file often hands its objects to the same function many times (`bind_port(sock)` in every test).
    let key = format!("callee_function {q} {position:?} {keyword:?}");
    project.memo(key, || function_in_project(cx, &q, position, keyword))
}

fn function_in_project(
    cx: &Context,
    qualified: &str,
    position: Option<usize>,
    keyword: Option<&str>,
) -> Option<ProjectFunction> {
    let mut loader = Loader { cx, modules: Vec::new(), functions: true };
    let here = loader.this_module()?;
    let q = absolute(qualified, &here.package)?;
    let (module, name) = q.rsplit_once('.')?;
    if module == here.dotted || !may_be_in_project(cx, &here.dotted, module) {
        return None;
    }
    let found = loader.def_of(module, name)?;
    let Stmt::FunctionDef(f) = &found.module.body()[found.index] else { return None };
    if !f.decorator_list.is_empty() || f.is_async {
        return None;
    }
    let param = super::calls::parameter_for(f, position, keyword)?;
    let shown = found.module.shown.clone()?;
    let line = found.module.text[..f.start().to_usize()].matches('\n').count() + 1;
    Some(ProjectFunction {
        name: f.name.to_string(),
        module: shown,
        line,
        facts: params::ParamFacts::of(f, param),
        param: param.to_string(),
    })
}

/// `module` (dotted, absolute) may be a module of this file's project rather than an installed library of that name
/// (a project's own `mock.py`). `false` for a text checked on its own.
pub fn module_may_be_in_project(cx: &Context, module: &str) -> bool {
    let Some(project) = cx.project else { return false };
    let me = project.dotted_name().unwrap_or_default();
    may_be_in_project(cx, &me, module)
}

/// Whether `module`'s top-level package or module is a file or directory where this file's imports resolve from
/// (the directory above its top-level package), at the project root or in its `src/`: `os`, `subprocess` and an
/// installed library are not, and are unknown without reading the project's words.
fn may_be_in_project(cx: &Context, me: &str, module: &str) -> bool {
    let Some((_, dirs)) = import_dirs(cx, me) else { return true };
    let top = module.split('.').next().unwrap_or(module);
    dirs.iter().any(|d| {
        d.join(top).is_dir() || d.join(format!("{top}.py")).is_file() || d.join(format!("{top}.pyi")).is_file()
    })
}

/// The project root and the directories this file's absolute imports resolve from: the directory above its
/// top-level package, the project root and its `src/`. `None` for a text checked on its own.
fn import_dirs(cx: &Context, me: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let project = cx.project?;
    let file = std::path::absolute(project.path()).ok()?;
    let rel = project.relative_path()?;
    let root = file.ancestors().nth(rel.components().count())?.to_path_buf();
    let is_init = file.file_stem().is_some_and(|s| s == "__init__");
    let ups = me.split('.').count() + usize::from(is_init);
    let import_root = file.ancestors().nth(ups)?.to_path_buf();
    let src = root.join("src");
    Some((root.clone(), vec![import_root, root, src]))
}

struct Module<'a> {
    /// This file's own tree, or another file's, parsed here.
    here: Option<&'a ModModule>,
    parsed: Option<Rc<Parsed<ModModule>>>,
    /// Its dotted name (`pkg.mod`), and the package relative imports resolve against.
    dotted: String,
    package: String,
    shown: Option<PathBuf>,
    /// Another file's text, for the lines shown to users.
    text: String,
}

impl Module<'_> {
    fn body(&self) -> &[Stmt] {
        match (&self.here, &self.parsed) {
            (Some(m), _) => &m.body,
            (None, Some(p)) => &p.syntax().body,
            (None, None) => &[],
        }
    }
}

#[derive(Clone)]
struct ClassRef<'a> {
    module: Rc<Module<'a>>,
    index: usize,
}

impl ClassRef<'_> {
    fn def(&self) -> &StmtClassDef {
        match &self.module.body()[self.index] {
            Stmt::ClassDef(c) => c,
            _ => unreachable!("a ClassRef indexes a class statement"),
        }
    }
}

struct Loader<'c, 'a> {
    cx: &'c Context<'a>,
    modules: Vec<Rc<Module<'a>>>,
    /// Looking for a function: a module whose text neither defines `def <name>(` nor names it on an import line is
    /// not parsed (it cannot bind the function), which spares parsing the module of every class called.
    functions: bool,
}

impl<'a> Loader<'_, 'a> {
    /// This file.
    fn this_module(&mut self) -> Option<Rc<Module<'a>>> {
        if let Some(m) = self.modules.iter().find(|m| m.shown.is_none()) {
            return Some(m.clone());
        }
        let dotted = self.cx.project.and_then(|p| p.dotted_name()).unwrap_or_default();
        // A package's `__init__.py` is its own package: `from .x import y` there is `<package>.x`.
        let is_init = self.cx.project.is_some_and(|p| p.path().file_stem().is_some_and(|s| s == "__init__"));
        let package = if is_init {
            dotted.clone()
        } else {
            dotted.rsplit_once('.').map_or(String::new(), |(p, _)| p.to_string())
        };
        let m = Rc::new(Module {
            here: Some(self.cx.module),
            parsed: None,
            dotted,
            package,
            shown: None,
            text: String::new(),
        });
        self.modules.push(m.clone());
        Some(m)
    }

    fn callee_class(&mut self, call: &ExprCall) -> Option<ClassRef<'a>> {
        let here = self.this_module()?;
        match call.func.as_ref() {
            Expr::Name(n) => {
                let b = self.cx.semantic.binding(self.cx.semantic.resolve(n)?);
                if b.kind == crate::semantic::BindingKind::ClassDef
                    && b.scope == crate::semantic::Semantic::MODULE
                    && self.cx.semantic.scope(b.scope).bindings_of(b.name).len() == 1
                {
                    return self.name_in(&here, n.id.as_str(), 0);
                }
            }
            Expr::Attribute(_) => {}
            _ => return None,
        }
        let q = self.cx.semantic.resolve_qualified_name(&call.func)?;
        let q = absolute(&q, &here.package)?;
        let (module, name) = q.rsplit_once('.')?;
        self.class_in(module, name, 0)
    }

    /// The class `name` of module `module` (dotted, absolute), found in its file or through its imports.
    fn class_in(&mut self, module: &str, name: &str, depth: usize) -> Option<ClassRef<'a>> {
        if depth > MAX_IMPORTS {
            return None;
        }
        let m = self.load(module, name)?;
        self.name_in(&m, name, depth)
    }

    /// The `class` or `def` `name` of module `module` (dotted, absolute), found in its file or through its imports.
    fn def_of(&mut self, module: &str, name: &str) -> Option<ClassRef<'a>> {
        let m = self.load(module, name)?;
        self.def_in(&m, name, 0)
    }

    /// What `name` is at the top level of `m`: a class defined there, or one imported (`from .base import File`).
    fn name_in(&mut self, m: &Rc<Module<'a>>, name: &str, depth: usize) -> Option<ClassRef<'a>> {
        self.def_in(m, name, depth).filter(|c| matches!(c.module.body()[c.index], Stmt::ClassDef(_)))
    }

    /// The `class` or `def` statement `name` is bound by at the top level of `m`, or of the module it is imported
    /// from (followed through re-exports); `None` for a name bound twice or by anything else.
    fn def_in(&mut self, m: &Rc<Module<'a>>, name: &str, depth: usize) -> Option<ClassRef<'a>> {
        let body = m.body();
        // The last binding at the top level wins; a name bound twice is not followed.
        let mut found = None;
        let mut count = 0;
        for (index, s) in body.iter().enumerate() {
            match s {
                Stmt::ClassDef(c) if c.name.as_str() == name => {
                    count += 1;
                    found = Some(Ok(index));
                }
                Stmt::ImportFrom(i) => {
                    for a in &i.names {
                        if a.asname.as_ref().unwrap_or(&a.name).as_str() == name {
                            count += 1;
                            let from = format!(
                                "{}{}",
                                ".".repeat(i.level as usize),
                                i.module.as_ref().map_or("", |m| m.as_str())
                            );
                            found = Some(Err((from, a.name.to_string())));
                        }
                    }
                }
                Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) => {
                    count += 1;
                    found = None;
                }
                Stmt::FunctionDef(f) if f.name.as_str() == name => {
                    count += 1;
                    found = Some(Ok(index));
                }
                _ => {}
            }
        }
        if count != 1 {
            return None;
        }
        match found? {
            Ok(index) => Some(ClassRef { module: m.clone(), index }),
            Err((from, imported)) => {
                let package = if m.shown.is_some() && is_package(m) { m.dotted.clone() } else { m.package.clone() };
                let module = absolute(&from, &package)?;
                if depth + 1 > MAX_IMPORTS {
                    return None;
                }
                let m = self.load(&module, &imported)?;
                self.def_in(&m, &imported, depth + 1)
            }
        }
    }

    /// The module `dotted` of the project, read once: the file `a/b.py` or `a/b/__init__.py` whose text names `word`.
    fn load(&mut self, dotted: &str, word: &str) -> Option<Rc<Module<'a>>> {
        if let Some(m) = self.modules.iter().find(|m| m.dotted == dotted) {
            return Some(m.clone());
        }
        let project = self.cx.project?;
        if project.dotted_name().as_deref() == Some(dotted) {
            return self.this_module();
        }
        let rel = dotted.replace('.', "/");
        let (file_py, init_py) = (format!("/{rel}.py"), format!("/{rel}/__init__.py"));
        // Looking for a function: the module's file where this file's imports resolve from (the directory above its
        // package, the project root, `src/`), read without the project's words, which a `--select mutable-default`
        // run then never reads.
        let direct = || -> Option<(crate::project::OtherFile, Option<String>)> {
            if !self.functions {
                return None;
            }
            let me = project.dotted_name()?;
            let (root, dirs) = import_dirs(self.cx, &me)?;
            dirs.iter().flat_map(|d| [d.join(format!("{rel}.py")), d.join(&rel).join("__init__.py")]).find_map(|path| {
                if !path.is_file() {
                    return None;
                }
                let shown = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
                let f = crate::project::OtherFile { path, shown };
                match project.read(&f) {
                    (text, Some(d)) if d == dotted => Some((f, text)),
                    _ => None,
                }
            })
        };
        // The file whose path ends like the module's and whose own dotted name is the module's: `scripts/utils.py`
        // does not answer for `pkg.utils`.
        let found = direct();
        let (file, text) = match found {
            Some(found) => found,
            // A function's module is where the imports resolve from, or pyfix does not know it.
            None if self.functions => return None,
            None => project
                .files_naming(&[word])?
                .into_iter()
                .filter(|f| {
                    let p = f.path.to_string_lossy();
                    p.ends_with(&file_py) || p.ends_with(&init_py)
                })
                .find_map(|f| match project.read(&f) {
                    (text, Some(d)) if d == dotted => Some((f, text)),
                    _ => None,
                })?,
        };
        let text = text?;
        if self.functions
            && !text.contains(&format!("def {word}("))
            && !text.lines().any(|l| l.contains("import") && l.contains(word))
        {
            return None;
        }
        let parsed = project.parsed(&file, &text)?;
        let is_init = file.path.file_stem().is_some_and(|s| s == "__init__");
        let package =
            if is_init { dotted.to_string() } else { dotted.rsplit_once('.').map_or(String::new(), |(p, _)| p.into()) };
        let m = Rc::new(Module {
            here: None,
            parsed: Some(parsed),
            dotted: dotted.to_string(),
            package,
            shown: Some(file.shown),
            text,
        });
        self.modules.push(m.clone());
        Some(m)
    }

    /// The class and its bases, depth first, as far as pyfix can read them (a base it cannot read is left out).
    fn chain(&mut self, class: &ClassRef<'a>) -> Vec<ClassRef<'a>> {
        let mut out = vec![class.clone()];
        let mut k = 0;
        while k < out.len() && out.len() < MAX_CLASSES {
            let c = out[k].clone();
            for base in c.def().bases() {
                let found = match base {
                    Expr::Name(n) => self.name_in(&c.module, n.id.as_str(), 0),
                    // `tempfile._TemporaryFileWrapper` after `import tempfile`.
                    Expr::Attribute(a) => match a.value.as_ref() {
                        Expr::Name(m) => imported_module(&c.module, m.id.as_str())
                            .and_then(|module| self.class_in(&module, a.attr.as_str(), 0)),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(b) = found {
                    if !out.iter().any(|o| Rc::ptr_eq(&o.module, &b.module) && o.index == b.index) {
                        out.push(b);
                    }
                }
            }
            k += 1;
        }
        out
    }

    /// What `f` (a method of `chain[owner]`) does with its parameter `param`, following it into the methods,
    /// property setters and base constructors it is handed to.
    /// What method `f` of `chain[owner]` does with the argument it is called with at `position` (not counting
    /// `self`) or `keyword`; through `*args` when it forwards them (`super().__init__(*args, **kwargs)`).
    fn enter(
        &mut self,
        chain: &[ClassRef<'a>],
        owner: usize,
        f: &StmtFunctionDef,
        position: Option<usize>,
        keyword: Option<&str>,
        depth: usize,
    ) -> Option<Closes> {
        if let Some(p) = super::calls::parameter_for(f, position.map(|p| p + 1), keyword) {
            return self.follow(chain, owner, f, p, depth);
        }
        let named = f.parameters.posonlyargs.len() + f.parameters.args.len();
        let index = position.map(|p| p + 1).and_then(|p| p.checked_sub(named))?;
        let vararg = f.parameters.vararg.as_ref()?.name.as_str();
        let forwards = |s: &Stmt| match s {
            Stmt::Expr(e) => match e.value.as_ref() {
                Expr::Call(c) => {
                    matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "__init__"
                        && matches!(a.value.as_ref(), Expr::Call(s) if matches!(s.func.as_ref(), Expr::Name(n) if n.id.as_str() == "super")))
                        && matches!(c.arguments.args.first(), Some(Expr::Starred(st)) if matches!(st.value.as_ref(), Expr::Name(n) if n.id.as_str() == vararg))
                }
                _ => false,
            },
            _ => false,
        };
        if !f.body.iter().any(forwards) {
            return None;
        }
        let (o, def) = method(&chain[owner + 1..], "__init__")?;
        self.enter(chain, owner + 1 + o, def, Some(index), None, depth + 1)
    }

    fn follow(
        &mut self,
        chain: &[ClassRef<'a>],
        owner: usize,
        f: &StmtFunctionDef,
        param: &str,
        depth: usize,
    ) -> Option<Closes> {
        if depth > MAX_CALLS {
            return None;
        }
        let uses = super::params::uses(f, param).into_iter().filter_map(|(u, _)| Use::of(u));
        let mut closed = false;
        // Something keeps the argument: stored on the object, wrapped, its close registered, or handed to a method
        // that keeps it until the object is closed.
        let mut keeps = false;
        let mut best: Option<Closes> = None;
        for u in uses {
            keeps |= matches!(u, Use::Stored(_) | Use::Wrapped(..) | Use::CloseRegistered);
            let got = match u {
                Use::Closed => {
                    closed = true;
                    None
                }
                Use::CloseRegistered => Some(Closes::OnClose),
                Use::Stored(attr) => match setter(chain, &attr) {
                    Some((o, s)) => {
                        let p = s.parameters.args.get(1).map(|p| p.name().to_string());
                        p.and_then(|p| self.follow(chain, o, s, &p, depth + 1))
                    }
                    None => closes_attribute(chain, &attr).then_some(Closes::OnClose),
                },
                // `self._closer = _Closer(file)` where `_Closer` closes `file` and `close()` closes `self._closer`.
                Use::Wrapped(attr, cls, position, keyword) => {
                    let module = chain[owner].module.clone();
                    let inner = self.name_in(&module, &cls, 0);
                    inner.and_then(|inner| {
                        if !closes_attribute(chain, &attr) {
                            return None;
                        }
                        let inner_chain = self.chain(&inner);
                        let (o, init) = method(&inner_chain, "__init__")?;
                        self.enter(&inner_chain, o, init, position, keyword.as_deref(), depth + 1)
                            .map(|_| Closes::OnClose)
                    })
                }
                Use::PassedToSelf(m, position, keyword) => method(chain, &m)
                    .and_then(|(o, def)| self.enter(chain, o, def, position, keyword.as_deref(), depth + 1)),
                Use::PassedToSuper(position, keyword) => {
                    method(&chain[owner + 1..], "__init__").and_then(|(o, def)| {
                        self.enter(chain, owner + 1 + o, def, position, keyword.as_deref(), depth + 1)
                    })
                }
            };
            keeps |= got == Some(Closes::OnClose);
            best = best.max(got);
        }
        // A close counts as closing at once only where nothing keeps the argument: a constructor that stores the
        // file and closes it only when it fails (`self.f = f` ... `except: f.close(); raise`) keeps it.
        if closed && !keeps {
            best = best.max(Some(Closes::AtOnce));
        }
        best
    }
}

/// The first class of `chain` defining method `name` (a plain `def`, not a property): its index and definition.
fn method<'c>(chain: &'c [ClassRef], name: &str) -> Option<(usize, &'c StmtFunctionDef)> {
    chain.iter().enumerate().find_map(|(k, c)| {
        defs(&c.def().body).find(|f| f.name.as_str() == name && f.decorator_list.is_empty()).map(|f| (k, f))
    })
}

/// The functions a class body defines, also in its `if` blocks (`if os.name != "nt": def close(self): ...`; the
/// first branch's come first).
fn defs(body: &[Stmt]) -> impl Iterator<Item = &StmtFunctionDef> {
    body.iter().flat_map(|s| -> Box<dyn Iterator<Item = &StmtFunctionDef> + '_> {
        match s {
            Stmt::FunctionDef(f) => Box::new(std::iter::once(f)),
            Stmt::If(i) => Box::new(i.body.iter().chain(i.elif_else_clauses.iter().flat_map(|c| &c.body)).filter_map(
                |s| match s {
                    Stmt::FunctionDef(f) => Some(f),
                    _ => None,
                },
            )),
            _ => Box::new(std::iter::empty()),
        }
    })
}

/// `@attr.setter def attr(self, value)`: the first class of `chain` with a setter for `attr`.
fn setter<'c>(chain: &'c [ClassRef], attr: &str) -> Option<(usize, &'c StmtFunctionDef)> {
    chain.iter().enumerate().find_map(|(k, c)| {
        defs(&c.def().body)
            .find(|f| {
                f.name.as_str() == attr
                    && f.decorator_list.iter().any(|d| {
                        matches!(&d.expression, Expr::Attribute(a) if a.attr.as_str() == "setter"
                            && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == attr))
                    })
            })
            .map(|f| (k, f))
    })
}

/// The class closes `self.<attr>` when it is closed: its `close`, `__exit__` or `__del__` (the first in `chain`)
/// calls `self.<attr>.close()`, `closing(self.<attr>)` or registers `self.<attr>.close`.
fn closes_attribute(chain: &[ClassRef], attr: &str) -> bool {
    ["close", "__exit__", "__del__"].iter().any(|m| {
        method(chain, m).is_some_and(|(_, f)| {
            let mut v = AttrCloses { attr, found: false };
            v.visit_body(&f.body);
            v.found
        })
    })
}

fn is_self_attr(e: &Expr) -> Option<&str> {
    match e {
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {
            Some(a.attr.as_str())
        }
        _ => None,
    }
}

struct AttrCloses<'s> {
    attr: &'s str,
    found: bool,
}

impl<'a> Visitor<'a> for AttrCloses<'_> {
    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Attribute(a) if a.attr.as_str() == "close" && is_self_attr(&a.value) == Some(self.attr) => {
                self.found = true;
            }
            Expr::Call(c)
                if is_closing(&c.func) && c.arguments.args.first().and_then(is_self_attr) == Some(self.attr) =>
            {
                self.found = true;
            }
            _ => {}
        }
        visitor::walk_expr(self, e);
    }
}

fn is_closing(func: &Expr) -> bool {
    match func {
        Expr::Name(n) => n.id.as_str() == "closing",
        Expr::Attribute(a) => a.attr.as_str() == "closing",
        _ => false,
    }
}

/// What a constructor does with its argument that decides whether the class takes it over: `params::Use`, as the
/// class reads it.
enum Use {
    /// `param.close()`, `closing(param)`, `with param:`.
    Closed,
    /// `param.close` handed on uncalled (`self._closers.append(value.close)`).
    CloseRegistered,
    /// `self.attr = param`.
    Stored(String),
    /// `self.attr = Cls(param)`: the attribute, the class's name and the argument's position and keyword.
    Wrapped(String, String, Option<usize>, Option<String>),
    /// `self.method(param)`: position and keyword of the argument.
    PassedToSelf(String, Option<usize>, Option<String>),
    /// `super().__init__(param)`.
    PassedToSuper(Option<usize>, Option<String>),
}

impl Use {
    fn of(u: params::Use) -> Option<Use> {
        Some(match u {
            params::Use::Closed => Use::Closed,
            params::Use::CloseRegistered => Use::CloseRegistered,
            params::Use::Stored(params::Store::OnSelf(attr)) => Use::Stored(attr),
            params::Use::Forwarded { callee, position, keyword, into_self } => match (callee, into_self) {
                (params::Callee::SelfMethod(m), _) => Use::PassedToSelf(m, position, keyword),
                (params::Callee::SuperInit, _) => Use::PassedToSuper(position, keyword),
                (params::Callee::Named(cls), Some(attr)) if !cls.contains('.') => {
                    Use::Wrapped(attr, cls, position, keyword)
                }
                _ => return None,
            },
            _ => return None,
        })
    }
}

/// The module `m` binds to `name` at its top level: `import tempfile`, `import pkg.files as name`,
/// `from . import files` (absolute dotted name).
fn imported_module(m: &Module, name: &str) -> Option<String> {
    m.body().iter().find_map(|s| match s {
        Stmt::Import(i) => i.names.iter().find_map(|a| match &a.asname {
            Some(alias) if alias.as_str() == name => Some(a.name.to_string()),
            None if a.name.as_str() == name => Some(a.name.to_string()),
            _ => None,
        }),
        Stmt::ImportFrom(i) => i.names.iter().find_map(|a| {
            if a.asname.as_ref().unwrap_or(&a.name).as_str() != name {
                return None;
            }
            let from = format!("{}{}", ".".repeat(i.level as usize), i.module.as_ref().map_or("", |m| m.as_str()));
            let package = if is_package(m) { m.dotted.clone() } else { m.package.clone() };
            let base = absolute(&from, &package)?;
            Some(format!("{base}.{}", a.name.as_str()))
        }),
        _ => None,
    })
}

fn is_package(m: &Module) -> bool {
    m.shown.as_ref().is_some_and(|p| p.file_stem().is_some_and(|s| s == "__init__"))
}

/// Whether an object built by `call` may be kept alive by something else once the caller drops it: its class's
/// constructors (`__init__`, `__new__`, also the bases' that pyfix can read) hand `self` to a call (`loop.add(self)`,
/// `registry.append(self)`), store it (`other.owner = self`, `table[k] = self`) or a nested function captures it.
/// `Some(false)`: `self` is only read through its attributes (`self.root = FastLookup.make(root)`), so the object
/// dies with the statement that drops it. `None`: the class cannot be read.
pub fn constructor_keeps_self(cx: &Context, call: &ExprCall) -> Option<bool> {
    let mut loader = Loader { cx, modules: Vec::new(), functions: false };
    let class = loader.callee_class(call)?;
    let chain = loader.chain(&class);
    // A base pyfix cannot read (`class Stream(BaseStream)` with `BaseStream` from outside) may register it.
    let unread_base = |c: &ClassRef| {
        c.def().bases().iter().filter(|b| !matches!(b, Expr::Name(n) if n.id.as_str() == "object")).count()
            > chain.iter().filter(|o| c.def().bases().iter().any(|b| names_class(b, o))).count()
    };
    if chain.iter().any(unread_base) {
        return Some(true);
    }
    let mut v = SelfKept { kept: false };
    for c in &chain {
        for f in defs(&c.def().body).filter(|f| matches!(f.name.as_str(), "__init__" | "__new__" | "__post_init__")) {
            v.visit_body(&f.body);
        }
    }
    Some(v.kept)
}

/// `base` spells `class`'s name (`Base`, `mod.Base`).
fn names_class(base: &Expr, class: &ClassRef) -> bool {
    let name = class.def().name.as_str();
    match base {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Attribute(a) => a.attr.as_str() == name,
        _ => false,
    }
}

struct SelfKept {
    kept: bool,
}

impl<'a> Visitor<'a> for SelfKept {
    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            // `self.x`: read or assigned through, not handed on.
            Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {}
            Expr::Name(n) if n.id.as_str() == "self" => self.kept = true,
            Expr::Call(c) => {
                let is_super = matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "super");
                let base_init = matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "__init__");
                if is_super {
                    return;
                }
                self.visit_expr(&c.func);
                for (k, arg) in c.arguments.args.iter().enumerate() {
                    // `Base.__init__(self, ...)`: the base's constructor, read on its own.
                    if k == 0 && base_init && matches!(arg, Expr::Name(n) if n.id.as_str() == "self") {
                        continue;
                    }
                    self.visit_expr(arg);
                }
                for kw in &c.arguments.keywords {
                    self.visit_expr(&kw.value);
                }
            }
            _ => visitor::walk_expr(self, e),
        }
    }
}

/// A call of `func` only reads its arguments there, as an assertion: a mock's (`m.assert_called_with(x)`, in a
/// module that imports `unittest.mock` or `mock`), or
/// `self.assertEqual(...)` and the other assertions of `unittest` (and Django) in a method whose class defines none
/// of that name itself, nor does a base class of this module (a test base's own `assertEqual` may keep what it is
/// given). A base class imported from elsewhere is taken at its word.
pub fn assertion_reads_only(cx: &Context, func: &Expr) -> bool {
    let Expr::Attribute(a) = func else { return false };
    let name = a.attr.as_str();
    if super::effects::mock_assertion(name) {
        return cx.imports.imports_from("unittest.mock") || cx.imports.imports_from("mock");
    }
    let Expr::Name(receiver) = a.value.as_ref() else { return false };
    if receiver.id.as_str() != "self" || !super::effects::unittest_assertion(name) {
        return false;
    }
    let semantic = cx.semantic;
    let Some(method) = semantic.resolve(receiver).map(|b| semantic.binding(b).scope) else { return false };
    let Some(class) = semantic.scope(method).parent else { return false };
    !defines_in_module(cx, class, name, 0)
}

/// The class whose body is scope `class` (or a base class of it defined in this module) binds `name`; also when
/// `class` is not a class body (what `self` is cannot be told).
fn defines_in_module(cx: &Context, class: crate::semantic::ScopeId, name: &str, depth: usize) -> bool {
    let semantic = cx.semantic;
    let scope = semantic.scope(class);
    if scope.kind != crate::semantic::ScopeKind::Class || depth > 16 {
        return true;
    }
    if !scope.bindings_of(name).is_empty() {
        return true;
    }
    let Some(Stmt::ClassDef(k)) = scope.stmt.map(|id| semantic.stmt(id)) else { return true };
    k.bases().iter().any(|base| {
        let Expr::Name(n) = base else { return false };
        let Some(def) = semantic.resolve(n).and_then(|b| semantic.binding(b).stmt).map(|id| semantic.stmt(id)) else {
            return false;
        };
        match def {
            Stmt::ClassDef(_) => semantic.scope_of_def(def).is_none_or(|s| defines_in_module(cx, s, name, depth + 1)),
            _ => false,
        }
    })
}
