//! Per-file results kept between runs in `.pyfix_cache/` at the project root (or the `cache-dir` setting), keyed by
//! a hash of the file's bytes, its whole `FileSettings` and pyfix's version and build, so an unchanged file is not
//! parsed again. A cache that cannot be read or written is ignored with a note, never an error. Each entry carries
//! its format version and a checksum: a corrupt, truncated or foreign entry is dropped (and rewritten by the run),
//! never trusted. Saving merges with what other runs saved meanwhile, under a lock file, and replaces the file by a
//! rename (`write::create_or_replace`).
//!
//! Beside the results, in `pyfix-<version>.words`, the words of each file of a project that a cross-module question
//! read (`project::WordStore`), keyed by a hash of the file's bytes: a binary file (a project's words are too many
//! for JSON to be cheap), read on the first question of the run, with the same format version, build, checksum per
//! entry, age bound and merging under the lock as the results.
//! Only `lib.rs` calls this; it owns the cache directory and nothing else.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

use crate::edit::Applicability;
use crate::project::Dependencies;
use crate::report::{AppliedFix, Report, ReportEdit};
use crate::settings::FileSettings;

/// What a file's bytes gave, without the bytes: enough to report and, with the bytes, to write the fix again.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub findings: Vec<Report>,
    pub remaining: Vec<Report>,
    pub applied: usize,
    pub applied_fixes: Vec<AppliedFix>,
    pub baselined: usize,
    pub notes: Vec<String>,
    pub fixed: Option<String>,
    /// For a result that consulted other files of the project: what it depended on. It is used only while that
    /// still holds.
    pub deps: Option<Dependencies>,
}

/// One stored entry: its key, its result's JSON text, and the number of the last run that used it. The text is
/// stored as a JSON string and parsed only when the entry is used: a run that names three files of a large project
/// does not build every entry's JSON tree.
#[derive(Clone, Debug)]
struct Stored {
    key: String,
    result: String,
    seen: u64,
}

/// Path (as given) -> entry.
type Entries = HashMap<String, Stored>;

pub struct Cache {
    file: PathBuf,
    /// What the entries' paths are relative to (absolute ones are not): to drop entries for files that are gone.
    root: PathBuf,
    /// As read at the start.
    old: Entries,
    /// The number of the last run that saved, as read at the start.
    last_run: u64,
    /// Entries of this run: every file seen, looked up or new.
    new: Mutex<Entries>,
    /// The words file as read, on the first question about words (`project::WordStore`).
    old_words: OnceLock<WordEntries>,
    /// Words computed by this run.
    new_words: Mutex<HashMap<u128, Vec<u32>>>,
    /// Keys of the words this run used from the file, with the run that last used each before.
    used_words: Mutex<Vec<(u128, u64)>>,
    /// The file was read whole, without a corrupt entry: a run that added nothing need not rewrite it.
    clean: bool,
    /// A result was added (`put`).
    changed: std::sync::atomic::AtomicBool,
}

/// Content key -> (the number of the last run that used it, the sorted word hashes).
type WordEntries = HashMap<u128, (u64, Vec<u32>)>;

/// The layout version of the cache file and of each entry: bump when `Entry`'s JSON changes. An entry of another
/// version is dropped unread.
const FORMAT: u32 = 7;

/// The bound on the cache: an entry not used by any of the last `MAX_AGE_RUNS` runs that saved the cache is
/// dropped, and of the rest at most `MAX_ENTRIES` are kept, the most recently used first. Entries for files that no
/// longer exist are dropped at once, and so are the cache files of other pyfix versions and the entries of other
/// builds (which could never be used).
pub const MAX_AGE_RUNS: u64 = 100;
pub const MAX_ENTRIES: usize = 100_000;

