//! Runtime evidence (`--evidence`): what a run of the program recorded, joined to pyfix's findings to confirm and
//! rank them. The codemods never see it: it is matched after analysis, on the findings (`Report`s: path, lines,
//! codemod, message), so a finding is the same with or without evidence; only its verdict and its place in the
//! list change.
//!
//! How matching works (paths compared after canonicalising the finding's path, as the recorder `realpath`s its own;
//! "the finding's lines" are its first to last line):
//! - bare-open: a `ResourceWarning` whose allocating frame, or any frame of its traceback, is on the finding's lines
//!   confirms it ("3 handles left to the garbage collector").
//! - strong-backref: cycle garbage of a class the finding names (the class holding the back reference or its
//!   owner) defined in the finding's file confirms it ("3,100 `Node` objects freed only by the cycle collector").
//! - unbounded-cache and mutable-default: the measured object (`targets`) of the same codemod on the finding's lines;
//!   a cache is confirmed when it holds more entries than the `maxsize` its fix would give it (`cache-maxsize`), a
//!   default when it holds anything. Within the bound, or empty: ran without leaking.
//! - A bare-open finding on an object that never warns (`mmap`, executors, ...: `judge::silent_kind`) in a file that
//!   ran: ran, cannot tell (its silence proves nothing).
//! - Otherwise a finding in a file the program imported (`modules`) ran without leaking, and one in a file it never
//!   imported was not run. Memory-only evidence (a tracemalloc snapshot, memray's statistics) lists no modules: a
//!   file ran when memory was allocated in it, and memory that grew by more than 1 KB on a finding's lines (a
//!   cache's: also those its fix rewrites) confirms it.
//! - Memory that grew by more than 1 KB on lines no finding covers (its own lines; a cache's, also those its fix
//!   rewrites, where its entries are allocated), and warnings and cycle garbage no finding matched, in the files
//!   checked, are listed after the findings as growth no codemod covers (the top 10 by bytes).
//!
//! Several evidence files (and the processes of one run) merge before matching (`data::Evidence::merge`).

mod data;
mod judge;
mod load;
mod words;

pub use data::{parse, without_names, Evidence, Site, SCHEMA};
pub use judge::{judge, FileFindings, Status, Uncovered, Verdict, UNCOVERED};
pub use load::load;
pub use words::size;

/// `path` as runtime evidence names files: absolute, symbolic links resolved (as is, when it cannot be).
pub(crate) fn canonical(path: &std::path::Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
