//! End-to-end runs of the built `pyfix` binary in temporary directories (ripgrep style): exit codes, what is
//! printed where, what is written and what is not. The codemods' own behaviour is pinned by tests/snapshots.rs;
//! here the inputs are the few samples below and only the CLI contract is asserted.

mod harness;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use harness::{
    command, pyfix, read, tempdir, write, Run, BARE_OPEN, BARE_OPEN_FIXED, MUTABLE, MUTABLE_FIXED, NO_FIX, UNSAFE,
};

/// The fix of `UNSAFE`, applied only with --unsafe-fixes.
const UNSAFE_FIXED: &str =
    "def load(path, parser):\n    with open(path, \"rb\") as f:\n        tree = parser.parse(f)\n    return tree\n";

// ---------------------------------------------------------------------------------------------------------------
// Harness: tests/harness/mod.rs, plus these file helpers.

fn read_bytes(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap()
}

fn mode(dir: &Path, rel: &str) -> u32 {
    std::fs::metadata(dir.join(rel)).unwrap().permissions().mode() & 0o7777
}

/// The file names in `dir` and below.
/// Every file below `dir` except pyfix's cache (`.pyfix_cache/`, tested in tests/cache.rs).
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_name() == ".pyfix_cache" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// One `--check` line, taken apart: `path:line:col: codemod: message [fix: kind]` plus an optional ` (reason)`.
#[derive(Debug, PartialEq)]
struct CheckLine {
    path: String,
    line: usize,
    col: usize,
    codemod: String,
    fix: String,
}

#[track_caller]
fn parse_check_line(text: &str) -> CheckLine {
    let parse = || -> Option<CheckLine> {
        let mut parts = text.splitn(4, ':');
        let path = parts.next()?.to_string();
        let line = parts.next()?.parse().ok()?;
        let col = parts.next()?.parse().ok()?;
        let rest = parts.next()?.strip_prefix(' ')?;
        let (codemod, rest) = rest.split_once(": ")?;
        let (message, tail) = rest.split_at(rest.find(" [fix: ")?);
        let (fix, after) = tail[" [fix: ".len()..].split_once(']')?;
        let well_formed = !message.is_empty()
            && ["safe", "unsafe", "none"].contains(&fix)
            && (after.is_empty() || (after.starts_with(" (") && after.ends_with(')')));
        well_formed.then(|| CheckLine { path, line, col, codemod: codemod.to_string(), fix: fix.to_string() })
    };
    parse().unwrap_or_else(|| panic!("not a `path:line:col: codemod: message [fix: kind] (reason)` line: {text:?}"))
}

fn check_lines(run: &Run) -> Vec<CheckLine> {
    run.stdout.lines().map(parse_check_line).collect()
}

/// (path, codemod, fix) of every `--check` line: what most tests compare.
fn check_summary(run: &Run) -> Vec<(String, String, String)> {
    check_lines(run).into_iter().map(|l| (l.path, l.codemod, l.fix)).collect()
}

fn triple(path: &str, codemod: &str, fix: &str) -> (String, String, String) {
    (path.to_string(), codemod.to_string(), fix.to_string())
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Default run: fix in place

#[test]
fn default_run_fixes_safe_findings_and_exits_0() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", MUTABLE);
    write(dir, "clean.py", "x = 1\n");

    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(run.stdout, "", "a plain run prints nothing on stdout");
    assert_eq!(run.stderr, "Fixed 2 leaks in 2 files\n");
    assert_eq!(read(dir, "a.py"), BARE_OPEN_FIXED);
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "clean.py"), "x = 1\n");
}

#[test]
fn default_run_summary_singular() {
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    let run = pyfix(tmp.path(), &[]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 1 leak in 1 file\n");
}

#[test]
fn default_run_exits_1_when_unsafe_findings_remain() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);
    write(dir, "u.py", UNSAFE);

    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(run.stderr, "Fixed 1 leak in 1 file; 1 more needs --unsafe-fixes\n");
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "u.py"), UNSAFE, "an unsafe fix is not applied without --unsafe-fixes");
}

#[test]
fn default_run_exits_1_when_unfixable_findings_remain() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);
    write(dir, "n.py", NO_FIX);

    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(run.stderr, "Fixed 1 leak in 1 file; 1 cannot be fixed automatically, see --check\n");
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "n.py"), NO_FIX);
}

#[test]
fn default_run_reports_unsafe_and_unfixable_together() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "n.py", NO_FIX);
    write(dir, "u.py", UNSAFE);
    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(
        run.stderr,
        "Found 2 leaks in 2 files, none fixable by this run; 1 needs --unsafe-fixes; 1 cannot be fixed automatically, see --check\n"
    );
}

#[test]
fn default_run_on_clean_code() {
    let tmp = tempdir();
    write(tmp.path(), "clean.py", "def f(x=()):\n    return x\n");
    let run = pyfix(tmp.path(), &[]);
    run.code(0);
    assert_eq!(run.stderr, "No leaks found in 1 file\n");
}

// ---------------------------------------------------------------------------------------------------------------
// 2. --dry-run / --diff

#[test]
fn dry_run_prints_diff_and_writes_nothing() {
    let tmp = tempdir();
    let dir = tmp.path();
    let path = write(dir, "sub/b.py", MUTABLE);
    // An mtime far in the past, so "unchanged" cannot pass by timestamp granularity.
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();

    let run = pyfix(dir, &["--dry-run"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "--- a/sub/b.py\n+++ b/sub/b.py\n@@ -1,3 +1,5 @@\n-def add(item, items=[]):\n+def add(item, items=None):\n\
         +    if items is None:\n+        items = []\n     items.append(item)\n     return items\n"
    );
    assert_eq!(run.stderr, "Would fix 1 leak in 1 file\n");
    assert_eq!(read(dir, "sub/b.py"), MUTABLE);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old, "--dry-run touched the file");
    assert_eq!(all_files(dir).len(), 1, "--dry-run created files: {:?}", all_files(dir));
}

#[test]
fn diff_is_an_alias_of_dry_run() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);
    let dry = pyfix(dir, &["--dry-run"]);
    let diff = pyfix(dir, &["--diff"]);
    diff.code(1);
    assert_eq!(diff.stdout, dry.stdout);
    assert_eq!(diff.stderr, dry.stderr);
    assert_eq!(read(dir, "b.py"), MUTABLE);
}

#[test]
fn dry_run_headers_use_the_path_as_given() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pkg/mod.py", MUTABLE);
    for (arg, header) in [
        ("pkg/mod.py", "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n"),
        ("./pkg/mod.py", "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n"),
        ("pkg", "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n"),
    ] {
        let run = pyfix(dir, &["--dry-run", arg]);
        run.code(1);
        assert!(run.stdout.starts_with(header), "for {arg}:\n{run:?}");
    }
    // From a subdirectory, the path keeps its `..`.
    let run = pyfix(&dir.join("pkg"), &["--dry-run", "../pkg/mod.py"]);
    run.code(1);
    assert!(run.stdout.starts_with("--- a/../pkg/mod.py\n+++ b/../pkg/mod.py\n"), "{run:?}");
}

#[test]
fn dry_run_exits_1_for_unfixable_findings_and_0_when_clean() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "n.py", NO_FIX);
    let run = pyfix(dir, &["--dry-run"]);
    run.code(1);
    assert_eq!(run.stdout, "", "nothing to show as a diff");
    assert_eq!(
        run.stderr,
        "Found 1 leak in 1 file, none fixable by this run; 1 cannot be fixed automatically, see --check\n"
    );

    let run = pyfix(dir, &["--dry-run", "--unsafe-fixes"]);
    run.code(1);

    std::fs::remove_file(dir.join("n.py")).unwrap();
    write(dir, "clean.py", "print('hi')\n");
    let run = pyfix(dir, &["--dry-run"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "No leaks found in 1 file\n");
}

#[test]
fn dry_run_with_unsafe_fixes_shows_the_unsafe_diff() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "u.py", UNSAFE);
    let run = pyfix(dir, &["--dry-run"]);
    run.code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "Found 1 leak in 1 file, none fixable by this run; 1 needs --unsafe-fixes\n");

    let run = pyfix(dir, &["--dry-run", "--unsafe-fixes"]);
    run.code(1);
    assert!(run.stdout.contains("+    with open(path, \"rb\") as f:\n"), "{run:?}");
    assert_eq!(run.stderr, "Would fix 1 leak in 1 file\n");
    assert_eq!(read(dir, "u.py"), UNSAFE);
}

#[test]
fn colour_only_when_asked() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);

    let always = pyfix(dir, &["--dry-run", "--color", "always"]);
    always.code(1);
    assert!(always.stdout.contains("\x1b[32m+def add(item, items=None):\x1b[0m"), "{always:?}");
    assert!(always.stdout.contains("\x1b[31m-def add(item, items=[]):\x1b[0m"), "{always:?}");

    let never = pyfix(dir, &["--dry-run", "--color", "never"]);
    let auto = pyfix(dir, &["--dry-run"]);
    for run in [&never, &auto] {
        run.code(1);
        assert!(!run.stdout.contains('\x1b'), "escapes without a terminal:\n{run:?}");
        assert!(!run.stderr.contains('\x1b'), "escapes without a terminal:\n{run:?}");
    }
    assert_eq!(never.stdout, auto.stdout);
    // Stripping the escapes gives the plain diff back.
    let stripped = always.stdout.replace("\x1b[0m", "").replace("\x1b[1m", "").replace("\x1b[31m", "");
    let stripped = stripped.replace("\x1b[32m", "").replace("\x1b[36m", "");
    assert_eq!(stripped, never.stdout);

    let bad = pyfix(dir, &["--dry-run", "--color", "sometimes"]);
    bad.code(2);
}

// ---------------------------------------------------------------------------------------------------------------
// 3. --check