impl Cache {
    /// Opens (reads) the cache in `dir` for the files under `root`. A missing cache is empty; a corrupt one, or
    /// corrupt entries, are dropped with a note; one that cannot be read is no cache, with a note.
    pub fn open(dir: &Path, root: &Path) -> (Option<Cache>, Option<String>) {
        let file = dir.join(file_name());
        let mut note = None;
        let mut clean = false;
        let (old, last_run) = match std::fs::read(&file) {
            Ok(bytes) => match parse(&bytes) {
                Some(Parsed { entries, run, corrupt: 0 }) => {
                    clean = true;
                    (entries, run)
                }
                Some(Parsed { entries, run, corrupt }) => {
                    let entries_are = if corrupt == 1 { "1 entry is" } else { "entries are" };
                    let n = if corrupt == 1 { String::new() } else { format!("{corrupt} ") };
                    note = Some(format!(
                        "{}: {n}{entries_are} corrupt; ignoring {} (rewritten by this run)",
                        file.display(),
                        if corrupt == 1 { "it" } else { "them" }
                    ));
                    (entries, run)
                }
                None => {
                    note = Some(format!("{}: cache is corrupt; ignoring it (it will be rewritten)", file.display()));
                    (HashMap::new(), 0)
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (HashMap::new(), 0),
            Err(e) => {
                let note = format!(
                    "{}: cannot read the cache ({}); running without it",
                    file.display(),
                    crate::discovery::describe_io(&e)
                );
                return (None, Some(note));
            }
        };
        let cache = Cache {
            file,
            root: root.to_path_buf(),
            old,
            last_run,
            new: Mutex::new(HashMap::new()),
            old_words: OnceLock::new(),
            new_words: Mutex::new(HashMap::new()),
            used_words: Mutex::new(Vec::new()),
            clean,
            changed: std::sync::atomic::AtomicBool::new(false),
        };
        (Some(cache), note)
    }

    /// The entry for `path` when it was stored under the same `key`.
    pub fn get(&self, path: &str, key: &str) -> Option<Entry> {
        let stored = self.old.get(path)?;
        if stored.key != key {
            return None;
        }
        let entry = entry_from_text(&stored.result)?;
        self.new.lock().ok()?.insert(path.to_string(), stored.clone());
        Some(entry)
    }

    pub fn put(&self, path: &str, key: &str, entry: &Entry) {
        self.changed.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut new) = self.new.lock() {
            let stored = Stored { key: key.to_string(), result: entry_text(entry), seen: 0 };
            new.insert(path.to_string(), stored);
        }
    }

    /// Writes the entries of this run over those in the cache file now (another run may have saved since this one
    /// read it), under a lock so that two runs saving at once both keep their entries, and prunes it to its bound
    /// (`MAX_AGE_RUNS`, `MAX_ENTRIES`). The file is replaced by a rename: a reader or a kill sees the old file or
    /// the new one. The cache files of other pyfix versions are deleted. A run that only used entries (none added,
    /// none near their age bound) from a whole file leaves it as it is. `Err`: a note.
    pub fn save(self) -> Result<(), String> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let fail = |what: &str, e: std::io::Error| {
            format!(
                "{}: cannot {what} the cache ({}); continuing without it",
                dir.display(),
                crate::discovery::describe_io(&e)
            )
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create", e))?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            crate::write::create_or_replace(&ignore, b"# Created by pyfix: its cache, never committed.\n*\n")
                .map_err(|e| fail("write", e))?;
        }
        remove_other_versions(dir);
        // Nothing added, nothing near its age bound, a whole file: nothing to write (a large project's results are
        // megabytes, and a pre-commit run names a few files of it).
        let soon_old = |seen: u64| seen + MAX_AGE_RUNS / 2 <= self.last_run + 1;
        let words_unchanged = self.new_words.lock().is_ok_and(|w| w.is_empty())
            && self.used_words.lock().is_ok_and(|u| !u.iter().any(|&(_, seen)| soon_old(seen)));
        let results_unchanged = self.clean
            && !self.changed.load(std::sync::atomic::Ordering::Relaxed)
            && self.new.lock().is_ok_and(|n| !n.values().any(|s| soon_old(s.seen)));
        if words_unchanged && results_unchanged {
            return Ok(());
        }
        // Held until the end of this function. Where locks are not supported, the last run to save wins: some
        // entries are lost, the file is never mixed.
        let _lock = lock(&self.file.with_extension("lock"));
        let (mut all, last_run) = match std::fs::read(&self.file).ok().and_then(|bytes| parse(&bytes)) {
            Some(now) => (now.entries, now.run.max(self.last_run)),
            None => (self.old, self.last_run),
        };
        let run = last_run + 1;
        let new_words = self.new_words.into_inner().unwrap_or_default();
        let used_words = self.used_words.into_inner().unwrap_or_default();
        // The words file is rewritten when this run computed words, or used some that would otherwise soon be
        // too old: not on every run that only read it (a project's words are megabytes).
        if !new_words.is_empty() || used_words.iter().any(|&(_, seen)| seen + MAX_AGE_RUNS / 2 <= run) {
            let words_file = self.file.with_extension("words");
            let mut all = read_words(&words_file).unwrap_or_default();
            for (key, _) in used_words {
                if let Some((seen, _)) = all.get_mut(&key) {
                    *seen = run;
                }
            }
            all.extend(new_words.into_iter().map(|(key, words)| (key, (run, words))));
            prune_words(&mut all, run);
            crate::write::create_or_replace(&words_file, &words_to_bytes(&all)).map_err(|e| fail("write", e))?;
        }
        let new = self.new.into_inner().unwrap_or_default();
        // One `stat` per entry this run did not use: the file may be gone (deleted, renamed).
        all.retain(|path, _| new.contains_key(path) || self.root.join(path).exists());
        all.extend(new.into_iter().map(|(path, stored)| (path, Stored { seen: run, ..stored })));
        prune(&mut all, run, MAX_AGE_RUNS, MAX_ENTRIES);
        let files: serde_json::Map<String, Value> = all
            .into_iter()
            .map(|(path, Stored { key, result, seen })| {
                let sum = checksum(&key, &result);
                (path, json!({ "v": FORMAT, "key": key, "sum": sum, "seen": seen, "result": result }))
            })
            .collect();
        let doc = json!({ "format": FORMAT, "build": build_id(), "run": run, "files": files });
        crate::write::create_or_replace(&self.file, doc.to_string().as_bytes()).map_err(|e| fail("write", e))
    }
}

