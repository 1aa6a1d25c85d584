//! Running external programs from the slow end-to-end tests (pre-commit, the wheel): output shown on failure,
//! virtualenvs, and the one target directory and cargo their release builds share.

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

/// Where release builds made by the tests go (pre-commit's `cargo install`, maturin's wheel): kept between runs.
/// Both build with `--locked` and the release profile, so whichever test comes first makes the one release build
/// and the other reuses it (cargo's lock on the directory serialises them when tests run in parallel).
pub fn shared_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-builds")
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
