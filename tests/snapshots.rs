//! Every fixture `codemods/<name>/*.py[i]` against `snapshots/<name>/<fixture>.snap`, plus the invariants every
//! rewrite must keep: no internal error, the output passes pyfix's compile-level net (src/compile.rs) and compiles
//! under python3, a second run changes nothing, every comment survives, `ok_*` has no finding, `nofix_*` has
//! findings and no fix, the others have a fix.
//! `PYFIX_UPDATE_SNAPSHOTS=1 cargo test` rewrites the snapshots; otherwise a mismatch writes `<fixture>.snap.new`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use pyfix::Outcome;

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in fs::read_dir(common::repo().join("codemods")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if matches!(f.extension().and_then(|e| e.to_str()), Some("py" | "pyi")) {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

fn snapshot_path(fixture: &Path) -> PathBuf {
    let dir = fixture.parent().unwrap().file_name().unwrap();
    let name = fixture.file_name().unwrap().to_string_lossy();
    let stem = name.strip_suffix(".py").unwrap_or(&name);
    common::repo().join("snapshots").join(dir).join(format!("{stem}.snap"))
}

/// Findings, then the diff: what a reviewer reads.
fn render(name: &str, text: &str, outcome: &Outcome) -> String {
    let Outcome::Checked { findings, fixed, .. } = outcome else {
        panic!("{name}: fixture does not parse");
    };
    let mut s = String::new();
    for r in findings {
        s.push_str(&r.render());
        if let Some(title) = &r.fix_title {
            s.push_str(&format!(" -> {title}"));
        }
        s.push('\n');
    }
    if findings.is_empty() {
        s.push_str("(no findings)\n");
    }
    s.push('\n');
    match fixed {
        Some(new) => s.push_str(&pyfix::diff::unified(text, new, name, false)),
        None => s.push_str("(no changes)\n"),
    }
    s
}

/// The single check: one fixture, its snapshot and every invariant. Returns the failures.
fn check(fixture: &Path, outputs: &mut Vec<(PathBuf, Vec<u8>)>) -> Vec<String> {
    let mut failures = Vec::new();
    let name = fixture.file_name().unwrap().to_string_lossy().to_string();
    let bytes = fs::read(fixture).unwrap();
    let decoded = pyfix::decode(&bytes).unwrap();
    let text = decoded.text.to_string();
    let codemod = common::codemod_of(fixture);
    let opts = common::fixture_options(&text);
    let is_stub = name.ends_with(".pyi");
    let outcome = common::run(&text, codemod, &opts, is_stub);
    let Outcome::Checked { findings, fixed, bugs, applied, .. } = &outcome else {
        return vec![format!("{name}: fixture does not parse")];
    };
    // `--check` labels a fix exactly as the run applies it: every fix the findings offer at this tier lands. Checked
    // for bare-open, whose fixes are one per finding (mutable-default may apply two findings' guards as one).
    let offered = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|a| opts.unsafe_fixes || **a == pyfix::edit::Applicability::Safe)
        .count();
    if codemod.name() == "bare-open" && offered != *applied {
        failures.push(format!("{name}: {offered} fix(es) offered, {applied} applied"));
    }
    for bug in bugs {
        failures.push(format!("{name}: internal error: {bug}"));
    }

    // The snapshot.
    let rendered = render(&name, &text, &outcome);
    let snap = snapshot_path(fixture);
    let expected = fs::read_to_string(&snap).ok();
    if expected.as_deref() != Some(rendered.as_str()) {
        if std::env::var_os("PYFIX_UPDATE_SNAPSHOTS").is_some() {
            fs::create_dir_all(snap.parent().unwrap()).unwrap();
            fs::write(&snap, &rendered).unwrap();
            let _ = fs::remove_file(snap.with_extension("snap.new"));
        } else {
            fs::create_dir_all(snap.parent().unwrap()).unwrap();
            fs::write(snap.with_extension("snap.new"), &rendered).unwrap();
            failures.push(format!(
                "{name}: snapshot {} (see {}.new)",
                if expected.is_some() { "differs" } else { "missing" },
                snap.display()
            ));
        }
    }

    // The kind of fixture.
    let stem = name.as_str();
    if stem.starts_with("ok_") {
        if !findings.is_empty() {
            failures.push(format!("{name}: an ok_ fixture has findings"));
        }
    } else if stem.starts_with("nofix_") {
        if findings.is_empty() {
            failures.push(format!("{name}: a nofix_ fixture has no finding"));
        }
        if findings.iter().any(|f| f.fix.is_some()) {
            failures.push(format!("{name}: a nofix_ fixture has a fix"));
        }
    } else if fixed.is_none() {
        failures.push(format!("{name}: a fixture without prefix must be fixed (name it ok_ or nofix_ otherwise)"));
    }

    if let Some(new) = fixed {
        // Idempotent: a second run changes nothing.
        match common::run(new, codemod, &opts, is_stub) {
            Outcome::Checked { fixed: Some(again), .. } => failures.push(format!(
                "{name}: a second run changes the output again:\n{}",
                pyfix::diff::unified(new, &again, &name, false)
            )),
            Outcome::Checked { .. } => {}
            Outcome::Skipped { reason } => failures.push(format!("{name}: the output does not parse: {reason}")),
        }
        // The compile-level net fix_source applies inside (no compile error the fixture did not have), checked
        // here again on the final text so a harness run shows the error itself.
        match pyfix::compile::introduced_by_rewrite(&text, new, opts.target) {
            Ok(errors) => {
                failures.extend(errors.into_iter().map(|e| format!("{name}: the output does not compile: {e}")))
            }
            Err(reason) => failures.push(format!("{name}: {reason}")),
        }
        // Every comment survives, except lint codes asking for `with` on a line pyfix rewrote (`# noqa: SIM115`)
        // and tool directives trailing a statement pyfix removed (`f.close()  # type: ignore`), which go with it:
        // such a comment must then survive in part (its other text) or be a directive only.
        let asks_for_with = |c: &str| ["SIM115", "consider-using-with", "R1732"].iter().any(|code| c.contains(code));
        let directive = |p: &str| {
            ["type:", "noqa", "pylint:", "pyright:", "mypy:", "pragma:", "fmt:", "isort:", "nosec", "pyre-", "ruff:"]
                .iter()
                .any(|d| p.trim().to_ascii_lowercase().starts_with(d))
        };
        let without_directives = |c: &str| {
            c.split('#')
                .map(str::trim)
                .filter(|p| !p.is_empty() && !directive(p))
                .map(|p| format!("# {p}"))
                .collect::<Vec<_>>()
                .join("  ")
        };
        let mut before: Vec<String> = common::comments(&text)
            .into_iter()
            .filter(|c| !asks_for_with(c))
            .map(|c| if c.split('#').any(directive) && !new.contains(c.as_str()) { without_directives(&c) } else { c })
            .filter(|c| !c.is_empty())
            .collect();
        let mut after = common::comments(new);
        before.sort();
        after.sort();
        for c in before {
            if let Some(i) = after.iter().position(|a| *a == c) {
                after.remove(i);
            } else {
                failures.push(format!("{name}: comment lost: {c}"));
            }
        }
        // The line endings are the file's own.
        if text.contains("\r\n") && new.replace("\r\n", "").contains('\n') {
            failures.push(format!("{name}: a CRLF file got LF line endings"));
        }
        if !is_stub {
            outputs.push((PathBuf::from(&name), decoded.encode(new).unwrap()));
        }
    }
    failures
}

#[test]
fn fixtures_match_snapshots_and_keep_invariants() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for f in &fixtures {
        failures.extend(check(f, &mut outputs));
    }
    // Every output compiles under python3 (catches what our parser accepts and CPython does not).
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (name, text)) in outputs.iter().enumerate() {
        let p = tmp.path().join(format!("{i}_{}", name.display()));
        fs::write(&p, text).unwrap();
        paths.push(p);
    }
    failures.extend(common::python_compile_errors(&paths).into_iter().map(|e| format!("output does not compile: {e}")));
    assert!(failures.is_empty(), "{} fixture failure(s):\n{}", failures.len(), failures.join("\n"));
}

