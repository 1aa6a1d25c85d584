//! `--output-format json|github|sarif` for --check, --dry-run and fix runs: what each prints, and the SARIF log
//! validated against the published SARIF 2.1.0 schema (tests/data/sarif-schema-2.1.0.json, vendored unchanged from
//! the OASIS sarif-spec repository, sarif-2.1/schema/).

mod harness;

use harness::*;
use serde_json::Value;

fn sample() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "a.py", BARE_OPEN);
    write(dir.path(), "b.py", NO_FIX);
    write(dir.path(), "c.py", UNSAFE);
    write(dir.path(), "clean.py", "x = 1\n");
    dir
}

fn parse(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{run:?}"))
}

#[test]
fn json_has_one_object_per_finding_with_positions_and_fix_edits() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--check", "--output-format", "json"]);
    run.code(1);
    let v = parse(&run);
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "{run:?}");
    let paths: Vec<&str> = items.iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a.py", "b.py", "c.py"]);

    let a = &items[0];
    assert_eq!(a["codemod"], "bare-open");
    assert_eq!(a["start"], serde_json::json!({"line": 2, "column": 9}));
    assert_eq!(a["end"], serde_json::json!({"line": 2, "column": 19}));
    assert_eq!(a["applicability"], "safe");
    assert_eq!(a["fix"]["applicability"], "safe");
    assert!(a["reason"].is_null());
    // Applying the edits (bottom up) to the file gives what a fix run writes.
    let edits = a["fix"]["edits"].as_array().unwrap();
    assert!(!edits.is_empty());
    let lines: Vec<String> = BARE_OPEN.split_inclusive('\n').map(str::to_string).collect();
    let offset = |lines: &[String], p: &Value| -> usize {
        let (line, col) = (p["line"].as_u64().unwrap() as usize, p["column"].as_u64().unwrap() as usize);
        lines[..line - 1].iter().map(String::len).sum::<usize>() + col - 1
    };
    let mut text = lines.concat();
    for e in edits.iter().rev() {
        let (s, t) = (offset(&lines, &e["start"]), offset(&lines, &e["end"]));
        text.replace_range(s..t, e["content"].as_str().unwrap());
    }
    assert_eq!(text, BARE_OPEN_FIXED);

    let b = &items[1];
    assert!(b["fix"].is_null());
    assert_eq!(b["applicability"], "none");
    assert!(b["reason"].as_str().unwrap().contains("cannot see"), "{b}");
    let c = &items[2];
    assert_eq!(c["fix"]["applicability"], "unsafe");
    assert!(c["reason"].is_string());
}

#[test]
fn json_for_dry_run_writes_nothing_and_a_clean_tree_is_an_empty_array() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--dry-run", "--output-format", "json"]);
    run.code(1);
    assert_eq!(parse(&run).as_array().unwrap().len(), 3);
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN, "--dry-run wrote");
    let clean = tempdir();
    write(clean.path(), "x.py", "x = 1\n");
    let run = pyfix(clean.path(), &["--check", "--output-format", "json"]);
    run.code(0);
    assert_eq!(parse(&run), serde_json::json!([]));
}

#[test]
fn json_after_a_fix_run_lists_what_is_left() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--output-format", "json"]);
    run.code(1);
    assert_eq!(read(dir.path(), "a.py"), BARE_OPEN_FIXED);
    let v = parse(&run);
    let left: Vec<&str> = v.as_array().unwrap().iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert_eq!(left, ["b.py", "c.py"], "the fixed finding is gone; the unsafe and unfixable ones remain");
}

#[test]
fn github_prints_one_workflow_command_per_finding() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--check", "--output-format", "github"]);
    run.code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{run:?}");
    assert!(
        lines[0].starts_with(
            "::warning file=a.py,line=2,col=9,endLine=2,endColumn=19,title=pyfix bare-open::`f` from `open()`"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("[fix: safe]"), "{}", lines[0]);
    assert!(lines[1].contains("[fix: none] (whoever receives"), "{}", lines[1]);
    // The dry run prints the same annotations instead of diffs.
    let dry = pyfix(dir.path(), &["--dry-run", "--output-format", "github"]);
    dry.code(1);
    assert_eq!(dry.stdout, run.stdout);
}

