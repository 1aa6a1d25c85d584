//! Every `<expr>.name` in a module and what the code does there (reads, stores, deletes, calls a method on it,
//! passes, returns or yields it), with its innermost statement: one walk per file, asked by every codemod that
//! wonders who else touches an attribute. Which object the attribute belongs to is not known here.

use std::sync::OnceLock;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;

/// What the code does with one `<expr>.name`.
#[derive(Clone, Copy, Debug)]
pub enum AttributeUseKind<'a> {
    /// Read, in none of the ways below: `x.name.other`, `x.name + 1`, `y = x.name`.
    Load,
    /// `x.name = value`, `x.name: T = value`; `value` is `None` when the attribute is a target of unpacking
    /// (`a, x.name = pair`), of a list display, of `for`/`with`/a comprehension.
    Store { value: Option<&'a Expr> },
    /// `x.name += value`.
    AugStore,
    /// `del x.name`.
    Delete,
    /// `x.name(...)`: the attribute is the callee.
    Called(&'a ast::ExprCall),
    /// `x.name.method(...)`.
    MethodCall { method: &'a str, call: &'a ast::ExprCall },
    /// `f(x.name)`, `f(k=x.name)`.
    Argument(&'a ast::ExprCall),
    /// `return x.name`.
    Returned,
    /// `yield x.name` (not `yield from`).
    Yielded,
    /// `x.name[k] = value` (`subscript` is `x.name[k]`); `value` is `None` for `x.name[k] += ...` and the targets of
    /// unpacking, `for`, `with` and comprehensions.
    SubscriptStore { subscript: &'a Expr, value: Option<&'a Expr> },
    /// `del x.name[k]`.
    SubscriptDelete,
}

/// One `<expr>.name`.
#[derive(Clone, Copy, Debug)]
pub struct AttributeUse<'a> {
    /// The attribute expression (always an `Expr::Attribute`).
    pub expr: &'a Expr,
    pub kind: AttributeUseKind<'a>,
    /// The innermost statement holding it.
    pub stmt: &'a Stmt,
}

impl<'a> AttributeUse<'a> {
    pub fn attribute(&self) -> &'a ast::ExprAttribute {
        match self.expr {
            Expr::Attribute(a) => a,
            _ => unreachable!("an attribute use is an attribute expression"),
        }
    }
    pub fn name(&self) -> &'a str {
        self.attribute().attr.as_str()
    }
}

/// The module's attribute uses, in the order a visitor meets them (statements in source order, and within one
/// the order Python evaluates it), and every call with its innermost statement.
pub struct AttributeIndex<'a> {
    uses: Vec<AttributeUse<'a>>,
    calls: Vec<(&'a ast::ExprCall, &'a Stmt)>,
    // Invariant: indexes of `uses` sorted by name, then by position; built on the first question by name.
    by_name: OnceLock<Vec<u32>>,
}

impl<'a> AttributeIndex<'a> {
    /// One walk over `body` (a module's statements).
    pub fn new(body: &'a [Stmt]) -> Self {
        // Sized about as the median module needs (an attribute use every 48-236 bytes over the corpus, 10th to
        // 90th percentile, median 90): a large module's list grows at most once or twice, not a dozen times.
        let size = body.first().zip(body.last()).map_or(0, |(f, l)| (l.end() - f.start()).to_usize());
        let uses = Vec::with_capacity(size / 96);
        let mut walk = Walk { stmt: None, targets: Vec::new(), uses, calls: Vec::with_capacity(size / 512) };
        walk.visit_body(body);
        AttributeIndex { uses: walk.uses, calls: walk.calls, by_name: OnceLock::new() }
    }

    /// Every attribute use of the module, in visiting order.
    pub fn all(&self) -> &[AttributeUse<'a>] {
        &self.uses
    }

    /// The uses of attributes called `name`, in visiting order.
    pub fn uses<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s AttributeUse<'a>> + 's {
        let order = self.by_name.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.uses.len() as u32).collect();
            order.sort_by_key(|&i| self.uses[i as usize].name());
            order
        });
        let start = order.partition_point(|&i| self.uses[i as usize].name() < name);
        order[start..].iter().map(|&i| &self.uses[i as usize]).take_while(move |u| u.name() == name)
    }

    /// Every call of the module with its innermost statement, in visiting order (a call before the calls in it).
    pub fn calls(&self) -> &[(&'a ast::ExprCall, &'a Stmt)] {
        &self.calls
    }
}

struct Walk<'a> {
    stmt: Option<&'a Stmt>,
    /// The current statement's assignment targets with what each one is given (`a, b = x, y` pairs up).
    targets: Vec<(&'a Expr, Option<&'a Expr>)>,
    uses: Vec<AttributeUse<'a>>,
    calls: Vec<(&'a ast::ExprCall, &'a Stmt)>,
}

