//! The semantic model: scopes, bindings, references and statement parents, built in one pass per file and shared by
//! every codemod through `Context`. It answers "what does this name refer to" by Python's rules and owns no policy:
//! what a binding means for a leak is each codemod's business. The only place scopes and bindings are computed.
//!
//! Guarantees:
//! - Every `Expr::Name` load (and `del`) in the module is a `Reference`, resolved to the `Binding` Python would use:
//!   local if the name is bound anywhere in its scope (unless declared `global`/`nonlocal`), else the enclosing
//!   function scopes, then the module; class scopes are not visible from nested scopes; a comprehension's first
//!   iterable is evaluated in the enclosing scope and a walrus in a comprehension binds in the enclosing function.
//! - Within one scope the binding chosen is the last one made before the use (`x = x + 1` reads the previous `x`);
//!   from a nested function (which runs later) it is the scope's last binding. `None` means a builtin or undefined.
//! - Every statement has an id, its parent statement and its scope; ids follow source order.
//! - Ids index arenas; nothing is cloned per scope. The model stores ids in the AST's `node_index` fields (statements
//!   and names), so a codemod holding a node finds its id in O(1).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext, HasNodeIndex, ModModule, NodeIndex, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
id_type!(ScopeId);
id_type!(BindingId);
id_type!(ReferenceId);
id_type!(StmtId);

/// Files whose syntax tree nests deeper than this are reported and skipped: every visitor recurses, and CPython's
/// own compiler gives up near 3,000 levels.
pub const MAX_NESTING: usize = 5_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// The node that opens a scope.
#[derive(Clone, Copy, Debug)]
pub enum ScopeNode<'a> {
    Module,
    Function(&'a ast::StmtFunctionDef),
    Class(&'a ast::StmtClassDef),
    Lambda(&'a ast::ExprLambda),
    /// A list/set/dict comprehension or a generator expression.
    Comprehension(&'a Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declaration {
    Global,
    Nonlocal,
}

/// What a function (or lambda, or the module) does directly, nested scopes excluded.
#[derive(Default, Debug)]
pub struct Facts<'a> {
    /// Every call made, in visiting order.
    pub calls: Vec<&'a ast::ExprCall>,
    /// Names compared with `None` (`x is None`, `x is not None`, `x == None`, `x != None`).
    pub none_tests: FxHashSet<&'a str>,
    /// The scope contains `yield` or `yield from`: calling it makes a generator.
    pub is_generator: bool,
    /// The scope contains `await` (or `async for`/`async with`).
    pub awaits: bool,
}

pub struct Scope<'a> {
    pub kind: ScopeKind,
    pub node: ScopeNode<'a>,
    pub parent: Option<ScopeId>,
    /// The statement that opens the scope (`def`, `class`) or holds the lambda/comprehension; `None` for the module.
    pub stmt: Option<StmtId>,
    /// Scopes opened directly inside this one, in source order.
    pub children: Vec<ScopeId>,
    pub facts: Facts<'a>,
    // Invariant: each list is sorted by the offset where the binding takes effect (see `Binding::available`).
    // Most names are bound once or twice in a scope: up to four bindings are kept inline (no allocation).
    bindings: FxHashMap<&'a str, SmallVec<[BindingId; 4]>>,
    declarations: FxHashMap<&'a str, (Declaration, TextRange)>,
    /// `from m import *` at this scope (module only in valid Python): unknown names may come from it.
    pub star_import: bool,
}

impl<'a> Scope<'a> {
    /// Every binding of `name` in this scope, in the order they take effect.
    pub fn bindings_of(&self, name: &str) -> &[BindingId] {
        self.bindings.get(name).map_or(&[], |list| list.as_slice())
    }
    /// The names bound in this scope (in no particular order).
    pub fn bound_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.bindings.keys().copied()
    }
    pub fn binds(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }
    /// `global name` / `nonlocal name` in this scope.
    pub fn declaration(&self, name: &str) -> Option<Declaration> {
        self.declarations.get(name).map(|(d, _)| *d)
    }
    pub fn declarations(&self) -> impl Iterator<Item = (&'a str, Declaration, TextRange)> + '_ {
        self.declarations.iter().map(|(n, (d, r))| (*n, *d, *r))
    }
    /// The function definition, for a function scope.
    pub fn function(&self) -> Option<&'a ast::StmtFunctionDef> {
        match self.node {
            ScopeNode::Function(f) => Some(f),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// `x = ...`, `x: T = ...`, a `type X = ...` alias.
    Assignment,
    /// `x += ...`: reads the previous binding, then rebinds.
    AugAssignment,
    /// `x: T` without a value: makes `x` local without binding it.
    Annotation,
    Parameter,
    /// `import a.b as c` (`c` -> `a.b`), `import a.b` (`a` -> `a`): the qualified name bound.
    Import(String),
    /// `from a import b as c` (`c` -> `a.b`); relative modules keep their dots (`.x.b`).
    FromImport(String),
    FunctionDef,
    ClassDef,
    /// `for x in ...` (also `async for`).
    LoopTarget,
    /// `with ... as x`.
    WithTarget,
    /// `except E as x`.
    ExceptHandler,
    /// `(x := ...)`.
    NamedExpr,
    /// `[... for x in ...]`.
    ComprehensionTarget,
    /// A capture in a `match` pattern.
    MatchCapture,
    /// A PEP 695 type parameter.
    TypeParam,
    /// `del x`: the name is unbound from here on.
    Deletion,
}

pub struct Binding<'a> {
    pub name: &'a str,
    pub kind: BindingKind,
    pub scope: ScopeId,
    /// The bound name (or import alias).
    pub range: TextRange,
    /// The statement that makes the binding (for a parameter: the `def`; `None` only for lambda parameters at module
    /// level and other bindings outside any statement).
    pub stmt: Option<StmtId>,
    /// Uses of this binding, in source order.
    pub references: Vec<ReferenceId>,
    /// Where the binding takes effect: the end of an assignment statement, the end of a loop target, the start of a
    /// function for its parameters. Uses in the same scope before this offset see an earlier binding.
    pub available: TextSize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceKind {
    Load,
    /// The read half of `x += 1`.
    AugLoad,
    Del,
}

pub struct Reference<'a> {
    pub name: &'a str,
    pub range: TextRange,
    pub kind: ReferenceKind,
    pub scope: ScopeId,
    /// The innermost statement holding the use.
    pub stmt: Option<StmtId>,
    /// `None`: a builtin, or a name bound nowhere the rules look.
    pub binding: Option<BindingId>,
}

/// The tree nests deeper than the limit given to `Semantic::build`.
#[derive(Debug)]
pub struct TooDeep;

pub struct StmtNode<'a> {
    pub stmt: &'a Stmt,
    pub parent: Option<StmtId>,
    pub scope: ScopeId,
}

