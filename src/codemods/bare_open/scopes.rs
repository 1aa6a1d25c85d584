//! Scopes and the names used in them, all answered by the semantic model: `Scope`, the uses of a name (`Occ`),
//! fresh names, and the `self.<attr>` names a class closes. Nothing here looks at what a use does with the value.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::rc::Rc;

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::attributes::{AttributeIndex, AttributeUseKind};
use crate::codemods::analyze::owners::OwnerClass;
use crate::codemods::Context;
use crate::semantic::{BindingKind, ReferenceKind, ScopeId, ScopeKind, ScopeNode, Semantic, StmtId};

use super::quiet::quiet_ranges;

/// A module, function or class body being checked.
pub(super) struct Scope<'a> {
    pub(super) id: ScopeId,
    pub(super) kind: ScopeKind,
    pub(super) body: &'a [Stmt],
    /// In a method: the `self.<attr>` names that some method of the class closes.
    pub(super) class_closes: Option<Rc<ClassCloses<'a>>>,
    /// Where opens are left alone: `open` is mocked, or the code tests that it raises or warns (`quiet_ranges`).
    pub(super) quiet: Rc<OnceCell<Vec<TextRange>>>,
    /// Some call in the scope's own statements may open something (`may_open`); if not, they are not walked.
    pub(super) may_open: bool,
}

/// The `self.<attr>` names closed in a class body, found on first use: few classes store an open resource.
pub(super) struct ClassCloses<'a> {
    pub(super) body: &'a [Stmt],
    /// The bodies of its base classes defined in the same module (`class ListTest(ReadTest)`, whose `tearDown`
    /// closes `self.tar`), bases of bases too.
    pub(super) bases: Vec<&'a [Stmt]>,
    /// A base (or a base's base) that is not a class of this module (`http.client.HTTPConnection`): its own
    /// `close()` may close what the class stores on `self`.
    pub(super) foreign_base: bool,
    /// The class itself, for closes of `self.<attr>` in other classes (`analyze::owners`).
    pub(super) owner: OwnerClass,
    pub(super) attributes: &'a AttributeIndex<'a>,
    pub(super) names: OnceCell<HashSet<String>>,
}

impl ClassCloses<'_> {
    pub(super) fn closes(&self, attr: &str) -> bool {
        let names = self.names.get_or_init(|| {
            let mut names = self_attrs_closed(self.attributes, self.body);
            // A base's own `close` closes what the base stores, not every attribute a subclass adds
            // (idlelib's `RPCClient(SocketIO)` keeps a listening socket `SocketIO.close` never sees).
            for b in &self.bases {
                names.extend(self_attrs_closed(self.attributes, b).into_iter().filter(|n| n != ANY_ATTR));
            }
            names
        });
        names.contains(attr) || names.contains(ANY_ATTR)
    }
}

/// One use (load, `del`) or binding of a name, from the model.
pub(super) struct Occ {
    pub(super) range: TextRange,
    pub(super) kind: OccKind,
    /// The innermost statement holding it.
    pub(super) stmt: Option<StmtId>,
    /// Inside a nested function, lambda, class or generator expression: it may run later.
    pub(super) captured: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum OccKind {
    Load,
    Store,
    Del,
}

impl Occ {
    /// The statement holding the occurrence (`fallback` for the rare binding made outside any statement).
    pub(super) fn stmt<'a: 'f, 'f>(&self, cx: &Context<'a>, fallback: &'f Stmt) -> &'f Stmt {
        self.stmt.map_or(fallback, |id| cx.semantic.stmt(id))
    }

    /// Enclosing expressions, outermost first (not the name itself).
    pub(super) fn exprs<'a>(&self, cx: &Context<'a>) -> Vec<&'a Expr> {
        match self.stmt {
            Some(id) => cx.semantic.expr_path(cx.semantic.stmt(id), self.range),
            None => Vec::new(),
        }
    }

    /// The statement holding it and the statements around it.
    fn within<'c>(&self, cx: &'c Context) -> impl Iterator<Item = &'c Stmt> + 'c {
        let model = cx.semantic;
        self.stmt
            .into_iter()
            .flat_map(move |id| std::iter::once(id).chain(model.ancestors(id)))
            .map(|id| model.stmt(id))
    }
}

impl<'a> Scope<'a> {
    /// `range` lies where opens are left alone (`quiet_ranges`, found on first use).
    pub(super) fn is_quiet(&self, cx: &Context, range: TextRange) -> bool {
        self.quiet.get_or_init(|| quiet_ranges(cx)).iter().any(|q| q.contains_range(range))
    }

    /// Every binding of `name` in this scope and every use of those bindings (also from nested scopes), in source
    /// order.
    pub(super) fn uses(&self, cx: &Context, name: &str) -> Vec<Occ> {
        let model = cx.semantic;
        let mut out = Vec::new();
        for &b in model.scope(self.id).bindings_of(name) {
            let binding = model.binding(b);
            // `del f` is both a binding and a use: the use is enough.
            if binding.kind != BindingKind::Deletion {
                let made_in = binding.stmt.map_or(self.id, |s| model.stmt_scope(s));
                out.push(Occ {
                    range: binding.range,
                    kind: OccKind::Store,
                    stmt: binding.stmt,
                    captured: self.runs_later(cx, made_in),
                });
            }
            for &r in &binding.references {
                let reference = model.reference(r);
                let kind = match reference.kind {
                    ReferenceKind::Del => OccKind::Del,
                    ReferenceKind::Load | ReferenceKind::AugLoad => OccKind::Load,
                };
                let captured = self.runs_later(cx, reference.scope);
                out.push(Occ { range: reference.range, kind, stmt: reference.stmt, captured });
            }
        }
        out.sort_by_key(|o| (o.range.start(), o.kind != OccKind::Store));
        out
    }

