//! Parameter annotations that must admit `None` once the default is `None`: whether one already does, and the
//! `X | None` or `Optional[X]` edit (with its import) when it does not.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::PythonVersion;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::uses::last_segment;
use crate::codemods::fix::ensure_import;
use crate::codemods::Context;
use crate::edit::Edit;
use crate::semantic::{BindingKind, Semantic};

/// Edits that make `ann` admit `None` (none when it already does): `X | None` where the target or
/// `from __future__ import annotations` allows it, else `Optional[X]` with the import added.
pub(super) fn optional(cx: &Context, ann: &Expr) -> Result<Vec<Edit>, String> {
    if admits_none(cx, ann) {
        return Ok(Vec::new());
    }
    if let Expr::StringLiteral(s) = ann {
        // "list[int]" -> "list[int] | None": never evaluated at run time unless someone asks, then on 3.10+.
        let text = cx.source.slice(ann.range());
        let quote = text.chars().next().filter(|q| *q == '"' || *q == '\'');
        let simple = !s.value.is_implicit_concatenated()
            && quote.is_some_and(|q| text.ends_with(q) && !text.starts_with(&format!("{q}{q}{q}")));
        if simple {
            return Ok(vec![Edit::insert(ann.end() - TextSize::from(1), " | None")]);
        }
    }
    let pep604 = lazy_annotations(cx) || cx.target >= PythonVersion::PY310 || writes_pep604(cx);
    let binds_tightly =
        matches!(ann, Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::BinOp(_) | Expr::Call(_));
    if pep604 && binds_tightly && !matches!(ann, Expr::StringLiteral(_)) {
        return Ok(vec![Edit::insert(ann.end(), " | None")]);
    }
    let Some((import, optional)) = ensure_import(cx, "typing", Some("Optional")) else {
        return Err("`typing.Optional` cannot be imported here, so the annotation still excludes `None`".into());
    };
    let mut edits = vec![Edit::insert(ann.start(), format!("{optional}[")), Edit::insert(ann.end(), "]")];
    edits.extend(import);
    Ok(edits)
}

/// `Optional[X]`, `X | None`, `Union[X, None]`, `Any`, `object`, a string annotation that mentions `None`...
fn admits_none(cx: &Context, ann: &Expr) -> bool {
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

/// `from __future__ import annotations`: annotations are never evaluated, so `X | None` works on any version.
fn lazy_annotations(cx: &Context) -> bool {
    let sem = cx.semantic;
    sem.scope(Semantic::MODULE)
        .bindings_of("annotations")
        .iter()
        .any(|b| matches!(&sem.binding(*b).kind, BindingKind::FromImport(q) if q == "__future__.annotations"))
}

/// The file already writes `X | None` in an annotation that is evaluated (a parameter, a return, a variable): it
/// runs on 3.10+ whatever the target says, and that is its spelling.
fn writes_pep604(cx: &Context) -> bool {
    fn union_with_none(e: &Expr) -> bool {
        match e {
            Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
                b.left.is_none_literal_expr()
                    || b.right.is_none_literal_expr()
                    || union_with_none(&b.left)
                    || union_with_none(&b.right)
            }
            Expr::Subscript(s) => union_with_none(&s.slice),
            Expr::Tuple(t) => t.elts.iter().any(union_with_none),
            _ => false,
        }
    }
    struct Annotations(bool);
    impl<'a> Visitor<'a> for Annotations {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f) => {
                    let params = f.parameters.iter().filter_map(|p| p.annotation());
                    self.0 |= params.chain(f.returns.as_deref()).any(union_with_none);
                }
                Stmt::AnnAssign(a) => self.0 |= union_with_none(&a.annotation),
                _ => {}
            }
            if !self.0 {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut v = Annotations(false);
    v.visit_body(&cx.module.body);
    v.0
}
