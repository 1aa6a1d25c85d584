//! The command-line conventions ruff users expect (issue 21): `--show-fixes`, `--exit-non-zero-on-fix`, the
//! `extend-safe-fixes` / `extend-unsafe-fixes` settings, SARIF `partialFingerprints` that survive moved lines, and a
//! cache that stays bounded over many runs.

mod harness;

use harness::*;
use serde_json::Value;
use std::path::Path;

const OPEN_TITLE: &str = "Open `f` in a `with` block";
const MUTABLE_TITLE: &str = "Default to `None` and build the list inside";

fn two_files() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "b.py", format!("{MUTABLE}\n\n{BARE_OPEN}"));
    dir
}

#[test]
fn show_fixes_lists_each_applied_fix_per_file_in_fix_and_dry_runs() {
    let dir = two_files();
    let expected = |verb: &str| {
        format!(
            "{verb} 3 leaks:\n- a.py:\n    1 × bare-open: {OPEN_TITLE}\n- b.py:\n    1 × bare-open: {OPEN_TITLE}\n    1 × \
             mutable-default: {MUTABLE_TITLE}\n"
        )
    };
    let dry = pyfix(dir.path(), &["--dry-run", "--show-fixes", "--color", "never"]);
    dry.code(1);
    assert!(dry.stdout.starts_with("--- a/a.py"), "the diffs come first: {dry:?}");
    assert!(dry.stdout.ends_with(&expected("Would fix")), "{dry:?}");
    // From the cache: the same list.
    let again = pyfix(dir.path(), &["--dry-run", "--show-fixes", "--color", "never"]);
    assert_eq!(again.stdout, dry.stdout);
    // Without the flag: no list.
    assert!(!pyfix(dir.path(), &["--dry-run"]).stdout.contains("Would fix"));

    let fix = pyfix(dir.path(), &["--show-fixes"]);
    fix.code(0);
    assert_eq!(fix.stdout, expected("Fixed"));
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN_FIXED);
    // Nothing left to fix: nothing listed.
    let clean = pyfix(dir.path(), &["--show-fixes"]);
    clean.code(0);
    assert_eq!(clean.stdout, "");
}

#[test]
fn show_fixes_counts_repeated_fixes_and_keeps_machine_output_parseable() {
    let dir = tempdir();
    write(dir.path(), "m.py", format!("{MUTABLE}\n\n{}", MUTABLE.replace("def add", "def add_again")));
    let run = pyfix(dir.path(), &["--dry-run", "--show-fixes", "--output-format", "json"]);
    run.code(1);
    let findings: Value = serde_json::from_str(&run.stdout).expect("stdout stays one JSON document");
    assert_eq!(findings.as_array().unwrap().len(), 2);
    assert!(
        run.stderr.contains(&format!("Would fix 2 leaks:\n- m.py:\n    2 × mutable-default: {MUTABLE_TITLE}\n")),
        "{run:?}"
    );

    // stdin: stdout is the fixed source, the list goes to stderr.
    let run = pyfix_with(dir.path(), &["-", "--show-fixes"], Some(BARE_OPEN.as_bytes()));
    assert_eq!(run.stdout, BARE_OPEN_FIXED);
    assert!(run.stderr.contains(&format!("Fixed 1 leak:\n- <stdin>:\n    1 × bare-open: {OPEN_TITLE}\n")), "{run:?}");
}

#[test]
fn show_fixes_is_refused_with_check() {
    let dir = two_files();
    let run = pyfix(dir.path(), &["--check", "--show-fixes"]);
    run.code(2);
    assert!(run.stderr.contains("--show-fixes") && run.stderr.contains("--check"), "{run:?}");
}

#[test]
fn exit_non_zero_on_fix_fails_a_run_that_rewrote_something() {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "clean.py", "x = 1\n");
    // Today's exit codes: everything fixed, nothing left: 0.
    let plain = tempdir();
    write(plain.path(), "a.py", BARE_OPEN);
    pyfix(plain.path(), &[]).code(0);

    pyfix(dir.path(), &["--exit-non-zero-on-fix"]).code(1);
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN_FIXED, "the fix is written all the same");
    // Nothing to rewrite any more: 0 again.
    pyfix(dir.path(), &["--exit-non-zero-on-fix"]).code(0);
    // A finding left stays 1 with or without a rewrite; an error stays 2.
    write(dir.path(), "left.py", NO_FIX);
    pyfix(dir.path(), &["--exit-non-zero-on-fix"]).code(1);
    write(dir.path(), "broken.py", "def (:\n");
    write(dir.path(), "b.py", BARE_OPEN);
    pyfix(dir.path(), &["--exit-non-zero-on-fix"]).code(2);
    // stdin: the fixed source differs from the input.
    pyfix_with(dir.path(), &["-", "--exit-non-zero-on-fix"], Some(BARE_OPEN.as_bytes())).code(1);
    pyfix_with(dir.path(), &["-", "--exit-non-zero-on-fix"], Some(b"x = 1\n")).code(0);
    // A dry run writes nothing: its codes are today's.
    write(dir.path(), "c.py", MUTABLE);
    std::fs::remove_file(dir.path().join("broken.py")).unwrap();
    std::fs::remove_file(dir.path().join("left.py")).unwrap();
    pyfix(dir.path(), &["--exit-non-zero-on-fix", "--dry-run"]).code(1);
}

