//! The server's message handling, driven through lsp-server's in-memory connection: a client written here sends what
//! an editor sends and reads what the server answers. (tests/server.rs drives the real binary from a real client.)

use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{CodeAction, Diagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams, TextEdit};
use serde_json::{json, Value};

use super::document::Document;
use super::uri;

const LEAKY: &str = "\
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

const READ_FIXED: &str = "\
def read(path):
    with open(path) as f:
        data = f.read()
    return data
";

const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    conn: Connection,
    server: Option<JoinHandle<anyhow::Result<u8>>>,
    next_id: i32,
    /// Notifications read while waiting for something else.
    backlog: Vec<Notification>,
}

impl Client {
    fn start(root: &Path, options: Value) -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::Builder::new().stack_size(64 << 20).spawn(move || super::serve(server)).unwrap();
        let mut client = Client { conn, server: Some(handle), next_id: 0, backlog: Vec::new() };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri::from_path(root),
                "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } },
                "initializationOptions": options,
            }),
        );
        assert_eq!(init["serverInfo"]["name"], "pyfix");
        let actions = &init["capabilities"]["codeActionProvider"]["codeActionKinds"];
        assert_eq!(actions, &json!(["quickfix", "source.fixAll.pyfix"]));
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn.sender.send(Notification::new(method.into(), params).into()).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn.sender.send(Request::new(id.clone(), method.into(), params).into()).unwrap();
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT).expect("an answer from the server") {
                Message::Response(r) if r.id == id => {
                    return r.response_result.unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Message::Response(_) => {}
                Message::Request(_) => {} // client/registerCapability: this client needs no answer
                Message::Notification(n) => self.backlog.push(n),
            }
        }
    }

    /// The next notification `method` that `pick` accepts (earlier ones read meanwhile are kept).
    fn wait(&mut self, method: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(|n| n.method == method && pick(&n.params)) {
            return self.backlog.remove(i).params;
        }
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT).unwrap_or_else(|_| panic!("no {method}: {:?}", self.backlog))
            {
                Message::Notification(n) if n.method == method && pick(&n.params) => return n.params,
                Message::Notification(n) => self.backlog.push(n),
                _ => {}
            }
        }
    }

    fn diagnostics(&mut self, uri: &str) -> PublishDiagnosticsParams {
        let params = self.wait("textDocument/publishDiagnostics", |p| p["uri"] == uri);
        serde_json::from_value(params).unwrap()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let item = json!({ "uri": uri, "languageId": "python", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": item }));
    }

    fn actions(&mut self, uri: &str, diagnostic: Option<&Diagnostic>, only: Option<&[&str]>) -> Vec<CodeAction> {
        let range = diagnostic
            .map_or(json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}), |d| {
                serde_json::to_value(d.range).unwrap()
            });
        let mut context = json!({ "diagnostics": diagnostic.into_iter().collect::<Vec<_>>() });
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        );
        serde_json::from_value(result).unwrap()
    }

    /// `shutdown`, `exit`, and the server's exit code.
    fn stop(mut self) -> u8 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap().unwrap()
    }
}

/// The text after the action's edits of `uri`, as an editor applies them (each edit on the original text).
#[allow(clippy::mutable_key_type)] // see `analysis::action`
fn apply(text: &str, action: &CodeAction, uri: &str) -> String {
    let changes = action.edit.as_ref().and_then(|e| e.changes.as_ref()).expect("a workspace edit");
    assert_eq!(changes.len(), 1);
    let (target, edits) = changes.iter().next().unwrap();
    assert_eq!(target.as_str(), uri);
    apply_edits(text, edits)
}

fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let doc = Document::new(text.to_string(), 0);
    let mut spans: Vec<(usize, usize, &str)> =
        edits.iter().map(|e| (doc.offset(e.range.start), doc.offset(e.range.end), e.new_text.as_str())).collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

fn code(d: &Diagnostic) -> &str {
    match &d.code {
        Some(NumberOrString::String(s)) => s,
        other => panic!("code: {other:?}"),
    }
}

