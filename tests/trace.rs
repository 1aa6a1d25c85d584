//! `pyfix trace -- COMMAND` end to end, with the built binary in temporary directories and `python3` from PATH:
//! the demo's evidence holds each of its leak kinds at the right line; subprocesses and multiprocessing children
//! (fork and spawn) contribute parts; the command's exit code, stdout and stderr pass through; a `sitecustomize`
//! the bootstrap shadows still runs; a program that leaks nothing gives empty lists; a bad command is one line
//! and exit 2.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use common::process::show;

fn pyfix_trace(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyfix"))
        .arg("trace")
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONPATH")
        .output()
        .unwrap()
}

/// `pyfix ARGS` (not `trace`) in `dir`: reading the evidence a trace wrote.
fn pyfix(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyfix")).args(args).current_dir(dir).output().unwrap()
}

fn python(dir: &Path, args: &[&str]) -> Output {
    Command::new("python3")
        .args(args)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONPATH")
        .output()
        .unwrap()
}

fn evidence(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "pyfix-evidence/1");
    v
}

fn list<'a>(v: &'a Value, field: &str) -> &'a Vec<Value> {
    v[field].as_array().unwrap_or_else(|| panic!("no list `{field}` in {v:#}"))
}

/// The (file name, line) of each entry's `site`.
fn sites(entries: &[Value]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = entries
        .iter()
        .filter(|e| !e["site"].is_null())
        .map(|e| {
            let path = e["site"]["path"].as_str().unwrap();
            (Path::new(path).file_name().unwrap().to_string_lossy().into_owned(), e["site"]["line"].as_u64().unwrap())
        })
        .collect();
    out.sort();
    out
}

