//! `pyfix server`: a Language Server Protocol server over stdio (`lsp-server`, `lsp-types`: rust-analyzer's).
//! Diagnostics for open Python files, notebook files and notebooks synced cell by cell (`cells.rs`: each cell's
//! findings on its own URI) on open and on change (debounced), computed from the
//! editor's text by the engine the command line runs, with the settings of the file's folder (the nearest config, as
//! `pyfix` resolves it) and its project; a code action per fix, `# pyfix: ignore[...]` as a quick fix, and
//! `source.fixAll.pyfix`. Besides the driver in `lib.rs`, the one place that does IO: stdio, and config and project
//! files read through `config` and `project`. Writes no file: edits go to the editor, which applies them.

mod analysis;
mod cells;
mod document;
mod uri;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, CodeActionResponse,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, FileChangeType, InitializeParams, LogMessageParams, MessageType,
    PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Uri,
};
use serde_json::{json, Value};

use crate::config::{self, Flags, Resolver, Scope};
use crate::project::Projects;
use crate::{discovery, notebook};

pub use analysis::FIX_ALL;

/// How long the server waits after an edit before it checks the document again: typing does not re-check it on
/// every key, and a pause shows the result.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// `pyfix server`: serves one client on stdin/stdout until it says `exit`. The exit code is the protocol's: 0 after
/// `shutdown` then `exit`, 1 when the client exits without `shutdown` or goes away.
pub fn run() -> Result<u8> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprintln!("pyfix server: a language server; it talks LSP with an editor on stdin and stdout (see the README)");
        if Path::new("server").is_dir() {
            eprintln!("pyfix server: to check the directory `server` instead, run `pyfix ./server` (Ctrl-D quits)");
        }
    }
    let (connection, io) = Connection::stdio();
    // The engine recurses over the syntax tree: the stack the command line's threads have (`lib.rs`).
    let server = std::thread::Builder::new()
        .name("pyfix-server".into())
        .stack_size(64 << 20)
        .spawn(move || serve(connection))?;
    let code = server.join().map_err(|_| anyhow!("the server thread panicked"))??;
    io.join()?;
    Ok(code)
}

/// Runs the protocol on `connection` (stdio, or an in-memory one in tests): the handshake, then messages until
/// `exit`.
pub fn serve(connection: Connection) -> Result<u8> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let mut server = Server::new(&connection, &params);
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "pyfix", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    server.started(&params);
    server.main_loop()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        notebook_document_sync: Some(lsp_types::OneOf::Left(lsp_types::NotebookDocumentSyncOptions {
            notebook_selector: vec![lsp_types::NotebookSelector::ByNotebook {
                notebook: lsp_types::Notebook::String("jupyter-notebook".into()),
                cells: Some(vec![lsp_types::NotebookCellSelector { language: "python".into() }]),
            }],
            save: Some(true),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL.to_string())]),
            ..CodeActionOptions::default()
        })),
        workspace: Some(lsp_types::WorkspaceServerCapabilities {
            workspace_folders: None,
            file_operations: Some(lsp_types::WorkspaceFileOperationsServerCapabilities {
                did_delete: Some(lsp_types::FileOperationRegistrationOptions {
                    filters: vec![lsp_types::FileOperationFilter {
                        scheme: Some("file".into()),
                        pattern: lsp_types::FileOperationPattern { glob: "**/*".into(), matches: None, options: None },
                    }],
                }),
                ..Default::default()
            }),
        }),
        ..ServerCapabilities::default()
    }
}

/// What the client's settings (`initializationOptions`, `workspace/didChangeConfiguration`) may say, spelt as the
/// command line's flags: `select`, `ignore`, `unsafe-fixes`, `target-version`, `config`, `include-generated`.
/// Laid over each file's config as the flags are.
#[derive(Clone, Debug, Default, PartialEq)]
struct Options {
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    unsafe_fixes: bool,
    target_version: Option<String>,
    config: Option<PathBuf>,
    include_generated: bool,
}

