//! The project a file belongs to, as far as other files of it can show what they do with a name: the first
//! project-wide fact. A codemod that is about to rewrite a module-level name (a memo dict) asks whether another file
//! of the project uses it (`platform._platform_cache.clear()` in a test, `trans_real._translations = {}` in an
//! autoreloader, `mock.patch("pkg.mod._cache")`): such a file may read, clear or rebind it, so the rewrite is not one
//! pyfix can stand behind. This file reads: which files contain the words at all (the module's name and the name),
//! their text and dotted module names; `codemods::analyze::project` resolves the uses in those few files.
//!
//! The project is the tree under the nearest directory, from the file's own upward, that holds a project marker
//! (`pyproject.toml`, `setup.py`, `setup.cfg`, `pyfix.toml`, `.pyfix.toml`, `.git`); without one, the directory imports
//! resolve from (the first directory upward without an `__init__.py`). Its files are read once, on the first question
//! about that project (never when nothing asks), by `ignore`'s walker threads and scoped threads of its own, never
//! rayon's pool: a rayon worker blocked in a nested `par_iter` could pick up another file's job and ask again from
//! inside the initialisation. Each file is
//! kept as the sorted hashes of the identifiers it contains (strings and comments included, so a dotted path in a
//! string counts): the cheap filter before any file is parsed.
//!
//! The words of a file depend on its bytes alone: with the per-file cache on, they are kept there (a `WordStore`),
//! keyed by a hash of the bytes, so a run over an unchanged project reads its files but hashes no identifier again.
//!
//! Results that consulted the project depend on other files: `ProjectView::consulted` tells the driver so, and
//! `ProjectView::dependencies` lists what they depended on (each question and its answer, each file read and a hash
//! of its bytes, the file's own module name). The driver keeps such a result in the per-file cache with that list,
//! and a later run uses it only where `ProjectView::still_holds` finds every answer the same.

use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A project larger than this many Python files is not read: questions about it are answered "unknown".
pub const MAX_FILES: usize = 50_000;

const MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg", "pyfix.toml", ".pyfix.toml", ".git"];

/// Where the words of a file are kept between runs: the per-file cache, keyed by `content_key` of the file's bytes.
pub trait WordStore: Sync {
    /// The sorted word hashes kept for bytes of this key.
    fn words(&self, key: u128) -> Option<Vec<u64>>;
    /// Keeps the words computed for bytes of this key.
    fn keep_words(&self, key: u128, words: &[u64]);
}

/// How many files had their words computed, and how many were answered by the `WordStore`, in this process: shown
/// on stderr at the end of a run when `PYFIX_TEST_SUMMARIES` is set (the tests' evidence that an unchanged file is
/// not summarised again).
pub static SUMMARISED: AtomicUsize = AtomicUsize::new(0);
pub static REUSED: AtomicUsize = AtomicUsize::new(0);

/// Every project met in one run, each read at most once and shared by the threads.
pub struct Projects<'s> {
    /// Project root -> its words, read on the first question.
    by_root: Mutex<HashMap<PathBuf, Arc<OnceLock<Option<Words>>>>>,
    /// Directory -> its project root: the markers are looked for once per directory, not once per file.
    roots: Mutex<HashMap<PathBuf, PathBuf>>,
    /// Directory names never read (virtualenvs, vendored code): the driver's discovery decides.
    skip_dir: fn(&std::ffi::OsStr) -> bool,
    /// Words kept from earlier runs (the per-file cache), if any.
    store: Option<&'s dyn WordStore>,
}

impl<'s> Projects<'s> {
    pub fn new(skip_dir: fn(&std::ffi::OsStr) -> bool) -> Projects<'s> {
        Projects { by_root: Mutex::default(), roots: Mutex::default(), skip_dir, store: None }
    }

    /// `new`, the words of files whose bytes were seen before taken from `store` (and new ones kept there).
    pub fn with_store(skip_dir: fn(&std::ffi::OsStr) -> bool, store: Option<&'s dyn WordStore>) -> Projects<'s> {
        Projects { store, ..Projects::new(skip_dir) }
    }

    /// What `path` (a Python file of the run) may ask about its project. Costs nothing until it asks.
    pub fn view<'p>(&'p self, path: &Path) -> ProjectView<'p> {
        ProjectView {
            projects: Some(self),
            path: path.to_path_buf(),
            located: OnceCell::new(),
            words: OnceCell::new(),
            consulted: Cell::new(false),
            log: RefCell::default(),
            memo: RefCell::default(),
        }
    }

    /// `project_root` of a file in `dir`, remembered per directory.
    fn root_of(&self, file: &Path) -> PathBuf {
        let dir = file.parent().unwrap_or(Path::new("/"));
        if let Some(root) = self.roots.lock().unwrap_or_else(|e| e.into_inner()).get(dir) {
            return root.clone();
        }
        let root = project_root(file);
        self.roots.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf(), root.clone());
        root
    }

    fn words(&self, root: PathBuf) -> Arc<OnceLock<Option<Words>>> {
        let mut roots = self.by_root.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(roots.entry(root).or_default())
    }
}

