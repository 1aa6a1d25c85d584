//! Parameter annotations that must admit `None` once the default is `None`: the `X | None` or `Optional[X]` edit
//! (with its import) when one does not. Whether it does is `analyze::annotations`'.

use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextSize};

use crate::codemods::analyze::annotations::admits_none;
use crate::codemods::fix::{optional_import, writes_pep604};
use crate::codemods::Context;
use crate::edit::Edit;

/// Edits that make `ann` admit `None` (none when it already does): `X | None` where the target or
/// `from __future__ import annotations` allows it, else `Optional[X]` with the import added.
pub(super) fn optional(cx: &Context, ann: &Expr) -> Result<Vec<Edit>, String> {
    if admits_none(cx.semantic, ann) {
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
    let pep604 = writes_pep604(cx);
    let binds_tightly =
        matches!(ann, Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::BinOp(_) | Expr::Call(_));
    if pep604 && binds_tightly && !matches!(ann, Expr::StringLiteral(_)) {
        return Ok(vec![Edit::insert(ann.end(), " | None")]);
    }
    let Some((import, optional)) = optional_import(cx) else {
        return Err("`typing.Optional` cannot be imported here, so the annotation still excludes `None`".into());
    };
    let mut edits = vec![Edit::insert(ann.start(), format!("{optional}[")), Edit::insert(ann.end(), "]")];
    edits.extend(import);
    Ok(edits)
}
