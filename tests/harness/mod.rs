//! Running the built `pyfix` binary in a temporary directory: the one harness of the end-to-end tests (cli.rs and
//! the workflow tests: output formats, stdin, baselining, notebooks, cache).
#![allow(dead_code)]

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit: {:?}\n--- stdout ---\n{}--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

impl Run {
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, Some(expected), "unexpected exit code\n{self:?}");
        self
    }

    pub fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// stderr lines that report an error (`pyfix: ...`), not the summary.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.starts_with("pyfix: ")).collect()
    }

    /// The summary: stderr's last line.
    pub fn summary(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyfix"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    cmd
}

/// Runs pyfix in `dir` with `stdin` (none: /dev/null). It must not panic or die of a signal.
#[track_caller]
pub fn pyfix_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = command(dir, args);
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("running pyfix");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        // A writer thread: pyfix may fill stdout before it has read all of stdin.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = child.wait_with_output().expect("waiting for pyfix");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    };
    assert!(run.code.is_some(), "pyfix was killed by a signal\n{run:?}");
    assert!(!run.stderr.contains("panicked"), "pyfix panicked\n{run:?}");
    run
}

#[track_caller]
pub fn pyfix(dir: &Path, args: &[&str]) -> Run {
    pyfix_with(dir, args, None)
}

/// A fresh directory. No config file may sit above it, or every test would read it.
pub fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("creating a temporary directory");
    for ancestor in dir.path().ancestors().skip(1) {
        for name in ["pyproject.toml", "pyfix.toml"] {
            assert!(
                !ancestor.join(name).exists(),
                "{} would be read as pyfix's config by every test; set TMPDIR elsewhere",
                ancestor.join(name).display()
            );
        }
    }
    dir
}

pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, contents).unwrap();
    path
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// bare-open with a safe fix, and what pyfix makes of it.
pub const BARE_OPEN: &str =
    "def read(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n";
pub const BARE_OPEN_FIXED: &str =
    "def read(path):\n    with open(path) as f:\n        data = f.read()\n    return data\n";
/// mutable-default with a safe fix.
pub const MUTABLE: &str = "def add(item, items=[]):\n    items.append(item)\n    return items\n";
pub const MUTABLE_FIXED: &str =
    "def add(item, items=None):\n    if items is None:\n        items = []\n    items.append(item)\n    return items\n";
/// bare-open reported with no fix: the handle escapes (yielded: the caller borrows it, and the generator may never
/// resume to close it).
pub const NO_FIX: &str = "def factory(p):\n    yield (open(p))\n";
/// bare-open with an unsafe fix.
pub const UNSAFE: &str = "def load(path, parser):\n    tree = parser.parse(open(path, \"rb\"))\n    return tree\n";