pub struct Semantic<'a> {
    scopes: Vec<Scope<'a>>,
    bindings: Vec<Binding<'a>>,
    references: Vec<Reference<'a>>,
    stmts: Vec<StmtNode<'a>>,
    /// `def`/`class` statement -> the scope it opens.
    stmt_scopes: FxHashMap<StmtId, ScopeId>,
    /// Every identifier bound or used anywhere (for fresh names).
    /// Hashes of every name bound or used, built on first use (a set of `&str` here would make the model invariant).
    names: std::sync::OnceLock<FxHashSet<u64>>,
}

// `node_index` encoding for names: references even, bindings odd. Statements use their id directly.
fn name_index(id: u32, binding: bool) -> NodeIndex {
    NodeIndex::from(id * 2 + u32::from(binding))
}

impl<'a> Semantic<'a> {
    pub const MODULE: ScopeId = ScopeId(0);

    /// Builds the model in one traversal of `module`.
    pub fn new(module: &'a ModModule) -> Self {
        let mut b = Builder::new(usize::MAX, module);
        b.push_scope(ScopeKind::Module, ScopeNode::Module);
        b.visit_body(&module.body);
        b.finish()
    }

    /// As `new`, but gives up below `max_depth` nested statements and expressions (`a + a + ... + a`): The
    ///  traversal never recurses deeper than that, so it is safe on trees that would overflow the
    /// stack of any other visitor; callers skip such files.
    pub fn build(module: &'a ModModule, max_depth: usize) -> Result<Self, TooDeep> {
        let mut b = Builder::new(max_depth, module);
        b.push_scope(ScopeKind::Module, ScopeNode::Module);
        b.visit_body(&module.body);
        if b.too_deep {
            Err(TooDeep)
        } else {
            Ok(b.finish())
        }
    }
    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id.index()]
    }
    pub fn scopes(&self) -> impl Iterator<Item = (ScopeId, &Scope<'a>)> {
        self.scopes.iter().enumerate().map(|(i, s)| (ScopeId(i as u32), s))
    }
    pub fn binding(&self, id: BindingId) -> &Binding<'a> {
        &self.bindings[id.index()]
    }
    pub fn reference(&self, id: ReferenceId) -> &Reference<'a> {
        &self.references[id.index()]
    }
    pub fn stmt(&self, id: StmtId) -> &'a Stmt {
        self.stmts[id.index()].stmt
    }
    pub fn stmt_node(&self, id: StmtId) -> &StmtNode<'a> {
        &self.stmts[id.index()]
    }

    /// The id of a statement of this module (`None` for a node from another tree).
    pub fn stmt_id(&self, stmt: &Stmt) -> Option<StmtId> {
        let i = stmt.node_index().load().as_u32()? as usize;
        (self.stmts.get(i).is_some_and(|n| std::ptr::eq(n.stmt, stmt))).then_some(StmtId(i as u32))
    }
    pub fn parent_stmt(&self, id: StmtId) -> Option<StmtId> {
        self.stmts[id.index()].parent
    }
    /// The statement's ancestors, innermost first (the statement itself not included).
    pub fn ancestors(&self, id: StmtId) -> impl Iterator<Item = StmtId> + '_ {
        std::iter::successors(self.parent_stmt(id), move |p| self.parent_stmt(*p))
    }
    /// The scope a statement runs in.
    pub fn stmt_scope(&self, id: StmtId) -> ScopeId {
        self.stmts[id.index()].scope
    }
    /// The scope a `def` or `class` statement opens.
    pub fn scope_of_def(&self, stmt: &Stmt) -> Option<ScopeId> {
        self.stmt_scopes.get(&self.stmt_id(stmt)?).copied()
    }

    /// The reference a `Name` load (or `del`) is.
    pub fn reference_of(&self, name: &ast::ExprName) -> Option<ReferenceId> {
        let raw = name.node_index().load().as_u32()?;
        let id = (raw % 2 == 0).then_some(raw / 2)?;
        (self.references.get(id as usize)?.range == name.range).then_some(ReferenceId(id))
    }
    /// The binding a `Name` store makes.
    pub fn binding_of(&self, name: &ast::ExprName) -> Option<BindingId> {
        let raw = name.node_index().load().as_u32()?;
        let id = (raw % 2 == 1).then_some(raw / 2)?;
        (self.bindings.get(id as usize)?.range == name.range).then_some(BindingId(id))
    }
    /// What a `Name` refers to: the binding it reads, or the one it makes.
    pub fn resolve(&self, name: &ast::ExprName) -> Option<BindingId> {
        match self.reference_of(name) {
            Some(r) => self.references[r.index()].binding,
            None => self.binding_of(name),
        }
    }

    /// The binding `name` would resolve to if read at the end of `scope` (as code in a nested function would see it).
    pub fn lookup(&self, name: &str, scope: ScopeId) -> Option<BindingId> {
        self.resolve_in(name, scope, None)
    }
    /// The binding `name` would resolve to if read at `offset` in `scope`.
    pub fn lookup_at(&self, name: &str, scope: ScopeId, offset: TextSize) -> Option<BindingId> {
        self.resolve_in(name, scope, Some(offset))
    }

    /// True when `name` is bound or used anywhere in the module.
    pub fn is_name_used(&self, name: &str) -> bool {
        // Built on first use: most files never ask, and hashing every name use would cost every file.
        let hash = |name: &str| {
            use std::hash::BuildHasher;
            rustc_hash::FxBuildHasher.hash_one(name)
        };
        let names = self.names.get_or_init(|| {
            let mut set: FxHashSet<u64> = self.bindings.iter().map(|b| hash(b.name)).collect();
            set.extend(self.references.iter().map(|r| hash(r.name)));
            for scope in &self.scopes {
                set.extend(scope.declarations.keys().map(|n| hash(n)));
            }
            set
        });
        names.contains(&hash(name))
    }

    /// The qualified name `expr` refers to: `open` -> `builtins.open` (when not rebound), `io.open` -> `io.open`,
    /// `P` -> `pathlib.Path` after `from pathlib import Path as P`, `s.socket` -> `socket.socket` after
    /// `import socket as s`. `None` when the head is bound by anything but an import.
    pub fn resolve_qualified_name(&self, expr: &Expr) -> Option<String> {
        let mut name = String::new();
        self.qualified_name_into(expr, &mut name).then_some(name)
    }

    /// A cheap test, before `resolve_qualified_name` (which is asked about most calls of a module): false when the
    /// qualified name of `expr` cannot be `<something>.<last>` with `last(<last>)` true. Only the last part is looked
    /// at: an attribute's own name, or the last part of what an import binds (a builtin's name, for a name bound
    /// nowhere); nothing is built.
    pub fn may_end_with(&self, expr: &Expr, last: impl Fn(&str) -> bool) -> bool {
        match expr {
            Expr::Attribute(a) => last(a.attr.as_str()),
            Expr::Name(n) => match self.resolve(n).map(|b| &self.bindings[b.index()].kind) {
                Some(BindingKind::Import(q) | BindingKind::FromImport(q)) => {
                    q.rsplit_once('.').is_some_and(|(_, l)| last(l))
                }
                Some(_) => false,
                None => last(n.id.as_str()),
            },
            _ => false,
        }
    }

    /// `resolve_qualified_name`, written into `out` part by part (one buffer instead of a `format!` per level: it is
    /// asked about most calls of every module). False, with `out` left as it was or partly written, when unknown.
    fn qualified_name_into(&self, expr: &Expr, out: &mut String) -> bool {
        match expr {
            Expr::Name(name) => match self.resolve(name) {
                Some(b) => match &self.bindings[b.index()].kind {
                    BindingKind::Import(q) | BindingKind::FromImport(q) => {
                        out.push_str(q);
                        true
                    }
                    _ => false,
                },
                None => {
                    // Unbound: a builtin, unless a star import may have brought the name in.
                    let Some(r) = self.reference_of(name) else { return false };
                    let star =
                        self.scopes[0].star_import || self.scopes[self.references[r.index()].scope.index()].star_import;
                    if star || !is_builtin(name.id.as_str()) {
                        return false;
                    }
                    out.push_str("builtins.");
                    out.push_str(name.id.as_str());
                    true
                }
            },
            Expr::Attribute(attr) => {
                if !self.qualified_name_into(&attr.value, out) {
                    return false;
                }
                out.push('.');
                out.push_str(attr.attr.as_str());
                true
            }
            _ => false,
        }
    }

    /// The expressions enclosing `target` inside `stmt`, outermost first (`target` itself not included); empty when
    /// `target` is not an expression of `stmt` outside nested statements. Computed on demand: storing it for every
    /// expression would be quadratic in nesting depth.
    pub fn expr_path(&self, stmt: &'a Stmt, target: TextRange) -> Vec<&'a Expr> {
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
                if e.range() == self.target {
                    self.found = Some(self.stack.clone());
                    return;
                }
                self.stack.push(e);
                visitor::walk_expr(self, e);
                self.stack.pop();
            }
        }
        let mut path = Path { target, stack: Vec::new(), found: None };
        visitor::walk_stmt(&mut path, stmt);
        path.found.unwrap_or_default()
    }

    /// The innermost function scope enclosing `scope` (itself included), skipping lambdas, classes and comprehensions.
    pub fn enclosing_function(&self, mut scope: ScopeId) -> Option<ScopeId> {
        loop {
            let s = &self.scopes[scope.index()];
            if s.kind == ScopeKind::Function {
                return Some(scope);
            }
            scope = s.parent?;
        }
    }

    /// True when `inner` is `outer` or nested inside it.
    pub fn is_within(&self, mut inner: ScopeId, outer: ScopeId) -> bool {
        loop {
            if inner == outer {
                return true;
            }
            match self.scopes[inner.index()].parent {
                Some(p) => inner = p,
                None => return false,
            }
        }
    }

    fn resolve_in(&self, name: &str, scope: ScopeId, at: Option<TextSize>) -> Option<BindingId> {
        self.resolve_excluding(name, scope, at, None)
    }

    /// As `resolve_in`, never choosing a binding made by the statement `own` (the read half of `x += 1`).
    fn resolve_excluding(
        &self,
        name: &str,
        mut scope: ScopeId,
        mut at: Option<TextSize>,
        own: Option<StmtId>,
    ) -> Option<BindingId> {
        let mut first = true;
        loop {
            let s = &self.scopes[scope.index()];
            // Class scopes are visible to their own body only.
            if !first && s.kind == ScopeKind::Class {
                scope = s.parent?;
                continue;
            }
            match s.declaration(name) {
                Some(Declaration::Global) => return self.pick(self.scopes[0].bindings_of(name), None, own),
                Some(Declaration::Nonlocal) => {
                    scope = s.parent?;
                    at = None;
                    first = false;
                    continue;
                }
                None => {}
            }
            // One lookup both tests that the scope binds the name and finds its bindings.
            if let Some(list) = s.bindings.get(name) {
                return self.pick(list, at, own);
            }
            // A function body runs after its enclosing scope has made all its bindings; a class body or a
            // comprehension runs where it stands.
            if matches!(s.kind, ScopeKind::Function | ScopeKind::Lambda) {
                at = None;
            }
            scope = s.parent?;
            first = false;
        }
    }

    /// The binding of `list` (a scope's bindings of one name) a use at `at` sees.
    fn pick(&self, list: &[BindingId], at: Option<TextSize>, own: Option<StmtId>) -> Option<BindingId> {
        let real = |b: &&BindingId| {
            let b = &self.bindings[b.index()];
            b.kind != BindingKind::Annotation && (own.is_none() || b.stmt != own)
        };
        if let Some(at) = at {
            if let Some(b) = list.iter().filter(real).rev().find(|b| self.bindings[b.index()].available <= at) {
                return Some(*b);
            }
        }
        // Used before any binding in its own scope: a loop carries the last one round (or it raises).
        list.iter().rfind(real).copied()
    }
}