#[test]
fn check_lists_findings_in_path_then_position_order() {
    let tmp = tempdir();
    let dir = tmp.path();
    // Two findings in one file, the later line from the codemod listed first.
    write(dir, "z.py", format!("{MUTABLE}\n\n{BARE_OPEN}"));
    write(dir, "a.py", NO_FIX);
    write(dir, "m/u.py", UNSAFE);
    write(dir, "clean.py", "x = 1\n");

    let run = pyfix(dir, &["--check"]);
    run.code(1);
    let lines = check_lines(&run);
    let got: Vec<(&str, usize, usize, &str, &str)> =
        lines.iter().map(|l| (l.path.as_str(), l.line, l.col, l.codemod.as_str(), l.fix.as_str())).collect();
    assert_eq!(
        got,
        [
            ("a.py", 2, 12, "bare-open", "none"),
            ("m/u.py", 2, 25, "bare-open", "unsafe"),
            ("z.py", 1, 21, "mutable-default", "safe"),
            ("z.py", 7, 9, "bare-open", "safe"),
        ],
        "{run:?}"
    );
    // A finding without a fix, or with an unsafe one, says why.
    assert!(run.stdout_lines()[0].ends_with(')'), "{run:?}");
    assert!(run.stdout_lines()[1].ends_with(')'), "{run:?}");
    assert_eq!(run.stderr, "Found 4 leaks in 3 of 4 files\n");
    // Nothing written.
    assert_eq!(read(dir, "z.py"), format!("{MUTABLE}\n\n{BARE_OPEN}"));
    assert_eq!(read(dir, "m/u.py"), UNSAFE);
}

#[test]
fn check_exits_0_without_findings() {
    let tmp = tempdir();
    write(tmp.path(), "clean.py", "with open('x') as f:\n    pass\n");
    let run = pyfix(tmp.path(), &["--check"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "No leaks found in 1 file\n");
}

#[test]
fn check_and_dry_run_conflict() {
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    let run = pyfix(tmp.path(), &["--check", "--dry-run"]);
    run.code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.starts_with("pyfix: "), "{run:?}");
    assert_eq!(read(tmp.path(), "b.py"), MUTABLE);
}

// ---------------------------------------------------------------------------------------------------------------
// 4. --unsafe-fixes

#[test]
fn unsafe_fixes_flag_applies_unsafe_fixes() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "u.py", UNSAFE);
    write(dir, "b.py", MUTABLE);
    let run = pyfix(dir, &["--unsafe-fixes"]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 2 leaks in 2 files\n");
    assert_eq!(read(dir, "u.py"), UNSAFE_FIXED);
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);
}

#[test]
fn unsafe_fixes_from_config() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nunsafe-fixes = true\n");
    write(dir, "u.py", UNSAFE);
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "u.py"), UNSAFE_FIXED);

    write(dir, "pyproject.toml", "[tool.pyfix]\nunsafe-fixes = \"yes\"\n");
    let run = pyfix(dir, &[]);
    run.code(2);
    assert!(run.stderr.contains("pyproject.toml: [tool.pyfix] unsafe-fixes: expected true or false"), "{run:?}");
}

#[test]
fn unsafe_fixes_still_leave_unfixable_findings() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "n.py", NO_FIX);
    let run = pyfix(dir, &["--unsafe-fixes"]);
    run.code(1);
    assert_eq!(read(dir, "n.py"), NO_FIX);
}

// ---------------------------------------------------------------------------------------------------------------
// 5. --select / --ignore

fn two_codemod_dir() -> tempfile::TempDir {
    let tmp = tempdir();
    write(tmp.path(), "a.py", BARE_OPEN);
    write(tmp.path(), "b.py", MUTABLE);
    tmp
}

#[test]
fn select_and_ignore() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    let both = vec![triple("a.py", "bare-open", "safe"), triple("b.py", "mutable-default", "safe")];
    let only_bare = vec![triple("a.py", "bare-open", "safe")];
    let only_mutable = vec![triple("b.py", "mutable-default", "safe")];
    for (args, expected) in [
        (&["--check"][..], &both),
        (&["--check", "--select", "bare-open"], &only_bare),
        (&["--check", "--select=mutable-default"], &only_mutable),
        (&["--check", "--ignore", "mutable-default"], &only_bare),
        (&["--check", "--ignore", "bare-open"], &only_mutable),
        (&["--check", "--select", "ALL"], &both),
        (&["--check", "--select", "all"], &both),
        (&["--check", "--select", "bare-open,mutable-default"], &both),
        (&["--check", "--select", "bare-open", "--select", "mutable-default"], &both),
        (&["--check", "--select", "ALL", "--ignore", "bare-open"], &only_mutable),
        // The snake form of a name is accepted too.
        (&["--check", "--select", "bare_open"], &only_bare),
    ] {
        let run = pyfix(dir, args);
        run.code(1);
        assert_eq!(&check_summary(&run), expected, "{args:?}\n{run:?}");
    }
    let run = pyfix(dir, &["--check", "--ignore", "bare-open,mutable-default"]);
    run.code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn select_limits_what_a_default_run_fixes() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    let run = pyfix(dir, &["--select", "bare-open"]);
    run.code(0);
    assert_eq!(read(dir, "a.py"), BARE_OPEN_FIXED);
    assert_eq!(read(dir, "b.py"), MUTABLE, "a codemod that is not selected does not fix");
}

#[test]
fn unknown_codemod_name_on_the_command_line() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    for (args, expected) in [
        (
            &["--select", "mutable-defaults"][..],
            "pyfix: --select: unknown codemod `mutable-defaults` (did you mean `mutable-default`? see `pyfix --list`)\n",
        ),
        (
            &["--ignore", "bare-opn"],
            "pyfix: --ignore: unknown codemod `bare-opn` (did you mean `bare-open`? see `pyfix --list`)\n",
        ),
        (&["--select", "bare-open,nonsense"], "pyfix: --select: unknown codemod `nonsense` (see `pyfix --list`)\n"),
    ] {
        let run = pyfix(dir, args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, expected, "{args:?}");
    }
    assert_eq!(read(dir, "a.py"), BARE_OPEN, "nothing is fixed when the command line is wrong");
    assert_eq!(read(dir, "b.py"), MUTABLE);
}

// ---------------------------------------------------------------------------------------------------------------
// 6. --list, --explain

#[test]
fn list_names_every_codemod_with_a_summary() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--list"]);
    run.code(0);
    assert_eq!(run.stderr, "");
    let names: Vec<&str> = run.stdout_lines().iter().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert!(names.contains(&"bare-open") && names.contains(&"mutable-default"), "{run:?}");
    for line in run.stdout_lines() {
        let (name, summary) = line.split_once(' ').unwrap_or_else(|| panic!("no summary: {line:?}"));
        assert!(!summary.trim().is_empty(), "no summary for {name}");
        let explain = pyfix(tmp.path(), &["--explain", name]);
        explain.code(0);
        assert!(explain.stdout.starts_with(&format!("# {name}\n")), "{explain:?}");
    }
}

#[test]
fn explain_prints_the_readme() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--explain", "bare-open"]);
    run.code(0);
    assert!(run.stdout.starts_with("# bare-open\n"), "{run:?}");
    assert!(run.stdout.contains("## Fix safety"), "{run:?}");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods/bare_open/README.md"));
    assert_eq!(run.stdout.trim_end(), readme.unwrap().trim_end());
}

#[test]
fn explain_unknown_name() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--explain", "bare-opne"]);
    run.code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "pyfix: --explain: unknown codemod `bare-opne` (did you mean `bare-open`? see `pyfix --list`)\n"
    );

    let run = pyfix(tmp.path(), &["--explain", "frobnicate"]);
    run.code(2);
    assert_eq!(run.stderr, "pyfix: --explain: unknown codemod `frobnicate` (see `pyfix --list`)\n");
}

// ---------------------------------------------------------------------------------------------------------------
// 7. --version, --help, bad flags

#[test]
fn version_and_help() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["--version"]);
    run.code(0);
    assert_eq!(run.stdout, format!("pyfix {}\n", env!("CARGO_PKG_VERSION")));

    for flag in ["--help", "-h"] {
        let run = pyfix(tmp.path(), &[flag]);
        run.code(0);
        assert!(run.stdout.contains("Usage: pyfix"), "{run:?}");
        for documented in ["--dry-run", "--check", "--unsafe-fixes", "--select", "--explain", "Exit status"] {
            assert!(run.stdout.contains(documented), "{flag} does not mention {documented}");
        }
    }
}

#[test]
fn bad_flag_is_one_line_on_stderr() {
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    for args in [&["--frobnicate"][..], &["--select"], &["--color"], &["--target-version"]] {
        let run = pyfix(tmp.path(), args);
        run.code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}\n{run:?}");
        assert!(run.stderr.starts_with("pyfix: "), "{args:?}\n{run:?}");
    }
    let run = pyfix(tmp.path(), &["--frobnicate"]);
    assert!(run.stderr.contains("--frobnicate"), "{run:?}");
    // A flag that needs another names it on the same line (clap lists it on the line below its message).
    let run = pyfix(tmp.path(), &["-j", "2", "."]);
    run.code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.contains("not provided: --verify <COMMAND>"), "{run:?}");
    assert_eq!(read(tmp.path(), "b.py"), MUTABLE);
}

#[test]
fn bad_target_version_on_the_command_line() {
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    let run = pyfix(tmp.path(), &["--target-version", "2.7"]);
    run.code(2);
    assert_eq!(run.stderr, "pyfix: --target-version: `2.7` is not a Python version pyfix knows (hint: one of 3.7 to 3.15, written as 3.9)\n");
    assert_eq!(read(tmp.path(), "b.py"), MUTABLE);
}

// ---------------------------------------------------------------------------------------------------------------
// 8. Config

#[test]
fn config_select_in_pyproject_and_cli_wins() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pyfix]\nselect = [\"bare-open\"]\n");
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("a.py", "bare-open", "safe")]);

    let run = pyfix(dir, &["--check", "--select", "mutable-default"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("b.py", "mutable-default", "safe")], "the flag wins over the file");
}

