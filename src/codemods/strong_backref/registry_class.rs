//! A registry that is an object of the module's own class (`_bus = EventBus()`, `_bus.subscribe(self.on_event)`)
//! and its fix: the class keeps bound methods as `weakref.WeakMethod`s (plain functions as they are), wraps them the
//! same way where it removes or looks them up, and skips and prunes dead entries in the loops that call them.

use ruff_python_ast::{CmpOp, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::fix::ensure_import;
use crate::edit::{Edit, Fix};
use crate::semantic::BindingKind;

use super::module_index::{first_line, Member, Model};
use super::weak_property::Weakable;

impl<'a> Model<'a, '_> {
    /// The fix for a registry object of `class` given bound methods through `method` (`subscribe`), when every use
    /// of the list or set that `method` fills is in the class's own methods and understood.
    pub(super) fn weak_registry_class(&self, class: usize, method: &str, hint: &str) -> Result<Fix, String> {
        let c = &self.classes[class];
        let cname = c.name();
        let Some(Member::Method(def)) = c.members.get(method) else {
            return Err(format!("`{cname}.{method}` is not a plain method of `{cname}` pyfix can read; {hint}"));
        };
        let Some(mi) = self.methods.iter().position(|m| std::ptr::eq(m.def, *def)) else {
            return Err(format!("`{cname}.{method}` has no `self`; {hint}"));
        };
        let of_class = |e: &Expr| self.self_method(e).is_some_and(|m| self.methods[m].class == class);
        // `self._subscribers.append(callback)` in `subscribe`, `callback` a parameter.
        let is_param = |e: &Expr, scope| {
            self.binding_of_name(e).is_some_and(|b| {
                let b = self.sem.binding(b);
                b.kind == BindingKind::Parameter && b.scope == scope
            })
        };
        let fills = self.calls.iter().find_map(|(call, stmt)| {
            let Expr::Attribute(f) = call.func.as_ref() else { return None };
            let Expr::Attribute(container) = f.value.as_ref() else { return None };
            let scope = self.sem.stmt_scope(self.sem.stmt_id(stmt)?);
            (scope == self.methods[mi].scope
                && matches!(f.attr.as_str(), "append" | "add")
                && self.self_method(&container.value) == Some(mi)
                && matches!(&call.arguments.args[..], [a] if is_param(a, scope)))
            .then_some(container.attr.as_str())
        });
        let Some(attr) = fills else {
            // `self.untraced.append((var, callback))`: the argument is kept, inside a tuple, where a weak reference
            // would have to be unwrapped by every reader of the entries.
            let inside = self.calls.iter().find_map(|(call, stmt)| {
                let Expr::Attribute(f) = call.func.as_ref() else { return None };
                let Expr::Attribute(container) = f.value.as_ref() else { return None };
                let scope = self.sem.stmt_scope(self.sem.stmt_id(stmt)?);
                let in_display = |a: &Expr| match a {
                    Expr::Tuple(t) => t.elts.iter().any(|e| is_param(e, scope)),
                    Expr::List(l) => l.elts.iter().any(|e| is_param(e, scope)),
                    _ => false,
                };
                (scope == self.methods[mi].scope
                    && matches!(f.attr.as_str(), "append" | "add")
                    && self.self_method(&container.value) == Some(mi)
                    && matches!(&call.arguments.args[..], [a] if in_display(a)))
                .then_some(call)
            });
            if let Some(call) = inside {
                return Err(format!(
                    "`{cname}.{method}` keeps its argument inside an entry of its own (`{}`, line {}): every reader of the entries would have to call the weak reference, which pyfix does not rewrite; {hint}",
                    self.text(call.range()),
                    self.line(call.start())
                ));
            }
            return Err(format!(
                "pyfix sees no `self.<container>.append(...)` or `.add(...)` of the argument in `{cname}.{method}`, so it cannot tell where the entries are kept; {hint}"
            ));
        };
        // Subscribers of this module must be weakly referenceable.
        for (call, _) in &self.calls {
            let Expr::Attribute(f) = call.func.as_ref() else { continue };
            if f.attr.as_str() != method {
                continue;
            }
            for a in &call.arguments.args {
                let Expr::Attribute(bm) = a else { continue };
                let Some(m) = self.self_method(&bm.value) else { continue };
                let sub = self.methods[m].class;
                if !matches!(self.weakable(sub, 0), Weakable::Yes) {
                    return Err(format!(
                        "`{}` cannot be weakly referenced (`__slots__` without `__weakref__`), so its bound methods cannot be held by `weakref.WeakMethod`",
                        self.classes[sub].name()
                    ));
                }
            }
        }
        let Some((import, weakref)) = ensure_import(self.cx, "weakref", None) else {
            return Err("the name `weakref` is taken in this module".to_string());
        };
        let class_text = self.text(c.def.range());
        let quote = class_text.chars().find(|ch| *ch == '"' || *ch == '\'').unwrap_or('"');
        let wrap = |q: &str| format!("{weakref}.WeakMethod({q}) if hasattr({q}, {quote}__func__{quote}) else {q}");
        // How the container is made (once, in `__init__`) says how to drop a dead entry.
        let made: Vec<&Expr> = self
            .cx
            .attributes()
            .uses(attr)
            .filter(|u| of_class(&u.attribute().value))
            .filter_map(|u| match u.kind {
                AttributeUseKind::Store { value } => Some(value.unwrap_or(u.expr)),
                _ => None,
            })
            .collect();
        let prune = match made.as_slice() {
            [Expr::List(l)] if l.elts.is_empty() => "remove",
            [Expr::Set(_)] => "discard",
            [Expr::Call(call)] if call.arguments.is_empty() => {
                match self.sem.resolve_qualified_name(&call.func).as_deref() {
                    Some("builtins.list") => "remove",
                    Some("builtins.set") => "discard",
                    _ => "",
                }
            }
            _ => "",
        };
        if prune.is_empty() {
            return Err(format!("`{cname}.{attr}` is not made once as a plain list or set; {hint}"));
        }
        let mut edits: Vec<Edit> = import.into_iter().collect();
        let mut loops = 0;
        for u in self.cx.attributes().uses(attr) {
            let a = u.attribute();
            let stmt = u.stmt;
            let unknown = || {
                format!(
                    "`{}` (line {}) uses `{attr}` in a way pyfix does not rewrite; {hint}",
                    first_line(self.text(stmt.range())),
                    self.line(stmt.start())
                )
            };
            if !of_class(&a.value) {
                // Another class's attribute of the same name: none of this registry's business, unless it is not
                // on a `self` at all (`bus._subscribers`), which may be this one.
                if self.self_method(&a.value).is_some() {
                    continue;
                }
                return Err(unknown());
            }
            match u.kind {
                AttributeUseKind::Store { .. } => {
                    let in_init =
                        self.self_method(&a.value).is_some_and(|m| self.methods[m].def.name.as_str() == "__init__");
                    if !in_init {
                        return Err(unknown());
                    }
                }
                AttributeUseKind::MethodCall { method: m, call } => match m {
                    "append" | "add" | "remove" | "discard" => {
                        let [arg @ Expr::Name(_)] = &call.arguments.args[..] else { return Err(unknown()) };
                        if !call.arguments.keywords.is_empty() {
                            return Err(unknown());
                        }
                        edits.push(Edit::replace(arg.range(), wrap(self.text(arg.range()))));
                    }
                    "clear" | "copy" => {}
                    _ => return Err(unknown()),
                },
                AttributeUseKind::Argument(call) if matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "len") =>
                    {}
                AttributeUseKind::Load => {
                    let path = self.sem.expr_path(stmt, u.expr.range());
                    match (path.last(), stmt) {
                        // `callback in self._subscribers`
                        (Some(Expr::Compare(cmp)), _)
                            if matches!(&cmp.ops[..], [CmpOp::In | CmpOp::NotIn])
                                && cmp.comparators.first().is_some_and(|e| e.range() == u.expr.range())
                                && cmp.left.is_name_expr() =>
                        {
                            edits.push(Edit::replace(
                                cmp.left.range(),
                                format!("({})", wrap(self.text(cmp.left.range()))),
                            ));
                        }
                        (None, Stmt::If(i)) if i.test.range() == u.expr.range() => {}
                        (None, Stmt::For(f)) if f.iter.range() == u.expr.range() => {
                            edits.extend(self.pruning_loop(f, self.text(u.expr.range()), prune, Some(&weakref))?);
                            loops += 1;
                        }
                        _ => return Err(unknown()),
                    }
                }
                _ => return Err(unknown()),
            }
        }
        if loops == 0 {
            return Err(format!("pyfix sees no loop that calls the entries of `{cname}.{attr}`; {hint}"));
        }
        Fix::unsafe_because(
            format!("Keep bound methods in `{cname}.{attr}` as `weakref.WeakMethod`s and skip dead entries when calling them"),
            format!("a subscriber kept alive only by the `{cname}` is now freed and stops being called; `{cname}.{attr}` holds `WeakMethod`s for bound methods (plain functions as before), and a subscriber whose class cannot be weakly referenced now fails to subscribe"),
            edits,
        )
        .ok_or_else(|| "pyfix built overlapping edits for this fix (a pyfix bug)".to_string())
    }
}