#[test]
fn a_file_that_cannot_be_processed_is_an_error_in_github_and_sarif_output() {
    let dir = sample();
    write(dir.path(), "broken.py", "def f(:\n");
    let run = pyfix(dir.path(), &["--check", "--output-format", "github"]);
    run.code(2);
    let errors: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(errors.len(), 1, "{run:?}");
    assert!(
        errors[0].starts_with("::error file=broken.py,title=pyfix::not checked: not processed: syntax error"),
        "{run:?}"
    );
    assert_eq!(run.stdout.lines().filter(|l| l.starts_with("::warning")).count(), 3, "{run:?}");

    let run = pyfix(dir.path(), &["--check", "--output-format", "sarif"]);
    run.code(2);
    let log = parse(&run);
    let errors: Vec<String> =
        sarif_validator().iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output does not validate:\n{}", errors.join("\n"));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "broken.py");
    assert!(notes[0]["message"]["text"].as_str().unwrap().starts_with("not checked: not processed: syntax error"));
    // A clean run says the invocation succeeded.
    std::fs::remove_file(dir.path().join("broken.py")).unwrap();
    let log = parse(&pyfix(dir.path(), &["--check", "--output-format", "sarif"]));
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

fn sarif_validator() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::new(&schema).expect("the vendored SARIF schema compiles")
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--check", "--output-format", "sarif"]);
    run.code(1);
    let log = parse(&run);
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output does not validate:\n{}", errors.join("\n"));

    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "pyfix");
    let rules: Vec<&str> =
        run0["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(rules.contains(&"bare-open") && rules.contains(&"mutable-default"), "{rules:?}");
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let a = &results[0];
    assert_eq!(a["ruleId"], "bare-open");
    assert_eq!(rules[a["ruleIndex"].as_u64().unwrap() as usize], "bare-open");
    assert_eq!(a["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a.py");
    assert_eq!(a["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    let replacements = a["fixes"][0]["artifactChanges"][0]["replacements"].as_array().unwrap();
    assert_eq!(replacements[0]["insertedContent"]["text"], "with open(path) as f:");
    assert!(results[1].get("fixes").is_none(), "a finding without a fix has no `fixes`");
}

#[test]
fn the_schema_rejects_a_broken_log() {
    // The validator is real: a log missing `runs[].tool` fails.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!sarif_validator().is_valid(&bad));
}

#[test]
fn an_unknown_output_format_is_a_clear_error() {
    let dir = sample();
    let run = pyfix(dir.path(), &["--check", "--output-format", "xml"]);
    run.code(2);
    assert!(run.stderr.starts_with("pyfix: "), "{run:?}");
    assert!(run.stderr.contains("xml"), "{run:?}");
}

/// A notebook as Jupyter writes it: a fixable leak in cell 2 (cell 1 is markdown), one in cell 3 behind a magic,
/// and a file opened in cell 4 and closed in cell 5 (no fix: it would span the cells).
const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Loading"]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
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
   "source": ["%time x = 1\n", "def add(item, items=[]):\n", "    items.append(item)\n", "    return items"]
  },
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["log = open('log.txt', 'a')\n", "log.write('é')"]},
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "log.close()"}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

/// The byte offset of a SARIF (line, column in code points) position in `text`.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text.split_inclusive('\n').take(line as usize - 1).map(str::len).sum();
    let rest = &text[start..];
    start + rest.char_indices().nth(column as usize - 1).map_or(rest.len(), |(i, _)| i)
}

/// `text` with SARIF replacements applied (regions of `text`, applied bottom up).
fn apply_replacements(text: &str, replacements: &[&Value]) -> String {
    let mut spans: Vec<(usize, usize, &str)> = replacements
        .iter()
        .map(|r| {
            let d = &r["deletedRegion"];
            let n = |k: &str| d[k].as_u64().unwrap_or_else(|| panic!("{k} missing in {d}"));
            let s = offset(text, n("startLine"), n("startColumn"));
            let e = offset(text, n("endLine"), n("endColumn"));
            (s, e, r["insertedContent"]["text"].as_str().unwrap())
        })
        .collect();
    spans.sort_by_key(|(s, _, _)| std::cmp::Reverse(*s));
    let mut out = text.to_string();
    for (s, e, new) in spans {
        out.replace_range(s..e, new);
    }
    out
}

