//! `--add-ignore` (fix what a plain run fixes, mark the rest with `# pyfix: ignore[...]`, so the next run is clean)
//! and `--statistics` (counts per codemod and fix safety).

mod harness;

use harness::*;

const LEGACY: &str = "\
def read(path):
    f = open(path)
    data = f.read()
    f.close()
    return data

def factory(p, g):
    g.fh = open(p)  # the caller closes it

def load(path, parser):
    tree = parser.parse(open(path, \"rb\"))
    return tree

def add(item, items=[]):  # pyfix: ignore[bare-open]
    return items
";

const BASELINED: &str = "\
def read(path):
    with open(path) as f:
        data = f.read()
    return data

def factory(p, g):
    g.fh = open(p)  # the caller closes it  # pyfix: ignore[bare-open]

def load(path, parser):
    tree = parser.parse(open(path, \"rb\"))  # pyfix: ignore[bare-open]
    return tree

def add(item, items=None):  # pyfix: ignore[bare-open]
    if items is None:
        items = []
    return items
";

#[test]
fn add_ignore_fixes_what_it_can_marks_the_rest_and_the_next_run_is_clean() {
    let dir = tempdir();
    write(dir.path(), "legacy.py", LEGACY);
    let run = pyfix(dir.path(), &["--add-ignore"]);
    run.code(0);
    assert_eq!(read(dir.path(), "legacy.py"), BASELINED);
    assert!(run.stderr.contains("added `# pyfix: ignore` to 2 lines"), "{run:?}");
    let again = pyfix(dir.path(), &["--check"]);
    again.code(0);
    assert_eq!(again.stdout, "");
    // And --add-ignore itself has nothing more to do.
    pyfix(dir.path(), &["--add-ignore"]).code(0);
    assert_eq!(read(dir.path(), "legacy.py"), BASELINED);
}

#[test]
fn add_ignore_with_unsafe_fixes_fixes_instead_of_marking() {
    let dir = tempdir();
    write(dir.path(), "legacy.py", LEGACY);
    pyfix(dir.path(), &["--add-ignore", "--unsafe-fixes"]).code(0);
    let text = read(dir.path(), "legacy.py");
    assert!(text.contains("with open(path, \"rb\") as f:"), "{text}");
    assert_eq!(text.matches("# pyfix: ignore[bare-open]").count(), 2, "the unfixable `g.fh = open(p)` only:\n{text}");
}

#[test]
fn add_ignore_merges_into_an_existing_ignore_list() {
    let dir = tempdir();
    write(dir.path(), "m.py", "def f(p, g, x={}):  # pyfix: ignore[mutable-default]\n    g.fh = open(p)\n");
    write(dir.path(), "n.py", "def g(p, h):\n    h.fh = open(p)  # noqa: SIM115  # pyfix: ignore[mutable-default]\n");
    pyfix(dir.path(), &["--add-ignore"]).code(0);
    assert_eq!(
        read(dir.path(), "m.py"),
        "def f(p, g, x={}):  # pyfix: ignore[mutable-default]\n    g.fh = open(p)  # pyfix: ignore[bare-open]\n"
    );
    assert_eq!(
        read(dir.path(), "n.py"),
        "def g(p, h):\n    h.fh = open(p)  # noqa: SIM115  # pyfix: ignore[mutable-default, bare-open]\n"
    );
    pyfix(dir.path(), &["--check"]).code(0);
}

#[test]
fn a_line_ending_inside_a_string_is_reported_not_corrupted() {
    let dir = tempdir();
    let text = "def g(p):\n    return f(open(p), \"\"\"\ntext\"\"\")\n";
    write(dir.path(), "s.py", text);
    let run = pyfix(dir.path(), &["--add-ignore"]);
    run.code(1);
    assert_eq!(read(dir.path(), "s.py"), text);
    assert!(
        run.stderr.contains("pyfix: s.py:2: cannot add `# pyfix: ignore` here: the line ends inside a string literal"),
        "{run:?}"
    );
}

#[test]
fn add_ignore_with_dry_run_shows_the_comments_and_writes_nothing() {
    let dir = tempdir();
    write(dir.path(), "legacy.py", LEGACY);
    let run = pyfix(dir.path(), &["--add-ignore", "--dry-run"]);
    run.code(1);
    assert!(run.stdout.contains("+    g.fh = open(p)  # the caller closes it  # pyfix: ignore[bare-open]"), "{run:?}");
    assert_eq!(read(dir.path(), "legacy.py"), LEGACY);
    let run = pyfix(dir.path(), &["--add-ignore", "--check"]);
    run.code(2);
}

#[test]
fn statistics_count_findings_per_codemod_and_fix_safety() {
    let dir = tempdir();
    write(dir.path(), "legacy.py", LEGACY);
    write(dir.path(), "more.py", MUTABLE);
    let run = pyfix(dir.path(), &["--check", "--statistics"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "     1  bare-open          safe fix\n     1  bare-open          unsafe fix\n     1  bare-open          no fix\n     2  mutable-default    safe fix\n"
    );
    assert_eq!(read(dir.path(), "legacy.py"), LEGACY);
}

#[test]
fn statistics_is_a_report_and_never_writes() {
    let dir = tempdir();
    write(dir.path(), "legacy.py", LEGACY);
    write(dir.path(), "more.py", MUTABLE);
    // As in ruff: `--statistics` alone reports (the same counts as with --check) and leaves every file as it was.
    let run = pyfix(dir.path(), &["--statistics"]);
    run.code(1);
    assert_eq!(
        run.stdout,
        "     1  bare-open          safe fix\n     1  bare-open          unsafe fix\n     1  bare-open          no fix\n     2  mutable-default    safe fix\n"
    );
    assert_eq!(read(dir.path(), "legacy.py"), LEGACY);
    assert_eq!(read(dir.path(), "more.py"), MUTABLE);
    assert!(run.summary().starts_with("Found 5 leaks in 2 files"), "{run:?}");
    let dry = pyfix(dir.path(), &["--statistics", "--dry-run"]);
    assert_eq!((dry.code, dry.stdout.as_str()), (Some(1), run.stdout.as_str()), "no diff with --statistics");
    assert_eq!(read(dir.path(), "more.py"), MUTABLE);
    // Asking it to write as well is refused, not silently half-done.
    let both = pyfix(dir.path(), &["--statistics", "--add-ignore"]);
    both.code(2);
    assert!(both.stderr.contains("--add-ignore"), "{both:?}");
    assert_eq!(read(dir.path(), "legacy.py"), LEGACY);
}

#[test]
fn a_sphinx_doc_comment_moves_above_and_the_ignore_takes_its_place() {
    // Sphinx reads `#: doc` after a statement or on the line above it; text after `#:` would become documentation.
    let dir = tempdir();
    write(dir.path(), "conf.py", "class Config:\n    log = open(\"app.log\", \"a\")  #: the open log file\n");
    let run = pyfix(dir.path(), &["--add-ignore"]);
    run.code(0);
    assert!(run.stderr.contains("added `# pyfix: ignore` to 1 line"), "{run:?}");
    assert_eq!(
        read(dir.path(), "conf.py"),
        "class Config:\n    #: the open log file\n    log = open(\"app.log\", \"a\")  # pyfix: ignore[bare-open]\n"
    );
    pyfix(dir.path(), &["--check"]).code(0);
    // A `#:` block already above: moving the second would join them, so the line is refused and left alone.
    let text = "class Config:\n    #: the log\n    log = open(\"app.log\", \"a\")  #: the open log file\n";
    write(dir.path(), "two.py", text);
    let run = pyfix(dir.path(), &["--add-ignore", "two.py"]);
    run.code(1);
    assert_eq!(read(dir.path(), "two.py"), text);
    assert!(
        run.stderr.contains("pyfix: two.py:3: cannot add `# pyfix: ignore` here: the line ends with a Sphinx"),
        "{run:?}"
    );
}
