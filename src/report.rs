//! `Report`: one finding as the outputs, the cache and the baseline see it, plain data located by line and column.
//! Only the type and its rendering; finding them is the engine's job, printing them the driver's and `output`'s.

use crate::codemods::Finding;
use crate::edit::Applicability;
use crate::source::SourceFile;
use ruff_text_size::TextRange;

/// A finding as reported: plain data, located in the text it was found in (lines and columns 1-based, columns in
/// characters; an end is exclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    pub codemod: &'static str,
    pub message: String,
    /// `None`: reported without a fix.
    pub fix: Option<Applicability>,
    pub fix_title: Option<String>,
    /// Why the fix is unsafe, or why there is none.
    pub reason: Option<String>,
    /// The fix's edits (empty without a fix), located in the same text.
    pub edits: Vec<ReportEdit>,
    /// In a notebook: the 1-based cell the lines count in. The edits are then edits of the notebook's JSON text.
    pub cell: Option<usize>,
    /// In a notebook: the 1-based lines of its JSON text that hold the first and last line of the finding (the
    /// `source` list elements), for the formats whose readers open the `.ipynb` file itself (GitHub, SARIF).
    pub file_lines: Option<(usize, usize)>,
    /// `line_hash` of the finding's first line: with the codemod and the path, what identifies the finding across
    /// commits (SARIF `partialFingerprints`), where its line number moves.
    pub line_hash: u64,
}

/// A fix a run applied (`--show-fixes`): its codemod and title.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AppliedFix {
    pub codemod: &'static str,
    pub title: String,
}

/// A hash of a line of code that survives reindenting and reformatting its spaces: FNV-1a (64 bits, the same on
/// every platform and build) over its words joined by single spaces.
pub fn line_hash(line: &str) -> u64 {
    let mut h = crate::hash::Fnv::default();
    for (i, word) in line.split_whitespace().enumerate() {
        if i > 0 {
            h.write(b" ");
        }
        h.write(word.as_bytes());
    }
    h.0
}

/// One edit of a fix: replace `start..end` (line, column; end exclusive) with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportEdit {
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub content: String,
}

impl Report {
    pub fn new(f: &Finding, source: &SourceFile) -> Report {
        let (line, col) = source.line_col(f.range.start());
        let (end_line, end_col) = source.line_col(f.range.end());
        let edits = f.fix.as_ref().map_or_else(Vec::new, |fix| {
            fix.edits()
                .iter()
                .map(|e| ReportEdit {
                    start: source.line_col(e.range.start()),
                    end: source.line_col(e.range.end()),
                    content: e.content.clone(),
                })
                .collect()
        });
        let first_line =
            source.slice(TextRange::new(source.line_start(f.range.start()), source.line_end(f.range.start())));
        Report {
            line,
            col,
            end_line,
            end_col,
            codemod: f.codemod,
            message: f.message.clone(),
            fix: f.fix.as_ref().map(|x| x.applicability),
            fix_title: f.fix.as_ref().map(|x| x.title.clone()),
            reason: match &f.fix {
                Some(fix) => fix.reason.clone(),
                None => f.no_fix_reason.clone(),
            },
            edits,
            cell: None,
            file_lines: None,
            line_hash: line_hash(first_line),
        }
    }

    /// `line:col: codemod: message [fix: safe|unsafe|none] (reason)`.
    pub fn render(&self) -> String {
        let fix = self.fix.map_or("none", Applicability::as_str);
        let mut s = format!("{}:{}: {}: {} [fix: {fix}]", self.line, self.col, self.codemod, self.message);
        if let Some(reason) = &self.reason {
            s.push_str(&format!(" ({reason})"));
        }
        s
    }
}
