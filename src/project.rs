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
//! kept as the sorted 32-bit folds of the hashes of the identifiers it contains (strings and comments included, so a
//! dotted path in a string counts): the cheap filter before any file is parsed. A file whose folds match a question
//! is a candidate, confirmed by finding each word in its bytes, so answers are exact.
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

use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// A project larger than this many Python files is not read: questions about it are answered "unknown".
pub const MAX_FILES: usize = 50_000;

const MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg", "pyfix.toml", ".pyfix.toml", ".git"];

/// Where the words of a file are kept between runs: the per-file cache, keyed by `content_key` of the file's bytes.
pub trait WordStore: Sync {
    /// The sorted words (`identifier_folds`) kept for bytes of this key.
    fn words(&self, key: u128) -> Option<Vec<u32>>;
    /// Keeps the words computed for bytes of this key.
    fn keep_words(&self, key: u128, words: &[u32]);
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
    /// The directories at and above the last one looked up (nearest first), each with the nearest directory at or
    /// above it that holds a project marker (`None`: none up to `/`). The run's files come sorted, so the next
    /// directory's ancestors are mostly here: their markers are not looked for again (six `stat`s a level), and
    /// only one chain is held, not an entry per directory of the run.
    marked: Mutex<Vec<(PathBuf, Option<PathBuf>)>>,
    /// Directory names never read (virtualenvs, vendored code): the driver's discovery decides.
    skip_dir: fn(&std::ffi::OsStr) -> bool,
    /// Words kept from earlier runs (the per-file cache), if any.
    store: Option<&'s dyn WordStore>,
    /// The run's files (`expect`, `done`): a project's words are let go once its last file is done, not held to
    /// the end of the run.
    pending: OnceLock<Pending>,
}

/// Each of the run's files' project (an index into `roots`), and how many files of each project are not done yet.
struct Pending {
    roots: Vec<PathBuf>,
    of_file: Vec<u32>,
    left: Vec<AtomicUsize>,
}

impl<'s> Projects<'s> {
    pub fn new(skip_dir: fn(&std::ffi::OsStr) -> bool) -> Projects<'s> {
        Projects {
            by_root: Mutex::default(),
            roots: Mutex::default(),
            marked: Mutex::default(),
            skip_dir,
            store: None,
            pending: OnceLock::new(),
        }
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
            trees: RefCell::default(),
            memo: RefCell::default(),
        }
    }

    /// The run will process `files` (each once, then `done` with its index): each project's words are dropped when
    /// the last of its files is done. Without it (a language server, `--verify`) they are kept as long as `self`.
    /// Called once; the root is looked up once per directory (`files` are sorted: a directory's files are together).
    pub fn expect(&self, files: &[PathBuf]) {
        let (mut roots, mut of_file, mut left) = (Vec::<PathBuf>::new(), Vec::with_capacity(files.len()), Vec::new());
        let mut last: Option<(&Path, u32)> = None;
        for file in files {
            let dir = file.parent().unwrap_or(Path::new(""));
            let id = match last {
                // As bytes: `Path`'s `==` compares component by component (11 M instructions over the corpus), and a
                // directory spelled two ways only looks its root up again, alike.
                Some((d, id)) if d.as_os_str() == dir.as_os_str() => id,
                _ => {
                    let root = self.root_of(&absolute(file));
                    let id = match roots.iter().position(|r| r.as_os_str() == root.as_os_str()) {
                        Some(id) => id as u32,
                        None => {
                            roots.push(root);
                            left.push(0);
                            (roots.len() - 1) as u32
                        }
                    };
                    last = Some((dir, id));
                    id
                }
            };
            of_file.push(id);
            left[id as usize] += 1;
        }
        let left = left.into_iter().map(AtomicUsize::new).collect();
        let _ = self.pending.set(Pending { roots, of_file, left });
    }

    /// The file of index `file` in `expect`'s list is done: no question of it comes any more.
    pub fn done(&self, file: usize) {
        let Some(pending) = self.pending.get() else { return };
        let Some(&id) = pending.of_file.get(file) else { return };
        if pending.left[id as usize].fetch_sub(1, Ordering::AcqRel) == 1 {
            // The words go with the last view holding them (a view of another thread may still be reading them).
            self.by_root.lock().unwrap_or_else(|e| e.into_inner()).remove(&pending.roots[id as usize]);
        }
    }

    /// `project_root` of a file in `dir`, remembered per directory.
    fn root_of(&self, file: &Path) -> PathBuf {
        let dir = file.parent().unwrap_or(Path::new("/"));
        if let Some(root) = self.roots.lock().unwrap_or_else(|e| e.into_inner()).get(dir) {
            return root.clone();
        }
        // As `project_root`, the marked ancestors remembered.
        let root = match self.marked_at_or_above(dir) {
            Some(marked) => marked,
            None => import_root(dir),
        };
        self.roots.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf(), root.clone());
        root
    }

    /// The nearest directory at or above `dir` that holds a project marker (`project_root`'s first answer), the
    /// ancestors shared with the last directory looked up taken from `marked`.
    fn marked_at_or_above(&self, dir: &Path) -> Option<PathBuf> {
        let mut chain = self.marked.lock().unwrap_or_else(|e| e.into_inner());
        let mut fresh = Vec::new();
        let mut found = None;
        let mut known = chain.len();
        for d in dir.ancestors() {
            if let Some(at) = chain.iter().position(|(p, _)| p == d) {
                found = chain[at].1.clone();
                known = at;
                break;
            }
            fresh.push(d);
            if has_marker(d) {
                found = Some(d.to_path_buf());
                break;
            }
        }
        // The new chain: the directories looked at now, then the known ancestors (each keeps its own answer).
        let tail = chain.split_off(known);
        *chain = fresh.into_iter().map(|d| (d.to_path_buf(), found.clone())).chain(tail).collect();
        found
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
    /// Other files' trees parsed for this file's questions (`parsed`), the most recently used kept.
    trees: RefCell<Trees>,
    /// Answers the analysis layer worked out from other files, by its own key: asked again for the same file, they
    /// are not worked out again (the files they read are in `log` already).
    memo: RefCell<HashMap<String, Rc<dyn Any>>>,
}

/// The other files' trees a view keeps, the least recently used first to go once their texts pass `TREES_KEPT`
/// bytes. A tree takes many times its text's memory, and one file's questions may read a dozen large modules
/// (`test_httpservers`'s read 680 KB); holding them all until the file was done was 2.6 MiB of the run's peak.
/// A question's files are mostly read together, so few are parsed twice.
#[derive(Default)]
struct Trees {
    /// Path -> (its tree, its text's length), and the paths from least to most recently used.
    by_path: HashMap<PathBuf, (Tree, usize)>,
    order: Vec<PathBuf>,
    bytes: usize,
}

/// Another file's tree (`None`: its text does not parse).
type Tree = Option<Rc<Parsed<ModModule>>>;

/// How many bytes of text the trees a view keeps may come from (a tree whose text is larger is still kept, alone).
/// Over the corpus: 256 KB and 128 KB both took the run's peak from 26.9 to 24.3 MiB (one thread) for 70 M
/// instructions of parsing again; 512 KB cost as much and saved nothing.
const TREES_KEPT: usize = 256 << 10;

impl Trees {
    fn get(&mut self, path: &Path) -> Option<Tree> {
        let tree = self.by_path.get(path)?.0.clone();
        if let Some(at) = self.order.iter().position(|p| p == path) {
            let p = self.order.remove(at);
            self.order.push(p);
        }
        Some(tree)
    }

