//! `SourceFile` (the text, its line index, where string literals and comments lie) and `Style` (indent unit, line
//! ending). Offsets are bytes into the text pyfix parses (after a BOM is removed). No IO here. Comments are the
//! tokenizer's: every "where is a comment" question is answered here, never by scanning the text for `#`.

use std::sync::OnceLock;

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_codegen::Stylist;
use ruff_python_trivia::CommentRanges;
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::{Ranged, TextRange, TextSize};

pub struct SourceFile<'a> {
    text: &'a str,
    /// Built on first use: most files have no finding to place on a line.
    index: OnceLock<LineIndex>,
    // Invariant: sorted and disjoint: every outermost string/bytes/f-string/t-string literal part (strings nested in
    // an f-string's replacement fields lie inside their f-string and are left out).
    strings: Vec<TextRange>,
    /// Every `#` comment token, from its `#` to the end of its line (trailing whitespace included).
    comments: CommentRanges,
}

impl<'a> SourceFile<'a> {
    /// From the tokens, not the tree: one linear scan, no walk.
    pub fn new(text: &'a str, tokens: &Tokens) -> Self {
        let mut strings = Vec::new();
        let mut comments = Vec::new();
        // Depth of f-/t-strings around the current token, and where the outermost one started.
        let mut depth = 0usize;
        let mut open = TextSize::default();
        for token in tokens {
            match token.kind() {
                TokenKind::String if depth == 0 => strings.push(token.range()),
                TokenKind::Comment => comments.push(token.range()),
                TokenKind::FStringStart | TokenKind::TStringStart => {
                    if depth == 0 {
                        open = token.start();
                    }
                    depth += 1;
                }
                TokenKind::FStringEnd | TokenKind::TStringEnd => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        strings.push(TextRange::new(open, token.end()));
                    }
                }
                _ => {}
            }
        }
        SourceFile { text, index: OnceLock::new(), strings, comments: CommentRanges::new(comments) }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::from_source_text(self.text))
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn slice(&self, range: impl Ranged) -> &'a str {
        &self.text[range.range()]
    }

    /// 1-based line and column (column in characters) of `offset`.
    pub fn line_col(&self, offset: TextSize) -> (usize, usize) {
        let lc = self.index().line_column(offset, self.text);
        (lc.line.get(), lc.column.get())
    }

    pub fn line_number(&self, offset: TextSize) -> usize {
        self.index().line_index(offset).get()
    }

    /// Start of the line holding `offset`.
    pub fn line_start(&self, offset: TextSize) -> TextSize {
        self.index().line_start(self.index().line_index(offset), self.text)
    }

    /// End of the line holding `offset`, before its line break.
    pub fn line_end(&self, offset: TextSize) -> TextSize {
        self.index().line_end_exclusive_of_newline(self.index().line_index(offset), self.text)
    }

    /// Start of the line after the one holding `offset` (the text length on the last line).
    pub fn next_line_start(&self, offset: TextSize) -> TextSize {
        let line = self.index().line_index(offset);
        if line.get() >= self.index().line_count() {
            return self.text_len();
        }
        self.index().line_start(line.saturating_add(1), self.text)
    }

    pub fn text_len(&self) -> TextSize {
        TextSize::of(self.text)
    }

    /// The whitespace before the first token on the line holding `offset`, from after its last form feed (Python
    /// restarts the column count there, and a line pyfix writes should not repeat a page break).
    pub fn indent_at(&self, offset: TextSize) -> &'a str {
        let start = usize::from(self.line_start(offset));
        let rest = &self.text[start..];
        let len = rest.len() - rest.trim_start_matches([' ', '\t', '\x0c']).len();
        let indent = &rest[..len];
        indent.rfind('\x0c').map_or(indent, |i| &indent[i + 1..])
    }

    /// True when only whitespace stands between the start of its line and `offset`.
    pub fn starts_line(&self, offset: TextSize) -> bool {
        self.text[TextRange::new(self.line_start(offset), offset)].trim_start_matches([' ', '\t', '\x0c']).is_empty()
    }

    /// True when only whitespace or a comment follows `offset` on its line.
    pub fn ends_line(&self, offset: TextSize) -> bool {
        self.text[TextRange::new(offset, self.line_end(offset))].trim_start().is_empty()
            || self.trailing_comment(offset).is_some()
    }

    /// Every comment of the file, sorted (ruff's `CommentRanges`, for its queries).
    pub fn comments(&self) -> &CommentRanges {
        &self.comments
    }

    /// The comments that start inside `range`, in order.
    pub fn comments_in(&self, range: TextRange) -> &[TextRange] {
        let from = self.comments.partition_point(|c| c.start() < range.start());
        let to = self.comments.partition_point(|c| c.start() < range.end());
        &self.comments[from..to.max(from)]
    }

    /// The comment that ends the line holding `offset` with only whitespace before it: `# note` in
    /// `f.close()  # note` for the offset after `)`.
    pub fn trailing_comment(&self, offset: TextSize) -> Option<TextRange> {
        let comment = *self.comments_in(TextRange::new(offset, self.line_end(offset))).first()?;
        self.text[TextRange::new(offset, comment.start())].trim_start().is_empty().then_some(comment)
    }

    /// True when `offset` lies inside a comment (on its `#` or after it).
    pub fn in_comment(&self, offset: TextSize) -> bool {
        let i = self.comments.partition_point(|c| c.start() <= offset);
        i > 0 && offset < self.comments[i - 1].end()
    }

    /// True when `offset` lies strictly inside a string literal (so a line starting there is string content).
    pub fn in_string(&self, offset: TextSize) -> bool {
        let i = self.strings.partition_point(|r| r.start() < offset);
        i > 0 && offset < self.strings[i - 1].end()
    }

    /// Starts of the lines that begin strictly after `range.start()` and at or before `range.end()`,
    /// skipping lines that begin inside a string literal and blank lines.
    pub fn code_line_starts(&self, range: TextRange) -> Vec<TextSize> {
        let first = self.index().line_index(range.start());
        let last = self.index().line_index(range.end());
        let mut out = Vec::new();
        let mut line = first.saturating_add(1);
        while line <= last {
            let start = self.index().line_start(line, self.text);
            if start > range.end() {
                break;
            }
            let end = self.index().line_end_exclusive_of_newline(line, self.text);
            let blank = self.text[TextRange::new(start, end)].trim().is_empty();
            if !blank && !self.in_string(start) {
                out.push(start);
            }
            line = line.saturating_add(1);
        }
        out
    }
}

