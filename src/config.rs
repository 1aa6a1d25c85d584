//! `Settings`: the run's settings, from the command line and the config found from the first path; each file's own
//! (`settings::FileSettings`) come from the nearest config above it, laid over with the same flags (`Scope`), built once
//! per directory by the `Resolver`.
//! Reads config files (each directory's once); resolves codemod names; owns no other IO. CLI flags win over files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{anyhow, bail, Context as _, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
pub use ruff_python_ast::PythonVersion;

use crate::cli::{Cli, ColorChoice, OutputFormat};
use crate::codemods::{self, Closing, Codemod, CodemodSettings, ResourceFactory};
use crate::settings::{Codemods, FileSettings, FixSafety};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Apply fixes in place.
    Fix,
    /// Print diffs, write nothing.
    DryRun,
    /// Print findings, write nothing.
    Check,
}

/// The oldest Python pyfix assumes when nothing states one.
pub const DEFAULT_TARGET: PythonVersion = PythonVersion::PY39;

/// "3.10" -> 3.10, for `target-version`: a version pyfix knows (`PythonVersion::iter()`, 3.7 to 3.15), minor
/// included. Extra parts ("3.10.2") are ignored. `None` for anything else ("3", "3.99", "2.7", "3.x").
pub fn parse_version(s: &str) -> Option<PythonVersion> {
    let s = s.trim().trim_start_matches("py").trim_start_matches('v');
    let (_, minor) = s.split_once('.')?;
    let minor = minor.split('.').next()?;
    if minor.trim().is_empty() || !minor.trim().bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_number(s).filter(|v| PythonVersion::iter().any(|known| known == *v))
}

/// The error's hint for a `target-version` `parse_version` refuses: the versions it accepts.
pub fn version_hint() -> String {
    let mut known = PythonVersion::iter();
    let first = known.next().unwrap_or(PythonVersion::lowest());
    let last = known.last().unwrap_or(first);
    format!("hint: one of {first} to {last}, written as 3.9")
}

/// "3.10" -> 3.10, "3" -> 3.0; any Python 3 version, known to pyfix or not.
fn parse_number(s: &str) -> Option<PythonVersion> {
    let s = s.trim().trim_start_matches("py").trim_start_matches('v');
    let mut parts = s.split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = match parts.next() {
        Some(m) => m.trim().trim_end_matches('*').parse().ok()?,
        None => 0,
    };
    if major != 3 {
        return None;
    }
    Some(PythonVersion { major, minor })
}

/// The lowest version a `requires-python` specifier admits: ">=3.8" -> 3.8, "~=3.10" -> 3.10; brought into the
/// versions pyfix knows (">=3.6" -> 3.7, as ruff reads it: code for 3.6 must run on 3.7 too).
pub fn lowest_required(spec: &str) -> Option<PythonVersion> {
    let mut known = PythonVersion::iter();
    let lowest = known.next()?;
    let latest = known.last().unwrap_or(lowest);
    spec.split(',')
        .filter_map(|clause| {
            let clause = clause.trim();
            let (op, rest) = [">=", "~=", "==", ">"].iter().find_map(|op| clause.strip_prefix(op).map(|r| (*op, r)))?;
            let mut v = parse_number(rest)?;
            if op == ">" && rest.trim().split('.').count() <= 2 {
                v.minor += 1;
            }
            Some(v.clamp(lowest, latest))
        })
        .min()
}

/// functools' own default for `lru_cache(maxsize=...)`.
pub const DEFAULT_CACHE_MAXSIZE: u32 = 128;

