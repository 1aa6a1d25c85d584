//! Annotation edits more than one codemod builds: whether this file may write `X | None`, and the `Optional` import
//! when it may not. Whether an annotation needs the edit at all is `analyze::annotations`'.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::PythonVersion;
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::imports::ensure_import;
use crate::codemods::analyze::annotations::lazy_annotations;
use crate::codemods::Context;
use crate::edit::Edit;

/// The file may write `X | None` in an evaluated annotation: the target is 3.10+, annotations are never
/// evaluated (`from __future__ import annotations`), or the file already writes it.
pub fn writes_pep604(cx: &Context) -> bool {
    lazy_annotations(cx.module) || cx.target >= PythonVersion::PY310 || already_pep604(cx)
}

/// `typing.Optional` made usable here: the import edit (none when it is there already) and the name to write.
/// `None` when the name is taken by something else.
pub fn optional_import(cx: &Context) -> Option<(Option<Edit>, String)> {
    ensure_import(cx, "typing", Some("Optional"))
}

/// The file already writes `X | None` in an annotation that is evaluated (a parameter, a return, a variable): it
/// runs on 3.10+ whatever the target says, and that is its spelling.
fn already_pep604(cx: &Context) -> bool {
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
