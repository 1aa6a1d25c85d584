//! The cache of per-file results: `.pyfix_cache/` at the project root with a `.gitignore` inside, keyed by the
//! file's bytes, the settings and pyfix's version; `--no-cache`; the `cache-dir` setting; a corrupt or unwritable
//! cache is ignored with a note. (Its speed is measured by bench/cache.sh, not here.)

mod harness;

use harness::*;
use std::path::Path;

fn cache_file(dir: &Path) -> std::path::PathBuf {
    dir.join(format!(".pyfix_cache/pyfix-{}.json", env!("CARGO_PKG_VERSION")))
}

/// The cache file's text with `from` replaced by `to` in every entry, each entry's checksum made to match (without
/// that the entry would be dropped as corrupt). An entry's result is JSON text in a string.
fn doctor(text: &str, from: &str, to: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    for entry in doc["files"].as_object_mut().unwrap().values_mut() {
        let result = entry["result"].as_str().unwrap().replace(from, to);
        let sum = pyfix::cache::checksum(entry["key"].as_str().unwrap(), &result);
        entry["result"] = result.into();
        entry["sum"] = sum.into();
    }
    doc.to_string()
}

fn sample() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "b.py", NO_FIX);
    write(dir.path(), "clean.py", "x = 1\n");
    dir
}

#[test]
fn a_second_run_answers_from_the_cache_with_the_same_output() {
    let dir = sample();
    let first = pyfix(dir.path(), &["--check", "--output-format", "json"]);
    first.code(1);
    assert_eq!(read(dir.path(), ".pyfix_cache/.gitignore").lines().last(), Some("*"));
    assert!(cache_file(dir.path()).is_file());
    let second = pyfix(dir.path(), &["--check", "--output-format", "json"]);
    second.code(1);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(second.stderr, first.stderr);
    // A dry run from the cache shows the same diff as one without it.
    let cached = pyfix(dir.path(), &["--dry-run"]);
    let fresh = pyfix(dir.path(), &["--dry-run", "--no-cache"]);
    cached.code(1);
    assert_eq!(cached.stdout, fresh.stdout);
    assert!(cached.stdout.contains("+    with open(path) as f:"));
}

#[test]
fn the_cache_is_read_and_its_key_covers_content_and_settings() {
    let dir = sample();
    pyfix(dir.path(), &["--check"]).code(1);
    // Prove the next run reads the cache: doctor the stored message and see it come back.
    let text = std::fs::read_to_string(cache_file(dir.path())).unwrap();
    assert!(text.contains("escapes: it is yielded"), "{text}");
    std::fs::write(cache_file(dir.path()), doctor(&text, "escapes: it is yielded", "FROM THE CACHE")).unwrap();
    let run = pyfix(dir.path(), &["--check"]);
    assert!(run.stdout.contains("b.py:2:12: bare-open: the file from `open()` FROM THE CACHE"), "{run:?}");
    // Other settings: another key, a fresh result.
    let run = pyfix(dir.path(), &["--check", "--unsafe-fixes"]);
    assert!(run.stdout.contains("escapes: it is yielded"), "{run:?}");
    // Other content: a fresh result.
    write(dir.path(), "b.py", format!("{NO_FIX}\n"));
    let run = pyfix(dir.path(), &["--check"]);
    assert!(run.stdout.contains("escapes: it is yielded"), "{run:?}");
}

#[test]
fn a_fix_run_from_the_cache_writes_the_fix() {
    let dir = sample();
    pyfix(dir.path(), &["--check"]).code(1);
    pyfix(dir.path(), &[]).code(1);
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN_FIXED);
    let run = pyfix(dir.path(), &["--check"]);
    run.code(1);
    assert!(!run.stdout.contains("a.py"), "{run:?}");
}

