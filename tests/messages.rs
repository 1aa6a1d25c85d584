//! The first hour with pyfix, as its messages and flags show it: what a newcomer types (ruff habits, odd versions,
//! empty directories, generated files) and what pyfix answers. The CLI contract at large is tests/cli.rs.

mod harness;

use std::path::Path;
use std::process::Command;

use harness::{pyfix, read, tempdir, write, BARE_OPEN, MUTABLE};

// ---------------------------------------------------------------------------------------------------------------
// --target-version and `target-version`: only the versions pyfix knows

#[test]
fn target_versions_pyfix_does_not_know_are_refused_with_the_range() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);
    for v in ["3", "3.99", "3.6", "2.7", "3.x"] {
        let run = pyfix(dir, &["--target-version", v]);
        run.code(2);
        assert_eq!(
            run.stderr,
            format!(
                "pyfix: --target-version: `{v}` is not a Python version pyfix knows (hint: one of 3.7 to 3.15, \
                 written as 3.9)\n"
            )
        );
        write(dir, "pyfix.toml", format!("target-version = \"{v}\"\n"));
        let run = pyfix(dir, &["--check"]);
        run.code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.starts_with("pyfix: "), "{run:?}");
        assert!(
            run.stderr.ends_with(&format!(
                "pyfix.toml: [tool.pyfix] target-version: `{v}` is not a Python version pyfix knows (hint: one of \
                 3.7 to 3.15, written as 3.9)\n"
            )),
            "{run:?}"
        );
        std::fs::remove_file(dir.join("pyfix.toml")).unwrap();
    }
    assert_eq!(read(dir, "b.py"), MUTABLE);
    for v in ["3.7", "3.15"] {
        pyfix(dir, &["--check", "--target-version", v]).code(1);
    }
}

#[test]
fn requires_python_below_the_known_versions_reads_as_the_lowest() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nrequires-python = \">=3.6\"\n");
    write(dir, "b.py", MUTABLE);
    pyfix(dir, &["--check"]).code(1);
}

// ---------------------------------------------------------------------------------------------------------------
// `pyfix --fix` (ruff's habit): fixing is the default

#[test]
fn fix_flag_says_fixing_is_the_default_and_writes_nothing() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);
    for args in [&["--fix"][..], &["--fix", "b.py"], &["b.py", "--fix", "--unsafe-fixes"]] {
        let run = pyfix(dir, args);
        run.code(2);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            "pyfix: --fix: unknown flag; fixing is what pyfix does by default (hint: drop --fix; --dry-run previews \
             the changes without writing)\n",
            "{args:?}"
        );
    }
    assert_eq!(read(dir, "b.py"), MUTABLE);
    let help = pyfix(dir, &["--help"]);
    assert!(!help.stdout.contains("--fix"), "--fix is not offered in --help\n{help:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// What --help and the README say about inputs and outputs

#[test]
fn help_names_notebooks_among_the_files_searched() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--help"]);
    run.code(0);
    assert!(run.stdout.contains("*.py, *.pyi and *.ipynb"), "{run:?}");
}

#[test]
fn readme_json_example_has_every_field_pyfix_prints_in_its_order() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("A JSON finding:\n\n```json\n").expect("the README shows a JSON finding");
    let block = &readme[start..];
    let block = &block[block.find('{').unwrap()..];
    let block = &block[..block.find("```").unwrap()];
    let example: serde_json::Value = serde_json::from_str(block).expect("the README's JSON finding parses");
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    let run = pyfix(tmp.path(), &["--check", "--output-format", "json"]);
    run.code(1);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&example), keys(&printed[0]));
    assert_eq!(keys(&example["fix"]), keys(&printed[0]["fix"]));
}

// ---------------------------------------------------------------------------------------------------------------
// The summary counts the files processed

