//! Which files pyfix processes: paths -> sorted, de-duplicated Python files (`*.py`, `*.pyi`, `*.ipynb`).
//! Honours .gitignore/.ignore, skips hidden directories, virtualenvs and build output, and what the config that holds
//! for each directory excludes. Reads directories only (config files through `Settings`).
//! Symbolic links named on the command line are followed; links met while walking a directory are not, but a
//! dangling or looping one named `*.py` is reported.

use std::path::{Path, PathBuf};

use ignore::{DirEntry, WalkBuilder, WalkState};

use crate::config::Settings;

/// Directory names never searched (a file named explicitly is still processed).
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    "site-packages",
    ".tox",
    ".nox",
    // Vendored code belongs to another project: fix it there.
    "_vendor",
    "vendor",
    "third_party",
];

/// The error for a directory named on the command line in which no Python file is found.
pub const NO_PYTHON_FILES: &str = "no Python files found (hint: directories are searched for *.py, *.pyi and *.ipynb, \
                                   leaving out hidden, ignored and excluded paths)";

/// A directory name never searched (`venv`, `node_modules`, `_vendor`, ...).
pub fn is_skipped_dir(name: &std::ffi::OsStr) -> bool {
    SKIPPED_DIRS.contains(&name.to_string_lossy().as_ref())
}

pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// (path, reason) for a path that could not be read or does not exist, or a directory that holds no Python file
    /// pyfix would process.
    pub errors: Vec<(PathBuf, String)>,
}

pub fn python_files(settings: &Settings) -> Discovered {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in &settings.paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push((root.clone(), broken_link(root, &e).unwrap_or_else(|| describe_io(&e))));
                continue;
            }
        };
        if meta.is_file() {
            // Named explicitly: always processed, unless --force-exclude and it matches `exclude`.
            if !(settings.force_exclude && (settings.is_excluded(root) || in_skipped_dir(root, settings))) {
                files.push(root.clone());
            }
            continue;
        }
        let walker = WalkBuilder::new(root)
            .hidden(true)
            .parents(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .filter_entry({
                let root = root.clone();
                let resolver = settings.resolver.clone();
                move |entry| {
                    let path = entry.path();
                    if path == root {
                        return true;
                    }
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    let name = entry.file_name().to_string_lossy();
                    if is_dir && (SKIPPED_DIRS.contains(&name.as_ref()) || path.join("pyvenv.cfg").is_file()) {
                        return false;
                    }
                    // The `exclude` of the config that holds for the entry's directory: a nested project's own
                    // config decides what is below it, its parent's whether the project itself is excluded.
                    !resolver.is_excluded(path)
                }
            })
            .threads(walk_threads())
            .build_parallel();
        // Directories are read on several threads (the walk is otherwise the one serial step of a run); the order
        // found does not matter, both lists are sorted below.
        let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
        walker.run(|| {
            Box::new(|entry| {
                let (file, error) = visit(entry, root);
                if file.is_some() || error.is_some() {
                    if let Ok(mut found) = found.lock() {
                        found.0.extend(file);
                        found.1.extend(error);
                    }
                }
                WalkState::Continue
            })
        });
        let (walked, mut walk_errors) = found.into_inner().unwrap_or_default();
        if walked.is_empty() && walk_errors.is_empty() {
            // Named to be checked, yet nothing in it is: most likely the wrong directory, or an `exclude` that takes
            // all of it. A check that passes over zero files must not look like one that passed.
            walk_errors.push((root.clone(), NO_PYTHON_FILES.to_string()));
        }
        files.extend(walked);
        errors.extend(walk_errors);
    }
    // `pyfix . a.py` names `a.py` twice (the walk yields `./a.py`): compare and sort without the leading `./`,
    // so each file is processed once and the output is sorted by the path as shown.
    for file in &mut files {
        if let Ok(rest) = file.strip_prefix(".") {
            *file = rest.to_path_buf();
        }
    }
    crate::project::sort_paths(&mut files);
    files.dedup();
    for (path, _) in &mut errors {
        // `.` itself stays `.`: it is how the user named it.
        if let Some(rest) = path.strip_prefix(".").ok().filter(|rest| !rest.as_os_str().is_empty()) {
            *path = rest.to_path_buf();
        }
    }
    errors.sort();
    errors.dedup();
    Discovered { files, errors }
}

/// One entry of a walk below `root`: a Python file to process, or an error to report.
fn visit(entry: Result<DirEntry, ignore::Error>, root: &Path) -> (Option<PathBuf>, Option<(PathBuf, String)>) {
    match entry {
        Ok(entry) => {
            let kind = entry.file_type();
            if kind.is_some_and(|t| t.is_file()) && is_python(entry.path()) {
                return (Some(entry.into_path()), None);
            }
            if kind.is_some_and(|t| t.is_symlink()) && is_python(entry.path()) {
                // Links met in a walk are not followed (their targets are processed where they live),
                // but one that leads nowhere is reported rather than silently skipped.
                if let Err(e) = std::fs::metadata(entry.path()) {
                    let reason = broken_link(entry.path(), &e).unwrap_or_else(|| describe_io(&e));
                    return (None, Some((entry.into_path(), reason)));
                }
            }
            (None, None)
        }
        Err(err) => {
            let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
            (None, Some((path, err.to_string())))
        }
    }
}

/// As many threads for the walk as rayon uses for the files: `RAYON_NUM_THREADS`, else one per core.
fn walk_threads() -> usize {
    let from_env = std::env::var("RAYON_NUM_THREADS").ok().and_then(|n| n.parse::<usize>().ok()).filter(|n| *n > 0);
    from_env.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

pub fn is_python(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi" | "ipynb"))
}

/// Only directories below the config root (or the current directory) count: an editor passing
/// `/home/u/build/proj/a.py` for a project in `/home/u/build/proj` is not asking about a `build/` directory.
pub fn in_skipped_dir(path: &Path, settings: &Settings) -> bool {
    let rel = crate::config::relative_to_root(path, &settings.cwd, &settings.root);
    let dir = if rel.is_relative() { rel.parent() } else { path.parent() };
    dir.is_some_and(|d| d.components().any(|c| SKIPPED_DIRS.contains(&c.as_os_str().to_string_lossy().as_ref())))
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}

/// Why a symbolic link cannot be followed, when `path` is one and `err` came from following it.
fn broken_link(path: &Path, err: &std::io::Error) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    let target = target.display();
    if err.kind() == std::io::ErrorKind::NotFound {
        Some(format!("dangling symbolic link: its target `{target}` does not exist"))
    } else if err.raw_os_error() == Some(40) {
        // ELOOP
        Some(format!("symbolic link loop: `{target}` leads back to itself"))
    } else {
        None
    }
}

/// An IO error as a user reads it: "no such file or directory", not "No such file or directory (os error 2)".
pub fn describe_io(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => text,
    }
}
