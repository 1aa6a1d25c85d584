//! Edits more than one codemod builds: imports with their insertion point. A codemod asks here rather than
//! writing its own; nothing here decides whether a fix is wanted.

mod annotations;
mod imports;

pub use annotations::{optional_import, writes_pep604};
pub use imports::ensure_import;
