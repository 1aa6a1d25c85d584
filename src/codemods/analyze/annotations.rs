//! Whether a type annotation admits `None` (what a type checker accepts for a `None` value), and whether this
//! module's annotations are evaluated at all. Asked before a default or a weak attribute's type becomes optional.

use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};

use crate::semantic::{is_builtin, BindingKind, Semantic};

/// `None`, `Optional[X]`, `Union[..., None, ...]`, `X | None`, `Any`, `object`, `Literal[None]`, and
/// `Annotated[T, ...]` when `T` does. Names resolve through imports (`typing`, `typing_extensions`, `builtins`);
/// a name the module neither imports nor defines is judged by its last segment. A string annotation is parsed and
/// judged the same way; one that does not parse admits nothing, so the caller adds `Optional` (at worst redundant).
pub fn admits_none(sem: &Semantic, ann: &Expr) -> bool {
    Annotation { sem, in_string: false }.admits_none(ann)
}

/// `from __future__ import annotations`: annotations are never evaluated, so any spelling works on any version.
pub fn lazy_annotations(module: &ModModule) -> bool {
    module.body.iter().any(|s| {
        matches!(s, Stmt::ImportFrom(i) if i.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
            && i.names.iter().any(|n| n.name.as_str() == "annotations"))
    })
}

/// What a name in an annotation refers to.
enum Resolved {
    /// Imported, or a builtin: `typing.Optional`, `builtins.object`.
    Qualified(String),
    /// A class, function or parameter of this module: not a typing form.
    Own,
    /// Not bound in the module (a star import, a name bound in a way pyfix does not follow).
    Unknown,
}

struct Annotation<'s, 'a> {
    sem: &'s Semantic<'a>,
    /// Parsed from a string annotation: its names have no references in the model and are looked up by name, at
    /// module level.
    in_string: bool,
}

impl Annotation<'_, '_> {
    fn admits_none(&self, ann: &Expr) -> bool {
        match ann {
            Expr::NoneLiteral(_) => true,
            Expr::Name(_) | Expr::Attribute(_) => matches!(self.typing_form(ann).as_deref(), Some("Any" | "object")),
            Expr::Subscript(s) => {
                let args = match s.slice.as_ref() {
                    Expr::Tuple(t) => &t.elts[..],
                    one => std::slice::from_ref(one),
                };
                match self.typing_form(&s.value).as_deref() {
                    Some("Optional") => true,
                    Some("Union") => args.iter().any(|e| self.admits_none(e)),
                    Some("Annotated") => args.first().is_some_and(|e| self.admits_none(e)),
                    Some("Literal") => args.iter().any(Expr::is_none_literal_expr),
                    _ => false,
                }
            }
            Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
                self.admits_none(&b.left) || self.admits_none(&b.right)
            }
            Expr::StringLiteral(s) => match ruff_python_parser::parse_expression(s.value.to_str()) {
                Ok(parsed) => Annotation { sem: self.sem, in_string: true }.admits_none(parsed.expr()),
                Err(_) => false,
            },
            _ => false,
        }
    }

    /// The typing form a name spells (`Optional`, `Union`, `Annotated`, `Literal`, `Any`, `object`), resolved
    /// through imports; by its last segment when the module does not say what the name is.
    fn typing_form(&self, e: &Expr) -> Option<String> {
        match self.resolve(e) {
            Resolved::Qualified(q) => {
                let member = q.strip_prefix("typing.").or_else(|| q.strip_prefix("typing_extensions."));
                match member {
                    Some(m) => Some(m.to_string()),
                    None => (q == "builtins.object").then(|| "object".to_string()),
                }
            }
            Resolved::Own => None,
            Resolved::Unknown => match e {
                Expr::Name(n) => Some(n.id.to_string()),
                Expr::Attribute(a) => Some(a.attr.to_string()),
                _ => None,
            },
        }
    }

    fn resolve(&self, e: &Expr) -> Resolved {
        let sem = self.sem;
        match e {
            Expr::Name(n) => {
                let binding = if self.in_string { sem.lookup(n.id.as_str(), Semantic::MODULE) } else { sem.resolve(n) };
                match binding.map(|b| &sem.binding(b).kind) {
                    Some(BindingKind::Import(q) | BindingKind::FromImport(q)) => Resolved::Qualified(q.clone()),
                    Some(BindingKind::ClassDef | BindingKind::FunctionDef | BindingKind::Parameter) => Resolved::Own,
                    // `Opt = typing.Optional`, a loop variable...: what it holds is not followed.
                    Some(_) => Resolved::Unknown,
                    None if is_builtin(n.id.as_str()) && !sem.scope(Semantic::MODULE).star_import => {
                        Resolved::Qualified(format!("builtins.{}", n.id))
                    }
                    None => Resolved::Unknown,
                }
            }
            Expr::Attribute(a) => match self.resolve(&a.value) {
                Resolved::Qualified(q) => Resolved::Qualified(format!("{q}.{}", a.attr)),
                other => other,
            },
            _ => Resolved::Unknown,
        }
    }
}