impl crate::project::WordStore for Cache {
    fn words(&self, key: u128) -> Option<Vec<u32>> {
        let old = self.old_words.get_or_init(|| read_words(&self.file.with_extension("words")).unwrap_or_default());
        let (seen, words) = old.get(&key)?;
        // Used by this run: kept for `MAX_AGE_RUNS` more runs.
        self.used_words.lock().ok()?.push((key, *seen));
        Some(words.clone())
    }

    fn keep_words(&self, key: u128, words: &[u32]) {
        if let Ok(mut new) = self.new_words.lock() {
            new.insert(key, words.to_vec());
        }
    }
}

/// The first bytes of a words file: a name, then the format version and the build (`build_id`).
const WORDS_MAGIC: &[u8; 8] = b"pyfixwd\0";

/// A words file: `WORDS_MAGIC`, `FORMAT` (u32), the build id (16 bytes), then per entry its key (u128), the run
/// that last used it (u64), its number of words (u32), the words (u32 each) and an FNV-1a checksum (u64) of all
/// that; little-endian. `None`: no file, another format or build, or a file cut short. A corrupt entry is dropped,
/// the others kept.
fn read_words(path: &Path) -> Option<WordEntries> {
    let bytes = std::fs::read(path).ok()?;
    let header = words_header();
    let mut rest = bytes.strip_prefix(header.as_slice())?;
    let mut out = HashMap::new();
    let take = |rest: &mut &[u8], n: usize| -> Option<Vec<u8>> {
        let (head, tail) = rest.split_at_checked(n)?;
        *rest = tail;
        Some(head.to_vec())
    };
    while !rest.is_empty() {
        let start = rest;
        let fixed = take(&mut rest, 28)?;
        let key = u128::from_le_bytes(fixed[..16].try_into().ok()?);
        let seen = u64::from_le_bytes(fixed[16..24].try_into().ok()?);
        let n = usize::try_from(u32::from_le_bytes(fixed[24..28].try_into().ok()?)).ok()?;
        let body = take(&mut rest, n.checked_mul(4)?)?;
        let sum = u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let mut h = crate::hash::Fnv::default();
        h.write(&start[..28 + 4 * n]);
        if h.0 == sum {
            let words = body.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default())).collect();
            out.insert(key, (seen, words));
        }
    }
    Some(out)
}

fn words_header() -> Vec<u8> {
    let mut header = WORDS_MAGIC.to_vec();
    header.extend_from_slice(&FORMAT.to_le_bytes());
    header.extend_from_slice(build_id().as_bytes());
    header
}

fn words_to_bytes(all: &WordEntries) -> Vec<u8> {
    let mut keys: Vec<&u128> = all.keys().collect();
    keys.sort_unstable();
    let mut out = words_header();
    for key in keys {
        let (seen, words) = &all[key];
        let start = out.len();
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&seen.to_le_bytes());
        out.extend_from_slice(&u32::try_from(words.len()).unwrap_or(u32::MAX).to_le_bytes());
        for w in words.iter().take(u32::MAX as usize) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let mut h = crate::hash::Fnv::default();
        h.write(&out[start..]);
        out.extend_from_slice(&h.0.to_le_bytes());
    }
    out
}

/// The words entries' bound: as the results' (`MAX_AGE_RUNS`, `MAX_ENTRIES`), the most recently used kept.
fn prune_words(all: &mut WordEntries, run: u64) {
    all.retain(|_, (seen, _)| *seen + MAX_AGE_RUNS > run);
    if all.len() > MAX_ENTRIES {
        let mut by_age: Vec<(u64, u128)> = all.iter().map(|(k, (seen, _))| (*seen, *k)).collect();
        by_age.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (_, key) in &by_age[MAX_ENTRIES..] {
            all.remove(key);
        }
    }
}

/// This version's cache file name: `pyfix-<version>.json`.
fn file_name() -> String {
    format!("pyfix-{}.json", env!("CARGO_PKG_VERSION"))
}

/// Deletes the cache files other pyfix versions left in `dir` and have not written for 30 days: their entries can
/// never be used here. One written lately belongs to a version still in use (a pre-commit hook pinned to one release
/// beside an installed other): deleting it would make both run cold every time. Lock files are left alone: one may
/// be held by another version's run right now (a lock on a deleted file no longer excludes anyone). Best effort: a
/// file that cannot be deleted stays.
fn remove_other_versions(dir: &Path) {
    const UNUSED: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);
    let own = file_name();
    let own_words = Path::new(&own).with_extension("words");
    let Ok(read) = std::fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = (name.ends_with(".json") || name.ends_with(".words")) && name.starts_with("pyfix-");
        if !ours || *name == own || Path::new(&*name) == own_words {
            continue;
        }
        let unused = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if unused.is_some_and(|age| age > UNUSED) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Drops the entries not used by the last `max_age` runs (`run` is this one), then, beyond `max_entries`, the
