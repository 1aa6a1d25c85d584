//! Runtime proofs: each `codemods/<name>/runtime/*.py` is a small program holding a leak. It runs under
//! `python3 -X dev` before and after pyfix rewrites it. Before, its stderr shows the leak (a `ResourceWarning`,
//! or a line starting `LEAK`); after, it shows none; its stdout and exit status are unchanged, and pyfix did
//! change the program. A header `# pyfix-fixture: safe-only` runs without unsafe fixes.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pyfix::Outcome;

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn run_python(program: &Path, workdir: &Path) -> Run {
    let out = Command::new("python3")
        .args(["-X", "dev", "-W", "always::ResourceWarning"])
        .arg(program)
        .current_dir(workdir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("python3 runs");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    }
}

fn shows_leak(stderr: &str) -> bool {
    stderr.contains("ResourceWarning") || stderr.lines().any(|l| l.starts_with("LEAK"))
}

fn programs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in fs::read_dir(common::repo().join("codemods")).unwrap() {
        let runtime = dir.unwrap().path().join("runtime");
        if let Ok(entries) = fs::read_dir(&runtime) {
            for e in entries {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|e| e == "py") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn prove(program: &Path) -> Result<(), String> {
    let name = program.display().to_string();
    let text = fs::read_to_string(program).unwrap();
    // runtime/ sits in codemods/<name>/runtime: the codemod is the grandparent's name.
    let codemod = common::codemod_of(program.parent().unwrap());
    let opts = common::fixture_options(&text);
    let fixed = match common::run(&text, codemod, &opts, false) {
        Outcome::Checked { fixed: Some(f), bugs, .. } if bugs.is_empty() => f,
        Outcome::Checked { bugs, .. } if !bugs.is_empty() => return Err(format!("{name}: internal error: {bugs:?}")),
        _ => return Err(format!("{name}: pyfix did not change the program")),
    };
    let before_dir = tempfile::tempdir().unwrap();
    let after_dir = tempfile::tempdir().unwrap();
    let before_path = before_dir.path().join("program.py");
    let after_path = after_dir.path().join("program.py");
    fs::write(&before_path, &text).unwrap();
    fs::write(&after_path, &fixed).unwrap();
    let before = run_python(&before_path, before_dir.path());
    let after = run_python(&after_path, after_dir.path());
    let mut errors = Vec::new();
    if !shows_leak(&before.stderr) {
        errors.push(format!("the original shows no leak; stderr:\n{}", before.stderr));
    }
    if shows_leak(&after.stderr) {
        errors.push(format!("the rewritten program still leaks; stderr:\n{}", after.stderr));
    }
    if before.stdout != after.stdout {
        errors.push(format!("stdout changed:\n--- before\n{}--- after\n{}", before.stdout, after.stdout));
    }
    if before.code != after.code {
        errors.push(format!("exit status changed: {:?} -> {:?}\n{}", before.code, after.code, after.stderr));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n{}\n--- rewritten program\n{fixed}", errors.join("\n")))
    }
}

#[test]
fn leaks_are_gone_at_runtime_and_output_is_unchanged() {
    let programs = programs();
    assert!(!programs.is_empty(), "no runtime proofs found");
    let failures: Vec<String> = programs.iter().filter_map(|p| prove(p).err()).collect();
    assert!(failures.is_empty(), "{} runtime proof(s) failed:\n{}", failures.len(), failures.join("\n\n"));
}