#[test]
fn diagnostics_code_actions_and_fix_all_for_an_open_file() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri::from_path(&dir.path().join("app.py"));
    let mut client = Client::start(dir.path(), Value::Null);
    client.open(&uri, LEAKY);
    let published = client.diagnostics(&uri);
    assert_eq!(published.version, Some(1));
    let d = &published.diagnostics;
    assert_eq!(d.iter().map(code).collect::<Vec<_>>(), ["bare-open", "mutable-default"], "{d:#?}");
    assert!(d.iter().all(|d| d.severity == Some(DiagnosticSeverity::WARNING) && d.source.as_deref() == Some("pyfix")));
    assert_eq!((d[0].range.start.line, d[0].range.start.character), (1, 8), "`open(path)` on line 2");
    assert!(d[0].message.starts_with("`f` from `open()` is not closed"), "{}", d[0].message);
    assert!(d[1].message.contains("[fix: unsafe] (the default calls `make()`"), "{}", d[1].message);
    let docs = d[0].code_description.as_ref().expect("a link to the codemod's documentation");
    assert!(docs.href.as_str().ends_with("codemods/bare_open/README.md"), "{}", docs.href.as_str());

    // The fix of the first finding, as titled by the codemod, and its `# pyfix: ignore` quick fix.
    let actions = client.actions(&uri, Some(&d[0]), None);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Open `f` in a `with` block",
            "Ignore `bare-open` on this line (`# pyfix: ignore[bare-open]`)",
            "pyfix: fix all leaks (what `pyfix` writes)"
        ]
    );
    assert_eq!(actions[0].kind, Some(lsp_types::CodeActionKind::QUICKFIX));
    assert_eq!(actions[0].is_preferred, Some(true));
    let fixed = apply(LEAKY, &actions[0], &uri);
    assert_eq!(&fixed[..READ_FIXED.len()], READ_FIXED);
    assert_eq!(&fixed[READ_FIXED.len()..], &LEAKY[LEAKY.find("\n\ndef make").unwrap()..]);
    let ignored = apply(LEAKY, &actions[1], &uri);
    assert!(ignored.contains("    f = open(path)  # pyfix: ignore[bare-open]\n"), "{ignored}");
    assert_eq!(ignored.lines().count(), LEAKY.lines().count());

    // An unsafe fix says so in its title.
    let actions = client.actions(&uri, Some(&d[1]), Some(&["quickfix"]));
    assert_eq!(actions[0].title, "Default to `None` and build the list inside (unsafe)");
    assert_eq!(actions[0].is_preferred, None);
    assert_eq!(actions.len(), 2, "only quick fixes were asked for");

    // fixAll writes what `pyfix` writes: the safe fix, not the unsafe one.
    let actions = client.actions(&uri, None, Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].kind.as_ref().map(|k| k.as_str()), Some("source.fixAll.pyfix"));
    let all = apply(LEAKY, &actions[0], &uri);
    assert_eq!(all, fixed, "fixAll applies the safe fix alone");

    // The edited text is checked again after the pause: the fixed finding is gone.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": all }] }),
    );
    let published = client.diagnostics(&uri);
    assert_eq!(published.version, Some(2));
    assert_eq!(published.diagnostics.iter().map(code).collect::<Vec<_>>(), ["mutable-default"]);
    assert!(client.actions(&uri, None, Some(&["source.fixAll.pyfix"])).is_empty(), "nothing left for fixAll");

    // Closing the file clears its diagnostics.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert!(client.diagnostics(&uri).diagnostics.is_empty());
    assert_eq!(client.stop(), 0);
}

#[test]
fn changes_are_debounced_and_applied_incrementally() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri::from_path(&dir.path().join("a.py"));
    let mut client = Client::start(dir.path(), Value::Null);
    client.open(&uri, "x = 1\n");
    assert!(client.diagnostics(&uri).diagnostics.is_empty());
    // Three quick edits, typed one character at a time: one check, of the last version.
    for (version, (col, text)) in [(0, "def f(a=[]):"), (12, "\n"), (13, "    return a\n")].into_iter().enumerate() {
        let at = json!({ "line": 1, "character": col });
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version + 2 },
                "contentChanges": [{ "range": { "start": at, "end": at }, "text": text }],
            }),
        );
    }
    let published = client.diagnostics(&uri);
    assert_eq!(published.version, Some(4), "the intermediate versions were not checked");
    assert_eq!(published.diagnostics.len(), 1);
    assert_eq!(published.diagnostics[0].range.start, lsp_types::Position::new(1, 8));
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_file_that_does_not_parse_has_no_diagnostics_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri::from_path(&dir.path().join("broken.py"));
    let mut client = Client::start(dir.path(), Value::Null);
    client.open(&uri, "def f(:\n    x = open(p)\n");
    assert!(client.diagnostics(&uri).diagnostics.is_empty());
    let log = client.wait("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("broken.py")));
    assert_eq!(log["type"], 1, "an error: {log}");
    assert!(log["message"].as_str().unwrap().contains("not processed"), "{log}");
    assert!(client.actions(&uri, None, None).is_empty());
    // The server is still there: a leak typed next is found.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "def f(x=[]):\n    return x\n" }] }),
    );
    assert_eq!(client.diagnostics(&uri).diagnostics.len(), 1);
    assert_eq!(client.stop(), 0);
}