#[test]
fn config_ignore_in_pyfix_toml_adds_to_cli_ignore() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyfix.toml", "ignore = [\"mutable-default\"]\n");
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("a.py", "bare-open", "safe")]);
    let run = pyfix(dir, &["--check", "--ignore", "bare-open"]);
    run.code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn config_is_found_from_the_first_path_upwards() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "proj/pyproject.toml", "[tool.pyfix]\nignore = [\"mutable-default\"]\n");
    write(dir, "proj/pkg/deep/a.py", BARE_OPEN);
    write(dir, "proj/pkg/deep/b.py", MUTABLE);
    let expected = |prefix: &str| vec![triple(&format!("{prefix}a.py"), "bare-open", "safe")];

    // Run from above the project: the config is found from the path, not the current directory.
    let run = pyfix(dir, &["--check", "proj/pkg"]);
    run.code(1);
    assert_eq!(check_summary(&run), expected("proj/pkg/deep/"));
    let run = pyfix(dir, &["--check", "proj/pkg/deep/b.py"]);
    run.code(0);

    // Run from below it with no path.
    let run = pyfix(&dir.join("proj/pkg/deep"), &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), expected(""));

    // Outside the project no config applies.
    write(dir, "other/b.py", MUTABLE);
    let run = pyfix(dir, &["--check", "other"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("other/b.py", "mutable-default", "safe")]);
}

#[test]
fn nearest_config_wins_and_dotdot_paths_are_normalised() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nignore = [\"mutable-default\"]\n");
    write(dir, "sub/pyfix.toml", "ignore = [\"bare-open\"]\n");
    write(dir, "sub/a.py", BARE_OPEN);
    write(dir, "sub/b.py", MUTABLE);
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", MUTABLE);

    let run = pyfix(dir, &["--check", "sub"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("sub/b.py", "mutable-default", "safe")], "sub/pyfix.toml is nearer");

    // `pyfix ..` from sub/ is a run on the parent: each file still takes its nearest config.
    let run = pyfix(&dir.join("sub"), &["--check", ".."]);
    run.code(1);
    assert_eq!(
        check_summary(&run),
        [triple("../a.py", "bare-open", "safe"), triple("../sub/b.py", "mutable-default", "safe")]
    );
}

/// A project with a nested project that has its own config: each file takes the nearest config, whole (no merging),
/// with its patterns relative to its own directory; flags win over every config; `--config` forces one for all.
#[test]
fn a_nested_project_takes_its_own_select_exclude_and_per_file_ignores() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(
        dir,
        "pyproject.toml",
        "[tool.pyfix]\nselect = [\"bare-open\"]\nper-file-ignores = { \"tests/*\" = [\"bare-open\"] }\n",
    );
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", MUTABLE);
    write(dir, "tests/t.py", BARE_OPEN);
    write(dir, "gen/x.py", BARE_OPEN);
    write(
        dir,
        "sub/pyproject.toml",
        "[project]\nname = \"sub\"\n\n[tool.pyfix]\nselect = [\"mutable-default\"]\nexclude = [\"gen/*.py\"]\n\
         per-file-ignores = { \"tests/*\" = [\"mutable-default\"] }\n",
    );
    write(dir, "sub/a.py", BARE_OPEN);
    write(dir, "sub/b.py", MUTABLE);
    write(dir, "sub/gen/x.py", MUTABLE);
    write(dir, "sub/tests/t.py", MUTABLE);
    write(dir, "sub/pkg/deep/b.py", MUTABLE);

    let expected = vec![
        triple("a.py", "bare-open", "safe"),
        triple("gen/x.py", "bare-open", "safe"),
        triple("sub/b.py", "mutable-default", "safe"),
        triple("sub/pkg/deep/b.py", "mutable-default", "safe"),
    ];
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), expected, "sub/ has its own select, exclude and per-file-ignores\n{run:?}");
    // However the run is started: from inside the nested project, from below it, or naming files.
    let run = pyfix(&dir.join("sub"), &["--check"]);
    assert_eq!(
        check_summary(&run),
        [triple("b.py", "mutable-default", "safe"), triple("pkg/deep/b.py", "mutable-default", "safe")],
        "{run:?}"
    );
    let run = pyfix(&dir.join("sub/pkg"), &["--check", "../.."]);
    assert_eq!(
        check_summary(&run),
        [
            triple("../../a.py", "bare-open", "safe"),
            triple("../../gen/x.py", "bare-open", "safe"),
            triple("../../sub/b.py", "mutable-default", "safe"),
            triple("../../sub/pkg/deep/b.py", "mutable-default", "safe"),
        ],
        "{run:?}"
    );
    let run = pyfix(dir, &["--check", "b.py", "sub/a.py", "sub/b.py", "sub/tests/t.py", "tests/t.py"]);
    assert_eq!(check_summary(&run), [expected[2].clone()], "named files take their own config too\n{run:?}");
    let run = pyfix(dir, &["--check", "--force-exclude", "sub/gen/x.py", "gen/x.py"]);
    assert_eq!(check_summary(&run), [expected[1].clone()], "{run:?}");

    // Flags win over every config: --select replaces each one's select; per-file ignores still hold.
    let run = pyfix(dir, &["--check", "--select", "ALL"]);
    assert_eq!(
        check_summary(&run),
        [
            triple("a.py", "bare-open", "safe"),
            triple("b.py", "mutable-default", "safe"),
            triple("gen/x.py", "bare-open", "safe"),
            triple("sub/a.py", "bare-open", "safe"),
            triple("sub/b.py", "mutable-default", "safe"),
            triple("sub/pkg/deep/b.py", "mutable-default", "safe"),
        ],
        "{run:?}"
    );

    // --config: one config for every file, patterns relative to its directory.
    let run = pyfix(dir, &["--check", "--config", "pyproject.toml"]);
    assert_eq!(
        check_summary(&run),
        [
            triple("a.py", "bare-open", "safe"),
            triple("gen/x.py", "bare-open", "safe"),
            triple("sub/a.py", "bare-open", "safe"),
        ],
        "{run:?}"
    );

    // A fix run writes by the same rules.
    pyfix(dir, &[]).code(0);
    assert_eq!(read(dir, "b.py"), MUTABLE);
    assert_eq!(read(dir, "sub/a.py"), BARE_OPEN);
    assert_eq!(read(dir, "sub/b.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "sub/gen/x.py"), MUTABLE, "excluded by sub/pyproject.toml");
    assert_eq!(read(dir, "sub/tests/t.py"), MUTABLE);
}

#[test]
fn a_parent_config_can_exclude_a_nested_project() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nexclude = [\"vendored/lib\"]\n");
    write(dir, "vendored/lib/pyfix.toml", "select = [\"bare-open\"]\n");
    write(dir, "vendored/lib/a.py", BARE_OPEN);
    write(dir, "vendored/other/a.py", BARE_OPEN);
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("vendored/other/a.py", "bare-open", "safe")], "{run:?}");
    // Its own config holds for a run inside it.
    let run = pyfix(&dir.join("vendored/lib"), &["--check"]);
    assert_eq!(check_summary(&run), [triple("a.py", "bare-open", "safe")], "{run:?}");
}

#[test]
fn an_invalid_nested_config_stops_the_run_before_anything_is_written() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nexclude = [\"fixtures\"]\n");
    write(dir, "sub/pyproject.toml", "[tool.pyfix]\nselct = [\"bare-open\"]\n");
    write(dir, "sub/c.py", BARE_OPEN);
    // Beyond an excluded directory, a broken file is never read.
    write(dir, "fixtures/pyproject.toml", "[tool.pyfix\n");
    write(dir, "fixtures/f.py", BARE_OPEN);
    let run = pyfix(dir, &[]);
    run.code(2);
    let expected = format!(
        "pyfix: {}: [tool.pyfix]: unknown key `selct` (did you mean `select`?); valid keys: ",
        "sub/pyproject.toml"
    );
    assert!(run.stderr.starts_with(&expected), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert_eq!(read(dir, "a.py"), BARE_OPEN, "nothing is written");
    // Not valid TOML: pyfix cannot tell whether it has a [tool.pyfix] table.
    write(dir, "sub/pyproject.toml", "[project\n");
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert!(run.stderr.contains("sub/pyproject.toml:1: invalid TOML"), "{run:?}");
    // --config: no other config file is read.
    let run = pyfix(dir, &["--check", "--config", "pyproject.toml"]);
    run.code(1);
    assert_eq!(check_summary(&run).len(), 3, "{run:?}");
}

#[test]
fn explicit_config_file() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nselect = [\"mutable-default\"]\n");
    write(dir, "conf/custom.toml", "[tool.pyfix]\nselect = [\"bare-open\"]\n");
    let run = pyfix(dir, &["--check", "--config", "conf/custom.toml"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("a.py", "bare-open", "safe")], "--config replaces the nearest file");

    let run = pyfix(dir, &["--check", "--config", "missing.toml"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "pyfix: missing.toml: config file not found (hint: --config takes a pyproject.toml or pyfix.toml)\n"
    );

    write(dir, "conf/pyproject.toml", "[project]\nname = \"x\"\n");
    let run = pyfix(dir, &["--check", "--config", "conf/pyproject.toml"]);
    run.code(2);
    assert_eq!(run.stderr, "pyfix: conf/pyproject.toml: no [tool.pyfix] table (hint: add one, or pass a pyfix.toml)\n");
}

#[test]
fn config_unknown_key() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nselct = [\"bare-open\"]\n");
    let run = pyfix(dir, &[]);
    run.code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    let expected = format!(
        "pyfix: {}: [tool.pyfix]: unknown key `selct` (did you mean `select`?); valid keys: ",
        "pyproject.toml"
    );
    assert!(run.stderr.starts_with(&expected), "{run:?}");
    assert_eq!(read(dir, "a.py"), BARE_OPEN, "a bad config stops the run before anything is written");

    let run = pyfix(dir, &["--check", "--config", "pyproject.toml"]);
    run.code(2);
    assert!(run.stderr.starts_with("pyfix: pyproject.toml: [tool.pyfix]: unknown key `selct`"), "{run:?}");
}