    fn keep(&mut self, path: &Path, len: usize, tree: Tree) {
        self.by_path.insert(path.to_path_buf(), (tree, len));
        self.order.push(path.to_path_buf());
        self.bytes += len;
        while self.bytes > TREES_KEPT && self.order.len() > 1 {
            let oldest = self.order.remove(0);
            if let Some((_, len)) = self.by_path.remove(&oldest) {
                self.bytes -= len;
            }
        }
    }
}

/// What a file's result that consulted the project depended on: checked again on a later run before a cached result
/// is used (`ProjectView::still_holds`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// The file's own dotted module name, when it was asked for.
    pub dotted: Option<Option<String>>,
    /// The file's path below its project's root, when it was asked for or a question was (the root decides "is this
    /// a test file" and how other files are shown): a project marker added or removed above the file moves the root.
    pub relative: Option<Option<PathBuf>>,
    /// Each `files_naming` question: its words and the files it answered (`None`: the project could not be read).
    pub questions: Vec<(Vec<String>, Option<Vec<PathBuf>>)>,
    /// Each other file read: its path, `content_key` of its bytes (`None`: it could not be read) and its dotted name.
    /// Recorded only where results are kept (`Projects::with_store`): nothing else checks them again.
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
            trees: RefCell::default(),
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
            let me = absolute(&self.path);
            let root = projects.root_of(&me);
            (me, root)
        }))
    }

    /// The file's path below its project's root (`tests/test_x.py`). `None` for a text checked on its own.
    pub fn relative_path(&self) -> Option<&Path> {
        let relative = self.relative();
        if self.projects.is_some() {
            self.consulted.set(true);
            // The same path every time (`locate` is worked out once): written once, not copied per question
            // (`is_test_module` asks once per open, per finding).
            let mut log = self.log.borrow_mut();
            if log.relative.is_none() {
                log.relative = Some(relative.map(Path::to_path_buf));
            }
        }
        relative
    }

    fn relative(&self) -> Option<&Path> {
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
        let mut log = self.log.borrow_mut();
        log.questions.push((words.iter().map(|w| w.to_string()).collect(), paths));
        // The answer's paths are shown relative to the root: where the root is is part of it.
        if self.projects.is_some() {
            log.relative = Some(self.relative().map(Path::to_path_buf));
        }
        drop(log);
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
        Some(
            index
                .naming(words)
                .into_iter()
                .map(|i| &index.files[i])
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
        // The reads are checked again only where results are kept (the per-file cache, which is the words' store):
        // without it, hashing every file read (2.6 MB over the corpus) bought nothing.
        if self.projects.is_some_and(|p| p.store.is_some()) {
            let key = bytes.as_deref().map(content_key);
            self.log.borrow_mut().reads.push((file.path.clone(), key, dotted.clone()));
        }
        (bytes.and_then(|b| String::from_utf8(b).ok()), dotted)
    }

    /// `text` (the text `read` gave for `file`) parsed, once for all of this file's questions while it is among the
    /// trees kept (`Trees`). `None`: it does not parse.
    pub fn parsed(&self, file: &OtherFile, text: &str) -> Option<Rc<Parsed<ModModule>>> {
        if let Some(tree) = self.trees.borrow_mut().get(&file.path) {
            return tree;
        }
        let tree = ruff_python_parser::parse_module(text).ok().map(Rc::new);
        self.trees.borrow_mut().keep(&file.path, text.len(), tree.clone());
        tree
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

    /// True when a question was asked: the file's result depends on other files (or on where its project's root is).
    pub fn consulted(&self) -> bool {
        self.consulted.get()
    }

    /// What the answers given so far depended on.
    pub fn dependencies(&self) -> Dependencies {
        self.log.borrow().clone()
    }

    /// Whether every answer in `deps` (a cached result's) would be the same now: the same module name and path
    /// below the project root, the same files naming each question's words, the same bytes and module name of each
    /// file read.
    pub fn still_holds(&self, deps: &Dependencies) -> bool {
        let me = || std::path::absolute(&self.path).ok().and_then(|p| dotted_name(&p));
        deps.dotted.as_ref().is_none_or(|d| self.projects.is_some() && *d == me())
            && deps.relative.as_ref().is_none_or(|r| self.projects.is_some() && r.as_deref() == self.relative())
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

/// `path` made absolute (as it is, when it cannot be).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `PYFIX_NO_PROJECT_INDEX` is set (to anything): every question about other files of the project is answered
/// "unknown", as for a project too large to read, and no other file is read. Hidden: `scripts/index-decisions.sh` compares runs with and
/// without it to count the decisions the index changes.
fn index_off() -> bool {
    static OFF: OnceLock<bool> = OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("PYFIX_NO_PROJECT_INDEX").is_some())
}

/// Each Python file of a project (absolute path, in path order) with the set of its identifiers' folds, each fold cut
/// to its top `KEPT_BITS` bits (`kept`) and every file's set coded in one bit string (`FoldSets`): about 15 bits a
/// (file, word) pair over the corpus, where the sorted 32-bit folds took 32 (the words are what pyfix holds for a
/// project while its files are checked). A fold can be shared by two words, so a file whose folds match is a
/// candidate only: `answer` looks for each word in the candidate's bytes (`has_word`) and answers exactly.
struct Words {
    files: Vec<PathBuf>,
    /// The folds by file, until `LINEAR_QUESTIONS` questions were asked; then the files by fold (which replace them).
    index: RwLock<Index>,
    /// Questions answered so far.
    asked: AtomicUsize,
    /// Each question's answer, by its words: the modules of a project ask the same few questions again and again
    /// (which files name `FileResponse`), and each answer reads its candidates' bytes. Kept as long as the words are:
    /// the files as they were on the first asking, as the words themselves are (the server reads a project again
    /// after a save).
    answers: Mutex<rustc_hash::FxHashMap<Vec<String>, Vec<usize>>>,
}

/// How many bits of a word's fold the index keeps: its top 22. A file's set then costs about 2 + log2(2^22 / n) bits
/// a fold (`FoldSets`), and a one-word question finds a file that does not hold the word with a chance of n / 2^22
/// (n: the file's words), so about 0.14 such candidates over the standard library's 1,790 files (568,000 words),
/// each read and rejected by `answer`. 24 bits would cost 2 bits a fold more (53 % of the 32-bit folds' memory
/// instead of 47 %) to save a tenth of a file read a question.
const KEPT_BITS: u32 = 22;

/// The part of `fold` (`word_fold`) the index keeps: its top `KEPT_BITS` bits.
fn kept(fold: u32) -> u32 {
    fold >> (32 - KEPT_BITS)
}

enum Index {
    /// Each file's set of kept folds.
    ByFile(FoldSets),
    /// The postings: `files[offsets[k]..offsets[k + 1]]` are the files (indices into `Words::files`, ascending) that
    /// contain the kept fold `keys[k]`; `keys` ascending. Flat arrays: no allocation per fold. Built once
    /// `LINEAR_QUESTIONS` questions have been asked, so that a project where every module asks costs linear, not
    /// quadratic, time.
    ByFold { keys: Vec<u32>, offsets: Vec<u32>, files: Postings },
}

/// The files of the postings: 16-bit numbers when the project has at most 65,536 files (half the memory of 32-bit
/// ones, and `MAX_FILES` is 50,000), else 32-bit.
enum Postings {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// A file's number in the postings.
trait FileNo: Copy + Ord + Default {
    fn of(i: usize) -> Self;
    fn get(self) -> usize;
}

impl FileNo for u16 {
    fn of(i: usize) -> u16 {
        i as u16
    }
    fn get(self) -> usize {
        usize::from(self)
    }
}

impl FileNo for u32 {
    fn of(i: usize) -> u32 {
        i as u32
    }
    fn get(self) -> usize {
        self as usize
    }
}

impl Index {
    /// The files by fold, from the folds by file: which kept folds occur (one bit each, 512 KB, with a count of the
    /// folds below each 64 of them: a fold's rank is a look-up and a popcount), each fold's files counted at its
    /// rank, then each file's number written at its folds' places (files in ascending order, so each list comes out
    /// ascending). No hash map, and no copy of the words but the postings themselves.
    fn by_fold(sets: &FoldSets) -> Index {
        let files = sets.counts.len();
        let mut seen = vec![0u64; 1 << (KEPT_BITS - 6)];
        for i in 0..files {
            sets.each(i, |f| seen[(f >> 6) as usize] |= 1 << (f & 63));
        }
        let mut below = Vec::with_capacity(seen.len());
        let mut total = 0u32;
        for w in &seen {
            below.push(total);
            total += w.count_ones();
        }
        let rank = |f: u32| {
            let (w, bit) = ((f >> 6) as usize, f & 63);
            (below[w] + (seen[w] & ((1u64 << bit) - 1)).count_ones()) as usize
        };
        let mut keys = Vec::with_capacity(total as usize);
        for (w, &word) in seen.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                keys.push((w as u32) << 6 | word.trailing_zeros());
                word &= word - 1;
            }
        }
        // `offsets[k + 1]` counts fold k's files, then (summed) is where fold k's list ends.
        let mut offsets = vec![0u32; keys.len() + 1];
        for i in 0..files {
            sets.each(i, |f| offsets[rank(f) + 1] += 1);
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        let files = if files <= 1 << 16 {
            Postings::Narrow(postings(sets, &mut offsets, rank))
        } else {
            Postings::Wide(postings(sets, &mut offsets, rank))
        };
        Index::ByFold { keys, offsets, files }
    }
}

/// Each file's number written at its folds' places: `offsets[k]` is where the list of the fold of rank k starts,
/// and is left where it starts (it is the next free place while the files are written, then moved up by one).
fn postings<T: FileNo>(sets: &FoldSets, offsets: &mut Vec<u32>, rank: impl Fn(u32) -> usize) -> Vec<T> {
    let mut files = vec![T::default(); offsets.last().map_or(0, |&n| n as usize)];
    for i in 0..sets.counts.len() {
        sets.each(i, |f| {
            let next = &mut offsets[rank(f)];
            files[*next as usize] = T::of(i);
            *next += 1;
        });
    }
    // `offsets[k]` is now where fold k's list ends, which is where fold k + 1's starts.
    offsets.pop();
    offsets.insert(0, 0);
    files
}

/// The files whose lists all hold `i`: the shortest list's files, each looked for in the others.
fn in_every<T: FileNo>(lists: &mut [&[T]]) -> Vec<usize> {
    lists.sort_by_key(|l| l.len());
    let Some((shortest, rest)) = lists.split_first() else { return Vec::new() };
    shortest.iter().filter(|i| rest.iter().all(|l| l.binary_search(i).is_ok())).map(|i| i.get()).collect()
}

/// Every file's set of kept folds (`kept`: below 2^KEPT_BITS), Elias-Fano coded one after another in one bit
/// string. A set of n folds is cut in two: each fold's low `l` bits, l = KEPT_BITS - ceil(log2 n) (so that the high
/// parts take at most 2n values), one after another in n * l bits; then the high parts, in unary: for each high value
/// in turn, a 1 for each fold that has it, then a 0. That is n * l + n + 2^(KEPT_BITS - l) bits, at most
/// 2 + log2(2^KEPT_BITS / n) + 1 a fold. A fold is looked up by counting 0s up to its high value, 64 bits at a time
/// (the high parts of a file of 200 folds take 7 words), then comparing the low parts of the few folds there.
struct FoldSets {
    bits: Bits,
    /// Where file i's code starts in `bits`, and how many folds it holds.
    starts: Vec<u64>,
    counts: Vec<u32>,
}

/// How many low bits each fold of a set of `n` keeps (`FoldSets`).
fn low_bits(n: u32) -> u32 {
    let ceil_log2 = if n <= 1 { 0 } else { u32::BITS - (n - 1).leading_zeros() };
    KEPT_BITS.saturating_sub(ceil_log2)
}

/// Writes `folds` (kept folds, ascending, distinct) at the end of `bits` (`FoldSets`); returns where they start.
fn code_set(bits: &mut Bits, folds: &[u32]) -> u64 {
    let start = bits.len;
    let n = folds.len() as u64;
    let l = low_bits(n as u32);
    let high = start + n * u64::from(l);
    // The whole set's bits at once (0s), then its 1s and low parts written in.
    bits.zeros(n * u64::from(l) + n + (1 << (KEPT_BITS - l)));
    if l > 0 {
        let mut at = start;
        for &f in folds {
            bits.put(at, u64::from(f) & ((1 << l) - 1), l);
            at += u64::from(l);
        }
    }
    for (i, &f) in folds.iter().enumerate() {
        bits.set(high + u64::from(f >> l) + i as u64);
    }
    start
}

impl FoldSets {
    /// Whether file `file`'s set holds `fold` (a kept fold).
    fn contains(&self, file: usize, fold: u32) -> bool {
        let (start, n) = (self.starts[file], self.counts[file]);
        if n == 0 {
            return false;
        }
        let l = low_bits(n);
        let high = start + u64::from(n) * u64::from(l);
        let value = u64::from(fold >> l);
        // The high value's 1s start just after the value-th 0 (at `high` for 0): the 0s are counted 64 bits at a
        // time, then the last word's value-th 0 picked. Bits read past the set's end belong to the next set, but
        // the 0 looked for always comes before them (the set ends with the 0 of its largest high value).
        let mut at = high;
        let mut zeros = value;
        while zeros > 0 {
            let mut chunk = !self.bits.get(at, 64);
            let here = u64::from(chunk.count_ones());
            if here < zeros {
                zeros -= here;
                at += 64;
                continue;
            }
            for _ in 1..zeros {
                chunk &= chunk - 1;
            }
            at += u64::from(chunk.trailing_zeros()) + 1;
            break;
        }
        // The folds before this high value: the 1s before `at`.
        let mut i = at - high - value;
        let low = u64::from(fold) & ((1 << l) - 1);
        while self.bits.get(at, 1) == 1 {
            let x = self.bits.get(start + i * u64::from(l), l);
            if x >= low {
                return x == low;
            }
            at += 1;
            i += 1;
        }
        false
    }

    /// Calls `each` with every fold of file `file`'s set, ascending.
    fn each(&self, file: usize, mut each: impl FnMut(u32)) {
        let (start, n) = (self.starts[file], self.counts[file]);
        let l = low_bits(n);
        let high = start + u64::from(n) * u64::from(l);
        let mut at = high;
        for i in 0..u64::from(n) {
            // The next 1: the i-th fold's (every bit up to it is this set's).
            loop {
                let chunk = self.bits.get(at, 64);
                if chunk != 0 {
                    at += u64::from(chunk.trailing_zeros());
                    break;
                }
                at += 64;
            }
            let value = at - high - i;
            each((value << l | self.bits.get(start + i * u64::from(l), l)) as u32);
            at += 1;
        }
    }
}

/// A string of bits, bit i of the string bit i % 64 of word i / 64.
struct Bits {
    words: Vec<u64>,
    len: u64,
}

impl Bits {
    fn with_capacity(bits: usize) -> Bits {
        Bits { words: Vec::with_capacity(bits.div_ceil(64)), len: 0 }
    }

    /// Writes the low `width` bits of `value` (which has no others; `width` at most 64) from bit `at` on (below
    /// `len`), over 0s.
    fn put(&mut self, at: u64, value: u64, width: u32) {
        let (w, shift) = ((at / 64) as usize, (at % 64) as u32);
        self.words[w] |= value << shift;
        if shift + width > 64 {
            self.words[w + 1] |= value >> (64 - shift);
        }
    }

    /// Appends `count` 0s.
    fn zeros(&mut self, count: u64) {
        self.len += count;
        self.words.resize(self.len.div_ceil(64) as usize, 0);
    }

    /// Sets bit `at` (below `len`).
    fn set(&mut self, at: u64) {
        self.words[(at / 64) as usize] |= 1 << (at % 64);
    }

    /// The `width` bits (at most 64) from bit `at` on, as a number (bits past the end read as 0).
    fn get(&self, at: u64, width: u32) -> u64 {
        if width == 0 {
            return 0;
        }
        let (w, shift) = ((at / 64) as usize, (at % 64) as u32);
        let mut v = self.words.get(w).map_or(0, |&x| x >> shift);
        if shift + width > 64 {
            v |= self.words.get(w + 1).map_or(0, |&x| x << (64 - shift));
        }
        v & (u64::MAX >> (64 - width))
    }
}

/// Up to this many questions a project's files are scanned one by one (a look-up per file and word): cheaper than
/// building the postings when few modules ask.
const LINEAR_QUESTIONS: usize = 64;

impl Words {
    fn new(files: Vec<PathBuf>, sets: FoldSets) -> Words {
        Words { files, index: RwLock::new(Index::ByFile(sets)), asked: AtomicUsize::new(0), answers: Mutex::default() }
    }

    /// The indices of the files that contain every one of `words` as an identifier, ascending: `answer`, once per
    /// question.
    fn naming(&self, words: &[&str]) -> Vec<usize> {
        let key: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        if let Some(known) = self.answers.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return known.clone();
        }
        // Two threads asking at once both answer, alike.
        let found = self.answer(words);
        self.answers.lock().unwrap_or_else(|e| e.into_inner()).insert(key, found.clone());
        found
    }

    /// The indices of the files that contain every one of `words` as an identifier, ascending, read now.
    fn answer(&self, words: &[&str]) -> Vec<usize> {
        let folded: Vec<u32> = words.iter().map(|w| kept(word_fold(w.as_bytes()))).collect();
        let candidates = self.candidates(&folded);
        if candidates.is_empty() || words.is_empty() {
            return candidates;
        }
        // Exact: each word looked for in the candidate's bytes again (a file that cannot be read now names nothing).
        let finders: Vec<memchr::memmem::Finder> = words.iter().map(memchr::memmem::Finder::new).collect();
        candidates
            .into_iter()
            .filter(|&i| std::fs::read(&self.files[i]).is_ok_and(|bytes| finders.iter().all(|f| has_word(&bytes, f))))
            .collect()
    }

    /// The files whose sets hold every one of `wanted` (kept folds), ascending.
    fn candidates(&self, wanted: &[u32]) -> Vec<usize> {
        if self.asked.fetch_add(1, Ordering::Relaxed) >= LINEAR_QUESTIONS {
            let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
            if let Index::ByFile(sets) = &*index {
                *index = Index::by_fold(sets);
            }
        }
        let index = self.index.read().unwrap_or_else(|e| e.into_inner());
        match &*index {
            Index::ByFile(sets) => {
                (0..self.files.len()).filter(|&i| wanted.iter().all(|&f| sets.contains(i, f))).collect()
            }
            Index::ByFold { keys, offsets, files } => {
                if wanted.is_empty() {
                    return (0..self.files.len()).collect();
                }
                let mut ranges = Vec::with_capacity(wanted.len());
                for h in wanted {
                    match keys.binary_search(h) {
                        Ok(k) => ranges.push(offsets[k] as usize..offsets[k + 1] as usize),
                        Err(_) => return Vec::new(),
                    }
                }
                match files {
                    Postings::Narrow(files) => in_every(&mut ranges.into_iter().map(|r| &files[r]).collect::<Vec<_>>()),
                    Postings::Wide(files) => in_every(&mut ranges.into_iter().map(|r| &files[r]).collect::<Vec<_>>()),
                }
            }
        }
    }

    /// Whether the postings have replaced the folds by file.
    #[cfg(test)]
    fn by_fold(&self) -> bool {
        matches!(*self.index.read().unwrap(), Index::ByFold { .. })
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
        sort_paths(&mut paths);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = paths.len().div_ceil(threads).max(1);
        // The threads append each file's set to one bit string as they go (under a lock, once a file), each file's
        // place noted: no thread's own string is joined into a new one (twice the words' memory at once, at the
        // peak). The string is reserved at 2 KB a file, more than most projects need (the standard library's files
        // take 600 bytes on average): pages never written are never resident, and it seldom grows by a copy.
        let all = Mutex::new(Bits::with_capacity(paths.len().saturating_mul(16 << 10)));
        let places: Vec<Option<(u64, u32)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = paths
                .chunks(chunk)
                .map(|part| {
                    let all = &all;
                    let worker = scope.spawn(move || {
                        part.iter()
                            .map(|p| {
                                let bytes = std::fs::read(p).ok()?;
                                let mut folds = summarise(&bytes, store);
                                // Still ascending once cut: only neighbours can become equal.
                                folds.iter_mut().for_each(|f| *f = kept(*f));
                                folds.dedup();
                                let mut all = all.lock().unwrap_or_else(|e| e.into_inner());
                                Some((code_set(&mut all, &folds), folds.len() as u32))
                            })
                            .collect::<Vec<_>>()
                    });
                    (part.len(), worker)
                })
                .collect();
            // A worker that failed read none of its files.
            workers.into_iter().flat_map(|(n, w)| w.join().unwrap_or_else(|_| vec![None; n])).collect()
        });
        let bits = all.into_inner().unwrap_or_else(|e| e.into_inner());
        let (mut files, mut starts, mut counts) = (Vec::new(), Vec::new(), Vec::new());
        for (p, place) in paths.into_iter().zip(places) {
            if let Some((start, n)) = place {
                files.push(p);
                starts.push(start);
                counts.push(n);
            }
        }
        Some(Words::new(files, FoldSets { bits, starts, counts }))
    }
}

