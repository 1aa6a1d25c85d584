//! The pre-commit hooks in .pre-commit-hooks.yaml, driven by the real `pre-commit` (installed from the package
//! index into a temporary virtualenv) against a snapshot of this checkout, as a user's repository would use them:
//! a commit of leaky code is blocked and the files fixed, the next commit passes, a clean repository passes the
//! first time, `pyfix-check` blocks without writing, configured excludes hold for the files pre-commit names, and
//! notebooks (`types_or: jupyter`) are fixed too.
//! pre-commit installs the hooks (`language: rust`) with `cargo install`, here through a wrapper that makes it reuse
//! the build `cargo test` made (see `locked_cargo`). The test needs network access to the package index.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::process::{ok, real_cargo, run, show, test_build, venv};

const LEAKY: &str = "def read(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n";
const FIXED: &str = "def read(path):\n    with open(path) as f:\n        data = f.read()\n    return data\n";
const UNFIXABLE: &str = "def factory(p, g):\n    g.fh = open(p)\n";
/// A notebook with one leaky code cell, and what the hook makes of it.
const NOTEBOOK: &str = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"def add(item, items=[]):\\n\",\n    \"    return items\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";
const NOTEBOOK_FIXED: &str = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"def add(item, items=None):\\n\",\n    \"    if items is None:\\n\",\n    \"        items = []\\n\",\n    \"    return items\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";

/// Everything pre-commit and git need, pointed at temporary directories.
struct Env {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    pre_commit: PathBuf,
    /// PATH with the `--locked` cargo wrapper first.
    path: std::ffi::OsString,
}

impl Env {
    fn git(&self, dir: &Path) -> Command {
        let mut cmd = Command::new("git");
        // pre-commit installs the hooks with `cargo install` (through the wrapper first on PATH): from this build.
        test_build().env(&mut cmd);
        cmd.current_dir(dir)
            .env("GIT_AUTHOR_NAME", "pyfix test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "pyfix test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("PRE_COMMIT_HOME", self.root.join("pre-commit-home"))
            .env("PATH", &self.path)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
        cmd
    }
}

fn setup() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let bin = venv(&root.join("venv"));
    let pip =
        run(Command::new(bin.join("pip")).args(["install", "--quiet", "--disable-pip-version-check", "pre-commit"]));
    assert!(
        pip.status.success(),
        "cannot install pre-commit from the package index (this test needs network access to it)\n{}",
        show(&pip)
    );
    let wrapper_dir = root.join("cargo-wrapper");
    locked_cargo(&wrapper_dir, &root.join("cargo-calls.log"));
    let mut dirs = vec![wrapper_dir];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(dirs).unwrap();
    Env { _tmp: tmp, pre_commit: bin.join("pre-commit"), root, path }
}

