//! Whether a type annotation admits `None`: the question `mutable-default` asks before a default becomes `None`
//! and `strong-backref` asks before a weak attribute's type becomes its property's return type.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::codemods::Context;
use crate::semantic::Semantic;

/// `Optional[X]`, `X | None`, `Union[X, None]`, `Any`, `object`, a string annotation that mentions `None`...
pub fn admits_none(cx: &Context, ann: &Expr) -> bool {
    match ann {
        Expr::NoneLiteral(_) => true,
        Expr::Name(_) | Expr::Attribute(_) => matches!(last_segment(ann), Some("Any" | "object")),
        Expr::Subscript(s) => match last_segment(&s.value) {
            Some("Optional") => true,
            Some("Union") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.iter().any(|e| admits_none(cx, e)),
                other => admits_none(cx, other),
            },
            Some("Annotated") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.first().is_some_and(|e| admits_none(cx, e)),
                other => admits_none(cx, other),
            },
            _ => false,
        },
        Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => admits_none(cx, &b.left) || admits_none(cx, &b.right),
        Expr::StringLiteral(_) => {
            let text = cx.source.slice(ann.range());
            ["None", "Optional", "Any", "object"].iter().any(|w| text.contains(w))
        }
        _ => false,
    }
}

/// `Optional[T]`, `T | None`, `Union[T, None]`, `None`.
pub fn is_optional(sem: &Semantic, ann: &Expr) -> bool {
    match ann {
        Expr::NoneLiteral(_) => true,
        Expr::BinOp(b) if b.op == ast::Operator::BitOr => is_optional(sem, &b.left) || is_optional(sem, &b.right),
        Expr::Subscript(s) => match sem.resolve_qualified_name(&s.value).as_deref() {
            Some("typing.Optional" | "typing_extensions.Optional") => true,
            Some("typing.Union" | "typing_extensions.Union") => match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.iter().any(|e| is_optional(sem, e)),
                _ => false,
            },
            _ => false,
        },
        Expr::StringLiteral(s) => {
            let t = s.value.to_str();
            t.contains("None") || t.starts_with("Optional[")
        }
        _ => false,
    }
}

/// The last name of a dotted name: `typing.Optional` -> `Optional`.
fn last_segment(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}