/// The README's `## Example`: the first python block becomes the second (with unsafe fixes when the section says
/// `--unsafe-fixes`).
#[test]
fn readme_examples_go_from_before_to_after() {
    let mut failures = Vec::new();
    for codemod in pyfix::codemods::ALL {
        let readme = codemod.docs();
        let Some(section) = readme.split("\n## Example").nth(1) else {
            failures.push(format!("{}: README has no ## Example section", codemod.name()));
            continue;
        };
        let section = section.split("\n## ").next().unwrap();
        let blocks: Vec<&str> = section.split("```python\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
        if blocks.len() < 2 {
            failures.push(format!("{}: ## Example needs a before and an after python block", codemod.name()));
            continue;
        }
        // An example whose fix is unsafe says so in its prose, and is checked with unsafe fixes on.
        let unsafe_fixes = section.contains("--unsafe-fixes");
        let opts = common::FixtureOptions { target: pyfix::config::DEFAULT_TARGET, unsafe_fixes, fix_noqa: false };
        match common::run(blocks[0], *codemod, &opts, false) {
            Outcome::Checked { fixed, .. } => {
                let got = fixed.unwrap_or_else(|| blocks[0].to_string());
                if got != blocks[1] {
                    failures.push(format!(
                        "{}: README example: pyfix gives\n{got}\nnot\n{}",
                        codemod.name(),
                        blocks[1]
                    ));
                }
            }
            Outcome::Skipped { reason } => {
                failures.push(format!("{}: README example does not parse: {reason}", codemod.name()))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every codemod has its three places: source (the registry), docs + fixtures, snapshots; and no orphan snapshot.
#[test]
fn every_codemod_has_fixtures_and_no_snapshot_is_orphaned() {
    for codemod in pyfix::codemods::ALL {
        let dir = codemod.name().replace('-', "_");
        let fixtures = common::repo().join("codemods").join(&dir);
        assert!(fixtures.join("README.md").is_file(), "{dir}: no README.md");
        for prefix in ["ok_", "nofix_"] {
            let has =
                fs::read_dir(&fixtures).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(prefix));
            assert!(has, "{dir}: no {prefix} fixture");
        }
    }
    let known: Vec<PathBuf> = fixtures().iter().map(|f| snapshot_path(f)).collect();
    for dir in fs::read_dir(common::repo().join("snapshots")).unwrap() {
        for snap in fs::read_dir(dir.unwrap().path()).unwrap() {
            let snap = snap.unwrap().path();
            if snap.extension().is_some_and(|e| e == "snap") {
                assert!(known.contains(&snap), "orphaned snapshot {} (its fixture is gone)", snap.display());
            }
        }
    }
}