impl Options {
    /// `value` or its `pyfix` member (clients nest settings under the server's name). `null`: the defaults.
    fn parse(value: &Value) -> Result<Options, String> {
        let value = value.get("pyfix").unwrap_or(value);
        let mut options = Options::default();
        let Some(object) = value.as_object() else {
            return if value.is_null() { Ok(options) } else { Err("settings: not an object".into()) };
        };
        let names = |key: &str, v: &Value| -> Result<Vec<String>, String> {
            let names: Vec<String> = match v {
                Value::String(s) => s.split(',').map(|n| n.trim().to_string()).collect(),
                Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
                _ => return Err(format!("settings: `{key}` takes a list of codemod names")),
            };
            config::resolve_names(&names, &format!("settings: {key}")).map_err(|e| format!("{e:#}"))?;
            Ok(names)
        };
        let flag = |key: &str, v: &Value| v.as_bool().ok_or_else(|| format!("settings: `{key}` takes true or false"));
        for (key, v) in object {
            match key.as_str() {
                _ if v.is_null() => {}
                "select" => options.select = Some(names(key, v)?),
                "ignore" => options.ignore = Some(names(key, v)?),
                "unsafe-fixes" | "unsafeFixes" => options.unsafe_fixes = flag(key, v)?,
                "include-generated" | "includeGenerated" => options.include_generated = flag(key, v)?,
                "target-version" | "targetVersion" => {
                    let version = v.as_str().ok_or("settings: `target-version` takes a version such as \"3.9\"")?;
                    if config::parse_version(version).is_none() {
                        return Err(format!(
                            "settings: target-version: `{version}` is not a Python version pyfix knows ({})",
                            config::version_hint()
                        ));
                    }
                    options.target_version = Some(version.to_string());
                }
                "config" => options.config = Some(PathBuf::from(v.as_str().ok_or("settings: `config` takes a path")?)),
                _ => {
                    let valid = ["select", "ignore", "unsafe-fixes", "target-version", "config", "include-generated"];
                    let hint =
                        config::closest(key, &valid).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
                    return Err(format!("settings: unknown key `{key}`{hint}"));
                }
            }
        }
        Ok(options)
    }

    /// The resolver that gives each file its settings: its nearest config with these options laid over it.
    fn resolver(&self, root: &Path) -> Result<Resolver, String> {
        let flags = Flags {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            target_version: self.target_version.clone(),
            unsafe_fixes: self.unsafe_fixes,
            cache_maxsize: None,
            include_generated: self.include_generated,
            parse_only: false,
            apply: true,
            add_ignore: false,
        };
        let forced = match &self.config {
            Some(path) => Some(Scope::forced(&flags, &root.join(path), root).map_err(|e| format!("{e:#}"))?),
            None => None,
        };
        Ok(Resolver::new(root.to_path_buf(), flags, forced))
    }
}

/// An open document and what pyfix last made of it.
struct Open {
    doc: document::Document,
    /// `None` for a document that is not a file (`untitled:`): checked with the settings of the workspace root.
    path: Option<PathBuf>,
    analysis: Option<analysis::Analysis>,
    /// Changed since it was last checked: check it then (the debounce).
    due: Option<Instant>,
}

