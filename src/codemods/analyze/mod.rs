//! What Python does, asked by more than one codemod: predicates and tables, never an `Edit`.
//! The layer rules are in `src/codemods/mod.rs`.
pub mod attributes;