#[test]
fn config_invalid_toml_names_file_and_line() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"x\"\n\n[tool.pyfix]\nunsafe-fixes = tru\n");
    let run = pyfix(dir, &[]);
    run.code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    // Shown relative to the current directory, like every other path.
    let expected = "pyfix: pyproject.toml:5: invalid TOML: ";
    assert!(run.stderr.starts_with(expected), "{run:?}");
    assert_eq!(read(dir, "a.py"), BARE_OPEN);

    // A broken pyproject.toml without a pyfix table still stops the run: pyfix cannot tell what it says.
    write(dir, "pyproject.toml", "[project\n");
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert!(run.stderr.contains("pyproject.toml:1: invalid TOML"), "{run:?}");
}

#[test]
fn config_unknown_codemod_names_the_file() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    for (toml, key, bad, hint) in [
        ("select = [\"bare-opn\"]", "select", "bare-opn", "did you mean `bare-open`? "),
        ("ignore = [\"mutable-defaults\"]", "ignore", "mutable-defaults", "did you mean `mutable-default`? "),
        ("per-file-ignores = { \"t/*\" = [\"nope\"] }", "per-file-ignores.\"t/*\"", "nope", ""),
    ] {
        write(dir, "pyproject.toml", format!("[tool.pyfix]\n{toml}\n"));
        let run = pyfix(dir, &[]);
        run.code(2);
        assert_eq!(
            run.stderr,
            format!("pyfix: pyproject.toml: [tool.pyfix] {key}: unknown codemod `{bad}` ({hint}see `pyfix --list`)\n")
        );
    }
    assert_eq!(read(dir, "a.py"), BARE_OPEN);
}

#[test]
fn config_wrong_value_types() {
    let tmp = two_codemod_dir();
    let dir = tmp.path();
    for (toml, expected) in [
        ("select = \"bare-open\"", "[tool.pyfix] select: expected a list of strings"),
        ("exclude = [1]", "[tool.pyfix] exclude: expected a list of strings"),
        ("target-version = \"2.7\"", "[tool.pyfix] target-version: `2.7` is not a Python version pyfix knows"),
        ("per-file-ignores = [\"x\"]", "[tool.pyfix] per-file-ignores: expected a table"),
    ] {
        write(dir, "pyfix.toml", format!("{toml}\n"));
        let run = pyfix(dir, &["--check"]);
        run.code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{toml}\n{run:?}");
        assert!(run.stderr.contains(&format!("pyfix.toml: {expected}")), "{toml}\n{run:?}");
    }
}

#[test]
fn per_file_ignores() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nper-file-ignores = { \"tests/*\" = [\"bare-open\"] }\n");
    write(dir, "tests/test_a.py", format!("{BARE_OPEN}\n\n{MUTABLE}"));
    write(dir, "src/a.py", BARE_OPEN);
    let expected = |prefix: &str| {
        vec![
            triple(&format!("{prefix}src/a.py"), "bare-open", "safe"),
            triple(&format!("{prefix}tests/test_a.py"), "mutable-default", "safe"),
        ]
    };
    // However the path is spelled, the glob is matched relative to the config file's directory.
    for (cwd, args, prefix) in [
        ("", &["--check"][..], ""),
        ("", &["--check", "."], ""),
        ("", &["--check", "./src", "./tests"], ""),
        ("", &["--check", "src", "tests/test_a.py"], ""),
        ("src", &["--check", ".."], "../"),
    ] {
        let run = pyfix(&dir.join(cwd), args);
        run.code(1);
        assert_eq!(check_summary(&run), expected(prefix), "{args:?} in {cwd:?}\n{run:?}");
    }
    let abs = dir.to_str().unwrap();
    let run = pyfix(dir, &["--check", abs]);
    run.code(1);
    assert_eq!(check_summary(&run), expected(&format!("{abs}/")), "{run:?}");

    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "tests/test_a.py"), format!("{BARE_OPEN}\n\n{MUTABLE_FIXED}"));
    assert_eq!(read(dir, "src/a.py"), BARE_OPEN_FIXED);
}

#[test]
fn exclude_skips_directories_but_not_named_files() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nexclude = [\"legacy\"]\nextend-exclude = [\"gen_*.py\"]\n");
    write(dir, "legacy/old.py", MUTABLE);
    write(dir, "pkg/legacy/old.py", MUTABLE);
    write(dir, "pkg/gen_x.py", MUTABLE);
    write(dir, "pkg/b.py", MUTABLE);

    let only_b = vec![triple("pkg/b.py", "mutable-default", "safe")];
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), only_b);
    let run = pyfix(&dir.join("pkg"), &["--check", ".."]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("../pkg/b.py", "mutable-default", "safe")]);

    // Named on the command line: processed anyway, unless --force-exclude.
    let run = pyfix(dir, &["--check", "legacy/old.py", "./pkg/gen_x.py"]);
    run.code(1);
    assert_eq!(
        check_summary(&run),
        [triple("legacy/old.py", "mutable-default", "safe"), triple("pkg/gen_x.py", "mutable-default", "safe")]
    );
    let run = pyfix(dir, &["--check", "--force-exclude", "legacy/old.py", "./pkg/gen_x.py", "pkg/b.py"]);
    run.code(1);
    assert_eq!(check_summary(&run), only_b);
    let run = pyfix(&dir.join("pkg"), &["--check", "--force-exclude", "../legacy/old.py"]);
    run.code(0);
    assert_eq!(run.stderr, "No leaks found in 0 files\n");

    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "legacy/old.py"), MUTABLE);
    assert_eq!(read(dir, "pkg/gen_x.py"), MUTABLE);
    assert_eq!(read(dir, "pkg/b.py"), MUTABLE_FIXED);
}

#[test]
fn force_exclude_looks_only_below_the_project_root() {
    let tmp = tempdir();
    let dir = tmp.path();
    // A project that happens to live in a directory called `build`, named by absolute path (as editors do).
    write(dir, "build/proj/pyproject.toml", "[tool.pyfix]\n");
    let file = write(dir, "build/proj/a.py", MUTABLE);
    let venv_file = write(dir, "build/proj/.venv/lib/v.py", MUTABLE);
    let (file, venv_file) = (file.to_str().unwrap(), venv_file.to_str().unwrap());

    let run = pyfix(dir, &["--check", "--force-exclude", file, venv_file]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple(file, "mutable-default", "safe")]);
    let run = pyfix(dir, &["--check", "--force-exclude", "build/proj/a.py"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("build/proj/a.py", "mutable-default", "safe")]);
    let run = pyfix(&dir.join("build/proj"), &["--check", "--force-exclude", "a.py", ".venv/lib/v.py"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("a.py", "mutable-default", "safe")]);

    // Without a config the current directory is the root: `build/` below it is skipped.
    std::fs::remove_file(dir.join("build/proj/pyproject.toml")).unwrap();
    let run = pyfix(dir, &["--check", "--force-exclude", "build/proj/a.py"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    let run = pyfix(&dir.join("build/proj"), &["--check", "--force-exclude", "a.py"]);
    run.code(1);
}

#[test]
fn target_version_from_config_and_cli() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "m.py", "def add(item, items: list = []):\n    items.append(item)\n    return items\n");
    let pep604 = "+def add(item, items: list | None = None):\n";
    let optional = "+def add(item, items: Optional[list] = None):\n";

    let run = pyfix(dir, &["--dry-run"]);
    run.code(1);
    assert!(run.stdout.contains(optional), "3.9 is the default\n{run:?}");
    let run = pyfix(dir, &["--dry-run", "--target-version", "3.10"]);
    assert!(run.stdout.contains(pep604), "{run:?}");

    write(dir, "pyproject.toml", "[project]\nrequires-python = \">=3.11\"\n");
    let run = pyfix(dir, &["--dry-run"]);
    assert!(run.stdout.contains(pep604), "requires-python is read\n{run:?}");

    write(dir, "pyproject.toml", "[project]\nrequires-python = \">=3.11\"\n[tool.pyfix]\ntarget-version = \"3.8\"\n");
    let run = pyfix(dir, &["--dry-run"]);
    assert!(run.stdout.contains(optional), "target-version wins over requires-python\n{run:?}");
    let run = pyfix(dir, &["--dry-run", "--target-version", "3.12"]);
    assert!(run.stdout.contains(pep604), "the flag wins over the file\n{run:?}");
}

#[test]
fn cache_maxsize_from_config_and_cli() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "m.py", "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n\n\nprint(f(input()))\n");
    let bounded = |n: u32| format!("+@functools.lru_cache(maxsize={n})\n");

    let run = pyfix(dir, &["--dry-run", "--unsafe-fixes"]);
    assert!(run.stdout.contains(&bounded(128)), "128 is the default\n{run:?}");
    write(dir, "pyfix.toml", "cache-maxsize = 32\n");
    let run = pyfix(dir, &["--dry-run", "--unsafe-fixes"]);
    assert!(run.stdout.contains(&bounded(32)), "the config key is read\n{run:?}");
    let run = pyfix(dir, &["--dry-run", "--unsafe-fixes", "--cache-maxsize", "1024"]);
    assert!(run.stdout.contains(&bounded(1024)), "the flag wins over the file\n{run:?}");

    let run = pyfix(dir, &["--cache-maxsize", "0"]);
    run.code(2);
    assert!(run.stderr.contains("--cache-maxsize"), "{run:?}");
    write(dir, "pyfix.toml", "cache-maxsize = 0\n");
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert!(
        run.stderr.contains("pyfix.toml: [tool.pyfix] cache-maxsize: expected a whole number of at least 1"),
        "{run:?}"
    );
    assert_eq!(
        read(dir, "m.py"),
        "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n\n\nprint(f(input()))\n"
    );
}