/// least recently used ones (ties broken by path, so two runs keep the same ones).
fn prune(entries: &mut Entries, run: u64, max_age: u64, max_entries: usize) {
    entries.retain(|_, stored| stored.seen + max_age > run);
    if entries.len() > max_entries {
        let mut by_age: Vec<(u64, String)> = entries.iter().map(|(p, s)| (s.seen, p.clone())).collect();
        by_age.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (_, path) in &by_age[max_entries..] {
            entries.remove(path);
        }
    }
}

/// An exclusive lock on `path` (created if needed), released when the file is dropped. `None` where it cannot be
/// had: a read-only cache directory (the save then fails with its own note), a file system without locks, or
/// another run holding it for more than two seconds (a stopped process): the save goes on without it.
fn lock(path: &Path) -> Option<std::fs::File> {
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).ok()?;
    for _ in 0..200 {
        match file.try_lock() {
            Ok(()) => return Some(file),
            Err(std::fs::TryLockError::WouldBlock) => std::thread::sleep(std::time::Duration::from_millis(10)),
            Err(std::fs::TryLockError::Error(_)) => return None,
        }
    }
    None
}

/// The checksum stored with each entry: FNV-1a (64 bits) over its key, a NUL and its result's JSON text. An entry
/// whose checksum does not match (a torn or edited file) is never used.
pub fn checksum(key: &str, result: &str) -> String {
    let mut h = crate::hash::Fnv::default();
    h.write(key.as_bytes());
    h.write(&[0]);
    h.write(result.as_bytes());
    format!("{:016x}", h.0)
}

/// The key for a file: pyfix's version and build, the file's settings (every field: `FileSettings` is what changes a file's
/// result) and its bytes.
pub fn key(bytes: &[u8], settings: &FileSettings) -> String {
    let key = crate::hash::sip128(|h| {
        env!("CARGO_PKG_VERSION").hash(h);
        build().hash(h);
        settings.hash(h);
        bytes.hash(h);
    });
    format!("{key:032x}")
}

/// This build of pyfix: its executable's size and modification time. Two builds of one version (a contributor's
/// rebuild, a reinstall) then never read each other's results; a file's result depends on the codemods' code, not
/// only on the version number.
fn build() -> Option<(u64, std::time::SystemTime)> {
    static BUILD: std::sync::OnceLock<Option<(u64, std::time::SystemTime)>> = std::sync::OnceLock::new();
    *BUILD.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        Some((meta.len(), meta.modified().ok()?))
    })
}

/// `build()` with the version, as the cache file records it: the entries of another build are dropped unread.
fn build_id() -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    build().hash(&mut h);
    format!("{:016x}", h.finish())
}

/// A cache file as read.
struct Parsed {
    entries: Entries,
    /// The number of the last run that saved it.
    run: u64,
    /// Entries dropped as corrupt.
    corrupt: usize,
}

/// The entries of a cache file and how many were dropped as corrupt (a bad checksum, a missing field). `None`: not
/// a cache file at all (truncated, not JSON). A file or entry of another format, or a file of another build, is
/// dropped without a word.
fn parse(bytes: &[u8]) -> Option<Parsed> {
    let doc: Value = serde_json::from_slice(bytes).ok()?;
    let run = doc.get("run").and_then(Value::as_u64).unwrap_or(0);
    if doc.get("format")?.as_u64()? != u64::from(FORMAT)
        || doc.get("build").and_then(Value::as_str) != Some(&build_id())
    {
        return Some(Parsed { entries: HashMap::new(), run, corrupt: 0 });
    }
    let files = doc.get("files")?.as_object()?;
    let mut out = HashMap::with_capacity(files.len());
    let mut corrupt = 0;
    for (path, v) in files {
        if v.get("v").and_then(Value::as_u64).is_some_and(|v| v != u64::from(FORMAT)) {
            continue;
        }
        let checked = || {
            let key = v.get("key")?.as_str()?;
            let result = v.get("result")?.as_str()?;
            // `seen` is bookkeeping, outside the checksum: a wrong one only changes when the entry is dropped.
            let seen = v.get("seen").and_then(Value::as_u64).unwrap_or(0);
            (v.get("v")?.as_u64()? == u64::from(FORMAT) && v.get("sum")?.as_str()? == checksum(key, result))
                .then(|| Stored { key: key.to_string(), result: result.to_string(), seen })
        };
        match checked() {
            Some(entry) => {
                out.insert(path.clone(), entry);
            }
            None => corrupt += 1,
        }
    }
    Some(Parsed { entries: out, run, corrupt })
}