struct Server<'c> {
    connection: &'c Connection,
    /// The workspace's first folder (else the current directory): relative `config` paths and files that are not on
    /// disk are resolved from it.
    root: PathBuf,
    options: Options,
    resolver: Resolver,
    /// Other files of each project, read again after a file is saved, created or deleted.
    projects: Projects<'static>,
    documents: HashMap<Uri, Open>,
    /// Notebooks the editor syncs cell by cell, by the notebook's URI.
    notebooks: HashMap<Uri, cells::Notebook>,
    shutdown: bool,
    /// The last error shown to the user (an invalid config), not repeated on every keystroke.
    shown: Option<String>,
    watch_files: bool,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        #[allow(deprecated)] // root_uri: older clients send only that
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|f| f.uri.as_str().to_string())
            .or_else(|| params.root_uri.as_ref().map(|u| u.as_str().to_string()))
            .and_then(|u| uri::to_path(&u))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let watch_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let mut server = Server {
            connection,
            resolver: Options::default().resolver(&root).expect("the default options need no config file"),
            root,
            options: Options::default(),
            projects: Projects::new(discovery::is_skipped_dir),
            documents: HashMap::new(),
            notebooks: HashMap::new(),
            shutdown: false,
            shown: None,
            watch_files,
        };
        if let Some(init) = &params.initialization_options {
            server.configure(init);
        }
        server
    }

    /// After the handshake: asks the client to tell about config and Python files changed or deleted on disk.
    fn started(&mut self, _params: &InitializeParams) {
        self.log(
            MessageType::INFO,
            format!("pyfix {} server started in {}", env!("CARGO_PKG_VERSION"), self.root.display()),
        );
        if self.watch_files {
            let watchers: Vec<Value> = ["**/pyproject.toml", "**/pyfix.toml", "**/*.py", "**/*.pyi", "**/*.ipynb"]
                .iter()
                .map(|glob| json!({ "globPattern": glob }))
                .collect();
            let params = json!({ "registrations": [{
                "id": "pyfix-watched-files",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": watchers },
            }]});
            let request = Request::new("pyfix-watch".to_string().into(), "client/registerCapability".into(), params);
            self.send(request.into());
        }
    }

    fn main_loop(&mut self) -> Result<u8> {
        loop {
            let next = self
                .documents
                .values()
                .filter_map(|o| o.due)
                .chain(self.notebooks.values().filter_map(|n| n.due))
                .min();
            let wait = next.map_or(Duration::from_secs(3600), |due| due.saturating_duration_since(Instant::now()));
            match self.connection.receiver.recv_timeout(wait) {
                Ok(Message::Request(request)) => self.on_request(request),
                Ok(Message::Notification(n)) if n.method == "exit" => return Ok(if self.shutdown { 0 } else { 1 }),
                Ok(Message::Notification(n)) => self.on_notification(n),
                Ok(Message::Response(_)) => {}
                Err(e) if e.is_timeout() => {}
                // The client went away without `exit`.
                Err(_) => return Ok(1),
            }
            let now = Instant::now();
            let due: Vec<Uri> = self
                .documents
                .iter()
                .filter(|(_, o)| o.due.is_some_and(|d| d <= now))
                .map(|(u, _)| u.clone())
                .collect();
            for uri in due {
                self.check(&uri);
            }
            let due: Vec<Uri> = self
                .notebooks
                .iter()
                .filter(|(_, n)| n.due.is_some_and(|d| d <= now))
                .map(|(u, _)| u.clone())
                .collect();
            for uri in due {
                self.check_notebook(&uri);
            }
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = if self.shutdown {
            Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shutting down".into())
        } else if request.method == "shutdown" {
            self.shutdown = true;
            Response::new_ok(id, ())
        } else if request.method == "textDocument/codeAction" {
            match serde_json::from_value::<CodeActionParams>(request.params) {
                Ok(params) => Response::new_ok(id, self.code_actions(params)),
                Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
            }
        } else {
            Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown method {}", request.method))
        };
        self.send(response.into());
    }

    fn on_notification(&mut self, n: Notification) {
        if self.shutdown {
            return;
        }
        let result = match n.method.as_str() {
            "textDocument/didOpen" => serde_json::from_value(n.params).map(|p| self.did_open(p)),
            "textDocument/didChange" => serde_json::from_value(n.params).map(|p| self.did_change(p)),
            "textDocument/didClose" => serde_json::from_value(n.params).map(|p: DidCloseTextDocumentParams| {
                self.forget(&p.text_document.uri);
            }),
            "notebookDocument/didOpen" => serde_json::from_value(n.params).map(|p| self.notebook_opened(p)),
            "notebookDocument/didChange" => {
                serde_json::from_value(n.params).map(|p: lsp_types::DidChangeNotebookDocumentParams| {
                    let uri = p.notebook_document.uri.clone();
                    self.notebook_changed(&uri, p);
                })
            }
            "notebookDocument/didClose" => {
                serde_json::from_value(n.params).map(|p: lsp_types::DidCloseNotebookDocumentParams| {
                    self.notebook_closed(&p.notebook_document.uri);
                })
            }
            "textDocument/didSave" | "notebookDocument/didSave" => {
                // Other files' questions about this one read it from disk: read the project again.
                self.projects = Projects::new(discovery::is_skipped_dir);
                Ok(())
            }
            "workspace/didChangeConfiguration" => {
                serde_json::from_value(n.params).map(|p: DidChangeConfigurationParams| self.configure(&p.settings))
            }
            "workspace/didChangeWatchedFiles" => serde_json::from_value(n.params).map(|p| self.files_changed(p)),
            "workspace/didDeleteFiles" => serde_json::from_value(n.params).map(|p: lsp_types::DeleteFilesParams| {
                for file in p.files {
                    self.deleted(&file.uri);
                }
            }),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.log(MessageType::ERROR, format!("pyfix: {}: invalid parameters: {e}", n.method));
        }
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let item = p.text_document;
        let path = uri::to_path(item.uri.as_str());
        let python = item.language_id == "python" || path.as_deref().is_some_and(discovery::is_python);
        if !python {
            return;
        }
        let open = Open { doc: document::Document::new(item.text, item.version), path, analysis: None, due: None };
        self.documents.insert(item.uri.clone(), open);
        self.check(&item.uri);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        if let Some(open) = self.documents.get_mut(&p.text_document.uri) {
            open.doc.change(p.content_changes, p.text_document.version);
            open.analysis = None;
            open.due = Some(Instant::now() + DEBOUNCE);
        }
    }

    fn notebook_opened(&mut self, p: lsp_types::DidOpenNotebookDocumentParams) {
        let uri = p.notebook_document.uri.clone();
        self.notebooks.insert(uri.clone(), cells::Notebook::open(p));
        self.check_notebook(&uri);
    }

    /// Cells added, removed, moved or edited: checked again after the debounce; a removed cell's diagnostics go now.
    fn notebook_changed(&mut self, uri: &Uri, p: lsp_types::DidChangeNotebookDocumentParams) {
        let Some(nb) = self.notebooks.get_mut(uri) else { return };
        nb.change(p);
        nb.due = Some(Instant::now() + DEBOUNCE);
        let gone: Vec<Uri> = nb.published.iter().filter(|u| nb.position_of(u).is_none()).cloned().collect();
        nb.published.retain(|u| !gone.contains(u));
        for cell in gone {
            self.publish(&cell, None, Vec::new());
        }
    }

    fn notebook_closed(&mut self, uri: &Uri) {
        if let Some(nb) = self.notebooks.remove(uri) {
            for cell in nb.published {
                self.publish(&cell, None, Vec::new());
            }
        }
    }

    /// New settings, or config files changed: every file's settings are resolved again and open files re-checked.
    /// Invalid settings are reported and the previous ones kept.
    fn configure(&mut self, settings: &Value) {
        let resolver = Options::parse(settings).and_then(|options| Ok((options.resolver(&self.root)?, options)));
        match resolver {
            Ok((resolver, options)) => {
                self.resolver = resolver;
                self.options = options;
                self.shown = None;
                self.check_all();
            }
            Err(e) => self.show(format!("pyfix: {e}")),
        }
    }

    fn files_changed(&mut self, p: DidChangeWatchedFilesParams) {
        let mut configs = false;
        for change in &p.changes {
            let path = uri::to_path(change.uri.as_str());
            let name = path.as_deref().and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("");
            configs |= matches!(name, "pyproject.toml" | "pyfix.toml");
            if change.typ == FileChangeType::DELETED {
                self.deleted(change.uri.as_str());
            }
        }
        self.projects = Projects::new(discovery::is_skipped_dir);
        if configs {
            // The resolver reads each directory's config once: a new one reads them again.
            let options = self.options.clone();
            match options.resolver(&self.root) {
                Ok(resolver) => self.resolver = resolver,
                Err(e) => self.show(format!("pyfix: {e}")),
            }
            self.shown = None;
            self.check_all();
        }
    }

    /// A file (or a directory: the files under it) deleted on disk: its diagnostics go.
    fn deleted(&mut self, uri: &str) {
        let prefix = format!("{}/", uri.trim_end_matches('/'));
        let gone: Vec<Uri> =
            self.documents.keys().filter(|u| u.as_str() == uri || u.as_str().starts_with(&prefix)).cloned().collect();
        for uri in gone {
            self.forget(&uri);
        }
        let gone: Vec<Uri> =
            self.notebooks.keys().filter(|u| u.as_str() == uri || u.as_str().starts_with(&prefix)).cloned().collect();
        for uri in gone {
            self.notebook_closed(&uri);
        }
    }

    fn forget(&mut self, uri: &Uri) {
        if self.documents.remove(uri).is_some() {
            self.publish(uri, None, Vec::new());
        }
    }

    fn check_all(&mut self) {
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.check(&uri);
        }
        let uris: Vec<Uri> = self.notebooks.keys().cloned().collect();
        for uri in uris {
            self.check_notebook(&uri);
        }
    }

    /// Checks the document's current text and publishes its diagnostics (none when pyfix leaves it alone or cannot
    /// process it; the reason goes to the log).
    fn check(&mut self, uri: &Uri) {
        let Some(open) = self.documents.get_mut(uri) else { return };
        open.due = None;
        let path = open
            .path
            .clone()
            .unwrap_or_else(|| self.root.join(if is_notebook_uri(uri) { "untitled.ipynb" } else { "untitled.py" }));
        let on_disk = open.path.is_some();
        let fs = self.settings(&path, on_disk);
        let open = self.documents.get_mut(uri).expect("checked above");
        let mut bugs = Vec::new();
        let mut error = None;
        open.analysis = fs.and_then(|fs| {
            let view = open.path.as_ref().map(|p| self.projects.view(p));
            guarded(&path, &mut error, || analysis::check(&open.doc, &path, &fs, view.as_ref(), &mut bugs))
        });
        let version = open.doc.version;
        let diagnostics = open.analysis.as_ref().map(|a| a.diagnostics(&open.doc)).unwrap_or_default();
        for bug in bugs {
            self.log(
                MessageType::ERROR,
                format!("pyfix: {}: internal error: {bug} (please report this)", path.display()),
            );
        }
        if let Some(error) = error {
            self.log(MessageType::ERROR, error);
        }
        self.publish(uri, Some(version), diagnostics);
    }

    /// The settings of a file at `path` (`on_disk`: a file, which its config may exclude); `None` when pyfix leaves
    /// it alone, or its config is invalid (shown to the user).
    fn settings(&mut self, path: &Path, on_disk: bool) -> Option<std::sync::Arc<crate::settings::FileSettings>> {
        let excluded = on_disk && (self.resolver.is_excluded(path) || self.in_skipped_dir(path));
        let settings = if excluded { Ok(None) } else { self.resolver.resolve(path).map(Some) };
        match settings {
            Ok(fs) => fs,
            Err(e) => {
                self.show(format!("pyfix: {e:#}"));
                None
            }
        }
    }

    /// `check` for a notebook synced cell by cell: diagnostics published on each Python cell's URI.
    fn check_notebook(&mut self, uri: &Uri) {
        let Some(nb) = self.notebooks.get_mut(uri) else { return };
        nb.due = None;
        let on_disk = nb.path.is_some();
        let path = nb.path.clone().unwrap_or_else(|| self.root.join("untitled.ipynb"));
        let fs = self.settings(&path, on_disk);
        let nb = self.notebooks.get_mut(uri).expect("checked above");
        let mut bugs = Vec::new();
        let mut error = None;
        nb.analysis = fs.and_then(|fs| {
            let view = nb.path.as_ref().map(|p| self.projects.view(p));
            guarded(&path, &mut error, || analysis::check_cells(nb, &fs, view.as_ref(), &mut bugs))
        });
        let diagnostics = analysis::cell_diagnostics(nb, nb.analysis.as_ref());
        let gone: Vec<Uri> =
            nb.published.iter().filter(|u| !diagnostics.iter().any(|(c, _, _)| c == *u)).cloned().collect();
        nb.published = diagnostics.iter().map(|(c, _, _)| c.clone()).collect();
        for bug in bugs {
            self.log(
                MessageType::ERROR,
                format!("pyfix: {}: internal error: {bug} (please report this)", path.display()),
            );
        }
        if let Some(error) = error {
            self.log(MessageType::ERROR, error);
        }
        for cell in gone {
            self.publish(&cell, None, Vec::new());
        }
        for (cell, version, list) in diagnostics {
            self.publish(&cell, Some(version), list);
        }
    }

    /// As discovery skips virtualenvs and vendored code below the config's directory: an editor opening a library
    /// file from `.venv` gets no findings for it.
    fn in_skipped_dir(&self, path: &Path) -> bool {
        let Some(dir) = path.parent() else { return false };
        let base = self.resolver.scope(dir).map(|s| s.dir.clone()).unwrap_or_else(|_| self.root.clone());
        let rel = dir.strip_prefix(&base).unwrap_or(dir);
        rel.components().any(|c| discovery::is_skipped_dir(c.as_os_str()))
    }

    fn code_actions(&mut self, params: CodeActionParams) -> CodeActionResponse {
        let uri = params.text_document.uri;
        let only = params.context.only.as_deref();
        if let Some(nb_uri) = self.notebooks.iter().find(|(_, nb)| nb.texts.contains_key(&uri)).map(|(u, _)| u.clone())
        {
            if self.notebooks[&nb_uri].due.is_some() {
                self.check_notebook(&nb_uri);
            }
            let nb = &self.notebooks[&nb_uri];
            let Some(checked) = &nb.analysis else { return Vec::new() };
            let actions = analysis::cell_code_actions(nb, checked, &uri, params.range, only);
            return actions.into_iter().map(Into::into).collect();
        }
        let Some(open) = self.documents.get(&uri) else { return Vec::new() };
        // Edited and not checked yet: check it now, so the actions fit the text the editor has.
        if open.due.is_some() {
            self.check(&uri);
        }
        let Some(open) = self.documents.get(&uri) else { return Vec::new() };
        let Some(analysis) = &open.analysis else { return Vec::new() };
        analysis.code_actions(&open.doc, &uri, params.range, only).into_iter().map(Into::into).collect()
    }

    fn publish(&self, uri: &Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        self.send(Notification::new("window/logMessage".into(), LogMessageParams { typ, message }).into());
    }

    /// An error the user must act on (an invalid config or setting): shown once, and logged.
    fn show(&mut self, message: String) {
        if self.shown.as_ref() != Some(&message) {
            let params = ShowMessageParams { typ: MessageType::ERROR, message: message.clone() };
            self.send(Notification::new("window/showMessage".into(), params).into());
            self.shown = Some(message.clone());
        }
        self.log(MessageType::ERROR, message);
    }

    fn send(&self, message: Message) {
        // Only fails when the client is gone; the main loop sees that on its next read.
        let _ = self.connection.sender.send(message);
    }
}

fn is_notebook_uri(uri: &Uri) -> bool {
    notebook::is_notebook(Path::new(uri.as_str()))
}

#[cfg(test)]
mod tests;

/// Runs one analysis; its error, or a panic inside the engine, becomes the line `error` holds for the editor's log
/// (the server goes on).
fn guarded<T>(path: &Path, error: &mut Option<String>, run: impl FnOnce() -> Result<Option<T>, String>) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(analysis)) => analysis,
        Ok(Err(reason)) => {
            *error = Some(format!("pyfix: {}: {reason}", path.display()));
            None
        }
        Err(_) => {
            *error = Some(format!("pyfix: {}: internal error: pyfix panicked (please report this)", path.display()));
            None
        }
    }
}