#[test]
fn extend_safe_fixes_makes_a_codemods_unsafe_fixes_safe() {
    let dir = tempdir();
    write(dir.path(), "u.py", UNSAFE);
    write(dir.path(), "n.py", NO_FIX);
    let before = pyfix(dir.path(), &["--check"]);
    assert!(
        before.stdout.contains("u.py:2:25: bare-open: the file from `open()` is never closed [fix: unsafe]"),
        "{before:?}"
    );

    write(dir.path(), "pyproject.toml", "[tool.pyfix]\nextend-safe-fixes = [\"bare-open\"]\n");
    // The cache key covers the setting: the stored result of the run above is not reused.
    let run = pyfix(dir.path(), &["--check"]);
    run.code(1);
    assert!(
        run.stdout.contains("u.py:2:25: bare-open: the file from `open()` is never closed [fix: safe]\n"),
        "{run:?}"
    );
    // A finding without a fix is not given one.
    assert!(run.stdout.contains("n.py:2:12: bare-open:") && run.stdout.contains("[fix: none]"), "{run:?}");
    let fix = pyfix(dir.path(), &["--show-fixes"]);
    fix.code(1);
    assert!(read(dir.path(), "u.py").contains("with open(path, \"rb\") as f:"), "applied by a plain run");
    assert_eq!(read(dir.path(), "n.py"), NO_FIX);
}

#[test]
fn extend_unsafe_fixes_makes_a_codemods_safe_fixes_unsafe() {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "m.py", MUTABLE);
    write(dir.path(), "pyfix.toml", "extend-unsafe-fixes = [\"bare-open\"]\n");
    let run = pyfix(dir.path(), &["--check"]);
    assert!(run.stdout.starts_with("a.py:2:9: bare-open: "), "{run:?}");
    assert!(
        run.stdout.contains("[fix: unsafe] (`extend-unsafe-fixes` in the config makes bare-open's fixes unsafe)"),
        "{run:?}"
    );
    assert!(run.stdout.contains("m.py:1:21: mutable-default:") && run.stdout.contains("[fix: safe]"), "{run:?}");
    // A plain run leaves it; --unsafe-fixes applies it.
    let plain = pyfix(dir.path(), &[]);
    plain.code(1);
    assert!(plain.summary().contains("1 more needs --unsafe-fixes"), "{plain:?}");
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN);
    assert_eq!(read(dir.path(), "m.py"), MUTABLE_FIXED);
    pyfix(dir.path(), &["--unsafe-fixes"]).code(0);
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN_FIXED);
}

#[test]
fn fix_safety_overrides_are_checked_like_select() {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "pyproject.toml", "[tool.pyfix]\nextend-safe-fixes = [\"bare-opn\"]\n");
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(
        run.stderr.contains(
            "pyproject.toml: [tool.pyfix] extend-safe-fixes: unknown codemod `bare-opn` (did you mean `bare-open`?"
        ),
        "{run:?}"
    );
    write(dir.path(), "pyproject.toml", "[tool.pyfix]\nextend-unsafe-fixes = \"bare-open\"\n");
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(run.stderr.contains("extend-unsafe-fixes: expected a list of strings"), "{run:?}");
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.pyfix]\nextend-safe-fixes = [\"bare-open\", \"mutable-default\"]\nextend-unsafe-fixes = [\"bare_open\"]\n",
    );
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(
        run.stderr.contains("extend-safe-fixes: `bare-open` is also in extend-unsafe-fixes")
            && run.stderr.contains("hint: remove it from one of the two lists"),
        "{run:?}"
    );
    // A typo of the key itself gets the usual hint.
    write(dir.path(), "pyproject.toml", "[tool.pyfix]\nextend-safe-fix = [\"bare-open\"]\n");
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(run.stderr.contains("unknown key `extend-safe-fix` (did you mean `extend-safe-fixes`?)"), "{run:?}");
}

fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::new(&schema).expect("the vendored SARIF schema compiles")
}