struct Builder<'a> {
    model: Semantic<'a>,
    scope: ScopeId,
    stmt: Option<StmtId>,
    /// The kind of binding a `Name` store makes right now.
    bind_kind: BindingKind,
    /// Where such a binding takes effect (`None`: at the end of the name itself).
    bind_at: Option<TextSize>,
    /// The scope such a binding goes to (`None`: the current one; a walrus in a comprehension binds outside it).
    bind_in: Option<ScopeId>,
    /// Statements and expressions enclosing the node being visited.
    depth: usize,
    max_depth: usize,
    too_deep: bool,
}

impl<'a> Builder<'a> {
    fn new(max_depth: usize, module: &ModModule) -> Self {
        // The arenas sized from the module's length, about what the median module needs (over the corpus: a name
        // used every 33-88 bytes, median 49; bound every 94-286, median 145; a statement every 48-116, median 69;
        // 10th to 90th percentile), so that a large module grows each at most once or twice instead of a dozen
        // times (the copies of its large arrays were most of the cost). Pages reserved and never written are not
        // resident.
        let size = module.range.len().to_usize();
        Builder {
            model: Semantic {
                scopes: Vec::with_capacity(size / 2048),
                bindings: Vec::with_capacity(size / 160),
                references: Vec::with_capacity(size / 50),
                stmts: Vec::with_capacity(size / 72),
                stmt_scopes: FxHashMap::default(),
                names: std::sync::OnceLock::new(),
            },
            scope: Semantic::MODULE,
            stmt: None,
            bind_kind: BindingKind::Assignment,
            bind_at: None,
            bind_in: None,
            depth: 0,
            max_depth,
            too_deep: false,
        }
    }

