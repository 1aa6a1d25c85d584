//! The codemods and their registry `ALL`. Codemods only report: they never apply edits, print or read files.
//!
//! Three tiers, one owner for every Python fact:
//! - `analyze/`: what Python does, asked by more than one codemod (None-admitting annotations, what a call does
//!   with its arguments, method effects, attribute uses). Predicates and tables only: it never builds an `Edit`.
//! - `fix/`: edits more than one codemod builds (imports and where they go, optional annotations, deleting
//!   statements with their blank lines and comments). It decides nothing about whether a fix is wanted.
//! - one folder per codemod: its `mod.rs` is the codemod's decision tree; its own tables, planning and rewriting
//!   beside it. A codemod folder never imports another codemod folder: a fact two codemods need moves to
//!   `analyze/`, an edit two codemods build moves to `fix/`.
//!
//! `crate::codemod` (the `Codemod` trait, `Finding`, `Context`) knows no codemod. No import circles, within a folder
//! either: what a folder's files share lives in a file they import, never in its `mod.rs`. `tests/layers.rs`
//! checks these rules on the `use` lines.

pub mod analyze;
pub mod fix;

pub mod bare_open;
pub mod mutable_default;
pub mod strong_backref;
pub mod unbounded_cache;

pub use crate::codemod::{is_constant_literal, Closing, Codemod, CodemodSettings, Context, Finding, ResourceFactory};

/// Every codemod, in the order `--list` shows them.
pub const ALL: &[&dyn Codemod] = &[
    &bare_open::BareOpen,
    &mutable_default::MutableDefault,
    &unbounded_cache::UnboundedCache,
    &strong_backref::StrongBackref,
];

pub fn by_name(name: &str) -> Option<&'static dyn Codemod> {
    ALL.iter().copied().find(|c| c.name() == name)
}
