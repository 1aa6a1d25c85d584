//! The project a file belongs to, as far as other files of it can show what they do with a name: the first, coarse
//! project-wide fact. A codemod that is about to rewrite a module-level name (a memo dict) asks whether another file
//! of the project names both the module and that name (`platform._platform_cache.clear()` in a test,
//! `trans_real._translations = {}` in an autoreloader, `mock.patch("pkg.mod._cache")`): such a file may read, clear or
//! rebind it, so the rewrite is not one pyfix can stand behind.
//!
//! The project is the tree under the nearest directory, from the file's own upward, that holds a project marker
//! (`pyproject.toml`, `setup.py`, `setup.cfg`, `pyfix.toml`, `.pyfix.toml`, `.git`); without one, the directory imports
//! resolve from (the first directory upward without an `__init__.py`). Its files are read once, on the first question
//! about that project (never when nothing asks), sequentially and without the thread pool: a rayon worker blocked in
//! a nested `par_iter` could pick up another file's job and ask again from inside the initialisation. Each file is
//! kept as the sorted hashes of the identifiers it contains (strings and comments included, so a dotted path in a
//! string counts): conservative, a word that appears is a word that may be used.
//!
//! Results that consulted the project depend on other files: `ProjectView::consulted` tells the driver not to keep
//! them in the per-file cache.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A project larger than this many Python files is not read: questions about it are answered "unknown".
pub const MAX_FILES: usize = 50_000;

const MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg", "pyfix.toml", ".pyfix.toml", ".git"];

/// Every project met in one run, each read at most once and shared by the threads.
pub struct Projects {
    /// Project root -> its words, read on the first question.
    by_root: Mutex<HashMap<PathBuf, Arc<OnceLock<Option<Words>>>>>,
    /// Directory names never read (virtualenvs, vendored code): the driver's discovery decides.
    skip_dir: fn(&std::ffi::OsStr) -> bool,
}

impl Projects {
    pub fn new(skip_dir: fn(&std::ffi::OsStr) -> bool) -> Projects {
        Projects { by_root: Mutex::default(), skip_dir }
    }

    /// What `path` (a Python file of the run) may ask about its project. Costs nothing until it asks.
    pub fn view<'p>(&'p self, path: &Path) -> ProjectView<'p> {
        ProjectView {
            projects: Some(self),
            path: path.to_path_buf(),
            words: OnceCell::new(),
            consulted: Cell::new(false),
        }
    }

    fn words(&self, root: PathBuf) -> Arc<OnceLock<Option<Words>>> {
        let mut roots = self.by_root.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(roots.entry(root).or_default())
    }
}

/// One file's window on its project.
pub struct ProjectView<'p> {
    /// `None`: a text checked on its own.
    projects: Option<&'p Projects>,
    /// The file itself, left out of every answer.
    path: PathBuf,
    /// The project's words and the file's absolute path, found on the first question.
    words: OnceCell<(Arc<OnceLock<Option<Words>>>, PathBuf)>,
    consulted: Cell<bool>,
}

/// What another file of the project says, as far as words show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elsewhere {
    /// No other file names them.
    No,
    /// This file (the first in path order) names them all.
    Yes(PathBuf),
    /// The project could not be read (more than `MAX_FILES` files): nobody knows.
    Unknown,
}

impl ProjectView<'static> {
    /// A text checked on its own (a fixture, a fuzz input): no other file exists, so none names anything.
    pub fn alone() -> ProjectView<'static> {
        ProjectView { projects: None, path: PathBuf::new(), words: OnceCell::new(), consulted: Cell::new(false) }
    }
}

impl ProjectView<'_> {
    /// The last part of this file's module name, as other modules import it: `platform` for `platform.py`, `pkg`
    /// for `pkg/__init__.py`. `None` for a text checked on its own.
    pub fn module(&self) -> Option<String> {
        self.projects?;
        module_name(&self.path)
    }

    /// The first other Python file of the project whose text contains every one of `words` as an identifier.
    pub fn other_file_naming(&self, words: &[&str]) -> Elsewhere {
        self.consulted.set(true);
        let Some(projects) = self.projects else { return Elsewhere::No };
        let (index, me) = self.words.get_or_init(|| {
            let me = std::path::absolute(&self.path).unwrap_or_else(|_| self.path.clone());
            (projects.words(project_root(&me)), me)
        });
        let Some(index) = index.get_or_init(|| Words::read(&project_root(me), projects.skip_dir)) else {
            return Elsewhere::Unknown;
        };
        let wanted: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        index
            .files
            .iter()
            .filter(|(p, _)| p != me)
            .find(|(_, hashes)| wanted.iter().all(|h| hashes.binary_search(h).is_ok()))
            .map_or(Elsewhere::No, |(p, _)| Elsewhere::Yes(p.clone()))
    }

    /// True when a question was asked: the file's result depends on other files.
    pub fn consulted(&self) -> bool {
        self.consulted.get()
    }
}