    fn push_scope(&mut self, kind: ScopeKind, node: ScopeNode<'a>) -> ScopeId {
        let id = ScopeId(self.model.scopes.len() as u32);
        let parent = (!self.model.scopes.is_empty()).then_some(self.scope);
        self.model.scopes.push(Scope {
            kind,
            node,
            parent,
            stmt: self.stmt,
            children: Vec::new(),
            facts: Facts::default(),
            bindings: FxHashMap::default(),
            declarations: FxHashMap::default(),
            star_import: false,
        });
        if let Some(p) = parent {
            self.model.scopes[p.index()].children.push(id);
        }
        if let (Some(stmt), ScopeKind::Function | ScopeKind::Class) = (self.stmt, kind) {
            self.model.stmt_scopes.insert(stmt, id);
        }
        self.scope = id;
        id
    }

    fn pop_scope(&mut self) {
        let id = self.scope;
        // `global x` / `nonlocal x` apply to the whole scope, also to bindings made before the declaration:
        // move those bindings to the scope they really bind in.
        let declared: Vec<(&'a str, Declaration)> =
            self.model.scopes[id.index()].declarations.iter().map(|(n, (d, _))| (*n, *d)).collect();
        for (name, decl) in declared {
            let Some(moved) = self.model.scopes[id.index()].bindings.remove(name) else { continue };
            let target = match decl {
                Declaration::Global => Some(Semantic::MODULE),
                Declaration::Nonlocal => self.nonlocal_target(id, name),
            };
            let Some(target) = target else {
                // `nonlocal` with no enclosing binding is a SyntaxError; keep the bindings where they were.
                self.model.scopes[id.index()].bindings.insert(name, moved);
                continue;
            };
            for b in &moved {
                self.model.bindings[b.index()].scope = target;
            }
            self.model.scopes[target.index()].bindings.entry(name).or_default().extend(moved);
        }
        self.scope = self.model.scopes[id.index()].parent.unwrap_or(Semantic::MODULE);
    }

    fn nonlocal_target(&self, from: ScopeId, name: &str) -> Option<ScopeId> {
        let mut s = self.model.scopes[from.index()].parent?;
        loop {
            let scope = &self.model.scopes[s.index()];
            if scope.kind == ScopeKind::Module {
                return None;
            }
            if scope.kind == ScopeKind::Function && (scope.binds(name) || scope.declaration(name).is_some()) {
                return match scope.declaration(name) {
                    Some(Declaration::Global) => Some(Semantic::MODULE),
                    _ => Some(s),
                };
            }
            s = scope.parent?;
        }
    }

    fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind, available: TextSize, scope: ScopeId) {
        let id = BindingId(self.model.bindings.len() as u32);
        self.model.bindings.push(Binding {
            name,
            kind,
            scope,
            range,
            stmt: self.stmt,
            references: Vec::new(),
            available,
        });
        self.model.scopes[scope.index()].bindings.entry(name).or_default().push(id);
    }