/// The run's settings. What a file is checked with (codemods, target version, ...) is not here but in its
/// `FileSettings`: ask `file_settings`.
pub struct Settings {
    pub paths: Vec<PathBuf>,
    /// `pyfix -`: the source comes from stdin (and `paths` is empty).
    pub stdin: bool,
    /// What the stdin source is called, with `--stdin-filename`.
    pub stdin_filename: Option<PathBuf>,
    pub mode: Mode,
    pub force_exclude: bool,
    pub quiet: bool,
    pub color: bool,
    pub output_format: OutputFormat,
    pub statistics: bool,
    /// --show-skipped: list the files skipped as generated before the summary.
    pub show_skipped: bool,
    /// --show-fixes: list the fixes applied per file after the run.
    pub show_fixes: bool,
    /// --exit-non-zero-on-fix: a fix run that changed a file exits with 1.
    pub exit_non_zero_on_fix: bool,
    /// Where per-file results are kept between runs; `None` with --no-cache.
    pub cache_dir: Option<PathBuf>,
    /// The directory of the run's config file (or the current directory), absolute: where the cache is, and what
    /// its entries' paths are relative to.
    pub root: PathBuf,
    /// The current directory, which relative command-line paths are relative to.
    pub cwd: PathBuf,
    /// The run's config file (`--config`, else the one found from the first path), if any.
    pub config_file: Option<PathBuf>,
    /// `--evidence`, merged: findings get a verdict and are ranked by it.
    pub evidence: Option<crate::evidence::Evidence>,
    /// `--select-confirmed`: only the findings the evidence confirms (never without `evidence`).
    pub select_confirmed: bool,
    /// Each file's settings, resolved once per directory.
    pub(crate) resolver: Resolver,
}

impl Settings {
    /// The settings `path` is checked with. `Err`: the config file that holds for it is invalid. Thread-safe; cheap
    /// after the first file of a directory.
    pub fn file_settings(&self, path: &Path) -> Result<Arc<FileSettings>> {
        self.resolver.resolve(path)
    }

    /// `path` matches the `exclude` of the config that holds for its directory.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.resolver.is_excluded(path)
    }
}

/// The command-line flags that bear on what a file gives, laid over the config file that holds for it.
pub(crate) struct Flags {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub target_version: Option<String>,
    pub unsafe_fixes: bool,
    pub cache_maxsize: Option<u32>,
    pub include_generated: bool,
    /// `--parse-only`: no codemod runs.
    pub parse_only: bool,
    /// Fixes are applied (in memory for `--dry-run`): not for `--check`, which reports the input's findings, unless
    /// `--add-ignore` needs to know what the fixes leave.
    pub apply: bool,
    pub add_ignore: bool,
}

/// One config file's settings (or the defaults, without one) with the flags laid over them: what holds for every
/// file the config governs, before its per-file ignores.
pub(crate) struct Scope {
    /// The config file, if any.
    pub file: Option<PathBuf>,
    /// The directory of the config file (or the current directory), absolute: what its patterns are relative to.
    pub dir: PathBuf,
    /// Selected codemods, in registry order.
    pub codemods: Vec<&'static dyn Codemod>,
    /// `exclude` + `extend-exclude` + pyfix's defaults, matched against paths relative to `dir` and file names.
    pub exclude: GlobSet,
    /// (pattern, codemods it turns off).
    pub per_file_ignores: Vec<(GlobSet, Vec<&'static str>)>,
    /// `--target-version`, else the config's `target-version`; else each file takes the nearest `requires-python`.
    pub target: Option<PythonVersion>,
    pub unsafe_fixes: bool,
    /// Process files that say they are generated (`@generated`, "do not edit", ...).
    pub include_generated: bool,
    /// `cache-maxsize` (`--cache-maxsize`) and `resource-factories`, typed.
    pub codemod_settings: CodemodSettings,
    /// `cache-dir` as written, relative to `dir`: only the run's config's counts.
    pub cache_dir: Option<PathBuf>,
    /// `extend-safe-fixes` and `extend-unsafe-fixes`, checked.
    pub fix_safety: FixSafety,
}

impl Scope {
    /// The defaults and the flags, for files no config file holds for; patterns (there are none) relative to `cwd`.
    pub fn without_config(flags: &Flags, cwd: &Path) -> Result<Scope> {
        Scope::new(flags, &FileConfig::default(), None, normalize(cwd))
    }

    /// `--config FILE`: the one config for every file.
    pub fn forced(flags: &Flags, path: &Path, cwd: &Path) -> Result<Scope> {
        if !path.is_file() {
            bail!("{}: config file not found (hint: --config takes a pyproject.toml or pyfix.toml)", path.display());
        }
        let cfg = read_config(path, true)?;
        Scope::new(flags, &cfg, Some(path), normalize(&cwd.join(path.parent().unwrap_or(Path::new("")))))
    }