#[test]
fn target_version_comes_from_the_nearest_pyproject_per_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    let src = "def add(item, items: list = []):\n    items.append(item)\n    return items\n";
    write(dir, "pyproject.toml", "[project]\nrequires-python = \">=3.8\"\n");
    write(dir, "old/m.py", src);
    write(dir, "new/pyproject.toml", "[project]\nrequires-python = \">=3.10\"\n");
    write(dir, "new/m.py", src);
    write(dir, "new/sub/m.py", src);
    let run = pyfix(dir, &["--dry-run", "--color", "never"]);
    run.code(1);
    let pep604 = "+def add(item, items: list | None = None):";
    let optional = "+def add(item, items: Optional[list] = None):";
    let hunk = |file: &str| {
        let start = run.stdout.find(&format!("--- a/{file}")).unwrap_or_else(|| panic!("no diff for {file}\n{run:?}"));
        let rest = &run.stdout[start + 4..];
        rest[..rest.find("--- a/").unwrap_or(rest.len())].to_string()
    };
    assert!(hunk("old/m.py").contains(optional), "{run:?}");
    assert!(hunk("new/m.py").contains(pep604), "the nested project requires 3.10\n{run:?}");
    assert!(hunk("new/sub/m.py").contains(pep604), "a subdirectory inherits its project's version\n{run:?}");
    let run = pyfix(dir, &["--dry-run", "--target-version", "3.9"]);
    assert!(!run.stdout.contains(pep604), "the flag holds for every file\n{run:?}");
}

#[test]
fn target_version_a_config_states_wins_over_requires_python() {
    let tmp = tempdir();
    let dir = tmp.path();
    let src = "def add(item, items: list = []):\n    items.append(item)\n    return items\n";
    write(dir, "pyproject.toml", "[tool.pyfix]\ntarget-version = \"3.8\"\n");
    // No [tool.pyfix]: the root config holds, and its target-version beats this requires-python.
    write(dir, "meta/pyproject.toml", "[project]\nrequires-python = \">=3.10\"\n");
    write(dir, "meta/m.py", src);
    // Its own config, stating no target-version: its requires-python.
    write(dir, "own/pyproject.toml", "[project]\nrequires-python = \">=3.10\"\n\n[tool.pyfix]\n");
    write(dir, "own/m.py", src);
    let run = pyfix(dir, &["--dry-run", "--color", "never"]);
    run.code(1);
    let pep604 = "+def add(item, items: list | None = None):";
    let optional = "+def add(item, items: Optional[list] = None):";
    let own = run.stdout.find("--- a/own/m.py").expect("a diff for own/m.py");
    assert!(run.stdout[..own].contains(optional), "{run:?}");
    assert!(run.stdout[own..].contains(pep604), "{run:?}");
}

#[test]
fn generated_files_are_skipped_with_a_note_unless_included() {
    let tmp = tempdir();
    let dir = tmp.path();
    let generated = format!("# Code generated by protoc. DO NOT EDIT.\n{BARE_OPEN}");
    write(dir, "gen_pb2.py", &generated);
    write(dir, "marked.py", format!("# @generated\n{MUTABLE}"));
    write(dir, "real.py", BARE_OPEN);
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "gen_pb2.py"), generated, "a generated file is left alone");
    assert_eq!(read(dir, "real.py"), BARE_OPEN_FIXED);
    assert!(
        run.summary().contains("2 files skipped (say they are generated; --include-generated processes them"),
        "{run:?}"
    );
    // Named on the command line (as pre-commit does): still skipped.
    let run = pyfix(dir, &["--check", "gen_pb2.py"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    let run = pyfix(dir, &["--check", "--include-generated", "gen_pb2.py"]);
    run.code(1);
    assert!(run.stdout.contains("bare-open"), "{run:?}");
    write(dir, "pyproject.toml", "[tool.pyfix]\ninclude-generated = true\n");
    let run = pyfix(dir, &["--check", "marked.py"]);
    run.code(1);
}

#[test]
fn vendored_trees_are_not_searched() {
    let tmp = tempdir();
    let dir = tmp.path();
    for d in ["pkg/_vendor", "vendor", "third_party/lib"] {
        write(dir, &format!("{d}/x.py"), BARE_OPEN);
    }
    write(dir, "pkg/own.py", BARE_OPEN);
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(run.stdout_lines().len(), 1, "{run:?}");
    assert!(run.stdout.starts_with("pkg/own.py:"), "{run:?}");
    // Named explicitly, a vendored directory is processed.
    let run = pyfix(dir, &["--check", "vendor"]);
    run.code(1);
}

// ---------------------------------------------------------------------------------------------------------------
// 9. Suppression comments

#[test]
fn suppression_comments() {
    let tmp = tempdir();
    let dir = tmp.path();
    let bare_with = |comment: &str| BARE_OPEN.replace("f = open(path)\n", &format!("f = open(path)  {comment}\n"));
    write(dir, "all.py", bare_with("# pyfix: ignore"));
    write(dir, "named.py", bare_with("# pyfix: ignore[bare-open]"));
    write(dir, "several.py", bare_with("# pyfix: ignore[mutable-default, bare-open]"));
    write(dir, "other.py", bare_with("# pyfix: ignore[mutable-default]"));
    write(dir, "mutable.py", MUTABLE.replace("items=[]):\n", "items=[]):  # pyfix: ignore[bare-open]\n"));
    write(dir, "mutable_ok.py", MUTABLE.replace("items=[]):\n", "items=[]):  # noqa  # pyfix: ignore\n"));
    // On another line it silences nothing.
    write(dir, "elsewhere.py", format!("# pyfix: ignore\n{BARE_OPEN}"));

    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(
        check_summary(&run),
        [
            triple("elsewhere.py", "bare-open", "safe"),
            triple("mutable.py", "mutable-default", "safe"),
            triple("other.py", "bare-open", "safe"),
        ]
    );
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "all.py"), bare_with("# pyfix: ignore"), "a suppressed finding is not fixed");
    assert_eq!(read(dir, "named.py"), bare_with("# pyfix: ignore[bare-open]"));
}

// ---------------------------------------------------------------------------------------------------------------
// 10. Discovery

#[test]
fn discovery_skips_ignored_hidden_and_environment_directories() {
    let tmp = tempdir();
    let dir = tmp.path();
    for skipped in [
        ".hidden/m.py",
        ".git/m.py",
        ".venv/m.py",
        "venv/m.py",
        "env/lib/m.py",
        "pkg/build/m.py",
        "dist/m.py",
        "__pycache__/m.py",
        "node_modules/m.py",
        "lib/site-packages/m.py",
        "by_gitignore/m.py",
        "by_ignore/m.py",
        "pkg/ignored_file.py",
        ".hidden_file.py",
        "pkg/not_python.txt",
        "pkg/no_extension",
        "pkg/m.py.bak",
    ] {
        write(dir, skipped, MUTABLE);
    }
    write(dir, "env/pyvenv.cfg", "home = /usr/bin\n");
    // Not a git repository: .gitignore is honoured anyway.
    write(dir, ".gitignore", "by_gitignore/\nignored_file.py\n");
    write(dir, ".ignore", "by_ignore\n");
    write(dir, "pkg/m.py", MUTABLE);
    write(dir, "pkg/types.pyi", "def f(:\n");
    write(dir, "build_tools/m.py", MUTABLE);

    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert_eq!(
        check_summary(&run),
        [triple("build_tools/m.py", "mutable-default", "safe"), triple("pkg/m.py", "mutable-default", "safe")]
    );
    // The stub is read (and fails to parse): *.pyi is processed.
    assert_eq!(run.error_lines().len(), 1, "{run:?}");
    assert!(run.error_lines()[0].starts_with("pyfix: pkg/types.pyi: not processed: syntax error at 1:7"), "{run:?}");
    assert_eq!(run.summary(), "Found 2 leaks in 2 files; 1 error (see above)");

    // A file in a skipped directory is processed when named, and so is a named file of any extension (a script
    // without `.py`, as Ruff does).
    let run = pyfix(dir, &["--check", "venv/m.py", "by_gitignore/m.py", "pkg/no_extension"]);
    run.code(1);
    assert_eq!(
        check_summary(&run),
        [
            triple("by_gitignore/m.py", "mutable-default", "safe"),
            triple("pkg/no_extension", "mutable-default", "safe"),
            triple("venv/m.py", "mutable-default", "safe"),
        ]
    );
}

#[test]
fn gitignore_in_a_git_repository() {
    let tmp = tempdir();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".git")).unwrap();
    write(dir, ".gitignore", "generated/\n");
    write(dir, "generated/m.py", MUTABLE);
    write(dir, "src/m.py", MUTABLE);
    write(dir, "src/.gitignore", "local.py\n");
    write(dir, "src/local.py", MUTABLE);
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert_eq!(check_summary(&run), [triple("src/m.py", "mutable-default", "safe")]);
}

#[test]
fn output_is_sorted_by_path_whatever_the_parallelism() {
    let tmp = tempdir();
    let dir = tmp.path();
    let mut expected = Vec::new();
    for i in 0..21 {
        let rel = format!("{}/f{:02}.py", ["zeta", "alpha", "mid/inner"][i % 3], 20 - i);
        // Two findings per file: the order inside a file is by position.
        write(dir, &rel, format!("{MUTABLE}\n\n{BARE_OPEN}"));
        expected.push(rel);
    }
    write(dir, "top.py", MUTABLE);
    expected.push("top.py".into());
    expected.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));

    let first = pyfix(dir, &["--check"]);
    first.code(1);
    let lines = check_lines(&first);
    let paths: Vec<&str> = lines.iter().map(|l| l.path.as_str()).collect();
    let mut want = Vec::new();
    for p in &expected {
        want.push(p.as_str());
        if p != "top.py" {
            want.push(p.as_str());
        }
    }
    assert_eq!(paths, want);
    for pair in lines.windows(2).filter(|w| w[0].path == w[1].path) {
        assert!((pair[0].line, pair[0].col) < (pair[1].line, pair[1].col), "{pair:?}");
    }
    for _ in 0..3 {
        assert_eq!(pyfix(dir, &["--check"]).stdout, first.stdout, "output changed between runs");
    }

    let diff = pyfix(dir, &["--dry-run"]);
    diff.code(1);
    let headers: Vec<&str> = diff.stdout.lines().filter_map(|l| l.strip_prefix("--- a/")).collect();
    assert_eq!(headers, expected);

    // A file named beside its directory is processed once.
    let run = pyfix(dir, &["--check", ".", "top.py", "./top.py"]);
    assert_eq!(run.stdout, first.stdout);

    // Several paths on the command line are merged into one sorted list, without duplicates.
    let run = pyfix(dir, &["--check", "zeta", "alpha/f19.py", "alpha", "top.py"]);
    run.code(1);
    let paths: Vec<String> = check_lines(&run).into_iter().map(|l| l.path).collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 2 * 14 + 1, "{run:?}");

    // Writing: each file once, even when named twice.
    let run = pyfix(dir, &[".", "top.py", "./alpha/f19.py"]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 43 leaks in 22 files\n");
}

