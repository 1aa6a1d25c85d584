//! `FileSettings`: everything that changes what pyfix makes of one file, as one immutable value, and the `Resolver`
//! that builds it once per directory (and per-file-ignore and stub variant) from the nearest config file above it,
//! and shares it by `Arc`. Reads config files only through `config::ConfigFiles`, which reads each directory's once;
//! merging flags and files is `config`'s job.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;

use crate::codemods::Codemod;
use crate::config::{normalize, ConfigFiles, Flags, PerDir, PythonVersion, Scope};

/// What one file is checked with. Two files with equal `FileSettings` and equal bytes give the same result, so the
/// whole value (its derived `Hash`) is the settings' part of the file's cache key: a field added here is in the key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

/// Codemods, compared and hashed by name (the registry holds one codemod per name): a key stays the same from one
/// run to the next.
#[derive(Clone, Default)]
pub struct Codemods(pub Vec<&'static dyn Codemod>);

impl Codemods {
    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|c| c.name())
    }
}

impl PartialEq for Codemods {
    fn eq(&self, other: &Self) -> bool {
        self.names().eq(other.names())
    }
}

impl Eq for Codemods {}

impl std::hash::Hash for Codemods {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for name in self.names() {
            name.hash(state);
        }
    }
}

impl std::ops::Deref for Codemods {
    type Target = [&'static dyn Codemod];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Debug for Codemods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
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
    /// `--config FILE`: it holds for every file, and no other config file is read.
    forced: Option<Arc<Scope>>,
    /// For files with no config file above them; built when first needed (it checks the flags' codemod names,
    /// which the run's config, when there is one, reports first).
    unconfigured: OnceLock<Result<Arc<Scope>, String>>,
    dirs: PerDir<Arc<Dir>>,
}

/// One directory's resolved settings.
struct Dir {
    /// The config that holds here: the directory's own, else its parent's. `Err`: that config file is invalid.
    scope: Result<Arc<Scope>, String>,
    /// The `requires-python` of the nearest pyproject.toml at or above the directory that states one.
    requires_python: Option<PythonVersion>,
    /// The views handed out for files here: one per (codemods per-file ignores turn off, stub).
    views: Mutex<Vec<Variant>>,
}

struct Variant {
    off: Vec<&'static str>,
    is_stub: bool,
    view: Arc<FileSettings>,
}

impl Resolver {
    pub(crate) fn new(cwd: PathBuf, flags: Flags, forced: Option<Scope>) -> Resolver {
        Resolver {
            inner: Arc::new(Inner {
                cwd,
                flags,
                files: ConfigFiles::default(),
                forced: forced.map(Arc::new),
                unconfigured: OnceLock::new(),
                dirs: PerDir::default(),
            }),
        }
    }

    /// The settings `path` (as given, relative to the current directory) is checked with. `Err`: the config file
    /// that holds for it is invalid.
    pub fn resolve(&self, path: &Path) -> Result<Arc<FileSettings>> {
        let inner = &*self.inner;
        let abs = normalize(&inner.cwd.join(path));
        let dir = self.dir(abs.parent().unwrap_or(&inner.cwd));
        let scope = dir.scope.as_ref().map_err(|e| anyhow::Error::msg(e.clone()))?;
        let off = scope.ignored_for(path, &abs);
        let is_stub = path.extension().is_some_and(|e| e == "pyi");
        let mut views = dir.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(v) = views.iter().find(|v| v.off == off && v.is_stub == is_stub) {
            return Ok(v.view.clone());
        }
        let view = Arc::new(FileSettings {
            codemods: Codemods(scope.codemods.iter().copied().filter(|c| !off.contains(&c.name())).collect()),
            // `--target-version`, else the config's `target-version`, else the nearest `requires-python`.
            target: scope.target.or(dir.requires_python).unwrap_or(PythonVersion::DEFAULT),
            unsafe_fixes: scope.unsafe_fixes,
            apply: inner.flags.apply,
            add_ignore: inner.flags.add_ignore,
            cache_maxsize: scope.cache_maxsize,
            include_generated: scope.include_generated,
            resource_factories: scope.resource_factories.clone(),
            is_stub,
        });
        views.push(Variant { off, is_stub, view: view.clone() });
        Ok(view)
    }

    /// `path` matches the `exclude` of the config that holds for its directory (an invalid one excludes nothing:
    /// `resolve` reports it).
    pub fn is_excluded(&self, path: &Path) -> bool {
        let abs = normalize(&self.inner.cwd.join(path));
        let dir = self.dir(abs.parent().unwrap_or(&self.inner.cwd));
        dir.scope.as_ref().is_ok_and(|scope| scope.excludes(path, &abs))
    }

    /// The config that holds for the files of `dir` (as given).
    pub(crate) fn scope(&self, dir: &Path) -> Result<Arc<Scope>> {
        let dir = self.dir(&normalize(&self.inner.cwd.join(dir)));
        dir.scope.clone().map_err(anyhow::Error::msg)
    }

    /// `dir` (absolute, normalised), resolved once: its own config file, else its parent's (no merging, as in ruff),
    /// unless `--config` forces one.
    fn dir(&self, dir: &Path) -> Arc<Dir> {
        let inner = &*self.inner;
        inner.dirs.get_or_init(dir, || {
            let files = inner.files.of(dir);
            let parent = || dir.parent().map(|p| self.dir(p));
            let scope = match &inner.forced {
                Some(forced) => Ok(forced.clone()),
                None => match files.scope(dir, &inner.flags) {
                    Some(own) => own.map(Arc::new),
                    None => match parent() {
                        Some(parent) => parent.scope.clone(),
                        None => inner
                            .unconfigured
                            .get_or_init(|| {
                                Scope::without_config(&inner.flags, &inner.cwd)
                                    .map(Arc::new)
                                    .map_err(|e| format!("{e:#}"))
                            })
                            .clone(),
                    },
                },
            };
            let requires_python = files.requires_python().or_else(|| parent().and_then(|p| p.requires_python));
            Arc::new(Dir { scope, requires_python, views: Mutex::default() })
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
        let view = |p: &Path| settings.file_settings(p).unwrap();
        assert!(Arc::ptr_eq(&view(&a), &view(&b)), "one view for the files of a directory");
        assert!(Arc::ptr_eq(&view(&a), &view(&a)));
        assert!(names(&view(&a)).contains(&"bare-open"));
        assert!(!names(&view(&test)).contains(&"bare-open"), "per-file-ignores");
        assert!(!Arc::ptr_eq(&view(&a), &view(&test)));
        assert!(view(&stub).is_stub && !view(&a).is_stub);
        assert!(Arc::ptr_eq(&view(&test), &view(&write(dir, "pkg/test_b.py", ""))));
    }
}