#[test]
fn settings_come_from_the_files_folder_and_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("legacy");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("pyproject.toml"), "[tool.pyfix]\nignore = [\"mutable-default\"]\n").unwrap();
    let (top, nested) = (uri::from_path(&dir.path().join("a.py")), uri::from_path(&sub.join("b.py")));
    let text = "def f(x=[]):\n    return x\n";
    // initializationOptions turn on unsafe fixes: fixAll then applies them too.
    let mut client = Client::start(dir.path(), json!({ "pyfix": { "unsafe-fixes": true } }));
    client.open(&top, text);
    client.open(&nested, text);
    assert_eq!(client.diagnostics(&top).diagnostics.len(), 1);
    assert!(client.diagnostics(&nested).diagnostics.is_empty(), "legacy/pyproject.toml ignores mutable-default");

    // A config file written and announced: read again.
    std::fs::write(sub.join("pyproject.toml"), "[tool.pyfix]\nignore = []\n").unwrap();
    let changed = json!({ "changes": [{ "uri": uri::from_path(&sub.join("pyproject.toml")), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", changed);
    assert_eq!(client.diagnostics(&nested).diagnostics.len(), 1);
    assert_eq!(client.diagnostics(&top).diagnostics.len(), 1, "every open file is checked again");

    // New settings from the client re-check the open files; invalid ones are shown and the old ones kept.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pyfix": { "ignore": ["mutable-default"] } } }),
    );
    assert!(client.diagnostics(&top).diagnostics.is_empty());
    assert!(client.diagnostics(&nested).diagnostics.is_empty());
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "select": ["mutable-defaults"] } }));
    let shown = client.wait("window/showMessage", |_| true);
    assert!(shown["message"].as_str().unwrap().contains("did you mean `mutable-default`"), "{shown}");

    // An invalid config file: shown, and its files get no diagnostics.
    std::fs::write(sub.join("pyproject.toml"), "[tool.pyfix]\nselect = [\"nope\"]\n").unwrap();
    client.notify("workspace/didChangeConfiguration", json!({ "settings": {} }));
    assert!(client.diagnostics(&nested).diagnostics.is_empty());
    let shown = client.wait("window/showMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("nope")));
    assert!(shown["message"].as_str().unwrap().contains("pyproject.toml"), "{shown}");
    assert_eq!(client.diagnostics(&top).diagnostics.len(), 1, "the defaults again: mutable-default is selected");
    assert_eq!(client.stop(), 0);
}

#[test]
fn deleted_files_lose_their_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    let (a, b) = (uri::from_path(&dir.path().join("a.py")), uri::from_path(&pkg.join("b.py")));
    let mut client = Client::start(dir.path(), Value::Null);
    let text = "def f(x=[]):\n    return x\n";
    client.open(&a, text);
    client.open(&b, text);
    assert_eq!(client.diagnostics(&a).diagnostics.len(), 1);
    assert_eq!(client.diagnostics(&b).diagnostics.len(), 1);
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": a, "type": 3 }] }));
    assert!(client.diagnostics(&a).diagnostics.is_empty());
    // A deleted directory (workspace/didDeleteFiles): the files under it.
    client.notify("workspace/didDeleteFiles", json!({ "files": [{ "uri": uri::from_path(&pkg) }] }));
    assert!(client.diagnostics(&b).diagnostics.is_empty());
    assert_eq!(client.stop(), 0);
}

#[test]
fn excluded_and_virtualenv_files_and_other_languages_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pyfix.toml"), "extend-exclude = [\"gen/\"]\n").unwrap();
    let text = "def f(x=[]):\n    return x\n";
    let mut client = Client::start(dir.path(), Value::Null);
    for rel in ["gen/a.py", ".venv/lib/b.py"] {
        let uri = uri::from_path(&dir.path().join(rel));
        client.open(&uri, text);
        assert!(client.diagnostics(&uri).diagnostics.is_empty(), "{rel}");
    }
    let md = uri::from_path(&dir.path().join("README.md"));
    let item = json!({ "uri": md, "languageId": "markdown", "version": 1, "text": text });
    client.notify("textDocument/didOpen", json!({ "textDocument": item }));
    // An unsaved buffer (no file) is checked with the workspace's settings.
    client.open("untitled:Untitled-1", text);
    assert_eq!(client.diagnostics("untitled:Untitled-1").diagnostics.len(), 1);
    assert!(!client.backlog.iter().any(|n| n.params["uri"] == md), "markdown got diagnostics");
    assert_eq!(client.stop(), 0);
}