/// The words of a file's bytes: from `store` when these bytes were summarised before, else computed (and kept).
fn summarise(bytes: &[u8], store: Option<&dyn WordStore>) -> Vec<u32> {
    let Some(store) = store else {
        SUMMARISED.fetch_add(1, Ordering::Relaxed);
        return identifier_folds(bytes);
    };
    let key = content_key(bytes);
    if let Some(words) = store.words(key) {
        REUSED.fetch_add(1, Ordering::Relaxed);
        return words;
    }
    SUMMARISED.fetch_add(1, Ordering::Relaxed);
    let words = identifier_folds(bytes);
    store.keep_words(key, &words);
    words
}

/// The key a file's words are kept under: `hash::sip128` of its bytes.
pub fn content_key(bytes: &[u8]) -> u128 {
    use std::hash::Hash;
    crate::hash::sip128(|h| bytes.hash(h))
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

/// Whether `bytes` hold the finder's word as a whole identifier-like run (as `identifier_folds` splits them).
fn has_word(bytes: &[u8], word: &memchr::memmem::Finder) -> bool {
    let n = word.needle().len();
    word.find_iter(bytes).any(|at| {
        (at == 0 || !WORD[usize::from(bytes[at - 1])]) && bytes.get(at + n).is_none_or(|&b| !WORD[usize::from(b)])
    })
}

/// The sorted, de-duplicated folds (`word_fold`) of every identifier-like run of bytes
/// (`[A-Za-z_][A-Za-z0-9_]*`, non-ASCII bytes counted as letters) in `text`. This reads a whole project: the runs are
/// found 64 bytes at a time (`word_runs`), each folded by `fold_at`.
fn identifier_folds(text: &[u8]) -> Vec<u32> {
    // A file repeats its words many times over: a small table of the last words seen keeps `self`, `return`, `def`
    // out of the list, and one sort with `dedup` at the end costs less than a hash set. The table is the thread's,
    // reused from file to file (clearing 8 KB per file cost more than the table saved on small files): a slot holds
    // a fold with the number of the call that put it there above it, so that a slot another file (or no file) set
    // matches no word of this one. Each fold is written to a small buffer and kept there only when the table did
    // not hold it: no branch per word on the table, which half the words took and half did not (the mispredictions
    // cost more than the words' hashing). The result is the same sorted set of folds either way.
    const BUFFER: usize = 4096;
    thread_local! {
        static RECENT: std::cell::RefCell<(Box<[u64; 1024]>, u32)> = std::cell::RefCell::new((Box::new([0; 1024]), 0));
        static BUFFERED: std::cell::RefCell<Box<[u32; BUFFER]>> = std::cell::RefCell::new(Box::new([0; BUFFER]));
    }
    // The folds kept, before sorting: the thread's, reused from file to file (no allocation but the result's).
    thread_local! {
        static KEPT: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEPT.with_borrow_mut(|out| {
        out.clear();
        RECENT.with_borrow_mut(|(recent, call)| {
            BUFFERED.with_borrow_mut(|buffer| {
                *call = call.wrapping_add(1).max(1);
                let tag = u64::from(*call) << 32;
                let mut kept = 0;
                word_runs(text, |start, end| {
                    // A number's letters are not a word: `1e5`, `0x1f`.
                    if text[start].is_ascii_digit() {
                        return;
                    }
                    let f = fold_at(text, start, end);
                    let slot = &mut recent[f as usize & 1023];
                    let entry = tag | u64::from(f);
                    let new = *slot != entry;
                    *slot = entry;
                    buffer[kept] = f;
                    kept += usize::from(new);
                    if kept == BUFFER {
                        out.extend_from_slice(&buffer[..]);
                        kept = 0;
                    }
                });
                out.extend_from_slice(&buffer[..kept]);
            });
        });
        sorted_set(out)
    })
}

/// `folds` sorted and de-duplicated, in a vector of its own length. Folds spread evenly over 32 bits, so they are
/// put in buckets by their top bits (a counting pass and a scatter, about 4 folds a bucket), and each bucket is
/// sorted on its own: about 40 instructions a fold where one sort of them all took 70 (each fold compared
/// about log n times). `folds` is left in any order.
fn sorted_set(folds: &mut [u32]) -> Vec<u32> {
    let n = folds.len();
    if n <= 64 {
        folds.sort_unstable();
        let mut out = folds.to_vec();
        out.dedup();
        return out;
    }
    // The thread's buckets' bounds and the scattered folds, reused from file to file.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with_borrow_mut(|(ends, out)| {
        let bits = (usize::BITS - (n / 4).leading_zeros()).min(12);
        let shift = 32 - bits;
        // Bucket b's folds go to `out[ends[b]..ends[b + 1]]`; `ends[b + 1]` first counts them, then is where the
        // next one goes.
        ends.clear();
        ends.resize((1 << bits) + 2, 0);
        for &f in folds.iter() {
            ends[(f >> shift) as usize + 2] += 1;
        }
        for b in 2..ends.len() {
            ends[b] += ends[b - 1];
        }
        out.clear();
        out.resize(n, 0);
        for &f in folds.iter() {
            let next = &mut ends[(f >> shift) as usize + 1];
            out[*next as usize] = f;
            *next += 1;
        }
        for w in ends[..ends.len() - 1].windows(2) {
            out[w[0] as usize..w[1] as usize].sort_unstable();
        }
        out.dedup();
        out.to_vec()
    })
}

