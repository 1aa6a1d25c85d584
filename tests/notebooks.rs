//! Jupyter notebooks: codemods run on the code cells as one module; only changed cells' sources are rewritten in
//! the JSON text (formatting, key order, trailing newline kept); magics, markdown and `%%` cells are untouched;
//! diffs and findings name the cell; invalid JSON is an error naming the file.

mod harness;

use harness::*;

/// nbformat 4 as Jupyter writes it (indent 1, sorted keys, trailing newline).
const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Loading\n",
    "def f(x=[]): f = open(p)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "%matplotlib inline\n",
    "import json\n",
    "def load(path):\n",
    "    f = open(path)\n",
    "    data = json.load(f)\n",
    "    f.close()\n",
    "    return data"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "!ls\n",
    "def add(item, items=[]):\n",
    "    items.append(item)\n",
    "    return items"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "%%bash\n",
    "f = open(p)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "print(add(1), 'é')"
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3",
   "language": "python",
   "name": "python3"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

#[test]
fn code_cells_are_fixed_and_everything_else_is_kept_byte_for_byte() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", NOTEBOOK);
    let run = pyfix(dir.path(), &[]);
    run.code(0);
    let expected = NOTEBOOK
        .replace(
            "    \"    f = open(path)\\n\",\n    \"    data = json.load(f)\\n\",\n    \"    f.close()\\n\",\n",
            "    \"    with open(path) as f:\\n\",\n    \"        data = json.load(f)\\n\",\n",
        )
        .replace(
            "    \"def add(item, items=[]):\\n\",\n",
            "    \"def add(item, items=None):\\n\",\n    \"    if items is None:\\n\",\n    \"        items = []\\n\",\n",
        );
    assert_ne!(expected, NOTEBOOK);
    assert_eq!(read(dir.path(), "nb.ipynb"), expected);
    pyfix(dir.path(), &["--check"]).code(0);
}

#[test]
fn an_unchanged_notebook_is_byte_identical_whatever_its_layout() {
    let dir = tempdir();
    // Two-space indent, keys out of order, no trailing newline, a magic and a clean cell.
    let odd = "{\n  \"nbformat\": 4,\n  \"cells\": [\n    {\"source\": [\"%time x = 1\\n\", \"y = [x]\"], \"cell_type\": \"code\", \"outputs\": [], \"metadata\": {}, \"execution_count\": null}\n  ],\n  \"metadata\": {},\n  \"nbformat_minor\": 2\n}";
    write(dir.path(), "odd.ipynb", odd);
    pyfix(dir.path(), &[]).code(0);
    assert_eq!(read(dir.path(), "odd.ipynb"), odd);
}

#[test]
fn findings_and_diffs_name_the_cell() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", NOTEBOOK);
    let run = pyfix(dir.path(), &["--check"]);
    run.code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "markdown and %%bash cells are not code: {run:?}");
    assert!(lines[0].starts_with("nb.ipynb:cell 2:4:9: bare-open: "), "{run:?}");
    assert!(lines[1].starts_with("nb.ipynb:cell 3:2:21: mutable-default: "), "{run:?}");

    let dry = pyfix(dir.path(), &["--dry-run"]);
    dry.code(1);
    assert!(dry.stdout.starts_with("--- a/nb.ipynb:cell 2\n+++ b/nb.ipynb:cell 2\n"), "{dry:?}");
    assert!(dry.stdout.contains(" %matplotlib inline\n"), "the magic is context, unchanged: {dry:?}");
    assert!(dry.stdout.contains("--- a/nb.ipynb:cell 3\n"), "{dry:?}");
    assert!(!dry.stdout.contains("No newline"), "{dry:?}");
    assert_eq!(read(dir.path(), "nb.ipynb"), NOTEBOOK);

    let json = pyfix(dir.path(), &["--check", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v[0]["cell"], 2);
    assert_eq!(v[0]["start"]["line"], 4);
}