    fn bind_name(&mut self, node: &'a ast::ExprName) {
        let id = self.model.bindings.len() as u32;
        node.node_index.set(name_index(id, true));
        let available = self.bind_at.unwrap_or(node.range.end());
        let scope = self.bind_in.unwrap_or(self.scope);
        self.bind(node.id.as_str(), node.range, self.bind_kind.clone(), available, scope);
    }

    fn bind_identifier(&mut self, id: &'a ast::Identifier, kind: BindingKind, available: TextSize) {
        self.bind(id.id.as_str(), id.range, kind, available, self.scope);
    }

    fn reference(&mut self, node: &'a ast::ExprName, kind: ReferenceKind) {
        let id = self.model.references.len() as u32;
        if kind != ReferenceKind::AugLoad {
            node.node_index.set(name_index(id, false));
        }
        self.model.references.push(Reference {
            name: node.id.as_str(),
            range: node.range,
            kind,
            scope: self.scope,
            stmt: self.stmt,
            binding: None,
        });
    }

    /// Visits assignment targets with `kind`, each binding taking effect at `at`.
    fn targets(&mut self, targets: &'a [Expr], kind: BindingKind, at: Option<TextSize>) {
        let saved = (std::mem::replace(&mut self.bind_kind, kind), std::mem::replace(&mut self.bind_at, at));
        for t in targets {
            self.visit_expr(t);
        }
        (self.bind_kind, self.bind_at) = saved;
    }

