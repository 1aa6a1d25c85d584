//! Would a fix free anything? An object that stays in another reference cycle (one strong-backref reports without
//! a fix, a `functools.partial` of its own bound method, a dict of its bound methods, a lambda over `self`) is left
//! to the collector whatever pyfix makes weak.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::Finding;
use crate::edit::Fix;
use crate::semantic::BindingId;

use super::backref::{Candidate, Shape};
use super::module_index::{first_line, Model};
use super::vocabulary::keeps;

impl<'a> Model<'a, '_> {
    /// Turns each fix whose classes stay in another cycle into a report: a cycle reported without a fix (by
    /// `decided` or the searches' own `stuck` reports), or one the searches do not follow (`other_cycle`).
    /// Withdrawing a fix can leave another class in a cycle, so this repeats until nothing changes.
    pub(super) fn withdraw_pointless(
        &self,
        decided: &mut [(Candidate<'a>, Result<Fix, String>)],
        stuck: &[(Finding, usize)],
    ) {
        let members = |c: &Candidate| match c.shape {
            Shape::Owner { owner: Some(o), .. } => vec![c.class, o],
            _ => vec![c.class],
        };
        loop {
            let mut changed = false;
            for i in 0..decided.len() {
                if decided[i].1.is_err() {
                    continue;
                }
                let mine = members(&decided[i].0);
                let other_reported = decided.iter().enumerate().find_map(|(j, (c, r))| {
                    (j != i && r.is_err() && members(c).iter().any(|m| mine.contains(m))).then(|| {
                        let range =
                            self.self_stores(c.class, c.attr).first().map_or(c.evidence, |(s, _)| s.target.range());
                        format!(
                            "`{}.{}` (line {}) keeps it in a reference cycle that is reported without a fix",
                            self.classes[c.class].name(),
                            c.attr,
                            self.line(range.start())
                        )
                    })
                });
                let why = other_reported
                    .or_else(|| {
                        stuck.iter().find(|(_, c): &&(Finding, usize)| mine.contains(c)).map(|(f, _)| {
                            format!(
                                "`{}` (line {}) keeps it in a reference cycle that is reported without a fix",
                                self.text(f.range),
                                self.line(f.range.start())
                            )
                        })
                    })
                    .or_else(|| {
                        mine.iter().find_map(|m| {
                            self.other_cycle(*m, decided[i].0.attr).map(|r| {
                                format!(
                                    "`{}` (line {}) keeps every `{}` in another reference cycle",
                                    first_line(self.text(r)),
                                    self.line(r.start()),
                                    self.classes[*m].name()
                                )
                            })
                        })
                    });
                if let Some(why) = why {
                    decided[i].1 = Err(format!("holding `{}` weakly would free nothing: {why}", decided[i].0.attr));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// A statement of `class` (or a base of the module) that stores on `self`, other than as `attr`, something
    /// that refers back to `self`: `self.x = functools.partial(self.get, ...)`, `setattr(self, k, partial(...))`,
    /// `self.dispatch = {"call": self.on_call}`, `self.cb = lambda: self.x`, `self.handlers.append(self.on_x)`.
    /// A bare `self.x = self.method` or `self.x = self` is a finding of its own and is not counted here.
    pub(super) fn other_cycle(&self, class: usize, attr: &str) -> Option<TextRange> {
        let mut classes = self.bases(class).0;
        classes.push(class);
        let me = |e: &Expr| -> Option<BindingId> {
            let b = self.binding_of_name(e)?;
            let m = self.selves.get(&b)?;
            classes.contains(&self.methods[*m].class).then_some(b)
        };
        // The `self` a store's target hangs from: `self.x`, `self.x[k]`.
        let owner_of_target = |t: &Expr| -> Option<BindingId> {
            match t {
                Expr::Attribute(a) if a.attr.as_str() != attr => me(&a.value),
                Expr::Subscript(s) => match s.value.as_ref() {
                    Expr::Attribute(a) => me(&a.value),
                    _ => None,
                },
                _ => None,
            }
        };
        for s in &self.stores {
            let (Some(value), Some(me)) = (s.value, owner_of_target(s.target)) else { continue };
            // `self.x = self.m` and `self.x = self`: findings of their own.
            if s.target.is_attribute_expr()
                && (self.binding_of_name(value) == Some(me) || self.is_bound_method_of(value, me))
            {
                continue;
            }
            if self.refers_to(value, me) || self.holds_frame(value) {
                return Some(s.stmt.range());
            }
        }
        for (call, stmt) in &self.calls {
            // `self.bind("<Double-1>", self.expand)`, `self.text.bind(..., self.on_key)`: a bound method handed to
            // the object itself or to one of its attributes, which keep it (a callback table, tk's commands).
            if let Expr::Attribute(f) = call.func.as_ref() {
                let mut base = f.value.as_ref();
                while let Expr::Attribute(a) = base {
                    base = a.value.as_ref();
                }
                if let Some(me) = me(base) {
                    let args = call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value));
                    if args.into_iter().any(|a| self.is_bound_method_of(a, me)) {
                        return Some(stmt.range());
                    }
                }
            }
            let args = &call.arguments.args;
            let (target, value) = match call.func.as_ref() {
                // `setattr(self, name, value)`
                Expr::Name(n) if n.id.as_str() == "setattr" && args.len() == 3 => (&args[0], &args[2]),
                // `self.handlers.append(self.on_x)`
                Expr::Attribute(f) if keeps(f.attr.as_str()) && args.len() == 1 => match f.value.as_ref() {
                    Expr::Attribute(a) => (a.value.as_ref(), &args[0]),
                    _ => continue,
                },
                _ => continue,
            };
            let Some(me) = me(target) else { continue };
            if self.refers_to(value, me) {
                return Some(stmt.range());
            }
        }
        None
    }

    /// A value that holds a frame: `sys._getframe()`, `f.f_back`, or a parameter named `frame` (a profiling or trace
    /// callback's), alone or inside a tuple or list (`self.cur = (t, fn, frame, self.cur)`). A frame of a method
    /// keeps its locals, `self` among them, so the object stays in a cycle through it.
    fn holds_frame(&self, value: &Expr) -> bool {
        match value {
            Expr::Tuple(t) => t.elts.iter().any(|e| self.holds_frame(e)),
            Expr::List(l) => l.elts.iter().any(|e| self.holds_frame(e)),
            Expr::Attribute(a) => a.attr.as_str() == "f_back",
            Expr::Call(c) => self.sem.resolve_qualified_name(&c.func).is_some_and(|q| q == "sys._getframe"),
            Expr::Name(n) => {
                n.id.as_str() == "frame"
                    && self
                        .binding_of_name(value)
                        .is_some_and(|b| self.sem.binding(b).kind == crate::semantic::BindingKind::Parameter)
            }
            _ => false,
        }
    }

    /// `self.method` where `method` is a method of self's class.
    pub(super) fn is_bound_method_of(&self, e: &Expr, me: BindingId) -> bool {
        let Expr::Attribute(a) = e else { return false };
        self.binding_of_name(&a.value) == Some(me)
            && self.classes[self.methods[self.selves[&me]].class].is_method(a.attr.as_str())
    }

    /// Does the value keep `me` alive: its bound method (not a call of it), itself inside a display or a call
    /// argument, or a lambda that reads it?
    fn refers_to(&self, value: &'a Expr, me: BindingId) -> bool {
        let mut v = Keeps { model: self, me, found: false, argument: false };
        v.visit_expr(value);
        v.found
    }
}

struct Keeps<'a, 'm, 'c> {
    model: &'m Model<'a, 'c>,
    me: BindingId,
    found: bool,
    /// Inside a call's arguments: `Child(self)` is the owner/child shape strong-backref weighs on its own (or a
    /// callee it cannot see), not a cycle counted here.
    argument: bool,
}

impl<'a> Visitor<'a> for Keeps<'a, '_, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found {
            return;
        }
        match expr {
            // `self.m(...)`, `self.x.y(...)`: what the call returns, not the method.
            Expr::Call(ast::ExprCall { func, arguments, .. }) => {
                if let Expr::Attribute(f) = func.as_ref() {
                    if self.model.binding_of_name(&f.value) != Some(self.me) {
                        self.visit_expr(&f.value);
                    }
                } else {
                    self.visit_expr(func);
                }
                let outer = std::mem::replace(&mut self.argument, true);
                for a in &arguments.args {
                    self.visit_expr(a);
                }
                for k in &arguments.keywords {
                    self.visit_expr(&k.value);
                }
                self.argument = outer;
            }
            Expr::Attribute(a) if self.model.binding_of_name(&a.value) == Some(self.me) => {
                // `self.m` keeps `self`; `self.data` is another object.
                if self.model.is_bound_method_of(expr, self.me) {
                    self.found = true;
                }
            }
            Expr::Name(_) if self.model.binding_of_name(expr) == Some(self.me) => self.found |= !self.argument,
            // A lambda that reads `self` closes over it.
            Expr::Lambda(_) => {
                let outer = std::mem::replace(&mut self.argument, false);
                visitor::walk_expr(self, expr);
                self.argument = outer;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
