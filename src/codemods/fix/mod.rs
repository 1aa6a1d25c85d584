//! Edits more than one codemod builds: imports with their insertion point, deleting statements and list items
//! with their comments. A codemod asks here rather than writing its own; nothing here decides whether a fix is wanted.

mod delete;
mod imports;

pub use delete::{delete_list_item, delete_stmts, delete_stmts_keeping_comments_at, kept_comments};
pub use imports::ensure_import;