/// One file's window on its project.
pub struct ProjectView<'p> {
    /// `None`: a text checked on its own.
    projects: Option<&'p Projects<'p>>,
    /// The file itself, left out of every answer.
    path: PathBuf,
    /// The file's absolute path and its project's root, found on the first question.
    located: OnceCell<(PathBuf, PathBuf)>,
    /// The project's words, found on the first question about them.
    words: OnceCell<Arc<OnceLock<Option<Words>>>>,
    consulted: Cell<bool>,
    /// What the answers given so far depended on.
    log: RefCell<Dependencies>,
    /// Answers the analysis layer worked out from other files, by its own key: asked again for the same file, they
    /// are not worked out again (the files they read are in `log` already).
    memo: RefCell<HashMap<String, Rc<dyn Any>>>,
}

/// What a file's result that consulted the project depended on: checked again on a later run before a cached result
/// is used (`ProjectView::still_holds`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// The file's own dotted module name, when it was asked for.
    pub dotted: Option<Option<String>>,
    /// Each `files_naming` question: its words and the files it answered (`None`: the project could not be read).
    pub questions: Vec<(Vec<String>, Option<Vec<PathBuf>>)>,
    /// Each other file read: its path, `content_key` of its bytes (`None`: it could not be read) and its dotted name.
    pub reads: Vec<(PathBuf, Option<u128>, Option<String>)>,
}

/// A file of the project that may use a name of this one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherFile {
    /// Absolute.
    pub path: PathBuf,
    /// As shown to users: relative to the project root.
    pub shown: PathBuf,
}

/// What another file of the project does with a name of this one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elsewhere {
    /// No other file uses it.
    No,
    /// This file uses it: on this line (1-based) when pyfix resolved the use, else it only names it where pyfix cannot
    /// tell (a text it cannot parse).
    Yes(PathBuf, Option<usize>),
    /// The project could not be read (more than `MAX_FILES` files), or the text has no known place: nobody knows.
    Unknown,
}

impl ProjectView<'static> {
    /// A text checked on its own (a fixture, a fuzz input): no other file exists, so none names anything.
    pub fn alone() -> ProjectView<'static> {
        ProjectView {
            projects: None,
            path: PathBuf::new(),
            located: OnceCell::new(),
            words: OnceCell::new(),
            consulted: Cell::new(false),
            log: RefCell::default(),
            memo: RefCell::default(),
        }
    }
}

