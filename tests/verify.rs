//! `--verify COMMAND` end to end (issue 20): a small project whose own `python3 -m unittest` suite judges the fixes.
//! Two fixes are right (bare-open, an unsafe unbounded-cache fix), two break a test (strong-backref: a test drops
//! the owner and reads the child's back link; mutable-default: a test counts calls through the shared default).
//! Needs python3 and git on PATH; no network, no pytest.

mod harness;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use harness::{command, pyfix, read, tempdir, write, Run};

const TREE: &str = "\
class Node:
    def __init__(self, parent=None):
        self.parent = parent
        self.children = []

    def add(self):
        child = Node(self)
        self.children.append(child)
        return child
";

const UTIL: &str = "\
import functools


def collect(item, seen=[]):
    seen.append(item)
    return len(seen)


def read_config(path):
    f = open(path)
    data = f.read()
    f.close()
    return data


class Report:
    def __init__(self, rows):
        self.rows = rows

    @functools.cache
    def _total(self):
        return sum(self.rows)

    def summary(self):
        return f\"{len(self.rows)} rows, total {self._total()}\"


def first_line(path):
    return open(path).readline()
";

/// Never imported by the tests.
const UNUSED: &str = "def load(path):\n    return open(path).read()\n";

const TESTS: &str = "\
import os
import tempfile
import unittest

from app import tree, util


class TreeTest(unittest.TestCase):
    def test_child_keeps_parent(self):
        child = tree.Node().add()
        self.assertIsNotNone(child.parent)


