//! `pyfix -`: source on stdin. A fix run prints the fixed source, --dry-run the diff, --check the findings;
//! `--stdin-filename` names it for config discovery, exclude, per-file ignores and messages; exit codes as for files.

mod harness;

use harness::*;

#[test]
fn a_fix_run_prints_the_fixed_source() {
    let dir = tempdir();
    let run = pyfix_with(dir.path(), &["-"], Some(BARE_OPEN.as_bytes()));
    run.code(0);
    assert_eq!(run.stdout, BARE_OPEN_FIXED);
    assert!(run.stderr.contains("Fixed 1 leak in 1 file"), "{run:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "stdin mode wrote a file");
}

#[test]
fn findings_left_after_the_fix_exit_1_and_clean_input_comes_back_unchanged() {
    let dir = tempdir();
    let run = pyfix_with(dir.path(), &["-"], Some(NO_FIX.as_bytes()));
    run.code(1);
    assert_eq!(run.stdout, NO_FIX);
    let clean = "x = 1\r\ny = 2\r\n";
    let run = pyfix_with(dir.path(), &["-"], Some(clean.as_bytes()));
    run.code(0);
    assert_eq!(run.stdout, clean, "byte for byte, CRLF included");
}

#[test]
fn dry_run_prints_the_diff_and_check_the_findings() {
    let dir = tempdir();
    let run = pyfix_with(dir.path(), &["--dry-run", "-"], Some(BARE_OPEN.as_bytes()));
    run.code(1);
    assert!(run.stdout.starts_with("--- a/<stdin>\n+++ b/<stdin>\n"), "{run:?}");
    assert!(run.stdout.contains("+    with open(path) as f:"), "{run:?}");

    let run = pyfix_with(dir.path(), &["--check", "--stdin-filename", "pkg/io.py", "-"], Some(BARE_OPEN.as_bytes()));
    run.code(1);
    assert!(run.stdout.starts_with("pkg/io.py:2:9: bare-open: "), "{run:?}");

    let run = pyfix_with(dir.path(), &["--check", "--output-format", "json", "-"], Some(MUTABLE.as_bytes()));
    run.code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["path"], "<stdin>");
    assert_eq!(v[0]["codemod"], "mutable-default");
}

#[test]
fn unparsable_input_is_echoed_unchanged_with_exit_2() {
    let dir = tempdir();
    let broken = "def broken(:\n    f = open('x')\n";
    let run = pyfix_with(dir.path(), &["--stdin-filename", "broken.py", "-"], Some(broken.as_bytes()));
    run.code(2);
    assert_eq!(run.stdout, broken);
    assert!(run.stderr.starts_with("pyfix: broken.py: not processed: syntax error"), "{run:?}");
    // Undecodable bytes too, byte for byte.
    let bytes: &[u8] = b"x = '\xff'\n";
    let out = {
        let mut cmd = command(dir.path(), &["-"]);
        let piped = std::process::Stdio::piped;
        cmd.stdin(piped()).stdout(piped()).stderr(piped());
        let mut child = cmd.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), bytes).unwrap();
        child.wait_with_output().unwrap()
    };
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, bytes);
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>"), "the error names the input: {out:?}");
}

#[test]
fn stdin_filename_finds_the_config_and_its_per_file_ignores() {
    let dir = tempdir();
    write(
        dir.path(),
        "proj/pyproject.toml",
        "[tool.pyfix]\nper-file-ignores = { \"tests/*\" = [\"bare-open\"] }\nextend-exclude = [\"generated/\"]\n",
    );
    // Run from outside the project: the config is found from --stdin-filename's directory.
    let args = ["--check", "--stdin-filename", "proj/tests/t.py", "-"];
    let run = pyfix_with(dir.path(), &args, Some(BARE_OPEN.as_bytes()));
    run.code(0);
    assert_eq!(run.stdout, "");
    let run = pyfix_with(dir.path(), &["--check", "--stdin-filename", "proj/app.py", "-"], Some(BARE_OPEN.as_bytes()));
    run.code(1);

    // Excluded with --force-exclude: the source comes back untouched and nothing is reported.
    let args = ["--force-exclude", "--stdin-filename", "proj/generated/g.py", "-"];
    let run = pyfix_with(dir.path(), &args, Some(BARE_OPEN.as_bytes()));
    run.code(0);
    assert_eq!(run.stdout, BARE_OPEN);
    // Without --force-exclude an explicitly named file is processed, as on the command line.
    let run = pyfix_with(dir.path(), &["--stdin-filename", "proj/generated/g.py", "-"], Some(BARE_OPEN.as_bytes()));
    run.code(0);
    assert_eq!(run.stdout, BARE_OPEN_FIXED);
}

#[test]
fn a_stub_name_runs_the_stub_rules() {
    // mutable-default leaves .pyi stubs alone: the name decides, as for a file.
    let dir = tempdir();
    let run = pyfix_with(dir.path(), &["--check", "--stdin-filename", "m.pyi", "-"], Some(MUTABLE.as_bytes()));
    run.code(0);
    let run = pyfix_with(dir.path(), &["--check", "--stdin-filename", "m.py", "-"], Some(MUTABLE.as_bytes()));
    run.code(1);
}

#[test]
fn stdin_cannot_be_mixed_with_paths() {
    let dir = tempdir();
    write(dir.path(), "a.py", "x = 1\n");
    let run = pyfix(dir.path(), &["-", "a.py"]);
    run.code(2);
    assert!(run.stderr.starts_with("pyfix: `-` (read stdin) cannot be combined"), "{run:?}");
    let run = pyfix(dir.path(), &["--stdin-filename", "x.py", "a.py"]);
    run.code(2);
    assert!(run.stderr.contains("--stdin-filename"), "{run:?}");
}