#[test]
fn summary_counts_only_the_files_processed() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "bad.py", "def f(:\n");
    for args in [&["--check"][..], &["--dry-run"], &[]] {
        let run = pyfix(dir, args);
        run.code(2);
        assert_eq!(run.summary(), "No leaks found in 0 files; 1 error (see above)", "{args:?}");
    }
    write(dir, "gen.py", format!("# @generated\n{MUTABLE}"));
    write(dir, "ok.py", "x = 1\n");
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert_eq!(
        run.summary(),
        "No leaks found in 1 file; 1 file skipped (says it is generated; --include-generated processes them, \
         --show-skipped lists them); 1 error (see above)"
    );
    write(dir, "b.py", MUTABLE);
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert!(run.summary().starts_with("Found 1 leak in 1 of 2 files;"), "{run:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// A directory with no Python file in it

#[test]
fn an_empty_argument_is_named_as_such() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--check", ""]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "pyfix: an empty argument is not a path (hint: is a shell variable in the command unset? `.` is the current \
         directory)\n"
    );
}

#[test]
fn a_directory_with_no_python_files_is_an_error_naming_it() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "docs/index.md", "# docs\n");
    write(dir, "src/b.py", MUTABLE);
    write(dir, "legacy/old.py", MUTABLE);
    write(dir, "pyfix.toml", "extend-exclude = [\"legacy/old.py\"]\n");
    std::fs::create_dir(dir.join("empty")).unwrap();
    let hint = "(hint: directories are searched for *.py, *.pyi and *.ipynb, leaving out hidden, ignored and \
                excluded paths)";
    for (path, shown) in [("empty/", "empty/"), ("./empty", "empty"), ("docs", "docs"), ("legacy", "legacy")] {
        let run = pyfix(dir, &["--check", path]);
        run.code(2);
        assert_eq!(
            run.stderr,
            format!("pyfix: {shown}: no Python files found {hint}\nNo leaks found in 0 files; 1 error (see above)\n")
        );
    }
    // The other paths are still processed.
    let run = pyfix(dir, &["src", "docs"]);
    run.code(2);
    assert_eq!(run.error_lines(), [format!("pyfix: docs: no Python files found {hint}")]);
    assert_eq!(run.summary(), "Fixed 1 leak in 1 file; 1 error (see above)");
    // A directory of generated files is not empty: they are found, then skipped.
    write(dir, "gen/g.py", format!("# @generated\n{MUTABLE}"));
    pyfix(dir, &["--check", "gen"]).code(0);
    // A file named on the command line and excluded by --force-exclude (pre-commit's way) is no error.
    pyfix(dir, &["--check", "--force-exclude", "legacy/old.py"]).code(0);
}

// ---------------------------------------------------------------------------------------------------------------
// Generated files: the markers the README lists, and --show-skipped

#[test]
fn a_sphinx_conf_py_is_not_taken_for_a_generated_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    // sphinx-quickstart's conf.py says "autogenerated file", and is edited by hand.
    let conf = format!(
        "# Configuration file for the Sphinx documentation builder.\n#\n# Note that not all possible configuration \
         values are present in this\n# autogenerated file.\n{MUTABLE}"
    );
    write(dir, "docs/conf.py", &conf);
    let run = pyfix(dir, &["--check", "docs/conf.py"]);
    run.code(1);
    assert!(run.stdout.starts_with("docs/conf.py:5:"), "{run:?}");
    // The README names each marker pyfix goes by.
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for marker in ["`@generated`", "\"do not edit\"", "\"automatically generated\"", "\"generated by\""] {
        assert!(readme.contains(marker), "the README does not list {marker}");
    }
    for (name, head) in [
        ("a.py", "# @Generated\n"),
        ("b.py", "# Code generated by protoc. DO NOT EDIT.\n"),
        ("c.py", "# Generated by Django 4.2 on 2024-01-01 12:00\n"),
        ("d.py", "\"\"\"Automatically generated from schema.json.\"\"\"\n"),
    ] {
        write(dir, &format!("gen/{name}"), format!("{head}{MUTABLE}"));
    }
    let run = pyfix(dir, &["--check", "gen"]);
    run.code(0);
    assert!(run.summary().contains("4 files skipped (say they are generated"), "{run:?}");
}