    /// `file` (read from `config_file`, if any) with `flags` laid over it. Checks every codemod name and pattern.
    fn new(flags: &Flags, file: &FileConfig, config_file: Option<&Path>, dir: PathBuf) -> Result<Scope> {
        let where_ = |key: &str| match config_file {
            Some(p) => format!("{}: [tool.pyfix] {key}", shown(p)),
            None => key.to_string(),
        };

        let select = match (&flags.select, &file.select) {
            (Some(names), _) => resolve_names(names, "--select")?,
            (None, Some(names)) => resolve_names(names, &where_("select"))?,
            (None, None) => codemods::ALL.iter().map(|c| c.name()).collect(),
        };
        let mut ignored = Vec::new();
        if let Some(names) = &file.ignore {
            ignored.extend(resolve_names(names, &where_("ignore"))?);
        }
        if let Some(names) = &flags.ignore {
            ignored.extend(resolve_names(names, "--ignore")?);
        }
        let selected: Vec<&'static dyn Codemod> = codemods::ALL
            .iter()
            .copied()
            .filter(|c| select.contains(&c.name()) && !ignored.contains(&c.name()))
            .collect();

        let mut patterns: Vec<String> = file.exclude.clone().unwrap_or_default();
        patterns.extend(file.extend_exclude.iter().cloned());
        let exclude = glob_set(&patterns, &where_("exclude"))?;

        let mut per_file_ignores = Vec::new();
        for (pattern, names) in &file.per_file_ignores {
            let set = glob_set(std::slice::from_ref(pattern), &where_("per-file-ignores"))?;
            per_file_ignores.push((set, resolve_names(names, &where_(&format!("per-file-ignores.\"{pattern}\"")))?));
        }

        let from_cli = flags.target_version.as_ref().map(|v| {
            parse_version(v).ok_or_else(|| {
                anyhow!("--target-version: `{v}` is not a Python version pyfix knows ({})", version_hint())
            })
        });
        let target = from_cli.transpose()?.or(file.target_version);
        let fix_safety = fix_safety(file, &where_)?;
        Ok(Scope {
            file: config_file.map(Path::to_path_buf),
            dir,
            codemods: if flags.parse_only { Vec::new() } else { selected },
            exclude,
            per_file_ignores,
            target,
            unsafe_fixes: flags.unsafe_fixes || file.unsafe_fixes.unwrap_or(false),
            include_generated: flags.include_generated || file.include_generated.unwrap_or(false),
            codemod_settings: CodemodSettings {
                cache_maxsize: flags.cache_maxsize.or(file.cache_maxsize).unwrap_or(DEFAULT_CACHE_MAXSIZE),
                resource_factories: file.resource_factories.clone(),
                fix_noqa: file.fix_noqa.unwrap_or(false),
            },
            cache_dir: file.cache_dir.clone(),
            fix_safety,
        })
    }

    /// `path` (`abs`: the same path, absolute and normalised) matches `exclude`.
    pub fn excludes(&self, path: &Path, abs: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let rel = abs.strip_prefix(&self.dir).unwrap_or(abs);
        self.exclude.is_match(rel) || path.file_name().is_some_and(|n| self.exclude.is_match(n))
    }

    /// The codemods `per-file-ignores` turns off for `path` (`abs`: the same path, absolute and normalised).
    pub fn ignored_for(&self, path: &Path, abs: &Path) -> Vec<&'static str> {
        let rel = abs.strip_prefix(&self.dir).unwrap_or(abs);
        self.per_file_ignores
            .iter()
            .filter(|(set, _)| {
                set.is_match(rel) || set.is_match(path) || path.file_name().is_some_and(|n| set.is_match(n))
            })
            .flat_map(|(_, names)| names.iter().copied())
            .collect()
    }
}

const KEYS: &[&str] = &[
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "unsafe-fixes",
    "per-file-ignores",
    "target-version",
    "cache-maxsize",
    "include-generated",
    "resource-factories",
    "cache-dir",
    "bare-open",
    "extend-safe-fixes",
    "extend-unsafe-fixes",
];

/// The keys of `[tool.pyfix.bare-open]`.
const BARE_OPEN_KEYS: &[&str] = &["fix-noqa"];

