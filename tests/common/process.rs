//! Running external programs from the slow end-to-end tests (pre-commit, the wheel): output shown on failure,
//! virtualenvs, and the build they reuse instead of making their own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Exit code, stdout and stderr, for an assertion message.
pub fn show(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `cmd`; panics only when it cannot be started.
#[track_caller]
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs `cmd` and asserts it succeeded.
#[track_caller]
pub fn ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(out.status.success(), "{cmd:?} failed\n{}", show(&out));
    out
}

/// A new virtualenv at `path`: its `bin` directory.
pub fn venv(path: &Path) -> PathBuf {
    ok(Command::new("python3").args(["-m", "venv"]).arg(path));
    path.join("bin")
}

/// The build `cargo test` has just made, found from the pyfix binary the other tests run: its target directory
/// and cargo profile (`dev` for `cargo test`, `release` for `cargo test --release`).
pub struct TestBuild {
    pub target_dir: PathBuf,
    pub profile: String,
}

/// The wheel and the pre-commit hook are built from it (a release build from scratch took as long as the whole
/// test build again, and tests nothing about packaging or the hooks that this one does not).
pub fn test_build() -> TestBuild {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_pyfix")).parent().unwrap();
    let dir = bin_dir.file_name().unwrap().to_string_lossy();
    // cargo names the dev profile's directory `debug`; every other profile's directory is its name.
    let profile = if dir == "debug" { "dev".to_string() } else { dir.into_owned() };
    TestBuild { target_dir, profile }
}

impl TestBuild {
    /// Points the cargo that `cmd` runs (`cargo install`, maturin's `cargo rustc`; the callers pass `--locked` and
    /// the profile) at this build: its target directory as cargo's build directory, where cargo finds pyfix and
    /// every dependency compiled (a build without dev-dependencies compiles the few crates whose features they
    /// change, once), and the finished binary in `<target>/tmp/packaging`, not over the `<target>/<profile>/pyfix`
    /// the other tests run.
    pub fn env(&self, cmd: &mut Command) {
        cmd.env("CARGO_BUILD_BUILD_DIR", &self.target_dir).env("CARGO_TARGET_DIR", packaging_dir());
    }
}

fn packaging_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging")
}

/// The cargo running the tests (`CARGO`), else the first `cargo` on PATH: the real one, to call from a wrapper.
pub fn real_cargo() -> PathBuf {
    if let Some(cargo) = std::env::var_os("CARGO") {
        return PathBuf::from(cargo);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("cargo"))
        .find(|c| c.is_file())
        .expect("cargo is neither in CARGO nor on PATH")
}
