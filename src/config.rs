//! `Settings`: the command line merged with `[tool.pyfix]` from the nearest pyproject.toml (or a pyfix.toml).
//! Reads config files; resolves codemod names; owns no other IO. CLI flags win over the file.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
pub use ruff_python_ast::PythonVersion;

use crate::cli::{Cli, ColorChoice, OutputFormat};
use crate::codemods::{self, Codemod};

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

/// "3.10" -> 3.10. Extra parts ("3.10.2") are ignored; only Python 3 is accepted.
pub fn parse_version(s: &str) -> Option<PythonVersion> {
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

/// The lowest version a `requires-python` specifier admits: ">=3.8" -> 3.8, "~=3.10" -> 3.10.
pub fn lowest_required(spec: &str) -> Option<PythonVersion> {
    spec.split(',')
        .filter_map(|clause| {
            let clause = clause.trim();
            let (op, rest) = [">=", "~=", "==", ">"].iter().find_map(|op| clause.strip_prefix(op).map(|r| (*op, r)))?;
            let mut v = parse_version(rest)?;
            if op == ">" && rest.trim().split('.').count() <= 2 {
                v.minor += 1;
            }
            Some(v)
        })
        .min()
}

/// functools' own default for `lru_cache(maxsize=...)`.
pub const DEFAULT_CACHE_MAXSIZE: u32 = 128;

pub struct Settings {
    pub paths: Vec<PathBuf>,
    /// `pyfix -`: the source comes from stdin (and `paths` is empty).
    pub stdin: bool,
    /// What the stdin source is called, with `--stdin-filename`.
    pub stdin_filename: Option<PathBuf>,
    pub mode: Mode,
    pub unsafe_fixes: bool,
    /// Selected codemods, in registry order.
    pub codemods: Vec<&'static dyn Codemod>,
    /// `exclude` + `extend-exclude` + pyfix's defaults, matched against paths relative to `root` and against file names.
    pub exclude: GlobSet,
    pub force_exclude: bool,
    /// (pattern, codemods it turns off).
    pub per_file_ignores: Vec<(GlobSet, Vec<&'static str>)>,
    pub target: PythonVersion,
    /// The `maxsize` given to caches pyfix bounds (`cache-maxsize`, `--cache-maxsize`).
    pub cache_maxsize: u32,
    pub quiet: bool,
    pub color: bool,
    pub output_format: OutputFormat,
    pub add_ignore: bool,
    pub statistics: bool,
    /// Where per-file results are kept between runs; `None` with --no-cache.
    pub cache_dir: Option<PathBuf>,
    /// The directory of the config file (or the current directory), absolute: what relative patterns are relative to.
    pub root: PathBuf,
    /// The current directory, which relative command-line paths are relative to.
    pub cwd: PathBuf,
    /// The config file in force, if any.
    pub config_file: Option<PathBuf>,
    /// `--target-version` was given: it holds for every file.
    pub target_from_cli: bool,
    /// Process files that say they are generated (`@generated`, "do not edit", ...).
    pub include_generated: bool,
    /// Directory -> the version its nearest pyproject.toml states (`None`: none states one), filled as files are seen.
    target_cache: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, Option<PythonVersion>>>,
    /// `[tool.pyfix] resource-factories`: a project's own resource factories (qualified name, how to close).
    pub resource_factories: Vec<(String, String)>,
}

impl Settings {
    /// Codemods that run on `path`: the selection less its per-file ignores.
    pub fn codemods_for(&self, path: &Path) -> Vec<&'static dyn Codemod> {
        let rel = relative_to_root(path, &self.cwd, &self.root);
        let off: Vec<&str> = self
            .per_file_ignores
            .iter()
            .filter(|(set, _)| {
                set.is_match(&rel) || set.is_match(path) || path.file_name().is_some_and(|n| set.is_match(n))
            })
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        self.codemods.iter().copied().filter(|c| !off.contains(&c.name())).collect()
    }

    /// The oldest Python `path` must run on: `--target-version`, else the version stated by the nearest
    /// pyproject.toml/pyfix.toml above the file (`target-version` in [tool.pyfix], else `[project] requires-python`),
    /// as ruff does for nested projects; else the run's default.
    pub fn target_for(&self, path: &Path) -> PythonVersion {
        if self.target_from_cli {
            return self.target;
        }
        let abs = normalize(&self.cwd.join(path));
        let mut seen = Vec::new();
        let mut found = None;
        for dir in abs.ancestors().skip(1) {
            if let Some(v) = self.target_cache.lock().map(|c| c.get(dir).copied()).ok().flatten() {
                found = v;
                break;
            }
            seen.push(dir.to_path_buf());
            if let Some(v) = stated_version(dir) {
                found = Some(v);
                break;
            }
        }
        if let Ok(mut cache) = self.target_cache.lock() {
            for dir in seen {
                cache.insert(dir, found);
            }
        }
        found.unwrap_or(self.target)
    }

    /// Everything in the settings that changes what a file gives: part of its cache key.
    pub fn fingerprint(&self, path: &Path) -> String {
        let codemods: Vec<&str> = self.codemods_for(path).iter().map(|c| c.name()).collect();
        let stub = path.extension().is_some_and(|e| e == "pyi");
        format!(
            "{codemods:?} apply={} unsafe={} target={} add-ignore={} stub={stub} cache-maxsize={} \
             resource-factories={:?}",
            self.applies_fixes(),
            self.unsafe_fixes,
            self.target_for(path),
            self.add_ignore,
            self.cache_maxsize,
            self.resource_factories
        )
    }

    /// Whether fixes are applied (in memory for `--dry-run`): not for `--check`, which reports the input's findings,
    /// unless `--add-ignore` needs to know what the fixes leave.
    pub fn applies_fixes(&self) -> bool {
        self.mode != Mode::Check || self.add_ignore
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        let rel = relative_to_root(path, &self.cwd, &self.root);
        self.exclude.is_match(&rel) || path.file_name().is_some_and(|n| self.exclude.is_match(n))
    }
}

/// How a `resource-factories` entry is closed (see bare-open's README).
pub const RESOURCE_CLOSING: &[&str] = &["with", "closing", "async-with"];

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
];