impl<'a> Walk<'a> {
    fn record(&mut self, expr: &'a Expr, kind: AttributeUseKind<'a>) {
        if let Some(stmt) = self.stmt {
            self.uses.push(AttributeUse { expr, kind, stmt });
        }
    }

    /// `target = value`, through tuples that pair up element by element.
    fn target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Attribute(_) | Expr::Subscript(_) => self.targets.push((target, value)),
            Expr::Tuple(t) => {
                let values = match value {
                    Some(Expr::Tuple(v))
                        if v.elts.len() == t.elts.len() && !v.elts.iter().any(Expr::is_starred_expr) =>
                    {
                        Some(&v.elts)
                    }
                    _ => None,
                };
                for (i, e) in t.elts.iter().enumerate() {
                    self.target(e, values.map(|v| &v[i]));
                }
            }
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e, None)),
            Expr::Starred(s) => self.target(&s.value, None),
            _ => {}
        }
    }

    /// What the current statement stores in `target` (an attribute or subscript in a store context).
    fn stored_value(&self, target: &Expr) -> Option<&'a Expr> {
        self.targets.iter().find(|(t, _)| std::ptr::eq(*t, target)).and_then(|(_, v)| *v)
    }

    /// `expr` is `x.name` whose use its parent decides (`kind`); walk on below it.
    fn attribute_as(&mut self, expr: &'a Expr, kind: AttributeUseKind<'a>) {
        let Expr::Attribute(a) = expr else { return self.visit_expr(expr) };
        self.record(expr, kind);
        self.visit_expr(&a.value);
    }

    fn is_aug_target(&self, expr: &Expr) -> bool {
        matches!(self.stmt, Some(Stmt::AugAssign(s)) if std::ptr::eq(s.target.as_ref(), expr))
    }
}

impl<'a> Visitor<'a> for Walk<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let saved = self.stmt.replace(stmt);
        // Only an assignment's own targets ask for `targets`, and an assignment holds no statement.
        self.targets.clear();
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| self.target(t, Some(&a.value))),
            Stmt::AnnAssign(a) => self.target(&a.target, a.value.as_deref()),
            Stmt::Return(ast::StmtReturn { value: Some(v), .. }) if v.is_attribute_expr() => {
                self.attribute_as(v, AttributeUseKind::Returned);
                self.stmt = saved;
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
        self.stmt = saved;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(a) => {
                let kind = match a.ctx {
                    ExprContext::Store if self.is_aug_target(expr) => AttributeUseKind::AugStore,
                    ExprContext::Store => match self.stmt {
                        // `x.name: T` without a value only evaluates `x`.
                        Some(Stmt::AnnAssign(s)) if s.value.is_none() => AttributeUseKind::Load,
                        _ => AttributeUseKind::Store { value: self.stored_value(expr) },
                    },
                    ExprContext::Del => AttributeUseKind::Delete,
                    _ => AttributeUseKind::Load,
                };
                self.record(expr, kind);
                self.visit_expr(&a.value);
            }
            Expr::Call(call) => {
                if let Some(stmt) = self.stmt {
                    self.calls.push((call, stmt));
                }
                match call.func.as_ref() {
                    Expr::Attribute(f) => {
                        self.record(call.func.as_ref(), AttributeUseKind::Called(call));
                        let method = AttributeUseKind::MethodCall { method: f.attr.as_str(), call };
                        self.attribute_as(&f.value, method);
                    }
                    func => self.visit_expr(func),
                }
                for arg in &call.arguments.args {
                    self.attribute_as(arg, AttributeUseKind::Argument(call));
                }
                for k in &call.arguments.keywords {
                    match k.arg {
                        Some(_) => self.attribute_as(&k.value, AttributeUseKind::Argument(call)),
                        None => self.visit_expr(&k.value), // `f(**x.name)`: its items are passed
                    }
                }
            }
            Expr::Subscript(s) if s.value.is_attribute_expr() => {
                let kind = match s.ctx {
                    ExprContext::Store => match self.stmt {
                        Some(Stmt::AnnAssign(a)) if a.value.is_none() => AttributeUseKind::Load,
                        _ => AttributeUseKind::SubscriptStore { subscript: expr, value: self.stored_value(expr) },
                    },
                    ExprContext::Del => AttributeUseKind::SubscriptDelete,
                    _ => AttributeUseKind::Load,
                };
                self.attribute_as(&s.value, kind);
                self.visit_expr(&s.slice);
            }
            Expr::Yield(ast::ExprYield { value: Some(v), .. }) => self.attribute_as(v, AttributeUseKind::Yielded),
            _ => visitor::walk_expr(self, expr),
        }
    }
}