/// Calls `each(start, end)` for every maximal run of `WORD` bytes of `text`, in order.
fn word_runs(text: &[u8], mut each: impl FnMut(usize, usize)) {
    let n = text.len();
    // A run that reached the end of the block before: where it started.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < n {
        let len = (n - base).min(64);
        // Bit i: byte base + i continues a word; none beyond the text.
        let mut bits = word_mask(&text[base..base + len]);
        if let Some(s) = open {
            let ones = (!bits).trailing_zeros() as usize;
            if ones >= len {
                base += len;
                continue;
            }
            each(s, base + ones);
            open = None;
            bits &= !((1u64 << ones) - 1);
        }
        while bits != 0 {
            let s = bits.trailing_zeros();
            let e = (!(bits | ((1u64 << s) - 1))).trailing_zeros() as usize;
            if e >= len {
                open = Some(base + s as usize);
                break;
            }
            each(base + s as usize, base + e);
            bits &= !((1u64 << e) - 1);
        }
        base += len;
    }
    if let Some(s) = open {
        each(s, n);
    }
}

/// Bit i set where `block[i]` (at most 64 bytes) is a `WORD` byte.
fn word_mask(block: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        let mut full = [0u8; 64];
        let bytes: &[u8] = if block.len() == 64 {
            block
        } else {
            // NUL is no word byte.
            full[..block.len()].copy_from_slice(block);
            &full
        };
        let mut mask = 0u64;
        for (i, chunk) in bytes.chunks_exact(16).enumerate() {
            mask |= u64::from(sse2::word_mask16(chunk)) << (16 * i);
        }
        mask
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        block.iter().enumerate().fold(0u64, |m, (i, &b)| m | u64::from(WORD[usize::from(b)]) << i)
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// Bit i set where `chunk[i]` (16 bytes) is a letter, a digit, `_` or a non-ASCII byte (`super::WORD`).
    pub fn word_mask16(chunk: &[u8]) -> u32 {
        assert_eq!(chunk.len(), 16);
        // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of `chunk` (checked above), unaligned.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            // A byte in lo..=hi: (b + 0x80 - lo) as i8 < -0x80 + (hi - lo + 1).
            let in_range = |x: __m128i, lo: u8, count: u8| {
                let shifted = _mm_add_epi8(x, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
                _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8.wrapping_add(count)) as i8))
            };
            let letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
            let digit = in_range(v, b'0', 10);
            let underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
            // A non-ASCII byte has its top bit set already.
            let any = _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(underscore, v));
            _mm_movemask_epi8(any) as u32
        }
    }
}