/// `extend-safe-fixes` and `extend-unsafe-fixes`: codemod names checked as `select`'s are; a codemod in both is an
/// error (which one wins would be a guess).
fn fix_safety(file: &FileConfig, where_: &dyn Fn(&str) -> String) -> Result<FixSafety> {
    let names = |list: &Option<Vec<String>>, key: &str| -> Result<Vec<&'static str>> {
        let named = match list {
            Some(names) => resolve_names(names, &where_(key))?,
            None => Vec::new(),
        };
        Ok(codemods::ALL.iter().map(|c| c.name()).filter(|n| named.contains(n)).collect())
    };
    let safe = names(&file.extend_safe_fixes, "extend-safe-fixes")?;
    let unsafe_ = names(&file.extend_unsafe_fixes, "extend-unsafe-fixes")?;
    if let Some(both) = safe.iter().find(|n| unsafe_.contains(n)) {
        bail!(
            "{}: `{both}` is also in extend-unsafe-fixes; a codemod's fixes are either made safe or made unsafe \
             (hint: remove it from one of the two lists)",
            where_("extend-safe-fixes")
        );
    }
    Ok(FixSafety { safe, unsafe_ })
}

/// A value per directory, computed once however many threads ask (files are resolved on rayon's threads). `init` may
/// ask for other directories (its parent): no lock is held while it runs.
type DirMap<V> = rustc_hash::FxHashMap<Box<[u8]>, Arc<OnceLock<V>>>;

pub(crate) struct PerDir<V> {
    /// Keyed by the path's bytes: `Path`'s own `Hash` walks its components, which cost more than the lookup itself
    /// when every entry of a walk asks (the keys are absolute and normalised, so bytes compare like paths).
    map: Mutex<DirMap<V>>,
}

impl<V> Default for PerDir<V> {
    fn default() -> Self {
        PerDir { map: Mutex::default() }
    }
}

impl<V: Clone> PerDir<V> {
    pub fn get_or_init(&self, dir: &Path, init: impl FnOnce() -> V) -> V {
        let key = dir.as_os_str().as_encoded_bytes();
        let cell = {
            let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match map.get(key) {
                Some(cell) => cell.clone(),
                None => map.entry(key.into()).or_default().clone(),
            }
        };
        cell.get_or_init(init).clone()
    }
}

/// Each directory's pyfix.toml and pyproject.toml, read once.
#[derive(Default)]
pub(crate) struct ConfigFiles {
    dirs: PerDir<Arc<DirFiles>>,
}

/// What one directory's config files say: `None` when there is no such file, `Err` (the message) when it cannot be
/// read or parsed. Boxed: one is kept per directory of the run, and most directories have neither file.
pub(crate) struct DirFiles {
    pyfix: Option<Box<Result<FileConfig, String>>>,
    pyproject: Option<Box<Result<FileConfig, String>>>,
}

impl ConfigFiles {
    pub fn of(&self, dir: &Path) -> Arc<DirFiles> {
        self.dirs.get_or_init(dir, || {
            let read = |name: &str| {
                let path = dir.join(name);
                path.is_file().then(|| Box::new(read_config(&path, false).map_err(|e| format!("{e:#}"))))
            };
            Arc::new(DirFiles { pyfix: read("pyfix.toml"), pyproject: read("pyproject.toml") })
        })
    }
}

impl DirFiles {
    /// The settings this directory's own config file sets up (`dir` is the directory): its pyfix.toml, else its
    /// pyproject.toml when that has a [tool.pyfix] table. `None`: it has no config file; `Err`: the file that would
    /// say cannot be read or parsed, or says something invalid.
    pub fn scope(&self, dir: &Path, flags: &Flags) -> Option<Result<Scope, String>> {
        let (name, read) = match (self.pyfix.as_deref(), self.pyproject.as_deref()) {
            (Some(read), _) => ("pyfix.toml", read),
            (None, Some(Ok(cfg))) if !cfg.has_table => return None,
            (None, Some(read)) => ("pyproject.toml", read),
            (None, None) => return None,
        };
        let path = dir.join(name);
        Some(match read {
            Ok(cfg) => Scope::new(flags, cfg, Some(&path), dir.to_path_buf()).map_err(|e| format!("{e:#}")),
            Err(e) => Err(e.clone()),
        })
    }