trait LineEndExt {
    fn line_end_exclusive_of_newline(&self, line: OneIndexed, text: &str) -> TextSize;
}

impl LineEndExt for LineIndex {
    fn line_end_exclusive_of_newline(&self, line: OneIndexed, text: &str) -> TextSize {
        let start = usize::from(self.line_start(line, text));
        let end = usize::from(self.line_end(line, text)).max(start);
        let content = text[start..end].trim_end_matches(['\n', '\r']);
        TextSize::try_from(start + content.len()).unwrap_or_default()
    }
}

/// The file's own conventions, used for every line pyfix writes.
#[derive(Clone, Debug)]
pub struct Style {
    /// One level of indentation: four spaces, two spaces, a tab...
    pub indent: String,
    /// "\n", "\r\n" or "\r".
    pub line_ending: &'static str,
}

impl Style {
    pub fn detect(tokens: &Tokens, text: &str) -> Style {
        let stylist = Stylist::from_tokens(tokens, text);
        Style { indent: stylist.indentation().as_str().to_string(), line_ending: stylist.line_ending().as_str() }
    }

    /// The unit to add below a line indented with `indent`: a tab under tab-indented code.
    pub fn unit_below(&self, indent: &str) -> &str {
        if indent.contains('\t') && !self.indent.contains('\t') {
            "\t"
        } else {
            &self.indent
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_string_sees_lines_inside_multiline_literals_only() {
        let text = "x = f\"\"\"a\n{'''b\nc'''}\nd\"\"\"\ny = 1\n";
        let parsed = ruff_python_parser::parse_module(text).unwrap();
        let source = SourceFile::new(text, parsed.tokens());
        let at = |needle: &str| TextSize::try_from(text.find(needle).unwrap()).unwrap();
        assert!(source.in_string(at("{'''b")), "a line inside the f-string");
        assert!(source.in_string(at("c'''")), "a line inside a string nested in the f-string");
        assert!(source.in_string(at("d\"\"\"")));
        assert!(!source.in_string(at("y = 1")));
        assert!(!source.in_string(0.into()));
    }

    #[test]
    fn comments_are_the_tokenizers_not_every_hash() {
        let text = "x = '''a\n# not\n'''  # one\ny = '#'; z = 1  # two  \n";
        let parsed = ruff_python_parser::parse_module(text).unwrap();
        let source = SourceFile::new(text, parsed.tokens());
        let at = |needle: &str| TextSize::try_from(text.find(needle).unwrap()).unwrap();
        let all: Vec<&str> = source.comments().iter().map(|c| source.slice(*c)).collect();
        assert_eq!(all, ["# one", "# two  "]);
        assert!(!source.in_comment(at("# not")) && source.in_comment(at("one")));
        assert_eq!(source.trailing_comment(at("  # one")).map(|c| source.slice(c)), Some("# one"));
        assert_eq!(source.trailing_comment(at("'#'")), None, "code stands before the comment");
        assert!(source.ends_line(at("  # two")) && !source.ends_line(at("; z")));
        assert_eq!(source.comments_in(TextRange::new(at("y ="), source.text_len())).len(), 1);
    }
}