/// Each Python file of a project (absolute path, in path order) with the sorted hashes of its identifiers.
struct Words {
    files: Vec<(PathBuf, Vec<u64>)>,
}

impl Words {
    /// `None` when the project has more than `MAX_FILES` Python files.
    fn read(root: &Path, skip_dir: fn(&std::ffi::OsStr) -> bool) -> Option<Words> {
        let mut paths = Vec::new();
        let walk = ignore::WalkBuilder::new(root)
            .hidden(true)
            .follow_links(false)
            .filter_entry(move |e| !e.file_type().is_some_and(|t| t.is_dir()) || !skip_dir(e.file_name()))
            .build();
        for entry in walk.flatten() {
            let p = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file()) && p.extension().is_some_and(|e| e == "py" || e == "pyi")
            {
                paths.push(p.to_path_buf());
                if paths.len() > MAX_FILES {
                    return None;
                }
            }
        }
        paths.sort();
        let files = paths
            .into_iter()
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                Some((p, identifier_hashes(&bytes)))
            })
            .collect();
        Some(Words { files })
    }
}

/// The sorted, de-duplicated hashes of every identifier-like run of bytes (`[A-Za-z_][A-Za-z0-9_]*`, non-ASCII bytes
/// counted as letters) in `text`.
fn identifier_hashes(text: &[u8]) -> Vec<u64> {
    let is_start = |b: u8| b == b'_' || b.is_ascii_alphabetic() || b >= 0x80;
    let mut hashes = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if is_start(text[i]) && (i == 0 || !text[i - 1].is_ascii_digit()) {
            let start = i;
            while i < text.len() && (is_start(text[i]) || text[i].is_ascii_digit()) {
                i += 1;
            }
            hashes.push(word_hash(&text[start..i]));
        } else {
            i += 1;
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

fn word_hash(word: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    word.hash(&mut h);
    h.finish()
}

/// The nearest directory at or above `file`'s that holds a project marker; without one, the first directory upward
/// without an `__init__.py` (where imports of the file's package resolve from).
pub fn project_root(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("/"));
    if let Some(marked) = dir.ancestors().find(|d| MARKERS.iter().any(|m| d.join(m).exists())) {
        return marked.to_path_buf();
    }
    dir.ancestors().find(|d| !d.join("__init__.py").exists()).unwrap_or(dir).to_path_buf()
}

/// `platform` for `…/platform.py`, `pkg` for `…/pkg/__init__.py`.
fn module_name(file: &Path) -> Option<String> {
    let stem = file.file_stem()?.to_str()?;
    if stem == "__init__" {
        return file.parent()?.file_name()?.to_str().map(str::to_string);
    }
    Some(stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn identifiers_are_whole_words() {
        let h = identifier_hashes(b"platform._platform_cache.clear() # x1 1e5 \"pkg.mod\"");
        for w in ["platform", "_platform_cache", "clear", "x1", "pkg", "mod"] {
            assert!(h.binary_search(&word_hash(w.as_bytes())).is_ok(), "{w}");
        }
        for w in ["_platform", "cache", "e5", "latform"] {
            assert!(h.binary_search(&word_hash(w.as_bytes())).is_err(), "{w}");
        }
    }

    #[test]
    fn another_file_naming_module_and_name_is_found_and_the_file_itself_is_not() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "pyproject.toml", "");
        write(d.path(), "pkg/__init__.py", "");
        write(d.path(), "pkg/platform.py", "_cache = {}\n");
        write(d.path(), "tests/test_platform.py", "from pkg import platform\nplatform._cache.clear()\n");
        write(d.path(), "tests/test_other.py", "_cache = 1\n");
        let projects = Projects::new(|_| false);
        let view = projects.view(&d.path().join("pkg/platform.py"));
        assert_eq!(view.module().as_deref(), Some("platform"));
        assert!(!view.consulted());
        let found = view.other_file_naming(&["platform", "_cache"]);
        assert_eq!(found, Elsewhere::Yes(std::path::absolute(d.path().join("tests/test_platform.py")).unwrap()));
        assert!(view.consulted());
        assert_eq!(view.other_file_naming(&["platform", "_other"]), Elsewhere::No);
    }

    #[test]
    fn the_root_is_the_nearest_marker_else_the_import_root() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a/setup.cfg", "");
        write(d.path(), "a/b/c.py", "");
        assert_eq!(project_root(&d.path().join("a/b/c.py")), d.path().join("a"));
        let e = tempfile::tempdir().unwrap();
        write(e.path(), "lib/pkg/__init__.py", "");
        write(e.path(), "lib/pkg/sub/__init__.py", "");
        write(e.path(), "lib/pkg/sub/m.py", "");
        // No marker anywhere above a temporary directory is assumed; where one exists the test still holds for it.
        let root = project_root(&e.path().join("lib/pkg/sub/m.py"));
        assert!(root == e.path().join("lib") || e.path().starts_with(&root), "{}", root.display());
        assert_eq!(module_name(&e.path().join("lib/pkg/__init__.py")).as_deref(), Some("pkg"));
    }
}