/// (ruleId, startLine, fingerprint) of each result of a `--check --output-format sarif` run, the log validated.
fn fingerprints(dir: &Path) -> Vec<(String, u64, String)> {
    let run = pyfix(dir, &["--check", "--output-format", "sarif", "--no-cache"]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<String> =
        sarif_validator().iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output does not validate:\n{}", errors.join("\n"));
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
            let print = r["partialFingerprints"]["pyfixFindingHash/v1"].as_str().unwrap().to_string();
            (r["ruleId"].as_str().unwrap().to_string(), line, print)
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_lines_inserted_above_and_tell_findings_apart() {
    let dir = tempdir();
    // Two findings of one codemod on identical lines, one of another codemod.
    let text = format!("{BARE_OPEN}\n\n{}\n\n{MUTABLE}", BARE_OPEN.replace("def read", "def read_again"));
    write(dir.path(), "a.py", &text);
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 3, "{before:?}");
    let mut distinct: Vec<&str> = before.iter().map(|(_, _, f)| f.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "every finding has its own fingerprint: {before:?}");

    // Lines inserted above every finding (and reindented code would do the same): the lines move, the
    // fingerprints do not.
    write(dir.path(), "a.py", format!("import os\n\n\nCONSTANT = 1\n{text}"));
    let after = fingerprints(dir.path());
    assert_eq!(after.len(), 3);
    for ((rule, line, print), (rule2, line2, print2)) in before.iter().zip(&after) {
        assert_eq!(rule, rule2);
        assert_eq!(line + 4, *line2, "the finding moved");
        assert_eq!(print, print2, "{rule} at line {line} changed fingerprint");
    }

    // The same finding in another file is another alert.
    write(dir.path(), "b.py", &text);
    let both = fingerprints(dir.path());
    assert_eq!(both.len(), 6);
    assert!(both[3..].iter().all(|(_, _, f)| !before.iter().any(|(_, _, g)| g == f)), "{both:?}");
}

/// Paths of the cache file's entries.
fn cache_entries(dir: &Path) -> Vec<String> {
    let file = dir.join(format!(".pyfix_cache/pyfix-{}.json", env!("CARGO_PKG_VERSION")));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut paths: Vec<String> = doc["files"].as_object().unwrap().keys().cloned().collect();
    paths.sort();
    paths
}

/// The bound the README documents: entries only for files that exist and were used by one of the last 100 runs.
#[test]
fn the_cache_stays_bounded_after_100_runs_over_changing_files() {
    let dir = tempdir();
    // Another version's cache: deleted by the first save once unused for 30 days; one in use stays, as do locks.
    write(dir.path(), ".pyfix_cache/pyfix-0.0.1.json", "{\"format\": 1, \"files\": {}}");
    write(dir.path(), ".pyfix_cache/pyfix-0.0.1.lock", "");
    write(dir.path(), ".pyfix_cache/pyfix-0.0.2.json", "{\"format\": 1, \"files\": {}}");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 24 * 3600);
    let file = std::fs::File::options().write(true).open(dir.path().join(".pyfix_cache/pyfix-0.0.1.json")).unwrap();
    file.set_modified(old).unwrap();
    write(dir.path(), "kept.py", NO_FIX);
    write(dir.path(), "work/a.py", NO_FIX);
    pyfix(dir.path(), &["--check", "."]).code(1);
    assert!(!dir.path().join(".pyfix_cache/pyfix-0.0.1.json").exists());
    assert!(dir.path().join(".pyfix_cache/pyfix-0.0.1.lock").exists());
    assert!(dir.path().join(".pyfix_cache/pyfix-0.0.2.json").exists(), "a version still in use keeps its cache");
    assert_eq!(cache_entries(dir.path()), ["kept.py", "work/a.py"]);

    // 100 runs over `work/` only, each on a new file (the one before deleted) and an edited one.
    let mut largest = 0;
    for i in 0..100 {
        if i > 0 {
            std::fs::remove_file(dir.path().join(format!("work/new_{}.py", i - 1))).unwrap();
        }
        write(dir.path(), &format!("work/new_{i}.py"), format!("# {i}\n{NO_FIX}"));
        write(dir.path(), "work/a.py", format!("{NO_FIX}# edit {i}\n"));
        pyfix(dir.path(), &["--check", "--quiet", "work"]).code(1);
        let entries = cache_entries(dir.path());
        assert!(entries.len() <= 3, "run {i}: {entries:?}");
        let size = std::fs::metadata(dir.path().join(format!(".pyfix_cache/pyfix-{}.json", env!("CARGO_PKG_VERSION"))))
            .unwrap()
            .len();
        largest = largest.max(size);
    }
    // `kept.py` exists but no run of the last 100 used it: dropped.
    assert_eq!(cache_entries(dir.path()), ["work/a.py", "work/new_99.py"]);
    assert!(largest < 4096, "the cache file grew to {largest} bytes");
}