/// The version a directory's own config file states, if any. A file that cannot be read or parsed here states
/// nothing: the config in force was already checked, and a stray file deeper down must not stop the run.
fn stated_version(dir: &Path) -> Option<PythonVersion> {
    for name in ["pyfix.toml", "pyproject.toml"] {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let Ok(cfg) = read_config(&path, false) else { continue };
        if let Some(v) = cfg.target_version.or(cfg.requires_python) {
            return Some(v);
        }
    }
    None
}

/// What a config file said, before the command line is laid over it.
#[derive(Default)]
struct FileConfig {
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
    resource_factories: Vec<(String, String)>,
    cache_dir: Option<PathBuf>,
}

pub fn resolve(cli: &Cli) -> Result<Settings> {
    let dash = Path::new("-");
    let stdin = cli.paths.iter().any(|p| p == dash) || (cli.paths.is_empty() && cli.stdin_filename.is_some());
    if stdin && cli.paths.len() > 1 {
        bail!("`-` (read stdin) cannot be combined with other paths (hint: run pyfix once for stdin, once for files)");
    }
    if !stdin && cli.stdin_filename.is_some() {
        bail!("--stdin-filename names the source read from stdin (hint: pass `-` instead of file paths)");
    }
    let paths = if stdin {
        Vec::new()
    } else if cli.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        cli.paths.clone()
    };
    let cwd = std::env::current_dir().context("reading the current directory")?;
    // Config is searched from the first path; for stdin, from --stdin-filename's directory (else the current one).
    let first = match (&cli.stdin_filename, paths.first()) {
        (Some(name), _) => name.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => PathBuf::from("."),
    };
    let (config_file, file) = match &cli.config {
        Some(path) => {
            if !path.is_file() {
                bail!(
                    "{}: config file not found (hint: --config takes a pyproject.toml or pyfix.toml)",
                    path.display()
                );
            }
            let cfg = read_config(path, true)?;
            (Some(path.clone()), cfg)
        }
        None => find_config(&start_dir(&first, &cwd))?,
    };
    let root = normalize(&cwd.join(config_file.as_ref().and_then(|p| p.parent()).unwrap_or(Path::new(""))));
    let where_ = |key: &str| match &config_file {
        Some(p) => format!("{}: [tool.pyfix] {key}", p.display()),
        None => key.to_string(),
    };

    let select = match (&cli.select, &file.select) {
        (Some(names), _) => resolve_names(names, "--select")?,
        (None, Some(names)) => resolve_names(names, &where_("select"))?,
        (None, None) => codemods::ALL.iter().map(|c| c.name()).collect(),
    };
    let mut ignored = Vec::new();
    if let Some(names) = &file.ignore {
        ignored.extend(resolve_names(names, &where_("ignore"))?);
    }
    if let Some(names) = &cli.ignore {
        ignored.extend(resolve_names(names, "--ignore")?);
    }
    let selected: Vec<&'static dyn Codemod> =
        codemods::ALL.iter().copied().filter(|c| select.contains(&c.name()) && !ignored.contains(&c.name())).collect();

    let mut patterns: Vec<String> = file.exclude.clone().unwrap_or_default();
    patterns.extend(file.extend_exclude.iter().cloned());
    let exclude = glob_set(&patterns, &where_("exclude"))?;

    let mut per_file_ignores = Vec::new();
    for (pattern, names) in &file.per_file_ignores {
        let set = glob_set(std::slice::from_ref(pattern), &where_("per-file-ignores"))?;
        per_file_ignores.push((set, resolve_names(names, &where_(&format!("per-file-ignores.\"{pattern}\"")))?));
    }

    let target = match &cli.target_version {
        Some(v) => parse_version(v)
            .ok_or_else(|| anyhow!("--target-version: `{v}` is not a Python 3 version (hint: write it as 3.9)"))?,
        None => file.target_version.or(file.requires_python).unwrap_or(DEFAULT_TARGET),
    };

    let mode = if cli.check {
        Mode::Check
    } else if cli.dry_run {
        Mode::DryRun
    } else {
        Mode::Fix
    };
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
        unsafe_fixes: cli.unsafe_fixes || file.unsafe_fixes.unwrap_or(false),
        codemods: if cli.parse_only { Vec::new() } else { selected },
        exclude,
        force_exclude: cli.force_exclude,
        per_file_ignores,
        target,
        cache_maxsize: cli.cache_maxsize.or(file.cache_maxsize).unwrap_or(DEFAULT_CACHE_MAXSIZE),
        quiet: cli.quiet,
        color,
        output_format: cli.output_format,
        add_ignore: cli.add_ignore,
        statistics: cli.statistics,
        cache_dir: (!cli.no_cache).then(|| root.join(file.cache_dir.as_deref().unwrap_or(Path::new(".pyfix_cache")))),
        root,
        cwd,
        config_file,
        target_from_cli: cli.target_version.is_some(),
        include_generated: cli.include_generated || file.include_generated.unwrap_or(false),
        target_cache: Default::default(),
        resource_factories: file.resource_factories,
    })
}