/// `entry_to_json(e).to_string()`, written one report at a time: the JSON tree of a file with 400,000 findings took
/// about 8 KB a finding at its peak (3.3 GB for a 1,000,000-line file), the text takes what it holds.
fn entry_text(e: &Entry) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(128 * (e.findings.len() + e.remaining.len()) + 256);
    let reports = |out: &mut String, reports: &[Report]| {
        out.push('[');
        for (i, r) in reports.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", report_to_json(r));
        }
        out.push(']');
    };
    out.push_str("{\"findings\":");
    reports(&mut out, &e.findings);
    out.push_str(",\"remaining\":");
    reports(&mut out, &e.remaining);
    // The rest is small: its tree, written after the reports.
    let rest = Value::Object(entry_rest_json(e)).to_string();
    out.push(',');
    out.push_str(rest.strip_prefix('{').unwrap_or(&rest));
    out
}

/// An entry's fields after its reports, in the order they are written.
fn entry_rest_json(e: &Entry) -> serde_json::Map<String, Value> {
    let mut rest = serde_json::Map::new();
    rest.insert("applied".into(), json!(e.applied));
    rest.insert("fixes".into(), e.applied_fixes.iter().map(|f| json!([f.codemod, f.title])).collect());
    rest.insert("baselined".into(), json!(e.baselined));
    rest.insert("notes".into(), json!(e.notes));
    rest.insert("fixed".into(), json!(e.fixed));
    rest.insert("deps".into(), json!(e.deps.as_ref().map(deps_to_json)));
    rest
}

/// The whole tree `entry_text` writes (the tests compare the two).
#[cfg(test)]
fn entry_to_json(e: &Entry) -> Value {
    let mut tree = serde_json::Map::new();
    tree.insert("findings".into(), e.findings.iter().map(report_to_json).collect());
    tree.insert("remaining".into(), e.remaining.iter().map(report_to_json).collect());
    tree.extend(entry_rest_json(e));
    Value::Object(tree)
}

fn deps_to_json(d: &Dependencies) -> Value {
    let path = |p: &Path| p.to_string_lossy().into_owned();
    json!({
        "dotted": d.dotted.as_ref().map(|d| json!([d])),
        "relative": d.relative.as_ref().map(|r| json!([r.as_deref().map(path)])),
        "questions": d.questions.iter().map(|(words, answer)| {
            json!([words, answer.as_ref().map(|files| files.iter().map(|f| path(f)).collect::<Vec<_>>())])
        }).collect::<Vec<_>>(),
        "reads": d.reads.iter().map(|(p, key, dotted)| {
            json!([path(p), key.map(|k| format!("{k:032x}")), dotted])
        }).collect::<Vec<_>>(),
    })
}

fn deps_from_json(v: &Value) -> Option<Dependencies> {
    let opt_str = |v: &Value| match v {
        Value::Null => Some(None),
        s => s.as_str().map(|s| Some(s.to_string())),
    };
    let dotted = match v.get("dotted")? {
        Value::Null => None,
        d => Some(opt_str(d.as_array()?.first()?)?),
    };
    let relative = match v.get("relative")? {
        Value::Null => None,
        r => Some(opt_str(r.as_array()?.first()?)?.map(PathBuf::from)),
    };
    let questions = v
        .get("questions")?
        .as_array()?
        .iter()
        .map(|q| {
            let words = q.get(0)?.as_array()?.iter().map(|w| w.as_str().map(str::to_string)).collect::<Option<_>>()?;
            let answer = match q.get(1)? {
                Value::Null => None,
                a => Some(a.as_array()?.iter().map(|p| p.as_str().map(PathBuf::from)).collect::<Option<_>>()?),
            };
            Some((words, answer))
        })
        .collect::<Option<_>>()?;
    let reads = v
        .get("reads")?
        .as_array()?
        .iter()
        .map(|r| {
            let key = match r.get(1)? {
                Value::Null => None,
                k => Some(u128::from_str_radix(k.as_str()?, 16).ok()?),
            };
            Some((PathBuf::from(r.get(0)?.as_str()?), key, opt_str(r.get(2)?)?))
        })
        .collect::<Option<_>>()?;
    Some(Dependencies { dotted, relative, questions, reads })
}

/// `entry_from_json` of the JSON `text`, its reports read one at a time: the tree of a whole result took about
/// 8 KB a finding (3 GB for a warm run on a 1,000,000-line file); each field is read as its text first.
fn entry_from_text(text: &str) -> Option<Entry> {
    use serde_json::value::RawValue;
    let fields: HashMap<String, &RawValue> = serde_json::from_str(text).ok()?;
    let reports = |key: &str| -> Option<Vec<Report>> {
        let list: Vec<&RawValue> = serde_json::from_str(fields.get(key)?.get()).ok()?;
        list.into_iter().map(|r| report_from_json(&serde_json::from_str(r.get()).ok()?)).collect()
    };
    // The other fields are small: read by `entry_from_json`, with the reports left out.
    let mut rest = serde_json::Map::new();
    for (key, value) in &fields {
        let value = match key.as_str() {
            "findings" | "remaining" => Value::Array(Vec::new()),
            _ => serde_json::from_str(value.get()).ok()?,
        };
        rest.insert(key.clone(), value);
    }
    let mut entry = entry_from_json(&Value::Object(rest))?;
    entry.findings = reports("findings")?;
    entry.remaining = reports("remaining")?;
    Some(entry)
}