class UtilTest(unittest.TestCase):
    def test_collect_counts_calls(self):
        util.collect(1)
        self.assertEqual(util.collect(2), 2)

    def test_read_config(self):
        with tempfile.NamedTemporaryFile(\"w\", suffix=\".cfg\", delete=False) as f:
            f.write(\"x=1\")
        try:
            self.assertEqual(util.read_config(f.name), \"x=1\")
        finally:
            os.remove(f.name)

    def test_summary(self):
        self.assertEqual(util.Report([1, 2]).summary(), \"2 rows, total 3\")

    def test_first_line(self):
        self.assertTrue(util.first_line(__file__).startswith(\"import\"))
";

/// A test that fails on its second run only (a counter in `$VERIFY_COUNTER`): the baseline passes it, the first run
/// with the fixes fails it, the rerun passes it.
const FLAKY: &str = "\
import os
import unittest


class Flaky(unittest.TestCase):
    def test_sometimes(self):
        path = os.environ[\"VERIFY_COUNTER\"]
        n = int(open(path).read() or 0) + 1 if os.path.exists(path) else 1
        with open(path, \"w\") as f:
            f.write(str(n))
        self.assertNotEqual(n, 2, \"second run\")
";

const UNITTEST: &str = "python3 -m unittest -v";

fn project(dir: &Path) {
    write(dir, "app/__init__.py", "");
    write(dir, "app/tree.py", TREE);
    write(dir, "app/util.py", UTIL);
    write(dir, "app/unused.py", UNUSED);
    write(dir, "tests/__init__.py", "");
    write(dir, "tests/test_app.py", TESTS);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir` (not `.git`) with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push((p.strip_prefix(base).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

fn verify(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--unsafe-fixes", "--no-cache", "--verify", UNITTEST];
    args.extend(extra);
    args.push(".");
    pyfix(dir, &args)
}

#[test]
fn keeps_the_right_fixes_and_names_the_test_each_dropped_one_breaks() {
    let dir = tempdir();
    project(dir.path());
    let run = verify(dir.path(), &[]);
    run.code(1);
    let dropped: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("dropped")).collect();
    assert_eq!(dropped.len(), 2, "{run:?}");
    assert!(dropped[0].starts_with("dropped  app/tree.py:3: strong-backref:"), "{run:?}");
    assert!(
        dropped[0]
            .ends_with("breaks tests.test_app.TreeTest.test_child_keeps_parent: AssertionError: unexpectedly None"),
        "{run:?}"
    );
    assert!(dropped[1].starts_with("dropped  app/util.py:4: mutable-default:"), "{run:?}");
    assert!(dropped[1].ends_with("breaks tests.test_app.UtilTest.test_collect_counts_calls: AssertionError: 1 != 2"));
    // Kept, with what the runtime evidence of the two runs says of each.
    let kept: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("kept")).collect();
    assert_eq!(kept.len(), 4, "{run:?}");
    assert!(kept[0].starts_with("kept     app/unused.py:2: bare-open:"), "{run:?}");
    assert!(kept[0].ends_with(": not exercised"), "{run:?}");
    assert!(kept[1].starts_with("kept     app/util.py:10: bare-open:"), "{run:?}");
    // Closed on the normal path: it ran and showed no leak either way.
    assert!(kept[1].ends_with(": passes tests"), "{run:?}");
    assert!(kept[2].starts_with("kept     app/util.py:20: unbounded-cache:") && kept[2].contains("[unsafe fix"));
    assert!(kept[2].ends_with(": passes tests"), "{run:?}");
    assert!(kept[3].starts_with("kept     app/util.py:29: bare-open:"), "{run:?}");
    assert!(
        kept[3].ends_with(
            ": verified (1 handle left to the garbage collector (`TextIOWrapper`) before the fix, none after)"
        ),
        "{run:?}"
    );
    assert!(
        run.summary().contains("kept 4 (1 verified, 2 passes tests, 1 not exercised), dropped 2; wrote 2 files"),
        "{run:?}"
    );
    // Exactly the kept fixes were written.
    assert_eq!(read(dir.path(), "app/tree.py"), TREE);
    let util = read(dir.path(), "app/util.py");
    assert!(util.contains("def collect(item, seen=[]):"), "{util}");
    assert!(util.contains("    with open(path) as f:\n"), "{util}");
    assert!(!util.contains("@functools.cache\n"), "{util}");
    // And the project's tests pass on the result.
    let tests = std::process::Command::new("python3").args(["-m", "unittest"]).current_dir(dir.path()).output();
    assert!(tests.unwrap().status.success());
}

#[test]
fn a_git_checkout_is_copied_with_its_uncommitted_changes() {
    let dir = tempdir();
    project(dir.path());
    // Committed: a test suite that observes no fix. Uncommitted: the tests that break two of them.
    write(dir.path(), "tests/test_app.py", "import unittest\n");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "init"]);
    write(dir.path(), "tests/test_app.py", TESTS);
    write(
        dir.path(),
        "tests/test_more.py",
        "import unittest\n\n\nclass M(unittest.TestCase):\n    def test_m(self):\n        pass\n",
    );
    let run = verify(dir.path(), &[]);
    run.code(1);
    assert!(run.summary().contains("dropped 2;"), "{run:?}");
    assert!(run.stderr.contains("before the fixes: 6 tests, 6 passed"), "{run:?}");
    // The worktrees are gone.
    assert_eq!(git(dir.path(), &["worktree", "list"]).lines().count(), 1);
}

#[test]
fn parallel_copies_decide_the_same() {
    let dir = tempdir();
    project(dir.path());
    let run = verify(dir.path(), &["-j", "3"]);
    run.code(1);
    assert!(run.summary().contains("kept 4 (1 verified, 2 passes tests, 1 not exercised), dropped 2"), "{run:?}");
    assert!(run.stderr.contains("(4 copies)"), "{run:?}");
}

#[test]
fn dry_run_writes_nothing_and_shows_the_kept_fixes() {
    let dir = tempdir();
    project(dir.path());
    let before = snapshot(dir.path());
    let run = verify(dir.path(), &["--dry-run"]);
    run.code(1);
    assert_eq!(snapshot(dir.path()), before);
    assert!(run.stdout.contains("+    with open(path) as f:"), "{run:?}");
    assert!(!run.stdout.contains("app/tree.py"), "{run:?}");
    assert!(!run.stdout.contains("seen=None"), "{run:?}");
}

#[test]
fn a_failure_that_does_not_repeat_is_flaky_not_a_fix_s_fault() {
    let dir = tempdir();
    project(dir.path());
    // Only the right fixes: the flaky test is the only failure.
    write(dir.path(), "app/tree.py", "");
    write(dir.path(), "tests/test_app.py", TESTS.split("class TreeTest").next().unwrap());
    write(dir.path(), "tests/test_flaky.py", FLAKY);
    let counter = dir.path().join("counter.txt");
    let mut cmd = command(dir.path(), &["--no-cache", "--verify", UNITTEST, "--select", "bare-open", "app"]);
    let out = cmd.env("VERIFY_COUNTER", &counter).stderr(Stdio::piped()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("flaky    tests.test_flaky.Flaky.test_sometimes: failed once"), "{stderr}");
    assert!(stderr.contains("dropped 0; 1 flaky test"), "{stderr}");
    assert!(read(dir.path(), "app/util.py").contains("with open(path) as f:"));
}

#[test]
fn a_command_that_cannot_run_leaves_the_tree_as_it_was() {
    let dir = tempdir();
    project(dir.path());
    let before = snapshot(dir.path());
    let run = pyfix(dir.path(), &["--unsafe-fixes", "--no-cache", "--verify", "no-such-command-pyfix-test", "."]);
    run.code(2);
    assert!(run.stderr.contains("fails before any fix (exit status 127"), "{run:?}");
    assert!(run.stderr.contains("nothing written"), "{run:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_run_past_the_timeout_counts_as_failing() {
    let dir = tempdir();
    project(dir.path());
    let before = snapshot(dir.path());
    let run = pyfix(dir.path(), &["--no-cache", "--verify", "sleep 30", "--verify-timeout", "1", "."]);
    run.code(2);
    assert!(run.stderr.contains("timed out after 1 s"), "{run:?}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn sigint_mid_run_leaves_the_tree_untouched_and_removes_the_copies() {
    for git_checkout in [false, true] {
        let dir = tempdir();
        let tree = dir.path().join("tree");
        let tmp = dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        project(&tree);
        if git_checkout {
            git(&tree, &["init", "-q"]);
            git(&tree, &["add", "."]);
            git(&tree, &["commit", "-qm", "init"]);
        }
        // The test command says it started, then waits: the signal comes while a run with the fixes is going on.
        let started = dir.path().join("started");
        let script = format!(
            "if [ -e {s}.0 ]; then touch {s}; sleep 60; else touch {s}.0; python3 -m unittest; fi",
            s = started.display()
        );
        let before = snapshot(&tree);
        let child = command(&tree, &["--unsafe-fixes", "--no-cache", "--verify", &script, "."])
            .env("TMPDIR", &tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !started.exists() {
            assert!(Instant::now() < deadline, "the candidate run never started");
            std::thread::sleep(Duration::from_millis(20));
        }
        let t = Instant::now();
        send_signal(child.id(), 2);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{stderr}");
        assert!(t.elapsed() < Duration::from_secs(20), "the waiting command was not stopped");
        assert!(stderr.contains("interrupted by SIGINT: nothing written, copies removed"), "{stderr}");
        assert_eq!(snapshot(&tree), before);
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "copies left in {}", tmp.display());
        if git_checkout {
            assert_eq!(git(&tree, &["worktree", "list"]).lines().count(), 1);
        }
    }
}

/// `kill -<signal> <pid>`, through the shell's kill (the tests take no libc).
fn send_signal(pid: u32, signal: i32) {
    let status = std::process::Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().unwrap();
    assert!(status.success());
}

#[test]
fn with_evidence_and_select_confirmed_only_the_confirmed_fixes_are_candidates() {
    let dir = tempdir();
    project(dir.path());
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let tree = root.join("app/tree.py").to_string_lossy().into_owned();
    let util = root.join("app/util.py").to_string_lossy().into_owned();
    // The run showed the `Node` cycle and nothing else.
    let evidence = serde_json::json!({
        "schema": "pyfix-evidence/1",
        "modules": [tree, util],
        "cycle_garbage": [{"class": "Node", "module": "app.tree", "module_path": tree,
                           "site": {"path": tree, "line": 7}, "count": 3100, "bytes": 412000}],
    });
    write(dir.path(), "run.json", evidence.to_string());
    let before = snapshot(dir.path());
    let run = pyfix(
        dir.path(),
        &["--unsafe-fixes", "--no-cache", "--evidence", "run.json", "--select-confirmed", "--verify", UNITTEST, "app"],
    );
    run.code(1);
    assert!(run.summary().starts_with("Verified 1 fix with"), "{run:?}");
    assert!(run.summary().contains("dropped 1; wrote 0 files"), "{run:?}");
    assert!(run.stderr.contains("dropped  app/tree.py:3: strong-backref:"), "{run:?}");
    assert_eq!(snapshot(dir.path()), before);
}

/// Stands in for pytest (not assumed installed): reads `--junitxml=` from `PYTEST_ADDOPTS` as pytest does and
/// reports two tests there, one failing when the mutable-default fix is in.
const FAKE_PYTEST: &str = r#"import os, re, sys
path = re.search(r"--junitxml=(\S+)", os.environ["PYTEST_ADDOPTS"]).group(1)
broken = "seen=None" in open("app/util.py").read()
failure = '<failure message="assert 1 == 2&#10;where 1 = collect(2)">x</failure>' if broken else ""
with open(path, "w") as f:
    f.write('<testsuites><testsuite name="pytest">'
            '<testcase classname="tests.test_app" name="test_read" time="0.1" />'
            f'<testcase classname="tests.test_app" name="test_collect" time="0.1">{failure}</testcase>'
            '</testsuite></testsuites>')
sys.exit(1 if broken else 0)
"#;

#[test]
fn pytest_results_come_from_its_junit_report() {
    let dir = tempdir();
    project(dir.path());
    write(dir.path(), "fake_pytest.py", FAKE_PYTEST);
    let run =
        pyfix(dir.path(), &["--no-cache", "--verify", "python3 fake_pytest.py", "--select", "mutable-default", "app"]);
    run.code(1);
    assert!(run.stderr.contains("before the fixes: 2 tests, 2 passed"), "{run:?}");
    assert!(
        run.stderr.contains("dropped  app/util.py:4: mutable-default:")
            && run.stderr.contains("breaks tests.test_app.test_collect: assert 1 == 2\n"),
        "{run:?}"
    );
}
