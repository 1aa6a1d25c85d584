//! `FileSettings`: everything that changes what pyfix makes of one file, as one immutable value, and the `Resolver`
//! that builds it once per directory (and per-file-ignore and stub variant) and shares it by `Arc`. Reads config files
//! only through `config::ConfigFiles`, which reads each directory's once; merging flags and files is `config`'s job.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::codemods::Codemod;
use crate::config::{normalize, ConfigFiles, Flags, PerDir, PythonVersion, Scope};

/// What one file is checked with. Two files with equal `FileSettings` and equal bytes give the same result.
pub struct FileSettings {
    /// The codemods that run on the file: the selection less its per-file ignores, in registry order.
    pub codemods: Codemods,
    /// The oldest Python the file must run on.
    pub target: PythonVersion,
    pub unsafe_fixes: bool,
    /// Fixes are applied (in memory for `--dry-run`); `--check` only reports the input's findings.
    pub apply: bool,
    /// `--add-ignore`: a `# pyfix: ignore[...]` comment on each line left with a finding.
    pub add_ignore: bool,
    /// The `maxsize` for caches pyfix bounds.
    pub cache_maxsize: u32,
    /// Process the file even when it says it is generated.
    pub include_generated: bool,
    /// A project's own resource factories (`[tool.pyfix] resource-factories`): (qualified name, how to close).
    pub resource_factories: Vec<(String, String)>,
    /// A `.pyi` stub.
    pub is_stub: bool,
}

impl FileSettings {
    /// Everything in the settings that changes what a file gives: part of its cache key.
    pub fn fingerprint(&self) -> String {
        let codemods: Vec<&str> = self.codemods.iter().map(|c| c.name()).collect();
        format!(
            "{codemods:?} apply={} unsafe={} target={} add-ignore={} stub={} cache-maxsize={} \
             resource-factories={:?}",
            self.apply,
            self.unsafe_fixes,
            self.target,
            self.add_ignore,
            self.is_stub,
            self.cache_maxsize,
            self.resource_factories
        )
    }
}

/// Codemods, compared and hashed by name (the registry holds one codemod per name).
#[derive(Clone, Default)]
pub struct Codemods(pub Vec<&'static dyn Codemod>);

impl std::ops::Deref for Codemods {
    type Target = [&'static dyn Codemod];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Debug for Codemods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|c| c.name())).finish()
    }
}

/// Resolves each file's `FileSettings`: cheap to clone, safe to share between threads.
#[derive(Clone)]
pub struct Resolver {
    inner: Arc<Inner>,
}

struct Inner {
    cwd: PathBuf,
    flags: Flags,
    files: ConfigFiles,
    /// The run's config: it holds for every file.
    scope: Arc<Scope>,
    dirs: PerDir<Arc<Dir>>,
}

/// One directory's resolved settings.
struct Dir {
    /// The version the nearest config file at or above the directory states, if any.
    stated: Option<PythonVersion>,
    /// The views handed out for files here: one per (codemods per-file ignores turn off, stub).
    views: Mutex<Vec<Variant>>,
}

struct Variant {
    off: Vec<&'static str>,
    is_stub: bool,
    view: Arc<FileSettings>,
}

impl Resolver {
    pub(crate) fn new(cwd: PathBuf, flags: Flags, files: ConfigFiles, scope: Scope) -> Resolver {
        Resolver { inner: Arc::new(Inner { cwd, flags, files, scope: Arc::new(scope), dirs: PerDir::default() }) }
    }

    /// The settings `path` (as given, relative to the current directory) is checked with.
    pub fn resolve(&self, path: &Path) -> Arc<FileSettings> {
        let inner = &*self.inner;
        let abs = normalize(&inner.cwd.join(path));
        let dir = self.dir(abs.parent().unwrap_or(&inner.cwd));
        let scope = &inner.scope;
        let off = scope.ignored_for(path, &abs);
        let is_stub = path.extension().is_some_and(|e| e == "pyi");
        let mut views = dir.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(v) = views.iter().find(|v| v.off == off && v.is_stub == is_stub) {
            return v.view.clone();
        }
        let view = Arc::new(FileSettings {
            codemods: Codemods(scope.codemods.iter().copied().filter(|c| !off.contains(&c.name())).collect()),
            // `--target-version`, else the version stated by the nearest pyproject.toml/pyfix.toml above the file
            // (`target-version` in [tool.pyfix], else `[project] requires-python`), as ruff does for nested projects;
            // else the run's default.
            target: if scope.target_from_cli { scope.target } else { dir.stated.unwrap_or(scope.target) },
            unsafe_fixes: scope.unsafe_fixes,
            apply: inner.flags.apply,
            add_ignore: inner.flags.add_ignore,
            cache_maxsize: scope.cache_maxsize,
            include_generated: scope.include_generated,
            resource_factories: scope.resource_factories.clone(),
            is_stub,
        });
        views.push(Variant { off, is_stub, view: view.clone() });
        view
    }

    /// `dir` (absolute, normalised), resolved once.
    fn dir(&self, dir: &Path) -> Arc<Dir> {
        self.inner.dirs.get_or_init(dir, || {
            let stated =
                self.inner.files.of(dir).stated_version().or_else(|| dir.parent().and_then(|p| self.dir(p).stated));
            Arc::new(Dir { stated, views: Mutex::default() })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;

    fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn names(fs: &FileSettings) -> Vec<&'static str> {
        fs.codemods.iter().map(|c| c.name()).collect()
    }

    #[test]
    fn files_of_a_directory_share_one_view_per_variant() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(dir, "pyproject.toml", "[tool.pyfix]\nper-file-ignores = { \"test_*.py\" = [\"bare-open\"] }\n");
        let a = write(dir, "pkg/a.py", "");
        let b = write(dir, "pkg/b.py", "");
        let test = write(dir, "pkg/test_a.py", "");
        let stub = write(dir, "pkg/a.pyi", "");
        let settings = crate::config::resolve(&Cli { paths: vec![dir.to_path_buf()], ..Cli::default() }).unwrap();
        let view = |p: &Path| settings.file_settings(p);
        assert!(Arc::ptr_eq(&view(&a), &view(&b)), "one view for the files of a directory");
        assert!(Arc::ptr_eq(&view(&a), &view(&a)));
        assert!(names(&view(&a)).contains(&"bare-open"));
        assert!(!names(&view(&test)).contains(&"bare-open"), "per-file-ignores");
        assert!(!Arc::ptr_eq(&view(&a), &view(&test)));
        assert!(view(&stub).is_stub && !view(&a).is_stub);
        assert!(Arc::ptr_eq(&view(&test), &view(&write(dir, "pkg/test_b.py", ""))));
    }
}