/// A word's fold: 32 bits of a hash of its bytes (a collision only makes a file a candidate, and candidates are
/// confirmed).
fn word_fold(word: &[u8]) -> u32 {
    fold_at(word, 0, word.len())
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// For a word of `len` bytes (0 to 16): the masks of its bytes among 8 bytes read at its start, and among the next 8.
const MASKS: [[u64; 2]; 17] = {
    let mut m = [[0u64; 2]; 17];
    let mut len = 1;
    while len <= 16 {
        let low = if len >= 8 { 8 } else { len };
        m[len][0] = u64::MAX >> (64 - 8 * low);
        if len > 8 {
            m[len][1] = u64::MAX >> (64 - 8 * (len - 8));
        }
        len += 1;
    }
    m
};

/// `word_fold(&text[start..end])`. A word of up to 16 bytes (almost every word) is two 8-byte loads, masked, two
/// multiplies and the high half of their sum: no loop and no branch on its length. A longer one is hashed 8 bytes
/// at a time.
#[inline(always)]
fn fold_at(text: &[u8], start: usize, end: usize) -> u32 {
    let len = end - start;
    match text.get(start..start + 16) {
        Some(bytes) if len <= 16 => {
            let a = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default()) & MASKS[len][0];
            let b = u64::from_le_bytes(bytes[8..].try_into().unwrap_or_default()) & MASKS[len][1];
            short_fold(a, b, len)
        }
        _ => fold_rest(&text[start..end]),
    }
}