#[test]
fn no_cache_writes_none_and_cache_dir_moves_it() {
    let dir = sample();
    pyfix(dir.path(), &["--check", "--no-cache"]).code(1);
    assert!(!dir.path().join(".pyfix_cache").exists());

    write(dir.path(), "pyproject.toml", "[tool.pyfix]\ncache-dir = \"build/pyfix-cache\"\n");
    write(dir.path(), "sub/c.py", MUTABLE);
    // Run from a subdirectory: the cache is at the project root (the config's directory), not in the cwd.
    pyfix(&dir.path().join("sub"), &["--check", "."]).code(1);
    assert!(!dir.path().join(".pyfix_cache").exists());
    assert!(!dir.path().join("sub/.pyfix_cache").exists());
    assert!(dir.path().join("build/pyfix-cache/.gitignore").is_file());
}

#[test]
fn a_corrupt_cache_is_ignored_with_a_note_and_rewritten() {
    let dir = sample();
    let expected = pyfix(dir.path(), &["--check", "--no-cache"]);
    std::fs::create_dir_all(dir.path().join(".pyfix_cache")).unwrap();
    std::fs::write(cache_file(dir.path()), "{ not json").unwrap();
    let run = pyfix(dir.path(), &["--check"]);
    run.code(1);
    assert_eq!(run.stdout, expected.stdout);
    assert!(run.stderr.contains("cache is corrupt; ignoring it"), "{run:?}");
    let again = pyfix(dir.path(), &["--check"]);
    assert!(!again.stderr.contains("cache"), "the cache was not rewritten: {again:?}");
}

#[test]
fn an_unwritable_cache_is_a_note_not_an_error() {
    let dir = sample();
    // A regular file where the cache directory should be: no cache can be made there (even as root).
    write(dir.path(), "pyproject.toml", "[tool.pyfix]\ncache-dir = \"blocker/cache\"\n");
    write(dir.path(), "blocker", "not a directory\n");
    let run = pyfix(dir.path(), &["--check"]);
    run.code(1);
    assert!(run.stdout.contains("a.py:2:9: bare-open"), "{run:?}");
    // One note, from reading: a cache that cannot be read is not written either.
    assert_eq!(run.error_lines().len(), 1, "{run:?}");
    assert!(run.error_lines()[0].ends_with("cannot read the cache (not a directory); running without it"), "{run:?}");
    let run = pyfix(dir.path(), &["--check", "--quiet"]);
    run.code(1);
    assert_eq!(run.stderr, "", "--quiet drops the note");
}

#[test]
fn a_run_with_include_generated_does_not_make_a_later_run_rewrite_a_generated_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    let generated = format!("# @generated\n{BARE_OPEN}");
    write(dir, "gen.py", &generated);
    write(dir, "a.py", BARE_OPEN);
    let run = pyfix(dir, &["--dry-run", "--include-generated", "."]);
    run.code(1);
    assert!(run.stdout.contains("+++ b/gen.py"), "{run:?}");
    // The cache now holds gen.py's fix, made with --include-generated: a plain run must not take it from there.
    let run = pyfix(dir, &["."]);
    run.code(0);
    assert_eq!(read(dir, "gen.py"), generated, "a generated file is left alone\n{run:?}");
    assert_eq!(read(dir, "a.py"), BARE_OPEN_FIXED);
    assert!(run.summary().contains("1 file skipped (says it is generated"), "{run:?}");
}

/// A memo dict (`pkg/memo.py`) whose fix only another module of the project can block: the project question reads
/// the words of every file of the project.
const MEMO: &str = "_cache = {}\n\n\ndef lookup(name):\n    if name in _cache:\n        return _cache[name]\n    value = name.upper()\n    _cache[name] = value\n    return value\n\n\ndef main():\n    return lookup(input())\n";
const CLEARS: &str = "from pkg import memo\n\n\ndef setup():\n    memo._cache.clear()\n";
const LEAVES: &str = "from pkg import memo\n\n\ndef setup():\n    memo.lookup('x')\n";

fn memo_project() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "pyproject.toml", "[project]\nname = \"pkg\"\n");
    // Every file has words: the corrupt-file test flips a bit in the last entry's last word.
    write(dir.path(), "pkg/__init__.py", "\"\"\"The package.\"\"\"\n");
    write(dir.path(), "pkg/memo.py", MEMO);
    write(dir.path(), "pkg/other.py", "x = 1\n");
    write(dir.path(), "tests/test_memo.py", CLEARS);
    dir
}