// ---------------------------------------------------------------------------------------------------------------
// 11. Per-file errors: reported, the rest still processed, exit 2

#[test]
fn bad_files_are_reported_and_the_others_still_fixed() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a_good.py", MUTABLE);
    let syntax = b"def broken(:\n    f = open('x')\n".to_vec();
    write(dir, "syntax.py", &syntax);
    let latin = b"def add(item, items=[]):\n    return '\xe9'\n".to_vec();
    write(dir, "latin.py", &latin);
    let binary = b"x = 1\x00\x01\x02\n".to_vec();
    write(dir, "x.py", &binary);
    write(dir, "z_good.py", BARE_OPEN);

    let run = pyfix(dir, &["missing.py", ".", "missing_dir"]);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        [
            "pyfix: missing.py: no such file or directory",
            "pyfix: missing_dir: no such file or directory",
            "pyfix: latin.py: cannot decode as UTF-8 (invalid byte at offset 37) and no encoding is declared",
            "pyfix: syntax.py: not processed: syntax error at 1:12: Expected a parameter or the end of the parameter list",
            "pyfix: x.py: binary file (contains NUL bytes); not a Python source file",
        ],
        "{run:?}"
    );
    assert_eq!(run.summary(), "Fixed 2 leaks in 2 files; 5 errors (see above)");
    assert_eq!(read(dir, "a_good.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "z_good.py"), BARE_OPEN_FIXED);
    assert_eq!(read_bytes(dir, "syntax.py"), syntax, "a file that does not parse is never edited");
    assert_eq!(read_bytes(dir, "latin.py"), latin);
    assert_eq!(read_bytes(dir, "x.py"), binary);

    // --check and --dry-run report the same errors and also exit 2.
    for mode in ["--check", "--dry-run"] {
        write(dir, "a_good.py", MUTABLE);
        let run = pyfix(dir, &[mode]);
        run.code(2);
        assert_eq!(run.error_lines().len(), 3, "{mode}\n{run:?}");
        assert!(!run.stdout.is_empty(), "the good file is still reported\n{run:?}");
        assert_eq!(read(dir, "a_good.py"), MUTABLE);
    }
}

#[test]
fn only_a_missing_path() {
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &["nope.py"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "pyfix: nope.py: no such file or directory\nNo leaks found in 0 files; 1 error (see above)\n"
    );
}

#[test]
fn unreadable_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    let locked = write(dir, "locked.py", MUTABLE);
    write(dir, "open.py", MUTABLE);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root (as in CI containers), mode 000 does not stop reads: then the file is read, and left alone as
    // read-only (no write bit).
    let readable_anyway = std::fs::File::open(&locked).is_ok();

    let run = pyfix(dir, &[]);
    if readable_anyway {
        run.code(2);
        assert_eq!(
            run.error_lines(),
            ["pyfix: locked.py: read-only file; not rewritten (make it writable to let pyfix fix it)"],
            "{run:?}"
        );
        assert_eq!(read(dir, "locked.py"), MUTABLE);
        assert_eq!(mode(dir, "locked.py"), 0o000, "permissions kept");
    } else {
        run.code(2);
        assert_eq!(run.error_lines(), ["pyfix: locked.py: cannot read: permission denied"], "{run:?}");
        assert_eq!(run.summary(), "Fixed 1 leak in 1 file; 1 error (see above)");
    }
    assert_eq!(read(dir, "open.py"), MUTABLE_FIXED);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn declared_encoding_that_is_not_supported_or_does_not_fit() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "weird.py", b"# coding: klingon\nx = '\xe9'\n");
    write(dir, "liar.py", b"# -*- coding: utf-8 -*-\nx = '\xe9'\n");
    write(dir, "liar_bom.py", b"\xef\xbb\xbf# coding: latin-1\nx = '\xe9'\n");
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        [
            "pyfix: liar.py: cannot decode as UTF-8 (invalid byte at offset 29) although it has `coding: utf-8`",
            "pyfix: liar_bom.py: cannot decode as UTF-8 (invalid byte at offset 23) although it has a UTF-8 BOM",
            "pyfix: weird.py: cannot decode: declared encoding `klingon` is not supported",
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------------
// 12. Writes keep what they do not fix

#[test]
fn crlf_stays_crlf() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "crlf.py", MUTABLE.replace('\n', "\r\n"));
    pyfix(dir, &[]).code(0);
    assert_eq!(read(dir, "crlf.py"), MUTABLE_FIXED.replace('\n', "\r\n"));
}

#[test]
fn bom_survives() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "bom.py", format!("\u{feff}{BARE_OPEN}"));
    pyfix(dir, &[]).code(0);
    assert_eq!(read_bytes(dir, "bom.py"), format!("\u{feff}{BARE_OPEN_FIXED}").into_bytes());
}

#[test]
fn latin1_file_is_written_back_in_latin1() {
    let tmp = tempdir();
    let dir = tmp.path();
    let before: &[u8] = b"# -*- coding: latin-1 -*-\n# caf\xe9 cr\xe8me\ndef add(item, items=[]):\n    items.append(item)\n    return '\xe9\xe8' + str(items)\n";
    let after: &[u8] = b"# -*- coding: latin-1 -*-\n# caf\xe9 cr\xe8me\ndef add(item, items=None):\n    if items is None:\n        items = []\n    items.append(item)\n    return '\xe9\xe8' + str(items)\n";
    write(dir, "lat.py", before);
    let run = pyfix(dir, &["--dry-run"]);
    run.code(1);
    assert!(run.stdout.contains(" # café crème\n"), "the diff is shown decoded\n{run:?}");
    pyfix(dir, &[]).code(0);
    assert_eq!(read_bytes(dir, "lat.py"), after);
    pyfix(dir, &["--check"]).code(0);
}

#[test]
fn permissions_are_kept() {
    let tmp = tempdir();
    let dir = tmp.path();
    for (name, perm) in [("private.py", 0o640), ("script.py", 0o755), ("group.py", 0o464)] {
        let path = write(dir, name, MUTABLE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(perm)).unwrap();
    }
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 3 leaks in 3 files\n");
    for (name, perm) in [("private.py", 0o640), ("script.py", 0o755), ("group.py", 0o464)] {
        assert_eq!(read(dir, name), MUTABLE_FIXED, "{name}");
        assert_eq!(mode(dir, name), perm, "{name}");
    }
}

/// A file no one may write (mode 444: a vendored file, a Perforce file not opened for edit) is not rewritten, even
/// by root, who could.
#[test]
fn a_read_only_file_is_reported_not_rewritten() {
    let tmp = tempdir();
    let dir = tmp.path();
    let path = write(dir, "readonly.py", MUTABLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    write(dir, "other.py", MUTABLE);
    let run = pyfix(dir, &[]);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        ["pyfix: readonly.py: read-only file; not rewritten (make it writable to let pyfix fix it)"]
    );
    assert_eq!(run.summary(), "Fixed 1 leak in 1 file; 1 error (see above)");
    assert_eq!(read(dir, "readonly.py"), MUTABLE);
    assert_eq!(mode(dir, "readonly.py"), 0o444);
    assert_eq!(read(dir, "other.py"), MUTABLE_FIXED);
}

#[test]
fn symlink_target_is_rewritten_and_the_link_kept() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "real/target.py", MUTABLE);
    std::fs::create_dir(dir.join("links")).unwrap();
    std::os::unix::fs::symlink("../real/target.py", dir.join("links/link.py")).unwrap();

    let run = pyfix(dir, &["links/link.py"]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 1 leak in 1 file\n");
    let meta = std::fs::symlink_metadata(dir.join("links/link.py")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced by a file");
    assert_eq!(std::fs::read_link(dir.join("links/link.py")).unwrap(), Path::new("../real/target.py"));
    assert_eq!(read(dir, "real/target.py"), MUTABLE_FIXED);
    assert_eq!(all_files(&dir.join("real")), [dir.join("real/target.py")], "temporary files left behind");
}

#[test]
fn no_temporary_files_are_left() {
    let tmp = tempdir();
    let dir = tmp.path();
    for i in 0..5 {
        write(dir, &format!("f{i}.py"), MUTABLE);
        write(dir, &format!("sub/g{i}.py"), BARE_OPEN);
    }
    write(dir, "sub/bad.py", "def f(:\n");
    pyfix(dir, &[]).code(2);
    let leftovers: Vec<PathBuf> = all_files(dir)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".pyfix-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(all_files(dir).len(), 11);
}

// ---------------------------------------------------------------------------------------------------------------
// 13. Idempotence

#[test]
fn a_second_run_finds_nothing_to_do() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "a.py", BARE_OPEN);
    write(dir, "b.py", MUTABLE);
    write(dir, "both.py", format!("{MUTABLE}\n\n{BARE_OPEN}"));
    write(dir, "u.py", UNSAFE);
    pyfix(dir, &["--unsafe-fixes"]).code(0);
    let before: Vec<Vec<u8>> = ["a.py", "b.py", "both.py", "u.py"].iter().map(|f| read_bytes(dir, f)).collect();

    let run = pyfix(dir, &["--dry-run"]);
    run.code(0);
    assert_eq!(run.stdout, "");
    let run = pyfix(dir, &["--check"]);
    run.code(0);
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(run.stderr, "No leaks found in 4 files\n");
    let after: Vec<Vec<u8>> = ["a.py", "b.py", "both.py", "u.py"].iter().map(|f| read_bytes(dir, f)).collect();
    assert_eq!(before, after);
}

// ---------------------------------------------------------------------------------------------------------------
// 14. Broken pipe