    fn target(&mut self, target: &'a Expr, kind: BindingKind, at: Option<TextSize>) {
        self.targets(std::slice::from_ref(target), kind, at);
    }

    /// Defaults and annotations run in the enclosing scope; the names bind in the function's own.
    fn parameters_outside(&mut self, params: &'a ast::Parameters) {
        for p in params.iter() {
            if let Some(default) = p.default() {
                self.visit_expr(default);
            }
            if let Some(ann) = p.annotation() {
                self.visit_annotation(ann);
            }
        }
    }

    fn parameters_inside(&mut self, params: &'a ast::Parameters, at: TextSize) {
        for p in params.iter() {
            self.bind_identifier(p.name(), BindingKind::Parameter, at);
        }
    }

    fn facts(&mut self) -> &mut Facts<'a> {
        &mut self.model.scopes[self.scope.index()].facts
    }

    fn comprehension(&mut self, expr: &'a Expr, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        let Some(first) = generators.first() else { return };
        self.visit_expr(&first.iter);
        // A walrus inside binds in the nearest enclosing non-comprehension scope.
        let outer = self.bind_in.unwrap_or(self.scope);
        self.push_scope(ScopeKind::Comprehension, ScopeNode::Comprehension(expr));
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&g.iter);
            }
            let saved = self.bind_in.take();
            self.target(&g.target, BindingKind::ComprehensionTarget, None);
            self.bind_in = saved;
            for cond in &g.ifs {
                self.with_walrus_scope(outer, |b| b.visit_expr(cond));
            }
            if g.is_async {
                self.facts().awaits = true;
            }
        }
        for e in elements {
            self.with_walrus_scope(outer, |b| b.visit_expr(e));
        }
        self.pop_scope();
    }

    fn with_walrus_scope(&mut self, outer: ScopeId, f: impl FnOnce(&mut Self)) {
        let saved = self.bind_in.replace(outer);
        f(self);
        self.bind_in = saved;
    }

    fn finish(mut self) -> Semantic<'a> {
        let m = &mut self.model;
        for scope in &mut m.scopes {
            for list in scope.bindings.values_mut() {
                list.sort_by_key(|b| m.bindings[b.index()].available);
            }
        }
        // Each use resolved, counting the uses of each binding; then each binding's list made at its size once
        // (pushing them one by one grew a million small vectors over the corpus).
        let mut uses = vec![0u32; m.bindings.len()];
        for i in 0..m.references.len() {
            let r = &m.references[i];
            let at = r.range.start();
            let own = (r.kind == ReferenceKind::AugLoad).then_some(r.stmt).flatten();
            let binding = m.resolve_excluding(r.name, r.scope, Some(at), own);
            m.references[i].binding = binding;
            if let Some(b) = binding {
                uses[b.index()] += 1;
            }
        }
        for (b, n) in m.bindings.iter_mut().zip(uses) {
            b.references = Vec::with_capacity(n as usize);
        }
        for (i, r) in m.references.iter().enumerate() {
            if let Some(b) = r.binding {
                m.bindings[b.index()].references.push(ReferenceId(i as u32));
            }
        }
        for b in &mut m.bindings {
            b.references.sort_by_key(|r| m.references[r.index()].range.start());
        }
        self.model
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.deeper() {
            return;
        }
        self.stmt_inner(stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.deeper() {
            return;
        }
        self.expr_inner(expr);
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, h: &'a ast::ExceptHandler) {
        self.except_handler(h);
    }
    fn visit_pattern(&mut self, p: &'a ast::Pattern) {
        self.pattern(p);
    }
    fn visit_type_param(&mut self, tp: &'a ast::TypeParam) {
        self.type_param(tp);
    }
}