/// `path` as seen from `root`, for matching globs: made absolute against `cwd`, `.` and `..` resolved (by hand,
/// without IO), then stripped of `root`. `./tests/x.py` and `../proj/tests/x.py` both give `tests/x.py`.
/// A path outside `root` comes back absolute.
pub fn relative_to_root(path: &Path, cwd: &Path, root: &Path) -> PathBuf {
    let abs = normalize(&cwd.join(path));
    abs.strip_prefix(root).map(Path::to_path_buf).unwrap_or(abs)
}

/// Drops `.` components and resolves `..` against the component before it: `/a/./b/../c` -> `/a/c`.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
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

/// The nearest pyfix.toml, or pyproject.toml holding [tool.pyfix], from `dir` upwards. The nearest pyproject.toml's
/// `requires-python` is read even when it has no [tool.pyfix].
fn find_config(dir: &Path) -> Result<(Option<PathBuf>, FileConfig)> {
    let mut requires_python = None;
    for dir in dir.ancestors() {
        let pyfix = dir.join("pyfix.toml");
        if pyfix.is_file() {
            let mut cfg = read_config(&pyfix, false)?;
            cfg.requires_python = cfg.requires_python.or(requires_python);
            return Ok((Some(pyfix), cfg));
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            let cfg = read_config(&pyproject, false)?;
            if has_pyfix_table(&pyproject)? {
                return Ok((Some(pyproject), cfg));
            }
            requires_python = requires_python.or(cfg.requires_python);
        }
    }
    Ok((None, FileConfig { requires_python, ..FileConfig::default() }))
}