#[test]
fn broken_pipe_exits_quietly() {
    let tmp = tempdir();
    let dir = tmp.path();
    // Far more output than a pipe buffers (64 KiB), so pyfix is still writing when the reader goes away.
    let many: String = (0..1500).map(|i| format!("def f{i}(x=[]):\n    return x\n\n")).collect();
    write(dir, "many.py", &many);

    for mode in ["--check", "--dry-run"] {
        let mut child = command(dir, &[mode]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{mode}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{mode}: {stderr}");
        assert!(!stderr.contains("Broken pipe") && !stderr.contains("broken pipe"), "{mode}: {stderr}");
    }
    assert_eq!(read(dir, "many.py"), many);
}

#[test]
fn a_failing_stdout_is_an_error() {
    let tmp = tempdir();
    write(tmp.path(), "b.py", MUTABLE);
    let full = std::fs::File::options().write(true).open("/dev/full").expect("/dev/full (Linux)");
    let out = command(tmp.path(), &["--check"]).stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, "pyfix: writing to stdout: No space left on device (os error 28)\n");
    assert_eq!(read(tmp.path(), "b.py"), MUTABLE);
}

// ---------------------------------------------------------------------------------------------------------------
// 15. Odd input

#[test]
fn deep_nesting_does_not_crash() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "parens.py", format!("x = {}1{}\n", "(".repeat(500), ")".repeat(500)));
    let mut ifs = String::new();
    for depth in 0..100 {
        ifs.push_str(&format!("{}if x{depth}:\n", "    ".repeat(depth)));
    }
    ifs.push_str(&format!("{}f = open(p)\n{0}f.read()\n{0}f.close()\n", "    ".repeat(100)));
    write(dir, "ifs.py", &ifs);
    let lists = format!("def f(p, x={}{}):\n    return x\n", "[".repeat(500), "]".repeat(500));
    write(dir, "lists.py", &lists);

    for args in [&["--check"][..], &["--dry-run"], &[]] {
        let run = pyfix(dir, args);
        assert!(matches!(run.code, Some(0..=2)), "{args:?}\n{run:?}");
        if run.code == Some(2) {
            assert!(!run.error_lines().is_empty(), "exit 2 without a message\n{run:?}");
        }
    }
    assert_eq!(read(dir, "parens.py"), format!("x = {}1{}\n", "(".repeat(500), ")".repeat(500)));
}

#[test]
fn pathological_nesting_is_reported_not_fatal() {
    let tmp = tempdir();
    let dir = tmp.path();
    let deep = format!("x = {}{}\n", "[".repeat(6000), "]".repeat(6000));
    write(dir, "deep.py", &deep);
    write(dir, "parens.py", format!("x = {}1{}\n", "(".repeat(20_000), ")".repeat(20_000)));
    write(dir, "b.py", MUTABLE);
    let run = pyfix(dir, &[]);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        ["pyfix: deep.py: not processed: code nested more than 5000 levels deep (CPython cannot compile it either)"]
    );
    assert_eq!(read(dir, "deep.py"), deep);
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED, "the other files are still fixed");
}

#[test]
fn empty_and_comment_only_files() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "empty.py", "");
    write(dir, "comments.py", "# just a comment\n# pyfix: ignore\n");
    write(dir, "blank.py", "\n\n   \n");
    write(dir, "no_newline.py", "x = 1");
    for args in [&["--check"][..], &["--dry-run"], &[]] {
        let run = pyfix(dir, args);
        run.code(0);
        assert_eq!(run.stdout, "");
        assert_eq!(run.stderr, "No leaks found in 4 files\n");
    }
    assert_eq!(read(dir, "empty.py"), "");
    assert_eq!(read(dir, "no_newline.py"), "x = 1");
}

#[test]
fn empty_directory() {
    // A check over zero files is an error, not a pass (more in tests/messages.rs).
    let tmp = tempdir();
    let run = pyfix(tmp.path(), &[]);
    run.code(2);
    assert!(run.stderr.starts_with("pyfix: .: no Python files found (hint: "), "{run:?}");
    assert!(run.stderr.ends_with("\nNo leaks found in 0 files; 1 error (see above)\n"), "{run:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// 16. --quiet

#[test]
fn quiet_drops_the_summary_but_not_errors_or_output() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "b.py", MUTABLE);

    let run = pyfix(dir, &["--quiet", "--check"]);
    run.code(1);
    assert_eq!(run.stderr, "");
    assert_eq!(check_summary(&run), [triple("b.py", "mutable-default", "safe")], "findings asked for are printed");

    let run = pyfix(dir, &["-q", "--dry-run"]);
    run.code(1);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.starts_with("--- a/b.py\n"));

    write(dir, "bad.py", "x = (\n");
    let run = pyfix(dir, &["-q"]);
    run.code(2);
    assert_eq!(run.stderr, "pyfix: bad.py: not processed: syntax error at 2:1: unexpected EOF while parsing\n");
    assert_eq!(read(dir, "b.py"), MUTABLE_FIXED);

    write(dir, "pyproject.toml", "[tool.pyfix]\nbogus = 1\n");
    let run = pyfix(dir, &["-q"]);
    run.code(2);
    assert!(run.stderr.contains("unknown key `bogus`"), "{run:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// 17. Every kind of input (issue 11): decoded, fixed and written back as it was, or a clear one-line error

/// Fixes `before` in a file named `name` and checks the bytes written, that --check then finds nothing, and that
/// a dry run before the fix wrote nothing.
#[track_caller]
fn fixes_to(name: &str, before: &[u8], after: &[u8]) {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, name, before);
    pyfix(dir, &["--dry-run", name]).code(1);
    assert_eq!(read_bytes(dir, name), before, "--dry-run wrote");
    let run = pyfix(dir, &[name]);
    run.code(0);
    assert_eq!(String::from_utf8_lossy(&read_bytes(dir, name)), String::from_utf8_lossy(after), "{name}\n{run:?}");
    assert_eq!(read_bytes(dir, name), after, "{name}: exact bytes");
    pyfix(dir, &["--check", name]).code(0);
}

/// `head`, then the unfixed function, then `tail`; and the same with the function fixed.
fn around(head: &[u8], tail: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let wrap = |body: &str| [head, body.as_bytes(), tail].concat();
    (wrap(MUTABLE), wrap(MUTABLE_FIXED))
}

#[test]
fn declared_encodings_are_written_back_in_the_same_encoding() {
    let cases: [(&str, &[u8], &[u8]); 4] = [
        ("latin1.py", b"# -*- coding: latin-1 -*-\n# caf\xe9\n", b"s = '\xe0 la cr\xe8me'\n"),
        ("cp1252.py", b"# -*- coding: cp1252 -*-\n# \x80 5\n", b"s = '\x93quoted\x94 \x85'\n"),
        ("koi8r.py", b"# coding: koi8-r\n# \xf0\xd2\xc9\xd7\xc5\xd4\n", b"s = '\xcd\xc9\xd2'\n"),
        ("utf8.py", "# -*- coding: utf-8 -*-\n# café ☕\n".as_bytes(), "s = 'ünïcödé 日本'\n".as_bytes()),
    ];
    for (name, head, tail) in cases {
        let (before, after) = around(head, tail);
        fixes_to(name, &before, &after);
    }
}

#[test]
fn a_utf8_bom_is_kept_with_a_declaration_too() {
    let (before, after) = around(b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n", "s = 'é'\n".as_bytes());
    fixes_to("bom.py", &before, &after);
}

#[test]
fn line_endings_crlf_cr_only_and_mixed() {
    fixes_to("crlf.py", MUTABLE.replace('\n', "\r\n").as_bytes(), MUTABLE_FIXED.replace('\n', "\r\n").as_bytes());
    fixes_to("cr.py", MUTABLE.replace('\n', "\r").as_bytes(), MUTABLE_FIXED.replace('\n', "\r").as_bytes());
    // Mixed: the lines pyfix adds take the file's first line ending; every other line keeps its own.
    fixes_to(
        "mixed.py",
        b"import os\r\ndef add(item, items=[]):\n    items.append(item)\r\n    return items\n",
        b"import os\r\ndef add(item, items=None):\n    if items is None:\r\n        items = []\r\n    items.append(item)\r\n    return items\n",
    );
}

#[test]
fn form_feeds_and_tab_indentation() {
    let before = "x = 1\n\x0c\ndef read(path):\n\tf = open(path)\n\tdata = f.read()\n\tf.close()\n\treturn data\n\x0c\ndef add(item, items=[]):\n\titems.append(item)\n\treturn items\n";
    let after = "x = 1\n\x0c\ndef read(path):\n\twith open(path) as f:\n\t\tdata = f.read()\n\treturn data\n\x0c\ndef add(item, items=None):\n\tif items is None:\n\t\titems = []\n\titems.append(item)\n\treturn items\n";
    fixes_to("tabs.py", before.as_bytes(), after.as_bytes());
    // A form feed at the start of an indented line (Python resets the column count there).
    let before = "def add(item, items=[]):\n\x0c    items.append(item)\n    return items\n";
    let after = "def add(item, items=None):\n    if items is None:\n        items = []\n\x0c    items.append(item)\n    return items\n";
    fixes_to("ff.py", before.as_bytes(), after.as_bytes());
}

#[test]
fn binary_and_undecodable_files_are_reported_and_left_alone() {
    let tmp = tempdir();
    let dir = tmp.path();
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
    let elf: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00";
    let nul: &[u8] = b"def f(x=[]):\n    return x\x00\n";
    let noise: &[u8] = b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc";
    let cp1252_undeclared: &[u8] = b"# \x93smart quotes\x94\ndef f(x=[]):\n    return x\n";
    for (name, bytes) in [("a_png.py", png), ("b_elf.py", elf), ("c_nul.py", nul), ("d_noise.py", noise)] {
        write(dir, name, bytes);
    }
    write(dir, "e_cp1252.py", cp1252_undeclared);
    write(dir, "f_good.py", MUTABLE);
    let run = pyfix(dir, &[]);
    run.code(2);
    assert_eq!(
        run.error_lines(),
        [
            "pyfix: a_png.py: binary file (contains NUL bytes); not a Python source file",
            "pyfix: b_elf.py: binary file (contains NUL bytes); not a Python source file",
            "pyfix: c_nul.py: binary file (contains NUL bytes); not a Python source file",
            "pyfix: d_noise.py: cannot decode as UTF-8 (invalid byte at offset 0) and no encoding is declared",
            "pyfix: e_cp1252.py: cannot decode as UTF-8 (invalid byte at offset 2) and no encoding is declared",
        ],
        "{run:?}"
    );
    for (name, bytes) in [("a_png.py", png), ("b_elf.py", elf), ("c_nul.py", nul), ("d_noise.py", noise)] {
        assert_eq!(read_bytes(dir, name), bytes, "{name}");
    }
    assert_eq!(read_bytes(dir, "e_cp1252.py"), cp1252_undeclared);
    assert_eq!(read(dir, "f_good.py"), MUTABLE_FIXED, "the good file is still fixed");
}

#[test]
fn whitespace_only_files() {
    let tmp = tempdir();
    let dir = tmp.path();
    let files: [(&str, &str); 5] =
        [("a.py", ""), ("b.py", " "), ("c.py", "\n\n\n"), ("d.py", "\t \x0c\r\n  \r"), ("e.py", "\u{feff}")];
    for (name, text) in files {
        write(dir, name, text);
    }
    for args in [&["--check"][..], &["--dry-run"], &[]] {
        let run = pyfix(dir, args);
        run.code(0);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, "No leaks found in 5 files\n");
    }
    for (name, text) in files {
        assert_eq!(read(dir, name), text, "{name}");
    }
}