impl ProjectView<'_> {
    /// The file's path as given; empty for a text checked on its own.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// (absolute path, project root), worked out once.
    fn locate(&self) -> Option<&(PathBuf, PathBuf)> {
        let projects = self.projects?;
        Some(self.located.get_or_init(|| {
            let me = std::path::absolute(&self.path).unwrap_or_else(|_| self.path.clone());
            let root = projects.root_of(&me);
            (me, root)
        }))
    }

    /// The file's path below its project's root (`tests/test_x.py`). `None` for a text checked on its own.
    pub fn relative_path(&self) -> Option<&Path> {
        let (me, root) = self.locate()?;
        Some(me.strip_prefix(root).unwrap_or(me))
    }

    /// The last part of this file's module name, as other modules import it: `platform` for `platform.py`, `pkg`
    /// for `pkg/__init__.py`. `None` for a text checked on its own.
    pub fn module(&self) -> Option<String> {
        self.projects?;
        module_name(&self.path)
    }

    /// This file's dotted module name as the project imports it (`pkg.sub.mod`, `pkg` for `pkg/__init__.py`): its
    /// path below the first directory upward without an `__init__.py`. `None` for a text checked on its own.
    pub fn dotted_name(&self) -> Option<String> {
        self.projects?;
        let dotted = std::path::absolute(&self.path).ok().and_then(|p| dotted_name(&p));
        self.log.borrow_mut().dotted = Some(dotted.clone());
        dotted
    }

    /// The other Python files of the project whose text contains every one of `words` as an identifier, in path
    /// order. `None` when the project could not be read.
    pub fn files_naming(&self, words: &[&str]) -> Option<Vec<OtherFile>> {
        self.consulted.set(true);
        let files = self.naming(words);
        let paths = files.as_ref().map(|f| f.iter().map(|f| f.path.clone()).collect());
        self.log.borrow_mut().questions.push((words.iter().map(|w| w.to_string()).collect(), paths));
        files
    }

    fn naming(&self, words: &[&str]) -> Option<Vec<OtherFile>> {
        let Some(projects) = self.projects else { return Some(Vec::new()) };
        if index_off() {
            return None;
        }
        let (me, root) = self.locate()?;
        let index = self.words.get_or_init(|| projects.words(root.clone()));
        let index = index.get_or_init(|| Words::read(root, projects.skip_dir, projects.store)).as_ref()?;
        let wanted: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        Some(
            index
                .naming(&wanted)
                .into_iter()
                .map(|i| &index.files[i].0)
                .filter(|p| *p != me)
                .map(|p| OtherFile { path: p.clone(), shown: p.strip_prefix(root).unwrap_or(p).to_path_buf() })
                .collect(),
        )
    }

    /// The text of another file of the project (`None`: it cannot be read or decoded as UTF-8) and its dotted module
    /// name.
    pub fn read(&self, file: &OtherFile) -> (Option<String>, Option<String>) {
        // The result now depends on that file, whether or not a question found it.
        self.consulted.set(true);
        if index_off() {
            return (None, None);
        }
        let bytes = std::fs::read(&file.path).ok();
        let dotted = dotted_name(&file.path);
        let key = bytes.as_deref().map(content_key);
        self.log.borrow_mut().reads.push((file.path.clone(), key, dotted.clone()));
        (bytes.and_then(|b| String::from_utf8(b).ok()), dotted)
    }

    /// The answer kept under `key` for this file, else `answer()`, kept.
    pub fn memo<T: Clone + 'static>(&self, key: String, answer: impl FnOnce() -> T) -> T {
        if let Some(kept) = self.memo.borrow().get(&key).and_then(|a| a.downcast_ref::<T>()) {
            return kept.clone();
        }
        let value = answer();
        self.memo.borrow_mut().insert(key, Rc::new(value.clone()));
        value
    }

    /// True when a question was asked: the file's result depends on other files.
    pub fn consulted(&self) -> bool {
        self.consulted.get()
    }

    /// What the answers given so far depended on.
    pub fn dependencies(&self) -> Dependencies {
        self.log.borrow().clone()
    }

    /// Whether every answer in `deps` (a cached result's) would be the same now: the same module name, the same
    /// files naming each question's words, the same bytes and module name of each file read.
    pub fn still_holds(&self, deps: &Dependencies) -> bool {
        let me = || std::path::absolute(&self.path).ok().and_then(|p| dotted_name(&p));
        deps.dotted.as_ref().is_none_or(|d| self.projects.is_some() && *d == me())
            && deps.questions.iter().all(|(words, answer)| {
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let now = self.naming(&words).map(|f| f.into_iter().map(|f| f.path).collect::<Vec<_>>());
                now == *answer
            })
            && deps.reads.iter().all(|(path, key, dotted)| {
                std::fs::read(path).ok().as_deref().map(content_key) == *key && dotted_name(path) == *dotted
            })
    }
}

/// `PYFIX_NO_PROJECT_INDEX` is set (to anything): every question about other files of the project is answered
/// "unknown", as for a project too large to read, and no other file is read. Hidden: `scripts/index-decisions.sh` compares runs with and
/// without it to count the decisions the index changes.
fn index_off() -> bool {
    static OFF: OnceLock<bool> = OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("PYFIX_NO_PROJECT_INDEX").is_some())
}