    /// The `[project] requires-python` of the directory's pyproject.toml, when it states one and can be read. A
    /// file that cannot be read or parsed states nothing here: whether it stops the run is up to `scope`.
    pub fn requires_python(&self) -> Option<PythonVersion> {
        self.pyproject.as_deref()?.as_ref().ok()?.requires_python
    }
}

/// What a config file said, before the command line is laid over it.
#[derive(Clone, Default)]
struct FileConfig {
    /// A pyproject.toml has a [tool.pyfix] table (a pyfix.toml always counts as one).
    has_table: bool,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    extend_exclude: Vec<String>,
    unsafe_fixes: Option<bool>,
    per_file_ignores: Vec<(String, Vec<String>)>,
    target_version: Option<PythonVersion>,
    requires_python: Option<PythonVersion>,
    cache_maxsize: Option<u32>,
    include_generated: Option<bool>,
    resource_factories: Vec<ResourceFactory>,
    cache_dir: Option<PathBuf>,
    fix_noqa: Option<bool>,
    extend_safe_fixes: Option<Vec<String>>,
    extend_unsafe_fixes: Option<Vec<String>>,
}

pub fn resolve(cli: &Cli) -> Result<Settings> {
    // `--evidence e.json src/`: clap gives `src/` to --evidence, which takes several files; it is a PATH.
    let (given_paths, evidence_files) = evidence_args(cli);
    let dash = Path::new("-");
    let stdin = given_paths.iter().any(|p| p == dash) || (given_paths.is_empty() && cli.stdin_filename.is_some());
    if cli.select_confirmed && evidence_files.is_empty() {
        bail!(
            "--select-confirmed keeps the findings runtime evidence confirms, and no --evidence was given (hint: \
             record a run with `pyfix trace --out run.json -- COMMAND`, then pass `--evidence run.json`)"
        );
    }
    let evidence = if evidence_files.is_empty() { None } else { Some(crate::evidence::load(&evidence_files)?) };
    if stdin && given_paths.len() > 1 {
        bail!("`-` (read stdin) cannot be combined with other paths (hint: run pyfix once for stdin, once for files)");
    }
    if !stdin && cli.stdin_filename.is_some() {
        bail!("--stdin-filename names the source read from stdin (hint: pass `-` instead of file paths)");
    }
    let paths = if stdin {
        Vec::new()
    } else if given_paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        given_paths
    };
    let cwd = std::env::current_dir().context("reading the current directory")?;
    // Config is searched from the first path; for stdin, from --stdin-filename's directory (else the current one).
    let first = match (&cli.stdin_filename, paths.first()) {
        (Some(name), _) => name.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => PathBuf::from("."),
    };
    // `--statistics` is a report, as in ruff: it never writes, whatever else is asked.
    let mode = if cli.check || cli.statistics {
        Mode::Check
    } else if cli.dry_run {
        Mode::DryRun
    } else {
        Mode::Fix
    };
    let flags = Flags {
        select: cli.select.clone(),
        ignore: cli.ignore.clone(),
        target_version: cli.target_version.clone(),
        unsafe_fixes: cli.unsafe_fixes,
        cache_maxsize: cli.cache_maxsize,
        include_generated: cli.include_generated,
        parse_only: cli.parse_only,
        apply: mode != Mode::Check || cli.add_ignore,
        add_ignore: cli.add_ignore,
    };
    let forced = match &cli.config {
        Some(path) => Some(Scope::forced(&flags, path, &cwd)?),
        None => None,
    };
    let resolver = Resolver::new(cwd.clone(), flags, forced);
    // The run's own config: a bad one stops the run here, before any file is read.
    let run = resolver.scope(&start_dir(&first, &cwd))?;
    let root = run.dir.clone();

    use std::io::IsTerminal;
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Ok(Settings {
        paths,
        stdin,
        stdin_filename: cli.stdin_filename.clone(),
        mode,
        force_exclude: cli.force_exclude,
        quiet: cli.quiet,
        color,
        output_format: cli.output_format,
        statistics: cli.statistics,
        show_skipped: cli.show_skipped,
        show_fixes: cli.show_fixes,
        exit_non_zero_on_fix: cli.exit_non_zero_on_fix,
        cache_dir: (!cli.no_cache).then(|| root.join(run.cache_dir.as_deref().unwrap_or(Path::new(".pyfix_cache")))),
        root,
        cwd,
        config_file: run.file.clone(),
        evidence,
        select_confirmed: cli.select_confirmed,
        resolver,
    })
}

