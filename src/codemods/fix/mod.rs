//! Edits more than one codemod builds: imports with their insertion point, optional annotations, deleting statements and list items
//! with their comments. A codemod asks here rather than writing its own; nothing here decides whether a fix is wanted.

mod annotations;
mod delete;
mod imports;

pub use annotations::{optional_import, writes_pep604};
pub use delete::{delete_list_item, delete_stmts, delete_stmts_keeping_comments_at, kept_comments};
pub use imports::ensure_import;
