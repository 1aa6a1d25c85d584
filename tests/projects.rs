//! Fixture projects: every folder `codemods/<name>/projects/<case>/` (several modules, where the fact that decides
//! is in another module than the finding) against `snapshots/<name>/projects/<case>.snap`: the `--check` findings
//! of `--select <name> --unsafe-fixes`, then the diff the fix makes, then the same run with the project index off
//! (`PYFIX_NO_PROJECT_INDEX`), so each snapshot shows what the index changed. A case named `ok_*` must have no
//! finding, `nofix_*` findings and no fix, `fix_*` a fix. Every file's first line is a comment saying what it pins.
//! `PYFIX_UPDATE_SNAPSHOTS=1` rewrites the snapshots; otherwise a mismatch writes `<case>.snap.new`.

mod harness;

use std::fs;
use std::path::{Path, PathBuf};

use harness::{command, pyfix, tempdir};

fn cases() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in fs::read_dir(root.join("codemods")).unwrap() {
        let dir = dir.unwrap().path();
        let projects = dir.join("projects");
        if !projects.is_dir() {
            continue;
        }
        for case in fs::read_dir(&projects).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                out.push((dir.file_name().unwrap().to_string_lossy().replace('_', "-"), case));
            }
        }
    }
    out.sort();
    out
}

fn copy(from: &Path, to: &Path) {
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

/// The `--check` lines, sorted, and the diff of a fix run (paths relative to the project).
fn run(case: &Path, codemod: &str, index_off: bool) -> (Vec<String>, String) {
    let tmp = tempdir();
    let dir = tmp.path();
    copy(case, dir);
    fs::write(dir.join("pyproject.toml"), "[project]\nname = \"fixture\"\n").unwrap();
    let args = ["--select", codemod, "--unsafe-fixes", "--no-cache"];
    let mut check = command(dir, &[&["--check"][..], &args, &["."]].concat());
    let mut diff = command(dir, &[&["--dry-run"][..], &args, &["."]].concat());
    if index_off {
        check.env("PYFIX_NO_PROJECT_INDEX", "1");
        diff.env("PYFIX_NO_PROJECT_INDEX", "1");
    }
    let text = |c: &mut std::process::Command| String::from_utf8(c.output().unwrap().stdout).unwrap();
    let mut findings: Vec<String> = text(&mut check).lines().map(str::to_string).collect();
    findings.sort();
    (findings, text(&mut diff))
}

#[test]
fn fixture_projects_match_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty());
    for (codemod, case) in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let mut py = Vec::new();
        files(case, &mut py);
        for f in &py {
            let text = fs::read_to_string(f).unwrap();
            assert!(text.starts_with('#'), "{}: the first line says what it pins", f.display());
        }
        let (findings, diff) = run(case, codemod, false);
        let (off_findings, off_diff) = run(case, codemod, true);
        let reported = findings.iter().filter(|l| l.contains(".py:")).count();
        match &name[..name.find('_').unwrap_or(0)] {
            "ok" => assert_eq!(reported, 0, "{name}: {findings:?}"),
            "nofix" => assert!(reported > 0 && diff.is_empty(), "{name}: {findings:?}\n{diff}"),
            "fix" => assert!(!diff.is_empty(), "{name}: no fix\n{findings:?}"),
            other => panic!("{name}: a case is named ok_*, nofix_* or fix_*, not {other}_*"),
        }
        let mut snap = format!("--- findings\n{}\n--- diff\n{diff}", findings.join("\n"));
        if (&off_findings, &off_diff) == (&findings, &diff) {
            snap.push_str("--- without the project index: the same\n");
        } else {
            snap.push_str(&format!(
                "--- without the project index\n{}\n--- diff without the project index\n{off_diff}",
                off_findings.join("\n")
            ));
        }
        let dir = case.parent().unwrap().parent().unwrap().file_name().unwrap();
        let path = root.join("snapshots").join(dir).join("projects").join(format!("{name}.snap"));
        let old = fs::read_to_string(&path).unwrap_or_default();
        if old != snap {
            if std::env::var_os("PYFIX_UPDATE_SNAPSHOTS").is_some() {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(&path, &snap).unwrap();
            } else {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path.with_extension("snap.new"), &snap).unwrap();
                failures.push(name);
            }
        }
    }
    assert!(failures.is_empty(), "snapshots differ (see .snap.new): {failures:?}");
    // Orphans: a snapshot whose case is gone.
    for dir in fs::read_dir(root.join("snapshots")).unwrap() {
        let projects = dir.unwrap().path().join("projects");
        if !projects.is_dir() {
            continue;
        }
        for snap in fs::read_dir(projects).unwrap() {
            let snap = snap.unwrap().path();
            if snap.extension().is_some_and(|e| e == "snap") {
                let stem = snap.file_stem().unwrap().to_string_lossy().to_string();
                assert!(cases.iter().any(|(_, c)| c.ends_with(&stem)), "orphaned {}", snap.display());
            }
        }
    }
}

#[test]
fn json_findings_name_the_module_that_decided() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods/mutable_default/projects/nofix_none_means_inherit");
    let tmp = tempdir();
    copy(&case, tmp.path());
    fs::write(tmp.path().join("pyproject.toml"), "").unwrap();
    let out = pyfix(tmp.path(), &["--check", "--output-format", "json", "--select", "mutable-default", "."]);
    assert!(out.stdout.contains("pkg/run.py:"), "{}", out.stdout);
}