fn copy_examples(to: &Path) {
    let from = common::repo().join("examples/inventory");
    let to = to.join("examples/inventory");
    fs::create_dir_all(&to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "py") {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn the_demo_shows_each_leak_kind_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    copy_examples(tmp.path());
    let demo = ["examples/inventory/main.py", "--load", "5"];
    let plain = python(tmp.path(), &demo);
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", demo[0], demo[1], demo[2]]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&plain.stdout));
    assert_eq!(String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&plain.stderr));
    let ev = evidence(&tmp.path().join("ev.json"));
    assert_eq!(ev["exit_code"], 0);
    assert_eq!(list(&ev, "processes").len(), 1, "{ev:#}");
    let root = fs::canonicalize(tmp.path()).unwrap();
    let modules = list(&ev, "modules");
    assert!(modules.contains(&Value::from(root.join("examples/inventory/stock.py").to_string_lossy())), "{modules:?}");

    // Every bare `open` the demo leaks: the four on its normal path once, the three on its error paths once a round.
    let warnings = list(&ev, "resource_warnings");
    let expected: Vec<(String, u64)> = [
        ("config.py", 8),
        ("config.py", 17),
        ("config.py", 21),
        ("reports.py", 41),
        ("stock.py", 39),
        ("stock.py", 47),
        ("stock.py", 55),
    ]
    .iter()
    .map(|(f, l)| (f.to_string(), *l))
    .collect();
    assert_eq!(sites(warnings), expected, "{warnings:#?}");
    let count_at = |line: u64| warnings.iter().find(|w| w["site"]["line"] == line).unwrap()["count"].as_u64();
    assert_eq!(count_at(55), Some(5));
    assert_eq!(count_at(17), Some(1));

    // The warehouses and their shelves: freed by the collection at exit (the demo disables gc).
    let cycles = list(&ev, "cycle_garbage");
    let shelf = cycles.iter().find(|c| c["class"] == "Shelf").unwrap_or_else(|| panic!("{cycles:#?}"));
    assert_eq!(shelf["count"], 6, "{shelf:#}");
    assert_eq!(shelf["module"], "inventory.stock");
    assert_eq!(sites(std::slice::from_ref(shelf)), vec![("stock.py".to_string(), 33)]);
    let warehouses: u64 =
        cycles.iter().filter(|c| c["class"] == "Warehouse").map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(warehouses, 6, "{cycles:#?}");

    // The cache and the defaults pyfix reports, measured at exit.
    let targets = list(&ev, "targets");
    let target = |name: &str| {
        targets.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("no target {name}: {targets:#?}"))
    };
    let cache = target("_price_cache");
    assert_eq!(
        (cache["kind"].as_str(), cache["line"].as_u64(), cache["ran"].as_bool()),
        (Some("global"), Some(19), Some(true))
    );
    assert_eq!(cache["len"], 10_000, "5,000 quotes and 1,000 a round");
    assert!(cache["bytes"].as_u64().unwrap() > 500_000, "{cache:#}");
    let found = target("low_stock");
    assert_eq!((found["kind"].as_str(), found["param"].as_str()), (Some("defaults"), Some("found")));
    assert_eq!(found["len"], 2 * 7, "two low items, seven calls");
    let tags = target("__init__");
    assert_eq!(
        (tags["qualname"].as_str(), tags["param"].as_str(), tags["len"].as_u64()),
        (Some("Item.__init__"), Some("tags"), Some(6))
    );
    assert_eq!(target("summarize")["ran"], true);
    assert_eq!(targets.len(), 4, "{targets:#?}");

    // Memory by line: the cache's dict is among the biggest at exit and was not there at the start.
    let end = &ev["memory"]["end"];
    let cache_line =
        end.as_array().unwrap().iter().find(|r| r["path"].as_str().unwrap().ends_with("reports.py") && r["line"] == 27);
    assert!(cache_line.is_some_and(|r| r["bytes"].as_u64().unwrap() > 100_000), "{end:#}");
    assert!(!ev["memory"]["start"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"].as_str().unwrap().ends_with("reports.py")));

    // Both halves joined: `--check --evidence` confirms each of the demo's findings at its site, biggest first.
    let check =
        pyfix(tmp.path(), &["--check", "--evidence", "ev.json", "--output-format", "json", "examples/inventory"]);
    assert_eq!(check.status.code(), Some(1), "{}", show(&check));
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 12, "{findings:#?}");
    let status = |f: &Value| f["evidence"]["status"].as_str().unwrap_or("none").to_string();
    assert!(findings.iter().all(|f| status(f) == "confirmed"), "{findings:#?}");
    let kinds: std::collections::BTreeSet<&str> = findings.iter().map(|f| f["codemod"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 4, "every leak kind confirmed: {kinds:?}");
    assert_eq!(
        (findings[0]["codemod"].as_str(), findings[0]["path"].as_str().map(|p| p.ends_with("reports.py"))),
        (Some("unbounded-cache"), Some(true)),
        "the cache holds the most bytes: {:#}",
        findings[0]
    );
    let bytes: Vec<u64> = findings.iter().map(|f| f["evidence"]["bytes"].as_u64().unwrap_or(0)).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "ranked by bytes held: {bytes:?}");
}

const CHILDREN: &str = r#"
import multiprocessing, subprocess, sys

def work(n):
    open(__file__)  # leaked in a pool worker
    return n

if __name__ == "__main__":
    subprocess.run([sys.executable, "-c", "import sys; open(sys.argv[1])", __file__], check=True)
    with multiprocessing.get_context(sys.argv[1]).Pool(2) as pool:
        print(sum(pool.map(work, range(4))))
"#;

