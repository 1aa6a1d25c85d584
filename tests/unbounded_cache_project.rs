//! unbounded-cache across the files of a project: a memo dict that another module reads, clears or rebinds
//! (`platform._platform_cache.clear()` in a test, `trans_real._translations = {}` in a reloader,
//! `from pkg.mod import _cache`) is reported without a fix; one no other file names is fixed. The single-file
//! behaviour is pinned by tests/snapshots.rs; here only what another file changes.

mod harness;

use harness::{pyfix, pyfix_with, read, tempdir, write};

/// A memo whose fix is unsafe only because it calls out (`name.upper`), fed with what `input()` reads (so its keys
/// grow with data): the project question decides the rest.
const MEMO: &str = "_cache = {}\n\n\ndef lookup(name):\n    if name in _cache:\n        return _cache[name]\n    value = name.upper()\n    _cache[name] = value\n    return value\n\n\ndef main():\n    return lookup(input())\n";

/// Runs `--check --unsafe-fixes --select unbounded-cache` over a project holding `pkg/memo.py` (`MEMO`) and
/// `others`, and returns the line reported for `pkg/memo.py`.
fn check_memo(others: &[(&str, &str)]) -> String {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/__init__.py", "");
    write(dir, "pkg/memo.py", MEMO);
    for (rel, text) in others {
        write(dir, rel, text);
    }
    let run = pyfix(dir, &["--check", "--unsafe-fixes", "--select", "unbounded-cache", "."]);
    let lines: Vec<&str> = run.stdout_lines().into_iter().filter(|l| l.contains("memo.py:")).collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    lines[0].to_string()
}

#[test]
fn a_test_that_clears_the_dict_blocks_the_fix() {
    let line =
        check_memo(&[("tests/test_memo.py", "from pkg import memo\n\n\ndef setup():\n    memo._cache.clear()\n")]);
    assert!(line.contains("[fix: none]"), "{line}");
    assert!(line.contains("`tests/test_memo.py:5` uses `_cache`"), "{line}");
}

#[test]
fn a_module_that_rebinds_the_dict_blocks_the_fix() {
    let line = check_memo(&[("pkg/reloader.py", "from pkg import memo\n\n\ndef reset():\n    memo._cache = {}\n")]);
    assert!(line.contains("[fix: none]"), "{line}");
    assert!(line.contains("`pkg/reloader.py:5` uses `_cache`"), "{line}");
}

#[test]
fn a_module_that_imports_the_dict_blocks_the_fix() {
    let line = check_memo(&[("pkg/user.py", "from pkg.memo import _cache\n\n\ndef size():\n    return len(_cache)\n")]);
    assert!(line.contains("[fix: none]"), "{line}");
}

#[test]
fn a_patch_naming_the_dict_in_a_string_blocks_the_fix() {
    let line = check_memo(&[(
        "tests/test_patch.py",
        "from unittest import mock\n\n\n@mock.patch(\"pkg.memo._cache\", {})\ndef test():\n    pass\n",
    )]);
    assert!(line.contains("[fix: none]"), "{line}");
}

#[test]
fn a_dict_no_other_file_names_is_fixed() {
    let line = check_memo(&[("pkg/user.py", "from pkg import memo\n\n\ndef shout(x):\n    return memo.lookup(x)\n")]);
    assert!(line.contains("[fix: unsafe]"), "{line}");
    assert!(!line.contains("uses `_cache`"), "{line}");
}

#[test]
fn the_same_name_in_another_module_does_not_block_the_fix() {
    // `_cache` of another module: this module's name does not appear with it.
    let line = check_memo(&[("pkg/other.py", "_cache = {}\n\n\ndef clear():\n    _cache.clear()\n")]);
    assert!(line.contains("[fix: unsafe]"), "{line}");
}

