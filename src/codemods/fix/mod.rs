//! Edits more than one codemod builds: imports with their insertion point. A codemod asks here rather than
//! writing its own; nothing here decides whether a fix is wanted.

mod imports;

pub use imports::ensure_import;
