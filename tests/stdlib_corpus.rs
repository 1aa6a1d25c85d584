//! pyfix over a copy of the CPython standard library found on this machine (~1,800 files, ~850,000 lines, tests
//! included), with every codemod and unsafe fixes: no panic, no internal error, every changed file compiles under
//! python3, and a second run changes nothing. The stdlib is real, old and odd code (Python 2 test data, Latin-1
//! files, deep nesting, every syntax), so this is the corpus check CI can afford (about half a minute of CPU in a
//! debug build). scripts/corpus-check.sh does the same over the larger corpus of PyPI projects.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn stdlib() -> PathBuf {
    let out = Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .expect("python3 on PATH");
    assert!(out.status.success(), "python3 cannot tell where its stdlib is");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Copies the stdlib's Python files (not installed packages, caches, extension modules or build config).
fn copy_tree(from: &Path, to: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        let kind = entry.file_type().unwrap();
        let target = to.join(&name);
        if kind.is_dir() {
            if matches!(name.as_str(), "site-packages" | "dist-packages" | "__pycache__" | "lib-dynload")
                || name.starts_with("config-")
            {
                continue;
            }
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target, files);
        } else if kind.is_file() && (name.ends_with(".py") || name.ends_with(".pyi")) {
            fs::copy(entry.path(), &target).unwrap();
            files.push(target);
        }
    }
}

fn run_pyfix(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pyfix"))
        .args(args)
        .arg(dir)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .expect("running pyfix");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The files among `paths` that python3 cannot compile, with its reason.
fn not_compiling(paths: &[PathBuf]) -> Vec<String> {
    let script = "import sys\nfor p in sys.stdin.read().splitlines():\n    try:\n        compile(open(p, 'rb').read(), p, 'exec', dont_inherit=True)\n    except (SyntaxError, ValueError) as e:\n        print(f'{p}: {e}')\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), list.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the compile check itself failed");
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn the_standard_library_is_fixed_into_code_that_compiles_and_stays_fixed() {
    let source = stdlib();
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("stdlib");
    fs::create_dir(&copy).unwrap();
    let mut files = Vec::new();
    copy_tree(&source, &copy, &mut files);
    assert!(files.len() > 500, "only {} files found in {}", files.len(), source.display());
    // A config file in the copy's ancestors would change what runs; the temp dir has none.
    let (code, _, stderr) = run_pyfix(&["--unsafe-fixes", "--quiet"], &copy);
    assert!(!stderr.contains("panicked"), "pyfix panicked:\n{stderr}");
    let internal: Vec<&str> = stderr.lines().filter(|l| l.contains("internal error")).collect();
    assert!(internal.is_empty(), "internal errors:\n{}", internal.join("\n"));
    // The stdlib holds a few files pyfix must refuse (Python 2 test data, undecodable bytes): reported, left alone.
    for line in stderr.lines() {
        assert!(line.contains(": not processed: ") || line.contains(": cannot decode"), "unexpected error: {line}");
    }
    assert!(matches!(code, Some(0..=2)), "exit {code:?}");

    let changed: Vec<PathBuf> = files
        .iter()
        .filter(|f| {
            let original = source.join(f.strip_prefix(&copy).unwrap());
            fs::read(f).unwrap() != fs::read(original).unwrap()
        })
        .cloned()
        .collect();
    assert!(changed.len() >= 20, "only {} files changed: are the codemods running?", changed.len());
    let broken = not_compiling(&changed);
    assert!(broken.is_empty(), "changed files that do not compile:\n{}", broken.join("\n"));

    let (_, diff, stderr) = run_pyfix(&["--unsafe-fixes", "--dry-run", "--quiet"], &copy);
    let again: Vec<&str> = diff.lines().filter(|l| l.starts_with("+++ ")).collect();
    assert!(again.is_empty(), "a second run changes {} files again:\n{}", again.len(), again.join("\n"));
    assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "{stderr}");
    eprintln!("stdlib corpus: {} files, {} changed, all compile, second run clean", files.len(), changed.len());
}
