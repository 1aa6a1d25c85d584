//! bare-open across the files of a project: a file handed to a class of another module whose own code closes it
//! (`HttpResponse(f)` closes it at once; `File(f)` keeps it and closes it in its `close()`) is handed over, found
//! through imports, aliases, re-exports through `__init__` and bases in a third module. The single-file behaviour
//! (the same classes in the caller's module) is pinned by tests/snapshots.rs; here only what other files change.

mod harness;

use harness::{pyfix, tempdir, write};

const RESPONSE: &str = "class Response:\n    def __init__(self, content=b\"\"):\n        self.content = content\n\n    @property\n    def content(self):\n        return self._content\n\n    @content.setter\n    def content(self, value):\n        self._content = value.read()\n        if hasattr(value, \"close\"):\n            value.close()\n";

const FILE: &str = "class FileProxy:\n    pass\n\n\nclass File(FileProxy):\n    def __init__(self, file, name=None):\n        self.file = file\n\n    def close(self):\n        self.file.close()\n";

/// Runs `--check --unsafe-fixes --select bare-open` over a project with `files`, and returns the lines reported for
/// `app/views.py`.
fn check(files: &[(&str, &str)]) -> Vec<String> {
    let tmp = tempdir();
    let dir = tmp.path();
    write(dir, "pyproject.toml", "[project]\nname = \"pkg\"\n");
    write(dir, "pkg/__init__.py", "");
    write(dir, "app/__init__.py", "");
    for (rel, text) in files {
        write(dir, rel, text);
    }
    let run = pyfix(dir, &["--check", "--unsafe-fixes", "--select", "bare-open", "."]);
    run.stdout_lines().into_iter().filter(|l| l.contains("views.py:")).map(str::to_string).collect()
}

#[test]
fn a_class_re_exported_by_the_package_that_closes_at_once_takes_the_file() {
    let lines = check(&[
        ("pkg/http.py", RESPONSE),
        ("pkg/__init__.py", "from .http import Response\n"),
        (
            "app/views.py",
            "from pkg import Response\n\n\ndef view(p):\n    f = open(p, \"rb\")\n    r = Response(f)\n    return r\n",
        ),
    ]);
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn a_wrapper_that_closes_in_its_close_hands_over_when_the_code_closes_the_wrapper() {
    let lines = check(&[
        ("pkg/files.py", FILE),
        (
            "app/views.py",
            "from pkg.files import File as F\n\n\ndef view(p):\n    f = open(p)\n    w = F(f)\n    data = w.file.read()\n    w.close()\n    return data\n",
        ),
    ]);
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn a_wrapper_never_closed_is_reported_without_a_fix_naming_the_wrapper_and_the_module() {
    let lines = check(&[
        ("pkg/files.py", FILE),
        ("app/views.py", "from pkg import files\n\n\ndef view(storage, p):\n    f = open(p)\n    w = files.File(f)\n    storage.save(w)\n"),
    ]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("[fix: none]"), "{}", lines[0]);
    assert!(lines[0].contains("but `w` is never closed"), "{}", lines[0]);
    assert!(lines[0].contains("`pkg/files.py:5`"), "{}", lines[0]);
}

#[test]
fn a_lower_case_class_with_a_base_in_a_third_module_returned_hands_the_file_to_the_caller() {
    let lines = check(&[
        ("pkg/files.py", FILE),
        (
            "pkg/response.py",
            "from . import files\n\n\nclass addinfo(files.File):\n    def __init__(self, fp, headers):\n        super(addinfo, self).__init__(fp)\n        self.headers = headers\n",
        ),
        ("app/views.py", "from pkg.response import addinfo\n\n\ndef fetch(p, headers):\n    return addinfo(open(p), headers)\n"),
    ]);
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn a_class_that_keeps_the_file_without_closing_it_stays_an_unsafe_fix() {
    let lines = check(&[
        ("pkg/keep.py", "class Keeper:\n    def __init__(self, file):\n        self.file = file\n"),
        ("app/views.py", "from pkg.keep import Keeper\n\n\ndef view(p):\n    f = open(p)\n    k = Keeper(f)\n    return k.file.read()\n"),
    ]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("[fix: unsafe]"), "{}", lines[0]);
}

#[test]
fn an_import_cycle_ends_in_unknown() {
    let lines = check(&[
        ("pkg/a.py", "from .b import Wrapper\n"),
        ("pkg/b.py", "from .a import Wrapper\n"),
        (
            "app/views.py",
            "from pkg.a import Wrapper\n\n\ndef view(p):\n    f = open(p)\n    w = Wrapper(f)\n    return w.read()\n",
        ),
    ]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("[fix: unsafe]"), "{}", lines[0]);
}

#[test]
fn a_file_of_another_package_with_the_same_ending_does_not_answer_for_the_module() {
    // `from pkg.http import Response` is pkg/http.py (which keeps the file), not <vendor>/pkg/http.py (which closes
    // it), whichever of the two the walk meets first.
    let keeps = "class Response:\n    def __init__(self, content):\n        self.content = content\n";
    for vendor in ["_vendor", "zz_vendor"] {
        let (init, sub, http) =
            (format!("{vendor}/__init__.py"), format!("{vendor}/pkg/__init__.py"), format!("{vendor}/pkg/http.py"));
        let lines = check(&[
            (&init, ""),
            (&sub, ""),
            (&http, RESPONSE),
            ("pkg/http.py", keeps),
            (
                "app/views.py",
                "from pkg.http import Response\n\n\ndef view(p):\n    f = open(p, \"rb\")\n    r = Response(f)\n    return r\n",
            ),
        ]);
        assert_eq!(lines.len(), 1, "{vendor}: {lines:?}");
    }
}

/// An object stored on an attribute belongs to the object: no finding where any module of the project closes an
/// attribute of that name (a teardown function, another class), a finding saying so where none does.
#[test]
fn an_attribute_closed_in_another_module_hands_the_object_over() {
    let views =
        "import sqlite3\n\nfrom flask import g\n\n\ndef get_db(p):\n    g.db = sqlite3.connect(p)\n    return g.db\n";
    let lines = check(&[
        ("pkg/teardown.py", "from flask import g\n\n\ndef close_db(e=None):\n    db = g.pop(\"db\", None)\n    if db is not None:\n        db.close()\n"),
        ("app/views.py", views),
    ]);
    assert!(lines.is_empty(), "{lines:?}");
    let lines = check(&[("pkg/other.py", "def stop(server):\n    server.db.close()\n"), ("app/views.py", views)]);
    assert!(lines.is_empty(), "{lines:?}");
    // Only read, never closed, elsewhere.
    let lines = check(&[
        ("pkg/other.py", "def show(server):\n    return server.db.execute('select 1')\n"),
        ("app/views.py", views),
    ]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("it is stored in `g.db`, which nothing in the project closes"), "{}", lines[0]);
}
