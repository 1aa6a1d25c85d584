//! What Python does, asked by more than one codemod: predicates and tables only, never an `Edit`.
//! The tier rules are in `codemods/mod.rs`.

pub mod annotations;
pub mod attributes;
pub mod calls;
pub mod classes;
pub mod effects;
pub mod owners;
pub mod params;
pub mod project;