/// The command line's paths and evidence files. `--evidence` takes several files, so clap also gives it the PATHs
/// that follow it: a directory, a Python file (`.py`, `.pyi`, `.ipynb`) or `-` there is a PATH.
fn evidence_args(cli: &Cli) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut paths = cli.paths.clone();
    let mut files = Vec::new();
    for p in &cli.evidence {
        let python = p.extension().is_some_and(|e| e == "py" || e == "pyi" || e == "ipynb");
        if python || p.is_dir() || p == Path::new("-") {
            paths.push(p.clone());
        } else {
            files.push(p.clone());
        }
    }
    (paths, files)
}

/// `path` as seen from `root`, for matching globs: made absolute against `cwd`, `.` and `..` resolved (by hand,
/// without IO), then stripped of `root`. `./tests/x.py` and `../proj/tests/x.py` both give `tests/x.py`.
/// A path outside `root` comes back absolute.
pub fn relative_to_root(path: &Path, cwd: &Path, root: &Path) -> PathBuf {
    let abs = normalize(&cwd.join(path));
    abs.strip_prefix(root).map(Path::to_path_buf).unwrap_or(abs)
}

/// Drops `.` components and resolves `..` against the component before it: `/a/./b/../c` -> `/a/c`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    // Most paths (every entry of a directory walk) have no `.` or `..` to resolve: copy them as they are. (Read the
    // bytes: `components()` itself drops an inner `.`, and this must see it.)
    let bytes = path.as_os_str().as_encoded_bytes();
    if !bytes.split(|b| *b == b'/' || *b == std::path::MAIN_SEPARATOR as u8).any(|seg| seg == b"." || seg == b"..") {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn start_dir(first: &Path, cwd: &Path) -> PathBuf {
    // Normalised, so `pyfix ..` searches from the parent and errors name `/p/pyproject.toml`, not `/p/./pyproject.toml`.
    let abs = normalize(&cwd.join(first));
    if abs.is_dir() {
        abs
    } else {
        abs.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf())
    }
}

fn parse_toml(path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", shown(path)))?;
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let msg = e.message().lines().next().unwrap_or("invalid TOML").to_string();
        match line {
            Some(l) => {
                anyhow!("{}:{l}: invalid TOML: {msg} (hint: fix the file or pass another with --config)", shown(path))
            }
            None => {
                anyhow!("{}: invalid TOML: {msg} (hint: fix the file or pass another with --config)", shown(path))
            }
        }
    })
}

