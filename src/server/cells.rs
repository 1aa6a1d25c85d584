//! A notebook the editor syncs cell by cell (the protocol's notebook document sync, 3.17: VS Code's notebook editor):
//! its cells in order, each cell's text a document of its own (`vscode-notebook-cell:` URIs), changed as the
//! editor says in `notebookDocument/didChange`. pyfix analyses its Python code cells as one module, as it does an
//! `.ipynb` file (`notebook::check_cells`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use lsp_types::{DidChangeNotebookDocumentParams, DidOpenNotebookDocumentParams, NotebookCellKind, Uri};

use super::document::Document;
use crate::notebook::CellsChecked;

/// A cell's text and its language (`python` for the cells pyfix reads).
pub struct Text {
    pub doc: Document,
    pub language: String,
}

pub struct Notebook {
    /// The cells in order: their text document and whether they are code (markdown cells are not).
    pub cells: Vec<(Uri, bool)>,
    pub texts: HashMap<Uri, Text>,
    /// `None` for a notebook that is not a file (`untitled:`).
    pub path: Option<PathBuf>,
    /// What pyfix last made of it; the cell numbers in it are positions in `cells` as they were then (a change
    /// drops it).
    pub analysis: Option<CellsChecked>,
    pub due: Option<Instant>,
    /// The cells diagnostics were last published for, cleared when they leave the notebook or it closes.
    pub published: Vec<Uri>,
}

impl Notebook {
    #[allow(clippy::mutable_key_type)] // see `analysis::action`
    pub fn open(p: DidOpenNotebookDocumentParams) -> Notebook {
        let nb = p.notebook_document;
        let texts = p
            .cell_text_documents
            .into_iter()
            .map(|t| (t.uri, Text { doc: Document::new(t.text, t.version), language: t.language_id }))
            .collect();
        Notebook {
            cells: nb.cells.into_iter().map(|c| (c.document, c.kind == NotebookCellKind::Code)).collect(),
            texts,
            path: super::uri::to_path(nb.uri.as_str()),
            analysis: None,
            due: None,
            published: Vec::new(),
        }
    }

    /// Applies a change: cells added, removed or moved (with their texts opened and closed), cells' kinds, and
    /// cells' texts edited.
    pub fn change(&mut self, p: DidChangeNotebookDocumentParams) {
        let Some(cells) = p.change.cells else { return };
        if let Some(structure) = cells.structure {
            let array = structure.array;
            let start = (array.start as usize).min(self.cells.len());
            let end = (start + array.delete_count as usize).min(self.cells.len());
            let new =
                array.cells.unwrap_or_default().into_iter().map(|c| (c.document, c.kind == NotebookCellKind::Code));
            self.cells.splice(start..end, new);
            for t in structure.did_open.unwrap_or_default() {
                self.texts.insert(t.uri, Text { doc: Document::new(t.text, t.version), language: t.language_id });
            }
            for t in structure.did_close.unwrap_or_default() {
                self.texts.remove(&t.uri);
            }
        }
        for data in cells.data.unwrap_or_default() {
            if let Some(cell) = self.cells.iter_mut().find(|(uri, _)| *uri == data.document) {
                cell.1 = data.kind == NotebookCellKind::Code;
            }
        }
        for content in cells.text_content.unwrap_or_default() {
            if let Some(text) = self.texts.get_mut(&content.document.uri) {
                text.doc.change(content.changes, content.document.version);
            }
        }
        self.analysis = None;
    }

    /// The cells pyfix reads: code cells whose text is Python, with their 1-based position.
    pub fn python_cells<'a>(&'a self) -> Vec<(usize, &'a Uri, &'a Text)> {
        let python = |(i, (uri, code)): (usize, &'a (Uri, bool))| {
            let text = self.texts.get(uri).filter(|t| *code && t.language == "python")?;
            Some((i + 1, uri, text))
        };
        self.cells.iter().enumerate().filter_map(python).collect()
    }

    /// The cell at a 1-based position, with its text.
    pub fn cell(&self, number: usize) -> Option<(&Uri, &Text)> {
        let (uri, _) = self.cells.get(number.checked_sub(1)?)?;
        Some((uri, self.texts.get(uri)?))
    }

    pub fn position_of(&self, uri: &Uri) -> Option<usize> {
        self.cells.iter().position(|(u, _)| u == uri).map(|i| i + 1)
    }
}
