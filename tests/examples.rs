//! The README's demo, end to end on a copy of `examples/`: `pyfix --dry-run` shows diffs and exits 1,
//! `pyfix --unsafe-fixes` fixes everything (all safe fixes, and the one reference cycle, whose fix is unsafe) and exits
//! 0, a second `--dry-run` exits 0 with no diff; and the demo app itself, run under `python3 -X dev`, stops warning
//! about unclosed files, stops bleeding state between calls, keeps at most 128 prices in its cache and frees a dropped
//! warehouse without the cyclic collector.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "__pycache__" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn pyfix(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyfix")).args(args).current_dir(dir).output().unwrap()
}

fn run_demo(dir: &Path) -> Output {
    Command::new("python3")
        .args(["-X", "dev", "-W", "always::ResourceWarning"])
        .arg(dir.join("examples/inventory/main.py"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap()
}

#[test]
fn demo_is_fixed_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&common::repo().join("examples"), &tmp.path().join("examples"));

    let before = run_demo(tmp.path());
    let before_err = String::from_utf8_lossy(&before.stderr);
    assert!(before.status.success(), "{before_err}");
    assert!(before_err.contains("ResourceWarning"), "the demo should leak files before pyfix:\n{before_err}");
    let before_out = String::from_utf8_lossy(&before.stdout).into_owned();
    assert!(before_out.contains("tags of pears: ['fruit']"), "the demo should bleed state before pyfix:\n{before_out}");
    assert!(
        before_out.contains("prices kept in memory: 5000"),
        "the price cache should grow before pyfix:\n{before_out}"
    );
    assert!(before_out.contains("warehouse freed: False"), "the demo should hold a cycle before pyfix:\n{before_out}");

    let dry = pyfix(tmp.path(), &["--dry-run", "examples/"]);
    let diff = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(1), "{}", String::from_utf8_lossy(&dry.stderr));
    for file in ["config.py", "reports.py", "stock.py"] {
        assert!(diff.contains(&format!("+++ b/examples/inventory/{file}")), "no diff for {file}:\n{diff}");
    }
    let check = pyfix(tmp.path(), &["--check", "examples/"]);
    let findings = String::from_utf8_lossy(&check.stdout);
    assert!(findings.lines().count() >= 10, "{findings}");
    let (cycles, others): (Vec<&str>, Vec<&str>) = findings.lines().partition(|l| l.contains(": strong-backref: "));
    assert!(others.iter().all(|l| l.contains("[fix: safe]")), "the demo's other leaks are safely fixable:\n{findings}");
    assert_eq!(cycles.len(), 1, "{findings}");
    assert!(cycles[0].contains("`Shelf.warehouse`") && cycles[0].contains("[fix: unsafe]"), "{findings}");

    let fix = pyfix(tmp.path(), &["--unsafe-fixes", "examples/"]);
    assert_eq!(fix.status.code(), Some(0), "{}", String::from_utf8_lossy(&fix.stderr));
    assert!(String::from_utf8_lossy(&fix.stderr).starts_with("Fixed "), "{}", String::from_utf8_lossy(&fix.stderr));

    let again = pyfix(tmp.path(), &["--dry-run", "examples/"]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(again.stdout.is_empty(), "a second run changes more:\n{}", String::from_utf8_lossy(&again.stdout));

    let after = run_demo(tmp.path());
    let after_err = String::from_utf8_lossy(&after.stderr);
    assert!(after.status.success(), "{after_err}");
    assert!(!after_err.contains("ResourceWarning"), "files still leak after pyfix:\n{after_err}");
    let after_out = String::from_utf8_lossy(&after.stdout).into_owned();
    assert!(after_out.contains("tags of pears: []"), "{after_out}");
    assert!(after_out.contains("prices kept in memory: 128"), "the price cache is bounded after pyfix:\n{after_out}");
    assert!(after_out.contains("shelf: depot/A1\nwarehouse freed: True"), "{after_out}");
    assert!(after_out.contains("low stock: ['apples', 'plums']\nlow stock again: ['apples', 'plums']"), "{after_out}");
    // Everything that did not depend on leaked state prints the same.
    let stable = |s: &str| {
        s.lines()
            .filter(|l| {
                !l.contains("again")
                    && !l.starts_with("tags")
                    && !l.starts_with("prices kept")
                    && !l.starts_with("warehouse freed")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(stable(&before_out), stable(&after_out));
}