#[test]
fn sarif_for_a_notebook_points_into_the_ipynb_and_its_fixes_apply_to_it() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", NOTEBOOK);
    let run = pyfix(dir.path(), &["--check", "--output-format", "sarif"]);
    run.code(1);
    let log = parse(&run);
    let errors: Vec<String> =
        sarif_validator().iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output does not validate:\n{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{run:?}");
    let file_lines: Vec<&str> = NOTEBOOK.lines().collect();
    let expected = [(2, "f = open(path)", 3), (3, "def add(item, items=[])", 2), (4, "log = open('log.txt', 'a')", 1)];
    for (result, (cell, code, cell_line)) in results.iter().zip(expected) {
        // The region is the line of the .ipynb that holds the code; the cell and the position in it are properties.
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let line = region["startLine"].as_u64().unwrap() as usize;
        assert!(file_lines[line - 1].contains(code), "{region} is not the line of `{code}`: {}", file_lines[line - 1]);
        assert_eq!(result["properties"]["cell"], cell);
        assert_eq!(result["properties"]["cellRegion"]["startLine"], cell_line);
    }
    assert!(results[2].get("fixes").is_none(), "the fix that would span cells 4 and 5 is not offered");

    // Each fix, applied alone to the notebook on disk, gives a valid notebook with that cell fixed.
    let mut all = Vec::new();
    for result in &results[..2] {
        let change = &result["fixes"][0]["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "nb.ipynb");
        let replacements: Vec<&Value> = change["replacements"].as_array().unwrap().iter().collect();
        let fixed = apply_replacements(NOTEBOOK, &replacements);
        let doc: Value =
            serde_json::from_str(&fixed).unwrap_or_else(|e| panic!("not JSON after the fix: {e}\n{fixed}"));
        assert_eq!(doc["cells"].as_array().unwrap().len(), 5);
        all.extend(replacements);
    }
    let both = apply_replacements(NOTEBOOK, &all);
    let doc: Value = serde_json::from_str(&both).unwrap();
    let source = |i: usize| {
        doc["cells"][i]["source"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect::<String>()
    };
    assert_eq!(
        source(1),
        "import json\ndef load(path):\n    with open(path) as f:\n        data = json.load(f)\n    return data"
    );
    assert_eq!(source(2), "%time x = 1\ndef add(item, items=None):\n    if items is None:\n        items = []\n    items.append(item)\n    return items");
    // And all of them together are exactly what a fix run writes.
    pyfix(dir.path(), &[]).code(1);
    assert_eq!(read(dir.path(), "nb.ipynb"), both);
}

#[test]
fn json_edits_for_a_notebook_apply_to_the_ipynb() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", NOTEBOOK);
    let run = pyfix(dir.path(), &["--check", "--output-format", "json"]);
    let v = parse(&run);
    let a = &v[0];
    assert_eq!((a["cell"].as_u64(), a["start"]["line"].as_u64()), (Some(2), Some(3)), "{a}");
    let edits: Vec<Value> = a["fix"]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let region = serde_json::json!({ "startLine": e["start"]["line"], "startColumn": e["start"]["column"], "endLine": e["end"]["line"], "endColumn": e["end"]["column"] });
            serde_json::json!({ "deletedRegion": region, "insertedContent": { "text": e["content"] } })
        })
        .collect();
    let fixed = apply_replacements(NOTEBOOK, &edits.iter().collect::<Vec<_>>());
    let doc: Value = serde_json::from_str(&fixed).unwrap();
    assert_eq!(doc["cells"][1]["source"][2], "    with open(path) as f:\n");
}

#[test]
fn github_annotations_for_a_notebook_name_the_cell_and_the_line_in_the_ipynb() {
    let dir = tempdir();
    write(dir.path(), "nb.ipynb", NOTEBOOK);
    let run = pyfix(dir.path(), &["--check", "--output-format", "github"]);
    run.code(1);
    let lines = run.stdout_lines();
    assert_eq!(lines.len(), 3, "{run:?}");
    let file_lines: Vec<&str> = NOTEBOOK.lines().collect();
    let line_of = |code: &str| file_lines.iter().position(|l| l.contains(code)).unwrap() + 1;
    assert_eq!(
        lines[0],
        format!(
            "::warning file=nb.ipynb,line={0},endLine={0},title=pyfix bare-open (cell 2)::cell 2:3:9: `f` from `open()` is not closed if an exception is raised before `f.close()` [fix: safe]",
            line_of("    f = open(path)")
        )
    );
    assert!(
        lines[1].starts_with(&format!(
            "::warning file=nb.ipynb,line={0},endLine={0},title=pyfix mutable-default (cell 3)::cell 3:2:21: ",
            line_of("def add(")
        )),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("title=pyfix bare-open (cell 4)::cell 4:1:7: "), "{}", lines[2]);
    assert!(lines[2].contains("[fix: none] (its fix would reach from cell 4 into cell 5"), "{}", lines[2]);
    // After a fix run, what is left points at the notebook as written (its cells 2 and 3 grew).
    let run = pyfix(dir.path(), &["--output-format", "github"]);
    run.code(1);
    let written = read(dir.path(), "nb.ipynb");
    let line = written.lines().position(|l| l.contains("log = open(")).unwrap() + 1;
    assert_ne!(line, line_of("log = open("));
    assert!(
        run.stdout.starts_with(&format!(
            "::warning file=nb.ipynb,line={line},endLine={line},title=pyfix bare-open (cell 4)::"
        )),
        "{run:?}"
    );
}