#[test]
fn notebook_files_are_checked_as_their_json_text() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri::from_path(&dir.path().join("analysis.ipynb"));
    let notebook = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"import os\\n\",\n    \"def add(item, items=[]):\\n\",\n    \"    return items\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";
    let mut client = Client::start(dir.path(), Value::Null);
    let item = json!({ "uri": uri, "languageId": "json", "version": 1, "text": notebook });
    client.notify("textDocument/didOpen", json!({ "textDocument": item }));
    let d = client.diagnostics(&uri).diagnostics;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].range.start.line, 8, "the JSON line that holds the cell's line");
    assert!(d[0].message.starts_with("cell 1:2:21: default `[]`"), "{}", d[0].message);
    let actions = client.actions(&uri, Some(&d[0]), None);
    assert_eq!(actions.len(), 2, "the fix and fixAll; no ignore comment in JSON: {actions:#?}");
    let fixed = apply(notebook, &actions[0], &uri);
    assert!(fixed.contains("\"def add(item, items=None):\\n\",\n    \"    if items is None:\\n\""), "{fixed}");
    assert_eq!(apply(notebook, &actions[1], &uri), fixed);
    assert_eq!(client.stop(), 0);
}

/// A `vscode-notebook-cell:` URI of cell `n` of the notebook at `path`, as VS Code writes them.
fn cell_uri(path: &Path, n: usize) -> String {
    format!("vscode-notebook-cell:{}#W{n}sZmlsZQ%3D%3D", path.display())
}

/// `notebookDocument/didOpen` for `cells` (kind 2: code, 1: markup; text) of the notebook at `path`.
fn open_notebook(client: &Client, path: &Path, cells: &[(u8, &str)]) -> Vec<String> {
    let uris: Vec<String> = (0..cells.len()).map(|i| cell_uri(path, i)).collect();
    let language = |kind: u8| if kind == 2 { "python" } else { "markdown" };
    let notebook = json!({
        "uri": uri::from_path(path),
        "notebookType": "jupyter-notebook",
        "version": 0,
        "cells": cells.iter().zip(&uris).map(|((kind, _), uri)| json!({ "kind": kind, "document": uri })).collect::<Vec<_>>(),
    });
    let texts: Vec<Value> = cells
        .iter()
        .zip(&uris)
        .map(|((kind, text), uri)| json!({ "uri": uri, "languageId": language(*kind), "version": 1, "text": text }))
        .collect();
    client.notify("notebookDocument/didOpen", json!({ "notebookDocument": notebook, "cellTextDocuments": texts }));
    uris
}