#[test]
fn subprocesses_and_pool_children_write_parts() {
    for method in ["fork", "spawn"] {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("kids.py"), CHILDREN).unwrap();
        let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "kids.py", method]);
        assert_eq!(out.status.code(), Some(0), "{method}: {}", show(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "6\n");
        let ev = evidence(&tmp.path().join("ev.json"));
        let procs = list(&ev, "processes");
        let root = procs[0]["pid"].clone();
        assert_eq!(procs[0]["parent"], Value::Null, "{procs:#?}");
        assert!(
            procs.iter().any(|p| p["argv"][0] == "-c" && p["parent"] == root),
            "{method}: the subprocess: {procs:#?}"
        );
        let workers = procs.iter().filter(|p| p["argv"][0] == "kids.py" && p["parent"] == root).count();
        // Each worker that ran a task writes its part; one still starting when `Pool.__exit__` terminates the pool
        // (the other took all 4 tasks, as happens on a loaded machine) has nothing to write.
        assert!((1..=2).contains(&workers), "{method}: the pool's workers: {procs:#?}");
        let warnings = list(&ev, "resource_warnings");
        // The `-c` child leaks its file on line 1 of `<string>`; each worker leaks at kids.py:5 (4 tasks in all).
        let in_workers = warnings.iter().find(|w| w["site"]["line"] == 5).unwrap_or_else(|| panic!("{warnings:#?}"));
        assert_eq!(in_workers["count"], 4, "{method}: {warnings:#?}");
        assert!(warnings.iter().any(|w| w["site"]["path"] == "<string>"), "{method}: {warnings:#?}");
        // Read back: the workers' leak confirms the finding on the line that leaked.
        let check = pyfix(tmp.path(), &["--check", "--evidence", "ev.json", "kids.py"]);
        let text = String::from_utf8_lossy(&check.stdout);
        assert!(
            text.contains("kids.py:5:") && text.contains("[confirmed: 4 handles left to the garbage collector"),
            "{method}: {text}"
        );
    }
}

#[test]
fn exit_code_and_output_pass_through() {
    let tmp = tempfile::tempdir().unwrap();
    let script =
        "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.stdout.write('no newline')\nsys.exit(7)\n";
    fs::write(tmp.path().join("app.py"), script).unwrap();
    let out = pyfix_trace(tmp.path(), &["--", "python3", "app.py"]);
    assert_eq!(out.status.code(), Some(7), "{}", show(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "out\nno newline");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "err\n");
    // The default output file.
    assert_eq!(evidence(&tmp.path().join("pyfix-evidence.json"))["exit_code"], 7);
}

#[test]
fn resource_warnings_are_shown_exactly_when_the_programs_filters_show_them() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("leak.py"), "def f():\n    open(__file__)\n\nf()\nprint('done')\n").unwrap();
    for flags in [&[][..], &["-X", "dev"], &["-W", "always"], &["-W", "ignore"]] {
        let mut args: Vec<&str> = flags.to_vec();
        args.push("leak.py");
        let plain = python(tmp.path(), &args);
        let mut traced = vec!["--out", "ev.json", "--", "python3"];
        traced.extend(&args);
        let out = pyfix_trace(tmp.path(), &traced);
        assert_eq!(show(&out), show(&plain), "python3 {flags:?}");
        let ev = evidence(&tmp.path().join("ev.json"));
        assert_eq!(sites(list(&ev, "resource_warnings")), vec![("leak.py".to_string(), 2)], "{flags:?}");
    }
}

#[test]
fn the_sitecustomize_it_shadows_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir(&site).unwrap();
    fs::write(site.join("sitecustomize.py"), "import builtins\nbuiltins.SITE_RAN = True\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pyfix"))
        .args(["trace", "--", "python3", "-c"])
        .arg("import builtins, sys; print(getattr(builtins, 'SITE_RAN', False), sys.modules['sitecustomize'].__file__)")
        .current_dir(tmp.path())
        .env("PYTHONPATH", &site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("True {}\n", site.join("sitecustomize.py").display()));
}

#[test]
fn a_program_that_leaks_nothing_gives_empty_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let script =
        "class Node:\n    pass\n\nwith open(__file__) as f:\n    f.read()\nnodes = [Node() for _ in range(100)]\n";
    fs::write(tmp.path().join("clean.py"), script).unwrap();
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "-X", "dev", "clean.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(out.stderr.is_empty(), "{}", show(&out));
    let ev = evidence(&tmp.path().join("ev.json"));
    for field in ["resource_warnings", "cycle_garbage", "targets"] {
        assert_eq!(ev[field], Value::Array(vec![]), "{field}: {ev:#}");
    }
    assert_eq!(list(&ev, "processes").len(), 1);
}