/// Reads a pyproject.toml ([tool.pyfix]) or a pyfix.toml (top level, or [tool.pyfix] too).
fn read_config(path: &Path, explicit: bool) -> Result<FileConfig> {
    let table = parse_toml(path)?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let requires_python =
        table.get("project").and_then(|p| p.get("requires-python")).and_then(|v| v.as_str()).and_then(lowest_required);
    let has_table = table.get("tool").and_then(|t| t.get("pyfix")).is_some();
    let section = match table.get("tool").and_then(|t| t.get("pyfix")) {
        Some(s) => Some(s.clone()),
        None if is_pyproject => None,
        None => Some(toml::Value::Table(table.clone())),
    };
    let Some(section) = section else {
        if explicit {
            bail!("{}: no [tool.pyfix] table (hint: add one, or pass a pyfix.toml)", shown(path));
        }
        return Ok(FileConfig { has_table, requires_python, ..FileConfig::default() });
    };
    let table = section.as_table().ok_or_else(|| anyhow!("{}: [tool.pyfix] must be a table", shown(path)))?;
    let loc = |key: &str| format!("{}: [tool.pyfix] {key}", shown(path));
    let mut cfg = FileConfig { has_table, requires_python, ..FileConfig::default() };
    for (key, value) in table {
        match key.as_str() {
            "select" => cfg.select = Some(string_list(value, &loc(key))?),
            "ignore" => cfg.ignore = Some(string_list(value, &loc(key))?),
            "exclude" => cfg.exclude = Some(string_list(value, &loc(key))?),
            "extend-exclude" => cfg.extend_exclude = string_list(value, &loc(key))?,
            "unsafe-fixes" => {
                cfg.unsafe_fixes = Some(value.as_bool().ok_or_else(|| anyhow!("{}: expected true or false", loc(key)))?)
            }
            "include-generated" => {
                cfg.include_generated =
                    Some(value.as_bool().ok_or_else(|| anyhow!("{}: expected true or false", loc(key)))?)
            }
            "target-version" => {
                let s = value.as_str().ok_or_else(|| anyhow!("{}: expected a string such as \"3.9\"", loc(key)))?;
                cfg.target_version = Some(parse_version(s).ok_or_else(|| {
                    anyhow!("{}: `{s}` is not a Python version pyfix knows ({})", loc(key), version_hint())
                })?);
            }
            "resource-factories" => {
                let t = value.as_table().ok_or_else(|| {
                    anyhow!(
                        "{}: expected a table of \"module.factory\" = \"with\" | \"closing\" | \"async-with\"",
                        loc(key)
                    )
                })?;
                for (factory, how) in t {
                    let closing = how.as_str().and_then(Closing::from_name).ok_or_else(|| {
                        let names: Vec<&str> = Closing::NAMES.iter().map(|(n, _)| *n).collect();
                        anyhow!(
                            "{}: expected one of {} (hint: \"closing\" for objects whose `__exit__` does not close)",
                            loc(&format!("{key}.\"{factory}\"")),
                            names.join(", ")
                        )
                    })?;
                    cfg.resource_factories.push(ResourceFactory { qualified: factory.clone(), closing });
                }
            }
            "bare-open" => {
                let t = value
                    .as_table()
                    .ok_or_else(|| anyhow!("{}: expected a table such as {{ fix-noqa = true }}", loc(key)))?;
                for (k, v) in t {
                    match k.as_str() {
                        "fix-noqa" => {
                            cfg.fix_noqa = Some(
                                v.as_bool()
                                    .ok_or_else(|| anyhow!("{}: expected true or false", loc(&format!("{key}.{k}"))))?,
                            )
                        }
                        other => {
                            let hint = closest(other, BARE_OPEN_KEYS)
                                .map(|k| format!(" (did you mean `{k}`?)"))
                                .unwrap_or_default();
                            bail!(
                                "{}: [tool.pyfix.bare-open]: unknown key `{other}`{hint}; valid keys: {}",
                                shown(path),
                                BARE_OPEN_KEYS.join(", ")
                            );
                        }
                    }
                }
            }
            "extend-safe-fixes" => cfg.extend_safe_fixes = Some(string_list(value, &loc(key))?),
            "extend-unsafe-fixes" => cfg.extend_unsafe_fixes = Some(string_list(value, &loc(key))?),
            "cache-dir" => {
                let s =
                    value.as_str().ok_or_else(|| anyhow!("{}: expected a path such as \".pyfix_cache\"", loc(key)))?;
                cfg.cache_dir = Some(PathBuf::from(s));
            }
            "cache-maxsize" => {
                let n = value.as_integer().filter(|n| (1..=i64::from(u32::MAX)).contains(n));
                cfg.cache_maxsize =
                    Some(n.ok_or_else(|| anyhow!("{}: expected a whole number of at least 1", loc(key)))? as u32);
            }
            "per-file-ignores" => {
                let t = value
                    .as_table()
                    .ok_or_else(|| anyhow!("{}: expected a table of glob = [codemod names]", loc(key)))?;
                for (pattern, names) in t {
                    cfg.per_file_ignores
                        .push((pattern.clone(), string_list(names, &loc(&format!("{key}.\"{pattern}\"")))?));
                }
            }
            other => {
                let hint = closest(other, KEYS).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
                bail!("{}: [tool.pyfix]: unknown key `{other}`{hint}; valid keys: {}", shown(path), KEYS.join(", "));
            }
        }
    }
    Ok(cfg)
}

fn string_list(value: &toml::Value, loc: &str) -> Result<Vec<String>> {
    let err = || anyhow!("{loc}: expected a list of strings, e.g. [\"bare-open\"]");
    value.as_array().ok_or_else(err)?.iter().map(|v| v.as_str().map(str::to_string).ok_or_else(err)).collect()
}