/// Each Python file of a project (absolute path, in path order) with the sorted hashes of its identifiers.
struct Words {
    files: Vec<(PathBuf, Vec<u64>)>,
    /// Questions answered so far.
    asked: AtomicUsize,
    /// Word hash -> the files (indices into `files`, ascending) that contain it: built once `LINEAR_QUESTIONS`
    /// questions have been asked, so that a project where every module asks costs linear, not quadratic, time.
    postings: OnceLock<rustc_hash::FxHashMap<u64, Vec<u32>>>,
}

/// Up to this many questions a project's files are scanned one by one (a binary search per file and word): cheaper
/// than building the postings when few modules ask.
const LINEAR_QUESTIONS: usize = 64;

impl Words {
    /// The indices of the files that contain every word of `wanted` (hashes), ascending.
    fn naming(&self, wanted: &[u64]) -> Vec<usize> {
        if self.asked.fetch_add(1, Ordering::Relaxed) < LINEAR_QUESTIONS {
            let has_all = |hashes: &Vec<u64>| wanted.iter().all(|h| hashes.binary_search(h).is_ok());
            return (0..self.files.len()).filter(|&i| has_all(&self.files[i].1)).collect();
        }
        let postings = self.postings.get_or_init(|| {
            let mut postings = rustc_hash::FxHashMap::<u64, Vec<u32>>::default();
            for (i, (_, hashes)) in self.files.iter().enumerate() {
                for h in hashes {
                    postings.entry(*h).or_default().push(i as u32);
                }
            }
            postings
        });
        let mut lists: Vec<&[u32]> = Vec::with_capacity(wanted.len());
        for h in wanted {
            match postings.get(h) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((shortest, rest)) = lists.split_first() else {
            return (0..self.files.len()).collect();
        };
        shortest.iter().filter(|i| rest.iter().all(|l| l.binary_search(i).is_ok())).map(|&i| i as usize).collect()
    }

    /// `None` when the project has more than `MAX_FILES` Python files.
    fn read(root: &Path, skip_dir: fn(&std::ffi::OsStr) -> bool, store: Option<&dyn WordStore>) -> Option<Words> {
        // ignore's own threads walk and scoped threads read: never the rayon pool (see the header).
        let found = Mutex::new(Vec::new());
        ignore::WalkBuilder::new(root)
            .hidden(true)
            .follow_links(false)
            .filter_entry(move |e| !e.file_type().is_some_and(|t| t.is_dir()) || !skip_dir(e.file_name()))
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let Ok(entry) = entry else { return ignore::WalkState::Continue };
                    let p = entry.path();
                    if entry.file_type().is_some_and(|t| t.is_file())
                        && p.extension().is_some_and(|e| e == "py" || e == "pyi")
                    {
                        let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                        found.push(p.to_path_buf());
                        if found.len() > MAX_FILES {
                            return ignore::WalkState::Quit;
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
        let mut paths = found.into_inner().unwrap_or_else(|e| e.into_inner());
        if paths.len() > MAX_FILES {
            return None;
        }
        paths.sort();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = paths.len().div_ceil(threads).max(1);
        let files = std::thread::scope(|scope| {
            let workers: Vec<_> = paths
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .filter_map(|p| Some((p.clone(), summarise(&std::fs::read(p).ok()?, store))))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        Some(Words { files, asked: AtomicUsize::new(0), postings: OnceLock::new() })
    }
}

/// The words of a file's bytes: from `store` when these bytes were summarised before, else computed (and kept).
fn summarise(bytes: &[u8], store: Option<&dyn WordStore>) -> Vec<u64> {
    let Some(store) = store else {
        SUMMARISED.fetch_add(1, Ordering::Relaxed);
        return identifier_hashes(bytes);
    };
    let key = content_key(bytes);
    if let Some(words) = store.words(key) {
        REUSED.fetch_add(1, Ordering::Relaxed);
        return words;
    }
    SUMMARISED.fetch_add(1, Ordering::Relaxed);
    let words = identifier_hashes(bytes);
    store.keep_words(key, &words);
    words
}

/// The key a file's words are kept under: 128 bits of SipHash over its bytes (two keys with different salts), so
/// two different contents never share one in practice.
pub fn content_key(bytes: &[u8]) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        bytes.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// Bytes that continue an identifier (`[A-Za-z0-9_]`, and every non-ASCII byte: letters of other scripts).
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80;
        b += 1;
    }
    t
};

/// The sorted, de-duplicated hashes of every identifier-like run of bytes (`[A-Za-z_][A-Za-z0-9_]*`, non-ASCII bytes
/// counted as letters) in `text`. One pass, hashing as it goes: this reads a whole project.
fn identifier_hashes(text: &[u8]) -> Vec<u64> {
    // A file repeats its words many times over: a small table of the last words seen by hash keeps `self`,
    // `return`, `def` out of the list, and one sort with `dedup` at the end costs less than a hash set (counted
    // with cachegrind over the corpus: 13 % fewer instructions).
    let mut out = Vec::with_capacity(text.len() / 32);
    let mut recent = [0u64; 1024];
    // An iterator, not an index: no bounds check per byte.
    let mut bytes = text.iter();
    'words: loop {
        let first = loop {
            match bytes.next() {
                None => break 'words,
                Some(&b) if WORD[usize::from(b)] => break b,
                Some(_) => {}
            }
        };
        // A number's letters are not a word: `1e5`, `0x1f`.
        let number = first.is_ascii_digit();
        let mut hash = step(SEED, first);
        while let Some(&b) = bytes.as_slice().first() {
            if !WORD[usize::from(b)] {
                break;
            }
            hash = step(hash, b);
            bytes.next();
        }
        let slot = &mut recent[(hash as usize) & 1023];
        if !number && *slot != hash {
            *slot = hash;
            out.push(hash);
        }
    }
    out.sort_unstable();
    out.dedup();
    // Kept for the whole run, one per file of the project.
    out.shrink_to_fit();
    out
}

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte into a word's hash (FNV-1a: two instructions a byte; a collision only makes a file a candidate, and
/// candidates are parsed).
fn step(hash: u64, b: u8) -> u64 {
    (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

fn word_hash(word: &[u8]) -> u64 {
    word.iter().fold(SEED, |h, &b| step(h, b))
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

/// `pkg.sub.mod` for `…/pkg/sub/mod.py` (and `pkg.sub` for `…/pkg/sub/__init__.py`) where `pkg` and `sub` hold an
/// `__init__.py` and the directory above `pkg` does not.
fn dotted_name(file: &Path) -> Option<String> {
    let mut parts = vec![module_name(file)?];
    let mut dir = file.parent()?;
    if file.file_stem()? == "__init__" {
        dir = dir.parent()?;
    }
    while dir.join("__init__.py").exists() {
        parts.push(dir.file_name()?.to_str()?.to_string());
        dir = dir.parent()?;
    }
    parts.reverse();
    Some(parts.join("."))
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
        let found = view.files_naming(&["platform", "_cache"]).unwrap();
        let path = std::path::absolute(d.path().join("tests/test_platform.py")).unwrap();
        assert_eq!(found, [OtherFile { path, shown: PathBuf::from("tests/test_platform.py") }]);
        assert!(view.consulted());
        assert_eq!(view.files_naming(&["platform", "_other"]), Some(vec![]));
        assert_eq!(view.dotted_name().as_deref(), Some("pkg.platform"));
        assert_eq!(view.read(&found[0]).1.as_deref(), Some("test_platform"));
    }

    #[test]
    fn the_postings_answer_as_the_scan_does() {
        let text = |i: usize| format!("import mod{}\nx{} = mod{}._c{}\n", i % 7, i % 3, i % 5, i % 2);
        let files: Vec<(PathBuf, Vec<u64>)> =
            (0..50).map(|i| (PathBuf::from(format!("f{i:02}.py")), identifier_hashes(text(i).as_bytes()))).collect();
        let words = Words { files, asked: AtomicUsize::new(0), postings: OnceLock::new() };
        let questions: Vec<Vec<u64>> = (0..LINEAR_QUESTIONS)
            .map(|q| {
                let ws = [format!("mod{}", q % 7), format!("_c{}", q % 2), format!("x{}", q % 4)];
                ws[..q % 4].iter().map(|w| word_hash(w.as_bytes())).collect()
            })
            .collect();
        let scanned: Vec<Vec<usize>> = questions.iter().map(|q| words.naming(q)).collect();
        assert!(words.postings.get().is_none());
        let indexed: Vec<Vec<usize>> = questions.iter().map(|q| words.naming(q)).collect();
        assert!(words.postings.get().is_some());
        assert_eq!(scanned, indexed);
        assert!(scanned.iter().any(|a| !a.is_empty()) && scanned.iter().any(Vec::is_empty));
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
