//! Whether the values a memo stores can be `None`, for the `v = C.get(k)`; `if v is None` miss test.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::TextRange;

use super::memo_dict::Memo;
use super::vocabulary::NEVER_NONE_BUILTINS;
use crate::codemods::Context;
use crate::semantic::BindingKind;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Nullness {
    Never,
    Can,
    Unknown,
}

/// Whether a stored value can be `None`. A name is followed to its other assignments in the function (not the
/// `v = C.get(k)` lookup at `lookup_target`).
pub(super) fn none_ness(cx: &Context, memo: &Memo, stored: &[&Expr], lookup_target: TextRange) -> Nullness {
    let mut result = Nullness::Never;
    let mut merge = |n: Nullness| {
        result = match (result, n) {
            (Nullness::Can, _) | (_, Nullness::Can) => Nullness::Can,
            (Nullness::Unknown, _) | (_, Nullness::Unknown) => Nullness::Unknown,
            _ => Nullness::Never,
        }
    };
    for e in stored {
        match e {
            Expr::Name(n) => {
                let bindings = cx.semantic.scope(memo.scope).bindings_of(n.id.as_str());
                for b in bindings {
                    let b = cx.semantic.binding(*b);
                    if b.range == lookup_target {
                        continue;
                    }
                    let value = match b.stmt.map(|s| cx.semantic.stmt(s)) {
                        Some(Stmt::Assign(a)) if b.kind == BindingKind::Assignment && a.targets.len() == 1 => {
                            Some(&*a.value)
                        }
                        _ => None,
                    };
                    merge(value.map_or(Nullness::Unknown, |v| expr_nullness(cx, memo, v)));
                }
            }
            other => merge(expr_nullness(cx, memo, other)),
        }
    }
    result
}

fn expr_nullness(cx: &Context, memo: &Memo, e: &Expr) -> Nullness {
    match e {
        Expr::NoneLiteral(_) => Nullness::Can,
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::FString(_)
        | Expr::List(_)
        | Expr::Tuple(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::SetComp(_)
        | Expr::DictComp(_)
        | Expr::Generator(_)
        | Expr::Compare(_)
        | Expr::BinOp(_)
        | Expr::UnaryOp(_)
        | Expr::Lambda(_) => Nullness::Never,
        Expr::BoolOp(b) => {
            let all: Vec<Nullness> = b.values.iter().map(|v| expr_nullness(cx, memo, v)).collect();
            if all.contains(&Nullness::Can) {
                Nullness::Can
            } else if all.iter().all(|n| *n == Nullness::Never) {
                Nullness::Never
            } else {
                Nullness::Unknown
            }
        }
        Expr::If(i) => match (expr_nullness(cx, memo, &i.body), expr_nullness(cx, memo, &i.orelse)) {
            (Nullness::Can, _) | (_, Nullness::Can) => Nullness::Can,
            (Nullness::Never, Nullness::Never) => Nullness::Never,
            _ => Nullness::Unknown,
        },
        Expr::Call(call) => match call.func.as_ref() {
            // A recursive call returns what the function returns.
            Expr::Name(n) if n.id.as_str() == memo.func.name.as_str() => Nullness::Never,
            Expr::Name(n) => match cx.semantic.resolve(n).map(|b| &cx.semantic.binding(b).kind) {
                None if NEVER_NONE_BUILTINS.contains(&n.id.as_str()) => Nullness::Never,
                // A class defined here: its instance.
                Some(BindingKind::ClassDef) => Nullness::Never,
                _ => Nullness::Unknown,
            },
            _ => Nullness::Unknown,
        },
        _ => Nullness::Unknown,
    }
}