    /// The loads of `name`, declared `global`/`nonlocal` here, made by this scope's own code (the name's bindings
    /// live in the scope that declares it).
    pub(super) fn outer_loads(&self, cx: &Context, name: &str) -> Vec<Occ> {
        let model = cx.semantic;
        let Some(b) = model.lookup(name, self.id) else { return Vec::new() };
        let mut out = Vec::new();
        for &b in model.scope(model.binding(b).scope).bindings_of(name) {
            for &r in &model.binding(b).references {
                let reference = model.reference(r);
                if reference.kind == ReferenceKind::Load && model.is_within(reference.scope, self.id) {
                    let captured = self.runs_later(cx, reference.scope);
                    out.push(Occ { range: reference.range, kind: OccKind::Load, stmt: reference.stmt, captured });
                }
            }
        }
        out.sort_by_key(|o| o.range.start());
        out
    }

    /// True when code in `inner` (nested in this scope) may run after this scope's statements: inside a function,
    /// lambda, class or generator expression.
    fn runs_later(&self, cx: &Context, mut inner: ScopeId) -> bool {
        let model = cx.semantic;
        // A parameter is bound by its `def`, which stands in the enclosing scope.
        if !model.is_within(inner, self.id) {
            return false;
        }
        while inner != self.id {
            let s = model.scope(inner);
            let lazy = match s.node {
                ScopeNode::Comprehension(e) => e.is_generator_expr(),
                _ => true,
            };
            if lazy {
                return true;
            }
            match s.parent {
                Some(p) => inner = p,
                None => return false,
            }
        }
        false
    }

    /// `global`/`nonlocal`: the name is not local, so a handle bound to it escapes.
    pub(super) fn is_declared(&self, cx: &Context, name: &str) -> bool {
        cx.semantic.scope(self.id).declaration(name).is_some()
    }

    /// A name for a new `with` target that clashes with nothing this scope can see.
    pub(super) fn fresh_name(&self, cx: &Context, candidates: &[&str]) -> String {
        let model = cx.semantic;
        let scope = model.scope(self.id);
        let star = model.scope(Semantic::MODULE).star_import;
        if self.kind == ScopeKind::Function && !star {
            // Free here: not bound in this function, and no code in it reads a binding of that name from outside.
            let free = |c: &&&str| {
                !scope.binds(c)
                    && scope.declaration(c).is_none()
                    && model.lookup(c, self.id).is_none_or(|b| {
                        model.binding(b).references.iter().all(|r| !model.is_within(model.reference(*r).scope, self.id))
                    })
            };
            if let Some(c) = candidates.iter().find(free) {
                return (*c).to_string();
            }
        }
        cx.fresh_name(candidates)
    }
}

/// In `class_closes`: every attribute is closed by the class.
const ANY_ATTR: &str = "*";

/// `self.<attr>` names closed anywhere in a class body (`self.f.close()`), or `ANY_ATTR` for a class that closes
/// its resources itself.
fn self_attrs_closed(attributes: &AttributeIndex, body: &[Stmt]) -> HashSet<String> {
    let mut names = HashSet::new();
    if let (Some(first), Some(last)) = (body.first(), body.last()) {
        let within = TextRange::new(first.start(), last.end());
        // `self.f.close()`, or `self.f.close` handed over (`self.addCleanup(self.f.close)`); the closing method of
        // an executor (`shutdown`), a temporary directory (`cleanup`) or a server (`server_close`).
        let closing = ["close", "__exit__", "shutdown", "cleanup", "server_close"];
        for u in closing.iter().flat_map(|m| attributes.uses(m)) {
            // `sock.shutdown(socket.SHUT_RDWR)` ends a connection and closes nothing: only an executor's
            // `shutdown(wait=...)`, without positional arguments, counts.
            if u.attribute().attr.as_str() == "shutdown"
                && !matches!(u.kind, AttributeUseKind::Called(c) if c.arguments.args.is_empty())
            {
                continue;
            }
            let Expr::Attribute(field) = u.attribute().value.as_ref() else { continue };
            if within.contains_range(u.expr.range())
                && matches!(field.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            {
                names.insert(field.attr.to_string());
            }
        }
    }
    // A class with its own `close`/`__exit__`/`__del__` is a resource wrapper: it owns the files it stores.
    let owns = body.iter().any(|s| {
        matches!(s, Stmt::FunctionDef(f) if matches!(f.name.as_str(), "close" | "__exit__" | "__aexit__" | "__del__"))
    });
    if owns {
        names.insert(ANY_ATTR.to_string());
    }
    names
}

pub(super) fn in_except(cx: &Context, occ: &Occ) -> bool {
    occ.within(cx).any(|s| match s {
        Stmt::Try(t) => t.handlers.iter().any(|h| h.range().contains_range(occ.range)),
        _ => false,
    })
}

pub(super) fn in_finally(cx: &Context, occ: &Occ) -> bool {
    occ.within(cx).any(|s| match s {
        Stmt::Try(t) => t.finalbody.iter().any(|b| b.range().contains_range(occ.range)),
        _ => false,
    })
}
