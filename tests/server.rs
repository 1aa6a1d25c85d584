//! `pyfix server` driven by a real language client: pygls's `LanguageClient`, installed from the package index into a
//! temporary virtualenv under the target directory, runs `tests/data/lsp_client.py`, an editor's session: open a
//! leaky file, receive the diagnostics, ask for code actions, apply one (its workspace edit, through pygls's own
//! document model), see the finding go; the unsafe fix's title; `# pyfix: ignore`; fixAll (what `pyfix` writes);
//! a file that does not parse; close; a notebook synced cell by cell; shutdown and exit. The test needs network
//! access to the package index.
//! (src/server/tests.rs covers the message handling in-process, without a client to install.)

mod common;

use std::path::Path;
use std::process::Command;

use common::process::{ok, run, show, venv};
use serde_json::Value;

/// The client library, pinned: a new release is taken on purpose, not by surprise.
const CLIENT: &[&str] = &["pygls==2.1.1", "lsprotocol==2025.0.0"];

const APP: &str = "\
def read(path):
    f = open(path)
    data = f.read()
    f.close()
    return data


def make():
    return 1


def add(x, seen=[make()]):
    seen.append(x)
    return seen
";

const APP_FIXED: &str = "\
def read(path):
    with open(path) as f:
        data = f.read()
    return data


def make():
    return 1


def add(x, seen=[make()]):
    seen.append(x)
    return seen
";

const MANY: &str = "def a(x=[]):\n    return x\n\n\ndef b(y={}):\n    f = open(y)\n    data = f.read()\n    f.close()\n    return data\n";

#[test]
fn a_real_lsp_client_gets_diagnostics_and_applies_fixes() {
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let bin = venv(&tmp.path().join("venv"));
    let pip =
        run(Command::new(bin.join("pip")).args(["install", "--quiet", "--disable-pip-version-check"]).args(CLIENT));
    assert!(
        pip.status.success(),
        "cannot install the LSP client (pygls) from the package index (this test needs network access to it)\n{}",
        show(&pip)
    );
    let workspace = tmp.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(workspace.join("app.py"), APP).unwrap();
    std::fs::write(workspace.join("many.py"), MANY).unwrap();
    std::fs::write(workspace.join("broken.py"), "def f(:\n    pass\n").unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lsp_client.py");
    let session = ok(Command::new(bin.join("python"))
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_pyfix"))
        .arg(&workspace)
        .current_dir(&workspace));
    let out: Value = serde_json::from_slice(&session.stdout).unwrap_or_else(|e| panic!("{e}\n{}", show(&session)));
    let strings =
        |v: &Value| -> Vec<String> { v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect() };
    assert_eq!(out["server"], "pyfix");

    let found = out["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 2, "{out:#}");
    let first = &found[0];
    assert_eq!((first["line"].as_u64(), first["character"].as_u64()), (Some(1), Some(8)), "{first}");
    assert_eq!(first["code"], "bare-open");
    assert_eq!(first["severity"], 2, "a warning");
    assert_eq!(first["source"], "pyfix");
    assert!(first["href"].as_str().unwrap().ends_with("codemods/bare_open/README.md"), "{first}");
    assert!(first["message"].as_str().unwrap().starts_with("`f` from `open()` is not closed"), "{first}");
    assert_eq!(found[1]["code"], "mutable-default");

    assert_eq!(
        strings(&out["actions"]),
        [
            "Open `f` in a `with` block",
            "Ignore `bare-open` on this line (`# pyfix: ignore[bare-open]`)",
            "pyfix: fix all leaks (what `pyfix` writes)"
        ]
    );
    assert_eq!(out["after_fix"], APP_FIXED, "the code action's edit, applied by the client");
    let left = out["after_fix_diagnostics"].as_array().unwrap();
    assert_eq!(left.iter().map(|d| d["code"].as_str().unwrap()).collect::<Vec<_>>(), ["mutable-default"]);
    assert_eq!(
        strings(&out["unsafe_actions"]),
        [
            "Default to `None` and build the list inside (unsafe)",
            "Ignore `mutable-default` on this line (`# pyfix: ignore[mutable-default]`)"
        ]
    );
    let ignored = APP_FIXED.replace("seen=[make()]):\n", "seen=[make()]):  # pyfix: ignore[mutable-default]\n");
    assert_eq!(out["after_ignore"], ignored);

    // fixAll gives exactly what `pyfix` writes for the file.
    assert_eq!(strings(&out["fix_all_kinds"]), ["source.fixAll.pyfix"]);
    let cli = ok(Command::new(env!("CARGO_BIN_EXE_pyfix"))
        .args(["--no-cache", "--quiet", "--stdin-filename", "many.py", "-"])
        .current_dir(&workspace)
        .stdin(std::fs::File::open(workspace.join("many.py")).unwrap())
        .stdout(std::process::Stdio::piped()));
    let written = String::from_utf8(cli.stdout).unwrap();
    assert_ne!(written, MANY);
    assert_eq!(out["fix_all"], written.as_str());

    // A file that does not parse: no diagnostics, no actions, the error in the client's log.
    assert_eq!(out["broken_diagnostics"], Value::Array(Vec::new()));
    assert_eq!(out["broken_actions"], Value::Array(Vec::new()));
    let logs = out["logs"].as_array().unwrap();
    assert!(
        logs.iter().any(
            |l| l["type"] == 1 && l["message"].as_str().unwrap().contains("broken.py: not processed: syntax error")
        ),
        "{logs:#?}"
    );
    assert_eq!(out["closed_diagnostics"], Value::Array(Vec::new()), "closing a file clears its diagnostics");

    // A notebook synced cell by cell (VS Code's notebook editor): the leak in cell 2 shown on cell 2's URI, on the
    // cell's own line; its fix edits that cell (the magic kept); the fixed cell and the closed notebook show nothing.
    assert!(out["notebook_sync"][0].as_str().unwrap().contains("jupyter-notebook"), "{out:#}");
    let cell = out["cell_diagnostics"].as_array().unwrap();
    assert_eq!(cell.len(), 1, "{out:#}");
    assert_eq!((cell[0]["line"].as_u64(), cell[0]["character"].as_u64()), (Some(2), Some(8)), "{out:#}");
    assert_eq!(cell[0]["code"], "bare-open");
    assert_eq!(
        strings(&out["cell_actions"]),
        ["Open `f` in a `with` block", "Ignore `bare-open` on this line (`# pyfix: ignore[bare-open]`)"]
    );
    let read_fixed = &APP_FIXED[..APP_FIXED.find("\n\n").unwrap() + 1];
    assert_eq!(out["cell_after_fix"], format!("%matplotlib inline\n{read_fixed}"));
    assert_eq!(out["cell_after_fix_diagnostics"], Value::Array(Vec::new()));
    assert_eq!(out["cell_closed_diagnostics"], Value::Array(Vec::new()));
    assert_eq!(out["exit_code"], 0, "shutdown then exit: exit code 0");
}