fn glob_set(patterns: &[String], loc: &str) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./").trim_end_matches('/');
        let glob = Glob::new(p).map_err(|e| anyhow!("{loc}: bad glob `{p}`: {}", e.kind()))?;
        builder.add(glob);
        // A directory pattern also excludes everything below it.
        if !p.ends_with("**") {
            if let Ok(g) = Glob::new(&format!("{p}/**")) {
                builder.add(g);
            }
        }
    }
    builder.build().map_err(|e| anyhow!("{loc}: {e}"))
}

/// Codemod names, checked: an unknown one is an error naming the closest valid one.
pub fn resolve_names(names: &[String], loc: &str) -> Result<Vec<&'static str>> {
    let all: Vec<&'static str> = codemods::ALL.iter().map(|c| c.name()).collect();
    let mut out = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("all") {
            out.extend(all.iter().copied());
            continue;
        }
        let normal = name.replace('_', "-");
        match all.iter().find(|n| **n == normal) {
            Some(n) => out.push(*n),
            None => {
                let hint = closest(name, &all).map(|k| format!("did you mean `{k}`? ")).unwrap_or_default();
                bail!("{loc}: unknown codemod `{name}` ({hint}see `pyfix --list`)");
            }
        }
    }
    Ok(out)
}

/// The valid name nearest to `name`, when it is near enough to be a typo.
pub fn closest<'a>(name: &str, valid: &[&'a str]) -> Option<&'a str> {
    valid
        .iter()
        .map(|v| (strsim::damerau_levenshtein(name, v), *v))
        .filter(|(d, v)| *d <= (v.len() / 3).max(2))
        .min()
        .map(|(_, v)| v)
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
            target: scope.target.or(dir.requires_python).unwrap_or(crate::config::DEFAULT_TARGET),
            unsafe_fixes: scope.unsafe_fixes,
            apply: inner.flags.apply,
            add_ignore: inner.flags.add_ignore,

            include_generated: scope.include_generated,
            codemod_settings: scope.codemod_settings.clone(),
            is_stub,
            fix_safety: scope.fix_safety.clone(),
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

/// A config file's path as error messages show it: relative to the current directory when under it (as pyfix shows
/// every other path), else as found.
fn shown(path: &Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_python_lowest_version() {
        assert_eq!(lowest_required(">=3.8"), Some(PythonVersion { major: 3, minor: 8 }));
        assert_eq!(lowest_required(">=3.10, <4"), Some(PythonVersion { major: 3, minor: 10 }));
        assert_eq!(lowest_required("~=3.11.2"), Some(PythonVersion { major: 3, minor: 11 }));
        assert_eq!(lowest_required(">3.9"), Some(PythonVersion { major: 3, minor: 10 }));
        assert_eq!(lowest_required("<4"), None);
        // Below the versions pyfix knows: the lowest it knows.
        assert_eq!(lowest_required(">=3.6"), Some(PythonVersion::PY37));
        assert_eq!(lowest_required(">=3"), Some(PythonVersion::PY37));
    }

    #[test]
    fn target_versions_are_the_ones_pyfix_knows() {
        assert_eq!(parse_version("3.9"), Some(PythonVersion::PY39));
        assert_eq!(parse_version("3.10.2"), Some(PythonVersion::PY310));
        assert_eq!(parse_version("3.15"), Some(PythonVersion::PY315));
        for bad in ["3", "3.", "3.99", "3.6", "2.7", "3.x", "4.0", "", "3.*"] {
            assert_eq!(parse_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_directory_is_resolved_once_however_many_threads_ask() {
        let memo: PerDir<u32> = PerDir::default();
        let calls = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let v = memo.get_or_init(Path::new("/a"), || {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
                    });
                    assert_eq!(v, 1);
                });
            }
        });
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        // `init` may ask for another directory (its parent) without deadlocking.
        assert_eq!(memo.get_or_init(Path::new("/a/b"), || memo.get_or_init(Path::new("/a"), || 99) + 1), 2);
    }

    #[test]
    fn closest_name() {
        assert_eq!(closest("mutable-defaults", &["bare-open", "mutable-default"]), Some("mutable-default"));
        assert_eq!(closest("zzz", &["bare-open", "mutable-default"]), None);
    }

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