/// `pyfix --check --unsafe-fixes --select unbounded-cache` over the project (`args` after it), with the summary
/// counters on: the line for `pkg/memo.py` and the counters' line.
fn check_memo(dir: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec!["--check", "--unsafe-fixes", "--select", "unbounded-cache"];
    all.extend_from_slice(args);
    let out = command(dir, &all).env("PYFIX_TEST_SUMMARIES", "1").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let memo = stdout.lines().find(|l| l.contains("memo.py:")).unwrap_or_default().to_string();
    let counters = stderr.lines().find(|l| l.contains("words of")).unwrap_or_default().to_string();
    (memo, counters)
}

#[test]
fn the_words_of_an_unchanged_file_are_reused_and_those_of_an_edited_one_recomputed() {
    let tmp = memo_project();
    let dir = tmp.path();
    let (memo, counters) = check_memo(dir, &["."]);
    assert!(memo.contains("[fix: none]"), "{memo}");
    // pkg/__init__.py, pkg/memo.py, pkg/other.py, tests/test_memo.py.
    assert_eq!(counters, "pyfix: words of 4 files summarised, 0 reused");
    let (again, counters) = check_memo(dir, &["."]);
    assert_eq!(again, memo);
    assert_eq!(counters, "pyfix: words of 0 files summarised, 4 reused");
    // One file edited: only its words are computed again.
    write(dir, "pkg/other.py", "x = 2\n");
    let (again, counters) = check_memo(dir, &["."]);
    assert_eq!(again, memo);
    assert_eq!(counters, "pyfix: words of 1 files summarised, 3 reused");
    // A run naming one file reads its project from the cache too; without the cache, every file is summarised.
    let (one, counters) = check_memo(dir, &["pkg/memo.py"]);
    assert_eq!(one, memo);
    assert_eq!(counters, "pyfix: words of 0 files summarised, 4 reused");
    let (fresh, counters) = check_memo(dir, &["--no-cache", "pkg/memo.py"]);
    assert_eq!(fresh, memo);
    assert_eq!(counters, "pyfix: words of 4 files summarised, 0 reused");
}

#[test]
fn an_edit_to_the_other_module_changes_the_decision_on_the_next_warm_run() {
    let tmp = memo_project();
    let dir = tmp.path();
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("[fix: none]") && memo.contains("`tests/test_memo.py:5` uses `_cache`"), "{memo}");
    // The test no longer clears the dict: memo.py itself is unchanged, its finding gets its fix back.
    write(dir, "tests/test_memo.py", LEAVES);
    let (memo, counters) = check_memo(dir, &["."]);
    assert!(memo.contains("[fix: unsafe]"), "{memo}");
    assert_eq!(counters, "pyfix: words of 1 files summarised, 3 reused");
    // And back: the words of the old content are still in the cache.
    write(dir, "tests/test_memo.py", CLEARS);
    let (memo, counters) = check_memo(dir, &["pkg/memo.py"]);
    assert!(memo.contains("[fix: none]"), "{memo}");
    assert_eq!(counters, "pyfix: words of 0 files summarised, 4 reused");
}

#[test]
fn a_corrupt_words_file_is_dropped_and_rewritten() {
    let tmp = memo_project();
    let dir = tmp.path();
    let (memo, _) = check_memo(dir, &["."]);
    let words = dir.join(format!(".pyfix_cache/pyfix-{}.words", env!("CARGO_PKG_VERSION")));
    let mut bytes = std::fs::read(&words).unwrap();
    // Flip a bit in the last entry's words: its checksum no longer matches, the entry is not used.
    let at = bytes.len() - 12;
    bytes[at] ^= 1;
    std::fs::write(&words, &bytes).unwrap();
    let (again, counters) = check_memo(dir, &["."]);
    assert_eq!(again, memo);
    assert_eq!(counters, "pyfix: words of 1 files summarised, 3 reused");
    // Cut short: nothing is used, every file is summarised again, and the file is whole again after.
    std::fs::write(&words, &bytes[..bytes.len() / 2]).unwrap();
    let (again, counters) = check_memo(dir, &["."]);
    assert_eq!(again, memo);
    assert_eq!(counters, "pyfix: words of 4 files summarised, 0 reused");
    let (_, counters) = check_memo(dir, &["."]);
    assert_eq!(counters, "pyfix: words of 0 files summarised, 4 reused");
}