#[test]
fn a_bad_command_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = pyfix_trace(tmp.path(), &["--", "no-such-command-pyfix"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("pyfix: trace: cannot run `no-such-command-pyfix`"), "{err}");
    assert!(!tmp.path().join("pyfix-evidence.json").exists());

    let out = pyfix_trace(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "pyfix: trace: no command to run (usage: `pyfix trace -- python3 app.py`)\n"
    );
}

#[test]
fn the_committed_demo_trace_is_real_evidence_with_its_root_left_out() {
    let ev = evidence(&common::repo().join("tests/data/evidence/demo-real.json"));
    let text = ev.to_string();
    assert!(text.contains("{ROOT}/examples/inventory/stock.py"), "paths under the demo's root read `{{ROOT}}`");
    assert!(!text.contains(&*common::repo().to_string_lossy()), "a machine path is left");
    assert_eq!(list(&ev, "resource_warnings").len(), 7);
    assert_eq!(list(&ev, "targets").len(), 4);
}

#[test]
fn interval_samples_memory_by_line_while_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let script =
        "import time\nkept = []\nfor _ in range(10):\n    kept.append(bytearray(100_000))\n    time.sleep(0.05)\n";
    fs::write(tmp.path().join("grow.py"), script).unwrap();
    let out = pyfix_trace(tmp.path(), &["--interval", "0.1", "--out", "ev.json", "--", "python3", "grow.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let ev = evidence(&tmp.path().join("ev.json"));
    let samples = ev["memory"]["samples"].as_array().unwrap();
    assert!(!samples.is_empty(), "{ev:#}");
    assert!(samples.iter().all(|s| s["t"].as_f64().is_some() && s["pid"].is_i64()), "{samples:#?}");
    let end = ev["memory"]["end"].as_array().unwrap();
    assert!(end.iter().any(|r| r["line"] == 4 && r["bytes"].as_u64().unwrap() >= 1_000_000), "{end:#?}");

    let bad = pyfix_trace(tmp.path(), &["--interval", "0", "--", "python3", "grow.py"]);
    assert_eq!(bad.status.code(), Some(2), "{}", show(&bad));
}

#[test]
fn a_process_ended_by_sigterm_still_writes_its_part_and_dies_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let script = "import os, time\nfiles = [open(__file__) for _ in range(3)]\ndel files\n\
                  with open('pid', 'w') as f:\n    f.write(str(os.getpid()))\ntime.sleep(60)\n";
    fs::write(tmp.path().join("serve.py"), script).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyfix"))
        .args(["trace", "--out", "ev.json", "--", "python3", "serve.py"])
        .current_dir(tmp.path())
        .env_remove("PYTHONPATH")
        .spawn()
        .unwrap();
    let pid_file = tmp.path().join("pid");
    let started = std::time::Instant::now();
    while fs::read_to_string(&pid_file).map_or(true, |p| p.is_empty()) {
        assert!(started.elapsed().as_secs() < 30, "the traced program did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = fs::read_to_string(&pid_file).unwrap();
    assert!(Command::new("kill").args(["-TERM", pid.trim()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "pyfix trace exits as a shell reports a process SIGTERM ended");
    let ev = evidence(&tmp.path().join("ev.json"));
    assert_eq!(ev["exit_code"], 143);
    assert_eq!(ev["processes"][0]["exit"], "SIGTERM", "{ev:#}");
    assert_eq!(sites(list(&ev, "resource_warnings")), vec![("serve.py".to_string(), 2)]);
    assert_eq!(ev["resource_warnings"][0]["count"], 3);
}

#[test]
fn a_module_the_program_unloads_before_exit_still_counts_as_run() {
    // regrtest drops each test module from `sys.modules` once it ran; the evidence must still say it ran.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("gone.py"), "VALUE = 1\n").unwrap();
    fs::write(tmp.path().join("never.py"), "VALUE = 2\n").unwrap();
    fs::write(tmp.path().join("main.py"), "import sys\nimport gone\ndel sys.modules['gone']\n").unwrap();
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "main.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let ev = evidence(&tmp.path().join("ev.json"));
    let root = fs::canonicalize(tmp.path()).unwrap();
    let modules = list(&ev, "modules");
    let has = |name: &str| modules.contains(&Value::from(root.join(name).to_string_lossy()));
    assert!(has("gone.py") && has("main.py"), "{modules:?}");
    assert!(!has("never.py"), "{modules:?}");
}

#[test]
fn cycles_of_a_subclass_confirm_the_finding_on_its_base() {
    // The finding names the class that holds the link (`Node`); the instances are of its subclass (`Leaf`).
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("tree.py"),
        "class Node:\n    def __init__(self, parent=None):\n        self.parent = parent\n        self.children = []\n        \
         if parent is not None:\n            parent.children.append(self)\n\n\nclass Leaf(Node):\n    pass\n",
    )
    .unwrap();
    fs::write(
        tmp.path().join("main.py"),
        "from tree import Leaf\n\nfor _ in range(50):\n    root = Leaf()\n    Leaf(root)\n",
    )
    .unwrap();
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "main.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let ev = evidence(&tmp.path().join("ev.json"));
    let leaf = list(&ev, "cycle_garbage").iter().find(|c| c["class"] == "Leaf").cloned();
    assert_eq!(leaf.as_ref().map(|l| l["bases"].clone()), Some(serde_json::json!(["Node"])), "{ev:#}");
    let check = pyfix(tmp.path(), &["--check", "--evidence", "ev.json", "tree.py"]);
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("strong-backref") && text.contains("`Leaf` objects freed only by the cycle collector"),
        "{text}"
    );
}

#[test]
fn a_kind_that_never_warns_is_not_called_clean() {
    // An `mmap` left open gives no `ResourceWarning`: a run that saw none cannot say it did not leak.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("app.py"),
        "import mmap\n\n\ndef first_byte(path):\n    with open(path, \"rb\") as f:\n        \
         m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)\n    data = m[:1]\n    return data\n\n\n\
         print(first_byte(__file__))\n",
    )
    .unwrap();
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "app.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let check = pyfix(tmp.path(), &["--check", "--evidence", "ev.json", "--output-format", "json", "app.py"]);
    let findings: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mmap = findings.as_array().unwrap().iter().find(|f| f["message"].as_str().unwrap().contains("mmap.mmap()"));
    let mmap = mmap.unwrap_or_else(|| panic!("{findings:#}"));
    assert_eq!(mmap["evidence"]["status"], "ran-cannot-tell", "{mmap:#}");
}

#[test]
fn a_program_that_rebuilds_its_warning_filters_counts_only_its_own() {
    // test.support's clear_ignored_deprecations rebuilds `warnings.filters` from copies of its tuples; the
    // bootstrap's own filter, copied with them, must not be added a second time.
    let tmp = tempfile::tempdir().unwrap();
    let program = "import warnings\n\
        n = len(warnings.filters)\n\
        warnings.filterwarnings('ignore', category=DeprecationWarning, message='x')\n\
        assert len(warnings.filters) == n + 1, (n, warnings.filters)\n\
        warnings.filters[:] = [tuple(f) for f in warnings.filters if f[1] is None or 'x' not in f[1].pattern]\n\
        warnings._filters_mutated()\n\
        assert len(warnings.filters) == n, (n, warnings.filters)\n\
        print('ok')\n";
    fs::write(tmp.path().join("filters.py"), program).unwrap();
    let out = pyfix_trace(tmp.path(), &["--out", "ev.json", "--", "python3", "filters.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
}