fn entry_from_json(v: &Value) -> Option<Entry> {
    let reports = |key: &str| v.get(key)?.as_array()?.iter().map(report_from_json).collect::<Option<Vec<_>>>();
    Some(Entry {
        findings: reports("findings")?,
        remaining: reports("remaining")?,
        applied: usize::try_from(v.get("applied")?.as_u64()?).ok()?,
        applied_fixes: v
            .get("fixes")?
            .as_array()?
            .iter()
            .map(|f| {
                let codemod = crate::codemods::by_name(f.get(0)?.as_str()?)?.name();
                Some(AppliedFix { codemod, title: f.get(1)?.as_str()?.to_string() })
            })
            .collect::<Option<_>>()?,
        baselined: usize::try_from(v.get("baselined")?.as_u64()?).ok()?,
        notes: v.get("notes")?.as_array()?.iter().map(|n| n.as_str().map(str::to_string)).collect::<Option<_>>()?,
        fixed: match v.get("fixed")? {
            Value::Null => None,
            s => Some(s.as_str()?.to_string()),
        },
        deps: match v.get("deps")? {
            Value::Null => None,
            d => Some(deps_from_json(d)?),
        },
    })
}

fn report_to_json(r: &Report) -> Value {
    json!([
        r.line,
        r.col,
        r.end_line,
        r.end_col,
        r.codemod,
        r.message,
        r.fix.map(Applicability::as_str),
        r.fix_title,
        r.reason,
        r.edits.iter().map(|e| json!([e.start.0, e.start.1, e.end.0, e.end.1, e.content])).collect::<Vec<_>>(),
        r.cell,
        r.file_lines.map(|(a, b)| [a, b]),
        r.line_hash,
    ])
}