/// The fold of a word of up to 16 bytes, `a` its first 8 bytes and `b` the next 8, zero beyond the word.
#[inline(always)]
fn short_fold(a: u64, b: u64, len: usize) -> u32 {
    (a.wrapping_mul(K1).wrapping_add((b ^ len as u64).wrapping_mul(K2)) >> 32) as u32
}

/// `fold_at` of a word longer than 16 bytes, or one less than 16 bytes from the end of its text.
#[inline(never)]
fn fold_rest(word: &[u8]) -> u32 {
    let len = word.len();
    if len <= 16 {
        let mut padded = [0u8; 16];
        padded[..len].copy_from_slice(word);
        let a = u64::from_le_bytes(padded[..8].try_into().unwrap_or_default());
        let b = u64::from_le_bytes(padded[8..].try_into().unwrap_or_default());
        return short_fold(a, b, len);
    }
    let mut h = len as u64;
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(chunk.try_into().unwrap_or_default())).wrapping_mul(K1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K1);
    }
    ((h >> 32) ^ h) as u32
}

/// Sorts `paths` in `Path`'s own order (component by component), comparing each pair as plain bytes: a key per path
/// of its components, each tagged by kind and ended by a NUL (which no name holds), orders as the components do.
/// `Path`'s comparison walks the components of both paths every time: over a project it cost ten times the sort. `discovery` sorts the run's files with it too.
pub fn sort_paths(paths: &mut [PathBuf]) {
    use std::path::Component;
    paths.sort_by_cached_key(|p| {
        let mut key = Vec::with_capacity(p.as_os_str().len() + 8);
        for c in p.components() {
            // In `Component`'s order: a prefix, the root, `.`, `..`, then names.
            let (tag, name) = match c {
                Component::Prefix(x) => (0, x.as_os_str()),
                Component::RootDir => (1, std::ffi::OsStr::new("")),
                Component::CurDir => (2, std::ffi::OsStr::new("")),
                Component::ParentDir => (3, std::ffi::OsStr::new("")),
                Component::Normal(n) => (4, n),
            };
            key.push(tag);
            key.extend_from_slice(name.as_encoded_bytes());
            key.push(0);
        }
        key
    });
}

/// The nearest directory at or above `file`'s that holds a project marker; without one, the first directory upward
/// without an `__init__.py` (where imports of the file's package resolve from).
pub fn project_root(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("/"));
    if let Some(marked) = dir.ancestors().find(|d| has_marker(d)) {
        return marked.to_path_buf();
    }
    import_root(dir)
}

fn has_marker(dir: &Path) -> bool {
    MARKERS.iter().any(|m| dir.join(m).exists())
}

