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