#[test]
fn cells_share_one_module_and_a_fix_never_spans_two_cells() {
    let dir = tempdir();
    // The file opened in cell 1 is closed in cell 2: pyfix sees it (one module), but a `with` cannot span cells.
    let nb = r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["f = open('data.txt')\n", "text = f.read()"]}, {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["f.close()"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
    write(dir.path(), "span.ipynb", nb);
    let run = pyfix(dir.path(), &[]);
    run.code(1);
    assert_eq!(read(dir.path(), "span.ipynb"), nb);
    assert!(
        run.stderr
            .contains("pyfix: span.ipynb:cell 1:1: bare-open: not fixed: its fix would reach from cell 1 into cell 2"),
        "{run:?}"
    );
    let check = pyfix(dir.path(), &["--check"]);
    assert!(check.stdout.starts_with("span.ipynb:cell 1:1:5: bare-open: "), "{check:?}");
}

/// Cell 1 has a leak fixed inside it; the file opened in cell 4 is closed in cell 5 (cell 2 is markdown, cell 3
/// has a magic).
const CROSS_CELL: &str = r##"{
 "cells": [
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["def add(item, items=[]):\n", "    items.append(item)\n", "    return items"]},
  {"cell_type": "markdown", "metadata": {}, "source": ["Load the data"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%time import json"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["f = open('data.txt')\n", "text = f.read()"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["f.close()\n", "print(add(1))"]}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

const ADD_FIXED: &str = r#"["def add(item, items=None):\n", "    if items is None:\n", "        items = []\n", "    items.append(item)\n", "    return items"]"#;

#[test]
fn a_fix_that_would_span_cells_is_reported_and_the_fixes_inside_a_cell_land() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", CROSS_CELL);
    // --check says which fix cannot be applied, and why, naming both cells.
    let check = pyfix(dir.path(), &["--check"]);
    check.code(1);
    let lines = check.stdout_lines();
    assert_eq!(lines.len(), 2, "{check:?}");
    assert!(lines[0].starts_with("nb.ipynb:cell 1:1:21: mutable-default: ") && lines[0].ends_with("[fix: safe]"));
    assert!(lines[1].starts_with("nb.ipynb:cell 4:1:5: bare-open: "), "{check:?}");
    assert!(
        lines[1].ends_with("[fix: none] (its fix would reach from cell 4 into cell 5, and a block cannot span cells)")
    );

    // A fix run applies the in-cell fix and leaves cells 4 and 5 alone.
    let run = pyfix(dir.path(), &[]);
    run.code(1);
    let expected = CROSS_CELL
        .replace(r#"["def add(item, items=[]):\n", "    items.append(item)\n", "    return items"]"#, ADD_FIXED);
    assert_eq!(read(dir.path(), "nb.ipynb"), expected);
    assert!(run.stderr.contains("pyfix: nb.ipynb:cell 4:1: bare-open: not fixed: its fix would reach"), "{run:?}");
    assert!(run.summary().starts_with("Fixed 1 leak in 1 file; 1 cannot be fixed automatically"), "{run:?}");

    // --add-ignore marks the line the finding is on, in its cell, and the next --check is clean.
    let run = pyfix(dir.path(), &["--add-ignore"]);
    run.code(0);
    let marked =
        expected.replace(r#""f = open('data.txt')\n""#, r#""f = open('data.txt')  # pyfix: ignore[bare-open]\n""#);
    assert_ne!(marked, expected);
    assert_eq!(read(dir.path(), "nb.ipynb"), marked);
    pyfix(dir.path(), &["--check"]).code(0);
}

#[test]
fn add_ignore_on_a_fresh_notebook_fixes_in_cell_and_marks_the_cross_cell_leak() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", CROSS_CELL);
    pyfix(dir.path(), &["--add-ignore"]).code(0);
    let text = read(dir.path(), "nb.ipynb");
    assert!(text.contains(ADD_FIXED), "{text}");
    assert!(text.contains(r#""f = open('data.txt')  # pyfix: ignore[bare-open]\n""#), "{text}");
    assert!(text.contains(r#""%time import json""#), "{text}");
    pyfix(dir.path(), &["--check"]).code(0);
}

#[test]
fn invalid_notebooks_are_errors_naming_the_file() {
    let dir = tempdir();
    write(dir.path(), "bad.ipynb", "{\"cells\": [\n");
    write(
        dir.path(),
        "syntax.ipynb",
        r#"{"cells": [{"cell_type": "code", "source": "x = 1"}, {"cell_type": "code", "source": "def (:"}], "metadata": {}}"#,
    );
    write(dir.path(), "ok.py", BARE_OPEN);
    let run = pyfix(dir.path(), &["--check"]);
    run.code(2);
    assert!(run.stderr.contains("pyfix: bad.ipynb: not a notebook: invalid JSON at 2:"), "{run:?}");
    assert!(run.stderr.contains("pyfix: syntax.ipynb: not processed: syntax error in cell 2 at 1:"), "{run:?}");
    assert!(run.stdout.contains("ok.py:2:9"), "the other files are still processed: {run:?}");
}

#[test]
fn a_notebook_in_another_language_is_left_alone() {
    let dir = tempdir();
    let nb = r#"{"cells": [{"cell_type": "code", "source": "f <- function(x=c()) x"}], "metadata": {"kernelspec": {"language": "R"}}, "nbformat": 4}"#;
    write(dir.path(), "r.ipynb", nb);
    let run = pyfix(dir.path(), &["--check"]);
    run.code(0);
    assert!(run.stderr.contains("No leaks found in 1 file"), "{run:?}");
}

#[test]
fn add_ignore_marks_the_cell_lines_left_and_the_next_run_is_clean() {
    let dir = tempdir();
    // Cell 2 has a fixable leak; cell 3's `g.fh = open(p)` cannot be fixed: it gets the comment.
    let nb = r##"{
 "cells": [
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%load_ext autoreload\n", "import json"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["def add(item, items=[]):\n", "    return items"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["def factory(p, g):\n", "    g.fh = open(p)  # caller closes"]}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;
    write(dir.path(), "legacy.ipynb", nb);
    let run = pyfix(dir.path(), &["--add-ignore"]);
    run.code(0);
    let text = read(dir.path(), "legacy.ipynb");
    assert!(text.contains(r#""    g.fh = open(p)  # caller closes  # pyfix: ignore[bare-open]""#), "{text}");
    assert!(text.contains(r#""def add(item, items=None):\n""#), "{text}");
    assert!(text.contains(r#""%load_ext autoreload\n""#), "{text}");
    pyfix(dir.path(), &["--check"]).code(0);
}