#[test]
fn the_fix_is_written_when_no_other_file_names_the_dict() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/memo.py", MEMO);
    write(dir, "pkg/user.py", "from pkg import memo\n\n\ndef shout(x):\n    return memo.lookup(x)\n");
    pyfix(dir, &["--unsafe-fixes", "--select", "unbounded-cache", "."]).code(0);
    let fixed = read(dir, "pkg/memo.py");
    assert!(fixed.contains("@lru_cache(maxsize=128)\ndef lookup(name):\n    return name.upper()\n"), "{fixed}");
    assert!(!fixed.contains("_cache = {}"), "{fixed}");
}

/// A public `@cache` function called in its module only with constants.
const CONSTANT_CALLS: &str =
    "import functools\n\n\n@functools.cache\ndef load(name):\n    return [name]\n\n\ndef startup():\n    load(\"core\")\n";

// A public cache called from another module with that module's data: pyfix cannot show the keys grow (the
// caller's `x` could be anything), so there is no finding; runtime evidence is the way to confirm such caches.
#[test]
fn a_public_cache_called_only_with_data_of_another_module_is_not_reported() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/loader.py", CONSTANT_CALLS);
    write(dir, "pkg/user.py", "from pkg import loader\n\n\ndef get(x):\n    return loader.load(x)\n");
    let run = pyfix(dir, &["--check", "--unsafe-fixes", "--select", "unbounded-cache", "."]);
    assert!(!run.stdout.contains("loader.py"), "{run:?}");
}

#[test]
fn a_public_cache_no_other_file_names_is_a_handful_of_keys() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/loader.py", CONSTANT_CALLS);
    write(dir, "pkg/user.py", "from pkg import other\n");
    let run = pyfix(dir, &["--check", "--unsafe-fixes", "--select", "unbounded-cache", "."]);
    assert!(!run.stdout.contains("loader.py"), "{run:?}");
}

#[test]
fn stdin_without_a_file_name_cannot_see_the_project_and_says_how_to_let_it() {
    let tmp = tempdir();
    let dir = tmp.path();
    let args = ["--check", "--unsafe-fixes", "--select", "unbounded-cache", "-"];
    let run = pyfix_with(dir, &args, Some(MEMO.as_bytes()));
    assert!(run.stdout.contains("[fix: none]") && run.stdout.contains("without `--stdin-filename`"), "{run:?}");
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    let named = ["--check", "--unsafe-fixes", "--select", "unbounded-cache", "--stdin-filename", "pkg/memo.py", "-"];
    let run = pyfix_with(dir, &named, Some(MEMO.as_bytes()));
    assert!(run.stdout.contains("[fix: unsafe]"), "{run:?}");
}

/// A program module's table that only grows, keyed by `id()` (idlelib's `debugger_r.dicttable`), and one other file.
fn check_table(rel: &str, text: &str) -> Vec<String> {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/__init__.py", "");
    write(
        dir,
        "pkg/tables.py",
        "table = {}\n\n\nclass Adapter:\n    def wrap(self, obj):\n        oid = id(obj)\n        table[oid] = obj\n        return oid\n",
    );
    write(dir, rel, text);
    let run = pyfix(dir, &["--check", "--select", "unbounded-cache", "."]);
    run.stdout_lines().into_iter().filter(|l| l.contains("tables.py:")).map(str::to_string).collect()
}

#[test]
fn a_test_that_fills_and_clears_a_program_table_does_not_shrink_it_in_the_program() {
    let lines = check_table(
        "tests/test_tables.py",
        "from pkg import tables\n\n\ndef test():\n    tables.table[0] = {}\n    tables.table.clear()\n",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("`table` only grows"), "{}", lines[0]);
}

#[test]
fn a_program_module_that_clears_the_table_makes_it_no_finding() {
    let lines = check_table("pkg/reset.py", "from pkg import tables\n\n\ndef reset():\n    tables.table.clear()\n");
    assert!(lines.is_empty(), "{lines:?}");
}
