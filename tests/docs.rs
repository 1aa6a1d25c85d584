//! The README is for users: it never points outside the repository, and every relative link in it resolves.
//! (Contributor-only material lives in CONTRIBUTING.md.)

use std::path::Path;

#[test]
fn readme_never_points_outside_the_repo() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    for (i, line) in readme.lines().enumerate() {
        assert!(!line.contains("../"), "README.md:{}: points outside the repository: {line}", i + 1);
        assert!(!line.contains("shared/"), "README.md:{}: names the team's shared folder: {line}", i + 1);
    }
    // Markdown links `](target)` that are not URLs or anchors name files in the repository.
    let mut rest = readme.as_str();
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').expect("closed link");
        let target = after[..end].split('#').next().unwrap();
        if !target.is_empty() && !target.contains("://") {
            assert!(repo.join(target).exists(), "README.md links to {target}, which does not exist");
        }
        rest = &after[end..];
    }
}

/// The README's first 15 lines: what a newcomer reads before scrolling.
fn first_screen() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    readme.lines().take(15).collect::<Vec<_>>().join("\n")
}

#[test]
fn readme_first_screen_has_the_demo_and_the_test_command() {
    let first = first_screen();
    assert!(first.contains("cargo run --release -- --dry-run examples/"), "{first}");
    let test_command = first.lines().find(|l| l.starts_with("cargo test --locked")).expect("the test command");
    // How long to expect, measured (CONTRIBUTING.md says when and how).
    assert!(test_command.contains("minutes cold on 2 cores"), "{test_command}");
}

#[test]
fn readme_first_screen_says_the_demo_exits_1_on_purpose() {
    // The demo finds leaks, so it exits 1 (tests/examples.rs checks that); said up front, it does not read as a failure.
    let first = first_screen();
    assert!(first.contains("exits 1: findings remain; this is expected"), "{first}");
}

#[test]
fn contributor_docs_and_scripts_work_from_a_plain_clone() {
    // A clone has no `../shared`: the scripts a contributor runs, and the commands CONTRIBUTING.md gives, live here.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![repo.join("CONTRIBUTING.md")];
    for dir in ["scripts", "bench"] {
        for entry in std::fs::read_dir(repo.join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(!line.contains("../shared"), "{}:{}: points outside the repository: {line}", file.display(), i + 1);
        }
    }
    assert!(repo.join("scripts/get-corpus.sh").is_file(), "the corpus script is part of the repository");
}

#[test]
fn codemod_readmes_hold_no_review_notes() {
    // `pyfix --explain` prints codemods/<name>/README.md: what a corpus review found goes in REVIEW.md beside it.
    let codemods = Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods");
    for dir in std::fs::read_dir(codemods).unwrap() {
        let readme = dir.unwrap().path().join("README.md");
        let Ok(text) = std::fs::read_to_string(&readme) else { continue };
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            assert!(
                !lower.contains("corpus") && !lower.contains("review"),
                "{}:{}: a review note in users' docs (move it to REVIEW.md): {line}",
                readme.display(),
                i + 1
            );
            // An installed pyfix has no fixtures beside it: their names and the team's FIXMEs are for contributors.
            let names_fixture = line.split('`').any(|w| w.ends_with(".py") && readme.with_file_name(w).is_file());
            assert!(
                !line.contains("FIXME") && !names_fixture && !lower.contains("this folder"),
                "{}:{}: a contributor note in users' docs: {line}",
                readme.display(),
                i + 1
            );
        }
    }
}