/// The first directory at or above `dir` without an `__init__.py`.
fn import_root(dir: &Path) -> PathBuf {
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
    fn paths_sort_as_path_orders_them() {
        let names = [
            "a/b.py", "a-b.py", "a.py", "a/b/c.py", "../x.py", "./y.py", "/r/s.py", "/r.py", "ab/c.py", "a/B.py",
            "-a/x.py", "a b/x.py", "é/x.py", "a//b.py", "..a/x.py", "_/x.py", "a/./b.py", "a/b/", "..", ".",
        ];
        let mut ours: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut std_order = ours.clone();
        sort_paths(&mut ours);
        std_order.sort();
        assert_eq!(ours, std_order);
    }

    #[test]
    fn word_runs_are_the_maximal_runs_of_word_bytes() {
        // Every length around the 16- and 64-byte blocks, runs across their edges, non-ASCII bytes, a run at the end.
        let mut text = Vec::new();
        for i in 0..300u32 {
            text.extend(std::iter::repeat_n(b"a_Z9\xc3\xa9"[i as usize % 6], (i % 70) as usize));
            text.push(b" .(\n-@[`{/:"[i as usize % 11]);
        }
        text.extend_from_slice(b"tail");
        for cut in [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, text.len()] {
            let text = &text[..cut.min(text.len())];
            let mut ours = Vec::new();
            word_runs(text, |s, e| ours.push((s, e)));
            let mut expected = Vec::new();
            let mut i = 0;
            while i < text.len() {
                if WORD[usize::from(text[i])] {
                    let s = i;
                    while i < text.len() && WORD[usize::from(text[i])] {
                        i += 1;
                    }
                    expected.push((s, i));
                } else {
                    i += 1;
                }
            }
            assert_eq!(ours, expected, "{cut}");
        }
        for b in 0..=255u8 {
            let mut block = [b' '; 16];
            block[3] = b;
            assert_eq!(word_mask(&block) == 1 << 3, WORD[usize::from(b)], "{b}");
        }
    }

    #[test]
    fn a_word_folds_alike_wherever_it_stands() {
        let text = b"x = some_long_identifier_name + ab + abcdefgh";
        for (s, e) in [(4, 28), (31, 33), (36, 44), (0, 1)] {
            assert_eq!(fold_at(text, s, e), word_fold(&text[s..e]));
        }
        assert_ne!(word_fold(b"ab"), word_fold(b"ab\0"));
        assert_ne!(word_fold(b"ab"), word_fold(b"ba"));
    }

    /// The fold as defined, plainly: a word of up to 16 bytes zero-padded to two 8-byte halves `a` and `b`, the high
    /// 32 bits of `a * K1 + (b ^ len) * K2`; a longer one hashed one step per 8 bytes (the last zero-padded) and its
    /// halves xored.
    fn fold_by_definition(word: &[u8]) -> u32 {
        let half = |bytes: &[u8]| {
            let mut b = [0u8; 8];
            b[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(b)
        };
        let len = word.len();
        if len <= 16 {
            let (a, b) = (half(&word[..len.min(8)]), half(&word[len.min(8)..]));
            return (a.wrapping_mul(K1).wrapping_add((b ^ len as u64).wrapping_mul(K2)) >> 32) as u32;
        }
        let h = word.chunks(8).fold(len as u64, |h, chunk| (h.rotate_left(5) ^ half(chunk)).wrapping_mul(K1));
        ((h >> 32) ^ h) as u32
    }

    #[test]
    fn every_length_and_place_folds_as_defined() {
        // Short and long words, with more text after them than 16 bytes, less, and none.
        let text: Vec<u8> = (0..80u8).map(|i| b"abcdefghijklmnopqrstuvwxyz_0123456789"[usize::from(i) % 37]).collect();
        for start in 0..text.len() {
            for end in start + 1..=text.len().min(start + 30) {
                assert_eq!(fold_at(&text, start, end), fold_by_definition(&text[start..end]), "{start}..{end}");
            }
        }
    }

    #[test]
    fn a_files_folds_are_the_sorted_set_of_its_words_folds() {
        // More different words than the table of recent words has slots, each repeated, with numbers between.
        let mut text = String::new();
        for round in 0..3 {
            for i in 0..3000 {
                text.push_str(&format!("w{i} = self.name_{} + 1e{round}\n", i % 700));
            }
        }
        let mut expected = Vec::new();
        word_runs(text.as_bytes(), |s, e| {
            if !text.as_bytes()[s].is_ascii_digit() {
                expected.push(fold_by_definition(&text.as_bytes()[s..e]));
            }
        });
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(identifier_folds(text.as_bytes()), expected);
        // The thread's table and buffer carry nothing from one file to the next.
        assert_eq!(identifier_folds(b"only these words"), {
            let mut v: Vec<u32> = ["only", "these", "words"].iter().map(|w| word_fold(w.as_bytes())).collect();
            v.sort_unstable();
            v
        });
        assert!(identifier_folds(b"").is_empty() && identifier_folds(b"12 + 3").is_empty());
    }

    #[test]
    fn the_trees_kept_are_the_most_recently_used_within_the_budget() {
        let tree = || ruff_python_parser::parse_module("x = 1\n").ok().map(Rc::new);
        let held = |trees: &mut Trees, p: &str| trees.get(Path::new(p)).is_some();
        let mut trees = Trees::default();
        trees.keep(Path::new("a"), TREES_KEPT / 2, tree());
        trees.keep(Path::new("b"), TREES_KEPT / 2, tree());
        assert!(held(&mut trees, "a"));
        // Over the budget: `b`, used least recently, goes.
        trees.keep(Path::new("c"), TREES_KEPT / 2, tree());
        assert!(!held(&mut trees, "b") && held(&mut trees, "a") && held(&mut trees, "c"));
        // A tree of a text larger than the budget is kept, alone.
        trees.keep(Path::new("big"), TREES_KEPT * 2, tree());
        assert!(held(&mut trees, "big") && !held(&mut trees, "a") && !held(&mut trees, "c"));
        // A text that does not parse is remembered as such.
        trees.keep(Path::new("bad"), 1, None);
        assert_eq!(trees.get(Path::new("bad")).map(|t| t.is_none()), Some(true));
    }

    #[test]
    fn sorted_set_sorts_and_dedups_at_every_size() {
        // Sizes around the cut-off and the bucket counts' steps, repeats, the extremes, folds all in one bucket.
        let mut x = 0x1234_5678u32;
        for n in [0, 1, 2, 63, 64, 65, 66, 127, 128, 1000, 4099, 20_000] {
            let mut folds: Vec<u32> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    match i % 7 {
                        0 => 0,
                        1 => u32::MAX,
                        2 => x & 0xff,
                        _ => x,
                    }
                })
                .collect();
            folds.extend_from_within(..n / 3);
            let mut expected = folds.clone();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(sorted_set(&mut folds), expected, "{n}");
        }
    }

    #[test]
    fn identifiers_are_whole_words() {
        let h = identifier_folds(b"platform._platform_cache.clear() # x1 1e5 \"pkg.mod\"");
        for w in ["platform", "_platform_cache", "clear", "x1", "pkg", "mod"] {
            assert!(h.binary_search(&word_fold(w.as_bytes())).is_ok(), "{w}");
        }
        for w in ["_platform", "cache", "e5", "latform"] {
            assert!(h.binary_search(&word_fold(w.as_bytes())).is_err(), "{w}");
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
    fn a_projects_words_are_let_go_once_its_last_expected_file_is_done() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a/pyproject.toml", "");
        write(d.path(), "a/m.py", "_cache = {}\n");
        write(d.path(), "a/n.py", "import m\nm._cache.clear()\n");
        write(d.path(), "b/setup.py", "");
        write(d.path(), "b/o.py", "import m\n");
        let files: Vec<PathBuf> = ["a/m.py", "a/n.py", "b/o.py"].iter().map(|f| d.path().join(f)).collect();
        let projects = Projects::new(|_| false);
        projects.expect(&files);
        let held = |root: &str| projects.by_root.lock().unwrap().contains_key(&absolute(&d.path().join(root)));
        for file in &files {
            let view = projects.view(file);
            assert!(view.files_naming(&["m", "_cache"]).is_some());
        }
        assert!(held("a") && held("b"));
        projects.done(0);
        assert!(held("a"));
        projects.done(1);
        assert!(!held("a") && held("b"));
        projects.done(2);
        assert!(projects.by_root.lock().unwrap().is_empty());
        // Asked again all the same (nothing in a run does): read again, the same answer.
        let view = projects.view(&files[0]);
        let found = view.files_naming(&["m", "_cache"]).unwrap();
        assert_eq!(found.iter().map(|f| f.shown.clone()).collect::<Vec<_>>(), [PathBuf::from("n.py")]);
    }

    /// `Words` over files that hold `texts` (written under `dir`), as `Words::read` builds them.
    fn words_of(dir: &Path, texts: &[String]) -> Words {
        let mut files = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let p = dir.join(format!("f{i:02}.py"));
            std::fs::write(&p, text).unwrap();
            files.push(p);
        }
        // The files' sets in the bit string in the reverse of their order: threads append them as they come.
        let sets: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| {
                let mut folds: Vec<u32> = identifier_folds(t.as_bytes()).into_iter().map(kept).collect();
                folds.dedup();
                folds
            })
            .collect();
        Words::new(files, fold_sets_reversed(&sets))
    }

    /// `FoldSets` of these sets of kept folds, coded last first (as threads may append them).
    fn fold_sets_reversed(sets: &[Vec<u32>]) -> FoldSets {
        let mut bits = Bits::with_capacity(0);
        let mut starts = vec![0; sets.len()];
        for (i, set) in sets.iter().enumerate().rev() {
            starts[i] = code_set(&mut bits, set);
        }
        FoldSets { bits, starts, counts: sets.iter().map(|s| s.len() as u32).collect() }
    }

    /// A xorshift generator: the same numbers every run.
    fn numbers(seed: u32) -> impl FnMut() -> u32 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        }
    }

    /// Sets of kept folds of every shape the coding meets: empty, one fold (the smallest, the largest), a few, many,
    /// folds that share their high part (neighbours, a run of them), the largest fold, every fold of a small range,
    /// sizes around the powers of two where the low part's width changes.
    fn fold_set_shapes() -> Vec<Vec<u32>> {
        let max = (1 << KEPT_BITS) - 1;
        let mut next = numbers(0x2545_f491);
        let mut sets = vec![vec![], vec![0], vec![max], vec![5, max], vec![0, 1, 2, 3], (1000..1300).collect(), vec![]];
        for n in [2, 3, 4, 5, 63, 64, 65, 200, 540, 1000, 4096, 5690] {
            let mut set: Vec<u32> = (0..n).map(|_| next() & max).collect();
            set.push(max);
            set.sort_unstable();
            set.dedup();
            sets.push(set);
        }
        // Many folds with one high part: a set of 8 has 19-bit low parts, so these 8 share high part 3.
        sets.push((0..8).map(|i| (3 << 19) + i * 1000).collect());
        sets
    }

    #[test]
    fn a_fold_set_holds_its_folds_and_no_other() {
        let shapes = fold_set_shapes();
        let sets = fold_sets_reversed(&shapes);
        let mut next = numbers(0x9e37_79b9);
        for (i, set) in shapes.iter().enumerate() {
            let mut back = Vec::new();
            sets.each(i, |f| back.push(f));
            assert_eq!(&back, set, "set {i} read back");
            for &f in set {
                assert!(sets.contains(i, f), "set {i} holds {f}");
            }
            // Neighbours of each fold, the extremes, random folds.
            let max = (1 << KEPT_BITS) - 1;
            let mut probes: Vec<u32> = set.iter().flat_map(|&f| [f.wrapping_sub(1) & max, (f + 1) & max]).collect();
            probes.extend([0, 1, max - 1, max]);
            probes.extend((0..2000).map(|_| next() & max));
            for f in probes {
                assert_eq!(sets.contains(i, f), set.binary_search(&f).is_ok(), "set {i}, fold {f}");
            }
        }
    }

    #[test]
    fn a_fold_set_takes_about_two_bits_a_fold_more_than_its_low_parts() {
        // n * l + n + 2^(KEPT_BITS - l) bits, l = KEPT_BITS - ceil(log2 n): at most l + 3 a fold.
        for set in fold_set_shapes().into_iter().filter(|s| !s.is_empty()) {
            let mut bits = Bits::with_capacity(0);
            code_set(&mut bits, &set);
            let (n, l) = (set.len() as u64, u64::from(low_bits(set.len() as u32)));
            assert_eq!(bits.len, n * l + n + (1 << (u64::from(KEPT_BITS) - l)));
            assert!(bits.len <= n * (l + 3));
        }
        // A file of the standard library's average size: half the 32 bits a fold of a plain list, or less.
        assert_eq!(low_bits(540), 12);
        assert!(low_bits(1) == KEPT_BITS && low_bits(2) == KEPT_BITS - 1 && low_bits(1 << KEPT_BITS) == 0);
    }

    #[test]
    fn the_postings_hold_each_folds_files_narrow_or_wide() {
        let shapes = fold_set_shapes();
        let sets = fold_sets_reversed(&shapes);
        let Index::ByFold { keys, offsets, files: Postings::Narrow(narrow) } = Index::by_fold(&sets) else {
            panic!("a small project's postings are 16-bit")
        };
        let mut all: Vec<u32> = shapes.concat();
        all.sort_unstable();
        all.dedup();
        assert_eq!(keys, all);
        for (k, &fold) in keys.iter().enumerate() {
            let expected: Vec<u16> =
                (0..shapes.len() as u16).filter(|&i| shapes[usize::from(i)].contains(&fold)).collect();
            assert_eq!(narrow[offsets[k] as usize..offsets[k + 1] as usize], expected, "fold {fold}");
        }
        // The 32-bit postings, written the same way, hold the same numbers.
        let mut wide_offsets = offsets.clone();
        let rank = |f: u32| keys.binary_search(&f).unwrap_or(usize::MAX);
        let wide: Vec<u32> = postings(&sets, &mut wide_offsets, rank);
        assert_eq!(wide_offsets, offsets);
        assert_eq!(wide, narrow.iter().map(|&i| u32::from(i)).collect::<Vec<_>>());
    }

    #[test]
    fn the_postings_answer_as_the_scan_does() {
        let d = tempfile::tempdir().unwrap();
        let text = |i: usize| format!("import mod{}\nx{} = mod{}._c{}\n", i % 7, i % 3, i % 5, i % 2);
        let words = words_of(d.path(), &(0..50).map(text).collect::<Vec<_>>());
        let questions: Vec<Vec<String>> = (0..LINEAR_QUESTIONS)
            .map(|q| {
                let ws = [format!("mod{}", q % 7), format!("_c{}", q % 2), format!("x{}", q % 4)];
                ws[..q % 4].to_vec()
            })
            .collect();
        let ask = |q: &Vec<String>| words.answer(&q.iter().map(String::as_str).collect::<Vec<_>>());
        let scanned: Vec<Vec<usize>> = questions.iter().map(ask).collect();
        assert!(!words.by_fold());
        let indexed: Vec<Vec<usize>> = questions.iter().map(ask).collect();
        assert!(words.by_fold());
        assert_eq!(scanned, indexed);
        assert!(scanned.iter().any(|a| !a.is_empty()) && scanned.iter().any(Vec::is_empty));
    }

    #[test]
    fn a_file_whose_folds_match_but_whose_words_do_not_names_nothing() {
        // Two words can share a fold: the file's own words decide.
        let d = tempfile::tempdir().unwrap();
        let mut words = words_of(d.path(), &["other = 1\n".to_string(), "_cache = {}\n".to_string()]);
        let asked = kept(word_fold(b"_cache"));
        words.index = RwLock::new(Index::ByFile(fold_sets_reversed(&[vec![asked], vec![asked]])));
        assert_eq!(words.candidates(&[asked]), [0, 1]);
        assert_eq!(words.answer(&["_cache"]), [1]);
        // A word inside a longer one, or a number's letters, is not the word.
        std::fs::write(&words.files[0], "x_cache = _cache_ = 1e5\n").unwrap();
        assert_eq!(words.answer(&["_cache"]), [1]);
        assert_eq!(words.answer(&["e5"]), Vec::<usize>::new());
    }

    #[test]
    fn a_question_is_answered_once_per_reading_of_the_project() {
        let d = tempfile::tempdir().unwrap();
        let words = words_of(d.path(), &["_cache = {}\n".to_string(), "_cache.clear()\n".to_string()]);
        assert_eq!(words.naming(&["_cache"]), [0, 1]);
        // The files as they were when first asked (as the words are): the candidates are not read again.
        std::fs::write(&words.files[1], "cache = 1\n").unwrap();
        assert_eq!(words.naming(&["_cache"]), [0, 1]);
        assert_eq!(words.answer(&["_cache"]), [0]);
        assert_eq!(words.asked.load(Ordering::Relaxed), 2, "the second asking answered from the memo");
        // Another question is answered on its own.
        assert_eq!(words.naming(&["_cache", "clear"]), Vec::<usize>::new());
    }

    #[test]
    fn the_remembered_root_is_project_roots() {
        // Markers at several levels, asked deepest first and then shallower, so later answers come from the memo.
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a/setup.cfg", "");
        write(d.path(), "a/b/x/pyproject.toml", "");
        write(d.path(), "a/b/x/.git", "");
        write(d.path(), "n/pkg/__init__.py", "");
        let files = [
            "a/b/x/y/z/m.py",
            "a/b/c/d/m.py",
            "a/b/x/m.py",
            "a/b/m.py",
            "a/m.py",
            "n/pkg/sub/m.py",
            "n/pkg/m.py",
            "n/m.py",
            "a/b/x/y/m.py",
        ];
        let projects = Projects::new(|_| false);
        for f in files {
            let file = d.path().join(f);
            assert_eq!(projects.root_of(&file), project_root(&file), "{f}");
        }
        assert_eq!(projects.root_of(&d.path().join("a/b/c/d/m.py")), d.path().join("a"));
        assert_eq!(projects.root_of(&d.path().join("a/b/x/y/m.py")), d.path().join("a/b/x"));
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
