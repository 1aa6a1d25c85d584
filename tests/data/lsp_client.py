"""An editor's session with `pyfix server`, played by pygls's language client (tests/server.rs installs it).

usage: python lsp_client.py PYFIX WORKSPACE
Opens WORKSPACE/app.py, WORKSPACE/many.py and WORKSPACE/broken.py (their text is read from disk, as an editor
does on open), asks for code actions, applies them as an editor does (each TextEdit through pygls's own document
model), and prints what it saw as one JSON object on stdout; tests/server.rs checks it.
"""

import asyncio
import json
import pathlib
import sys
import time

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.workspace import TextDocument

TIMEOUT = 60


def diagnostic_json(d):
    return {
        "line": d.range.start.line,
        "character": d.range.start.character,
        "code": d.code,
        "href": d.code_description.href if d.code_description else None,
        "severity": int(d.severity) if d.severity else None,
        "source": d.source,
        "message": d.message,
    }


def apply(text, uri, action):
    """The text after `action`'s workspace edit, applied by pygls's document model (last edit first)."""
    doc = TextDocument(uri, text)
    edits = action.edit.changes[uri]
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        doc.apply_change(t.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text))
    return doc.source


async def main(pyfix, workspace):
    root = pathlib.Path(workspace)
    client = LanguageClient("pyfix-test-client", "1")
    published = {}  # uri -> [(version, diagnostics)]
    logs = []

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        published.setdefault(params.uri, []).append((params.version, params.diagnostics))

    @client.feature(t.WINDOW_LOG_MESSAGE)
    def on_log(params):
        logs.append({"type": int(params.type), "message": params.message})

    async def diagnostics(uri, version):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for v, ds in published.get(uri, []):
                if v == version:
                    return ds
            await asyncio.sleep(0.02)
        raise TimeoutError(f"no diagnostics for {uri} version {version}: {published}")

    async def actions(uri, range_, diagnostics, only=None):
        params = t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=range_,
            context=t.CodeActionContext(diagnostics=diagnostics, only=only),
        )
        return await client.text_document_code_action_async(params) or []

    def open_file(name):
        path = root / name
        uri = path.as_uri()
        text = path.read_text()
        item = t.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=item))
        return uri, text

    await client.start_io(pyfix, "server")
    capabilities = t.ClientCapabilities(
        text_document=t.TextDocumentClientCapabilities(
            publish_diagnostics=t.PublishDiagnosticsClientCapabilities(version_support=True),
            code_action=t.CodeActionClientCapabilities(
                code_action_literal_support=t.ClientCodeActionLiteralOptions(
                    code_action_kind=t.ClientCodeActionKindOptions(value_set=["quickfix", "source.fixAll"])
                )
            ),
        )
    )
    init = await client.initialize_async(
        t.InitializeParams(capabilities=capabilities, root_uri=root.as_uri(), process_id=None)
    )
    client.initialized(t.InitializedParams())
    out = {"server": init.server_info.name}

    # A leaky file: its diagnostics, the actions for the first one, that action applied.
    uri, text = open_file("app.py")
    found = await diagnostics(uri, 1)
    out["diagnostics"] = [diagnostic_json(d) for d in found]
    quick = await actions(uri, found[0].range, [found[0]])
    out["actions"] = [a.title for a in quick]
    fixed = apply(text, uri, quick[0])
    out["after_fix"] = fixed
    change = t.TextDocumentContentChangeWholeDocument(text=fixed)
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2), content_changes=[change]
        )
    )
    out["after_fix_diagnostics"] = [diagnostic_json(d) for d in await diagnostics(uri, 2)]
    # The unsafe fix of the finding left says so.
    left = await diagnostics(uri, 2)
    out["unsafe_actions"] = [a.title for a in await actions(uri, left[0].range, [left[0]], ["quickfix"])]
    ignore = next(a for a in await actions(uri, left[0].range, [left[0]]) if "pyfix: ignore" in a.title)
    out["after_ignore"] = apply(fixed, uri, ignore)

    # fixAll, as an editor asks for it on save.
    many_uri, many_text = open_file("many.py")
    await diagnostics(many_uri, 1)
    whole = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
    fix_all = await actions(many_uri, whole, [], ["source.fixAll"])
    out["fix_all_kinds"] = [a.kind for a in fix_all]
    out["fix_all"] = apply(many_text, many_uri, fix_all[0])

    # A file that does not parse: no diagnostics, the error in the log, and the server goes on.
    broken_uri, _ = open_file("broken.py")
    out["broken_diagnostics"] = [diagnostic_json(d) for d in await diagnostics(broken_uri, 1)]
    out["broken_actions"] = [a.title for a in await actions(broken_uri, whole, [])]
    out["logs"] = logs

    # Closing a file clears its diagnostics.
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    out["closed_diagnostics"] = [diagnostic_json(d) for d in await diagnostics(uri, None)]

    # A notebook as VS Code's notebook editor syncs it: cell by cell, each cell a document of its own.
    sync = init.capabilities.notebook_document_sync
    out["notebook_sync"] = [str(s.notebook) for s in sync.notebook_selector] if sync else []
    nb_uri = (root / "analysis.ipynb").as_uri()
    cells = [f"vscode-notebook-cell:{root / 'analysis.ipynb'}#W{i}sZmlsZQ%3D%3D" for i in range(3)]
    kinds = [t.NotebookCellKind.Code, t.NotebookCellKind.Code, t.NotebookCellKind.Markup]
    texts = ["import os\n", "%matplotlib inline\n" + text[: text.index("\n\n") + 1], "# Notes"]
    client.notebook_document_did_open(
        t.DidOpenNotebookDocumentParams(
            notebook_document=t.NotebookDocument(
                uri=nb_uri,
                notebook_type="jupyter-notebook",
                version=0,
                cells=[t.NotebookCell(kind=k, document=c) for k, c in zip(kinds, cells)],
            ),
            cell_text_documents=[
                t.TextDocumentItem(uri=c, language_id="python" if k == t.NotebookCellKind.Code else "markdown",
                                   version=1, text=x)
                for k, c, x in zip(kinds, cells, texts)
            ],
        )
    )
    found = await diagnostics(cells[1], 1)
    out["cell_diagnostics"] = [diagnostic_json(d) for d in found]
    quick = await actions(cells[1], found[0].range, [found[0]], ["quickfix"])
    out["cell_actions"] = [a.title for a in quick]
    cell_fixed = apply(texts[1], cells[1], quick[0])
    out["cell_after_fix"] = cell_fixed
    client.notebook_document_did_change(
        t.DidChangeNotebookDocumentParams(
            notebook_document=t.VersionedNotebookDocumentIdentifier(version=1, uri=nb_uri),
            change=t.NotebookDocumentChangeEvent(
                cells=t.NotebookDocumentCellChanges(
                    text_content=[
                        t.NotebookDocumentCellContentChanges(
                            document=t.VersionedTextDocumentIdentifier(uri=cells[1], version=2),
                            changes=[t.TextDocumentContentChangeWholeDocument(text=cell_fixed)],
                        )
                    ]
                )
            ),
        )
    )
    out["cell_after_fix_diagnostics"] = [diagnostic_json(d) for d in await diagnostics(cells[1], 2)]
    client.notebook_document_did_close(
        t.DidCloseNotebookDocumentParams(
            notebook_document=t.NotebookDocumentIdentifier(uri=nb_uri),
            cell_text_documents=[t.TextDocumentIdentifier(uri=c) for c in cells],
        )
    )
    out["cell_closed_diagnostics"] = [diagnostic_json(d) for d in await diagnostics(cells[1], None)]

    await client.shutdown_async(None)
    client.exit(None)
    server = client._server
    out["exit_code"] = await asyncio.wait_for(server.wait(), TIMEOUT)
    await client.stop()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