#[test]
fn notebook_cells_synced_by_the_editor_get_their_own_diagnostics_and_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("analysis.ipynb");
    let mut client = Client::start(dir.path(), Value::Null);
    let cell2 = format!("%matplotlib inline\n{}", &LEAKY[..LEAKY.find("\n\n").unwrap() + 1]);
    let cells = open_notebook(&client, &path, &[(2, "import os\n\nx = 1"), (2, &cell2), (1, "# f = open(p)")]);
    let first = client.diagnostics(&cells[0]);
    assert_eq!(first.diagnostics, [], "cell 1 has no leak: nothing shown on it");
    let published = client.diagnostics(&cells[1]);
    assert_eq!(published.version, Some(1));
    let d = &published.diagnostics;
    assert_eq!(d.iter().map(code).collect::<Vec<_>>(), ["bare-open"], "{d:#?}");
    assert_eq!((d[0].range.start.line, d[0].range.start.character), (2, 8), "`open(path)` on the cell's line 3");
    assert!(d[0].message.starts_with("`f` from `open()` is not closed"), "no cell number: {}", d[0].message);

    // The fix edits cell 2 (its magic kept); the notebook's fix-all does the same.
    let actions = client.actions(&cells[1], Some(&d[0]), None);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Open `f` in a `with` block",
            "Ignore `bare-open` on this line (`# pyfix: ignore[bare-open]`)",
            "pyfix: fix all leaks in the notebook (what `pyfix` writes)"
        ]
    );
    let fixed = apply(&cell2, &actions[0], &cells[1]);
    assert_eq!(fixed, format!("%matplotlib inline\n{READ_FIXED}"));
    assert_eq!(apply(&cell2, &actions[2], &cells[1]), fixed);
    let ignored = apply(&cell2, &actions[1], &cells[1]);
    assert!(ignored.contains("f = open(path)  # pyfix: ignore[bare-open]\n"), "{ignored}");
    assert_eq!(client.actions(&cells[0], None, Some(&["quickfix"])), [], "nothing to fix in cell 1");
    let all = client.actions(&cells[0], None, Some(&["source.fixAll"]));
    assert_eq!(apply(&cell2, &all[0], &cells[1]), fixed, "fix-all is the notebook's, from any cell");

    // The editor applies the fix: cell 2's text changes inside `notebookDocument/didChange`.
    let change = json!({
        "notebookDocument": { "uri": uri::from_path(&path), "version": 1 },
        "change": { "cells": { "textContent": [{
            "document": { "uri": cells[1], "version": 2 },
            "changes": [{ "text": fixed }],
        }]}},
    });
    client.notify("notebookDocument/didChange", change);
    let published = client.diagnostics(&cells[1]);
    assert_eq!((published.version, published.diagnostics), (Some(2), vec![]), "fixed: cleared");

    // A new cell 2 that leaks again, then the notebook closes: its diagnostics go.
    let leak = "g = open('log')\ng.write('x')\n";
    let new = cell_uri(&path, 9);
    let change = json!({
        "notebookDocument": { "uri": uri::from_path(&path), "version": 2 },
        "change": { "cells": { "structure": {
            "array": { "start": 1, "deleteCount": 0, "cells": [{ "kind": 2, "document": new }] },
            "didOpen": [{ "uri": new, "languageId": "python", "version": 1, "text": leak }],
        }}},
    });
    client.notify("notebookDocument/didChange", change);
    let d = client.diagnostics(&new).diagnostics;
    assert_eq!(d.iter().map(|d| (code(d), d.range.start.line)).collect::<Vec<_>>(), [("bare-open", 0)], "{d:#?}");
    client.notify(
        "notebookDocument/didClose",
        json!({ "notebookDocument": { "uri": uri::from_path(&path) }, "cellTextDocuments": [] }),
    );
    let closed = client.diagnostics(&new);
    assert_eq!((closed.version, closed.diagnostics), (None, vec![]));
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_fix_that_would_span_two_cells_is_not_offered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nb.ipynb");
    let mut client = Client::start(dir.path(), Value::Null);
    let cells = open_notebook(&client, &path, &[(2, "f = open('data')\n"), (2, "text = f.read()\nf.close()\n")]);
    let d = client.diagnostics(&cells[0]).diagnostics;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("[fix: none] (its fix would reach from cell 1 into cell 2"), "{}", d[0].message);
    let actions = client.actions(&cells[0], Some(&d[0]), None);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Ignore `bare-open` on this line (`# pyfix: ignore[bare-open]`)"]);

    // Cell 2 stops parsing: no diagnostics on any cell, the error (naming the cell) in the log.
    let change = json!({
        "notebookDocument": { "uri": uri::from_path(&path), "version": 1 },
        "change": { "cells": { "textContent": [{
            "document": { "uri": cells[1], "version": 2 },
            "changes": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                          "text": "def g(:\n" }],
        }]}},
    });
    client.notify("notebookDocument/didChange", change);
    assert_eq!(client.diagnostics(&cells[0]).diagnostics, []);
    let log = client.wait("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("nb.ipynb")));
    assert!(log["message"].as_str().unwrap().contains("not processed: syntax error in cell 2 at 1:"), "{log}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1_and_requests_after_shutdown_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path(), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.server.take().unwrap().join().unwrap().unwrap(), 1);

    let mut client = Client::start(dir.path(), Value::Null);
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.next_id += 1;
    let id = RequestId::from(client.next_id);
    let params = json!({ "textDocument": { "uri": "file:///a.py" }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "context": { "diagnostics": [] } });
    client.conn.sender.send(Request::new(id, "textDocument/codeAction".into(), params).into()).unwrap();
    let refused = loop {
        if let Message::Response(r) = client.conn.receiver.recv_timeout(TIMEOUT).unwrap() {
            break r;
        }
    };
    assert_eq!(refused.response_result.err().map(|e| e.code), Some(lsp_server::ErrorCode::InvalidRequest as i32));
    client.notify("exit", Value::Null);
    assert_eq!(client.server.take().unwrap().join().unwrap().unwrap(), 0);
}