fn parse_toml(path: &Path) -> Result<toml::Table> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let msg = e.message().lines().next().unwrap_or("invalid TOML").to_string();
        match line {
            Some(l) => anyhow!(
                "{}:{l}: invalid TOML: {msg} (hint: fix the file or pass another with --config)",
                path.display()
            ),
            None => {
                anyhow!("{}: invalid TOML: {msg} (hint: fix the file or pass another with --config)", path.display())
            }
        }
    })
}

fn has_pyfix_table(path: &Path) -> Result<bool> {
    let table = parse_toml(path)?;
    Ok(table.get("tool").and_then(|t| t.get("pyfix")).is_some())
}

/// Reads a pyproject.toml ([tool.pyfix]) or a pyfix.toml (top level, or [tool.pyfix] too).
fn read_config(path: &Path, explicit: bool) -> Result<FileConfig> {
    let table = parse_toml(path)?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let requires_python =
        table.get("project").and_then(|p| p.get("requires-python")).and_then(|v| v.as_str()).and_then(lowest_required);
    let section = match table.get("tool").and_then(|t| t.get("pyfix")) {
        Some(s) => Some(s.clone()),
        None if is_pyproject => None,
        None => Some(toml::Value::Table(table.clone())),
    };
    let Some(section) = section else {
        if explicit {
            bail!("{}: no [tool.pyfix] table (hint: add one, or pass a pyfix.toml)", path.display());
        }
        return Ok(FileConfig { requires_python, ..FileConfig::default() });
    };
    let table = section.as_table().ok_or_else(|| anyhow!("{}: [tool.pyfix] must be a table", path.display()))?;
    let loc = |key: &str| format!("{}: [tool.pyfix] {key}", path.display());
    let mut cfg = FileConfig { requires_python, ..FileConfig::default() };
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
                    anyhow!("{}: `{s}` is not a Python 3 version (hint: write it as \"3.9\")", loc(key))
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
                    let how = how.as_str().filter(|h| RESOURCE_CLOSING.contains(h)).ok_or_else(|| {
                        anyhow!(
                            "{}: expected one of {} (hint: \"closing\" for objects whose `__exit__` does not close)",
                            loc(&format!("{key}.\"{factory}\"")),
                            RESOURCE_CLOSING.join(", ")
                        )
                    })?;
                    cfg.resource_factories.push((factory.clone(), how.to_string()));
                }
            }
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
                bail!("{}: [tool.pyfix]: unknown key `{other}`{hint}; valid keys: {}", path.display(), KEYS.join(", "));
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
    }

    #[test]
    fn closest_name() {
        assert_eq!(closest("mutable-defaults", &["bare-open", "mutable-default"]), Some("mutable-default"));
        assert_eq!(closest("zzz", &["bare-open", "mutable-default"]), None);
    }
}
