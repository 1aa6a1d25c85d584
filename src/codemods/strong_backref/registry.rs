//! Registries that pin bound methods (a module- or class-level list, set or dict given `self.method`) and their
//! fix: register `weakref.WeakMethod`s and prune dead entries in the loops that call them.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::codemods::fix::ensure_import;
use crate::edit::{Edit, Fix};
use crate::semantic::{BindingId, BindingKind, Semantic};

use super::module_index::{first_line, Member, Model};
use super::vocabulary::WEAK_SIGNAL_LIBRARIES;

impl<'a> Model<'a, '_> {
    /// `self.on_event` where `on_event` is a plain method of `self`'s class.
    pub(super) fn is_own_bound_method(&self, e: &Expr) -> bool {
        let Expr::Attribute(a) = e else { return false };
        self.self_method(&a.value).is_some_and(|m| self.classes[self.methods[m].class].is_method(a.attr.as_str()))
    }

    /// What the receiver of `.register(...)` is, when it outlives the instances it is given.
    pub(super) fn registry(&self, e: &'a Expr) -> Option<Registry<'a>> {
        match e {
            Expr::Name(n) => {
                let b = self.sem.resolve(n)?;
                let binding = self.sem.binding(b);
                if binding.scope != Semantic::MODULE || binding.kind != BindingKind::Assignment {
                    return None;
                }
                let Stmt::Assign(asg) = self.sem.stmt(binding.stmt?) else { return None };
                let kind = self.container_kind(&asg.value)?;
                let single = self.sem.scope(Semantic::MODULE).bindings_of(n.id.as_str()).len() == 1;
                Some(Registry::Module { name: n.id.as_str(), binding: b, kind, single })
            }
            Expr::Attribute(a) => {
                // `self._listeners` / `Widget._listeners`: a class attribute that no instance overrides.
                let owner = match self.self_method(&a.value) {
                    Some(m) => self.methods[m].class,
                    None => *self.class_of_binding.get(&self.binding_of_name(&a.value)?)?,
                };
                let Some(Member::Value(Stmt::Assign(asg))) = self.classes[owner].members.get(a.attr.as_str()) else {
                    return None;
                };
                self.container_kind(&asg.value)?;
                if !self.self_stores(owner, a.attr.as_str()).is_empty() {
                    return None;
                }

                Some(Registry::Class { class: owner, attr: a.attr.as_str() })
            }
            _ => None,
        }
    }

    /// `[]`, `set()`, `{}`, or an instance of a class of this module; `None` for what holds weakly or is unknown.
    fn container_kind(&self, value: &Expr) -> Option<ContainerKind> {
        match value {
            Expr::List(l) if l.elts.is_empty() => Some(ContainerKind::List),
            Expr::Set(_) => Some(ContainerKind::Set),
            Expr::Dict(d) if d.is_empty() => Some(ContainerKind::Other),
            Expr::Call(c) => {
                if let Some(class) = self.instantiated(c) {
                    return Some(ContainerKind::Object(class));
                }
                let q = self.sem.resolve_qualified_name(&c.func)?;
                if WEAK_SIGNAL_LIBRARIES.iter().any(|l| q.starts_with(l)) {
                    return None;
                }
                match q.as_str() {
                    "builtins.list" if c.arguments.is_empty() => Some(ContainerKind::List),
                    "builtins.set" if c.arguments.is_empty() => Some(ContainerKind::Set),
                    "builtins.dict" | "collections.defaultdict" | "collections.OrderedDict" => {
                        Some(ContainerKind::Other)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Registers `weakref.WeakMethod(self.m)` and makes the loops that call the entries skip and prune dead ones,
    /// when every use of the registry is in this module and understood.
    pub(super) fn weak_registry(&self, registry: &Registry<'a>, method: &str) -> Result<Fix, String> {
        let hint = "hold the entries weakly: `weakref.WeakMethod(self.method)` for bound methods (call it to get the method, `None` once the object is gone), or a `weakref.WeakSet` / `weakref.WeakValueDictionary` of the objects";
        let (name, binding, kind, single) = match registry {
            Registry::Module { name, binding, kind, single } => (name, binding, kind, single),
            Registry::Class { class, attr } => {
                return Err(format!(
                    "`{}.{attr}` is a class attribute: subclasses and code elsewhere may add or call entries; {hint}",
                    self.classes[*class].name()
                ));
            }
        };
        if let ContainerKind::Object(class) = kind {
            return self.weak_registry_class(*class, method, hint);
        }
        if *kind == ContainerKind::Other {
            return Err(format!(
                "`{name}` is not a plain list or set, so pyfix cannot rewrite how its entries are called; {hint}"
            ));
        }
        if name.starts_with("__") || !name.starts_with('_') || !single {
            return Err(format!(
                "`{name}` is public (or rebound), so code in other modules may add or call entries; {hint}"
            ));
        }
        let Some((import, weakref)) = ensure_import(self.cx, "weakref", None) else {
            return Err("the name `weakref` is taken in this module".to_string());
        };
        let mut edits: Vec<Edit> = import.into_iter().collect();
        let mut loops = 0;
        for r in &self.sem.binding(*binding).references {
            let r = self.sem.reference(*r);
            let Some(sid) = r.stmt else { return Err(format!("`{name}` is used outside a statement; {hint}")) };
            let stmt = self.sem.stmt(sid);
            let path = self.sem.expr_path(stmt, r.range);
            let unknown = || {
                format!(
                    "`{}` (line {}) uses `{name}` in a way pyfix does not rewrite; {hint}",
                    first_line(self.text(stmt.range())),
                    self.line(stmt.start())
                )
            };
            match path.last() {
                // `_handlers.append(self.m)`, `.remove(self.m)`, `.clear()`
                Some(Expr::Attribute(m)) if m.value.range() == r.range => {
                    let call =
                        path.iter().rev().nth(1).and_then(|e| e.as_call_expr()).filter(|c| c.func.range() == m.range);
                    let Some(call) = call else { return Err(unknown()) };
                    match m.attr.as_str() {
                        "append" | "add" | "remove" | "discard" => {
                            let [arg] = &call.arguments.args[..] else { return Err(unknown()) };
                            if !call.arguments.keywords.is_empty() || !self.is_own_bound_method(arg) {
                                return Err(format!(
                                    "`{}` (line {}) registers something other than a bound method of `self`; {hint}",
                                    self.text(call.range()),
                                    self.line(call.start())
                                ));
                            }
                            edits.push(Edit::insert(arg.start(), format!("{weakref}.WeakMethod(")));
                            edits.push(Edit::insert(arg.end(), ")"));
                        }
                        "clear" => {}
                        _ => return Err(unknown()),
                    }
                }
                // `len(_handlers)`, `if _handlers:`
                Some(Expr::Call(c)) if matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "len") => {}
                None if matches!(stmt, Stmt::If(i) if i.test.range() == r.range) => {}
                // `for cb in _handlers:`
                None => {
                    let Stmt::For(f) = stmt else { return Err(unknown()) };
                    if f.iter.range() != r.range {
                        return Err(unknown());
                    }
                    let prune = if *kind == ContainerKind::Set { "discard" } else { "remove" };
                    edits.extend(self.pruning_loop(f, name, prune, None)?);
                    loops += 1;
                }
                _ => return Err(unknown()),
            }
        }
        if loops == 0 {
            return Err(format!("pyfix sees no loop that calls the entries of `{name}`; {hint}"));
        }
        Fix::unsafe_because(
            format!("Register `weakref.WeakMethod`s in `{name}` and skip dead entries when calling them"),
            format!("an object kept alive only by `{name}` is now freed and its callback stops firing; `{name}` holds `WeakMethod`s, not methods"),
            edits,
        )
        .ok_or_else(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string())
    }

    /// `for cb in _handlers:` -> `for ref in list(_handlers):` and, first in the body, get the method back from its
    /// `WeakMethod` and drop the entry when its object is gone. `mixed` (the name `weakref` is imported as): the
    /// container also holds plain functions, kept as they are, so only `WeakMethod` entries are called to deref.
    pub(super) fn pruning_loop(
        &self,
        f: &'a ast::StmtFor,
        container: &str,
        prune: &str,
        mixed: Option<&str>,
    ) -> Result<Vec<Edit>, String> {
        let Expr::Name(target) = f.target.as_ref() else {
            return Err(format!("the loop over `{container}` (line {}) unpacks its entries", self.line(f.start())));
        };
        let Some(first) = f.body.first() else { return Err("an empty loop".into()) };
        if f.is_async || !self.cx.source.starts_line(first.start()) {
            return Err(format!(
                "the loop over `{container}` (line {}) has its body on the `for` line",
                self.line(f.start())
            ));
        }
        let ref_name = self.cx.fresh_name(&["ref", "weak_ref"]);
        let indent = self.cx.source.indent_at(first.start());
        let u = self.cx.style.unit_below(indent);
        let le = self.cx.style.line_ending;
        let cb = target.id.as_str();
        let deref = match mixed {
            Some(weakref) => format!("{ref_name}() if isinstance({ref_name}, {weakref}.WeakMethod) else {ref_name}"),
            None => format!("{ref_name}()"),
        };
        Ok(vec![
            Edit::replace(f.target.range(), ref_name.clone()),
            Edit::replace(f.iter.range(), format!("list({container})")),
            Edit::insert(
                self.cx.source.line_start(first.start()),
                format!(
                    "{indent}{cb} = {deref}{le}\
                     {indent}if {cb} is None:{le}\
                     {indent}{u}{container}.{prune}({ref_name}){le}\
                     {indent}{u}continue{le}"
                ),
            ),
        ])
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ContainerKind {
    List,
    Set,
    /// An object of this module's own registry class.
    Object(usize),
    /// A dict.
    Other,
}

pub(super) enum Registry<'a> {
    Module { name: &'a str, binding: BindingId, kind: ContainerKind, single: bool },
    Class { class: usize, attr: &'a str },
}

impl Registry<'_> {
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Registry::Module { .. } => "module-level registry",
            Registry::Class { .. } => "class-level registry",
        }
    }
}