fn report_from_json(v: &Value) -> Option<Report> {
    let a = v.as_array()?;
    let n = |i: usize| a.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
    let s = |i: usize| match a.get(i)? {
        Value::Null => Some(None),
        x => x.as_str().map(|x| Some(x.to_string())),
    };
    // The codemod name must be one this pyfix knows (the `&'static str` of the registry).
    let codemod = crate::codemods::by_name(a.get(4)?.as_str()?)?.name();
    let fix = match s(6)?.as_deref() {
        None => None,
        Some("safe") => Some(Applicability::Safe),
        Some("unsafe") => Some(Applicability::Unsafe),
        Some(_) => return None,
    };
    let edits = a
        .get(9)?
        .as_array()?
        .iter()
        .map(|e| {
            let e = e.as_array()?;
            let n = |i: usize| e.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
            Some(ReportEdit { start: (n(0)?, n(1)?), end: (n(2)?, n(3)?), content: e.get(4)?.as_str()?.to_string() })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Report {
        line: n(0)?,
        col: n(1)?,
        end_line: n(2)?,
        end_col: n(3)?,
        codemod,
        message: s(5)??,
        fix,
        fix_title: s(7)?,
        reason: s(8)?,
        edits,
        cell: match a.get(10)? {
            Value::Null => None,
            x => Some(usize::try_from(x.as_u64()?).ok()?),
        },
        file_lines: match a.get(11)? {
            Value::Null => None,
            x => {
                let pair = x.as_array()?;
                let n = |i: usize| pair.get(i)?.as_u64().and_then(|x| usize::try_from(x).ok());
                Some((n(0)?, n(1)?))
            }
        },
        line_hash: a.get(12)?.as_u64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Codemods;
    use ruff_python_ast::PythonVersion;

    #[test]
    fn an_entry_round_trips_through_json() {
        let r = Report {
            line: 2,
            col: 9,
            end_line: 2,
            end_col: 19,
            codemod: "bare-open",
            message: "m".into(),
            fix: Some(Applicability::Unsafe),
            fix_title: Some("t".into()),
            reason: Some("why".into()),
            edits: vec![ReportEdit { start: (2, 5), end: (2, 19), content: "with".into() }],
            cell: Some(3),
            file_lines: Some((40, 41)),
            line_hash: u64::MAX - 1,
        };
        let e = Entry {
            findings: vec![r.clone()],
            remaining: vec![r],
            applied: 1,
            applied_fixes: vec![AppliedFix { codemod: "bare-open", title: "Close `f` with `with`".into() }],
            baselined: 0,
            notes: vec!["n".into()],
            fixed: Some("x\n".into()),
            deps: None,
        };
        assert_eq!(entry_from_json(&entry_to_json(&e)), Some(e.clone()));
        let deps = Dependencies {
            dotted: Some(None),
            relative: Some(Some("tests/t.py".into())),
            questions: vec![(vec!["m".into(), "_c".into()], Some(vec!["/p/t.py".into()])), (vec!["x".into()], None)],
            reads: vec![("/p/t.py".into(), Some(u128::MAX - 5), Some("t".into())), ("/p/u.py".into(), None, None)],
        };
        let e = Entry { deps: Some(deps), ..e };
        assert_eq!(entry_from_json(&entry_to_json(&e)), Some(e.clone()));
        let e =
            Entry { deps: Some(Dependencies { dotted: Some(Some("pkg.m".into())), ..Dependencies::default() }), ..e };
        assert_eq!(entry_from_json(&entry_to_json(&e)), Some(e.clone()));
        assert_eq!(entry_text(&e), entry_to_json(&e).to_string());
        // The text written report by report is the tree's, byte for byte: none, one and several reports, text that
        // JSON escapes, no fixed text, no deps.
        let odd =
            Report { message: "a \"quoted\" \\ line\nand\ttab é \u{1}".into(), fix: None, ..e.findings[0].clone() };
        for (findings, remaining) in [(0, 0), (1, 0), (0, 2), (3, 2)] {
            let e = Entry {
                findings: vec![odd.clone(); findings],
                remaining: vec![e.findings[0].clone(); remaining],
                fixed: None,
                deps: None,
                notes: vec![],
                ..e.clone()
            };
            assert_eq!(entry_text(&e), entry_to_json(&e).to_string(), "{findings} {remaining}");
            assert_eq!(entry_from_json(&serde_json::from_str(&entry_text(&e)).unwrap()), Some(e.clone()));
            assert_eq!(entry_from_text(&entry_text(&e)), Some(e));
        }
    }

    #[test]
    fn an_entry_read_report_by_report_is_the_trees() {
        // Whatever the text, reading it field by field answers as reading its whole tree: the same entry, or none.
        let good = r#"{"findings":[[1,2,1,5,"bare-open","m",null,null,null,[],null,null,7]],"remaining":[],"applied":0,"fixes":[],"baselined":0,"notes":["n"],"fixed":null,"deps":null}"#;
        let texts = [
            good.to_string(),
            good.replace(r#""remaining":[]"#, r#""remaining":{}"#),
            good.replace(r#""remaining":[],"#, ""),
            good.replace(r#""notes":["n"]"#, r#""notes":[1]"#),
            good.replace(r#""bare-open""#, r#""no-such-codemod""#),
            good.replace(
                r#","deps":null"#,
                r#","deps":null,"deps":{"dotted":null,"relative":null,"questions":[],"reads":[]}"#,
            ),
            good.replace(r#""applied":0"#, r#""applied":0,"applied":2"#),
            good.replace('}', "} x"),
            good[..good.len() - 1].to_string(),
            "[]".to_string(),
            "{}".to_string(),
        ];
        for text in &texts {
            let tree = serde_json::from_str::<Value>(text).ok().and_then(|v| entry_from_json(&v));
            assert_eq!(entry_from_text(text), tree, "{text}");
        }
        assert!(entry_from_text(good).is_some());
    }

    use crate::codemods::{Closing, CodemodSettings, ResourceFactory};

    fn settings() -> FileSettings {
        use crate::codemods::ALL;
        FileSettings {
            codemods: Codemods(vec![ALL[0], ALL[1]]),
            target: crate::config::DEFAULT_TARGET,
            unsafe_fixes: false,
            apply: true,
            add_ignore: false,
            include_generated: false,
            codemod_settings: CodemodSettings {
                cache_maxsize: 128,
                resource_factories: vec![ResourceFactory {
                    qualified: "mylib.open_conn".into(),
                    closing: Closing::With,
                }],
                fix_noqa: false,
            },
            is_stub: false,
            fix_safety: crate::settings::FixSafety { safe: vec!["bare-open"], unsafe_: Vec::new() },
        }
    }

    #[test]
    fn keys_change_with_bytes_and_settings() {
        let s = settings();
        assert_eq!(key(b"a", &s), key(b"a", &settings()));
        assert_ne!(key(b"a", &s), key(b"b", &s));
        assert_eq!(key(b"a", &s).len(), 32);
    }

    /// Changing any one field of `FileSettings` changes the key. The struct is destructured without `..` and every
    /// binding is used, so a new field does not compile (or, unused, fails clippy) until it is varied here.
    #[test]
    fn every_field_of_the_file_settings_is_in_the_key() {
        let base = settings();
        let FileSettings {
            codemods,
            target,
            unsafe_fixes,
            apply,
            add_ignore,
            include_generated,
            codemod_settings,
            is_stub,
            fix_safety,
        } = base.clone();
        // The codemods' own settings, destructured the same way.
        let CodemodSettings { resource_factories, cache_maxsize, fix_noqa } = codemod_settings.clone();
        let with_codemod = |cs: CodemodSettings| FileSettings { codemod_settings: cs, ..base.clone() };
        let other = crate::codemods::ALL[2];
        let variants = [
            ("codemods", FileSettings { codemods: Codemods(vec![codemods[0], other]), ..base.clone() }),
            ("codemods (fewer)", FileSettings { codemods: Codemods(codemods[..1].to_vec()), ..base.clone() }),
            ("target", FileSettings { target: PythonVersion { minor: target.minor + 1, ..target }, ..base.clone() }),
            ("unsafe_fixes", FileSettings { unsafe_fixes: !unsafe_fixes, ..base.clone() }),
            ("apply", FileSettings { apply: !apply, ..base.clone() }),
            ("add_ignore", FileSettings { add_ignore: !add_ignore, ..base.clone() }),
            (
                "cache_maxsize",
                with_codemod(CodemodSettings { cache_maxsize: cache_maxsize + 1, ..codemod_settings.clone() }),
            ),
            ("include_generated", FileSettings { include_generated: !include_generated, ..base.clone() }),
            (
                "resource_factories",
                with_codemod(CodemodSettings {
                    resource_factories: vec![ResourceFactory {
                        closing: Closing::Closing,
                        ..resource_factories[0].clone()
                    }],
                    ..codemod_settings.clone()
                }),
            ),
            ("fix_noqa", with_codemod(CodemodSettings { fix_noqa: !fix_noqa, ..codemod_settings.clone() })),
            ("is_stub", FileSettings { is_stub: !is_stub, ..base.clone() }),
            (
                "fix_safety (safe)",
                FileSettings {
                    fix_safety: crate::settings::FixSafety { safe: Vec::new(), ..fix_safety.clone() },
                    ..base.clone()
                },
            ),
            (
                "fix_safety (unsafe)",
                FileSettings {
                    fix_safety: crate::settings::FixSafety { unsafe_: vec!["mutable-default"], ..fix_safety.clone() },
                    ..base.clone()
                },
            ),
        ];
        for (field, changed) in &variants {
            assert_ne!(changed, &base, "{field}: the variant must differ");
            assert_ne!(key(b"x = 1\n", changed), key(b"x = 1\n", &base), "{field} is not in the cache key");
        }
    }

    fn stored(seen: u64) -> Stored {
        Stored { key: "k".into(), result: "{}".into(), seen }
    }

    #[test]
    fn pruning_drops_old_entries_then_the_least_recently_used() {
        let mut entries: Entries = (0..10).map(|i| (format!("f{i}.py"), stored(i))).collect();
        // Run 12, entries kept for 5 runs: those last used by runs 8 to 11 stay.
        prune(&mut entries, 12, 5, 100);
        let mut kept: Vec<&str> = entries.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["f8.py", "f9.py"]);

        let mut entries: Entries = (0..10).map(|i| (format!("f{i}.py"), stored(i % 3 + 1))).collect();
        prune(&mut entries, 4, 100, 4);
        let mut kept: Vec<(u64, &str)> = entries.iter().map(|(p, s)| (s.seen, p.as_str())).collect();
        kept.sort_unstable();
        // The three last used by run 3 (f2, f5, f8), then the first by path of those last used by run 2.
        assert_eq!(kept, [(2, "f1.py"), (3, "f2.py"), (3, "f5.py"), (3, "f8.py")]);
    }

    #[test]
    fn a_cache_file_of_another_build_is_read_as_empty() {
        let doc = json!({ "format": FORMAT, "build": "another", "run": 7, "files": {
            "a.py": { "v": FORMAT, "key": "k", "sum": checksum("k", "{}"), "seen": 7, "result": "{}" }
        }});
        let parsed = parse(doc.to_string().as_bytes()).unwrap();
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.run, 7, "the run count goes on");
        let doc = json!({ "format": FORMAT, "build": build_id(), "run": 7, "files": doc["files"] });
        assert_eq!(parse(doc.to_string().as_bytes()).unwrap().entries.len(), 1);
    }

    #[test]
    fn words_round_trip_and_a_corrupt_entry_is_dropped_alone() {
        let all: WordEntries = [(1u128 << 100, (3, vec![1, 2, u32::MAX])), (7, (4, vec![])), (9, (4, vec![5]))].into();
        let bytes = words_to_bytes(&all);
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("w.words");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_words(&path), Some(all.clone()));
        // Entries are sorted by key: the last one is key 1 << 100; one bit of its words flipped drops it alone.
        let mut bad = bytes.clone();
        let at = bad.len() - 12;
        bad[at] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        let mut expected = all.clone();
        expected.remove(&(1u128 << 100));
        assert_eq!(read_words(&path), Some(expected));
        // Cut short, or another format: nothing.
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(read_words(&path), None);
        let mut other = bytes.clone();
        other[8] ^= 1;
        std::fs::write(&path, &other).unwrap();
        assert_eq!(read_words(&path), None);
    }

    #[test]
    fn words_not_used_for_long_are_pruned() {
        let mut all: WordEntries = [(1, (1, vec![1])), (2, (150, vec![2]))].into();
        prune_words(&mut all, 150);
        assert_eq!(all.keys().copied().collect::<Vec<_>>(), [2]);
    }
}