#[test]
fn five_thousand_levels_of_nesting() {
    let tmp = tempdir();
    let dir = tmp.path();
    // 5,000 nested brackets in a function that also has a finding: past what CPython compiles (~200 levels of
    // parentheses); pyfix must neither crash nor change it, and must say why.
    let deep = format!("def f(x=[]):\n    x.append(1)\n    return {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    write(dir, "deep.py", &deep);
    // 5,000 nested calls spread over lines: still within the cap once statements are counted.
    let calls = format!("y = {}0{}\n", "g(\n".repeat(2500), ")".repeat(2500));
    write(dir, "calls.py", &calls);
    write(dir, "good.py", MUTABLE);
    for args in [&["--check"][..], &["--dry-run"], &[]] {
        let run = pyfix(dir, args);
        assert!(matches!(run.code, Some(1 | 2)), "{args:?}\n{run:?}");
        for line in run.error_lines() {
            assert!(line.contains("nested more than 5000 levels"), "{line}");
        }
    }
    assert_eq!(read(dir, "deep.py"), deep);
    assert_eq!(read(dir, "calls.py"), calls);
    assert_eq!(read(dir, "good.py"), MUTABLE_FIXED);
}

#[test]
fn a_50_mb_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    let filler = "# filler: a generated or vendored file is this big, and mostly not a leak\n".repeat(720_000);
    assert!(filler.len() > 50 << 20);
    let before = format!("{MUTABLE}{filler}{BARE_OPEN}");
    write(dir, "big.py", &before);
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(run.stderr, "Fixed 2 leaks in 1 file\n");
    assert!(read(dir, "big.py") == format!("{MUTABLE_FIXED}{filler}{BARE_OPEN_FIXED}"), "big.py is not as expected");
}

#[test]
fn symlinks_named_dangling_and_looping() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "real.py", MUTABLE);
    std::os::unix::fs::symlink("real.py", dir.join("link.py")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", dir.join("dangling.py")).unwrap();
    std::os::unix::fs::symlink("loop.py", dir.join("loop.py")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("../sub", dir.join("sub/again")).unwrap();

    // In a directory walk: links are not followed (real.py is found where it lives), broken ones are reported.
    let run = pyfix(dir, &["--check"]);
    run.code(2);
    assert_eq!(check_summary(&run), [triple("real.py", "mutable-default", "safe")], "{run:?}");
    let broken = [
        "pyfix: dangling.py: dangling symbolic link: its target `nowhere.py` does not exist",
        "pyfix: loop.py: symbolic link loop: `loop.py` leads back to itself",
    ];
    assert_eq!(run.error_lines(), broken, "each reported once\n{run:?}");

    // Named on the command line: followed; broken ones reported the same way.
    let run = pyfix(dir, &["--check", "link.py", "dangling.py", "loop.py"]);
    run.code(2);
    assert_eq!(check_summary(&run), [triple("link.py", "mutable-default", "safe")]);
    assert_eq!(run.error_lines(), broken);
    let run = pyfix(dir, &["link.py"]);
    run.code(0);
    assert_eq!(read(dir, "real.py"), MUTABLE_FIXED);
    assert!(std::fs::symlink_metadata(dir.join("link.py")).unwrap().file_type().is_symlink());
}

/// True when this process can read what mode 000 forbids (root): permission tests cannot run then.
fn permissions_are_not_enforced(dir: &Path) -> bool {
    let probe = write(dir, "probe", "");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    if readable {
        eprintln!("skipped: running as root, where mode 000 does not stop reads; run as a normal user to test this");
    }
    readable
}

#[test]
fn unreadable_directory() {
    let tmp = tempdir();
    let dir = tmp.path();
    if permissions_are_not_enforced(dir) {
        return;
    }
    write(dir, "locked/a.py", MUTABLE);
    write(dir, "open/b.py", MUTABLE);
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = pyfix(dir, &[]);
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    run.code(2);
    let errors = run.error_lines();
    assert!(errors.len() == 1 && errors[0].starts_with("pyfix: locked") && errors[0].contains("ermission denied"));
    assert_eq!(read(dir, "open/b.py"), MUTABLE_FIXED);
    assert_eq!(read(dir, "locked/a.py"), MUTABLE);
}

#[test]
fn read_only_file_in_a_read_only_directory() {
    let tmp = tempdir();
    let dir = tmp.path();
    let file = write(dir, "ro/a.py", MUTABLE);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = pyfix(dir, &[]);
    std::fs::set_permissions(dir.join("ro"), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root could write there, but a read-only file is left alone by anyone.
    run.code(2);
    assert_eq!(
        run.error_lines(),
        ["pyfix: ro/a.py: read-only file; not rewritten (make it writable to let pyfix fix it)"],
        "{run:?}"
    );
    assert_eq!(read(dir, "ro/a.py"), MUTABLE);
    assert_eq!(mode(dir, "ro/a.py"), 0o444);
}

#[test]
fn a_directory_named_like_a_python_file() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pkg.py/inner.py", MUTABLE);
    for args in [&["--check"][..], &["--check", "pkg.py"]] {
        let run = pyfix(dir, args);
        run.code(1);
        assert_eq!(check_summary(&run), [triple("pkg.py/inner.py", "mutable-default", "safe")], "{run:?}");
        assert_eq!(run.error_lines(), Vec::<&str>::new());
    }
}

#[test]
fn python_2_files_are_syntax_errors_left_alone() {
    let tmp = tempdir();
    let dir = tmp.path();
    let files: [(&str, &str); 3] = [
        ("print.py", "def f(x=[]):\n    print \"hello\"\n"),
        // (`except IOError, e:` alone is not enough: Python 3.14 reads it as `except (IOError, e):`.)
        ("raise.py", "def f(x=[]):\n    raise ValueError, \"bad\"\n"),
        ("backticks.py", "def f(x=[]):\n    return `x`\n"),
    ];
    for (name, text) in files {
        write(dir, name, text);
    }
    let run = pyfix(dir, &[]);
    run.code(2);
    let errors = run.error_lines();
    assert_eq!(errors.len(), 3, "{run:?}");
    for line in &errors {
        assert!(
            line.contains("not processed: syntax error at") && line.ends_with("(Python 2 code? pyfix reads Python 3)"),
            "{line}"
        );
    }
    for (name, text) in files {
        assert_eq!(read(dir, name), text, "{name}");
    }
}

/// An open whose line says `# noqa: SIM115` is reported without a fix, unless `[tool.pyfix.bare-open] fix-noqa`.
#[test]
fn bare_open_fix_noqa_from_config() {
    let tmp = tempdir();
    let dir = tmp.path();
    let src = "def read(p):\n    f = open(p)  # noqa: SIM115\n    data = f.read()\n    f.close()\n    return data\n";
    write(dir, "r.py", src);
    let run = pyfix(dir, &["--check"]);
    run.code(1);
    assert!(run.stdout.contains("[fix: none] (the opening line's `# noqa: SIM115`"), "{run:?}");
    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(read(dir, "r.py"), src);

    write(dir, "pyproject.toml", "[tool.pyfix.bare-open]\nfix-noqa = true\n");
    let run = pyfix(dir, &[]);
    run.code(0);
    assert_eq!(read(dir, "r.py"), "def read(p):\n    with open(p) as f:\n        data = f.read()\n    return data\n");

    write(dir, "pyproject.toml", "[tool.pyfix.bare-open]\nfix-noq = true\n");
    let run = pyfix(dir, &[]);
    run.code(2);
    assert!(run.stderr.contains("unknown key `fix-noq` (did you mean `fix-noqa`?)"), "{run:?}");
}

#[test]
fn resource_factories_from_config() {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[tool.pyfix]\nresource-factories = { \"mylib.open_conn\" = \"closing\" }\n");
    let src = "from mylib import open_conn\n\n\ndef count(dsn):\n    conn = open_conn(dsn)\n    n = conn.count()\n    conn.close()\n    return n\n";
    write(dir, "c.py", src);
    // Fixes for resources other than files are unsafe until their kind has been proven on real code.
    let run = pyfix(dir, &[]);
    run.code(1);
    assert_eq!(read(dir, "c.py"), src);
    let run = pyfix(dir, &["--unsafe-fixes"]);
    run.code(0);
    assert_eq!(
        read(dir, "c.py"),
        "from mylib import open_conn\nfrom contextlib import closing\n\n\ndef count(dsn):\n    with closing(open_conn(dsn)) as conn:\n        n = conn.count()\n    return n\n"
    );

    write(dir, "pyproject.toml", "[tool.pyfix]\nresource-factories = { \"mylib.open_conn\" = \"close\" }\n");
    let run = pyfix(dir, &[]);
    run.code(2);
    assert!(
        run.stderr.contains("resource-factories.\"mylib.open_conn\": expected one of with, closing, async-with"),
        "{run:?}"
    );
}