#[test]
fn a_result_that_asked_other_modules_is_kept_while_their_answers_hold() {
    let tmp = memo_project();
    let dir = tmp.path();
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("`tests/test_memo.py:5` uses `_cache`"), "{memo}");
    // Prove the next run answers memo.py from the cache: doctor its stored reason and see it come back.
    let text = std::fs::read_to_string(cache_file(dir)).unwrap();
    std::fs::write(cache_file(dir), doctor(&text, "`tests/test_memo.py:5` uses", "FROM THE CACHE")).unwrap();
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("FROM THE CACHE"), "{memo}");
    // A file that does not name the dict changes no answer: still from the cache.
    write(dir, "pkg/other.py", "x = 2\n");
    write(dir, "pkg/new.py", "from pkg import memo\n");
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("FROM THE CACHE"), "{memo}");
    // The file that clears it, edited (the same use, one line down): a fresh result.
    write(dir, "tests/test_memo.py", format!("\n{CLEARS}"));
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("`tests/test_memo.py:6` uses `_cache`"), "{memo}");
    // A new file that names the dict: a fresh result, which names the first such file.
    write(dir, "pkg/a_user.py", "from pkg.memo import _cache\n");
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("`pkg/a_user.py:1` uses `_cache`"), "{memo}");
    // Deleted again: back to the test file.
    std::fs::remove_file(dir.join("pkg/a_user.py")).unwrap();
    let (memo, _) = check_memo(dir, &["."]);
    assert!(memo.contains("`tests/test_memo.py:6` uses `_cache`"), "{memo}");
}

#[test]
fn a_run_that_only_uses_the_cache_leaves_its_files_as_they_are() {
    let tmp = memo_project();
    let dir = tmp.path();
    check_memo(dir, &["."]);
    let words = dir.join(format!(".pyfix_cache/pyfix-{}.words", env!("CARGO_PKG_VERSION")));
    let (results, words_before) = (std::fs::read(cache_file(dir)).unwrap(), std::fs::read(&words).unwrap());
    // A rewrite would count one more run in the results file.
    check_memo(dir, &["."]);
    check_memo(dir, &["pkg/memo.py"]);
    assert_eq!(std::fs::read(cache_file(dir)).unwrap(), results);
    assert_eq!(std::fs::read(&words).unwrap(), words_before);
    // Something new: both written again.
    write(dir, "pkg/other.py", "x = 3\n");
    check_memo(dir, &["."]);
    assert_ne!(std::fs::read(cache_file(dir)).unwrap(), results);
    assert_ne!(std::fs::read(&words).unwrap(), words_before);
}

#[test]
fn a_cached_result_is_made_again_when_the_project_root_moves() {
    // The project root decides what is test code and how other files are named. A marker added in `tests/` makes
    // that directory the root, though no Python file changed: the warm run says what a cold one says.
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"p\"\n");
    write(dir, "tests/memo.py", MEMO);
    write(dir, "tests/test_memo.py", "import memo\n\n\ndef setup():\n    memo._cache.clear()\n");
    let memo = |args: &[&str]| {
        let mut all = vec!["--check", "--unsafe-fixes", "--select", "unbounded-cache"];
        all.extend_from_slice(args);
        let out = command(dir, &all).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        stdout.lines().find(|l| l.contains("memo.py:1:")).unwrap_or_default().to_string()
    };
    let cold = memo(&["--no-cache", "."]);
    assert!(cold.contains("(`tests/test_memo.py:5` uses `_cache`"), "{cold}");
    assert_eq!(memo(&["."]), cold);
    write(dir, "tests/pyproject.toml", "[project]\nname = \"t\"\n");
    let cold = memo(&["--no-cache", "."]);
    assert!(cold.contains("(`test_memo.py:5` uses `_cache`"), "{cold}");
    assert_eq!(memo(&["."]), cold);
}