impl<'a> Builder<'a> {
    /// One level deeper, unless that passes the limit (then the node is not visited).
    fn deeper(&mut self) -> bool {
        if self.too_deep || self.depth >= self.max_depth {
            self.too_deep = true;
            return false;
        }
        self.depth += 1;
        true
    }

    fn stmt_inner(&mut self, stmt: &'a Stmt) {
        let id = StmtId(self.model.stmts.len() as u32);
        stmt.node_index().set(NodeIndex::from(id.0));
        self.model.stmts.push(StmtNode { stmt, parent: self.stmt, scope: self.scope });
        let parent = self.stmt.replace(id);
        let end = stmt.end();
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                self.parameters_outside(&f.parameters);
                if let Some(r) = &f.returns {
                    self.visit_annotation(r);
                }
                self.bind_identifier(&f.name, BindingKind::FunctionDef, end);
                self.push_scope(ScopeKind::Function, ScopeNode::Function(f));
                if let Some(tp) = &f.type_params {
                    self.visit_type_params(tp);
                }
                self.parameters_inside(&f.parameters, f.start());
                if f.is_async {
                    self.facts().awaits = true;
                }
                self.visit_body(&f.body);
                self.pop_scope();
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(args) = &c.arguments {
                    self.visit_arguments(args);
                }
                self.bind_identifier(&c.name, BindingKind::ClassDef, end);
                self.push_scope(ScopeKind::Class, ScopeNode::Class(c));
                if let Some(tp) = &c.type_params {
                    self.visit_type_params(tp);
                }
                self.visit_body(&c.body);
                self.pop_scope();
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                self.targets(&a.targets, BindingKind::Assignment, Some(end));
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.visit_expr(v);
                }
                self.visit_annotation(&a.annotation);
                let kind = if a.value.is_some() { BindingKind::Assignment } else { BindingKind::Annotation };
                self.target(&a.target, kind, Some(end));
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                match a.target.as_ref() {
                    Expr::Name(n) => {
                        self.reference(n, ReferenceKind::AugLoad);
                        self.target(&a.target, BindingKind::AugAssignment, Some(end));
                    }
                    other => self.visit_expr(other),
                }
            }
            Stmt::TypeAlias(t) => {
                if let Some(tp) = &t.type_params {
                    self.visit_type_params(tp);
                }
                self.visit_expr(&t.value);
                self.target(&t.name, BindingKind::Assignment, Some(end));
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                if f.is_async {
                    self.facts().awaits = true;
                }
                self.target(&f.target, BindingKind::LoopTarget, None);
                self.visit_body(&f.body);
                self.visit_body(&f.orelse);
            }
            Stmt::With(w) => {
                if w.is_async {
                    self.facts().awaits = true;
                }
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        self.target(v, BindingKind::WithTarget, None);
                    }
                }
                self.visit_body(&w.body);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_expr(t);
                    if let Expr::Name(n) = t {
                        self.bind(n.id.as_str(), n.range, BindingKind::Deletion, end, self.scope);
                    }
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(as_) => self.bind_identifier(as_, BindingKind::Import(full.to_string()), end),
                        None => {
                            let head = qualified_head(full);
                            self.bind(head, alias.name.range, BindingKind::Import(head.to_string()), end, self.scope);
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                let module =
                    format!("{}{}", ".".repeat(i.level as usize), i.module.as_ref().map_or("", |m| m.as_str()));
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        self.model.scopes[self.scope.index()].star_import = true;
                        continue;
                    }
                    let local = alias.asname.as_ref().unwrap_or(&alias.name);
                    let sep = if module.ends_with('.') || module.is_empty() { "" } else { "." };
                    let qualified = format!("{module}{sep}{}", alias.name.as_str());
                    self.bind_identifier(local, BindingKind::FromImport(qualified), end);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    self.model.scopes[self.scope.index()]
                        .declarations
                        .insert(n.id.as_str(), (Declaration::Global, n.range));
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    self.model.scopes[self.scope.index()]
                        .declarations
                        .insert(n.id.as_str(), (Declaration::Nonlocal, n.range));
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.stmt = parent;
    }

    fn expr_inner(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => match n.ctx {
                ExprContext::Store => self.bind_name(n),
                ExprContext::Del => self.reference(n, ReferenceKind::Del),
                _ => self.reference(n, ReferenceKind::Load),
            },
            Expr::Named(n) => {
                self.visit_expr(&n.value);
                let saved =
                    (std::mem::replace(&mut self.bind_kind, BindingKind::NamedExpr), self.bind_at.replace(expr.end()));
                self.visit_expr(&n.target);
                (self.bind_kind, self.bind_at) = saved;
            }
            Expr::Lambda(l) => {
                if let Some(params) = &l.parameters {
                    self.parameters_outside(params);
                }
                let saved = self.bind_in.take();
                self.push_scope(ScopeKind::Lambda, ScopeNode::Lambda(l));
                if let Some(params) = &l.parameters {
                    self.parameters_inside(params, l.start());
                }
                self.visit_expr(&l.body);
                self.pop_scope();
                self.bind_in = saved;
            }
            Expr::ListComp(c) => self.comprehension(expr, &c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(expr, &c.generators, &[&c.elt]),
            Expr::Generator(c) => self.comprehension(expr, &c.generators, &[&c.elt]),
            Expr::DictComp(c) => {
                let elements: Vec<&'a Expr> = c.key.as_deref().into_iter().chain([c.value.as_ref()]).collect();
                self.comprehension(expr, &c.generators, &elements)
            }
            Expr::Call(call) => {
                self.facts().calls.push(call);
                visitor::walk_expr(self, expr);
            }
            Expr::Compare(c) => {
                let mut left = c.left.as_ref();
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    if matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq) {
                        let name = match (left, right) {
                            (Expr::Name(n), Expr::NoneLiteral(_)) | (Expr::NoneLiteral(_), Expr::Name(n)) => Some(n),
                            _ => None,
                        };
                        if let Some(n) = name {
                            self.facts().none_tests.insert(n.id.as_str());
                        }
                    }
                    left = right;
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.facts().is_generator = true;
                visitor::walk_expr(self, expr);
            }
            Expr::Await(_) => {
                self.facts().awaits = true;
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }

    fn except_handler(&mut self, h: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(handler) = h;
        if let Some(t) = &handler.type_ {
            self.visit_expr(t);
        }
        if let Some(name) = &handler.name {
            self.bind_identifier(name, BindingKind::ExceptHandler, name.end());
        }
        self.visit_body(&handler.body);
    }

    fn pattern(&mut self, p: &'a ast::Pattern) {
        let name = match p {
            ast::Pattern::MatchAs(m) => m.name.as_ref(),
            ast::Pattern::MatchStar(m) => m.name.as_ref(),
            ast::Pattern::MatchMapping(m) => m.rest.as_ref(),
            _ => None,
        };
        visitor::walk_pattern(self, p);
        if let Some(n) = name {
            self.bind_identifier(n, BindingKind::MatchCapture, p.end());
        }
    }

    fn type_param(&mut self, tp: &'a ast::TypeParam) {
        let name = match tp {
            ast::TypeParam::TypeVar(t) => &t.name,
            ast::TypeParam::TypeVarTuple(t) => &t.name,
            ast::TypeParam::ParamSpec(t) => &t.name,
        };
        self.bind_identifier(name, BindingKind::TypeParam, tp.start());
        visitor::walk_type_param(self, tp);
    }
}

/// Python's builtin names (3.8 to 3.14), sorted.
const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "PythonFinalizationError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "_IncompleteInputError",
    "__build_class__",
    "__debug__",
    "__doc__",
    "__file__",
    "__import__",
    "__name__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.binary_search(&name).is_ok()
}

/// `a` for `import a.b.c`.
fn qualified_head(full: &str) -> &str {
    full.split('.').next().unwrap_or(full)
}

#[cfg(test)]
mod tests;
