//! Large runs: a progress bar on stderr only when stderr is a terminal and the run has more than 300 files, and a
//! breakdown before the summary line (files seen, changed, skipped and why; findings by codemod and fix safety).
//! The terminal is a pseudo-terminal made by util-linux `script`.

mod harness;

use harness::*;
use std::path::Path;
use std::process::Command;

fn big_tree(dir: &Path, leaky: usize) {
    for i in 0..leaky {
        write(dir, &format!("pkg/f{i:03}.py"), BARE_OPEN);
    }
    for i in 0..300 {
        write(dir, &format!("pkg/clean{i:03}.py"), "x = 1\n");
    }
    write(dir, "pkg/bad.py", "def broken(:\n");
    write(dir, "pkg/latin.py", b"x = '\xff'\n");
    write(dir, "pkg/m.py", MUTABLE);
    write(dir, "pkg/n.py", NO_FIX);
}

/// Runs pyfix with stderr on a pseudo-terminal; returns what the terminal showed.
fn on_a_terminal(dir: &Path, args: &str) -> String {
    let cmd = format!("{} {args} > /dev/null", env!("CARGO_BIN_EXE_pyfix"));
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir)
        .output()
        .expect("util-linux `script` runs (it makes the pseudo-terminal this test needs)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_large_run_prints_a_breakdown_and_no_bar_off_a_terminal() {
    let dir = tempdir();
    big_tree(dir.path(), 20);
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(!run.stderr.contains('\r') && !run.stderr.contains('\x1b'), "a progress bar off a terminal\n{run:?}");
    let tail: Vec<&str> = run.stderr.lines().filter(|l| !l.starts_with("pyfix: ")).collect();
    assert_eq!(
        tail,
        [
            "Files: 324 seen, 22 with findings, 2 skipped (1 cannot decode, 1 syntax error)",
            "  bare-open: 21 findings (20 safe fix, 1 no fix)",
            "  mutable-default: 1 finding (1 safe fix)",
            "Found 22 leaks in 22 of 322 files; 2 errors (see above)",
        ],
        "{run:?}"
    );
    let fix = pyfix(dir.path(), &[]);
    assert!(fix.stderr.contains("Files: 324 seen, 21 changed, 2 skipped"), "{fix:?}");
    let quiet = pyfix(dir.path(), &["--check", "--quiet"]);
    assert!(!quiet.stderr.contains("Files:"), "{quiet:?}");
}

#[test]
fn a_large_run_on_a_terminal_shows_progress() {
    let dir = tempdir();
    big_tree(dir.path(), 1);
    let shown = on_a_terminal(dir.path(), "--check");
    assert!(shown.contains("/305 files"), "no progress bar on the terminal:\n{shown:?}");
    assert!(shown.contains("Found 3 leaks in 3 of 303 files"), "{shown:?}");
    let quiet = on_a_terminal(dir.path(), "--check --quiet");
    assert!(!quiet.contains("files"), "--quiet shows no progress:\n{quiet:?}");
}

#[test]
fn a_small_run_on_a_terminal_shows_no_bar_and_no_breakdown() {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    let shown = on_a_terminal(dir.path(), "--check");
    assert_eq!(shown.trim_end(), "Found 1 leak in 1 file", "{shown:?}");
}