#[test]
fn show_skipped_names_each_generated_file_and_the_line_that_says_so() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(
        dir,
        "pkg/gen_pb2.py",
        format!("# -*- coding: utf-8 -*-\n# Code generated by protoc. DO NOT EDIT.\n{MUTABLE}"),
    );
    write(dir, "marked.py", format!("  # @generated  \n{MUTABLE}"));
    write(dir, "real.py", "x = 1\n");
    let run = pyfix(dir, &["--check"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        "No leaks found in 1 file; 2 files skipped (say they are generated; --include-generated processes them, \
         --show-skipped lists them)\n"
    );
    let list = "Skipped as generated (--include-generated processes them):\n  marked.py:1: # @generated\n  \
                pkg/gen_pb2.py:2: # Code generated by protoc. DO NOT EDIT.\n";
    let run = pyfix(dir, &["--check", "--show-skipped"]);
    run.code(0);
    assert_eq!(
        run.stderr,
        format!(
            "{list}No leaks found in 1 file; 2 files skipped (say they are generated; --include-generated processes \
             them)\n"
        )
    );
    // Asked for by name: listed with --quiet too, which drops only the summary.
    let run = pyfix(dir, &["--quiet", "--show-skipped"]);
    run.code(0);
    assert_eq!(run.stderr, list);
    // Nothing skipped: nothing listed.
    let run = pyfix(dir, &["--check", "--show-skipped", "real.py"]);
    assert_eq!(run.stderr, "No leaks found in 1 file\n");
}

// ---------------------------------------------------------------------------------------------------------------
// SARIF rules: a summary and a pointer, not every README; --explain through a pager on a terminal

#[test]
fn sarif_rules_carry_each_codemods_summary_not_its_readme() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", MUTABLE);
    let run = pyfix(dir, &["--check", "--output-format", "sarif"]);
    run.code(1);
    assert!(run.stdout.len() < 20_000, "{} bytes of SARIF for two findings", run.stdout.len());
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let list = pyfix(dir, &["--list"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), list.stdout_lines().len());
    for (rule, line) in rules.iter().zip(list.stdout_lines()) {
        let id = rule["id"].as_str().unwrap();
        let summary = line.strip_prefix(id).unwrap().trim();
        assert_eq!(rule["shortDescription"]["text"], summary);
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.starts_with(summary), "{help}");
        assert!(help.contains(&format!("`pyfix --explain {id}`")), "{help}");
        assert!(!rule.to_string().contains("## "), "a README heading in the rule: {rule}");
    }
}

/// Runs `pyfix ARGS` with stdout on a pseudo-terminal (util-linux `script`) and `PAGER` set; returns what the
/// terminal showed.
fn on_a_terminal(dir: &Path, args: &str, pager: &str) -> String {
    let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_pyfix"));
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("PAGER", pager)
        .current_dir(dir)
        .output()
        .expect("util-linux `script` runs (it makes the pseudo-terminal this test needs)");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn explain_goes_through_the_pager_only_on_a_terminal() {
    let tmp = tempdir();
    let dir = tmp.path();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods/bare_open/README.md")).unwrap();
    // On a terminal: PAGER is a shell command line, as git runs it.
    let shown = on_a_terminal(dir, "--explain bare-open", "cat > paged.txt");
    assert!(!shown.contains("# bare-open"), "printed around the pager:\n{shown}");
    assert_eq!(read(dir, "paged.txt").trim_end(), readme.trim_end());
    std::fs::remove_file(dir.join("paged.txt")).unwrap();
    // A pager that cannot start: printed as is.
    let shown = on_a_terminal(dir, "--explain bare-open", "/nonexistent/pager");
    assert!(shown.contains("# bare-open"), "{shown}");
    // Off a terminal: never a pager.
    let run = harness::command(dir, &["--explain", "bare-open"]).env("PAGER", "cat > paged.txt").output().unwrap();
    assert!(run.status.success());
    assert_eq!(String::from_utf8(run.stdout).unwrap().trim_end(), readme.trim_end());
    assert!(!dir.join("paged.txt").exists());
}