/// A `cargo` in `dir` that passes every call to the real cargo, logging it, and changes one: pre-commit installs
/// `language: rust` hooks with `cargo install --bins --root <env> --path .` in its clone of the hook repository.
/// That is a release build from scratch (cargo install ignores Cargo.lock and resolves every dependency afresh),
/// longer than the whole test build. The wrapper adds `--locked` and the profile of the build `cargo test` made
/// (which `TestBuild::env` points cargo at), and installs from this checkout, which pre-commit's clone is a copy
/// of (the clone's newer timestamps would make cargo recompile pyfix). pre-commit still creates the hook
/// environment, installs into it and runs the hooks' entries from it, as it does for users.
fn locked_cargo(dir: &Path, log: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let real = real_cargo().display().to_string();
    let (log, checkout, profile) = (log.display().to_string(), env!("CARGO_MANIFEST_DIR"), test_build().profile);
    for s in [&real, &log, checkout, &profile] {
        assert!(!s.contains('\''), "a quote in {s}");
    }
    std::fs::create_dir_all(dir).unwrap();
    let script = format!(
        r#"#!/bin/sh
echo "$*" >> '{log}'
if [ "$1" = install ]; then
    shift
    for arg; do
        shift
        if [ "$arg" = . ]; then set -- "$@" '{checkout}'; else set -- "$@" "$arg"; fi
    done
    exec '{real}' install --locked --profile '{profile}' "$@"
fi
exec '{real}' "$@"
"#
    );
    let file = dir.join("cargo");
    std::fs::write(&file, script).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A one-commit repository holding this checkout's working tree as it is now (tracked and untracked files that
/// .gitignore does not exclude), so uncommitted changes are tested too. Returns (path, commit).
fn snapshot_of_checkout(env: &Env) -> (PathBuf, String) {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = env.root.join("pyfix-src");
    std::fs::create_dir_all(&repo).unwrap();
    ok(env.git(&repo).args(["init", "--quiet"]));
    let git_dir = repo.join(".git");
    ok(env.git(checkout).arg("--git-dir").arg(&git_dir).arg("--work-tree").arg(checkout).args(["add", "-A"]));
    ok(env.git(&repo).args(["commit", "--quiet", "--no-verify", "-m", "snapshot"]));
    ok(env.git(&repo).args(["checkout", "--quiet", "--", "."]));
    let head = ok(env.git(&repo).args(["rev-parse", "HEAD"]));
    (repo, String::from_utf8(head.stdout).unwrap().trim().to_string())
}

/// A user's repository using the given hooks from the snapshot, with `legacy/` excluded in its config.
fn user_repo(env: &Env, name: &str, src: &(PathBuf, String), hooks: &[&str]) -> PathBuf {
    let dir = env.root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    ok(env.git(&dir).args(["init", "--quiet"]));
    let ids: String = hooks.iter().map(|h| format!("      - id: {h}\n")).collect();
    let config = format!("repos:\n  - repo: {}\n    rev: {}\n    hooks:\n{ids}", src.0.display(), src.1);
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(dir.join("pyproject.toml"), "[tool.pyfix]\nextend-exclude = [\"legacy/\"]\n").unwrap();
    ok(Command::new(&env.pre_commit).arg("install").current_dir(&dir).env("GIT_CONFIG_GLOBAL", "/dev/null"));
    dir
}

fn commit(env: &Env, dir: &Path) -> Output {
    ok(env.git(dir).args(["add", "-A"]));
    run(env.git(dir).args(["commit", "--quiet", "-m", "change"]))
}

#[test]
fn pre_commit_hooks_block_leaks_fix_them_and_respect_excludes() {
    let env = setup();
    let src = snapshot_of_checkout(&env);

    // A commit of leaky code is blocked; the hook fixed the file; the excluded file is untouched.
    let dir = user_repo(&env, "leaky", &src, &["pyfix"]);
    std::fs::write(dir.join("app.py"), LEAKY).unwrap();
    std::fs::write(dir.join("analysis.ipynb"), NOTEBOOK).unwrap();
    std::fs::create_dir_all(dir.join("legacy")).unwrap();
    std::fs::write(dir.join("legacy/old.py"), LEAKY).unwrap();
    let first = commit(&env, &dir);
    assert!(!first.status.success(), "the commit of leaky code went through\n{}", show(&first));
    let shown = show(&first);
    assert!(shown.contains("pyfix") && shown.contains("files were modified by this hook"), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.join("app.py")).unwrap(), FIXED);
    assert_eq!(std::fs::read_to_string(dir.join("analysis.ipynb")).unwrap(), NOTEBOOK_FIXED, "notebooks (jupyter)");
    assert_eq!(std::fs::read_to_string(dir.join("legacy/old.py")).unwrap(), LEAKY, "an excluded file was changed");
    // pre-commit built the hook as it does for users (language: rust), through the wrapper.
    let calls = std::fs::read_to_string(env.root.join("cargo-calls.log")).unwrap_or_default();
    assert!(calls.lines().any(|c| c.starts_with("install --bins --root ") && c.ends_with("--path .")), "{calls}");
    // The next commit (of the fixed file) passes.
    let second = commit(&env, &dir);
    assert!(second.status.success(), "the commit after the fix was blocked\n{}", show(&second));

    // A clean repository passes the first time, with both hooks.
    let clean = user_repo(&env, "clean", &src, &["pyfix", "pyfix-check"]);
    std::fs::write(clean.join("ok.py"), FIXED).unwrap();
    std::fs::create_dir_all(clean.join("legacy")).unwrap();
    std::fs::write(clean.join("legacy/old.py"), LEAKY).unwrap();
    let out = commit(&env, &clean);
    assert!(out.status.success(), "a clean commit was blocked\n{}", show(&out));
    assert_eq!(std::fs::read_to_string(clean.join("legacy/old.py")).unwrap(), LEAKY);

    // pyfix-check alone blocks a finding it cannot fix, names it, and writes nothing.
    let check = user_repo(&env, "check", &src, &["pyfix-check"]);
    std::fs::write(check.join("factory.py"), UNFIXABLE).unwrap();
    std::fs::write(check.join("leaky.py"), LEAKY).unwrap();
    let out = commit(&env, &check);
    assert!(!out.status.success(), "pyfix-check let findings through\n{}", show(&out));
    assert!(show(&out).contains("factory.py:2:12: bare-open"), "{}", show(&out));
    assert_eq!(std::fs::read_to_string(check.join("leaky.py")).unwrap(), LEAKY, "pyfix-check wrote a file");
}
